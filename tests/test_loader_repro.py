"""The loader defects of issue #11 (../shared/repro/README.md), each loaded as the audit did and checked against its
"expected" column; items without a folder use files written here."""
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from etl import importer, kinds
from etl.core.database import connect
from tests.conftest import FIXTURES
from tests.files import import_each

ROOT = Path(__file__).resolve().parents[1]
# ../shared/repro beside the repository (CI and the integrator's checkout); CCHC_REPRO names it from elsewhere.
REPRO = Path(os.environ.get("CCHC_REPRO") or Path(__file__).resolve().parents[2] / "shared" / "repro")
needs_repro = pytest.mark.skipif(not REPRO.is_dir(), reason=f"the audit's inputs are not here ({REPRO})")
COUNTS = ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected", "rows_skipped")


def load(tmp_path, *paths, **options):
    """import_file of each path into one fresh database; (results, errors, connection)."""
    con = connect(tmp_path / "cchc.duckdb")
    return *import_each(con, paths, **options), con


def accounted(r) -> bool:
    return r["rows_total"] == sum(r[k] for k in COUNTS) and r["rows_read"] == r["rows_total"] - r["rows_skipped"]


def codes(con) -> dict:
    return dict(con.execute("SELECT dossier_code, strftime(received_at, '%Y-%m-%d %H:%M') FROM dossiers").fetchall())


@needs_repro
def test_r01_dossier_file_with_misspelled_header_never_overwrites_the_catalogue(tmp_path):
    folder = REPRO / "r01_dossier_file_taken_for_catalogue"
    results, errors, con = load(tmp_path, folder / "procedures.csv", folder / "ho_so_go_sai_tieu_de.csv")
    assert [r["kind"] for r in results] == ["procedures"]
    assert len(errors) == 1 and "Mã hồ sơ" in errors[0] and "Ngày tiếp nhận" not in errors[0], errors
    # procedures.csv as written: 4 = full online, 3 working days, with a fee
    assert con.execute("SELECT procedure_code, online_level, statutory_days, has_fee FROM procedures "
                       "ORDER BY 1").fetchall() == [("2.002052", "full", 3, True), ("2.002053", "full", 3, True),
                                                    ("2.002059", "partial", 3, True)]
    assert con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0] == 0


def test_reference_file_with_empty_cells_keeps_good_values(tmp_path):
    good = tmp_path / "tthc.csv"
    good.write_text("code,name,online_level,statutory_days,has_fee\n1.1,Khai sinh,4,3,1\n", encoding="utf-8")
    thin = tmp_path / "tthc_thieu.csv"
    thin.write_text("code,name,online_level,statutory_days\n1.1,,,\n1.2,Kết hôn,,5\n", encoding="utf-8")
    _, errors, con = load(tmp_path, good, thin)
    assert errors == []
    assert con.execute("SELECT * FROM procedures ORDER BY 1").fetchall() == [
        ("1.1", "Khai sinh", None, "full", 3, True, None), ("1.2", "Kết hôn", None, None, 5, None, None)]   # level unsaid


@needs_repro
def test_r02_stray_quote_rejects_its_line_and_loads_the_rest(tmp_path):
    (r,), errors, con = load(tmp_path, REPRO / "r02_stray_quote" / "stray_quote.csv")
    assert errors == [] and accounted(r)
    assert (r["rows_total"], r["rows_loaded"], r["rows_rejected"]) == (5, 4, 1)  # Q-1…Q-5 on lines 2–6
    assert [(x["row"], x["reason_code"]) for x in r["rejects"]] == [(3, "unreadable_line")]
    assert sorted(codes(con)) == ["Q-1", "Q-3", "Q-4", "Q-5"]
    assert con.execute("SELECT row_number, reason_code, original_values FROM rejected_rows").fetchall() == [
        (3, "unreadable_line", None)]


@needs_repro
def test_r03_cell_over_128_kb_loads(tmp_path):
    (r,), errors, con = load(tmp_path, REPRO / "r03_cell_over_128kb" / "big_cell.csv")
    assert errors == [] and accounted(r) and r["rows_loaded"] == 2
    assert con.execute("SELECT max(length(procedure_name)) FROM dossiers").fetchall()[0][0] > 128 * 1024


@needs_repro
@pytest.mark.parametrize("name, ignored", [("cols_1000.csv", 997), ("stray_cell_col1000.xlsx", 1)])
def test_r04_many_columns_load_and_extra_columns_are_listed(tmp_path, name, ignored):
    (r,), errors, con = load(tmp_path, REPRO / "r04_many_columns" / name)
    assert errors == [] and accounted(r) and r["rows_loaded"] == 3
    assert len(r["ignored_columns"]) == ignored
    if name.endswith(".xlsx"):
        assert r["ignored_columns"] == ["cột ALL, dòng 2 (không có tiêu đề)"]   # the file's one cell: ALL2


@needs_repro
def test_r05_rows_with_a_code_after_subtotals_are_rejected_not_skipped(tmp_path):
    folder = REPRO / "r05_rows_after_subtotals"
    (sub, first), errors, con = load(tmp_path, folder / "subtotals.csv", folder / "first_cell_marker.csv",
                                     source="x")
    assert errors == [] and accounted(sub) and accounted(first)
    # subtotals.csv, B-001 load; B-002 (no date, line 7) and B-003 (31/02, line 8) are rejected;
    # the two "Cộng" lines (4 and 9) are skipped.
    assert (sub["rows_loaded"], sub["rows_rejected"], sub["rows_skipped"]) == (3, 2, 2)
    assert [(x["row"], x["reason_code"]) for x in sub["rejects"]] == [(6, "missing_received_date"),
                                                                     (7, "bad_date")]
    # first_cell_marker.csv: X-1 loads; X-2 (no date), X-3 (31/02), X-4 (no date) rejected although their first
    # cell starts with "Xác nhận" (a signature word).
    assert (first["rows_loaded"], first["rows_rejected"], first["rows_skipped"]) == (1, 3, 0)
    assert [x["row"] for x in first["rejects"]] == [3, 4, 5]


@needs_repro
def test_r06_mixed_line_endings_keep_every_code(tmp_path):
    (r,), errors, con = load(tmp_path, REPRO / "r06_mixed_line_endings" / "mixed_eol.csv")
    assert errors == [] and accounted(r)
    assert codes(con) == {f"AB-{i}": f"2022-03-0{i} 00:00" for i in range(1, 6)}
    assert dict(con.execute("SELECT dossier_code, row_number FROM dossiers").fetchall()) == {
        "AB-1": 2, "AB-2": 3, "AB-3": 4, "AB-4": 5, "AB-5": 6}


@needs_repro
@pytest.mark.parametrize("name, rows, first_code", [("utf16le_3000rows.csv", 3000, "U-000000"),
                                                    ("cp1258_ascii_head.csv", 5010, "W-000000")])
def test_r07_encoding_decided_on_the_whole_file(tmp_path, name, rows, first_code):
    (r,), errors, con = load(tmp_path, REPRO / "r07_encoding_beyond_200kb" / name)
    assert errors == [] and accounted(r) and r["rows_loaded"] == rows
    assert first_code in codes(con)
    # the Vietnamese unit names decoded (composed, as typed) whatever the code page
    assert "Quận 3" in {u for (u,) in con.execute("SELECT DISTINCT unit_text FROM dossiers").fetchall()}


def test_corrupt_utf8_is_refused_in_vietnamese_naming_the_line(tmp_path):
    bad = tmp_path / "hong.csv"
    bad.write_bytes("Mã hồ sơ,Đơn vị,Ngày tiếp nhận\nA-1,Quận 3,01/03/2022\n".encode() + b"A-2,Qu\xe2n 3,02/03/2022\n")
    _, errors, _ = load(tmp_path, bad)
    assert len(errors) == 1 and "dòng 3" in errors[0] and "UTF-8" in errors[0]


@needs_repro
def test_r12_signers_names_are_never_stored(tmp_path):
    (r,), errors, con = load(tmp_path, REPRO / "r12_signatures_without_totals" / "register_no_totals.xlsx")
    assert errors == [] and accounted(r)
    # SG-1, SG-2 on rows 3–4; rows 5–9 are a blank row, the signature block and the signers' names.
    assert (r["rows_loaded"], r["rows_rejected"], r["rows_skipped"]) == (2, 0, 5)
    stored = con.execute("""SELECT string_agg(x::VARCHAR, '|') FROM (SELECT r FROM raw_dossier_rows r
                            UNION ALL SELECT r FROM rejected_rows r) t(x)""").fetchall()[0][0] or ""
    assert "SIGNER" not in stored


@needs_repro
def test_r14_dates_of_every_width_and_trimmed_cells(tmp_path):
    folder = REPRO / "r14_small_things"
    results, errors, con = load(tmp_path, folder / "dash_dates.csv", folder / "tab_newline_padding.csv")
    assert errors == [] and all(accounted(r) for r in results)
    assert codes(con) == {"D-1": "2022-04-03 00:00", "D-2": "2022-01-10 00:00", "D-3": "2022-12-05 00:00",
                          "D-4": "2022-01-10 00:00", "D-5": "2022-01-31 08:00",
                          "T-1": "2022-03-01 00:00", "T-2": "2022-03-01 00:00", "T-3": "2022-03-01 00:00",
                          "T-4": "2022-03-01 00:00"}
    # T-2's date cell holds a line break, so its record spans lines 3–4 and T-3 starts on line 5.
    assert dict(con.execute("SELECT dossier_code, row_number FROM dossiers WHERE dossier_code LIKE 'T-%'")
                .fetchall()) == {"T-1": 2, "T-2": 3, "T-3": 5, "T-4": 6}


def test_ten_megabyte_cell_rejects_its_row_and_loads_the_rest(tmp_path):
    path = tmp_path / "o_10mb.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("Mã hồ sơ,Đơn vị,Tên thủ tục,Ngày tiếp nhận\nM-1,Quận 3,Khai sinh,01/03/2022\n")
        f.write("M-2,Quận 3," + "x" * 10_000_000 + ",02/03/2022\nM-3,Quận 3,Khai tử,03/03/2022\n")
    (r,), errors, con = load(tmp_path, path)
    assert errors == [] and accounted(r)
    assert sorted(codes(con)) == ["M-1", "M-3"]
    assert [(x["row"], x["reason_code"]) for x in r["rejects"]] == [(3, "unreadable_line")]
    assert "1.000.000" in r["rejects"][0]["reason"]


def _xlsx(path, rows, *, merges=(), hidden=None, formula=None, cover=False):
    wb = Workbook()
    if cover:
        wb.active.title = "Bìa"
        wb.active.append(["BÁO CÁO HỒ SƠ THÁNG 3/2022"])
        wb.create_sheet("Hồ sơ")
        wb.active = 1
    ws = wb.active
    ws.title = "Hồ sơ"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    if formula:
        ws[formula[0]] = formula[1]
    if hidden:
        other = wb.create_sheet(hidden[0])
        for row in hidden[1]:
            other.append(row)
        other.sheet_state = "hidden"
    wb.save(path)
    return path


HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"]


def test_unit_merged_down_applies_to_every_row_it_covers(tmp_path):
    path = _xlsx(tmp_path / "gop.xlsx", [HEADER, ["G-1", "Quận 3", "01/03/2022"], ["G-2", None, "02/03/2022"],
                                         ["G-3", None, "03/03/2022"], ["G-4", "Sở Tư pháp", "04/03/2022"]],
                 merges=["B2:B4"])
    (r,), errors, con = load(tmp_path, path)
    assert errors == [] and accounted(r) and r["rows_rejected"] == 0
    assert dict(con.execute("SELECT dossier_code, unit_text FROM dossiers").fetchall()) == {
        "G-1": "Quận 3", "G-2": "Quận 3", "G-3": "Quận 3", "G-4": "Sở Tư pháp"}


def test_formula_without_computed_value_refuses_the_file_with_the_way_out(tmp_path):
    path = _xlsx(tmp_path / "cong_thuc.xlsx", [HEADER, ["F-1", "Quận 3", "01/03/2022"], [None, "Quận 3", "02/03/2022"]],
                 formula=("A3", '="F-"&2'))
    _, errors, con = load(tmp_path, path)
    assert len(errors) == 1 and "A3" in errors[0] and "LibreOffice" in errors[0]
    assert con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0] == 0


def test_hidden_sheet_is_not_loaded_and_named(tmp_path):
    path = _xlsx(tmp_path / "an.xlsx", [HEADER, ["V-1", "Quận 3", "01/03/2022"]],
                 hidden=("Nháp", [HEADER, ["H-1", "Quận 3", "01/03/2022"]]), cover=True)
    (r,), errors, con = load(tmp_path, path)
    assert errors == [] and r["hidden_sheets"] == ["Nháp"] and sorted(codes(con)) == ["V-1"]
    assert r["unread_sheets"] == ["Bìa"]
    from etl.summary import format_summary
    summary = format_summary([r], [])
    assert "Không đọc trang ẩn: «Nháp»" in summary and "«Bìa»" in summary


def test_personal_data_under_unusual_headers_is_dropped_and_reported(tmp_path):
    path = tmp_path / "pii.csv"
    path.write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ho ten nguoi nop,SĐT liên hệ,Địa chỉ thường trú,Số CMND/CCCD,"
                    "Người đại diện,Email liên hệ,Ngày sinh (dd/mm/yyyy)\n"
                    "P-1,Quận 3,01/03/2022,Nguyen Van PIIA,0909PII,12 PII Le Loi,079PII,PIIB,a@pii.vn,01/01/1990\n"
                    ",Quận 3,02/03/2022,Tran PIIC,0912PII,,,,,\n", encoding="utf-8")
    (r,), errors, con = load(tmp_path, path)
    assert errors == [] and r["ignored_columns"] == []
    assert r["dropped_columns"] == ["Ho ten nguoi nop", "SĐT liên hệ", "Địa chỉ thường trú", "Số CMND/CCCD",
                                    "Người đại diện", "Email liên hệ", "Ngày sinh (dd/mm/yyyy)"]
    stored = con.execute("""SELECT string_agg(x::VARCHAR, '|') FROM (SELECT r FROM raw_dossier_rows r
                            UNION ALL SELECT r FROM rejected_rows r) t(x)""").fetchall()[0][0]
    assert "P-1" in stored and "PII" not in stored and "1990" not in stored


def test_cli_never_prints_a_traceback_or_english(tmp_path):
    bogus = tmp_path / "bao_cao.xlsx"
    bogus.write_bytes(b"%PDF-1.4 not a workbook")
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(bogus), str(FIXTURES / "units.csv"),
                           "--db", str(tmp_path / "x.duckdb"), "--json"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "Error" not in proc.stderr
    out = json.loads(proc.stdout)
    assert [f["kind"] for f in out["files"]] == ["units"] and "không phải tệp Excel" in out["errors"][0]


def test_a_loader_that_loses_lines_is_caught(tmp_path, monkeypatch):
    """The importer's own check: a kind whose counts do not add up to the lines of the sheet is not loaded."""
    from etl.dossiers import kind as dossier_kind
    real = dossier_kind.KIND.load_sheet

    def losing(con, sheet, result):
        real(con, sheet, result)
        result["rows_loaded"] -= 1
    lossy = dataclasses.replace(dossier_kind.KIND, load_sheet=losing)
    monkeypatch.setattr(importer, "KINDS", (lossy, *kinds.KINDS[1:]))
    path = tmp_path / "a.csv"
    path.write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận\nA-1,Quận 3,01/03/2022\nA-2,Quận 3,02/03/2022\n", encoding="utf-8")
    _, errors, con = load(tmp_path, path)
    assert len(errors) == 1 and "2 dòng dưới dòng tiêu đề nhưng chỉ 1" in errors[0]
    assert con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0] == 0


def test_blank_csv_lines_are_counted_as_skipped(tmp_path):
    path = tmp_path / "trong.csv"
    path.write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận\n\nB-1,Quận 3,01/03/2022\n\n\nB-2,Quận 3,02/03/2022\n",
                    encoding="utf-8")
    (r,), errors, con = load(tmp_path, path)
    assert errors == [] and accounted(r) and (r["rows_total"], r["rows_loaded"], r["rows_skipped"]) == (5, 2, 3)
    assert dict(con.execute("SELECT dossier_code, row_number FROM dossiers").fetchall()) == {"B-1": 3, "B-2": 6}
