"""Times pages' first views in this process, per-view memo off: the server's work for a view, without HTTP.

python benchmarks/page_views.py [--db data/sample_demo.duckdb] [--runs 3] [--pages /chi-so-cchc /chi-so-766]
    [--query nam=2022 nhom=district]
Prints, per page, the wall seconds of each run of its layout function and the least wall and CPU seconds (CPU: all
this process's threads, DuckDB's included). On a busy machine the CPU time is the figure to compare two versions
of the code by; eight users at once on two cores need about four times the CPU time of one view (wall).
benchmarks/dashboard.py --cold measures the same views through gunicorn and a browser.
gunicorn gives each worker's DuckDB its share of the cores (gunicorn.conf.py): on this 2-core machine compare with
CCHC_QUERY_THREADS=1 in front of the command to time a view as the served app draws it.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "sample_demo.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", nargs="+", default=["/chi-so-cchc", "/chi-so-766"], metavar="PATH")
    parser.add_argument("--query", nargs="*", default=[], metavar="KEY=VALUE", help="the page's URL query")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"no database at {args.db}: build it with `python -m etl sample`", file=sys.stderr)
        return 1
    os.environ["CCHC_NO_MEMO"] = "1"               # pages/_components/memo.py: every view computed afresh
    os.environ["CCHC_DB"] = str(args.db.resolve())  # read by app.py when it starts
    import dash
    import app  # noqa: F401  (the Dash app: registers every page)
    layouts = {p["path"]: p["layout"] for p in dash.page_registry.values()}
    query = dict(q.split("=", 1) for q in args.query)
    print(f"{args.db.name}, {args.runs} runs, query {query or '(none)'} (seconds)")
    for path in args.pages:
        if path not in layouts:
            print(f"  {path}: no such page", file=sys.stderr)
            continue
        walls, cpus = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            layouts[path](**query)
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        runs = " ".join(f"{w:.2f}" for w in walls)
        print(f"  {path:<15} wall min {min(walls):5.2f}  CPU min {min(cpus):5.2f}   (runs: {runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
