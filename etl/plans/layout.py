"""The table of a plan or progress report as units type it: roman-numeral section rows giving the area of the rows
below ("I. CẢI CÁCH THỂ CHẾ", in one merged cell or as "I" beside the title), part rows ("A. CHỈ TIÊU"), group
rows ("1" over "1.1, 1.2"), the column-number row "(1) (2) (3)", STT restarting per section, and the signature
block that ends the table. Plans are a few hundred lines typed by a person, read here in Python (as the reference
files are, etl/core/rows.py): every line becomes a task line or is counted as skipped."""
from __future__ import annotations

import re
from dataclasses import dataclass

from common.text import norm_key
from etl.core.vocab import skip_markers
from etl.plans.vocab import area_name

_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN = re.compile(r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})")
_SECTION = re.compile(r"^([IVXL]+)\s*(?:[.):–-]\s*|\s+|$)(.*)$")
_PART = re.compile(r"^([A-H])\s*(?:[.):–-]\s*|$)(.*)$")
_NUMBERING = re.compile(r"\(?\d{1,2}\)?")
_ITEM = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*|[a-zđ])\s*[.)]?$")
# "II.1" in the STT column: section and number written in one cell, as reports that copy a plan's refs do.
_SECTION_ITEM = re.compile(r"^([IVXL]+)\s*\.\s*(\d{1,3}(?:\.\d{1,3})*)\s*[.)]?$")


@dataclass
class Line:
    """One task line (a plan's task, or a report's line about one) with where it stands in the table."""
    row: int                        # the row number a user sees
    cells: dict                     # field → trimmed text or None
    section: str | None             # "I"
    section_no: int | None          # 1
    section_title: str | None       # the section row's title as written
    area: str | None                # the section's reform area, as plan_areas.csv names it
    part_is_target: bool | None     # under "A. CHỈ TIÊU" (True), "B. NHIỆM VỤ" (False), or neither
    item_no: str                    # the STT as written ("2", "2.1"), or the line's place in its section

    @property
    def ref(self) -> str:
        """Section and number, "I.2" (the number alone in a table without sections)."""
        return f"{self.section}.{self.item_no}" if self.section else self.item_no


@dataclass
class Walk:
    lines: list[Line]
    skipped: int


def _clean(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("\ufeff", "").split())
    return text or None


def _roman(text: str) -> int | None:
    if not _ROMAN.fullmatch(text):
        return None
    values = [_ROMAN_VALUE[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _heading(pattern, texts: list[str]) -> tuple[str, str] | None:
    """(mark, title) when the line's first text is a section or part mark with its title (in the same cell or the
    next one), e.g. ("I", "CẢI CÁCH THỂ CHẾ")."""
    found = pattern.match(texts[0])
    if not found:
        return None
    title = found.group(2).strip() or (texts[1] if len(texts) > 1 else "")
    return (found.group(1), title) if re.search(r"[^\W\d_]{2}", title) else None


def _is_totals(key: str) -> bool:
    """"Tổng cộng", "Tổng số: 47 nhiệm vụ" — the word itself, not a task beginning like it ("Cộng" is "Công bố"
    without accents)."""
    return key.startswith(("tong cong", "tong so")) or any(k == "totals" and key == text for k, text in skip_markers())


def _ends_table(key: str) -> bool:
    """A signature block or the list of recipients: nothing below it is a task."""
    return key.startswith(("noi nhan", "ky ten")) or any(
        k == "signature" and (key == text or key.startswith(text + " ")) for k, text in skip_markers())


def _is_numbering(texts: list[str]) -> bool:
    """The column-number row under a header: (1) (2) (3) … or 1 2 3 …"""
    if len(texts) < 3 or not all(_NUMBERING.fullmatch(t) for t in texts):
        return False
    numbers = [int(t.strip("()")) for t in texts]
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def _item_no(text: str | None) -> str | None:
    """'2', '2.', '2.1', 'a)' → '2', '2', '2.1', 'a'; anything else (a note in the STT column) None."""
    found = _ITEM.match(text or "")
    return found.group(1) if found else None


def walk(grid, match, structure_fields=("deadline", "lead_unit")) -> Walk:
    """The task lines under the header. A section, part or group row has no value in structure_fields (a section
    title carries neither a deadline nor a lead unit)."""
    columns = list(grid.table.column_names)
    records = grid.table.slice(match.header_index + 1).to_pylist()
    numbers = grid.row_numbers[match.header_index + 1:]
    lines: list[Line] = []
    skipped = 0
    section = section_no = title = area = part = None
    counter = 0
    ended = False
    unit = None
    for i, record in enumerate(records):
        texts = [t for t in (_clean(record.get(c)) for c in columns) if t]
        if ended or not texts:
            skipped += 1
            continue
        key = norm_key(texts[0])
        cells = {f: _clean(record.get(c)) for f, c in match.columns.items()}
        bare = not any(cells.get(f) for f in structure_fields)
        # Only a line without a deadline or status can end the table or be a total: a task line never does. The
        # signature block ends it even with a word under a deadline column ("Nơi nhận:" … "CHỦ TỊCH"), as long as
        # the line has no task text.
        if (bare or not cells.get("task")) and _ends_table(key):
            ended = True
            skipped += 1
            continue
        if _is_numbering(texts) or (bare and _is_totals(key)):
            skipped += 1
            continue
        heading = _heading(_SECTION, texts) if bare else None
        if heading and _roman(heading[0]):
            section, section_no, title = heading[0], _roman(heading[0]), heading[1]
            area = area_name(title)
            counter = 0
            skipped += 1
            continue
        heading = _heading(_PART, texts) if bare else None
        if heading:
            words = norm_key(heading[1])
            part = True if "chi tieu" in words and "nhiem vu" not in words else False if "nhiem vu" in words else None
            section = section_no = title = None
            counter = 0
            skipped += 1
            continue
        item = _item_no(cells.get("item_no"))
        if bare and item and "." not in item and _next_item(records, i, match).startswith(item + "."):
            # "1. Rà soát văn bản" over "1.1", "1.2": a group, not a task; without sections it gives the area
            area = area if section else area_name(cells.get("task") or texts[-1])
            skipped += 1
            continue
        if "unit" in cells:
            # A unit written once over its lines (a cell merged down, or left blank below): each line is its own.
            unit = cells["unit"] = cells["unit"] or unit
        counter += 1
        written = _SECTION_ITEM.match(cells.get("item_no") or "")
        if item is None and written and _roman(written.group(1)):
            own = written.group(1) == section   # the section row above, or another section's title is not its own
            lines.append(Line(int(numbers[i]), cells, written.group(1), _roman(written.group(1)),
                              title if own else None, area if own else None, part, written.group(2)))
            continue
        lines.append(Line(int(numbers[i]), cells, section, section_no, title, area, part, item or str(counter)))
    return Walk(lines, skipped)


def _next_item(records: list[dict], i: int, match) -> str:
    column = match.columns.get("item_no")
    for record in records[i + 1:]:
        if any(_clean(v) for v in record.values()):
            return _item_no(_clean(record.get(column))) or "" if column else ""
    return ""
