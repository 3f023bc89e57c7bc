"""Third loader probe: dossier exports as offices really fill them in — fees and flags in words, a dash for 'none',
status under «Mã/Tên trạng thái», a unit's subtotal inside the table, the unit named once in the title. Each file
is written here; every expected figure is worked out by hand in the comments."""
import csv
from datetime import date

from openpyxl import Workbook

from etl import importer
from etl.core.database import connect
from etl.derived_tables import refresh_derived_tables
from etl.summary import format_summary
from indicators import compute_period_table
from indicators.periods import Period
from tests.conftest import FIXTURES
from tests.files import import_each, write_xlsx

MARCH = Period(date(2022, 3, 1), date(2022, 3, 31))
H = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái",
     "Hình thức nộp", "Phí, lệ phí", "Thanh toán trực tuyến"]


def _load(tmp_path, *paths, **options):
    """The fixture units, then each path, into one fresh database: (results, errors, connection)."""
    con = connect(tmp_path / "cchc.duckdb")
    importer.import_file(con, FIXTURES / "units.csv")
    return *import_each(con, paths, **options), con


def _xlsx(path, rows):
    """A dossier export on a sheet named as the messages below expect it («DS»)."""
    return write_xlsx(path, rows, sheet="DS")


def _table(con) -> dict:
    refresh_derived_tables(con)
    return compute_period_table(con, MARCH)["total"]


def _row(i, code, fee, paid, finished="10/03/2022", status="Đã trả kết quả"):
    return [i, code, "UBND Quận 3", f"0{i}/03/2022 08:00", "20/03/2022", finished, status, "Trực tuyến", fee, paid]


def test_fee_in_words_and_dashes_keep_the_dossier(tmp_path):
    # 'Miễn phí', 'Không thu' are no fee (0), '30.000 đồng' is 30.000, '-' is nothing: before, each of these
    # dossiers was rejected ('Số không hợp lệ', 'Ngày không đọc được' for the '-' finish date of a pending one)
    # and fell out of every count. A negative fee is still refused, and said.
    rows = [H, _row(1, "F-1", "Miễn phí", "Không"), _row(2, "F-2", "Không thu", "-"),
            _row(3, "F-3", "30.000 đồng", "Có"), _row(4, "F-4", "-", "–", finished="-", status="Đang xử lý"),
            _row(5, "F-5", "1.000.000 đ", "Có"), _row(6, "F-6", "-50.000", "Có")]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "phi.xlsx", rows))
    assert errors == []
    assert (results[0]["rows_loaded"], results[0]["rows_rejected"]) == (5, 1)
    assert results[0]["rejects"][0]["row"] == 7 and results[0]["rejects"][0]["field"] == "fee_amount"
    got = con.execute("SELECT dossier_code, fee_amount, is_paid_online, finished_at FROM dossiers ORDER BY 1").fetchall()
    # a dash in the payment or fee column (a column the file has) says "no" / no fee, as an empty cell does
    assert [(c, f, p) for c, f, p, _ in got] == [("F-1", 0, False), ("F-2", 0, False), ("F-3", 30000, True),
                                                 ("F-4", 0, False), ("F-5", 1_000_000, True)]
    assert got[3][3] is None
    t = _table(con)
    # received 5 (F-1…F-5); F-4 pending (due 20/03 < 31/03: overdue); with a fee > 0: F-3, F-5, both paid online
    assert (t["received_new"], t["resolved"], t["pending"], t["pending_overdue"]) == (5, 4, 1, 1)
    assert t["paid_online_rate"] == 1.0


def test_paid_online_in_words_and_a_payment_method_column(tmp_path):
    words = ["Đã thanh toán", "Chưa thanh toán", "Đã TT", "✓", "Đã nộp"]
    rows = [H] + [_row(i + 1, f"P-{i}", "50.000", w) for i, w in enumerate(words)]
    # «Hình thức thanh toán» says how the fee was paid: online (Thanh toán trực tuyến, Qua Cổng DVCQG) or not.
    method = [H[:-1] + ["Hình thức thanh toán"]] + [
        _row(i + 1, f"M-{i}", "50.000", w) for i, w in enumerate(["Thanh toán trực tuyến", "Tiền mặt",
                                                                  "Qua Cổng DVCQG", "Trực tiếp"])]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "tt.xlsx", rows), _xlsx(tmp_path / "ht.xlsx", method))
    assert errors == []
    got = dict(con.execute("SELECT dossier_code, is_paid_online FROM dossiers").fetchall())
    assert got == {"P-0": True, "P-1": False, "P-2": True, "P-3": True, "P-4": False,   # counted as «không»
                   "M-0": True, "M-1": False, "M-2": True, "M-3": False}
    # a word no vocabulary reads is said with its column and what it counted as (it was silently 'not paid')
    assert results[0]["unrecognized_values"] == [{"field": "paid_online", "value": "Đã nộp", "count": 1,
                                                     "rows": [6], "sheet": "DS"}]
    assert ("Giá trị không nhận ra ở cột «Thanh toán trực tuyến»: 'Đã nộp' (1 dòng: trang «DS», dòng 6) — tính là "
            "«không».") in \
        format_summary(results, errors)
    assert "Hình thức thanh toán" not in results[1]["ignored_columns"]
    # 9 dossiers with a fee, paid online: P-0, P-2, P-3 (a tick), M-0, M-2
    assert _table(con)["paid_online_rate"] == 5 / 9


def test_status_under_its_code_or_name_header(tmp_path):
    # «Mã trạng thái» / «Tên trạng thái» were not read: a stopped dossier (8) with its finish date counted as resolved
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Mã trạng thái",
             "Tên trạng thái"],
            ["S-1", "UBND Quận 3", "01/03/2022", "05/03/2022", "04/03/2022", "10", "Đã trả kết quả"],
            ["S-2", "UBND Quận 3", "01/03/2022", "05/03/2022", "06/03/2022", "8", "Dừng xử lý"]]
    names = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Tên trạng thái"],
             ["N-1", "UBND Quận 3", "01/03/2022", "10/03/2022", "04/03/2022", "Hồ sơ đã rút"],
             ["N-2", "UBND Quận 3", "01/03/2022", "10/03/2022", "04/03/2022", "Trả lại hồ sơ"]]
    _, errors, con = _load(tmp_path, _xlsx(tmp_path / "ma.xlsx", rows), _xlsx(tmp_path / "ten.xlsx", names))
    assert errors == []
    assert con.execute("SELECT dossier_code, status_code FROM dossiers ORDER BY 1").fetchall() == [
        ("N-1", 7), ("N-2", 8), ("S-1", 10), ("S-2", 8)]
    t = _table(con)
    assert (t["received_new"], t["resolved"], t["returned"]) == (4, 1, 3)


def test_a_units_subtotal_line_is_skipped_not_rejected(tmp_path):
    # 'Cộng UBND Quận 3 | 2 hồ sơ' inside the table was rejected for its missing code and unit, and made the
    # closing 'Tổng cộng 4' disagree with the 5 lines read; a 'Công …' line (no subtotal) is still judged.
    rows = [H, _row(1, "C-1", "", ""), _row(2, "C-2", "", ""),
            ["", "Cộng UBND Quận 3", "", "", "", "", "2 hồ sơ", "", "70.000", ""],
            _row(3, "C-3", "", ""), ["", "Công dân tự rút", "", "01/03/2022", "", "", "", "", "", ""],
            ["Tổng cộng", "4", "", "", "", "", "", "", "", ""]]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "cong.xlsx", rows))
    assert errors == []
    r = results[0]
    assert (r["rows_loaded"], r["rows_rejected"], r["rows_skipped"]) == (3, 1, 2)
    assert r["rejects"][0]["row"] == 6 and r["rejects"][0]["reason_code"] == "missing_unit"
    assert r["warnings"] == []   # 'Tổng cộng 4' = 3 loaded + 1 rejected


def test_unit_named_once_in_the_title(tmp_path):
    head = [h for h in H if h != "Đơn vị"]
    data = [[c for j, c in enumerate(_row(i, f"U-{i}", "", "")) if j != 2] for i in (1, 2)]
    rows = [["UBND QUẬN 3"], ["Đơn vị: UBND Quận 3"], ["Đơn vị tính: hồ sơ"], head] + data
    path = tmp_path / "mot_don_vi.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    results, errors, con = _load(tmp_path, path)
    assert errors == []
    assert con.execute("SELECT DISTINCT unit_text, unit_code FROM dossiers").fetchall() == [("UBND Quận 3", "Q3")]
    assert "Tệp không có cột đơn vị: mọi hồ sơ được nạp cho đơn vị «UBND Quận 3» (theo dòng tiêu đề)." in \
        results[0]["warnings"]
    assert _table(con)["received_new"] == 2
    # without such a line the file is refused, and the message says both ways out
    bare = _xlsx(tmp_path / "khong_don_vi.xlsx", [head] + data)
    _, errors, _ = _load(tmp_path / "b", bare)
    assert "Đơn vị: <tên đơn vị>" in errors[0] and "--unit" in errors[0]
    # --kind dossiers --unit names the unit of such a file
    results, errors, con = _load(tmp_path / "c", bare, kind="dossiers", unit="Q3")
    assert errors == []
    assert con.execute("SELECT DISTINCT unit_code FROM dossiers").fetchall() == [("Q3",)]
    assert "theo tùy chọn --unit" in results[0]["warnings"][0]


def test_legacy_vietnamese_encodings_and_a_hidden_data_sheet_are_said(tmp_path):
    # headers typed with a .VnTime (TCVN3) font, and a CSV saved from VNI-Times text: no header fits, and the
    # message used to list the headers tried, never the reason
    tcvn3 = _xlsx(tmp_path / "vntime.xlsx", [["B¸O C¸O CHI TIÕT Hå S¥"], ["M· hå s¬", "§¬n vÞ", "Ngµy tiÕp nhËn"],
                                             ["A-1", "UBND QuËn 3", "01/03/2022"]])
    vni = tmp_path / "vni.csv"
    vni.write_bytes("Maõ hoà sô,Ñôn vò,Ngaøy tieáp nhaän\r\nA-1,UBND Quaän 3,01/03/2022\r\n".encode("cp1252"))
    wb = Workbook()
    wb.active.title = "Bìa"
    wb.active.append(["BÁO CÁO HỒ SƠ THÁNG 3/2022"])
    data = wb.create_sheet("Dữ liệu")
    for row in [H, _row(1, "A-1", "", "")]:
        data.append(row)
    data.sheet_state = "hidden"
    wb.save(tmp_path / "an.xlsx")
    _, errors, con = _load(tmp_path, tcvn3, vni, tmp_path / "an.xlsx")
    assert errors[0].startswith("Tệp vntime.xlsx: chữ tiếng Việt được gõ bằng bảng mã cũ TCVN3")
    assert errors[1].startswith("Tệp vni.csv: chữ tiếng Việt được gõ bằng bảng mã cũ VNI")
    assert "Tệp có trang ẩn không được nạp: «Dữ liệu»" in errors[2] and "bảng mã" not in errors[2]
    assert con.execute("SELECT count(*) FROM dossiers").fetchall() == [(0,)]


def test_dates_that_load_but_cannot_be_right_are_said(tmp_path):
    # the title's 'đến ngày 31/03/2022' is the snapshot; a receipt in 2032 and a due date before the receipt loaded
    # without a word (the first falls out of March's table, the second counts late)
    rows = [["BÁO CÁO"], ["Từ ngày 01/03/2022 đến ngày 31/03/2022"], H,
            [1, "D-1", "UBND Quận 3", "05/03/2032 08:00", "10/03/2032", "", "Đang xử lý", "", "", ""],
            [2, "D-2", "UBND Quận 3", "05/03/2022 08:00", "04/03/2022", "08/03/2022", "Đã trả kết quả", "", "", ""],
            [3, "D-3", "UBND Quận 3", "05/03/2022 08:00", "04/03/2022", "", "Đang xử lý", "", "", ""],
            [4, "D-4", "UBND Quận 3", "03/03/2022 08:00", "10/03/2022", "01/03/2022", "Đã trả kết quả", "", "", ""]]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "ngay.xlsx", rows))
    assert errors == []
    r = results[0]
    assert (r["rows_loaded"], r["rows_rejected"]) == (3, 1)   # D-4 finished before received: rejected, as before
    assert r["warnings"] == [
        "1 hồ sơ có ngày tiếp nhận sau ngày chụp số liệu 31/03/2022 (trang «DS», dòng 4): vẫn nạp như ghi trong tệp, "
        "hãy kiểm tra năm của ngày đó.",
        "2 hồ sơ có ngày hẹn trả trước ngày tiếp nhận (trang «DS», dòng 5, 6): vẫn nạp như ghi trong tệp và được tính "
        "là trễ hạn khi có kết quả sau hạn."]
    t = _table(con)
    # March: D-2 resolved late (08/03 > 04/03), D-3 pending overdue; D-1 is not in March
    assert (t["received_new"], t["resolved_late"], t["pending_overdue"]) == (2, 1, 1)


def test_a_dossier_twice_keeps_the_line_furthest_on(tmp_path):
    # pending on line 2, finished on line 3 (a processing log): the result was lost — line 3 rejected, the dossier
    # pending and overdue at the end of March. Without a result date on either line the first stays, as before.
    rows = [H, [1, "D-1", "UBND Quận 3", "01/03/2022 08:00", "10/03/2022", "", "Đang xử lý", "", "", ""],
            [2, "D-1", "UBND Quận 3", "01/03/2022 08:00", "10/03/2022", "08/03/2022", "Đã trả kết quả", "", "", ""],
            [3, "D-2", "UBND Quận 3", "02/03/2022 08:00", "10/03/2022", "", "Đang xử lý", "", "", ""],
            [4, "D-2", "UBND Quận 3", "02/03/2022 08:00", "10/03/2022", "", "Chờ bổ sung", "", "", ""]]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "trung.xlsx", rows))
    assert errors == []
    assert [(r["row"], r["reason"]) for r in results[0]["rejects"]] == [
        (2, "Mã hồ sơ trùng với dòng 3 trong cùng tệp (giữ dòng 3: dòng đó đã có kết quả)."),
        (5, "Mã hồ sơ trùng với dòng 4 trong cùng tệp.")]
    assert con.execute("SELECT dossier_code, status_code, row_number FROM dossiers ORDER BY 1").fetchall() == [
        ("D-1", 10, 3), ("D-2", 4, 4)]
    t = _table(con)
    assert (t["received_new"], t["resolved_early"], t["pending_overdue"]) == (2, 1, 1)


def test_unit_written_once_for_its_block_of_lines(tmp_path):
    # the unit on the first line of its block, the cells below left empty (a merged cell unmerged): 3 of 5
    # dossiers were rejected 'Thiếu đơn vị tiếp nhận'. A table naming the unit on every line still rejects the one
    # line that leaves it empty.
    head = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    blocks = [head, [1, "B-1", "UBND Quận 3", "01/03/2022", "10/03/2022", "09/03/2022", "Đã trả kết quả"],
              [2, "B-2", None, "01/03/2022", "10/03/2022", None, "Đang xử lý"],
              [3, "B-3", None, "01/03/2022", "10/03/2022", "12/03/2022", "Đã trả kết quả"],
              [4, "B-4", "Sở Tư pháp", "01/03/2022", "10/03/2022", "09/03/2022", "Đã trả kết quả"],
              [5, "B-5", None, "01/03/2022", "10/03/2022", None, "Đang xử lý"]]
    flat = [head] + [[i, f"L-{i}", "UBND Quận 3", "01/03/2022", "10/03/2022", None, "Đang xử lý"] for i in (1, 2, 3)] + \
        [[4, "L-4", None, "01/03/2022", "10/03/2022", None, "Đang xử lý"]]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "khoi.xlsx", blocks), _xlsx(tmp_path / "phang.xlsx", flat))
    assert errors == []
    assert results[0]["warnings"] == ["3 hồ sơ không ghi đơn vị được nạp cho đơn vị ghi ở dòng trên gần nhất (bảng "
                                      "ghi đơn vị một lần cho mỗi khối dòng; trang «DS», dòng 3, 4, 6)."]
    assert con.execute("SELECT dossier_code, unit_code FROM dossiers WHERE dossier_code LIKE 'B-%' ORDER BY 1"
                       ).fetchall() == [("B-1", "Q3"), ("B-2", "Q3"), ("B-3", "Q3"), ("B-4", "STP"), ("B-5", "STP")]
    assert [(r["row"], r["reason_code"]) for r in results[1]["rejects"]] == [(5, "missing_unit")]
    t = _table(con)
    # B-1, B-4 early (09 < 10/03), B-3 late (12 > 10/03), B-2, B-5, L-1…L-3 pending overdue at 31/03
    assert (t["received_new"], t["resolved_early"], t["resolved_late"], t["pending_overdue"]) == (8, 2, 1, 5)


def test_times_written_first_or_after_a_comma(tmp_path):
    # '14:20:31 26/07/2022' (the time first), '05/03/2022, 08:30', '05/03/2022 - 08:30', '08h30': each dossier was
    # rejected for an unreadable date
    shapes = [("14:20:31 02/03/2022", "2022-03-02 14:20:31"), ("08:30 03/03/2022", "2022-03-03 08:30:00"),
              ("08h30 4/3/2022", "2022-03-04 08:30:00"), ("05/03/2022, 08:30", "2022-03-05 08:30:00"),
              ("06/03/2022 - 08:30:10", "2022-03-06 08:30:10"), ("07/03/2022 08h30", "2022-03-07 08:30:00")]
    path = tmp_path / "gio.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"])
        for i, (text, _) in enumerate(shapes):
            out.writerow([f"G-{i}", "UBND Quận 3", text, "17:00 10/03/2022", "16:00 09/03/2022" if i < 3 else ""])
    results, errors, con = _load(tmp_path, path)
    assert errors == [] and results[0]["rows_rejected"] == 0
    got = con.execute("SELECT strftime(received_at, '%Y-%m-%d %H:%M:%S'), due_at, finished_at FROM dossiers "
                      "ORDER BY dossier_code").fetchall()
    assert [g[0] for g in got] == [want for _, want in shapes]
    assert str(got[0][1]) == "2022-03-10 17:00:00" and str(got[0][2]) == "2022-03-09 16:00:00"
    t = _table(con)
    assert (t["received_new"], t["resolved_early"], t["pending"]) == (6, 3, 3)


def test_supplement_count_written_with_its_word(tmp_path):
    # 'Số lần bổ sung: 2 lần' rejected the dossier ('Số không hợp lệ'); two requests make it late (§1) even though
    # it finished before its due date; 'Không' is none
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Số lần bổ sung"],
            ["L-1", "UBND Quận 3", "01/03/2022", "10/03/2022", "09/03/2022", "2 lần"],
            ["L-2", "UBND Quận 3", "01/03/2022", "10/03/2022", "09/03/2022", "Không"]]
    results, errors, con = _load(tmp_path, _xlsx(tmp_path / "bo_sung.xlsx", rows))
    assert errors == [] and results[0]["rows_rejected"] == 0
    assert con.execute("SELECT supplement_count FROM dossiers ORDER BY 1").fetchall() == [(0,), (2,)]
    t = _table(con)
    assert (t["resolved_early"], t["resolved_late"]) == (1, 1)
