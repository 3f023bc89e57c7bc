"""Find the header row(s) under any title rows and map each column to a canonical field."""
import functools
import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common.formats import vn_int
from common.text import norm_key
from etl.core.vocab import is_personal_key, personal_keys

HEADER_SEARCH_ROWS = 40
_PARENS = re.compile(r"\([^)]*\)")


@dataclass
class HeaderMatch:
    header_index: int                 # index in the grid of the (last) header row
    header_rows: int                  # 1, 2 or 3
    columns: dict[str, str]           # canonical field → grid column name (c0…)
    dropped: list[str] = field(default_factory=list)   # personal-data headers, never read
    ignored: list[str] = field(default_factory=list)   # headers of no use here

    def ignored_labels(self, grid) -> list[str]:
        """The columns not read, as the user is told them (a kind that names some by the grid's letters adds them)."""
        return list(self.ignored)


@functools.lru_cache(maxsize=65536)
def header_keys(text) -> tuple[str, ...]:
    """Keys to try for a header cell: as written, then without any '(…)' note such as '(dd/mm/yyyy)'. Kept per
    text: every kind tries every cell of the first rows, so a wide sheet (a council's workbook, 80 columns) asked
    the same texts thousands of times."""
    keys = [norm_key(text)]
    without_note = norm_key(_PARENS.sub(" ", str(text or "")))
    if without_note and without_note not in keys:
        keys.append(without_note)
    return tuple(k for k in keys if k)


def _field_of(text, index: dict[str, str]) -> str | None:
    for key in header_keys(text):
        if key in index:
            return index[key]
    return None


def _is_personal(text, exact: bool) -> bool:
    """exact: as written in the vocabulary; else also a personal-data word among others ('SĐT liên hệ')."""
    return any((key in personal_keys()) if exact else is_personal_key(key) for key in header_keys(text))


# A sub-header that only says "the date" of its group: «Tiếp nhận» over «Ngày | Nơi tiếp nhận», «Trả kết quả» over
# «Ngày | Hình thức» (probe 31). Under such a group the column is the group's own date field.
_DATE_ONLY = frozenset({"ngay", "ngay gio", "gio ngay", "ngay thang", "ngay thang nam", "thoi gian", "thoi diem",
                        "ngay gio phut", "thoi gian ngay"})


def _labels(top: list, below: list | None) -> list[list]:
    """Each column's candidate header texts: the top cell alone, or for a merged two-row header the sub-header
    alone and joined with its group label either way round (carried right across the merged cells, e.g. "Thời
    gian" over "Ngày tiếp nhận | Ngày hẹn trả", «Tiếp nhận» over «Ngày»), and the group label alone under a
    sub-header that says only «Ngày» («Tiếp nhận hồ sơ» over «Ngày | Nơi tiếp nhận»)."""
    labels, group = [], None
    width = max(len(top), len(below) if below is not None else 0)
    for j in range(width):
        upper = top[j] if j < len(top) else None
        if upper:
            group = upper
        lower = below[j] if below is not None and j < len(below) else None
        if not lower:
            labels.append([upper])
        elif not group or str(lower).strip().isdigit():   # a data line's number («2022» under «Năm») joins nothing
            labels.append([lower])
        else:
            labels.append([lower, f"{group} {lower}", f"{lower} {group}",
                           *([_GroupOnly(group)] if norm_key(lower) in _DATE_ONLY else [])])
    return labels


def _labels_of(rows: tuple) -> list[list]:
    """Each column's candidate header texts for a header of one, two or three rows (top first). Three rows: the two
    lower rows read as a two-row header (_labels), each text also joined with the top row's group label either way
    round («Thời gian» over «Tiếp nhận», «Thông tin hồ sơ» over «Thủ tục» over «Mã | Tên»); a column whose two lower
    cells are empty (merged down from the top) is its top cell."""
    if len(rows) < 3:
        return _labels(rows[0], rows[1] if len(rows) > 1 else None)
    top = rows[0]
    lower = _labels(rows[1], rows[2])
    out, group = [], None
    for j, candidates in enumerate(lower):
        upper = top[j] if j < len(top) else None
        if upper:
            group = upper
        texts = [t for t in candidates if t and not isinstance(t, _GroupOnly)]
        if not any(candidates):
            out.append([upper])
        elif group:
            out.append([*candidates, *(f"{group} {t}" for t in texts), *(f"{t} {group}" for t in texts)])
        else:
            out.append(candidates)
    return out


class _GroupOnly(str):
    """A group label standing for a sub-header that says only «Ngày»: it names a date field only («Trạng thái» over
    «Ngày | Tên trạng thái» is no status column), and only one no other column names (_map_columns ranks it last)."""


def _is_date_field(field: str) -> bool:
    return field.endswith(("_at", "_date")) or field == "deadline"


def _candidate_field(text, index: dict[str, str]) -> str | None:
    found = _field_of(text, index)
    return None if found and isinstance(text, _GroupOnly) and not _is_date_field(found) else found


def _by_group_only(candidates: list, index: dict[str, str]) -> bool:
    """Whether a column names a field only through its group label (_GroupOnly)."""
    return not any(_candidate_field(t, index) for t in candidates if t and not isinstance(t, _GroupOnly))


# Headers that name a field only when no other column does: the tracking book's «Cơ quan chủ trì giải quyết» (the
# lead agency) is the unit of a register that has no receiving-unit column, never over «Đơn vị tiếp nhận»; a bare
# «Tình trạng» (often «Đúng hạn» / «Trễ hạn») is the status only without a «Trạng thái»; «Hạn xử lý» (a step's
# deadline in some systems) the due date only without a «Ngày hẹn trả»; a bare «Ngày kết thúc» (a step's end in some
# systems) the finishing date only without a «Ngày có kết quả» (probe 15: the step's end made a late dossier early);
# a catalogue's «Cấp thực hiện» (Cấp tỉnh) the procedure's units only without its «Cơ quan thực hiện» (probe 17: the
# national database gives both, and every department's procedures went to the city); a bare «Kết quả» (often «Đúng
# hạn» / «Trễ hạn») the result's kind only without a «Loại kết quả».
_SECOND_CHOICE = frozenset({"co quan chu tri giai quyet", "co quan chu tri", "tinh trang", "han xu ly",
                            "ngay ket thuc", "cap thuc hien", "ket qua"})
# A bare unit code naming a dossier's unit («Mã ĐV», VNPT iGate's «Mã cơ quan») gives way to the unit's name or the
# receiving/handling pair; in a unit list the same header is the code itself (the review: a list's codes were taken
# from its «Mã định danh» instead, and every unit's code changed on reload).
_SECOND_CHOICE_AS_UNIT = frozenset({"ma dv", "ma co quan"})
# The receiving and the handling unit of a dossier: where a one-stop desk receives for another office, one column names
# the desk's unit and the other the office (a ward's «Đơn vị xử lý» is often its own «Phòng Tư pháp», a unit of no
# list). Either may be the one of the unit list, so the unit is read from the first of the two that names a unit of the
# list (as a code and a name column are: 'unit_alt').
_UNIT_ROLES = frozenset({"don vi tiep nhan", "don vi xu ly", "co quan tiep nhan", "co quan xu ly",
                         "co quan giai quyet", "don vi giai quyet", "noi tiep nhan", "don vi thuc hien",
                         "co quan thuc hien", "donvitiepnhan", "donvixuly"})


# Named last of all: a progress report's «Mức độ hoàn thành» holds a share of the work (99,2 %) more often than a
# status, and gives way to any other status column, «Tình trạng» included (probe 44: it was read as the status beside
# «Tình trạng», and every line of the report rejected).
_LAST_CHOICE = frozenset({"muc do hoan thanh"})


# The national status code beside the system's status words: the code says it in one way only (probe 49: «Hồ sơ không
# đủ điều kiện tiếp nhận» beside code 3 was read, the code column dropped, and the refused dossier counted received).
_FIRST_CHOICE = frozenset({"ma trang thai", "ma trang thai ho so", "ma tinh trang"})


# Header words that name a field only as a last resort within their own column: a sub-header joined with its group
# label («Số hóa Kết quả») names another field first (_map_columns).
_BARE_WORDS = frozenset({"ket qua"})


def _choice_rank(candidates: list, index: dict[str, str]) -> int:
    """-1 for a header read first, 2 for one named last of all, 1 for a second-choice header, else 0 (the order
    _map_columns reads in). A header with a «%» holds a share too, and is named last (probe 50: «Tiến độ thực hiện
    (%)» was read as the status beside «Tình trạng», and every line of the report rejected)."""
    keys = [k for t in candidates if t for k in header_keys(t)]
    if any(k in _LAST_CHOICE for k in keys) or any("%" in str(t) for t in candidates if t):
        return 2
    if any(k in _FIRST_CHOICE for k in keys):
        return -1
    return int(any(k in _SECOND_CHOICE or (k in _SECOND_CHOICE_AS_UNIT and index.get(k) == "unit") for k in keys))


def _named_by_note_only(candidates: list, index: dict[str, str]) -> bool:
    """Whether a column names a field only once its '(…)' note is dropped (no text of it is an alias as written)."""
    texts = [t for t in candidates if t]
    return bool(texts) and not any(norm_key(t) in index for t in texts) and any(_field_of(t, index) for t in texts)


def _is_unit_role(candidates: list) -> bool:
    return any(k in _UNIT_ROLES for t in candidates if t for k in header_keys(t))


def _is_code_header(candidates: list) -> bool:
    """«Mã đơn vị», «Mã cơ quan»: a unit column holding codes, beside one holding names."""
    return any(k.startswith("ma ") for t in candidates if t for k in header_keys(t))


def _map_columns(labels: list[list], index: dict[str, str], second_unit: bool = False,
                 hidden: frozenset[int] = frozenset()) -> tuple[dict, list, list]:
    """Each column's field; second-choice headers, then hidden columns, are looked at last, so a field two columns
    name is read from the one meant first and a person sees; and a header that names the field as written before one
    that names it only without its note («Ngày hẹn trả» before «Ngày hẹn trả (điều chỉnh)», «Ngày có kết quả» before
    «Ngày có kết quả (dự kiến)»: the column order decided it)."""
    columns, dropped, ignored = {}, [], []
    rank = {j: (_by_group_only(labels[j], index), j in hidden, _choice_rank(labels[j], index),
                _named_by_note_only(labels[j], index)) for j in range(len(labels))}
    order = sorted(range(len(labels)), key=lambda j: (rank[j], j))
    for j in order:
        candidates = labels[j]
        texts = [t for t in candidates if t]
        if not texts:
            continue
        found = [(t, f) for t in texts for f in [_candidate_field(t, index)] if f]
        # a bare word that is a field only when nothing more precise is said: «Kết quả» under «Số hóa» is the digitized
        # result (its joined label), alone it is the result's kind («Trả lại/Xin rút»: probe 49)
        precise = [f for t, f in found if not any(k in _BARE_WORDS for k in header_keys(t))]
        matched = precise[0] if precise else (found[0][1] if found else None)
        # A header named as personal data is dropped; one that is a field's alias is that field, even when it holds
        # a personal-data word; any other header holding such a word is dropped too, never read.
        if any(_is_personal(t, exact=True) for t in texts) or (
                not matched and any(_is_personal(t, exact=False) for t in texts)):
            dropped.append(str(texts[0]))
            continue
        if matched and matched not in columns:
            columns[matched] = f"c{j}"
        elif (second_unit and matched == "unit" and "unit_alt" not in columns
              and (_is_code_header(candidates) != _is_code_header(labels[int(columns["unit"][1:])])
                   or (_is_unit_role(candidates) and _is_unit_role(labels[int(columns["unit"][1:])])))):
            # the unit's code and its name in two columns («Mã đơn vị» | «Tên đơn vị»), or the receiving and the
            # handling unit: the unit is read from the other one when the first names no unit of the list (a
            # national code the list does not hold, a ward's own office); the lead agency of a register is no such
            # pair (second choice above)
            columns["unit_alt"] = f"c{j}"
        elif not any(norm_key(t) in ("stt", "tt", "so tt", "so thu tu") for t in texts):   # "STT" merged down
            ignored.append(str(texts[0]))
    return columns, dropped, ignored


def _is_sub_header(top: list, below: list, index: dict[str, str]) -> bool:
    """Whether the row below names fields in columns the top row does not map: a merged two-row header. A
    sub-header cell may name its field only with its group label ("Ngày" merged over "Tiếp nhận | Hẹn trả | Trả
    kết quả", as VNPT iGate prints it), so each lower cell is tried alone and joined with its group."""
    labels = _labels(top, below)
    return any(cell and any(_candidate_field(t, index) for t in labels[j] if t)
               and not _field_of(top[j] if j < len(top) else None, index)
               for j, cell in enumerate(below))


def _names_blank_columns(top: list, below: list, index: dict[str, str]) -> bool:
    """Whether the lower row names a field under a cell the top row leaves empty — a group label merged across
    it, "Thời gian" over "Bắt đầu | Hoàn thành": then the two rows are the header even when they map no more
    fields than the top row alone (which reads "Thời gian", the start, as the deadline)."""
    if len(_map_columns(_labels(top, None), index)[0]) < 2:    # a title line above the header: not a group row
        return False
    labels = _labels(top, below)
    return any(str(cell or "").strip() and not str((top[j] if j < len(top) else None) or "").strip()
               and any(_candidate_field(t, index) for t in labels[j] if t) for j, cell in enumerate(below))


def find_header(rows: list[list], index: dict[str, str], second_unit: bool = False) -> HeaderMatch | None:
    """rows: the first rows of the grid as lists of cell texts. None when no row looks like a header.

    Every row is tried alone and, when the row below it is a sub-header, joined with it; the reading that maps
    the most fields wins (ties: one row, then the upper one; but a two-row reading whose lower row names a field
    under a blank top cell wins a tie with a single row that maps some field to another column). Why both: in a
    merged two-row header the lower row may name more fields than the upper one ("Mã hồ sơ | Đơn vị | Thời gian"
    over "Ngày tiếp nhận | Ngày hẹn trả | Ngày có kết quả"), so the best single row can be the second header row,
    not the first. second_unit: a second unit column is kept as 'unit_alt' (dossier exports: _map_columns)."""
    hidden = getattr(rows, "hidden_columns", frozenset())   # readers.HeadRows
    best = None   # (field count, -rows, -index, index, header rows, mapping)
    grouped = []  # two-row readings whose lower row names a field under a blank top cell
    search = rows[:HEADER_SEARCH_ROWS]
    for i, row in enumerate(search):
        below = rows[i + 1] if i + 1 < len(rows) else None
        readings = [(row,)]
        if below and _is_sub_header(row, below, index):
            readings.append((row, below))
            # a third row under the second («Thông tin hồ sơ» over «Thủ tục» over «Mã | Tên»: probe 51, the two
            # upper rows alone read «Thủ tục» as the name and lost the code)
            low = rows[i + 2] if i + 2 < len(rows) else None
            if low and _is_sub_header(below, low, index):
                readings.append((row, below, low))
        for reading in readings:
            mapping = _map_columns(_labels_of(reading), index, hidden=hidden)
            key = (len(mapping[0]), -len(reading), -i)
            if best is None or key > best[0]:
                best = (key, i, reading, mapping)
            if len(reading) == 2 and _names_blank_columns(row, below, index):
                grouped.append((key, i, reading, mapping))
    # A single row that ties with such a two-row reading but maps a field elsewhere (the group label's column,
    # "Thời gian" = the start, for the deadline) gives way to it; the same columns either way keep the single row.
    if best is not None and len(best[2]) == 1:
        best = next((g for g in grouped if g[0][0] == best[0][0] and g[3][0] != best[3][0]), best)
    if best is None or best[0][0] < 2:
        return None
    _, i, reading, (columns, dropped, ignored) = best
    if second_unit:   # the winning reading again, keeping a second unit column (the count above is unchanged by it)
        columns, dropped, ignored = _map_columns(_labels_of(reading), index, second_unit=True, hidden=hidden)
    return HeaderMatch(i + len(reading) - 1, len(reading), columns, dropped, ignored)


def recognize_header(rows: list[list], index: dict[str, str], required, explicit: bool,
                     second_unit: bool = False) -> tuple[int, HeaderMatch] | None:
    """(score, match) when the rows carry a header with every required field; with explicit (the kind was named by
    --kind) any header will do, and the loader says what is missing. The score counts required fields first
    (100 each), then every mapped column, so the kind a header fits best wins a sheet. A required entry may be a
    tuple of fields any of which will do (a plan's value column, or one value column per unit level)."""
    match = find_header(rows, index, second_unit)

    def present(entry) -> bool:
        return any(f in match.columns for f in (entry if isinstance(entry, tuple) else (entry,)))
    if match and (explicit or all(present(f) for f in required)):
        return sum(present(f) for f in required) * 100 + len(set(match.columns) - {"unit_alt"}), match
    return None


_LINES_NAMED = 3   # a column with more stray cells than this is told by its count and its first and last line
_UNHEADED = " (không có tiêu đề)"


def is_unheaded_label(label) -> bool:
    """Whether an ignored column's label is one unheaded_data_columns gave: the summaries say those apart."""
    return str(label).endswith(_UNHEADED)


def unheaded_place(label) -> str:
    """Where an unheaded column's cells are, without the «(không có tiêu đề)» a line about such columns says once."""
    return str(label).removesuffix(_UNHEADED)


def unheaded_data_columns(grid, match: HeaderMatch) -> list[str]:
    """Columns holding values under the header but no header text (a stray cell far to the right): not read, and
    listed with the ignored columns so the user knows, with the lines of the cells so they can be found in a file
    of thousands ('cột ALL, dòng 17 (không có tiêu đề)')."""
    header = header_lines(grid, match)
    used = set(match.columns.values())
    first_below = match.header_index + 1
    below = grid.table.slice(first_below)
    out = []
    for j in range(grid.table.num_columns):
        if f"c{j}" in used or any(j < len(r) and str(r[j] or "").strip() for r in header):
            continue
        column = below.column(j)
        if column.null_count < len(column):
            # a cell of spaces shows nothing: a line it names would send the user looking for nothing
            text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
            filled = pc.not_equal(pc.utf8_trim_whitespace(column), "") if text else pc.is_valid(column)
            at = pc.indices_nonzero(pc.fill_null(filled, False)).to_numpy()
            if not len(at):
                continue
            # the lines named, or the first and the last: a column filled on a million lines is no million numbers
            shown = at if len(at) <= _LINES_NAMED else at[[0, -1]]
            lines = [int(n) for n in grid.row_numbers[first_below + shown]]
            where = (f"dòng {', '.join(str(n) for n in lines)}" if len(at) <= _LINES_NAMED else
                     f"{vn_int(len(at))} ô từ dòng {lines[0]} đến dòng {lines[-1]}")
            out.append(f"{grid.column_label(j)}, {where}{_UNHEADED}")
    return out


def header_lines(grid, match: HeaderMatch) -> list[list]:
    """The cells of the header's line or lines (a two-row header: both)."""
    return grid.head_rows(match.header_index + 1)[match.header_index + 1 - match.header_rows:]


def _titled_width(header: list[list]) -> int:
    """Columns up to the header's last title."""
    return max((j for r in header for j, cell in enumerate(r) if str(cell or "").strip()), default=-1) + 1


def overflowing_rows(grid, match: HeaderMatch) -> list[int]:
    """Positions (0-based, in grid.table) of the CSV lines under the header with more cells than the header has
    titles, when they are a few (fewer than half of the lines): a comma left unquoted in a name or an address
    moved every later cell one column right, so the line's values stand under the wrong titles (probe 28: a
    procedure's name read as its sector, an address as a date). Many such lines are a column whose title is
    missing instead, read as before (unheaded_data_columns). [] for a sheet of a workbook: cells cannot shift."""
    if grid.first_column is not None or grid.sheet is not None:
        return []
    header = header_lines(grid, match)
    width = _titled_width(header)
    if width == 0 or width >= grid.table.num_columns:
        return []
    below = grid.table.slice(match.header_index + 1)
    # the cell right after the last title: a shifted line's last cell stands there; a stray cell far to the right
    # (a note 900 columns on) leaves it empty and is no shift, and so does a blank typed after the last comma
    after = below.column(width)
    filled = pc.and_(pc.is_valid(after), pc.not_equal(pc.utf8_trim_whitespace(after.cast("string")), ""))
    positions = np.flatnonzero(pc.fill_null(filled, False).to_numpy(zero_copy_only=False))
    if not len(positions) or 2 * len(positions) >= below.num_rows:
        return []
    return [int(p) + match.header_index + 1 for p in positions]


def mapped_headers(grid, match: HeaderMatch) -> list[tuple[str, str]]:
    """(header text as written, field) of every column the match reads, in the sheet's column order: what the upload
    preview shows as the column → field mapping (a two-row header's cells joined, the group label first)."""
    header = header_lines(grid, match)
    by_column = {int(name[1:]): f for f, name in match.columns.items() if name[1:].isdigit()}
    out = []
    for j in sorted(by_column):
        texts = [str(r[j]).strip() for r in header if j < len(r) and str(r[j] or "").strip()]
        out.append((" / ".join(dict.fromkeys(texts)) or grid.column_label(j), by_column[j]))
    return out
