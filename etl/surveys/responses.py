"""Load one sheet of SIPAS questionnaires: skip, reject, type, unpivot the answers and upsert — in SQL."""
import re
from datetime import date

import pyarrow as pa

from common.formats import vn_int
from common.text import norm_key
from etl.core.database import create_temp_table
from etl.core.errors import MAPPING_ADVICE, ImportFailure
from etl.core.rows import record_rejects, registered_grid
from etl.core.units import attach_waiting_units, blank_unit_line, record_unmatched_units, unit_from_titles, \
    unit_key_sql
from etl.core.vocab import is_totals_key
from etl.surveys import sql as survey_sql
from etl.surveys.catalogue import refresh_catalogue
from etl.surveys.dates import month_first_dates, month_first_note
from etl.surveys.header import SurveyMatch
from etl.surveys.legend import number_meanings
from etl.surveys.vocab import (RESPONSE_FIELDS, SURVEY_FIELD_LABELS, aliases_of, answer_key, answer_words,
                                catalogue_rows)

_YEAR_IN_TITLE = re.compile(r"(?:năm|nam|kỳ|ky)\D{0,12}((?:19|20)\d{2})", re.IGNORECASE)
RESPONSE_COLUMNS = ("source", "response_id", "unit_text", "unit_code", "survey_date", "survey_year", "field_name",
                    "channel", "respondent_type", "gender", "age_group", "answer_count", "invalid_answer_count",
                    "satisfaction_asked", "import_id", "row_number", "row_hash")
ANSWER_COLUMNS = ("source", "response_id", "item_type", "item_code", "element_no", "answer_text", "score",
                  "is_valid", "is_favourable")


# Why an answer was judged invalid (survey_sql.ANSWER_MAP_SQL), as the summary says it.
INVALID_REASONS = {
    "out_of_scale": "ngoài thang 1–5",
    "number_word_mismatch": "số và chữ không khớp nhau",
    "unknown": "không nhận ra",
    "not_a_mark": "không phải dấu chọn (x, 1, ✓, Có) hay không chọn (để trống, -, 0, Không); không tính là đã chọn",
}


def default_source(file_name: str) -> str:
    """Questionnaire codes restart at 1 in every survey round, so without --source each file is its own source
    (and each unit in it, see survey_sql.responses_sql): re-importing the file finds its questionnaires again,
    another file never overwrites them."""
    return file_name


def year_from_titles(title_rows: list[list]) -> int | None:
    """'KẾT QUẢ KHẢO SÁT … NĂM 2022' above the header: the survey year when no column gives it."""
    for row in title_rows:
        for cell in row:
            found = _YEAR_IN_TITLE.search(str(cell or ""))
            if found:
                return int(found.group(1))
    return None


def missing_column_message(file_name: str, field: str, extra) -> str:
    tried = ", ".join(repr(a) for a in aliases_of(field, extra))
    return (f"Tệp {file_name}: không tìm thấy cột «{SURVEY_FIELD_LABELS[field]}» (đã thử các tiêu đề {tried}), "
            f"nên không nạp dòng nào từ tệp này. {MAPPING_ADVICE}")


def no_answer_columns_message(file_name: str) -> str:
    return (f"Tệp {file_name}: không tìm thấy cột câu hỏi khảo sát nào (tiêu đề bắt đầu bằng mã tiêu chí như "
            "«Câu 1.1», «TC1.1», «1.1», hoặc «HL1»…«HL5», «HL» / «Hài lòng chung»), nên không nạp dòng nào từ "
            "tệp này. Tệp có đúng là phiếu khảo sát SIPAS không?")


def check_survey_columns(match: SurveyMatch, file_name: str, extra=(), title_unit: str | None = None,
                         title_rows: list[list] = ()) -> None:
    """A file without its unit (a column, or a title line «Đơn vị: …» naming the unit of every questionnaire) or
    without any criterion/satisfaction column cannot be loaded at all."""
    if "unit" not in match.columns and title_unit is None:
        blank = blank_unit_line(title_rows)
        if blank:   # probe 52: a form's «Đơn vị: ………» never filled in was taken for the unit's name
            raise ImportFailure(f"Tệp {file_name}: dòng «{blank}» phía trên bảng chưa điền tên đơn vị được khảo sát, "
                                "và bảng không có cột đơn vị, nên không biết phiếu của đơn vị nào; không nạp dòng nào. "
                                "Hãy điền tên đơn vị vào dòng đó (ví dụ «Đơn vị: UBND Phường 9») rồi nạp lại.")
        raise ImportFailure(missing_column_message(file_name, "unit", extra)
                            + " Phiếu của một đơn vị cũng có thể ghi tên đơn vị một lần ở dòng «Đơn vị: …» phía trên "
                              "bảng.")
    if not match.rating_items:
        raise ImportFailure(no_answer_columns_message(file_name))


def _stage(con, grid, match: SurveyMatch, *, sheet, default_year, per_unit: bool, title_unit: str | None) -> str | None:
    """Stages the sheet's questionnaires; returns month_first_dates's verdict (None: dates read day first)."""
    with registered_grid(con, grid):
        con.execute("CREATE OR REPLACE TEMP TABLE survey_mapped AS " +
                    survey_sql.mapped_sql(match, grid.filled_columns(match.header_index)),
                    {"header": match.header_index,
                     **({} if "unit" in match.columns else {"title_unit": title_unit})})
    hidden = _names_hidden(con) if "unit" in match.columns else 0
    month_first = month_first_dates(con, match.month_first_date) if "survey_date" in match.columns else None
    con.execute("CREATE OR REPLACE TEMP TABLE survey_dated AS " + survey_sql.dated_sql(match.utc_date),
                {"default_year": default_year, "month_first": month_first is not None})
    con.execute("CREATE OR REPLACE TEMP TABLE survey_classified AS " +
                survey_sql.classify_sql("response_id" in match.columns, match.submitted_date), {"sheet": sheet})
    con.execute("CREATE OR REPLACE TEMP TABLE survey_duplicates AS " + survey_sql.duplicates_sql(per_unit), {"sheet": sheet})
    create_temp_table(con, "survey_items", pa.table({
        "item_col": [f"q{i}" for i in range(len(match.items))], "item_type": [i.item_type for i in match.items],
        "item_code": [i.item_code for i in match.items],
        "element_no": pa.array([i.element_no for i in match.items], pa.int32()),
        "header": [i.header for i in match.items]}))
    words = answer_words()
    create_temp_table(con, "survey_words", pa.table({"scale": [w[0] for w in words], "word": [w[1] for w in words],
                                                     "value": pa.array([w[2] for w in words], pa.int32())}))
    con.execute("CREATE OR REPLACE TEMP TABLE survey_multi AS " + survey_sql.multiple_choices_sql(match),
                {"sheet": sheet})
    return month_first, hidden


HIDDEN_NAME = "[tên người, đã ẩn]"


def _names_hidden(con) -> int:
    """Replaces a person's name written as the unit (a form's «Khác» box of the unit question; the macro
    looks_like_person_name) by HIDDEN_NAME before anything keeps it; a text that names a unit of the list stays.
    Returns how many questionnaires."""
    return len(con.execute("""UPDATE survey_mapped SET unit = ? WHERE looks_like_person_name(unit)
                              AND unit_code_of(unit) IS NULL RETURNING _row""", [HIDDEN_NAME]).fetchall())


def _reject(con, *, import_id, file_name, sheet, match) -> list[dict]:
    values = ", ".join(f"'{f}', {f}" for f in RESPONSE_FIELDS if f in match.columns) or "'unit', unit"
    con.execute("""CREATE OR REPLACE TEMP TABLE survey_judged AS
        SELECT c.*, coalesce(c._verdict, m._verdict, d._verdict) AS _why FROM survey_classified c
        LEFT JOIN survey_duplicates d USING (_row) LEFT JOIN survey_multi m USING (_row)
        WHERE c._skip IS NULL AND (c._verdict IS NOT NULL OR m._verdict IS NOT NULL OR d._verdict IS NOT NULL)""")
    return record_rejects(con, "survey_judged", "_why", values, import_id=import_id, file_name=file_name, sheet=sheet)


def _upsert(con) -> dict:
    """Inserts new questionnaires, replaces changed ones (and their answers), leaves identical ones alone."""
    business = ("unit_text", "survey_date", "survey_year", "field_name", "channel", "respondent_type", "gender",
                "age_group", "satisfaction_asked")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE survey_actions AS
        WITH per_row AS (
            SELECT _row, count(*) FILTER (WHERE item_type <> 'expectation') AS answer_count,
                   count(*) FILTER (WHERE NOT is_valid AND item_type <> 'expectation') AS invalid_answer_count,
                   bit_xor(hash(item_code, answer_text)) AS answers   -- order-free digest of the answers
            FROM survey_new_answers GROUP BY _row)
        SELECT i.*, coalesce(p.answer_count, 0) AS answer_count,
               coalesce(p.invalid_answer_count, 0) AS invalid_answer_count,
               hash({', '.join('i.' + c for c in business)}, p.answers) AS row_hash,
               CASE WHEN s.response_id IS NULL THEN 'insert'
                    WHEN s.row_hash = hash({', '.join('i.' + c for c in business)}, p.answers) THEN 'same'
                    ELSE 'update' END AS action
        FROM survey_incoming i LEFT JOIN per_row p ON p._row = i.row_number
        LEFT JOIN survey_responses s ON s.source = i.source AND s.response_id = i.response_id""")
    cols = ", ".join(RESPONSE_COLUMNS)
    con.execute(f"INSERT INTO survey_responses ({cols}) SELECT {cols} FROM survey_actions WHERE action = 'insert'")
    kept = [c for c in RESPONSE_COLUMNS if c not in ("source", "response_id")]
    con.execute(f"""UPDATE survey_responses s SET {', '.join(f'{c} = a.{c}' for c in kept)}
        FROM survey_actions a WHERE a.action = 'update' AND s.source = a.source AND s.response_id = a.response_id""")
    con.execute("""DELETE FROM survey_answers a USING survey_actions s
        WHERE s.action = 'update' AND a.source = s.source AND a.response_id = s.response_id""")
    acols = ", ".join(ANSWER_COLUMNS)
    con.execute(f"""INSERT INTO survey_answers ({acols}) SELECT {', '.join('n.' + c for c in ANSWER_COLUMNS)}
        FROM survey_new_answers n JOIN survey_actions a ON a.row_number = n._row
        WHERE a.action IN ('insert', 'update')""")
    return dict(con.execute("SELECT action, count(*) FROM survey_actions GROUP BY 1").fetchall())


def _rekey_file_name_sources(con, file_name: str) -> None:
    """Questionnaires loaded while a source was the bare file name move to their per-unit source, so reloading
    such a file updates them instead of adding them again (only those of the same unit: a file of the same name
    from another unit may have overwritten them)."""
    con.execute("""CREATE OR REPLACE TEMP TABLE survey_rekey AS
        SELECT i.source, i.response_id FROM survey_incoming i JOIN survey_responses r
          ON r.source = $old AND r.response_id = i.response_id AND r.unit_text = i.unit_text AND i.source <> $old
        WHERE NOT EXISTS (SELECT 1 FROM survey_responses x
                          WHERE x.source = i.source AND x.response_id = i.response_id)""",
                {"old": file_name})
    if con.execute("SELECT count(*) FROM survey_rekey").fetchall()[0][0]:
        for table in ("survey_responses", "survey_answers"):
            con.execute(f"""UPDATE {table} t SET source = k.source FROM survey_rekey k
                            WHERE t.source = $old AND t.response_id = k.response_id""", {"old": file_name})
    # Questionnaires of this file stored under another spelling of their unit («s07.csv · P. Võ Thị Sáu - Q.3», the
    # file sent again with «Phường Võ Thị Sáu»): the same questionnaires of the same unit, updated rather than added a
    # second time (probe 46: a corrected file doubled them).
    con.execute("""CREATE OR REPLACE TEMP TABLE survey_rekey AS
        SELECT r.source AS old_source, i.source, i.response_id FROM survey_incoming i JOIN survey_responses r
          ON r.response_id = i.response_id AND r.unit_code = i.unit_code AND r.source <> i.source
         AND starts_with(r.source, $prefix)
        WHERE NOT EXISTS (SELECT 1 FROM survey_responses x WHERE x.source = i.source AND x.response_id = i.response_id)
        QUALIFY row_number() OVER (PARTITION BY i.source, i.response_id ORDER BY r.source) = 1""",
                {"prefix": f"{file_name} · "})
    if con.execute("SELECT count(*) FROM survey_rekey").fetchall()[0][0]:
        for table in ("survey_responses", "survey_answers"):
            con.execute(f"""UPDATE {table} t SET source = k.source FROM survey_rekey k
                            WHERE t.source = k.old_source AND t.response_id = k.response_id""")
    con.execute("DROP TABLE survey_rekey")


def _record_unmatched_units(con, file_name: str) -> list[str]:
    """Unit names that match no unit are loaded and listed, like dossiers'; names that an alias added since
    resolves join their unit now."""
    attach_waiting_units(con, "survey_responses")
    return record_unmatched_units(con, "survey_actions", file_name)


def _refuse_results_table(con, file_name: str, sheet: str | None) -> None:
    """A table of results per criterion (a unit per line, «Số phiếu», then '92,5' under «1.1», «1.2»…) reads like
    questionnaires whose answers are all off the 1–5 scale: it loaded as a fake questionnaire per unit, numbered by
    its count. When most rating answers are numbers off the scale, the file is refused and told what it looks like."""
    rated, off, header, example, ten_point = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE _off), any_value(header) FILTER (WHERE _off),
               any_value(answer_text) FILTER (WHERE _off),
               bool_and(_n IN (6, 7, 8, 9, 10)) FILTER (WHERE _off)
        FROM (SELECT *, NOT is_valid AND _n IS NOT NULL AS _off
              FROM (SELECT *, try_cast(replace(answer_text, ',', '.') AS DOUBLE) AS _n FROM survey_new_answers)
              WHERE item_type <> 'expectation')""").fetchall()[0]
    if rated >= 4 and off * 2 > rated:
        where = f", trang «{sheet}»" if sheet else ""
        if ten_point:   # whole marks 6–10 beside 1–5: a scale of ten (probe 36: told it was a table of results)
            raise ImportFailure(
                f"Tệp {file_name}{where}: {vn_int(off)}/{vn_int(rated)} ô ở các cột câu hỏi là điểm 6–10 (ví dụ "
                f"«{example}» ở cột «{header}»): phiếu chấm theo thang 10 điểm, không phải thang 5 mức của SIPAS (Rất "
                "không hài lòng 1 … Rất hài lòng 5), nên không tính được chỉ số. Không nạp dòng nào từ tệp này; hãy "
                "dùng mẫu phiếu 5 mức của Bộ Nội vụ.")
        raise ImportFailure(
            f"Tệp {file_name}{where}: {vn_int(off)}/{vn_int(rated)} ô ở các cột câu hỏi là số ngoài thang 1–5 (ví dụ "
            f"«{example}» ở cột «{header}»): tệp giống bảng kết quả tổng hợp (tỷ lệ % theo tiêu chí) hơn là phiếu "
            "khảo sát từng người. Công cụ nạp phiếu khảo sát (mỗi dòng một phiếu, câu trả lời 1–5) hoặc kết quả tổng "
            "hợp theo yếu tố (cột «Yếu tố 1 (%)» … «Yếu tố 5 (%)», hay các cột Yếu tố, Tỷ lệ hài lòng, Số phiếu). "
            "Không nạp dòng nào từ tệp này.")


# The header of a column naming the answer level each line counts («Mức độ», «Mức độ hài lòng», «Phương án trả lời»).
_LEVEL_HEADER = re.compile(r"^(muc|phuong an|cau tra loi|tra loi|dap an)\b")


def _refuse_count_table(grid, match: SurveyMatch, file_name: str) -> None:
    """A table counting the questionnaires of each unit by answer level («Đơn vị | Mức độ | TC1.1 …», a line per
    unit and level: «Rất hài lòng | 3 | 3 …») reads like questionnaires whose answers are small numbers in the scale:
    it loaded as five fake questionnaires per unit (probe 22). A column no field reads, headed like a level and
    holding the answer levels, tells it; the file is refused and told what it is."""
    levels = {key for scale, key, value in answer_words() if scale == "rating" and value is not None}
    header = grid.head_rows(match.header_index + 1)[match.header_index]
    used = {int(c[1:]) for c in [*match.columns.values(), *(c for i in match.items for c in (i.column, *i.also))]
            if str(c)[1:].isdigit()}
    below = grid.table.slice(match.header_index + 1)
    for j, title in enumerate(header):
        if j in used or j >= below.num_columns or not _LEVEL_HEADER.match(norm_key(title)):
            continue
        cells = [str(v).strip() for v in below.column(j).to_pylist() if v is not None and str(v).strip()]
        named = [c for c in cells if answer_key(c) in levels]
        if not (len(cells) >= 3 and len(named) >= 0.8 * len(cells) and len({answer_key(c) for c in named}) >= 3):
            named = _numbered_levels(below, j, match)
        if named:
            where = f", trang «{grid.sheet}»" if grid.sheet else ""
            raise ImportFailure(
                f"Tệp {file_name}{where}: cột «{str(title).strip()}» ghi các mức trả lời («{named[0]}», «{named[1]}», …) "
                "ở từng dòng: tệp là bảng đếm số phiếu theo mức trả lời của mỗi đơn vị, không phải phiếu khảo sát "
                "từng người (mỗi dòng một phiếu, câu trả lời 1–5). Công cụ nạp phiếu từng người, hoặc kết quả tổng "
                "hợp theo yếu tố (cột «Yếu tố 1 (%)» … «Yếu tố 5 (%)», hay các cột Yếu tố, Tỷ lệ hài lòng, Số phiếu). "
                "Không nạp dòng nào từ tệp này.")


def _numbered_levels(below, j: int, match: SurveyMatch) -> list[str]:
    """The levels of a count table that numbers them («Mức điểm | 1 … 5», probe 52: five fake questionnaires a unit,
    SIPAS 0 % for 76 %), or []: the column holds only 1–5, at least three of them, and no level twice among the lines
    of one unit and year (the fields the header reads, answers aside) — a questionnaire's column such as «Mức độ
    DVC» repeats its values across a unit's questionnaires, and one keyed by questionnaire has no group of three."""
    keys = [c for f, c in match.columns.items() if f != "response_id" and c in below.column_names and c != f"c{j}"]
    groups: dict[tuple, list[str]] = {}
    for row in below.select([f"c{j}", *keys]).to_pylist():
        level = str(row[f"c{j}"] or "").strip().removesuffix(".0")
        if level and not is_totals_key(norm_key(level)):   # «Tổng số phiếu» under the levels
            groups.setdefault(tuple(row[k] for k in keys), []).append(level)
    levels = [v for values in groups.values() for v in values]
    sized = [values for values in groups.values() if len(values) >= 3]
    if (len(levels) < 3 or not set(levels) <= set("12345") or len(set(levels)) < 3 or not sized
            or sum(len(v) for v in sized) < 0.8 * len(levels) or any(len(set(v)) < len(v) for v in sized)):
        return []
    return sorted(set(levels))


def _codes_of_other_years(con, *, per_unit: bool) -> list[str]:
    """A file holding two years' surveys, each numbered from 1: a code used again in a later year names another
    questionnaire (survey_sql.duplicates_sql keeps both), stored as «2023 · 1» beside 2022's «1»; said."""
    same = f"{unit_key_sql('k.unit')} IS NOT DISTINCT FROM {unit_key_sql('e.unit')}" if per_unit else "true"
    rows = con.execute(f"""UPDATE survey_kept k SET response_id = k._year || ' · ' || k.response_id
        WHERE EXISTS (SELECT 1 FROM survey_kept e WHERE e.response_id = k.response_id AND e._year < k._year AND {same})
        RETURNING k._year""").fetchall()
    if not rows:
        return []
    years = sorted({r[0] for r in rows})
    return [f"{vn_int(len(rows))} mã phiếu của năm " + ", ".join(map(str, years)) + " trùng mã phiếu của năm trước trong "
            "cùng tệp (mỗi năm đánh số lại từ 1): là phiếu khác, được lưu với năm đứng trước mã (ví dụ «"
            f"{years[0]} · 1»)."]


def _codes_of_earlier_sheets(con, *, import_id: int, file_name: str, sheet, match,
                             per_unit: bool) -> tuple[list[dict], int]:
    """A workbook with a sheet per survey round numbers each round's questionnaires from 1 again: a code an earlier
    sheet of the same file used (for the same unit, when the file's questionnaires are keyed by unit) names another
    questionnaire, which is kept under its sheet's name («Đợt 2 · 1») instead of replacing the earlier one. One with
    the same unit and date (or year) as the earlier one is that questionnaire copied again: rejected, naming it.
    Returns (the rejects, how many codes were qualified); survey_kept is left with the questionnaires to store."""
    con.execute("""CREATE TEMP TABLE IF NOT EXISTS survey_sheet_codes (import_id INTEGER, sheet VARCHAR,
                   response_id VARCHAR, unit VARCHAR, _date DATE, _year INTEGER, _row INTEGER)""")
    same = f"{unit_key_sql('e.unit')} IS NOT DISTINCT FROM {unit_key_sql('k.unit')}"   # as matched, not as typed
    same_unit = f"AND {same}" if per_unit else ""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE survey_reused AS
        SELECT k._row, e.sheet AS earlier_sheet, e._row AS earlier_row,
               e._date IS NOT DISTINCT FROM k._date AND e._year IS NOT DISTINCT FROM k._year
                   AND {same} AS repeated
        FROM survey_kept k JOIN survey_sheet_codes e
          ON e.import_id = $import_id AND e.sheet IS DISTINCT FROM $sheet AND e.response_id = k.response_id {same_unit}
        QUALIFY row_number() OVER (PARTITION BY k._row ORDER BY e._row) = 1""",
                {"import_id": import_id, "sheet": sheet})
    msg = ("mã phiếu trùng với phiếu ở trang «' || earlier_sheet || '», dòng ' || earlier_row || ' của cùng tệp, "
           "cùng đơn vị và ngày khảo sát: phiếu lặp lại, không nạp lần nữa.")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE survey_judged AS
        SELECT k.*, 'duplicate_in_file|response_id|' || {survey_sql.where_sql(msg)} AS _why
        FROM survey_kept k JOIN survey_reused r USING (_row) WHERE r.repeated""", {"sheet": sheet})
    values = ", ".join(f"'{f}', {f}" for f in RESPONSE_FIELDS if f in match.columns)
    rejects = record_rejects(con, "survey_judged", "_why", values, import_id=import_id, file_name=file_name,
                             sheet=sheet)
    con.execute("DELETE FROM survey_kept WHERE _row IN (SELECT _row FROM survey_reused WHERE repeated)")
    qualified = con.execute("SELECT count(*) FROM survey_reused WHERE NOT repeated").fetchall()[0][0]
    con.execute("""UPDATE survey_kept SET response_id = $sheet || ' · ' || response_id
                   WHERE _row IN (SELECT _row FROM survey_reused WHERE NOT repeated)""", {"sheet": sheet})
    con.execute("""INSERT INTO survey_sheet_codes SELECT $import_id, $sheet, response_id, unit, _date, _year, _row
                   FROM survey_kept""", {"import_id": import_id, "sheet": sheet})
    con.execute("DROP TABLE survey_reused")
    return rejects, qualified


def load_survey_sheet(con, grid, match: SurveyMatch, *, import_id: int, file_name: str, source: str | None,
                      as_of: date | None, title_rows: list[list], extra_aliases=(),
                      source_name: str | None = None, side_grids=()) -> dict:
    """Loads one questionnaire sheet inside the caller's transaction; returns its counts in the shape of the
    dossier loader's (rows_loaded, rows_updated, rows_unchanged, rows_rejected, rows_skipped, rejects, …).
    source: --source, used as is; else each questionnaire's source is source_name (the file's name, or that of
    an earlier file with the same content) with its unit."""
    # a form typed for one unit names it once above the table (probe 22: refused for want of a unit column)
    title_unit = unit_from_titles(title_rows) if "unit" not in match.columns else None
    check_survey_columns(match, file_name, extra_aliases, title_unit, title_rows)
    _refuse_count_table(grid, match, file_name)
    refresh_catalogue(con)
    default_year = year_from_titles(title_rows) or (as_of.year if as_of else None)
    if "survey_date" not in match.columns and "year" not in match.columns and default_year is None:
        raise ImportFailure(f"Tệp {file_name}: không có cột «Ngày khảo sát» hay «Năm», tiêu đề cũng không ghi năm "
                            "khảo sát; hãy thêm cột năm hoặc dùng --as-of YYYY-MM-DD. Không nạp dòng nào từ tệp này.")
    sheet = grid.sheet
    meanings, legend_note = number_meanings(grid, match.header_index, side_grids, file_name)
    create_temp_table(con, "survey_number_meaning", pa.table({
        "number": pa.array(list(meanings or {}), pa.int32()), "score": pa.array(list((meanings or {}).values()),
                                                                                 pa.int32())}))
    base = source or default_source(source_name or file_name)
    month_first, hidden = _stage(con, grid, match, sheet=sheet, default_year=default_year, per_unit=source is None,
                                 title_unit=title_unit)
    rejects = _reject(con, import_id=import_id, file_name=file_name, sheet=sheet, match=match)
    skipped = con.execute("SELECT count(*) FROM survey_classified WHERE _skip IS NOT NULL").fetchall()[0][0]
    con.execute("""CREATE OR REPLACE TEMP TABLE survey_kept AS SELECT * FROM survey_classified
        WHERE _skip IS NULL AND _verdict IS NULL AND _row NOT IN (SELECT _row FROM survey_duplicates)
          AND _row NOT IN (SELECT _row FROM survey_multi)""")
    written_in = (_other_write_ins(con, match) + _unknown_choices(con, match, sheet)
                  + _units_from_other_box(con, match, sheet))
    has_id = "response_id" in match.columns
    qualified = 0
    if has_id:
        written_in += _codes_of_other_years(con, per_unit=source is None)
        repeated, qualified = _codes_of_earlier_sheets(con, import_id=import_id, file_name=file_name, sheet=sheet,
                                                       match=match, per_unit=source is None)
        rejects += repeated
    asked = sorted({i.element_no for i in match.items if i.item_type == "element"})
    params = {"source": base, "per_unit": source is None, "import_id": import_id, "asked": asked}
    con.execute("CREATE OR REPLACE TEMP TABLE survey_incoming AS " + survey_sql.responses_sql(has_id),
                params if has_id else {**params, "sheet": sheet})
    if source is None:
        _rekey_file_name_sources(con, base)
    sources = [r[0] for r in con.execute("SELECT DISTINCT source FROM survey_incoming ORDER BY 1").fetchall()]
    outside = _outside_validity(con, sheet)
    con.execute("CREATE OR REPLACE TEMP TABLE survey_long AS " + survey_sql.long_answers_sql(match))
    outside += _criteria_outside_method(con, sheet)
    con.execute("CREATE OR REPLACE TEMP TABLE survey_answer_map AS " + survey_sql.ANSWER_MAP_SQL)
    con.execute("CREATE OR REPLACE TEMP TABLE survey_new_answers AS " + survey_sql.ANSWERS_SQL)
    # with the first rows holding each value: two sheets with an «HL2» column left the cells impossible to find
    invalid = con.execute("""SELECT header, answer_text, reason, count(*), list(_row ORDER BY _row)[1:5]
                             FROM survey_new_answers WHERE NOT is_valid OR reason IS NOT NULL
                             GROUP BY header, answer_text, reason ORDER BY 4 DESC, 1, 2""").fetchall()
    _refuse_results_table(con, file_name, sheet)
    counts = _upsert(con)
    unmatched = _record_unmatched_units(con, file_name)
    years = [r[0] for r in con.execute("SELECT DISTINCT _year FROM survey_kept WHERE _year IS NOT NULL").fetchall()]
    for table in ("survey_mapped", "survey_dated", "survey_classified", "survey_duplicates", "survey_multi", "survey_judged",
                  "survey_kept", "survey_long", "survey_answer_map", "survey_new_answers", "survey_incoming",
                  "survey_actions", "survey_items", "survey_words", "survey_number_meaning"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    n_invalid = sum(n for _, _, _, n, _ in invalid)
    warnings = [] if month_first is None else [month_first_note(month_first)]
    if legend_note:
        warnings.append(legend_note)
    if qualified:
        warnings.append(f"Trang «{sheet}»: {qualified} phiếu mang mã phiếu đã dùng ở trang trước của cùng tệp nhưng "
                        "khác đơn vị hoặc ngày khảo sát (mỗi đợt đánh số lại từ 1): là phiếu khác, được lưu với mã "
                        f"kèm tên trang («{sheet} · …»), không ghi đè phiếu trang trước.")
    warnings += _older_method_note(years) + outside + written_in
    if hidden:
        warnings.append(f"{hidden} phiếu ghi ở cột đơn vị một tên người (có lẽ gõ vào ô «Khác» của câu hỏi đơn vị): "
                        f"tên được ẩn, không lưu — các phiếu đó mang đơn vị «{HIDDEN_NAME}», không thuộc đơn vị nào. "
                        "Nếu đó là tên một đơn vị, hãy thêm tên ấy vào danh mục đơn vị rồi nạp lại tệp.")
    if n_invalid:
        warnings.append(f"{n_invalid} câu trả lời không hợp lệ (ngoài thang 1–5, số và chữ không khớp, hoặc không "
                        "nhận ra) vẫn được nạp nhưng không tính vào chỉ số (dấu ở câu mong đợi không nhận ra: tính là "
                        "không chọn); xem danh sách giá trị bên dưới.")
    return {"rows_loaded": counts.get("insert", 0), "rows_updated": counts.get("update", 0),
            "rows_unchanged": counts.get("same", 0), "rows_rejected": len(rejects), "rows_skipped": skipped,
            "rejects": rejects, "unmatched_units": unmatched, "invalid_answers": n_invalid,
            "unrecognized_values": [{"field": h, "value": v, "count": n, "reason": INVALID_REASONS[why], "sheet": sheet,
                                     "rows": rows} for h, v, why, n, rows in invalid],
            "warnings": warnings,
            "source": source or (f"{base} · {len(sources)} đơn vị" if len(sources) > 1 else (sources or [base])[0])}


def _other_write_ins(con, match) -> list[str]:
    """The summary's line on the kept questionnaires whose cell of choices ends with a «Khác» write-in
    (etl/surveys/sql.py OTHER_WRITE_IN): the write-in counts as no option, and is not kept."""
    column = survey_sql.choices_column(match)
    if column is None:
        return []
    n = con.execute(f"SELECT count(*) FROM survey_kept WHERE regexp_matches({column}, ?)",
                    [survey_sql.OTHER_WRITE_IN]).fetchall()[0][0]
    if not n:
        return []
    header = survey_sql.choices_header(match)
    return [f"{n} phiếu chọn «Khác» và ghi ý kiến riêng ở cột «{header}»: ý kiến đó không là lựa chọn nào của danh "
            "mục mong đợi nên không tính vào tỷ lệ mong đợi nào, và không được lưu (có thể chứa thông tin cá nhân); "
            "các câu trả lời khác của phiếu vẫn được tính."]


def _unknown_choices(con, match, sheet) -> list[str]:
    """The summary's line on the kept questionnaires whose cell of choices holds a choice that is no expectation
    option of the catalogue (etl/surveys/sql.py unknown_choices_sql): Google Forms writes the «Other» box's words
    without a «Khác» before them. The choice counts as no option, as an unread mark in an option's column does; the
    questionnaire is counted (probe 46: it was rejected, its satisfaction answers lost). Its words are not quoted:
    a write-in may hold the respondent's name."""
    column = survey_sql.choices_column(match)
    if column is None:
        return []
    n, lines = _kept_lines(con, f"{column} IS NOT NULL AND {survey_sql.unknown_choices_sql(column)} IS NOT NULL",
                           sheet)
    if not n:
        return []
    return [f"{n} phiếu ghi ở cột «{survey_sql.choices_header(match)}» lựa chọn không có trong danh mục mong đợi "
            f"({lines}): có lẽ là ý kiến riêng ở ô «Khác» "
            "(Google Forms ghi ý kiến đó không kèm chữ «Khác»), hoặc tên phương án gõ khác danh mục. Phần đó không tính "
            "là phương án nào và không được lưu; các lựa chọn khác và câu trả lời khác của phiếu vẫn được tính. Nếu là "
            "tên phương án gõ khác, hãy sửa cho đúng tên trong etl/vocab/sipas_catalogue.csv rồi nạp lại."]


def _units_from_other_box(con, match, sheet) -> list[str]:
    """The summary's line on the kept questionnaires whose unit is the one written in the unit question's «Other
    (please specify)» box (etl/surveys/sql.py unit_cell_sql)."""
    if not match.unit_other:
        return []
    n, lines = _kept_lines(con, "_unit_from_other", sheet)
    if not n:
        return []
    return [f"{n} phiếu không chọn đơn vị trong danh sách mà ghi tên đơn vị ở ô «Khác» (Other) của câu hỏi đơn vị "
            f"({lines}): tên ghi ở đó được dùng làm đơn vị của phiếu."]


def _kept_lines(con, condition: str, sheet) -> tuple[int, str]:
    """How many kept questionnaires meet condition, and where: «trang «…», dòng 4, 5 …» (the first ten lines)."""
    n, rows = con.execute(f"SELECT count(*), list(_row ORDER BY _row)[1:10] FROM survey_kept WHERE {condition}"
                          ).fetchall()[0]
    where = f"trang «{sheet}», " if sheet else ""
    return n, f"{where}dòng {', '.join(map(str, rows or []))}{' …' if n > 10 else ''}"


def _outside_validity(con, sheet) -> list[str]:
    """Questionnaires of a unit surveyed outside its validity (a ward merged away in 2020 surveyed in 2022: probe 32,
    as the dossier loader says of dossiers): loaded for that unit as written, said for the file or the list to be
    checked. By the survey day, else by the year (a unit ended before the year began, or begun after it ended)."""
    found = con.execute("""
        SELECT list(i.row_number ORDER BY i.row_number), list(DISTINCT u.unit_name ORDER BY u.unit_name)
        FROM survey_incoming i JOIN units u ON u.unit_code = i.unit_code
        WHERE coalesce(i.survey_date > u.valid_to OR i.survey_date < u.valid_from,
                       make_date(i.survey_year, 1, 1) > u.valid_to OR make_date(i.survey_year, 12, 31) < u.valid_from,
                       false)""").fetchall()[0]
    if not found[0]:
        return []
    names = ", ".join(f"«{n}»" for n in found[1][:5]) + (" …" if len(found[1]) > 5 else "")
    rows = ", ".join(str(r) for r in found[0][:10]) + (" …" if len(found[0]) > 10 else "")
    where = f"trang «{sheet}», " if sheet else ""
    return [f"{vn_int(len(found[0]))} phiếu khảo sát của đơn vị không còn (hay chưa có) hiệu lực vào ngày, năm khảo sát "
            f"({names}; {where}dòng {rows}): vẫn nạp cho đơn vị đó; hãy kiểm tra tên đơn vị trong tệp (đơn vị đã sắp "
            "xếp, đơn vị kế thừa) hoặc hiệu lực trong danh mục đơn vị."]


def _criteria_outside_method(con, sheet) -> list[str]:
    """Answers to a criterion the catalogue method in force in the questionnaire's year does not have (a form of
    the 2017 method filled in 2024, once the catalogue holds the 2023 method): taken out of the answers and said,
    since the year's indices count that method's criteria only — before, they entered the element index of forms
    without a satisfaction question. With one method in the catalogue every criterion column is of it."""
    if len({r[0] for r in catalogue_rows()}) < 2:
        return []
    con.execute(f"""CREATE OR REPLACE TEMP TABLE survey_outside_method AS
        WITH in_force AS (
            SELECT _year, {survey_sql.method_in_force_sql('_year')} AS method FROM (SELECT DISTINCT _year FROM survey_kept))
        SELECT l._row, l.item_code, l.header, nullif(trim(l.answer), '') IS NOT NULL AS answered, k._year, f.method
        FROM survey_long l JOIN survey_kept k USING (_row) JOIN in_force f USING (_year)
        WHERE l.item_type = 'criterion' AND NOT EXISTS (
            SELECT 1 FROM sipas_catalogue c WHERE c.method = f.method AND c.item_type = 'criterion'
                                              AND c.item_code = l.item_code)""")
    con.execute("""DELETE FROM survey_long l USING survey_outside_method o
                   WHERE l._row = o._row AND l.item_type = 'criterion' AND l.item_code = o.item_code""")
    found = con.execute("""SELECT header, _year, method, count(*), list(_row ORDER BY _row)[1:10]
                           FROM survey_outside_method WHERE answered GROUP BY ALL ORDER BY 1, 2""").fetchall()
    con.execute("DROP TABLE survey_outside_method")
    where = f"trang «{sheet}», " if sheet else ""
    return [f"Cột «{header}» là tiêu chí không có trong phương pháp {method} áp dụng cho phiếu năm {year} "
            f"(etl/vocab/sipas_catalogue.csv): {vn_int(n)} câu trả lời của cột không được tính ({where}dòng "
            f"{', '.join(map(str, rows))}{' …' if n > len(rows) else ''}). Nếu phiếu năm đó hỏi theo phương pháp khác, "
            "hãy kiểm tra năm khảo sát của phiếu hoặc danh mục." for header, year, method, n, rows in found]


# The year Decision 1001/QĐ-BNV's method replaced Decision 2640/QĐ-BNV's (surveys.md).
_NEWER_METHOD_YEAR = 2023


def _older_method_note(years: list[int]) -> list[str]:
    """Questionnaires of 2023 on read with a catalogue that has no method newer than 2017's: said, with every such
    year of the sheet (probe 46 read «năm 2024» of a file mostly of 2023), since their criteria may be other
    questions under the same codes (probe 18: a 2024 form's 1.1 was named «Nơi ngồi chờ…»)."""
    newest = max((from_year for _, from_year, *_ in catalogue_rows()), default=None)
    later = sorted(y for y in years if y is not None and y >= _NEWER_METHOD_YEAR)
    if not later or newest is None or newest >= _NEWER_METHOD_YEAR:
        return []
    return [f"Phiếu năm {', '.join(map(str, later))} được đọc theo bộ tiêu chí của phương pháp {newest} (etl/vocab/sipas_catalogue.csv "
            f"chưa có phương pháp từ {_NEWER_METHOD_YEAR}, Quyết định 1001/QĐ-BNV). Nếu phiếu hỏi theo phương pháp mới, "
            "hãy thêm các dòng của phương pháp đó vào danh mục (cột method, from_year) rồi nạp lại tệp: tiêu chí cùng mã "
            "có thể là câu hỏi khác."]
