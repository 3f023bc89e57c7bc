"""The stamp of the aggregate tables: written by the build, checked by readers choosing them or the raw table."""
import hashlib

import duckdb

from .catalog import DatabaseState, read_database_state
from .facts import CAN_BE_LATE_SQL, DOSSIER_FACTS_SQL
from .stored_rows import STORED_ROWS_LAYOUT, STORED_TABLES, stored_tables_exist
from .late_rows import LIST_ROWS_SQL
from .measures import LATE_CELL_COLUMNS, MEASURES, day_measures, day_value_sql

__all__ = ["AGGREGATE_LAYOUT", "INPUT_TABLES", "aggregates_are_fresh", "fingerprint", "inputs_fingerprint", "record_aggregate_state",
           "recorded_state", "stored_rows_in_step"]

# A fingerprint of the rules the aggregate tables are built by (the per-dossier facts, the measure table, the
# late cells and the late-list rows). Tables built under other rules are stale like tables built before the
# last load: a database made by an older version is then counted from the dossiers, instead of being read with
# columns it lacks or served the counts of a rule since changed. The next load rebuilds them.
AGGREGATE_LAYOUT = hashlib.sha256(
    repr((DOSSIER_FACTS_SQL, CAN_BE_LATE_SQL, LIST_ROWS_SQL, LATE_CELL_COLUMNS, MEASURES,
          [day_value_sql(m) for m in day_measures()])).encode("utf-8")
).hexdigest()[:16]


# Besides the dossiers, the tables every dossier's aggregated figures depend on: those the facts and the late-list
# rows read (the procedure catalogue's field and online level, the holidays, the unit names), found in the SQL
# itself so a table a later rule reads is covered too, and unit_keys, through which a units load rewrites the
# unit of dossiers waiting for theirs. A change to any of them changes the figures of dossiers no load touched:
# model/incremental.py then rebuilds every table instead of applying the load's change.
INPUT_TABLES = tuple(sorted(
    (duckdb.get_table_names(DOSSIER_FACTS_SQL) | duckdb.get_table_names(LIST_ROWS_SQL.format(facts="_facts"))
     | {"unit_keys"}) - {"dossiers", "_facts"}))


def fingerprint(con, tables: tuple[str, ...]) -> str:
    """The content of `tables` in a few numbers: each one's row count and the sum of its rows' hashes (none holds
    two equal rows, so the sum is a fair digest of an unordered set; any change counts, whichever loader made it)."""
    parts = con.execute(" UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {t} t" for t in tables)).fetchall()
    return ";".join(f"{name}:{n}:{digest}" for name, n, digest in sorted(parts))


def inputs_fingerprint(con) -> str:
    """The content of INPUT_TABLES (fingerprint)."""
    return fingerprint(con, INPUT_TABLES)


def record_aggregate_state(con, refresh: str, changed_dossiers: int | None = None) -> None:
    """What the aggregate tables were built from: the last import, the number of dossiers and of holidays, the
    rules (AGGREGATE_LAYOUT) and the input tables' fingerprint; and how ('full' rebuild or 'incremental' with
    the number of dossiers changed); and whether the rows stored for the pages (model/stored_rows.py) are in step
    with them: after a build or a change they were written with the tables (model/aggregates.fill_aggregates), a
    load that changed no dossier keeps what was recorded."""
    stored = STORED_ROWS_LAYOUT if stored_tables_exist(con) and (refresh == "full" or changed_dossiers
                                                                 or stored_rows_in_step(con)) else None
    con.execute("""CREATE OR REPLACE TABLE aggregate_state AS
        SELECT (SELECT max(import_id) FROM import_log) AS built_for_import_id,
               (SELECT count(*) FROM dossiers) AS dossier_count,
               (SELECT count(*) FROM holidays) AS holiday_count,
               $layout AS layout,
               now()::TIMESTAMP AS built_at,
               $inputs AS inputs,
               $refresh AS refresh,
               $changed::BIGINT AS changed_dossiers,
               $stored AS stored_rows_layout""",
                {"layout": AGGREGATE_LAYOUT, "inputs": inputs_fingerprint(con), "refresh": refresh,
                 "changed": changed_dossiers, "stored": stored})


def recorded_state(con, table: str = "aggregate_state") -> dict:
    """aggregate_state (or another state table of a derived table, by its fixed name) as written, by name: older
    versions wrote fewer columns; {} without it."""
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $t AND NOT temporary",
                         {"t": table}).fetchall()[0][0]
    if not exists:
        return {}
    state = con.execute(f"SELECT * FROM {table}")
    names, row = [d[0] for d in state.description], state.fetchone()
    return dict(zip(names, row or ()))


def aggregates_are_fresh(con, state: DatabaseState | None = None) -> bool:
    """True when the aggregate tables exist and were built from the data as it is now (same last import, same
    number of dossiers and holidays) under the same rules, as record_aggregate_state wrote; otherwise the
    figures and the late list count from the raw table. `state`: the database as a view read it once
    (model/catalog.py), else read now."""
    state = state or read_database_state(con)
    # read by name: a version that did not stamp its rules wrote no layout column, and its tables are stale
    built = state.record("aggregate_state")
    if built.get("layout") != AGGREGATE_LAYOUT:
        return False
    return ((built["built_for_import_id"], built["dossier_count"], built["holiday_count"])
            == (state.last_import, state.dossier_count, state.holiday_count))


def stored_rows_in_step(con, state: DatabaseState | None = None) -> bool:
    """Whether the rows stored for the pages were written with the aggregate tables as recorded, under today's
    rules (an older version's load leaves them behind and records no such stamp)."""
    state = state or read_database_state(con)
    return (state.record("aggregate_state").get("stored_rows_layout") == STORED_ROWS_LAYOUT
            and set(STORED_TABLES) <= state.tables)
