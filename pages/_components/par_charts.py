"""Charts of the PAR INDEX page: the ranking coloured by group A–D, the units × areas heat map, a unit's points
lost by area and its areas against last year (figures built as dicts and validated once: charts.py says why)."""
from __future__ import annotations


from common.formats import vn_number, vn_percent, vn_score
from pages._components.charts import LABEL_CHARS, NAMES_AXIS, figure, layout_of, merged, target_line, wrap_text

__all__ = ["GROUP_COLORS", "ranking_bars", "area_heatmap", "lost_bars", "area_change_bars"]

# Okabe–Ito, colour-blind safe; the group letter is also written in every bar, so the chart reads in grayscale.
GROUP_COLORS = {"A": "#009E73", "B": "#0072B2", "C": "#E69F00", "D": "#D55E00"}
_OTHER = "#6B7280"


def _area_label(code: str, name: str, width: int = 22) -> str:
    return wrap_text(f"{code}. {name}", width)


def _short_label(code: str, name: str) -> str:
    """'1. Công tác chỉ…': an area named in a few words where a chart has little room (the hover has it whole)."""
    words = name.split()
    return f"{code}. {' '.join(words[:3])}{'…' if len(words) > 3 else ''}"


# Neighbouring thresholds' labels on two lines: 10 points apart is ~50 px on a phone, less than a label's width.
_LABEL_STEP = 20
# The axis title is centred on the plot, right of the unit names: on a phone that is ~250 px, ~32 characters.
_AXIS_TITLE_CHARS = 32


def ranking_bars(rows: list[dict], groups: list[dict], title: str) -> dict:
    """Index of each ranked unit, best at the top, coloured by its group, the group thresholds as lines; a click on
    a bar opens the unit (its code is customdata[4])."""
    shown = [r for r in rows if r["index"] is not None]
    # The axis starts a little below the lowest index (the units differ by a few points, not by tens), and says so;
    # bars are drawn from there (base), so each bar's figure, written at its start, stays clear of the threshold
    # lines near the bars' ends.
    low = min([r["index"] * 100 for r in shown] + [60])
    start = max(0, low - 5)
    note = f" – trục bắt đầu từ {vn_number(start, 0)} %" if start > 0 else ""
    # names in short lines, as charts.ranked_bars: a department's one-line name took a phone's width from its bar
    names = [wrap_text(f"{r['rank'] or '–'}. {r['name']}", LABEL_CHARS) for r in shown]
    lines = sum(n.count("<br>") + 1 for n in names)
    data = [{"type": "bar", "x": [r["index"] * 100 - start for r in shown], "base": start, "orientation": "h",
             "y": names,
             "marker": {"color": [GROUP_COLORS.get(r["group"], _OTHER) for r in shown]},
             "text": [f"{vn_percent(r['index'])} · {r['group']}" for r in shown], "textposition": "inside",
             "insidetextanchor": "start", "textfont": {"color": "#fff"}, "constraintext": "none",
             "customdata": [[r["name"], vn_score(r["points"]), vn_score(r["max_points"]), r["group"], r["unit"]]
                            for r in shown],
             "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}/%{customdata[2]} điểm · xếp loại "
                              "%{customdata[3]}<br><i>Bấm để xem đơn vị</i><extra></extra>"}]
    # the thresholds as full-height lines (what fig.add_vline draws) with their label above the plot
    limits = [g for g in groups if g["min_index"] > 0]
    xaxis = {"range": [start, 100], "ticksuffix": " %",
             "title": {"text": wrap_text(f"Chỉ số CCHC (điểm đạt / tối đa){note}", _AXIS_TITLE_CHARS)}}
    layout = layout_of(title, max(260, 16 * lines + 12 * len(shown) + 130), xaxis, NAMES_AXIS,
                       # under the bars: a line never runs through a bar's figure
                       shapes=[{**target_line(g["min_index"] * 100, color="#374151", dash="dot", width=1),
                                "layer": "below"} for g in limits],
                       annotations=[{"x": g["min_index"] * 100, "y": 1, "yref": "paper", "yanchor": "bottom",
                                     "showarrow": False, "text": f"{g['group']} từ {vn_score(g['min_index'] * 100)} %",
                                     "font": {"size": 11}, "yshift": _LABEL_STEP * (i % 2)}
                                    for i, g in enumerate(sorted(limits, key=lambda g: g["min_index"]))])
    return figure(data, merged(layout, {"margin": {"t": 70 + _LABEL_STEP}, "showlegend": False}))


def area_heatmap(rows: list[dict], areas: list[dict], title: str) -> dict:
    """Units (ranked) × areas: each cell the unit's index in the area; blank where the area does not apply."""
    shown = [r for r in rows if r["index"] is not None]
    z, text = [], []
    for r in shown:
        cells = [r["areas"].get(a["code"]) or {} for a in areas]
        z.append([None if c.get("index") is None else c["index"] * 100 for c in cells])
        text.append([vn_percent(c.get("index"), 0) if c.get("index") is not None else "–" for c in cells])
    data = [{"type": "heatmap", "z": z, "x": [_area_label(a["code"], a["name"]) for a in areas],
             "y": [r["name"] for r in shown], "text": text, "texttemplate": "%{text}", "colorscale": "Blues",
             "zmin": 40, "zmax": 100, "colorbar": {"title": "%", "ticksuffix": " %"},
             "hovertemplate": "<b>%{y}</b><br>%{x}<br>%{text}<extra></extra>", "xgap": 1, "ygap": 1}]
    layout = layout_of(title, max(300, 22 * len(shown) + 170), {"side": "top", "tickangle": 0},
                       NAMES_AXIS)
    return figure(data, merged(layout, {"margin": {"t": 120}}))


def lost_bars(areas: list[dict], title: str) -> dict:
    """A unit's points kept and lost in each area, stacked to the area's maximum."""
    labels = [_short_label(a["code"], a["name"]) for a in areas]
    names = [f"{a['code']}. {a['name']} (tối đa {vn_score(a['max_points'])} điểm)" for a in areas]
    data = [
        {"type": "bar", "y": labels, "x": [a["points"] for a in areas], "orientation": "h", "name": "Điểm đạt",
         "marker": {"color": "#0072B2"}, "text": [vn_score(a["points"]) for a in areas], "textposition": "inside",
         "customdata": names, "hovertemplate": "<b>%{customdata}</b><br>Điểm đạt: %{text}<extra></extra>"},
        {"type": "bar", "y": labels, "x": [a["lost_points"] for a in areas], "orientation": "h",
         "name": "Điểm bị mất",
         "marker": {"color": "#D55E00", "pattern": {"shape": "/", "fgcolor": "#fff", "size": 6}},
         "text": [vn_score(a["lost_points"]) if a["lost_points"] else "" for a in areas], "textposition": "inside",
         "customdata": names, "hovertemplate": "<b>%{customdata}</b><br>Điểm bị mất: %{text}<extra></extra>"}]
    return figure(data, layout_of(title, max(280, 34 * len(areas) + 140), {"title": {"text": "Điểm"}},
                                  NAMES_AXIS, barmode="stack"))


def area_change_bars(areas: list[dict], year: int, title: str) -> dict:
    """The unit's index in each area this year and last year, side by side."""
    labels = [_area_label(a["code"], " ".join(a["name"].split()[:3]), 12) for a in areas]
    data = [
        {"type": "bar", "x": labels, "name": f"Năm {year - 1}", "marker": {"color": "#9CA3AF"},
         "y": [None if a.get("last_year_index") is None else a["last_year_index"] * 100 for a in areas],
         "text": [vn_percent(a.get("last_year_index"), 0) for a in areas]},
        {"type": "bar", "x": labels, "name": f"Năm {year}", "marker": {"color": "#0072B2"},
         "y": [None if a["index"] is None else a["index"] * 100 for a in areas],
         "text": [vn_percent(a["index"], 0) for a in areas]}]
    yaxis = {"range": [0, 105], "ticksuffix": " %", "title": {"text": "Chỉ số của lĩnh vực"}}
    return figure(data, layout_of(title, 380, None, yaxis, barmode="group"))
