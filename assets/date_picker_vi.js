// Vietnamese day and month names for Dash's date picker (dcc.DatePickerRange, "Từ ngày – đến ngày").
// Why: the picker formats names with date-fns and looks its locale up in window.dateFns.locale by the browser
// language, falling back to the first one registered; without one it shows "Mo Tu We" to every user.
// Dash loads every file in assets/ before the picker, so registering here is enough.
(function () {
  "use strict";
  var DAYS = {
    narrow: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    short: ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    abbreviated: ["CN", "Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7"],
    wide: ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"]
  };
  var MONTHS = {
    narrow: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
    abbreviated: ["Thg 1", "Thg 2", "Thg 3", "Thg 4", "Thg 5", "Thg 6", "Thg 7", "Thg 8", "Thg 9", "Thg 10",
                  "Thg 11", "Thg 12"],
    wide: ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Tháng 7", "Tháng 8", "Tháng 9",
           "Tháng 10", "Tháng 11", "Tháng 12"]
  };

  function byWidth(table) {
    return function (index, options) {
      var width = (options && options.width) || "wide";
      return (table[width] || table.wide)[index];
    };
  }

  function fixed(text) {
    return function () { return text; };
  }

  // Names are only shown, never typed (the field reads DD/MM/YYYY), so parsing names is left unsupported.
  function noMatch() { return null; }

  var vi = {
    code: "vi",
    localize: {
      ordinalNumber: function (n) { return String(n); },
      era: function (index) { return index ? "SCN" : "TCN"; },
      quarter: function (q) { return "Quý " + q; },
      month: byWidth(MONTHS),
      day: byWidth(DAYS),
      dayPeriod: function (period) { return period === "pm" || period === "afternoon" || period === "evening" ? "CH" : "SA"; }
    },
    formatLong: { date: fixed("dd/MM/y"), time: fixed("HH:mm"), dateTime: fixed("{{date}} {{time}}") },
    formatDistance: function (token, count) { return String(count); },
    formatRelative: fixed("P"),
    match: { ordinalNumber: noMatch, era: noMatch, quarter: noMatch, month: noMatch, day: noMatch, dayPeriod: noMatch },
    options: { weekStartsOn: 1, firstWeekContainsDate: 1 }
  };

  window.dateFns = window.dateFns || {};
  window.dateFns.locale = Object.assign({ vi: vi }, window.dateFns.locale || {});
})();
