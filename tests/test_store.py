"""The dashboard's read-only store: which files it accepts, and what it says about the ones it does not."""
import contextlib
import gc
import os
import re
import shutil
import threading
import time

import duckdb

from indicators.store import LOADER_ONLY_TABLES, REQUIRED_TABLES, ReadOnlyStore
from tests.conftest import ROOT


def test_required_tables_are_the_tables_a_load_creates():
    schema = (ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")
    assert set(REQUIRED_TABLES) | set(LOADER_ONLY_TABLES) == set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema))
    assert not set(REQUIRED_TABLES) & set(LOADER_ONLY_TABLES)


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


# ---------------------------------------------------------------------------------------------------------
# A load swaps the file (os.replace) while requests read it.

def _swap_in(db, generation: int) -> None:
    """What a load does to the served file: a changed copy replaces it whole (a new inode)."""
    work = db.with_name(db.name + ".work")
    shutil.copyfile(db, work)
    con = duckdb.connect(str(work))
    con.execute("CREATE OR REPLACE TABLE generation AS SELECT ? AS n", [generation])
    con.close()
    os.replace(work, db)


def _open_deleted_files() -> list[str]:
    """Files this process still holds open although they were replaced (Linux)."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [t for t in targets if t.endswith("(deleted)") and ".duckdb" in t]


def test_a_query_started_on_the_old_file_finishes_there_and_the_next_one_reads_the_new_file(fixture_db, tmp_path):
    db = tmp_path / "served.duckdb"
    shutil.copyfile(fixture_db, db)
    _swap_in(db, 1)
    store = ReadOnlyStore(db)
    old = store.connection()
    assert old.execute("SELECT n FROM generation").fetchall() == [(1,)]
    _swap_in(db, 2)
    new = store.connection()
    # DuckDB keeps one instance per path in a process: a plain duckdb.connect(path) here gave the old file.
    assert new.execute("SELECT n FROM generation").fetchall() == [(2,)]
    assert old.execute("SELECT n, (SELECT count(*) FROM dossiers) > 0 FROM generation").fetchall() == [(1, True)]
    del old
    gc.collect()
    # The replaced file is let go once its last cursor is: a server does not pin every old copy on disk.
    assert _open_deleted_files() == []
    assert new.execute("SELECT n FROM generation").fetchall() == [(2,)]


def test_eight_threads_reading_while_the_file_is_swapped_five_times_get_no_error(fixture_db, tmp_path):
    """The audit's HTTP 500s in-process: the store closed the connection other threads' cursors belonged to
    ("Connection already closed!", "No open result set")."""
    db = tmp_path / "served.duckdb"
    shutil.copyfile(fixture_db, db)
    _swap_in(db, 0)
    store = ReadOnlyStore(db)
    errors, seen, stop = [], [[] for _ in range(8)], threading.Event()

    def read(mine: list) -> None:
        while not stop.is_set():
            try:
                con = store.connection()
                # Two statements on one cursor with a swap possibly in between: both from the same file.
                (n,), = con.execute("SELECT n FROM generation").fetchall()
                con.execute("SELECT unit_code, count(*) FROM dossiers GROUP BY ALL ORDER BY 2 DESC").fetchall()
                assert con.execute("SELECT n FROM generation").fetchall() == [(n,)]
                mine.append(n)
            except Exception as exc:   # noqa: BLE001 — any failure is what this test is about
                errors.append(repr(exc))

    threads = [threading.Thread(target=read, args=(mine,)) for mine in seen]
    for t in threads:
        t.start()
    for generation in range(1, 6):
        time.sleep(0.3)
        _swap_in(db, generation)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    # Each thread only ever moves forward, and ends on the last file.
    assert all(s == sorted(s) and s[-1] == 5 for s in seen), [s[-3:] for s in seen]
    assert store.connection().execute("SELECT n FROM generation").fetchall() == [(5,)]
    gc.collect()
    assert _open_deleted_files() == []
