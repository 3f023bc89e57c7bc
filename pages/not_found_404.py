"""The page shown for an address the dashboard does not have, in Vietnamese (Dash pages' 404 hook)."""
import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Không tìm thấy trang", title="Không tìm thấy trang – CCHC")


def layout(**query):
    return html.Div([
        html.H2("Không tìm thấy trang"),
        html.P("Địa chỉ này không có trong bảng điều khiển: có thể liên kết đã cũ hoặc bị gõ sai."),
        html.P(["Về ", dcc.Link("Tổng quan", href="/", id="not-found-home"),
                " hoặc chọn một trang trên thanh điều hướng."]),
    ], className="notice", id="not-found-page")
