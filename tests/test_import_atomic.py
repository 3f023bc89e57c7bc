"""A load is all or nothing per file, mapping files extend the aliases, and units join once they are mapped."""
import tempfile
from pathlib import Path

import duckdb
import pytest

from etl import importer
from etl.core.database import connect
from etl.core.errors import ImportFailure
from etl.dossiers import kind as dossier_kind
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
TABLES = ("dossiers", "raw_dossier_rows", "rejected_rows", "unmatched_units", "import_log", "units")


def snapshot_of(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT md5(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))), "
                               f"count(*) FROM {t} x").fetchall()[0] for t in TABLES}
    finally:
        con.close()


def test_failure_halfway_leaves_database_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "cchc.duckdb"
    importer.import_paths(db, [FIXTURES / "units.csv", EXPORTS / "01_q3_bao_cao_chi_tiet.xlsx"])
    before = snapshot_of(db)

    # Fail after raw rows, rejects and the upsert of dossiers were written, before the import is logged.
    def explode(*_args, **_kwargs):
        raise RuntimeError("mất điện giữa chừng")
    monkeypatch.setattr(dossier_kind, "record_unmatched_units", explode)
    con = connect(db)
    with pytest.raises(ImportFailure):
        importer.import_file(con, EXPORTS / "10_dong_loi.xlsx")
    con.close()
    assert snapshot_of(db) == before


def test_mapping_file_adds_header_aliases(tmp_path):
    export = tmp_path / "nha_cung_cap_moi.csv"
    export.write_text("Số phiếu;Cơ quan tiếp nhận;Thời điểm nhận\nX-1;Sở Tư pháp;05/01/2022 08:00\n", encoding="utf-8")
    db = tmp_path / "cchc.duckdb"
    _, errors = importer.import_paths(db, [export], kind="dossiers")
    assert errors and "Mã hồ sơ" in errors[0]
    mapping = tmp_path / "anh_xa.csv"
    mapping.write_text("field,alias\ndossier_code,Số phiếu\nunit,Cơ quan tiếp nhận\nreceived_at,Thời điểm nhận\n",
                       encoding="utf-8")
    from etl.core.vocab import read_mapping_file
    results, errors = importer.import_paths(db, [export], extra_aliases=read_mapping_file(mapping))
    assert not errors and results[0]["rows_loaded"] == 1


def test_unmatched_unit_joins_once_an_alias_is_added(tmp_path):
    db = tmp_path / "cchc.duckdb"
    importer.import_paths(db, [FIXTURES / "units.csv", EXPORTS / "10_dong_loi.xlsx"])
    con = duckdb.connect(str(db), read_only=True)
    (unknown,) = con.execute("SELECT unit_text FROM unmatched_units").fetchall()[0]
    con.close()
    units = tmp_path / "units.csv"
    text = (FIXTURES / "units.csv").read_text(encoding="utf-8")
    units.write_text(text.rstrip("\n") + f"\nXNEW,Đơn vị mới,ward,Q3,{unknown},,,\n", encoding="utf-8")
    importer.import_paths(db, [units])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM unmatched_units").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM dossiers WHERE unit_code = 'XNEW'").fetchall()[0][0] >= 1
    con.close()


def test_wrong_kind_of_file_is_refused_with_a_clear_message(tmp_path):
    bogus = tmp_path / "anh.xlsx"
    bogus.write_bytes(b"not an excel file at all")
    with pytest.raises(ImportFailure, match="Không đọc được tệp Excel"):
        importer.import_file(connect(tmp_path / "x.duckdb"), bogus)
    pdf = tmp_path / "bao_cao.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportFailure, match="không đọc định dạng «.pdf»"):
        importer.import_file(connect(tmp_path / "y.duckdb"), pdf)


def test_totals_row_count_is_checked_against_detail_rows(tmp_path):
    import openpyxl
    book = openpyxl.load_workbook(EXPORTS / "03_phuong_vts_tong_cong_chu_ky.xlsx")
    sheet = book.active
    assert sheet.cell(14, 1).value == "Tổng cộng" and sheet.cell(14, 2).value == 8  # 8 detail rows, counted by hand
    results, _ = importer.import_paths(tmp_path / "a.duckdb",
                                       [FIXTURES / "units.csv", EXPORTS / "03_phuong_vts_tong_cong_chu_ky.xlsx"])
    assert results[1]["warnings"] == []
    sheet.cell(14, 2).value = 9
    wrong = tmp_path / "tong_sai.xlsx"
    book.save(wrong)
    results, _ = importer.import_paths(tmp_path / "b.duckdb", [FIXTURES / "units.csv", wrong])
    assert results[1]["warnings"] == ["Dòng tổng cộng «Tổng cộng» (trang «Sheet1», dòng 14) ghi 9 hồ sơ nhưng tệp "
                                      "có 8 dòng hồ sơ chi tiết."]


def test_legacy_xls_export_loads(tmp_path):
    """12_he_thong_cu.xls (BIFF, written by make_legacy_xls.py): rows and values counted by hand there."""
    results, errors = importer.import_paths(tmp_path / "c.duckdb", [FIXTURES / "units.csv",
                                                                    FIXTURES / "legacy" / "12_he_thong_cu.xls"])
    assert errors == []
    r = results[1]
    assert (r["rows_read"], r["rows_loaded"], r["rows_rejected"], r["rows_skipped"]) == (4, 3, 1, 1)
    assert [(x["sheet"], x["row"], x["reason_code"]) for x in r["rejects"]] == [("DanhSach", 6, "missing_received_date")]
    assert r["snapshot_date"] == "2022-03-10"
    con = duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True)
    rows = con.execute("SELECT dossier_code, unit_code, procedure_code, strftime(received_at, '%d/%m/%Y %H:%M'), "
                       "status_code FROM dossiers ORDER BY 1").fetchall()
    con.close()
    assert rows == [("Q3-2022-0001", "Q3", "1.001612", "01/03/2022 08:00", 10),
                    ("Q3-2022-0002", "Q3", "000123", "02/03/2022 09:30", 4),
                    ("Q3-2022-0004", "Q3", "1.001612", "03/03/2022 14:00", 10)]


def test_utf16_csv_is_transcoded_and_the_copy_removed(tmp_path):
    export = tmp_path / "xuat_unicode.csv"
    export.write_bytes("Mã hồ sơ;Đơn vị;Ngày tiếp nhận\nA1;Sở Tư pháp;05/01/2022\n".encode("utf-16"))
    before = set(Path(tempfile.gettempdir()).glob("tmp*.csv"))
    results, errors = importer.import_paths(tmp_path / "d.duckdb", [FIXTURES / "units.csv", export])
    assert errors == [] and results[1]["rows_loaded"] == 1
    assert set(Path(tempfile.gettempdir()).glob("tmp*.csv")) == before


def test_a_two_digit_year_is_rejected_and_named_not_read_as_year_22(tmp_path):
    export = tmp_path / "ho_so_nam_hai_so.csv"
    export.write_text("Mã hồ sơ;Đơn vị;Ngày tiếp nhận;Ngày hẹn trả\n"
                      "H1;Sở Tư pháp;03/10/2022 08:00;10/10/2022\n"
                      "H2;Sở Tư pháp;03/10/22;10/10/2022\n", encoding="utf-8")
    results, _ = importer.import_paths(tmp_path / "a.duckdb", [FIXTURES / "units.csv", export])
    file = results[1]
    assert (file["rows_loaded"], file["rows_rejected"]) == (1, 1)
    assert file["rejects"][0]["row"] == 3 and "Ngày tiếp nhận" in file["rejects"][0]["reason"]


def test_refused_file_does_not_announce_aggregates(tmp_path):
    """Every file refused: the errors are all the user reads, no line about computing the dashboard's tables."""
    wrong = tmp_path / "khong_phai_ho_so.csv"
    wrong.write_text("Họ tên;Ghi chú\nNguyễn Văn A;x\n", encoding="utf-8")
    said = []
    results, errors = importer.import_paths(tmp_path / "cchc.duckdb", [wrong], progress=said.append)
    assert not results and errors
    assert not any("bảng tổng hợp" in line for line in said), said
    said.clear()
    importer.import_paths(tmp_path / "cchc.duckdb", [EXPORTS / "01_q3_bao_cao_chi_tiet.xlsx"], progress=said.append)
    assert any("bảng tổng hợp" in line for line in said), said


def test_every_file_refused_leaves_the_served_file_untouched(tmp_path):
    """The working copy of a load whose files were all refused is dropped: the served database is the same file, byte
    for byte (before, the copy replaced it with the aggregate tables' build stamp rewritten, and every dashboard
    process reopened it); a load with one file taken still replaces it."""
    db = tmp_path / "cchc.duckdb"
    importer.import_paths(db, [FIXTURES / "units.csv", EXPORTS / "01_q3_bao_cao_chi_tiet.xlsx"])
    wrong = tmp_path / "khong_phai_ho_so.csv"
    wrong.write_text("Họ tên;Ghi chú\nNguyễn Văn A;x\n", encoding="utf-8")
    before = (db.stat().st_ino, db.read_bytes())
    results, errors = importer.import_paths(db, [wrong, wrong])
    assert results == [] and len(errors) == 2
    assert (db.stat().st_ino, db.read_bytes()) == before
    assert not list(tmp_path.glob("cchc.duckdb.loading-*"))
    results, errors = importer.import_paths(db, [wrong, FIXTURES / "units.csv"])
    assert len(results) == 1 and len(errors) == 1 and db.stat().st_ino != before[0]
