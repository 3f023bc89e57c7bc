"""PAR INDEX golden figures on hand-built files (tests/par_files.py), loaded through etl import: totals, maxima,
indices, ranks, groups, points lost, the data check — every expected value counted by hand in the comments.

The departments' 2022 framework (10 points): 1 chỉ đạo 4 = 1.1 kế hoạch 2,5 (1.1.1 ban hành 0,5 self; 1.1.2
hoàn thành 2 data plan_done_rate) + 1.2 báo cáo 1,5 self; 2 TTHC 4 = 2.1 đúng hạn 2 data on_time_rate
(≥ 99 %: 2; ≥ 95 %: 1; < 95 %: 0) + 2.2 một cửa 2 self; 3 tác động 2 = 3.1 hài lòng 2 survey (SIPAS).
Figures the data gives (par_files._dossiers, SIPAS): Sở Tư pháp 9 of 10 on time = 90 % → 0 points; Sở Y tế
4 of 4 = 100 % → 2; Sở Tư pháp SIPAS 80 % → 3.1 = 2 × 0,8 = 1,6; Sở Xây dựng survey points from the file: 1,5;
plan tasks are not loaded (no data). Districts (10 points): 1.1 3, 1.2 2 self; 2.1 5 data online_rate linear;
Quận 1 1 of 4 online = 25 % → 1,25; Quận 3 2 of 2 = 100 % → 5."""
import json
import subprocess
import sys

import openpyxl
import pytest

from indicators.par import compute_par, points_lost_by_area
from tests.conftest import ROOT
from tests.par_files import golden_db, write_across_workbook, write_note_columns_workbook

PLAN_NOTE = "chưa có dữ liệu (chưa nạp kế hoạch CCHC năm 2022 của đơn vị)"


def _rounded(value):
    """Floats to 9 decimals (sums of products carry noise far below what anyone reads), recursively."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _cli(db, *args) -> dict:
    proc = subprocess.run([sys.executable, "-m", "indicators", "par", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if "--format" not in args or "json" in args else proc.stdout


# Sở Tư pháp: leaves appraised 1.1.1 0,5 + 1.1.2 1 + 1.2 1,5 + 2.1 1 + 2.2 1 = 5; survey 1,6 → 6,6 of 10
# = 66 %, group D (< 70 %). Its subtotal lines (I: 3,5/3; 1: 2/1,5; II: 4/2) are not counted again.
# Self: 0,5 + 1,5 + 1,5 + 2 + 2 = 7,5. Lost: 1.1 2,5 − 1,5 = 1; 2.1 2 − 1 = 1; 2.2 2 − 1 = 1; 3.1 2 − 1,6 = 0,4.
STP = {"unit": "STP", "name": "Sở Tư pháp", "peer_group": "department", "points": 6.6, "max_points": 10.0,
       "index": 0.66, "rank": 3, "group": "D", "self_points": 7.5, "survey_points": 1.6, "not_appraised": 0,
       "areas": {"1": {"points": 3.0, "max_points": 4.0, "index": 0.75},
                 "2": {"points": 2.0, "max_points": 4.0, "index": 0.5},
                 "3": {"points": 1.6, "max_points": 2.0, "index": 0.8}},
       "lost": [{"code": "1.1", "name": "Kế hoạch CCHC", "lost_points": 1.0},
                {"code": "2.1", "name": "Tỷ lệ hồ sơ giải quyết đúng hạn", "lost_points": 1.0},
                {"code": "2.2", "name": "Thực hiện cơ chế một cửa", "lost_points": 1.0},
                {"code": "3.1", "name": "Mức độ hài lòng của người dân", "lost_points": 0.4}],
       "data_check": [{"code": "1.1.2", "self_score": 1.5, "data_score": None, "note": PLAN_NOTE},
                      {"code": "2.1", "self_score": 2.0, "data_score": 0.0,
                       "note": "tự chấm 2/2 cho tỷ lệ giải quyết đúng hạn, trước hạn ≥ 99 %, số liệu: 90,00 % "
                               "(0 điểm)"}]}
# Sở Y tế: 1.1.1 0,5 + 1.1.2 (not appraised, no plan data: its self-score 2, flagged) + 1.2 1,5 + 2.1 2 + 2.2
# (not appraised: self 1,5, flagged) = 7,5; no survey data at all, so the survey part (2) leaves its maximum:
# 7,5 of 8 = 93,75 %, group A, rank 1. Two criteria not appraised. Lost: 2.2 0,5.
SYT = {"unit": "SYT", "name": "Sở Y tế", "peer_group": "department", "points": 7.5, "max_points": 8.0,
       "index": 0.9375, "rank": 1, "group": "A", "self_points": 7.5, "survey_points": None, "not_appraised": 2,
       "areas": {"1": {"points": 4.0, "max_points": 4.0, "index": 1.0},
                 "2": {"points": 3.5, "max_points": 4.0, "index": 0.875},
                 "3": {"points": None, "max_points": None, "index": None}},
       "lost": [{"code": "2.2", "name": "Thực hiện cơ chế một cửa", "lost_points": 0.5}],
       "data_check": [{"code": "1.1.2", "self_score": 2.0, "data_score": None, "note": PLAN_NOTE},
                      {"code": "2.1", "self_score": 2.0, "data_score": 2.0, "note": None}]}
# Sở Xây dựng: 2.1 is "Không áp dụng" / "-" (out of its maximum). 0,5 + 1 + 1 + 2.2 2 + survey file 1,5 = 6 of
# 10 − 2 = 8 → 75 %, group C, rank 2. Self 0,5 + 0,5 + 1,5 + 2 = 4,5. Lost: 1.1 1; 1.2 0,5; 3.1 0,5.
SXD = {"unit": "SXD", "name": "Sở Xây dựng", "peer_group": "department", "points": 6.0, "max_points": 8.0,
       "index": 0.75, "rank": 2, "group": "C", "self_points": 4.5, "survey_points": 1.5, "not_appraised": 0,
       "areas": {"1": {"points": 2.5, "max_points": 4.0, "index": 0.625},
                 "2": {"points": 2.0, "max_points": 2.0, "index": 1.0},
                 "3": {"points": 1.5, "max_points": 2.0, "index": 0.75}},
       "lost": [{"code": "1.1", "name": "Kế hoạch CCHC", "lost_points": 1.0},
                {"code": "1.2", "name": "Báo cáo CCHC", "lost_points": 0.5},
                {"code": "3.1", "name": "Mức độ hài lòng của người dân", "lost_points": 0.5}],
       "data_check": [{"code": "1.1.2", "self_score": 0.5, "data_score": None, "note": PLAN_NOTE}]}
# "Sở Lạ" is in no unit list: loaded and shown (0,5 + 2 + 1 + 2 + 2 = 7,5 of 8), never ranked.
UNKNOWN = {"unit": None, "name": "Sở Lạ", "peer_group": "department", "points": 7.5, "max_points": 8.0,
           "index": 0.9375, "rank": None, "group": "A", "self_points": 7.5, "survey_points": None,
           "not_appraised": 0}
# Quận 1: 1.1 2,5 + 1.2 2 + 2.1 not appraised → the data's 5 × 25 % = 1,25 = 5,75 of 10 (rank 2); its self-score
# 5 for 2.1 is what the data does not support. Quận 3: 1.1 3 + 2.1 2 = 5 of 10 − 2 (1.2 "N/A") = 62,5 % (rank 1).
Q1 = {"unit": "Q1", "name": "Quận 1", "peer_group": "district", "points": 5.75, "max_points": 10.0, "index": 0.575,
      "rank": 2, "group": "D", "self_points": 10.0, "survey_points": None, "not_appraised": 0,
      "areas": {"1": {"points": 4.5, "max_points": 5.0, "index": 0.9},
                "2": {"points": 1.25, "max_points": 5.0, "index": 0.25}},
      "lost": [{"code": "2.1", "name": "Tỷ lệ hồ sơ trực tuyến", "lost_points": 3.75},
               {"code": "1.1", "name": "Kế hoạch CCHC", "lost_points": 0.5}],
      "data_check": [{"code": "2.1", "self_score": 5.0, "data_score": 1.25,
                      "note": "tự chấm 5/5 cho tỷ lệ hồ sơ trực tuyến (điểm tối đa × tỷ lệ), số liệu: 25,00 % "
                              "(1,25 điểm)"}]}
Q3 = {"unit": "Q3", "name": "Quận 3", "peer_group": "district", "points": 5.0, "max_points": 8.0, "index": 0.625,
      "rank": 1, "group": "D", "self_points": 5.0, "survey_points": None, "not_appraised": 0,
      "areas": {"1": {"points": 3.0, "max_points": 3.0, "index": 1.0},
                "2": {"points": 2.0, "max_points": 5.0, "index": 0.4}},
      "lost": [{"code": "2.1", "name": "Tỷ lệ hồ sơ trực tuyến", "lost_points": 3.0}],
      "data_check": [{"code": "2.1", "self_score": 2.0, "data_score": 5.0, "note": None}]}


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    return golden_db(tmp_path_factory.mktemp("par_golden"))


def test_loading_counts_records_subtotals_and_unknown_units(golden):
    _, results = golden
    by_name = {r["path"].rsplit("/", 1)[1]: r for r in results}
    council = by_name["tham_dinh_2022.xlsx"]
    # 4 units × 5 leaves; skipped: 3 subtotal lines × 4 units, lines III and 3.1 (no score), the total and the
    # rank lines = 16.
    assert (council["kind"], council["layout"], council["rows_loaded"], council["rows_rejected"],
            council["rows_skipped"]) == ("par_scores", "wide", 20, 0, 16)
    assert council["unmatched_units"] == ["Sở Lạ"]
    assert by_name["bo_tieu_chi_2022.xlsx"]["rows_loaded"] == 10 and by_name["bo_tieu_chi.csv"]["rows_loaded"] == 10
    assert by_name["dieu_tra.csv"]["layout"] == "survey" and by_name["dieu_tra.csv"]["rows_loaded"] == 1


def test_cli_json_is_the_golden_ranking(golden):
    db, _ = golden
    out = _cli(db, "--year", "2022")
    assert out["year"] == 2022
    rows = _rounded(out["rows"])
    # Order: departments then districts, by rank; the unknown unit after its group's ranked units.
    assert [r["name"] for r in rows] == ["Sở Y tế", "Sở Xây dựng", "Sở Tư pháp", "Sở Lạ", "Quận 3", "Quận 1"]
    assert rows[0] == SYT and rows[1] == SXD and rows[2] == STP and rows[4] == Q3 and rows[5] == Q1
    assert {k: rows[3][k] for k in UNKNOWN} == UNKNOWN
    assert list(rows[0]) == ["unit", "name", "peer_group", "points", "max_points", "index", "rank", "group",
                             "self_points", "survey_points", "not_appraised", "areas", "lost", "data_check"]


def test_cli_filters_by_peer_group_and_unit_keeping_the_rank(golden):
    db, _ = golden
    assert [r["unit"] for r in _cli(db, "--year", "2022", "--peer-group", "district")["rows"]] == ["Q3", "Q1"]
    only = _cli(db, "--year", "2022", "--unit", "Sở Tư pháp")["rows"]
    assert _rounded(only) == [STP]   # still third of three


@pytest.mark.parametrize("layout", [write_across_workbook], ids=["units-down-criteria-across"])
def test_an_unseen_layout_gives_the_same_figures(tmp_path, layout):
    # The same scores, units down and criteria across (area labels merged above, "TĐG"/"Thẩm định" under each
    # criterion, a line of maxima, total/rank/notes columns): the same hand-counted rows.
    db, results = golden_db(tmp_path, council=layout)
    assert results[5]["layout"] == "across" and results[5]["rows_loaded"] == 20 and results[5]["rows_rejected"] == 0
    rows = _rounded(_cli(db, "--year", "2022", "--peer-group", "department")["rows"])
    assert rows[:3] == [SYT, SXD, STP]


def test_a_results_only_workbook_with_notes_and_maxima_after_the_units(tmp_path):
    # Codes inside the names, areas as merged lines, "Điểm tối đa" and "Ghi chú" after the units, one column per
    # unit holding the council's result (the title says "THẨM ĐỊNH"). No self-scores, so blanks are 0:
    # Sở Y tế 0,5 + (1.1.2 blank) 0 + 1,5 + 2 + (2.2 blank) 0 = 4 of 8 = 50 % (rank 3); Sở Tư pháp 6,6 of 10
    # (rank 2); Sở Xây dựng 6 of 8 = 75 % (rank 1).
    db, results = golden_db(tmp_path, council=write_note_columns_workbook)
    assert results[5]["layout"] == "wide" and results[5]["rows_loaded"] == 18
    rows = _rounded(_cli(db, "--year", "2022", "--peer-group", "department")["rows"])
    assert [(r["unit"], r["points"], r["max_points"], r["index"], r["rank"], r["group"]) for r in rows] == [
        ("SXD", 6.0, 8.0, 0.75, 1, "C"), ("STP", 6.6, 10.0, 0.66, 2, "D"), ("SYT", 4.0, 8.0, 0.5, 3, "D"),
        (None, 7.5, 8.0, 0.9375, None, "A")]


def test_change_since_last_year_and_city_wide_losses(golden):
    db, _ = golden
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = compute_par(con, 2022, peer_group="department")
        lost = points_lost_by_area(con, 2022, "STP")
    finally:
        con.close()
    rows = {r["unit"]: r for r in result["rows"]}
    # 2021: Sở Tư pháp 3 + 2 + 4 = 9 of 10 (rank 1), Sở Y tế 2 + 2 + 2 = 6 of 10 (rank 2).
    assert round(rows["STP"]["change_points"], 9) == -2.4 and rows["STP"]["change_rank"] == -2   # 1st → 3rd
    assert rows["SYT"]["change_points"] == 1.5 and rows["SYT"]["change_rank"] == 1             # 2nd → 1st
    assert rows["SXD"]["last_year"] is None and rows["SXD"]["change_rank"] is None
    # Self − appraised: Sở Tư pháp 1.1.2 0,5 + 2.1 1 + 2.2 1 = 2,5; Sở Xây dựng 1.1.2 −0,5 + 1.2 0,5 = 0.
    assert rows["STP"]["gap_points"] == 2.5 and rows["SXD"]["gap_points"] == 0
    # City-wide, by criterion over all four units: 1.1 1 + 1 = 2; 2.2 1 + 0,5 = 1,5; 1.2 0,5 + 0,5 = 1;
    # 2.1 1; 3.1 0,4 + 0,5 = 0,9 (Sở Y tế and Sở Lạ have no survey part).
    assert [(c["code"], round(c["lost_points"], 9)) for c in result["city_lost"]] == [
        ("1.1", 2.0), ("2.2", 1.5), ("1.2", 1.0), ("2.1", 1.0), ("3.1", 0.9)]
    # Where Sở Tư pháp lost its points, by area: 2 (TTHC) 2; 1 (chỉ đạo) 1; 3 (tác động) 0,4.
    assert [(a["code"], round(a["lost_points"], 9)) for a in lost["areas"]] == [("2", 2.0), ("1", 1.0), ("3", 0.4)]
    assert [c["code"] for c in lost["data_check"]] == ["2.1"]


def test_xlsx_in_the_councils_layout(golden, tmp_path):
    db, _ = golden
    out = tmp_path / "par.xlsx"
    proc = subprocess.run([sys.executable, "-m", "indicators", "par", "--db", str(db), "--year", "2022", "--format",
                           "xlsx", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Xếp hạng", "Sở, ban, ngành", "Quận, huyện", "Đối chiếu số liệu"]
    ws = wb["Sở, ban, ngành"]
    assert [ws.cell(5, c).value for c in range(4, 10)] == ["Tự đánh giá", "Thẩm định"] * 3
    assert [ws.cell(4, c).value for c in (4, 6, 8)] == ["Sở Y tế", "Sở Xây dựng", "Sở Tư pháp"]
    lines = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1)}
    # Sở Tư pháp (columns H, I): area 1 self 3,5 / points 3; 2.1 2 / 1; Sở Xây dựng 2.1 "Không áp dụng".
    assert (ws.cell(lines["1"], 8).value, ws.cell(lines["1"], 9).value) == (3.5, 3)
    assert (ws.cell(lines["2.1"], 8).value, ws.cell(lines["2.1"], 9).value) == (2, 1)
    assert ws.cell(lines["2.1"], 6).value == "Không áp dụng"
    totals = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}
    assert ws.cell(totals["Tổng điểm"], 9).value == pytest.approx(6.6)
    assert ws.cell(totals["Xếp hạng"], 9).value == 3 and ws.cell(totals["Xếp loại"], 5).value == "A"
    ranking = wb["Xếp hạng"]
    assert [ranking.cell(r, 2).value for r in range(5, 11)] == ["Sở Y tế", "Sở Xây dựng", "Sở Tư pháp", "Sở Lạ",
                                                                "Quận 3", "Quận 1"]
    assert ranking.cell(7, 8).value == "3/3" and ranking.cell(7, 7).value == pytest.approx(0.66)
    check = wb["Đối chiếu số liệu"]
    notes = [check.cell(r, 9).value for r in range(4, check.max_row + 1)]
    assert STP["data_check"][1]["note"] in notes and Q1["data_check"][0]["note"] in notes


def test_a_page_view_reads_both_years_at_once_with_the_same_figures(golden):
    """Inside a page view the year's and last year's nodes and SIPAS indices come from one query each (kept for the
    view); the result is the one computed outside a view, call by call."""
    db, _ = golden
    import duckdb

    from indicators.view_cache import one_view, view_store
    con = duckdb.connect(str(db), read_only=True)
    try:
        for group in ("department", "district", None):
            alone = compute_par(con, 2022, peer_group=group)
            with one_view():
                assert compute_par(con, 2022, peer_group=group) == alone
                assert set(view_store("par_year_nodes")) == {2021, 2022}
    finally:
        con.close()
