"""The Dữ liệu page's upload: files dropped in the browser are previewed (the real importer on a throw-away copy),
then loaded in the background with its progress, by the roles that may load (accounts.roles.LOADING_ROLES)."""
from __future__ import annotations

import base64
import binascii
import math
import traceback
from pathlib import Path

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update
from flask import request

from accounts import current_viewer
from accounts.roles import may_load
from accounts.session import current_store
from accounts.store import AccountStore
from common.formats import quoted_names, vn_int
from etl.core.errors import ImportFailure
from etl.summary import unreported_fields_text
from indicators.stored_figures import STORED_FIGURES
from etl.uploads import (UploadRefused, discard, drop, load, over_request_message, preview, remove_stale_uploads,
                         request_file_bytes, size_limit, size_text, stage, too_large_message, too_large_template)
from indicators import store
from pages._components.jobs import JOBS

PREFIX = "du-lieu-upload"   # every output carries it: the accounts guard refuses these callbacks to other roles
SHOWN_REJECTS = 20
TRIAL_ACCOUNT = "dùng thử trên máy chủ"   # loaded_by of a load made in the open trial mode (no account exists)
REFUSED = "Tài khoản của bạn không được nạp dữ liệu (chỉ quản trị và chuyên viên được nạp)."
# Count rows of the preview: (result key, label). The first is every line under the header; the others add up to it.
COUNTS = (("rows_total", "Dòng dưới dòng tiêu đề"), ("rows_loaded", "Sẽ thêm mới"), ("rows_updated", "Sẽ cập nhật"),
          ("rows_unchanged", "Không đổi (đã có, giống hệt)"), ("rows_rejected", "Bị loại"),
          ("rows_skipped", "Bỏ qua (dòng trống, tổng cộng, chữ ký)"))
LOAD_STAGES = 4   # copy of the database, file read, dashboard tables, swapped in


def upload_section() -> html.Section | None:
    """The upload for a viewer who may load; None for anyone else (the callbacks refuse them anyway)."""
    if not may_load(current_viewer()):
        return None
    remove_stale_uploads(store.current().db_path)   # uploads previewed and left: their personal data goes
    limit = size_text(size_limit())
    return html.Section([
        html.H2("Nạp dữ liệu từ tệp"),
        html.P(f"Kéo thả hoặc chọn một hay nhiều tệp .xlsx, .xls hoặc .csv (mỗi tệp tối đa {limit}): tệp xuất từ hệ "
               "thống một cửa, phiếu khảo sát SIPAS, danh mục, chỉ tiêu, kế hoạch… Trang cho xem trước tệp được hiểu "
               "thế nào; chỉ khi bấm «Nạp dữ liệu» mới ghi vào cơ sở dữ liệu. Trong khi nạp, bảng điều khiển vẫn hiện "
               "số liệu cũ.",
               className="hint"),
        # max_size: a file over the limit is not even read by the browser (a file of gigabytes read as base64 failed
        # silently); assets/upload_sizes.js says so in the box below, with the template's words
        dcc.Upload(html.Div(["Kéo thả tệp vào đây hoặc ", html.A("chọn tệp", className="upload-choose")]),
                   id=PREFIX, multiple=True, className="upload-drop", max_size=size_limit()),
        html.Div(id=f"{PREFIX}-too-large", className="du-lieu-upload-too-large", role="alert",
                 **{"data-limit": str(size_limit()), "data-message": too_large_template()}),
        # The limits the browser applies before sending (assets/upload_sizes.js), and what it sends.
        dcc.Store(id=f"{PREFIX}-limits", data={"request": request_file_bytes()}),
        dcc.Store(id=f"{PREFIX}-sent"),
        dcc.Store(id=f"{PREFIX}-token"),
        dcc.Loading(html.Div(id=f"{PREFIX}-preview", role="status"), type="dot"),
        html.Div([html.Button("Nạp dữ liệu", id=f"{PREFIX}-load", className="download-button", disabled=True,
                              n_clicks=0),
                  html.Button("Hủy", id=f"{PREFIX}-cancel", className="download-button", disabled=True,
                              n_clicks=0)], className="download-row"),
        # Shown while a load runs (Dash puts the bar back to 0 when the job ends: the result shows it full).
        html.Div([html.Progress(id=f"{PREFIX}-progress", value="0", max=str(LOAD_STAGES), style={"width": "100%"}),
                  html.P("", id=f"{PREFIX}-progress-text", className="hint", role="status")],
                 id=f"{PREFIX}-running", style={"display": "none"}),
        html.Div(id=f"{PREFIX}-result"),
    ], className="data-section", id=f"{PREFIX}-section")


def _decoded(contents: str, file_name: str) -> bytes:
    """The bytes of dcc.Upload's 'data:…;base64,…', refused when over the limit before they are decoded."""
    encoded = str(contents).partition(",")[2]
    size = len(encoded) * 3 // 4 - encoded[-2:].count("=")
    message = too_large_message(file_name, size)
    if message:
        raise UploadRefused(message)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused(f"Tệp {file_name} không tải lên trọn vẹn: hãy chọn lại tệp.") from None


def _who(viewer) -> dict:
    return {"account": viewer.username or TRIAL_ACCOUNT, "accounts": str(current_store().path),
            "client": request.remote_addr}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _received(sent) -> tuple[list[tuple[str, bytes]], list[dict]]:
    """The files sent (name, bytes) and {file, error} for each one refused before reading: too large, past what one
    upload carries (the browser sends those as a name and a size: assets/upload_sizes.js), or cut."""
    sent = sent if isinstance(sent, dict) else {}
    contents = _as_list(sent.get("contents") or [])
    file_names = _as_list(sent.get("names") or [])
    files, refused = [], []
    for content, name in zip(contents, file_names + [None] * len(contents)):
        name = str(name or "")
        try:
            files.append((name, _decoded(content, name)))
        except UploadRefused as exc:
            refused.append({"file": name, "error": str(exc)})
    for name, size in _named_sizes(sent.get("over_total")):
        refused.append({"file": name, "error": over_request_message(name, size)})
    return files, refused


def _named_sizes(pairs) -> list[tuple[str, int]]:
    """[name, size] pairs as the browser wrote them; anything else (a forged request: a size not a finite number)
    left out."""
    named = []
    for pair in pairs if isinstance(pairs, list) else []:
        if (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], (int, float))
                and not isinstance(pair[1], bool) and math.isfinite(pair[1])):
            named.append((str(pair[0] or ""), int(pair[1])))
    return named


clientside_callback(ClientsideFunction("cchc_upload", "sent"),
                    Output(f"{PREFIX}-sent", "data"), Output(PREFIX, "contents"),
                    Input(PREFIX, "contents"), State(PREFIX, "filename"), State(f"{PREFIX}-limits", "data"),
                    prevent_initial_call=True)


@callback(Output(f"{PREFIX}-preview", "children"), Output(f"{PREFIX}-token", "data"),
          Output(f"{PREFIX}-load", "disabled"), Output(f"{PREFIX}-cancel", "disabled"),
          Output(f"{PREFIX}-result", "children"), Output(f"{PREFIX}-sent", "data", allow_duplicate=True),
          Input(f"{PREFIX}-sent", "data"), State(f"{PREFIX}-token", "data"), prevent_initial_call=True)
def _preview(sent, earlier_token):
    if not sent:
        return (no_update,) * 6
    viewer = current_viewer()
    if not may_load(viewer):   # the guard refuses it first; a server without the guard must still refuse
        return _message(REFUSED), None, True, True, None, None
    db_path = store.current().db_path
    discard(db_path, earlier_token)   # new files replace those previewed before
    files, outcomes = _received(sent)
    token, left = None, False
    try:
        if files:
            token = stage(db_path, files, _who(viewer))
            outcomes = preview(db_path, token) + outcomes
            # A file the load would refuse is not kept; the others wait for «Nạp dữ liệu».
            left = drop(db_path, token, [o["file"] for o in outcomes if "error" in o])
    except (UploadRefused, ImportFailure) as exc:
        discard(db_path, token)
        return _message(str(exc)), None, True, True, None, None
    token = token if left else None
    return _preview_view(outcomes, left), token, not left, not left, None, None


@callback(Output(f"{PREFIX}-preview", "children", allow_duplicate=True),
          Output(f"{PREFIX}-token", "data", allow_duplicate=True),
          Output(f"{PREFIX}-load", "disabled", allow_duplicate=True),
          Output(f"{PREFIX}-cancel", "disabled", allow_duplicate=True),
          Input(f"{PREFIX}-cancel", "n_clicks"), State(f"{PREFIX}-token", "data"), prevent_initial_call=True)
def _cancel(n_clicks, token):
    if not n_clicks or not may_load(current_viewer()):
        return (no_update,) * 4
    discard(store.current().db_path, token)
    return html.P("Đã hủy: không nạp gì, các tệp không được giữ lại.", className="hint"), None, True, True


@callback(Output(f"{PREFIX}-result", "children", allow_duplicate=True),
          Output(f"{PREFIX}-token", "data", allow_duplicate=True),
          Output(f"{PREFIX}-preview", "children", allow_duplicate=True),
          Input(f"{PREFIX}-load", "n_clicks"), State(f"{PREFIX}-token", "data"),
          background=True, manager=JOBS, prevent_initial_call=True,
          running=[(Output(f"{PREFIX}-load", "disabled"), True, True),
                   (Output(f"{PREFIX}-cancel", "disabled"), True, True),
                   (Output(PREFIX, "disabled"), True, False),
                   (Output(f"{PREFIX}-running", "style"), {"display": "block"}, {"display": "none"})],
          progress=[Output(f"{PREFIX}-progress", "value"), Output(f"{PREFIX}-progress-text", "children")],
          progress_default=["0", ""])
def _load(set_progress, n_clicks, token):
    # Runs in a job process, outside any request: the accounts guard has checked the role of the request that
    # started it, and the account recorded is the one that uploaded the file (kept with it at the preview).
    if not n_clicks or not token:
        return no_update, no_update, no_update
    step = [1]
    set_progress(["1", "Đang chép cơ sở dữ liệu hiện có để nạp vào bản chép (bảng điều khiển vẫn hiện số liệu cũ)…"])

    def progress(text: str) -> None:
        step[0] = min(step[0] + 1, LOAD_STAGES - 1)
        set_progress([str(step[0]), text])

    db_path = store.current().db_path
    try:
        results, errors, summary, who = load(db_path, token, progress, after_refresh=STORED_FIGURES)
    except UploadRefused as exc:
        return _message(str(exc)), None, None
    except Exception:   # a defect of the loader outside the file's transaction: said, the details to the server log
        traceback.print_exc()
        return _message("Không nạp được vì một lỗi của công cụ nạp; dữ liệu đã có giữ nguyên (bản chép dở dang bị "
                        "bỏ). Hãy báo người quản trị: chi tiết kỹ thuật nằm trong nhật ký của máy chủ."), None, None
    _audit(who, results, errors)
    return _result_view(results, errors, summary), None, None


def _audit(who: dict, results: list[dict], errors: list[str]) -> None:
    """One event per file loaded, one per error (a file the load refused)."""
    trail = AccountStore(who["accounts"])
    for r in results:
        trail.audit("load", who["account"], f"{Path(r['path']).name}: đọc {vn_int(r['rows_read'])} dòng, thêm mới "
                    f"{vn_int(r['rows_loaded'])}, cập nhật {vn_int(r['rows_updated'])}, bị loại "
                    f"{vn_int(r['rows_rejected'])}", who["client"])
    for error in errors:
        trail.audit("load", who["account"], "không nạp được: " + error[:300], who["client"])


def _message(text: str) -> html.Div:
    return html.Div(html.P(text), className=f"notice notice--warning {PREFIX}-refused")


def _result_view(results: list[dict], errors: list[str], summary: str) -> html.Div:
    if not results:
        return html.Div([*map(_message, errors), html.P("Không tệp nào được nạp; dữ liệu đã có giữ nguyên.",
                                                        className="hint")])
    return html.Div([*map(_message, errors),
                     html.Progress(value=str(LOAD_STAGES), max=str(LOAD_STAGES), style={"width": "100%"},
                                   id=f"{PREFIX}-finished"),
                     html.P(f"Đã nạp xong {vn_int(len(results))} tệp: số liệu mới đã thay số liệu cũ trên bảng điều "
                            "khiển.",
                            id=f"{PREFIX}-done", className="upload-done"),
                     html.Pre(summary, id=f"{PREFIX}-summary"),
                     html.A("Tải lại trang để xem lịch sử nạp và các dòng bị loại", href="/du-lieu",
                            id=f"{PREFIX}-reload")])


def _table(headings: list[str], rows: list[list], table_id: str) -> html.Table:
    return html.Table([html.Thead(html.Tr([html.Th(h) for h in headings])),
                       html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows])],
                      id=table_id, className="upload-table")


def _preview_view(outcomes: list[dict], left: bool) -> html.Div:
    """Each file: what loading it would do, or why it is refused."""
    parts = [_message(o["error"]) if "error" in o else _file_view(i, o) for i, o in enumerate(outcomes)]
    parts.append(html.P("Chưa ghi gì vào cơ sở dữ liệu. Bấm «Nạp dữ liệu» để nạp các tệp trên (trừ tệp bị từ chối), "
                        "«Hủy» để bỏ." if left else "Không có tệp nào để nạp.", className="hint"))
    return html.Div(parts)


def _file_view(i: int, r: dict) -> html.Div:
    """What loading one file would do, from the importer's result on a throw-away copy (ids …-<i>-…)."""
    file_name, prefix = r["file"], f"{PREFIX}-{i}"
    parts = [html.H3(f"Xem trước: {file_name}"),
             html.P(["Loại tệp: ", html.B(r["kind_label"], id=f"{prefix}-kind")])]
    for sheet in r["headers"]:
        where = f"Trang «{sheet['sheet']}», " if sheet["sheet"] else ""
        parts.append(html.P(f"{where}dòng tiêu đề: dòng {sheet['header_row']}.", className=f"{prefix}-sheet"))
        parts.append(_table(["Cột trong tệp", "Dùng làm"], [list(c) for c in sheet["columns"]], f"{prefix}-columns"))
    if r["dropped_columns"]:
        parts.append(html.P("Cột dữ liệu cá nhân sẽ bỏ, không lưu: " + ", ".join(r["dropped_columns"]) + ".",
                            id=f"{prefix}-dropped"))
    if r["ignored_columns"]:
        # "; ": a column without a header is named with its lines («cột 6, dòng 2 (không có tiêu đề)»)
        parts.append(html.P("Cột không dùng: " + "; ".join(r["ignored_columns"]) + ".", className="hint"))
    if r.get("unreported_fields"):
        parts.append(html.P(unreported_fields_text(r["unreported_fields"]), className="hint",
                            id=f"{prefix}-unreported"))
    for key, label in (("hidden_sheets", "Không đọc trang ẩn"), ("unread_sheets", "Không đọc trang không có bảng")):
        if r.get(key):
            parts.append(html.P(f"{label}: " + ", ".join(f"«{s}»" for s in r[key]) + ".", className="hint"))
    parts.append(html.Table(html.Tbody([html.Tr([html.Th(label), html.Td(vn_int(r[key]), id=f"{prefix}-{key}")])
                                        for key, label in COUNTS]), className="upload-table"))
    if r["unmatched_units"]:
        parts.append(html.P("Tên đơn vị chưa khớp danh mục (vẫn nạp, hồ sơ chưa tính cho đơn vị nào): "
                            + quoted_names(r["unmatched_units"]) + ".", id=f"{prefix}-unmatched"))
    parts += [html.P("⚠ " + w) for w in r.get("warnings", [])]
    if r["rejects"]:
        shown = r["rejects"][:SHOWN_REJECTS]
        parts.append(html.P(f"{vn_int(len(shown))} dòng bị loại đầu tiên"
                            + (f" (trong {vn_int(r['rows_rejected'])})" if r["rows_rejected"] > len(shown) else "")
                            + ":"))
        parts.append(_table(["Trang", "Dòng", "Lý do"], [[x.get("sheet") or "", x["row"], x["reason"]] for x in shown],
                            f"{prefix}-rejects"))
    return html.Div(parts, id=f"{prefix}-ready", className=f"{PREFIX}-ready")
