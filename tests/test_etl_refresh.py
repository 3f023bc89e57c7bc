"""`python -m etl refresh --db DB` brings a database up to the code that runs now without loading a file: after an
update, stored figures written by other code (or aggregate tables built under other rules) are computed again and
read; the figures are those a fresh load gives; a missing file is said in Vietnamese."""
import shutil
from pathlib import Path

import duckdb
import pytest

from common.cli import USAGE_ERROR
from etl.__main__ import main as etl_main
from indicators import stored_stamp
from indicators.stored_figures import STORED_FIGURES
from model.freshness import aggregates_are_fresh
from tests.files import database_with_units, load_one, query, write_csv
from tests.par_files import golden_db

STATE_TABLES = ("par_data_values_state", "index766_series_state")
STORED_TABLES = ("par_data_values", "par_data_missing", "index766_series_periods", "index766_series_counts",
                 "index766_series_inputs", "agg_cells", "agg_unit_day", "late_dossier_rows")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    db, _ = golden_db(tmp_path_factory.mktemp("refresh"), after_refresh=STORED_FIGURES)
    return db


def _contents(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in STORED_TABLES}


def _fresh(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {"aggregates": aggregates_are_fresh(con),
                **{t: stored_stamp.stamp_is_fresh(con, t, set()) for t in STATE_TABLES}}


def _as_if_written_by_older_code(db: Path) -> None:
    """What an update leaves: stamps of another code digest and aggregate tables of other rules, their values
    spoiled too (so only a recomputation can give them back)."""
    with duckdb.connect(str(db)) as con:
        for table in STATE_TABLES:
            con.execute(f"UPDATE {table} SET layout = 'older-version'")
        con.execute("UPDATE aggregate_state SET layout = 'older-rules'")
        con.execute("UPDATE par_data_values SET value = value + 1")
        con.execute("UPDATE agg_unit_day SET received_new = received_new + 7")


def test_refresh_after_an_update_recomputes_what_the_pages_read(loaded, tmp_path, capsys):
    db = shutil.copy(loaded, tmp_path / "cchc.duckdb")
    expected = _contents(db)
    assert all(_fresh(db).values())
    _as_if_written_by_older_code(db)
    assert not any(_fresh(db).values())          # pages would compute live (and the spoiled values go unread)
    assert etl_main(["refresh", "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert "Đã tính lại" in out.out and "dựng lại theo quy tắc của phiên bản này" in out.out
    assert all(_fresh(db).values())
    assert _contents(db) == expected              # the figures a load computes, not the spoiled ones
    assert not list(tmp_path.glob("cchc.duckdb.loading-*"))              # the working copy was swapped in


def test_refresh_of_a_database_in_step_changes_no_figure(loaded, tmp_path, capsys):
    db = shutil.copy(loaded, tmp_path / "cchc.duckdb")
    expected = _contents(db)
    assert etl_main(["refresh", "--db", str(db)]) == 0
    assert "đã khớp với dữ liệu" in capsys.readouterr().out
    assert _contents(db) == expected and all(_fresh(db).values())


def test_refresh_of_a_missing_database_says_so(tmp_path, capsys):
    code = etl_main(["refresh", "--db", str(tmp_path / "khong_co.duckdb")])
    assert code == USAGE_ERROR
    assert "Không có tệp cơ sở dữ liệu" in capsys.readouterr().err
    assert not (tmp_path / "khong_co.duckdb").exists()


def test_refresh_matches_unit_names_under_this_versions_rules(tmp_path, capsys):
    # a database whose unit names were matched by an older version (no short forms): 'UBND Q.3' waited unmatched
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả"], ["HS-1", "UBND Q.3", "03/05/2022", "10/05/2022"]]
    load_one(db, write_csv(tmp_path / "ho_so.csv", rows))
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM unit_keys WHERE starts_with(unit_key, '~')")
        con.execute("UPDATE dossiers SET unit_code = NULL")
    assert etl_main(["refresh", "--db", str(db)]) == 0
    assert query(db, "SELECT unit_code FROM dossiers") == [("Q3",)]
    assert _fresh(db)["aggregates"]
    with duckdb.connect(str(db), read_only=True) as con:   # the aggregate tables count it for its unit
        assert con.execute("SELECT sum(received_new) FROM agg_unit_day WHERE unit_code = 'Q3'").fetchall() == [(1,)]
