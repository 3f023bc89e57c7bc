"""The leadership report as one workbook, ready to send: Tổng hợp, Bảng thống kê, Xếp hạng, Hồ sơ trễ hạn, SIPAS,
Biểu 06a (the statutory form, exports.form06a) and Chỉ số 766 (the estimate as exports.index766 writes it).

The statutory table and the late-dossier list are drawn by their own writers (exports.table.write_table_xlsx,
exports.late_dossiers.write_late_dossiers_xlsx) and copied in, so the report shows them exactly as the other
exports do; the SIPAS sheet is drawn by exports.sipas's sheet writer. Every sheet: the style sheet of
common.workbook, a Vietnamese title naming the scope and the period, frozen header rows, A4 landscape. Numbers
stay numbers (counts '#,##0', rates '0.00 %': 122.700 and 99,89 % under a Vietnamese locale); '–' where a value
has a zero denominator."""
from __future__ import annotations

import io
from copy import copy
from datetime import date

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from common.formats import COMPARATOR_SIGNS, vn_date, vn_int, vn_percent
from common.workbook import (COUNT, DAYS, DAYS_CHANGE, PCT, POINTS, STYLES, header_row, new_workbook,
                             print_a4_landscape, put_cell, save_workbook, title_rows, write_cell)
from exports.form06a import draw_form06a_sheet
from exports.index766 import write_index766_xlsx
from exports.late_dossiers import write_late_dossiers_xlsx
from exports.sipas import draw_sipas_sheet   # the SIPAS sheet of `indicators sipas --format xlsx`
from exports.table import period_line, write_table_xlsx
from indicators.periods import Period
from indicators.ranking import MIN_DOSSIERS
from indicators.report import STATUS_MET, STATUS_NOT_MET, target_text

__all__ = ["write_report_xlsx", "SHEETS", "PCT", "COUNT"]

SHEETS = ("Tổng hợp", "Bảng thống kê", "Xếp hạng", "Hồ sơ trễ hạn", "SIPAS", "Biểu 06a", "Chỉ số 766")


def _titles(ws, ncol: int, lines: list[tuple[str, object]]) -> None:
    title_rows(ws, ncol, lines)
    ws.row_dimensions[1].height = 36


def _target_format(comparator: str | None, unit: str) -> str:
    """The comparator inside the number format: the cell keeps the number (0.99) and shows '> 99,00 %'."""
    sign = COMPARATOR_SIGNS.get(comparator or "", "")
    body = PCT if unit == "fraction" else DAYS
    return f'"{sign} "{body}' if sign else body


def _period_line(report: dict) -> str:
    text = period_line(report["from"], report["to"])[:-1]
    if report["data_until"]:
        text += f"; số liệu đến ngày {vn_date(date.fromisoformat(report['data_until']))}"
    return text + ")"


# ---------------------------------------------------------------------------------------------------------
# Tổng hợp: the counts, every indicator against its target, and the summary in words.

_COUNT_ROWS = [  # (STT, label, column, is_subrow)
    ("1", "Số hồ sơ kỳ trước chuyển qua", "carried_over", False),
    ("2", "Số hồ sơ mới tiếp nhận", "received_new", False),
    ("2.1", "Tiếp nhận trực tuyến", "received_online", True),
    ("2.2", "Tiếp nhận trực tiếp", "received_direct", True),
    ("2.3", "Tiếp nhận qua bưu chính công ích", "received_postal", True),
    ("3", "Tổng số hồ sơ nhận giải quyết", "total_to_handle", False),
    ("4", "Số hồ sơ đã giải quyết", "resolved", False),
    ("4.1", "Giải quyết trước hạn", "resolved_early", True),
    ("4.2", "Giải quyết đúng hạn", "resolved_on_time", True),
    ("4.3", "Giải quyết quá hạn", "resolved_late", True),
    ("5", "Số hồ sơ trả lại / rút hồ sơ", "returned", False),
    ("6", "Số hồ sơ đang giải quyết", "pending", False),
    ("6.1", "Đang giải quyết trong hạn", "pending_within", True),
    ("6.2", "Đang giải quyết quá hạn", "pending_overdue", True),
]
_SUMMARY_HEADERS = [("STT", 6), ("Nội dung", 44), ("Kết quả", 13), ("Tử số", 12), ("Mẫu số", 12),
                    ("Chỉ tiêu kế hoạch", 13), ("Đánh giá", 13), ("Chênh lệch so với chỉ tiêu (điểm %)", 13),
                    ("Kỳ trước", 12), ("Tăng (+), giảm (−) so với kỳ trước (điểm %)", 13),
                    ("Cùng kỳ năm trước", 12), ("Tăng (+), giảm (−) so với cùng kỳ (điểm %)", 13)]


def _summary_sheet(ws, report: dict) -> None:
    ncol = len(_SUMMARY_HEADERS)
    last = get_column_letter(ncol)
    _titles(ws, ncol, [
        (report["title"], STYLES.title),
        (_period_line(report), STYLES.italic),
        (f"So sánh với kỳ trước ({report['previous']['name']}) và cùng kỳ năm trước ({report['last_year']['name']}); "
         "chênh lệch tính bằng điểm phần trăm (ngày với thời gian giải quyết).", STYLES.small_italic)])
    head = 5
    header_row(ws, head, _SUMMARY_HEADERS, numbered=True, height=60)

    row = head + 2

    def section(label: str, text: str) -> None:
        nonlocal row
        for c in range(1, ncol + 1):
            cell = ws.cell(row=row, column=c)
            cell.fill, cell.border, cell.font = STYLES.section, STYLES.border, STYLES.bold
        write_cell(ws, row, 1, label, align=STYLES.center)
        write_cell(ws, row, 2, text)
        row += 1

    def put(col: int, value, fmt: str | None = None, font=None, align=None):
        return put_cell(ws, row, col, value, fmt, font=font or STYLES.normal, border=STYLES.border, align=align,
                        blank_align=STYLES.center, dash_when_none=fmt is not None)

    section("I", "SỐ LIỆU TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH")
    counts = report["counts"]
    for stt, label, col, sub in _COUNT_ROWS:
        font = STYLES.normal if sub else STYLES.bold
        put(1, stt, align=STYLES.center, font=font)
        put(2, ("   – " if sub else "") + label, align=STYLES.left, font=font)
        put(3, counts[col], COUNT, font=font)
        for c in range(4, ncol + 1):
            put(c, None)
        row += 1

    section("II", "CÁC CHỈ SỐ SO VỚI CHỈ TIÊU KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH")
    for i, s in enumerate(report["scorecard"], start=1):
        fraction = s["unit"] == "fraction"
        value_fmt, change_fmt = (PCT, POINTS) if fraction else (DAYS, DAYS_CHANGE)
        missed = s["status"] == STATUS_NOT_MET
        put(1, i, align=STYLES.center)
        put(2, s["name_vi"], align=STYLES.left)
        put(3, s["value"], value_fmt, font=STYLES.red_bold if missed else STYLES.bold)
        put(4, s["numerator"], COUNT if s["numerator"] is not None else None)
        put(5, s["denominator"], COUNT if s["denominator"] is not None else None)
        put(6, s["target"], _target_format(s["comparator"], s["unit"]) if s["target"] is not None else None)
        status_font = STYLES.bold if s["status"] == STATUS_MET else STYLES.small_italic
        put(7, s["status"], align=STYLES.center, font=STYLES.red_bold if missed else status_font)
        put(8, None if s["gap_points"] is None else round(s["gap_points"], 4), change_fmt,
            font=STYLES.red if missed else None)
        put(9, s["previous_value"], value_fmt)
        put(10, s["change_previous_points"], change_fmt)
        put(11, s["last_year_value"], value_fmt)
        put(12, s["change_last_year_points"], change_fmt)
        if s["target"] is None:   # "Chưa có chỉ tiêu" is the whole story: no target number, no gap
            write_cell(ws, row, 6, "–")
        row += 1

    section("III", "NHẬN XÉT")
    for text in report["summary"]:
        write_cell(ws, row, 1, "•", align=STYLES.center)
        _text_row(ws, row, text, "B", last, STYLES.normal, STYLES.left, chars_per_line=150)
        row += 1

    ws.freeze_panes = f"C{head + 2}"
    print_a4_landscape(ws, f"{head}:{head + 1}")


def _text_row(ws, row: int, text: str, first_col: str, last_col: str, font, align, chars_per_line: int) -> None:
    """A sentence across merged cells, its row tall enough for the lines it wraps to (Excel does not grow a
    merged row by itself)."""
    ws.merge_cells(f"{first_col}{row}:{last_col}{row}")
    first = ws[f"{first_col}{row}"]
    write_cell(ws, row, first.column, text, font=font, align=align)
    ws.row_dimensions[row].height = 15 * max(1, -(-len(text) // chars_per_line))


# ---------------------------------------------------------------------------------------------------------
# Xếp hạng: one block per peer group, never mixed; the units that miss the target named under each block.

_RANK_HEADERS = [("Hạng", 10), ("Đơn vị", 40), ("Tỷ lệ giải quyết đúng hạn, trước hạn", 14),
                 ("Số hồ sơ giải quyết đúng hạn, trước hạn", 14), ("Số hồ sơ đã giải quyết", 13),
                 ("Số hồ sơ mới tiếp nhận", 13), ("Chỉ tiêu kế hoạch", 13), ("Đánh giá", 14),
                 ("Chênh lệch so với chỉ tiêu (điểm %)", 14)]


def _ranking_sheet(ws, report: dict) -> None:
    ncol = len(_RANK_HEADERS)
    last = get_column_letter(ncol)
    _titles(ws, ncol, [
        (f"XẾP HẠNG TỶ LỆ GIẢI QUYẾT HỒ SƠ ĐÚNG HẠN, TRƯỚC HẠN – {report['unit_name']} – {report['period_name']}",
         STYLES.title),
        (_period_line(report), STYLES.italic),
        ("Xếp hạng trong từng nhóm cùng cấp của kỳ (sở, ngành với sở, ngành; mỗi cấp khác trong cấp của mình); "
         f"đơn vị có dưới {MIN_DOSSIERS} hồ sơ đã giải quyết trong kỳ được liệt kê nhưng không xếp hạng (cột Hạng ghi "
         "«ít hồ sơ»: tỷ lệ trên quá ít hồ sơ không so được với đơn vị khác).", STYLES.small_italic)])
    head = 5
    header_row(ws, head, _RANK_HEADERS, height=60)
    row = head + 1
    if not report["rankings"]:
        ws.merge_cells(f"A{row}:{last}{row}")
        write_cell(ws, row, 1, "Phạm vi báo cáo không có đơn vị cùng cấp để xếp hạng.", font=STYLES.italic)
    for n, (lvl, rows) in enumerate(report["rankings"].items(), start=1):
        g = report["ranking_groups"][lvl]
        ws.merge_cells(f"A{row}:{last}{row}")
        heading = f"{n}. {g['level_name'].upper()} – {g['within_name']} ({g['units']} đơn vị"
        heading += (f"; chỉ tiêu {target_text(g['comparator'], g['target'])}; {len(g['below_target'])} đơn vị chưa đạt)"
                    if g["target"] is not None else "; chưa có chỉ tiêu)")
        write_cell(ws, row, 1, heading, font=STYLES.bold, align=STYLES.left)
        for c in range(1, ncol + 1):
            ws.cell(row=row, column=c).fill = STYLES.section
            ws.cell(row=row, column=c).border = STYLES.border
        row += 1
        for r in rows:
            missed = r["is_met"] is False
            font = STYLES.red_bold if missed and r["is_scope"] else (STYLES.red if missed else
                                                                     (STYLES.bold if r["is_scope"] else STYLES.normal))
            shown_rank = r["rank"] if r["rank"] is not None else ("ít hồ sơ" if r.get("too_small") else None)
            values = [(shown_rank, None), (r["name"], None), (r["value"], PCT), (r["numerator"], COUNT),
                      (r["resolved"], COUNT), (r["received_new"], COUNT),
                      (r["target"], _target_format(r["comparator"], "fraction") if r["target"] is not None else None),
                      (r["status"], None), (None if r["gap_points"] is None else round(r["gap_points"], 4), POINTS)]
            for c, (v, fmt) in enumerate(values, start=1):
                put_cell(ws, row, c, v, fmt, font=font, border=STYLES.border, blank_align=STYLES.center,
                         dash_when_none=c != 1,
                         align=STYLES.left if c == 2 else (STYLES.center if c in (1, 8) else STYLES.right))
            row += 1
        below = g["below_target"]
        if g["target"] is None:
            text = "Chưa có chỉ tiêu kế hoạch cho nhóm này."
        elif below:
            text = f"Đơn vị chưa đạt chỉ tiêu ({len(below)}): " + "; ".join(
                f"{b['name']} ({vn_percent(b['value'])})" for b in below) + "."
        else:
            text = "Tất cả đơn vị có hồ sơ giải quyết trong kỳ đều đạt chỉ tiêu."
        _text_row(ws, row, text, "A", last, STYLES.italic, STYLES.left, chars_per_line=140)
        row += 2
    ws.freeze_panes = f"C{head + 1}"
    print_a4_landscape(ws, f"{head}:{head}")


# ---------------------------------------------------------------------------------------------------------
# Sheets drawn by the existing writers, copied in.

def _drawn(write) -> object:
    """The first sheet of a workbook written by an existing writer (to memory)."""
    buf = io.BytesIO()
    write(buf)
    buf.seek(0)
    return load_workbook(buf).worksheets[0]


def _copy_sheet(src, dst) -> None:
    """Values, styles, merged ranges, column widths, row heights, frozen panes, filter and the print setup."""
    for rng in src.merged_cells.ranges:
        dst.merge_cells(str(rng))
    styles = {}   # the source's style indices → the destination's: each distinct style is copied once
    for row in src.iter_rows():
        for c in row:
            d = dst.cell(row=c.row, column=c.column)
            if not isinstance(c, MergedCell) and not isinstance(d, MergedCell):
                write_cell(dst, c.row, c.column, c.value)   # a text read back as "=…" stays text
            if not c.has_style:
                continue
            key = tuple(c._style)
            if key not in styles:
                d.font, d.border, d.fill = copy(c.font), copy(c.border), copy(c.fill)
                d.alignment, d.protection = copy(c.alignment), copy(c.protection)
                d.number_format = c.number_format
                styles[key] = copy(d._style)
            else:
                d._style = copy(styles[key])
    for dim in src.column_dimensions.values():
        for i in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            dst.column_dimensions[get_column_letter(i)].width = dim.width
    for r, dim in src.row_dimensions.items():
        if dim.height:
            dst.row_dimensions[r].height = dim.height
    dst.freeze_panes = src.freeze_panes
    if src.auto_filter.ref:
        dst.auto_filter.ref = src.auto_filter.ref
    print_a4_landscape(dst, (src.print_title_rows or "1:1").replace("$", ""),
                       centered=bool(src.print_options.horizontalCentered))


def _table_sheet(ws, report: dict) -> None:
    title = (f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH – {report['unit_name']} – "
             f"{report['period_name']}")
    _copy_sheet(_drawn(lambda buf: write_table_xlsx(report["table"], buf, title)), ws)


def _late_sheet(ws, report: dict) -> None:
    late = report["late"]
    period = Period(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))
    rows = late["rows"]
    _copy_sheet(_drawn(lambda buf: write_late_dossiers_xlsx(rows, buf, period, report["unit_name"])), ws)
    write_cell(ws, 1, 1, f"DANH SÁCH HỒ SƠ GIẢI QUYẾT QUÁ HẠN VÀ ĐANG QUÁ HẠN – {report['unit_name']} – "
                         f"{report['period_name']}")
    # The writer's footer counts the rows it was given; the report states the whole count and the cap.
    footer = 5 + len(rows) + 2
    text = (f"Tổng số: {vn_int(late['total_count'])} hồ sơ trễ hạn (giải quyết quá hạn "
            f"{vn_int(late['counts']['resolved_late'])}, đang giải quyết quá hạn "
            f"{vn_int(late['counts']['pending_overdue'])}).")
    if late["listed"] < late["total_count"]:
        text += (f" Danh sách nêu {vn_int(late['listed'])} hồ sơ quá hạn nhiều ngày nhất; danh sách đầy đủ: trang "
                 "Hồ sơ trễ hạn của bảng điều khiển.")
    write_cell(ws, footer, 1, text, font=STYLES.bold)
    if not rows:
        write_cell(ws, 6, 2, "Không có hồ sơ trễ hạn trong kỳ.", font=STYLES.italic)


def _sipas_sheet_of(ws, report: dict) -> None:
    sipas = report["sipas"]
    year = date.fromisoformat(report["to"]).year
    title = f"CHỈ SỐ HÀI LÒNG SIPAS NĂM {year} – {report['unit_name']}"
    if sipas is None:
        _titles(ws, 8, [(title, STYLES.title),
                        (f"(Năm khảo sát: từ ngày 01/01/{year} đến ngày 31/12/{year})", STYLES.italic)])
        ws.merge_cells("A4:H4")
        write_cell(ws, 4, 1, f"Chưa có dữ liệu khảo sát SIPAS năm {year} của {report['unit_name']}: "
                   "chưa nạp phiếu khảo sát hoặc kết quả tổng hợp của năm này.", font=STYLES.bold)
        ws.freeze_panes = "A4"
        print_a4_landscape(ws, "1:2")
        return
    result = {"from": sipas["from"], "to": sipas["to"], "by": "unit", "rows": sipas["rows"], "total": sipas["total"]}
    draw_sipas_sheet(ws, result)
    write_cell(ws, 1, 1, title)
    note = 7 + len(sipas["rows"]) + 1 + 2
    write_cell(ws, note, 1, "Xếp hạng trong từng nhóm cùng cấp; đơn vị dưới 30 phiếu hợp lệ không xếp hạng.",
               font=STYLES.small_italic)


def _index766_sheet(ws, report: dict) -> None:
    result = report["index766"]
    _copy_sheet(_drawn(lambda buf: write_index766_xlsx(result, buf, report["unit_name"], criteria_sheet=False)), ws)


def write_report_xlsx(report: dict, path, scope_name: str | None = None) -> None:
    """The sheets of SHEETS, in that order, saved to path (a file name or a binary file)."""
    wb, summary = new_workbook(SHEETS[0])
    _summary_sheet(summary, report)
    _table_sheet(wb.create_sheet(SHEETS[1]), report)
    _ranking_sheet(wb.create_sheet(SHEETS[2]), report)
    _late_sheet(wb.create_sheet(SHEETS[3]), report)
    _sipas_sheet_of(wb.create_sheet(SHEETS[4]), report)
    draw_form06a_sheet(wb.create_sheet(SHEETS[5]), report["form06a"])
    _index766_sheet(wb.create_sheet(SHEETS[6]), report)
    wb.active = 0
    save_workbook(wb, path)
