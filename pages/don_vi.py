"""Đơn vị page: rankings within peer groups (per structure when the period spans a reorganization), drill-down city
→ district → ward, and each unit's own view with the units it was formed from and its inspection pack."""
from datetime import timedelta

import dash
from dash import dcc, html

from common.formats import vn_date, vn_int, vn_number
from exports.inspection_docx import inspection_docx_bytes
from exports.inspection_xlsx import inspection_xlsx_bytes
from indicators import INDICATORS, Period, compute_period_table
from indicators.definitions import INDICATOR_BY_ID
from indicators.engine import LEVEL_NAMES_VI
from indicators.inspection import compute_inspection, default_unit
from indicators.units import Unit, descendants, peer_levels, predecessors_of, successors_of, unit_path
from pages._components.charts import graph, ranked_bars
from pages._components.downloads import (EARLIER_PARTS, Sheet, job_download, register_download, register_job_download,
                                         register_period_table_download)
from pages._components.file_names import indicator_part, level_part
from pages._components.filters import filter_bar
from pages._components.page_frame import (empty_period_notice, figure_layout, period_total, register_drill_down,
                                          register_ranking_choice, scope_has_dossiers)
from pages._components.sections import (city_comparison, key_figures, part_label, part_suffix, period_table_section,
                                        rank_notes, ranking_rows, scope_title, structure_periods, trends)
from pages._components.tables import Column, data_table, download_button, indicator_column

dash.register_page(__name__, path="/don-vi", name="Đơn vị", title="Đơn vị – CCHC", order=1)

PAGE = "don-vi"
DEFAULT_INDICATOR = "on_time_rate"
CHART_LIMIT = 40   # more peers than this: the chart shows the best and the worst 20, the table all of them
LATE_DOSSIERS_PATH = "/ho-so-tre-han"
HISTORY_MONTHS = 6   # a merged unit's page shows its predecessors' last months before the reorganization


def _indicator(query: dict) -> str:
    value = query.get("chi_tieu")
    return value if value in INDICATOR_BY_ID else DEFAULT_INDICATOR


def _level(query: dict, levels: list[str]) -> str | None:
    value = query.get("cap")
    return value if value in levels else (levels[0] if levels else None)


def _value_column(ind_id: str, name: str) -> Column:
    spec = indicator_column(ind_id, name)   # ranking rows hold the indicator's value under "value"
    return Column("value", name, spec.kind, spec.decimals)


def _breadcrumb(filters, path, own: str | None = None) -> html.Nav:
    """City › district › ward; for a unit account (own: its unit) from its own unit down, the city not offered."""
    if own is not None:
        codes = [u.code for u in path]
        path = path[codes.index(own):] if own in codes else path[-1:]
        items = []
    else:
        items = [dcc.Link("Toàn thành phố", href=f"/don-vi{filters.search(don_vi=None)}", id=f"{PAGE}-crumb-root")]
        # the province itself is "Toàn thành phố"
        path = [u for i, u in enumerate(path) if u.parent_code is not None or i == len(path) - 1]
    for i, unit in enumerate(path):
        if items:
            items.append(html.Span("›", className="sep"))
        if i == len(path) - 1:
            items.append(html.Strong(unit.name, id=f"{PAGE}-crumb-current"))
        else:
            items.append(dcc.Link(unit.name, href=f"/don-vi{filters.search(don_vi=unit.code)}"))
    return html.Nav(items, className="breadcrumb", id=f"{PAGE}-breadcrumb", **{"aria-label": "Đường dẫn đơn vị"})


def _level_parts(con, filters) -> list[tuple[Period, list[str]]]:
    """(period, peer levels) of each structure of the filters' period: one for most periods, two for a period
    spanning 01/07/2025 (its earlier part has the district level, the later one not)."""
    return [(p, peer_levels(descendants(con, filters.unit, p.start, p.end))) for p in structure_periods(con, filters.period)]


def _all_levels(parts) -> list[str]:
    return peer_levels([Unit("", "", lv, None) for _, levels in parts for lv in levels])


def _ranking_controls(ind_id: str, levels: list[str], level: str) -> list:
    return [
        dcc.Store(id=f"{PAGE}-ranking-initial", data=[ind_id, level]),
        html.Div([
            html.Label([html.Span("Chỉ tiêu", className="filter-label"),
                        dcc.Dropdown(id=f"{PAGE}-chi-tieu", options=[{"label": i.name_vi, "value": i.id} for i in INDICATORS],
                                     value=ind_id, clearable=False)], className="filter-item"),
            html.Label([html.Span("Nhóm đơn vị (không xếp lẫn các cấp)", className="filter-label"),
                        dcc.RadioItems(id=f"{PAGE}-cap", options=[{"label": LEVEL_NAMES_VI.get(lv, lv), "value": lv}
                                                                 for lv in levels],
                                       value=level, inline=True, className="radio-inline")], className="filter-item"),
        ], className="ranking-controls")]


def _ranking_body(con, filters, ind_id: str, level: str, period: Period, suffix: str) -> list:
    """The chart, note, download and table of one peer group in one structure (ids end with `suffix`)."""
    ind = INDICATOR_BY_ID[ind_id]
    ranking = ranking_rows(con, filters, ind_id, level, period)
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
    note += rank_notes(rows)
    note.append("Bấm vào một đơn vị trên biểu đồ hoặc trong bảng để xem chi tiết.")
    level_name = LEVEL_NAMES_VI.get(level, level)
    when = filters.period_name() if period == filters.period else part_label(period)
    fig = ranked_bars(chart_rows, ind.name_vi, ind.unit, ind.decimals, ranking["comparator"], ranking["target"],
                      title=f"Xếp hạng {level_name.lower()}: {ind.name_vi} – {when}")
    for r in rows:
        r["link"] = f"[{r['name']}](/don-vi{filters.search(don_vi=r['code'])})"
    value_col = _value_column(ind_id, "Giá trị")
    screen_columns = [Column("rank", "Hạng", "int"), Column("link", "Đơn vị", "markdown"), value_col,
                      Column("rank_note", "Ghi chú xếp hạng"),
                      Column("numerator", "Tử số", "int"), Column("denominator", "Mẫu số", "int"),
                      Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
                      Column("gap", "Chênh lệch so với chỉ tiêu", "points" if ind.unit == "fraction" else "days", ind.decimals),
                      Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Hồ sơ đã giải quyết", "int")]
    stem = filters.file_stem(f"xep_hang_{level_part(level)}_{indicator_part(ind_id)}")
    return [
        html.P(" ".join(note), className="hint", id=f"{PAGE}-ranking-note{suffix}"),
        graph(f"{PAGE}-ranking-chart{suffix}", fig, stem),
        download_button(f"{PAGE}-ranking{suffix}-download-button", f"{PAGE}-ranking{suffix}-download",
                        "Tải bảng xếp hạng (.xlsx)"),
        data_table(f"{PAGE}-ranking-table{suffix}", rows, screen_columns, page_size=50),
    ]


def _ranking_section(con, filters, ind_id: str, parts, level: str) -> html.Section:
    """Rankings of one peer level; a period spanning a reorganization has one ranking per structure, side by
    side: the old units are never ranked against the new ones."""
    body = [html.H2("Xếp hạng trong từng nhóm đơn vị cùng cấp"), *_ranking_controls(ind_id, _all_levels(parts), level)]
    if len(parts) == 1:
        return html.Section(body + _ranking_body(con, filters, ind_id, level, parts[0][0], ""), id=f"{PAGE}-ranking")
    for i, (period, levels) in enumerate(parts):
        suffix = part_suffix(i, len(parts))
        body.append(html.H3(f"Cơ cấu đơn vị {part_label(period)}", id=f"{PAGE}-ranking-heading{suffix}"))
        if level in levels:
            body += _ranking_body(con, filters, ind_id, level, period, suffix)
        else:
            body.append(html.P(f"Cơ cấu này không có đơn vị {LEVEL_NAMES_VI.get(level, level).lower()}.",
                               className="hint", id=f"{PAGE}-ranking-none{suffix}"))
    return html.Section(body, id=f"{PAGE}-ranking")


def _estimate(x) -> str:
    # a part-share of an old unit's dossiers is an estimate: one decimal says so (2,6 hồ sơ)
    return vn_number(x, 1) if isinstance(x, float) and x != int(x) else vn_int(int(x))


def _share_text(share: float) -> str:
    return "toàn bộ" if share >= 1 - 1e-9 else f"{round(share * 100, 2):g}".replace(".", ",") + " %"


def _history_section(con, filters, ctx, unit: Unit) -> html.Section | None:
    """A unit formed from others (a merged ward or department): who they were, what share each gave, and their
    figures in the months before — to compare the new unit with the sum of the old ones (an estimate where only
    part of an old unit came over)."""
    preds = predecessors_of(con, unit.code)
    direct = [p for p in preds if p.depth == 1]
    if not direct:
        return None
    effective = min((p.effective_date for p in direct if p.effective_date), default=None)
    start = ctx.data_start
    if effective is not None and start is not None and effective > start:
        first = Period.month(effective.year, effective.month).shift_months(-HISTORY_MONTHS).start
        history = Period(max(first, start), effective - timedelta(days=1))
    else:
        history = None
    rows = []
    for p in preds:
        figures = (compute_period_table(con, history, by="level", unit=p.code)["total"] if history else {})
        rows.append({"name": ("↳ " * (p.depth - 1)) + p.name, "code": p.code, "parent": p.parent_name or "",
                     "link": f"[{('↳ ' * (p.depth - 1)) + p.name}](/don-vi{filters.search(don_vi=p.code)})",
                     "share": p.weight, "share_text": _share_text(p.weight), "basis": p.share_basis or "",
                     "effective": p.effective_date, "received_new": figures.get("received_new"),
                     "resolved": figures.get("resolved"), "on_time_rate": figures.get("on_time_rate"),
                     "estimate": _estimate((figures.get("received_new") or 0) * p.weight) if history else None})
    combined = (compute_period_table(con, history, by="level", unit=unit.code, include_predecessors=True)
                if history else None)
    whole = [p for p in direct if p.weight >= 1 - 1e-9]
    partial = [p for p in direct if p.weight < 1 - 1e-9]
    made_of = "; ".join([f"toàn bộ {p.name}" for p in whole] +
                        [f"{_share_text(p.weight)} {p.name}" + (f" (theo {p.share_basis})" if p.share_basis else "")
                         for p in partial])
    when = f" từ ngày {effective:%d/%m/%Y}" if effective else ""
    columns = [Column("link", "Đơn vị tiền thân", "markdown"), Column("parent", "Thuộc"),
               Column("share_text", "Phần chuyển về"), Column("basis", "Căn cứ tỷ lệ"),
               Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Hồ sơ đã giải quyết", "int"),
               indicator_column("on_time_rate", "Tỷ lệ đúng hạn, trước hạn"),
               Column("estimate", "Tiếp nhận tính cho đơn vị này")]
    body = [html.H2("Đơn vị tiền thân và số liệu trước sắp xếp"),
            html.P(f"{unit.name}{when} được hình thành từ: {made_of}.", id=f"{PAGE}-predecessors-text")]
    if history:
        body.append(html.P(f"Số liệu {part_label(history)} (trước sắp xếp) của từng đơn vị tiền thân; dòng cuối cộng "
                           "các đơn vị tiền thân theo phần chuyển về cùng hồ sơ của chính đơn vị trong thời gian đó.",
                           className="hint"))
    total = None
    if combined is not None:
        t = combined["total"]
        total = {"link": "Cộng (ước tính)" if combined["approximate"] else "Cộng", "received_new": None,
                 "resolved": None, "on_time_rate": t["on_time_rate"], "estimate": _estimate(t["received_new"])}
        if combined["approximate_note"]:
            body.append(html.P(combined["approximate_note"], className="notice", id=f"{PAGE}-predecessors-estimate"))
    body.append(data_table(f"{PAGE}-predecessors-table", rows, columns, total=total, page_size=50))
    return html.Section(body, id=f"{PAGE}-predecessors")


def _unit_header(con, filters, unit) -> list:
    late_link = f"{LATE_DOSSIERS_PATH}{filters.search()}"   # same unit and period on the late-dossier page
    out = [html.P([html.Span(f"{LEVEL_NAMES_VI.get(unit.level, unit.level)} · mã {unit.code}", className="hint"), " ",
                   dcc.Link("Xem hồ sơ trễ hạn →", href=late_link, id=f"{PAGE}-late-link"), " ",
                   dcc.Link("Chỉ số CCHC (PAR INDEX) →", href=f"/chi-so-cchc{filters.search()}",
                            id=f"{PAGE}-par-link")], className="unit-links")]
    successors = successors_of(con, unit.code)
    if successors:   # an old unit: where it went, and in what shares
        day = successors[0].effective_date
        items = []
        for i, s in enumerate(successors):
            items += [", " if i else "", f"{_share_text(s.share)} sang ",
                      dcc.Link(s.name, href=f"/don-vi{filters.search(don_vi=s.code)}")]
        basis = sorted({s.share_basis for s in successors if s.share_basis})
        out.append(html.P([f"Đơn vị đã sắp xếp{f' từ ngày {day:%d/%m/%Y}' if day else ''}: ", *items,
                           f" (tỷ lệ theo {', '.join(basis)})." if basis else "."],
                          className="notice", id=f"{PAGE}-successors"))
    return out


def _inspection_section(filters, unit: Unit) -> html.Section:
    """The unit's inspection pack (reporting.md §4) for the chosen period, the plan's progress at its last day."""
    note = (f"Tài liệu phục vụ đoàn kiểm tra công tác cải cách hành chính tại {unit.name}: số liệu so với chỉ tiêu và "
            f"xếp hạng, hồ sơ trễ hạn (cũ nhất trước) và phiếu xin lỗi còn thiếu, dịch vụ công trực tuyến và số hóa, "
            f"SIPAS, chỉ số 766, nhiệm vụ kế hoạch CCHC tính đến ngày {vn_date(filters.period.end)}, điểm PAR INDEX bị "
            "mất theo lĩnh vực, và các câu hỏi nên đặt ra. Số liệu của kỳ đang chọn, mọi lĩnh vực.")
    return html.Section([
        html.H2("Bộ hồ sơ phục vụ đoàn kiểm tra"), html.P(note, className="hint", id=f"{PAGE}-inspection-note"),
        html.Div([job_download(f"{PAGE}-inspection", "Tải bộ hồ sơ kiểm tra (.docx)"),
                  job_download(f"{PAGE}-inspection-xlsx", "Tải bộ hồ sơ kiểm tra (.xlsx)")], className="download-row"),
    ], id=f"{PAGE}-inspection")


@figure_layout
def layout(con, ctx, filters, query):
    path = unit_path(con, filters.unit) if filters.unit else []
    parts = _level_parts(con, filters)
    level = _level(query, _all_levels(parts))
    body = [dcc.Store(id=f"{PAGE}-query", data=query), filter_bar(filters, ctx, query),
            _breadcrumb(filters, path, ctx.root_unit),
            html.H2(scope_title(filters, ctx), id=f"{PAGE}-scope", className="scope-title")]
    if not scope_has_dossiers(filters, ctx, period_total(con, filters)):
        # An empty ranking chart with only its target line says nothing: say which period has no data.
        return html.Div(body + [empty_period_notice(PAGE, filters, ctx, scope_title(filters, ctx))], id=f"{PAGE}-page")
    # A unit's view: its own figures first, then its sub-units ranked (a district's wards), then its trends
    # and period table. The city (no unit) is the ranking alone; Tổng quan holds its figures.
    if path:
        body += [*_unit_header(con, filters, path[-1]), key_figures(PAGE, con, filters, ctx)]
        if ctx.root_unit == filters.unit:   # a unit account on its own unit: the city's totals and its own rank
            body.append(city_comparison(PAGE, con, filters, ctx))
    if level:
        body.append(_ranking_section(con, filters, _indicator(query), parts, level))
    if path:
        history = _history_section(con, filters, ctx, path[-1])
        body += [trends(PAGE, con, filters, ctx), *([history] if history else []),
                 period_table_section(PAGE, con, filters, ctx, "unit", {"unit": "Đơn vị"}),
                 _inspection_section(filters, path[-1])]
    return html.Div(body, id=f"{PAGE}-page")


register_ranking_choice(PAGE, f"{PAGE}-ranking-initial", DEFAULT_INDICATOR)


def _ranking_sheet(con, ctx, filters, query, part: int | None = None) -> Sheet | None:
    """The ranking of the current structure (part None), or of an earlier one of a period spanning a reorganization."""
    parts = _level_parts(con, filters)
    period, levels = parts[-1 if part is None else min(part, len(parts) - 1)]   # as the period table's parts
    level = _level(query, _all_levels(parts))
    if level is None or level not in levels:
        return None
    ind_id = _indicator(query)
    ind = INDICATOR_BY_ID[ind_id]
    columns = [Column("rank", "Hạng", "int"), Column("code", "Mã đơn vị"), Column("name", "Đơn vị"),
               _value_column(ind_id, ind.name_vi), Column("rank_note", "Ghi chú xếp hạng"),
               Column("numerator", "Tử số", "int"),
               Column("denominator", "Mẫu số", "int"), Column("target_text", "Chỉ tiêu"), Column("status", "Đánh giá"),
               Column("gap", "Chênh lệch (điểm %)" if ind.unit == "fraction" else "Chênh lệch (ngày)",
                      "points" if ind.unit == "fraction" else "days", ind.decimals),
               Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Hồ sơ đã giải quyết", "int")]
    title = f"XẾP HẠNG {LEVEL_NAMES_VI.get(level, level).upper()}: {ind.name_vi.upper()}"
    subtitle = None if len(parts) == 1 else f"{scope_title(filters, ctx)} · cơ cấu đơn vị {part_label(period)}"
    return Sheet(ranking_rows(con, filters, ind_id, level, period)["rows"], columns, title, "Xếp hạng",
                 f"xep_hang_{level_part(level)}_{indicator_part(ind_id)}", subtitle=subtitle)


register_drill_down(f"{PAGE}-ranking-chart")
register_download(PAGE, "ranking", _ranking_sheet)
for _i in range(EARLIER_PARTS):
    register_drill_down(f"{PAGE}-ranking-chart-p{_i + 1}")
    register_download(PAGE, f"ranking-p{_i + 1}",
                      lambda con, ctx, filters, query, part=_i: _ranking_sheet(con, ctx, filters, query, part))
register_period_table_download(PAGE, lambda query: "unit")


def _inspection_file(to_bytes, ext: str):
    def make_file(con, filters, query):
        # the button is on a unit's view; asked without a unit (a replayed request), the city's own pack
        unit = filters.unit or default_unit(con)
        if unit is None:
            return "Chọn một đơn vị để lập bộ hồ sơ kiểm tra."
        pack = compute_inspection(con, unit, filters.period.end, filters.period)
        return to_bytes(pack), f"{filters.file_stem('ho_so_kiem_tra')}.{ext}"
    return make_file


RUNNING = "Đang lập bộ hồ sơ (có thể mất đến một phút)…"
register_job_download(PAGE, "inspection", _inspection_file(inspection_docx_bytes, "docx"), RUNNING)
register_job_download(PAGE, "inspection-xlsx", _inspection_file(inspection_xlsx_bytes, "xlsx"), RUNNING)
