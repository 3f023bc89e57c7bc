"""The accounts file (SQLite, apart from the data file): accounts and the audit trail.

SQLite in WAL mode: several gunicorn workers and the account command read and write it at once. Each change
opens its own short connection; reads (two on every request) reuse one connection per thread, since opening
one costs ~100 times the query (measured 3 ms against 0.02 ms on a busy machine). No connection crosses a
thread, and none is opened before gunicorn forks its workers."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from accounts.roles import ROLE_LABELS, ROLES

# What the audit trail records; each action with what an admin reads on the Nhật ký page.
ACTION_LABELS = {
    "login": "Đăng nhập", "login_failed": "Đăng nhập không thành công",
    "login_blocked": "Đăng nhập bị chặn tạm thời", "logout": "Đăng xuất",
    "account_added": "Tạo tài khoản", "password_changed": "Đổi mật khẩu", "account_disabled": "Khóa tài khoản",
    "account_enabled": "Mở khóa tài khoản", "download": "Tải tệp", "denied": "Bị từ chối truy cập",
    "load": "Nạp dữ liệu", "out_of_scope": "Hỏi đơn vị ngoài phạm vi",
}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS accounts (
    username        TEXT PRIMARY KEY COLLATE NOCASE,
    role            TEXT NOT NULL CHECK (role IN ({", ".join(f"'{r}'" for r in ROLES)})),
    unit_code       TEXT,
    password_hash   TEXT NOT NULL,
    is_active       INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    -- Part of the session cookie's user id: a new password or a disabled account ends every open session.
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_login_at   TEXT,
    CHECK ((role = 'unit') = (unit_code IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS audit_log (
    event_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,              -- local time with its offset, ISO 8601
    actor       TEXT,                       -- the account (or the name typed at a failed login); NULL: nobody
    action      TEXT NOT NULL CHECK (action IN ({", ".join(f"'{a}'" for a in ACTION_LABELS)})),
    detail      TEXT,
    client      TEXT                        -- the browser's address, or 'dòng lệnh (USER@HOST)'
);
"""


# Made when first needed (AccountStore.end_session): an accounts file from before it has no such table.
_ENDED_SESSIONS = "CREATE TABLE IF NOT EXISTS ended_sessions (session_id TEXT PRIMARY KEY, until TEXT NOT NULL)"


class AccountError(ValueError):
    """An account change that cannot be made (the message is in Vietnamese, for the user)."""


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    unit_code: str | None
    password_hash: str
    is_active: bool
    session_version: int
    created_at: str
    last_login_at: str | None


def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class AccountStore:
    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    def _reader(self) -> sqlite3.Connection:
        """This thread's connection for reads, opened again when the file is another one (its inode changed).
        Outside a transaction each SELECT reads the latest committed state: a lock or a new account made by the
        command is seen by the next request (the reads below run each statement to its end, leaving none open)."""
        inode = os.stat(self.path).st_ino
        if getattr(self._local, "inode", None) != inode:
            if getattr(self._local, "con", None) is not None:
                self._local.con.close()
            self._local.con = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=10)
            self._local.inode = inode
        return self._local.con

    @contextlib.contextmanager
    def _connect(self, create: bool = False):
        if create and not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only from the start: the file holds password hashes and who did what.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        # mode=rw: only `add` makes the file; nothing else does (a server in the open trial mode, or a change
        # to an account that is not there, leaves the folder as it was).
        con = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=10)
        try:
            if create:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(_SCHEMA)
            with con:   # one transaction: committed on success, rolled back on an error
                yield con
        finally:
            con.close()

    # -- state the server asks about on every request -------------------------------------------------------
    def has_accounts(self) -> bool:
        """Whether any account exists (active or not). Fails closed: a file that is there but cannot be read
        counts as holding accounts, so the server asks for a login rather than opening everything."""
        if not self.path.exists():
            return False
        try:
            return self._reader().execute("SELECT EXISTS (SELECT 1 FROM accounts)").fetchall() == [(1,)]
        except (sqlite3.Error, OSError):
            return True

    def has_active_admin(self) -> bool:
        if not self.path.exists():
            return False
        return self._reader().execute("SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'admin' AND is_active = 1)"
                                      ).fetchall() == [(1,)]

    def get(self, username: str) -> Account | None:
        if not self.path.exists():
            return None
        # fetchall: the statement runs to its end, so no read transaction stays open on this thread's
        # connection (it would keep reading the file as it was).
        rows = self._reader().execute(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts WHERE username = ?",
                                      (username,)).fetchall()
        return _account(rows[0]) if rows else None

    def accounts(self) -> list[Account]:
        if not self.path.exists():
            return []
        with self._connect() as con:
            rows = con.execute(f"SELECT {_ACCOUNT_COLUMNS} FROM accounts ORDER BY role, username").fetchall()
        return [_account(r) for r in rows]

    # -- changes, each with its audit row in the same transaction ---------------------------------------------
    def add(self, username: str, role: str, unit_code: str | None, password_hash: str, *, actor: str | None,
            client: str) -> None:
        stamp = now_text()
        with self._connect(create=True) as con:
            if con.execute("SELECT 1 FROM accounts WHERE username = ?", (username,)).fetchone():
                raise AccountError(f"Tài khoản '{username}' đã có (tên đăng nhập không phân biệt chữ hoa, chữ thường).")
            con.execute("INSERT INTO accounts (username, role, unit_code, password_hash, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (username, role, unit_code, password_hash, stamp, stamp))
            detail = f"{username}, vai trò {ROLE_LABELS[role]}" + (f", mã đơn vị {unit_code}" if unit_code else "")
            _audit(con, "account_added", actor, detail, client, stamp)

    def set_password(self, username: str, password_hash: str, *, actor: str | None, client: str) -> None:
        self._change(username, "password_changed", "password_hash = ?", (password_hash,), actor, client)

    def set_active(self, username: str, active: bool, *, actor: str | None, client: str) -> None:
        self._change(username, "account_enabled" if active else "account_disabled", "is_active = ?", (int(active),),
                     actor, client)

    def _change(self, username, action, assignment, values, actor, client) -> None:
        stamp = now_text()
        if not self.path.exists():
            raise AccountError(f"Chưa có tài khoản nào ({self.path}).")
        with self._connect() as con:
            cur = con.execute(f"UPDATE accounts SET {assignment}, session_version = session_version + 1, "
                              "updated_at = ? WHERE username = ?", (*values, stamp, username))
            if cur.rowcount == 0:
                raise AccountError(f"Không có tài khoản '{username}' (xem danh sách: python app.py accounts list).")
            _audit(con, action, actor, username, client, stamp)

    def record_login(self, username: str, client: str, new_hash: str | None = None) -> None:
        """A successful login: its time on the account, the audit row, and the hash upgraded when asked."""
        stamp = now_text()
        with self._connect() as con:
            con.execute("UPDATE accounts SET last_login_at = ?, password_hash = coalesce(?, password_hash) "
                        "WHERE username = ?", (stamp, new_hash, username))
            _audit(con, "login", username, None, client, stamp)

    # -- sessions ended by a logout ---------------------------------------------------------------------------
    def end_session(self, session_id: str, hours: float) -> None:
        """A logged-out session's id, kept until its cookie would have expired anyway: a copy of the cookie taken
        before the logout opens nothing after it (the session is in the signed cookie, not on the server)."""
        now = datetime.now(timezone.utc)
        with self._connect() as con:
            con.execute(_ENDED_SESSIONS)   # a file made before the table: made on the first logout
            con.execute("DELETE FROM ended_sessions WHERE until < ?", (now.isoformat(),))
            con.execute("INSERT OR REPLACE INTO ended_sessions VALUES (?, ?)",
                        (session_id, (now + timedelta(hours=hours)).isoformat()))

    def session_ended(self, session_id: str) -> bool:
        try:
            return self._reader().execute("SELECT 1 FROM ended_sessions WHERE session_id = ?",
                                          (session_id,)).fetchone() is not None
        except sqlite3.OperationalError:   # no logout yet in this file: no table, no session ended
            return False

    # -- the audit trail -------------------------------------------------------------------------------------
    def audit(self, action: str, actor: str | None, detail: str | None, client: str) -> None:
        """One audit row; nothing when no accounts file exists (the open trial mode keeps no trail)."""
        if not self.path.exists():
            return
        with self._connect() as con:
            _audit(con, action, actor, detail, client, now_text())

    def audit_rows(self, limit: int = 5000) -> list[dict]:
        """The newest events first."""
        if not self.path.exists():
            return []
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            rows = con.execute("SELECT occurred_at, actor, action, detail, client FROM audit_log "
                               "ORDER BY event_id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]


_ACCOUNT_COLUMNS = ("username, role, unit_code, password_hash, is_active, session_version, created_at, "
                    "last_login_at")


def _account(row) -> Account:
    username, role, unit_code, password_hash, is_active, version, created_at, last_login_at = row
    return Account(username, role, unit_code, password_hash, bool(is_active), version, created_at, last_login_at)


def _audit(con, action, actor, detail, client, stamp) -> None:
    con.execute("INSERT INTO audit_log (occurred_at, actor, action, detail, client) VALUES (?, ?, ?, ?, ?)",
                (stamp, actor, action, detail, client))
