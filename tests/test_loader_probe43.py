"""Forty-third loader probe: dossier exports of several vendors' one-stop systems. Expected values are counted by hand
from the lines below; each test failed on the code before its fix."""
from tests.files import database_with_units, load_one, month_total, query, write_csv, write_workbook

HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]


def test_a_sheet_of_dossiers_missing_a_required_column_refuses_the_whole_file(tmp_path):
    """A month's export split into a sheet of finished and a sheet of pending dossiers, the second one's receipt date
    headed «Ngày TN». Before, the second sheet was «a sheet without a table», the first loaded alone: the pending
    dossiers vanished from the figures without a word but that one."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_workbook(tmp_path / "thang_1.xlsx", {
        "Đã giải quyết": [HEADER, ["HS-1", "Sở Tư pháp", "03/01/2023", "06/01/2023", "05/01/2023"],
                          ["HS-2", "Sở Tư pháp", "04/01/2023", "09/01/2023", "09/01/2023"]],
        "Đang giải quyết": [["Mã hồ sơ", "Đơn vị", "Ngày TN", "Ngày hẹn trả", "Ngày có kết quả"],
                            ["HS-3", "Sở Tư pháp", "05/01/2023", "10/01/2023", None],
                            ["HS-4", "Sở Tư pháp", "06/01/2023", "11/01/2023", None]]}))
    assert result is None and len(errors) == 1
    assert "«Đang giải quyết»" in errors[0] and "Ngày tiếp nhận" in errors[0] and "không nạp dòng nào" in errors[0]
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]


def test_a_vendors_short_headers_and_the_national_portals_status_words(tmp_path):
    """«Mã HS» and «TrangThai» (a Viettel-style export) were columns not used: the codes 1–10 unread, a dossier refused
    at the desk (3) counted as received, a withdrawn one (7) as resolved. The national portal's «Trả hồ sơ không giải
    quyết» and «Rút hồ sơ theo yêu cầu» were unknown words, both counted as resolved."""
    from tests.files import write_csv
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "viettel.csv", [
        ["Mã HS", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "TrangThai"],
        ["VT-1", "Sở Tư pháp", "03/01/2023", "06/01/2023", "05/01/2023", "10"],
        ["VT-2", "Sở Tư pháp", "03/01/2023", "06/01/2023", None, "3"],
        ["VT-3", "Sở Tư pháp", "04/01/2023", "09/01/2023", "05/01/2023", "7"],
        ["VT-4", "Sở Tư pháp", "04/01/2023", "09/01/2023", "06/01/2023", "Trả hồ sơ không giải quyết"],
        ["VT-5", "Sở Tư pháp", "05/01/2023", "10/01/2023", "06/01/2023", "Rút hồ sơ theo yêu cầu"]]))
    assert errors == [] and result["rows_loaded"] == 5 and result["unrecognized_values"] == []
    assert query(db, "SELECT dossier_code, status_code FROM dossiers ORDER BY 1") == [
        ("VT-1", 10), ("VT-2", 3), ("VT-3", 7), ("VT-4", 8), ("VT-5", 7)]


def test_a_desks_column_over_a_row_of_column_numbers_and_the_corner_heading(tmp_path):
    """A ward's logbook: «(1) (2) (3)…» under the header, and the ward named only by the corner heading of an official
    document («UBND QUẬN 3» over «UBND PHƯỜNG 9»). Before, the «(3)» under «Đơn vị xử lý» made the column read as
    units, so every dossier was counted under its desk, an unknown unit; and the corner heading named no unit."""
    from tests.files import write_xlsx
    header = ["STT", "Mã hồ sơ", "Đơn vị xử lý", "Ngày tiếp nhận", "Ngày hẹn trả"]
    lines = [["(1)", "(2)", "(3)", "(4)", "(5)"],
             [1, "W1", "Bộ phận Tư pháp - Hộ tịch", "01/03/2024", "05/03/2024"],
             [2, "W2", "Bộ phận Địa chính - Xây dựng", "04/03/2024", "08/03/2024"]]
    cases = {"co_quan": [["Cơ quan: UBND Phường 9 - Quận 3"], [], header, *lines],
             "goc_trai": [["UBND QUẬN 3", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                          ["UBND PHƯỜNG 9", None, None, "Độc lập - Tự do - Hạnh phúc"], [],
                          ["SỔ THEO DÕI HỒ SƠ THÁNG 3/2024"], header, *lines]}
    for name, rows in cases.items():
        db = database_with_units(tmp_path / name)
        result, errors = load_one(db, write_xlsx(tmp_path / name / "so_theo_doi.xlsx", rows))
        assert errors == [] and result["rows_loaded"] == 2 and result["unmatched_units"] == [], name
        assert query(db, "SELECT DISTINCT unit_code FROM dossiers") == [("Q3_P09",)], name


def _export(path):
    from tests.files import write_xlsx
    return write_xlsx(path, [HEADER, ["HS-1", "Sở Tư pháp", "03/01/2023", "06/01/2023", "05/01/2023"],
                             ["HS-2", "Sở Tư pháp", "04/01/2023", "09/01/2023", None]])


def test_a_workbook_saved_under_another_files_name_is_read_by_what_it_holds(tmp_path):
    """An .xlsx renamed .xls or saved as «.csv» by a mail client: before, «tệp hỏng, có mật khẩu hoặc không phải tệp
    Excel» and «không nhận ra bảng mã ký tự». What the file holds decides, and the summary says so."""
    for suffix in (".xls", ".csv"):
        db = database_with_units(tmp_path / suffix[1:])
        renamed = tmp_path / suffix[1:] / f"ho_so{suffix}"
        _export(tmp_path / suffix[1:] / "goc.xlsx").rename(renamed)
        result, errors = load_one(db, renamed)
        assert errors == [] and result["rows_loaded"] == 2, suffix
        assert any("là bảng tính Excel (.xlsx)" in w for w in result["warnings"]), suffix


def test_a_word_document_named_as_a_workbook_is_said_to_be_one(tmp_path):
    import docx
    document = docx.Document()
    document.add_paragraph("Báo cáo")
    document.save(tmp_path / "bao_cao.docx")
    named = (tmp_path / "bao_cao.docx").rename(tmp_path / "bao_cao.xlsx")
    result, errors = load_one(database_with_units(tmp_path), named)
    assert result is None and "văn bản Word (.docx)" in errors[0] and "không nạp dòng nào" in errors[0]


def test_a_due_date_written_in_words_is_the_receipt_day_or_none(tmp_path):
    """«Trong ngày» (a same-day procedure) and «Không xác định» under «Ngày hẹn trả» rejected both dossiers as
    unreadable dates. By hand, January 2023: S-01 received 03/01, due that day, resolved 03/01 (on time); S-02 no due
    date and no procedure, pending within; S-03 due 04/01, resolved 04/01 (on time). New 3, resolved 2 (0 early, 2
    on time, 0 late), pending 1 (1 within, 0 overdue). «Ngày mai» is no due date a reader can tell: rejected."""
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "han_tra_bang_chu.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
        ["S-01", "UBND Quận 3", "03/01/2023 08:00", "Trong ngày", "03/01/2023 10:00", "Đã trả kết quả"],
        ["S-02", "UBND Quận 3", "03/01/2023 08:00", "KHÔNG XÁC ĐỊNH", "", "Đang xử lý"],
        ["S-03", "UBND Quận 3", "04/01/2023 08:00", "04/01/2023 16:00", "04/01/2023 10:00", "Đã trả kết quả"],
        ["S-04", "UBND Quận 3", "04/01/2023 08:00", "Ngày mai", "", "Đang xử lý"],
    ])
    result, errors = load_one(db, path)
    assert errors == []
    assert (result["rows_loaded"], result["rows_rejected"]) == (3, 1)
    assert [(r["row"], "«Ngày mai»" in r["reason"]) for r in result["rejects"]] == [(5, True)]
    assert query(db, "SELECT dossier_code, CAST(due_at AS DATE)::VARCHAR FROM dossiers ORDER BY 1") == [
        ("S-01", "2023-01-03"), ("S-02", None), ("S-03", "2023-01-04")]
    total = month_total(db, 2023, 1)
    assert (total["received_new"], total["resolved"], total["resolved_early"], total["resolved_on_time"],
            total["resolved_late"], total["pending_within"], total["pending_overdue"]) == (3, 2, 0, 2, 0, 1, 0)
    notes = " ".join(result["warnings"])
    assert "«Trong ngày»; dòng 2): hạn trả là chính ngày tiếp nhận" in notes
    assert "«KHÔNG XÁC ĐỊNH»; dòng 3): xem như tệp không ghi hạn trả" in notes


def test_a_date_of_no_calendar_and_a_time_of_no_clock_are_named_as_such(tmp_path):
    """«2023-13-01» (month 13, year first) and «19/01/2023 25:00» were told «năm đủ 4 chữ số»: the year, written right
    in both, was blamed. Now the month, and the time, are."""
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "ngay_gio_sai.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"],
        ["E-10", "UBND Quận 3", "2023-13-01", "20/01/2023", "Đang xử lý"],
        ["E-14", "UBND Quận 3", "19/01/2023 25:00", "20/01/2023", "Đang xử lý"],
        ["E-15", "UBND Quận 3", "19/01/2023", "20/01/2023 8h75", "Đang xử lý"],
        ["E-16", "UBND Quận 3", "2023-01-19 08:30", "20/01/2023 23:59", "Đang xử lý"],
    ])
    result, errors = load_one(db, path)
    assert errors == []
    reasons = {r["row"]: r["reason"] for r in result["rejects"]}
    assert sorted(reasons) == [2, 3, 4]
    assert reasons[2].startswith("Ngày không có thật ở cột «Ngày tiếp nhận»: «2023-13-01»")
    assert reasons[3].startswith("Giờ không có thật ở cột «Ngày tiếp nhận»: «19/01/2023 25:00»")
    assert reasons[4].startswith("Giờ không có thật ở cột «Ngày hẹn trả»: «20/01/2023 8h75»")
    assert query(db, "SELECT dossier_code FROM dossiers") == [("E-16",)]
