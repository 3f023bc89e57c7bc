"""The Flask side of accounts, wired by install(): login and logout, signed session cookies, the failed-login
limit, the guard and the audit (accounts.guard)."""
from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, redirect, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from accounts.guard import audit_downloads, guard
from accounts.login_page import LOGIN_PATH, LOGOUT_PATH, login_page, refusal, safe_next
from accounts.passwords import hash_password, needs_rehash, verify_password
from accounts.session import (SESSION_ID, AccountUser, CookieSessions, configure, current_store, load_user,
                              request_viewer)

# Per client address and per worker process (Flask-Limiter's memory storage: with N gunicorn workers an address
# gets up to N times this before every worker refuses it). Only failed attempts count.
FAILED_LOGIN_LIMIT = "5 per minute; 20 per hour"
SESSION_HOURS = 12                  # a working day: then the cookie's signature is refused and a login asked
# A refused attempt is written to the audit trail at most once a minute per address (and worker): the limit
# exists because someone is guessing, and a row per guess would let them fill the trail.
_BLOCKED_AUDIT_SECONDS = 60
_blocked_audited: dict[str, float] = {}


def _cross_site() -> bool:
    """A login or logout posted from another site (a login-CSRF form): the browser says so in Sec-Fetch-Site,
    older ones only in Origin."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def _login():
    store = current_store()
    if not store.has_accounts():
        return redirect("/")
    if request.method in ("GET", "HEAD"):   # a HEAD checked no password: it hashed one, and logged a failure (probe 55)
        if current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")))
        return login_page()
    if _cross_site():
        return refusal(403, "Yêu cầu đăng nhập không đến từ trang này.")
    name = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    account = store.get(name) if name else None
    usable = account is not None and account.is_active
    if not verify_password(account.password_hash if usable else None, password):
        why = "tên không có" if account is None else "tài khoản đã khóa" if not account.is_active else "sai mật khẩu"
        store.audit("login_failed", name or None, why, request.remote_addr)   # never the password
        return login_page(401, "Tên đăng nhập hoặc mật khẩu không đúng.", name)
    session.clear()   # nothing of a session from before the login is carried into it
    login_user(AccountUser(account))
    session[SESSION_ID] = secrets.token_urlsafe(16)
    session.permanent = True
    store.record_login(account.username, request.remote_addr,
                       hash_password(password) if needs_rehash(account.password_hash) else None)
    return redirect(safe_next(request.form.get("next")))


def _logout():
    if _cross_site():
        return refusal(403, "Yêu cầu đăng xuất không đến từ trang này.")
    viewer = request_viewer()
    if viewer is not None and not viewer.is_trial:
        current_store().audit("logout", viewer.username, None, request.remote_addr)
        if session.get(SESSION_ID):
            current_store().end_session(session[SESSION_ID], SESSION_HOURS)
    logout_user()
    session.clear()
    return redirect(LOGIN_PATH)


def _too_many_attempts(_error):
    name = request.form.get("username", "").strip()[:64]
    client, now = request.remote_addr or "", time.monotonic()
    if now - _blocked_audited.get(client, -_BLOCKED_AUDIT_SECONDS) >= _BLOCKED_AUDIT_SECONDS:
        if len(_blocked_audited) > 4096:   # many addresses at once: forget them all rather than grow
            _blocked_audited.clear()
        _blocked_audited[client] = now
        current_store().audit("login_blocked", name or None, "quá nhiều lần sai, tạm chặn máy này", client)
    return login_page(429, "Đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau ít phút.", name)


def install(server: Flask, accounts_path) -> None:
    """Puts the accounts kept in accounts_path in front of a Flask server, before its first request."""
    configure(server, accounts_path)
    proxies = int(os.environ.get("CCHC_PROXIES", "0"))
    if proxies:   # behind N trusted reverse proxies: the client's address and scheme come from their headers
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    server.config.update(SESSION_COOKIE_NAME="cchc_session", SESSION_COOKIE_HTTPONLY=True,
                         SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
                         REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax")
    server.session_interface = CookieSessions()
    manager = LoginManager(server)
    manager.session_protection = "strong"   # a cookie replayed from another address or browser is dropped
    manager.user_loader(load_user)
    limiter = Limiter(get_remote_address, app=server, storage_uri="memory://", default_limits=[])
    login_view = limiter.limit(FAILED_LOGIN_LIMIT, methods=["POST"],
                               deduct_when=lambda response: response.status_code == 401)(_login)
    server.add_url_rule(LOGIN_PATH, "cchc_login", login_view, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "cchc_logout", _logout, methods=["POST"])
    server.register_error_handler(429, _too_many_attempts)
    server.before_request(guard)
    server.after_request(audit_downloads)
