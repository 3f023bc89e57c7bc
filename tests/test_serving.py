"""A load while the production server (gunicorn, several workers) serves the same file: no error, new data seen."""
import concurrent.futures
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.dashboard import PAGES, visit
from tests.conftest import FIXTURES, ROOT
from tests.browser_support import free_port as _free_port

EXPORTS = FIXTURES / "exports"

pytestmark = pytest.mark.browser
GUNICORN = Path(sys.executable).parent / "gunicorn"   # the venv's, also from a checkout without its own .venv


def _start_gunicorn(db, log_path, workers: int) -> tuple[str, subprocess.Popen]:
    """The production command (gunicorn.conf.py: gthread workers) on db; returns once the port accepts
    connections, without sending a request (the first request is what some tests are about)."""
    port = _free_port()
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}",
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


LOADS = [EXPORTS / "snapshot_jan.csv", EXPORTS / "snapshot_feb.csv", EXPORTS / "06_stp_trang_thai_bang_chu.csv"]


def _record_callbacks(browser, url: str) -> dict[str, list[tuple[str, dict]]]:
    """Every page's callbacks as a browser sends them on a first visit: {page: [(target, body)]}."""
    recorded = {}
    for path in PAGES:
        calls = visit(browser, url.rstrip("/") + path)["calls"]
        assert all(c["status"] == 200 for c in calls), (path, [(c["name"], c["status"]) for c in calls])
        recorded[path] = [(c["target"], c["body"]) for c in calls]
    return recorded


def _client(base: str, pages: dict, stop: threading.Event, log: list, errors: list) -> None:
    """One user opening page after page: the layout, then each callback of the page in the browser's order."""
    host, port = base.removeprefix("http://").strip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    while not stop.is_set():
        for path, calls in pages.items():
            for method, target, body in [("GET", "/_dash-layout", None)] + [("POST", t, b) for t, b in calls]:
                try:
                    conn.request(method, target, json.dumps(body) if body else None,
                                 {"Content-Type": "application/json"})
                    response = conn.getresponse()
                    text = response.read()
                    if response.status not in (200, 204):
                        errors.append(f"{path} {target}: HTTP {response.status} {text[:300]!r}")
                except (OSError, http.client.HTTPException) as exc:
                    errors.append(f"{path} {target}: {exc!r}")
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=60)
                log.append(time.monotonic())
    conn.close()


def test_eight_clients_replaying_every_page_while_three_loads_swap_the_file_get_no_error(browser, gunicorn_app):
    """The audit's HTTP 500s: 98 in 15.156 requests while loads swapped the served file (the store closed the
    connection other threads were reading). Old queries must finish on the old file, new ones read the new one."""
    url, db, log_path = gunicorn_app
    pages = _record_callbacks(browser, url)
    content = next((t, b) for t, b in pages["/du-lieu"] if "_pages_content" in b["output"])

    done, errors, stop = [], [], threading.Event()
    clients = [threading.Thread(target=_client, args=(url, pages, stop, done, errors)) for _ in range(8)]
    for t in clients:
        t.start()
    swapped_at = []
    try:
        for path in LOADS:
            time.sleep(1)
            load = subprocess.run([sys.executable, "-m", "etl", "import", str(path), "--db", str(db)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=300)
            assert load.returncode == 0, load.stderr
            swapped_at.append(time.monotonic())
        time.sleep(2)
    finally:
        stop.set()
        for t in clients:
            t.join()
    assert errors == [], f"{len(errors)} errors in {len(done)} requests: {errors[:5]}"
    # The clients were busy before, between and after the swaps (a test that cannot fail proves nothing).
    edges = [0.0, *swapped_at, float("inf")]
    assert all(any(a < d < b for d in done) for a, b in zip(edges, edges[1:])), (len(done), swapped_at)
    log = log_path.read_text()
    assert "Traceback" not in log and "Conflicting lock" not in log, log[-3000:]

    # Both workers read the last file: new connections are spread over them, and every answer has every load.
    for _ in range(8):
        request = urllib.request.Request(url.rstrip("/") + content[0], json.dumps(content[1]).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as resp:
            history = resp.read().decode()
        assert all(path.name in history for path in LOADS), history[:500]
