"""Writers for the SIPAS table: JSON, flat CSV and a formatted Vietnamese xlsx (SIPAS, criteria, expectations)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from .export import print_a4_landscape, put_cell

__all__ = ["sipas_to_json", "sipas_to_csv", "write_sipas_xlsx"]

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
            "too_small", "rank", "target", "is_met", "gap_points", "last_year_sipas", "change_points", "overall_index"]
    head += [f"element_{e}_{k}" for e in ELEMENTS for k in ("index", "valid", "ci95_low", "ci95_high")]
    head += [f"criterion_{c}_{k}" for c in criteria for k in ("index", "valid")]
    head += [f"expectation_{c}_{k}" for c in expectations for k in ("share", "valid")]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)

    def ci(v, i):
        return v[i] if v else None
    for r in result["rows"] + [result["total"]]:
        values = [r["key"], r["name"], r["questionnaires"], r["sipas_valid"], r["sipas"], ci(r["sipas_ci95"], 0),
                  ci(r["sipas_ci95"], 1), r["too_small"], r.get("rank"), r["target"], r["is_met"], r["gap_points"],
                  r["last_year_sipas"], r["change_points"], (r["overall"] or {}).get("index")]
        for e in ELEMENTS:
            el = r["elements"][e]
            values += [el["index"], el["valid"], ci(el["ci95"], 0), ci(el["ci95"], 1)]
        for c in criteria:
            cr = r["criteria"].get(c) or {}
            values += [cr.get("index"), cr.get("valid")]
        for c in expectations:
            ex = r["expectations"].get(c) or {}
            values += [ex.get("share"), ex.get("valid")]
        w.writerow(["" if v is None else v for v in values])
    return buf.getvalue()


_GROUP_TITLE = {"unit": "Đơn vị", "level": "Cấp", "district": "Quận, huyện", "department": "Sở, ban, ngành"}
SMALL_NOTE = "Mẫu nhỏ (dưới 30 phiếu hợp lệ), không xếp hạng"


class _Sheet:
    """Shared cell styling of the three sheets (Times New Roman, thin borders, percentages)."""

    def __init__(self, ws):
        from openpyxl.styles import Alignment, Border, Font, Side
        self.ws = ws
        self.bold = Font(name="Times New Roman", bold=True, size=11)
        self.normal = Font(name="Times New Roman", size=11)
        self.italic = Font(name="Times New Roman", italic=True, size=10)
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    def titles(self, ncol: int, title: str, result: dict) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
        last = get_column_letter(ncol)
        d0, d1 = date.fromisoformat(result["from"]), date.fromisoformat(result["to"])
        for row, text, font in ((1, title, Font(name="Times New Roman", bold=True, size=13)),
                                (2, f"(Kỳ báo cáo: từ ngày {d0:%d/%m/%Y} đến ngày {d1:%d/%m/%Y})", self.italic)):
            self.ws.merge_cells(f"A{row}:{last}{row}")
            cell = self.ws.cell(row=row, column=1, value=text)
            cell.font, cell.alignment = font, self.center

    def header(self, cells: list[tuple[str, str]], rows: range, ncol: int) -> None:
        for rng, text in cells:
            if ":" in rng:
                self.ws.merge_cells(rng)
            self.ws[rng.split(":")[0]] = text
        for r in rows:
            for c in range(1, ncol + 1):
                cell = self.ws.cell(row=r, column=c)
                cell.font, cell.alignment, cell.border = self.bold, self.center, self.border
        numbers = rows[-1] + 1
        for c in range(1, ncol + 1):
            cell = self.ws.cell(row=numbers, column=c, value=f"({c})")
            cell.font, cell.alignment, cell.border = self.italic, self.center, self.border

    def put(self, row: int, col: int, value, fmt: str | None = None, bold=False, align=None):
        # An index with no valid answer shows "–", never 0 %.
        return put_cell(self.ws, row, col, value, fmt, font=self.bold if bold else self.normal, border=self.border,
                        align=align, blank_align=self.center, dash_when_none=fmt == "0.00%")

    def finish(self, widths: dict, freeze: str, print_rows: str) -> None:
        for letter, width in widths.items():
            self.ws.column_dimensions[letter].width = width
        self.ws.freeze_panes = freeze
        print_a4_landscape(self.ws, print_rows, centered=False)


def _sipas_sheet(s: _Sheet, result: dict) -> None:
    from openpyxl.utils import get_column_letter
    names = result["total"]["elements"]
    ncol = 17
    s.titles(ncol, "KẾT QUẢ ĐO LƯỜNG SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA CƠ QUAN HÀNH CHÍNH "
                   "NHÀ NƯỚC (SIPAS)", result)
    cells = [("A4:A5", "STT"), ("B4:B5", _GROUP_TITLE.get(result["by"], "Nhóm")), ("C4:C5", "Số phiếu hợp lệ"),
             ("D4:D5", "Chỉ số SIPAS"), ("E4:F4", "Khoảng tin cậy 95 %"), ("E5", "Từ"), ("F5", "Đến"),
             ("G4:K4", "Chỉ số hài lòng về từng yếu tố"),
             ("L4:L5", "Chỉ tiêu"), ("M4:M5", "Đánh giá"), ("N4:N5", "Cùng kỳ năm trước"),
             ("O4:O5", "Tăng (+), giảm (−) (điểm %)"), ("P4:P5", "Xếp hạng"), ("Q4:Q5", "Ghi chú")]
    cells += [(f"{get_column_letter(7 + i)}5", f"Yếu tố {e}: {names[e]['name']}") for i, e in enumerate(ELEMENTS)]
    s.header(cells, range(4, 6), ncol)
    row = 7
    records = result["rows"] + [result["total"]]
    for i, r in enumerate(records, start=1):
        total = i == len(records)
        ci = r["sipas_ci95"] or [None, None]
        met = None if r["is_met"] is None else ("Đạt" if r["is_met"] else "Chưa đạt")
        note = SMALL_NOTE if r["too_small"] and r["questionnaires"] else None
        values = [(None if total else i, None), (r["name"], None), (r["sipas_valid"], "#,##0"), (r["sipas"], "0.00%"),
                  (ci[0], "0.00%"), (ci[1], "0.00%")]
        values += [(r["elements"][e]["index"], "0.00%") for e in ELEMENTS]
        values += [(r["target"], "0.00%"), (met, None), (r["last_year_sipas"], "0.00%"),
                   (None if r["change_points"] is None else round(r["change_points"], 2), "+0.00;−0.00;0.00"),
                   (r.get("rank"), None), (note, None)]
        for col, (value, fmt) in enumerate(values, start=1):
            align = s.left if col in (2, 17) else (s.center if col in (1, 13, 16) else None)
            s.put(row, col, value, fmt, bold=total, align=align)
        row += 1
    s.ws.cell(row=row + 1, column=1, value="Chỉ số SIPAS là trung bình cộng chỉ số hài lòng của 5 yếu tố; chỉ số là tỷ "
              "lệ câu trả lời hài lòng, rất hài lòng (mức 4–5) hoặc đồng ý trên số câu trả lời hợp lệ.").font = s.italic
    widths = {"A": 5, "B": 34, "C": 10, "D": 10, "E": 9, "F": 9, "L": 9, "M": 9, "N": 11, "O": 11, "P": 8, "Q": 24}
    widths.update({get_column_letter(7 + i): 16 for i in range(5)})
    s.finish(widths, "C7", "4:6")


def _criteria_sheet(s: _Sheet, result: dict) -> None:
    total = result["total"]
    ncol = 10
    s.titles(ncol, "CHỈ SỐ HÀI LÒNG THEO TIÊU CHÍ (TOÀN PHẠM VI BÁO CÁO)", result)
    s.header([("A4", "STT"), ("B4", "Mã"), ("C4", "Tiêu chí"), ("D4", "Yếu tố"), ("E4", "Chỉ số"),
              ("F4", "Số trả lời hợp lệ"), ("G4", "Tin cậy 95 % từ"), ("H4", "Tin cậy 95 % đến"),
              ("I4", "Cùng kỳ năm trước"), ("J4", "Tăng (+), giảm (−) (điểm %)")], range(4, 5), ncol)
    row = 6
    for i, (code, c) in enumerate(total["criteria"].items(), start=1):
        ci = c["ci95"] or [None, None]
        values = [(i, None), (code, None), (c["name"], None), (c["element"], None), (c["index"], "0.00%"),
                  (c["valid"], "#,##0"), (ci[0], "0.00%"), (ci[1], "0.00%"), (c["last_year_index"], "0.00%"),
                  (None if c["change_points"] is None else round(c["change_points"], 2), "+0.00;−0.00;0.00")]
        for col, (value, fmt) in enumerate(values, start=1):
            s.put(row, col, value, fmt, align=s.left if col == 3 else (s.center if col in (1, 2, 4) else None))
        row += 1
    s.finish({"A": 5, "B": 7, "C": 46, "D": 8, "E": 10, "F": 11, "G": 11, "H": 11, "I": 11, "J": 12}, "D6", "4:5")


def _expectations_sheet(s: _Sheet, result: dict) -> None:
    total = result["total"]
    ncol = 6
    s.titles(ncol, "MONG ĐỢI CẢI THIỆN CỦA NGƯỜI DÂN, TỔ CHỨC (TỶ LỆ NGƯỜI TRẢ LỜI CHỌN)", result)
    s.header([("A4", "STT"), ("B4", "Mã"), ("C4", "Nội dung mong đợi"), ("D4", "Số người chọn"),
              ("E4", "Số người trả lời"), ("F4", "Tỷ lệ chọn")], range(4, 5), ncol)
    row = 6
    for i, (code, e) in enumerate(total["expectations"].items(), start=1):
        values = [(i, None), (code, None), (e["name"], None), (e["chosen"], "#,##0"), (e["valid"], "#,##0"),
                  (e["share"], "0.00%")]
        for col, (value, fmt) in enumerate(values, start=1):
            s.put(row, col, value, fmt, align=s.left if col == 3 else (s.center if col in (1, 2) else None))
        row += 1
    s.finish({"A": 5, "B": 7, "C": 56, "D": 12, "E": 12, "F": 11}, "C6", "4:5")


def write_sipas_xlsx(result: dict, path) -> None:
    """Three sheets, A4 landscape, ready to send: SIPAS per group with the 5 elements, the target and last year;
    the criteria; the expectations. Percentages are real numbers formatted '0.00%'; '–' where no answer is valid."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "SIPAS"
    _sipas_sheet(_Sheet(ws), result)
    _criteria_sheet(_Sheet(wb.create_sheet("Tiêu chí")), result)
    _expectations_sheet(_Sheet(wb.create_sheet("Mong đợi")), result)
    if not result.get("has_data", True):
        ws.cell(row=4 + 3 + len(result["rows"]) + 3, column=1,
                value="Không có dữ liệu khảo sát SIPAS trong kỳ báo cáo.").font = _Sheet(ws).bold
    wb.save(path)
