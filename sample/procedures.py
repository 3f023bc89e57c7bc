"""The procedure catalogue (TTHC) of every unit, with national-style codes, sectors, statutory days and online levels."""
import csv
import pathlib
from dataclasses import dataclass

import numpy as np

COLUMNS = ["code", "name", "field", "online_level", "statutory_days", "has_fee", "unit", "has_internal_process"]


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    online_level: str        # full | partial | none
    statutory_days: int      # working days
    fee: int                 # VND per dossier, 0 = free
    unit: str                # unit code, or a level name, several separated by ';'
    has_internal_process: bool
    weight: float            # relative dossier volume within its catalogue


_ENTERPRISES = ["doanh nghiệp tư nhân", "công ty trách nhiệm hữu hạn một thành viên",
                "công ty trách nhiệm hữu hạn hai thành viên trở lên", "công ty cổ phần", "công ty hợp danh"]
_ENTERPRISE_ACTIONS = [
    ("Đăng ký thành lập {}", 6.0), ("Đăng ký thay đổi người đại diện theo pháp luật của {}", 2.0),
    ("Đăng ký thay đổi vốn điều lệ của {}", 2.0), ("Đăng ký thay đổi địa chỉ trụ sở chính của {}", 3.0),
    ("Đăng ký đổi tên {}", 1.0), ("Thông báo thay đổi ngành, nghề kinh doanh của {}", 2.5),
    ("Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của {}", 1.5),
    ("Giải thể {}", 0.8),
]
_BUSINESS_OTHER = [
    "Đăng ký hoạt động chi nhánh, văn phòng đại diện trong nước", "Thông báo lập địa điểm kinh doanh",
    "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp", "Hiệu đính thông tin trong Giấy chứng nhận đăng ký doanh nghiệp",
    "Cập nhật bổ sung thông tin trong hồ sơ đăng ký doanh nghiệp", "Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn",
    "Chuyển đổi công ty trách nhiệm hữu hạn thành công ty cổ phần", "Chuyển đổi công ty cổ phần thành công ty trách nhiệm hữu hạn",
    "Đăng ký doanh nghiệp đối với các công ty được thành lập trên cơ sở chia công ty",
    "Đăng ký doanh nghiệp đối với các công ty được thành lập trên cơ sở tách công ty",
    "Hợp nhất doanh nghiệp", "Sáp nhập doanh nghiệp", "Đăng ký thay đổi chủ sở hữu công ty trách nhiệm hữu hạn một thành viên",
    "Thông báo thay đổi thông tin cổ đông sáng lập công ty cổ phần", "Thông báo thay đổi nội dung đăng ký thuế",
    "Chấm dứt hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", "Đăng ký doanh nghiệp xã hội",
    "Cấp đổi Giấy chứng nhận đăng ký doanh nghiệp thay cho Giấy phép đầu tư",
]
_COOPERATIVE = [
    "Đăng ký thành lập hợp tác xã", "Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã",
    "Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh của hợp tác xã",
    "Đăng ký thay đổi vốn điều lệ của hợp tác xã", "Đăng ký khi hợp tác xã chia", "Đăng ký khi hợp tác xã tách",
    "Đăng ký khi hợp tác xã hợp nhất", "Đăng ký khi hợp tác xã sáp nhập", "Giải thể tự nguyện hợp tác xã",
    "Cấp lại giấy chứng nhận đăng ký hợp tác xã", "Thông báo thay đổi nội dung đăng ký hợp tác xã",
    "Tạm ngừng hoạt động của hợp tác xã", "Đăng ký thành lập liên hiệp hợp tác xã", "Thu hồi giấy chứng nhận đăng ký hợp tác xã",
]
_INVESTMENT_ACTIONS = ["Chấp thuận chủ trương đầu tư", "Điều chỉnh chủ trương đầu tư", "Cấp Giấy chứng nhận đăng ký đầu tư",
                       "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", "Cấp lại Giấy chứng nhận đăng ký đầu tư",
                       "Chuyển nhượng dự án đầu tư", "Giãn tiến độ đầu tư", "Chấm dứt hoạt động"]
_INVESTMENT_OBJECTS = ["dự án đầu tư thuộc thẩm quyền của Ủy ban nhân dân Thành phố",
                       "dự án đầu tư không thuộc diện chấp thuận chủ trương đầu tư",
                       "dự án đầu tư có vốn đầu tư nước ngoài", "dự án đầu tư theo phương thức đối tác công tư (PPP)",
                       "dự án đầu tư trong khu kinh tế"]
_BIDDING = ["Thẩm định kế hoạch lựa chọn nhà thầu", "Thẩm định hồ sơ mời thầu dự án đầu tư có sử dụng đất",
            "Thẩm định kết quả lựa chọn nhà đầu tư", "Công bố danh mục dự án đầu tư có sử dụng đất",
            "Thẩm định kế hoạch lựa chọn nhà đầu tư", "Thẩm định kết quả sơ tuyển nhà đầu tư"]
_ODA = ["Thẩm định đề xuất chương trình, dự án sử dụng vốn ODA, vốn vay ưu đãi",
        "Thẩm định văn kiện dự án hỗ trợ kỹ thuật sử dụng vốn ODA không hoàn lại",
        "Lập, phê duyệt kế hoạch tổng thể thực hiện chương trình, dự án ODA",
        "Tiếp nhận khoản viện trợ phi chính phủ nước ngoài", "Phê duyệt khoản viện trợ không hoàn lại ngoài ODA",
        "Điều chỉnh khoản viện trợ phi chính phủ nước ngoài"]
_PUBLIC_INVESTMENT = ["Thẩm định chủ trương đầu tư dự án nhóm B sử dụng vốn đầu tư công",
                      "Thẩm định chủ trương đầu tư dự án nhóm C sử dụng vốn đầu tư công",
                      "Thẩm định báo cáo nghiên cứu khả thi dự án sử dụng vốn đầu tư công",
                      "Thẩm định điều chỉnh chủ trương đầu tư dự án đầu tư công"]


def _skhdt() -> list[tuple]:
    """Sở Kế hoạch và Đầu tư: exactly 128 procedures, 51 full-online, 2 partial, 109 with an internal process."""
    items = []  # (name, field, days, fee, weight)
    for action, w in _ENTERPRISE_ACTIONS:
        for kind in _ENTERPRISES:
            scale = {"doanh nghiệp tư nhân": 0.4, "công ty hợp danh": 0.02}.get(kind, 1.0)
            items.append((action.format(kind), "Thành lập và hoạt động của doanh nghiệp", 3, 50_000, w * scale))
    items += [(n, "Thành lập và hoạt động của doanh nghiệp", 3, 50_000, 0.6) for n in _BUSINESS_OTHER]
    items += [(n, "Thành lập và hoạt động của hợp tác xã", 5, 100_000, 0.05) for n in _COOPERATIVE]
    for action in _INVESTMENT_ACTIONS:
        for obj in _INVESTMENT_OBJECTS:
            days = 35 if action.startswith(("Chấp thuận", "Điều chỉnh chủ")) else 15
            items.append((f"{action} {obj}", "Đầu tư tại Việt Nam", days, 0, 0.02))
    items += [(n, "Đấu thầu", 20, 0, 0.01) for n in _BIDDING]
    items += [(n, "Vốn hỗ trợ phát triển chính thức (ODA)", 20, 0, 0.005) for n in _ODA]
    items += [(n, "Đầu tư bằng vốn đầu tư công", 20, 0, 0.005) for n in _PUBLIC_INVESTMENT]
    assert len(items) == 128, len(items)
    rows = []
    for i, (name, field, days, fee, weight) in enumerate(items):
        # Business registration (the first 51 items) is toàn trình; two investment certificates are một phần.
        level = "full" if i < 51 else ("partial" if name.startswith("Cấp Giấy chứng nhận đăng ký đầu tư dự án đầu tư không")
                                       or name.startswith("Điều chỉnh Giấy chứng nhận đăng ký đầu tư dự án đầu tư không") else "none")
        rows.append((name, field, level, days, fee, "SKHDT", i < 109, weight))
    return rows


# Other catalogues: (name, field, online_level, statutory_days, fee, unit, weight)
_OTHER = [
    # Departments
    ("Cấp giấy phép xây dựng công trình cấp đặc biệt, cấp I", "Xây dựng", "partial", 20, 150_000, "SXD", 3),
    ("Cấp giấy phép di dời công trình", "Xây dựng", "none", 20, 150_000, "SXD", 0.3),
    ("Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, III", "Xây dựng", "full", 20, 300_000, "SXD", 2),
    ("Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", "Xây dựng", "partial", 30, 0, "SXD", 1),
    ("Cấp giấy chứng nhận quyền sử dụng đất cho tổ chức", "Đất đai", "partial", 30, 500_000, "STNMT", 2),
    ("Đăng ký biến động quyền sử dụng đất của tổ chức", "Đất đai", "partial", 10, 100_000, "STNMT", 3),
    ("Cấp giấy phép môi trường", "Môi trường", "partial", 30, 0, "STNMT", 1),
    ("Cấp giấy phép khai thác nước dưới đất", "Tài nguyên nước", "partial", 30, 0, "STNMT", 0.4),
    ("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", "full", 10, 200_000, "STP", 10),
    ("Cấp bản sao trích lục hộ tịch", "Hộ tịch", "full", 1, 8_000, "STP", 1),
    ("Đăng ký hành nghề và cấp Thẻ công chứng viên", "Công chứng", "partial", 10, 0, "STP", 0.2),
    ("Cấp giấy phép lái xe", "Đường bộ", "partial", 10, 135_000, "SGTVT", 6),
    ("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Đường bộ", "full", 5, 135_000, "SGTVT", 8),
    ("Cấp giấy phép kinh doanh vận tải bằng xe ô tô", "Đường bộ", "full", 5, 200_000, "SGTVT", 1),
    ("Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "Khám bệnh, chữa bệnh", "partial", 30, 360_000, "SYT", 1.5),
    ("Cấp giấy phép hoạt động phòng khám chuyên khoa", "Khám bệnh, chữa bệnh", "none", 45, 4_300_000, "SYT", 0.5),
    ("Cấp giấy chứng nhận đủ điều kiện kinh doanh dược", "Dược phẩm", "partial", 20, 3_000_000, "SYT", 1),
    ("Công bố cơ sở đủ điều kiện sản xuất trang thiết bị y tế", "Trang thiết bị y tế", "full", 3, 3_000_000, "SYT", 0.5),
    ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Giáo dục", "full", 1, 0, "SGDDT", 3),
    ("Cấp phép hoạt động giáo dục kỹ năng sống", "Giáo dục", "partial", 15, 0, "SGDDT", 0.3),
    ("Cấp giấy phép lao động cho người lao động nước ngoài", "Việc làm", "full", 5, 600_000, "SLDTBXH", 5),
    ("Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", "Việc làm", "full", 5, 0, "SLDTBXH", 2),
    ("Giải quyết hưởng trợ cấp thất nghiệp", "Việc làm", "partial", 20, 0, "SLDTBXH", 6),
    ("Cấp giấy phép bán lẻ sản phẩm thuốc lá", "Lưu thông hàng hóa", "full", 15, 1_100_000, "SCT", 0.8),
    ("Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm", "An toàn thực phẩm", "partial", 20, 1_000_000, "SCT", 1),
    ("Cấp giấy phép tổ chức biểu diễn nghệ thuật", "Nghệ thuật biểu diễn", "full", 5, 0, "SVHTT", 1),
    ("Cấp giấy phép kinh doanh dịch vụ karaoke", "Văn hóa", "partial", 5, 6_000_000, "SVHTT", 0.3),
    ("Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "Lữ hành", "full", 10, 3_000_000, "SDL", 0.5),
    ("Công nhận hạng cơ sở lưu trú du lịch", "Du lịch", "partial", 30, 1_500_000, "SDL", 0.3),
    ("Cấp giấy phép xuất bản bản tin", "Báo chí", "full", 15, 0, "STTTT", 0.3),
    ("Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp", "Phát thanh, truyền hình và thông tin điện tử", "full", 10, 0, "STTTT", 0.3),
    ("Đăng ký mã số đơn vị có quan hệ với ngân sách", "Tài chính", "full", 2, 0, "STC", 1.5),
    ("Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "Khoa học và công nghệ", "full", 15, 0, "SKHCN", 0.4),
    ("Cấp giấy phép tiến hành công việc bức xạ", "An toàn bức xạ", "partial", 25, 0, "SKHCN", 0.3),
    ("Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản", "Quản lý chất lượng nông lâm thủy sản", "partial", 15, 700_000, "SNNPTNT", 0.5),
    ("Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi địa bàn", "Thú y", "full", 1, 0, "SNNPTNT", 1),
    ("Cấp giấy phép quy hoạch dự án đầu tư xây dựng", "Quy hoạch xây dựng, kiến trúc", "partial", 20, 2_000_000, "SQHKT", 0.5),
    ("Cung cấp thông tin quy hoạch", "Quy hoạch xây dựng, kiến trúc", "full", 7, 0, "SQHKT", 1.5),
    ("Thẩm định nhiệm vụ quy hoạch chi tiết", "Quy hoạch xây dựng, kiến trúc", "none", 20, 0, "SQHKT", 0.3),
    ("Thẩm định hồ sơ thành lập hội", "Tổ chức phi chính phủ", "partial", 30, 0, "SNV", 0.2),
    ("Thi tuyển công chức", "Công chức, viên chức", "none", 30, 0, "SNV", 0.3),
    ("Cho phép tổ chức hội nghị, hội thảo quốc tế", "Ngoại vụ", "full", 10, 0, "SNGV", 0.3),
    ("Cấp giấy phép lao động cho người nước ngoài làm việc trong khu chế xuất, khu công nghiệp", "Việc làm", "full", 5, 400_000, "HEPZA", 1.5),
    ("Cấp Giấy chứng nhận đăng ký đầu tư trong khu chế xuất, khu công nghiệp", "Đầu tư", "partial", 15, 0, "HEPZA", 0.5),
    ("Cấp giấy phép xây dựng trong khu chế xuất, khu công nghiệp", "Xây dựng", "partial", 20, 150_000, "HEPZA", 0.4),
    ("Cấp Giấy chứng nhận đăng ký đầu tư trong khu công nghệ cao", "Đầu tư", "partial", 15, 0, "SHTP", 0.2),
    ("Cấp giấy phép lao động cho người nước ngoài làm việc tại khu công nghệ cao", "Việc làm", "full", 5, 400_000, "SHTP", 0.4),
    # District level (Thủ Đức city and the 21 districts)
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", "partial", 15, 75_000, "district", 8),
    ("Cấp giấy phép sửa chữa, cải tạo nhà ở riêng lẻ", "Xây dựng", "partial", 15, 75_000, "district", 3),
    ("Cấp giấy phép xây dựng có thời hạn", "Xây dựng", "none", 15, 75_000, "district", 1),
    ("Đăng ký cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", "partial", 30, 100_000, "district", 4),
    ("Chuyển mục đích sử dụng đất phải được phép", "Đất đai", "partial", 15, 0, "district", 2),
    ("Giao đất, cho thuê đất cho hộ gia đình, cá nhân", "Đất đai", "none", 20, 0, "district", 0.5),
    ("Tách thửa hoặc hợp thửa đất", "Đất đai", "partial", 15, 0, "district", 2),
    ("Đăng ký thành lập hộ kinh doanh", "Đăng ký kinh doanh", "full", 3, 100_000, "district", 10),
    ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Đăng ký kinh doanh", "full", 3, 100_000, "district", 6),
    ("Tạm ngừng, chấm dứt hoạt động hộ kinh doanh", "Đăng ký kinh doanh", "full", 3, 0, "district", 3),
    ("Cấp bản sao trích lục hộ tịch", "Hộ tịch", "full", 1, 8_000, "district;ward", 6),
    ("Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "partial", 15, 75_000, "district", 0.5),
    ("Đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch", "partial", 15, 1_500_000, "district", 0.4),
    ("Thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", "partial", 3, 28_000, "district", 1),
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", "none", 1, 2_000, "district;ward", 30),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực", "none", 1, 10_000, "district;ward", 8),
    ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Chứng thực", "none", 2, 50_000, "district", 2),
    ("Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm cho cơ sở kinh doanh dịch vụ ăn uống", "An toàn thực phẩm", "partial", 15, 500_000, "district", 1.5),
    ("Cấp giấy phép kinh doanh bán lẻ rượu", "Lưu thông hàng hóa", "full", 10, 200_000, "district", 1),
    ("Cấp giấy phép đào đường, vỉa hè", "Giao thông", "partial", 7, 0, "district", 1.5),
    ("Thành lập trường mầm non, trường tiểu học tư thục", "Giáo dục", "none", 20, 0, "district", 0.2),
    ("Chuyển trường đối với học sinh trung học cơ sở", "Giáo dục", "full", 3, 0, "district", 1),
    ("Giải quyết chế độ trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", "partial", 20, 0, "district", 1.5),
    ("Cấp giấy chứng nhận đăng ký hộ kinh doanh vận tải", "Giao thông", "full", 5, 0, "district", 0.5),
    ("Thẩm định, phê duyệt phương án bồi thường, hỗ trợ, tái định cư", "Đất đai", "none", 20, 0, "district", 0.3),
    # Ward and commune level
    ("Đăng ký khai sinh", "Hộ tịch", "full", 1, 0, "ward", 12),
    ("Đăng ký khai tử", "Hộ tịch", "full", 1, 0, "ward", 3),
    ("Đăng ký kết hôn", "Hộ tịch", "partial", 1, 0, "ward", 3),
    ("Cấp giấy xác nhận tình trạng hôn nhân", "Hộ tịch", "full", 3, 3_000, "ward", 8),
    ("Đăng ký lại khai sinh", "Hộ tịch", "partial", 5, 5_000, "ward", 1),
    ("Đăng ký giám hộ", "Hộ tịch", "partial", 3, 5_000, "ward", 0.3),
    ("Đăng ký nhận cha, mẹ, con", "Hộ tịch", "partial", 3, 15_000, "ward", 0.3),
    ("Chứng thực hợp đồng, giao dịch liên quan đến nhà ở", "Chứng thực", "none", 2, 50_000, "ward", 3),
    ("Chứng thực di chúc", "Chứng thực", "none", 2, 50_000, "ward", 0.3),
    ("Xác nhận đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất", "Đất đai", "none", 10, 0, "ward", 2),
    ("Hòa giải tranh chấp đất đai", "Đất đai", "none", 45, 0, "ward", 0.4),
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ nông thôn", "Xây dựng", "partial", 15, 50_000, "ward", 0.8),
    ("Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình", "Bảo trợ xã hội", "none", 10, 0, "ward", 0.7),
    ("Đăng ký hoạt động tín ngưỡng", "Tôn giáo", "none", 15, 0, "ward", 0.1),
    ("Công nhận hòa giải viên", "Tư pháp", "none", 5, 0, "ward", 0.1),
    ("Xác nhận thông tin về cư trú", "Đăng ký, quản lý cư trú", "full", 1, 0, "ward", 4),
    # Vertical agencies
    ("Đăng ký thuế lần đầu đối với cá nhân", "Thuế", "full", 3, 0, "CTHUE", 8),
    ("Khai thuế thu nhập cá nhân đối với chuyển nhượng bất động sản", "Thuế", "full", 5, 0, "CTHUE", 12),
    ("Hoàn thuế giá trị gia tăng", "Thuế", "partial", 6, 0, "CTHUE", 2),
    ("Đăng ký thay đổi thông tin đăng ký thuế", "Thuế", "full", 2, 0, "CTHUE", 6),
    ("Cấp giấy xác nhận hoàn thành nghĩa vụ thuế", "Thuế", "full", 5, 0, "CTHUE", 3),
    ("Cấp thẻ Căn cước công dân", "Cấp, quản lý căn cước công dân", "partial", 7, 30_000, "CATP", 12),
    ("Đăng ký thường trú", "Đăng ký, quản lý cư trú", "full", 7, 20_000, "CATP", 6),
    ("Đăng ký tạm trú", "Đăng ký, quản lý cư trú", "full", 3, 15_000, "CATP", 6),
    ("Đăng ký, cấp biển số xe", "Đăng ký, quản lý phương tiện giao thông", "partial", 2, 150_000, "CATP", 8),
    ("Cấp hộ chiếu phổ thông", "Xuất nhập cảnh", "full", 8, 200_000, "CATP", 4),
    ("Cấp lại sổ bảo hiểm xã hội", "Bảo hiểm xã hội", "full", 10, 0, "BHXH", 6),
    ("Giải quyết hưởng bảo hiểm xã hội một lần", "Bảo hiểm xã hội", "partial", 10, 0, "BHXH", 6),
    ("Cấp thẻ bảo hiểm y tế", "Bảo hiểm y tế", "full", 5, 0, "BHXH", 8),
    ("Giải quyết hưởng chế độ thai sản", "Bảo hiểm xã hội", "partial", 6, 0, "BHXH", 4),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đất đai", "partial", 10, 50_000, "VPDKDD", 10),
    ("Đăng ký, xóa đăng ký thế chấp quyền sử dụng đất", "Đất đai", "full", 3, 80_000, "VPDKDD", 10),
    ("Cấp đổi giấy chứng nhận quyền sử dụng đất", "Đất đai", "partial", 10, 50_000, "VPDKDD", 4),
    ("Cung cấp thông tin dữ liệu đất đai", "Đất đai", "full", 2, 30_000, "VPDKDD", 3),
    ("Đăng ký mở tài khoản của đơn vị giao dịch tại Kho bạc Nhà nước", "Kho bạc Nhà nước", "full", 1, 0, "KBNN", 2),
    ("Kiểm soát chi ngân sách nhà nước qua Kho bạc Nhà nước", "Kho bạc Nhà nước", "full", 2, 0, "KBNN", 6),
    ("Thủ tục hải quan đối với hàng hóa xuất khẩu, nhập khẩu thương mại", "Hải quan", "full", 1, 20_000, "CHQ", 10),
    ("Thủ tục hoàn thuế hàng hóa xuất khẩu, nhập khẩu", "Hải quan", "partial", 6, 0, "CHQ", 0.5),
]


def _codes(n: int) -> list[str]:
    """Distinct national-style codes (`1.001612`, `2.000046`), fixed regardless of the dossier seed."""
    rng = np.random.default_rng(7)
    numbers = rng.choice(np.arange(100, 13000), size=n, replace=False)
    prefixes = rng.choice([1, 1, 1, 2], size=n)
    return [f"{p}.{num:06d}" for p, num in zip(prefixes, numbers)]


def build_procedures() -> list[Procedure]:
    rows = [(n, f, lvl, d, fee, u, internal, w) for n, f, lvl, d, fee, u, internal, w in _skhdt()]
    rows += [(n, f, lvl, d, fee, u, True, w) for n, f, lvl, d, fee, u, w in _OTHER]
    codes = _codes(len(rows))
    return [Procedure(code, n, f, lvl, d, fee, u, internal, w)
            for code, (n, f, lvl, d, fee, u, internal, w) in zip(codes, rows)]


def write_procedures(path: pathlib.Path, procedures: list[Procedure]) -> pathlib.Path:
    # Text fields are quoted (numbers are not) so that readers keep `1.001612` as text, not the number 1.001612.
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(COLUMNS)
        for p in procedures:
            writer.writerow([p.code, p.name, p.field, p.online_level, p.statutory_days, int(p.fee > 0), p.unit,
                             int(p.has_internal_process)])
    return path
