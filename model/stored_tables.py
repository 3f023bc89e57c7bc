"""Tables computed at load from a few small input tables (PAR INDEX nodes, plan done rates, the SIPAS summary): rebuilt
only when an input or the rule changed, checked after every load, read only when checked after the last import."""
import duckdb

from .freshness import fingerprint, recorded_state

__all__ = ["refresh_stored", "stored_is_fresh"]


def refresh_stored(con, state_table: str, layout: str, tables: tuple[str, ...], build) -> bool:
    """After a load (inside its transaction): build(con) when the inputs `tables` or the rule `layout` changed since
    the state table was written (True), else only note that the stored table was checked after the last import
    (built_import_id keeps the import it was last built after)."""
    inputs = fingerprint(con, tables)
    recorded = recorded_state(con, state_table)
    last_import = con.execute("SELECT max(import_id) FROM import_log").fetchone()[0]
    rebuild = (recorded.get("layout"), recorded.get("inputs")) != (layout, inputs)
    if rebuild:
        build(con)
    con.execute(f"""CREATE OR REPLACE TABLE {state_table} AS
        SELECT $layout AS layout, $inputs AS inputs, $checked::INTEGER AS checked_import_id,
               $built::INTEGER AS built_import_id""",
                {"layout": layout, "inputs": inputs, "checked": last_import,
                 "built": last_import if rebuild else recorded.get("built_import_id")})
    return rebuild


def stored_is_fresh(con, state_table: str, layout: str) -> bool:
    """True when the stored table was built under `layout` and checked after the last import: a database made by an
    older version (no table) or loaded by one since (a newer import) is computed live. One query (a view asks this
    of each stored table it reads: a query to find the state table first cost as much as the check)."""
    try:
        found = con.execute(f"""SELECT layout = $layout AND checked_import_id IS NOT DISTINCT FROM
                                       (SELECT max(import_id) FROM import_log) FROM {state_table}""",
                            {"layout": layout}).fetchall()
    except (duckdb.CatalogException, duckdb.BinderException):   # made before the table (or its columns) existed
        return False
    return bool(found and found[0][0])
