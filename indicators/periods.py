"""Reporting periods (whole days, both ends inclusive), the Ministry's official data windows, the shorthands of the
command line (2022-06, 2022-Q2, 2022-H1, 2022-9M, 2022) and the Vietnamese names of periods.

An official window (reporting.md §2, 581/BNV-CCHC) is its calendar period moved back to start on the 15th of the
month before and end on the 14th of its last month: Quý I 15/12 → 14/3, 6 tháng 15/12 → 14/6, Quý III 15/6 → 14/9,
9 tháng 15/12 → 14/9, Năm 15/12 → 14/12. The project's decision for a month (the spec names none): 15th of the
previous month → 14th of the month, the same rule. A window is told by its dates alone (a calendar period starts on
the 1st), so every title names it without a flag travelling beside the dates."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from common.formats import vn_date

__all__ = ["Period", "OFFICIAL_FIRST_DAY", "OFFICIAL_LAST_DAY", "PERIOD_SHORTHANDS", "parse_period",
           "official_window", "calendar_twin", "is_official", "survey_year_range", "period_name_vi", "period_short_name",
           "period_proper_name", "ROMAN"]

OFFICIAL_FIRST_DAY, OFFICIAL_LAST_DAY = 15, 14
PERIOD_SHORTHANDS = "2022-06 (tháng), 2022-Q2 (quý), 2022-H1 (6 tháng), 2022-9M (9 tháng), 2022 (năm)"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """[start, end], calendar dates, both inclusive (the statutory reports count whole days)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Kỳ báo cáo không hợp lệ: {self.start} sau {self.end}")

    # -- constructors ---------------------------------------------------------------------------------
    @classmethod
    def month(cls, y: int, m: int) -> "Period":
        return cls(date(y, m, 1), _month_end(y, m))

    @classmethod
    def quarter(cls, y: int, q: int) -> "Period":
        if q not in (1, 2, 3, 4):
            raise ValueError(f"Quý không hợp lệ: {q}")
        return cls(date(y, 3 * q - 2, 1), _month_end(y, 3 * q))

    @classmethod
    def half(cls, y: int, h: int) -> "Period":
        if h not in (1, 2):
            raise ValueError(f"Nửa năm không hợp lệ: {h}")
        return cls(date(y, 6 * h - 5, 1), _month_end(y, 6 * h))

    @classmethod
    def nine_months(cls, y: int) -> "Period":
        return cls(date(y, 1, 1), date(y, 9, 30))

    @classmethod
    def year(cls, y: int) -> "Period":
        return cls(date(y, 1, 1), date(y, 12, 31))

    # -- arithmetic -----------------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def whole_months(self) -> int | None:
        """Number of calendar months if the period is a run of whole months, else None."""
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def shift_months(self, k: int) -> "Period":
        """Move by k months; a whole-month period stays whole-month (Feb end stays the month end), an official
        window stays an official window."""
        twin = calendar_twin(self)
        if twin is not None:
            return official_window(twin.shift_months(k))
        n = self.whole_months()
        if n is not None:
            y, m = _add_months(self.start.year, self.start.month, k)
            ey, em = _add_months(y, m, n - 1)
            return Period(date(y, m, 1), _month_end(ey, em))
        return Period(_shift_day(self.start, k), _shift_day(self.end, k))

    def previous(self) -> "Period":
        """The period of the same kind just before: previous month / quarter / half / year, else the same
        number of days ending the day before start. An official window's previous is the window before it."""
        twin = calendar_twin(self)
        if twin is not None:
            return official_window(twin.previous())
        n = self.whole_months()
        if n is not None:
            return self.shift_months(-n)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def same_period_last_year(self) -> "Period":
        return self.shift_months(-12)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def label_vi(self) -> str:
        """'Từ ngày 01/04/2022 đến ngày 30/06/2022'; an official window names itself first ('Kỳ báo cáo chính thức
        Quý II/2022: từ ngày 15/03/2022 đến ngày 14/06/2022')."""
        dates = f"từ ngày {vn_date(self.start)} đến ngày {vn_date(self.end)}"
        if is_official(self):
            return f"Kỳ báo cáo chính thức {period_short_name(self)}: {dates}"
        return dates[:1].upper() + dates[1:]

    def __str__(self) -> str:  # 2022-01-01..2022-03-31
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _shift_day(d: date, k: int) -> date:
    """Same day k months away; 31 Jan + 1 month is 28/29 Feb (the trap: date.replace raises)."""
    y, m = _add_months(d.year, d.month, k)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


# ---------------------------------------------------------------------------------------------------------
# Official windows.

def official_window(calendar: Period) -> Period:
    """The Ministry's data window of a calendar run of whole months: 15th of the month before its first month →
    14th of its last month (Quý II/2022 → 15/03/2022 – 14/06/2022)."""
    if calendar.whole_months() is None:
        raise ValueError(f"Kỳ {calendar} không phải các tháng trọn vẹn: không có kỳ báo cáo chính thức tương ứng.")
    y, m = _add_months(calendar.start.year, calendar.start.month, -1)
    return Period(date(y, m, OFFICIAL_FIRST_DAY), calendar.end.replace(day=OFFICIAL_LAST_DAY))


def calendar_twin(period: Period) -> Period | None:
    """The calendar months an official window stands for (15/03/2022 – 14/06/2022 → Quý II/2022); None for a
    period that is not an official window."""
    s, e = period.start, period.end
    if s.day != OFFICIAL_FIRST_DAY or e.day != OFFICIAL_LAST_DAY or (e.year, e.month) <= (s.year, s.month):
        return None
    y, m = _add_months(s.year, s.month, 1)
    return Period(date(y, m, 1), _month_end(e.year, e.month))


def is_official(period: Period) -> bool:
    return calendar_twin(period) is not None


def survey_year_range(period: Period) -> tuple[int, int]:
    """(first, last) year a yearly survey recorded with only its year counts in: the years the period touches; for an
    official window, the years of the months it stands for (15/12/2021 – 14/12/2022 is the year 2022, not 2021 too)."""
    p = calendar_twin(period) or period
    return p.start.year, p.end.year


def parse_period(text: str, official: bool = False) -> Period:
    """A command-line shorthand as a period: 2022-06 (tháng 6), 2022-Q2 (quý II), 2022-H1 (6 tháng đầu năm),
    2022-H2, 2022-9M (9 tháng), 2022 (năm); official: the Ministry's window of it instead."""
    t = (text or "").strip().upper()
    m = re.fullmatch(r"(\d{4})(?:-(?:(\d{1,2})|Q([1-4])|H([12])|(9M)))?", t)
    if not m or not 1900 <= int(m.group(1)) <= 2100:
        raise ValueError(f"kỳ '{text}' không đúng dạng; dùng một trong: {PERIOD_SHORTHANDS}")
    y = int(m.group(1))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"tháng {month} không hợp lệ trong kỳ '{text}'")
        calendar = Period.month(y, month)
    elif m.group(3):
        calendar = Period.quarter(y, int(m.group(3)))
    elif m.group(4):
        calendar = Period.half(y, int(m.group(4)))
    elif m.group(5):
        calendar = Period.nine_months(y)
    else:
        calendar = Period.year(y)
    return official_window(calendar) if official else calendar


# ---------------------------------------------------------------------------------------------------------
# Names.

def period_short_name(period: Period) -> str:
    """Tháng 05/2022, Quý II/2022, 6 tháng đầu năm 2022, 9 tháng năm 2022, Năm 2022 — an official window by the
    period it stands for; else the dates. For sentences ("Trong Quý II/2022, …")."""
    period = calendar_twin(period) or period
    n, s, e = period.whole_months(), period.start, period.end
    if n is not None and s.year == e.year:
        if n == 1:
            return f"Tháng {s.month:02d}/{s.year}"
        if n == 3 and s.month in (1, 4, 7, 10):
            return f"Quý {ROMAN[(s.month + 2) // 3]}/{s.year}"
        if n == 6 and s.month in (1, 7):
            return f"6 tháng {'đầu' if s.month == 1 else 'cuối'} năm {s.year}"
        if n == 9 and s.month == 1:
            return f"9 tháng năm {s.year}"
        if n == 12:
            return f"Năm {s.year}"
        return f"Từ tháng {s.month:02d} đến tháng {e.month:02d}/{s.year}"
    return f"Từ ngày {vn_date(s)} đến ngày {vn_date(e)}"


def period_proper_name(period: Period) -> str | None:
    """period_short_name when the period has a name of its own (Tháng 05/2022, Quý II/2022 …); None for a run of
    dates or months that period_short_name can only describe by its bounds («Từ …»), where a title gives the dates."""
    name = period_short_name(period)
    return None if name.startswith("Từ ") else name


def period_name_vi(period: Period) -> str:
    """The name of a period in a title: Quý II/2022 …; an official window says so with its dates ("Kỳ báo cáo
    chính thức Quý II/2022 (15/03/2022 – 14/06/2022)")."""
    if is_official(period):
        return f"Kỳ báo cáo chính thức {period_short_name(period)} ({vn_date(period.start)} – {vn_date(period.end)})"
    return period_short_name(period)
