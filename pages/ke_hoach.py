"""Kế hoạch CCHC page: how far each unit's yearly reform plan is at a cut-off date — "đã hoàn thành 10/47 nhiệm
vụ, 37 nhiệm vụ đang thực hiện" per unit, a bar per unit, the overdue tasks, the change since the previous report,
and the deadlines and report lines the loader could not read or place."""
from __future__ import annotations

import io
from datetime import date

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from common.formats import vn_date, vn_int, vn_percent
from exports.tasks import write_tasks_xlsx
from indicators import store
from indicators.tasks import (BUCKET_NAMES, UNMATCHED_REASONS, compute_tasks, default_cutoff,
                              plan_owners, plan_years, report_dates)
from pages._components.cards import card_grid, count_card
from pages._components.charts import graph
from pages._components.filters import updated_search
from pages._components.group_charts import task_bars
from pages._components.memo import memo_by_database
from pages._components.page_frame import database_layout
from pages._components.tables import Column, busy_while_building, data_table, download_button, xlsx_bytes
from pages._components.viewer_scope import outside_scope_notice, viewer_scope, visible_codes

dash.register_page(__name__, path="/ke-hoach", name="Kế hoạch CCHC", title="Kế hoạch CCHC – CCHC", order=5.6)

PAGE = "ke-hoach"
# URL values (ASCII, as the shared filters') → compute_tasks' groupings.
BY_VALUES = {"don_vi": "unit", "chu_tri": "lead", "linh_vuc": "area"}
BY_LABELS = {"don_vi": "Đơn vị ban hành kế hoạch", "chu_tri": "Cơ quan chủ trì", "linh_vuc": "Lĩnh vực cải cách"}
BAR_BUCKETS = {k: BUCKET_NAMES[k] for k in ("done_on_time", "done_late", "under_way", "recurring", "overdue")}
OVERDUE_COLUMNS = [Column("unit", "Đơn vị ban hành"), Column("code", "Mã / STT"), Column("task", "Nhiệm vụ"),
                   Column("lead_unit", "Cơ quan chủ trì"), Column("deadline_text", "Thời hạn ghi trong kế hoạch"),
                   Column("deadline_shown", "Hạn hoàn thành"), Column("days_overdue", "Số ngày quá hạn", "int")]
PROGRESS_COLUMNS = [Column("name", "Tên"), Column("tasks", "Nhiệm vụ", "int"), Column("done", "Đã hoàn thành", "int"),
                    Column("done_on_time", "Đúng hạn", "int"), Column("done_late", "Trễ hạn", "int"),
                    Column("under_way", "Đang thực hiện, còn hạn", "int"), Column("overdue", "Quá hạn", "int"),
                    Column("recurring", "Thường xuyên", "int"), Column("done_rate", "Tỷ lệ hoàn thành", "percent"),
                    Column("targets", "Chỉ tiêu", "int"), Column("targets_done", "Chỉ tiêu đã hoàn thành", "int")]
CHANGE_COLUMNS = [Column("name", "Tên"), Column("previous_shown", "Báo cáo trước"),
                  Column("done_previous", "Hoàn thành khi đó", "int"), Column("report_shown", "Báo cáo mới nhất"),
                  Column("done", "Hoàn thành nay", "int"), Column("done_more", "Hoàn thành thêm", "int"),
                  Column("overdue_previous", "Quá hạn khi đó", "int"), Column("overdue", "Quá hạn nay", "int")]
CHANGED_TASK_COLUMNS = [Column("unit", "Đơn vị ban hành"), Column("code", "Mã / STT"), Column("task", "Nhiệm vụ"),
                        Column("previous_name", "Báo cáo trước"), Column("now_name", "Nay")]
UNREADABLE_COLUMNS = [Column("unit", "Đơn vị ban hành"), Column("code", "Mã / STT"), Column("task", "Nhiệm vụ"),
                      Column("deadline_text", "Thời hạn ghi trong kế hoạch"), Column("file_name", "Tệp"),
                      Column("row_number", "Dòng", "int")]
UNMATCHED_COLUMNS = [Column("unit", "Đơn vị báo cáo"), Column("report_shown", "Ngày báo cáo"),
                     Column("file", "Tệp"), Column("sheet", "Trang"), Column("row", "Dòng", "int"),
                     Column("code", "Mã / STT"), Column("task", "Nội dung"), Column("status_text", "Tình trạng"),
                     Column("reason_name", "Lý do")]


def _choice(query: dict, key: str):
    value = query.get(key)
    return value[0] if isinstance(value, (list, tuple)) and value else value


def _view(con, query: dict) -> dict | None:
    """The page's choices from the URL (nam, ngay, theo, don_vi), each falling back to its default; None without
    any plan."""
    years = plan_years(con)
    if not years:
        return None
    year = _choice(query, "nam")
    year = int(year) if str(year or "").isdigit() and int(year) in years else years[0]
    try:
        as_of = date.fromisoformat(_choice(query, "ngay") or "")
    except ValueError:
        as_of = default_cutoff(con, year)
    theo = _choice(query, "theo") if _choice(query, "theo") in BY_VALUES else "don_vi"
    owners = plan_owners(con, year)
    visible = visible_codes(con)
    if visible is not None and not visible:   # a unit account whose unit the catalogue does not hold: nothing
        return None
    if visible is not None:   # a unit account: the plans of its own subtree, its own unit's when it asks for another
        owners = [(c, n) for c, n in owners if c in visible]
    allowed = {c for c, _ in owners}
    unit = _choice(query, "don_vi") if _choice(query, "don_vi") in allowed else viewer_scope().root
    return {"year": year, "years": years, "as_of": as_of, "theo": theo, "unit": unit, "owners": owners,
            "reports": report_dates(con, year)}


@memo_by_database(skip_first_arg=True)
def _result(con, year: int, as_of: date, by: str, unit: str | None) -> dict:
    return compute_tasks(con, as_of, year, by=by, unit=unit)


def _controls(view: dict, query: dict) -> html.Div:
    links = [dcc.Link(vn_date(d), href=f"/ke-hoach{updated_search('', **_params(view, ngay=d.isoformat()))}",
                      id=f"{PAGE}-report-{d.isoformat()}", className="report-link") for d in view["reports"]]
    spaced = [x for link in links for x in (link, " · ")][:-1]
    initial = [view["year"], view["as_of"].isoformat(), view["theo"], view["unit"]]
    return html.Div([
        dcc.Store(id=f"{PAGE}-query", data=query), dcc.Store(id=f"{PAGE}-initial", data=initial),
        html.Div([
            html.Label([html.Span("Năm kế hoạch", className="filter-label"),
                        dcc.Dropdown(id=f"{PAGE}-nam", options=[{"label": str(y), "value": y} for y in view["years"]],
                                     value=view["year"], clearable=False, searchable=False)], className="filter-item"),
            html.Label([html.Span("Tính đến ngày", className="filter-label"),
                        dcc.DatePickerSingle(id=f"{PAGE}-ngay", date=view["as_of"].isoformat(),
                                             display_format="DD/MM/YYYY", month_format="'Tháng' M/YYYY",
                                             first_day_of_week=1)], className="filter-item"),
            html.Label([html.Span("Xem theo", className="filter-label"),
                        dcc.RadioItems(id=f"{PAGE}-theo", options=[{"label": v, "value": k}
                                                                    for k, v in BY_LABELS.items()],
                                       value=view["theo"], inline=True, className="radio-inline")],
                       className="filter-item"),
            html.Label([html.Span("Đơn vị", className="filter-label"),
                        dcc.Dropdown(id=f"{PAGE}-don-vi", options=[{"label": n, "value": c} for c, n in view["owners"]],
                                     value=view["unit"], placeholder="Toàn thành phố (mọi kế hoạch)")],
                       className="filter-item"),
        ], className="filter-row"),
        html.P(["Báo cáo tiến độ đã nạp: ", *spaced] if links else
               "Chưa nạp báo cáo tiến độ nào cho kế hoạch năm này: mọi nhiệm vụ tính là chưa hoàn thành.",
               className="hint", id=f"{PAGE}-reports"),
    ], className="filter-bar", id=f"{PAGE}-controls")


def _params(view: dict, **changes) -> dict:
    params = {"nam": view["year"], "ngay": view["as_of"].isoformat(), "theo": None if view["theo"] == "don_vi"
              else view["theo"], "don_vi": view["unit"]}
    return {**params, **changes}


def _cards(result: dict) -> html.Section:
    t = result["total"]
    cards = [count_card(f"{PAGE}-tasks", "Nhiệm vụ", t["tasks"], f"chỉ tiêu tính riêng: {vn_int(t['targets'])}"),
             count_card(f"{PAGE}-done", "Đã hoàn thành", t["done"],
                        f"đúng hạn {vn_int(t['done_on_time'])} · trễ hạn {vn_int(t['done_late'])} · "
                        f"{vn_percent(t['done_rate'])}"),
             count_card(f"{PAGE}-under-way", "Đang thực hiện, còn hạn", t["under_way"],
                        f"gồm {vn_int(t['unreadable_deadlines'])} nhiệm vụ, chỉ tiêu có thời hạn không đọc được"
                        if t["unreadable_deadlines"] else None),
             count_card(f"{PAGE}-overdue", "Quá hạn, chưa hoàn thành", t["overdue"]),
             count_card(f"{PAGE}-recurring", "Thường xuyên", t["recurring"], "không tính quá hạn"),
             count_card(f"{PAGE}-targets", "Chỉ tiêu đã hoàn thành", t["targets_done"],
                        f"trên {vn_int(t['targets'])} chỉ tiêu")]
    return html.Section([
        html.H2(f"{t['name']}: {t['sentence']}", id=f"{PAGE}-total-sentence"),
        html.P(f"Tính đến ngày {vn_date(date.fromisoformat(result['as_of']))}: mỗi nhiệm vụ lấy tình trạng ở báo cáo "
               "tiến độ mới nhất không muộn hơn ngày này; nhiệm vụ chưa hoàn thành quá thời hạn là quá hạn, nhiệm vụ "
               "thường xuyên không bao giờ quá hạn.", className="hint"),
        card_grid(cards, f"{PAGE}-cards")], id=f"{PAGE}-summary")


def _sentence_id(key) -> str:
    return f"{PAGE}-sentence-" + "".join(ch if ch.isalnum() else "-" for ch in str(key or "khac"))


def _progress(result: dict, view: dict) -> html.Section:
    rows = result["rows"]
    title = BY_LABELS[view["theo"]]
    items = [html.Li([html.Strong(r["name"]), ": ", r["sentence"]], id=_sentence_id(r["key"])) for r in rows]
    body = [html.H2(f"Tiến độ theo {title.lower()}"),
            html.Ul(items, className="task-sentences", id=f"{PAGE}-sentences")]
    if rows:
        fig = task_bars(rows, BAR_BUCKETS, title=f"Nhiệm vụ theo tình trạng, tính đến ngày "
                                                  f"{vn_date(view['as_of'])}")
        body.append(graph(f"{PAGE}-bars", fig, f"ke_hoach_cchc_{view['year']}_{view['as_of']:%Y%m%d}"))
    body += [download_button(f"{PAGE}-download-button", f"{PAGE}-download",
                             "Tải bảng tiến độ và các danh sách (.xlsx)"),
             data_table(f"{PAGE}-table", rows, [Column("name", title), *PROGRESS_COLUMNS[1:]], total=result["total"])]
    return html.Section(body, id=f"{PAGE}-progress")


def _overdue(result: dict) -> html.Section:
    rows = _overdue_rows(result)
    hint = (f"{vn_int(len(rows))} nhiệm vụ, chỉ tiêu chưa hoàn thành đã quá thời hạn, quá hạn lâu nhất trước."
            if rows else "Không có nhiệm vụ nào quá hạn.")
    return html.Section([html.H2("Nhiệm vụ quá hạn"), html.P(hint, className="hint", id=f"{PAGE}-overdue-count"),
                         download_button(f"{PAGE}-overdue-download-button", f"{PAGE}-overdue-download",
                                         "Tải danh sách quá hạn (.xlsx)"),
                         data_table(f"{PAGE}-overdue-table", rows, OVERDUE_COLUMNS)], id=f"{PAGE}-overdue-section")


def _changes(result: dict) -> html.Section:
    rows = [{**r, "previous_shown": vn_date(r["previous_report_date"]), "report_shown": vn_date(r["report_date"]),
             "done_more": r["done"] - r["done_previous"]} for r in result["rows"] if r["done_previous"] is not None]
    tasks = [{**c, "previous_name": BUCKET_NAMES[c["previous"]], "now_name": BUCKET_NAMES[c["now"]]}
             for c in result["changes"]]
    body = [html.H2("Thay đổi so với báo cáo trước"),
            html.P("Mỗi kế hoạch so với báo cáo tiến độ liền trước báo cáo mới nhất của chính nó.", className="hint")]
    if rows:
        body += [data_table(f"{PAGE}-change-table", rows, CHANGE_COLUMNS),
                 html.H3(f"{vn_int(len(tasks))} nhiệm vụ đổi tình trạng"),
                 data_table(f"{PAGE}-changes", tasks, CHANGED_TASK_COLUMNS)]
    else:
        body.append(html.P("Chưa có hai kỳ báo cáo tiến độ để so sánh.", className="hint", id=f"{PAGE}-no-change"))
    return html.Section(body, id=f"{PAGE}-change-section")


def _problems(result: dict) -> html.Section:
    unreadable = result["unreadable"]
    unmatched = [{**u, "report_shown": vn_date(u["report_date"]), "reason_name": UNMATCHED_REASONS[u["reason"]]}
                 for u in result["unmatched"]]
    return html.Section([
        html.H2("Cần kiểm tra lại"),
        html.H3(f"{vn_int(len(unreadable))} thời hạn không đọc được", id=f"{PAGE}-unreadable-title"),
        html.P("Nhiệm vụ vẫn được tính (là đang thực hiện khi chưa hoàn thành). Sửa thời hạn trong kế hoạch (ví dụ "
               "«Quý III», «Tháng 10/2022», «30/9/2022», «Thường xuyên») rồi nạp lại tệp.", className="hint"),
        data_table(f"{PAGE}-unreadable", unreadable, UNREADABLE_COLUMNS),
        html.H3(f"{vn_int(len(unmatched))} dòng báo cáo tiến độ không khớp nhiệm vụ nào", id=f"{PAGE}-unmatched-title"),
        html.P("Dòng vẫn được lưu; khi nạp kế hoạch còn thiếu hoặc sửa mã, số thứ tự, nội dung cho khớp kế hoạch, dòng "
               "tự gắn vào nhiệm vụ.", className="hint"),
        data_table(f"{PAGE}-unmatched", unmatched, UNMATCHED_COLUMNS),
    ], id=f"{PAGE}-problems")


def _no_plan() -> html.Div:
    return html.Div([html.H2("Chưa có kế hoạch CCHC nào"),
                     html.P("Nạp kế hoạch cải cách hành chính năm và các báo cáo tiến độ bằng lệnh:"),
                     html.Pre(".venv/bin/python -m etl import ke_hoach_cchc_2022.xlsx tien_do_30_6_2022.xlsx "
                              "--db data/cchc.duckdb")], className="notice", id=f"{PAGE}-no-plan")


@database_layout
def layout(con, query):
    view = _view(con, query)
    if view is None:
        return html.Div([_no_plan()], id=f"{PAGE}-page")
    result = _result(con, view["year"], view["as_of"], BY_VALUES[view["theo"]], view["unit"])
    return html.Div([
        *outside_scope_notice(con, query, view["unit"], PAGE),
        _controls(view, query),
        html.H2(f"Kế hoạch cải cách hành chính năm {view['year']} – tính đến ngày {vn_date(view['as_of'])}",
                id=f"{PAGE}-scope", className="scope-title"),
        _cards(result), _progress(result, view), _overdue(result), _changes(result), _problems(result),
    ], id=f"{PAGE}-page")


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-nam", "value"), Input(f"{PAGE}-ngay", "date"),
          Input(f"{PAGE}-theo", "value"), Input(f"{PAGE}-don-vi", "value"), State("url", "search"),
          State(f"{PAGE}-initial", "data"), prevent_initial_call=True)
def _choose(year, day, theo, unit, search, initial):
    if [year, (day or "")[:10], theo, unit] == initial:   # fired because the page was drawn, not by the user
        return no_update
    # Another year: its own default date (the newest report of that year), not the date chosen for this one.
    day = None if initial and year != initial[0] else (day or "")[:10] or None
    new = updated_search(search, nam=year, ngay=day, theo=None if theo == "don_vi" else theo, don_vi=unit)
    return no_update if new == (search or "") else new


def _overdue_rows(result: dict) -> list[dict]:
    return [{**r, "deadline_shown": vn_date(date.fromisoformat(r["deadline"]))} for r in result["overdue"]]


def _for_download(query: dict) -> tuple[dict, str] | None:
    """The figures the page shows for its stored query, and the file name's stem."""
    con = store.current().connection()
    view = _view(con, query or {}) if con is not None else None
    if view is None:
        return None
    result = _result(con, view["year"], view["as_of"], BY_VALUES[view["theo"]], view["unit"])
    return result, f"ke_hoach_cchc_{view['year']}_den_{view['as_of']:%Y%m%d}"


def _workbook(result: dict, stem: str) -> tuple[bytes, str]:
    buf = io.BytesIO()
    write_tasks_xlsx(result, buf, None)
    return buf.getvalue(), f"{stem}.xlsx"


def _overdue_workbook(result: dict, stem: str) -> tuple[bytes, str]:
    data = xlsx_bytes(_overdue_rows(result), OVERDUE_COLUMNS, "NHIỆM VỤ QUÁ HẠN, CHƯA HOÀN THÀNH",
                      f"Tính đến ngày {vn_date(date.fromisoformat(result['as_of']))}", sheet="Quá hạn")
    return data, f"{stem}_qua_han.xlsx"


def _register_download(download_id: str, make) -> None:
    """The callback of the button <download_id>-button: make(result, stem) gives the file's bytes and name."""
    @callback(Output(download_id, "data"), Input(f"{download_id}-button", "n_clicks"), State(f"{PAGE}-query", "data"),
              prevent_initial_call=True, running=busy_while_building(f"{download_id}-button"))
    def _download(n_clicks, query):
        made = _for_download(query) if n_clicks else None
        if made is None:
            return no_update
        data, file_name = make(*made)
        return dcc.send_bytes(data, file_name)


_register_download(f"{PAGE}-download", _workbook)
_register_download(f"{PAGE}-overdue-download", _overdue_workbook)
