"""A fee or a supplement count written as a word that gives no number («Theo quy định», «Có thu phí», «x»): the
dossier loads with the cell empty — a fee of unknown amount, not none — and the summary names the lines (probe 49:
each such dossier was rejected and left every count). A number that does not read («mười nghìn») still rejects its
line (tests/fixtures/expected.json, 10_dong_loi.xlsx)."""
import subprocess
import sys

import duckdb

from tests.files import database_with_units, load_one, month_total, query, write_csv

ROWS = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Lệ phí", "Số lần bổ sung"],
        ["W1", "Sở Tư pháp", "01/03/2023", "10/03/2023", "Theo quy định", "0"],
        ["W2", "Sở Tư pháp", "01/03/2023", "10/03/2023", "Có thu phí", "0"],
        ["W3", "Sở Tư pháp", "01/03/2023", "10/03/2023", "20.000", "x"],
        ["W4", "Sở Tư pháp", "01/03/2023", "10/03/2023", "", "1"]]


def test_a_fee_said_by_regulation_loads_as_a_fee_of_unknown_amount(tmp_path):
    """By hand: 4 dossiers received 01/03, none rejected; fees unknown, unknown, 20.000, none (an empty cell of the
    column); supplements 0, 0, unknown, 1."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", ROWS))
    assert errors == [] and result["rows_loaded"] == 4 and result["rows_rejected"] == 0
    assert query(db, "SELECT dossier_code, fee_amount, supplement_count FROM dossiers ORDER BY 1") == [
        ("W1", None, 0), ("W2", None, 0), ("W3", 20000.0, None), ("W4", 0.0, 1)]
    assert any("2 hồ sơ ghi cột «Phí, lệ phí» bằng chữ không kèm số («Có thu phí», «Theo quy định»; dòng 2, 3)" in w
               for w in result["warnings"])
    assert any("1 hồ sơ ghi cột «Số lần bổ sung» bằng chữ không kèm số («x»; dòng 4)" in w for w in result["warnings"])
    assert month_total(db, 2023, 3)["received_new"] == 4


def test_the_once_per_database_step_empties_no_unstated_fee(tmp_path):
    """The step that turned the empty fee cells of databases loaded before «none» and «not said» were told apart into 0
    (etl/dossiers/flag_step.py) ran after the first load of every new database, and made «Theo quy định» 0 too. Run
    again here on a database whose empty cell is NULL as an old load left it: W4 (empty cell) becomes 0, W1 and W2
    stay unknown."""
    db = database_with_units(tmp_path)
    load_one(db, write_csv(tmp_path / "ho_so.csv", ROWS))
    con = duckdb.connect(str(db))
    con.execute("UPDATE dossiers SET fee_amount = NULL WHERE dossier_code = 'W4'")
    con.execute("DELETE FROM schema_steps WHERE step = 'flags_false_where_reported'")
    con.close()
    done = subprocess.run([sys.executable, "-m", "etl", "refresh", "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT dossier_code, fee_amount FROM dossiers ORDER BY 1") == [
        ("W1", None), ("W2", None), ("W3", 20000.0), ("W4", 0.0)]
