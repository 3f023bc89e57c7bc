"""A workbook of several monthly sheets: what each sheet's load says names the sheet, so three sheets' «1 hồ sơ …»
read as three dossiers, one per sheet, not one dossier said three times."""
from tests.files import database_with_units, load_one, write_workbook

HEADER = ["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]


def _month(m: int) -> list[list]:
    # two dossiers with a due date, one without (its procedure has no time limit in the catalogue: said per sheet)
    return [HEADER,
            [f"HS{m}-1", "Quận 3", "1.000101", f"02/0{m}/2025 08:00", f"12/0{m}/2025 08:00", f"10/0{m}/2025 09:00",
             "Đã trả kết quả"],
            [f"HS{m}-2", "Quận 3", "1.000101", f"03/0{m}/2025 08:00", f"13/0{m}/2025 08:00", "", "Đang xử lý"],
            [f"HS{m}-3", "Quận 3", "1.000101", f"04/0{m}/2025 08:00", "", "", "Đang xử lý"]]


def test_each_sheets_warning_names_its_sheet(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_workbook(tmp_path / "hs.xlsx", {f"Tháng {m}": _month(m) for m in (1, 2, 3)}))
    assert errors == [] and result["rows_loaded"] == 9
    no_due = [w for w in result["warnings"] if "không có ngày hẹn trả" in w]
    # before: three identical lines «1 hồ sơ không có ngày hẹn trả: …», no sheet named
    assert [w.split(":")[0] for w in no_due] == ["Trang «Tháng 1»", "Trang «Tháng 2»", "Trang «Tháng 3»"]
    assert len(set(no_due)) == 3


def test_a_single_sheet_is_not_named(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_workbook(tmp_path / "hs.xlsx", {"Tháng 1": _month(1)}))
    assert errors == [] and result["rows_loaded"] == 3
    no_due = [w for w in result["warnings"] if "không có ngày hẹn trả" in w]
    assert len(no_due) == 1 and no_due[0].startswith("1 hồ sơ")
