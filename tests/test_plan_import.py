"""Loading plans and progress reports when files are wrong or loaded again: what a user can get wrong is said in
Vietnamese with the file and row and leaves the database as it was; reloading changes nothing; the newest report
wins whatever the order files are loaded in."""
import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from etl.importer import import_paths
from indicators.tasks import compute_tasks
from tests.builders import (PLAN_UNITS, ROOT, STP_PLAN, stp_plan_rows, stp_report_codes, stp_report_sections,
                            stp_report_text, write_rows)


def _etl(*args):
    return subprocess.run([sys.executable, "-m", "etl", "import", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture()
def units(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(PLAN_UNITS, encoding="utf-8")
    return path


def _tables(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * EXCLUDE (import_id) FROM {t} ORDER BY ALL").fetchall()
                for t in ("plan_tasks", "task_progress", "rejected_rows")}
    finally:
        con.close()


def test_reloading_changes_nothing(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    files = [units, write_rows(tmp_path / "ke_hoach.xlsx", stp_plan_rows()),
             stp_report_sections(tmp_path / "r1.xlsx"), stp_report_text(tmp_path / "r2.xlsx")]
    first, errors = import_paths(db, files, swap=False)
    assert errors == []
    before = _tables(db)
    again, errors = import_paths(db, files[1:], swap=False)
    assert errors == []
    # 16 plan lines, 9 and 4 report lines: all found again unchanged, none added
    assert [(r["rows_loaded"], r["rows_updated"], r["rows_unchanged"]) for r in again] == [(0, 0, 16), (0, 0, 9),
                                                                                           (0, 0, 4)]
    assert _tables(db) == before


def test_a_task_dropped_from_a_reloaded_plan_is_said_and_gone(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    import_paths(db, [units, write_rows(tmp_path / "ke_hoach.xlsx", stp_plan_rows())], swap=False)
    shorter = [line for line in STP_PLAN if line[:2] != (8, "Công khai kết quả giải quyết")]
    results, _ = import_paths(db, [write_rows(tmp_path / "ke_hoach_sua.xlsx", stp_plan_rows(lines=shorter))],
                              swap=False)
    # The plan's last two lines (IV.1, IV.2) move up one place: III.8 gone, 13 unchanged, 2 changed.
    assert (results[0]["rows_unchanged"], results[0]["rows_updated"], results[0]["rows_loaded"]) == (13, 2, 0)
    assert any("1 nhiệm vụ của lần nạp trước không còn" in w for w in results[0]["warnings"])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM plan_tasks").fetchall()[0][0] == 15
    con.close()


def test_the_newest_report_wins_whatever_the_loading_order(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    # 30/09 first, then 30/06: at 01/10 the 30/09 report decides III.2 (done 29/09), not the older "Chưa triển khai".
    files = [units, write_rows(tmp_path / "ke_hoach.xlsx", stp_plan_rows()),
             stp_report_codes(tmp_path / "r3.xlsx", "30/9/2022", [("III.2", "Hoàn thành", "29/09/2022")]),
             stp_report_sections(tmp_path / "r1.xlsx")]
    import_paths(db, files, swap=False)
    con = duckdb.connect(str(db), read_only=True)
    result = compute_tasks(con, date(2022, 10, 1), unit="STP")
    con.close()
    row = result["rows"][0]
    # 30/06 gives I.1, I.3 on time and II.1 late; 30/09 adds III.2 on time: done 4 (3 on time, 1 late)
    assert (row["done"], row["done_on_time"], row["done_late"]) == (4, 3, 1)


def test_a_plan_naming_no_unit_is_refused_until_unit_is_given(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    assert _etl(units, "--db", db).returncode == 0
    rows = stp_plan_rows(title="KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022")[2:]     # no issuing body, no "của"
    plan = write_rows(tmp_path / "ke_hoach.xlsx", rows)
    proc = _etl(plan, "--db", db)
    assert proc.returncode == 2
    assert "không biết kế hoạch này của đơn vị nào" in proc.stderr and "--unit" in proc.stderr
    assert _tables(db)["plan_tasks"] == []                                          # nothing loaded
    proc = _etl(plan, "--db", db, "--unit", "Sở Tư pháp", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["plans"][0]["unit_code"] == "STP"


def test_a_report_without_its_date_is_refused_until_as_of_is_given(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    report = write_rows(tmp_path / "tien_do.xlsx", [("BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",),
                                                    ("Mã nhiệm vụ", "Tình trạng"), ("I.1", "Hoàn thành")])
    assert _etl(units, "--db", db).returncode == 0
    proc = _etl(report, "--db", db)
    assert proc.returncode == 2 and "tính đến ngày nào" in proc.stderr and "--as-of" in proc.stderr
    proc = _etl(report, "--db", db, "--as-of", "2022-06-30", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["snapshot_date"] == "2022-06-30"


def test_lines_that_cannot_be_read_are_rejected_with_their_row(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    report = stp_report_codes(tmp_path / "tien_do.xlsx", "30/9/2022", [
        ("III.2", "Hoàn thành", "29/09/2022"),     # row 4: loaded
        ("III.6", "Tốt", None),                    # row 5: no status word
        ("II.2", "Hoàn thành", "31/02/2022"),      # row 6: no such day
        ("I.2", None, None),                       # row 7: no status at all
    ])
    results, errors = import_paths(db, [units, report], swap=False)
    assert errors == [] and results[1]["rows_loaded"] == 1
    assert [(r["row"], r["field"]) for r in results[1]["rejects"]] == [(5, "status"), (6, "completed_at"),
                                                                        (7, "status")]
    assert "không nhận ra tình trạng «Tốt»" in results[1]["rejects"][0]["reason"]
    assert "«31/02/2022» không đọc được" in results[1]["rejects"][1]["reason"]
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT row_number, reason, original_values FROM rejected_rows ORDER BY 1").fetchall()
    con.close()
    assert [r[0] for r in stored] == [5, 6, 7]
    assert json.loads(stored[0][2]) == {"Mã nhiệm vụ": "III.6", "Tình trạng": "Tốt"}


def test_a_plan_without_its_task_column_is_refused(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    plan = write_rows(tmp_path / "ke_hoach.xlsx", [("KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",),
                                                   ("STT", "Cơ quan chủ trì", "Thời gian hoàn thành"),
                                                   (1, "Văn phòng Sở", "Quý II")])
    assert _etl(units, "--db", db).returncode == 0
    proc = _etl(plan, "--db", db, "--kind", "plan_tasks")
    assert proc.returncode == 2 and "Nội dung nhiệm vụ" in proc.stderr


def test_a_report_of_a_plan_not_loaded_is_kept_and_listed(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    import_paths(db, [units, stp_report_text(tmp_path / "r2.xlsx")], swap=False)
    con = duckdb.connect(str(db), read_only=True)
    result = compute_tasks(con, date(2022, 8, 8), year=2022)
    con.close()
    assert result["rows"] == [] and len(result["unmatched"]) == 4
    assert {u["reason"] for u in result["unmatched"]} == {"no_plan"}


def test_a_plans_unit_column_is_its_lead_unit_a_reports_is_the_reporting_unit(tmp_path, units):
    db = tmp_path / "cchc.duckdb"
    plan = write_rows(tmp_path / "ke_hoach.xlsx", [("KẾ HOẠCH CCHC NĂM 2022 CỦA UBND QUẬN 3",),
                                                   ("STT", "Nhiệm vụ", "Đơn vị", "Thời hạn"),
                                                   (1, "Rà soát thủ tục hành chính", "Phòng Tư pháp", "Quý II")])
    report = write_rows(tmp_path / "tong_hop.xlsx", [("TỔNG HỢP TIẾN ĐỘ CÁC QUẬN (tính đến ngày 30/6/2022)",),
                                                     ("Đơn vị", "Nội dung nhiệm vụ", "Tình trạng"),
                                                     ("UBND Quận 3", "Rà soát thủ tục hành chính", "Hoàn thành")])
    results, errors = import_paths(db, [units, plan, report], swap=False)
    assert errors == [] and results[1]["plans"][0]["unit_code"] == "Q3"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT plan_key, lead_text FROM plan_tasks").fetchall() == [("Q3", "Phòng Tư pháp")]
    row = compute_tasks(con, date(2022, 6, 30), unit="Q3")["rows"][0]
    con.close()
    assert (row["tasks"], row["done_on_time"]) == (1, 1)      # the report's line found the district's task
