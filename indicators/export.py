"""Writers for the period table: JSON, CSV and the statutory xlsx layout (Vietnamese grouped headers)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from .definitions import CATALOGUE_COLUMNS, INDICATORS, PERIOD_COLUMNS

__all__ = ["table_to_json", "table_to_csv", "write_table_xlsx", "print_a4_landscape"]


def table_to_json(table: dict) -> str:
    return json.dumps(table, ensure_ascii=False, indent=2)


def _columns(table: dict) -> list[str]:
    rows = table["rows"] + [table["total"]]
    cols = ["key", "name"] + [c for c, _ in PERIOD_COLUMNS] + [c for c, _ in CATALOGUE_COLUMNS] + [i.id for i in INDICATORS]
    return [c for c in cols if any(c in r for r in rows)]


def table_to_csv(table: dict) -> str:
    """One row per group then the total; rates as unrounded fractions, empty where there is no value."""
    buf = io.StringIO()
    cols = _columns(table)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in table["rows"] + [table["total"]]:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    return buf.getvalue()


_GROUP_TITLE = {"unit": "Đơn vị", "level": "Cấp", "district": "Quận, huyện", "department": "Sở, ban, ngành",
                "field": "Lĩnh vực", "procedure": "Thủ tục hành chính", "month": "Tháng"}

# (data column, header row 3 text); columns C.. in the order of the statutory form.
_XLSX_COLUMNS = ["total_to_handle", "carried_over", "received_online", "received_direct", "received_postal",
                 "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned",
                 "pending", "pending_within", "pending_overdue", "on_time_rate"]


def write_table_xlsx(table: dict, path, title: str | None = None) -> None:
    """The TTHC-handling report form: title, period, three grouped header rows, column numbers, a row per
    group and "Tổng cộng"; counts '#,##0' (Excel shows 122.700 under a Vietnamese locale), A4 landscape."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Bao cao"
    ncol = 2 + len(_XLSX_COLUMNS)
    last = get_column_letter(ncol)
    bold = Font(name="Times New Roman", bold=True, size=11)
    normal = Font(name="Times New Roman", size=11)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = title or "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    ws["A1"].alignment = center
    ws.merge_cells(f"A2:{last}2")
    d0, d1 = date.fromisoformat(table["from"]), date.fromisoformat(table["to"])
    ws["A2"] = f"(Kỳ báo cáo: từ ngày {d0:%d/%m/%Y} đến ngày {d1:%d/%m/%Y})"
    ws["A2"].font = Font(name="Times New Roman", italic=True, size=11)
    ws["A2"].alignment = center

    h1, h2, h3, hn = 4, 5, 6, 7
    headers = [  # (range, text)
        (f"A{h1}:A{h3}", "STT"),
        (f"B{h1}:B{h3}", _GROUP_TITLE.get(table["by"], "Nhóm")),
        (f"C{h1}:G{h1}", "Số hồ sơ nhận giải quyết"),
        (f"C{h2}:C{h3}", "Tổng số"),
        (f"D{h2}:D{h3}", "Số kỳ trước chuyển qua"),
        (f"E{h2}:G{h2}", "Số mới tiếp nhận"),
        (f"E{h3}", "Trực tuyến"), (f"F{h3}", "Trực tiếp"), (f"G{h3}", "Bưu chính công ích"),
        (f"H{h1}:K{h1}", "Số hồ sơ đã giải quyết"),
        (f"H{h2}:H{h3}", "Tổng số"),
        (f"I{h2}:K{h2}", "Trong đó"),
        (f"I{h3}", "Trước hạn"), (f"J{h3}", "Đúng hạn"), (f"K{h3}", "Quá hạn"),
        (f"L{h1}:L{h3}", "Trả lại / rút hồ sơ"),
        (f"M{h1}:O{h1}", "Số hồ sơ đang giải quyết"),
        (f"M{h2}:M{h3}", "Tổng số"),
        (f"N{h2}:O{h2}", "Trong đó"),
        (f"N{h3}", "Trong hạn"), (f"O{h3}", "Quá hạn"),
        (f"P{h1}:P{h3}", "Tỷ lệ đúng hạn, trước hạn"),
    ]
    for rng, text in headers:
        first = rng.split(":")[0]
        if ":" in rng:
            ws.merge_cells(rng)
        ws[first] = text
    for r in range(h1, hn + 1):
        for c in range(1, ncol + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = bold if r < hn else Font(name="Times New Roman", italic=True, size=10)
            cell.alignment = center
            cell.border = border
    for c in range(1, ncol + 1):
        ws.cell(row=hn, column=c, value=f"({c})")

    row = hn + 1
    for i, rec in enumerate(table["rows"] + [table["total"]], start=1):
        is_total = i == len(table["rows"]) + 1
        ws.cell(row=row, column=1, value=None if is_total else i)
        ws.cell(row=row, column=2, value="Tổng cộng" if is_total else (rec.get("name") or str(rec.get("key"))))
        for j, col in enumerate(_XLSX_COLUMNS, start=3):
            v = rec.get(col)
            cell = ws.cell(row=row, column=j, value=v)
            cell.number_format = "0.00%" if col == "on_time_rate" else "#,##0"
            if v is None and col == "on_time_rate":
                cell.value = "–"   # zero denominator: no value, never 0 %
                cell.alignment = Alignment(horizontal="center")
        for c in range(1, ncol + 1):
            cell = ws.cell(row=row, column=c)
            cell.border = border
            cell.font = bold if is_total else normal
        row += 1

    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 36
    for c in range(3, ncol + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11
    for r in (h1, h2, h3):
        ws.row_dimensions[r].height = 30
    ws.freeze_panes = f"C{hn + 1}"
    print_a4_landscape(ws, f"{h1}:{hn}")
    wb.save(path)


def put_cell(ws, row: int, col: int, value, fmt: str | None, *, font, border, align=None, blank_align=None,
             dash_when_none: bool = True):
    """One cell of a printed table with its number format, font and border. A missing value where a figure is
    expected (dash_when_none) shows "–": a zero denominator gives no value, never 0."""
    cell = ws.cell(row=row, column=col)
    if value is None and dash_when_none:
        cell.value, cell.alignment = "–", blank_align
    else:
        cell.value = value
        if fmt:
            cell.number_format = fmt
        if align is not None:
            cell.alignment = align
    cell.font, cell.border = font, border
    return cell


def print_a4_landscape(ws, title_rows: str, centered: bool = True) -> None:
    """Print setup of the statutory sheets: A4 landscape fitted to the page width (as many pages down as needed),
    title_rows ("5:5") repeated on every printed page, centred across the page unless told otherwise."""
    ws.print_title_rows = title_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if centered:
        ws.print_options.horizontalCentered = True
