"""Values from data leave the project inert (issue #11, audit r08): whatever dossiers, catalogues, surveys and file
names hold, no cell of a workbook the project writes is a formula, and CSV fields a spreadsheet would evaluate are
escaped. The data goes through the real loader into a real DuckDB file, out through the CLI and the dashboard."""
import csv
import io
import json
import pathlib
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from tests.conftest import ROOT

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
# Texts a spreadsheet evaluates (=, +, -, @ first), each somewhere a unit, procedure, sector or code goes.
RISKY = [HYPERLINK, DDE, "+1+1", "+1+1 Sở", "@SUM(1)", "-2+3", "-5 Phường"]
DOSSIER_FILE = "=HYPERLINK(1).csv"
WORKBOOK_FILE = "=2+2 so.xlsx"
SHEET = "=SUM(1)"
MARCH = ["--from", "2022-03-01", "--to", "2022-03-31"]


def _csv_line(*cells) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


def _write_fixture(folder) -> list:
    units = folder / "units.csv"
    units.write_text("code,name,level,parent_code,aliases,valid_from,valid_to,successor_code\n"
                     "HCM,Thành phố Hồ Chí Minh,province,,,,,\n"
                     + _csv_line("S1", HYPERLINK, "department", "HCM", "", "", "", "")
                     + _csv_line("S2", "+1+1 Sở", "department", "HCM", "", "", "", "")
                     + _csv_line("Q1", "@SUM(1)", "district", "HCM", "", "", "", "")
                     + _csv_line("Q2", "-2+3", "district", "HCM", "", "", "", ""), encoding="utf-8")
    procedures = folder / "procedures.csv"
    procedures.write_text("code,name,field,online_level,statutory_days,has_fee,unit,has_internal_process\n"
                          + _csv_line("P1", HYPERLINK, "@SUM(1)", "full", "5", "0", "S1", "0"), encoding="utf-8")
    dossiers = folder / DOSSIER_FILE
    head = "Mã hồ sơ,Đơn vị,Mã TTHC,Tên thủ tục,Lĩnh vực,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả\n"
    dossiers.write_text(head
                        # a code starting with "=" is rejected as a formula (tests/test_loader_probe28.py): the
                        # texts that reach the outputs stand in the other columns
                        + _csv_line("H-1", HYPERLINK, DDE, DDE, HYPERLINK,
                                    "01/03/2022 08:00", "03/03/2022 17:00", "10/03/2022 09:00")
                        + _csv_line("+1+1", "+1+1 Sở", "+1+1", "+1+1", "+1+1",
                                    "01/03/2022 08:00", "03/03/2022 17:00", "10/03/2022 09:00")
                        + _csv_line("@SUM(1)", "@SUM(1)", "@SUM(1)", "@SUM(1)", "@SUM(1)",
                                    "02/03/2022 08:00", "04/03/2022 17:00", "")
                        + _csv_line("-2+3", "-2+3", "-2+3", "-2+3", "-2+3",
                                    "02/03/2022 08:00", "04/03/2022 17:00", "03/03/2022 10:00")
                        + _csv_line("-5", "-5 Phường", "-5", "-5", "-5",   # a unit not in the catalogue
                                    "02/03/2022 08:00", "04/03/2022 17:00", "")
                        + _csv_line("=1+1", "=1+1", "=1+1", "=1+1", "=1+1",   # rejected: no received date
                                    "=1+1", "04/03/2022 17:00", ""), encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Mã hồ sơ", "Đơn vị", "Tên thủ tục", "Lĩnh vực", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"])
    ws.append(["X-1", "-2+3", "Cấp phép", "Xây dựng", "05/03/2022 08:00", "07/03/2022 17:00", "06/03/2022 09:00"])
    ws.append(["=2+2", "-2+3", "Cấp phép", "Xây dựng", "ngày sai", "07/03/2022 17:00", None])   # rejected
    ws["A3"].data_type = "s"   # the text "=2+2" as an export holds it, not a formula
    workbook = folder / WORKBOOK_FILE
    wb.save(workbook)
    sipas = folder / "ket_qua_sipas.csv"
    sipas.write_text("Đơn vị,Năm,Yếu tố,Tỷ lệ hài lòng (%),Số phiếu hợp lệ\n"
                     + "".join(_csv_line("+1+1 Sở", "2022", str(e), "88", "200") for e in range(1, 6)),
                     encoding="utf-8")
    framework = folder / "bo_tieu_chi.csv"   # PAR INDEX: criteria named like formulas, scores with such notes
    framework.write_text("year,peer_group,code,name,max_points,method,indicator,rule\n"
                         + _csv_line("2022", "department", "1", HYPERLINK, "2", "", "", "")
                         + _csv_line("2022", "department", "1.1", "+1+1", "1", "", "", "")
                         + _csv_line("2022", "department", "1.2", "@SUM(1)", "1", "data", "online_rate",
                                     "max × tỷ lệ"), encoding="utf-8")
    scores = folder / "diem_par.csv"
    scores.write_text("year,unit,code,self_score,appraised_score,note,evidence\n"
                      + _csv_line("2022", HYPERLINK, "1.1", "1", "1", DDE, HYPERLINK)
                      + _csv_line("2022", "+1+1 Sở", "1.2", "1", "", "", "")
                      + _csv_line("2022", "-5 Phường", "1.1", "1", "1", "", ""), encoding="utf-8")
    plan = folder / "ke_hoach.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA +1+1 SỞ"])
    ws.append(["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"])
    ws.append([1, HYPERLINK, "@SUM(1)", "Quý I"])        # overdue on the page's date: in the overdue list
    ws.append([2, "+1+1", "-2+3", DDE])                  # a deadline that is no date: in the unreadable list
    ws["B3"].data_type = ws["D4"].data_type = "s"
    wb.save(plan)
    return [units, procedures, dossiers, workbook, sipas, framework, scores, plan]


@pytest.fixture(scope="module")
def r08_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("r08")
    db = folder / "r08.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "import", *map(str, _write_fixture(folder)), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "bị loại 1" in proc.stdout and "thêm mới 5" in proc.stdout, proc.stdout   # 5 + 1 dossiers, 2 rejected
    return db


def _workbooks(paths):
    """The workbooks among the files: xlsx files, and the xlsx inside a zip (the report pack); Word documents
    have no cell to evaluate."""
    for path in paths:
        if path.suffix == ".xlsx":
            yield path, path
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith(".xlsx"):
                        yield path.with_name(name), io.BytesIO(z.read(name))


def _cells(path):
    for ws in openpyxl.load_workbook(path):
        for row in ws.iter_rows():
            yield from (c for c in row if c.value is not None)


def _check_workbooks(paths) -> set:
    """Asserts that no cell is a formula and every risky text is a string; returns the texts found."""
    texts = set()
    for path, source in _workbooks(paths):
        for cell in _cells(source):
            assert cell.data_type != "f", f"{path.name} {cell.parent.title}!{cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str):
                texts.add(cell.value)
                if cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, (path.name, cell.coordinate, cell.value)
    return texts


def _cli(db, *args):
    proc = subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


CLI_RUNS = [("table", "--by", "unit", *MARCH), ("table", "--by", "field", *MARCH),
            ("table", "--by", "procedure", *MARCH), ("report", *MARCH), ("index766", "--by", "unit", *MARCH),
            ("form", "06a", *MARCH), ("form", "06a", "--by", "field", *MARCH),
            ("sipas", "--by", "unit", "--from", "2022-01-01", "--to", "2022-12-31"), ("par", "--year", "2022"),
            ("inspection", "--unit", "HCM", "--as-of", "2022-12-31", "--period", "2022-Q1", "--calendar")]


def test_cli_workbooks_hold_no_formula(r08_db, tmp_path):
    paths = []
    for i, run in enumerate(CLI_RUNS):
        paths.append(tmp_path / f"{run[0]}_{i}.xlsx")
        _cli(r08_db, *run, "--format", "xlsx", "--out", str(paths[-1]))
    texts = _check_workbooks(paths)
    # The texts arrived, as they were, without a quote mark of their own: the test saw what it guards.
    assert set(RISKY) <= texts


def test_cli_csv_fields_are_escaped(r08_db):
    fields = []
    for run in CLI_RUNS:
        if run[0] not in ("report", "form", "inspection"):   # the report, the form and the inspection pack: no CSV
            fields += [f for row in csv.reader(io.StringIO(_cli(r08_db, *run, "--format", "csv"))) for f in row]
    for f in fields:
        if f[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(f)   # only a number may start so: a negative number stays a number
    # The unmatched unit has no row of its own in these tables; its procedure code "-5" is text, not a number.
    assert {"'" + text for text in RISKY if text != "-5 Phường"} | {"'-5"} <= set(fields)


def test_dashboard_downloads_hold_no_formula(r08_db, tmp_path):
    """Every download button of every page (22: the Báo cáo page's pack and the Đơn vị page's inspection pack as
    background jobs), through the app's callback route."""
    query = json.dumps({"ky": "quy", "nam": "2022", "quy": "1"})
    proc = subprocess.run([sys.executable, "-m", "tests.dashboard_downloads", str(r08_db), str(tmp_path), query],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    pressed = json.loads(proc.stdout)
    assert len(pressed) >= 20 and all(p["status"] == 200 and p["file"] for p in pressed), pressed
    texts = _check_workbooks([pathlib.Path(p["file"]) for p in pressed])
    # File and sheet names from the import history and the rejected rows are text too.
    assert set(RISKY) | {DOSSIER_FILE, WORKBOOK_FILE, SHEET} <= texts
