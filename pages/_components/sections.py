"""Page sections shared by Tổng quan and a unit's view: key figures, monthly trends, the statutory period table;
ranking rows with their verdicts in words (Đơn vị, Trực tuyến & số hóa)."""
from __future__ import annotations

from dash import dcc, html

from common.formats import vn_int, vn_target, vn_value
from indicators import INDICATORS, Period, compute_period_table
from indicators.dashboard import compute_monthly_trend, compute_ranking, compute_scorecard, trend_window
from indicators.definitions import INDICATOR_BY_ID
from indicators.engine import LEVEL_GROUPINGS
from indicators.report import RANK_INDICATOR
from indicators.ranking import MIN_DOSSIERS, rank_note, too_few_to_rank
from indicators.units import level_name, structure_parts
from pages._components.cards import card_grid, count_card, dom_id, indicator_card, status_text
from pages._components.charts import graph, stacked_months, trend_line
from pages._components.filters import Filters, FilterContext
from pages._components.tables import Column, data_table, download_button, period_table_columns, period_table_rows

__all__ = ["CARD_INDICATORS", "KEY_COUNTS", "TABLE_GROUPINGS", "scope_title", "key_figures", "trends",
           "period_table_section", "period_table_title", "ranking_rows", "structure_periods", "groupings_of",
           "part_suffix", "city_comparison", "rank_notes"]

# The figures leadership asks about first, in the order of the 766 scoreboard groups.
CARD_INDICATORS = ["on_time_rate", "progress_766", "same_day_rate", "online_rate", "paid_online_rate",
                   "digitized_rate", "data_reuse_rate", "sync_rate", "rating_satisfaction"]
KEY_COUNTS = [("received_new", "Hồ sơ mới tiếp nhận"), ("resolved", "Hồ sơ đã giải quyết"),
              ("resolved_in_time", "Giải quyết trước hạn, đúng hạn"), ("resolved_late", "Giải quyết quá hạn"),
              ("pending_within", "Đang giải quyết trong hạn"), ("pending_overdue", "Đang giải quyết quá hạn")]
TABLE_GROUPINGS = {"department": "Sở, ban, ngành", "district": "Quận, huyện", "level": "Cấp hành chính",
                   "unit": "Đơn vị"}
_NAMES = {i.id: i for i in INDICATORS}


def scope_title(filters: Filters, ctx: FilterContext) -> str:
    names = {u.code: u.name for u in ctx.units}
    scope = names.get(filters.unit, filters.unit) if filters.unit else "Toàn thành phố"
    return scope + (f" · Lĩnh vực: {filters.field}" if filters.field else "")


def key_figures(page: str, con, filters: Filters, ctx: FilterContext) -> html.Div:
    """Counts of the period table and the indicator cards against their targets (ids <page>-<count>-value,
    <page>-card-<indicator>-value …)."""
    card = compute_scorecard(con, filters.period, filters.unit, filters.field, CARD_INDICATORS,
                             data_start=ctx.data_start)
    counts = card["counts"]
    received_note = (f"trực tuyến {vn_int(counts['received_online'])} · "
                     f"trực tiếp {vn_int(counts['received_direct'])} · bưu chính {vn_int(counts['received_postal'])}")
    notes = {"received_new": received_note,
             "resolved": f"trả lại / rút: {vn_int(counts['returned'])}",
             "pending_within": f"kỳ trước chuyển qua: {vn_int(counts['carried_over'])}"}
    # The late counts open the list of those dossiers, with the same period, unit and sector.
    late_links = {key: f"/ho-so-tre-han{filters.search(loai=kind)}"
                  for key, kind in (("resolved_late", "da_giai_quyet"), ("pending_overdue", "dang_qua_han"))
                  if counts[key]}
    return html.Section([
        html.H2("Số liệu chính"),
        html.Div([count_card(dom_id(page, key), label, counts[key], notes.get(key), late_links.get(key))
                  for key, label in KEY_COUNTS],
                 id=f"{page}-counts", className="card-grid card-grid--counts"),
        html.H2("Chỉ tiêu so với kế hoạch"),
        card_grid([indicator_card(f"{page}-card", item) for item in card["indicators"]], f"{page}-cards"),
    ])


def trends(page: str, con, filters: Filters, ctx: FilterContext, indicator_ids: list[str] | None = None) -> html.Section:
    """Month-by-month charts of the indicators with their target lines, and dossiers received by channel."""
    window = trend_window(filters.period, ctx.data_start)
    months = compute_monthly_trend(con, window, filters.unit, filters.field)
    stem = filters.file_stem(f"{page}_xu_huong")
    if not months:
        return html.Section([html.H2("Xu hướng theo tháng"), html.P("Không có hồ sơ trong các tháng này.")])
    charts = [html.Div(graph(f"{page}-trend-{i.replace('_', '-')}",
                             trend_line(months, i, _NAMES[i].name_vi, _NAMES[i].unit, _NAMES[i].decimals,
                                        title=_NAMES[i].name_vi, height=260, compact=True), f"{stem}_{i}"), className="chart-cell")
              for i in (indicator_ids or CARD_INDICATORS)]
    received = stacked_months(months, [("received_online", "Trực tuyến"), ("received_direct", "Trực tiếp"),
                                       ("received_postal", "Bưu chính công ích")],
                              title=f"Hồ sơ mới tiếp nhận theo hình thức nộp – {scope_title(filters, ctx)}, "
                                    f"tháng {window.start:%m/%Y}–{window.end:%m/%Y}")
    return html.Section([
        html.H2("Xu hướng theo tháng"),
        html.P(f"Từ tháng {window.start:%m/%Y} đến tháng {window.end:%m/%Y}; mỗi tháng tính như một kỳ báo cáo riêng. "
               "Đường gạch đỏ là chỉ tiêu kế hoạch.", className="hint"),
        graph(f"{page}-trend-received", received, f"{stem}_tiep_nhan"),
        html.Div(charts, className="chart-grid"),
    ])


def period_table_title(filters: Filters, ctx: FilterContext) -> str:
    return f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH – {scope_title(filters, ctx).upper()}"


def structure_periods(con, period: Period) -> list[Period]:
    """The period cut where the structure of units changes (01/07/2025): one period for most, two for 2025 in the
    new Ho Chi Minh City. Figures by unit are shown per part, side by side, never mixed."""
    parts = structure_parts(con, period.start, period.end)
    return [Period(p.start, p.end) for p in parts]


def part_suffix(index: int, count: int) -> str:
    """Ids of the last (current) structure keep the page's plain ids; earlier parts get -p1, -p2…"""
    return "" if index == count - 1 else f"-p{index + 1}"


def groupings_of(con, period: Period, groupings: dict[str, str]) -> dict[str, str]:
    """The groupings a period has: a level grouping (Quận, huyện) only where the period has units of that level."""
    levels = {lv for p in structure_parts(con, period.start, period.end) for lv in p.levels}
    return {k: v for k, v in groupings.items() if k not in LEVEL_GROUPINGS or k in levels}


def _table_block(page: str, con, filters: Filters, ctx: FilterContext, by: str, groupings: dict[str, str],
                 period: Period, suffix: str) -> list:
    if by in LEVEL_GROUPINGS and by not in groupings_of(con, period, {by: by}):
        return [html.P(f"Cơ cấu này không có đơn vị {level_name(by).lower()}: hãy chọn cách nhóm khác.",
                       className="hint", id=f"{page}-table{suffix}-none")]
    table = compute_period_table(con, period, by=by, unit=filters.unit, field=filters.field)
    return [download_button(f"{page}{suffix}-download-button", f"{page}{suffix}-download"),
            data_table(f"{page}-table{suffix}", period_table_rows(table), period_table_columns(groupings.get(by, "Đơn vị")),
                       total=table["total"], page_size=200)]


def period_table_section(page: str, con, filters: Filters, ctx: FilterContext, by: str,
                         groupings: dict[str, str] | None = None) -> html.Section:
    """The statutory table grouped as chosen (a radio whose value goes into the URL as nhom=…), with a total
    row and an xlsx download in the statutory form. Ids: <page>-table, <page>-nhom, <page>-download(-button).
    Only the groupings the period has are offered; a period spanning a reorganization has one table per structure
    (the earlier ones with ids <page>-table-p1 …, <page>-p1-download-button)."""
    groupings = groupings_of(con, filters.period, groupings or TABLE_GROUPINGS)
    by = by if by in groupings else next(iter(groupings))
    controls = []
    if len(groupings) > 1:
        controls.append(html.Label(["Nhóm theo: ", dcc.RadioItems(
            id=f"{page}-nhom", options=[{"label": v, "value": k} for k, v in groupings.items()], value=by,
            inline=True, className="radio-inline")], className="table-controls"))
    parts = structure_periods(con, filters.period)
    body = [html.H2("Bảng tình hình, kết quả giải quyết TTHC"),
            html.P(f"{scope_title(filters, ctx)} · {filters.label()}", className="hint"), *controls]
    if len(parts) == 1:
        body += _table_block(page, con, filters, ctx, by, groupings, filters.period, "")
    for i, part in enumerate(parts if len(parts) > 1 else []):
        suffix = part_suffix(i, len(parts))
        body += [html.H3(f"Cơ cấu đơn vị {part_label(part)}", id=f"{page}-table{suffix}-heading"),
                 *_table_block(page, con, filters, ctx, by, groupings, part, suffix)]
    return html.Section(body)


def part_label(period: Period) -> str:
    return f"từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}"


def ranking_rows(con, filters: Filters, ind_id: str, level: str, period: Period | None = None) -> dict:
    """compute_ranking of the level's units within the scope (in `period`, one structure part; the filters' period
    by default), each row with its verdict (status) and target (target_text) in words; a unit that existed for part
    of the period only carries it in its name ("Sở Kế hoạch và Đầu tư (đến 28/02/2025)")."""
    ind = INDICATOR_BY_ID[ind_id]
    ranking = compute_ranking(con, ind_id, period or filters.period, level, within=filters.unit, field=filters.field)
    for r in ranking["rows"]:
        if r.get("validity"):
            r["name"] = f"{r['name']} {r['validity']}"
        r["status"] = status_text(r["is_met"])[0] if r["value"] is not None else "Không có số liệu"
        r["target_text"] = vn_target(r["comparator"], r["target"], ind.unit, ind.decimals)
        r["rank_note"] = rank_note(r["rank"], r["tied"], r["too_small"])
    return ranking


def city_comparison(page: str, con, filters: Filters, ctx: FilterContext) -> html.Section | None:
    """What a unit account sees of the city (operations.md: its subtree, the city-wide totals and its own rank):
    the city's totals beside its own, and its own rank among the units of its level — no peer's figure or name.
    None for a viewer who sees every unit (the city is already theirs). Ids <page>-city-…, <page>-own-rank."""
    own = ctx.root_unit
    unit = next((u for u in ctx.units if u.code == own), None)
    if unit is None:
        return None
    city = compute_scorecard(con, filters.period, None, filters.field, CARD_INDICATORS, data_start=ctx.data_start)
    mine = {c["id"]: c for c in compute_scorecard(con, filters.period, own, filters.field, CARD_INDICATORS,
                                                  data_start=ctx.data_start)["indicators"]}
    rows = [{"name": c["name_vi"], "city": vn_value(c["value"], c["unit"], c["decimals"]),
             "own": vn_value(mine[c["id"]]["value"], c["unit"], c["decimals"])}
            for c in city["indicators"]]
    counts = city["counts"]
    # The rank over the current structure's part of the period (a period spanning a reorganization ranks per part).
    part = structure_periods(con, filters.period)[-1]
    ranking = compute_ranking(con, RANK_INDICATOR, part, unit.level, field=filters.field)
    ranked = [r for r in ranking["rows"] if r["rank"] is not None]
    placed = next((r for r in ranked if r["code"] == own), None)
    level = level_name(unit.level).lower()
    rank_text = (f"{unit.name} xếp thứ {vn_int(placed['rank'])}/{vn_int(len(ranked))} đơn vị {level} toàn thành phố "
                 f"về {INDICATOR_BY_ID[RANK_INDICATOR].name_vi.lower()}." if placed
                 else _unranked_text(unit.name, own, ranking))
    return html.Section([
        html.H2("So với toàn thành phố"),
        html.P(rank_text, id=f"{page}-own-rank"),
        html.P(f"Toàn thành phố: {vn_int(counts['received_new'])} hồ sơ mới tiếp nhận, {vn_int(counts['resolved'])} "
               f"hồ sơ đã giải quyết, {vn_int(counts['resolved_late'])} giải quyết quá hạn.", id=f"{page}-city-counts"),
        data_table(f"{page}-city-table", rows, [Column("name", "Chỉ tiêu"), Column("city", "Toàn thành phố"),
                                                Column("own", unit.name)], page_size=20),
    ], id=f"{page}-city")


def _unranked_text(name: str, code: str, ranking: dict) -> str:
    """Why a unit has no rank: too few dossiers resolved (its number said), or none (probe 41: a district with 13
    resolved read «không có hồ sơ giải quyết trong kỳ»)."""
    row = next((r for r in ranking["rows"] if r["code"] == code), None)
    if row is not None and row.get("too_small") and row.get("volume"):
        return f"{name} {too_few_to_rank(row['volume'])} nên không được xếp hạng."
    return f"{name} không có hồ sơ giải quyết trong kỳ nên không được xếp hạng."


def rank_notes(rows: list[dict]) -> list[str]:
    """What a reader must know to read the ranks: which units share a rank, and which were too small to rank."""
    notes = []
    tied: dict[int, list[str]] = {}
    for r in rows:
        if r["rank"] is not None and r["tied"] > 1:
            tied.setdefault(r["rank"], []).append(r["name"])
    for rank, names in tied.items():
        shown = ", ".join(names[:4]) + (f" và {len(names) - 4} đơn vị khác" if len(names) > 4 else "")
        notes.append(f"Đồng hạng {rank} ({len(names)} đơn vị cùng giá trị): {shown}.")
    small = [r for r in rows if r["too_small"]]
    if small:
        notes.append(f"{len(small)} đơn vị có dưới {MIN_DOSSIERS} hồ sơ được liệt kê sau cùng, không xếp hạng "
                     "(tỷ lệ trên vài chục hồ sơ dao động mạnh).")
    unreported = [r for r in rows if r.get("no_data")]
    if unreported:   # not among the units with no dossiers: they have some, their exports lack the column
        notes.append(f"{len(unreported)} đơn vị chưa có dữ liệu: tệp xuất hồ sơ của đơn vị không có cột này.")
    return notes
