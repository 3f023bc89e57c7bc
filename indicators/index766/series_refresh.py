"""After a load, inside its transaction: the city's 766 facts of the calendar months and ISO weeks of the latest
data (series_periods), stored for the Chỉ số 766 page's trend (indicators/index766/series_store.py says why and
when they are read). Called by indicators/stored_figures.py."""
from __future__ import annotations

from datetime import date

import duckdb

from ..coverage import data_date_range
from ..periods import Period
from ..stored_stamp import insert_rows, write_stamp
from .compute import iso_weeks
from .series_store import COUNTS_TABLE, INPUTS_TABLE, PERIODS_TABLE, STATE_TABLE
from .sources import gather_city_totals

__all__ = ["refresh_index766_series", "series_periods"]


# The trend of the page's default view, and of the view a quarter before: the 12 months to the end of the latest
# quarter (MONTHS_BEFORE months before the data's last month cover it while that quarter is not whole yet) and the
# weeks of the data's last two quarters. A bounded window, so a daily load pays the same however many years the
# database holds; other months and weeks are gathered live.
MONTHS_BEFORE = 14


def series_periods(first: date, last: date) -> dict[str, Period]:
    """The calendar months from the month MONTHS_BEFORE months before last's (not before first's month) to the end
    of last's quarter, and the whole ISO weeks of last's quarter and the quarter before."""
    quarter = (last.month - 1) // 3 + 1
    end = Period.quarter(last.year, quarter).end
    before = Period.quarter(last.year, quarter - 1) if quarter > 1 else Period.quarter(last.year - 1, 4)
    y, m = last.year, last.month - MONTHS_BEFORE
    while m < 1:
        y, m = y - 1, m + 12
    start = max(date(y, m, 1), first.replace(day=1))
    months = {}
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months[f"{y:04d}-{m:02d}"] = Period.month(y, m)
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return {**months, **iso_weeks(Period(max(before.start, start), end))}


def refresh_index766_series(con, progress=None) -> None:
    first, last = data_date_range(con)
    periods = series_periods(first, last) if first and last else {}
    try:
        totals = gather_city_totals(con, periods) if periods else {}
    except duckdb.Error:
        raise   # the load's transaction is aborted: nothing more can be written
    except Exception as exc:   # noqa: BLE001 — whatever a view of the trend would raise (a 766 configuration
        # error…): nothing stored, the page gathers live and says what it always said; the load itself goes on
        if progress:
            progress(f"Xu hướng Chỉ số 766: chưa tính sẵn được số liệu ({exc}); trang sẽ tính khi xem.")
        periods, totals = {}, {}
    spans, counts, inputs = [], [], []
    for key, p in periods.items():
        total = totals[key]
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
        insert_rows(con, table, rows)
    write_stamp(con, STATE_TABLE)
