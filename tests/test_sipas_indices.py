"""SIPAS indices on the hand-made fixture questionnaires: golden values counted by hand, Wilson intervals worked out.

Fixtures (tests/fixtures/surveys/make_surveys.py spells out every answer):
  01 xlsx  Sở Tư pháp (STP) 2022, 9 questionnaires, word answers; the form asks HL1, HL2 and HL but no HL3–HL5;
           plus P10 for an unknown unit ("Phòng Tiếp dân Quận 13", all answers 'Hài lòng').
  02 csv   Quận 3 (Q3) 2022, 40 questionnaires, HL1–HL5 asked.
  03 csv   Quận 3 2021, 35 questionnaires (last year).
  06 csv   published results: Sở KH&ĐT (SKHDT) 2022, 200 respondents per element; a Quận 3 row that must be ignored.
  targets  2022, all units: sipas >= 86 %.

Wilson 95 % interval, z = 1.959964, z² = 3.841459:
  centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
"""
import json
import subprocess
import sys

import duckdb
import openpyxl
import pytest

from indicators.periods import Period
from indicators.sipas import compute_sipas, sipas_catalogue, sipas_change, survey_years, weakest_criteria
from indicators.wilson import wilson_interval
from tests.builders import SIPAS_FILES, imported_db
from tests.conftest import FIXTURES, ROOT

SURVEYS = FIXTURES / "surveys"
Y2022 = Period.year(2022)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return imported_db(tmp_path_factory.mktemp("sipas") / "cchc.duckdb", SIPAS_FILES)


@pytest.fixture(scope="module")
def con(db):
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def by_unit(con):
    result = compute_sipas(con, Y2022, by="unit")
    return {r["key"]: r for r in result["rows"]}, result["total"]


def close(a, b, tol=1e-6):
    return a is not None and abs(a - b) <= tol


def close_ci(ci, lo, hi):
    return ci is not None and close(ci[0], lo) and close(ci[1], hi)


# ---------------------------------------------------------------------------------------------------------
def test_wilson_interval_by_hand():
    # 7 of 9: p = 0,777778; z²/n = 0,426829; 1 + z²/n = 1,426829
    # centre = (0,777778 + 0,213415) / 1,426829 = 0,694682
    # half = 1,959964 / 1,426829 · √(0,172840/9 + 3,841459/324) = 1,373650 · 0,176241 = 0,242093
    # → [0,452589 ; 0,936775]
    assert close_ci(wilson_interval(7, 9), 0.452589, 0.936775)
    # 0 of 10: centre = 0,192073 / 1,384146 = 0,138766 = half → [0 ; 0,277533] (never below 0, never empty)
    assert close_ci(wilson_interval(0, 10), 0.0, 0.277533)
    # 9 of 9: centre = 1,213415 / 1,426829 = 0,850427, half = 0,149573 → [0,700855 ; 1]
    assert close_ci(wilson_interval(9, 9), 0.700855, 1.0)
    assert wilson_interval(0, 0) is None


def test_criterion_indices_of_a_small_unit(by_unit):
    stp = by_unit[0]["STP"]["criteria"]
    # 'Câu 1.1 - Nơi ngồi chờ…': Rất hài lòng, Hài lòng, 'hai long', '4.0', Bình thường, Rất hài lòng,
    # Không hài lòng, '5', Hài lòng → 5,4,4,4,3,5,2,5,4: 7 favourable of 9 valid → 0,777778; Wilson [0,452589 ; 0,936775]
    assert stp["1.1"]["valid"] == 9 and stp["1.1"]["favourable"] == 7
    assert close(stp["1.1"]["index"], 0.777778) and close_ci(stp["1.1"]["ci95"], 0.452589, 0.936775)
    assert stp["1.1"]["name"] == "Nơi ngồi chờ có đủ chỗ ngồi"
    # 'C1.2': Đồng ý, Đồng ý, Không đồng ý, Rất đồng ý, (blank), Không trả lời, Đồng ý, 'dong y', Đồng ý
    # → blank and "Không trả lời" are no answer: 7 valid, 6 favourable → 0,857143; Wilson [0,486872 ; 0,974320]
    assert (stp["1.2"]["valid"], stp["1.2"]["favourable"]) == (7, 6)
    assert close(stp["1.2"]["index"], 0.857143) and close_ci(stp["1.2"]["ci95"], 0.486872, 0.974320)
    # 'TC2.3': 4,4,7,5,3,4,4,2,5 → '7' is out of range: invalid, not counted: 6 of 8 → 0,75; Wilson [0,409275 ; 0,928521]
    assert (stp["2.3"]["valid"], stp["2.3"]["favourable"], stp["2.3"]["invalid"]) == (8, 6, 1)
    assert close(stp["2.3"]["index"], 0.75) and close_ci(stp["2.3"]["ci95"], 0.409275, 0.928521)
    # 'TC 2.4:': 5,5,5,4,4,4,3,3, Không trả lời → 6 of 8 → 0,75
    assert (stp["2.4"]["valid"], stp["2.4"]["favourable"]) == (8, 6)
    # '3.1': nine 'Rất hài lòng' → 9 of 9; 'Câu 3.2': six 'Hài lòng', three 'Không hài lòng' → 6 of 9
    assert (stp["3.1"]["favourable"], stp["3.2"]["favourable"]) == (9, 6)
    # 'Tiêu chí 4.1': eight 4, one 1 → 8 of 9; '5.1': 5,5,5,2,2,–,–,4,4 → 5 of 7
    assert (stp["4.1"]["valid"], stp["4.1"]["favourable"]) == (9, 8)
    assert (stp["5.1"]["valid"], stp["5.1"]["favourable"]) == (7, 5)


def test_element_indices_satisfaction_question_or_mean_of_criteria(by_unit):
    el = by_unit[0]["STP"]["elements"]
    # 1: 'Hài lòng yếu tố 1' asked: six Hài lòng, two Bình thường, one Rất hài lòng → 7 of 9 = 0,777778
    assert el["1"]["source"] == "satisfaction" and el["1"]["valid"] == 9 and close(el["1"]["index"], 7 / 9)
    assert close_ci(el["1"]["ci95"], 0.452589, 0.936775)
    # 2: 'HL2': 4,4,4,4,4,2,2,2,(blank) → 5 of 8 = 0,625; Wilson [0,305742 ; 0,863156]
    assert el["2"]["valid"] == 8 and close(el["2"]["index"], 0.625) and close_ci(el["2"]["ci95"], 0.305742, 0.863156)
    # 3: no 'HL3' on this form → mean of its criteria: (9/9 + 6/9) / 2 = 0,833333, over 9 questionnaires
    assert el["3"]["source"] == "criteria" and el["3"]["valid"] == 9 and close(el["3"]["index"], 0.833333)
    # 4: only criterion 4.1 → 8/9 = 0,888889; 5: only 5.1 → 5/7 = 0,714286 over the 7 who answered it
    assert close(el["4"]["index"], 0.888889) and el["4"]["valid"] == 9
    assert close(el["5"]["index"], 0.714286) and el["5"]["valid"] == 7


def test_sipas_of_a_small_unit_is_shown_but_never_ranked(by_unit):
    stp = by_unit[0]["STP"]
    # SIPAS = (7/9 + 5/8 + 5/6 + 8/9 + 5/7) / 5 = (392 + 315 + 420 + 448 + 360) / 504 / 5 = 387/504 = 0,767857
    assert close(stp["sipas"], 387 / 504)
    # 9 valid questionnaires (< 30): too small. Wilson on p = 0,767857, n = 9: centre 0,687729, half 0,244426
    # → [0,443303 ; 0,932155]
    assert stp["questionnaires"] == 9 and stp["sipas_valid"] == 9
    assert stp["too_small"] is True and stp["rank"] is None
    assert close_ci(stp["sipas_ci95"], 0.443303, 0.932155)
    # overall 'Hài lòng chung': Rất hài lòng, 5× Hài lòng, Không hài lòng, Bình thường, Hài lòng → 7 of 9
    assert close(stp["overall"]["index"], 7 / 9)
    # the one out-of-range answer is reported with the unit
    assert stp["invalid_answers"] == 1


def test_unit_with_enough_answers_target_and_last_year(by_unit):
    q3 = by_unit[0]["Q3"]
    el = q3["elements"]
    # HL1: 4 except every 5th (3) → 32/40 = 0,8; Wilson [0,652427 ; 0,895]
    assert close(el["1"]["index"], 0.8) and close_ci(el["1"]["ci95"], 0.652427, 0.895000)
    # HL2: 4 except every 10th (1) → 36/40 = 0,9
    assert close(el["2"]["index"], 0.9)
    # HL3: "Không trả lời" for 1–4; then 5 except multiples of 3 (6, 9, …, 39: 12 of them) → 24/36 = 0,666667
    assert el["3"]["valid"] == 36 and close(el["3"]["index"], 24 / 36)
    # HL4: all 4 → 40/40; HL5: 5 for odd, 1 for even → 20/40
    assert close(el["4"]["index"], 1.0) and close(el["5"]["index"], 0.5)
    # SIPAS = (0,8 + 0,9 + 0,666667 + 1 + 0,5) / 5 = 0,773333; n = 40: centre 0,749383, half 0,126225
    assert close(q3["sipas"], 0.773333) and close_ci(q3["sipas_ci95"], 0.623159, 0.875608)
    # ranked with the districts only (SKHDT, 0,87, is a department: ranked with the departments)
    assert q3["too_small"] is False and q3["rank"] == 1 and by_unit[0]["SKHDT"]["rank"] == 1
    # target 2022 'all': ≥ 86 % → not met, gap (0,773333 − 0,86) · 100 = −8,666667 points
    assert q3["target"] == pytest.approx(0.86) and q3["comparator"] == ">=" and q3["is_met"] is False
    assert close(q3["gap_points"], -8.666667)
    # 2021 (file 03, 35 questionnaires): (28 + 30 + 28 + 35 + 18) / 35 / 5 = 139/175 = 0,794286
    # change = (0,773333 − 0,794286) · 100 = −2,095238 points
    assert close(q3["last_year_sipas"], 139 / 175) and close(q3["change_points"], -2.095238)
    # TC2.3: 'Không trả lời' for multiples of 8 (5), 2 for 7, 14, 21, 28, 35 (5), else 4 → 30 of 35
    assert (q3["criteria"]["2.3"]["valid"], q3["criteria"]["2.3"]["favourable"]) == (35, 30)
    # TC5.1 written '4.0' → a valid 4: 40 of 40
    assert q3["criteria"]["5.1"]["favourable"] == 40


def test_expectations_share_of_respondents(by_unit):
    stp = by_unit[0]["STP"]["expectations"]
    # MD1: x, –, x, –, x, –, –, 1, – → 4 of 9; MD3: –, x, –, –, –, –, x, –, – → 2 of 9
    assert (stp["MD1"]["chosen"], stp["MD1"]["valid"]) == (4, 9) and close(stp["MD1"]["share"], 4 / 9)
    assert (stp["MD3"]["chosen"], stp["MD3"]["valid"]) == (2, 9)
    assert stp["MD1"]["name"].startswith("Mở rộng")
    q3 = by_unit[0]["Q3"]["expectations"]
    # MD1 '1' when i % 4 == 1 (1, 5, …, 37) → 10 of 40; MD2 'x' for i ≤ 8, '0' after → 8 of 40
    assert (q3["MD1"]["chosen"], q3["MD2"]["chosen"], q3["MD2"]["valid"]) == (10, 8, 40)
    # Wilson on 10 of 40: p = 0,25 → checks the interval is carried here too
    assert q3["MD1"]["ci95"] == wilson_interval(10, 40)


def test_published_results_count_only_without_questionnaires(by_unit):
    rows = by_unit[0]
    # SKHDT published: 90 %, 85, '88,0', 92, '0.80' → SIPAS (0,9 + 0,85 + 0,88 + 0,92 + 0,8) / 5 = 0,87 ≥ 0,86
    assert close(rows["SKHDT"]["sipas"], 0.87) and rows["SKHDT"]["is_met"] is True
    assert rows["SKHDT"]["questionnaires"] == 200 and rows["SKHDT"]["rank"] == 1
    assert close(rows["SKHDT"]["gap_points"], 1.0)
    # the published Quận 3 row (element 1 = 50 %) is ignored: Quận 3 has its own questionnaires for 2022
    assert close(rows["Q3"]["elements"]["1"]["index"], 0.8)


def test_total_is_reaggregated_from_answers(by_unit):
    rows, total = by_unit
    # The unknown unit (P10, every answer 'Hài lòng') is a group of its own, and counts in the total.
    assert rows[None]["name"] == "(Chưa xác định đơn vị)" and rows[None]["questionnaires"] == 1
    assert total["questionnaires"] == 9 + 1 + 40 + 200
    el = total["elements"]
    # 1: HL1 7/9 (STP) + 1/1 (P10) + 32/40 (Q3) + 0,9·200 (SKHDT) → 220/250 = 0,88
    assert close(el["1"]["index"], 0.88) and el["1"]["valid"] == 250
    # 2: 5/8 + 1/1 + 36/40 + 170/200 → 212/249 = 0,851406
    assert close(el["2"]["index"], 212 / 249)
    # 3: asked on Q3 (24/36) and published for SKHDT (176/200): 200 of 236; not asked on the STP form (STP + P10):
    #    criteria 3.1 = (9 + 1)/(9 + 1) = 1, 3.2 = (6 + 1)/(9 + 1) = 0,7 → mean 0,85 over 10 questionnaires
    #    → (200 + 0,85·10) / (236 + 10) = 208,5/246 = 0,847561
    assert el["3"]["source"] == "mixed" and el["3"]["valid"] == 246 and close(el["3"]["index"], 208.5 / 246)
    # 4: (40 + 184 + 0,9·10) / (40 + 200 + 10) = 233/250 = 0,932 (4.1 on STP+P10: 9/10)
    assert close(el["4"]["index"], 0.932)
    # 5: (20 + 160 + 0,75·8) / (40 + 200 + 8) = 186/248 = 0,75 (5.1 on STP+P10: 6 of 8 answered)
    assert close(el["5"]["index"], 0.75) and el["5"]["valid"] == 248
    # SIPAS = (0,88 + 0,851406 + 0,847561 + 0,932 + 0,75) / 5 = 0,852193; n = 250 → [0,802879 ; 0,890848]
    assert close(total["sipas"], 0.852193) and close_ci(total["sipas_ci95"], 0.802879, 0.890848)
    # pooled, not the average of the groups' indices: element 1 averaged over the groups would be
    # (0,777778 + 1 + 0,8 + 0,9) / 4 = 0,869444, not 0,88
    average = sum(r["elements"]["1"]["index"] for r in rows.values()) / len(rows)
    assert close(average, 0.869444) and not close(el["1"]["index"], average, 0.005)
    # criterion 1.1 over everyone: 7/9 + 1/1 + 30/40 = 38/50 = 0,76 (SKHDT has no criteria)
    assert close(total["criteria"]["1.1"]["index"], 0.76) and total["criteria"]["1.1"]["valid"] == 50
    # target: 0,852193 < 0,86 → not met, −0,780668 points; last year (Q3 only) 0,794286
    assert total["is_met"] is False and close(total["gap_points"], -0.780668)
    assert close(total["last_year_sipas"], 139 / 175)


def test_groupings_and_unit_scope(con):
    by_level = {r["key"]: r for r in compute_sipas(con, Y2022, by="level")["rows"]}
    assert set(by_level) == {"department", "district", None}
    assert by_level["department"]["name"] == "Sở, ban, ngành"
    # departments: element 1 = 7/9 (STP) + 180/200 (SKHDT) = 187/209 = 0,894737, pooled
    assert close(by_level["department"]["elements"]["1"]["index"], 187 / 209)
    by_district = {r["key"]: r for r in compute_sipas(con, Y2022, by="district")["rows"]}
    assert set(by_district) == {"Q3", None} and close(by_district["Q3"]["sipas"], 0.773333)
    # scope: Quận 3 and its subtree only; the total is then Quận 3's
    scoped = compute_sipas(con, Y2022, by="unit", unit="Quận 3")
    assert [r["key"] for r in scoped["rows"]] == ["Q3"] and scoped["unit"] == "Q3"
    assert close(scoped["total"]["sipas"], 0.773333)


def test_period_without_surveys(con):
    result = compute_sipas(con, Period.year(2020))
    assert result["has_data"] is False and result["rows"] == []
    assert result["total"]["sipas"] is None and result["total"]["questionnaires"] == 0
    # a year-only questionnaire belongs to any period touching its year; dated ones to their dates
    first_half = compute_sipas(con, Period.half(2022, 1))
    assert {r["key"] for r in first_half["rows"]} == {"Q3", "SKHDT"}   # STP was surveyed in October


def test_change_since_last_year_and_weakest_criteria(con):
    change = {r["key"]: r for r in sipas_change(con, Y2022)["rows"]}
    assert close(change["Q3"]["change_points"], -2.095238)
    # HL5: 20/40 in 2022, 18/35 in 2021 → (0,5 − 0,514286) · 100 = −1,428571 points
    assert close(change["Q3"]["elements"]["5"]["change_points"], -1.428571)
    assert change["STP"]["last_year_sipas"] is None
    weakest = weakest_criteria(con, Y2022, limit=3)
    # 1.2: 6/7 (STP) + 1/1 (P10) + 0/40 (Q3, all '3') → 7/48 = 0,145833; then 1.1: 38/50 = 0,76
    assert [w["code"] for w in weakest[:2]] == ["1.2", "1.1"]
    assert close(weakest[0]["index"], 7 / 48) and weakest[0]["element_name"].startswith("Tiếp cận")
    # 1.1 was 35/35 in 2021 (Quận 3): −24 points
    assert close(weakest[1]["change_points"], -24.0)


def test_catalogue_and_years(con):
    cat = sipas_catalogue(con, 2022)
    assert cat["method"] == "2017" and len(cat["elements"]) == 5 and len(cat["criteria"]) == 22
    assert cat["criteria"]["3.6"] == {"name": "Tuân thủ đúng quy định", "element": "3"}
    assert survey_years(con) == [2021, 2022]


# ---------------------------------------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run([sys.executable, "-m", "indicators", "sipas", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_json_shape(db):
    proc = _cli("--db", db, "--from", "2022-01-01", "--to", "2022-12-31", "--by", "unit")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"from", "to", "by", "rows", "total"} <= set(out) and out["by"] == "unit"
    row = next(r for r in out["rows"] if r["key"] == "Q3")
    assert {"key", "name", "questionnaires", "sipas", "sipas_ci95", "too_small", "elements", "criteria",
            "expectations"} <= set(row)
    assert set(row["elements"]) == {"1", "2", "3", "4", "5"}
    assert {"index", "valid", "ci95"} <= set(row["elements"]["1"]) and {"index", "valid"} <= set(row["criteria"]["1.1"])
    assert 0 <= row["sipas"] <= 1 and len(row["sipas_ci95"]) == 2
    assert out["total"]["key"] is None and close(out["total"]["sipas"], 0.852193)


def test_cli_csv_and_xlsx(db, tmp_path):
    proc = _cli("--db", db, "--from", "2022-01-01", "--to", "2022-12-31", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("key,name,questionnaires,sipas_valid,sipas,")
    assert lines[-1].startswith(",Tổng cộng,250,250,0.852193")
    out = tmp_path / "sipas.xlsx"
    proc = _cli("--db", db, "--from", "2022-01-01", "--to", "2022-12-31", "--by", "level", "--format", "xlsx",
                "--out", out)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["SIPAS", "Tiêu chí", "Mong đợi"]
    ws = wb["SIPAS"]
    assert "SIPAS" in ws["A1"].value and ws["B4"].value == "Cấp" and ws["D4"].value == "Chỉ số SIPAS"
    names = [ws.cell(row=r, column=2).value for r in range(7, 11)]
    assert names == ["Sở, ban, ngành", "Cấp huyện", "(Chưa xác định cấp)", "Tổng cộng"]
    assert ws.cell(row=10, column=4).value == pytest.approx(0.852193, abs=1e-6)
    # The one percent format of every workbook (was "0.00%" here, "0.00 %" in the report): the value is unchanged.
    assert ws.cell(row=10, column=4).number_format == "0.00 %"
    assert wb["Tiêu chí"].cell(row=6, column=2).value == "1.1"


def test_cli_period_without_surveys_exits_0_with_a_message(db):
    proc = _cli("--db", db, "--from", "2019-01-01", "--to", "2019-12-31")
    assert proc.returncode == 0
    assert "Không có dữ liệu khảo sát SIPAS" in proc.stderr
    assert json.loads(proc.stdout)["rows"] == []


def test_cli_unknown_unit_exits_2(db):
    proc = _cli("--db", db, "--from", "2022-01-01", "--to", "2022-12-31", "--unit", "Sở Không Có")
    assert proc.returncode == 2 and "Không tìm thấy đơn vị" in proc.stderr
