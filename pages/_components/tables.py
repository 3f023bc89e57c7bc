"""Tables on screen (DataTable, Vietnamese numbers, numeric sorting kept) and their Excel downloads (real numbers)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from dash import Output, dash_table, dcc, html
from dash.dash_table.Format import Format, Group, Scheme, Sign, Symbol, Trim

from common.formats import rounded, shown_fraction
from exports.listing import NUMERIC_KINDS, listing_xlsx
from exports.table import rows_in_reading_order, write_table_xlsx
from indicators import INDICATORS, PERIOD_COLUMNS

__all__ = ["Column", "data_table", "xlsx_bytes", "download_button", "period_table_columns", "period_table_rows",
           "period_table_xlsx", "indicator_column"]

# d3-format locale of every table: 122.700 and 99,89.
VN_LOCALE = {"decimal": ",", "group": "."}
_NUMERIC = NUMERIC_KINDS
FONT = '"Noto Sans", Arial, sans-serif'   # the header cells do not inherit the page font


@dataclass(frozen=True)
class Column:
    id: str
    name: str
    kind: str = "text"      # text | int | percent (a fraction, shown ×100) | days | points (signed, percentage
    #                         points) | score (points of an index, 63,45) | markdown (links)
    decimals: int = 2


def indicator_column(ind_id: str, name: str | None = None) -> Column:
    ind = next(i for i in INDICATORS if i.id == ind_id)
    return Column(ind.id, name or ind.name_vi, "percent" if ind.unit == "fraction" else "days", ind.decimals)


def _format(col: Column) -> dict:
    if col.kind == "int":
        return Format(group=Group.yes, precision=0, scheme=Scheme.fixed).nully("–").to_plotly_json()
    if col.kind == "percent":
        return (Format(group=Group.yes, precision=col.decimals, scheme=Scheme.fixed, symbol=Symbol.yes,
                       symbol_suffix=" %").nully("–").to_plotly_json())
    if col.kind == "points":
        return (Format(group=Group.yes, precision=col.decimals, scheme=Scheme.fixed, sign=Sign.positive,
                       symbol=Symbol.yes, symbol_suffix=" điểm %").nully("–").to_plotly_json())
    if col.kind == "score":
        return (Format(group=Group.yes, precision=col.decimals, scheme=Scheme.fixed, trim=Trim.yes).nully("–")
                .to_plotly_json())
    if col.kind == "days":
        return (Format(group=Group.yes, precision=col.decimals, scheme=Scheme.fixed, symbol=Symbol.yes,
                       symbol_suffix=" ngày").nully("–").to_plotly_json())
    return {}


def _screen_value(col: Column, value):
    # Percentages travel as percent numbers so the table sorts them as numbers and formats them itself, already
    # rounded as the text beside the table rounds them (common.formats): the browser's toFixed rounds the binary
    # value, and 3.609 of 4.000 (90,225 %) read 90,22 % in the table under a card saying 90,23 % (the review).
    if col.kind == "percent" and value is not None:
        return float(rounded(shown_fraction(value, col.decimals) * 100, col.decimals))
    return value


def data_table(table_id: str, rows: list[dict], columns: list[Column], total: dict | None = None,
               page_size: int = 25, sortable: bool = True, **kwargs) -> dash_table.DataTable:
    """A DataTable in Vietnamese formats; `total` (if any) is the last row, bold, and sorting is then off so
    the total stays at the bottom."""
    data = [{c.id: _screen_value(c, r.get(c.id)) for c in columns} for r in rows]
    style_conditional = [{"if": {"column_type": "numeric"}, "textAlign": "right", "whiteSpace": "nowrap"}]
    if total is not None:
        data.append({c.id: _screen_value(c, total.get(c.id)) for c in columns})
        style_conditional.append({"if": {"row_index": len(data) - 1}, "fontWeight": "bold",
                                  "backgroundColor": "#F3F4F6"})
        sortable = False
    dt_columns = []
    for c in columns:
        spec = {"id": c.id, "name": c.name}
        if c.kind in _NUMERIC:
            spec.update(type="numeric", format=_format(c))
        elif c.kind == "markdown":
            spec["presentation"] = "markdown"
        dt_columns.append(spec)
    return dash_table.DataTable(
        id=table_id, data=data, columns=dt_columns, locale_format=VN_LOCALE,
        page_size=page_size, page_action="native" if len(data) > page_size else "none",
        sort_action="native" if sortable else "none", markdown_options={"link_target": "_self"},
        style_table={"overflowX": "auto"}, style_cell={"fontFamily": FONT, "fontSize": "13px",
                                                       "padding": "4px 8px", "whiteSpace": "normal",
                                                       "height": "auto", "minWidth": "70px"},
        style_header={"fontFamily": FONT, "fontWeight": "bold", "backgroundColor": "#E5E7EB", "whiteSpace": "normal",
                      "textAlign": "center"},
        style_cell_conditional=[{"if": {"column_id": c.id}, "textAlign": "left", "minWidth": "200px"}
                                for c in columns if c.kind in ("text", "markdown")],
        style_data_conditional=style_conditional, **kwargs)



def xlsx_bytes(rows: list[dict], columns: list[Column], title: str, subtitle: str = "",
               total: dict | None = None, sheet: str = "Dữ liệu") -> bytes:
    """The table as a workbook with real numbers (exports.listing: the project's one workbook style)."""
    return listing_xlsx(rows, columns, title, subtitle, total=total, sheet=sheet)


def busy_while_building(button_id: str) -> list:
    """The `running` outputs of a download's callback: its button disabled and saying «đang lập tệp…»
    (assets/style.css) while the file is built, so a slow file is not asked for twice."""
    return [(Output(button_id, "disabled"), True, False),
            (Output(button_id, "className"), "download-button busy", "download-button")]


def download_button(button_id: str, download_id: str, label: str = "Tải bảng Excel (.xlsx)") -> html.Div:
    return html.Div([html.Button(["⬇ ", label], id=button_id, className="download-button", n_clicks=0),
                     dcc.Download(id=download_id)], className="download")


# ---------------------------------------------------------------------------------------------------------
# The statutory period table (§1 columns with their Vietnamese headers, and the on-time rate).

def period_table_columns(group_title: str = "Đơn vị") -> list[Column]:
    return ([Column("name", group_title)] + [Column(c, header, "int") for c, header in PERIOD_COLUMNS]
            + [indicator_column("on_time_rate")])


def period_table_rows(table: dict) -> list[dict]:
    """Rows of compute_period_table in the order of its workbook (exports.table.rows_in_reading_order)."""
    return [{**r, "name": r.get("name") or str(r.get("key") or "")} for r in rows_in_reading_order(table)]


def period_table_xlsx(table: dict, title: str | None = None) -> bytes:
    """The period table in the statutory xlsx form (exports.table), as bytes for dcc.Download."""
    buf = io.BytesIO()
    write_table_xlsx(table, buf, title=title)
    return buf.getvalue()
