"""SQL that turns the mapped text cells of a dossier export into typed rows, skipped rows and rejects."""
from common.text import procedure_key_sql
from etl.core.rows import SIGNATURE_LINE, TOTALS_LINE, balanced_sql, cell_sql, code_like_sql, first_cell_sql, \
    nonempty_sql, verdict_case
from etl.core.date_checks import impossible_day_sql, impossible_time_sql
from etl.core.vocab import phrase_text_sql
from etl.dossiers.fields import FIELD_LABELS

DATE_FIELDS = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")
# A date's time of day in a column of its own («Ngày tiếp nhận | Giờ tiếp nhận»): joined to the date it follows.
TIME_FIELDS = {f"{f}_time": f for f in DATE_FIELDS}
NUMBER_FIELDS = ("supplement_count", "fee_amount")
FLAG_FIELDS = {"paid_online": "is_paid_online", "digitized": "is_digitized", "e_result": "has_e_result",
               "data_reused": "is_data_reused", "synced_national": "is_synced_national",
               "apology_issued": "is_apology_issued"}
# The fields a file may have no column for at all, whose absence is "not reported" (NULL), while an empty cell of a
# column the file has says no (false) or no fee (0): model/measures.py leaves not reported dossiers out of the rates
# over them. Field → dossiers column.
ABSENT_IS_UNKNOWN = {**FLAG_FIELDS, "fee_amount": "fee_amount"}
# The fields that describe a dossier rather than its progress, and those above: a newer export without the column
# leaves them as an earlier export of the dossier said (etl/dossiers/load.py), whatever the order of the loads — a
# daily export without «Hình thức nộp» does not turn online dossiers into direct ones, nor one without «Mã TTHC» take
# their procedure away. Not the dates and the status: they are the progress a newer snapshot is loaded for.
KEPT_WHEN_ABSENT = {f: f for f in ("channel", "online_level", "procedure_code", "procedure_name", "field_name",
                                   "submitted_at", "supplement_count", "rating", "applicant_type")} | ABSENT_IS_UNKNOWN
ALL_FIELDS = ("dossier_code", "unit", "procedure_code", "procedure_name", "field_name", "channel", "online_level",
              *DATE_FIELDS, "status", "result_type", *NUMBER_FIELDS, *FLAG_FIELDS, "rating", "applicant_type")

_EARLIEST_YEAR = 1990   # the one-stop mechanism began in 2003; records kept from the 1990s still load
# Fields an Excel error value is looked for in (etl/dossiers/load.py finds first whether any of them starts with '#').
ERROR_FIELDS = ("dossier_code", "unit", *DATE_FIELDS, *NUMBER_FIELDS)
_EXCEL_ERRORS = "('#N/A', '#REF!', '#VALUE!', '#DIV/0!', '#NAME?', '#NUM!', '#NULL!', '#SPILL!', '#CALC!', '#FIELD!')"


# Reject rules, in the order a row is judged; the first that holds is the reason given. The last element names what a
# file must hold for the rule to be tried at all (None: always; classify_sql's needs).
REJECT_RULES = (
    # an Excel error value (#N/A, #REF!: a formula that could not compute) where a code, a unit, a date or a number
    # belongs: the cell is what is wrong, whatever else the line lacks (etl/core/xlsx_parts.py reads them as shown)
    *[("excel_error", f, f"starts_with({f}, '#') AND {f} IN {_EXCEL_ERRORS}",
       f"Ô lỗi của Excel ở cột «{FIELD_LABELS[f]}»: «{{cell}}» (công thức trong tệp không tính được); hãy sửa công "
       "thức hoặc dán giá trị vào ô này rồi nạp lại.", "excel") for f in ERROR_FIELDS],
    # a formula typed or pasted as text where the code belongs («=1+1», «=A2&B2»): no dossier's code (probe 25: it
    # was loaded as the dossier «=1+1»)
    ("formula_code", "dossier_code", "starts_with(dossier_code, '=')",
     "Mã hồ sơ «{cell}» bắt đầu bằng dấu «=»: đây là công thức Excel được lưu thành chữ, không phải mã hồ sơ; hãy thay "
     "bằng mã hồ sơ (dán giá trị) rồi nạp lại.", "formula"),
    # a processing log lists each dossier's steps on the lines under it, the code, unit and dates on the first line
    # only (probe 20: seven «Thiếu mã hồ sơ.» without a word of why)
    ("missing_dossier_code", None, "dossier_code IS NULL AND unit IS NULL AND received_at IS NULL",
     "Thiếu mã hồ sơ, đơn vị và ngày tiếp nhận: dòng này có vẻ là một bước xử lý của hồ sơ ở dòng trên (tệp quá "
     "trình xử lý), không phải một hồ sơ; hồ sơ ở dòng trên vẫn được nạp. Nếu muốn hết dòng bị loại, hãy xuất danh "
     "sách hồ sơ mỗi hồ sơ một dòng.", None),
    ("missing_dossier_code", None, "dossier_code IS NULL", "Thiếu mã hồ sơ.", None),
    ("missing_unit", None, "unit IS NULL", "Thiếu đơn vị tiếp nhận.", None),
    # submitted on the portal and not yet received (status «Mới đăng ký»: portal exports hold many): the same reject,
    # told as the normal state it is (probe 16), not as a mistake to mend
    ("missing_received_date", None, "received_at IS NULL AND submitted_at IS NOT NULL",
     "Thiếu ngày tiếp nhận: hồ sơ đã nộp nhưng chưa được tiếp nhận, chưa tính vào số liệu nào (được nạp khi một tệp xuất "
     "sau ghi ngày tiếp nhận).", None),
    ("missing_received_date", None, "received_at IS NULL", "Thiếu ngày tiếp nhận.", None),
    # a date written right that does not exist: the day and month to check, not the format (probe 28)
    *[("bad_date", f, f"{f} IS NOT NULL AND _ts_{f} IS NULL AND {impossible_day_sql(f)}",
       f"Ngày không có thật ở cột «{FIELD_LABELS[f]}»: «{{cell}}» (hãy kiểm tra ngày và tháng: tháng có ít ngày hơn, "
       "hoặc tháng quá 12).", "unread_date") for f in DATE_FIELDS],
    *[("bad_date", f, f"{f} IS NOT NULL AND _ts_{f} IS NULL AND {impossible_time_sql(f)}",
       f"Giờ không có thật ở cột «{FIELD_LABELS[f]}»: «{{cell}}» (giờ từ 0 đến 23, phút từ 0 đến 59); hãy sửa giờ "
       "trong ô này rồi nạp lại.", "unread_date") for f in DATE_FIELDS],
    *[("bad_date", f, f"{f} IS NOT NULL AND _ts_{f} IS NULL",
       f"Ngày không đọc được ở cột «{FIELD_LABELS[f]}»: «{{cell}}» (cần dạng ngày/tháng/năm, năm đủ 4 chữ số, "
       "ví dụ 03/10/2022).", "unread_date") for f in DATE_FIELDS],
    # An Excel date cell holding 0 (a formula over an empty cell) shows 00/01/1900 and reads as 31/12/1899; 60 as
    # 29/02/1900; a year typed 1922 for 2022: such a date was loaded and counted as carried over into every period
    # (probe 28).
    *[("bad_date", f, f"_ts_{f} < TIMESTAMP '{_EARLIEST_YEAR}-01-01'",
       f"Ngày ở cột «{FIELD_LABELS[f]}» là «{{cell}}», trước năm {_EARLIEST_YEAR}: có thể là ô ngày để trống trong "
       "Excel (số 0, hiện thành 00/01/1900) hoặc năm gõ nhầm; hãy sửa ô này trong tệp.", "early_date")
      for f in DATE_FIELDS],
    ("finished_before_received", "finished_at",
     "CAST(_ts_finished_at AS DATE) < CAST(_ts_received_at AS DATE)",
     "Ngày có kết quả trước ngày tiếp nhận.", None),
    # without a result date the hand-over date is the finish (indicators.md §1): before the receipt, as bad a row
    ("finished_before_received", "returned_at",
     "_ts_finished_at IS NULL AND CAST(_ts_returned_at AS DATE) < CAST(_ts_received_at AS DATE)",
     "Ngày trả kết quả trước ngày tiếp nhận (không có ngày có kết quả).", None),
    *[("bad_number", f, f"{f} IS NOT NULL AND _unstated_{f} IS NOT TRUE AND (_num_{f} IS NULL OR _num_{f} < 0)",
       f"Số không hợp lệ ở cột «{FIELD_LABELS[f]}»: «{{cell}}».", None) for f in NUMBER_FIELDS],
)
REJECT_NEEDS = frozenset(rule[4] for rule in REJECT_RULES) - {None}


def date_needs_sql() -> str:
    """SELECT over the staged lines (mapped) of what the date rules need, by aggregates only: the earliest of each
    date column, and how many cells of each it left unread. Read before classify_sql, so that a file with neither
    (nearly every export) is not judged by those rules line by line (+0,35 s per million lines)."""
    parts = [f"min(_ts_{f}) < TIMESTAMP '{_EARLIEST_YEAR}-01-01'" for f in DATE_FIELDS]
    unread = [f"count({f}) > count(_ts_{f})" for f in DATE_FIELDS]
    return (f"SELECT coalesce({' OR '.join(parts)}, false) AS early_date, "
            f"coalesce({' OR '.join(unread)}, false) AS unread_date FROM mapped")


def worded_dates_sql() -> str:
    """UPDATE of the staged lines (mapped) whose date cells parse_ts left unread but that have a dossier code and
    a date in words after 'Ngày': 'ngày 05 tháng 3 năm 2022' alone is the date line over a signature, which parse_ts
    leaves unread so that the line is skipped as a footer; on a line with a dossier code it is that dossier's date,
    as a hand-typed logbook (Mẫu 06) writes it (loader probe 7 saw such lines rejected). A statement of its own:
    in the staging SELECT the text check ran on every cell of a million lines (+0,5 s); here the filter leaves the
    few lines concerned."""
    def worded(f: str) -> str:
        return (f"CASE WHEN _ts_{f} IS NULL AND {f} IS NOT NULL AND starts_with(norm_key({f}), 'ngay ') "
                f"THEN parse_ts(regexp_replace({f}, '^\\s*\\S+\\s+', '')) "
                f"WHEN _ts_{f} IS NULL AND {f} IS NOT NULL THEN parse_ts({_WEEKDAY_AND_TIME.format(cell=f)}) "
                f"ELSE _ts_{f} END")
    sets = ", ".join(f"_ts_{f} = {worded(f)}" for f in DATE_FIELDS)
    return f"UPDATE mapped SET {sets} WHERE {UNREAD_DATE_LINES}"


# A date cell read again once without the weekday («Thứ Hai, 06/03/2023 08:15:00 SA», «T2 06/03/2023»), with a time
# written first moved after the date («08:15 - Thứ Hai, 06/03/2023») and a time's dot made a colon («06/03/2023
# 08.15»): each part reads alone, together they were rejected (probe 49). Only for the cells parse_ts left unread.
_WEEKDAY_AND_TIME = r"""regexp_replace(regexp_replace(trim(regexp_replace({cell},
    '(?i)(thứ\s+(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|\bt[2-7]\b)\s*[,.:]?\s*', ' ', 'g')),
    '^(\d{{1,2}}[:hg]\d{{2}}(?::\d{{2}})?)\s*[-–,]?\s+(\S.*)$', '\2 \1'),
    '^(\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}})\s+(\d{{1,2}})\.(\d{{2}})$', '\1 \2:\3')"""


def due_words_sql() -> list[str]:
    """Statements over the staged lines (mapped) for a due date written as a word (etl/vocab/values.csv, field
    due_word): «Trong ngày» (a same-day procedure, the certificate handed over at the desk) is the day of receipt;
    «Không xác định», «Không quy định» say the export has no due date, so the cell is emptied and the dossier is
    as one from an export without the column: due by the catalogue's statutory time when it has one, else on time
    (dossiers.md, indicators.md §1). Both were rejected as unreadable dates (probe 43). _due_words keeps the lines
    and cells read so, for the load's note."""
    return [
        """CREATE OR REPLACE TEMP TABLE _due_words AS
            SELECT m._row, m.due_at AS cell, v.canonical AS kind FROM mapped m
            JOIN vocab_values v ON v.field = 'due_word' AND v.word = norm_key(m.due_at)
            WHERE m.due_at IS NOT NULL AND m._ts_due_at IS NULL""",
        """UPDATE mapped SET
               _ts_due_at = CASE WHEN w.kind = 'same_day' THEN CAST(CAST(mapped._ts_received_at AS DATE) AS TIMESTAMP) END,
               due_at = CASE WHEN w.kind = 'same_day' THEN mapped.due_at END
           FROM _due_words w WHERE w._row = mapped._row""",
    ]


# Lines with a dossier code and a date cell parse_ts left unread (the few worded_dates_sql looks at again). A code
# as codes are written (a digit, no space: 'D1', 'H29.22-220110-0001'), not a signature's 'Người lập' in that column.
UNREAD_DATE_LINES = "(" + " OR ".join(f"({f} IS NOT NULL AND _ts_{f} IS NULL)" for f in DATE_FIELDS) + \
    f") AND {code_like_sql('dossier_code')}"


def cell_lookups_sql(columns: dict[str, str]) -> dict[str, str]:
    """For each number field the file has: the temp table mapped_view_sql joins (_n_<field>: each distinct cell
    of the column and the number it reads as) and the SELECT that fills it from the registered grid. A table, not a
    subquery of the staging SELECT: DuckDB cannot estimate the subquery's size, built its join's hash table on the
    million grid rows instead of the few distinct values and ran the whole staging on one core (1,8 → 0,9 s
    per million rows). The same for each time column joined to its date (_t_<field>: each distinct cell and its
    clock_sql), so the words and fractions are read once per distinct time, not three times per row (review)."""
    times = {f"_t_{f}": f"SELECT raw, {clock_sql('raw')} AS clock FROM (SELECT DISTINCT {cell_sql(columns[t])} AS raw FROM grid)"
             for t, f in TIME_FIELDS.items() if t in columns and f in columns}
    # A word for "none" with its note in brackets, «Miễn phí (người có công)», is that word (probe 16: the dossier was
    # rejected); the note alone decides nothing.
    return {f"_n_{f}": f"""SELECT raw, coalesce(
                           (SELECT try_cast(canonical AS DOUBLE) FROM vocab_values v
                            WHERE v.field = 'number' AND v.word = norm_key(raw)), parse_num(raw),
                           (SELECT try_cast(canonical AS DOUBLE) FROM vocab_values v
                            WHERE v.field = 'number' AND v.word = norm_key(regexp_replace(raw, '\\([^)]*\\)', ' ', 'g'))),
                           -- the one number among words: «Thu 50.000đ», «Bổ sung 2 lần», «2 (hai)» (probe 49: rejected)
                           CASE WHEN regexp_full_match(raw, '[^\\d]*\\d[\\d.,]*[^\\d]*')
                                THEN parse_num(regexp_extract(raw, '\\d[\\d.,]*\\d|\\d')) END)
                             AS num,
                           EXISTS (SELECT 1 FROM vocab_values v WHERE v.field = 'number' AND v.canonical = 'unknown'
                                     AND v.word = norm_key(raw)) AS unstated
                       FROM (SELECT DISTINCT {cell_sql(columns[f])} AS raw FROM grid)"""
            for f in NUMBER_FIELDS if f in columns} | times


def clock_sql(time: str) -> str:
    """The time a time cell holds, as 'HH:MM[:SS][ CH]' (empty when none): '08:30', an Excel time read as
    '1899-12-31 08:30:00', '2:15 CH', and as offices type it: '14h35', '16g05', '14 giờ 35 phút', '14h' — or an Excel
    time saved in a CSV as its fraction of a day, '0.6076' (14:35). Only '08:30' and '2:15 CH' were read (probe 35:
    the others joined as midnight, without a word). An hour past 23 or minutes past 59 ('25h', '14h75') is no time:
    joined, the date would not read and the dossier be rejected. Run once per distinct cell (cell_lookups_sql)."""
    words = f"regexp_extract(lower(nfc_normalize({time})), '^(\\d{{1,2}})\\s*(?:h|g|giờ)\\s*(\\d{{1,2}})?\\s*(?:phút|p|\\x27)?$', ['h', 'm'])"
    clock = f"regexp_extract({time}, '(\\d{{1,2}}):(\\d{{2}})(:\\d{{2}})?(\\s*(SA|CH|AM|PM))?\\s*$', ['h', 'm'], 'i')"
    return f"""CASE WHEN regexp_full_match({time}, '0?[.,]\\d+')
             AND TRY_CAST(replace({time}, ',', '.') AS DOUBLE) * 1440 < 1439.5
        THEN strftime(TIMESTAMP '2000-01-01' + to_minutes(round(TRY_CAST(replace({time}, ',', '.') AS DOUBLE) * 1440)::BIGINT),
                      '%H:%M')
        WHEN {words}.h <> '' AND TRY_CAST({words}.h AS INT) < 24 AND coalesce(TRY_CAST(nullif({words}.m, '') AS INT), 0) < 60
        THEN {words}.h || ':' || lpad(coalesce(nullif({words}.m, ''), '0'), 2, '0')
        WHEN {clock}.h <> '' AND TRY_CAST({clock}.h AS INT) < 24 AND TRY_CAST({clock}.m AS INT) < 60
        THEN regexp_extract({time}, '(\\d{{1,2}}:\\d{{2}}(:\\d{{2}})?(\\s*(SA|CH|AM|PM))?)\\s*$', 1, 'i')
        ELSE '' END"""


def _with_time_sql(day: str, time: str, clock: str) -> str:
    """A date cell joined with the time of its own column: '01/03/2022' and '08:30' (clock: the time's clock_sql)
    give '01/03/2022 08:30'. A date that has its time already, or a time cell holding no time, leaves the date as
    written (the latter said, _untimed_<field>)."""
    midnight = "' 00:00(:00)?$'"
    return (f"CASE WHEN {time} IS NULL OR {day} IS NULL OR {clock} = '' OR (regexp_matches({day}, '\\d:\\d\\d') "
            f"AND NOT regexp_matches({day}, {midnight})) THEN {day} "
            f"ELSE regexp_replace({day}, {midnight}, '') || ' ' || {clock} END")


def mapped_view_sql(columns: dict[str, str], all_grid_columns: list[str], sheet_unit: bool = False) -> str:
    """SELECT of the data rows: canonical fields as trimmed text (blank → NULL) plus what row skipping needs.
    sheet_unit: the sheet has no unit column and every row takes the first parameter ($1) as its unit."""
    parts = ["_row"]
    for f in ALL_FIELDS:
        if f == "unit" and sheet_unit and f not in columns:
            parts.append("CAST(? AS VARCHAR) AS unit")
            continue
        if f == "unit" and "unit_alt" in columns:   # etl/core/header.py: the first that names a unit of the list
            first, other = cell_sql(columns["unit"]), cell_sql(columns["unit_alt"])
            parts.append(f"""coalesce(CASE WHEN unit_code_of({first}) IS NOT NULL THEN {first} END,
                                      CASE WHEN unit_code_of({other}) IS NOT NULL THEN {other} END,
                                      {first}, {other}) AS unit""")
            continue
        if f == "dossier_code" and f in columns:
            # a code wrapped onto two lines in its cell (Alt+Enter in Excel: «H29.01-⏎220310-0004») is one code: kept
            # with the break, the next export writing it on one line made a second dossier (probe 23)
            code = cell_sql(columns[f])
            parts.append(f"CASE WHEN contains({code}, chr(10)) OR contains({code}, chr(13)) "
                         f"THEN regexp_replace({code}, '\\s*[\\r\\n]+\\s*', '', 'g') ELSE {code} END AS {f}")
            continue
        if f in columns and f"{f}_time" in columns:
            day, time = cell_sql(columns[f]), cell_sql(columns[f + '_time'])
            parts.append(f"{_with_time_sql(day, time, f'_t_{f}.clock')} AS {f}")
            # a time cell read as no time beside a date without one: kept to be said (etl/dossiers/load_notes.py), the
            # date loads at midnight
            parts.append(f"""CASE WHEN {time} IS NOT NULL AND _t_{f}.clock = '' AND {day} IS NOT NULL
                                   AND NOT (regexp_matches({day}, '\\d:\\d\\d') AND NOT regexp_matches({day}, ' 00:00(:00)?$'))
                              THEN {time} END AS _untimed_{f}""")
            continue
        parts.append(f"{cell_sql(columns[f])} AS {f}" if f in columns else f"CAST(NULL AS VARCHAR) AS {f}")
    short_tokens = balanced_sql("AND", [
        f"({cell_sql(c)} IS NULL OR regexp_full_match({cell_sql(c)}, '\\(?[0-9A-Za-z]{{1,3}}\\)?'))" for c in all_grid_columns])
    # Every date and number is parsed once here; later steps read the parsed columns.
    # (a column the file lacks is NULL without parse_ts: each copy of the macro is planned, ~40 ms, whatever the size)
    parts += [f"parse_ts({f}) AS _ts_{f}" if f in columns else f"CAST(NULL AS TIMESTAMP) AS _ts_{f}"
              for f in DATE_FIELDS]
    # A number column holds a few distinct values (fees, counts): each is parsed once (cell_lookups_sql, a temp
    # table the caller fills first) and joined back. parse_num on every row made DuckDB copy the whole sheet for
    # its subquery (1,3 s of CPU per million rows); a column the file lacks is NULL, as parse_num(NULL) is.
    numbers = [f for f in NUMBER_FIELDS if f in columns]
    parts += [f"_n_{f}.num AS _num_{f}" if f in numbers else f"CAST(NULL AS DOUBLE) AS _num_{f}" for f in NUMBER_FIELDS]
    # a word that says a number without giving it («Theo quy định» as the fee, «x» as the supplements): loaded empty
    parts += [f"_n_{f}.unstated AS _unstated_{f}" if f in numbers else f"false AS _unstated_{f}" for f in NUMBER_FIELDS]
    joins = "".join(f"""
    LEFT JOIN _n_{f} ON _n_{f}.raw = {cell_sql(columns[f])}""" for f in numbers)
    joins += "".join(f"""
    LEFT JOIN _t_{f} ON _t_{f}.raw = {cell_sql(columns[t])}""" for t, f in TIME_FIELDS.items()
                     if t in columns and f in columns)
    parts.append(f"{nonempty_sql(all_grid_columns)} AS _nonempty")
    parts.append(f"{first_cell_sql(all_grid_columns)} AS _first")
    # Only rows without a code or a received date can be totals, footers or column-number rows: the costly
    # text checks run for those alone. In an outer SELECT over the parsed row (the grid's cells passed through): an
    # alias of the same SELECT is its expression written again, and the five checks had each copied the whole
    # parse_ts of the received date — a third of a second of planning per load, whatever the file's size.
    suspect = "(_ts_received_at IS NULL OR dossier_code IS NULL)"
    checks = [f"CASE WHEN {suspect} THEN norm_key(_first) END AS _first_key",
              f"CASE WHEN {suspect} THEN ({short_tokens}) END AS _all_short",
              f"CASE WHEN {suspect} THEN {code_like_sql('dossier_code')} END AS _code_like",
              f"CASE WHEN {suspect} THEN norm_key(dossier_code) END AS _code_key",
              f"CASE WHEN {suspect} THEN norm_key(received_at) END AS _received_key"]
    cells = ", ".join(f"grid.{c}" for c in all_grid_columns)
    return (f"SELECT * EXCLUDE ({', '.join(all_grid_columns)}),\n       " + ",\n       ".join(checks)
            + "\nFROM (SELECT " + ",\n       ".join(parts) + f", {cells} FROM grid {joins} WHERE _pos > ?)")


# The mark before a unit's name on a group line: «I.», «2)», «A.», a bare «II» (its own cell), or «Đơn vị:» (RE2 and
# Python's re read it alike; etl/dossiers/kind.py spots such lines with it before the load).
GROUP_MARK = r"(?i)^\s*(?:(?:[ivxl]+|\d{1,3}|[a-h])\s*[.):–-]\s*|[IVXL]+\s+|đơn vị\s*:\s*)"


# The count a group line may end with: «1. UBND PHƯỜNG VÕ THỊ SÁU (04 hồ sơ)», «Phường 9: 3 hồ sơ», «Quận 3 (12)».
GROUP_COUNT = r"(?i)\s*(?:\(\s*\d+\s*(?:hồ sơ|hs)?\s*\)|[:–-]\s*\d+\s*(?:hồ sơ|hs))\s*$"


def group_units_sql(all_grid_columns: list[str]) -> str:
    """The group lines of a report without a unit column: a line of one or two cells that, without its mark («I.»,
    «2)», «A.», «II |») or «Đơn vị:» and the count after it («(04 hồ sơ)»: probe 31), is the name of a unit of the
    list («I. Phường Bến Nghé»). (_row, name). Parameter: the header's position."""
    text = "concat_ws(' ', " + ", ".join(cell_sql(c) for c in all_grid_columns) + ")"
    return f"""SELECT _row, name FROM (
        SELECT _row, trim(regexp_replace(regexp_replace({text}, '{GROUP_MARK}', ''), '{GROUP_COUNT}', '')) AS name,
               {nonempty_sql(all_grid_columns)} AS _n
        FROM grid WHERE _pos > ?)
    WHERE _n BETWEEN 1 AND 2 AND name <> '' AND unit_code_of(name) IS NOT NULL"""


# The first totals or signature line that holds no dossier code: below it, a line without a received date is
# footer (classify_sql's parameter $footer_from); and the first line under the header ($first_row). Read before
# classify_sql and passed to it: as subqueries in its CASE they were worked out against every line.
FOOTER_FROM_SQL = (f"SELECT min(_row) FILTER (WHERE NOT _code_like AND ({TOTALS_LINE} OR {SIGNATURE_LINE})), min(_row)"
                   " FROM mapped")


# A unit's or a month's subtotal inside the table: 'Cộng UBND Phường 1', 'Cộng tháng 3: 25 hồ sơ' (the accented
# word: 'Công dân…' is not one). Skipped, but neither the start of the footer nor a count checked against the file.
SUBTOTAL_LINE = "(starts_with(_first_key, 'cong ') AND regexp_matches(lower(nfc_normalize(_first)), '^cộng[\\s:]'))"


# The first line under the header holding words and no digit, without a code (or with the header's, merged down):
# the lower row of a two-row header the header search did not join («Ngày | Giờ» under a merged «Ngày tiếp nhận»;
# probe 15) — no dossier, whose received date has digits. It was rejected as a dossier with an unreadable date.
SUB_HEADER_LINE = ("((dossier_code IS NULL OR list_contains($code_header, _code_key))"
                   " AND _row = $first_row AND _nonempty >= 2"
                   " AND NOT regexp_matches(concat_ws(' ', " + ", ".join(f for f in ALL_FIELDS if f != "dossier_code")
                   + "), '\\d'))")


# A group heading between blocks of dossiers, its mark and its name in one cell or two («I | Lĩnh vực Hộ tịch»,
# «III. LĨNH VỰC ĐẤT ĐAI»), or a sector named alone («Lĩnh vực Chứng thực»): no received date, no code, at most two
# cells. With its name under «Số biên nhận» it was rejected as a dossier and counted in the block's total (probe 20).
GROUP_HEADING_LINE = ("(_ts_received_at IS NULL AND _nonempty <= 2 AND NOT coalesce(_code_like, false)"
                      f" AND (regexp_matches(_first, '{GROUP_MARK}') OR regexp_full_match(_first, '\\s*[IVXL]+\\s*')"
                      " OR starts_with(_first_key, 'linh vuc ')))")


def classify_sql(needs: frozenset = REJECT_NEEDS) -> str:
    """UPDATE giving the mapped rows their _skip (blank / totals / column-number / footer rows) and their reject
    reason (_reject): columns the table has, NULL until then. needs: what the file holds of what some reject rules
    need (REJECT_RULES' last element); the rules needing something else are left out. Only the rows that get one are
    written — nearly none
    in an export; copying a million staged rows to add two mostly empty columns took seconds.

    A line with a dossier code (code_like_sql) is never skipped: wherever it stands, it is loaded or rejected with
    its reason. A line repeating the header's code and received-date cells is the header again ('header'), and so is
one with no code whose received-date cell repeats the header's (the lower row of a two-row header printed again
on every page). Below
    the first totals or signature line ($footer_from: FOOTER_FROM_SQL's answer), a line without
    a received date is footer: place and date, the signatories' titles and names, wherever the vendor put them
    (a register may have no totals line at all)."""
    skip = f"""CASE
        WHEN _nonempty = 0 THEN 'blank'
        WHEN _code_like THEN NULL
        WHEN {TOTALS_LINE} THEN 'totals'
        WHEN {SUBTOTAL_LINE} THEN 'subtotal'
        WHEN _all_short AND _nonempty >= 3 THEN 'column_numbers'
        WHEN (list_contains($code_header, _code_key)
              AND (received_at IS NULL OR list_contains($received_header, _received_key)))
             OR (dossier_code IS NULL AND list_contains($received_header, _received_key)) THEN 'header'
        WHEN {SUB_HEADER_LINE} THEN 'header'
        WHEN {GROUP_HEADING_LINE} THEN 'group'
        WHEN _ts_received_at IS NULL AND (_row > $footer_from OR {SIGNATURE_LINE}
                                          OR (dossier_code IS NULL AND _nonempty <= 2)) THEN 'footer'
      END"""
    # {cell} in a reason: the cell as written ('31/02/2022'), so the list says what was wrong, not only where
    reject = verdict_case((code, field, cond, f"'{msg}'".replace("{cell}", f"' || {field} || '"))
                          for code, field, cond, msg, need in REJECT_RULES if need is None or need in needs)
    return f"UPDATE mapped SET _skip = {skip}, _reject = {reject} WHERE ({skip}) IS NOT NULL OR ({reject}) IS NOT NULL"


VOCAB_FIELDS = ("channel", "online_level", "status", "result_type", "rating", *FLAG_FIELDS)
# Fields whose words vary most between systems ('Nộp trực tuyến mức độ 3/4', 'Văn bản từ chối'): a value no word
# reads is read by the phrases it holds. Statuses are not: dossiers.md wants an unknown status reported, not guessed.
PHRASE_FIELDS = ("channel", "result_type")


# A status as a word of the vocabulary, or as the national code with its name ("10 - Đã trả kết quả", "(4) Đang xử
# lý", "9. Đã xử lý xong"): the code counts unless its name says another status. A plain number is read in typed_sql.
_STATUS_MAP_SQL = """SELECT 'status' AS field, raw, coalesce(word, CASE WHEN n BETWEEN 1 AND 10
                            AND coalesce(named, 'infer') IN ('infer', n::VARCHAR) THEN n::VARCHAR END) AS canonical
    FROM (SELECT raw, (SELECT canonical FROM vocab_values v WHERE v.field = 'status' AND v.word = norm_key(raw)) AS word,
                 try_cast(nullif(regexp_extract(raw, '^\\(?(\\d{1,2})\\)?\\s*[-–.:)]?\\s*\\D', 1), '') AS INT) AS n,
                 (SELECT canonical FROM vocab_values v WHERE v.field = 'status' AND v.word =
                    norm_key(regexp_replace(raw, '^\\(?\\d{1,2}\\)?\\s*[-–.:)]?\\s*', ''))) AS named
          FROM (SELECT DISTINCT status AS raw FROM kept WHERE status IS NOT NULL))"""


_TICK_MARKS_SQL = ("CASE WHEN raw IN ('✓', '✔', '☑', '√', '✅') THEN 'true' "
                   "WHEN raw IN ('✗', '✘', '☐', '❌') THEN 'false' END")
# A yes/no cell no word of the vocabulary reads, in the words systems write it: «Đã đồng bộ», «Có kết quả điện tử»
# say yes, «Chưa số hóa», «Không tái sử dụng» no (a wording its own column's words read first, like «Đồng bộ thất
# bại», is in etl/vocab/values.csv). Not for the payment: «Đã nộp tiền mặt» is paid, not paid online.
_WORDED_FLAGS = tuple(f for f in FLAG_FIELDS if f != "paid_online")


def _yes_no_words_sql(field: str) -> str:
    """The first-word reading of a yes/no cell. A yes word followed by a word of failure («Đã đồng bộ thất bại», «Đã
    hủy đồng bộ», «Có lỗi») is no yes: left unread, so it counts as no and the summary names it («lỗi» not in the
    apology column, where «Đã xin lỗi» is a yes)."""
    failure = "that bai|huy|khong|chua|tu choi" + ("" if field == "apology_issued" else "|loi")
    return (f"CASE WHEN regexp_matches(norm_key(raw), '^(chua|khong) ') THEN 'false' "
            f"WHEN regexp_matches(norm_key(raw), '\\b({failure})\\b') THEN NULL "
            f"WHEN regexp_matches(norm_key(raw), '^(da|co) ') THEN 'true' END")


def value_map_sql(present: frozenset) -> str:
    """Distinct raw values of every vocabulary column with their canonical value: norm_key runs once per distinct
    value, not once per row. Flags share the 'flag' vocabulary. present: the fields of KEPT_WHEN_ABSENT the file has
    a column for; the others hold nothing to map and are left out (their subqueries were a tenth of a second of
    planning per load). The status and the result are always looked at: a sheet's name can give the status."""
    selects = []
    for f in VOCAB_FIELDS:
        if f in KEPT_WHEN_ABSENT and f not in present:
            continue
        if f == "status":
            selects.append(_STATUS_MAP_SQL)
            continue
        # A flag takes its own column's words first ('Tiền mặt' under «Hình thức thanh toán»), then the yes/no
        # words every flag shares, then a tick or a cross (no letters, so no key to look up).
        vocab = f"v.field IN ('{f}', 'flag') ORDER BY v.field = 'flag' LIMIT 1" if f in FLAG_FIELDS else f"v.field = '{f}'"
        marks = f"\n, {_TICK_MARKS_SQL}" if f in FLAG_FIELDS else ""
        marks += f", {_yes_no_words_sql(f)}" if f in _WORDED_FLAGS else ""
        if f in PHRASE_FIELDS:   # then the phrases it holds, when they agree (etl/vocab/value_phrases.csv); a
            # negated value ('Không trực tuyến') is not read by its phrases
            marks += f"""\n, (SELECT CASE WHEN count(DISTINCT p.canonical) = 1 THEN min(p.canonical) END
                              FROM vocab_phrases p, (SELECT {phrase_text_sql('raw')} AS text) v
                              WHERE p.field = '{f}' AND NOT contains(v.text, ' không ')
                                AND contains(v.text, ' ' || p.phrase || ' '))"""
        selects.append(f"""SELECT '{f}' AS field, raw, coalesce((SELECT canonical FROM vocab_values v
                              WHERE v.word = norm_key(raw) AND {vocab}){marks}) AS canonical
                              FROM (SELECT DISTINCT {f} AS raw FROM kept WHERE {f} IS NOT NULL)""")
    selects.append("SELECT 'unit', raw, unit_code_of(raw) FROM (SELECT DISTINCT unit AS raw FROM kept)")
    return "\nUNION ALL ".join(selects)


def _flag_sql(field: str, column: str, reported: bool) -> str:
    """A flag of a file with the column: true, or false (an empty cell or a word no vocabulary reads says no); of
    a file without it: NULL, the field not reported (model/measures.py leaves such dossiers out of the rate)."""
    return f"coalesce(vm_{field}.canonical = 'true', false) AS {column}" if reported else f"NULL::BOOLEAN AS {column}"


def typed_sql(reported: frozenset, dated_units: bool = False) -> str:
    """Typed dossier rows of the kept (not skipped, not rejected, not duplicate) lines. reported: the fields of
    ABSENT_IS_UNKNOWN the file has a column for. dated_units: the temp table _unit_dated (etl/core/units.py
    dated_unit_codes_sql) holds the unit of names several units went by at different times, per receipt day."""
    dated = ("\n    LEFT JOIN _unit_dated ud ON ud.raw = k.unit AND ud.day = CAST(k._ts_received_at AS DATE)"
             if dated_units else "")
    joins = "\n".join(f"LEFT JOIN value_map vm_{f} ON vm_{f}.field = '{f}' AND vm_{f}.raw = k.{f}"
                      for f in (*VOCAB_FIELDS, "unit") if f not in FLAG_FIELDS or f in reported)
    flag_cols = ",\n".join(_flag_sql(raw, col, raw in reported) for raw, col in FLAG_FIELDS.items())
    # an empty fee cell of a fee column is no fee; a file without the column does not say
    # («Theo quy định»: a fee whose amount is not said, unknown as in a file without the column)
    fee = ("CASE WHEN k._unstated_fee_amount THEN NULL ELSE coalesce(k._num_fee_amount, 0) END"
           if "fee_amount" in reported else "CAST(NULL AS DOUBLE)")
    return f"""
    SELECT
      ? AS source, k.dossier_code, k.unit AS unit_text,
      {"coalesce(vm_unit.canonical, ud.unit_code)" if dated_units else "vm_unit.canonical"} AS unit_code,
      {procedure_key_sql('k.procedure_code')} AS procedure_code, k.procedure_name, k.field_name,
      coalesce(vm_channel.canonical, 'direct') AS channel,
      vm_online_level.canonical AS online_level,
      k._ts_submitted_at AS submitted_at, k._ts_received_at AS received_at,
      k._ts_due_at AS due_at, false AS is_due_derived,
      k._ts_finished_at AS finished_at, k._ts_returned_at AS returned_at,
      CASE WHEN regexp_full_match(k.status, '\\d{{1,2}}') AND CAST(k.status AS INT) BETWEEN 1 AND 10
           THEN CAST(k.status AS INT) ELSE try_cast(vm_status.canonical AS INT) END AS status_code,
      k.status AS status_text,
      vm_result_type.canonical AS result_type,
      CAST(k._num_supplement_count AS INT) AS supplement_count,
      {fee} AS fee_amount,
      {flag_cols},
      vm_rating.canonical AS rating,
      k.applicant_type,
      ?::DATE AS snapshot_date, ?::INT AS import_id, k._row AS row_number
    FROM kept k
    {joins}{dated}"""


# Values that were present but matched no vocabulary word: reported, never guessed. A flag cell no word reads
# ('Đã nộp phí', '✓') counts as 'no' (an online payment not counted): said too, with its column. The few distinct
# values (UNRECOGNIZED_VALUES_SQL, nearly always none) are found first; only their rows are then counted, one column
# at a time (unrecognized_counts_sql): a join of every row to the value map on ten OR'ed conditions cost seconds.
_REPORTED_FIELDS = ("channel", "status", "online_level", "result_type", "rating", *FLAG_FIELDS)
UNRECOGNIZED_VALUES_SQL = f"""
    SELECT DISTINCT field FROM value_map
    WHERE canonical IS NULL AND field IN ({', '.join(f"'{f}'" for f in _REPORTED_FIELDS)})
      AND NOT (field = 'status' AND regexp_full_match(raw, '\\d{{1,2}}'))"""


def unrecognized_counts_sql(fields: list[str]) -> str:
    """(field, value, how many lines, the first ten of them) of the unrecognized values of fields (names from
    UNRECOGNIZED_VALUES_SQL): the lines, so that a person finds the dossier («Đã hủy» counted pending: probe 51)."""
    counts = " UNION ALL ".join(
        f"""SELECT '{f}' AS field, k.{f} AS raw, count(*) AS n, list(k._row ORDER BY k._row)[1:10] AS rows FROM kept k
            JOIN value_map m ON m.field = '{f}' AND m.raw = k.{f} AND m.canonical IS NULL GROUP BY ALL"""
        for f in fields if f in _REPORTED_FIELDS)
    return f"""SELECT field, raw, n, rows FROM ({counts})
               WHERE NOT (field = 'status' AND regexp_full_match(raw, '\\d{{1,2}}')) ORDER BY 1, 3 DESC"""
