"""Load into a copy of the database and swap it in whole, so a dashboard reading the file never sees a lock
conflict or a half-done load."""
import contextlib
import errno
import os
import re
import shutil
import sys
import threading
from pathlib import Path

import duckdb

from common.duckdb_connect import connect_quietly
from etl.core.errors import UnusableDatabase

try:
    import fcntl
except ImportError:   # not on Linux/macOS: no cross-process lock, loads must not overlap
    fcntl = None

# Bytes 8–11 of every DuckDB database file (after an 8-byte checksum).
_DUCKDB_MAGIC = b"DUCK"


@contextlib.contextmanager
def exclusive_load(db_path, *, fresh: bool = False, notice=None):
    """Yields the path of a working copy of db_path (a new file if there is none yet, or with fresh); on success
    the copy replaces db_path with os.replace (readers open the new inode), on failure it is removed.

    DuckDB allows one writer or many read-only processes, never both: writing the served file in place would
    fail with "Conflicting lock is held" while the dashboard has it open. Two loads at once are serialized by
    the lock file <db>.lock (left in place: removing it would let a load waiting on the old one and a new load
    lock two different files), so the second one copies the first one's result instead of overwriting it.
    Raises UnusableDatabase when db_path cannot hold the database; notice(text) hears of stale copies removed."""
    db_path = _usable_target(db_path)
    with _locked(db_path):
        if fcntl:   # without the lock another load may be running: its copy is not stale
            _remove_stale_copies(db_path, notice or _to_stderr)
        work = db_path.with_name(f"{db_path.name}.loading-{os.getpid()}")
        _remove(work)
        flushing = None
        try:
            if db_path.exists() and not fresh:
                _copy_database(db_path, work)
                flushing = _flush_in_background(work)
            yield work
        except BaseException:
            _join(flushing)
            _remove(work)
            raise
        _join(flushing)
        os.replace(work, db_path)
        # The old log was replayed into the copy; left beside the new file it would be replayed again.
        db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)


def _usable_target(db_path) -> Path:
    """The file a link names, resolved once: os.replace on the link itself would put a plain file in its place
    (two databases from then on, their loads not serialized), and the lock must be the real file's. Checked
    before anything is written (not even the lock file is left beside a path that is refused)."""
    real = Path(os.path.realpath(db_path))
    if real.is_dir():
        raise UnusableDatabase(f"--db {db_path} là một thư mục, không phải tệp cơ sở dữ liệu. Hãy ghi tên tệp, "
                               f"ví dụ --db {Path(db_path) / 'cchc.duckdb'}.")
    _check_is_database(real)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnusableDatabase(_cannot_write(db_path, exc)) from None
    return real


@contextlib.contextmanager
def _locked(db_path: Path):
    try:
        lock = open(db_path.with_name(db_path.name + ".lock"), "w")
    except OSError as exc:
        raise UnusableDatabase(_cannot_write(db_path, exc)) from None
    with lock:
        if fcntl:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _check_is_database(db_path: Path) -> None:
    """A file already at db_path must be a DuckDB database: a load would otherwise fail half-way with an English
    traceback, and the swap would have put a database in place of someone's spreadsheet."""
    if not db_path.exists():
        return
    magic = b""
    if db_path.is_file():   # not a pipe or a device: reading those could wait for ever
        try:
            with open(db_path, "rb") as handle:
                magic = handle.read(12)[8:]
        except OSError as exc:
            raise UnusableDatabase(f"Không đọc được tệp cơ sở dữ liệu {db_path}: {_reason(exc)}.") from None
    if magic != _DUCKDB_MAGIC:
        raise UnusableDatabase(f"Tệp {db_path} không phải cơ sở dữ liệu DuckDB (có thể là tệp khác đặt nhầm tên "
                               "hoặc tệp bị hỏng); không nạp gì và tệp được giữ nguyên. Hãy chọn tệp khác cho --db, "
                               "hoặc một tên tệp chưa có để tạo cơ sở dữ liệu mới.")


def clone_file(source: Path, target: Path) -> None:
    """Copies source to target with copy_file_range: on a copy-on-write file system (XFS, Btrfs) the kernel
    shares the blocks instead (a reflink, as `cp --reflink=auto`), so the copy costs the same for any size and
    the load's writes take new blocks; elsewhere the kernel copies without the data passing through this
    process. Falls back to an ordinary copy where the call is missing or refused (other systems, some file
    systems, across devices)."""
    if not hasattr(os, "copy_file_range"):
        shutil.copyfile(source, target)
        return
    with open(source, "rb") as src, open(target, "wb") as dst:
        remaining = os.fstat(src.fileno()).st_size
        try:
            while remaining > 0:
                done = os.copy_file_range(src.fileno(), dst.fileno(), remaining)
                if done == 0:   # the file shrank under us: stop at its end, as a plain copy would
                    break
                remaining -= done
            return
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EPERM):
                raise
    shutil.copyfile(source, target)


def _flush_in_background(path: Path) -> threading.Thread:
    """Starts writing the fresh copy's pages to disk while the load reads its file and computes: the copy leaves
    the whole database as dirty pages in the page cache (no reflink on ext4), and the checkpoint at the end of the
    load syncs the file, so it waited for all of them (0,2–0,7 s for a 0,5 GB database, the largest cost of a
    daily load that grows with the database). The thread's fsync releases the GIL; the checkpoint's sync then
    finds little left to write."""
    def flush():
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:   # a system that refuses fsync on a read-only handle: the checkpoint syncs as before
            pass
        finally:
            os.close(fd)
    thread = threading.Thread(target=flush, name="flush-working-copy", daemon=True)
    thread.start()
    return thread


def _join(thread: threading.Thread | None) -> None:
    """Waits for the background flush (long done by then): its open handle must be closed before the copy is
    renamed or removed (Windows refuses either while a handle is open)."""
    if thread is not None:
        thread.join()


def working_copy(db_path, work) -> None:
    """A copy of db_path at work that nothing serves or swaps in (an upload's preview loads into it and throws it
    away); UnusableDatabase when db_path cannot be copied or opened."""
    _copy_database(_usable_target(db_path), Path(work))


def _copy_database(db_path: Path, work: Path) -> None:
    try:
        clone_file(db_path, work)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():   # a writer stopped before its checkpoint: the copy needs its log too
            clone_file(wal, work.with_name(work.name + ".wal"))
    except OSError as exc:
        raise UnusableDatabase(_cannot_write(db_path, exc)) from None
    try:   # opened on the copy (ours alone, so no lock conflict with a dashboard reading the file)
        connect_quietly(str(work)).close()
    except duckdb.Error as exc:
        raise UnusableDatabase(f"Tệp {db_path} là cơ sở dữ liệu DuckDB nhưng không mở được: tệp bị hỏng hoặc do "
                               "phiên bản DuckDB khác tạo ra; không nạp gì và tệp được giữ nguyên (chi tiết: "
                               f"{str(exc).splitlines()[0]}).") from None


def _cannot_write(db_path, exc: OSError) -> str:
    return (f"Không ghi được cơ sở dữ liệu {db_path} ({_reason(exc)}): mỗi lần nạp ghi một bản chép bên cạnh tệp "
            "rồi mới thay tệp, nên cần quyền ghi và chỗ trống trong thư mục chứa tệp.")


_REASONS = {errno.EACCES: "không có quyền", errno.EPERM: "không có quyền", errno.EROFS: "ổ đĩa chỉ cho đọc",
            errno.ENOSPC: "hết chỗ trống trên đĩa", errno.EDQUOT: "hết hạn mức dung lượng",
            errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
            errno.EEXIST: "một phần của đường dẫn là tệp, không phải thư mục"}


def _reason(exc: OSError) -> str:
    """The operating system's reason in Vietnamese where it is a common one (its own words otherwise)."""
    return _REASONS.get(exc.errno) or exc.strerror or str(exc)


def _remove_stale_copies(db_path: Path, notice) -> None:
    """Working copies left by a load that was killed (kill -9, power cut): each is a full copy of the database.
    Called under the lock, so no other load of this database is running: every copy found is stale, whatever
    its process number (a number can be reused by another process since)."""
    pattern = re.compile(re.escape(db_path.name) + r"\.loading-(\d+)")
    for path in sorted(db_path.parent.glob(db_path.name + ".loading-*")):
        if pattern.fullmatch(path.name) and path.name != f"{db_path.name}.loading-{os.getpid()}":
            _remove(path)
            notice(f"Đã xóa {path.name}: bản chép dở dang của một lần nạp bị dừng giữa chừng "
                   f"(cơ sở dữ liệu {db_path.name} không bị ảnh hưởng).")


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
