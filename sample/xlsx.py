"""A minimal streaming xlsx writer that builds the sheet XML column-wise with pyarrow (openpyxl manages ~4k rows/s here)."""
import io
import pathlib
import zipfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

ZIP_TIME = (2023, 1, 5, 8, 0, 0)  # fixed entry timestamps: same seed, byte-identical file
EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""
# Style 0: default; 1: date-time dd/mm/yyyy hh:mm:ss; 2: bold (titles, header, totals).
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font><font><b/><sz val="11"/><name val="Times New Roman"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{creator}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2023-01-05T08:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2023-01-05T08:00:00Z</dcterms:modified></cp:coreProperties>"""
_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_array(arr: pa.Array) -> pa.Array:
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        arr = pc.replace_substring(arr, a, b)
    return arr


def _cell_xml(ref: str, value, style: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
    return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'


def _row_xml(row: int, values: list, style: int = 0) -> str:
    """One small row (titles, header, totals, signatures) written cell by cell."""
    cells = "".join(_cell_xml(f"{get_column_letter(j + 1)}{row}", v, style) for j, v in enumerate(values))
    return f'<row r="{row}">{cells}</row>'


def _column_cells(letter: str, rows: pa.Array, values) -> pa.Array:
    """Cell XML for one column of the data block; missing values give no cell at all."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        serial = (values.astype("datetime64[s]") - EXCEL_EPOCH).astype(np.int64) / 86400.0
        text = pc.cast(pa.array(serial, mask=np.isnat(values)), pa.string())
        head, tail = '" s="1"><v>', "</v></c>"
    elif isinstance(values, np.ndarray) and values.dtype != object:
        text = pc.cast(pa.array(values), pa.string())
        head, tail = '"><v>', "</v></c>"
    else:
        text = _escape_array(pa.array(values, type=pa.string()))
        head, tail = '" t="inlineStr"><is><t>', "</t></is></c>"
    cell = pc.binary_join_element_wise('<c r="' + letter, rows, head, text, tail, "")
    return pc.fill_null(cell, "")  # a missing value gives no cell at all


def _data_rows(headers: list[str], columns: dict, start: int, stop: int, first_data: int, overrides: dict) -> memoryview:
    """XML of data rows start..stop, built column-wise and returned as one buffer."""
    rows = pc.cast(pa.array(np.arange(first_data + start, first_data + stop)), pa.string())
    cells = [_column_cells(get_column_letter(j + 1), rows, columns[h][start:stop]) for j, h in enumerate(headers)]
    for (i, h), value in overrides.items():  # single cells of another type (e.g. a text in a date column)
        if start <= i < stop:
            j = headers.index(h)
            patched = cells[j].to_pylist()
            patched[i - start] = _cell_xml(f"{get_column_letter(j + 1)}{first_data + i}", value)
            cells[j] = pa.array(patched, type=pa.string())
    body = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
    offsets = np.frombuffer(body.buffers()[1], dtype=np.int32)[body.offset: body.offset + len(body) + 1]
    return memoryview(body.buffers()[2])[offsets[0]: offsets[-1]]


def write_table(path: pathlib.Path, sheet: str, titles: list[str], headers: list[str], columns: dict,
                footer_rows: list[list], creator: str = "", overrides: dict | None = None) -> None:
    """Titles (merged across the table), one header row, the data columns, then free footer rows."""
    width = len(headers)
    last = get_column_letter(width)
    n = len(next(iter(columns.values())))
    first_data = len(titles) + 2
    head = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<dimension ref="A1:{last}{first_data + n + len(footer_rows) - 1}"/><sheetData>']
    head += [_row_xml(i, [t], 2) for i, t in enumerate(titles, start=1)]
    head.append(_row_xml(len(titles) + 1, headers, 2))
    tail = [_row_xml(first_data + n + i, r, 2 if i == 0 else 0) for i, r in enumerate(footer_rows)]
    merges = "".join(f'<mergeCell ref="A{i}:{last}{i}"/>' for i in range(1, len(titles) + 1))
    tail.append(f'</sheetData><mergeCells count="{len(titles)}">{merges}</mergeCells></worksheet>')

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        def put(name, data: bytes):
            z.writestr(_entry(name), data)
        put("[Content_Types].xml", _CONTENT_TYPES.encode())
        put("_rels/.rels", _RELS.encode())
        put("docProps/app.xml", _APP.encode())
        put("docProps/core.xml", _CORE.format(creator=_escape(creator)).encode())
        put("xl/workbook.xml", _WORKBOOK.format(name=_escape(sheet)).encode())
        put("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.encode())
        put("xl/styles.xml", _STYLES.encode())
        info = _entry("xl/worksheets/sheet1.xml")
        for attr in ("compress_level", "_compresslevel"):  # renamed in Python 3.13
            try:
                setattr(info, attr, 1)
            except AttributeError:
                pass
        with z.open(info, "w", force_zip64=True) as f:
            f.write("".join(head).encode())
            for start in range(0, n, 100_000):
                stop = min(start + 100_000, n)
                f.write(_data_rows(headers, columns, start, stop, first_data, overrides or {}))
            f.write("".join(tail).encode())


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with the fixed timestamp: same seed, byte-identical file."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def save_fixed_xlsx(wb, path: pathlib.Path) -> None:
    """An openpyxl workbook (small, formatted: the plans) saved byte-identically on every run: openpyxl stamps the
    time of saving into docProps/core.xml and the zip entries, both replaced here by fixed ones."""
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = _CORE.format(creator="").encode() if name == "docProps/core.xml" else src.read(name)
            z.writestr(_entry(name), data)
