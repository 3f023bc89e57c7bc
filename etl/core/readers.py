"""Read any export (xlsx, xls, csv) into text-only Arrow grids, one per sheet, with the row numbers a user sees."""
import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import fastexcel
import numpy as np
import pyarrow as pa

from etl.core.errors import ImportFailure

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
CSV_SUFFIXES = {".csv", ".txt"}
SAMPLE_LINES = 60


@dataclass
class Grid:
    """A sheet as read: every cell as text (None when empty), columns c0..cN, and 1-based row numbers."""
    sheet: str | None
    table: pa.Table
    row_numbers: np.ndarray

    def head_rows(self, n: int = 45) -> list[list]:
        """The first n rows as lists of cell texts: where headers and report titles are looked for."""
        return [list(r.values()) for r in self.table.slice(0, n).to_pylist()]


def read_grids(path: Path) -> list[Grid]:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFailure(f"Không tìm thấy tệp {path}.")
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path)
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path)]
    raise ImportFailure(f"Tệp {path.name}: định dạng '{suffix}' không được hỗ trợ (chỉ nhận .xlsx, .xls, .csv).")


def _read_excel(path: Path) -> list[Grid]:
    # fastexcel (calamine) reads straight into Arrow; every column as text so codes such as 1.001612 or
    # 000123 are never turned into numbers. skip_rows=0 keeps leading empty rows, so index i is sheet row i+1.
    try:
        reader = fastexcel.read_excel(str(path))
        grids = []
        for name in reader.sheet_names:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
            table = sheet.to_arrow()
            if isinstance(table, pa.RecordBatch):
                table = pa.Table.from_batches([table])
            table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
            grids.append(Grid(name, table, np.arange(1, table.num_rows + 1, dtype=np.int64)))
        return grids
    except ImportFailure:
        raise
    except Exception as exc:  # calamine raises its own types for corrupt or encrypted workbooks
        raise ImportFailure(f"Không đọc được tệp Excel {path.name}: tệp hỏng, có mật khẩu hoặc không phải Excel ({exc}).")


def _decode_sample(raw: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFailure("không nhận ra bảng mã ký tự (cần UTF-8).")


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same, largest number of fields."""
    best, best_score = ",", -1
    for delim in (",", ";", "\t", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        widest = max(counts, default=0)
        score = sum(1 for c in counts if c == widest and c > 1) * widest
        if score > best_score:
            best, best_score = delim, score
    return best


def _nonblank_line_numbers(data: bytes) -> np.ndarray:
    """1-based numbers of the lines that are not empty: DuckDB skips empty lines, a user counts them."""
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    lengths = stops - starts
    # a line holding only '\r' is empty too
    cr_only = (lengths == 1) & (buf[np.minimum(starts, len(buf) - 1)] == 13) if len(buf) else lengths
    nonblank = (lengths > 0) & ~cr_only
    return np.flatnonzero(nonblank).astype(np.int64) + 1


def _read_csv_table(con, path: Path, delim: str, columns: dict, parallel: bool) -> pa.Table:
    # auto_detect off: the sniffer trips on title rows of other widths; null_padding fills short title and
    # signature rows.
    return con.sql(
        "SELECT * FROM read_csv(?, auto_detect=false, delim=?, quote='\"', escape='\"', header=false,"
        " null_padding=true, parallel=?, strict_mode=false, columns=?)",
        params=[str(path), delim, parallel, columns]).to_arrow_table()


def _read_csv(path: Path) -> Grid:
    data = path.read_bytes()
    if not data.strip():
        raise ImportFailure(f"Tệp {path.name} rỗng.")
    try:
        sample = data[:200_000]
        if len(data) > len(sample):  # cut at a line end, never inside a multi-byte character
            sample = sample[:sample.rfind(b"\n") + 1] or sample
        text, encoding = _decode_sample(sample)
    except ImportFailure as exc:
        raise ImportFailure(f"Tệp {path.name}: {exc}")
    read_path = path
    if encoding != "utf-8-sig":
        # DuckDB reads UTF-8 only: legacy files (UTF-16, Windows-1258) are read from a UTF-8 copy, removed after.
        data = data.decode(encoding).encode("utf-8")
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
            tmp.write(data)
        read_path = Path(tmp.name)
    lines = text.splitlines()[:SAMPLE_LINES]
    delim = _sniff_delimiter(lines)
    width = max((len(row) for row in csv.reader(lines, delimiter=delim)), default=1)
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    con = duckdb.connect()
    try:
        table = _read_csv_table(con, read_path, delim, columns, parallel=True)
    except duckdb.Error:
        # The parallel reader cannot pad short rows when values hold quoted newlines: read serially instead.
        try:
            table = _read_csv_table(con, read_path, delim, columns, parallel=False)
        except duckdb.Error as exc:
            raise ImportFailure(f"Không đọc được tệp CSV {path.name}: {str(exc).splitlines()[0]}")
    finally:
        con.close()
        if read_path != path:
            read_path.unlink(missing_ok=True)
    line_numbers = _nonblank_line_numbers(data)
    if len(line_numbers) != table.num_rows:
        # Values with quoted newlines: line numbers no longer match records, fall back to record order.
        line_numbers = np.arange(1, table.num_rows + 1, dtype=np.int64)
    return Grid(None, table, line_numbers)
