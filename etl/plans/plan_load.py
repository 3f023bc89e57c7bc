"""Load one sheet of a plan (kind plan_tasks): its task lines with their section, area, lead unit, deadline read
from words, and whether each is a nhiệm vụ or a chỉ tiêu; the plan replaces what an earlier load of it held."""
from __future__ import annotations

import re

import pyarrow as pa

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.plans.deadlines import UNREADABLE, parse_deadline
from etl.plans.layout import walk
from etl.plans.owner import line_year, owners_named, sheet_owner, sheet_year
from etl.plans.store import staged, write_staged
from etl.plans.vocab import FIELD_LABELS, PROGRESS_ONLY, area_name

SCHEMA = pa.schema([
    ("year", pa.int32()), ("plan_key", pa.string()), ("unit_text", pa.string()), ("unit_key", pa.string()),
    ("unit_code", pa.string()), ("task_no", pa.int32()), ("code", pa.string()), ("code_key", pa.string()),
    ("section", pa.string()), ("section_no", pa.int32()), ("item_no", pa.string()), ("ref", pa.string()),
    ("ref_key", pa.string()), ("task", pa.string()), ("task_key", pa.string()), ("area", pa.string()),
    ("product", pa.string()), ("lead_text", pa.string()), ("lead_key", pa.string()),
    ("supporting_units", pa.string()), ("deadline_text", pa.string()), ("deadline_date", pa.date32()),
    ("deadline_kind", pa.string()), ("is_target", pa.bool_()), ("target_value", pa.string()),
    ("file_name", pa.string()), ("sheet", pa.string()), ("import_id", pa.int32()), ("row_number", pa.int32()),
])
_TARGET_WORDS = {"chi tieu", "ct", "target"}
_TASK_WORDS = {"nhiem vu", "nv", "task"}
SHOWN = 10   # lines a warning names before "…"


def _is_target(line, warnings: list[str], sheet: str | None) -> bool:
    """A kind column says it ("Chỉ tiêu"/"Nhiệm vụ"); else a filled target-value column, else the part or section
    the line stands under ("A. CHỈ TIÊU")."""
    kind = norm_key(line.cells.get("kind"))
    if kind in _TARGET_WORDS:
        return True
    if kind in _TASK_WORDS:
        return False
    if kind:
        warnings.append(f"{f'Trang {sheet}, dòng' if sheet else 'Dòng'} {line.row}: loại «{line.cells['kind']}» "
                        "không phải «Nhiệm vụ» hay «Chỉ tiêu»; tính là nhiệm vụ.")
    if line.cells.get("target_value"):
        return True
    if line.part_is_target is not None:
        return line.part_is_target
    return "chi tieu" in norm_key(line.section_title)


def read_plan_sheet(con, sheet, result: dict) -> None:
    """Reads one recognized sheet into the file's staged rows (written by write_plans after the last sheet)."""
    match = sheet.match
    if "task" not in match.columns:
        raise ImportFailure(f"Tệp {sheet.file_name}: không tìm thấy cột «Nội dung nhiệm vụ» (hoặc «Nhiệm vụ», "
                            "«Nội dung») trong bảng kế hoạch. Không nạp dòng nào từ tệp này.")
    if "deadline" not in match.columns and "lead_unit" not in match.columns:
        # --kind plan_tasks on a progress report replaced the unit's plan with tasks that had no deadline or lead
        report = [f for f in PROGRESS_ONLY if f in match.columns]
        raise ImportFailure(
            f"Tệp {sheet.file_name}: bảng không có cột «Thời gian hoàn thành» hay «Cơ quan chủ trì», nên không phải "
            "bảng nhiệm vụ của kế hoạch CCHC" + (" mà giống báo cáo tiến độ (có cột tình trạng hoặc kết quả thực hiện): "
                                                 "hãy nạp với --kind task_progress" if report else "") +
            ". Không nạp dòng nào từ tệp này; kế hoạch đã nạp giữ nguyên.")
    owner = sheet_owner(con, sheet, "kế hoạch")
    year = sheet_year(sheet, "kế hoạch")
    walked = walk(sheet.grid, match, inherit=("lead_unit", "deadline"))
    out = staged(result)
    out.skipped += walked.skipped
    out.groups += [(sheet.grid.sheet, row) for row in walked.groups]
    out.parts += [(sheet.grid.sheet, row, task_row) for row, task_row in walked.parts]
    out.inherited += [(sheet.grid.sheet, line.row, line.inherited) for line in walked.lines if line.inherited]
    named = owners_named(con)
    name = sheet.grid.sheet
    continued = []
    for line in walked.lines:
        cells = line.cells
        if _continues(out.rows[-1] if out.rows else None, line, sheet):
            # a task merged over two rows (a Word table pasted into Excel, a second product on the lower row): one task,
            # its products and supporting units joined (probe 50: two tasks «III.1», the report's line matching neither)
            _join_continuation(out.rows[-1], cells)
            continued.append((line.row, out.rows[-1]["row_number"]))
            out.skipped += 1
            continue
        line_owner = owner or (named(cells["unit"]) if cells.get("unit") else None)
        line_yr = year or line_year(cells.get("year"))
        problem = (("task", "thiếu nội dung nhiệm vụ.") if not cells.get("task")
                   else ("unit", "thiếu đơn vị ban hành kế hoạch.") if line_owner is None
                   else ("year", f"năm «{cells.get('year') or ''}» không đọc được.") if line_yr is None else None)
        if problem:
            out.rejects.append((name, line.row, *problem, cells))
            continue
        deadline = parse_deadline(cells.get("deadline"), line_yr)
        code = cells.get("code")
        lead, partners = _lead_and_partners(cells.get("lead_unit"), cells.get("supporting_units"))
        out.rows.append({
            "year": line_yr, "plan_key": line_owner.plan_key, "unit_text": line_owner.text, "unit_key": line_owner.key,
            "unit_code": line_owner.code, "task_no": None, "code": code, "code_key": norm_key(code) or None,
            "section": line.section, "section_no": line.section_no, "item_no": line.item_no, "ref": line.ref,
            "ref_key": norm_key(line.ref), "task": cells["task"], "task_key": norm_key(cells["task"]),
            "area": area_name(cells["area"]) if cells.get("area") else line.area, "product": cells.get("product"),
            "lead_text": lead, "lead_key": norm_key(lead) or None,
            "supporting_units": partners, "deadline_text": _as_written(cells.get("deadline")),
            "deadline_date": deadline.date, "deadline_kind": deadline.kind,
            "is_target": _is_target(line, out.warnings, name), "target_value": cells.get("target_value"),
            "file_name": sheet.file_name, "sheet": name, "import_id": sheet.import_id, "row_number": line.row})
    if continued:
        where = f"Trang {name}: " if name else ""
        out.warnings.append(f"{where}{len(continued)} dòng cùng số thứ tự và nội dung với nhiệm vụ ngay trên (ô gộp qua "
                            "nhiều dòng) được đọc là phần tiếp của nhiệm vụ đó, sản phẩm và cơ quan phối hợp ghép vào: "
                            + ", ".join(f"dòng {row} (của dòng {first})" for row, first in continued[:SHOWN])
                            + (" …" if len(continued) > SHOWN else "") + ".")


# «Phòng Nội vụ chủ trì, phối hợp Văn phòng HĐND-UBND», «Sở Nội vụ (chủ trì)»: a lead cell naming its partners too.
_LEAD_AND_PARTNERS = re.compile(r"(.*?)[\s,;(]*chủ trì[\s,;)]*(?:(?:và\s+)?phối hợp(?:\s+với)?\s*:?\s*(.+))?",
                                re.IGNORECASE | re.DOTALL)


def _lead_and_partners(lead: str | None, partners: str | None) -> tuple[str | None, str | None]:
    """The lead unit alone, and the partners its cell names joined to the partners' column (probe 50: the whole text
    was the lead, a row of its own in the tasks by lead)."""
    found = _LEAD_AND_PARTNERS.fullmatch(lead.strip()) if lead else None
    if not found or not found.group(1).strip():
        return lead, partners
    named = (found.group(2) or "").strip(" .;,") or None
    joined = "; ".join(p for p in (partners, named) if p) or None
    return found.group(1).strip(" ,;"), joined


def _continues(previous: dict | None, line, sheet) -> bool:
    """Whether a line repeats the task right above it — the same number, section and words, as a merged cell reads
    on each of its rows — rather than being a task of its own."""
    return (previous is not None and previous["sheet"] == sheet.grid.sheet and previous["row_number"] == line.row - 1
            and previous["section"] == line.section and previous["ref"] == line.ref
            and previous["task"] == line.cells.get("task"))


def _join_continuation(task: dict, cells: dict) -> None:
    for field, cell in (("product", "product"), ("supporting_units", "supporting_units")):
        more = cells.get(cell)
        if more and more not in (task[field] or "").split("; "):
            task[field] = f"{task[field]}; {more}" if task[field] else more


_DATE_CELL = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?")


def _as_written(text: str | None) -> str | None:
    """A deadline as the plan's reader sees it: a date cell (read as '2025-09-30 00:00:00') as 30/09/2025."""
    found = _DATE_CELL.fullmatch(text or "")
    return f"{found.group(3)}/{found.group(2)}/{found.group(1)}" if found else text


def write_plans(con, import_id: int, file_name: str, result: dict) -> None:
    """After the file's last sheet: its plans replace what earlier loads of them held; the summary's plan list and
    the unreadable deadlines."""
    rows = write_staged(con, result, table="plan_tasks", schema=SCHEMA, group_cols=("year", "plan_key"),
                        key_col="task_no", import_id=import_id, file_name=file_name, labels=FIELD_LABELS,
                        what="nhiệm vụ")
    unreadable = [r for r in rows if r["deadline_kind"] == UNREADABLE]
    if unreadable:
        result["warnings"].append(
            f"{len(unreadable)} nhiệm vụ có thời hạn không đọc được (vẫn nạp, tính là đang thực hiện và được liệt kê "
            "trên trang Kế hoạch CCHC): " + "; ".join(f"{_where(r)} «{r['deadline_text'] or 'để trống'}»"
                                                    for r in unreadable[:SHOWN])
            + (" …" if len(unreadable) > SHOWN else "") + ".")
    plans: dict[tuple, dict] = {}
    for r in rows:
        plan = plans.setdefault((r["year"], r["plan_key"]), {"year": r["year"], "unit": r["unit_text"],
                                                             "unit_code": r["unit_code"], "tasks": 0, "targets": 0})
        plan["targets" if r["is_target"] else "tasks"] += 1
    result["plans"] = list(plans.values())


def _where(row: dict) -> str:
    return (f"trang {row['sheet']}, " if row["sheet"] else "") + f"dòng {row['row_number']}"
