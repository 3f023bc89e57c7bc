"""The CCHC dashboard (Dash): python app.py [--host H] [--port P] [--db DB]."""
import argparse
import os
from pathlib import Path

import dash
from dash import ALL, Dash, Input, Output, dcc, html

from common.formats import vn_date
from indicators import store
from indicators.data_status import data_freshness
from pages._components.filters import carry_filters
from pages._components.memo import memo_by_database

DEFAULT_DB = Path(__file__).resolve().parent / "data" / "sample_demo.duckdb"
# Configured before the pages are imported by Dash; gunicorn workers read CCHC_DB.
store.configure(os.environ.get("CCHC_DB", DEFAULT_DB))


@memo_by_database(maxsize=2)   # a scan of every dossier's snapshot date: once per database file, not per visit
def _freshness_text() -> str:
    con = store.current().connection()
    if con is None:
        return "Không mở được cơ sở dữ liệu" if store.current().open_error else "Chưa có dữ liệu"
    try:
        fresh = data_freshness(con)
    finally:
        con.close()
    return f"Số liệu đến ngày {vn_date(fresh)}" if fresh else "Chưa có hồ sơ nào được nạp"


def _layout():
    # A function, so every page load reads the freshness of the file the store has open now (a load may
    # have swapped the database in since the last visit).
    pages = sorted(dash.page_registry.values(), key=lambda p: (p.get("order") is None, p.get("order") or 0))
    return html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        html.Header([
            html.Div([html.H1("Bảng điều khiển cải cách hành chính"),
                      html.P(_freshness_text(), id="app-freshness", className="freshness")], className="app-title"),
            html.Nav([dcc.Link(page["name"], href=page["relative_path"], className="nav-link",
                               id={"type": "nav-link", "path": page["relative_path"]}) for page in pages]),
        ], className="app-header"),
        html.Main(dash.page_container),
    ], lang="vi")


def create_app() -> Dash:
    app = Dash(__name__, use_pages=True, title="CCHC – Bảng điều khiển cải cách hành chính",
               suppress_callback_exceptions=True)
    app.layout = _layout

    @app.callback(Output({"type": "nav-link", "path": ALL}, "href"),
                  Output({"type": "nav-link", "path": ALL}, "className"),
                  Input("url", "pathname"), Input("url", "search"))
    def _nav_keeps_filters(pathname, search):
        # Moving to another page keeps the period, unit and sector; page-only parameters stay behind.
        paths = [item["id"]["path"] for item in dash.callback_context.outputs_list[0]]
        query = carry_filters(search)
        classes = ["nav-link nav-link--active" if p == (pathname or "/") else "nav-link" for p in paths]
        return [p + query for p in paths], classes

    return app


def finish_setup_before_serving(app: Dash) -> None:
    """Runs Dash's first-request set-up now, in one thread, before any server thread exists.

    Why: Dash merges the pages' callbacks and registers the page router on the first request, behind a flag it
    sets before the work is done. Under a threaded server (gunicorn gthread, Flask's threaded dev server) the
    requests a browser sends alongside the first one got a partial callback list (3 of 28 measured on the full
    sample, where the set-up reads the data's freshness) and that visitor's page stayed blank."""
    with app.server.test_client() as client:
        response = client.get("/_dash-dependencies")
    if response.status_code != 200:
        raise RuntimeError(f"Dash set-up failed: HTTP {response.status_code}")


app = create_app()
finish_setup_before_serving(app)
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
