"""Thirty-sixth probe, questionnaires: published results per unit and element with the rate written as a fraction
of three decimals («0,865», «0.865»), read as 865 (thousands) and the line rejected, the unit left without its
SIPAS. Expected values are computed by hand."""
import pytest

from tests.files import database_with_units, load_one, query, write_csv


@pytest.mark.parametrize("rate", ["0,865", "0.865", "86,5%", "86.5"])
def test_a_published_rate_written_as_a_fraction_of_three_decimals(tmp_path, rate):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "tong_hop.csv", [
        ["Đơn vị", "Năm", "Yếu tố", "Tỷ lệ hài lòng", "Số phiếu hợp lệ"],
        ["Quận 3", "2021", "1", rate, "120"], ["Quận 3", "2021", "2", "0,9", "120"]]))
    assert errors == [] and result["rows_rejected"] == 0, result and result["rejects"]
    assert query(db, "SELECT element_no, round(satisfied_rate, 4) FROM survey_aggregates ORDER BY 1") == [
        (1, 0.865), (2, 0.9)]


def test_amounts_grouped_in_thousands_still_read_as_before(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Phí, lệ phí"],
        ["A1", "Phường 9", "01/03/2024", "1.000.000"], ["A2", "Phường 9", "01/03/2024", "50,000"],
        ["A3", "Phường 9", "01/03/2024", "0,000"], ["A4", "Phường 9", "01/03/2024", "865"]]))
    assert errors == []
    assert query(db, "SELECT dossier_code, fee_amount FROM dossiers ORDER BY 1") == [
        ("A1", 1_000_000.0), ("A2", 50_000.0), ("A3", 0.0), ("A4", 865.0)]


def test_a_questionnaire_scored_out_of_ten_is_told_so(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã phiếu", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL4", "HL5"]]
    rows += [[f"P{i}", "Quận 3", "2024", *[str(6 + (i + j) % 5) for j in range(5)]] for i in range(8)]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", rows))
    # before: «tệp giống bảng kết quả tổng hợp (tỷ lệ % theo tiêu chí)»
    assert result is None and len(errors) == 1 and "thang 10 điểm" in errors[0] and "40/40 ô" in errors[0]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]


def test_an_expectation_option_no_method_has_is_said_not_read(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã phiếu", "Đơn vị", "Năm", "HL1", "MD1", "MD8"], ["P1", "Quận 3", "2024", "4", "x", "x"],
            ["P2", "Quận 3", "2024", "5", "", "x"]]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", rows))
    assert errors == [] and result["rows_loaded"] == 2
    # before: MD8 stored and shown as an expectation named «MD8»
    assert "MD8" in result["ignored_criteria"]
    assert query(db, "SELECT DISTINCT item_code FROM survey_answers WHERE item_type = 'expectation'") == [("MD1",)]
