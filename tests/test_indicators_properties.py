"""Property tests: the §1 identities hold for random dossiers and periods; districts are the sum of their wards."""
from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings, strategies as st

from indicators import Period, compute_period_table  # noqa: E402
sys.path.insert(0, str(Path(__file__).parent))
from test_indicators_golden import build_db  # noqa: E402  (shared fixture builder)

UNITS = [
    ("CITY", "Thành phố", "province", None),
    ("D1", "Quận Một", "district", "CITY"),
    ("W11", "Phường 1-1", "ward", "D1"),
    ("W12", "Phường 1-2", "ward", "D1"),
    ("D2", "Quận Hai", "district", "CITY"),
    ("W21", "Phường 2-1", "ward", "D2"),
    ("DEP", "Sở", "department", "CITY"),
]
WARD_OF = {"D1": ["W11", "W12"], "D2": ["W21"]}
BASE = date(2022, 1, 1)

_dossier = st.tuples(
    st.sampled_from(["W11", "W12", "W21", "DEP"]),
    st.sampled_from(["direct", "online", "postal"]),
    st.integers(0, 120),                       # received day offset
    st.one_of(st.none(), st.integers(0, 30)),  # due after receipt (days)
    st.one_of(st.none(), st.integers(-2, 40)),  # finished after receipt (days; negative = bad data)
    st.one_of(st.none(), st.integers(0, 40)),  # returned_at after receipt
    st.one_of(st.none(), st.integers(1, 10)),  # status
    st.sampled_from([None, "result", "returned"]),
    st.one_of(st.none(), st.integers(0, 3)),   # supplement_count
    st.integers(0, 23),                        # hour
)


def _rows(raw):
    out = []
    for i, (unit, ch, r, due, fin, ret, status, rt, sup, h) in enumerate(raw):
        rec = datetime(2022, 1, 1, 8) + timedelta(days=r)
        ts = lambda k: None if k is None else (rec + timedelta(days=k, hours=h - 8)).isoformat(sep=" ")  # noqa: E731
        out.append((f"X{i}", unit, ch, rec.isoformat(sep=" "), ts(due), ts(fin), ts(ret), status, rt, sup))
    return out


COLS = ["carried_over", "received_new", "received_online", "received_direct", "received_postal",
        "total_to_handle", "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned",
        "pending", "pending_within", "pending_overdue"]


@settings(max_examples=40, deadline=None)
@given(raw=st.lists(_dossier, max_size=40), start=st.integers(0, 100), length=st.integers(0, 60))
def test_identities_and_district_sums(raw, start, length):
    con = build_db(":memory:", units=UNITS, dossiers=_rows(raw))
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
            for c in COLS:
                expected = sum(units[w][c] for w in wards if w in units)
                assert (districts[d][c] if d in districts else 0) == expected, (d, c)
        for c in COLS:
            assert by_unit["total"][c] == by_district["total"][c] == sum(r[c] for r in by_unit["rows"])
        by_month = compute_period_table(con, period, by="month")
        assert {c: by_month["total"][c] for c in COLS} == {c: by_unit["total"][c] for c in COLS}
    finally:
        con.close()
