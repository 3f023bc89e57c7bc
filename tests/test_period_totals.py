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
