"""Open the CCHC database: schema, parsing macros and vocabulary tables ready for a load."""
import os
from pathlib import Path

import duckdb
import pyarrow as pa

from common.duckdb_connect import connect_quietly
from common.text import NORM_KEY_MACRO, UNIT_SHORT_KEY_MACRO
from etl.core.schema_steps import record_every_step
from etl.core.vocab import value_phrases, value_words

_HERE = Path(__file__).parent
# The schema stays at etl/schema.sql: it is what the dashboard reads (indicators/store.py and the tests hold to it).
SCHEMA_SQL = _HERE.parent / "schema.sql"


def connect(db_path) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema created (idempotent) and the temp helpers of a load."""
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = connect_quietly(str(db_path))
    # Rows carry their own row numbers, so insertion order need not be kept; a memory ceiling makes DuckDB spill
    # large loads to disk instead of growing (the Arrow grid being read sits outside this limit).
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET memory_limit = '{os.environ.get('CCHC_MEMORY_LIMIT', '1GB')}'")
    new = not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'dossiers' AND NOT temporary"
                          ).fetchall()[0][0]
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    if new:   # nothing loaded by an earlier version to bring up to date (the first load of a city skips 0,1 s)
        record_every_step(con)
    _drop_dossier_key(con)
    con.execute(NORM_KEY_MACRO)
    con.execute(UNIT_SHORT_KEY_MACRO)
    con.execute((_HERE / "sql_macros.sql").read_text(encoding="utf-8"))
    words = value_words()
    vocab = pa.table({"field": [w[0] for w in words], "word": [w[1] for w in words], "canonical": [w[2] for w in words]})
    phrases = value_phrases()
    create_temp_table(con, "vocab_phrases", pa.table({"field": [p[0] for p in phrases], "phrase": [p[1] for p in phrases],
                                                      "canonical": [p[2] for p in phrases]}))
    create_temp_table(con, "vocab_values", vocab)
    # The skip markers (etl/vocab/skip_markers.csv) are written into the rules that use them (etl/core/rows.py).
    return con


def create_temp_table(con, name: str, table: pa.Table) -> None:
    """A temp table (this connection only) holding an Arrow table: a vocabulary or a loader's lookup."""
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _drop_dossier_key(con) -> None:
    """A database made before the dossiers table lost its primary key (etl/schema.sql says why) gets the table
    without it, once: the rows are copied into the table the schema creates now. That load also rebuilds the
    aggregate tables (its aggregate_state has no input fingerprint yet), so it costs about a full rebuild."""
    keyed = con.execute("""SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'dossiers'
                           AND constraint_type = 'PRIMARY KEY' AND schema_name = 'main'""").fetchall()[0][0]
    if not keyed:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("ALTER TABLE dossiers RENAME TO dossiers_keyed")
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))   # creates dossiers alone: the others exist
        con.execute("INSERT INTO dossiers BY NAME SELECT * FROM dossiers_keyed")
        con.execute("DROP TABLE dossiers_keyed")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
