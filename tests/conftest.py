"""Shared fixtures: the demo sample database (built once per run), a small fixture database, the golden database."""
import os
import pathlib
import subprocess
import sys

# openpyxl writes its XML with lxml when lxml is installed (python-docx brings it) and with the standard library
# otherwise: the same workbook, other bytes. The committed fixture corpus was written without lxml, and
# test_fixture_script_is_deterministic compares bytes; the tests (and the commands they start) use that writer.
os.environ.setdefault("OPENPYXL_LXML", "False")

import pytest  # noqa: E402

from tests.builders import FIXTURES, ROOT, build_full_db  # noqa: E402
from tests.sample_builds import SAMPLES, build_sample, start_background_builds  # noqa: E402

__all__ = ["FIXTURES", "ROOT"]   # re-exported: several tests import them from tests.conftest


def _run_root(tmp_path_factory) -> pathlib.Path:
    """A directory every pytest-xdist worker of this run shares (the parent of the workers' own temp dirs)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _uses(item, sample: str) -> bool:
    return any(name in item.fixturenames for name in SAMPLES[sample])


def pytest_collection_modifyitems(session, config, items):
    """The modules that need no sample run first, while the samples the others need are built in the background:
    the workers had waited a minute and a half for the demo sample at the start of every run. A module stays in one
    piece (its module-scoped fixtures are set up once)."""
    needs = {}
    for item in items:
        module = getattr(item, "module", None)
        needs[module] = needs.get(module, False) or any(_uses(item, s) for s in SAMPLES)
    items.sort(key=lambda item: needs[getattr(item, "module", None)])   # stable: the order within each group is kept
    wanted = [s for s in SAMPLES if any(_uses(item, s) for item in items)]
    if wanted and not all(needs.values()):   # else the first test builds it, as before
        # (not stopped at the end: a builder killed mid-way would leave its `etl sample` child writing the file a
        # worker then builds again; it ends by itself, the run's temp dir is its own)
        config._sample_builds = start_background_builds(_run_root(config._tmp_path_factory), wanted)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> pathlib.Path:
    """The demo sample built by the real command (generation + etl import), once per run: the first xdist worker
    (or the background build, tests/sample_builds.py) builds it under a file lock, the others wait and read the same
    file (every test opens it read-only)."""
    return build_sample(_run_root(tmp_path_factory), "demo")


@pytest.fixture(scope="session")
def hcm2026_db(tmp_path_factory) -> pathlib.Path:
    """The second bundled sample (the new Ho Chi Minh City, 2025–2026) built by the real command, once per run like
    demo_db."""
    return build_sample(_run_root(tmp_path_factory), "hcm2026")


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


@pytest.fixture()
def full_db(tmp_path):
    """The every-indicator golden database (tests/builders.py, March 2022), fresh for each test."""
    con = build_full_db(tmp_path / "golden_all.duckdb")
    yield con
    con.close()


# ---------------------------------------------------------------------------------------------------------
# Browser tests: one Chromium per module, one app server on the demo sample for the whole run.

@pytest.fixture(scope="module")
def browser():
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_url(demo_db, tmp_path_factory):
    """The dashboard serving the demo sample (read-only, so every browser test can share it)."""
    from tests.browser_support import start_app, stop_app
    url, proc = start_app(demo_db, tmp_path_factory.mktemp("server") / "app.log")
    yield url
    stop_app(proc)


@pytest.fixture(scope="session")
def app_url_2026(hcm2026_db, tmp_path_factory):
    """The dashboard serving the 2025–2026 sample (read-only, shared by its browser tests)."""
    from tests.browser_support import start_app, stop_app
    url, proc = start_app(hcm2026_db, tmp_path_factory.mktemp("server_2026") / "app.log")
    yield url
    stop_app(proc)


@pytest.fixture
def serve(tmp_path):
    """Starts the dashboard on any database (each test its own server); returns the base URL with '/'."""
    from tests.browser_support import start_app, stop_app
    procs = []

    def start(db) -> str:
        url, proc = start_app(db, tmp_path / f"app_{len(procs)}.log")
        procs.append(proc)
        return url + "/"
    yield start
    for proc in procs:
        stop_app(proc)
