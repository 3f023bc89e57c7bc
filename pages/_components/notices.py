"""The notice shown when there is no usable database, with the commands that create one."""
from dash import html

from indicators import store


def _what_is_wrong(db_path) -> list:
    error = store.current().open_error if store.current().db_path == db_path else None
    if error and db_path.exists():
        return [html.H2("Không mở được cơ sở dữ liệu"),
                html.P(f"Tệp {db_path} không phải cơ sở dữ liệu do công cụ này tạo ra (có thể tệp bị hỏng, là tệp "
                       f"khác đặt nhầm tên, hoặc do phiên bản cũ tạo ra). Chi tiết: {error}"),
                # a file of an earlier version lacks only the tables added since: refresh adds them, keeping the data
                html.P("Nếu tệp do phiên bản trước tạo ra, cập nhật tệp (giữ nguyên dữ liệu đã nạp) bằng lệnh:"),
                html.Pre(f".venv/bin/python -m etl refresh --db {db_path}"),
                html.P("Nếu không, hãy tạo lại cơ sở dữ liệu bằng một trong các lệnh dưới đây.")]
    return [html.H2("Chưa có dữ liệu"), html.P(f"Không tìm thấy cơ sở dữ liệu {db_path}.")]


def no_data_notice(db_path) -> html.Div:
    return html.Div([
        *_what_is_wrong(db_path),
        html.P("Tạo dữ liệu mẫu TP.HCM 2022:"), html.Pre(".venv/bin/python -m etl sample"),
        html.P("Hoặc nạp tệp xuất từ hệ thống một cửa của đơn vị:"),
        html.Pre(".venv/bin/python -m etl import danh_muc_don_vi.csv ho_so_thang_01.xlsx --db data/cchc.duckdb\n"
                 ".venv/bin/python app.py --db data/cchc.duckdb"),
    ], className="notice", id="no-data")
