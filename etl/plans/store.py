"""Writing a file's plan tasks or report lines once its last sheet is read: each plan (or report) is replaced
whole by the file that brings it, counted as new, changed or unchanged against what was there; rejected lines go
to rejected_rows. Why once per file: a workbook holds one plan per sheet (43 in the sample), and a few statements
per sheet cost more than reading them."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyarrow as pa

from etl.core.database import create_temp_table
from etl.core.rows import reject_record
from etl.plans.owner import record_unmatched_owners

STAGED = "_plans_staged"   # the result's key holding what the sheets read, until the file is written


@dataclass
class Staged:
    rows: list[dict] = field(default_factory=list)        # the table's columns, numbers not yet given
    rejects: list[tuple] = field(default_factory=list)    # (sheet, row, field, reason, cells)
    warnings: list[str] = field(default_factory=list)
    skipped: int = 0
    groups: list[tuple] = field(default_factory=list)      # (sheet, row): group rows read as headings
    parts: list[tuple] = field(default_factory=list)       # (sheet, row, its task's row): bullets read as points
    inherited: list[tuple] = field(default_factory=list)   # (sheet, row, fields): values taken from the group row


def staged(result: dict) -> Staged:
    """What this file's sheets have read so far (a new Staged for the first sheet)."""
    return result.setdefault(STAGED, Staged())


def number(rows: list[dict], group_cols: tuple[str, ...], key_col: str) -> None:
    """Gives each row its number within its group (a plan's task_no, a report's line_no): 1, 2, … in file order."""
    counters: dict[tuple, int] = {}
    for r in rows:
        group = tuple(r[c] for c in group_cols)
        counters[group] = counters.get(group, 0) + 1
        r[key_col] = counters[group]


def replace_groups(con, table: str, rows: list[dict], schema: pa.Schema, group_cols: tuple[str, ...],
                   key_col: str) -> dict:
    """Writes rows (dicts of the schema's columns) into table after removing every row of the same groups (a plan:
    year and unit; a report: year, unit and date) an earlier import wrote. Counts {'insert', 'update', 'same',
    'removed'}: each row against the earlier row at its key, and the earlier rows no longer there. Table and
    column names are the loader's own, never user text."""
    create_temp_table(con, "plan_staged", pa.Table.from_pylist(rows, schema=schema))
    business = [c for c in schema.names if c not in ("import_id", "file_name", "sheet", "row_number")]
    on = " AND ".join(f"o.{c} = s.{c}" for c in (*group_cols, key_col))
    same = " AND ".join(f"o.{c} IS NOT DISTINCT FROM s.{c}" for c in business)
    groups = ", ".join(group_cols)
    in_group = " AND ".join(f"o.{c} = g.{c}" for c in group_cols)
    counts = dict(con.execute(f"""
        SELECT CASE WHEN o.{key_col} IS NULL THEN 'insert' WHEN {same} THEN 'same' ELSE 'update' END, count(*)
        FROM plan_staged s LEFT JOIN {table} o ON {on} GROUP BY 1""").fetchall())
    counts["removed"] = con.execute(f"""
        SELECT count(*) FROM {table} o JOIN (SELECT DISTINCT {groups} FROM plan_staged) g ON {in_group}
        WHERE NOT EXISTS (SELECT 1 FROM plan_staged s WHERE {on})""").fetchall()[0][0]
    con.execute(f"DELETE FROM {table} o USING (SELECT DISTINCT {groups} FROM plan_staged) g WHERE {in_group}")
    con.execute(f"INSERT INTO {table} ({', '.join(schema.names)}) SELECT {', '.join(schema.names)} FROM plan_staged")
    con.execute("DROP TABLE plan_staged")
    return counts


def record_rejects(con, rejects: list[tuple], *, import_id: int, file_name: str, labels: dict) -> list[dict]:
    """rejects: (sheet, row, field, reason, cells) — written to rejected_rows with the line's values under their
    Vietnamese names; returned as the import result lists them (cli.md: rejects)."""
    out = []
    for sheet, row, fld, reason, cells in rejects:
        values = {labels.get(f, f): v for f, v in cells.items() if v is not None}
        con.execute("INSERT INTO rejected_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, file_name, sheet, row, f"plan_{fld}", fld, reason,
                     json.dumps(values, ensure_ascii=False)])
        out.append(reject_record(sheet, row, f"plan_{fld}|{fld}|{reason}"))
    return out


def write_staged(con, result: dict, *, table: str, schema: pa.Schema, group_cols: tuple[str, ...], key_col: str,
                 import_id: int, file_name: str, labels: dict, what: str) -> list[dict]:
    """Writes what the file's sheets read and adds its counts to the file's result; returns the rows written."""
    done = result.pop(STAGED, Staged())
    number(done.rows, group_cols, key_col)
    counts = replace_groups(con, table, done.rows, schema, group_cols, key_col) if done.rows else {}
    rejects = record_rejects(con, done.rejects, import_id=import_id, file_name=file_name, labels=labels)
    if counts.get("removed"):
        done.warnings.append(f"{counts['removed']} {what} của lần nạp trước không còn trong tệp này: đã bỏ.")
    result["rows_loaded"] += counts.get("insert", 0)
    result["rows_updated"] += counts.get("update", 0)
    result["rows_unchanged"] += counts.get("same", 0)
    result["rows_rejected"] += len(rejects)
    result["rows_skipped"] += done.skipped
    result["group_rows"] = [{"sheet": s, "row": r} for s, r in done.groups]
    result["part_rows"] = [{"sheet": s, "row": r, "task_row": t} for s, r, t in done.parts]
    result["inherited_rows"] = [{"sheet": s, "row": r, "fields": list(f)} for s, r, f in done.inherited]
    result["rejects"] += rejects
    result["warnings"] += done.warnings
    result["unmatched_units"] += record_unmatched_owners(con, done.rows, file_name)
    return done.rows
