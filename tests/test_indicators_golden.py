"""Golden period tables: ~17 hand-designed dossiers, expected figures counted by hand (one comment each)."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from indicators import INDICATORS, Period, UnknownUnitError, compute_indicator, compute_period_table

ROOT = Path(__file__).resolve().parents[1]
Q1 = Period(date(2022, 1, 1), date(2022, 3, 31))

UNITS = [  # code, name, level, parent
    ("HCM", "Thành phố Hồ Chí Minh", "province", None),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "HCM"),
    ("Q1", "UBND Quận 1", "district", "HCM"),
    ("P_BN", "UBND Phường Bến Nghé", "ward", "Q1"),
    ("BP_BN", "Bộ phận một cửa Phường Bến Nghé", "office", "P_BN"),   # a 4th level: no fixed depth
    ("P_DK", "UBND Phường Đa Kao", "ward", "Q1"),
    ("Q3", "UBND Quận 3", "district", "HCM"),
    ("P_Q3_1", "UBND Phường 1 Quận 3", "ward", "Q3"),
    ("CA", "Công an Thành phố", "vertical", "HCM"),
]

# code, unit, channel, received, due, finished, returned_at, status, result_type, supplement_count
DOSSIERS = [
    # D01 SKHDT: finished on the due day at a later hour → resolved on time (calendar dates compared)
    ("D01", "SKHDT", "online", "2022-01-10 09:00", "2022-01-20 08:00", "2022-01-20 16:30", None, 10, "result", 0),
    # D02 SKHDT: due date = P1, not finished → pending within deadline
    ("D02", "SKHDT", "direct", "2022-03-25 10:00", "2022-03-31 17:00", None, None, 4, None, 0),
    # D03 SKHDT: received in Dec 2021 (carried over), finished 4 Jan before due 5 Jan → resolved early
    ("D03", "SKHDT", "postal", "2021-12-20 08:00", "2022-01-05 17:00", "2022-01-04 10:00", None, 10, "result", 0),
    # D04 P_BN: withdrawn (status 7) in the period → returned
    ("D04", "P_BN", "direct", "2022-02-01 08:00", "2022-02-10 17:00", "2022-02-03 09:00", None, 7, None, 0),
    # D05 BP_BN (child of P_BN): stopped (status 8) → returned
    ("D05", "BP_BN", "online", "2022-02-05 08:00", "2022-02-15 17:00", "2022-02-06 09:00", None, 8, None, 0),
    # D06 P_BN: status 1 (only registered) → not counted anywhere
    ("D06", "P_BN", "direct", "2022-02-07 08:00", "2022-02-17 17:00", None, None, 1, None, 0),
    # D07 P_DK: status 3 (refused) → not counted anywhere
    ("D07", "P_DK", "direct", "2022-02-07 08:00", None, None, None, 3, None, 0),
    # D08 P_DK: finished before due but supplemented twice → resolved late
    ("D08", "P_DK", "online", "2022-01-15 08:00", "2022-02-15 17:00", "2022-02-10 09:00", None, 10, "result", 2),
    # D09 P_DK: finished_at missing, status 10, returned_at 9 Mar < due 10 Mar → resolved early
    ("D09", "P_DK", "direct", "2022-03-01 08:00", "2022-03-10 17:00", None, "2022-03-09 10:00", 10, "result", 0),
    # D10 Q1: not finished, due 15 Mar < P1 → pending overdue
    ("D10", "Q1", "direct", "2022-03-01 08:00", "2022-03-15 17:00", None, None, 4, None, 1),
    # D11 P_Q3_1: finished 8 Feb after due 5 Feb → resolved late
    ("D11", "P_Q3_1", "direct", "2022-02-01 08:00", "2022-02-05 17:00", "2022-02-08 08:00", None, 10, "result", 0),
    # D12 P_Q3_1: closed in Dec 2021, before P0 → not counted
    ("D12", "P_Q3_1", "online", "2021-11-01 08:00", "2021-11-20 17:00", "2021-12-15 08:00", None, 10, "result", 0),
    # D13 Q3: received after P1 → not counted
    ("D13", "Q3", "online", "2022-04-02 08:00", "2022-04-10 17:00", None, None, 4, None, 0),
    # D14 CA: carried over, status NULL and no finish → in progress, due 10 Jan < P1 → pending overdue
    ("D14", "CA", "direct", "2021-12-28 08:00", "2022-01-10 17:00", None, None, None, None, 0),
    # D15 CA: status NULL, no due date, finished the day received → resolved on time, same day
    ("D15", "CA", "direct", "2022-01-03 08:00", None, "2022-01-03 14:00", None, None, None, 0),
    # D16 SKHDT: finished 2 Apr, after P1 → still pending at P1, due 5 Apr ≥ P1 → within
    ("D16", "SKHDT", "online", "2022-03-30 08:00", "2022-04-05 17:00", "2022-04-02 08:00", None, 10, "result", 0),
    # D17 Q1: status 9 with result "Trả lại/Xin rút" → returned
    ("D17", "Q1", "online", "2022-01-20 08:00", "2022-01-25 17:00", "2022-01-24 08:00", None, 9, "returned", 0),
]

COLS = ["carried_over", "received_new", "received_online", "received_direct", "received_postal",
        "total_to_handle", "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned",
        "pending", "pending_within", "pending_overdue"]


def _row(*values):
    return dict(zip(COLS, values))


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


def build_db(path: Path | str, units=UNITS, dossiers=DOSSIERS) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.executemany("INSERT INTO units (unit_code, unit_name, level, parent_code) VALUES (?, ?, ?, ?)", units)
    if dossiers:
        con.executemany(
            "INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at, due_at, finished_at,"
            " returned_at, status_code, result_type, supplement_count, snapshot_date, import_id, row_number, row_hash)"
            " VALUES ('test', ?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?,"
            " DATE '2022-12-31', 1, 1, 0)",
            [(d[0], d[1], d[1], *d[2:]) for d in dossiers])
    return con


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
    return {c: row[c] for c in COLS}


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
    assert {k: data["total"][k] for k in COLS} == EXPECTED_TOTAL
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
