"""Writers for the period table: JSON, CSV and the statutory xlsx layout (Vietnamese grouped headers)."""
from __future__ import annotations

import json
from datetime import date

from openpyxl.utils import get_column_letter

from common.formats import vn_date
from common.text import natural_key
from common.workbook import (COUNT, PCT, STYLES, csv_text, header_cells, new_workbook, numbered_row,
                             print_a4_landscape, put_cell, save_workbook, title_rows, write_cell)
from indicators.definitions import CATALOGUE_COLUMNS, INDICATORS, PERIOD_COLUMNS
from indicators.periods import Period, is_official, period_proper_name

__all__ = ["table_to_json", "table_to_csv", "write_table_xlsx", "period_line"]


def table_to_json(table: dict) -> str:
    return json.dumps(table, ensure_ascii=False, indent=2)


def _columns(table: dict) -> list[str]:
    rows = table["rows"] + [table["total"]]
    cols = ["key", "name"] + [c for c, _ in PERIOD_COLUMNS] + [c for c, _ in CATALOGUE_COLUMNS] + [i.id for i in INDICATORS]
    return [c for c in cols if any(c in r for r in rows)]


def table_to_csv(table: dict) -> str:
    """One row per group then the total; rates as unrounded fractions, empty where there is no value."""
    cols = _columns(table)
    return csv_text(cols, ([r.get(c) for c in cols] for r in table["rows"] + [table["total"]]))


def period_line(start: str, end: str) -> str:
    """'(Kỳ báo cáo Quý II/2022: từ ngày 01/04/2022 đến ngày 30/06/2022)' from ISO dates ('(Kỳ báo cáo: từ ngày …)'
    for dates no period name covers); an official window is named as such:
    '(Kỳ báo cáo chính thức Quý II/2022: từ ngày 15/03/2022 đến ngày 14/06/2022)'."""
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    if is_official(period):
        return f"({period.label_vi()})"
    name = period_proper_name(period)   # «Quý II/2024», as the 06a form and the report name it (probe 41)
    return f"(Kỳ báo cáo{f' {name}' if name else ''}: từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)})"


_GROUP_TITLE = {"unit": "Đơn vị", "level": "Cấp", "district": "Quận, huyện", "department": "Sở, ban, ngành",
                "field": "Lĩnh vực", "procedure": "Thủ tục hành chính", "month": "Tháng"}

# (data column, header row 3 text); columns C.. in the order of the statutory form.
_XLSX_COLUMNS = ["total_to_handle", "carried_over", "received_online", "received_direct", "received_postal",
                 "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned",
                 "pending", "pending_within", "pending_overdue", "on_time_rate"]


def rows_in_reading_order(table: dict) -> list[dict]:
    """The rows of compute_period_table as a reader looks for them: by name (Quận 2 before Quận 10), months in
    their order, the rows the engine could not place ("Không thuộc …", key None) last. The engine's order is the
    units' codes, which a reader cannot follow (probe 53: Bình Chánh, Bình Tân, Bình Thạnh, Củ Chi, Cần Giờ…)."""
    if table.get("by") == "month":
        return list(table["rows"])
    return sorted(table["rows"], key=lambda r: (r.get("key") is None,
                                                natural_key(r.get("name") or str(r.get("key") or ""))))


def write_table_xlsx(table: dict, path, title: str | None = None, scope_name: str | None = None) -> None:
    """The TTHC-handling report form: title, period, three grouped header rows, column numbers, a row per
    group and "Tổng cộng"; counts and rates in the style sheet's formats (common.workbook), A4 landscape.
    scope_name: the unit whose subtree the table covers, named in the title (probe 41: a unit's table sent on could
    not be told from the city's)."""
    wb, ws = new_workbook("Báo cáo")
    ncol = 2 + len(_XLSX_COLUMNS)
    heading = title or "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    if scope_name and not title:
        heading += f" – {scope_name.upper()}"
    title_rows(ws, ncol, [(heading, STYLES.title), (period_line(table["from"], table["to"]), STYLES.italic)])

    h1, h2, h3, hn = 4, 5, 6, 7
    header_cells(ws, [  # (range, text)
        (f"A{h1}:A{h3}", "STT"),
        (f"B{h1}:B{h3}", _GROUP_TITLE.get(table["by"], "Nhóm")),
        (f"C{h1}:G{h1}", "Số hồ sơ nhận giải quyết"),
        (f"C{h2}:C{h3}", "Tổng số"),
        (f"D{h2}:D{h3}", "Số kỳ trước chuyển qua"),
        (f"E{h2}:G{h2}", "Số mới tiếp nhận"),
        (f"E{h3}", "Trực tuyến"), (f"F{h3}", "Trực tiếp"), (f"G{h3}", "Bưu chính công ích"),
        (f"H{h1}:K{h1}", "Số hồ sơ đã giải quyết"),
        (f"H{h2}:H{h3}", "Tổng số"),
        (f"I{h2}:K{h2}", "Trong đó"),
        (f"I{h3}", "Trước hạn"), (f"J{h3}", "Đúng hạn"), (f"K{h3}", "Quá hạn"),
        (f"L{h1}:L{h3}", "Trả lại / rút hồ sơ"),
        (f"M{h1}:O{h1}", "Số hồ sơ đang giải quyết"),
        (f"M{h2}:M{h3}", "Tổng số"),
        (f"N{h2}:O{h2}", "Trong đó"),
        (f"N{h3}", "Trong hạn"), (f"O{h3}", "Quá hạn"),
        (f"P{h1}:P{h3}", "Tỷ lệ đúng hạn, trước hạn"),
    ], range(h1, h3 + 1), ncol)
    numbered_row(ws, hn, ncol)

    row = hn + 1
    # Part-shares of a predecessor's dossiers are weighted estimates (2,6 hồ sơ): shown with their decimals.
    count_format = "#,##0.00" if table.get("approximate") else COUNT
    for i, rec in enumerate(rows_in_reading_order(table) + [table["total"]], start=1):
        is_total = i == len(table["rows"]) + 1
        font = STYLES.bold if is_total else STYLES.normal
        write_cell(ws, row, 1, None if is_total else i, font=font, border=STYLES.border)
        write_cell(ws, row, 2, "Tổng cộng" if is_total else (rec.get("name") or str(rec.get("key"))), font=font,
                   border=STYLES.border)
        for j, col in enumerate(_XLSX_COLUMNS, start=3):
            # Zero denominator: no rate, "–", never 0 %.
            put_cell(ws, row, j, rec.get(col), PCT if col == "on_time_rate" else count_format, font=font,
                     border=STYLES.border, blank_align=STYLES.center, dash_when_none=col == "on_time_rate")
        row += 1
    for note in (table.get("approximate_note"), table.get("structure_note")):
        if note:   # an estimate, or a period spanning a reorganization, says so under the table
            write_cell(ws, row, 1, f"Ghi chú: {note}", font=STYLES.italic)
            row += 1

    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 36
    for c in range(3, ncol + 1):
        ws.column_dimensions[get_column_letter(c)].width = 11
    for r in (h1, h2, h3):
        ws.row_dimensions[r].height = 30
    ws.freeze_panes = f"C{hn + 1}"
    print_a4_landscape(ws, f"{h1}:{hn}")
    save_workbook(wb, path)
