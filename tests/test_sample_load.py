"""The demo sample loads through etl import with exactly its deliberate rejects and unknown unit."""
import re

import duckdb
import pandas as pd
import pytest

from sample import DELIBERATE_DEFECTS


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


def _answer(cell):
    """A questionnaire cell as 1–5, or None for no answer (read here with pandas, not with the loader)."""
    words = {"rất hài lòng": 5, "hài lòng": 4, "bình thường": 3, "không hài lòng": 2, "rất không hài lòng": 1}
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return None
    text = str(cell).strip().lower()
    if re.fullmatch(r"[1-5](\.0)?", text):
        return int(float(text))
    return words.get(text)   # "Không trả lời", blanks: no answer


def _demo_questionnaires(files) -> pd.DataFrame:
    """Every demo questionnaire as (year, HL1…HL5) straight from the generated files."""
    districts = pd.read_csv(files / "khao_sat_sipas_quan_huyen_2021_2022.csv", dtype=str, encoding="utf-8-sig")
    districts["year"] = districts["Kỳ khảo sát"].str.extract(r"(\d{4})")[0].astype(int)
    grid = pd.read_excel(files / "khao_sat_sipas_so_nganh_2021_2022.xlsx", header=None, dtype=object, engine="openpyxl")
    header_row = next(i for i, row in grid.iterrows() if "Mã phiếu" in row.astype(str).tolist())
    departments = grid.iloc[header_row + 1:].set_axis(grid.iloc[header_row].astype(str).tolist(), axis=1)
    departments = departments[departments["Mã phiếu"].astype(str).str.startswith("SN-")]   # not the signature
    departments["year"] = pd.to_datetime(departments["Ngày khảo sát"]).dt.year
    departments = departments.rename(columns={f"Hài lòng yếu tố {k}": f"HL{k}" for k in range(1, 6)})
    cols = ["year"] + [f"HL{k}" for k in range(1, 6)]
    both = pd.concat([districts[cols], departments[cols]], ignore_index=True)
    for k in range(1, 6):
        both[f"HL{k}"] = both[f"HL{k}"].map(_answer)
    return both


def test_demo_sipas_equals_a_count_of_the_generated_questionnaires(demo_db):
    # SIPAS = mean over the 5 elements of the share answering 4–5 to that element's satisfaction question,
    # pooled over the city's questionnaires of the year (surveys.md). Counted here from the files with pandas.
    from indicators import Period, compute_sipas
    answers = _demo_questionnaires(demo_db.parent / "files")
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        for year, published in ((2021, 0.8329), (2022, 0.8707)):
            rows = answers[answers["year"] == year]
            shares = [(rows[f"HL{k}"] >= 4).sum() / rows[f"HL{k}"].notna().sum() for k in range(1, 6)]
            expected = sum(shares) / 5
            got = compute_sipas(con, Period.year(year), by="unit")["total"]
            assert got["questionnaires"] == len(rows)
            assert got["sipas"] == pytest.approx(expected, abs=1e-12)
            assert round(expected, 4) == published   # the README's figure
    finally:
        con.close()
