"""Times one unit's inspection pack (`python -m indicators inspection`) part by part, in this process.

python benchmarks/inspection.py [--db data/sample_demo.duckdb] [--unit SKHDT] [--as-of 2022-08-08] [--runs 3]
Prints min / median / max wall seconds of each part of indicators/inspection.py (the ranks, late dossiers, SIPAS,
766, plan tasks, PAR INDEX) and of the whole pack with its two files, over --runs runs, and the least CPU seconds
this process spent on it (all its threads): on a busy machine the wall time says more about the others' load, the
CPU time compares two versions of the code. It only reports; run it on an otherwise idle machine.
"""
import argparse
import io
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exports.inspection_docx import write_inspection_docx  # noqa: E402
from exports.inspection_xlsx import write_inspection_xlsx  # noqa: E402
from indicators import inspection  # noqa: E402
from indicators.scope import resolve_unit  # noqa: E402
from indicators.units import unit_path  # noqa: E402


def _timed(fn, runs: int) -> tuple[list[float], float]:
    """(wall seconds of each run, least CPU seconds of a run)."""
    out, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return out, min(cpu)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "sample_demo.duckdb")
    parser.add_argument("--unit", default="SKHDT")
    parser.add_argument("--as-of", default="2022-08-08")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists():
        print(f"no database at {args.db}: build it with `python -m etl sample`", file=sys.stderr)
        return 1
    con = duckdb.connect(str(args.db), read_only=True)
    as_of = date.fromisoformat(args.as_of)
    period = inspection.default_period(as_of)
    code, _, level = resolve_unit(con, args.unit)
    parent = unit_path(con, code)[-1].parent_code

    def whole():
        pack = inspection.compute_inspection(con, code, as_of)
        write_inspection_docx(pack, io.BytesIO())
        write_inspection_xlsx(pack, io.BytesIO())

    parts = {"ranks": lambda: inspection._peer_rank(con, period, code, level, parent),
             "late dossiers": lambda: inspection._late(con, period, code, inspection.LATE_LIMIT),
             "SIPAS": lambda: inspection._sipas(con, period, code),
             "766": lambda: inspection._index766(con, period, code, level),
             "plan tasks": lambda: inspection._tasks(con, code, as_of),
             "PAR INDEX": lambda: inspection._par(con, as_of, code),
             "whole pack + docx + xlsx": whole}
    print(f"{args.unit}, {period.start} – {period.end}, plan at {as_of}, {args.runs} runs "
          "(seconds: wall min / median / max, CPU min)")
    for name, fn in parts.items():
        t, cpu = _timed(fn, args.runs)
        print(f"  {name:<26} {min(t):6.2f} {statistics.median(t):6.2f} {max(t):6.2f}   {cpu:6.2f}")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
