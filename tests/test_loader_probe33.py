"""Thirty-third loader probe: a city's daily loads — a rejected line loaded from the corrected file, two exports of a
day wording a status otherwise, a newer export of the unit that transferred a dossier. Counted by hand."""
from datetime import date

import duckdb

from indicators import Period, compute_period_table
from tests.files import database_with_units, load_one, query, write_csv

HEADER = ["Số hồ sơ", "Cơ quan thực hiện", "Ngày nhận", "Hạn xử lý", "Ngày hoàn thành", "Tình trạng"]
def _march_by_unit(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        table = compute_period_table(con, Period(date(2024, 3, 1), date(2024, 3, 31)), by="unit")
    finally:
        con.close()
    return {r["key"]: (r["resolved_early"], r["pending"]) for r in table["rows"] if r["received_new"]}


def test_a_rejected_line_loaded_from_a_corrected_file_says_so(tmp_path):
    """The Dữ liệu page's list of rejected lines read as if the dossiers were still missing after the corrected
    export loaded them (probe 33)."""
    from indicators.data_status import rejected_rows
    db = database_with_units(tmp_path)
    bad = write_csv(tmp_path / "loi.csv", [HEADER, ["H-2", "UBND Phường 9", "31/02/2024", "15/03/2024", "", ""],
                                           ["H-3", "UBND Phường 9", "32/03/2024", "15/03/2024", "", ""]])
    assert load_one(db, bad, as_of=date(2024, 3, 29))[0]["rows_rejected"] == 2
    fixed = write_csv(tmp_path / "sua_loi.csv", [HEADER, ["H-2", "UBND Phường 9", "29/02/2024", "15/03/2024", "", ""]])
    assert load_one(db, fixed, as_of=date(2024, 3, 29))[1] == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        listed = {r["row_number"]: r["reloaded"] for r in rejected_rows(con)}
    finally:
        con.close()
    assert listed == {2: "Đã nạp sau từ tệp sua_loi.csv", 3: ""}


def test_two_exports_of_a_day_wording_the_same_status_otherwise_are_no_disagreement(tmp_path):
    db = database_with_units(tmp_path)
    row = ["H-4", "UBND Phường 9", "04/03/2024", "15/03/2024", ""]
    load_one(db, write_csv(tmp_path / "a.csv", [HEADER, row + ["Đang xử lý"]]), as_of=date(2024, 3, 15))
    result, errors = load_one(db, write_csv(tmp_path / "b.csv", [HEADER, row + ["Đang giải quyết"]]),
                              as_of=date(2024, 3, 15))
    assert errors == [] and not any("cùng ngày chụp" in w for w in result["warnings"])
    other = ["H-4", "Phường Võ Thị Sáu", "04/03/2024", "15/03/2024", "", "Đang xử lý"]   # another unit: said
    result, errors = load_one(db, write_csv(tmp_path / "c.csv", [HEADER, other]), as_of=date(2024, 3, 15))
    assert any("cùng ngày chụp" in w and "H-4" in w for w in result["warnings"])


def test_a_newer_export_of_the_first_unit_saying_transferred_keeps_the_result(tmp_path):
    """Phường 9 received H-5 and transferred it; Võ Thị Sáu finished it on 20/03 (export of 20/03). Phường 9's export
    of 22/03 still lists it «Đã chuyển xử lý» without a result: the result stays (probe 33: the dossier went back to
    Phường 9, pending and overdue). A newer export of the same unit without a result is still a newer snapshot."""
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "vts.csv", [HEADER, ["H-5", "Phường Võ Thị Sáu", "18/03/2024", "20/03/2024",
                                                           "20/03/2024", "Hoàn thành"]]), as_of=date(2024, 3, 20))
    result, errors = load_one(db, write_csv(tmp_path / "p9.csv", [HEADER, ["H-5", "UBND Phường 9", "18/03/2024",
                                                                           "20/03/2024", "", "Đã chuyển xử lý"]]),
                              as_of=date(2024, 3, 22))
    assert errors == [] and any("giữ kết quả đó" in w and "H-5" in w for w in result["warnings"])
    assert _march_by_unit(db) == {"Q3_VTS": (0, 0)}   # finished on its due day: on time, not early, not pending
    assert query(db, "SELECT unit_code, CAST(finished_at AS DATE) FROM dossiers") == [("Q3_VTS", date(2024, 3, 20))]


def test_only_a_transfer_keeps_the_result_and_unmatched_units_count_too(tmp_path):
    """The review of the transfer rule: «Chuyên viên đang thụ lý» (an official, not «chuyển») from the unit holding
    the dossier is a newer state; two units the list does not hold are still two units."""
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "a.csv", [HEADER, ["H-7", "UBND Phường 9", "04/03/2024", "25/03/2024", "09/03/2024",
                                                         "Hoàn thành"]]), as_of=date(2024, 3, 10))
    load_one(db, write_csv(tmp_path / "b.csv", [HEADER, ["H-7", "Phường Võ Thị Sáu", "04/03/2024", "25/03/2024", "",
                                                         "Chuyên viên đang thụ lý"]]), as_of=date(2024, 3, 15))
    assert query(db, "SELECT unit_code, finished_at FROM dossiers WHERE dossier_code = 'H-7'") == [("Q3_VTS", None)]
    load_one(db, write_csv(tmp_path / "c.csv", [HEADER, ["H-8", "UBND Xã An Phú", "18/03/2024", "20/03/2024",
                                                         "20/03/2024", "Hoàn thành"]]), as_of=date(2024, 3, 20))
    result, _ = load_one(db, write_csv(tmp_path / "d.csv", [HEADER, ["H-8", "UBND Xã Bình Mỹ", "18/03/2024",
                                                                     "20/03/2024", "", "Đã chuyển xử lý"]]),
                         as_of=date(2024, 3, 22))
    assert query(db, "SELECT unit_text, CAST(finished_at AS DATE) FROM dossiers WHERE dossier_code = 'H-8'") == [
        ("UBND Xã An Phú", date(2024, 3, 20))]


def test_two_unread_statuses_of_one_day_that_differ_are_said(tmp_path):
    db = database_with_units(tmp_path)
    row = ["H-9", "UBND Phường 9", "04/03/2024", "25/03/2024", ""]
    load_one(db, write_csv(tmp_path / "a.csv", [HEADER, row + ["Chờ lãnh đạo ký duyệt"]]), as_of=date(2024, 3, 15))
    result, _ = load_one(db, write_csv(tmp_path / "b.csv", [HEADER, row + ["Hủy hồ sơ"]]), as_of=date(2024, 3, 15))
    assert any("cùng ngày chụp" in w and "H-9" in w for w in result["warnings"])


def test_reloaded_marks_keep_to_their_sheet_and_leave_repeats_alone(tmp_path):
    """The review: two sheets' rejected line 2 were both marked when one was loaded later; a line rejected as a repeat
    within its file was marked once a later file updated the dossier."""
    from indicators.data_status import rejected_rows
    from tests.files import write_workbook
    db = database_with_units(tmp_path)
    book = write_workbook(tmp_path / "hai.xlsx", {
        "P9": [HEADER, ["H-2", "UBND Phường 9", "31/02/2024", "15/03/2024", "", ""],
               ["H-4", "UBND Phường 9", "01/03/2024", "15/03/2024", "", ""],
               ["H-4", "UBND Phường 9", "01/03/2024", "15/03/2024", "", ""]],
        "VTS": [HEADER, ["H-3", "Phường Võ Thị Sáu", "31/02/2024", "15/03/2024", "", ""]]})
    assert load_one(db, book, as_of=date(2024, 3, 20))[0]["rows_rejected"] == 3
    later = write_csv(tmp_path / "sau.csv", [HEADER, ["H-2", "UBND Phường 9", "29/02/2024", "15/03/2024", "", ""],
                                             ["H-4", "UBND Phường 9", "01/03/2024", "15/03/2024", "12/03/2024", ""]])
    assert load_one(db, later, as_of=date(2024, 3, 25))[1] == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        marks = {(r["sheet"], r["row_number"]): r["reloaded"] for r in rejected_rows(con)}
    finally:
        con.close()
    assert marks == {("P9", 2): "Đã nạp sau từ tệp sau.csv", ("P9", 4): "", ("VTS", 2): ""}
