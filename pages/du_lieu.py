"""Dữ liệu page: the upload (for the roles that may load), import history, rejected rows and unmatched unit names
(the freshness is in the app header)."""
from dataclasses import dataclass
from typing import Callable

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from accounts import current_viewer
from accounts.roles import may_open, page_for_path
from common.formats import vn_date, vn_event_time, vn_int
from indicators import store
from indicators.data_status import data_freshness, import_history, rejected_count, rejected_rows, unmatched_units
from pages._components.downloads import Sheet
from pages._components.memo import memo_by_database
from pages._components.notices import no_data_notice
from pages._components.server_table import sort_rows, sort_spec
from pages._components.tables import Column, busy_while_building, data_table, download_button, xlsx_bytes
from pages._components.upload import upload_section

# Last in the navigation: the figures first, where they come from after (order 0–6, see app.py).
dash.register_page(__name__, path="/du-lieu", name="Dữ liệu", title="Dữ liệu – CCHC", order=6)

PAGE = "du-lieu"
SCREEN_REJECTS = 1000   # rejected rows sent to the browser; the download has them all
CELL_LIMIT = 240        # characters of a text cell on screen (4 lines): an original-values cell can hold 600 and more

HISTORY_COLUMNS = [Column("file_name", "Tệp"), Column("kind_name", "Loại"),
                   Column("snapshot_date", "Ngày chụp số liệu", "date"), Column("rows_read", "Dòng đọc", "int"),
                   Column("rows_loaded", "Thêm mới", "int"), Column("rows_updated", "Cập nhật", "int"),
                   Column("rows_unchanged", "Không đổi", "int"), Column("rows_rejected", "Bị loại", "int"),
                   Column("imported_at", "Thời điểm nạp", "datetime"), Column("loaded_by", "Người nạp")]
REJECT_COLUMNS = [Column("file_name", "Tệp"), Column("sheet", "Trang"), Column("row_number", "Dòng", "int"),
                  Column("reason", "Lý do"), Column("original_values", "Giá trị gốc"),
                  Column("reloaded", "Đã nạp lại")]
UNMATCHED_COLUMNS = [Column("unit_text", "Tên đơn vị trong tệp"), Column("first_file", "Tệp đầu tiên"),
                     Column("dossier_count", "Số hồ sơ", "int")]


@dataclass(frozen=True)
class _Table:
    name: str                                   # ids du-lieu-<name>, du-lieu-<name>-download(-button)
    heading: str
    columns: list[Column]
    fetch: Callable[..., list[dict]]            # fetch(con, whole): whole=False is what the screen shows
    title: str
    sheet: str
    stem: str


TABLES = {t.name: t for t in [
    _Table("history", "Lịch sử nạp dữ liệu", HISTORY_COLUMNS, lambda con, whole: import_history(con),
           "LỊCH SỬ NẠP DỮ LIỆU", "Lịch sử nạp", "lich_su_nap_du_lieu"),
    _Table("rejects", "Dòng bị loại", REJECT_COLUMNS,
           lambda con, whole: rejected_rows(con, None if whole else SCREEN_REJECTS),
           "CÁC DÒNG BỊ LOẠI KHI NẠP DỮ LIỆU", "Dòng bị loại", "dong_bi_loai"),
    _Table("unmatched", "Tên đơn vị chưa khớp danh mục", UNMATCHED_COLUMNS, lambda con, whole: unmatched_units(con),
           "TÊN ĐƠN VỊ CHƯA KHỚP DANH MỤC ĐƠN VỊ", "Đơn vị chưa khớp", "don_vi_chua_khop"),
]}


def _shown_dates(rows: list[dict], columns: list[Column]) -> list[dict]:
    """Dates and times as users write them (the table and the workbook show them as text: neither formats dates)."""
    out = []
    for r in rows:
        row = dict(r)
        for c in columns:
            if c.kind == "date":
                row[c.id] = vn_date(r.get(c.id))
            elif c.kind == "datetime":   # when a file was loaded: the server's clock, shown on Vietnam's
                row[c.id] = vn_event_time(r.get(c.id))
        out.append(row)
    return out


def _screen(rows: list[dict], columns: list[Column]) -> tuple[list[dict], list[dict]]:
    """The table's data and tooltip_data: numbers stay numbers (the table formats and sorts them), a text longer
    than CELL_LIMIT is cut and shown whole in its tooltip."""
    data, tips = [], []
    for row in _shown_dates(rows, columns):
        tip = {}
        for c in columns:
            value = row.get(c.id)
            if c.kind == "text" and isinstance(value, str) and len(value) > CELL_LIMIT:
                tip[c.id] = {"value": value, "type": "text"}
                row[c.id] = value[:CELL_LIMIT].rstrip() + " …"
        data.append(row)
        tips.append(tip)
    return data, tips


@memo_by_database(maxsize=16)
def _screen_rows(name: str) -> list[dict]:
    con = store.current().connection()
    return [] if con is None else TABLES[name].fetch(con, False)


def _sorted(rows: list[dict], sort_by) -> list[dict]:
    # The rows' raw values decide the order: 31/12/2022 after 01/02/2023 as text, 9 after 10.
    if not sort_by:
        return rows
    column, descending = sort_spec(sort_by, ("", False))
    return sort_rows(rows, column, descending)


def _table_section(table: _Table, hint: str, label: str) -> html.Section:
    data, tips = _screen(_screen_rows(table.name), table.columns)
    dt = data_table(f"{PAGE}-{table.name}", data, table.columns, tooltip_data=tips, tooltip_duration=None,
                    tooltip_delay=200)
    # Sorted by the server on the raw values (dates are text on screen); pages stay in the browser.
    dt.sort_action, dt.sort_mode, dt.sort_by = "custom", "single", []
    return html.Section([html.H2(table.heading), html.P(hint, className="hint"),
                         download_button(f"{PAGE}-{table.name}-download-button", f"{PAGE}-{table.name}-download",
                                         label),
                         dt], className="data-section", id=f"{PAGE}-{table.name}-section")


def _rejects_hint(con) -> str:
    count = rejected_count(con)
    if count == 0:
        return "Chưa có dòng nào bị loại khi nạp dữ liệu."
    shown = (f"Bảng hiển thị {vn_int(SCREEN_REJECTS)} dòng đầu trong số {vn_int(count)} dòng bị loại; tệp Excel "
             "có đủ các dòng. " if count > SCREEN_REJECTS else f"{vn_int(count)} dòng bị loại khi nạp. ")
    return shown + ("Giá trị gốc là các ô có dữ liệu của dòng trong tệp nguồn; ô quá dài được rút gọn (…), di chuột "
                    "lên ô để xem đủ.")


def layout(**_):
    """The upload depends on who asks (not kept); the tables are the same for everyone and kept per database. The
    page itself refuses a unit account, as the guard does (accounts/guard.py): its rejected rows and history are
    every unit's (probe 21: a router callback whose pathname came under another property name drew it)."""
    viewer = current_viewer()
    if viewer is not None and not may_open(viewer, page_for_path("/du-lieu")):
        return html.P("Tài khoản của bạn không xem được trang Dữ liệu (dòng bị loại và lịch sử nạp là của mọi đơn "
                      "vị).", className="notice", id=f"{PAGE}-page")
    upload = upload_section()
    return html.Div([upload, _data_sections()] if upload else [_data_sections()], id=f"{PAGE}-page")


@memo_by_database()
def _data_sections():
    con = store.current().connection()
    if con is None:
        return no_data_notice(store.current().db_path)
    unmatched = len(_screen_rows("unmatched"))
    return html.Div([
        _table_section(TABLES["history"], "Mỗi lần nạp một tệp, mới nhất trước. Bấm vào tiêu đề cột để sắp xếp.",
                       "Tải lịch sử nạp (.xlsx)"),
        _table_section(TABLES["rejects"], _rejects_hint(con), "Tải các dòng bị loại (.xlsx)"),
        _table_section(TABLES["unmatched"],
                       f"{vn_int(unmatched)} tên đơn vị trong tệp hồ sơ không có trong danh mục đơn vị: hồ sơ của "
                       "các đơn vị này chưa được tính vào số liệu của đơn vị nào." if unmatched else
                       "Mọi tên đơn vị trong các tệp hồ sơ đều khớp danh mục đơn vị.",
                       "Tải danh sách đơn vị chưa khớp (.xlsx)"),
    ], id=f"{PAGE}-tables")


def _sheet(table: _Table, sort_by) -> Sheet | None:
    """The whole table (every rejected row, not only those on screen) in the order on screen."""
    con = store.current().connection()
    if con is None:
        return None
    rows = _shown_dates(_sorted(table.fetch(con, True), sort_by), table.columns)
    fresh = data_freshness(con)
    subtitle = f"{vn_int(len(rows))} dòng" + (f" · số liệu đến ngày {vn_date(fresh)}" if fresh else "")
    return Sheet(rows, table.columns, table.title, table.sheet, table.stem, subtitle)


def _register(table: _Table) -> None:
    table_id = f"{PAGE}-{table.name}"

    @callback(Output(table_id, "data"), Output(table_id, "tooltip_data"), Input(table_id, "sort_by"),
              prevent_initial_call=True)
    def _sort(sort_by):
        return _screen(_sorted(_screen_rows(table.name), sort_by), table.columns)

    @callback(Output(f"{table_id}-download", "data"), Input(f"{table_id}-download-button", "n_clicks"),
              State(table_id, "sort_by"), prevent_initial_call=True,
              running=busy_while_building(f"{table_id}-download-button"))
    def _download(n_clicks, sort_by):
        sheet = _sheet(table, sort_by) if n_clicks else None
        if sheet is None:
            return no_update
        # Not register_download: its file name carries the period and scope of a figure page's filters, and
        # these tables are the whole database, so the name is fixed (dong_bi_loai.xlsx).
        data = xlsx_bytes(sheet.rows, sheet.columns, sheet.title, sheet.subtitle, sheet=sheet.sheet)
        return dcc.send_bytes(data, f"{sheet.stem}.xlsx")


for _table in TABLES.values():
    _register(_table)
