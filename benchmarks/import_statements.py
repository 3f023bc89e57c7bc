"""Where an import's time goes: runs `python -m etl import` in this process and prints its slowest SQL statements.

    .venv/bin/python benchmarks/import_statements.py FILE --db TARGET [other etl import options] [--top 25]

Each statement the load's connection runs (etl/core/database.py `connect`) is timed: wall seconds and this
process's CPU seconds while it ran (DuckDB's threads included). The first line gives the whole import's wall and
CPU time and the part spent outside the timed statements (reading the file, Python). Use a copy of a database:
the import writes to TARGET. To compare two versions of the code, compare the CPU column on a busy machine.
"""
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import etl.core.database as database  # noqa: E402  (after the path: the repository's packages)
import etl.importer as importer  # noqa: E402
import etl.uploads as uploads  # noqa: E402
from etl.__main__ import main as etl_main  # noqa: E402

TIMINGS: list[tuple[float, float, str]] = []


class _TimedConnection:
    """The load's DuckDB connection with execute/sql timed; everything else passes through unchanged."""

    def __init__(self, con):
        self._con = con

    def __getattr__(self, name):
        return getattr(self._con, name)

    def _timed(self, method: str, query, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = getattr(self._con, method)(query, *args, **kwargs)
        TIMINGS.append((time.perf_counter() - wall, time.process_time() - cpu, " ".join(str(query).split())))
        return result

    def execute(self, query, *args, **kwargs):
        return self._timed("execute", query, *args, **kwargs)

    def sql(self, query, *args, **kwargs):
        return self._timed("sql", query, *args, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._con.__exit__(*exc)


def _timed_connect(db_path):
    return _TimedConnection(_real_connect(db_path))


_real_connect = database.connect


def main() -> int:
    argv = sys.argv[1:]
    top = 25
    if "--top" in argv:
        at = argv.index("--top")
        top = int(argv[at + 1])
        del argv[at:at + 2]
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    # the modules that open the load's connection hold their own name for connect
    database.connect = importer.connect = uploads.connect = _timed_connect
    wall = time.perf_counter()
    code = etl_main(["import", *argv])
    wall = time.perf_counter() - wall
    usage = resource.getrusage(resource.RUSAGE_SELF)
    in_statements = sum(t[0] for t in TIMINGS)
    print(f"import: wall {wall:.2f} s, CPU {usage.ru_utime + usage.ru_stime:.2f} s (with Python's start); "
          f"{len(TIMINGS)} statements {in_statements:.2f} s wall; outside them {wall - in_statements:.2f} s; "
          f"exit code {code}")
    print(f"{'wall s':>7} {'CPU s':>7}  statement")
    for seconds, cpu, text in sorted(TIMINGS, reverse=True)[:top]:
        print(f"{seconds:7.3f} {cpu:7.3f}  {text[:160]}")
    return code


if __name__ == "__main__":
    sys.exit(main())
