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


def test_questionnaires_of_a_unit_outside_its_validity_are_said(tmp_path):
    """Phường 6 (Q3_P06) ended on 31/12/2020 (tests/fixtures/units.csv): its 2022 questionnaires load as written and
    are said, as the dossier loader says of dossiers (probe 32: nothing said)."""
    db = database_with_units(tmp_path)
    rows = [["Mã phiếu", "Đơn vị", "Ngày khảo sát", "HL1", "HL2", "HL3", "HL4", "HL5"],
            ["1", "Q3_P06", "05/03/2022", "4", "4", "4", "4", "4"],
            ["2", "Quận 3", "05/03/2022", "4", "4", "4", "4", "4"],
            ["3", "Q3_P06", "12/12/2020", "4", "4", "4", "4", "4"]]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", rows))
    assert errors == [] and result["rows_loaded"] == 3
    said = [w for w in result["warnings"] if "hiệu lực" in w]
    assert len(said) == 1 and said[0].startswith("1 phiếu khảo sát của đơn vị không còn") and "dòng 2)" in said[0]
