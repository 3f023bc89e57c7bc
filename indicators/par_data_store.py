"""The city's own figures each PAR INDEX year is scored from (indicators/par_data.py), stored at load so that a view
of the Chỉ số CCHC page reads them instead of computing the year's period tables, SIPAS indices and 766 index.

Why: those four queries were two thirds of the page's first view (~120 of ~180 ms CPU on the full sample), and the
figures change only when data is loaded. They are computed by the same functions the page called (data_values), for
exactly the arguments it asks for: every PAR year, each peer group and all groups together, every indicator a node
may read. A view reads them only when they were written after the last import and under the rules of this version
of the code; otherwise (a load by a caller that does not store them, a database made by an older version, code or
configuration changed since: indicators/stored_stamp.py) the page computes them live as before, and the figures
are the same.

indicators/par_data_refresh.py writes them; this module reads them (indicators/par.py imports it, so it cannot import
par.py's scoring)."""
from __future__ import annotations

from model.catalog import read_database_state

from .stored_stamp import stamp_is_fresh
from .view_cache import reused_in_view

__all__ = ["VALUES_TABLE", "MISSING_TABLE", "STATE_TABLE", "EVERY_GROUP", "stored_par_data", "stored_state"]

VALUES_TABLE = "par_data_values"
MISSING_TABLE = "par_data_missing"
STATE_TABLE = "par_data_values_state"
# A peer group of None (compute_par over every group) is stored under this key.
EVERY_GROUP = ""


def _is_fresh(con) -> bool:
    return stamp_is_fresh(con, STATE_TABLE, {VALUES_TABLE, MISSING_TABLE})


@reused_in_view()   # one read per view: the year and the year before come from it
def _stored(con) -> dict | None:
    """{(year, peer group key): ({(unit, indicator): value}, {indicator: why a unit may have none})}, None when
    stale."""
    if not _is_fresh(con):
        return None
    out: dict = {}
    for year, group, indicator, reason in con.execute(f"SELECT * FROM {MISSING_TABLE}").fetchall():
        out.setdefault((year, group), ({}, {}))[1][indicator] = reason
    for year, group, unit, indicator, value in con.execute(f"SELECT * FROM {VALUES_TABLE}").fetchall():
        out[(year, group)][0][(unit, indicator)] = value
    return out


def stored_par_data(con, year: int, peer_group: str | None, needed: set[str],
                    levels: dict[str, str]) -> tuple[dict, dict] | None:
    """data_values(con, year, needed, levels)'s figures of the indicators `needed` (all the scoring of the nodes of
    `peer_group` reads; data_values also returns the SIPAS elements with "sipas"), from the stored figures; None
    when they are stale or were not stored for these indicators (the caller computes them live)."""
    stored = _stored(con)
    if stored is None:
        return None
    values, reasons = stored.get((year, EVERY_GROUP if peer_group is None else peer_group), ({}, {}))
    if not needed <= set(reasons):
        return None
    return ({(unit, ind): v for (unit, ind), v in values.items() if ind in needed and unit in levels},
            {ind: reason for ind, reason in reasons.items() if ind in needed})


def stored_state(con) -> dict:
    """The stamp as recorded (for tests and the data page): {} when the figures were never stored."""
    return read_database_state(con).record(STATE_TABLE)
