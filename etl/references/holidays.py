"""The calendar working days are counted by: Vietnam's holidays from the `holidays` package (fixed and lunar days,
compensating days, and the bridge days the government announced up to that release) and the weekend days worked in
exchange for a bridge day, with the decisions kept as data in etl/vocab/holidays.csv (a bridge day the package lacks,
a city's own), which also win over the package for the day they name."""
import csv
from datetime import date
from pathlib import Path

import holidays

from etl.core.vocab import VOCAB_DIR

HOLIDAYS_CSV = VOCAB_DIR / "holidays.csv"
# The years the calendar covers (SIPAS and the one-stop systems' oldest exports to the year after next): working
# days are counted, and due dates derived, only inside them (etl/dossiers/due_dates.py).
CALENDAR_YEARS = range(2015, date.today().year + 3)
# etl/vocab/holidays.csv: day_type 'workday' is a weekend day worked in exchange; empty or 'off', a day off
WORKDAY = "workday"


def _decisions(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get("holiday_date")]


def read_calendar(path: Path = HOLIDAYS_CSV) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The days off and the weekend days worked in exchange of CALENDAR_YEARS, each as (ISO date, Vietnamese name)
    sorted by date: the package's calendar, then the decisions of path, which win for the day they name (a day the
    package has off that a decision makes a workday leaves the days off, and the other way round)."""
    calendar = holidays.Vietnam(years=CALENDAR_YEARS, language="vi")
    offs = {day.isoformat(): name for day, name in calendar.items()}
    # the package names the day off after the day worked: «Ngày nghỉ (thay cho ngày 04/05/2024)»
    off_for = {worked: day_off for day_off, name in calendar.items() for worked in calendar.weekend_workdays
               if worked.strftime("%d/%m/%Y") in name}
    workdays = {day.isoformat(): "Làm việc bù" + (f" cho ngày nghỉ {off_for[day]:%d/%m/%Y}" if day in off_for else "")
                for day in calendar.weekend_workdays}
    for row in _decisions(path):
        day, name = row["holiday_date"], row["name"]
        if (row.get("day_type") or "").strip() == WORKDAY:
            offs.pop(day, None)
            workdays[day] = name
        else:
            workdays.pop(day, None)
            offs[day] = name
    return sorted(offs.items()), sorted(workdays.items())


def read_holidays(path: Path = HOLIDAYS_CSV) -> list[tuple[str, str]]:
    """(ISO date, Vietnamese name) of every day off of CALENDAR_YEARS, sorted by date."""
    return read_calendar(path)[0]


def read_weekend_workdays(path: Path = HOLIDAYS_CSV) -> list[tuple[str, str]]:
    """(ISO date, Vietnamese name) of every Saturday or Sunday worked in exchange for a day off (Saturday 04/05/2024
    for Monday 29/04/2024: indicators.md counts it a working day), sorted by date."""
    return read_calendar(path)[1]


def write_calendar(con) -> None:
    """The tables `holidays` and `weekend_workdays` as the package and etl/vocab/holidays.csv say now."""
    # one statement a table: executemany ran one INSERT a day, a seventh of a second a load
    for table, days in zip(("holidays", "weekend_workdays"), read_calendar()):
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT unnest(?::DATE[]), unnest(?::VARCHAR[])",
                    [[d for d, _ in days], [n for _, n in days]])
