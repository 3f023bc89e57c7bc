"""Load into a copy of the database and swap it in whole, so a dashboard reading the file never sees a lock
conflict or a half-done load."""
import contextlib
import os
import shutil
from pathlib import Path

try:
    import fcntl
except ImportError:   # not on Linux/macOS: no cross-process lock, loads must not overlap
    fcntl = None


@contextlib.contextmanager
def exclusive_load(db_path):
    """Yields the path of a working copy of db_path (a new file if there is none yet); on success the copy
    replaces db_path with os.replace (readers reopen on the new inode), on failure it is removed.

    DuckDB allows one writer or many read-only processes, never both: writing the served file in place would
    fail with "Conflicting lock is held" while the dashboard has it open. Two loads at once are serialized by
    a lock file, so the second one copies the first one's result instead of overwriting it."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "w") as lock:
        if fcntl:
            fcntl.flock(lock, fcntl.LOCK_EX)
        work = db_path.with_name(f"{db_path.name}.loading-{os.getpid()}")
        _remove(work)
        if db_path.exists():
            shutil.copyfile(db_path, work)
            wal = db_path.with_name(db_path.name + ".wal")
            if wal.exists():   # a writer stopped before its checkpoint: the copy needs its log too
                shutil.copyfile(wal, work.with_name(work.name + ".wal"))
        try:
            yield work
        except BaseException:
            _remove(work)
            raise
        os.replace(work, db_path)
        # The old log was replayed into the copy; left beside the new file it would be replayed again.
        db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
