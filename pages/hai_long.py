"""Hài lòng page: SIPAS survey results for the scope (ranked within peer groups, elements, criteria, expectations)
and, kept apart as a different measure, satisfaction from dossier ratings."""
import dash
from dash import dcc, html

from common.formats import vn_int, vn_points, vn_target, vn_value
from indicators.units import LEVEL_ORDER
from indicators import compute_indicator, compute_sipas, survey_years, weakest_criteria
from pages._components.cards import card_grid, count_card
from pages._components.charts import graph
from pages._components.filters import unit_name
from pages._components.downloads import Sheet, register_download, view_subtitle
from pages._components.file_names import level_part
from pages._components.interval_chart import (criteria_heatmap, element_bars, interval_bars, interval_text, panel_bars,
                                              share_bars)
from pages._components.page_frame import database_layout, page_head, register_drill_down, stored_view
from pages._components.sections import scope_title
from pages._components.sipas_view import (NOT_RANKED, TOO_SMALL_LABEL, UNIT_COLUMNS, city_rank_text, is_whole_year,
                                          peer_groups, rating_card, sipas_card, survey_years_in, unit_dom_id,
                                          unit_rows, unit_table, year_search)
from pages._components.tables import Column, data_table, download_button

dash.register_page(__name__, path="/hai-long", name="Hài lòng", title="Hài lòng – CCHC", order=5)

PAGE = "hai-long"
RATING_ID = "rating_satisfaction"
RATING_NAME = "Tỷ lệ hài lòng qua đánh giá hồ sơ (khác với chỉ số SIPAS)"
WEAKEST_SHOWN = 5
CRITERIA_COLUMNS = [Column("code", "Mã"), Column("name", "Tiêu chí"), Column("element_text", "Yếu tố"),
                    Column("index", "Chỉ số", "percent"), Column("ci_text", "Khoảng tin cậy 95 %"),
                    Column("valid", "Số câu trả lời hợp lệ", "int"),
                    Column("last_year_index", "Năm trước", "percent"),
                    Column("change_points", "Thay đổi so với năm trước", "points"), Column("note", "Ghi chú")]


def _scope_name(filters, ctx) -> str:
    return _name_of(ctx, filters.unit) if filters.unit else "Toàn thành phố"


def _name_of(ctx, code: str) -> str:
    """A unit's name, or its code when the list has no such unit."""
    return unit_name(ctx, code) or code


def _year_links(filters, ctx, years: list[int]) -> list:
    links = []
    for i, y in enumerate(years):
        links += ([", "] if i else []) + [dcc.Link(f"năm {y}", href=f"/hai-long{year_search(filters, ctx, y)}",
                                                   id=f"{PAGE}-year-{y}")]
    return links


def _survey_note(filters, ctx, years_all: list[int], result: dict) -> html.Div:
    """Which survey the view shows. SIPAS is yearly: a month or a quarter shows that year's survey (questionnaires
    with only a year count in every period of it, dated ones only inside the period), so the reader is told."""
    years = survey_years_in(filters.period, years_all)
    total = result["total"]
    head = ("Kết quả khảo sát SIPAS" if not years else f"Kết quả khảo sát SIPAS năm {years[0]}" if len(years) == 1
            else f"Kết quả khảo sát SIPAS gộp các năm {', '.join(map(str, years))}")
    parts = [html.Strong(head, id=f"{PAGE}-survey-year"),
             f" · {vn_int(total['questionnaires'])} phiếu · phương pháp {result.get('method') or '–'}."]
    notes = []
    if len(years) > 1:
        notes.append("Kỳ đang chọn trải qua nhiều năm nên các đợt khảo sát được gộp; nên xem từng năm: ")
        notes += _year_links(filters, ctx, years) + ["."]
    elif years and not is_whole_year(filters):
        notes.append(f"SIPAS là khảo sát hằng năm. Kỳ {filters.period_name()} hiển thị đợt khảo sát năm {years[0]}: "
                     "phiếu chỉ ghi năm khảo sát được tính cho mọi kỳ trong năm, phiếu có ngày khảo sát chỉ được tính "
                     "khi ngày nằm trong kỳ. Xem đủ kết quả ")
        notes += _year_links(filters, ctx, years) + ["."]
    if filters.field:
        notes.append(" Chỉ số SIPAS không tách theo lĩnh vực: bộ lọc lĩnh vực chỉ áp dụng cho tỷ lệ hài lòng qua "
                     "đánh giá hồ sơ.")
    return html.Div([html.P(parts, className="survey-head"), html.P(notes, className="hint")] if notes
                    else [html.P(parts, className="survey-head")], id=f"{PAGE}-survey-note", className="survey-note")


def _no_survey(filters, ctx, years_all: list[int]) -> html.Div:
    scope = _scope_name(filters, ctx)
    if years_all:
        years = [f"{scope} không có phiếu khảo sát nào trong kỳ báo cáo đã chọn ({filters.label()}). "
                 "Các năm có phiếu khảo sát SIPAS trong dữ liệu: "] + _year_links(filters, ctx, years_all) + ["."]
    else:
        years = ["Cơ sở dữ liệu chưa có phiếu khảo sát SIPAS nào. Nạp tệp khảo sát bằng lệnh "
                 "python -m etl import (xem trang Dữ liệu)."]
    return html.Div([html.H2("Không có phiếu khảo sát SIPAS trong kỳ này"), html.P(years)],
                    className="notice", id=f"{PAGE}-no-survey")


def _rating(con, filters) -> dict:
    # the units' values this period, the scope's also the period before and last year (the card compares them)
    return compute_indicator(con, RATING_ID, filters.period, by="unit", unit=filters.unit, field=filters.field,
                             group_history=False)


def _cards(filters, ctx, result: dict, rating: dict, last_label: str) -> html.Section:
    total = result["total"]
    cards = [sipas_card(f"{PAGE}-card-sipas", total, f"Chỉ số hài lòng SIPAS – {_scope_name(filters, ctx)}",
                        last_label, part_of_year=not is_whole_year(filters)),
             count_card(f"{PAGE}-questionnaires", "Số phiếu khảo sát", total["questionnaires"],
                        f"{vn_int(total['sipas_valid'])} phiếu có câu trả lời hợp lệ")]
    if total.get("overall"):
        o = total["overall"]
        cards.append(html.Div([
            html.Div("Hài lòng chung (câu hỏi chung, ngoài 5 yếu tố)", className="card-title"),
            html.Div(vn_value(o["index"]), id=f"{PAGE}-overall-value", className="card-value"),
            html.Div(f"{vn_int(o['favourable'])} / {vn_int(o['valid'])} người trả lời · khoảng tin cậy 95 %: "
                     f"{interval_text(o.get('ci95'))}", className="card-fraction")], className="card card--count",
            id=f"{PAGE}-overall"))
    cards.append(rating_card(f"{PAGE}-card", rating["total"], RATING_NAME))
    return html.Section([html.H2("SIPAS so với chỉ tiêu"), card_grid(cards, f"{PAGE}-cards")], id=f"{PAGE}-summary")


def _city(con, filters, ctx) -> html.Section:
    """A unit account's view of the city (operations.md: its subtree, the city's totals, its own rank): the city's
    SIPAS and the account's own rank among the units of its level — no peer's figure or name. The ranking below
    holds its subtree only, where its own unit is first of a group of one (probe 55: «1. Quận 3»)."""
    city = compute_sipas(con, filters.period, by="unit")
    total = city["total"]
    return html.Section([
        html.H2("So với toàn thành phố"),
        html.P(city_rank_text(city["rows"], ctx.root_unit, _name_of(ctx, ctx.root_unit)),
               id=f"{PAGE}-own-rank"),
        html.P(f"Toàn thành phố: chỉ số SIPAS {vn_value(total['sipas'])}, {vn_int(total['sipas_valid'])} phiếu hợp lệ.",
               id=f"{PAGE}-city-sipas"),
    ], id=f"{PAGE}-city")


def _ranking(filters, ctx, result: dict, groups: list[dict]) -> html.Section:
    total = result["total"]
    # A unit chosen: its subtree's units are ranked among themselves (a district is first of a group of one), said so.
    within = f" trong phạm vi {_scope_name(filters, ctx)}" if filters.unit else ""
    elsewhere = (f"Thứ hạng của {_name_of(ctx, ctx.root_unit)} trong toàn thành phố ở mục «So với toàn thành phố». "
                 if ctx.root_unit else
                 "Thứ hạng trong toàn thành phố: chọn «Toàn thành phố» ở bộ lọc đơn vị. ") if filters.unit else ""
    body = [html.H2(f"SIPAS theo đơn vị – xếp hạng trong từng nhóm cùng cấp{within}"),
            html.P(elsewhere + "Mỗi đơn vị chỉ được xếp với các đơn vị cùng cấp trong năm (sở, ngành với sở, ngành; "
                   "phường, xã với phường, xã…) – không xếp lẫn các cấp. "
                   "Vạch đen ở đầu mỗi thanh là khoảng tin cậy 95 % (Wilson): hai đơn vị có khoảng chồng lên nhau "
                   "thì chưa chắc khác nhau thật. Đơn vị dưới 30 phiếu hợp lệ được liệt kê riêng, không xếp hạng. "
                   "Bấm vào một đơn vị trên biểu đồ để xem riêng kết quả khảo sát của đơn vị đó.",
                   className="hint")]
    for g in groups:
        level = g["level"] or "khac"
        block = [html.H3(f"{g['name']} ({len(g['ranked'])} đơn vị được xếp hạng{within})")]
        if g["ranked"]:
            rows = [{"label": f"{r['group_rank']}. {r['name']}", "value": r["sipas"], "ci95": r["sipas_ci95"],
                     "is_met": r["is_met"], "valid": r["sipas_valid"], "name": r["name"], "key": r["key"]}
                    for r in g["ranked"]]
            fig = interval_bars(rows, "SIPAS", total["comparator"], total["target"],
                                title=f"{g['name']}: chỉ số SIPAS, {filters.period_name()}")
            stem = filters.file_stem(f"sipas_xep_hang_{level_part(level)}")
            block.append(graph(f"{PAGE}-ranking-{level}", fig, stem))
        if g["unranked"]:
            same = all(r["reason"] == TOO_SMALL_LABEL for r in g["unranked"])
            block.append(html.Div([
                html.H4(TOO_SMALL_LABEL if same else "Không xếp hạng"),
                html.Ul([html.Li([html.Strong(r["name"]), f": {vn_value(r['sipas'])} · {vn_int(r['sipas_valid'])} phiếu"
                                  f" hợp lệ · khoảng tin cậy 95 %: {interval_text(r.get('sipas_ci95'))}"]
                                 + ([] if same else [html.Span(f" – {r['reason']}", className="hint")]),
                                 id=unit_dom_id(f"{PAGE}-unranked", r["key"])) for r in g["unranked"]]),
            ], className="unranked", id=f"{PAGE}-unranked-{level}"))
        body.append(html.Div(block, className="peer-group", id=f"{PAGE}-group-{level}"))
    body += [html.H3("Bảng SIPAS theo đơn vị"),
             download_button(f"{PAGE}-units-download-button", f"{PAGE}-units-download", "Tải bảng SIPAS theo đơn vị (.xlsx)"),
             html.Div(unit_table(PAGE, groups), className="table-scroll")]
    return html.Section(body, id=f"{PAGE}-ranking")


def _elements(filters, result: dict, labels: tuple[str, str]) -> html.Section:
    total = result["total"]
    fig = element_bars(total["elements"], labels[0], labels[1],
                       title=f"Chỉ số hài lòng theo 5 yếu tố – {filters.period_name()}")
    return html.Section([
        html.H2("Năm yếu tố"),
        html.P("Mỗi yếu tố: tỷ lệ trả lời hài lòng, rất hài lòng với câu hỏi về yếu tố đó (yếu tố không có câu hỏi "
               "này: trung bình các tiêu chí của yếu tố). SIPAS là trung bình của 5 yếu tố.", className="hint"),
        graph(f"{PAGE}-elements", fig, filters.file_stem("sipas_yeu_to")),
    ], id=f"{PAGE}-elements-section")


def _criteria_rows(criteria: list[dict]) -> list[dict]:
    return [{**c, "element_text": f"{c['element']}. {c['element_name'] or ''}".strip(),
             "ci_text": interval_text(c.get("ci95")), "note": TOO_SMALL_LABEL.replace("phiếu", "câu trả lời")
             if c["too_small"] else ""} for c in criteria]


def _weakest(con, filters, result: dict) -> html.Section:
    rows = _criteria_rows(weakest_criteria(con, filters.period, filters.unit, WEAKEST_SHOWN, result=result))
    return html.Section([
        html.H2(f"{len(rows)} tiêu chí có chỉ số thấp nhất"),
        html.P("Chỉ số tiêu chí: tỷ lệ câu trả lời tích cực (hài lòng, rất hài lòng hoặc đồng ý) trên số câu trả lời "
               "hợp lệ. Tiêu chí dưới 30 câu trả lời hợp lệ xếp sau cùng.", className="hint"),
        download_button(f"{PAGE}-criteria-download-button", f"{PAGE}-criteria-download",
                        f"Tải tất cả {len(result['total']['criteria'])} tiêu chí (.xlsx)"),
        data_table(f"{PAGE}-criteria-table", rows, CRITERIA_COLUMNS, sortable=False),
    ], id=f"{PAGE}-criteria")


def _criteria_map(filters, result: dict, groups: list[dict]) -> html.Section:
    """Units × criteria, one heat map per peer group (ids <page>-criteria-map-<level>): where a district or a
    department falls short of the whole scope on one criterion."""
    body = [html.H2("So sánh các đơn vị theo từng tiêu chí"),
            html.P("Mỗi ô: chỉ số tiêu chí của đơn vị (%). Màu đỏ: thấp hơn chỉ số chung của tiêu chí đó, màu xanh: cao "
                   "hơn (càng đậm càng xa, tối đa ±10 điểm %). Dấu * : dưới 30 câu trả lời hợp lệ, màu nhạt hơn.",
                   className="hint")]
    for g in groups:
        units = [r for r in g["ranked"] + g["unranked"] if r["key"] is not None and r.get("criteria")]
        if len(units) < 2:
            continue   # one unit has nothing to be compared with
        level = g["level"] or "khac"
        fig = criteria_heatmap(units, result["total"]["criteria"], title=f"{g['name']}: chỉ số từng tiêu chí")
        body.append(html.Div(graph(f"{PAGE}-criteria-map-{level}", fig, filters.file_stem(f"sipas_tieu_chi_{level}"),
                                   fig["layout"]["height"]), className="chart-scroll"))
    return html.Section(body, id=f"{PAGE}-criteria-map")


def _expectations(filters, result: dict) -> html.Section:
    items = sorted((e for e in result["total"]["expectations"].values() if e["share"] is not None),
                   key=lambda e: -e["share"])
    content = (graph(f"{PAGE}-expectations", share_bars(items, "Người dân, tổ chức mong muốn cải thiện"),
                     filters.file_stem("sipas_mong_doi"))
               if items else html.P("Phiếu trong kỳ không có câu hỏi về sự mong đợi.", className="hint"))
    return html.Section([
        html.H2("Người dân, tổ chức mong muốn cải thiện điều gì"),
        html.P("Tỷ lệ người trả lời chọn mỗi nội dung (mỗi người chọn được nhiều nội dung, nên tổng vượt 100 %).",
               className="hint"),
        content,
    ], id=f"{PAGE}-expectations-section")


def _change_panel(filters, groups: list[dict]) -> html.Div:
    panels, missing = [], []
    for g in groups:
        rows = [r for r in g["ranked"] + g["unranked"] if r["key"] is not None]
        missing += [r["name"] for r in rows if r["change_points"] is None]
        rows = sorted((r for r in rows if r["change_points"] is not None), key=lambda r: -r["change_points"])
        panels.append((g["name"], [{
            "name": r["name"] + (" *" if r["too_small"] else ""), "x": r["change_points"],
            # The axis says "điểm %": the label is the arrow and the signed number only, short enough to fit.
            "text": ("▲ " if r["change_points"] > 0 else "▼ " if r["change_points"] < 0 else "")
                    + vn_points(r["change_points"]).replace(" điểm %", ""),
            "hover": (f"<b>{r['name']}</b><br>{vn_value(r['last_year_sipas'])} → {vn_value(r['sipas'])}"
                      f"<br>{vn_points(r['change_points'])}")} for r in rows]))
    note = ["* dưới 30 phiếu: thay đổi chưa đáng tin cậy."]
    if missing:
        note.append(f" Không có số liệu năm trước: {', '.join(missing)}.")
    body = [html.H3("Thay đổi SIPAS so với năm trước")]
    if any(rows for _, rows in panels):
        fig = panel_bars(panels, "Thay đổi so với năm trước (điểm %)", diverging=True)
        # An explicit height: a responsive graph in a grid cell otherwise shrinks to the cell (which has none).
        body.append(graph(f"{PAGE}-change", fig, filters.file_stem("sipas_thay_doi"), fig["layout"]["height"]))
    else:
        body.append(html.P("Không có kết quả khảo sát năm trước để so sánh.", className="hint"))
    body.append(html.P(note, className="hint"))
    return html.Div(body, className="chart-cell", id=f"{PAGE}-change-cell")


def _rating_panel(filters, ctx, rating: dict, levels: list) -> html.Div:
    level_of = {u.code: u.level for u in ctx.units}
    panels = []
    for level, name in levels:
        rows = sorted((r for r in rating["rows"] if r["key"] is not None and level_of.get(r["key"]) == level
                       and r["value"] is not None), key=lambda r: -r["value"])
        marks = {True: " ✔", False: " ✘", None: ""}
        panels.append((name, [{"name": r["name"], "x": r["value"] * 100, "is_met": r["is_met"],
                               "text": vn_value(r["value"]) + marks[r["is_met"]],
                               "hover": (f"<b>{r['name']}</b><br>{vn_value(r['value'])} "
                                         f"({vn_int(r['numerator'])}/{vn_int(r['denominator'])} đánh giá)")}
                              for r in rows]))
    t = rating["total"]
    target = (t["comparator"], t["target"]) if t["target"] is not None else None
    body = [html.H3(RATING_NAME, id=f"{PAGE}-rating-title")]
    if any(rows for _, rows in panels):
        fig = panel_bars(panels, "Tỷ lệ đánh giá hài lòng, rất hài lòng (%)", target=target, tick_suffix=" %")
        body.append(graph(f"{PAGE}-rating", fig, filters.file_stem("hai_long_danh_gia_ho_so"), fig["layout"]["height"]))
    else:
        body.append(html.P("Không có đánh giá hồ sơ của các đơn vị này trong kỳ.", className="hint"))
    line = f"Đường gạch đỏ: chỉ tiêu {vn_target(*target)}. " if target else ""
    body.append(html.P(line + "Người nộp hồ sơ tự đánh giá từng hồ sơ khi nhận kết quả (tại quầy hoặc trực tuyến); tính trên "
                       "hồ sơ của chính đơn vị, không phải phiếu khảo sát chọn mẫu như SIPAS, nên hai con số không so "
                       "trực tiếp với nhau.", className="hint"))
    return html.Div(body, className="chart-cell", id=f"{PAGE}-rating-cell")


def _by_unit(filters, ctx, groups: list[dict], rating: dict) -> html.Section:
    levels = [(g["level"], g["name"]) for g in groups if g["level"] is not None]
    return html.Section([
        html.H2("Thay đổi so với năm trước và tỷ lệ hài lòng qua đánh giá hồ sơ"),
        html.Div([_change_panel(filters, groups), _rating_panel(filters, ctx, rating, levels)],
                 className="hai-long-pair"),
    ], id=f"{PAGE}-by-unit")


def _period_labels(filters, years: list[int]) -> tuple[str, str]:
    if is_whole_year(filters) and len(years) == 1:
        return f"Năm {years[0]}", f"Năm {years[0] - 1}"
    return "Kỳ đang xem", "Cùng kỳ năm trước"


def _survey_year_query(con, query: dict) -> dict:
    """The page opens on the latest survey year when no period is asked for: SIPAS is a yearly survey, and the
    last quarter (the other pages' default) showed a part of it under another figure than the year's."""
    if query.get("ky"):
        return query
    years = survey_years(con)
    return {**query, "ky": "nam", "nam": str(years[-1])} if years else query


@database_layout
def layout(con, query):
    query = _survey_year_query(con, query)
    con, ctx, filters = stored_view(query)
    years_all = survey_years(con)
    result = compute_sipas(con, filters.period, by="unit", unit=filters.unit)
    rating = _rating(con, filters)
    head = page_head(PAGE, query, filters, ctx, scope_title(filters, ctx))
    if not result["has_data"]:
        return html.Div(head + [
            _no_survey(filters, ctx, years_all),
            html.Section([html.H2("Đánh giá hồ sơ (một thước đo khác)"),
                          card_grid([rating_card(f"{PAGE}-card", rating["total"], RATING_NAME)], f"{PAGE}-cards"),
                          html.P(["Xếp hạng các đơn vị theo tỷ lệ này: ",
                                  dcc.Link("trang Đơn vị", href=f"/don-vi{filters.search(chi_tieu=RATING_ID)}")],
                                 className="hint")], id=f"{PAGE}-summary"),
        ], id=f"{PAGE}-page")
    years = survey_years_in(filters.period, years_all)
    labels = _period_labels(filters, years)
    groups = peer_groups(result["rows"])
    return html.Div(head + [
        _survey_note(filters, ctx, years_all, result),
        _cards(filters, ctx, result, rating, labels[1]),
        *([_city(con, filters, ctx)] if ctx.root_unit else []),
        _ranking(filters, ctx, result, groups),
        _elements(filters, result, labels),
        _weakest(con, filters, result),
        _criteria_map(filters, result, groups),
        _expectations(filters, result),
        _by_unit(filters, ctx, groups, rating),
    ], id=f"{PAGE}-page")


def _units_sheet(con, ctx, filters, query) -> Sheet:
    result = compute_sipas(con, filters.period, by="unit", unit=filters.unit)
    total = {**result["total"], "group": "Tổng cộng", "name": _scope_name(filters, ctx), "note": "",
             "ci_low": (result["total"]["sipas_ci95"] or [None])[0],
             "ci_high": (result["total"]["sipas_ci95"] or [None, None])[1],
             **{f"element_{e}": el["index"] for e, el in result["total"]["elements"].items()}}
    return Sheet(unit_rows(peer_groups(result["rows"])), UNIT_COLUMNS,
                 "CHỈ SỐ HÀI LÒNG SIPAS THEO ĐƠN VỊ (XẾP HẠNG TRONG TỪNG NHÓM CÙNG CẤP)", "SIPAS", "sipas_theo_don_vi",
                 subtitle=f"{view_subtitle(filters, ctx)} · {NOT_RANKED}: dưới 30 phiếu hợp lệ", total=total)


def _criteria_sheet(con, ctx, filters, query) -> Sheet:
    result = compute_sipas(con, filters.period, by="unit", unit=filters.unit)
    rows = _criteria_rows(weakest_criteria(con, filters.period, filters.unit, len(result["total"]["criteria"]),
                                           result=result))
    return Sheet(rows, CRITERIA_COLUMNS, "CHỈ SỐ CÁC TIÊU CHÍ SIPAS, TỪ THẤP ĐẾN CAO", "Tiêu chí", "sipas_tieu_chi")


register_download(PAGE, "units", _units_sheet)
# A click on a unit's bar shows that unit's survey (its key is customdata[5] of interval_bars); one chart per peer
# level, and the levels are the catalogue's, so every known level gets its callback.
for _level in (*LEVEL_ORDER, "khac"):
    register_drill_down(f"{PAGE}-ranking-{_level}", code_index=5)
register_download(PAGE, "criteria", _criteria_sheet)
