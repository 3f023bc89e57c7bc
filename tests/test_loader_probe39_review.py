"""Review of the probe 38/39 fixes (dcca814..7c0ed14): each test states the right behaviour, as the code before those
fixes had it, and failed on the fixes as first written."""
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

T = "GIAO CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH NĂM 2024"


def test_a_note_in_words_in_brackets_is_no_loose_name(tmp_path):
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "ct.csv", [
        ["Năm", "Chỉ tiêu", "Giá trị"],
        ["2024", "Tỷ lệ hồ sơ nộp trực tuyến", "≥ 50%"],
        ["2024", "Tỷ lệ hồ sơ nộp trực tuyến (đối với TTHC có cung cấp DVCTT)", "≥ 80%"],
        ["2024", "Tỷ lệ hài lòng", "≥ 90%"]]))
    # the second line's note tells another indicator: it stays text, the online rate keeps its ≥ 50 %; a bare «Tỷ lệ
    # hài lòng» is no dossier-rating rate (its known name says «(đánh giá hồ sơ)»)
    assert query(db, "SELECT indicator, target_value FROM targets WHERE indicator IN ('online_rate', "
                     "'rating_satisfaction')") == [("online_rate", 0.5)]


def test_a_percent_group_label_stops_at_an_indicator_named_in_full(tmp_path):
    db = database_with_units(tmp_path)
    load_one(db, write_xlsx(tmp_path / "ct.xlsx", [
        [T], ["STT", "Đơn vị", "Tỷ lệ (%)", None, None],
        [None, None, "Hồ sơ giải quyết đúng hạn", "Hồ sơ trễ hạn", "Chỉ số hài lòng SIPAS"],
        [1, "Sở Tư pháp", "≥ 98", "< 1", "≥ 0,9"]]))
    # under the group: percentages (< 1 is 1 %); the SIPAS column right of it is no part of it: ≥ 0,9 is 90 %
    assert query(db, "SELECT indicator, target_value FROM targets ORDER BY 1") == [
        ("late_rate", 0.01), ("on_time_rate", 0.98), ("sipas", 0.9)]


def test_a_questionnaire_line_of_hl_answers_under_a_code_is_data(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["PHIẾU KHẢO SÁT NĂM 2025"], ["Số phiếu", "Đơn vị", "1.1", "1.2", "2.1", "HL"],
            ["TC01", "Quận 3", "HL", "HL", "HL", "HL"], ["CN02", "Quận 3", "RHL", "HL", "BT", "KHL"],
            ["TC03", "Quận 3", "HL", "BT", "HL", "RHL"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 3
    # HL = 4, RHL = 5 favourable; BT = 3, KHL = 2 not: 1.1 3/3, 1.2 2/3, 2.1 2/3, HL 2/3
    assert query(db, """SELECT item_code, count(*) FILTER (WHERE is_favourable) FROM survey_answers GROUP BY 1
                        ORDER BY 1""") == [("1.1", 3), ("1.2", 2), ("2.1", 2), ("HL", 2)]


def test_a_unit_lists_ma_co_quan_is_its_code(tmp_path):
    db = tmp_path / "u.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "dv.csv", [
        ["STT", "Mã cơ quan", "Tên cơ quan", "Cấp", "Mã định danh"],
        ["1", "STP", "Sở Tư pháp", "Sở", "000.00.12.H29"], ["2", "SXD", "Sở Xây dựng", "Sở", "000.00.13.H29"]]),
        kind="units")
    assert errors == []
    assert [c for (c,) in query(db, "SELECT unit_code FROM units ORDER BY 1")] == ["STP", "SXD"]


def test_a_province_level_beside_its_department_is_not_said(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [
        ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Thời hạn giải quyết", "Cơ quan thực hiện"],
        ["1.003622", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "05 ngày làm việc", "Cấp tỉnh; Sở Tư pháp"],
        ["1.000657", "Thủ tục X", "Hộ tịch", "10 ngày làm việc", "Cấp tỉnh"]]), kind="procedures")
    assert errors == []
    assert query(db, "SELECT procedure_code, unit_code FROM procedure_units") == [("1.003622", "STP")]
    [said] = [w for w in result["warnings"] if "«Cấp tỉnh»" in w]
    assert said.startswith("1 thủ tục ghi cấp thực hiện «Cấp tỉnh» (1.000657)")
