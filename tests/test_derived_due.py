"""An export without due dates: each dossier's deadline is its procedure's statutory time in working days
(dossiers.md: "may be derived … marked as derived"), counted in the figures, shown in the dossier's detail and
said in the load summary. Expected dates come from numpy's business-day calendar, not from the SQL under test."""
import csv
from datetime import date
from pathlib import Path

import duckdb
import holidays
import numpy as np
import pytest

from etl.importer import import_paths
from indicators import Period, compute_period_table
from indicators.dossier_list import get_dossier_detail

ROOT = Path(__file__).resolve().parent.parent
APRIL = Period.month(2022, 4)
# code, procedure, received, due as exported, finished
ROWS = [("A", "P3", "08/04/2022 09:00", "", "14/04/2022"),      # Fri + 3 working days = Thu 14: on time
        ("B", "P3", "08/04/2022 09:00", "", "15/04/2022"),      # one day after: late
        ("C", "P3", "09/04/2022 09:00", "", ""),                # a Saturday receipt counts from the next working day
        ("D", "P0", "10/04/2022 09:00", "", ""),                # 0 days: the first working day
        ("E", "P3", "08/04/2022 09:00", "20/04/2022", "19/04/2022"),   # the export's own due date wins: early
        ("F", "PX", "08/04/2022 09:00", "", "30/04/2022")]      # no statutory time: no due date, on time (§1)
STATUTORY = {"P3": 3, "P0": 0}


def _holidays() -> np.ndarray:
    """Vietnam's 2022 holidays as the `holidays` package gives them, read here on its own (not through the loader's
    etl/references/holidays.py), with the bridge days of etl/vocab/holidays.csv."""
    with open(ROOT / "etl" / "vocab" / "holidays.csv", encoding="utf-8") as handle:
        bridge = [row["holiday_date"] for row in csv.DictReader(handle)]
    return np.array([d.isoformat() for d in holidays.Vietnam(years=2022)] + bridge, dtype="datetime64[D]")


def _expected_due(received: str, days: int) -> date:
    """The statutory time counted by numpy: rolled forward to a working day, then that many working days on."""
    day = np.datetime64(f"{received[6:10]}-{received[3:5]}-{received[0:2]}")
    return np.busday_offset(day, days, roll="forward", holidays=_holidays()).astype(date)


def _write(folder: Path, rows=ROWS) -> list[Path]:
    units, procedures, export = folder / "units.csv", folder / "procedures.csv", folder / "ho_so.csv"
    units.write_text("code,name,level,parent_code\nW1,UBND Phường A,ward,\n", encoding="utf-8")
    procedures.write_text("code,name,field,online_level,statutory_days\n"
                          + "".join(f"{c},Thủ tục {c},Hộ tịch,none,{n}\n" for c, n in STATUTORY.items()), encoding="utf-8")
    with open(export, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"])
        writer.writerows([code, "UBND Phường A", proc, received, due, done] for code, proc, received, due, done in rows)
    return [units, procedures, export]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("derived_due")
    units, procedures, export = _write(folder)
    results, errors = import_paths(folder / "cchc.duckdb", [units, procedures, export], as_of=date(2022, 4, 30))
    assert errors == []
    con = duckdb.connect(str(folder / "cchc.duckdb"), read_only=True)
    yield con, results[-1]
    con.close()


def test_the_expected_dates_are_what_the_rows_say():
    # the independent count agrees with the comments above (Mon 11/4/2022 was the Hùng Kings day off)
    assert _expected_due("08/04/2022", 3) == date(2022, 4, 14)
    assert _expected_due("09/04/2022", 3) == date(2022, 4, 15)
    assert _expected_due("10/04/2022", 0) == date(2022, 4, 12)


def test_figures_count_the_derived_deadlines(loaded):
    con, _ = loaded
    for route in ("aggregate", "raw"):
        total = compute_period_table(con, APRIL, by="unit", route=route)["total"]
        assert (total["resolved_early"], total["resolved_on_time"], total["resolved_late"]) == (1, 2, 1), route
        # C (due 15/4) and D (due 12/4) are open on 30/4, both past their deadline
        assert (total["pending"], total["pending_overdue"], total["pending_within"]) == (2, 2, 0), route


def test_the_detail_shows_the_derived_date_and_says_so(loaded):
    con, _ = loaded
    for code, proc, received, due, _ in ROWS:
        fields = {f["field"]: f for f in get_dossier_detail(con, "default", code)["fields"]}
        if due:
            assert fields["due_at"]["text"] == due and fields["is_due_derived"]["text"] == "Không"
        elif proc in STATUTORY:
            assert fields["due_at"]["value"].date() == _expected_due(received, STATUTORY[proc])
            assert fields["is_due_derived"]["text"] == "Có"
        else:
            assert fields["due_at"]["text"] == "–" and fields["is_due_derived"]["text"] == "Không"


def test_the_summary_says_how_missing_deadlines_were_counted(loaded):
    _, result = loaded
    assert any(w.startswith("5 hồ sơ không có ngày hẹn trả: 4 hồ sơ được tính ngày hẹn trả theo thời hạn giải quyết")
               and "1 hồ sơ có thủ tục chưa có thời hạn giải quyết" in w for w in result["warnings"])


def test_a_catalogue_loaded_later_gives_the_deadlines_then(tmp_path):
    units, procedures, export = _write(tmp_path)
    db = tmp_path / "cchc.duckdb"
    for files in ([units, export], [procedures]):
        _, errors = import_paths(db, files, as_of=date(2022, 4, 30))
        assert errors == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        total = compute_period_table(con, APRIL, by="unit")["total"]
        assert (total["resolved_on_time"], total["resolved_late"], total["pending_overdue"]) == (2, 1, 2)
    finally:
        con.close()


def test_a_receipt_outside_the_holiday_calendar_gets_no_derived_date(tmp_path):
    # 1999 is before the calendar's first year: counting Tết as working days would be wrong, so nothing is derived
    units, procedures, export = _write(tmp_path, [("Z", "P3", "08/04/1999 09:00", "", "30/04/1999")])
    _, errors = import_paths(tmp_path / "cchc.duckdb", [units, procedures, export], as_of=date(1999, 4, 30))
    assert errors == []
    con = duckdb.connect(str(tmp_path / "cchc.duckdb"), read_only=True)
    try:
        fields = {f["field"]: f for f in get_dossier_detail(con, "default", "Z")["fields"]}
        assert fields["due_at"]["text"] == "–"
        assert compute_period_table(con, Period.month(1999, 4), by="unit")["total"]["resolved_on_time"] == 1
    finally:
        con.close()


def test_the_same_export_loaded_again_changes_nothing(tmp_path):
    # the row keeps what the export said (no due date) in its hash: the derived date does not make it 'changed'
    units, procedures, export = _write(tmp_path)
    db = tmp_path / "cchc.duckdb"
    import_paths(db, [units, procedures, export], as_of=date(2022, 4, 30))
    again, errors = import_paths(db, [export], as_of=date(2022, 4, 30))
    assert errors == [] and (again[0]["rows_unchanged"], again[0]["rows_updated"]) == (len(ROWS), 0)
