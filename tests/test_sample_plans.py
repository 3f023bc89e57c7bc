"""The sample's 2022 plans: Sở Kế hoạch và Đầu tư's line "đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực
hiện" at 8/8/2022 through the CLI, recounted from the generated workbooks with openpyxl; a plan for the city and
every department and district; byte-identical files on every run."""
import hashlib
import json
import subprocess
import sys

import openpyxl

from sample.plans import generate_plans
from sample.units import AGENCIES, DISTRICTS
from tests.builders import ROOT

INSPECTION = "2022-08-08"


def _cli(db, *args) -> dict:
    proc = subprocess.run([sys.executable, "-m", "indicators", "tasks", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_skhdt_reproduces_the_inspection_line(demo_db):
    out = _cli(demo_db, "--as-of", INSPECTION, "--unit", "Sở Kế hoạch và Đầu tư")
    row = out["rows"][0]
    assert (row["key"], row["tasks"], row["done"], row["under_way"], row["overdue"], row["recurring"]) == \
        ("SKHDT", 47, 10, 37, 0, 0)
    assert f"{row['name']}: {row['sentence']}" == \
        "Sở Kế hoạch và Đầu tư: đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện"


def test_skhdt_recounted_from_the_generated_workbooks(demo_db):
    files = demo_db.parent / "files"
    plan = openpyxl.load_workbook(files / "ke_hoach_cchc_2022_so_ke_hoach_dau_tu.xlsx", read_only=True).active
    tasks = [r for r in plan.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(tasks) == 47
    assert not any(r[5] in ("Thường xuyên", "Hằng năm") for r in tasks)      # none recurring: 37 all under way
    report = openpyxl.load_workbook(files / "tien_do_ke_hoach_cchc_2022_20220808.xlsx", read_only=True)["SKHDT"]
    lines = [r for r in report.iter_rows(values_only=True) if isinstance(r[0], int)]
    done = [r for r in lines if str(r[2]).startswith(("Hoàn thành", "Đã hoàn thành"))]
    assert (len(lines), len(done)) == (47, 10)


def test_every_department_and_district_has_a_plan(demo_db):
    out = _cli(demo_db, "--as-of", INSPECTION)
    expected = {"HCM"} | {c for c, level, _, _ in AGENCIES if level == "department"} | {c for c, *_ in DISTRICTS}
    assert {r["key"] for r in out["rows"]} == expected and len(expected) == 43
    assert out["total"]["tasks"] == sum(r["tasks"] for r in out["rows"])
    # the sample's one line that matches no task (Quận 12 adds it to every compiled report: 30/06 and 08/08)
    assert [u["unit"] for u in out["unmatched"]] == ["Quận 12", "Quận 12"]


def test_plan_files_are_byte_identical_on_rerun(tmp_path):
    first = generate_plans(tmp_path / "a", progress=lambda _: None)
    second = generate_plans(tmp_path / "b", progress=lambda _: None)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a.name
