"""Read-only access to the database for the dashboard: reopen when a load swaps in a new file."""
import os
import threading
from pathlib import Path

import duckdb


class ReadOnlyStore:
    """One read-only DuckDB connection per process, reopened when the file's inode changes (a load replaced it
    with os.replace). The old connection is closed first: duckdb.connect would hand back the old file while any
    connection to that path is still open."""

    def __init__(self, db_path):
        self.db_path = Path(db_path)
        self._con = None
        self._inode = None
        self._lock = threading.Lock()

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
        with self._lock:
            try:
                inode = os.stat(self.db_path).st_ino
            except FileNotFoundError:
                return None
            if self._con is None or inode != self._inode:
                if self._con is not None:
                    self._con.close()
                self._con = duckdb.connect(str(self.db_path), read_only=True)
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
