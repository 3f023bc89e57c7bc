"""Forty-fifth loader probe: dossier exports of other vendors' one-stop systems. Expected values are counted by hand
from the lines below; each test failed on the code before its fix."""
from openpyxl import Workbook

from tests.files import database_with_units, load_one, month_total, query, write_csv


def _xlsx(path, rows: list[list], merged=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "Hồ sơ"
    for row in rows:
        ws.append(row)
    for cells in merged:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def _figures(total: dict) -> tuple:
    return tuple(total[k] for k in ("carried_over", "received_new", "resolved", "resolved_early", "resolved_on_time",
                                    "resolved_late", "returned", "pending_within", "pending_overdue"))


def test_status_headers_vendors_write_and_the_receipt_under_a_time_group(tmp_path):
    """«Tình trạng xử lý» (unaccented «Tinh trang xu ly» too) under «Thời gian» over «Nhận | Hẹn trả | Hoàn thành»:
    before, the file was refused for want of «Ngày tiếp nhận», and once mapped, the status column was left unused —
    a refused dossier counted as received, a returned one as resolved. By hand, January 2023: K1 resolved early
    (05/01 < due 06/01); K2 refused at reception (not counted); K3 returned 09/01; K4 pending, overdue (due 10/01).
    Received 3, resolved 1 (1 early), returned 1, pending 1 overdue."""
    db = database_with_units(tmp_path)
    path = _xlsx(tmp_path / "igate.xlsx", [
        ["Số hồ sơ", "Cơ quan thực hiện", "Thời gian", None, None, "Tinh trang xu ly"],
        [None, None, "Nhận", "Hẹn trả", "Hoàn thành", None],
        ["K1", "UBND Quận 3", "03/01/2023 08:00", "06/01/2023", "05/01/2023", "Đã trả kết quả"],
        ["K2", "UBND Quận 3", "04/01/2023 08:00", None, None, "Từ chối tiếp nhận"],
        ["K3", "UBND Quận 3", "05/01/2023 08:00", "12/01/2023", "09/01/2023", "Trả lại hồ sơ"],
        ["K4", "UBND Quận 3", "06/01/2023 08:00", "10/01/2023", None, "Đang xử lý"],
    ], merged=["C1:E1", "A1:A2", "B1:B2", "F1:F2"])
    result, errors = load_one(db, path)
    assert errors == [] and result["rows_loaded"] == 4
    assert _figures(month_total(db, 2023, 1)) == (0, 3, 1, 1, 0, 0, 1, 0, 1)


def test_a_finished_status_with_its_lateness_in_brackets(tmp_path):
    """«Đã hoàn thành (trễ hạn)» was no status the tool knew: the dossier, handed over 13/01 after its due date
    11/01, stayed pending. By hand: resolved 1, late."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "vnpt.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả", "Trạng thái"],
        ["V2", "UBND Quận 3", "04/01/2023 09:00", "11/01/2023 17:00", "13/01/2023 15:00", "Đã hoàn thành (trễ hạn)"]]))
    assert errors == [] and result["rows_loaded"] == 1
    assert _figures(month_total(db, 2023, 1)) == (0, 1, 1, 0, 0, 1, 0, 0, 0)


def _report(tmp_path, name: str, title: str, lines: list) -> object:
    return _xlsx(tmp_path / name, [["UBND PHƯỜNG 9"], [title], [],
                                            ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
                                             "Trạng thái"], *lines])


def test_a_report_printed_after_its_period_holds_later_results(tmp_path):
    """December's report («đến ngày 31/12/2022») printed in January lists P-2's result of 18/01/2023; an export «đến
    ngày 15/01/2023» shows it still in progress. Before, the December report's snapshot was 31/12: the mid-January
    file, loaded after it or before, left P-2 pending (overdue) in January. By hand, January 2023: carried over P-2;
    P-4 received 10/01, pending, due 17/01; P-2 resolved late 18/01 (due 09/01). Carried over 1, received 1,
    resolved 1 late, pending 1 overdue."""
    december = _report(tmp_path, "thang12.xlsx", "Từ ngày 01/12/2022 đến ngày 31/12/2022", [
        ["P-2", "UBND Phường 9", "26/12/2022 08:00", "09/01/2023 17:00", "18/01/2023 10:00", "Hoàn thành trễ hạn"]])
    mid_january = _report(tmp_path, "giua_thang1.xlsx", "Từ ngày 01/01/2023 đến ngày 15/01/2023", [
        ["P-2", "UBND Phường 9", "26/12/2022 08:00", "09/01/2023 17:00", None, "Đang xử lý"],
        ["P-4", "UBND Phường 9", "10/01/2023 08:00", "17/01/2023 17:00", None, "Đang xử lý"]])
    for order in ((december, mid_january), (mid_january, december)):
        db = database_with_units(tmp_path / order[0].stem)
        results = [load_one(db, path) for path in order]
        assert all(errors == [] for _, errors in results)
        assert query(db, "SELECT CAST(finished_at AS DATE)::VARCHAR, snapshot_date::VARCHAR FROM dossiers "
                         "WHERE dossier_code = 'P-2'") == [("2023-01-18", "2023-01-18")]
        assert _figures(month_total(db, 2023, 1)) == (1, 1, 1, 0, 0, 1, 0, 0, 1)
        said = [w for r, _ in results for w in r["warnings"] if "Dòng tiêu đề ghi số liệu đến ngày 31/12/2022" in w]
        assert len(said) == 1 and "dòng 5" in said[0] and "18/01/2023" in said[0]


def test_two_wards_sheets_numbering_receipts_alike_are_told_apart(tmp_path):
    """A sheet per ward, each named by its title, both using receipt «BN-0003»: the second is set aside (a dossier
    is one code of one system) and the reason now says the line kept is another ward's, and what to do. Before, it
    read as the same dossier listed twice."""
    db = database_with_units(tmp_path)
    wb = Workbook()
    wb.remove(wb.active)
    for ward, received in (("Phường 9", "05/01/2023"), ("Phường Võ Thị Sáu", "09/01/2023")):
        ws = wb.create_sheet(ward)
        for row in (["SỔ THEO DÕI HỒ SƠ THÁNG 01/2023"], [f"Đơn vị: UBND {ward}"],
                    ["Số biên nhận", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"],
                    ["BN-0003", received, "12/01/2023", "11/01/2023"]):
            ws.append(row)
    wb.save(tmp_path / "so_theo_doi.xlsx")
    result, errors = load_one(db, tmp_path / "so_theo_doi.xlsx")
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 1)
    reason = result["rejects"][0]["reason"]
    assert "Dòng đó thuộc đơn vị khác («UBND Phường 9»)" in reason and "--source" in reason


def test_a_sheet_per_ward_named_by_its_ward(tmp_path):
    """No unit column and no title, each sheet named by its ward («P.9», «P. Võ Thị Sáu»): before, refused with the
    advice of --unit, which loaded both sheets for one ward. A sheet named by no unit of the list is still refused."""
    def workbook(name, sheets):
        wb = Workbook()
        wb.remove(wb.active)
        for sheet, code in sheets:
            ws = wb.create_sheet(sheet)
            ws.append(["STT", "Số biên nhận", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả"])
            ws.append([1, code, "03/01/2023", "06/01/2023", "05/01/2023"])
        wb.save(tmp_path / name)
        return tmp_path / name
    db = database_with_units(tmp_path)
    result, errors = load_one(db, workbook("so.xlsx", [("P.9", "A-1"), ("P. Võ Thị Sáu", "B-1")]))
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [("A-1", "Q3_P09"), ("B-1", "Q3_VTS")]
    assert any("theo tên trang" in w for w in result["warnings"])
    result, errors = load_one(db, workbook("sheet1.xlsx", [("Sheet1", "C-1")]))
    assert result is None and len(errors) == 1 and "đặt tên trang là tên đơn vị" in errors[0]
