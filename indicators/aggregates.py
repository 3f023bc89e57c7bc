"""Builds the tables the pages read: dossier events per unit × day, and the few dossiers that can be late."""
from __future__ import annotations

from .facts import CAN_BE_LATE_SQL, DOSSIER_FACTS_SQL, IS_EARLY_SQL, IS_LATE_SQL, IS_ON_TIME_SQL

__all__ = ["RECEIVED_COLUMNS", "CLOSING_COLUMNS", "build_aggregates", "aggregates_are_fresh"]

# Every §1 column and §2 measure is a sum over days of one of these, except the ones that depend on both the
# receipt and the finish relative to the period (pending overdue, and the 766 progress of dossiers received in
# the period); those come from agg_late_cells, which keeps the three dates of every dossier that can be late.
#
# Counted on the receipt day (r_date):
RECEIVED_COLUMNS = {
    "received_new": "true",
    "received_online": "channel = 'online'",
    "received_postal": "channel = 'postal'",
    "received_eligible": "proc_online",
    "received_online_eligible": "channel = 'online' AND proc_online",
    "received_fee": "coalesce(fee_amount, 0) > 0",
    "received_fee_paid_online": "coalesce(fee_amount, 0) > 0 AND coalesce(is_paid_online, false)",
    "received_digitized": "coalesce(is_digitized, false)",
    "received_data_reused": "coalesce(is_data_reused, false)",
    "received_synced": "coalesce(is_synced_national, false)",
}
# Counted on the closing day (f_date); 'closed' is every closing, resolved or returned.
CLOSING_COLUMNS = {
    "closed": "true",
    "resolved": "NOT is_returned",
    "returned": "is_returned",
    "resolved_early": IS_EARLY_SQL,
    "resolved_on_time": IS_ON_TIME_SQL,
    "resolved_late": IS_LATE_SQL,
    "resolved_late_apology": f"{IS_LATE_SQL} AND coalesce(is_apology_issued, false)",
    "resolved_same_day": "NOT is_returned AND f_date = r_date",
    "resolved_e_result": "NOT is_returned AND coalesce(has_e_result, false)",
    "rated": "rating IS NOT NULL",
    "rated_satisfied": "rating IN ('very_satisfied', 'satisfied')",
}
_SUMMED_CLOSING = {"resolved_workdays": "CASE WHEN NOT is_returned THEN workdays ELSE 0 END"}


def _events_sql() -> str:
    received = ", ".join(f"({expr})::INTEGER AS {name}" for name, expr in RECEIVED_COLUMNS.items())
    zero_received = ", ".join(f"0 AS {name}" for name in RECEIVED_COLUMNS)
    closing = ", ".join(f"({expr})::INTEGER AS {name}" for name, expr in CLOSING_COLUMNS.items())
    closing += ", " + ", ".join(f"({expr})::BIGINT AS {name}" for name, expr in _SUMMED_CLOSING.items())
    zero_closing = ", ".join(f"0 AS {name}" for name in [*CLOSING_COLUMNS, *_SUMMED_CLOSING])
    keys = "unit_code, field_key, procedure_key"
    return f"""
        SELECT {keys}, r_date AS day, {received}, {zero_closing} FROM _facts
        UNION ALL
        SELECT {keys}, f_date AS day, {zero_received}, {closing} FROM _facts WHERE f_date IS NOT NULL"""


def _sums(columns) -> str:
    return ", ".join(f"sum({c})::{'BIGINT' if c in _SUMMED_CLOSING else 'INTEGER'} AS {c}" for c in columns)


ALL_DAY_COLUMNS = [*RECEIVED_COLUMNS, *CLOSING_COLUMNS, *_SUMMED_CLOSING]


def build_aggregates(con) -> None:
    """(Re)build agg_cells, agg_unit_day, agg_field_day, agg_late_cells, late_dossier_rows and aggregate_state;
    call inside the load's transaction so readers see old or new tables, never a mix."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _facts AS {DOSSIER_FACTS_SQL}")
    # unit × sector × procedure × day: serves the sector filter and the field / procedure groupings.
    con.execute(f"""CREATE OR REPLACE TABLE agg_cells AS
        SELECT unit_code, field_key, procedure_key, day, {_sums(ALL_DAY_COLUMNS)}
        FROM ({_events_sql()}) GROUP BY ALL""")
    # unit × day: every unit-shaped view (unit, level, district, department, month) reads only this.
    con.execute(f"""CREATE OR REPLACE TABLE agg_unit_day AS
        SELECT unit_code, day, {_sums(ALL_DAY_COLUMNS)} FROM agg_cells GROUP BY ALL""")
    # sector × procedure × day over every unit: the city-wide sector and procedure views, without scanning the
    # unit detail (unit_code is kept, always NULL, so the same query reads any of the three day tables).
    con.execute(f"""CREATE OR REPLACE TABLE agg_field_day AS
        SELECT NULL::VARCHAR AS unit_code, field_key, procedure_key, day, {_sums(ALL_DAY_COLUMNS)}
        FROM agg_cells GROUP BY ALL""")
    # Dossiers that are late, or can be pending overdue at some period end (due < P1 < F needs F > due + 1).
    con.execute(f"""CREATE OR REPLACE TABLE agg_late_cells AS
        SELECT unit_code, field_key, procedure_key, r_date, f_date, due_date,
               f_date IS NOT NULL AND {IS_LATE_SQL} AS is_resolved_late,
               count(*)::INTEGER AS n,
               count(*) FILTER (WHERE coalesce(is_apology_issued, false))::INTEGER AS n_apology
        FROM _facts
        WHERE {CAN_BE_LATE_SQL}
        GROUP BY ALL""")
    # The rows of the late-dossier list, for the dossiers that can be late (a few per cent of them).
    from .dossier_list import LIST_ROWS_SQL   # dossier_list reads the table built here
    con.execute(f"""CREATE OR REPLACE TABLE late_dossier_rows AS
        {LIST_ROWS_SQL.format(facts='_facts')} WHERE {CAN_BE_LATE_SQL}""")
    con.execute("""CREATE OR REPLACE TABLE aggregate_state AS
        SELECT (SELECT max(import_id) FROM import_log) AS built_for_import_id,
               (SELECT count(*) FROM dossiers) AS dossier_count,
               (SELECT count(*) FROM holidays) AS holiday_count,
               now()::TIMESTAMP AS built_at""")
    con.execute("DROP TABLE _facts")


def aggregates_are_fresh(con) -> bool:
    """True when the aggregate tables exist and were built from the data as it is now (same last import, same
    number of dossiers and holidays); otherwise the engine counts from the raw table."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'aggregate_state' "
                         "AND NOT temporary").fetchall()[0][0]
    if not exists:
        return False
    return bool(con.execute("""
        SELECT s.built_for_import_id IS NOT DISTINCT FROM (SELECT max(import_id) FROM import_log)
           AND s.dossier_count = (SELECT count(*) FROM dossiers)
           AND s.holiday_count = (SELECT count(*) FROM holidays)
        FROM aggregate_state s""").fetchall()[0][0])
