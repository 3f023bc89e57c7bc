"""A real server with accounts: without a session every page, callback and download answers 302/401 and no
data; each role gets what operations.md gives it and a forged request for more gets 403; failed logins are
limited; the audit trail records logins, refusals and downloads, never a password."""
import json
import sqlite3
import urllib.request

import pytest

from tests.accounts_support import (PASSWORDS, Client, accounts_cmd, forged_page_requests, page_request,
                                    rejects_download_request, serve_with_accounts)
from tests.browser_support import stop_app

REJECTED = "Thiếu mã hồ sơ"        # a rejected row's reason in the fixture database (10_dong_loi.xlsx)
UNIT_NAME = "Sở Tư pháp"           # the unit of every fixture row: in any answer that carries data


@pytest.fixture(scope="module")
def server(fixture_db, tmp_path_factory):
    """The dashboard on a copy of the fixture database, an account of every role beside it. Behind a 'proxy'
    (CCHC_PROXIES=1): each test sends its own X-Forwarded-For, so the failed-login limit of one address does
    not lock the others out."""
    url, db, proc = serve_with_accounts(fixture_db, tmp_path_factory.mktemp("accounts_server"), {"CCHC_PROXIES": "1"})
    yield url, db
    stop_app(proc)


def _client(server, address: str) -> Client:
    return Client(server[0], headers={"X-Forwarded-For": address})


def _audit(db) -> list[tuple]:
    with sqlite3.connect(db.with_name("cchc.accounts.sqlite")) as con:
        return con.execute("SELECT actor, action, detail, client FROM audit_log ORDER BY event_id").fetchall()


def test_without_a_session_nothing_is_served(server):
    visitor = _client(server, "10.0.0.1")
    for path in ("/", "/du-lieu", "/ho-so-tre-han?don_vi=STP", "/nhat-ky"):
        status, headers, body = visitor.get(path)
        assert status == 302 and headers["Location"].startswith("/dang-nhap?next=/"), (path, status)
        assert UNIT_NAME not in body
    for path in ("/_dash-layout", "/_dash-dependencies"):
        status, _, body = visitor.get(path)
        assert status == 401 and "Cần đăng nhập" in json.loads(body)["error"], path
    for request in (page_request("/du-lieu"), rejects_download_request()):
        status, _, body = visitor.callback(request)
        assert status == 401 and REJECTED not in body and UNIT_NAME not in body
    status, _, body = visitor.get("/_health")
    assert (status, body) == (200, "OK")
    status, _, body = visitor.get("/dang-nhap?next=/du-lieu")
    assert status == 200 and 'name="password"' in body and 'value="/du-lieu"' in body


def test_a_login_gives_a_signed_httponly_samesite_cookie_and_the_page_asked_for(server):
    visitor = _client(server, "10.0.0.2")
    status, headers, _ = visitor.post_form("/dang-nhap", {"username": "chuyenvien", "password": PASSWORDS["chuyenvien"],
                                                          "next": "/du-lieu?x=1"})
    assert status == 302 and headers["Location"] == "/du-lieu?x=1"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("cchc_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie                                   # plain http here…
    https = _client(server, "10.0.0.2")
    _, headers, _ = https.login("chuyenvien", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in headers["Set-Cookie"]                        # …Secure when the visitor came over https
    status, _, body = visitor.callback(page_request("/du-lieu"))
    assert status == 200 and REJECTED in json.dumps(json.loads(body), ensure_ascii=False)
    # Elsewhere only: after the login the user is sent to a page of this site, never another site.
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        status, headers, _ = _client(server, "10.0.0.2").post_form(
            "/dang-nhap", {"username": "chuyenvien", "password": PASSWORDS["chuyenvien"], "next": target})
        assert status == 302 and headers["Location"] == "/", target


@pytest.mark.parametrize("name, data_page, audit_page", [("quantri", 200, 200), ("chuyenvien", 200, 403),
                                                         ("lanhdao", 200, 403), ("donvi", 403, 403)])
def test_each_role_reaches_what_it_may_and_forged_requests_get_nothing(server, name, data_page, audit_page):
    visitor = _client(server, f"10.0.1.{len(name)}")
    assert visitor.login(name)[0] == 302
    assert visitor.get("/")[0] == 200
    assert visitor.callback(page_request("/"))[0] == 200
    # The Dữ liệu page (other units' rejected rows): by address, by the page's callback, by its download.
    assert visitor.get("/du-lieu")[0] == data_page
    status, _, body = visitor.callback(page_request("/du-lieu"))
    assert status == data_page and (REJECTED in json.dumps(json.loads(body), ensure_ascii=False)) == (status == 200)
    for forged in forged_page_requests("/du-lieu") if data_page == 403 else []:   # a role refused the page
        status, _, body = visitor.callback(forged)
        assert status == 403 and REJECTED not in body and UNIT_NAME not in body
    status, _, body = visitor.callback(rejects_download_request())
    assert status == data_page and ("dong_bi_loai.xlsx" in body) == (status == 200)
    # The audit page: admins only.
    assert visitor.get("/nhat-ky")[0] == audit_page
    status, _, body = visitor.callback(page_request("/nhat-ky"))
    assert status == audit_page and ("Đăng nhập" in json.dumps(json.loads(body), ensure_ascii=False)) == (status == 200)
    if status == 403:
        assert json.loads(body)["error"] == "Tài khoản của bạn không được xem nội dung này."


def test_the_audit_trail_records_logins_refusals_and_downloads_never_a_password(server):
    url, db = server
    visitor = _client(server, "10.0.2.1")
    assert visitor.login("quantri", "mat-khau-sai-het")[0] == 401
    assert visitor.login("khong_ai_ca", "mat-khau-sai-het")[0] == 401
    assert visitor.login("quantri")[0] == 302
    assert visitor.callback(rejects_download_request())[0] == 200
    unit = _client(server, "10.0.2.2")
    unit.login("donvi")
    unit.get("/nhat-ky")
    assert visitor.post_form("/dang-xuat", {})[0] == 302
    events = [e for e in _audit(db) if e[3] in ("10.0.2.1", "10.0.2.2")]
    assert events == [("quantri", "login_failed", "sai mật khẩu", "10.0.2.1"),
                      ("khong_ai_ca", "login_failed", "tên không có", "10.0.2.1"),
                      ("quantri", "login", None, "10.0.2.1"),
                      ("quantri", "download", "dong_bi_loai.xlsx", "10.0.2.1"),
                      ("donvi", "login", None, "10.0.2.2"),
                      ("donvi", "denied", "/nhat-ky", "10.0.2.2"),
                      ("quantri", "logout", None, "10.0.2.1")]
    stored = b"".join(p.read_bytes() for p in db.parent.glob("cchc.accounts.*"))
    assert b"mat-khau-sai-het" not in stored and PASSWORDS["quantri"].encode() not in stored
    # Logged out: the cookie the browser still holds opens nothing.
    assert visitor.get("/")[0] == 302 and visitor.get("/_dash-layout")[0] == 401


def test_a_copy_of_the_cookie_opens_nothing_after_the_logout(server):
    """The session lives in the signed cookie: a copy taken before the logout still opened every page for the rest
    of its 12 hours (probe 21). A logout now ends that session on the server too; another session goes on."""
    visitor, other = _client(server, "10.0.4.1"), _client(server, "10.0.4.2")
    assert visitor.login("chuyenvien")[0] == 302 and other.login("chuyenvien")[0] == 302
    copied = next(c.value for c in visitor.cookies if c.name == "cchc_session")
    # from another address the copy opens nothing at all (probe 55: Flask-Login's «strong» protection kept a permanent
    # session); from the same address and browser it is the session itself, until the logout
    elsewhere = Client(server[0], headers={"X-Forwarded-For": "10.0.4.3", "Cookie": f"cchc_session={copied}"})
    assert elsewhere.get("/")[0] == 302 and elsewhere.get("/_dash-layout")[0] == 401
    thief = Client(server[0], headers={"X-Forwarded-For": "10.0.4.1", "Cookie": f"cchc_session={copied}"})
    assert thief.get("/")[0] == 200
    assert visitor.post_form("/dang-xuat", {})[0] == 302
    assert thief.get("/")[0] == 302 and thief.get("/_dash-layout")[0] == 401
    assert thief.callback(page_request("/du-lieu"))[0] == 401
    assert other.get("/")[0] == 200   # the same account's session in another browser is not ended


def test_a_head_request_to_the_login_checks_no_password(server):
    """HEAD /dang-nhap went down the POST path: a password hashed (half a second of CPU) and a failed login written to
    the audit trail, for anyone, without the limit on failed logins (probe 55)."""
    url, db = server
    before = len(_audit(db))
    req = urllib.request.Request(url.rstrip("/") + "/dang-nhap", method="HEAD",
                                 headers={"X-Forwarded-For": "10.0.5.1"})
    for _ in range(3):
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.status == 200
    assert len(_audit(db)) == before


def test_failed_logins_are_limited(server):
    url, db = server
    visitor = _client(server, "10.0.3.1")
    for _ in range(5):
        assert visitor.login("quantri", "doan-mo-mat-khau")[0] == 401
    status, _, body = visitor.login("quantri")                      # even the right password, for a while
    assert status == 429 and "Đăng nhập sai quá nhiều lần" in body
    assert _client(server, "10.0.3.2").login("quantri")[0] == 302    # another address is not locked out
    # The block is in the audit trail (it was not, probe 21), once however many guesses it refuses.
    assert visitor.login("quantri", "doan-mo-mat-khau")[0] == 429
    events = [e[1:3] for e in _audit(db) if e[3] == "10.0.3.1"]
    assert events == [("login_failed", "sai mật khẩu")] * 5 + [("login_blocked", "quá nhiều lần sai, tạm chặn máy này")]


def test_a_new_password_or_a_lock_ends_open_sessions(server):
    url, db = server
    visitor = _client(server, "10.0.4.1")
    assert visitor.login("lanhdao")[0] == 302 and visitor.get("/")[0] == 200
    new_password = "mat-khau-moi-cua-lanh-dao"
    assert accounts_cmd("passwd", "lanhdao", "--db", str(db), password=new_password).returncode == 0
    assert visitor.get("/")[0] == 302
    assert visitor.login("lanhdao", new_password)[0] == 302 and visitor.get("/")[0] == 200
    assert accounts_cmd("disable", "lanhdao", "--db", str(db)).returncode == 0
    assert visitor.get("/")[0] == 302 and visitor.login("lanhdao", new_password)[0] == 401
    assert accounts_cmd("enable", "lanhdao", "--db", str(db)).returncode == 0
    assert accounts_cmd("passwd", "lanhdao", "--db", str(db), password=PASSWORDS["lanhdao"]).returncode == 0


def test_a_login_posted_from_another_site_is_refused(server):
    visitor = _client(server, "10.0.5.1")
    status, _, _ = visitor.login("quantri", headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403 and visitor.get("/")[0] == 302
    assert visitor.login("quantri", headers={"Origin": "http://evil.example"})[0] == 403


def _pack_request() -> dict:
    """The Báo cáo page's 'Lập và tải gói báo cáo' button, as the browser sends it (a background job)."""
    return {"output": "..bao-cao-pack-download.data...bao-cao-pack-status.children..",
            "outputs": [{"id": "bao-cao-pack-download", "property": "data"},
                        {"id": "bao-cao-pack-status", "property": "children"}],
            "inputs": [{"id": "bao-cao-pack-download-button", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["bao-cao-pack-download-button.n_clicks"],
            "state": [{"id": "bao-cao-query", "property": "data", "value": {"ky": "nam", "nam": "2022"}},
                      {"id": "bao-cao-pack-by", "property": "value", "value": "unit"},
                      {"id": "bao-cao-token", "property": "data", "value": "kiem-thu"}]}


def test_a_pack_built_in_the_background_is_guarded_and_its_download_recorded_once(server):
    import time
    from urllib.parse import urlencode

    url, db = server
    assert _client(server, "10.0.5.9").callback(_pack_request())[0] == 401   # no session: no job at all
    visitor = _client(server, "10.0.5.1")
    assert visitor.login("chuyenvien")[0] == 302
    status, _, body = visitor.callback(_pack_request())
    handle = json.loads(body)
    assert status == 200 and {"cacheKey", "job"} <= set(handle), body
    poll = "/_dash-update-component?" + urlencode({"cacheKey": handle["cacheKey"], "job": handle["job"]})
    answer = {}
    for _ in range(240):
        status, _, body = visitor.request(poll, json.dumps(_pack_request()).encode(),
                                          headers={"Content-Type": "application/json"})
        answer = json.loads(body)
        if status != 200 or "response" in answer:
            break
        time.sleep(0.5)
    sent = answer["response"]["bao-cao-pack-download"]["data"]
    assert sent["filename"] == "goi_bao_cao_tung_don_vi_Nam_2022.zip" and sent["base64"]
    events = [e for e in _audit(db) if e[3] == "10.0.5.1" and e[1] == "download"]
    assert events == [("chuyenvien", "download", "goi_bao_cao_tung_don_vi_Nam_2022.zip", "10.0.5.1")]   # not every poll
    # Another visitor's session cannot read the job with the handle (the poll is a callback like any other).
    assert _client(server, "10.0.5.2").request(poll, json.dumps(_pack_request()).encode(),
                                               headers={"Content-Type": "application/json"})[0] == 401
