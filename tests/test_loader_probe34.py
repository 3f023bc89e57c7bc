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
