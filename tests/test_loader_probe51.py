"""Fifty-first loader probe: more vendors' dossier exports and registers. Expected values are counted by hand from the
lines below; each test failed on the code before its fix."""
from openpyxl import Workbook

from tests.files import database_with_units, load_one, month_total, query, write_csv


def test_a_header_of_three_rows(tmp_path):
    """«Thông tin hồ sơ» over «Thủ tục» over «Mã | Tên», «Thời gian» over «Tiếp nhận | Hoàn thành», no due column:
    the two upper rows were read alone, «Thủ tục» as the procedure's name holding its code, so the due date could not
    come from the catalogue (3 working days for 1.001193) and a late dossier counted on time. By hand: received Monday
    06/03, due Thursday 09/03; HS-1 finished 14/03 late; HS-2 pending, overdue at 31/03."""
    db = database_with_units(tmp_path)
    _, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [
        ["Mã TTHC", "Tên TTHC", "Lĩnh vực", "Thời hạn giải quyết"],
        ["1.001193.000.00.00.H29", "Thủ tục đăng ký khai sinh", "Hộ tịch", "03 ngày làm việc"]]))
    assert errors == []
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["E1"] = "Thông tin hồ sơ", "Thời gian"
    ws.merge_cells("A1:D1")
    ws.merge_cells("E1:F1")
    for col, text in zip("ABCEF", ("Mã hồ sơ", "Đơn vị", "Thủ tục", "Tiếp nhận", "Hoàn thành")):
        ws[f"{col}2"] = text
    for col in "ABEF":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("C2:D2")
    ws["C3"], ws["D3"] = "Mã", "Tên"
    ws.append(["HS-1", "Phường 9", "1.001193.000.00.00.H29", "Thủ tục đăng ký khai sinh", "06/03/2023 08:00",
               "14/03/2023 10:00"])
    ws.append(["HS-2", "Phường 9", "1.001193.000.00.00.H29", "Thủ tục đăng ký khai sinh", "06/03/2023 08:00", None])
    wb.save(tmp_path / "ba_dong.xlsx")
    result, errors = load_one(db, tmp_path / "ba_dong.xlsx")
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT DISTINCT procedure_code, procedure_name, CAST(due_at AS DATE)::VARCHAR FROM dossiers") == [
        ("1.001193", "Thủ tục đăng ký khai sinh", "2023-03-09")]
    total = month_total(db, 2023, 3)
    assert (total["resolved_late"], total["resolved_on_time"], total["pending_overdue"]) == (1, 0, 1)


def test_a_register_of_mau_06_with_headers_merged_down(tmp_path):
    """The one-stop register of Circular 01/2018 (Mẫu 06): «Cơ quan chủ trì giải quyết» merged down over the row of
    «Ngày, giờ | Ký nhận» lists the ward's desks; «Trả kết quả cho cá nhân, tổ chức» is the hand-over. The header
    merged down was read as one of the column's values, so the desks were taken for units (every dossier unmatched),
    and the hand-over date was not read. By hand: both dossiers are Phường 9's (the title), R1 handed over 03/03."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND PHƯỜNG 9"])
    ws.append(["Mã hồ sơ", "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả",
               "Nhận kết quả từ cơ quan giải quyết", None, "Trả kết quả cho cá nhân, tổ chức", None])
    ws.append([None, None, None, None, "Ngày, giờ", "Ký nhận", "Ngày, giờ", "Ký nhận"])
    for col in "ABCD":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("E2:F2")
    ws.merge_cells("G2:H2")
    ws.append(["R1", "Công chức Tư pháp - Hộ tịch", "01/03/2023", "03/03/2023", "02/03/2023", "Lê Cúc",
               "03/03/2023", "Trần Văn Nam"])
    ws.append(["R2", "Công chức Tư pháp - Hộ tịch", "27/03/2023", "30/03/2023", None, None, None, None])
    wb.save(tmp_path / "so_mau_06.xlsx")
    result, errors = load_one(db, tmp_path / "so_mau_06.xlsx")
    assert errors == [] and result["rows_loaded"] == 2 and not result["unmatched_units"]
    assert query(db, "SELECT dossier_code, unit_code, CAST(returned_at AS DATE)::VARCHAR FROM dossiers ORDER BY 1") == [
        ("R1", "Q3_P09", "2023-03-03"), ("R2", "Q3_P09", None)]


def test_a_misspelled_required_header_is_named(tmp_path):
    """«Ngày tếp nhận»: the refusal listed the headers tried, not the column that was meant."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tếp nhận", "Ngày hẹn trả", "Trạng thái"],
        ["M-1", "Phường 9", "01/03/2023", "03/03/2023", "Đang xử lý"]]))
    assert result is None and "Cột «Ngày tếp nhận» gần giống «Ngày tiếp nhận»" in errors[0]


def test_a_status_no_vocabulary_reads_is_said_with_its_lines(tmp_path):
    """«Đã hủy» is no status of the vocabulary: the dossier counts by its dates (pending here), and the summary said
    only «1 dòng», so the cancelled dossier swelling the backlog could not be found. Now its line is named."""
    from etl.summary import format_summary
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"],
        ["C-1", "Phường 9", "01/03/2023", "03/03/2023", "Đang xử lý"],
        ["C-2", "Phường 9", "02/03/2023", "06/03/2023", "Đã hủy"]]))
    assert errors == []
    assert [(u["value"], u["rows"]) for u in result["unrecognized_values"]] == [("Đã hủy", [3])]
    assert "'Đã hủy' (1 dòng: dòng 3)" in format_summary([result], [])


def test_a_withdrawn_dossier_without_any_date_is_said(tmp_path):
    """«Đã rút», «Dừng xử lý» with neither a result nor a hand-over date: counted pending and overdue by the rule
    (indicators.md §1), without a word — the finished ones (9, 10) were already said. Now lines 3 and 4 are named."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "rut.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Trạng thái"],
        ["W1", "Phường 9", "01/03/2023", "03/03/2023", "02/03/2023", "Đã rút"],
        ["W2", "Phường 9", "01/03/2023", "03/03/2023", "", "Đã rút"],
        ["W3", "Phường 9", "01/03/2023", "03/03/2023", "", "Dừng xử lý"]]))
    assert errors == []
    assert any(w.startswith("2 hồ sơ trả lại hoặc rút (trạng thái 7, 8) không có ngày có kết quả hay ngày trả (dòng 3, 4)")
               for w in result["warnings"])
    assert month_total(db, 2023, 3)["pending_overdue"] == 3


def test_a_register_named_by_its_corner_heading_alone(tmp_path):
    """A ward's register without a unit column whose only unit is the document's corner heading «UBND PHƯỜNG VÕ THỊ
    SÁU»: refused (the same heading was read over a column of desks). Now every dossier is that ward's, said."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "so.csv", [
        ["UBND PHƯỜNG VÕ THỊ SÁU"], ["SỔ THEO DÕI HỒ SƠ THÁNG 3/2023"], [],
        ["STT", "Số biên nhận", "Tên thủ tục", "Ngày nhận", "Hẹn trả", "Ngày trả", "Tình trạng"],
        ["1", "VTS-01", "Chứng thực bản sao", "01/03/2023", "02/03/2023", "02/03/2023", "Đã trả kết quả"],
        ["2", "VTS-02", "Đăng ký khai sinh", "06/03/2023", "09/03/2023", "", "Đang xử lý"]]))
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT DISTINCT unit_code FROM dossiers") == [("Q3_VTS",)]
    assert any("theo tiêu đề góc trái của văn bản" in w for w in result["warnings"])
