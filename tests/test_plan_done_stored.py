"""The plan done rates stored at load (model/plan_done.py) are the ones the live query gives, as plans and reports
arrive (a report loaded before its plan, a later report moving the year-end cut-off); a database without the
table, or loaded since by a version that does not refresh it, computes them live. Files: tests/builders.py's plan
files (see test_plan_tasks.py, whose hand figures STP 9 of 14, Q3 1 of 4 at 31/12 the stored route gives too)."""
from datetime import date

import duckdb

from etl.importer import import_paths
from indicators.tasks import plan_done_rate
from model.plan_done import DONE_RATES_TABLE, plan_done_is_fresh, refresh_plan_done, year_end_cutoff
from tests.builders import (PLAN_UNITS, q3_plan, q3_report_ticks, stp_plan_rows, stp_report_codes,
                            without_stored_table, write_rows)


def _stored_and_live(db) -> tuple[dict, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        assert plan_done_is_fresh(con)
        return plan_done_rate(con, 2022), plan_done_rate(con, 2022, year_end_cutoff(con, 2022))


def _load(db, *paths) -> None:
    _, errors = import_paths(db, [str(p) for p in paths], swap=False)
    assert errors == []


def test_stored_done_rates_follow_each_load_and_equal_the_live_ones(tmp_path):
    (tmp_path / "units.csv").write_text(PLAN_UNITS, encoding="utf-8")
    db = tmp_path / "plans.duckdb"
    report = stp_report_codes(tmp_path / "tien_do_stp_30_9.xlsx", "30/9/2022", [
        ("III.2", "Hoàn thành", "29/09/2022"), ("II.2", "Hoàn thành", "15/09/2022")])
    _load(db, tmp_path / "units.csv", report)   # a report before its plan: no plan, no rate
    stored, live = _stored_and_live(db)
    assert stored == live == {}
    _load(db, write_rows(tmp_path / "ke_hoach_stp.xlsx", stp_plan_rows()))
    stored, live = _stored_and_live(db)
    assert stored == live and set(stored) == {"STP"} and stored["STP"]["done"] >= 2
    _load(db, q3_plan(tmp_path / "ke_hoach_q3.xlsx"), q3_report_ticks(tmp_path / "tien_do_quan_huyen_30_9.xlsx"))
    stored, live = _stored_and_live(db)
    assert stored == live and set(stored) == {"STP", "Q3"}
    # a report dated in January on last year's plans moves the year-end cut-off to its date
    _load(db, stp_report_codes(tmp_path / "tien_do_stp_10_1.xlsx", "10/1/2023", [("III.6", "Hoàn thành", "5/1/2023")]))
    stored, live = _stored_and_live(db)
    assert stored == live and stored["STP"]["as_of"] == date(2023, 1, 10)


def test_a_database_without_current_rates_computes_them_live(tmp_path):
    (tmp_path / "units.csv").write_text(PLAN_UNITS, encoding="utf-8")
    db = tmp_path / "plans.duckdb"
    _load(db, tmp_path / "units.csv", write_rows(tmp_path / "ke_hoach_stp.xlsx", stp_plan_rows()),
          stp_report_codes(tmp_path / "tien_do_stp_30_9.xlsx", "30/9/2022", [("III.2", "Hoàn thành", "29/09/2022")]))
    with duckdb.connect(str(db), read_only=True) as con:
        expected = plan_done_rate(con, 2022)
    old = without_stored_table(db, tmp_path / "old.duckdb", DONE_RATES_TABLE)
    with duckdb.connect(str(old)) as con:
        assert not plan_done_is_fresh(con) and plan_done_rate(con, 2022) == expected
        assert refresh_plan_done(con) and plan_done_is_fresh(con)
        # a load by a version that does not refresh the table (a newer import, a task now done): no longer read
        con.execute("""INSERT INTO import_log SELECT * REPLACE (import_id + 1 AS import_id) FROM import_log
                       WHERE import_id = (SELECT max(import_id) FROM import_log)""")
        assert not plan_done_is_fresh(con)
        assert refresh_plan_done(con) is False and plan_done_is_fresh(con)   # inputs unchanged: only checked
