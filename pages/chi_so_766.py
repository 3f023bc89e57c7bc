"""Chỉ số 766 page: the score as the national portal gives it, for the scope and its peers; the groups, the criteria
that cost the most and what would raise them, the trend by week and month, the portal's published scores beside
it, and the dossiers behind a criterion."""
from datetime import date

import dash
from dash import Input, Output, State, callback, ctx as dash_ctx, dcc, html, no_update

from common.formats import vn_date, vn_int, vn_number
from exports.index766 import coverage_text
from indicators.dashboard import RANK_BY_SUBTREE, trend_window
from indicators.engine import LEVEL_NAMES_VI
from indicators.index766 import (GAP_KIND_NAMES_VI, GAP_SORT_COLUMNS, LIST_OF_MEASURE, compute_index766, compute_index766_series,
                                 improvements, iso_weeks, list_gap_dossiers, load_index766_config, missing_data,
                                 prefetch_index766)
from indicators.periods import Period
from indicators.units import descendants, peer_levels
from indicators.view_cache import reused_in_view
from pages._components.charts import graph
from pages._components.downloads import Sheet, register_download
from pages._components.file_names import level_part
from pages._components.filters import updated_search
from pages._components.page_frame import (empty_period_notice, figure_layout, page_choice, page_head, period_in_data,
                                          stored_view)
from pages._components.score_charts import group_bars, score_trend
from pages._components.sections import scope_title
from pages._components.server_table import cell_text, server_table, sort_spec
from pages._components.tables import Column, data_table, download_button
from pages._components.viewer_scope import only_visible

dash.register_page(__name__, path="/chi-so-766", name="Chỉ số 766", title="Chỉ số 766 – CCHC", order=5.2)

PAGE = "chi-so-766"
PATH = "/chi-so-766"
PAGE_SIZE = 25
TOP_LOSSES = 5
# URL values of the page's own choices (ASCII, like the shared filters).
VIEWS = {"6": "6 nhóm (Cổng Dịch vụ công quốc gia)", "5": "5 nhóm (Quyết định 766/QĐ-TTg)"}
LISTS = {"chua_dong_bo": "not_synced", "chua_thanh_toan": "unpaid_online"}
LIST_LABELS = {"chua_dong_bo": "Chưa đồng bộ lên Cổng DVCQG (tiêu chí 1.4)",
               "chua_thanh_toan": "Có phí, chưa thanh toán trực tuyến (tiêu chí 4.1)"}
LIST_COUNTED = {"chua_dong_bo": "chưa đồng bộ lên Cổng DVCQG", "chua_thanh_toan": "có phí chưa thanh toán trực tuyến"}
DOSSIER_COLUMNS = [Column("dossier_code", "Mã hồ sơ"), Column("unit_name", "Đơn vị"),
                   Column("procedure_name", "Thủ tục hành chính"), Column("field", "Lĩnh vực"),
                   Column("channel", "Hình thức nộp"), Column("received_date", "Ngày tiếp nhận", "date"),
                   Column("finished_date", "Ngày có kết quả", "date"), Column("fee_amount", "Phí, lệ phí (đồng)", "int"),
                   Column("status", "Trạng thái hồ sơ")]
CRITERIA_COLUMNS = [Column("id", "Mã"), Column("name", "Tiêu chí"), Column("numerator", "Tử số", "int"),
                    Column("denominator", "Mẫu số", "int"), Column("rate", "Tỷ lệ", "percent"),
                    Column("points", "Điểm đạt", "score"), Column("max_points", "Điểm tối đa", "int"),
                    Column("published", "Cổng công bố", "score"), Column("note", "Ghi chú")]
RANKING_COLUMNS = [Column("rank", "Hạng", "int"), Column("name", "Đơn vị"), Column("total", "Tổng điểm", "score"),
                   Column("band", "Xếp loại"), Column("covered_points", "Điểm tính được (trên 100)", "int"),
                   Column("published_total", "Cổng công bố", "score")]
RECONCILIATION_COLUMNS = [Column("name", "Nhóm / tiêu chí"), Column("computed", "Điểm tính được", "score"),
                          Column("published", "Điểm Cổng công bố", "score"), Column("difference_text", "Chênh lệch"),
                          Column("causes", "Nguyên nhân có thể")]


def _points(x) -> str:
    return vn_number(x, 2) if x is not None else "chưa có dữ liệu"


def _signed(x) -> str:
    if x is None:
        return "–"
    return ("+" if x > 0 else "−" if x < 0 else "±") + vn_number(abs(x), 2)


def _by(level: str | None) -> str:
    # Departments and districts are scored on their whole subtree (as everywhere on the dashboard), the other
    # levels on their own dossiers.
    return level if level in RANK_BY_SUBTREE else "unit"


def _choices(query: dict, levels: list[str]) -> dict:
    return {"nhom": page_choice(query, "nhom", VIEWS, "6"),
            "cap": page_choice(query, "cap", levels, levels[0] if levels else None),
            "ds": page_choice(query, "ds", LISTS, "chua_dong_bo")}


def _levels(con, filters, scope_level: str | None) -> list[str]:
    """The peer groups on offer: the scope's own level first (its peers across the city), then the levels below."""
    below = peer_levels(descendants(con, filters.unit, filters.period.start, filters.period.end))
    return ([scope_level] if scope_level else []) + [lv for lv in below if lv != scope_level]


# One view asks for the peers' figures twice (the scope's total is theirs when they lie within the scope).
_index766 = reused_in_view()(compute_index766)


def _within(filters, level: str, scope_level: str | None) -> str | None:
    """Where a peer group is ranked: the whole city for the scope's own level, else within the scope."""
    return None if level == scope_level else filters.unit


def _peers(con, filters, level: str, scope_level: str | None) -> dict:
    """The 766 rows of one peer group: every unit of the scope's own level in the city, or of a level below it
    within the scope."""
    result = _index766(con, filters.period, by=_by(level), unit=_within(filters, level, scope_level))
    # ranked among every peer, shown to a unit account with its own row only (its rank, not the peers')
    return {**result, "rows": only_visible(con, [r for r in result["rows"] if r["level"] == level], "key")}


# ---------------------------------------------------------------------------------------------------------
# Sections.

def _summary(total: dict, rank_row: dict | None, config: dict, filters, scope: str) -> html.Section:
    pub = total.get("published")
    lines = [html.Div(f"Chỉ số 766 – {scope}", className="card-title"),
             html.Div([html.Span(_points(total["total"]), id=f"{PAGE}-total", className="card-value"),
                       html.Span(f" / {vn_number(total['max_points'])} điểm"),
                       html.Span(total["band"] or "–", id=f"{PAGE}-band", className="card-status card-status--no-target")],
                      className="card-main"),
             html.Div(coverage_text(total), id=f"{PAGE}-coverage", className="card-fraction")]
    if total["covered_points"] < total["max_points"]:
        lines.append(html.Div("Tổng điểm chỉ gồm các tiêu chí có dữ liệu, không quy đổi lên thang 100; xếp loại "
                              "theo tổng điểm đó.", className="card-target"))
    if rank_row is not None and rank_row.get("rank"):
        lines.append(html.Div(f"Xếp hạng {rank_row['rank']}/{rank_row['peer_count']} trong nhóm "
                              f"{rank_row['peer_group'].lower()}", id=f"{PAGE}-rank", className="card-target"))
    if pub:
        lines.append(html.Div(f"Cổng DVCQG công bố: {_points(pub['total'])} điểm (chênh lệch {_signed(pub['difference'])})"
                              if pub.get("total") is not None else "Cổng DVCQG có công bố điểm nhóm, tiêu chí (xem phần đối chiếu)",
                              id=f"{PAGE}-published", className="card-target"))
    notes = [html.P(f"{filters.label()}. Chấm theo công thức của Cổng Dịch vụ công quốc gia, bộ tiêu chí áp dụng từ "
                    f"ngày {vn_date(date.fromisoformat(config['valid_from']))}.", className="hint")]
    if config["note"]:
        notes.append(html.P(config["note"], className="notice notice--warning"))
    return html.Section([html.Div(html.Div(lines, className="card card--count", id=f"{PAGE}-card"),
                                  className="card-grid"), *notes], id=f"{PAGE}-summary")


def _groups(total: dict, view: str, config: dict, filters) -> html.Section:
    decision = view == "5"
    groups = [{"id": g["id"], **total["decision_groups" if decision else "groups"][g["id"]]}
              for g in config["decision_groups" if decision else "groups"]]
    return html.Section([
        html.H2("Điểm theo nhóm tiêu chí"),
        _choice("Cách nhóm: ", f"{PAGE}-nhom", view, VIEWS),
        html.P("Cổng Dịch vụ công quốc gia chấm theo 6 nhóm; Quyết định 766/QĐ-TTg gộp cung cấp dịch vụ công trực "
               "tuyến và thanh toán trực tuyến thành một nhóm 22 điểm. Tổng điểm như nhau.", className="hint"),
        graph(f"{PAGE}-groups", group_bars(groups, f"Điểm theo nhóm – {filters.period_name()}"),
              filters.file_stem(f"chi_so_766_nhom_{view}")),
    ], id=f"{PAGE}-groups-section")


def _choice(label: str, control_id: str, value, options: dict, style=None) -> html.Label:
    """A page choice as radio buttons under its label (the page writes the value into the address)."""
    return html.Label([html.Span(label, className="filter-label"),
                       dcc.RadioItems(id=control_id, value=value, inline=True, className="radio-inline",
                                      options=[{"label": v, "value": k} for k, v in options.items()])],
                      className="table-controls", style=style)


def _criteria_rows(total: dict) -> list[dict]:
    pub = (total.get("published") or {}).get("criteria", {})
    return [{"id": cid, "name": c["name"], "numerator": c["numerator"], "denominator": c["denominator"],
             "rate": c["rate"], "points": c["points"], "max_points": c["max_points"],
             "published": pub[cid]["points"] if cid in pub else None, "note": c["status_text"] or ""}
            for cid, c in total["criteria"].items()]


def _criteria(total: dict) -> html.Section:
    return html.Section([
        html.H2("Điểm từng tiêu chí"),
        html.P("Tỷ lệ là tử số trên mẫu số của tiêu chí; cách tính và nguồn số liệu của từng tiêu chí: xem README, mục "
               "Chỉ số 766.", className="hint"),
        download_button(f"{PAGE}-criteria-download-button", f"{PAGE}-criteria-download", "Tải bảng tiêu chí (.xlsx)"),
        data_table(f"{PAGE}-criteria", _criteria_rows(total), CRITERIA_COLUMNS, page_size=25, sortable=False),
    ], id=f"{PAGE}-criteria-section")


def _gain_link(filters, gain: dict):
    kind = LIST_OF_MEASURE.get(gain["numerator_measure"])
    if kind == "late":
        return dcc.Link("Xem hồ sơ trễ hạn →", href=f"/ho-so-tre-han{filters.search()}", id=f"{PAGE}-gain-link-late")
    choice = next((k for k, v in LISTS.items() if v == kind), None)
    if choice:
        return dcc.Link("Xem danh sách hồ sơ →", href=f"{PATH}{filters.search(ds=choice)}#{PAGE}-dossiers-section",
                        id=f"{PAGE}-gain-link-{choice.replace('_', '-')}")
    return None


def _losses(total: dict, criteria_config, filters) -> html.Section:
    gains = improvements(total, criteria_config)[:TOP_LOSSES]
    items = []
    for g in gains:
        link = _gain_link(filters, g)
        items.append(html.Li([html.Strong(f"{g['id']}. {g['name']}"),
                              f": đạt {vn_number(g['points'], 2)}/{vn_number(g['max_points'])} điểm — ",
                              html.Span(g["text"], className="gain-text")] + ([" ", link] if link else []),
                             id=f"{PAGE}-gain-{g['id'].replace('.', '-')}"))
    body = [html.H2("Tiêu chí mất nhiều điểm nhất và cách nâng điểm"),
            html.P("Số hồ sơ (thủ tục) cần thêm để tiêu chí đạt đủ điểm trong kỳ này, và số điểm tăng thêm khi đạt.",
                   className="hint"),
            html.Ol(items, id=f"{PAGE}-gains") if items else html.P("Mọi tiêu chí có dữ liệu đều đạt đủ điểm.")]
    missing = missing_data(total)
    if missing:
        text = "; ".join(f"{m['id']} ({vn_number(m['max_points'])} điểm)" for m in missing)
        body.append(html.P(f"Chưa có dữ liệu để tính {vn_number(sum(m['max_points'] for m in missing))} điểm: tiêu chí "
                           f"{text}. Nạp tệp số liệu đầu vào chỉ số 766 (Cổng DVCQG hoặc hệ thống một cửa xuất ra) để "
                           "tính các tiêu chí này.", className="notice notice--warning", id=f"{PAGE}-missing"))
    return html.Section(body, id=f"{PAGE}-losses")


def _ranking_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "published_total": (r.get("published") or {}).get("total")} for r in rows]


def _ranking(peers: dict | None, levels: list[str], level: str | None, scope_level) -> html.Section:
    controls = _choice("Nhóm đơn vị cùng cấp (không xếp lẫn các cấp): ", f"{PAGE}-cap", level,
                       {lv: LEVEL_NAMES_VI.get(lv, lv) for lv in levels}, None if levels else {"display": "none"})
    body = [html.H2("Xếp hạng trong nhóm cùng cấp"), controls]
    if peers is None or not peers["rows"]:
        body.append(html.P("Không có đơn vị nào để xếp hạng trong kỳ.", className="notice", id=f"{PAGE}-no-ranking"))
    else:
        where = "toàn thành phố" if level == scope_level or scope_level is None else "trong phạm vi đang chọn"
        body += [html.P(f"{LEVEL_NAMES_VI.get(level, level)} {where}, xếp theo tổng điểm (điểm bằng nhau cùng hạng). "
                        + ("Sở, ngành và quận, huyện tính trên toàn bộ đơn vị trực thuộc." if level in RANK_BY_SUBTREE
                           else "Mỗi đơn vị tính trên hồ sơ của chính đơn vị."), className="hint"),
                 download_button(f"{PAGE}-ranking-download-button", f"{PAGE}-ranking-download",
                                 "Tải bảng xếp hạng (.xlsx)"),
                 data_table(f"{PAGE}-ranking", _ranking_rows(peers["rows"]), RANKING_COLUMNS, page_size=50)]
    return html.Section(body, id=f"{PAGE}-ranking-section")


def _trend_points(series: dict, label) -> list[dict]:
    return [{"label": label(key), "total": v["total"] if v else None, "band": v["band"] if v else None,
             "coverage": coverage_text(v) if v else ""} for key, v in series.items()]


def _trend_periods(filters, ctx) -> tuple[dict[str, Period], dict[str, Period]]:
    """The trend's months (of the trend window) and whole weeks (of the period, within the data)."""
    window = trend_window(filters.period, ctx.data_start)
    months = {}
    y, m = window.start.year, window.start.month
    while (y, m) <= (window.end.year, window.end.month):
        months[f"{y:04d}-{m:02d}"] = Period.month(y, m)
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    data = Period(ctx.data_start, ctx.data_end)
    weeks = {k: p for k, p in iso_weeks(filters.period).items() if data.contains(p.start) and data.contains(p.end)}
    return months, weeks


def _trends(con, filters, ctx, config: dict, scope: str) -> html.Section:
    months, weeks = _trend_periods(filters, ctx)
    series = compute_index766_series(con, {**months, **weeks}, filters.unit)
    bands = config["bands"]
    body = [html.H2("Xu hướng theo tháng và theo tuần"),
            html.P("Mỗi tháng, mỗi tuần (thứ Hai – Chủ nhật, như bảng xếp hạng hằng tuần của Cổng) tính như một kỳ "
                   "riêng; số liệu đầu vào chỉ được tính khi kỳ của chúng nằm trong tháng, tuần đó.", className="hint"),
            graph(f"{PAGE}-trend-month",
                  score_trend(_trend_points({k: series[k] for k in months}, lambda k: f"{k[5:7]}/{k[:4]}"), bands,
                              f"Chỉ số 766 theo tháng – {scope}"), filters.file_stem("chi_so_766_thang"))]
    if weeks:
        body.append(graph(f"{PAGE}-trend-week",
                          score_trend(_trend_points({k: series[k] for k in weeks},
                                                    lambda k: f"Tuần {int(k[6:])}/{k[:4]}"), bands,
                                      f"Chỉ số 766 theo tuần – {scope}, {filters.period_name()}", x_title="Tuần"),
                          filters.file_stem("chi_so_766_tuan")))
        partial = [series[k] for k in weeks if series[k] and series[k]["covered_points"] < series[k]["max_points"]]
        if partial:
            # The total is never rescaled (README, Chỉ số 766): without this a week's lower score reads as a fall.
            least = min(partial, key=lambda v: v["covered_points"])
            body.append(html.P(f"Có tuần chỉ {coverage_text(least)}: tiêu chí cần tệp đầu vào 766 (nạp theo tháng, "
                               "quý) không có số liệu trong một tuần nên không được điểm. Vì vậy điểm theo tuần thấp "
                               "hơn điểm theo tháng; đó không phải là sụt giảm. Rê chuột (hoặc chạm) lên từng điểm "
                               "để xem phần tính được.", className="hint", id=f"{PAGE}-trend-week-coverage"))
    else:
        body.append(html.P("Kỳ đang chọn không chứa trọn tuần nào có dữ liệu.", className="hint"))
    return html.Section(body, id=f"{PAGE}-trends")


def _reconciliation(total: dict, filters, scope: str) -> html.Section:
    pub = total.get("published")
    body = [html.H2("Đối chiếu với điểm Cổng Dịch vụ công quốc gia công bố")]
    if not pub:
        body.append(html.P(f"Chưa nạp điểm Cổng Dịch vụ công quốc gia công bố cho {scope} đúng kỳ "
                           f"{vn_date(filters.period.start)}–{vn_date(filters.period.end)}. Nạp tệp điểm xuất từ Cổng "
                           "(tuần, tháng, quý hoặc năm) bằng lệnh nạp dữ liệu để đối chiếu.",
                           className="notice", id=f"{PAGE}-no-published"))
        return html.Section(body, id=f"{PAGE}-reconciliation-section")
    rows = [{"name": i["name"], "computed": i["computed"], "published": i["published"],
             "difference_text": _signed(i["difference"]),
             "causes": "khớp" if i["matches"] else "; ".join(i["causes"])} for i in pub["items"]]
    body += [html.P("Chênh lệch = điểm tính được − điểm Cổng công bố; dưới 0,015 điểm là do làm tròn (khớp). "
                    "Nguyên nhân có thể suy ra từ dữ liệu theo các quy tắc trong cấu hình.", className="hint"),
             data_table(f"{PAGE}-reconciliation", rows, RECONCILIATION_COLUMNS, page_size=30, sortable=False)]
    return html.Section(body, id=f"{PAGE}-reconciliation-section")


def _dossier_rows(rows: list[dict]) -> list[dict]:
    return [{"id": f"{r['source']}:{r['dossier_code']}", **{c.id: cell_text(c, r.get(c.id)) for c in DOSSIER_COLUMNS}}
            for r in rows]


def _fetch(con, filters, choice: str, sort_by=None, page: int = 0, limit: int | None = PAGE_SIZE) -> dict:
    column, descending = sort_spec(sort_by, ("received_date", False))
    sort = column if column in GAP_SORT_COLUMNS else "received_date"
    return list_gap_dossiers(con, filters.period, LISTS[choice], filters.unit, field=filters.field, sort=sort,
                             descending=descending, limit=limit, offset=page * (limit or 0))


def _dossiers(con, filters, choice: str) -> html.Section:
    result = _fetch(con, filters, choice)
    return html.Section([
        html.H2("Hồ sơ đứng sau tiêu chí"),
        _choice("Danh sách: ", f"{PAGE}-ds", choice, LIST_LABELS),
        html.P(["Hồ sơ tiếp nhận trong kỳ, trong phạm vi đang chọn: ",
                html.Strong(vn_int(result["total_count"]), id=f"{PAGE}-dossier-count"),
                f" hồ sơ {LIST_COUNTED[choice]}. Hồ sơ trễ hạn (tiêu chí 2.1): ",
                dcc.Link("trang Hồ sơ trễ hạn", href=f"/ho-so-tre-han{filters.search()}", id=f"{PAGE}-late-link"), "."],
               className="hint"),
        download_button(f"{PAGE}-dossiers-download-button", f"{PAGE}-dossiers-download",
                        "Tải toàn bộ danh sách (.xlsx)"),
        server_table(f"{PAGE}-dossiers", DOSSIER_COLUMNS, _dossier_rows(result["rows"]), result["total_count"],
                     PAGE_SIZE, sort_by=[{"column_id": "received_date", "direction": "asc"}],
                     wide_columns=("procedure_name",)),
    ], id=f"{PAGE}-dossiers-section")


# ---------------------------------------------------------------------------------------------------------

@figure_layout
def layout(con, ctx, filters, query):
    scope = scope_title(filters, ctx)
    body = page_head(PAGE, query, filters, ctx, f"Chỉ số 766 – {scope}")
    scope_level = next((u.level for u in ctx.units if u.code == filters.unit), None) if filters.unit else None
    levels = _levels(con, filters, scope_level)
    choices = _choices(query, levels)
    body.append(dcc.Store(id=f"{PAGE}-controls-initial", data=[choices["nhom"], choices["cap"], choices["ds"]]))
    # The figure is the scope's whole (the same as the command line with --unit); the field filter does not apply:
    # the portal scores units, not sectors. The total and whether any group had dossiers do not depend on the
    # grouping: the peer group's figures give them when the group lies within the scope (one computation, not two).
    level = choices["cap"]
    by = _by(level) if level and _within(filters, level, scope_level) == filters.unit else "level"
    if period_in_data(filters, ctx):   # the selected period and the trend's, gathered in one go
        prefetch_index766(con, filters.period, by, filters.unit,
                          [p for part in _trend_periods(filters, ctx) for p in part.values()])
    result = _index766(con, filters.period, by=by, unit=filters.unit)
    total = result["total"]
    if not period_in_data(filters, ctx) or not result["rows"]:
        return html.Div(body + [empty_period_notice(PAGE, filters, ctx, scope)], id=f"{PAGE}-page")
    peers = _peers(con, filters, level, scope_level) if level else None
    rank_row = next((r for r in peers["rows"] if r["key"] == filters.unit), None) if peers and filters.unit else None
    config = load_index766_config(filters.period.end)
    if filters.field:
        body.append(html.P("Chỉ số 766 chấm theo đơn vị, không tách theo lĩnh vực: bộ lọc lĩnh vực chỉ áp dụng cho danh "
                           "sách hồ sơ ở cuối trang.", className="notice notice--warning"))
    body += [_summary(total, rank_row, result["config"], filters, scope),
             _groups(total, choices["nhom"], result["config"], filters),
             _losses(total, config, filters), _criteria(total),
             _ranking(peers, levels, level, scope_level), _trends(con, filters, ctx, result["config"], scope),
             _reconciliation(total, filters, scope), _dossiers(con, filters, choices["ds"])]
    return html.Div(body, id=f"{PAGE}-page")


# ---------------------------------------------------------------------------------------------------------
# Callbacks.

@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-nhom", "value"), Input(f"{PAGE}-cap", "value"),
          Input(f"{PAGE}-ds", "value"), State("url", "search"), State(f"{PAGE}-controls-initial", "data"),
          prevent_initial_call=True)
def _choose(view, level, choice, search, initial):
    if [view, level, choice] == initial:   # fired because the page was rendered, not by the user
        return no_update
    new = updated_search(search, nhom=None if view == "6" else view, cap=level,
                         ds=None if choice == "chua_dong_bo" else choice)
    return no_update if new == (search or "") else new


@callback(Output(f"{PAGE}-dossiers", "data"), Output(f"{PAGE}-dossiers", "page_count"),
          Output(f"{PAGE}-dossiers", "page_current"),
          Input(f"{PAGE}-dossiers", "page_current"), Input(f"{PAGE}-dossiers", "sort_by"),
          State(f"{PAGE}-query", "data"), prevent_initial_call=True)
def _turn_page(page_current, sort_by, query):
    con, _, filters = stored_view(query)
    if con is None:
        return no_update, no_update, no_update
    choice = page_choice(query or {}, "ds", LISTS, "chua_dong_bo")
    # A new sort order starts again from the first page.
    page = 0 if dash_ctx.triggered_id and "sort_by" in str(dash_ctx.triggered[0]["prop_id"]) else (page_current or 0)
    result = _fetch(con, filters, choice, sort_by, page)
    return _dossier_rows(result["rows"]), max(1, -(-result["total_count"] // PAGE_SIZE)), page


def _criteria_sheet(con, ctx, filters, query) -> Sheet:
    total = compute_index766(con, filters.period, by="level", unit=filters.unit)["total"]
    return Sheet(_criteria_rows(total), CRITERIA_COLUMNS, "CHỈ SỐ 766 – ĐIỂM TỪNG TIÊU CHÍ", "Tiêu chí 766",
                 "chi_so_766_tieu_chi")


def _ranking_sheet(con, ctx, filters, query) -> Sheet | None:
    scope_level = next((u.level for u in ctx.units if u.code == filters.unit), None) if filters.unit else None
    level = _choices(query, _levels(con, filters, scope_level))["cap"]
    if level is None:
        return None
    rows = _ranking_rows(_peers(con, filters, level, scope_level)["rows"])
    return Sheet(rows, RANKING_COLUMNS, f"CHỈ SỐ 766 – XẾP HẠNG {LEVEL_NAMES_VI.get(level, level).upper()}",
                 "Xếp hạng 766",
                 f"chi_so_766_xep_hang_{level_part(level)}")


def _dossiers_sheet(con, ctx, filters, query) -> Sheet:
    choice = page_choice(query, "ds", LISTS, "chua_dong_bo")
    rows = _fetch(con, filters, choice, limit=None)["rows"]
    return Sheet(rows, DOSSIER_COLUMNS, GAP_KIND_NAMES_VI[LISTS[choice]].upper(), "Hồ sơ", f"chi_so_766_{choice}")


register_download(PAGE, "criteria", _criteria_sheet)
register_download(PAGE, "ranking", _ranking_sheet)
register_download(PAGE, "dossiers", _dossiers_sheet)
