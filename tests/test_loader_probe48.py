"""Forty-eighth loader probe: a month of daily loads and corrections from two systems. Expected values are counted
by hand from the lines below; each test failed on the code before its fix."""
import subprocess
import sys

from tests.conftest import ROOT
from tests.files import database_with_units, load_one, query, write_csv

HEADER = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]


def _etl(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_a_daily_file_loaded_without_its_source_is_said_and_can_be_taken_back(tmp_path):
    """System b's file of 15/02 loaded without --source b: its dossiers went to «default», those already under b
    counted twice, without a word. Now said, naming the codes; `etl remove` takes them back, leaving b's."""
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "b_14.csv", [
        HEADER, ["B-1", "UBND Quận 3", "06/02/2023", "10/02/2023", "09/02/2023", "Đã trả kết quả"],
        ["B-2", "UBND Quận 3", "07/02/2023", "10/02/2023", "", "Đang xử lý"]]), source="b")[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "b_15.csv", [
        HEADER, ["B-2", "UBND Quận 3", "07/02/2023", "10/02/2023", "15/02/2023", "Đã trả kết quả"],
        ["B-3", "UBND Quận 3", "15/02/2023", "20/02/2023", "", "Đang xử lý"]]))
    assert errors == []
    [said] = [w for w in result["warnings"] if "đang được tính hai lần" in w]
    assert "1 hồ sơ" in said and "(B-2)" in said and "--source b" in said
    done = _etl("remove", "--db", str(db), "--source", "default", "--dossier", "B-2", "B-3", "X-9")
    assert done.returncode == 0, done.stderr
    assert "Đã gỡ 2 hồ sơ" in done.stdout and "không có mã: X-9" in done.stdout
    assert query(db, "SELECT source, dossier_code FROM dossiers ORDER BY 1, 2") == [("b", "B-1"), ("b", "B-2")]
    # the aggregate tables follow: February's received dossiers are b's two, by the day table and by the dossiers
    assert query(db, "SELECT sum(received_new) FROM agg_unit_day WHERE day BETWEEN '2023-02-01' AND '2023-02-28'") \
        == [(2,)]


def test_removing_what_is_not_there_changes_nothing(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "a.csv", [
        HEADER, ["A-1", "UBND Quận 3", "06/02/2023", "10/02/2023", "", "Đang xử lý"]]))[1] == []
    before = db.read_bytes()
    done = _etl("remove", "--db", str(db), "--source", "b")
    assert done.returncode == 2 and "hệ thống «b» không có hồ sơ nào" in done.stderr
    assert "các hệ thống đã nạp: default" in done.stderr and "Không thay đổi gì" in done.stderr
    assert db.read_bytes() == before


def test_news_from_a_file_of_the_same_day_is_no_disagreement(tmp_path):
    """Two exports of 24/02: the system's without the payment columns, the ward's with them; and a file of 16/02
    with «Hình thức nộp» loaded after one of 17/02 without it. Before, both loads said the dossier was written
    otherwise by a file of the same day and advised loading again with --as-of: nothing disagreed."""
    db = database_with_units(tmp_path)
    head = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"]
    assert load_one(db, write_csv(tmp_path / "he_thong_24.csv", [
        head, ["M-1", "UBND Phường 9", "23/02/2023 08:00", "28/02/2023", "Đang xử lý"]]), as_of=None)[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "phuong_24.csv", [
        head + ["Phí, lệ phí", "Thanh toán trực tuyến"],
        ["M-1", "UBND Phường 9", "23/02/2023 08:00", "28/02/2023", "Đang xử lý", "50000", "Có"]]))
    assert errors == [] and not [w for w in result["warnings"] if "cùng ngày chụp" in w]
    assert query(db, "SELECT fee_amount, is_paid_online FROM dossiers") == [(50000, True)]
    db2 = database_with_units(tmp_path / "b")
    assert load_one(db2, write_csv(tmp_path / "ngay_17.csv", [
        head, ["N-1", "UBND Phường 9", "16/02/2023 08:00", "21/02/2023", "Đang xử lý"],
        ["N-2", "UBND Phường 9", "17/02/2023 08:00", "22/02/2023", "Đang xử lý"]]))[1] == []
    result, errors = load_one(db2, write_csv(tmp_path / "ngay_16.csv", [
        head + ["Hình thức nộp"], ["N-1", "UBND Phường 9", "16/02/2023 08:00", "21/02/2023", "Đang xử lý", "Trực tuyến"]]))
    assert errors == [] and not [w for w in result["warnings"] if "cùng ngày chụp" in w]
    assert query(db2, "SELECT dossier_code, channel, snapshot_date::VARCHAR FROM dossiers ORDER BY 1") == [
        ("N-1", "online", "2023-02-17"), ("N-2", "direct", "2023-02-17")]
