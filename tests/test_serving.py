"""A load while the production server (gunicorn, several workers) serves the same file: no error, new data seen."""
import concurrent.futures
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.browser_support import free_port as _free_port, open_page as _open

pytestmark = pytest.mark.browser


def _start_gunicorn(db, log_path, workers: int) -> tuple[str, subprocess.Popen]:
    """The production command (gunicorn.conf.py: gthread workers) on db; returns once the port accepts
    connections, without sending a request (the first request is what some tests are about)."""
    port = _free_port()
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                 "--timeout", "60", "app:server"], cwd=ROOT,
                                env={"CCHC_DB": str(db), "PATH": "/usr/bin:/bin"}, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"http://127.0.0.1:{port}/", proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise AssertionError(log_path.read_text())


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def gunicorn_app(tmp_path, fixture_db):
    db = tmp_path / "served.duckdb"
    shutil.copyfile(fixture_db, db)
    url, proc = _start_gunicorn(db, tmp_path / "gunicorn.log", workers=2)
    yield url, db, tmp_path / "gunicorn.log"
    _stop(proc)


def test_a_new_worker_gives_every_first_visitor_the_whole_app(demo_db, tmp_path):
    """A browser's first requests arrive together. Dash used to finish its set-up on the first one while the
    others were answered with a partial callback list (3 of 28 on the demo sample): that visitor's page
    stayed blank. Eight simultaneous first requests to a fresh worker must all get the same, whole list."""
    url, proc = _start_gunicorn(demo_db, tmp_path / "gunicorn.log", workers=1)
    try:
        def dependencies(_):
            with urllib.request.urlopen(url + "_dash-dependencies", timeout=60) as resp:
                return sorted(c["output"] for c in json.load(resp))
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(dependencies, range(8)))
    finally:
        _stop(proc)
    assert all(a == answers[0] for a in answers), [len(a) for a in answers]
    assert any("_pages_content.children" in output for output in answers[0]), answers[0]


def test_load_while_serving(browser, gunicorn_app):  # noqa: F811
    url, db, log_path = gunicorn_app
    page, errors = _open(browser, url + "du-lieu", "phuc_vu_truoc_khi_nap")
    assert "02_skhdt_tieu_de_hai_dong.xlsx" not in page.locator("#du-lieu-history").inner_text()

    # Hammer both workers while the load runs: every answer must be a 200.
    failures, stop = [], threading.Event()

    def poll():
        while not stop.is_set():
            try:
                for path in ("", "du-lieu", "_dash-layout"):
                    with urllib.request.urlopen(url + path, timeout=10) as resp:
                        if resp.status != 200:
                            failures.append(f"{path}: {resp.status}")
            except Exception as exc:   # noqa: BLE001 — any failure while loading is what this test is about
                failures.append(repr(exc))
            time.sleep(0.05)

    pollers = [threading.Thread(target=poll) for _ in range(3)]
    for t in pollers:
        t.start()
    load = subprocess.run([sys.executable, "-m", "etl", "import", str(FIXTURES / "exports" / "02_skhdt_tieu_de_hai_dong.xlsx"),
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    time.sleep(0.5)
    stop.set()
    for t in pollers:
        t.join()
    assert load.returncode == 0, load.stderr
    assert failures == []

    # Both workers pick up the new file: reload a few times so that each worker answers at least once.
    for attempt in range(4):
        page.reload()
        page.wait_for_load_state("networkidle")
        assert "02_skhdt_tieu_de_hai_dong.xlsx" in page.locator("#du-lieu-history").inner_text(), attempt
    page.close()
    log = log_path.read_text()
    assert "Traceback" not in log and "Conflicting lock" not in log, log[-3000:]
    assert errors == []
