"""Nhật ký page (admins only): logins, refusals, downloads and account changes from the accounts file, and loads."""
from datetime import datetime

import dash
from dash import html

from accounts import current_viewer
from accounts.store import ACTION_LABELS
from accounts.session import current_store
from indicators import store
from indicators.data_status import import_history
from common.formats import vn_event_time, vn_int
from pages._components.tables import Column, data_table

# Last in the navigation, shown to admins only (app.py); the accounts guard refuses it to every other role.
dash.register_page(__name__, path="/nhat-ky", name="Nhật ký", title="Nhật ký – CCHC", order=7)

PAGE = "nhat-ky"
SCREEN_EVENTS = 5000   # the newest events; older ones stay in the accounts file (table audit_log)

EVENT_COLUMNS = [Column("occurred_at", "Thời điểm"), Column("actor", "Tài khoản"), Column("action", "Việc"),
                 Column("detail", "Chi tiết"), Column("client", "Từ đâu")]
LOAD_COLUMNS = [Column("imported_at", "Thời điểm nạp"), Column("file_name", "Tệp"), Column("kind_name", "Loại"),
                Column("rows_read", "Dòng đọc", "int"), Column("rows_loaded", "Thêm mới", "int"),
                Column("rows_updated", "Cập nhật", "int"), Column("rows_rejected", "Bị loại", "int"),
                Column("loaded_by", "Người nạp")]
_FILTER = {"filter_action": "native", "filter_options": {"case": "insensitive"}}


def _event_rows() -> list[dict]:
    return [{**e, "occurred_at": vn_event_time(datetime.fromisoformat(e["occurred_at"])),
             "action": ACTION_LABELS.get(e["action"], e["action"]), "actor": e["actor"] or "–"}
            for e in current_store().audit_rows(SCREEN_EVENTS)]


def _load_rows() -> list[dict]:
    con = store.current().connection()
    if con is None:
        return []
    return [{**r, "imported_at": vn_event_time(r["imported_at"])} for r in import_history(con)]


def layout(**_):
    viewer = current_viewer()
    if viewer is None or not (viewer.is_admin or viewer.is_trial):
        return html.P("Chỉ tài khoản quản trị xem được nhật ký.", className="notice", id=f"{PAGE}-page")
    if viewer.is_trial:
        return html.Div([html.H2("Nhật ký truy cập"),
                         html.P("Chưa có tài khoản nào nên chưa ghi nhật ký. Nhật ký bắt đầu từ khi tạo tài khoản quản "
                                "trị đầu tiên: python app.py accounts add TÊN --role admin")],
                        className="notice", id=f"{PAGE}-page")
    events, loads = _event_rows(), _load_rows()
    return html.Div([
        html.Section([html.H2("Truy cập và tài khoản"),
                      html.P(f"{vn_int(len(events))} sự kiện gần nhất, mới nhất trước: đăng nhập (cả lần không thành "
                             "công, không bao giờ ghi mật khẩu), đăng xuất, truy cập bị từ chối, tải tệp, tạo, khóa, đổi "
                             "mật khẩu tài khoản. Gõ vào ô dưới tiêu đề cột để lọc.", className="hint"),
                      data_table(f"{PAGE}-events", events, EVENT_COLUMNS, **_FILTER)]),
        html.Section([html.H2("Nạp dữ liệu"),
                      html.P("Các lần nạp (lịch sử nạp trong tệp dữ liệu), mới nhất trước: tải tệp lên trang Dữ liệu "
                             "ghi tài khoản đã nạp, lệnh python -m etl trên máy chủ ghi «lệnh trên máy chủ».",
                             className="hint"),
                      data_table(f"{PAGE}-loads", loads, LOAD_COLUMNS, **_FILTER)]),
    ], id=f"{PAGE}-page")
