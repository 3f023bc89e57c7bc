"""The stamp of the aggregate tables: written by the build, checked by readers choosing them or the raw table."""
import hashlib

from .facts import CAN_BE_LATE_SQL, DOSSIER_FACTS_SQL
from .late_rows import LIST_ROWS_SQL
from .measures import LATE_CELL_COLUMNS, MEASURES

__all__ = ["AGGREGATE_LAYOUT", "record_aggregate_state", "aggregates_are_fresh"]

# A fingerprint of the rules the aggregate tables are built by (the per-dossier facts, the measure table, the
# late cells and the late-list rows). Tables built under other rules are stale like tables built before the
# last load: a database made by an older version is then counted from the dossiers, instead of being read with
# columns it lacks or served the counts of a rule since changed. The next load rebuilds them.
AGGREGATE_LAYOUT = hashlib.sha256(
    repr((DOSSIER_FACTS_SQL, CAN_BE_LATE_SQL, LIST_ROWS_SQL, LATE_CELL_COLUMNS, MEASURES)).encode("utf-8")
).hexdigest()[:16]


def record_aggregate_state(con) -> None:
    """What the aggregate tables were built from: the last import, the number of dossiers and of holidays, and
    the rules (AGGREGATE_LAYOUT)."""
    con.execute("""CREATE OR REPLACE TABLE aggregate_state AS
        SELECT (SELECT max(import_id) FROM import_log) AS built_for_import_id,
               (SELECT count(*) FROM dossiers) AS dossier_count,
               (SELECT count(*) FROM holidays) AS holiday_count,
               $layout AS layout,
               now()::TIMESTAMP AS built_at""", {"layout": AGGREGATE_LAYOUT})


def aggregates_are_fresh(con) -> bool:
    """True when the aggregate tables exist and were built from the data as it is now (same last import, same
    number of dossiers and holidays) under the same rules, as record_aggregate_state wrote; otherwise the
    figures and the late list count from the raw table."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'aggregate_state' "
                         "AND NOT temporary").fetchall()[0][0]
    if not exists:
        return False
    state = con.execute("SELECT * FROM aggregate_state")
    names, row = [d[0] for d in state.description], state.fetchone()
    # read by name: a version that did not stamp its rules wrote no layout column, and its tables are stale
    built = dict(zip(names, row or ()))
    if built.get("layout") != AGGREGATE_LAYOUT:
        return False
    now = con.execute("""SELECT (SELECT max(import_id) FROM import_log), (SELECT count(*) FROM dossiers),
                                (SELECT count(*) FROM holidays)""").fetchone()
    return (built["built_for_import_id"], built["dossier_count"], built["holiday_count"]) == now
