"""Which lines under a header are data, skipped or rejected: the pieces every kind of export shares.

A loader stages a sheet in SQL (registered_grid), reads its cells (cell_sql), marks the lines that are not
records with a _skip word (SKIP_BLANK_AND_TOTALS, SIGNATURE_LINE, then its own rules), and judges the others with
a verdict 'code|field|reason' (verdict_case) that record_rejects writes to rejected_rows. Every line ends up
loaded, counted as skipped, or rejected with its reason. Each kind's own rules sit in its sql module:
etl/dossiers/sql.py (classify_sql, REJECT_RULES), etl/surveys/sql.py (classify_sql, _reject_rules) and
etl/surveys/aggregates.py (_RULES). Reference files, small and typed by a person, are read in Python instead
(etl/references/common.py, reference_rows): a blank row is skipped, a bad one stops the file. A line with a record's
code (code_like_sql) is never skipped. Lines the reader could not split into cells never reach a loader: the
importer rejects them (Grid.rejected) and checks that each sheet's counts add up to its lines."""
import contextlib

import duckdb
import numpy as np
import pyarrow as pa

from etl.core.cell_trim import trimmed_table
from etl.core.vocab import skip_markers


def cell_sql(col: str) -> str:
    """A grid cell as trimmed text, blank (or a lone BOM, tab or line break) as NULL: registered_grid has trimmed
    every cell already (etl/core/cell_trim.py), so only the empty ones are left to turn into NULL."""
    return f"nullif({col}, '')"


def field_sql(match, field: str) -> str:
    """The cell of a header match's field as cell_sql reads it, or a typed NULL when the sheet has no such column."""
    return cell_sql(match.columns[field]) if field in match.columns else "CAST(NULL AS VARCHAR)"


def balanced_sql(op: str, terms: list[str]) -> str:
    """terms joined by op as a balanced tree: a sheet of 1.000 columns gives an expression 10 deep, not 1.000
    (DuckDB refuses expressions deeper than 1.000)."""
    if len(terms) <= 2:
        return f"({f' {op} '.join(terms)})"
    mid = len(terms) // 2
    return f"({balanced_sql(op, terms[:mid])} {op} {balanced_sql(op, terms[mid:])})"


def nonempty_sql(columns: list[str]) -> str:
    """How many of the line's cells hold something."""
    return balanced_sql("+", [f"({cell_sql(c)} IS NOT NULL)::INT" for c in columns]) if columns else "0"


def code_like_sql(code: str) -> str:
    """Whether a code cell holds a record's code rather than a count, a name or a note: one token with a digit,
    not a plain number ('H29.22-220110-0001', 'A-1', 'SG-1' are codes; '8', '1.250', 'Trần Thị B' are not). A line
    with such a code is a record: loaded or rejected with its reason, never skipped as a totals or footer line."""
    return (f"({code} IS NOT NULL AND regexp_matches({code}, '\\d') AND NOT regexp_matches({code}, '\\s')"
            f" AND NOT regexp_full_match({code}, '\\(?[0-9.,]+\\)?'))")


def first_cell_sql(columns: list[str]) -> str:
    """The line's first non-empty cell: where 'Tổng cộng' or 'NGƯỜI LẬP BIỂU' stands, whichever column it is in."""
    return "coalesce(" + ", ".join(cell_sql(c) for c in columns) + ")"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def starts_with_marker_sql(kind: str, *, whole_words: bool = False, several_words: bool = False) -> str:
    """Whether _first_key starts with a marker of one kind of etl/vocab/skip_markers.csv ('totals', 'signature');
    whole_words: is the marker, or the marker and a space after; several_words: only markers of two words or more,
    followed by a space. The markers are written into the rule rather than read from the skip_markers table by a
    subquery: DuckDB joins such a subquery against every line before the CASE can pass the line by, and judging a
    million dossier lines took 0,31 s instead of 0,08 s. The vocabulary is read once per process
    (etl/core/vocab.py), as the table was."""
    texts = [text for k, text in skip_markers() if k == kind and (" " in text or not several_words)]
    if several_words:
        tests = [f"starts_with(_first_key, {_literal(t + ' ')})" for t in texts]
    elif whole_words:
        tests = [f"_first_key = {_literal(t)} OR starts_with(_first_key, {_literal(t + ' ')})" for t in texts]
    else:
        tests = [f"starts_with(_first_key, {_literal(t)})" for t in texts]
    return "(" + (" OR ".join(tests) or "false") + ")"


def _is_totals_marker_sql() -> str:
    texts = [_literal(text) for k, text in skip_markers() if k == "totals"]
    return f"_first_key IN ({', '.join(texts)})" if texts else "false"


# Lines that are not records in any export (dossiers, surveys): empty, or a totals line ("Tổng cộng", "Tổng số").
# _first_key is norm_key of first_cell_sql.
TOTALS_LINE = (f"({_is_totals_marker_sql()}"
               " OR starts_with(_first_key, 'tong cong') OR starts_with(_first_key, 'tong so'))")
SKIP_BLANK_AND_TOTALS = f"""WHEN _nonempty = 0 THEN 'blank'
        WHEN {TOTALS_LINE} THEN 'totals'"""

# A signature block line: 'Ký tên', 'Người lập biểu', 'Thủ trưởng đơn vị'… (etl/vocab/skip_markers.csv).
SIGNATURE_LINE = f"(starts_with(_first_key, 'ky ') OR {starts_with_marker_sql('signature')})"
# Below the first signature line of the sheet (the signers' names under «Người lập biểu»): a window, so usable in the
# SELECT that stages the lines.
BELOW_SIGNATURE = f"_row > min(_row) FILTER (WHERE {SIGNATURE_LINE}) OVER ()"


def verdict_case(rules) -> str:
    """CASE … END giving the first rule that holds as 'code|field|reason' (NULL when none does). rules: (reason
    code, field or None, SQL condition, SQL expression of the Vietnamese reason), in the order a line is judged."""
    return "CASE " + " ".join(f"WHEN {cond} THEN '{code}|{field or ''}|' || {reason}"
                              for code, field, cond, reason in rules) + " END"


def reject_record(sheet: str | None, row: int, verdict: str) -> dict:
    """A verdict as the import result lists it (cli.md: rejects)."""
    code, field, reason = verdict.split("|", 2)
    return {"sheet": sheet, "row": row, "reason_code": code, "field": field or None, "reason": reason}


def record_rejects(con, judged: str, verdict: str, values_sql: str, *, import_id: int, file_name: str,
                   sheet: str | None, where: str = "true") -> list[dict]:
    """Writes the rejected lines of judged (a loader's temp table; verdict names its 'code|field|reason' column)
    to rejected_rows with their values as read (values_sql: json_object arguments), and returns them in row order.
    Table and column names are the loader's own, never user text."""
    con.execute(f"""INSERT INTO rejected_rows
        SELECT ?, ?, ?, _row, split_part({verdict}, '|', 1), nullif(split_part({verdict}, '|', 2), ''),
               split_part({verdict}, '|', 3), json_object({values_sql})
        FROM {judged} WHERE {where}""", [import_id, file_name, sheet])
    rows = con.execute(f"SELECT _row, {verdict} FROM {judged} WHERE {where} ORDER BY _row").fetchall()
    return [reject_record(sheet, r, v) for r, v in rows]


@contextlib.contextmanager
def registered_grid(con, grid):
    """The sheet as the view 'grid' while the loader stages it: cells c0…cN trimmed of blanks at both ends, _row
    (the row number a user sees) and _pos (0-based, compared with the header's index)."""
    table = trimmed_table(grid.table).append_column("_row", pa.array(grid.row_numbers)).append_column(
        "_pos", pa.array(np.arange(grid.table.num_rows, dtype=np.int64)))
    con.register("grid", table)
    try:
        yield
    finally:
        # After a failed statement the transaction is aborted and unregister raises too: keep the first error.
        try:
            con.unregister("grid")
        except duckdb.Error:
            pass
