"""Trực tuyến & số hóa page: online, payment, digitization, e-result, reuse and sync rates; trends, rankings, catalogue."""
import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from common.formats import vn_int
from indicators.catalogue import ONLINE_LEVEL_NAMES_VI, list_catalogue_procedures
from indicators.dashboard import RANK_BY_SUBTREE, compute_scorecard, prefetch_view, scorecard_periods, trend_window
from indicators.definitions import INDICATOR_BY_ID
from indicators.engine import (LEVEL_NAMES_VI, compute_catalogue_table, compute_indicator_by_month,
                               prefetch_catalogues)
from indicators.units import descendants, peer_levels
from pages._components.cards import card_grid, count_card, dom_id, indicator_card
from pages._components.charts import graph, ranked_bars, trend_line
from pages._components.downloads import Sheet, register_download
from pages._components.file_names import indicator_part, level_part
from pages._components.group_charts import catalogue_bars, month_grid
from pages._components.page_frame import (empty_period_notice, figure_layout, page_choice, page_head,
                                          register_drill_down, register_ranking_choice, scope_has_dossiers)
from pages._components.filters import updated_search
from pages._components.sections import part_label, rank_notes, ranking_rows, scope_title, structure_periods
from pages._components.tables import Column, data_table, download_button, indicator_column

dash.register_page(__name__, path="/truc-tuyen", name="Trực tuyến & số hóa", title="Trực tuyến & số hóa – CCHC",
                   order=3)

PAGE = "truc-tuyen"
CARD_IDS = ["online_rate", "online_rate_eligible", "paid_online_rate", "digitized_rate", "e_result_rate",
            "data_reuse_rate", "sync_rate", "online_procedure_rate"]
# Rates with a month-by-month series (the catalogue rate has none: it is a list, not dossiers).
TREND_IDS = [i for i in CARD_IDS if INDICATOR_BY_ID[i].source == "dossiers"]
DEFAULT_INDICATOR = "online_rate"
COUNTS = [("received_new", "Hồ sơ mới tiếp nhận"), ("received_online", "Tiếp nhận trực tuyến"),
          ("received_direct", "Tiếp nhận trực tiếp"), ("received_postal", "Tiếp nhận qua bưu chính công ích")]
GRID_LIMIT = 40     # more peers than this: no month grid (unreadable); the ranking still lists them all
CHART_LIMIT = 40    # ranking chart: the best and the worst 20 beyond this, the table has every unit
DEFAULT_LEVEL_CHOICE = "tat_ca"
LEVEL_CHOICES = {"tat_ca": None, "toan_trinh": "full", "mot_phan": "partial", "khong": "none", "chua_ro": "unknown"}
LEVEL_LABELS = {"tat_ca": "Tất cả", "toan_trinh": "Toàn trình", "mot_phan": "Một phần",
                "khong": "Không cung cấp DVCTT", "chua_ro": "Chưa rõ mức độ"}
CATALOGUE_COLUMNS = [Column("procedure_code", "Mã TTHC"), Column("procedure_name", "Tên thủ tục hành chính"),
                     Column("field", "Lĩnh vực"), Column("online_level_name", "Mức độ DVCTT"),
                     Column("unit_count", "Số đơn vị thực hiện", "int")]
GROUP_CATALOGUE_COLUMNS = [Column("name", "Đơn vị"), Column("procedure_count", "Số TTHC", "int"),
                           Column("online_procedures_full", "DVCTT toàn trình", "int"),
                           Column("online_procedures_partial", "DVCTT một phần", "int"),
                           Column("online_procedures", "Tổng số TTHC có DVCTT", "int"),
                           indicator_column("online_procedure_rate")]


def _indicator(query: dict) -> str:
    return page_choice(query, "chi_tieu", TREND_IDS, DEFAULT_INDICATOR)


def _levels(con, filters) -> list[str]:
    return peer_levels(descendants(con, filters.unit, filters.period.start, filters.period.end))


def _level(query: dict, levels: list[str]) -> str | None:
    """The peer level chosen in the URL, else the first one below the scope (None: no sub-units)."""
    return page_choice(query, "cap", levels, levels[0] if levels else None)


def _peers(con, filters, level: str) -> dict[str, str]:
    return {u.code: u.name for u in descendants(con, filters.unit, filters.period.start, filters.period.end)
            if u.level == level}


def _by(level: str | None) -> str:
    # Departments and districts are counted on their whole subtree, other levels on their own dossiers
    # (the same rule as the rankings of indicators.dashboard).
    return level if level in RANK_BY_SUBTREE else "unit"


def _grid_by(level: str | None) -> str:
    """The grouping of the month grid (and of the trend's query): the peer level's, or by level without sub-units."""
    return _by(level) if level else "level"


# ---------------------------------------------------------------------------------------------------------
# Sections.

def _key_figures(con, filters, ctx) -> tuple[html.Section, dict]:
    card = compute_scorecard(con, filters.period, filters.unit, filters.field, CARD_IDS, data_start=ctx.data_start)
    counts = card["counts"]
    note = ("Tỷ lệ TTHC cung cấp DVCTT tính trên danh mục TTHC của các đơn vị (mọi lĩnh vực)."
            if filters.field else "Tỷ lệ TTHC cung cấp DVCTT tính trên danh mục TTHC của các đơn vị trong phạm vi.")
    return html.Section([
        html.H2("Số hồ sơ theo hình thức nộp"),
        html.Div([count_card(dom_id(PAGE, key), label, counts[key]) for key, label in COUNTS],
                 id=f"{PAGE}-counts", className="card-grid card-grid--counts"),
        html.H2("Chỉ tiêu trực tuyến và số hóa so với kế hoạch"),
        html.P(note, className="hint"),
        card_grid([indicator_card(f"{PAGE}-card", item) for item in card["indicators"]], f"{PAGE}-cards"),
    ]), counts


def _controls(ind_id: str, levels: list[str], level: str | None) -> html.Div:
    items = [html.Label([html.Span("Chỉ tiêu (xu hướng, lưới theo tháng và xếp hạng)", className="filter-label"),
                         dcc.Dropdown(id=f"{PAGE}-chi-tieu", clearable=False, searchable=False, value=ind_id,
                                      options=[{"label": INDICATOR_BY_ID[i].name_vi, "value": i} for i in TREND_IDS])],
                        className="filter-item")]
    # Always in the layout, hidden for a unit without sub-units: a callback may not read a missing input.
    items.append(html.Label([html.Span("Nhóm đơn vị (không xếp lẫn các cấp)", className="filter-label"),
                             dcc.RadioItems(id=f"{PAGE}-cap", value=level, inline=True, className="radio-inline",
                                            options=[{"label": LEVEL_NAMES_VI.get(lv, lv), "value": lv}
                                                     for lv in levels])],
                            className="filter-item", style=None if levels else {"display": "none"}))
    return html.Div([dcc.Store(id=f"{PAGE}-controls-initial", data=[ind_id, level]), *items],
                    className="ranking-controls", id=f"{PAGE}-controls")


def _trend_rows(grid: dict, ind_id: str) -> list[dict]:
    """The scope's series as the rows charts.trend_line reads (key, name, value, targets)."""
    rows = []
    for cell in grid["total"]["series"]:
        m = cell["month"]
        target = {ind_id: (cell["comparator"], cell["target"])} if cell["target"] is not None else {}
        rows.append({"key": m, "name": f"Tháng {m[5:7]}/{m[:4]}", ind_id: cell["value"], "targets": target})
    return rows


def _trends(con, filters, ctx, ind_id: str, level: str | None, stem: str) -> html.Section:
    ind = INDICATOR_BY_ID[ind_id]
    window = trend_window(filters.period, ctx.data_start)
    # the trend and the grid show each month's value and verdict, not the month or the year before
    grid = compute_indicator_by_month(con, ind_id, window, by=_grid_by(level), unit=filters.unit,
                                      field=filters.field, compare=False)
    rows = _trend_rows(grid, ind_id)
    parts = [html.H2("Xu hướng theo tháng"),
             html.P(f"Từ tháng {window.start:%m/%Y} đến tháng {window.end:%m/%Y}; mỗi tháng tính như một kỳ báo cáo "
                    "riêng. Đường gạch đỏ là chỉ tiêu kế hoạch.", className="hint")]
    if not any(r[ind_id] is not None for r in rows):
        return html.Section(parts + [html.P(f"Không có số liệu để tính {ind.name_vi.lower()} trong các tháng này.",
                                            className="notice", id=f"{PAGE}-no-trend")])
    parts.append(graph(f"{PAGE}-trend", trend_line(rows, ind_id, ind.name_vi, ind.unit, ind.decimals,
                                                   title=f"{ind.name_vi} – {scope_title(filters, ctx)}"),
                       f"{stem}_xu_huong_{ind_id}"))
    if level:
        peers = _peers(con, filters, level)
        groups = [g for g in grid["rows"] if g["key"] in peers]
        level_name = LEVEL_NAMES_VI.get(level, level)
        if len(groups) > GRID_LIMIT:
            parts.append(html.P(f"Lưới theo tháng chỉ vẽ khi nhóm có tối đa {GRID_LIMIT} đơn vị ({len(groups)} đơn vị "
                                f"{level_name.lower()} ở đây); chọn một đơn vị cấp trên ở thanh lọc để xem từng đơn vị.",
                                className="hint"))
        elif groups:
            parts += [html.P("Mỗi ô là tỷ lệ của đơn vị trong tháng (%); ✘ là chưa đạt chỉ tiêu; ô trống là tháng "
                             "không có hồ sơ.", className="hint"),
                      graph(f"{PAGE}-grid", month_grid(groups, grid["months"], ind.name_vi,
                                                       f"{ind.name_vi} theo tháng – {level_name}"),
                            f"{stem}_luoi_{level}_{ind_id}")]
    return html.Section(parts)


def _ranking_columns(ind_id: str) -> list[Column]:
    spec = indicator_column(ind_id)
    return [Column("rank", "Hạng", "int"), Column("name", "Đơn vị"), Column("value", spec.name, spec.kind, spec.decimals),
            Column("rank_note", "Ghi chú xếp hạng"),
            Column("numerator", "Tử số", "int"), Column("denominator", "Mẫu số", "int"),
            Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
            Column("gap", "Chênh lệch so với chỉ tiêu", "points", spec.decimals)]


def _ranking_period(con, filters, level: str):
    """(period ranked, note): a period spanning a reorganization is ranked in the latest structure that has the
    level (old and new units are never ranked together; the Đơn vị page shows every structure)."""
    parts = structure_periods(con, filters.period)
    if len(parts) == 1:
        return filters.period, None
    part = next((p for p in reversed(parts) if level in peer_levels(descendants(con, filters.unit, p.start, p.end))),
                parts[-1])
    return part, (f"Kỳ có sắp xếp lại đơn vị hành chính: xếp hạng các đơn vị của cơ cấu {part_label(part)} trên số "
                  "liệu của thời gian đó (trang Đơn vị có xếp hạng từng cơ cấu).")


def _ranking(con, filters, ind_id: str, level: str, stem: str) -> html.Section:
    ind = INDICATOR_BY_ID[ind_id]
    period, structure = _ranking_period(con, filters, level)
    ranking = ranking_rows(con, filters, ind_id, level, period)
    rows = ranking["rows"]
    shown = [r for r in rows if r["value"] is not None]
    level_name = LEVEL_NAMES_VI.get(level, level)
    notes = [structure] if structure else []
    if len(shown) > CHART_LIMIT:
        half = CHART_LIMIT // 2
        shown = shown[:half] + shown[-half:]
        notes.append(f"Biểu đồ: {half} đơn vị đứng đầu và {half} đơn vị đứng cuối; bảng bên dưới có đủ.")
    missing = sum(1 for r in rows if r["value"] is None)
    if missing:
        notes.append(f"{missing} đơn vị không có số liệu để tính trong kỳ (cuối bảng).")
    notes += rank_notes(rows)
    notes.append("Bấm vào một đơn vị trên biểu đồ để xem riêng đơn vị đó.")
    body = [html.H2(f"Xếp hạng {level_name.lower()} theo {ind.name_vi.lower()}")]
    if not shown:
        return html.Section(body + [html.P("Không đơn vị nào có số liệu để xếp hạng trong kỳ.", className="notice")])
    fig = ranked_bars(shown, ind.name_vi, ind.unit, ind.decimals, ranking["comparator"], ranking["target"],
                      title=f"Xếp hạng {level_name.lower()}: {ind.name_vi} – "
                            f"{filters.period_name() if period == filters.period else part_label(period)}")
    return html.Section(body + [
        html.P(" ".join(notes + ["Chỉ so sánh các đơn vị cùng cấp."]), className="hint"),
        graph(f"{PAGE}-ranking-chart", fig, f"{stem}_xep_hang_{level_part(level)}_{indicator_part(ind_id)}"),
        download_button(f"{PAGE}-ranking-download-button", f"{PAGE}-ranking-download", "Tải bảng xếp hạng (.xlsx)"),
        data_table(f"{PAGE}-ranking-table", rows, _ranking_columns(ind_id), page_size=50),
    ], id=f"{PAGE}-ranking")


def _catalogue_groups(con, filters, level: str) -> list[dict]:
    """Every unit of the peer level, with or without dossiers in the period: a unit that publishes no
    procedure is listed with zeros, which is what an inspection wants to see."""
    table = compute_catalogue_table(con, filters.period, by=_by(level), unit=filters.unit)
    by_key = {r["key"]: r for r in table["rows"]}
    empty = {c.id: 0 for c in GROUP_CATALOGUE_COLUMNS[1:]} | {"online_procedure_rate": None}
    return [{**empty, **by_key.get(code, {}), "key": code, "name": name}
            for code, name in _peers(con, filters, level).items()]


def _catalogue(con, filters, level: str | None, choice: str, stem: str) -> html.Section:
    cat = list_catalogue_procedures(con, filters.unit, filters.field, filters.period.start, filters.period.end)
    counts = cat["counts"]
    total = sum(counts.values())
    parts = [html.H2("Danh mục TTHC cung cấp dịch vụ công trực tuyến")]
    if not total:
        return html.Section(parts + [html.P("Danh mục TTHC của các đơn vị trong phạm vi này chưa được nạp.",
                                            className="notice", id=f"{PAGE}-no-catalogue")])
    parts.append(html.P([html.Strong(vn_int(total), id=f"{PAGE}-catalogue-total"), " thủ tục trong danh mục: ",
                         html.Strong(vn_int(counts["full"]), id=f"{PAGE}-catalogue-full"), " toàn trình, ",
                         html.Strong(vn_int(counts["partial"]), id=f"{PAGE}-catalogue-partial"), " một phần, ",
                         html.Strong(vn_int(counts["none"]), id=f"{PAGE}-catalogue-none"),
                         " không cung cấp dịch vụ công trực tuyến",
                         *([", ", html.Strong(vn_int(counts["unknown"]), id=f"{PAGE}-catalogue-unknown"),
                            " chưa rõ mức độ (danh mục không ghi)"] if counts["unknown"] else []), "."],
                        className="late-counts"))
    if level:
        groups = _catalogue_groups(con, filters, level)
        level_name = LEVEL_NAMES_VI.get(level, level)
        groups = sorted(groups, key=lambda r: (-r["online_procedures"], r["name"]))
        if groups and len(groups) <= GRID_LIMIT:
            parts.append(graph(f"{PAGE}-catalogue-chart",
                               catalogue_bars(groups, f"Số TTHC theo mức độ DVCTT – {level_name}"),
                               f"{stem}_danh_muc_{level}"))
        if groups:
            parts += [download_button(f"{PAGE}-groups-download-button", f"{PAGE}-groups-download",
                                      "Tải bảng theo đơn vị (.xlsx)"),
                      data_table(f"{PAGE}-catalogue-groups", groups,
                                 [Column("name", level_name), *GROUP_CATALOGUE_COLUMNS[1:]], page_size=25)]
    parts += [
        html.H2("Danh sách thủ tục theo mức độ dịch vụ công trực tuyến"),
        html.Label([html.Span("Mức độ: ", className="filter-label"),
                    dcc.RadioItems(id=f"{PAGE}-muc-do", value=choice, inline=True, className="radio-inline",
                                   options=[{"label": v, "value": k} for k, v in LEVEL_LABELS.items()
                                            if k != "chua_ro" or counts["unknown"]])],
                   className="table-controls"),
        download_button(f"{PAGE}-catalogue-download-button", f"{PAGE}-catalogue-download",
                        "Tải danh sách thủ tục (.xlsx)"),
        data_table(f"{PAGE}-catalogue-table", _of_level(cat["rows"], choice), CATALOGUE_COLUMNS, page_size=25),
    ]
    return html.Section(parts, id=f"{PAGE}-catalogue")


@figure_layout
def layout(con, ctx, filters, query):
    scope = scope_title(filters, ctx)
    body = page_head(PAGE, query, filters, ctx, f"Trực tuyến & số hóa – {scope}")
    levels = _levels(con, filters)
    level = _level(query, levels)
    # the cards' periods, the trend's months and the ranking's period in one query, by the grid's grouping
    prefetch_view(con, filters.period, ctx.data_start, _grid_by(level), filters.unit, filters.field)
    # the cards' catalogue totals and the catalogue by the peer level's grouping in one query
    prefetch_catalogues(con, list(scorecard_periods(filters.period)), _by(level) if level else None, filters.unit)
    figures, counts = _key_figures(con, filters, ctx)
    if not scope_has_dossiers(filters, ctx, counts):
        return html.Div(body + [empty_period_notice(PAGE, filters, ctx, scope)], id=f"{PAGE}-page")
    ind_id = _indicator(query)
    stem = filters.file_stem("truc_tuyen")
    body += [html.P(filters.label(), className="hint"), figures, _controls(ind_id, levels, level),
             _trends(con, filters, ctx, ind_id, level, stem)]
    if level:
        body.append(_ranking(con, filters, ind_id, level, stem))
    body.append(_catalogue(con, filters, level, _online_level(query), stem))
    return html.Div(body, id=f"{PAGE}-page")


# ---------------------------------------------------------------------------------------------------------
# Callbacks.

register_ranking_choice(PAGE, f"{PAGE}-controls-initial", DEFAULT_INDICATOR)
register_drill_down(f"{PAGE}-ranking-chart")


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-muc-do", "value"), State("url", "search"),
          prevent_initial_call=True)
def _choose_online_level(choice, search):
    # Into the URL (muc_do, left out for "all") so that a link shows the same list; the page is redrawn from it.
    new = updated_search(search, muc_do=None if choice == DEFAULT_LEVEL_CHOICE else choice)
    return no_update if new == (search or "") else new


def _online_level(query: dict) -> str:
    return page_choice(query, "muc_do", LEVEL_CHOICES, DEFAULT_LEVEL_CHOICE)


def _of_level(rows: list[dict], choice: str | None) -> list[dict]:
    """The catalogue's procedures of the chosen online-service level (every level for "tat_ca")."""
    wanted = LEVEL_CHOICES.get(choice)
    return [r for r in rows if wanted is None or r["online_level"] == wanted]


def _catalogue_rows(con, filters, choice: str | None) -> list[dict]:
    return _of_level(list_catalogue_procedures(con, filters.unit, filters.field, filters.period.start,
                                               filters.period.end)["rows"], choice)


def _catalogue_sheet(con, ctx, filters, query, choice) -> Sheet:
    wanted = LEVEL_CHOICES.get(choice)
    title = "DANH MỤC THỦ TỤC HÀNH CHÍNH THEO MỨC ĐỘ DỊCH VỤ CÔNG TRỰC TUYẾN"
    if wanted:
        title += f" – {ONLINE_LEVEL_NAMES_VI[wanted].upper()}"
    return Sheet(_catalogue_rows(con, filters, choice), CATALOGUE_COLUMNS, title, "Danh mục TTHC", "danh_muc_tthc")


def _groups_sheet(con, ctx, filters, query) -> Sheet | None:
    level = _level(query, _levels(con, filters))
    if level is None:
        return None
    level_name = LEVEL_NAMES_VI.get(level, level)
    return Sheet(_catalogue_groups(con, filters, level), [Column("name", level_name), *GROUP_CATALOGUE_COLUMNS[1:]],
                 f"SỐ TTHC CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN – {level_name.upper()}", "DVCTT theo đơn vị",
                 f"dvctt_{level_part(level)}")


def _ranking_sheet(con, ctx, filters, query) -> Sheet | None:
    level = _level(query, _levels(con, filters))
    if level is None:
        return None
    ind_id = _indicator(query)
    ranking = ranking_rows(con, filters, ind_id, level, _ranking_period(con, filters, level)[0])
    title = f"XẾP HẠNG {LEVEL_NAMES_VI.get(level, level).upper()}: {INDICATOR_BY_ID[ind_id].name_vi.upper()}"
    return Sheet(ranking["rows"], [Column("code", "Mã đơn vị"), *_ranking_columns(ind_id)], title, "Xếp hạng",
                 f"xep_hang_{level_part(level)}_{indicator_part(ind_id)}")


register_download(PAGE, "catalogue", _catalogue_sheet, State(f"{PAGE}-muc-do", "value"))
register_download(PAGE, "groups", _groups_sheet)
register_download(PAGE, "ranking", _ranking_sheet)
