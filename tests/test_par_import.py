"""PAR INDEX files people get wrong: an inconsistent framework is refused with its row; bad score cells are
rejected with their cell and a Vietnamese reason while the rest loads; reloading changes nothing; versions."""
import duckdb
import pytest

from etl import importer
from etl.core.database import connect
from etl.core.errors import ImportFailure
from tests.par_files import FRAMEWORK_CSV, UNITS, load, write_text

FRAMEWORK = """Năm;Nhóm đơn vị;Mã tiêu chí;Tên tiêu chí;Điểm tối đa;Phương pháp;Chỉ tiêu;Cách tính điểm
2022;Sở, ban, ngành;I;Công tác chỉ đạo;3;;;
2022;Sở, ban, ngành;Tiêu chí 1.1;Kế hoạch;1,5;;;
2022;Sở, ban, ngành;1.1.a;Ban hành;0,5;Tự đánh giá;;
2022;Sở, ban, ngành;1.1.b;Hoàn thành;1;Số liệu;plan_done_rate;"100 %: 1; ≥ 80 %: 0,5; < 80 %: 0"
2022;Sở, ban, ngành;TC1.2;Báo cáo;1,5;;;
2022;Sở, ban, ngành;II;Cải cách TTHC;2;;;
2022;Sở, ban, ngành;II.1;Một cửa;2;;;
;;;Tổng cộng;5;;;
"""


def _db(tmp_path, *files):
    db = tmp_path / "cchc.duckdb"
    results, errors = load(db, [write_text(tmp_path / "don_vi.csv", UNITS), *files])
    return db, results, errors


def _framework(tmp_path, text: str, name: str = "bo_tieu_chi.csv"):
    return write_text(tmp_path / name, text)


def _query(db, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_typed_codes_roman_areas_and_comma_points_are_read(tmp_path):
    db, results, errors = _db(tmp_path, _framework(tmp_path, FRAMEWORK))
    assert errors == [] and results[1]["kind"] == "par_framework" and results[1]["rows_loaded"] == 7
    stored = "SELECT code, parent_code, max_points, method, indicator FROM par_framework ORDER BY position"
    assert _query(db, stored) == [
        ("1", None, 3.0, "self", None), ("1.1", "1", 1.5, "self", None), ("1.1.a", "1.1", 0.5, "self", None),
        ("1.1.b", "1.1", 1.0, "data", "plan_done_rate"), ("1.2", "1", 1.5, "self", None),
        ("2", None, 2.0, "self", None), ("2.1", "2", 2.0, "self", None)]


@pytest.mark.parametrize("change, row, reason", [
    # 1.1 says 1,5 but its sub-criteria add up to 0,5 + 2 = 2,5 (the framework's line 3 is the file's line 3)
    (("1.1.b;Hoàn thành;1;", "1.1.b;Hoàn thành;2;"), 3,
     "tổng điểm tối đa các tiêu chí con của 1.1 là 2,5, không bằng điểm tối đa 1,5 của 1.1."),
    # the areas add up to 3 + 2 = 5; the total line says 6
    ((";;;Tổng cộng;5", ";;;Tổng cộng;6"), 9, "tổng điểm tối đa các lĩnh vực là 5, không bằng tổng 6 ghi ở dòng tổng."),
    (("Số liệu;plan_done_rate", "Tính bằng máy;plan_done_rate"), 5, "phương pháp «Tính bằng máy» không rõ"),
    (('plan_done_rate;"100 %: 1;', 'plan_done_rate;"100 %: 3;'), 5, "mức «100 %: 3» cho 3 điểm, vượt điểm tối đa 1"),
    (("Số liệu;plan_done_rate", "Số liệu;số hồ sơ trễ"), 5, "chỉ tiêu «số hồ sơ trễ» không phải số liệu"),
    (("TC1.2;Báo cáo", "TC1.3.1;Báo cáo"), 6, "tiêu chí 1.3.1 không có tiêu chí cha 1.3"),
    (("II.1;Một cửa;2", "II.1;Một cửa;hai"), 8, "điểm tối đa «hai» của tiêu chí 2.1 không phải số không âm."),
])
def test_an_inconsistent_framework_is_refused_naming_its_row(tmp_path, change, row, reason):
    db, _, errors = _db(tmp_path, _framework(tmp_path, FRAMEWORK.replace(*change)))
    assert len(errors) == 1 and f"bo_tieu_chi.csv, dòng {row}: " in errors[0] and reason in errors[0], errors
    assert "Không nạp dòng nào" in errors[0]
    assert _query(db, "SELECT count(*) FROM par_framework") == [(0,)]


# The lines whose self-score is bad have no appraisal: no valid cell is left, so the line is rejected whole (a line
# keeping a valid cell loads it: test_a_bad_cell_leaves_the_valid_cell_of_its_criterion).
SCORES = """Năm;Đơn vị;Mã tiêu chí;Tự đánh giá;Thẩm định
2022;Sở Tư pháp;1.1.a;0,5;0,5
2022;Sở Tư pháp;1.1.b;1;1
2022;Sở Tư pháp;1.2;2;
2022;Sở Tư pháp;2.1;-1;
2022;Sở Tư pháp;9.9;1;1
2022;Sở Tư pháp;2.1;abc;
2022;;2.1;1;1
2022;Sở Xây dựng;2.1;=1+1;
2022;Sở Xây dựng;2.1;2;2
2022;Sở Xây dựng;2.1;1;1
2022;Sở Mới;1.2;1,5;1,5
"""


def test_bad_cells_are_rejected_with_their_cell_and_the_rest_loads(tmp_path):
    db, results, errors = _db(tmp_path, _framework(tmp_path, FRAMEWORK), write_text(tmp_path / "diem.csv", SCORES))
    assert errors == []
    result = results[2]
    # Loaded: Sở Tư pháp 1.1.a, 1.1.b; Sở Xây dựng 2.1 (line 10); Sở Mới 1.2 — 4; rejected 7.
    assert (result["rows_loaded"], result["rows_rejected"], result["unmatched_units"]) == (4, 7, ["Sở Mới"])
    assert [(r["row"], r["reason"]) for r in result["rejects"]] == [
        (4, "ô D4 (tự đánh giá): điểm 2 vượt điểm tối đa 1,5 của tiêu chí 1.2."),
        (5, "ô D5 (tự đánh giá): điểm âm (-1)."),
        (6, "mã tiêu chí «9.9» không có trong bộ tiêu chí năm 2022 (sở, ban, ngành)."),
        (7, "ô D7 (tự đánh giá): điểm «abc» không phải số."),
        (8, "thiếu đơn vị."),
        (9, "ô D9 (tự đánh giá): điểm «=1+1» không phải số."),
        (11, "tiêu chí 2.1 của đơn vị «Sở Xây dựng» đã có ở dòng 10."),
    ]
    stored = _query(db, "SELECT unit_text, code, self_score, appraised_score FROM par_scores ORDER BY 1, 2")
    assert stored == [("Sở Mới", "1.2", 1.5, 1.5), ("Sở Tư pháp", "1.1.a", 0.5, 0.5), ("Sở Tư pháp", "1.1.b", 1.0, 1.0),
                      ("Sở Xây dựng", "2.1", 2.0, 2.0)]
    assert _query(db, "SELECT unit_text FROM unmatched_units") == [("Sở Mới",)]
    # The rejects are in the database with the values as read, for the Dữ liệu page.
    assert _query(db, "SELECT count(*), count(original_values) FROM rejected_rows") == [(7, 7)]


def test_a_bad_cell_leaves_the_valid_cell_of_its_criterion(tmp_path):
    """par-index.md: bad scores are rejected with their cell. A self-score above the maximum beside a valid appraisal
    keeps the appraisal (before, the council's valid 3/3 was lost with it and the unit fell a group); a bad appraisal
    beside a valid self-score leaves the self-score, counted as not appraised, as a blank appraisal is."""
    scores = write_text(tmp_path / "diem.csv", """Năm;Đơn vị;Mã tiêu chí;Tự đánh giá;Thẩm định
2022;Sở Tư pháp;1.1.a;0,6;0,5
2022;Sở Tư pháp;1.1.b;1;-1
2022;Sở Tư pháp;1.2;1,5;1,5
2022;Sở Tư pháp;2.1;2;x
2022;Sở Xây dựng;1.2;abc;3
""")
    db, results, errors = _db(tmp_path, _framework(tmp_path, FRAMEWORK), scores)
    assert errors == []
    result = results[2]
    # lines 2–5 keep one valid cell each; line 6 has none (abc is no number, 3 is above 1,5): rejected whole
    assert (result["rows_loaded"], result["rows_rejected"]) == (4, 1)
    assert [(r["row"], r["reason"]) for r in result["rejects"]] == [
        (6, "ô D6 (tự đánh giá): điểm «abc» không phải số.")]
    assert _query(db, "SELECT code, self_score, appraised_score FROM par_scores ORDER BY code") == [
        ("1.1.a", None, 0.5), ("1.1.b", 1.0, None), ("1.2", 1.5, 1.5), ("2.1", 2.0, None)]
    said = [w for w in result["warnings"] if "Ô này bị loại" in w]
    assert said == [
        "Dòng 2, ô D2 (tự đánh giá): điểm 0,6 vượt điểm tối đa 0,5 của tiêu chí 1.1.a. Ô này bị loại; điểm còn lại "
        "của tiêu chí vẫn được nạp.",
        "Dòng 3, ô E3 (thẩm định): điểm âm (-1). Ô này bị loại; điểm còn lại của tiêu chí vẫn được nạp.",
        "Dòng 5, ô E5 (thẩm định): điểm «x» không phải số. Ô này bị loại; điểm còn lại của tiêu chí vẫn được nạp."]


def test_reloading_changes_nothing_and_an_alias_attaches_an_unknown_unit_later(tmp_path):
    scores = write_text(tmp_path / "diem.csv", SCORES)
    db, _, _ = _db(tmp_path, _framework(tmp_path, FRAMEWORK), scores)
    again, errors = load(db, [scores])
    assert errors == [] and (again[0]["rows_loaded"], again[0]["rows_updated"], again[0]["rows_unchanged"],
                             again[0]["rows_rejected"]) == (0, 0, 4, 7)
    assert _query(db, "SELECT count(*) FROM par_scores") == [(4,)]
    assert _query(db, "SELECT count(*) FROM rejected_rows") == [(7,)]   # the earlier load's rejects replaced
    # A corrected file: one score changed → one update, nothing added.
    corrected = SCORES.replace("Sở Mới;1.2;1,5;1,5", "Sở Mới;1.2;1,5;1")
    changed, _ = load(db, [write_text(tmp_path / "diem_sua.csv", corrected)])
    assert (changed[0]["rows_loaded"], changed[0]["rows_updated"], changed[0]["rows_unchanged"]) == (0, 1, 3)
    # "Sở Mới" becomes an alias of Sở Y tế: its scores join the unit, the name leaves the unmatched list.
    load(db, [write_text(tmp_path / "don_vi_2.csv", UNITS.replace("SYT,Sở Y tế,department,HCM,",
                                                                  "SYT,Sở Y tế,department,HCM,Sở Mới"))])
    assert _query(db, "SELECT unit_code FROM par_scores WHERE unit_text = 'Sở Mới'") == [("SYT",)]
    assert _query(db, "SELECT count(*) FROM unmatched_units") == [(0,)]


def test_scores_before_any_framework_are_refused(tmp_path):
    db, _, errors = _db(tmp_path, write_text(tmp_path / "diem.csv", SCORES))
    assert len(errors) == 1 and "chưa nạp bộ tiêu chí Chỉ số CCHC" in errors[0]
    assert _query(db, "SELECT count(*) FROM par_scores") == [(0,)]


FRAMEWORK_V2 = """Năm;Nhóm đơn vị;Mã tiêu chí;Tên tiêu chí;Điểm tối đa;Văn bản
2022;Sở, ban, ngành;I;Công tác chỉ đạo;2;QĐ 15/QĐ-UBND ngày {date}
2022;Sở, ban, ngành;1.1;Kế hoạch;1,5;QĐ 15/QĐ-UBND ngày {date}
2022;Sở, ban, ngành;1.2;Báo cáo;0,5;QĐ 15/QĐ-UBND ngày {date}
2022;Sở, ban, ngành;II;Cải cách TTHC;3;QĐ 15/QĐ-UBND ngày {date}
2022;Sở, ban, ngành;II.1;Một cửa;2;QĐ 15/QĐ-UBND ngày {date}
2022;Sở, ban, ngành;II.2;Công khai;1;QĐ 15/QĐ-UBND ngày {date}
"""


def test_a_newer_version_replaces_and_an_older_one_is_refused(tmp_path):
    first = write_text(tmp_path / "v1.csv", FRAMEWORK_V2.format(date="10/01/2022").replace("Báo cáo;0,5", "Báo cáo;1")
                       .replace("Công tác chỉ đạo;2", "Công tác chỉ đạo;2,5"))
    db, results, errors = _db(tmp_path, first)
    assert errors == [] and results[1]["rows_loaded"] == 6
    # The version of 01/06/2022 gives Báo cáo 0,5 points: it replaces the whole framework of the year and group.
    results, errors = load(db, [write_text(tmp_path / "v2.csv", FRAMEWORK_V2.format(date="01/06/2022"))])
    assert errors == [] and results[0]["rows_loaded"] == 6
    assert results[0]["warnings"] == ["Bộ tiêu chí năm 2022 (sở, ban, ngành) đã nạp trước đây được thay bằng bộ tiêu "
                                      "chí của tệp này («QĐ 15/QĐ-UBND ngày 01/06/2022»)."]
    assert _query(db, "SELECT max_points, version_date FROM par_framework WHERE code = '1.2'")[0][0] == 0.5
    # Loading the older version again is refused: the newer one stays.
    _, errors = load(db, [first])
    assert len(errors) == 1 and "đã nạp là phiên bản mới hơn («QĐ 15/QĐ-UBND ngày 01/06/2022»)" in errors[0]
    assert _query(db, "SELECT max_points FROM par_framework WHERE code = '1.2'") == [(0.5,)]
    # The same version again changes nothing.
    again, _ = load(db, [tmp_path / "v2.csv"])
    assert (again[0]["rows_loaded"], again[0]["rows_unchanged"], again[0]["warnings"]) == (0, 6, [])


def test_a_replaced_framework_names_the_scores_it_no_longer_counts(tmp_path):
    db, _, _ = _db(tmp_path, write_text(tmp_path / "fw.csv", FRAMEWORK_CSV),
                   write_text(tmp_path / "diem.csv", "year,unit,code,self_score\n2021,Sở Tư pháp,2.1,4\n"))
    # The 2021 departments' framework reloaded without area 2: the score for 2.1 stays stored, not counted.
    without = "\n".join(line for line in FRAMEWORK_CSV.splitlines() if not line.startswith("2021,department,2"))
    results, errors = load(db, [write_text(tmp_path / "fw2.csv", without + "\n")])
    assert errors == [] and any("1 điểm đã nạp thuộc mã tiêu chí không còn trong bộ tiêu chí này (2.1)" in w
                                for w in results[0]["warnings"])


def test_the_framework_loads_whole_or_not_at_all_in_one_transaction(tmp_path):
    con = connect(tmp_path / "cchc.duckdb")
    bad = _framework(tmp_path, FRAMEWORK.replace("II.1;Một cửa;2", "II.1;Một cửa;3"))
    with pytest.raises(ImportFailure, match="dòng 7: tổng điểm tối đa các tiêu chí con của 2 là 3"):
        importer.import_file(con, bad)
    assert con.execute("SELECT count(*) FROM par_framework").fetchall() == [(0,)]
    con.close()
