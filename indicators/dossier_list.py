"""The late and overdue dossiers behind the period table, one row each, for an inspection visit (list, detail;
the workbook: exports/late_dossiers.py)."""
from __future__ import annotations

from typing import Any

from common.formats import vn_date, vn_datetime, vn_int
from model.facts import DOSSIER_FACTS_SQL, IS_LATE_SQL
from model.freshness import aggregates_are_fresh
from model.late_rows import LIST_ROWS_SQL
from model.measures import UNKNOWN_FLAG_VI

from .database_state import database_state
from .periods import Period
from .scope import resolve_unit, scope_and_tree_sql

__all__ = ["KINDS", "SORT_COLUMNS", "STATUS_NAMES_VI", "list_late_dossiers", "get_dossier_detail"]

KINDS = ("resolved_late", "pending_overdue", "both")
KIND_NAMES_VI = {"resolved_late": "Đã giải quyết quá hạn", "pending_overdue": "Đang giải quyết quá hạn"}

# The national synchronization status list (dossiers.md).
STATUS_NAMES_VI = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ", 6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý", 9: "Đã xử lý xong", 10: "Đã trả kết quả",
}

# Sortable columns: the key a caller passes → a fixed SQL expression over `picked`. Nothing else reaches the SQL.
SORT_COLUMNS = {
    "days_late": "days_late", "dossier_code": "dossier_code", "unit_name": "unit_name",
    "procedure_code": "procedure_code", "procedure_name": "procedure_name", "field": "field",
    "received_date": "received_date", "due_date": "due_date", "finished_date": "finished_date",
    "supplement_count": "supplement_count", "apology_issued": "apology_issued", "status": "status_code",
    "kind": "kind",
}

# The rows come from late_dossier_rows, stored at load for the dossiers that can be late, or, while the aggregate
# tables are stale, from the same row SQL over every dossier (model/late_rows.py).
# The §1 rules as the engine applies them (F, "late" from model/facts.py): dossiers closed before P0 or received
# after P1 dropped; "resolved late" when F ∈ [P0, P1] and the dossier is late (not a return; F > due or sent
# back for papers more than once); "pending overdue" when F is empty or after P1 and due < P1.
# Parameters: $p0, $p1 (DATE), $scope (unit code or NULL), $group_level (always NULL here) and the filter
# values (NULL = no filter).
_LATE_SQL = scope_and_tree_sql() + """,
base AS (
    SELECT * FROM {rows} b
    WHERE b.received_date <= $p1
      AND (b.finished_date IS NULL OR b.finished_date >= $p0)
      AND ($scope IS NULL OR b.unit_code IN (SELECT unit_code FROM scope_units))
),
flagged AS (
    SELECT *,
        CASE
            WHEN coalesce(f_date <= $p1, false) THEN                 -- closed in the period
                CASE WHEN {is_late} THEN 'resolved_late' END
            WHEN coalesce(due_date < $p1, false) THEN 'pending_overdue'
        END AS kind
    FROM base
),
late AS (
    SELECT *,
        -- Calendar days past the due date: to F when resolved (0 when late only by the supplement rule),
        -- to the period end when still pending; none without a due date (late by supplements only).
        CASE WHEN due_date IS NULL THEN NULL
             WHEN kind = 'resolved_late' THEN greatest(finished_date - due_date, 0)
             ELSE $p1::DATE - due_date END AS days_late
    FROM flagged
    WHERE kind IS NOT NULL
),
picked AS (
    SELECT * FROM late
    WHERE ($kind = 'both' OR kind = $kind)
      AND ($field IS NULL OR field = $field)
      AND ($procedure IS NULL OR procedure_key = $procedure)
      -- a dossier whose file says nothing of the letter is neither «có» nor «chưa có», as apology_rate leaves it out
      -- of its denominator (probe 24: an inspection pack asked a unit for letters its exports never recorded)
      AND ($apology IS NULL OR apology_issued = $apology)
      AND ($min_days IS NULL OR coalesce(days_late, 0) >= $min_days)
),
counts AS (   -- an aggregate, not count(*) OVER (): the window version took seconds on a year of a city
    SELECT count(*) AS n_all,
        count(*) FILTER (WHERE kind = 'resolved_late') AS n_resolved_late,
        count(*) FILTER (WHERE kind = 'pending_overdue') AS n_pending_overdue
    FROM picked
)
SELECT page.*, counts.*
FROM (SELECT source, dossier_code, unit_code, unit_name, procedure_code, procedure_name, field, received_date,
             due_date, finished_date, days_late, supplement_count, apology_issued, status_code, status_text, kind
      FROM picked ORDER BY {order} {limit}) page, counts
ORDER BY {order}"""

_ROW_KEYS = ("source", "dossier_code", "unit_code", "unit_name", "procedure_code", "procedure_name", "field",
             "received_date", "due_date", "finished_date", "days_late", "supplement_count", "apology_issued",
             "status_code", "status_text", "kind")


def _status_vi(code, text) -> str | None:
    return STATUS_NAMES_VI.get(code, text) if code is not None else text


def list_late_dossiers(con, period: Period, unit: str | None = None, *, field: str | None = None,
                       procedure: str | None = None, min_days_late: int | None = None,
                       apology: bool | None = None, kind: str = "both", sort: str = "days_late",
                       descending: bool = True, limit: int | None = 100, offset: int = 0) -> dict:
    """Late dossiers of the period in the unit's subtree (unit code or name; None = all, unmatched units too);
    procedure: one procedure by the key the period table groups on (its code, else its name).

    Returns {"from", "to", "unit", "unit_name", "kind", "total_count", "counts": {"resolved_late",
    "pending_overdue"}, "rows": [...]}; counts are over every matching row, rows are one page of them (limit None:
    all). A row: source, dossier_code, unit_code, unit_name, procedure_code, procedure_name, field,
    received_date, due_date, finished_date (datetime.date or None), days_late (int, None without a due date),
    supplement_count, apology_issued (True/False/None), status_code, status (Vietnamese), kind
    ('resolved_late' | 'pending_overdue'), kind_name (Vietnamese).
    """
    if kind not in KINDS:
        raise ValueError(f"Loại hồ sơ không hợp lệ: '{kind}'. Chọn một trong: {', '.join(KINDS)}")
    if sort not in SORT_COLUMNS:
        raise ValueError(f"Không sắp xếp được theo '{sort}'. Chọn một trong: {', '.join(SORT_COLUMNS)}")
    for name, value in (("limit", limit), ("offset", offset), ("min_days_late", min_days_late)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ValueError(f"Tham số {name} phải là số nguyên không âm (nhận được {value!r}).")
    scope, scope_name = (resolve_unit(con, unit)[:2] if unit else (None, "Toàn thành phố"))
    direction = "DESC" if descending else "ASC"
    # Ties broken by source and code so that pages never repeat or skip a dossier.
    order = f"{SORT_COLUMNS[sort]} {direction} NULLS LAST, source, dossier_code"
    rows_sql = ("late_dossier_rows" if aggregates_are_fresh(con, database_state(con))
                else f"({LIST_ROWS_SQL.format(facts=f'({DOSSIER_FACTS_SQL})')})")
    sql = _LATE_SQL.format(rows=rows_sql, is_late=IS_LATE_SQL, order=order,
                           limit="" if limit is None else "LIMIT $limit OFFSET $offset")
    params: dict[str, Any] = {"p0": period.start, "p1": period.end, "scope": scope, "group_level": None, "kind": kind,
                              "field": field, "procedure": procedure, "apology": apology, "min_days": min_days_late}
    if limit is not None:
        params.update(limit=limit, offset=offset)
    records = con.execute(sql, params).fetchall()
    total, n_late, n_overdue = records[0][-3:] if records else (0, 0, 0)
    if not records and offset:   # a page past the end still reports the totals: same query, first row only
        every = con.execute(_LATE_SQL.format(rows=rows_sql, is_late=IS_LATE_SQL, order="dossier_code",
                                             limit="LIMIT 1"),
                            {k: v for k, v in params.items() if k not in ("limit", "offset")}).fetchall()
        total, n_late, n_overdue = every[0][-3:] if every else (0, 0, 0)
    rows = []
    for rec in records:
        row = dict(zip(_ROW_KEYS, rec[:len(_ROW_KEYS)]))
        row["status"] = _status_vi(row["status_code"], row.pop("status_text"))
        row["kind_name"] = KIND_NAMES_VI[row["kind"]]
        rows.append(row)
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "unit": scope, "unit_name": scope_name,
            "kind": kind, "total_count": int(total),
            "counts": {"resolved_late": int(n_late), "pending_overdue": int(n_overdue)}, "rows": rows}


# ---------------------------------------------------------------------------------------------------------
# One dossier, every stored field with a Vietnamese label (the table holds no personal data: dropped on read).

_DETAIL_FIELDS = [  # (column, label, kind of value)
    ("source", "Hệ thống nguồn", "source"),
    ("dossier_code", "Mã hồ sơ", "text"),
    ("unit_text", "Đơn vị (theo tệp xuất)", "text"),
    ("unit_code", "Mã đơn vị", "text"),
    ("unit_name", "Tên đơn vị (danh mục)", "text"),
    ("procedure_code", "Mã TTHC", "text"),
    ("procedure_name", "Tên TTHC", "text"),
    ("field_name", "Lĩnh vực", "text"),
    ("channel", "Hình thức nộp", "channel"),
    ("online_level", "Mức độ DVCTT", "online_level"),
    ("submitted_at", "Ngày nộp", "datetime"),
    ("received_at", "Ngày tiếp nhận", "datetime"),
    ("due_at", "Ngày hẹn trả", "datetime"),
    ("is_due_derived", "Ngày hẹn trả tính từ thời hạn giải quyết của TTHC", "flag"),
    ("finished_at", "Ngày có kết quả", "datetime"),
    ("returned_at", "Ngày trả kết quả", "datetime"),
    ("status_code", "Trạng thái", "status"),
    ("status_text", "Trạng thái (theo tệp xuất)", "text"),
    ("result_type", "Loại kết quả", "result_type"),
    ("supplement_count", "Số lần yêu cầu bổ sung", "int"),
    ("fee_amount", "Phí, lệ phí (đồng)", "money"),
    ("is_paid_online", "Thanh toán trực tuyến", "flag"),
    ("is_digitized", "Số hóa hồ sơ", "flag"),
    ("has_e_result", "Kết quả điện tử", "flag"),
    ("is_data_reused", "Tái sử dụng dữ liệu số hóa", "flag"),
    ("is_synced_national", "Đồng bộ Cổng DVCQG", "flag"),
    ("is_apology_issued", "Phiếu xin lỗi", "flag"),
    ("rating", "Đánh giá", "rating"),
    ("applicant_type", "Loại đối tượng", "text"),
    ("snapshot_date", "Số liệu đến ngày", "date"),
    ("file_name", "Tệp nhập", "text"),
    ("row_number", "Dòng trong tệp", "int"),
]
# Columns not read straight from the dossier row; procedure name and field fall back to the catalogue, as in
# the list and the figures.
_DETAIL_EXPR = {"unit_name": "u.unit_name", "file_name": "l.file_name",
                "procedure_name": "coalesce(d.procedure_name, p.procedure_name)",
                "field_name": "coalesce(d.field_name, p.field_name)"}
_VALUE_NAMES_VI = {
    # The source every load gets when the loader names none (etl import without --source): words for it, neither
    # the word "default" nor the command's option.
    "source": {"default": "Không ghi hệ thống nguồn khi nạp"},
    "channel": {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"},
    "online_level": {"full": "Toàn trình", "partial": "Một phần", "none": "Không cung cấp DVCTT"},
    "result_type": {"result": "Kết quả", "returned": "Trả lại/Xin rút"},
    "rating": {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "neutral": "Bình thường",
               "dissatisfied": "Không hài lòng", "very_dissatisfied": "Rất không hài lòng"},
}


def _text(kind: str, value) -> str:
    if value is None:
        # a yes/no field is NULL only when the export had no such column (model/measures.py): not "no"
        return UNKNOWN_FLAG_VI if kind == "flag" else "–"
    if kind == "datetime":
        return vn_datetime(value) if (value.hour, value.minute) != (0, 0) else vn_date(value)
    if kind == "date":
        return vn_date(value)
    if kind == "flag":
        return "Có" if value else "Không"
    if kind in ("int", "money"):
        return vn_int(value)
    if kind == "status":
        # the name only: the one-stop system's number (9, 10…) means nothing to a reader
        return STATUS_NAMES_VI.get(value) or f"Trạng thái khác (số {value} trong tệp xuất)"
    if kind in _VALUE_NAMES_VI:
        return _VALUE_NAMES_VI[kind].get(value, str(value))
    return str(value)


def get_dossier_detail(con, source: str, dossier_code: str, units=None) -> dict | None:
    """One dossier by (source, code): {"source", "dossier_code", "fields": [{"field", "label", "value", "text"}]}
    in a fixed order (value as stored, text as shown in Vietnamese); None when there is no such dossier, or when
    `units` (codes a viewer may see; None: every unit) does not hold the dossier's unit."""
    cols = ", ".join(_DETAIL_EXPR.get(c, f"d.{c}") for c, _, _ in _DETAIL_FIELDS)
    rows = con.execute(f"""SELECT {cols} FROM dossiers d
                           LEFT JOIN units u ON u.unit_code = d.unit_code
                           LEFT JOIN procedures p ON p.procedure_code = d.procedure_code
                           LEFT JOIN import_log l ON l.import_id = d.import_id
                           WHERE d.source = $source AND d.dossier_code = $code
                             AND ($units IS NULL OR list_contains($units, d.unit_code))""",
                       {"source": source, "code": dossier_code,
                        "units": None if units is None else sorted(units)}).fetchall()
    if not rows:
        return None
    fields = [{"field": c, "label": label, "value": v, "text": _text(kind, v)}
              for (c, label, kind), v in zip(_DETAIL_FIELDS, rows[0])]
    return {"source": source, "dossier_code": dossier_code, "fields": fields}
