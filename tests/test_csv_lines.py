"""Byte offsets and counts found in steps (etl/core/csv_lines.py) agree with Python's own search, across step
boundaries; the cells split while the lines are scanned (etl/core/csv_reader.py) are those of Python's csv module, and
are read again when the scan changes the bytes."""
import re

import csv

import numpy as np

from etl.core import csv_lines, csv_reader


def test_offsets_of_matches_a_plain_search_across_steps(monkeypatch):
    monkeypatch.setattr(csv_lines, "_STEP", 7)   # many steps, and hits on both sides of each boundary
    rng = np.random.default_rng(7)
    data = bytes(rng.choice(np.frombuffer(b'ab,"\n\r', dtype=np.uint8), 1000))
    for byte in (10, 34):
        expected = [m.start() for m in re.finditer(re.escape(bytes([byte])), data)]
        assert csv_lines.offsets_of(data, byte).tolist() == expected
    assert csv_lines.offsets_of(b"", 10).tolist() == []
    assert csv_lines.offsets_of(b"\n" * 14, 10).tolist() == list(range(14))


def test_count_of_matches_bytes_count_across_steps(monkeypatch):
    monkeypatch.setattr(csv_lines, "_STEP", 5)
    data = b"a\r\nb\rc\r\r\n" * 7
    assert csv_lines.count_of(data, 13) == data.count(b"\r")
    assert csv_lines.count_of(b"", 13) == 0


def _cells(table) -> list[list]:
    return [list(row.values()) for row in table.to_pylist()]


def test_cells_split_early_are_the_csv_module_cells(tmp_path):
    text = "Mã hồ sơ;Đơn vị;Ngày tiếp nhận\r\n" + "".join(f"H{i};Phường {i % 7};0{i % 9 + 1}/03/2024\r\n"
                                                            for i in range(3000))
    path = tmp_path / "ho_so.csv"
    path.write_bytes(text.encode())
    table, scan = csv_reader.read_csv_table(path)
    assert _cells(table) == list(csv.reader(text.splitlines(), delimiter=";"))
    assert len(scan.record_lines) == 3001


def test_lines_the_scan_changes_are_read_again_not_taken_from_the_early_cells(tmp_path):
    # line 3 opens a quote it never closes: rejected by the scan; the early read (of the unchanged file) would have
    # swallowed the lines below it, or refused the file
    lines = ["Mã hồ sơ,Đơn vị,Ghi chú", "H1,Phường 1,a", 'H2,Phường 2,"không đóng', "H3,Phường 3,c", "H4,Phường 4,d"]
    path = tmp_path / "ho_so.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table, scan = csv_reader.read_csv_table(path)
    assert [line for line, _ in scan.rejected] == [3]
    assert [row[0] for row in _cells(table)] == ["Mã hồ sơ", "H1", "H3", "H4"]
    # a cell spanning two lines: read serially, its line break kept
    path.write_text('Mã hồ sơ,Ghi chú\nH1,"hai\ndòng"\nH2,x\n', encoding="utf-8")
    table, scan = csv_reader.read_csv_table(path)
    assert _cells(table) == [["Mã hồ sơ", "Ghi chú"], ["H1", "hai\ndòng"], ["H2", "x"]]
    assert scan.multiline


def test_a_file_cut_off_in_its_last_line_is_said_and_a_whole_one_is_not(tmp_path):
    from tests.files import database_with_units, load_one
    head = "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Hình thức nộp,Trạng thái\n"
    whole = "H1,Phường 9,01/03/2023 08:00,05/03/2023 17:00,04/03/2023 09:00,Trực tiếp,Đã trả kết quả\n"
    cut = head + whole + "H2,Phường 9,02/03/2023 08:00,06/03/20"   # 4 of 7 cells, no line break after it
    db = database_with_units(tmp_path / "db")
    path = tmp_path / "cut.csv"
    path.write_text(cut, encoding="utf-8")
    result, errors = load_one(db, path)
    assert not errors
    notes = [w for w in result["warnings"] if "cắt cụt" in w]
    assert notes and "dòng 3" in notes[0] and "4 ô" in notes[0] and "7 ô" in notes[0], result["warnings"]
    # the same lines ended by a line break, a full last line without one, a one-cell footer: nothing said
    # nor (the differential check's false alarms) a last record whose cell spans lines, a footer of two cells, a
    # full last line under a line widened by an unquoted comma
    spanning = head + whole + 'H3,Phường 9,03/03/2023 08:00,07/03/2023 17:00,,"Trực\ntiếp",Đang xử lý'
    wide = (head + whole + whole.replace("H1", "H2") + whole.replace("H1", "H3").replace("Phường 9", "Phường 9, Quận 3")
            + whole.replace("H1", "H4").rstrip("\n"))
    for name, text in (("ended.csv", cut + "\n"), ("full.csv", head + whole.rstrip("\n")),
                       ("footer.csv", head + whole + "Người lập biểu"), ("spanning.csv", spanning),
                       ("footer2.csv", head + whole + "Người lập biểu,,,,,Thủ trưởng đơn vị"), ("wide.csv", wide)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result, errors = load_one(database_with_units(tmp_path / name.replace(".csv", "")), path)
        assert not errors and not [w for w in result["warnings"] if "cắt cụt" in w], (name, result["warnings"])


def test_a_file_of_only_a_byte_order_mark_is_empty(tmp_path):
    """A lone UTF-8 BOM was «dấu ngoặc kép không khớp», a lone UTF-16 one an internal error (differential check)."""
    from tests.files import database_with_units, load_one, query
    db = database_with_units(tmp_path / "db")
    for name, data in (("bom.csv", b"\xef\xbb\xbf"), ("bom_blank.csv", b"\xef\xbb\xbf \r\n\r\n"),
                       ("utf16.csv", b"\xff\xfe"), ("utf16_blank.csv", "\ufeff \n".encode("utf-16-le"))):
        (tmp_path / name).write_bytes(data)
        result, errors = load_one(db, tmp_path / name)
        assert result is None and errors == [f"Tệp {name} rỗng."], (name, errors)
    assert query(db, "SELECT count(*) FROM dossiers") == [(0,)]
