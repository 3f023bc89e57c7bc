"""Plan targets for 2021 and 2022, taken from the Hanoi 2022 public-administration reform plan (indicators.md §4)."""
import csv
import pathlib

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
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
