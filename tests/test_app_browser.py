"""The dashboard in a real headless Chromium: pages open without console errors and show the data's freshness."""
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    procs = []

    def start(db) -> str:
        port = _free_port()
        # The server's log goes to a file: a pipe nobody reads fills up and then blocks the server.
        log_path = tmp_path / f"app_{port}.log"
        log = open(log_path, "w")
        proc = subprocess.Popen([sys.executable, "app.py", "--db", str(db), "--port", str(port)], cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT)
        procs.append((proc, log))
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1)
                return url
            except OSError:
                time.sleep(0.2)
        raise AssertionError(log_path.read_text())
    yield start
    for proc, log in procs:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def _open(browser, url, shot_name):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot_name}.png"), full_page=True)
    return page, errors


def test_data_page_shows_freshness_and_rejects(browser, serve, fixture_db):
    page, errors = _open(browser, serve(fixture_db) + "du-lieu", "du_lieu")
    assert page.locator("#app-freshness").inner_text().startswith("Số liệu đến ngày ")
    assert "Thiếu mã hồ sơ" in page.locator("#du-lieu-rejects").inner_text()
    assert errors == []


def test_without_a_database_the_page_says_how_to_load(browser, serve, tmp_path):
    page, errors = _open(browser, serve(tmp_path / "chua_co.duckdb"), "chua_co_du_lieu")
    assert page.locator("#app-freshness").inner_text() == "Chưa có dữ liệu"
    assert "Chưa có dữ liệu" in page.locator("#no-data").inner_text()
    assert "python -m etl import" in page.locator("#no-data").inner_text()
    assert errors == []


@pytest.mark.parametrize("path, shot", [("", "tong_quan_fixture"), ("don-vi", "don_vi_fixture"),
                                        ("don-vi?ky=tuy_chon&tu=2022-07-01&den=2022-09-30", "don_vi_fixture_range")])
def test_figure_pages_open_on_a_small_database(browser, serve, fixture_db, path, shot):
    page, errors = _open(browser, serve(fixture_db) + path, shot)
    assert page.locator("#filters-period-label").inner_text()
    assert errors == []
