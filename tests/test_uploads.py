"""The upload's server side without a browser (etl/uploads.py): the preview gives what the real load then does,
writes nothing, keeps files inside their folder, and says why a file is refused."""
import hashlib
import json
import shutil
import subprocess
import sys

import duckdb
import pytest

from etl.uploads import UploadRefused, discard, drop, load, preview, stage, staged, staging_root, too_large_message
from tests.conftest import FIXTURES, ROOT

WHO = {"account": "chuyenvien", "accounts": "/nonexistent/accounts.sqlite", "client": "127.0.0.1"}
COUNTS = ("rows_total", "rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected", "rows_skipped")


@pytest.fixture
def db(fixture_db, tmp_path):
    copy = tmp_path / "cchc.duckdb"
    shutil.copyfile(fixture_db, copy)
    return copy


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["10_dong_loi.xlsx", "08_du_lieu_ca_nhan.xlsx", "snapshot_feb.csv",
                                  "01_q3_bao_cao_chi_tiet.xlsx"])
def test_preview_gives_the_counts_the_command_line_load_gives(db, tmp_path, name):
    source = FIXTURES / "exports" / name
    before = _digest(db)
    token = stage(db, [(name, source.read_bytes())], WHO)
    [shown] = preview(db, token)
    assert _digest(db) == before                                        # the preview wrote nothing
    assert sorted(p.name for p in (staging_root(db) / token).iterdir()) == ["tep", "who.json"]   # no copy left
    # The other route: `python -m etl import --json` on another copy of the same database.
    other = tmp_path / "other.duckdb"
    shutil.copyfile(db, other)
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(source), "--db", str(other), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    loaded = json.loads(proc.stdout)["files"][0]
    assert {k: shown[k] for k in COUNTS} == {k: loaded[k] for k in COUNTS}
    assert shown["unmatched_units"] == loaded["unmatched_units"]
    assert shown["dropped_columns"] == loaded["dropped_columns"]
    assert [r["row"] for r in shown["rejects"]] == [r["row"] for r in loaded["rejects"]]
    discard(db, token)
    assert not (staging_root(db) / token).exists()


def test_load_records_the_account_and_removes_the_upload(db):
    source = FIXTURES / "exports" / "10_dong_loi.xlsx"
    token = stage(db, [("10_dong_loi.xlsx", source.read_bytes())], WHO)
    messages = []
    results, errors, summary, who = load(db, token, messages.append)
    assert errors == [] and results[0]["rows_rejected"] == 8 and "bị loại 8" in summary
    assert who["account"] == "chuyenvien" and messages                 # progress was reported
    assert not (staging_root(db) / token).exists()
    con = duckdb.connect(str(db), read_only=True)
    try:
        last = con.execute("SELECT file_name, loaded_by FROM import_log ORDER BY import_id DESC LIMIT 1").fetchall()
    finally:
        con.close()
    assert last == [("10_dong_loi.xlsx", "chuyenvien")]
    with pytest.raises(UploadRefused, match="tải tệp lên lại"):        # the same token again: nothing to load
        load(db, token)


def test_names_stay_inside_their_folder_and_tokens_are_checked(db):
    for name in ("../../etc/passwd.csv", "who.json", "..\\..\\x.csv"):
        token = stage(db, [(name, b"a,b\n")], WHO)
        [path], who = staged(db, token)
        assert path.parent.parent == staging_root(db) / token and (staging_root(db) / token / "who.json").is_file()
        assert who["account"] == "chuyenvien"
        discard(db, token)
    for forged in ("../cchc", "", None, "0" * 32):
        with pytest.raises(UploadRefused):
            staged(db, forged)
    with pytest.raises(UploadRefused, match="không có tên"):
        stage(db, [("", b"x")], WHO)
    # a NUL byte or a name over 255 bytes: refused with a reason before any file of the upload is written (probe 55: a
    # 500, and the files before it left on disk with their personal columns)
    before = sorted(p.name for p in staging_root(db).iterdir()) if staging_root(db).exists() else []
    for bad in ("ho_so\x00.csv", "h" * 300 + ".csv"):
        with pytest.raises(UploadRefused, match="ký tự điều khiển hoặc dài quá 255 byte"):
            stage(db, [("ca_nhan.csv", b"Ho ten,CCCD\nA,001099000123\n"), (bad, b"a,b\n")], WHO)
    after = sorted(p.name for p in staging_root(db).iterdir()) if staging_root(db).exists() else []
    assert after == before


def test_refusals_say_why_in_vietnamese(db, tmp_path, monkeypatch):
    token = stage(db, [("bao_cao.xlsx", b"PK\x03\x04 not really a workbook"),
                       ("units.csv", (FIXTURES / "units.csv").read_bytes())], WHO)
    refused, taken = preview(db, token)
    # the zip's start without its end: said cut short (probe 54), not «hỏng, có mật khẩu»
    assert refused["file"] == "bao_cao.xlsx" and "Tệp bao_cao.xlsx bị cắt cụt" in refused["error"]
    assert taken["file"] == "units.csv" and taken["kind"] == "units"
    assert drop(db, token, ["bao_cao.xlsx"]) is True                  # the refused file is not kept, the other is
    assert [p.name for p in staged(db, token)[0]] == ["units.csv"]
    assert drop(db, token, ["units.csv"]) is False and not (staging_root(db) / token).exists()
    with pytest.raises(UploadRefused, match="cùng tên"):
        stage(db, [("a.csv", b"x"), ("thu_muc/a.csv", b"y")], WHO)
    monkeypatch.setenv("CCHC_UPLOAD_MAX_MB", "1")
    assert too_large_message("a.csv", 1024 * 1024) is None
    # 3 MB over a 1 MB limit, both named in MB.
    assert too_large_message("a.csv", 3 * 1024 * 1024).startswith("Tệp a.csv có dung lượng 3 MB, vượt giới hạn 1 MB")
    # 1,5 MB read «1 MB, vượt giới hạn 1 MB» (probe 55)
    assert too_large_message("b.csv", 1536 * 1024).startswith("Tệp b.csv có dung lượng 1,5 MB, vượt giới hạn 1 MB")


def test_the_first_file_of_a_new_database_is_previewed_and_loaded(tmp_path):
    db = tmp_path / "moi.duckdb"                                       # no database yet: a fresh install
    units = FIXTURES / "units.csv"
    token = stage(db, [("units.csv", units.read_bytes())], WHO)
    [shown] = preview(db, token)
    lines = len(units.read_text(encoding="utf-8").splitlines()) - 1    # the header line aside
    assert (shown["kind_label"], shown["rows_loaded"]) == ("Danh mục đơn vị", lines)
    assert not db.exists()                                              # still nothing written
    results, errors, _, _ = load(db, token)
    assert errors == [] and results[0]["rows_loaded"] == lines
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM units").fetchall() == [(lines,)]
    finally:
        con.close()


def test_the_page_gives_advice_a_user_of_the_page_can_follow(db):
    """A file of no kind: the command line's «--kind LOẠI; các loại: dossiers, ratings…» and «--mapping» were shown
    to a civil servant on a page that has neither (probe 25). A file whose snapshot day the page cannot be told
    says the option is the server's."""
    token = stage(db, [("ghi_chu.csv", "Ghi chú,Nội dung\nhọp,giao ban\n".encode("utf-8"))], WHO)
    [refused] = preview(db, token)
    assert "--kind" not in refused["error"] and "--mapping" not in refused["error"]
    assert "hãy sửa tiêu đề trong tệp theo các tên trên" in refused["error"]
    assert "nhờ người quản trị nạp tệp bằng lệnh trên máy chủ" in refused["error"]
    assert refused["error"].startswith("Tệp ghi_chu.csv: không nhận ra đây là loại tệp nào")
    discard(db, token)
    from etl.page_wording import SERVER_ONLY, for_the_page
    said = for_the_page("Hãy kiểm tra năm của các ngày đó, hoặc nạp lại với --as-of YYYY-MM-DD.")
    assert said.endswith(SERVER_ONLY)
    assert for_the_page("Tệp a.csv rỗng.") == "Tệp a.csv rỗng."
    # a file missing a column: the sentence about the mapping file is the page's
    missing = ("Mã hồ sơ,Đơn vị tiếp nhận,Tên thủ tục,Ghi chú,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n"
               "H1,UBND Quận 3,Khai sinh,,04/03/2022,03/03/2022,Đã trả kết quả\n")
    token = stage(db, [("thieu_cot.csv", missing.encode("utf-8"))], WHO)
    [refused] = preview(db, token)
    assert "Ngày tiếp nhận" in refused["error"] and "--" not in refused["error"]
    assert "hãy sửa tiêu đề trong tệp theo một trong các tên trên" in refused["error"]
    discard(db, token)
