// Vietnamese for Plotly's own texts (the mode bar's button titles, notices, date names); the graphs ask for it
// with config.locale = "vi" (pages/_components/charts.py). Why: without it every chart's tool tips read
// "Download plot as a png", "Autoscale"… to users who read Vietnamese only.
// Plotly may load after this file (Dash loads it on demand); it then registers what waits in PlotlyLocales.
(function () {
  "use strict";
  var locale = {
    moduleType: "locale",
    name: "vi",
    dictionary: {
      "Download plot as a png": "Tải biểu đồ (PNG)",
      "Download plot as a PNG": "Tải biểu đồ (PNG)",
      "Download plot": "Tải biểu đồ",
      "Zoom": "Phóng to vùng chọn",
      "Pan": "Kéo biểu đồ",
      "Box Select": "Chọn vùng chữ nhật",
      "Lasso Select": "Chọn vùng tự do",
      "Zoom in": "Phóng to",
      "Zoom out": "Thu nhỏ",
      "Autoscale": "Tự co giãn",
      "Reset axes": "Đặt lại trục",
      "Reset view": "Đặt lại khung nhìn",
      "Toggle Spike Lines": "Bật/tắt đường dóng",
      "Show closest data on hover": "Rê chuột: hiện điểm gần nhất",
      "Compare data on hover": "Rê chuột: so sánh các chuỗi",
      "Toggle show closest data on hover": "Bật/tắt hiện điểm gần nhất",
      "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
      "Double-click on legend to isolate one trace": "Nhấp đúp vào chú giải để chỉ xem một chuỗi",
      "Produced with Plotly.js": "Tạo bằng Plotly.js",
      "Taking snapshot - this may take a few seconds": "Đang chụp ảnh biểu đồ – có thể mất vài giây",
      "Snapshot succeeded": "Đã chụp xong",
      "Sorry, there was a problem downloading your snapshot!": "Không tải được ảnh biểu đồ.",
      "trace": "chuỗi"
    },
    format: {
      days: ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
      shortDays: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
      months: ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Tháng 7", "Tháng 8", "Tháng 9",
               "Tháng 10", "Tháng 11", "Tháng 12"],
      shortMonths: ["Th1", "Th2", "Th3", "Th4", "Th5", "Th6", "Th7", "Th8", "Th9", "Th10", "Th11", "Th12"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "."
    }
  };
  if (typeof window.Plotly !== "undefined" && window.Plotly.register) {
    window.Plotly.register(locale);
  } else {
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(locale);
  }
})();
