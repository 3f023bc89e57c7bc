"""The public-holiday calendar (etl/vocab/holidays.csv) that working days are counted by."""
import csv
from pathlib import Path

from etl.core.vocab import VOCAB_DIR

HOLIDAYS_CSV = VOCAB_DIR / "holidays.csv"


def read_holidays(path: Path = HOLIDAYS_CSV) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [(row["holiday_date"], row["name"]) for row in csv.DictReader(handle) if row.get("holiday_date")]
