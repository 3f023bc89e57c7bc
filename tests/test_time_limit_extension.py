"""A catalogue's time limit with the extension a unit may grant («kéo dài thêm», «gia hạn thêm»): the limit is the
base number of days, the extension is no second limit. Read from real catalogue files; days counted by hand."""
import pytest

from tests.files import load_one, query, write_csv, write_xlsx


@pytest.mark.parametrize("written, days", [
    # before: «ghi nhiều thời hạn khác nhau (3 ngày, 10 ngày)», the limit left empty
    ("10 ngày làm việc; trường hợp phức tạp được kéo dài thêm không quá 03 ngày làm việc", 10),
    ("15 ngày, gia hạn thời gian giải quyết thêm 10 ngày đối với trường hợp phải xác minh", 15),
    ("Không quá 05 ngày làm việc, có thể kéo dài thêm tối đa 02 ngày", 5),
    ("10 ngày; trường hợp cần xác minh thì gia hạn không quá 05 ngày", 10),
    # «kéo dài … không quá 15 ngày» without «thêm» may be the whole time of those cases: two limits, as before
    ("10 ngày; trường hợp phải kéo dài thời gian giải quyết thì không quá 15 ngày", None),
    # an extension only: no limit is written, said (before: 5, the extension read as the limit)
    ("Gia hạn thêm 05 ngày làm việc", None),
    # two limits stay two limits whatever extension follows them
    ("07 ngày (trực tiếp); 05 ngày (trực tuyến); kéo dài thêm 03 ngày", None),
])
def test_an_extension_is_not_a_second_time_limit(tmp_path, written, days):
    db = tmp_path / "t.duckdb"
    result, errors = load_one(db, write_csv(tmp_path / "tthc.csv", [["Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết"],
                                                                    ["1.000101", "Thủ tục A", written]]))
    assert errors == [] and result["rows_loaded"] == 1
    assert query(db, "SELECT statutory_days FROM procedures") == [(days,)]
    said = [w for w in result["warnings"] if "thời hạn giải quyết" in w]
    assert bool(said) == (days is None), result["warnings"]
    if written.startswith("Gia hạn"):
        assert "kéo dài thêm" in said[0]


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
