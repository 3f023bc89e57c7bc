"""Load survey (điều tra xã hội học) points per unit and year (year, unit, survey_points), judged in SQL against
the survey part of the unit's framework; a later file replaces a unit's points for the year."""
from __future__ import annotations

import pyarrow as pa

from etl.core.kind import SheetLoad
from etl.core.rows import record_rejects, verdict_case
from etl.core.units import attach_waiting_units, record_unmatched_units
from etl.par.scores import GROUP_NAME_SQL, POINTS_SQL, SHOWN_SQL, drop_staging, resolve_group_sql
from etl.par.staging import cell_at, column_of, data_rows, is_blank, place_of, sheet_defaults, text_of, year_of
from etl.par.vocab import is_total_text, peer_group_of

__all__ = ["load_survey_points"]

_RULES = (
    ("missing_unit", "unit", "unit IS NULL", "'thiếu đơn vị.'"),
    ("missing_year", "year", "year IS NULL", "'thiếu năm đánh giá (cột «Năm» hoặc «NĂM 2022» trong tiêu đề).'"),
    ("no_framework", None, "_group IS NULL",
     "'không xác định được bộ tiêu chí để đối chiếu: chưa nạp bộ tiêu chí năm ' || year || ' cho nhóm của đơn vị «' "
     "|| unit || '».'"),
    ("no_survey_part", "survey_points", "_max IS NULL",
     f"'bộ tiêu chí năm ' || year || ' (' || {GROUP_NAME_SQL.format(g='_group')} || ') không có tiêu chí điều tra xã "
     "hội học nào.'"),
    ("bad_number", "survey_points", "_num IS NULL", "place || ': điểm «' || coalesce(v, '') || '» không phải số.'"),
    ("negative", "survey_points", "_num < 0", "place || ': điểm âm (' || v || ').'"),
    ("above_max", "survey_points", "_num > _max + 1e-9",
     f"place || ': điểm ' || v || ' vượt tổng điểm tối đa ' || {SHOWN_SQL('_max')}"
     " || ' của phần điều tra xã hội học.'"),
)
# The survey part of a framework: its leaves scored by the survey.
_SURVEY_MAX = """(SELECT sum(f.max_points) FROM par_framework f WHERE f.year = s.year AND f.peer_group = s._group
    AND f.method = 'survey' AND NOT EXISTS (SELECT 1 FROM par_framework c WHERE c.year = f.year
        AND c.peer_group = f.peer_group AND c.parent_code = f.code))"""


def _stage(sheet: SheetLoad) -> tuple[pa.Table, int]:
    match, (year, group) = sheet.match, sheet_defaults(sheet)
    cols = {f: column_of(match, f) for f in ("year", "peer_group", "unit", "survey_points")}
    records, skipped = [], 0
    for row, cells in data_rows(sheet):
        get = {f: text_of(cell_at(cells, j)) for f, j in cols.items()}
        first = next((c for c in cells if c not in (None, "")), None)
        if is_blank(cells) or is_total_text(first) or (get["unit"] is None and get["survey_points"] is None):
            skipped += 1
            continue
        records.append({"_row": row, "unit": get["unit"], "year": year_of(get["year"], year),
                        "hint": peer_group_of(get["peer_group"]) if get["peer_group"] else group,
                        "v": get["survey_points"], "place": place_of(cols["survey_points"], row)})
    schema = pa.schema([("_row", pa.int64()), ("unit", pa.string()), ("year", pa.int64()), ("hint", pa.string()),
                        ("v", pa.string()), ("place", pa.string())])
    return pa.Table.from_pylist(records, schema=schema), skipped


def load_survey_points(con, sheet: SheetLoad) -> dict:
    """Loads one sheet of survey points inside the caller's transaction; returns its counts."""
    table, skipped = _stage(sheet)
    con.register("par_survey_arrow", table)
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE par_survey_g AS
            SELECT s.*, unit_code_of(s.unit) AS unit_code, {POINTS_SQL} AS _num FROM par_survey_arrow s""")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE par_survey_judged AS
            WITH g AS (SELECT s.*, {resolve_group_sql('s')} AS _group FROM par_survey_g s),
            m AS (SELECT s.*, {_SURVEY_MAX} AS _max, coalesce(s.unit_code, 'text:' || norm_key(s.unit)) AS _identity
                  FROM g s)
            SELECT *, {verdict_case(_RULES)} AS _verdict FROM m""")
        con.execute("""UPDATE par_survey_judged j SET _verdict = 'duplicate_in_file|unit|đơn vị «' || j.unit
                || '» đã có điểm điều tra năm ' || j.year || ' ở dòng ' || d.first_row || '.'
            FROM (SELECT _row, min(_row) OVER (PARTITION BY year, _identity) AS first_row,
                         row_number() OVER (PARTITION BY year, _identity ORDER BY _row) AS n
                  FROM par_survey_judged WHERE _verdict IS NULL) d WHERE d._row = j._row AND d.n > 1""")
        rejects = record_rejects(con, "par_survey_judged", "_verdict",
                                 "'unit', unit, 'year', CAST(year AS VARCHAR), 'survey_points', v",
                                 import_id=sheet.import_id, file_name=sheet.file_name, sheet=sheet.grid.sheet,
                                 where="_verdict IS NOT NULL")
        con.execute("""CREATE OR REPLACE TEMP TABLE par_survey_actions AS
            SELECT j.*, j.unit AS unit_text, CASE
                WHEN NOT EXISTS (SELECT 1 FROM par_survey_points p WHERE p.year = j.year
                    AND coalesce(p.unit_code, 'text:' || norm_key(p.unit_text)) = j._identity) THEN 'insert'
                WHEN EXISTS (SELECT 1 FROM par_survey_points p WHERE p.year = j.year AND p.peer_group = j._group
                    AND coalesce(p.unit_code, 'text:' || norm_key(p.unit_text)) = j._identity
                    AND p.survey_points = j._num) THEN 'same'
                ELSE 'update' END AS action
            FROM par_survey_judged j WHERE _verdict IS NULL""")
        con.execute("""DELETE FROM par_survey_points p USING par_survey_actions a WHERE a.action = 'update'
                       AND p.year = a.year AND coalesce(p.unit_code, 'text:' || norm_key(p.unit_text)) = a._identity""")
        con.execute("""INSERT INTO par_survey_points SELECT year, _group, unit, unit_code, _num, ?, _row
                       FROM par_survey_actions WHERE action <> 'same'""", [sheet.import_id])
        counts = dict(con.execute("SELECT action, count(*) FROM par_survey_actions GROUP BY 1").fetchall())
        attach_waiting_units(con, "par_survey_points")
        unmatched = record_unmatched_units(con, "par_survey_actions", sheet.file_name)
    finally:
        drop_staging(con, ("par_survey_arrow",), ("par_survey_g", "par_survey_judged", "par_survey_actions"))
    return {"rows_loaded": counts.get("insert", 0), "rows_updated": counts.get("update", 0),
            "rows_unchanged": counts.get("same", 0), "rows_rejected": len(rejects), "rows_skipped": skipped,
            "rejects": rejects, "unmatched_units": unmatched, "unrecognized_values": [], "warnings": []}
