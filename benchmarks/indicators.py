"""Benchmark: 10 M synthetic dossiers generated inside DuckDB; times the period table and on_time_rate on the
pre-aggregated route (what the dashboard reads) and on the raw route, and the same period table in pandas.

    .venv/bin/python benchmarks/indicators.py [--rows 10000000] [--db benchmarks/out/bench.duckdb] [--reuse]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.core.database import connect  # noqa: E402
from etl.references.holidays import write_calendar  # noqa: E402
from etl.references.units import rebuild_unit_keys  # noqa: E402
from indicators import Period, compute_indicator, compute_period_table  # noqa: E402
from indicators.engine import compute_indicator_by_month  # noqa: E402
from model.aggregates import build_aggregates  # noqa: E402

# 1 city, 20 departments, 22 districts × 14 wards, 6 vertical agencies (the sample's shape).
_UNITS_SQL = """
INSERT INTO units (unit_code, unit_name, level, parent_code)
SELECT 'HCM', 'Thành phố', 'province', NULL
UNION ALL SELECT 'S' || i, 'Sở ' || i, 'department', 'HCM' FROM range(20) t(i)
UNION ALL SELECT 'Q' || i, 'Quận ' || i, 'district', 'HCM' FROM range(22) t(i)
UNION ALL SELECT 'Q' || (i // 14) || 'P' || (i % 14), 'Phường ' || (i % 14) || ' Quận ' || (i // 14), 'ward', 'Q' || (i // 14)
          FROM range(22 * 14) t(i)
UNION ALL SELECT 'N' || i, 'Ngành dọc ' || i, 'vertical', 'HCM' FROM range(6) t(i)
"""

# Dossiers over 2021–2022: unit chosen by hash, durations and outcomes by hash; ~2 % late, ~1 % returned,
# some still open at the end.
_DOSSIERS_SQL = """
INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, procedure_code, field_name, channel, received_at,
    due_at, finished_at, returned_at, status_code, result_type, supplement_count, fee_amount, is_paid_online,
    is_digitized, has_e_result, is_data_reused, is_synced_national, is_apology_issued, rating,
    snapshot_date, import_id, row_number, row_hash)
WITH g AS (
    SELECT i, hash(i) AS h, hash(i * 7 + 3) AS h2,
           TIMESTAMP '2021-01-01 08:00' + to_minutes((i * 730 * 480 // $n)::BIGINT) AS rec
    FROM range($n) t(i)
), u AS (SELECT list(unit_code ORDER BY unit_code) AS codes FROM units WHERE level <> 'province')
SELECT 'bench', 'B' || i, codes[1 + (h % len(codes))::INTEGER], codes[1 + (h % len(codes))::INTEGER],
    'TT' || (h2 % 300), 'Lĩnh vực ' || (h2 % 25),
    CASE WHEN h % 10 < 4 THEN 'online' WHEN h % 10 = 9 THEN 'postal' ELSE 'direct' END,
    rec, rec + to_days((3 + h2 % 13)::INTEGER),
    -- finished within the statutory time (3–15 days), except 1 in 50 finished 3 days after the due date
    CASE WHEN h2 % 100 = 0 THEN NULL
         ELSE rec + to_days(((h2 // 100) % (4 + h2 % 13)
                             + CASE WHEN (h2 // 7) % 50 = 0 THEN 3 + h2 % 13 + 3 - (h2 // 100) % (4 + h2 % 13) ELSE 0 END)::INTEGER) END,
    NULL,
    CASE WHEN h2 % 100 = 0 THEN 4 WHEN h % 100 = 1 THEN 7 WHEN h % 100 = 2 THEN 8 ELSE 10 END,
    'result', (h // 11) % 3 = 0 AND (h // 13) % 20 = 0,
    CASE WHEN h % 3 = 0 THEN 50000 ELSE 0 END, h % 5 = 0, h % 4 <> 0, h % 2 = 0, h % 6 = 0, h % 20 <> 0, h % 3 = 0,
    CASE WHEN h % 7 = 0 THEN 'satisfied' WHEN h % 97 = 0 THEN 'dissatisfied' END,
    DATE '2022-12-31', 1, i, h
FROM g, u
"""


def build_database(path: Path, rows: int) -> None:
    """A benchmark database of `rows` dossiers with its aggregate tables (benchmarks/incremental.py uses it too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = connect(path)   # the loader's connection: schema and the unit-name macros
    con.execute(_UNITS_SQL)
    rebuild_unit_keys(con)   # so a file loaded into it later (benchmarks/incremental.py) finds its units by name
    t = time.perf_counter()
    con.execute(_DOSSIERS_SQL, {"n": rows})
    print(f"built {rows:,} dossiers in {time.perf_counter() - t:.1f} s")
    write_calendar(con)
    t = time.perf_counter()
    build_aggregates(con)
    sizes = con.execute("SELECT (SELECT count(*) FROM agg_unit_day), (SELECT count(*) FROM agg_cells), "
                        "(SELECT count(*) FROM agg_late_cells)").fetchall()[0]
    print(f"built the aggregate tables in {time.perf_counter() - t:.1f} s "
          f"(unit×day {sizes[0]:,} rows, unit×sector×procedure×day {sizes[1]:,}, late cells {sizes[2]:,})")
    con.close()


def _timed(label: str, fn, repeat: int = 1):
    """Prints the best of `repeat` runs (warm figures) in milliseconds; returns the last result."""
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label:<66} {best * 1000:9.0f} ms")
    return result


def _pandas_period_table(path: Path, q: Period):
    """The §1 period table by unit written directly in pandas over the dossiers (read once, outside the
    timing): the same rules, an independent route, and the yardstick the issue asks to compare with."""
    con = duckdb.connect(str(path), read_only=True)
    df = con.execute("""SELECT unit_code, channel, CAST(received_at AS DATE) AS r, CAST(due_at AS DATE) AS due,
                               CAST(coalesce(finished_at, CASE WHEN status_code IN (9, 10) THEN returned_at END) AS DATE) AS f,
                               coalesce(status_code IN (7, 8), false) OR coalesce(result_type = 'returned', false) AS ret,
                               coalesce(supplement_count, 0) > 1 AS sup2, status_code
                        FROM dossiers""").df()
    con.close()
    import pandas as pd
    p0, p1 = pd.Timestamp(q.start), pd.Timestamp(q.end)

    def table():
        d = df[~df.status_code.isin([1, 3])]
        r, f, due = pd.to_datetime(d.r), pd.to_datetime(d.f), pd.to_datetime(d.due)
        f = f.where(f.isna() | (f >= r), r)
        carried = (r < p0) & (f.isna() | (f >= p0))
        new = (r >= p0) & (r <= p1)
        total = carried | new
        closed = total & (f <= p1)
        resolved = closed & ~d.ret
        late = resolved & (d.sup2 | (f > due))
        early = resolved & ~late & (f < due)
        on_time = resolved & ~late & (due.isna() | (f == due))
        pending = total & ~closed
        overdue = pending & (due < p1)
        out = pd.DataFrame({"unit_code": d.unit_code, "carried_over": carried, "received_new": new,
                            "received_online": new & (d.channel == "online"), "total_to_handle": total,
                            "resolved": resolved, "resolved_early": early, "resolved_on_time": on_time,
                            "resolved_late": late, "returned": closed & d.ret, "pending": pending,
                            "pending_overdue": overdue})
        return out.groupby("unit_code").sum()
    return table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--db", default=str(ROOT / "benchmarks" / "out" / "bench.duckdb"))
    ap.add_argument("--reuse", action="store_true", help="reuse an existing benchmark database")
    args = ap.parse_args()
    path = Path(args.db)
    if not (args.reuse and path.exists()):
        build_database(path, args.rows)
    q = Period.quarter(2022, 2)
    months = [Period.month(2022, m) for m in range(1, 13)]

    def district_by_month(con, route):
        # on_time_rate per district for each month (each call also computes the previous period and the same
        # period last year: 36 period tables in all)
        return [compute_indicator(con, "on_time_rate", p, by="district", route=route) for p in months]

    for route in ("aggregate", "raw"):
        # The raw route (every dossier scanned per call) is the yardstick; it takes seconds, so fewer runs.
        warm = 5 if route == "aggregate" else 2
        con = duckdb.connect(str(path), read_only=True)   # cold: fresh connection, nothing cached
        _timed(f"[{route}] period table by unit, Q2 2022 (cold)", lambda: compute_period_table(con, q, by="unit", route=route))
        _timed(f"[{route}] period table by unit, Q2 2022 (warm, best of {warm})",
               lambda: compute_period_table(con, q, by="unit", route=route), warm)
        _timed(f"[{route}] period table by district, Q2 2022 (warm)",
               lambda: compute_period_table(con, q, by="district", route=route), warm)
        _timed(f"[{route}] period table by month, 2022 (warm)",
               lambda: compute_period_table(con, Period.year(2022), by="month", route=route), warm)
        _timed(f"[{route}] period table by field, Q2 2022 (warm)",
               lambda: compute_period_table(con, q, by="field", route=route), warm)
        con.close()
        con = duckdb.connect(str(path), read_only=True)
        _timed(f"[{route}] on_time_rate district × month grid, 2022 (cold)",
               lambda: compute_indicator_by_month(con, "on_time_rate", Period.year(2022), by="district", route=route))
        _timed(f"[{route}] on_time_rate district × month grid, 2022 (warm, best of {warm})",
               lambda: compute_indicator_by_month(con, "on_time_rate", Period.year(2022), by="district", route=route),
               warm)
        if route == "aggregate":
            _timed(f"[{route}] on_time_rate by district, 12 calls (one a month, warm)",
                   lambda: district_by_month(con, route), 3)
        con.close()

    con = duckdb.connect(str(path), read_only=True)
    engine = compute_period_table(con, q, by="unit")
    con.close()
    pandas_table = _pandas_period_table(path, q)
    t = time.perf_counter()
    frame = pandas_table()
    pandas_s = time.perf_counter() - t
    print(f"{'[pandas] period table by unit, Q2 2022 (data already in memory)':<66} {pandas_s * 1000:9.0f} ms")
    con = duckdb.connect(str(path), read_only=True)
    agg_s = min(_time_once(lambda: compute_period_table(con, q, by="unit")) for _ in range(5))
    con.close()
    print(f"pandas / DuckDB aggregate route: {pandas_s / agg_s:.0f}×")
    mismatched = [(r["key"], c) for r in engine["rows"] for c in frame.columns
                  if r["key"] in frame.index and int(frame.loc[r["key"], c]) != r[c]]
    print("pandas and engine agree on every unit and column" if not mismatched
          else f"MISMATCH pandas vs engine: {mismatched[:10]}")


def _time_once(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
