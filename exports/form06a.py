"""Biểu số 06a/VPCP/KSTT as a workbook ready to file, and as JSON (cli.md): the header block (form number top right,
reporting and receiving units), title, period, unit of count, the merged header rows and numbered columns (1)…(13),
the level sections with their subtotals or the sectors, the total, the footnotes and the signature block.

The form is checked (indicators.form06a.check_form) before a cell is written: a form that breaks an identity is
never saved."""
from __future__ import annotations

import json
import re
from datetime import date

from openpyxl.utils import get_column_letter

from common.formats import vn_date
from common.settings import load_settings
from common.workbook import (COUNT, STYLES, header_cells, new_workbook, print_a4_landscape,
                             save_workbook, write_cell)
from indicators.form06a import FORM_COLUMNS, FORM_NUMBER, FORM_TITLE, check_form
from indicators.periods import Period, is_official, period_short_name

__all__ = ["form_to_json", "write_form06a_xlsx", "draw_form06a_sheet", "form_period_line", "form_units",
           "HEADER_ROW", "FIRST_DATA_ROW"]

NCOL = 13
HEADER_ROW = 9           # the first of the three header rows; the column numbers are on row 12
FIRST_DATA_ROW = 13
_GROUP_TITLES = {"level": "Lĩnh vực, công việc giải quyết theo cấp", "field": "Lĩnh vực giải quyết"}


def form_to_json(form: dict) -> str:
    return json.dumps(form, ensure_ascii=False, indent=2)


def form_period_line(form: dict) -> str:
    """'Kỳ báo cáo: Quý II/2022 (từ ngày 01/04/2022 đến ngày 30/06/2022)'; an official window says it is one."""
    period = Period(date.fromisoformat(form["from"]), date.fromisoformat(form["to"]))
    kind = " – kỳ báo cáo chính thức" if is_official(period) else ""
    return (f"Kỳ báo cáo: {period_short_name(period)}{kind} (từ ngày {vn_date(period.start)} đến ngày "
            f"{vn_date(period.end)})")


_LOCAL_GOVERNMENT = re.compile(r"^(Quận|Huyện|Thị xã|Thành phố|Phường|Xã|Thị trấn|Đặc khu) ", re.IGNORECASE)


def _reporting_body(unit_name: str) -> str:
    """The body a local government's form is reported by: «UBND Quận Hải Châu» for the unit «Quận Hải Châu» (probe 53:
    the catalogue's name alone); a department, or a name that says it already, as written."""
    return f"UBND {unit_name}" if _LOCAL_GOVERNMENT.match(unit_name or "") else unit_name


def form_units(form: dict, reporting: str | None = None, receiving: str | None = None) -> tuple[str, str]:
    """(reporting unit, receiving unit): as given, else the city's settings (config/city.toml [form]); a unit's
    form is reported by the unit itself."""
    settings = load_settings().form
    if form["unit"]:
        return (reporting or _reporting_body(form["unit_name"]), receiving or settings.get("unit_receiving_unit", ""))
    return reporting or settings.get("reporting_unit", ""), receiving or settings.get("receiving_unit", "")


def _merged_text(ws, cell_range: str, text: str, font, align) -> None:
    ws.merge_cells(cell_range)
    first = ws[cell_range.split(":")[0]]
    write_cell(ws, first.row, first.column, text, font=font, align=align)


def _header_block(ws, form: dict, reporting: str, receiving: str) -> None:
    left, right = STYLES.left, STYLES.center
    _merged_text(ws, "A1:F1", "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ",
                 STYLES.small_italic, left)
    _merged_text(ws, "J1:M1", FORM_NUMBER, STYLES.bold, right)
    _merged_text(ws, "J2:M2", f"Đơn vị báo cáo: {reporting}", STYLES.normal, left)
    _merged_text(ws, "J3:M3", f"Đơn vị nhận báo cáo: {receiving}", STYLES.normal, left)
    _merged_text(ws, "A5:M5", FORM_TITLE, STYLES.title, right)
    _merged_text(ws, "A6:M6", form_period_line(form), STYLES.italic, right)
    if form["unit_name"]:
        _merged_text(ws, "A7:M7", f"Phạm vi: {form['unit_name']} (gồm các đơn vị trực thuộc)", STYLES.normal, right)
    _merged_text(ws, "J8:M8", "Đơn vị tính: Số hồ sơ TTHC", STYLES.italic, STYLES.right)
    for r, height in ((1, 28), (2, 30), (3, 30), (5, 36)):
        ws.row_dimensions[r].height = height


def _column_headers(ws, by: str) -> None:
    h1, h2, h3 = HEADER_ROW, HEADER_ROW + 1, HEADER_ROW + 2
    header_cells(ws, [
        (f"A{h1}:A{h3}", "TT"),
        (f"B{h1}:B{h3}", _GROUP_TITLES[by]),
        (f"C{h1}:F{h1}", "Tiếp nhận"),
        (f"C{h2}:C{h3}", "Tổng số"),
        (f"D{h2}:F{h2}", "Trong đó"),
        (f"D{h3}", "Trực tuyến"), (f"E{h3}", "Trực tiếp, dịch vụ bưu chính"), (f"F{h3}", "Từ kỳ trước"),
        (f"G{h1}:J{h1}", "Số lượng hồ sơ đã giải quyết"),
        (f"G{h2}:G{h3}", "Tổng số"),
        (f"H{h2}:J{h2}", "Trong đó"),
        (f"H{h3}", "Trước hạn"), (f"I{h3}", "Đúng hạn (bao gồm cả hồ sơ chờ bổ sung và trả lại/xin rút)"),
        (f"J{h3}", "Quá hạn"),
        (f"K{h1}:M{h1}", "Số lượng hồ sơ đang giải quyết"),
        (f"K{h2}:K{h3}", "Tổng số"),
        (f"L{h2}:M{h2}", "Trong đó"),
        (f"L{h3}", "Trong hạn (bao gồm cả hồ sơ chờ bổ sung và hồ sơ khác)"), (f"M{h3}", "Quá hạn"),
    ], range(h1, h3 + 1), NCOL, numbered=True)
    ws.row_dimensions[h1].height = 30
    ws.row_dimensions[h2].height = 20
    ws.row_dimensions[h3].height = 75


def _figures(ws, row: int, label, name: str, values: dict, font) -> None:
    write_cell(ws, row, 1, label, font=font, border=STYLES.border, align=STYLES.center)
    write_cell(ws, row, 2, name, font=font, border=STYLES.border, align=STYLES.left)
    for j, c in enumerate(FORM_COLUMNS, start=3):
        write_cell(ws, row, j, values[c], COUNT, font=font, border=STYLES.border, align=STYLES.right)


def _body(ws, form: dict) -> int:
    """The sections (a bold row with the section's subtotal, then its units) or the sector rows, then the total;
    returns the next free row."""
    row = FIRST_DATA_ROW
    if form["sections"]:
        for s in form["sections"]:
            _figures(ws, row, s["number"], s["name"], s["subtotal"], STYLES.bold)
            row += 1
            for r in (r for r in form["rows"] if r["section"] == s["name"]):
                _figures(ws, row, r["tt"], r["name"], r, STYLES.normal)
                row += 1
    else:
        for r in form["rows"]:
            _figures(ws, row, r["tt"], r["name"] or "(Chưa xác định lĩnh vực)", r, STYLES.normal)
            row += 1
    _figures(ws, row, None, "Tổng cộng", form["total"], STYLES.bold)
    return row + 1


def _footer(ws, row: int, form: dict) -> None:
    for note in form["notes"]:
        _merged_text(ws, f"A{row}:M{row}", f"Ghi chú: {note}", STYLES.small_italic, STYLES.left)
        ws.row_dimensions[row].height = 15 * max(1, -(-len(note) // 170))
        row += 1
    row += 1
    place = load_settings().document.get("place", "")
    _merged_text(ws, f"J{row}:M{row}", f"{place}, ngày … tháng … năm {date.today().year}", STYLES.italic,
                 STYLES.center)
    row += 1
    _merged_text(ws, f"A{row}:D{row}", "NGƯỜI LẬP BIỂU", STYLES.bold, STYLES.center)
    _merged_text(ws, f"J{row}:M{row}", "THỦ TRƯỞNG ĐƠN VỊ", STYLES.bold, STYLES.center)
    row += 1
    _merged_text(ws, f"A{row}:D{row}", "(Ký, ghi rõ họ tên)", STYLES.small_italic, STYLES.center)
    _merged_text(ws, f"J{row}:M{row}", "(Ký, đóng dấu, ghi rõ họ tên)", STYLES.small_italic, STYLES.center)


def draw_form06a_sheet(ws, form: dict, reporting: str | None = None, receiving: str | None = None) -> None:
    """The whole form on one sheet (checked first: FormIdentityError leaves the sheet untouched)."""
    check_form(form)
    reporting, receiving = form_units(form, reporting, receiving)
    _header_block(ws, form, reporting, receiving)
    _column_headers(ws, form["by"])
    _footer(ws, _body(ws, form) + 1, form)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 38
    for c in range(3, NCOL + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11.5
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    print_a4_landscape(ws, f"{HEADER_ROW}:{HEADER_ROW + 3}")


def write_form06a_xlsx(form: dict, path, reporting: str | None = None, receiving: str | None = None) -> None:
    """The form as a one-sheet workbook saved to path (a file name or a binary file); nothing is written when the
    form breaks an identity."""
    check_form(form)
    wb, ws = new_workbook("Biểu 06a")
    draw_form06a_sheet(ws, form, reporting, receiving)
    save_workbook(wb, path)
