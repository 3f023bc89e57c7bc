"""The newest line of each 766 input (per unit, period and field: the last import's, its last line), stored at load in
index766_latest_inputs so a view's 766 figures start from it instead of aggregating every loaded line (a third of
their query on the full sample); rebuilt only when the loaded inputs change."""
import hashlib

from .stored_tables import refresh_stored, stored_is_fresh

__all__ = ["LATEST_INPUTS_SQL", "LATEST_INPUTS_TABLE", "refresh_index766_latest", "index766_latest_is_fresh"]

LATEST_INPUTS_TABLE = "index766_latest_inputs"
_STATE_TABLE = "index766_latest_inputs_state"

# {where}: a condition on the lines (alias i) — a view's period bounds, or none when stored. The condition is on
# the grouping's own columns (period_from, period_to), so filtering before or after the grouping gives the same rows.
LATEST_INPUTS_SQL = """SELECT coalesce(i.unit_code, '#' || i.unit_text) AS u_key, i.period_from, i.period_to, i.field,
           arg_max(i.unit_code, (i.import_id, i.row_number)) AS unit_code,
           arg_max(i.numerator, (i.import_id, i.row_number)) AS numerator,
           arg_max(i.denominator, (i.import_id, i.row_number)) AS denominator
    FROM index766_inputs i WHERE {where}
    GROUP BY ALL"""
_INPUTS = ("index766_inputs",)   # a units load attaching a unit named by its text changes its rows: covered
_LAYOUT = hashlib.sha256(LATEST_INPUTS_SQL.encode("utf-8")).hexdigest()[:16]


def _build(con) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {LATEST_INPUTS_TABLE} AS {LATEST_INPUTS_SQL.format(where='true')}")


def refresh_index766_latest(con) -> bool:
    """After a load: rebuilds index766_latest_inputs when the loaded inputs or the rule changed (True)."""
    return refresh_stored(con, _STATE_TABLE, _LAYOUT, _INPUTS, _build)


def index766_latest_is_fresh(con, state=None) -> bool:
    """Whether index766_latest_inputs may be read (model/stored_tables.py stored_is_fresh)."""
    return stored_is_fresh(con, _STATE_TABLE, _LAYOUT, state)
