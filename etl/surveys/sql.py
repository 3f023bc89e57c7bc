"""SQL that turns the text cells of a questionnaire export into typed responses, long answers and rejects."""
from etl.core.rows import SIGNATURE_LINE, SKIP_BLANK_AND_TOTALS, balanced_sql, cell_sql, first_cell_sql, \
    nonempty_sql, starts_with_marker_sql, verdict_case
from etl.core.units import unit_key_sql
from etl.surveys.dates import month_first_swapped_sql
from etl.surveys.header import SurveyMatch
from etl.surveys.vocab import CHOICES_CODE, OTHER_BOX_WORDS, RESPONSE_FIELDS, answer_words, catalogue_rows


def where_sql(msg: str) -> str:
    """'Trang «Phiếu», dòng 12: msg' (or 'Dòng 12: msg' for a CSV); the sheet is the bound parameter $sheet."""
    return (f"concat(CASE WHEN $sheet IS NULL THEN 'Dòng ' ELSE 'Trang «' || $sheet || '», dòng ' END, _row, "
            f"': {msg}')")


# SIPAS began in 2017; a year before 2000 is a typo or a two-digit year ('03/10/22') read as year 22, and one after
# next year cannot have been surveyed yet. Such rows are rejected, never counted in a year nobody asks about.
MIN_SURVEY_YEAR = 2000
PLAUSIBLE_YEAR = f"_year BETWEEN {MIN_SURVEY_YEAR} AND year(current_date) + 1"
_YEARS = f"{MIN_SURVEY_YEAR}–' || (year(current_date) + 1) || '"


# The statuses of a submission that is no questionnaire (norm_key): Qualtrics' Status, KoboToolbox's validation,
# ODK Central's ReviewState.
_NOT_RESPONSES = ", ".join(f"'{k}'" for k in (
    "survey preview", "survey test", "spam", "not approved", "validation status not approved", "khong duyet",
    "bi loai", "phieu thu", "rejected"))


# Reject rules in the order a row is judged; the first that holds is the reason given.
def _reject_rules(has_id_column: bool, submitted_date: bool = False) -> list[tuple[str, str, str, str]]:
    # a tool's test answer or one its reviewer turned down: not a citizen's questionnaire (probe 42: Qualtrics'
    # «Survey Preview», KoboToolbox's «Not Approved» were counted, said nowhere)
    rules = [("not_a_response", "submission_status", f"norm_key(submission_status) IN ({_NOT_RESPONSES})",
              where_sql("phiếu có trạng thái «' || submission_status || '» (phiếu thử của công cụ khảo sát, hay phiếu "
                        "bị người duyệt loại) không được tính.")),
             ("missing_unit", "unit", "unit IS NULL", where_sql("thiếu đơn vị được khảo sát."))]
    if has_id_column:
        rules.append(("missing_response_id", "response_id", "response_id IS NULL", where_sql("thiếu mã phiếu.")))
    rules += [
        ("bad_date", "survey_date", "survey_date IS NOT NULL AND _date IS NULL AND _plain_year IS NULL",
         where_sql("ngày khảo sát «' || survey_date || '» không đọc được (cần dạng ngày/tháng/năm, "
                   "năm đủ 4 chữ số, ví dụ 03/10/2022).")),
        ("bad_year", "year", "year IS NOT NULL AND _date IS NULL AND _plain_year IS NULL AND _cell_year IS NULL",
         where_sql("năm khảo sát «' || year || '» không đọc được (cần năm đủ 4 chữ số, ví dụ 2022).")),
        *([("not_submitted", "survey_date", "survey_date IS NULL",
            where_sql("phiếu chưa gửi: ô ngày gửi phiếu trống (người trả lời bỏ dở giữa chừng, công cụ khảo sát vẫn "
                      "xuất phiếu đó); phiếu không được tính."))] if submitted_date else []),
        ("missing_survey_year", "year", "_year IS NULL", where_sql("thiếu ngày hoặc năm khảo sát.")),
        ("implausible_year", "survey_date", f"_date IS NOT NULL AND NOT ({PLAUSIBLE_YEAR})",
         where_sql(f"ngày khảo sát «' || survey_date || '» cho năm ' || _year || ', ngoài khoảng hợp lý {_YEARS}; "
                   "năm phải ghi đủ 4 chữ số (ví dụ 03/10/2022).")),
        ("implausible_year", "year", f"NOT ({PLAUSIBLE_YEAR})",
         where_sql("năm khảo sát ' || coalesce('«' || coalesce(survey_date, year) || '»', _year || "
                   f"' (lấy từ tiêu đề tệp hoặc --as-of)') || ' ngoài khoảng hợp lý {_YEARS}.")),
        ("empty_questionnaire", None, "_answers = 0",
         where_sql("phiếu không có câu trả lời nào ở các cột tiêu chí, hài lòng, mong đợi.")),
    ]
    return rules


def item_cells_sql(item) -> str:
    """The answer cell of a question; a multiple choice spread over option columns (SurveyItem.also) as one list
    of the choices made, «; » between them, as a form tool writes them in one cell."""
    if not item.also:
        return cell_sql(item.column)
    return f"nullif(concat_ws('; ', {', '.join(cell_sql(c) for c in (item.column, *item.also))}), '')"


def unit_cell_sql(match: SurveyMatch) -> str:
    """The unit a questionnaire names: its unit cell, or the unit question's «Other (please specify)» box when the
    cell is empty or holds the option «Other» itself (probe 42: such questionnaires were rejected, «thiếu đơn vị»)."""
    unit = cell_sql(match.columns["unit"])
    if not match.unit_other:
        return unit
    return f"CASE WHEN {_unit_left_for_other(match)} THEN {cell_sql(match.unit_other)} ELSE {unit} END"


def _unit_left_for_other(match: SurveyMatch) -> str:
    unit = cell_sql(match.columns["unit"])
    return f"({unit} IS NULL OR norm_key({unit}) IN ({', '.join(repr(w) for w in sorted(OTHER_BOX_WORDS))}))"


def mapped_sql(match: SurveyMatch, grid_columns: list[str]) -> str:
    """Data rows under the header: fields as trimmed text (blank → NULL), answers as q0…qN, and what skipping
    rows needs. Parameters: $header (index of the header row), $default_year, $title_unit (the unit a title line
    names, «Đơn vị: UBND Phường 9», for a sheet without a unit column; else NULL)."""
    parts = ["_row"]
    for f in RESPONSE_FIELDS:
        if f == "unit" and f not in match.columns:
            parts.append("CAST($title_unit AS VARCHAR) AS unit")
            continue
        if f == "unit":   # a form's «Khác» write-in may stand for the unit, with the respondent's phone number
            parts.append(f"personal_masked({unit_cell_sql(match)}) AS unit")
            continue
        parts.append(f"{cell_sql(match.columns[f])} AS {f}" if f in match.columns else f"CAST(NULL AS VARCHAR) AS {f}")
    parts += [f"{item_cells_sql(item)} AS q{i}" for i, item in enumerate(match.items)]
    # the questionnaires whose unit is the one written in the unit question's «Other» box, for the summary
    parts.append(f"({_unit_left_for_other(match)} AND {cell_sql(match.unit_other)} IS NOT NULL) AS _unit_from_other"
                 if match.unit_other else "FALSE AS _unit_from_other")
    # a unit no line writes (the title's, or none): a signature line has no unit of its own to tell it apart by
    parts.append(f"{'FALSE' if 'unit' in match.columns else 'TRUE'} AS _unit_unwritten")
    parts.append(f"{nonempty_sql(grid_columns)} AS _nonempty")
    parts.append(f"norm_key({first_cell_sql(grid_columns)}) AS _first_key")
    # answered: a cell holding something other than a word for no answer ('Không trả lời', 'KTL', '-'): a
    # questionnaire of such words only is as empty as a blank one (surveys.md)
    no_answer = ", ".join(f"'{key}'" for scale, key, value in answer_words() if scale == "rating" and value is None)
    answered = [f"({item_cells_sql(i)} IS NOT NULL AND coalesce(nullif(norm_key({item_cells_sql(i)}), ''), "
                f"trim({item_cells_sql(i)})) NOT IN ({no_answer}))::INT" for i in match.items]
    parts.append(f"{balanced_sql('+', answered) if answered else '0'} AS _answers")
    # A row of column numbers '(1) (2) (3) …' under the header: its non-empty cells are consecutive integers.
    cells = "[" + ", ".join(cell_sql(c) for c in grid_columns) + "]"
    parts.append(f"list_transform(list_filter({cells}, lambda x: x IS NOT NULL), "
                 f"lambda x: try_cast(regexp_extract(x, '^\\(?(\\d{{1,3}})\\)?$', 1) AS INT)) AS _numbers")
    return "SELECT " + ",\n       ".join(parts) + " FROM grid WHERE _pos > $header"


def dated_sql(utc: bool = False) -> str:
    """Adds the parsed date and year: a date cell, else a year (or 'Năm 2022', 'Quý III/2022', 'Tháng 10/2022',
    '10/2022' — the year is what counts; '20222' is a typo, not 2022) in the date or year column, else the file's
    default year (title 'năm 2022' or --as-of). Words before the first digit ('ngày 3/10/2022') are not part of
    the date. utc: the date column is a UTC time (Kobo's _submission_time), dated by Vietnam's clock. Parameter
    $month_first: the file writes m/d/yyyy (etl/surveys/dates.py); its two leading numbers are swapped first."""
    parse = "parse_ts_utc" if utc else "parse_ts"
    date_text = f"CASE WHEN $month_first THEN {month_first_swapped_sql('_date_text')} ELSE _date_text END"
    return f"""
    SELECT *, year(_date) AS _date_year,
           coalesce(year(_date), _plain_year, _cell_year, $default_year) AS _year
    FROM (SELECT *, try_cast(regexp_extract(year, '(?:^|\\D)((?:19|20)\\d{{2}})(?:\\D|$)', 1) AS INT) AS _cell_year,
                 CAST({parse}({date_text}) AS DATE) AS _date,
                 coalesce(try_cast(regexp_extract(_date_text, '^((?:19|20)\\d{{2}})(\\.0+)?\\s*$', 1) AS INT),
                          CASE WHEN try_cast(regexp_extract(_date_text,
                                                            '^(\\d{{1,2}})\\s*[/.-]\\s*(?:19|20)\\d{{2}}\\s*$', 1)
                                             AS INT) BETWEEN 1 AND 12
                               THEN try_cast(regexp_extract(_date_text, '((?:19|20)\\d{{2}})\\s*$', 1) AS INT) END)
                   AS _plain_year
          FROM (SELECT *, regexp_replace(survey_date, '^[^0-9]+', '') AS _date_text FROM survey_mapped))"""


# Totals and signature lines under the questionnaires beyond the shared SKIP_BLANK_AND_TOTALS, told by their first
# text (etl/vocab/skip_markers.csv, shared with the dossier loader): a totals marker of two words or more may start
# the line ('Tỷ lệ hài lòng (%)', 'Số phiếu hài lòng (mức 4-5)'), a signature marker too ('NGƯỜI LẬP BIỂU'). A line
# with a questionnaire code is never one of them — unless the signature title sits in the code column itself and
# the line names no unit ('Người lập biểu' under «Mã phiếu», 'TRƯỞNG PHÒNG' under an answer: not a questionnaire),
# or answers nothing ('Người nhập phiếu' under «Số phiếu», the typist's name under «Đơn vị»: probe 32).
_SURVEY_MARKERS = f"""WHEN response_id IS NULL AND {starts_with_marker_sql('totals', several_words=True)} THEN 'totals'
        WHEN (response_id IS NULL OR ((unit IS NULL OR _unit_unwritten) AND norm_key(response_id) = _first_key))
             AND {SIGNATURE_LINE}
             THEN 'footer'
        WHEN _answers = 0 AND norm_key(response_id) = _first_key
             AND {starts_with_marker_sql('signature', whole_words=True)}
             THEN 'footer'"""


def classify_sql(has_id_column: bool, submitted_date: bool = False) -> str:
    """Adds _skip (blank, totals, column numbers, footer and signature rows) and _verdict 'code|field|reason'.
    Below the first totals or signature line, a line without a questionnaire code is footer too (place and date,
    titles and names of signatories, wherever the vendor put them)."""
    reject_case = verdict_case(_reject_rules(has_id_column, submitted_date))
    return f"""
    WITH marked AS (
      SELECT *,
        CASE
          {SKIP_BLANK_AND_TOTALS}
          WHEN len(_numbers) >= 3 AND coalesce(_numbers = generate_series(_numbers[1], _numbers[1] + len(_numbers) - 1),
                                               false) THEN 'column_numbers'
          -- Qualtrics' third header line, «ImportId» and the question id under each column: part of the header
          WHEN starts_with(_first_key, 'importid ') THEN 'column_numbers'
          {_SURVEY_MARKERS}
        END AS _line
      FROM survey_dated)
    SELECT *,
      CASE
        WHEN _line IS NOT NULL THEN _line
        -- (or a code without a digit: the signatories' names under their titles, «Lê Thị Mai» in the code column;
        -- probe 42: kept as questionnaires, the names stored as codes and answers)
        WHEN (response_id IS NULL OR NOT regexp_matches(response_id, '\\d'))
             AND _row > (SELECT min(_row) FROM marked WHERE _line IN ('totals', 'footer'))
             THEN 'footer'
        WHEN unit IS NULL AND (_answers = 0 OR (response_id IS NULL AND _nonempty <= 2)) THEN 'footer'
      END AS _skip,
      {reject_case} AS _verdict
    FROM marked"""


def multiple_choices_sql(match: SurveyMatch) -> str:
    """Rows where a single-choice question holds several answers in one cell, as a form tool's checkbox question
    writes them ('4, 5', 'Hài lòng; Rất hài lòng', or for the channel 'Trực tiếp tại Bộ phận Một cửa, Qua Cổng
    DVCQG'): the spec gives a criterion, an element's or the overall satisfaction one answer on the 1–5 scale,
    and a questionnaire one channel. Such a row is rejected with the cell named (its first such cell), never
    counted with one of its answers picked, nor kept with the cell read as an unknown answer. A cell counts as
    several answers when each part alone is one ('4,5' or 'Tốt, nhanh' stay one answer, judged as such); a channel
    cell when the whole is no channel word and a part is one ('Trực tuyến, toàn trình' is one channel; in
    'Trực tiếp tại Bộ phận Một cửa, Qua Cổng DVC' the first part alone is a channel). Parameter: $sheet."""
    columns = [(f"q{i}", i) for i, item in enumerate(match.items) if item.item_type != "expectation"]
    if "channel" in match.columns:
        columns.append(("channel", len(match.items)))
    if not columns:
        return "SELECT CAST(NULL AS BIGINT) AS _row, CAST(NULL AS VARCHAR) AS _verdict WHERE false"
    names = ", ".join(c for c, _ in columns)
    order = " ".join(f"WHEN '{c}' THEN {n}" for c, n in columns)
    msg = ("cột «' || header || '» ghi nhiều lựa chọn («' || value || '») cho một câu hỏi chỉ chọn một; phiếu không "
           "được tính — hãy để lại một lựa chọn (hoặc để trống) rồi nạp lại.")
    return f"""
    WITH cells AS (
        SELECT _row, col, value FROM (SELECT _row, {names} FROM survey_classified
                                      WHERE _skip IS NULL AND _verdict IS NULL)
        UNPIVOT (value FOR col IN ({names}))
        WHERE regexp_matches(value, ';|,\\s')),
    parts AS (SELECT _row, col, value, trim(unnest(string_split_regex(value, '\\s*;\\s*|,\\s+'))) AS part FROM cells),
    channels AS (SELECT DISTINCT word FROM vocab_values WHERE field = 'channel'),
    judged AS (
        SELECT p._row, p.col, p.value, count(*) AS n,
               count(*) FILTER (WHERE CASE WHEN p.col = 'channel' THEN v.word IS NOT NULL
                                           ELSE regexp_full_match(p.part, '[1-5]([.,]0+)?') OR w.word IS NOT NULL
                                      END) AS n_known
        FROM parts p
        LEFT JOIN channels v ON p.col = 'channel' AND v.word = norm_key(p.part)
        LEFT JOIN (SELECT DISTINCT word FROM survey_words WHERE scale = 'rating' AND value IS NOT NULL) w
               ON p.col <> 'channel' AND w.word = norm_key(p.part)
        WHERE p.part <> '' GROUP BY ALL)
    SELECT DISTINCT ON (_row) _row, 'multiple_choices|' || CASE WHEN col = 'channel' THEN 'channel' ELSE '' END
           || '|' || {where_sql(msg)} AS _verdict
    FROM (SELECT j.*, coalesce(i.header, 'Hình thức') AS header FROM judged j
          LEFT JOIN survey_items i ON i.item_col = j.col)
    WHERE n >= 2 AND CASE WHEN col = 'channel' THEN n_known >= 1 AND norm_key(value) NOT IN (SELECT word FROM channels)
                          ELSE n_known = n END
    ORDER BY _row, CASE col {order} END"""


def duplicates_sql(per_unit: bool = False) -> str:
    """Later rows repeating a questionnaire code of the same file and survey year: the first is kept. per_unit: the
    file's questionnaires are keyed by unit as well (no --source: each unit's are a source of their own, responses_sql), so
    a sheet whose numbering restarts at 1 for every unit repeats no code."""
    # the unit as matched, not as typed: «P. Võ Thị Sáu - Q.3» and «Phường Võ Thị Sáu» are one unit (probe 46: a
    # questionnaire typed twice, the unit spelt two ways, was counted twice)
    # and by survey year: a file of two years' surveys numbering each year from 1 repeats no questionnaire (probe 56:
    # the whole 2023 survey was rejected as copies of 2022's); responses.py gives the later year's codes their year
    by = f"response_id, {unit_key_sql('unit')}, _year" if per_unit else "response_id, _year"
    return _where_dup(f"""
        SELECT _row, first_row, response_id FROM (
            SELECT _row, response_id, row_number() OVER (PARTITION BY {by} ORDER BY _row) AS n,
                   min(_row) OVER (PARTITION BY {by}) AS first_row
            FROM survey_classified WHERE _skip IS NULL AND _verdict IS NULL AND response_id IS NOT NULL)
        WHERE n > 1""")


def _where_dup(inner: str) -> str:
    msg = "mã phiếu «' || response_id || '» trùng với dòng ' || first_row || ' trong cùng tệp (giữ phiếu dòng đó)."
    return f"SELECT _row, 'duplicate_in_file|response_id|' || {where_sql(msg)} AS _verdict FROM ({inner})"


def responses_sql(has_id_column: bool) -> str:
    """Typed questionnaires of the kept rows. Parameters: $source, $per_unit, $sheet, $import_id, $asked. A file
    without a questionnaire-code column gets codes from its sheet and row ('dong-12'), so a re-import finds them
    again. Without --source a questionnaire's source is the file's name and its unit ('phieu.csv · Quận 3'):
    numbers restart at 1 in every unit's file, so two units sending 'phieu.csv' never overwrite each other."""
    response_id = "response_id" if has_id_column else \
        "CASE WHEN $sheet IS NULL THEN 'dong-' || _row ELSE $sheet || '-dong-' || _row END"
    return f"""
    SELECT CASE WHEN $per_unit THEN $source || ' · ' || k.unit ELSE $source END AS source,
           {response_id} AS response_id, k.unit AS unit_text,
           unit_code_of(k.unit) AS unit_code,
           k._date AS survey_date, k._year AS survey_year, k.field_name,
           coalesce((SELECT min(canonical) FROM vocab_values v WHERE v.field = 'channel'
                     AND v.word = norm_key(k.channel)), k.channel) AS channel,
           k.respondent_type, k.gender, k.age_group, CAST($asked AS INTEGER[]) AS satisfaction_asked,
           $import_id AS import_id, k._row AS row_number
    FROM survey_kept k"""


def choices_column(match: SurveyMatch) -> str | None:
    """The column (q…) of the expectation question written as one cell of choices, or None."""
    return next((f"q{i}" for i, item in enumerate(match.items) if item.item_code == CHOICES_CODE), None)


def choices_header(match: SurveyMatch) -> str:
    """The header, as written, of the expectation question written as one cell of choices (choices_column)."""
    return next(i.header for i in match.items if i.item_code == CHOICES_CODE)


# The write-in of the expectation question's «Khác» option («Khác: giải quyết nhanh hơn», «Ý kiến khác: …»): no
# option of the catalogue, and the respondent's own words. From the «Khác» to the end of the cell, as forms put the
# other option last and its text may hold commas. Before, the whole questionnaire was rejected for it, its
# satisfaction answers lost with it.
OTHER_WRITE_IN = "(?is)(^|[,;\\n])\\s*(?:[ýy]\\s*ki[ếe]n\\s+)?kh[áa]c(?:[\\s:(.–-]|$).*$"


# A cell of option codes parted by spaces, as KoBoToolbox writes a multiple choice («md1 md6»).
_SPACED_CODES = "(?i)\\s*[a-z]{1,4}\\d{1,2}(\\s+[a-z]{1,4}\\d{1,2})+\\s*"


def choices_read_sql(text_sql: str) -> str:
    """A cell of choices without its «Khác» write-in; codes parted by spaces («md1 md6») parted by commas."""
    listed = (f"CASE WHEN regexp_full_match({text_sql}, '{_SPACED_CODES}') "
              f"THEN regexp_replace(trim({text_sql}), '\\s+', ', ', 'g') ELSE {text_sql} END")
    return f"regexp_replace({listed}, '{OTHER_WRITE_IN}', '')"


def _choices_text(text_sql: str) -> str:
    """A cell of choices or an option's name as compared: lower case, every ',' ';' or line break as ', ', framed
    by ', ' — so an option is found whole ('…, Tiếp tục đơn giản hóa thủ tục hành chính, …'), also one whose name
    holds a comma."""
    return f"(', ' || lower(regexp_replace(trim({text_sql}), '\\s*[,;\\n]\\s*', ', ', 'g')) || ', ')"


def unknown_choices_sql(column: str) -> str:
    """What is left of a cell of choices once every expectation option of the catalogue is taken out (longest name
    first, so a name inside another is not taken from it): NULL when every choice is an option."""
    names = sorted({r[5] for r in catalogue_rows() if r[2] == "expectation"}, key=len, reverse=True)
    codes = sorted({r[4] for r in catalogue_rows() if r[2] == "expectation"}, key=len, reverse=True)
    text = _choices_text(choices_read_sql(column))
    for name in names + codes:   # the catalogue's (a vocabulary file), quoted as SQL text; codes («MD1») too
        framed = (", " + " ".join(name.lower().replace(";", ",").split()).replace(" ,", ",") + ", ").replace("'", "''")
        text = f"replace({text}, '{framed}', ', ')"
    return f"nullif(trim({text}, ', '), '')"


def method_in_force_sql(year_sql: str) -> str:
    """The catalogue method a questionnaire of that year is read by: the latest one in force by then, else the
    earliest (a year before every method)."""
    return f"""coalesce((SELECT arg_max(method, from_year) FROM sipas_catalogue WHERE from_year <= {year_sql}),
                         (SELECT arg_min(method, from_year) FROM sipas_catalogue))"""


def long_answers_sql(match: SurveyMatch) -> str:
    """Every answer cell as one row (_row, item, answer), unpivoted in SQL; empty cells included so an
    expectation option left blank counts as not chosen. A cell of choices gives one row per expectation option of
    the catalogue method in force in the questionnaire's year: 'x' when the cell names it, else empty (not chosen),
    as the spec's MD1…MDn columns would have been written."""
    choices = choices_column(match)
    cols = ", ".join(f"q{i}" for i in range(len(match.items)) if f"q{i}" != choices)
    one_per_cell = f"""
    SELECT l._row, i.item_type, i.item_code, i.element_no, i.header, l.answer,
           CASE WHEN i.item_type = 'expectation' THEN 'choice' ELSE 'rating' END AS scale
    FROM (SELECT _row, {cols} FROM survey_kept) UNPIVOT INCLUDE NULLS (answer FOR item_col IN ({cols})) l
    JOIN survey_items i ON i.item_col = l.item_col""" if cols else ""
    if choices is None:
        return one_per_cell
    options = f"""
    SELECT k._row, 'expectation' AS item_type, c.item_code, CAST(NULL AS INTEGER) AS element_no,
           i.header || ' / ' || c.item_name AS header,
           CASE WHEN contains({_choices_text(choices_read_sql(f'k.{choices}'))}, {_choices_text('c.item_name')})
                     OR contains({_choices_text(choices_read_sql(f'k.{choices}'))}, {_choices_text('c.item_code')})
                THEN 'x' END AS answer,
           'choice' AS scale
    FROM survey_kept k JOIN survey_items i ON i.item_col = '{choices}'
    JOIN sipas_catalogue c ON c.item_type = 'expectation' AND c.method = {method_in_force_sql('k._year')}"""
    return one_per_cell + ("\n    UNION ALL" if one_per_cell else "") + options


# Distinct answer texts judged once. Rating: a number 1–5 ('4', '4.0', '4,0'), an answer word, or both ('4 - Hài
# lòng', '5. Rất hài lòng': the number counts, and must be the word's); a no-answer word or mark ('Không trả lời',
# '-') is no answer; anything else is invalid with a reason. Expectation: a chosen mark (x, 1, ✓, Có) or a
# not-chosen one (-, 0, Không); any other text is invalid, never counted as chosen. Words: etl/vocab/survey_answers.csv.
ANSWER_MAP_SQL = """
    WITH d AS (
        SELECT scale, answer, try_cast(regexp_extract(t, '^(\\d+)(?:[.,]0+)?$', 1) AS INT) AS plain,
               regexp_extract(t, '^(\\d+)(?:[.,]0+)?\\s*[-–—.:)]?\\s*(\\p{L}.*)$', ['n', 'words']) AS numbered,
               -- the words first: 'Hài lòng (4)', 'Hài lòng - 4'
               regexp_extract(trim(answer), '^(\\p{L}.*?)\\s*(?:[-–—:]\\s*|\\(\\s*)(\\d+)\\s*\\)?$',
                              ['words', 'n']) AS worded
        -- t: the number in brackets taken out of them, «(5) Rất hài lòng», «5 (Rất hài lòng)» as «5 Rất hài lòng»
        -- (probe 42: both invalid, 13 answers of one file)
        FROM (SELECT scale, answer, trim(regexp_replace(regexp_replace(trim(answer), '^\\(\\s*(\\d+)\\s*\\)\\s*', '\\1 '),
                                                   '^(\\d+)\\s*\\(\\s*(\\p{L}[^()]*?)\\s*\\)$', '\\1 \\2')) AS t
              FROM (SELECT DISTINCT scale, answer FROM survey_long WHERE answer IS NOT NULL))),
    k0 AS (
        SELECT scale, answer, coalesce(plain, try_cast(nullif(numbered.n, '') AS INT),
                                       try_cast(nullif(worded.n, '') AS INT)) AS raw_num,
               coalesce(nullif(norm_key(numbered.words), ''), nullif(numbered.words, ''),
                        nullif(norm_key(worded.words), '')) AS number_word,
               CASE WHEN scale = 'choice' AND plain IS NOT NULL THEN CAST(plain AS VARCHAR)
                    ELSE coalesce(nullif(norm_key(answer), ''), trim(answer)) END AS key
        FROM d),
    -- a number means what the file's legend says it means (etl/surveys/legend.py; by default the Ministry's scale)
    k AS (SELECT k0.* EXCLUDE (raw_num), CASE WHEN k0.scale = 'rating' THEN coalesce(m.score, k0.raw_num)
                                              ELSE k0.raw_num END AS num
          FROM k0 LEFT JOIN survey_number_meaning m ON m.number = k0.raw_num),
    judged AS (
        SELECT k.scale, k.answer, k.num,
          CASE WHEN k.scale = 'choice' THEN (CASE w.value WHEN 1 THEN 'chosen' WHEN 0 THEN 'not_chosen' END)
               WHEN k.num IS NOT NULL THEN (CASE WHEN k.num BETWEEN 1 AND 5
                                                      AND (k.number_word IS NULL OR nw.value = k.num) THEN 'valid' END)
               WHEN w.word IS NOT NULL THEN (CASE WHEN w.value IS NULL THEN 'none' ELSE 'valid' END) END AS verdict,
          CASE WHEN k.scale = 'choice' THEN 'not_a_mark'
               WHEN k.num NOT BETWEEN 1 AND 5 THEN 'out_of_scale'
               WHEN k.num IS NOT NULL AND nw.word IS NOT NULL THEN 'number_word_mismatch'
               ELSE 'unknown' END AS reason,
          CASE WHEN k.num IS NOT NULL THEN k.num ELSE w.value END AS value
        FROM k LEFT JOIN survey_words w ON w.scale = k.scale AND w.word = k.key
        LEFT JOIN survey_words nw ON nw.scale = 'rating' AND nw.word = k.number_word)
    SELECT scale, answer, coalesce(verdict, 'invalid') AS verdict, CASE WHEN verdict IS NULL THEN reason END AS reason,
           CASE WHEN scale = 'rating' AND verdict = 'valid' THEN value END AS score
    FROM judged"""


ANSWERS_SQL = """
    SELECT r.source, r.response_id, l.item_type, l.item_code, l.element_no,
           -- an answer no word reads may be a sentence with a phone number in it: kept without the number
           CASE WHEN m.verdict = 'invalid' THEN personal_masked(l.answer) ELSE l.answer END AS answer_text,
           m.score,
           -- an expectation option's respondent counts whatever the mark: left blank or a mark no word reads is
           -- not chosen (said), so every option of the question shares one denominator
           l.item_type = 'expectation' OR coalesce(m.verdict, 'not_chosen') <> 'invalid' AS is_valid,
           CASE WHEN l.item_type = 'expectation' THEN coalesce(m.verdict = 'chosen', false)
                WHEN m.verdict = 'valid' THEN m.score >= 4 END AS is_favourable,
           l._row, l.header, m.reason
    FROM survey_long l
    JOIN survey_incoming r ON r.row_number = l._row
    LEFT JOIN survey_answer_map m ON m.answer = l.answer AND m.scale = l.scale
    WHERE l.item_type = 'expectation' OR (l.answer IS NOT NULL AND m.verdict <> 'none')"""
