"""Eighteenth loader probe: statuses as more systems word them («Đã trả KQ», «Đã giải quyết xong», «Đang giải quyết
quá hạn»), a status no word reads beside a hand-over date only, and satisfaction questions that name another element's
words («… về công chức tiếp nhận, giải quyết thủ tục hành chính?») or are worded otherwise («Mức độ hài lòng của Ông/Bà
đối với …»). Expected values are counted by hand."""
import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from indicators import Period, compute_sipas
from tests.conftest import ROOT
from tests.files import database_with_units, load_one, march_total, query, write_csv

@pytest.mark.parametrize("status, finished", [
    ("Đã trả KQ", True), ("Đã trả kết quả cho công dân", True), ("Hoàn thành - Đã trả kết quả", True),
    ("Đã trả kết quả trực tuyến", True), ("Trả kết quả", True), ("Đã giải quyết", True),
    ("Đã giải quyết xong", True), ("Giải quyết xong", True), ("Đã có KQ", True),
    ("Đang giải quyết quá hạn", False), ("Đang xử lý trễ hạn", False), ("Chờ bổ sung hồ sơ", False),
])
def test_statuses_as_more_systems_word_them(tmp_path, status, finished):
    db = database_with_units(tmp_path)
    # received 01/03, due 05/03, handed over 04/03 — no «Ngày có kết quả»: the hand-over date is the finish only for a
    # status 9 or 10 (indicators.md §1)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả KQ", "Trạng thái"],
        ["K1", "Sở Tư pháp", "01/03/2022", "05/03/2022", "04/03/2022" if finished else "", status]]),
        as_of=date(2022, 3, 31))
    # before: each was an unknown status; a finished dossier counted pending, and overdue after 05/03
    assert errors == [] and result["unrecognized_values"] == [], result["unrecognized_values"]
    total = march_total(db)
    assert (total["resolved_early"], total["pending_overdue"]) == ((1, 0) if finished else (0, 1))


def test_an_unread_status_beside_a_hand_over_date_only_is_said(tmp_path):
    db = database_with_units(tmp_path)
    result, _ = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả KQ", "Trạng thái"],
        ["K1", "Sở Tư pháp", "01/03/2022", "05/03/2022", "04/03/2022", "Xong rồi"]]))
    said = [w for w in result["warnings"] if "trạng thái không nhận ra" in w]
    assert len(said) == 1 and "(«Xong rồi»)" in said[0] and "dòng 2" in said[0], result["warnings"]


def _questionnaire(path, questions: list[str], answers: list[list[str]]):
    rows = [["Dấu thời gian", "Đơn vị", *questions]]
    rows += [[f"0{i + 1}/06/2024 09:00:00", "Quận 3", *a] for i, a in enumerate(answers)]
    return write_csv(path, rows)


def _sipas(db) -> dict:
    proc = subprocess.run([sys.executable, "-m", "indicators", "sipas", "--db", str(db), "--period", "2024",
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return json.loads(proc.stdout)["total"]


def test_satisfaction_questions_are_read_by_the_element_they_ask_of(tmp_path):
    db = database_with_units(tmp_path)
    questions = ["Câu 6. Ông/Bà hài lòng như thế nào về việc tiếp cận dịch vụ?",
                 "Câu 7. Ông/Bà hài lòng như thế nào về TTHC?",
                 "Câu 8. Ông/Bà hài lòng như thế nào về công chức tiếp nhận, giải quyết thủ tục hành chính?",
                 "Câu 9. Ông/Bà hài lòng như thế nào về kết quả giải quyết thủ tục hành chính?",
                 "Câu 10. Ông/Bà hài lòng như thế nào về kết quả xử lý góp ý, phản ánh, kiến nghị?"]
    yes, no = "Hài lòng", "Không hài lòng"
    # five questionnaires: elements 1, 3, 5 satisfied in all; elements 2 and 4 in one of five
    answers = [[yes, yes, yes, yes, yes]] + [[yes, no, yes, no, yes]] * 4
    result, errors = load_one(db, _questionnaire(tmp_path / "phieu.csv", questions, answers))
    assert errors == [] and result["rows_loaded"] == 5
    total = _sipas(db)
    # (1 + 0,2 + 1 + 0,2 + 1) / 5 = 0,68; before: element 3's question was read as element 2's (1,0), element 4's
    # dropped, element 5's read as element 4's: SIPAS 1,0
    assert {e: total["elements"][e]["index"] for e in "12345"} == pytest.approx(
        {"1": 1.0, "2": 0.2, "3": 1.0, "4": 0.2, "5": 1.0})
    assert total["sipas"] == pytest.approx(0.68)


def test_satisfaction_questions_worded_otherwise(tmp_path):
    db = database_with_units(tmp_path)
    questions = ["Mức độ hài lòng của Ông/Bà đối với việc tiếp cận dịch vụ",
                 "Ông/Bà đánh giá mức độ hài lòng về thủ tục hành chính",
                 "Sự hài lòng của Ông/Bà về công chức giải quyết công việc",
                 "Mức độ hài lòng về Yếu tố 4",
                 "Mức độ hài lòng của Ông/Bà về việc tiếp nhận, giải quyết góp ý, phản ánh"]
    answers = [["Rất hài lòng"] * 5, ["Không hài lòng"] * 5, ["Bình thường"] * 5, ["Hài lòng"] * 4 + ["Không hài lòng"]]
    result, errors = load_one(db, _questionnaire(tmp_path / "phieu.csv", questions, answers))
    assert errors == [] and not [c for c in result["ignored_columns"] if "hài lòng" in c.lower()], result["ignored_columns"]
    total = _sipas(db)
    # elements 1–4: 2 of 4 satisfied; element 5: 1 of 4 → (0,5 × 4 + 0,25) / 5 = 0,45
    assert total["sipas"] == pytest.approx(0.45)


_UNITS_2025 = [["code", "name", "level", "parent_code", "valid_from", "valid_to", "successor_code"],
               ["HCM", "Thành phố Hồ Chí Minh", "province", "", "", "", ""],
               ["Q1", "Quận 1", "district", "HCM", "", "2025-06-30", ""],
               ["Q1_BT", "Phường Bến Thành", "ward", "Q1", "", "2025-06-30", "P_BT"],
               ["P_BT", "Phường Bến Thành", "ward", "HCM", "2025-07-01", "", ""],
               ["Q3", "Quận 3", "district", "HCM", "", "", ""],
               ["Q3_P1", "Phường 1", "ward", "Q3", "", "", ""], ["Q1_P1", "Phường 1", "ward", "Q1", "", "", ""]]
_EXPORT_2025 = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                ["A04", "UBND Phường Bến Thành", "10/06/2025"], ["A05", "UBND Phường Bến Thành", "15/07/2025"],
                ["A06", "Phường 1", "10/06/2025"]]


@pytest.mark.parametrize("units_first", [True, False])
def test_a_new_ward_keeping_an_old_wards_name_takes_the_dossiers_of_its_days(tmp_path, units_first):
    db = tmp_path / "t.duckdb"
    files = [write_csv(tmp_path / "dv.csv", _UNITS_2025), write_csv(tmp_path / "hs.csv", _EXPORT_2025)]
    for path in files if units_first else files[::-1]:
        assert load_one(db, path)[1] == []
    # before: both «Phường Bến Thành» named no unit (two units go by it), so A04 and A05 were unmatched in every
    # period; «Phường 1» of two districts in force together still names none
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
        ("A04", "Q1_BT"), ("A05", "P_BT"), ("A06", None)]


def _yearly_questionnaires(tmp_path, years: list[int]):
    """One questionnaire per year, criterion 1.1 and HL1 answered «Hài lòng»."""
    db = database_with_units(tmp_path)
    rows = [["Dấu thời gian", "Đơn vị", "Câu 1.1", "HL1"]] + [[f"05/06/{y} 09:00:00", "Quận 3", "Hài lòng", "Hài lòng"]
                                                              for y in years]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", rows))
    assert errors == []
    return db, result


def test_a_questionnaire_of_2023_on_read_with_the_2017_catalogue_is_said(tmp_path):
    _, result = _yearly_questionnaires(tmp_path, [2024])
    said = [w for w in result["warnings"] if "phương pháp" in w]
    assert len(said) == 1 and said[0].startswith("Phiếu năm 2024 được đọc theo bộ tiêu chí của phương pháp 2017")
    _, result = _yearly_questionnaires(tmp_path / "b", [2022])
    assert not [w for w in result["warnings"] if "phương pháp" in w]
    # every such year, not only the latest (probe 46: a file of 2023 and one 2024 questionnaire said «năm 2024»)
    _, result = _yearly_questionnaires(tmp_path / "c", [2022, 2023, 2023, 2024])
    said = [w for w in result["warnings"] if "phương pháp" in w]
    assert len(said) == 1 and said[0].startswith("Phiếu năm 2023, 2024 được đọc theo bộ tiêu chí")


def test_criteria_are_not_compared_with_last_year_across_two_methods(tmp_path):
    db, _ = _yearly_questionnaires(tmp_path, [2022, 2023])
    con = duckdb.connect(str(db))
    try:
        total = compute_sipas(con, Period(date(2023, 1, 1), date(2023, 12, 31)))["total"]
        assert total["criteria"]["1.1"]["last_year_index"] == 1.0   # one method: compared
        # a method of 2023 (its 1.1 another question under the same code), as a user adds it to the catalogue
        con.execute("""INSERT INTO sipas_catalogue SELECT '2023', 2023, * EXCLUDE (method, from_year)
                       FROM sipas_catalogue WHERE method = '2017'""")
        total = compute_sipas(con, Period(date(2023, 1, 1), date(2023, 12, 31)))["total"]
    finally:
        con.close()
    # before: 2023's 1.1 was compared with 2017's 1.1; the elements still are
    assert total["criteria"]["1.1"]["last_year_index"] is None
    assert total["elements"]["1"]["last_year_index"] == 1.0


def test_a_dossier_received_by_a_unit_outside_its_validity_is_said(tmp_path):
    db = tmp_path / "t.duckdb"
    assert load_one(db, write_csv(tmp_path / "dv.csv", _UNITS_2025))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                                                                  ["B1", "Quận 1", "15/06/2025"],
                                                                  ["B2", "Quận 1", "02/07/2025"]]))
    # Quận 1 ended 30/06/2025: B2 loads under it, as written, and is said
    assert errors == [] and result["rows_loaded"] == 2
    said = [w for w in result["warnings"] if "ngoài thời gian hiệu lực" in w]
    assert len(said) == 1 and said[0].startswith("1 hồ sơ được tiếp nhận ngoài thời gian hiệu lực của đơn vị ghi trong "
                                                 "tệp («Quận 1»; dòng 3)"), result["warnings"]


def test_a_successions_file_by_names_tells_an_old_and_a_new_unit_of_one_name_apart(tmp_path):
    db = tmp_path / "t.duckdb"
    units = [row[:6] + [""] for row in _UNITS_2025]   # the units without their successors
    units[0][6] = "successor_code"
    assert load_one(db, write_csv(tmp_path / "dv.csv", units))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "sap_xep.csv", [
        ["Tên đơn vị cũ", "Tên đơn vị mới", "Tỷ lệ", "Ngày hiệu lực"],
        ["Phường Bến Thành", "Phường Bến Thành", "100%", "01/07/2025"]]))
    # before: refused, «không có đơn vị mới «Phường Bến Thành» trong danh mục» — the name is two units'
    assert errors == [] and result["rows_loaded"] == 1
    assert query(db, "SELECT predecessor_code, successor_code, share FROM unit_successions") == [("Q1_BT", "P_BT", 1.0)]
    # without the day, the two cannot be told apart: the message says the name is two units'
    _, errors = load_one(db, write_csv(tmp_path / "sap_xep2.csv", [["Tên đơn vị cũ", "Tên đơn vị mới", "Tỷ lệ"],
                                                                   ["Phường Bến Thành", "Phường Bến Thành", "100%"]]))
    assert len(errors) == 1 and "«Phường Bến Thành» là tên của 2 đơn vị trong danh mục" in errors[0]
