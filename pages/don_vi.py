"""Đơn vị page: rankings within peer groups, drill-down city → district → ward, and each unit's own view."""
import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from indicators import INDICATORS, compute_period_table, store
from indicators.dashboard import compute_ranking
from indicators.definitions import INDICATOR_BY_ID
from indicators.engine import LEVEL_NAMES_VI
from indicators.units import descendants, peer_levels, unit_path
from pages._components.cards import status_text
from pages._components.charts import graph, ranked_bars
from pages._components.filters import filter_bar, load_filter_context, parse_filters, updated_search
from pages._components.formats import vn_target
from pages._components.notices import no_data_notice
from pages._components.sections import key_figures, period_table_section, period_table_title, scope_title, trends
from pages._components.tables import Column, data_table, download_button, indicator_column, period_table_xlsx, xlsx_bytes

dash.register_page(__name__, path="/don-vi", name="Đơn vị", title="Đơn vị – CCHC", order=1)

PAGE = "don-vi"
DEFAULT_INDICATOR = "on_time_rate"
CHART_LIMIT = 40   # more peers than this: the chart shows the best and the worst 20, the table all of them
LATE_DOSSIERS_PATH = "/ho-so-tre-han"


def _indicator(query: dict) -> str:
    value = query.get("chi_tieu")
    return value if value in INDICATOR_BY_ID else DEFAULT_INDICATOR


def _level(query: dict, levels: list[str]) -> str | None:
    value = query.get("cap")
    return value if value in levels else (levels[0] if levels else None)


def _value_column(ind_id: str, name: str) -> Column:
    spec = indicator_column(ind_id, name)   # ranking rows hold the indicator's value under "value"
    return Column("value", name, spec.kind, spec.decimals)


def _breadcrumb(filters, path) -> html.Nav:
    items = [dcc.Link("Toàn thành phố", href=f"/don-vi{filters.search(don_vi=None)}", id=f"{PAGE}-crumb-root")]
    for i, unit in enumerate(path):
        if unit.parent_code is None and i < len(path) - 1:
            continue   # the province itself is "Toàn thành phố"
        items.append(html.Span("›", className="sep"))
        if i == len(path) - 1:
            items.append(html.Strong(unit.name, id=f"{PAGE}-crumb-current"))
        else:
            items.append(dcc.Link(unit.name, href=f"/don-vi{filters.search(don_vi=unit.code)}"))
    return html.Nav(items, className="breadcrumb", id=f"{PAGE}-breadcrumb", **{"aria-label": "Đường dẫn đơn vị"})


def _ranking_section(con, filters, ind_id: str, levels: list[str], level: str) -> html.Section:
    ind = INDICATOR_BY_ID[ind_id]
    ranking = compute_ranking(con, ind_id, filters.period, level, within=filters.unit, field=filters.field)
    rows = ranking["rows"]
    with_value = [r for r in rows if r["value"] is not None]
    note = []
    chart_rows = with_value
    if len(with_value) > CHART_LIMIT:
        half = CHART_LIMIT // 2
        chart_rows = with_value[:half] + with_value[-half:]
        note.append(f"Biểu đồ: {half} đơn vị đứng đầu và {half} đơn vị đứng cuối trong số {len(with_value)}; "
                    "bảng bên dưới có đủ.")
    if ranking["by_subtree"]:
        note.append(f"Mỗi đơn vị {LEVEL_NAMES_VI.get(level, level).lower()} tính trên hồ sơ của đơn vị và các đơn vị trực thuộc.")
    missing = len(rows) - len(with_value)
    if missing:
        note.append(f"{missing} đơn vị không có số liệu để tính trong kỳ (cuối bảng).")
    note.append("Bấm vào một đơn vị trên biểu đồ hoặc trong bảng để xem chi tiết.")
    level_name = LEVEL_NAMES_VI.get(level, level)
    fig = ranked_bars(chart_rows, ind.name_vi, ind.unit, ind.decimals, ranking["comparator"], ranking["target"],
                      title=f"Xếp hạng {level_name.lower()}: {ind.name_vi}")
    for r in rows:
        r["status"] = status_text(r["is_met"])[0] if r["value"] is not None else "Không có số liệu"
        r["link"] = f"[{r['name']}](/don-vi{filters.search(don_vi=r['code'])})"
        r["target_text"] = vn_target(r["comparator"], r["target"], ind.unit, ind.decimals)
    value_col = _value_column(ind_id, "Giá trị")
    screen_columns = [Column("rank", "Hạng", "int"), Column("link", "Đơn vị", "markdown"), value_col,
                      Column("numerator", "Tử số", "int"), Column("denominator", "Mẫu số", "int"),
                      Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
                      Column("gap", "Chênh lệch so với chỉ tiêu", "points" if ind.unit == "fraction" else "days", ind.decimals),
                      Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Hồ sơ đã giải quyết", "int")]
    stem = filters.file_stem(f"xep_hang_{level}_{ind_id}")
    return html.Section([
        html.H2("Xếp hạng trong từng nhóm đơn vị cùng cấp"),
        dcc.Store(id=f"{PAGE}-ranking-initial", data=[ind_id, level]),
        html.Div([
            html.Label([html.Span("Chỉ tiêu", className="filter-label"),
                        dcc.Dropdown(id=f"{PAGE}-chi-tieu", options=[{"label": i.name_vi, "value": i.id} for i in INDICATORS],
                                     value=ind_id, clearable=False)], className="filter-item"),
            html.Label([html.Span("Nhóm đơn vị (không xếp lẫn các cấp)", className="filter-label"),
                        dcc.RadioItems(id=f"{PAGE}-cap", options=[{"label": LEVEL_NAMES_VI.get(lv, lv), "value": lv}
                                                                 for lv in levels],
                                       value=level, inline=True, className="radio-inline")], className="filter-item"),
        ], className="ranking-controls"),
        html.P(" ".join(note), className="hint", id=f"{PAGE}-ranking-note"),
        graph(f"{PAGE}-ranking-chart", fig, stem),
        download_button(f"{PAGE}-ranking-download-button", f"{PAGE}-ranking-download", "Tải bảng xếp hạng (.xlsx)"),
        data_table(f"{PAGE}-ranking-table", rows, screen_columns, page_size=50),
    ], id=f"{PAGE}-ranking")


def _unit_header(filters, unit) -> html.P:
    late_link = f"{LATE_DOSSIERS_PATH}{filters.search()}"   # same unit and period on the late-dossier page
    return html.P([html.Span(f"{LEVEL_NAMES_VI.get(unit.level, unit.level)} · mã {unit.code}", className="hint"), " ",
                   dcc.Link("Xem hồ sơ trễ hạn →", href=late_link, id=f"{PAGE}-late-link")], className="unit-links")


def layout(**query):
    con = store.current().connection()
    if con is None:
        return no_data_notice(store.current().db_path)
    ctx = load_filter_context(con)
    if ctx.data_start is None:
        return html.Div([html.H2("Chưa có hồ sơ"), html.P("Cơ sở dữ liệu chưa có hồ sơ nào. Xem trang Dữ liệu.")],
                        className="notice", id="no-data")
    filters = parse_filters(query, ctx)
    path = unit_path(con, filters.unit) if filters.unit else []
    below = descendants(con, filters.unit, filters.period.start, filters.period.end)
    levels = peer_levels(below)
    level = _level(query, levels)
    body = [dcc.Store(id=f"{PAGE}-query", data=query), filter_bar(filters, ctx), _breadcrumb(filters, path),
            html.H2(scope_title(filters, ctx), id=f"{PAGE}-scope", className="scope-title")]
    # A unit's view: its own figures first, then its sub-units ranked (a district's wards), then its trends
    # and period table. The city (no unit) is the ranking alone; Tổng quan holds its figures.
    if path:
        body += [_unit_header(filters, path[-1]), key_figures(PAGE, con, filters, ctx)]
    if level:
        body.append(_ranking_section(con, filters, _indicator(query), levels, level))
    if path:
        body += [trends(PAGE, con, filters, ctx),
                 period_table_section(PAGE, con, filters, ctx, "unit", {"unit": "Đơn vị"})]
    return html.Div(body, id=f"{PAGE}-page")


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-chi-tieu", "value"),
          Input(f"{PAGE}-cap", "value"), State("url", "search"), State(f"{PAGE}-ranking-initial", "data"),
          prevent_initial_call=True)
def _choose_ranking(ind_id, level, search, initial):
    if [ind_id, level] == initial:   # fired because the page was rendered, not by the user
        return no_update
    new = updated_search(search, chi_tieu=None if ind_id == DEFAULT_INDICATOR else ind_id, cap=level)
    return no_update if new == (search or "") else new


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-ranking-chart", "clickData"),
          State("url", "search"), prevent_initial_call=True)
def _drill_down(click, search):
    # A click opens the unit's view, keeping the period, sector and indicator; the peer level is dropped so
    # the unit's own sub-units (a district's wards) come first.
    try:
        code = click["points"][0]["customdata"][3]
    except (TypeError, KeyError, IndexError):
        return no_update
    return updated_search(search, don_vi=code, cap=None) if code else no_update


@callback(Output(f"{PAGE}-ranking-download", "data"), Input(f"{PAGE}-ranking-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), prevent_initial_call=True)
def _download_ranking(n_clicks, query):
    con = store.current().connection()
    if not n_clicks or con is None:
        return no_update
    query = query or {}
    ctx = load_filter_context(con)
    filters = parse_filters(query, ctx)
    levels = peer_levels(descendants(con, filters.unit, filters.period.start, filters.period.end))
    level = _level(query, levels)
    if level is None:
        return no_update
    ind_id = _indicator(query)
    ind = INDICATOR_BY_ID[ind_id]
    ranking = compute_ranking(con, ind_id, filters.period, level, within=filters.unit, field=filters.field)
    for r in ranking["rows"]:
        r["status"] = status_text(r["is_met"])[0] if r["value"] is not None else "Không có số liệu"
        r["target_text"] = vn_target(r["comparator"], r["target"], ind.unit, ind.decimals)
    columns = [Column("rank", "Hạng", "int"), Column("code", "Mã đơn vị"), Column("name", "Đơn vị"),
               _value_column(ind_id, ind.name_vi), Column("numerator", "Tử số", "int"),
               Column("denominator", "Mẫu số", "int"), Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
               Column("gap", "Chênh lệch (điểm %)" if ind.unit == "fraction" else "Chênh lệch (ngày)",
                      "points" if ind.unit == "fraction" else "days", ind.decimals),
               Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Hồ sơ đã giải quyết", "int")]
    title = f"XẾP HẠNG {LEVEL_NAMES_VI.get(level, level).upper()}: {ind.name_vi.upper()}"
    data = xlsx_bytes(ranking["rows"], columns, title, f"{scope_title(filters, ctx)} · {filters.label()}",
                      sheet="Xep hang")
    return dcc.send_bytes(data, f"{filters.file_stem(f'xep_hang_{level}_{ind_id}')}.xlsx")


@callback(Output(f"{PAGE}-download", "data"), Input(f"{PAGE}-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), prevent_initial_call=True)
def _download_table(n_clicks, query):
    con = store.current().connection()
    if not n_clicks or con is None:
        return no_update
    ctx = load_filter_context(con)
    filters = parse_filters(query or {}, ctx)
    table = compute_period_table(con, filters.period, by="unit", unit=filters.unit, field=filters.field)
    data = period_table_xlsx(table, title=period_table_title(filters, ctx))
    return dcc.send_bytes(data, f"{filters.file_stem('bang_tong_hop')}.xlsx")
