"""The notice shown when there is no database yet, with the commands that create one."""
from dash import html


def no_data_notice(db_path) -> html.Div:
    return html.Div([
        html.H2("Chưa có dữ liệu"),
        html.P(f"Không tìm thấy cơ sở dữ liệu {db_path}."),
        html.P("Tạo dữ liệu mẫu TP.HCM 2022:"), html.Pre(".venv/bin/python -m etl sample"),
        html.P("Hoặc nạp tệp xuất từ hệ thống một cửa của đơn vị:"),
        html.Pre(".venv/bin/python -m etl import danh_muc_don_vi.csv ho_so_thang_01.xlsx --db data/cchc.duckdb\n"
                 ".venv/bin/python app.py --db data/cchc.duckdb"),
    ], className="notice", id="no-data")
