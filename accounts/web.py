"""The Flask side of accounts: the guard in front of every page, callback and download, the login and logout
pages, signed session cookies, the failed-login limit, and the audit of logins, refusals and downloads."""
from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Flask, Response, current_app, g, has_request_context, jsonify, redirect, render_template_string, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from accounts.bind import is_local_host
from accounts.dash_requests import download_ids, output_ids, requested_paths, sent_file_names
from accounts.files import secret_file
from accounts.passwords import hash_password, needs_rehash, verify_password
from accounts.roles import Viewer, may_open, page_for_component, page_for_path
from accounts.secret import read_or_create_key
from accounts.store import Account, AccountStore

LOGIN_PATH = "/dang-nhap"
LOGOUT_PATH = "/dang-xuat"
HEALTH_PATH = "/_health"            # Dash's own health endpoint (Dash(health_endpoint=…)): "OK", no data
PUBLIC_PATHS = frozenset({LOGIN_PATH, HEALTH_PATH, "/_favicon.ico"})
CALLBACK_PATH = "/_dash-update-component"
SETUP_REQUEST = "cchc.setup_request"  # WSGI environ key of the app's own set-up request (app.py)
# Per client address and per worker process (Flask-Limiter's memory storage: with N gunicorn workers an address
# gets up to N times this before every worker refuses it). Only failed attempts count.
FAILED_LOGIN_LIMIT = "5 per minute; 20 per hour"
SESSION_HOURS = 12                  # a working day: then the cookie's signature is refused and a login asked
TRIAL = Viewer(None, None, None)
_TEMPLATE = (Path(__file__).with_name("login.html")).read_text(encoding="utf-8")

def configure(server: Flask, accounts_path) -> AccountStore:
    """Points a server at its accounts file (install(); again when `python app.py --db` names another file)."""
    server.extensions["cchc_accounts"] = AccountStore(accounts_path)
    return server.extensions["cchc_accounts"]


def current_store() -> AccountStore:
    """The accounts file of the server answering this request."""
    return current_app.extensions["cchc_accounts"]


def is_open_mode() -> bool:
    """No account exists: the trial mode, open to this machine only, with its banner."""
    return not current_store().has_accounts()


class _User(UserMixin):
    def __init__(self, account: Account):
        self.account = account

    def get_id(self) -> str:
        # The session's id carries the account's version: a new password or a lock bumps it, and every
        # cookie issued before stops loading a user (Flask-Login's "alternative token").
        return f"{self.account.username}:{self.account.session_version}"

    @property
    def is_active(self) -> bool:
        return self.account.is_active


def _load_user(token: str) -> _User | None:
    name, _, version = token.rpartition(":")
    account = current_store().get(name) if name else None
    if account is None or not account.is_active or str(account.session_version) != version:
        return None
    return _User(account)


def request_viewer() -> Viewer | None:
    """accounts.current_viewer(): the account of this request, TRIAL in the open mode, None outside a request
    or without a login (the guard has refused such a request before any page code runs)."""
    if not has_request_context():
        return None
    if "cchc_viewer" not in g:
        if is_open_mode():
            g.cchc_viewer = TRIAL
        elif current_user.is_authenticated:
            a = current_user.account
            g.cchc_viewer = Viewer(a.username, a.role, a.unit_code)
        else:
            g.cchc_viewer = None
    return g.cchc_viewer


class _SessionInterface(SecureCookieSessionInterface):
    """Signed cookies (HttpOnly, SameSite=Lax) that are also Secure whenever the request came over HTTPS, with
    the key read when first needed: a server started in the open mode gets its key once an account exists."""

    def get_signing_serializer(self, app):
        if not app.secret_key:
            key = os.environ.get("CCHC_SECRET_KEY")
            if not key and current_store().path.exists():
                key = read_or_create_key(secret_file(current_store().path))
            if not key:
                return None   # open mode: no session is ever written
            app.secret_key = key
        return super().get_signing_serializer(app)

    def get_cookie_secure(self, app) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


# -- the guard -------------------------------------------------------------------------------------------------
def _wants_json() -> bool:
    return request.path.startswith("/_") or request.method not in ("GET", "HEAD")


def _from_this_machine() -> bool:
    forwarded = any(h in request.headers for h in ("Forwarded", "X-Forwarded-For", "X-Real-IP"))
    return is_local_host(request.remote_addr) and not forwarded


def _refusal(status: int, message: str):
    if _wants_json():
        return jsonify(error=message), status
    return render_template_string(_TEMPLATE, refusal=message, error=None, username="", next="/"), status


def _guard():
    if request.path in PUBLIC_PATHS or request.environ.get(SETUP_REQUEST) is True:
        return None
    viewer = request_viewer()
    if viewer is TRIAL:
        if _from_this_machine():
            return None
        return _refusal(403, "Chế độ dùng thử (chưa có tài khoản nào) chỉ phục vụ chính máy chủ. Quản trị viên cần "
                             "tạo tài khoản quản trị: python app.py accounts add TÊN --role admin")
    if viewer is None:
        if _wants_json():
            return jsonify(error="Cần đăng nhập: phiên đăng nhập chưa có hoặc đã hết hạn.",
                           login=LOGIN_PATH), 401
        return redirect(f"{LOGIN_PATH}?next={quote(request.full_path.rstrip('?'), safe='/')}")
    denied = _denied_target(viewer)
    if denied:
        current_store().audit("denied", viewer.username, denied, request.remote_addr)
        return _refusal(403, "Tài khoản của bạn không được xem nội dung này.")
    return None


def _denied_target(viewer: Viewer) -> str | None:
    """What this request asks for that the viewer's role may not open: a restricted page by its address, or a
    callback that draws such a page (its pathname) or writes into one (its components' ids)."""
    targets = [request.path]
    if request.path == CALLBACK_PATH and request.method == "POST":
        body = request.get_json(silent=True) or {}   # parsed once: Flask keeps it for Dash's own read
        targets += requested_paths(body)
        for component_id in output_ids(body):
            page = page_for_component(component_id)
            if page and not may_open(viewer, page):
                return f"{page.path} ({component_id})"
    for path in targets:
        page = page_for_path(path)
        if page and not may_open(viewer, page):
            return path
    return None


def _audit_downloads(response: Response) -> Response:
    viewer = g.get("cchc_viewer")
    if (viewer is None or viewer.is_trial or request.path != CALLBACK_PATH or response.status_code != 200
            or response.direct_passthrough):
        return response
    ids = download_ids(request.get_json(silent=True) or {})
    if ids:
        try:
            names = sent_file_names(json.loads(response.get_data()), ids)
        except (ValueError, UnicodeDecodeError):   # an answer not in plain JSON (compressed): name the button
            names = ids
        if names:
            current_store().audit("download", viewer.username, ", ".join(names), request.remote_addr)
    return response


# -- login and logout ------------------------------------------------------------------------------------------
def _safe_next(target: str | None) -> str:
    """Only a path of this site: '//evil.example' or 'https://…' would send the user away after the login."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc or "\\" in target:
        return "/"
    return target


def _cross_site() -> bool:
    """A login or logout posted from another site (a login-CSRF form): the browser says so in Sec-Fetch-Site,
    older ones only in Origin."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def _login_page(status: int = 200, error: str | None = None, username: str = ""):
    next_url = _safe_next(request.values.get("next"))
    return render_template_string(_TEMPLATE, refusal=None, error=error, username=username, next=next_url), status


def _login():
    store = current_store()
    if not store.has_accounts():
        return redirect("/")
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return _login_page()
    if _cross_site():
        return _refusal(403, "Yêu cầu đăng nhập không đến từ trang này.")
    name = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    account = store.get(name) if name else None
    usable = account is not None and account.is_active
    if not verify_password(account.password_hash if usable else None, password):
        why = "tên không có" if account is None else "tài khoản đã khóa" if not account.is_active else "sai mật khẩu"
        store.audit("login_failed", name or None, why, request.remote_addr)   # never the password
        return _login_page(401, "Tên đăng nhập hoặc mật khẩu không đúng.", name)
    session.clear()   # nothing of a session from before the login is carried into it
    login_user(_User(account))
    session.permanent = True
    store.record_login(account.username, request.remote_addr,
                       hash_password(password) if needs_rehash(account.password_hash) else None)
    return redirect(_safe_next(request.form.get("next")))


def _logout():
    if _cross_site():
        return _refusal(403, "Yêu cầu đăng xuất không đến từ trang này.")
    viewer = request_viewer()
    if viewer is not None and not viewer.is_trial:
        current_store().audit("logout", viewer.username, None, request.remote_addr)
    logout_user()
    session.clear()
    return redirect(LOGIN_PATH)


def _too_many_attempts(_error):
    return _login_page(429, "Đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau ít phút.",
                       request.form.get("username", "").strip()[:64])


def install(server: Flask, accounts_path) -> None:
    """Puts the accounts kept in accounts_path in front of a Flask server, before its first request."""
    configure(server, accounts_path)
    proxies = int(os.environ.get("CCHC_PROXIES", "0"))
    if proxies:   # behind N trusted reverse proxies: the client's address and scheme come from their headers
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    server.config.update(SESSION_COOKIE_NAME="cchc_session", SESSION_COOKIE_HTTPONLY=True,
                         SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
                         REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax")
    server.session_interface = _SessionInterface()
    manager = LoginManager(server)
    manager.session_protection = "strong"   # a cookie replayed from another address or browser is dropped
    manager.user_loader(_load_user)
    limiter = Limiter(get_remote_address, app=server, storage_uri="memory://", default_limits=[])
    login_view = limiter.limit(FAILED_LOGIN_LIMIT, methods=["POST"],
                               deduct_when=lambda response: response.status_code == 401)(_login)
    server.add_url_rule(LOGIN_PATH, "cchc_login", login_view, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "cchc_logout", _logout, methods=["POST"])
    server.register_error_handler(429, _too_many_attempts)
    server.before_request(_guard)
    server.after_request(_audit_downloads)
