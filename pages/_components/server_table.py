"""Tables paged and sorted on the server (only one page ever reaches the browser), cells pre-formatted in Vietnamese."""
from __future__ import annotations

import math

from dash import dash_table

from common.formats import vn_date, vn_int, vn_number, vn_value
from indicators.coverage import vi_sort_key
from pages._components.tables import FONT, Column

__all__ = ["server_table", "cell_text", "sort_rows", "page_of", "page_count", "sort_spec", "NUMERIC_KINDS"]

NUMERIC_KINDS = ("int", "percent", "days", "points", "score")
LINK_STYLE = {"color": "#1d4ed8", "textDecoration": "underline", "cursor": "pointer", "fontWeight": "bold"}


def cell_text(col: Column, value) -> str:
    """What a cell shows: 122.700; 99,89 %; 1,8 ngày; dd/mm/yyyy; '–' for no value."""
    if col.kind == "int":
        return vn_int(value)
    if col.kind == "percent":
        return vn_value(value, "fraction", col.decimals)
    if col.kind == "days":
        return vn_value(value, "days", col.decimals)
    if col.kind == "date":
        return vn_date(value)
    if col.kind == "score":
        return vn_number(value, col.decimals)
    if col.kind == "flag":
        return "–" if value is None else ("Có" if value else "Không")
    if value is None or value == "":
        return "–"
    return value if isinstance(value, str) else vn_number(value) if isinstance(value, (int, float)) else str(value)


def sort_spec(sort_by: list | None, default: tuple[str, bool]) -> tuple[str, bool]:
    """(column id, descending) from a DataTable's sort_by; the default when nothing is chosen."""
    if sort_by:
        return sort_by[0]["column_id"], sort_by[0]["direction"] == "desc"
    return default


def sort_rows(rows: list[dict], key: str, descending: bool) -> list[dict]:
    """Rows sorted by their raw value (numbers as numbers, text A→Z as the filter lists sort it: 'Đất đai' beside
    'Dân số'), rows without a value last either way."""
    def sort_value(row):
        v = row.get(key)
        return vi_sort_key(v) if isinstance(v, str) else v

    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    return sorted(present, key=sort_value, reverse=descending) + missing


def page_count(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / page_size))


def page_of(rows: list, page_current: int | None, page_size: int) -> list:
    start = (page_current or 0) * page_size
    return rows[start:start + page_size]


def server_table(table_id: str, columns: list[Column], data: list[dict], total: int, page_size: int,
                 sort_by: list | None = None, link_columns: tuple[str, ...] = (),
                 wide_columns: tuple[str, ...] = (), **kwargs) -> dash_table.DataTable:
    """A DataTable whose paging and sorting are callbacks (page_current, sort_by → data); `data` is the first
    page, already formatted by `cell_text` (and markdown links). Columns in `link_columns` look like links
    (a click on them is read from active_cell); `wide_columns` get more room (long names)."""
    dt_columns = []
    for c in columns:
        spec = {"id": c.id, "name": c.name}
        if c.kind == "markdown":
            spec["presentation"] = "markdown"
        dt_columns.append(spec)
    right = [{"if": {"column_id": c.id}, "textAlign": "right", "whiteSpace": "nowrap"}
             for c in columns if c.kind in NUMERIC_KINDS]
    left = [{"if": {"column_id": c.id}, "textAlign": "left", "minWidth": "220px" if c.id in wide_columns else "110px"}
            for c in columns if c.kind in ("text", "markdown")]
    dates = [{"if": {"column_id": c.id}, "textAlign": "center", "whiteSpace": "nowrap"}
             for c in columns if c.kind in ("date", "flag")]
    links = [{"if": {"column_id": cid}, **LINK_STYLE, "whiteSpace": "nowrap"} for cid in link_columns]
    return dash_table.DataTable(
        id=table_id, data=data, columns=dt_columns, page_action="custom", page_current=0, page_size=page_size,
        page_count=page_count(total, page_size), sort_action="custom", sort_mode="single", sort_by=sort_by or [],
        markdown_options={"link_target": "_self"}, cell_selectable=True,
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": FONT, "fontSize": "13px", "padding": "4px 8px", "whiteSpace": "normal",
                    "height": "auto", "minWidth": "70px"},
        style_header={"fontFamily": FONT, "fontWeight": "bold", "backgroundColor": "#E5E7EB",
                      "whiteSpace": "normal", "textAlign": "center"},
        style_cell_conditional=right + left + dates, style_data_conditional=links, **kwargs)
