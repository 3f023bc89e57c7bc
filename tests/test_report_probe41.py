"""Probe 41: what the reports say of a unit not ranked. Figures counted by hand."""
from datetime import date

import duckdb

from indicators import Period
from indicators.report import compute_report
from tests.files import database_with_units, load_one, write_csv


def test_a_unit_with_too_few_dossiers_to_rank_is_not_said_to_have_none(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    rows = [[f"H-{i}", "UBND Phường 9 Quận 3", "01/03/2022", "10/03/2022", "05/03/2022", "10"] for i in range(3)]
    assert load_one(db, write_csv(tmp_path / "hs.csv", [header, *rows]))[1] == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        report = compute_report(con, Period(date(2022, 3, 1), date(2022, 3, 31)), unit="Q3")
    finally:
        con.close()
    said = [s for s in report["summary"] if s.startswith("Cấp huyện")]
    # Quận 3 resolved 3 dossiers (its ward's), under the 30 a rank needs; before: «không có hồ sơ giải quyết trong kỳ»
    assert len(said) == 1 and "Quận 3 có 3 hồ sơ giải quyết trong kỳ, dưới 30 hồ sơ nên không xếp hạng" in said[0]


def test_the_units_page_says_the_same():
    from pages._components.sections import _unranked_text
    ranking = {"rows": [{"code": "Q3", "rank": None, "too_small": True, "volume": 13},
                        {"code": "Q1", "rank": None, "too_small": False, "volume": 0}]}
    assert _unranked_text("Quận 3", "Q3", ranking) == ("Quận 3 có 13 hồ sơ giải quyết trong kỳ, dưới 30 hồ sơ nên "
                                                       "không được xếp hạng.")
    assert _unranked_text("Quận 1", "Q1", ranking) == "Quận 1 không có hồ sơ giải quyết trong kỳ nên không được xếp hạng."
