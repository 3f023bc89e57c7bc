"""Thirty-fifth loader probe: dossier exports in layouts the earlier probes had not tried — a processing log (one line
per step), weekdays written short («CN, 10/03/2024»), «Mã ĐV | Tên ĐV», a result date typed 2204 beside a right
receipt, and time columns written as offices type them. Expected values are counted by hand."""
from datetime import date, datetime

from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

VTS = "Phường Võ Thị Sáu"


def test_a_processing_log_is_refused_and_leaves_the_database_as_it_was(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                                                        ["A1", VTS, "01/03/2024"]]))[1] == []
    step = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Hạn giải quyết", "Bước xử lý", "Ngày bắt đầu",
            "Ngày kết thúc", "Trạng thái"]
    log = write_xlsx(tmp_path / "nhat_ky.xlsx", [
        ["NHẬT KÝ XỬ LÝ HỒ SƠ THÁNG 3/2024"], step,
        [1, "K01", VTS, "01/03/2024", "05/03/2024", "Tiếp nhận hồ sơ", "01/03/2024", "01/03/2024", "Hoàn thành"],
        [2, "K01", VTS, "01/03/2024", "05/03/2024", "Trình ký", "04/03/2024", "06/03/2024", "Hoàn thành"],
        [3, "K01", VTS, "01/03/2024", "05/03/2024", "Trả kết quả", "06/03/2024", "07/03/2024", "Hoàn thành"],
        [4, "K02", VTS, "11/03/2024", "18/03/2024", "Tiếp nhận hồ sơ", "11/03/2024", "11/03/2024", "Hoàn thành"],
        [5, "K02", VTS, "11/03/2024", "18/03/2024", "Trình ký", "12/03/2024", None, "Đang xử lý"]])
    result, errors = load_one(db, log)
    # before: K01's first step kept, its end 01/03 taken for the result — resolved early, though handed over late
    assert result is None and len(errors) == 1
    assert "nhật ký xử lý hồ sơ" in errors[0] and "«Bước xử lý»" in errors[0] and "«K01» ở các dòng 3, 4, 5" in errors[0]
    assert query(db, "SELECT dossier_code FROM dossiers") == [("A1",)]


def test_a_column_of_the_current_step_in_a_list_of_dossiers_loads(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Bước xử lý"],
        ["A1", VTS, "01/03/2024", "Trình ký"], ["A2", VTS, "02/03/2024", "Tiếp nhận"]]))
    assert errors == [] and result["rows_loaded"] == 2


def test_weekdays_written_short_before_the_date(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả"],
        ["B1", VTS, "CN, 10/03/2024", "T3, 12/03/2024 09:15"],
        ["B2", VTS, "T7 09/03/2024", ""]]))
    assert errors == [] and result["rows_rejected"] == 0
    assert query(db, "SELECT dossier_code, received_at, finished_at FROM dossiers ORDER BY 1") == [
        ("B1", datetime(2024, 3, 10), datetime(2024, 3, 12, 9, 15)), ("B2", datetime(2024, 3, 9), None)]


def test_unit_code_and_name_headed_short(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Số hồ sơ", "Mã ĐV", "Tên ĐV", "Ngày nhận"],
        ["C1", "000.01.22.H29", "P. Võ Thị Sáu", "04/03/2024"],
        ["C2", "000.02.22.H29", "UBND Phường 9 Quận 3", "05/03/2024"]]))
    assert errors == [] and result["rows_loaded"] == 2
    # the portal codes name no unit of the list; the names do
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [("C1", "Q3_VTS"), ("C2", "Q3_P09")]


def test_a_result_typed_in_a_far_year_leaves_the_receipt_of_its_line_for_the_snapshot(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"],
        ["S1", VTS, "04/03/2024", "11/03/2024", "08/03/2024"],
        ["S2", VTS, "11/03/2024", "18/03/2024", "19/03/2024"],
        ["S3", VTS, "20/03/2024", "27/03/2024", "26/03/2204"]]))
    assert errors == []
    # the latest date not after today is S3's receipt, 20/03 (before: the whole line left out, 19/03)
    assert result["snapshot_date"] == "2024-03-20"
    said = [w for w in result["warnings"] if "sau hôm nay" in w]
    assert len(said) == 1 and "ở cột «Ngày có kết quả» (dòng 4)" in said[0], result["warnings"]
    assert not any("tiếp nhận sau ngày chụp" in w for w in result["warnings"]), result["warnings"]


def test_time_columns_as_offices_type_them(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Giờ nhận"],
        ["T1", VTS, "05/03/2024", "14h35"], ["T2", VTS, "05/03/2024", "14g35"],
        ["T3", VTS, "05/03/2024", "14 giờ 35 phút"], ["T4", VTS, "05/03/2024", "0.6076"],   # 14:35 as Excel keeps it
        ["T5", VTS, "05/03/2024", "abc"], ["T6", VTS, "05/03/2024", "8g"]]))
    assert errors == [] and result["rows_loaded"] == 6
    assert query(db, "SELECT dossier_code, received_at FROM dossiers ORDER BY 1") == [
        ("T1", datetime(2024, 3, 5, 14, 35)), ("T2", datetime(2024, 3, 5, 14, 35)), ("T3", datetime(2024, 3, 5, 14, 35)),
        ("T4", datetime(2024, 3, 5, 14, 35)), ("T5", datetime(2024, 3, 5)), ("T6", datetime(2024, 3, 5, 8, 0))]
    # before: «abc» (and every form but 14:35) joined as midnight without a word
    said = [w for w in result["warnings"] if "không đọc được giờ" in w]
    assert said == ["1 hồ sơ có ô «Giờ tiếp nhận» không đọc được giờ («abc»; dòng 6): «Ngày tiếp nhận» được nạp không có "
                    "giờ (00:00). Giờ viết 14:35, 14h35, 14 giờ 35 phút hay 2:35 CH được đọc."]


def test_a_list_with_an_actions_or_current_step_column_and_one_repeated_code_is_no_log(tmp_path):
    # review: «Thao tác» (Xem | Sửa) and «Bước hiện tại» are no step columns; one dossier listed twice (pending,
    # then finished) is a duplicate, not a log
    for column, cells in (("Thao tác", ["Xem", "Xem", "Xem", "Sửa"]), ("Bước hiện tại", ["Tiếp nhận", "Thẩm định",
                                                                                          "Trả kết quả", "Trình ký"]),
                          ("Bước xử lý", ["Tiếp nhận", "Thẩm định", "Trả kết quả", "Trình ký"])):
        db = database_with_units(tmp_path / column)
        rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả", column],
                ["A1", VTS, "01/03/2024", "", cells[0]], ["A2", VTS, "02/03/2024", "", cells[1]],
                ["A3", VTS, "03/03/2024", "05/03/2024", cells[2]], ["A2", VTS, "02/03/2024", "06/03/2024", cells[3]]]
        result, errors = load_one(db, write_csv(tmp_path / column / "hs.csv", rows))
        assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 1), column
        assert query(db, "SELECT CAST(finished_at AS DATE) FROM dossiers WHERE dossier_code = 'A2'") == [
            (date(2024, 3, 6),)]


def test_a_unit_code_column_beside_the_receiving_and_handling_units_leaves_them_their_pair(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Mã ĐV", "Đơn vị tiếp nhận", "Đơn vị xử lý", "Ngày tiếp nhận"],
        ["A1", "000.01.22.H29", "Bộ phận một cửa", VTS, "04/03/2024"]]))
    assert errors == [] and query(db, "SELECT unit_code FROM dossiers") == [("Q3_VTS",)]


def test_times_out_of_the_clock_or_beside_no_date(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày nhận", "Giờ nhận", "Ngày có kết quả", "Giờ có kết quả"],
        ["U1", VTS, "05/03/2024", "25h", "", "--:--"], ["U2", VTS, "05/03/2024", "14h75", "", "Chưa có"],
        ["U3", VTS, "05/03/2024 09:15", "abc", "06/03/2024", "10h30"]]))
    # review: «25h», «14h75» joined made the date unreadable and the dossier rejected; a placeholder beside no result
    # date, or a time beside a date that has its own, was said to load at midnight
    assert errors == [] and result["rows_loaded"] == 3
    assert query(db, "SELECT dossier_code, received_at, finished_at FROM dossiers ORDER BY 1") == [
        ("U1", datetime(2024, 3, 5), None), ("U2", datetime(2024, 3, 5), None),
        ("U3", datetime(2024, 3, 5, 9, 15), datetime(2024, 3, 6, 10, 30))]
    said = [w for w in result["warnings"] if "không đọc được giờ" in w]
    assert len(said) == 1 and said[0].startswith("2 hồ sơ có ô «Giờ tiếp nhận» không đọc được giờ («14h75», «25h»; "
                                                 "dòng 2, 3)"), said
