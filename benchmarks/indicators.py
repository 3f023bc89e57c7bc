"""Benchmark: 10 M synthetic dossiers generated inside DuckDB; times the period table and on_time_rate.

    .venv/bin/python benchmarks/indicators.py [--rows 10000000] [--db benchmarks/out/bench.duckdb] [--keep]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators import Period, compute_indicator, compute_period_table  # noqa: E402

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
    rec, rec + to_days((1 + h2 % 15)::INTEGER),
    CASE WHEN h2 % 100 = 0 THEN NULL
         ELSE rec + to_days(((h2 // 100) % 15 + CASE WHEN (h2 // 7) % 50 = 0 THEN 10 ELSE 0 END)::INTEGER) END,
    NULL,
    CASE WHEN h2 % 100 = 0 THEN 4 WHEN h % 100 = 1 THEN 7 WHEN h % 100 = 2 THEN 8 ELSE 10 END,
    'result', (h // 11) % 3 = 0 AND (h // 13) % 20 = 0,
    CASE WHEN h % 3 = 0 THEN 50000 ELSE 0 END, h % 5 = 0, h % 4 <> 0, h % 2 = 0, h % 6 = 0, h % 20 <> 0, h % 3 = 0,
    CASE WHEN h % 7 = 0 THEN 'satisfied' WHEN h % 97 = 0 THEN 'dissatisfied' END,
    DATE '2022-12-31', 1, i, h
FROM g, u
"""


def _build(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.execute(_UNITS_SQL)
    t = time.perf_counter()
    con.execute(_DOSSIERS_SQL, {"n": rows})
    print(f"built {rows:,} dossiers in {time.perf_counter() - t:.1f} s")
    con.close()


def _timed(label: str, fn) -> None:
    t = time.perf_counter()
    fn()
    print(f"{label:<58} {time.perf_counter() - t:7.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--db", default=str(ROOT / "benchmarks" / "out" / "bench.duckdb"))
    ap.add_argument("--reuse", action="store_true", help="reuse an existing benchmark database")
    args = ap.parse_args()
    path = Path(args.db)
    if not (args.reuse and path.exists()):
        _build(path, args.rows)
    q = Period.quarter(2022, 2)

    con = duckdb.connect(str(path), read_only=True)   # cold: fresh connection, nothing cached
    _timed("period table by unit, Q2 2022 (cold)", lambda: compute_period_table(con, q, by="unit"))
    _timed("period table by unit, Q2 2022 (warm)", lambda: compute_period_table(con, q, by="unit"))
    _timed("period table by district, Q2 2022 (warm)", lambda: compute_period_table(con, q, by="district"))
    _timed("period table by month, 2022 (warm)", lambda: compute_period_table(con, Period.year(2022), by="month"))
    con.close()

    con = duckdb.connect(str(path), read_only=True)
    months = [Period.month(2022, m) for m in range(1, 13)]
    # district × month: on_time_rate per district for each month (each call also computes the previous
    # period and the same period last year).
    _timed("on_time_rate by district × month, 2022 (cold)",
           lambda: [compute_indicator(con, "on_time_rate", p, by="district") for p in months])
    _timed("on_time_rate by district × month, 2022 (warm)",
           lambda: [compute_indicator(con, "on_time_rate", p, by="district") for p in months])
    con.close()


if __name__ == "__main__":
    main()
