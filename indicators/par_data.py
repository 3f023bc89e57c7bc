"""The city's own figures a PAR INDEX criterion is scored from: dossier rates (engine), SIPAS (sipas), the 766
index (index766) and the plan tasks' done rate (tasks), per unit for one year."""
from __future__ import annotations

from .coverage import data_date_range
# Departments and districts answer for their whole subtree, as the Đơn vị page ranks them.
from .dashboard import ranking_grouping
from .definitions import INDICATOR_BY_ID
from .engine import compute_period_table
from .index766 import Index766ConfigError, compute_index766
from .periods import Period
# compute_sipas's own steps: its rows also carry last year, targets, criteria and ranks, which cost 3× the indices
from .sipas import unit_indices_of
from .tasks import plan_done_rate as _tasks_done_rate
from .view_cache import kept_with

__all__ = ["NO_DATA", "data_values", "plan_done_rate"]

NO_DATA = "chưa có dữ liệu"
SIPAS_INDICATORS = ("sipas", "sipas_1", "sipas_2", "sipas_3", "sipas_4", "sipas_5")


def plan_done_rate(con, year: int, units: list[str]) -> tuple[dict[str, float], str]:
    """{unit code: share of the year's plan tasks done at the year's end (indicators.tasks.plan_done_rate)} for
    the units asked, and the reason given where a unit has none."""
    rates = _tasks_done_rate(con, year)
    wanted = set(units)
    done = {code: r["rate"] for code, r in rates.items() if code in wanted and r["rate"] is not None}
    return done, f"{NO_DATA} (chưa nạp kế hoạch CCHC năm {year} của đơn vị)"


def _766_value(row: dict) -> float | None:
    """The 766 score over its maximum (cli.md: `total` of `max_points`), None without data."""
    if row.get("total") is not None and row.get("max_points"):
        return row["total"] / row["max_points"]
    return None


def _unit_indices(con, period: Period) -> dict:
    """SIPAS's unit_indices of `period`; in a page view, asked for a year, those of the year before come from the
    same query and are kept for the view (the page's last-year figures read them: one query, not two)."""
    return kept_with("par_sipas_indices", period, Period.year(period.start.year - 1),
                     lambda periods: dict(zip(periods, unit_indices_of(con, periods))))


def _sipas_values(con, period: Period, levels: dict[str, str]) -> dict:
    """{(unit code, "sipas" or "sipas_1" … "sipas_5"): index} of the units of `levels`: compute_sipas(by="unit")'s
    SIPAS and element indices, from the same counts and the same rule, without the rest of its rows."""
    values = {}
    for code, figures in _unit_indices(con, period).items():
        if code in levels:
            values[(code, "sipas")] = figures["sipas"]
            values.update({(code, f"sipas_{e}"): index for e, index in figures["elements"].items()})
    return values


def data_values(con, year: int, needed: set[str], levels: dict[str, str]) -> tuple[dict, dict]:
    """({(unit code, indicator): value as a fraction}, {indicator: why a unit has no value}) for the indicators
    `needed` and the units of `levels` (unit code → level). Each source is computed once, for the year."""
    period = Period.year(year)
    values: dict[tuple[str, str], float] = {}
    missing = {ind: f"{NO_DATA} năm {year}" for ind in needed}
    counted = needed & {*INDICATOR_BY_ID, "index766"}   # the figures counted from dossiers
    first, last = data_date_range(con) if counted else (None, None)
    if counted and (first is None or first > period.end or last < period.start):   # no dossier that year
        missing.update({ind: f"{NO_DATA} hồ sơ năm {year}" for ind in counted})
        needed = needed - counted
    rates = sorted(needed & set(INDICATOR_BY_ID))
    # the procedure catalogue's counts (a query of their own) only when a rate needed is read from them
    catalogue = any(INDICATOR_BY_ID[ind].source == "catalogue" for ind in rates)
    for by in sorted({ranking_grouping(lv) for lv in levels.values()}) if rates else ():
        table = compute_period_table(con, period, by=by, catalogue=catalogue)
        for row in table["rows"]:
            if row["key"] in levels and ranking_grouping(levels[row["key"]]) == by:
                values.update({(row["key"], ind): row.get(ind) for ind in rates if row.get(ind) is not None})
    if needed & set(SIPAS_INDICATORS):
        values.update(_sipas_values(con, period, levels))
    if "index766" in needed:
        try:
            for by in sorted({ranking_grouping(lv) for lv in levels.values()}):
                for row in compute_index766(con, period, by=by, with_published=False)["rows"]:
                    if row["key"] in levels and ranking_grouping(levels[row["key"]]) == by:
                        values[(row["key"], "index766")] = _766_value(row)
        except Index766ConfigError as exc:
            missing["index766"] = f"{NO_DATA} ({exc})"
    if "plan_done_rate" in needed:
        done, why = plan_done_rate(con, year, sorted(levels))
        values.update({(code, "plan_done_rate"): v for code, v in done.items()})
        missing["plan_done_rate"] = why
    return {k: v for k, v in values.items() if v is not None}, missing
