"""Thirty-fourth loader probe: reference files as national systems and agencies make them — the statistics office's
list of administrative units (each ward with its district and province beside it), the National Public Service
Portal's list of agencies, a second list naming units already there, a same-day time limit with a case of 5 days,
and a holiday decision. Expected values are counted by hand."""
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

GSO_WIDE = [["DANH MỤC ĐƠN VỊ HÀNH CHÍNH VIỆT NAM"], ["(Cập nhật đến ngày 30/06/2024)"], [],
            ["Mã TP", "Tỉnh / Thành Phố", "Mã QH", "Quận Huyện", "Mã PX", "Phường Xã", "Cấp", "Tên Tiếng Anh"],
            ["79", "Thành phố Hồ Chí Minh", "760", "Quận 1", "26734", "Phường Tân Định", "Phường", "Tan Dinh Ward"],
            ["79", "Thành phố Hồ Chí Minh", "760", "Quận 1", "26740", "Phường Bến Nghé", "Phường", "Ben Nghe Ward"],
            ["79", "Thành phố Hồ Chí Minh", "787", "Huyện Cần Giờ", "27664", "Thị trấn Cần Thạnh", "Thị trấn", ""],
            ["79", "Thành phố Hồ Chí Minh", "787", "Huyện Cần Giờ", "27667", "Xã Bình Khánh", "Xã", ""]]
GSO_UNITS = [("26734", "Phường Tân Định", "ward", "760"), ("26740", "Phường Bến Nghé", "ward", "760"),
             ("27664", "Thị trấn Cần Thạnh", "ward", "787"), ("27667", "Xã Bình Khánh", "ward", "787"),
             ("760", "Quận 1", "district", "79"), ("787", "Huyện Cần Giờ", "district", "79"),
             ("79", "Thành phố Hồ Chí Minh", "province", None)]


def test_the_statistics_office_list_with_districts_and_province_beside_each_ward(tmp_path):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_xlsx(tmp_path / "dvhc.xlsx", GSO_WIDE))
    # before: refused as «Giống tệp chỉ tiêu kế hoạch nhất»
    assert errors == [] and result["rows_loaded"] == 4 and result["rows_skipped"] == 0
    assert query(db, "SELECT unit_code, unit_name, level, parent_code FROM units ORDER BY 1") == GSO_UNITS
    assert any("nạp thêm 1 tỉnh, thành phố và 2 quận, huyện" in w for w in result["warnings"]), result["warnings"]


def test_the_statistics_office_ward_list_with_its_own_code_first(tmp_path):
    db = tmp_path / "t.duckdb"
    rows = [["Mã", "Tên", "Tên Tiếng Anh", "Cấp", "Mã QH", "Quận Huyện", "Mã TP", "Tỉnh / Thành Phố"]]
    rows += [[r[4], r[5], r[7], r[6], r[2], r[3], r[0], r[1]] for r in GSO_WIDE[4:]]
    result, errors = load_one(db, write_csv(tmp_path / "cap_xa.csv", rows))
    # before: 4 wards without a parent, «Mã QH» and «Quận Huyện» not read
    assert errors == [] and result["rows_loaded"] == 4
    assert query(db, "SELECT unit_code, unit_name, level, parent_code FROM units ORDER BY 1") == GSO_UNITS


def test_the_portal_list_of_agencies_reads_the_parent_and_takes_a_department_for_one(tmp_path):
    db = tmp_path / "t.duckdb"
    agencies = write_csv(tmp_path / "co_quan.csv", [
        ["Mã cơ quan", "Tên cơ quan", "Mã cơ quan cấp trên", "Cấp"],
        ["H29", "UBND Thành phố Hồ Chí Minh", "", "Cấp tỉnh"],
        ["000.00.19.H29", "Sở Tư pháp", "H29", "Cấp tỉnh"],
        ["000.00.22.H29", "UBND Quận 3", "H29", "Cấp huyện"],
        ["000.01.22.H29", "UBND Phường Võ Thị Sáu", "000.00.22.H29", "Cấp xã"]], delimiter=";", bom=True)
    result, errors = load_one(db, agencies)
    assert errors == []
    # before: «Mã cơ quan cấp trên» not read, the Sở a province without a parent, outside every department
    assert query(db, "SELECT unit_code, level, parent_code FROM units ORDER BY 1") == [
        ("000.00.19.H29", "department", "H29"), ("000.00.22.H29", "district", "H29"),
        ("000.01.22.H29", "ward", "000.00.22.H29"), ("H29", "province", None)]
    assert any(w.startswith("1 sở ghi cấp «tỉnh»") for w in result["warnings"]), result["warnings"]


def test_a_second_list_naming_units_already_there_under_other_codes_is_said(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ma_dinh_danh.csv", [
        ["Mã định danh", "Tên cơ quan, đơn vị", "Cấp"],
        ["000.00.19.H29", "Sở Tư pháp", "Sở"], ["000.00.01.H29", "Sở Nội vụ mới", "Sở"]]))
    assert errors == []
    said = [w for w in result["warnings"] if "trùng tên với đơn vị đã có mã khác" in w]
    # the fixture's STP is «Sở Tư pháp»; a name of two units matches neither
    assert len(said) == 1 and said[0].startswith(
        "1 đơn vị của danh mục này trùng tên với đơn vị đã có mã khác: «Sở Tư pháp» (000.00.19.H29; đã có: STP; hồ sơ "
        "ghi tên này không khớp đơn vị nào)"), said


def test_a_list_of_another_district_naming_its_wards_as_others_are_named_is_not_said(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "q5.csv", [
        ["Mã", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"],
        ["Q5", "Quận 5", "Quận", "HCM"], ["Q5_P09", "Phường 9", "Phường", "Q5"]]))
    assert errors == []
    assert not any("trùng tên" in w for w in result["warnings"]), result["warnings"]


def test_a_same_day_time_limit_with_a_longer_case_is_no_number_of_days(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [
        ["Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết"],
        ["1.000894", "Đăng ký kết hôn", "Ngay trong ngày tiếp nhận hồ sơ; trường hợp cần xác minh thì thời hạn giải "
                                        "quyết không quá 05 ngày làm việc"],
        ["1.000895", "Thủ tục B", "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"]]))
    assert errors == []
    # before: 5 days, and a dossier finished 4 days after its receipt counted on time
    assert query(db, "SELECT procedure_code, statutory_days FROM procedures ORDER BY 1") == [("1.000894", None),
                                                                                            ("1.000895", 5)]
    assert any("Dòng 2:" in w and "(trong ngày, 5 ngày)" in w for w in result["warnings"]), result["warnings"]
    load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận"],
                                                 ["KH-01", "Phường Võ Thị Sáu", "1.000894", "03/03/2025"]]))
    assert query(db, "SELECT due_at FROM dossiers") == [(None,)]


def test_a_holiday_decision_is_told_where_days_off_are_written(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "nghi_le.csv", [
        ["LỊCH NGHỈ LỄ, TẾT NĂM 2025"], ["STT", "Ngày lễ", "Thời gian nghỉ", "Ngày làm bù"],
        [1, "Tết Nguyên đán", "Từ ngày 25/01/2025 đến hết ngày 02/02/2025", ""],
        [2, "Giỗ Tổ Hùng Vương", "07/04/2025", ""]]))
    assert result is None and len(errors) == 1
    assert "lịch nghỉ lễ, ngày làm bù" in errors[0] and "etl/vocab/holidays.csv" in errors[0]


def test_targets_assigned_per_unit_one_column_per_indicator(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_xlsx(tmp_path / "giao_chi_tieu.xlsx", [
        ["GIAO CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH NĂM 2025 CHO CÁC CƠ QUAN, ĐƠN VỊ"], [],
        ["STT", "Đơn vị", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Tỷ lệ hồ sơ nộp trực tuyến (%)", "Tỷ lệ số hóa hồ sơ"],
        ["1", "Sở Tư pháp", "≥ 98%", "≥ 60%", "100%"],
        ["2", "UBND Quận 3", "≥ 95%", "-", "≥ 90%"]]))
    # before: refused as «Giống tệp kế hoạch CCHC nhất»
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT year, scope, indicator, comparator, target_value FROM targets ORDER BY 2, 3") == [
        (2025, "Q3", "digitized_rate", ">=", 0.9), (2025, "Q3", "on_time_rate", ">=", 0.95),
        (2025, "STP", "digitized_rate", ">=", 1.0), (2025, "STP", "on_time_rate", ">=", 0.98),
        (2025, "STP", "online_rate", ">=", 0.6)]


def test_a_target_set_again_with_another_value_is_said(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Năm", "Chỉ tiêu", "Phạm vi", "Giá trị"]
    assert load_one(db, write_csv(tmp_path / "kh.csv", [header, ["2025", "Tỷ lệ đúng hạn", "Toàn thành phố", "≥ 95%"],
                                                        ["2025", "Tỷ lệ số hóa hồ sơ", "Quận 3", "≥ 80%"]]))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "kh_sua.csv", [
        header, ["2025", "Tỷ lệ đúng hạn", "Toàn thành phố", "≥ 98%"], ["2025", "Tỷ lệ số hóa hồ sơ", "Quận 3", "≥ 80%"]]))
    assert errors == []
    assert query(db, "SELECT scope, target_value FROM targets ORDER BY 1") == [("Q3", 0.8), ("all", 0.98)]
    said = [w for w in result["warnings"] if "được thay" in w]
    assert said == ["1 chỉ tiêu đã có được thay bằng giá trị của tệp này («Tỷ lệ giải quyết đúng hạn, trước hạn» năm "
                    "2025, phạm vi toàn thành phố: ≥ 95 % → ≥ 98 %); nếu tệp nạp trước mới là bản đúng, hãy nạp lại "
                    "tệp đó."]


def test_a_statistics_office_list_after_the_city_list_leaves_its_units_whole(tmp_path):
    db = tmp_path / "t.duckdb"
    assert load_one(db, write_csv(tmp_path / "dv.csv", [
        ["Mã", "Tên đơn vị", "Cấp", "Đơn vị cấp trên", "Tên khác"],
        ["79", "Thành phố Hồ Chí Minh", "Tỉnh", "", "UBND TP.HCM"], ["760", "Quận 1", "Quận", "79", "UBND Q.1"],
        ["26734", "Phường Tân Định", "Phường", "760", ""]]))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "gso.csv", [GSO_WIDE[3], GSO_WIDE[5]]))
    # review: the province and district beside the ward replaced the stored ones, their other names lost
    assert errors == [] and result["rows_loaded"] == 1
    assert query(db, "SELECT unit_code, aliases FROM units WHERE unit_code IN ('79', '760') ORDER BY 1") == [
        ("760", ["UBND Q.1"]), ("79", ["UBND TP.HCM"])]
    assert not any("nạp thêm" in w for w in result["warnings"]), result["warnings"]


def test_a_city_list_with_a_bare_province_code_column_is_read_as_before(tmp_path):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "dv.csv", [
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên", "Mã tỉnh"],
        ["HCM", "Thành phố Hồ Chí Minh", "Tỉnh", "", "79"], ["Q1", "Quận 1", "Quận", "HCM", "79"],
        ["Q1_BN", "Phường Bến Nghé", "Phường", "Q1", "79"]]))
    assert errors == [] and result["warnings"] == []
    assert query(db, "SELECT unit_code, parent_code FROM units ORDER BY 1") == [("HCM", None), ("Q1", "HCM"),
                                                                              ("Q1_BN", "Q1")]


def test_an_island_district_without_communes_in_the_statistics_office_list(tmp_path):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "gso.csv", [
        GSO_WIDE[3], GSO_WIDE[4], ["79", "Thành phố Hồ Chí Minh", "788", "Huyện Côn Đảo (giả định)", "", "", "", ""]]))
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT unit_code, level, parent_code FROM units ORDER BY 1") == [
        ("26734", "ward", "760"), ("760", "district", "79"), ("788", "district", "79"), ("79", "province", None)]


def test_namesake_districts_of_two_provinces_are_not_said(tmp_path):
    db = tmp_path / "t.duckdb"
    header = ["Mã", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"]
    assert load_one(db, write_csv(tmp_path / "tg.csv", [header, ["82", "Tỉnh Tiền Giang", "Tỉnh", ""],
                                                        ["820", "Huyện Châu Thành", "Huyện", "82"]]))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "bt.csv", [header, ["83", "Tỉnh Bến Tre", "Tỉnh", ""],
                                                                  ["831", "Huyện Châu Thành", "Huyện", "83"]]))
    assert errors == [] and not any("trùng tên" in w for w in result["warnings"]), result["warnings"]


def test_a_same_day_words_inside_a_clause_of_days_leave_the_days(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [
        ["Mã thủ tục", "Thời hạn giải quyết"],
        ["1.000001", "10 ngày làm việc kể từ ngày nhận đủ hồ sơ; Trường hợp hồ sơ nộp trong ngày nghỉ, lễ thì tính từ "
                     "ngày làm việc kế tiếp"],
        ["1.000002", "05 ngày làm việc; hồ sơ nộp sau 15 giờ được trả trong ngày làm việc tiếp theo"],
        ["1.000003", "Trong ngày; trường hợp phức tạp không quá 03 ngày làm việc"]]))
    assert errors == []
    assert query(db, "SELECT procedure_code, statutory_days FROM procedures ORDER BY 1") == [
        ("1.000001", 10), ("1.000002", 5), ("1.000003", None)]


def _fixture_codes(level: str) -> list[str]:
    """The codes of a level in the fixture unit list, read from the CSV itself (not through the loader)."""
    import csv
    from tests.conftest import FIXTURES
    with open(FIXTURES / "units.csv", encoding="utf-8") as f:
        return sorted(r["code"] for r in csv.DictReader(f) if r["level"] == level)


def test_an_annex_part_of_a_level_links_its_procedures_to_every_unit_of_that_level(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_xlsx(tmp_path / "phu_luc.xlsx", [
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC CÔNG BỐ"], ["STT", "Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết"],
        ["A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH"], ["I. Lĩnh vực Tư pháp"], [1, "2.001000", "Cấp phiếu lý lịch tư pháp", "10 ngày"],
        ["B. THỦ TỤC HÀNH CHÍNH CẤP XÃ"], ["I. Lĩnh vực Hộ tịch"], [1, "1.001193", "Đăng ký khai sinh", "Trong ngày"],
        [2, "1.000894", "Đăng ký kết hôn", "05 ngày làm việc"]]))
    assert errors == [] and result["rows_loaded"] == 3
    wards = _fixture_codes("ward")
    # before: no procedure linked to any unit, and nothing said
    assert query(db, "SELECT procedure_code, list(unit_code ORDER BY unit_code) FROM procedure_units GROUP BY 1 "
                     "ORDER BY 1") == [("1.000894", wards), ("1.001193", wards)]
    said = [w for w in result["warnings"] if "không ghi cơ quan hay cấp thực hiện" in w]
    assert len(said) == 1 and said[0].startswith("1 thủ tục không ghi cơ quan hay cấp thực hiện (2.001000)"), said


def test_a_list_of_one_level_named_in_its_title(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "tthc_xa.csv", [
        ["DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP HUYỆN"],
        ["STT", "Mã thủ tục", "Tên thủ tục"], [1, "1.004227", "Cấp giấy phép xây dựng"]]))
    assert errors == [] and result["warnings"] == []
    assert query(db, "SELECT list(unit_code ORDER BY unit_code) FROM procedure_units") == [(_fixture_codes("district"),)]
