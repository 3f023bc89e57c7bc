"""Hồ sơ trễ hạn page: the late and overdue dossiers of the period and scope, paged on the server, with detail and xlsx."""
import dash
from dash import Input, Output, State, callback, ctx as dash_ctx, dcc, html, no_update

from common.formats import vn_int
from exports.late_dossiers import write_late_dossiers_xlsx
from indicators import get_dossier_detail, list_late_dossiers, store
from indicators.dossier_list import SORT_COLUMNS
from pages._components.filters import parse_query, updated_search
from pages._components.page_frame import (empty_period_notice, figure_layout, page_choice, page_head, period_in_data,
                                          period_total, scope_has_dossiers, stored_view)
from pages._components.sections import scope_title
from pages._components.server_table import cell_text, server_table, sort_spec
from pages._components.tables import Column, busy_while_building
from pages._components.viewer_scope import visible_codes

dash.register_page(__name__, path="/ho-so-tre-han", name="Hồ sơ trễ hạn", title="Hồ sơ trễ hạn – CCHC", order=4)

PAGE = "ho-so-tre-han"
PATH = "/ho-so-tre-han"
PAGE_SIZE = 25
# URL values of the page's own filters (ASCII, like the shared ones) → list_late_dossiers arguments.
KIND_VALUES = {"ca_hai": "both", "da_giai_quyet": "resolved_late", "dang_qua_han": "pending_overdue"}
KIND_LABELS = {"ca_hai": "Cả hai", "da_giai_quyet": "Đã giải quyết quá hạn", "dang_qua_han": "Đang giải quyết quá hạn"}
APOLOGY_VALUES = {"tat_ca": None, "co": True, "khong": False}
APOLOGY_LABELS = {"tat_ca": "Tất cả", "co": "Đã có phiếu xin lỗi", "khong": "Chưa có phiếu xin lỗi"}
PAGE_KEYS = ("loai", "so_ngay", "xin_loi", "thu_tuc")
MAX_DAYS = 100_000

COLUMNS = [Column("dossier_code", "Mã hồ sơ"), Column("unit_name", "Đơn vị"),
           Column("procedure_name", "Thủ tục hành chính"), Column("field", "Lĩnh vực"),
           Column("received_date", "Ngày tiếp nhận", "date"), Column("due_date", "Ngày hẹn trả", "date"),
           Column("finished_date", "Ngày có kết quả", "date"), Column("days_late", "Số ngày quá hạn", "int"),
           Column("supplement_count", "Số lần bổ sung", "int"), Column("apology_issued", "Phiếu xin lỗi", "flag"),
           Column("kind_name", "Tình trạng"), Column("status", "Trạng thái hồ sơ")]
# Table column → the sort key list_late_dossiers accepts; a column not listed keeps the default order.
SORT_KEYS = {c.id: c.id for c in COLUMNS if c.id in SORT_COLUMNS} | {"kind_name": "kind"}
DEFAULT_SORT = ("days_late", True)


def _late_filters(query: dict) -> dict:
    """The page's own filters from the URL, each falling back to "no filter" when the value is not valid."""
    days = query.get("so_ngay")
    try:
        days = int(days) if days not in (None, "") else None
    except (TypeError, ValueError):
        days = None
    if days is not None and not 0 < days <= MAX_DAYS:
        days = None
    procedure = query.get("thu_tuc")
    procedure = procedure.strip()[:200] if isinstance(procedure, str) and procedure.strip() else None
    return {"loai": page_choice(query, "loai", KIND_VALUES, "ca_hai"), "so_ngay": days,
            "xin_loi": page_choice(query, "xin_loi", APOLOGY_VALUES, "tat_ca"), "thu_tuc": procedure}


def _filters_text(late: dict) -> str | None:
    """The page's filters besides the kind (the title says it), as the file says them: «Chưa có phiếu xin lỗi; quá
    hạn từ 5 ngày trở lên» — a filtered list was titled as the whole list (probe 25)."""
    parts = [APOLOGY_LABELS[late["xin_loi"]]] if late["xin_loi"] != "tat_ca" else []
    if late["so_ngay"]:
        parts.append(f"quá hạn từ {vn_int(late['so_ngay'])} ngày trở lên")
    if late["thu_tuc"]:
        parts.append(f"thủ tục «{late['thu_tuc']}»")
    return "; ".join(parts) or None


def _list_args(filters, late: dict) -> dict:
    return {"unit": filters.unit, "field": filters.field, "procedure": late["thu_tuc"],
            "min_days_late": late["so_ngay"], "apology": APOLOGY_VALUES[late["xin_loi"]],
            "kind": KIND_VALUES[late["loai"]]}


def _sort(sort_by) -> tuple[str, bool]:
    column, descending = sort_spec(sort_by, DEFAULT_SORT)
    return (SORT_KEYS[column], descending) if column in SORT_KEYS else ("days_late", True)


def _screen_rows(rows: list[dict]) -> list[dict]:
    # Cells travel as text already in Vietnamese form (sorting happens in the database, not in the browser);
    # the row id "source:code" is what a click on the code opens.
    return [{"id": f"{r['source']}:{r['dossier_code']}", **{c.id: cell_text(c, r.get(c.id)) for c in COLUMNS}}
            for r in rows]


def _fetch(con, filters, late: dict, sort_by=None, page: int = 0) -> dict:
    key, descending = _sort(sort_by)
    return list_late_dossiers(con, filters.period, **_list_args(filters, late), sort=key, descending=descending,
                              limit=PAGE_SIZE, offset=page * PAGE_SIZE)


def _controls(late: dict) -> html.Div:
    return html.Div([
        dcc.Store(id=f"{PAGE}-controls-initial", data=[late["loai"], late["so_ngay"], late["xin_loi"]]),
        html.Label([html.Span("Tình trạng hồ sơ", className="filter-label"),
                    dcc.RadioItems(id=f"{PAGE}-loai", options=[{"label": v, "value": k} for k, v in KIND_LABELS.items()],
                                   value=late["loai"], inline=True, className="radio-inline")],
                   className="filter-item"),
        html.Label([html.Span("Quá hạn từ (ngày) trở lên", className="filter-label"),
                    dcc.Input(id=f"{PAGE}-so-ngay", type="number", min=1, max=MAX_DAYS, step=1, debounce=True,
                              value=late["so_ngay"], placeholder="mọi số ngày", className="days-input")],
                   className="filter-item"),
        html.Label([html.Span("Phiếu xin lỗi", className="filter-label"),
                    dcc.RadioItems(id=f"{PAGE}-xin-loi",
                                   options=[{"label": v, "value": k} for k, v in APOLOGY_LABELS.items()],
                                   value=late["xin_loi"], inline=True, className="radio-inline")],
                   className="filter-item"),
    ], className="ranking-controls late-controls", id=f"{PAGE}-controls")


def _procedure_chip(filters, late: dict, rows: list[dict]) -> html.P | None:
    if not late["thu_tuc"]:
        return None
    name = next((r["procedure_name"] for r in rows if r.get("procedure_name")), None)
    text = f"{late['thu_tuc']} – {name}" if name and name != late["thu_tuc"] else late["thu_tuc"]
    keep = {k: v for k, v in _page_params(late).items() if k != "thu_tuc"}
    return html.P(["Chỉ thủ tục: ", html.Strong(text, id=f"{PAGE}-procedure"), " ",
                   dcc.Link("✕ Bỏ lọc thủ tục", href=PATH + filters.search(**keep), id=f"{PAGE}-procedure-clear")],
                  className="filter-chip")


def _page_params(late: dict) -> dict:
    """The page's filters as URL parameters, defaults left out (None removes a key)."""
    return {"loai": None if late["loai"] == "ca_hai" else late["loai"], "so_ngay": late["so_ngay"],
            "xin_loi": None if late["xin_loi"] == "tat_ca" else late["xin_loi"], "thu_tuc": late["thu_tuc"]}


def _counts_line(result: dict, overall: dict | None) -> html.P:
    counts = result["counts"]
    parts = [html.Strong(vn_int(result["total_count"]), id=f"{PAGE}-total"), " hồ sơ: ",
             html.Strong(vn_int(counts["resolved_late"]), id=f"{PAGE}-resolved-late"), " giải quyết quá hạn, ",
             html.Strong(vn_int(counts["pending_overdue"]), id=f"{PAGE}-pending-overdue"), " đang quá hạn"]
    if overall is not None:
        parts.append(f" (lọc từ {vn_int(overall['total_count'])} hồ sơ trễ hạn của kỳ: "
                     f"{vn_int(overall['counts']['resolved_late'])} giải quyết quá hạn, "
                     f"{vn_int(overall['counts']['pending_overdue'])} đang quá hạn)")
    return html.P(parts, className="late-counts", id=f"{PAGE}-counts")


# ---------------------------------------------------------------------------------------------------------
# The dossier detail: a side panel over the page, opened by a click on a code or by ?ho_so=SOURCE:CODE.

def _split_key(key: str | None) -> tuple[str, str] | None:
    if not key or ":" not in key:
        return None
    source, code = key.split(":", 1)
    return (source, code) if source and code else None


def _detail_body(con, key: str | None, search: str | None) -> list:
    parts = _split_key(key)
    # a unit account opens only its own subtree's dossiers: another's answers as a code that does not exist
    detail = get_dossier_detail(con, *parts, units=visible_codes(con)) if parts else None
    if detail is None:
        return [html.H2("Không tìm thấy hồ sơ"),
                html.P(f"Không có hồ sơ mang mã “{key}” trong cơ sở dữ liệu.")]
    items = []
    for f in detail["fields"]:
        items += [html.Dt(f["label"]), html.Dd(f["text"], id=f"{PAGE}-detail-{f['field'].replace('_', '-')}")]
    link = PATH + updated_search(search, ho_so=key)
    return [html.H2(["Hồ sơ ", html.Span(detail["dossier_code"], id=f"{PAGE}-detail-code")]),
            html.P(dcc.Link("Liên kết đến hồ sơ này (để gửi cho người khác) →", href=link,
                            id=f"{PAGE}-detail-link"), className="hint"),
            html.Dl(items, className="detail-list")]


def _drawer(con, key: str | None, search: str | None) -> html.Aside:
    body = _detail_body(con, key, search) if key else []
    return html.Aside([
        html.Button("✕ Đóng", id=f"{PAGE}-detail-close", className="download-button detail-close", n_clicks=0,
                    title="Đóng thông tin hồ sơ"),
        html.Div(body, id=f"{PAGE}-detail-body"),
    ], id=f"{PAGE}-detail", className="detail-drawer" + (" detail-drawer--open" if key else ""),
        role="dialog", **{"aria-label": "Thông tin chi tiết hồ sơ"})


# ---------------------------------------------------------------------------------------------------------

@figure_layout
def layout(con, ctx, filters, query):
    late = _late_filters(query)
    search = filters.search(**_page_params(late))
    result = _fetch(con, filters, late)
    scope = scope_title(filters, ctx)
    body = page_head(PAGE, query, filters, ctx, f"Hồ sơ trễ hạn – {scope}") + [_controls(late)]
    chip = _procedure_chip(filters, late, result["rows"])
    if chip is not None:
        body.append(chip)
    # A period past the last snapshot would list the dossiers still open then as overdue for ever: no data.
    if not period_in_data(filters, ctx) or (result["total_count"] == 0
                                            and not scope_has_dossiers(filters, ctx, period_total(con, filters))):
        result = {**result, "total_count": 0, "rows": []}
        body.append(empty_period_notice(PAGE, filters, ctx, scope))
    elif result["total_count"] == 0:
        body += [_counts_line(result, None),
                 html.Div([html.H2("Không có hồ sơ trễ hạn"),
                           html.P(f"Trong {filters.label()}, {scope} không có hồ sơ giải quyết quá hạn hoặc "
                                  "đang quá hạn thỏa các điều kiện đã chọn.")],
                          className="notice", id=f"{PAGE}-none")]
    else:
        filtered = any(v is not None for v in _page_params(late).values())
        overall = (list_late_dossiers(con, filters.period, unit=filters.unit, field=filters.field, limit=1)
                   if filtered else None)
        body += [_counts_line(result, overall),
                 html.P(f"{filters.label()}. Số ngày quá hạn tính theo ngày lịch từ ngày hẹn trả đến ngày có kết quả "
                        "(hồ sơ đang giải quyết: đến ngày cuối kỳ); hồ sơ phải bổ sung quá một lần cũng tính là quá "
                        "hạn. Bấm vào mã hồ sơ để xem chi tiết; bấm vào tiêu đề cột để sắp xếp.", className="hint")]
    # The table, its download and the detail panel are always in the layout (hidden when the list is empty):
    # the callbacks read them, and Dash refuses a callback whose input is missing.
    body += [
        html.Div([
            html.Div([html.Button(["⬇ ", "Tải Excel (toàn bộ danh sách)"], id=f"{PAGE}-download-button",
                                  className="download-button", n_clicks=0),
                      dcc.Loading(html.Span(id=f"{PAGE}-download-status", className="hint"), type="dot"),
                      dcc.Download(id=f"{PAGE}-download")], className="download"),
            server_table(f"{PAGE}-table", COLUMNS, _screen_rows(result["rows"]), result["total_count"], PAGE_SIZE,
                         sort_by=[{"column_id": "days_late", "direction": "desc"}], link_columns=("dossier_code",),
                         wide_columns=("procedure_name",)),
        ], id=f"{PAGE}-results", style=None if result["total_count"] else {"display": "none"}),
        _drawer(con, query.get("ho_so"), search),
    ]
    return html.Div(body, id=f"{PAGE}-page")


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-loai", "value"),
          Input(f"{PAGE}-so-ngay", "value"), Input(f"{PAGE}-xin-loi", "value"), State("url", "search"),
          State(f"{PAGE}-controls-initial", "data"), prevent_initial_call=True)
def _choose_late_filters(kind, days, apology, search, initial):
    if [kind, days, apology] == initial:   # fired because the page was rendered, not by the user
        return no_update
    late = _late_filters({"loai": kind, "so_ngay": days, "xin_loi": apology})
    # A new selection closes the open dossier: its row may no longer be in the list.
    changes = {k: v for k, v in _page_params(late).items() if k != "thu_tuc"}
    new = updated_search(search, **changes, ho_so=None)
    return no_update if new == (search or "") else new


@callback(Output(f"{PAGE}-table", "data"), Output(f"{PAGE}-table", "page_count"),
          Output(f"{PAGE}-table", "page_current"),
          Input(f"{PAGE}-table", "page_current"), Input(f"{PAGE}-table", "sort_by"), State(f"{PAGE}-query", "data"),
          prevent_initial_call=True)
def _turn_page(page_current, sort_by, query):
    con, _, filters = stored_view(query)
    if con is None:
        return no_update, no_update, no_update
    query = query or {}
    # A new sort order starts again from the first page.
    page = 0 if dash_ctx.triggered_id and "sort_by" in str(dash_ctx.triggered[0]["prop_id"]) else (page_current or 0)
    result = _fetch(con, filters, _late_filters(query), sort_by, page)
    count = max(1, -(-result["total_count"] // PAGE_SIZE))
    return _screen_rows(result["rows"]), count, page


@callback(Output(f"{PAGE}-detail-body", "children"), Output(f"{PAGE}-detail", "className"),
          Output(f"{PAGE}-table", "active_cell"), Output("url", "search", allow_duplicate=True),
          Input(f"{PAGE}-table", "active_cell"), Input(f"{PAGE}-detail-close", "n_clicks"),
          State("url", "search"), prevent_initial_call=True)
def _show_detail(cell, _close, search):
    if dash_ctx.triggered_id == f"{PAGE}-detail-close":
        # The cell is released so that a second click on it opens it again; a panel opened from a link
        # (?ho_so=…) leaves the address too, or a reload would open it again.
        opened_by_link = "ho_so" in parse_query(search)
        return [], "detail-drawer", None, updated_search(search, ho_so=None) if opened_by_link else no_update
    if not cell or cell.get("column_id") != "dossier_code" or not cell.get("row_id"):
        return no_update, no_update, no_update, no_update
    con = store.current().connection()
    if con is None:
        return no_update, no_update, no_update, no_update
    return _detail_body(con, cell["row_id"], search), "detail-drawer detail-drawer--open", no_update, no_update


@callback(Output(f"{PAGE}-download", "data"), Output(f"{PAGE}-download-status", "children"),
          Input(f"{PAGE}-download-button", "n_clicks"), State(f"{PAGE}-query", "data"),
          State(f"{PAGE}-table", "sort_by"), prevent_initial_call=True,
          running=busy_while_building(f"{PAGE}-download-button"))
def _download(n_clicks, query, sort_by):
    if not n_clicks:
        return no_update, no_update
    con, ctx, filters = stored_view(query)
    if con is None:
        return no_update, no_update
    query = query or {}
    key, descending = _sort(sort_by)
    # The whole filtered list, in the order on screen: not just the page the browser holds.
    result = list_late_dossiers(con, filters.period, **_list_args(filters, _late_filters(query)), sort=key,
                                descending=descending, limit=None)
    scope = scope_title(filters, ctx)
    late = _late_filters(query)
    kind = KIND_VALUES[late["loai"]]
    data = dcc.send_bytes(lambda buf: write_late_dossiers_xlsx(result["rows"], buf, filters.period, scope,
                                                               None if kind == "both" else kind, _filters_text(late)),
                          f"{filters.file_stem('ho_so_tre_han')}.xlsx")
    return data, f"Đã tạo tệp Excel: {vn_int(len(result['rows']))} hồ sơ."
