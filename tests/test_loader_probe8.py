"""Eighth loader probe: reference lists (units, procedures, targets) and PAR INDEX files as offices type them —
the national motto over the table, the column-number row "(1) (2) (3)", Roman-numeral group rows, a totals line,
the block under the table ("Nơi nhận:", "Hà Nội, ngày … tháng … năm …", signatures), dates written 30.06.2025, a
date that does not exist. Before, each of these refused the whole file or invented a record. Expected values are
counted by hand in the comments."""
from datetime import date

import duckdb

from indicators.catalogue import list_catalogue_procedures
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

MOTTO = [["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["Độc lập - Tự do - Hạnh phúc"], [],
         ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"], []]
UNITS_HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên", "Hiệu lực đến"]


def test_a_units_list_with_its_numbering_groups_totals_and_signatures(tmp_path):
    rows = MOTTO + [UNITS_HEADER, [f"({i})" for i in range(1, 7)],
                    [1, "HCM", "Thành phố Hồ Chí Minh", "Tỉnh", None, None],
                    ["I", "CÁC SỞ, BAN, NGÀNH"],
                    [2, "STP", "Sở Tư pháp", "Sở", "HCM", None],
                    ["II", "Các quận, huyện"],
                    [3, "Q3", "Quận 3", "Cấp huyện", "HCM", "30.06.2025"],
                    [None, "Tổng cộng: 03 đơn vị"], [],
                    ["Nơi nhận:", None, None, None, "NGƯỜI LẬP BIỂU"], ["- Như trên;"], ["- Lưu: VT."],
                    [None, None, None, None, "Nguyễn Văn A"]]
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_xlsx(tmp_path / "don_vi.xlsx", rows))
    assert errors == []
    # 12 lines under the header: 3 units; the numbering row, two group rows, the totals line, a blank line and the
    # 4 lines from «Nơi nhận:» on skipped (9)
    assert (result["rows_loaded"], result["rows_skipped"], result["rows_rejected"]) == (3, 9, 0)
    assert query(db, "SELECT unit_code, unit_name, level, parent_code, valid_to::VARCHAR FROM units ORDER BY 1") == [
        ("HCM", "Thành phố Hồ Chí Minh", "province", None, None), ("Q3", "Quận 3", "district", "HCM", "2025-06-30"),
        ("STP", "Sở Tư pháp", "department", "HCM", None)]


def test_the_place_and_date_line_ends_a_list_without_recipients(tmp_path):
    rows = [["code", "name", "level"], ["HCM", "Thành phố Hồ Chí Minh", "province"],
            ["", "Thành phố Hồ Chí Minh, ngày 10 tháng 7 năm 2025", ""], ["", "NGƯỜI LẬP BIỂU", ""],
            ["", "Nguyễn Văn A", ""]]
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "dv.csv", rows))
    assert errors == [] and (result["rows_loaded"], result["rows_skipped"]) == (1, 3)
    # a day and month left blank to fill in by hand: 'ngày … tháng … năm 2025'
    rows[2][1] = "Hà Nội, ngày … tháng … năm 2025"
    result, errors = load_one(db, write_csv(tmp_path / "dv2.csv", rows))
    assert errors == [] and result["rows_loaded"] == 1


def test_dates_of_a_list_day_first_with_dots_and_an_impossible_one_named(tmp_path):
    db = tmp_path / "t.duckdb"
    header = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Hiệu lực đến"]
    _, errors = load_one(db, write_csv(tmp_path / "a.csv", [header, ["Q3", "Quận 3", "Quận", "30.06.2025"]]))
    assert errors == [] and query(db, "SELECT valid_to::VARCHAR FROM units") == [("2025-06-30",)]
    _, errors = load_one(db, write_csv(tmp_path / "b.csv", [header, ["Q1", "Quận 1", "Quận", "30/06/2025"],
                                                          ["Q5", "Quận 5", "Quận", "31/02/2025"]]))
    assert errors == ["Tệp b.csv, dòng 3: ngày '31/02/2025' không có thật. Không nạp dòng nào từ tệp này."]
    assert query(db, "SELECT unit_code FROM units") == [("Q3",)]   # the file refused whole, the list as it was


def test_a_catalogue_with_its_numbering_totals_and_signature(tmp_path):
    db = database_with_units(tmp_path)
    header = ["STT", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Mức độ DVCTT", "Thời hạn giải quyết"]
    rows = MOTTO + [header, [f"({i})" for i in range(1, 7)],
                    ["I", None, "LĨNH VỰC LÝ LỊCH TƯ PHÁP"],
                    [1, "2.000001", "Cấp phiếu lý lịch tư pháp cho công dân", None, "Toàn trình", "10"],
                    [2, "2.000005", "Cấp phiếu lý lịch tư pháp cho cơ quan", None, "Một phần", "10"],
                    [None, "Tổng cộng: 02 thủ tục"], ["Tổng cộng", "02"], [],
                    [None, None, None, None, "GIÁM ĐỐC"], [None, None, None, None, "Trần Văn B"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "tthc.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2
    # before: «Tổng cộng: 02 thủ tục» and «02» were stored as procedures, «(2)» too
    assert query(db, "SELECT procedure_code, field_name, online_level FROM procedures ORDER BY 1") == [
        ("2.000001", "Lý lịch tư pháp", "full"), ("2.000005", "Lý lịch tư pháp", "partial")]


def test_targets_with_the_numbering_row_and_recipients(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"], [], ["Năm", "Chỉ tiêu", "Giá trị"], ["(1)", "(2)", "(3)"],
            ["2022", "Tỷ lệ hồ sơ giải quyết đúng hạn", "≥ 95%"], ["2022", "Tổng số hồ sơ trực tuyến", "≥ 80%"],
            [], ["Nơi nhận:", None, "GIÁM ĐỐC"], ["- UBND TP;"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "chi_tieu.xlsx", rows), kind="targets")
    assert errors == []
    # 'Tổng số hồ sơ…' begins like a totals line but is no such line: a target, kept under its words as any
    # indicator no alias names; 'Tỷ lệ … đúng hạn' is on_time_rate
    assert query(db, "SELECT indicator, target_value FROM targets ORDER BY target_value") == [
        ("Tổng số hồ sơ trực tuyến", 0.8), ("on_time_rate", 0.95)]
    assert (result["rows_loaded"], result["rows_skipped"]) == (2, 4)   # numbering, blank, Nơi nhận, - UBND TP


def test_a_par_framework_under_its_column_numbers_is_a_framework(tmp_path):
    header = ["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Phương pháp"]
    rows = [["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH NĂM 2022"], [], header, ["(1)", "(2)", "(3)", "(4)"],
            ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 4, "Tự đánh giá"], [1, "Kế hoạch CCHC năm", 2],
            [2, "Báo cáo CCHC", 2], ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 3], [1, "Tỷ lệ hồ sơ đúng hạn", 3],
            [None, "Tổng cộng", 7], [], ["Nơi nhận:", None, "CHỦ TỊCH"]]
    db = tmp_path / "t.duckdb"
    # before: read as a council's score workbook (the numbers taken for units) and refused; with --kind, the
    # numbering row was criterion 1 twice
    result, errors = load_one(db, write_xlsx(tmp_path / "bo_tieu_chi.xlsx", rows))
    assert errors == [] and result["kind"] == "par_framework"
    assert result["rows_loaded"] == 5 and result["rows_skipped"] == 4   # numbering, total, blank, Nơi nhận
    assert sorted(query(db, "SELECT code, max_points FROM par_framework WHERE year = 2022")) == [
        ("1", 4.0), ("1.1", 2.0), ("1.2", 2.0), ("2", 3.0), ("2.1", 3.0)]


def test_the_councils_signature_under_a_units_score_column_is_no_score(tmp_path):
    test_a_par_framework_under_its_column_numbers_is_a_framework(tmp_path)
    db = tmp_path / "t.duckdb"
    load_one(db, write_csv(tmp_path / "dv.csv", [["code", "name", "level"], ["STP", "Sở Tư pháp", "department"]]))
    rows = [["KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA CÁC SỞ, BAN, NGÀNH"], [],
            ["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Sở Tư pháp", None],
            [None, None, None, "Tự đánh giá", "Thẩm định"],
            ["I", "Công tác chỉ đạo", 4, 4, 3], ["1.1", "Kế hoạch CCHC năm", 2, 2, 1.5], ["1.2", "Báo cáo CCHC", 2, 2, 1.5],
            [], ["Nơi nhận:", None, None, None, "TM. HỘI ĐỒNG THẨM ĐỊNH"], ["- Như trên;", None, None, None, "CHỦ TỊCH"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "diem.xlsx", rows))
    assert errors == [] and result["rows_rejected"] == 0   # before: «Nơi nhận:», «- Như trên;» rejected
    assert sorted(query(db, "SELECT code, self_score, appraised_score FROM par_scores")) == [
        ("1.1", 2.0, 1.5), ("1.2", 2.0, 1.5)]


def test_a_catalogue_that_gives_no_online_level_says_unknown_not_none(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["code", "name", "online_level", "unit"], ["2.000001", "Cấp phiếu lý lịch tư pháp", "", "STP"],
            ["2.000002", "Thủ tục lạ", "Trực tuyến cao cấp", "STP"], ["2.000003", "Chứng thực", "Toàn trình", "STP"],
            ["2.000004", "Đăng ký", "Không cung cấp", "STP"]]
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", rows))
    assert errors == [] and result["rows_loaded"] == 4
    # before: the empty cell and the word no vocabulary reads were stored as 'none' («không trực tuyến»)
    assert query(db, "SELECT procedure_code, online_level FROM procedures ORDER BY 1") == [
        ("2.000001", None), ("2.000002", None), ("2.000003", "full"), ("2.000004", "none")]
    with duckdb.connect(str(db), read_only=True) as con:
        cat = list_catalogue_procedures(con, "STP", None, date(2022, 1, 1), date(2022, 12, 31))
    assert cat["counts"] == {"full": 1, "partial": 0, "none": 1, "unknown": 2}
    assert {r["procedure_code"]: r["online_level_name"] for r in cat["rows"]}["2.000001"] == "Chưa rõ mức độ"


def test_766_inputs_grouped_by_level_with_subtotals(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["STT", "Đơn vị", "Kỳ", "Tiêu chí", "Tử số", "Mẫu số"],
            ["I", "CẤP QUẬN, HUYỆN"],
            [1, "Quận 3", "Quý II/2022", "1.1", "10", "12"],
            [None, "Cộng cấp huyện", None, "1.1", "10", "12"],
            ["II", "CÁC SỞ, NGÀNH"],
            [1, "Sở Tư pháp", "Quý II/2022", "1.1", "30", "40"],
            [None, "Tổng cộng", None, None, "40", "52"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "so_lieu_766.xlsx", rows))
    # before: the two group rows and «Cộng cấp huyện» were rejected for a missing period
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 4)
    assert sorted(query(db, "SELECT unit_code, numerator FROM index766_inputs")) == [("Q3", 10.0), ("STP", 30.0)]


def test_766_inputs_the_same_unit_under_two_names_is_a_duplicate(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Tử số", "Mẫu số"], ["Quận 3", "Quý II/2022", "1.1", "10", "12"],
            ["UBND Quận 3", "Quý II/2022", "1.1", "11", "12"]]
    result, errors = load_one(db, write_csv(tmp_path / "so_lieu.csv", rows))
    # before: both loaded, and the figures silently took one
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 1)
    assert "trùng với một dòng trước" in result["rejects"][0]["reason"]


def test_a_progress_report_given_as_a_plan_is_refused_and_the_plan_kept(tmp_path):
    db = database_with_units(tmp_path)
    plan = [["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ TƯ PHÁP"], [],
            ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            [1, "Rà soát thủ tục hành chính", "Sở Tư pháp", "Quý II"]]
    _, errors = load_one(db, write_xlsx(tmp_path / "ke_hoach.xlsx", plan))
    assert errors == []
    report = [["BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP"], [],
              ["STT", "Nội dung nhiệm vụ", "Tình trạng"], [1, "Rà soát thủ tục hành chính", "Đang thực hiện"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "bao_cao.xlsx", report), kind="plan_tasks")
    # before: loaded, and the plan's task lost its lead unit and deadline without a word
    assert result is None and "--kind task_progress" in errors[0]
    assert query(db, "SELECT lead_text, deadline_text FROM plan_tasks") == [("Sở Tư pháp", "Quý II")]


def test_a_catalogue_given_as_a_units_list_names_the_missing_column(tmp_path):
    rows = [["code", "name", "field", "online_level"], ["1.001612", "Đăng ký khai sinh", "Hộ tịch", "Toàn trình"]]
    result, errors = load_one(tmp_path / "t.duckdb", write_csv(tmp_path / "tthc.csv", rows), kind="units")
    # before: «dòng 2: thiếu mã, tên hoặc cấp của đơn vị»; since probe 52 the kind the file is is named too
    assert result is None and errors == [
        "Tệp tthc.csv có đủ các cột của tệp danh mục thủ tục nhưng thiếu cột «Cấp» của tệp danh mục đơn vị mà --kind "
        "units chỉ định, nên không nạp dòng nào. Hãy nạp lại không ghi --kind (công cụ tự nhận ra loại tệp) hoặc với "
        "--kind procedures."]


def test_a_procedure_abolished_by_a_later_catalogue_leaves_the_units_catalogue(tmp_path):
    db = database_with_units(tmp_path)
    first = [["Mã TTHC", "Tên TTHC", "Mức độ DVCTT", "Cơ quan thực hiện"],
             ["1.000893", "Thủ tục cũ", "Toàn trình", "Sở Tư pháp"], ["1.011111", "Thủ tục khác", "Một phần", "Sở Tư pháp"]]
    assert load_one(db, write_csv(tmp_path / "dm_2021.csv", first))[1] == []
    later = [["Mã TTHC", "Tên TTHC", "Mức độ DVCTT"], ["A. DANH MỤC THỦ TỤC HÀNH CHÍNH BAN HÀNH MỚI", None, None],
             ["1.022222", "Thủ tục mới", "Toàn trình"], ["B. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ", None, None],
             ["1.000893", "Thủ tục cũ", None]]
    result, errors = load_one(db, write_csv(tmp_path / "dm_2022.csv", later))
    assert errors == [] and any("bỏ khỏi danh mục thủ tục của các đơn vị" in w and "1.000893" in w
                                for w in result["warnings"])
    # before: still counted among Sở Tư pháp's procedures, and online ones
    with duckdb.connect(str(db), read_only=True) as con:
        cat = list_catalogue_procedures(con, "STP", None, date(2022, 1, 1), date(2022, 12, 31))
    assert [r["procedure_code"] for r in cat["rows"]] == ["1.011111"]
    # its row stays, for the dossiers already loaded under it
    assert query(db, "SELECT procedure_name FROM procedures WHERE procedure_code = '1.000893'") == [("Thủ tục cũ",)]


def test_a_dash_in_a_group_cell_of_the_portals_wide_table_is_a_score_not_published(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["KẾT QUẢ ĐÁNH GIÁ BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP"], ["Kỳ đánh giá: Quý II/2022"], [],
            ["STT", "Đơn vị", "Công khai, minh bạch (18 điểm)", "Tiến độ, kết quả giải quyết (20 điểm)", "Tổng điểm"],
            [1, "Quận 3", "16", "18,5", "81"], [2, "Sở Tư pháp", "-", "19", "76"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "diem_766.xlsx", rows))
    # before: the «-» rejected Sở Tư pháp's whole line, its total with it
    assert errors == [] and result["rows_rejected"] == 0
    got = query(db, "SELECT unit_code, item, points FROM index766_published ORDER BY 1, 2")
    assert ("STP", "total", 76.0) in got and not [g for g in got if g[0] == "STP" and g[2] is None]
    assert len([g for g in got if g[0] == "STP"]) == 2 and len([g for g in got if g[0] == "Q3"]) == 3


def test_targets_whose_year_only_the_title_gives(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["ỦY BAN NHÂN DÂN THÀNH PHỐ"], ["CHỈ TIÊU KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"],
            ["(Kèm theo Kế hoạch số 12/KH-UBND ngày 28/12/2021)"], [],
            ["STT", "Chỉ tiêu", "Giá trị"], [1, "Tỷ lệ hồ sơ giải quyết đúng hạn", "≥ 95%"],
            [2, "Tỷ lệ hồ sơ trực tuyến", "Tối thiểu 50%"]]
    # before: no header fitted (a year column was required); the date of the plan's decision is no target year
    result, errors = load_one(db, write_xlsx(tmp_path / "chi_tieu_2022.xlsx", rows))
    assert errors == [] and result["kind"] == "targets" and result["rows_loaded"] == 2
    assert sorted(query(db, "SELECT year, indicator, comparator, target_value FROM targets")) == [
        (2022, "on_time_rate", ">=", 0.95), (2022, "online_rate", ">=", 0.5)]
    # without a year in the title the table is still no targets table
    rows[1] = ["CHỈ TIÊU KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"]
    rows[2] = []
    result, errors = load_one(db, write_xlsx(tmp_path / "chi_tieu.xlsx", rows))
    assert result is None and errors
