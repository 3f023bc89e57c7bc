"""The login page and the refusal page (one small Vietnamese template), or the JSON a script or Dash is sent."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import jsonify, render_template_string, request

LOGIN_PATH = "/dang-nhap"
LOGOUT_PATH = "/dang-xuat"
_TEMPLATE = (Path(__file__).with_name("login.html")).read_text(encoding="utf-8")


def wants_json() -> bool:
    """Dash's own requests (/_dash-…) and every POST get JSON; a page address gets a page."""
    return request.path.startswith("/_") or request.method not in ("GET", "HEAD")


def safe_next(target: str | None) -> str:
    """Only a path of this site: '//evil.example' or 'https://…' would send the user away after the login."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc or "\\" in target:
        return "/"
    return target


def login_page(status: int = 200, error: str | None = None, username: str = ""):
    next_url = safe_next(request.values.get("next"))
    return render_template_string(_TEMPLATE, refusal=None, error=error, username=username, next=next_url), status


def refusal(status: int, message: str):
    if wants_json():
        return jsonify(error=message), status
    return render_template_string(_TEMPLATE, refusal=message, error=None, username="", next="/"), status
