"""Builds the tables the pages read from the measure table: dossier events per unit × day, and the few dossiers that can be late."""
from __future__ import annotations

from .facts import CAN_BE_LATE_SQL, DOSSIER_FACTS_SQL
from .freshness import record_aggregate_state
from .late_rows import LIST_ROWS_SQL
from .measures import LATE_CELL_COLUMNS, Measure, day_measures

__all__ = ["DAY_COLUMNS", "build_aggregates"]

# Every measure counted on the receipt day or on the closing day (model/measures.py) is a column of the day
# tables; a period's figure is the sum over its days. What needs the receipt, the due date and F against the
# period at once (pending overdue, the 766 progress of dossiers received in the period) comes from
# agg_late_cells, which keeps those dates of every dossier that can be late; the stocks (carried over, pending)
# are running sums of received_new − closed.
DAY_COLUMNS: list[str] = [m.name for m in day_measures()]


def _value_sql(m: Measure) -> str:
    """The measure of one dossier on its day: 1/0 for a count, the summed value (0 outside the predicate)."""
    if m.summed:
        return f"(CASE WHEN {m.predicate} THEN {m.summed} ELSE 0 END)::BIGINT"
    return f"({m.predicate})::INTEGER"


def _events_sql() -> str:
    """One event row per dossier on its receipt day and one on its closing day, each filling its own columns."""
    keys = "unit_code, field_key, procedure_key"

    def columns(day: str) -> str:
        return ", ".join(f"{_value_sql(m) if m.day == day else 0} AS {m.name}" for m in day_measures())
    return f"""
        SELECT {keys}, r_date AS day, {columns('received')} FROM _facts
        UNION ALL
        SELECT {keys}, f_date AS day, {columns('closed')} FROM _facts WHERE f_date IS NOT NULL"""


def _sums() -> str:
    return ", ".join(f"sum({m.name})::{'BIGINT' if m.summed else 'INTEGER'} AS {m.name}" for m in day_measures())


def build_aggregates(con) -> None:
    """(Re)build agg_cells, agg_unit_day, agg_field_day, agg_late_cells, late_dossier_rows and aggregate_state;
    call inside the load's transaction so readers see old or new tables, never a mix."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _facts AS {DOSSIER_FACTS_SQL}")
    # unit × sector × procedure × day: serves the sector filter and the field / procedure groupings.
    con.execute(f"""CREATE OR REPLACE TABLE agg_cells AS
        SELECT unit_code, field_key, procedure_key, day, {_sums()}
        FROM ({_events_sql()}) GROUP BY ALL""")
    # unit × day: every unit-shaped view (unit, level, district, department, month) reads only this.
    con.execute(f"""CREATE OR REPLACE TABLE agg_unit_day AS
        SELECT unit_code, day, {_sums()} FROM agg_cells GROUP BY ALL""")
    # sector × procedure × day over every unit: the city-wide sector and procedure views, without scanning the
    # unit detail (unit_code is kept, always NULL, so the same query reads any of the three day tables).
    con.execute(f"""CREATE OR REPLACE TABLE agg_field_day AS
        SELECT NULL::VARCHAR AS unit_code, field_key, procedure_key, day, {_sums()}
        FROM agg_cells GROUP BY ALL""")
    # Dossiers that are late, or can be pending overdue at some period end (due < P1 < F needs F > due + 1),
    # with the columns the late measures are counted over.
    late_columns = ", ".join(f"{sql} AS {name}" for name, sql in LATE_CELL_COLUMNS.items())
    con.execute(f"""CREATE OR REPLACE TABLE agg_late_cells AS
        SELECT unit_code, field_key, procedure_key, {late_columns}, count(*)::INTEGER AS n
        FROM _facts
        WHERE {CAN_BE_LATE_SQL}
        GROUP BY ALL""")
    # The rows of the late-dossier list, for the dossiers that can be late (a few per cent of them).
    con.execute(f"""CREATE OR REPLACE TABLE late_dossier_rows AS
        {LIST_ROWS_SQL.format(facts='_facts')} WHERE {CAN_BE_LATE_SQL}""")
    record_aggregate_state(con)
    con.execute("DROP TABLE _facts")
