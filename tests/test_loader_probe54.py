"""Fifty-fourth loader probe: the wrong files a user picks from a folder. Each was told «tệp hỏng, có mật khẩu» or
«mọi trang đều trống»; each test failed on the code before its fix."""
import zipfile

import openpyxl
from openpyxl.chart import BarChart, Reference

from common.formats import size_text, vn_int
from etl.core import xlsx_parts
from tests.files import database_with_units, load_one, query, write_xlsx


def test_excels_and_libreoffices_lock_files(tmp_path):
    """«~$ho_so.xlsx» (Excel) and «.~lock.ho_so.xlsx#» (LibreOffice): kept beside a workbook while it is open."""
    db = database_with_units(tmp_path)
    excel = tmp_path / "~$ho_so.xlsx"
    excel.write_bytes(bytes([10]) + b"nguyenvana" + b" " * 154)
    result, errors = load_one(db, excel)
    assert result is None and errors[0].startswith("Tệp ~$ho_so.xlsx là tệp khóa tạm Excel tạo ra khi tệp «ho_so.xlsx» "
                                                   "đang mở")
    office = tmp_path / ".~lock.ho_so.xlsx#"
    office.write_text("nguyenvana,MAY01,nguyenvana,06.12.2026 10:00,file:///home;\n", encoding="utf-8")
    result, errors = load_one(db, office)
    assert result is None and "tệp khóa tạm LibreOffice" in errors[0] and "Hãy đóng LibreOffice" in errors[0]


def test_a_workbook_cut_short(tmp_path):
    """The first 4.000 bytes of a workbook (a download stopped): said cut short, to be fetched again."""
    db = database_with_units(tmp_path)
    whole = write_xlsx(tmp_path / "du.xlsx", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                                              *[[f"A-{i}", "Sở Tư pháp", "01/03/2023"] for i in range(300)]])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:4000])
    result, errors = load_one(db, cut)
    assert result is None and errors[0].startswith("Tệp cut.xlsx bị cắt cụt")


def test_a_workbook_holding_only_a_chart(tmp_path):
    """A chart sheet exported instead of the list: the file has no cells, yet its sheet is not empty to the eye."""
    db = database_with_units(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Đơn vị", "Số hồ sơ"], ["Phường 9", 12], ["Phường 6", 8]):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    wb.remove(ws)
    wb.save(tmp_path / "bieu_do.xlsx")
    result, errors = load_one(db, tmp_path / "bieu_do.xlsx")
    assert result is None and errors[0].startswith("Tệp bieu_do.xlsx chỉ có trang biểu đồ («Biểu đồ»), không có bảng")
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]


def test_a_pivot_table_exported_instead_of_the_list_is_named_with_its_chart(tmp_path):
    """Probe 51: a PivotTable of dossier counts per ward and its chart sheet got the generic «không nhận ra»."""
    db = database_with_units(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet2"
    for row in (["Đơn vị tiếp nhận", "(Tất cả)"], [], ["Nhãn Hàng", "Đếm của Mã hồ sơ", "Tổng của Số ngày trễ"],
                ["UBND Phường 9", 25, 3], ["UBND Phường Võ Thị Sáu", 18, 0], ["Tổng Cuối", 43, 3]):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=5), titles_from_data=True)
    wb.create_chartsheet("Biểu đồ1").add_chart(chart)
    wb.save(tmp_path / "pivot.xlsx")
    result, errors = load_one(db, tmp_path / "pivot.xlsx")
    assert result is None
    assert "Trang «Sheet2» là bảng tổng hợp (PivotTable" in errors[0], errors[0]
    assert "Trang biểu đồ «Biểu đồ1» không có bảng số liệu" in errors[0]
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]
    # the same summary saved as CSV from an English Excel
    path = tmp_path / "pivot.csv"
    path.write_text("Row Labels,Count of Dossier code\nUBND Phường 9,25\nGrand Total,25\n", encoding="utf-8")
    result, errors = load_one(db, path)
    assert result is None and "Tệp là bảng tổng hợp (PivotTable" in errors[0], errors[0]
    # named with --kind too, after the missing columns (probe 57)
    result, errors = load_one(db, tmp_path / "pivot.xlsx", kind="dossiers")
    assert result is None and "Trang «Sheet2» là bảng tổng hợp (PivotTable" in errors[0], errors[0]


def test_a_file_ending_inside_an_opened_quote_is_said_to_be_cut_off(tmp_path):
    """Probe 57: the last line, cut inside a quoted cell, was «các dòng bên dưới vẫn được đọc» with no line below."""
    db = database_with_units(tmp_path)
    path = tmp_path / "cut.csv"
    path.write_text("Mã hồ sơ,Đơn vị,Tên TTHC,Ngày tiếp nhận\nH1,Phường 9,Cấp phép,01/03/2023 08:00\n"
                    'H2,Phường 9,"Cấp giấy chứng nh', encoding="utf-8")
    result, errors = load_one(db, path)
    assert errors == [] and result["rows_loaded"] == 1
    reasons = [r["reason"] for r in result["rejects"] if r["row"] == 3]
    assert reasons and "tệp có thể đã bị cắt cụt" in reasons[0] and "bên dưới" not in reasons[0], result["rejects"]
    # the same quote left open in a middle line keeps its words: the lines below are read
    path.write_text("Mã hồ sơ,Đơn vị,Tên TTHC,Ngày tiếp nhận\nH1,Phường 9,\"Cấp phép,01/03/2023 08:00\n"
                    "H2,Phường 9,Cấp phép,02/03/2023 08:00\n", encoding="utf-8")
    result, errors = load_one(db, path)
    assert [r["reason"] for r in result["rejects"] if r["row"] == 2][0].endswith("các dòng bên dưới vẫn được đọc. "
                                                                                 "Sửa ô đó trong tệp rồi nạp lại.")


def test_a_workbook_whose_sheet_unpacks_past_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """A workbook of a few MB whose sheet unpacks to gigabytes (a copy gone wrong, or one made to exhaust the server:
    probe 55 held the upload preview for minutes) is refused before calamine unpacks it, naming the sheet and the
    sizes; the database keeps what it had. The limit is lowered so that a real workbook of a few hundred kB crosses
    it: the check reads the sizes the zip declares, whatever they are."""
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"]
    result, errors = load_one(db, write_xlsx(tmp_path / "truoc.xlsx", [header, ["B-1", "Sở Tư pháp", "01/03/2023"]]))
    assert errors == [] and result["rows_loaded"] == 1
    before = query(db, "SELECT * FROM dossiers ORDER BY ALL")
    big = write_xlsx(tmp_path / "lon.xlsx", [header, *[[f"A-{i}", "Sở Tư pháp", "01/03/2023"] for i in range(3000)]],
                     sheet="HS")
    with zipfile.ZipFile(big) as book:
        sheet_bytes = book.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_bytes > 100_000
    monkeypatch.setattr(xlsx_parts, "MAX_UNPACKED_PART_BYTES", 50_000)
    result, errors = load_one(db, big)
    shown = f"{sheet_bytes:,}".replace(",", ".")   # Vietnamese thousands
    assert result is None and errors == [
        f"Tệp lon.xlsx: trang «HS» giải nén ra {shown} byte dữ liệu, vượt giới hạn 50.000 byte của một trang "
        "(một trang Excel đầy đủ 1.048.576 dòng của tệp xuất 12 cột chỉ khoảng 600 MB): tệp có thể bị hỏng hoặc không "
        "phải tệp xuất của hệ thống. Không nạp dòng nào. Nếu đúng là dữ liệu thật, hãy xuất lại dạng CSV hoặc tách "
        "thành nhiều tệp nhỏ hơn."]
    assert query(db, "SELECT * FROM dossiers ORDER BY ALL") == before
    # at the limit, or with the default one, the same workbook loads
    monkeypatch.setattr(xlsx_parts, "MAX_UNPACKED_PART_BYTES", sheet_bytes)
    result, errors = load_one(db, big)
    assert errors == [] and result["rows_loaded"] == 3000


def test_shared_strings_past_the_limit_are_named_so(tmp_path, monkeypatch):
    """The texts of every sheet stand in one part (xl/sharedStrings.xml, as Excel writes it), unpacked whole too: a
    workbook whose texts pass the limit is refused saying so, not naming a sheet. openpyxl writes no such part, so
    one is added to its workbook (declared sizes are all the check reads)."""
    db = database_with_units(tmp_path)
    plain = write_xlsx(tmp_path / "plain.xlsx", [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],
                                                 ["A-1", "Sở Tư pháp", "01/03/2023"]])
    book = tmp_path / "chu_dai.xlsx"
    texts = "".join(f"<si><t>ghi chú {i} {'x' * 500}</t></si>" for i in range(200))
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                        f'openxmlformats.org/spreadsheetml/2006/main" count="200" uniqueCount="200">{texts}</sst>')
    monkeypatch.setattr(xlsx_parts, "MAX_UNPACKED_PART_BYTES", 50_000)
    result, errors = load_one(db, book)
    assert result is None and errors[0].startswith("Tệp chu_dai.xlsx: bảng chữ dùng chung của các trang giải nén ra ")
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]


def test_a_sheet_packed_hundreds_of_times_is_refused_and_an_export_is_not(tmp_path, monkeypatch):
    """A sheet of one row repeated (what a file built to unpack to gigabytes from a few MB holds) compresses hundreds
    of times; an export, whose codes and dates differ on every line, 4–15 times. Past SUSPICIOUS_PART_BYTES (lowered
    here so that files of a few hundred kB cross it) the first is refused with both sizes, the second loads."""
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"]
    export = write_xlsx(tmp_path / "xuat.xlsx", [header, *[[f"A-{i}", "Sở Tư pháp", f"{1 + i % 28:02d}/03/2023"]
                                                           for i in range(6000)]])
    plain = write_xlsx(tmp_path / "plain.xlsx", [header])
    row = ('<row><c t="inlineStr"><is><t>A-1</t></is></c><c t="inlineStr"><is><t>Sở Tư pháp</t></is></c>'
           '<c t="inlineStr"><is><t>01/03/2023</t></is></c></row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{row * 20000}</sheetData></worksheet>')
    repeated = tmp_path / "lap.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(repeated, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    ratios = {}
    for book in (export, repeated):
        with zipfile.ZipFile(book) as package:
            info = package.getinfo("xl/worksheets/sheet1.xml")
            ratios[book.name] = (info.file_size, info.compress_size, info.file_size / info.compress_size)
    assert ratios["xuat.xlsx"][2] < 20 and ratios["lap.xlsx"][2] > 100
    monkeypatch.setattr(xlsx_parts, "SUSPICIOUS_PART_BYTES", 100_000)
    assert min(ratios["xuat.xlsx"][0], ratios["lap.xlsx"][0]) > 100_000
    result, errors = load_one(db, repeated)
    size, packed, _ = ratios["lap.xlsx"]
    assert result is None and errors[0].startswith(
        f"Tệp lap.xlsx: trang «Sheet» giải nén ra {size_text(size)} dữ liệu, từ {size_text(packed)} trong tệp, gấp "
        f"{vn_int(size // packed)} lần (tệp xuất thật chỉ gấp 4–15 lần): tệp có thể bị hỏng")
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]
    result, errors = load_one(db, export)
    assert errors == [] and result["rows_loaded"] == 6000
