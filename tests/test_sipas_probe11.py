"""SIPAS figures against hand counts (probe 11): who is ranked with whom, published results beside questionnaires,
expectation marks. Each expected figure is worked out by hand in the comments."""
from datetime import date

import duckdb

from indicators.periods import Period
from indicators.sipas import compute_sipas
from tests.files import load_one, write_csv

YEAR = Period(date(2022, 1, 1), date(2022, 12, 31))
UNITS = [["code", "name", "level", "parent_code"], ["CITY", "Thành phố Thử", "province", ""],
         ["Q1", "Quận Một", "district", "CITY"], ["Q2", "Quận Hai", "district", "CITY"],
         ["SXD", "Sở Xây dựng", "department", "CITY"], ["P1", "Phường Một", "ward", "Q1"]]


def _questionnaires(unit: str, n: int, answer: int, start: int = 0) -> list[list]:
    return [[f"{unit}-{i}", unit, "2022", *[answer] * 5] for i in range(start, start + n)]


def _db(tmp_path, *files) -> str:
    db = tmp_path / "t.duckdb"
    for name, rows in (("units.csv", UNITS), *files):
        _, errors = load_one(db, write_csv(tmp_path / name, rows))
        assert errors == [], errors
    return db


def _sipas(db, by: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return compute_sipas(con, YEAR, by=by)


HEADER = ["Mã phiếu", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL4", "HL5"]


def test_a_unit_is_ranked_with_its_level_and_the_rest_of_a_grouping_is_not_ranked(tmp_path):
    # 30 questionnaires each (the minimum to rank): Q1 all 3 (SIPAS 0), SXD all 5 (1), P1 all 4 (1), Q2 all 5 (1)
    rows = [HEADER, *_questionnaires("Q1", 30, 3), *_questionnaires("SXD", 30, 5), *_questionnaires("P1", 30, 4),
            *_questionnaires("Q2", 30, 5)]
    db = _db(tmp_path, ("phieu.csv", rows))
    by_district = {r["key"]: r["rank"] for r in _sipas(db, "district")["rows"]}
    # before: «(Không thuộc cấp huyện)» (SXD) ranked 1, pushing the districts to 2 and 3
    assert by_district == {"Q2": 1, "Q1": 2, None: None}
    by_unit = {r["key"]: r["rank"] for r in _sipas(db, "unit")["rows"]}
    # before: one ranking of every level: SXD 1, Q2 1, P1 1, Q1 4
    assert by_unit == {"Q2": 1, "Q1": 2, "SXD": 1, "P1": 1}


PUBLISHED = ["Đơn vị", "Năm", "Yếu tố", "Tỷ lệ hài lòng (%)", "Số phiếu hợp lệ"]


def test_published_results_for_a_name_with_questionnaires_are_not_added_even_when_no_unit_has_the_name(tmp_path):
    # «Quận Bảy» is in no unit list: 2 questionnaires all 5 (SIPAS 1), and published results for it, 50 % of 100
    db = _db(tmp_path, ("phieu.csv", [HEADER, *_questionnaires("Quận Bảy", 2, 5)]),
             ("ket_qua.csv", [PUBLISHED, *[["Quận Bảy", "2022", e, "50", "100"] for e in range(1, 6)]]))
    result = _sipas(db, "unit")
    # before: (2·1 + 100·0,5) / 102 = 0,5098 over 102 questionnaires
    assert (result["total"]["questionnaires"], result["total"]["sipas"]) == (2, 1.0)


def test_an_expectation_mark_no_word_reads_is_not_chosen_and_the_respondent_still_counts(tmp_path):
    header = [*HEADER, "MD1", "MD2"]
    marks = [("x", ""), ("x", ""), ("x", ""), ("√", ""), ("?", "x"), ("", "")]   # «√» a tick; «?» no mark
    rows = [header, *[[f"E{i}", "Quận Một", "2022", 5, 5, 5, 5, 5, md1, md2] for i, (md1, md2) in enumerate(marks)]]
    db = _db(tmp_path, ("phieu.csv", rows))
    md = _sipas(db, "unit")["total"]["expectations"]
    # MD1: x ×3 and √ chosen (4) of 6 respondents; before: √ unread and «?» both left out of the denominator (3 of 3)
    assert (md["MD1"]["chosen"], md["MD1"]["valid"]) == (4, 6)
    assert (md["MD2"]["chosen"], md["MD2"]["valid"]) == (1, 6)


def test_a_published_result_sent_again_in_another_file_replaces_the_first(tmp_path):
    first = [PUBLISHED, *[["Quận Hai", "2022", e, "80", "120"] for e in range(1, 6)]]
    again = [PUBLISHED, *[["Quận Hai", "2022", e, "95" if e == 1 else "80", "120"] for e in range(1, 6)]]
    db = _db(tmp_path, ("ket_qua.csv", first))
    result, errors = load_one(db, write_csv(tmp_path / "ket_qua_sua.csv", again))
    assert errors == [] and any("được thay bằng kết quả của tệp này" in w for w in result["warnings"])
    q2 = {r["key"]: r for r in _sipas(db, "unit")["rows"]}["Q2"]
    # (0,95 + 4 · 0,8) / 5 = 0,83 over 120 questionnaires; before: both files added, 240 and 0,815
    assert q2["questionnaires"] == 120 and abs(q2["sipas"] - 0.83) < 1e-9
