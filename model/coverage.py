"""What the loaded dossiers cover (first and last day, sector names), stored at load so no view scans every dossier."""

__all__ = ["COVERAGE_TABLE", "LIVE_COVERAGE_SQL", "refresh_coverage"]

COVERAGE_TABLE = "data_coverage"

# One row: the first receipt day, the last receipt day, the newest snapshot date, and the sector names as the engine
# groups them (the dossier's own, else the procedure catalogue's). The same query answers live on a database made
# before this table existed (indicators/coverage.py), so the stored row and the live one cannot drift apart.
# Written for speed on millions of dossiers (measured on 9 million, 1 thread): min/max of the timestamp then cast
# (the cast keeps the order, so the day is the same) 1 ms instead of 26; the sectors as the dossiers' own names
# plus the catalogue's for dossiers without one, 41 ms instead of 83 for the same set through a join of every row.
LIVE_COVERAGE_SQL = """
    SELECT CAST(min(received_at) AS DATE) AS first_received, CAST(max(received_at) AS DATE) AS last_received,
           max(snapshot_date) AS last_snapshot,
           (SELECT coalesce(list(f), []) FROM (
                SELECT DISTINCT field_name AS f FROM dossiers WHERE field_name IS NOT NULL
                UNION
                SELECT p.field_name FROM procedures p
                WHERE p.field_name IS NOT NULL
                  AND p.procedure_code IN (SELECT procedure_code FROM dossiers WHERE field_name IS NULL))) AS sectors
    FROM dossiers"""


def refresh_coverage(con) -> None:
    """Rewrites the coverage row after a load (about 0,04 s on 9 million dossiers)."""
    con.execute(f"CREATE OR REPLACE TABLE {COVERAGE_TABLE} AS {LIVE_COVERAGE_SQL}")
