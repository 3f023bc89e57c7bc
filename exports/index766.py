"""Writers for the 766 service index: a flat CSV and the xlsx (score per unit; every criterion per unit)."""
from __future__ import annotations

from datetime import date

from openpyxl.utils import get_column_letter

from common.formats import vn_date
from common.workbook import (PCT, SCORE, STYLES, csv_text, header_row, new_workbook, percent_format,
                             print_a4_landscape, save_workbook, title_rows, write_cell)
from indicators.periods import Period

__all__ = ["index766_to_csv", "write_index766_xlsx"]

_SUMMARY = ["key", "name", "peer_group", "rank", "peer_count", "score", "max_computable", "max_points", "score_100",
            "band"]


def index766_to_csv(result: dict) -> str:
    """One row per group then the total: the summary, each group's points, each criterion's rate and points
    (empty where not computable)."""
    records = result["rows"] + [result["total"]]
    first = records[0]
    cols = list(_SUMMARY) + [f"group_{g['group_id']}_points" for g in first["groups"]]
    for c in first["criteria"]:
        cols += [f"criterion_{c['criterion_id']}_rate", f"criterion_{c['criterion_id']}_points"]
    lines = []
    for r in records:
        values = [r.get(k) for k in _SUMMARY] + [g["points"] if g["max_computable"] else None for g in r["groups"]]
        for c in r["criteria"]:
            values += [c["rate"], c["points"]]
        lines.append(values)
    return csv_text(cols, lines)


def _sheet(ws, result: dict, scope_name: str | None, title: str, headers: list[tuple[str, int]], body: list[list],
           formats: dict[int, str]) -> None:
    """Four title lines (title, unit, period, how points are counted), one header row, the body with the total
    in bold; frozen headers, autofilter, A4 landscape."""
    period = Period(date.fromisoformat(result["from"]), date.fromisoformat(result["to"]))
    last = get_column_letter(len(headers))
    title_rows(ws, len(headers), [
        (title, STYLES.title),
        (f"Đơn vị: {scope_name or 'Toàn thành phố'}", STYLES.bold),
        (f"({period.label_vi()})", STYLES.italic),
        (f"Bộ tiêu chí áp dụng từ ngày {vn_date(date.fromisoformat(result['config']['effective_from']))}. "
         "Điểm chỉ tính trên các tiêu chí có dữ liệu; tiêu chí \"chưa có dữ liệu\" không tính là 0 điểm. "
         + (result["config"]["note"] or ""), STYLES.small_italic)])
    ws.row_dimensions[4].height = 30
    head = 6
    header_row(ws, head, headers, height=45)
    for i, values in enumerate(body, start=1):
        font = STYLES.bold if values[1] == "Tổng cộng" else STYLES.normal
        for c, v in enumerate(values, start=1):
            numeric = c in formats and isinstance(v, (int, float))
            write_cell(ws, head + i, c, v, formats[c] if numeric else None, font=font, border=STYLES.border)
    ws.freeze_panes = f"C{head + 1}"
    ws.auto_filter.ref = f"A{head}:{last}{head + max(len(body), 1)}"
    print_a4_landscape(ws, f"{head}:{head}", centered=False)


def write_index766_xlsx(result: dict, path, scope_name: str | None = None, criteria_sheet: bool = True) -> None:
    """Sheet 1: score per unit with group points, band and rank among peers; sheet 2 (unless criteria_sheet is
    False: the report's copy of sheet 1): every criterion per unit (rate, threshold, points, "chưa có dữ liệu").
    The style sheet of common.workbook, A4 landscape."""
    records = result["rows"] + [result["total"]]
    groups = result["total"]["groups"]

    wb, ws = new_workbook("Chi so 766")
    headers = [("STT", 5), ("Đơn vị", 34), ("Nhóm so sánh", 16), ("Xếp hạng trong nhóm", 10)]
    headers += [(f"{g['group_id']}. {g['name']} ({g['max_points']:g} điểm)", 13) for g in groups]
    headers += [("Tổng điểm đạt", 10), ("Điểm tối đa tính được", 10), ("Điểm quy đổi thang 100", 10), ("Xếp loại", 12)]
    body = []
    for i, r in enumerate(records, start=1):
        is_total = r is result["total"]
        rank = None if r["rank"] is None else f"{r['rank']}/{r['peer_count']}"
        body.append([None if is_total else i, "Tổng cộng" if is_total else r["name"], r["peer_group"], rank]
                    + [g["points"] if g["max_computable"] else "chưa có dữ liệu" for g in r["groups"]]
                    + [r["score"], r["max_computable"], r["score_100"], r["band"]])
    _sheet(ws, result, scope_name, "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)", headers, body,
           {c: SCORE for c in range(5, len(headers))})

    if not criteria_sheet:
        save_workbook(wb, path)
        return
    headers2 = [("STT", 5), ("Đơn vị", 34), ("Mã tiêu chí", 8), ("Tiêu chí", 44), ("Tỷ lệ đạt được", 10),
                ("Ngưỡng đạt điểm tối đa", 10), ("Điểm tối đa", 8), ("Điểm đạt", 8), ("Ghi chú", 24)]
    body2 = []
    for r in records:
        name = "Tổng cộng" if r is result["total"] else r["name"]
        for c in r["criteria"]:
            body2.append([len(body2) + 1, name, c["criterion_id"], c["name"], c["rate"], c["threshold"],
                          c["max_points"], c["points"], c["status_text"] or None])
    _sheet(wb.create_sheet("Tieu chi"), result, scope_name, "CHI TIẾT ĐIỂM THEO TIÊU CHÍ (QUYẾT ĐỊNH 766/QĐ-TTg)",
           headers2, body2, {5: PCT, 6: percent_format(0), 8: SCORE})
    save_workbook(wb, path)
