"""The report the office sends to city leadership (`python -m indicators report`): the key figures of a scope
against the plan's targets, the statutory period table, rankings within peer groups, the late dossiers and SIPAS.

Every figure comes from the existing functions (compute_scorecard, compute_period_table, compute_ranking,
list_late_dossiers, compute_sipas); this module only assembles them and words them in Vietnamese."""
from __future__ import annotations

import json
from datetime import date, datetime

from common.formats import COMPARATOR_SIGNS, NO_VALUE, vn_int, vn_number, vn_percent
from model.measures import NOT_REPORTED_VI

from .coverage import data_date_range, vi_sort_key
from .dashboard import compute_ranking, compute_scorecard
from .dossier_list import list_late_dossiers
from .engine import GROUPINGS, LEVEL_NAMES_VI, compute_indicator, compute_period_table, resolve_unit
from .form06a import compute_form06a
from .index766 import compute_index766
from .tasks import compute_tasks
from .periods import Period, is_official, period_name_vi, period_short_name
from .ranking import too_few_to_rank
from .sipas import compute_sipas, rank_sipas
from .units import LEVEL_ORDER, descendants, levels_valid, peer_levels, structure_note, structure_parts, unit_path

__all__ = ["LATE_LIMIT", "RANK_INDICATOR", "compute_report", "report_to_json", "period_name_vi", "report_title",
           "STATUS_MET", "STATUS_NOT_MET", "STATUS_NO_TARGET", "STATUS_NO_VALUE",
           "STATUS_NOT_REPORTED", "scorecard_rows"]

LATE_LIMIT = 200                 # late dossiers listed (the total count is always stated)
RANK_INDICATOR = "on_time_rate"  # rankings are on the on-time rate
CITY_LEVELS = ("province", "city")
CITY_NAME = "Toàn thành phố"
STATUS_MET, STATUS_NOT_MET, STATUS_NO_TARGET, STATUS_NO_VALUE = "Đạt", "Chưa đạt", "Chưa có chỉ tiêu", "Chưa có số liệu"
# a rate over a field no loaded export carries (model/measures.py), with or without a target
STATUS_NOT_REPORTED = NOT_REPORTED_VI
# SIPAS of the whole city is shown per peer group: departments ranked with departments, districts with districts.
# These two levels take their whole subtree (a district's wards' questionnaires count for it); any other level of
# the year (the wards of a city without districts) is its units' own questionnaires. Only levels of the year.
SIPAS_CITY_GROUPS = ("department", "district")
_SIPAS_ROW_KEYS = ("key", "name", "level", "questionnaires", "sipas_valid", "sipas", "sipas_ci95", "too_small", "rank",
                   "target", "comparator", "is_met", "gap_points", "last_year_sipas", "change_points")


# ---------------------------------------------------------------------------------------------------------
# Words and numbers as a Vietnamese reader expects them.


def _placing_text(row: dict, ranked: int) -> str:
    """«xếp thứ 2/5», or why the unit is not ranked: too few dossiers resolved (probe 41: a district with 13 was said
    to have none), or none at all."""
    if row["rank"]:
        return f"xếp thứ {row['rank']}/{ranked}"
    if row.get("too_small") and row.get("volume"):
        return too_few_to_rank(row["volume"]) + " nên không xếp hạng"
    return "không có hồ sơ giải quyết trong kỳ, không xếp hạng"


def report_title(scope_name: str, period: Period) -> str:
    return f"BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH – {scope_name} – {period_name_vi(period)}"


def _value_text(value, unit: str, decimals: int = 2) -> str:
    # Not vn_value: a report states the rate as computed (100,00 % stays 100,00 %) and keeps the target's decimals.
    if value is None:
        return NO_VALUE
    return vn_percent(value, decimals) if unit == "fraction" else f"{vn_number(value, decimals)} ngày"


def target_text(comparator: str | None, target, unit: str = "fraction") -> str:
    if comparator is None or target is None:
        return STATUS_NO_TARGET
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {_value_text(target, unit)}"


# ---------------------------------------------------------------------------------------------------------
# The parts of the report.

def _status(is_met, target, value, no_data: bool = False) -> str:
    if no_data:
        return STATUS_NOT_REPORTED
    if target is None:
        return STATUS_NO_TARGET
    if value is None:
        return STATUS_NO_VALUE
    return STATUS_MET if is_met else STATUS_NOT_MET


def _change(now, before, unit: str):
    """Change in percentage points for rates (in days for durations); None when either value is missing."""
    if now is None or before is None:
        return None
    return (now - before) * (100 if unit == "fraction" else 1)


def _scorecard(con, card: dict, period: Period, scope: str | None) -> list[dict]:
    out = []
    for c in card["indicators"]:
        if c["value"] is not None and (c["numerator"] is None or c["denominator"] is None):
            # The scorecard derives num/den from the table's columns; measures the table does not carry
            # (rated, resolved_workdays…) come from the indicator's own query.
            total = compute_indicator(con, c["id"], period, by="level", unit=scope)["total"]
            c = {**c, "numerator": total["numerator"], "denominator": total["denominator"]}
        out.append({"id": c["id"], "name_vi": c["name_vi"], "unit": c["unit"], "decimals": c["decimals"],
                    "direction": c["direction"], "value": c["value"], "numerator": c["numerator"],
                    "denominator": c["denominator"], "comparator": c["comparator"], "target": c["target"],
                    "is_met": c["is_met"], "status": _status(c["is_met"], c["target"], c["value"], c["no_data"]),
                    "no_data": c["no_data"], "unreported": c["unreported"],
                    "gap_points": c["gap"],
                    "previous_value": c["previous_value"],
                    "change_previous_points": _change(c["value"], c["previous_value"], c["unit"]),
                    "last_year_value": c["last_year_value"],
                    "change_last_year_points": _change(c["value"], c["last_year_value"], c["unit"])})
    return out


# The scorecard as the report states it (status, gaps, changes): the inspection pack's figures against targets too.
scorecard_rows = _scorecard


def _peer_groups(con, period: Period, scope: str | None, level: str | None) -> list[tuple[str, str | None]]:
    """(level, within) of every peer group the report ranks in `period` (one structure): for the city, each level
    below it; for a unit, its own level among the units under its parent, then each level of its sub-units. Levels
    are never mixed, and only the levels of the period count (no district ranking after 1/7/2025)."""
    groups: list[tuple[str, str | None]] = []
    if scope is not None and level not in CITY_LEVELS:
        path = unit_path(con, scope)
        parent = path[-1].parent_code if path else None
        groups.append((level, parent))
    below = peer_levels(descendants(con, scope, period.start, period.end))
    groups += [(lvl, scope) for lvl in below if lvl not in {g for g, _ in groups}]
    return groups


def _rankings(con, period: Period, scope: str | None, level: str | None) -> tuple[dict, dict]:
    """Rankings per peer group; a period spanning a reorganization is ranked per structure, side by side (keys
    'ward@2025-07-01'), never old and new units in one ranking."""
    rankings, groups = {}, {}
    names: dict[str, str] = {}   # within → how the report names it ("Toàn thành phố" for the city)
    parts = structure_parts(con, period.start, period.end)
    for part in parts:
        sub = Period(part.start, part.end)
        for lvl, within in _peer_groups(con, sub, scope, level):
            ranking = compute_ranking(con, RANK_INDICATOR, sub, lvl, within=within)
            rows = ranking["rows"]
            if not rows:
                continue
            for r in rows:
                r["gap_points"] = r.pop("gap")   # named as in the scorecard and compute_indicator
                r["is_scope"] = r["code"] == scope
                r["status"] = _status(r["is_met"], r["target"], r["value"])
            if within is not None and within not in names:
                _, name, within_level = resolve_unit(con, within)
                names[within] = CITY_NAME if within_level in CITY_LEVELS else name
            below = [{"code": r["code"], "name": r["name"], "value": r["value"], "gap_points": r["gap_points"]}
                     for r in rows if r["is_met"] is False]
            key = lvl if len(parts) == 1 else f"{lvl}@{part.start.isoformat()}"
            level_name = LEVEL_NAMES_VI.get(lvl, lvl) + ("" if len(parts) == 1 else f" ({part.label()})")
            rankings[key] = rows
            groups[key] = {"level": lvl, "level_name": level_name, "within": within,
                           "within_name": names.get(within, CITY_NAME) if within else CITY_NAME,
                           "from": part.start.isoformat(), "to": part.end.isoformat(),
                           "comparator": ranking["comparator"], "target": ranking["target"], "units": len(rows),
                           "ranked": sum(r["rank"] is not None for r in rows), "below_target": below}
    return rankings, groups


def _late(con, period: Period, scope: str | None, limit: int) -> dict:
    late = list_late_dossiers(con, period, scope, sort="days_late", descending=True, limit=limit)
    return {"total_count": late["total_count"], "counts": late["counts"], "limit": limit,
            "listed": len(late["rows"]), "rows": late["rows"]}


def _slim_sipas(row: dict, level: str | None) -> dict:
    out = {k: row.get(k) for k in _SIPAS_ROW_KEYS}
    if level is not None:
        out["level"] = level
    out["elements"] = {e: {"name": el["name"], "index": el["index"], "valid": el["valid"]}
                       for e, el in row["elements"].items()}
    return out


def _sipas_city_parts(con, year: Period) -> list[tuple[str, dict]]:
    """(level, SIPAS rows of that level) for the city: departments and districts on their subtrees, any other level
    of the year on its units' own questionnaires (ranked among themselves)."""
    parts, by_unit = [], None
    for lvl in levels_valid(con, year.start, year.end):
        if lvl in SIPAS_CITY_GROUPS:
            parts.append((lvl, compute_sipas(con, year, by=lvl)))
            continue
        by_unit = by_unit or compute_sipas(con, year, by="unit")
        rows = [r for r in by_unit["rows"] if r.get("level") == lvl]
        if rows:
            rank_sipas(rows)
            parts.append((lvl, {**by_unit, "rows": rows}))
    return parts or [(None, compute_sipas(con, year, by="unit"))]


def _sipas(con, period: Period, scope: str | None, city: bool) -> dict | None:
    """SIPAS of the year of the period's end: for the city, each peer group of the year (departments, districts…,
    each ranked among its own level); for a unit, the unit and its sub-units (ranked within each level). None when
    no survey exists."""
    year = Period.year(period.end.year)
    parts = _sipas_city_parts(con, year) if city else [(None, compute_sipas(con, year, by="unit", unit=scope))]
    first = parts[0][1]
    if not first["has_data"]:
        return None
    rows = []
    for lvl, result in parts:
        # Rows without a key are the units outside the grouping (e.g. districts when grouping by department).
        rows += [_slim_sipas(r, lvl) for r in result["rows"] if r["key"] is not None]
    if not city:
        for lvl in {r["level"] for r in rows}:
            rank_sipas([r for r in rows if r["level"] == lvl])
    order = {lvl: i for i, lvl in enumerate(LEVEL_ORDER)}
    rows.sort(key=lambda r: (order.get(r["level"], len(order)), vi_sort_key(r["name"] or "")))
    by = "+".join(lvl for lvl, result in parts if lvl and any(r["key"] is not None for r in result["rows"]))
    return {"year": period.end.year, "from": year.start.isoformat(), "to": year.end.isoformat(),
            "by": by if city else "unit", "method": first["method"],
            "rows": rows, "total": _slim_sipas(first["total"], None)}


def _plan_tasks(con, period: Period, scope: str | None) -> dict | None:
    """The progress of the CCHC plans of the scope at the period's end (indicators.tasks, the total row: "tasks",
    "done", "done_on_time", "done_late", "under_way", "overdue", "targets", "targets_done", "sentence"), or None
    while no plan of that year is loaded — the Word report then says "chưa có dữ liệu"."""
    total = compute_tasks(con, period.end, period.end.year, by="unit", unit=scope)["total"]
    return total if total and total.get("tasks") else None


def _index766(con, period: Period, scope: str | None) -> dict:
    """The 766 estimate as computed today (indicators.index766), every unit of the scope ranked among its peers."""
    return compute_index766(con, period, by="unit", unit=scope, city_ranks=True)


def summary_lines(report: dict, private_groups=frozenset()) -> list[str]:
    """The report's text in a few sentences, with the figures as the tables show them. private_groups: the keys of
    ranking groups whose other units the reader may not see (a unit account's own level): only the unit's own rank is
    said of them, not how many peers fall below the target (probe 55)."""
    c = report["counts"]
    cards = {s["id"]: s for s in report["scorecard"]}
    on_time = cards.get("on_time_rate", {}).get("value")
    subject = report["unit_name"] if report["unit"] else CITY_NAME.lower()
    lines = [f"Trong kỳ, {subject} tiếp nhận mới {vn_int(c['received_new'])} hồ sơ (trực tuyến "
             f"{vn_int(c['received_online'])}), kỳ trước chuyển qua {vn_int(c['carried_over'])}; đã giải quyết "
             f"{vn_int(c['resolved'])} hồ sơ, trong đó trước hạn và đúng hạn {vn_int(c['resolved_in_time'])} "
             f"({vn_percent(on_time)}), quá hạn {vn_int(c['resolved_late'])}; trả lại/rút {vn_int(c['returned'])}; "
             f"đang giải quyết {vn_int(c['pending'])} hồ sơ, trong đó quá hạn {vn_int(c['pending_overdue'])}."]
    judged = [s for s in report["scorecard"] if s["status"] in (STATUS_MET, STATUS_NOT_MET)]
    missed = [s for s in judged if s["status"] == STATUS_NOT_MET]
    if judged:
        text = f"Đạt {len(judged) - len(missed)}/{len(judged)} chỉ tiêu kế hoạch có số liệu"
        if missed:
            text += "; chưa đạt: " + "; ".join(
                f"{s['name_vi'][:1].lower() + s['name_vi'][1:]} {_value_text(s['value'], s['unit'])} (chỉ tiêu "
                f"{target_text(s['comparator'], s['target'], s['unit'])})" for s in missed)
        lines.append(text + ".")
    else:
        lines.append("Chưa có chỉ tiêu kế hoạch năm " + str(date.fromisoformat(report["to"]).year)
                     + " cho phạm vi báo cáo.")
    if report.get("structure_note"):
        lines.append(report["structure_note"])
    for lvl, g in report["ranking_groups"].items():
        rows = report["rankings"][lvl]
        scope_row = next((r for r in rows if r["is_scope"]), None)
        where = "" if g["within_name"] == CITY_NAME else f" thuộc {g['within_name']}"
        if lvl in private_groups:
            if scope_row is not None:
                lines.append(f"{g['level_name']}{where}: {report['unit_name']} " + _placing_text(scope_row, g["ranked"])
                             + ".")
            continue
        text = f"{g['level_name']}{where}: {g['units']} đơn vị"
        if g["target"] is not None:
            goal = f"chỉ tiêu tỷ lệ giải quyết đúng hạn ({target_text(g['comparator'], g['target'])})"
            text += (f", {len(g['below_target'])} đơn vị chưa đạt {goal}" if g["below_target"]
                     else f", các đơn vị có hồ sơ giải quyết trong kỳ đều đạt {goal}")
        if scope_row is not None:
            text += f"; {report['unit_name']} " + _placing_text(scope_row, g["ranked"])
        lines.append(text + ".")
    late = report["late"]
    lines.append(f"Hồ sơ trễ hạn: {vn_int(late['total_count'])} (giải quyết quá hạn "
                 f"{vn_int(late['counts']['resolved_late'])}, đang giải quyết quá hạn "
                 f"{vn_int(late['counts']['pending_overdue'])})"
                 + (f"; danh sách kèm theo nêu {vn_int(late['listed'])} hồ sơ quá hạn nhiều ngày nhất."
                    if late["listed"] < late["total_count"] else "."))
    year = date.fromisoformat(report["to"]).year
    sipas = report["sipas"]
    if sipas is None:
        lines.append(f"Chưa có dữ liệu khảo sát SIPAS năm {year} của {subject}.")
    else:
        t = sipas["total"]
        text = f"Chỉ số hài lòng SIPAS năm {year}: {vn_percent(t['sipas'])} ({vn_int(t['sipas_valid'])} phiếu hợp lệ)"
        if t["target"] is not None and t["is_met"] is not None:
            text += f", {'đạt' if t['is_met'] else 'chưa đạt'} chỉ tiêu {target_text(t['comparator'], t['target'])}"
        lines.append(text + ".")
    return lines


# ---------------------------------------------------------------------------------------------------------
# Public API.

def default_by(level: str | None, levels: list[str] | None = None) -> str:
    """The city (or a province-level unit) is tabled by department (when the period has departments); a unit by its
    sub-units."""
    city = level is None or level in CITY_LEVELS
    return "department" if city and (levels is None or "department" in levels) else "unit"


def compute_report(con, period: Period, unit: str | None = None, by: str | None = None,
                   late_limit: int = LATE_LIMIT) -> dict:
    """The leadership report of a scope (unit code or name, its whole subtree; None = the whole city).

    Returns {"from", "to", "unit", "unit_name", "unit_level", "by", "period_name", "period_short_name", "title",
    "data_from", "data_until", "previous": {"from", "to", "name", "counts"}, "last_year": {…}, "counts",
    "scorecard": [card…], "table" (compute_period_table), "rankings": {level: [row…]}, "ranking_groups": {level:
    {…, "below_target"}}, "late": {"total_count", "counts", "limit", "listed", "rows"}, "sipas": {…} | None,
    "form06a" (compute_form06a by level), "index766" (compute_index766 by unit), "plan_tasks": {…} | None,
    "summary": [sentence…]}.
    Counts are integers, rates fractions; gaps and changes in percentage points (days for avg_days)."""
    scope, scope_name, level = resolve_unit(con, unit) if unit else (None, CITY_NAME, None)
    by = by or default_by(level, levels_valid(con, period.start, period.end))
    if by not in GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(GROUPINGS)}")
    city = scope is None or level in CITY_LEVELS
    data_from, data_until = data_date_range(con)
    card = compute_scorecard(con, period, unit=scope, data_start=data_from)
    table = compute_period_table(con, period, by=by, unit=scope)
    rankings, groups = _rankings(con, period, scope, level)
    previous, last_year = period.previous(), period.same_period_last_year()
    report = {
        "from": period.start.isoformat(), "to": period.end.isoformat(), "unit": scope, "unit_name": scope_name,
        "unit_level": level, "by": by, "period_name": period_name_vi(period),
        "period_short_name": period_short_name(period), "title": report_title(scope_name, period),
        "data_from": data_from.isoformat() if data_from else None,
        "data_until": data_until.isoformat() if data_until else None,
        "previous": {"from": previous.start.isoformat(), "to": previous.end.isoformat(),
                     # an official window's is the official one before it, and said so in a sentence (probe 41:
                     # «tăng 375,0 % so với Quý I/2024» compared with the window, not the calendar quarter)
                     "name": period_name_vi(previous),
                     "short_name": ("kỳ báo cáo chính thức " if is_official(previous) else "")
                     + period_short_name(previous),
                     "counts": compute_period_table(con, previous, by="level", unit=scope)["total"]},
        "last_year": {"from": last_year.start.isoformat(), "to": last_year.end.isoformat(),
                      "name": period_name_vi(last_year)},
        "counts": card["counts"], "scorecard": _scorecard(con, card, period, scope), "table": table,
        "rankings": rankings, "ranking_groups": groups,
        "structure_note": structure_note(structure_parts(con, period.start, period.end)),
        "late": _late(con, period, scope, late_limit),
        "sipas": _sipas(con, period, scope, city),
        "form06a": compute_form06a(con, period, by="level", unit=scope),
        "index766": _index766(con, period, scope),
        "plan_tasks": _plan_tasks(con, period, scope),
    }
    report["summary"] = summary_lines(report)
    return report


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def report_to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=_json_default)
