"""Read a CSV export into a text-only Arrow grid: the encoding decided on the whole file, line ends of any kind,
every line accounted for (etl/core/csv_lines.py), the cells split by DuckDB."""
import csv
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path

import duckdb
import pyarrow as pa

from common.duckdb_connect import connect_quietly
from etl.core.cell_trim import trimmed_table
from etl.core.csv_lines import has_bare_cr, line_breaks, scan_lines
from etl.core.errors import ImportFailure

SAMPLE_LINES = 60
SAMPLE_BYTES = 200_000
_SAMPLE_LINE_MAX = 65_536          # longer lines are left out of the delimiter sniffing
_DELIMITERS = (",", ";", "\t", "|")
_DUCKDB_LINE = re.compile(r"on Line:?\s*(\d+)", re.IGNORECASE)


class _NotUtf8(Exception):
    """DuckDB met bytes that are not UTF-8: the file is decoded in Python and read again."""


def read_csv_table(path: Path):
    """(table with columns c0…cN, LineScan) of a CSV file; raises ImportFailure with a Vietnamese message."""
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    encoding = _declared_encoding(head)
    # A UTF-8 file (or one found not to be below) is split into cells by DuckDB in a second thread from here on,
    # while Python reads and scans its lines: see _read.
    early = None if encoding or _bare_cr_in(head) else _EarlyCells(path, *_sniff(head))
    data = path.read_bytes()
    if encoding:
        data = _transcode(data, encoding, path.name)
    if _blank(data):
        if early:
            early.result()
        raise ImportFailure(f"Tệp {path.name} rỗng.")
    try:
        return _read(path, data, transcoded=encoding is not None, early=early)
    except _NotUtf8:
        return _read(path, _legacy_to_utf8(data, path.name), transcoded=True)


_BOM = b"\xef\xbb\xbf"


def _blank(data: bytes) -> bool:
    """Nothing but a byte-order mark and blanks (probe: a lone BOM was «dấu ngoặc kép không khớp», a UTF-16 one an
    internal error). Not data.strip(): that copies the whole file when it ends with a line break."""
    if not data.startswith(_BOM):
        return not data or data.isspace()
    # the body copied only when it may be blank (a file with text after its BOM is not: no copy of a large file)
    return len(data) == len(_BOM) or (data[len(_BOM):len(_BOM) + 1].isspace() and data[len(_BOM):].isspace())


def _declared_encoding(data: bytes) -> str | None:
    """UTF-16 by its byte-order mark, or by its zero bytes when it has none; None for UTF-8 (checked while
    reading) or a one-byte legacy code page (found when UTF-8 fails)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if head.count(0) > len(head) // 4:
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    return None


def _transcode(data: bytes, encoding: str, name: str) -> bytes:
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"Tệp {name}: tệp UTF-16 bị hỏng (byte thứ {exc.start:,} không đọc được), không nạp "
                            "dòng nào. Hãy lưu lại tệp dạng CSV UTF-8.".replace(",", "."))


def _legacy_to_utf8(data: bytes, name: str) -> bytes:
    """A file that is not UTF-8: Windows-1258 (Vietnamese Windows) when it has no UTF-8 text before the first
    bad byte; a file with UTF-8 text and then bytes that are not is damaged, and read as neither."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if any(b >= 0x80 for b in data[:exc.start]):
            line = data.count(b"\n", 0, exc.start) + 1
            raise ImportFailure(f"Tệp {name}: dòng {line} có ký tự không đúng bảng mã UTF-8 trong khi phần trước đó "
                                "là UTF-8 (tệp bị hỏng hoặc ghép từ hai bảng mã); không nạp dòng nào. Hãy mở tệp, "
                                "sửa dòng đó rồi lưu lại dạng CSV UTF-8.")
        try:   # Windows-1258 writes tone marks as combining characters: composed (NFC) as every other text
            return unicodedata.normalize("NFC", data.decode("cp1258")).encode("utf-8")
        except UnicodeDecodeError:
            raise ImportFailure(f"Tệp {name}: không nhận ra bảng mã ký tự (cần UTF-8, UTF-16 hoặc Windows-1258); "
                                "không nạp dòng nào. Hãy lưu lại tệp dạng CSV UTF-8.")
    raise AssertionError("only called when DuckDB refused the bytes")


def _sniff(data: bytes) -> tuple[str, int]:
    """(delimiter, widest line in fields) from the first lines: the delimiter that splits the most lines into
    the same, largest number of fields. Each line is split alone, so a stray quote cannot run on."""
    sample = data[:SAMPLE_BYTES].decode("utf-8", errors="replace").split("\n")[:SAMPLE_LINES]
    lines = [line.rstrip("\r") for line in sample if len(line) < _SAMPLE_LINE_MAX]
    best, best_score, best_width = ",", -1, 1
    for delim in _DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim), [])) for line in lines]
        widest = max(counts, default=1)
        score = sum(1 for c in counts if c == widest and c > 1) * widest
        if score > best_score:
            best, best_score, best_width = delim, score, max(widest, 1)
    return best, best_width


def _bare_cr_in(head: bytes) -> bool:
    """Whether the file's start has a CR that does not end a line with its LF (the sniffing reads lines by LF)."""
    return b"\r" in head.replace(b"\r\n", b"")


def _read(path: Path, data: bytes, transcoded: bool, early: "_EarlyCells | None" = None):
    """early: the file's cells being split by DuckDB in another thread (both it and the line scan here release
    the GIL). Its grid is kept when the scan finds nothing to change in the bytes (no bare CR, no line cut, no cell
    spanning lines), as in nearly every export; otherwise the changed bytes are read again here. A failed early
    read is read again too, so its error is said as before."""
    copy = transcoded
    # Mixed line ends (a bare CR beside LFs) confuse DuckDB's line splitting: every CR becomes a line end first.
    nl = line_breaks(data)
    if has_bare_cr(data, nl):
        data, copy = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), True
        nl = line_breaks(data)
    delim, width = _sniff(data)
    scan = scan_lines(data, delim, width, nl)
    if scan.cut:
        data, copy = _empty_ranges(data, scan.cut), True
    table = early.result() if early else None
    # the file's start alone sniffed otherwise, or the bytes changed: the early grid is let go before the bytes are
    # read again (held meanwhile, a million-row file would hold two grids at once)
    if table is not None and (copy or scan.multiline or (early.delim, early.width) != (delim, width)):
        table = None
    if table is None:
        table = _grid_after_scan(path, data, copy, delim, width, scan.multiline, transcoded)
    if table.num_rows != len(scan.record_lines):
        raise ImportFailure(f"Tệp {path.name}: không tách được các dòng của tệp CSV (dấu ngoặc kép \" không khớp "
                            "nhau), nên không nạp dòng nào để không dòng nào bị mất hay đọc sai. Hãy mở tệp bằng "
                            "Excel hoặc LibreOffice rồi lưu lại dạng CSV.")
    return table, scan


def _grid_after_scan(path: Path, data: bytes, copy: bool, delim: str, width: int, multiline: bool,
                     transcoded: bool) -> pa.Table:
    read_path = path
    if copy:   # DuckDB reads files: the normalized bytes go to a temporary copy, removed after
        handle, name = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
        read_path = Path(name)
    try:
        return _grid_of(read_path, delim, width, multiline, path.name, transcoded)
    finally:
        if read_path != path:
            read_path.unlink(missing_ok=True)


def _grid_of(read_path: Path, delim: str, width: int, multiline: bool, name: str, utf8_checked: bool,
             serial_fallback: bool = True) -> pa.Table:
    """The cells of the file as DuckDB splits them, trimmed, Excel's ="…" text wrappers taken off."""
    table = _duckdb_read(read_path, delim, width, multiline, name, utf8_checked, serial_fallback)
    return trimmed_table(table, excel_text_wrappers=True)


class _EarlyCells:
    """The file's cells split by DuckDB in a thread, with the delimiter and width sniffed from its start; result()
    waits for them: the grid, or None when the read failed (the caller reads again and says why). Parallel reading
    only: a file the parallel reader refuses is read serially after the line scan, once."""

    def __init__(self, path: Path, delim: str, width: int):
        self.delim, self.width, self._grid = delim, width, None
        self._thread = threading.Thread(target=self._read, args=(path,), name="csv-cells", daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            self._grid = _grid_of(path, self.delim, self.width, False, path.name, False, serial_fallback=False)
        except BaseException:   # noqa: BLE001 — read again in the caller's thread, which says why
            self._grid = None

    def result(self) -> pa.Table | None:
        self._thread.join()
        return self._grid


def _empty_ranges(data: bytes, cut: list[tuple[int, int]]) -> bytes:
    """The bytes with each cut range emptied, its line break kept: the line numbers stay those of the file."""
    parts, pos = [], 0
    for start, stop in cut:
        parts.append(data[pos:start])
        parts.append(b"\n" * data.count(b"\n", start, stop))
        pos = stop
    parts.append(data[pos:])
    return b"".join(parts)


def _duckdb_read(read_path: Path, delim: str, width: int, multiline: bool, name: str, utf8_checked: bool,
                 serial_fallback: bool = True):
    # One column more than the widest of the first lines: a later line with more cells (a comma left unquoted in a
    # name) fills it, instead of DuckDB dropping its last cell unsaid; when no line does, it is dropped again.
    table = _duckdb_read_columns(read_path, delim, width + 1, multiline, name, utf8_checked, serial_fallback)
    if table.column(width).null_count == table.num_rows:
        table = table.drop_columns([f"c{width}"])
    return table


def _duckdb_read_columns(read_path: Path, delim: str, width: int, multiline: bool, name: str, utf8_checked: bool,
                         serial_fallback: bool):
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    con = connect_quietly()
    try:
        try:
            return _read_csv_table(con, read_path, delim, columns, parallel=not multiline)
        except duckdb.Error:
            if not serial_fallback:   # an early read (see _read): the caller reads again and says why
                raise
            # The parallel reader cannot pad short rows when values hold quoted newlines: read serially instead.
            return _read_csv_table(con, read_path, delim, columns, parallel=False)
    except duckdb.Error as exc:
        if not serial_fallback:
            raise
        if not utf8_checked and _not_utf8(read_path):
            raise _NotUtf8() from exc
        found = _DUCKDB_LINE.search(str(exc))
        where = f" (gần dòng {found.group(1)})" if found else ""
        raise ImportFailure(f"Tệp {name}: không đọc được tệp CSV{where}; không nạp dòng nào. Hãy mở tệp bằng Excel "
                            "hoặc LibreOffice rồi lưu lại dạng CSV UTF-8.") from exc
    finally:
        con.close()


def _not_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def _read_csv_table(con, path: Path, delim: str, columns: dict, parallel: bool) -> pa.Table:
    # auto_detect off: the sniffer trips on title rows of other widths; null_padding fills short title and
    # signature rows.
    return con.sql(
        "SELECT * FROM read_csv(?, auto_detect=false, delim=?, quote='\"', escape='\"', header=false,"
        " null_padding=true, parallel=?, strict_mode=false, columns=?)",
        params=[str(path), delim, parallel, columns]).to_arrow_table()
