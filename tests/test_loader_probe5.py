"""Fifth loader probe: the council's PAR INDEX workbooks, CCHC plans and progress reports, 766 inputs and the
paper-result list as agencies send them — units down with criteria across, a 2022 workbook published by a 2023
decision, «Công an Thành phố», late completions written with their delay, 'Quí', '9 tháng đầu năm'. Every expected
value is worked out by hand in the comments."""
from datetime import date

import pytest

from etl.index766.periods import PERIOD_MACRO_SQL
from etl.core.database import connect
from etl.par.vocab import is_total_text, year_in_texts
from etl.plans.deadlines import parse_deadline
from etl.plans.vocab import status_of
from tests.files import load_one, query, write_csv, write_xlsx
from tests.par_files import FRAMEWORK_CSV, UNITS, load, write_text


def _par_db(tmp_path):
    db = tmp_path / "cchc.duckdb"
    results, errors = load(db, [write_text(tmp_path / "don_vi.csv", UNITS), write_text(tmp_path / "tc.csv", FRAMEWORK_CSV)])
    assert errors == []
    return db


def test_units_down_criteria_across_with_self_and_council_scores(tmp_path):
    # «1.1 (3 điểm)» over «TĐG | TĐ», a unit per row. Before: read as long scores, the STT taken for the code
    # ('1' — the whole area), one pair of cells kept per unit, the other criteria dropped without a word.
    db = _par_db(tmp_path)
    rows = [["BẢNG ĐIỂM THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2022 - KHỐI QUẬN, HUYỆN"],
            ["STT", "Đơn vị", "1.1 (3 điểm)", None, "1.2 (2 điểm)", None, "2.1 (5 điểm)", None],
            ["STT", "Đơn vị", "TĐG", "TĐ", "TĐG", "TĐ", "TĐG", "TĐ"],
            [1, "Quận 1", "3", "2,5", "2", "2", "5", "4"], [2, "Quận 3", "2", "2", "1", "1", "4", "4"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "tham_dinh.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 6
    assert query(db, "SELECT unit_code, code, self_score, appraised_score FROM par_scores ORDER BY 1, 2") == [
        ("Q1", "1.1", 3, 2.5), ("Q1", "1.2", 2, 2), ("Q1", "2.1", 5, 4),
        ("Q3", "1.1", 2, 2), ("Q3", "1.2", 1, 1), ("Q3", "2.1", 4, 4)]


def test_the_assessed_year_is_not_the_publishing_decisions():
    # before: two years in the title lines, none taken, every score rejected for a missing year
    assert year_in_texts(["KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022",
                          "(Kèm theo Quyết định số 456/QĐ-UBND ngày 10/3/2023 của UBND Thành phố)"]) == 2022
    assert year_in_texts(["Kèm theo Quyết định ngày 10 tháng 3 năm 2023", "NĂM 2022"]) == 2022
    assert year_in_texts(["ngày 10/3/2023"]) == 2023        # a date alone still gives its year
    assert year_in_texts(["Năm 2021 và 2022"]) is None


@pytest.mark.parametrize("text, total", [("Tổng cộng", True), ("TỔNG CỘNG", True), ("Cộng", True),
                                         ("Cộng lĩnh vực I", True), ("Tong cong (I+II)", True), ("Tổng điểm", True),
                                         ("Công an Thành phố", False), ("Tổng cục Thuế", False),
                                         ("Tổng công ty Điện lực", False)])
def test_a_unit_whose_name_starts_like_a_total_is_a_unit(text, total):
    # 'Công an Thành phố' (norm_key 'cong an …') was a «Cộng» line: its scores skipped, said nowhere
    assert is_total_text(text) is total


@pytest.mark.parametrize("text, status", [
    ("Hoàn thành trễ hạn 5 ngày", "done_late"),     # before: done (the longer words refused for the number after)
    ("Hoàn thành quá hạn 10 ngày", "done_late"),
    ("Hoàn thành 100%", "done"),                   # before: no status, the task not counted done
    ("Hoàn thành 80 %", None),                     # a share of the work, not the task
    ("Đã hoàn thành nhưng chậm so với kế hoạch", "done_late"),
    ("Không hoàn thành", "in_progress"), ("Đã thực hiện", "done")])
def test_progress_words_with_numbers_after_them(text, status):
    assert status_of(text) == status


@pytest.mark.parametrize("text, day", [("Quí II/2022", date(2022, 6, 30)), ("06/2022", date(2022, 6, 30)),
                                       ("Trước 30.6", date(2022, 6, 30)), ("Tháng 10-12/2022", date(2022, 12, 31))])
def test_plan_deadlines_as_typed(text, day):
    # 'Quí' is as common as 'Quý'; a month and year without 'Tháng'; a day and month with a dot
    found = parse_deadline(text, 2022)
    assert (found.kind, found.date) == ("date", day)


@pytest.mark.parametrize("text, first, last", [
    ("9 tháng đầu năm 2022", date(2022, 1, 1), date(2022, 9, 30)), ("2022-9M", date(2022, 1, 1), date(2022, 9, 30)),
    ("T6/2022", date(2022, 6, 1), date(2022, 6, 30)), ("Quí III/2022", date(2022, 7, 1), date(2022, 9, 30))])
def test_766_periods_as_typed(tmp_path, text, first, last):
    con = connect(tmp_path / "x.duckdb")
    con.execute(PERIOD_MACRO_SQL)
    got = con.execute("SELECT period_766(?)", [text]).fetchall()[0][0]
    assert (got["p_from"], got["p_to"]) == (first, last)


def test_a_paper_result_list_marked_with_x_reads_a_blank_as_no(tmp_path):
    db = tmp_path / "t.duckdb"
    rows = [["DANH SÁCH TTHC PHẢI TRẢ KẾT QUẢ BẢN GIẤY"], ["STT", "Mã TTHC", "Tên thủ tục", "Trả kết quả giấy"],
            [1, "1.001234", "Cấp giấy phép xây dựng", "x"], [2, "2.000528", "Đăng ký kết hôn", None],
            [3, "1.004227.000.00.00.H29", "Chứng thực", "X"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "tra_giay.xlsx", rows))
    # before: row 4 rejected ('giá trị «» … không nhận ra')
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 0)
    assert query(db, "SELECT procedure_code, requires_paper_result FROM paper_result_procedures ORDER BY 1") == [
        ("1.001234", True), ("1.004227", True), ("2.000528", False)]


def test_766_inputs_for_nine_months_load(tmp_path):
    db = tmp_path / "t.duckdb"
    assert load_one(db, write_text(tmp_path / "don_vi.csv", UNITS))[1] == []
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Tử số", "Mẫu số"],
            ["Quận 1", "9 tháng đầu năm 2022", "1.1", "95", "100"],
            ["Quận 3", "T6/2022", "1.1", "10", "10"]]
    result, errors = load_one(db, write_csv(tmp_path / "dau_vao.csv", rows))
    assert errors == [] and result["rows_rejected"] == 0, result.get("rejects")
    assert query(db, "SELECT unit_code, period_from, period_to FROM index766_inputs ORDER BY 1") == [
        ("Q1", date(2022, 1, 1), date(2022, 9, 30)), ("Q3", date(2022, 6, 1), date(2022, 6, 30))]
