"""Forty-second loader probe: questionnaires from survey tools and paper forms typed into Excel. Expected values are
counted by hand from the lines below; each test failed on the code before its fix."""
from tests.files import database_with_units, load_one, query, write_csv


def test_an_answer_with_its_number_in_brackets_is_valid(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Đơn vị", "Ngày khảo sát", "HL1", "HL2"],
        ["1", "Sở Tư pháp", "03/10/2022", "(5) Rất hài lòng", "5 (Rất hài lòng)"],
        ["2", "Sở Tư pháp", "04/10/2022", "(2) Không hài lòng", "2 (Không hài lòng)"],
        ["3", "Sở Tư pháp", "04/10/2022", "(5) Hài lòng", "4"]]))
    assert errors == [] and result["rows_loaded"] == 3
    # before: the four bracketed answers invalid. A number and words that disagree («(5) Hài lòng») stay invalid.
    assert query(db, "SELECT answer_text, score FROM survey_answers ORDER BY response_id, item_code") == [
        ("(5) Rất hài lòng", 5), ("5 (Rất hài lòng)", 5), ("(2) Không hài lòng", 2), ("2 (Không hài lòng)", 2),
        ("(5) Hài lòng", None), ("4", 4)]


def test_signatories_under_a_form_whose_unit_is_in_its_title_are_no_questionnaires(tmp_path):
    """«Đơn vị: UBND Quận 3» over the table: the signature block's titles and names were two more questionnaires,
    the names stored as a code and an answer."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ket_qua.csv", [
        ["KẾT QUẢ KHẢO SÁT NĂM 2022"], ["Đơn vị: UBND Quận 3"], ["Số phiếu", "HL1", "HL2"],
        ["1", "5", "4"], ["2", "4", "3"],
        ["NGƯỜI LẬP BIỂU", "", "CHỦ TỊCH"], ["Lê Thị Mai", "", "Trần Văn Bảy"]]))
    assert errors == [] and result["rows_loaded"] == 2 and result["rows_rejected"] == 0
    assert result["rows_skipped"] == 2
    assert query(db, "SELECT response_id, unit_code FROM survey_responses ORDER BY 1") == [("1", "Q3"), ("2", "Q3")]
    stored = query(db, """SELECT count(*) FROM survey_answers WHERE answer_text LIKE '%Bảy%'""")[0][0] + \
        query(db, """SELECT count(*) FROM rejected_rows WHERE CAST(original_values AS VARCHAR) LIKE '%Mai%'""")[0][0]
    assert stored == 0


def test_the_left_signature_block_alone_is_no_rejected_questionnaire(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ket_qua.csv", [
        ["KẾT QUẢ KHẢO SÁT NĂM 2022"], ["Đơn vị: UBND Quận 3"], ["Số phiếu", "HL1", "HL2"],
        ["1", "5", "4"], ["2", "4", "3"], ["NGƯỜI LẬP BIỂU", "", ""], ["Lê Thị Mai", "", ""]]))
    # before: «Lê Thị Mai» rejected («thiếu ngày hoặc năm khảo sát»), the name kept among the rejected lines
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 2)


def test_a_totals_line_under_a_form_of_marks(tmp_path):
    """Marks under five answer columns, then the officer's totals line: before, the counts «2» made the whole sheet
    read as no form of marks — every answer an invalid «x», no SIPAS."""
    db = database_with_units(tmp_path)
    words = ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
    result, errors = load_one(db, write_csv(tmp_path / "phieu_x.csv", [
        ["Số phiếu", "Đơn vị", "Ngày khảo sát", "HL1", "", "", "", "", "HL2", "", "", "", ""],
        ["", "", "", *words, *words],
        ["1", "Quận 3", "03/10/2022", "x", "", "", "", "", "", "x", "", "", ""],
        ["2", "Quận 3", "04/10/2022", "x", "", "", "", "", "x", "", "", "", ""],
        ["Tổng cộng", "", "", "2", "0", "0", "0", "0", "1", "1", "0", "0", "0"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 1)
    # by hand: 1 → HL1 5, HL2 4; 2 → HL1 5, HL2 5
    assert query(db, "SELECT response_id, item_code, score FROM survey_answers ORDER BY 1, 2") == [
        ("1", "HL1", 5), ("1", "HL2", 4), ("2", "HL1", 5), ("2", "HL2", 5)]


def test_surveymonkeys_other_please_specify_is_part_of_its_second_header_line(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "sm.csv", [
        ["Respondent ID", "End Date", "Ông/Bà đến giao dịch tại đơn vị nào?", "", "HL1"],
        ["", "", "Response", "Other (please specify)", "Response"],
        ["1", "10/03/2022 09:15:02 AM", "Quận 3", "", "4"]]))
    # before: the second header line was a questionnaire, rejected «thiếu mã phiếu»
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 0)
    assert query(db, "SELECT unit_code, CAST(survey_date AS DATE)::VARCHAR FROM survey_responses") == [
        ("Q3", "2022-10-03")]


def test_qualtrics_question_tags_are_no_criterion_codes(tmp_path):
    """Qualtrics' three header lines: tags («Q2_1»: statement 1 of the survey's question 2), the question's text,
    «ImportId» ids. Before: «Q2_1» read as criterion 2.1 (an element-1 statement gave element 2 an index) and the
    ids line rejected as a questionnaire."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "qualtrics.csv", [
        ["StartDate", "EndDate", "ResponseId", "Q1", "Q2_1", "Q3"],
        ["Start Date", "End Date", "Response ID", "Đơn vị",
         "Ông/Bà đánh giá về tiếp cận dịch vụ - Nơi ngồi chờ có đủ chỗ ngồi",
         "Ông/Bà hài lòng như thế nào về việc tiếp cận dịch vụ?"],
        ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}',
         '{"ImportId":"QID2_1"}', '{"ImportId":"QID3"}'],
        ["2022-09-06 14:25:00", "2022-09-06 14:30:00", "R_1", "Quận 3", "Rất hài lòng", "Hài lòng"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (1, 0, 1)
    assert query(db, "SELECT item_code, score FROM survey_answers") == [("HL1", 4)]
    assert "Ông/Bà đánh giá về tiếp cận dịch vụ - Nơi ngồi chờ có đủ chỗ ngồi" in result["ignored_columns"]
    # Its dates are year first: nothing read month first, though «End Date» is SurveyMonkey's header too (before,
    # the summary said the dates were read month/day/year, as SurveyMonkey writes them)
    assert not any("tháng trước ngày" in w for w in result["warnings"])
    assert query(db, "SELECT CAST(survey_date AS VARCHAR) FROM survey_responses") == [("2022-09-06",)]


def test_a_tools_test_answer_or_one_its_reviewer_turned_down_is_not_counted(tmp_path):
    """Qualtrics' «Survey Preview» and KoboToolbox's «Not Approved»: rejected with the status named. Before: counted
    (Quận 3's SIPAS 66,67 % instead of 80 % in the probe's file), the column only listed as unread."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "kobo.csv", [
        ["end", "grp/don_vi", "grp/hl1", "_id", "_validation_status"],
        ["2022-10-03T09:15:02.000+07:00", "Quận 3", "5", "1", "Approved"],
        ["2022-10-04T09:15:02.000+07:00", "Quận 3", "1", "2", "Not Approved"],
        ["2022-10-05T09:15:02.000+07:00", "Quận 3", "4", "3", "On Hold"]], delimiter=";"))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 1)
    assert "«Not Approved»" in result["rejects"][0]["reason"]
    assert query(db, "SELECT response_id, score FROM survey_answers ORDER BY 1") == [("1", 5), ("3", 4)]
    result, errors = load_one(db, write_csv(tmp_path / "qualtrics.csv", [
        ["EndDate", "Status", "ResponseId", "Đơn vị", "HL1"],
        ["End Date", "Response Type", "Response ID", "Đơn vị", "HL1"],
        ["2022-09-06 14:30:00", "IP Address", "R_1", "Quận 3", "4"],
        ["2022-09-07 14:30:00", "Survey Preview", "R_2", "Quận 3", "1"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 1)
    assert "«Survey Preview»" in result["rejects"][0]["reason"]


def test_odk_centrals_group_names_joined_by_a_dash(tmp_path):
    """ODK Central writes «grp_chung-don_vi», «grp_yeuto1-hl1»; before, the file was refused as of no kind. Its
    «ReviewState» «rejected» is a submission the reviewer turned down."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "odk.csv", [
        ["SubmissionDate", "end", "grp_chung-don_vi", "grp_yeuto1-hl1", "grp_yeuto1-tc1_1", "KEY", "Status",
         "ReviewState"],   # (its «Status», empty, is another thing: the review is «ReviewState»)
        ["2022-08-02T02:01:00.000Z", "2022-08-02T09:00:00.000+07:00", "Quận 3", "4", "5", "uuid:1", "", ""],
        ["2022-08-03T02:01:00.000Z", "2022-08-03T09:00:00.000+07:00", "Quận 3", "2", "2", "uuid:2", "", "rejected"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 1)
    assert query(db, "SELECT item_code, score FROM survey_answers ORDER BY 1") == [("1.1", 5), ("HL1", 4)]
    assert query(db, "SELECT unit_code, survey_date::VARCHAR FROM survey_responses") == [("Q3", "2022-08-02")]


def test_surveymonkeys_multiple_choice_over_option_columns(tmp_path):
    """«Mong đợi của Ông/Bà» over three option columns, each holding the option's name when chosen, and SurveyMonkey's
    «Other (please specify)» write-in after them. Before: only the first column read, MD3 and MD6 0 %."""
    db = database_with_units(tmp_path)
    options = ["Mở rộng các hình thức thông tin để người dân dễ tiếp cận dịch vụ",
               "Tiếp tục đơn giản hóa thủ tục hành chính", "Rút ngắn thời gian giải quyết thủ tục hành chính"]
    result, errors = load_one(db, write_csv(tmp_path / "sm.csv", [
        ["Respondent ID", "End Date", "Đơn vị", "HL1", "Mong đợi của Ông/Bà", "", "", ""],
        ["", "", "Response", "Response", *options, "Other (please specify)"],
        ["1", "10/03/2022 09:15:02 AM", "Quận 3", "Hài lòng", "", options[1], options[2], ""],
        ["2", "10/04/2022 09:15:02 AM", "Quận 3", "Hài lòng", options[0], "", "", ""],
        ["3", "10/04/2022 10:15:02 AM", "Quận 3", "Rất hài lòng", "", "", options[2], ""]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 0)
    # by hand (the options are the Ministry's MD1, MD3, MD6): 1 chose MD3 and MD6, 2 MD1, 3 MD6
    assert query(db, """SELECT response_id, list(item_code ORDER BY item_code) FROM survey_answers
                        WHERE item_code LIKE 'MD%' AND is_favourable GROUP BY 1 ORDER BY 1""") == [
        ("1", ["MD3", "MD6"]), ("2", ["MD1"]), ("3", ["MD6"])]
    assert options[1] not in result["ignored_columns"]


def test_microsoft_forms_likert_columns_are_read_by_their_statement(tmp_path):
    """Microsoft Forms writes each statement of a Likert question as a column «<question>.<statement>». Before, the
    criteria were not read at all (the question's words made every column HL1, the same answer five times over)."""
    db = database_with_units(tmp_path)
    question = "Ông/Bà hài lòng như thế nào về việc tiếp cận dịch vụ"
    result, errors = load_one(db, write_csv(tmp_path / "ms_forms.csv", [
        ["ID", "Start time", "Completion time", "Ông/Bà đến giao dịch tại đơn vị nào?",
         f"{question}.1.1. Nơi ngồi chờ có đủ chỗ ngồi", f"{question}.1.2. Trang thiết bị phục vụ đầy đủ",
         "Mức độ hài lòng chung.HL Nhìn chung, Ông/Bà hài lòng về dịch vụ"],
        ["1", "10/3/2022 9:00:00 AM", "10/3/2022 9:05:00 AM", "Quận 3", "Rất hài lòng", "Hài lòng", "Hài lòng"],
        ["2", "10/4/2022 9:00:00 AM", "10/4/2022 9:05:00 AM", "Quận 3", "Không hài lòng", "Bình thường",
         "Rất hài lòng"]]))
    assert errors == [] and result["rows_loaded"] == 2
    # by hand, from the lines above: 1 → 1.1 5, 1.2 4, HL 4; 2 → 1.1 2, 1.2 3, HL 5
    assert query(db, "SELECT response_id, item_code, score FROM survey_answers ORDER BY 1, 2") == [
        ("1", "1.1", 5), ("1", "1.2", 4), ("1", "HL", 4), ("2", "1.1", 2), ("2", "1.2", 3), ("2", "HL", 5)]


def test_the_other_option_of_the_expectations_is_no_reason_to_reject_a_questionnaire(tmp_path):
    """A cell of expectation choices ending with the form's «Khác» option and the respondent's own words: before, the
    whole questionnaire was rejected (its satisfaction answers lost) and the words, a name among them, kept in the
    rejected line. Options written by their code («MD1; MD3») were rejected too."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Đơn vị", "Ngày khảo sát", "HL1", "Mong đợi của Ông/Bà"],
        ["1", "Quận 3", "03/10/2022", "5", "MD1; MD3"],
        ["2", "Quận 3", "03/10/2022", "4", "Rút ngắn thời gian giải quyết thủ tục hành chính; Khác (ghi rõ): "
                                           "anh Nguyễn Văn Tám ở tổ 5, giải quyết nhanh hơn"],
        ["3", "Quận 3", "04/10/2022", "3", "Ý kiến khác: thái độ tốt hơn"],
        ["4", "Quận 3", "04/10/2022", "4", "Rút ngắn thời gian giải quyết"]]))
    assert errors == []
    # the fourth names no option of the catalogue (a shortened name): not guessed — no option, said, and since probe
    # 46 the questionnaire counts (its rejection lost its satisfaction answers)
    assert (result["rows_loaded"], result["rows_rejected"]) == (4, 0)
    assert any("lựa chọn không có trong danh mục mong đợi (dòng 5)" in w for w in result["warnings"])
    # by hand: 1 → MD1, MD3; 2 → MD6 (the catalogue's «Rút ngắn thời gian giải quyết thủ tục hành chính»); 3, 4 → none
    assert query(db, "SELECT response_id, item_code FROM survey_answers WHERE item_type = 'expectation' "
                     "AND answer_text = 'x' ORDER BY 1, 2") == [("1", "MD1"), ("1", "MD3"), ("2", "MD6")]
    assert query(db, "SELECT response_id, score FROM survey_answers WHERE item_code = 'HL1' ORDER BY 1") == [
        ("1", 5), ("2", 4), ("3", 3), ("4", 4)]
    assert any("2 phiếu chọn «Khác»" in w and "không được lưu" in w for w in result["warnings"])
    stored = query(db, "SELECT count(*) FROM survey_answers WHERE answer_text LIKE '%Tám%'")[0][0] + \
        query(db, "SELECT count(*) FROM rejected_rows WHERE CAST(original_values AS VARCHAR) LIKE '%Tám%'")[0][0]
    assert stored == 0


def test_a_questionnaire_never_submitted_is_not_counted(tmp_path):
    """LimeSurvey exports the questionnaires a respondent left half way, their «Date submitted» empty. Before, with
    the year known (here --as-of) such a questionnaire was counted; without it, rejected as «thiếu ngày» — as if the
    date had been forgotten. Its code header «submitdate» was not read as the survey date at all."""
    from datetime import date
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "limesurvey.csv", [
        ["id", "submitdate", "lastpage", "startlanguage", "startdate", "Đơn vị", "HL1", "HL2"],
        ["1", "2022-10-03 09:15:02", "3", "vi", "2022-10-03 09:10:00", "Quận 3", "5", "4"],
        ["2", "", "1", "vi", "2022-10-03 10:00:00", "Quận 3", "2", ""],
        ["3", "2022-10-04 08:01:00", "3", "vi", "2022-10-04 07:58:00", "Quận 3", "4", "4"]]),
        as_of=date(2022, 12, 31))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 1)
    [reject] = result["rejects"]
    assert reject["row"] == 3 and "chưa gửi" in reject["reason"]
    assert query(db, "SELECT response_id, CAST(survey_date AS VARCHAR) FROM survey_responses ORDER BY 1") == [
        ("1", "2022-10-03"), ("3", "2022-10-04")]


def test_a_name_typed_as_the_unit_is_not_kept(tmp_path):
    """Microsoft Forms' unit question with a «Khác» box: a respondent typed their own name. Before, the name was kept
    as the questionnaire's unit, in the list of unknown units and in the questionnaires' source."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ms_forms.csv", [
        ["ID", "Completion time", "Ông/Bà đến giao dịch tại đơn vị nào?", "HL1"],
        ["1", "10/3/2022 9:05:00 AM", "Quận 3", "5"],
        ["2", "10/3/2022 9:15:00 AM", "Nguyễn Văn Tám", "4"],
        ["3", "10/4/2022 9:05:00 AM", "trần thị bé", "4"],
        ["4", "10/4/2022 9:25:00 AM", "Trung tâm Phục vụ hành chính công", "3"]]))
    assert errors == [] and result["rows_loaded"] == 4
    texts = " ".join(str(v) for v in (result["unmatched_units"], result["source"], result["warnings"]))
    assert "Tám" not in texts and "bé" not in texts and "Trung tâm Phục vụ hành chính công" in texts
    assert any("2 phiếu" in w and "tên người" in w for w in result["warnings"])
    stored = query(db, "SELECT count(*) FROM survey_responses WHERE unit_text ILIKE '%tám%' OR unit_text ILIKE '%bé%'"
                       " OR source ILIKE '%tám%' OR source ILIKE '%bé%'")[0][0] + \
        query(db, "SELECT count(*) FROM unmatched_units WHERE unit_text ILIKE '%tám%' OR unit_text ILIKE '%bé%'")[0][0]
    assert stored == 0
    # the two are still questionnaires (of no known unit), answers counted nowhere else
    assert query(db, "SELECT count(*) FROM survey_responses WHERE unit_code IS NULL")[0][0] == 3


def test_surveymonkeys_unit_written_in_the_other_box(tmp_path):
    """A respondent whose unit is not in the list writes it in «Other (please specify)»: SurveyMonkey leaves the
    unit cell empty or writes the option's own label there. Before: rejected «thiếu đơn vị» (line 4), or loaded
    for a unit «Other (please specify)» of no list (line 5). By hand: 1 and 2 are Quận 3's, 3 is Sở Tư pháp's."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "sm.csv", [
        ["Respondent ID", "End Date", "Ông/Bà đến giao dịch tại đơn vị nào?", "", "HL1"],
        ["", "", "Response", "Other (please specify)", "Response"],
        ["1", "10/03/2022 09:15:02 AM", "Quận 3", "", "4"],
        ["2", "10/03/2022 09:20:02 AM", "", "UBND Quận 3", "5"],
        ["3", "10/03/2022 09:25:02 AM", "Other (please specify)", "Sở Tư pháp", "2"],
        ["4", "10/03/2022 09:30:02 AM", "", "", "5"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 1)
    assert [r["row"] for r in result["rejects"]] == [6]
    assert query(db, "SELECT response_id, unit_code FROM survey_responses ORDER BY 1") == [
        ("1", "Q3"), ("2", "Q3"), ("3", "STP")]
    assert any("ô «Khác» (Other) của câu hỏi đơn vị (dòng 4, 5)" in w for w in result["warnings"])
