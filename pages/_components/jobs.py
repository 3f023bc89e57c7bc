"""The manager of the dashboard's long jobs (Dash background callbacks, DiskcacheManager): a disk cache that every
server process shares, so a job started through one gunicorn worker is answered through any other; each job runs
in a process of its own (multiprocess) and reports its progress with set_progress.

The cache lives in CCHC_JOBS_DIR, else in the system's temporary folder under a name made of the user and the
served database (every worker of one server finds the same folder; two servers on two databases never share)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import diskcache
from dash import DiskcacheManager

from accounts.files import served_database
from indicators import store

__all__ = ["jobs_dir", "JOBS", "job_connection"]

RESULT_LIFETIME = 24 * 3600   # seconds a finished job's file waits for its browser (a closed tab never asks)


def jobs_dir() -> Path:
    override = os.environ.get("CCHC_JOBS_DIR")
    if override:
        return Path(override)
    key = hashlib.sha1(str(served_database().resolve()).encode("utf-8")).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"cchc-jobs-{os.getuid()}-{key}"


def _private(folder: Path) -> Path:
    """The folder, readable by this user only: finished report packs wait there up to a day (probe 55: the cache was
    readable by every local user). A folder of that name another user made first is not used."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_uid != os.getuid():
        raise RuntimeError(f"Thư mục công việc nền {folder} thuộc người dùng khác: hãy đặt CCHC_JOBS_DIR.")
    os.chmod(folder, 0o700)
    return folder


JOBS = DiskcacheManager(diskcache.Cache(str(_private(jobs_dir())), size_limit=2 ** 30), expire=RESULT_LIFETIME)


def job_connection():
    """A read-only connection for a job: its own DuckDB instance on the file the server serves now. The job runs in
    a forked process, where the parent's DuckDB instance (and its threads) must not be touched."""
    return store.ReadOnlyStore(store.current().db_path).connection()
