"""Uploading a file on the Dữ liệu page in a real headless Chromium: the preview before anything is written, the
background load with its progress, the history with the account, refused files, and forged requests refused."""
import fcntl
import hashlib
import json
import sqlite3
from datetime import datetime

import duckdb
import openpyxl
import pytest

from tests.accounts_support import Client, PASSWORDS, page_request, serve_with_accounts
from tests.browser_support import cli_total, new_page, show, stop_app

pytestmark = pytest.mark.browser

UNKNOWN_UNIT = "Phòng Văn hóa Quận 99"
HEADER = ["STT", "Mã hồ sơ", "Họ tên người nộp", "Đơn vị tiếp nhận", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả",
          "Ngày có kết quả", "Trạng thái"]


def _dossier(n: int, unit: str, day: int, done: bool) -> list:
    return [n, f"UP-2209-{n:03d}", f"Người nộp số {n}", unit, "Cấp bản sao trích lục hộ tịch",
            datetime(2022, 9, day, 8, 0), datetime(2022, 9, day + 3, 17, 0),
            datetime(2022, 9, day + 2, 10, 0) if done else None, "Đã trả kết quả" if done else "Đang xử lý"]


# Each line under the header with what must become of it; the expected counts are counted from these tags,
# not from the importer: 6 of the Sở Tư pháp (4 resolved) + 1 of an unknown unit loaded, 2 rejected, 2 skipped.
LINES = [("load", _dossier(1, "Sở Tư pháp", 5, True)), ("load", _dossier(2, "Sở Tư pháp", 6, True)),
         ("load", _dossier(3, "Sở Tư pháp", 7, False)), ("reject", [4, None, "Người nộp số 4", "Sở Tư pháp",
                                                                    "Đăng ký khai sinh", datetime(2022, 9, 8, 8, 0),
                                                                    datetime(2022, 9, 9, 17), None, "Đang xử lý"]),
         ("load", _dossier(5, "Sở Tư pháp", 12, True)), ("skip", [None] * len(HEADER)),
         ("load", _dossier(6, "Sở Tư pháp", 13, True)), ("load", _dossier(7, "Sở Tư pháp", 14, False)),
         ("reject", [8, "UP-2209-008", "Người nộp số 8", "Sở Tư pháp", "Đăng ký khai sinh", "31/02/2022",
                     "05/03/2022", None, "Đang xử lý"]),
         ("load", _dossier(9, UNKNOWN_UNIT, 15, True)),
         ("skip", ["Tổng cộng", None, None, None, None, None, None, None, None])]
EXPECTED = {"rows_total": len(LINES), "rows_loaded": sum(f == "load" for f, _ in LINES),
            "rows_rejected": sum(f == "reject" for f, _ in LINES), "rows_skipped": sum(f == "skip" for f, _ in LINES)}
STP_SEPTEMBER = sum(f == "load" and row[3] == "Sở Tư pháp" for f, row in LINES)                      # 6
STP_SEPTEMBER_RESOLVED = sum(f == "load" and row[3] == "Sở Tư pháp" and row[7] is not None for f, row in LINES)  # 4


def _write_export(path, lines, header=HEADER) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Chi tiết"
    ws.append(["SỞ TƯ PHÁP - DANH SÁCH HỒ SƠ THÁNG 9/2022"])
    ws.append([])
    ws.append(header)
    for _, row in lines:
        ws.append(row)
    wb.save(path)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _loads(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT import_id, file_name FROM import_log ORDER BY import_id").fetchall()
    finally:
        con.close()


def _staged(db) -> list[str]:
    folder = db.with_name(db.name + ".uploads")
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _login(browser, url: str, name: str):
    page, errors = new_page(browser)
    page.goto(url + "/dang-nhap?next=/du-lieu")
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORDS[name])
    page.get_by_role("button", name="Đăng nhập").click()
    show(page)
    return page, errors


def _upload(page, path) -> None:
    page.set_input_files("#du-lieu-upload input[type=file]", str(path))


def _serve(fixture_db, tmp_path, env=None):
    """The dashboard on its own copy of the fixture database (a test loads into it), an account of every role."""
    (tmp_path / "srv").mkdir()
    return serve_with_accounts(fixture_db, tmp_path / "srv", env=env)


@pytest.fixture
def server(fixture_db, tmp_path):
    url, db, proc = _serve(fixture_db, tmp_path)
    yield url, db
    stop_app(proc)


def test_analyst_previews_then_loads_in_the_background(browser, server, tmp_path):
    url, db = server
    export = tmp_path / "stp_thang_9.xlsx"
    _write_export(export, LINES)
    before_hash, before_loads = _digest(db), _loads(db)
    before = cli_total(db, "2022-09-01", "2022-09-30", "STP")
    assert before["received_new"] == 0
    page, errors = _login(browser, url, "chuyenvien")
    assert page.locator("#du-lieu-upload-section").is_visible()
    _upload(page, export)
    page.wait_for_selector("#du-lieu-upload-0-ready", timeout=120_000)
    show(page, shot="du_lieu_xem_truoc")
    assert page.locator("#du-lieu-upload-0-kind").inner_text() == "Hồ sơ"
    assert page.locator(".du-lieu-upload-0-sheet").inner_text() == "Trang «Chi tiết», dòng tiêu đề: dòng 3."
    for key, value in EXPECTED.items():
        assert page.locator(f"#du-lieu-upload-0-{key}").inner_text() == str(value), key
    assert page.locator("#du-lieu-upload-0-rows_updated").inner_text() == "0"
    columns = page.locator("#du-lieu-upload-0-columns").inner_text()
    assert "Ngày tiếp nhận\tNgày tiếp nhận" in columns and "Đơn vị tiếp nhận\tĐơn vị" in columns
    assert "Họ tên người nộp" not in columns
    assert "Họ tên người nộp" in page.locator("#du-lieu-upload-0-dropped").inner_text()
    assert UNKNOWN_UNIT in page.locator("#du-lieu-upload-0-unmatched").inner_text()
    # the export has none of the yes/no columns: said before loading, so no one reads "chưa có dữ liệu" as 0 %
    assert page.locator("#du-lieu-upload-0-unreported").inner_text().startswith(
        "Tệp không có cột «Thanh toán trực tuyến», «Số hóa hồ sơ», «Kết quả điện tử»")
    rejects = page.locator("#du-lieu-upload-0-rejects tbody tr").all_inner_texts()
    assert [r.split("\t")[1] for r in rejects] == ["7", "12"]        # sheet lines: title, blank, header, then data
    assert "Thiếu mã hồ sơ" in rejects[0] and "Ngày không có thật" in rejects[1]
    # Nothing written by the preview: the same file, the same loads; only the upload waits, in its own folder.
    assert _digest(db) == before_hash and _loads(db) == before_loads
    assert len(_staged(db)) == 1

    page.get_by_role("button", name="Nạp dữ liệu").click()
    page.wait_for_selector("#du-lieu-upload-running", state="visible", timeout=30_000)   # the progress bar
    page.wait_for_selector("#du-lieu-upload-done", timeout=180_000)
    assert page.locator("#du-lieu-upload-running").is_hidden()
    finished = page.locator("#du-lieu-upload-finished")
    assert finished.get_attribute("value") == finished.get_attribute("max") == "4"
    assert "thêm mới 7" in page.locator("#du-lieu-upload-summary").inner_text()
    assert _staged(db) == []                                         # the upload is not kept once loaded
    page.locator("#du-lieu-upload-reload").click()
    show(page, shot="du_lieu_sau_khi_nap")
    first = page.locator("#du-lieu-history tbody tr").nth(1)       # row 0 holds the headers
    cells = {c: first.locator(f'td[data-dash-column="{c}"]').inner_text()
             for c in ("file_name", "rows_loaded", "rows_rejected", "loaded_by")}
    assert cells == {"file_name": "stp_thang_9.xlsx", "rows_loaded": "7", "rows_rejected": "2",
                     "loaded_by": "chuyenvien"}
    assert "stp_thang_9.xlsx" in page.locator("#du-lieu-rejects").inner_text()
    after = cli_total(db, "2022-09-01", "2022-09-30", "STP")
    assert (after["received_new"], after["resolved"]) == (STP_SEPTEMBER, STP_SEPTEMBER_RESOLVED)
    assert _loads(db) == before_loads + [(before_loads[-1][0] + 1, "stp_thang_9.xlsx")]
    # the upload stores the figures the Chỉ số CCHC page reads, like python -m etl import (par_data_refresh)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT checked_import_id FROM par_data_values_state").fetchall() == [(_loads(db)[-1][0],)]
    with sqlite3.connect(db.with_name("cchc.accounts.sqlite")) as con:
        audit = con.execute("SELECT actor, detail FROM audit_log WHERE action = 'load'").fetchall()
    assert audit == [("chuyenvien", "stp_thang_9.xlsx: đọc 9 dòng, thêm mới 7, cập nhật 0, bị loại 2")]
    assert errors == []
    page.close()


def _docx_named_xlsx(path) -> None:
    import docx
    document = docx.Document()
    document.add_paragraph("Báo cáo tháng 9 — không phải bảng số liệu")
    document.save(str(path))


def test_files_are_sent_in_name_order_whatever_order_they_were_read_in(browser):
    """dcc.Upload lists the chosen files in the order their reading finished, which varies on a busy computer: the
    files past what one upload carries were then any of them (the suite failed once so: another file held back than
    phan_3, the last by name). The page's own script (assets/upload_sizes.js) takes them in name order, numbers read as numbers."""
    from pathlib import Path
    page, errors = new_page(browser)
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(Path(__file__).resolve().parents[1] / "assets" / "upload_sizes.js"))
    one_kb = "data:text/csv;base64," + "QUJD" * 342          # 1.026 bytes once decoded
    read_in = ["phan_10.csv", "phan_3.csv", "phan_1.csv", "phan_2.csv"]
    sent, emptied = page.evaluate("([contents, names, limits]) => window.dash_clientside.cchc_upload.sent("
                                  "contents, names, limits)", [[one_kb] * 4, read_in, {"request": 3 * 1026}])
    assert sent["names"] == ["phan_1.csv", "phan_2.csv", "phan_3.csv"] and len(sent["contents"]) == 3
    assert sent["over_total"] == [["phan_10.csv", 1026]] and emptied is None
    assert errors == []
    page.close()


def test_refused_files_are_explained_and_nothing_is_kept(browser, fixture_db, tmp_path):
    url, db, proc = _serve(fixture_db, tmp_path, env={"CCHC_UPLOAD_MAX_MB": "0.06"})
    try:
        before_hash, before_loads = _digest(db), _loads(db)
        fake = tmp_path / "ho_so_thang_9.xlsx"
        _docx_named_xlsx(fake)
        missing = tmp_path / "thieu_cot.xlsx"
        _write_export(missing, LINES[:3], header=[h if h != "Ngày tiếp nhận" else "Ghi chú" for h in HEADER])
        huge = tmp_path / "qua_lon.csv"
        huge.write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận\n" + "X-0001,Sở Tư pháp,01/09/2022\n" * 3000,
                        encoding="utf-8")
        assert fake.stat().st_size < 0.06 * 1024 * 1024 < huge.stat().st_size
        page, errors = _login(browser, url, "quantri")
        sent = []   # the size of every callback request the page sends
        page.on("request", lambda r: sent.append(len(r.post_data_buffer or b"")) if "_dash-update" in r.url else None)
        expected = {fake: "Tệp ho_so_thang_9.xlsx là văn bản Word (.docx) mang đuôi .xlsx",
                    missing: "Ngày tiếp nhận"}
        for path, words in expected.items():
            _upload(page, path)
            page.wait_for_function(
                f"document.querySelector('.du-lieu-upload-refused')?.innerText.includes({json.dumps(words)})",
                timeout=120_000)
            assert page.locator(".du-lieu-upload-ready").count() == 0
            assert page.get_by_role("button", name="Nạp dữ liệu").is_disabled()
            assert _staged(db) == []                                   # nothing of a refused file is kept
        # A file over the limit is not even read by the browser (a file of gigabytes failed silently): the box under
        # the upload says it in the server's words, and no request carries it.
        sent.clear()
        _upload(page, huge)
        page.wait_for_function("document.querySelector('#du-lieu-upload-too-large').innerText.includes('qua_lon.csv')",
                               timeout=30_000)
        show(page, shot="du_lieu_tep_bi_tu_choi")
        said = page.locator("#du-lieu-upload-too-large").inner_text()
        assert f"có dung lượng {huge.stat().st_size:,} byte".replace(",", ".") in said
        assert "vượt giới hạn 62.914 byte cho mỗi tệp tải lên" in said and _staged(db) == []
        assert max(sent, default=0) < huge.stat().st_size
        assert "mỗi tệp tối đa 62.914 byte" in page.locator("#du-lieu-upload-section").inner_text()
        assert _digest(db) == before_hash and _loads(db) == before_loads
        # A request larger than any upload (sent by hand: the page holds such files back) is refused unread.
        analyst = Client(url)
        assert analyst.login("chuyenvien")[0] == 302
        status, _, body = analyst.callback(_preview_request("data:text/csv;base64," + "QUJD" * 1_300_000))
        assert status == 413 and "Yêu cầu quá lớn: mỗi lần tải lên mang tối đa 125.828 byte tệp" in body
        assert _staged(db) == []
        # Files each under the limit but past what one upload carries (two files at the limit): the last one waits
        # for another upload, said; it is not sent either.
        parts = [tmp_path / f"phan_{n}.csv" for n in (1, 2, 3)]
        for n, part in enumerate(parts, 1):
            part.write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận\n" + f"P{n}-0001,Sở Tư pháp,01/09/2022\n" * 1700,
                            encoding="utf-8")
        assert parts[0].stat().st_size < 62_914 < 2 * parts[0].stat().st_size < 125_828 < 3 * parts[0].stat().st_size
        sent.clear()
        page.set_input_files("#du-lieu-upload input[type=file]", [str(p) for p in parts])
        page.wait_for_function("document.querySelector('.du-lieu-upload-refused')?.innerText.includes('phan_3.csv')",
                               timeout=120_000)
        refused = page.locator(".du-lieu-upload-refused").inner_text()
        assert "chưa được tải lên: mỗi lần tải lên mang tối đa 125.828 byte" in refused and "phan_1" not in refused
        assert max(sent) < 3 * parts[0].stat().st_size * 4 // 3
        page.get_by_role("button", name="Hủy").click()
        page.wait_for_function("document.querySelector('#du-lieu-upload-preview').innerText.includes('Đã hủy')")
        assert _staged(db) == []
        # Two files at once, one refused: the other is previewed, kept alone and loaded alone.
        good = tmp_path / "stp_thang_9.xlsx"
        _write_export(good, LINES)
        page.set_input_files("#du-lieu-upload input[type=file]", [str(fake), str(good)])
        page.wait_for_selector("#du-lieu-upload-1-ready", timeout=120_000)
        assert page.locator("#du-lieu-upload-too-large").inner_text() == ""   # said of the files chosen last
        assert "ho_so_thang_9.xlsx" in page.locator(".du-lieu-upload-refused").inner_text()
        assert page.locator("#du-lieu-upload-1-rows_loaded").inner_text() == str(EXPECTED["rows_loaded"])
        [token] = _staged(db)
        assert sorted(p.name for p in (db.with_name(db.name + ".uploads") / token / "tep").iterdir()) == [good.name]
        page.get_by_role("button", name="Nạp dữ liệu").click()
        page.wait_for_selector("#du-lieu-upload-done", timeout=180_000)
        assert [f for _, f in _loads(db)] == [f for _, f in before_loads] + [good.name]
        # The admin's audit page: the load among the events, and in the loads with who loaded it.
        show(page, url + "/nhat-ky")
        loads = [r for r in page.locator("#nhat-ky-events tr").all_inner_texts() if "Nạp dữ liệu" in r]
        assert len(loads) == 1 and "quantri" in loads[0] and "stp_thang_9.xlsx: đọc 9 dòng" in loads[0]
        assert page.locator('#nhat-ky-loads td[data-dash-column="loaded_by"]').first.inner_text() == "quantri"
        assert errors == []
        page.close()
    finally:
        stop_app(proc)


def _preview_request(content: str = "data:text/csv;base64,TcOjIGjhu5Mgc8ahLMSQxqFuIHbhu4sK") -> dict:
    """The upload's preview callback as a browser sends it (what assets/upload_sizes.js passes on), a small CSV."""
    sent = {"contents": [content], "names": ["ho_so.csv"], "too_large": [], "over_total": []}
    return {"output": "..du-lieu-upload-preview.children...du-lieu-upload-token.data..",
            "outputs": [{"id": "du-lieu-upload-preview", "property": "children"},
                        {"id": "du-lieu-upload-token", "property": "data"}],
            "inputs": [{"id": "du-lieu-upload-sent", "property": "data", "value": sent}],
            "changedPropIds": ["du-lieu-upload-sent.data"],
            "state": [{"id": "du-lieu-upload-token", "property": "data", "value": None}]}


def _load_request(token: str = "0" * 32) -> dict:
    """The 'Nạp dữ liệu' button's background callback, as its first request."""
    return {"output": "..du-lieu-upload-result.children...du-lieu-upload-token.data..",
            "outputs": [{"id": "du-lieu-upload-result", "property": "children"},
                        {"id": "du-lieu-upload-token", "property": "data"}],
            "inputs": [{"id": "du-lieu-upload-load", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["du-lieu-upload-load.n_clicks"],
            "state": [{"id": "du-lieu-upload-token", "property": "data", "value": token}]}


def test_accounts_without_the_right_are_refused_even_when_forged(server):
    url, db = server
    before_hash, before_loads = _digest(db), _loads(db)
    for name in ("lanhdao", "donvi"):
        visitor = Client(url)
        assert visitor.login(name)[0] == 302
        status, _, body = visitor.callback(page_request("/du-lieu"))
        assert "du-lieu-upload" not in body                           # the page has no upload for them
        for forged in (_preview_request(), _load_request()):
            status, _, body = visitor.callback(forged)
            assert status == 403, (name, body[:300])
            assert "không được xem" in json.loads(body)["error"]
    # a leader's request as large as an upload is refused before it is read (9 MB of JSON: parsing it for the
    # 403 cost the worker its size in memory)
    leader = Client(url)
    assert leader.login("lanhdao")[0] == 302
    status, _, body = leader.callback(_preview_request("data:text/csv;base64," + "QUJD" * 2_400_000))
    assert status == 403 and "không được xem" in json.loads(body)["error"]
    analyst = Client(url)
    assert analyst.login("chuyenvien")[0] == 302
    status, _, body = analyst.callback(page_request("/du-lieu"))
    assert status == 200 and "du-lieu-upload" in body
    assert _digest(db) == before_hash and _loads(db) == before_loads and _staged(db) == []
    with sqlite3.connect(db.with_name("cchc.accounts.sqlite")) as con:
        denied = con.execute("SELECT actor FROM audit_log WHERE action = 'denied' AND detail LIKE '%du-lieu-upload%'"
                             ).fetchall()
    assert sorted({a for (a,) in denied}) == ["donvi", "lanhdao"]
    with sqlite3.connect(db.with_name("cchc.accounts.sqlite")) as con:
        large = con.execute("SELECT actor, detail FROM audit_log WHERE action = 'denied' AND detail LIKE '% byte)'"
                            ).fetchall()
    assert [actor for actor, _ in large] == ["lanhdao"] and large[0][1].startswith("/_dash-update-component (96")


def _history_files(page) -> list[str]:
    return page.locator('#du-lieu-history td[data-dash-column="file_name"]').all_inner_texts()


def test_an_upload_lands_while_another_browser_keeps_reading_the_old_figures(browser, server, tmp_path):
    url, db = server
    export = tmp_path / "stp_thang_9.xlsx"
    _write_export(export, LINES)
    loader, loader_errors = _login(browser, url, "chuyenvien")
    reader, reader_errors = _login(browser, url, "lanhdao")
    assert reader.locator("#du-lieu-upload-section").count() == 0    # a leader reads the page, does not load
    old_files = _history_files(reader)
    _upload(loader, export)
    loader.wait_for_selector("#du-lieu-upload-0-ready", timeout=120_000)
    # Another load holds the database's load lock (as `etl import` on the server would): the upload's load waits
    # at its first stage, and meanwhile the other browser is served the old file.
    with open(db.with_name(db.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        loader.get_by_role("button", name="Nạp dữ liệu").click()
        loader.wait_for_selector("#du-lieu-upload-running", state="visible", timeout=30_000)
        loader.wait_for_function("document.querySelector('#du-lieu-upload-progress-text').innerText"
                                 ".includes('Đang chép')", timeout=30_000)
        show(reader, url + "/du-lieu")
        assert _history_files(reader) == old_files
        assert loader.locator("#du-lieu-upload-done").count() == 0
        fcntl.flock(lock, fcntl.LOCK_UN)
    loader.wait_for_selector("#du-lieu-upload-done", timeout=180_000)
    show(reader, url + "/du-lieu")
    assert _history_files(reader) == ["stp_thang_9.xlsx"] + old_files
    assert reader.locator('#du-lieu-history td[data-dash-column="loaded_by"]').first.inner_text() == "chuyenvien"
    assert loader_errors == [] and reader_errors == []
