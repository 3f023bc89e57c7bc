"""DuckDB's progress bar never reaches standard output: every connection the project opens goes through
common/duckdb_connect.py, which turns it off (it printed into `--json` answers of slow loads)."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A query of about a second, with the bar set to appear after 10 ms (not 2 s): long enough for DuckDB to draw it.
_SLOW = "SELECT count(*) FROM range(400000000) t(x) WHERE x % 7 = 3"
_SCRIPT = """
import sys
import duckdb
sys.path.insert(0, {root!r})
_connect = duckdb.connect
def connect_with_early_bar(*args, **kwargs):
    con = _connect(*args, **kwargs)
    con.execute("SET progress_bar_time = 10")
    return con
duckdb.connect = connect_with_early_bar
{open}
print(con.execute({slow!r}).fetchall()[0][0])
"""


def _stdout_of(open_line: str) -> str:
    script = _SCRIPT.format(root=str(ROOT), open=open_line, slow=_SLOW)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout


def test_plain_duckdb_prints_its_bar_into_stdout():
    """The check below can fail: without the setting, the bar lands in stdout even through a pipe."""
    assert "%" in _stdout_of("con = duckdb.connect()")


def test_connect_quietly_keeps_stdout_clean(tmp_path):
    out = _stdout_of(f"from common.duckdb_connect import connect_quietly; con = connect_quietly({str(tmp_path / 'q.duckdb')!r})")
    assert out == "57142857\n"


def test_load_connection_is_quiet(tmp_path):
    from etl.core.database import connect
    con = connect(tmp_path / "x.duckdb")
    try:
        assert con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0] is False
    finally:
        con.close()


def test_no_module_opens_duckdb_directly():
    """Everything but the one helper opens DuckDB through it (tests and benchmarks may do as they like)."""
    paths = [ROOT / "app.py"] + [p for package in ("common", "model", "etl", "indicators", "exports", "accounts",
                                                   "sample", "pages") for p in (ROOT / package).rglob("*.py")]
    direct = [f"{path.relative_to(ROOT)}:{node.lineno}" for path in paths if path.name != "duckdb_connect.py"
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "duckdb"]
    assert direct == []
