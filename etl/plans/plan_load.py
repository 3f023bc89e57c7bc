"""Load one sheet of a plan (kind plan_tasks): its task lines with their section, area, lead unit, deadline read
from words, and whether each is a nhiệm vụ or a chỉ tiêu; the plan replaces what an earlier load of it held."""
from __future__ import annotations

from collections import Counter

import pyarrow as pa

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.plans.deadlines import UNREADABLE, parse_deadline
from etl.plans.layout import walk
from etl.plans.owner import line_year, owner_named, record_unmatched_owners, sheet_owner, sheet_year
from etl.plans.store import add_sheet_counts, next_number, record_rejects, replace_groups
from etl.plans.vocab import FIELD_LABELS, area_name

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


def _is_target(line, warnings: list[str]) -> bool:
    """A kind column says it ("Chỉ tiêu"/"Nhiệm vụ"); else a filled target-value column, else the part or section
    the line stands under ("A. CHỈ TIÊU")."""
    kind = norm_key(line.cells.get("kind"))
    if kind in _TARGET_WORDS:
        return True
    if kind in _TASK_WORDS:
        return False
    if kind:
        warnings.append(f"Dòng {line.row}: loại «{line.cells['kind']}» không phải «Nhiệm vụ» hay «Chỉ tiêu»; "
                        "tính là nhiệm vụ.")
    if line.cells.get("target_value"):
        return True
    if line.part_is_target is not None:
        return line.part_is_target
    return "chi tieu" in norm_key(line.section_title)


def load_plan_sheet(con, sheet, result: dict) -> None:
    """Loads one recognized sheet inside the importer's transaction and adds its counts to the file's result."""
    match = sheet.match
    if "task" not in match.columns:
        raise ImportFailure(f"Tệp {sheet.file_name}: không tìm thấy cột «Nội dung nhiệm vụ» (hoặc «Nhiệm vụ», "
                            "«Nội dung») trong bảng kế hoạch. Không nạp dòng nào từ tệp này.")
    owner = sheet_owner(con, sheet, "kế hoạch")
    year = sheet_year(sheet, "kế hoạch")
    walked = walk(sheet.grid, match)
    rows, rejects, warnings, owners = [], [], [], Counter()
    numbers: dict[tuple, int] = {}
    for line in walked.lines:
        cells = line.cells
        line_owner = owner or (owner_named(con, cells["unit"]) if cells.get("unit") else None)
        line_yr = year or line_year(cells.get("year"))
        if not cells.get("task"):
            rejects.append((line.row, "task", "thiếu nội dung nhiệm vụ.", cells))
            continue
        if line_owner is None:
            rejects.append((line.row, "unit", "thiếu đơn vị ban hành kế hoạch.", cells))
            continue
        if line_yr is None:
            rejects.append((line.row, "year", f"năm «{cells.get('year') or ''}» không đọc được.", cells))
            continue
        plan = (line_yr, line_owner.plan_key)
        if plan not in numbers:
            numbers[plan] = next_number(con, "plan_tasks", "task_no",
                                        {"year": line_yr, "plan_key": line_owner.plan_key, "import_id": sheet.import_id})
        owners[line_owner] += 1
        deadline = parse_deadline(cells.get("deadline"), line_yr)
        code = cells.get("code")
        rows.append({
            "year": line_yr, "plan_key": line_owner.plan_key, "unit_text": line_owner.text, "unit_key": line_owner.key,
            "unit_code": line_owner.code, "task_no": numbers[plan], "code": code, "code_key": norm_key(code) or None,
            "section": line.section, "section_no": line.section_no, "item_no": line.item_no, "ref": line.ref,
            "ref_key": norm_key(line.ref), "task": cells["task"], "task_key": norm_key(cells["task"]),
            "area": area_name(cells["area"]) if cells.get("area") else line.area, "product": cells.get("product"),
            "lead_text": cells.get("lead_unit"), "lead_key": norm_key(cells.get("lead_unit")) or None,
            "supporting_units": cells.get("supporting_units"), "deadline_text": cells.get("deadline"),
            "deadline_date": deadline.date, "deadline_kind": deadline.kind,
            "is_target": _is_target(line, warnings), "target_value": cells.get("target_value"),
            "file_name": sheet.file_name, "sheet": sheet.grid.sheet, "import_id": sheet.import_id,
            "row_number": line.row})
        numbers[plan] += 1
    counts = replace_groups(con, "plan_tasks", rows, SCHEMA, ("year", "plan_key"), "task_no", sheet.import_id) \
        if rows else {}
    listed = record_rejects(con, rejects, import_id=sheet.import_id, file_name=sheet.file_name,
                            sheet=sheet.grid.sheet, labels=FIELD_LABELS)
    unreadable = [r for r in rows if r["deadline_kind"] == UNREADABLE]
    if unreadable:
        warnings.append(f"{len(unreadable)} nhiệm vụ có thời hạn không đọc được (vẫn nạp, tính là đang thực hiện và "
                        "được liệt kê trên trang Kế hoạch CCHC): " + "; ".join(
                            f"dòng {r['row_number']} «{r['deadline_text'] or 'để trống'}»" for r in unreadable[:10])
                        + (" …" if len(unreadable) > 10 else "") + ".")
    if counts.get("removed"):
        warnings.append(f"{counts['removed']} nhiệm vụ của lần nạp trước không còn trong kế hoạch này: đã bỏ.")
    add_sheet_counts(result, counts, walked.skipped, listed, warnings,
                     record_unmatched_owners(con, owners, sheet.file_name))
    plans: dict[tuple, dict] = {}
    for r in rows:
        plan = plans.setdefault((r["year"], r["plan_key"]), {"year": r["year"], "unit": r["unit_text"],
                                                             "unit_code": r["unit_code"], "tasks": 0, "targets": 0})
        plan["targets" if r["is_target"] else "tasks"] += 1
    result.setdefault("plans", []).extend(plans.values())
