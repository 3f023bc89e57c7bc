"""Lĩnh vực & thủ tục page: which sectors and procedures carry the late dossiers and the volume, with links to the list."""
import dash
from dash import Input, Output, State, callback, ctx as dash_ctx, dcc, html, no_update

from common.formats import vn_int, vn_value
from indicators import compute_period_table
from indicators.catalogue import procedure_fields
from pages._components.charts import graph
from pages._components.downloads import Sheet, register_download
from pages._components.filters import updated_search
from pages._components.group_charts import late_bars, volume_bars
from pages._components.page_frame import empty_period_notice, figure_layout, page_head, scope_has_dossiers, stored_view
from pages._components.sections import scope_title
from pages._components.server_table import cell_text, page_count, page_of, server_table, sort_rows, sort_spec
from pages._components.tables import Column, download_button

dash.register_page(__name__, path="/linh-vuc", name="Lĩnh vực & thủ tục", title="Lĩnh vực & thủ tục – CCHC", order=2)

PAGE = "linh-vuc"
PATH = "/linh-vuc"
LATE_PATH = "/ho-so-tre-han"
CHART_TOP = 20      # bars per chart; the tables list every sector and procedure
PAGE_SIZE = 25

# Screen columns; the two late counts are links to the late-dossier list (markdown), sorted by their number.
_COMMON = [Column("received_new", "Hồ sơ mới tiếp nhận", "int"), Column("resolved", "Đã giải quyết", "int"),
           Column("on_time_rate", "Tỷ lệ đúng hạn, trước hạn", "percent"),
           Column("resolved_late_link", "Giải quyết quá hạn", "markdown"),
           Column("pending_overdue_link", "Đang giải quyết quá hạn", "markdown"),
           Column("late_total", "Tổng hồ sơ trễ hạn", "int"), Column("late_rate", "Tỷ lệ trễ hạn", "percent"),
           Column("avg_days", "Thời gian giải quyết trung bình", "days", 1)]
SECTOR_COLUMNS = [Column("name", "Lĩnh vực")] + _COMMON
PROCEDURE_COLUMNS = [Column("procedure_code", "Mã TTHC"), Column("procedure_name", "Tên thủ tục hành chính"),
                     Column("field", "Lĩnh vực")] + _COMMON
LINK_SORT = {"resolved_late_link": "resolved_late", "pending_overdue_link": "pending_overdue"}
DEFAULT_SORT = ("late_total", True)


def _excel_columns(columns: list[Column]) -> list[Column]:
    """The same columns in the workbook, the link columns as plain numbers."""
    return [Column(LINK_SORT[c.id], c.name, "int") if c.id in LINK_SORT else c for c in columns]


def _with_late(row: dict) -> dict:
    return {**row, "late_total": row["resolved_late"] + row["pending_overdue"]}


def _sector_rows(con, filters) -> tuple[list[dict], dict]:
    # Every sector of the scope whatever sector is chosen: the chosen one is highlighted, not the only one.
    table = compute_period_table(con, filters.period, by="field", unit=filters.unit)
    return [_with_late(r) for r in table["rows"]], _with_late(table["total"])


def _procedure_rows(con, filters) -> list[dict]:
    table = compute_period_table(con, filters.period, by="procedure", unit=filters.unit, field=filters.field)
    fields = procedure_fields(con)
    return [_with_late({**r, "procedure_code": r["key"], "procedure_name": r["name"],
                        "field": filters.field or fields.get(r["key"])}) for r in table["rows"]]


def _graph(graph_id: str, fig, file_name: str):
    # The bar charts grow with their number of bars: the graph is given the figure's own height.
    return graph(graph_id, fig, file_name, height=int(fig["layout"]["height"]))


def _late_link(filters, count: int, kind: str, sector: str | None, procedure: str | None = None) -> str:
    if not count:
        return "0"
    href = LATE_PATH + filters.search(linh_vuc=sector, loai=kind, thu_tuc=procedure)
    return f"[{vn_int(count)}]({href})"


def _screen(rows: list[dict], columns: list[Column], filters, by_procedure: bool) -> list[dict]:
    out = []
    for r in rows:
        # A procedure's link keeps the chosen sector only: its catalogue sector may differ from the sector its
        # dossiers carry, and the procedure alone already picks exactly its dossiers.
        sector = filters.field if by_procedure else r.get("key")
        procedure = r.get("key") if by_procedure else None
        cells = {"id": str(r.get("key") or "")}
        for c in columns:
            if c.id == "resolved_late_link":
                cells[c.id] = _late_link(filters, r["resolved_late"], "da_giai_quyet", sector, procedure)
            elif c.id == "pending_overdue_link":
                cells[c.id] = _late_link(filters, r["pending_overdue"], "dang_qua_han", sector, procedure)
            else:
                cells[c.id] = cell_text(c, r.get(c.id))
        out.append(cells)
    return out


def _sorted_page(rows, sort_by, page: int) -> list[dict]:
    column, descending = sort_spec(sort_by, DEFAULT_SORT)
    return page_of(sort_rows(rows, LINK_SORT.get(column, column), descending), page, PAGE_SIZE)


def _charts(filters, rows: list[dict], stem: str) -> list:
    late = sorted((r for r in rows if r["late_total"]), key=lambda r: (-r["late_total"], -(r["late_rate"] or 0)))
    busy = sorted((r for r in rows if r["received_new"]), key=lambda r: -r["received_new"])
    hint = "Bấm vào một lĩnh vực (trên biểu đồ hoặc trong bảng) để xem các thủ tục của lĩnh vực đó."
    if late:
        more = len(late) - CHART_TOP
        note = (f"{CHART_TOP} lĩnh vực có nhiều hồ sơ trễ hạn nhất; {more} lĩnh vực khác có ít hơn (xem bảng). "
                if more > 0 else "")
        none = len(rows) - len(late)
        note += f"{none} lĩnh vực không có hồ sơ trễ hạn. " if none else ""
        late_part = [html.P(note + hint, className="hint"),
                     _graph(f"{PAGE}-late-chart", late_bars(late[:CHART_TOP], filters.field,
                                                            "Lĩnh vực theo số hồ sơ trễ hạn"), f"{stem}_tre_han")]
    else:
        late_part = [html.P("Không có hồ sơ trễ hạn nào trong kỳ: mọi lĩnh vực đều giải quyết đúng hạn.",
                            className="notice", id=f"{PAGE}-no-late")]
    volume_note = (f"{CHART_TOP} lĩnh vực có nhiều hồ sơ nhất trong số {len(busy)} lĩnh vực có hồ sơ mới tiếp nhận."
                   if len(busy) > CHART_TOP else "Mọi lĩnh vực có hồ sơ mới tiếp nhận trong kỳ.")
    volume_part = ([html.P(volume_note, className="hint"),
                    _graph(f"{PAGE}-volume-chart", volume_bars(busy[:CHART_TOP], filters.field,
                                                               "Hồ sơ mới tiếp nhận theo lĩnh vực và hình thức nộp"),
                           f"{stem}_khoi_luong")]
                   if busy else [html.P("Không có hồ sơ mới tiếp nhận trong kỳ.", className="hint")])
    return [html.Section([html.H2("Lĩnh vực có nhiều hồ sơ trễ hạn"), *late_part]),
            html.Section([html.H2("Khối lượng hồ sơ theo lĩnh vực"), *volume_part])]


def _selected_line(filters, rows: list[dict]) -> html.Div | None:
    if not filters.field:
        return None
    row = next((r for r in rows if r["key"] == filters.field), None)
    clear = dcc.Link("✕ Bỏ chọn lĩnh vực", href=PATH + filters.search(linh_vuc=None), id=f"{PAGE}-clear")
    if row is None:
        return html.P(["Lĩnh vực đang chọn: ", html.Strong(filters.field), " – không có hồ sơ trong kỳ. ", clear],
                      className="filter-chip selected-sector", id=f"{PAGE}-selected")
    late_href = LATE_PATH + filters.search()
    return html.P([
        "Lĩnh vực đang chọn: ", html.Strong(filters.field), " – ",
        dcc.Link([html.Strong(vn_int(row["late_total"]), id=f"{PAGE}-selected-late"), " hồ sơ trễ hạn"],
                 href=late_href, id=f"{PAGE}-selected-link"),
        " (", html.Span(vn_int(row["resolved_late"]), id=f"{PAGE}-selected-resolved-late"), " giải quyết quá hạn, ",
        html.Span(vn_int(row["pending_overdue"]), id=f"{PAGE}-selected-pending-overdue"), " đang quá hạn); ",
        f"tỷ lệ trễ hạn {vn_value(row['late_rate'])}; {vn_int(row['received_new'])} hồ sơ mới tiếp nhận. ", clear,
    ], className="filter-chip selected-sector", id=f"{PAGE}-selected")


@figure_layout
def layout(con, ctx, filters, query):
    scope = scope_title(filters, ctx)
    body = page_head(PAGE, query, filters, ctx, f"Lĩnh vực & thủ tục – {scope}")
    sectors, total = _sector_rows(con, filters)
    if not scope_has_dossiers(filters, ctx, total):
        return html.Div(body + [empty_period_notice(PAGE, filters, ctx, scope)], id=f"{PAGE}-page")
    stem = filters.file_stem("linh_vuc")
    procedures = _procedure_rows(con, filters)
    selected = _selected_line(filters, sectors)
    proc_title = "Thủ tục hành chính" + (f" – lĩnh vực {filters.field}" if filters.field else " – mọi lĩnh vực")
    body += [
        html.P(f"{filters.label()}. Hồ sơ trễ hạn = giải quyết quá hạn + đang giải quyết quá hạn tại ngày cuối kỳ; "
               "tỷ lệ trễ hạn = giải quyết quá hạn / đã giải quyết. Bấm vào một số hồ sơ trễ hạn để xem danh sách "
               "hồ sơ.", className="hint"),
        *([selected] if selected is not None else []),
        *_charts(filters, sectors, stem),
        html.Section([
            html.H2("Bảng theo lĩnh vực"),
            download_button(f"{PAGE}-sectors-download-button", f"{PAGE}-sectors-download"),
            server_table(f"{PAGE}-sectors", SECTOR_COLUMNS,
                         _screen(_sorted_page(sectors, None, 0), SECTOR_COLUMNS, filters, False), len(sectors),
                         PAGE_SIZE, sort_by=[{"column_id": "late_total", "direction": "desc"}],
                         link_columns=("name",), wide_columns=("name",)),
        ]),
        html.Section([
            html.H2(proc_title, id=f"{PAGE}-procedures-title"),
            html.P(f"{vn_int(len(procedures))} thủ tục có hồ sơ phải giải quyết trong kỳ.", className="hint"),
            download_button(f"{PAGE}-procedures-download-button", f"{PAGE}-procedures-download"),
            server_table(f"{PAGE}-procedures", PROCEDURE_COLUMNS,
                         _screen(_sorted_page(procedures, None, 0), PROCEDURE_COLUMNS, filters, True),
                         len(procedures), PAGE_SIZE, sort_by=[{"column_id": "late_total", "direction": "desc"}],
                         wide_columns=("procedure_name",))
            if procedures else html.P("Không có thủ tục nào có hồ sơ trong kỳ.", className="notice"),
        ]),
    ]
    return html.Div(body, id=f"{PAGE}-page")


def _first_page_on_sort(page_current) -> int:
    # A new sort order starts again from the first page.
    return 0 if "sort_by" in dash_ctx.triggered[0]["prop_id"] else (page_current or 0)


def _register_paging(table: str, rows_of, columns: list[Column], by_procedure: bool) -> None:
    """Paging and sorting of one server table: its rows rebuilt from the stored query, one page sent."""
    @callback(Output(f"{PAGE}-{table}", "data"), Output(f"{PAGE}-{table}", "page_count"),
              Output(f"{PAGE}-{table}", "page_current"), Input(f"{PAGE}-{table}", "page_current"),
              Input(f"{PAGE}-{table}", "sort_by"), State(f"{PAGE}-query", "data"), prevent_initial_call=True)
    def _turn_page(page_current, sort_by, query):
        con, _, filters = stored_view(query)
        if con is None:
            return no_update, no_update, no_update
        rows = rows_of(con, filters)
        page = _first_page_on_sort(page_current)
        return (_screen(_sorted_page(rows, sort_by, page), columns, filters, by_procedure),
                page_count(len(rows), PAGE_SIZE), page)


_register_paging("sectors", lambda con, filters: _sector_rows(con, filters)[0], SECTOR_COLUMNS, False)
_register_paging("procedures", _procedure_rows, PROCEDURE_COLUMNS, True)


def _clicked_sector(click) -> str | None:
    try:
        key = click["points"][0]["customdata"][-1]
    except (TypeError, KeyError, IndexError):
        return None
    return key if isinstance(key, str) and key else None


def _with_sector(search: str | None, sector: str | None):
    # A click on a sector puts it in the URL: the procedure table then holds that sector's procedures, and
    # the link can be sent as it is.
    if not sector:
        return no_update
    new = updated_search(search, linh_vuc=sector)
    return no_update if new == (search or "") else new


# One callback per clickable element: a chart is missing when nothing is late, and Dash refuses a callback
# that reads a component not on the page.
@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-late-chart", "clickData"),
          State("url", "search"), prevent_initial_call=True)
def _pick_sector_late(click, search):
    return _with_sector(search, _clicked_sector(click))


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-volume-chart", "clickData"),
          State("url", "search"), prevent_initial_call=True)
def _pick_sector_volume(click, search):
    return _with_sector(search, _clicked_sector(click))


@callback(Output("url", "search", allow_duplicate=True), Input(f"{PAGE}-sectors", "active_cell"),
          State("url", "search"), prevent_initial_call=True)
def _pick_sector_row(cell, search):
    return _with_sector(search, cell.get("row_id") if cell and cell.get("column_id") == "name" else None)


def _sheet(rows, columns, title: str, stem: str, sheet: str, total: dict | None = None) -> Sheet:
    return Sheet(sort_rows(rows, "late_total", True), _excel_columns(columns), title, sheet, stem, total=total)


def _sectors_sheet(con, ctx, filters, query) -> Sheet:
    rows, total = _sector_rows(con, filters)
    return _sheet(rows, SECTOR_COLUMNS, "TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO LĨNH VỰC", "linh_vuc", "Lĩnh vực",
                  total={**total, "name": "Tổng cộng"})


def _procedures_sheet(con, ctx, filters, query) -> Sheet:
    return _sheet(_procedure_rows(con, filters), PROCEDURE_COLUMNS, "TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THEO THỦ TỤC HÀNH CHÍNH",
                  "thu_tuc", "Thủ tục")


register_download(PAGE, "sectors", _sectors_sheet)
register_download(PAGE, "procedures", _procedures_sheet)
