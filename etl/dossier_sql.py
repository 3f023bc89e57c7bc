"""SQL that turns the mapped text cells of a dossier export into typed rows, skipped rows and rejects."""
from etl.vocab import FIELD_LABELS

DATE_FIELDS = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")
NUMBER_FIELDS = ("supplement_count", "fee_amount")
FLAG_FIELDS = {"paid_online": "is_paid_online", "digitized": "is_digitized", "e_result": "has_e_result",
               "data_reused": "is_data_reused", "synced_national": "is_synced_national",
               "apology_issued": "is_apology_issued"}
ALL_FIELDS = ("dossier_code", "unit", "procedure_code", "procedure_name", "field_name", "channel", "online_level",
              *DATE_FIELDS, "status", "result_type", *NUMBER_FIELDS, *FLAG_FIELDS, "rating", "applicant_type")

# Reject rules, in the order a row is judged; the first that holds is the reason given.
REJECT_RULES = (
    ("missing_dossier_code", None, "dossier_code IS NULL", "Thiếu mã hồ sơ."),
    ("missing_unit", None, "unit IS NULL", "Thiếu đơn vị tiếp nhận."),
    ("missing_received_date", None, "received_at IS NULL", "Thiếu ngày tiếp nhận."),
    *[("bad_date", f, f"{f} IS NOT NULL AND parse_ts({f}) IS NULL",
       f"Ngày không đọc được ở cột «{FIELD_LABELS[f]}» (cần dạng ngày/tháng/năm).") for f in DATE_FIELDS],
    ("finished_before_received", "finished_at",
     "CAST(parse_ts(finished_at) AS DATE) < CAST(parse_ts(received_at) AS DATE)",
     "Ngày có kết quả trước ngày tiếp nhận."),
    *[("bad_number", f, f"{f} IS NOT NULL AND (parse_num({f}) IS NULL OR parse_num({f}) < 0)",
       f"Số không hợp lệ ở cột «{FIELD_LABELS[f]}».") for f in NUMBER_FIELDS],
)


def mapped_view_sql(columns: dict[str, str], all_grid_columns: list[str]) -> str:
    """SELECT of the data rows: canonical fields as trimmed text (blank → NULL) plus what row skipping needs."""
    def cell(col):
        return f"nullif(trim(replace({col}, chr(65279), '')), '')"
    parts = ["_row"]
    for f in ALL_FIELDS:
        parts.append(f"{cell(columns[f])} AS {f}" if f in columns else f"CAST(NULL AS VARCHAR) AS {f}")
    nonempty = " + ".join(f"({cell(c)} IS NOT NULL)::INT" for c in all_grid_columns) or "0"
    first = "coalesce(" + ", ".join(cell(c) for c in all_grid_columns) + ")"
    short_tokens = " AND ".join(
        f"({cell(c)} IS NULL OR regexp_full_match({cell(c)}, '\\(?[0-9A-Za-z]{{1,3}}\\)?'))" for c in all_grid_columns)
    parts.append(f"{nonempty} AS _nonempty")
    parts.append(f"{first} AS _first")
    parts.append(f"({short_tokens}) AS _all_short")
    return "SELECT " + ",\n       ".join(parts) + " FROM grid WHERE _pos > ?"


def classify_sql() -> str:
    """Adds _skip (blank / totals / column-number / signature rows) and the reject reason to mapped rows."""
    reject_case = "CASE " + " ".join(
        f"WHEN {cond} THEN '{code}|{field or ''}|{msg}'" for code, field, cond, msg in REJECT_RULES) + " END"
    return f"""
    SELECT *,
      CASE
        WHEN _nonempty = 0 THEN 'blank'
        WHEN norm_key(_first) IN (SELECT text FROM skip_markers WHERE kind = 'totals')
             OR starts_with(norm_key(_first), 'tong cong') OR starts_with(norm_key(_first), 'tong so') THEN 'totals'
        WHEN _all_short AND _nonempty >= 3 THEN 'column_numbers'
        WHEN parse_ts(received_at) IS NULL AND (
               _row > (SELECT min(_row) FROM mapped m WHERE norm_key(m._first) IN
                        (SELECT text FROM skip_markers WHERE kind = 'totals'))
               OR EXISTS (SELECT 1 FROM skip_markers s WHERE s.kind = 'signature'
                          AND starts_with(norm_key(_first), s.text))
               OR starts_with(norm_key(_first), 'ky ')
               OR (dossier_code IS NULL AND _nonempty <= 2)) THEN 'footer'
      END AS _skip,
      {reject_case} AS _reject
    FROM mapped"""


def typed_sql() -> str:
    """Typed dossier rows of the kept (not skipped, not rejected, not duplicate) lines."""
    flag_cols = ",\n".join(
        f"(SELECT canonical = 'true' FROM vocab_values WHERE field = 'flag' AND word = norm_key(k.{raw})) AS {col}"
        for raw, col in FLAG_FIELDS.items())
    return f"""
    SELECT
      ? AS source, k.dossier_code, k.unit AS unit_text,
      (SELECT min(unit_code) FROM unit_keys u WHERE u.unit_key = norm_key(k.unit)
         HAVING count(DISTINCT unit_code) = 1) AS unit_code,
      k.procedure_code, k.procedure_name, k.field_name,
      coalesce((SELECT canonical FROM vocab_values WHERE field = 'channel' AND word = norm_key(k.channel)), 'direct')
        AS channel,
      (SELECT canonical FROM vocab_values WHERE field = 'online_level' AND word = norm_key(k.online_level))
        AS online_level,
      parse_ts(k.submitted_at) AS submitted_at, parse_ts(k.received_at) AS received_at,
      parse_ts(k.due_at) AS due_at, false AS is_due_derived,
      parse_ts(k.finished_at) AS finished_at, parse_ts(k.returned_at) AS returned_at,
      CASE WHEN regexp_full_match(k.status, '\\d{{1,2}}') AND CAST(k.status AS INT) BETWEEN 1 AND 10
           THEN CAST(k.status AS INT)
           ELSE (SELECT try_cast(canonical AS INT) FROM vocab_values WHERE field = 'status' AND word = norm_key(k.status))
      END AS status_code,
      k.status AS status_text,
      (SELECT canonical FROM vocab_values WHERE field = 'result_type' AND word = norm_key(k.result_type)) AS result_type,
      CAST(parse_num(k.supplement_count) AS INT) AS supplement_count,
      parse_num(k.fee_amount) AS fee_amount,
      {flag_cols},
      (SELECT canonical FROM vocab_values WHERE field = 'rating' AND word = norm_key(k.rating)) AS rating,
      k.applicant_type,
      ?::DATE AS snapshot_date, ?::INT AS import_id, k._row AS row_number
    FROM kept k"""


# Values that were present but matched no vocabulary word: reported, never guessed.
UNRECOGNIZED_SQL = """
    SELECT f, v, count(*) FROM (
      SELECT 'channel' AS f, channel AS v FROM kept WHERE channel IS NOT NULL
        AND norm_key(channel) NOT IN (SELECT word FROM vocab_values WHERE field = 'channel')
      UNION ALL SELECT 'status', status FROM kept WHERE status IS NOT NULL
        AND NOT regexp_full_match(status, '\\d{1,2}')
        AND norm_key(status) NOT IN (SELECT word FROM vocab_values WHERE field = 'status')
      UNION ALL SELECT 'online_level', online_level FROM kept WHERE online_level IS NOT NULL
        AND norm_key(online_level) NOT IN (SELECT word FROM vocab_values WHERE field = 'online_level')
      UNION ALL SELECT 'rating', rating FROM kept WHERE rating IS NOT NULL
        AND norm_key(rating) NOT IN (SELECT word FROM vocab_values WHERE field = 'rating')
    ) GROUP BY ALL ORDER BY 1, 3 DESC"""
