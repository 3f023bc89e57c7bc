"""Golden period tables: ~17 hand-designed dossiers, expected figures counted by hand (one comment each)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from indicators import INDICATORS, UnknownUnitError, compute_indicator, compute_period_table
from tests.builders import COUNT_COLUMNS, Q1, ROOT, build_db

# The dossiers D01–D17 and their units are tests/builders.py GOLDEN_DOSSIERS and GOLDEN_UNITS, one comment each.


def _row(*values):
    return dict(zip(COUNT_COLUMNS, values))


#                       car new onl dir pos tot res ear ont lat ret pen wit ove
EXPECTED_BY_UNIT = {
    "SKHDT":  _row(1, 3, 2, 1, 0, 4, 2, 1, 1, 0, 0, 2, 2, 0),   # D03 | D01 D02 D16
    "P_BN":   _row(0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0),   # D04
    "BP_BN":  _row(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0),   # D05
    "P_DK":   _row(0, 2, 1, 1, 0, 2, 2, 1, 0, 1, 0, 0, 0, 0),   # D08 late, D09 early
    "Q1":     _row(0, 2, 1, 1, 0, 2, 0, 0, 0, 0, 1, 1, 0, 1),   # D10 overdue, D17 returned
    "P_Q3_1": _row(0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0),   # D11 late
    "CA":     _row(1, 1, 0, 1, 0, 2, 1, 0, 1, 0, 0, 1, 0, 1),   # D14 | D15
}
EXPECTED_TOTAL = _row(2, 11, 5, 6, 0, 13, 6, 2, 2, 2, 3, 4, 2, 2)
EXPECTED_BY_DISTRICT = {
    "Q1": _row(0, 6, 3, 3, 0, 6, 2, 1, 0, 1, 3, 1, 0, 1),   # Q1 + P_BN + BP_BN + P_DK
    "Q3": _row(0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0),   # P_Q3_1
    None: _row(2, 4, 2, 2, 0, 6, 3, 1, 2, 0, 0, 3, 2, 1),   # SKHDT + CA: outside any district
}


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "golden.duckdb"
    con = build_db(path)
    con.execute("INSERT INTO targets VALUES (2022, 'all', 'on_time_rate', '>', 0.99, 'KH CCHC 2022'),"
                " (2022, 'district', 'on_time_rate', '>=', 0.5, 'test'), (2022, 'Q3', 'on_time_rate', '>=', 0.0, 'test')")
    con.execute("INSERT INTO procedures VALUES ('P1', 'TTHC 1', 'Đầu tư', 'full', 10, true, true),"
                " ('P2', 'TTHC 2', 'Đầu tư', 'partial', 5, false, false), ('P3', 'TTHC 3', 'Hộ tịch', 'none', 3, false, false)")
    # SKHDT publishes P1, P2 and P3; every ward publishes P3 (a catalogue row naming a level).
    con.execute("INSERT INTO procedure_units VALUES ('P1', 'SKHDT'), ('P2', 'SKHDT'), ('P3', 'SKHDT'), ('P3', 'ward')")
    yield con, path
    con.close()


def _counts(row):
    return {c: row[c] for c in COUNT_COLUMNS}


def test_period_table_by_unit(db):
    con, _ = db
    t = compute_period_table(con, Q1, by="unit")
    assert {r["key"]: _counts(r) for r in t["rows"]} == EXPECTED_BY_UNIT
    assert _counts(t["total"]) == EXPECTED_TOTAL
    tot = t["total"]
    assert tot["on_time_rate"] == pytest.approx(4 / 6)          # D01 D03 D09 D15 of 6 resolved
    assert tot["late_rate"] == pytest.approx(2 / 6)             # D08 D11
    assert tot["backlog_on_time_rate"] == pytest.approx(9 / 13)  # 13 − (2 late + 2 overdue)
    assert tot["progress_766"] == pytest.approx(8 / 11)         # all received except D08 D10 D11
    assert tot["same_day_rate"] == pytest.approx(1 / 6)         # D15
    assert tot["online_rate"] == pytest.approx(5 / 11)
    skhdt = next(r for r in t["rows"] if r["key"] == "SKHDT")
    assert skhdt["name"] == "Sở Kế hoạch và Đầu tư"
    assert (skhdt["procedure_count"], skhdt["online_procedures_full"], skhdt["online_procedures_partial"]) == (3, 1, 1)
    assert skhdt["online_procedure_rate"] == pytest.approx(2 / 3)
    p_bn = next(r for r in t["rows"] if r["key"] == "P_BN")
    assert p_bn["on_time_rate"] is None                         # nothing resolved: no value, never 0 %
    assert p_bn["procedure_count"] == 1                         # via the 'ward' catalogue row
    assert tot["procedure_count"] == 3 + 3                      # SKHDT 3 + three wards × P3


def test_period_table_by_district(db):
    con, _ = db
    t = compute_period_table(con, Q1, by="district")
    assert {r["key"]: _counts(r) for r in t["rows"]} == EXPECTED_BY_DISTRICT
    assert _counts(t["total"]) == EXPECTED_TOTAL
    assert [r["name"] for r in t["rows"]] == ["UBND Quận 1", "UBND Quận 3", "(Không thuộc cấp huyện)"]


def test_scope_is_the_subtree(db):
    con, _ = db
    for unit in ("Q1", "ubnd quan 1"):   # code or name, accents and case ignored
        t = compute_period_table(con, Q1, by="unit", unit=unit)
        assert {r["key"] for r in t["rows"]} == {"Q1", "P_BN", "BP_BN", "P_DK"}
        assert _counts(t["total"]) == EXPECTED_BY_DISTRICT["Q1"]
    with pytest.raises(UnknownUnitError, match="Quận 13"):
        compute_period_table(con, Q1, unit="Quận 13")


def test_month_rows_are_monthly_tables(db):
    con, _ = db
    t = compute_period_table(con, Q1, by="month")
    assert [r["key"] for r in t["rows"]] == ["2022-01", "2022-02", "2022-03"]
    assert _counts(t["total"]) == EXPECTED_TOTAL
    for r in t["rows"]:
        assert r["carried_over"] + r["received_new"] == r["resolved"] + r["returned"] + r["pending"]
    jan, feb, mar = t["rows"]
    assert sum(r["received_new"] for r in t["rows"]) == EXPECTED_TOTAL["received_new"]
    assert feb["carried_over"] == jan["pending"] and mar["carried_over"] == feb["pending"]


def test_compute_indicator_targets(db):
    con, _ = db
    res = compute_indicator(con, "on_time_rate", Q1, by="district")
    rows = {r["key"]: r for r in res["rows"]}
    q1 = rows["Q1"]
    assert (q1["numerator"], q1["denominator"], q1["value"]) == (1, 2, 0.5)
    assert (q1["comparator"], q1["target"], q1["is_met"]) == (">=", 0.5, True)   # level 'district' target
    assert q1["gap_points"] == pytest.approx(0.0)
    assert rows["Q3"]["target"] == 0.0 and rows["Q3"]["is_met"] is True          # unit target beats level
    tot = res["total"]
    assert (tot["comparator"], tot["target"], tot["is_met"]) == (">", 0.99, False)  # 'all'
    assert tot["gap_points"] == pytest.approx((4 / 6 - 0.99) * 100)
    assert tot["previous_value"] == 0.0                      # Q4 2021: only D12, closed 15 Dec after due 20 Nov
    assert tot["last_year_value"] is None                    # Q1 2021: nothing


def test_cli_json_csv_xlsx(db, tmp_path):
    con, path = db
    con.close()
    base = [sys.executable, "-m", "indicators", "table", "--db", str(path), "--from", "2022-01-01", "--to", "2022-03-31"]
    out = subprocess.run(base + ["--by", "district"], capture_output=True, text=True, cwd=ROOT, check=True)
    data = json.loads(out.stdout)
    assert set(data) >= {"from", "to", "by", "rows", "total"}
    assert {k: data["total"][k] for k in COUNT_COLUMNS} == EXPECTED_TOTAL
    csv_out = subprocess.run(base + ["--format", "csv"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert csv_out.stdout.splitlines()[0].startswith("key,name,carried_over")
    xlsx = tmp_path / "t.xlsx"
    subprocess.run(base + ["--format", "xlsx", "--out", str(xlsx)], cwd=ROOT, check=True)
    from openpyxl import load_workbook
    ws = load_workbook(xlsx).active
    assert ws["C4"].value == "Số hồ sơ nhận giải quyết"
    total_row = [r for r in ws.iter_rows(values_only=True) if r[1] == "Tổng cộng"][0]
    assert total_row[2] == 13 and total_row[3] == 2
    assert ws.page_setup.orientation == "landscape"
    bad = subprocess.run(base + ["--unit", "Quận 13"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "Quận 13" in bad.stderr


def test_every_definition_has_a_description():
    for ind in INDICATORS:
        assert ind.description_vi.strip(), ind.id
        assert ind.name_vi and ind.name_en and ind.direction in ("higher", "lower")
