"""Header rows as vendors lay them out: merged two-row headers whichever row names more fields."""
import json
import subprocess
import sys

import duckdb
from openpyxl import Workbook

from etl.core.header import find_header
from etl.dossiers.fields import alias_index
from tests.conftest import FIXTURES, ROOT

TITLE = ["UBND QUẬN 3"]
DATA = ["H-0001", "UBND Phường Võ Thị Sáu", "2.000001", "Đăng ký khai sinh", "03/01/2022 08:00", "05/01/2022 17:00",
        "04/01/2022 10:00"]


def _grid(top, lower):
    return [TITLE, [], top, lower, DATA]


def test_the_lower_header_row_may_name_more_fields_than_the_upper_one():
    # "Thời gian" is merged over three dates: the lower row maps 3 fields, the upper row 2 (+ 'Thủ tục' group).
    top = ["Mã hồ sơ", "Đơn vị", "Thủ tục", None, "Thời gian", None, None]
    lower = [None, None, "Mã TTHC", "Tên TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]
    match = find_header(_grid(top, lower), alias_index())
    assert (match.header_index, match.header_rows) == (3, 2)
    assert {"dossier_code": "c0", "unit": "c1", "procedure_code": "c2", "procedure_name": "c3", "received_at": "c4",
            "due_at": "c5", "finished_at": "c6"}.items() <= match.columns.items()


def test_a_data_row_under_a_one_row_header_is_not_taken_for_a_sub_header():
    top = ["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Tên TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]
    match = find_header([TITLE, top, DATA, DATA], alias_index())
    assert (match.header_index, match.header_rows) == (1, 1)
    assert len(match.columns) == 7


def test_such_a_file_loads_as_dossiers_and_leaves_the_procedure_catalogue_alone(tmp_path):
    path = tmp_path / "ho_so_hai_dong.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in _grid(["Mã hồ sơ", "Đơn vị", "Thủ tục", None, "Thời gian", None, None],
                     [None, None, "Mã TTHC", "Tên TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"]):
        ws.append(row)
    ws.merge_cells("C3:D3")
    ws.merge_cells("E3:G3")
    wb.save(path)
    db = tmp_path / "cchc.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(FIXTURES / "units.csv"), str(path), "--db", str(db),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT dossier_code, procedure_code, received_at::DATE::VARCHAR, due_at::DATE::VARCHAR, "
                           "finished_at::DATE::VARCHAR FROM dossiers").fetchall() == [
            ("H-0001", "2.000001", "2022-01-03", "2022-01-05", "2022-01-04")]
        assert con.execute("SELECT count(*) FROM procedures").fetchall() == [(0,)]
    finally:
        con.close()


def test_sub_headers_that_name_a_field_only_with_their_group_label(tmp_path):
    # VNPT iGate: "Ngày" merged over "Tiếp nhận | Hẹn trả | Trả kết quả", "STT" and "Số hồ sơ" merged down; neither
    # lower cell names a field alone, so the row below was never tried as a sub-header and the file was refused.
    path = tmp_path / "igate.xlsx"
    wb = Workbook()
    ws = wb.active
    for row in [TITLE, ["STT", "Số hồ sơ", "Đơn vị tiếp nhận", "Ngày", None, None, "Trạng thái"],
                [None, None, None, "Tiếp nhận", "Hẹn trả", "Trả kết quả", None],
                [1, "H-0001", "UBND Phường Võ Thị Sáu", "03/01/2022 08:00", "05/01/2022 17:00", "05/01/2022 09:00",
                 "Đã trả kết quả"]]:
        ws.append(row)
    for cells in ("D2:F2", "A2:A3", "B2:B3", "C2:C3", "G2:G3"):
        ws.merge_cells(cells)
    wb.save(path)
    db = tmp_path / "cchc.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(path), "--db", str(db), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["ignored_columns"] == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT dossier_code, received_at::VARCHAR, due_at::VARCHAR, returned_at::VARCHAR, "
                           "status_code FROM dossiers").fetchall() == [
            ("H-0001", "2022-01-03 08:00:00", "2022-01-05 17:00:00", "2022-01-05 09:00:00", 10)]
    finally:
        con.close()
