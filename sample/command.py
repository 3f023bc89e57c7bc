"""python -m etl sample: generate a bundled sample (Ho Chi Minh City 2022, or the new city of 2025–2026) and load it
through the normal import path."""
import time
from pathlib import Path

from etl.core.errors import ImportFailure
from etl.importer import import_paths
from etl.core.publish import exclusive_load
from etl.summary import format_summary
from indicators.store import REQUIRED_TABLES
from indicators.stored_figures import STORED_FIGURES

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data"   # the repository's data/


# The bundled samples: hcm2022 (the default: demo or full scale) and hcm2026 (one size, demo-like).
SAMPLES = ("hcm2022", "hcm2026")
DEFAULT_SAMPLE = "hcm2022"


def default_db(scale: str = "demo", sample: str = DEFAULT_SAMPLE) -> Path:
    return DEFAULT_DIR / (f"sample_{scale}.duckdb" if sample == DEFAULT_SAMPLE else f"sample_{sample}.duckdb")


def _default_dir(scale: str, sample: str) -> Path:
    return DEFAULT_DIR / (f"sample_{scale}" if sample == DEFAULT_SAMPLE else f"sample_{sample}")


# Tables a sample database must have to be served by this version (older samples lack the later ones).
# field_labels came with the survey-reading fixes that changed the demo's SIPAS: an older sample is rebuilt;
# paper_result_procedures: the dossier facts read it since the 766 index (an older sample cannot be counted);
# par_scores and plan_tasks: PAR INDEX and the plans; unit_successions with the 2025 reorganization.
# Every table a load creates, and those its refresh writes: a sample built before one of them was added (the worked
# weekend days, the step that told "no" from "not reported": etl/dossiers/flag_step.py) is built again.
_REQUIRED_TABLES = (*REQUIRED_TABLES, "aggregate_state", "field_labels", "schema_steps")
_REQUIRED_2022 = ("par_scores", "plan_tasks")   # the 2022 sample's own files


def sample_is_current(db_path: Path, sample: str = DEFAULT_SAMPLE) -> bool:
    """True when db_path holds a sample built by this version: every table the dashboard reads is there (and for
    the 2022 sample its PAR INDEX scores and plans)."""
    import duckdb

    from common.duckdb_connect import connect_quietly
    if not Path(db_path).exists():
        return False
    try:
        con = connect_quietly(str(db_path), read_only=True)
    except duckdb.Error:
        return False
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    required = _REQUIRED_TABLES + (_REQUIRED_2022 if sample == DEFAULT_SAMPLE else ())
    return all(t in names for t in required)


def _published_766(db_path: Path, out_dir: Path, progress) -> Path:
    from common.duckdb_connect import connect_quietly
    from sample.index766 import write_index766_published
    con = connect_quietly(str(db_path), read_only=True)
    try:
        return write_index766_published(con, out_dir, progress=progress)
    finally:
        con.close()


def _par_files(out_dir: Path, db_path: Path, progress) -> list[Path]:
    from common.duckdb_connect import connect_quietly
    from sample.par import generate_par
    con = connect_quietly(str(db_path), read_only=True)
    try:
        return generate_par(out_dir, con, progress=progress)
    finally:
        con.close()


def _generate(sample: str, scale: str, out_dir: Path, progress) -> list[Path]:
    if sample == "hcm2026":
        from sample.hcm2026 import generate_hcm2026
        return generate_hcm2026(out_dir, progress=progress)
    from sample import generate_sample
    from sample.index766 import generate_index766_inputs
    from sample.plans import generate_plans
    from sample.surveys import generate_surveys
    paths = generate_sample(out_dir, scale=scale, progress=progress)
    paths += generate_surveys(out_dir, progress=progress)   # SIPAS questionnaires, after the units they name
    paths += generate_index766_inputs(out_dir, progress=progress)   # the 766 inputs, after units and procedures
    return paths + generate_plans(out_dir, progress=progress)     # 2022 CCHC plans, then their progress reports


def build_sample(scale: str = "demo", out_dir: Path | None = None, db_path: Path | None = None,
                 progress=print, reuse: bool = False, sample: str = DEFAULT_SAMPLE) -> int:
    """Writes the sample files, then imports them into a new database file swapped in whole at the end,
    so a dashboard reading the old file never sees a half-built one. With reuse, a current sample is kept."""
    if sample not in SAMPLES:
        raise ValueError(f"sample must be one of {SAMPLES}")
    if reuse and sample_is_current(Path(db_path or default_db(scale, sample)), sample):
        progress(f"Dùng lại dữ liệu mẫu đã có: {Path(db_path or default_db(scale, sample))}")
        return 0
    started = time.perf_counter()
    out_dir = Path(out_dir or _default_dir(scale, sample))
    db_path = Path(db_path or default_db(scale, sample))
    # A new file (fresh), swapped in like any load: under the same lock, through a link to the real file; entered
    # first, so a --db that cannot hold the database is refused before minutes of generation.
    with exclusive_load(db_path, fresh=True) as building:
        out_dir.mkdir(parents=True, exist_ok=True)
        progress(f"Sinh dữ liệu mẫu ({sample if sample != DEFAULT_SAMPLE else scale}) vào {out_dir} …")
        paths = _generate(sample, scale, out_dir, progress)
        results, errors = import_paths(building, paths, swap=False, progress=progress, after_refresh=STORED_FIGURES)
        # the 2022 sample's files made from its own loaded figures (the 2026 sample has none of them)
        derived = sample == DEFAULT_SAMPLE
        if derived and not errors:   # the portal's published 766 scores are read back from the loaded sample, then loaded
            more, errors = import_paths(building, [_published_766(building, out_dir, progress)], swap=False,
                                        progress=progress, after_refresh=STORED_FIGURES)
            results += more
        if derived and not errors:   # PAR INDEX scores read the loaded dossiers and surveys back, then load like any file
            par_results, errors = import_paths(building, _par_files(out_dir, building, progress), swap=False,
                                               progress=progress, after_refresh=STORED_FIGURES)
            results += par_results
        progress(format_summary(results, errors))
        if errors:   # raised inside, so the half-built file is removed and the old sample stays
            raise ImportFailure("Không tạo được dữ liệu mẫu.")
    progress(f"Xong: {db_path} ({time.perf_counter() - started:.0f} giây).")
    return 0
