"""Load a sheet of dossier ratings: each line's rating kept by dossier code (dossier_ratings), and the dossiers already
stored given it through the same replace-and-track path a newer export takes, so every figure over ratings (the
rated share, the 766 index's satisfaction) follows, incrementally. In SQL: every line loaded, skipped or rejected."""
from common.formats import vn_int
from etl.core.date_checks import impossible_day_sql
from etl.core.errors import ImportFailure
from etl.core.rows import SIGNATURE_LINE, SKIP_BLANK_AND_TOTALS, code_like_sql, field_sql, first_cell_sql, \
    nonempty_sql, record_rejects, registered_grid, verdict_case
from etl.dossiers.load import BUSINESS_COLUMNS
from etl.ratings.fields import FIELD_LABELS, REQUIRED
from etl.surveys.sql import where_sql
from model.incremental import note_dossier_changes

# The words a rating may be written in (etl/vocab/values.csv, field 'rating'), said when a cell holds another.
_WORDS = "Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Rất không hài lòng, hoặc điểm 1–5"

_RULES = (
    ("missing_dossier_code", "dossier_code", "dossier_code IS NULL", "thiếu mã hồ sơ."),
    ("unknown_rating", "rating", "_rating IS NULL",
     f"mức độ hài lòng «' || rating_text || '» không nhận ra (ghi {_WORDS})."),
    ("bad_date", "rated_at", f"rated_text IS NOT NULL AND _rated IS NULL AND {impossible_day_sql('rated_text')}",
     "ngày đánh giá «' || rated_text || '» không có thật (hãy kiểm tra ngày và tháng)."),
    ("bad_date", "rated_at", "rated_text IS NOT NULL AND _rated IS NULL",
     "ngày đánh giá «' || rated_text || '» không đọc được (cần dạng ngày/tháng/năm)."),
)


def _staging_sql(match, grid_columns: list[str]) -> str:
    code, rating, rated = (field_sql(match, f) for f in ("dossier_code", "rating", "rated_at"))
    # a line with a code and an empty rating: the dossier was not rated (an export of every dossier, rated or not)
    return f"""
    SELECT *, CASE {SKIP_BLANK_AND_TOTALS}
                   WHEN NOT {code_like_sql('dossier_code')} AND ({SIGNATURE_LINE}) THEN 'footer'
                   WHEN rating_text IS NULL AND regexp_matches(dossier_code, '\\d')
                        AND NOT regexp_matches(dossier_code, '\\s') THEN 'unrated'
                   WHEN rating_text IS NULL THEN 'footer' END AS _skip,
              {verdict_case((c, f, cond, where_sql(msg)) for c, f, cond, msg in _RULES)} AS _verdict
    FROM (SELECT _row, {code} AS dossier_code, {rating} AS rating_text, {rated} AS rated_text,
                 (SELECT canonical FROM vocab_values v WHERE v.field = 'rating' AND v.word = norm_key({rating})) AS _rating,
                 parse_ts({rated}) AS _rated,
                 {nonempty_sql(grid_columns)} AS _nonempty, norm_key({first_cell_sql(grid_columns)}) AS _first_key
          FROM grid WHERE _pos > $header)"""


def load_ratings_sheet(con, grid, match, *, import_id: int, file_name: str, source: str) -> dict:
    """Loads one sheet of ratings inside the caller's transaction; returns its counts (cli.md's --json)."""
    missing = [f for f in REQUIRED if f not in match.columns]
    if missing:
        raise ImportFailure(f"Tệp {file_name}: thiếu cột " + ", ".join(f"«{FIELD_LABELS[f]}»" for f in missing)
                            + " của tệp đánh giá hồ sơ (cần «Mã hồ sơ» và «Mức độ hài lòng»), nên không nạp dòng nào.")
    with registered_grid(con, grid):
        con.execute(f"CREATE OR REPLACE TEMP TABLE rt_staged AS {_staging_sql(match, list(grid.table.column_names))}",
                    {"header": match.header_index, "sheet": grid.sheet})
    # A dossier rated twice in the file (rated again): the latest rating counts, the other line is set aside naming it.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE rt_judged AS
        SELECT *, coalesce(_verdict, CASE WHEN _rank > 1 THEN 'duplicate_in_file||' || {where_sql(
            "mã hồ sơ trùng với dòng ' || _kept || ' (giữ dòng ' || _kept || ': đánh giá sau hơn hoặc ghi sau).")} END) AS _why
        FROM (SELECT *, row_number() OVER w AS _rank, first_value(_row) OVER w AS _kept FROM rt_staged
              WHERE _skip IS NULL
              WINDOW w AS (PARTITION BY CASE WHEN _verdict IS NULL THEN dossier_code END
                           ORDER BY _rated DESC NULLS LAST, _row DESC))""", {"sheet": grid.sheet})
    rejects = record_rejects(con, "rt_judged", "_why", "'dossier_code', dossier_code, 'rating', rating_text, "
                             "'rated_at', rated_text", import_id=import_id, file_name=file_name, sheet=grid.sheet,
                             where="_why IS NOT NULL")
    con.execute("""CREATE OR REPLACE TEMP TABLE rt_actions AS
        SELECT ? AS source, j.dossier_code, j._rating AS rating, j._rated AS rated_at, ? AS import_id,
               j._row AS row_number,
               CASE WHEN r.dossier_code IS NULL THEN 'insert'
                    WHEN r.rating = j._rating AND r.rated_at IS NOT DISTINCT FROM j._rated THEN 'same'
                    ELSE 'update' END AS action
        FROM rt_judged j LEFT JOIN dossier_ratings r ON r.source = ? AND r.dossier_code = j.dossier_code
        WHERE j._why IS NULL""", [source, import_id, source])
    con.execute("""INSERT OR REPLACE INTO dossier_ratings
        SELECT source, dossier_code, rating, rated_at, import_id, row_number FROM rt_actions WHERE action <> 'same'""")
    counts = dict(con.execute("SELECT action, count(*) FROM rt_actions GROUP BY 1").fetchall())
    rated, matched = _rate_stored_dossiers(con, source)
    skipped = dict(con.execute("SELECT _skip, count(*) FROM rt_staged WHERE _skip IS NOT NULL GROUP BY 1").fetchall())
    kept = sum(counts.values())
    notes = [f"{vn_int(matched)} trong {vn_int(kept)} hồ sơ được đánh giá đã có trong CSDL (nguồn «{source}»); "
             f"{vn_int(rated)} hồ sơ đổi mức độ hài lòng theo tệp này."]
    if kept > matched:
        notes.append(f"{vn_int(kept - matched)} mã hồ sơ chưa có trong CSDL: đánh giá được giữ và áp vào hồ sơ khi tệp "
                     "hồ sơ của chúng được nạp (kiểm tra --source nếu hồ sơ đã nạp với tên hệ thống khác).")
    if skipped.get("unrated"):
        notes.append(f"{vn_int(skipped['unrated'])} dòng có mã hồ sơ nhưng ô mức độ hài lòng trống (hồ sơ chưa được "
                     "đánh giá): bỏ qua.")
    for table in ("rt_staged", "rt_judged", "rt_actions"):
        con.execute(f"DROP TABLE {table}")
    return {"rows_loaded": counts.get("insert", 0), "rows_updated": counts.get("update", 0),
            "rows_unchanged": counts.get("same", 0), "rows_rejected": len(rejects),
            "rows_skipped": sum(skipped.values()), "rejects": rejects, "unmatched_units": [],
            "unrecognized_values": [], "warnings": [], "notes": notes, "dossiers_rated": rated}


# The hash a dossier export's load gives the row (etl/dossiers/load.py): over what the export said, so a derived due
# date is the export's empty one; the rating is the one this file gives.
def _export_hash_sql() -> str:
    said = {"due_at": "CASE WHEN d.is_due_derived THEN NULL ELSE d.due_at END", "is_due_derived": "false",
            "rating": "r.rating"}
    return "hash(" + ", ".join(said.get(c, f"d.{c}") for c in BUSINESS_COLUMNS) + ")"


def _rate_stored_dossiers(con, source: str) -> tuple[int, int]:
    """(dossiers whose rating changed, dossiers of this file already stored): each changed row is replaced whole,
    as a newer export replaces it, so the aggregate tables take its old contribution out and its new one in."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE rt_changed AS
        SELECT d.rowid AS old_rowid, d.source, d.dossier_code, d.snapshot_date, d.row_hash,
               r.rating AS new_rating, {_export_hash_sql()} AS new_hash
        FROM rt_actions a JOIN dossier_ratings r ON r.source = a.source AND r.dossier_code = a.dossier_code
        JOIN dossiers d ON d.source = a.source AND d.dossier_code = a.dossier_code
        WHERE d.rating IS DISTINCT FROM r.rating""")
    matched = con.execute("""SELECT count(*) FROM rt_actions a JOIN dossiers d
                             ON d.source = a.source AND d.dossier_code = a.dossier_code""").fetchall()[0][0]
    changed = con.execute("SELECT count(*) FROM rt_changed").fetchall()[0][0]
    if changed:
        written = """SELECT d.* REPLACE (c.new_rating AS rating, c.new_hash AS row_hash)
                     FROM dossiers d JOIN rt_changed c ON d.rowid = c.old_rowid"""
        con.execute(f"CREATE OR REPLACE TEMP TABLE rt_written AS {written}")
        note_dossier_changes(con, "SELECT * FROM rt_written",
                             "SELECT old_rowid, source, dossier_code, snapshot_date, row_hash FROM rt_changed")
        con.execute("DELETE FROM dossiers WHERE rowid IN (SELECT old_rowid FROM rt_changed)")
        con.execute("INSERT INTO dossiers BY NAME SELECT * FROM rt_written")
        con.execute("DROP TABLE rt_written")
    con.execute("DROP TABLE rt_changed")
    return changed, matched
