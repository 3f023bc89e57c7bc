"""Thirty-eighth loader probe: dossier exports of more vendors (VNPT iGate, the national portal's sync fields) and
codes Excel wrote in scientific notation. Expected values are counted by hand; each test failed before its fix."""
import pytest

from tests.files import database_with_units, load_one, query, write_csv


@pytest.mark.parametrize("unit_header", ["DonViXuLy", "DonViTiepNhan", "Mã cơ quan"])
def test_unit_headers_of_more_systems(tmp_path, unit_header):
    db = database_with_units(tmp_path)
    unit = "STP" if unit_header == "Mã cơ quan" else "Sở Tư pháp"   # iGate's column holds the agency's code
    rows = [["MaHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "TrangThaiHoSo", unit_header],
            ["H-1", "01/03/2022 08:00", "05/03/2022 17:00", "04/03/2022 10:00", "10", unit],
            ["H-2", "02/03/2022 08:00", "04/03/2022 17:00", "", "4", unit]]
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", rows))
    # before: refused, no unit column among the aliases
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT DISTINCT unit_code FROM dossiers") == [("STP",)]


def test_codes_excel_wrote_in_scientific_notation_are_said(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    rows = [header, ["2.40102E+11", "Sở Tư pháp", "01/03/2022", "05/03/2022", "04/03/2022", "10"],
            ["2.40102E+11", "Sở Tư pháp", "02/03/2022", "06/03/2022", "05/03/2022", "10"],
            ["240103000123", "Sở Tư pháp", "02/03/2022", "06/03/2022", "", "4"],
            ["1E5-2022", "Sở Tư pháp", "02/03/2022", "06/03/2022", "", "4"]]
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", rows))
    # loaded as written (the second a repeat of the first), as before; before, nothing said why
    assert errors == [] and result["rows_loaded"] == 3 and result["rows_rejected"] == 1
    [said] = [w for w in result["warnings"] if "số mũ" in w]
    assert said.startswith("2 mã hồ sơ ghi dạng số mũ của Excel («2.40102E+11»; dòng 2, 3)")
