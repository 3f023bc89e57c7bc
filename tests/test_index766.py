"""The 766 index: configuration tables, hand-computed points, peer-group ranking, writers and the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from exports.index766 import index766_to_csv, write_index766_xlsx
from indicators.index766 import Index766ConfigError, compute_index766, load_index766_config
from tests.builders import MARCH, ROOT, build_full_db


@pytest.fixture()
def con(full_db):
    return full_db


def test_shipped_config():
    cfg = load_index766_config(date(2022, 12, 31))
    assert cfg.effective_from == date(2022, 6, 23) and cfg.note is None
    assert cfg.max_points == 100
    assert [c.criterion_id for c in cfg.criteria if c.indicator_id is None] == ["1.2", "1.3", "5.2"]
    assert [b[0] for b in cfg.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert load_index766_config(date(2022, 3, 31)).note   # before the decision: first version, with a note


# City total, March 2022, shipped criteria; the rates are the golden ones of test_indicators_golden_all:
#   1.1 sync_rate 8/14, threshold 1:          6 × 8/14                = 3.428571 (24/7)
#   1.2, 1.3 no dossier data:                 chưa có dữ liệu (6 + 6 points out of reach)
#   2.1 progress_766 10/14, threshold 1:      20 × 10/14              = 14.285714 (100/7)
#   3.1 online_procedure_rate 5/8, thr 0.8:   6 × 0.625 / 0.8         = 4.6875
#   3.2 online_rate 7/14 = 0.5, thr 0.5:      6 × min(1, 1)           = 6 (exactly at the threshold)
#   3.3 paid_online_rate 3/6, thr 1:          10 × 0.5                = 5
#   4.1 e_result_rate 5/10, thr 1:            8 × 0.5                 = 4
#   4.2 digitized_rate 5/14, thr 0.8:         7 × (5/14) / 0.8        = 3.125
#   4.3 data_reuse_rate 4/14, thr 0.8:        7 × (4/14) / 0.8        = 2.5
#   5.1 rating_satisfaction 6/9, thr 0.9:     12 × (6/9) / 0.9        = 8.888889 (80/9)
#   5.2 no dossier data:                      chưa có dữ liệu (6)
# score = 124/7 + 25.3125 + 80/9 = 1676/63 + 25.3125 = 51.915675 of a computable 100 − 18 = 82;
# on 100: 51.915675 / 82 × 100 = 63.311798 → Trung bình (50 ≤ x < 70)
TOTAL_POINTS = {"1.1": 24 / 7, "1.2": None, "1.3": None, "2.1": 100 / 7, "3.1": 4.6875, "3.2": 6.0, "3.3": 5.0,
                "4.1": 4.0, "4.2": 3.125, "4.3": 2.5, "5.1": 80 / 9, "5.2": None}
TOTAL_SCORE = 1676 / 63 + 25.3125


def test_total_march_hand_computed(con):
    res = compute_index766(con, MARCH)
    tot = res["total"]
    assert {c["criterion_id"]: c["points"] for c in tot["criteria"]} == pytest.approx(TOTAL_POINTS)
    assert [c["status_text"] for c in tot["criteria"] if c["points"] is None] == ["chưa có dữ liệu"] * 3
    assert tot["score"] == pytest.approx(TOTAL_SCORE)
    assert (tot["max_computable"], tot["max_points"]) == (82, 100)
    assert tot["score_100"] == pytest.approx(TOTAL_SCORE / 82 * 100)
    assert tot["band"] == "Trung bình" and tot["rank"] is None
    # group 3 (22 points): 4.6875 + 6 + 5 = 15.6875, all 22 computable; group 5: 80/9 of a computable 12
    g = {x["group_id"]: x for x in tot["groups"]}
    assert (g["3"]["points"], g["3"]["max_computable"]) == (pytest.approx(15.6875), 22)
    assert (g["5"]["points"], g["5"]["max_computable"], g["5"]["max_points"]) == (pytest.approx(80 / 9), 12, 18)
    assert res["config"]["effective_from"] == "2022-06-23" and res["config"]["note"]


def _write_config(folder: Path) -> Path:
    # As a person saves it from Excel in a Vietnamese locale: ';' separators, decimal commas, dd/mm/yyyy, a BOM.
    folder.mkdir()
    (folder / "index766_criteria.csv").write_text(
        "effective_from;group_id;group_name;group_max_points;criterion_id;criterion_name;indicator_id;points;threshold\n"
        "01/01/2022;1;Tiến độ;60;1.1;Đúng hạn;on_time_rate;60;0,8\n"
        "01/01/2022;2;Thanh toán;40;2.1;Thanh toán trực tuyến;paid_online_rate;30;0,5\n"
        "01/01/2022;2;Thanh toán;40;2.2;Phản ánh, kiến nghị;;10;\n"
        "01/04/2022;1;Tiến độ;100;1.1;Đúng hạn;on_time_rate;100;1\n", encoding="utf-8-sig")
    (folder / "index766_bands.csv").write_text(
        "effective_from,band,lower_bound\n2022-01-01,Xuất sắc,90\n2022-01-01,Tốt,80\n2022-01-01,Khá,70\n"
        "2022-01-01,Trung bình,50\n2022-01-01,Yếu,0\n", encoding="utf-8")
    return folder


def test_versions_by_effective_date(tmp_path):
    folder = _write_config(tmp_path / "cfg")
    march = load_index766_config(date(2022, 3, 31), folder)
    assert march.effective_from == date(2022, 1, 1) and [c.criterion_id for c in march.criteria] == ["1.1", "2.1", "2.2"]
    assert march.criteria[0].threshold == 0.8 and march.note is None
    april = load_index766_config(date(2022, 4, 1), folder)
    assert april.effective_from == date(2022, 4, 1) and [c.points for c in april.criteria] == [100]


# Per unit, March, the test config (1.1 on_time_rate 60 pts full at 80 %; 2.1 paid_online_rate 30 pts full at
# 50 %; 2.2 no data, 10 pts). Rates from test_indicators_golden_all.test_golden_per_unit:
#   SO_A on time 0.5 → 60 × 0.5/0.8 = 37.5; paid 0.5 → 30;  67.5 / 90 → 75     Khá         Sở 2/2
#   SO_B on time 1   → 60;               paid 0.5 → 30;  90 / 90   → 100    Xuất sắc    Sở 1/2
#   H1   on time 0   → 0;   paid: no fee dossier (—);     0 / 60    → 0      Yếu         huyện 2/2
#   H2   on time 1   → 60;  paid —;                       60 / 60   → 100    Xuất sắc    huyện 1/2
#   X1   on time 1   → 60;  paid 0    → 0;                60 / 90   → 66.67  Trung bình  xã 2/2 (commune)
#   X2   on time 1   → 60;  paid 1    → 30;               90 / 90   → 100    Xuất sắc    xã 1/2 (ward: same tier)
#   unmatched unit: on time 0 → 0 / 60 → 0, Yếu, no level → not ranked
# City: on time 6/10 → 60 × 0.6/0.8 = 45; paid 3/6 → 30; 75 / 90 → 83.33 Tốt
def test_ranking_within_peer_groups(con, tmp_path):
    res = compute_index766(con, MARCH, by="unit", config_dir=_write_config(tmp_path / "cfg"))
    got = [(r["key"], r["peer_group"], r["score"], r["max_computable"], r["score_100"], r["band"], r["rank"],
            r["peer_count"]) for r in res["rows"]]
    assert got == [
        ("SO_B", "Sở, ban, ngành", 90, 90, 100, "Xuất sắc", 1, 2),
        ("SO_A", "Sở, ban, ngành", 67.5, 90, 75, "Khá", 2, 2),
        ("H2", "Cấp huyện", 60, 60, 100, "Xuất sắc", 1, 2),
        ("H1", "Cấp huyện", 0, 60, 0, "Yếu", 2, 2),
        ("X2", "Cấp xã", 90, 90, 100, "Xuất sắc", 1, 2),
        ("X1", "Cấp xã", 60, 90, pytest.approx(200 / 3), "Trung bình", 2, 2),
        (None, None, 0, 60, 0, "Yếu", None, None),
    ]
    h1 = {c["criterion_id"]: c for c in res["rows"][3]["criteria"]}
    assert h1["2.1"]["status_text"] == "không có hồ sơ để tính (mẫu số bằng 0)" and h1["2.1"]["points"] is None
    assert h1["2.2"]["status_text"] == "chưa có dữ liệu"
    tot = res["total"]
    assert (tot["score"], tot["max_computable"], tot["band"]) == (pytest.approx(75), 90, "Tốt")
    assert tot["score_100"] == pytest.approx(250 / 3)


def test_ties_share_a_rank_and_levels_are_not_ranked(con, tmp_path):
    cfg = tmp_path / "cfg"
    _write_config(cfg)
    # by district: H1 (wards X1 X2 included) and H2 are peers; the departments and the unmatched unit fall in
    # "(Không thuộc cấp huyện)", which is not ranked
    by_district = compute_index766(con, MARCH, by="district", config_dir=cfg)["rows"]
    assert [(r["key"], r["rank"]) for r in by_district] == [("H2", 1), ("H1", 2), (None, None)]
    # H1 subtree: on time G11 G15 of G08 G11 G15 → 2/3 → 60 × (2/3)/0.8 = 50; fee G10 no, G13 yes → 1/2 → 30
    assert by_district[1]["score"] == pytest.approx(80) and by_district[1]["max_computable"] == 90
    assert all(r["rank"] is None for r in compute_index766(con, MARCH, by="level", config_dir=cfg)["rows"])
    # scope X1: alone in its peer group, ranked 1 of 1; equal scores share a rank, the next rank is skipped
    only = compute_index766(con, MARCH, by="unit", unit="X1", config_dir=cfg)["rows"]
    assert [(r["key"], r["rank"], r["peer_count"]) for r in only] == [("X1", 1, 1)]
    from indicators.index766 import _rank
    rows = [{"peer_group": "g", "score_100": s} for s in (80.0, 90.0, 90.0, None)]
    _rank(rows)
    assert [r["rank"] for r in rows] == [3, 1, 1, None]


@pytest.mark.parametrize("line, message", [
    ("01/01/2022;1;Tiến độ;60;1.1;Đúng hạn;on_time_rate;50;0,8\n", "khác điểm tối đa"),
    ("01/01/2022;1;Tiến độ;60;1.1;Đúng hạn;khong_co;60;0,8\n", "không có chỉ tiêu 'khong_co'"),
    ("01/01/2022;1;Tiến độ;60;1.1;Thời gian;avg_days;60;0,8\n", "không phải tỷ lệ"),
    ("01/01/2022;1;Tiến độ;60;1.1;Đúng hạn;on_time_rate;60;80\n", "ngưỡng"),
    ("32/01/2022;1;Tiến độ;60;1.1;Đúng hạn;on_time_rate;60;0,8\n", "ngày '32/01/2022'"),
])
def test_config_errors_say_where(tmp_path, line, message):
    folder = _write_config(tmp_path / "cfg")
    path = folder / "index766_criteria.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[1] = line
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(Index766ConfigError, match=message):
        load_index766_config(date(2022, 3, 31), folder)


def test_rejects_non_unit_grouping(con):
    with pytest.raises(ValueError, match="766"):
        compute_index766(con, MARCH, by="field")


def test_writers(con, tmp_path):
    from openpyxl import load_workbook

    res = compute_index766(con, MARCH, by="unit")
    lines = index766_to_csv(res).splitlines()
    assert lines[0].startswith("key,name,peer_group,rank,peer_count,score,max_computable,max_points,score_100,band,"
                               "group_1_points")
    assert "criterion_5.2_points" in lines[0] and len(lines) == 1 + len(res["rows"]) + 1
    path = tmp_path / "766.xlsx"
    write_index766_xlsx(res, path, "Thành phố Đà Nẵng")
    wb = load_workbook(path)
    ws = wb["Chi so 766"]
    assert ws["A2"].value == "Đơn vị: Thành phố Đà Nẵng" and ws["A3"].value == "(Từ ngày 01/03/2022 đến ngày 31/03/2022)"
    assert ws["B7"].value == "Sở Xây dựng" and ws["D7"].value == "1/2"
    total = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[1] == "Tổng cộng"][0]
    assert total[-1] == "Trung bình" and total[-3] == 82
    detail = wb["Tieu chi"]
    notes = [r[8] for r in detail.iter_rows(min_row=7, values_only=True)]
    assert notes.count("chưa có dữ liệu") == 3 * (len(res["rows"]) + 1)
    assert ws.page_setup.orientation == "landscape" and ws.freeze_panes == "C7"


def test_cli(tmp_path):
    db = tmp_path / "i766.duckdb"
    build_full_db(db).close()   # the CLI opens the file itself
    base = [sys.executable, "-m", "indicators", "index766", "--db", str(db), "--from", "2022-03-01", "--to", "2022-03-31"]
    out = subprocess.run(base + ["--by", "district"], capture_output=True, text=True, cwd=ROOT, check=True)
    data = json.loads(out.stdout)
    assert set(data) >= {"from", "to", "by", "rows", "total", "config"}
    assert data["total"]["score"] == pytest.approx(TOTAL_SCORE)
    assert {r["key"] for r in data["rows"]} == {"H1", "H2", None} and data["rows"][-1]["key"] is None
    csv_out = subprocess.run(base + ["--format", "csv", "--unit", "H1"], capture_output=True, text=True, cwd=ROOT,
                             check=True)
    assert csv_out.stdout.splitlines()[0].startswith("key,name,peer_group")
    xlsx = tmp_path / "766.xlsx"
    subprocess.run(base + ["--format", "xlsx", "--out", str(xlsx), "--unit", "H1"], cwd=ROOT, check=True)
    from openpyxl import load_workbook
    assert load_workbook(xlsx)["Chi so 766"]["A2"].value == "Đơn vị: UBND Huyện Hòa Vang"
    bad = subprocess.run(base + ["--by", "field"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 64 and "--by không nhận giá trị 'field'" in bad.stderr   # a usage error (README)
    cfg = tmp_path / "broken"
    cfg.mkdir()
    broken = subprocess.run(base + ["--config", str(cfg)], capture_output=True, text=True, cwd=ROOT)
    assert broken.returncode == 2 and "index766_criteria.csv" in broken.stderr
