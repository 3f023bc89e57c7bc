"""The importer (`python -m etl import`) against hand-made vendor exports with hand-counted expectations.

tests/fixtures/make_fixtures.py writes the exports; tests/fixtures/expected.json says, per file, what a person
counting the rows by hand expects: rows read/loaded/rejected/skipped, each reject's row and reason, dropped
personal-data columns, unmatched units and typed values straight from the `dossiers` table. On top: reloading a
file changes nothing, the newest snapshot wins in either load order, a file without a recognizable header loads
nothing (exit 2), and no personal-data value reaches any column of any table.
Each import runs the real CLI in a subprocess against a fresh temporary DuckDB file.
"""
import datetime as dt
import decimal
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXPORTS = FIXTURES / "exports"
UNITS = FIXTURES / "units.csv"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
FILES = {f["file"]: f for f in EXPECTED["files"]}
SUMMARY_KEYS = {"path", "kind", "rows_read", "rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected",
                "rows_skipped", "dropped_columns", "ignored_columns", "unmatched_units", "rejects"}
# The business columns of `dossiers` (load-bookkeeping columns such as timestamps are left out of the checksum).
DOSSIER_COLUMNS = ["source", "dossier_code", "unit_text", "unit_code", "procedure_code", "procedure_name",
                   "field_name", "channel", "online_level", "received_at", "due_at", "finished_at", "returned_at",
                   "status_code", "status_text", "supplement_count", "fee_amount", "is_paid_online", "is_digitized",
                   "rating", "snapshot_date"]


# ----------------------------------------------------------------------------------------------- helpers
class Run:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.rc, self.stdout, self.stderr = proc.returncode, proc.stdout, proc.stderr
        try:
            self.json = json.loads(proc.stdout) if proc.stdout.strip() else None
        except json.JSONDecodeError:
            self.json = None

    def entry(self, name: str) -> dict:
        assert self.json is not None, f"no JSON on stdout (rc={self.rc})\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"
        for e in self.json.get("files", []):
            if pathlib.Path(str(e.get("path", ""))).name == name:
                return e
        raise AssertionError(f"{name} not in the JSON summary: {self.json}")

    def describe(self) -> str:
        return f"rc={self.rc}\nstdout:\n{self.stdout[-3000:]}\nstderr:\n{self.stderr[-3000:]}"


def run_import(db: pathlib.Path, paths, *extra: str) -> Run:
    cmd = [sys.executable, "-m", "etl", "import", *[str(p) for p in paths], "--db", str(db), *extra]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600)
    return Run(proc)


def query(db: pathlib.Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def table_columns(db: pathlib.Path, table: str) -> list[str]:
    return [r[0] for r in query(db, "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                    "ORDER BY ordinal_position", [table])]


def copy_db(src: pathlib.Path, dst: pathlib.Path) -> pathlib.Path:
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))
    return dst


def as_plain(value):
    """A database value in the form expected.json writes it."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def same(expected, got) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return bool(expected) == bool(got) and isinstance(got, (bool, int))
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return float(expected) == float(got)
    return expected == got


def dossier_state(db: pathlib.Path) -> list[tuple]:
    cols = [c for c in DOSSIER_COLUMNS if c in table_columns(db, "dossiers")]
    return query(db, f"SELECT {', '.join(cols)} FROM dossiers ORDER BY source, dossier_code")


def db_state(db: pathlib.Path) -> dict:
    """What a reload or a failed import must leave untouched."""
    state = {"dossiers": dossier_state(db)}
    for table in ("rejected_rows", "unmatched_units"):
        if table_columns(db, table):
            state[table] = query(db, f"SELECT count(*) FROM {table}")[0][0]
    return state


def mismatches(db: pathlib.Path, expected_rows: dict) -> list[str]:
    out = []
    cols = table_columns(db, "dossiers")
    for code, fields in expected_rows.items():
        rows = query(db, "SELECT * FROM dossiers WHERE dossier_code = ?", [code])
        if len(rows) != 1:
            out.append(f"{code}: {len(rows)} rows in dossiers, expected 1")
            continue
        row = dict(zip(cols, rows[0]))
        for field, want in fields.items():
            if field not in row:
                out.append(f"{code}: no column {field!r} in dossiers")
                continue
            got = as_plain(row[field])
            if not same(want, got):
                out.append(f"{code}.{field}: expected {want!r}, got {got!r}")
    return out


# ----------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def units_db(tmp_path_factory) -> pathlib.Path:
    """A database holding only the reference units; every test starts from a copy of it."""
    db = tmp_path_factory.mktemp("units") / "units.duckdb"
    run = run_import(db, [UNITS], "--kind", "units", "--json")
    assert run.rc == 0, "loading units.csv failed\n" + run.describe()
    return db


@pytest.fixture(scope="session")
def loaded(units_db, tmp_path_factory):
    """Each fixture file imported once into its own copy of the units database (cached per file)."""
    cache = {}

    def load(name: str):
        if name not in cache:
            db = copy_db(units_db, tmp_path_factory.mktemp("one") / "db.duckdb")
            cache[name] = (db, run_import(db, [EXPORTS / name], "--json"))
        return cache[name]
    return load


# ----------------------------------------------------------------------------------------------- per-file tests
@pytest.mark.parametrize("name", list(FILES))
def test_summary_counts(loaded, name):
    exp = FILES[name]
    db, run = loaded(name)
    assert run.rc == exp["exit_code"], run.describe()
    e = run.entry(name)
    missing = SUMMARY_KEYS - set(e)
    assert not missing, f"summary lacks keys {sorted(missing)}: {e}"
    assert e["kind"] == exp["kind"]
    got = {k: e[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_skipped")}
    want = {k: exp[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_skipped")}
    assert got == want, f"{name}: counts differ (expected {want}, got {got})"
    assert e["rows_read"] == e["rows_loaded"] + e["rows_updated"] + e["rows_unchanged"] + e["rows_rejected"]
    assert e["rows_updated"] == 0 and e["rows_unchanged"] == 0, "fresh database: nothing to update"
    n = query(db, "SELECT count(*) FROM dossiers")[0][0]
    assert n == exp["rows_loaded"], f"{name}: {n} rows in dossiers, expected {exp['rows_loaded']}"


@pytest.mark.parametrize("name", list(FILES))
def test_rejects(loaded, name):
    exp = FILES[name]
    _, run = loaded(name)
    e = run.entry(name)
    got = sorted((r["row"], r["reason_code"]) for r in e["rejects"])
    want = sorted((r["row"], r["reason_code"]) for r in exp["rejects"])
    assert got == want, f"{name}: rejects (row, reason_code) expected {want}, got {got}"
    by_row = {r["row"]: r for r in e["rejects"]}
    for r in exp["rejects"]:
        actual = by_row[r["row"]]
        if "field" in r:
            assert actual.get("field") == r["field"], f"{name} row {r['row']}: field {actual.get('field')!r}, expected {r['field']!r}"
        if r["sheet"] is None:
            assert actual.get("sheet") in (None, ""), f"{name} row {r['row']}: a CSV has no sheet, got {actual.get('sheet')!r}"
        else:
            assert actual.get("sheet") == r["sheet"], f"{name} row {r['row']}: sheet {actual.get('sheet')!r}"
        assert isinstance(actual.get("reason"), str) and actual["reason"].strip(), f"{name} row {r['row']}: empty reason"


@pytest.mark.parametrize("name", list(FILES))
def test_rejected_rows_table(loaded, name):
    exp = FILES[name]
    db, _ = loaded(name)
    rows = query(db, "SELECT file_name, sheet, row_number, reason_code, reason FROM rejected_rows")
    got = sorted((r[2], r[3]) for r in rows)
    want = sorted((r["row"], r["reason_code"]) for r in exp["rejects"])
    assert got == want, f"{name}: rejected_rows table (row_number, reason_code) expected {want}, got {got}"
    for file_name, sheet, _, _, reason in rows:
        assert str(file_name).endswith(name), f"rejected_rows.file_name {file_name!r} does not name {name}"
        assert reason and str(reason).strip()


def test_rejected_row_keeps_original_values(loaded):
    """The person fixing the file must see what was wrong: the bad fee text is kept with the rejected row."""
    db, _ = loaded("10_dong_loi.xlsx")
    rows = query(db, "SELECT CAST(original_values AS VARCHAR) FROM rejected_rows WHERE row_number = 12")
    assert rows, "row 12 (bad fee) not in rejected_rows"
    text = rows[0][0] or ""
    assert "mười nghìn" in text or json.dumps("mười nghìn")[1:-1] in text, text


@pytest.mark.parametrize("name", list(FILES))
def test_dropped_and_unmatched(loaded, name):
    exp = FILES[name]
    db, run = loaded(name)
    e = run.entry(name)
    assert sorted(e["dropped_columns"]) == sorted(exp["dropped_columns"]), f"{name}: dropped_columns {e['dropped_columns']}"
    got_units = sorted(u if isinstance(u, str) else u.get("unit_text") for u in e["unmatched_units"])
    assert got_units == sorted(exp["unmatched_units"]), f"{name}: unmatched_units {e['unmatched_units']}"
    table = sorted(r[0] for r in query(db, "SELECT DISTINCT unit_text FROM unmatched_units"))
    assert table == sorted(exp["unmatched_units"]), f"{name}: unmatched_units table {table}"


@pytest.mark.parametrize("name", list(FILES))
def test_dossier_values(loaded, name):
    exp = FILES[name]
    db, _ = loaded(name)
    problems = mismatches(db, exp["dossiers"])
    if exp["not_loaded"]:
        marks = ", ".join("?" * len(exp["not_loaded"]))
        present = query(db, f"SELECT dossier_code FROM dossiers WHERE trim(dossier_code) IN ({marks})", exp["not_loaded"])
        problems += [f"{r[0]}: should not be in dossiers" for r in present]
    dups = query(db, "SELECT dossier_code, count(*) FROM dossiers GROUP BY ALL HAVING count(*) > 1")
    problems += [f"{code}: {n} rows" for code, n in dups]
    if "snapshot_date" in exp:
        dates = [as_plain(r[0]) for r in query(db, "SELECT DISTINCT snapshot_date FROM dossiers")]
        if dates != [exp["snapshot_date"]]:
            problems.append(f"snapshot_date: expected {exp['snapshot_date']}, got {dates}")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", list(FILES))
def test_reload_is_a_no_op(loaded, name, tmp_path):
    exp = FILES[name]
    first_db, first = loaded(name)
    assert first.rc == 0, first.describe()
    db = copy_db(first_db, tmp_path / "again.duckdb")
    before = db_state(db)
    run = run_import(db, [EXPORTS / name], "--json")
    assert run.rc == 0, run.describe()
    e = run.entry(name)
    assert (e["rows_loaded"], e["rows_updated"]) == (0, 0), f"{name} reloaded: {e}"
    assert e["rows_read"] == exp["rows_read"] and e["rows_rejected"] == exp["rows_rejected"], e
    assert e["rows_unchanged"] == exp["rows_read"] - exp["rows_rejected"], e
    after = db_state(db)
    assert after == before, f"{name}: reloading changed the database ({ {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)} })"


# ----------------------------------------------------------------------------------------------- snapshots
@pytest.mark.parametrize("date_from", ["title", "as_of"])
@pytest.mark.parametrize("order", ["jan_then_feb", "feb_then_jan"])
def test_newest_snapshot_wins(units_db, tmp_path, order, date_from):
    snap = EXPECTED["snapshots"]
    db = copy_db(units_db, tmp_path / "snap.duckdb")
    for month in order.split("_then_"):
        f = snap[month]
        extra = ["--source", snap["source"], "--json"]
        if date_from == "as_of":
            extra += ["--as-of", f["as_of"]]
        run = run_import(db, [EXPORTS / f["file"]], *extra)
        assert run.rc == 0, run.describe()
        e = run.entry(f["file"])
        got = {k: e[k] for k in snap[order][month]}
        assert got == snap[order][month], f"{order}, {month}: expected {snap[order][month]}, got {got}"
    problems = mismatches(db, snap["final"])
    n = query(db, "SELECT count(*) FROM dossiers")[0][0]
    if n != len(snap["final"]):
        problems.append(f"{n} dossiers, expected {len(snap['final'])}")
    sources = query(db, "SELECT DISTINCT source FROM dossiers")
    if sources != [(snap["source"],)]:
        problems.append(f"source: {sources}")
    assert not problems, f"{order} ({date_from}):\n  " + "\n  ".join(problems)


# ----------------------------------------------------------------------------------------------- no header
@pytest.mark.parametrize("case", EXPECTED["no_header"], ids=lambda c: c["file"])
@pytest.mark.parametrize("kind", ["dossiers", "auto"])
def test_file_without_header_loads_nothing(units_db, tmp_path, case, kind):
    db = copy_db(units_db, tmp_path / "nohead.duckdb")
    good = run_import(db, [EXPORTS / "07_toi_thieu_bon_cot.xlsx"])
    assert good.rc == 0, good.describe()
    before = db_state(db)
    run = run_import(db, [EXPORTS / case["file"]], "--kind", kind)
    assert run.rc == case["exit_code"], run.describe()
    if kind == "dossiers":
        for text in case["stderr_contains"]:
            assert text in run.stderr, f"stderr should name {text!r}:\n{run.stderr}"
    assert db_state(db) == before, "a file that could not be imported changed the database"


# ----------------------------------------------------------------------------------------------- personal data
@pytest.fixture(scope="session")
def everything_db(units_db, tmp_path_factory):
    db = copy_db(units_db, tmp_path_factory.mktemp("all") / "all.duckdb")
    run = run_import(db, [EXPORTS / name for name in FILES], "--json")
    return db, run


def test_all_files_load_together(everything_db):
    db, run = everything_db
    assert run.rc == 0, run.describe()
    for name, exp in FILES.items():
        e = run.entry(name)
        assert (e["rows_read"], e["rows_rejected"]) == (exp["rows_read"], exp["rows_rejected"]), f"{name}: {e}"
        assert sorted(e["dropped_columns"]) == sorted(exp["dropped_columns"]), f"{name}: {e['dropped_columns']}"


def _needles():
    out = []
    for value in EXPECTED["personal_data_values"]:
        out.append(value)
        escaped = json.dumps(value)[1:-1]  # as json.dumps(ensure_ascii=True) would store it
        if escaped != value:
            out.append(escaped)
    return out


def test_no_personal_data_in_any_column(everything_db):
    db, run = everything_db
    assert run.rc == 0, run.describe()
    columns = query(db, "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
                        "WHERE table_catalog = current_database()")
    assert columns, "no tables found"
    found = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        for schema, table, column, data_type in columns:
            for needle in _needles():
                sql = (f'SELECT count(*) FROM "{schema}"."{table}" '
                       f'WHERE strpos(CAST("{column}" AS VARCHAR), ?) > 0')
                n = con.execute(sql, [needle]).fetchone()[0]
                if n:
                    found.append(f"{schema}.{table}.{column} ({data_type}): {needle!r} in {n} rows")
    finally:
        con.close()
    assert not found, "personal data reached the database:\n  " + "\n  ".join(found)


def test_no_personal_data_in_database_file_bytes(everything_db):
    """Belt and braces: the values must not have been written at all, not even into a table dropped later."""
    db, run = everything_db
    assert run.rc == 0, run.describe()
    blobs = [db.read_bytes()]
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        blobs.append(wal.read_bytes())
    found = [v for v in EXPECTED["personal_data_values"] for b in blobs if v.encode("utf-8") in b]
    assert not found, f"personal data bytes found in the database file: {found}"


# ----------------------------------------------------------------------------------------------- the corpus itself
def test_fixture_script_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(tmp_path / "exports")])
    committed = sorted(p.name for p in EXPORTS.iterdir())
    rebuilt = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert committed == rebuilt
    differ = [n for n in committed if (EXPORTS / n).read_bytes() != (tmp_path / "exports" / n).read_bytes()]
    assert not differ, f"committed fixtures differ from make_fixtures.py output: {differ}"
    assert (tmp_path / "units.csv").read_bytes() == UNITS.read_bytes()


def test_expected_covers_every_export():
    named = set(FILES) | {c["file"] for c in EXPECTED["no_header"]}
    named |= {EXPECTED["snapshots"][m]["file"] for m in ("jan", "feb")}
    assert named == {p.name for p in EXPORTS.iterdir()}
