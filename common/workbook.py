"""The one workbook style sheet (fonts, borders, number formats, header rows, A4 landscape) and safe cell writing.

Every xlsx the project writes is drawn with these styles and saved by save_workbook; every CSV is written by
csv_text. Both keep values from data inert (issue #11, r08):
- xlsx: a text starting with = + - @ tab or CR is stored as a string with Excel's quote prefix, never as a
  formula (openpyxl turns any str starting with "=" into a formula on assignment: the trap this avoids);
- CSV: the OWASP rule for CSV injection — such a text gets a leading apostrophe ("'=HYPERLINK(…)"), which
  Excel and LibreOffice show as text and do not evaluate; the csv module quotes separators and quotes.
Numbers stay numbers (a negative number is a number, not a formula), dates stay dates.

Number formats: Excel format codes are locale-neutral — "," is "the reader's group separator" and "." "the
reader's decimal mark" — so "#,##0" shows 122.700 and "0.00 %" shows 99,89 % under a Vietnamese locale. A
literal "#.##0" would be wrong everywhere. There is one percent format, "0.00 %", with the space the project
writes before % on screen and in sentences (common.formats); it replaces the "0.00%" some writers used.
"""
from __future__ import annotations

import csv
import io
import re
from copy import copy

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.formats import NO_VALUE, vn_slug

__all__ = ["FONT", "COUNT", "PCT", "POINTS", "DAYS", "DAYS_CHANGE", "SCORE", "DATE", "NO_VALUE", "Styles", "STYLES",
           "percent_format", "is_risky_text", "write_cell", "put_cell", "title_rows", "header_cells", "header_row",
           "numbered_row", "set_widths", "print_a4_landscape", "new_workbook", "save_workbook", "safe_sheet_title",
           "safe_file_stem", "csv_cell", "csv_text"]

FONT = "Times New Roman"
COUNT = "#,##0"
PCT = "0.00 %"
POINTS = "+0.00;−0.00;0.00"       # percentage points, signed; U+2212 minus as in the sentences
DAYS = "#,##0.0"
DAYS_CHANGE = "+0.0;−0.0;0.0"
SCORE = "0.00"
DATE = "dd/mm/yyyy"

# The first characters that make a spreadsheet evaluate a cell (OWASP "CSV Injection").
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def percent_format(decimals: int = 2) -> str:
    """'0.00 %' for 2 decimals, '0 %' for none: the one percent format at any precision."""
    return "0" + ("." + "0" * decimals if decimals > 0 else "") + " %"


class Styles:
    """The fonts, border, alignments and fills of every sheet: Times New Roman, thin black borders."""

    def __init__(self):
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=FONT, bold=True, size=13)
        self.bold = Font(name=FONT, bold=True, size=11)
        self.normal = Font(name=FONT, size=11)
        self.italic = Font(name=FONT, italic=True, size=11)
        self.small_italic = Font(name=FONT, italic=True, size=10)
        self.red = Font(name=FONT, size=11, color="C00000")
        self.red_bold = Font(name=FONT, size=11, bold=True, color="C00000")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.section = PatternFill("solid", fgColor="DDEBF7")


STYLES = Styles()


# ---------------------------------------------------------------------------------------------------------
# Safe cell writing.

def is_risky_text(value) -> bool:
    """A text a spreadsheet would evaluate: it starts with = + - @ tab or CR."""
    return isinstance(value, str) and value.startswith(_RISKY_START)


def _as_text(cell) -> None:
    # data_type 's' after the assignment: openpyxl set 'f' for a leading "="; the quote prefix keeps Excel from
    # turning it into a formula when someone edits the cell (F2, Enter).
    cell.data_type = "s"
    cell.quotePrefix = True


def write_cell(ws, row: int, col: int, value, fmt: str | None = None, *, font=None, border=None, align=None):
    """Puts value in the cell (a risky text typed as text), then the number format and style given."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if is_risky_text(value):
        _as_text(cell)
    elif _styled_like_before(cell, fmt, font, border, align):
        return cell
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if border is not None:
        cell.border = border
    if align is not None:
        cell.alignment = align
    _remember_style(cell, fmt, font, border, align)
    return cell


# openpyxl finds a style's place in the workbook's tables by hashing the Font, Border and Alignment given, on every
# cell: two thirds of the time of a 62.000-row list (16 s; probe 25 waited 21–35 s for the 766 list). The style a
# combination gave a first cell is copied to the next cells given it (a cell's _style holds the workbook's table
# indices, so the memory is the workbook's own). The objects are kept with it, so their ids stay theirs.
_STYLE_MEMORY = "_cchc_styles"


def _styled_like_before(cell, fmt, font, border, align) -> bool:
    memory = getattr(cell.parent.parent, _STYLE_MEMORY, None)
    known = memory.get((fmt, id(font), id(border), id(align))) if memory else None
    if known is None:
        return False
    cell._style = copy(known[-1])
    return True


def _remember_style(cell, fmt, font, border, align) -> None:
    if cell.quotePrefix:   # a risky text's quote prefix is no part of the combination
        return
    book = cell.parent.parent
    memory = getattr(book, _STYLE_MEMORY, None)
    if memory is None:
        memory = {}
        setattr(book, _STYLE_MEMORY, memory)
    memory[(fmt, id(font), id(border), id(align))] = (font, border, align, copy(cell._style))


def put_cell(ws, row: int, col: int, value, fmt: str | None = None, *, font=None, border=None, align=None,
             blank_align=None, dash_when_none: bool = True):
    """One cell of a printed table. A missing value where a figure is expected (dash_when_none) shows "–": a zero
    denominator gives no value, never 0."""
    if value is None and dash_when_none:
        return write_cell(ws, row, col, NO_VALUE, font=font, border=border, align=blank_align)
    return write_cell(ws, row, col, value, fmt, font=font, border=border, align=align)


# ---------------------------------------------------------------------------------------------------------
# Parts of a sheet.

def title_rows(ws, ncol: int, lines: list[tuple[str, Font]], first_row: int = 1, align=None) -> None:
    """Title lines, each merged across the ncol columns of the table (centred unless told)."""
    last = get_column_letter(ncol)
    for r, (text, font) in enumerate(lines, start=first_row):
        ws.merge_cells(f"A{r}:{last}{r}")
        write_cell(ws, r, 1, text, font=font, align=align or STYLES.center)


def header_cells(ws, cells: list[tuple[str, str]], rows: range, ncol: int, numbered: bool = False) -> None:
    """Grouped header rows: each (range, text) written at the range's first cell and merged over the range
    ("C4:G4" over its sub-headers); every cell of `rows` bold, centred, bordered. numbered adds the statutory
    (1) (2) … row below."""
    for rng, text in cells:
        if ":" in rng:
            ws.merge_cells(rng)
        first = ws[rng.split(":")[0]]
        write_cell(ws, first.row, first.column, text)
    for r in rows:
        for c in range(1, ncol + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = STYLES.bold, STYLES.center, STYLES.border
    if numbered:
        numbered_row(ws, rows[-1] + 1, ncol)


def numbered_row(ws, row: int, ncol: int) -> None:
    """The statutory column numbers (1) (2) … in small italics."""
    for c in range(1, ncol + 1):
        write_cell(ws, row, c, f"({c})", font=STYLES.small_italic, border=STYLES.border, align=STYLES.center)


def header_row(ws, row: int, headers: list[tuple[str, float]], numbered: bool = False, height: float | None = None):
    """One header row of (text, column width); numbered adds the (1) (2) … row below."""
    for c, (text, width) in enumerate(headers, start=1):
        write_cell(ws, row, c, text, font=STYLES.bold, border=STYLES.border, align=STYLES.center)
        ws.column_dimensions[get_column_letter(c)].width = width
    if numbered:
        numbered_row(ws, row + 1, len(headers))
    if height:
        ws.row_dimensions[row].height = height


def set_widths(ws, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def print_a4_landscape(ws, title_rows: str, centered: bool = True) -> None:
    """Print setup of every sheet: A4 landscape fitted to the page width (as many pages down as needed),
    title_rows ("5:5") repeated on every printed page, centred across the page unless told otherwise."""
    ws.print_title_rows = title_rows
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if centered:
        ws.print_options.horizontalCentered = True


# ---------------------------------------------------------------------------------------------------------
# Workbooks and names.

def new_workbook(first_sheet: str) -> tuple[Workbook, object]:
    """A workbook and its first sheet, titled safely."""
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "Bảng điều khiển CCHC"   # not «openpyxl»
    ws = wb.active
    ws.title = safe_sheet_title(first_sheet)
    return wb, ws


def save_workbook(wb: Workbook, path) -> None:
    """Saves to path (a file name or a binary file). The project writes no formulas: any cell that became one
    (a value assigned around write_cell) is typed as text first, so nothing from data is ever evaluated."""
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            if cell.data_type == "f" and not isinstance(cell, MergedCell):
                _as_text(cell)
    wb.save(path)


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def safe_sheet_title(text: str, fallback: str = "Dữ liệu") -> str:
    """A sheet name Excel accepts: none of [ ] : * ? / \\ or control characters, no apostrophe at either end,
    31 characters at most."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", str(text or "")).strip().strip("'").strip()[:31].strip()
    return cleaned or fallback


def safe_file_stem(text: str, fallback: str = "bang") -> str:
    """A file name stem from any text: accents dropped, only letters, digits and '_' (no '=', no path)."""
    return vn_slug(str(text or "")) or fallback


# ---------------------------------------------------------------------------------------------------------
# CSV.

def csv_cell(value):
    """A CSV field: '' for None; a risky text with a leading apostrophe (OWASP); numbers and others as they are."""
    if value is None:
        return ""
    return "'" + value if is_risky_text(value) else value


def csv_text(header: list[str], rows) -> str:
    """A CSV document: the header, then one line per row (a sequence of values) ending in "\n", every field
    through csv_cell."""
    # The csv module quotes a field holding a character of its line terminator only: with "\n" a bare CR inside
    # a text went out unquoted and split the row in Excel. Each row is written with "\r\n" (so CR and LF
    # both force quotes) and its terminator swapped for "\n".
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    lines = []
    for r in [header, *rows]:
        w.writerow([csv_cell(v) for v in r])
        lines.append(buf.getvalue()[:-2] + "\n")
        buf.seek(0)
        buf.truncate()
    return "".join(lines)
