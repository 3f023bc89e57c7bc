"""Plan targets given one value column per unit level («Chỉ tiêu | Cấp tỉnh | Cấp huyện | Cấp xã»), as a Sở Nội vụ
types the plan's table, and «Cấp tỉnh» read as the provincial agencies (sở, ban, ngành) that form 06a lists under it.
Expected rows are read off the files by hand."""
from datetime import date

import duckdb
import pytest

from indicators import Period, compute_indicator
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

TITLE = ["CHỈ TIÊU KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"]


def _targets(db):
    return sorted(query(db, "SELECT year, scope, indicator, comparator, round(target_value, 4) FROM targets"))


def test_one_value_column_per_level(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_csv(tmp_path / "chi_tieu.csv", [
        TITLE,
        ["STT", "Chỉ tiêu", "So sánh", "Toàn thành phố", "Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"],
        ["1", "Tỷ lệ giải quyết đúng hạn", ">=", "99%", "100%", "98%", "95%"],
        ["2", "Tỷ lệ hồ sơ trực tuyến", "Tối thiểu", "", "50%", "40%", "-"],     # «-»: no target for wards
        ["3", "Tỷ lệ văn bản xử lý trên môi trường mạng", ">=", "", "100%", "80%", "70%"],
        ["4", "Chỉ số hài lòng SIPAS", ">=", "", "", "", ""],                     # nothing to store
    ], delimiter=";", bom=True)
    result, errors = load_one(db, plan)
    assert errors == []
    assert _targets(db) == sorted([
        (2022, "all", "on_time_rate", ">=", 0.99), (2022, "department", "on_time_rate", ">=", 1.0),
        (2022, "district", "on_time_rate", ">=", 0.98), (2022, "ward", "on_time_rate", ">=", 0.95),
        (2022, "department", "online_rate", ">=", 0.5), (2022, "district", "online_rate", ">=", 0.4),
        (2022, "department", "Tỷ lệ văn bản xử lý trên môi trường mạng", ">=", 1.0),
        (2022, "district", "Tỷ lệ văn bản xử lý trên môi trường mạng", ">=", 0.8),
        (2022, "ward", "Tỷ lệ văn bản xử lý trên môi trường mạng", ">=", 0.7)])
    # lines 1–3 set targets; line 4 sets none and is said; every line is loaded or skipped
    assert (result["rows_loaded"], result["rows_skipped"]) == (3, 1)
    said = result["warnings"]
    assert any("Chỉ số hài lòng SIPAS" in w and "không ghi giá trị" in w for w in said)
    # the target the tool cannot compute is said once for its line, not once per level
    assert sum("Tỷ lệ văn bản xử lý trên môi trường mạng" in w for w in said) == 1


def test_level_columns_in_a_workbook_with_a_year_column(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_xlsx(tmp_path / "chi_tieu.xlsx", [
        ["Năm", "Tên chỉ tiêu", "Cấp tỉnh", "Cấp huyện", "Cấp xã"],
        [2023, "Tỷ lệ hồ sơ giải quyết đúng hạn", "≥ 98%", "≥ 97%", "95% trở lên"],
    ])
    _, errors = load_one(db, plan)
    assert errors == []
    assert _targets(db) == [(2023, "department", "on_time_rate", ">=", 0.98),
                            (2023, "district", "on_time_rate", ">=", 0.97), (2023, "ward", "on_time_rate", ">=", 0.95)]


def test_a_bare_number_under_a_level_is_refused_naming_the_row(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_csv(tmp_path / "chi_tieu.csv", [
        ["Năm", "Chỉ tiêu", "Cấp huyện", "Cấp xã"], ["2022", "Tỷ lệ hồ sơ trực tuyến", "40%", "30%"]])
    _, errors = load_one(db, plan)
    assert len(errors) == 1 and "dòng 2: không rõ phép so sánh" in errors[0]
    assert _targets(db) == []


def test_the_missing_columns_message_does_not_ask_for_a_year_the_title_gives(tmp_path):
    db = database_with_units(tmp_path)
    plan = write_csv(tmp_path / "chi_tieu.csv", [TITLE, ["STT", "Chỉ tiêu", "Căn cứ"], ["1", "Tỷ lệ", "KH 10"]])
    _, errors = load_one(db, plan)
    assert len(errors) == 1 and "thiếu cột «Giá trị»" in errors[0] and "«Năm»" not in errors[0].split("thiếu")[1]


def test_a_province_level_target_applies_to_the_departments(tmp_path):
    """«Phạm vi: Cấp tỉnh» (before: stored for the city's own figure only, so no department showed it)."""
    db = database_with_units(tmp_path)
    dossiers = write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
        ["A1", "Sở Tư pháp", "01/03/2022", "10/03/2022", "05/03/2022", "10"],
        ["A2", "Sở Tư pháp", "01/03/2022", "10/03/2022", "15/03/2022", "10"]])
    plan = write_csv(tmp_path / "chi_tieu.csv", [
        ["Năm", "Phạm vi", "Chỉ tiêu", "Giá trị"], ["2022", "Cấp tỉnh", "on_time_rate", "≥ 95%"]])
    for path in (dossiers, plan):
        assert load_one(db, path)[1] == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        res = compute_indicator(con, "on_time_rate", Period(date(2022, 3, 1), date(2022, 3, 31)), by="unit")
    finally:
        con.close()
    stp = {r["key"]: r for r in res["rows"]}["STP"]
    assert (stp["value"], stp["comparator"], stp["target"], stp["is_met"]) == (0.5, ">=", pytest.approx(0.95), False)
