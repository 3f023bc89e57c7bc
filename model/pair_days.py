"""On which days each unit received dossiers of each procedure (online, paid online), as bits per 64 days, stored at load."""
import hashlib

from .measures import MEASURE_BY_NAME, day_value_sql

__all__ = ["PAIR_DAYS_TABLE", "PAIR_DAYS_LAYOUT", "DAY_BITS", "FIRST_DAY", "write_pair_days"]

PAIR_DAYS_TABLE = "agg_pair_days"
DAY_BITS = 64   # days per row: the bits of an UBIGINT
FIRST_DAY = "DATE '0001-01-01'"   # day numbers count from here: never negative, so block and bit are plain // and %
# Day d (days since FIRST_DAY) is bit d % 64 of block d // 64. The 766 index asks, for many periods at once, whether
# a unit received any dossier (an online one, one paid online) of a procedure within each period
# (indicators/index766/sources.py): read from the cells that is a grouping of a million rows per view, from these
# bits a few tens of thousands. Built from the net sums of the cells (a load's change rows included), so a day
# whose dossiers all moved away sets no bit.
_DAY = f"(c.day - {FIRST_DAY})"
PAIR_DAYS_SQL = f"""
    SELECT unit_code, procedure_key, block,
        bit_or(bit) FILTER (WHERE received_new > 0) AS any_days,
        bit_or(bit) FILTER (WHERE received_online > 0) AS online_days,
        bit_or(bit) FILTER (WHERE received_fee_paid_online > 0) AS paid_days
    FROM (SELECT c.unit_code, c.procedure_key, {_DAY} // {DAY_BITS} AS block,
                 1::UBIGINT << ({_DAY} % {DAY_BITS})::UBIGINT AS bit, sum(c.received_new) AS received_new,
                 sum(c.received_online) AS received_online, sum(c.received_fee_paid_online) AS received_fee_paid_online
          FROM agg_cells c {{touched}}
          WHERE c.unit_code IS NOT NULL
          GROUP BY ALL)
    WHERE received_new > 0 OR received_online > 0 OR received_fee_paid_online > 0
    GROUP BY ALL"""
PAIR_DAYS_LAYOUT = hashlib.sha256(PAIR_DAYS_SQL.encode("utf-8")).hexdigest()[:16]


# (column of the table, the day measure it marks): a day's bit is set when the measure's net sum is above 0.
_BITS = (("any_days", "received_new"), ("online_days", "received_online"), ("paid_days", "received_fee_paid_online"))


def write_pair_days(con, facts: str, *, rebuild: bool) -> None:
    """After the cells took a load's change (facts: its signed facts): the blocks of the units, procedures and
    receipt days it touched computed again; rebuild: every block."""
    if rebuild:
        con.execute(f"CREATE OR REPLACE TABLE {PAIR_DAYS_TABLE} AS {PAIR_DAYS_SQL.format(touched='')} "
                    "ORDER BY block, unit_code, procedure_key")
        return
    # The change's net value of each measure per unit, procedure and receipt day. A day's sums never go below 0,
    # so where the change adds (or leaves) every value of a block, a bit set stays set and a day the change
    # raises above 0 gets its bit: the block is its stored bits OR the change's. Only a block where some value
    # drops (a dossier moved to another unit, procedure or day, or no longer online) may lose a bit and is
    # summed again from the cells: most daily loads have none, and then the cells (~1,3 rows per dossier) are
    # not read at all.
    day = f"(r_date - {FIRST_DAY})"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _pair_change AS
        SELECT unit_code, procedure_key, {day} // {DAY_BITS} AS block, 1::UBIGINT << ({day} % {DAY_BITS})::UBIGINT AS bit,
               {', '.join(f"sum({day_value_sql(MEASURE_BY_NAME[m])}) AS {m}" for _, m in _BITS)}
        FROM {facts} WHERE unit_code IS NOT NULL AND r_date IS NOT NULL GROUP BY ALL""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _touched_blocks AS
        SELECT unit_code, procedure_key, block, bool_or({' OR '.join(f'{m} < 0' for _, m in _BITS)}) AS recount,
               {', '.join(f'bit_or(bit) FILTER (WHERE {m} > 0) AS {c}' for c, m in _BITS)}
        FROM _pair_change GROUP BY ALL""")
    same_block = ("p.unit_code = t.unit_code AND p.procedure_key IS NOT DISTINCT FROM t.procedure_key "
                  "AND p.block = t.block")
    # a column is NULL where no day of the block has its bit (bit_or over no row): kept so
    ored = ", ".join(f"coalesce(p.{c} | t.{c}, p.{c}, t.{c}) AS {c}" for c, _ in _BITS)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _ored_blocks AS
        SELECT * FROM (SELECT t.unit_code, t.procedure_key, t.block, {ored}
                       FROM _touched_blocks t LEFT JOIN {PAIR_DAYS_TABLE} p ON {same_block} WHERE NOT t.recount)
        WHERE {' OR '.join(f'{c} IS NOT NULL' for c, _ in _BITS)}""")
    con.execute(f"DELETE FROM {PAIR_DAYS_TABLE} p USING _touched_blocks t WHERE {same_block}")
    con.execute(f"INSERT INTO {PAIR_DAYS_TABLE} BY NAME SELECT * FROM _ored_blocks")
    if con.execute("SELECT count(*) FROM _touched_blocks WHERE recount").fetchall()[0][0]:
        # a dossier without a procedure counts as one procedure outside the catalogue: its key is NULL
        touched = (f"SEMI JOIN (SELECT * FROM _touched_blocks WHERE recount) t ON t.unit_code = c.unit_code "
                   f"AND t.procedure_key IS NOT DISTINCT FROM c.procedure_key "
                   f"AND t.block = {_DAY} // {DAY_BITS}")
        con.execute(f"INSERT INTO {PAIR_DAYS_TABLE} BY NAME {PAIR_DAYS_SQL.format(touched=touched)}")
    for table in ("_ored_blocks", "_touched_blocks", "_pair_change"):
        con.execute(f"DROP TABLE {table}")
