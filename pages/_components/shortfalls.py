"""The block leadership reads first: per peer level, the units below each target, named, linked and with the gap."""
from __future__ import annotations

from datetime import date

from dash import dcc, html

from common.formats import vn_int, vn_points, vn_target, vn_value
from indicators.dashboard import compute_shortfalls
from indicators.definitions import INDICATOR_BY_ID
from indicators.ranking import MIN_DOSSIERS
from indicators.units import level_name
from pages._components.filters import Filters

__all__ = ["shortfall_section", "SHOWN_PER_INDICATOR"]

SHOWN_PER_INDICATOR = 5   # the worst five by gap; the whole list is one click away on the Đơn vị page
OPEN_UP_TO = 40   # a level of up to 40 units (departments, districts) opens unfolded; wards stay folded


def _part_label(group: dict, parts: int) -> str:
    if parts <= 1:
        return ""
    start, end = date.fromisoformat(group["from"]), date.fromisoformat(group["to"])
    return f" (cơ cấu từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})"


def _unit_item(filters: Filters, ind, row: dict) -> html.Li:
    few = f" · chỉ {vn_int(row['volume'])} hồ sơ" if row.get("too_small") else ""
    return html.Li([dcc.Link(row["name"], href=f"/don-vi{filters.search(don_vi=row['code'])}",
                             className="shortfall-unit"),
                    f": {vn_value(row['value'], ind.unit, ind.decimals)} ",
                    html.Span(f"({vn_points(row['gap'], ind.unit, ind.decimals)})", className="shortfall-gap"),
                    html.Span(few, className="hint") if few else None],
                   **{"data-code": row["code"]})


def _indicator_item(page: str, filters: Filters, group: dict, item: dict, suffix: str) -> html.Li:
    ind = INDICATOR_BY_ID[item["indicator"]]
    below = item["below"]
    head = [html.Strong(ind.name_vi),
            f" (chỉ tiêu {vn_target(item['comparator'], item['target'], ind.unit, ind.decimals)}): "
            if item["target"] is not None else ": ",
            f"{vn_int(len(below))}/{vn_int(item['judged'])} đơn vị chưa đạt"]
    rest = len(below) - SHOWN_PER_INDICATOR
    more = ([dcc.Link(f"và {vn_int(rest)} đơn vị khác – xem xếp hạng đầy đủ",
                      href=f"/don-vi{filters.search(don_vi=filters.unit, cap=group['level'], chi_tieu=ind.id)}")]
            if rest > 0 else [])
    return html.Li([html.Div(head), html.Ul([_unit_item(filters, ind, r) for r in below[:SHOWN_PER_INDICATOR]]),
                    *more], id=f"{page}-shortfall-{group['level']}-{ind.id.replace('_', '-')}{suffix}",
                   className="shortfall-indicator")


def _summary(filters: Filters, groups: list[dict], parts: int) -> str:
    counts = [f"{level_name(g['level']).lower()}{_part_label(g, parts)} {vn_int(g['units_below'])}/{vn_int(g['units'])}"
              for g in groups if g["units"]]
    if not counts:
        return f"{filters.period_name()}: không có đơn vị nào được đánh giá theo chỉ tiêu."
    if not any(g["units_below"] for g in groups):
        return f"{filters.period_name()}: mọi đơn vị đều đạt các chỉ tiêu đã giao."
    return f"{filters.period_name()}, số đơn vị chưa đạt ít nhất một chỉ tiêu: {'; '.join(counts)}."


def shortfall_section(page: str, con, filters: Filters, indicator_ids: list[str]) -> html.Section:
    """"Đơn vị chưa đạt chỉ tiêu": the one-line summary, then one block per level (ids <page>-shortfalls,
    <page>-shortfalls-summary, <page>-shortfalls-<level>, <page>-shortfall-<level>-<indicator>; an earlier
    structure part adds -p1…), each unit a link to its Đơn vị view."""
    groups = compute_shortfalls(con, filters.period, indicator_ids, within=filters.unit, field=filters.field)
    starts = sorted({g["from"] for g in groups})
    body = [html.H2("Đơn vị chưa đạt chỉ tiêu"),
            html.P(_summary(filters, groups, len(starts)), id=f"{page}-shortfalls-summary", className="shortfall-summary")]
    for g in groups:
        index = starts.index(g["from"])
        suffix = "" if index == len(starts) - 1 else f"-p{index + 1}"
        items = [i for i in g["indicators"] if i["below"]]
        title = (f"{level_name(g['level'])}{_part_label(g, len(starts))}: {vn_int(g['units_below'])}/"
                 f"{vn_int(g['units'])} đơn vị chưa đạt ít nhất một chỉ tiêu")
        content = (html.Ul([_indicator_item(page, filters, g, i, suffix) for i in items], className="shortfall-list")
                   if items else html.P("Mọi đơn vị đạt các chỉ tiêu đã giao.", className="hint"))
        body.append(html.Details([html.Summary(title), content], open=g["units"] <= OPEN_UP_TO, id=f"{page}-shortfalls-{g['level']}{suffix}",
                                 className="shortfall-level"))
    body.append(html.P(f"Chênh lệch so với chỉ tiêu tính bằng điểm phần trăm; mỗi chỉ tiêu nêu tối đa "
                       f"{SHOWN_PER_INDICATOR} đơn vị xa chỉ tiêu nhất. Đơn vị dưới {MIN_DOSSIERS} hồ sơ được ghi rõ số "
                       "hồ sơ: tỷ lệ của đơn vị ít hồ sơ dao động mạnh.", className="hint"))
    return html.Section(body, id=f"{page}-shortfalls", className="shortfalls")
