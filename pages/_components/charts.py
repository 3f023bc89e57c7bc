"""Plotly figures in Vietnamese (1.234,5; axis titles; hover text) and the Graph wrapper with a PNG download."""
from __future__ import annotations

import functools
import json

import plotly.graph_objects as go
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder
from dash import dcc

from common.formats import vn_number, vn_slug, vn_target, vn_value
from indicators.ranking import rank_note

__all__ = ["graph", "base_layout", "layout_of", "figure", "merged", "target_line", "wrap_text", "trend_line", "ranked_bars",
           "stacked_months", "MET_COLOR", "NOT_MET_COLOR", "LINE_COLOR", "TARGET_COLOR",
           "LABEL_CHARS", "TITLE_CHARS"]

# Colour-blind-safe pair (blue / orange, Okabe–Ito); "not met" also gets a hatch pattern and a ✘ in its text,
# so the chart reads in grayscale too.
MET_COLOR = "#0072B2"
NOT_MET_COLOR = "#D55E00"
NO_TARGET_COLOR = "#6B7280"
LINE_COLOR = "#0072B2"
TARGET_COLOR = "#B91C1C"
CHANNEL_COLORS = {"received_online": "#0072B2", "received_direct": "#E69F00", "received_postal": "#009E73"}


def graph(graph_id: str, figure: go.Figure | dict, file_name: str, height: int | None = None) -> dcc.Graph:
    """A dcc.Graph whose mode bar shows on hover (always there, never over a title or a label at rest), with
    "download as PNG" under a Vietnamese file name."""
    # No "Share chart" button: it uploads the figure to Plotly's cloud, and these figures stay in-house.
    config = {"displaylogo": False, "displayModeBar": "hover", "responsive": True, "locale": "vi",
              "showSendToCloud": False, "showEditInChartStudio": False,
              "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud"],
              "toImageButtonOptions": {"format": "png", "filename": vn_slug(file_name), "scale": 2}}
    # style must be left out rather than None: the graph component reads style.height.
    extra = {"style": {"height": f"{height}px"}} if height else {}
    return dcc.Graph(id=graph_id, figure=figure, config=config, **extra)


def base_layout(fig: go.Figure, title: str | None = None, height: int = 360) -> go.Figure:
    """The house layout (layout_of) applied to a figure built by update calls, every x and y axis styled (subplots
    too)."""
    layout = layout_of(title, height)
    fig.update_layout({k: v for k, v in layout.items() if k not in ("xaxis", "yaxis", "title")},
                      title=layout.get("title"))
    fig.update_xaxes(AXIS_X)
    fig.update_yaxes(AXIS_Y)
    return fig


# Figures built as plain dicts (figure() sends them as go.Figure would, unvalidated): building them by update calls
# (update_layout, update_xaxes, add_vline…) re-walked the figure on every call and took ~8× as long — a page of ten
# small charts spent half a second there (benchmarks/dashboard.py --cold). The result is the same figure.

def merged(base: dict, *updates: dict) -> dict:
    """base updated by each of updates in turn, nested dicts merged key by key (as plotly's update does)."""
    out = dict(base)
    for update in updates:
        for key, value in update.items():
            out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


AXIS_X = {"showline": True, "linecolor": "#9CA3AF"}
AXIS_Y = {"gridcolor": "#E5E7EB", "zeroline": False}
# The names axis of a horizontal bar chart (rankings): first row on top, the margin fitted to the longest name, and a
# gap between each name and its bar (without it the names ended flush against the bars).
NAMES_AXIS = {"autorange": "reversed", "automargin": True, "ticklabelstandoff": 6}


def layout_of(title: str | None = None, height: int = 360, xaxis: dict | None = None, yaxis: dict | None = None,
              **extra) -> dict:
    """base_layout's layout as a dict (one x and one y axis), updated by the chart's own axes and extra keys."""
    layout = {"separators": ",.", "height": height, "margin": {"l": 60, "r": 24, "t": 48 if title else 16, "b": 48},
              "font": {"family": "Noto Sans, Arial, sans-serif", "size": 12}, "plot_bgcolor": "#fff",
              "paper_bgcolor": "#fff", "hoverlabel": {"font": {"size": 13}}, "legend": {"orientation": "h", "y": -0.18, "x": 0},
              "xaxis": merged(xaxis or {}, AXIS_X), "yaxis": merged(yaxis or {}, AXIS_Y)}
    if title:
        layout["title"] = {"text": title, "x": 0, "font": {"size": 15}}
    return merged(layout, extra)


@functools.cache
def _template() -> dict:
    """The default template go.Figure writes into every figure's layout, as JSON (a constant of plotly's)."""
    return json.loads(json.dumps(pio.templates[pio.templates.default], cls=PlotlyJSONEncoder))


def figure(data: list[dict], layout: dict) -> dict:
    """The figure of plain trace dicts (each with its "type") and a layout dict as Dash sends it: the JSON of
    go.Figure(data, layout), default template included, without building and validating Plotly objects (2–3 ms a
    chart, a tenth of a page's view on the full sample; the figures are the same, tests/test_page_helpers.py)."""
    layout = {**layout, "template": _template()}
    if "title" not in layout:
        layout["title"] = {}   # the empty title base_layout's update_layout(title=None) leaves: the same JSON
    return {"data": data, "layout": layout}


def target_line(x: float, xref: str = "x", yref: str = "y domain", **line) -> dict:
    """The shape add_vline draws: a vertical line at x across the plot's height."""
    return {"type": "line", "x0": x, "x1": x, "xref": xref, "y0": 0, "y1": 1, "yref": yref,
            "line": line or {"color": TARGET_COLOR, "dash": "dash", "width": 2}}


def _scale(unit: str) -> tuple[float, str]:
    """Rates are plotted in percent (99,89 %), durations in days."""
    return (100.0, " %") if unit == "fraction" else (1.0, " ngày")


def trend_line(months: list[dict], indicator_id: str, name_vi: str, unit: str = "fraction", decimals: int = 2,
               title: str | None = None, height: int = 320, compact: bool = False) -> dict:
    """One indicator month by month (rows of compute_monthly_trend: key, name, value, targets) with the
    target as a dashed step line; months with no value leave a gap, never a 0. compact: small multiples
    (no axis titles or legend; the caption says the dashed red line is the target)."""
    scale, suffix = _scale(unit)
    x = [f"{r['key'][5:7]}/{r['key'][:4]}" for r in months]
    y = [None if r.get(indicator_id) is None else r[indicator_id] * scale for r in months]
    data = [{"type": "scatter", "x": x, "y": y, "mode": "lines+markers", "name": name_vi,
             "line": {"color": LINE_COLOR, "width": 2}, "marker": {"size": 7}, "connectgaps": False,
             "customdata": [[r["name"], vn_value(r.get(indicator_id), unit, decimals)] for r in months],
             "hovertemplate": "%{customdata[0]}<br>" + name_vi + ": <b>%{customdata[1]}</b><extra></extra>"}]
    targets = [r.get("targets", {}).get(indicator_id) for r in months]
    if any(targets):
        ty = [t[1] * scale if t else None for t in targets]
        labels = [vn_target(t[0], t[1], unit, decimals) if t else "–" for t in targets]
        data.append({"type": "scatter", "x": x, "y": ty, "mode": "lines", "name": "Chỉ tiêu",
                     "line": {"color": TARGET_COLOR, "dash": "dash", "shape": "hv"},
                     "customdata": labels, "hovertemplate": "Chỉ tiêu: %{customdata}<extra></extra>"})
    # The axis starts at 0: zoomed to the data, a dip of 0,2 points filled the chart and read as a collapse.
    values = [v for v in y + [t[1] * scale for t in targets if t] if v is not None]
    top = max(values, default=0)
    yaxis = {"ticksuffix": suffix,
             "range": [0, max(100.0, top * 1.04)] if unit == "fraction" else [0, max(top * 1.1, 1)]}
    xaxis = {"type": "category"}
    if not compact:
        yaxis["title"] = {"text": f"{name_vi} ({suffix.strip()})"}
        xaxis["title"] = {"text": "Tháng"}
    # Small multiples are narrow and their mode bar stays on screen at the top right: a long title is broken
    # into short lines so the tool buttons never cover it.
    layout = layout_of(wrap_text(title, COMPACT_TITLE_CHARS) if compact and title else title, height, xaxis, yaxis)
    if compact:   # small multiples: the chart title names the indicator; the legend goes above the plot
        layout = merged(layout, {"margin": {"l": 56, "r": 12, "t": 60, "b": 36}, "showlegend": False})
    return figure(data, layout)


COMPACT_TITLE_CHARS = 30   # about half a small chart's width at 1366 px, left of its mode bar
LABEL_CHARS = 26           # a ranking bar's name per line: a third of a 390 px phone
TITLE_CHARS = 48           # a chart title per line: fits a 390 px phone


def wrap_text(text: str, width: int) -> str:
    """The text broken into lines of at most `width` characters at spaces: Plotly wraps neither titles nor tick
    labels itself, and takes <br>."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def ranked_bars(rows: list[dict], name_vi: str, unit: str = "fraction", decimals: int = 2,
                comparator: str | None = None, target: float | None = None, title: str | None = None) -> dict:
    """Horizontal bars, best at the top (rows of compute_ranking: name, value, is_met, rank, tied, too_small,
    volume, numerator, denominator, code), the target as a vertical line; units without a value are left out (the
    caller lists them). A unit with too few dossiers to rank has a faded bar and says so in its name; tied ranks
    say so on hover. Values are written at the start of their bars, clear of the target line near their ends."""
    scale, suffix = _scale(unit)
    shown = [r for r in rows if r.get("value") is not None]
    # Names broken into short lines: on a phone a one-line name took the whole width and left the bar 60 px.
    names = [wrap_text(f"{r['rank']}. {r['name']}" if r.get("rank") is not None
                       else f"– {r['name']} (ít hồ sơ: {vn_number(r.get('volume') or 0)})", LABEL_CHARS) for r in shown]
    colors = [MET_COLOR if r.get("is_met") else NOT_MET_COLOR if r.get("is_met") is False else NO_TARGET_COLOR
              for r in shown]
    patterns = ["" if r.get("is_met") is not False else "/" for r in shown]
    marks = {True: "✔ Đạt", False: "✘ Chưa đạt", None: ""}
    texts = [f"{vn_value(r['value'], unit, decimals)} {marks[r.get('is_met')]}".strip() for r in shown]
    hover = []
    for r in shown:
        frac = (f" ({vn_number(r['numerator'])}/{vn_number(r['denominator'])})"
                if r.get("numerator") is not None and r.get("denominator") else "")
        note = rank_note(r.get("rank"), r.get("tied") or 1, bool(r.get("too_small")))
        hover.append([r["name"], vn_value(r["value"], unit, decimals) + frac, marks[r.get("is_met")] or "chưa có chỉ tiêu",
                      r.get("code"),   # [3]: the unit code a click opens
                      f"<br>{note}" if note else ""])
    values = [r["value"] * scale for r in shown] + ([target * scale] if target is not None else [])
    start, suffix_note = 0.0, ""
    if unit == "fraction" and values:
        # Rates near 100 % differ in the decimals: start the axis near the smallest value, not at 0, and say so.
        low = min(values)
        start = max(0.0, min(low - (100 - low) * 0.5, low - 0.5)) if low > 50 else 0.0
        fig_range = [start, 100.0 if max(values) <= 100 else max(values) * 1.02]
        if start > 0:
            suffix_note = f" – trục bắt đầu từ {vn_number(start, 1)} %"
    else:
        fig_range = [0.0, max(values, default=1) * 1.05 or 1]
    # Bars drawn from the axis start (base), not from 0 off-screen, so the value written inside them shows.
    data = [{"type": "bar",
             "x": [r["value"] * scale - start for r in shown], "base": start, "y": names, "orientation": "h", "text": texts,
             "textposition": "inside", "insidetextanchor": "start", "textfont": {"color": "#fff"}, "constraintext": "none",
             "marker": {"color": colors, "pattern": {"shape": patterns, "fgcolor": "#fff", "size": 6},
                        "opacity": [0.45 if r.get("too_small") else 1 for r in shown]},
             "customdata": hover, "name": name_vi,
             "hovertemplate": ("<b>%{customdata[0]}</b><br>" + name_vi + ": %{customdata[1]}<br>%{customdata[2]}"
                               "%{customdata[4]}<br><i>Bấm để xem đơn vị</i><extra></extra>")}]
    extra = {}
    if target is not None:
        extra["shapes"] = [target_line(target * scale)]
        extra["annotations"] = [{"x": target * scale, "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                                 "text": f"Chỉ tiêu {vn_target(comparator, target, unit, decimals)}",
                                 "font": {"color": TARGET_COLOR}}]
    xaxis = {"range": fig_range, "title": {"text": wrap_text(f"{name_vi} ({suffix.strip()}){suffix_note}", TITLE_CHARS)},
             "ticksuffix": suffix}
    lines = sum(n.count("<br>") + 1 for n in names)
    height = max(240, 16 * lines + 12 * len(shown) + 130)
    shown_title = wrap_text(title, TITLE_CHARS) if title else None
    layout = layout_of(shown_title, height, xaxis, NAMES_AXIS, **extra)
    return figure(data, merged(layout, {"margin": {"t": 64 if not title or "<br>" not in shown_title else 84, "l": 8},
                                        "showlegend": False}))


def stacked_months(months: list[dict], columns: list[tuple[str, str]], title: str | None = None,
                   height: int = 320) -> dict:
    """Counts per month as stacked bars (e.g. dossiers received online / direct / postal)."""
    x = [f"{r['key'][5:7]}/{r['key'][:4]}" for r in months]
    data = [{"type": "bar", "x": x, "y": [r.get(col, 0) for r in months], "name": label,
             "marker": {"color": CHANNEL_COLORS.get(col)},
             "customdata": [[r["name"], vn_number(r.get(col, 0))] for r in months],
             "hovertemplate": "%{customdata[0]}<br>" + label + ": <b>%{customdata[1]}</b> hồ sơ<extra></extra>"}
            for col, label in columns]
    return figure(data, layout_of(title, height, {"title": {"text": "Tháng"}, "type": "category"},
                                  {"title": {"text": "Số hồ sơ"}, "tickformat": ",d"}, barmode="stack"))
