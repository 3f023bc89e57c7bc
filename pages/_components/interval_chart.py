"""Survey charts: shares with their 95 % intervals (ranked bars, elements, expectations) and per-peer-group bar panels."""
from __future__ import annotations

import math


from common.formats import vn_int, vn_number, vn_points, vn_target, vn_value
from pages._components.charts import (NAMES_AXIS, MET_COLOR, NO_TARGET_COLOR, NOT_MET_COLOR, TARGET_COLOR, AXIS_X, AXIS_Y,
                                      figure, layout_of, merged, target_line, wrap_text)

__all__ = ["interval_text", "interval_bars", "element_bars", "share_bars", "panel_bars", "criteria_heatmap",
           "LAST_YEAR_COLOR", "ERROR_BAR"]

LAST_YEAR_COLOR = "#9CA3AF"
ERROR_BAR = {"type": "data", "symmetric": False, "color": "#1F2933", "thickness": 1.5, "width": 5}
_MARKS = {True: "✔ Đạt", False: "✘ Chưa đạt", None: ""}


def interval_text(ci) -> str:
    """'84,12 – 89,20 %' (a Wilson interval given as fractions), '–' without one."""
    if not ci or ci[0] is None or ci[1] is None:
        return "–"
    return f"{vn_number(ci[0] * 100, 2)} – {vn_number(ci[1] * 100, 2)} %"


def _errors(values: list, cis: list) -> dict:
    # Plotly wants the whisker lengths, not the ends; a missing interval draws no whisker rather than failing.
    plus = [(ci[1] - v) * 100 if v is not None and ci else 0 for v, ci in zip(values, cis)]
    minus = [(v - ci[0]) * 100 if v is not None and ci else 0 for v, ci in zip(values, cis)]
    return {**ERROR_BAR, "array": plus, "arrayminus": minus}


def _axis_start(lows: list[float]) -> float:
    """A round start for a percent axis (a multiple of 10 below every interval): shares of 70–97 % would all look
    alike on an axis from 0; the axis title says where it starts."""
    low = min(lows) if lows else 0.0
    return 0.0 if low < 30 else float(max(0, math.floor((low - 2) / 10) * 10))


def _met_colors(flags: list) -> tuple[list[str], list[str]]:
    colors = [MET_COLOR if f else NOT_MET_COLOR if f is False else NO_TARGET_COLOR for f in flags]
    patterns = ["/" if f is False else "" for f in flags]   # "not met" reads in grayscale too
    return colors, patterns


def interval_bars(rows: list[dict], name_vi: str, comparator: str | None = None, target: float | None = None,
                  title: str | None = None) -> dict:
    """One peer group ranked, best at the top: horizontal bars of a share (rows: label, value, ci95, is_met,
    valid, name, key) with their 95 % interval as whiskers and the target as a dashed vertical line."""
    values = [r["value"] for r in rows]
    colors, patterns = _met_colors([r.get("is_met") for r in rows])
    hover = [[r["name"], vn_value(r["value"]), interval_text(r.get("ci95")), vn_int(r.get("valid")),
              _MARKS[r.get("is_met")] or "chưa có chỉ tiêu", r.get("key")] for r in rows]
    lows = [r["ci95"][0] * 100 for r in rows if r.get("ci95")] + [v * 100 for v in values]
    if target is not None:
        lows.append(target * 100)
    start = _axis_start(lows)
    # Bars drawn from the axis start (base), not from 0 off-screen, so the value written inside them shows.
    data = [{"type": "bar",
             "x": [v * 100 - start for v in values], "base": start, "y": [r["label"] for r in rows], "orientation": "h",
             "text": [f"{vn_value(r['value'])} {_MARKS[r.get('is_met')]}".strip() for r in rows],
             "textposition": "inside", "insidetextanchor": "start", "textfont": {"color": "#fff"},
             "marker": {"color": colors, "pattern": {"shape": patterns, "fgcolor": "#fff", "size": 6}},
             "error_x": _errors(values, [r.get("ci95") for r in rows]), "customdata": hover, "name": name_vi,
             "hovertemplate": ("<b>%{customdata[0]}</b><br>" + name_vi + ": %{customdata[1]}<br>"
                               "Khoảng tin cậy 95 %: %{customdata[2]}<br>%{customdata[3]} phiếu hợp lệ<br>"
                               "%{customdata[4]}<br><i>Bấm để xem đơn vị</i><extra></extra>")}]
    extra = {}
    if target is not None:
        extra["shapes"] = [target_line(target * 100)]
        extra["annotations"] = [{"x": target * 100, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                                 "text": f"Chỉ tiêu {vn_target(comparator, target)}", "font": {"color": TARGET_COLOR}}]
    note = f" – trục bắt đầu từ {vn_number(start)} %" if start > 0 else ""
    xaxis = {"range": [start, 100.5], "ticksuffix": " %", "title": {"text": f"{name_vi} (%){note}"}}
    layout = layout_of(title, max(220, 26 * len(rows) + 130), xaxis, NAMES_AXIS,
                       **extra)
    return figure(data, merged(layout, {"margin": {"t": 64}, "showlegend": False}))


def element_bars(elements: dict, current_label: str, last_label: str, title: str | None = None) -> dict:
    """The five elements side by side: this period's index with its interval, last year's index beside it in
    grey (elements: {"1": {name, index, valid, ci95, last_year_index}, …})."""
    keys = sorted(elements, key=int)
    x = [wrap_text(f"{k}. {elements[k]['name']}", 22) for k in keys]
    now = [elements[k]["index"] for k in keys]
    before = [elements[k].get("last_year_index") for k in keys]
    data = []
    if any(v is not None for v in before):
        data.append({"type": "bar",
                     "x": x, "y": [None if v is None else v * 100 for v in before], "name": last_label,
                     "marker": {"color": LAST_YEAR_COLOR, "pattern": {"shape": ".", "fgcolor": "#fff", "size": 5}},
                     "text": [vn_value(v) if v is not None else "" for v in before], "textposition": "inside",
                     "customdata": [[elements[k]["name"], vn_value(v)] for k, v in zip(keys, before)],
                     "hovertemplate": "<b>%{customdata[0]}</b><br>" + last_label + ": %{customdata[1]}<extra></extra>"})
    data.append({"type": "bar",
                 "x": x, "y": [None if v is None else v * 100 for v in now], "name": current_label,
                 "marker": {"color": MET_COLOR}, "text": [vn_value(v) if v is not None else "" for v in now],
                 "textposition": "inside", "textfont": {"color": "#fff"},
                 "error_y": {**_errors(now, [elements[k].get("ci95") for k in keys])},
                 "customdata": [[elements[k]["name"], vn_value(elements[k]["index"]), interval_text(elements[k].get("ci95")),
                                 vn_int(elements[k].get("valid")), vn_points(elements[k].get("change_points"))] for k in keys],
                 "hovertemplate": ("<b>%{customdata[0]}</b><br>" + current_label + ": %{customdata[1]}<br>"
                                   "Khoảng tin cậy 95 %: %{customdata[2]}<br>%{customdata[3]} câu trả lời hợp lệ<br>"
                                   "So với năm trước: %{customdata[4]}<extra></extra>")})
    layout = layout_of(title, 400, {"type": "category"},
                       {"range": [0, 102], "ticksuffix": " %", "title": {"text": "Chỉ số hài lòng (%)"}},
                       barmode="group", bargap=0.25)
    return figure(data, merged(layout, {"legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                                        "margin": {"t": 72, "b": 90}}))


def share_bars(items: list[dict], title: str | None = None) -> dict:
    """Shares of respondents choosing each option (items: name, share, chosen, valid, ci95), largest at the top,
    each with its interval and its count written after the whisker."""
    names = [wrap_text(i["name"], 48) for i in items]
    shares = [i["share"] for i in items]
    data = [{"type": "bar",
             "x": [s * 100 for s in shares], "y": names, "orientation": "h", "marker": {"color": "#009E73"},
             "error_x": _errors(shares, [i.get("ci95") for i in items]),
             "customdata": [[i["name"], vn_value(i["share"]), vn_int(i["chosen"]), vn_int(i["valid"]),
                             interval_text(i.get("ci95"))] for i in items],
             "hovertemplate": ("<b>%{customdata[0]}</b><br>%{customdata[1]} người trả lời chọn "
                               "(%{customdata[2]}/%{customdata[3]} phiếu)<br>Khoảng tin cậy 95 %: %{customdata[4]}"
                               "<extra></extra>")}]
    # The labels sit after the upper whisker so the whisker never runs through the text.
    ends = [(i["ci95"][1] if i.get("ci95") else i["share"]) * 100 for i in items]
    data.append({"type": "scatter",
                 "x": ends, "y": names, "mode": "text", "textposition": "middle right", "cliponaxis": False,
                 "hoverinfo": "skip", "text": [f"  {vn_value(i['share'])} ({vn_int(i['chosen'])} phiếu)" for i in items]})
    xaxis = {"range": [0, max(ends or [10]) * 1.35], "ticksuffix": " %", "title": {"text": "Tỷ lệ người trả lời chọn (%)"}}
    return figure(data, layout_of(title, max(240, 40 * len(items) + 120), xaxis,
                                  NAMES_AXIS, showlegend=False))


def panel_bars(groups: list[tuple[str, list[dict]]], x_title: str, title: str | None = None,
               target: tuple[str, float] | None = None, diverging: bool = False, tick_suffix: str = "") -> dict:
    """One panel of horizontal bars per peer group, one x axis for all (groups: [(group name, rows)], rows:
    name, x, text, hover, is_met). Peers stay in their own panel, so a district is never read against a
    department. diverging: bars from 0 coloured by sign (a change in points); otherwise percentages coloured by
    met / not met, drawn from a round axis start (said in the axis title), with the target (comparator,
    fraction) as a dashed line in every panel (the caller's caption says what the line is)."""
    groups = [(g, rows) for g, rows in groups if rows]
    counts = [len(rows) for _, rows in groups] or [1]
    xs = [r["x"] for _, rows in groups for r in rows] or [0.0]
    if diverging:
        start, lo, hi = 0.0, min(0.0, min(xs)), max(0.0, max(xs))
        span = max(hi - lo, 2.0)   # a change of 0,03 points must not fill the panel as if it were large
        # Room for the labels written outside the bars, on both sides of 0.
        x_range = [lo - span * 0.45 if lo < 0 else -span * 0.02, max(hi, lo + span) + span * 0.35]
    else:
        start = _axis_start(xs + ([target[1] * 100] if target else []))
        top = max(xs + [start + 1])
        x_range = [start, top + (top - start) * 0.25]
        if start > 0:
            x_title += f" – trục bắt đầu từ {vn_number(start)} %"
    height = 70 + sum(22 * n + 56 for n in counts)
    spacing = min(0.3, 48 / height) if len(groups) > 1 else 0.0
    layout = _panels(counts if groups else [1], spacing, [g for g, _ in groups])
    n = max(1, len(groups))
    data, shapes = [], []
    for i, (_, rows) in enumerate(groups, start=1):
        if diverging:
            colors = [MET_COLOR if r["x"] >= 0 else NOT_MET_COLOR for r in rows]
            patterns = ["" if r["x"] >= 0 else "/" for r in rows]
        else:
            colors, patterns = _met_colors([r.get("is_met") for r in rows])
        data.append({"type": "bar",
                     "x": [r["x"] - start for r in rows], "base": start, "y": [r["name"] for r in rows], "orientation": "h",
                     "text": [r["text"] for r in rows], "textposition": "outside", "cliponaxis": False,
                     "marker": {"color": colors, "pattern": {"shape": patterns, "fgcolor": "#fff", "size": 6}},
                     "customdata": [r["hover"] for r in rows], "hovertemplate": "%{customdata}<extra></extra>",
                     "xaxis": _axis_ref("x", i), "yaxis": _axis_ref("y", i)})
        layout[_axis_key("yaxis", i)].update(NAMES_AXIS)
        if target is not None:
            shapes.append(target_line(target[1] * 100, _axis_ref("x", i), f"{_axis_ref('y', i)} domain"))
    if diverging:   # plotly's add_vline without a row: one line in every panel that has bars
        shapes += [target_line(0, _axis_ref("x", i), f"{_axis_ref('y', i)} domain", color="#374151", width=1)
                   for i in range(1, len(groups) + 1)]
    for i in range(1, n + 1):
        layout[_axis_key("xaxis", i)] = merged(layout[_axis_key("xaxis", i)],
                                               {"showticklabels": True, "range": x_range, "ticksuffix": tick_suffix},
                                               {"title": {"text": x_title}} if i == n else {}, AXIS_X)
        layout[_axis_key("yaxis", i)] = merged(layout[_axis_key("yaxis", i)], AXIS_Y)
    if shapes:
        layout["shapes"] = shapes
    base = layout_of(title, height, showlegend=False, margin={"t": 64})
    del base["xaxis"], base["yaxis"]
    return figure(data, merged(base, layout))


def _axis_key(kind: str, i: int) -> str:
    return kind if i == 1 else f"{kind}{i}"


def _axis_ref(letter: str, i: int) -> str:
    return letter if i == 1 else f"{letter}{i}"


def _panels(row_heights: list[int], spacing: float, titles: list[str]) -> dict:
    """The layout make_subplots(rows=len(row_heights), cols=1, shared_xaxes=True, row_heights=…,
    vertical_spacing=spacing, subplot_titles=titles) gives (its arithmetic, so the same domains to the last bit):
    make_subplots itself took ~40 ms a chart."""
    n = len(row_heights)
    cum = float(sum(row_heights))
    heights = list(reversed([(1.0 - spacing * (n - 1)) * (h / cum) for h in row_heights]))
    grid = [sum(heights[:r]) + r * spacing for r in range(n)[::-1]]   # the first row at the top
    layout, annotations = {}, []
    for r in range(n):
        y_s, y_e = grid[r] + 0.0, grid[r] + heights[-1 - r] - 0.0
        y_s = 0.0 if -0.01 < y_s < 0.0 else 1.0 if 1.0 < y_s < 1.01 else y_s   # plotly's rounding of its own errors
        y_e = 0.0 if -0.01 < y_e < 0.0 else 1.0 if 1.0 < y_e < 1.01 else y_e
        i = r + 1
        layout[_axis_key("xaxis", i)] = {"anchor": _axis_ref("y", i), "domain": [0.0, 1.0],
                                         **({"matches": _axis_ref("x", n), "showticklabels": False} if i < n else {})}
        layout[_axis_key("yaxis", i)] = {"anchor": _axis_ref("x", i), "domain": [y_s, y_e]}
        if r < len(titles) and titles[r]:
            annotations.append({"font": {"size": 16}, "showarrow": False, "text": titles[r], "x": 0.5,
                                "xanchor": "center", "xref": "paper", "y": y_e, "yanchor": "bottom", "yref": "paper"})
    if annotations:
        layout["annotations"] = annotations
    return layout


def criteria_heatmap(units: list[dict], criteria: dict, title: str | None = None) -> dict:
    """Units (rows of compute_sipas by unit, one peer group) × criteria: each cell the unit's criterion index,
    coloured by its distance from the whole scope's index of that criterion (criteria: the total's {code: …}), so
    a district weak on one criterion stands out. Cells under 30 valid answers carry a * and a paler colour."""
    codes = sorted(criteria, key=lambda c: tuple(int(p) if p.isdigit() else p for p in c.split(".")))
    z, text, hover = [], [], []
    for u in units:
        z_row, t_row, h_row = [], [], []
        for code in codes:
            cell, whole = u["criteria"].get(code) or {}, criteria[code]
            value, valid = cell.get("index"), cell.get("valid") or 0
            diff = None if value is None or whole.get("index") is None else (value - whole["index"]) * 100
            small = valid < 30
            z_row.append(None if diff is None else diff * (0.5 if small else 1))
            t_row.append("" if value is None else vn_number(value * 100, 1) + ("*" if small else ""))
            h_row.append(f"<b>{u['name']}</b><br>{code}. {criteria[code]['name']}<br>{vn_value(value)} "
                         f"({vn_int(valid)} câu trả lời hợp lệ)<br>So với toàn phạm vi: {vn_points(diff)}")
        z.append(z_row), text.append(t_row), hover.append(h_row)
    data = [{"type": "heatmap",
             "z": z, "x": codes, "y": [u["name"] for u in units], "text": text, "texttemplate": "%{text}",
             "textfont": {"size": 10}, "customdata": hover, "hovertemplate": "%{customdata}<extra></extra>", "zmid": 0,
             "zmin": -10, "zmax": 10, "colorscale": [[0, "#B2182B"], [0.5, "#F7F7F7"], [1, "#2166AC"]], "xgap": 1, "ygap": 1,
             "colorbar": {"title": {"text": "Chênh lệch<br>(điểm %)", "side": "top"}, "ticksuffix": "", "thickness": 12}}]
    xaxis = {"type": "category", "side": "top",
             "title": {"text": "Mã tiêu chí (tên tiêu chí: di chuột vào ô hoặc xem bảng tiêu chí)"}}
    layout = layout_of(title, max(260, 24 * len(units) + 150), xaxis,
                       {**NAMES_AXIS, "type": "category"})
    return figure(data, merged(layout, {"margin": {"t": 96 if title else 72, "l": 8}}))
