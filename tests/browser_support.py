"""Shared pieces of the browser tests: start the app on a database, open a page in Chromium with its errors, the
CLI's figures to compare with."""
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db, log_path: pathlib.Path, env: dict | None = None, host: str = "127.0.0.1"
              ) -> tuple[str, subprocess.Popen]:
    """`python app.py --db DB` on a free port (env: extra environment variables, e.g. CCHC_ACCOUNTS); returns
    its base URL on 127.0.0.1 (no trailing slash) and the process. The log goes to a file: a pipe nobody reads
    fills up after a few hundred requests and blocks the server."""
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--db", str(db), "--port", str(port), "--host", host],
                                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    for _ in range(450):   # 90 s: on a machine shared by several test runs, starting took over 30 s
        try:
            urllib.request.urlopen(url + "/_health", timeout=1)
            return url, proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.terminate()
    raise AssertionError(log_path.read_text(errors="replace"))


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def new_page(browser):
    """A 1366×768 page with the list that collects browser console errors and uncaught page errors."""
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def show(page, url: str | None = None, shot: str | None = None) -> None:
    """Goes to url (if given) and waits until the network is idle (every Dash callback answered) and the page's
    own content is there; a full-page screenshot when shot is named."""
    if url is not None:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    # On a busy machine "network idle" (500 ms without a request) can fall between the layout and the page
    # router's answer: the page's own content must be there before a test reads it.
    page.wait_for_function("document.querySelector('#_pages_content')?.children.length > 0")
    if shot:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)


def open_page(browser, url: str, shot: str | None = None):
    """A new page (new_page) showing url (show); returns it with its list of errors."""
    page, errors = new_page(browser)
    show(page, url, shot)
    return page, errors


def cli_json(db, *args: str) -> dict:
    """`python -m indicators ARGS --db DB` (JSON out), as a user runs it: the figures a page must show."""
    proc = subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def text_of(page, dom_id: str) -> str:
    """The visible text of the element with that id, stripped."""
    return page.locator(f"#{dom_id}").inner_text().strip()


def cli_total(db, start: str, end: str, unit: str | None = None) -> dict:
    """The total row of `python -m indicators table` for [start, end] (ISO dates) and the unit's subtree, with
    resolved_in_time (early + on time, as the dashboard's cards show it)."""
    args = [sys.executable, "-m", "indicators", "table", "--db", str(db), "--from", start, "--to", end, "--format", "json"]
    if unit:
        args += ["--unit", unit]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    total = json.loads(proc.stdout)["total"]
    total["resolved_in_time"] = total["resolved_early"] + total["resolved_on_time"]
    return total


def click_first_bar(page, graph_id: str, url_glob: str) -> None:
    """Clicks the chart's first bar until the page goes to url_glob (at most 4 clicks). On a busy machine (the
    suite's parallel workers) the first click can land on a bar Plotly is still drawing, before its click handler
    is bound; a user clicks again. A bar that never opens its unit still fails."""
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .main-svg")
    for attempt in range(4):
        page.locator(f"#{graph_id} .bars path").first.click(force=True)
        try:
            page.wait_for_url(url_glob, timeout=10_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 3:
                raise
