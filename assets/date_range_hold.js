// The "Từ ngày – đến ngày" picker applies a range when it is finished, not half-way.
//
// Why: Dash's picker commits a typed start date on Tab, and the period is written into the address at once,
// which redraws the page for the new figures. On a busy server that redraw landed while the user was typing
// the end date, replaced the picker and dropped what was typed (CI, 2026-12-03). So a change made while the
// focus is still inside the picker is held, and applied when the end date is confirmed (Enter, Tab or a day
// clicked in the calendar) or when the focus leaves the picker.
(function () {
  var START_ID = "filters-khoang";
  var END_ID = "filters-khoang-end-date";
  var STORE_ID = "filters-khoang-applied";

  function picker() {
    var input = document.getElementById(START_ID);
    return input ? input.closest(".dash-datepicker") : null;
  }

  // "31/03/2022" (the picker's display format) → "2022-03-31"; null when it is not a whole date.
  function isoFromTyped(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) return null;
    var day = Number(m[1]), month = Number(m[2]), year = Number(m[3]);
    var d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
    return d.toISOString().slice(0, 10);
  }

  // What the fields show now: the held range, with any whole date typed since in its place.
  function shownRange(held) {
    var start = isoFromTyped((document.getElementById(START_ID) || {}).value) || held[0];
    var end = isoFromTyped((document.getElementById(END_ID) || {}).value) || held[1];
    return start && end && end < start ? [end, start] : [start, end];
  }

  function apply(element) {
    var held = element._cchcHeldRange;
    if (!held) return;
    element._cchcHeldRange = null;
    window.dash_clientside.set_props(STORE_ID, {data: shownRange(held)});
  }

  function listenOnce(element) {
    if (element._cchcListening) return;
    element._cchcListening = true;
    element.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !element.contains(e.relatedTarget)) apply(element);
    });
    element.addEventListener("keydown", function (e) {
      // Enter on an end date that did not change: the picker sends nothing, the held start still applies.
      if (e.key === "Enter" && e.target && e.target.id === END_ID) apply(element);
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    cchc_dates: {
      hold_until_finished: function (start, end) {
        var triggered = (window.dash_clientside.callback_context.triggered || []).map(function (t) {
          return t.prop_id;
        });
        var element = picker();
        var endConfirmed = end && triggered.indexOf(START_ID + ".end_date") !== -1;
        if (endConfirmed || !element || !element.contains(document.activeElement)) {
          if (element) element._cchcHeldRange = null;
          return [start, end];
        }
        element._cchcHeldRange = [start, end];
        listenOnce(element);
        return window.dash_clientside.no_update;
      },
    },
  });
})();
