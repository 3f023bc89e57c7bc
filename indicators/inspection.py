"""The inspection pack of one unit (reporting.md §4: hồ sơ phục vụ đoàn kiểm tra công tác CCHC), as one JSON-able dict.

Nothing is counted here: every figure is a value returned by the functions the dashboard shows — compute_scorecard
and compute_ranking (Đơn vị), list_late_dossiers (Hồ sơ trễ hạn), compute_sipas and weakest_criteria (Hài lòng),
compute_index766 (Chỉ số 766), unit_task_status (Kế hoạch CCHC), points_lost_by_area (Chỉ số CCHC) — gathered for
one unit, one period and one cut-off date, and ended with the questions the team should ask (worded from those
figures). Writers: exports/inspection_docx.py, exports/inspection_xlsx.py."""
from __future__ import annotations

import json
from datetime import date

from .coverage import data_date_range
from .dashboard import RANK_BY_SUBTREE, compute_ranking, compute_scorecard
from .dossier_list import list_late_dossiers
from .engine import LEVEL_NAMES_VI, resolve_unit
from .index766 import compute_index766
from .inspection_questions import questions
from .par import par_years, points_lost_by_area
from .periods import Period, calendar_twin, period_name_vi, period_short_name, survey_year_range
from .report import scorecard_rows
from .sipas import compute_sipas, weakest_criteria
from .tasks import unit_task_status
from .units import TOP_LEVELS, Unit, list_units, structure_parts, unit_path

__all__ = ["LATE_LIMIT", "RANKED_INDICATORS", "DIGITAL_INDICATORS", "default_period", "default_unit",
           "compute_inspection", "inspection_to_json"]

LATE_LIMIT = 50          # late dossiers listed (oldest first) and missing apology letters listed; totals always stated
WEAKEST_SHOWN = 5        # SIPAS criteria listed, as the Hài lòng page
# The indicators ranked among the unit's peers (one engine call each): handling, online, payment, digitization,
# and the ratings people give.
RANKED_INDICATORS = ("on_time_rate", "progress_766", "online_rate", "paid_online_rate", "digitized_rate",
                     "rating_satisfaction")
# Online services and digitization (the report's section I.2, in the order of the 766 groups).
DIGITAL_INDICATORS = ("online_rate", "online_rate_eligible", "paid_online_rate", "digitized_rate", "e_result_rate",
                      "data_reuse_rate", "sync_rate", "online_procedure_rate")
_LATE_KEYS = ("source", "dossier_code", "unit_code", "unit_name", "procedure_code", "procedure_name", "field",
              "received_date", "due_date", "finished_date", "days_late", "supplement_count", "apology_issued",
              "status", "kind", "kind_name")


def default_period(as_of: date) -> Period:
    """From 1 January of the cut-off's year to the cut-off: what the team asks about on the day of the visit."""
    return Period(date(as_of.year, 1, 1), as_of)


def default_unit(con) -> str | None:
    """The city's own unit (the one unit at the top of the catalogue), for a pack asked for without a unit; None
    when the catalogue has no single top unit."""
    tops = [u.code for u in list_units(con) if u.parent_code is None and u.level in TOP_LEVELS]
    return tops[0] if len(tops) == 1 else None


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


# ---------------------------------------------------------------------------------------------------------
# The parts of the pack.

def _rank_period(con, period: Period, unit: Unit | None) -> Period:
    """The period the ranks are taken over: compute_ranking ranks one structure of units at a time, so a period
    spanning a reorganization is ranked over its latest part in which the unit exists."""
    parts = structure_parts(con, period.start, period.end)
    if len(parts) < 2 or unit is None:
        return period
    for part in reversed(parts):
        began = unit.valid_from is None or unit.valid_from <= part.end
        if began and (unit.valid_to is None or unit.valid_to >= part.start):
            return Period(part.start, part.end)
    return period


def _peer_rank(con, period: Period, unit: str, level: str, parent: str | None) -> dict:
    """{indicator: {"rank", "ranked", "units"}} among the units of the unit's level under its parent — the ranking
    the Đơn vị page shows for the parent (compute_ranking, one engine call per indicator)."""
    out = {}
    for ind_id in RANKED_INDICATORS:
        rows = compute_ranking(con, ind_id, period, level, within=parent)["rows"]
        mine = next((r for r in rows if r["code"] == unit), None)
        out[ind_id] = {"rank": mine["rank"] if mine else None, "units": len(rows),
                       "ranked": sum(r["rank"] is not None for r in rows)}
    return out


def _late_rows(result: dict) -> list[dict]:
    return [{k: _iso(r[k]) for k in _LATE_KEYS} for r in result["rows"]]


def _late(con, period: Period, unit: str, limit: int) -> dict:
    """The unit's late dossiers, the oldest first (by date received), and those without an apology letter."""
    late = list_late_dossiers(con, period, unit, sort="received_date", descending=False, limit=limit)
    missing = list_late_dossiers(con, period, unit, apology=False, sort="received_date", descending=False,
                                 limit=limit)
    issued = list_late_dossiers(con, period, unit, apology=True, limit=1)["total_count"]
    # the late dossiers whose export says nothing of the letter: «0 chưa có phiếu» would read as none missing when the
    # files have no such column at all (probe 53)
    unknown = late["total_count"] - issued - missing["total_count"]
    return {"total_count": late["total_count"], "counts": late["counts"], "limit": limit,
            "rows": _late_rows(late),
            "apology_missing": {"total_count": missing["total_count"], "counts": missing["counts"],
                                "rows": _late_rows(missing)},
            "apology_unknown": unknown}


def _sipas(con, period: Period, unit: str) -> dict | None:
    """SIPAS of the period for the unit's subtree and its weakest criteria, as the Hài lòng page shows them for the
    same period and unit (questionnaires with only a year count in every period of that year, dated ones inside the
    period); "part_of_year" when the period is not whole years (no verdict against the year's target, as the page).
    None when no questionnaire counts in the period."""
    result = compute_sipas(con, period, by="unit", unit=unit)
    if not result["has_data"]:
        return None
    calendar = calendar_twin(period) or period
    whole = (calendar.start.month, calendar.start.day, calendar.end.month, calendar.end.day) == (1, 1, 12, 31)
    t = result["total"]
    total = {k: t.get(k) for k in ("questionnaires", "sipas_valid", "sipas", "sipas_ci95", "too_small", "target",
                                   "comparator", "is_met", "gap_points", "last_year_sipas", "change_points")}
    total["elements"] = {e: {k: el[k] for k in ("name", "index", "valid")} for e, el in t["elements"].items()}
    first, last = survey_year_range(period)
    return {"years": list(range(first, last + 1)), "part_of_year": not whole, "total": total,
            "weakest": weakest_criteria(con, period, unit, WEAKEST_SHOWN, result=result)}


def _index766(con, period: Period, unit: str, level: str) -> dict:
    """The 766 estimate of the unit as the Chỉ số 766 page shows it: the scope's total (its whole subtree) and its
    rank among the units of its level across the city (departments and districts on their subtrees)."""
    total = compute_index766(con, period, by="level", unit=unit)["total"]
    peers = compute_index766(con, period, by=level if level in RANK_BY_SUBTREE else "unit")
    mine = next((r for r in peers["rows"] if r["key"] == unit and r["level"] == level), None)
    groups = [{"id": g, "name": v["name"], "points": v["points"], "max_points": v["max_points"],
               "covered_points": v["covered_points"]} for g, v in total["groups"].items()]
    return {"total": total["total"], "max_points": total["max_points"], "covered_points": total["covered_points"],
            "band": total["band"], "groups": groups,
            "rank": mine["rank"] if mine else None, "peer_count": mine["peer_count"] if mine else None,
            "peer_group": mine["peer_group"] if mine else None}


def _tasks(con, unit: str, as_of: date) -> dict:
    status = unit_task_status(con, unit, as_of)
    row = status["row"]
    keep = ("tasks", "done", "done_on_time", "done_late", "under_way", "overdue", "recurring", "targets",
            "targets_done", "done_rate", "report_date", "sentence")
    return {"as_of": status["as_of"], "year": status["year"],
            "row": {k: _iso(row.get(k)) for k in keep} if row else None,
            "as_lead": {k: _iso(status["as_lead"].get(k)) for k in keep} if status["as_lead"] else None,
            "overdue": [{k: _iso(v) for k, v in item.items()} for item in status["overdue"]]}


def _par(con, as_of: date, unit: str) -> dict | None:
    """PAR INDEX points lost by area in the newest year scored up to the cut-off's year (the index of a year is
    published the next spring); None when the unit has no scores."""
    years = [y for y in par_years(con) if y <= as_of.year]
    for year in reversed(years):
        lost = points_lost_by_area(con, year, unit)
        if lost is not None:
            return {"year": year, **lost}
    return None


# ---------------------------------------------------------------------------------------------------------
# Public API.

def compute_inspection(con, unit: str, as_of: date, period: Period | None = None,
                       late_limit: int = LATE_LIMIT) -> dict:
    """The inspection pack of one unit (code or name; its whole subtree) for the period (default: 1 January of the
    cut-off's year to the cut-off) and the cut-off date of the plan's progress.

    Returns {"unit", "unit_name", "unit_level", "level_name", "parent", "parent_name", "as_of", "from", "to",
    "period_name", "period_short_name", "data_until", "counts", "scorecard": [card + "rank": {"rank", "ranked",
    "units"} | None], "peers": {"level", "level_name", "within", "within_name", "from", "to" (the structure ranked
    over: the period, or its latest part holding the unit when it spans a reorganization)}, "late": {"total_count", "counts",
    "limit", "rows" (oldest first), "apology_missing": {"total_count", "counts", "rows"}, "apology_unknown"}, "digital": [ids],
    "sipas": {…} | None, "index766": {…}, "tasks": {"row", "as_lead", "overdue", …}, "par": {…} | None,
    "questions": [text…]}. Counts are integers, rates fractions, gaps and changes in percentage points, dates
    ISO texts."""
    code, name, level = resolve_unit(con, unit)
    period = period or default_period(as_of)
    path = unit_path(con, code)
    parent = path[-1].parent_code if path else None
    parent_name = path[-2].name if len(path) > 1 else None
    data_from, data_until = data_date_range(con)
    card = compute_scorecard(con, period, unit=code, data_start=data_from)
    me = next((u for u in list_units(con) if u.code == code), None)   # with its validity (unit_path has none)
    ranked_over = _rank_period(con, period, me)
    ranks = _peer_rank(con, ranked_over, code, level, parent)
    scorecard = [{**c, "rank": ranks.get(c["id"])} for c in scorecard_rows(con, card, period, code)]
    pack = {
        "unit": code, "unit_name": name, "unit_level": level, "level_name": LEVEL_NAMES_VI.get(level, level),
        "parent": parent, "parent_name": parent_name, "as_of": as_of.isoformat(),
        "from": period.start.isoformat(), "to": period.end.isoformat(), "period_name": period_name_vi(period),
        "period_short_name": period_short_name(period), "data_until": _iso(data_until),
        "counts": card["counts"], "scorecard": scorecard,
        "peers": {"level": level, "level_name": LEVEL_NAMES_VI.get(level, level), "within": parent,
                  "within_name": parent_name, "from": ranked_over.start.isoformat(),
                  "to": ranked_over.end.isoformat()},
        "late": _late(con, period, code, late_limit), "digital": list(DIGITAL_INDICATORS),
        "sipas": _sipas(con, period, code), "index766": _index766(con, period, code, level),
        "tasks": _tasks(con, code, as_of), "par": _par(con, as_of, code),
    }
    pack["questions"] = questions(pack)
    return pack


def inspection_to_json(pack: dict) -> str:
    return json.dumps(pack, ensure_ascii=False, indent=2)
