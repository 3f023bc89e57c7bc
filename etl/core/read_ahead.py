"""Reads the files of a load one ahead, in a background thread, while the database work of the file before runs."""
import threading
from concurrent.futures import Future
from pathlib import Path

from etl.core.readers import EXCEL_SUFFIXES, ReadFile, read_file

# The next file is read ahead only when it is at most this large on disk: its grid is then held in memory beside the
# grid being loaded. A workbook unpacks to several times its size, a CSV to about its size. A million-row export
# (100–160 MB) is read when its turn comes, so a load's peak memory stays that of its largest file. The first file
# is always read at once: nothing else is held yet.
READ_AHEAD_MAX_BYTES = 64 * 2**20
READ_AHEAD_MAX_WORKBOOK_BYTES = 16 * 2**20


class ReadAhead:
    """read(path) gives the file's ReadFile or raises what read_file raised, as a direct call would. One file is
    read at a time, in a daemon thread: fastexcel (calamine) and DuckDB's CSV reader release the GIL, so a file is
    read while the command imports the loaders, the load copies the served database and connects, or the file
    before it loads (measured: a 1M-row xlsx takes 7 s to read on one core, the other core idle meanwhile). A
    command that stops early (a refused --db, Ctrl-C) does not wait for a read under way."""

    def __init__(self, paths):
        self._paths = [Path(p) for p in paths]
        self._pending: dict[int, Future] = {}
        self._taken = 0
        self._start(0)

    def _start(self, index: int) -> None:
        if index < len(self._paths) and index not in self._pending:
            self._pending[index] = _read_in_background(self._paths[index], index)

    def read(self, path) -> ReadFile:
        """The next file of the load (files are taken in their order; another path is read now, in this thread)."""
        index = self._taken
        if index >= len(self._paths) or Path(path) != self._paths[index]:
            return read_file(Path(path))
        self._taken += 1
        future = self._pending.pop(index, None) or _read_in_background(self._paths[index], index)
        try:
            return future.result()
        finally:   # the next file is read while this one loads (a failed read is said, and the load goes on)
            following = index + 1
            if following < len(self._paths) and _small(self._paths[following]):
                self._start(following)

    def close(self) -> None:
        """Drops the reads not taken (a load stopped early); one under way ends with the process."""
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _read_in_background(path: Path, index: int) -> Future:
    future: Future = Future()

    def run():
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(read_file(path))
        except BaseException as exc:   # handed to the reader of the result, as a direct call would raise it
            future.set_exception(exc)
    threading.Thread(target=run, name=f"read-ahead-{index}", daemon=True).start()
    return future


def _small(path: Path) -> bool:
    limit = READ_AHEAD_MAX_WORKBOOK_BYTES if path.suffix.lower() in EXCEL_SUFFIXES else READ_AHEAD_MAX_BYTES
    try:
        return path.stat().st_size <= limit
    except OSError:   # missing or unreadable: read_file says so when the file's turn comes
        return False
