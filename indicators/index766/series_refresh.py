"""After a load, inside its transaction: the city's 766 facts of every calendar month and ISO week of the data
years, stored for the Chỉ số 766 page's trend (indicators/index766/series_store.py says why and when they are
read). Called by indicators/stored_figures.py."""
from __future__ import annotations

from datetime import date

import pyarrow as pa

from ..coverage import data_date_range
from ..periods import Period
from ..stored_stamp import write_stamp
from .compute import iso_weeks
from .series_store import COUNTS_TABLE, INPUTS_TABLE, PERIODS_TABLE, STATE_TABLE
from .sources import _gathered

__all__ = ["refresh_index766_series", "series_periods"]


def series_periods(first: date, last: date) -> dict[str, Period]:
    """Every calendar month and every whole ISO week of the years from first's to last's."""
    periods = {f"{y:04d}-{m:02d}": Period.month(y, m) for y in range(first.year, last.year + 1) for m in range(1, 13)}
    return {**periods, **iso_weeks(Period(date(first.year, 1, 1), date(last.year, 12, 31)))}


def refresh_index766_series(con) -> None:
    first, last = data_date_range(con)
    periods = series_periods(first, last) if first and last else {}
    gathered = _gathered(con, {}, periods, None, None, use_stored=False) if periods else {}
    spans, counts, inputs = [], [], []
    for key, p in periods.items():
        total = gathered[key]["total"]
        spans.append({"period_from": p.start, "period_to": p.end})
        counts += [{"period_from": p.start, "period_to": p.end, "part": part, "name": name, "value": value}
                   for part in ("measures", "procedures") for name, value in total[part].items()]
        inputs += [{"period_from": p.start, "period_to": p.end, "field": field, "numerator": v["numerator"],
                    "denominator": v["denominator"], "first_day": v["from"], "last_day": v["to"]}
                   for field, v in total["inputs"].items()]
    con.execute(f"""CREATE OR REPLACE TABLE {PERIODS_TABLE} (period_from DATE NOT NULL, period_to DATE NOT NULL,
                    PRIMARY KEY (period_from, period_to))""")
    con.execute(f"""CREATE OR REPLACE TABLE {COUNTS_TABLE} (period_from DATE NOT NULL, period_to DATE NOT NULL,
                    part VARCHAR NOT NULL, name VARCHAR NOT NULL, value BIGINT NOT NULL,
                    PRIMARY KEY (period_from, period_to, part, name))""")
    con.execute(f"""CREATE OR REPLACE TABLE {INPUTS_TABLE} (period_from DATE NOT NULL, period_to DATE NOT NULL,
                    field VARCHAR NOT NULL, numerator DOUBLE, denominator DOUBLE, first_day DATE, last_day DATE,
                    PRIMARY KEY (period_from, period_to, field))""")
    for table, rows in ((PERIODS_TABLE, spans), (COUNTS_TABLE, counts), (INPUTS_TABLE, inputs)):
        if rows:
            con.register("_series_rows", pa.Table.from_pylist(rows))
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _series_rows")
            finally:
                con.unregister("_series_rows")
    write_stamp(con, STATE_TABLE)
