"""Sixth loader probe: dossier registers typed by hand (the statutory tracking book, Mẫu số 06 of Thông tư 01/2018/
TT-VPCP), channels, statuses and result types in a vendor's own words, dates written out ('14h30 ngày 05/04/2022'),
PostgreSQL's '+07' offsets, a two-row header printed again on every page; plan targets worded as plans word them.
Every expected value is worked out by hand in the comments."""
from datetime import datetime

import pytest

from tests.files import database_with_units, load_one, query, write_csv, write_workbook, write_xlsx

HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]


def _dossiers(tmp_path, name, rows):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_xlsx(tmp_path / name, rows))
    assert errors == []
    return db, result


def test_channels_in_a_vendors_words_are_read_by_the_phrases_they_hold(tmp_path):
    # Before: five of these fell back to «trực tiếp» (only said in the summary). Now any value holding «trực tuyến»
    # (or DVC…) is online and any holding «bưu chính»/«BCCI» postal; one holding both kinds stays unread.
    words = {"K1": ("Nộp trực tuyến mức độ 3/4", "online"), "K2": ("Trực tuyến (mức độ 4)", "online"),
             "K3": ("Dịch vụ công trực tuyến mức độ 3", "online"), "K4": ("Nộp hồ sơ trực tuyến", "online"),
             "K5": ("Nộp qua dịch vụ bưu chính công ích", "postal"), "K6": ("Qua dịch vụ BCCI", "postal"),
             "K7": ("Tại Bộ phận tiếp nhận và trả kết quả (một cửa)", "direct"),
             "K8": ("Trực tiếp hoặc trực tuyến", "direct")}   # unclear: counted direct, and said
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Hình thức nộp"]] + [
        [code, "UBND Quận 3", "05/04/2022", text] for code, (text, _) in words.items()]
    db, result = _dossiers(tmp_path, "kenh.xlsx", rows)
    assert dict(query(db, "SELECT dossier_code, channel FROM dossiers")) == {c: ch for c, (_, ch) in words.items()}
    assert [(u["field"], u["value"]) for u in result["unrecognized_values"]] == [("channel", "Trực tiếp hoặc trực tuyến")]


def test_statuses_and_result_types_in_words_count_the_returned_dossiers(tmp_path):
    # Received 05/04, due 11/04, finished 08/04. «Trả lại/không giải quyết», «Trả lại/Xin rút», «Không giải quyết»
    # are status 8 (stopped: returned); a «Loại kết quả» «Văn bản từ chối» or «Công dân xin rút» is returned too.
    # Before: the three statuses were unread and the dossiers counted resolved early; the result words were dropped
    # without a word.
    rows = [HEADER + ["Trạng thái", "Loại kết quả"],
            ["S1", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Trả lại/không giải quyết", None],
            ["S2", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Trả lại/Xin rút", None],
            ["S3", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Không giải quyết", None],
            ["S4", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Đã trả kết quả", "Văn bản từ chối"],
            ["S5", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Đã trả kết quả", "Công dân xin rút"],
            ["S6", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Đã trả kết quả", "Giấy chứng nhận"],
            ["S7", "UBND Quận 3", "05/04/2022", "11/04/2022", "08/04/2022", "Đã trả kết quả", "Kết quả bị trả lại"]]
    db, result = _dossiers(tmp_path, "trang_thai.xlsx", rows)
    assert query(db, "SELECT dossier_code, status_code, result_type FROM dossiers ORDER BY 1") == [
        ("S1", 8, None), ("S2", 8, None), ("S3", 8, None), ("S4", 10, "returned"), ("S5", 10, "returned"),
        ("S6", 10, "result"), ("S7", 10, None)]   # S7: «kết quả» and «trả lại» disagree: unread, and said
    assert [(u["field"], u["value"]) for u in result["unrecognized_values"]] == [("result_type", "Kết quả bị trả lại")]
    from indicators.engine import compute_period_table
    from indicators.periods import Period
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        total = compute_period_table(con, Period.month(2022, 4))["total"]
    finally:
        con.close()
    assert (total["returned"], total["resolved_early"]) == (5, 2)   # S1–S5 returned; S6, S7 early (08 < 11/04)


@pytest.mark.parametrize("text, expected", [
    ("14h30 ngày 05/04/2022", datetime(2022, 4, 5, 14, 30)),
    ("8 giờ 15 phút, ngày 06/04/2022", datetime(2022, 4, 6, 8, 15)),
    ("Ngày 07/04/2022 lúc 09:00", datetime(2022, 4, 7, 9, 0)),
    ("05 tháng 04 năm 2022", datetime(2022, 4, 5)),
    ("14h30 ngày 05 tháng 04 năm 2022", datetime(2022, 4, 5, 14, 30)),
    # alone, the date line over a signature; but this line has a dossier code: a logbook's date (loader probe 7)
    ("ngày 05 tháng 04 năm 2022", datetime(2022, 4, 5)),
    ("09 giờ 00, ngày 06/4/2022", datetime(2022, 4, 6, 9, 0)),
    ("14h30' 05/04/2022", datetime(2022, 4, 5, 14, 30)),
    ("05/04/2022 (14:30)", datetime(2022, 4, 5, 14, 30)),
    ("2022-04-05 08:30:00+07", datetime(2022, 4, 5, 8, 30)),          # PostgreSQL's offset: Vietnam's own time
    ("2022-04-04T14:00:00+00", datetime(2022, 4, 4, 21, 0)),          # UTC: seven hours later in Vietnam
    ("05/04/2022 - 10/04/2022", None),                                # two dates: which one? unread
    ("05-04-2022 - 10-04-2022", None),
    ("05/04/2022, 08:30 - 10:30", None),                              # a range of times
    ("05/04/20223", None), ("115/04/2022", None), ("05/04/2022 2022", None),   # digits touching or left over
    ("8 giờ sáng 05/04/2022", None),                                  # a word the rule does not know: unread
    ("2022-04-08T09:15:00+99", None), ("2022-04-08T09:15:00+14:30", None),   # no such offsets
])
def test_dates_written_out_in_words(tmp_path, text, expected):
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"], ["D1", "UBND Quận 3", text]]
    db, result = _dossiers(tmp_path, "ngay.xlsx", rows)
    got = query(db, "SELECT received_at FROM dossiers")
    if expected is None:
        assert got == [] and "Ngày không đọc được" in result["rejects"][0]["reason"]
    else:
        assert got == [(expected,)]


def test_the_statutory_tracking_book_loads_without_a_mapping_file(tmp_path):
    # Mẫu số 06 (Thông tư 01/2018/TT-VPCP), two header rows: «Cơ quan chủ trì giải quyết» is the unit, «Nhận hồ sơ
    # (ngày, giờ)» the receipt, «Hẹn trả kết quả» the due date, «Nhận kết quả từ cơ quan giải quyết» the finish,
    # «Trả kết quả» the hand-over; the applicant's name and address are dropped. Before: refused, «thiếu cột Đơn vị,
    # Ngày tiếp nhận».
    rows = [["SỔ THEO DÕI HỒ SƠ"],
            ["TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
             "Cơ quan chủ trì giải quyết", "Nhận và trả kết quả", None, None, None, None, "Ghi chú"],
            [None, None, None, None, None, None, None, "Nhận hồ sơ (ngày, giờ)", "Hẹn trả kết quả (ngày, giờ)",
             "Chuyển hồ sơ đến cơ quan giải quyết (ngày, giờ)", "Nhận kết quả từ cơ quan giải quyết (ngày, giờ)",
             "Trả kết quả (ngày, giờ)", None],
            [1, "M06-1", "Cấp bản sao trích lục hộ tịch", 1, "Nguyễn Văn A", "12 Lê Lợi, 0903000000", "UBND Quận 3",
             "08h00 04/04/2022", "06/04/2022", "04/04/2022", "07/04/2022", "07/04/2022", None],
            [2, "M06-2", "Chứng thực bản sao", 1, "Trần Thị B", "5 Hai Bà Trưng", "UBND Quận 3",
             "09h30 05/04/2022", "07/04/2022", "05/04/2022", None, None, None]]
    db, result = _dossiers(tmp_path, "so_theo_doi.xlsx", rows)
    assert result["rows_loaded"] == 2 and set(result["dropped_columns"]) == {"Tên cá nhân, tổ chức",
                                                                             "Địa chỉ, số điện thoại"}
    assert query(db, "SELECT dossier_code, unit_code, received_at, due_at, finished_at, returned_at FROM dossiers "
                     "ORDER BY 1") == [
        ("M06-1", "Q3", datetime(2022, 4, 4, 8, 0), datetime(2022, 4, 6), datetime(2022, 4, 7), datetime(2022, 4, 7)),
        ("M06-2", "Q3", datetime(2022, 4, 5, 9, 30), datetime(2022, 4, 7), None, None)]
    assert not query(db, "SELECT count(*) FROM dossiers WHERE unit_text LIKE '%Nguyễn%'")[0][0]
    assert not any("ngày trả kết quả nhưng không có trạng thái" in w for w in result["warnings"])


def test_a_register_giving_only_the_hand_over_date_is_told_how_it_counts(tmp_path):
    # «Trả kết quả» without a status or a finish column: indicators.md §1 takes the hand-over as the finish only for
    # status 9/10, so these dossiers count in progress — said, with their rows, instead of left for a reader to find.
    rows = [["Mã hồ sơ", "Đơn vị", "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả"],
            ["T1", "UBND Quận 3", "04/04/2022", "06/04/2022", "07/04/2022"],
            ["T2", "UBND Quận 3", "05/04/2022", "07/04/2022", None]]
    _, result = _dossiers(tmp_path, "chi_tra.xlsx", rows)
    assert any(w.startswith("1 hồ sơ có ngày trả kết quả nhưng không có trạng thái hay ngày có kết quả (trang «Sheet», dòng 2)")
               for w in result["warnings"])


def test_a_two_row_header_printed_again_on_the_next_page_is_skipped(tmp_path):
    # Page 2 repeats the two header rows. The lower one has no code (the «Mã hồ sơ» cell is merged from above) and
    # «Ngày tiếp nhận» under the date: before, it was rejected as «Thiếu mã hồ sơ».
    top = ["Mã hồ sơ", "Đơn vị", "Thời gian", None]
    below = [None, None, "Ngày tiếp nhận", "Ngày hẹn trả"]
    rows = [top, below, ["P1", "UBND Quận 3", "04/04/2022", "07/04/2022"],
            top, below, ["P2", "UBND Quận 3", "05/04/2022", "08/04/2022"]]
    db, result = _dossiers(tmp_path, "hai_trang.xlsx", rows)
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 2)


def test_due_and_finish_headers_of_igate_style_exports(tmp_path):
    # «Hạn trả kết quả», «Ngày kết thúc»: before, ignored, so no due date and I1 (due 06/04, finished 07/04) on time.
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Hạn trả kết quả", "Ngày kết thúc"],
            ["I1", "UBND Quận 3", "04/04/2022", "06/04/2022", "07/04/2022"]]
    db, _ = _dossiers(tmp_path, "igate.xlsx", rows)
    assert query(db, "SELECT due_at, finished_at FROM dossiers") == [(datetime(2022, 4, 6), datetime(2022, 4, 7))]


@pytest.mark.parametrize("value, comparator, target", [
    ("80% trở lên", ">=", 0.8), ("Không dưới 86,5%", ">=", 0.865), ("Từ 90% trở lên", ">=", 0.9),
    ("95 % trở lên", ">=", 0.95), ("Đạt từ 90% trở lên", ">=", 0.9), ("> = 95%", ">=", 0.95),
    ("100%", ">=", 1.0),      # nothing is above 100 %: reached in full
    ("0%", "<=", 0.0),        # nothing is below 0 %: none at all
])
def test_targets_worded_as_plans_word_them(tmp_path, value, comparator, target):
    # Before: each refused the whole annex («không rõ phép so sánh»), and «> = 95%» was stored as «>».
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "chi_tieu.csv", [["Năm", "Chỉ tiêu", "Giá trị"],
                                                                        ["2022", "on_time_rate", value]]))
    assert errors == []
    assert query(db, "SELECT comparator, target_value FROM targets") == [(comparator, pytest.approx(target))]


@pytest.mark.parametrize("value", ["99%", "Tối thiểu 80% trở xuống", "80% nếu có"])
def test_a_target_whose_comparator_is_unclear_still_names_the_row(tmp_path, value):
    db = tmp_path / "t.duckdb"
    _, errors = load_one(db, write_csv(tmp_path / "chi_tieu.csv", [["Năm", "Chỉ tiêu", "Giá trị"],
                                                                   ["2022", "on_time_rate", value]]))
    assert len(errors) == 1 and "dòng 2: không rõ phép so sánh" in errors[0]


def _catalogue(tmp_path, rows, name="danh_muc.xlsx"):
    db = database_with_units(tmp_path)
    writer = write_xlsx if name.endswith(".xlsx") else write_csv
    result, errors = load_one(db, writer(tmp_path / name, rows))
    assert errors == []
    return db, result


def test_annex_headings_in_any_column_are_headings_and_give_their_sector(tmp_path):
    # A decision's annex: «Mã số TTHC» heads the code column; «I | LĨNH VỰC LÝ LỊCH TƯ PHÁP» merged from the code
    # column (the text stands in it), «II. LĨNH VỰC CÔNG CHỨNG» merged from the STT column (a column no field
    # reads). Before: the first became a procedure coded 'LĨNH VỰC LÝ LỊCH TƯ PHÁP', the second lost its sector, and
    # «Mã số TTHC» was not a code header at all (the file refused).
    rows = [["STT", "Mã số TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Cơ quan thực hiện"],
            ["I", "LĨNH VỰC LÝ LỊCH TƯ PHÁP", None, None, None],
            [1, "1.004227", "Cấp phiếu lý lịch tư pháp", "10 ngày làm việc", "Sở Tư pháp"],
            ["II. LĨNH VỰC CÔNG CHỨNG", None, None, None, None],
            [2, "2.000778", "Công chứng hợp đồng", "02 ngày làm việc", "Sở Tư pháp"]]
    db, result = _catalogue(tmp_path, rows)
    assert (result["rows_loaded"], result["rows_skipped"]) == (2, 2)
    assert query(db, "SELECT procedure_code, field_name, statutory_days FROM procedures ORDER BY 1") == [
        ("1.004227", "Lý lịch tư pháp", 10), ("2.000778", "Công chứng", 2)]


def test_procedures_under_the_abolished_part_of_an_annex_are_not_loaded(tmp_path):
    rows = [["Mã TTHC", "Tên TTHC", "Lĩnh vực"],
            ["A. DANH MỤC THỦ TỤC HÀNH CHÍNH BAN HÀNH MỚI", None, None],
            ["1.011111", "Thủ tục mới", "Hộ tịch"],
            ["B. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ", None, None],
            ["1.000893", "Thủ tục cũ", "Hộ tịch"]]
    db, result = _catalogue(tmp_path, rows, "bai_bo.csv")
    assert query(db, "SELECT procedure_code FROM procedures") == [("1.011111",)]
    assert any("bãi bỏ" in w and "1.000893" in w for w in result["warnings"])


@pytest.mark.parametrize("fee, has_fee", [
    ("Không", False), ("Miễn phí", False), ("Không thu phí, lệ phí", False), ("0 đồng", False),
    ("50.000 đồng/hồ sơ", True), ("Lệ phí: 8.000 đồng/bản; Phí: Không", True), ("Có", True),
    ("Theo quy định tại Thông tư số 85/2019/TT-BTC", None),   # a circular's number is no amount: left empty, said
])
def test_the_fee_column_of_the_national_catalogue_says_whether_a_fee_is_charged(tmp_path, fee, has_fee):
    # «Phí, lệ phí» holds the fee itself; before, the column was ignored and has_fee stayed empty (766 criteria on
    # online payment count the procedures with a fee).
    db, result = _catalogue(tmp_path, [["Mã TTHC", "Tên TTHC", "Phí, lệ phí"], ["2.000003", "TT", fee]], "phi.csv")
    assert query(db, "SELECT has_fee FROM procedures") == [(has_fee,)]
    assert bool(result["warnings"]) == (has_fee is None)


def test_levels_listed_with_commas_link_the_procedure_to_every_unit_of_each(tmp_path):
    # «Cấp thực hiện» 'Cấp Huyện, Cấp Xã' (the portal's export): the fixture has one district (Q3) and three wards.
    db, _ = _catalogue(tmp_path, [["Mã thủ tục", "Tên thủ tục", "Cấp thực hiện"],
                                  ["2.000815", "Chứng thực bản sao", "Cấp Huyện, Cấp Xã"]], "cap.csv")
    assert query(db, "SELECT unit_code FROM procedure_units ORDER BY 1") == [("Q3",), ("Q3_P06",), ("Q3_P09",),
                                                                             ("Q3_VTS",)]


def _survey(tmp_path, rows, name="phieu.csv"):
    db = database_with_units(tmp_path)
    writer = write_xlsx if name.endswith(".xlsx") else write_csv
    path = tmp_path / name
    if isinstance(rows, dict):   # a workbook of several sheets
        write_workbook(path, rows)
    else:
        writer(path, rows)
    return (db, *load_one(db, path))


def test_a_questionnaire_answered_only_with_no_answer_words_is_as_empty_as_a_blank_one(tmp_path):
    # P2 says «Không trả lời» / «KTL» everywhere: before, loaded with 0 answers and counted among the questionnaires.
    db, result, errors = _survey(tmp_path, [["Mã phiếu", "Đơn vị", "Năm", "Câu 1.1", "Câu 1.2", "HL1"],
                                            ["P1", "Quận 3", "2022", "5", "4", "5"],
                                            ["P2", "Quận 3", "2022", "Không trả lời", "KTL", "Không trả lời"],
                                            ["P3", "Quận 3", "2022", "", "", ""]])
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 2)
    assert query(db, "SELECT response_id FROM survey_responses") == [("P1",)]


def test_form_tools_submission_times_date_the_questionnaires(tmp_path):
    # LimeSurvey «Date submitted» (ISO), a Zalo form's «Thời gian gửi» (day first); Zalo's name, id and phone are
    # personal data, dropped. Before: refused, «không có cột Ngày khảo sát hay Năm».
    db, result, errors = _survey(tmp_path, [
        ["Response ID", "Date submitted", "Tên Zalo", "Zalo ID", "Số ĐT", "Đơn vị", "Câu 1.1", "HL1"],
        ["11", "2022-10-03 09:15:02", "Nguyễn An", "8123456789012345", "0912345678", "Quận 3", "5", "5"],
        ["12", "04/10/2022 10:20", "Bình Trần", "8123456789012346", "0987654321", "Quận 3", "4", "4"]])
    assert errors == []
    assert query(db, "SELECT response_id, survey_date FROM survey_responses ORDER BY 1") == [
        ("11", datetime(2022, 10, 3).date()), ("12", datetime(2022, 10, 4).date())]
    assert set(result["dropped_columns"]) == {"Tên Zalo", "Zalo ID", "Số ĐT"}


@pytest.mark.parametrize("header", ["Số căn cước", "Căn cước công dân", "Gmail", "Ông/Bà vui lòng cho biết tên",
                                    "First Name", "Last Name", "IP Address"])
def test_more_personal_data_headers_are_dropped_and_said(tmp_path, header):
    db, result, errors = _survey(tmp_path, [["Mã phiếu", "Đơn vị", "Năm", header, "Câu 1.1"],
                                            ["P1", "Quận 3", "2022", "079123456789", "5"]])
    assert errors == [] and result["dropped_columns"] == [header]


def test_numbering_restarting_for_each_unit_of_one_sheet_is_no_duplicate(tmp_path):
    # Without --source each unit's questionnaires are a source of their own ('phieu.csv · Phường 9'), so Phường 9's
    # n°1 and Phường Võ Thị Sáu's n°1 are two questionnaires. Before: the second pair rejected as duplicates.
    db, result, errors = _survey(tmp_path, [["Số phiếu", "Đơn vị", "Năm", "Câu 1.1"],
                                            ["1", "Phường 9", "2022", "5"], ["2", "Phường 9", "2022", "4"],
                                            ["1", "Phường Võ Thị Sáu", "2022", "3"], ["1", "Phường 9", "2022", "2"]])
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 1)   # Phường 9's n°1 twice
    assert "trùng với dòng 2" in result["rejects"][0]["reason"]


def test_an_answer_key_sheet_beside_the_answers_is_named_not_read(tmp_path):
    # «Hướng dẫn»: «Câu | 1 | 2 | 3 | 4 | 5» over the wording of each answer, no unit column. Before: the whole
    # workbook refused for the missing unit column.
    db, result, errors = _survey(tmp_path, {
        "Phiếu": [["Mã phiếu", "Đơn vị", "Ngày khảo sát", "Câu 1.1", "HL1"], ["P1", "Quận 3", "03/10/2022", 5, 5]],
        "Hướng dẫn": [["Câu", "1", "2", "3", "4", "5"],
                      ["Câu 1.1", "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]]},
        "phieu.xlsx")
    assert errors == [] and result["rows_loaded"] == 1 and result["unread_sheets"] == ["Hướng dẫn"]


def test_a_survey_sheet_without_its_unit_column_alone_is_still_refused(tmp_path):
    _, result, errors = _survey(tmp_path, [["Mã phiếu", "Năm", "Câu 1.1"], ["P1", "2022", "5"]])
    assert result is None and "Đơn vị được khảo sát" in errors[0]


def test_unit_lists_of_the_2025_reform_and_their_level_words(tmp_path):
    # «Đặc khu» is commune-level; «UBND xã», «UBND phường» name the level; a parent written «TP. Hồ Chí Minh» is
    # «Thành phố Hồ Chí Minh»; «Mã định danh» and «Tên cơ quan, đơn vị» head the code and the name. Before: levels
    # stored as 'dac_khu', 'ubnd_xa', 'ubnd_phuong' (ranked with no peers), the parent unmatched.
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "don_vi.csv", [
        ["Mã định danh", "Tên cơ quan, đơn vị", "Loại đơn vị", "Trực thuộc"],
        ["HCM", "Thành phố Hồ Chí Minh", "Tỉnh", ""],
        ["X.BC", "Xã Bình Chánh", "UBND xã", "TP. Hồ Chí Minh"],
        ["P.BT", "Phường Bình Tây", "UBND phường", "Ủy ban nhân dân Thành phố Hồ Chí Minh"],
        ["DK.CD", "Đặc khu Côn Đảo", "Đặc khu", "TP Hồ Chí Minh"]]))
    assert errors == [] and result["warnings"] == []
    assert query(db, "SELECT unit_code, level, parent_code FROM units ORDER BY 1") == [
        ("DK.CD", "ward", "HCM"), ("HCM", "province", None), ("P.BT", "ward", "HCM"), ("X.BC", "ward", "HCM")]


def test_a_communes_peoples_committee_names_the_commune_in_a_dossier_export(tmp_path):
    # The list says «Phường Bình Tây»; the export says «UBND Phường Bình Tây» and «Ủy ban nhân dân phường Bình Tây».
    # A key that is another unit's own name is never taken from it («UBND Quận 9» is its own unit here).
    db = tmp_path / "t.duckdb"
    load_one(db, write_csv(tmp_path / "don_vi.csv", [
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"], ["HCM", "Thành phố Hồ Chí Minh", "Tỉnh", ""],
        ["P.BT", "Phường Bình Tây", "Phường", "HCM"], ["Q9", "Quận 9", "Quận", "HCM"],
        ["VP.Q9", "UBND Quận 9", "Sở", "HCM"]]))
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"], ["A1", "UBND Phường Bình Tây", "05/04/2022"],
        ["A2", "Ủy ban nhân dân phường Bình Tây", "05/04/2022"], ["A3", "UBND Quận 9", "05/04/2022"]]))
    assert errors == [] and result["unmatched_units"] == []
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
        ("A1", "P.BT"), ("A2", "P.BT"), ("A3", "VP.Q9")]


@pytest.mark.parametrize("scope, stored", [("Các sở, ban, ngành", "department"),
                                           ("UBND các xã, phường, thị trấn", "ward")])
def test_target_scopes_written_as_plans_write_them_name_a_level(tmp_path, scope, stored):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "chi_tieu.csv", [
        ["Năm", "Phạm vi", "Chỉ tiêu", "Giá trị"], ["2022", scope, "on_time_rate", "≥ 95%"]]))
    assert errors == [] and query(db, "SELECT scope FROM targets") == [(stored,)]


def test_a_reference_file_without_its_header_is_told_in_vietnamese(tmp_path):
    _, errors = load_one(tmp_path / "t.duckdb", write_csv(tmp_path / "don_vi.csv", [["STT", "Ghi chú"], ["1", "x"]]),
                         kind="units")
    assert "cần các cột «Mã đơn vị», «Tên đơn vị», «Cấp»" in errors[0]


def test_a_unit_code_the_list_does_not_hold_falls_back_to_the_unit_name_column(tmp_path):
    # «Mã đơn vị» holds the national codes (000.22.12.H29), which the list does not; «Tên đơn vị» beside it names
    # the units. Before: the code column alone was read, every dossier left without a unit.
    rows = [["Mã hồ sơ", "Mã đơn vị", "Tên đơn vị", "Ngày tiếp nhận"],
            ["U1", "000.22.12.H29", "UBND Quận 3", "05/04/2022"],
            ["U2", "Q3_P09", "Phường 9 Quận 3", "05/04/2022"],       # the code matches: the code wins
            ["U3", "000.99.99.H29", "Phường Không Có", "05/04/2022"]]  # neither: unmatched, listed under its code
    db, result = _dossiers(tmp_path, "ma_ten.xlsx", rows)
    assert query(db, "SELECT dossier_code, unit_code, unit_text FROM dossiers ORDER BY 1") == [
        ("U1", "Q3", "UBND Quận 3"), ("U2", "Q3_P09", "Q3_P09"), ("U3", None, "000.99.99.H29")]
    assert result["unmatched_units"] == ["000.99.99.H29"]
    assert ("Tên đơn vị", "unit_alt") in result["headers"][0]["columns"]


def test_a_field_named_by_a_hidden_and_a_visible_column_is_read_from_the_visible_one(tmp_path):
    # Column C, hidden, holds the vendor's internal codes under «Trạng thái»; «Trạng thái hồ sơ» (visible) holds the
    # words. Before: the hidden column (left of the other) was read and every status unrecognized — the withdrawn A3
    # counted resolved.
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in [["Mã hồ sơ", "Đơn vị", "Trạng thái", "Ngày tiếp nhận", "Ngày có kết quả", "Trạng thái hồ sơ"],
                ["A1", "UBND Quận 3", "DA_TRA_KQ", "05/04/2022", "07/04/2022", "Đã trả kết quả"],
                ["A3", "UBND Quận 3", "RUT_HS", "05/04/2022", "06/04/2022", "Rút hồ sơ"]]:
        ws.append(row)
    ws.column_dimensions["C"].hidden = True
    wb.save(tmp_path / "cot_an.xlsx")
    db = database_with_units(tmp_path)
    result, errors = load_one(db, tmp_path / "cot_an.xlsx")
    assert errors == [] and result["unrecognized_values"] == []
    assert query(db, "SELECT dossier_code, status_code FROM dossiers ORDER BY 1") == [("A1", 10), ("A3", 7)]
    assert result["ignored_columns"] == ["Trạng thái"]


def test_time_limits_spelled_out_before_their_number_and_list_markers_before_unit_names(tmp_path):
    # 'Mười lăm (15) ngày làm việc': the number in brackets after the words (before: left empty, warned).
    db, result = _catalogue(tmp_path, [["Mã TTHC", "Tên TTHC", "Thời hạn giải quyết"],
                                       ["2.000001", "TT", "Mười lăm (15) ngày làm việc"]], "han.csv")
    assert query(db, "SELECT statutory_days FROM procedures") == [(15,)] and result["warnings"] == []
    # '- Phường Bến Nghé': the dash marks the hierarchy, it is not part of the name.
    units = tmp_path / "u.duckdb"
    _, errors = load_one(units, write_csv(tmp_path / "don_vi.csv", [
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"], ["Q1", "Quận 1", "Quận", ""],
        ["Q1.BN", "- Phường Bến Nghé", "Phường", "Q1"]]))
    assert errors == [] and query(units, "SELECT unit_name FROM units ORDER BY 1") == [("Phường Bến Nghé",),
                                                                                         ("Quận 1",)]


def test_a_paper_form_typed_with_a_mark_under_one_of_five_answer_columns(tmp_path):
    # «Câu 1.1» merged over five columns headed 1 … 5 (here the answer words for HL1), an «x» under the answer.
    # Before: the row of answer headers rejected as a bad date, P1 and P2 rejected as «không có câu trả lời» (false),
    # P3's criteria lost. P2 marks two answers for 1.2: an invalid answer, listed, not counted.
    from openpyxl import Workbook
    words = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã phiếu", "Đơn vị", "Ngày khảo sát", "Câu 1.1", None, None, None, None,
               "Câu 1.2", None, None, None, None, "HL1", None, None, None, None])
    ws.append([None, None, None, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, *words])
    ws.append(["P1", "Quận 3", "03/10/2022", None, None, None, None, "x", None, None, None, "x", None,
               None, None, None, None, "x"])
    ws.append(["P2", "Quận 3", "03/10/2022", None, "x", None, None, None, None, None, "x", "x", None,
               None, None, None, "x", None])
    ws.append(["P3", "Quận 3", "04/10/2022", None, None, None, None, None, None, None, None, None, None,
               "x", None, None, None, None])
    for first, last in (("D1", "H1"), ("I1", "M1"), ("N1", "R1")):
        ws.merge_cells(f"{first}:{last}")
    wb.save(tmp_path / "phieu_giay.xlsx")
    db = database_with_units(tmp_path)
    result, errors = load_one(db, tmp_path / "phieu_giay.xlsx")
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 0)
    assert query(db, "SELECT response_id, item_code, answer_text, score, is_valid FROM survey_answers ORDER BY 1, 2") == [
        ("P1", "1.1", "5", 5, True), ("P1", "1.2", "4", 4, True), ("P1", "HL1", "5", 5, True),
        ("P2", "1.1", "2", 2, True), ("P2", "1.2", "nhiều ô được đánh dấu", None, False), ("P2", "HL1", "4", 4, True),
        ("P3", "HL1", "1", 1, True)]
    assert any("đánh dấu dưới năm cột" in w for w in result["warnings"])


def test_phrases_are_whole_words_with_their_accents_and_never_read_a_negation(tmp_path):
    # Found in review: without accents «dừng» matched «sử dụng», «đúng»; «dịch vụ công» matched the postal «dịch vụ
    # công ích»; «Không trực tuyến» read as online. All now unread and said.
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Hình thức nộp", "Loại kết quả"],
            ["R1", "UBND Quận 3", "05/04/2022", "Trực tuyến", "Quyết định cho phép chuyển mục đích sử dụng đất"],
            ["R2", "UBND Quận 3", "05/04/2022", "Không trực tuyến", "Đúng hạn"],
            ["R3", "UBND Quận 3", "05/04/2022", "Qua dịch vụ công ích", "Kết quả"]]
    db, result = _dossiers(tmp_path, "cum_tu.xlsx", rows)
    assert query(db, "SELECT dossier_code, channel, result_type FROM dossiers ORDER BY 1") == [
        ("R1", "online", None), ("R2", "direct", None), ("R3", "direct", "result")]
    assert sorted(u["value"] for u in result["unrecognized_values"]) == [
        "Không trực tuyến", "Qua dịch vụ công ích", "Quyết định cho phép chuyển mục đích sử dụng đất", "Đúng hạn"]


def test_a_lead_agency_column_never_takes_the_place_of_the_receiving_unit(tmp_path):
    # «Cơ quan chủ trì giải quyết» is the unit only of a register without another unit column; and two unit columns
    # that are not a code and its name are not read one for the other.
    rows = [["Mã hồ sơ", "Cơ quan chủ trì giải quyết", "Đơn vị tiếp nhận", "Ngày tiếp nhận"],
            ["A1", "Sở Tư pháp", "UBND Quận 3", "05/04/2022"], ["A2", "Sở Tư pháp", "Phường Lạ", "05/04/2022"]]
    db, result = _dossiers(tmp_path, "hai_don_vi.xlsx", rows)
    assert query(db, "SELECT dossier_code, unit_code, unit_text FROM dossiers ORDER BY 1") == [
        ("A1", "Q3", "UBND Quận 3"), ("A2", None, "Phường Lạ")]
    assert result["unmatched_units"] == ["Phường Lạ"]


def test_a_catalogues_wrapped_legal_basis_line_changes_no_section(tmp_path):
    # A second line of «Căn cứ pháp lý» (a column no field reads) mentioning an article «bãi bỏ»: before the review,
    # it was taken for a heading — the sector dropped and the procedures below skipped as abolished.
    rows = [["STT", "Mã TTHC", "Tên TTHC", "Căn cứ pháp lý"], [None, None, "I. Lĩnh vực Hộ tịch", None],
            [1, "1.001193", "Đăng ký khai sinh", "Luật Hộ tịch 2014"],
            [None, None, None, "Nghị định 123/2015/NĐ-CP (đã sửa đổi, bãi bỏ một số điều bởi NĐ 87/2020)"],
            [2, "1.001022", "Đăng ký kết hôn", "Luật Hộ tịch 2014"]]
    db, result = _catalogue(tmp_path, rows)
    assert query(db, "SELECT procedure_code, field_name FROM procedures ORDER BY 1") == [
        ("1.001022", "Hộ tịch"), ("1.001193", "Hộ tịch")]
    assert result["warnings"] == []


@pytest.mark.parametrize("fee, has_fee", [("FALSE", False), ("No", False), ("TRUE", True)])
def test_yes_no_cells_in_the_fee_column(tmp_path, fee, has_fee):
    db, result = _catalogue(tmp_path, [["Mã TTHC", "Tên TTHC", "Phí, lệ phí"], ["2.000003", "TT", fee]], "phi.csv")
    assert query(db, "SELECT has_fee FROM procedures") == [(has_fee,)] and result["warnings"] == []


def test_a_table_of_answer_counts_under_five_columns_is_not_read_as_marks(tmp_path):
    # How many answered 1 … 5, per unit: the survey loader's own refusal (a results table), not questionnaires.
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Năm", "Câu 1.1", None, None, None, None, "Câu 1.2", None, None, None, None])
    ws.append([None, None, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
    ws.append(["Quận 3", 2022, 0, 0, 2, 10, 43, 0, 1, 3, 12, 39])
    ws.append(["Sở Tư pháp", 2022, 1, 0, 4, 20, 30, 0, 0, 5, 25, 25])
    wb.save(tmp_path / "ket_qua.xlsx")
    db = database_with_units(tmp_path)
    result, errors = load_one(db, tmp_path / "ket_qua.xlsx")
    assert result is None and "bảng kết quả tổng hợp" in errors[0]


def test_a_questionnaire_sheet_without_its_unit_column_still_refuses_the_workbook(tmp_path):
    # Only an answer key (answer columns and nothing a questionnaire carries) is set aside; a sheet with form codes
    # and dates but no unit column holds questionnaires that would be lost: the file is refused, naming the column.
    _, result, errors = _survey(tmp_path, {
        "Phiếu": [["Mã phiếu", "Đơn vị", "Năm", "Câu 1.1"], ["P1", "Quận 3", "2022", "5"]],
        "Khác": [["Mã phiếu", "Năm", "Câu 1.1"], ["K1", "2022", "4"]]}, "phieu.xlsx")
    assert result is None and "Đơn vị được khảo sát" in errors[0]


def test_after_a_paper_form_is_read_messages_name_the_sheets_own_column_letters(tmp_path):
    # Columns D–H and I–M fold into two answer columns; a stray note in column O (no header) is still «cột O», on the sheet's row 3.
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã phiếu", "Đơn vị", "Năm", "Câu 1.1", None, None, None, None, "HL1", None, None, None, None])
    ws.append([None, None, None, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
    ws.append(["P1", "Quận 3", "2022", None, None, None, "x", None, None, None, None, None, "x", None, "ghi chú"])
    wb.save(tmp_path / "phieu_giay.xlsx")
    db = database_with_units(tmp_path)
    result, errors = load_one(db, tmp_path / "phieu_giay.xlsx")
    assert errors == [] and result["rows_loaded"] == 1
    assert "cột O, dòng 3 (không có tiêu đề)" in result["ignored_columns"]
