"""Times the leadership report (`python -m indicators report`) as a whole command, per output format.

python benchmarks/report.py [--db data/sample_demo.duckdb] [--runs 3] [--from 2022-04-01 --to 2022-06-30]
Prints min / median / max wall seconds of each format over --runs runs (interpreter start-up included), the
whole city, one quarter. It only reports; run it on an otherwise idle machine.
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "sample_demo.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--from", dest="start", default="2022-04-01")
    parser.add_argument("--to", dest="end", default="2022-06-30")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"no database at {args.db}: build it with `python -m etl sample`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as out:
        for fmt in ("json", "xlsx"):
            times = []
            for i in range(args.runs):
                command = [sys.executable, "-m", "indicators", "report", "--db", str(args.db), "--from", args.start,
                           "--to", args.end, "--format", fmt, "--out", str(Path(out) / f"report_{i}.{fmt}")]
                started = time.perf_counter()
                subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
                times.append(time.perf_counter() - started)
            print(f"report --format {fmt:4}: min {min(times):.2f} s, median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s ({args.runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
