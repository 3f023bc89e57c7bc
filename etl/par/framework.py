"""Load a PAR INDEX framework: areas → criteria → sub-criteria with their maximum points and method, per year and
peer group; sums checked; a newer version replaces the one loaded. Like a reference file it is a few hundred
rows typed by people, so it is read in Python and loads whole or not at all (the first bad row is named)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from common.text import norm_key
from etl.core.kind import SheetLoad
from etl.par.codes import codes_in_order, depth_of, leading_code, parent_of
from etl.par.vocab import (PEER_GROUP_NAMES, is_total_text, method_of, peer_group_in_titles, peer_group_of,
                           year_in_texts)
from etl.references.common import fail, reference_lines
from model.par_rules import RuleError, indicator_of, parse_rule

__all__ = ["load_framework_sheet", "parse_points"]

_TOLERANCE = 1e-6
_SURVEY_INDICATORS = ("sipas", "sipas_1", "sipas_2", "sipas_3", "sipas_4", "sipas_5")


@dataclass
class _Node:
    row: int
    code: str
    name: str
    max_text: str
    method_text: str
    indicator_text: str
    rule_text: str
    position: int
    max_points: float | None = None
    method: str | None = None
    indicator: str | None = None


def parse_points(text) -> float | None:
    """'1,5', '1.5', '2 điểm' → a number; None for anything else (points are never thousands: '1.500' is 1,5)."""
    found = re.fullmatch(r"\s*(-?\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*", str(text or ""), re.IGNORECASE)
    return float(found.group(1).replace(",", ".")) if found else None


def _shown(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
                   r"|ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


def _version_date(text: str | None) -> date | None:
    """The date a version is known by: 'Quyết định 3463/QĐ-UBND ngày 15/12/2022' → 15/12/2022."""
    found = _DATE.search(text or "")
    if not found:
        return None
    d, m, y = [int(g) for g in (found.groups()[:3] if found.group(1) else found.groups()[3:])]
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _version_in_titles(titles) -> str | None:
    """'(Kèm theo Quyết định số 3463/QĐ-UBND ngày 15/12/2022 …)': the decision a framework is published with."""
    return next((str(t).strip(" ()") for t in titles if "quyet dinh" in norm_key(t)), None)


def _year(text, default, name, row) -> int:
    found = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", str(text or ""))
    if found:
        return int(found.group())
    if default is None:
        fail(name, row, "thiếu năm áp dụng (cột «Năm» hoặc «NĂM 2022» trong tiêu đề).")
    return default


def _group(text, default, name, row) -> str:
    if text:
        group = peer_group_of(text)
        if group is None:
            fail(name, row, f"nhóm đơn vị «{text}» không rõ (dùng: sở, ban, ngành; quận, huyện; phường, xã — hoặc "
                            "department, district, ward).")
        return group
    if default is None:
        fail(name, row, "thiếu nhóm đơn vị (cột «Nhóm đơn vị», hoặc tiêu đề nêu «các sở, ban, ngành» / «các quận, "
                        "huyện»).")
    return default


def _key(r: dict, title_year, title_group, name) -> tuple[int, str]:
    """(year, peer group) of a framework line: its own cells, else the title's."""
    return (_year(r.get("year"), title_year, name, r["_row"]),
            _group(r.get("peer_group"), title_group, name, r["_row"]))


# A bullet alone in the code column: a line of the scoring guidance under a criterion (probe 44: the districts'
# framework was refused for its «-»). One with a maximum of its own is no note, and stays refused for its code.
_BULLET = re.compile(r"\s*[-–—+•*·○▪◦]+\s*")


def _read_rows(sheet: SheetLoad) -> tuple[dict, dict, int]:
    """({(year, group): [(row, code text, fields)]}, {(year, group) or None: (total, row)}, rows skipped)."""
    name = sheet.file_name
    titles = [c for row in sheet.title_rows for c in row if c] + [sheet.grid.sheet or ""]
    title_year = year_in_texts(titles) or (sheet.as_of.year if sheet.as_of else None)
    title_group = peer_group_in_titles(titles)
    groups, totals = {}, {}
    # the framework's area rows and its total line are read; the column numbers and the block under it skipped
    rows, skipped = reference_lines(sheet.grid, sheet.match, headings=True, totals=True)
    for r in rows:
        code_cell, name_cell = r.get("code", ""), r.get("name", "")
        if is_total_text(code_cell) or (not code_cell and is_total_text(name_cell)):
            points = parse_points(r.get("max_points"))
            if points is None:
                fail(name, r["_row"], f"dòng tổng có điểm «{r.get('max_points', '')}» không phải số.")
            # a total line names its year and group when the rows do; a bare "Tổng cộng" is the file's only group's
            known = (r.get("year") or title_year) and (r.get("peer_group") or title_group)
            totals[_key(r, title_year, title_group, name) if known else None] = (points, r["_row"])
            continue
        if _BULLET.fullmatch(code_cell) and not r.get("max_points"):
            skipped += 1   # how the criterion above is scored («- | Thực hiện 100% kế hoạch: 2 điểm»): a note
            continue
        code_text = code_cell or leading_code(name_cell)
        if not code_text:
            if r.get("max_points"):
                fail(name, r["_row"], f"dòng «{name_cell}» có điểm tối đa nhưng không có mã tiêu chí.")
            skipped += 1   # a note under the table
            continue
        groups.setdefault(_key(r, title_year, title_group, name), []).append((r["_row"], code_text, r))
    return groups, totals, skipped


def _nodes(lines: list, name: str) -> dict[str, _Node]:
    codes = codes_in_order([text for _, text, _ in lines])
    nodes: dict[str, _Node] = {}
    for position, ((row, text, r), code) in enumerate(zip(lines, codes), start=1):
        if code is None:
            fail(name, row, f"không đọc được mã tiêu chí «{text}» (dùng dạng 1, 1.1, 1.1.a, «Tiêu chí 1.1» hoặc "
                            "số La Mã I, II cho lĩnh vực).")
        if code in nodes:
            fail(name, row, f"mã tiêu chí {code} trùng với dòng {nodes[code].row}.")
        label = r.get("name") or ""
        lead = leading_code(label)
        if lead and not r.get("code"):
            label = label[len(lead):].lstrip(" .):-–")
        nodes[code] = _Node(row, code, label.strip() or code, r.get("max_points", ""), r.get("method", ""),
                            r.get("indicator", ""), r.get("rule", ""), position)
    return nodes


def _check(nodes: dict[str, _Node], total: tuple | None, name: str) -> None:
    """Parents exist; every maximum is a number; children add up to their parent, areas to the total; methods,
    indicators and rules can be applied."""
    children: dict[str, list[_Node]] = {}
    for node in nodes.values():
        parent = parent_of(node.code)
        if parent is not None:
            if parent not in nodes:
                fail(name, node.row, f"tiêu chí {node.code} không có tiêu chí cha {parent} ở dòng nào phía trên.")
            children.setdefault(parent, []).append(node)
    for node in sorted(nodes.values(), key=lambda n: -depth_of(n.code)):   # leaves first: a blank parent sums them
        kids = children.get(node.code, [])
        node.max_points = parse_points(node.max_text)
        if node.max_points is None and node.max_text.strip() == "" and kids:
            node.max_points = sum(k.max_points for k in kids)
        if node.max_points is None or node.max_points < 0:
            fail(name, node.row, f"điểm tối đa «{node.max_text}» của tiêu chí {node.code} không phải số không âm.")
        if kids and abs(sum(k.max_points for k in kids) - node.max_points) > _TOLERANCE:
            fail(name, node.row, f"tổng điểm tối đa các tiêu chí con của {node.code} là "
                                 f"{_shown(sum(k.max_points for k in kids))}, không bằng điểm tối đa "
                                 f"{_shown(node.max_points)} của {node.code}.")
    areas = sum(n.max_points for n in nodes.values() if parent_of(n.code) is None)
    if total is not None and abs(total[0] - areas) > _TOLERANCE:
        fail(name, total[1], f"tổng điểm tối đa các lĩnh vực là {_shown(areas)}, không bằng tổng {_shown(total[0])} "
                             "ghi ở dòng tổng.")
    for node in sorted(nodes.values(), key=lambda n: n.position):   # parents first: a child inherits the method
        own = method_of(node.method_text)
        if own == "?":
            fail(name, node.row, f"phương pháp «{node.method_text}» không rõ (dùng: tự đánh giá, điều tra xã hội "
                                 "học, số liệu — hoặc self, survey, data).")
        parent = parent_of(node.code)
        node.method = own or (nodes[parent].method if parent else None) or "self"
        node.indicator = indicator_of(node.indicator_text)
        if node.indicator_text and node.indicator is None:
            fail(name, node.row, f"chỉ tiêu «{node.indicator_text}» không phải số liệu công cụ tính được (ví dụ "
                                 "on_time_rate, online_rate, sipas, index766, plan_done_rate).")
        if node.code in children:
            continue
        if node.method == "data":
            if node.indicator is None:
                fail(name, node.row, f"tiêu chí {node.code} chấm theo số liệu nhưng không nêu chỉ tiêu.")
            try:
                parse_rule(node.rule_text, node.max_points)
            except RuleError as exc:
                fail(name, node.row, f"cách tính điểm của tiêu chí {node.code}: {exc}.")
        if node.method == "survey" and node.indicator not in (None, *_SURVEY_INDICATORS):
            fail(name, node.row, f"tiêu chí điều tra xã hội học {node.code} chỉ lấy được chỉ số SIPAS (sipas, "
                                 f"sipas_1 … sipas_5), không phải «{node.indicator_text}».")


def _version(lines: list, titles_version: str | None) -> str | None:
    return next((r.get("version") for _, _, r in lines if r.get("version")), None) or titles_version


def _replace(con, year: int, group: str, nodes: dict, version: str | None, sheet: SheetLoad, name: str) -> tuple:
    """Writes the framework of (year, group) in place of the one loaded; (rows, unchanged, warnings)."""
    new_date = _version_date(version)
    loaded = con.execute("""SELECT any_value(version), max(version_date), count(*) FROM par_framework
                            WHERE year = ? AND peer_group = ?""", [year, group]).fetchall()[0]
    label = f"năm {year} ({PEER_GROUP_NAMES.get(group, group)})"
    if loaded[1] and new_date and new_date < loaded[1]:
        fail(name, min(n.row for n in nodes.values()),
             f"bộ tiêu chí {label} đã nạp là phiên bản mới hơn («{loaded[0]}»); tệp này không thay thế nó.")
    records = [(year, group, n.code, parent_of(n.code), depth_of(n.code), n.position, n.name, n.max_points, n.method,
                n.indicator, n.rule_text or None, version, new_date, sheet.import_id, n.row)
               for n in sorted(nodes.values(), key=lambda n: n.position)]
    same = con.execute("""SELECT list(struct_pack(c := code, p := parent_code, n := name, m := max_points, k := method,
                                                  i := indicator, r := rule) ORDER BY position)
                          FROM par_framework WHERE year = ? AND peer_group = ?""", [year, group]).fetchall()[0][0]
    incoming = [{"c": r[2], "p": r[3], "n": r[6], "m": r[7], "k": r[8], "i": r[9], "r": r[10]} for r in records]
    con.execute("DELETE FROM par_framework WHERE year = ? AND peer_group = ?", [year, group])
    con.executemany("INSERT INTO par_framework VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
    warnings = []
    orphans = con.execute("""SELECT count(*), string_agg(DISTINCT code, ', ' ORDER BY code) FROM par_scores s
                             WHERE year = ? AND peer_group = ? AND NOT EXISTS (SELECT 1 FROM par_framework f
                               WHERE f.year = s.year AND f.peer_group = s.peer_group AND f.code = s.code)""",
                          [year, group]).fetchall()[0]
    if orphans[0]:
        warnings.append(f"Bộ tiêu chí {label}: {orphans[0]} điểm đã nạp thuộc mã tiêu chí không còn trong bộ tiêu chí "
                        f"này ({orphans[1]}) và không được tính.")
    if loaded[2] and same != incoming:
        warnings.append(f"Bộ tiêu chí {label} đã nạp trước đây được thay bằng bộ tiêu chí của tệp này"
                        + (f" («{version}»)." if version else "."))
    return len(records), same == incoming, warnings


def load_framework_sheet(con, sheet: SheetLoad, result: dict) -> None:
    """Loads every (year, peer group) framework of one sheet, or raises ImportFailure naming the first bad row."""
    name = sheet.file_name
    groups, totals, skipped = _read_rows(sheet)
    if not groups:
        fail(name, int(sheet.grid.row_numbers[sheet.match.header_index]), "không có dòng tiêu chí nào dưới tiêu đề.")
    titles = [c for row in sheet.title_rows for c in row if c]
    for (year, group), lines in groups.items():
        nodes = _nodes(lines, name)
        total = totals.get((year, group)) or (totals.get(None) if len(groups) == 1 else None)
        _check(nodes, total, name)
        n, unchanged, warnings = _replace(con, year, group, nodes, _version(lines, _version_in_titles(titles)),
                                          sheet, name)
        result["rows_unchanged" if unchanged else "rows_loaded"] += n
        result["warnings"] += warnings
    result["rows_skipped"] += skipped + len(totals)
