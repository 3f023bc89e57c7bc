"""The inspection pack of one unit as a workbook: one sheet per section of exports/inspection_content.py (the same
sentences and tables as the Word document, the questions last), drawn with common/workbook.py's styles and safe
cell writing — counts, rates and points stay numbers with their formats, dates stay dates, and a text from the data
starting with "=" stays text."""
from __future__ import annotations

import io
from datetime import date

from openpyxl.utils import get_column_letter

from common.formats import capitals
from common.workbook import (COUNT, DAYS, DAYS_CHANGE, DATE, POINTS, SCORE, STYLES, header_row, new_workbook,
                             percent_format, print_a4_landscape, put_cell, save_workbook, safe_sheet_title,
                             title_rows, write_cell)
from exports.inspection_content import Table, Value, pack_sections, pack_title

__all__ = ["write_inspection_xlsx", "inspection_xlsx_bytes", "TITLE"]

TITLE = "TÀI LIỆU PHỤC VỤ ĐOÀN KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
TEXT_WIDTH = 8          # columns a sentence is merged across (at least)
_FORMATS = {"int": COUNT, "percent": percent_format(2), "points": POINTS, "days": DAYS, "days_change": DAYS_CHANGE,
            "date": DATE, "score": SCORE}
WIDTH_PER_MM = 0.9       # Excel's column width (characters of 11 pt) per millimetre of the Word table's column


def _cell_value(value, kind: str):
    """(value, kind) as the sheet stores it: rates as fractions, points as percentage points,
    dates as dates."""
    if isinstance(value, Value):
        return _cell_value(value.value, value.kind)
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value), kind
    return value, kind


def _paragraph(ws, row: int, text: str, ncol: int) -> int:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
    write_cell(ws, row, 1, text, font=STYLES.normal, align=STYLES.left)
    ws.row_dimensions[row].height = 15 * max(1, len(text) // (ncol * 12) + 1)
    return row + 1


def _table(ws, row: int, t: Table) -> int:
    write_cell(ws, row, 1, t.caption, font=STYLES.bold)
    row += 1
    header_row(ws, row, [(c.title, max(c.width_mm * WIDTH_PER_MM, 10)) for c in t.columns], height=32)
    for values in t.rows:
        row += 1
        for col, (value, column) in enumerate(zip(values, t.columns), start=1):
            stored, kind = _cell_value(value, column.kind)
            align = {"left": STYLES.left, "center": STYLES.center}.get(column.align, STYLES.right)
            put_cell(ws, row, col, stored, _FORMATS.get(kind), font=STYLES.normal, border=STYLES.border, align=align,
                     blank_align=STYLES.center)
    if t.note:
        row += 1
        write_cell(ws, row, 1, t.note, font=STYLES.italic)
    return row + 2


def write_inspection_xlsx(pack: dict, path) -> None:
    """The workbook saved to path (a file name or a binary file)."""
    sections = pack_sections(pack)
    wb, ws = new_workbook(sections[0].sheet)
    subject = [TITLE, *pack_title(pack)[1:]]
    for i, section in enumerate(sections):
        if i:
            ws = wb.create_sheet(safe_sheet_title(section.sheet))
        widths = [len(b.columns) for b in section.blocks if isinstance(b, Table)]
        ncol = max([TEXT_WIDTH, *widths])
        title_rows(ws, ncol, [(subject[0], STYLES.title), *((line, STYLES.italic) for line in subject[1:]),
                              (f"{section.number}. {capitals(section.title)}", STYLES.bold)])
        row = len(subject) + 2
        for block in section.blocks:
            row = _table(ws, row, block) if isinstance(block, Table) else _paragraph(ws, row, block, ncol)
        for c in range(1, ncol + 1):
            letter = get_column_letter(c)
            if ws.column_dimensions[letter].width is None or ws.column_dimensions[letter].width < 12:
                ws.column_dimensions[letter].width = 14
        print_a4_landscape(ws, f"1:{len(subject) + 1}")
    save_workbook(wb, path)


def inspection_xlsx_bytes(pack: dict) -> bytes:
    buf = io.BytesIO()
    write_inspection_xlsx(pack, buf)
    return buf.getvalue()
