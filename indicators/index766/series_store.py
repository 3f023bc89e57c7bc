"""The city's 766 facts of the calendar months and ISO weeks of the latest data (series_refresh.series_periods: the
15 months to the data's last day, to its quarter's end, and the weeks of its last two quarters), stored at load:
what the Chỉ số 766 page's trend scores (the city's total per month and per week), read instead of gathered.

Why: the trend's 12 months and up to 13 weeks cost a third of the page's first view (~50 of ~165 ms CPU on the full
sample: its measure query and its share of the catalogue and input queries), for figures that change only when data
is loaded. The facts are gathered at load by the function a view calls (sources.gather_city_totals) and read only
under the stamp of indicators/stored_stamp.py; a period not stored, a scoped view (a unit's account or filter) or a
stale stamp gathers live, with the same result. indicators/index766/series_refresh.py writes them."""
from __future__ import annotations

from ..periods import Period
from ..stored_stamp import stamp_is_fresh
from ..view_cache import reused_in_view

__all__ = ["PERIODS_TABLE", "COUNTS_TABLE", "INPUTS_TABLE", "STATE_TABLE", "stored_totals"]

PERIODS_TABLE = "index766_series_periods"    # the periods stored (a period with nothing has no other row)
COUNTS_TABLE = "index766_series_counts"      # part 'measures' (the dossiers) or 'procedures' (the catalogue): name, value
INPUTS_TABLE = "index766_series_inputs"      # the 766 input files' figure of each field
STATE_TABLE = "index766_series_state"


@reused_in_view()   # one read per view
def _stored(con) -> dict | None:
    """{(first day, last day): {"measures", "procedures", "inputs"}} of every stored period, None when stale."""
    if not stamp_is_fresh(con, STATE_TABLE, {PERIODS_TABLE, COUNTS_TABLE, INPUTS_TABLE}):
        return None
    out = {(a, b): {"measures": {}, "procedures": {}, "inputs": {}}
           for a, b in con.execute(f"SELECT period_from, period_to FROM {PERIODS_TABLE}").fetchall()}
    for a, b, part, name, value in con.execute(f"SELECT * FROM {COUNTS_TABLE}").fetchall():
        out[(a, b)][part][name] = value
    for a, b, field, num, den, first, last in con.execute(f"SELECT * FROM {INPUTS_TABLE}").fetchall():
        out[(a, b)]["inputs"][field] = {"numerator": num, "denominator": den, "from": first, "to": last}
    return out


def stored_totals(con, periods: dict[str, Period]) -> dict[str, dict]:
    """{key: the city's facts of the period without the load flags} for the periods stored; {} when stale."""
    stored = _stored(con)
    if not stored:
        return {}
    return {key: _copy(stored[(p.start, p.end)]) for key, p in periods.items() if (p.start, p.end) in stored}


def _copy(facts: dict) -> dict:
    """Fresh dicts, as a gathering makes: the view keeps the stored ones for its next call."""
    return {"measures": dict(facts["measures"]), "procedures": dict(facts["procedures"]),
            "inputs": {field: dict(v) for field, v in facts["inputs"].items()}}
