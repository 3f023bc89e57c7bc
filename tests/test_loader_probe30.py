"""Thirtieth loader probe: reference files as agencies keep them — a national-catalogue export naming the agency in
its own words («UBND huyện, quận, thành phố trực thuộc tỉnh, thị xã»), one code listed per level with three time
limits, a fee free for some and charged to others, a sector heading in capitals; a targets appendix with a «Đơn vị
tính» column. Expected values are read off the rows written here."""
from tests.files import database_with_units, load_one, query, write_csv

CATALOGUE = [
    ["STT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cơ quan thực hiện", "Thời hạn giải quyết", "Phí, lệ phí"],
    ["I. LĨNH VỰC HỘ TỊCH"],
    [1, "2.000913", "Cấp bản sao trích lục hộ tịch", "", "Cấp tỉnh", "10 ngày làm việc",
     "Miễn phí đối với hộ gia đình; 1.500.000 đồng/hồ sơ đối với tổ chức"],
    [2, "2.000913", "Cấp bản sao trích lục hộ tịch", "", "Cấp huyện", "05 ngày làm việc", ""],
    [3, "1.001009", "Đăng ký hộ kinh doanh", "Thành lập hộ kinh doanh",
     "Ủy ban Nhân dân huyện, quận, thành phố trực thuộc tỉnh, thị xã.", "03 ngày làm việc", "100.000 đồng"],
    [4, "1.004946", "Thẩm định dự toán", "Tài chính", "Phòng Tài chính - Kế hoạch", "5", "Không"],
]
CATALOGUE[0].append("Mức độ DVC")
CATALOGUE[-1].append("Dịch vụ cung cấp thông tin trực tuyến")   # no online service (left unread before)


def test_a_national_catalogue_export_is_read_as_its_words_say(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "danh_muc.csv", CATALOGUE))
    assert errors == []
    procedures = {code: rest for code, *rest in query(
        db, "SELECT procedure_code, field_name, statutory_days, has_fee FROM procedures")}
    # the heading's sector as the catalogue writes sectors (it stood beside «Hộ tịch» as «HỘ TỊCH»); a fee free for
    # households only is a fee (read as none); one time limit per code, the last line's, said (silently before)
    assert procedures["2.000913"] == ["Hộ tịch", 5, True]
    [said] = [w for w in result["warnings"] if "2.000913" in w and "thời hạn khác nhau" in w]
    assert "thời hạn khác nhau (10, 5 ngày làm việc" in said and "là của dòng cuối (5 ngày)" in said
    # the national catalogue's wording for the district level names every district (it was stored as the text)
    districts = {c for (c,) in query(db, "SELECT unit_code FROM units WHERE level = 'district'")}
    linked = {c for (c,) in query(db, "SELECT unit_code FROM procedure_units WHERE procedure_code = '1.001009'")}
    assert districts and linked == districts
    # an agency no unit goes by: said, with the procedure (it left every unit's catalogue without a word)
    [agency] = [w for w in result["warnings"] if "Phòng Tài chính - Kế hoạch" in w]
    assert "1 thủ tục (1.004946) chưa thuộc danh mục thủ tục của đơn vị nào" in agency
    assert query(db, "SELECT online_level FROM procedures WHERE procedure_code = '1.004946'") == [("none",)]
    assert not [w for w in result["warnings"] if "mức độ dịch vụ công" in w]


def test_a_targets_appendix_with_a_unit_column_reads_its_percentages(tmp_path):
    """«Tỷ lệ hồ sơ trễ hạn | % | Dưới | 1» is below 1 %: the rule «a number above 1 is a percentage» read it as
    100 %, and a city with 35,7 % late dossiers met it (probe 30)."""
    db = database_with_units(tmp_path)
    rows = [["Năm", "Phạm vi", "Chỉ tiêu", "Đơn vị tính", "So sánh", "Giá trị"],
            [2022, "Toàn thành phố", "Tỷ lệ hồ sơ trễ hạn", "%", "Dưới", "1"],
            [2022, "Toàn thành phố", "Tỷ lệ hồ sơ giải quyết đúng hạn", "", "≥", "0,95"],
            [2022, "Toàn thành phố", "Tỷ lệ đồng bộ hồ sơ lên Cổng DVCQG", "Tỷ lệ (%)", "", "100"]]
    result, errors = load_one(db, write_csv(tmp_path / "chi_tieu.csv", rows))
    assert errors == [] and result["rows_loaded"] == 3
    assert sorted(query(db, "SELECT indicator, comparator, target_value FROM targets")) == [
        ("late_rate", "<", 0.01), ("on_time_rate", ">=", 0.95), ("sync_rate", ">=", 1.0)]


def test_a_unit_list_with_a_code_twice_names_the_lines(tmp_path):
    """«mã đơn vị 'Q3_P10' xuất hiện nhiều lần» named no line of a list of hundreds (probe 28)."""
    rows = [["code", "name", "level", "parent_code"], ["HCM", "Thành phố Hồ Chí Minh", "province", ""],
            ["Q3", "Quận 3", "district", "HCM"], ["Q3_P10", "Phường 10", "ward", "Q3"],
            ["Q3_P11", "Phường 11", "ward", "Q3"], ["Q3_P10", "Phường 12", "ward", "Q3"]]
    result, errors = load_one(tmp_path / "cchc.duckdb", write_csv(tmp_path / "don_vi.csv", rows))
    assert result is None and errors == [
        "Tệp don_vi.csv: mã đơn vị xuất hiện nhiều lần: 'Q3_P10' ở các dòng 4, 6. Không nạp dòng nào từ tệp này."]
