"""Downloads of a page's files: one callback per button, rebuilding the page's filters from its stored query — Excel
tables at once, longer files (a unit's inspection pack) as a background job."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from indicators import compute_period_table
from pages._components.filters import FilterContext, Filters, load_filter_context, parse_filters
from pages._components.jobs import JOBS, job_connection
from pages._components.page_frame import stored_view
from pages._components.sections import (TABLE_GROUPINGS, groupings_of, period_table_title, scope_title,
                                        structure_periods)
from pages._components.tables import Column, busy_while_building, period_table_xlsx, xlsx_bytes

__all__ = ["Sheet", "view_subtitle", "register_download", "register_period_table_download", "job_download",
           "register_job_download"]


@dataclass(frozen=True)
class Sheet:
    """One table as a workbook (pages._components.tables.xlsx_bytes); the file is named filters.file_stem(stem)."""
    rows: list[dict]
    columns: list[Column]
    title: str
    sheet: str
    stem: str
    subtitle: str | None = None      # None: the scope and the period (view_subtitle)
    total: dict | None = None


def view_subtitle(filters: Filters, ctx: FilterContext) -> str:
    """The workbook's second line: the scope and the period."""
    return f"{scope_title(filters, ctx)} · {filters.label()}"


def _register(page: str, name: str | None, make_file: Callable, states: tuple[State, ...]) -> None:
    prefix = f"{page}-{name}" if name else page

    # The button says it is working while the file is built (a city's year of 766 rows takes seconds): without it
    # a second press looked needed and queued a second file.
    button = f"{prefix}-download-button"

    @callback(Output(f"{prefix}-download", "data"), Input(button, "n_clicks"),
              State(f"{page}-query", "data"), *states, prevent_initial_call=True,
              running=busy_while_building(button))
    def _download(n_clicks, query, *values):
        if not n_clicks:
            return no_update
        con, ctx, filters = stored_view(query)
        if con is None:
            return no_update
        made = make_file(con, ctx, filters, query or {}, *values)
        if made is None:
            return no_update
        data, stem = made
        return dcc.send_bytes(data, f"{filters.file_stem(stem)}.xlsx")


def register_download(page: str, name: str | None, build: Callable[..., Sheet | None], *states: State) -> None:
    """The callback of the button `<page>-<name>-download-button` (`<page>-download-button` without a name):
    build(con, ctx, filters, query, *state values) gives the Sheet to send, or None for nothing."""
    def make_file(con, ctx, filters, query, *values):
        sheet = build(con, ctx, filters, query, *values)
        if sheet is None:
            return None
        subtitle = view_subtitle(filters, ctx) if sheet.subtitle is None else sheet.subtitle
        return (xlsx_bytes(sheet.rows, sheet.columns, sheet.title, subtitle, total=sheet.total, sheet=sheet.sheet),
                sheet.stem)

    _register(page, name, make_file, states)


# A period spans at most this many structures plus the current one (a year with two reorganizations).
EARLIER_PARTS = 2


def register_period_table_download(page: str, grouping: Callable[[dict], str]) -> None:
    """The callbacks of period_table_section's buttons: the statutory period table grouped by grouping(query), for
    the period, or for each structure of a period spanning a reorganization (the plain button: the current one)."""
    def make_for(part: int | None):
        def make_file(con, ctx, filters, query):
            parts = structure_periods(con, filters.period)
            # an earlier part's button exists only when the period has that part; pressed otherwise (a replayed
            # callback), it gives the nearest part rather than nothing
            period = parts[-1 if part is None else min(part, len(parts) - 1)]
            by = grouping(query)
            if by not in groupings_of(con, period, {by: by}):   # as the page: a level the period lacks falls back
                by = next(iter(groupings_of(con, filters.period, TABLE_GROUPINGS)))
            table = compute_period_table(con, period, by=by, unit=filters.unit, field=filters.field)
            stem = "bang_tong_hop" if len(parts) == 1 else f"bang_tong_hop_tu_{period.start:%d_%m_%Y}"
            return period_table_xlsx(table, title=period_table_title(filters, ctx)), stem
        return make_file

    _register(page, None, make_for(None), ())
    for i in range(EARLIER_PARTS):
        _register(page, f"p{i + 1}", make_for(i), ())


# ---------------------------------------------------------------------------------------------------------
# Files that take a while: built by a background job (pages._components.jobs), the button disabled meanwhile.

def job_download(prefix: str, label: str, hint: str | None = None) -> html.Div:
    """The button `<prefix>-download-button`, its download, the job's token, the line said while the job runs and
    the line saying how it ended."""
    return html.Div([html.Button(["⬇ ", label], id=f"{prefix}-download-button", className="download-button",
                                 n_clicks=0),
                     dcc.Download(id=f"{prefix}-download"), dcc.Store(id=f"{prefix}-token"),
                     html.Span("", id=f"{prefix}-running", className="hint", role="status"),
                     html.Span(hint or "", id=f"{prefix}-status", className="hint")],
                    className="download")


def register_job_download(page: str, name: str, make_file: Callable, running_text: str) -> None:
    """The callbacks of job_download(f"{page}-{name}", …): make_file(con, filters, query) gives (bytes, file name)
    or a text saying why there is no file. Each press gets its own token, made in the browser: the job's key is a
    hash of its arguments, so two people asking for the same file never share, and clear, one job's result (the
    page's layout is shared by every visitor)."""
    prefix = f"{page}-{name}"
    clientside_callback("function(n) { return n ? Date.now() + '-' + Math.random() "
                        ": window.dash_clientside.no_update; }",
                        Output(f"{prefix}-token", "data"), Input(f"{prefix}-download-button", "n_clicks"),
                        prevent_initial_call=True)

    @callback(Output(f"{prefix}-download", "data"), Output(f"{prefix}-status", "children"),
              Input(f"{prefix}-token", "data"), State(f"{page}-query", "data"),
              background=True, manager=JOBS, prevent_initial_call=True,
              running=[*busy_while_building(f"{prefix}-download-button"),
                       (Output(f"{prefix}-running", "children"), running_text, "")])
    def _job(token, query):
        con = job_connection() if token else None
        if con is None:
            return no_update, no_update
        try:
            filters = parse_filters(query or {}, load_filter_context(con))
            made = make_file(con, filters, query or {})
        finally:
            con.close()
        if isinstance(made, str):
            return no_update, made
        data, file_name = made
        return dcc.send_bytes(data, file_name), f"Đã lập xong: {file_name}"
