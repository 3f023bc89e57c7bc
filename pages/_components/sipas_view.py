"""Pieces of the Hài lòng page: SIPAS peer groups ranked apart, the SIPAS card, the unit table, survey-year links."""
from __future__ import annotations

import re
from datetime import date

from dash import html

from common.formats import vn_int, vn_points, vn_target, vn_value
from common.text import natural_key
from exports.sipas import missing_elements_note
from indicators.engine import LEVEL_NAMES_VI
from indicators.periods import calendar_twin, survey_year_range
from indicators.ranking import NO_GROUP, NO_VALUE, TOO_SMALL, rank_rows
from indicators.sipas import MIN_VALID
from indicators.units import LEVEL_ORDER
from pages._components.cards import change_text, indicator_card, status_text
from pages._components.filters import Filters, FilterContext
from pages._components.interval_chart import interval_text
from pages._components.tables import Column

__all__ = ["TOO_SMALL_LABEL", "NOT_RANKED", "peer_groups", "unit_dom_id", "sipas_card", "rating_card", "unit_table",
           "unit_rows", "UNIT_COLUMNS", "survey_years_in", "year_search", "is_whole_year", "group_name", "city_rank_text"]

TOO_SMALL_LABEL = "Chưa đủ mẫu để xếp hạng (dưới 30 phiếu)"
NOT_RANKED = "Chưa xếp hạng"
UNKNOWN_LEVEL = "Chưa xác định đơn vị, cấp"
_UNRANKED_REASONS = {NO_GROUP: UNKNOWN_LEVEL, TOO_SMALL: TOO_SMALL_LABEL, NO_VALUE: "Không có số liệu để tính"}


def group_name(level: str | None) -> str:
    return LEVEL_NAMES_VI.get(level, level) if level else UNKNOWN_LEVEL


def _level_order(level: str | None):
    return (level is None, LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level or "")




def peer_groups(rows: list[dict]) -> list[dict]:
    """Rows of compute_sipas(by='unit') split into peer groups by level, each ranked on its own (the engine's
    rank runs over every unit; a department is never ranked against a district here):
    [{"level", "name", "ranked": [row + "group_rank"], "unranked": [row + "reason"]}], in LEVEL_ORDER.
    Too small (< 30 valid questionnaires), without an index, or of an unknown unit: unranked, never placed."""
    def level_of(r: dict) -> str | None:
        return r.get("level") if r.get("key") is not None else None

    by_level: dict = {}
    placings = rank_rows(rows, "sipas", group=level_of, volume="sipas_valid", min_volume=MIN_VALID)
    for r, placing in zip(rows, placings):
        by_level.setdefault(level_of(r), []).append((r, placing))
    groups = []
    for level in sorted(by_level, key=_level_order):
        members = by_level[level]
        ranked = sorted(({**r, "group_rank": p.rank} for r, p in members if p.rank is not None),
                        key=lambda r: (r["group_rank"], natural_key(r["name"] or "")))
        unranked = sorted(({**r, "group_rank": None,
                            "reason": missing_elements_note(r) or _UNRANKED_REASONS[p.reason]}
                           for r, p in members if p.rank is None), key=lambda r: natural_key(r["name"] or ""))
        groups.append({"level": level, "name": group_name(level), "ranked": ranked, "unranked": unranked})
    return groups


def city_rank_text(city_rows: list[dict], code: str, name: str) -> str:
    """One unit's place among the units of its level in the whole city, from compute_sipas(by='unit') rows of every
    unit: «Quận 3 xếp thứ 4/21 đơn vị cấp huyện toàn thành phố …», or why it has no place. No peer's name or
    figure: what a unit account may see of the others (operations.md: its subtree, the city's totals, its own
    rank)."""
    for group in peer_groups(city_rows):
        row = next((r for r in group["ranked"] + group["unranked"] if r["key"] == code), None)
        if row is None:
            continue
        if row["group_rank"] is None:
            return (f"{name} chưa được xếp hạng trong toàn thành phố ({vn_int(row['sipas_valid'])} phiếu hợp lệ): "
                    f"{row['reason'][:1].lower()}{row['reason'][1:]}.")
        return (f"{name} xếp thứ {vn_int(row['group_rank'])}/{vn_int(len(group['ranked']))} đơn vị "
                f"{group_name(group['level']).lower()} toàn thành phố về chỉ số SIPAS (chỉ số {vn_value(row['sipas'])}).")
    return f"{name} không có phiếu khảo sát trong kỳ nên không được xếp hạng."


def unit_dom_id(prefix: str, code: str | None) -> str:
    """'hai-long-sipas' + 'BC.TT' → 'hai-long-sipas-BC-TT': an id a CSS selector can name without escaping."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', code or 'khac')}"


def sipas_card(base: str, total: dict, title: str, last_label: str, part_of_year: bool = False) -> html.Div:
    """The scope's SIPAS against its target: value, status by colour AND symbol AND word, interval, gap, last year.
    part_of_year: a month or quarter holds only part of the yearly survey, so no verdict is given on it (the plan's
    target is for the year's result). Ids: <base>, -value, -status, -interval, -target, -gap, -last-year."""
    status, mod = status_text(total.get("is_met"))
    if part_of_year and total.get("target") is not None:
        status, mod = "◐ Một phần đợt khảo sát: so chỉ tiêu theo cả năm", "no-target"
        total = {**total, "gap_points": None}
    change, change_mod = change_text(total.get("sipas"), total.get("last_year_sipas"), against="năm trước")
    target_line = [html.Span("Chỉ tiêu: "), html.Span(vn_target(total.get("comparator"), total.get("target")),
                                                       id=f"{base}-target")]
    if total.get("gap_points") is not None:
        target_line += [html.Span(" · chênh lệch "), html.Span(vn_points(total["gap_points"]), id=f"{base}-gap")]
    return html.Div([
        html.Div(title, className="card-title"),
        html.Div([html.Span(vn_value(total.get("sipas")), id=f"{base}-value", className="card-value"),
                  html.Span(status, id=f"{base}-status", className=f"card-status card-status--{mod}")],
                 className="card-main"),
        html.Div(f"Khoảng tin cậy 95 %: {interval_text(total.get('sipas_ci95'))} · "
                 f"{vn_int(total.get('sipas_valid'))} phiếu hợp lệ", id=f"{base}-interval", className="card-fraction"),
        html.Div(target_line, className="card-target"),
        html.Div(change, id=f"{base}-last-year", className=f"card-change card-change--{change_mod}"),
        html.Div(f"{last_label}: {vn_value(total.get('last_year_sipas'))}", className="card-change card-change--none"),
    ], id=base, className=f"card card--{mod}")


def rating_card(prefix: str, total: dict, name: str) -> html.Div:
    """The dossier-rating satisfaction of the scope (a compute_indicator total), in the shared indicator card;
    ids <prefix>-rating, -value …"""
    item = {"id": "rating", "name_vi": name, "unit": "fraction", "decimals": 2, "direction": "higher",
            "value": total["value"], "numerator": total["numerator"], "denominator": total["denominator"],
            "comparator": total["comparator"], "target": total["target"], "is_met": total["is_met"],
            "gap": total["gap_points"], "previous_value": total["previous_value"],
            "last_year_value": total["last_year_value"]}
    return indicator_card(prefix, item)


def _status(row: dict) -> str:
    if row.get("sipas") is None:
        return "Không có số liệu"
    if row.get("too_small"):   # under 30 answers the interval is too wide to say met or not
        return "Chưa đủ mẫu để đánh giá"
    return status_text(row["is_met"])[0]


UNIT_COLUMNS = ([Column("group", "Nhóm đơn vị"), Column("group_rank", "Hạng trong nhóm", "int"),
                 Column("note", "Ghi chú"), Column("key", "Mã đơn vị"), Column("name", "Đơn vị"),
                 Column("sipas", "Chỉ số SIPAS", "percent"), Column("ci_low", "Cận dưới khoảng tin cậy 95 %", "percent"),
                 Column("ci_high", "Cận trên khoảng tin cậy 95 %", "percent"),
                 Column("sipas_valid", "Số phiếu hợp lệ", "int"), Column("questionnaires", "Số phiếu", "int"),
                 Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
                 Column("gap_points", "Chênh lệch so với chỉ tiêu", "points"),
                 Column("last_year_sipas", "SIPAS năm trước", "percent"),
                 Column("change_points", "Thay đổi so với năm trước", "points")]
                + [Column(f"element_{e}", f"Yếu tố {e}", "percent") for e in "12345"])


def unit_rows(groups: list[dict]) -> list[dict]:
    """Flat rows for the workbook: each group's ranked units, then its unranked ones with the reason."""
    out = []
    for g in groups:
        for r in g["ranked"] + g["unranked"]:
            ci = r.get("sipas_ci95") or [None, None]
            out.append({**r, "group": g["name"], "note": r.get("reason", ""), "ci_low": ci[0], "ci_high": ci[1],
                        "target_text": vn_target(r.get("comparator"), r.get("target")), "status": _status(r),
                        **{f"element_{e}": el["index"] for e, el in r["elements"].items()}})
    return out


def _cell(text, cell_id: str | None = None, cls: str = "num") -> html.Td:
    return html.Td(text, id=cell_id, className=cls) if cell_id else html.Td(text, className=cls)


def unit_table(prefix: str, groups: list[dict]) -> html.Table:
    """Every unit's SIPAS grouped by peer group, ranked within it; too-small units last in their group, not
    ranked. A plain table so each figure has a stable id: <prefix>-sipas-<code>, <prefix>-rank-<code>."""
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "Hạng", "Đơn vị", "SIPAS", "Khoảng tin cậy 95 %", "Phiếu hợp lệ", "Đánh giá", "Chênh lệch so với chỉ tiêu",
        "Năm trước", "Thay đổi so với năm trước")]))
    body = []
    for g in groups:
        body.append(html.Tr(html.Th(f"{g['name']} ({len(g['ranked']) + len(g['unranked'])} đơn vị)", colSpan=9),
                            className="group-row"))
        for r in g["ranked"] + g["unranked"]:
            small = r["group_rank"] is None
            body.append(html.Tr([
                _cell(vn_int(r["group_rank"]) if not small else NOT_RANKED, unit_dom_id(f"{prefix}-rank", r["key"]),
                      "num" if not small else "not-ranked"),
                html.Td([r["name"]] + ([html.Br(), html.Small(r["reason"], className="hint")] if small else [])),
                _cell(vn_value(r["sipas"]), unit_dom_id(f"{prefix}-sipas", r["key"])),
                _cell(interval_text(r.get("sipas_ci95"))),
                _cell(vn_int(r["sipas_valid"])),
                html.Td(_status(r), className=f"status status--{status_text(None if r.get('too_small') else r.get('is_met'))[1]}"),
                _cell(vn_points(r.get("gap_points"))),
                _cell(vn_value(r.get("last_year_sipas"))),
                _cell(vn_points(r.get("change_points"))),
            ], className="row--small" if small else None))
    return html.Table([head, html.Tbody(body)], id=f"{prefix}-unit-table", className="plain-table")


def survey_years_in(period, years: list[int]) -> list[int]:
    """The survey years a period shows (indicators.periods.survey_year_range: an official window, its own year)."""
    first, last = survey_year_range(period)
    return [y for y in years if first <= y <= last]


def is_whole_year(filters: Filters) -> bool:
    p = calendar_twin(filters.period) or filters.period
    return p.start == date(p.start.year, 1, 1) and p.end == date(p.start.year, 12, 31)


def year_search(filters: Filters, ctx: FilterContext, year: int) -> str:
    """A link to one whole survey year with the same unit and sector: the Năm kind when the filter offers that
    year (it lists the years with dossiers), else a custom range over the year."""
    reset = dict(thang=None, quy=None, nua=None, tu=None, den=None)
    if year in ctx.years:
        return filters.search(**reset, ky="nam", nam=year)
    return filters.search(**{**reset, "ky": "tuy_chon", "nam": None, "tu": f"{year}-01-01", "den": f"{year}-12-31"})
