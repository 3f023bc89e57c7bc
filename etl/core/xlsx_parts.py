"""What an xlsx sheet holds beside the cell values fastexcel reads: cells merged down over several rows, formulas
saved without their computed value (written by a program that does not compute them), hidden columns and rows,
error cells (#N/A), and numbers whose format pads them as codes are written (000124, 2.000880). Read from the workbook's
XML; a sheet is looked at only while its XML is at most MAX_INSPECTED_BYTES, because the merged ranges stand at
the end of it and reading a million-row sheet through again would cost seconds (machine exports of that size
have neither)."""
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree import ElementTree

MAX_INSPECTED_BYTES = 32 * 2**20      # about 50.000 rows of 12 columns
# What a sheet's XML (or the workbook's shared strings) may unpack to, as the zip declares it: calamine unpacks a sheet
# whole into memory (two to three times its XML), so a part past these is refused before it is read. A full Excel
# sheet (1.048.576 rows) of an export's 12 columns is 0,6 GB, of 40 about 2,2 GB; exports compress 4–11 times (the
# benchmark's 6,4, the sample's 7–11), while a file built to unpack to gigabytes from a few MB compresses hundreds of
# times (deflate's most is ~1.000). A part is refused past MAX_UNPACKED_PART_BYTES, or past SUSPICIOUS_PART_BYTES when
# it also compresses more than MAX_PART_RATIO times. The sizes are those the zip's directory declares: a file forging
# them is not caught here (calamine reads what the data holds).
MAX_UNPACKED_PART_BYTES = 4 * 2**30
SUSPICIOUS_PART_BYTES = 256 * 2**20
MAX_PART_RATIO = 100
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<f[\s>/]")
_COMPUTED = re.compile(rb"<v>[^<]+</v>")


@dataclass
class SheetParts:
    merged_down: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based first row, first column,
    #                                                                              last row, last column
    uncomputed: list[str] = field(default_factory=list)   # cells ('E2') of formulas saved without a value
    hidden_columns: list[int] = field(default_factory=list)   # 0-based sheet columns hidden in Excel
    hidden_rows: list[int] = field(default_factory=list)      # 0-based sheet rows hidden in Excel (a filter's)
    # (0-based row, 0-based column, the text Excel shows) of number cells whose format pads them: a code stored as
    # the number 124 shown «000124», a procedure code 2.00088 shown «2.000880» — fastexcel gives the bare number
    padded: list[tuple[int, int, str]] = field(default_factory=list)
    # (0-based row, 0-based column, the error Excel shows) of error cells (#N/A, #REF!…): fastexcel reads them as
    # empty, so a due date «#REF!» became no due date and the dossier was counted on time (probe 28)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def column_index(letters: bytes | str) -> int:
    """0-based index of a column name: A → 0, AA → 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def inspect_workbook(path) -> dict[str, SheetParts]:
    """SheetParts by sheet name for the sheets small enough to look at; {} when the file is not a readable xlsx
    (fastexcel then says what is wrong with it)."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = {}
            padding = _padding_styles(book)
            for name, member in _sheet_members(book).items():
                info = book.getinfo(member)
                if info.file_size <= MAX_INSPECTED_BYTES:
                    parts[name] = _inspect(book.read(member), padding)
            return parts
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


def oversized_parts(path) -> list[tuple[str | None, int, int]]:
    """(sheet name, or None for the shared strings; declared unpacked bytes; compressed bytes) of the parts past the
    limits above; [] for a file that is no readable xlsx (the reader says what is wrong with it)."""
    try:
        with zipfile.ZipFile(path) as book:
            members = [(name, member) for name, member in _sheet_members(book).items() if member in book.NameToInfo]
            if "xl/sharedStrings.xml" in book.NameToInfo:
                members.append((None, "xl/sharedStrings.xml"))
            parts = [(name, book.getinfo(m).file_size, book.getinfo(m).compress_size) for name, m in members]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return []
    return [(name, size, packed) for name, size, packed in parts
            if size > MAX_UNPACKED_PART_BYTES
            or (size > SUSPICIOUS_PART_BYTES and size > MAX_PART_RATIO * max(packed, 1))]


def _sheet_members(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, through xl/workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    members = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        if target:
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            members[sheet.get("name")] = path
    return members


_HIDDEN_COLS = re.compile(rb'<col\b[^>]*>')


def _hidden_columns(xml: bytes) -> list[int]:
    """The columns <cols> marks hidden (<col min="7" max="7" hidden="1"/>, 1-based): it stands before the rows."""
    end = xml.find(b"</cols>")
    out = []
    for tag in _HIDDEN_COLS.findall(xml[:end] if end >= 0 else b""):
        hidden = re.search(rb'hidden="(1|true)"', tag)
        lo, hi = re.search(rb'min="(\d+)"', tag), re.search(rb'max="(\d+)"', tag)
        if hidden and lo and hi and int(hi.group(1)) - int(lo.group(1)) < 1000:
            out += range(int(lo.group(1)) - 1, int(hi.group(1)))
    return out


# A custom number format that writes a code: zeros only («000000», a fixed width) or a fixed count of three or more
# decimals («0.000000», the national procedure codes). Amounts («#,##0», «0.00») and dates are left as read.
_ZERO_PAD = re.compile(r"0{2,}")
_FIXED_DECIMALS = re.compile(r"0\.(0{3,})")


def _padding_styles(book: zipfile.ZipFile) -> dict[int, tuple[str, int]]:
    """Cell style index → ('width', n) or ('decimals', n) for the styles whose number format pads a code."""
    try:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    except KeyError:
        return {}
    formats = {}
    for fmt in styles.iter(f"{_MAIN}numFmt"):
        if rule := padding_rule(fmt.get("formatCode") or ""):
            formats[fmt.get("numFmtId")] = rule
    if not formats:
        return {}
    cell_xfs = styles.find(f"{_MAIN}cellXfs")
    return {i: formats[xf.get("numFmtId")] for i, xf in enumerate(cell_xfs if cell_xfs is not None else [])
            if xf.get("numFmtId") in formats}


def padding_rule(code: str) -> tuple[str, int] | None:
    """('width', n) or ('decimals', n) when a number format code pads a code, else None. Shared with the .xls reader
    (etl/core/xls_parts.py), so both kinds of workbook keep the same codes."""
    code = code.replace('"', "").replace("\\", "")
    if _ZERO_PAD.fullmatch(code):
        return "width", len(code)
    if m := _FIXED_DECIMALS.fullmatch(code):
        return "decimals", len(m.group(1))
    return None


def padded_text(value: bytes | str | float, rule: tuple[str, int]) -> str | None:
    """The number as its format shows it, or None when it is no plain number (negative, a fraction padded by width)."""
    try:
        number = float(value)
    except ValueError:
        return None
    kind, n = rule
    if number < 0:
        return None
    if kind == "width":
        return str(int(number)).zfill(n) if number.is_integer() else None
    return f"{number:.{n}f}"


# an error cell's tag (never one that closes itself: <c … t="e"/> holds no value), then its <v> before the cell ends
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\st="e"[^>/]*>(?:(?!</c>|<c[\s>]).)*?<v>([^<]*)</v>',
                         re.DOTALL)


def _error_cells(xml: bytes) -> list[tuple[int, int, str]]:
    """Cells of type e (an error value, a formula's or typed), with the error as Excel shows it."""
    if b't="e"' not in xml:
        return []
    return [(int(m.group(2)) - 1, column_index(m.group(1)), m.group(3).decode(errors="replace"))
            for m in _ERROR_CELL.finditer(xml)]


_HIDDEN_ROW = re.compile(rb'<row\b[^>]*\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


def _padded_cells(xml: bytes, padding: dict[int, tuple[str, int]]) -> list[tuple[int, int, str]]:
    """Number cells (no t attribute, or t="n") of a padding style, as their format shows them."""
    styles = b"|".join(str(i).encode() for i in padding)
    cell = re.compile(rb'<c r="([A-Z]+)(\d+)" s="(' + styles + rb')"(?: t="n")?>\s*<v>([^<]+)</v>')
    out = []
    for m in cell.finditer(xml):
        text = padded_text(m.group(4), padding[int(m.group(3))])
        if text is not None:
            out.append((int(m.group(2)) - 1, column_index(m.group(1)), text))
    return out


def _inspect(xml: bytes, padding: dict[int, tuple[str, int]] | None = None) -> SheetParts:
    parts = SheetParts(hidden_columns=_hidden_columns(xml))
    parts.hidden_rows = [int(_ROW_NUMBER.search(tag).group(1)) - 1 for tag in _HIDDEN_ROW.findall(xml)
                         if _ROW_NUMBER.search(tag)]
    if padding:
        parts.padded = _padded_cells(xml, padding)
    parts.errors = _error_cells(xml)
    for m in _MERGE.finditer(xml):
        c0, r0, c1, r1 = column_index(m.group(1)), int(m.group(2)) - 1, column_index(m.group(3)), int(m.group(4)) - 1
        if r1 > r0:
            parts.merged_down.append((r0, c0, r1, c1))
    found = _FORMULA.search(xml)
    while found:
        start = max(xml.rfind(b"<c", 0, found.start()), 0)
        end = xml.find(b"</c>", found.start())
        end = len(xml) if end < 0 else end
        cell = xml[start:end]
        # Excel saves an empty text result as <v></v> with t="str"; a formula with no <v> value was never computed.
        if not _COMPUTED.search(cell) and b't="str"' not in cell[:200]:
            ref = re.search(rb'r="([A-Z]+\d+)"', cell[:200])
            parts.uncomputed.append(ref.group(1).decode() if ref else "?")
        found = _FORMULA.search(xml, end)
    return parts
