"""Opening a figure page: the database, the filter context and filters from the URL, and the no-data notices."""
from __future__ import annotations

from dash import Input, Output, State, callback, dcc, html, no_update

from common.formats import vn_date
from indicators import store
from indicators.dashboard import scorecard_periods
from indicators.engine import compute_period_totals
from indicators.units import successors_of, unit_successor
from indicators.view_cache import one_view
from pages._components.filters import (FilterContext, Filters, filter_bar, load_filter_context, parse_filters,
                                       updated_search)
from pages._components.memo import memo_by_database
from pages._components.notices import no_data_notice

__all__ = ["open_view", "figure_layout", "database_layout", "stored_view", "page_head", "register_ranking_choice", "scope_has_dossiers",
           "empty_period_notice", "page_choice", "period_total", "period_in_data", "register_drill_down"]


def _connection_or_notice():
    """The store's connection, or the notice a page shows when there is no database file to read."""
    con = store.current().connection()
    return no_data_notice(store.current().db_path) if con is None else con


def open_view(query: dict):
    """(con, ctx, filters), or the notice to show instead when there is no database or no dossier at all."""
    con = _connection_or_notice()
    if isinstance(con, html.Div):
        return con
    ctx = load_filter_context(con)
    if ctx.root_unit is not None and not ctx.unit_codes:
        # a unit account whose unit the catalogue no longer holds (or none at all): nothing of anyone else instead
        return html.Div([html.H2("Đơn vị của tài khoản không có trong danh mục"),
                         html.P("Tài khoản đơn vị này không gắn với đơn vị nào trong danh mục đơn vị của dữ liệu. Quản "
                                "trị viên cần tạo lại tài khoản với mã đơn vị đúng.")],
                        className="notice", id="no-unit")
    if ctx.data_start is None:
        return html.Div([html.H2("Chưa có hồ sơ"), html.P("Cơ sở dữ liệu chưa có hồ sơ nào. Xem trang Dữ liệu.")],
                        className="notice", id="no-data")
    return con, ctx, parse_filters(query, ctx)


def figure_layout(build):
    """A figure page's layout(**query): the no-data notice, or build(con, ctx, filters, query); each view kept
    per database file (memo_by_database), so a view someone has opened is not computed again."""
    @memo_by_database()
    def layout(**query):
        with one_view():   # the sections of the view share what they read (indicators.view_cache)
            opened = open_view(query)
            if not isinstance(opened, tuple):
                return opened
            return build(*opened, query)
    # not functools.wraps: Dash calls layout(**query), and the signature must say so
    layout.__doc__, layout.__module__ = build.__doc__, build.__module__
    return layout


def database_layout(build):
    """The layout(**query) of a page that reads the database without the shared filters (Chỉ số CCHC, Kế hoạch
    CCHC, Hài lòng before its survey-year default): the no-data notice, or build(con, query); each view kept per
    database file and viewer like figure_layout's."""
    @memo_by_database()
    def layout(**query):
        with one_view():
            con = _connection_or_notice()
            return con if isinstance(con, html.Div) else build(con, query)
    layout.__doc__, layout.__module__ = build.__doc__, build.__module__
    return layout


def stored_view(query: dict | None):
    """(con, ctx, filters) for a callback, from the query the page stored when it was drawn; (None, None, None)
    when there is no database. Unlike open_view, a database without dossiers still gives filters."""
    con = store.current().connection()
    if con is None:
        return None, None, None
    ctx = load_filter_context(con)
    return con, ctx, parse_filters(query or {}, ctx)


def page_head(page: str, query: dict, filters: Filters, ctx: FilterContext, heading: str) -> list:
    """The top of a figure page: the stored query (read by its callbacks), the filter bar and the scope heading."""
    return [dcc.Store(id=f"{page}-query", data=query), filter_bar(filters, ctx, query),
            html.H2(heading, id=f"{page}-scope", className="scope-title")]


def register_ranking_choice(page: str, initial_store: str, default_indicator: str) -> None:
    """The callback that puts the chosen indicator (<page>-chi-tieu) and peer level (<page>-cap) into the URL as
    chi_tieu (left out for the default indicator) and cap; initial_store holds the values the page was drawn with."""
    @callback(Output("url", "search", allow_duplicate=True), Input(f"{page}-chi-tieu", "value"),
              Input(f"{page}-cap", "value"), State("url", "search"), State(initial_store, "data"),
              prevent_initial_call=True)
    def _choose(ind_id, level, search, initial):
        if [ind_id, level] == initial:   # fired because the page was rendered, not by the user
            return no_update
        new = updated_search(search, chi_tieu=None if ind_id == default_indicator else ind_id, cap=level)
        return no_update if new == (search or "") else new


def register_drill_down(chart_id: str, code_index: int = 3) -> None:
    """A click on a unit's bar in chart_id scopes the page to that unit (don_vi=…), keeping the period, sector and
    indicator; the peer level is dropped so the unit's own sub-units (a district's wards) come first. The unit code
    is the bar's customdata[code_index]."""
    @callback(Output("url", "search", allow_duplicate=True), Input(chart_id, "clickData"),
              State("url", "search"), prevent_initial_call=True)
    def _drill_down(click, search):
        try:
            code = click["points"][0]["customdata"][code_index]
        except (TypeError, KeyError, IndexError):
            return no_update
        return updated_search(search, don_vi=code, cap=None) if code else no_update


def scope_has_dossiers(filters: Filters, ctx: FilterContext, table_total: dict) -> bool:
    """Whether the period lies within the loaded data and the scope had anything to handle in it (a total row of
    compute_period_table). A period after the last snapshot would show the dossiers still open then as
    "pending" for ever: nothing is known about it, so it counts as no data."""
    return period_in_data(filters, ctx) and bool(table_total.get("total_to_handle"))


def period_in_data(filters: Filters, ctx: FilterContext) -> bool:
    """Whether the period overlaps the days the loaded data covers."""
    return (ctx.data_start is not None and filters.period.start <= ctx.data_end
            and filters.period.end >= ctx.data_start)


def empty_period_notice(page: str, filters: Filters, ctx: FilterContext, scope_name: str) -> html.Div:
    """Said instead of empty charts: which period and scope had no dossiers, and what the data covers; for a
    unit merged into another before the period, where its work went (with a link to that unit's view)."""
    return html.Div([
        html.H2("Không có số liệu trong kỳ này"),
        html.P(f"Không có số liệu hồ sơ của {scope_name} trong {filters.label()}."),
        *_merger_note(page, filters),
        html.P(f"Dữ liệu hiện có từ ngày {vn_date(ctx.data_start)} đến ngày {vn_date(ctx.data_end)}. "
               "Hãy chọn kỳ báo cáo, đơn vị hoặc lĩnh vực khác ở thanh lọc phía trên."),
    ], className="notice", id=f"{page}-no-data")


def _merger_note(page: str, filters: Filters) -> list:
    con = store.current().connection() if filters.unit else None
    merged = unit_successor(con, filters.unit) if con is not None else None
    if not merged or merged[2] >= filters.period.start:
        return []
    code, name, last_day = merged
    path = "/" if page == "tong-quan" else f"/{page}"
    others = successors_of(con, filters.unit)[1:]
    if not others:
        return [html.P(["Đơn vị này đã sáp nhập vào ", dcc.Link(name, href=path + filters.search(don_vi=code),
                                                                id=f"{page}-successor-link"),
                        f" (hoạt động đến ngày {vn_date(last_day)}); hồ sơ từ sau ngày đó thuộc {name}."])]
    # Split between several new units: each, with the share it received.
    links = [dcc.Link(name, href=path + filters.search(don_vi=code), id=f"{page}-successor-link")]
    for s in others:
        links += [", ", dcc.Link(s.name, href=path + filters.search(don_vi=s.code))]
    return [html.P(["Đơn vị này đã được sắp xếp vào ", *links, f" (hoạt động đến ngày {vn_date(last_day)}); hồ sơ "
                    "từ sau ngày đó thuộc các đơn vị mới — xem trang của từng đơn vị."])]


def page_choice(query: dict, key: str, allowed, default):
    """A page-only URL parameter: its value when allowed, else the default (a bad link never fails)."""
    value = query.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if value in allowed else default


def period_total(con, filters: Filters) -> dict:
    """The scope's total row for the period: used to tell "no dossiers" from "nothing late". Asked with the periods
    the key figures compare it with (one query for the three, which the cards then reuse within the view)."""
    return compute_period_totals(con, scorecard_periods(filters.period), filters.unit, filters.field, catalogue=False)[0]
