"""Forty-seventh loader probe: ratings and 766 index files beside dossier exports. Expected values are counted by
hand from the lines below; each test failed on the code before its fix."""
from tests.files import database_with_units, load_one, month_total, query, write_csv


def test_a_newer_file_without_outcome_columns_leaves_the_outcome_as_it_was(tmp_path):
    """A ratings export with the dossiers' unit, receipt and hand-over dates but no result date, status or due date
    (read as a dossier list, as the README says): before, its newer snapshot turned H01 and H02, resolved on 05/01
    and 12/01, back into pending dossiers, and replaced H01's due date 06/01 by none. By hand, January 2023: received
    2, resolved 2 (H01 early: 05/01 before 06/01; H02 late: 12/01 after 10/01), pending 0; the ratings are read."""
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
        ["H01", "UBND Quận 3", "03/01/2023", "06/01/2023", "05/01/2023", "Đã trả kết quả"],
        ["H02", "UBND Quận 3", "04/01/2023", "10/01/2023", "12/01/2023", "Đã trả kết quả"]]))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "danh_gia.csv", [
        ["Từ ngày 01/01/2023 đến ngày 10/04/2023"],
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày trả kết quả", "Mức độ hài lòng"],
        ["H01", "UBND Quận 3", "03/01/2023", "06/01/2023", "Rất hài lòng"],
        ["H02", "UBND Quận 3", "04/01/2023", "13/01/2023", "Không hài lòng"]]))
    assert errors == [] and result["rows_updated"] == 2
    assert not [w for w in result["warnings"] if "không có trạng thái hay ngày có kết quả" in w]
    total = month_total(db, 2023, 1)
    assert (total["received_new"], total["resolved"], total["resolved_early"], total["resolved_late"],
            total["pending"]) == (2, 2, 1, 1, 0)
    assert query(db, "SELECT dossier_code, CAST(due_at AS DATE)::VARCHAR, is_due_derived, rating, "
                     "CAST(returned_at AS DATE)::VARCHAR FROM dossiers ORDER BY 1") == [
        ("H01", "2023-01-06", False, "very_satisfied", "2023-01-06"),
        ("H02", "2023-01-10", False, "dissatisfied", "2023-01-13")]


def test_portal_scores_with_three_decimals(tmp_path):
    """The portal writes «14,625» and «5,625» (15 × 0,975; 6 × 15/16); an Excel cell holds 79.125. Before, each read
    as thousands, its line rejected «không phải số từ 0 đến 100». 101 stays impossible: rejected."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "diem_766.csv", [
        ["Đơn vị", "Kỳ", "Tiêu chí", "Điểm"],
        ["Quận 3", "Quý I/2023", "Tổng điểm", "79.125"],
        ["Quận 3", "Quý I/2023", "Tiến độ, kết quả giải quyết", "14,625"],
        ["Quận 3", "Quý I/2023", "1.4", "5,625"],
        ["Sở Tư pháp", "Quý I/2023", "Tổng điểm", "101"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 1)
    assert query(db, "SELECT item, points FROM index766_published ORDER BY 1") == [
        ("criterion:1.4", 5.625), ("group:2", 14.625), ("total", 79.125)]


def test_an_offices_count_table_of_published_procedures(tmp_path):
    """«Tên đơn vị | Số TTHC phải công bố | Số TTHC công bố, công khai đúng hạn | Tỷ lệ (%)» under a title of the
    quarter: criterion 1.1's numerator and denominator per unit. Before: refused, «thiếu cột Đơn vị». By hand: Sở
    Tư pháp 19 of 20, Quận 3 45 of 50, first quarter of 2023."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "so_tthc_cong_bo.csv", [
        ["BÁO CÁO SỐ LƯỢNG TTHC CÔNG BỐ, CÔNG KHAI QUÝ I/2023"],
        ["STT", "Tên đơn vị", "Số TTHC phải công bố", "Số TTHC công bố, công khai đúng hạn", "Tỷ lệ (%)"],
        ["1", "Sở Tư pháp", "20", "19", "95%"], ["2", "UBND Quận 3", "50", "45", "0,9"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert query(db, """SELECT unit_code, period_from::VARCHAR, period_to::VARCHAR, field, numerator, denominator
                        FROM index766_inputs ORDER BY 1""") == [
        ("Q3", "2023-01-01", "2023-03-31", "published_on_time", 45, 50),
        ("STP", "2023-01-01", "2023-03-31", "published_on_time", 19, 20)]


def test_the_names_under_a_766_inputs_signature_block_are_no_line_of_counts(tmp_path):
    """«Người lập biểu | Thủ trưởng đơn vị» and the names under them: before, the names' line was rejected
    («tiêu chí «» không nhận ra») and the names kept among the rejected lines. By hand: 2 loaded, 3 skipped (totals,
    titles, names), none rejected, no name stored."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "dau_vao_766.csv", [
        ["SỐ LIỆU ĐẦU VÀO CHỈ SỐ 766 QUÝ I/2023"],
        ["STT", "Đơn vị", "Tiêu chí", "Tử số", "Mẫu số"],
        ["1", "Sở Tư pháp", "1.1", "19", "20"], ["2", "UBND Quận 3", "1.1", "45", "50"],
        ["Tổng cộng", "", "", "64", "70"],
        ["", "Người lập biểu", "", "Thủ trưởng đơn vị", ""],
        ["", "Nguyễn Văn An", "", "Trần Văn Bình", ""]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (2, 0, 3)
    assert query(db, "SELECT count(*) FROM rejected_rows WHERE CAST(original_values AS VARCHAR) LIKE '%Văn%'") == [(0,)]


def test_a_ratings_export_without_units_is_pointed_to_its_kind(tmp_path):
    """Dossier codes, receipt and hand-over dates and each dossier's rating, no unit: read as a dossier list without
    its unit column. Before, the refusal only advised --unit (loading the ratings as dossiers); it now names
    --kind ratings, which loads the file."""
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Ngày tiếp nhận", "Ngày trả kết quả", "Mức độ hài lòng"],
            ["H01", "03/01/2023", "06/01/2023", "Hài lòng"], ["H02", "04/01/2023", "13/01/2023", "Không hài lòng"]]
    result, errors = load_one(db, write_csv(tmp_path / "danh_gia.csv", rows))
    assert result is None and len(errors) == 1 and "hãy nạp với --kind ratings" in errors[0]
    result, errors = load_one(db, write_csv(tmp_path / "danh_gia.csv", rows), kind="ratings")
    assert errors == [] and result["rows_loaded"] == 2


def test_a_rating_dated_on_no_day_of_the_calendar_is_named_so(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "danh_gia.csv", [
        ["Mã hồ sơ", "Mức độ hài lòng", "Ngày đánh giá"], ["H01", "Hài lòng", "31/02/2023"],
        ["H02", "Hài lòng", "hôm qua"]]), kind="ratings")
    assert errors == [] and result["rows_rejected"] == 2
    reasons = {r["row"]: r["reason"] for r in result["rejects"]}
    assert "«31/02/2023» không có thật" in reasons[2] and "«hôm qua» không đọc được" in reasons[3]
