"""The stamp of figures indicators/ stores at load (the PAR INDEX's data values, the 766 trend's totals): the last
import they were computed after, the aggregate tables' inputs then, and a digest of the code and configuration they
were computed by. A view reads them only when all three match; otherwise it computes them live, with the same
result. Also the writer both refreshers insert their rows with."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

from model.catalog import read_database_state

from .database_state import database_state

__all__ = ["rules_layout", "stamp_is_fresh", "write_stamp", "insert_rows"]

_ROOT = Path(__file__).resolve().parents[1]
# The figures are computed by the engine, SIPAS, the 766 index and the plan tasks, with their configuration: any
# change to those packages' files makes the stored figures stale until the next load writes them again.
_RULE_PACKAGES = ("common", "model", "indicators")
_RULE_SUFFIXES = {".py", ".csv", ".sql", ".json", ".yaml", ".yml", ".toml"}


def _digest() -> str:
    digest = hashlib.sha256()
    for package in _RULE_PACKAGES:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.suffix in _RULE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_ROOT)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# Taken when the process imports this module, with the code it runs: files changed on disk later (an update
# before the server restarts, whose upload jobs still run the old code) do not pass for it.
_LAYOUT = _digest()


def rules_layout() -> str:
    """A digest of every source and configuration file the figures are computed by, as this process loaded them."""
    return _LAYOUT


def _aggregate_inputs(state) -> str | None:
    # the aggregate tables' inputs (units, procedures, holidays: model/freshness.py): a load whose every file was
    # refused still rereads the holidays, which can change every due date without a new import
    return state.record("aggregate_state").get("inputs")


def write_stamp(con, state_table: str) -> None:
    """After writing the stored figures, inside the load's transaction."""
    con.execute(f"""CREATE OR REPLACE TABLE {state_table} AS
        SELECT $layout AS layout, (SELECT max(import_id) FROM import_log)::INTEGER AS checked_import_id,
               $inputs::VARCHAR AS aggregate_inputs""",
                {"layout": rules_layout(), "inputs": _aggregate_inputs(read_database_state(con))})


def stamp_is_fresh(con, state_table: str, tables: set[str]) -> bool:
    """Whether the stored `tables` were written after the last import, by this code, from the aggregate tables'
    present inputs (the view's database state)."""
    state = database_state(con)
    recorded = state.record(state_table)
    return (recorded.get("layout") == rules_layout() and recorded.get("checked_import_id") == state.last_import
            and recorded.get("aggregate_inputs") == _aggregate_inputs(state) and tables <= state.tables)


def insert_rows(con, table: str, rows: list[dict]) -> None:
    """Appends rows (dicts by column name) to a stored table: one Arrow table (executemany inserts row by row)."""
    if not rows:
        return
    con.register("_stored_rows", pa.Table.from_pylist(rows))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _stored_rows")
    finally:
        con.unregister("_stored_rows")
