"""Fourth loader probe: files as other vendors and offices write them — Google Forms' 12-hour timestamps with their
zone, a Kobo group over the general questions, a Google grid, a results table passed off as questionnaires, signature
blocks under reference lists, the national catalogue's wordings and full procedure codes, a dossier list under two
header rows, the same dossier on two sheets, a dotted 'đến ngày' in the title. Every expected value is worked out by
hand in the comments."""
import unicodedata
from datetime import date, datetime

import duckdb
import pytest

from common.text import procedure_key, procedure_key_sql
from etl.core.database import connect
from etl.dossiers.snapshot import snapshot_from_titles
from etl.importer import import_paths
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

D = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]


@pytest.fixture()
def db(tmp_path):
    return database_with_units(tmp_path)


# ---------------------------------------------------------------------------------------------------------------
# Dates and titles

@pytest.mark.parametrize("text, expected", [
    ("2022/10/03 9:15:02 AM GMT+7", datetime(2022, 10, 3, 9, 15, 2)),      # Google Forms, Vietnam's zone
    ("2022/10/03 2:40:11 PM GMT+7", datetime(2022, 10, 3, 14, 40, 11)),    # 2 PM is 14:00
    ("2022/10/03 12:05:00 AM GMT+7", datetime(2022, 10, 3, 0, 5)),         # 12 AM is midnight
    ("2022/10/03 9:15:02 AM GMT+07:00", datetime(2022, 10, 3, 9, 15, 2)),
    ("2022/10/03 11:15:02 PM GMT+0", datetime(2022, 10, 4, 6, 15, 2)),     # 23:15 UTC is 06:15 the next day here
    ("2022/10/03 9:15:02 AM UTC-5", datetime(2022, 10, 3, 21, 15, 2)),     # 14:15 UTC, +7 h
    ("2022/10/03 9:15 SA", datetime(2022, 10, 3, 9, 15)),                  # Vietnamese AM, no zone: as written
    ("2022/13/03 9:15:02 AM GMT+7", None),                                 # no 13th month
    ("08:30 - 03/04/2022", datetime(2022, 4, 3, 8, 30)),                   # time first, then a dash
])
def test_year_first_twelve_hour_times_with_their_zone(tmp_path, text, expected):
    con = connect(tmp_path / "x.duckdb")
    assert con.execute("SELECT parse_ts(?)", [text]).fetchall()[0][0] == expected


@pytest.mark.parametrize("title", ["Từ ngày 01.06.2022 đến ngày 30.06.2022", "Từ ngày: 01/06/2022 Đến ngày: 30/06/2022",
                                   unicodedata.normalize("NFD", "Từ ngày 01/06/2022 đến ngày 30/06/2022")])
def test_the_snapshot_day_is_read_from_a_title_however_it_is_written(title):
    # before: None for all three, and the snapshot became the latest date in the file (a mistyped 2032 one)
    assert snapshot_from_titles([[title]]) == date(2022, 6, 30)


def test_a_dotted_title_date_keeps_a_later_month_newer(db, tmp_path):
    # June's export says 'đến ngày 30.06.2022' and holds a receipt mistyped 29/06/2032; July's says 31/07/2022 and
    # finishes GL-02. With the title read, June is the 30/06 snapshot and July replaces it (before: June's snapshot
    # was 29/06/2032, July was "older" and GL-02 stayed pending for good).
    june = write_xlsx(tmp_path / "t6.xlsx", [["BÁO CÁO HỒ SƠ"], ["Từ ngày 01.06.2022 đến ngày 30.06.2022"], D,
                                             [1, "GL-01", "Quận 3", "29/06/2032 08:00", "30/06/2022", None, "Đang xử lý"],
                                             [2, "GL-02", "Quận 3", "10/06/2022 08:00", "30/07/2022", None, "Đang xử lý"]])
    july = write_xlsx(tmp_path / "t7.xlsx", [["BÁO CÁO HỒ SƠ"], ["Từ ngày 01/07/2022 đến ngày 31/07/2022"], D,
                                             [1, "GL-02", "Quận 3", "10/06/2022 08:00", "30/07/2022", "20/07/2022 10:00",
                                              "Đã trả kết quả"]])
    first, errors = load_one(db, june)
    assert errors == [] and first["snapshot_date"] == "2022-06-30"
    assert any("sau ngày chụp số liệu 30/06/2022" in w for w in first["warnings"])
    second, errors = load_one(db, july)
    assert errors == [] and second["rows_updated"] == 1
    assert query(db, "SELECT status_code, finished_at FROM dossiers WHERE dossier_code = 'GL-02'") == [
        (10, datetime(2022, 7, 20, 10, 0))]


# ---------------------------------------------------------------------------------------------------------------
# Dossier exports

def _two_sheets(path, first, second):
    from openpyxl import Workbook
    wb = Workbook()
    for i, (title, rows) in enumerate((first, second)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        for r in [D, *rows]:
            ws.append(r)
    wb.save(path)
    return path


FINISHED = ("Đã giải quyết", [[1, "TS-01", "Quận 3", "01/11/2022 08:00", "10/11/2022", "02/11/2022 10:00", "Đã trả kết quả"],
                              [2, "TS-03", "Quận 3", "02/11/2022 08:00", "04/11/2022 17:00", "04/11/2022 16:00",
                               "Đã xử lý xong"]])
PENDING = ("Đang giải quyết", [[1, "TS-03", "Quận 3", "02/11/2022 08:00", "04/11/2022 17:00", None, "Đang xử lý"],
                               [2, "TS-04", "Quận 3", "03/11/2022 08:00", "20/11/2022", None, "Đang xử lý"]])


def test_a_dossier_on_two_sheets_keeps_its_finished_line(db, tmp_path):
    # TS-03 finished on the first sheet (row 3) and pending on the second (row 2): the finished line stays, the
    # pending one is set aside naming it. Before: the pending line replaced it (status 4, no result date).
    result, errors = load_one(db, _two_sheets(tmp_path / "hai_trang.xlsx", FINISHED, PENDING))
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"]) == (3, 1)
    reject = result["rejects"][0]
    assert (reject["sheet"], reject["row"], reject["reason_code"]) == ("Đang giải quyết", 2, "duplicate_in_file")
    assert "dòng 3 trang «Đã giải quyết»" in reject["reason"]
    assert query(db, "SELECT status_code, finished_at FROM dossiers WHERE dossier_code = 'TS-03'") == [
        (9, datetime(2022, 11, 4, 16, 0))]


def test_a_finished_line_on_a_later_sheet_replaces_the_pending_one(db, tmp_path):
    result, errors = load_one(db, _two_sheets(tmp_path / "hai_trang.xlsx", PENDING, FINISHED))
    assert errors == [] and result["rows_rejected"] == 0
    assert query(db, "SELECT status_code FROM dossiers WHERE dossier_code = 'TS-03'") == [(9,)]
    assert query(db, "SELECT count(*) FROM dossiers") == [(3,)]


def test_a_dossier_list_under_grouped_headers_is_not_taken_for_a_progress_report(db, tmp_path):
    # «Đơn vị» over «Mã | Tên», «Thời gian» over «Tiếp nhận | Hẹn trả | Hoàn thành | Trả kết quả», «Số hóa» over
    # «Hồ sơ | Kết quả»: read as a plan-progress report (task code «Mã», deadline «Hoàn thành», status «Kết quả»),
    # its dossiers all rejected. A header with «Mã hồ sơ» and a received date is a dossier list's, and «Đơn vị»
    # over «Mã» is the unit's code (read since probe 31 joins a sub-header and its group either way round; the
    # file was refused before, naming the unit column it seemed to lack).
    rows = [["BÁO CÁO CHI TIẾT HỒ SƠ TTHC CỦA UBND QUẬN 3"],
            ["STT", "Mã hồ sơ", "Đơn vị", None, "Thời gian", None, None, None, "Số hóa", None, "Trạng thái"],
            [None, None, "Mã", "Tên", "Tiếp nhận", "Hẹn trả", "Hoàn thành", "Trả kết quả", "Hồ sơ", "Kết quả", None],
            [1, "G-1", "Q3", "Quận 3", "01/11/2022 08:00", "05/11/2022", "04/11/2022", "04/11/2022", "Có", "Có",
             "Đã trả kết quả"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "nhom.xlsx", rows))
    assert errors == [] and result["kind"] == "dossiers" and result["rows_loaded"] == 1
    assert query(db, "SELECT dossier_code, unit_code, CAST(due_at AS DATE), CAST(finished_at AS DATE) FROM dossiers") \
        == [("G-1", "Q3", date(2022, 11, 5), date(2022, 11, 4))]


def test_unicode_text_named_xls_with_a_title_line_is_read(db, tmp_path):
    # Excel's "Unicode Text" (UTF-16, tabs) saved as .xls; its first line, the title, has no tab
    lines = ["DANH SÁCH HỒ SƠ ĐÃ TIẾP NHẬN", "\t".join(D),
             "\t".join(["1", "U-1", "Quận 3", "01/11/2022 08:00", "10/11/2022", "", "Đang xử lý"])]
    path = tmp_path / "xuat.xls"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-16"))
    result, errors = load_one(db, path)
    assert errors == [] and result["rows_loaded"] == 1


def test_a_bad_date_in_a_unit_block_is_said_as_a_bad_date(db, tmp_path):
    # the unit written once for its block; the second line's receipt '31.02.2022' cannot be a day: rejected for
    # that date (before: for a missing unit, which adding the unit would not have cured)
    rows = [D, [1, "B-1", "Quận 3", "01/03/2022 08:00", "10/03/2022", None, "Đang xử lý"],
            [2, "B-2", None, "31.02.2022", "10/03/2022", None, "Đang xử lý"],
            [3, "B-3", None, "02/03/2022 08:00", "10/03/2022", None, "Đang xử lý"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "khoi.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2
    assert [(r["row"], r["reason_code"], r["field"]) for r in result["rejects"]] == [(3, "bad_date", "received_at")]


def test_fees_written_per_dossier_or_in_thousands_keep_the_dossier(db, tmp_path):
    # before: each of these dossiers was rejected ('Số không hợp lệ') and fell out of every timeliness count
    rows = [[*D, "Phí, lệ phí"]] + [[i, f"F-{i}", "Quận 3", "01/03/2022 08:00", "10/03/2022", None, "Đang xử lý", fee]
                                    for i, fee in enumerate(["50.000 đ/hồ sơ", "100k", "1 triệu", "1,5 triệu", "45/50"], 1)]
    result, errors = load_one(db, write_xlsx(tmp_path / "phi.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 4
    assert [(r["row"], r["field"]) for r in result["rejects"]] == [(6, "fee_amount")]   # '45/50' is no amount
    assert query(db, "SELECT dossier_code, fee_amount FROM dossiers ORDER BY 1") == [
        ("F-1", 50_000), ("F-2", 100_000), ("F-3", 1_000_000), ("F-4", 1_500_000)]


def test_requester_and_paper_number_columns_are_dropped_as_personal_data(db, tmp_path):
    rows = [[*D, "Người yêu cầu", "Số giấy tờ", "MaDinhDanh"],
            [1, "P-1", "Quận 3", "01/03/2022 08:00", "10/03/2022", None, "Đang xử lý", "Nguyễn Văn A", "079201001234",
             "079201001234"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "ca_nhan.xlsx", rows))
    assert errors == []
    assert set(result["dropped_columns"]) >= {"Người yêu cầu", "Số giấy tờ", "MaDinhDanh"}
    assert query(db, "SELECT count(*) FROM raw_dossier_rows WHERE contains(CAST(raw_dossier_rows AS VARCHAR), "
                      "'079201001234') OR contains(CAST(raw_dossier_rows AS VARCHAR), 'Nguyễn Văn A')") == [(0,)]


# ---------------------------------------------------------------------------------------------------------------
# The procedure catalogue and the unit list

def test_procedure_key_is_the_same_in_python_and_sql():
    con = duckdb.connect()
    for code in ["1.001612.000.00.00.H29", "1.001612", " 2.000748.000.00.00.H29 ", "1.001612.000.00.00", "ABC", None]:
        assert procedure_key(code) == con.execute(f"SELECT {procedure_key_sql('$1')}", [code]).fetchall()[0][0]
    assert procedure_key("1.001612.000.00.00.H29") == "1.001612"


def test_the_national_catalogue_as_exported(db, tmp_path):
    # Mức độ written in full; codes with the place suffix; 'UBND cấp xã' for every ward; a time limit with the
    # number in words too. Before: 'Dịch vụ công trực tuyến toàn trình' and 'DVCTT một phần' became 'none' with no
    # word said, 'UBND cấp xã' was stored as a unit code, '10 (mười) ngày làm việc' as no time limit, and a
    # dossier's «1.001612» never met the catalogue's «1.001612.000.00.00.H29».
    rows = [["Mã TTHC", "Tên TTHC", "Mức độ DVC", "Thời hạn giải quyết", "Cơ quan thực hiện"],
            ["1.001612.000.00.00.H29", "Đăng ký khai sinh", "Dịch vụ công trực tuyến toàn trình",
             "10 (mười) ngày làm việc", "UBND cấp xã"],
            ["1.004227.000.00.00.H29", "Chứng thực bản sao", "DVCTT một phần", "02 ngày làm việc", "Sở Tư pháp"],
            ["2.000815.000.00.00.H29", "Cấp bản sao trích lục", "Mức độ độc đáo", "03 ngày làm việc", "Quận 3"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "tthc.xlsx", rows))
    assert errors == []
    assert query(db, "SELECT procedure_code, online_level, statutory_days FROM procedures ORDER BY 1") == [
        ("1.001612", "full", 10), ("1.004227", "partial", 2), ("2.000815", None, 3)]   # unread: no level, not 'none'
    assert any("«Mức độ độc đáo» không nhận ra" in w for w in result["warnings"])
    wards = {r[0] for r in query(db, "SELECT unit_code FROM units WHERE level = 'ward'")}
    assert {r[0] for r in query(db, "SELECT unit_code FROM procedure_units WHERE procedure_code = '1.001612'")} == wards
    # a dossier written with the short code takes the catalogue's time limit: received Friday 01/04/2022, 10
    # working days: 4–8/4 (5), Monday 11/4 off (Giỗ Tổ Hùng Vương, Sunday 10/4, given the Monday), 12–15/4 (9),
    # Monday 18/4 the tenth
    dossiers = write_xlsx(tmp_path / "hs.xlsx", [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Trạng thái"],
                                                 ["K-1", "Phường 9", "1.001612", "01/04/2022 08:00", "Đang xử lý"]])
    result, errors = load_one(db, dossiers)
    assert errors == []
    due = query(db, "SELECT procedure_code, CAST(due_at AS DATE), is_due_derived FROM dossiers")
    assert due == [("1.001612", date(2022, 4, 18), True)]


def test_a_plan_annex_with_a_target_in_words_loads_the_others(db, tmp_path):
    # the PAR INDEX rank target is words, not a number, and no figure the tool computes: said and left out; before,
    # it refused the whole annex ('giá trị chỉ tiêu … không phải số'). The sync wording now names sync_rate.
    rows = [["PHỤ LỤC CHỈ TIÊU NĂM 2022"], ["STT", "Năm", "Chỉ tiêu", "Đơn vị áp dụng", "Chỉ tiêu giao"],
            [1, 2022, "Tỷ lệ hồ sơ giải quyết đúng hạn", "Toàn thành phố", "Trên 99%"],
            [2, 2022, "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", "Toàn thành phố", "Tối thiểu 90%"],
            [3, 2022, "Xếp hạng Chỉ số CCHC (PAR INDEX)", "Toàn thành phố", "Trong nhóm 10 tỉnh, thành phố dẫn đầu"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "chi_tieu.xlsx", rows))
    assert errors == []
    assert sorted(query(db, "SELECT indicator, comparator, target_value FROM targets")) == [
        ("on_time_rate", ">", 0.99), ("sync_rate", ">=", 0.9)]
    assert any("«Trong nhóm 10 tỉnh, thành phố dẫn đầu», không phải số" in w for w in result["warnings"])


def test_a_decision_annex_of_procedures_grouped_by_level_and_sector(db, tmp_path):
    # 'A | THỦ TỤC CẤP XÃ', 'I | Lĩnh vực Hộ tịch' are headings: skipped, the sector given to the procedures under
    # it. With «Tên thủ tục hành chính» read as the name, the first heading refused the file ('thiếu mã thủ tục').
    path = write_csv(tmp_path / "phu_luc.csv", [
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Thời hạn giải quyết", "Mức độ DVC", "Cơ quan thực hiện"],
        ["A", "", "THỦ TỤC HÀNH CHÍNH CẤP XÃ", "", "", ""], ["I", "", "Lĩnh vực Hộ tịch", "", "", ""],
        ["1", "1.001193", "Đăng ký khai sinh", "05 ngày làm việc", "Toàn trình", "Cấp xã"],
        ["II", "", "LĨNH VỰC CHỨNG THỰC", "", "", ""],
        ["2", "2.000815", "Chứng thực bản sao", "02 ngày làm việc", "", "Cấp xã"]], delimiter=";")
    result, errors = load_one(db, path)
    assert errors == [] and (result["rows_loaded"], result["rows_skipped"]) == (2, 3)
    assert query(db, "SELECT procedure_code, procedure_name, field_name FROM procedures ORDER BY 1") == [
        # a heading in capitals gives the sector as catalogues write sectors (tests/test_loader_probe30.py)
        ("1.001193", "Đăng ký khai sinh", "Hộ tịch"), ("2.000815", "Chứng thực bản sao", "Chứng thực")]


def test_a_unit_list_with_its_signature_block_and_commune_words(tmp_path):
    rows = [["DANH MỤC ĐƠN VỊ"], ["Mã đơn vị", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"],
            ["HCM", "Thành phố Hồ Chí Minh", "Tỉnh", None], ["CG", "Huyện Cần Giờ", "Huyện", "HCM"],
            ["CG_CT", "Thị trấn Cần Thạnh", "Thị trấn", "CG"], ["TD", "Thành phố Thủ Đức", "Thành phố thuộc thành phố", "HCM"],
            ["BHXH", "Bảo hiểm xã hội Thành phố", "Cơ quan ngành dọc", "HCM"], ["XX", "Trung tâm Y", "Trung tâm", "HCM"],
            [None, None, None, None], ["Người lập biểu", None, None, "GIÁM ĐỐC"], [None, None, None, None],
            ["Trần Thị B", None, None, "Nguyễn Văn C"]]
    path = tmp_path / "t.duckdb"
    results, errors = import_paths(path, [write_xlsx(tmp_path / "dv.xlsx", rows)], swap=False)
    # before: 'dòng 10: thiếu mã, tên hoặc cấp của đơn vị. Không nạp dòng nào'
    assert errors == []
    assert results[0]["rows_loaded"] == 6 and results[0]["rows_skipped"] == 4
    assert dict(query(path, "SELECT unit_code, level FROM units")) == {
        "HCM": "province", "CG": "district", "CG_CT": "ward", "TD": "district", "BHXH": "vertical",
        "XX": "trung_tam"}
    assert any("«Trung tâm» không phải cấp đã biết" in w and "XX" in w for w in results[0]["warnings"])


# ---------------------------------------------------------------------------------------------------------------
# Surveys

def test_google_forms_timestamps_with_a_clock_and_a_zone(db, tmp_path):
    path = write_csv(tmp_path / "gf.csv", [
        ["Dấu thời gian", "Họ và tên", "Đơn vị", "Câu 1.1. Nơi ngồi chờ", "Câu HL1. Mức độ hài lòng về tiếp cận dịch vụ"],
        ["2022/10/03 9:15:02 AM GMT+7", "Nguyễn Văn An", "Quận 3", "5", "5"],
        ["2022/10/03 2:40:11 PM GMT+7", "", "Sở Tư pháp", "4", "4"],
        ["2022/10/04 8:05:45 AM GMT+7", "", "Quận 3", "3", "4"]])
    result, errors = load_one(db, path)
    # before: all three rejected, 'ngày khảo sát «2022/10/03 9:15:02 AM GMT+7» không đọc được'
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 0)
    assert sorted(r[0] for r in query(db, "SELECT survey_date FROM survey_responses")) == [
        date(2022, 10, 3), date(2022, 10, 3), date(2022, 10, 4)]


def test_kobo_general_questions_inside_a_group(db, tmp_path):
    rows = [["start", "Thông tin chung/Đơn vị được khảo sát", "Thông tin chung/Giới tính", "Thông tin chung/Họ và tên",
             "Yếu tố 1/1.1 Nơi ngồi chờ", "Yếu tố 1/HL1 Hài lòng về tiếp cận dịch vụ", "_id", "_submission_time"],
            ["2022-07-01T08:00:00", "Quận 3", "Nữ", "Lê Thị C", "5", "4", "1001", "2022-06-30T17:30:00"],
            ["2022-07-02T08:00:00", "Sở Tư pháp", "Nam", "", "3", "3", "1002", "2022-07-02T02:00:00"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "kobo.xlsx", rows))
    # before: refused, 'không tìm thấy cột «Đơn vị được khảo sát»'; with a mapping, the gender was not read
    assert errors == [] and result["rows_loaded"] == 2
    assert sorted(query(db, "SELECT unit_code, gender FROM survey_responses")) == [("Q3", "Nữ"), ("STP", "Nam")]
    assert "Thông tin chung/Họ và tên" in result["dropped_columns"]


def test_a_google_forms_grid_names_its_criteria_in_brackets(db, tmp_path):
    rows = [["Dấu thời gian", "Đơn vị", "Yếu tố 1. Tiếp cận dịch vụ [1.1. Nơi ngồi chờ có đủ chỗ ngồi]",
             "Yếu tố 1. Tiếp cận dịch vụ [1.2. Có đủ trang thiết bị phục vụ]", "Hài lòng chung"],
            ["03/10/2022 09:00:00", "Quận 3", "5", "4", "4"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "grid.xlsx", rows))
    # before: only «Hài lòng chung» was read, the grid's two criteria were left out
    assert errors == []
    assert sorted(query(db, "SELECT item_code, score FROM survey_answers")) == [("1.1", 5), ("1.2", 4), ("HL", 4)]


def test_a_signature_title_in_the_code_column_is_not_a_questionnaire(db, tmp_path):
    rows = [["Mã phiếu", "Đơn vị", "1.1", "1.2", "HL1"], ["P1", "Quận 3", "5", "4", "5"],
            ["P2", "Quận 3", "4", "4", "4"], ["Tổng cộng", None, None, None, None],
            ["Người lập biểu", None, None, "TRƯỞNG PHÒNG NỘI VỤ", None], [None, "Trần Văn D", None, None, None]]
    result, errors = load_one(db, write_xlsx(tmp_path / "giay.xlsx", rows), as_of=date(2022, 12, 31))
    # before: 'Người lập biểu' was a questionnaire rejected for a missing unit
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 3)


def test_a_results_table_per_criterion_is_refused_not_loaded_as_questionnaires(db, tmp_path):
    rows = [["STT", "Đơn vị", "Số phiếu", "1.1", "1.2", "1.3"], [1, "Quận 3", 120, "92,5", "90,0", "88,3"],
            [2, "Sở Tư pháp", 85, "96,47", "94,12", "91,76"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "ket_qua.xlsx", rows), as_of=date(2022, 12, 31))
    # before: two questionnaires numbered 120 and 85, every answer invalid
    assert result is None and len(errors) == 1
    assert "6/6 ô" in errors[0] and "bảng kết quả tổng hợp" in errors[0]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]


def test_microsoft_forms_with_the_unit_asked_as_a_question_and_answers_in_words(db, tmp_path):
    rows = [["ID", "Start time", "Completion time", "Email", "Name", "Ông/Bà đến giao dịch tại đơn vị nào?",
             "1.1 Nơi ngồi chờ", "1.2 Trang thiết bị", "HL1 Hài lòng về tiếp cận"],
            [1, datetime(2022, 10, 3, 9), datetime(2022, 10, 3, 9, 5), "a@b.vn", "Lê Văn E", "Quận 3", "Hài lòng (4)", "Chưa hài lòng",
             "5 - Rất hài lòng"],
            [2, datetime(2022, 10, 4, 9), datetime(2022, 10, 4, 9, 5), "c@d.vn", "Phạm F", "Sở Tư pháp", "Rất hài lòng", "Hài lòng - 4",
             "Hài lòng (5)"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "ms.xlsx", rows))   # the times are Excel date cells
    # before: refused (no unit column: the unit asked as a question), 'Hài lòng (4)' and 'Chưa hài lòng' invalid
    assert errors == [] and result["rows_loaded"] == 2
    # «Name» is the respondent's: dropped as personal data, not listed among the columns not read
    assert {"Email", "Name"} <= set(result["dropped_columns"]) and "Name" not in str(result.get("ignored_columns"))
    answers = sorted(query(db, "SELECT r.unit_code, a.item_code, a.score, a.is_valid FROM survey_answers a "
                                "JOIN survey_responses r USING (source, response_id)"))
    # 'Hài lòng (5)': the number says 5, the words 4 — not guessed, invalid as any such pair
    assert answers == [("Q3", "1.1", 4, True), ("Q3", "1.2", 2, True), ("Q3", "HL1", 5, True),
                       ("STP", "1.1", 5, True), ("STP", "1.2", 4, True), ("STP", "HL1", None, False)]
