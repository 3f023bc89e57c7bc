"""Each unit's share of its plan's tasks done at the plan year's end (the figure PAR INDEX's plan criterion is
checked against), stored at load in plan_done_rates so a view reads it instead of matching every progress line
to its task (~40 ms on the full sample, 1 thread); rebuilt only when the plans, their reports or the units change."""
import hashlib

from .plan_tasks import DONE_BUCKETS, STATUS_SQL
from .stored_tables import refresh_stored, stored_is_fresh

__all__ = ["DONE_RATE_SQL", "DONE_RATES_TABLE", "year_end_cutoff", "done_rate_rows", "refresh_plan_done",
           "plan_done_is_fresh"]

DONE_RATES_TABLE = "plan_done_rates"
_STATE_TABLE = "plan_done_rates_state"

# Per issuing unit (its code, else its name as written) of the plans of $year: tasks (nhiệm vụ, chỉ tiêu apart)
# and those done at $as_of; indicators/tasks.py's by-unit rows, their counts only.
DONE_RATE_SQL = STATUS_SQL + f"""
SELECT coalesce(min(plan_unit_code), min(unit_text)) AS key, count(*) FILTER (WHERE NOT is_target) AS tasks,
       count(*) FILTER (WHERE NOT is_target AND bucket IN {DONE_BUCKETS}) AS done
FROM scoped GROUP BY plan_unit"""
# The tables STATUS_SQL reads (duckdb.get_table_names cannot read a query with parameters).
_INPUTS = ("plan_tasks", "task_progress", "unit_keys", "units")
_LAYOUT = hashlib.sha256(DONE_RATE_SQL.encode("utf-8")).hexdigest()[:16]


def year_end_cutoff(con, year: int):
    """The year's end, or the newest report on that year's plans if later (the year-end report often comes in
    January)."""
    return con.execute("""SELECT greatest(make_date($year, 12, 31), max(report_date)) FROM task_progress
                          WHERE year = $year""", {"year": year}).fetchone()[0]


def done_rate_rows(con, year: int, as_of) -> list[tuple]:
    """(key, tasks, done) of every issuing unit of the year's plans at `as_of`, computed from the plans."""
    return con.execute(DONE_RATE_SQL, {"year": year, "as_of": as_of, "scope": None, "lead_scope": None}).fetchall()


def _build(con) -> None:
    con.execute(f"""CREATE OR REPLACE TABLE {DONE_RATES_TABLE} (year INTEGER, as_of DATE, key VARCHAR,
                                                                 tasks BIGINT, done BIGINT)""")
    for (year,) in con.execute("SELECT DISTINCT year FROM plan_tasks ORDER BY 1").fetchall():
        con.execute(f"INSERT INTO {DONE_RATES_TABLE} SELECT $year, $as_of, * FROM ({DONE_RATE_SQL})",
                    {"year": year, "as_of": year_end_cutoff(con, year), "scope": None, "lead_scope": None})


def refresh_plan_done(con) -> bool:
    """After a load: rebuilds plan_done_rates (every plan year at its year-end cut-off) when its inputs or rule
    changed (True)."""
    return refresh_stored(con, _STATE_TABLE, _LAYOUT, _INPUTS, _build)


def plan_done_is_fresh(con, state=None) -> bool:
    """Whether plan_done_rates may be read (model/stored_tables.py stored_is_fresh)."""
    return stored_is_fresh(con, _STATE_TABLE, _LAYOUT, state)
