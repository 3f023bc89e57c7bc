"""A catalogue's time limit with the extension a unit may grant («kéo dài thêm», «gia hạn thêm»): the limit is the
base number of days, the extension is no second limit. Read from real catalogue files; days counted by hand."""
from tests.files import load_one, query, write_csv, write_xlsx


def test_an_extension_alone_says_so(tmp_path):
    """The cases of a limit with an extension are in tests/test_loader_probe17.py; here the words said when the cell
    gives the extension only."""
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [["Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết"],
                                                                    ["1.000101", "Thủ tục A", "Gia hạn thêm 05 ngày"]]))
    assert errors == [] and query(db, "SELECT statutory_days FROM procedures") == [(None,)]
    assert any("chỉ ghi thời gian được kéo dài thêm" in w for w in result["warnings"]), result["warnings"]


def test_the_base_limit_gives_a_dossier_without_an_appointment_its_due_date(tmp_path):
    """A dossier with no «Ngày hẹn trả» takes its due date from the catalogue: received Monday 06/01/2025, 10 working
    days → due Monday 20/01/2025 (two weekends skipped, no holiday between); resolved 17/01 is on time. With the
    limit left empty, as before, its lateness could not be judged."""
    db = tmp_path / "d.duckdb"
    assert load_one(db, write_xlsx(tmp_path / "tthc.xlsx", [
        ["Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết"],
        ["1.000101", "Thủ tục A", "10 ngày làm việc; trường hợp phức tạp được kéo dài thêm không quá 03 ngày"]]))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", [
        ["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày có kết quả", "Trạng thái"],
        ["HS-1", "Sở Tư pháp", "1.000101", "06/01/2025 08:00", "17/01/2025 10:00", "Đã trả kết quả"]]))
    assert errors == [] and result["rows_loaded"] == 1
    assert query(db, "SELECT CAST(due_at AS DATE) FROM dossiers") == [(__import__("datetime").date(2025, 1, 20),)]
