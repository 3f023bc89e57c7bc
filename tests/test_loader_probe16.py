"""Sixteenth loader probe: exports and lists as offices keep them in Excel — codes stored as numbers under a format
that pads them («000124», «2.000880», a ward's «00004»), rows a filter hides, a «Nơi nhận:» block typed in the code
column, each ward's block closed by its own «Cộng», a fee «Miễn phí (người có công)», the short header «Hẹn trả»,
receipt numbers that restart per ward, a CSV saved month first. Expected values are counted by hand."""
import csv
from datetime import date, datetime

from openpyxl import Workbook

from tests.files import database_with_units, load_one, march_total, query, write_csv, write_xlsx


def _formatted_codes_workbook(path):
    """Dossier codes stored as numbers shown «000123»…, procedure codes as numbers shown «1.001612», «2.000880»."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Mã TTHC", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"])
    rows = [(123, 1.001612, "01/03/2022", "08/03/2022", "04/03/2022"),
            (124, 2.00088, "02/03/2022", None, "10/03/2022"),   # due from the catalogue: 3 working days → 07/03
            (126, 1.001612, "03/03/2022", "11/03/2022", None)]
    for code, procedure, received, due, done in rows:
        ws.append([code, procedure, "Phường 9", received, due, done])
        ws.cell(ws.max_row, 1).number_format = "000000"
        ws.cell(ws.max_row, 2).number_format = "0.000000"
    wb.save(path)
    return path


def test_codes_stored_as_numbers_are_read_as_their_format_shows_them(tmp_path):
    db = database_with_units(tmp_path)
    catalogue = tmp_path / "tthc.csv"
    catalogue.write_text("code,name,field,online_level,statutory_days\n1.001612,Thủ tục A,Hộ tịch,none,5\n"
                         "2.000880,Thủ tục B,Hộ tịch,none,3\n", encoding="utf-8")
    assert load_one(db, catalogue)[1] == []
    result, errors = load_one(db, _formatted_codes_workbook(tmp_path / "hs.xlsx"))
    assert errors == [] and result["rows_loaded"] == 3
    # before: '123', '124', '126' and '2.00088': no procedure of the catalogue, no derived due date
    assert query(db, "SELECT dossier_code, procedure_code, CAST(due_at AS DATE), is_due_derived FROM dossiers "
                     "ORDER BY 1") == [("000123", "1.001612", date(2022, 3, 8), False),
                                       ("000124", "2.000880", date(2022, 3, 7), True),
                                       ("000126", "1.001612", date(2022, 3, 11), False)]
    # the next export of the same system writes the codes as text: the same dossiers, updated, not new ones
    april = write_csv(tmp_path / "thang4.csv", [["Mã hồ sơ", "Mã TTHC", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả",
                                                 "Ngày có kết quả"],
                                                ["000126", "1.001612", "Phường 9", "03/03/2022", "11/03/2022",
                                                 "04/04/2022"]])
    result, _ = load_one(db, april)
    assert (result["rows_loaded"], result["rows_updated"]) == (0, 1)
    total = march_total(db)
    # 3 received; 000123 early (04 < 08), 000124 late (10 > 07); 000126 still pending at 31/03, overdue (due 11/03)
    assert (total["received_new"], total["resolved_early"], total["resolved_late"], total["pending_overdue"]) == (3, 1, 1, 1)


def test_a_unit_list_with_padded_numeric_codes_matches_an_export_writing_them(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã ĐVHC", "Tên ĐVHC", "Cấp"])
    for code, name in ((4, "Phường Phúc Xá"), (7, "Phường Trúc Bạch")):
        ws.append([code, name, "Phường"])
        ws.cell(ws.max_row, 1).number_format = "00000"
    wb.save(tmp_path / "dvhc.xlsx")
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, tmp_path / "dvhc.xlsx")
    assert errors == [], errors   # before: «Mã ĐVHC» was no unit code header
    assert query(db, "SELECT unit_code FROM units ORDER BY 1") == [("00004",), ("00007",)]
    export = write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Mã ĐVHC", "Ngày tiếp nhận"], ["H1", "00004", "01/03/2022"]])
    result, _ = load_one(db, export)
    assert query(db, "SELECT unit_code FROM dossiers") == [("00004",)]


def test_rows_a_filter_hides_are_loaded_and_said(tmp_path):
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "loc.xlsx", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                                              ["L1", "Sở Tư pháp", "01/03/2022"], ["L2", "Sở Tư pháp", "02/03/2022"],
                                              ["L3", "Sở Tư pháp", "03/03/2022"], ["L4", "Sở Tư pháp", "04/03/2022"]],
                      sheet="HoSo")
    from openpyxl import load_workbook
    wb = load_workbook(path)
    for row in (3, 5):
        wb.active.row_dimensions[row].hidden = True
    wb.save(path)
    result, errors = load_one(db, path)
    assert errors == [] and result["rows_loaded"] == 4
    notes = [w for w in result["warnings"] if "bị ẩn" in w]
    assert len(notes) == 1 and "2 dòng" in notes[0] and "dòng 3, 5" in notes[0], result["warnings"]


def test_a_recipients_block_typed_in_the_code_column_is_no_dossier(tmp_path):
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "ds.xlsx", [
        ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ghi chú"],
        [1, "N-1", "Quận 3", "01/03/2022", None],
        [2, "N-2", "Quận 3", "02/03/2022", None],
        [None, "Nơi nhận:", None, None, "NGƯỜI LẬP BIỂU"],
        [None, "- Như trên;", None, None, "(Ký, ghi rõ họ tên)"],
        [None, "- Lưu: VT.", None, None, None],
        [None, None, None, None, "Trần Thị B"]])
    result, errors = load_one(db, path)
    # before: the three lines of the block were rejected as dossiers without a unit
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 4)


def _ward_blocks(closing):
    """Three Võ Thị Sáu dossiers and two of Phường 9, each block closed by closing(ward, count), then a grand total."""
    rows = [["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"]]
    for ward, codes in (("Phường Võ Thị Sáu", ("V1", "V2", "V3")), ("Phường 9", ("P1", "P2"))):
        rows += [[i + 1, code, ward, "01/03/2022"] for i, code in enumerate(codes)]
        rows.append(closing(ward, len(codes)))
    return rows


def test_each_wards_own_total_is_checked_against_its_block(tmp_path):
    db = database_with_units(tmp_path)
    bare = write_xlsx(tmp_path / "cong.xlsx", _ward_blocks(lambda ward, n: ["Cộng", n])
                      + [["Tổng cộng", 5]])
    result, _ = load_one(db, bare)
    assert (result["rows_loaded"], result["rows_skipped"]) == (5, 3)
    # before: each «Cộng» was a grand total of 3 and 2 against the file's 5 rows
    assert not [w for w in result["warnings"] if "Dòng tổng cộng" in w], result["warnings"]
    worded = write_xlsx(tmp_path / "tong.xlsx", _ward_blocks(lambda ward, n: [f"Tổng cộng {ward.lower()}: {n} hồ sơ"])
                        + [["TỔNG CỘNG: 5 hồ sơ"]])
    db2 = database_with_units(tmp_path / "b")
    result, _ = load_one(db2, worded)
    assert result["rows_loaded"] == 5 and not [w for w in result["warnings"] if "Dòng tổng cộng" in w]
    # a block total that is wrong is still said
    wrong = write_xlsx(tmp_path / "sai.xlsx", _ward_blocks(lambda ward, n: ["Cộng", n + 1])
                       + [["Tổng cộng", 5]])
    db3 = database_with_units(tmp_path / "c")
    result, _ = load_one(db3, wrong)
    said = [w for w in result["warnings"] if "Dòng tổng cộng" in w]
    assert len(said) == 2 and "dòng 5) ghi 4 hồ sơ" in said[0] and "dòng tổng trước đến dòng này: 3)" in said[0], said


def test_a_free_fee_with_its_reason_in_brackets_is_no_fee(tmp_path):
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "phi.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Lệ phí"],
                                            ["F1", "Sở Tư pháp", "01/03/2022", "Miễn phí (người có công)"],
                                            ["F2", "Sở Tư pháp", "01/03/2022", "50.000đ"]])
    result, errors = load_one(db, path)
    # before: F1 was rejected «Số không hợp lệ» and left out of every count
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert query(db, "SELECT dossier_code, fee_amount FROM dossiers ORDER BY 1") == [("F1", 0.0), ("F2", 50000.0)]


def test_the_short_header_hen_tra_is_the_due_date(tmp_path):
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "so.csv", [["STT", "Số biên nhận", "Đơn vị", "Ngày nhận", "Hẹn trả", "Ngày trả", "Tình trạng"],
                                           [1, "SBN-01", "Phường 9", "01/03/2022", "04/03/2022", "07/03/2022", "Đã trả kết quả"],
                                           [2, "SBN-02", "Phường 9", "01/03/2022", "04/03/2022", "04/03/2022", "Đã trả kết quả"],
                                           [3, "SBN-03", "Phường 9", "02/03/2022", "08/03/2022", "", "Đang xử lý"]])
    result, errors = load_one(db, path, as_of=date(2022, 3, 31))
    assert errors == []
    total = march_total(db)
    # before: «Hẹn trả» unused, every dossier on time and the pending one within its deadline
    assert (total["resolved_on_time"], total["resolved_late"], total["pending_overdue"]) == (1, 1, 1)


def test_receipt_numbers_repeated_by_another_ward_say_so(tmp_path):
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "so.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                                           ["01/BN", "Phường Võ Thị Sáu", "01/03/2022"],
                                           ["01/BN", "Phường 9", "02/03/2022"],
                                           ["02/BN", "Phường 9", "02/03/2022"],
                                           ["02/BN", "Phường 9", "03/03/2022"]])
    result, _ = load_one(db, path)
    reasons = {r["row"]: r["reason"] for r in result["rejects"]}
    assert set(reasons) == {3, 5}
    assert "Dòng đó thuộc đơn vị khác («Phường Võ Thị Sáu»)" in reasons[3] and "--source" in reasons[3]
    assert "đơn vị khác" not in reasons[5]   # the same ward twice: a duplicate as before


def test_a_csv_saved_month_first_is_said(tmp_path):
    db = database_with_units(tmp_path)
    path = tmp_path / "us.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả"],
                                      ["M1", "Sở Tư pháp", "3/1/2022", "3/8/2022"],
                                      ["M2", "Sở Tư pháp", "3/14/2022", "3/21/2022"],
                                      ["M3", "Sở Tư pháp", "3/15/2022", "3/22/2022"]])
    result, _ = load_one(db, path, as_of=date(2022, 3, 31))
    # read day first as dossiers.md says: two rows rejected, M1 received 3 January — and now said why
    assert result["rows_rejected"] == 2
    said = [w for w in result["warnings"] if "tháng trước ngày" in w]
    assert len(said) == 1 and "dòng 3" in said[0], result["warnings"]
    # a day-first file with one mistyped date is not taken for month first
    other = write_csv(tmp_path / "vn.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"], ["V1", "Sở Tư pháp", "14/03/2022"],
                                            ["V2", "Sở Tư pháp", "03/14/2022"], ["V3", "Sở Tư pháp", "03/15/2022"]])
    result, _ = load_one(database_with_units(tmp_path / "b"), other)
    assert result["rows_rejected"] == 2 and not [w for w in result["warnings"] if "tháng trước ngày" in w]


def test_the_missing_due_date_warning_leaves_out_refused_dossiers_and_names_the_missing_procedure(tmp_path):
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Trạng thái"],
                                           ["R1", "Sở Tư pháp", "01/03/2022", "4"],
                                           ["R2", "Sở Tư pháp", "01/03/2022", "3"]])
    result, _ = load_one(db, path)
    said = [w for w in result["warnings"] if "không có ngày hẹn trả" in w]
    # R2 was refused at the desk (status 3): in no figure, so not among the dossiers without a deadline
    assert len(said) == 1 and said[0].startswith("1 hồ sơ không có ngày hẹn trả: 1 hồ sơ không ghi thủ tục"), said
    assert "danh mục TTHC có cột" not in said[0]


def test_datetime_cells_and_padded_codes_share_a_sheet(tmp_path):
    """A padded code column beside true date cells: only the formatted number cells change."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Lệ phí"])
    ws.append([7, "Sở Tư pháp", datetime(2022, 3, 2, 9, 15), 50000])
    ws.cell(2, 1).number_format = "00000"
    ws.cell(2, 4).number_format = "#,##0"
    ws.append(["ABC-1", "Sở Tư pháp", datetime(2022, 3, 3), 0])
    wb.save(tmp_path / "hs.xlsx")
    result, errors = load_one(db, tmp_path / "hs.xlsx")
    assert errors == []
    assert query(db, "SELECT dossier_code, received_at, fee_amount FROM dossiers ORDER BY 1") == [
        ("00007", datetime(2022, 3, 2, 9, 15), 50000.0), ("ABC-1", datetime(2022, 3, 3), 0.0)]


def test_a_dossier_submitted_and_not_yet_received_is_told_as_such(tmp_path):
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "cong.csv", [["Mã hồ sơ", "Đơn vị", "Ngày nộp", "Ngày tiếp nhận", "Trạng thái"],
                                             ["S1", "Sở Tư pháp", "01/03/2022", "01/03/2022", "Đang xử lý"],
                                             ["S2", "Sở Tư pháp", "02/03/2022", "", "Mới đăng ký"],
                                             ["S3", "Sở Tư pháp", "", "", "Đang xử lý"]])
    result, _ = load_one(db, path)
    reasons = {r["row"]: (r["reason_code"], r["reason"]) for r in result["rejects"]}
    # both rejected for the missing receipt (dossiers.md), the one submitted on the portal told as not yet received
    assert reasons[3][0] == reasons[4][0] == "missing_received_date"
    assert "đã nộp nhưng chưa được tiếp nhận" in reasons[3][1] and reasons[4][1] == "Thiếu ngày tiếp nhận."
