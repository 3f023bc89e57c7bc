"""The import summary's lines for a plan or a progress report (Vietnamese)."""
from datetime import date

from common.formats import vn_date, vn_int

SHOWN = 10   # rows a line names before "…"
_FIELD_WORDS = {"lead_unit": "cơ quan chủ trì", "deadline": "thời hạn"}


def _rows(items: list[dict], label) -> str:
    """'dòng 5, 8, 14 …', per sheet when the workbook has several ('trang SKHDT: dòng 5, 8; trang STP: dòng 4')."""
    by_sheet: dict = {}
    for i in items[:SHOWN]:
        by_sheet.setdefault(i.get("sheet"), []).append(f"{i['row']}{label(i)}")
    named = [(f"trang {sheet}: " if sheet and len(by_sheet) > 1 else "") + "dòng " + ", ".join(rows)
             for sheet, rows in by_sheet.items()]
    return "; ".join(named) + (" …" if len(items) > SHOWN else "")


def plan_summary_lines(r: dict) -> list[str]:
    """The plan's own lines; etl/summary.py adds the unmatched units, warnings and rejects every kind shares."""
    lines = []
    for plan in r.get("plans", []):
        targets = f" và {vn_int(plan['targets'])} chỉ tiêu" if plan["targets"] else ""
        lines.append(f"   Kế hoạch năm {plan['year']} của {plan['unit']}: {vn_int(plan['tasks'])} nhiệm vụ{targets}.")
    if r["kind"] == "task_progress" and r.get("snapshot_date"):
        lines.append(f"   Báo cáo tiến độ tính đến ngày {vn_date(date.fromisoformat(r['snapshot_date']))}: "
                     f"{vn_int(r['rows_read'])} dòng.")
    lines.append(f"   Thêm mới {vn_int(r['rows_loaded'])}, cập nhật {vn_int(r['rows_updated'])}, "
                 f"không đổi {vn_int(r['rows_unchanged'])}, bị loại {vn_int(r['rows_rejected'])}.")
    if r["rows_skipped"]:
        lines.append(f"   Bỏ qua {vn_int(r['rows_skipped'])} dòng không phải nhiệm vụ (dòng mục I, II…, dòng nhóm, "
                     "ý gạch đầu dòng, dòng trống, dòng số cột, chữ ký).")
    groups, parts, inherited = r.get("group_rows", []), r.get("part_rows", []), r.get("inherited_rows", [])
    if groups:
        lines.append(f"   {vn_int(len(groups))} dòng nhóm có mục con bên dưới («1» trên «1.1, 1.2», «3» trên «a), b)») "
                     "đọc là tiêu đề nhóm, không tính là nhiệm vụ — các mục con là nhiệm vụ: "
                     + _rows(groups, lambda i: "") + ".")
    if parts:
        own = "tình trạng" if r["kind"] == "task_progress" else "cơ quan chủ trì hay thời hạn"
        lines.append(f"   {vn_int(len(parts))} dòng gạch đầu dòng («-», «+») không ghi {own} riêng, đọc là một ý của "
                     "nhiệm vụ ở dòng trên, không tính là nhiệm vụ riêng: "
                     + _rows(parts, lambda i: f" (thuộc dòng {i['task_row']})") + ".")
    if inherited:
        lines.append(f"   {vn_int(len(inherited))} nhiệm vụ để trống cơ quan chủ trì hoặc thời hạn, lấy theo dòng nhóm "
                     "hoặc dòng mục ở trên: " + _rows(inherited, lambda i: " (" + ", ".join(
                         _FIELD_WORDS[f] for f in i["fields"]) + ")") + ".")
    return lines
