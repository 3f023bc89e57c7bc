"""Figures shaped for the dashboard, built on compute_period_table: key figures against targets, trends, rankings."""
from __future__ import annotations

from datetime import date

from model.measures import not_reported, unreported

from .definitions import INDICATOR_BY_ID, PERIOD_COLUMNS, Indicator
from .engine import compute_period_table, compute_period_totals, months_of, prefetch_sums, resolve_unit
from .periods import Period
from .ranking import MIN_DOSSIERS, TOO_SMALL, rank_rows
from .targets import judge, load_targets, pick_target
from .units import descendants, structure_parts

__all__ = ["compute_scorecard", "scorecard_periods", "trend_window", "compute_monthly_trend", "compute_ranking", "compute_rankings", "ranking_grouping",
           "compute_shortfalls", "RANK_BY_SUBTREE", "prefetch_view"]

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
    gap, the previous period's and the same period last year's value; no_data (no loaded export carries the
    rate's field) and unreported (dossiers of exports without it, left out; None: not such a rate). One engine call
    (scorecard_periods); a comparison period that ends before `data_start` has no values (None)."""
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
                      "no_data": not_reported(ind.denominator, current),
                      "unreported": unreported(ind.denominator, current),
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


def prefetch_view(con, period: Period, data_start: date | None, by: str | None = None, unit: str | None = None,
                  field: str | None = None) -> None:
    """Within a page view: the sums of the scorecard's periods (scorecard_periods) and of the trend's window and
    months (trend_window) by `by`, read in one query before the page's sections ask for them one by one (its cards,
    trend, month grid and a ranking by `by` over the period). Full sample: Tổng quan's totals and trend 31 + 51 →
    51 ms, Trực tuyến's with its month grid and ranking by department 31 + 125 + 40 → 134 ms."""
    window = trend_window(period, data_start)
    prefetch_sums(con, [*scorecard_periods(period), window, *months_of(window)], by, unit, field)


def compute_monthly_trend(con, window: Period, unit: str | None = None, field: str | None = None) -> list[dict]:
    """One row per calendar month of the window: that month's own §1 table and rates ('key' 2022-01, 'name'
    Tháng 01/2022, 'targets' {indicator: (comparator, value)}). One engine call."""
    level = resolve_unit(con, unit)[2] if unit else None
    # month rows carry no catalogue columns (only groupings of units do): the catalogue query would feed the total only
    rows = compute_period_table(con, window, by="month", unit=unit, field=field, catalogue=False)["rows"]
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
    rows = [_unit_row(ind, u, got.get(u.code, {}), *_judged(ind, u, got, targets, level), period, level)
            for u in peers]
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


def _judged(ind: Indicator, unit, got: dict, targets: dict, level: str) -> tuple[tuple | None, bool | None, float | None]:
    """(target, is_met, gap) of a unit on the indicator."""
    target = pick_target(targets, ind.target_key, [unit.code, level])
    return (target, *judge(got.get(unit.code, {}).get(ind.id), target, ind.unit))


def _unit_row(ind: Indicator, u, row: dict, target: tuple | None, is_met: bool | None, gap: float | None,
              period: Period, level: str) -> dict:
    """A unit's row of a ranking, before its rank."""
    num, den = _num_den(ind, row)
    return {"code": u.code, "name": u.name, "level": level, "parent_code": u.parent_code,
            # a unit that existed for part of the period only (merged, or new) says so: "(đến 28/02/2025)"
            "validity": u.validity_note(period.start, period.end), "value": row.get(ind.id), "numerator": num,
            "denominator": den, "received_new": row.get("received_new", 0), "resolved": row.get("resolved", 0),
            "target": target[1] if target else None, "comparator": target[0] if target else None,
            "is_met": is_met, "gap": gap, "no_data": not_reported(ind.denominator, row)}


def _volume(row: dict) -> int:
    return row["denominator"] if row.get("denominator") is not None else (row.get("resolved") or 0)


# ---------------------------------------------------------------------------------------------------------
# Units below target, for leadership's first look.

def compute_shortfalls(con, period: Period, indicator_ids: list[str], within: str | None = None,
                       field: str | None = None) -> list[dict]:
    """Per structure part of the period and per peer level valid in it (indicators.units.structure_parts), per
    indicator with a target: the units below it (the rows compute_rankings gives them, without their rank: is_met
    False, the largest gap first, then in the ranking's order), how many units were judged, and the distinct units
    below at least one target. One engine call per grouping and part (the levels ranked on their units' own
    dossiers share one); the figures are the rankings'. Only the units below a target get a row: ranking every
    unit of every level for nine indicators cost Tổng quan a third of its view."""
    groups = []
    for part in structure_parts(con, period.start, period.end, within):
        sub = Period(part.start, part.end)
        tables: dict[str, dict] = {}
        bys = {ranking_grouping(level) for level in part.levels}
        if "unit" in bys and len(bys) > 1:
            # the table by unit first: within a page view the other groupings are then added up from it
            tables["unit"] = compute_period_table(con, sub, by="unit", unit=within, field=field)
        targets = load_targets(con, sub.end.year)
        for level in part.levels:
            by = ranking_grouping(level)
            if by not in tables:
                tables[by] = compute_period_table(con, sub, by=by, unit=within, field=field)
            got = {r["key"]: r for r in tables[by]["rows"]}
            peers = [u for u in descendants(con, within, sub.start, sub.end) if u.level == level]
            items, below_codes, judged_any = [], set(), False
            for ind_id in indicator_ids:
                ind = INDICATOR_BY_ID[ind_id]
                judged, below = 0, []
                for u in peers:
                    target, is_met, gap = _judged(ind, u, got, targets, level)
                    if is_met is None:
                        continue
                    judged += 1
                    if is_met is False:
                        row = _unit_row(ind, u, got.get(u.code, {}), target, is_met, gap, sub, level)
                        row["volume"] = _volume(row)
                        row["too_small"] = row["volume"] < MIN_DOSSIERS   # rank_rows' TOO_SMALL
                        below.append(row)
                if not judged:
                    continue   # no target for this level, or no unit with a value
                judged_any = True
                below.sort(key=lambda r, ind=ind: _shortfall_order(r, ind))
                below_codes.update(r["code"] for r in below)
                level_target = pick_target(targets, ind.target_key, [level])
                items.append({"indicator": ind_id, "name_vi": ind.name_vi, "judged": judged,
                              "comparator": level_target[0] if level_target else None,
                              "target": level_target[1] if level_target else None, "below": below})
            groups.append({"level": level, "from": part.start.isoformat(), "to": part.end.isoformat(),
                           "units": len({u.code for u in peers}) if judged_any else 0,
                           "units_below": len(below_codes), "indicators": items})
    return groups


def _shortfall_order(row: dict, ind: Indicator) -> tuple:
    """The largest shortfall first, whatever the indicator's direction (a gap is value − target); equal gaps in the
    ranking's order: ranked units by value (best first, stable), then those with too few dossiers."""
    shortfall = row["gap"] if ind.direction == "higher" else -row["gap"]
    best_first = -row["value"] if ind.direction == "higher" else row["value"]
    return shortfall, row["too_small"], 0 if row["too_small"] else best_first
