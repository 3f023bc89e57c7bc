"""What the two 766 files share when a sheet is staged in SQL: the unit and period columns, their reject rules,
the lines that are not records, and the insert-or-update of the loaded rows."""
from etl.core.rows import BELOW_SIGNATURE, SIGNATURE_LINE, SKIP_BLANK_AND_TOTALS, field_sql, first_cell_sql, \
    nonempty_sql, registered_grid
from etl.core.units import unit_key_sql
from etl.index766.periods import PERIOD_EXAMPLES, PERIOD_MACRO_SQL, period_from_titles
from etl.surveys.sql import where_sql

__all__ = ["prepare", "field_sql", "unit_period_sql", "skip_sql", "UNIT_PERIOD_RULES", "reject_sql", "stage",
           "upsert"]


def prepare(con, title_rows) -> tuple:
    """Creates the period macro on the load's connection; returns the period the title rows name, (from, to) or
    (None, None): the period of every row when the sheet has no period column."""
    con.execute(PERIOD_MACRO_SQL)
    return period_from_titles(con, title_rows) or (None, None)


def unit_period_sql(match, grid_columns: list[str]) -> str:
    """The select list every staged line starts with: row number, unit, the period as written, its first and
    last day (_p_from, _p_to: a period text, else the from/to columns, else the title's period $d_from/$d_to),
    and what the skip rules read."""
    period, p_from, p_to = (field_sql(match, f) for f in ("period", "period_from", "period_to"))
    return f"""_row, {field_sql(match, 'unit')} AS unit,
        coalesce({period}, {p_from} || ' – ' || {p_to}, {p_from}, {p_to}) AS period_text,
        CASE WHEN {period} IS NOT NULL THEN period_766({period}).p_from
             WHEN {p_from} IS NOT NULL OR {p_to} IS NOT NULL THEN CAST(parse_ts({p_from}) AS DATE)
             ELSE $d_from::DATE END AS _p_from,
        CASE WHEN {period} IS NOT NULL THEN period_766({period}).p_to
             WHEN {p_from} IS NOT NULL OR {p_to} IS NOT NULL THEN CAST(parse_ts({p_to}) AS DATE)
             ELSE $d_to::DATE END AS _p_to,
        {nonempty_sql(grid_columns)} AS _nonempty, norm_key({first_cell_sql(grid_columns)}) AS _first_key"""


def skip_sql(note: str) -> str:
    """Lines that are not records: blank, totals, the signature block — its titles and the names under them (probe
    47: «Nguyễn Văn A | Trần Văn B» was rejected as a line of counts, the names kept among the rejected lines) —
    and a note under the table (a line without the columns a record needs: the condition `note`)."""
    return f"""CASE {SKIP_BLANK_AND_TOTALS}
           WHEN {SIGNATURE_LINE} THEN 'footer'
           WHEN {BELOW_SIGNATURE} THEN 'footer'
           WHEN {note} THEN 'footer' END"""


# A subtotal line written in the unit column: «Cộng cấp huyện», «Cộng Quận 1», «Tổng cộng», «Tổng số cấp xã» — the
# text as written, since without accents «Cộng» is «Công» («Công an tỉnh» is a unit).
SUBTOTAL_UNIT = r"regexp_matches(lower(nfc_normalize(unit)), '^\s*(cộng|tổng cộng|tổng số)(\s|:|$)')"
# The unit a line's duplicate check compares: the unit its name answers to, else its name («Quận 3» and «UBND Quận
# 3» are one unit).
UNIT_KEY = f"{unit_key_sql('m.unit')} AS _unit_key"

UNIT_PERIOD_RULES = (
    ("missing_unit", "unit", "unit IS NULL", "thiếu đơn vị."),
    ("missing_period", "period", "period_text IS NULL AND _p_from IS NULL",
     f"thiếu kỳ số liệu: thêm cột «Kỳ» ({PERIOD_EXAMPLES}) hoặc hai cột «Từ ngày», «Đến ngày», hoặc ghi kỳ ở "
     "dòng tiêu đề của tệp."),
    ("bad_period", "period", "_p_from IS NULL OR _p_to IS NULL",
     f"kỳ «' || coalesce(period_text, '') || '» không đọc được (ghi {PERIOD_EXAMPLES})."),
    ("bad_period", "period", "_p_from > _p_to",
     "kỳ «' || coalesce(period_text, '') || '» có ngày bắt đầu sau ngày kết thúc."),
)


def reject_sql(rules) -> list:
    """The rules as verdict_case takes them, each reason prefixed with where the line is."""
    return [(code, field, cond, where_sql(msg)) for code, field, cond, msg in rules]


def stage(con, grid, match, staging_sql: str, prefix: str, key: str, duplicate: str, **params) -> None:
    """Stages the sheet as the temp table <prefix>_staged (staging_sql over the view 'grid'), then judges its
    records into <prefix>_judged with _why: the line's verdict, or for a later line repeating `key` (columns of
    the staged table) in the same file, the reason `duplicate` — the first such line is kept. Names and key are
    the loader's own, never user text."""
    with registered_grid(con, grid):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {prefix}_staged AS {staging_sql}",
                    {"header": match.header_index, "sheet": grid.sheet, **params})
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {prefix}_judged AS
        SELECT *, coalesce(_verdict, CASE WHEN _dup > 1 THEN 'duplicate_in_file||' || {where_sql(duplicate)} END) AS _why
        FROM (SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY _row) AS _dup
              FROM {prefix}_staged WHERE _skip IS NULL)""", {"sheet": grid.sheet})


def upsert(con, table: str, actions: str, key: list[str], values: list[str]) -> dict:
    """Inserts or replaces the rows of the loader's temp table `actions` (column action: insert | update | same)
    into table; returns the count of each action. Names are the loader's own, never user text."""
    cols = ", ".join(key + values)
    con.execute(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM {actions} WHERE action <> 'same'")
    return dict(con.execute(f"SELECT action, count(*) FROM {actions} GROUP BY 1").fetchall())
