"""Old-format .xls (BIFF) exports keep what an xlsx keeps (probe 38): a unit merged down over several dossiers, codes
stored as numbers under a padding format, hidden rows and columns, error cells. The files are written by
tests/fixtures/make_legacy_xls.py, which counts their figures by hand."""
from datetime import date

import duckdb

from indicators import Period, compute_period_table
from tests.conftest import FIXTURES
from tests.files import database_with_units, load_one, query, write_csv

LEGACY = FIXTURES / "legacy"


def test_a_unit_merged_down_over_two_dossiers_belongs_to_both(tmp_path):
    # «Phường 9» merged over G-01 and G-02: read on its first row only, G-02 was rejected for want of a unit
    db = database_with_units(tmp_path)
    result, errors = load_one(db, LEGACY / "13_don_vi_gop.xls")
    assert errors == []
    assert (result["rows_read"], result["rows_loaded"], result["rows_rejected"]) == (6, 6, 0)
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
        ("G-01", "Q3_P09"), ("G-02", "Q3_P09"), ("G-03", "Q3_VTS"), ("G-04", "Q3"), ("G-05", "Q3_VTS"),
        ("G-06", "Q3_P09")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        total = compute_period_table(con, Period(date(2024, 1, 1), date(2024, 1, 31)))["total"]
    finally:
        con.close()
    figures = ("carried_over", "received_new", "received_direct", "resolved", "resolved_early", "resolved_on_time",
               "resolved_late", "returned", "pending", "pending_within", "pending_overdue")
    assert {k: total[k] for k in figures} == {
        "carried_over": 0, "received_new": 6, "received_direct": 6, "resolved": 4, "resolved_early": 2,
        "resolved_on_time": 1, "resolved_late": 1, "returned": 0, "pending": 2, "pending_within": 0,
        "pending_overdue": 2}
    assert total["on_time_rate"] == 0.75


def test_codes_a_number_format_pads_are_read_as_shown_and_a_later_export_updates_them(tmp_path):
    # 124 under «000000» was read «124»: the next export writing «000124» made a second dossier
    db = database_with_units(tmp_path)
    result, errors = load_one(db, LEGACY / "14_ma_so_dinh_dang.xls")
    assert errors == [] and result["snapshot_date"] == "2024-01-31"
    assert query(db, "SELECT dossier_code, procedure_code FROM dossiers ORDER BY 1") == [
        ("000124", "2.000880"), ("000125", "1.001612"), ("240102000001", "1.001612")]
    later = write_csv(tmp_path / "xuat_thang_2.csv", [
        ["Số biên nhận", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
        ["000124", "Phường 9", "03/01/2024", "10/01/2024", "09/01/2024", "Đã trả kết quả"]])
    result, errors = load_one(db, later, as_of=date(2024, 2, 5))
    assert errors == [] and (result["rows_loaded"], result["rows_updated"]) == (0, 1)
    assert query(db, "SELECT dossier_code, CAST(finished_at AS DATE) FROM dossiers ORDER BY 1") == [
        ("000124", date(2024, 1, 9)), ("000125", date(2024, 1, 11)), ("240102000001", date(2024, 1, 8))]


def test_hidden_rows_hidden_columns_and_error_cells_of_a_xls(tmp_path):
    # all three were unseen in a .xls: the hidden internal status column was read (its codes unrecognized), the
    # filtered row was not said, and the due date «#REF!» was read as no due date
    db = database_with_units(tmp_path)
    result, errors = load_one(db, LEGACY / "14_ma_so_dinh_dang.xls")
    assert errors == [] and result["unrecognized_values"] == [] and result["ignored_columns"] == ["Trạng thái"]
    assert (result["rows_read"], result["rows_loaded"], result["rows_rejected"]) == (4, 3, 1)
    [reject] = result["rejects"]
    assert (reject["sheet"], reject["row"]) == ("SoTheoDoi", 7)
    assert "Ô lỗi của Excel ở cột «Ngày hẹn trả»: «#REF!»" in reject["reason"]
    [hidden] = [w for w in result["warnings"] if "bị ẩn" in w]
    assert "1 dòng" in hidden and "dòng 6" in hidden
    [error] = [w for w in result["warnings"] if "ô lỗi của Excel" in w]
    assert "G7 «#REF!»" in error
    assert query(db, "SELECT dossier_code, status_code FROM dossiers ORDER BY 1") == [
        ("000124", 4), ("000125", 10), ("240102000001", 10)]
