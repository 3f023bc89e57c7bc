"""The small csv and xlsx files tests write and load, and loading them one by one as `etl import` does."""
from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from etl import importer
from etl.core.errors import ImportFailure


def write_csv(path: Path, rows: list[list], *, delimiter: str = ",", bom: bool = False) -> Path:
    """rows as a CSV file (UTF-8; with the byte-order mark Excel writes when bom)."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], *, sheet: str | None = None) -> Path:
    """rows on the first sheet of a new workbook (named sheet, else openpyxl's 'Sheet')."""
    wb = Workbook()
    if sheet:
        wb.active.title = sheet
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of one sheet per {name: rows}, in that order."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def import_each(con, paths, **options) -> tuple[list[dict], list[str]]:
    """importer.import_file of each path into con: (the results of the files loaded, the messages of those
    refused)."""
    results, errors = [], []
    for p in paths:
        try:
            results.append(importer.import_file(con, Path(p), **options))
        except ImportFailure as exc:
            errors.append(str(exc))
    return results, errors


def load_one(db: Path, path: Path, **options) -> tuple[dict | None, list[str]]:
    """`etl import` of one file into the database file db (no swap): (its result or None, the messages of refusal)."""
    from etl.importer import import_paths
    results, errors = import_paths(db, [path], swap=False, **options)
    return (results[0] if results else None), errors


def query(db: Path, sql: str, params=None) -> list[tuple]:
    """The rows of sql on the database file db, opened read-only and closed again."""
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


_UNITS_TEMPLATE: list[Path] = []   # this test process's database holding the fixture unit list, copied for each test


def database_with_units(folder: Path) -> Path:
    """A new database file in folder holding the fixture unit list (tests/fixtures/units.csv), as files need it: the
    list is loaded once per test process and the file copied (a load is half a second, a copy nothing), the same
    database a load of the list into folder would write."""
    import shutil
    import tempfile
    from tests.conftest import FIXTURES
    folder.mkdir(parents=True, exist_ok=True)
    if not _UNITS_TEMPLATE:
        import atexit
        home = tempfile.mkdtemp(prefix="cchc_units_")
        atexit.register(shutil.rmtree, home, ignore_errors=True)
        template = Path(home) / "units.duckdb"
        assert load_one(template, FIXTURES / "units.csv")[1] == []
        _UNITS_TEMPLATE.append(template)
    db = folder / "t.duckdb"
    shutil.copyfile(_UNITS_TEMPLATE[0], db)
    return db


def march_total(db: Path, year: int = 2022) -> dict:
    """The statutory table's total row for March of `year` (2022: the month the loader probes use) in the database
    file db."""
    return month_total(db, year, 3)


def month_total(db: Path, year: int, month: int) -> dict:
    """The statutory table's total row for one month in the database file db."""
    import calendar
    from datetime import date

    import duckdb
    from indicators import Period, compute_period_table
    con = duckdb.connect(str(db), read_only=True)
    try:
        last = calendar.monthrange(year, month)[1]
        return compute_period_table(con, Period(date(year, month, 1), date(year, month, last)))["total"]
    finally:
        con.close()
