"""A dossier whose export names its procedure without the code counts under the catalogue's code, sector and online
level when the catalogue gives that name one code (the national portal's «Tên thủ tục» alone). Counted by hand."""
from datetime import date

import duckdb
import pytest

from indicators import Period, compute_period_table
from tests.files import database_with_units, load_one

_CATALOGUE = ("code,name,field,online_level,statutory_days,has_fee\n"
              "1.001022,Đăng ký kết hôn,Hộ tịch,full,5,0\n"
              # one name at two levels: two codes, one sector, two online levels
              "2.000815,Chứng thực bản sao từ bản chính,Chứng thực,partial,1,1\n"
              "2.000908,Chứng thực bản sao từ bản chính,Chứng thực,none,1,1\n")
# No sector, no code: two marriages (one typed in lower case with a double space), one certified copy, and one
# procedure the catalogue does not hold.
_DOSSIERS = ("Mã hồ sơ,Đơn vị,Tên thủ tục,Kênh nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n"
             "K-1,Sở Tư pháp,Đăng ký kết hôn,Trực tuyến,01/03/2022,08/03/2022,03/03/2022,Đã xử lý xong\n"
             "K-2,Sở Tư pháp,đăng ký  kết hôn,Trực tiếp,02/03/2022,09/03/2022,,Đang xử lý\n"
             "C-1,Sở Tư pháp,Chứng thực bản sao từ bản chính,Trực tuyến,02/03/2022,03/03/2022,03/03/2022,Đã xử lý xong\n"
             "X-1,Sở Tư pháp,Thủ tục không có trong danh mục,Trực tiếp,02/03/2022,04/03/2022,,Đang xử lý\n")
_MARCH = Period(date(2022, 3, 1), date(2022, 3, 31))


def _database(folder, catalogue_first: bool):
    folder.mkdir()
    db = database_with_units(folder)
    (folder / "tthc.csv").write_text(_CATALOGUE, encoding="utf-8")
    (folder / "hs.csv").write_text(_DOSSIERS, encoding="utf-8")
    for name in (("tthc.csv", "hs.csv") if catalogue_first else ("hs.csv", "tthc.csv")):
        assert load_one(db, folder / name)[1] == []
    return db


@pytest.fixture(scope="module", params=[True, False], ids=["catalogue-first", "dossiers-first"])
def database(request, tmp_path_factory):
    return _database(tmp_path_factory.mktemp("by_name") / "db", request.param)


def _rows(db, by: str, route: str) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r["key"]: r for r in compute_period_table(con, _MARCH, by=by, route=route)["rows"]}
    finally:
        con.close()


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_a_named_procedure_counts_under_the_catalogues_sector(database, route):
    rows = _rows(database, "field", route)
    # before: the four dossiers in one «(Chưa xác định lĩnh vực)» row
    assert {k: (r["received_new"], r["received_online"]) for k, r in rows.items()} == {
        "Hộ tịch": (2, 1), "Chứng thực": (1, 1), None: (1, 0)}


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_a_named_procedure_counts_under_its_code_and_online_level(database, route):
    rows = _rows(database, "procedure", route)
    # both spellings of the marriage under its code; the copy under its name (two codes share it)
    assert {k: r["received_new"] for k, r in rows.items()} == {
        "1.001022": 2, "Chứng thực bản sao từ bản chính": 1, "Thủ tục không có trong danh mục": 1}
    # online among the dossiers of online procedures: the marriage is «Toàn trình» (1 of its 2 online); the copy's
    # two levels disagree, so it is no online procedure's dossier
    assert rows["1.001022"]["online_rate_eligible"] == pytest.approx(0.5)
    assert rows["Chứng thực bản sao từ bản chính"]["online_rate_eligible"] is None
