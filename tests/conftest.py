"""Shared fixtures: the demo sample database (built once per run) and a small fixture database."""
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> pathlib.Path:
    """The demo sample built by the real command into a fresh directory: generation + etl import."""
    out = tmp_path_factory.mktemp("sample")
    db = out / "sample_demo.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "sample", "--out", str(out / "files"), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return db


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> pathlib.Path:
    """Units plus three vendor exports: small, with a reject and an unmatched unit."""
    db = tmp_path_factory.mktemp("fixture") / "cchc.duckdb"
    exports = FIXTURES / "exports"
    paths = [FIXTURES / "units.csv", exports / "01_q3_bao_cao_chi_tiet.xlsx", exports / "05_dvcqg_bom_cham_phay.csv",
             exports / "10_dong_loi.xlsx"]
    proc = subprocess.run([sys.executable, "-m", "etl", "import", *map(str, paths), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return db
