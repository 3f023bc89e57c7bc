"""A choice column split into boxes: «Hình thức nộp» merged over «Trực tiếp | Trực tuyến | Bưu chính công ích» and an
«x» under the one that applies, as a register kept by hand in Excel lays it out. Folded into one column holding the
words of the box marked, so the dossier loader reads the choice as if the export had written it."""
import functools
import re
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common.text import norm_key
from etl.core.header import HeaderMatch, header_keys
from etl.core.marks import MARKS, NOT_MARKED, marked, trimmed
from etl.core.readers import Grid
from etl.core.vocab import is_totals_key, value_phrases, value_words
from etl.dossiers.fields import FIELD_LABELS, alias_index
from etl.dossiers.sql import FLAG_FIELDS, VOCAB_FIELDS

# A row of column numbers under the header («(1) | (2) | …»): no line of marks, and no dossier.
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")
_NOT_A_LETTER = re.compile(r"[^\w]+")
# Several boxes marked on one line: kept as this text, which no vocabulary reads, so the summary lists it.
SEVERAL_MARKED = "nhiều ô được đánh dấu"


@functools.lru_cache(maxsize=None)
def _choice_words(field: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(normalized words, phrases) that name one value of field: a box's label must be one of them. Kept per field:
    every dossier sheet's «Trạng thái», «Hình thức nộp» header asks it."""
    vocab = {field, "flag"} if field in FLAG_FIELDS else {field}
    return (frozenset(w for f, w, _ in value_words() if f in vocab),
            tuple(p for f, p, _ in value_phrases() if f in vocab))


def _names_a_value(cell, field: str) -> bool:
    """Whether a box's label is a value of field: a word of the vocabulary, or holding one of its phrases. A bare
    number («1», «2») is no label: under a header it is the row of column numbers."""
    text = str(cell or "").strip()
    if not text or _COLUMN_NUMBER.fullmatch(text):
        return False
    words, phrases = _choice_words(field)
    if any(k in words for k in header_keys(text)):
        return True
    padded = " " + " ".join(_NOT_A_LETTER.sub(" ", text.lower()).split()) + " "
    return any(f" {p} " in padded for p in phrases)


def _runs(top: list, below: list, index: dict[str, str]) -> list[tuple[int, int, str]]:
    """(first column, column count, field) of each choice header over two boxes or more: its cell names a field of
    choices, the cells right of it are empty (merged) or repeat it, and each box below names a value of that field."""
    out, j = [], 0
    while j < len(top):
        field = next((index[k] for k in header_keys(top[j]) if k in index), None) if top[j] else None
        width = 0
        if field in VOCAB_FIELDS:
            while (j + width < len(below) and _names_a_value(below[j + width], field)
                   and (width == 0 or j + width >= len(top) or not str(top[j + width] or "").strip()
                        or norm_key(top[j + width]) == norm_key(top[j]))):
                width += 1
        if width >= 2:
            out.append((j, width, field))
            j += width
        else:
            j += 1
    return out


def _lines_of_marks(table: pa.Table, first: int) -> np.ndarray:
    """Which lines from row `first` down are looked at for marks: not a totals line («Tổng cộng | 3 | 2»: counts) nor
    the row of column numbers."""
    rows = table.slice(first)
    keep = np.ones(rows.num_rows, dtype=bool)
    firsts = [next((str(c).strip() for c in row if c is not None and str(c).strip()), "")
              for row in zip(*(rows.column(j).to_pylist() for j in range(min(3, rows.num_columns))))]
    for r, text in enumerate(firsts):
        if is_totals_key(norm_key(text)):
            keep[r] = False
    if rows.num_rows:
        cells = [str(c).strip() for c in rows.slice(0, 1).to_pylist()[0].values() if c is not None and str(c).strip()]
        if len(cells) >= 3 and all(_COLUMN_NUMBER.fullmatch(c) for c in cells):
            keep[0] = False
    return keep


def _folded(table: pa.Table, j: int, width: int, labels: list[str], sub_row: int, lines: np.ndarray) -> pa.Array:
    """The boxes j … j+width-1 as one column: the label of the box marked, SEVERAL_MARKED, or empty; the rows above
    the boxes' labels as they are, the labels' row emptied, and a line that holds no marks (lines False: totals, the
    column numbers) its first box's cell, so that it is skipped as what it is."""
    marks = np.column_stack([marked(table.column(j + k)).to_numpy(zero_copy_only=False) for k in range(width)])
    count, which = marks.sum(axis=1), marks.argmax(axis=1)
    folded = np.full(table.num_rows, None, dtype=object)
    folded[count == 1] = np.array(labels, dtype=object)[which[count == 1]]
    folded[count > 1] = SEVERAL_MARKED
    as_written = np.ones(table.num_rows, dtype=bool)
    as_written[sub_row + 1:] = ~lines
    as_written[sub_row] = False
    folded[as_written] = np.array(table.column(j).cast(pa.string()).to_pylist(), dtype=object)[as_written]
    folded[sub_row] = None
    return pa.array(folded, pa.string())


def fold_marked_choices(grid: Grid, match: HeaderMatch, extra_aliases: tuple) -> Grid:
    """The grid with each choice header's boxes folded into its own column, the other boxes left out; the grid itself
    when the header has no such boxes, or when a box holds anything but a mark (a summary counting dossiers)."""
    sub_row = match.header_index if match.header_rows >= 2 else match.header_index + 1
    rows = grid.head_rows(sub_row + 1)
    if sub_row < 1 or len(rows) <= sub_row:
        return grid
    top, below = rows[sub_row - 1], rows[sub_row]
    runs = _runs(top, below, alias_index(extra_aliases))
    if not runs:
        return grid
    table = grid.table
    keep = _lines_of_marks(table, sub_row + 1)
    lines = table.slice(sub_row + 1).filter(pa.array(keep))
    cells = set().union(*(pc.unique(trimmed(lines.column(j + k))).to_pylist() for j, w, _ in runs for k in range(w)))
    if not cells - {""} or not (cells - {""}) <= MARKS | NOT_MARKED:
        return grid
    starts = {j: (w, [str(c).strip() for c in below[j:j + w]]) for j, w, _ in runs}
    boxes = {j + k for j, w, _ in runs for k in range(1, w)}
    kept_columns = [j for j in range(table.num_columns) if j not in boxes]
    columns = [_folded(table, j, *starts[j], sub_row, keep) if j in starts else table.column(j).cast(pa.string())
               for j in kept_columns]
    new = pa.table({f"c{k}": col for k, col in enumerate(columns)})
    where = f"Trang «{grid.sheet}»" if grid.sheet else "Tệp"
    def named(j: int, field: str) -> str:
        label = FIELD_LABELS.get(field, field)
        return f"«{top[j]}»" + ("" if norm_key(top[j]) == norm_key(label) else f" ({label})")
    told = "; ".join(f"cột {named(j, f)} chia thành {w} ô " + ", ".join(f"«{c}»" for c in starts[j][1])
                     for j, w, f in runs)
    note = (f"{where}: {told}, đánh dấu «x» vào ô đúng với hồ sơ: mỗi hồ sơ được đọc theo ô được đánh dấu (đánh dấu "
            f"nhiều ô thì ghi «{SEVERAL_MARKED}», không ô nào thì để trống).")
    before = grid.source_columns   # messages still name the sheet's own column letters
    return replace(grid, table=new, notes=[*grid.notes, note],
                   hidden_columns=frozenset(k for k, j in enumerate(kept_columns) if j in grid.hidden_columns),
                   source_columns=tuple(before[j] if before else j for j in kept_columns))
