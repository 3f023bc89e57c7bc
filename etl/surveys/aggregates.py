"""Load published SIPAS results, long (unit, year, element, % satisfied, respondents) or wide layout — in SQL."""
from common.formats import vn_int
from etl.core.errors import ImportFailure
from etl.core.rows import BELOW_SIGNATURE, SIGNATURE_LINE, SKIP_BLANK_AND_TOTALS, cell_sql, first_cell_sql, nonempty_sql, \
    record_rejects, registered_grid, verdict_case
from etl.core.units import record_unmatched_units
from etl.surveys.catalogue import refresh_catalogue
from etl.surveys.header import SurveyMatch
from etl.surveys.responses import default_source, missing_column_message, year_from_titles
from etl.surveys.sql import where_sql
from etl.surveys.vocab import AGGREGATE_FIELDS


# Reject rules in order; the first that holds is the reason.
_RULES = (
    ("missing_unit", "unit", "unit IS NULL", "thiếu đơn vị."),
    ("missing_survey_year", "year", "_year IS NULL", "thiếu năm khảo sát hoặc năm không đọc được."),
    ("bad_element", "element", "_element IS NULL",
     "yếu tố «' || coalesce(element, '') || '» không nhận ra (cần số 1–5 hoặc tên yếu tố)."),
    ("bad_rate", "satisfied_pct", "_rate IS NULL OR _rate < 0 OR _rate > 1",
     "tỷ lệ hài lòng «' || coalesce(satisfied_pct, '') || '» không hợp lệ (cần 0–100 %)."),
    ("bad_number", "respondents", "_n IS NULL OR _n < 1 OR _n <> floor(_n)",
     "số phiếu «' || coalesce(respondents, '') || '» không hợp lệ (cần số nguyên dương)."),
)


def _mapped_sql(match: SurveyMatch, grid_columns: list[str]) -> str:
    """One row per unit, year and element. A wide table (one column per element, as provinces publish them) is
    unpivoted here: each of its cells becomes the row the long layout would have had; an empty cell is a result
    not published (skipped in _staging_sql). Every line of a wide table gives a row per element, even one with no
    result at all, so no line escapes the counts."""
    def field(f):
        return cell_sql(match.columns[f]) if f in match.columns else "CAST(NULL AS VARCHAR)"
    common = (f"_row, {field('unit')} AS unit, {field('year')} AS year, {field('respondents')} AS respondents, "
              f"{nonempty_sql(grid_columns)} AS _nonempty, norm_key({first_cell_sql(grid_columns)}) AS _first_key")
    if not match.wide:
        return (f"SELECT {common}, {field('element')} AS element, {field('satisfied_pct')} AS satisfied_pct "
                "FROM grid WHERE _pos > $header")
    return "\nUNION ALL ".join(
        f"SELECT {common}, '{element}' AS element, {cell_sql(col)} AS satisfied_pct FROM grid "
        f"WHERE _pos > $header"
        for element, col in sorted(match.element_columns.items()))


# The unit's overall index on a line of its own among its elements' («Chỉ số SIPAS»): the mean of the five, which the
# tool computes itself (probe 46: the line was rejected, «yếu tố không nhận ra»), so it is skipped and checked.
_OVERALL_INDEX = "(chi so )?(sipas|hai long( chung)?)( chung)?|chi so chung|ty le hai long chung|muc do hai long chung"


def _staging_sql(match: SurveyMatch, grid_columns: list[str]) -> str:
    # A wide line's empty cell is an element not published; a line where every cell is empty is skipped whole.
    unpublished = "WHEN satisfied_pct IS NULL THEN 'not_published'" if match.wide else ""
    reject = verdict_case((code, field, cond, where_sql(msg)) for code, field, cond, msg in _RULES)
    # Element: a number ('1', 'Yếu tố 1', 'YT1: Tiếp cận…') or the element's name in the catalogue.
    return f"""
    WITH mapped AS ({_mapped_sql(match, grid_columns)}),
    typed AS (
        SELECT *,
          coalesce(try_cast(regexp_extract(year, '((?:19|20)\\d{{2}})', 1) AS INT), $default_year) AS _year,
          coalesce(try_cast(regexp_extract(norm_key(element), '^(?:yeu to|yt)?\\s*([1-5])(?:\\s|$)', 1) AS INT),
                   (SELECT min(element_no) FROM sipas_catalogue c WHERE c.item_type = 'element'
                    AND norm_key(c.item_name) = norm_key(element))) AS _element,
          CASE WHEN contains(satisfied_pct, '%') OR parse_num(replace(satisfied_pct, '%', '')) > 1
               THEN parse_num(replace(satisfied_pct, '%', '')) / 100
               ELSE parse_num(replace(satisfied_pct, '%', '')) END AS _rate,
          parse_num(respondents) AS _n
        FROM mapped)
    SELECT *,
      CASE {SKIP_BLANK_AND_TOTALS}
           WHEN {SIGNATURE_LINE} THEN 'footer'
           WHEN unit IS NULL AND satisfied_pct IS NULL THEN 'footer'
           -- the signer's name under «Người lập biểu» (probe 56: rejected as a result without its element and year)
           WHEN {BELOW_SIGNATURE} AND satisfied_pct IS NULL AND respondents IS NULL AND element IS NULL THEN 'footer'
           WHEN _element IS NULL AND regexp_full_match(norm_key(element), '{_OVERALL_INDEX}') THEN 'overall_index'
           {unpublished} END AS _skip,
      {reject} AS _verdict
    FROM typed"""


# The unit a published result is of, as stored or as read: its code, else the unit its name answers to now, else its
# name (a = a survey_aggregates row).
_RESULT_UNIT = "coalesce(a.unit_code, unit_code_of(a.unit_text), 'ten:' || norm_key(a.unit_text))"


def _replace_other_files_results(con) -> tuple[int, list[str]] | None:
    """A unit, year and element has one published result: the one another file loaded (a corrected result sent
    again under another name) leaves, so the two are not added up. Returns (how many, from which files) or None."""
    gone = con.execute(f"""DELETE FROM survey_aggregates a USING agg_actions n
        WHERE a.source <> n.source AND a.survey_year = n.survey_year AND a.element_no = n.element_no
          AND {_RESULT_UNIT} = coalesce(n.unit_code, 'ten:' || norm_key(n.unit_text))
        RETURNING a.source""").fetchall()
    return (len(gone), sorted({r[0] for r in gone})) if gone else None


def load_aggregates_sheet(con, grid, match: SurveyMatch, *, import_id: int, file_name: str, source: str | None,
                          source_name: str | None = None, as_of=None, title_rows=()) -> dict:
    """Loads one sheet of published results inside the caller's transaction; returns its counts. The year may come
    from the title ('… NĂM 2022') or --as-of when no column gives it."""
    default_year = year_from_titles(title_rows) or (as_of.year if as_of else None)
    needed = [f for f in AGGREGATE_FIELDS if not (f == "year" and default_year)
              and not (match.wide and f in ("element", "satisfied_pct"))]
    for field in needed:
        if field not in match.columns:
            raise ImportFailure(missing_column_message(file_name, field, ()))
    refresh_catalogue(con)
    sheet, source = grid.sheet, source or default_source(source_name or file_name)
    with registered_grid(con, grid):
        con.execute("CREATE OR REPLACE TEMP TABLE agg_staged AS " + _staging_sql(match, grid.filled_columns(match.header_index)),
                    {"header": match.header_index, "sheet": sheet, "default_year": default_year})
    # Later rows repeating (unit, year, element) in the same file are rejected; the first is kept.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE agg_judged AS
        SELECT *, coalesce(_verdict, CASE WHEN _dup > 1 THEN 'duplicate_in_file||' || {where_sql(
            "đơn vị, năm và yếu tố trùng với một dòng trước trong cùng tệp.")} END) AS _why
        FROM (SELECT *, row_number() OVER (PARTITION BY unit, _year, _element ORDER BY _row) AS _dup
              FROM agg_staged WHERE _skip IS NULL)""", {"sheet": sheet})
    values = "'unit', unit, 'year', year, 'element', element, 'satisfied_pct', satisfied_pct, 'respondents', respondents"
    # A wide line holds several results: it is rejected once, with its first reason, and none of its results load
    # (every line is loaded, rejected or skipped, never a part of each).
    rejects = record_rejects(con, "(SELECT DISTINCT ON (_row) * FROM agg_judged WHERE _why IS NOT NULL "
                             "ORDER BY _row, element)", "_why", values, import_id=import_id, file_name=file_name,
                             sheet=sheet)
    con.execute("""CREATE OR REPLACE TEMP TABLE agg_actions AS
        SELECT ? AS source, j.unit AS unit_text,
               unit_code_of(j.unit) AS unit_code,
               j._year AS survey_year, j._element AS element_no, j._rate AS satisfied_rate,
               CAST(j._n AS INT) AS respondent_count, ? AS import_id, j._row AS row_number,
               CASE WHEN a.source IS NULL THEN 'insert'
                    WHEN a.satisfied_rate = j._rate AND a.respondent_count = CAST(j._n AS INT) THEN 'same'
                    ELSE 'update' END AS action
        FROM agg_judged j LEFT JOIN survey_aggregates a ON a.source = ? AND a.unit_text = j.unit
             AND a.survey_year = j._year AND a.element_no = j._element
        WHERE j._why IS NULL AND j._row NOT IN (SELECT _row FROM agg_judged WHERE _why IS NOT NULL)""",
                [source, import_id, source])
    replaced = _replace_other_files_results(con)
    cols = "source, unit_text, unit_code, survey_year, element_no, satisfied_rate, respondent_count, import_id, row_number"
    con.execute(f"INSERT OR REPLACE INTO survey_aggregates ({cols}) SELECT {cols} FROM agg_actions WHERE action <> 'same'")
    # Counted in lines of the file, as every other kind counts: a wide line of five results is one line, loaded
    # when any of its results is new, updated when one changed, unchanged otherwise.
    counts = dict(con.execute("""SELECT a, count(*) FROM (
        SELECT CASE WHEN bool_or(action = 'insert') THEN 'insert' WHEN bool_or(action = 'update') THEN 'update'
                    ELSE 'same' END AS a FROM agg_actions GROUP BY row_number) GROUP BY a""").fetchall())
    results = con.execute("SELECT count(*) FROM agg_actions").fetchall()[0][0]
    unmatched = record_unmatched_units(con, "agg_actions", file_name)
    skipped = con.execute("""SELECT count(DISTINCT _row) FROM agg_staged
                             WHERE _row NOT IN (SELECT _row FROM agg_staged WHERE _skip IS NULL)""").fetchall()[0][0]
    warnings = (_total_warnings(con) if match.wide else []) + _overall_index_note(con)
    if replaced:
        warnings.append(f"{replaced[0]} kết quả đã nạp từ tệp khác ({', '.join(replaced[1])}) cho cùng đơn vị, năm và "
                        "yếu tố được thay bằng kết quả của tệp này (một đơn vị, một năm có một kết quả công bố).")
    for t in ("agg_staged", "agg_judged", "agg_actions"):
        con.execute(f"DROP TABLE {t}")
    return {"rows_loaded": counts.get("insert", 0), "rows_updated": counts.get("update", 0),
            "rows_unchanged": counts.get("same", 0), "rows_rejected": len(rejects), "rows_skipped": skipped,
            "rejects": rejects, "unmatched_units": unmatched, "invalid_answers": 0, "unrecognized_values": [],
            "warnings": warnings, "source": source, "results_read": results}


def _overall_index_note(con) -> list[str]:
    """The skipped «Chỉ số SIPAS» lines, and those whose value is not the mean of their unit's five elements."""
    lines = con.execute("""
        SELECT o._row, o._rate, avg(e._rate), count(e._rate) FROM agg_staged o
        LEFT JOIN agg_staged e ON e._skip IS NULL AND e._verdict IS NULL AND e.unit = o.unit AND e._year = o._year
        WHERE o._skip = 'overall_index' GROUP BY o._row, o._rate ORDER BY o._row""").fetchall()
    if not lines:
        return []
    rows = ", ".join(str(r) for r, *_ in lines)
    differ = [str(r) for r, rate, mean, n in lines if n == 5 and rate is not None and abs(rate - mean) > 0.0005]
    return [f"{len(lines)} dòng chỉ số chung («Chỉ số SIPAS», dòng {rows}) không được nạp: chỉ số của đơn vị được tính "
            "lại là trung bình 5 yếu tố"
            + (f"; dòng {', '.join(differ)} ghi giá trị khác trung bình 5 yếu tố của đơn vị đó trong tệp — hãy kiểm tra."
               if differ else ".")]


def _total_warnings(con) -> list[str]:
    """A wide table's one totals line ('Tổng cộng', skipped) states the number of questionnaires: it must be the
    sum of the units' lines. Only with a single totals line: subtotals per district would each disagree."""
    totals = con.execute("""SELECT DISTINCT _row, respondents, parse_num(respondents) FROM agg_staged
                            WHERE _skip = 'totals' AND respondents IS NOT NULL""").fetchall()
    if len(totals) != 1 or totals[0][2] is None:
        return []
    row, written, stated = totals[0]
    # the units' lines: all but the blank, totals and footer ones (a unit with no result published counts)
    counted = con.execute("""SELECT sum(_n) FROM (SELECT DISTINCT _row, _n FROM agg_staged WHERE _row NOT IN
                             (SELECT _row FROM agg_staged WHERE _skip IN ('blank', 'totals', 'footer')))""").fetchall()[0][0]
    if counted is None or abs(counted - stated) < 0.5:
        return []
    return [f"Dòng tổng cộng (dòng {row}) ghi {written} phiếu nhưng các dòng đơn vị cộng lại {vn_int(counted)} phiếu; "
            "dòng tổng cộng không được nạp (chỉ số tính từ các dòng đơn vị) — hãy kiểm tra tệp."]
