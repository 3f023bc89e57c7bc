"""Dữ liệu page: import history, rejected rows and unmatched unit names (the freshness is in the app header)."""
import dash
from dash import dash_table, html

from indicators import store
from indicators.data_status import import_history, rejected_rows, unmatched_units
from pages._components.formats import vn_date, vn_int
from pages._components.notices import no_data_notice
from pages._components.memo import memo_by_database

# Last in the navigation: the figures first, where they come from after (order 0–6, see app.py).
dash.register_page(__name__, path="/du-lieu", name="Dữ liệu", title="Dữ liệu – CCHC", order=6)

HISTORY_COLUMNS = [("file_name", "Tệp"), ("kind", "Loại"), ("snapshot_date", "Ngày chụp số liệu"),
                   ("rows_read", "Dòng đọc"), ("rows_loaded", "Thêm mới"), ("rows_updated", "Cập nhật"),
                   ("rows_unchanged", "Không đổi"), ("rows_rejected", "Bị loại"), ("imported_at", "Thời điểm nạp")]


def _table(table_id, rows, columns):
    shown = [{k: (vn_int(v) if isinstance(v, int) else vn_date(v) if hasattr(v, "strftime") and k != "imported_at"
                  else str(v) if v is not None else "") for k, v in r.items()} for r in rows]
    return dash_table.DataTable(id=table_id, data=shown, columns=[{"id": k, "name": n} for k, n in columns],
                                page_size=15, sort_action="native", export_format="xlsx",
                                style_cell={"fontFamily": "inherit", "textAlign": "left"})


@memo_by_database()
def layout(**_):
    con = store.current().connection()
    if con is None:
        return no_data_notice(store.current().db_path)
    return html.Div([
        html.H2("Lịch sử nạp dữ liệu"), _table("du-lieu-history", import_history(con), HISTORY_COLUMNS),
        html.H2("Dòng bị loại"),
        _table("du-lieu-rejects", rejected_rows(con), [("file_name", "Tệp"), ("sheet", "Trang"),
               ("row_number", "Dòng"), ("reason", "Lý do"), ("original_values", "Giá trị gốc")]),
        html.H2("Tên đơn vị chưa khớp danh mục"),
        _table("du-lieu-unmatched", unmatched_units(con), [("unit_text", "Tên đơn vị trong tệp"),
               ("first_file", "Tệp đầu tiên"), ("dossier_count", "Số hồ sơ")]),
    ])
