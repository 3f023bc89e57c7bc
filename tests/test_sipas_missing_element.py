"""A unit whose questionnaires answer nothing valid for one element has no SIPAS (the mean of five elements), and the
SIPAS table says why (probe 32: «–» with only the small-sample note). Counted by hand."""
from datetime import date

import duckdb
from openpyxl import load_workbook

from exports.sipas import write_sipas_xlsx
from indicators import Period
from indicators.sipas import compute_sipas
from tests.files import database_with_units, load_one, write_csv


def test_a_unit_without_an_elements_answers_is_told_why_it_has_no_sipas(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã phiếu", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL4", "HL5"],
            ["1", "Quận 3", "2022", "4", "5", "4", "4", "Không có ý kiến"],
            ["2", "Quận 3", "2022", "5", "4", "2", "4", ""],
            ["3", "Sở Tư pháp", "2022", "4", "4", "4", "4", "4"]]
    assert load_one(db, write_csv(tmp_path / "phieu.csv", rows))[1] == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = compute_sipas(con, Period(date(2022, 1, 1), date(2022, 12, 31)), by="unit")
    finally:
        con.close()
    by_unit = {r["key"]: r for r in result["rows"]}
    assert by_unit["Q3"]["sipas"] is None and by_unit["Q3"]["sipas_missing_elements"] == ["5"]
    assert by_unit["STP"]["sipas"] == 1.0 and by_unit["STP"]["sipas_missing_elements"] == []
    path = tmp_path / "sipas.xlsx"
    write_sipas_xlsx(result, path)
    ws = load_workbook(path).worksheets[0]
    notes = {ws.cell(r, 2).value: ws.cell(r, 17).value for r in range(7, ws.max_row + 1)}
    assert notes["Quận 3"].startswith("Yếu tố 5 không có câu trả lời hợp lệ: không tính được chỉ số SIPAS")
    assert "không có câu trả lời hợp lệ" not in (notes["Sở Tư pháp"] or "")

    # the Hài lòng page's list of units not ranked says the same
    from pages._components.sipas_view import peer_groups
    unranked = {r["key"]: r["reason"] for g in peer_groups(result["rows"]) for r in g["unranked"]}
    assert unranked["Q3"].startswith("Yếu tố 5 không có câu trả lời hợp lệ")
