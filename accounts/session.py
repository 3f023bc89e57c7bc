"""Who is asking: the accounts file of the server, the logged-in account (Flask-Login) and its signed cookie."""
from __future__ import annotations

import os

from flask import Flask, current_app, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import UserMixin, current_user

from accounts.files import secret_file
from accounts.roles import Viewer
from accounts.secret import read_or_create_key
from accounts.store import Account, AccountStore

TRIAL = Viewer(None, None, None)


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


class AccountUser(UserMixin):
    def __init__(self, account: Account):
        self.account = account

    def get_id(self) -> str:
        # The session's id carries the account's version: a new password or a lock bumps it, and every
        # cookie issued before stops loading a user (Flask-Login's "alternative token").
        return f"{self.account.username}:{self.account.session_version}"

    @property
    def is_active(self) -> bool:
        return self.account.is_active


# The session's own id, set at login: a logout records it as ended (AccountStore.end_session).
SESSION_ID = "cchc_sid"


def load_user(token: str) -> AccountUser | None:
    name, _, version = token.rpartition(":")
    account = current_store().get(name) if name else None
    if account is None or not account.is_active or str(account.session_version) != version:
        return None
    ended = session.get(SESSION_ID)
    if ended and current_store().session_ended(ended):   # logged out: a copy of its cookie opens nothing
        return None
    return AccountUser(account)


def request_viewer() -> Viewer | None:
    """accounts.current_viewer(): the account of this request, TRIAL in the open mode, None outside a request
    or without a login (the guard has refused such a request before any page code runs)."""
    if not has_request_context():
        return None
    if "cchc_viewer" not in g:
        if is_open_mode():
            g.cchc_viewer = TRIAL
        elif current_user.is_authenticated and not _replayed_elsewhere():
            a = current_user.account
            g.cchc_viewer = Viewer(a.username, a.role, a.unit_code)
        else:
            g.cchc_viewer = None
    return g.cchc_viewer


def _replayed_elsewhere() -> bool:
    """Whether the session cookie comes from another address or browser than the one that logged in (Flask-Login's
    identifier of the login, kept in the session): such a cookie is dropped. Flask-Login's «strong» protection does
    not drop it for a permanent session — ours are, for their lifetime — and only marks it not fresh (probe 55: a
    cookie replayed from another machine was served)."""
    manager = current_app.login_manager
    said = session.get("_id")
    if said is None or said == manager._session_identifier_generator():
        return False
    session.clear()
    return True


class CookieSessions(SecureCookieSessionInterface):
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
