"""The dashboard's read-only store: which files it accepts, and what it says about the ones it does not."""
import re

import duckdb

from indicators.store import REQUIRED_TABLES, ReadOnlyStore
from tests.conftest import ROOT


def test_required_tables_are_the_tables_a_load_creates():
    schema = (ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")
    assert set(REQUIRED_TABLES) == set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema))


def test_a_loaded_database_opens(fixture_db):
    store = ReadOnlyStore(fixture_db)
    con = store.connection()
    assert con is not None and store.open_error is None
    assert con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0] > 0


def test_a_missing_file_is_no_data_not_an_error(tmp_path):
    store = ReadOnlyStore(tmp_path / "chua_co.duckdb")
    assert store.connection() is None and store.open_error is None


def test_a_file_that_is_not_duckdb_is_reported(tmp_path):
    wrong = tmp_path / "cchc.duckdb"
    wrong.write_text("STT;Mã hồ sơ\n1;H001\n", encoding="utf-8")
    store = ReadOnlyStore(wrong)
    assert store.connection() is None
    assert "not a valid DuckDB database" in store.open_error


def test_an_empty_duckdb_file_names_the_missing_tables_then_opens_once_loaded(tmp_path):
    db = tmp_path / "cchc.duckdb"
    duckdb.connect(str(db)).close()
    store = ReadOnlyStore(db)
    assert store.connection() is None
    assert store.open_error.startswith("thiếu bảng import_log, units")
    # The load that follows creates the schema: the same store opens it without a restart.
    con = duckdb.connect(str(db))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.close()
    assert store.connection() is not None and store.open_error is None
