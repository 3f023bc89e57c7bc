"""Seventeenth loader probe: procedure catalogues as the national portal and provinces write their time limits
(«Trong vòng 05 ngày làm việc», one time per channel, several cases in one cell) with both «Cấp thực hiện» and «Cơ quan
thực hiện», unit lists numbered inside the name cell or by indentation, plan targets naming what they count, and a
KoBoToolbox export writing a multiple choice twice. Expected values are counted by hand (working days: Monday–Friday,
2022's holidays)."""
import json
import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx


@pytest.mark.parametrize("written, days", [
    ("Trong vòng 05 ngày làm việc", 5),
    ("Trong thời gian 03 ngày làm việc", 3),
    ("Chậm nhất 05 ngày làm việc", 5),
    ("Thời hạn: 05 ngày làm việc", 5),
    ("Trực tiếp: 07 ngày làm việc; Trực tuyến: 07 ngày làm việc; Dịch vụ bưu chính: 07 ngày làm việc", 7),
    ("05 ngày làm việc (trường hợp phải xác minh thì không quá 10 ngày làm việc)", 5),   # a note, no second time
    # several cases, each its own time: which one a dossier takes the catalogue does not say
    ("10 ngày làm việc đối với trường hợp cấp mới; 05 ngày làm việc đối với trường hợp cấp lại", None),
    ("- Trường hợp cấp mới: 10 ngày\n- Trường hợp cấp lại: 05 ngày", None),
    ("1,5", None),     # not a whole number of days: before, cut down to 1 without a word
    ("5.0", 5),
    # an extension the unit may grant is no second limit (tests/test_time_limit_extension.py: before, «3 ngày, 10
    # ngày» said and the limit left empty); an extension alone gives no limit, said
    ("10 ngày làm việc; trường hợp phức tạp được kéo dài thêm không quá 03 ngày làm việc", 10),
    ("15 ngày, gia hạn thời gian giải quyết thêm 10 ngày đối với trường hợp phải xác minh", 15),
    ("Không quá 05 ngày làm việc, có thể kéo dài thêm tối đa 02 ngày", 5),
    ("10 ngày; trường hợp cần xác minh thì gia hạn không quá 05 ngày", 10),
    ("Gia hạn thêm 05 ngày làm việc", None),
    # «kéo dài … không quá 15 ngày» without «thêm» may be the whole time of those cases: two limits, as before
    ("10 ngày; trường hợp phải kéo dài thời gian giải quyết thì không quá 15 ngày", None),
    ("07 ngày (trực tiếp); 05 ngày (trực tuyến); kéo dài thêm 03 ngày", None),
])
def test_time_limits_as_catalogues_write_them(tmp_path, written, days):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [["Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết"],
                                                                    ["1.000101", "Thủ tục A", written]]))
    assert errors == [] and result["rows_loaded"] == 1
    assert query(db, "SELECT statutory_days FROM procedures") == [(days,)]
    said = [w for w in result["warnings"] if "thời hạn giải quyết" in w]
    assert bool(said) == (days is None), result["warnings"]
    if days is None:
        assert "\n" not in said[0]    # a cell of several lines is quoted on one


def test_a_time_per_channel_gives_the_dossier_its_due_date(tmp_path):
    db = database_with_units(tmp_path)
    catalogue = write_xlsx(tmp_path / "tthc.xlsx", [
        ["Mã thủ tục", "Tên thủ tục", "Thời gian giải quyết", "Cấp thực hiện", "Cơ quan thực hiện"],
        ["1.000111", "Thủ tục kênh", "Trực tiếp: 07 ngày làm việc; Trực tuyến: 07 ngày làm việc", "Cấp Tỉnh", "Sở Tư pháp"],
        ["1.000112", "Thủ tục B", "Trong vòng 05 ngày làm việc", "Cấp Tỉnh", "Sở Kế hoạch và Đầu tư"]])
    assert load_one(db, catalogue)[1] == []
    # «Thời gian giải quyết» is the time limit; «Cơ quan thực hiện» the unit, not the level (Cấp Tỉnh: the city)
    assert query(db, "SELECT procedure_code, statutory_days FROM procedures ORDER BY 1") == [("1.000111", 7),
                                                                                            ("1.000112", 5)]
    assert query(db, "SELECT procedure_code, unit_code FROM procedure_units ORDER BY 1") == [("1.000111", "STP"),
                                                                                            ("1.000112", "SKHDT")]
    export = write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày có kết quả"],
                                             ["H08", "Sở Tư pháp", "1.000111", "01/03/2022", "14/03/2022"]])
    load_one(db, export)
    # Tue 01/03 + 7 working days: 02, 03, 04, 07, 08, 09, 10 → due Thu 10/03; finished 14/03: late
    assert query(db, "SELECT CAST(due_at AS DATE), is_due_derived FROM dossiers") == [(date(2022, 3, 10), True)]


def test_the_missing_due_date_warning_names_the_procedures_without_a_time(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "tthc.csv", [["Mã thủ tục", "Thời hạn giải quyết"],
                                                          ["1.000102", "Trong ngày"], ["1.000103", "3"]]))[1] == []
    result, _ = load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận"],
                                                             ["A", "Sở Tư pháp", "1.000102", "01/03/2022"],
                                                             ["B", "Sở Tư pháp", "1.000103", "01/03/2022"]]))
    said = [w for w in result["warnings"] if "không có ngày hẹn trả" in w]
    assert len(said) == 1 and said[0].endswith("để tính hạn): 1.000102."), said


def test_numbering_typed_in_the_name_cell_is_no_part_of_the_name(tmp_path):
    db = tmp_path / "t.duckdb"
    units = write_csv(tmp_path / "dv.csv", [["Mã", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"],
                                            ["760", "1. UBND Quận 1", "Quận", ""],
                                            ["26734", "1.1. Phường Bến Nghé", "Phường", "760"],
                                            ["26740", "1.2 Phường Bến Thành", "Phường", "760"],
                                            ["27655", "a) Thị trấn Cần Thạnh", "Thị trấn", "760"],
                                            ["Q7", "Quận 7", "Quận", ""]])
    result, errors = load_one(db, units)
    assert errors == []
    assert query(db, "SELECT unit_code, unit_name FROM units ORDER BY 1") == [
        ("26734", "Phường Bến Nghé"), ("26740", "Phường Bến Thành"), ("27655", "Thị trấn Cần Thạnh"),
        ("760", "UBND Quận 1"), ("Q7", "Quận 7")]   # a name that is a number stays whole
    assert not [w for w in result["warnings"] if "không có đơn vị cấp trên" in w]


def test_wards_without_their_district_in_a_list_with_districts_are_said(tmp_path):
    db = tmp_path / "t.duckdb"
    # the hierarchy shown by numbering only: 1 / 1.1 / 1.2
    units = write_xlsx(tmp_path / "dv.xlsx", [["STT", "Mã", "Tên đơn vị", "Cấp"],
                                              ["1", "760", "Quận 1", "Quận"],
                                              ["1.1", "26734", "Phường Bến Nghé", "Phường"],
                                              ["1.2", "26740", "Phường Bến Thành", "Phường"]])
    result, errors = load_one(db, units)
    assert errors == []
    said = [w for w in result["warnings"] if "không có đơn vị cấp trên" in w]
    assert len(said) == 1 and said[0].startswith("2 phường, xã, thị trấn không có đơn vị cấp trên (26734, 26740)")


@pytest.mark.parametrize("value, comparator, target", [
    ("Tối thiểu 95% hồ sơ", ">=", 0.95), ("≥ 50 % hồ sơ", ">=", 0.5), ("100% TTHC", ">=", 1.0),
    ("80% hồ sơ trở lên", ">=", 0.8), ("=> 86%", ">=", 0.86),
])
def test_targets_naming_what_they_count(tmp_path, value, comparator, target):
    # before: «… hồ sơ», «… TTHC» refused the whole file («không rõ phép so sánh»), «=> 86%» was stored as «=»
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "chi_tieu.csv", [["Năm", "Chỉ tiêu", "Giá trị"],
                                                                        ["2022", "on_time_rate", value]]))
    assert errors == []
    assert query(db, "SELECT comparator, target_value FROM targets") == [(comparator, pytest.approx(target))]


def _kobo_rows(with_combined: bool) -> list[list]:
    """KoBoToolbox's default CSV: internal names, ratings as codes or choice names, the expectation question as one
    cell of the choices made ('md1 md6') and a 0/1 column per choice."""
    head = (["start", "today", "group_ttc/don_vi", "group_yt1/tc1_1", "group_yt3/tc3_1"]
            + [f"group_hl/hl{k}" for k in range(1, 6)] + ["group_md/md"] + [f"group_md/md/md{k}" for k in range(1, 8)]
            + ["_id", "_submission_time"])
    data = [("q3", ["5", "4"], ["5", "4", "4", "5", "4"], "md1 md6", 11),
            ("q3", ["4", "3"], ["rat_hai_long", "hai_long", "binh_thuong", "hai_long", "khong_hai_long"], "md6", 12),
            ("stp", ["3", "2"], ["2", "3", "3", "4", "3"], "", 13)]
    rows = [head]
    for i, (unit, criteria, hl, md, rid) in enumerate(data):
        rows.append([f"2022-06-0{i + 1}T08:00:00.000+07:00", f"2022-06-0{i + 1}", unit, *criteria, *hl, md]
                    + ["1" if f"md{k}" in md.split() else "0" for k in range(1, 8)] + [rid, f"2022-06-0{i + 1}T01:10:00"])
    if not with_combined:
        at = head.index("group_md/md")
        rows = [r[:at] + r[at + 1:] for r in rows]
    return rows


@pytest.mark.parametrize("with_combined", [True, False])
def test_a_kobo_export_writing_a_multiple_choice_twice_loads_every_questionnaire(tmp_path, with_combined):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "kobo.csv", _kobo_rows(with_combined), delimiter=";"))
    # before, with the combined column: the two questionnaires that chose a wish were rejected
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 0), result["rejects"]
    proc = subprocess.run([sys.executable, "-m", "indicators", "sipas", "--db", str(db), "--period", "2022",
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    total = json.loads(proc.stdout)["total"]
    # satisfied (4, 5) of the five HL answers: Q3 5/5 and 3/5 (binh_thuong, khong_hai_long are not), STP 1/5 → 9/15
    assert total["sipas"] == pytest.approx(9 / 15)
    # MD1 chosen once, MD6 twice, of three questionnaires
    assert (total["expectations"]["MD1"]["chosen"], total["expectations"]["MD6"]["chosen"]) == (1, 2)
    assert total["expectations"]["MD6"]["valid"] == 3


def test_a_catalogue_column_no_field_reads_is_named_in_the_summary(tmp_path):
    from etl.summary import format_summary
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [["STT", "Mã thủ tục", "Tên thủ tục", "Thời gian xử lý"],
                                                                    ["1", "1.0001", "Thủ tục A", "5"]]))
    assert errors == []
    # before: only in --json's ignored_columns; the printed summary said «Đã nạp 1 dòng.» and nothing of the column
    assert "   Cột không đọc (không phải cột nào của loại tệp này): Thời gian xử lý." in format_summary([result], [])


def test_the_warning_names_procedures_beside_dossiers_naming_none(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận"],
                                                                  ["A", "Sở Tư pháp", "1.000102", "01/03/2022"],
                                                                  ["B", "Sở Tư pháp", "", "01/03/2022"]]))
    # a dossier without a procedure beside one whose procedure has no time (a first version failed the whole file)
    assert errors == [] and result["rows_loaded"] == 2
    said = [w for w in result["warnings"] if "không có ngày hẹn trả" in w]
    assert said and "1 hồ sơ không ghi thủ tục" in said[0] and said[0].endswith("để tính hạn): 1.000102."), said


def test_a_province_level_unit_under_the_city_is_said(tmp_path):
    db = tmp_path / "t.duckdb"
    units = write_csv(tmp_path / "dv.csv", [["Mã", "Tên đơn vị", "Cấp", "Đơn vị cấp trên"],
                                            ["79", "Thành phố Hồ Chí Minh", "Tỉnh/Thành phố", ""],
                                            ["769", "Thành phố Thủ Đức", "Thành phố", "79"],
                                            ["SNV", "Sở Nội vụ", "Cấp tỉnh", "79"],
                                            ["STP", "Sở Tư pháp", "Sở", "79"]])
    result, errors = load_one(db, units)
    assert errors == []
    said = [w for w in result["warnings"] if "trực thuộc một tỉnh" in w]
    assert len(said) == 1 and said[0].startswith("1 đơn vị được đọc là cấp tỉnh nhưng trực thuộc một tỉnh, thành phố "
                                                 "(769)"), result["warnings"]
    # a «Sở …» is a department whatever its level cell says (probe 34), and said
    assert query(db, "SELECT level FROM units WHERE unit_code = 'SNV'") == [("department",)]
    assert any(w.startswith("1 sở ghi cấp «tỉnh»") and w.endswith(": SNV.") for w in result["warnings"])


def test_microsoft_forms_respondent_name_column_is_dropped_as_personal_data(tmp_path):
    db = database_with_units(tmp_path)
    head = ["ID", "Thời gian bắt đầu", "Thời gian hoàn thành", "Email", "Tên", "Ông/Bà đến giao dịch tại đơn vị nào?",
            "HL1. Mức độ hài lòng về yếu tố 1"]
    path = write_xlsx(tmp_path / "forms.xlsx", [head, [1, "06/06/2022 08:00", "06/06/2022 08:07", "anonymous",
                                                       "Nguyễn Văn An", "Quận 3", "Hài lòng"]])
    result, errors = load_one(db, path)
    assert errors == [] and result["rows_loaded"] == 1
    # before: «Tên» (Microsoft Forms in Vietnamese) was a column «không đọc», not personal data dropped
    assert set(result["dropped_columns"]) == {"Email", "Tên"}
    with open(db, "rb") as handle:
        assert "Nguyễn Văn An".encode() not in handle.read()


def _ticked_catalogue(path, merged_down: bool):
    """«Mức độ DVCTT» merged over «Toàn trình | Một phần», the other header cells merged down (or not)."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in (["STT", "Mã TTHC", "Tên TTHC", "Mức độ DVCTT", None, "Thời hạn giải quyết"],
                [None, None, None, "Toàn trình", "Một phần", None],
                [1, "4.000401", "Thủ tục D", "x", None, "05 ngày làm việc"],
                [2, "4.000402", "Thủ tục E", None, "x", "05 ngày làm việc"],
                [3, "4.000403", "Thủ tục F", None, None, "05 ngày làm việc"]):
        ws.append(row)
    ws.merge_cells("D1:E1")
    if merged_down:
        for col in "ABCF":
            ws.merge_cells(f"{col}1:{col}2")
    wb.save(path)
    return path


@pytest.mark.parametrize("merged_down", [True, False])
def test_online_levels_ticked_under_a_two_row_header(tmp_path, merged_down):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, _ticked_catalogue(tmp_path / "dvctt.xlsx", merged_down))
    # before: merged down, the header's second row became a procedure «Mã TTHC» and no level was read; not merged
    # down, the whole file was refused («dòng 2: thiếu mã thủ tục»)
    assert errors == [] and result["rows_loaded"] == 3
    assert query(db, "SELECT procedure_code, online_level, statutory_days FROM procedures ORDER BY 1") == [
        ("4.000401", "full", 5), ("4.000402", "partial", 5), ("4.000403", "none", 5)]


def test_online_levels_ticked_in_two_columns(tmp_path):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_xlsx(tmp_path / "dvctt.xlsx", [
        ["STT", "Mã TTHC", "Tên TTHC", "DVC trực tuyến toàn trình", "DVC trực tuyến một phần"],
        [1, "3.000301", "Thủ tục A", "x", None], [2, "3.000302", "Thủ tục B", None, "✓"],
        [3, "3.000303", "Thủ tục C", None, None]]))
    assert errors == []
    assert query(db, "SELECT procedure_code, online_level FROM procedures ORDER BY 1") == [
        ("3.000301", "full"), ("3.000302", "partial"), ("3.000303", "none")]


def test_a_paper_form_numbering_its_boxes_in_print_order_is_read_by_their_words(tmp_path):
    from tests.test_loader_probe9 import _tick_form
    db = database_with_units(tmp_path)
    print_order = ["1. Rất hài lòng", "2. Hài lòng", "3. Bình thường", "4. Không hài lòng", "5. Rất không hài lòng"]
    result, errors = load_one(db, _tick_form(tmp_path / "phieu.xlsx", print_order))
    # P1 marks the first box of 1.1 (Rất hài lòng: 5) and the fourth of HL1 (Không hài lòng: 2); P2 the fifth of 1.1
    # (1) and the second of HL1 (4). Before: no box was read, the marks stored as answers out of the scale.
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert query(db, "SELECT response_id, item_code, score FROM survey_answers WHERE is_valid ORDER BY 1, 2") == [
        ("P1", "1.1", 5), ("P1", "HL1", 2), ("P2", "1.1", 1), ("P2", "HL1", 4)]
    assert any("đọc theo chữ" in w for w in result["warnings"]), result["warnings"]
