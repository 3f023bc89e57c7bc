"""The Word files the tool writes (reports, inspection packs) in the administrative format of Nghị định 30/2020/NĐ-CP:
page numbers centred in the top margin from the second page on, and file properties naming the tool, not the
library that wrote them (python-docx's template said «python-docx», 2013; probe 24)."""
import io
from datetime import datetime

from docx import Document

from exports.docx_blocks import new_document


def test_page_numbers_and_properties():
    doc = new_document()
    doc.add_paragraph("Trang 1")
    buffer = io.BytesIO()
    doc.save(buffer)
    read = Document(io.BytesIO(buffer.getvalue()))
    section = read.sections[0]
    assert section.different_first_page_header_footer           # the first page shows no number
    header = section.header._element.xml
    assert "PAGE" in header and 'w:fldCharType="begin"' in header
    assert section.header.paragraphs[0].alignment == 1            # centred
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    props = read.core_properties
    assert props.author == "Bảng điều khiển CCHC" and "python-docx" not in (props.comments or "")
    assert props.created.year == datetime.now().year
