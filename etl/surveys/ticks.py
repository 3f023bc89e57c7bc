"""A questionnaire typed in Excel as the paper form is laid out: each question's label merged over five answer columns
(1 … 5, or the five answer words, «1. Rất không hài lòng», in either order; numbered in print order, «1. Rất hài
lòng», the words count) and a mark («x») under the answer given. Turned into one column per question
holding the answer's number before any kind reads the sheet, so the survey loader sees its usual layout."""
import functools
import re
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common.text import norm_key
from etl.core.marks import MARKS, NOT_MARKED, marked, trimmed
from etl.core.readers import Grid
from etl.core.vocab import is_totals_key
from etl.surveys.vocab import answer_words

_HEAD_ROWS = 12
# More than one mark under one question: kept as this text, an invalid answer the summary lists (surveys.md).
SEVERAL_MARKS = "nhiều ô được đánh dấu"


@functools.lru_cache(maxsize=None)
def _answer_numbers() -> dict[str, int]:
    """An answer column's header → the answer it stands for: the numbers 1–5, or a word of the rating scale."""
    return {**{key: value for scale, key, value in answer_words() if scale == "rating" and value is not None},
            **{str(n): n for n in range(1, 6)}}


def _key(cell) -> str:
    text = str(cell or "").strip()
    return text[:-2] if text.endswith(".0") else norm_key(text)


# «1. Rất không hài lòng», «5 - Rất hài lòng», «(4) Hài lòng»: the answer's number before its words
_NUMBERED_ANSWER = re.compile(r"\(?([1-5])\)?\s*[.):–-]?\s+(\S.*)")


def _answer_of(cell) -> int | None:
    """The answer an answer column's header stands for: a number 1–5, a word of the rating scale, or a number
    before its words (when the words are a rating word, they must say the same answer)."""
    numbers = _answer_numbers()
    found = numbers.get(_key(cell))
    if found is not None:
        return found
    numbered = _NUMBERED_ANSWER.fullmatch(str(cell or "").strip())
    if not numbered:
        return None
    said = numbers.get(norm_key(numbered.group(2)))
    return int(numbered.group(1)) if said in (None, int(numbered.group(1))) else None


def _word_of(cell) -> int | None:
    """The answer the words of an answer column's header say, its number (if any) left aside: «1. Rất hài lòng» is 5
    on a form that numbers its boxes in print order, best first (probe 17)."""
    numbered = _NUMBERED_ANSWER.fullmatch(str(cell or "").strip())
    words = numbered.group(2) if numbered else str(cell or "")
    return _answer_numbers().get(norm_key(words))


def _run_answers(cells: list) -> list:
    """The answers of five answer columns: by their numbers or words as _answer_of reads them; when that gives no
    whole scale, by their words alone, if those name all five answers (the numbers are then the print order)."""
    answers = [_answer_of(c) for c in cells]
    if sorted(a or 0 for a in answers) == [1, 2, 3, 4, 5]:
        return answers
    words = [_word_of(c) for c in cells]
    return words if sorted(w or 0 for w in words) == [1, 2, 3, 4, 5] else answers


def _runs(top: list, below: list) -> list[tuple[int, list[int]]]:
    """(first column, the answer of each of its five columns) of the five-column answer runs: a label over them (the
    other four cells empty: merged) and the five answers of the scale under them, in any order (forms print
    «Rất hài lòng» first as often as last)."""
    out, j = [], 0
    while j + 5 <= len(below):
        answers = _run_answers(below[j:j + 5])
        label = top[j] if j < len(top) else None
        if sorted(a or 0 for a in answers) == [1, 2, 3, 4, 5] and str(label or "").strip() and not any(
                str(c or "").strip() for c in top[j + 1:j + 5]):
            out.append((j, answers))
            j += 5
        else:
            j += 1
    return out


def _folded(table: pa.Table, j: int, answers: list[int], label_row: int) -> pa.Array:
    """The run starting at column j (its columns' answers in order) as one column: the answer marked (its number as
    text), SEVERAL_MARKS, or empty; the rows down to the question labels' as they are."""
    marks = np.column_stack([marked(table.column(j + k)).to_numpy(zero_copy_only=False) for k in range(5)])
    count, answer = marks.sum(axis=1), np.array(answers)[marks.argmax(axis=1)]
    folded = np.full(table.num_rows, None, dtype=object)
    folded[count == 1] = answer[count == 1].astype(str)
    folded[count > 1] = SEVERAL_MARKS
    folded[:label_row + 1] = table.column(j).slice(0, label_row + 1).to_pylist()
    return pa.array(folded, pa.string())


def _totals_rows(below: pa.Table, first_run: int) -> np.ndarray:
    """Which lines open with a totals word («Tổng cộng», «Cộng», «Tổng số»…) in a cell left of the answer runs."""
    out = np.zeros(below.num_rows, dtype=bool)
    if first_run == 0:
        return out
    for r, row in enumerate(zip(*(below.column(j).to_pylist() for j in range(first_run)))):
        out[r] = is_totals_key(norm_key(next((str(c).strip() for c in row if c is not None and str(c).strip()), "")))
    return out


def untick(grid: Grid) -> Grid:
    """The grid with each answer run folded into one column of answer numbers (blank: no mark; several marks:
    SEVERAL_MARKS), the row of answer headers left out; the grid itself when it has no such runs (two at least, so
    a table that happens to number five columns is left alone) or when the runs hold anything but marks (a results
    table: how many answered 1 … 5, which the survey loader refuses with its own message)."""
    rows = grid.head_rows(_HEAD_ROWS)
    for i in range(len(rows) - 1):
        runs = _runs(rows[i], rows[i + 1])
        if len(runs) >= 2:
            break
    else:
        return grid
    table = grid.table
    below = table.slice(i + 2)
    starts = {j: answers for j, answers in runs}
    # a totals line under the marks («Tổng cộng | 2 | 0 | …», what the officer counted) holds counts, not marks:
    # left out of the look at the cells (probe 42: it stopped every mark being read) and emptied under the runs, so
    # the survey loader skips it as the totals line it is
    totals = _totals_rows(below, min(starts))
    lines = below.filter(pa.array(~totals)) if totals.any() else below
    cells = set().union(*(pc.unique(trimmed(lines.column(j + k))).to_pylist() for j in starts for k in range(5)))
    if not cells - {""} or not (cells - {""}) <= MARKS | NOT_MARKED:
        return grid
    in_run = {j + k for j in starts for k in range(1, 5)}
    kept_columns = [j for j in range(table.num_columns) if j not in in_run]
    columns = [_folded(table, j, starts[j], i) if j in starts else table.column(j).cast(pa.string())
               for j in kept_columns]
    if totals.any():
        emptied = np.concatenate([np.zeros(i + 2, dtype=bool), totals])
        columns = [pc.if_else(pa.array(emptied), pa.scalar(None, pa.string()), col) if j in starts else col
                   for j, col in zip(kept_columns, columns)]
    keep = np.arange(table.num_rows) != i + 1   # the row of answer headers
    new = pa.table({f"c{k}": col for k, col in enumerate(columns)}).filter(pa.array(keep))
    note = (f"{'Trang «' + grid.sheet + '»' if grid.sheet else 'Tệp'}: {len(runs)} câu hỏi đánh dấu dưới năm cột "
            "trả lời (1 … 5, theo số hay chữ ghi trên mỗi cột) được đọc thành điểm 1–5 theo cột được đánh dấu.")
    if any(sorted(_answer_of(c) or 0 for c in rows[i + 1][j:j + 5]) != [1, 2, 3, 4, 5] for j, _ in runs):
        note += (" Số ghi trên cột ngược với chữ («1. Rất hài lòng»): đọc theo chữ, số là thứ tự in trên phiếu "
                 "(«Rất hài lòng» là 5).")
    before = grid.source_columns   # messages still name the sheet's own column letters
    return replace(grid, table=new, row_numbers=grid.row_numbers[keep], hidden_columns=frozenset(),
                   notes=[*grid.notes, note],
                   source_columns=tuple(before[j] if before else j for j in kept_columns))
