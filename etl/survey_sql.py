"""SQL that turns the text cells of a questionnaire export into typed responses, long answers and rejects."""
from etl.dossier_sql import SKIP_BLANK_AND_TOTALS
from etl.survey_header import SurveyMatch
from etl.survey_vocab import RESPONSE_FIELDS


def cell_sql(col: str) -> str:
    """A grid cell as trimmed text, blank (or a lone BOM) as NULL."""
    return f"nullif(trim(replace({col}, chr(65279), '')), '')"


def where_sql(msg: str) -> str:
    """'Trang «Phiếu», dòng 12: msg' (or 'Dòng 12: msg' for a CSV); the sheet is the bound parameter $sheet."""
    return (f"concat(CASE WHEN $sheet IS NULL THEN 'Dòng ' ELSE 'Trang «' || $sheet || '», dòng ' END, _row, "
            f"': {msg}')")


# Reject rules in the order a row is judged; the first that holds is the reason given.
def _reject_rules(has_id_column: bool) -> list[tuple[str, str, str, str]]:
    rules = [("missing_unit", "unit", "unit IS NULL", where_sql("thiếu đơn vị được khảo sát."))]
    if has_id_column:
        rules.append(("missing_response_id", "response_id", "response_id IS NULL", where_sql("thiếu mã phiếu.")))
    rules += [
        ("bad_date", "survey_date", "survey_date IS NOT NULL AND _date IS NULL AND _plain_year IS NULL",
         where_sql("ngày khảo sát «' || survey_date || '» không đọc được (cần dạng ngày/tháng/năm).")),
        ("missing_survey_year", "year", "_year IS NULL", where_sql("thiếu ngày hoặc năm khảo sát.")),
        ("empty_questionnaire", None, "_answers = 0",
         where_sql("phiếu không có câu trả lời nào ở các cột tiêu chí, hài lòng, mong đợi.")),
    ]
    return rules


def mapped_sql(match: SurveyMatch, grid_columns: list[str]) -> str:
    """Data rows under the header: fields as trimmed text (blank → NULL), answers as q0…qN, and what skipping
    rows needs. Parameters: $header (index of the header row), $default_year."""
    parts = ["_row"]
    for f in RESPONSE_FIELDS:
        parts.append(f"{cell_sql(match.columns[f])} AS {f}" if f in match.columns else f"CAST(NULL AS VARCHAR) AS {f}")
    parts += [f"{cell_sql(item.column)} AS q{i}" for i, item in enumerate(match.items)]
    parts.append(" + ".join(f"({cell_sql(c)} IS NOT NULL)::INT" for c in grid_columns) + " AS _nonempty")
    parts.append("norm_key(coalesce(" + ", ".join(cell_sql(c) for c in grid_columns) + ")) AS _first_key")
    parts.append((" + ".join(f"({cell_sql(i.column)} IS NOT NULL)::INT" for i in match.items) or "0") + " AS _answers")
    # A row of column numbers '(1) (2) (3) …' under the header: its non-empty cells are consecutive integers.
    cells = "[" + ", ".join(cell_sql(c) for c in grid_columns) + "]"
    parts.append(f"list_transform(list_filter({cells}, lambda x: x IS NOT NULL), "
                 f"lambda x: try_cast(regexp_extract(x, '^\\(?(\\d{{1,3}})\\)?$', 1) AS INT)) AS _numbers")
    return "SELECT " + ",\n       ".join(parts) + " FROM grid WHERE _pos > $header"


def dated_sql() -> str:
    """Adds the parsed date and year: a date cell, else a year (or 'Năm 2022', 'Quý III/2022') in the year or
    date column, else the file's default year (title 'năm 2022' or --as-of)."""
    return """
    SELECT *, year(_date) AS _date_year,
           coalesce(year(_date), _plain_year,
                    try_cast(regexp_extract(year, '((?:19|20)\\d{2})', 1) AS INT), $default_year) AS _year
    FROM (SELECT *, CAST(parse_ts(survey_date) AS DATE) AS _date,
                 try_cast(regexp_extract(survey_date, '^\\s*((?:19|20)\\d{2})(\\.0+)?\\s*$', 1) AS INT) AS _plain_year
          FROM survey_mapped)"""


def classify_sql(has_id_column: bool) -> str:
    """Adds _skip (blank, totals, column numbers, footer and signature rows) and _verdict 'code|field|reason'."""
    rules = _reject_rules(has_id_column)
    reject_case = "CASE " + " ".join(
        f"WHEN {cond} THEN '{code}|{field or ''}|' || {msg}" for code, field, cond, msg in rules) + " END"
    return f"""
    SELECT *,
      CASE
        {SKIP_BLANK_AND_TOTALS}
        WHEN len(_numbers) >= 3 AND coalesce(_numbers = generate_series(_numbers[1], _numbers[1] + len(_numbers) - 1),
                                             false) THEN 'column_numbers'
        WHEN unit IS NULL AND _answers = 0 THEN 'footer'
      END AS _skip,
      {reject_case} AS _verdict
    FROM survey_dated"""


def duplicates_sql() -> str:
    """Later rows repeating a questionnaire code of the same file: the first is kept."""
    return _where_dup("""
        SELECT _row, first_row FROM (
            SELECT _row, row_number() OVER (PARTITION BY response_id ORDER BY _row) AS n,
                   min(_row) OVER (PARTITION BY response_id) AS first_row
            FROM survey_classified WHERE _skip IS NULL AND _verdict IS NULL AND response_id IS NOT NULL)
        WHERE n > 1""")


def _where_dup(inner: str) -> str:
    msg = "mã phiếu trùng với dòng ' || first_row || ' trong cùng tệp."
    return f"SELECT _row, 'duplicate_in_file|response_id|' || {where_sql(msg)} AS _verdict FROM ({inner})"


def responses_sql(has_id_column: bool) -> str:
    """Typed questionnaires of the kept rows. Parameters: $source, $sheet, $import_id, $asked. A file without a
    questionnaire-code column gets codes from its sheet and row ('dong-12'), so a re-import finds them again."""
    response_id = "response_id" if has_id_column else \
        "CASE WHEN $sheet IS NULL THEN 'dong-' || _row ELSE $sheet || '-dong-' || _row END"
    return f"""
    SELECT $source AS source, {response_id} AS response_id, k.unit AS unit_text,
           (SELECT min(unit_code) FROM unit_keys u WHERE u.unit_key = norm_key(k.unit)
            HAVING count(DISTINCT unit_code) = 1) AS unit_code,
           k._date AS survey_date, k._year AS survey_year, k.field_name,
           coalesce((SELECT min(canonical) FROM vocab_values v WHERE v.field = 'channel'
                     AND v.word = norm_key(k.channel)), k.channel) AS channel,
           k.respondent_type, k.gender, k.age_group, CAST($asked AS INTEGER[]) AS satisfaction_asked,
           $import_id AS import_id, k._row AS row_number
    FROM survey_kept k"""


def long_answers_sql(match: SurveyMatch) -> str:
    """Every answer cell as one row (_row, item, answer), unpivoted in SQL; empty cells included so an
    expectation option left blank counts as not chosen."""
    cols = ", ".join(f"q{i}" for i in range(len(match.items)))
    return f"""
    SELECT l._row, i.item_type, i.item_code, i.element_no, i.header, l.answer,
           CASE WHEN i.item_type = 'expectation' THEN 'choice' ELSE 'rating' END AS scale
    FROM (SELECT _row, {cols} FROM survey_kept) UNPIVOT INCLUDE NULLS (answer FOR item_col IN ({cols})) l
    JOIN survey_items i ON i.item_col = l.item_col"""


# Distinct answer texts judged once: a number 1–5 ('4', '4.0', '4,0') or an answer word is a valid score;
# a no-answer word ('Không trả lời') is no answer; anything else (7, 'Tốt') is invalid. Expectation cells:
# a 'not chosen' word is not chosen, any other text is chosen.
ANSWER_MAP_SQL = """
    SELECT d.scale, d.answer,
      CASE WHEN d.scale = 'choice' THEN (CASE WHEN w.value = 0 THEN 'not_chosen' ELSE 'chosen' END)
           WHEN d.num IS NOT NULL THEN (CASE WHEN d.num BETWEEN 1 AND 5 THEN 'valid' ELSE 'invalid' END)
           WHEN w.word IS NOT NULL THEN (CASE WHEN w.value IS NULL THEN 'none' ELSE 'valid' END)
           ELSE 'invalid' END AS verdict,
      CASE WHEN d.scale = 'rating' THEN coalesce(CASE WHEN d.num BETWEEN 1 AND 5 THEN d.num END,
                                               CASE WHEN d.num IS NULL THEN w.value END) END AS score
    FROM (SELECT *, norm_key(answer) AS key,
                 try_cast(regexp_extract(trim(answer), '^(\\d+)(?:[.,]0+)?$', 1) AS INT) AS num
          FROM (SELECT DISTINCT scale, answer FROM survey_long WHERE answer IS NOT NULL)) d
    LEFT JOIN survey_words w ON w.scale = d.scale AND w.word = d.key"""


ANSWERS_SQL = """
    SELECT r.source, r.response_id, l.item_type, l.item_code, l.element_no, l.answer AS answer_text,
           m.score,
           coalesce(m.verdict, 'not_chosen') <> 'invalid' AS is_valid,
           CASE WHEN l.item_type = 'expectation' THEN coalesce(m.verdict = 'chosen', false)
                WHEN m.verdict = 'valid' THEN m.score >= 4 END AS is_favourable,
           l._row, l.header
    FROM survey_long l
    JOIN survey_incoming r ON r.row_number = l._row
    LEFT JOIN survey_answer_map m ON m.answer = l.answer AND m.scale = l.scale
    WHERE l.item_type = 'expectation' OR (l.answer IS NOT NULL AND m.verdict <> 'none')"""
