"""What a database file holds, read in two queries: its tables, the record of every derived table's state table
(aggregate_state, par_score_nodes_state…) and the counts those records are checked against. A page view reads it
once and answers every "is this stored table current?" from it: one small query per check cost ~1,5 ms each, a
dozen per view on the heavier pages."""
from __future__ import annotations

import json
from dataclasses import dataclass

__all__ = ["DatabaseState", "read_database_state"]

# The tables the freshness checks count (model/freshness.py): present in every file `python -m etl` made.
_COUNTED = ("import_log", "dossiers", "holidays")


@dataclass(frozen=True)
class DatabaseState:
    tables: frozenset[str]          # the file's own tables (not a connection's temporary or registered ones)
    records: dict[str, dict]        # state table → its row by column name ({} when it has none)
    last_import: int | None         # max(import_id) of import_log
    dossier_count: int
    holiday_count: int

    def record(self, state_table: str) -> dict:
        return self.records.get(state_table, {})


def read_database_state(con) -> DatabaseState:
    """The state as it is now (nothing kept: a caller drawing one view keeps it for that view)."""
    tables = frozenset(name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND database_name = current_database()"
    ).fetchall())
    # Each state table has one row of a few scalars (layouts, import ids, counts): JSON keeps them by name whatever
    # columns the version that wrote it had, in one UNION over tables of different shapes.
    parts = [f"SELECT '{t}' AS name, to_json(s)::VARCHAR AS record FROM {t} s"
             for t in sorted(tables) if t.endswith("_state")]
    if set(_COUNTED) <= tables:
        parts.append("""SELECT '' AS name, json_object('import', (SELECT max(import_id) FROM import_log),
                                                       'dossiers', (SELECT count(*) FROM dossiers),
                                                       'holidays', (SELECT count(*) FROM holidays))::VARCHAR""")
    rows = con.execute(" UNION ALL ".join(parts)).fetchall() if parts else []
    records = {name: json.loads(record) for name, record in rows}
    now = records.pop("", {})
    return DatabaseState(tables=tables, records=records, last_import=now.get("import"),
                         dossier_count=now.get("dossiers", 0), holiday_count=now.get("holidays", 0))
