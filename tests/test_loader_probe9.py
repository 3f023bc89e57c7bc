"""Ninth loader probe: questionnaire workbooks with a sheet per survey round, paper forms whose tick columns run
from «Rất hài lòng» down, dossier exports as more vendors write them. Expected values are counted by hand."""
from datetime import date, datetime

from openpyxl import Workbook

from etl.summary import format_summary
from tests.files import database_with_units, load_one, query, write_workbook

HEADER = ["Mã phiếu", "Đơn vị", "Ngày khảo sát", "1.1", "1.2", "HL1"]


def _fresh_db(folder):
    """A new folder (created) with a database holding the fixture unit list: one per case of a test."""
    folder.mkdir()
    return database_with_units(folder)


def _load_text(tmp_path, name: str, text: str, **options):
    """(database, result, errors) of a file written from text, loaded into a new database with the fixture units."""
    db = database_with_units(tmp_path)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return (db, *load_one(db, path, **options))


def _round(month: int, answers=(5, 4, 5)) -> list[list]:
    return [HEADER] + [[n, "Quận 3", datetime(2022, month, 10 + n), *answers] for n in (1, 2, 3)]


def test_a_sheet_per_round_numbered_from_one_again_keeps_both_rounds(tmp_path):
    db = database_with_units(tmp_path)
    path = write_workbook(tmp_path / "sipas.xlsx", {"Đợt 1": _round(3), "Đợt 2": _round(9, (4, 4, 4))})
    result, errors = load_one(db, path)
    # before: «Đợt 2» replaced «Đợt 1» (thêm mới 3 + cập nhật 3): the March round was lost
    assert errors == [] and (result["rows_loaded"], result["rows_updated"]) == (6, 0)
    assert query(db, "SELECT response_id, month(survey_date) FROM survey_responses ORDER BY 1") == [
        ("1", 3), ("2", 3), ("3", 3), ("Đợt 2 · 1", 9), ("Đợt 2 · 2", 9), ("Đợt 2 · 3", 9)]
    assert any("Đợt 2 · …" in w for w in result["warnings"])
    again, errors = load_one(db, path)
    assert errors == [] and (again["rows_loaded"], again["rows_updated"], again["rows_unchanged"]) == (0, 0, 6)


def test_a_questionnaire_copied_onto_a_second_sheet_is_rejected_not_counted_twice(tmp_path):
    db = database_with_units(tmp_path)
    copied = _round(3)[:2]   # questionnaire 1, same unit and day
    result, errors = load_one(db, write_workbook(tmp_path / "sipas.xlsx", {"Tất cả": _round(3), "Quận 3": copied}))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 1)
    assert "trang «Tất cả», dòng 2" in result["rejects"][0]["reason"]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(3,)]


def test_a_dossiers_rating_chua_hai_long_is_dissatisfied(tmp_path):
    db = database_with_units(tmp_path)
    path = tmp_path / "hs.xlsx"
    write_workbook(path, {"HS": [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Đánh giá"],
                            ["K-1", "Quận 3", "05/04/2022", "Chưa hài lòng"], ["K-2", "Quận 3", "05/04/2022", "Hài lòng"]]})
    result, errors = load_one(db, path)
    # before: «Chưa hài lòng» was unread and stored empty, so the dossier escaped 766's «không hài lòng» exclusion
    assert errors == [] and not result["unrecognized_values"]
    assert query(db, "SELECT dossier_code, rating FROM dossiers ORDER BY 1") == [("K-1", "dissatisfied"),
                                                                                   ("K-2", "satisfied")]


def test_a_workbook_of_two_sheets_is_one_snapshot_the_latest_of_its_dates(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    # the 04/03 export: DS-3 waits for papers
    write_workbook(tmp_path / "0403.xlsx", {"Danh sách": [header, ["DS-3", "Quận 3", "02/03/2022", "09/03/2022", None,
                                                                "Chờ bổ sung"],
                                                       ["DS-9", "Quận 3", "04/03/2022", "11/03/2022", None, "Đang xử lý"]]})
    # the 06/03 export: DS-9 finished on 06/03 on one sheet; DS-3, under way again, on the other, whose latest date is
    # 02/03 — before, that sheet was dated 02/03, older than the 04/03 export, and DS-3 kept «Chờ bổ sung»
    write_workbook(tmp_path / "0603.xlsx", {
        "Đã giải quyết": [header, ["DS-9", "Quận 3", "04/03/2022", "11/03/2022", "06/03/2022", "Đã trả kết quả"]],
        "Đang giải quyết": [header, ["DS-3", "Quận 3", "02/03/2022", "09/03/2022", None, "Đang xử lý"]]})
    assert load_one(db, tmp_path / "0403.xlsx")[1] == []
    result, errors = load_one(db, tmp_path / "0603.xlsx")
    assert errors == [] and result["snapshot_date"] == "2022-03-06" and result["rows_updated"] == 2
    assert query(db, "SELECT dossier_code, status_text, snapshot_date::VARCHAR FROM dossiers ORDER BY 1") == [
        ("DS-3", "Đang xử lý", "2022-03-06"), ("DS-9", "Đã trả kết quả", "2022-03-06")]


def _tick_form(path, answer_headers: list) -> str:
    """«Câu 1.1» and «HL1» each merged over five answer columns headed answer_headers; P1 marks the first column of
    1.1 and the fourth of HL1, P2 the fifth of 1.1 and the second of HL1."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã phiếu", "Đơn vị", "Ngày khảo sát", "Câu 1.1", None, None, None, None, "HL1", None, None, None, None])
    ws.append([None, None, None, *answer_headers, *answer_headers])
    ws.append(["P1", "Quận 3", "03/10/2022", "x", None, None, None, None, None, None, None, "x", None])
    ws.append(["P2", "Quận 3", "03/10/2022", None, None, None, None, "x", None, "x", None, None, None])
    for first, last in (("D1", "H1"), ("I1", "M1")):
        ws.merge_cells(f"{first}:{last}")
    wb.save(path)
    return path


def test_tick_columns_read_by_what_each_says_in_any_order(tmp_path):
    # Before: only columns running 1 → 5 were read; a form printing «Rất hài lòng» first (or «5 4 3 2 1», or
    # «1. Rất không hài lòng»…) lost every answer (the first mark stored as an invalid 'x', the others dropped)
    words_down = ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
    numbered = ["1. Rất không hài lòng", "2. Không hài lòng", "3. Bình thường", "4. Hài lòng", "5. Rất hài lòng"]
    expected = {"down": [("P1", "1.1", 5), ("P1", "HL1", 2), ("P2", "1.1", 1), ("P2", "HL1", 4)],
                "numbered": [("P1", "1.1", 1), ("P1", "HL1", 4), ("P2", "1.1", 5), ("P2", "HL1", 2)]}
    for name, headers in (("down", words_down), ("desc", ["5", "4", "3", "2", "1"]), ("numbered", numbered)):
        folder = tmp_path / name
        db = _fresh_db(folder)
        result, errors = load_one(db, _tick_form(folder / "phieu.xlsx", headers))
        assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0), name
        got = query(db, "SELECT response_id, item_code, score FROM survey_answers WHERE is_valid ORDER BY 1, 2")
        assert got == expected["numbered" if name == "numbered" else "down"], name
    # a number and words that disagree («1. Rất hài lòng») name no answer: the form is not read as ticks
    folder = tmp_path / "odd"
    db = _fresh_db(folder)
    result, errors = load_one(db, _tick_form(folder / "phieu.xlsx", ["1. Rất hài lòng", *numbered[1:]]))
    assert not result or query(db, "SELECT count(*) FROM survey_answers WHERE is_valid") == [(0,)]


def test_a_bare_tinh_trang_column_is_the_status_only_without_a_trang_thai(tmp_path):
    db, result, errors = _load_text(tmp_path, "hs.csv",
                                    "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Hạn xử lý,Ngày hẹn trả,Tình trạng,Trạng thái\n"
                                    "TS-1,Quận 3,01/03/2022,03/03/2022,10/03/2022,Đúng hạn,Rút hồ sơ\n"
                                    "TS-2,Quận 3,01/03/2022,03/03/2022,10/03/2022,Trễ hạn,Chờ bổ sung\n")
    # before: «Tình trạng» (on-time flags) was read as the status and «Hạn xử lý» as the due date; the withdrawn
    # dossier and the one waiting for papers were counted as in progress
    assert errors == [] and {"Tình trạng", "Hạn xử lý"} <= set(result["ignored_columns"])
    assert query(db, "SELECT dossier_code, status_text, CAST(due_at AS DATE)::VARCHAR FROM dossiers ORDER BY 1") == [
        ("TS-1", "Rút hồ sơ", "2022-03-10"), ("TS-2", "Chờ bổ sung", "2022-03-10")]


def test_a_totals_line_stating_its_count_in_words_is_checked(tmp_path):
    header = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"]
    lines = [[n, f"TC-{n}", "Quận 3", "04/03/2022"] for n in (1, 2, 3, 4)]
    # before: only «Tổng cộng | 6» and «Tổng cộng: 6 hồ sơ» in the first cell were checked
    for n, totals in enumerate(([None, "Tổng cộng: 6 hồ sơ"], ["Tổng cộng", "6 hồ sơ"], [None, "Tổng số: 6"],
                                ["Tổng cộng", "4 hồ sơ"], [None, "Tổng cộng năm 2022"], ["Tổng cộng 6"])):
        folder = tmp_path / str(n)
        db = _fresh_db(folder)
        path = write_workbook(folder / "hs.xlsx", {"HS": [header, *lines, totals]})
        result, errors = load_one(db, path)
        assert errors == [] and result["rows_loaded"] == 4
        said = [w for w in result["warnings"] if w.startswith("Dòng tổng cộng")]
        # the line quoted as the file writes it (its first cell with words), with its place: row 6 under 4 dossiers
        first = next(c for c in totals if c)
        assert said == ([f"Dòng tổng cộng «{first}» (trang «HS», dòng 6) ghi 6 hồ sơ nhưng tệp có 4 dòng hồ sơ chi tiết."]
                        if n < 3 or n == 5 else []), totals


def _grouped_report(path, title: list) -> str:
    header = ["STT", "Mã hồ sơ", "Tên thủ tục", "Ngày tiếp nhận", "Ngày có kết quả"]
    rows = [["BÁO CÁO CHI TIẾT HỒ SƠ THEO ĐƠN VỊ"], *title, [], header,
            ["I. Phường Võ Thị Sáu"], [1, "G-1", "Chứng thực", "01/03/2022", "03/03/2022"],
            [2, "G-2", "Chứng thực", "02/03/2022", "04/03/2022"], [None, "Cộng Phường Võ Thị Sáu: 2 hồ sơ"],
            ["II", "UBND Quận 3"], [1, "G-3", "Chứng thực", "01/03/2022", "03/03/2022"],
            [None, "Tổng cộng: 3 hồ sơ"]]
    return write_workbook(path, {"HS": rows})


def test_a_report_grouping_dossiers_under_unit_lines_gives_each_its_unit(tmp_path):
    # Before: without a title unit the file was refused (no unit column); with «Đơn vị: UBND Quận 3» above the
    # header every dossier went to Quận 3, the ward's included
    for title in ([], [["Đơn vị: UBND Quận 3"]]):
        folder = tmp_path / str(len(title))
        db = _fresh_db(folder)
        result, errors = load_one(db, _grouped_report(folder / "bao_cao.xlsx", title))
        assert errors == [] and (result["rows_loaded"], result["rows_skipped"]) == (3, 4)
        assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
            ("G-1", "Q3_VTS"), ("G-2", "Q3_VTS"), ("G-3", "Q3")]
        assert any("dòng nhóm" in w for w in result["warnings"])


def test_group_lines_naming_no_unit_of_the_list_leave_the_file_refused(tmp_path):
    result, errors = load_one(tmp_path / "t.duckdb", _grouped_report(tmp_path / "bao_cao.xlsx", []))
    assert result is None and "nạp danh mục đơn vị trước" in errors[0]


def test_a_csv_whose_vietnamese_letters_became_question_marks_says_so(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_text("M? h? s?,??n v?,Ng?y ti?p nh?n,Ng?y h?n tr?\nQ-1,Qu?n 1,01/03/2022,10/03/2022\n", encoding="ascii")
    result, errors = load_one(tmp_path / "t.duckdb", path)
    # before: only «không tìm thấy cột bắt buộc» and the headers tried
    assert result is None and "đã bị thay bằng dấu «?»" in errors[0] and "CSV UTF-8" in errors[0]


def test_a_value_no_word_reads_is_said_under_the_files_own_header(tmp_path):
    _, result, errors = _load_text(tmp_path, "hs.csv", "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Tình trạng hồ sơ\n"
                                                      "K-1,Quận 3,01/03/2022,Đang thẩm tra\n")
    # before: «ở cột Trạng thái», a header the file does not have
    assert "Giá trị không nhận ra ở cột «Tình trạng hồ sơ» (Trạng thái): 'Đang thẩm tra'" in format_summary([result], [])


def test_kobo_phone_and_device_metadata_are_dropped_as_personal_data(tmp_path):
    _, result, errors = _load_text(tmp_path, "kobo.csv", "start,end,Đơn vị,1.1,HL1,deviceid,phonenumber,_uuid\n"
                                   "2022-10-03T09:00:00.000+07:00,2022-10-03T09:05:00.000+07:00,Quận 3,5,4,"
                                   "collect:Ab12Cd34,0912345678,uuid-1\n", as_of=date(2022, 12, 31))
    # before: listed among the columns not read, as if they were a form's question
    assert errors == [] and {"deviceid", "phonenumber"} <= set(result["dropped_columns"])
