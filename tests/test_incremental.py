"""Loads keep the aggregate tables up to date incrementally, and what they hold equals a full rebuild's."""
from __future__ import annotations

import csv
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from etl.importer import import_paths
from indicators import Period, compute_period_table
from indicators.index766 import sources as index766_sources
from model import incremental
from model.aggregates import SUMMED_TABLES, build_aggregates
from model.freshness import recorded_state
from tests.builders import PROPERTY_PROCEDURES, PROPERTY_UNITS, random_full_dossier, write_dossier_export

BASE = date(2022, 1, 1)
SNAPSHOT = date(2022, 12, 25)


def _catalogues(folder: Path, procedures=PROPERTY_PROCEDURES) -> list[Path]:
    units, procs = folder / "units.csv", folder / "procedures.csv"
    with open(units, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("code", "name", "level", "parent_code"),
                                      *[(c, n, lvl, p or "") for c, n, lvl, p in PROPERTY_UNITS]])
    with open(procs, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("code", "name", "field", "online_level"),
                                      *[(c, f"Thủ tục {c}", f, lvl) for c, f, lvl in procedures]])
    return [units, procs]


def _load(db: Path, folder: Path, name: str, dossiers: list[tuple[str, dict]], snapshot: date = SNAPSHOT,
          suffix: str = "csv") -> dict:
    """One export through the importer (copy, load, swap), as `etl import --source t --as-of …` runs it;
    returns how the aggregate tables were refreshed."""
    path = write_dossier_export(folder / f"{name}.{suffix}", dossiers)
    _, errors = import_paths(db, [path], source="t", as_of=snapshot)
    assert errors == []
    return _state(db)


def _state(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return recorded_state(con)
    finally:
        con.close()


def _summed(con, exact: bool) -> dict:
    """Each summed table as its rows (exact) or as the sums of its values per key without the empty groups
    (what readers see), the late-dossier rows and the rows stored for the pages with their stamp."""
    out = {}
    for t in SUMMED_TABLES.values():
        keys = ", ".join(name for name, _ in t.keys)
        if exact:
            out[t.name] = con.execute(f"SELECT * FROM {t.name} ORDER BY ALL").fetchall()
        else:
            sums = ", ".join(f"sum({c})" for c, _ in t.sums)
            nonzero = " OR ".join(f"sum({c}) <> 0" for c, _ in t.sums)
            out[t.name] = con.execute(f"SELECT {keys}, {sums} FROM {t.name} GROUP BY ALL HAVING {nonzero} "
                                      "ORDER BY ALL").fetchall()
    out["late_dossier_rows"] = con.execute("SELECT * FROM late_dossier_rows ORDER BY ALL").fetchall()
    out["unsynced_dossier_rows"] = con.execute("SELECT * FROM unsynced_dossier_rows ORDER BY ALL").fetchall()
    out["agg_pair_days"] = con.execute("SELECT * FROM agg_pair_days ORDER BY ALL").fetchall()
    out["stored_rows_layout"] = recorded_state(con).get("stored_rows_layout")
    return out


def _assert_equals_full_rebuild(db: Path, exact: bool = False) -> None:
    """The tables the loads left equal those a full rebuild makes from the same data (built in a transaction
    that is rolled back, so the file keeps the loads' tables)."""
    con = duckdb.connect(str(db))
    try:
        # one row per dossier: the table has no key constraint, the loader keeps it unique
        assert con.execute("SELECT count(*) - count(DISTINCT (source, dossier_code)) FROM dossiers").fetchall() == [(0,)]
        kept = _summed(con, exact)
        con.execute("BEGIN")
        build_aggregates(con)
        rebuilt = _summed(con, exact)
        con.execute("ROLLBACK")
    finally:
        con.close()
    for name in rebuilt:
        assert kept[name] == rebuilt[name], name


def _figures(db: Path, period: Period, by: str = "unit", route: str = "aggregate") -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return compute_period_table(con, period, by=by, route=route)
    finally:
        con.close()


def _one(unit="W11", received=10, finished=None, due=20, status=None, **other) -> dict:
    """A dossier of the random shape with plain values: received on day `received` of 2022 at 9:00."""
    d = {"unit": unit, "channel": "direct", "received": received, "hour": 9, "due": due, "finished": finished,
         "returned": None, "status": status, "result_type": None, "supplements": 0, "procedure": "P1",
         "field": None, "online_level": None, "fee": None, "flags": [False] * 6, "rating": None}
    return {**d, **other}


# --- the property: any sequence of loads leaves what a full rebuild makes ------------------------------------

# A load: up to 8 dossiers drawn from 10 codes (so later loads change earlier dossiers; a code twice in one file is
# rejected as a duplicate), its snapshot day (an older snapshot than the one stored must not win) and its format.
_load_draw = st.tuples(st.lists(st.tuples(st.integers(0, 9), random_full_dossier), max_size=8), st.integers(0, 3),
                       st.sampled_from(["csv", "xlsx"]))


@pytest.fixture(scope="module")
def catalogued(tmp_path_factory) -> Path:
    """A database with the units and procedures loaded (a full build of no dossier), copied by each example."""
    folder = tmp_path_factory.mktemp("catalogued")
    db = folder / "cchc.duckdb"
    import_paths(db, _catalogues(folder))
    assert _state(db)["refresh"] == "full"
    return db


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.lists(st.tuples(st.integers(0, 9), random_full_dossier), max_size=10),
       loads=st.lists(_load_draw, min_size=1, max_size=3), fold=st.booleans(),
       start=st.integers(-10, 100), length=st.integers(0, 70))
def test_incremental_loads_equal_a_full_rebuild(catalogued, first, loads, fold, start, length):
    """Through the real importer: a first export, then each load applied incrementally (never rebuilt); after
    each, the tables equal a full rebuild's, exactly when every load folds them (fold) and as sums per key when
    none does; and the aggregate route gives the raw route's figures."""
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        folder = Path(folder)
        db = Path(shutil.copy(catalogued, folder / "cchc.duckdb"))
        patch.setattr(incremental, "FULL_REBUILD_SHARE", 1e9)        # small data: never the cheaper full build
        patch.setattr(incremental, "FOLD_SHARE", 0.0 if fold else 1e9)
        _load(db, folder, "first", [(f"C{i}", d) for i, d in first], SNAPSHOT + timedelta(days=1))
        for n, (dossiers, snapshot_day, suffix) in enumerate(loads):
            state = _load(db, folder, f"load{n}", [(f"C{i}", d) for i, d in dossiers],
                          SNAPSHOT + timedelta(days=snapshot_day), suffix)
            assert state["refresh"] == "incremental"
            _assert_equals_full_rebuild(db, exact=fold)
        period = Period(BASE + timedelta(days=start), BASE + timedelta(days=start + length))
        for by in ("unit", "field", "month"):
            assert _figures(db, period, by) == _figures(db, period, by, route="raw"), by
        _assert_activity_routes_agree(db, {"period": period, "year": Period(BASE, date(2022, 12, 31))})


def _assert_activity_routes_agree(db: Path, periods: dict) -> None:
    """The 766 activity of each unit's procedures (criteria 3.2, 4.2): read from the cells as the loads left
    them (signed change rows not folded yet) it equals the days stored at load."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        for by in ("unit", None):
            assert (index766_sources._procedures(con, periods, by, None, stored=False)
                    == index766_sources._procedures(con, periods, by, None, stored=True)), by
    finally:
        con.close()


# --- each case, by hand ---------------------------------------------------------------------------------------

# The first export of the cases: three dossiers of January 2022 in W11 (each test changes them). A received
# Tue 11/1, finished on its due day 31/1 (on time); B received 6/1, open, due 26/1 (overdue at the end of January);
# C received 3/1, finished 6/1 before its due day 23/1 (early).
FIRST = [("A", _one(finished=20, status=10)), ("B", _one(received=5)), ("C", _one(received=2, finished=3, status=10))]


@pytest.fixture()
def loaded(tmp_path, monkeypatch):
    """The catalogues and FIRST loaded; changes of any size applied incrementally (the data is tiny)."""
    monkeypatch.setattr(incremental, "FULL_REBUILD_SHARE", 1e9)
    db = tmp_path / "cchc.duckdb"
    import_paths(db, _catalogues(tmp_path))
    _load(db, tmp_path, "first", FIRST)
    return db, tmp_path


JANUARY, FEBRUARY = Period.month(2022, 1), Period.month(2022, 2)


def _total(db: Path, period: Period = JANUARY, **filters) -> dict:
    return _figures(db, period, **filters)["total"]


def test_first_load_counts(loaded):
    db, _ = loaded
    total = _total(db)
    # received 3 (A B C), resolved A on time and C early; B pending, due 21/1 < 31/1 → overdue
    assert (total["received_new"], total["resolved_on_time"], total["resolved_early"], total["pending_overdue"]) == \
        (3, 1, 1, 1)


def test_insert_adds_only_the_new_dossier(loaded):
    db, folder = loaded
    state = _load(db, folder, "more", [("D", _one(received=15, channel="online"))])
    assert (state["refresh"], state["changed_dossiers"]) == ("incremental", 1)
    total = _total(db)
    assert (total["received_new"], total["received_online"]) == (4, 1)   # A B C + D, D online
    _assert_equals_full_rebuild(db)


def test_newer_snapshot_moves_the_outcome(loaded):
    """B finished 30/1 after its due day 26/1: from pending overdue to resolved late; A withdrawn (status 7):
    from resolved on time to returned."""
    db, folder = loaded
    state = _load(db, folder, "newer", [("B", _one(received=5, finished=24, status=10)),
                                        ("A", _one(finished=20, status=7))], SNAPSHOT + timedelta(days=1))
    assert (state["refresh"], state["changed_dossiers"]) == ("incremental", 2)
    total = _total(db)
    assert (total["resolved_late"], total["pending_overdue"], total["resolved_on_time"], total["returned"]) == \
        (1, 0, 0, 1)
    _assert_equals_full_rebuild(db)


def test_newer_snapshot_moves_the_unit_and_the_dates(loaded):
    """A moves to W21 and C's receipt to 3 February: January's W11 keeps B only, W21 gets A; February gets C."""
    db, folder = loaded
    _load(db, folder, "moved", [("A", _one(unit="W21", finished=20, status=10)),
                                ("C", _one(received=33, finished=34, status=10))], SNAPSHOT + timedelta(days=1))
    by_unit = {r["key"]: r["received_new"] for r in _figures(db, JANUARY)["rows"]}
    assert by_unit == {"W11": 1, "W21": 1}
    assert _total(db, FEBRUARY)["received_new"] == 1
    _assert_equals_full_rebuild(db)


def test_older_snapshot_does_not_win(loaded):
    """The same dossiers from an export taken earlier (B still open, A not yet finished): nothing changes."""
    db, folder = loaded
    before = _total(db)
    state = _load(db, folder, "older", [("A", _one()), ("C", _one(received=2))], SNAPSHOT - timedelta(days=5))
    assert (state["refresh"], state["changed_dossiers"]) == ("incremental", 0)
    assert _total(db) == before


def test_same_export_again_changes_nothing(loaded):
    db, folder = loaded
    before = _total(db)
    state = _load(db, folder, "first", FIRST)
    assert (state["refresh"], state["changed_dossiers"]) == ("incremental", 0)
    assert _total(db) == before


def test_two_files_of_one_load(loaded):
    """One `etl import` of two files: the second changes a dossier the first inserted (its old contribution is
    none) and one the first changed (its old contribution is the stored row, not the first file's)."""
    db, folder = loaded
    first = write_dossier_export(folder / "f1.csv", [("D", _one(received=12)), ("B", _one(received=5, due=15))])
    second = write_dossier_export(folder / "f2.csv", [("D", _one(received=12, finished=14, status=10)),
                                                      ("B", _one(received=5, due=15, finished=18, status=10))])
    _, errors = import_paths(db, [first, second], source="t", as_of=SNAPSHOT + timedelta(days=1))
    assert errors == []
    assert (_state(db)["refresh"], _state(db)["changed_dossiers"]) == ("incremental", 2)
    total = _total(db)
    # received A B C D (D on 13/1); A on time; C early, D finished 27/1 before its due day 2/2: early; B due 21/1,
    # finished 24/1: late; none pending
    assert (total["received_new"], total["resolved_on_time"], total["resolved_early"], total["resolved_late"],
            total["pending"]) == (4, 1, 2, 1, 0)
    _assert_equals_full_rebuild(db, exact=True)


def test_two_sheets_of_one_file(loaded):
    """A workbook whose second sheet repeats a dossier of the first, finished since: replaced in the same
    transaction (the row the first sheet wrote is not stored yet), so it is stored once, as the second sheet has it."""
    db, folder = loaded
    book = Workbook()
    for n, finished in enumerate((None, 14)):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = f"Tháng {n + 1}"
        export = write_dossier_export(folder / f"sheet{n}.csv", [("D", _one(received=12, finished=finished,
                                                                              status=10 if finished else None))])
        with open(export, encoding="utf-8") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    book.save(folder / "two_sheets.xlsx")
    _, errors = import_paths(db, [folder / "two_sheets.xlsx"], source="t", as_of=SNAPSHOT)
    assert errors == []
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT count(*), max(finished_at) FROM dossiers WHERE dossier_code = 'D'").fetchall()
    con.close()
    assert stored == [(1, datetime(2022, 1, 27, 9))]   # received 13/1 9:00, finished 14 days later
    assert _total(db)["received_new"] == 4
    _assert_equals_full_rebuild(db, exact=True)


def _field_day_kind(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return "view" if con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'agg_field_day'"
                                     ).fetchall()[0][0] else "table"
    finally:
        con.close()


@pytest.mark.parametrize("fold", [True, False])
def test_a_second_unit_on_a_procedure_and_the_field_day_view(loaded, monkeypatch, fold):
    """FIRST is one ward's: agg_field_day is the view of agg_cells. A load giving procedure P1 a second unit keeps
    the view until agg_cells is folded, which makes it a table of the grouped cells; the figures by sector and
    procedure are the raw route's either way, and the tables a full rebuild's."""
    db, folder = loaded
    assert _field_day_kind(db) == "view"
    monkeypatch.setattr(incremental, "FOLD_SHARE", 0.0 if fold else 1e9)
    state = _load(db, folder, "second_unit", [("D", _one(unit="W21", received=12))], SNAPSHOT + timedelta(days=1))
    assert state["refresh"] == "incremental"
    assert _field_day_kind(db) == ("table" if fold else "view")
    for by in ("field", "procedure"):
        assert _figures(db, JANUARY, by) == _figures(db, JANUARY, by, route="raw"), by
    _assert_equals_full_rebuild(db, exact=fold)
    # D moved to W11 by a newer export: folded, the pair has one unit again and the view is back (unfolded, the
    # view stayed)
    _load(db, folder, "back", [("D", _one(unit="W11", received=12))], SNAPSHOT + timedelta(days=2))
    assert _field_day_kind(db) == "view"
    _assert_equals_full_rebuild(db, exact=fold)


def test_a_failed_file_leaves_no_change_behind(loaded):
    """A file the importer refuses (no unit column) in the same load as a good one: the good one's change is
    applied, the refused one's never started."""
    db, folder = loaded
    bad = folder / "bad.csv"
    bad.write_text("Mã hồ sơ,Ngày tiếp nhận\nZ,01/01/2022 08:00:00\n", encoding="utf-8")
    good = write_dossier_export(folder / "good.csv", [("D", _one(received=12))])
    _, errors = import_paths(db, [bad, good], source="t", as_of=SNAPSHOT)
    assert len(errors) == 1
    assert _state(db)["refresh"] == "incremental"
    assert _total(db)["received_new"] == 4
    _assert_equals_full_rebuild(db)


def test_procedure_catalogue_change_rebuilds(loaded):
    """P1's field is the catalogue's (the dossiers name none): a new catalogue moves every P1 dossier to another
    field, dossiers no load touched, so the tables are rebuilt."""
    db, folder = loaded
    import_paths(db, _catalogues(folder, [("P1", "Tư pháp", "full"), *PROPERTY_PROCEDURES[1:]])[1:])
    state = _state(db)
    assert state["refresh"] == "full"
    assert {r["key"]: r["received_new"] for r in _figures(db, JANUARY, by="field")["rows"]} == {"Tư pháp": 3}


def test_holiday_calendar_change_rebuilds(loaded):
    """Tables built with a calendar that lacked Monday 3/1/2022 (the day off for New Year): the next load brings
    the whole calendar back (etl/vocab/holidays.csv), so every dossier's working days may differ and the tables
    are rebuilt. D, received Sun 2/1 and finished Thu 6/1, counts 3 working days (4 weekdays less 3/1), which the
    stored tables of the older calendar would not."""
    db, folder = loaded
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM holidays WHERE holiday_date = DATE '2022-01-03'")
    build_aggregates(con)
    con.close()
    state = _load(db, folder, "next", [("D", _one(received=1, finished=4, status=10))])
    assert state["refresh"] == "full"
    _assert_equals_full_rebuild(db, exact=True)


def test_rules_change_rebuilds(loaded):
    db, folder = loaded
    con = duckdb.connect(str(db))
    con.execute("UPDATE aggregate_state SET layout = 'older rules'")
    con.close()
    assert _load(db, folder, "next", [("D", _one())])["refresh"] == "full"


def test_a_large_change_is_a_full_rebuild(loaded, monkeypatch):
    """Past the share of changed dossiers a load rebuilds (cheaper then): with the share at a half, 4 new
    dossiers of 7 rebuild, 1 more of 8 does not."""
    db, folder = loaded
    monkeypatch.setattr(incremental, "FULL_REBUILD_SHARE", 0.5)
    state = _load(db, folder, "big", [(f"N{i}", _one()) for i in range(4)])
    assert (state["refresh"], state["dossier_count"]) == ("full", 7)
    state = _load(db, folder, "small", [("N9", _one())])
    assert (state["refresh"], state["changed_dossiers"], state["dossier_count"]) == ("incremental", 1, 8)


def test_tables_fold_back_to_the_full_rebuild(loaded, monkeypatch):
    """Without folding the changes stay as signed rows beside the old ones (readers add them up); the load that
    passes the share folds the tables into exactly the full rebuild's rows."""
    db, folder = loaded
    monkeypatch.setattr(incremental, "FOLD_SHARE", 1e9)
    _load(db, folder, "moved", [("A", _one(unit="W21", finished=20, status=10))], SNAPSHOT + timedelta(days=1))
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT count(*) FROM agg_unit_day WHERE unit_code = 'W11' AND day = DATE '2022-01-11'").fetchall()
    con.close()
    assert rows == [(2,)]   # A's receipt in W11: the first load's row and the change's −1 row
    _assert_equals_full_rebuild(db)
    monkeypatch.setattr(incremental, "FOLD_SHARE", 0.0)
    _load(db, folder, "again", [("B", _one(received=5, finished=30, status=10))], SNAPSHOT + timedelta(days=1))
    _assert_equals_full_rebuild(db, exact=True)


def test_a_database_with_the_dossier_key_loses_it(loaded):
    """A database made before the dossiers table lost its primary key: the next load copies the dossiers into
    the keyless table and, its stamp lacking the input fingerprint, rebuilds the aggregate tables."""
    db, folder = loaded
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE dossiers ADD PRIMARY KEY (source, dossier_code)")
    con.execute("CREATE OR REPLACE TABLE aggregate_state AS SELECT * EXCLUDE (inputs) FROM aggregate_state")
    con.close()
    state = _load(db, folder, "next", [("D", _one())])
    assert (state["refresh"], state["dossier_count"]) == ("full", 4)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'dossiers' "
                       "AND constraint_type = 'PRIMARY KEY'").fetchall() == [(0,)]
    con.close()
    _assert_equals_full_rebuild(db, exact=True)


def test_stored_rows_of_an_older_database_are_built_by_the_next_load(loaded):
    """A database made before the rows for the pages were stored (model/stored_rows.py: no tables, no stamp): read
    live until the next load, which builds them from every dossier and cell (not only the load's) and stamps them;
    a load of an older version (stamp gone, rows left behind) makes the next load build them again."""
    db, folder = loaded
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE unsynced_dossier_rows")
    con.execute("DROP TABLE agg_pair_days")
    con.execute("CREATE OR REPLACE TABLE aggregate_state AS SELECT * EXCLUDE (stored_rows_layout) FROM aggregate_state")
    con.close()
    state = _load(db, folder, "next", [("D", _one())])
    assert state["refresh"] == "incremental" and state["stored_rows_layout"]
    _assert_equals_full_rebuild(db, exact=True)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM unsynced_dossier_rows WHERE dossier_code = 'D'")
    con.execute("DELETE FROM agg_pair_days WHERE unit_code = 'W11'")
    con.execute("CREATE OR REPLACE TABLE aggregate_state AS SELECT * EXCLUDE (stored_rows_layout) FROM aggregate_state")
    con.close()
    state = _load(db, folder, "again", [("E", _one(received=12))])
    assert state["refresh"] == "incremental" and state["stored_rows_layout"]
    _assert_equals_full_rebuild(db, exact=True)
