"""The account command: python app.py accounts add|passwd|disable|enable|list (never imports dash or Flask).

Passwords come from a prompt or, with --password-stdin, one line of standard input; never from an argument,
which other users of the machine see in the process list and which the shell keeps in its history."""
from __future__ import annotations

import argparse
import getpass
import re
import socket
import sys
from pathlib import Path

from accounts.files import accounts_file, served_database
from accounts.passwords import hash_password, password_problem
from accounts.roles import ROLE_LABELS, ROLES
from accounts.store import AccountError, AccountStore
from common.cli import CommandParser

REFUSED = 2
# No ':' (the session cookie's user id is 'name:version') and nothing a terminal or a log would mangle.
# Latin letters without marks only: «аdmin» with a Cyrillic «а» looked like «admin» in the audit trail (probe 55).
_USERNAME = re.compile(r"[A-Za-z0-9_.@-]{2,64}")


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="python app.py accounts", description="Quản lý tài khoản của bảng điều khiển CCHC.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="add|passwd|disable|enable|list")

    def command(name, help_text, password=False):
        p = sub.add_parser(name, help=help_text)
        if name != "list":
            p.add_argument("name", metavar="TÊN", help="tên đăng nhập")
        if password:
            p.add_argument("--password-stdin", action="store_true",
                           help="đọc mật khẩu từ một dòng của đầu vào chuẩn (thay vì hỏi)")
        p.add_argument("--db", type=Path, default=None,
                       help="tệp dữ liệu DuckDB; tệp tài khoản nằm bên cạnh (hoặc ở CCHC_ACCOUNTS)")
        return p

    add = command("add", "Tạo tài khoản.", password=True)
    add.add_argument("--role", required=True, choices=ROLES,
                     help="; ".join(f"{r}: {label}" for r, label in ROLE_LABELS.items()))
    add.add_argument("--unit", metavar="MÃ", help="mã (hoặc tên) đơn vị, bắt buộc với --role unit")
    command("passwd", "Đổi mật khẩu.", password=True)
    command("disable", "Khóa tài khoản (các phiên đang mở hết hiệu lực).")
    command("enable", "Mở khóa tài khoản.")
    command("list", "Liệt kê các tài khoản.")
    return parser


def _client() -> str:
    return f"dòng lệnh ({getpass.getuser()}@{socket.gethostname()})"


def _read_password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise AccountError("Không đọc được mật khẩu: --password-stdin cần một dòng mật khẩu ở đầu vào chuẩn.")
        password = line.rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise AccountError("Không có bàn phím để hỏi mật khẩu: thêm --password-stdin và đưa mật khẩu qua đầu "
                               "vào chuẩn (một dòng).")
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            raise AccountError("Hai lần nhập mật khẩu không giống nhau.")
    problem = password_problem(password, args.name)
    if problem:
        raise AccountError(problem)
    return password


def _unit_code(text: str, db: Path) -> str:
    """The unit's code, looked up by code or name in the data file's catalogue when there is one."""
    if not db.exists():
        print(f"Lưu ý: chưa có tệp dữ liệu {db}, chưa kiểm tra được đơn vị '{text}' có trong danh mục.",
              file=sys.stderr)
        return text.strip()
    import duckdb                                                      # loaded only for a unit account

    from common.duckdb_connect import connect_quietly
    from indicators.scope import UnknownUnitError, resolve_unit
    try:
        con = connect_quietly(str(db), read_only=True)
    except duckdb.Error as exc:
        raise AccountError(f"Không mở được tệp dữ liệu {db} để kiểm tra đơn vị: {str(exc).splitlines()[0]}")
    try:
        code, name, _level = resolve_unit(con, text)
    except (UnknownUnitError, duckdb.Error) as exc:
        raise AccountError(str(exc).splitlines()[0])
    finally:
        con.close()
    print(f"Đơn vị: {name} (mã {code}).")
    return code


def _add(store: AccountStore, args, db: Path) -> str:
    if not _USERNAME.fullmatch(args.name):
        raise AccountError("Tên đăng nhập gồm 2–64 chữ cái không dấu (a–z), chữ số hoặc các dấu . _ - @ (không có "
                           "khoảng trắng, không chữ có dấu).")
    if (args.role == "unit") != (args.unit is not None):
        raise AccountError("Tài khoản đơn vị cần --unit MÃ_ĐƠN_VỊ." if args.role == "unit"
                           else "Chỉ tài khoản đơn vị (--role unit) mới có --unit.")
    unit = _unit_code(args.unit, db) if args.unit is not None else None
    store.add(args.name, args.role, unit, hash_password(_read_password(args)), actor=None, client=_client())
    return f"Đã tạo tài khoản {args.name} ({ROLE_LABELS[args.role]}) trong {store.path}."


def _passwd(store: AccountStore, args) -> str:
    if store.get(args.name) is None:   # asked before the password is typed twice for nothing
        raise AccountError(f"Không có tài khoản '{args.name}' (xem danh sách: python app.py accounts list).")
    store.set_password(args.name, hash_password(_read_password(args)), actor=None, client=_client())
    return f"Đã đổi mật khẩu của {args.name}; các phiên đăng nhập đang mở của tài khoản này hết hiệu lực."


def _list(store: AccountStore) -> str:
    accounts = store.accounts()
    if not accounts:
        return f"Chưa có tài khoản nào ({store.path})."
    header = ("Tên đăng nhập", "Vai trò", "Đơn vị", "Trạng thái", "Tạo lúc", "Đăng nhập gần nhất")
    rows = [header] + [(a.username, ROLE_LABELS[a.role], a.unit_code or "", "hoạt động" if a.is_active else "đã khóa",
                        a.created_at[:16].replace("T", " "), (a.last_login_at or "–")[:16].replace("T", " "))
                       for a in accounts]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    db = args.db or served_database()
    store = AccountStore(accounts_file(db))
    try:
        if args.command == "add":
            message = _add(store, args, db)
        elif args.command == "passwd":
            message = _passwd(store, args)
        elif args.command in ("disable", "enable"):
            store.set_active(args.name, args.command == "enable", actor=None, client=_client())
            message = f"Đã {'mở khóa' if args.command == 'enable' else 'khóa'} tài khoản {args.name}."
        else:
            message = _list(store)
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return REFUSED
    print(message)
    return 0
