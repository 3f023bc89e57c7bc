"""Thirty-first loader probe: exports as more vendors lay them out. A two-row header whose sub-headers say only
«Ngày» under «Tiếp nhận», «Kết quả giải quyết», «Trả kết quả» (refused for want of a received date, and a mapping
file could not name such a column). Expected values are counted by hand."""
from datetime import date

import duckdb

from indicators import Period, compute_period_table
from tests.files import database_with_units, load_one, march_total, query, write_xlsx

DESK = "Bộ phận Một cửa – UBND Phường Võ Thị Sáu"


def test_a_group_over_a_sub_header_saying_only_the_date(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["BỘ PHẬN MỘT CỬA PHƯỜNG VÕ THỊ SÁU"], ["THEO DÕI HỒ SƠ THÁNG 3/2024"], [],
            ["Mã hồ sơ", "Thủ tục", "Tiếp nhận", None, "Hạn giải quyết", "Kết quả giải quyết", None, "Trả kết quả", None],
            [None, None, "Ngày", "Nơi tiếp nhận", None, "Ngày", "Trạng thái", "Ngày", "Hình thức"],
            ["L01", "Đăng ký khai sinh", "27/02/2024", DESK, "05/03/2024", "04/03/2024", "Hoàn thành", "05/03/2024",
             "Trực tiếp"],
            ["L02", "Chứng thực bản sao", "01/03/2024", DESK, "08/03/2024", "08/03/2024", "Hoàn thành", "08/03/2024",
             "Bưu chính"],
            ["L03", "Đăng ký kết hôn", "04/03/2024", DESK, "11/03/2024", "13/03/2024", "Hoàn thành trễ hạn",
             "13/03/2024", "Trực tiếp"],
            ["L04", "Đăng ký khai tử", "08/03/2024", DESK, "15/03/2024", None, "Đang xử lý", None, None],
            ["L05", "Chứng thực chữ ký", "15/03/2024", DESK, "22/03/2024", "18/03/2024", "Hoàn thành", "19/03/2024",
             "Bưu chính"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "so_theo_doi.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 5
    assert query(db, "SELECT dossier_code, unit_code, procedure_name, CAST(received_at AS DATE), "
                     "CAST(finished_at AS DATE), CAST(returned_at AS DATE) FROM dossiers WHERE dossier_code = 'L05'") \
        == [("L05", "Q3_VTS", "Chứng thực chữ ký", date(2024, 3, 15), date(2024, 3, 18), date(2024, 3, 19))]
    con = duckdb.connect(str(db), read_only=True)
    try:
        total = compute_period_table(con, Period(date(2024, 3, 1), date(2024, 3, 31)))["total"]
    finally:
        con.close()
    # L01 carried over (received 27/02) and finished early; L02 on its due day; L03 two days late; L04 pending past
    # its due day 15/03 at 31/03; L05 early. «Hình thức» under «Trả kết quả» is how the result went back, not the
    # channel the dossier came by.
    assert (total["carried_over"], total["received_new"], total["resolved_early"], total["resolved_on_time"],
            total["resolved_late"], total["pending_within"], total["pending_overdue"]) == (1, 4, 2, 1, 1, 0, 1)
    assert total["received_postal"] == 0


def test_unit_group_lines_ending_with_their_count(tmp_path):
    """«1. UBND PHƯỜNG VÕ THỊ SÁU (04 hồ sơ)» over its dossiers: every dossier went to the title's unit (or, without
    a title, the file was refused as if the unit list were missing)."""
    db = database_with_units(tmp_path)
    rows = [["BÁO CÁO CHI TIẾT HỒ SƠ TTHC THÁNG 03/2024"], [],
            ["STT", "Số hồ sơ", "Tên thủ tục", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
            ["1. UBND PHƯỜNG VÕ THỊ SÁU (02 hồ sơ)"],
            [1, "N01", "x", "26/02/2024", "04/03/2024", "01/03/2024"],
            [2, "N02", "x", "05/03/2024", "08/03/2024", "08/03/2024"],
            [None, "Cộng: 2 hồ sơ"],
            ["2. UBND PHƯỜNG 9 - 1 hồ sơ"],
            [1, "N03", "x", "01/03/2024", "06/03/2024", "05/03/2024"],
            ["3. UBND QUẬN 3 (1)"],
            [1, "N04", "x", "07/03/2024", "21/03/2024", None],
            ["TỔNG CỘNG: 4 hồ sơ"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "nhom.xlsx", rows))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (4, 0)
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
        ("N01", "Q3_VTS"), ("N02", "Q3_VTS"), ("N03", "Q3_P09"), ("N04", "Q3")]


def test_cells_with_excels_leading_apostrophe(tmp_path):
    """«'000101», «'27/02/2024», «'2» (a web export keeping Excel from reading numbers): a count was «not a number»
    and the line rejected, a code kept its mark and a plain export of the same dossier made a second one."""
    from tests.files import write_csv
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Mã đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Số lần bổ sung"]
    marked = write_csv(tmp_path / "nhay.csv", [header,
                                               ["'000101", "Q3_P09", "'27/02/2024", "'05/03/2024", "'04/03/2024", "'0"],
                                               ["'000102", "Q3_P09", "'01/03/2024", "'07/03/2024", "", "'2"]])
    result, errors = load_one(db, marked)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert query(db, "SELECT dossier_code, CAST(received_at AS DATE), supplement_count FROM dossiers ORDER BY 1") == [
        ("000101", date(2024, 2, 27), 0), ("000102", date(2024, 3, 1), 2)]
    plain = write_xlsx(tmp_path / "tron.xlsx", [header, ["000101", "Q3_P09", "27/02/2024", "05/03/2024", "04/03/2024", 0]])
    result, errors = load_one(db, plain)
    assert errors == [] and result["rows_unchanged"] + result["rows_updated"] == 1
    assert query(db, "SELECT count(*) FROM dossiers") == [(2,)]


def test_dates_with_excels_vietnamese_month(tmp_path):
    """«06-Thg3-2024», as Excel shows dd-mmm-yyyy in Vietnamese: every line was rejected for its dates."""
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"],
            ["M01", "UBND Quận 3", "28-Thg2-2024 09:00", "06-Thg3-2024", "05-Thg3-2024"],
            ["M02", "UBND Quận 3", "1 thg 3 2024", "08-Tháng 3-2024", "11-Thg3-2024"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "thg.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2
    total = march_total(db, 2024)
    # M01 carried over, finished a day early; M02 received 01/03, finished three days late
    assert (total["carried_over"], total["received_new"], total["resolved_early"], total["resolved_late"]) == (1, 1, 1, 1)


def test_a_blocks_own_count_is_checked(tmp_path):
    """«Cộng: 3 hồ sơ» under a block of two dossiers was never checked; a grand total right under subtotals said «các
    dòng từ dòng tổng trước đến dòng này: 0»."""
    db = database_with_units(tmp_path)
    rows = [["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
            [1, "A1", "Quận 3", "01/03/2024"], [2, "A2", "Quận 3", "02/03/2024"],
            [None, "Cộng: 3 hồ sơ"],
            [1, "B1", "Sở Tư pháp", "03/03/2024"],
            [None, "Cộng: 1 hồ sơ"],
            ["Tổng cộng: 5 hồ sơ"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "cong.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 3
    said = [w for w in result["warnings"] if w.startswith(("Dòng cộng", "Dòng tổng cộng"))]
    assert said == ["Dòng cộng «Cộng: 3 hồ sơ» (trang «Sheet», dòng 4) ghi 3 hồ sơ nhưng khối phía trên nó có 2 dòng hồ sơ "
                    "chi tiết.",
                    "Dòng tổng cộng «Tổng cộng: 5 hồ sơ» (trang «Sheet», dòng 7) ghi 5 hồ sơ nhưng tệp có 3 dòng hồ sơ chi "
                    "tiết."], said


def test_a_unit_column_of_the_wards_own_desks_gives_way_to_the_title(tmp_path):
    """«Đơn vị xử lý» listing a ward's desks under «Cơ quan: UBND Phường 9 - Quận 3»: every dossier was unmatched,
    and no alias could fix it. A column naming at least one unit of the list is still read as the unit."""
    db = database_with_units(tmp_path)
    header = ["STT", "Mã hồ sơ", "Đơn vị xử lý", "Ngày tiếp nhận", "Ngày hẹn trả"]
    rows = [["Cơ quan: UBND Phường 9 - Quận 3"], [], header,
            [1, "W1", "Bộ phận Tư pháp - Hộ tịch", "01/03/2024", "05/03/2024"],
            [2, "W2", "Bộ phận Địa chính - Xây dựng", "04/03/2024", "08/03/2024"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "bo_phan.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2 and result["unmatched_units"] == []
    assert query(db, "SELECT DISTINCT unit_code FROM dossiers") == [("Q3_P09",)]
    assert any("không ghi tên đơn vị nào của danh mục" in w and "«UBND Phường 9 - Quận 3»" in w
               for w in result["warnings"])
    other = database_with_units(tmp_path / "mot")
    rows[4][2] = "Phường Võ Thị Sáu"   # one unit of the list: the column is the unit, the desk unmatched
    result, errors = load_one(other, write_xlsx(tmp_path / "mot" / "bo_phan.xlsx", rows))
    assert errors == [] and result["unmatched_units"] == ["Bộ phận Tư pháp - Hộ tịch"]


def test_a_group_label_over_a_date_names_no_other_field(tmp_path):
    """«Trạng thái» over «Ngày | Tên trạng thái», «Đánh giá» over «Ngày | Mức độ hài lòng»: the group label stands for
    its «Ngày» only when it names a date, and only one no other column names (the review of probe 31's change: the
    status was read from the date column and refused dossiers counted)."""
    from etl.core.header import find_header
    from etl.dossiers.fields import alias_index
    top = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", None,
           "Đánh giá", None]
    below = [None, None, None, None, None, "Ngày", "Tên trạng thái", "Ngày", "Mức độ hài lòng"]
    match = find_header([top, below], alias_index(()), second_unit=True)
    assert (match.columns["status"], match.columns["rating"]) == ("c6", "c8")
    assert "c5" not in match.columns.values() and "c7" not in match.columns.values()


def test_a_unit_column_of_wards_the_list_lacks_yet_is_no_column_of_desks(tmp_path):
    """The review: with a unit list holding only the district, a column of its wards was read as desks and every
    dossier given to the district for good. Only desks' words («Bộ phận …», «Công chức …») make a column of desks."""
    from tests.files import write_csv
    db = tmp_path / "cchc.duckdb"
    units = write_csv(tmp_path / "don_vi.csv", [["Mã đơn vị", "Tên đơn vị", "Cấp"], ["Q3", "Quận 3", "district"]])
    assert load_one(db, units, kind="units")[1] == []
    rows = [["Cơ quan: UBND Quận 3"], [], ["STT", "Mã hồ sơ", "Đơn vị xử lý", "Ngày tiếp nhận"],
            [1, "W1", "Phường 9", "01/03/2024"], [2, "W2", "Phường Võ Thị Sáu", "04/03/2024"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phuong.xlsx", rows))
    assert errors == [] and sorted(result["unmatched_units"]) == ["Phường 9", "Phường Võ Thị Sáu"]
    assert not any("bộ phận bên trong" in w for w in result["warnings"])
