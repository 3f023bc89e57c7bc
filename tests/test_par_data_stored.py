"""The city's own figures the PAR INDEX is scored from, stored at load (indicators/par_data_store.py): compute_par
gives the same result from them as computed live, for every year, peer group, data checks on or off and with or
without last year; the stored figures are what is read (a changed stored value shows); a load that does not store
them, a change of the rules or a missing table leaves them unread; `python -m etl import` stores them. Files:
tests/par_files.py's golden set (test_par_golden.py counts its figures by hand), loaded through etl import."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from indicators import par_data_store, stored_stamp
from indicators.par import compute_par
from indicators.stored_figures import STORED_FIGURES
from indicators.view_cache import one_view
from indicators.units import LevelNotInPeriodError
from tests.par_files import SURVEY_POINTS, UNITS, golden_db, load, write_text

ROOT = Path(__file__).resolve().parents[1]
STORED = STORED_FIGURES
CASES = [(year, group, checks, last_year) for year in (2021, 2022) for group in ("department", "district", None)
         for checks in (True, False) for last_year in (True, False)]


@pytest.fixture(scope="module")
def stored_db(tmp_path_factory) -> Path:
    db, _ = golden_db(tmp_path_factory.mktemp("par_data"), after_refresh=STORED)
    return db


def _live_copy(db: Path, copy: Path) -> Path:
    """A copy of db as a database made before the figures were stored: the three tables dropped."""
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as con:
        for table in ("par_data_values", "par_data_missing", "par_data_values_state"):
            con.execute(f"DROP TABLE {table}")
    return copy


def _results(db: Path) -> list[str]:
    """compute_par of every case, in a page view (as the page asks) and outside one, as JSON text: 1 and 1.0 differ."""
    out = []
    with duckdb.connect(str(db), read_only=True) as con:
        for year, group, checks, last_year in CASES:
            for view in (True, False):
                if view:
                    with one_view():
                        result = compute_par(con, year, group, checks=checks, with_last_year=last_year)
                else:
                    result = compute_par(con, year, group, checks=checks, with_last_year=last_year)
                out.append(json.dumps(result, sort_keys=True, default=str, ensure_ascii=False))
    return out


def _is_read(db: Path) -> bool:
    with duckdb.connect(str(db), read_only=True) as con, one_view():
        return par_data_store._stored(con) is not None


def test_stored_figures_give_what_live_computing_gives(stored_db, tmp_path):
    assert _is_read(stored_db)
    with duckdb.connect(str(stored_db), read_only=True) as con:
        stored = con.execute("SELECT peer_group, unit_code, indicator, value FROM par_data_values "
                             "WHERE year = 2022 ORDER BY ALL").fetchall()
    # 2022 (tests/par_files.py _dossiers): Sở Tư pháp 9 of 10 on time, Quận 1 1 of 4 received online
    assert ("department", "STP", "on_time_rate", 0.9) in stored
    assert ("district", "Q1", "online_rate", 0.25) in stored
    live = _live_copy(stored_db, tmp_path / "live.duckdb")
    assert not _is_read(live)
    assert _results(stored_db) == _results(live)


def test_the_stored_figures_are_what_the_scoring_reads(stored_db, tmp_path):
    """Not a vacuous equality: a stored value changed by hand changes the score computed from it."""
    changed = tmp_path / "changed.duckdb"
    shutil.copy(stored_db, changed)
    with duckdb.connect(str(changed)) as con:
        con.execute("UPDATE par_data_values SET value = 0 WHERE year = 2022 AND unit_code = 'Q1' "
                    "AND indicator = 'online_rate'")
    assert _is_read(changed)

    def q1(db):
        with duckdb.connect(str(db), read_only=True) as con:
            row = next(r for r in compute_par(con, 2022, "district")["rows"] if r["unit"] == "Q1")
        return next(c for c in row["data_check"] if c["indicator"] == "online_rate")["value"]
    assert q1(stored_db) > 0 and q1(changed) == 0


def test_a_load_without_the_refresher_or_other_rules_leave_them_unread(stored_db, tmp_path, monkeypatch):
    db = tmp_path / "later.duckdb"
    shutil.copy(stored_db, db)
    # a load that does not store them (a caller without after_refresh): its import is newer than their stamp
    _, errors = load(db, [write_text(tmp_path / "dieu_tra_2.csv", SURVEY_POINTS.replace("Sở Xây dựng", "Sở Y tế"))])
    assert errors == []
    assert not _is_read(db)
    assert _results(db) == _results(_live_copy(db, tmp_path / "later_live.duckdb"))
    # stored again by the next load that does, then other rules (a changed indicator definition or 766 weight)
    _, errors = load(db, [write_text(tmp_path / "dieu_tra_3.csv", SURVEY_POINTS)], after_refresh=STORED)
    assert errors == [] and _is_read(db)
    monkeypatch.setattr(stored_stamp, "rules_layout", lambda: "another rule set")
    assert not _is_read(db)


def test_etl_import_command_stores_them(stored_db, tmp_path):
    db = tmp_path / "cli.duckdb"
    shutil.copy(stored_db, db)
    survey = write_text(tmp_path / "dieu_tra_4.csv", SURVEY_POINTS.replace("Sở Xây dựng", "Sở Y tế"))
    done = subprocess.run([sys.executable, "-m", "etl", "import", str(survey), "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Đang tính sẵn số liệu của thành phố cho Chỉ số CCHC" in done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        last = con.execute("SELECT max(import_id) FROM import_log").fetchone()[0]
        inputs = con.execute("SELECT inputs FROM aggregate_state").fetchone()[0]
        assert par_data_store.stored_state(con) == {"layout": stored_stamp.rules_layout(), "checked_import_id": last,
                                                    "aggregate_inputs": inputs}
    assert _is_read(db)
    assert _results(db) == _results(_live_copy(db, tmp_path / "cli_live.duckdb"))


def test_changed_holidays_without_an_import_leave_them_unread(stored_db, tmp_path):
    """A load whose every file is refused writes no import but rereads the holidays, which can move every due date:
    the aggregate tables' inputs (model/freshness.py) are part of the stamp."""
    db = tmp_path / "holidays.duckdb"
    shutil.copy(stored_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE aggregate_state SET inputs = inputs || ';holidays changed'")
    assert not _is_read(db)


def test_a_year_whose_figures_cannot_be_computed_does_not_stop_the_load(stored_db, tmp_path):
    """The districts end on 31/12/2021 in a new unit list: 2022's district figures cannot be grouped by district (a
    view of them says so, stored or not); the load still lands, the departments' figures are stored and read."""
    db = tmp_path / "ended.duckdb"
    shutil.copy(stored_db, db)
    lines = UNITS.strip().split("\n")
    units = "\n".join([lines[0] + ",valid_to"] + [line + (",2021-12-31" if line.startswith(("Q1,", "Q3,")) else ",")
                                                  for line in lines[1:]]) + "\n"
    results, errors = load(db, [write_text(tmp_path / "don_vi_het_han.csv", units)], after_refresh=STORED)
    assert errors == [] and results[0]["kind"] == "units"
    assert _is_read(db)
    with duckdb.connect(str(db), read_only=True) as con:
        groups = {g for (g,) in con.execute("SELECT DISTINCT peer_group FROM par_data_values WHERE year = 2022")
                  .fetchall()}
    assert groups == {"department"}
    live = _live_copy(db, tmp_path / "ended_live.duckdb")
    for database in (db, live):
        with duckdb.connect(str(database), read_only=True) as con, pytest.raises(LevelNotInPeriodError):
            compute_par(con, 2022, "district")

    def departments(database):
        with duckdb.connect(str(database), read_only=True) as con:
            return json.dumps(compute_par(con, 2022, "department"), sort_keys=True, default=str)
    assert departments(db) == departments(live)
