"""Daily-load benchmark: the time of loading one file of 1,000 dossiers into an empty database and into one of
N million dossiers (default 10 M), as whole `python -m etl import` processes, and the ratio of the two.

    .venv/bin/python benchmarks/incremental.py                      # 10 M, 3 runs each (builds the base first)
    .venv/bin/python benchmarks/incremental.py --rows 1000000 --runs 5
    .venv/bin/python benchmarks/incremental.py --reuse              # keep the base databases of an earlier run

The bases are generated inside DuckDB (benchmarks/indicators.py: units, dossiers over 2021–2022, holidays and the
aggregate tables), the "empty" one with the same units and no dossier. The file is a CSV export of 1,000 rows
for source 'bench' with snapshot 31/01/2023: 700 new dossiers and 300 newer snapshots of dossiers the large base
holds (finished later, some returned, some moved to another unit), so the load both inserts and changes. Before
each run the base is copied to the target (not timed); the run is `python -m etl import FILE --db TARGET
--source bench --as-of 2023-01-31 --json` under /usr/bin/time -v (wall time of the whole process, peak RSS),
then the figures of the loaded file are checked against the raw route. The base file is freshly written, so it
sits in the page cache, as a served database does.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.indicators import build_database  # noqa: E402
from benchmarks.load import run_import  # noqa: E402

FILE_ROWS = 1000
CHANGED = 300   # of FILE_ROWS, dossiers the large base already holds
HEADERS = {"dossier_code": "Mã hồ sơ", "unit_name": "Đơn vị", "procedure_code": "Mã TTHC", "field_name": "Lĩnh vực",
           "channel": "Hình thức nộp", "received": "Ngày tiếp nhận", "due": "Ngày hẹn trả",
           "finished": "Ngày có kết quả", "status": "Trạng thái"}

# 700 new dossiers received in January 2023, and 300 dossiers of the base (codes B0, B<step>, …) in a newer
# snapshot: finished 5 days later than before (open ones finished now), every 10th returned (status 7), every
# 7th moved to another unit. Dates as the vendor writes them, dd/mm/yyyy HH:MM:SS.
_FILE_SQL = """
COPY (
  WITH u AS (SELECT list(unit_name ORDER BY unit_code) AS names FROM units WHERE level <> 'province'),
  new AS (
    SELECT 'N' || i AS dossier_code, names[1 + (i * 37) % len(names)] AS unit_name, 'TT' || (i % 300) AS procedure_code,
           'Lĩnh vực ' || (i % 25) AS field_name, CASE WHEN i % 3 = 0 THEN 'Trực tuyến' ELSE 'Trực tiếp' END AS channel,
           TIMESTAMP '2023-01-02 08:00' + to_minutes((i * 29 * 480 // $new)::BIGINT) AS received,
           received + INTERVAL 7 DAY AS due,
           CASE WHEN i % 4 <> 0 THEN received + to_days((i % 11)::INTEGER) END AS finished,
           CASE WHEN i % 4 <> 0 THEN '10' ELSE '4' END AS status
    FROM range($new) t(i), u),
  changed AS (
    SELECT d.dossier_code,
           CASE WHEN row_number() OVER (ORDER BY d.dossier_code) % 7 = 0
                THEN names[1 + (hash(d.dossier_code) % len(names))::INTEGER] ELSE d.unit_text END,
           d.procedure_code, d.field_name,
           CASE d.channel WHEN 'online' THEN 'Trực tuyến' WHEN 'postal' THEN 'Bưu chính công ích' ELSE 'Trực tiếp' END,
           d.received_at, d.due_at, coalesce(d.finished_at, d.received_at) + INTERVAL 5 DAY,
           CASE WHEN row_number() OVER (ORDER BY d.dossier_code) % 10 = 0 THEN '7' ELSE '10' END
    FROM dossiers d, u
    WHERE d.dossier_code IN (SELECT 'B' || (i * $step) FROM range($changed) t(i)))
  SELECT dossier_code AS "{dossier_code}", unit_name AS "{unit_name}", procedure_code AS "{procedure_code}",
         field_name AS "{field_name}", channel AS "{channel}",
         strftime(received, '%d/%m/%Y %H:%M:%S') AS "{received}", strftime(due, '%d/%m/%Y %H:%M:%S') AS "{due}",
         strftime(finished, '%d/%m/%Y %H:%M:%S') AS "{finished}", status AS "{status}"
  FROM (SELECT * FROM new UNION ALL SELECT * FROM changed)
) TO '{path}' (HEADER, DELIMITER ';')
"""


def write_file(base: Path, path: Path, rows: int) -> int:
    """Writes the daily file from the large base (its units, and the dossiers it changes); returns its rows."""
    con = duckdb.connect(str(base), read_only=True)
    try:
        changed = min(CHANGED, rows)
        step = max(rows // max(changed, 1), 1)
        sql = _FILE_SQL.format(path=str(path).replace("'", "''"), **HEADERS)
        con.execute(sql, {"new": FILE_ROWS - changed, "changed": changed, "step": step})
    finally:
        con.close()
    with open(path, encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def _check(db: Path) -> str:
    """How the load refreshed the aggregate tables, and its figures for January 2023 and for 2022 by unit on
    the aggregate route against the raw route."""
    from indicators import Period, compute_period_table
    from model.freshness import recorded_state
    con = duckdb.connect(str(db), read_only=True)
    try:
        state = recorded_state(con)
        how = f"{state['refresh']} ({state['changed_dossiers']} changed)"
        for period in (Period.month(2023, 1), Period.year(2022)):
            if compute_period_table(con, period, by="unit") != compute_period_table(con, period, by="unit", route="raw"):
                return f"{how}, aggregate ≠ raw for {period}"
        return f"{how}, aggregate = raw"
    finally:
        con.close()


def _filesystem(path: Path) -> str:
    """The type of the file system holding path (from /proc/mounts): on XFS or Btrfs the load's copy is a reflink."""
    best, kind = "", "?"
    try:
        with open("/proc/mounts", encoding="utf-8") as handle:
            for line in handle:
                _, mount, fstype, *_ = line.split()
                if str(path.resolve()).startswith(mount) and len(mount) > len(best):
                    best, kind = mount, fstype
    except OSError:
        pass
    return kind


def time_load(base: Path, target: Path, path: Path) -> dict:
    """One load of the daily file into a fresh copy of base (the copy not timed)."""
    for suffix in ("", ".wal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, target)
    r = run_import(path, target, ["--source", "bench", "--as-of", "2023-01-31"])
    if r["error"] or r["loaded"] is None:
        raise SystemExit(f"load failed: {r['error']}")
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000, help="dossiers in the large base")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    ap.add_argument("--reuse", action="store_true", help="reuse the base databases of an earlier run")
    ap.add_argument("--no-check", action="store_true", help="skip the aggregate = raw check after the first run")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    empty, large = args.out / "incremental_empty.duckdb", args.out / f"incremental_{args.rows}.duckdb"
    for base, rows in ((empty, 0), (large, args.rows)):
        if not (args.reuse and base.exists()):
            build_database(base, rows)
    path = args.out / "incremental_daily.csv"
    print(f"daily file: {write_file(large, path, args.rows):,} rows; large base "
          f"{large.stat().st_size / 2**30:.2f} GB on {_filesystem(args.out)}; load average {os.getloadavg()[0]:.1f}",
          flush=True)
    target = args.out / "incremental_target.duckdb"
    # Runs alternate (empty, large, empty, large…) and each pair gives a ratio: on a shared machine whose speed
    # drifts, the median of the pairs' ratios is steadier than the ratio of the two medians.
    walls, ratios = {"empty": [], "large": []}, []
    try:
        for run in range(args.runs):
            pair = {}
            for label, base in (("empty", empty), ("large", large)):
                r = pair[label] = time_load(base, target, path)
                walls[label].append(r["wall"])
                note = f", {_check(target)}" if run == 0 and not args.no_check else ""
                print(f"  run {run + 1} into the {label} database: {r['wall']:.2f} s, peak {r['peak_mb']:.0f} MB, "
                      f"loaded {r['loaded']}, updated {r['updated']}{note}", flush=True)
            ratios.append(pair["large"]["wall"] / pair["empty"]["wall"])
    finally:
        for suffix in ("", ".wal", ".lock"):
            Path(str(target) + suffix).unlink(missing_ok=True)
    small, big = statistics.median(walls["empty"]), statistics.median(walls["large"])
    print(f"\nmedian of {args.runs} runs: empty {small:.2f} s (min {min(walls['empty']):.2f}), {args.rows:,} dossiers "
          f"{big:.2f} s (min {min(walls['large']):.2f}); median ratio of the pairs {statistics.median(ratios):.2f} "
          f"(target ≤ 2); file system {_filesystem(args.out)}; load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s in all)")
    sys.exit(code)
