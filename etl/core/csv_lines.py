"""Where each record of a CSV file starts and which lines cannot be read, found on the bytes before DuckDB splits
the cells, so that every line is accounted for: a record, an empty line, or a line rejected with its number.

A quoted cell may hold line breaks (Excel writes them so). A quote that is never closed, or closed so far down that
whole records sit inside it, would swallow the lines below it: that line is rejected instead and the lines after
it are read as the records they are. A record longer than MAX_RECORD_BYTES is rejected too (no export row comes
near it; DuckDB would refuse the whole file). Vectorized over the bytes with numpy; only the few lines holding an
odd number of quotes are looked at one by one."""
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

# A dossier row is a few hundred bytes; a cell of an xlsx holds at most 32.767 characters.
MAX_RECORD_BYTES = 1_000_000
QUOTE = 34

# The same, on the file's last line when the file stops there without a line break: no line below it is read, and
# the file was most likely cut off while exported or downloaded (probe 57).
UNCLOSED_AT_END = ("dấu ngoặc kép (\") mở ở dòng cuối này không được đóng và tệp dừng giữa dòng, không có dấu xuống "
                   "dòng: tệp có thể đã bị cắt cụt khi xuất hoặc tải về. Hãy xuất lại tệp rồi nạp lại.")
UNCLOSED_QUOTE = ("dấu ngoặc kép (\") mở ở dòng này không được đóng đúng chỗ, nên không tách được các ô của dòng; "
                  "các dòng bên dưới vẫn được đọc. Sửa ô đó trong tệp rồi nạp lại.")


def too_long(n_bytes: int) -> str:
    return (f"dòng dài {n_bytes:,} byte, quá giới hạn {MAX_RECORD_BYTES:,} byte của một dòng hồ sơ; các dòng khác "
            "vẫn được đọc.").replace(",", ".")


@dataclass
class LineScan:
    """record_lines: 1-based number of the line each record starts on, in the order DuckDB returns the records.
    blank_lines: empty lines (DuckDB drops them). rejected: (line number, Vietnamese reason) of the records taken
    out before DuckDB reads the file; cut: their byte ranges, to be emptied in the copy DuckDB reads.
    multiline: some quoted cell spans lines (DuckDB must then read serially). notes: what the summary says of the
    file as a whole (a last line cut off)."""
    record_lines: np.ndarray
    blank_lines: np.ndarray
    rejected: list[tuple[int, str]]
    cut: list[tuple[int, int]]
    multiline: bool
    notes: list[str] = field(default_factory=list)


def _quote_state(text: bytes, delim: int, inside: bool) -> tuple[bool, int]:
    """(inside a quoted cell at the end of the line, offset of the first quote that closes a cell or -1), reading
    as DuckDB does: a quote opens a cell only at its start, "" inside a quoted cell is a quote, a lone one closes."""
    at_start, closed_at, i, n = True, -1, 0, len(text)
    while i < n:
        ch = text[i]
        if inside:
            if ch == QUOTE:
                if i + 1 < n and text[i + 1] == QUOTE:
                    i += 2
                    continue
                inside = False
                closed_at = i if closed_at < 0 else closed_at
        elif ch == QUOTE and at_start:
            inside = True
        at_start = ch == delim
        i += 1
    return inside, closed_at


# Bytes compared per step in offsets_of: a few MB of booleans reused, instead of one the size of the file
# (allocating and first touching 150 MB of fresh memory cost 0,5–2 s on a loaded machine; the steps take 0,07 s).
_STEP = 1 << 22


def _matches(data: bytes, byte: int):
    """(offset of a step, booleans: which of its bytes equal byte) for each step of data; the booleans are
    overwritten by the next step."""
    buf = np.frombuffer(data, dtype=np.uint8)
    hits = np.empty(min(_STEP, len(buf)), dtype=bool)
    for start in range(0, len(buf), _STEP):
        chunk = buf[start:start + _STEP]
        found = hits[:len(chunk)]
        np.equal(chunk, byte, out=found)
        yield start, found


def offsets_of(data: bytes, byte: int) -> np.ndarray:
    """Offsets (int64, ascending) of every occurrence of one byte value in data."""
    return np.concatenate([np.zeros(0, dtype=np.int64),
                           *(np.flatnonzero(found) + start for start, found in _matches(data, byte))])


def count_of(data: bytes, byte: int) -> int:
    """How many times one byte value occurs in data (bytes.count is four times slower for one byte)."""
    return sum(int(np.count_nonzero(found)) for _, found in _matches(data, byte))


def line_breaks(data: bytes) -> np.ndarray:
    """Offsets of the '\n' bytes."""
    return offsets_of(data, 10)


def has_bare_cr(data: bytes, nl: np.ndarray) -> bool:
    """Whether a CR stands alone as a line end (old Mac files, or lines pasted from one into another)."""
    if b"\r" not in data:
        return False
    buf = np.frombuffer(data, dtype=np.uint8)
    return count_of(data, 13) != int(np.count_nonzero(buf[nl[nl > 0] - 1] == 13))


def scan_lines(data: bytes, delim: str, width: int, nl: np.ndarray | None = None) -> LineScan:
    """data: UTF-8 bytes with '\n' or '\r\n' line ends (bare CRs already turned into '\n'); nl: its line_breaks
    when already found."""
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = line_breaks(data) if nl is None else nl
    starts = np.concatenate(([0], nl + 1)).astype(np.int64)
    ends = np.concatenate((nl, [len(buf)])).astype(np.int64)
    if starts[-1] == len(buf):   # the file ends with a line break: no line after it
        starts, ends = starts[:-1], ends[:-1]
    cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    stops = ends - cr
    n = len(starts)
    continued = np.zeros(n, dtype=bool)      # lines inside a quoted cell that began on a line above
    rejected: dict[int, str] = {}
    if b'"' in data:
        quotes = offsets_of(data, QUOTE)
        odd = np.flatnonzero((np.searchsorted(quotes, stops) - np.searchsorted(quotes, starts)) % 2 == 1)
        if len(odd):
            _pair_quoted_spans(data, starts, stops, odd, ord(delim), max(2, width // 2), continued, rejected)
    if n and rejected.get(n - 1) == UNCLOSED_QUOTE and not data.endswith(b"\n"):
        rejected[n - 1] = UNCLOSED_AT_END
    first = np.flatnonzero(~continued)                    # each record's first line
    last = np.append(first[1:] - 1, n - 1)                # and its last
    sizes = stops[last] - starts[first]
    cut = []
    for k in np.flatnonzero(sizes > MAX_RECORD_BYTES):
        rejected[int(first[k])] = too_long(int(sizes[k]))
        cut.append((int(starts[first[k]]), int(stops[last[k]])))
    cut += [(int(starts[i]), int(stops[i])) for i in rejected if not any(a <= starts[i] < b for a, b in cut)]
    blank = (stops == starts) & ~continued
    taken = np.zeros(n, dtype=bool)
    taken[list(rejected)] = True
    records = ~continued & ~blank & ~taken
    cut_off = None
    if data and not data.endswith(b"\n"):   # the last records: their first line, and where they stop
        kept = np.flatnonzero(records)[-_CUT_OFF_RECORDS:]
        ends_at = [int(first[np.searchsorted(first, k + 1)] - 1) if k + 1 <= first[-1] else n - 1 for k in kept]
        cut_off = cut_off_note(data, delim, [(int(k) + 1, int(starts[k]), int(stops[e])) for k, e in zip(kept, ends_at)])
    return LineScan(record_lines=np.flatnonzero(records).astype(np.int64) + 1,
                    blank_lines=np.flatnonzero(blank).astype(np.int64) + 1,
                    rejected=sorted((i + 1, why) for i, why in rejected.items()),
                    cut=sorted(cut), multiline=bool(continued.any()), notes=[cut_off] if cut_off else [])


# Records looked at for a file cut off in its last line: the last one, and those above it it is measured against.
_CUT_OFF_RECORDS = 21


def cut_off_note(data: bytes, delim: str, spans: list[tuple[int, int, int]]) -> str | None:
    """The file looks cut off while it was exported or downloaded: it does not end with a line break, and its last
    record begins as the record above it does (the shape of the first cell: «TR-05» under «TR-04», not a signature
    line under the dossiers) and has fewer cells (two at least) than the records of that shape above it most often
    have (one line widened by an unquoted comma does not count). spans: (first line number, start, stop byte) of
    the file's last records, the last one last. Probe 51: the last dossier «TR-05,Phường 9,Trực tuyến,28/03/20»
    was rejected for its date with no word of the file being cut; a differential check of 163 files then found
    the first rule (fewer cells than the widest of the first lines) warning on 15 whole files."""
    if not data or data.endswith(b"\n") or len(spans) < 2:
        return None
    line, start, stop = spans[-1]
    last = _cells_of(data[start:stop], delim)
    if len(last) < 2:
        return None
    above = [cells for cells in (_cells_of(data[a:b], delim) for _, a, b in spans[:-1]) if cells]
    shape = _shape(last[0])
    if not above or _shape(above[-1][0]) != shape:   # under another kind of line: a footer, not a dossier cut off
        return None
    usual = Counter(len(cells) for cells in above if _shape(cells[0]) == shape).most_common(1)[0][0]
    if len(last) >= usual:
        return None
    return (f"Dòng cuối của tệp (dòng {line}) chỉ có {len(last)} ô, ít hơn các dòng phía trên ({usual} ô), và tệp "
            "không kết thúc bằng dấu xuống dòng: tệp có thể đã bị cắt cụt khi xuất hoặc tải về. Hãy kiểm tra dòng đó, "
            "và xuất lại tệp nếu thiếu hồ sơ.")


def _cells_of(record: bytes, delim: str) -> list[str]:
    """The cells of one record (its quoted cells may span lines); [] when it cannot be split."""
    try:
        return next(csv.reader(io.StringIO(record.decode("utf-8", errors="replace"), newline=""), delimiter=delim), [])
    except csv.Error:
        return []


def _shape(cell: str) -> str:
    """A cell's shape: each run of digits one '9', of letters one 'a', other characters as they are («TR-05» and
    «TR-123» are 'a-9'; «Người lập biểu» is 'a a a')."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "9", cell.strip()))


def _pair_quoted_spans(data, starts, stops, odd, delim, record_delims, continued, rejected) -> None:
    """Pairs the lines holding an odd number of quotes into quoted cells spanning lines. A span is kept when its
    quote closes and no line inside it looks like records of its own (record_delims delimiters or more): a cell
    with a line break holds a few words, not the rest of the file."""
    def line(i):
        return data[starts[i]:stops[i]]
    k = 0
    while k < len(odd):
        a = int(odd[k])
        if not _quote_state(line(a), delim, False)[0]:   # a quote inside an unquoted value (5" LCD): literal
            k += 1
            continue
        close = next((j for j in range(k + 1, len(odd)) if not _quote_state(line(int(odd[j])), delim, True)[0]), None)
        if close is not None:
            b = int(odd[close])
            closing = _quote_state(line(b), delim, True)[1]
            inner = [line(i) for i in range(a + 1, b)] + [line(b)[:max(closing, 0)]]
            if all(part.count(delim) < record_delims for part in inner):
                continued[a + 1:b + 1] = True
                k = close + 1
                continue
        rejected[a] = UNCLOSED_QUOTE
        k += 1
