"""Load one sheet of a progress report (kind task_progress): each line's task (code, section and STT, text), its
status from the words units write, the completion date; the report (unit, year, date) replaces an earlier load of
it. Lines are matched to tasks when figures are made; the ones matching no task are listed here and on the page."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pyarrow as pa

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.plans.layout import walk
from etl.plans.owner import line_year, owners_named, sheet_owner, sheet_year
from etl.plans.store import staged, write_staged
from etl.plans.titles import report_date
from etl.plans.vocab import FIELD_LABELS, MARK_FIELDS, PROGRESS_ONLY, status_of, status_words_text
from model.plan_tasks import matched_progress_sql

SCHEMA = pa.schema([
    ("year", pa.int32()), ("plan_key", pa.string()), ("unit_text", pa.string()), ("unit_key", pa.string()),
    ("unit_code", pa.string()), ("report_date", pa.date32()), ("line_no", pa.int32()), ("code", pa.string()),
    ("code_key", pa.string()), ("ref", pa.string()), ("ref_key", pa.string()), ("task", pa.string()),
    ("task_key", pa.string()), ("status_text", pa.string()), ("status", pa.string()),
    ("completed_date", pa.date32()), ("document", pa.string()), ("file_name", pa.string()), ("sheet", pa.string()),
    ("import_id", pa.int32()), ("row_number", pa.int32()),
])
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?")
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_NO_MARK = {"", "0", "khong", "no"}
UNMATCHED_SHOWN = 10


def parse_day(text) -> date | None | bool:
    """A completion date: dd/mm/yyyy (day first), ISO text (an Excel date cell), an Excel serial number. None when
    empty, False when unreadable."""
    raw = str(text or "").strip()
    if not raw:
        return None
    try:
        if found := _ISO.fullmatch(raw):
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if found := _DMY.fullmatch(raw):
            return date(int(found.group(4)), int(found.group(3)), int(found.group(1)))
        if re.fullmatch(r"\d{5}(\.0+)?", raw):
            return date(1899, 12, 30) + timedelta(days=int(float(raw)))
    except ValueError:
        return False
    return False


def _status(cells: dict) -> tuple[str | None, str | None]:
    """(status, the words it was read from): the status column, else the ticked status column, else the words
    leading the result column ("Hoàn thành. Đã ban hành …")."""
    if cells.get("status"):
        return status_of(cells["status"]), cells["status"]
    ticked = [f for f in MARK_FIELDS if norm_key(cells.get(f)) not in _NO_MARK]
    if len(ticked) == 1:
        return MARK_FIELDS[ticked[0]], FIELD_LABELS.get(ticked[0], ticked[0])
    if len(ticked) > 1:
        return None, "đánh dấu ở nhiều cột tình trạng"
    if cells.get("result"):
        return status_of(cells["result"]), cells["result"]
    return None, None


def _has_status_source(match) -> bool:
    return any(f in match.columns for f in ("status", "result", *MARK_FIELDS))


def _report_day(sheet, cells: dict, title_day: date | None) -> date | None:
    """--as-of, else the line's report-date column, else the date the title rows give."""
    if sheet.as_of:
        return sheet.as_of
    day = parse_day(cells.get("report_date")) if cells.get("report_date") else None
    return day or title_day


def read_progress_sheet(con, sheet, result: dict) -> None:
    """Reads one recognized sheet into the file's staged lines (written by write_progress after the last sheet)."""
    match = sheet.match
    if not _has_status_source(match):
        raise ImportFailure(f"Tệp {sheet.file_name}: không tìm thấy cột «Tình trạng» (hoặc «Tiến độ», «Kết quả thực "
                            "hiện», hay các cột đánh dấu «Đã hoàn thành | Đang thực hiện | Chưa thực hiện») trong báo "
                            "cáo tiến độ. Không nạp dòng nào từ tệp này.")
    title_day = report_date(sheet.title_rows)
    if not (sheet.as_of or title_day or "report_date" in match.columns):
        raise ImportFailure(f"Tệp {sheet.file_name}: không biết báo cáo tiến độ tính đến ngày nào — tiêu đề không ghi "
                            "«tính đến ngày …» hay ngày báo cáo, bảng không có cột «Ngày báo cáo». Hãy dùng --as-of "
                            "YYYY-MM-DD. Không nạp dòng nào từ tệp này.")
    owner = sheet_owner(con, sheet, "báo cáo")
    known_day = sheet.as_of or title_day
    year = sheet_year(sheet, "báo cáo", fallback=known_day.year if known_day else None)
    has_numbers = "item_no" in match.columns
    walked = walk(sheet.grid, match, structure_fields=PROGRESS_ONLY)
    out = staged(result)
    out.skipped += walked.skipped
    out.groups += [(sheet.grid.sheet, row) for row in walked.groups]
    out.parts += [(sheet.grid.sheet, row, task_row) for row, task_row in walked.parts]
    named = owners_named(con)
    for line in walked.lines:
        cells = line.cells
        line_owner = owner or (named(cells["unit"]) if cells.get("unit") else None)
        day = _report_day(sheet, cells, title_day)
        line_yr = year or line_year(cells.get("year")) or (day.year if day else None)
        status, words = _status(cells)
        completed = parse_day(cells.get("completed_at"))
        ref = line.ref if has_numbers else None
        problem = _problem(cells, ref, line_owner, day, status, words, completed)
        if problem:
            out.rejects.append((sheet.grid.sheet, line.row, *problem, cells))
            continue
        out.rows.append({
            "year": line_yr, "plan_key": line_owner.plan_key, "unit_text": line_owner.text,
            "unit_key": line_owner.key, "unit_code": line_owner.code, "report_date": day, "line_no": None,
            "code": cells.get("code"), "code_key": norm_key(cells.get("code")) or None, "ref": ref,
            "ref_key": norm_key(ref) or None, "task": cells.get("task"),
            "task_key": norm_key(cells.get("task")) or None,
            "status_text": words, "status": status, "completed_date": completed,
            "document": cells.get("document") or (cells.get("result") if cells.get("status") else None),
            "file_name": sheet.file_name, "sheet": sheet.grid.sheet, "import_id": sheet.import_id,
            "row_number": line.row})


def _problem(cells: dict, ref, owner, day, status, words, completed) -> tuple[str, str] | None:
    """(field, reason) when a line cannot be loaded, in the order a person would fix them."""
    if not (cells.get("code") or ref or cells.get("task")):
        return "task", "không có mã, số thứ tự hay nội dung nhiệm vụ."
    if owner is None:
        return "unit", "thiếu đơn vị báo cáo."
    if day is None:
        return "report_date", f"ngày báo cáo «{cells.get('report_date') or ''}» không đọc được."
    if status is None:
        return "status", (f"không nhận ra tình trạng «{words}» (dùng: {status_words_text()})." if words
                          else "thiếu tình trạng thực hiện.")
    if completed is False:
        return "completed_at", f"ngày hoàn thành «{cells['completed_at']}» không đọc được (dd/mm/yyyy)."
    return None


def write_progress(con, import_id: int, file_name: str, result: dict) -> None:
    """After the file's last sheet: its reports replace what earlier loads of them held; the lines no task was
    found for are said."""
    rows = write_staged(con, result, table="task_progress", schema=SCHEMA,
                        group_cols=("year", "plan_key", "report_date"), key_col="line_no", import_id=import_id,
                        file_name=file_name, labels=FIELD_LABELS, what="dòng báo cáo")
    if rows:
        result["warnings"] += _matching_warnings(con, import_id)
    newest = max((r["report_date"] for r in rows), default=None)
    result["snapshot_date"] = newest.isoformat() if newest else None     # as dossier exports give it (--json)


def _matching_warnings(con, import_id: int) -> list[str]:
    """Lines of this file that find no task of a loaded plan (kept, and listed on the page), and lines whose
    section and STT name one task while their text names another (the number is what counted)."""
    found = con.execute(f"""
        SELECT sheet, row_number, coalesce(code, task, ref), has_plan, year, unit_text, task_no IS NULL AS unmatched,
               coalesce(code, ref), task
        FROM ({matched_progress_sql("p.import_id = $import_id")})
        WHERE task_no IS NULL OR (matched_by = 'ref' AND text_task_no IS NOT NULL AND text_task_no <> task_no)
        ORDER BY sheet, row_number""", {"import_id": import_id}).fetchall()
    unmatched = [r for r in found if r[6]]
    out = []
    for year, unit in sorted({(r[4], r[5]) for r in unmatched if not r[3]}):
        n = sum(1 for r in unmatched if not r[3] and (r[4], r[5]) == (year, unit))
        out.append(f"Chưa có kế hoạch năm {year} của {unit}: {n} dòng báo cáo chưa gắn được với nhiệm vụ nào (vẫn nạp; "
                   "sẽ tự khớp khi nạp kế hoạch).")
    others = [r for r in unmatched if r[3]]
    if others:
        out.append(f"{len(others)} dòng báo cáo không khớp mã, số thứ tự hay nội dung nhiệm vụ nào của kế hoạch (vẫn "
                   "nạp, liệt kê trên trang Kế hoạch CCHC): " + "; ".join(
                       f"{_where(r)} «{_short(r[2])}»" for r in others[:UNMATCHED_SHOWN])
                   + (" …" if len(others) > UNMATCHED_SHOWN else "") + ".")
    for r in (r for r in found if not r[6]):
        # the number that counted, then the text that points elsewhere (not the text called a number)
        out.append(f"{_where(r)}: số thứ tự «{_short(r[7])}» chỉ một nhiệm vụ, nội dung «{_short(r[8])}» lại giống một "
                   "nhiệm vụ khác của kế hoạch; đã khớp theo số thứ tự — hãy kiểm tra.")
    return out


def _where(r) -> str:
    return (f"trang {r[0]}, " if r[0] else "") + f"dòng {r[1]}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
