"""The stamp of figures indicators/ stores at load (the PAR INDEX's data values, the 766 trend's totals): the last
import they were computed after and a digest of the code and configuration they were computed by. A view reads
them only when both match; otherwise it computes them live, with the same result."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .database_state import database_state

__all__ = ["rules_layout", "stamp_is_fresh", "write_stamp"]

_ROOT = Path(__file__).resolve().parents[1]
# The figures are computed by the engine, SIPAS, the 766 index and the plan tasks, with their configuration: any
# change to those packages' files makes the stored figures stale until the next load writes them again.
_RULE_PACKAGES = ("common", "model", "indicators")
_RULE_SUFFIXES = {".py", ".csv", ".sql", ".json", ".yaml", ".yml", ".toml"}


@lru_cache(maxsize=1)
def rules_layout() -> str:
    """A digest of every source and configuration file the figures are computed by."""
    digest = hashlib.sha256()
    for package in _RULE_PACKAGES:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.suffix in _RULE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_ROOT)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def write_stamp(con, state_table: str) -> None:
    """After writing the stored figures, inside the load's transaction."""
    con.execute(f"""CREATE OR REPLACE TABLE {state_table} AS
        SELECT $layout AS layout, (SELECT max(import_id) FROM import_log)::INTEGER AS checked_import_id""",
                {"layout": rules_layout()})


def stamp_is_fresh(con, state_table: str, tables: set[str]) -> bool:
    """Whether the stored `tables` were written after the last import, by this code (the view's database state)."""
    state = database_state(con)
    recorded = state.record(state_table)
    return (recorded.get("layout") == rules_layout() and recorded.get("checked_import_id") == state.last_import
            and tables <= state.tables)
