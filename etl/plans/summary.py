"""The import summary's lines for a plan or a progress report (Vietnamese)."""
from datetime import date

from common.formats import vn_date, vn_int


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
        lines.append(f"   Bỏ qua {vn_int(r['rows_skipped'])} dòng không phải nhiệm vụ (dòng mục I, II…, dòng trống, "
                     "dòng số cột, chữ ký).")
    return lines
