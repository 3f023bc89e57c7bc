"""The bundled samples the tests share, built once per run by the real command: by the first fixture that needs
one, or beforehand in the background while the tests that need none run (python -m tests.sample_builds)."""
import pathlib
import subprocess
import sys

from filelock import FileLock

ROOT = pathlib.Path(__file__).resolve().parents[1]
# sample name → the fixtures that read it (directly or through a server on it)
SAMPLES = {"demo": ("demo_db", "app_url"), "hcm2026": ("hcm2026_db", "app_url_2026")}
# sample name → its options of `python -m etl sample` (the demo sample is the command's default, Ho Chi Minh City 2022)
_OPTIONS = {"demo": [], "hcm2026": ["--sample", "hcm2026"]}


def sample_db(run_root: pathlib.Path, sample: str) -> pathlib.Path:
    return run_root / f"{sample}_sample" / f"sample_{sample}.duckdb"


def build_sample(run_root: pathlib.Path, sample: str) -> pathlib.Path:
    """The sample's database under run_root, built under a file lock unless it exists: whoever comes second (a
    worker or the background build) waits for the first and reads the same file."""
    db = sample_db(run_root, sample)
    with FileLock(str(db.parent) + ".lock"):
        if not db.exists():
            proc = subprocess.run([sys.executable, "-m", "etl", "sample", *_OPTIONS[sample],
                                   "--out", str(db.parent / "files"), "--db", str(db)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=900)
            assert proc.returncode == 0, proc.stderr[-3000:]
    return db


def start_background_builds(run_root: pathlib.Path, samples) -> list[subprocess.Popen]:
    """Starts building samples in child processes, once per run (the first caller of the run claims each sample
    with a marker file; the other xdist workers start nothing)."""
    procs = []
    for sample in samples:
        marker = run_root / f"{sample}_sample.background"
        try:
            marker.touch(exist_ok=False)
        except FileExistsError:
            continue
        procs.append(subprocess.Popen([sys.executable, "-m", "tests.sample_builds", str(run_root), sample], cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return procs


if __name__ == "__main__":
    try:
        build_sample(pathlib.Path(sys.argv[1]), sys.argv[2])
    except AssertionError:
        sys.exit(1)   # the fixture that needs the sample builds it again and shows the command's error
