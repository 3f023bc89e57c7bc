"""The account command (python app.py accounts …): accounts in a SQLite file beside the data file, passwords
hashed (never in the file, the output or an argument), refusals in Vietnamese, and accounts that survive a load."""
import shutil
import sqlite3
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from tests.accounts_support import PASSWORDS, accounts_cmd
from tests.conftest import FIXTURES, ROOT


@pytest.fixture
def db(tmp_path, fixture_db):
    """A copy of the small fixture database: its accounts file lands beside it, in this test's folder."""
    path = tmp_path / "cchc.duckdb"
    shutil.copyfile(fixture_db, path)
    return path


def _rows(path, sql):
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchall()


def test_add_list_passwd_disable_enable(db):
    accounts = db.with_name("cchc.accounts.sqlite")          # beside the data file: cchc.duckdb → …
    add = accounts_cmd("add", "quantri", "--role", "admin", "--db", str(db), password=PASSWORDS["quantri"])
    assert add.returncode == 0, add.stderr
    assert accounts.exists() and (accounts.stat().st_mode & 0o777) == 0o600
    [(name, role, unit, first_hash, active)] = _rows(accounts, "SELECT username, role, unit_code, password_hash, "
                                                               "is_active FROM accounts")
    assert (name, role, unit, active) == ("quantri", "admin", None, 1)
    assert first_hash.startswith("$argon2id$") and PasswordHasher().verify(first_hash, PASSWORDS["quantri"])

    listed = accounts_cmd("list", "--db", str(db))
    assert listed.returncode == 0 and "quantri" in listed.stdout and "quản trị" in listed.stdout
    assert "hoạt động" in listed.stdout

    new_password = "một mật khẩu mới hẳn"
    passwd = accounts_cmd("passwd", "quantri", "--db", str(db), password=new_password)
    assert passwd.returncode == 0, passwd.stderr
    [(second_hash, version)] = _rows(accounts, "SELECT password_hash, session_version FROM accounts")
    assert second_hash != first_hash and PasswordHasher().verify(second_hash, new_password) and version == 2

    assert accounts_cmd("disable", "quantri", "--db", str(db)).returncode == 0
    assert "đã khóa" in accounts_cmd("list", "--db", str(db)).stdout
    assert accounts_cmd("enable", "quantri", "--db", str(db)).returncode == 0
    assert "hoạt động" in accounts_cmd("list", "--db", str(db)).stdout

    actions = [a for (a,) in _rows(accounts, "SELECT action FROM audit_log ORDER BY event_id")]
    assert actions == ["account_added", "password_changed", "account_disabled", "account_enabled"]
    assert all(c.startswith("dòng lệnh (") for (c,) in _rows(accounts, "SELECT client FROM audit_log"))
    # Never in clear: not in the file (nor its log, if one was left), not in anything the command printed.
    stored = b"".join(p.read_bytes() for p in db.parent.glob("cchc.accounts.sqlite*"))
    said = add.stdout + add.stderr + passwd.stdout + passwd.stderr + listed.stdout
    for password in (PASSWORDS["quantri"], new_password):
        assert password.encode() not in stored and password not in said


@pytest.mark.parametrize("args, password, message", [
    (["add", "ab", "--role", "leader"], "ngắn", "ít nhất 8 ký tự"),
    (["add", "ab", "--role", "leader"], "AB", "ít nhất 8 ký tự"),
    (["add", "tennguoidung", "--role", "leader"], "TenNguoiDung", "trùng tên đăng nhập"),
    (["add", "ab", "--role", "leader"], None, "--password-stdin"),          # no terminal to ask on
    (["add", "ab", "--role", "unit"], "mat-khau-du-dai", "--unit"),
    (["add", "ab", "--role", "analyst", "--unit", "STP"], "mat-khau-du-dai", "Chỉ tài khoản đơn vị"),
    (["add", "có khoảng trắng", "--role", "leader"], "mat-khau-du-dai", "Tên đăng nhập gồm"),
    (["add", "a:b", "--role", "leader"], "mat-khau-du-dai", "Tên đăng nhập gồm"),
    (["add", "\u0430dmin1", "--role", "leader"], "mat-khau-du-dai", "Tên đăng nhập gồm"),   # a Cyrillic «а» (probe 55)
    (["add", "ab", "--role", "leader"], "password", "quá dễ đoán"),
    (["add", "ab", "--role", "leader"], "Matkhau123", "quá dễ đoán"),
    (["add", "ab", "--role", "leader"], "aaaaaaaaaa", "quá dễ đoán"),
    (["add", "ab", "--role", "unit", "--unit", "KHONG_CO"], "mat-khau-du-dai", "Không tìm thấy đơn vị 'KHONG_CO'"),
    (["passwd", "khong_co"], "mat-khau-du-dai", "Không có tài khoản 'khong_co'"),
    (["disable", "khong_co"], None, "Chưa có tài khoản nào"),
])
def test_refusals_say_why_and_change_nothing(db, args, password, message):
    proc = accounts_cmd(*args, "--db", str(db), password=password)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert message in proc.stderr
    accounts = db.with_name("cchc.accounts.sqlite")
    assert not accounts.exists() or _rows(accounts, "SELECT count(*) FROM accounts") == [(0,)]


def test_usage_errors_exit_64_and_a_password_is_never_an_argument(db):
    assert accounts_cmd("add", "ab", "--role", "boss", "--db", str(db)).returncode == 64
    proc = accounts_cmd("add", "ab", "--role", "leader", "--password", "mat-khau-du-dai", "--db", str(db))
    assert proc.returncode == 64 and "Lỗi: lệnh không hợp lệ: không hiểu tham số --password" in proc.stderr
    assert "mat-khau-du-dai" not in proc.stderr + proc.stdout   # never printed back (probe 55)
    proc = accounts_cmd("add", "ab", "--role", "leader", "--password=mat-khau-du-dai", "--db", str(db))
    assert proc.returncode == 64 and "mat-khau-du-dai" not in proc.stderr + proc.stdout


def test_names_are_unique_whatever_the_case(db):
    assert accounts_cmd("add", "NguyenVanA", "--role", "leader", "--db", str(db), password="mat-khau-du-dai").returncode == 0
    again = accounts_cmd("add", "nguyenvana", "--role", "admin", "--db", str(db), password="mat-khau-du-dai")
    assert again.returncode == 2 and "đã có" in again.stderr


def test_a_unit_account_takes_the_unit_by_code_or_name(db):
    by_name = accounts_cmd("add", "tuphap", "--role", "unit", "--unit", "so tu phap", "--db", str(db),
                           password="mat-khau-du-dai")
    assert by_name.returncode == 0, by_name.stderr
    assert _rows(db.with_name("cchc.accounts.sqlite"), "SELECT unit_code FROM accounts") == [("STP",)]


def test_accounts_survive_a_load_into_the_data_file(db):
    """etl import replaces the data file whole (os.replace): the accounts file beside it is untouched."""
    assert accounts_cmd("add", "quantri", "--role", "admin", "--db", str(db), password=PASSWORDS["quantri"]).returncode == 0
    accounts = db.with_name("cchc.accounts.sqlite")
    before, inode = accounts.read_bytes(), db.stat().st_ino
    load = subprocess.run([sys.executable, "-m", "etl", "import", str(FIXTURES / "exports" / "02_skhdt_tieu_de_hai_dong.xlsx"),
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    assert db.stat().st_ino != inode                     # the data file was swapped…
    assert accounts.read_bytes() == before               # …and the accounts were not touched
    assert "quantri" in accounts_cmd("list", "--db", str(db)).stdout


def test_the_command_does_not_load_dash(db):
    proc = subprocess.run([sys.executable, "-X", "importtime", "app.py", "accounts", "list", "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "accounts.cli" in loaded and not {"dash", "flask", "duckdb"} & loaded
