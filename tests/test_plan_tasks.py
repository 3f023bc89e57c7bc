"""Plans and progress reports loaded through `etl import` and counted at several cut-off dates: two hand-built plans
in two layouts (Sở Tư pháp's appendix; Quận 3's table with its own headers, merged section cells and a chỉ tiêu
column) and five reports in four layouts (tests/builders.py, where each line's reading is written beside it).
Every expected figure is counted by hand in the comments."""
import json
import subprocess
import sys
from datetime import date

import duckdb
import openpyxl
import pytest

from etl.importer import import_paths
from indicators.tasks import compute_tasks, default_cutoff, default_year, plan_done_rate, unit_task_status
from tests.builders import (PLAN_UNITS, ROOT, q3_plan, q3_report_ticks, stp_plan_rows, stp_report_codes,
                            stp_report_sections, stp_report_text, write_rows)

@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("plans")
    (d / "units.csv").write_text(PLAN_UNITS, encoding="utf-8")
    return {
        "units": d / "units.csv",
        "stp_plan": write_rows(d / "ke_hoach_stp.xlsx", stp_plan_rows()),
        "q3_plan": q3_plan(d / "ke_hoach_q3.xlsx"),
        "r1": stp_report_sections(d / "tien_do_stp_30_6.xlsx"),
        "r2": stp_report_text(d / "tien_do_stp_8_8.xlsx"),
        "r3": stp_report_codes(d / "tien_do_stp_30_9.xlsx", "30/9/2022", [
            ("III.2", "Hoàn thành", "29/09/2022"),       # done 29/09 ≤ 30/09: on time
            ("III.6", "Đang thực hiện", None),           # 15/08 passed: overdue
            ("II.2", "Hoàn thành", "15/09/2022"),        # on time
            ("I.2", "Hoàn thành", None),                 # a recurring task done: on time
            ("IX.9", "Đang thực hiện", None)]),          # matches no task: listed
        "r4": stp_report_codes(d / "tien_do_stp_31_12.xlsx", "31/12/2022", [
            ("III.6", "Hoàn thành", "20/12/2022")]),     # done 20/12 > 15/08: late
        "q3_report": q3_report_ticks(d / "tien_do_quan_huyen_30_9.xlsx"),
    }


@pytest.fixture(scope="module")
def db(files, tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "plans.duckdb"
    # The reports first: a report loaded before its plan finds its tasks once the plan is there.
    order = ["units", "r1", "r2", "r3", "r4", "q3_report", "stp_plan", "q3_plan"]
    results, errors = import_paths(path, [files[k] for k in order], swap=False)
    assert errors == []
    return path, {r["path"].rsplit("/", 1)[-1]: r for r in results}


def _at(db, day, **kw) -> dict:
    con = duckdb.connect(str(db[0]), read_only=True)
    try:
        return compute_tasks(con, date.fromisoformat(day), **kw)
    finally:
        con.close()


def _row(result, key):
    return next(r for r in result["rows"] if r["key"] == key)


BUCKET_KEYS = ("tasks", "done", "done_on_time", "done_late", "under_way", "overdue", "recurring")


def _counts(row) -> tuple:
    return tuple(row[k] for k in BUCKET_KEYS)


def test_plans_load_as_typed(db):
    results = db[1]
    stp = results["ke_hoach_stp.xlsx"]
    assert stp["kind"] == "plan_tasks" and stp["plans"] == [
        {"year": 2022, "unit": "SỞ TƯ PHÁP", "unit_code": "STP", "tasks": 14, "targets": 2}]
    # skipped: the column numbers, 4 section rows, the blank row and the 3 lines of the signature block = 9
    assert (stp["rows_loaded"], stp["rows_rejected"], stp["rows_skipped"]) == (16, 0, 9)
    assert any("1 nhiệm vụ có thời hạn không đọc được" in w and "Theo chỉ đạo của Bộ Tư pháp" in w
               for w in stp["warnings"])
    q3 = results["ke_hoach_q3.xlsx"]
    # "ỦY BAN NHÂN DÂN" over "QUẬN 3": the two lines together name Q3 (a People's Committee names its unit), and the
    # issuing block's lowest naming candidate is the pair, as for units whose list holds that name as an alias
    assert q3["plans"] == [{"year": 2022, "unit": "ỦY BAN NHÂN DÂN QUẬN 3", "unit_code": "Q3", "tasks": 4,
                            "targets": 2}]
    con = duckdb.connect(str(db[0]), read_only=True)
    rows = con.execute("""SELECT ref, area, deadline_kind, deadline_date, is_target, lead_text FROM plan_tasks
                          WHERE plan_key = 'Q3' ORDER BY task_no""").fetchall()
    assert rows == [
        ("I.1", "Cải cách thủ tục hành chính", "date", date(2022, 12, 31), True, "Phòng Nội vụ"),
        ("I.2", "Cải cách thủ tục hành chính", "date", date(2022, 6, 30), False, "Phòng Tư pháp"),
        ("I.3", "Cải cách thủ tục hành chính", "recurring", None, False, "Văn phòng"),
        ("II.1", "Chính quyền điện tử, chính quyền số", "date", date(2022, 12, 31), True, "Phòng Văn hóa và Thông tin"),
        ("II.2", "Chính quyền điện tử, chính quyền số", "date", date(2022, 9, 30), False, "Phòng Văn hóa và Thông tin"),
        ("II.3", "Chính quyền điện tử, chính quyền số", "date", date(2022, 6, 30), False, "Văn phòng")]
    # STT restarts in every section: I.3 and III.3 are different tasks; the text starting with "=" kept as text.
    refs = dict(con.execute("SELECT ref, task FROM plan_tasks WHERE plan_key = 'STP'").fetchall())
    assert refs["I.3"].startswith("Kiểm tra") and refs["III.3"].startswith("Số hóa")
    assert refs["III.7"] == '=HYPERLINK("http://x")'
    con.close()


def test_reports_loaded_before_their_plan_say_so(db):
    r1 = db[1]["tien_do_stp_30_6.xlsx"]
    assert r1["kind"] == "task_progress" and r1["snapshot_date"] == "2022-06-30"
    # I.1–3, II.1–3, III.1–2, IV.1 = 9 lines
    assert r1["rows_loaded"] == 9 and r1["rows_rejected"] == 0
    assert any("Chưa có kế hoạch năm 2022 của SỞ TƯ PHÁP: 9 dòng" in w for w in r1["warnings"])


def test_before_any_report(db):
    # 31/05: no report yet. I.1 (31/01) overdue; I.2, III.4, III.8 recurring; the other 10 under way
    # (III.5 unreadable among them).
    row = _row(_at(db, "2022-05-31", unit="STP"), "STP")
    assert _counts(row) == (14, 0, 0, 0, 10, 1, 3)
    assert (row["targets"], row["targets_done"], row["unreadable_deadlines"]) == (2, 0, 1)
    assert row["done_previous"] is None and row["report_date"] is None


def test_at_the_first_report(db):
    # 30/06 (report 1): on time I.1 (20/01 ≤ 31/01), I.3 (no date: 30/06 ≤ 30/06) = 2; late II.1 (reported) = 1;
    # under way II.2, II.3, III.1, III.2, III.3, III.5, III.6, III.7 = 8; recurring I.2, III.4, III.8 = 3; overdue 0.
    result = _at(db, "2022-06-30", unit="STP")
    row = _row(result, "STP")
    assert _counts(row) == (14, 3, 2, 1, 8, 0, 3)
    assert row["sentence"] == "đã hoàn thành 0/2 chỉ tiêu và 3/14 nhiệm vụ, 11 nhiệm vụ đang thực hiện"
    assert result["changes"] == [] and row["done_previous"] is None


def test_at_the_inspection_date(db):
    # 08/08 (reports 1 and 2, matched by text): III.1 done 10/07 > 30/06 and II.3 first said done 08/08 > 30/06
    # join the late ones: on time 2, late 3, done 5; under way II.2, III.2, III.3, III.5, III.6, III.7 = 6;
    # recurring 3; overdue 0 (III.6 is due 15/08).
    result = _at(db, "2022-08-08", unit="STP")
    row = _row(result, "STP")
    assert _counts(row) == (14, 5, 2, 3, 6, 0, 3)
    assert (row["done_previous"], row["overdue_previous"], str(row["previous_report_date"])) == (3, 0, "2022-06-30")
    assert [(c["code"], c["previous"], c["now"]) for c in result["changes"]] == [
        ("II.3", "under_way", "done_late"), ("III.1", "under_way", "done_late")]
    assert [u["task"] for u in result["unmatched"]] == ["Một nhiệm vụ không có trong kế hoạch"]
    assert result["unmatched"][0]["reason"] == "no_task"


def test_after_the_third_report(db):
    # 01/10 (reports 1–3): on time I.1, I.2 (recurring, done), I.3, II.2, III.2 = 5; late II.1, II.3, III.1 = 3;
    # under way III.3, III.5, III.7 = 3; recurring III.4, III.8 = 2; overdue III.6 (15/08 → 01/10: 47 days) = 1.
    result = _at(db, "2022-10-01", unit="STP")
    assert _counts(_row(result, "STP")) == (14, 8, 5, 3, 3, 1, 2)
    assert [(o["code"], o["days_overdue"], o["lead_unit"], o["deadline"]) for o in result["overdue"]] == [
        ("III.6", 47, "Văn phòng Sở", "2022-08-15")]
    # against report 2 (08/08): I.2, II.2, III.2 done; III.6 overdue
    assert sorted((c["code"], c["now"]) for c in result["changes"]) == [
        ("I.2", "done_on_time"), ("II.2", "done_on_time"), ("III.2", "done_on_time"), ("III.6", "overdue")]
    assert sorted(u["code"] or u["task"] for u in result["unmatched"]) == [
        "IX.9", "Một nhiệm vụ không có trong kế hoạch"]


def test_a_report_dated_after_the_cut_off_is_not_read(db):
    # 30/12: report 4 (31/12) not read, III.6 still overdue (15/08 → 30/12: 137 days); III.3, III.7 (31/12) under way.
    result = _at(db, "2022-12-30", unit="STP")
    assert _counts(_row(result, "STP")) == (14, 8, 5, 3, 3, 1, 2)
    assert result["overdue"][0]["days_overdue"] == 137
    # 31/12: report 4 says III.6 done 20/12 > 15/08: late. on time 5, late 4, under way 3, recurring 2.
    assert _counts(_row(_at(db, "2022-12-31", unit="STP"), "STP")) == (14, 9, 5, 4, 3, 0, 2)


def test_after_the_year_the_open_tasks_are_overdue(db):
    # 05/01/2023 on the 2022 plan (the default year: the newest plan year before): III.3 and III.7 (31/12) overdue,
    # III.5 (unreadable) still under way; both chỉ tiêu (31/12) overdue, counted apart.
    result = _at(db, "2023-01-05", unit="STP")
    assert result["year"] == 2022
    row = _row(result, "STP")
    assert _counts(row) == (14, 9, 5, 4, 1, 2, 2)
    assert (row["targets"], row["targets_done"], row["targets_overdue"]) == (2, 0, 2)
    assert sorted(o["code"] for o in result["overdue"]) == ["III.3", "III.7", "IV.1", "IV.2"]


def test_the_second_layout_and_its_compiled_report(db):
    # Quận 3 at 30/09: Rà soát done (first said 30/09 > 30/06): late; bưu chính recurring; chuyển đổi số
    # (30/09) under way; họp trực tuyến (30/06) overdue, 92 days; one chỉ tiêu of two done.
    result = _at(db, "2022-09-30", unit="Q3")
    row = _row(result, "Q3")
    assert _counts(row) == (4, 1, 0, 1, 1, 1, 1)
    assert (row["targets"], row["targets_done"]) == (2, 1)
    assert [(o["task"], o["days_overdue"]) for o in result["overdue"]] == [("Họp trực tuyến", 92)]
    assert row["sentence"] == ("đã hoàn thành 1/2 chỉ tiêu và 1/4 nhiệm vụ, 3 nhiệm vụ đang thực hiện "
                               "(trong đó 1 nhiệm vụ quá hạn)")


def test_city_total_and_groupings(db):
    # 01/10, both plans: STP (14, 8, 5, 3, 3, 1, 2) + Q3, where chuyển đổi số (30/09) is now overdue too
    # (4, 1, 0, 1, 0, 2, 1) = (18, 9, 5, 4, 3, 3, 3).
    result = _at(db, "2022-10-01")
    assert [r["key"] for r in result["rows"]] == ["STP", "Q3"]       # the unit catalogue's order
    assert _counts(result["total"]) == (18, 9, 5, 4, 3, 3, 3)
    assert result["total"]["name"] == "Toàn thành phố"
    # by area (STP only): I — I.1, I.2, I.3 all done; II — all three done; III — III.1, III.2 of 8 done; IV — the
    # chỉ tiêu, no nhiệm vụ. In the order of the sections.
    areas = _at(db, "2022-10-01", by="area", unit="STP")["rows"]
    assert [(r["name"], r["tasks"], r["done"], r["targets"]) for r in areas] == [
        ("Công tác chỉ đạo điều hành", 3, 3, 0), ("Cải cách thể chế", 3, 3, 0),
        ("Cải cách thủ tục hành chính", 8, 2, 0), ("Chỉ tiêu", 0, 0, 2)]
    # by lead, scoped to Sở Nội vụ: the one task it leads in another unit's plan (III.4, recurring)
    lead = _at(db, "2022-10-01", by="lead", unit="SNV")
    assert [(r["key"], r["name"], r["tasks"], r["recurring"]) for r in lead["rows"]] == [("SNV", "Sở Nội vụ", 1, 1)]
    # by lead, scoped to Quận 3: its plan's offices («Phòng Nội vụ», «Văn phòng»: no unit of the list) lead its six
    # tasks and targets — «chưa có nhiệm vụ nào» before (probe 25) — and the Sở Tư pháp's unmatched report lines
    # are not Quận 3's (a Quận 3 account read them)
    lead = _at(db, "2022-10-01", by="lead", unit="Q3")
    assert (lead["total"]["tasks"], lead["total"]["targets"]) == (4, 2)
    assert sorted(r["name"] for r in lead["rows"]) == ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Văn hóa và Thông tin",
                                                       "Văn phòng"]
    assert lead["unmatched"] == [] and _at(db, "2022-10-01", by="lead", unit="STP")["unmatched"] != []


def test_the_cli_gives_the_same_json(db):
    proc = subprocess.run([sys.executable, "-m", "indicators", "tasks", "--db", str(db[0]), "--as-of", "2022-10-01",
                           "--unit", "Sở Tư pháp"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"as_of", "year", "rows", "total", "overdue"} <= set(out)
    assert set(out["rows"][0]) >= {"key", "name", "tasks", "done", "done_on_time", "done_late", "under_way",
                                   "overdue", "recurring", "targets", "targets_done", "unreadable_deadlines"}
    assert set(out["overdue"][0]) >= {"unit", "code", "task", "deadline", "days_overdue"}
    assert (out["as_of"], out["year"]) == ("2022-10-01", 2022)
    assert _counts(out["rows"][0]) == (14, 8, 5, 3, 3, 1, 2)
    assert out["overdue"][0] == {**out["overdue"][0], "unit": "Sở Tư pháp", "code": "III.6", "deadline": "2022-08-15",
                                 "days_overdue": 47}


def test_the_cli_writes_csv_and_xlsx(db, tmp_path):
    base = [sys.executable, "-m", "indicators", "tasks", "--db", str(db[0]), "--as-of", "2022-10-01"]
    proc = subprocess.run(base + ["--format", "csv"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("key,name,tasks,done,done_on_time,done_late,under_way,overdue,recurring")
    assert lines[-1].startswith(",Toàn thành phố,18,9,5,4,3,3,3,")
    # On 05/01/2023 III.7 (the task typed "=HYPERLINK(…)") is overdue, so it is in the overdue sheet.
    out = tmp_path / "tien_do.xlsx"
    proc = subprocess.run(base[:-1] + ["2023-01-05", "--format", "xlsx", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Quá hạn", "Thay đổi", "Thời hạn không rõ", "Dòng chưa khớp"]
    summary = [r for r in wb["Tổng hợp"].iter_rows(min_row=5, values_only=True)]
    # STP (14, 9, 5, 4, 1, 2, 2) as in test_after_the_year…; Q3 (4, 1, 0, 1, 0, 2, 1): total 18 tasks, 10 done
    assert summary[0][1:9] == ("Sở Tư pháp", 14, 9, 5, 4, 1, 2, 2)
    assert summary[-1][1:4] == ("Toàn thành phố", 18, 10)
    # The task typed "=HYPERLINK(…)" is a text cell in every sheet, never a formula.
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)


def test_apis_for_par_and_the_inspection_pack(db):
    con = duckdb.connect(str(db[0]), read_only=True)
    try:
        # PAR: at the year's end (the newest report, 31/12): STP 9 of 14 done, Q3 1 of 4.
        rates = plan_done_rate(con, 2022)
        assert {k: (v["done"], v["tasks"]) for k, v in rates.items()} == {"STP": (9, 14), "Q3": (1, 4)}
        assert rates["STP"]["rate"] == pytest.approx(9 / 14) and rates["STP"]["as_of"] == date(2022, 12, 31)
        pack = unit_task_status(con, "STP", date(2022, 10, 1))
        assert _counts(pack["row"]) == (14, 8, 5, 3, 3, 1, 2)
        assert [o["code"] for o in pack["overdue"]] == ["III.6"] and len(pack["changes"]) == 4
        assert len(pack["unmatched"]) == 2 and len(pack["unreadable"]) == 1 and pack["as_lead"] is None
        assert unit_task_status(con, "SNV", date(2022, 10, 1))["as_lead"]["recurring"] == 1
        assert default_year(con, date(2023, 1, 5)) == 2022
        assert default_cutoff(con, 2022, today=date(2026, 12, 3)) == date(2022, 12, 31)    # the newest report
        assert default_cutoff(con, 2022, today=date(2022, 9, 1)) == date(2022, 9, 1)      # within the plan year
    finally:
        con.close()
