"""After a load, inside its transaction: the city's own figures of every PAR INDEX year stored for the Chỉ số CCHC
page (indicators/par_data_store.py says why and when they are read).

Called by indicators/stored_figures.py, which the loaders hand to the load."""
from __future__ import annotations

import duckdb

from .par import data_request, par_roster, par_years
from .par_data import data_values
from .par_data_store import EVERY_GROUP, MISSING_TABLE, STATE_TABLE, VALUES_TABLE
from .stored_stamp import insert_rows, write_stamp
from .view_cache import one_view

__all__ = ["refresh_par_data_values"]


def refresh_par_data_values(con, progress=None) -> None:
    """After a load, inside its transaction: the figures of every PAR year for each peer group and for all of them,
    and the stamp (indicators/stored_stamp.py) a view checks before reading them."""
    years = par_years(con)
    if years and progress:
        progress("Đang tính sẵn số liệu của thành phố cho Chỉ số CCHC…")
    values, missing = [], []
    # one view: the sums of a year and grouping are counted once for all the peer groups that read them
    with one_view():
        for year in years:
            groups = par_roster(con, year)["groups"]   # peer group → its name
            for group in [*groups, None]:
                try:
                    needed, levels = data_request(con, year, True, group)
                    if not needed:
                        continue
                    got, why = data_values(con, year, needed, levels)
                except duckdb.Error:
                    raise   # the load's transaction is aborted: nothing more can be written
                except Exception as exc:   # noqa: BLE001 — whatever a view of these figures would raise
                    # (a level without units that year…): nothing stored for this year and group, so the page
                    # computes them live and says what it always said; the load itself goes on
                    if progress:
                        progress(f"Chỉ số CCHC năm {year}: chưa tính sẵn được số liệu"
                                 f"{' của mọi nhóm cùng lúc' if group is None else f' của nhóm «{groups[group]}»'} ({exc}); trang sẽ tính "
                                 "khi xem.")
                    continue
                key = EVERY_GROUP if group is None else group
                values += [{"year": year, "peer_group": key, "unit_code": unit, "indicator": indicator,
                            "value": float(v)} for (unit, indicator), v in got.items()]
                # data_values gives a reason for every indicator asked for
                missing += [{"year": year, "peer_group": key, "indicator": indicator, "reason": reason}
                            for indicator, reason in why.items()]
    con.execute(f"""CREATE OR REPLACE TABLE {VALUES_TABLE} (year INTEGER NOT NULL, peer_group VARCHAR NOT NULL,
                    unit_code VARCHAR NOT NULL, indicator VARCHAR NOT NULL, value DOUBLE NOT NULL,
                    PRIMARY KEY (year, peer_group, unit_code, indicator))""")
    # every indicator asked for, with why a unit may have no value
    con.execute(f"""CREATE OR REPLACE TABLE {MISSING_TABLE} (year INTEGER NOT NULL, peer_group VARCHAR NOT NULL,
                    indicator VARCHAR NOT NULL, reason VARCHAR NOT NULL, PRIMARY KEY (year, peer_group, indicator))""")
    insert_rows(con, VALUES_TABLE, values)
    insert_rows(con, MISSING_TABLE, missing)
    write_stamp(con, STATE_TABLE)
