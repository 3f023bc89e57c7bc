"""The table of a plan or progress report as units type it: roman-numeral section rows giving the area of the rows
below ("I. CẢI CÁCH THỂ CHẾ", in one merged cell or as "I" beside the title), part rows ("A. CHỈ TIÊU"), group
rows ("1" over "1.1, 1.2", "3" over "a)", even when they fill a lead unit and deadline), bullets ("- …") that are
points of the task above, the column-number row "(1) (2) (3)", STT restarting per section, and the signature
block that ends the table. Plans are a few hundred lines typed by a person, read here in Python (as the reference
files are, etl/core/rows.py): every line becomes a task line or is counted as skipped."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from common.text import norm_key
from etl.core.table_lines import ends_table, is_numbering, is_totals_key, roman_value
from etl.plans.vocab import area_name

_COUNT = re.compile(r"[\d.,%\s]*")   # a cell of counts or shares, as a totals line fills it

# "Phần I. …", "Mục II: …" as some plans head their sections (and "Phần A. CHỈ TIÊU" their parts).
_PREFIX = r"(?:(?i:phần|mục|phan|muc)\s+)?"
_SECTION = re.compile(r"^" + _PREFIX + r"([IVXL]+)\s*(?:[.):–-]\s*|\s+|$)(.*)$")
_PART = re.compile(r"^" + _PREFIX + r"([A-H])\s*(?:[.):–-]\s*|$)(.*)$")
# "2", "2.1", "1.2.a" (a letter under a number written out), "a)".
_ITEM = re.compile(r"^(\d{1,3}(?:\.(?:\d{1,3}|[a-zđ]))*|[a-zđ])\s*[.)]?$")
# A bullet in the STT column, or leading the task text when the STT is empty: "- Trên báo chí", "+ Tờ rơi".
# "1. Rà soát văn bản" in the STT cell (a group row merged across the table, its title typed beside the number).
_NUMBER_AND_TITLE = re.compile(r"^(\d{1,3}(?:\.(?:\d{1,3}|[a-zđ]))*|[a-zđ](?=\)))\s*[.)]?\s+(.*[^\W\d_]{2}.*)$")
_BULLET = re.compile(r"^[-+*•–—]+$")
_BULLET_TEXT = re.compile(r"^[-+*•–—]\s*\S")
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
    item_no: str                    # the STT as written ("2", "2.1", "1.2.a" for "a)" under "1.2"), or its place
    inherited: tuple = ()           # the fields it took from the group or section row above (its own cell empty)

    @property
    def ref(self) -> str:
        """Section and number, "I.2" (the number alone in a table without sections)."""
        return f"{self.section}.{self.item_no}" if self.section else self.item_no


@dataclass
class Walk:
    lines: list[Line]
    skipped: int
    groups: list[int] = field(default_factory=list)                 # rows read as a group's heading
    parts: list[tuple[int, int]] = field(default_factory=list)      # (row, its task's row): "- …" read as a part


def _clean(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("\ufeff", "").split())
    return text or None


def _heading(pattern, texts: list[str]) -> tuple[str, str] | None:
    """(mark, title) when the line's first text is a section or part mark with its title (in the same cell or the
    next one), e.g. ("I", "CẢI CÁCH THỂ CHẾ")."""
    found = pattern.match(texts[0])
    if not found:
        return None
    title = found.group(2).strip() or (texts[1] if len(texts) > 1 else "")
    return (found.group(1), title) if re.search(r"[^\W\d_]{2}", title) else None


def _item_no(text: str | None) -> str | None:
    """'2', '2.', '2.1', 'a)' → '2', '2', '2.1', 'a'; anything else (a note in the STT column) None."""
    found = _ITEM.match(text or "")
    return found.group(1) if found else None




@dataclass
class _Section:
    """Where the lines being read stand: the section (or part) row above them and what it gives them."""
    section: str | None = None
    section_no: int | None = None
    title: str | None = None
    area: str | None = None
    part: bool | None = None
    fill: dict = field(default_factory=dict)      # the section row's own lead unit or deadline, for its lines


@dataclass
class _Candidate:
    """A line under a section before its place among its neighbours is known (a task, a group or a part)."""
    row: int
    cells: dict
    kind: str                   # num ("1", "1.2.a") | letter ("a)") | bullet ("-", "+") | none | written ("II.1")
    item: str | None            # the STT as written, or the section numeral's number for kind written
    own: bool                   # fills a structure field itself
    last_text: str | None = None    # the line's last cell, the group's title when it has no task text
    written_section: str | None = None
    path: str | None = None     # its number within the section: "1.2", "3.a", "2.1" for the first own bullet of 2
    group: bool = False         # a heading: the lines below it are its tasks
    part_of: "_Candidate | None" = None   # a bullet without a lead unit or deadline: a point of that task
    bullet_of: "_Candidate | None" = None  # a bullet with its own: a task under that line (then a group)


def walk(grid, match, structure_fields=("deadline", "lead_unit"), inherit=()) -> Walk:
    """The task lines under the header. A section or part row has no value in structure_fields (a section title
    carries neither a deadline nor a lead unit), or has lines under it; a group row ("1" over "1.1", "3" over "a)",
    a line over bullets that have their own lead unit or deadline) is a heading whatever it fills, and the fields
    of `inherit` it or its section row fill are taken by the lines under it that leave them empty; a bullet line
    ("- …", "+ …") filling none of structure_fields is a point of the task above it, not a task."""
    columns = list(grid.table.column_names)
    records = grid.table.slice(match.header_index + 1).to_pylist()
    numbers = grid.row_numbers[match.header_index + 1:]
    out = Walk([], 0)
    where = _Section()
    block: list[_Candidate] = []
    ended = False
    unit = None
    for i, record in enumerate(records):
        texts = [t for t in (_clean(record.get(c)) for c in columns) if t]
        if ended or not texts:
            out.skipped += 1
            continue
        key = norm_key(texts[0])
        cells = {f: _clean(record.get(c)) for f, c in match.columns.items()}
        bare = not any(cells.get(f) for f in structure_fields)
        # Only a line without a deadline or status can end the table or be a total: a task line never does. The
        # signature block ends it even with a word under a deadline column ("Nơi nhận:" … "CHỦ TỊCH"), as long as
        # the line has no task text.
        if (bare or not cells.get("task")) and ends_table(key):
            ended = True
            out.skipped += 1
            continue
        # a totals line counts what is above it: «Tổng cộng | 9 | 5 | 1» under the marks «Đã hoàn thành | Đang thực
        # hiện | Chưa thực hiện» (probe 19: rejected as a task marked in several columns)
        counts_only = all(_COUNT.fullmatch(cells.get(f) or "") for f in structure_fields)
        if is_numbering(texts) or ((bare or counts_only) and is_totals_key(key)):
            out.skipped += 1
            continue
        heading = _heading(_SECTION, texts)
        if heading and roman_value(heading[0]) and (bare or _has_lines_below(records, i, columns)):
            _finish(block, where, inherit, out)
            block = []
            where = _Section(heading[0], roman_value(heading[0]), heading[1], area_name(heading[1]), where.part,
                             {f: cells[f] for f in inherit if cells.get(f)})
            out.skipped += 1
            continue
        heading = _heading(_PART, texts) if bare else None
        if heading:
            _finish(block, where, inherit, out)
            block = []
            words = norm_key(heading[1])
            part = True if "chi tieu" in words and "nhiem vu" not in words else False if "nhiem vu" in words else None
            where = _Section(area=where.area, part=part)   # the area stays until a section or group names one
            out.skipped += 1
            continue
        if "unit" in cells:
            # A unit written once over its lines (a cell merged down, or left blank below): each line is its own.
            unit = cells["unit"] = cells["unit"] or unit
        block.append(_candidate(int(numbers[i]), cells, not bare))
        block[-1].last_text = texts[-1]
    _finish(block, where, inherit, out)
    out.lines.sort(key=lambda line: line.row)
    return out


def _has_lines_below(records: list[dict], i: int, columns: list) -> bool:
    """Whether the next line that is not empty is one under a section row (not another section row or the end):
    a roman-numbered line filling its lead unit or deadline is then a section row, else a task numbered I, II…"""
    for record in records[i + 1:]:
        texts = [t for t in (_clean(record.get(c)) for c in columns) if t]
        if texts:
            heading = _heading(_SECTION, texts)
            return not ((heading and roman_value(heading[0])) or _heading(_PART, texts) or ends_table(norm_key(texts[0])))
    return False


def _candidate(row: int, cells: dict, own: bool) -> _Candidate:
    written_no = cells.get("item_no")
    titled = _NUMBER_AND_TITLE.match(written_no or "") if not cells.get("task") else None
    if titled:
        written_no = cells["item_no"] = titled.group(1)
        cells["task"] = titled.group(2)
    item = _item_no(written_no)
    if item is not None:
        return _Candidate(row, cells, "num" if item[0].isdigit() else "letter", item, own)
    written = _SECTION_ITEM.match(written_no or "")
    if written and roman_value(written.group(1)):
        return _Candidate(row, cells, "written", written.group(2), own, written_section=written.group(1))
    if _BULLET.match(written_no or "") or (not written_no and _BULLET_TEXT.match(cells.get("task") or "")):
        return _Candidate(row, cells, "bullet", None, own)
    return _Candidate(row, cells, "none", None, own)


def _finish(block: list[_Candidate], where: _Section, inherit: tuple, out: Walk) -> None:
    """The lines of one section: each one's number, which are groups and points, what they inherit; the tasks
    go to out.lines, the rest are counted as skipped with their row."""
    last_number = None
    for c in block:
        if c.kind == "num":
            c.path = last_number = c.item
        elif c.kind == "letter":
            c.path = f"{last_number}.{c.item}" if last_number else c.item
    for k, c in enumerate(block):
        if c.kind != "bullet":
            continue
        if not c.own:
            c.part_of = next((p for p in reversed(block[:k]) if p.part_of is None), None)
        else:
            parent = next((p for p in reversed(block[:k]) if p.kind != "bullet"), None)
            if parent is not None:
                parent.group = True
                c.bullet_of = parent     # numbered below, once the parent has its number
        if c.part_of is None and not c.own:
            c.kind = "none"          # a bullet first in its section: a task of its own
    listed = [c for c in block if c.part_of is None]
    for k, c in enumerate(listed):
        if c.path and c.kind in ("num", "letter"):
            following = next((n for n in listed[k + 1:] if n.kind != "bullet"), None)
            if following is not None and (following.path or "").startswith(c.path + "."):
                c.group = True
    counter = 0
    bullets: dict[int, int] = {}
    for c in listed:
        if not (c.group and c.kind in ("num", "letter")):
            counter += 1
        if c.kind in ("none", "written") or (c.kind == "bullet" and c.bullet_of is None):
            c.path = c.item if c.kind == "written" else str(counter)
    for c in listed:
        if c.bullet_of is not None:
            bullets[c.bullet_of.row] = bullets.get(c.bullet_of.row, 0) + 1
            c.path = f"{c.bullet_of.path}.{bullets[c.bullet_of.row]}"
    groups = [c for c in listed if c.group]
    for c in block:
        if c.part_of is not None:
            out.skipped += 1
            out.parts.append((c.row, c.part_of.row))
        elif c.group:
            out.skipped += 1
            out.groups.append(c.row)
            if where.section is None and "." not in c.path:
                # "1. Rà soát văn bản" over "1.1", "1.2" in a table without sections gives the area of its lines
                where.area = area_name(c.cells.get("task") or c.last_text)
        else:
            out.lines.append(_line(c, where, inherit, groups))


def _line(c: _Candidate, where: _Section, inherit: tuple, groups: list[_Candidate]) -> Line:
    inherited = []
    if inherit:
        above = sorted((g for g in groups if c.path.startswith(g.path + ".")), key=lambda g: -len(g.path))
        for f in inherit:
            if c.cells.get(f):
                continue
            value = next((g.cells[f] for g in above if g.cells.get(f)), None) or where.fill.get(f)
            if value:
                c.cells[f] = value
                inherited.append(f)
    if c.kind == "written":
        own = c.written_section == where.section  # the section row above, or another section's title is not its own
        return Line(c.row, c.cells, c.written_section, roman_value(c.written_section), where.title if own else None,
                    where.area if own else None, where.part, c.item, tuple(inherited))
    return Line(c.row, c.cells, where.section, where.section_no, where.title, where.area, where.part, c.path,
                tuple(inherited))
