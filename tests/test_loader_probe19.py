"""Nineteenth loader probe: PAR INDEX frameworks as a province issues them (the self-assessment form with its empty
score columns, «Tự đánh giá, thẩm định», «các huyện, thành phố», a «Ghi chú:» line under the table, rules written
«Từ 98% trở lên», an indicator in a plan's words), the council's signature line, and the portal's 766 tables
headed «Tỉnh/Thành phố» with a «Dịch vụ trực tuyến» group column. Expected values are read off the files by hand."""
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from etl.summary import format_summary
from model.par_rules import parse_rule, score
from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

TITLE_DEPARTMENTS = "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH TỈNH SƠN LA NĂM 2024"


def _framework(db):
    return query(db, "SELECT peer_group, code, max_points, method, indicator FROM par_framework ORDER BY position")


def test_the_self_assessment_form_is_read_as_the_framework(tmp_path):
    """Before: its empty «Điểm tự đánh giá | Điểm thẩm định» columns made it a score table without units, so no kind
    took the file («không cột tiêu đề nào khớp»); «Tự đánh giá, thẩm định» refused it; «Ghi chú: …» did too."""
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "bo_chi_so.xlsx", [
        ["ỦY BAN NHÂN DÂN TỈNH SƠN LA"], [TITLE_DEPARTMENTS],
        ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Phương pháp đánh giá", "Điểm tự đánh giá",
         "Điểm thẩm định", "Tài liệu kiểm chứng"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 3],
        ["1", "Ban hành kế hoạch CCHC năm kịp thời", 1, "Tự đánh giá, thẩm định", None, None, "Kế hoạch"],
        ["2", "Báo cáo CCHC định kỳ", 2, "Tự đánh giá, thẩm định"],
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 2],
        ["1", "Thực hiện cơ chế một cửa", 2, "Tự đánh giá và thẩm định"],
        ["", "Tổng cộng", 5],
        ["Ghi chú: Điểm điều tra xã hội học do Sở Nội vụ tổng hợp."],
    ])
    result, errors = load_one(db, path)
    assert errors == [] and result["kind"] == "par_framework"
    # numbering restarts under each area: «1» under «II» is 2.1; the numbering row, the total and the note skipped
    assert _framework(db) == [("department", "1", 3.0, "self", None), ("department", "1.1", 1.0, "self", None),
                              ("department", "1.2", 2.0, "self", None), ("department", "2", 2.0, "self", None),
                              ("department", "2.1", 2.0, "self", None)]
    assert (result["rows_loaded"], result["rows_skipped"]) == (5, 3)


def test_a_filled_in_self_assessment_is_not_taken_for_the_framework(tmp_path):
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "tu_danh_gia.xlsx", [
        [TITLE_DEPARTMENTS],
        ["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định"],
        ["I", "CÔNG TÁC CHỈ ĐẠO", 1], ["1", "Ban hành kế hoạch", 1, 1, None]])
    result, errors = load_one(db, path, kind="par_framework")
    assert errors and "bộ tiêu chí" in errors[0]
    assert _framework(db) == []


def test_a_district_framework_written_as_a_province_without_urban_districts_writes_it(tmp_path):
    """«CỦA UBND CÁC HUYỆN, THÀNH PHỐ» is the district group; «Tỷ lệ hồ sơ giải quyết đúng hạn» (a plan's words) is
    the on-time rate; «Từ 98% trở lên: 2; từ 95% đến dưới 98%: 1; dưới 95%: 0» a rule. Each refused the file."""
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "bo_tieu_chi_huyen.xlsx", [
        ["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CỦA UBND CÁC HUYỆN, THÀNH PHỐ NĂM 2024"],
        ["STT", "Tiêu chí", "Điểm tối đa", "Phương pháp", "Chỉ tiêu", "Cách tính điểm"],
        ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 3],
        ["1", "Kết quả giải quyết hồ sơ", 2, "Số liệu", "Tỷ lệ hồ sơ giải quyết đúng hạn",
         "Từ 98% trở lên: 2; từ 95% đến dưới 98%: 1; dưới 95%: 0"],
        ["2", "Thực hiện cơ chế một cửa", 1, "Tự đánh giá"],
        ["Ghi chú: Điểm các tiêu chí số liệu do Văn phòng UBND tỉnh cung cấp."],
    ])
    result, errors = load_one(db, path)
    assert errors == []
    assert _framework(db) == [("district", "1", 3.0, "self", None), ("district", "1.1", 2.0, "data", "on_time_rate"),
                              ("district", "1.2", 1.0, "self", None)]
    rule = parse_rule(query(db, "SELECT rule FROM par_framework WHERE code = '1.1'")[0][0], 2)
    assert [score(rule, v, 2) for v in (0.99, 0.98, 0.979, 0.95, 0.9499)] == [2, 2, 1, 1, 0]


@pytest.mark.parametrize("rule, value, points", [
    ("98 % trở lên: 1; dưới 98 %: 0", 0.98, 1), ("Từ 90% trở xuống: 0; trên 90%: 1", 0.9, 0),
    ("Từ 90% trở xuống: 0; trên 90%: 1", 0.91, 1), ("≥ 98% trở lên: 1", 0.985, 1)])
def test_a_bound_written_after_its_number(rule, value, points):
    assert score(parse_rule(rule, 1), value, 1) == points


@pytest.mark.parametrize("rule", ["Dưới 95% trở lên: 1", "≤ 95% trở lên: 1"])
def test_a_bound_contradicting_its_sign_is_refused(rule):
    with pytest.raises(ValueError, match="không hiểu điều kiện"):
        parse_rule(rule, 1)


def test_the_councils_signature_line_is_no_rejected_score(tmp_path):
    """The council's workbook (criteria down, a unit's «Tự đánh giá | Thẩm định» across) signed under a unit's column:
    «TM. HỘI ĐỒNG THẨM ĐỊNH» was rejected as a score line without a criterion code."""
    db = database_with_units(tmp_path)
    framework = write_csv(tmp_path / "bo_tieu_chi.csv", [
        ["Năm", "Nhóm đơn vị", "Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa"],
        ["2024", "Sở, ban, ngành", "1", "Chỉ đạo", "2"], ["2024", "Sở, ban, ngành", "1.1", "Kế hoạch", "2"]])
    wb = Workbook()
    ws = wb.active
    for row in [["BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2024 CỦA CÁC SỞ, BAN, NGÀNH"], [],
                ["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Sở Tư pháp", None],
                [None, None, None, "Tự đánh giá", "Thẩm định"],
                ["1.1", "Kế hoạch", 2, 2, "1,5"], [], [None, None, None, "TM. HỘI ĐỒNG THẨM ĐỊNH"],
                [None, None, None, "CHỦ TỊCH"]]:
        ws.append(row)
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:E3"):
        ws.merge_cells(cells)
    scores = tmp_path / "tham_dinh.xlsx"
    wb.save(scores)
    assert load_one(db, framework)[1] == []
    result, errors = load_one(db, scores)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 0)
    assert query(db, "SELECT unit_code, code, self_score, appraised_score FROM par_scores") == [("STP", "1.1", 2.0, 1.5)]


def test_the_portals_province_table_keeps_its_online_service_group(tmp_path):
    """«Tỉnh/Thành phố» is the unit column of the portal's province ranking (the file was refused); «Dịch vụ trực
    tuyến» is group 3 (it was dropped without a word, and the reconciliation of that group with it)."""
    db = database_with_units(tmp_path)
    path = write_csv(tmp_path / "xep_hang_766.csv", [
        ["BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TRONG THỰC HIỆN TTHC, DỊCH VỤ CÔNG"],
        ["Kỳ đánh giá: Quý III/2025"], [],
        ["Xếp hạng", "Tỉnh/Thành phố", "Công khai minh bạch", "Tiến độ giải quyết", "Dịch vụ trực tuyến",
         "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ", "Tổng điểm"],
        ["1", "Thành phố Hồ Chí Minh", "17,52", "19,8", "11,6", "9,4", "17,9", "20,1", "96,32"]], bom=True)
    result, errors = load_one(db, path)
    assert errors == [] and result["kind"] == "index766_published"
    assert query(db, "SELECT unit_code, period_from, period_to, item, points FROM index766_published ORDER BY item") == [
        ("HCM", date(2025, 7, 1), date(2025, 9, 30), item, pytest.approx(points)) for item, points in (
            ("group:1", 17.52), ("group:2", 19.8), ("group:3", 11.6), ("group:4", 9.4), ("group:5", 17.9),
            ("group:6", 20.1), ("total", 96.32))]
    # the column it does not read is said in the summary, not only in --json
    assert "Cột không đọc (không phải cột nào của loại tệp này): Xếp hạng." in format_summary([result], [])


def _plan_and_report(tmp_path):
    plan = write_xlsx(tmp_path / "ke_hoach.xlsx", [
        ["UBND TỈNH SƠN LA"], ["SỞ NỘI VỤ"], [], ["PHỤ LỤC"],
        ["DANH MỤC NHIỆM VỤ KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025"],
        ["(Kèm theo Kế hoạch số 245/KH-SNV ngày 26/12/2024 của Sở Nội vụ)"],
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
        [1, "Kiểm tra công tác CCHC", "Phòng CCHC", datetime(2025, 9, 30)],
        [2, "Báo cáo CCHC quý", "Văn phòng", "Quý II/2025"]])
    report = write_csv(tmp_path / "tien_do.csv", [
        ["SỞ NỘI VỤ"], ["BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH CCHC 9 THÁNG NĂM 2025 CỦA SỞ NỘI VỤ"],
        ["Sơn La, ngày 30 tháng 9 năm 2025"], [],
        ["STT", "Nội dung nhiệm vụ", "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Ngày hoàn thành"],
        ["1", "Kiểm tra công tác CCHC", "x", "", "", "25/09/2025"], ["2", "Báo cáo CCHC quý", "", "x", "", ""], [],
        ["", "Tổng cộng", "1", "1", "0", ""]], delimiter=";", bom=True)
    return plan, report


def test_a_plan_attached_to_a_document_and_a_date_cell_deadline(tmp_path):
    """«(Kèm theo … của Sở Nội vụ)» named the plan «Sở Nội vụ)»; a deadline typed as a date cell showed as
    «2025-09-30 00:00:00»."""
    db = database_with_units(tmp_path)
    plan, _ = _plan_and_report(tmp_path)
    result, errors = load_one(db, plan)
    assert errors == []
    assert "   Kế hoạch năm 2025 của Sở Nội vụ: 2 nhiệm vụ." in format_summary([result], []).splitlines()
    assert query(db, "SELECT deadline_text, deadline_date FROM plan_tasks ORDER BY row_number") == [
        ("30/09/2025", date(2025, 9, 30)), ("Quý II/2025", date(2025, 6, 30))]


def test_the_totals_line_of_a_marked_progress_report_is_skipped(tmp_path):
    """«Tổng cộng | 1 | 1 | 0» under the columns «Đã hoàn thành | Đang thực hiện | Chưa thực hiện» counts the marks
    above it: it was rejected as a task marked in several columns."""
    db = database_with_units(tmp_path)
    plan, report = _plan_and_report(tmp_path)
    assert load_one(db, plan)[1] == []
    result, errors = load_one(db, report)
    assert errors == [] and result["kind"] == "task_progress"
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 2)


def test_766_inputs_with_a_column_per_criterion(tmp_path):
    """Units down, one column per criterion holding «tử số/mẫu số» (the file was refused, the closest kind named
    being a plan): each cell is the line the long layout would have; a dash is a count not given; a cell without its
    slash rejects its line, named."""
    db = database_with_units(tmp_path)
    path = write_xlsx(tmp_path / "so_lieu_766.xlsx", [
        ["SỐ LIỆU CHI TIẾT CÁC TIÊU CHÍ BỘ CHỈ SỐ 766 - THÁNG 10/2025"], [],
        ["STT", "Đơn vị", "Công bố, công khai TTHC đúng hạn", "Cập nhật, công khai TTHC đúng hạn",
         "Phản ánh, kiến nghị xử lý đúng hạn"],
        [1, "Sở Tư pháp", "40/40", "10 / 12", "-"],
        [2, "Sở Kế hoạch và Đầu tư", "55/60", "20", "8/10"],
        ["", "Tổng cộng", "95/100", "30/32", "8/10"]])
    result, errors = load_one(db, path)
    assert errors == [] and result["kind"] == "index766_inputs"
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (1, 1, 1)
    assert [r["reason"] for r in result["rejects"]] == [
        "Trang «Sheet», dòng 5: ô «20» của tiêu chí «TTHC cập nhật, công khai đúng hạn» cần ghi tử số/mẫu số (ví dụ 45/50)."]
    assert query(db, "SELECT unit_code, period_from, field, numerator, denominator FROM index766_inputs "
                     "ORDER BY field") == [("STP", date(2025, 10, 1), "published_on_time", 40, 40),
                                           ("STP", date(2025, 10, 1), "updated_on_time", 10, 12)]


def test_766_inputs_with_numerator_and_denominator_under_each_criterion(tmp_path):
    db = database_with_units(tmp_path)
    wb = Workbook()
    ws = wb.active
    for row in [["SỐ LIỆU ĐẦU VÀO BỘ CHỈ SỐ 766 QUÝ III/2025"],
                ["STT", "Đơn vị", "TTHC công bố, công khai đúng hạn", None, "Chứng thực bản sao điện tử", None],
                [None, None, "Tử số", "Mẫu số", "Số đạt", "Tổng số"],
                [1, "Sở Tư pháp", 9, 10, 120, 150]]:
        ws.append(row)
    for cells in ("A2:A3", "B2:B3", "C2:D2", "E2:F2"):
        ws.merge_cells(cells)
    path = tmp_path / "so_lieu_766.xlsx"
    wb.save(path)
    result, errors = load_one(db, path)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (1, 0)
    assert query(db, "SELECT period_from, period_to, field, numerator, denominator FROM index766_inputs ORDER BY field") \
        == [(date(2025, 7, 1), date(2025, 9, 30), "certified_copies", 120, 150),
            (date(2025, 7, 1), date(2025, 9, 30), "published_on_time", 9, 10)]
