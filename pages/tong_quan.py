"""Tổng quan page: the units below target, then the chosen scope's key figures against targets, monthly trends and
the statutory period table."""
import dash
from dash import Input, Output, State, callback, html, no_update

from indicators.dashboard import prefetch_view
from pages._components.downloads import register_period_table_download
from pages._components.filters import parse_query, updated_search
from pages._components.page_frame import (empty_period_notice, figure_layout, page_head, period_total,
                                          scope_has_dossiers)
from pages._components.sections import (CARD_INDICATORS, TABLE_GROUPINGS, city_comparison, key_figures,
                                        period_table_section, scope_title, trends)
from pages._components.shortfalls import shortfall_section

dash.register_page(__name__, path="/", name="Tổng quan", title="Tổng quan – CCHC", order=0)

PAGE = "tong-quan"
DEFAULT_GROUPING = "department"


def _grouping(query: dict) -> str:
    value = query.get("nhom")
    return value if value in TABLE_GROUPINGS else DEFAULT_GROUPING


@figure_layout
def layout(con, ctx, filters, query):
    head = page_head(PAGE, query, filters, ctx, scope_title(filters, ctx))
    # the cards' periods and the trend's months in one query (the sections below find them)
    prefetch_view(con, filters.period, ctx.data_start, None, filters.unit, filters.field)
    if not scope_has_dossiers(filters, ctx, period_total(con, filters)):
        # Said in words: cards of zeros and an empty table read as "nothing was late", which is not known.
        return html.Div([*head, empty_period_notice(PAGE, filters, ctx, scope_title(filters, ctx))], id=f"{PAGE}-page")
    return html.Div([
        *head,
        # Who missed the target comes first: it is what leadership opens the dashboard for.
        shortfall_section(PAGE, con, filters, CARD_INDICATORS),
        key_figures(PAGE, con, filters, ctx),
        *([city_comparison(PAGE, con, filters, ctx)] if ctx.root_unit else []),   # a unit account's view of the city
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


register_period_table_download(PAGE, _grouping)
