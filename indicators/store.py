"""Read-only access to the database for the dashboard: a new file a load swaps in is opened beside the old one."""
import os
import threading
from pathlib import Path

import duckdb

from common.duckdb_connect import connect_quietly
# The tables every load creates (etl/schema.sql; a test keeps the two lists equal). A file without them was not
# made by `python -m etl`, or by a version too old for these pages: saying so beats a page that fails.
REQUIRED_TABLES = ("import_log", "units", "unit_keys", "procedures", "procedure_units", "holidays", "targets",
                   "weekend_workdays", "dossiers", "rejected_rows", "unmatched_units", "raw_dossier_rows", "sipas_catalogue",
                   "survey_responses", "survey_answers", "survey_aggregates", "index766_inputs",
                   "paper_result_procedures", "index766_published", "par_framework", "par_scores",
                   "par_survey_points", "plan_tasks",
                   "task_progress", "unit_successions")
# Tables only the loader reads (a ratings file's ratings, joined to the dossiers it writes): a database made before
# they existed still opens; the next load or `etl refresh` creates them.
LOADER_ONLY_TABLES = ("dossier_ratings",)
_ALIAS = "cchc"   # the attached file's catalog name; every cursor makes it the default (USE)
# DuckDB threads per query. Unset: DuckDB's own default (every core), right for one user. gunicorn.conf.py sets
# cores ÷ workers: with several users at once the parallelism comes from the requests, and splitting each small
# query across threads only adds coordination (measured on the full sample, one view on 1 thread instead of 2:
# 10–17 % less CPU).
QUERY_THREADS_ENV = "CCHC_QUERY_THREADS"


def missing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = {name for (name,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main'").fetchall()}
    return [name for name in REQUIRED_TABLES if name not in present]


class _Generation:
    """One version of the file (one identity): its own in-memory DuckDB instance with the file attached read-only.

    Why not duckdb.connect(path): DuckDB keeps one instance per path in the process, so while any cursor of the
    old file is alive, connect(path) hands back the OLD file even though a load has replaced it (measured on
    DuckDB 2.0.1; /proc/self/fd/N is resolved back to the same path). An unnamed in-memory instance is always new,
    and ATTACH opens the file the path names now."""

    def __init__(self, db_path: Path, identity: tuple):
        self.identity = identity
        self._lock = threading.Lock()   # cursor() of one connection from many request threads at once
        threads = os.environ.get(QUERY_THREADS_ENV, "").strip()
        self._root = connect_quietly(config={"threads": int(threads)} if threads.isdigit() else {})
        try:
            self._root.execute(f"ATTACH ? AS {_ALIAS} (READ_ONLY)", [str(db_path)])
        except duckdb.Error:
            self._root.close()
            raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        # A cursor is a connection of its own: it keeps this instance (and the file) open after the store has
        # moved on, so a query that started on the old file finishes there. USE is per connection.
        with self._lock:
            cursor = self._root.cursor()
        cursor.execute(f"USE {_ALIAS}")
        return cursor


class ReadOnlyStore:
    """The database file the dashboard serves. Each caller gets a cursor of the current file; when a load replaces
    the file (os.replace: a new inode), later callers get cursors of the new one while queries already running go
    on reading the old one. The old file is never closed by the store: it closes when its last cursor is dropped
    (closing it under running queries gave "Connection already closed!" and HTTP 500 during loads)."""

    def __init__(self, db_path):
        self.db_path = Path(db_path)
        self._generation: _Generation | None = None
        self._lock = threading.Lock()
        self.open_error: str | None = None   # why the file could not be opened, for the page to say

    def exists(self) -> bool:
        return self.db_path.exists()

    def identity(self) -> tuple | None:
        """What changes when a load swaps in a new file (inode, size, modification time); None without a file.
        Anything computed from the database can be kept under this key and is stale once it changes."""
        try:
            st = os.stat(self.db_path)
        except FileNotFoundError:
            return None
        return (str(self.db_path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def connection(self) -> duckdb.DuckDBPyConnection | None:
        """A new cursor on the current file, for one request (drop or close it when done); None when there is no
        file or it cannot be opened (see open_error)."""
        # The identity is read before the file is opened: if a load swaps the file in between, the generation
        # holds a newer file under an older identity and the next call simply opens it again; the reverse order
        # could keep an old file under the new identity for good.
        identity = self.identity()
        if identity is None:
            return None
        with self._lock:
            if self._generation is None or self._generation.identity != identity:
                generation = self._open(identity)
                if generation is None:
                    return None
                self._generation = generation   # the previous one lives on in its callers' cursors
            generation = self._generation
        return generation.cursor()

    def _open(self, identity: tuple) -> _Generation | None:
        try:
            generation = _Generation(self.db_path, identity)
            con = generation.cursor()
        except duckdb.Error as exc:
            # Not a DuckDB file, a damaged one, or one written by a newer DuckDB: the pages say so instead of
            # failing, and the next visit tries again (the file may be replaced meanwhile).
            self.open_error = str(exc).splitlines()[0]
            return None
        try:
            missing = missing_tables(con)
        finally:
            con.close()
        if missing:
            self.open_error = "thiếu bảng " + ", ".join(missing)
            return None
        self.open_error = None
        return generation


_current: ReadOnlyStore | None = None


def configure(db_path) -> ReadOnlyStore:
    """Points the process at a database file (app start-up, or CCHC_DB for gunicorn workers)."""
    global _current
    _current = ReadOnlyStore(db_path)
    return _current


def current() -> ReadOnlyStore:
    if _current is None:
        raise RuntimeError("store not configured: call indicators.store.configure(path) first")
    return _current
