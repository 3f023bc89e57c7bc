"""What the rows above a plan's or a progress report's table say: the plan year, the issuing unit ("KẾ HOẠCH …
CỦA SỞ TƯ PHÁP", or the issuing body above the title), and the date a report speaks of."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from common.text import norm_key, strip_diacritics
from etl.plans.deadlines import FULL_DATE, WORD_DATE

# The accent-free lower-case forms the patterns below read.
_YEAR_AFTER_NAM = re.compile(r"(?<![a-z])nam\s+((?:19|20)\d{2})(?!\d)")
_LONE_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d{2})(?![\d/.-])")
_UNTIL = re.compile(r"(?:den|toi)\s+ngay\s+(?:(\d{1,2})([/.-])(\d{1,2})\2(\d{4})|(\d{1,2})\s+thang\s+(\d{1,2})"
                    r"\s+nam\s+(\d{4}))")
# "… CỦA SỞ TƯ PHÁP NĂM 2022 (tính đến …)": the name runs from "của" to a year, a bracket or a comma; "(Kèm theo …
# của Sở Nội vụ)" to its closing bracket.
_OF_UNIT = re.compile(r"(?:^|\s)(?:của|cua)\s+(.+?)(?=\s+(?:năm|nam|giai đoạn|giai doan|tính đến|tinh den|đến ngày|"
                      r"den ngay|về|ve)\s|\s*[(),;:\]]|$)", re.IGNORECASE)
# A title line starts with one of these ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ" holds "kế hoạch" too, but is a unit's name).
_TITLE_WORDS = ("ke hoach", "bao cao", "phu luc", "danh muc", "tien do", "ket qua thuc hien", "tong hop", "kem theo")
# Lines of the heading that name no body: the national motto, "Số: 12/KH-SKHĐT", the place and date.
_NOT_A_BODY = re.compile(r"^(cong hoa|doc lap|so\s*[:\d.]|.*ngay\s+\d)")


def title_cells(rows: list[list]) -> list[list[list[str]]]:
    """The title rows as [row][non-empty cell][line], each cell's own line breaks kept."""
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if cell is not None and str(cell).strip():
                text = unicodedata.normalize("NFC", str(cell))
                cells.append([ln.strip() for ln in text.splitlines() if ln.strip()])
        out.append(cells)
    return out


def _lines(rows: list[list]) -> list[str]:
    return [ln for row in title_cells(rows) for cell in row for ln in cell]


def _plain(text: str) -> str:
    return " ".join(strip_diacritics(text).lower().split())


def _is_title(line: str) -> bool:
    return norm_key(line).startswith(_TITLE_WORDS)


def plan_year(rows: list[list]) -> int | None:
    """'NĂM 2022' in a title line (dates such as 'ngày 28 tháng 12 năm 2021' left out: a plan for 2022 is often
    issued in December); else a lone year in a line naming the plan ('KẾ HOẠCH CCHC 2022')."""
    lines = [_plain(ln) for ln in _lines(rows)]
    lines = [FULL_DATE.sub(" ", WORD_DATE.sub(" ", ln)) for ln in lines]
    ranked = sorted(lines, key=lambda ln: 0 if "ke hoach" in ln else 1)
    for pattern in (_YEAR_AFTER_NAM, _LONE_YEAR):
        for line in ranked:
            found = pattern.search(line)
            if found and (pattern is _YEAR_AFTER_NAM or _is_title(line)):
                return int(found.group(1))
    return None


def _date_of(groups) -> date | None:
    d, _, m, y, d2, m2, y2 = groups if len(groups) == 7 else (*groups, None, None, None)
    try:
        return date(int(y or y2), int(m or m2), int(d or d2))
    except (TypeError, ValueError):
        return None


def report_date(rows: list[list]) -> date | None:
    """The day a progress report speaks of: 'tính đến ngày 08/8/2022' first, else the document's own date ('…, ngày
    08 tháng 8 năm 2022', 'Kèm theo Báo cáo … ngày 08/8/2022') — never the date of the plan it cites."""
    lines = [_plain(ln) for ln in _lines(rows)]
    for line in lines:
        found = _UNTIL.search(line)
        if found:
            return _date_of(found.groups())
    for line in lines:
        if "ke hoach so" in line or "kh-" in line:
            continue
        found = WORD_DATE.search(line)
        if found:
            return _date_of((found.group(1), None, found.group(2), found.group(3)))
        found = FULL_DATE.search(line) if "ngay" in line else None
        if found:
            return _date_of(found.groups())
    return None


def _resolve(con, text: str) -> str | None:
    return con.execute("SELECT unit_code_of($t)", {"t": text}).fetchall()[0][0]


def issuing_unit(con, rows: list[list]) -> tuple[str, str | None] | None:
    """(unit as written, unit code or None) of the unit whose plan or report this is: the unit a title line names
    after "của", else the lowest line of the issuing block above the title (alone, or joined with the line above
    it: "ỦY BAN NHÂN DÂN" over "QUẬN 3"); a "của" name that matches no unit is kept as written. None when the
    titles name no unit at all."""
    named = None
    for line in _lines(rows):
        found = _OF_UNIT.search(line) if _is_title(line) or norm_key(line).startswith("cua ") else None
        if found:
            text = found.group(1).strip(" .")
            code = _resolve(con, text)
            if code:
                return text, code
            named = named or text
    block = _issuing_block(title_cells(rows))
    for text in reversed(block):
        code = _resolve(con, text)
        if code:
            return text, code
    return (named, None) if named else None


def _issuing_block(grid: list[list[list[str]]]) -> list[str]:
    """Candidate names above the first title line, top to bottom: each line of each row's first cell (the issuing
    body stands top left), then each such line joined with the one above it."""
    lines: list[str] = []
    for row in grid:
        if any(_is_title(ln) for cell in row for ln in cell):
            break
        lines += [ln for ln in (row[0] if row else []) if not _NOT_A_BODY.match(_plain(ln))]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i:
            out.append(f"{lines[i - 1]} {line}")
    return out
