"""Charts of counts per group (late dossiers, volumes by channel, the online catalogue) and a group × month grid."""
from __future__ import annotations

from plotly.colors import get_colorscale

from common.formats import vn_int, vn_number, vn_value
from pages._components.charts import CHANNEL_COLORS, NAMES_AXIS, figure, layout_of

__all__ = ["late_bars", "volume_bars", "catalogue_bars", "task_bars", "month_grid", "LATE_COLORS", "LEVEL_COLORS",
           "TASK_COLORS"]

# The month grid's colour scale spelt out as go.Figure wrote the name "Blues" (charts.figure sends plain dicts).
BLUES = get_colorscale("Blues")
# Okabe–Ito, as charts.py; the second series of a stack also gets a hatch so the chart reads in grayscale.
LATE_COLORS = {"resolved_late": "#D55E00", "pending_overdue": "#E69F00"}
LEVEL_COLORS = {"full": "#0072B2", "partial": "#56B4E9", "none": "#BBBBBB"}
TASK_COLORS = {"done_on_time": "#0072B2", "done_late": "#56B4E9", "under_way": "#BBBBBB", "recurring": "#009E73",
               "overdue": "#D55E00"}


def _label(name: str, selected: bool) -> str:
    return f"<b>▶ {name}</b>" if selected else name


def _height(n: int) -> int:
    return max(260, 26 * n + 140)


def late_bars(rows: list[dict], selected: str | None = None, title: str | None = None) -> dict:
    """Groups ranked by late dossiers (resolved late + pending overdue, stacked), most at the top, each with its
    total and late rate written at the bar's end. Rows: key, name, resolved_late, pending_overdue, late_rate."""
    series = (("resolved_late", "Giải quyết quá hạn", LATE_COLORS["resolved_late"], ""),
              ("pending_overdue", "Đang giải quyết quá hạn", LATE_COLORS["pending_overdue"], "/"))
    return _count_bars(rows, selected, title, series, [r["resolved_late"] + r["pending_overdue"] for r in rows],
                       ("late_rate", "tỷ lệ trễ hạn", "Tỷ lệ trễ hạn"), "Hồ sơ trễ hạn", "Số hồ sơ trễ hạn")


def volume_bars(rows: list[dict], selected: str | None = None, title: str | None = None) -> dict:
    """Groups ranked by dossiers received in the period, stacked by channel, the online share at the bar's end."""
    series = (("received_online", "Trực tuyến", CHANNEL_COLORS["received_online"], ""),
              ("received_direct", "Trực tiếp", CHANNEL_COLORS["received_direct"], "/"),
              ("received_postal", "Bưu chính công ích", CHANNEL_COLORS["received_postal"], "."))
    return _count_bars(rows, selected, title, series, [r["received_new"] for r in rows],
                       ("online_rate", "trực tuyến", "Tỷ lệ trực tuyến"), "Hồ sơ mới tiếp nhận",
                       "Số hồ sơ mới tiếp nhận")


def _count_bars(rows: list[dict], selected: str | None, title: str | None, series: tuple, totals: list,
                rate: tuple[str, str, str], total_name: str, axis_title: str) -> dict:
    """Dossier counts per group as stacked horizontal bars (series: row key, label, colour, hatch), the total and
    a rate (row key, word at the bar's end, name in the hover) after each bar; every point's customdata ends
    with the group's key, which a click reads."""
    rate_key, rate_word, rate_name = rate
    names = [_label(r["name"], selected is not None and r["key"] == selected) for r in rows]
    data = [{"type": "bar", "x": [r[col] for r in rows], "y": names, "orientation": "h", "name": label,
             "marker": {"color": color, "pattern": {"shape": pattern, "fgcolor": "#fff", "size": 6}},
             "customdata": [[r["name"], vn_int(r[col]), r["key"]] for r in rows],
             "hovertemplate": "<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]} hồ sơ<extra></extra>"}
            for col, label, color, pattern in series]
    data.append({"type": "scatter",
                 "x": totals, "y": names, "mode": "text", "textposition": "middle right", "showlegend": False,
                 "cliponaxis": False,
                 "text": [f"  {vn_int(t)} · {rate_word} {vn_value(r.get(rate_key))}" for t, r in zip(totals, rows)],
                 "customdata": [[r["name"], vn_int(t), vn_value(r.get(rate_key)), r["key"]] for t, r in zip(totals, rows)],
                 "hovertemplate": "<b>%{customdata[0]}</b><br>" + total_name + ": %{customdata[1]}<br>"
                                  + rate_name + ": %{customdata[2]}<extra></extra>"})
    return _stacked(data, title, len(rows), {"title": {"text": axis_title}, "tickformat": ",d",
                                             "range": [0, max(totals or [1]) * 1.45]})


def _stacked(data: list[dict], title: str | None, n: int, xaxis: dict) -> dict:
    """A stacked bar chart of n groups (plain trace dicts): first group at the top, the legend above the bars."""
    return figure(data, layout_of(title, _height(n), xaxis, NAMES_AXIS,
                                  barmode="stack", margin={"t": 70},
                                  legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0,
                                          "traceorder": "normal"}))


def catalogue_bars(rows: list[dict], title: str | None = None) -> dict:
    """Procedures of each group's catalogue by online level (full / partial / none), the online share at the end.
    Rows: name, procedure_count, online_procedures_full, online_procedures_partial, online_procedure_rate."""
    names = [r["name"] for r in rows]
    series = (("full", "Toàn trình", "", [r["online_procedures_full"] for r in rows]),
              ("partial", "Một phần", "/", [r["online_procedures_partial"] for r in rows]),
              ("none", "Không cung cấp DVCTT", ".",
               [r["procedure_count"] - r["online_procedures_full"] - r["online_procedures_partial"] for r in rows]))
    data = [{"type": "bar", "x": values, "y": names, "orientation": "h", "name": label,
             "marker": {"color": LEVEL_COLORS[key], "pattern": {"shape": pattern, "fgcolor": "#fff", "size": 6}},
             "customdata": [[r["name"], vn_int(v)] for r, v in zip(rows, values)],
             "hovertemplate": "<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]} TTHC<extra></extra>"}
            for key, label, pattern, values in series]
    totals = [r["procedure_count"] for r in rows]
    data.append(_totals_text(totals, names, [f"  {vn_int(t)} TTHC · DVCTT {vn_value(r.get('online_procedure_rate'))}"
                                             for t, r in zip(totals, rows)]))
    return _stacked(data, title, len(rows), {"title": {"text": "Số thủ tục hành chính trong danh mục"},
                                             "tickformat": ",d", "range": [0, max(totals or [1]) * 1.5]})


def _totals_text(totals: list, names: list[str], text: list[str]) -> dict:
    """The text written after each stacked bar (no hover of its own)."""
    return {"type": "scatter", "x": totals, "y": names, "mode": "text", "textposition": "middle right",
            "showlegend": False, "cliponaxis": False, "text": text, "hoverinfo": "skip"}


def task_bars(rows: list[dict], buckets: dict[str, str], title: str | None = None) -> dict:
    """A plan's nhiệm vụ per group by bucket (buckets: key → name, in stacking order), "done/tasks · rate" at the
    bar's end. Rows: name, tasks, done, done_rate and a count per bucket."""
    names = [r["name"] for r in rows]
    patterns = {"done_late": "/", "under_way": ".", "recurring": "x", "overdue": "\\"}
    data = [{"type": "bar", "x": [r[key] for r in rows], "y": names, "orientation": "h", "name": label,
             "marker": {"color": TASK_COLORS[key], "pattern": {"shape": patterns.get(key, ""), "fgcolor": "#fff",
                                                               "size": 6}},
             "customdata": [[r["name"], vn_int(r[key])] for r in rows],
             "hovertemplate": "<b>%{customdata[0]}</b><br>" + label + ": %{customdata[1]} nhiệm vụ<extra></extra>"}
            for key, label in buckets.items()]
    totals = [r["tasks"] for r in rows]
    data.append(_totals_text(totals, names, [f"  {vn_int(r['done'])}/{vn_int(r['tasks'])} · {vn_value(r.get('done_rate'))}"
                                             for r in rows]))
    return _stacked(data, title, len(rows), {"title": {"text": "Số nhiệm vụ (không tính chỉ tiêu)"}, "tickformat": ",d",
                                             "range": [0, max(totals or [1]) * 1.4]})


def month_grid(groups: list[dict], months: list[str], name_vi: str, title: str | None = None) -> dict:
    """A group × month grid of one rate (rows of compute_indicator_by_month: name, series of cells with value
    and is_met): the value written in each cell, ✘ where the target is missed, blank where there is no value."""
    z, text, hover = [], [], []
    marks = {True: "", False: " ✘", None: ""}
    for g in groups:
        cells = {c["month"]: c for c in g["series"]}
        z.append([None if cells.get(m, {}).get("value") is None else cells[m]["value"] * 100 for m in months])
        text.append([vn_number(cells[m]["value"] * 100, 1) + marks[cells[m].get("is_met")]
                     if cells.get(m, {}).get("value") is not None else "" for m in months])
        hover.append([f"{g['name']} – tháng {m[5:7]}/{m[:4]}: {vn_value(cells.get(m, {}).get('value'))}"
                      + {True: " (✔ đạt chỉ tiêu)", False: " (✘ chưa đạt chỉ tiêu)", None: ""}[cells.get(m, {}).get("is_met")]
                      for m in months])
    data = [{"type": "heatmap",
             "z": z, "x": [f"{m[5:7]}/{m[:4]}" for m in months], "y": [g["name"] for g in groups], "text": text,
             "texttemplate": "%{text}", "customdata": hover, "hovertemplate": "%{customdata}<extra></extra>",
             "colorscale": BLUES, "zmin": 0, "zmax": 100, "xgap": 2, "ygap": 2,
             "colorbar": {"title": {"text": "%"}, "ticksuffix": " %", "thickness": 12}}]
    return figure(data, layout_of(title, max(260, 24 * len(groups) + 130),
                                  {"type": "category", "title": {"text": "Tháng"}, "showline": False},
                                  {**NAMES_AXIS, "gridcolor": "rgba(0,0,0,0)"}))
