"""A plan's deadline as units write it ("Quý II", "Tháng 10-12", "Trước 30/6/2022", "Thường xuyên") → a date,
recurring, or unreadable. The readings are listed in README ("Kế hoạch CCHC"); the words are data
(etl/vocab/task_deadline_words.csv), the shapes with numbers are the patterns below."""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from common.text import norm_key, strip_diacritics
from etl.core.vocab import read_vocab

DATE = "date"
RECURRING = "recurring"
UNREADABLE = "unreadable"

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Day first, one separator throughout ("10-12/2022" is a range of months, not 10 December); and in words. Titles
# (etl/plans/titles.py) read dates with these too.
FULL_DATE = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")
WORD_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ t]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
# "Q2/2022" too: "q" only before a quarter's digit.
# "Quí" as often as "Quý"
_QUARTER = re.compile(r"(?<![a-z])(?:qu[yi]|q(?=\.?\s*[1-4](?!\d)))\.?\s*"
                      r"((?:(?:iv|iii|ii|i|[1-4])(?![a-z0-9])\s*(?:,|-|va|den|quy|\s)*\s*)+)"
                      r"(?:/\s*|nam\s*)?(\d{4})?")
_MONTH = re.compile(r"(?<![a-z])(?:thang|t)\s*(\d{1,2})((?:\s*(?:-|,|va|den|thang)\s*\d{1,2})*)"
                    r"\s*(?:(?:/|-|nam)\s*(\d{4}))?(?![\d/])")
_DAY_MONTH = re.compile(r"(?<![\d/.])(\d{1,2})\s*[/.]\s*(\d{1,2})(?![\d/.])")   # "Trước 30/6", "Trước 30.6"
# a month and its year without the word "tháng": "06/2022"
_MONTH_YEAR = re.compile(r"(?<![\d/.])(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/.])")
_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?![\d/])")
_NOTE = re.compile(r"\([^)]*\)")
# "Năm 2022 và các năm tiếp theo", "từ năm 2022 trở đi": an open-ended task, read as recurring.
_ONGOING = re.compile(r"cac nam tiep theo|nhung nam tiep theo|nam tiep theo|tro di")


@dataclass(frozen=True)
class Deadline:
    kind: str                 # date | recurring | unreadable
    date: date | None = None


@functools.lru_cache(maxsize=None)
def _words() -> dict[str, str]:
    """Normalized deadline word → meaning (recurring, year_end, first_half, nine_months)."""
    return {norm_key(r["word"]): r["meaning"] for r in read_vocab("task_deadline_words.csv")}


def _month_end(year: int, month: int) -> date | None:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:      # 31/02/2022: no such day
        return None
    return found if 2000 <= year <= 2100 else None


def _plain(text: str) -> str:
    """Lower case, no accents, notes in brackets dropped, dashes as '-', spaces collapsed."""
    text = _NOTE.sub(" ", strip_diacritics(text).lower())
    text = re.sub(r"[–—−]", "-", text)
    return " ".join(text.split()).strip(" .;:")


def _meaning_date(meaning: str, year: int) -> Deadline:
    if meaning == RECURRING:
        return Deadline(RECURRING)
    month = {"year_end": 12, "first_half": 6, "nine_months": 9}[meaning]
    return Deadline(DATE, _month_end(year, month))


def _by_words(plain: str, year: int) -> Deadline | None:
    """A deadline made of words only ("Thường xuyên", "6 tháng đầu năm"), or beginning with a recurring word."""
    key = norm_key(plain)
    words = _words()
    if key in words:
        return _meaning_date(words[key], year)
    for word, meaning in sorted(words.items(), key=lambda w: -len(w[0])):
        if meaning == RECURRING and key.startswith(word + " "):
            return Deadline(RECURRING)
    return None


def _periods(plain: str, year: int) -> list[date]:
    """Every period the text names, as its last day: quarters, months (ranges too), half or nine months."""
    ends = []
    for found in _QUARTER.finditer(plain):
        y = int(found.group(2)) if found.group(2) else year
        for token in re.findall(r"iv|iii|ii|i|[1-4]", found.group(1)):
            q = _ROMAN.get(token) or int(token)
            ends.append(_month_end(y, 3 * q))
    for found in _MONTH.finditer(plain):
        y = int(found.group(3)) if found.group(3) else year
        for m in [found.group(1)] + re.findall(r"\d{1,2}", found.group(2)):
            ends.append(_month_end(y, int(m)))
    if not ends:
        ends = [_month_end(int(y), int(m)) for m, y in _MONTH_YEAR.findall(plain)]
    return ends


def parse_deadline(text, year: int) -> Deadline:
    """The deadline a plan of `year` gives in `text`; when it names several periods or dates, the last day of the
    last one ("Tháng 10-12" → 31/12, "Quý IV/2022 - Quý I/2023" → 31/3/2023)."""
    if text is None or not str(text).strip():
        return Deadline(UNREADABLE)
    raw = str(text).strip()
    iso = _ISO.fullmatch(raw)                       # an Excel date cell, as the reader gives it
    if iso:
        found = _day(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        return Deadline(DATE, found) if found else Deadline(UNREADABLE)
    if _EXCEL_SERIAL.fullmatch(raw):
        found = date(1899, 12, 30) + timedelta(days=int(float(raw)))
        return Deadline(DATE, found) if 2000 <= found.year <= 2100 else Deadline(UNREADABLE)
    plain = _plain(raw)
    if _ONGOING.search(plain):
        return Deadline(RECURRING)
    by_words = _by_words(plain, year)
    if by_words:
        return by_words if by_words.kind == RECURRING or by_words.date else Deadline(UNREADABLE)
    candidates = [_day(int(y), int(m), int(d)) for d, m, y in
                  [(d, m, y) for d, _, m, y in FULL_DATE.findall(plain)] + WORD_DATE.findall(plain)]
    if not candidates:
        candidates = _periods(plain, year)
    if not candidates:
        half = re.search(r"(6|sau) thang (dau|cuoi) nam", plain)
        nine = re.search(r"9 thang", plain)
        if half or nine:
            y = _YEAR.search(plain)
            month = 9 if nine and not half else (6 if half.group(2) == "dau" else 12)
            candidates = [_month_end(int(y.group(1)) if y else year, month)]
    if not candidates:
        candidates = [_day(year, int(m), int(d)) for d, m in _DAY_MONTH.findall(plain)]
    if not candidates and (re.search(r"(?<![a-z])(nam|giai doan)(?![a-z])", plain)
                           or re.fullmatch(r"[\d\s-]+", plain)):
        # "Năm 2022", "Trong năm 2022", "Giai đoạn 2021-2025", "2022": the end of the last year named
        candidates = [_month_end(int(y), 12) for y in _YEAR.findall(plain)] or [_month_end(year, 12)]
    if not candidates or any(c is None for c in candidates):
        return Deadline(UNREADABLE)
    return Deadline(DATE, max(candidates))
