"""The workbook of late and overdue dossiers an inspection team takes on a visit (one row per dossier)."""
from __future__ import annotations

from datetime import date, datetime

from openpyxl.utils import get_column_letter

from common.formats import vn_int
from common.workbook import (COUNT, DATE, STYLES, header_row, new_workbook, print_a4_landscape, save_workbook,
                             title_rows, write_cell)
from indicators.periods import Period

__all__ = ["write_late_dossiers_xlsx"]

_XLSX_COLUMNS = [  # (row key, header, width, kind)
    ("dossier_code", "Mã hồ sơ", 22, "text"), ("unit_name", "Đơn vị", 28, "text"),
    ("procedure_code", "Mã TTHC", 12, "text"), ("procedure_name", "Tên thủ tục hành chính", 40, "text"),
    ("field", "Lĩnh vực", 18, "text"), ("received_date", "Ngày tiếp nhận", 12, "date"),
    ("due_date", "Ngày hẹn trả", 12, "date"), ("finished_date", "Ngày có kết quả", 12, "date"),
    ("days_late", "Số ngày quá hạn", 10, "int"), ("supplement_count", "Số lần bổ sung", 10, "int"),
    ("apology_issued", "Phiếu xin lỗi", 10, "flag"), ("kind_name", "Tình trạng", 20, "text"),
    ("status", "Trạng thái hồ sơ", 20, "text"),
]


_TITLES = {None: "DANH SÁCH HỒ SƠ GIẢI QUYẾT QUÁ HẠN VÀ ĐANG QUÁ HẠN",
           "resolved_late": "DANH SÁCH HỒ SƠ ĐÃ GIẢI QUYẾT QUÁ HẠN",
           "pending_overdue": "DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT QUÁ HẠN"}


def write_late_dossiers_xlsx(rows: list[dict], path, period: Period, scope_name: str, kind: str | None = None,
                             filters_text: str | None = None) -> None:
    """Rows of indicators.list_late_dossiers: title with the unit and "Từ ngày … đến ngày …", Vietnamese
    headers, dd/mm/yyyy dates, frozen header, autofilter, A4 landscape fitted to the page width with the header
    repeated on every printed page. kind: the list's kind when only one (the title says which); filters_text: the
    other filters the rows were chosen by, said under the period (a filtered list read as the whole list)."""
    wb, ws = new_workbook("Hồ sơ trễ hạn")
    ncol = 1 + len(_XLSX_COLUMNS)
    last = get_column_letter(ncol)
    title_rows(ws, ncol, [(_TITLES.get(kind, _TITLES[None]), STYLES.title),
                          (f"Đơn vị: {scope_name}", STYLES.bold),
                          (f"({period.label_vi()})", STYLES.italic)]
               + ([(f"Lọc: {filters_text}", STYLES.italic)] if filters_text else []))

    head = 5
    header_row(ws, head, [("STT", 6)] + [(h, width) for _, h, width, _ in _XLSX_COLUMNS], height=32)

    for i, rec in enumerate(rows, start=1):
        r = head + i
        write_cell(ws, r, 1, i, font=STYLES.normal, border=STYLES.border)
        for c, (key, _, _, kind) in enumerate(_XLSX_COLUMNS, start=2):
            v = rec.get(key)
            if kind == "flag":
                v = None if v is None else ("Có" if v else "Không")
            elif kind == "date" and isinstance(v, datetime):
                v = v.date()
            is_date = kind == "date" and isinstance(v, date)
            write_cell(ws, r, c, v, DATE if is_date else (COUNT if kind == "int" else None), font=STYLES.normal,
                       border=STYLES.border, align=STYLES.center if is_date else None)
    write_cell(ws, head + len(rows) + 2, 1, f"Tổng số: {vn_int(len(rows))} hồ sơ", font=STYLES.bold)

    ws.freeze_panes = f"B{head + 1}"
    ws.auto_filter.ref = f"A{head}:{last}{head + max(len(rows), 1)}"
    print_a4_landscape(ws, f"{head}:{head}")
    save_workbook(wb, path)
