"""Golden numerator, denominator and value for every indicator, counted by hand on 20 dossiers of March 2022."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from indicators import Period, compute_indicator, compute_period_table
from indicators.definitions import INDICATOR_BY_ID

ROOT = Path(__file__).resolve().parents[1]
MARCH = Period(date(2022, 3, 1), date(2022, 3, 31))   # no public holiday in March 2022, none 14/2–31/3 either

UNITS = [  # code, name, level, parent, valid_to
    ("TP", "Thành phố Đà Nẵng", "province", None, None),
    ("SO_A", "Sở Tư pháp", "department", "TP", None),
    ("SO_B", "Sở Xây dựng", "department", "TP", None),
    ("H1", "UBND Huyện Hòa Vang", "district", "TP", None),
    ("X1", "UBND Xã Hòa Bắc", "commune", "H1", None),
    ("X2", "UBND Phường Hòa Khánh", "ward", "H1", None),
    ("X3", "UBND Xã Hòa Liên (cũ)", "commune", "H1", "2021-12-31"),   # merged before 2022: not in the catalogue
    ("H2", "UBND Quận Hải Châu", "district", "TP", None),
]
PROCEDURES = [  # code, name, field, online level
    ("TT1", "Đăng ký doanh nghiệp", "Đầu tư", "full"),
    ("TT2", "Đăng ký khai sinh", "Hộ tịch", "partial"),
    ("TT3", "Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai", "none"),
]
# The catalogue: SO_A publishes TT1 TT2 TT3 (2 online of 3); SO_B TT1 TT3 (1 of 2); every ward TT2 TT3
# (X2: 1 of 2); every commune TT2 (X1: 1 of 1; X3 no longer valid) → 5 online of 8 in the city.
PROCEDURE_UNITS = [("TT1", "SO_A"), ("TT2", "SO_A"), ("TT3", "SO_A"), ("TT1", "SO_B"), ("TT3", "SO_B"),
                   ("TT2", "ward"), ("TT3", "ward"), ("TT2", "commune")]

_FIELDS = ("dossier_code", "unit_code", "channel", "received_at", "due_at", "finished_at", "returned_at",
           "status_code", "supplement_count", "procedure_code", "procedure_name", "online_level", "field_name",
           "fee_amount", "is_paid_online", "is_digitized", "has_e_result", "is_data_reused", "is_synced_national",
           "is_apology_issued", "rating", "result_type")


def dossier(code, unit, channel, received, due, finished, status, *, returned=None, sup=0, proc=None, proc_name=None,
            level=None, field=None, fee=None, paid=None, dig=None, e=None, reuse=None, sync=None, apology=None,
            rating=None, result=None) -> dict:
    return dict(zip(_FIELDS, (code, unit, channel, received, due, finished, returned, status, sup, proc, proc_name,
                              level, field, fee, paid, dig, e, reuse, sync, apology, rating, result)))


# Weekdays, March 2022: Tue 1, Fri 4, Mon 7, Fri 11, Mon 14, Fri 18, Mon 21, Fri 25, Mon 28, Thu 31. "wd" = the
# Monday–Friday days in (received, F], the avg_days count.
DOSSIERS = [
    # G01 SO_A: F 8/3 < due 10/3 → resolved early. wd (1/3, 8/3] = 2 3 4 7 8 = 5
    dossier("G01", "SO_A", "online", "2022-03-01 08:00", "2022-03-10 17:00", "2022-03-08 10:00", 10, proc="TT1",
            fee=50000, paid=True, dig=True, e=True, reuse=True, sync=True, rating="very_satisfied"),
    # G02 SO_A: F 4/3 16:00 = due 4/3 17:00 as dates → on time. wd (2/3, 4/3] = 3 4 = 2
    dossier("G02", "SO_A", "direct", "2022-03-02 09:00", "2022-03-04 17:00", "2022-03-04 16:00", 10, proc="TT1",
            fee=50000, paid=False, dig=True, e=False, reuse=False, sync=True, rating="satisfied"),
    # G03 SO_A: F 16/3 > due 14/3 → late by 2 days; field typed on the dossier beats the catalogue's; fee 0 paid
    # online is no fee at all. wd (7/3, 16/3] = 8 9 10 11 14 15 16 = 7
    dossier("G03", "SO_A", "online", "2022-03-07 08:00", "2022-03-14 17:00", "2022-03-16 09:00", 10, sup=1,
            proc="TT2", field="Chứng thực", fee=0, paid=True, dig=False, e=True, reuse=False, sync=True,
            apology=True, rating="neutral"),
    # G04 SO_A: F 23/3 before due 25/3 but sent back for papers twice → late (0 days past due). wd = 22 23 = 2
    dossier("G04", "SO_A", "direct", "2022-03-21 08:00", "2022-03-25 17:00", "2022-03-23 15:00", 10, sup=2,
            proc="TT3", dig=False, e=False, reuse=True, sync=False, apology=False, rating="dissatisfied"),
    # G05 SO_B: finished the day received → early and same day; TT3 offers nothing online but the dossier says
    # 'full' → eligible (the dossier's level beats the catalogue's). wd = 0
    dossier("G05", "SO_B", "online", "2022-03-10 09:00", "2022-03-15 17:00", "2022-03-10 15:00", 10, proc="TT3",
            level="full", fee=20000, paid=True, dig=True, e=True, reuse=False, sync=True, rating="very_satisfied"),
    # G06 SO_B: open, due 18/3 < P1 → pending overdue, 31 − 18 = 13 days; TT1 is 'full' but the dossier says
    # 'none' → not eligible
    dossier("G06", "SO_B", "direct", "2022-03-14 08:00", "2022-03-18 17:00", None, 4, proc="TT1", level="none",
            fee=30000, paid=False, dig=True, sync=False, apology=True),
    # G07 SO_B: open, due 5/4 ≥ P1 → pending within; no procedure code → not eligible
    dossier("G07", "SO_B", "postal", "2022-03-28 08:00", "2022-04-05 17:00", None, 2, proc_name="Thủ tục chưa có mã",
            sync=True),
    # G08 H1: received 14/2 (carried over), F 2/3 > due 28/2 → late by 2 days; fee paid online but received
    # before P0 → outside paid_online_rate. wd (14/2, 2/3] = 15–18 (4) + 21–25 (5) + 28 + 1 + 2 = 12
    dossier("G08", "H1", "direct", "2022-02-14 08:00", "2022-02-28 17:00", "2022-03-02 10:00", 10, proc="TT2",
            fee=10000, paid=True, e=False, apology=True, rating="satisfied"),
    # G09 H1: carried over, open, due 4/3 < P1 → pending overdue, 31 − 4 = 27 days
    dossier("G09", "H1", "online", "2022-02-21 08:00", "2022-03-04 17:00", None, 5, sup=1, proc="TT2", apology=False),
    # G10 X1: withdrawn (status 7) 17/3 → returned: its rating counts, its e-result does not (not resolved)
    dossier("G10", "X1", "online", "2022-03-15 08:00", "2022-03-22 17:00", "2022-03-17 09:00", 7, proc="TT1",
            fee=15000, paid=False, e=True, reuse=True, sync=True, rating="satisfied"),
    # G11 X1: no finished_at, status 9, returned_at 18/3 = due → F = 18/3, on time. wd = 17 18 = 2
    dossier("G11", "X1", "direct", "2022-03-16 08:00", "2022-03-18 17:00", None, 9, returned="2022-03-18 10:00",
            proc="TT3", e=True, rating="very_dissatisfied"),
    # G12 X1: status 1 (registered, not received) → counts nowhere, whatever its flags say
    dossier("G12", "X1", "direct", "2022-03-20 08:00", "2022-03-25 17:00", None, 1, proc="TT1", fee=10000,
            paid=True, dig=True, e=True, reuse=True, sync=True, apology=True, rating="very_satisfied"),
    # G13 X2: F 1/4 after P1 → pending within at P1 (due 2/4); rated, but the rating falls in April
    dossier("G13", "X2", "online", "2022-03-29 08:00", "2022-04-02 17:00", "2022-04-01 10:00", 10, proc="TT2",
            fee=10000, paid=True, dig=True, e=True, reuse=True, sync=True, rating="satisfied"),
    # G14 X2: status 3 (refused at reception) → counts nowhere
    dossier("G14", "X2", "direct", "2022-03-10 08:00", None, None, 3, proc="TT3", sync=True),
    # G15 X2: no due date → on time. wd (24/3, 25/3] = 1
    dossier("G15", "X2", "direct", "2022-03-24 08:00", None, "2022-03-25 10:00", 10, proc="TT2", rating="satisfied"),
    # G16 H2: closed 20/2, before P0 → not in March (late in Q1)
    dossier("G16", "H2", "online", "2022-01-05 08:00", "2022-01-15 17:00", "2022-02-20 08:00", 10, proc="TT1",
            fee=10000, paid=True, dig=True, e=True, reuse=True, sync=True, apology=True, rating="satisfied"),
    # G17 H2: received 1/4, after P1 → not in March
    dossier("G17", "H2", "direct", "2022-04-01 08:00", "2022-04-08 17:00", None, 2, proc="TT1", sync=True),
    # G18 H2: open, due 31/3 = P1 → pending within (overdue needs due < P1); its apology is not for lateness
    dossier("G18", "H2", "direct", "2022-03-25 08:00", "2022-03-31 17:00", None, 4, proc="TT2", apology=True),
    # G19 H2: F = due 11/3 → on time (one supplement is not late). wd (3/3, 11/3] = 4 7 8 9 10 11 = 6
    dossier("G19", "H2", "online", "2022-03-03 08:00", "2022-03-11 17:00", "2022-03-11 11:00", 10, sup=1,
            proc="TT1", e=True, sync=True),
    # G20 unit not in the catalogue (unmatched): in the city total only; F 15/3 > due 10/3 → late by 5 days;
    # online but TT3 offers nothing online → not eligible. wd (8/3, 15/3] = 9 10 11 14 15 = 5
    dossier("G20", None, "online", "2022-03-08 08:00", "2022-03-10 17:00", "2022-03-15 10:00", 10, proc="TT3"),
]

# §1 totals, March 2022. Counted: every dossier except G12 (status 1), G14 (status 3), G16 (closed in Feb) and
# G17 (received in April) → 16.
#   carried_over 2 (G08 G09); received_new 14 — online 7 (G01 G03 G05 G10 G13 G19 G20), postal 1 (G07),
#   direct 6 (G02 G04 G06 G11 G15 G18); total_to_handle 16;
#   closed in March: G01 G02 G03 G04 G05 G08 G10 G11 G15 G19 G20 → returned 1 (G10), resolved 10;
#   resolved early 2 (G01 G05), on time 4 (G02 G11 G15 G19), late 4 (G03 G04 G08 G20);
#   pending 5: overdue 2 (G06 G09), within 3 (G07 G13 G18). Check: 2 + 14 = 10 + 1 + 5.
EXPECTED_TOTAL = {"carried_over": 2, "received_new": 14, "received_online": 7, "received_direct": 6,
                  "received_postal": 1, "total_to_handle": 16, "resolved": 10, "resolved_early": 2,
                  "resolved_on_time": 4, "resolved_late": 4, "returned": 1, "pending": 5, "pending_within": 3,
                  "pending_overdue": 2}

# indicator id → (numerator, denominator, value), city total, March 2022.
GOLDEN = {
    # early + on time (G01 G05 | G02 G11 G15 G19) / resolved
    "on_time_rate": (6, 10, 6 / 10),
    # late (G03 G04 G08 G20) / resolved
    "late_rate": (4, 10, 4 / 10),
    # total_to_handle 16 − late 4 − pending overdue 2 = 10, over 16
    "backlog_on_time_rate": (10, 16, 10 / 16),
    # of the 14 received in March all but the late G03 G04 G20 and the overdue G06 → 10
    "progress_766": (10, 14, 10 / 14),
    # F on the day received: G05 only
    "same_day_rate": (1, 10, 1 / 10),
    # received online 7 / received 14
    "online_rate": (7, 14, 7 / 14),
    # eligible received (dossier level, else catalogue, full/partial): G01 G02 G03 G05 G10 G13 G15 G18 G19 = 9;
    # online among them: G01 G03 G05 G10 G13 G19 = 6 (G20 is online but TT3 offers nothing online)
    "online_rate_eligible": (6, 9, 6 / 9),
    # received with fee > 0: G01 G02 G05 G06 G10 G13 (G03 fee 0; G08 received in Feb); paid: G01 G05 G13
    "paid_online_rate": (3, 6, 3 / 6),
    # received and digitized: G01 G02 G05 G06 G13
    "digitized_rate": (5, 14, 5 / 14),
    # resolved with an e-result: G01 G03 G05 G11 G19 (G10 returned, G13 pending)
    "e_result_rate": (5, 10, 5 / 10),
    # received with data reused: G01 G04 G10 G13
    "data_reuse_rate": (4, 14, 4 / 14),
    # received and synced: G01 G02 G03 G05 G07 G10 G13 G19 (G14 refused)
    "sync_rate": (8, 14, 8 / 14),
    # late resolved G03 G04 G08 G20 + pending overdue G06 G09 = 6; with apology G03 G06 G08 (G18 is not late)
    "apology_rate": (3, 6, 3 / 6),
    # ratings of dossiers closed in March: G01 G02 G03 G04 G05 G08 G10 G11 G15 = 9 (G19 G20 unrated, G13 open);
    # satisfied or very: G01 G02 G05 G08 G10 G15 = 6
    "rating_satisfaction": (6, 9, 6 / 9),
    # working days of the 10 resolved: G01 5 + G02 2 + G03 7 + G04 2 + G05 0 + G08 12 + G11 2 + G15 1 + G19 6
    # + G20 5 = 42; 42 / 10 = 4.2 (no holiday crossed, so the value holds with or without a holiday calendar)
    "avg_days": (42, 10, 4.2),
    # catalogue: SO_A 2/3 + SO_B 1/2 + X2 1/2 + X1 1/1 (X3 expired) = 5 / 8
    "online_procedure_rate": (5, 8, 5 / 8),
}


def build_full_db(path, units=UNITS, dossiers=DOSSIERS) -> duckdb.DuckDBPyConnection:
    """A database with every dossier column the indicators read (the golden builder fills only the §1 ones)."""
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.executemany("INSERT INTO units (unit_code, unit_name, level, parent_code, valid_to) VALUES (?, ?, ?, ?, ?)",
                    units)
    con.executemany("INSERT INTO procedures (procedure_code, procedure_name, field_name, online_level) VALUES (?, ?, ?, ?)",
                    PROCEDURES)
    con.executemany("INSERT INTO procedure_units VALUES (?, ?)", PROCEDURE_UNITS)
    con.execute("INSERT INTO import_log VALUES (1, 'thang3.xlsx', '/tmp/thang3.xlsx', 'x', 'dossiers', 'test', 'Sheet1',"
                " 5, DATE '2022-04-05', 20, 20, 0, 0, 0, 0, [], [], TIMESTAMP '2022-04-05 10:00', 1.0)")
    cols = ", ".join(_FIELDS)
    marks = ", ".join("?" for _ in _FIELDS)
    con.executemany(
        f"INSERT INTO dossiers (source, unit_text, snapshot_date, import_id, row_number, row_hash, {cols})"
        f" VALUES ('test', ?, DATE '2022-04-05', 1, ?, 0, {marks})",
        [(d["unit_code"] or "Phường Hòa Lạ (chưa khớp)", i + 6, *d.values()) for i, d in enumerate(dossiers)])
    return con


@pytest.fixture()
def full_db(tmp_path):
    con = build_full_db(tmp_path / "golden_all.duckdb")
    yield con
    con.close()


def test_every_indicator_has_a_golden_value():
    missing = sorted(set(INDICATOR_BY_ID) - set(GOLDEN))
    assert not missing, f"indicators with no golden value: {missing}"
    assert not set(GOLDEN) - set(INDICATOR_BY_ID), "golden values for unknown indicators"
    for ind in INDICATOR_BY_ID.values():
        assert ind.description_vi.strip(), f"{ind.id} has no description"


def test_period_columns_march(full_db):
    total = compute_period_table(full_db, MARCH, by="unit")["total"]
    assert {c: total[c] for c in EXPECTED_TOTAL} == EXPECTED_TOTAL


@pytest.mark.parametrize("indicator_id", sorted(GOLDEN))
def test_golden_indicator(full_db, indicator_id):
    num, den, value = GOLDEN[indicator_id]
    res = compute_indicator(full_db, indicator_id, MARCH, by="unit")["total"]
    assert (res["numerator"], res["denominator"]) == (num, den)
    assert res["value"] == pytest.approx(value)
    assert compute_period_table(full_db, MARCH, by="unit")["total"][indicator_id] == pytest.approx(value)


def test_golden_per_unit(full_db):
    rows = {r["key"]: r for r in compute_period_table(full_db, MARCH, by="unit")["rows"]}
    assert set(rows) == {"SO_A", "SO_B", "H1", "X1", "X2", "H2", None}   # TP: nothing to handle → no row
    # on time: SO_A G01 G02 of G01–G04; SO_B G05; H1 G08 late; X1 G11 (G10 returned); X2 G15; H2 G19; None G20 late
    assert {k: r["on_time_rate"] for k, r in rows.items()} == pytest.approx(
        {"SO_A": 0.5, "SO_B": 1.0, "H1": 0.0, "X1": 1.0, "X2": 1.0, "H2": 1.0, None: 0.0})
    # fee > 0 received in March: SO_A G01 paid, G02 not; SO_B G05 paid, G06 not; X1 G10 not; X2 G13 paid;
    # H1, H2 and the unmatched unit have none → no value
    assert {k: r["paid_online_rate"] for k, r in rows.items()} == pytest.approx(
        {"SO_A": 0.5, "SO_B": 0.5, "H1": None, "X1": 0.0, "X2": 1.0, "H2": None, None: None})


# --- avg_days across the 2022 National Day holiday ------------------------------------------------------------
SEPTEMBER = Period(date(2022, 9, 1), date(2022, 9, 30))
HOLIDAY_DOSSIERS = [
    # H01 received Wed 31/8, finished Tue 6/9: Mon–Fri days in (31/8, 6/9] = Thu 1/9, Fri 2/9, Mon 5/9, Tue 6/9
    # = 4; minus the National Day days off Thu 1/9 and Fri 2/9 (2022) → 2 working days
    dossier("H01", "SO_A", "direct", "2022-08-31 08:00", "2022-09-08 17:00", "2022-09-06 10:00", 10),
    # H02 received Mon 12/9, finished Fri 16/9: 13 14 15 16 = 4 working days, no holiday
    dossier("H02", "SO_A", "direct", "2022-09-12 08:00", "2022-09-20 17:00", "2022-09-16 10:00", 10),
]


def test_avg_days_without_holiday(tmp_path):
    con = build_full_db(tmp_path / "h.duckdb", dossiers=HOLIDAY_DOSSIERS[1:])
    res = compute_indicator(con, "avg_days", SEPTEMBER)["total"]
    assert (res["numerator"], res["denominator"], res["value"]) == (4, 1, 4.0)   # H02: 4 / 1


def _load_holiday_calendar(con) -> None:
    """The shipped calendar (etl/vocab/holidays.csv), copied into `holidays` as a load does."""
    with open(ROOT / "etl" / "vocab" / "holidays.csv", encoding="utf-8-sig", newline="") as f:
        rows = [(r["holiday_date"], r["name"]) for r in csv.DictReader(f) if r.get("holiday_date")]
    assert {"2022-09-01", "2022-09-02"} <= {d for d, _ in rows}, "the 2022 National Day days off are missing"
    con.executemany("INSERT INTO holidays VALUES (?::DATE, ?)", rows)


def test_avg_days_subtracts_national_day_2022(tmp_path):
    """The value after the holiday calendar: H01 crosses Thu 1/9 and Fri 2/9/2022, both days off."""
    con = build_full_db(tmp_path / "h.duckdb", dossiers=HOLIDAY_DOSSIERS)
    _load_holiday_calendar(con)
    res = compute_indicator(con, "avg_days", SEPTEMBER)["total"]
    # H01 2 + H02 4 = 6 working days over 2 resolved → 3.0 (without the holidays: (4 + 4) / 2 = 4.0)
    assert (res["numerator"], res["denominator"]) == (6, 2)
    assert res["value"] == pytest.approx(3.0)
