"""Judge and store staged PAR INDEX scores in SQL: each record is loaded, skipped (a subtotal, a criterion not
scored yet) or rejected with the cell and a Vietnamese reason; a record replaces the same unit's score for the
same criterion and year, so reloading a file changes nothing."""
from __future__ import annotations

import duckdb

from etl.core.errors import ImportFailure
from etl.core.rows import record_rejects, verdict_case
from etl.core.units import attach_waiting_units, record_unmatched_units
from etl.par.staging import Staged
from etl.par.vocab import NOT_APPLICABLE_MARKS, NOT_APPLICABLE_WORDS, PEER_GROUP_NAMES

__all__ = ["store_scores", "drop_staging", "NOT_APPLICABLE_SQL", "POINTS_SQL", "GROUP_NAME_SQL", "SHOWN_SQL",
           "resolve_group_sql"]

# A cell meaning "does not apply" (etl/par/vocab.py), written out with those constants only.
NOT_APPLICABLE_SQL = ("(v IN (" + ", ".join(f"'{m}'" for m in NOT_APPLICABLE_MARKS) + ") OR norm_key(v) IN ("
                      + ", ".join(f"'{w}'" for w in NOT_APPLICABLE_WORDS) + "))")
# Points typed '1,5', '1.5' or '2 điểm'; never thousands ('1.500' is one and a half).
POINTS_SQL = """CASE WHEN regexp_full_match(v, '-?\\d+([.,]\\d+)?\\s*(điểm|đ)?', 'i')
                     THEN CAST(replace(regexp_extract(v, '-?\\d+([.,]\\d+)?'), ',', '.') AS DOUBLE) END"""
GROUP_NAME_SQL = "CASE {g} " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PEER_GROUP_NAMES.items()) + \
    " ELSE {g} END"


def SHOWN_SQL(x: str) -> str:   # noqa: N802 — a SQL template, named like the other constants
    """A number as a reason shows it: 3 → '3', 1.5 → '1,5'."""
    return f"replace(rtrim(rtrim(printf('%.2f', {x}), '0'), '.'), '.', ',')"


def resolve_group_sql(table: str) -> str:
    """The framework a staged row is judged against: the peer group the file names (column or title), else the
    unit's level when a framework exists for it that year, else the year's only framework. table holds year,
    hint and unit_code (a loader's own temp table)."""
    return f"""coalesce({table}.hint,
        (SELECT u.level FROM units u JOIN (SELECT DISTINCT year, peer_group FROM par_framework) g
           ON g.year = {table}.year AND g.peer_group = u.level WHERE u.unit_code = {table}.unit_code),
        (SELECT min(peer_group) FROM (SELECT DISTINCT year, peer_group FROM par_framework) g
           WHERE g.year = {table}.year HAVING count(*) = 1))"""


def _where(reason: str) -> str:
    return "'" + reason + "'"


_GROUP = GROUP_NAME_SQL.format(g="_group")
# Record rules in order; the first that holds is the reason (then the first bad cell's, then duplicates).
_RECORD_RULES = (
    # a deduction line («Điểm trừ (chậm gửi báo cáo)», probe 50) is no criterion of the framework: said so, and that
    # the index is not lowered by it (the framework's criteria carry every point)
    ("missing_code", "code", "code IS NULL AND starts_with(norm_key(coalesce(code_raw, '')), 'diem tru')",
     "'dòng «' || code_raw || '» là điểm trừ, không phải tiêu chí của bộ tiêu chí: không được trừ vào chỉ số; nếu "
     "quy định trừ điểm, hãy ghi điểm đã trừ vào tiêu chí tương ứng rồi nạp lại.'"),
    ("missing_code", "code", "code IS NULL",
     "'không nhận ra mã tiêu chí «' || coalesce(code_raw, '') || '» (dùng dạng 1.1, 1.1.a, «Tiêu chí 1.1»).'"),
    ("missing_unit", "unit", "unit IS NULL", _where("thiếu đơn vị.")),
    ("missing_year", "year", "year IS NULL",
     _where("thiếu năm đánh giá (cột «Năm» hoặc «NĂM 2022» trong tiêu đề).")),
    ("no_framework", None, "_group IS NULL",
     "'không xác định được bộ tiêu chí để đối chiếu: chưa nạp bộ tiêu chí năm ' || year || ' cho nhóm của đơn vị «' "
     "|| unit || '» (nạp bộ tiêu chí trước, hoặc ghi nhóm đơn vị ở cột «Nhóm đơn vị» hay trong tiêu đề).'"),
    ("unknown_code", "code", "_max IS NULL",
     f"'mã tiêu chí «' || code_raw || '»' || CASE WHEN code_raw <> code THEN ' (tức ' || code || ')' ELSE '' END"
     f" || ' không có trong bộ tiêu chí năm ' || year || ' (' || {_GROUP} || ').'"),
)
_CELL_VERDICT = f"""CASE WHEN v IS NULL OR _na THEN NULL
    WHEN _num IS NULL THEN 'bad_number|' || part || '_score|' || place || ': điểm «' || v || '» không phải số.'
    WHEN _num < 0 THEN 'negative|' || part || '_score|' || place || ': điểm âm (' || v || ').'
    WHEN _num > _max + 1e-9 THEN 'above_max|' || part || '_score|' || place || ': điểm ' || v
         || ' vượt điểm tối đa ' || {SHOWN_SQL('_max')} || ' của tiêu chí ' || code || '.'
    END"""


def _judge(con) -> None:
    """par_judged: one row per staged record with its scores, _verdict ('code|field|reason' or NULL) and _skip."""
    con.execute("""CREATE OR REPLACE TEMP TABLE par_recs_g AS
        SELECT r.*, unit_code_of(r.unit) AS unit_code FROM par_recs_arrow r""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE par_recs_f AS
        SELECT r.*, {resolve_group_sql('r')} AS _group FROM par_recs_g r""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE par_judged AS
    WITH recs AS (
        SELECT r.*, f.max_points AS _max,
               coalesce(r.unit_code, 'text:' || norm_key(r.unit)) AS _identity
        FROM par_recs_f r LEFT JOIN par_framework f ON f.year = r.year AND f.peer_group = r._group AND f.code = r.code),
    cells AS (
        SELECT c._rec, c._ord, c.part, c.place, v, v IS NOT NULL AND {NOT_APPLICABLE_SQL} AS _na, {POINTS_SQL} AS _num
        FROM (SELECT *, nullif(trim(value), '') AS v FROM par_cells_arrow) c),
    judged_cells AS (
        SELECT c.*, {_CELL_VERDICT} AS _cv FROM cells c JOIN recs r USING (_rec)),
    -- A bad cell is rejected alone (par-index.md: "rejected with their cell"): the record keeps its other, valid
    -- cell (an appraisal above the maximum leaves the self-score, flagged as not appraised); a record with no
    -- valid cell left is rejected whole.
    scored AS (
        SELECT _rec,
            any_value(_num) FILTER (WHERE part = 'self' AND NOT _na AND _cv IS NULL) AS self_score,
            any_value(_num) FILTER (WHERE part = 'appraised' AND NOT _na AND _cv IS NULL) AS appraised_score,
            coalesce(bool_or(_na) FILTER (WHERE part = 'self'), false) AS self_na,
            coalesce(bool_or(_na) FILTER (WHERE part = 'appraised'), false) AS appraised_na,
            bool_or(v IS NOT NULL AND _cv IS NULL) FILTER (WHERE part = 'appraised') AS appraised_given,
            any_value(v) FILTER (WHERE part = 'self') AS self_text,
            any_value(v) FILTER (WHERE part = 'appraised') AS appraised_text,
            count(*) FILTER (WHERE v IS NOT NULL AND _cv IS NULL) AS _valid_cells,
            arg_min(_cv, _ord) FILTER (WHERE _cv IS NOT NULL) AS _cell_verdict
        FROM judged_cells GROUP BY _rec)
    SELECT r.*, p.self_score, p.appraised_score, p.self_text, p.appraised_text,
        coalesce(p.appraised_na, false) OR (NOT coalesce(p.appraised_given, false) AND coalesce(p.self_na, false))
            AS not_applicable,
        coalesce({verdict_case(_RECORD_RULES)}, CASE WHEN coalesce(p._valid_cells, 0) = 0 THEN p._cell_verdict END)
            AS _verdict,
        CASE WHEN p._valid_cells > 0 THEN split_part(p._cell_verdict, '|', 3) END AS _cell_rejected
    FROM recs r LEFT JOIN scored p USING (_rec)""")
    # A record repeating (year, unit, criterion) of an earlier line of the file is rejected; a record with a
    # scored record under it (same unit) is a subtotal of the council's table: skipped, never counted twice.
    con.execute("""UPDATE par_judged j SET _verdict = 'duplicate_in_file|code|tiêu chí ' || j.code || ' của đơn vị «'
            || j.unit || '» đã có ở dòng ' || d.first_row || '.'
        FROM (SELECT _rec, min(_row) OVER (PARTITION BY year, _group, _identity, code) AS first_row,
                     row_number() OVER (PARTITION BY year, _group, _identity, code ORDER BY _row, _rec) AS n
              FROM par_judged WHERE _verdict IS NULL) d
        WHERE d._rec = j._rec AND d.n > 1""")
    con.execute("ALTER TABLE par_judged ADD COLUMN _skip VARCHAR")
    con.execute("""UPDATE par_judged j SET _skip = 'subtotal' WHERE _verdict IS NULL AND EXISTS (
        SELECT 1 FROM par_judged k WHERE k._verdict IS NULL AND k.year = j.year AND k._group = j._group
          AND k._identity = j._identity AND starts_with(k.code, j.code || '.'))""")


def _store(con, import_id: int, sheet: str | None) -> dict:
    con.execute("""CREATE OR REPLACE TEMP TABLE par_actions AS
        SELECT j.year, j._group AS peer_group, j.unit AS unit_text, j.unit_code, j.code, j.self_score,
               j.appraised_score, j.not_applicable, j.note, j.evidence, j._row, j._identity, j._rec,
               CASE WHEN NOT EXISTS (SELECT 1 FROM par_scores s WHERE s.year = j.year
                        AND coalesce(s.unit_code, 'text:' || norm_key(s.unit_text)) = j._identity AND s.code = j.code)
                    THEN 'insert'
                    WHEN EXISTS (SELECT 1 FROM par_scores s WHERE s.year = j.year
                        AND coalesce(s.unit_code, 'text:' || norm_key(s.unit_text)) = j._identity AND s.code = j.code
                        AND s.peer_group = j._group AND s.self_score IS NOT DISTINCT FROM j.self_score
                        AND s.appraised_score IS NOT DISTINCT FROM j.appraised_score
                        AND s.not_applicable = j.not_applicable AND s.note IS NOT DISTINCT FROM j.note
                        AND s.evidence IS NOT DISTINCT FROM j.evidence) THEN 'same'
                    ELSE 'update' END AS action
        FROM par_judged j WHERE j._verdict IS NULL AND j._skip IS NULL""")
    con.execute("""DELETE FROM par_scores s USING par_actions a WHERE a.action = 'update' AND s.year = a.year
                   AND coalesce(s.unit_code, 'text:' || norm_key(s.unit_text)) = a._identity AND s.code = a.code""")
    con.execute("""INSERT INTO par_scores SELECT year, peer_group, unit_text, unit_code, code, self_score,
                       appraised_score, not_applicable, note, evidence, ?, ?, _row,
                       (SELECT min(split_part(place, ' ', 2)) FROM par_cells_arrow c WHERE c._rec = a._rec)
                   FROM par_actions a WHERE action <> 'same'""", [import_id, sheet])
    return dict(con.execute("SELECT action, count(*) FROM par_actions GROUP BY 1").fetchall())


def drop_staging(con, views: tuple, tables: tuple) -> None:
    """Unregisters a loader's Arrow views and drops its temp tables. After a failed statement the transaction is
    aborted and these raise too: the first error is the one to report."""
    try:
        for name in views:
            con.unregister(name)
        for table in tables:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    except duckdb.Error:
        pass


def store_scores(con, staged: Staged, *, import_id: int, file_name: str, sheet: str | None) -> dict:
    """Judges and stores one sheet's staged records inside the caller's transaction; returns its counts."""
    if not con.execute("SELECT count(*) FROM par_framework").fetchall()[0][0]:
        raise ImportFailure(f"Tệp {file_name}: chưa nạp bộ tiêu chí Chỉ số CCHC (PAR INDEX) nào, nên không đối chiếu "
                            "được điểm với mã tiêu chí và điểm tối đa. Hãy nạp bộ tiêu chí trước "
                            "(python -m etl import bo_tieu_chi.xlsx …). Không nạp dòng nào từ tệp này.")
    recs, cells = staged.tables()
    con.register("par_recs_arrow", recs)
    con.register("par_cells_arrow", cells)
    try:
        _judge(con)
        values = ("'unit', unit, 'code', code_raw, 'year', CAST(year AS VARCHAR), 'self_score', self_text, "
                  "'appraised_score', appraised_text")
        rejects = record_rejects(con, "par_judged", "_verdict", values, import_id=import_id, file_name=file_name,
                                 sheet=sheet, where="_verdict IS NOT NULL")
        counts = _store(con, import_id, sheet)
        attach_waiting_units(con, "par_scores")
        unmatched = record_unmatched_units(con, "par_actions", file_name)
        subtotals = con.execute("SELECT count(*) FROM par_judged WHERE _skip IS NOT NULL").fetchall()[0][0]
        cells_rejected = [f"Dòng {row}, {reason[:1].lower() + reason[1:]} Ô này bị loại; điểm còn lại của tiêu chí "
                          f"vẫn được nạp." for row, reason in con.execute(
                              "SELECT _row, _cell_rejected FROM par_judged WHERE _verdict IS NULL AND _skip IS NULL "
                              "AND _cell_rejected IS NOT NULL ORDER BY _row").fetchall()]
    finally:
        drop_staging(con, ("par_recs_arrow", "par_cells_arrow"), ("par_recs_g", "par_recs_f", "par_judged",
                                                                   "par_actions"))
    return {"rows_loaded": counts.get("insert", 0), "rows_updated": counts.get("update", 0),
            "rows_unchanged": counts.get("same", 0), "rows_rejected": len(rejects),
            "rows_skipped": staged.skipped + subtotals, "rejects": rejects, "unmatched_units": unmatched,
            "unrecognized_values": [], "warnings": cells_rejected}
