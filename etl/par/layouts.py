"""Recognize a PAR INDEX table and where its parts are: the framework, and the scores in four layouts.

Scores come as
- long: one row per unit and criterion (year, unit, code, self_score, appraised_score, note, evidence);
- survey: survey points per unit and year (year, unit, survey_points);
- wide: the council's workbook, criteria down the rows (code, name, max) and units across, each unit's
  "Tự đánh giá" / "Thẩm định" columns under its merged name (or one column per unit when the title says whose
  scores they are);
- across: units down the rows and criteria across ("1.1", "Tiêu chí 1.1 (2 điểm)"), each criterion with
  "Tự đánh giá" / "Thẩm định" under it or one column."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from common.text import norm_key
from etl.core.header import HEADER_SEARCH_ROWS, HeaderMatch, find_header, header_keys
from etl.core.table_lines import is_numbering
from etl.core.units import heading_lines, unit_from_titles
from etl.par.codes import code_of, codes_in_order, leading_code
from etl.par.vocab import FIELD_INDEX, is_summary_text, part_of_header

__all__ = ["ParMatch", "recognize_framework", "recognize_scores", "SCORE_FIELDS", "title_part"]

# Fields that make a table a table of scores, never a framework.
SCORE_FIELDS = ("unit", "self_score", "appraised_score", "survey_points")


@dataclass
class ParMatch(HeaderMatch):
    layout: str = "framework"          # framework | long | survey | wide | across
    # wide: one entry per unit column: (column index, unit text, 'self' | 'appraised')
    unit_columns: list[tuple[int, str, str]] = field(default_factory=list)
    # across: one entry per criterion column: (column index, code as written, code, 'self' | 'appraised')
    criterion_columns: list[tuple[int, str, str, str]] = field(default_factory=list)
    # long without a unit column: the unit the sheet's title names (one unit's own self-assessment)
    title_unit: str | None = None


def _cell(row: list, j: int):
    return row[j] if j < len(row) else None


def _field(text) -> str | None:
    for key in header_keys(text):
        if key in FIELD_INDEX:
            return FIELD_INDEX[key]
    return None


def title_part(texts) -> str | None:
    """'appraised' or 'self' when a title says whose scores a one-column-per-unit table holds ("KẾT QUẢ THẨM
    ĐỊNH…", "… TỰ ĐÁNH GIÁ …"); None when it says neither or both."""
    keys = " ".join(norm_key(t) for t in texts)
    found = {p for words, p in (("tham dinh", "appraised"), ("tu danh gia", "self"), ("tu cham", "self"))
             if words in keys}
    return found.pop() if len(found) == 1 else None


def _part_row(rows: list[list]) -> int | None:
    """The row holding the most 'Tự đánh giá' / 'Thẩm định' sub-headers (at least one), the upper on a tie."""
    best = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        n = sum(1 for c in row if part_of_header(c))
        if n and (best is None or n > best[0]):
            best = (n, i)
    return best[1] if best else None


def _field_columns(rows: list[list], header_rows: list[int]) -> dict[str, int]:
    """canonical field → column, from the header rows (the lowest row naming a column wins; STT is the code
    column only when no 'Mã' column exists)."""
    columns: dict[str, int] = {}
    width = max(len(rows[i]) for i in header_rows)
    for j in range(width):
        for i in reversed(header_rows):
            f = _field(_cell(rows[i], j))
            if f and f not in columns and f not in ("self_score", "appraised_score"):
                columns[f] = j
                break
    return columns


def _carried(row: list, j: int, stop: int) -> str | None:
    """The text over column j in a row whose labels are merged to the right: the nearest text at or left of j,
    not left of column `stop`."""
    for k in range(min(j, len(row) - 1), stop - 1, -1):
        if row[k] not in (None, ""):
            return str(row[k]).strip()
    return None


def _as_match(header_index: int, columns: dict[str, int], layout: str, **parts) -> ParMatch:
    code = columns.pop("code", None)
    stt = columns.pop("code_stt", None)
    mapped = {f: f"c{j}" for f, j in columns.items()}
    if code is not None or stt is not None:
        mapped["code"] = f"c{code if code is not None else stt}"
    return ParMatch(header_index, 1, mapped, layout=layout, **parts)


def _wide(rows: list[list]) -> ParMatch | None:
    """Criteria down, units across: the sub-header row of 'Tự đánh giá' / 'Thẩm định' with the unit names in the
    row above it (merged over each unit's columns)."""
    s = _part_row(rows)
    if s is None or s == 0 or is_numbering([str(c).strip() for c in rows[s - 1] if c not in (None, "")]):
        return None   # 'Tự đánh giá' under the column numbers '(1) (2) (3)': a framework's method, not a unit's part
    header_rows = [i for i in (s - 2, s - 1, s) if i >= 0]
    columns = _field_columns(rows, header_rows)
    criterion_fields = [columns[f] for f in ("code", "code_stt", "name", "max_points") if f in columns]
    if not criterion_fields or "unit" in columns:
        return None
    first_unit = max(criterion_fields) + 1
    units = []
    for j, cell in enumerate(rows[s]):
        part = part_of_header(cell)
        if not part or j < first_unit:
            continue
        unit = _carried(rows[s - 1], j, first_unit)
        if unit and not _field(unit) and not _header_code(unit):
            units.append((j, unit, part))
    if not units:
        return None
    return _as_match(s, columns, "wide", unit_columns=units)


def _wide_by_title(rows: list[list], titles_part: str | None) -> ParMatch | None:
    """Criteria down, one column per unit, whose scores the title names ('KẾT QUẢ THẨM ĐỊNH …')."""
    if titles_part is None:
        return None
    match = find_header(rows, FIELD_INDEX)
    if match is None or any(f in match.columns for f in SCORE_FIELDS) or "max_points" not in match.columns:
        return None
    header = rows[match.header_index]
    first = min(int(match.columns[f][1:]) for f in ("code", "code_stt", "name") if f in match.columns) \
        if {"code", "code_stt", "name"} & set(match.columns) else 0
    # every other named column right of the criteria is a unit (the maximum or notes may stand after them)
    units = [(j, str(c).strip(), titles_part) for j, c in enumerate(header)
             if j > first and c not in (None, "") and not _field(c) and not is_summary_text(c)]
    if not units:
        return None
    columns = {f: int(c[1:]) for f, c in match.columns.items()}
    return _as_match(match.header_index, columns, "wide", unit_columns=units)


_CRITERION_LIKE = re.compile(r"^\s*(?:(?:tiêu chí|tc|lĩnh vực|lv)\s*)?(?:\d{1,2}(?:\s*\.\s*(?:\d{1,2}|[a-z]))+|[IVXL]+)"
                             r"(?![\d.])", re.IGNORECASE)


def _header_code(text, loose: bool = False) -> str | None:
    """The code, as written, of a criterion a column header names: '1.1', 'Tiêu chí 1.1', '1.1 (2 điểm)',
    '1.1. Kế hoạch CCHC', or an area 'II'. A bare number ('2 (1,5 điểm)', restarted numbering under an area) is
    taken only when loose — once the row is known to name criteria: alone it is a year or a count more often than
    a criterion."""
    plain = str(text or "").split("(")[0].strip()
    if not (_CRITERION_LIKE.match(plain) or loose and re.match(r"\d{1,2}(?!\d)", plain)):
        return None
    return plain if code_of(plain) else leading_code(plain)


_PAR_TITLE = ("chi so cchc", "chi so cai cach hanh chinh", "par index", "tham dinh")


def _across(rows: list[list], titles_part: str | None) -> ParMatch | None:
    """Units down, criteria across: a header row naming a unit column and at least two criteria; area labels
    (merged, "I", "II") may stand in the row above; 'Tự đánh giá' / 'Thẩm định' stand in the row below, or the
    title names the PAR INDEX (a SIPAS questionnaire has a unit column and criteria '1.1' across too)."""
    par_titled = any(words in norm_key(c) for row in rows[:10] if sum(1 for x in row if x) == 1
                     for c in row if c for words in _PAR_TITLE)
    for h, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        coded = [j for j, c in enumerate(row) if c not in (None, "") and _header_code(c)]
        below_coded = [c for c in (rows[h + 1] if h + 1 < len(rows) else []) if c not in (None, "") and _header_code(c)]
        if len(below_coded) >= 2:
            continue   # area labels over the criteria: the criteria row is the header
        # the unit column's name may be merged down from a row above the criteria
        unit_col = next((j for r in (row, *rows[max(0, h - 2):h][::-1]) for j, c in enumerate(r)
                         if _field(c) == "unit"), None)
        if len(coded) < 2 or unit_col is None:
            continue
        above = rows[h - 1] if h > 0 else []
        sequence = []   # (column, text) in reading order: an area label before the criteria under it
        for j in range(max(len(row), len(above))):
            for r in (above, row):
                c = _cell(r, j)
                if c not in (None, "") and _header_code(c, loose=True):
                    sequence.append((j, r is row, c))
        codes = codes_in_order([_header_code(t, loose=True) for _, _, t in sequence])
        code_at = {j: (str(t), code) for (j, in_row, t), code in zip(sequence, codes) if in_row}
        below = rows[h + 1] if h + 1 < len(rows) else []
        has_parts = any(part_of_header(c) for c in below)
        if not has_parts and not par_titled:
            continue   # 'TC1.1 | TC1.2' with a unit column is a SIPAS questionnaire unless the title says otherwise
        criteria = []
        width = max(len(row), len(below))
        for j in range(width):
            if has_parts:
                part = part_of_header(_cell(below, j))
                owner = next((k for k in range(j, -1, -1) if _cell(row, k) not in (None, "")), None)
                if part and owner in code_at:
                    criteria.append((j, code_at[owner][0], code_at[owner][1], part))
            elif j in code_at:
                criteria.append((j, code_at[j][0], code_at[j][1], titles_part or "appraised"))
        if len(criteria) < 2:
            continue
        header_index = h + 1 if has_parts else h
        return ParMatch(header_index, 2 if has_parts else 1, {"unit": f"c{unit_col}"}, layout="across",
                        criterion_columns=criteria)
    return None


def _long(rows: list[list]) -> ParMatch | None:
    match = find_header(rows, FIELD_INDEX)
    if match is None or "unit" not in match.columns:
        return None
    columns = {f: int(c[1:]) for f, c in match.columns.items()}
    if "survey_points" in columns and not {"self_score", "appraised_score"} & set(columns):
        layout = "survey"
    elif ("code" in columns or "code_stt" in columns) and {"self_score", "appraised_score"} & set(columns):
        layout = "long"
    else:
        return None
    found = _as_match(match.header_index, columns, layout)
    found.header_rows, found.dropped, found.ignored = match.header_rows, match.dropped, match.ignored
    return found


# The issuing body an official document names in its corner heading or title: «UBND QUẬN 3», «SỞ TƯ PHÁP».
_ISSUER_WORDS = ("ubnd ", "uy ban nhan dan ", "so ", "ban quan ly ")


def _title_issuer(title_rows: list[list]) -> str | None:
    """The unit a sheet's titles name: a «Đơn vị: …» line, else the lowest line of the corner heading that names an
    issuing body («UBND THÀNH PHỐ …» over «SỞ TƯ PHÁP»: the department)."""
    named = unit_from_titles(title_rows)
    if named:
        return named
    issuers = [t for t in heading_lines(title_rows) if norm_key(t).startswith(_ISSUER_WORDS)]
    return issuers[-1] if issuers else None


def _one_units_own(rows: list[list], titles_part=None) -> ParMatch | None:
    """One unit's self-assessment: the framework's rows with «Điểm tự đánh giá» / «Điểm thẩm định» filled in and no
    unit column, the unit named by the title (probe 44: the sheet every unit sends was of no kind). Tried after the
    layouts with units in columns, so the council's workbook, whose titles name the city, stays wide."""
    match = find_header(rows, FIELD_INDEX)
    if match is None or "unit" in match.columns:
        return None
    columns = {f: int(c[1:]) for f, c in match.columns.items()}
    if not ("code" in columns or "code_stt" in columns) or not {"self_score", "appraised_score"} & set(columns):
        return None
    score_columns = [columns[f] for f in ("self_score", "appraised_score") if f in columns]
    below = [r for r in rows[match.header_index + 1:]
             if not is_numbering([str(c).strip() for c in r if str(c or "").strip()])]   # «(1) (2) (3)»
    if not any(str(_cell(r, j) or "").strip() for r in below for j in score_columns):
        return None   # the form not filled in yet: the framework (recognize_framework)
    unit = _title_issuer(rows[:match.header_index + 1 - match.header_rows])
    if unit is None:
        return None
    found = _as_match(match.header_index, columns, "long", title_unit=unit)
    found.header_rows, found.dropped, found.ignored = match.header_rows, match.dropped, match.ignored
    return found


def recognize_scores(rows: list[list], extra_aliases: tuple, explicit: bool, titles=None):
    """(score, match) for a table of PAR INDEX scores in any of the layouts, or None."""
    # Title lines are single merged cells; a line with several cells is a header or data (where "Tự đánh giá" may
    # be a framework's method, not a title).
    titles_part = title_part(c for row in rows[:10] for c in row if c and sum(1 for x in row if x) == 1)
    for find in (_long, _across, _wide, _wide_by_title, _one_units_own):
        found = find(rows) if find in (_long, _wide) else find(rows, titles_part)
        if found is not None and find is _long and found.layout == "long":
            # criteria named across the header ('1.1 (3 điểm)' over 'TĐG | TĐ'), units down: also a unit column and
            # a 'Tự đánh giá' one, so read as long scores — the row number taken for the code, one criterion kept.
            # A long table names no criterion in its header, so a header that does is read across.
            found = _across(rows, titles_part) or found
        if found is not None:
            size = len(found.unit_columns) + len(found.criterion_columns) + len(found.columns)
            return 300 + size, found
    return None


def recognize_framework(rows: list[list], extra_aliases: tuple, explicit: bool):
    """(score, match) for a framework table: codes (or names) with maximum points, and no unit or score column
    (a council's workbook carries the same code, name and maximum columns, and units beside them)."""
    match = find_header(rows, FIELD_INDEX)
    if match is None or "unit" in match.columns or "survey_points" in match.columns:
        return None
    columns = {f: int(c[1:]) for f, c in match.columns.items()}
    # The self-assessment form every unit fills is the framework with empty «Điểm tự đánh giá | Điểm thẩm định»
    # columns: a framework while those columns hold nothing (filled in, they are one unit's scores; probe 19)
    score_columns = [columns[f] for f in ("self_score", "appraised_score") if f in columns]
    below_header = [r for r in rows[match.header_index + 1:]
                    if not is_numbering([str(c).strip() for c in r if str(c or "").strip()])]   # «(1) (2) (3)»
    if any(str(_cell(r, j) or "").strip() for r in below_header for j in score_columns):
        return None
    has_code = "code" in columns or "code_stt" in columns or "name" in columns
    if "max_points" not in columns or not has_code:
        return None
    below = rows[match.header_index + 1] if match.header_index + 1 < len(rows) else []
    method_col = columns.get("method")
    if any(part_of_header(c) for j, c in enumerate(below) if j != method_col):
        return None   # 'Tự đánh giá' / 'Thẩm định' under the header: a council's workbook
    found = _as_match(match.header_index, columns, "framework")
    found.header_rows, found.dropped, found.ignored = match.header_rows, match.dropped, match.ignored
    return 200 + len(found.columns), found
