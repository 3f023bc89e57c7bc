"""The report pack: one workbook and one Word document per unit of a grouping (every district, every department,
or every unit directly under the scope), in one zip — for the units' own leaders (reporting.md §3)."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Callable

from common.workbook import safe_file_stem
from exports.report_docx import report_docx_bytes
from exports.report_xlsx import write_report_xlsx
from indicators.engine import resolve_unit
from indicators.periods import Period, is_official, period_short_name
from indicators.report import LATE_LIMIT, compute_report
from indicators.units import descendants

__all__ = ["PACK_GROUPINGS", "pack_units", "write_report_pack", "report_files", "write_unit_files"]

PACK_GROUPINGS = ("district", "department", "unit")


def pack_units(con, period: Period, unit: str | None = None, by: str = "unit") -> list:
    """The units the pack has a report for: those of level `by` under the scope, valid in the period; by='unit':
    the units directly under the scope (for the city, the units under its top unit)."""
    if by not in PACK_GROUPINGS:
        raise ValueError(f"Gói báo cáo theo đơn vị cần --by district, department hoặc unit (không nhận '{by}').")
    scope = resolve_unit(con, unit)[0] if unit else None
    below = descendants(con, scope, period.start, period.end)
    if by != "unit":
        return [u for u in below if u.level == by]
    if scope is not None:
        return [u for u in below if u.parent_code == scope]
    codes = {u.code for u in below}
    roots = {u.code for u in below if u.parent_code not in codes}
    return [u for u in below if u.parent_code in roots]


def report_files(report: dict) -> tuple[str, bytes, bytes]:
    """(file stem, workbook bytes, document bytes) of one report."""
    # an official window's files say so: its pack unzipped beside the calendar quarter's overwrote it (probe 41)
    official = is_official(Period(date.fromisoformat(report["from"]), date.fromisoformat(report["to"])))
    stem = safe_file_stem(f"bao_cao_{report['period_short_name']}{'_chinh_thuc' if official else ''}_{report['unit_name']}")
    buf = io.BytesIO()
    write_report_xlsx(report, buf)
    return stem, buf.getvalue(), report_docx_bytes(report)


def write_report_pack(con, period: Period, path, unit: str | None = None, by: str = "unit",
                      late_limit: int = LATE_LIMIT, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Writes the zip to path (a file name or a binary file); progress(done, total, unit name) after each unit.
    Returns the number of units. Two units of the same name get their code in the file name."""
    units = pack_units(con, period, unit, by)
    if not units:
        raise ValueError(f"Không có đơn vị nào để lập gói báo cáo ({period_short_name(period)}).")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        write_unit_files(z, units, lambda u: report_files(compute_report(con, period, unit=u.code,
                                                                         late_limit=late_limit)), progress)
        z.writestr("doc_truoc.txt", _readme(period, len(units)))
    return len(units)


def write_unit_files(z: zipfile.ZipFile, units: list, files_of: Callable, progress=None) -> None:
    """Each unit's files_of(unit) = (file stem, workbook bytes, document bytes) into the open zip, progress(done,
    total, unit name) after each; two units of the same name get their code in the file name."""
    seen: set[str] = set()
    for i, u in enumerate(units, start=1):
        stem, xlsx, docx = files_of(u)
        if stem in seen:
            stem = safe_file_stem(f"{stem}_{u.code}")
        seen.add(stem)
        z.writestr(f"{stem}.xlsx", xlsx)
        z.writestr(f"{stem}.docx", docx)
        if progress is not None:
            progress(i, len(units), u.name)


def _readme(period: Period, count: int) -> str:
    return (f"Gói báo cáo kết quả cải cách hành chính {'kỳ báo cáo chính thức ' if is_official(period) else ''}"
            f"{period_short_name(period)} "
            f"(từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}): {count} đơn vị, mỗi đơn vị một tệp "
            f"Excel (.xlsx) và một văn bản Word (.docx). Lập ngày {date.today():%d/%m/%Y}.\n")
