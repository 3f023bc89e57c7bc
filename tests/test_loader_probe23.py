"""Twenty-third loader probe: how files themselves come — a CSV keeping leading zeros as Excel does («="000123"»), a
dossier code wrapped onto two lines of its cell, an .ods or a .zip. Expected values are read off the rows written here."""
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Lệ phí"]


def test_excel_text_cells_of_a_csv_are_their_text(tmp_path):
    """«="000123"» (Excel's text that must stay text) in the code and the fee: every line was rejected for its fee,
    and a code kept its wrapper, so the next export writing it plainly made a second dossier."""
    db = database_with_units(tmp_path)
    first = tmp_path / "thang3.csv"
    first.write_text("\ufeff" + ",".join(HEADER) + "\n"
                     '="000123",Quận 3,03/03/2022,15/03/2022,,"=""002000"""\n'
                     '"=""H29-0002""",Quận 3,04/03/2022,15/03/2022,,="0"\n'
                     'H29-0003,Quận 3,05/03/2022,15/03/2022,,"=""a""""b"""\n', encoding="utf-8")
    result, errors = load_one(db, first)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 1)
    # the third fee, ="a""b", is the text a"b: not a number, said as such (not as the wrapper)
    assert [r["reason"] for r in result["rejects"]] == ["Số không hợp lệ ở cột «Phí, lệ phí»: «a\"b»."]
    assert query(db, "SELECT dossier_code, fee_amount FROM dossiers ORDER BY 1") == [("000123", 2000.0),
                                                                                   ("H29-0002", 0.0)]
    later = write_csv(tmp_path / "thang4.csv", [["Đến ngày 30/04/2022"], HEADER,
                                                ["000123", "Quận 3", "03/03/2022", "15/03/2022", "10/03/2022", "2000"],
                                                ["H29-0002", "Quận 3", "04/03/2022", "15/03/2022", "16/03/2022", "0"]])
    result, errors = load_one(db, later)
    assert errors == [] and (result["rows_loaded"], result["rows_updated"]) == (0, 2)
    assert query(db, "SELECT count(*) FROM dossiers") == [(2,)]


def test_a_code_wrapped_onto_two_lines_of_its_cell_is_one_code(tmp_path):
    db = database_with_units(tmp_path)
    wrapped = write_xlsx(tmp_path / "thang3.xlsx", [["Đến ngày 31/03/2022"], HEADER[:5],
                                                    ["H29.01-\n220310-0004", "Quận 3", "10/03/2022", "20/03/2022", None]])
    plain = write_xlsx(tmp_path / "thang4.xlsx", [["Đến ngày 30/04/2022"], HEADER[:5],
                                                  ["H29.01-220310-0004", "Quận 3", "10/03/2022", "20/03/2022",
                                                   "18/03/2022"]])
    assert load_one(db, wrapped)[1] == []
    result, errors = load_one(db, plain)
    assert errors == [] and (result["rows_loaded"], result["rows_updated"]) == (0, 1)
    assert query(db, "SELECT dossier_code FROM dossiers") == [("H29.01-220310-0004",)]


def test_a_format_not_read_is_told_with_the_way_out(tmp_path):
    db = database_with_units(tmp_path)
    for name, way_out in (("so.ods", "lưu lại dạng Excel (.xlsx) hoặc CSV"), ("thang3.zip", "giải nén rồi nạp")):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not read")
        _, errors = load_one(db, tmp_path / name)
        assert len(errors) == 1 and way_out in errors[0] and ".xlsm" in errors[0] and "không nạp dòng nào" in errors[0]
