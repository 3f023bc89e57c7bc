"""Writers for the 766 index: JSON (cli.md), a flat CSV and the xlsx (scores per unit; every criterion per unit;
the reconciliation with the portal's published scores)."""
from __future__ import annotations

import json
from datetime import date

from openpyxl.utils import get_column_letter

from common.formats import vn_date, vn_number
from common.workbook import (PCT, SCORE, STYLES, csv_text, header_row, new_workbook, print_a4_landscape, save_workbook,
                             title_rows, write_cell)
from indicators.periods import Period

__all__ = ["index766_to_json", "index766_to_csv", "write_index766_xlsx"]

_SUMMARY = ["key", "name", "peer_group", "rank", "peer_count", "total", "covered_points", "max_points", "band"]


def _plain(value):
    """Dates as ISO text and tuples as lists, so the result is plain JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def index766_to_json(result: dict) -> str:
    """cli.md's index766 JSON: rows (and the scope's total) with total, max_points, band, rank, peer_group,
    groups "1"…"6", criteria "1.1"…"6.6" and published; plus covered_points, decision_groups and the
    configuration in force."""
    return json.dumps(_plain(result), ensure_ascii=False, indent=2)


def index766_to_csv(result: dict) -> str:
    """One line per row then the scope's total: the summary, each group's points, each criterion's rate, points
    and status (points empty where there is no data), and the published total with the difference."""
    records = result["rows"] + [result["total"]]
    first = result["total"]
    cols = list(_SUMMARY) + [f"group_{g}_points" for g in first["groups"]]
    for cid in first["criteria"]:
        cols += [f"criterion_{cid}_rate", f"criterion_{cid}_points", f"criterion_{cid}_status"]
    cols += ["published_total", "published_difference"]
    lines = []
    for r in records:
        values = [r.get(k) for k in _SUMMARY] + [g["points"] for g in r["groups"].values()]
        for c in r["criteria"].values():
            values += [c["rate"], c["points"], c["status"]]
        pub = r.get("published") or {}
        lines.append(values + [pub.get("total"), pub.get("difference")])
    return csv_text(cols, lines)


def _sheet(ws, result: dict, scope_name: str | None, title: str, headers: list[tuple[str, int]], body: list[list],
           formats: dict[int, str], bold_rows: set[int] = frozenset()) -> None:
    """Four title lines (title, unit, period, how points are counted), one header row, the body (bold_rows in
    bold); frozen headers, autofilter, A4 landscape."""
    period = Period(date.fromisoformat(result["from"]), date.fromisoformat(result["to"]))
    cfg = result["config"]
    title_rows(ws, len(headers), [
        (title, STYLES.title),
        (f"Đơn vị: {scope_name or 'Toàn thành phố'}", STYLES.bold),
        (f"({period.label_vi()})", STYLES.italic),
        (f"Theo cách chấm của Cổng Dịch vụ công quốc gia, bộ tiêu chí áp dụng từ ngày "
         f"{vn_date(date.fromisoformat(cfg['valid_from']))}. Tiêu chí \"chưa có dữ liệu\" không được tính điểm và "
         "không quy đổi: tổng điểm chỉ gồm phần điểm tính được. " + _basis(result) + (cfg["note"] or ""),
         STYLES.small_italic)])
    ws.row_dimensions[4].height = 30
    head = 6
    header_row(ws, head, headers, height=45)
    for i, values in enumerate(body, start=1):
        font = STYLES.bold if i in bold_rows else STYLES.normal
        for c, v in enumerate(values, start=1):
            numeric = c in formats and isinstance(v, (int, float))
            write_cell(ws, head + i, c, v, formats[c] if numeric else None, font=font, border=STYLES.border)
    ws.freeze_panes = f"C{head + 1}"
    ws.auto_filter.ref = f"A{head}:{get_column_letter(len(headers))}{head + max(len(body), 1)}"
    print_a4_landscape(ws, f"{head}:{head}", centered=False)


def _basis(result: dict) -> str:
    """Which dossiers a row is scored on: a district's own (by unit, as the portal scores each UBND) or with its wards
    (by district or department, as the inspection pack and the district's report) — two figures for one name
    otherwise (probe 53)."""
    if result.get("by") == "unit":
        return ("Mỗi dòng tính trên hồ sơ do chính đơn vị đó giải quyết (dòng UBND quận, huyện không gồm các phường, "
                "xã trực thuộc; chỉ số gồm cả phường, xã ở trang Chỉ số 766 theo quận, huyện và gói báo cáo của quận). ")
    if result.get("by") in ("district", "department"):
        return "Mỗi dòng tính trên hồ sơ của đơn vị và các đơn vị trực thuộc. "
    return ""


def _name(r: dict, result: dict) -> str:
    return f"Tổng cộng ({r['name']})" if r is result["total"] else r["name"]


def write_index766_xlsx(result: dict, path, scope_name: str | None = None, criteria_sheet: bool = True) -> None:
    """Sheet 1: score per unit (six groups, total, points covered, band, rank in its peer group, the published
    total); sheet 2: every criterion per unit; sheet 3: the reconciliation with the published scores. Without
    criteria_sheet (the report's copy of sheet 1) sheet 1 only. The style sheet of common.workbook, A4 landscape."""
    records = result["rows"] + [result["total"]]
    groups = result["config"]["groups"]

    wb, ws = new_workbook("Chỉ số 766")
    headers = [("STT", 5), ("Đơn vị", 34), ("Nhóm so sánh", 16), ("Xếp hạng trong nhóm", 10)]
    headers += [(f"{g['id']}. {g['name']} ({g['max_points']:g} điểm)", 13) for g in groups]
    headers += [("Tổng điểm", 10), ("Điểm tính được / 100", 10), ("Xếp loại", 12), ("Điểm Cổng công bố", 10),
                ("Chênh lệch", 10)]
    body = []
    for i, r in enumerate(records, start=1):
        rank = None if r["rank"] is None else f"{r['rank']}/{r['peer_count']}"
        pub = r.get("published") or {}
        body.append([None if r is result["total"] else i, _name(r, result), r["peer_group"], rank]
                    + [g["points"] if g["points"] is not None else "chưa có dữ liệu" for g in r["groups"].values()]
                    + [r["total"], r["covered_points"], r["band"], pub.get("total"), pub.get("difference")])
    _sheet(ws, result, scope_name, "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)", headers, body,
           {c: SCORE for c in range(5, len(headers) + 1)}, {len(body)})

    if not criteria_sheet:
        save_workbook(wb, path)
        return
    headers2 = [("STT", 5), ("Đơn vị", 30), ("Mã tiêu chí", 8), ("Tiêu chí", 40), ("Tử số", 10), ("Mẫu số", 10),
                ("Tỷ lệ", 10), ("Điểm tối đa", 8), ("Điểm đạt", 8), ("Ghi chú", 36)]
    body2, bold2 = [], set()
    for r in records:
        for cid, c in r["criteria"].items():
            body2.append([len(body2) + 1, _name(r, result), cid, c["name"], c["numerator"], c["denominator"], c["rate"],
                          c["max_points"], c["points"], c["status_text"] or None])
            if r is result["total"]:
                bold2.add(len(body2))
    _sheet(wb.create_sheet("Tiêu chí"), result, scope_name, "CHI TIẾT ĐIỂM THEO TIÊU CHÍ (QUYẾT ĐỊNH 766/QĐ-TTg)",
           headers2, body2, {5: "#,##0", 6: "#,##0", 7: PCT, 8: SCORE, 9: SCORE}, bold2)

    headers3 = [("STT", 5), ("Đơn vị", 30), ("Nhóm / tiêu chí", 40), ("Điểm tính được", 10), ("Điểm Cổng công bố", 10),
                ("Chênh lệch", 10), ("Nguyên nhân có thể", 60)]
    body3 = []
    for r in records:
        for item in (r.get("published") or {}).get("items", []):
            body3.append([len(body3) + 1, _name(r, result), item["name"], item["computed"], item["published"],
                          item["difference"], "khớp (chênh dưới 0,015 điểm)" if item["matches"]
                          else "; ".join(item["causes"])])
    if not body3:
        body3 = [[None, "Chưa nạp điểm Cổng Dịch vụ công quốc gia công bố cho kỳ này "
                        f"({vn_date(date.fromisoformat(result['from']))}–{vn_date(date.fromisoformat(result['to']))})."]]
    _sheet(wb.create_sheet("Đối chiếu"), result, scope_name, "ĐỐI CHIẾU VỚI ĐIỂM CỔNG DỊCH VỤ CÔNG QUỐC GIA CÔNG BỐ",
           headers3, body3, {4: SCORE, 5: SCORE, 6: "+0.00;−0.00;0.00"})
    save_workbook(wb, path)


def coverage_text(row: dict) -> str:
    """'tính được 62/100 điểm' — how many of the points the loaded data covers."""
    return f"tính được {vn_number(row['covered_points'], 0 if float(row['covered_points']).is_integer() else 2)}" \
           f"/{vn_number(row['max_points'], 0)} điểm"
