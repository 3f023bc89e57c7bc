"""The period table's workbook (`python -m indicators table --format xlsx`, and the page's download) lists the units
by name as a reader looks for them, as the page's table does — not by unit code (probe 53: Bình Chánh, Bình Tân, Bình
Thạnh, Củ Chi, Cần Giờ…) — and loses no row."""
import subprocess
import sys

import openpyxl

from pages._components.tables import period_table_rows
from tests.browser_support import cli_json
from tests.conftest import ROOT


def _workbook_names(path) -> list[str]:
    sheet = openpyxl.load_workbook(path).active
    names = [row[1] for row in sheet.iter_rows(min_row=8, max_col=2, values_only=True)]
    return names[:names.index("Tổng cộng")]


def test_the_workbook_lists_units_by_name_and_every_row_of_the_table(demo_db, tmp_path):
    out = tmp_path / "bang.xlsx"
    proc = subprocess.run([sys.executable, "-m", "indicators", "table", "--period", "2022", "--by", "district",
                           "--format", "xlsx", "--out", str(out), "--db", str(demo_db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = _workbook_names(out)
    table = cli_json(demo_db, "table", "--period", "2022", "--by", "district", "--format", "json")
    assert sorted(names) == sorted(r["name"] for r in table["rows"])
    # by hand: numbers as numbers, «Cần» before «Củ» (accents folded), the districts before «Quận …», «Thành phố…» last
    for before, after in (("Quận 3", "Quận 10"), ("Quận 10", "Quận 12"), ("Quận 12", "Quận Bình Tân"),
                          ("Huyện Cần Giờ", "Huyện Củ Chi"), ("Huyện Nhà Bè", "Quận 1"),
                          ("Quận Tân Phú", "Thành phố Thủ Đức")):
        assert names.index(before) < names.index(after), names
    placed = [r["name"] for r in table["rows"] if r["key"] is not None]
    assert names[:len(placed)] == [n for n in names if n in placed]   # the rows no district holds come last
    # the page's table, in the same order
    assert [r["name"] for r in period_table_rows(table)] == names
