"""Survey, 766, plan and empty files as agencies and survey tools write them (found by the survey-kinds loader
probe): Google Forms / Microsoft Forms / KoboToolbox exports, a typo'd survey year, a plan's
'TM. ỦY BAN NHÂN DÂN' signature, a 766 input without its 'Mẫu số' column, an empty workbook, a progress line
whose number and text disagree."""
from datetime import datetime

import pytest
from openpyxl import Workbook

from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

CRITERIA = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
            "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "5.4"]


@pytest.fixture()
def db(tmp_path):
    return database_with_units(tmp_path)


def test_google_forms_export_without_a_response_id_reads_its_timestamp(db, tmp_path):
    rows = [["Dấu thời gian", "Đơn vị"] + [f"Câu {c}. Nhận định {c}" for c in CRITERIA]
            + [f"Câu HL{k}. Mức độ hài lòng với yếu tố {k}" for k in range(1, 6)]]
    rows += [[f"{5 + i}/04/2022 14:0{i}:00", "Sở Tư pháp"] + ["4"] * 22 + ["5"] * 5 for i in range(3)]
    result, errors = load_one(db, write_csv(tmp_path / "google_forms.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 3 and not result["ignored_columns"]
    assert query(db, "SELECT min(survey_date), count(*) FROM survey_responses") == [(datetime(2022, 4, 5).date(), 3)]
    # the five 'Câu HLk' columns are the elements' satisfaction questions
    assert query(db, "SELECT count(*) FROM survey_answers WHERE item_type = 'element'") == [(15,)]


def test_microsoft_forms_export_reads_id_and_completion_time(db, tmp_path):
    rows = [["ID", "Thời gian bắt đầu", "Thời gian hoàn thành", "Email", "Đơn vị"] + [f"TC{c}" for c in CRITERIA]]
    rows += [[i + 1, datetime(2022, 5, 2 + i, 8), datetime(2022, 5, 2 + i, 8, 5), "anonymous", "Quận 3"] + [5] * 22
             for i in range(2)]
    result, errors = load_one(db, write_xlsx(tmp_path / "ms_forms.xlsx", rows))
    assert not errors and result["rows_loaded"] == 2 and result["dropped_columns"] == ["Email"]
    assert query(db, "SELECT response_id, survey_date FROM survey_responses ORDER BY 1") == [
        ("1", datetime(2022, 5, 2).date()), ("2", datetime(2022, 5, 3).date())]


def test_kobotoolbox_group_paths_are_read_by_the_questions_own_label(db, tmp_path):
    rows = [["start", "Đơn vị"] + [f"Yếu tố {c[0]}/{c} Nhận định {c}" for c in CRITERIA]
            + ["Mong đợi/MD1 Rút ngắn thời gian", "_id", "_uuid", "_submission_time"]]
    rows += [["2022-06-01T08:00:00.000+07:00", "Phường Võ Thị Sáu"] + ["3"] * 22
             + ["1", 100 + i, f"u-{i}", "2022-06-01T02:05:00"] for i in range(2)]
    result, errors = load_one(db, write_csv(tmp_path / "kobo.csv", rows, delimiter=";", bom=True))
    assert not errors and result["rows_loaded"] == 2
    assert query(db, "SELECT count(*) FILTER (item_type = 'criterion'), count(*) FILTER (item_type = 'expectation') "
                      "FROM survey_answers") == [(44, 2)]
    assert query(db, "SELECT response_id FROM survey_responses ORDER BY 1") == [("100",), ("101",)]


def test_a_typo_in_the_survey_year_is_rejected_not_read_as_another_year(db, tmp_path):
    rows = [["Mã phiếu", "Đơn vị", "Năm"] + [f"TC{c}" for c in CRITERIA],
            ["P1", "Sở Tư pháp", "2022"] + ["4"] * 22, ["P2", "Sở Tư pháp", "20222"] + ["4"] * 22,
            ["P3", "Sở Tư pháp", "Năm 2022"] + ["4"] * 22]
    result, errors = load_one(db, write_csv(tmp_path / "nam.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 2 and result["rows_rejected"] == 1
    assert result["rejects"][0]["reason"] == ("Dòng 3: năm khảo sát «20222» không đọc được (cần năm đủ 4 chữ số, "
                                              "ví dụ 2022).")


def test_a_plans_tm_uy_ban_signature_is_not_a_task(db, tmp_path):
    rows = [["KẾ HOẠCH CCHC NĂM 2022 CỦA UBND QUẬN 3"], ["TT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời hạn"],
            [1, "Rà soát chức năng", "Phòng Nội vụ", "T6/2022"], [2, "Tinh giản biên chế", "Phòng Nội vụ", "Hằng năm"],
            [None, "TM. ỦY BAN NHÂN DÂN", None, None], [None, "CHỦ TỊCH", None, None]]
    result, errors = load_one(db, write_xlsx(tmp_path / "ke_hoach.xlsx", rows))
    assert not errors and result["rows_loaded"] == 2 and result["rows_skipped"] == 2 and not result["warnings"]
    assert query(db, "SELECT task FROM plan_tasks ORDER BY 1") == [("Rà soát chức năng",), ("Tinh giản biên chế",)]


def test_a_766_input_without_its_denominator_names_that_column(db, tmp_path):
    before = query(db, "SELECT count(*) FROM units")
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Tử số"], ["Quận 3", "Tháng 4/2022", "5.2", 1]]
    result, errors = load_one(db, write_csv(tmp_path / "dau_vao.csv", rows, bom=True))
    assert errors == ["Tệp dau_vao.csv: thiếu cột «Mẫu số» (tiêu đề được nhận: Mẫu số, Tổng số, Số phải thực hiện, "
                      "Tổng số phải đánh giá), nên không nạp dòng nào từ tệp này. Nếu tệp dùng tiêu đề khác, hãy khai "
                      "báo trong tệp ánh xạ (--mapping)."]
    assert query(db, "SELECT count(*) FROM units") == before
    assert query(db, "SELECT count(*) FROM index766_inputs") == [(0,)]


def test_an_empty_workbook_is_said_to_be_empty(db, tmp_path):
    wb = Workbook()
    wb.save(tmp_path / "rong.xlsx")
    (tmp_path / "rong.csv").write_text("\n\n;;;\n", encoding="utf-8")
    for name, what in (("rong.xlsx", "mọi trang đều trống"), ("rong.csv", "tệp trống")):
        result, errors = load_one(db, tmp_path / name)
        assert errors == [f"Tệp {name} không có dữ liệu: {what}; không nạp dòng nào."]


def test_a_progress_line_whose_number_and_text_disagree_names_both(db, tmp_path):
    plan = [["KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP"],
            ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"], [1, "Công khai TTHC", "Văn phòng", "Thường xuyên"],
            [2, "Số hóa hồ sơ", "Văn phòng", "Quý III"]]
    assert not load_one(db, write_xlsx(tmp_path / "kh.xlsx", plan))[1]
    report = [["BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC CỦA SỞ TƯ PHÁP (tính đến ngày 30/6/2022)"],
              ["STT", "Nội dung nhiệm vụ", "Tình trạng"], ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None],
              [1, "Số hóa hồ sơ", "Hoàn thành"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "td.xlsx", report))
    assert not errors and result["warnings"] == [
        "trang Sheet, dòng 4: số thứ tự «I.1» chỉ một nhiệm vụ, nội dung «Số hóa hồ sơ» lại giống một nhiệm vụ khác "
        "của kế hoạch; đã khớp theo số thứ tự — hãy kiểm tra."]


def test_a_reports_stt_written_as_section_and_number_finds_its_task(db, tmp_path):
    plan = [["KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP"],
            ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["I. CẢI CÁCH THỂ CHẾ"], [1, "Rà soát văn bản QPPL", "Phòng Văn bản", "Quý II"],
            ["II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"], [1, "Công khai TTHC", "Văn phòng", "Thường xuyên"],
            [2, "Số hóa hồ sơ", "Văn phòng", "Quý III"]]
    assert not load_one(db, write_xlsx(tmp_path / "kh.xlsx", plan))[1]
    # the report's texts are shortened: only "II.2" can say which task a line is about
    report = [["BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC CỦA SỞ TƯ PHÁP (tính đến ngày 30/6/2022)"],
              ["STT", "Nội dung nhiệm vụ", "Tình trạng"], ["II.2", "Số hóa", "Hoàn thành"],
              ["I.1", "Rà soát", "Đang thực hiện"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "td.xlsx", report))
    assert not errors and result["rows_loaded"] == 2 and not result["warnings"]
    assert query(db, """SELECT p.ref, t.task, p.status FROM task_progress p
                         JOIN plan_tasks t USING (plan_key, year, ref_key) ORDER BY 1""") == [
        ("I.1", "Rà soát văn bản QPPL", "in_progress"), ("II.2", "Số hóa hồ sơ", "done")]


def test_kobo_submission_time_is_utc_and_dated_by_vietnams_clock(db, tmp_path):
    # _submission_time is UTC without saying so: 17:30 on 30 June is 00:30 on 1 July in Vietnam (UTC+7), and
    # 18:00 on 31 December is 01:00 on 1 January of the next year; 16:59:59 is still 30 June (23:59:59).
    # A value with its own offset is taken as written.
    rows = [["start", "Đơn vị"] + [f"Yếu tố {c[0]}/{c} Nhận định {c}" for c in CRITERIA] + ["_id", "_submission_time"],
            ["2022-06-30T23:50:00.000+07:00", "Quận 3"] + ["4"] * 22 + [1, "2022-06-30T17:30:00"],
            ["2022-06-30T23:40:00.000+07:00", "Quận 3"] + ["4"] * 22 + [2, "2022-06-30T16:59:59.123"],
            ["2023-01-01T00:55:00.000+07:00", "Quận 3"] + ["4"] * 22 + [3, "2022-12-31T18:00:00"],
            ["2022-06-30T20:00:00.000+07:00", "Quận 3"] + ["4"] * 22 + [4, "2022-06-30T20:00:00+07:00"]]
    result, errors = load_one(db, write_csv(tmp_path / "kobo.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 4
    assert query(db, "SELECT response_id, survey_date, survey_year FROM survey_responses ORDER BY 1") == [
        ("1", datetime(2022, 7, 1).date(), 2022), ("2", datetime(2022, 6, 30).date(), 2022),
        ("3", datetime(2023, 1, 1).date(), 2023), ("4", datetime(2022, 6, 30).date(), 2022)]


def test_kobo_collected_offline_is_dated_by_the_interview_not_the_upload(db, tmp_path):
    """KoboCollect used offline in the field sends its forms days later: «end» (the interview's end, with its
    offset) dates the questionnaire, not «_submission_time» (probe 32: four of eight moved into the next half-year)."""
    rows = [["start", "end", "today", "Đơn vị"] + [f"Yếu tố {c[0]}/{c} Nhận định {c}" for c in CRITERIA]
            + ["_id", "_submission_time"],
            ["2022-06-28T08:50:00.000+07:00", "2022-06-28T09:00:00.000+07:00", "2022-06-28", "Quận 3"] + ["4"] * 22
            + [1, "2022-07-02T02:00:00"],
            ["2022-06-30T23:40:00.000+07:00", "2022-06-30T23:55:00.000+07:00", "2022-06-30", "Quận 3"] + ["4"] * 22
            + [2, "2022-07-03T01:00:00"]]
    result, errors = load_one(db, write_csv(tmp_path / "kobo.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 2
    assert query(db, "SELECT response_id, survey_date FROM survey_responses ORDER BY 1") == [
        ("1", datetime(2022, 6, 28).date()), ("2", datetime(2022, 6, 30).date())]


def test_a_survey_date_column_other_than_kobos_stays_local_time(db, tmp_path):
    rows = [["Mã phiếu", "Đơn vị", "Ngày khảo sát"] + [f"TC{c}" for c in CRITERIA],
            ["P1", "Quận 3", "2022-06-30T23:30:00"] + ["4"] * 22, ["P2", "Quận 3", "30/06/2022 23:59"] + ["4"] * 22]
    result, errors = load_one(db, write_xlsx(tmp_path / "local.xlsx", rows))
    assert not errors and result["rows_loaded"] == 2
    assert query(db, "SELECT DISTINCT survey_date FROM survey_responses") == [(datetime(2022, 6, 30).date(),)]


def test_a_wide_results_tables_total_and_empty_lines_are_counted_and_the_total_checked(db, tmp_path):
    # Lines under the header: 3 'Sở Tư pháp' (5 results), 4 'Quận 3' (5 results), 5 'Phường Võ Thị Sáu' with no
    # result published (skipped), 6 blank (skipped), 7 'Tổng cộng' stating 400 questionnaires without results
    # (skipped) — the units' lines add up to 100 + 200 + 50 = 350, so the total is said to disagree.
    rows = [["KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG NĂM 2022"],
            ["STT", "Đơn vị", "Số phiếu"] + [f"Yếu tố {e} (%)" for e in range(1, 6)],
            [1, "Sở Tư pháp", 100, 80, 85, 90, 95, 70], [2, "Quận 3", 200, 75, 80, 85, 90, 65],
            [3, "Phường Võ Thị Sáu", 50, None, None, None, None, None], [],
            ["Tổng cộng", None, 400, None, None, None, None, None]]
    result, errors = load_one(db, write_xlsx(tmp_path / "ket_qua.xlsx", rows))
    assert not errors
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"], result["rows_total"]) == (2, 0, 3, 5)
    assert result["results_read"] == 10
    assert result["warnings"] == ["Dòng tổng cộng (dòng 7) ghi 400 phiếu nhưng các dòng đơn vị cộng lại 350 phiếu; "
                                  "dòng tổng cộng không được nạp (chỉ số tính từ các dòng đơn vị) — hãy kiểm tra tệp."]
    assert query(db, "SELECT count(*), sum(respondent_count) FROM survey_aggregates") == [(10, 1500)]
    from etl.summary import format_summary
    summary = format_summary([result], [])
    assert "5 dòng dưới dòng tiêu đề = thêm mới 2 + cập nhật 0 + không đổi 0 + bị loại 0 + bỏ qua 3." in summary
    assert "Bỏ qua 3 dòng không phải kết quả của một đơn vị (dòng trống, tổng cộng, chữ ký, dòng không ghi kết quả " \
           "nào)." in summary


def test_a_wide_results_line_with_a_bad_cell_is_rejected_whole(db, tmp_path):
    # 'Quận 3' writes 'tốt' for element 2: the line is rejected once, with its reason, and none of its results load;
    # the total 300 = 100 + 200 agrees, so no warning.
    rows = [["Đơn vị", "Năm", "Số phiếu"] + [f"Yếu tố {e}" for e in range(1, 4)],
            ["Sở Tư pháp", 2022, 100, 80, 85, 90], ["Quận 3", 2022, "200", 75, "tốt", 85],
            ["Tổng số", 2022, 300, 77, 82, 87]]
    result, errors = load_one(db, write_csv(tmp_path / "ket_qua.csv", rows, bom=True))
    assert not errors and not result["warnings"]
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (1, 1, 1)
    assert [r["reason"] for r in result["rejects"]] == [
        "Dòng 3: tỷ lệ hài lòng «tốt» không hợp lệ (cần 0–100 %)."]
    assert query(db, "SELECT unit_text, count(*) FROM survey_aggregates GROUP BY 1") == [("Sở Tư pháp", 3)]


def test_a_file_of_no_kind_says_so_and_names_the_closest_kind_and_how_to_name_it(db, tmp_path):
    # Unit and date of a questionnaire, but its questions written without their code: no kind reads it.
    rows = [["Đơn vị", "Ngày khảo sát", "Nơi ngồi chờ có đủ chỗ ngồi", "Trang thiết bị hiện đại"],
            ["Quận 3", "05/04/2022", "Hài lòng", "Rất hài lòng"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    lines = errors[0].split("\n")
    assert lines[0] == ("Tệp phieu.xlsx: không nhận ra đây là loại tệp nào (không trang nào có đủ các cột tiêu đề của "
                        "một loại tệp mà công cụ nạp được), nên không nạp dòng nào từ tệp này.")
    assert lines[1] == "  - Giống tệp khảo sát SIPAS nhất: thiếu cột «câu hỏi có mã ở đầu tiêu đề: Câu 1.1, TC1.1, HL1…»."
    assert lines[2].startswith("Đã thử các loại: hồ sơ, đánh giá hồ sơ, khảo sát SIPAS, danh mục đơn vị,")
    assert lines[3].startswith("Nếu biết loại tệp, hãy ghi rõ khi nạp (dòng lệnh: --kind survey; các loại: dossiers, "
                               "ratings, survey, units,")
    # Several kinds come close: the one with the most of its columns first.
    # (published scores: unit and item found, points missing; inputs: unit and criterion found, two missing)
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Ghi chú"], ["Quận 3", "Quý I/2022", "1.1", ""]]
    _, errors = load_one(db, write_csv(tmp_path / "lan.csv", rows, bom=True))
    assert errors[0].split("\n")[1:3] == [
        "  - Giống tệp điểm chỉ số 766 Cổng DVCQG công bố nhất: thiếu cột «Điểm (hoặc Tổng điểm)».",
        "  - Giống tệp số liệu đầu vào chỉ số 766: thiếu cột «Tử số», «Mẫu số»."]
    assert "(dòng lệnh: --kind index766_published;" in errors[0]


def test_a_dossier_export_missing_a_column_keeps_the_dossier_message(db, tmp_path):
    rows = [["Mã hồ sơ", "Cơ quan", "Ngày nhận hồ sơ", "Ngày hẹn trả"], ["H1", "Quận 3", "01/02/2022", "03/02/2022"]]
    _, errors = load_one(db, write_xlsx(tmp_path / "ho_so.xlsx", rows))
    assert errors[0].startswith("Tệp ho_so.xlsx: không tìm thấy cột bắt buộc, nên không nạp dòng nào từ tệp này.\n"
                                "  - Đơn vị: đã thử các tiêu đề 'Đơn vị',")


def test_several_answers_to_a_single_choice_question_reject_the_questionnaire(db, tmp_path):
    # A Google Forms checkbox question writes its choices in one cell, joined by ', ' (or ';'). The spec asks one
    # channel and one 1–5 answer per criterion and satisfaction question, so such a questionnaire is rejected with
    # the cell named. Rows: 2 two channels ✗; 3 one channel ✓; 4 '4, 5' for 1.1 ✗; 5 two words for HL ✗ (with
    # '4; 5' in 1.2 too: the first cell is named); 6 '4,5' (no space: one answer, out of the scale) ✓ with one
    # invalid answer; 7 'Tốt, nhanh' (not answers on their own) ✓ with one invalid answer; 8 'Trực tuyến, toàn
    # trình' is one channel ✓.
    header = ["Dấu thời gian", "Đơn vị", "Hình thức", "Câu 1.1. Nơi ngồi chờ", "Câu 1.2. Trang thiết bị", "Câu HL"]
    rows = [header,
            ["05/04/2022 09:00:00", "Quận 3", "Trực tiếp tại Bộ phận một cửa, Qua Cổng DVC", "4", "4", "5"],
            ["05/04/2022 09:01:00", "Quận 3", "Trực tiếp", "4", "4", "5"],
            ["05/04/2022 09:02:00", "Quận 3", "Trực tuyến", "4, 5", "4", "5"],
            ["05/04/2022 09:03:00", "Quận 3", "Trực tuyến", "4", "4; 5", "Hài lòng; Rất hài lòng"],
            ["05/04/2022 09:04:00", "Quận 3", "Trực tuyến", "4,5", "4", "5"],
            ["05/04/2022 09:05:00", "Quận 3", "Trực tuyến", "Tốt, nhanh", "4", "5"],
            ["05/04/2022 09:06:00", "Quận 3", "Trực tuyến, toàn trình", "4", "4", "5"]]
    result, errors = load_one(db, write_csv(tmp_path / "google_forms.csv", rows, bom=True))
    assert not errors and (result["rows_loaded"], result["rows_rejected"]) == (4, 3)
    tail = "; phiếu không được tính — hãy để lại một lựa chọn (hoặc để trống) rồi nạp lại."
    assert [r["reason"] for r in result["rejects"]] == [
        "Dòng 2: cột «Hình thức» ghi nhiều lựa chọn («Trực tiếp tại Bộ phận một cửa, Qua Cổng DVC») cho một câu hỏi "
        "chỉ chọn một" + tail,
        "Dòng 4: cột «Câu 1.1. Nơi ngồi chờ» ghi nhiều lựa chọn («4, 5») cho một câu hỏi chỉ chọn một" + tail,
        "Dòng 5: cột «Câu 1.2. Trang thiết bị» ghi nhiều lựa chọn («4; 5») cho một câu hỏi chỉ chọn một" + tail]
    assert query(db, "SELECT response_id, channel FROM survey_responses ORDER BY 1") == [
        ("dong-3", "direct"), ("dong-6", "online"), ("dong-7", "online"), ("dong-8", "online")]
    assert {(u["value"], u["count"]) for u in result["unrecognized_values"]} == {("4,5", 1), ("Tốt, nhanh", 1)}


def test_the_expectation_question_as_one_column_of_choices_is_read_option_by_option(db, tmp_path):
    # The spec reads expectations as options MD1…MD7 chosen or not; a Google Forms checkbox writes the chosen
    # options' names in one cell (', ' between them, ';' in some exports; a name may hold a comma). Row 2: MD6 and
    # MD2; row 3: nothing chosen (7 options not chosen); row 4: MD3 and MD1; row 5: MD6 and a choice the catalogue
    # lacks (Google Forms writes its «Other» box so, without «Khác»): the questionnaire counts, the choice is no
    # option, said without its words (probe 46: the questionnaire was rejected, its satisfaction answers lost).
    md = {1: "Mở rộng các hình thức thông tin để người dân dễ tiếp cận dịch vụ",
          2: "Cải thiện cơ sở vật chất, trang thiết bị tại Bộ phận Một cửa", 3: "Tiếp tục đơn giản hóa thủ tục hành chính",
          6: "Rút ngắn thời gian giải quyết thủ tục hành chính"}
    rows = [["Dấu thời gian", "Đơn vị", "Câu 1.1. Nơi ngồi chờ", "Mong đợi của Ông/Bà đối với cơ quan"],
            ["05/04/2022 09:00:00", "Quận 3", "4", f"{md[6]}, {md[2]}"],
            ["05/04/2022 09:01:00", "Quận 3", "5", ""],
            ["05/04/2022 09:02:00", "Quận 3", "3", f"{md[3]}; {md[1]}"],
            ["05/04/2022 09:03:00", "Quận 3", "4", f"{md[6]}, Có wifi miễn phí"]]
    result, errors = load_one(db, write_csv(tmp_path / "google_forms.csv", rows, bom=True))
    assert not errors and (result["rows_loaded"], result["rows_rejected"]) == (4, 0) and not result["ignored_columns"]
    [note] = [w for w in result["warnings"] if "không có trong danh mục mong đợi" in w]
    assert "(dòng 5)" in note and "wifi" not in note.lower()
    got = query(db, """SELECT response_id, list(item_code ORDER BY item_code) FILTER (is_favourable), count(*),
                               bool_and(is_valid)
                        FROM survey_answers WHERE item_type = 'expectation' GROUP BY 1 ORDER BY 1""")
    assert got == [("dong-2", ["MD2", "MD6"], 7, True), ("dong-3", None, 7, True), ("dong-4", ["MD1", "MD3"], 7, True),
                   ("dong-5", ["MD6"], 7, True)]
    # the ratings are counted as before: one criterion answer per questionnaire, no expectation among them
    assert query(db, "SELECT sum(answer_count) FROM survey_responses") == [(4,)]
    stored = query(db, "SELECT count(*) FROM survey_answers WHERE lower(answer_text) LIKE '%wifi%'")[0][0] + \
        query(db, "SELECT count(*) FROM rejected_rows WHERE lower(CAST(rejected_rows AS VARCHAR)) LIKE '%wifi%'")[0][0]
    assert stored == 0


def test_a_survey_column_not_read_is_named_in_the_summary(db, tmp_path):
    rows = [["Dấu thời gian", "Đơn vị", "Câu 1.1. Nơi ngồi chờ", "Anh/Chị có góp ý gì thêm?"],
            ["05/04/2022 09:00:00", "Quận 3", "4", "Cần thêm ghế"]]
    result, errors = load_one(db, write_csv(tmp_path / "google_forms.csv", rows, bom=True))
    assert not errors and result["ignored_columns"] == ["Anh/Chị có góp ý gì thêm?"]
    from etl.summary import format_summary
    assert ("   Cột không đọc (không phải trường hay câu hỏi khảo sát nhận ra; nếu cần đọc, khai báo tiêu đề trong tệp "
            "ánh xạ --mapping): Anh/Chị có góp ý gì thêm?.") in format_summary([result], []).split("\n")
