"""Read any export (xlsx, xls, csv) into text-only Arrow grids, one per visible sheet, with the row numbers a user
sees, the lines the reader could not split into cells, and the sheets left out because they are hidden."""
import html
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa

from etl.core.csv_reader import read_csv_table
from etl.core.errors import ImportFailure
from etl.core.html_table import html_rows, rows_table
from etl.core.xls_parts import inspect_xls
from etl.core import xlsx_parts
from etl.core.xlsx_parts import SheetParts, inspect_workbook, oversized_parts

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
CSV_SUFFIXES = {".csv", ".txt"}


@dataclass
class Grid:
    """A sheet as read: every cell as text (None when empty), columns c0..cN, and 1-based row numbers.
    rejected: (row number, Vietnamese reason) of the lines the reader could not split into cells (a CSV line
    with a quote never closed, a line of megabytes); they are not in table. blank_rows: numbers of the empty
    lines a CSV reader drops. uncomputed: cells holding a formula saved without its value (xlsx). first_column:
    0-based sheet column of c0 (fastexcel leaves out empty columns on the left), None for a CSV."""
    sheet: str | None
    table: pa.Table
    row_numbers: np.ndarray
    rejected: list[tuple[int, str]] = field(default_factory=list)
    blank_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    uncomputed: list[str] = field(default_factory=list)
    first_column: int | None = None
    hidden_columns: frozenset[int] = frozenset()   # grid columns (c{j}) Excel hides
    notes: list[str] = field(default_factory=list)  # how the sheet was reshaped before reading (said in the summary)
    source_columns: tuple[int, ...] | None = None   # after a reshape: the column each c{j} was read from
    # (0-based sheet row, sheet column, the error shown) of Excel's error cells, which are read as empty: a loader
    # puts the error where an empty cell would be read wrong (etl/dossiers/load.py: a due date «#REF!»)
    error_cells: list[tuple[int, int, str]] = field(default_factory=list)


    def column_label(self, j: int) -> str:
        """How a user finds column c{j}: its letter in a sheet ('ALL'), its position in a CSV ('cột 1000')."""
        j = self.source_columns[j] if self.source_columns is not None and j < len(self.source_columns) else j
        if self.first_column is None:
            return f"cột {j + 1}"
        n, letters = self.first_column + j + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            letters = chr(65 + r) + letters
        return f"cột {letters}"

    def filled_columns(self, below: int) -> list[str]:
        """The columns holding a value in some row after index `below` (the header's): what a line's cells are
        looked at for totals, signatures and blank lines. A sheet of 1.000 mostly empty columns then costs what
        its few filled ones cost (the SQL over every column took minutes)."""
        rows = self.table.slice(below + 1)
        filled = [name for name, column in zip(rows.column_names, rows.columns) if column.null_count < len(column)]
        return filled or rows.column_names[:1]   # no line under the header: the SQL still needs a column

    def head_rows(self, n: int = 45) -> list[list]:
        """The first n rows as lists of cell texts: where headers and report titles are looked for. They carry the
        hidden columns (HeadRows): a header read finds a field in a visible column before a hidden one."""
        return HeadRows([list(r.values()) for r in self.table.slice(0, n).to_pylist()], self.hidden_columns)


class HeadRows(list):
    """A sheet's first rows, and which of their columns Excel hides (a vendor's internal status codes kept beside
    the status in words)."""

    def __init__(self, rows, hidden_columns: frozenset[int] = frozenset()):
        super().__init__(rows)
        self.hidden_columns = hidden_columns


@dataclass
class ReadFile:
    grids: list[Grid]
    hidden_sheets: list[str] = field(default_factory=list)   # never read: what Excel does not show is not loaded


def _lock_file_message(name: str) -> str | None:
    """The lock file Excel («~$ho_so.xlsx») or LibreOffice («.~lock.ho_so.xlsx#») keeps beside a workbook while it is
    open, picked with the files of a folder (probe 54: told «tệp hỏng, có mật khẩu»)."""
    if name.startswith("~$"):
        owner, app = name[2:], "Excel"
    elif name.startswith(".~lock.") and name.endswith("#"):
        owner, app = name[len(".~lock."):-1], "LibreOffice"
    else:
        return None
    return (f"Tệp {name} là tệp khóa tạm {app} tạo ra khi tệp «{owner}» đang mở, không phải bảng dữ liệu; không nạp "
            f"dòng nào. Hãy đóng {app} rồi nạp tệp «{owner}».")


_ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')


def chart_sheets(path: Path) -> list[str]:
    """The names of a workbook's chart sheets (a sheet holding only a chart, no cells), in the workbook's order;
    [] for a file that is no .xlsx. Told when a file has no data: its sheets are not empty to the eye (probe 54)."""
    try:
        with zipfile.ZipFile(path) as z:
            if not any(n.startswith("xl/chartsheets/") for n in z.namelist()):
                return []
            book = z.read("xl/workbook.xml").decode("utf-8", errors="replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return []
    targets = {a.get("Id"): a.get("Target", "") for a in
               (dict(_ATTRIBUTE.findall(tag)) for tag in re.findall(r"<Relationship\b[^>]*>", rels))}
    sheets = (dict(_ATTRIBUTE.findall(tag)) for tag in re.findall(r"<sheet\b[^>]*>", book))
    return [html.unescape(a.get("name", "")) for a in sheets if "chartsheets/" in targets.get(a.get("r:id"), "")]


def read_file(path: Path) -> ReadFile:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFailure(f"Không tìm thấy tệp {path}.")
    locked = _lock_file_message(path.name)
    if locked:
        raise ImportFailure(locked)
    held = _workbook_held(path)
    if suffix in EXCEL_SUFFIXES or (suffix in CSV_SUFFIXES and held):
        return _read_excel(path, held)
    if suffix in CSV_SUFFIXES:
        table, scan = read_csv_table(path)
        return ReadFile([Grid(None, table, scan.record_lines, scan.rejected, scan.blank_lines, notes=scan.notes)])
    raise ImportFailure(_unsupported_message(path.name, suffix))


# What to do with a file of a kind the loader does not read (probe 23: the message named no way out).
_UNPACK = "giải nén rồi nạp từng tệp bên trong"
_WAY_OUT = {".zip": _UNPACK, ".rar": _UNPACK, ".7z": _UNPACK,
            ".pdf": "xuất lại từ hệ thống dạng Excel (.xlsx) hoặc CSV — bảng trong tệp PDF không đọc được"}


def _unsupported_message(name: str, suffix: str) -> str:
    accepted = ", ".join(sorted(EXCEL_SUFFIXES | CSV_SUFFIXES))
    way_out = _WAY_OUT.get(suffix, "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng Excel (.xlsx) hoặc CSV, rồi nạp "
                                    "tệp đó")
    return (f"Tệp {name}: công cụ không đọc định dạng «{suffix or 'không có đuôi'}» (nhận {accepted}); không nạp dòng "
            f"nào. Hãy {way_out}.")


# calamine (under fastexcel) logs English warnings through Python's logging, which prints them on stderr when no
# handler is set: «'chartsheet' not a valid worksheet» for a chart sheet the summary already names as unread.
logging.getLogger("calamine").setLevel(logging.ERROR)


def read_grids(path: Path) -> list[Grid]:
    """The visible sheets of a file."""
    return read_file(path).grids


# What a workbook's first bytes say it is, whatever its name: an Excel 97–2003 (.xls) compound file, an Office Open
# XML package (.xlsx) — and the suffix each is named with when nothing was renamed.
_XLS_BYTES, _XLSX_BYTES = b"\xd0\xcf\x11\xe0", b"PK\x03\x04"
_USUAL_SUFFIXES = {"xls": {".xls"}, "xlsx": {".xlsx", ".xlsm"}}


def _workbook_held(path: Path) -> str | None:
    """'xls' or 'xlsx' when the file holds a workbook of that format (an .xlsx package is told from a Word or
    PowerPoint one by its xl/ folder), else None."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head == _XLS_BYTES:
        return "xls"
    if head == _XLSX_BYTES:
        return "xlsx" if any(n.startswith("xl/") for n in _package_names(path)) else None
    return None


def _package_names(path: Path) -> list[str]:
    """The names inside an Open XML package (a zip); [] when the file is no readable zip."""
    try:
        with zipfile.ZipFile(path) as package:
            return package.namelist()
    except (zipfile.BadZipFile, OSError):
        return []


def _read_excel(path: Path, held: str | None = None) -> ReadFile:
    # fastexcel (calamine) reads straight into Arrow; every column as text so codes such as 1.001612 or
    # 000123 are never turned into numbers. skip_rows=0 keeps leading empty rows, so index i is sheet row i+1.
    # Merged cells, hidden rows and columns, error cells and formatted codes: from the XML of an xlsx, through xlrd
    # for a .xls (a web page or text named .xls gets {} and is read by _not_a_workbook below).
    suffix = path.suffix.lower()
    is_xls = held == "xls" or (held is None and suffix == ".xls")
    if not is_xls:
        _refuse_oversized_parts(path)
    parts = inspect_xls(path) if is_xls else inspect_workbook(path)
    # A workbook named as another format (an .xlsx renamed .xls, or saved «.csv» by a mail client; probe 43: «tệp
    # hỏng» and «bảng mã ký tự» for a good file): read by what it holds — calamine tells the format from the bytes
    # when given them (the bytes are read only then: a large file's normal path streams from disk).
    renamed = held is not None and suffix not in _USUAL_SUFFIXES[held]
    try:
        reader = fastexcel.read_excel(path.read_bytes() if renamed else str(path))
        grids, hidden = [], []
        for name in reader.sheet_names:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
            if sheet.visible != "visible":
                hidden.append(name)
                continue
            table = sheet.to_arrow()
            if isinstance(table, pa.RecordBatch):
                table = pa.Table.from_batches([table])
            # fastexcel leaves out empty columns on the left: merged ranges are placed by the first one it kept.
            first_column = min((c.absolute_index for c in sheet.available_columns()), default=0)
            table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
            sheet_parts = parts.get(name, SheetParts())
            if sheet_parts.padded:
                table = set_cells(table, sheet_parts.padded, first_column)
            if sheet_parts.merged_down:
                table = _fill_merged_down(table, sheet_parts.merged_down, first_column)
            hidden_columns = frozenset(c - first_column for c in sheet_parts.hidden_columns
                                       if 0 <= c - first_column < table.num_columns)
            grids.append(Grid(name, table, np.arange(1, table.num_rows + 1, dtype=np.int64),
                              uncomputed=sheet_parts.uncomputed, first_column=first_column,
                              hidden_columns=hidden_columns,
                              notes=_hidden_rows_note(name, sheet_parts.hidden_rows, table.num_rows)
                              + _error_cells_note(name, sheet_parts.errors), error_cells=sheet_parts.errors))
        if renamed and grids:
            grids[0].notes.insert(0, f"Tệp {path.name} mang đuôi {suffix} nhưng là bảng tính Excel (.{held}): đã đọc "
                                     "như tệp Excel.")
        return ReadFile(grids, hidden)
    except ImportFailure:
        raise
    except Exception:  # calamine raises its own types for corrupt or encrypted workbooks
        return _not_a_workbook(path)


def _refuse_oversized_parts(path: Path) -> None:
    """A workbook whose sheet would unpack past the limits of xlsx_parts (more than a sheet can hold, or hundreds of
    times its packed size) is refused before it is read, naming the sheet and its sizes (a 7 MB file unpacking to
    2 GB was read for 22 s into 5 GB of memory)."""
    oversized = oversized_parts(path)
    if not oversized:
        return
    from common.formats import size_text, vn_int   # here: Babel's import would delay the read every load starts with
    name, size, packed = max(oversized, key=lambda part: part[1])
    what = f"trang «{name}»" if name is not None else "bảng chữ dùng chung của các trang"
    if size > xlsx_parts.MAX_UNPACKED_PART_BYTES:
        why = (f"vượt giới hạn {size_text(xlsx_parts.MAX_UNPACKED_PART_BYTES)} của một trang (một trang Excel đầy đủ "
               "1.048.576 dòng của tệp xuất 12 cột chỉ khoảng 600 MB)")
    else:
        why = (f"từ {size_text(packed)} trong tệp, gấp {vn_int(size // max(packed, 1))} lần (tệp xuất thật chỉ gấp "
               "4–15 lần)")
    raise ImportFailure(
        f"Tệp {path.name}: {what} giải nén ra {size_text(size)} dữ liệu, {why}: tệp có thể bị hỏng hoặc không phải tệp "
        "xuất của hệ thống. Không nạp dòng nào. Nếu đúng là dữ liệu thật, hãy xuất lại dạng CSV hoặc tách thành nhiều "
        "tệp nhỏ hơn.")


def _decode_page(data: bytes, utf16: bool) -> str:
    """A web page's text: UTF-16 by its marks, else UTF-8 (what these systems write), else Windows-1258."""
    if utf16:
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


_WORKBOOK_MAGIC = (b"\xd0\xcf\x11\xe0", b"PK")   # .xls (and an encrypted .xlsx), .xlsx


def _not_a_workbook(path: Path) -> ReadFile:
    """A file with an Excel name that is not a workbook. Many one-stop systems' "Xuất Excel" writes a web page
    (HTML table), an Excel 2003 XML sheet or Excel's "Unicode Text" (tab-separated) and names it .xls; Excel opens
    them all. Text with separators is read as a CSV, a web page's tables as Excel shows them
    (etl/core/html_table.py); the others are refused saying what the file is and how to
    turn it into a workbook, as are a PDF, an empty file and a workbook with a password (an encrypted .xlsx is an
    OLE file holding an EncryptedPackage stream)."""
    data = path.read_bytes()
    name, suffix = path.name, path.suffix.lower()
    way_out = "mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu Excel Workbook (.xlsx) rồi nạp tệp .xlsx đó"
    if not data.strip():
        raise ImportFailure(f"Tệp {name} rỗng (không có dữ liệu); không nạp dòng nào.")
    if data.startswith(b"%PDF"):
        raise ImportFailure(f"Tệp {name} là tệp PDF mang đuôi {suffix}, không phải tệp Excel: hãy xuất lại danh sách "
                            "dạng Excel hoặc CSV từ hệ thống; không nạp dòng nào.")
    if data.startswith(_XLSX_BYTES):
        other = _office_document(path)
        if other:   # probe 43: a Word report renamed .xlsx was «tệp hỏng»
            raise ImportFailure(f"Tệp {name} là {other} mang đuôi {suffix}, không phải bảng tính: hãy chép bảng trong đó "
                                "sang Excel và lưu dạng Excel (.xlsx), hoặc xuất lại danh sách dạng Excel hoặc CSV từ "
                                "hệ thống; không nạp dòng nào.")
    if data.startswith(_WORKBOOK_MAGIC[0]) and "EncryptedPackage".encode("utf-16-le") in data:
        raise ImportFailure(f"Tệp {name} được đặt mật khẩu: mở bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ "
                            "làm việc) rồi lưu và nạp lại. Không nạp dòng nào.")
    if not data.startswith(_WORKBOOK_MAGIC):
        head = data[:4096]
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) > len(head) // 4
        text = head.decode("utf-16" if utf16 else "utf-8", errors="ignore").lstrip("\ufeff \t\r\n").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in text or "progid=\"excel.sheet\"" in text:
            raise ImportFailure(f"Tệp {name} là bảng tính XML của Excel 2003 (SpreadsheetML) mang đuôi {suffix}, công cụ "
                                f"không đọc trực tiếp: {way_out}. Không nạp dòng nào.")
        if text.startswith("<") and any(tag in text for tag in ("<html", "<table", "<!doctype html", "<meta")):
            rows = html_rows(_decode_page(data, utf16))
            if not rows:
                raise ImportFailure(f"Tệp {name} là trang web (HTML) mang đuôi {suffix} nhưng không có bảng nào: "
                                    f"{way_out}. Không nạp dòng nào.")
            return ReadFile([Grid(None, rows_table(rows), np.arange(1, len(rows) + 1, dtype=np.int64), first_column=0)])
        # a separator in any of the first lines: the export's title line above the table may have none
        first_lines = text.split("\n", 20)[:20]
        if any(sep in line for line in first_lines for sep in ("\t", ",", ";")):
            try:
                table, scan = read_csv_table(path)
                return ReadFile([Grid(None, table, scan.record_lines, scan.rejected, scan.blank_lines, notes=scan.notes)])
            except ImportFailure:
                pass
    if data.startswith(b"PK\x03\x04") and b"PK\x05\x06" not in data[-(1 << 16) - 22:]:
        # a zip without its closing directory: the copy or the download stopped before the end (probe 54)
        raise ImportFailure(f"Tệp {name} bị cắt cụt (chép hay tải xuống chưa xong: thiếu phần cuối của tệp Excel); không "
                            "nạp dòng nào. Hãy chép hoặc tải lại tệp rồi nạp lại.")
    raise ImportFailure(f"Không đọc được tệp Excel {name}: tệp hỏng, có mật khẩu hoặc không phải tệp Excel; không nạp "
                        "dòng nào.")


_OFFICE_FOLDERS = (("word/", "văn bản Word (.docx)"), ("ppt/", "bản trình chiếu PowerPoint (.pptx)"))


def _office_document(path: Path) -> str | None:
    """What Office document other than a workbook an Open XML package is, said in Vietnamese; None otherwise."""
    names = _package_names(path)
    return next((said for folder, said in _OFFICE_FOLDERS if any(n.startswith(folder) for n in names)), None)


def set_cells(table: pa.Table, cells: list[tuple[int, int, str]], first_column: int) -> pa.Table:
    """The table with the given cells (0-based sheet row and column, text) replaced: a number as its format shows it."""
    columns = {}
    for r, c, text in cells:
        j = c - first_column
        if 0 <= r < table.num_rows and 0 <= j < table.num_columns:
            if j not in columns:   # once a column: setdefault would copy the column for every cell
                columns[j] = table.column(j).to_pylist()
            columns[j][r] = text
    for j, values in columns.items():
        table = table.set_column(j, f"c{j}", pa.array(values, pa.string()))
    return table


def _hidden_rows_note(sheet: str, hidden: list[int], rows: int) -> list[str]:
    """The summary's word on rows Excel hides (a filter, a collapsed group): read like every other row, since the
    file holds them, but the user who filtered the sheet saw fewer."""
    numbers = sorted(r + 1 for r in hidden if r < rows)
    if not numbers:
        return []
    shown = ", ".join(str(n) for n in numbers[:10]) + (" …" if len(numbers) > 10 else "")
    return [f"Trang «{sheet}» có {len(numbers)} dòng bị ẩn trong Excel (bộ lọc hoặc nhóm dòng thu gọn): dòng {shown}. "
            "Các dòng này vẫn được đọc như mọi dòng khác; nếu là dòng không muốn nạp (nhập thử, đã hủy), hãy xóa "
            "chúng khỏi tệp rồi nạp lại."]


def _error_cells_note(sheet: str, errors: list[tuple[int, int, str]]) -> list[str]:
    """The summary's word on Excel's error cells, wherever they stand."""
    if not errors:
        return []
    # imported here: the openpyxl package took 0,05 s to import, before a load's file could start being read
    from openpyxl.utils import get_column_letter
    cells = sorted(errors)
    shown = ", ".join(f"{get_column_letter(c + 1)}{r + 1} «{text}»" for r, c, text in cells[:8])
    shown += " …" if len(cells) > 8 else ""
    return [f"Trang «{sheet}» có {len(cells)} ô lỗi của Excel (công thức không tính được): {shown}. Ở tệp hồ sơ, dòng "
            "có ô lỗi ở cột mã hồ sơ, đơn vị, cột ngày hay cột số bị loại và nêu ô đó; ở cột khác ô lỗi được đọc như ô "
            "trống. Hãy sửa công thức hoặc dán giá trị rồi nạp lại."]


def _fill_merged_down(table: pa.Table, merged: list[tuple[int, int, int, int]], first_column: int) -> pa.Table:
    """A cell merged down over several rows shows its value on each of them in Excel: each row gets it. Only
    sheets small enough to be inspected have merged ranges (etl/core/xlsx_parts.py, xls_parts.py), so lists are fine
    here."""
    cells = []
    for r0, c0, r1, c1 in merged:
        source = c0 - first_column
        if r0 >= table.num_rows or not 0 <= source < table.num_columns:
            continue
        value = table.column(source)[r0].as_py()
        cells += [(r, c, value) for c in range(c0, c1 + 1) for r in range(r0, min(r1, table.num_rows - 1) + 1)]
    return set_cells(table, cells, first_column)