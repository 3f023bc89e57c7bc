"""The answer-code legend a questionnaire file gives («1 = Rất hài lòng; …; 5 = Rất không hài lòng»): what its numbers mean."""
import functools
import re
import unicodedata

from common.text import norm_key, strip_diacritics
from etl.core.errors import ImportFailure
from etl.surveys.vocab import answer_words

# The Ministry's scale, which a bare number is read by: 1 Rất không hài lòng … 5 Rất hài lòng (surveys.md). A paper
# survey typed by hand may number its answers the other way round and say so once: in a title line, in a note under
# the table, or on a sheet of its own («Quy ước | Mã | Ý nghĩa»). Read by that scale, its figures come out reversed
# (probe 32: 92 % read as 6 %), so the legend is followed, and a legend that cannot be followed refuses the file.
_SCAN_TAIL_ROWS = 40        # the lines under a table a note stands in
_SIDE_SHEET_ROWS = 60       # a legend sheet is a short table


@functools.lru_cache(maxsize=1)
def _word_values() -> tuple[re.Pattern, dict[str, int]]:
    """(the pattern of «number, sign, answer words», answer words → value) over the rating words of several letters
    (an abbreviation such as «HL» is too likely to stand beside a number by chance). A legend writes the number
    first and a sign after it — «1 = Rất hài lòng», «1 - Rất hài lòng», «1: …», «(1) …», «1. …»; a count of answers
    («Rất hài lòng 2 phiếu») or a respondent's sentence («thủ tục 5 rất hài lòng») is none."""
    values = {key: value for scale, key, value in answer_words()
              if scale == "rating" and value is not None and len(key) >= 5}
    words = "|".join(r"\s+".join(map(re.escape, k.split())) for k in sorted(values, key=len, reverse=True))
    return (re.compile(rf"(?<![\w.,])(?:\(\s*([1-5])\s*\)|([1-5])\s*(?:=|:|-|–|—|\.|\)))\s*({words})(?!\w)"),
            values)


# A number that counts something other than an answer: «Câu 1: Rất hài lòng …», «Tiêu chí 2 - Hài lòng …».
_COUNTED_BEFORE = re.compile(r"(?:cau|cau hoi|tieu chi|tc|yeu to|hl|muc|phieu|so)\s*$")


def _plain(text) -> str:
    """Lower case without diacritics, the signs kept: what the legend pattern reads."""
    return strip_diacritics(unicodedata.normalize("NFC", str(text)).lower())


def _pairs_in_text(text) -> list[tuple[int, int]]:
    """The (number, value) pairs one cell states; fewer than two is no legend."""
    pattern, values = _word_values()
    plain = _plain(text)
    pairs = [(int(m.group(1) or m.group(2)), values[" ".join(m.group(3).split())])
             for m in pattern.finditer(plain) if not _COUNTED_BEFORE.search(plain[:m.start()])]
    return pairs if len(pairs) >= 2 else []


# The headers of a legend table: «Mã trả lời | Ý nghĩa», «Mã | Nội dung trả lời», «Quy ước | Mức độ».
_LEGEND_HEADERS = ("ma", "ma tra loi", "ma so", "quy uoc", "y nghia", "noi dung", "noi dung tra loi", "chu giai",
                   "giai thich", "dien giai", "muc do", "muc do hai long", "dap an", "phuong an tra loi")


def _pairs_in_table(rows: list[list]) -> list[tuple[int, int]]:
    """The pairs of a legend sheet: under a legend's header («Mã trả lời | Ý nghĩa»), rows of a number 1–5 and
    then an answer's words, and nothing else. A count table («Rất hài lòng | 2») writes the words first."""
    _, values = _word_values()
    texts = [[str(c).strip() for c in row if c is not None and str(c).strip()] for row in rows]
    titled = any(norm_key(c) in _LEGEND_HEADERS or norm_key(c).startswith(("quy uoc", "chu giai", "ma tra loi"))
                 for row in texts[:3] for c in row)
    pairs = [(int(float(cells[0])), values[norm_key(cells[1])]) for cells in texts
             if len(cells) == 2 and re.fullmatch(r"[1-5](?:\.0)?", cells[0]) and norm_key(cells[1]) in values]
    return pairs if titled and len(pairs) >= 2 else []


def _where(grid, index: int) -> str:
    where = f"dòng {int(grid.row_numbers[index])}"
    return f"trang «{grid.sheet}», {where}" if grid.sheet else where


def _legends(grid, header_index: int, side_grids) -> list[tuple[list[tuple[int, int]], str]]:
    """Every legend the file states: (pairs, where), from the lines above and in the header, the lines of one or
    two cells under the table (a note; a questionnaire's line has more), and short sheets of their own."""
    found = []
    rows = grid.table.num_rows
    tail_start = max(header_index + 1, rows - _SCAN_TAIL_ROWS)
    head = grid.table.slice(0, header_index + 1).to_pylist()
    tail = grid.table.slice(tail_start).to_pylist()
    for offset, lines, any_width in ((0, head, True), (tail_start, tail, False)):
        for i, row in enumerate(lines):
            cells = [c for c in row.values() if isinstance(c, str) and c.strip()]
            if not any_width and len(cells) > 2:
                continue
            for cell in cells:
                pairs = _pairs_in_text(cell)
                if pairs:
                    found.append((pairs, _where(grid, offset + i)))
    for side in side_grids:
        if side.table.num_rows > _SIDE_SHEET_ROWS:
            continue
        lines = [list(r.values()) for r in side.table.to_pylist()]
        pairs = _pairs_in_table(lines) or [p for row in lines for c in row if isinstance(c, str)
                                           for p in _pairs_in_text(c)]
        if pairs:
            found.append((pairs, f"trang «{side.sheet}»"))
    return found


def number_meanings(grid, header_index: int, side_grids, file_name: str) -> tuple[dict[int, int] | None, str | None]:
    """({number in an answer cell: score}, the note saying so) when the file's legend numbers its answers otherwise
    than the Ministry's scale; (None, None) when it states none or states that scale. A legend that is neither that
    scale, nor it reversed, nor a whole numbering of the five answers — or two legends that disagree — refuses the
    file: its numbers cannot be read with any confidence."""
    legends = _legends(grid, header_index, side_grids)
    if not legends:
        return None, None
    meanings = {}
    for pairs, where in legends:
        for number, value in pairs:
            if meanings.setdefault(number, (value, where))[0] != value:
                raise ImportFailure(
                    f"Tệp {file_name}: quy ước mã trả lời không thống nhất — số {number} được giải thích khác nhau "
                    f"({meanings[number][1]} và {where}). Hãy sửa quy ước cho đúng một nghĩa rồi nạp lại. Không nạp "
                    "dòng nào từ tệp này.")
    stated = {n: v for n, (v, _) in meanings.items()}
    where = "; ".join(dict.fromkeys(w for _, w in legends))
    if all(n == v for n, v in stated.items()):
        return None, None
    if all(v == 6 - n for n, v in stated.items()):
        mapping = {n: 6 - n for n in range(1, 6)}
    elif sorted(stated) == [1, 2, 3, 4, 5] and sorted(stated.values()) == [1, 2, 3, 4, 5]:
        mapping = stated
    else:
        raise ImportFailure(
            f"Tệp {file_name}: quy ước mã trả lời ({where}) không đủ để đọc các số 1–5 trong ô trả lời (cần nghĩa của "
            "cả năm số, hoặc thang ngược hẳn: 1 = Rất hài lòng … 5 = Rất không hài lòng). Hãy ghi đủ quy ước rồi nạp "
            "lại. Không nạp dòng nào từ tệp này.")
    said = "; ".join(f"{n} = {_LABELS[v]}" for n, v in sorted(mapping.items()))
    note = (f"Tệp ghi quy ước mã trả lời khác thang của Bộ Nội vụ (1 = Rất không hài lòng … 5 = Rất hài lòng) ở {where}: "
            f"các số trong ô trả lời được đọc theo quy ước của tệp ({said}).")
    return mapping, note


_LABELS = {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}
