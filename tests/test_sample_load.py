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
