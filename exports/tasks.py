"""Writers for the plan tasks' figures (indicators/tasks.py): JSON, flat CSV, and a workbook of five sheets —
progress per group with the total, overdue tasks, changes since the previous report, unreadable deadlines and
report lines no task was found for."""
from __future__ import annotations

import json
from datetime import date

from common.formats import vn_date
from common.workbook import (COUNT, STYLES, csv_text, header_row, new_workbook, percent_format, print_a4_landscape,
                             put_cell, safe_sheet_title, save_workbook, title_rows, write_cell)
from indicators.tasks import BUCKET_NAMES, GROUP_TITLES, UNMATCHED_REASONS

__all__ = ["tasks_to_json", "tasks_to_csv", "write_tasks_xlsx"]
CSV_KEYS = ("key", "name", "tasks", "done", "done_on_time", "done_late", "under_way", "overdue", "recurring",
            "targets", "targets_done", "unreadable_deadlines", "done_rate", "targets_overdue", "report_date",
            "previous_report_date", "done_previous", "overdue_previous", "sentence")
PERCENT = percent_format(2)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def tasks_to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2, default=_plain)


def tasks_to_csv(result: dict) -> str:
    """One line per group, then the total; dates ISO, done_rate an unrounded fraction."""
    rows = result["rows"] + ([result["total"]] if result["total"] else [])
    return csv_text(list(CSV_KEYS), [[_plain(r.get(k)) for k in CSV_KEYS] for r in rows])


# (key, header, width, kind): kind int | percent | date | text
_SUMMARY = [("name", None, 38, "text"), ("tasks", "Số nhiệm vụ", 11, "int"), ("done", "Đã hoàn thành", 11, "int"),
            ("done_on_time", "Trong đó đúng hạn", 11, "int"), ("done_late", "Trong đó trễ hạn", 11, "int"),
            ("under_way", "Đang thực hiện, còn hạn", 12, "int"), ("overdue", "Quá hạn", 10, "int"),
            ("recurring", "Thường xuyên", 11, "int"), ("done_rate", "Tỷ lệ hoàn thành", 12, "percent"),
            ("targets", "Số chỉ tiêu", 10, "int"), ("targets_done", "Chỉ tiêu đã hoàn thành", 11, "int"),
            ("unreadable_deadlines", "Thời hạn không đọc được", 12, "int"),
            ("report_date", "Báo cáo mới nhất", 12, "date"), ("sentence", "Tiến độ", 60, "text")]
_OVERDUE = [("unit", "Đơn vị ban hành", 30, "text"), ("code", "Mã / STT", 9, "text"), ("task", "Nhiệm vụ", 60, "text"),
            ("lead_unit", "Cơ quan chủ trì", 26, "text"), ("deadline_text", "Thời hạn ghi trong kế hoạch", 18, "text"),
            ("deadline", "Hạn hoàn thành", 12, "date"), ("days_overdue", "Số ngày quá hạn", 11, "int")]
_CHANGES = [("unit", "Đơn vị ban hành", 30, "text"), ("code", "Mã / STT", 9, "text"), ("task", "Nhiệm vụ", 60, "text"),
            ("previous_report", "Báo cáo trước", 12, "date"), ("previous_name", "Khi đó", 22, "text"),
            ("report", "Báo cáo mới nhất", 12, "date"), ("now_name", "Nay", 22, "text")]
_UNREADABLE = [("unit", "Đơn vị ban hành", 30, "text"), ("code", "Mã / STT", 9, "text"),
               ("task", "Nhiệm vụ", 60, "text"), ("deadline_text", "Thời hạn ghi trong kế hoạch", 26, "text"),
               ("lead_unit", "Cơ quan chủ trì", 26, "text"), ("file_name", "Tệp", 24, "text"),
               ("row_number", "Dòng", 7, "int")]
_UNMATCHED = [("unit", "Đơn vị báo cáo", 30, "text"), ("report_date", "Ngày báo cáo", 12, "date"),
              ("file", "Tệp", 24, "text"), ("sheet", "Trang", 14, "text"), ("row", "Dòng", 7, "int"),
              ("code", "Mã / STT", 9, "text"), ("task", "Nội dung", 50, "text"),
              ("status_text", "Tình trạng", 18, "text"), ("reason_name", "Lý do", 40, "text")]


def _value(kind: str, value):
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _sheet(ws, title: str, subtitle: str, columns: list, rows: list[dict], total: dict | None = None) -> None:
    """A titled table: STT, then the columns; the total row (if any) in bold; A4 landscape, header repeated."""
    ncol = len(columns) + 1
    title_rows(ws, ncol, [(title, STYLES.title), (subtitle, STYLES.small_italic)])
    head = 4
    header_row(ws, head, [("STT", 6)] + [(h, w) for _, h, w, _ in columns], height=45)
    records = rows + ([total] if total else [])
    for i, r in enumerate(records, start=1):
        is_total = total is not None and i == len(records)
        font = STYLES.bold if is_total else STYLES.normal
        write_cell(ws, head + i, 1, "" if is_total else i, font=font, border=STYLES.border, align=STYLES.center)
        for j, (key, _, _, kind) in enumerate(columns, start=2):
            fmt = {"int": COUNT, "percent": PERCENT, "date": "dd/mm/yyyy"}.get(kind)
            put_cell(ws, head + i, j, _value(kind, r.get(key)), fmt, font=font, border=STYLES.border,
                     align=STYLES.left if kind == "text" else None, blank_align=STYLES.center,
                     dash_when_none=kind == "percent")
    ws.freeze_panes = f"C{head + 1}"
    print_a4_landscape(ws, f"{head}:{head}", centered=False)


def write_tasks_xlsx(result: dict, path, scope_name: str | None = None) -> None:
    """The workbook of `python -m indicators tasks --format xlsx` and of the page's download (path: a file name or
    a binary file)."""
    as_of = vn_date(date.fromisoformat(result["as_of"]))
    scope = f" – {scope_name}" if scope_name else ""
    by = GROUP_TITLES.get(result["by"], "Đơn vị")
    subtitle = f"Tính đến ngày {as_of} (báo cáo tiến độ đến ngày này){scope} · theo {by.lower()}"
    wb, ws = new_workbook("Tổng hợp")
    summary = [(k, h or by, w, kind) for k, h, w, kind in _SUMMARY]
    _sheet(ws, f"TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {result['year']}", subtitle, summary,
           result["rows"], {**(result["total"] or {}), "name": (result["total"] or {}).get("name", "Tổng cộng")}
           if result["total"] else None)
    changes = [{**c, "previous_name": BUCKET_NAMES.get(c["previous"]), "now_name": BUCKET_NAMES.get(c["now"])}
               for c in result["changes"]]
    unmatched = [{**u, "reason_name": UNMATCHED_REASONS.get(u["reason"], u["reason"])} for u in result["unmatched"]]
    for name, title, columns, rows in (
            ("Quá hạn", "NHIỆM VỤ QUÁ HẠN, CHƯA HOÀN THÀNH", _OVERDUE, result["overdue"]),
            ("Thay đổi", "THAY ĐỔI SO VỚI BÁO CÁO TRƯỚC", _CHANGES, changes),
            ("Thời hạn không rõ", "NHIỆM VỤ CÓ THỜI HẠN KHÔNG ĐỌC ĐƯỢC (TÍNH LÀ ĐANG THỰC HIỆN)", _UNREADABLE,
             result["unreadable"]),
            ("Dòng chưa khớp", "DÒNG BÁO CÁO TIẾN ĐỘ KHÔNG KHỚP NHIỆM VỤ NÀO", _UNMATCHED, unmatched)):
        _sheet(wb.create_sheet(safe_sheet_title(name)), title, subtitle, columns, rows)
    save_workbook(wb, path)
