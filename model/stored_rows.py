"""Rows stored at load for a page's reads (the 766 not-synchronized list, the catalogue's activity by day), written with the aggregate tables."""
import hashlib

from .pair_days import PAIR_DAYS_LAYOUT, PAIR_DAYS_TABLE, write_pair_days
from .unsynced_rows import UNSYNCED_ROWS_LAYOUT, UNSYNCED_ROWS_TABLE, forget_changed_unsynced_rows, write_unsynced_rows

__all__ = ["STORED_ROWS_LAYOUT", "STORED_TABLES", "stored_tables_exist", "write_stored_rows", "forget_changed_rows"]

STORED_TABLES = (UNSYNCED_ROWS_TABLE, PAIR_DAYS_TABLE)
# The rules they follow, stamped in aggregate_state (model/freshness.py) when they are in step with the tables.
STORED_ROWS_LAYOUT = hashlib.sha256(repr((UNSYNCED_ROWS_LAYOUT, PAIR_DAYS_LAYOUT)).encode("utf-8")).hexdigest()[:16]


def stored_tables_exist(con) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE list_contains($t, table_name) AND NOT temporary",
                       {"t": list(STORED_TABLES)}).fetchall()[0][0] == len(STORED_TABLES)


def write_stored_rows(con, facts: str, *, replace: bool, in_step: bool) -> None:
    """After the aggregate tables took the signed facts (model/aggregates.fill_aggregates): each table as new
    (replace, the full build), or the load's change applied to tables in step before it; tables not in step (a
    database made before they existed, or left behind by an older version's load) are built again, once."""
    write_unsynced_rows(con, facts, replace=replace, in_step=in_step)
    write_pair_days(con, facts, rebuild=replace or not in_step)


def forget_changed_rows(con, changed: str) -> None:
    """Before a load's change is applied: the stored rows of the dossiers it changes go."""
    forget_changed_unsynced_rows(con, changed)
