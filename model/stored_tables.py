"""Tables computed at load from a few small input tables (PAR INDEX nodes, plan done rates, the SIPAS summary): rebuilt
only when an input or the rule changed, checked after every load, read only when checked after the last import."""
from .catalog import DatabaseState, read_database_state
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


def stored_is_fresh(con, state_table: str, layout: str, state: DatabaseState | None = None) -> bool:
    """True when the stored table was built under `layout` and checked after the last import: a database made by an
    older version (no table) or loaded by one since (a newer import) is computed live. `state`: the database as a
    view read it once (model/catalog.py: a view asks this of each stored table it reads), else read now."""
    state = state or read_database_state(con)
    recorded = state.record(state_table)
    return recorded.get("layout") == layout and recorded.get("checked_import_id") == state.last_import
