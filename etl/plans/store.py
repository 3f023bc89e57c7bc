"""Writing a sheet's plan tasks or report lines: each plan (or report) is replaced whole by the file that brings
it, counted as new, changed or unchanged against what was there; rejected lines go to rejected_rows."""
from __future__ import annotations

import json

import pyarrow as pa

from etl.core.database import create_temp_table
from etl.core.rows import reject_record


def replace_groups(con, table: str, rows: list[dict], schema: pa.Schema, group_cols: tuple[str, ...],
                   key_col: str, import_id: int) -> dict:
    """Writes rows (dicts of the schema's columns) into table, first removing every row of the same groups
    (a plan: year and unit; a report: year, unit and date) that an earlier import wrote — sheets of this import
    add to each other. Counts {'insert', 'update', 'same'} by comparing each row's business columns with the
    earlier row at the same key. Table and column names are the loader's own, never user text."""
    staged = pa.Table.from_pylist(rows, schema=schema)
    create_temp_table(con, "plan_staged", staged)
    business = [c for c in schema.names if c not in ("import_id", "file_name", "sheet", "row_number")]
    on = " AND ".join(f"o.{c} IS NOT DISTINCT FROM s.{c}" for c in (*group_cols, key_col))
    same = " AND ".join(f"o.{c} IS NOT DISTINCT FROM s.{c}" for c in business)
    counts = dict(con.execute(f"""
        SELECT CASE WHEN o.{key_col} IS NULL THEN 'insert' WHEN {same} THEN 'same' ELSE 'update' END, count(*)
        FROM plan_staged s LEFT JOIN {table} o ON {on} AND o.import_id <> $import_id GROUP BY 1""",
                               {"import_id": import_id}).fetchall())
    groups = " AND ".join(f"t.{c} IS NOT DISTINCT FROM g.{c}" for c in group_cols)
    # Rows an earlier load of these plans had and this one has not (a task dropped from the plan): said, not hidden.
    counts["removed"] = con.execute(f"""
        SELECT count(*) FROM {table} t JOIN (SELECT DISTINCT {', '.join(group_cols)} FROM plan_staged) g ON {groups}
        WHERE t.import_id <> $import_id AND NOT EXISTS (SELECT 1 FROM plan_staged s WHERE {on.replace('o.', 't.')})""",
                                    {"import_id": import_id}).fetchall()[0][0]
    con.execute(f"""DELETE FROM {table} t USING (SELECT DISTINCT {', '.join(group_cols)} FROM plan_staged) g
                    WHERE {groups} AND t.import_id <> $import_id""", {"import_id": import_id})
    con.execute(f"INSERT INTO {table} ({', '.join(schema.names)}) SELECT {', '.join(schema.names)} FROM plan_staged")
    con.execute("DROP TABLE plan_staged")
    return counts


def next_number(con, table: str, col: str, where: dict) -> int:
    """The next free number of col (task_no, line_no) among this import's rows of one plan or report."""
    cond = " AND ".join(f"{k} = ${k}" for k in where)
    return con.execute(f"SELECT coalesce(max({col}), 0) + 1 FROM {table} WHERE {cond}", where).fetchall()[0][0]


def record_rejects(con, rejects: list[tuple], *, import_id: int, file_name: str, sheet: str | None,
                   labels: dict) -> list[dict]:
    """rejects: (row, field, reason, cells) — written to rejected_rows with the line's values under their
    Vietnamese names; returned as the import result lists them (cli.md: rejects)."""
    out = []
    for row, field, reason, cells in rejects:
        values = {labels.get(f, f): v for f, v in cells.items() if v is not None}
        con.execute("INSERT INTO rejected_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, file_name, sheet, row, f"plan_{field}", field, reason,
                     json.dumps(values, ensure_ascii=False)])
        out.append(reject_record(sheet, row, f"plan_{field}|{field}|{reason}"))
    return out


def add_sheet_counts(result: dict, counts: dict, skipped: int, rejects: list[dict], warnings: list[str],
                     unmatched: list[str]) -> None:
    """A sheet's counts into the file's result (the shape every kind gives, etl/core/kind.py)."""
    result["rows_loaded"] += counts.get("insert", 0)
    result["rows_updated"] += counts.get("update", 0)
    result["rows_unchanged"] += counts.get("same", 0)
    result["rows_rejected"] += len(rejects)
    result["rows_skipped"] += skipped
    result["rejects"] += rejects
    result["warnings"] += warnings
    result["unmatched_units"] += [u for u in unmatched if u not in result["unmatched_units"]]
