"""The newest 766 input lines stored at load (model/index766_latest.py) are the lines the live aggregate picks, after
each load that changes the inputs (a new file, a corrected line reloaded, a units list attaching a unit named by its
text) and after one that does not; compute_index766 gives the same figures from the stored lines and live; a
database without them (made before the table existed) computes live. Files written here, loaded through etl import."""
import csv
from datetime import date

import duckdb

from etl.importer import import_paths
from indicators import Period
from indicators.index766 import compute_index766
from model.index766_latest import (LATEST_INPUTS_SQL, LATEST_INPUTS_TABLE, index766_latest_is_fresh,
                                   refresh_index766_latest)
from tests.builders import FULL_UNITS, without_stored_table

ORDER = "ORDER BY u_key, period_from, period_to, field"
HEAD = ["Đơn vị", "Kỳ", "Tiêu chí", "Tử số", "Mẫu số"]


def _csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return str(path)


def _load(db, *paths) -> None:
    _, errors = import_paths(db, list(paths), swap=False)
    assert errors == []


def _stored_and_live(db) -> tuple[list, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        assert index766_latest_is_fresh(con)
        return (con.execute(f"SELECT * FROM {LATEST_INPUTS_TABLE} {ORDER}").fetchall(),
                con.execute(f"SELECT * FROM ({LATEST_INPUTS_SQL.format(where='true')}) {ORDER}").fetchall())


def _figures(db) -> list:
    with duckdb.connect(str(db), read_only=True) as con:
        return [compute_index766(con, p, by=by) for p in (Period(date(2022, 1, 1), date(2022, 3, 31)),
                                                          Period(date(2022, 3, 1), date(2022, 3, 31)))
                for by in ("unit", "department")]


def test_stored_lines_follow_each_load_and_give_the_same_figures(tmp_path):
    db = tmp_path / "cchc.duckdb"
    units = [["code", "name", "level", "parent_code", "valid_to"]] + [[c, n, lvl, p or "", v or ""]
                                                                     for c, n, lvl, p, v in FULL_UNITS]
    _load(db, _csv(tmp_path / "units.csv", units))
    # a quarter and one of its months for Sở Tư pháp (the month is inside the quarter's row: dropped by the
    # figures, kept as a line), and a unit no list names yet
    _load(db, _csv(tmp_path / "q1.csv", [HEAD, ["Sở Tư pháp", "Quý 1/2022", "1.1", 9, 10],
                                         ["Sở Tư pháp", "Tháng 3/2022", "1.1", 2, 4],
                                         ["Phòng Mới", "Quý 1/2022", "1.1", 1, 2]]))
    stored, live = _stored_and_live(db)
    assert stored == live and len(stored) == 3
    # the quarter corrected: the newer line wins
    _load(db, _csv(tmp_path / "q1_sua.csv", [HEAD, ["Sở Tư pháp", "Quý 1/2022", "1.1", 7, 10]]))
    stored_after, live_after = _stored_and_live(db)
    assert stored_after == live_after and stored_after != stored
    assert [r[4:] for r in stored_after if r[0] == "SO_A" and r[1] == date(2022, 1, 1)] == [("SO_A", 7, 10)]
    # a units list naming "Phòng Mới": its lines join the unit
    extra = units + [["PM", "Phòng Mới", "department", "TP", ""]]
    _load(db, _csv(tmp_path / "units_2.csv", extra))
    stored, live = _stored_and_live(db)
    assert stored == live and any(r[0] == "PM" for r in stored)
    old = without_stored_table(db, tmp_path / "old.duckdb", LATEST_INPUTS_TABLE)
    with duckdb.connect(str(old), read_only=True) as con:
        assert not index766_latest_is_fresh(con)
    assert _figures(db) == _figures(old)
    with duckdb.connect(str(old)) as con:
        assert refresh_index766_latest(con) and not refresh_index766_latest(con)   # then only checked
