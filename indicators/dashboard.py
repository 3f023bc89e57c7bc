"""Figures shaped for the dashboard, built on compute_period_table: key figures against targets, trends, rankings."""
from __future__ import annotations

from datetime import date

from .definitions import INDICATOR_BY_ID, PERIOD_COLUMNS, Indicator
from .engine import compute_period_table, compute_period_totals, resolve_unit
from .periods import Period
from .ranking import MIN_DOSSIERS, TOO_SMALL, rank_rows
from .targets import judge, load_targets, pick_target
from .units import descendants, structure_parts

__all__ = ["compute_scorecard", "scorecard_periods", "trend_window", "compute_monthly_trend", "compute_ranking", "compute_rankings", "ranking_grouping",
           "compute_shortfalls", "RANK_BY_SUBTREE"]

# Levels whose units are ranked on their whole subtree (the engine groups dossiers by the nearest ancestor of
# these levels); units of other levels are ranked on their own dossiers (by="unit").
RANK_BY_SUBTREE = ("district", "department")


def _counts(row: dict) -> dict:
    counts = {c: row.get(c, 0) for c, _ in PERIOD_COLUMNS}
    counts["resolved_in_time"] = counts["resolved_early"] + counts["resolved_on_time"]
    return counts


def _num_den(ind: Indicator, row: dict) -> tuple[int | None, int | None]:
    """Numerator and denominator when the row carries the denominator (the table holds rates, not every
    measure); the numerator is then value × denominator, exact for counts."""
    den = row.get(ind.denominator)
    value = row.get(ind.id)
    if den is None or ind.unit != "fraction":
        return None, den
    return (round(value * den / ind.factor) if value is not None else None), den


def scorecard_periods(period: Period) -> tuple[Period, Period, Period]:
    """The period, the one before and the same period a year before: what compute_scorecard compares."""
    return period, period.previous(), period.same_period_last_year()


def compute_scorecard(con, period: Period, unit: str | None = None, field: str | None = None,
                      indicator_ids: list[str] | None = None, data_start: date | None = None) -> dict:
    """Counts of the §1 table and, per indicator: value, numerator/denominator (when known), target, is_met,
    gap, the previous period's and the same period last year's value. One engine call (scorecard_periods); a
    comparison period that ends before `data_start` has no values (None)."""
    ids = indicator_ids or list(INDICATOR_BY_ID)
    level = resolve_unit(con, unit)[2] if unit else None
    periods = scorecard_periods(period)
    # The counts and the dossier rates need no procedure catalogue: read it only for a catalogue rate.
    catalogue = any(INDICATOR_BY_ID[i].source == "catalogue" for i in ids)
    current, previous, last_year = [
        total if i == 0 or data_start is None or p.end >= data_start else {}
        for i, (p, total) in enumerate(zip(periods, compute_period_totals(con, periods, unit, field, catalogue)))]
    targets = load_targets(con, period.end.year)
    cards = []
    for ind_id in ids:
        ind = INDICATOR_BY_ID[ind_id]
        value = current.get(ind_id)
        target = pick_target(targets, ind.target_key, [unit, level])
        is_met, gap = judge(value, target, ind.unit)
        num, den = _num_den(ind, current)
        cards.append({"id": ind.id, "name_vi": ind.name_vi, "unit": ind.unit, "decimals": ind.decimals,
                      "direction": ind.direction, "value": value, "numerator": num, "denominator": den,
                      "comparator": target[0] if target else None, "target": target[1] if target else None,
                      "is_met": is_met, "gap": gap, "previous_value": previous.get(ind_id),
                      "last_year_value": last_year.get(ind_id)})
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "unit": unit, "field": field,
            "counts": _counts(current), "indicators": cards}


# ---------------------------------------------------------------------------------------------------------
# Trends.

def trend_window(period: Period, data_start: date | None = None, months: int = 12) -> Period:
    """The months shown in a trend: the `months` calendar months ending with the period's last month (the whole
    period when longer), starting no earlier than the month the data starts."""
    y, m = period.end.year, period.end.month - (months - 1)
    while m < 1:
        y, m = y - 1, m + 12
    start = min(period.start, date(y, m, 1))
    if data_start is not None:
        start = max(start, data_start.replace(day=1))
    return Period(min(start, period.end), period.end)


def compute_monthly_trend(con, window: Period, unit: str | None = None, field: str | None = None) -> list[dict]:
    """One row per calendar month of the window: that month's own §1 table and rates ('key' 2022-01, 'name'
    Tháng 01/2022, 'targets' {indicator: (comparator, value)}). One engine call."""
    level = resolve_unit(con, unit)[2] if unit else None
    rows = compute_period_table(con, window, by="month", unit=unit, field=field)["rows"]
    by_year = {}
    for row in rows:
        year = int(row["key"][:4])
        if year not in by_year:
            by_year[year] = load_targets(con, year)
        row["targets"] = {i: t for i, ind in INDICATOR_BY_ID.items()
                          if (t := pick_target(by_year[year], ind.target_key, [unit, level]))}
    return rows


# ---------------------------------------------------------------------------------------------------------
# Rankings within one peer group.

def compute_ranking(con, indicator_id: str, period: Period, level: str, within: str | None = None,
                    field: str | None = None) -> dict:
    """Units of one level under `within` (anywhere when None), best first by the indicator's direction; units
    with no value (no dossier in the period) last. Rank ties share a rank (1, 2, 2, 4); a unit whose indicator
    rests on fewer than MIN_DOSSIERS dossiers is listed but not ranked (rank None, too_small True). One engine call.
    The units are those valid in the period: give it a period of one structure (indicators.units.structure_parts)
    — a period spanning a reorganization is ranked part by part, never old and new units together."""
    return compute_rankings(con, [indicator_id], period, level, within, field)[indicator_id]


def ranking_grouping(level: str) -> str:
    """The engine grouping a level is ranked on: its own (whole subtree) for RANK_BY_SUBTREE, else the unit's own."""
    return level if level in RANK_BY_SUBTREE else "unit"


def compute_rankings(con, indicator_ids: list[str], period: Period, level: str, within: str | None = None,
                     field: str | None = None, table: dict | None = None) -> dict[str, dict]:
    """compute_ranking of several indicators of one peer level from one engine call: {indicator: ranking}.
    table: compute_period_table(period, by=ranking_grouping(level), unit=within, field=field) when the caller has it
    already (levels ranked by unit share one)."""
    by = ranking_grouping(level)
    table = table or compute_period_table(con, period, by=by, unit=within, field=field)
    got = {r["key"]: r for r in table["rows"]}
    targets = load_targets(con, period.end.year)
    peers = [u for u in descendants(con, within, period.start, period.end) if u.level == level]
    return {i: _ranking(INDICATOR_BY_ID[i], got, targets, peers, period, level, within, field, by != "unit")
            for i in indicator_ids}


def _ranking(ind: Indicator, got: dict, targets: dict, peers: list, period: Period, level: str,
             within: str | None, field: str | None, by_subtree: bool) -> dict:
    rows = []
    for u in peers:
        row = got.get(u.code, {})
        value = row.get(ind.id)
        target = pick_target(targets, ind.target_key, [u.code, level])
        is_met, gap = judge(value, target, ind.unit)
        num, den = _num_den(ind, row)
        rows.append({"code": u.code, "name": u.name, "level": level, "parent_code": u.parent_code,
                     # a unit that existed for part of the period only (merged, or new) says so: "(đến 28/02/2025)"
                     "validity": u.validity_note(period.start, period.end), "value": value, "numerator": num, "denominator": den,
                     "received_new": row.get("received_new", 0), "resolved": row.get("resolved", 0),
                     "target": target[1] if target else None, "comparator": target[0] if target else None,
                     "is_met": is_met, "gap": gap})
    # The volume is the indicator's own denominator where the table carries it (dossiers resolved for the on-time
    # rate), else the dossiers resolved: a unit with a handful of dossiers is not ranked above one with thousands.
    placings = rank_rows(rows, "value", direction=ind.direction, volume=_volume, min_volume=MIN_DOSSIERS)
    for r, placing in zip(rows, placings):
        r["rank"], r["tied"], r["too_small"] = placing.rank, placing.tied, placing.reason == TOO_SMALL
        r["volume"] = _volume(r)
    # ranked first (stable: tied units keep the catalogue's order), then too few dossiers, then no value
    rows.sort(key=lambda r: (r["rank"] is None, r["value"] is None, r["rank"] or 0))
    level_target = pick_target(targets, ind.target_key, [level])
    return {"indicator": ind.id, "name_vi": ind.name_vi, "level": level, "within": within,
            "field": field, "from": period.start.isoformat(), "to": period.end.isoformat(), "by_subtree": by_subtree,
            "comparator": level_target[0] if level_target else None, "min_dossiers": MIN_DOSSIERS,
            "target": level_target[1] if level_target else None, "rows": rows}


def _volume(row: dict) -> int:
    return row["denominator"] if row.get("denominator") is not None else (row.get("resolved") or 0)


# ---------------------------------------------------------------------------------------------------------
# Units below target, for leadership's first look.

def compute_shortfalls(con, period: Period, indicator_ids: list[str], within: str | None = None,
                       field: str | None = None) -> list[dict]:
    """Per structure part of the period and per peer level valid in it (indicators.units.structure_parts), per
    indicator with a target: the units below it (rows of compute_rankings whose is_met is False, the largest gap
    first), how many units were judged, and the distinct units below at least one target. One engine call per
    grouping and part (the levels ranked on their units' own dossiers share one); the figures are the rankings'."""
    groups = []
    for part in structure_parts(con, period.start, period.end, within):
        sub = Period(part.start, part.end)
        tables: dict[str, dict] = {}
        bys = {ranking_grouping(level) for level in part.levels}
        if "unit" in bys and len(bys) > 1:
            # the table by unit first: within a page view the other groupings are then added up from it
            tables["unit"] = compute_period_table(con, sub, by="unit", unit=within, field=field)
        for level in part.levels:
            by = ranking_grouping(level)
            if by not in tables:
                tables[by] = compute_period_table(con, sub, by=by, unit=within, field=field)
            rankings = compute_rankings(con, indicator_ids, sub, level, within, field, table=tables[by])
            items, below_codes, units = [], set(), set()
            for ind_id in indicator_ids:
                ranking = rankings[ind_id]
                judged = [r for r in ranking["rows"] if r["is_met"] is not None]
                if not judged:
                    continue   # no target for this level, or no unit with a value
                units.update(r["code"] for r in ranking["rows"])
                below = sorted((r for r in judged if r["is_met"] is False), key=lambda r: _shortfall(r, ind_id))
                below_codes.update(r["code"] for r in below)
                items.append({"indicator": ind_id, "name_vi": ranking["name_vi"], "judged": len(judged),
                              "comparator": ranking["comparator"], "target": ranking["target"], "below": below})
            groups.append({"level": level, "from": part.start.isoformat(), "to": part.end.isoformat(),
                           "units": len(units), "units_below": len(below_codes), "indicators": items})
    return groups


def _shortfall(row: dict, ind_id: str) -> float:
    """Sort key: the largest shortfall first, whatever the indicator's direction (a gap is value − target)."""
    return row["gap"] if INDICATOR_BY_ID[ind_id].direction == "higher" else -row["gap"]
