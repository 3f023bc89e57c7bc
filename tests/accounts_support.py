"""Shared pieces of the accounts tests: the account command, and an HTTP client that keeps its cookies and
does not follow redirects (a 302 to the login page is an answer to check, not a page to fetch)."""
import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from tests.browser_support import start_app
from tests.conftest import ROOT

PASSWORDS = {"quantri": "Mật-khẩu quản trị 1", "chuyenvien": "mk-chuyen-vien-2", "lanhdao": "mk-lanh-dao-3",
             "donvi": "mk-don-vi-4"}
ROLES = {"quantri": ("admin", None), "chuyenvien": ("analyst", None), "lanhdao": ("leader", None),
         "donvi": ("unit", "STP")}
ROUTER = ".._pages_content.children..._pages_store.data.."   # Dash pages' router callback, as Dash names it


def accounts_cmd(*args, password: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python app.py accounts ARGS`, the password (if any) as one line of stdin, --password-stdin added."""
    argv = [sys.executable, "app.py", "accounts", *args] + (["--password-stdin"] if password is not None else [])
    return subprocess.run(argv, cwd=ROOT, input=None if password is None else password + "\n", capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def add_every_role(db, env: dict | None = None) -> None:
    for name, (role, unit) in ROLES.items():
        proc = accounts_cmd("add", name, "--role", role, *(["--unit", unit] if unit else []), "--db", str(db),
                            password=PASSWORDS[name], env=env)
        assert proc.returncode == 0, proc.stderr


def serve_with_accounts(fixture_db, folder, env: dict | None = None):
    """The dashboard on a copy of the fixture database with an account of every role beside it; returns the
    base URL, the database path and the process."""
    db = folder / "cchc.duckdb"
    shutil.copyfile(fixture_db, db)
    add_every_role(db)
    url, proc = start_app(db, folder / "app.log", env=env)
    return url, db, proc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One visitor: its own cookie jar; every answer returned as (status, headers, body text)."""

    def __init__(self, base_url: str, headers: dict | None = None):
        self.base = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())
        self.headers = headers or {}

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.base + path, data=data, headers={**self.headers, **(headers or {})})
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read().decode("utf-8", "replace")

    def get(self, path: str, **kw):
        return self.request(path, **kw)

    def post_form(self, path: str, fields: dict, **kw):
        return self.request(path, urllib.parse.urlencode(fields).encode(), **kw)

    def callback(self, body: dict, **kw):
        return self.request("/_dash-update-component", json.dumps(body).encode(),
                            headers={"Content-Type": "application/json", **kw.pop("headers", {})}, **kw)

    def login(self, name: str, password: str | None = None, **kw):
        return self.post_form("/dang-nhap", {"username": name, "password": password or PASSWORDS[name]}, **kw)


def page_request(path: str, search: str = "") -> dict:
    """The callback a browser sends to draw the page at path (Dash pages' router): a forged one for a page the
    role may not open must get nothing."""
    return {"output": ROUTER, "outputs": [{"id": "_pages_content", "property": "children"},
                                          {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}


def forged_page_requests(path: str) -> list[dict]:
    """The router callback with the page's address under other property names: Dash hands the router its inputs by
    position, so «/du-lieu» sent as the location's «href» or «search» draws that page too (probe 21)."""
    href = {"id": "_pages_location", "property": "href", "value": f"http://127.0.0.1{path}"}
    search_first = {"id": "_pages_location", "property": "search", "value": path}
    empty = {"id": "_pages_location", "property": "search", "value": ""}
    return [{**page_request(path), "inputs": inputs, "changedPropIds": [f"_pages_location.{inputs[0]['property']}"]}
            for inputs in ([href, empty], [search_first, empty])]


def rejects_download_request() -> dict:
    """The Dữ liệu page's 'Tải các dòng bị loại (.xlsx)' button, as the browser sends it."""
    return {"output": "du-lieu-rejects-download.data", "outputs": {"id": "du-lieu-rejects-download", "property": "data"},
            "inputs": [{"id": "du-lieu-rejects-download-button", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["du-lieu-rejects-download-button.n_clicks"],
            "state": [{"id": "du-lieu-rejects", "property": "sort_by", "value": []}]}
