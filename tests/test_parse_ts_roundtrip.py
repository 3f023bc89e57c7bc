"""parse_ts (etl/core/sql_macros.sql) against Python's own formatting: random instants written in the shapes exports
use are read back to the instant, to the precision the shape keeps. An independent route for the macro's every
branch (its layout was changed to plan faster; this holds what it reads)."""
import datetime
import random

import pyarrow as pa
import pytest

from etl.core.database import connect

UTC_TO_VIETNAM = datetime.timedelta(hours=7)
# (format, what the shape keeps: 'f' microseconds, 's' seconds, 'm' minutes, 'd' the day; 'utc' written in UTC)
SHAPES = [
    ("%d/%m/%Y %H:%M:%S", "s"), ("%d/%m/%Y %H:%M", "m"), ("%d/%m/%Y", "d"), ("%-d/%-m/%Y", "d"),
    ("%d-%m-%Y %H:%M", "m"), ("%d.%m.%Y", "d"), ("%d/%m/%Y %H:%M:%S.%f", "f"),
    ("%Y-%m-%d %H:%M:%S", "s"), ("%Y-%m-%d", "d"), ("%Y/%m/%d %H:%M", "m"), ("%Y-%m-%dT%H:%M:%S", "s"),
    ("%Y-%m-%dT%H:%M:%S.000Z", "utc"), ("%Y-%m-%d %H:%M:%S+07:00", "s"), ("%Y/%m/%d %I:%M:%S %p GMT+7", "s"),
    ("%Y/%m/%d %I:%M:%S %p", "s"), ("%d/%m/%Y %I:%M:%S %p", "s"), ("%d/%m/%Y %I:%M %p", "m"),
    ("%H:%M:%S %d/%m/%Y", "s"), ("%Hh%M %d/%m/%Y", "m"), ("%H:%M - %d/%m/%Y", "m"),
    ("%d/%m/%Y, %H:%M", "m"), ("%d/%m/%Y - %H:%M", "m"), ("%d/%m/%Y %Hh%M", "m"),
    ("%Hh%M ngày %d/%m/%Y", "m"), ("%H giờ %M phút, ngày %d/%m/%Y", "m"), ("Ngày %d/%m/%Y lúc %H:%M", "m"),
    ("%d tháng %m năm %Y", "d"), ("%d/%m/%Y (%H:%M)", "m"), ("Thứ hai, %d/%m/%Y %H:%M", "m"),
    ("%d-%b-%Y %H:%M", "m"), ("%d %b %Y", "d"), ("%d-Thg%-m-%Y", "d"), ("%-d thg %-m %Y %H:%M", "m"),
    ("%Y%m%d", "d"), ("%Y%m%d%H%M%S", "s"),
]


def _expected(instant: datetime.datetime, keeps: str) -> datetime.datetime:
    if keeps == "f":
        return instant
    if keeps == "utc":
        return instant.replace(microsecond=0) + UTC_TO_VIETNAM
    if keeps == "s":
        return instant.replace(microsecond=0)
    if keeps == "m":
        return instant.replace(second=0, microsecond=0)
    return instant.replace(hour=0, minute=0, second=0, microsecond=0)


def _written(instant: datetime.datetime, shape: str) -> str:
    text = instant.strftime(shape)
    return text.replace(" AM", " SA").replace(" PM", " CH") if "GMT" not in shape and instant.day % 3 == 0 else text


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = connect(tmp_path_factory.mktemp("parse_ts") / "p.duckdb")
    yield c
    c.close()


def test_every_shape_reads_back_to_its_instant(con):
    rng = random.Random(20260106)
    texts, wanted = [], []
    for shape, keeps in SHAPES:
        for _ in range(150):
            instant = datetime.datetime(2015, 1, 1) + datetime.timedelta(
                seconds=rng.randrange(12 * 365 * 86400), microseconds=rng.randrange(10**6))
            texts.append(_written(instant, shape))
            wanted.append(_expected(instant, keeps))
    con.register("written_arrow", pa.table({"i": list(range(len(texts))), "x": texts}))
    got = dict(con.execute("SELECT i, parse_ts(x) FROM written_arrow").fetchall())
    wrong = [(texts[i], wanted[i], got[i]) for i in range(len(texts)) if got[i] != wanted[i]]
    assert wrong == []


@pytest.mark.parametrize("text", [
    "03/10/22", "32/01/2022", "01/13/2022", "Ngày 05 tháng 04 năm 2022", "08:30 - 10:30 05/04/2022",
    "05/04/2022 06/04/2022", "abc", "2022-13-01", "12345678", "05/04/2022 25:00",
])
def test_what_is_no_date_stays_unread(con, text):
    assert con.execute("SELECT parse_ts(?)", [text]).fetchall() == [(None,)]
