"""The default-bind rule: with no admin account the dashboard serves 127.0.0.1 only, open, with a banner; any
other address (python app.py --host, gunicorn's CCHC_BIND or -b) refuses to start, saying how to make an admin."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts_support import Client, accounts_cmd
from tests.browser_support import free_port, open_page, start_app, stop_app
from tests.conftest import ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
HOW_TO = "python app.py accounts add TÊN --role admin"


@pytest.fixture
def db(tmp_path, fixture_db):
    path = tmp_path / "cchc.duckdb"
    shutil.copyfile(fixture_db, path)
    return path


def _refused(argv, env) -> subprocess.CompletedProcess:
    """Runs a start command that must stop by itself; one that starts serving instead is killed and fails."""
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"started instead of refusing: {argv}\n{err[-2000:]}")
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def test_app_refuses_another_address_until_an_admin_exists(db, tmp_path):
    argv = [sys.executable, "app.py", "--db", str(db), "--host", "0.0.0.0", "--port", str(free_port())]
    proc = _refused(argv, {})
    assert proc.returncode != 0 and HOW_TO in proc.stderr and "0.0.0.0" in proc.stderr
    # A unit account is not enough: only an admin can make the other accounts.
    assert accounts_cmd("add", "donvi", "--role", "unit", "--unit", "STP", "--db", str(db),
                        password="mat-khau-don-vi").returncode == 0
    assert _refused(argv, {}).returncode != 0
    assert accounts_cmd("add", "quantri", "--role", "admin", "--db", str(db), password="mat-khau-quan-tri").returncode == 0
    url, server = start_app(db, tmp_path / "app.log", host="0.0.0.0")
    try:
        status, headers, _ = Client(url).get("/")
        assert status == 302 and headers["Location"].startswith("/dang-nhap")
    finally:
        stop_app(server)


@pytest.mark.parametrize("how", ["CCHC_BIND", "-b"])
def test_gunicorn_refuses_another_address_until_an_admin_exists(db, how):
    address = f"0.0.0.0:{free_port()}"
    argv = [str(GUNICORN), "-w", "1", "app:server"] + (["-b", address] if how == "-b" else [])
    env = {"CCHC_DB": str(db), **({"CCHC_BIND": address} if how == "CCHC_BIND" else {})}
    proc = _refused(argv, env)
    assert proc.returncode != 0 and HOW_TO in proc.stderr


def test_gunicorn_binds_this_machine_by_default(monkeypatch):
    monkeypatch.delenv("CCHC_BIND", raising=False)
    namespace = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)
    assert namespace["bind"] == "127.0.0.1:8050"


def test_the_open_trial_mode_shows_its_banner_and_serves_this_machine_only(browser, app_url):
    page, errors = open_page(browser, app_url + "/", "che_do_dung_thu")
    banner = page.locator("#trial-banner").inner_text()
    assert "Chế độ dùng thử trên máy này" in banner and HOW_TO in banner
    assert page.locator("#app-user").count() == 0
    assert "Nhật ký" not in page.locator("nav").inner_text()       # no trail is kept without accounts
    assert errors == []
    # Reached through a proxy (which would put it on the network), the open mode serves nothing.
    status, _, body = Client(app_url, headers={"X-Forwarded-For": "203.0.113.9"}).get("/_dash-layout")
    assert status == 403 and "Chế độ dùng thử" in json.loads(body)["error"]
