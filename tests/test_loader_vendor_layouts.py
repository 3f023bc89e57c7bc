"""Files laid out as other vendors' one-stop systems and catalogues write them (a probe of unseen layouts): the words
they use for channels, statuses and service levels, unit lists with their own column names, the national
catalogue's time limits in words, plans' target wording and SIPAS question codes. Each file is written here."""

from etl.core.database import connect
from etl.summary import format_summary
from tests.conftest import FIXTURES
from tests.files import import_each, write_csv, write_xlsx


def _load(tmp_path, *paths):
    con = connect(tmp_path / "cchc.duckdb")
    return *import_each(con, paths), con


# (written in the file, channel, status code, online level) as VNPT iGate, Viettel and the portals print them
WORDS = [("Qua dịch vụ BCCI", "postal", "Hoàn thành đúng hạn", 9, "DVC cung cấp thông tin", "none"),
         ("Nộp qua bưu chính", "postal", "Hoàn thành trễ hạn", 9, "Trực tuyến toàn trình", "full"),
         ("Dịch vụ công trực tuyến", "online", "Đã trả kết quả trễ hạn", 10, "Trực tuyến một phần", "partial"),
         ("Qua Cổng DVCQG", "online", "Đang xử lý quá hạn", 4, "DVC mức độ 4", "full"),
         ("Trực tuyến mức độ 4", "online", "Chờ trả kết quả", 9, "Mức độ 3", "partial"),
         ("Trực tiếp tại Bộ phận Một cửa", "direct", "Yêu cầu bổ sung hồ sơ", 5, "Mức độ 2", "none"),
         ("Trực tuyến toàn trình", "online", "Chờ thanh toán", 6, "Toàn trình", "full"),
         ("Cổng Dịch vụ công quốc gia", "online", "Công dân rút hồ sơ", 7, "Một phần", "partial")]


def test_vendor_words_for_channel_status_and_level(tmp_path):
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Hình thức nộp", "Trạng thái", "Mức độ DVC"]]
    for i, (channel, _, status, _, level, _) in enumerate(WORDS):
        rows.append([f"V-{i}", "UBND Quận 3", f"0{i + 1}/03/2022 08:00", "20/03/2022", channel, status, level])
    rows.append(["V-9", "UBND Quận 3", "09/03/2022 08:00", "20/03/2022", "Qua Zalo", "Đã trả kết quả", "Mức độ 4"])
    results, errors, con = _load(tmp_path, FIXTURES / "units.csv", write_xlsx(tmp_path / "ho_so.xlsx", rows))
    assert errors == []
    got = con.execute("SELECT channel, status_code, online_level FROM dossiers ORDER BY dossier_code").fetchall()
    assert got[:-1] == [(c, s, lv) for _, c, _, s, _, lv in WORDS]
    assert results[1]["unrecognized_values"] == [{"field": "channel", "value": "Qua Zalo", "count": 1, "rows": [10],
                                                 "sheet": "Sheet"}]
    # the summary names the column in Vietnamese and says what the row was counted as
    text = format_summary(results, errors)
    assert ("Giá trị không nhận ra ở cột «Hình thức nộp»: 'Qua Zalo' (1 dòng: trang «Sheet», dòng 10) — tính là nộp "
            "trực tiếp.") in text
    assert "channel" not in text


def test_unit_list_with_its_own_column_names_and_level_words(tmp_path):
    path = write_xlsx(tmp_path / "danh_muc_don_vi.xlsx", [
        ["DANH MỤC ĐƠN VỊ"], ["STT", "Mã ĐV", "Tên ĐV", "Cấp", "Trực thuộc", "Tên gọi khác"],
        [1, "HCM", "Thành phố Hồ Chí Minh", "Cấp tỉnh", None, None],
        [2, "Q1", "Quận 1", "Cấp huyện", "HCM", "UBND Quận 1"],
        [3, "Q1_BN", "Phường Bến Nghé", "Cấp xã", "Quận 1", "UBND Phường Bến Nghé"]])
    _, errors, con = _load(tmp_path, path)
    assert errors == []
    assert con.execute("SELECT unit_code, level, parent_code, aliases FROM units ORDER BY 1").fetchall() == [
        ("HCM", "province", None, []), ("Q1", "district", "HCM", ["UBND Quận 1"]),
        ("Q1_BN", "ward", "Q1", ["UBND Phường Bến Nghé"])]


def test_catalogue_time_limits_in_words(tmp_path):
    path = write_xlsx(tmp_path / "tthc.xlsx", [
        ["STT", "Mã thủ tục", "Tên thủ tục", "Mức độ DVC", "Thời hạn giải quyết"],
        [1, "1.001612", "Đăng ký khai sinh", "Trực tuyến toàn trình", "Trong ngày"],
        [2, "2.000815", "Chứng thực bản sao", "DVC cung cấp thông tin", "02 ngày làm việc"],
        [3, "1.009972", "Cấp giấy phép xây dựng", "Một phần", "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ"],
        [4, "1.000656", "Đăng ký doanh nghiệp", "4", "3"]])
    results, errors, con = _load(tmp_path, path)
    assert errors == []
    assert con.execute("SELECT procedure_code, online_level, statutory_days FROM procedures ORDER BY 1").fetchall() == [
        ("1.000656", "full", 3), ("1.001612", "full", None), ("1.009972", "partial", 15), ("2.000815", "none", 2)]
    assert results[0]["warnings"] == ["Dòng 2: thời hạn giải quyết «Trong ngày» không phải số ngày; thủ tục vẫn được "
                                      "nạp, thời hạn để trống."]


def test_targets_typed_with_other_column_names(tmp_path):
    path = write_csv(tmp_path / "chi_tieu.csv", [
        ["STT", "Tên chỉ tiêu", "Chỉ tiêu giao", "Đơn vị áp dụng", "Năm", "Căn cứ"],
        [1, "Tỷ lệ hồ sơ trực tuyến", "Tối thiểu 30%", "Quận 3", "Năm 2022", "KH 01/KH-UBND"],
        [2, "Chỉ số hài lòng SIPAS", "≥86%", "Cấp xã", "2022", "KH 01/KH-UBND"]])
    _, errors, con = _load(tmp_path, FIXTURES / "units.csv", path)
    assert errors == []
    assert con.execute("SELECT * FROM targets ORDER BY indicator").fetchall() == [
        (2022, "Q3", "online_rate", ">=", 0.3, "KH 01/KH-UBND"), (2022, "ward", "sipas", ">=", 0.86, "KH 01/KH-UBND")]


def test_sipas_question_codes_q_and_ch(tmp_path):
    codes = ["1.1", "2.1", "3.1", "4.1", "5.1"]
    path = write_csv(tmp_path / "phieu.csv", [
        ["ID phiếu", "Cơ quan", "Năm", "Q1.1", "CH2.1", "Câu hỏi 3.1", "Q4.1", "CH5.1"],
        ["P1", "Quận 3", "2022", "5", "4", "3", "2", "1"]])
    results, errors, con = _load(tmp_path, FIXTURES / "units.csv", path)
    assert errors == [] and results[1]["ignored_columns"] == []
    assert con.execute("SELECT item_code, score FROM survey_answers ORDER BY 1").fetchall() == list(
        zip(codes, [5, 4, 3, 2, 1]))


def test_a_header_repeated_under_the_data_is_skipped_not_rejected(tmp_path):
    # several exports pasted into one sheet, each with its header (the second one written without the received date)
    header = ["STT", "Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả"]
    rows = [header] + [[i, f"R-{i}", "UBND Quận 3", f"0{i}/03/2022 08:00", "20/03/2022"] for i in (1, 2)]
    rows += [header] + [[i, f"R-{i}", "UBND Quận 3", f"0{i}/03/2022 08:00", "20/03/2022"] for i in (3, 4)]
    rows += [["STT", "MÃ HỒ SƠ", "Đơn vị", None, None], [5, "R-5", "UBND Quận 3", "05/03/2022 08:00", "20/03/2022"],
             ["Tổng số: 5 hồ sơ"]]
    results, errors, con = _load(tmp_path, FIXTURES / "units.csv", write_xlsx(tmp_path / "gop.xlsx", rows))
    assert errors == []
    r = results[1]
    assert (r["rows_loaded"], r["rows_rejected"], r["rows_skipped"], r["warnings"]) == (5, 0, 3, [])
    assert con.execute("SELECT count(*) FROM dossiers").fetchall() == [(5,)]


def test_status_as_its_national_code_with_the_name(tmp_path):
    written = [("10 - Đã trả kết quả", 10), ("(4) Đang xử lý", 4), ("9. Đã xử lý xong", 9), ("8-Dừng xử lý", 8),
               ("5 - Chờ bổ sung hồ sơ gốc", 5), ("4 - Đã trả kết quả", None)]   # the name says 10: not guessed
    rows = [["Mã hồ sơ", "Tên cơ quan", "Ngày giờ tiếp nhận", "Trạng thái"]]
    rows += [[f"S-{i}", "UBND Quận 3", "01/03/2022 08:00", text] for i, (text, _) in enumerate(written)]
    results, errors, con = _load(tmp_path, FIXTURES / "units.csv", write_csv(tmp_path / "ho_so.csv", rows))
    assert errors == []
    assert con.execute("SELECT status_text, status_code FROM dossiers ORDER BY dossier_code").fetchall() == written
    assert results[1]["unrecognized_values"] == [{"field": "status", "value": "4 - Đã trả kết quả", "count": 1,
                                                 "rows": [7], "sheet": None}]


def test_files_named_xls_that_are_not_workbooks(tmp_path):
    # "Xuất Excel" of many one-stop systems: Excel's Unicode Text (tab-separated UTF-16) is read as the CSV it is, a
    # web page's tables as Excel shows them (spans included); an Excel 2003 XML sheet, a page without a table, a PDF,
    # an empty file and a password are refused saying so and the way out.
    text = "Mã hồ sơ\tĐơn vị\tNgày tiếp nhận\r\nT-1\tUBND Quận 3\t01/03/2022 08:00\r\n"
    (tmp_path / "unicode_text.xls").write_bytes(text.encode("utf-16"))
    (tmp_path / "trang_web.xls").write_text(
        '<html><head><meta charset="utf-8"></head><body><table><tr><td colspan="4">BÁO CÁO CHI TIẾT HỒ SƠ<br>Từ ngày '
        '01/03/2022 đến ngày 31/03/2022</td></tr></table>\n<table border="1">\n<tr><th rowspan="2">Số hồ sơ</th>'
        '<th rowspan="2">Đơn vị</th><th colspan="2">Ngày</th></tr>\n<tr><th>Tiếp nhận</th><th>Hẹn trả</th></tr>\n'
        '<tr><td>W-1</td><td rowspan="2">UBND&nbsp;Quận 3</td><td>02/03/2022 08:00</td><td>05/03/2022</td></tr>\n'
        '<tr><td>W-2</td><td>03/03/2022\n 09:30</td><td></td></tr>\n<tr><td>Tổng cộng</td><td>2</td></tr></table>'
        '</body></html>', encoding="utf-8")
    (tmp_path / "xml_2003.xls").write_text('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
                                           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')
    (tmp_path / "khong_bang.xls").write_text("<html><body><p>Phiên làm việc đã hết hạn</p></body></html>")
    (tmp_path / "bao_cao.xlsx").write_bytes(b"%PDF-1.7\n1 0 obj\n")
    (tmp_path / "rong.xlsx").write_bytes(b"")
    # an encrypted .xlsx is an OLE compound file whose directory names an EncryptedPackage stream
    (tmp_path / "mat_khau.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                                             + "EncryptedPackage".encode("utf-16-le") + bytes(1000))
    names = ["unicode_text.xls", "trang_web.xls", "xml_2003.xls", "khong_bang.xls", "bao_cao.xlsx", "rong.xlsx",
             "mat_khau.xlsx"]
    results, errors, con = _load(tmp_path, FIXTURES / "units.csv", *(tmp_path / n for n in names))
    assert con.execute("SELECT dossier_code, unit_code, strftime(received_at, '%d/%m %H:%M'), due_at::DATE::VARCHAR, "
                       "snapshot_date::VARCHAR FROM dossiers ORDER BY 1").fetchall() == [
        ("T-1", "Q3", "01/03 08:00", None, "2022-03-01"), ("W-1", "Q3", "02/03 08:00", "2022-03-05", "2022-03-31"),
        ("W-2", "Q3", "03/03 09:30", None, "2022-03-31")]
    assert [(r["kind"], r["rows_skipped"]) for r in results] == [("units", 0), ("dossiers", 0), ("dossiers", 1)]
    assert len(errors) == 5
    for error, words in zip(errors, ["XML của Excel 2003", "không có bảng nào", "là tệp PDF", "rỗng", "mật khẩu"]):
        assert words in error and "không nạp dòng nào" in error.lower(), error
    assert all(".xlsx" in e for e in errors[:2])   # the way out: save as .xlsx


def test_the_printed_summary_names_the_columns_not_read(tmp_path):
    # a column no field reads (a processing step; before the time of receipt was read, «Giờ tiếp nhận» was the
    # example): the person loading is told, and how to map a column
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Bước xử lý", "Ngày hẹn trả"],
            ["G-1", "UBND Quận 3", "01/03/2022", "Thẩm định", "10/03/2022"]]
    results, errors, _ = _load(tmp_path, FIXTURES / "units.csv", write_csv(tmp_path / "ho_so.csv", rows))
    assert errors == [] and results[1]["ignored_columns"] == ["Bước xử lý"]
    assert ("Cột không dùng đến (nếu là một trường cần đọc, khai báo tiêu đề trong tệp ánh xạ --mapping): "
            "Bước xử lý.") in format_summary(results, errors)
