"""Reuse within one page view (indicators/view_cache.py): a repeated call inside one_view is answered once, nothing is
kept outside or after the view, and a caller changing what it got does not change what the next caller gets."""
from indicators import Period, compute_index766, compute_period_table
from indicators.view_cache import one_view, reused_in_view

calls: list[tuple] = []


@reused_in_view()
def _counted(con, year: int, by: str = "unit") -> tuple:
    calls.append((year, by))
    return (year, by)


def test_a_repeated_call_in_one_view_is_computed_once():
    calls.clear()
    with one_view():
        assert not _counted.kept(None, 2022)
        assert _counted(None, 2022) == (2022, "unit")
        assert _counted.kept(None, 2022, "unit") and not _counted.kept(None, 2023)
        assert _counted("another cursor", 2022, by="unit") == (2022, "unit")   # same arguments, written otherwise
        assert _counted(None, 2022, "level") == (2022, "level")
        with one_view():   # a nested view shares the outer one
            _counted(None, 2022)
    assert calls == [(2022, "unit"), (2022, "level")]


def test_nothing_is_reused_outside_or_after_a_view():
    calls.clear()
    _counted(None, 2021)
    _counted(None, 2021)
    with one_view():
        _counted(None, 2021)
    with one_view():
        _counted(None, 2021)
    assert calls == [(2021, "unit")] * 4


def test_an_unhashable_argument_is_computed_every_time():
    seen = []

    @reused_in_view()
    def listed(con, codes):
        seen.append(list(codes))
        return len(codes)

    with one_view():
        assert listed(None, ["A", "B"]) == listed(None, ["A", "B"]) == 2
    assert seen == [["A", "B"], ["A", "B"]]


def test_the_period_table_is_the_same_in_a_view_and_callers_get_their_own_rows(full_db):
    march = Period.month(2022, 3)
    alone = compute_period_table(full_db, march, by="level")
    with one_view():
        first = compute_period_table(full_db, march, by="level")
        first["rows"][0]["targets"] = {"x": 1}     # a caller adding to its rows (compute_monthly_trend does)
        first["total"]["received_new"] = -1
        second = compute_period_table(full_db, march, "level")
    assert first["rows"][0] is not second["rows"][0]
    assert second == alone and "targets" not in second["rows"][0]


def test_groupings_of_units_added_up_in_a_view_equal_their_own_query(full_db):
    """In a view, the tables by unit, level, district and department are read or added up from the units' own sums (one query
    serves them all); outside a view each is its own SQL grouping — an independent route to the same figures."""
    compared = 0
    for period in (Period.month(2022, 3), Period.quarter(2022, 1), Period.year(2021)):
        for unit, field in ((None, None), ("H1", None), (None, "Hộ tịch"), ("TP", "Đầu tư")):
            for by in ("unit", "level", "district", "department"):
                alone = compute_period_table(full_db, period, by=by, unit=unit, field=field)
                with one_view():
                    compute_period_table(full_db, period, by="district" if by == "unit" else "unit", unit=unit, field=field)
                    added = compute_period_table(full_db, period, by=by, unit=unit, field=field)
                assert added == alone, (period, unit, field, by)
                compared += len(alone["rows"]) if by in ("district", "department") else 0
    assert compared >= 10   # districts and departments with dossiers were added up, not only empty tables


def test_the_766_index_and_the_table_of_a_grouping_share_their_sums_in_a_view(full_db):
    """PAR INDEX asks for the table by department and the 766 index by department: in a view one query of the period's
    sums serves both, and each equals what it is alone (the measure sums are read, never changed, by both)."""
    year = Period.year(2022)
    alone = (compute_period_table(full_db, year, by="department"), compute_index766(full_db, year, by="department"))
    with one_view():
        shared = (compute_period_table(full_db, year, by="department"), compute_index766(full_db, year, by="department"))
        again = compute_index766(full_db, year, by="department")
    assert shared == alone and again == alone[1]
    assert alone[0]["rows"] and any(r["total"] is not None for r in alone[1]["rows"])   # figures, not empty tables


def test_sums_read_ahead_in_a_view_give_the_figures_each_call_queries_alone(full_db):
    """dashboard.prefetch_view reads a page's periods in one query (by a grouping whose total rows serve the scope's
    totals, the join or running totals as their number asks); each figure read from it equals the same call outside a
    view, where it queries alone. Then a second call of the same figures in the view queries nothing."""
    from indicators import compute_indicator
    from indicators.engine import compute_indicator_by_month
    from indicators.dashboard import compute_monthly_trend, compute_scorecard, prefetch_view, trend_window
    from indicators.engine import compute_period_totals
    from indicators import engine
    compared = 0
    for period in (Period.month(2022, 3), Period.quarter(2022, 1), Period.year(2022)):
        window = trend_window(period)
        for unit, field, by in ((None, None, None), (None, None, "department"), ("H1", None, "unit"),
                                (None, "Hộ tịch", "level"), ("TP", "Đầu tư", "district")):
            def figures():
                return (compute_scorecard(full_db, period, unit, field),
                        compute_period_totals(full_db, (period, period.previous()), unit, field),
                        compute_monthly_trend(full_db, window, unit, field),
                        compute_indicator(full_db, "rating_satisfaction", period, by="unit", unit=unit, field=field,
                                          group_history=False),
                        *([compute_period_table(full_db, period, by=by, unit=unit, field=field),
                           compute_indicator_by_month(full_db, "online_rate", window, by=by, unit=unit, field=field,
                                                      compare=False)] if by else []))
            alone = figures()
            runs = []
            real_run = engine._run_route   # the one call to the raw or the aggregate route

            def counted(*args, **kwargs):
                runs.append(args[2])
                return real_run(*args, **kwargs)
            engine._run_route = counted
            try:
                with one_view():
                    prefetch_view(full_db, period, None, by, unit, field)
                    ahead = len(runs)
                    assert figures() == alone, (period, unit, field, by)
                    after = len(runs)
                    assert figures() == alone
                    assert len(runs) == after   # asked again in the view: nothing queried
            finally:
                engine._run_route = real_run
            assert ahead == 1
            compared += 1
    assert compared == 15
