"""A load reads its files one ahead in a background thread: the same grids and errors as reading each in turn,
small files read while the one before loads, large ones only when their turn comes."""
import threading
import time

import pytest

from etl import importer
from etl.__main__ import main as etl_main
from etl.core import read_ahead
from etl.core.errors import ImportFailure
from etl.core.read_ahead import ReadAhead
from etl.core.readers import read_file
from etl.kind_names import KIND_NAMES
from etl.kinds import KINDS
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
FILES = [FIXTURES / "units.csv", EXPORTS / "01_q3_bao_cao_chi_tiet.xlsx", EXPORTS / "05_dvcqg_bom_cham_phay.csv",
         EXPORTS / "10b_dong_loi.csv"]


def test_the_command_line_offers_every_kind():
    # etl/kind_names.py spares the command line importing the loaders before it starts reading
    assert KIND_NAMES == tuple(k.name for k in KINDS)


def _same_read(a, b) -> bool:
    return len(a.grids) == len(b.grids) and a.hidden_sheets == b.hidden_sheets and all(
        x.sheet == y.sheet and x.table.equals(y.table) and list(x.row_numbers) == list(y.row_numbers)
        and x.rejected == y.rejected for x, y in zip(a.grids, b.grids))


def test_read_ahead_gives_what_reading_in_turn_gives():
    with ReadAhead(FILES) as ahead:
        for path in FILES:
            assert _same_read(ahead.read(path), read_file(path))


def test_the_first_file_is_read_at_once_and_each_small_next_one_while_the_one_before_loads(tmp_path):
    with ReadAhead(FILES) as ahead:
        assert list(ahead._pending) == [0]          # before anything asks for it
        ahead.read(FILES[0])
        assert list(ahead._pending) == [1]          # the next one, while the first is loaded
        ahead.read(FILES[1])
        assert list(ahead._pending) == [2]


def test_a_large_next_file_waits_for_its_turn(monkeypatch):
    monkeypatch.setattr(read_ahead, "READ_AHEAD_MAX_BYTES", 10)   # every fixture is larger
    monkeypatch.setattr(read_ahead, "READ_AHEAD_MAX_WORKBOOK_BYTES", 10)
    with ReadAhead(FILES[:2]) as ahead:
        assert list(ahead._pending) == [0]          # the first is always read at once: nothing else is held
        ahead.read(FILES[0])
        assert ahead._pending == {}                 # the second is not held beside the first
        assert _same_read(ahead.read(FILES[1]), read_file(FILES[1]))


def test_a_file_that_cannot_be_read_fails_when_its_turn_comes(tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    missing = tmp_path / "khong_co.csv"
    with ReadAhead([FILES[0], missing, broken]) as ahead:
        ahead.read(FILES[0])
        with pytest.raises(ImportFailure, match="Không tìm thấy tệp"):
            ahead.read(missing)
        with pytest.raises(ImportFailure) as direct:
            read_file(broken)
        with pytest.raises(ImportFailure) as ahead_read:
            ahead.read(broken)
        assert str(ahead_read.value) == str(direct.value)   # the same Vietnamese message as reading it in turn


def test_a_path_out_of_turn_is_read_directly():
    with ReadAhead(FILES[:2]) as ahead:
        assert _same_read(ahead.read(FILES[1]), read_file(FILES[1]))
        assert _same_read(ahead.read(FILES[0]), read_file(FILES[0]))


def test_a_workbook_is_read_ahead_only_when_small_as_it_unpacks_to_several_times_its_size(tmp_path):
    big = tmp_path / "lon.xlsx"
    big.write_bytes(b"PK" + b"0" * (read_ahead.READ_AHEAD_MAX_WORKBOOK_BYTES + 1))
    csv = tmp_path / "lon.csv"
    csv.write_bytes(b"a,b\n" + b"1,2\n" * ((read_ahead.READ_AHEAD_MAX_WORKBOOK_BYTES + 1) // 4))
    assert not read_ahead._small(big) and read_ahead._small(csv)


def test_a_load_reads_while_it_connects_and_loads(tmp_path, monkeypatch):
    # Each read is slowed down; the reads then overlap the load's database work instead of adding to it.
    reads, lock = [], threading.Lock()

    def slow_read(path):
        with lock:
            reads.append((path.name, threading.current_thread().name))
        time.sleep(0.3)
        return read_file(path)
    monkeypatch.setattr(read_ahead, "read_file", slow_read)
    results, errors = importer.import_paths(tmp_path / "a.duckdb", FILES, swap=False)
    assert not errors and [r["kind"] for r in results] == ["units", "dossiers", "dossiers", "dossiers"]
    assert [name for name, _ in reads] == [p.name for p in FILES]
    assert all(thread.startswith("read-ahead") for _, thread in reads)
    # the same figures as a load that reads each file in turn
    monkeypatch.undo()
    plain, _ = importer.import_paths(tmp_path / "b.duckdb", FILES, swap=False)
    keys = ("kind", "rows_loaded", "rows_rejected", "rows_skipped", "rows_total")
    assert [{k: r[k] for k in keys} for r in results] == [{k: r[k] for k in keys} for r in plain]


def test_an_unusable_database_is_said_without_waiting_for_the_read(tmp_path, monkeypatch, capsys):
    def slow_read(path):
        time.sleep(3)
        return read_file(path)
    monkeypatch.setattr(read_ahead, "read_file", slow_read)
    started = time.perf_counter()
    code = etl_main(["import", str(FILES[0]), "--db", str(tmp_path)])   # a folder, not a database file
    assert code != 0 and "là một thư mục" in capsys.readouterr().err
    assert time.perf_counter() - started < 2.5


def test_the_collector_is_off_while_the_command_imports_its_loaders_and_on_for_the_load(tmp_path):
    """`python -m etl import` turns Python's garbage collector off while it imports the loaders (it walked their
    objects some 300 times beside the file being read) and back on before anything loads; a caller of main() in its
    own process (a test) keeps its collector as it was."""
    import subprocess
    import sys
    from tests.conftest import ROOT
    script = f"""
import gc, runpy, sys
import etl.core.read_ahead as read_ahead, etl.importer as importer
seen = {{}}
start, load = read_ahead.ReadAhead.__init__, importer.import_paths
def spy_start(self, paths):
    seen["reading"] = gc.isenabled()
    start(self, paths)
def spy_load(*args, **kwargs):
    seen["loading"] = gc.isenabled()
    return load(*args, **kwargs)
read_ahead.ReadAhead.__init__, importer.import_paths = spy_start, spy_load
sys.argv = ["etl", "import", {str(FILES[0])!r}, "--db", {str(tmp_path / "a.duckdb")!r}]
try:
    runpy.run_module("etl", run_name="__main__")
except SystemExit as stop:
    seen["code"] = stop.code
print(seen)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "{'reading': False, 'loading': True, 'code': 0}", done.stderr
    # in-process: untouched
    import gc
    frozen = gc.get_freeze_count()
    assert etl_main(["import", str(FILES[0]), "--db", str(tmp_path / "b.duckdb")]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
