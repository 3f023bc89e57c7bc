"""Vietnamese working-day calendar for 2022 (with early 2023) and 2025–2027 used to place receipts and due dates."""
import numpy as np

# Public holidays on weekdays (Tết, Hùng Kings, 30/4–1/5, National Day and their compensating days).
HOLIDAYS = np.array([
    "2022-01-03",
    "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
    "2022-04-11",
    "2022-05-02", "2022-05-03",
    "2022-09-01", "2022-09-02",
    "2023-01-02",
    "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
    # 2025–2027, for the Ho Chi Minh City 2025–2026 sample (hcm2026), as the calendar stood when the sample was
    # made; the loader's calendar (etl/references/holidays.py, the `holidays` package) also has 31/08/2026 and
    # 24/11/2026 off, which only shifts a few of the sample's dates, never a figure's rule.
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
    "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27",
    "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
    "2027-01-01",
], dtype="datetime64[D]")

# Saturdays inside holiday breaks: no one-stop counter opens on these even where Saturday mornings are worked.
CLOSED_SATURDAYS = np.array(["2022-01-01", "2022-01-29", "2022-02-05", "2022-04-30",
                             "2025-01-25", "2025-02-01", "2026-02-14", "2026-02-21"], dtype="datetime64[D]")

YEAR_START = np.datetime64("2022-01-01", "D")
YEAR_END = np.datetime64("2022-12-31", "D")
# The city's action month "Tiếp nhận và giải quyết TTHC ngay trong ngày".
ACTION_START = np.datetime64("2022-05-15", "D")
ACTION_END = np.datetime64("2022-06-15", "D")


def is_workday(days: np.ndarray) -> np.ndarray:
    return np.is_busday(days, holidays=HOLIDAYS)


def is_open_saturday(days: np.ndarray) -> np.ndarray:
    # 1970-01-01 was a Thursday: (d + 3) % 7 gives Monday = 0.
    return (((days.astype("int64") + 3) % 7) == 5) & ~np.isin(days, CLOSED_SATURDAYS)


def add_workdays(days: np.ndarray, n) -> np.ndarray:
    """Day plus n working days; a non-working start rolls forward first (a Saturday receipt counts from Monday)."""
    return np.busday_offset(days, n, roll="forward", holidays=HOLIDAYS)


def workdays_between(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    return np.busday_count(start, end, holidays=HOLIDAYS)
