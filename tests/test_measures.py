"""The measure table (model/measures.py): each measure once, every one produced equal by both routes, bad rows refused."""
from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import pytest

from indicators.engine import _sums   # every measure of a period, the parts the rates do not show included
from indicators.periods import Period
from model import measures
from model.aggregates import DAY_COLUMNS, build_aggregates
from model.freshness import aggregates_are_fresh
from indicators.definitions import INDICATORS
from model.measures import MEASURES, PERIOD_COLUMNS, Measure, measure_names

sys.path.insert(0, str(Path(__file__).parent))
from test_aggregates import BASE, _build  # noqa: E402  (the small database of the route property test)


def _dossier(received, due=None, finished=None, channel="direct", status=None, procedure="P3", fee=None,
             flags=(False,) * 6, rating=None):
    return {"unit": "W11", "channel": channel, "received": received, "hour": 9, "due": due, "finished": finished,
            "returned": None, "status": status, "result_type": None, "supplements": 0, "procedure": procedure,
            "field": None, "online_level": None, "fee": fee, "flags": list(flags), "rating": rating}


# The period is days 10–40 after 1/1/2022. flags: paid online, digitized, e-result, data reused, synced, apology.
DOSSIERS = [
    _dossier(0, due=5, finished=20, flags=(False,) * 5 + (True,)),          # carried over, resolved late, apology
    _dossier(12, due=3, finished=2, channel="online", procedure="P1", fee=50000.0,
             flags=(True,) * 5 + (False,), rating="satisfied"),              # early; every receipt flag
    _dossier(15, due=10, channel="postal", flags=(False,) * 5 + (True,)),   # open past due at P1, apology
    _dossier(20, due=5, finished=5, rating="dissatisfied"),                 # on time, rated
    _dossier(22, due=10, finished=0),                                       # same day
    _dossier(25, due=1, finished=10),                                       # received and resolved late in the period
    _dossier(30, finished=2, status=7),                                     # returned
    _dossier(35),                                                           # open, no due date: pending within
]
PERIOD = Period(BASE + timedelta(days=10), BASE + timedelta(days=40))


def test_each_measure_is_declared_once_and_the_period_table_is_in_statutory_order():
    names = measure_names()
    assert len(names) == len(set(names))
    # indicators.md §1, in the order of the statutory table
    assert [c for c, _ in PERIOD_COLUMNS] == [
        "carried_over", "received_new", "received_online", "received_direct", "received_postal", "total_to_handle",
        "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned", "pending",
        "pending_within", "pending_overdue"]
    # every dossier rate is counted from the measure table
    assert {x for i in INDICATORS if i.source == "dossiers" for x in (i.numerator, i.denominator)} <= set(names)
    # the day tables hold exactly the measures counted on the receipt or the closing day
    assert DAY_COLUMNS == [m.name for m in MEASURES if m.day in ("received", "closed")]


@pytest.mark.parametrize("by", [None, "unit", "month"])
def test_both_routes_produce_every_measure_alike(by):
    con = _build(DOSSIERS)
    # P1 returns a paper result (the 766 inputs' list): the second dossier, resolved with an e-result, is counted
    # in resolved_paper and resolved_paper_e_result (1 each).
    con.execute("INSERT INTO paper_result_procedures VALUES ('P1', true, 1, 1)")
    try:
        build_aggregates(con)
        raw = _sums(con, {"p": PERIOD}, by, None, None, "raw")["p"]
        assert list(raw[1]) == measure_names()
        # Hand count over DOSSIERS (days 10–40): none is zero, so agreeing routes are not agreeing on nothing.
        assert {n: v for n, v in raw[1].items() if v == 0} == {}
        assert (raw[1]["carried_over"], raw[1]["received_new"], raw[1]["pending_overdue"],
                raw[1]["new_resolved_late"], raw[1]["late_apology"]) == (1, 7, 1, 1, 2)
        # 766: closed in the period 6 (finished on days 20, 14, 25, 22, 35, returned on day 32); rated dissatisfied
        # (received day 20) or resolved late (received days 0 and 25) → 3; digitized with an e-result: the second
        # dossier only
        assert (raw[1]["closed"], raw[1]["closed_dissatisfied_or_late"], raw[1]["closed_satisfactory"],
                raw[1]["resolved_digitized_e_result"], raw[1]["resolved_paper"],
                raw[1]["resolved_paper_e_result"]) == (6, 3, 3, 1, 1, 1)
        for route in ("aggregate:join", "aggregate:direct", "aggregate:running", "aggregate:single"):
            assert _sums(con, {"p": PERIOD}, by, None, None, route)["p"] == raw, route
    finally:
        con.close()


@pytest.mark.parametrize("row, message", [
    (Measure("x", "late", "f_end > p1", summed="workdays"), "late measure cannot be a sum"),
    (Measure("x", "closed"), "needs its predicate"),
    (Measure("x", "derived", terms=(("nowhere", 1),)), "unknown measures"),
    (Measure("x", "open_at_end", "channel = 'online'"), "cannot carry a predicate"),
    (Measure("x", "weekly", "true"), "is not one of"),
    (Measure("received_new", "received", "true"), "declared twice"),
    (Measure("x", "received", "is_digitized IS NOT NULL", basis="received_everything"), "basis 'received_everything'"),
])
def test_a_measure_a_route_cannot_generate_is_refused_at_import(row, message):
    with pytest.raises(ValueError, match=message):
        measures._check([*MEASURES, row])


def test_tables_built_under_other_rules_are_stale():
    """Aggregate tables stamped with other rules (an older version's database, or a measure edited since the
    load) are not read: the figures come from the dossiers until the next load rebuilds them."""
    con = _build(DOSSIERS)
    try:
        build_aggregates(con)
        assert aggregates_are_fresh(con)
        con.execute("UPDATE aggregate_state SET layout = 'older rules'")
        assert not aggregates_are_fresh(con)
        con.execute("ALTER TABLE aggregate_state DROP COLUMN layout")   # built before the rules were stamped
        assert not aggregates_are_fresh(con)
        build_aggregates(con)
        assert aggregates_are_fresh(con)
    finally:
        con.close()
