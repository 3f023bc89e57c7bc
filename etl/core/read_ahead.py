"""Reads the files of a load one ahead, in a background thread, while the database work of the file before runs."""
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from etl.core.readers import ReadFile, read_file

# The next file is read ahead only when it is at most this large on disk: its grid is then held in memory beside the
# grid being loaded. A million-row export (100–160 MB) is read when its turn comes, so a load's peak memory stays
# that of its largest file. The first file is always read at once: nothing else is held yet.
READ_AHEAD_MAX_BYTES = 64 * 2**20


class ReadAhead:
    """read(path) gives the file's ReadFile or raises what read_file raised, as a direct call would. The reading
    itself runs in one worker thread: fastexcel (calamine) and DuckDB's CSV reader release the GIL, so a file is
    read while the load connects, copies the served database, or loads the file before it (measured: a 1M-row
    xlsx takes 7 s to read on one core, the other core idle meanwhile)."""

    def __init__(self, paths):
        self._paths = [Path(p) for p in paths]
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
        self._pending: dict[int, Future] = {}
        self._taken = 0
        self._start(0)

    def _start(self, index: int) -> None:
        if index < len(self._paths) and index not in self._pending:
            self._pending[index] = self._pool.submit(read_file, self._paths[index])

    def read(self, path) -> ReadFile:
        """The next file of the load (files are taken in their order; another path is read now, in this thread)."""
        index = self._taken
        if index >= len(self._paths) or Path(path) != self._paths[index]:
            return read_file(Path(path))
        self._taken += 1
        future = self._pending.pop(index, None) or self._pool.submit(read_file, self._paths[index])
        following = index + 1
        if following < len(self._paths) and _small(self._paths[following]):
            self._start(following)
        return future.result()

    def close(self) -> None:
        """Drops the reads not taken (a load stopped early: a database that cannot be written is said at once, not
        after a large file's read); one already running finishes in the background and is discarded."""
        self._pending.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _small(path: Path) -> bool:
    try:
        return path.stat().st_size <= READ_AHEAD_MAX_BYTES
    except OSError:   # missing or unreadable: read_file says so when the file's turn comes
        return False
