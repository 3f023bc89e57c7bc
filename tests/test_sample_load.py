"""The demo sample loads through etl import with exactly its deliberate rejects and unknown unit."""
import duckdb

from etl.sample import DELIBERATE_DEFECTS


def test_demo_sample_loads_with_exactly_the_deliberate_defects(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    rejects = con.execute("SELECT file_name, sheet, row_number, reason_code FROM rejected_rows ORDER BY row_number").fetchall()
    expected_rejects = [(d["file"], d["sheet"], d["row"]) for d in DELIBERATE_DEFECTS if d["kind"] != "unknown_unit"]
    assert [r[:3] for r in rejects] == expected_rejects
    assert [r[3] for r in rejects] == ["missing_received_date", "bad_date"]
    unmatched = con.execute("SELECT unit_text FROM unmatched_units").fetchall()
    assert unmatched == [(d["value"],) for d in DELIBERATE_DEFECTS if d["kind"] == "unknown_unit"]
    # every other dossier joined its unit
    assert con.execute("SELECT count(*) FROM dossiers WHERE unit_code IS NULL").fetchall()[0][0] == 1
    con.close()


def test_cli_reproduces_the_published_skhdt_first_half_2022(demo_db):
    """Sở Kế hoạch và Đầu tư TP.HCM, 1/1–30/6/2022, as published: 122.700 received, 122.563 resolved early or on
    time, 133 pending within deadline, 4 resolved late; catalogue 128 procedures, 2 partial and 51 full online."""
    import json
    import subprocess
    import sys
    from tests.conftest import ROOT
    proc = subprocess.run([sys.executable, "-m", "indicators", "table", "--db", str(demo_db), "--from", "2022-01-01",
                           "--to", "2022-06-30", "--unit", "Sở Kế hoạch và Đầu tư", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    total = json.loads(proc.stdout)["total"]
    assert total["received_new"] == 122_700
    assert total["resolved_early"] + total["resolved_on_time"] == 122_563
    assert total["pending_within"] == 133
    assert total["resolved_late"] == 4
    assert (total["procedure_count"], total["online_procedures_partial"], total["online_procedures_full"]) == (128, 2, 51)


def test_start_command_reuses_a_current_sample(demo_db):
    """`etl sample --reuse` (the start command) keeps a sample this version built: same file, nothing rebuilt."""
    import os
    import subprocess
    import sys
    from tests.conftest import ROOT
    before = os.stat(demo_db).st_ino
    proc = subprocess.run([sys.executable, "-m", "etl", "sample", "--reuse", "--db", str(demo_db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Dùng lại dữ liệu mẫu" in proc.stderr + proc.stdout
    assert os.stat(demo_db).st_ino == before
