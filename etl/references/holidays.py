"""The public-holiday calendar working days are counted by: Vietnam's holidays from the `holidays` package (fixed and
lunar days, compensating days, and the bridge days the government announced up to that release), with the
decisions kept as data in etl/vocab/holidays.csv (a bridge day the package lacks, a city's own), which also win
over the package's name of a day."""
import csv
from datetime import date
from pathlib import Path

import holidays

from etl.core.vocab import VOCAB_DIR

HOLIDAYS_CSV = VOCAB_DIR / "holidays.csv"
# The years the calendar covers (SIPAS and the one-stop systems' oldest exports to the year after next): working
# days are counted, and due dates derived, only inside them (etl/dossiers/due_dates.py).
CALENDAR_YEARS = range(2015, date.today().year + 3)


def read_holidays(path: Path = HOLIDAYS_CSV) -> list[tuple[str, str]]:
    """(ISO date, Vietnamese name) of every holiday of CALENDAR_YEARS, sorted by date."""
    days = {day.isoformat(): name for day, name in holidays.Vietnam(years=CALENDAR_YEARS, language="vi").items()}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        days.update((row["holiday_date"], row["name"]) for row in csv.DictReader(handle) if row.get("holiday_date"))
    return sorted(days.items())
