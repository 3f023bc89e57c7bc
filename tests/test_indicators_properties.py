"""Property tests: the §1 identities hold for random dossiers and periods; districts are the sum of their wards."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from indicators import Period, compute_period_table
from tests.builders import COUNT_COLUMNS, PROPERTY_UNITS, build_db, dossier_rows, random_dossier

WARD_OF = {"D1": ["W11", "W12"], "D2": ["W21"]}
BASE = date(2022, 1, 1)   # dossier_rows receives from this day on


@settings(max_examples=40, deadline=None)
@given(raw=st.lists(random_dossier, max_size=40), start=st.integers(0, 100), length=st.integers(0, 60))
def test_identities_and_district_sums(raw, start, length):
    con = build_db(":memory:", units=PROPERTY_UNITS, dossiers=dossier_rows(raw))
    try:
        period = Period(BASE + timedelta(days=start), BASE + timedelta(days=start + length))
        by_unit = compute_period_table(con, period, by="unit")
        by_district = compute_period_table(con, period, by="district")
        for r in by_unit["rows"] + [by_unit["total"]]:
            assert r["carried_over"] + r["received_new"] == r["resolved"] + r["returned"] + r["pending"]
            assert r["total_to_handle"] == r["carried_over"] + r["received_new"]
            assert r["received_new"] == r["received_online"] + r["received_direct"] + r["received_postal"]
            assert r["resolved"] == r["resolved_early"] + r["resolved_on_time"] + r["resolved_late"]
            assert r["pending"] == r["pending_within"] + r["pending_overdue"]
            for rate in ("on_time_rate", "online_rate", "backlog_on_time_rate", "progress_766"):
                assert r[rate] is None or 0 <= r[rate] <= 1
        units = {r["key"]: r for r in by_unit["rows"]}
        districts = {r["key"]: r for r in by_district["rows"]}
        for d, wards in WARD_OF.items():
            for c in COUNT_COLUMNS:
                expected = sum(units[w][c] for w in wards if w in units)
                assert (districts[d][c] if d in districts else 0) == expected, (d, c)
        for c in COUNT_COLUMNS:
            assert by_unit["total"][c] == by_district["total"][c] == sum(r[c] for r in by_unit["rows"])
        by_month = compute_period_table(con, period, by="month")
        assert {c: by_month["total"][c] for c in COUNT_COLUMNS} == {c: by_unit["total"][c] for c in COUNT_COLUMNS}
    finally:
        con.close()
