"""The CCHC dashboard (Dash): python app.py [--host H] [--port P] [--db DB]; python app.py accounts …"""
import sys

if __name__ == "__main__" and sys.argv[1:2] == ["accounts"]:
    # The account command answers before Dash is imported (a second of start-up saved on every command).
    from accounts.cli import main as accounts_main
    sys.exit(accounts_main(sys.argv[2:]))

from pathlib import Path

import dash
# pyarrow turns Python lists into Arrow tables through its pandas shim, which imports pandas on first use (~0,2 s
# CPU): imported with the app, a worker pays it once at start instead of on some user's first view of a page
# (Chỉ số CCHC registers its nodes as an Arrow table; the cold first-view benchmark saw it as 0,42 vs 0,21 s).
import pandas  # noqa: F401
from dash import ALL, Dash, Input, Output, dcc, html

from common.cli import CommandParser
from common.formats import vn_date
from etl.uploads import max_request_bytes, remove_stale_uploads, request_file_bytes, size_text
from accounts import current_viewer
from accounts import web as accounts_web
from accounts.bind import bind_refusal
from accounts.files import accounts_file, served_database
from accounts.guard import HEALTH_PATH, SETUP_REQUEST
from accounts.login_page import LOGOUT_PATH
from accounts.session import configure as configure_accounts
from accounts.roles import AUDIT_PATH, may_open, page_for_path
from indicators import store
from indicators.data_status import data_freshness
from pages._components.filters import carry_filters
from pages._components.memo import memo_by_database

# Configured before the pages are imported by Dash; gunicorn workers read CCHC_DB.
store.configure(served_database())


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


TRIAL_BANNER = ("Chế độ dùng thử trên máy này: chưa có tài khoản nào, nên ai dùng được máy này đều xem được mọi số "
                "liệu. Trước khi cho người khác truy cập, hãy tạo tài khoản quản trị: ")
MAKE_ADMIN = "python app.py accounts add TÊN --role admin"


def _account_box(viewer):
    """The trial banner, or who is logged in (name, role in Vietnamese) with the log-out button."""
    if viewer is None:
        return None
    if viewer.is_trial:
        return html.P([TRIAL_BANNER, html.Code(MAKE_ADMIN)], id="trial-banner", className="trial-banner", role="status")
    # A form posting to the log-out address: a plain link (GET) could be fired by any other site's <img>.
    return html.Form([html.Span(viewer.username, className="app-user-name"),
                      html.Span(f" · {viewer.role_label}", className="app-user-role"),
                      html.Button("Đăng xuất", type="submit", className="logout-button")],
                     method="POST", action=LOGOUT_PATH, id="app-user", className="app-user")


def _nav_pages(viewer) -> list[dict]:
    """The pages the viewer's role may open; the audit page not in the trial mode (no trail is kept there)."""
    def shown(page):
        if viewer is None or (viewer.is_trial and page["path"] == AUDIT_PATH):
            return False
        if page["module"].split(".")[-1] == "not_found_404":   # Dash's page for unknown addresses, not a nav item
            return False
        return may_open(viewer, page_for_path(page["path"]))
    pages = [p for p in dash.page_registry.values() if shown(p)]
    return sorted(pages, key=lambda p: (p.get("order") is None, p.get("order") or 0))


def _layout():
    # A function, so every page load reads the freshness of the file the store has open now (a load may
    # have swapped the database in since the last visit), and the account of the visitor.
    viewer = current_viewer()
    return html.Div([
        dcc.Location(id="url", refresh="callback-nav"),
        html.Header([
            html.Div([html.H1("Bảng điều khiển cải cách hành chính"),
                      html.P(_freshness_text(), id="app-freshness", className="freshness"),
                      _account_box(viewer)], className="app-title"),
            html.Nav([dcc.Link(page["name"], href=page["relative_path"], className="nav-link",
                               id={"type": "nav-link", "path": page["relative_path"]}) for page in _nav_pages(viewer)]),
        ], className="app-header"),
        html.Main(dash.page_container),
    ], lang="vi")


def _too_large_request(_error):
    return ("Yêu cầu quá lớn: mỗi lần tải lên mang tối đa " + size_text(request_file_bytes()) + " tệp. "
            "Hãy tải từng tệp một.", 413, {"Content-Type": "text/plain; charset=utf-8"})


def create_app() -> Dash:
    app = Dash(__name__, use_pages=True, title="CCHC – Bảng điều khiển cải cách hành chính",
               suppress_callback_exceptions=True, health_endpoint=HEALTH_PATH.lstrip("/"))
    app.layout = _layout
    accounts_web.install(app.server, accounts_file(served_database()))
    # A request larger than an upload can be (the browser holds back larger files) is refused before it is read.
    app.server.config["MAX_CONTENT_LENGTH"] = max_request_bytes()
    app.server.register_error_handler(413, _too_large_request)
    remove_stale_uploads(served_database())   # uploads previewed and left before a restart: their personal data goes

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
        # Marked as the server's own request in its WSGI environ (no HTTP request can set such a key): it
        # carries no session, and the accounts guard would refuse it once accounts exist.
        response = client.get("/_dash-dependencies", environ_base={SETUP_REQUEST: True})
    if response.status_code != 200:
        raise RuntimeError(f"Dash set-up failed: HTTP {response.status_code}")


app = create_app()
finish_setup_before_serving(app)
server = app.server  # for gunicorn: gunicorn app:server


def main() -> None:
    parser = CommandParser(prog="python app.py", description="Chạy bảng điều khiển CCHC. Quản lý tài khoản: "
                                                             "python app.py accounts --help")
    parser.add_argument("--host", default="127.0.0.1",
                        help="địa chỉ nghe (mặc định 127.0.0.1: chỉ máy này; địa chỉ khác cần tài khoản quản trị)")
    parser.add_argument("--port", type=int, default=8050, help="cổng (mặc định 8050)")
    parser.add_argument("--db", type=Path, help="tệp DuckDB (mặc định: dữ liệu mẫu)")
    args = parser.parse_args()
    if args.db:
        store.configure(args.db)
    accounts = configure_accounts(server, accounts_file(args.db or served_database()))
    refusal = bind_refusal([args.host], accounts)
    if refusal:
        print(refusal, file=sys.stderr)
        sys.exit(2)
    print(f"Bảng điều khiển: http://{args.host}:{args.port}/  (dữ liệu: {store.current().db_path})")
    app.run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
