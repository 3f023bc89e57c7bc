"""Forty-sixth loader probe: questionnaires from survey tools and offices. Expected values are counted by hand from
the lines below; each test failed on the code before its fix."""
from openpyxl import Workbook

from tests.files import database_with_units, load_one, query, write_csv

MD1 = "Mở rộng các hình thức thông tin để người dân dễ tiếp cận dịch vụ"
MD6 = "Rút ngắn thời gian giải quyết thủ tục hành chính"


def test_kobos_choices_as_spaced_codes_and_option_columns_named_by_their_words(tmp_path):
    """KoBoToolbox writes a multiple choice as «md1 md6» and, in its label export, a 0/1 column per option headed
    «Sự mong đợi/<the option's words>». Before: the option columns were not read and «md1 md6» was no option of the
    catalogue, so the questionnaire was rejected. By hand: K1 chose MD1 and MD6, K2 MD6; both load."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["end", "Thông tin chung/Đơn vị được khảo sát", "Yếu tố 1/Hài lòng yếu tố 1", "Sự mong đợi",
               f"Sự mong đợi/{MD1}", f"Sự mong đợi/{MD6}", "_id"])
    ws.append(["2023-03-10T10:00:00.000+07:00", "Phường Võ Thị Sáu", 4, "md1 md6", 1, 1, 101])
    ws.append(["2023-03-10T10:30:00.000+07:00", "Phường Võ Thị Sáu", 2, "md6", 0, 1, 102])
    wb.save(tmp_path / "kobo.xlsx")
    result, errors = load_one(db, tmp_path / "kobo.xlsx")
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert query(db, """SELECT response_id, list(item_code ORDER BY item_code) FROM survey_answers
                        WHERE item_type = 'expectation' AND is_favourable GROUP BY 1 ORDER BY 1""") == [
        ("101", ["MD1", "MD6"]), ("102", ["MD6"])]
    # the same cell alone, without the option columns (Kobo's XML-value export)
    db2 = database_with_units(tmp_path / "b")
    result, errors = load_one(db2, write_csv(tmp_path / "kobo.csv", [
        ["end", "don_vi", "hl1", "Sự mong đợi", "_id"],
        ["2023-03-10T10:00:00.000+07:00", "Phường Võ Thị Sáu", "4", "md1 md6", "101"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 0)
    assert query(db2, """SELECT list(item_code ORDER BY item_code) FROM survey_answers
                         WHERE item_type = 'expectation' AND is_favourable""") == [(["MD1", "MD6"],)]


def test_limesurveys_other_box_of_the_unit_question(tmp_path):
    """LimeSurvey heads the «Other» box «<question> [Khác]». L2 chose no unit and wrote it there: before, rejected
    «thiếu đơn vị». By hand: both questionnaires are Phường Võ Thị Sáu's."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "lime.csv", [
        ["Response ID", "Date submitted", "Đơn vị Ông/Bà đến giao dịch", "Đơn vị Ông/Bà đến giao dịch [Khác]", "HL1"],
        ["1", "2023-10-05 09:12:44", "Phường Võ Thị Sáu", "", "4"],
        ["2", "2023-10-05 10:01:02", "", "UBND phường Võ Thị Sáu", "5"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert query(db, "SELECT response_id, unit_code FROM survey_responses ORDER BY 1") == [
        ("1", "Q3_VTS"), ("2", "Q3_VTS")]
    assert "Đơn vị Ông/Bà đến giao dịch [Khác]" not in result["ignored_columns"]


def test_a_questionnaire_typed_twice_with_its_unit_spelt_two_ways_counts_once(tmp_path):
    """VTS-02 typed twice, the ward written «P. Võ Thị Sáu - Q.3» then «Phường Võ Thị Sáu»: before, both were kept
    and the ward's SIPAS read 50 % (one satisfied of two) instead of 100 % (its one questionnaire, HL1 5)."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Đơn vị", "Ngày khảo sát", "HL1"],
        ["VTS-02", "UBND Phường Võ Thị Sáu", "05/04/2023", "5"],
        ["VTS-02", "Phường Võ Thị Sáu", "05/04/2023", "2"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 1)
    assert "trùng với dòng 2" in result["rejects"][0]["reason"]
    assert query(db, "SELECT response_id, score FROM survey_answers") == [("VTS-02", 5)]


def test_a_corrected_file_sent_again_updates_its_questionnaires(tmp_path):
    """The office corrects a unit's spelling and an answer, and sends the file again under its name. Before: VTS-01
    was added a second time (the ward had two questionnaires). By hand: one questionnaire, HL1 now 2."""
    db = database_with_units(tmp_path)
    header = ["Mã phiếu", "Đơn vị", "Ngày khảo sát", "HL1"]
    load_one(db, write_csv(tmp_path / "phieu.csv", [header, ["VTS-01", "UBND Phường Võ Thị Sáu", "03/04/2023", "4"],
                                                   ["Q3-01", "Quận 3", "03/04/2023", "5"]]))
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        header, ["VTS-01", "Phường Võ Thị Sáu", "03/04/2023", "2"], ["Q3-01", "Quận 3", "03/04/2023", "5"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_updated"], result["rows_unchanged"]) == (0, 1, 1)
    assert query(db, """SELECT r.response_id, r.unit_code, r.unit_text, a.score FROM survey_responses r
                        JOIN survey_answers a USING (source, response_id) ORDER BY 1""") == [
        ("Q3-01", "Q3", "Quận 3", 5), ("VTS-01", "Q3_VTS", "Phường Võ Thị Sáu", 2)]


def test_a_published_overall_index_line_is_skipped_and_checked(tmp_path):
    """A long table of published results with each unit's «Chỉ số SIPAS» on a line of its own: before, rejected
    («yếu tố không nhận ra»). Quận 3's five elements average (80 + 82 + 84 + 86 + 88) / 5 = 84 %, as written;
    Quận 1's average 86 % and its line says 90 %: said."""
    db = database_with_units(tmp_path)
    lines = [["Đơn vị", "Năm", "Yếu tố", "Tỷ lệ hài lòng (%)", "Số phiếu hợp lệ"]]
    for unit, rates, overall in (("Quận 3", (80, 82, 84, 86, 88), 84), ("Sở Tư pháp", (86, 86, 86, 86, 86), 90)):
        lines += [[unit, "2023", f"Yếu tố {k}", str(r), "60"] for k, r in enumerate(rates, start=1)]
        lines.append([unit, "2023", "Chỉ số SIPAS", str(overall), "60"])
    result, errors = load_one(db, write_csv(tmp_path / "ket_qua.csv", lines))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (10, 0, 2)
    [note] = [w for w in result["warnings"] if "Chỉ số SIPAS" in w]
    assert "dòng 7, 13" in note and "dòng 13 ghi giá trị khác trung bình" in note
