"""common/: the Vietnamese formats against hand-written strings, and the workbook helper's safe writing."""
import csv
import io
from datetime import date, datetime

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from common.formats import vn_date, vn_datetime, vn_int, vn_number, vn_percent, vn_points, vn_target, vn_value
from common.workbook import (csv_text, is_risky_text, new_workbook, percent_format, safe_file_stem, safe_sheet_title, save_workbook,
                             write_cell)


def test_numbers_percents_and_dates_as_a_vietnamese_reader_writes_them():
    assert vn_int(122700) == "122.700"
    assert vn_int(1234567) == "1.234.567"
    assert vn_int(0) == "0" and vn_int(None) == "–"
    assert vn_percent(0.9989) == "99,89 %"
    assert vn_percent(0.032, 1) == "3,2 %"
    assert vn_percent(None) == "–"
    assert vn_number(1234.5, 1) == "1.234,5"
    assert vn_number(-1234.5, 1) == "-1.234,5"
    # Halves round away from zero on the number as written, as Excel shows a cell (checked by hand against Excel's
    # display: 0,5 → 1; 2,5 → 3; 65,625 → 65,63; 1,005 → 1,01): before, the text rounded them to even (0; 2;
    # 65,62) while the workbook cell beside it showed 65,63 (probe 41).
    assert vn_number(0.5) == "1" and vn_number(2.5) == "3" and vn_number(-2.5) == "-3"
    assert vn_percent(21 / 32) == "65,63 %" and vn_number(1.005, 2) == "1,01" and vn_int(12.5) == "13"
    assert vn_number(0.165, 2) == "0,17" and vn_number(0.125, 2) == "0,13" and vn_number(0.124999, 2) == "0,12"
    assert vn_date(date(2022, 4, 3)) == "03/04/2022"
    assert vn_date(datetime(2022, 4, 3, 23, 59)) == "03/04/2022"
    assert vn_datetime(datetime(2022, 4, 3, 8, 5)) == "03/04/2022 08:05"
    assert vn_value(1.8, "days", 1) == "1,8 ngày"
    assert vn_value(122563 / 122567) == "99,99 %"   # 100,00 % would read as "none late"
    assert vn_target(">", 0.99) == "> 99 %"
    assert vn_points(0.0073 * 100) == "+0,73 điểm %" and vn_points(-0.5, "days", 1) == "−0,5 ngày"


@settings(max_examples=3000, deadline=None)
@given(x=st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e16, max_value=1e16),
                   st.integers(min_value=-10**20, max_value=10**20),
                   st.integers(-400000, 400000).map(lambda n: n / 8)),   # halves, quarters, eighths: exact ties
       decimals=st.integers(0, 4))
def test_fast_number_text_is_babels(x, decimals):
    """vn_number formats ints and floats with Python's own formatting; Babel's vi_VN pattern (the route it replaced,
    still taken for other types and very large floats) must give the same text for the same rounded value."""
    from common.formats import _VI, _pattern, rounded
    assert vn_number(x, decimals) == _pattern(decimals).apply(rounded(x, decimals), _VI)
    assert vn_number(-0.0, 2) == _pattern(2).apply(rounded(-0.0, 2), _VI)


def _saved(wb) -> openpyxl.Workbook:
    buf = io.BytesIO()
    save_workbook(wb, buf)
    buf.seek(0)
    return openpyxl.load_workbook(buf)


def test_a_text_that_looks_like_a_formula_is_written_as_text_and_a_negative_number_stays_a_number():
    wb, ws = new_workbook("Dữ liệu")
    texts = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\tT-3"]
    assert is_risky_text("\rX") and not is_risky_text("Quận 3") and not is_risky_text(-5)
    for row, text in enumerate(texts, start=1):
        write_cell(ws, row, 1, text)
    write_cell(ws, 1, 2, -5)
    write_cell(ws, 2, 2, -0.25, percent_format(2))
    write_cell(ws, 3, 2, "Quận 3")
    ws.cell(row=4, column=2, value="=1+1")   # written around write_cell: save_workbook still types it as text
    back = _saved(wb).active
    for row, text in enumerate(texts, start=1):
        cell = back.cell(row=row, column=1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert (back["B1"].value, back["B1"].data_type) == (-5, "n")
    assert (back["B2"].value, back["B2"].data_type, back["B2"].number_format) == (-0.25, "n", "0.00 %")
    assert (back["B3"].value, back["B3"].quotePrefix) == ("Quận 3", False)
    assert (back["B4"].value, back["B4"].data_type) == ("=1+1", "s")


def test_csv_fields_a_spreadsheet_would_evaluate_get_a_leading_apostrophe():
    text = csv_text(["key", "name", "rate"], [["=1+1", '=HYPERLINK("http://x","y")', -0.5], ["@A", "+1", None],
                                              ["-2+3", "Quận 3, TP", 0.9989], ["\tT", "\rR", 3]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["key", "name", "rate"], ["'=1+1", '\'=HYPERLINK("http://x","y")', "-0.5"], ["'@A", "'+1", ""],
                    ["'-2+3", "Quận 3, TP", "0.9989"], ["'\tT", "'\rR", "3"]]


def test_sheet_and_file_names():
    assert safe_sheet_title("=a/b[c]:d*e?f\\g") == "=a b c  d e f g"
    assert len(safe_sheet_title("x" * 40)) == 31
    assert safe_sheet_title("'Hồ sơ'") == "Hồ sơ" and safe_sheet_title("[]") == "Dữ liệu"
    assert safe_file_stem('=HYPERLINK("http://x","y") Quý II/2022') == "HYPERLINK_http_x_y_Quy_II_2022"
    assert safe_file_stem("==") == "bang"


def test_server_event_times_are_shown_on_vietnams_clock(monkeypatch):
    """A login or a load recorded on a UTC server showed 7 hours behind (probe 21); a dossier's dates are not moved."""
    import time as time_module
    from datetime import datetime, timedelta, timezone

    from common.formats import vn_datetime, vn_event_time
    monkeypatch.setenv("TZ", "UTC")
    time_module.tzset()
    try:
        assert vn_event_time(datetime(2026, 12, 5, 1, 30)) == "05/12/2026 08:30"                    # naive: server time
        assert vn_event_time(datetime(2026, 12, 4, 20, 0, tzinfo=timezone.utc)) == "05/12/2026 03:00"
        assert vn_event_time(datetime(2026, 12, 5, 8, 30, tzinfo=timezone(timedelta(hours=7)))) == "05/12/2026 08:30"
        assert vn_event_time(None) == "–"
        assert vn_datetime(datetime(2026, 12, 5, 1, 30)) == "05/12/2026 01:30"                      # as stored
    finally:
        monkeypatch.delenv("TZ")
        time_module.tzset()


def test_a_heading_in_capitals_keeps_its_document_symbols():
    from common.formats import capitals
    assert capitals("Chỉ số phục vụ (Quyết định 766/QĐ-TTg), ước tính") == "CHỈ SỐ PHỤC VỤ (QUYẾT ĐỊNH 766/QĐ-TTg), ƯỚC TÍNH"
    assert capitals("theo Nghị định 30/2020/NĐ-CP và 01/2018/TT-VPCP") == "THEO NGHỊ ĐỊNH 30/2020/NĐ-CP VÀ 01/2018/TT-VPCP"


def test_cells_given_the_same_style_carry_it_whatever_the_order_and_the_workbook():
    """write_cell copies a style combination's first result to the next cells given it (openpyxl hashed the font and
    border on every cell: two thirds of a 62.000-row list's time). Each cell still carries exactly its own."""
    from common.workbook import COUNT, DATE, STYLES
    for _ in range(2):   # a second workbook: the memory of the first is no part of it
        wb, ws = new_workbook("Dữ liệu")
        write_cell(ws, 1, 1, "Tiêu đề", font=STYLES.title)
        for row in range(2, 6):
            write_cell(ws, row, 1, row * 1000, COUNT, font=STYLES.normal, border=STYLES.border)
            write_cell(ws, row, 2, "=1+1" if row == 3 else "chữ", font=STYLES.normal, border=STYLES.border)
            write_cell(ws, row, 3, row, DATE, font=STYLES.bold)
        back = _saved(wb).active
        assert back["A1"].font.b and back["A1"].number_format == "General"
        for row in range(2, 6):
            a, b, c = back.cell(row, 1), back.cell(row, 2), back.cell(row, 3)
            assert (a.number_format, a.font.b, a.border.left.style) == ("#,##0", False, "thin")
            assert (b.number_format, b.border.left.style, b.quotePrefix) == ("General", "thin", row == 3)
            assert (c.number_format, c.font.b, c.border.left.style) == ("dd/mm/yyyy", True, None)
