"""Dashboard benchmark (production gunicorn): first page load in Chromium, callback p50/p95 under concurrent clients.

    .venv/bin/python benchmarks/dashboard.py                      # data/sample_full.duckdb, gunicorn.conf.py, 8 clients
    .venv/bin/python benchmarks/dashboard.py --build              # build the full sample first when it is missing
    .venv/bin/python benchmarks/dashboard.py --pages / /don-vi --duration 10 --json benchmarks/out/dashboard.json
    .venv/bin/python benchmarks/dashboard.py --rounds 5 --no-filters   # fixed passes per client, on-load only
    .venv/bin/python benchmarks/dashboard.py --cold --db data/sample_demo.duckdb   # cold first views, ~4 min

Targets: first page load < 2 s, p95 < 250 ms per callback under 8 concurrent clients. --cold: each page's first
view (the server drawing the page, per-view memo off: CCHC_NO_MEMO=1) ≤ 1 s with 8 users opening pages at once.
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
CHROMIUM = "/usr/bin/chromium"
PAGES = ["/", "/don-vi", "/linh-vuc", "/truc-tuyen", "/ho-so-tre-han", "/hai-long", "/du-lieu"]
# Filter changes replayed on pages with the filter bar (the URL is what the filter bar writes).
FILTER_QUERIES = ["?ky=quy&nam=2022&quy=2", "?ky=thang&nam=2022&thang=6", "?ky=nam&nam=2022"]
CALLBACK_PATH = "/_dash-update-component"   # Dash 4 adds ?endId=… (only checked by background callbacks)
BUILD_CMD = [".venv/bin/python", "-m", "etl", "sample", "--scale", "full"]
TARGET_LOAD_MS, TARGET_P95_MS = 2000, 250
TARGET_COLD_VIEW_MS = 1000
COLD_PAGES = ["/", "/don-vi", "/linh-vuc", "/truc-tuyen", "/ho-so-tre-han", "/hai-long", "/chi-so-766", "/chi-so-cchc",
              "/ke-hoach", "/bao-cao", "/du-lieu", "/nhat-ky"]
PAGE_CALLBACK = "_pages_content.children"   # Dash pages' router: the callback that draws the page's view
# Time from navigation start to the last response (document, assets, every callback) of the page.
LAST_RESPONSE_JS = """() => Math.max(performance.getEntriesByType('navigation')[0].responseEnd,
    ...performance.getEntriesByType('resource').map(e => e.responseEnd))"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """The README's production command on a free port; stopped (with its workers) on exit, error or Ctrl-C."""

    def __init__(self, db: Path, workers: int | None, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The README's command; gunicorn.conf.py in the repository gives workers, threads and timeout.
        # the repository's .venv, else the one running this script (a git worktree shares another checkout's venv)
        venv_bin = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin" / "gunicorn").exists() else Path(sys.executable).parent
        self.cmd = [str(venv_bin / "gunicorn"), "-b", f"127.0.0.1:{self.port}", "app:server"]
        if workers:
            self.cmd[1:1] = ["-w", str(workers)]
        self.env = {**os.environ, "CCHC_DB": str(db), **(env or {})}
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / "dashboard_gunicorn.log"

    def __enter__(self) -> Gunicorn:
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)   # own process group: nothing survives stop()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).read()
                return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in 180 s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()   # the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)   # any worker left behind
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()

    def __exit__(self, *exc) -> None:
        self.stop()


def _component(cid) -> str:
    return "{" + ",".join(f"{k}:{v}" for k, v in cid.items()) + "}" if isinstance(cid, dict) else str(cid)


def callback_name(body: dict) -> str:
    """Outputs ← first input: '_pages_content.children+_pages_store.data ← _pages_location.pathname', …"""
    parts, last_id = [], None
    for part in body.get("output", "").strip(".").split("..."):
        cid, _, prop = part.rpartition(".")
        cid = cid.replace('"', "").replace("[ALL]", "ALL")
        prop = prop.split("@")[0]   # allow_duplicate outputs carry a hash
        parts.append(prop if cid == last_id else f"{cid}.{prop}")
        last_id = cid
    inputs = body.get("inputs") or []
    first = inputs[0] if inputs else {}
    first = (first[0] if first else {}) if isinstance(first, list) else first
    source = f" ← {_component(first.get('id'))}.{first.get('property')}" if first else ""
    return "+".join(parts) + source


def is_callback(request) -> bool:
    return request.method == "POST" and urlsplit(request.url).path == CALLBACK_PATH


def visit(browser, url: str) -> dict:
    """One load in a fresh browser context (empty cache): time to the last response, the callback requests."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    calls, errors = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def finished(request):
        if is_callback(request):
            response, body, target = request.response(), request.post_data_json, urlsplit(request.url)
            calls.append({"name": callback_name(body), "body": body, "status": response.status if response else 0,
                          "target": f"{target.path}?{target.query}", "ms": request.timing["responseEnd"]})
    page.on("requestfinished", finished)
    page.on("requestfailed", lambda r: calls.append({"name": callback_name(r.post_data_json or {}), "status": 0})
            if is_callback(r) else None)
    try:
        page.goto(url, wait_until="networkidle", timeout=180_000)
        load_ms = page.evaluate(LAST_RESPONSE_JS)
        content = page.locator("#_pages_content").inner_text()
    finally:
        context.close()
    # The filter bar's callback is among those the page fires on load when the page has the bar.
    has_filters = any(c.get("body") and '"filters-ky"' in json.dumps(c["body"].get("inputs")) for c in calls)
    return {"load_ms": load_ms, "calls": calls, "errors": errors, "not_found": "404 - Page not found" in content,
            "has_filters": has_filters}


def measure_page(browser, base: str, path: str, runs: int, filters: bool) -> dict:
    """Cold visit (records the callbacks), `runs` timed visits, and the callbacks of the filter changes."""
    cold = visit(browser, base + path)
    bad = [f"{c['name']} → HTTP {c['status'] or 'failed'}" for c in cold["calls"] if not 200 <= c["status"] < 300]
    skip = "404 (page not registered)" if cold["not_found"] else ("callback errors: " + "; ".join(bad)) if bad else None
    r = {"cold_ms": cold["load_ms"], "calls": cold["calls"], "skip": skip, "page_errors": cold["errors"],
         "load_ms": [], "filter_calls": []}
    if not skip:
        visits = [visit(browser, base + path) for _ in range(runs)]
        r["load_ms"] = [v["load_ms"] for v in visits]
        # The slowest callback of each visit as the browser saw it: one user alone, no replay running.
        r["slowest_ms"] = [max((c["ms"] for c in v["calls"] if c.get("ms") is not None), default=0) for v in visits]
        for query in FILTER_QUERIES if filters and cold["has_filters"] else []:
            calls = visit(browser, base + path + query)["calls"]
            r["filter_calls"].append([c for c in calls if 200 <= c["status"] < 300])
    return r


def first_loads(base: str, paths: list[str], runs: int, filters: bool) -> dict:
    from playwright.sync_api import Error as BrowserError, sync_playwright
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            for path in paths:
                try:
                    r = results[path] = measure_page(browser, base, path, runs, filters)
                except BrowserError as exc:   # e.g. no network idle within 3 minutes
                    r = results[path] = {"skip": f"did not load: {str(exc).splitlines()[0]}", "calls": [],
                                         "load_ms": []}
                print(f"  {path:<15} " + (f"skipped: {r['skip']}" if r["skip"] else
                      f"median {statistics.median(r['load_ms']):6.0f} ms, {len(r['calls'])} callbacks on load")
                      + (f", {len(r['page_errors'])} JavaScript errors" if r.get("page_errors") else ""), flush=True)
        finally:
            browser.close()
    return results


def replay(base: str, sequences: list[tuple[str, list[tuple[str, str, dict]]]], clients: int, duration: float | None,
           rounds: int | None) -> tuple[dict, float, int]:
    """`clients` threads, each with a keep-alive connection, replay the sequences (one page load or filter change
    each, callbacks in their order) until the duration is over or each did `rounds` passes.
    Returns {(kind, callback): [ms or None for an error]}, the elapsed seconds and the number of requests."""
    host, port = base.removeprefix("http://").split(":")
    samples: dict[tuple[str, str], list] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=120)
        mine: dict[tuple[str, str], list] = {}
        start.wait()
        n = index   # each client starts at another sequence, so the clients do not move in step
        last = index + rounds * len(sequences) if rounds is not None else None
        while (n < last) if last is not None else (time.perf_counter() < deadline[0]):
            kind, calls = sequences[n % len(sequences)]
            n += 1
            for name, target, body in calls:
                data = json.dumps(body).encode()
                t = time.perf_counter()
                try:
                    conn.request("POST", target, data, {"Content-Type": "application/json"})
                    response = conn.getresponse()
                    response.read()
                    ok = response.status in (200, 204)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(host, int(port), timeout=120)
                    ok = False
                mine.setdefault((kind, name), []).append((time.perf_counter() - t) * 1000 if ok else None)
        conn.close()
        with lock:
            for key, values in mine.items():
                samples.setdefault(key, []).extend(values)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for th in threads:
        th.start()
    deadline[0] = time.perf_counter() + (duration or 0)
    t0 = time.perf_counter()
    start.wait()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    return samples, elapsed, sum(len(v) for v in samples.values())


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, math.ceil(q / 100 * len(values)) - 1)]   # nearest rank


def summarise(values: list) -> dict:
    ok = [v for v in values if v is not None]
    return {"count": len(values), "errors": len(values) - len(ok), "p50_ms": percentile(ok, 50) if ok else None,
            "p95_ms": percentile(ok, 95) if ok else None, "max_ms": max(ok) if ok else None}


def fmt(ms) -> str:
    return "—" if ms is None else f"{ms:.0f}"


def cold_views(db: Path, workers: int | None, clients: int, rounds: int, paths: list[str]) -> int:
    """Each page's first view with the per-view memo off: one browser visit records the page's router callback,
    then `clients` users request it at once, `rounds` times each; every answer is computed afresh."""
    from playwright.sync_api import sync_playwright
    with Gunicorn(db, workers, env={"CCHC_NO_MEMO": "1"}) as server:
        bodies = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            try:
                for path in paths:
                    calls = visit(browser, server.url + path)["calls"]
                    router = [c for c in calls if c["name"].startswith(PAGE_CALLBACK) and c["status"] == 200]
                    if router:
                        bodies[path] = (router[0]["name"], router[0]["target"], router[0]["body"])
            finally:
                browser.close()
        rows = []
        for path, call in bodies.items():
            alone, _, _ = replay(server.url, [("cold", [call])], 1, None, 1)   # one user, nothing else asked
            samples, seconds, n = replay(server.url, [("cold", [call])], clients, None, rounds)
            rows.append((path, summarise(alone[("cold", call[0])]), summarise(samples[("cold", call[0])])))
            print(f"  {path:<15} {n} views in {seconds:.1f} s", flush=True)
    print(f"\nCold first view: the server drawing each page, per-view memo off; one user alone, then {clients} users "
          f"at once ({rounds} views each), ms")
    print(f"| Trang | 1 người | {clients} người p50 | p95 | max | lỗi | ≤ {TARGET_COLD_VIEW_MS} ms ({clients} người) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for path, one, s in rows:
        ok = s["p95_ms"] is not None and s["p95_ms"] <= TARGET_COLD_VIEW_MS and not s["errors"]
        print(f"| {path} | {fmt(one['p50_ms'])} | {fmt(s['p50_ms'])} | {fmt(s['p95_ms'])} | {fmt(s['max_ms'])} | "
              f"{s['errors']} | {'đạt' if ok else 'chưa đạt'} |")
    missing = [p for p in paths if p not in bodies]
    if missing:
        print("No router callback recorded for: " + ", ".join(missing))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "sample_full.duckdb")
    parser.add_argument("--build", action="store_true", help="build the full sample when --db is missing")
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py (one per core)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20, help="seconds of replay per page (default 20)")
    parser.add_argument("--rounds", type=int, help="passes per client per page instead of --duration")
    parser.add_argument("--runs", type=int, default=3, help="timed first loads per page (the median is shown)")
    parser.add_argument("--pages", nargs="+", default=PAGES, metavar="PATH")
    parser.add_argument("--no-filters", dest="filters", action="store_false", help="replay on-load callbacks only")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures to FILE")
    parser.add_argument("--cold", action="store_true",
                        help="cold first views only (memo off, --clients users at once, --rounds views each, default 1)")
    args = parser.parse_args()

    db = args.db.resolve()
    if not db.exists():
        if not args.build:
            print(f"{db} does not exist. Build the full-scale sample (about 6 minutes, peak ~4 GB of memory):\n"
                  f"    {' '.join(BUILD_CMD)}" + (f" --db {db}" if db != ROOT / "data" / "sample_full.duckdb" else "")
                  + "\nor run this benchmark with --build.", file=sys.stderr)
            return 2
        subprocess.run([str(ROOT / BUILD_CMD[0]), *BUILD_CMD[1:], "--db", str(db)], cwd=ROOT, check=True)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # a kill runs the clean-up below like Ctrl-C does
    if args.cold:
        print(f"Database {db} ({db.stat().st_size / 1e9:.2f} GB); {os.cpu_count()} CPUs; recording the views …")
        return cold_views(db, args.workers, args.clients, args.rounds or 1,
                          args.pages if args.pages != PAGES else COLD_PAGES)
    print(f"Database {db} ({db.stat().st_size / 1e9:.2f} GB); gunicorn -w {args.workers or '(gunicorn.conf.py)'}; "
          f"{args.clients} clients; {os.cpu_count()} CPUs")
    with Gunicorn(db, args.workers) as server:
        print(f"Serving at {server.url} (log: {server.log_path.relative_to(ROOT)})\nFirst page loads "
              f"(fresh Chromium context, 1366×768, navigation start → last response, median of {args.runs}):")
        pages = first_loads(server.url, args.pages, args.runs, args.filters)

        print(f"Replaying callbacks, {args.clients} clients, "
              + (f"{args.rounds} passes per client" if args.rounds else f"{args.duration:g} s") + " per page …")
        callbacks, total_requests, total_seconds = [], 0, 0.0
        for path, r in pages.items():
            if r["skip"]:
                continue
            sequences = [("load", [(c["name"], c["target"], c["body"]) for c in r["calls"]])]
            sequences += [("filter", [(c["name"], c["target"], c["body"]) for c in calls])
                          for calls in r["filter_calls"] if calls]
            samples, seconds, n = replay(server.url, sequences, args.clients, args.duration, args.rounds)
            total_requests, total_seconds = total_requests + n, total_seconds + seconds
            r["requests_per_s"] = n / seconds
            order = [("load", c["name"]) for c in r["calls"]] + sorted(k for k in samples if k[0] == "filter")
            for kind, name in dict.fromkeys(order):
                callbacks.append({"page": path, "kind": kind, "callback": name, **summarise(samples[(kind, name)])})
            print(f"  {path:<15} {n} requests in {seconds:.1f} s ({n / seconds:.1f}/s)", flush=True)

    print("\nFirst page load (ms)")
    print(f"{'page':<15} {'cold':>6} {'median':>7} {'max':>6} {'callbacks':>9} {'slowest callback':>16}  "
          f"target < {TARGET_LOAD_MS}")
    for path, r in pages.items():
        if r["skip"]:
            print(f"{path:<15} skipped: {r['skip']}")
            continue
        med = statistics.median(r["load_ms"])
        print(f"{path:<15} {r['cold_ms']:>6.0f} {med:>7.0f} {max(r['load_ms']):>6.0f} {len(r['calls']):>9} "
              f"{statistics.median(r['slowest_ms']):>16.0f}  {'ok' if med < TARGET_LOAD_MS else 'SLOW'}")
    print(f"\nCallbacks under {args.clients} concurrent clients (ms)")
    print(f"{'page':<15} {'kind':<6} {'callback':<72} {'count':>6} {'p50':>6} {'p95':>6} {'max':>6} {'err':>4}")
    for c in callbacks:
        flag = "" if c["p95_ms"] is not None and c["p95_ms"] < TARGET_P95_MS and not c["errors"] else "  ←"
        print(f"{c['page']:<15} {c['kind']:<6} {c['callback'][:72]:<72} {c['count']:>6} {fmt(c['p50_ms']):>6} "
              f"{fmt(c['p95_ms']):>6} {fmt(c['max_ms']):>6} {c['errors']:>4}{flag}")
    rate = total_requests / total_seconds if total_seconds else 0.0
    print(f"\nOverall: {total_requests} callback requests in {total_seconds:.1f} s = {rate:.1f} requests/s; "
          f"← marks p95 ≥ {TARGET_P95_MS} ms or errors.")
    skipped = {p: r["skip"] for p, r in pages.items() if r["skip"]}
    if skipped:
        print("Skipped pages: " + "; ".join(f"{p} ({why})" for p, why in skipped.items()))

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "db": str(db), "workers": args.workers, "clients": args.clients, "duration_s": args.duration,
            "rounds": args.rounds, "cpus": os.cpu_count(),
            "first_load": {p: {"skipped": r["skip"], "cold_ms": r.get("cold_ms"), "runs_ms": r["load_ms"],
                               "median_ms": statistics.median(r["load_ms"]) if r["load_ms"] else None,
                               "slowest_callback_ms": r.get("slowest_ms"), "page_errors": r.get("page_errors", []),
                               "callbacks_on_load": [{"callback": c["name"], "cold_browser_ms": c.get("ms")}
                                                     for c in r["calls"]]}
                           for p, r in pages.items()},
            "callbacks": callbacks, "requests": total_requests, "requests_per_s": rate}, ensure_ascii=False, indent=1))
        print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
