"""Forty-fourth loader probe: plans, progress reports and PAR INDEX files as provincial offices lay them out.
Expected values are counted by hand from the lines below; each test failed on the code before its fix."""
import duckdb
import pytest

from etl.importer import import_paths
from tests.builders import PLAN_UNITS, stp_plan_rows, write_rows

TITLE = ("BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",)


@pytest.fixture()
def planned(tmp_path):
    """A database holding the unit list and Sở Tư pháp's 2022 plan (tests/builders.py STP_PLAN)."""
    units = tmp_path / "units.csv"
    units.write_text(PLAN_UNITS, encoding="utf-8")
    db = tmp_path / "cchc.duckdb"
    results, errors = import_paths(db, [units, write_rows(tmp_path / "ke_hoach.xlsx", stp_plan_rows())], swap=False)
    assert errors == []
    return db


def _progress(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT code, status FROM task_progress ORDER BY code").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("share_first", [False, True])
def test_a_share_of_the_work_beside_the_status_is_not_read_as_the_status(tmp_path, planned, share_first):
    """«Tình trạng» beside «Mức độ hoàn thành (%)» (99,2 %, 100 %): before, the share was read as the status and
    every line rejected («không nhận ra tình trạng «99,2%»»), the report lost."""
    lines = [("III.2", "Đang thực hiện", "70%"), ("III.1", "Đã hoàn thành", "100%"), ("II.2", "Chưa thực hiện", "0%")]
    header = ("Mã nhiệm vụ", "Tình trạng", "Mức độ hoàn thành (%)")
    if share_first:
        header, lines = (header[0], header[2], header[1]), [(a, c, b) for a, b, c in lines]
    report = write_rows(tmp_path / "tien_do.xlsx", [TITLE, ("(tính đến ngày 30/9/2022)",), header, *lines])
    results, errors = import_paths(planned, [report], swap=False)
    assert errors == [] and (results[0]["rows_loaded"], results[0]["rows_rejected"]) == (3, 0)
    assert _progress(planned) == [("II.2", "not_started"), ("III.1", "done"), ("III.2", "in_progress")]


def test_a_tick_column_headed_hoan_thanh_under_its_group(tmp_path, planned):
    """«Tình hình thực hiện» merged over «Hoàn thành | Đang thực hiện | Chưa thực hiện», an x in one: before,
    «Hoàn thành» was a column not read and its lines rejected as having no status."""
    report = write_rows(tmp_path / "tien_do.xlsx", [
        TITLE, ("(tính đến ngày 30/9/2022)",),
        ("Mã nhiệm vụ", "Tình hình thực hiện", None, None),
        (None, "Hoàn thành", "Đang thực hiện", "Chưa thực hiện"),
        ("III.1", "x", None, None), ("III.2", None, "x", None), ("II.2", None, None, "x")])
    results, errors = import_paths(planned, [report], swap=False)
    assert errors == [] and (results[0]["rows_loaded"], results[0]["rows_rejected"]) == (3, 0)
    assert _progress(planned) == [("II.2", "not_started"), ("III.1", "done"), ("III.2", "in_progress")]


def test_guidance_bullets_under_a_criterion_of_the_framework_are_notes(tmp_path):
    """The districts' framework writes how a criterion is scored on bullet lines under it, the dash in the STT
    column and no maximum («- | Thực hiện 100% kế hoạch: 2 điểm»). Before, the whole framework was refused: «không
    đọc được mã tiêu chí «-»»."""
    from tests.par_files import UNITS, load, write_text
    framework = write_text(tmp_path / "bo_tieu_chi.csv", "\n".join([
        "Năm;Nhóm đơn vị;STT;Tên tiêu chí;Điểm tối đa",
        "2022;Sở, ban, ngành;I;Công tác chỉ đạo;3",
        "2022;Sở, ban, ngành;1;Kế hoạch CCHC;1",
        "2022;Sở, ban, ngành;2;Mức độ thực hiện kế hoạch;2",
        "2022;Sở, ban, ngành;-;Thực hiện 100% kế hoạch: 2 điểm;",
        "2022;Sở, ban, ngành;+;Thực hiện dưới 80% kế hoạch: 0 điểm;",
        ";;;Tổng cộng;3", ""]))
    db = tmp_path / "cchc.duckdb"
    results, errors = load(db, [write_text(tmp_path / "don_vi.csv", UNITS), framework])
    # skipped: the two bullets and the total line (checked against the sums, stored as no criterion)
    assert errors == [] and (results[1]["rows_loaded"], results[1]["rows_skipped"]) == (3, 3)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT code, max_points FROM par_framework ORDER BY position").fetchall() == [
            ("1", 3.0), ("1.1", 1.0), ("1.2", 2.0)]
    finally:
        con.close()


def test_a_units_own_self_assessment_named_by_its_corner_heading(tmp_path):
    """The sheet every unit sends: the framework's rows with «Điểm tự đánh giá» and «Điểm thẩm định» filled in, the
    unit named only by the document's corner heading. Before: «không nhận ra đây là loại tệp nào», with --kind
    par_scores too."""
    from tests.files import write_xlsx
    from tests.par_files import FRAMEWORK_CSV, UNITS, load, write_text
    sheet = write_xlsx(tmp_path / "tu_cham_quan_3.xlsx", [
        ["UBND QUẬN 3", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        ["BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022"],
        ["STT", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Tài liệu kiểm chứng"],
        ["1", "Công tác chỉ đạo", 5, "4,5", 4, None],
        ["1.1", "Kế hoạch CCHC", 3, "3", "2,5", "Kế hoạch số 12/KH-UBND"],
        ["1.2", "Báo cáo CCHC", 2, "1,5", "1,5", None],
        [None, "Tổng cộng", 5, "4,5", 4, None]])
    db = tmp_path / "cchc.duckdb"
    results, errors = load(db, [write_text(tmp_path / "don_vi.csv", UNITS),
                                write_text(tmp_path / "bo_tieu_chi.csv", FRAMEWORK_CSV), sheet])
    # the area's line (1) sums its criteria, as in the council's workbook: skipped with the total line, not stored
    assert errors == [] and results[2]["kind"] == "par_scores"
    assert (results[2]["rows_loaded"], results[2]["rows_skipped"]) == (2, 2)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT unit_code, code, self_score, appraised_score FROM par_scores ORDER BY code").fetchall()
    finally:
        con.close()
    assert rows == [("Q3", "1.1", 3.0, 2.5), ("Q3", "1.2", 1.5, 1.5)]


def test_a_targets_annex_keeps_the_plan_it_is_attached_to(tmp_path):
    """«(Kèm theo Kế hoạch số 4567/KH-UBND ngày 28/12/2022)» under the annex's title: targets carry the document they
    come from (indicators.md §4). Before, source_document stayed empty unless a column on every line named it."""
    from tests.files import database_with_units, query, write_csv, load_one
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phu_luc.csv", [
        ["PHỤ LỤC: CHỈ TIÊU KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2023"],
        ["(Kèm theo Kế hoạch số 4567/KH-UBND ngày 28/12/2022 của UBND Thành phố)"],
        ["STT", "Chỉ tiêu", "So sánh", "Toàn thành phố"],
        ["1", "Tỷ lệ giải quyết đúng hạn", ">=", "98%"],
        ["2", "Tỷ lệ hồ sơ trực tuyến", ">=", "50%"]]))
    assert errors == [] and result["rows_loaded"] == 2
    assert query(db, "SELECT DISTINCT source_document FROM targets") == [
        ("Kèm theo Kế hoạch số 4567/KH-UBND ngày 28/12/2022 của UBND Thành phố",)]
