"""Báo cáo page: the files that leave the building for the chosen period (calendar or official window) and scope —
Biểu số 06a/VPCP/KSTT, the leadership report as a Word document and as a workbook, and a pack with one report per
district, department or sub-unit (built in the background with its progress shown)."""
from __future__ import annotations

import io
import uuid

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from exports.form06a import write_form06a_xlsx
from exports.report_docx import report_docx_bytes
from exports.report_pack import pack_units, write_report_pack
from exports.report_xlsx import write_report_xlsx
from indicators.engine import LEVEL_NAMES_VI
from indicators.form06a import FormIdentityError, compute_form06a
from indicators.periods import is_official
from indicators.report import compute_report, summary_lines
from indicators.units import descendants
from pages._components.file_names import grouping_part
from pages._components.filters import load_filter_context, parse_filters
from pages._components.jobs import JOBS, job_connection
from pages._components.page_frame import open_view, page_head, period_in_data, stored_view
from pages._components.sections import scope_title
from pages._components.tables import busy_while_building
from pages._components.viewer_scope import only_visible

dash.register_page(__name__, path="/bao-cao", name="Báo cáo", title="Báo cáo – CCHC", order=5.8)

PAGE = "bao-cao"
FORM_ROWS = {"level": "Theo cấp (cấp tỉnh, cấp huyện, cấp xã …), mỗi đơn vị một dòng",
             "field": "Theo lĩnh vực (cho một đơn vị)"}
# Pack groupings offered when the scope has units of that level in the period ("unit": the units right below).
PACK_CHOICES = (("district", "Từng đơn vị {level}"), ("department", "Từng {level}"),
                ("unit", "Từng đơn vị trực thuộc {scope}"))


def _pack_options(con, filters, scope: str) -> list[dict]:
    levels = {u.level for u in descendants(con, filters.unit, filters.period.start, filters.period.end)}
    options = []
    for by, label in PACK_CHOICES:
        if by == "unit" or by in levels:
            name = LEVEL_NAMES_VI.get(by, by).lower()
            options.append({"label": label.format(level=name, scope=scope), "value": by})
    return options


def _button(name: str, label: str) -> html.Div:
    return html.Div([html.Button(["⬇ ", label], id=f"{PAGE}-{name}-download-button", className="download-button",
                                 n_clicks=0),
                     dcc.Download(id=f"{PAGE}-{name}-download")], className="download")


def layout(**query):
    """Not memoized like the figure pages: each visit gets its own job token (two people asking for the same pack
    at once must not share, and clear, one job's result)."""
    opened = open_view(query)
    if not isinstance(opened, tuple):
        return opened
    con, ctx, filters = opened
    scope = scope_title(filters, ctx).split(" · ")[0]
    head = page_head(PAGE, query, filters, ctx, f"Báo cáo – {scope}")
    window = ("kỳ báo cáo chính thức (từ ngày 15 tháng trước đến ngày 14)" if is_official(filters.period)
              else "kỳ theo lịch")
    notes = [html.P(f"Các tệp dưới đây lập theo {window}: {filters.label()}. Chọn kỳ, loại kỳ và đơn vị ở thanh lọc "
                    "phía trên; báo cáo tính trên mọi lĩnh vực.", className="hint", id=f"{PAGE}-period")]
    if not period_in_data(filters, ctx):
        notes.append(html.P("Kỳ đã chọn nằm ngoài khoảng thời gian của dữ liệu đã nạp: các tệp sẽ không có hồ sơ.",
                            className="notice notice--warning"))
    pack_options = _pack_options(con, filters, scope)
    return html.Div([
        *head, *notes,
        dcc.Store(id=f"{PAGE}-token", data=uuid.uuid4().hex),
        html.Section([
            html.H2("Biểu số 06a/VPCP/KSTT"),
            html.P("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC (Thông tư "
                   "01/2020/TT-VPCP): 13 cột đánh số, dòng cộng từng cấp và tổng cộng, khối chữ ký.", className="hint"),
            html.Label(["Dòng của biểu: ", dcc.RadioItems(
                id=f"{PAGE}-form-by", options=[{"label": v, "value": k} for k, v in FORM_ROWS.items()],
                value="level", inline=True, className="radio-inline")], className="table-controls"),
            _button("form", "Tải Biểu 06a (.xlsx)"),
        ]),
        html.Section([
            html.H2("Báo cáo kết quả cải cách hành chính"),
            html.P("Văn bản Word theo thể thức Nghị định 30/2020/NĐ-CP (số liệu, tồn tại, hạn chế; phần nhiệm vụ và kiến "
                   "nghị để người soạn bổ sung) và tệp Excel kèm theo (số liệu chính, bảng thống kê, xếp hạng, hồ sơ trễ "
                   "hạn, SIPAS, Biểu 06a, chỉ số 766).", className="hint"),
            html.Div([_button("document", "Tải báo cáo Word (.docx)"), _button("workbook", "Tải báo cáo Excel (.xlsx)")],
                     className="download-row"),
        ]),
        html.Section([
            html.H2("Gói báo cáo cho từng đơn vị"),
            html.P("Mỗi đơn vị một văn bản Word và một tệp Excel, gộp trong một tệp .zip, để gửi lãnh đạo từng đơn vị.",
                   className="hint"),
            html.Label(["Lập cho: ", dcc.RadioItems(id=f"{PAGE}-pack-by", options=pack_options,
                                                    value=pack_options[0]["value"], inline=True,
                                                    className="radio-inline")], className="table-controls"),
            _button("pack", "Lập và tải gói báo cáo (.zip)"),
            html.Progress(id=f"{PAGE}-pack-progress", value="0", max="1", style={"width": "100%"}),
            html.P("", id=f"{PAGE}-pack-progress-text", className="hint", role="status"),
            html.P("", id=f"{PAGE}-pack-status", className="hint"),
        ]),
    ], id=f"{PAGE}-page")


def _send(data: bytes, filters, stem: str, ext: str):
    return dcc.send_bytes(data, f"{filters.file_stem(stem)}.{ext}")


@callback(Output(f"{PAGE}-form-download", "data"), Input(f"{PAGE}-form-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), State(f"{PAGE}-form-by", "value"), prevent_initial_call=True,
          running=busy_while_building(f"{PAGE}-form-download-button"))
def _form(n_clicks, query, by):
    con, _, filters = stored_view(query)
    if not n_clicks or con is None:
        return no_update
    try:
        form = compute_form06a(con, filters.period, by=by if by in FORM_ROWS else "level", unit=filters.unit)
    except FormIdentityError:
        return no_update   # the form is never sent wrong; the CLI says which row breaks which identity
    buf = io.BytesIO()
    write_form06a_xlsx(form, buf)
    return _send(buf.getvalue(), filters, "bieu_06a", "xlsx")


def _workbook_bytes(report: dict) -> bytes:
    buf = io.BytesIO()
    write_report_xlsx(report, buf)
    return buf.getvalue()


def _visible_report(con, report: dict) -> dict:
    """The report as the viewer may read it: for a unit account, a peer group holding units outside its subtree (its
    own level, ranked among the units of its parent) leaves the tables and the lists of units below target — their
    counts would no longer match the rows shown — while the summary keeps the unit's own rank in words ("Quận 3 xếp
    thứ 14/22"). The groups of its sub-units stay whole."""
    kept = [key for key, rows in report["rankings"].items() if only_visible(con, rows) == rows]
    if len(kept) == len(report["rankings"]):
        return report
    private = frozenset(report["rankings"]) - set(kept)
    return {**report, "summary": summary_lines(report, private_groups=private),
            "rankings": {key: report["rankings"][key] for key in kept},
            "ranking_groups": {key: report["ranking_groups"][key] for key in kept}}


def _register_report_download(name: str, ext: str, to_bytes) -> None:
    """The callback of `bao-cao-<name>-download-button`: the report of the stored period and unit as to_bytes
    writes it."""
    @callback(Output(f"{PAGE}-{name}-download", "data"), Input(f"{PAGE}-{name}-download-button", "n_clicks"),
              State(f"{PAGE}-query", "data"), prevent_initial_call=True,
              running=busy_while_building(f"{PAGE}-{name}-download-button"))
    def _download(n_clicks, query):
        con, _, filters = stored_view(query)
        if not n_clicks or con is None:
            return no_update
        report = _visible_report(con, compute_report(con, filters.period, unit=filters.unit))
        return _send(to_bytes(report), filters, "bao_cao", ext)


_register_report_download("document", "docx", report_docx_bytes)
_register_report_download("workbook", "xlsx", _workbook_bytes)


@callback(Output(f"{PAGE}-pack-download", "data"), Output(f"{PAGE}-pack-status", "children"),
          Input(f"{PAGE}-pack-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), State(f"{PAGE}-pack-by", "value"), State(f"{PAGE}-token", "data"),
          background=True, manager=JOBS, prevent_initial_call=True,
          running=busy_while_building(f"{PAGE}-pack-download-button"),
          progress=[Output(f"{PAGE}-pack-progress", "value"), Output(f"{PAGE}-pack-progress", "max"),
                    Output(f"{PAGE}-pack-progress-text", "children")],
          progress_default=["0", "1", ""])
def _pack(set_progress, n_clicks, query, by, _token):
    # The token only makes this visit's job its own (the job key is a hash of the arguments).
    con = job_connection() if n_clicks else None
    if con is None:
        return no_update, no_update
    try:
        filters = parse_filters(query or {}, load_filter_context(con))
        by = by or "unit"   # a request without the choice (a script): the units right below the scope
        total = len(pack_units(con, filters.period, filters.unit, by))
        set_progress(["0", str(max(total, 1)), f"Đang lập báo cáo cho {total} đơn vị…"])

        def progress(done: int, count: int, name: str) -> None:
            set_progress([str(done), str(count), f"Đã lập {done}/{count} báo cáo (vừa xong: {name})…"])

        buf = io.BytesIO()
        count = write_report_pack(con, filters.period, buf, unit=filters.unit, by=by, progress=progress)
    except ValueError as e:
        return no_update, str(e)
    finally:
        con.close()
    return (dcc.send_bytes(buf.getvalue(), f"{filters.file_stem(f'goi_bao_cao_{grouping_part(by)}')}.zip"),
            f"Đã lập xong gói {count} báo cáo.")
