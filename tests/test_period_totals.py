"""compute_period_totals (several periods' total rows in one query, what the cards read) gives, period by period,
the total row of compute_period_table — an independent route: one period at a time, grouped by level."""
import pytest

from indicators import Period, compute_period_table
from indicators.engine import compute_period_totals
from model.aggregates import build_aggregates

PERIODS = (Period.month(2022, 3), Period.month(2022, 2), Period.month(2021, 3), Period.quarter(2022, 1),
           Period(Period.month(2022, 3).start, Period.month(2022, 3).start))


@pytest.mark.parametrize("unit, field", [(None, None), ("H1", None), (None, "Hộ tịch"), ("SO_A", "Đầu tư")])
def test_each_total_is_the_period_tables_total(full_db, unit, field):
    totals = compute_period_totals(full_db, PERIODS, unit, field)
    assert len(totals) == len(PERIODS)
    for period, total in zip(PERIODS, totals):
        assert total == compute_period_table(full_db, period, by="level", unit=unit, field=field)["total"], period
    assert totals[0]["received_new"] > 0 or field is not None


def test_the_same_on_the_aggregate_route(full_db):
    build_aggregates(full_db)
    for period, total in zip(PERIODS, compute_period_totals(full_db, PERIODS, "H1")):
        assert total == compute_period_table(full_db, period, by="level", unit="H1", route="raw")["total"]


def test_without_the_catalogue_the_rest_is_the_same(full_db):
    from indicators.definitions import CATALOGUE_COLUMNS, INDICATORS
    left_out = {c for c, _ in CATALOGUE_COLUMNS} | {i.id for i in INDICATORS if i.source == "catalogue"}
    assert left_out >= {"procedure_count", "online_procedure_rate"}
    for period, total in zip(PERIODS, compute_period_totals(full_db, PERIODS, catalogue=False)):
        whole = compute_period_table(full_db, period, by="level")["total"]
        assert total == {k: v for k, v in whole.items() if k not in left_out}


def test_a_month_series_without_comparisons_has_the_same_months(full_db):
    """compare=False (the Trực tuyến page's trend and grid) leaves out the year before and the month before the
    first; every value, target and verdict is the full series'."""
    from indicators.engine import compute_indicator_by_month
    window = Period(Period.month(2022, 1).start, Period.month(2022, 3).end)
    for by in ("district", "level"):
        full = compute_indicator_by_month(full_db, "online_rate", window, by=by)
        short = compute_indicator_by_month(full_db, "online_rate", window, by=by, compare=False)
        assert [r["key"] for r in short["rows"]] == [r["key"] for r in full["rows"]]
        for a, b in zip([full["total"], *full["rows"]], [short["total"], *short["rows"]]):
            for whole, cut in zip(a["series"], b["series"]):
                assert cut["last_year_value"] is None
                assert {k: v for k, v in cut.items() if k not in ("previous_value", "last_year_value")} == \
                       {k: v for k, v in whole.items() if k not in ("previous_value", "last_year_value")}
            assert [c["previous_value"] for c in b["series"][1:]] == [c["previous_value"] for c in a["series"][1:]]
        assert any(c["value"] is not None for c in short["total"]["series"])


def test_a_period_table_without_the_catalogue_has_the_same_rows(full_db):
    """catalogue=False (the PAR INDEX reads only dossier rates) leaves out the catalogue's columns and rates, and
    nothing else, on every row."""
    from indicators.definitions import CATALOGUE_COLUMNS, INDICATORS
    left_out = {c for c, _ in CATALOGUE_COLUMNS} | {i.id for i in INDICATORS if i.source == "catalogue"}
    for by in ("department", "district", "level"):
        whole = compute_period_table(full_db, PERIODS[3], by=by)
        short = compute_period_table(full_db, PERIODS[3], by=by, catalogue=False)
        assert len(short["rows"]) == len(whole["rows"]) > 0
        for a, b in zip(whole["rows"], short["rows"]):
            assert b == {k: v for k, v in a.items() if k not in left_out}
        assert short["total"] == {k: v for k, v in whole["total"].items() if k not in left_out}
