"""An export without --as-of or a title 'đến ngày' is dated by its latest date — never one after today: a year typed
2032 for 2022 made 2032 the snapshot, and next month's export of the same dossiers was then "older" and changed
nothing (found by loader probe 7). The rows are named; a dossier kept for a newer snapshot says which dates won."""
from datetime import date, datetime, timedelta, timezone

import pytest
from openpyxl import Workbook

from etl.dossiers.snapshot import vietnam_today
from etl.summary import format_summary
from tests.files import database_with_units, load_one, query, write_csv

HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]


@pytest.fixture()
def db(tmp_path):
    return database_with_units(tmp_path)


def _may_export(typo: bool) -> list[list]:
    rows = [HEADER] + [[f"HS-{i:02d}", "Quận 3", f"{2 + i:02d}/05/2022 08:00", f"{20 + i:02d}/05/2022 17:00", None,
                        "Đang xử lý"] for i in range(4)]
    rows += [["HS-10", "Quận 3", "03/05/2022 09:00", "10/05/2022 17:00", "09/05/2022 10:00", "Đã trả kết quả"]]
    if typo:
        rows += [["HS-99", "Quận 3", "09/05/2032 10:30", "14/05/2032 17:00", None, "Đang xử lý"]]
    return rows


def _june_export() -> list[list]:
    # next month: the four open dossiers are finished (and the title says the snapshot)
    return [["Đến ngày: 30/06/2022"], HEADER] + [
        [f"HS-{i:02d}", "Quận 3", f"{2 + i:02d}/05/2022 08:00", f"{20 + i:02d}/05/2022 17:00",
         f"{10 + i:02d}/06/2022 15:00", "Đã trả kết quả"] for i in range(4)]


def test_a_date_after_today_does_not_date_the_export(db, tmp_path):
    result, errors = load_one(db, write_csv(tmp_path / "thang5.csv", _may_export(typo=True)))
    assert not errors and result["rows_loaded"] == 6
    assert result["snapshot_date"] == "2022-05-09"          # the latest date not after today (HS-10's result)
    assert any("ngày sau hôm nay" in w and "dòng 7" in w and "09/05/2022" in w for w in result["warnings"])
    assert query(db, "SELECT DISTINCT snapshot_date FROM dossiers") == [(date(2022, 5, 9),)]
    june, errors = load_one(db, write_csv(tmp_path / "thang6.csv", _june_export()))
    assert not errors and june["rows_updated"] == 4 and june["rows_older_snapshot"] == 0
    assert query(db, "SELECT count(*) FROM dossiers WHERE finished_at IS NULL") == [(1,)]   # HS-99 alone


def test_the_same_export_without_the_typo_is_dated_as_before(db, tmp_path):
    result, errors = load_one(db, write_csv(tmp_path / "thang5.csv", _may_export(typo=False)))
    assert not errors and result["snapshot_date"] == "2022-05-09"
    assert not any("ngày sau hôm nay" in w for w in result["warnings"])


def test_a_dossier_kept_for_a_newer_snapshot_says_which_dates(db, tmp_path):
    load_one(db, write_csv(tmp_path / "thang6.csv", _june_export()))
    may, errors = load_one(db, write_csv(tmp_path / "thang5.csv", _may_export(typo=False)))
    assert not errors and may["rows_older_snapshot"] == 4 and may["newer_snapshot_date"] == "2022-06-30"
    assert ("4 hồ sơ đã có bản mới hơn trong CSDL (ảnh chụp ngày 30/06/2022, tệp này ngày 09/05/2022) nên giữ bản mới."
            in format_summary([may], []))


def test_a_dossier_received_today_in_vietnam_is_not_after_today(db, tmp_path):
    # (review) today is Vietnam's, not the server's clock zone: on a UTC server a dossier received before 07:00
    # was «after today»
    today = vietnam_today()
    assert today == (datetime.now(timezone.utc) + timedelta(hours=7)).date()
    rows = [HEADER, ["HS-T", "Quận 3", f"{today:%d/%m/%Y} 00:30", f"{today + timedelta(days=5):%d/%m/%Y} 17:00", None,
                     "Đang xử lý"]]
    result, errors = load_one(db, write_csv(tmp_path / "hom_nay.csv", rows))
    assert not errors and result["snapshot_date"] == today.isoformat()
    assert not any("ngày sau hôm nay" in w for w in result["warnings"])


def test_the_older_snapshot_named_is_that_of_the_sheet_it_won_over(db, tmp_path):
    # a workbook of two sheets: May's (its dossiers already loaded from June's export) and July's (new dossiers)
    load_one(db, write_csv(tmp_path / "thang6.csv", _june_export()))
    book = Workbook()
    may = book.active
    may.title = "Tháng 5"
    for row in [["Đến ngày: 31/05/2022"], *_may_export(typo=False)]:
        may.append(row)
    july = book.create_sheet("Tháng 7")
    for row in [["Đến ngày: 31/07/2022"], HEADER, ["HS-70", "Quận 3", "01/07/2022 08:00", "10/07/2022 17:00", None,
                                                   "Đang xử lý"]]:
        july.append(row)
    book.save(tmp_path / "hai_trang.xlsx")
    result, errors = load_one(db, tmp_path / "hai_trang.xlsx")
    assert not errors and result["rows_older_snapshot"] == 4 and result["snapshot_date"] == "2022-07-31"
    assert ("4 hồ sơ đã có bản mới hơn trong CSDL (ảnh chụp ngày 30/06/2022, tệp này ngày 31/05/2022) nên giữ bản mới."
            in format_summary([result], []))
