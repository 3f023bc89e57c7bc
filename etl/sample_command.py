"""python -m etl sample: generate the Ho Chi Minh City 2022 sample and load it through the normal import path."""
import sys
import time
from pathlib import Path

from etl.importer import import_paths
from etl.summary import format_summary

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"


def default_db(scale: str = "demo") -> Path:
    return DEFAULT_DIR / f"sample_{scale}.duckdb"


def build_sample(scale: str = "demo", out_dir: Path | None = None, db_path: Path | None = None,
                 progress=print) -> int:
    """Writes the sample files, then imports them into a new database file swapped in whole at the end,
    so a dashboard reading the old file never sees a half-built one."""
    from etl.sample import generate_sample
    from etl.sample.surveys import generate_surveys
    started = time.perf_counter()
    out_dir = Path(out_dir or DEFAULT_DIR / f"sample_{scale}")
    db_path = Path(db_path or default_db(scale))
    out_dir.mkdir(parents=True, exist_ok=True)
    progress(f"Sinh dữ liệu mẫu ({scale}) vào {out_dir} …")
    paths = generate_sample(out_dir, scale=scale, progress=progress)
    paths += generate_surveys(out_dir, progress=progress)   # SIPAS questionnaires, after the units they name
    building = db_path.with_suffix(".duckdb.tmp")
    building.unlink(missing_ok=True)
    results, errors = import_paths(building, paths, swap=False, progress=progress)
    progress(format_summary(results, errors))
    if errors:
        building.unlink(missing_ok=True)
        print("Không tạo được dữ liệu mẫu.", file=sys.stderr)
        return 2
    building.replace(db_path)
    progress(f"Xong: {db_path} ({time.perf_counter() - started:.0f} giây).")
    return 0
