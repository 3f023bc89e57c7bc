"""The words of plans and progress reports, kept as data under etl/vocab/: header aliases (plan_aliases.csv),
status words (task_status.csv) and the reform areas section rows name (plan_areas.csv)."""
from __future__ import annotations

import functools
import re

from common.text import norm_key
from etl.core.vocab import read_vocab

# Vietnamese names of the fields, for messages.
FIELD_LABELS = {
    "year": "Năm", "unit": "Đơn vị ban hành", "code": "Mã nhiệm vụ", "item_no": "STT",
    "task": "Nội dung nhiệm vụ", "area": "Lĩnh vực", "product": "Sản phẩm", "lead_unit": "Cơ quan chủ trì",
    "supporting_units": "Cơ quan phối hợp", "deadline": "Thời gian hoàn thành", "kind": "Loại",
    "target_value": "Chỉ tiêu", "status": "Tình trạng", "result": "Kết quả thực hiện",
    "completed_at": "Ngày hoàn thành", "report_date": "Ngày báo cáo", "document": "Văn bản",
    "mark_done": "cột đánh dấu Đã hoàn thành", "mark_done_late": "cột đánh dấu Hoàn thành trễ hạn",
    "mark_in_progress": "cột đánh dấu Đang thực hiện", "mark_not_started": "cột đánh dấu Chưa thực hiện",
}
# Columns of a progress report with one tick column per status ("Đã hoàn thành | Đang thực hiện | …", an x in one).
MARK_FIELDS = {"mark_done": "done", "mark_done_late": "done_late", "mark_in_progress": "in_progress",
               "mark_not_started": "not_started"}
PROGRESS_ONLY = ("status", "result", "completed_at", "report_date", *MARK_FIELDS)
DONE = ("done", "done_late")
_NUMBER_AFTER = re.compile(r"(\d+(?:[.,]\d+)?)")


@functools.lru_cache(maxsize=None)
def _builtin_aliases(kind: str | None = None) -> tuple[tuple[str, str], ...]:
    """(field, header) pairs; a row naming kinds holds for those only. "Đơn vị" over a plan's column is the lead
    unit ("Nhiệm vụ | Đơn vị | Thời hạn"), over a compiled report's the reporting unit."""
    return tuple((r["field"], r["alias"]) for r in read_vocab("plan_aliases.csv")
                 if kind is None or not r["kinds"] or kind in r["kinds"].split(";"))


def aliases_by_field() -> dict[str, list[str]]:
    """field → its header texts, in the order of plan_aliases.csv (README's generated table)."""
    grouped: dict[str, list[str]] = {}
    for r in read_vocab("plan_aliases.csv"):
        only = {"plan_tasks": " (kế hoạch)", "task_progress": " (báo cáo tiến độ)"}.get(r["kinds"], "")
        grouped.setdefault(r["field"], []).append(r["alias"] + only)
    return grouped


def status_words() -> dict[str, list[str]]:
    """status → its words, in the order of task_status.csv (README's generated table)."""
    grouped: dict[str, list[str]] = {}
    for r in read_vocab("task_status.csv"):
        grouped.setdefault(r["status"], []).append(r["word"])
    return grouped


def plan_fields() -> frozenset[str]:
    return frozenset(f for f, _ in _builtin_aliases())


def alias_index(kind: str, extra: tuple = ()) -> dict[str, str]:
    """Normalized header → field for kind plan_tasks or task_progress: the built-in aliases, the field names
    themselves, and the user's --mapping pairs naming a plan field."""
    fields = plan_fields()
    index = {norm_key(f): f for f in fields}
    for field, alias in list(_builtin_aliases(kind)) + [(f, a) for f, a in extra if f in fields]:
        index[norm_key(alias)] = field
    return index


@functools.lru_cache(maxsize=None)
def _status_words() -> tuple[tuple[str, str], ...]:
    """(normalized word, status), longest first: "hoan thanh tre han" must be tried before "hoan thanh"."""
    words = {norm_key(r["word"]): r["status"] for r in read_vocab("task_status.csv")}
    return tuple(sorted(words.items(), key=lambda w: -len(w[0])))


def status_of(text) -> str | None:
    """done | done_late | in_progress | not_started for a status cell, or None when no status word leads it.
    "Hoàn thành (trễ hạn)" and "Hoàn thành trễ hạn 5 ngày" are done late; "Hoàn thành. Đã ban hành QĐ 12" and
    "Hoàn thành 100%" done; "Hoàn thành 80 %" is no status (a share of the work, not the task done)."""
    key = norm_key(text)
    if not key:
        return None
    for word, status in _status_words():
        if key == word:
            return status
        if key.startswith(word + " ") and not _part_done(key[len(word) + 1:], str(text)):
            return status
    return None


def _part_done(rest: str, text: str) -> bool:
    """Whether what follows the status word is a share of the work below 100 % ('Hoàn thành 80 %': no status). A
    number that is not a share keeps the status: 'Hoàn thành trễ hạn 5 ngày' is done late, 'Hoàn thành 100%' done."""
    found = _NUMBER_AFTER.match(rest)
    if not found:
        return False
    share = "%" in text or "phan tram" in rest
    return share and float(found.group(1).replace(",", ".")) < 100


def status_words_text() -> str:
    """The usual status words, as a message lists them (the whole list is etl/vocab/task_status.csv)."""
    return ("Hoàn thành, Đã hoàn thành, Hoàn thành (trễ hạn), Đang thực hiện, Đang triển khai, Chưa thực hiện, "
            "Chưa triển khai — danh sách đủ trong etl/vocab/task_status.csv")


@functools.lru_cache(maxsize=None)
def _areas() -> tuple[tuple[str, str], ...]:
    """(normalized alias, area name), longest first."""
    pairs = {norm_key(r["alias"]): r["area"] for r in read_vocab("plan_areas.csv")}
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


def area_name(text) -> str | None:
    """The reform area a section title or an area cell names ("I. CẢI CÁCH THỂ CHẾ" → "Cải cách thể chế"); a
    title naming none of them is kept as written (its first letter upper case)."""
    key = norm_key(text)
    if not key:
        return None
    padded = f" {key} "
    for alias, area in _areas():
        if f" {alias} " in padded:
            return area
    written = " ".join(str(text).split())
    return written[:1].upper() + (written[1:].lower() if written.isupper() else written[1:])

