"""Plan targets of a plan of several years, one value column per year («Chỉ tiêu | Đơn vị tính | Năm 2024 | Năm
2025»), as a five-year plan's appendix lays them out (probe 30: the table was refused as no known kind). Expected
rows are read off the files by hand."""
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx


def _targets(db):
    return sorted(query(db, "SELECT year, scope, indicator, comparator, round(target_value, 4) FROM targets"))


def test_one_value_column_per_year_under_a_title_naming_the_period(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_xlsx(tmp_path / "chi_tieu.xlsx", [
        ["PHỤ LỤC II"],
        ["CHỈ TIÊU KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2024 - 2025"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025"],
        ["1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "≥ 95%", "Đạt 100%"],
        ["2", "Tỷ lệ hồ sơ nộp trực tuyến", "%", "Tối thiểu 50", "-"],      # «-»: no 2025 target on this line
        ["3", "Tỷ lệ hồ sơ trễ hạn", "%", "Dưới 1", "Dưới 0,5"],            # «%» unit: 1 is 1 %, not 100 %
    ])
    result, errors = load_one(db, plan)
    assert errors == [] and result["kind"] == "targets"
    assert _targets(db) == sorted([
        (2024, "all", "on_time_rate", ">=", 0.95), (2025, "all", "on_time_rate", ">=", 1.0),
        (2024, "all", "online_rate", ">=", 0.5),
        (2024, "all", "late_rate", "<", 0.01), (2025, "all", "late_rate", "<", 0.005)])
    assert (result["rows_loaded"], result["rows_skipped"]) == (3, 0)


def test_year_columns_with_a_scope_column_in_a_csv(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_csv(tmp_path / "chi_tieu.csv", [
        ["Chỉ tiêu", "Phạm vi", "So sánh", "KH 2025", "KH 2026"],
        ["Tỷ lệ giải quyết đúng hạn", "Cấp xã", ">=", "95%", "98%"],
        ["Tỷ lệ giải quyết đúng hạn", "Sở Tư pháp", ">=", "99%", ""],        # empty: no 2026 target
    ], delimiter=";")
    result, errors = load_one(db, plan)
    assert errors == []
    assert _targets(db) == sorted([
        (2025, "ward", "on_time_rate", ">=", 0.95), (2026, "ward", "on_time_rate", ">=", 0.98),
        (2025, "STP", "on_time_rate", ">=", 0.99)])


def test_a_roadmap_of_tasks_or_a_table_of_results_is_not_taken_for_targets(tmp_path):
    """Year columns are also how a plan's roadmap of tasks and a table of results are laid out (the review: the
    roadmap broke on load, the results table was refused as targets without a comparator)."""
    db = database_with_units(tmp_path)
    roadmap = write_xlsx(tmp_path / "lo_trinh.xlsx", [
        ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
        ["STT", "Nội dung nhiệm vụ", "Chỉ tiêu", "Cơ quan chủ trì", "Sản phẩm", "2024", "2025"],
        ["1", "Rà soát thủ tục hành chính", "100% TTHC", "Sở Tư pháp", "Báo cáo", "x", "x"]])
    result, errors = load_one(db, roadmap, unit="Q3")
    assert errors == [] and result["kind"] == "plan_tasks"
    results = write_xlsx(tmp_path / "ket_qua.xlsx", [
        ["KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"],
        ["Chỉ tiêu", "Năm 2023", "Năm 2024", "Tăng/giảm"],
        ["Tỷ lệ hồ sơ giải quyết đúng hạn", "Đạt 91,5%", "Đạt 88,2%", "-3,3"]])
    result, errors = load_one(db, results)
    assert result is None and "không nhận ra đây là loại tệp nào" in errors[0]
    assert query(db, "SELECT count(*) FROM targets") == [(0,)]


def test_a_line_of_empty_year_cells_stores_nothing_and_is_said(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_xlsx(tmp_path / "chi_tieu.xlsx", [["CHỈ TIÊU KẾ HOẠCH CCHC"],
                                                    ["Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025"],
                                                    ["Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "-", None]])
    result, errors = load_one(db, plan)   # broke before on an empty list of targets to write
    assert errors == [] and (result["rows_loaded"], result["rows_skipped"]) == (0, 1)
    assert any("không ghi giá trị ở cột nào" in w for w in result["warnings"])
