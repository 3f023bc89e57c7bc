"""Keeps the aggregate tables in step with the dossiers a load inserts or changes: their old contribution leaves, their new one enters."""
from __future__ import annotations

from .aggregates import (SUMMED_TABLES, build_aggregates, field_day_follows_cells, fill_aggregates, fold,
                         signed_facts_sql)
from .stored_rows import forget_changed_rows
from .freshness import aggregates_are_fresh, inputs_fingerprint, record_aggregate_state, recorded_state

__all__ = ["FOLD_SHARE", "FULL_REBUILD_SHARE", "REPLACED_KNOWN_COLUMNS", "start_tracking", "note_dossier_changes", "refresh_aggregates"]

# A load on a connection runs: start_tracking (the aggregate tables match the data, so from now on every dossier
# row the loader replaces or writes is kept), note_dossier_changes before each upsert, refresh_aggregates at the
# end, inside the transaction that publishes the tables. Two temp tables of the connection hold the change, and
# roll back with a failed file like everything else it wrote:
#   _dossiers_before  the rows the aggregate tables count, of the dossiers the batch replaced (kept the first
#                     time a dossier is replaced: a later file of the batch replaces the row an earlier one wrote)
#   _dossiers_after   the rows the batch wrote last, one per dossier inserted or changed
# The tables' change is then facts(after) − facts(before), computed from the measure table like the full build.
_BEFORE, _AFTER = "_dossiers_before", "_dossiers_after"

# More dossiers changed than this share of all: the full build is cheaper than subtracting and adding them
# (the first load into a new database is one).
FULL_REBUILD_SHARE = 0.25
# A summed table is folded (equal keys merged, empty groups dropped) once the rows appended since its last fold
# pass this share of it: a load then costs what its file costs, and the tables stay within 10 % of their folded
# size, which readers scan. Folding the largest (agg_cells, ~1,3 rows per dossier) happens about once per
# 0,1 × its rows / rows appended per load loads.
FOLD_SHARE = 0.10


def _tracking(con) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = $t",
                       {"t": _AFTER}).fetchall()[0][0] == 1


def start_tracking(con) -> bool:
    """Called when a load opens the database: True (and the change is kept from now on) when the aggregate tables
    match the data under these rules; otherwise the next refresh_aggregates rebuilds them."""
    if not aggregates_are_fresh(con):
        for table in (_BEFORE, _AFTER):
            con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        return False
    for table in (_BEFORE, _AFTER):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM dossiers LIMIT 0")
    return True


# The columns of a replaced dossier's old row the loader's key lookup has read already: the loader passes them
# with the row ids, so the fetch by row id below skips them (dossier_code and row_hash are a third of the table's
# blocks, and a few hundred rows spread over every row group load nearly all the blocks of the columns fetched).
REPLACED_KNOWN_COLUMNS = ("source", "dossier_code", "snapshot_date", "row_hash")


def note_dossier_changes(con, written: str, replaced: str) -> None:
    """The loader's upsert is about to delete the rows of dossiers listed by replaced (a query of old_rowid and
    the old row's REPLACED_KNOWN_COLUMNS) and to write the rows of `written` (a query with the dossiers' columns):
    keeps what the aggregate tables need to follow. Without tracking (aggregates already stale) there is nothing
    to keep."""
    if not _tracking(con):
        return
    known = ", ".join(REPLACED_KNOWN_COLUMNS)
    # fetched by row id first: a condition on the key in the same statement made DuckDB scan every key
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fetched AS SELECT rowid AS _rid, * EXCLUDE ({known}) FROM dossiers
                    WHERE rowid IN (SELECT old_rowid FROM ({replaced}))""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _replaced AS
        SELECT {', '.join('k.' + c for c in REPLACED_KNOWN_COLUMNS)}, f.* EXCLUDE (_rid)
        FROM _fetched f JOIN ({replaced}) k ON k.old_rowid = f._rid""")
    con.execute(f"""INSERT INTO {_BEFORE} BY NAME SELECT * FROM _replaced r
        WHERE NOT EXISTS (SELECT 1 FROM {_AFTER} a WHERE a.source = r.source AND a.dossier_code = r.dossier_code)""")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _written AS {written}")
    con.execute(f"DELETE FROM {_AFTER} a USING _written w WHERE a.source = w.source AND a.dossier_code = w.dossier_code")
    con.execute(f"INSERT INTO {_AFTER} BY NAME SELECT * FROM _written")
    for table in ("_written", "_replaced", "_fetched"):
        con.execute(f"DROP TABLE {table}")


def _why_full(con) -> str | None:
    """Why the change of this batch cannot be applied and every table must be rebuilt, or None."""
    if not _tracking(con):
        return "the aggregate tables did not match the data when the load began (new or older database, rules changed)"
    if recorded_state(con).get("inputs") != inputs_fingerprint(con):
        return "units, procedures or holidays changed"
    changed, total = con.execute(f"SELECT (SELECT count(*) FROM {_AFTER}), (SELECT count(*) FROM dossiers)").fetchone()
    if changed > FULL_REBUILD_SHARE * total:
        return f"{changed} of {total} dossiers changed"
    return None


def refresh_aggregates(con) -> tuple[str, str | None, int]:
    """Brings the aggregate tables up to the data, inside the caller's transaction: the batch's change applied
    ('incremental'), or every table rebuilt ('full', with why); returns (how, why, dossiers changed). Tracking
    goes on afterwards, empty: the tables match the data again."""
    why = _why_full(con)
    changed = con.execute(f"SELECT count(*) FROM {_AFTER}").fetchall()[0][0] if why is None else None
    if why is not None:
        build_aggregates(con)
    elif changed:
        _apply_change(con)
        record_aggregate_state(con, "incremental", changed)
    else:
        record_aggregate_state(con, "incremental", 0)
    start_tracking(con)
    return ("full", why, changed) if why else ("incremental", None, changed)


def _apply_change(con) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE _facts AS {signed_facts_sql(_AFTER, _BEFORE)}")
    # a changed dossier's late-list row is replaced whole (its old row goes, its new one comes if it can be late)
    con.execute(f"""DELETE FROM late_dossier_rows r USING {_AFTER} a
                    WHERE r.source = a.source AND r.dossier_code = a.dossier_code""")
    forget_changed_rows(con, _AFTER)
    fill_aggregates(con, "_facts", replace=False)
    con.execute("DROP TABLE _facts")
    for table in SUMMED_TABLES.values():
        # the view of agg_cells has nothing of its own to fold (asked each time: folding agg_cells may make or undo it,
        # and a table it makes is recorded folded)
        if table.name == "agg_field_day" and field_day_follows_cells(con):
            continue
        rows, folded = con.execute(f"""SELECT count(*), (SELECT folded_rows FROM aggregate_folds WHERE table_name = $t)
                                       FROM {table.name}""", {"t": table.name}).fetchall()[0]
        if rows > (1 + FOLD_SHARE) * (folded or 0):
            fold(con, table)
