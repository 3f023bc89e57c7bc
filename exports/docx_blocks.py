"""Building blocks of an administrative document in the format of Nghị định 30/2020/NĐ-CP (python-docx): the A4 page
and its margins, Times New Roman, the header block (issuing body and number left, national motto and place-date
right), the title, numbered headings, body paragraphs, tables, placeholders for the author, and the closing block
("Nơi nhận:" left, signature right). The leadership report (exports/report_docx.py) and the inspection pack per unit
are made of these; nothing here knows about figures.

ND 30/2020 Phụ lục I: A4 (210 × 297 mm); margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm; Times New
Roman (Unicode, TCVN 6909:2001), body 13–14 pt; the issuing body in capitals, the governing body above it not in
bold; the motto in bold, 13–14 pt, with a line under it; "Nơi nhận" in bold italics 12 pt, its lines 11 pt."""
from __future__ import annotations

import io
from datetime import datetime
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from common.formats import capitals

__all__ = ["FONT", "BODY_PT", "PAGE", "DocumentHeader", "Closing", "new_document", "header_block", "title_block",
           "heading", "paragraph", "bullet", "placeholder", "table", "closing_block", "page_break", "document_bytes",
           "TableColumn"]

FONT = "Times New Roman"
AUTHOR = "Bảng điều khiển CCHC"
BODY_PT = 14
TABLE_PT = 12
# Millimetres: A4, and margins inside ND 30's ranges (top/bottom 20–25, left 30–35, right 15–20), not on their
# edges: Word stores twips, and 15 mm comes back as 14,99 mm.
PAGE = {"width": 210, "height": 297, "top": 22, "bottom": 22, "left": 32, "right": 18}
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class DocumentHeader:
    """What the header block says: governing body (may be empty), issuing body, "Số: …/BC-SNV", place and date."""
    governing_body: str
    issuing_body: str
    number: str                 # the whole line, e.g. "Số:      /BC-SNV"
    place_date: str             # e.g. "Thành phố Hồ Chí Minh, ngày      tháng      năm 2026"


@dataclass(frozen=True)
class Closing:
    """"Nơi nhận:" lines (left) and the signature block (right): authority ("KT. GIÁM ĐỐC"), title ("PHÓ GIÁM
    ĐỐC"), the signer's name (blank: written by hand)."""
    recipients: list[str] = field(default_factory=list)
    authority: str = ""
    title: str = ""
    signer: str = ""


@dataclass(frozen=True)
class TableColumn:
    title: str
    width_mm: float
    align: str = "right"        # left | center | right


_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    # Word picks the font of a run by script: Vietnamese letters with marks may be drawn from the East Asian slot.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def new_document(landscape: bool = False) -> Document:
    """An empty A4 document with ND 30's margins and Times New Roman everywhere (the Normal style, 14 pt)."""
    doc = Document()
    section = doc.sections[0]
    width, height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    _page_numbers(section)
    # the file's properties name the tool, not the library (python-docx's template says "python-docx", 2013)
    now = datetime.now()
    props = doc.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.comments, props.title, props.subject, props.keywords = "", "", "", ""
    props.created = props.modified = now
    props.revision = 1
    return doc


def _page_numbers(section) -> None:
    """ND 30, Phụ lục I: the page number in Arabic numerals, centred in the top margin, from the second page on
    (the first page shows none)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)




def _text(cell_or_doc, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False,
          align: str = "left", space_after: float = 0, first_line_mm: float | None = None):
    p = cell_or_doc.add_paragraph()
    text = text.replace(" %", "\u00a0%")   # "99,70 %" never broken across two lines
    p.alignment = _ALIGN[align]
    p.paragraph_format.space_after = Pt(space_after)
    if first_line_mm is not None:
        p.paragraph_format.first_line_indent = Mm(first_line_mm)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule(container, width_mm: float, inner_mm: float) -> None:
    """The short line under the issuing body, the motto and the title: a paragraph's bottom border, indented on
    both sides to the line's length (inner_mm: the width the paragraph has)."""
    p = container.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    side = Mm(max(inner_mm - width_mm, 0) / 2)
    p.paragraph_format.left_indent, p.paragraph_format.right_indent = side, side
    p.paragraph_format.space_after = Pt(4)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)
    _font(p.add_run(""), 4)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    table._tbl.tblPr.append(borders)


def _two_columns(doc, left_mm: float, right_mm: float):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    left, right = table.rows[0].cells
    # Both the cells and the grid: Word reads the cells' widths, LibreOffice the grid's.
    table.columns[0].width, table.columns[1].width = Mm(left_mm), Mm(right_mm)
    left.width, right.width = Mm(left_mm), Mm(right_mm)
    for cell in (left, right):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)   # start empty: blocks add their lines
    return left, right


def header_block(doc, header: DocumentHeader) -> None:
    """Issuing body and number on the left, the national motto and the place-date on the right (ND 30, ô 1–4)."""
    left, right = _two_columns(doc, 66, 94)
    if header.governing_body:
        _text(left, header.governing_body, 12, align="center")
    _text(left, header.issuing_body, 13, bold=True, align="center")
    _rule(left, 25, 66)
    _text(left, header.number, 13, align="center")
    _text(right, MOTTO[0], 12, bold=True, align="center")
    _text(right, MOTTO[1], 14, bold=True, align="center")
    _rule(right, 60, 94)
    _text(right, header.place_date, 13, italic=True, align="center")
    _text(doc, "", space_after=6)


def title_block(doc, kind: str, subject_lines: list[str]) -> None:
    """"BÁO CÁO" and its subject (ND 30, ô 5a), bold, centred."""
    _text(doc, kind, 14, bold=True, align="center")
    for line in subject_lines:
        _text(doc, line, 14, bold=True, align="center")
    _rule(doc, 40, PAGE["width"] - PAGE["left"] - PAGE["right"])
    _text(doc, "", space_after=6)


def heading(doc, number: str, text: str, level: int = 1) -> None:
    """"I. KẾT QUẢ THỰC HIỆN" (level 1, capitals) or "1. Giải quyết thủ tục hành chính" (level 2), bold."""
    label = f"{number}. {capitals(text) if level == 1 else text}" if number else text
    _text(doc, label, BODY_PT, bold=True, align="justify", space_after=6, first_line_mm=10)


def paragraph(doc, text: str, italic: bool = False) -> None:
    """A body paragraph: justified, first line indented 10 mm, 6 pt after."""
    _text(doc, text, BODY_PT, italic=italic, align="justify", space_after=6, first_line_mm=10)


def bullet(doc, text: str) -> None:
    """A "- " line of a list inside the body."""
    paragraph(doc, f"- {text}")


def placeholder(doc, text: str) -> None:
    """Where the author writes: a bracketed italic line in grey, to be replaced before the document is signed."""
    p = _text(doc, "", BODY_PT, align="justify", space_after=6, first_line_mm=10)
    run = p.add_run(f"[{text}]")
    _font(run, BODY_PT, italic=True)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _cell_text(cell, text: str, size: float, bold: bool, align: str) -> None:
    text = text.replace(" %", "\u00a0%")
    p = cell.paragraphs[0]
    p.alignment = _ALIGN[align]
    _font(p.add_run(text), size, bold)


def _grid(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            e.set(qn(k), v)
        borders.append(e)
    table._tbl.tblPr.append(borders)


def table(doc, caption: str | None, columns: list[TableColumn], rows: list[list[str]], bold_rows: set[int] = frozenset(),
          note: str | None = None) -> None:
    """A bordered table of texts (already formatted: "122.700", "99,89 %"): an optional bold caption above, a bold
    header row repeated on every page, 12 pt cells; rows whose index is in bold_rows in bold (totals)."""
    if caption:
        _text(doc, caption, 13, bold=True, align="center", space_after=3)
    t = doc.add_table(rows=1, cols=len(columns))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _grid(t)
    for column, col in zip(t.columns, columns):
        column.width = Mm(col.width_mm)
    head = t.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, col in zip(head.cells, columns):
        cell.width = Mm(col.width_mm)
        _cell_text(cell, col.title, TABLE_PT, True, "center")
    for i, values in enumerate(rows):
        cells = t.add_row().cells
        for cell, col, value in zip(cells, columns, values):
            cell.width = Mm(col.width_mm)
            _cell_text(cell, value, TABLE_PT, i in bold_rows, col.align)
    if note:
        _text(doc, note, 12, italic=True, align="justify", space_after=6)
    else:
        _text(doc, "", space_after=6)


def closing_block(doc, closing: Closing) -> None:
    """"Nơi nhận:" with its lines at the bottom left, the signature block at the bottom right (ND 30, ô 7, 9)."""
    left, right = _two_columns(doc, 80, 85)
    _text(left, "Nơi nhận:", 12, bold=True, italic=True)
    for line in closing.recipients:
        _text(left, f"- {line}", 11)
    if closing.authority:
        _text(right, closing.authority, 14, bold=True, align="center")
    _text(right, closing.title, 14, bold=True, align="center")
    for _ in range(4):
        _text(right, "", 14)
    _text(right, closing.signer, 14, bold=True, align="center")


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def document_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

