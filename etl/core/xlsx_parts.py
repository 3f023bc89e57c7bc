"""What an xlsx sheet holds beside the cell values fastexcel reads: cells merged down over several rows, formulas
saved without their computed value (written by a program that does not compute them), and hidden columns. Read from the workbook's
XML; a sheet is looked at only while its XML is at most MAX_INSPECTED_BYTES, because the merged ranges stand at
the end of it and reading a million-row sheet through again would cost seconds (machine exports of that size
have neither)."""
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree import ElementTree

MAX_INSPECTED_BYTES = 32 * 2**20      # about 50.000 rows of 12 columns
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
            for name, member in _sheet_members(book).items():
                info = book.getinfo(member)
                if info.file_size <= MAX_INSPECTED_BYTES:
                    parts[name] = _inspect(book.read(member))
            return parts
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


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


def _inspect(xml: bytes) -> SheetParts:
    parts = SheetParts(hidden_columns=_hidden_columns(xml))
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
