"""Data-quality facts for the Dữ liệu page: import history, rejected rows, unmatched units, freshness."""
import json


def data_freshness(con):
    """The newest snapshot date loaded ('Số liệu đến ngày …'), or None when no dossier is loaded."""
    return con.execute("SELECT max(snapshot_date) FROM dossiers").fetchall()[0][0]


def import_history(con) -> list[dict]:
    return _dicts(con, """SELECT import_id, file_name, kind, snapshot_date, rows_read, rows_loaded, rows_updated,
                                 rows_unchanged, rows_rejected, rows_skipped, imported_at
                          FROM import_log ORDER BY import_id DESC""")


def rejected_rows(con, limit: int = 1000) -> list[dict]:
    """Rejected rows with their original values shown compactly (empty cells left out)."""
    rows = _dicts(con, """SELECT file_name, sheet, row_number, reason, CAST(original_values AS VARCHAR) AS original_values
                          FROM rejected_rows ORDER BY file_name, row_number LIMIT ?""", [limit])
    for row in rows:
        values = json.loads(row["original_values"] or "{}")
        row["original_values"] = "; ".join(f"{k}={v}" for k, v in values.items() if v not in (None, ""))
    return rows


def unmatched_units(con) -> list[dict]:
    return _dicts(con, "SELECT unit_text, first_file, dossier_count FROM unmatched_units ORDER BY dossier_count DESC")


def _dicts(con, sql, params=()):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
