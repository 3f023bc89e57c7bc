"""Fifty-second loader probe: questionnaires from survey tools and offices. Expected values are counted by hand from
the lines below; each test failed on the code before its fix."""
from openpyxl import Workbook

from tests.files import database_with_units, load_one, query, write_csv

HL = ["HL1", "HL2", "HL3", "HL4", "HL5"]


def test_a_count_table_numbering_its_levels_is_refused(tmp_path):
    """«Mức điểm | 1 … 5» and a count of questionnaires per level under each question: it loaded as five
    questionnaires of answers 0–2 (SIPAS 0 % where the counts give 76 %). Refused, nothing loaded — with a unit
    column, and with the unit in the title and a «Tổng số phiếu» line under the levels."""
    counts = [[0, 0, 0, 0, 0], [0, 1, 0, 0, 1], [1, 1, 0, 1, 1], [2, 2, 3, 2, 1], [2, 1, 2, 2, 2]]
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "dem.csv", [
        ["Mức điểm", "Đơn vị", "Năm", *HL],
        *[[level, "Phường Võ Thị Sáu", "2022", *row] for level, row in enumerate(counts, start=1)]]))
    assert result is None and "cột «Mức điểm» ghi các mức trả lời" in errors[0]
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG NĂM 2022"])
    ws.append(["Đơn vị: UBND Phường Võ Thị Sáu"])
    ws.append(["Mức điểm", *HL])
    for level, row in enumerate(counts, start=1):
        ws.append([level, *row])
    ws.append(["Tổng số phiếu", 5, 5, 5, 5, 5])
    wb.save(tmp_path / "dem.xlsx")
    result, errors = load_one(db, tmp_path / "dem.xlsx")
    assert result is None and "bảng đếm số phiếu theo mức trả lời" in errors[0]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]


def test_a_questionnaires_own_level_column_is_no_count_table(tmp_path):
    """A column «Mức độ DVC» (2–4) no field reads, beside one questionnaire a line: its values repeat within the unit,
    so the file is questionnaires, and all six load."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mức độ DVC", "Đơn vị", "Năm", *HL],
        *[[level, "Phường Võ Thị Sáu", "2022", 4, 4, 5, 4, 4] for level in (3, 4, 3, 4, 2, 3)]]))
    assert errors == [] and result["rows_loaded"] == 6


def test_english_answer_words(tmp_path):
    """«Very satisfied» … «Very dissatisfied» (a form built in English): every answer was invalid and no index given.
    By hand: Q1 5 4 3 4 4, Q2 2 4 5 4 1; favourable (4–5) per element: E1 1/2, E2 2/2, E3 1/2, E4 2/2, E5 1/2."""
    db = database_with_units(tmp_path)
    words = {5: "Very satisfied", 4: "Satisfied", 3: "Neutral", 2: "Dissatisfied", 1: "Very dissatisfied"}
    result, errors = load_one(db, write_csv(tmp_path / "forms.csv", [
        ["Đơn vị", "Năm", *HL],
        ["Phường Võ Thị Sáu", "2022", *[words[a] for a in (5, 4, 3, 4, 4)]],
        ["Phường Võ Thị Sáu", "2022", *[words[a] for a in (2, 4, 5, 4, 1)]]]))
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT count(*) FILTER (WHERE NOT is_valid), list(score ORDER BY response_id, item_code) "
                     "FROM survey_answers WHERE item_type <> 'expectation'") == [(0, [5, 4, 3, 4, 4, 2, 4, 5, 4, 1])]


def test_limesurveys_participant_columns_are_dropped(tmp_path):
    """LimeSurvey's participant table: token, firstname, lastname, ipaddr — personal data, dropped and said (they
    were listed as columns not read)."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "lime.csv", [
        ["id", "token", "submitdate", "firstname", "lastname", "ipaddr", "Đơn vị", *HL],
        ["1", "a7Xk2", "2022-08-01 09:00:00", "Lan", "Nguyễn", "10.0.0.5", "Phường Võ Thị Sáu", 4, 4, 4, 4, 4]]))
    assert errors == [] and result["rows_loaded"] == 1
    assert {"token", "firstname", "lastname", "ipaddr"} <= set(result["dropped_columns"])


def test_a_unit_line_left_to_fill_in_is_no_unit(tmp_path):
    """«Đơn vị: ………» of the printed form, never filled in, over a table without a unit column: the dots were the
    unit's name, an unmatched unit to alias. Refused, saying the line is blank."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["PHIẾU KHẢO SÁT SỰ HÀI LÒNG NĂM 2022"])
    ws.append(["Đơn vị: ......................................"])
    ws.append(["STT phiếu", "Ngày khảo sát", *HL])
    ws.append([1, "05/05/2022", 4, 4, 4, 4, 4])
    wb.save(tmp_path / "mau.xlsx")
    result, errors = load_one(db, tmp_path / "mau.xlsx")
    assert result is None and "chưa điền tên đơn vị" in errors[0]


def test_a_dossier_list_given_as_a_questionnaire_is_told_what_it_is(tmp_path):
    """--kind survey on a dossier list: refused, naming the kind the file is and how to load it."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Mức độ hài lòng"],
        ["A-1", "Phường 9", "01/03/2023", "03/03/2023", "Đang xử lý", "Hài lòng"]]), kind="survey")
    assert result is None and "có đủ các cột của tệp hồ sơ" in errors[0] and "--kind dossiers" in errors[0]
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]


def test_the_summary_says_when_its_list_of_invalid_answers_stops(tmp_path):
    """Twelve distinct invalid answers: the summary lists ten and says how many more (it stopped without a word)."""
    from etl.summary import format_summary
    db = database_with_units(tmp_path)
    words = [f"Ý kiến {k}" for k in range(12)]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Đơn vị", "Năm", *HL],
        *[["Phường Võ Thị Sáu", "2022", w, 4, 4, 4, 4] for w in words]]))
    assert errors == [] and len(result["unrecognized_values"]) == 12
    assert "… và 2 giá trị không hợp lệ khác (--json liệt kê đủ)." in format_summary([result], [])


def test_a_question_column_copied_twice_is_said_to_be_a_duplicate_and_read_once(tmp_path):
    """Two «HL3» columns and no «HL4» (a copy-paste slip): the first is read, the second said to repeat it — not only
    «not read», which sent the user looking for an unknown header."""
    from etl.summary import format_summary
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL3", "HL5"],
        ["1", "Phường Võ Thị Sáu", "2022", 4, 4, 4, 1, 4], ["2", "Phường Võ Thị Sáu", "2022", 4, 4, 2, 1, 4],
        ["3", "Phường Võ Thị Sáu", "2022", 4, 4, 4, 1, 4]]))
    assert errors == [] and result["rows_loaded"] == 3
    # element 3 from the first column only: 4, 2, 4 (the second column's 1s never read)
    assert query(db, "SELECT list(score ORDER BY response_id) FROM survey_answers WHERE item_code = 'HL3'") == [([4, 2, 4],)]
    summary = format_summary([result], [])
    # the file's 6th and 7th columns: the user is told where the copy is, not only its header
    assert "Cột trùng câu hỏi với một cột trước (chỉ đọc cột đầu" in summary, summary
    assert ": HL3 ở cột 7 (cột đầu: cột 6)." in summary, summary
    assert "HL3 (cột 7, trùng câu hỏi với cột 6, không đọc)" in result["ignored_columns"]
    assert "Cột không đọc" not in summary
    # element 4 has no question: no SIPAS, and the CSV says why (it had the empty cell only; --json said it)
    import csv
    import subprocess
    import sys
    from tests.conftest import ROOT
    proc = subprocess.run([sys.executable, "-m", "indicators", "sipas", "--db", str(db), "--period", "2022", "--format",
                           "csv"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(proc.stdout.splitlines()))
    assert [(r["sipas"], r["sipas_missing_elements"]) for r in rows] == [("", "4"), ("", "4")]


def test_a_question_copied_twice_in_a_workbook_is_told_by_the_sheets_letters(tmp_path):
    """The same slip in an xlsx: the columns are named by the letters Excel shows (F and G here), and a question
    asked three times names each copy with the first column."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã phiếu", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL3", "HL4", "HL5", "HL3"])
    ws.append(["1", "Phường Võ Thị Sáu", "2022", 4, 4, 4, 1, 4, 4, 2])
    wb.save(tmp_path / "phieu.xlsx")
    db = database_with_units(tmp_path)
    result, errors = load_one(db, tmp_path / "phieu.xlsx")
    assert errors == [] and result["rows_loaded"] == 1
    assert [c for c in result["ignored_columns"] if "trùng câu hỏi" in c] == [
        "HL3 (cột G, trùng câu hỏi với cột F, không đọc)", "HL3 (cột J, trùng câu hỏi với cột F, không đọc)"]
    assert query(db, "SELECT list(score) FROM survey_answers WHERE item_code = 'HL3'") == [([4],)]
