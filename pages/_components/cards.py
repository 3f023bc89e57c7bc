"""Indicator cards: value, target, met or not (colour AND symbol AND word), gap, change vs earlier periods."""
from __future__ import annotations

from dash import dcc, html

from common.formats import vn_int, vn_number, vn_points, vn_target, vn_value
from model.measures import NOT_REPORTED_VI, left_out_vi

__all__ = ["NOT_REPORTED_TEXT", "indicator_card", "count_card", "card_grid", "change_text", "status_text", "dom_id"]


def dom_id(prefix: str, key: str) -> str:
    """'tong-quan-card' + 'on_time_rate' → 'tong-quan-card-on-time-rate' (ids stay hyphenated)."""
    return f"{prefix}-{key.replace('_', '-')}"


# A rate over a field no loaded export has a column for (model/measures.py): not 0 %, not "no dossiers".
NOT_REPORTED_TEXT = NOT_REPORTED_VI


def status_text(is_met: bool | None, no_data: bool = False) -> tuple[str, str]:
    """(text, css modifier): the word and symbol carry the meaning; the colour only repeats it."""
    if no_data:
        return "○ Chưa có dữ liệu", "no-target"
    if is_met is True:
        return "✔ Đạt", "met"
    if is_met is False:
        return "✘ Chưa đạt", "not-met"
    return "○ Chưa có chỉ tiêu", "no-target"


def change_text(value, before, unit: str = "fraction", decimals: int = 2, direction: str = "higher",
                against: str = "kỳ trước") -> tuple[str, str]:
    """('▲ Tăng 0,12 điểm % so với kỳ trước (tốt hơn)', css modifier) — arrow, word and judgement, so the
    change reads without colour."""
    if value is None or before is None:
        return f"So với {against}: chưa có số liệu", "none"
    scale = 100 if unit == "fraction" else 1
    delta = (value - before) * scale
    step = "điểm %" if unit == "fraction" else "ngày"
    if round(delta, decimals) == 0:
        return f"▬ Không đổi so với {against}", "same"
    better = (delta > 0) == (direction == "higher")
    word = "Tăng" if delta > 0 else "Giảm"
    arrow = "▲" if delta > 0 else "▼"
    return (f"{arrow} {word} {vn_number(abs(delta), decimals)} {step} so với {against} "
            f"({'tốt hơn' if better else 'kém hơn'})", "better" if better else "worse")


def indicator_card(prefix: str, item: dict) -> html.Div:
    """One card from a compute_scorecard item (id, name_vi, unit, decimals, direction, value, numerator,
    denominator, comparator, target, is_met, gap, previous_value, last_year_value). Ids: <prefix>-<id>
    (the card), <prefix>-<id>-value, -status, -target, -gap, -previous, -last-year."""
    base = dom_id(prefix, item["id"])
    unit, dec = item.get("unit", "fraction"), item.get("decimals", 2)
    status, mod = status_text(item.get("is_met"), bool(item.get("no_data")))
    fraction = ""
    if item.get("no_data"):
        fraction = NOT_REPORTED_TEXT
    elif item.get("numerator") is not None and item.get("denominator"):
        fraction = f"{vn_int(item['numerator'])} / {vn_int(item['denominator'])}"
        if item.get("unreported"):   # some exports of the period carry the field, others not
            fraction += f" ({left_out_vi(vn_int(item['unreported']))})"
    elif item.get("value") is None:
        fraction = "Không có hồ sơ để tính trong kỳ"
    prev, prev_mod = change_text(item.get("value"), item.get("previous_value"), unit, dec, item.get("direction", "higher"))
    ly, ly_mod = change_text(item.get("value"), item.get("last_year_value"), unit, dec, item.get("direction", "higher"),
                             "cùng kỳ năm trước")
    target_line = [html.Span("Chỉ tiêu: "), html.Span(vn_target(item.get("comparator"), item.get("target"), unit, dec),
                                                       id=f"{base}-target")]
    if item.get("gap") is not None:
        target_line += [html.Span(" · chênh lệch "), html.Span(vn_points(item["gap"], unit, dec), id=f"{base}-gap")]
    return html.Div([
        html.Div(item["name_vi"], className="card-title"),
        html.Div([html.Span(vn_value(item.get("value"), unit, dec), id=f"{base}-value", className="card-value"),
                  html.Span(status, id=f"{base}-status", className=f"card-status card-status--{mod}")],
                 className="card-main"),
        html.Div(fraction, className="card-fraction"),
        html.Div(target_line, className="card-target"),
        html.Div(prev, id=f"{base}-previous", className=f"card-change card-change--{prev_mod}"),
        html.Div(ly, id=f"{base}-last-year", className=f"card-change card-change--{ly_mod}"),
    ], id=base, className=f"card card--{mod}")


def count_card(card_id: str, label: str, value, note: str | None = None, href: str | None = None) -> html.Div:
    """A plain count (hồ sơ): the number's element has id <card_id>-value; with href, a link to the dossiers
    behind it (id <card_id>-link)."""
    children = [html.Div(label, className="card-title"),
                html.Div(vn_int(value), id=f"{card_id}-value", className="card-value"),
                html.Div(note or "", className="card-fraction")]
    if href:
        children.append(dcc.Link("Xem danh sách hồ sơ →", href=href, id=f"{card_id}-link", className="card-link"))
    return html.Div(children, id=card_id, className="card card--count")


def card_grid(cards: list, grid_id: str | None = None) -> html.Div:
    return html.Div(cards, id=grid_id, className="card-grid")
