"""Trim every cell of a grid once, in Arrow, before SQL reads it: blanks at both ends (spaces, tabs, line breaks,
no-break and zero-width spaces, a BOM) go, as trim(cell, BLANKS) in DuckDB would take them, and Excel's text marks
(a leading apostrophe; in a CSV, the ="…" wrapper).

Nearly no cell of an export starts or ends with one, so the cells that may are found on the UTF-8 bytes (the
first and the last byte of each cell, a few milliseconds per million cells) and only those are trimmed. A regular
expression per cell in SQL cost a second of CPU per million rows of 12 columns."""
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# What a cell is trimmed of: the same characters as the SQL trim this replaced.
BLANKS = " \t\n\r\u00a0\u200b\ufeff"
_ENCODED = [np.frombuffer(ch.encode(), dtype=np.uint8) for ch in BLANKS]
# The bytes a blank's UTF-8 encoding starts with, and ends with, as lookup tables by byte: a cell whose first byte
# (or last byte) is none of these cannot start (end) with a blank. Multi-byte blanks share these bytes with letters
# ('ế' ends with 0xBF as the BOM does), so the few cells found are then compared with each blank's bytes.
_FIRST_BYTES = np.isin(np.arange(256), [b[0] for b in _ENCODED])
_LAST_BYTES = np.isin(np.arange(256), [b[-1] for b in _ENCODED])
# The one-byte blanks: such a byte never stands inside a letter's encoding, so a cell beginning or ending with one
# surely has a blank to trim.
_ASCII_BLANKS = np.isin(np.arange(256), [b[0] for b in _ENCODED if len(b) == 1])
_OFFSETS = {pa.string(): np.int32, pa.large_string(): np.int64}
_TEXT_TYPES = (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view)


# Set in the schema of a table trimmed_table returns: the dossier loader trims the grid before it empties the
# "none" marks, and registering the grid for SQL then costs no second pass over every cell (0,16 s per million rows
# of 12 columns). pyarrow keeps schema metadata through set_column and append_column.
_TRIMMED_KEY = b"cchc.cells_trimmed"


def trimmed_table(table: pa.Table, excel_text_wrappers: bool = False) -> pa.Table:
    """The table with every text cell trimmed of BLANKS at both ends (a blank cell becomes '', NULL stays NULL).
    excel_text_wrappers: a CSV's cells written ="…" are also their text (_unwrapped_chunk)."""
    metadata = table.schema.metadata or {}
    if metadata.get(_TRIMMED_KEY) == b"1" and not excel_text_wrappers:
        return table
    for j, column in enumerate(table.columns):
        if column.null_count == len(column) or not any(is_text(column.type) for is_text in _TEXT_TYPES):
            continue
        read = column if column.type in _OFFSETS else column.cast(pa.large_string())   # string_view: as bytes
        old = read.chunks
        chunks = [_cleaned_chunk(chunk, excel_text_wrappers) for chunk in old]
        if read is not column or any(new is not chunk for new, chunk in zip(chunks, old)):
            table = table.set_column(j, pa.field(table.field(j).name, read.type), pa.chunked_array(chunks, read.type))
    return table.replace_schema_metadata({**metadata, _TRIMMED_KEY: b"1"})


_EQ, _QUOTE, _APOSTROPHE = ord("="), ord('"'), ord("'")


def _cleaned_chunk(chunk: pa.Array, excel_text_wrappers: bool) -> pa.Array:
    """The chunk trimmed and its Excel text marks taken off, decided by one look at the first and last byte of its
    cells: a chunk with no cell starting or ending with a byte any step looks at (nearly every chunk of an export)
    is left as it is (11 columns of a million rows without one: about 0,01 s)."""
    starts, ends, data = cell_bytes(chunk)
    if data is None or not len(data):
        return chunk
    last = len(data) - 1
    filled = ends > starts
    first, final = data[np.minimum(starts, last)], data[np.maximum(ends - 1, 0)]
    maybe_blank = filled & (_FIRST_BYTES[first] | _LAST_BYTES[final])
    marked = filled & ((first == _APOSTROPHE) | (first == _EQ) | (final == _QUOTE))
    if not maybe_blank.any() and not marked.any():
        return chunk
    if (maybe_blank & (_ASCII_BLANKS[first] | _ASCII_BLANKS[final])).any():
        # A space, tab or line break at a cell's end: the chunk changes, and trimming all of it in one pass (a cell
        # without a blank at its ends comes out as it was) costs less than picking out those cells (a column of a
        # million cells, most with a leading space: 0,15 → 0,015 s).
        chunk = pc.utf8_trim(chunk, BLANKS)
    elif maybe_blank.any():   # only bytes a letter may end with ('ế', 'à'): the cells are looked at, not copied
        chunk = _trimmed_chunk(chunk)
    chunk = _unquoted_chunk(chunk)
    return _unwrapped_chunk(chunk) if excel_text_wrappers else chunk


def _trimmed_chunk(chunk: pa.Array) -> pa.Array:
    may = _may_need_trim(chunk)
    if not may.any():
        return chunk
    mask = pa.array(may)
    return pc.replace_with_mask(chunk, mask, pc.utf8_trim(chunk.filter(mask), BLANKS))


def _unquoted_chunk(chunk: pa.Array) -> pa.Array:
    """Cells typed with Excel's text mark, a leading apostrophe ('000101, '27/02/2024, '2: how some web exports keep
    Excel from reading them as numbers): their text without it. Kept, it made a count «not a number» and a code that
    a plain export of the same dossier did not match (probe 31)."""
    starts, ends, data = cell_bytes(chunk)
    if data is None or not len(data):
        return chunk
    marked = (ends - starts >= 2) & (data[np.minimum(starts, len(data) - 1)] == _APOSTROPHE)
    if not marked.any():
        return chunk
    # a quotation ('Một cửa' liên thông) has a second apostrophe: kept as written
    found = np.flatnonzero(marked)
    single = pc.equal(pc.count_substring(chunk.filter(pa.array(marked)), "'"), 1).to_numpy(zero_copy_only=False)
    marked = np.zeros(len(chunk), dtype=bool)
    marked[found[single]] = True
    if not marked.any():
        return chunk
    mask = pa.array(marked)
    return pc.replace_with_mask(chunk, mask, pc.utf8_trim(pc.utf8_slice_codeunits(chunk.filter(mask), 1), BLANKS))


def _unwrapped_chunk(chunk: pa.Array) -> pa.Array:
    """Cells written as Excel writes a text it must not turn into a number, ="000123" (leading zeros of a code, a
    fee): their text, 000123. Read as written, a fee was «not a number» and every line rejected, and a code kept its
    wrapper, so the next export writing it plainly made a second dossier (probe 23)."""
    starts, ends, data = cell_bytes(chunk)
    if data is None or not len(data):
        return chunk
    last = len(data) - 1
    wrapped = ((ends - starts >= 3) & (data[np.minimum(starts, last)] == _EQ)
               & (data[np.minimum(starts + 1, last)] == _QUOTE) & (data[np.maximum(ends - 1, 0)] == _QUOTE))
    if not wrapped.any():
        return chunk
    mask = pa.array(wrapped)
    inner = pc.replace_substring(pc.utf8_slice_codeunits(chunk.filter(mask), 2, -1), '""', '"')
    return pc.replace_with_mask(chunk, mask, inner)


def cell_bytes(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(first byte, end) offsets of each cell of a string chunk, and its UTF-8 bytes (None when it has none): what a
    check of a cell's first or last bytes reads, without a Python loop over the cells."""
    _, offsets, data = chunk.buffers()
    offsets = np.frombuffer(offsets, dtype=_OFFSETS[chunk.type])[chunk.offset:chunk.offset + len(chunk) + 1]
    return (offsets[:-1].astype(np.int64), offsets[1:].astype(np.int64),
            None if data is None else np.frombuffer(data, dtype=np.uint8))


def _may_need_trim(chunk: pa.Array) -> np.ndarray:
    """Per cell, whether it starts or ends with a blank (False for NULL and empty cells)."""
    starts, ends, data = cell_bytes(chunk)
    filled = ends > starts   # (a NULL cell that holds bytes and is trimmed stays NULL)
    if data is None or not filled.any():
        return np.zeros(len(chunk), dtype=bool)
    last = len(data) - 1   # an empty cell at the end points past the bytes: it is not filled anyway
    found = np.flatnonzero(filled & (_FIRST_BYTES[data[np.minimum(starts, last)]]
                                     | _LAST_BYTES[data[np.maximum(ends - 1, 0)]]))
    s, e = starts[found], ends[found]
    blank = np.zeros(len(found), dtype=bool)
    for encoded in _ENCODED:
        n = len(encoded)
        long_enough = e - s >= n
        head = tail = long_enough
        for k, byte in enumerate(encoded):
            head = head & (data[np.minimum(s + k, last)] == byte)
            tail = tail & (data[np.clip(e - n + k, 0, last)] == byte)
        blank |= head | tail
    may = np.zeros(len(chunk), dtype=bool)
    may[found[blank]] = True
    return may
