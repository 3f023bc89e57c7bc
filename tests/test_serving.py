"""A load while the production server (gunicorn, several workers) serves the same file: no error, new data seen."""
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.browser_support import free_port as _free_port, open_page as _open

pytestmark = pytest.mark.browser


@pytest.fixture
def gunicorn_app(tmp_path, fixture_db):
    db = tmp_path / "served.duckdb"
    shutil.copyfile(fixture_db, db)
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w+")
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--timeout", "60", "app:server"], cwd=ROOT, env={"CCHC_DB": str(db), "PATH": "/usr/bin:/bin"},
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.terminate()
        raise AssertionError(open(tmp_path / "gunicorn.log").read())
    yield url, db, tmp_path / "gunicorn.log"
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


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
