"""Golden numerator, denominator and value for every indicator, counted by hand on 20 dossiers of March 2022."""
from __future__ import annotations

from datetime import date

import pytest

from indicators import Period, compute_indicator, compute_period_table
from etl.references.holidays import read_holidays
from indicators.definitions import INDICATOR_BY_ID
from tests.builders import MARCH, build_full_db, dossier

# The dossiers G01–G20, their units and the procedure catalogue are tests/builders.py FULL_DOSSIERS, FULL_UNITS,
# PROCEDURES and PROCEDURE_UNITS, each dossier with its hand count in a comment.

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


@pytest.mark.parametrize("indicator_id", ["on_time_rate", "paid_online_rate", "rating_satisfaction"])
def test_groups_without_their_history_keep_their_values_and_the_total_its_own(full_db, indicator_id):
    """compute_indicator(group_history=False), the cheaper query Hài lòng draws its rating panel from: every group's
    figures of the period and the whole total (its previous and last-year values included) as the full call gives
    them; only the groups' previous and last-year values are left out."""
    full = compute_indicator(full_db, indicator_id, MARCH, by="unit")
    slim = compute_indicator(full_db, indicator_id, MARCH, by="unit", group_history=False)
    assert slim["total"] == full["total"] and len(slim["rows"]) == len(full["rows"]) == 7
    for a, b in zip(slim["rows"], full["rows"]):
        assert a["previous_value"] is None and a["last_year_value"] is None
        assert {k: v for k, v in a.items() if k not in ("previous_value", "last_year_value")} == \
            {k: v for k, v in b.items() if k not in ("previous_value", "last_year_value")}
    assert any(r["previous_value"] is not None for r in full["rows"]) or indicator_id != "on_time_rate"


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
    """The shipped calendar (the `holidays` package with etl/vocab/holidays.csv), copied into `holidays` as a load
    does."""
    rows = read_holidays()
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
