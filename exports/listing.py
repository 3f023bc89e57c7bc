"""A list table as a workbook — the dashboard's downloads: a title, a subtitle, one header row, real numbers."""
from __future__ import annotations

import io

from datetime import date, datetime

from common.workbook import (COUNT, DATE, DAYS, NO_VALUE, POINTS, SCORE, STYLES, header_row, new_workbook,
                             percent_format, print_a4_landscape, save_workbook, write_cell)

__all__ = ["NUMERIC_KINDS", "listing_xlsx"]

NUMERIC_KINDS = ("int", "percent", "days", "points", "score")
_HEAD = 4


def _number_format(kind: str, decimals: int) -> str | None:
    return {"int": COUNT, "percent": percent_format(decimals), "days": DAYS, "points": POINTS,
            "score": SCORE, "date": DATE}.get(kind)


def _cell_value(kind: str, value):
    if kind in NUMERIC_KINDS:
        return NO_VALUE if value is None else value   # zero denominator: no value, never 0 %
    if kind == "date":   # a real date shown dd/mm/yyyy, as the page shows it (the 766 lists wrote '2022-10-01')
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return value
    return "" if value is None else value if isinstance(value, date) else str(value)


def listing_xlsx(rows: list[dict], columns: list, title: str, subtitle: str = "", total: dict | None = None,
                 sheet: str = "Dữ liệu") -> bytes:
    """The rows as a workbook (bytes). columns: objects with id, name, kind (text | int | percent | days |
    points | score | markdown, left out) and decimals — pages._components.tables.Column. Counts '#,##0', rates '0.00 %'
    (122.700 and 99,89 % under a Vietnamese locale), '–' where there is no value, the total row in bold, the
    header frozen and repeated on every printed A4 landscape page."""
    cols = [c for c in columns if c.kind != "markdown"] or columns
    wb, ws = new_workbook(sheet)
    write_cell(ws, 1, 1, title, font=STYLES.title)
    write_cell(ws, 2, 1, subtitle, font=STYLES.italic)
    header_row(ws, _HEAD, [(c.name, 40 if c.kind == "text" else 16) for c in cols], height=32)
    records = rows + ([total] if total is not None else [])
    for i, r in enumerate(records, start=1):
        font = STYLES.bold if total is not None and i == len(records) else STYLES.normal
        for j, c in enumerate(cols, start=1):
            value = _cell_value(c.kind, r.get(c.id))
            blank = c.kind in NUMERIC_KINDS and value == NO_VALUE
            write_cell(ws, _HEAD + i, j, value, None if blank else _number_format(c.kind, c.decimals), font=font,
                       border=STYLES.border, align=STYLES.right if blank else None)
    ws.freeze_panes = f"B{_HEAD + 1}"
    print_a4_landscape(ws, f"{_HEAD}:{_HEAD}", centered=False)
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()
