"""The rows of the 766 list of dossiers not synchronized to the national portal (criterion 1.4), stored at load."""
import hashlib

from .facts import dossier_facts_sql
from .measures import MEASURE_BY_NAME
from .units import NAMED_UNITS_SQL

__all__ = ["GAP_KINDS", "GAP_MEASURES", "UNSYNCED_ROWS_TABLE", "UNSYNCED_ROWS_SQL", "UNSYNCED_ROWS_LAYOUT", "unsynced_rows_table_exists",
           "write_unsynced_rows", "forget_changed_unsynced_rows"]

# The 766 gap lists: the dossiers its criterion's denominator counts and its numerator does not (model/measures.py),
# the same rule. Both measures count receipts: the list's dossiers per day are their difference. A dossier whose
# file had no sync (or payment) column is in neither measure, so in no list: not reported is not "not synced".
GAP_MEASURES = {"not_synced": ("received_sync_reported", "received_synced"),
                "unpaid_online": ("received_fee_paid_reported", "received_fee_paid_online")}
GAP_KINDS = {kind: f"({MEASURE_BY_NAME[plus].predicate}) AND NOT ({MEASURE_BY_NAME[minus].predicate})"
             for kind, (plus, minus) in GAP_MEASURES.items()}

UNSYNCED_ROWS_TABLE = "unsynced_dossier_rows"
# One row per received dossier of the not-synchronized list with what the list shows, in receipt order. The list
# (indicators/index766/drilldown.py) reads a few days of it instead of the period's dossiers: a day's dossiers lie
# in most row groups of the dossiers table, and reading them there cost more than any other figure of the 766
# page's view. A few per cent of the dossiers, like the late-list rows. (The list of fees not paid online holds
# about half of all dossiers: stored, it would cost loads more than it saves; it reads the dossiers.)
# {facts}: the per-dossier facts (model/facts.py) as a table or a subquery.
UNSYNCED_ROWS_SQL = f"""
    SELECT f.source, f.dossier_code, f.unit_code, coalesce(u.display_name, f.unit_text) AS unit_name,
        f.procedure_code, f.procedure_name, f.field_key AS field, f.channel, f.r_date AS received_date,
        f.f_date AS finished_date, f.fee_amount, f.status_code, f.status_text
    FROM {{facts}} f LEFT JOIN {NAMED_UNITS_SQL} u ON u.unit_code = f.unit_code
    WHERE {GAP_KINDS['not_synced']}"""
# The rules the stored rows follow: rows stored under other rules are not read (model/freshness.py stamps it).
UNSYNCED_ROWS_LAYOUT = hashlib.sha256(repr((UNSYNCED_ROWS_SQL, dossier_facts_sql("d"))).encode("utf-8")).hexdigest()[:16]


def unsynced_rows_table_exists(con) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $t AND NOT temporary",
                       {"t": UNSYNCED_ROWS_TABLE}).fetchall()[0][0] == 1


def write_unsynced_rows(con, facts: str, *, replace: bool, in_step: bool) -> None:
    """Stores the rows of the signed facts' new rows (a temp table of model/aggregates.signed_facts_sql): as a new
    table (replace, the full build), or appended to a table in step with the dossiers before the load. A table not
    in step (a database made before it existed, or left behind by an older version's load) is built again from
    every dossier, once. Built in receipt order, so that a few days' rows lie in a few row groups."""
    if replace:
        rows = f"(SELECT * FROM {facts} WHERE _sign = 1)"
    elif not in_step:
        # the dossiers table holds the load's rows already; only the list's dossiers need their facts
        listed = f"(SELECT * FROM dossiers WHERE {GAP_KINDS['not_synced']})"
        rows = f"({dossier_facts_sql(listed)})"
    else:
        con.execute(f"INSERT INTO {UNSYNCED_ROWS_TABLE} BY NAME "
                    + UNSYNCED_ROWS_SQL.format(facts=f"(SELECT * FROM {facts} WHERE _sign = 1)"))
        return
    con.execute(f"CREATE OR REPLACE TABLE {UNSYNCED_ROWS_TABLE} AS {UNSYNCED_ROWS_SQL.format(facts=rows)} "
                "ORDER BY received_date")


def forget_changed_unsynced_rows(con, changed: str) -> None:
    """A changed dossier's row is replaced whole: its old row goes (its new one comes with write_unsynced_rows)."""
    if unsynced_rows_table_exists(con):
        con.execute(f"""DELETE FROM {UNSYNCED_ROWS_TABLE} r USING {changed} a
                        WHERE r.source = a.source AND r.dossier_code = a.dossier_code""")
