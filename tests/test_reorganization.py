"""The 2025 reorganization on a hand-made city (real csv files through `etl import`, figures counted by hand): a
dossier received by an old ward in June and finished by the new ward in July, a ward split 60/40 between two new
wards, a department merged into another, and no district level after 30/06/2025."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from etl import importer
from etl.core.database import connect
from etl.core.errors import ImportFailure
from indicators import Period, compute_period_table
from indicators.dashboard import compute_ranking
from indicators.engine import LevelNotInPeriodError
from indicators.report import compute_report
from indicators.units import (levels_valid, predecessor_weights, predecessors_of, structure_parts, successors_of,
                              unit_successor)
from tests.builders import ROOT, empty_db, read_only

JUNE, JULY = Period.month(2025, 6), Period.month(2025, 7)
Q1_2025, Q1_2026 = Period.quarter(2025, 1), Period.quarter(2026, 1)

UNITS = [  # the units file as a person keeps it: a split written in the successor_code column
    ["code", "name", "level", "parent_code", "aliases", "valid_from", "valid_to", "successor_code", "share_basis"],
    ["HCM", "Thành phố Hồ Chí Minh", "province", "", "", "", "", "", ""],
    ["STC", "Sở Tài chính", "department", "HCM", "", "", "", "", ""],
    ["SKHDT", "Sở Kế hoạch và Đầu tư", "department", "HCM", "", "", "2025-02-28", "STC", ""],
    ["Q1", "Quận 1", "district", "HCM", "UBND Quận 1", "", "2025-06-30", "", ""],
    ["Q1.BN", "Phường Bến Nghé", "ward", "Q1", "", "", "2025-06-30", "P.SG", ""],
    ["Q1.NTB", "Phường Nguyễn Thái Bình", "ward", "Q1", "", "", "2025-06-30",
     "P.SG: 60%; Phường Bến Thành (40 %)", "diện tích"],
    ["P.SG", "Phường Sài Gòn", "ward", "HCM", "", "2025-07-01", "", "", ""],
    ["P.BT", "Phường Bến Thành", "ward", "HCM", "", "2025-07-01", "", "", ""],
]
HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
# The old wards' export taken on 30/06/2025.
JUNE_EXPORT = [
    ["H1", "Q1.NTB", "10/06/2025 08:00", "13/06/2025 17:00", "18/06/2025 10:00", "10"],   # late
    ["H2", "Q1.NTB", "25/06/2025 08:00", "08/07/2025 17:00", "", "4"],                   # open on 30/06
    ["H3", "Q1.BN", "12/06/2025 08:00", "19/06/2025 17:00", "19/06/2025 10:00", "10"],   # on the due day
    ["D1", "UBND Quận 1", "02/06/2025 08:00", "06/06/2025 17:00", "05/06/2025 10:00", "10"],   # early
]
# The new wards' export taken on 31/07/2025: H2 was handed to Phường Sài Gòn, which finished it on 03/07.
JULY_EXPORT = [
    ["H2", "P.SG", "25/06/2025 08:00", "08/07/2025 17:00", "03/07/2025 10:00", "10"],    # early
    ["H4", "P.SG", "05/07/2025 08:00", "15/07/2025 17:00", "10/07/2025 10:00", "10"],    # early
    ["H5", "P.BT", "07/07/2025 08:00", "05/08/2025 17:00", "", "4"],                     # open, within its time
]
# The departments' export of the first quarter: Sở KH&ĐT ends on 28/02/2025 (merged into Sở Tài chính).
DEPT_EXPORT = [
    ["K1", "Sở Kế hoạch và Đầu tư", "10/02/2025 08:00", "20/02/2025 17:00", "18/02/2025 10:00", "10"],   # early
    ["K2", "Sở Kế hoạch và Đầu tư", "25/02/2025 08:00", "07/03/2025 17:00", "05/03/2025 10:00", "10"],   # early
    ["K3", "Sở Tài chính", "10/03/2025 08:00", "14/03/2025 17:00", "17/03/2025 10:00", "10"],            # late
]


def _csv(path, rows, title: str | None = None, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as f:
        if title:
            f.write(f"BÁO CÁO CHI TIẾT HỒ SƠ\n{title}\n")
        csv.writer(f, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return path


@pytest.fixture(scope="module")
def city_db(tmp_path_factory):
    """The hand-made city loaded through the real command."""
    d = tmp_path_factory.mktemp("reorg")
    files = [_csv(d / "don_vi.csv", UNITS),
             _csv(d / "ho_so_thang_6.csv", [HEADER] + JUNE_EXPORT, "Từ ngày 01/06/2025 đến ngày 30/06/2025", ";"),
             _csv(d / "ho_so_thang_7.csv", [HEADER] + JULY_EXPORT, "Từ ngày 01/07/2025 đến ngày 31/07/2025", ";"),
             _csv(d / "ho_so_so_nganh.csv", [HEADER] + DEPT_EXPORT, "Từ ngày 01/01/2025 đến ngày 31/03/2025", ";")]
    db = d / "cchc.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "import", *map(str, files), "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(scope="module")
def city(city_db):
    with read_only(city_db) as con:
        yield con


def _counts(row: dict, *cols) -> tuple:
    return tuple(row[c] for c in cols)


COLS = ("carried_over", "received_new", "resolved", "resolved_early", "resolved_on_time", "resolved_late", "pending",
        "pending_within")


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_a_dossier_received_by_an_old_ward_in_june_and_finished_by_the_new_ward_in_july(city, route):
    """The dossier keeps its unit as exported: the newest snapshot (31/07) lists H2 under Phường Sài Gòn, so it counts
    for Phường Sài Gòn in every period — received and still open in June's table (§1: received in [P0, P1], F > P1),
    carried over and resolved in July's. It never counts for the old ward it was received by."""
    june = {r["key"]: r for r in compute_period_table(city, JUNE, by="unit", route=route)["rows"]}
    assert set(june) == {"P.SG", "Q1", "Q1.BN", "Q1.NTB"}
    assert _counts(june["P.SG"], *COLS) == (0, 1, 0, 0, 0, 0, 1, 1)     # H2: received 25/06, open on 30/06
    assert _counts(june["Q1.NTB"], *COLS) == (0, 1, 1, 0, 0, 1, 0, 0)   # H1 only: 18/06 after its 13/06 due day
    assert _counts(june["Q1.BN"], *COLS) == (0, 1, 1, 0, 1, 0, 0, 0)    # H3: finished on its due day
    assert _counts(june["Q1"], *COLS) == (0, 1, 1, 1, 0, 0, 0, 0)       # D1
    july = compute_period_table(city, JULY, by="unit", route=route)
    rows = {r["key"]: r for r in july["rows"]}
    assert set(rows) == {"P.SG", "P.BT"}
    assert _counts(rows["P.SG"], *COLS) == (1, 1, 2, 2, 0, 0, 0, 0)     # H2 carried over, H4 received; both early
    assert _counts(rows["P.BT"], *COLS) == (0, 1, 0, 0, 0, 0, 1, 1)     # H5 open, due 05/08
    assert _counts(july["total"], *COLS) == (1, 2, 2, 2, 0, 0, 1, 1)
    # June by level: H2 is a ward's dossier (Phường Sài Gòn), like H1 and H3.
    by_level = {r["key"]: r["received_new"] for r in compute_period_table(city, JUNE, by="level", route=route)["rows"]}
    assert by_level == {"district": 1, "ward": 3}


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_a_split_ward_counts_by_its_shares_marked_approximate(city, route):
    """Phường Nguyễn Thái Bình went 60 % to Phường Sài Gòn, 40 % to Phường Bến Thành (by area); Phường Bến Nghé went
    wholly to Phường Sài Gòn. June with predecessors, by hand:
    Phường Sài Gòn = own H2 (received, open) + Bến Nghé's H3 (on time) + 0,6 × Nguyễn Thái Bình's H1 (late):
      received 1 + 1 + 0,6 = 2,6; resolved 1 + 0,6 = 1,6; on time 1; late 0,6; rate 1 / 1,6 = 62,5 %; pending 1.
    Phường Bến Thành = 0,4 × H1: received 0,4, resolved 0,4, late 0,4, rate 0 %."""
    alone = compute_period_table(city, JUNE, by="unit", unit="P.SG", route=route)
    assert alone["total"]["received_new"] == 1 and alone["approximate"] is False
    sg = compute_period_table(city, JUNE, by="unit", unit="P.SG", route=route, include_predecessors=True)
    t = sg["total"]
    assert (t["received_new"], t["resolved"], t["resolved_on_time"], t["resolved_late"], t["pending"]) == \
        (2.6, 1.6, 1, 0.6, 1)
    assert t["on_time_rate"] == pytest.approx(1 / 1.6)
    assert {r["key"]: r["received_new"] for r in sg["rows"]} == {"P.SG": 1, "Q1.BN": 1, "Q1.NTB": 0.6}
    assert sg["approximate"] is True
    assert sg["approximate_note"].startswith("Số liệu ước tính theo tỷ lệ diện tích/dân số")
    assert "60 % hồ sơ của Phường Nguyễn Thái Bình (theo diện tích)" in sg["approximate_note"]
    bt = compute_period_table(city, JUNE, by="level", unit="P.BT", route=route, include_predecessors=True)["total"]
    assert (bt["received_new"], bt["resolved"], bt["resolved_late"], bt["on_time_rate"]) == (0.4, 0.4, 0.4, 0.0)


def test_the_cli_says_when_figures_are_estimated(city_db):
    db = str(city_db)
    proc = subprocess.run([sys.executable, "-m", "indicators", "table", "--db", db, "--from", "2025-06-01", "--to",
                           "2025-06-30", "--unit", "Phường Sài Gòn", "--with-predecessors"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["approximate"] is True and out["total"]["received_new"] == 2.6
    assert "Lưu ý: Số liệu ước tính theo tỷ lệ diện tích/dân số" in proc.stderr


def test_a_department_merger(city):
    """Sở KH&ĐT merged wholly into Sở Tài chính on 01/03/2025: Sở Tài chính with its predecessor is exact (no share
    below 100 %). Q1/2025 by hand: K1, K2 early (Sở KH&ĐT), K3 late (Sở Tài chính) → 2 / 3 on time."""
    alone = compute_period_table(city, Q1_2025, by="level", unit="STC")["total"]
    assert (alone["received_new"], alone["resolved_late"], alone["on_time_rate"]) == (1, 1, 0.0)
    merged = compute_period_table(city, Q1_2025, by="unit", unit="STC", include_predecessors=True)
    assert merged["approximate"] is False
    assert (merged["total"]["received_new"], merged["total"]["resolved_early"], merged["total"]["resolved_late"]) == (3, 2, 1)
    assert merged["total"]["on_time_rate"] == pytest.approx(2 / 3)
    # K2 was received by Sở KH&ĐT and finished in March: exported under Sở KH&ĐT, it stays there (carried over).
    march = {r["key"]: r for r in compute_period_table(city, Period.month(2025, 3), by="unit")["rows"]}
    assert _counts(march["SKHDT"], "carried_over", "received_new", "resolved_early") == (1, 0, 1)
    # Both are listed among the departments of Q1, the merged one marked with its last day; with a handful of
    # dossiers each (under indicators.ranking.MIN_DOSSIERS) neither is given a rank.
    ranking = compute_ranking(city, "on_time_rate", Q1_2025, "department")
    assert [(r["code"], r["rank"], r["validity"]) for r in ranking["rows"]] == \
        [("SKHDT", None, "(đến 28/02/2025)"), ("STC", None, "")]
    assert [(p.code, p.share, p.effective_date) for p in predecessors_of(city, "STC")] == \
        [("SKHDT", 1.0, date(2025, 3, 1))]
    assert unit_successor(city, "SKHDT") == ("STC", "Sở Tài chính", date(2025, 2, 28))


def test_levels_follow_the_period(city):
    """No district after 30/06/2025: not in the levels of a 2026 period, a grouping by it says why, and a period
    across 01/07/2025 is two structures."""
    assert levels_valid(city, JUNE.start, JUNE.end) == ["department", "district", "ward"]
    assert levels_valid(city, Q1_2026.start, Q1_2026.end) == ["department", "ward"]
    with pytest.raises(LevelNotInPeriodError, match=r"không có đơn vị nào thuộc cấp huyện \(cấp này chỉ có đến "
                                                    r"ngày 30/06/2025\)"):
        compute_period_table(city, Q1_2026, by="district")
    parts = structure_parts(city, date(2025, 6, 1), date(2025, 7, 31))
    assert [(p.start, p.end, p.levels) for p in parts] == [
        (date(2025, 6, 1), date(2025, 6, 30), ("department", "district", "ward")),
        (date(2025, 7, 1), date(2025, 7, 31), ("department", "ward"))]
    # The department merger (01/03/2025) changes no level: Q1 is one structure.
    assert len(structure_parts(city, Q1_2025.start, Q1_2025.end)) == 1
    table = compute_period_table(city, Period(date(2025, 6, 1), date(2025, 7, 31)), by="level")
    assert table["structure_changes"] == ["2025-07-01"] and "01/07/2025" in table["structure_note"]


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_a_table_across_the_switch_keeps_each_structure_apart(city, route):
    """README "Cấp theo kỳ": the table by level has a row per structure for the levels whose units changed (it added
    old and new wards in one «Cấp xã» row, probe 26); by unit, a unit valid for part of the period carries its
    dates, and the units of each structure come together, the old before the new."""
    both = Period(date(2025, 6, 1), date(2025, 7, 31))
    by_level = compute_period_table(city, both, by="level", route=route)
    # by hand from the exports: D1 (Quận 1); H1, H3 (old wards, June); H2 (handed to P.SG), H4, H5 (new wards)
    assert [(r["key"], r["name"], r["received_new"]) for r in by_level["rows"]] == [
        ("district@2025-06-01", "Cấp huyện (từ 01/06/2025 đến 30/06/2025)", 1),
        ("ward@2025-06-01", "Cấp xã (từ 01/06/2025 đến 30/06/2025)", 2),
        ("ward@2025-07-01", "Cấp xã (từ 01/07/2025 đến 31/07/2025)", 3)]
    assert [r["structure"] for r in by_level["rows"]] == ["từ 01/06/2025 đến 30/06/2025"] * 2 + [
        "từ 01/07/2025 đến 31/07/2025"]
    assert by_level["total"]["received_new"] == 6
    by_unit = compute_period_table(city, both, by="unit", route=route)
    assert [(r["name"], r["received_new"]) for r in by_unit["rows"]] == [
        ("Quận 1 (đến 30/06/2025)", 1), ("Phường Bến Nghé (đến 30/06/2025)", 1),
        ("Phường Nguyễn Thái Bình (đến 30/06/2025)", 1),
        ("Phường Bến Thành (từ 01/07/2025)", 1), ("Phường Sài Gòn (từ 01/07/2025)", 2)]
    # one structure: nothing split, but a unit that ended inside the period still says so
    assert [r["key"] for r in compute_period_table(city, JULY, by="level", route=route)["rows"]] == ["ward"]
    q1 = compute_period_table(city, Q1_2025, by="unit", route=route)["rows"]
    assert [r["name"] for r in q1] == ["Sở Kế hoạch và Đầu tư (đến 28/02/2025)", "Sở Tài chính"]
    assert "structure" not in q1[0]


def test_rankings_for_a_2026_period_have_no_district(city):
    ranking = compute_ranking(city, "on_time_rate", Q1_2026, "ward")
    assert [r["code"] for r in ranking["rows"]] == ["P.BT", "P.SG"]   # the new wards only, by name
    report = compute_report(city, Q1_2026)
    assert {g["level"] for g in report["ranking_groups"].values()} <= {"department", "ward"}
    assert report["by"] == "department" and report["structure_note"] is None


def test_a_report_across_the_switch_ranks_each_structure_apart(city):
    report = compute_report(city, Period(date(2025, 6, 1), date(2025, 7, 31)))
    wards_before = {r["code"] for r in report["rankings"]["ward@2025-06-01"]}
    wards_after = {r["code"] for r in report["rankings"]["ward@2025-07-01"]}
    assert wards_before == {"Q1.BN", "Q1.NTB"} and wards_after == {"P.BT", "P.SG"}
    assert "district@2025-06-01" in report["rankings"] and not any(k.startswith("district@2025-07") for k in
                                                                   report["rankings"])
    assert report["ranking_groups"]["ward@2025-07-01"]["level_name"] == "Cấp xã (từ 01/07/2025 đến 31/07/2025)"
    assert any("01/07/2025" in line for line in report["summary"])


def test_the_cli_names_a_level_the_period_lacks(city_db):
    db = str(city_db)
    proc = subprocess.run([sys.executable, "-m", "indicators", "table", "--db", db, "--from", "2025-07-01", "--to",
                           "2025-07-31", "--by", "district"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "không có đơn vị nào thuộc cấp huyện (cấp này chỉ có đến ngày 30/06/2025)" in proc.stderr


# ---------------------------------------------------------------------------------------------------------
# Loading successions.

def _load(tmp_path, *files):
    db = tmp_path / "cchc.duckdb"
    results, errors = importer.import_paths(db, list(files))
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT predecessor_code, successor_code, share, effective_date, share_basis, origin "
                           "FROM unit_successions ORDER BY 1, 2").fetchall()
        legacy = dict(con.execute("SELECT unit_code, successor_code FROM units").fetchall())
    finally:
        con.close()
    return results, errors, rows, legacy


def test_the_units_file_keeps_one_code_and_reads_shares(tmp_path):
    _, errors, rows, legacy = _load(tmp_path, _csv(tmp_path / "don_vi.csv", UNITS))
    assert errors == []
    assert rows == [("Q1.BN", "P.SG", 1.0, date(2025, 7, 1), None, "units"),
                    ("Q1.NTB", "P.BT", 0.4, date(2025, 7, 1), "diện tích", "units"),
                    ("Q1.NTB", "P.SG", 0.6, date(2025, 7, 1), "diện tích", "units"),
                    ("SKHDT", "STC", 1.0, date(2025, 3, 1), None, "units")]
    # The column before shares keeps its meaning: one code is stored as it always was; a split is not one code.
    assert (legacy["Q1.BN"], legacy["SKHDT"], legacy["Q1.NTB"]) == ("P.SG", "STC", None)


SUCCESSION_HEADER = ["Tên đơn vị cũ", "Tên đơn vị mới", "Tỷ lệ", "Căn cứ tỷ lệ", "Ngày hiệu lực", "Văn bản"]


def test_a_succession_file_by_names_replaces_what_it_states(tmp_path):
    units = _csv(tmp_path / "don_vi.csv", UNITS)
    moves = _csv(tmp_path / "sap_xep.csv", [SUCCESSION_HEADER,
                                            ["Phường Nguyễn Thái Bình", "Phường Sài Gòn", "70 %", "dân số", "01/07/2025",
                                             "Nghị quyết 1685/NQ-UBTVQH15"],
                                            ["Phường Nguyễn Thái Bình", "Phường Bến Thành", "0,3", "dân số",
                                             "01/07/2025", "Nghị quyết 1685/NQ-UBTVQH15"]], delimiter=";")
    results, errors, rows, _ = _load(tmp_path, units, moves)
    assert errors == [] and results[1]["kind"] == "successions" and results[1]["rows_loaded"] == 2
    assert [r for r in rows if r[0] == "Q1.NTB"] == [
        ("Q1.NTB", "P.BT", 0.3, date(2025, 7, 1), "dân số", "successions"),
        ("Q1.NTB", "P.SG", 0.7, date(2025, 7, 1), "dân số", "successions")]


@pytest.mark.parametrize("rows, message", [
    ([["Phường Nguyễn Thái Bình", "Phường Sài Gòn", "70%", "", "01/07/2025", ""],
      ["Phường Nguyễn Thái Bình", "Phường Bến Thành", "40%", "", "01/07/2025", ""]],
     "tổng tỷ lệ đơn vị Q1.NTB (Phường Nguyễn Thái Bình) chuyển cho các đơn vị kế thừa từ ngày 01/07/2025 là "
     "110 %, vượt 100 % (P.BT 40 %, P.SG 70 %)"),
    ([["Phường Nguyễn Thái Bình", "Phường Tân Định", "50%", "", "01/07/2025", ""]],
     "dòng 2: không có đơn vị mới «Phường Tân Định» trong danh mục đơn vị"),
    ([["Phường Bến Nghé", "Phường Sài Gòn", "", "", "01/07/2025", ""],
      ["Phường Bến Nghé", "Phường Bến Thành", "", "", "01/07/2025", ""]],
     "đơn vị Q1.BN chuyển cho 2 đơn vị từ ngày 01/07/2025: hãy ghi tỷ lệ của từng phần"),
    ([["Phường Bến Nghé", "Phường Sài Gòn", "120%", "", "01/07/2025", ""]],
     "dòng 2: tỷ lệ '120%' phải lớn hơn 0 và không quá 100 %"),
])
def test_a_wrong_succession_file_is_refused_and_changes_nothing(tmp_path, rows, message):
    con = connect(tmp_path / "cchc.duckdb")
    importer.import_file(con, _csv(tmp_path / "don_vi.csv", UNITS))
    kept = con.execute("SELECT * FROM unit_successions ORDER BY ALL").fetchall()
    moves = _csv(tmp_path / "sap_xep.csv", [SUCCESSION_HEADER, *rows], delimiter=";")
    with pytest.raises(ImportFailure, match="Không nạp dòng nào") as failure:
        importer.import_file(con, moves)
    assert message in str(failure.value)
    assert con.execute("SELECT * FROM unit_successions ORDER BY ALL").fetchall() == kept   # the file loads whole or not
    con.close()


def test_several_successors_without_shares_in_the_units_file_are_refused(tmp_path):
    rows = [UNITS[0], UNITS[1], ["A", "Phường A", "ward", "HCM", "", "", "2025-06-30", "B; C", ""],
            ["B", "Phường B", "ward", "HCM", "", "", "", "", ""], ["C", "Phường C", "ward", "HCM", "", "", "", "", ""]]
    with pytest.raises(ImportFailure, match="dòng 3: đơn vị kế thừa «B; C» gồm nhiều đơn vị: hãy ghi tỷ lệ"):
        importer.import_file(connect(tmp_path / "cchc.duckdb"), _csv(tmp_path / "don_vi.csv", rows))


def test_weights_follow_chains_and_add_up_over_paths():
    """A split 50/50 into B and C, both merged into D; E gave 30 % to D; F merged wholly into A earlier. D counts
    B and C wholly, A wholly (0,5 + 0,5 over two paths), F wholly (through A), E for 0,3."""
    con = empty_db(":memory:")
    con.executemany("INSERT INTO units (unit_code, unit_name, level) VALUES (?, ?, 'ward')",
                    [(c, f"Phường {c}") for c in "ABCDEF"])
    con.executemany("INSERT INTO unit_successions VALUES (?, ?, ?, DATE '2025-07-01', NULL, NULL, 'successions')",
                    [("A", "B", 0.5), ("A", "C", 0.5), ("B", "D", 1.0), ("C", "D", 1.0), ("E", "D", 0.3),
                     ("F", "A", 1.0)])
    assert predecessor_weights(con, "D") == pytest.approx({"A": 1.0, "B": 1.0, "C": 1.0, "E": 0.3, "F": 1.0})
    assert [(s.code, s.share) for s in successors_of(con, "A")] == [("B", 0.5), ("C", 0.5)]


def test_peer_groups_by_unit_keep_each_structure_apart(city):
    """For a ranking by unit (766, SIPAS, PAR) across 01/07/2025: old wards and new wards are different peer groups."""
    from indicators.index766 import compute_index766
    from indicators.units import peer_groups
    both = Period(date(2025, 6, 1), date(2025, 7, 31))
    groups = peer_groups(city, both.start, both.end)
    assert groups["Q1.BN"] == "Cấp xã (từ 01/06/2025 đến 30/06/2025)"
    assert groups["P.SG"] == "Cấp xã (từ 01/07/2025 đến 31/07/2025)"
    assert groups["STC"] == "Sở, ban, ngành" and "SKHDT" not in groups   # ended 28/02: in no group of the period
    rows = {r["key"]: r for r in compute_index766(city, both, by="unit")["rows"]}
    assert rows["Q1.BN"]["peer_group"] != rows["P.SG"]["peer_group"]
    assert peer_groups(city, JUNE.start, JUNE.end)["Q1.BN"] == "Cấp xã"   # one structure: the level's name


def test_names_2025_exports_give_their_units(tmp_path):
    """As 2025–2026 systems and offices write the receiving unit (probe 26; each was an unmatched name): a commune's
    Public Administration Service Centre, a ward with its district, a name an old and a new ward share only in its
    short form, the dashboard's own label of a namesake; and the status «Mới tiếp nhận» (received, in progress)."""
    units = UNITS + [["Q1.BT", "Phường Bến Thành", "ward", "Q1", "", "", "2025-06-30", "P.BT", ""]]
    rows = [HEADER,
            ["N1", "Trung tâm Phục vụ hành chính công phường Sài Gòn", "05/07/2025 08:00", "10/07/2025 17:00",
             "09/07/2025 10:00", "10"],
            ["N2", "UBND Phường Bến Nghé, Quận 1", "10/06/2025 08:00", "13/06/2025 17:00", "12/06/2025 10:00", "10"],
            ["N3", "Phường Nguyễn Thái Bình – Quận 1", "11/06/2025 08:00", "13/06/2025 17:00", "", "Mới tiếp nhận"],
            ["N4", "TT PVHCC phường Bến Thành", "12/06/2025 08:00", "16/06/2025 17:00", "13/06/2025 10:00", "10"],
            ["N5", "TT PVHCC phường Bến Thành", "07/07/2025 08:00", "09/07/2025 17:00", "08/07/2025 10:00", "10"]]
    db = tmp_path / "cchc.duckdb"
    files = [_csv(tmp_path / "don_vi.csv", units), _csv(tmp_path / "ho_so.csv", rows, "Đến ngày 31/07/2025")]
    proc = subprocess.run([sys.executable, "-m", "etl", "import", *map(str, files), "--db", str(db), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "chưa khớp" not in proc.stderr and "Mới tiếp nhận" not in proc.stderr
    with read_only(db) as con:
        assert dict(con.execute("SELECT dossier_code, unit_code FROM dossiers").fetchall()) == {
            "N1": "P.SG", "N2": "Q1.BN", "N3": "Q1.NTB", "N4": "Q1.BT", "N5": "P.BT"}
        assert con.execute("SELECT status_code FROM dossiers WHERE dossier_code = 'N3'").fetchall() == [(2,)]
        from indicators.scope import resolve_unit
        assert resolve_unit(con, "Phường Bến Thành – Quận 1")[0] == "Q1.BT"
        assert resolve_unit(con, "Phường Bến Thành (từ 01/07/2025)")[0] == "P.BT"
