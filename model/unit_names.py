"""The unit a name answers to, written out for the dashboard's read-only connection (it has no macro): the loader's
rule (etl/core/sql_macros.sql unit_code_of) for rows kept under their name, so a unit listed or aliased after them
takes them when they are read."""
from common.text import unit_short_key_sql

__all__ = ["UNIT_KEYS_SQL", "unit_by_name_sql"]

# Names one unit answers to (the loader's unit_key_codes): a key several units share names none.
UNIT_KEYS_SQL = """SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY unit_key
                   HAVING count(DISTINCT unit_code) = 1"""


def unit_by_name_sql(key: str, alias: str, when: str = "true") -> tuple[str, str]:
    """(joins, code): the LEFT JOINs to write after the FROM item that has the name's key (`key`, an SQL expression
    of a normalized name: a stored key, or common/text.py norm_key_sql of a text), and the expression of the unit
    code the name answers to (NULL: none). As unit_code_of: a name that is a key (of one unit, or of several: then of
    none) as written; any other by its short form among the short forms of every key ('~…' in unit_keys). `when`: a
    condition on the row, for rows that need no lookup (their unit code is known). `alias` prefixes the joins'
    aliases, so that two lookups can stand in one query."""
    written, known, short = f"{alias}_written", f"{alias}_known", f"{alias}_short"
    joins = f"""LEFT JOIN ({UNIT_KEYS_SQL}) {written} ON {when} AND {written}.unit_key = {key}
        LEFT JOIN (SELECT DISTINCT unit_key FROM unit_keys) {known} ON {when} AND {known}.unit_key = {key}
        LEFT JOIN ({UNIT_KEYS_SQL}) {short} ON {when} AND {short}.unit_key = '~' || {unit_short_key_sql(key)}"""
    code = f"CASE WHEN {known}.unit_key IS NOT NULL THEN {written}.unit_code ELSE {short}.unit_code END"
    return joins, code
