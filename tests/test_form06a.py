"""Biểu số 06a/VPCP/KSTT (`python -m indicators form 06a`): the form read back from the xlsx the command writes —
header texts, merged header rows, numbered columns (1)…(13), level sections with subtotals, the total, the
identities on every row — against figures counted by hand (the §1 golden dossiers of tests/builders.py, and a tree
without a district level) and, on the fixture and sample databases, against the `table` command."""
import json
import subprocess
import sys

import openpyxl
import pytest

from exports.form06a import FIRST_DATA_ROW, HEADER_ROW, write_form06a_xlsx
from indicators.form06a import FORM_COLUMNS, FormIdentityError, check_form
from tests.builders import build_db
from tests.conftest import ROOT

Q1_ARGS = ["--from", "2022-01-01", "--to", "2022-03-31"]


def run(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def form_json(db, *args) -> dict:
    proc = run(db, "form", "06a", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def form_xlsx(db, path, *args):
    proc = run(db, "form", "06a", *args, "--format", "xlsx", "--out", str(path))
    assert proc.returncode == 0, proc.stderr
    return openpyxl.load_workbook(path).active


def _cols(*values):
    return dict(zip(FORM_COLUMNS, values))


# The golden dossiers D01–D17 (tests/builders.py), Q1 2022, in the form's columns, counted by hand from the
# dossiers' comments: (3) to handle, (4) online, (5) direct + postal, (6) carried over, (7) resolved + returned,
# (8) early, (9) on time + returned, (10) late, (11) pending, (12) within, (13) overdue.
#                        3  4  5  6  7  8  9 10 11 12 13
GOLDEN_ROWS = {
    "SKHDT":   _cols(4, 2, 1, 1, 2, 1, 1, 0, 2, 2, 0),   # D03 carried, D01 on time, D02 D16 pending within
    "Q1":      _cols(2, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1),   # D17 returned → (9); D10 pending overdue
    "P_Q3_1":  _cols(1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0),   # D11 late
    "P_BN":    _cols(2, 1, 1, 0, 2, 0, 2, 0, 0, 0, 0),   # D04 withdrawn + D05 of its one-stop office BP_BN (a
    #                                                      level without a tier reports in its parent's row)
    "P_DK":    _cols(2, 1, 1, 0, 2, 1, 0, 1, 0, 0, 0),   # D09 early, D08 late (supplemented twice)
    "CA":      _cols(2, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1),   # D15 on time, D14 carried and overdue
}
# Sections in the order of the tiers; rows in each by name ("Phường 1 Quận 3" before "Phường Bến Nghé").
GOLDEN_SECTIONS = [("I", "Cấp tỉnh", ["SKHDT"]), ("II", "Cấp huyện", ["Q1"]),
                   ("III", "Cấp xã", ["P_Q3_1", "P_BN", "P_DK"]), ("IV", "Cơ quan ngành dọc", ["CA"])]
GOLDEN_TOTAL = _cols(13, 5, 6, 2, 9, 2, 5, 2, 4, 2, 2)   # 11 received + 2 carried; 6 resolved + 3 returned


@pytest.fixture(scope="module")
def golden_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("form06a") / "golden.duckdb"
    build_db(path).close()
    return path


@pytest.fixture(scope="module")
def golden_sheet(golden_path, tmp_path_factory):
    return form_xlsx(golden_path, tmp_path_factory.mktemp("form06a_x") / "bieu.xlsx", *Q1_ARGS,
                     "--reporting-unit", "Văn phòng UBND Thành phố", "--receiving-unit", "Văn phòng Chính phủ")


def _numbers(ws, row: int) -> dict:
    return {c: ws.cell(row=row, column=j).value for j, c in enumerate(FORM_COLUMNS, start=3)}


def _assert_identities(values: dict, where: str) -> None:
    c = values
    assert c["c3"] == c["c4"] + c["c5"] + c["c6"] == c["c7"] + c["c11"], where
    assert c["c7"] == c["c8"] + c["c9"] + c["c10"], where
    assert c["c11"] == c["c12"] + c["c13"], where


def _data_rows(ws) -> list[int]:
    """Rows from the first data row to the total ("Tổng cộng"), inclusive."""
    rows = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        rows.append(r)
        if ws.cell(row=r, column=2).value == "Tổng cộng":
            return rows
    raise AssertionError("no Tổng cộng row")


def test_golden_form_json_has_the_hand_counted_sections_rows_and_total(golden_path):
    form = form_json(golden_path, *Q1_ARGS)
    assert set(form) >= {"form", "from", "to", "rows", "total"} and form["form"] == "06a"
    assert (form["from"], form["to"]) == ("2022-01-01", "2022-03-31")
    assert [(s["number"], s["name"]) for s in form["sections"]] == [(n, name) for n, name, _ in GOLDEN_SECTIONS]
    for number, name, codes in GOLDEN_SECTIONS:
        rows = [r for r in form["rows"] if r["section"] == name]
        assert [r["key"] for r in rows] == codes
        for r in rows:
            assert {c: r[c] for c in FORM_COLUMNS} == GOLDEN_ROWS[r["key"]], r["key"]
        section = next(s for s in form["sections"] if s["number"] == number)
        assert section["subtotal"] == {c: sum(GOLDEN_ROWS[k][c] for k in codes) for c in FORM_COLUMNS}
    assert form["total"] == GOLDEN_TOTAL
    assert any("cơ quan ngành dọc" in n for n in form["notes"])   # where the vertical agencies went, said


def test_a_districts_form_is_reported_by_its_peoples_committee():
    """«Đơn vị báo cáo: Quận Hải Châu», the catalogue's name alone (probe 53): a local government reports as its UBND;
    a department, or a name saying so already, as written."""
    from exports.form06a import form_units
    assert form_units({"unit": "Q3", "unit_name": "Quận 3"})[0] == "UBND Quận 3"
    assert form_units({"unit": "Q3_P09", "unit_name": "Phường 9"})[0] == "UBND Phường 9"
    assert form_units({"unit": "STP", "unit_name": "Sở Tư pháp"})[0] == "Sở Tư pháp"
    assert form_units({"unit": "Q3", "unit_name": "UBND Quận 3"})[0] == "UBND Quận 3"


def test_golden_form_xlsx_reads_back_as_the_statutory_form(golden_sheet):
    ws = golden_sheet
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert ws["J1"].value == "Biểu số 06a/VPCP/KSTT"
    assert ws["J2"].value == "Đơn vị báo cáo: Văn phòng UBND Thành phố"
    assert ws["J3"].value == "Đơn vị nhận báo cáo: Văn phòng Chính phủ"
    assert ws["A5"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert ws["A6"].value == "Kỳ báo cáo: Quý I/2022 (từ ngày 01/01/2022 đến ngày 31/03/2022)"
    assert "Đơn vị tính: Số hồ sơ TTHC" in texts
    # The merged header rows as the form has them, and the numbered row under them.
    merged = {str(r) for r in ws.merged_cells.ranges}
    h1, h2, h3 = HEADER_ROW, HEADER_ROW + 1, HEADER_ROW + 2
    assert {f"A{h1}:A{h3}", f"B{h1}:B{h3}", f"C{h1}:F{h1}", f"G{h1}:J{h1}", f"K{h1}:M{h1}", f"C{h2}:C{h3}",
            f"G{h2}:G{h3}", f"K{h2}:K{h3}"} <= merged
    assert (ws[f"A{h1}"].value, ws[f"C{h1}"].value, ws[f"G{h1}"].value, ws[f"K{h1}"].value) == (
        "TT", "Tiếp nhận", "Số lượng hồ sơ đã giải quyết", "Số lượng hồ sơ đang giải quyết")
    assert [ws.cell(row=h3, column=c).value for c in (4, 5, 6, 8, 10, 13)] == [
        "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Trước hạn", "Quá hạn", "Quá hạn"]
    assert ws.cell(row=h3, column=9).value.startswith("Đúng hạn (bao gồm cả hồ sơ chờ bổ sung và trả lại/xin rút)")
    assert [ws.cell(row=h3 + 1, column=c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]
    # Sections (Roman numeral, subtotal in bold), their units, the total: the hand counts, cell by cell.
    rows = _data_rows(ws)
    expected = []
    for number, name, codes in GOLDEN_SECTIONS:
        expected.append((number, name, {c: sum(GOLDEN_ROWS[k][c] for k in codes) for c in FORM_COLUMNS}))
        expected += [(i, None, GOLDEN_ROWS[k]) for i, k in enumerate(codes, start=1)]
    expected.append((None, "Tổng cộng", GOLDEN_TOTAL))
    assert len(rows) == len(expected)
    for r, (label, name, values) in zip(rows, expected):
        assert ws.cell(row=r, column=1).value == label, r
        if name:
            assert ws.cell(row=r, column=2).value == name and ws.cell(row=r, column=3).font.b, r
        assert _numbers(ws, r) == values, r
        assert ws.cell(row=r, column=3).number_format == "#,##0"
        _assert_identities(_numbers(ws, r), f"row {r}")
    # The signature block closes it.
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"} <= set(texts)
    assert any(t.startswith("Thành phố Hồ Chí Minh, ngày") for t in texts)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9


def test_a_tree_without_district_level_numbers_its_sections_from_the_levels_of_the_period(tmp_path):
    # After 1 July 2025 wards report to the province directly: no "Cấp huyện" section, Cấp xã becomes II.
    units = [("TP", "Thành phố Mới", "province", None), ("S1", "Sở Nội vụ", "department", "TP"),
             ("W1", "Phường An Khánh", "ward", "TP"), ("W2", "Phường Bến Thành", "ward", "TP")]
    dossiers = [  # code, unit, channel, received, due, finished, returned_at, status, result, supplements
        # N1 W1 online, finished before due → early
        ("N1", "W1", "online", "2025-08-04 08:00", "2025-08-08 17:00", "2025-08-06 10:00", None, 10, "result", 0),
        # N2 W1 direct, withdrawn → returned, in (9)
        ("N2", "W1", "direct", "2025-08-05 08:00", "2025-08-12 17:00", "2025-08-06 09:00", None, 7, None, 0),
        # N3 W2 postal, open, due 15/8 < 31/8 → pending overdue
        ("N3", "W2", "postal", "2025-08-11 08:00", "2025-08-15 17:00", None, None, 4, None, 0),
        # N4 S1 direct, received in July (carried over), finished 5/8 after due 1/8 → late
        ("N4", "S1", "direct", "2025-07-28 08:00", "2025-08-01 17:00", "2025-08-05 10:00", None, 10, "result", 0),
    ]
    db = tmp_path / "no_district.duckdb"
    build_db(db, units, dossiers).close()
    args = ["--from", "2025-08-01", "--to", "2025-08-31"]
    form = form_json(db, *args)
    assert [(s["number"], s["name"]) for s in form["sections"]] == [("I", "Cấp tỉnh"), ("II", "Cấp xã")]
    rows = {r["key"]: {c: r[c] for c in FORM_COLUMNS} for r in form["rows"]}
    #                              3  4  5  6  7  8  9 10 11 12 13
    assert rows == {"S1": _cols(1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0),    # N4
                    "W1": _cols(2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 0),    # N1 early, N2 returned
                    "W2": _cols(1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1)}    # N3 overdue
    assert form["total"] == _cols(4, 1, 2, 1, 3, 1, 1, 1, 1, 0, 1)
    ws = form_xlsx(db, tmp_path / "b.xlsx", *args)
    labels = [ws.cell(row=r, column=2).value for r in _data_rows(ws)]
    assert labels == ["Cấp tỉnh", "Sở Nội vụ", "Cấp xã", "Phường An Khánh", "Phường Bến Thành", "Tổng cộng"]
    assert "Cấp huyện" not in labels


@pytest.mark.parametrize("by", ["level", "field"])
def test_fixture_database_form_holds_its_identities_and_the_table_commands_total(fixture_db, tmp_path, by):
    args = ["--from", "2022-01-01", "--to", "2022-12-31", "--by", by]
    ws = form_xlsx(fixture_db, tmp_path / "f.xlsx", *args)
    proc = run(fixture_db, "table", "--from", "2022-01-01", "--to", "2022-12-31", "--by", "unit", "--format", "json")
    table = json.loads(proc.stdout)
    t = table["total"]
    rows = _data_rows(ws)
    for r in rows:
        _assert_identities(_numbers(ws, r), f"row {r}")
    total = _numbers(ws, rows[-1])
    assert total == {"c3": t["total_to_handle"], "c4": t["received_online"],
                     "c5": t["received_direct"] + t["received_postal"], "c6": t["carried_over"],
                     "c7": t["resolved"] + t["returned"], "c8": t["resolved_early"],
                     "c9": t["resolved_on_time"] + t["returned"], "c10": t["resolved_late"], "c11": t["pending"],
                     "c12": t["pending_within"], "c13": t["pending_overdue"]}
    # Every unit or sector row is there once: the rows (not the section rows) add up to the total.
    body = [r for r in rows[:-1] if isinstance(ws.cell(row=r, column=1).value, int)]
    assert {c: sum(_numbers(ws, r)[c] for r in body) for c in FORM_COLUMNS} == total
    if by == "level":
        # The fixture's unmatched unit name has a section of its own, named, rather than disappearing.
        assert "Hồ sơ của đơn vị chưa khớp danh mục" in [ws.cell(row=r, column=2).value for r in rows]


def test_sample_form_by_level_equals_the_table_command_per_unit(demo_db):
    form = form_json(demo_db, "--period", "2022-Q2")
    proc = run(demo_db, "table", "--period", "2022-Q2", "--by", "unit", "--format", "json")
    by_unit = {r["key"]: r for r in json.loads(proc.stdout)["rows"]}
    assert {r["key"] for r in form["rows"]} == set(by_unit)   # the sample: every unit has a tier
    for r in form["rows"]:
        u = by_unit[r["key"]]
        assert (r["c3"], r["c7"], r["c9"]) == (u["total_to_handle"], u["resolved"] + u["returned"],
                                               u["resolved_on_time"] + u["returned"])
    assert [s["name"] for s in form["sections"]] == ["Cấp tỉnh", "Cấp huyện", "Cấp xã", "Cơ quan ngành dọc"]


def test_a_row_that_breaks_an_identity_is_refused_by_name_and_nothing_is_written(tmp_path):
    good = _cols(3, 1, 1, 1, 2, 1, 1, 0, 1, 1, 0)
    bad = {**good, "c9": 2}   # (7) = 2 but (8)+(9)+(10) = 3
    form = {"form": "06a", "from": "2022-01-01", "to": "2022-03-31", "by": "field", "unit": None, "unit_name": None,
            "sections": [], "rows": [{"section": None, "tt": 1, "key": "Hộ tịch", "name": "Hộ tịch", **bad}],
            "total": bad, "returned": 0, "notes": []}
    with pytest.raises(FormIdentityError, match=r"dòng «Hộ tịch».*\(7\) = 2 khác \(8\)\+\(9\)\+\(10\) = 3"):
        check_form(form)
    out = tmp_path / "sai.xlsx"
    with pytest.raises(FormIdentityError):
        write_form06a_xlsx(form, out)
    assert not out.exists()
    form["rows"][0].update(good)
    form["total"] = {c: 2 * v for c, v in good.items()}   # rows and total right, the total not their sum
    with pytest.raises(FormIdentityError, match="cộng các dòng không bằng dòng Tổng cộng"):
        check_form(form)
