"""Tổng quan page: the chosen scope's key figures against targets, monthly trends and the statutory period table."""
import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from indicators import compute_period_table, store
from pages._components.filters import filter_bar, load_filter_context, parse_filters, parse_query, updated_search
from pages._components.notices import no_data_notice
from pages._components.sections import (TABLE_GROUPINGS, key_figures, period_table_section, period_table_title,
                                        scope_title, trends)
from pages._components.tables import period_table_xlsx

dash.register_page(__name__, path="/", name="Tổng quan", title="Tổng quan – CCHC", order=0)

PAGE = "tong-quan"
DEFAULT_GROUPING = "department"


def _grouping(query: dict) -> str:
    value = query.get("nhom")
    return value if value in TABLE_GROUPINGS else DEFAULT_GROUPING


def layout(**query):
    con = store.current().connection()
    if con is None:
        return no_data_notice(store.current().db_path)
    ctx = load_filter_context(con)
    if ctx.data_start is None:
        return html.Div([html.H2("Chưa có hồ sơ"), html.P("Cơ sở dữ liệu chưa có hồ sơ nào. Xem trang Dữ liệu.")],
                        className="notice", id="no-data")
    filters = parse_filters(query, ctx)
    return html.Div([
        dcc.Store(id=f"{PAGE}-query", data=query),
        filter_bar(filters, ctx),
        html.H2(scope_title(filters, ctx), id=f"{PAGE}-scope", className="scope-title"),
        key_figures(PAGE, con, filters, ctx),
        trends(PAGE, con, filters, ctx),
        period_table_section(PAGE, con, filters, ctx, _grouping(query)),
    ], id=f"{PAGE}-page")


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-nhom", "value"), State("url", "search"),
          prevent_initial_call=True)
def _choose_grouping(by, search):
    if by == _grouping(parse_query(search)):   # fired because the page was rendered, not by the user
        return no_update
    new = updated_search(search, nhom=None if by == DEFAULT_GROUPING else by)
    return no_update if new == (search or "") else new


@callback(Output(f"{PAGE}-download", "data"), Input(f"{PAGE}-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), prevent_initial_call=True)
def _download_table(n_clicks, query):
    con = store.current().connection()
    if not n_clicks or con is None:
        return no_update
    ctx = load_filter_context(con)
    filters = parse_filters(query or {}, ctx)
    table = compute_period_table(con, filters.period, by=_grouping(query or {}), unit=filters.unit,
                                 field=filters.field)
    data = period_table_xlsx(table, title=period_table_title(filters, ctx))
    return dcc.send_bytes(data, f"{filters.file_stem('bang_tong_hop')}.xlsx")
