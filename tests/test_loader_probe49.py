"""Forty-ninth loader probe: more vendors' dossier exports. Expected values are counted by hand from the lines below;
each test failed on the code before its fix."""
from datetime import datetime

from openpyxl import Workbook

from tests.files import database_with_units, load_one, month_total, query, write_csv

FIGURES = ("carried_over", "received_new", "received_online", "resolved", "resolved_early", "resolved_on_time",
           "resolved_late", "returned", "pending")


def _figures(db) -> tuple:
    total = month_total(db, 2023, 3)
    return tuple(total[k] for k in FIGURES)


def test_a_summary_table_beside_the_dossiers_is_no_column_of_theirs(tmp_path):
    """«Tình trạng | Số lượng» in L–M on the header's row, past three empty columns: its labels were read as the
    status of the dossiers on the same rows — S-2, resolved late, became «Trả lại hồ sơ». By hand, March 2023: S-1
    resolved early (02/03 < 03/03), S-2 late (08/03 > 07/03), S-3 on time (10/03), S-4 pending; received 4, resolved
    3 (1, 1, 1), returned 0, pending 1."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", None, None, "Tình trạng",
               "Số lượng"])
    for code, received, due, done, label, n in (
            ("S-1", 1, 3, 2, "Đã giải quyết", 3), ("S-2", 2, 7, 8, "Trả lại hồ sơ", 0),
            ("S-3", 3, 10, 10, None, None), ("S-4", 6, 13, None, None, None)):
        ws.append([code, "Sở Tư pháp", datetime(2023, 3, received, 8), datetime(2023, 3, due, 17),
                   datetime(2023, 3, done, 10) if done else None, None, None, label, n])
    wb.save(tmp_path / "ho_so.xlsx")
    result, errors = load_one(db, tmp_path / "ho_so.xlsx")
    assert errors == [] and result["rows_loaded"] == 4
    assert any("«Tình trạng», «Số lượng» đứng sau cột trống" in w for w in result["warnings"])
    assert _figures(db) == (0, 4, 0, 3, 1, 1, 1, 0, 1)


def test_the_national_status_code_beside_the_systems_words_is_read(tmp_path):
    """«Trạng thái» (the system's words) then «Mã trạng thái» (the national code): the code column was dropped as a
    second column of the status. By hand: T-1 code 10, resolved on time; T-2 code 3 (refused at reception: not
    counted); T-3 code 7 «Công dân xin rút hồ sơ», returned 08/03; received 2, resolved 1, returned 1."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Mã trạng thái"],
        ["T-1", "Sở Tư pháp", "01/03/2023", "03/03/2023", "03/03/2023", "Đã trả kết quả", "10"],
        ["T-2", "Sở Tư pháp", "02/03/2023", "", "", "Hồ sơ không đủ điều kiện tiếp nhận", "3"],
        ["T-3", "Sở Tư pháp", "03/03/2023", "10/03/2023", "08/03/2023", "Công dân xin rút hồ sơ", "7"]]))
    assert errors == []
    assert _figures(db) == (0, 2, 0, 1, 0, 1, 0, 1, 0)


def test_vendors_channel_and_payment_words(tmp_path):
    """«Dịch vụ công mức độ 4» and «… mức độ 3» were direct, «Đã thanh toán qua VNPT Pay» and «Thanh toán trực tuyến
    qua Payment Platform» not paid online. By hand: online 3 of 4; paid online 2 of the 3 with a fee."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Phí, lệ phí", "Hình thức thanh toán"],
        ["E-1", "Sở Tư pháp", "Dịch vụ công mức độ 4", "01/03/2023", "10/04/2023", "50.000", "Đã thanh toán qua VNPT Pay"],
        ["E-2", "Sở Tư pháp", "Dịch vụ công mức độ 3", "02/03/2023", "10/04/2023", "Miễn phí", ""],
        ["E-3", "Sở Tư pháp", "Nộp qua Cổng DVCQG", "03/03/2023", "10/04/2023", "20.000",
         "Thanh toán trực tuyến qua Payment Platform"],
        ["E-4", "Sở Tư pháp", "Trực tiếp tại Bộ phận Một cửa", "06/03/2023", "10/04/2023", "30.000", "Tiền mặt"]]))
    assert errors == []
    assert query(db, "SELECT dossier_code, channel, is_paid_online FROM dossiers ORDER BY 1") == [
        ("E-1", "online", True), ("E-2", "online", False), ("E-3", "online", True), ("E-4", "direct", False)]


def test_a_number_written_among_words(tmp_path):
    """«Thu 50.000đ», «Bổ sung 2 lần», «2 (hai)», «Hai lần»: each rejected its dossier. By hand: W2 fee 50.000,
    W4 and W5 supplemented twice (late whatever their dates), W6 twice; «Theo quy định» names no amount: loaded with
    the fee unknown (tests/test_unstated_numbers.py; it was rejected until then)."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Lệ phí", "Số lần bổ sung"],
        ["W1", "Sở Tư pháp", "01/03/2023", "10/03/2023", "Theo quy định", "0"],
        ["W2", "Sở Tư pháp", "01/03/2023", "10/03/2023", "Thu 50.000đ", "0"],
        ["W4", "Sở Tư pháp", "01/03/2023", "10/03/2023", "0", "Bổ sung 2 lần"],
        ["W5", "Sở Tư pháp", "01/03/2023", "10/03/2023", "0", "2 (hai)"],
        ["W6", "Sở Tư pháp", "01/03/2023", "10/03/2023", "0", "Hai lần"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (5, 0)
    assert query(db, "SELECT dossier_code, fee_amount, supplement_count FROM dossiers ORDER BY 1") == [
        ("W1", None, 0), ("W2", 50000.0, 0), ("W4", 0.0, 2), ("W5", 0.0, 2), ("W6", 0.0, 2)]


def test_a_receipt_time_with_its_weekday_or_written_first(tmp_path):
    """«Thứ Hai, 06/03/2023 08:15:00 SA», «08:15 - Thứ Hai, 06/03/2023», «06/03/2023 08.15»: each part reads alone,
    together they were rejected (received 7 of 10 in the probe). All are 06/03/2023 08:15."""
    db = database_with_units(tmp_path)
    cells = ["Thứ Hai, 06/03/2023 08:15:00 SA", "08:15 - Thứ Hai, 06/03/2023", "06/03/2023 08.15"]
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Thời gian tiếp nhận", "Ngày hẹn trả"],
        *[[f"V-{i}", "Sở Tư pháp", cell, "31/03/2023"] for i, cell in enumerate(cells, start=1)]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 0)
    assert query(db, "SELECT DISTINCT received_at::VARCHAR FROM dossiers") == [("2023-03-06 08:15:00",)]


def test_a_result_column_headed_ket_qua(tmp_path):
    """«Kết quả» beside the status: «Trả lại/Xin rút» under a status «Đã trả kết quả» was no column of any field, so
    the returned dossier counted resolved. By hand: K-1 resolved on time (03/03 = due), K-2 returned; received 2,
    resolved 1, returned 1. «Số hóa» over «Hồ sơ | Kết quả» stays the digitized result (tests/test_loader_probe4.py)."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Kết quả"],
        ["K-1", "Sở Tư pháp", "01/03/2023", "03/03/2023", "03/03/2023", "Đã trả kết quả", "Có kết quả"],
        ["K-2", "Sở Tư pháp", "02/03/2023", "10/03/2023", "08/03/2023", "Đã trả kết quả", "Trả lại/Xin rút"]]))
    assert errors == [] and "Kết quả" not in result["ignored_columns"]
    assert _figures(db) == (0, 2, 0, 1, 0, 1, 0, 1, 0)


def test_a_bare_ket_qua_gives_way_to_loai_ket_qua(tmp_path):
    """«Kết quả» holding «Đúng hạn» before «Loại kết quả» holding the result's kind: the kind is read from «Loại kết
    quả» (a bare «Kết quả» is the result's kind only when no other column names it). By hand: K-2 returned."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Kết quả", "Loại kết quả"],
        ["K-1", "Sở Tư pháp", "01/03/2023", "03/03/2023", "03/03/2023", "Đúng hạn", "Có kết quả"],
        ["K-2", "Sở Tư pháp", "02/03/2023", "10/03/2023", "08/03/2023", "Đúng hạn", "Trả lại/Xin rút"]]))
    assert errors == []
    assert query(db, "SELECT dossier_code, result_type FROM dossiers ORDER BY 1") == [("K-1", "result"),
                                                                                     ("K-2", "returned")]
