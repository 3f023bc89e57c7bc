"""Unit names in loaded rows and the units they name, by the one rule of etl/core/sql_macros.sql (unit_code_of,
unit_key_codes); names that name no unit are kept and listed in unmatched_units for a person to map."""


def attach_waiting_units(con, table: str) -> None:
    """Rows of table loaded under a name no unit went by then (unit_code NULL) join the unit it names now.
    table is one of the loader's own tables (never user text), so it is written into the statement."""
    # as unit_code_of, in two joins rather than a lookup per row: the name as written; else, for a name that is no
    # key at all, its short form among the short forms
    con.execute(f"""UPDATE {table} t SET unit_code = k.unit_code FROM unit_key_codes k
                    WHERE t.unit_code IS NULL AND k.unit_key = norm_key(t.unit_text)""")
    con.execute(f"""UPDATE {table} t SET unit_code = k.unit_code FROM unit_key_codes k
                    WHERE t.unit_code IS NULL AND k.unit_key = '~' || unit_short_key(norm_key(t.unit_text))
                      AND norm_key(t.unit_text) NOT IN (SELECT unit_key FROM unit_keys)""")


def record_unmatched_units(con, staged: str, file_name: str) -> list[str]:
    """The unit names of the staged rows (a loader's temp table) that name no unit, sorted; each is added to
    unmatched_units with this file and its row count, unless it is listed already."""
    names = [r[0] for r in con.execute(
        f"SELECT DISTINCT unit_text FROM {staged} WHERE unit_code IS NULL ORDER BY 1").fetchall()]
    con.execute(f"""INSERT INTO unmatched_units
        SELECT unit_text, ?, count(*) FROM {staged} WHERE unit_code IS NULL GROUP BY unit_text
        ON CONFLICT (unit_text) DO NOTHING""", [file_name])
    return names
