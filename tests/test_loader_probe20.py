"""Twentieth loader probe: dossier exports as more vendors write them — a daily export without «Hình thức nộp»
loaded before the monthly one that has it, «I | Lĩnh vực Hộ tịch» group lines between a ward book's blocks, a
dossier pending on one month's sheet and finished on the next, a processing log listing each dossier's steps under
it, a file whose every date is unreadable. Expected values are counted by hand from the rows written here."""
from datetime import datetime, time

import pytest

from etl.summary import format_summary
from tests.files import database_with_units, load_one, march_total, query, write_csv, write_workbook, write_xlsx

MONTHLY = [["DANH SÁCH HỒ SƠ"], ["Đến ngày 31/03/2022"],
           ["Mã hồ sơ", "Đơn vị", "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
           ["Q3.SN-01", "UBND Quận 3", "Trực tuyến", "01/03/2022", "10/03/2022", "09/03/2022", "Đã trả kết quả"],
           ["Q3.SN-02", "UBND Quận 3", "Trực tuyến", "14/03/2022", "21/03/2022", None, "Đang xử lý"],
           ["Q3.SN-03", "UBND Quận 3", "Bưu chính", "21/03/2022", "04/04/2022", None, "Đang xử lý"],
           ["Q3.SN-04", "UBND Quận 3", "Trực tiếp", "25/03/2022", "01/04/2022", None, "Đang xử lý"]]
DAILY = [["DANH SÁCH HỒ SƠ"], ["Đến ngày 15/04/2022"],
         ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
         ["Q3.SN-02", "UBND Quận 3", "14/03/2022", "21/03/2022", "30/03/2022", "Đã trả kết quả"],
         ["Q3.SN-03", "UBND Quận 3", "21/03/2022", "04/04/2022", "05/04/2022", "Đã trả kết quả"]]


def _channels(db):
    return dict(query(db, "SELECT dossier_code, channel FROM dossiers ORDER BY 1"))


@pytest.mark.parametrize("daily_first", [False, True])
def test_the_channel_of_the_older_file_stays_whatever_the_order(tmp_path, daily_first):
    """The newer daily file has no «Hình thức nộp»: SN-02 (online) and SN-03 (postal) stay so. Before, the daily file
    loaded first stored them as direct and the monthly one could not mend it (March: online 1, direct 3, postal 0)."""
    db = database_with_units(tmp_path)
    monthly, daily = write_xlsx(tmp_path / "thang.xlsx", MONTHLY), write_csv(tmp_path / "ngay.csv", DAILY)
    for path in ([daily, monthly] if daily_first else [monthly, daily]):
        assert load_one(db, path)[1] == []
    assert _channels(db) == {"Q3.SN-01": "online", "Q3.SN-02": "online", "Q3.SN-03": "postal", "Q3.SN-04": "direct"}
    total = march_total(db)
    assert (total["received_online"], total["received_direct"], total["received_postal"]) == (2, 1, 1)
    # the newer snapshot's dates win either way: SN-02 resolved on 30/03 (on time? due 21/03: late), SN-03 after March
    assert (total["resolved"], total["resolved_late"], total["pending"]) == (2, 1, 2)


def test_a_file_said_direct_is_not_overwritten_by_an_older_one(tmp_path):
    """The newer file has the column and says «Trực tiếp»: the older file's «Trực tuyến» does not replace it."""
    db = database_with_units(tmp_path)
    newer = [row[:] for row in MONTHLY[2:4]]
    newer[1][2] = "Trực tiếp"
    older = [row[:] for row in MONTHLY[2:4]]
    older[1][5] = None
    assert load_one(db, write_csv(tmp_path / "moi.csv", [["Đến ngày 15/04/2022"], *newer]))[1] == []
    assert load_one(db, write_csv(tmp_path / "cu.csv", [["Đến ngày 05/03/2022"], *older]))[1] == []
    assert _channels(db) == {"Q3.SN-01": "direct"}


def test_sector_group_lines_of_a_ward_book_are_skipped(tmp_path):
    """«I | Lĩnh vực Hộ tịch» under «Số biên nhận» was rejected as a dossier («Thiếu ngày tiếp nhận») and counted in
    the block its «Cộng | 3» totals, which was then said to be wrong."""
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "so_theo_doi.xlsx", [
        ["UBND PHƯỜNG 9 QUẬN 3"], ["SỔ THEO DÕI HỒ SƠ THÁNG 03/2022"],
        ["STT", "Số biên nhận", "Đơn vị", "Ngày nhận hồ sơ", "Ngày hẹn trả", "Ngày có kết quả", "Tình trạng"],
        ["I", "Lĩnh vực Hộ tịch"],
        [1, "BN-0301", "Phường 9", "01/03/2022", "01/03/2022", "01/03/2022", "Đã trả kết quả"],
        [2, "BN-0302", "Phường 9", "02/03/2022", "04/03/2022", "03/03/2022", "Đã trả kết quả"],
        [3, "BN-0303", "Phường 9", "03/03/2022", "04/03/2022", "07/03/2022", "Đã trả kết quả"],
        ["Cộng", 3],
        ["II", "Lĩnh vực Chứng thực"],
        [4, "BN-0304", "Phường 9", "04/03/2022", "04/03/2022", "04/03/2022", "Đã trả kết quả"],
        ["III. LĨNH VỰC ĐẤT ĐAI"],
        [5, "BN-0314", "Phường 9", "14/03/2022", "28/03/2022", None, "Đang giải quyết"]])
    result, errors = load_one(db, path)
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (5, 0, 4)
    assert not [w for w in result["warnings"] if "Dòng tổng cộng" in w]
    total = march_total(db)
    # BN-0302 early; BN-0301, BN-0304 on time; BN-0303 late; BN-0314 due 28/03, pending on 31/03: overdue
    assert (total["received_new"], total["resolved_early"], total["resolved_on_time"], total["resolved_late"],
            total["pending_overdue"]) == (5, 1, 2, 1, 1)


def test_a_dossier_finished_on_a_later_sheet_is_said(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    path = write_workbook(tmp_path / "theo_thang.xlsx", {
        "T02-2022": [header, ["KHDT-005", "Sở Kế hoạch và Đầu tư", "25/02/2022", "10/03/2022", None, "Đang xử lý"],
                     ["KHDT-006", "Sở Kế hoạch và Đầu tư", "26/02/2022", "10/03/2022", "01/03/2022", "Đã trả kết quả"]],
        "T03-2022": [header, ["KHDT-005", "Sở Kế hoạch và Đầu tư", "25/02/2022", "10/03/2022", "08/03/2022",
                              "Đã trả kết quả"]]})
    result, errors = load_one(db, path)
    assert errors == [] and (result["rows_loaded"], result["rows_updated"]) == (2, 1)
    assert [w for w in result["warnings"] if "hai trang" in w] == [
        "1 hồ sơ có ở hai trang của tệp: dòng ở trang «T03-2022», đã có kết quả, thay dòng chưa có kết quả ở trang "
        "trước (dòng 2 thay dòng 2 trang «T02-2022»); tính là cập nhật."]
    assert query(db, "SELECT dossier_code, CAST(finished_at AS DATE)::VARCHAR FROM dossiers ORDER BY 1") == [
        ("KHDT-005", "2022-03-08"), ("KHDT-006", "2022-03-01")]


def test_step_lines_of_a_processing_log_are_told_as_such(tmp_path):
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "qua_trinh.xlsx", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Bước xử lý", "Thời gian xử lý",
         "Kết quả bước"],
        ["H-0001", "UBND Quận 3", "02/03/2022", "09/03/2022", "08/03/2022", "Tiếp nhận", "02/03/2022 08:00", "Đạt"],
        [None, None, None, None, None, "Thẩm định", "04/03/2022 09:00", "Đạt"],
        [None, "UBND Quận 3", "03/03/2022", None, None, "Tiếp nhận", "03/03/2022 08:00", "Đạt"]])
    result, errors = load_one(db, path)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 2)
    reasons = [r["reason"] for r in result["rejects"]]
    assert "có vẻ là một bước xử lý của hồ sơ ở dòng trên" in reasons[0]
    assert reasons[1] == "Thiếu mã hồ sơ."   # a line with a unit and a date is no step line


def test_a_file_of_unreadable_dates_gives_no_snapshot_day(tmp_path):
    """Every date «01/03/22»: every line rejected, and the summary no longer says the export was taken today."""
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "ho_so.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả"],
                                              ["A-1", "UBND Quận 3", "01/03/22", "05/03/22"]])
    result, errors = load_one(db, path)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (0, 1)
    assert "   Đọc 1 dòng hồ sơ: thêm mới 0, cập nhật 0, không đổi 0, bị loại 1." in format_summary([result], []).splitlines()


def test_a_units_one_stop_desk_is_the_unit(tmp_path):
    """«Bộ phận Một cửa – UBND Phường 9 Quận 3» as the receiving unit: every such dossier was unmatched."""
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "mot_cua.xlsx", [
        ["Mã hồ sơ", "Nơi tiếp nhận", "Ngày tiếp nhận", "Ngày hẹn trả"],
        ["MC-1", "Bộ phận Một cửa – UBND Phường Võ Thị Sáu", "01/03/2022", "04/03/2022"],
        ["MC-2", "Bộ phận Một cửa - UBND Phường 9 Quận 3", "02/03/2022", "04/03/2022"],
        ["MC-3", "Bộ phận Tiếp nhận và Trả kết quả – UBND Quận 3", "03/03/2022", "10/03/2022"],
        ["MC-4", "Bộ phận Một cửa – UBND Phường 1", "03/03/2022", "10/03/2022"]])   # no such ward in the list
    result, errors = load_one(db, path)
    assert errors == [] and result["unmatched_units"] == ["Bộ phận Một cửa – UBND Phường 1"]
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
        ("MC-1", "Q3_VTS"), ("MC-2", "Q3_P09"), ("MC-3", "Q3"), ("MC-4", None)]


def test_a_time_of_day_column_is_joined_to_its_date(tmp_path):
    """«Ngày tiếp nhận | Giờ tiếp nhận»: the time was an unread column and every dossier received at midnight. An
    Excel time cell, «14:05» typed, «2:30 CH», a date that has its time already, a time without its date."""
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "gio.xlsx", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Giờ tiếp nhận", "Ngày hẹn trả", "Giờ hẹn trả", "Giờ trả kết quả"],
        ["G-1", "UBND Quận 3", datetime(2022, 3, 1), time(8, 30), "05/03/2022", "17:00", "09:00"],
        ["G-2", "UBND Quận 3", "02/03/2022", "14:05", "04/03/2022", "2:30 CH", None],
        ["G-3", "UBND Quận 3", "03/03/2022 10:10", "08:00", "07/03/2022", None, None],
        ["G-4", "UBND Quận 3", "04/03/2022", "không rõ", "08/03/2022", "", None]])
    result, errors = load_one(db, path)
    assert errors == [] and result["rows_loaded"] == 4
    assert query(db, "SELECT dossier_code, strftime(received_at, '%d/%m %H:%M'), strftime(due_at, '%d/%m %H:%M') "
                     "FROM dossiers ORDER BY 1") == [
        ("G-1", "01/03 08:30", "05/03 17:00"), ("G-2", "02/03 14:05", "04/03 14:30"),
        ("G-3", "03/03 10:10", "07/03 00:00"), ("G-4", "04/03 00:00", "08/03 00:00")]
    # the hand-over time has no hand-over date column: said, not read
    assert "Giờ trả kết quả" in result["ignored_columns"]
