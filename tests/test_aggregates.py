"""The pre-aggregated tables give exactly the raw computation's figures, for random data and for the sample."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

from etl.references.holidays import write_calendar
from indicators import Period, compute_indicator, compute_period_table
from model.aggregates import SUMMED_TABLES, _events_sql, build_aggregates, field_day_follows_cells, signed_facts_sql
from model.freshness import aggregates_are_fresh
from indicators.engine import GROUPINGS
from tests.builders import (PROPERTY_PROCEDURES, PROPERTY_UNITS, empty_db,   # a city, two districts with wards, a department
                            full_dossier_times, random_full_dossier)

BASE = date(2022, 1, 1)

def _build(dossiers: list[dict]) -> duckdb.DuckDBPyConnection:
    con = empty_db(":memory:")
    con.executemany("INSERT INTO units (unit_code, unit_name, level, parent_code) VALUES (?, ?, ?, ?)",
                    PROPERTY_UNITS)
    con.executemany("INSERT INTO procedures (procedure_code, procedure_name, field_name, online_level) VALUES (?, ?, ?, ?)",
                    [(c, f"Thủ tục {c}", f, lvl) for c, f, lvl in PROPERTY_PROCEDURES])
    write_calendar(con)   # the holidays and the worked weekend days, as a load writes them
    rows = []
    for i, d in enumerate(dossiers):
        unit_code = None if d["unit"] == "NOPE" else d["unit"]
        rows.append((f"X{i}", d["unit"], unit_code, d["procedure"], d["field"], d["channel"], d["online_level"],
                     *full_dossier_times(d), d["status"], d["result_type"], d["supplements"], d["fee"], *d["flags"],
                     d["rating"]))
    if rows:
        con.executemany("""INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, procedure_code, field_name,
            channel, online_level, received_at, due_at, finished_at, returned_at, status_code, result_type,
            supplement_count, fee_amount, is_paid_online, is_digitized, has_e_result, is_data_reused,
            is_synced_national, is_apology_issued, rating, snapshot_date, import_id, row_number, row_hash)
            VALUES ('t', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, DATE '2022-12-31', 1, 1, 0)""",
                        rows)
    return con


def _assert_routes_agree(con, period: Period, by: str, unit=None, field=None):
    raw = compute_period_table(con, period, by=by, unit=unit, field=field, route="raw")
    for route in ("aggregate:join", "aggregate:direct", "aggregate:running", "aggregate:single"):   # every strategy of the aggregate route
        agg = compute_period_table(con, period, by=by, unit=unit, field=field, route=route)
        assert agg == raw, (route, str(period), by, unit, field)


@settings(max_examples=60, deadline=None)
@given(dossiers=st.lists(random_full_dossier, max_size=50), start=st.integers(-10, 100), length=st.integers(0, 70),
       by=st.sampled_from(GROUPINGS), scope=st.sampled_from([None, "D1", "W11"]), field=st.sampled_from([None, "Đất đai"]))
def test_aggregate_route_equals_raw_route(dossiers, start, length, by, scope, field):
    con = _build(dossiers)
    try:
        build_aggregates(con)
        period = Period(BASE + timedelta(days=start), BASE + timedelta(days=start + length))
        _assert_routes_agree(con, period, by, scope, field)
        raw = compute_indicator(con, "progress_766", period, by=by, unit=scope, field=field, route="raw")
        for route in ("aggregate:join", "aggregate:direct", "aggregate:running", "aggregate:single"):
            assert compute_indicator(con, "progress_766", period, by=by, unit=scope, field=field, route=route) == raw
    finally:
        con.close()


@settings(max_examples=40, deadline=None)
@given(dossiers=st.lists(random_full_dossier, max_size=40))
def test_full_build_cells_equal_event_grouping(dossiers):
    """The full build groups receipt-day and closing-day measures apart and joins them on a hashed cell key; the
    loads that change a few dossiers group one event row per receipt and per closing (model/aggregates.py
    _events_sql). Both give the same agg_cells, row for row, NULL sums (a rating IN (…) of no rating) included."""
    con = _build(dossiers)
    try:
        build_aggregates(con)
        con.execute(f"CREATE TEMP TABLE _f AS {signed_facts_sql('dossiers')}")
        events = SUMMED_TABLES["agg_cells"].grouped_sql(f"({_events_sql('_f')})")
        _assert_same_rows(con, "agg_cells", f"({events})")
    finally:
        con.close()


@settings(max_examples=40, deadline=None)
@given(dossiers=st.lists(random_full_dossier, max_size=40))
def test_full_build_field_day_equals_grouped_cells(dossiers):
    """The full build copies the cells of a sector and procedure only one unit handles into agg_field_day and
    groups the others; the table is every cell summed over the units, as the loads that change a few dossiers
    append it (random units: pairs of one unit, of several, of an unknown unit)."""
    con = _build(dossiers)
    try:
        build_aggregates(con)
        _assert_same_rows(con, "agg_field_day", f"({SUMMED_TABLES['agg_field_day'].grouped_sql('agg_cells')})")
    finally:
        con.close()


def _field_day_kind(con) -> str:
    """'view' or 'table', read from DuckDB's catalogue (not from the code under test)."""
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'agg_field_day'").fetchall()[0][0]
    tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'agg_field_day'").fetchall()[0][0]
    assert views + tables == 1
    return "view" if views else "table"


@pytest.mark.parametrize("units, kind", [(["NOPE", "NOPE", "NOPE"], "view"),    # no unit in the catalogue
                                         (["W11", "W11", "W11"], "view"),       # one unit's export
                                         (["W11", "W21", "NOPE"], "table")])    # a pair handled by three units
def test_field_day_is_a_view_of_the_cells_when_no_pair_is_shared(units, kind):
    """Every sector and procedure handled by one unit: agg_field_day shows agg_cells's rows with the unit left out
    instead of copying them; a pair several units share makes it a table of its own. Either way its rows are the
    cells summed over the units and the city-wide sector and procedure figures are the raw route's."""
    base = {"channel": "online", "online_level": None, "received": 3, "hour": 9, "due": 8, "finished": 6,
            "returned": None, "status": 10, "result_type": None, "supplements": 0, "procedure": "P1",
            "field": "Đất đai", "fee": None, "flags": [False] * 6, "rating": None}
    con = _build([{**base, "unit": unit, "received": 3 + i} for i, unit in enumerate(units)])
    try:
        build_aggregates(con)
        assert _field_day_kind(con) == kind
        assert field_day_follows_cells(con) == (kind == "view")
        _assert_same_rows(con, "agg_field_day", f"({SUMMED_TABLES['agg_field_day'].grouped_sql('agg_cells')})")
        assert con.execute("SELECT count(*) FROM agg_field_day WHERE unit_code IS NOT NULL").fetchall()[0][0] == 0
        for by, field in (("field", None), ("procedure", None), ("procedure", "Đất đai")):
            _assert_routes_agree(con, Period(BASE, BASE + timedelta(days=30)), by, field=field)
        build_aggregates(con)   # built again over the view or the table of the first build
        assert _field_day_kind(con) == kind
    finally:
        con.close()


def _assert_same_rows(con, a: str, b: str) -> None:
    """Same rows, each as many times, NULLs included."""
    for one, other in ((a, b), (b, a)):
        assert con.execute(f"SELECT count(*) FROM (SELECT * FROM {one} EXCEPT ALL SELECT * FROM {other})").fetchall()[0][0] == 0
    assert con.execute(f"SELECT count(*) FROM {a}").fetchall()[0][0] == con.execute(f"SELECT count(*) FROM {b}").fetchall()[0][0]


def test_stale_aggregates_are_not_used():
    """A dossier added after the build makes the tables stale; 'auto' then counts from the dossiers."""
    con = _build([{"unit": "W11", "channel": "online", "received": 5, "hour": 9, "due": 3, "finished": 1,
                   "returned": None, "status": 10, "result_type": "result", "supplements": 0, "procedure": "P1",
                   "field": None, "online_level": None, "fee": None, "flags": [False] * 6, "rating": None}])
    build_aggregates(con)
    assert aggregates_are_fresh(con)
    con.execute("""INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at,
                   snapshot_date, import_id, row_number, row_hash)
                   VALUES ('t', 'NEW', 'W11', 'W11', 'direct', TIMESTAMP '2022-01-10 08:00', DATE '2022-12-31', 1, 2, 0)""")
    assert not aggregates_are_fresh(con)
    table = compute_period_table(con, Period.month(2022, 1), by="unit")
    assert table["total"]["received_new"] == 2


def test_holidays_are_not_working_days():
    """Received Wed 31/8/2022, finished Tue 6/9/2022: Thu 1/9 … Tue 6/9 holds Thu 1, Fri 2, Mon 5, Tue 6 as
    Monday–Friday days; 1/9 and 2/9 were public holidays in 2022, so 2 working days."""
    con = _build([{"unit": "W11", "channel": "direct", "received": 242, "hour": 9, "due": 10, "finished": 6,
                   "returned": None, "status": 10, "result_type": "result", "supplements": 0, "procedure": None,
                   "field": None, "online_level": None, "fee": None, "flags": [False] * 6, "rating": None}])
    assert (BASE + timedelta(days=242)) == date(2022, 8, 31)
    build_aggregates(con)
    for route in ("raw", "aggregate"):
        total = compute_period_table(con, Period.month(2022, 9), by="unit", route=route)["total"]
        assert total["avg_days"] == 2.0, route


@pytest.fixture(scope="module")
def demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("period", [Period.half(2022, 1), Period(date(2022, 2, 13), date(2022, 8, 1)),
                                    Period.month(2022, 12)], ids=str)
def test_sample_aggregates_equal_raw(demo, period):
    assert aggregates_are_fresh(demo), "the sample command must leave the aggregate tables up to date"
    for by in GROUPINGS:
        _assert_routes_agree(demo, period, by)
    _assert_routes_agree(demo, period, "district", unit="SKHDT")
    _assert_routes_agree(demo, period, "unit", unit="Quận 1")
    field = demo.execute("SELECT field_key FROM agg_cells WHERE field_key IS NOT NULL LIMIT 1").fetchall()[0][0]
    _assert_routes_agree(demo, period, "month", field=field)


def test_month_series_equal_one_call_per_month(demo):
    """compute_indicator_by_month (one query) gives, cell by cell, what compute_indicator gives month by month."""
    from indicators.engine import compute_indicator_by_month
    grid = compute_indicator_by_month(demo, "on_time_rate", Period(date(2022, 1, 1), date(2022, 5, 20)), by="district")
    assert grid["months"] == ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05"]
    for i, month in enumerate(grid["months"]):
        p = Period.month(2022, i + 1) if i < 4 else Period(date(2022, 5, 1), date(2022, 5, 20))
        one = compute_indicator(demo, "on_time_rate", p, by="district")
        by_key = {r["key"]: r for r in one["rows"]}
        for row in grid["rows"]:
            cell = row["series"][i]
            if row["key"] in by_key:
                ref = by_key[row["key"]]
                assert (cell["numerator"], cell["denominator"], cell["value"], cell["is_met"]) == \
                       (ref["numerator"], ref["denominator"], ref["value"], ref["is_met"]), (month, row["key"])
                if 0 < i < 4:   # the previous period of a whole month is the month before (20 May is not whole)
                    assert cell["previous_value"] == ref["previous_value"], (month, row["key"])
                if i < 4:
                    assert cell["last_year_value"] == ref["last_year_value"], (month, row["key"])
            else:
                assert cell["value"] is None
        assert grid["total"]["series"][i]["value"] == one["total"]["value"]


def test_merged_unit_with_its_predecessors():
    """W11 and W12 merged into a new ward W1N on 1/3/2022 (successor_code). W1N alone has only its own
    dossiers; with its predecessors it also counts theirs, on both routes, at any depth of merging."""
    def dossier(unit, day):
        return {"unit": unit, "channel": "direct", "received": day, "hour": 9, "due": 5, "finished": 2,
                "returned": None, "status": 10, "result_type": "result", "supplements": 0, "procedure": None,
                "field": None, "online_level": None, "fee": None, "flags": [False] * 6, "rating": None}
    # W11: 2 dossiers in January, W12: 1 in February, W1N: 3 in March and April.
    con = _build([dossier("W11", 3), dossier("W11", 10), dossier("W12", 40), dossier("W21", 41)])
    con.execute("INSERT INTO units (unit_code, unit_name, level, parent_code, valid_from) "
                "VALUES ('W1N', 'Phường mới', 'ward', 'D1', DATE '2022-03-01')")
    con.execute("UPDATE units SET successor_code = 'W1N', valid_to = DATE '2022-02-28' WHERE unit_code IN ('W11', 'W12')")
    con.executemany("""INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at,
                       snapshot_date, import_id, row_number, row_hash)
                       VALUES ('t', ?, 'W1N', 'W1N', 'direct', ?::TIMESTAMP, DATE '2022-12-31', 1, 1, 0)""",
                    [("N1", "2022-03-02 08:00"), ("N2", "2022-03-20 08:00"), ("N3", "2022-04-05 08:00")])
    build_aggregates(con)
    for route in ("raw", "aggregate:join", "aggregate:direct", "aggregate:running", "aggregate:single"):
        alone = compute_period_table(con, Period.half(2022, 1), by="month", unit="W1N", route=route)
        merged = compute_period_table(con, Period.half(2022, 1), by="month", unit="W1N", route=route,
                                      include_predecessors=True)
        assert alone["total"]["received_new"] == 3, route
        assert merged["total"]["received_new"] == 6, route       # 2 (W11) + 1 (W12) + 3 (W1N); W21 stays out
        # (the W1N dossiers are still open, so May and June have dossiers to handle but none received)
        assert {r["key"]: r["received_new"] for r in merged["rows"]} == {
            "2022-01": 2, "2022-02": 1, "2022-03": 2, "2022-04": 1, "2022-05": 0, "2022-06": 0}, route
    from indicators.scope import predecessors
    assert [code for code, _, _ in predecessors(con, "W1N")] == ["W11", "W12"]


@pytest.mark.parametrize("period", [Period.half(2022, 1), Period.month(2022, 12)], ids=str)
def test_late_list_from_the_prebuilt_rows_equals_the_raw_list(demo, period, monkeypatch):
    """late_dossier_rows (built at load) gives the same list as reading every dossier, filters and all."""
    import indicators.dossier_list as dossier_list
    cases = [dict(), dict(unit="Quận 1"), dict(kind="pending_overdue", sort="received_date"),
             dict(min_days_late=3, apology=False, limit=None)]
    built = [dossier_list.list_late_dossiers(demo, period, **c) for c in cases]
    monkeypatch.setattr(dossier_list, "aggregates_are_fresh", lambda con, state=None: False)
    raw = [dossier_list.list_late_dossiers(demo, period, **c) for c in cases]
    assert built == raw
    assert built[0]["total_count"] > 0


@settings(max_examples=25, deadline=None)
@given(dossiers=st.lists(random_full_dossier, max_size=40), start=st.integers(-10, 100), length=st.integers(0, 70),
       by=st.sampled_from(["unit", "district", None]), scope=st.sampled_from([None, "D1"]),
       route=st.sampled_from(["aggregate:join", "aggregate:direct", "aggregate:running", "aggregate:single"]))
def test_narrow_sums_count_what_they_were_asked_for(dossiers, start, length, by, scope, route):
    """Sums of a few measures (Hài lòng's rating by unit reads two): those measures and total_to_handle, for every
    group and the total, are the raw route's — whichever indicator's pair is asked, a late one included."""
    from indicators.definitions import INDICATORS
    from indicators.engine import _sums
    con = _build(dossiers)
    try:
        build_aggregates(con)
        periods = {"a": Period(BASE + timedelta(days=start), BASE + timedelta(days=start + length)),
                   "b": Period(BASE + timedelta(days=start + 3), BASE + timedelta(days=start + length + 9))}
        raw = _sums(con, periods, by, scope, None, "raw")
        for ind in (i for i in INDICATORS if i.source == "dossiers"):
            asked = (ind.numerator, ind.denominator, "total_to_handle")
            for many in (periods, {"a": periods["a"]}):
                narrow = _sums(con, many, by, scope, None, route, measures=frozenset(asked[:2]))
                for key, (rows, total) in narrow.items():
                    assert {m: total[m] for m in asked} == {m: raw[key][1][m] for m in asked}, (ind.id, route)
                    assert {g: {m: r[m] for m in asked} for g, r in rows.items()} == \
                        {g: {m: r[m] for m in asked} for g, r in raw[key][0].items()}, (ind.id, route)
    finally:
        con.close()
