"""Read a web page saved under an Excel name (the "Xuất Excel" of many one-stop systems writes an HTML table and
names it .xls) into one text grid, as Excel shows it: every table's rows one under the other, a cell spanning
columns in its first column, a cell spanning rows on each row it covers (as merged-down cells of a workbook)."""
from html.parser import HTMLParser

import pyarrow as pa

from etl.core.errors import ImportFailure

MAX_ROWS = 1_048_576   # a sheet's limit
_BR = "\x00"           # a <br> inside a cell: a line break there, while the page's own line breaks are spaces


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list] = []
        self._row: list | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._down: dict[int, tuple[str | None, int]] = {}   # column → (value, rows still covered) of a rowspan

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self._row is None:
                self._row = []
            attrs = dict(attrs)
            self._span = (_int(attrs.get("colspan")), _int(attrs.get("rowspan")))
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(_BR)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _fill_down(self):
        """Columns still covered by a cell spanning rows from above take its value before the next cell."""
        while len(self._row) in self._down:
            j = len(self._row)
            value, left = self._down.pop(j)
            self._row.append(value)
            if left > 1:
                self._down[j] = (value, left - 1)

    def _end_cell(self):
        if self._cell is None:
            return
        self._fill_down()
        text = "\n".join(" ".join(part.split()) for part in "".join(self._cell).split(_BR)).strip()
        colspan, rowspan = self._span
        start = len(self._row)
        self._row += [text or None] + [None] * (colspan - 1)
        if rowspan > 1:
            for j in range(start, start + colspan):
                self._down[j] = (text or None if j == start else None, rowspan - 1)
        self._cell = None

    def _end_row(self):
        self._end_cell()
        if self._row is not None:
            self._fill_down()
            self.rows.append(self._row)
            if len(self.rows) > MAX_ROWS:
                raise ImportFailure("Trang web có nhiều dòng hơn một trang tính Excel (1.048.576); không nạp dòng nào.")
        self._row = None


def _int(text) -> int:
    try:
        return max(1, min(int(str(text).strip()), 16_384))
    except (TypeError, ValueError):
        return 1


def html_rows(text: str) -> list[list]:
    """The rows of every table of the page, in order; empty when the page holds no table."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    parser._end_row()
    return parser.rows


def rows_table(rows: list[list]) -> pa.Table:
    """Rows of unequal length as a text table c0…cN (missing cells None)."""
    width = max((len(r) for r in rows), default=0)
    return pa.table({f"c{j}": pa.array([r[j] if j < len(r) else None for r in rows], pa.string())
                     for j in range(width)})
