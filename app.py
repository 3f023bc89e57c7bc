"""The CCHC dashboard (Dash): python app.py [--host H] [--port P] [--db DB]."""
import argparse
import os
from pathlib import Path

import dash
from dash import Dash, dcc, html

from indicators import store

DEFAULT_DB = Path(__file__).resolve().parent / "data" / "sample_demo.duckdb"
# Configured before the pages are imported by Dash; gunicorn workers read CCHC_DB.
store.configure(os.environ.get("CCHC_DB", DEFAULT_DB))


def create_app() -> Dash:
    app = Dash(__name__, use_pages=True, title="CCHC – Bảng điều khiển cải cách hành chính",
               suppress_callback_exceptions=True)
    app.layout = html.Div([
        html.Header([
            html.H1("Bảng điều khiển cải cách hành chính"),
            html.Nav([dcc.Link(page["name"], href=page["relative_path"], className="nav-link")
                      for page in dash.page_registry.values()]),
        ], className="app-header"),
        html.Main(dash.page_container),
    ], lang="vi")
    return app


app = create_app()
server = app.server  # for gunicorn: gunicorn app:server


def main() -> None:
    parser = argparse.ArgumentParser(description="Chạy bảng điều khiển CCHC.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--db", type=Path, help="tệp DuckDB (mặc định: dữ liệu mẫu)")
    args = parser.parse_args()
    if args.db:
        store.configure(args.db)
    print(f"Bảng điều khiển: http://{args.host}:{args.port}/  (dữ liệu: {store.current().db_path})")
    app.run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
