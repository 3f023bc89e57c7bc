"""Chỉ số CCHC page: the PAR INDEX of the departments and districts — ranking with groups A/B/C/D, units × areas,
a unit's points lost and its change since last year, and the self-scores the city's own figures do not support."""
import io

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from common.formats import vn_int, vn_percent, vn_score
from exports.par import write_par_xlsx
from indicators import store
from indicators.par import compute_par, par_roster, par_years
from pages._components.charts import graph
from pages._components.filters import updated_search
from pages._components.page_frame import database_layout, page_choice, register_drill_down
from pages._components.par_charts import GROUP_COLORS, area_change_bars, area_heatmap, lost_bars, ranking_bars
from pages._components.sipas_view import unit_dom_id
from pages._components.tables import Column, busy_while_building, data_table, download_button, xlsx_bytes
from pages._components.viewer_scope import only_visible, outside_scope_notice, viewer_scope

dash.register_page(__name__, path="/chi-so-cchc", name="Chỉ số CCHC", title="Chỉ số CCHC – CCHC", order=5.4)

PAGE = "chi-so-cchc"
CITY_LOST_SHOWN = 10
CHECK_COLUMNS = [Column("unit_name", "Đơn vị"), Column("code", "Mã"), Column("name", "Tiêu chí"),
                 Column("self_score", "Tự chấm", "score"), Column("appraised_score", "Thẩm định", "score"),
                 Column("value", "Số liệu", "percent"), Column("data_score", "Điểm theo số liệu", "score"),
                 Column("note", "Nhận xét")]
LOST_COLUMNS = [Column("code", "Mã"), Column("name", "Tiêu chí"), Column("max_points", "Điểm tối đa", "score"),
                Column("points", "Điểm đạt", "score"), Column("lost_points", "Điểm bị mất", "score")]
GAP_COLUMNS = [Column("code", "Mã"), Column("name", "Tiêu chí"), Column("self_score", "Tự đánh giá", "score"),
               Column("appraised_score", "Thẩm định", "score"), Column("gap", "Chênh lệch", "score")]


def _visible(con, result: dict) -> dict:
    """The council's figures the viewer may see: a unit account gets its own row (its rank among every peer) and
    its sub-units', opened on its own unit; the peer groups without any of them are not offered."""
    rows = only_visible(con, result["rows"], "unit")
    if rows is result["rows"]:
        return result
    groups = {r["peer_group"] for r in rows}
    return {**result, "rows": rows, "frameworks": {g: fw for g, fw in result["frameworks"].items() if g in groups},
            "own_unit": next((r["unit"] for r in rows if r["unit"] == viewer_scope().root), None)}


def _offer(con, year: int) -> tuple[dict, list[dict], str | None]:
    """The peer groups ({group: name}) and units the viewer may open in `year`, and a unit account's own unit —
    the same choices _visible leaves in compute_par's result, known before any group is scored."""
    roster = par_roster(con, year)
    units = only_visible(con, roster["units"], "unit")
    if units is roster["units"]:
        return roster["groups"], units, None
    shown = {u["peer_group"] for u in units}
    own = next((u["unit"] for u in units if u["unit"] == viewer_scope().root), None)
    return {g: name for g, name in roster["groups"].items() if g in shown}, units, own


def _choices(query: dict, groups: dict, units: list[dict], own: str | None) -> tuple[str, str | None]:
    group = page_choice(query, "nhom", list(groups), next(iter(groups), None))
    unit = page_choice(query, "don_vi", [u["unit"] for u in units], own)
    if unit:   # a unit opened from another page shows its own peer group
        group = next(u["peer_group"] for u in units if u["unit"] == unit)
    return group, unit


def _controls(years: list[int], year: int, result: dict, groups: dict, group: str, unit: str | None) -> html.Div:
    units = [r for r in result["rows"] if r["peer_group"] == group and r["unit"]]
    return html.Div([
        dcc.Store(id=f"{PAGE}-initial", data=[year, group, unit]),
        html.Label([html.Span("Năm đánh giá", className="filter-label"),
                    dcc.Dropdown(id=f"{PAGE}-year", options=[{"label": f"Năm {y}", "value": y} for y in years],
                                 value=year, clearable=False)], className="filter-item"),
        html.Label([html.Span("Nhóm đơn vị (xếp hạng trong từng nhóm)", className="filter-label"),
                    dcc.RadioItems(id=f"{PAGE}-group", value=group, inline=True, className="radio-inline",
                                   options=[{"label": name, "value": g} for g, name in groups.items()])],
                   className="filter-item"),
        html.Label([html.Span("Xem một đơn vị", className="filter-label"),
                    dcc.Dropdown(id=f"{PAGE}-unit", value=unit, placeholder="Chọn đơn vị…",
                                 options=[{"label": r["name"], "value": r["unit"]} for r in units])],
                   className="filter-item"),
    ], className="ranking-controls", id=f"{PAGE}-controls")


def _group_counts(rows: list[dict], groups: list[dict]) -> html.P:
    parts = []
    for g in groups:
        n = sum(1 for r in rows if r["group"] == g["group"] and r["rank"] is not None)
        parts += [html.Span(f"{g['group']}: ", className="par-group-label",
                            style={"color": GROUP_COLORS.get(g["group"])}),
                  html.Strong(vn_int(n), id=f"{PAGE}-count-{g['group']}"), "  "]
    return html.P(["Số đơn vị theo xếp loại — "] + parts, className="par-counts")


def _rank_cell(row: dict) -> str:
    if row["rank"] is None:
        return "không xếp hạng"
    return f"{row['rank']}/{row['peer_count']}"


def _change_text(row: dict) -> str:
    if row.get("change_rank") is None:
        return "–"
    n = row["change_rank"]
    return f"▲ {n} bậc" if n > 0 else f"▼ {-n} bậc" if n < 0 else "▬ giữ nguyên"


def _ranking_table(rows: list[dict], year: int, group: str) -> html.Table:
    """A plain table so every figure has a stable id: chi-so-cchc-points-<code>, -index-, -rank-, -group-."""
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "Hạng", "Đơn vị", "Điểm đạt", "Điểm tối đa áp dụng", "Chỉ số CCHC", "Xếp loại", f"Năm {year - 1}",
        "Thay đổi thứ hạng", "Điểm tự đánh giá", "Tự chấm cao hơn thẩm định", "Tiêu chí chưa thẩm định",
        "Tự chấm không khớp số liệu")]))
    body = []
    for r in rows:
        key = r["unit"] or r["unit_text"]
        last = r.get("last_year") or {}
        unsupported = sum(1 for c in r["data_check"] if c["supported"] is False)
        name = (dcc.Link(r["name"], href=f"/chi-so-cchc?{_query(year, group, r['unit'])}") if r["unit"]
                else [r["name"], html.Br(), html.Small("chưa khớp danh mục đơn vị", className="hint")])
        body.append(html.Tr([
            html.Td(_rank_cell(r), id=unit_dom_id(f"{PAGE}-rank", key), className="num"),
            html.Td(name),
            html.Td(vn_score(r["points"]), id=unit_dom_id(f"{PAGE}-points", key), className="num"),
            html.Td(vn_score(r["max_points"]), className="num"),
            html.Td(vn_percent(r["index"]), id=unit_dom_id(f"{PAGE}-index", key), className="num"),
            html.Td(r["group"] or "–", id=unit_dom_id(f"{PAGE}-group", key), className=f"par-group par-{r['group']}"),
            html.Td(f"{vn_percent(last.get('index'))} · hạng {last['rank']}" if last.get("rank") else "–",
                    className="num"),
            html.Td(_change_text(r), className="num"),
            html.Td(vn_score(r["self_points"]), className="num"),
            html.Td(vn_score(r["gap_points"]), className="num"),
            html.Td(vn_int(r["not_appraised"]), className="num"),
            html.Td(vn_int(unsupported), className="num" + (" par-warn" if unsupported else "")),
        ]))
    return html.Table([head, html.Tbody(body)], id=f"{PAGE}-table", className="plain-table")


def _query(year: int, group: str | None, unit: str | None) -> str:
    return updated_search("", nam=year, nhom=group, don_vi=unit).lstrip("?")


def _ranking(result: dict, group: str) -> html.Section:
    rows = [r for r in result["rows"] if r["peer_group"] == group]
    fw = result["frameworks"][group]
    year = result["year"]
    title = f"{fw['name']}: Chỉ số CCHC năm {year}"
    return html.Section([
        html.H2(f"Xếp hạng Chỉ số CCHC năm {year} – {fw['name']}"),
        html.P([f"Chỉ số = điểm đạt / điểm tối đa áp dụng (bỏ tiêu chí không áp dụng). Điểm đạt: điểm Hội đồng thẩm "
                "định; tiêu chí Hội đồng chưa thẩm định tạm tính theo số liệu của Thành phố (tiêu chí chấm bằng số "
                "liệu) hoặc điểm tự đánh giá. Phần điều tra xã hội học lấy từ kết quả khảo sát SIPAS cùng năm. "
                f"Bộ tiêu chí: {fw['version'] or 'không ghi số văn bản'}; tổng {vn_score(fw['max_points'])} điểm."],
               className="hint"),
        _group_counts(rows, result["groups"]),
        graph(f"{PAGE}-ranking-chart", ranking_bars(rows, result["groups"], title), f"chi_so_cchc_{year}_{group}"),
        download_button(f"{PAGE}-download-button", f"{PAGE}-download",
                        f"Tải bảng tổng hợp năm {year} theo mẫu của Hội đồng thẩm định (.xlsx)"),
        html.Div(_ranking_table(rows, year, group), className="table-scroll"),
    ], id=f"{PAGE}-ranking")


def _heatmap(result: dict, group: str) -> html.Section:
    rows = [r for r in result["rows"] if r["peer_group"] == group and r["rank"] is not None]
    fw = result["frameworks"][group]
    return html.Section([
        html.H2("Chỉ số theo lĩnh vực"),
        html.P("Mỗi ô: điểm đạt / điểm tối đa của lĩnh vực (%). Ô nhạt là lĩnh vực đơn vị mất nhiều điểm.",
               className="hint"),
        graph(f"{PAGE}-heatmap", area_heatmap(rows, fw["areas"], f"{fw['name']}: chỉ số theo lĩnh vực, năm "
                                                                 f"{result['year']}"),
              f"chi_so_cchc_linh_vuc_{result['year']}_{group}"),
    ], id=f"{PAGE}-areas")


def _unit_view(result: dict, row: dict) -> html.Section:
    year = result["year"]
    last = row.get("last_year")
    areas = [{"code": c, **a} for c, a in row["areas"].items() if a["max_points"]]
    summary = [html.Strong(f"{vn_score(row['points'])}/{vn_score(row['max_points'])} điểm",
                           id=f"{PAGE}-unit-points"), " · chỉ số ",
               html.Strong(vn_percent(row["index"]), id=f"{PAGE}-unit-index"), " · hạng ",
               html.Strong(_rank_cell(row), id=f"{PAGE}-unit-rank"), f" trong nhóm {row['peer_group_name'].lower()}"
               " · xếp loại ", html.Strong(row["group"] or "–", id=f"{PAGE}-unit-group")]
    before = ("Năm trước chưa có điểm." if not last else
              f"Năm {year - 1}: {vn_score(last['points'])}/{vn_score(last['max_points'])} điểm, chỉ số "
              f"{vn_percent(last['index'])}, hạng {last['rank'] or '–'}, xếp loại {last['group'] or '–'}; "
              f"thay đổi: {_change_text(row)}.")
    notes = []
    if row["not_appraised"]:
        notes.append(f"{row['not_appraised']} tiêu chí Hội đồng chưa thẩm định (tạm tính theo điểm tự đánh giá).")
    if row["survey_points"] is None:
        notes.append("Chưa có điểm điều tra xã hội học: phần này không tính vào điểm tối đa.")
    return html.Section([
        html.H2(f"{row['name']}: điểm đạt và điểm bị mất năm {year}", id=f"{PAGE}-unit-title"),
        html.P(summary, className="par-unit-summary"), html.P(before, id=f"{PAGE}-unit-last-year", className="hint"),
        *[html.P(n, className="hint") for n in notes],
        html.Div([
            html.Div(graph(f"{PAGE}-unit-lost", lost_bars(sorted(areas, key=lambda a: -(a["lost_points"] or 0)),
                                                          "Điểm đạt và điểm bị mất theo lĩnh vực"),
                           f"chi_so_cchc_{row['unit']}_{year}_diem_mat"), className="chart-cell"),
            html.Div(graph(f"{PAGE}-unit-change", area_change_bars(areas, year, "So với năm trước, theo lĩnh vực"),
                           f"chi_so_cchc_{row['unit']}_{year}_so_nam_truoc"), className="chart-cell"),
        ], className="hai-long-pair"),
        html.H3("Tiêu chí bị mất điểm, nhiều nhất trước"),
        data_table(f"{PAGE}-unit-lost-table", row["lost"], LOST_COLUMNS, page_size=15, sortable=False),
        html.H3("Điểm tự đánh giá cao hơn điểm thẩm định"),
        data_table(f"{PAGE}-unit-gaps", row["gaps"], GAP_COLUMNS, page_size=10, sortable=False) if row["gaps"]
        else html.P("Không có tiêu chí nào Hội đồng chấm khác điểm tự đánh giá.", className="hint"),
    ], id=f"{PAGE}-unit-view")


def _check_rows(rows: list[dict]) -> list[dict]:
    return [{**c, "unit_name": r["name"]} for r in rows for c in r["data_check"] if c["supported"] is False]


def _data_check(result: dict, rows: list[dict], scope: str) -> html.Section:
    claims = _check_rows(rows)
    missing = sorted({c["note"] for r in rows for c in r["data_check"] if c["value"] is None and c["note"]})
    body = [html.H2(f"Đối chiếu điểm tự chấm với số liệu của Thành phố – {scope}"),
            html.P("Với tiêu chí chấm bằng số liệu (tỷ lệ hồ sơ đúng hạn, tỷ lệ hồ sơ trực tuyến, chỉ số SIPAS, Bộ "
                   "chỉ số 766, tỷ lệ hoàn thành kế hoạch), công cụ tính lại điểm từ số liệu đã nạp theo đúng cách "
                   "tính điểm của bộ tiêu chí và nêu những điểm tự chấm số liệu không chứng minh được.",
                   className="hint"),
            html.P([html.Strong(vn_int(len(claims)), id=f"{PAGE}-check-count"),
                    " điểm tự chấm cao hơn điểm số liệu cho phép."])]
    if claims:
        body += [download_button(f"{PAGE}-check-download-button", f"{PAGE}-check-download",
                                 "Tải danh sách đối chiếu (.xlsx)"),
                 data_table(f"{PAGE}-check-table", claims, CHECK_COLUMNS, page_size=20, sortable=False)]
    if missing:
        body.append(html.P("Chưa đối chiếu được: " + "; ".join(missing) + ".", className="hint"))
    return html.Section(body, id=f"{PAGE}-check")


def _city_lost(result: dict, group: str) -> html.Section:
    rows = [c for c in result["city_lost"] if c["peer_group"] == group][:CITY_LOST_SHOWN]
    columns = [Column("code", "Mã"), Column("name", "Tiêu chí"), Column("lost_points", "Tổng điểm bị mất", "score"),
               Column("units", "Số đơn vị", "int"), Column("share", "Tỷ lệ điểm bị mất", "percent")]
    table = [{**c, "share": c["lost_points"] / c["max_points"] if c["max_points"] else None} for c in rows]
    return html.Section([
        html.H2(f"{len(rows)} tiêu chí làm các đơn vị mất nhiều điểm nhất"),
        html.P("Tổng điểm các đơn vị trong nhóm bị mất ở từng tiêu chí: nơi cần tập trung để Thành phố tăng điểm.",
               className="hint"),
        data_table(f"{PAGE}-city-lost", table, columns, page_size=CITY_LOST_SHOWN, sortable=False),
    ], id=f"{PAGE}-city")


def _no_par() -> html.Div:
    return html.Div([html.H2("Chưa có dữ liệu Chỉ số CCHC"),
                     html.P("Cơ sở dữ liệu chưa có bộ tiêu chí và điểm Chỉ số cải cách hành chính (PAR INDEX). Nạp bộ "
                            "tiêu chí rồi bảng điểm của Hội đồng thẩm định bằng lệnh python -m etl import (xem "
                            "README, mục «Chỉ số CCHC»).")], className="notice", id=f"{PAGE}-no-data")


@database_layout
def layout(con, query):
    years = par_years(con)
    if not years:
        return html.Div([_no_par()], id=f"{PAGE}-page")
    year = page_choice(query, "nam", [str(y) for y in years], str(years[-1]))
    groups, units, own = _offer(con, int(year))
    if not groups:
        return html.Div([html.H2("Đơn vị của bạn không có điểm Chỉ số CCHC năm này"),
                         html.P("Hội đồng thẩm định chấm Chỉ số cải cách hành chính cho sở, ngành và quận, huyện; "
                                "đơn vị của bạn và các đơn vị trực thuộc không có trong bảng điểm.")],
                        className="notice", id=f"{PAGE}-no-data")
    group, unit = _choices(query, groups, units, own)
    # the page shows one peer group: only its units are scored (a unit's rank is within its group)
    result = _visible(con, compute_par(con, int(year), group))
    rows = [r for r in result["rows"] if r["peer_group"] == group]
    row = next((r for r in rows if r["unit"] == unit), None)
    body = [*outside_scope_notice(con, query, unit, PAGE),
            dcc.Store(id=f"{PAGE}-query", data=query), html.H2(f"Chỉ số cải cách hành chính năm {year}",
                                                                 id=f"{PAGE}-scope", className="scope-title"),
            _controls(years, int(year), result, groups, group, unit), _ranking(result, group)]
    if row is not None:
        body += [_unit_view(result, row), _data_check(result, [row], row["name"])]
    else:
        body += [_heatmap(result, group), _data_check(result, rows, result["frameworks"][group]["name"].lower()),
                 _city_lost(result, group)]
    return html.Div(body, id=f"{PAGE}-page")


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-year", "value"),
          Input(f"{PAGE}-group", "value"), Input(f"{PAGE}-unit", "value"), State("url", "search"),
          State(f"{PAGE}-initial", "data"), prevent_initial_call=True)
def _choose(year, group, unit, search, initial):
    if [year, group, unit] == initial:   # fired because the page was drawn, not by the user
        return no_update
    if group != initial[1]:
        unit = None   # another peer group: its ranking, not the unit of the last one
    return updated_search(search, nam=year, nhom=group, don_vi=unit)


# a click on a unit's bar opens its view (its code is the bar's customdata[4]; par_charts.ranking_bars)
register_drill_down(f"{PAGE}-ranking-chart", code_index=4)

def _result(query: dict):
    con = store.current().connection()
    years = par_years(con) if con is not None else []
    if not years:
        return None, None, None
    year = int(page_choice(query or {}, "nam", [str(y) for y in years], str(years[-1])))
    result = _visible(con, compute_par(con, year))
    if not result["frameworks"]:
        return None, None, None
    return result, *_choices(query or {}, *_offer(con, year))


def _file(n_clicks, query, make):
    """A download of the page's year (the stored query): make(result, group, unit) → (bytes, file stem)."""
    result, group, unit = _result(query)
    if not n_clicks or result is None:
        return no_update
    data, stem = make(result, group, unit)
    return dcc.send_bytes(data, f"{stem}_{result['year']}.xlsx")


def _council_workbook(result: dict, group, unit) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    write_par_xlsx(result, buffer)
    return buffer.getvalue(), "chi_so_cchc"


def _check_workbook(result: dict, group, unit) -> tuple[bytes, str]:
    rows = [r for r in result["rows"] if (r["unit"] == unit if unit else r["peer_group"] == group)]
    return xlsx_bytes(_check_rows(rows), CHECK_COLUMNS, f"ĐỐI CHIẾU ĐIỂM TỰ CHẤM VỚI SỐ LIỆU NĂM {result['year']}",
                      sheet="Đối chiếu"), "doi_chieu_so_lieu"


@callback(Output(f"{PAGE}-download", "data"), Input(f"{PAGE}-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), prevent_initial_call=True,
          running=busy_while_building(f"{PAGE}-download-button"))
def _download(n_clicks, query):
    return _file(n_clicks, query, _council_workbook)


@callback(Output(f"{PAGE}-check-download", "data"), Input(f"{PAGE}-check-download-button", "n_clicks"),
          State(f"{PAGE}-query", "data"), prevent_initial_call=True,
          running=busy_while_building(f"{PAGE}-check-download-button"))
def _download_check(n_clicks, query):
    return _file(n_clicks, query, _check_workbook)
