"""Thirty-eighth loader probe: dossier exports of more vendors (VNPT iGate, the national portal's sync fields) and
codes Excel wrote in scientific notation. Expected values are counted by hand; each test failed before its fix."""
import pytest

from tests.files import database_with_units, load_one, march_total, query, write_csv


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


def _transfer_export(path, unit: str, as_of: str, finished: str, status: str):
    return write_csv(path, [["Đến ngày " + as_of], ["Mã hồ sơ", "Đơn vị", "Hình thức nộp", "Ngày tiếp nhận",
                                                   "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
                            ["T-0001", unit, "Trực tuyến", "05/03/2022", "12/03/2022", finished, status]])


@pytest.mark.parametrize("order", [("a", "b", "c"), ("a", "c", "b"), ("c", "b", "a")])
def test_a_transferred_dossiers_result_stands_whatever_the_load_order(tmp_path, order):
    """Probe 40: Phường 9 lists T-0001 pending (10/03), then «Đã chuyển xử lý» (12/03); Võ Thị Sáu, which took it
    over, lists it finished 09/03 (10/03). Whatever the order, it is resolved early at Võ Thị Sáu (due 12/03)."""
    db = database_with_units(tmp_path)
    files = {"a": _transfer_export(tmp_path / "a.csv", "UBND Phường 9 Quận 3", "10/03/2022", "", "Đang xử lý"),
             "b": _transfer_export(tmp_path / "b.csv", "UBND Phường Võ Thị Sáu", "10/03/2022", "09/03/2022",
                                   "Đã trả kết quả"),
             "c": _transfer_export(tmp_path / "c.csv", "UBND Phường 9 Quận 3", "12/03/2022", "", "Đã chuyển xử lý")}
    for name in order:
        assert load_one(db, files[name])[1] == []
    # before, order a-c-b: b was «older» than c, T-0001 stayed pending overdue at Phường 9
    assert query(db, "SELECT unit_code, CAST(finished_at AS DATE) FROM dossiers") == [
        ("Q3_VTS", __import__("datetime").date(2022, 3, 9))]
    total = march_total(db)
    assert (total["resolved_early"], total["pending_overdue"], total["pending_within"]) == (1, 0, 0)


def test_the_same_export_under_another_source_is_refused(tmp_path):
    """Probe 40: loaded with --source A, then again without --source, every dossier was added a second time."""
    db = database_with_units(tmp_path)
    path = _transfer_export(tmp_path / "a.csv", "UBND Phường Võ Thị Sáu", "10/03/2022", "09/03/2022", "Đã trả kết quả")
    assert load_one(db, path, source="A")[1] == []
    result, errors = load_one(db, path)
    assert result is None and "giống hệt tệp a.csv" in errors[0] and "--source A" in errors[0]
    assert "Không nạp dòng nào" in errors[0]
    assert query(db, "SELECT source, count(*) FROM dossiers GROUP BY 1") == [("A", 1)]
    assert load_one(db, path, source="A")[1] == []   # the same file with its source: unchanged, as before
    assert query(db, "SELECT count(*) FROM dossiers") == [(1,)]
