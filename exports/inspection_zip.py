"""Inspection packs for every unit under a scope in one zip (`python -m indicators inspection --format zip`): for each
unit the Word document and the workbook of its pack, as one visit's preparation for several units."""
from __future__ import annotations

import zipfile
from datetime import date
from typing import Callable

from common.formats import vn_date
from common.workbook import safe_file_stem
from exports.inspection_docx import inspection_docx_bytes
from exports.inspection_xlsx import inspection_xlsx_bytes
from exports.report_pack import pack_units, write_unit_files
from indicators.inspection import LATE_LIMIT, compute_inspection, default_period
from indicators.periods import Period

__all__ = ["inspection_files", "write_inspection_zip"]


def inspection_files(pack: dict) -> tuple[str, bytes, bytes]:
    """(file stem, workbook bytes, document bytes) of one unit's pack."""
    stem = safe_file_stem(f"ho_so_kiem_tra_{pack['unit_name']}_{pack['as_of']}")
    return stem, inspection_xlsx_bytes(pack), inspection_docx_bytes(pack)


def write_inspection_zip(con, as_of: date, path, unit: str | None = None, by: str = "unit",
                         period: Period | None = None, late_limit: int = LATE_LIMIT,
                         progress: Callable[[int, int, str], None] | None = None) -> int:
    """Writes the zip to path (a file name or a binary file): the units of level `by` under the scope (by='unit':
    the units right below it), valid in the period; progress(done, total, unit name) after each. Returns the number
    of units; two units of one name get their code in the file name."""
    period = period or default_period(as_of)
    units = pack_units(con, period, unit, by)
    if not units:
        raise ValueError(f"Không có đơn vị nào để lập hồ sơ kiểm tra (từ ngày {vn_date(period.start)} đến ngày "
                         f"{vn_date(period.end)}).")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        write_unit_files(z, units, lambda u: inspection_files(compute_inspection(con, u.code, as_of, period,
                                                                                 late_limit)), progress)
    return len(units)
