"""The guard in front of every page, callback and download, and the audit of refusals and downloads."""
from __future__ import annotations

import json
from urllib.parse import quote

from flask import Response, g, jsonify, redirect, request

from accounts.bind import is_local_host
from accounts.dash_requests import download_ids, output_ids, requested_paths, sent_file_names
from accounts.login_page import LOGIN_PATH, refusal, wants_json
from accounts.roles import Viewer, may_load, may_open, page_for_component, page_for_path
from accounts.session import TRIAL, current_store, request_viewer

HEALTH_PATH = "/_health"            # Dash's own health endpoint (Dash(health_endpoint=…)): "OK", no data
PUBLIC_PATHS = frozenset({LOGIN_PATH, HEALTH_PATH, "/_favicon.ico"})
CALLBACK_PATH = "/_dash-update-component"
SETUP_REQUEST = "cchc.setup_request"  # WSGI environ key of the app's own set-up request (app.py)
CALLBACK_BODY_LIMIT = 8 * 1024 * 1024   # the largest callback a page sends, an upload's aside (its filters, a page)


def _from_this_machine() -> bool:
    forwarded = any(h in request.headers for h in ("Forwarded", "X-Forwarded-For", "X-Real-IP"))
    return is_local_host(request.remote_addr) and not forwarded


def guard():
    if request.path in PUBLIC_PATHS or request.environ.get(SETUP_REQUEST) is True:
        return None
    viewer = request_viewer()
    if viewer is TRIAL:
        if _from_this_machine():
            return None
        return refusal(403, "Chế độ dùng thử (chưa có tài khoản nào) chỉ phục vụ chính máy chủ. Quản trị viên cần "
                             "tạo tài khoản quản trị: python app.py accounts add TÊN --role admin")
    if viewer is None:
        if wants_json():
            return jsonify(error="Cần đăng nhập: phiên đăng nhập chưa có hoặc đã hết hạn.",
                           login=LOGIN_PATH), 401
        return redirect(f"{LOGIN_PATH}?next={quote(request.full_path.rstrip('?'), safe='/')}")
    denied = _denied_target(viewer)
    if denied:
        current_store().audit("denied", viewer.username, denied, request.remote_addr)
        return refusal(403, "Tài khoản của bạn không được xem nội dung này.")
    return None


def _denied_target(viewer: Viewer) -> str | None:
    """What this request asks for that the viewer's role may not open: a restricted page by its address, or a
    callback that draws such a page (its pathname) or writes into one (its components' ids)."""
    targets = [request.path]
    if request.path == CALLBACK_PATH and request.method == "POST":
        if (request.content_length or 0) > CALLBACK_BODY_LIMIT and not may_load(viewer):
            # only an upload carries more: refused before the body is read (a leader's forged request of half a
            # gigabyte cost the worker that much memory before its 403)
            return f"{request.path} ({request.content_length} byte)"
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


def audit_downloads(response: Response) -> Response:
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
