"""Read-only access to the database for the dashboard: reopen when a load swaps in a new file."""
import os
import threading
from pathlib import Path

import duckdb

# The tables every load creates (etl/schema.sql; a test keeps the two lists equal). A file without them was not
# made by `python -m etl`, or by a version too old for these pages: saying so beats a page that fails.
REQUIRED_TABLES = ("import_log", "units", "unit_keys", "procedures", "procedure_units", "holidays", "targets",
                   "dossiers", "rejected_rows", "unmatched_units", "raw_dossier_rows", "sipas_catalogue",
                   "survey_responses", "survey_answers", "survey_aggregates")


def missing_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = {name for (name,) in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    return [name for name in REQUIRED_TABLES if name not in present]


class ReadOnlyStore:
    """One read-only DuckDB connection per process, reopened when the file's inode changes (a load replaced it
    with os.replace). The old connection is closed first: duckdb.connect would hand back the old file while any
    connection to that path is still open."""

    def __init__(self, db_path):
        self.db_path = Path(db_path)
        self._con = None
        self._inode = None
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
        return (str(self.db_path), st.st_ino, st.st_size, st.st_mtime_ns)

    def connection(self) -> duckdb.DuckDBPyConnection | None:
        """A cursor on the current file; None when there is no file or it cannot be opened (see open_error)."""
        with self._lock:
            try:
                inode = os.stat(self.db_path).st_ino
            except FileNotFoundError:
                return None
            if self._con is None or inode != self._inode:
                if self._con is not None:
                    self._con.close()
                    self._con = None
                try:
                    con = duckdb.connect(str(self.db_path), read_only=True)
                except duckdb.Error as exc:
                    # Not a DuckDB file, a damaged one, or one written by a newer DuckDB: the pages say so
                    # instead of failing, and the next visit tries again (the file may be replaced meanwhile).
                    self.open_error = str(exc).splitlines()[0]
                    return None
                missing = missing_tables(con)
                if missing:
                    con.close()
                    self.open_error = "thiếu bảng " + ", ".join(missing)
                    return None
                self._con = con
                self.open_error = None
                self._inode = inode
            return self._con.cursor()


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
