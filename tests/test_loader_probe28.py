"""Twenty-eighth loader probe: cells a user gets wrong in Excel — a date cell holding 0 (a formula over an empty
cell, shown 00/01/1900), error values (#N/A, #REF!) where dates and fees belong, a date that does not exist, a year
typed 1922. Each was loaded as something else (a dossier of 1899 carried over into every period, a due date «#REF!»
read as no due date and counted on time, a fee «#VALUE!» read as free). Expected values are counted by hand."""
from datetime import datetime

import pytest
from openpyxl import Workbook

from etl.summary import format_summary
from tests.files import database_with_units, load_one, march_total, query, write_csv

HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Phí, lệ phí", "Trạng thái"]
GOOD = ["P28-01", "UBND Quận 3", "01/03/2022", "04/03/2022", "03/03/2022", "0", "Đã trả kết quả"]


def _reasons(result) -> dict[int, str]:
    return {r["row"]: r["reason"] for r in result["rejects"]}


def test_an_excel_date_cell_holding_zero_is_rejected_not_dated_1899(tmp_path):
    """Serial 0 reads as 31/12/1899, 60 as 28/02/1900: loaded, each was carried over into March 2022 (and pending
    overdue). Now rejected with the cell; the dossier of a real date loads."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for code, received in (("P28-Z0", 0), ("P28-Z60", 60), ("P28-OK", datetime(2022, 3, 2, 8, 0))):
        ws.append([code, "UBND Quận 3", received, datetime(2022, 3, 9), None, 0, "Đang xử lý"])
        ws.cell(ws.max_row, 3).number_format = "dd/mm/yyyy"
    path = tmp_path / "so_0.xlsx"
    wb.save(path)
    result, errors = load_one(db, path)
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"]) == (1, 2)
    reasons = _reasons(result)
    assert sorted(reasons) == [2, 3]
    assert all("trước năm 1990" in reasons[r] and "ô ngày để trống trong Excel" in reasons[r] for r in reasons)
    assert query(db, "SELECT dossier_code FROM dossiers") == [("P28-OK",)]
    total = march_total(db)
    assert (total["carried_over"], total["received_new"], total["pending"]) == (0, 1, 1)


def test_excel_error_cells_reject_their_line_and_are_named(tmp_path):
    """fastexcel reads an error cell as empty: «#REF!» as the due date was no due date (counted on time), «#VALUE!»
    as the fee was free, «#DIV/0!» as the result date left the dossier pending, «#N/A» as the receipt said
    «Thiếu ngày tiếp nhận» without the cell."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["P28-E1", "UBND Quận 3", "#N/A", "04/03/2022", "03/03/2022", "0", "Đã trả kết quả"])
    ws.append(["P28-E2", "UBND Quận 3", "01/03/2022", "#REF!", "03/03/2022", "0", "Đã trả kết quả"])
    ws.append(["P28-E3", "UBND Quận 3", "01/03/2022", "04/03/2022", "03/03/2022", "#VALUE!", "Đã trả kết quả"])
    ws.append(["P28-E4", "UBND Quận 3", "01/03/2022", "04/03/2022", "#DIV/0!", "0", "Đã trả kết quả"])
    ws.append(GOOD)
    path = tmp_path / "o_loi.xlsx"
    wb.save(path)
    assert b't="e"' in __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml")   # real error cells
    result, errors = load_one(db, path)
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"]) == (1, 4)
    reasons = _reasons(result)
    assert reasons == {
        2: "Ô lỗi của Excel ở cột «Ngày tiếp nhận»: «#N/A» (công thức trong tệp không tính được); hãy sửa công thức "
           "hoặc dán giá trị vào ô này rồi nạp lại.",
        3: "Ô lỗi của Excel ở cột «Ngày hẹn trả»: «#REF!» (công thức trong tệp không tính được); hãy sửa công thức "
           "hoặc dán giá trị vào ô này rồi nạp lại.",
        4: "Ô lỗi của Excel ở cột «Phí, lệ phí»: «#VALUE!» (công thức trong tệp không tính được); hãy sửa công thức "
           "hoặc dán giá trị vào ô này rồi nạp lại.",
        5: "Ô lỗi của Excel ở cột «Ngày có kết quả»: «#DIV/0!» (công thức trong tệp không tính được); hãy sửa công "
           "thức hoặc dán giá trị vào ô này rồi nạp lại."}
    [note] = [w for w in result["warnings"] if "ô lỗi của Excel" in w]
    assert "có 4 ô lỗi" in note and "C2 «#N/A», D3 «#REF!», F4 «#VALUE!», E5 «#DIV/0!»" in note
    assert query(db, "SELECT dossier_code FROM dossiers") == [("P28-01",)]


def test_a_date_that_does_not_exist_is_told_so_and_a_year_before_1990_is_rejected(tmp_path):
    """«31/02/2022» was told as a wrong format («cần dạng ngày/tháng/năm…») though it is written right; «05/03/1922»
    loaded and counted as carried over into March 2022."""
    db = database_with_units(tmp_path)
    rows = [HEADER, GOOD,
            ["P28-D2", "UBND Quận 3", "31/02/2022", "04/03/2022", None, "0", "Đang xử lý"],
            ["P28-D3", "UBND Quận 3", "29/02/2023 08:00", "04/03/2023", None, "0", "Đang xử lý"],
            ["P28-D4", "UBND Quận 3", "05/03/1922", "09/03/2022", None, "0", "Đang xử lý"],
            ["P28-D5", "UBND Quận 3", "05/03/2022 08:3x", "09/03/2022", None, "0", "Đang xử lý"]]
    result, errors = load_one(db, write_csv(tmp_path / "ngay.csv", rows))
    assert errors == []
    reasons = _reasons(result)
    assert reasons[3].startswith("Ngày không có thật ở cột «Ngày tiếp nhận»: «31/02/2022»")
    assert reasons[4].startswith("Ngày không có thật ở cột «Ngày tiếp nhận»: «29/02/2023 08:00»")
    assert reasons[5].startswith("Ngày ở cột «Ngày tiếp nhận» là «05/03/1922», trước năm 1990")
    assert reasons[6].startswith("Ngày không đọc được ở cột «Ngày tiếp nhận»: «05/03/2022 08:3x» (cần dạng")
    assert (result["rows_loaded"], result["rows_rejected"]) == (1, 4)
    assert march_total(db)["carried_over"] == 0


def _everything_stored(db) -> str:
    """Every value of every table, as text: where a personal value must not be."""
    tables = [t for (t,) in query(db, "SELECT table_name FROM information_schema.tables")]
    return "\n".join(str(row) for t in tables for row in query(db, f'SELECT * FROM "{t}"'))


def test_a_csv_line_shifted_by_an_unquoted_comma_is_rejected_and_keeps_nothing(tmp_path):
    """«Nguyễn Văn A, Jr.» unquoted moved every later cell one column right: the address stood under «Ngày tiếp nhận»
    and was kept in the raw layer and the rejected list; a procedure name's second half was read as its sector. The
    second shifted line is past the lines the delimiter is guessed from (DuckDB dropped its last cell unsaid)."""
    db = database_with_units(tmp_path)
    header = "Mã hồ sơ,Họ và tên,Đơn vị,Tên thủ tục,Lĩnh vực,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái"
    good = "P28-S{n:03d},Người số {n},UBND Quận 3,Cấp bản sao,Hộ tịch,02/03/2022,04/03/2022,03/03/2022,Đã trả kết quả"
    lines = [header] + [good.format(n=n) for n in range(1, 81)]
    lines[3] = ("P28-S003,Nguyễn Văn A, 99 Đường Riêng Tư,UBND Quận 3,Cấp bản sao,Hộ tịch,02/03/2022,04/03/2022,"
                "03/03/2022,Đã trả kết quả")
    lines[70] = ("P28-S070,Người số 70,UBND Quận 3,Cấp giấy phép xây dựng, sửa chữa,Xây dựng,02/03/2022,04/03/2022,"
                 "03/03/2022,Đã trả kết quả")
    path = tmp_path / "lech_cot.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, errors = load_one(db, path)
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"]) == (78, 2)
    reasons = _reasons(result)
    assert sorted(reasons) == [4, 71]
    assert all(r.startswith("Dòng có nhiều ô hơn số cột của dòng tiêu đề") for r in reasons.values())
    stored = _everything_stored(db)
    assert "Riêng Tư" not in stored and "sửa chữa" not in stored
    assert query(db, "SELECT count(*) FROM dossiers WHERE field_name <> 'Hộ tịch'") == [(0,)]


@pytest.mark.parametrize("noted, said", [
    (range(1, 5), ["cột 7, 4 ô từ dòng 2 đến dòng 5 (không có tiêu đề)"]),   # records 1–4 under the header line
    ([2], ["cột 7, dòng 3 (không có tiêu đề)"]),
    ([], [])])                                                                # spaces only: nothing to find there
def test_a_column_without_a_title_is_no_shift(tmp_path, noted, said):
    """A column whose title is missing, filled on most lines or on a few (a note), the cells of each line under
    their titles: no shifted lines; the lines load, the column is said as unread with the lines of its cells, not
    those holding only a space (review: a few notes rejected their lines, and a blank typed after the last comma)."""
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", ""]]
    rows += [[f"P28-N{n}", "UBND Quận 3", "02/03/2022", "04/03/2022", "03/03/2022", "Đã trả kết quả",
              "ghi chú" if n in noted else ("" if n % 2 else " ")] for n in range(1, 11)]
    result, errors = load_one(db, write_csv(tmp_path / "cot_khong_ten.csv", rows))
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"]) == (10, 0)
    assert [c for c in result["ignored_columns"] if "không có tiêu đề" in c] == said
    # the summary says the column once, where its cells are, without advice on naming a header it does not have
    text = format_summary([result], [])
    assert "--mapping" not in text and "(không có tiêu đề)" not in text
    if said:
        assert "Bỏ qua ô ở cột không có tiêu đề: " + said[0].removesuffix(" (không có tiêu đề)") + "." in text
    else:
        assert "không có tiêu đề" not in text


def test_legacy_font_text_in_the_cells_under_a_unicode_header_is_refused(tmp_path):
    """Offices paste a .VnTime table under a Unicode header row: it loaded (every unit unmatched, every status
    unknown) though the README promises the encoding's message. TCVN3 bytes, as they read in Unicode: «Ph­êng» for
    «Phường», «§ang xö lý» for «Đang xử lý». A Unicode file with the same odd characters in quotes loads."""
    db = database_with_units(tmp_path)
    tcvn3 = [["P28-T1", "Ph\u00adêng 9", "Chøng thùc b¶n sao", "01/03/2022", "04/03/2022", "", "§ang xö lý"],
             ["P28-T2", "Ph\u00adêng 9", "§¨ng ký khai sinh", "02/03/2022", "04/03/2022", "", "§ang xö lý"],
             ["P28-T3", "Ph\u00adêng 9", "Chøng thùc b¶n sao", "03/03/2022", "04/03/2022", "", "§ang xö lý"]]
    header = ["Mã hồ sơ", "Đơn vị", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    before = query(db, "SELECT count(*) FROM dossiers")
    result, errors = load_one(db, write_csv(tmp_path / "vntime.csv", [header, *tcvn3]))
    assert result is None and len(errors) == 1
    assert "bảng mã cũ TCVN3" in errors[0] and "không nạp dòng nào" in errors[0]
    assert any(f"«{cell}»" in errors[0] for row in tcvn3 for cell in row[1:3])   # an example of the text
    assert query(db, "SELECT count(*) FROM dossiers") == before
    unicode_rows = [["P28-U1", "UBND Quận 3", "Cấp bản sao «trích lục» × 2", "01/03/2022", "04/03/2022", "", "4"],
                    ["P28-U2", "UBND Quận 3", "«Đăng ký» khai sinh", "02/03/2022", "04/03/2022", "", "4"]]
    result, errors = load_one(db, write_csv(tmp_path / "unicode.csv", [header, *unicode_rows]))
    assert errors == [] and result["rows_loaded"] == 2


def test_a_formula_written_as_the_dossier_code_is_rejected(tmp_path):
    """«=1+1» typed (or pasted as text) under «Mã hồ sơ» was loaded as the dossier «=1+1» (probe 25). A code that
    merely holds the sign inside («H29-=01») is a code."""
    db = database_with_units(tmp_path)
    rows = [HEADER, GOOD, ["=1+1", "UBND Quận 3", "02/03/2022", "04/03/2022", "", "0", "Đang xử lý"],
            ["H29-=01", "UBND Quận 3", "02/03/2022", "04/03/2022", "", "0", "Đang xử lý"]]
    result, errors = load_one(db, write_csv(tmp_path / "cong_thuc.csv", rows))
    assert errors == []
    assert _reasons(result) == {3: "Mã hồ sơ «=1+1» bắt đầu bằng dấu «=»: đây là công thức Excel được lưu thành chữ, "
                                   "không phải mã hồ sơ; hãy thay bằng mã hồ sơ (dán giá trị) rồi nạp lại."}
    assert sorted(c for (c,) in query(db, "SELECT dossier_code FROM dossiers")) == ["H29-=01", "P28-01"]


def test_a_chart_sheet_is_named_unread_without_english_on_the_console(tmp_path):
    """calamine's warning «'chartsheet' not a valid worksheet» reached the user's terminal (probe 28)."""
    import subprocess
    import sys

    from openpyxl.chart import BarChart, Reference
    from tests.conftest import ROOT
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws.append(HEADER)
    ws.append(GOOD)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=2))
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    path = tmp_path / "bieu_do.xlsx"
    wb.save(path)
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(path), "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "not a valid worksheet" not in proc.stderr + proc.stdout
    assert "«Biểu đồ»" in proc.stdout + proc.stderr and "thêm mới 1" in proc.stdout + proc.stderr


def test_two_exports_of_the_same_day_that_disagree_are_told(tmp_path):
    """Both «Đến ngày 15/03/2022»: the one loaded last wins, as before, but now said with the dossiers (it was only
    «cập nhật 1», and the other order gave another result date)."""
    db = database_with_units(tmp_path)
    first = [["Đến ngày 15/03/2022"], HEADER, GOOD]
    second = [["Đến ngày 15/03/2022"], HEADER, [*GOOD[:4], "04/03/2022", *GOOD[5:]]]
    assert load_one(db, write_csv(tmp_path / "a.csv", first))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "b.csv", second))
    assert errors == [] and result["rows_updated"] == 1
    [said] = [w for w in result["warnings"] if "cùng ngày chụp 15/03/2022" in w]
    assert "lấy theo tệp nạp sau là tệp này — P28-01." in said
    # a dossier another unit's export of that day listed without a result, finished in this one: a transfer, no
    # disagreement (the other order keeps the result: kept_result)
    pending = [["Đến ngày 15/03/2022"], HEADER, ["P28-02", "UBND Quận 3", "01/03/2022", "04/03/2022", "", "0", "4"]]
    finished = [["Đến ngày 15/03/2022"], HEADER, ["P28-02", "UBND Quận 3", "01/03/2022", "04/03/2022", "03/03/2022",
                                                  "0", "10"]]
    assert load_one(db, write_csv(tmp_path / "d.csv", pending))[1] == []
    result, _ = load_one(db, write_csv(tmp_path / "e.csv", finished))
    assert result["rows_updated"] == 1 and not [w for w in result["warnings"] if "cùng ngày chụp" in w]
    # a newer snapshot replacing an older one is the normal case: nothing said
    third = [["Đến ngày 20/03/2022"], HEADER, GOOD]
    result, _ = load_one(db, write_csv(tmp_path / "c.csv", third))
    assert result["rows_updated"] == 1 and not [w for w in result["warnings"] if "cùng ngày chụp" in w]


def test_an_excel_error_where_an_empty_cell_reads_right_stays_empty(tmp_path):
    """«#N/A» under «Lĩnh vực» or «Trạng thái» (a failed VLOOKUP) is an empty cell, as before: the sector comes from
    the catalogue, the status from the dates; it was loaded as a sector and a status called «#N/A» (review)."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append([*HEADER, "Lĩnh vực"])
    ws.append([*GOOD[:6], "#N/A", "#N/A"])
    path = tmp_path / "vlookup.xlsx"
    wb.save(path)
    result, errors = load_one(db, path)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 0)
    assert query(db, "SELECT field_name, status_text FROM dossiers") == [(None, None)]
    assert [w for w in result["warnings"] if "ô lỗi của Excel" in w]


def test_unit_names_holding_a_comma_are_told_apart_in_the_summary(tmp_path):
    """A ward is named with its district after a comma («UBND Phường 1, Quận 1»): the unmatched names were joined by
    commas too, and three names read as five."""
    db = database_with_units(tmp_path)
    rows = [HEADER] + [[f"P28-U{n}", unit, "01/03/2022", "04/03/2022", "03/03/2022", "0", "Đã trả kết quả"]
                       for n, unit in enumerate(["UBND Phường 1, Quận 1", "UBND Phường 2, Quận 10", "Sở Không Có"])]
    result, errors = load_one(db, write_csv(tmp_path / "don_vi_co_dau_phay.csv", rows))
    assert errors == [] and result["rows_loaded"] == 3
    assert ("Tên đơn vị chưa khớp danh mục (vẫn nạp, cần khai báo tên khác): «Sở Không Có», «UBND Phường 1, Quận 1», "
            "«UBND Phường 2, Quận 10».") in format_summary([result], [])
