"""The stamp of the aggregate tables: written by the build, checked by readers choosing them or the raw table."""

__all__ = ["record_aggregate_state", "aggregates_are_fresh"]


def record_aggregate_state(con) -> None:
    """What the aggregate tables were built from: the last import, the number of dossiers and of holidays."""
    con.execute("""CREATE OR REPLACE TABLE aggregate_state AS
        SELECT (SELECT max(import_id) FROM import_log) AS built_for_import_id,
               (SELECT count(*) FROM dossiers) AS dossier_count,
               (SELECT count(*) FROM holidays) AS holiday_count,
               now()::TIMESTAMP AS built_at""")


def aggregates_are_fresh(con) -> bool:
    """True when the aggregate tables exist and were built from the data as it is now (same last import, same
    number of dossiers and holidays as record_aggregate_state wrote); otherwise the figures and the late list
    count from the raw table."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'aggregate_state' "
                         "AND NOT temporary").fetchall()[0][0]
    if not exists:
        return False
    return bool(con.execute("""
        SELECT s.built_for_import_id IS NOT DISTINCT FROM (SELECT max(import_id) FROM import_log)
           AND s.dossier_count = (SELECT count(*) FROM dossiers)
           AND s.holiday_count = (SELECT count(*) FROM holidays)
        FROM aggregate_state s""").fetchall()[0][0])
