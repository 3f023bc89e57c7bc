"""Publishing a load (etl/core/publish.py) with real processes: a killed load's copy is cleared by the next one, a
linked --db stays a link, and a --db that cannot hold the database is refused in Vietnamese (exit 64)."""
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import FIXTURES, ROOT

EXPORTS = FIXTURES / "exports"


def etl(*args, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def loaded_files(db) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(name for (name,) in con.execute("SELECT file_name FROM import_log").fetchall())
    finally:
        con.close()


def big_export(path, rows: int) -> None:
    """A valid dossier export of `rows` rows (Quận 3, January 2022), written by DuckDB."""
    duckdb.sql(f"""COPY (SELECT 'K-' || i AS "Mã hồ sơ", 'Quận 3' AS "Đơn vị",
                              'Cấp giấy phép xây dựng' AS "Tên thủ tục", '10/01/2022 08:00' AS "Ngày tiếp nhận",
                              '24/01/2022 17:00' AS "Ngày hẹn trả", 'Đang xử lý' AS "Trạng thái"
                       FROM range({rows}) t(i)) TO '{path}' (HEADER)""")


def test_the_load_after_a_killed_one_removes_its_working_copy(tmp_path):
    db = tmp_path / "cchc.duckdb"
    assert etl("import", FIXTURES / "units.csv", EXPORTS / "snapshot_jan.csv", "--db", db).returncode == 0
    before = loaded_files(db)
    big = tmp_path / "ho_so_lon.csv"
    big_export(big, 300_000)

    load = subprocess.Popen([sys.executable, "-m", "etl", "import", str(big), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    work = tmp_path / f"cchc.duckdb.loading-{load.pid}"
    deadline = time.monotonic() + 120
    while not work.exists() and load.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.2)   # mid-way: copying the database or loading the rows
    load.send_signal(signal.SIGKILL)
    assert load.wait() == -signal.SIGKILL, "the load ended before it could be killed"
    assert work.exists()   # what the audit found left behind: a full copy of the database
    assert loaded_files(db) == before   # the served file was never touched

    nxt = etl("import", EXPORTS / "snapshot_feb.csv", "--db", db)
    assert nxt.returncode == 0, nxt.stderr
    assert f"Đã xóa {work.name}: bản chép dở dang của một lần nạp bị dừng giữa chừng" in nxt.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cchc.duckdb", "cchc.duckdb.lock", "ho_so_lon.csv"]
    assert loaded_files(db) == sorted(before + ["snapshot_feb.csv"])


def test_a_linked_db_stays_a_link_to_the_file_every_load_goes_into(tmp_path):
    real, link = tmp_path / "real.duckdb", tmp_path / "current.duckdb"
    assert etl("import", FIXTURES / "units.csv", "--db", real).returncode == 0
    link.symlink_to(real.name)
    assert etl("import", EXPORTS / "snapshot_jan.csv", "--db", link).returncode == 0
    assert link.is_symlink() and os.readlink(link) == "real.duckdb"
    assert loaded_files(real) == ["snapshot_jan.csv", "units.csv"]

    # Two loads at once, one through each name: one lock (the real file's), so the second starts from the
    # first one's result; before, each copied the same file and one load was lost (or the link replaced).
    loads = [subprocess.Popen([sys.executable, "-m", "etl", "import", str(path), "--db", str(db)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for path, db in ((EXPORTS / "snapshot_feb.csv", link), (EXPORTS / "06_stp_trang_thai_bang_chu.csv", real))]
    for load in loads:
        assert load.wait(timeout=300) == 0, load.stderr.read()
    assert link.is_symlink() and os.readlink(link) == "real.duckdb"
    assert loaded_files(link) == ["06_stp_trang_thai_bang_chu.csv", "snapshot_feb.csv", "snapshot_jan.csv",
                                  "units.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current.duckdb", "real.duckdb", "real.duckdb.lock"]


def _not_duckdb(tmp_path):
    path = tmp_path / "cchc.duckdb"
    path.write_text("STT;Mã hồ sơ\n1;H001\n", encoding="utf-8")   # a spreadsheet saved under the database's name
    return path


def _damaged(tmp_path):
    path = tmp_path / "cchc.duckdb"
    duckdb.connect(str(path)).execute("CREATE TABLE t AS SELECT 1 AS x").close()
    with open(path, "r+b") as handle:   # the version number after the magic bytes: checksum no longer matches
        handle.seek(12)
        handle.write((64).to_bytes(8, "little"))
    return path


@pytest.mark.parametrize("command, db, message", [
    ("import", lambda tmp: tmp, "là một thư mục, không phải tệp cơ sở dữ liệu"),
    ("sample", lambda tmp: tmp, "là một thư mục, không phải tệp cơ sở dữ liệu"),
    ("import", _not_duckdb, "không phải cơ sở dữ liệu DuckDB"),
    ("import", _damaged, "là cơ sở dữ liệu DuckDB nhưng không mở được: tệp bị hỏng"),
    ("import", lambda tmp: _not_duckdb(tmp) / "cchc.duckdb", "Không ghi được cơ sở dữ liệu"),
])
def test_a_db_that_cannot_hold_the_database_is_refused_with_64(tmp_path, command, db, message):
    damaged, db = db is _damaged, db(tmp_path)
    before = _listing(tmp_path)
    inputs = [FIXTURES / "units.csv"] if command == "import" else ["--out", tmp_path / "mau"]
    proc = etl(command, *inputs, "--db", db)
    assert proc.returncode == 64
    assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    # Nothing written, nothing left behind (no working copy, nor the sample's files), a wrong file kept as it was;
    # only a damaged database is found out under the lock, whose empty file stays as after any load.
    after = _listing(tmp_path)
    if damaged:
        assert after.pop("cchc.duckdb.lock") == b""
    assert after == before


def _listing(folder) -> dict:
    return {p.name: p.read_bytes() if p.is_file() else "dir" for p in folder.iterdir()}


@pytest.mark.parametrize("module, args, message", [
    ("etl", [], "thiếu tham số bắt buộc import|sample|refresh|remove"),
    ("etl", ["nap"], "tham số import|sample|refresh|remove không nhận giá trị 'nap' (chọn một trong 'import', "
                     "'sample', 'refresh', 'remove')"),
    ("etl", ["import", "a.csv"], "thiếu tham số bắt buộc --db"),
    ("etl", ["import", "a.csv", "--db", "x.duckdb", "--kind", "ho_so"],
     "tham số --kind không nhận giá trị 'ho_so' (chọn một trong 'auto', 'dossiers', 'ratings', 'survey', 'units', "
     "'successions', "
     "'procedures', 'targets', 'index766_inputs', 'index766_published', 'par_framework', 'par_scores', 'plan_tasks', "
     "'task_progress')"),
    ("etl", ["import", "a.csv", "--db", "x.duckdb", "--as-of", "31/12/2022"],
     "tham số --as-of: ngày '31/12/2022' không đúng dạng YYYY-MM-DD"),
    ("etl", ["import", "a.csv", "--db", "x.duckdb", "--nguon", "A"], "không hiểu tham số --nguon A"),
    ("indicators", ["table", "--db", "x.duckdb", "--from", "2022-01-01"],
     "cần --from và --to, hoặc --period (2022-06 (tháng), 2022-Q2 (quý), 2022-H1 (6 tháng), 2022-9M (9 tháng), 2022 "
     "(năm))"),
    ("indicators", ["table", "--db", "x.duckdb", "--from", "2022-01-01", "--to", "2022-01-31", "--by", "ward"],
     "tham số --by không nhận giá trị 'ward' (chọn một trong 'unit', 'level', 'district', 'department', 'field', "
     "'procedure', 'month')"),
])
def test_usage_errors_exit_64_in_vietnamese(tmp_path, module, args, message):
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 64
    assert proc.stderr.splitlines()[-1] == f"Lỗi: lệnh không hợp lệ: {message}."
    assert list(tmp_path.iterdir()) == []   # nothing was run


@pytest.mark.parametrize("db, message", [
    (lambda tmp: tmp, "là một thư mục, không phải tệp cơ sở dữ liệu"),
    (_not_duckdb, "tệp không phải cơ sở dữ liệu DuckDB"),
    (lambda tmp: tmp / "chua_co.duckdb", "không có tệp cơ sở dữ liệu"),
])
def test_figures_from_a_db_that_cannot_be_read_exit_2_in_vietnamese(tmp_path, db, message):
    proc = subprocess.run([sys.executable, "-m", "indicators", "table", "--db", str(db(tmp_path)), "--from",
                           "2022-01-01", "--to", "2022-01-31"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Lỗi: ") and message in proc.stderr and "Traceback" not in proc.stderr
