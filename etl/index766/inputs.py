"""Load a 766 inputs file: per unit and period, the numerator and denominator of each criterion the dossier
exports lack (long layout); or the list of procedures that return a paper result. In SQL, every line loaded,
skipped or rejected with its reason."""
import pyarrow as pa

from common.text import procedure_key_sql
from etl.core.database import create_temp_table
from etl.core.errors import MAPPING_ADVICE, ImportFailure
from etl.core.rows import first_cell_sql, nonempty_sql, record_rejects, verdict_case
from etl.core.units import attach_waiting_units, record_unmatched_units
from etl.index766.staging import (SUBTOTAL_UNIT, UNIT_KEY, UNIT_PERIOD_RULES, field_sql, prepare, reject_sql, skip_sql,
                                  stage, unit_period_sql, upsert)
from etl.index766.vocab import DEN_PREFIX, FIELD_LABELS, INPUT_PREFIX, NUM_PREFIX, aliases_of
from model.index766_vocab import INPUT_FIELDS, input_field_index

_CODES = "1.1, 1.2, 1.3, 4.3, 5.2, 5.3, 6.3, 6.5, 6.6.1, 6.6.2"


def _count_rule(code: str, column: str, label: str) -> tuple:
    return (code, column, f"_{column[:3]} IS NULL OR _{column[:3]} < 0 OR _{column[:3]} <> floor(_{column[:3]})",
            f"{label} «' || coalesce({column}, '') || '» không phải số nguyên không âm.")


_RULES = UNIT_PERIOD_RULES + (
    ("bad_number", "numerator", "_pair IS NOT NULL AND NOT contains(_pair, '/')",
     "ô «' || _pair || '» của tiêu chí «' || criterion || '» cần ghi tử số/mẫu số (ví dụ 45/50)."),
    ("unknown_criterion", "criterion", "_field IS NULL",
     f"tiêu chí «' || coalesce(criterion, '') || '» không nhận ra: ghi mã ({_CODES}) hoặc tên tiêu chí."),
    _count_rule("bad_number", "numerator", "tử số"),
    _count_rule("bad_number", "denominator", "mẫu số"),
    ("numerator_over_denominator", "numerator", "_num > _den",
     "tử số («' || numerator || '») lớn hơn mẫu số («' || denominator || '»)."),
)


def missing_column_message(file_name: str, fields, extra=()) -> str:
    named = "; ".join(f"«{FIELD_LABELS[f]}» (tiêu đề được nhận: {', '.join(aliases_of(f, extra))})" for f in fields)
    return f"Tệp {file_name}: thiếu cột {named}, nên không nạp dòng nào từ tệp này. {MAPPING_ADVICE}"


# A line that holds no counts (a group heading «I | CẤP QUẬN, HUYỆN», a note) or totals a group («Cộng cấp huyện»).
_NOT_A_RECORD = f"(criterion IS NULL AND numerator IS NULL AND denominator IS NULL) OR {SUBTOTAL_UNIT}"
# In a wide table: a cell left empty (or a dash) is no count given.
_NOT_A_WIDE_RECORD = f"(numerator IS NULL AND denominator IS NULL) OR {SUBTOTAL_UNIT}"
_WIDE_PREFIXES = (INPUT_PREFIX, NUM_PREFIX, DEN_PREFIX)


def is_wide_inputs(match) -> bool:
    """Units down and one column (or a «Tử số | Mẫu số» pair) per criterion, rather than a criterion column."""
    return "criterion" not in match.columns and any(f.startswith(_WIDE_PREFIXES) for f in match.columns)


def _no_dash(cell: str) -> str:
    return f"CASE WHEN {cell} IN ('-', '–', '—', '--') THEN NULL ELSE {cell} END"


def _wide_mapped_sql(match, grid_columns: list[str]) -> str:
    """One line per unit, period and criterion, as the long layout has it: a '45/50' cell split at its slash, a
    pair of columns read as they are. The criterion's Vietnamese name is written into the statement from
    model/index766_vocab.csv, never from a cell."""
    common = unit_period_sql(match, grid_columns)
    keys = sorted({f.split(":", 1)[1] for f in match.columns if f.startswith(_WIDE_PREFIXES)},
                  key=lambda k: min(int(match.columns[p + k][1:]) for p in _WIDE_PREFIXES if p + k in match.columns))
    parts = []
    for key in keys:
        name = INPUT_FIELDS[key].replace("'", "''")
        if INPUT_PREFIX + key in match.columns:
            cell = _no_dash(field_sql(match, INPUT_PREFIX + key))
            num = f"nullif(trim(split_part({cell}, '/', 1)), '')"
            den = f"CASE WHEN contains({cell}, '/') THEN nullif(trim(split_part({cell}, '/', 2)), '') END"
            pair = cell
        else:
            num, den = (_no_dash(field_sql(match, p + key)) for p in (NUM_PREFIX, DEN_PREFIX))
            pair = "CAST(NULL AS VARCHAR)"
        parts.append(f"SELECT {common}, '{name}' AS criterion, {num} AS numerator, {den} AS denominator, "
                     f"{pair} AS _pair FROM grid WHERE _pos > $header")
    return "\nUNION ALL ".join(parts)


def _staging_sql(match, grid_columns: list[str]) -> str:
    f = {name: field_sql(match, name) for name in ("criterion", "numerator", "denominator")}
    wide = is_wide_inputs(match)
    mapped = _wide_mapped_sql(match, grid_columns) if wide else f"""
        SELECT {unit_period_sql(match, grid_columns)}, {f['criterion']} AS criterion,
               {f['numerator']} AS numerator, {f['denominator']} AS denominator, CAST(NULL AS VARCHAR) AS _pair
        FROM grid WHERE _pos > $header"""
    return f"""
    WITH mapped AS ({mapped}),
    typed AS (
        SELECT m.*, k.field AS _field, parse_num(numerator) AS _num, parse_num(denominator) AS _den, {UNIT_KEY}
        FROM mapped m LEFT JOIN input_field_keys k ON k.key = norm_key(m.criterion))
    SELECT *,
        {skip_sql(_NOT_A_WIDE_RECORD if wide else _NOT_A_RECORD)} AS _skip,
        {verdict_case(reject_sql(_RULES))} AS _verdict
    FROM typed"""


def load_inputs_sheet(con, grid, match, *, import_id: int, file_name: str, title_rows, extra=()) -> dict:
    """Loads one sheet of criterion counts inside the caller's transaction; returns its counts."""
    needed = ("unit",) if is_wide_inputs(match) else ("unit", "criterion", "numerator", "denominator")
    missing = [f for f in needed if f not in match.columns]
    if missing:
        raise ImportFailure(missing_column_message(file_name, missing, extra))
    d_from, d_to = prepare(con, title_rows)
    create_temp_table(con, "input_field_keys", pa.table({"key": list(input_field_index()),
                                                         "field": list(input_field_index().values())}))
    sheet = grid.sheet
    stage(con, grid, match, _staging_sql(match, list(grid.table.column_names)), "inp", "_unit_key, _p_from, _p_to, _field",
          "đơn vị, kỳ và tiêu chí trùng với một dòng trước trong cùng tệp.", d_from=d_from, d_to=d_to)
    values = ("'unit', unit, 'period', period_text, 'criterion', criterion, 'numerator', numerator, "
              "'denominator', denominator")
    wide = is_wide_inputs(match)
    # A wide line holds several criteria: it is rejected once, with its first reason, and loads none of them (as
    # the portal's wide table, etl/index766/published.py).
    rejects = record_rejects(con, "(SELECT DISTINCT ON (_row) * FROM inp_judged WHERE _why IS NOT NULL "
                             "ORDER BY _row, criterion)" if wide else "inp_judged", "_why", values,
                             import_id=import_id, file_name=file_name, sheet=sheet, where="_why IS NOT NULL")
    con.execute("""CREATE OR REPLACE TEMP TABLE inp_actions AS
        SELECT j.unit AS unit_text, unit_code_of(j.unit) AS unit_code, j._p_from AS period_from,
               j._p_to AS period_to, j._field AS field, j._num AS numerator, j._den AS denominator,
               ? AS import_id, j._row AS row_number,
               CASE WHEN i.unit_text IS NULL THEN 'insert'
                    WHEN i.numerator = j._num AND i.denominator = j._den THEN 'same' ELSE 'update' END AS action
        FROM inp_judged j LEFT JOIN index766_inputs i ON i.unit_text = j.unit AND i.period_from = j._p_from
             AND i.period_to = j._p_to AND i.field = j._field
        WHERE j._why IS NULL AND j._row NOT IN (SELECT _row FROM inp_judged WHERE _why IS NOT NULL)""", [import_id])
    counts = upsert(con, "index766_inputs", "inp_actions", ["unit_text", "unit_code", "period_from", "period_to", "field"],
                    ["numerator", "denominator", "import_id", "row_number"])
    attach_waiting_units(con, "index766_inputs")   # rows loaded before an alias that now names their unit
    unmatched = record_unmatched_units(con, "inp_actions", file_name)
    if wide:   # counted in lines of the file: a line of four criteria is one line
        skipped = con.execute("""SELECT count(DISTINCT _row) FROM inp_staged WHERE _row NOT IN
                                 (SELECT _row FROM inp_staged WHERE _skip IS NULL)""").fetchall()[0][0]
        counts = dict(con.execute("""SELECT a, count(*) FROM (
            SELECT CASE WHEN bool_or(action = 'insert') THEN 'insert' WHEN bool_or(action = 'update') THEN 'update'
                        ELSE 'same' END AS a FROM inp_actions GROUP BY row_number) GROUP BY a""").fetchall())
    else:
        skipped = con.execute("SELECT count(*) FROM inp_staged WHERE _skip IS NOT NULL").fetchall()[0][0]
    for t in ("inp_staged", "inp_judged", "inp_actions"):
        con.execute(f"DROP TABLE {t}")
    return _counts(counts, rejects, skipped, unmatched)


def _counts(actions: dict, rejects: list, skipped: int, unmatched: list) -> dict:
    return {"rows_loaded": actions.get("insert", 0), "rows_updated": actions.get("update", 0),
            "rows_unchanged": actions.get("same", 0), "rows_rejected": len(rejects), "rows_skipped": skipped,
            "rejects": rejects, "unmatched_units": unmatched, "unrecognized_values": [], "warnings": []}


# ---------------------------------------------------------------------------------------------------------
# The procedures that return a paper result: code and a yes/no flag (Có/Không, x, 1/0), one line each.

_PAPER_RULES = (
    ("missing_procedure_code", "procedure_code", "code IS NULL", "thiếu mã TTHC."),
    ("bad_flag", "paper_result", "_flag IS NULL",
     "giá trị «' || coalesce(paper_result, '') || '» ở cột «Trả kết quả giấy» không nhận ra (ghi Có hoặc Không)."),
)


def load_paper_sheet(con, grid, match, *, import_id: int, file_name: str, extra=()) -> dict:
    """Loads one sheet of the paper-result list inside the caller's transaction; returns its counts."""
    missing = [f for f in ("procedure_code", "paper_result") if f not in match.columns]
    if missing:
        raise ImportFailure(missing_column_message(file_name, missing, extra))
    columns = list(grid.table.column_names)
    code, flag = procedure_key_sql(field_sql(match, "procedure_code")), field_sql(match, "paper_result")
    sheet = grid.sheet
    stage(con, grid, match, f"""
        SELECT *, {skip_sql("code IS NULL AND paper_result IS NULL")} AS _skip,
               {verdict_case(reject_sql(_PAPER_RULES))} AS _verdict
        FROM (SELECT _row, {code} AS code, {flag} AS paper_result,
                     coalesce((SELECT canonical = 'true' FROM vocab_values v WHERE v.field = 'flag'
                               AND v.word = norm_key({flag})),
                              -- a column that marks the yes with a tick ('x') leaves the no empty
                              CASE WHEN {flag} IS NULL AND EXISTS (SELECT 1 FROM grid g WHERE g._pos > $header
                                   AND lower(trim({flag})) IN ('x', '✓', '✔', '√', '☑'))
                                   THEN false END) AS _flag,
                     {nonempty_sql(columns)} AS _nonempty, norm_key({first_cell_sql(columns)}) AS _first_key
              FROM grid WHERE _pos > $header)""", "paper", "code", "mã TTHC trùng với một dòng trước trong cùng tệp.")
    rejects = record_rejects(con, "paper_judged", "_why", "'procedure_code', code, 'paper_result', paper_result",
                             import_id=import_id, file_name=file_name, sheet=sheet, where="_why IS NOT NULL")
    con.execute("""CREATE OR REPLACE TEMP TABLE paper_actions AS
        SELECT j.code AS procedure_code, j._flag AS requires_paper_result, ? AS import_id, j._row AS row_number,
               CASE WHEN p.procedure_code IS NULL THEN 'insert'
                    WHEN p.requires_paper_result = j._flag THEN 'same' ELSE 'update' END AS action
        FROM paper_judged j LEFT JOIN paper_result_procedures p ON p.procedure_code = j.code
        WHERE j._why IS NULL""", [import_id])
    counts = upsert(con, "paper_result_procedures", "paper_actions", ["procedure_code"],
                    ["requires_paper_result", "import_id", "row_number"])
    skipped = con.execute("SELECT count(*) FROM paper_staged WHERE _skip IS NOT NULL").fetchall()[0][0]
    for t in ("paper_staged", "paper_judged", "paper_actions"):
        con.execute(f"DROP TABLE {t}")
    return _counts(counts, rejects, skipped, [])


__all__ = ["load_inputs_sheet", "load_paper_sheet", "missing_column_message", "INPUT_FIELDS"]
