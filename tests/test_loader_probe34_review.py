"""Second review of probes 34/35 (1bf0206): targets per unit, processing logs, GSO lists, same-day limits and
unit-code columns as the review found them; each test states the right behaviour and failed on 1bf0206."""

from etl.references.procedures import _statutory_days
from tests.files import database_with_units, load_one, query, write_csv

VTS = "Phường Võ Thị Sáu"
T = "GIAO CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH NĂM 2025 CHO CÁC CƠ QUAN, ĐƠN VỊ"


def test_t1_a_results_table_per_unit_is_no_targets(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "kq.csv", [
        ["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC QUÝ I NĂM 2025"],
        ["STT", "Đơn vị", "Tổng số hồ sơ", "Tỷ lệ đúng hạn", "Tỷ lệ trễ hạn"],
        ["1", "Sở Tư pháp", "120", "100%", "0%"], ["2", "UBND Quận 3", "80", "100%", "0%"]]))
    # 1bf0206: kind targets, 4 targets (≥ 100 %, ≤ 0 %) stored from a results report
    assert query(db, "SELECT count(*) FROM targets") == [(0,)]


def test_t2_a_percent_note_in_an_indicator_column_header_is_its_unit(tmp_path):
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "ct.csv", [[T], ["STT", "Đơn vị", "Tỷ lệ hồ sơ giải quyết đúng hạn (%)",
                                                      "Tỷ lệ hồ sơ trễ hạn (%)"], ["1", "Sở Tư pháp", "≥ 98", "< 1"]]))
    # 1bf0206: < 1.0 (100 %); the long layout with «Đơn vị tính» % stores 0.01 (probe 30)
    assert query(db, "SELECT target_value FROM targets WHERE indicator = 'late_rate'") == [(0.01,)]


def test_t3_an_average_days_target_is_days(tmp_path):
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "ct.csv", [[T], ["STT", "Đơn vị", "Tỷ lệ hồ sơ giải quyết đúng hạn",
                                                      "Thời gian giải quyết trung bình"], ["1", "Sở Tư pháp", "≥ 98%", "≤ 5"]]))
    # 1bf0206 (and before, long layout): 0.05 — no unit ever meets it; the new warning prints «≤ 0,05 ngày»
    assert query(db, "SELECT target_value FROM targets WHERE indicator = 'avg_days'") == [(5.0,)]


def test_t4_reloading_the_same_plan_is_silent(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Năm", "Chỉ tiêu", "Phạm vi", "Giá trị"],
            ["2025", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Toàn thành phố", "≥ 98%"],
            ["2025", "Tỷ lệ giải quyết đúng hạn, trước hạn", "Toàn thành phố", "> 99%"]]
    load_one(db, write_csv(tmp_path / "a.csv", rows))
    result, _ = load_one(db, write_csv(tmp_path / "b.csv", rows))
    # 1bf0206: «1 chỉ tiêu đã có được thay … > 99 % → ≥ 98 %», though the stored value stays > 99 %
    assert not any("được thay" in w for w in result["warnings"]), result["warnings"]


def test_t5_an_unmatched_unit_is_said_once_per_line(tmp_path):
    db = database_with_units(tmp_path)
    result, _ = load_one(db, write_csv(tmp_path / "ct.csv", [[T], ["STT", "Đơn vị", "Tỷ lệ hồ sơ giải quyết đúng hạn",
                                                                  "Tỷ lệ hồ sơ nộp trực tuyến"], ["1", "Sở Không Có", "≥ 98%", "≥ 60%"]]))
    said = [w for w in result["warnings"] if "Sở Không Có" in w]
    assert len(said) == 1, said


def test_t6_per_unit_table_without_a_year_says_the_year_is_missing(tmp_path):
    db = database_with_units(tmp_path)
    _, errors = load_one(db, write_csv(tmp_path / "ct.csv", [["STT", "Đơn vị", "Tỷ lệ hồ sơ giải quyết đúng hạn",
                                                             "Tỷ lệ hồ sơ nộp trực tuyến"], ["1", "Sở Tư pháp", "≥ 98%", "≥ 60%"]]),
                         kind="targets")
    # 1bf0206: «không tìm thấy dòng tiêu đề … (cần các cột «Năm», «Chỉ tiêu», «Giá trị»)»
    assert errors and "năm" in errors[0].lower() and "không tìm thấy dòng tiêu đề" not in errors[0]


LOG_TOP = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Bước xử lý", "Thời gian xử lý", None]
LOG_SUB = [None, None, None, None, None, "Ngày bắt đầu", "Ngày kết thúc"]
LOG_LINES = [[1, "K01", VTS, "01/03/2024", "Tiếp nhận hồ sơ", "01/03/2024", "01/03/2024"],
             [2, "K01", VTS, "01/03/2024", "Trình ký", "04/03/2024", "06/03/2024"],
             [3, "K02", VTS, "11/03/2024", "Tiếp nhận hồ sơ", "11/03/2024", "11/03/2024"],
             [4, "K02", VTS, "11/03/2024", "Trình ký", "12/03/2024", "13/03/2024"]]


def test_l1_a_log_with_a_two_row_header_is_refused(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "log.csv", [["NHẬT KÝ XỬ LÝ HỒ SƠ"], LOG_TOP, LOG_SUB, *LOG_LINES]))
    # 1bf0206: loaded, K01 resolved 01/03 (the first step's end) — the probe-35 defect again (fbaff2b refused it)
    assert result is None and "nhật ký xử lý" in errors[0]


def test_l2_a_step_header_with_a_note_or_the_dropped_names_is_a_step_column(tmp_path):
    for header in ("Bước xử lý (tên bước)", "Nội dung xử lý", "Quá trình xử lý"):
        db = database_with_units(tmp_path / header)
        rows = [["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", header, "Ngày bắt đầu", "Ngày kết thúc"],
                *[r[:5] + r[5:] for r in LOG_LINES]]
        result, errors = load_one(db, write_csv(tmp_path / header / "log.csv", rows))
        assert result is None and "nhật ký xử lý" in errors[0], header


def test_u1_a_bare_district_code_column_is_the_parent_of_the_wards(tmp_path):
    db = tmp_path / "t.duckdb"
    load_one(db, write_csv(tmp_path / "d.csv", [["Mã", "Tên", "Cấp", "Đơn vị cấp trên"],
                                                 ["79", "Thành phố Hồ Chí Minh", "Tỉnh", ""], ["760", "Quận 1", "Quận", "79"]]))
    load_one(db, write_csv(tmp_path / "w.csv", [["Mã", "Tên", "Cấp", "Mã QH", "Mã TP"],
                                                 ["26734", "Phường Tân Định", "Phường", "760", "79"]]))
    # 1bf0206: parent None and «không có đơn vị cấp trên … dù danh mục có quận, huyện» (fbaff2b: 760, names clobbered)
    assert query(db, "SELECT unit_code, unit_name, parent_code FROM units ORDER BY 1") == [
        ("26734", "Phường Tân Định", "760"), ("760", "Quận 1", "79"), ("79", "Thành phố Hồ Chí Minh", None)]


def test_u2_gso_levels_of_centrally_run_and_district_level_cities(tmp_path):
    db = tmp_path / "t.duckdb"
    load_one(db, write_csv(tmp_path / "p.csv", [["Mã", "Tên", "Cấp"], ["79", "Thành phố Hồ Chí Minh", "Thành phố Trung ương"]]))
    load_one(db, write_csv(tmp_path / "d.csv", [["Mã", "Tên", "Cấp", "Mã TP", "Tỉnh / Thành Phố"],
                                                 ["769", "Thành phố Thủ Đức", "Thành phố", "79", "Thành phố Hồ Chí Minh"]]))
    # 1bf0206: 79 'thanh_pho_trung_uong', 769 'province' under a province
    assert query(db, "SELECT unit_code, level FROM units ORDER BY 1") == [("769", "district"), ("79", "province")]


def test_p1_a_same_day_limit_in_a_bulleted_or_later_clause_is_a_limit():
    for text in ("- Trong ngày đối với hồ sơ nộp trước 15 giờ;\n- 03 ngày làm việc đối với trường hợp phải xác minh",
                 "03 ngày làm việc; trường hợp đơn giản, hồ sơ được trả trong ngày"):
        # 1bf0206: 3 (every dossier given 3 days); fbaff2b: None and said
        assert _statutory_days(text, 2, []) is None, text


def test_d1_a_unit_code_column_alone_still_names_the_unit(tmp_path):
    db = database_with_units(tmp_path)
    code = query(db, "SELECT unit_code FROM units WHERE unit_name = ?", [VTS])[0][0]
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Mã ĐV", "Ngày tiếp nhận"],
                                                                 ["A1", code, "04/03/2024"]]))
    # 1bf0206: refused «thiếu cột «Đơn vị»» (fbaff2b: loaded)
    assert errors == [] and result["rows_loaded"] == 1


def test_t2b_a_percent_group_label_over_the_indicators_is_their_unit(tmp_path):
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "ct.csv", [
        [T], ["STT", "Đơn vị", "Tỷ lệ (%)", ""],
        ["", "", "Hồ sơ giải quyết đúng hạn", "Hồ sơ trễ hạn"], ["1", "Sở Tư pháp", "≥ 98", "< 1"]]))
    # «< 1» under «Tỷ lệ (%)» is below 1 %: before, only a «%» in the last header line counted and 1.0 (100 %) was kept
    assert query(db, "SELECT indicator, target_value FROM targets ORDER BY 1") == [
        ("late_rate", 0.01), ("on_time_rate", 0.98)]
