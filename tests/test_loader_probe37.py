"""Thirty-seventh loader probe: reports that count dossiers read as dossier lists («Số hồ sơ» holding the counts),
finished dossiers without any date, and a workbook of one sheet per status without a status column. Expected values
are counted by hand."""
from datetime import date

from tests.files import database_with_units, load_one, march_total, query, write_csv, write_workbook, write_xlsx

VTS = "Phường Võ Thị Sáu"


def test_a_report_counting_dossiers_per_unit_and_day_is_refused(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_xlsx(tmp_path / "tong_hop.xlsx", [
        ["TỔNG HỢP HỒ SƠ TIẾP NHẬN THEO NGÀY"],
        ["STT", "Đơn vị", "Ngày tiếp nhận", "Số hồ sơ", "Đã giải quyết", "Đang giải quyết"],
        [1, VTS, "04/03/2024", 12, 11, 1], [2, "Phường 9", "04/03/2024", 8, 8, 0],
        [3, VTS, "05/03/2024", 5, 4, 1], [4, "Phường 9", "05/03/2024", 7, 6, 1], ["Tổng cộng", None, None, 32, 29, 3]]))
    # before: four «dossiers» coded 12, 8, 5, 7 loaded, counted new and pending
    assert result is None and len(errors) == 1 and "bảng tổng hợp số lượng hồ sơ" in errors[0]
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]


def test_a_logbook_numbering_its_dossiers_still_loads(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "so.csv", [
        ["Số hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả", "Tình trạng"],
        ["1", VTS, "04/03/2024", "06/03/2024", "Đã giải quyết"], ["2", VTS, "05/03/2024", "", "Đang giải quyết"]]))
    assert errors == [] and result["rows_loaded"] == 2


def test_finished_dossiers_without_any_date_are_said(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Thời gian xử lý (ngày)", "Trạng thái"],
        ["A1", VTS, "04/03/2024", "08/03/2024", "3", "Hoàn thành trước hạn"],
        ["A2", VTS, "05/03/2024", "11/03/2024", "5", "Hoàn thành đúng hạn"],
        ["A3", VTS, "06/03/2024", "12/03/2024", "", "Đang xử lý"]]), as_of=date(2024, 3, 31))
    assert errors == []
    # the rule has no F for them: pending, overdue at 31/03 — as counted, and now said
    assert (march_total(db, 2024)["pending_overdue"], march_total(db, 2024)["resolved"]) == (3, 0)
    said = [w for w in result["warnings"] if "trạng thái đã giải quyết nhưng không có ngày" in w]
    assert len(said) == 1 and said[0].startswith("2 hồ sơ") and "(dòng 2, 3)" in said[0], result["warnings"]


def test_a_returned_sheet_without_a_status_column_counts_returned(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]
    result, errors = load_one(db, write_workbook(tmp_path / "theo_trang_thai.xlsx", {
        "Đã giải quyết": [header, ["M01", VTS, "01/03/2024", "08/03/2024", "07/03/2024"]],
        "Đang giải quyết": [header, ["M02", VTS, "11/03/2024", "18/03/2024", None]],
        "Trả lại": [header, ["M03", VTS, "04/03/2024", "06/03/2024", "08/03/2024"]]}), as_of=date(2024, 3, 31))
    assert errors == []
    total = march_total(db, 2024)
    # before: M03 resolved (late: 08/03 after 06/03); by its sheet it is returned
    assert (total["resolved"], total["resolved_late"], total["returned"], total["pending"]) == (1, 0, 1, 1)
    assert any(w.startswith("Trang «Trả lại» không có cột trạng thái: 1 hồ sơ") for w in result["warnings"])


def test_a_list_numbered_1_2_3_beside_a_column_of_days_pages_or_copies_loads(tmp_path):
    # review: a column of one dossier's days late, pages or copies is no count column
    for header, cells in (("Số ngày trễ hạn", ["0", "2", "0"]), ("Quá hạn (ngày)", ["0", "2", "0"]),
                          ("Tổng số trang", ["3", "5", "12"]), ("Số lượng bản", ["1", "2", "1"]),
                          ("Trễ hạn", ["0", "1", "0"])):
        db = database_with_units(tmp_path / header)
        rows = [["Số hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", header]]
        rows += [[str(i + 1), VTS, "04/03/2024", "08/03/2024", "07/03/2024", c] for i, c in enumerate(cells)]
        result, errors = load_one(db, write_csv(tmp_path / header / "so.csv", rows))
        assert errors == [] and result["rows_loaded"] == 3, header


def test_a_summary_sheet_beside_the_detail_is_left_unread(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_workbook(tmp_path / "bao_cao.xlsx", {
        "Tổng hợp": [["Đơn vị", "Ngày tiếp nhận", "Số hồ sơ", "Đã giải quyết", "Đang giải quyết"],
                     [VTS, "04/03/2024", "2", "1", "1"]],
        "Chi tiết": [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả"],
                     ["H1", VTS, "04/03/2024", "06/03/2024"], ["H2", VTS, "04/03/2024", None]]}))
    # before the review: the whole file refused; before the probe: a dossier coded «2» beside H1, H2
    assert errors == [] and result["rows_loaded"] == 2 and result["unread_sheets"] == ["Tổng hợp"]
    assert query(db, "SELECT dossier_code FROM dossiers ORDER BY 1") == [("H1",), ("H2",)]


def test_a_title_until_a_day_without_the_word_ngay_or_with_a_short_year(tmp_path):
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả"], ["A1", VTS, "04/03/2024", "11/03/2024"]]
    db = database_with_units(tmp_path / "a")
    result, errors = load_one(db, write_xlsx(tmp_path / "a" / "quy1.xlsx", [["Từ 01/01/2024 đến 31/03/2024"], *rows]))
    # before: the title passed over, the snapshot the latest date of the file (11/03)
    assert errors == [] and result["snapshot_date"] == "2024-03-31"
    db = database_with_units(tmp_path / "b")
    result, errors = load_one(db, write_xlsx(tmp_path / "b" / "quy1.xlsx", [["Từ 01/01/24 đến 31/03/24"], *rows]))
    assert errors == [] and result["snapshot_date"] == "2024-03-11"
    assert any(w.startswith("Dòng tiêu đề ghi «đến 31/03/24» với năm hai chữ số") for w in result["warnings"])
