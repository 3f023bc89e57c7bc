"""Charts of a points score out of 100 (the 766 index): points per group against their maximum, and the score over
time with the band limits."""
from __future__ import annotations


from common.formats import vn_number

from .charts import LINE_COLOR, NO_TARGET_COLOR, figure, layout_of, wrap_text

__all__ = ["group_bars", "score_trend"]

_LOST_COLOR = "#D1D5DB"
_NO_DATA_COLOR = "#FFFFFF"


def group_bars(groups: list[dict], title: str | None = None) -> dict:
    """One horizontal bar per group (name, points, max_points, covered_points): the points won, the points lost,
    and the points not yet counted for lack of data (hatched), so the bar's whole length is the group's maximum."""
    names = [wrap_text(f"{g['id']}. {g['name']}", 28) for g in groups][::-1]
    won = [g["points"] or 0 for g in groups][::-1]
    lost = [g["covered_points"] - (g["points"] or 0) for g in groups][::-1]
    missing = [g["max_points"] - g["covered_points"] for g in groups][::-1]
    data = [{"type": "bar", "y": names, "x": values, "orientation": "h", "name": label,
             "marker": {"color": color, "line": {"color": NO_TARGET_COLOR, "width": 1}, "pattern": {"shape": pattern}},
             "text": [vn_number(v, 2) if v > 0.005 else "" for v in values], "textposition": "inside",
             "customdata": [vn_number(v, 2) for v in values],
             "hovertemplate": "%{y}<br>" + label + ": <b>%{customdata}</b> điểm<extra></extra>"}
            for label, values, color, pattern in (("Điểm đạt", won, LINE_COLOR, ""), ("Điểm bị mất", lost, _LOST_COLOR, ""),
                                                  ("Chưa có dữ liệu", missing, _NO_DATA_COLOR, "/"))]
    xaxis = {"title": {"text": "Điểm"}, "range": [0, max((g["max_points"] for g in groups), default=1) * 1.02]}
    return figure(data, layout_of(title, 90 + 48 * len(groups), xaxis=xaxis, barmode="stack"))


def score_trend(points: list[dict], bands: list[dict], title: str | None = None, x_title: str = "Tháng") -> dict:
    """The score per period (label, total, band; None leaves a gap, never a 0) on a 0–100 scale, the band limits
    as dotted lines."""
    # The band limits as full-width lines with their label above the left end (what fig.add_hline draws), the figure
    # built as dicts and validated once (charts.figure)
    limits = [b for b in bands if b["lower_bound"] > 0]
    shapes = [{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": b["lower_bound"],
               "y1": b["lower_bound"], "line": {"color": NO_TARGET_COLOR, "dash": "dot", "width": 1}} for b in limits]
    # Neighbouring bands' labels alternate between the left and the right end: 10 points apart is ~20 px on a
    # phone's short chart, less than a label's height.
    ordered = sorted(limits, key=lambda b: b["lower_bound"])
    annotations = [{"text": f"{b['band']} từ {vn_number(b['lower_bound'])}", "showarrow": False,
                    "xref": "x domain", "x": i % 2, "xanchor": ("left", "right")[i % 2], "yref": "y",
                    "y": b["lower_bound"], "yanchor": "bottom", "font": {"size": 11}} for i, b in enumerate(ordered)]
    data = [{"type": "scatter", "x": [p["label"] for p in points], "y": [p["total"] for p in points],
             "mode": "lines+markers", "name": "Tổng điểm", "line": {"color": LINE_COLOR, "width": 2},
             "marker": {"size": 7}, "connectgaps": False,
             "customdata": [[vn_number(p["total"], 2) if p["total"] is not None else "–", p.get("band") or "–",
                             p.get("coverage") or ""] for p in points],
             "hovertemplate": "%{x}<br>Tổng điểm: <b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}"
                              "<extra></extra>"}]
    return figure(data, layout_of(title, 320, xaxis={"title": {"text": x_title}, "type": "category"},
                                  yaxis={"title": {"text": "Điểm (thang 100)"}, "range": [0, 102]},
                                  shapes=shapes, annotations=annotations))
