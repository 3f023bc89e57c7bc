"""The inspection pack of one unit as a Word document in the format of Nghị định 30/2020/NĐ-CP, made of the blocks of
exports/docx_blocks.py: header, "TÀI LIỆU" and its subject, sections I–VIII of exports/inspection_content.py (the
questions to ask last), "Nơi nhận" and the preparer's signature. Every figure is a value of the pack, printed in
the dashboard's formats."""
from __future__ import annotations

from datetime import date

from common.settings import load_settings
from exports.docx_blocks import (Closing, DocumentHeader, TableColumn, closing_block, document_bytes, header_block,
                                 heading, new_document, paragraph, table, title_block)
from exports.inspection_content import Table, pack_sections, pack_title, text_of

__all__ = ["DOCUMENT_KIND", "build_inspection_document", "inspection_docx_bytes", "write_inspection_docx"]

DOCUMENT_KIND = "TÀI LIỆU"
RECIPIENTS = ["Thành viên Đoàn kiểm tra;", "Lưu: VT, CCHC."]


def _table(doc, t: Table) -> None:
    columns = [TableColumn(c.title, c.width_mm, c.align) for c in t.columns]
    rows = [[text_of(v, c.kind) for v, c in zip(row, t.columns)] for row in t.rows]
    table(doc, t.caption, columns, rows, note=t.note)


def build_inspection_document(pack: dict):
    """The python-docx Document of the pack (see the module docstring)."""
    settings = load_settings().document
    doc = new_document()
    header_block(doc, DocumentHeader(settings.get("governing_body", ""), settings.get("issuing_body", ""),
                                     "Số: …/" + settings.get("number_suffix", "BC").replace("BC-", "TL-", 1),
                                     f"{settings.get('place', '')}, ngày … tháng … năm {date.today().year}"))
    title_block(doc, DOCUMENT_KIND, pack_title(pack))
    if pack.get("data_until"):
        paragraph(doc, f"Số liệu tính từ dữ liệu đã nạp vào bảng điều khiển CCHC (dữ liệu hồ sơ đến ngày "
                       f"{text_of(pack['data_until'], 'date')}); mỗi số liệu bằng số liệu trên bảng điều khiển "
                       "cùng kỳ, cùng đơn vị.", italic=True)
    for section in pack_sections(pack):
        heading(doc, section.number, section.title)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(doc, block)
            else:
                paragraph(doc, block)
    closing_block(doc, Closing(RECIPIENTS, "", "NGƯỜI LẬP"))
    return doc


def inspection_docx_bytes(pack: dict) -> bytes:
    return document_bytes(build_inspection_document(pack))


def write_inspection_docx(pack: dict, path) -> None:
    """The document saved to path (a file name or a binary file)."""
    build_inspection_document(pack).save(path)
