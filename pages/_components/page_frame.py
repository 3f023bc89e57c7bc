"""Opening a figure page: the database, the filter context and filters from the URL, and the no-data notices."""
from __future__ import annotations

from dash import html

from indicators import compute_period_table, store
from pages._components.filters import FilterContext, Filters, load_filter_context, parse_filters
from pages._components.formats import vn_date
from pages._components.notices import no_data_notice

__all__ = ["open_view", "scope_has_dossiers", "empty_period_notice", "page_choice", "period_total",
           "period_in_data"]


def open_view(query: dict):
    """(con, ctx, filters), or the notice to show instead when there is no database or no dossier at all."""
    con = store.current().connection()
    if con is None:
        return no_data_notice(store.current().db_path)
    ctx = load_filter_context(con)
    if ctx.data_start is None:
        return html.Div([html.H2("Chưa có hồ sơ"), html.P("Cơ sở dữ liệu chưa có hồ sơ nào. Xem trang Dữ liệu.")],
                        className="notice", id="no-data")
    return con, ctx, parse_filters(query, ctx)


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
    """Said instead of empty charts: which period and scope had no dossiers, and what the data covers."""
    return html.Div([
        html.H2("Không có số liệu trong kỳ này"),
        html.P(f"Không có số liệu hồ sơ của {scope_name} trong {filters.label()}."),
        html.P(f"Dữ liệu hiện có từ ngày {vn_date(ctx.data_start)} đến ngày {vn_date(ctx.data_end)}. "
               "Hãy chọn kỳ báo cáo, đơn vị hoặc lĩnh vực khác ở thanh lọc phía trên."),
    ], className="notice", id=f"{page}-no-data")


def page_choice(query: dict, key: str, allowed, default):
    """A page-only URL parameter: its value when allowed, else the default (a bad link never fails)."""
    value = query.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if value in allowed else default


def period_total(con, filters: Filters) -> dict:
    """The scope's total row for the period (one engine call): used to tell "no dossiers" from "nothing late"."""
    return compute_period_table(con, filters.period, by="level", unit=filters.unit, field=filters.field)["total"]
