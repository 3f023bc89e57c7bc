"""Data-quality facts for the Dữ liệu page: import history, rejected rows, unmatched units, freshness."""
import json


# What each import kind (import_log.kind, etl.importer.KINDS) is called wherever a user reads it.
# Every kind has its name here (tests/test_data_status_names.py holds it to etl.kinds): the import history showed
# «index766_inputs», «par_scores», «plan_tasks» to its readers.
KIND_NAMES = {"dossiers": "Hồ sơ TTHC", "ratings": "Đánh giá hồ sơ", "survey": "Phiếu khảo sát SIPAS", "units": "Danh mục đơn vị",
              "procedures": "Danh mục TTHC", "targets": "Chỉ tiêu kế hoạch",
              "successions": "Danh mục sắp xếp đơn vị", "index766_inputs": "Số liệu đầu vào chỉ số 766",
              "index766_published": "Điểm chỉ số 766 Cổng DVCQG công bố", "par_framework": "Bộ tiêu chí Chỉ số CCHC",
              "par_scores": "Điểm Chỉ số CCHC", "plan_tasks": "Kế hoạch CCHC",
              "task_progress": "Báo cáo tiến độ kế hoạch CCHC"}


def kind_name(kind: str | None) -> str:
    # A kind added to the importer later still shows (as its code) rather than as an empty cell.
    return KIND_NAMES.get(kind, kind or "")


def data_freshness(con):
    """The newest snapshot date loaded ('Số liệu đến ngày …'), or None when no dossier is loaded."""
    return con.execute("SELECT max(snapshot_date) FROM dossiers").fetchall()[0][0]


COMMAND_LINE = "lệnh trên máy chủ"   # who loaded a file that has no account: python -m etl import


def import_history(con) -> list[dict]:
    """Every load, newest first, with kind_name (the kind in Vietnamese) beside the kind code and loaded_by (the
    account that uploaded the file, or COMMAND_LINE)."""
    # loaded_by (the account of a browser upload) came after the table: a database loaded before has no such column.
    has_account = con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'import_log' "
                              "AND column_name = 'loaded_by'").fetchall()[0][0]
    rows = _dicts(con, f"""SELECT import_id, file_name, kind, snapshot_date, rows_read, rows_loaded, rows_updated,
                                  rows_unchanged, rows_rejected, rows_skipped, imported_at,
                                  {'loaded_by' if has_account else 'NULL'} AS loaded_by
                           FROM import_log ORDER BY import_id DESC""")
    return [{**r, "kind_name": kind_name(r["kind"]), "loaded_by": r["loaded_by"] or COMMAND_LINE} for r in rows]


def rejected_count(con) -> int:
    return con.execute("SELECT count(*) FROM rejected_rows").fetchall()[0][0]


def rejected_rows(con, limit: int | None = 1000, labels: dict[str, str] | None = None) -> list[dict]:
    """Rejected rows with their original values shown compactly ("Ngày tiếp nhận=31/02/2022; Mã hồ sơ=H001; …":
    the field the reason is about first, empty cells left out, each field named by labels when it has a label
    there); limit None gives them all."""
    # A dossier line rejected and then loaded from a later file (the corrected export sent again) says so: the list
    # otherwise read as if those dossiers were still missing (probe 33). By the dossier's code in the same system.
    rows = _dicts(con, """
        WITH listed AS (SELECT r.*, json_extract_string(r.original_values, '$.dossier_code') AS _code, l.source AS _source
                        FROM rejected_rows r LEFT JOIN import_log l USING (import_id)
                        ORDER BY r.file_name, r.row_number""" + (" LIMIT ?" if limit is not None else "") + """),
        -- a line rejected as a repeat of another line of its file is no missing dossier: never marked
        reloaded AS (SELECT r.import_id, r.file_name, r.sheet, r.row_number, min(lf.file_name) AS file_name_later
                     FROM listed r JOIN dossiers d ON d.dossier_code = r._code AND d.source = r._source
                                                  AND d.import_id > r.import_id
                     JOIN import_log lf ON lf.import_id = d.import_id
                     WHERE r.reason_code <> 'duplicate_in_file'
                     GROUP BY ALL)
        SELECT r.file_name, r.sheet, r.row_number, r.reason, r.field,
               CAST(r.original_values AS VARCHAR) AS original_values,
               CASE WHEN x.file_name_later IS NOT NULL THEN 'Đã nạp sau từ tệp ' || x.file_name_later ELSE '' END
                   AS reloaded
        FROM listed r LEFT JOIN reloaded x
             ON x.import_id = r.import_id AND x.file_name = r.file_name AND x.row_number = r.row_number
            AND x.sheet IS NOT DISTINCT FROM r.sheet
        ORDER BY r.file_name, r.row_number""", [limit] if limit is not None else [])
    labels = field_labels(con) if labels is None else labels
    for row in rows:
        values = json.loads(row["original_values"] or "{}")
        # The offending value leads: in a long row it would otherwise sit past what a cell shows.
        keys = sorted(values, key=lambda k: k != row["field"])
        row["original_values"] = "; ".join(f"{labels.get(k, k)}={values[k]}" for k in keys
                                           if values[k] not in (None, ""))
    return rows


def field_labels(con) -> dict[str, str]:
    """field → its Vietnamese column name, as the loader wrote them (table field_labels); {} for a database
    loaded before the table existed (the fields then show by their code)."""
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'field_labels'")
    if not exists.fetchall()[0][0]:
        return {}
    return dict(con.execute("SELECT field, label FROM field_labels").fetchall())


def unmatched_units(con) -> list[dict]:
    return _dicts(con, """SELECT unit_text, first_file, dossier_count FROM unmatched_units
                          ORDER BY dossier_count DESC, unit_text""")


def _dicts(con, sql, params=()):
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
