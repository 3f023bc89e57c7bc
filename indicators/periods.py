"""Reporting periods (whole days, both ends inclusive) and the calendar arithmetic reports need."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from common.formats import vn_date

__all__ = ["Period"]


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
        """Move by k months; a whole-month period stays whole-month (Feb end stays the month end)."""
        n = self.whole_months()
        if n is not None:
            y, m = _add_months(self.start.year, self.start.month, k)
            ey, em = _add_months(y, m, n - 1)
            return Period(date(y, m, 1), _month_end(ey, em))
        return Period(_shift_day(self.start, k), _shift_day(self.end, k))

    def previous(self) -> "Period":
        """The period of the same kind just before: previous month / quarter / half / year, else the same
        number of days ending the day before start."""
        n = self.whole_months()
        if n is not None:
            return self.shift_months(-n)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def same_period_last_year(self) -> "Period":
        return self.shift_months(-12)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def label_vi(self) -> str:
        return f"Từ ngày {vn_date(self.start)} đến ngày {vn_date(self.end)}"

    def __str__(self) -> str:  # 2022-01-01..2022-03-31
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _shift_day(d: date, k: int) -> date:
    """Same day k months away; 31 Jan + 1 month is 28/29 Feb (the trap: date.replace raises)."""
    y, m = _add_months(d.year, d.month, k)
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
