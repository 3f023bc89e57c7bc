"""Đơn vị page: rankings within peer groups, drill-down city → district → ward, and each unit's own view."""
import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from indicators import INDICATORS
from indicators.definitions import INDICATOR_BY_ID
from indicators.engine import LEVEL_NAMES_VI
from indicators.units import descendants, peer_levels, unit_path
from pages._components.charts import graph, ranked_bars
from pages._components.downloads import Sheet, register_download, register_period_table_download
from pages._components.filters import filter_bar, updated_search
from pages._components.page_frame import (empty_period_notice, figure_layout, period_total, register_ranking_choice,
                                          scope_has_dossiers)
from pages._components.sections import key_figures, period_table_section, ranking_rows, scope_title, trends
from pages._components.tables import Column, data_table, download_button, indicator_column

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
    ranking = ranking_rows(con, filters, ind_id, level)
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
                      title=f"Xếp hạng {level_name.lower()}: {ind.name_vi} – {filters.period_name()}")
    for r in rows:
        r["link"] = f"[{r['name']}](/don-vi{filters.search(don_vi=r['code'])})"
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
                   dcc.Link("Xem hồ sơ trễ hạn →", href=late_link, id=f"{PAGE}-late-link"), " ",
                   dcc.Link("Chỉ số CCHC (PAR INDEX) →", href=f"/chi-so-cchc{filters.search()}",
                            id=f"{PAGE}-par-link")], className="unit-links")


@figure_layout
def layout(con, ctx, filters, query):
    path = unit_path(con, filters.unit) if filters.unit else []
    below = descendants(con, filters.unit, filters.period.start, filters.period.end)
    levels = peer_levels(below)
    level = _level(query, levels)
    body = [dcc.Store(id=f"{PAGE}-query", data=query), filter_bar(filters, ctx, query), _breadcrumb(filters, path),
            html.H2(scope_title(filters, ctx), id=f"{PAGE}-scope", className="scope-title")]
    if not scope_has_dossiers(filters, ctx, period_total(con, filters)):
        # An empty ranking chart with only its target line says nothing: say which period has no data.
        return html.Div(body + [empty_period_notice(PAGE, filters, ctx, scope_title(filters, ctx))], id=f"{PAGE}-page")
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


register_ranking_choice(PAGE, f"{PAGE}-ranking-initial", DEFAULT_INDICATOR)


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


def _ranking_sheet(con, ctx, filters, query) -> Sheet | None:
    level = _level(query, peer_levels(descendants(con, filters.unit, filters.period.start, filters.period.end)))
    if level is None:
        return None
    ind_id = _indicator(query)
    ind = INDICATOR_BY_ID[ind_id]
    columns = [Column("rank", "Hạng", "int"), Column("code", "Mã đơn vị"), Column("name", "Đơn vị"),
               _value_column(ind_id, ind.name_vi), Column("numerator", "Tử số", "int"),
               Column("denominator", "Mẫu số", "int"), Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
               Column("gap", "Chênh lệch (điểm %)" if ind.unit == "fraction" else "Chênh lệch (ngày)",
                      "points" if ind.unit == "fraction" else "days", ind.decimals),
               Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Hồ sơ đã giải quyết", "int")]
    title = f"XẾP HẠNG {LEVEL_NAMES_VI.get(level, level).upper()}: {ind.name_vi.upper()}"
    return Sheet(ranking_rows(con, filters, ind_id, level)["rows"], columns, title, "Xep hang",
                 f"xep_hang_{level}_{ind_id}")


register_download(PAGE, "ranking", _ranking_sheet)
register_period_table_download(PAGE, lambda query: "unit")
