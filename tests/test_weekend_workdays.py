"""A Saturday worked in exchange for a bridge day off is a working day (indicators.md: "plus the Saturdays worked in
exchange"): in the mean handling time and in the due dates the loader derives. Counted by hand on the calendar of
April–May 2025: Wed 30/04 and Thu 01/05 holidays, Fri 02/05 off in exchange for Saturday 26/04, worked."""
import shutil
from datetime import date

import duckdb
import pytest

from etl.__main__ import main as etl_main
from etl.references.holidays import read_holidays, read_weekend_workdays
from indicators import Period, compute_indicator
from indicators.store import ReadOnlyStore
from tests.files import database_with_units, load_one, query, write_csv

SPRING = Period(date(2025, 4, 1), date(2025, 5, 31))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workdays")
    db = database_with_units(folder)
    catalogue = [["code", "name", "statutory_days"], ["P3", "Thủ tục ba ngày", "3"], ["P0", "Thủ tục trong ngày", "0"]]
    assert load_one(db, write_csv(folder / "tthc.csv", catalogue))[1] == []
    rows = [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"],
            # (Thu 24/04, Tue 06/05]: Fri 25, Sat 26 (worked), Mon 28, Tue 29, Mon 05, Tue 06 = 6 working days
            ["W1", "Quận 3", "", "24/04/2025 09:00", "30/05/2025", "06/05/2025 10:00"],
            # Fri 25/04 + 3 working days: Sat 26, Mon 28, Tue 29 → due 29/04; finished Mon 05/05: late.
            # Without the worked Saturday: Mon 28, Tue 29, Mon 05/05 → due 05/05, on time.
            ["W2", "Quận 3", "P3", "25/04/2025 09:00", "", "05/05/2025 10:00"],
            # received on the worked Saturday, 0 days: due that very day
            ["W3", "Quận 3", "P0", "26/04/2025 09:00", "", "26/04/2025 15:00"]]
    result, errors = load_one(db, write_csv(folder / "ho_so.csv", rows), as_of=date(2025, 5, 31))
    assert errors == [] and result["rows_loaded"] == 3
    return db


def test_the_calendar_holds_the_worked_saturdays(loaded):
    assert query(loaded, "SELECT work_date::VARCHAR FROM weekend_workdays WHERE year(work_date) IN (2024, 2025, 2026) "
                         "ORDER BY 1") == [("2024-05-04",), ("2025-04-26",), ("2026-08-22",)]
    assert query(loaded, "SELECT count(*) FROM holidays WHERE holiday_date = DATE '2025-05-02'") == [(1,)]


def test_derived_due_dates_count_the_worked_saturday(loaded):
    assert query(loaded, "SELECT dossier_code, CAST(due_at AS DATE)::VARCHAR, is_due_derived FROM dossiers "
                         "WHERE is_due_derived ORDER BY 1") == [("W2", "2025-04-29", True), ("W3", "2025-04-26", True)]


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_the_mean_handling_time_counts_the_worked_saturday(loaded, route):
    with duckdb.connect(str(loaded), read_only=True) as con:
        avg = compute_indicator(con, "avg_days", SPRING, route=route)["total"]
        late = compute_indicator(con, "late_rate", SPRING, route=route)["total"]
    # W1 6 + W2 (Fri 25/04, Mon 05/05]: Sat 26, Mon 28, Tue 29, Mon 05 = 4 + W3 0 → 10 over 3
    assert (avg["numerator"], avg["denominator"]) == (10, 3)
    assert (late["numerator"], late["denominator"]) == (1, 3)   # W2


def test_the_citys_own_decisions_win_over_the_package(tmp_path):
    decisions = write_csv(tmp_path / "ngay_nghi.csv", [
        ["holiday_date", "name", "day_type"],
        ["2026-01-03", "Làm việc bù (quyết định của thành phố)", "workday"],
        ["2026-08-22", "Nghỉ (thành phố không làm bù)", "off"],
        ["2026-12-31", "Nghỉ (quyết định của thành phố)", ""]])
    workdays = dict(read_weekend_workdays(decisions))
    offs = dict(read_holidays(decisions))
    assert workdays["2026-01-03"] == "Làm việc bù (quyết định của thành phố)" and "2026-08-22" not in workdays
    assert offs["2026-08-22"] == "Nghỉ (thành phố không làm bù)" and offs["2026-12-31"].startswith("Nghỉ")
    # the package's own: Saturday 26/04/2025 named after the day off it stands for
    assert dict(read_weekend_workdays())["2025-04-26"] == "Làm việc bù cho ngày nghỉ 02/05/2025"


def test_a_database_of_the_version_before_opens_after_refresh(loaded, tmp_path):
    older = tmp_path / "cu.duckdb"
    shutil.copy(loaded, older)
    with duckdb.connect(str(older)) as con:   # as the version before left it: no worked weekend days
        con.execute("DROP TABLE weekend_workdays")
    store = ReadOnlyStore(older)
    assert store.connection() is None and "weekend_workdays" in store.open_error
    assert etl_main(["refresh", "--db", str(older)]) == 0
    with duckdb.connect(str(older), read_only=True) as con:
        assert compute_indicator(con, "avg_days", SPRING)["total"]["numerator"] == 10
    assert ReadOnlyStore(older).connection() is not None
