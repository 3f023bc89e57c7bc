"""Plan targets for 2021 and 2022, taken from the Hanoi 2022 public-administration reform plan (indicators.md §4)."""
import pathlib

from .writers import write_csv_rows

COLUMNS = ["year", "scope", "indicator", "comparator", "value", "source"]

SOURCE = "Kế hoạch CCHC năm {year} (theo mẫu Hà Nội)"

# (indicator, comparator, value)
HANOI_2022 = [
    ("on_time_rate", ">", "99%"),
    ("online_rate", ">=", "30%"),
    ("sync_rate", "=", "100%"),
    ("data_reuse_rate", ">=", "30%"),
    ("paid_online_rate", ">=", "30%"),
    ("sipas", ">=", "86%"),
    ("rating_satisfaction", ">=", "90%"),
]


def build_targets() -> list[dict]:
    return [dict(year=year, scope="all", indicator=ind, comparator=cmp, value=value, source=SOURCE.format(year=year))
            for year in (2021, 2022) for ind, cmp, value in HANOI_2022]


def write_targets(path: pathlib.Path, rows: list[dict]) -> pathlib.Path:
    return write_csv_rows(path, COLUMNS, rows)
