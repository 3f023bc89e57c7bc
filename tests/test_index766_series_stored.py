"""The city's 766 facts of the latest months and ISO weeks, stored at load for the Chỉ số 766 trend
(indicators/index766/series_store.py): the window a load stores is bounded whatever the years held; the demo sample (built by `python -m etl sample`, which stores them) scores
every stored period the same from them as gathered live, in a page view and outside one; they are what is read (a
changed stored count changes the score, of a month and of a week); a scoped series, a period not stored and a
load without the refresher gather live."""
import json
import shutil
from datetime import date

import duckdb
import pytest

from indicators.coverage import data_date_range
from indicators.index766 import compute_index766_series
from indicators.index766 import series_store
from indicators.index766.series_refresh import series_periods
from indicators.periods import Period
from indicators.view_cache import one_view

TABLES = ("index766_series_periods", "index766_series_counts", "index766_series_inputs", "index766_series_state")


@pytest.fixture(scope="module")
def stored_and_live(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("series")
    stored, live = folder / "stored.duckdb", folder / "live.duckdb"
    shutil.copy(demo_db, stored)
    shutil.copy(demo_db, live)
    with duckdb.connect(str(live)) as con:   # as a database made before the totals were stored
        for table in TABLES:
            con.execute(f"DROP TABLE {table}")
    return stored, live


def _series(db, periods, unit=None, view=True) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        if view:
            with one_view():
                return json.dumps(compute_index766_series(con, periods, unit), sort_keys=True, default=str)
        return json.dumps(compute_index766_series(con, periods, unit), sort_keys=True, default=str)


def _is_read(db) -> bool:
    with duckdb.connect(str(db), read_only=True) as con, one_view():
        return series_store._stored(con) is not None


def test_the_stored_window_is_bounded():
    # data from 2020 to 5/1/2023: November 2021 (14 months before January 2023) to March 2023 (the end of its
    # quarter) — 17 months — and the whole weeks of Q4 2022 and Q1 2023: Monday 3/10/2022 to Sunday 26/3/2023,
    # 175 days = 25 weeks
    periods = series_periods(date(2020, 1, 1), date(2023, 1, 5))
    months = [k for k in periods if "W" not in k]
    assert (months[0], months[-1], len(months)) == ("2021-11", "2023-03", 17)
    weeks = [p for k, p in periods.items() if "W" in k]
    assert (min(p.start for p in weeks), max(p.end for p in weeks), len(weeks)) == \
        (date(2022, 10, 3), date(2023, 3, 26), 25)
    # data starting later than the window: from its own first month
    assert list(series_periods(date(2022, 1, 10), date(2022, 3, 15)))[:3] == ["2022-01", "2022-02", "2022-03"]


def test_every_stored_period_scores_as_gathered_live(stored_and_live):
    stored, live = stored_and_live
    assert _is_read(stored) and not _is_read(live)
    with duckdb.connect(str(stored), read_only=True) as con:
        first, last = data_date_range(con)
        assert con.execute("SELECT count(*) FROM index766_series_periods").fetchone()[0] == 37
    # the sample's dossiers are of 2022: its 12 months and the 25 whole ISO weeks of its second half (Monday 4/7 to
    # Sunday 25/12, 175 days; the week of 26/12 ends in 2023)
    assert first.year == last.year == 2022 and last.month == 12
    periods = series_periods(first, last)
    assert len([k for k in periods if "W" in k]) == 25 and len(periods) == 37
    periods["2022-W10"] = Period(date(2022, 3, 7), date(2022, 3, 13))   # a week before the window: gathered
    scored = json.loads(_series(stored, periods))
    assert all(v is not None for v in scored.values())   # every month and week had dossiers to handle
    for view in (True, False):
        assert _series(stored, periods, view=view) == _series(live, periods, view=view)


def test_the_stored_counts_are_what_is_scored(stored_and_live, tmp_path):
    changed = tmp_path / "changed.duckdb"
    shutil.copy(stored_and_live[0], changed)
    march = {"2022-03": Period.month(2022, 3)}
    with duckdb.connect(str(changed)) as con:
        con.execute("""UPDATE index766_series_counts SET value = 0 WHERE period_from = DATE '2022-03-01'
                       AND period_to = DATE '2022-03-31' AND part = 'measures'""")
    assert _series(changed, march) != _series(stored_and_live[0], march)
    assert json.loads(_series(changed, march))["2022-03"] is None   # nothing to handle: no score


def test_scoped_and_unstored_series_gather_live(stored_and_live):
    stored, live = stored_and_live
    months = {"2022-05": Period.month(2022, 5), "2022-06": Period.month(2022, 6)}
    with duckdb.connect(str(stored), read_only=True) as con:
        unit = con.execute("SELECT unit_code FROM units WHERE level = 'district' ORDER BY 1 LIMIT 1").fetchone()[0]
    assert _series(stored, months, unit) == _series(live, months, unit)
    odd = {"mid": Period(date(2022, 5, 10), date(2022, 6, 20)), **months}   # not a month or a week: gathered
    assert _series(stored, odd) == _series(live, odd)


def test_a_load_without_the_refresher_leaves_them_unread(stored_and_live, tmp_path):
    """As a load by a caller that does not store them: an import newer than their stamp."""
    later = tmp_path / "later.duckdb"
    shutil.copy(stored_and_live[0], later)
    with duckdb.connect(str(later)) as con:
        con.execute("""INSERT INTO import_log SELECT * REPLACE (import_id + 1 AS import_id) FROM import_log
                       WHERE import_id = (SELECT max(import_id) FROM import_log)""")
        con.execute("UPDATE index766_series_counts SET value = 0")   # read, these would score nothing
    assert not _is_read(later)
    months = {"2022-11": Period.month(2022, 11), "2022-W48": Period(date(2022, 11, 28), date(2022, 12, 4))}
    assert _series(later, months) == _series(stored_and_live[1], months)


def test_a_stored_week_is_what_is_scored(stored_and_live, tmp_path):
    changed = tmp_path / "week.duckdb"
    shutil.copy(stored_and_live[0], changed)
    week = {"2022-W48": Period(date(2022, 11, 28), date(2022, 12, 4))}
    with duckdb.connect(str(changed)) as con:
        con.execute("""UPDATE index766_series_counts SET value = 0 WHERE period_from = DATE '2022-11-28'
                       AND period_to = DATE '2022-12-04' AND part = 'measures'""")
        assert con.execute("SELECT count(*) FROM index766_series_counts WHERE period_from = DATE '2022-11-28'"
                           ).fetchone()[0] > 0
    assert json.loads(_series(stored_and_live[0], week))["2022-W48"] is not None
    assert json.loads(_series(changed, week))["2022-W48"] is None
