"""Load benchmark: generate a large dossier export (xlsx and csv) and time `python -m etl import` on each.

    .venv/bin/python benchmarks/load.py                 # 1,000,000 rows, temp dir, files removed afterwards
    .venv/bin/python benchmarks/load.py --rows 100000   # quick try
    .venv/bin/python benchmarks/load.py --out /tmp/bench --keep
    .venv/bin/python benchmarks/load.py --runs 3         # each file imported 3 times, the median judged

Each import runs as a child process (`python -m etl import FILE --db <fresh db> --json`) under
`/usr/bin/time -v` for wall time and peak RSS; without /usr/bin/time, peak RSS comes from
resource.getrusage(RUSAGE_CHILDREN) (one child per measurement, so the max is that child's). CPU seconds (user +
system, every thread) are the children's getrusage before and after each import.
"""
import argparse
import json
import os
import pathlib
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sample.xlsx import write_table  # noqa: E402  (the project's column-wise xlsx writer)

TARGETS = {"csv": 6.0, "xlsx": 15.0}  # seconds (issue #16)
PEAK_TARGET_MB = 1536.0

HEADERS = ["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Lĩnh vực", "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả",
           "Ngày có kết quả", "Trạng thái", "Phí, lệ phí", "Thanh toán trực tuyến", "Đã số hóa"]
TITLES = ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "BÁO CÁO CHI TIẾT HỒ SƠ",
          "Từ ngày 01/01/2022 đến ngày 31/12/2022"]
UNITS = [f"UBND Phường {i}, Quận {q}" for q in (1, 3, 4, 5, 6, 8, 10, 11) for i in range(1, 6)] + \
        ["Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Sở Xây dựng", "Sở Y tế",
         "Sở Giáo dục và Đào tạo", "Sở Lao động - Thương binh và Xã hội", "Sở Giao thông vận tải",
         "UBND Quận 1", "UBND Quận 3"]
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Thành lập và hoạt động doanh nghiệp", "Lao động",
          "Y tế", "Giáo dục", "Giao thông đường bộ", "Môi trường", "Người có công", "Bảo trợ xã hội"]
CHANNELS = ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"]
SEED = 20220101


def generate(n: int, seed: int = SEED) -> dict:
    """The 12 columns, vectorized: text columns as Arrow string arrays, dates as datetime64[s] (NaT = empty)."""
    rng = np.random.default_rng(seed)
    unit_idx = rng.integers(0, len(UNITS), n)
    start = np.datetime64("2022-01-01T00:00:00", "s")
    day = rng.integers(0, 334, n)  # received by 30/11/2022, so every date stays before the snapshot 31/12/2022
    secs = rng.integers(7 * 3600 + 30 * 60, 17 * 3600, n)
    received = start + (day * 86400 + secs).astype("timedelta64[s]")
    due = received + (rng.integers(1, 22, n) * 86400).astype("timedelta64[s]")
    done = rng.random(n) < 0.9
    finished = received + (rng.integers(0, 30 * 86400, n)).astype("timedelta64[s]")
    finished[~done] = np.datetime64("NaT")

    # Mã hồ sơ: H29.<unit>-<yymmdd>-<row number>, unique per row.
    yymmdd = pc.strftime(pa.array(received), format="%y%m%d")
    seq = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width=7, padding="0")
    unit_no = pc.utf8_lpad(pc.cast(pa.array(unit_idx + 1), pa.string()), width=2, padding="0")
    code = pc.binary_join_element_wise("H29.", unit_no, "-", yymmdd, "-", seq, "")

    def pick(values, idx):
        return pc.take(pa.array(values, pa.string()), pa.array(idx))

    procs = [f"{a}.{b:06d}" for a, b in zip(rng.integers(1, 3, 300), rng.integers(0, 13000, 300))]
    fee_levels = np.array([0, 0, 0, 10_000, 20_000, 50_000, 100_000, 1_000_000])
    status = pc.if_else(pa.array(done), "10", "4")
    paid = rng.random(n) < 0.3
    digitized = rng.random(n) < 0.6
    return {
        "Mã hồ sơ": code,
        "Đơn vị": pick(UNITS, unit_idx),
        "Mã TTHC": pick(procs, rng.integers(0, len(procs), n)),
        "Lĩnh vực": pick(FIELDS, rng.integers(0, len(FIELDS), n)),
        "Hình thức nộp": pick(CHANNELS, rng.choice(3, n, p=[0.55, 0.4, 0.05])),
        "Ngày tiếp nhận": received,
        "Ngày hẹn trả": due,
        "Ngày có kết quả": finished,
        "Trạng thái": status,
        "Phí, lệ phí": fee_levels[rng.integers(0, len(fee_levels), n)],
        "Thanh toán trực tuyến": pc.if_else(pa.array(paid), "Có", "Không"),
        "Đã số hóa": pc.if_else(pa.array(digitized), pa.scalar("x"), pa.scalar(None, pa.string())),
    }


def write_csv(path: pathlib.Path, columns: dict) -> None:
    """UTF-8 with BOM, ';' delimited, dates as dd/mm/yyyy HH:MM:SS text, 3 title rows then the header."""
    n = len(columns[HEADERS[0]])
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf")
        f.write("".join(t + "\r\n" for t in TITLES).encode())
        f.write((";".join(HEADERS) + "\r\n").encode())
        step = 200_000
        for lo in range(0, n, step):
            hi = min(lo + step, n)
            parts = []
            for h in HEADERS:
                v = columns[h][lo:hi]
                if isinstance(v, np.ndarray) and np.issubdtype(v.dtype, np.datetime64):
                    v = pc.strftime(pa.array(v), format="%d/%m/%Y %H:%M:%S")
                elif isinstance(v, np.ndarray):
                    v = pc.cast(pa.array(v), pa.string())
                parts.append(v)
            lines = pc.binary_join_element_wise(*parts, ";",
                                                null_handling="replace", null_replacement="")
            body = pc.binary_join_element_wise(lines, "\r\n", "")
            offsets = np.frombuffer(body.buffers()[1], dtype=np.int32)[body.offset: body.offset + len(body) + 1]
            f.write(memoryview(body.buffers()[2])[offsets[0]: offsets[-1]])


def write_xlsx(path: pathlib.Path, columns: dict) -> None:
    """Real Excel date-times, everything else as text cells except the fee (a number)."""
    cols = {h: (v if isinstance(v, np.ndarray) else v.to_numpy(zero_copy_only=False)) for h, v in columns.items()}
    write_table(path, "Danh sách hồ sơ", TITLES, HEADERS, cols, footer_rows=[], creator="benchmarks/load.py")


def _rss_from_time(stderr: str) -> float | None:
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return int(found.group(1)) / 1024 if found else None


def run_import(path: pathlib.Path, db: pathlib.Path, options=()) -> dict:
    cmd = [sys.executable, "-m", "etl", "import", str(path), "--db", str(db), "--json", *options]
    gnu_time = os.access("/usr/bin/time", os.X_OK)
    if gnu_time:
        cmd = ["/usr/bin/time", "-v", *cmd]
    t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall, after = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds (user + system, every thread of the import): on a shared machine the steadier figure.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = _rss_from_time(proc.stderr) if gnu_time else None
    if peak is None:  # ru_maxrss of children is the largest child so far, in kB on Linux
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    loaded, updated, rejected, err = None, None, None, None
    try:
        out = json.loads(proc.stdout)
        if out["files"]:
            first = out["files"][0]
            loaded, updated, rejected = first["rows_loaded"], first["rows_updated"], first["rows_rejected"]
        if out["errors"]:
            err = "; ".join(out["errors"])
    except (json.JSONDecodeError, KeyError):
        err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    if proc.returncode != 0 and err is None:
        err = f"exit code {proc.returncode}"
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "loaded": loaded, "updated": updated, "rejected": rejected,
            "error": err, "returncode": proc.returncode}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=pathlib.Path, help="directory for the generated files (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and databases")
    parser.add_argument("--only", choices=["csv", "xlsx"], help="run one kind only")
    parser.add_argument("--runs", type=int, default=1, help="imports of each file (the median is judged)")
    parser.add_argument("--reuse", action="store_true", help="with --out: keep files written by an earlier run")
    args = parser.parse_args(argv)

    out = args.out or pathlib.Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    kinds = [args.only] if args.only else ["csv", "xlsx"]
    try:
        t0 = time.perf_counter()
        columns = generate(args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)
        files = {}
        for kind in kinds:
            path = out / f"dossiers_{args.rows}.{kind}"
            if args.reuse and args.out and path.exists():   # generation is seeded: the same rows
                files[kind] = path
                continue
            t0 = time.perf_counter()
            (write_csv if kind == "csv" else write_xlsx)(path, columns)
            files[kind] = path
            print(f"wrote {path} ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - t0:.1f} s",
                  flush=True)
        del columns

        results = {}
        for run in range(args.runs):   # the kinds alternate, so a drift of the machine's speed hits both
            for kind, path in files.items():
                db = out / f"bench_{kind}.duckdb"
                for p in (db, db.with_suffix(".duckdb.wal")):
                    p.unlink(missing_ok=True)
                print(f"importing {path.name} (run {run + 1}) …", flush=True)
                r = run_import(path, db)
                print(f"  {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, peak {r['peak_mb']:.0f} MB, "
                      f"load average {os.getloadavg()[0]:.1f}", flush=True)
                results.setdefault(kind, []).append(r)

        print()
        print(f"{'file':<5} {'rows':>10} {'wall s':>8} {'min':>6} {'target':>8} {'CPU s':>6} {'peak MB':>8} "
              f"{'target':>8} {'rows/s':>9} {'all loaded':>10}")
        ok_all = True
        for kind, runs in results.items():
            wall = statistics.median(r["wall"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            all_loaded = all(r["loaded"] == args.rows for r in runs)
            ok_all &= all_loaded and wall <= TARGETS[kind] and peak <= PEAK_TARGET_MB
            rate = args.rows / wall if wall else 0
            print(f"{kind:<5} {args.rows:>10,} {wall:>8.1f} {min(r['wall'] for r in runs):>6.1f} "
                  f"{'≤ ' + str(int(TARGETS[kind])):>8} {statistics.median(r['cpu'] for r in runs):>6.1f} "
                  f"{peak:>8.0f} {'≤ ' + str(int(PEAK_TARGET_MB)):>8} "
                  f"{rate:>9,.0f} {'yes' if all_loaded else 'NO':>10}")
            for r in runs:
                if r["loaded"] != args.rows:
                    print(f"      rows_loaded={r['loaded']} rows_rejected={r['rejected']} error={r['error']}")
        print(f"\ntargets: CSV ≤ 6 s, xlsx ≤ 15 s, peak ≤ 1.5 GB (median of {args.runs} runs; peak the largest)  →  "
              f"{'met' if ok_all else 'NOT met'}; load average {os.getloadavg()[0]:.1f}")
        return 0 if ok_all else 1
    finally:
        if args.keep:
            print(f"files kept in {out}")
        elif args.out:
            for kind in kinds:
                for p in (out / f"dossiers_{args.rows}.{kind}", out / f"bench_{kind}.duckdb",
                          out / f"bench_{kind}.duckdb.wal"):
                    p.unlink(missing_ok=True)
        else:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
