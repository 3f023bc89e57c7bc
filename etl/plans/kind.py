"""The importer's entries for kinds plan_tasks (a unit's yearly CCHC plan) and task_progress (a report on it):
how their headers are told apart — a progress report has a status column, a plan has none — and their loaders."""
from etl.core.header import find_header
from etl.core.kind import Kind, columns_needed
from etl.plans.plan_load import read_plan_sheet, write_plans
from etl.plans.progress_load import read_progress_sheet, write_progress
from etl.plans.vocab import MARK_FIELDS, PROGRESS_ONLY, alias_index

_STATUS_SOURCES = ("status", "result", *MARK_FIELDS)
# A report names its tasks by text or code; an STT alone is not enough to tell it from other tables with a status
# column (a dossier export missing a required column must not be read as a report).
_TASK_IDS = ("task", "code")


def _recognize_plan(rows: list[list], extra_aliases: tuple, explicit: bool):
    match = find_header(rows, alias_index("plan_tasks", extra_aliases))
    if match is None:
        return None
    cols = match.columns
    is_plan = "task" in cols and ("deadline" in cols or "lead_unit" in cols) and \
        not any(f in cols for f in PROGRESS_ONLY)
    return (200 + len(cols), match) if is_plan or explicit else None


def _recognize_progress(rows: list[list], extra_aliases: tuple, explicit: bool):
    match = find_header(rows, alias_index("task_progress", extra_aliases))
    if match is None:
        return None
    cols = match.columns
    is_report = any(f in cols for f in _STATUS_SOURCES) and any(f in cols for f in _TASK_IDS)
    return (200 + len(cols), match) if is_report or explicit else None


def _plan_message(file_name: str, extra_aliases: tuple) -> str:
    return (f"Tệp {file_name}: không tìm thấy bảng nhiệm vụ của kế hoạch (cần cột «Nội dung nhiệm vụ» và «Thời gian "
            "hoàn thành» hoặc «Cơ quan chủ trì»). Không nạp dòng nào.")


def _progress_message(file_name: str, extra_aliases: tuple) -> str:
    return (f"Tệp {file_name}: không tìm thấy bảng tiến độ (cần cột «Nội dung nhiệm vụ», «Mã nhiệm vụ» hoặc «STT» và "
            "cột «Tình trạng» hoặc «Kết quả thực hiện»). Không nạp dòng nào.")


# A plan's or report's lines are counted when the whole file is written (finish_file), not sheet by sheet, so the
# importer's per-sheet check of the counts does not apply (counts_lines); write_plans/write_progress account for
# every line themselves (loaded, rejected with its row, skipped as a title, section or signature line).
def _plan_needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    match = find_header(rows, alias_index("plan_tasks", extra_aliases))
    return columns_needed(match.columns if match else {}, [
        ("Nội dung nhiệm vụ", ("task",)), ("Thời gian hoàn thành hoặc Cơ quan chủ trì", ("deadline", "lead_unit"))])


def _progress_needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    match = find_header(rows, alias_index("task_progress", extra_aliases))
    return columns_needed(match.columns if match else {}, [
        ("Nội dung nhiệm vụ hoặc Mã nhiệm vụ", _TASK_IDS), ("Tình trạng hoặc Kết quả thực hiện", _STATUS_SOURCES)])


PLAN_TASKS = Kind("plan_tasks", "kế hoạch CCHC", _recognize_plan, read_plan_sheet, _plan_message,
                  finish_file=write_plans,
                  counts_lines=lambda match: False, needs=_plan_needs)
TASK_PROGRESS = Kind("task_progress", "báo cáo tiến độ kế hoạch CCHC", _recognize_progress, read_progress_sheet,
                     _progress_message, finish_file=write_progress,
                     counts_lines=lambda match: False, needs=_progress_needs)
