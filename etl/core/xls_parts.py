"""What a .xls (BIFF) sheet holds beside the values fastexcel reads, as xlsx_parts gives it for an xlsx (via xlrd)."""
import io
from pathlib import Path

import xlrd

from etl.core.xlsx_parts import SheetParts, padded_text, padding_rule

# xlrd parses a whole sheet, formats included, before anything can be asked of it: a generated export of 30.000 rows
# of 12 columns (dates, a code under «000000», one under «0.000000»; 5,1 MB) is inspected in 0,50 s, 65.000 rows
# (11 MB, about the most a .xls holds) in 1,1 s — fastexcel reads them in 0,08 and 0,14 s. Larger files than the cap
# (about 36.000 such rows, 0,6 s), machine exports with neither merged cells nor formatted codes, are not looked at.
MAX_INSPECTED_BYTES = 6 * 2**20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # a BIFF workbook is an OLE compound file


def inspect_xls(path) -> dict[str, SheetParts]:
    """SheetParts by sheet name of a BIFF workbook small enough to look at; {} for a larger file, for a file that is no
    BIFF workbook (a web page or text named .xls: readers._not_a_workbook reads it) and for one xlrd cannot read
    (fastexcel then says what is wrong with it)."""
    try:
        if Path(path).stat().st_size > MAX_INSPECTED_BYTES:
            return {}
        with open(path, "rb") as handle:
            if handle.read(8) != _OLE_MAGIC:
                return {}
        # xlrd prints its warnings about a damaged file (OLE2 inconsistency…) on stdout, where `--json` writes
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception:   # xlrd raises its own and Python's types (struct.error, IndexError…) for a damaged file
        return {}
    try:
        padding = _padding_xfs(book)
        parts = {}
        for i, name in enumerate(book.sheet_names()):
            parts[name] = _inspect(book.sheet_by_index(i), padding)
            book.unload_sheet(i)
        return parts
    except Exception:
        return {}
    finally:
        book.release_resources()


def _padding_xfs(book) -> dict[int, tuple[str, int]]:
    """Cell format (XF) index → the padding rule of its number format, for the formats that pad a code."""
    rules = {key: rule for key, fmt in book.format_map.items() if (rule := padding_rule(fmt.format_str or ""))}
    return {i: rules[xf.format_key] for i, xf in enumerate(book.xf_list) if xf.format_key in rules}


def _inspect(sheet, padding: dict[int, tuple[str, int]]) -> SheetParts:
    parts = SheetParts(hidden_columns=sorted(c for c, info in sheet.colinfo_map.items() if info.hidden),
                       hidden_rows=sorted(r for r, info in sheet.rowinfo_map.items() if info.hidden))
    # merged_cells: (first row, row after the last, first column, column after the last)
    parts.merged_down = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells if r1 - r0 > 1]
    for r in range(sheet.nrows):
        types = sheet.row_types(r)
        # a row is looked at cell by cell only when it holds an error, or a number while some format pads codes
        if xlrd.XL_CELL_ERROR in types:
            parts.errors += [(r, c, xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#N/A"))
                             for c, t in enumerate(types) if t == xlrd.XL_CELL_ERROR]
        if padding and xlrd.XL_CELL_NUMBER in types:
            for c, t in enumerate(types):
                if t == xlrd.XL_CELL_NUMBER and (rule := padding.get(sheet.cell_xf_index(r, c))):
                    if (text := padded_text(sheet.cell_value(r, c), rule)) is not None:
                        parts.padded.append((r, c, text))
    return parts
