"""Thirty-ninth loader probe: procedure catalogues, questionnaires, targets and unit lists in layouts earlier probes
did not try. Expected values are counted by hand; each test failed on the code before its fix."""
from etl.references.procedures import _statutory_days
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx


def test_two_limits_each_with_its_note_are_two_limits():
    warnings = []
    text = "07 ngày làm việc (đối với hồ sơ nộp trực tiếp); 05 ngày làm việc (đối với hồ sơ nộp trực tuyến)"
    # before: 7, the second limit taken away with the notes (one match from the first «(» to the last «)»)
    assert _statutory_days(text, 4, warnings) is None
    assert len(warnings) == 1 and "5 ngày, 7 ngày" in warnings[0]
    # a note holding a digit-free text and a count in brackets still read as before
    assert _statutory_days("05 (năm) ngày làm việc (kể từ ngày nhận đủ hồ sơ)", 5, []) == 5
    assert _statutory_days("(15) ngày", 6, []) == 15


def test_criteria_written_tc1_without_a_space_under_their_element(tmp_path):
    """«Yếu tố 1» merged over «TC1 | TC2 | HL», as paper forms are typed into Excel: criteria 1.1, 1.2 (before:
    only «TC 1» with a space was read, «TC1» columns were listed as ignored, every criterion index missing)."""
    db = database_with_units(tmp_path)
    rows = [["PHIẾU KHẢO SÁT NĂM 2025"],
            ["Số phiếu", "Đơn vị", "Yếu tố 1", None, None, "Yếu tố 2", None],
            [None, None, "TC1", "TC2", "HL", "TC1", "HL"],
            ["1", "Quận 3", 4, 2, 4, 5, 5], ["2", "Quận 3", 5, 4, 3, 3, 4]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2 and result["ignored_columns"] == []
    # favourable (4–5) over valid answers, by hand: 1.1 4,5 → 2/2; 1.2 2,4 → 1/2; 2.1 5,3 → 1/2; HL1 4,3 → 1/2;
    # HL2 5,4 → 2/2. The «HL» under each group is that element's satisfaction question, though «HL» is also an answer.
    assert query(db, """SELECT item_code, count(*) FILTER (WHERE is_favourable), count(*) FILTER (WHERE is_valid)
                        FROM survey_answers GROUP BY 1 ORDER BY 1""") == [
        ("1.1", 2, 2), ("1.2", 1, 2), ("2.1", 1, 2), ("HL1", 1, 2), ("HL2", 2, 2)]


def test_indicator_names_with_added_words_or_an_abbreviation_in_brackets(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ct.csv", [
        ["Năm", "Chỉ tiêu", "Phạm vi", "Giá trị"],
        ["2025", "Tỷ lệ hồ sơ TTHC được giải quyết trước hạn, đúng hạn", "Toàn thành phố", "> 98%"],
        ["2025", "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS)",
         "Toàn thành phố", "≥ 87,5%"]]))
    assert errors == []
    # before: both stored under their sentence, said as no indicator the tool computes
    assert query(db, "SELECT indicator, comparator, target_value FROM targets ORDER BY 1") == [
        ("on_time_rate", ">", 0.98), ("sipas", ">=", 0.875)]


def test_a_note_in_brackets_still_tells_two_indicators_apart():
    from etl.references.targets import _target_keys, _loose_key
    from model.indicator_table import target_names
    keys = _target_keys()
    # every name an indicator is known by still finds its own key, loosely written too when that form is its own
    for key, texts in target_names().items():
        for text in texts:
            assert keys.get(_loose_key(text), key) == key, text


def test_a_mapping_file_names_the_columns_of_a_unit_list(tmp_path):
    db = tmp_path / "u.duckdb"
    rows = [["DANH SÁCH CÁC ĐƠN VỊ HÀNH CHÍNH CẤP XÃ MỚI"],
            ["STT", "Tên ĐVHC cấp xã sau sắp xếp", "Mã ĐVHC", "Loại", "Các ĐVHC cấp xã trước sắp xếp"],
            ["1", "Phường Sài Gòn", "26734", "Phường", "Phường Bến Nghé, một phần Phường Đa Kao"],
            ["2", "Đặc khu Côn Đảo", "26560", "Đặc khu", "Huyện Côn Đảo"]]
    path = write_csv(tmp_path / "dvhc.csv", rows)
    result, errors = load_one(db, path, kind="units")
    assert result is None and "danh mục đơn vị" in errors[0]   # without the mapping: refused, as before
    mapping = [("name", "Tên ĐVHC cấp xã sau sắp xếp"), ("level", "Loại")]
    result, errors = load_one(db, path, kind="units", extra_aliases=mapping)
    # before: refused the same way, the mapping accepted by the checks and then not used
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT unit_code, unit_name, level FROM units ORDER BY 1") == [
        ("26560", "Đặc khu Côn Đảo", "ward"), ("26734", "Phường Sài Gòn", "ward")]


def test_a_province_level_in_the_level_column_links_no_unit_and_is_said(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Thời hạn giải quyết", "Cấp thực hiện"],
            ["1.003622", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "05 ngày làm việc", "Cấp Tỉnh"],
            ["1.000656", "Đăng ký kết hôn", "Hộ tịch", "03 ngày làm việc", "Cấp Tỉnh, Cấp Xã"],
            ["1.001193", "Đăng ký khai tử", "Hộ tịch", "03 ngày làm việc", "UBND Thành phố"]]
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", rows), kind="procedures")
    assert errors == []
    wards = query(db, "SELECT count(*) FROM units WHERE level = 'ward'")[0][0]
    province = query(db, "SELECT unit_code FROM units WHERE level = 'province'")[0][0]
    links = query(db, "SELECT procedure_code, count(*), count(*) FILTER (WHERE unit_code = $p) FROM procedure_units "
                      "GROUP BY 1 ORDER BY 1", {"p": province})
    # before: 1.003622 and 1.000656 linked to the province's own unit; «UBND Thành phố» names that unit, as before
    assert links == [("1.000656", wards, 0), ("1.001193", 1, 1)]
    said = [w for w in result["warnings"] if "«Cấp tỉnh»" in w]
    assert len(said) == 1 and said[0].startswith("2 thủ tục") and "1.000656, 1.003622" in said[0]
    assert not [w for w in result["warnings"] if "không ghi cơ quan hay cấp thực hiện" in w]
