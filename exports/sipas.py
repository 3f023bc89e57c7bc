"""Writers for the SIPAS table: JSON, flat CSV and a formatted Vietnamese xlsx (SIPAS, criteria, expectations)."""
from __future__ import annotations

import json

from openpyxl.utils import get_column_letter

from common.workbook import (COUNT, PCT, POINTS, STYLES, csv_text, header_cells, new_workbook, print_a4_landscape,
                             put_cell, save_workbook, set_widths, title_rows, write_cell)
from exports.table import period_line

__all__ = ["sipas_to_json", "sipas_to_csv", "write_sipas_xlsx", "draw_sipas_sheet"]

ELEMENTS = ("1", "2", "3", "4", "5")


def sipas_to_json(result: dict) -> str:
    keys = ("from", "to", "by", "unit", "method", "rows", "total")
    return json.dumps({k: result[k] for k in keys}, ensure_ascii=False, indent=2)


def _codes(result: dict, part: str) -> list[str]:
    seen = {}
    for r in result["rows"] + [result["total"]]:
        for code in r[part]:
            seen.setdefault(code, None)
    order = lambda c: ([int(d) for d in "".join(ch if ch.isdigit() else " " for ch in c).split()] or [0], c)
    return sorted(seen, key=order)


def sipas_to_csv(result: dict) -> str:
    """One row per group then the total; indices as unrounded fractions, empty where there is no value."""
    criteria, expectations = _codes(result, "criteria"), _codes(result, "expectations")
    head = ["key", "name", "questionnaires", "sipas_valid", "sipas", "sipas_ci95_low", "sipas_ci95_high",
            "too_small", "rank", "target", "is_met", "gap_points", "last_year_sipas", "change_points", "overall_index",
            # why sipas is empty (the elements without a valid answer, «4;5»), as --json's sipas_missing_elements
            "sipas_missing_elements"]
    head += [f"element_{e}_{k}" for e in ELEMENTS for k in ("index", "valid", "ci95_low", "ci95_high")]
    head += [f"criterion_{c}_{k}" for c in criteria for k in ("index", "valid")]
    head += [f"expectation_{c}_{k}" for c in expectations for k in ("share", "valid")]

    def ci(v, i):
        return v[i] if v else None

    lines = []
    for r in result["rows"] + [result["total"]]:
        values = [r["key"], r["name"], r["questionnaires"], r["sipas_valid"], r["sipas"], ci(r["sipas_ci95"], 0),
                  ci(r["sipas_ci95"], 1), r["too_small"], r.get("rank"), r["target"], r["is_met"], r["gap_points"],
                  r["last_year_sipas"], r["change_points"], (r["overall"] or {}).get("index"),
                  ";".join(r.get("sipas_missing_elements") or []) or None]
        for e in ELEMENTS:
            el = r["elements"][e]
            values += [el["index"], el["valid"], ci(el["ci95"], 0), ci(el["ci95"], 1)]
        for c in criteria:
            cr = r["criteria"].get(c) or {}
            values += [cr.get("index"), cr.get("valid")]
        for c in expectations:
            ex = r["expectations"].get(c) or {}
            values += [ex.get("share"), ex.get("valid")]
        lines.append(values)
    return csv_text(head, lines)


_GROUP_TITLE = {"unit": "Đơn vị", "level": "Cấp", "district": "Quận, huyện", "department": "Sở, ban, ngành"}
SMALL_NOTE = "Mẫu nhỏ (dưới 30 phiếu hợp lệ), không xếp hạng"


def missing_elements_note(row: dict) -> str | None:
    """Why a group with questionnaires has no SIPAS: «Yếu tố 5 không có câu trả lời hợp lệ: không tính được chỉ số
    SIPAS» (probe 32: the cell showed «–» and the note spoke only of the sample's size)."""
    missing = row.get("sipas_missing_elements") or []
    if row.get("sipas") is not None or not missing:
        return None
    return f"Yếu tố {', '.join(missing)} không có câu trả lời hợp lệ: không tính được chỉ số SIPAS"


def _put(ws, row: int, col: int, value, fmt: str | None = None, bold=False, align=None):
    # An index with no valid answer shows "–", never 0 %.
    return put_cell(ws, row, col, value, fmt, font=STYLES.bold if bold else STYLES.normal, border=STYLES.border,
                    align=align, blank_align=STYLES.center, dash_when_none=fmt == PCT)


def _titles(ws, ncol: int, title: str, result: dict) -> None:
    title_rows(ws, ncol, [(title, STYLES.title), (period_line(result["from"], result["to"]), STYLES.small_italic)])


def _finish(ws, widths: dict, freeze: str, print_rows: str) -> None:
    set_widths(ws, widths)
    ws.freeze_panes = freeze
    print_a4_landscape(ws, print_rows, centered=False)


def draw_sipas_sheet(ws, result: dict) -> None:
    """The SIPAS sheet (one row per group, the total last); also the SIPAS sheet of the leadership report."""
    names = result["total"]["elements"]
    ncol = 17
    _titles(ws, ncol, "KẾT QUẢ ĐO LƯỜNG SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA CƠ QUAN HÀNH CHÍNH "
                   "NHÀ NƯỚC (SIPAS)", result)
    cells = [("A4:A5", "STT"), ("B4:B5", _GROUP_TITLE.get(result["by"], "Nhóm")), ("C4:C5", "Số phiếu hợp lệ"),
             ("D4:D5", "Chỉ số SIPAS"), ("E4:F4", "Khoảng tin cậy 95 %"), ("E5", "Từ"), ("F5", "Đến"),
             ("G4:K4", "Chỉ số hài lòng về từng yếu tố"),
             ("L4:L5", "Chỉ tiêu"), ("M4:M5", "Đánh giá"), ("N4:N5", "Cùng kỳ năm trước"),
             ("O4:O5", "Tăng (+), giảm (−) (điểm %)"), ("P4:P5", "Xếp hạng"), ("Q4:Q5", "Ghi chú")]
    cells += [(f"{get_column_letter(7 + i)}5", f"Yếu tố {e}: {names[e]['name']}") for i, e in enumerate(ELEMENTS)]
    header_cells(ws, cells, range(4, 6), ncol, numbered=True)
    row = 7
    records = result["rows"] + [result["total"]]
    for i, r in enumerate(records, start=1):
        total = i == len(records)
        ci = r["sipas_ci95"] or [None, None]
        met = None if r["is_met"] is None else ("Đạt" if r["is_met"] else "Chưa đạt")
        note = "; ".join(filter(None, [missing_elements_note(r), SMALL_NOTE if r["too_small"] and r["questionnaires"]
                                       else None])) or None
        values = [(None if total else i, None), (r["name"], None), (r["sipas_valid"], COUNT), (r["sipas"], PCT),
                  (ci[0], PCT), (ci[1], PCT)]
        values += [(r["elements"][e]["index"], PCT) for e in ELEMENTS]
        values += [(r["target"], PCT), (met, None), (r["last_year_sipas"], PCT),
                   (None if r["change_points"] is None else round(r["change_points"], 2), POINTS),
                   (r.get("rank"), None), (note, None)]
        for col, (value, fmt) in enumerate(values, start=1):
            align = STYLES.left if col in (2, 17) else (STYLES.center if col in (1, 13, 16) else None)
            _put(ws, row, col, value, fmt, bold=total, align=align)
        row += 1
    write_cell(ws, row + 1, 1, "Chỉ số SIPAS là trung bình cộng chỉ số hài lòng của 5 yếu tố; chỉ số là tỷ lệ câu trả "
               "lời hài lòng, rất hài lòng (mức 4–5) hoặc đồng ý trên số câu trả lời hợp lệ.", font=STYLES.small_italic)
    widths = {"A": 5, "B": 34, "C": 10, "D": 10, "E": 9, "F": 9, "L": 9, "M": 9, "N": 11, "O": 11, "P": 8, "Q": 24}
    widths.update({get_column_letter(7 + i): 16 for i in range(5)})
    _finish(ws, widths, "C7", "4:6")


def _criteria_sheet(ws, result: dict) -> None:
    total = result["total"]
    ncol = 10
    _titles(ws, ncol, "CHỈ SỐ HÀI LÒNG THEO TIÊU CHÍ (TOÀN PHẠM VI BÁO CÁO)", result)
    header_cells(ws, [("A4", "STT"), ("B4", "Mã"), ("C4", "Tiêu chí"), ("D4", "Yếu tố"), ("E4", "Chỉ số"),
                      ("F4", "Số trả lời hợp lệ"), ("G4", "Tin cậy 95 % từ"), ("H4", "Tin cậy 95 % đến"),
                      ("I4", "Cùng kỳ năm trước"), ("J4", "Tăng (+), giảm (−) (điểm %)")], range(4, 5), ncol,
                 numbered=True)
    row = 6
    for i, (code, c) in enumerate(total["criteria"].items(), start=1):
        ci = c["ci95"] or [None, None]
        values = [(i, None), (code, None), (c["name"], None), (c["element"], None), (c["index"], PCT),
                  (c["valid"], COUNT), (ci[0], PCT), (ci[1], PCT), (c["last_year_index"], PCT),
                  (None if c["change_points"] is None else round(c["change_points"], 2), POINTS)]
        for col, (value, fmt) in enumerate(values, start=1):
            _put(ws, row, col, value, fmt,
                 align=STYLES.left if col == 3 else (STYLES.center if col in (1, 2, 4) else None))
        row += 1
    _finish(ws, {"A": 5, "B": 7, "C": 46, "D": 8, "E": 10, "F": 11, "G": 11, "H": 11, "I": 11, "J": 12}, "D6", "4:5")


def _expectations_sheet(ws, result: dict) -> None:
    total = result["total"]
    ncol = 6
    _titles(ws, ncol, "MONG ĐỢI CẢI THIỆN CỦA NGƯỜI DÂN, TỔ CHỨC (TỶ LỆ NGƯỜI TRẢ LỜI CHỌN)", result)
    header_cells(ws, [("A4", "STT"), ("B4", "Mã"), ("C4", "Nội dung mong đợi"), ("D4", "Số người chọn"),
                      ("E4", "Số người trả lời"), ("F4", "Tỷ lệ chọn")], range(4, 5), ncol, numbered=True)
    row = 6
    for i, (code, e) in enumerate(total["expectations"].items(), start=1):
        values = [(i, None), (code, None), (e["name"], None), (e["chosen"], COUNT), (e["valid"], COUNT),
                  (e["share"], PCT)]
        for col, (value, fmt) in enumerate(values, start=1):
            _put(ws, row, col, value, fmt,
                 align=STYLES.left if col == 3 else (STYLES.center if col in (1, 2) else None))
        row += 1
    _finish(ws, {"A": 5, "B": 7, "C": 56, "D": 12, "E": 12, "F": 11}, "C6", "4:5")


def write_sipas_xlsx(result: dict, path) -> None:
    """Three sheets, A4 landscape, ready to send: SIPAS per group with the 5 elements, the target and last year;
    the criteria; the expectations. Percentages are real numbers in the one percent format; '–' where no answer
    is valid."""
    wb, ws = new_workbook("SIPAS")
    draw_sipas_sheet(ws, result)
    _criteria_sheet(wb.create_sheet("Tiêu chí"), result)
    _expectations_sheet(wb.create_sheet("Mong đợi"), result)
    if not result.get("has_data", True):
        write_cell(ws, 4 + 3 + len(result["rows"]) + 3, 1, "Không có dữ liệu khảo sát SIPAS trong kỳ báo cáo.",
                   font=STYLES.bold)
    save_workbook(wb, path)
