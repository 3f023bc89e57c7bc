"""Builds the tables the pages read from the measure table: dossier events per unit × day, and the few dossiers that can be late."""
from __future__ import annotations

from dataclasses import dataclass

from .facts import CAN_BE_LATE_SQL, dossier_facts_sql
from .freshness import record_aggregate_state, stored_rows_in_step
from .stored_rows import write_stored_rows
from .late_rows import LIST_ROWS_SQL
from .measures import LATE_CELL_COLUMNS, Measure, day_measures, day_value_sql

__all__ = ["DAY_COLUMNS", "SUMMED_TABLES", "SummedTable", "build_aggregates", "field_day_follows_cells",
           "fill_aggregates", "fold", "record_folded", "signed_facts_sql"]

# Every measure counted on the receipt day or on the closing day (model/measures.py) is a column of the day
# tables; a period's figure is the sum over its days. What needs the receipt, the due date and F against the
# period at once (pending overdue, the 766 progress of dossiers received in the period) comes from
# agg_late_cells, which keeps those dates of every dossier that can be late; the stocks (carried over, pending)
# are running sums of received_new − closed.
DAY_COLUMNS: list[str] = [m.name for m in day_measures()]
_CELL_KEYS = ("unit_code", "field_key", "procedure_key")


@dataclass(frozen=True)
class SummedTable:
    """A table whose rows add up: readers sum its values over any of its keys, so two rows with equal keys
    mean the same as one row holding their sum. That lets a load append the change its dossiers make as signed
    rows (model/incremental.py) instead of rewriting the rows they touch; fold() merges them again."""
    name: str
    keys: tuple[tuple[str, str], ...]      # (column, SQL computing it from the rows summed), in column order
    sums: tuple[tuple[str, str], ...]      # (column, SQL type) of the values

    def grouped_sql(self, source: str, *, where: str = "true", keys_as_computed: bool = True,
                    sums: str | None = None) -> str:
        """The table's rows summed from source (events, facts, or the table's own rows when not
        keys_as_computed), groups whose values are all 0 left out: such a group holds no dossier (every dossier
        adds 1 to received_new or closed, or to n), so the full build never has one."""
        keys = ", ".join(f"{sql} AS {name}" if keys_as_computed else name for name, sql in self.keys)
        sums = sums or ", ".join(f"sum({c})::{t} AS {c}" for c, t in self.sums)
        nonzero = " OR ".join(f"{c} <> 0" for c, _ in self.sums)
        return f"SELECT * FROM (SELECT {keys}, {sums} FROM {source} WHERE {where} GROUP BY ALL) WHERE {nonzero}"


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((n, n) for n in names)


def _sum_type(m: Measure) -> str:
    """The column type of a measure's day sums: a count fits an INTEGER, a sum of days may need more."""
    return "BIGINT" if m.summed else "INTEGER"


_DAY_SUMS = tuple((m.name, _sum_type(m)) for m in day_measures())
SUMMED_TABLES: dict[str, SummedTable] = {t.name: t for t in (
    # unit × sector × procedure × day: serves the sector filter and the field / procedure groupings.
    SummedTable("agg_cells", _same(*_CELL_KEYS, "day"), _DAY_SUMS),
    # unit × day: every unit-shaped view (unit, level, district, department, month) reads only this.
    SummedTable("agg_unit_day", _same("unit_code", "day"), _DAY_SUMS),
    # sector × procedure × day over every unit: the city-wide sector and procedure views, without scanning the
    # unit detail (unit_code is kept, always NULL, so the same query reads any of the three day tables).
    SummedTable("agg_field_day", (("unit_code", "NULL::VARCHAR"), *_same("field_key", "procedure_key", "day")),
                _DAY_SUMS),
    # Dossiers that are late, or can be pending overdue at some period end (due < P1 < F needs F > due + 1),
    # with the columns the late measures are counted over, and how many dossiers share them.
    SummedTable("agg_late_cells", (*_same(*_CELL_KEYS), *LATE_CELL_COLUMNS.items()), (("n", "INTEGER"),)),
)}


def _events_sql(facts: str) -> str:
    """One event row per dossier on its receipt day and one on its closing day, each filling its own columns."""
    keys = ", ".join(_CELL_KEYS)

    def columns(day: str) -> str:
        return ", ".join(f"{day_value_sql(m) if m.day == day else 0} AS {m.name}" for m in day_measures())
    return f"""
        SELECT {keys}, r_date AS day, {columns('received')} FROM {facts}
        UNION ALL
        SELECT {keys}, f_date AS day, {columns('closed')} FROM {facts} WHERE f_date IS NOT NULL"""


def _day_sums_sql(facts: str, day: str) -> str:
    """The measures counted on one day kind (receipt or closing), summed per cell key (a hash of the unit,
    sector and procedure) and day: one grouping per day kind over the facts, instead of one over twice as many
    event rows holding every column, most of them the other kind's zeros."""
    column = "r_date" if day == "received" else "f_date"
    # Cast to the column's type at once: sum() of integers is a 16-byte HUGEINT, and the temp tables and the join
    # below moved 17 of them a row (agg_cells 0,53 → 0,46 s for a million dossiers).
    sums = ", ".join(f"sum({day_value_sql(m)})::{_sum_type(m)} AS {m.name}"
                     for m in day_measures() if m.day == day)
    where = "true" if day == "received" else "f_date IS NOT NULL"
    return f"SELECT hash({', '.join(_CELL_KEYS)}) AS _cell, {column} AS day, {sums} FROM {facts} WHERE {where} GROUP BY ALL"


def _build_cells(con, facts: str) -> None:
    """agg_cells of the full build, the table _events_sql's grouping makes, row for row and value for value,
    for a sixth less CPU. The cell keys are hashed (an integer groups faster than three texts) and named again
    at the end; two key triples sharing a hash would be merged, so then the events are grouped instead. Leaves
    _cell_keys, every key triple of the facts, for agg_field_day."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _cell_keys AS SELECT hash({', '.join(_CELL_KEYS)}) AS _cell, *
                    FROM (SELECT DISTINCT {', '.join(_CELL_KEYS)} FROM {facts})""")
    if con.execute("SELECT count(*) <> count(DISTINCT _cell) FROM _cell_keys").fetchall()[0][0]:
        con.execute("CREATE OR REPLACE TABLE agg_cells AS "
                    + SUMMED_TABLES["agg_cells"].grouped_sql(f"({_events_sql(facts)})"))
        return

    def merged(m: Measure) -> str:
        # As the grouping of events: a day kind without events in the row adds its zeros (no sum is NULL).
        return f"coalesce({m.name}, 0)::{_sum_type(m)} AS {m.name}"
    table = SUMMED_TABLES["agg_cells"]
    # Each day kind's sums are materialized first: as subqueries of the one statement below, DuckDB ran the two
    # groupings and the join with one of the two cores idle much of the time (1,32 → 1,05 s for a million
    # dossiers on 2 cores, the same CPU).
    for day, name in (("received", "_received_sums"), ("closed", "_closed_sums")):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {_day_sums_sql(facts, day)}")
    merged_rows = f"""SELECT coalesce(r._cell, c._cell) AS _cell, coalesce(r.day, c.day) AS day,
                             {', '.join(merged(m) for m in day_measures())}
                      FROM _received_sums r FULL OUTER JOIN _closed_sums c ON r._cell = c._cell AND r.day = c.day"""
    nonzero = " OR ".join(f"{c} <> 0" for c, _ in table.sums)
    # The merged rows go to a temp table and agg_cells is written from its scan. Written straight from the join,
    # agg_cells had four part-filled row groups (each writer thread leaves one, and the join's unmatched rows are a
    # second pipeline), side by side, which the checkpoint closing the load merged and compressed again: 0,22 s on
    # one core for a million dossiers, against 0,15 s for the temp table.
    con.execute(f"CREATE OR REPLACE TEMP TABLE _merged_sums AS SELECT * FROM ({merged_rows}) WHERE {nonzero}")
    con.execute("DROP TABLE _received_sums")
    con.execute("DROP TABLE _closed_sums")
    con.execute(f"""CREATE OR REPLACE TABLE agg_cells AS
        SELECT {', '.join('k.' + k for k in _CELL_KEYS)}, m.day, {', '.join('m.' + c for c, _ in table.sums)}
        FROM _merged_sums m JOIN _cell_keys k USING (_cell)""")
    con.execute("DROP TABLE _merged_sums")


def _build_field_day(con) -> None:
    """agg_field_day of the full build from agg_cells and the key triples _build_cells leaves in _cell_keys: the
    cells of a sector and procedure that only one unit handles are already its rows (a sum over one row is that
    row), so only the pairs several units share are grouped. Summing every cell again cost as much as building
    agg_cells when most pairs have one unit; when every pair has one, the table is a view (_follow_cells)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _shared_pairs AS {_shared_pairs_sql('_cell_keys')}")
    if con.execute("SELECT count(*) = 0 FROM _shared_pairs").fetchall()[0][0]:
        _follow_cells(con)
    else:
        shared = """EXISTS (SELECT 1 FROM _shared_pairs s WHERE s.field_key IS NOT DISTINCT FROM c.field_key
                                                          AND s.procedure_key IS NOT DISTINCT FROM c.procedure_key)"""
        _stop_following_cells(con)
        con.execute(f"""CREATE OR REPLACE TABLE agg_field_day AS {_cells_as_field_day_sql(f'NOT {shared}')}
            UNION ALL {SUMMED_TABLES['agg_field_day'].grouped_sql(f'(SELECT * FROM agg_cells c WHERE {shared})')}""")
    for name in ("_shared_pairs", "_cell_keys"):
        con.execute(f"DROP TABLE {name}")


def _cells_as_field_day_sql(where: str = "true") -> str:
    """The cells of agg_cells (those kept by where) as rows of agg_field_day, unit_code NULL: its rows for the
    (sector, procedure) pairs one unit handles."""
    table = SUMMED_TABLES["agg_field_day"]
    keys = ", ".join(f"{sql} AS {name}" for name, sql in table.keys)
    return f"SELECT {keys}, {', '.join(c for c, _ in table.sums)} FROM agg_cells c WHERE {where}"


def _shared_pairs_sql(key_triples: str) -> str:
    """The (sector, procedure) pairs two units or more handle, from distinct (unit, sector, procedure) triples (a NULL
    unit, not in the catalogue, counts as one)."""
    return f"SELECT field_key, procedure_key FROM {key_triples} GROUP BY ALL HAVING count(*) > 1"


# When no sector and procedure is handled by two units — one unit's database, or a city whose units are not in the
# catalogue yet (every unit_code NULL) — agg_field_day's rows are agg_cells's rows with unit_code NULL: it is then a
# view of agg_cells, not a copy (writing the copy was 0,36 s of a million-dossier load). Readers see the same rows
# either way. The choice is made again whenever agg_cells is written whole (the full build, a fold): a load that
# makes a pair shared leaves the view, right but no smaller than agg_cells, until then.
def field_day_follows_cells(con) -> bool:
    """Whether agg_field_day is the view of agg_cells (else a table of its own, or not built yet)."""
    return con.execute("""SELECT count(*) FROM duckdb_views() WHERE view_name = 'agg_field_day' AND NOT temporary
                          AND database_name = current_database()""").fetchall()[0][0] == 1


def _follow_cells(con) -> None:
    if not field_day_follows_cells(con):
        con.execute("DROP TABLE IF EXISTS agg_field_day")
    con.execute(f"CREATE OR REPLACE VIEW agg_field_day AS {_cells_as_field_day_sql()}")


def _stop_following_cells(con) -> None:
    if field_day_follows_cells(con):
        con.execute("DROP VIEW agg_field_day")


def _choose_field_day(con) -> None:
    """After agg_cells was folded: agg_field_day a view when every sector and procedure has one unit, else a table
    (made from the folded cells when it was the view; a table already there is folded by its own count)."""
    triples = "(SELECT DISTINCT unit_code, field_key, procedure_key FROM agg_cells)"
    shared = con.execute(f"SELECT count(*) FROM ({_shared_pairs_sql(triples)})").fetchall()[0][0]
    if not shared:
        _follow_cells(con)
    elif field_day_follows_cells(con):
        _stop_following_cells(con)
        table = SUMMED_TABLES["agg_field_day"]
        con.execute(f"CREATE TABLE agg_field_day AS {table.grouped_sql('agg_cells')}")
        record_folded(con, [table.name])


def signed_facts_sql(new_rows: str, old_rows: str | None = None) -> str:
    """The facts of new_rows counted +1 and those of old_rows −1 (dossier rows: a table or a query)."""
    sql = f"SELECT *, 1 AS _sign FROM ({dossier_facts_sql(new_rows)})"
    if old_rows:
        sql += f" UNION ALL SELECT *, -1 AS _sign FROM ({dossier_facts_sql(old_rows)})"
    return sql


def fill_aggregates(con, facts: str, *, replace: bool) -> None:
    """Sums the signed facts (a temp table from signed_facts_sql) into the summed tables and the late-dossier
    rows: as new tables (replace, the full build) or appended to the tables there (a load's change)."""
    def write(name: str) -> str:
        return f"CREATE OR REPLACE TABLE {name} AS" if replace else f"INSERT INTO {name} BY NAME"
    # The cells of these facts: the new table itself in a full build, else the change, kept apart to be appended.
    cells = "agg_cells" if replace else "_cells"
    if replace:
        _build_cells(con, facts)
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _cells AS "
                    + SUMMED_TABLES["agg_cells"].grouped_sql(f"({_events_sql(facts)})"))
    # coarser sums of the same cells
    con.execute(f"{write('agg_unit_day')} {SUMMED_TABLES['agg_unit_day'].grouped_sql(cells)}")
    if replace:
        _build_field_day(con)
    else:
        if not field_day_follows_cells(con):   # else it shows the cells appended below
            con.execute(f"INSERT INTO agg_field_day BY NAME {SUMMED_TABLES['agg_field_day'].grouped_sql(cells)}")
    if not replace:
        con.execute("INSERT INTO agg_cells BY NAME SELECT * FROM _cells")
        con.execute("DROP TABLE _cells")
    con.execute(f"{write('agg_late_cells')} "
                + SUMMED_TABLES["agg_late_cells"].grouped_sql(facts, where=CAN_BE_LATE_SQL, sums="sum(_sign)::INTEGER AS n"))
    # The rows of the late-dossier list, for the dossiers that can be late (a few per cent of them). The caller
    # deletes the rows of the dossiers a load changes, so only their new rows (+1) are written.
    con.execute(f"""{write('late_dossier_rows')} {LIST_ROWS_SQL.format(facts=f'(SELECT * FROM {facts} WHERE _sign = 1)')}
                    WHERE {CAN_BE_LATE_SQL}""")
    # The rows stored for the pages (model/stored_rows.py), the same way; rebuilt whole when not in step before.
    write_stored_rows(con, facts, replace=replace, in_step=replace or stored_rows_in_step(con))


def fold(con, table: SummedTable) -> None:
    """Merges the rows of equal keys into one and drops the groups that add up to nothing: the table the full
    build makes from the same dossiers. Not for agg_field_day while it is the view of agg_cells (nothing of its own
    to fold); folding agg_cells decides again whether it is that view."""
    con.execute(f"CREATE OR REPLACE TABLE {table.name} AS {table.grouped_sql(table.name, keys_as_computed=False)}")
    record_folded(con, [table.name])
    if table.name == "agg_cells":
        _choose_field_day(con)


def record_folded(con, names: list[str]) -> None:
    """Notes the row count of freshly folded tables: model/incremental.py folds a table again once the rows
    appended since pass a share of it."""
    con.execute("CREATE TABLE IF NOT EXISTS aggregate_folds (table_name VARCHAR PRIMARY KEY, folded_rows BIGINT)")
    for name in names:
        con.execute(f"INSERT OR REPLACE INTO aggregate_folds SELECT $name, count(*) FROM {name}", {"name": name})


def build_aggregates(con) -> None:
    """(Re)build agg_cells, agg_unit_day, agg_field_day, agg_late_cells, late_dossier_rows and aggregate_state
    from every dossier; call inside the load's transaction so readers see old or new tables, never a mix."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _facts AS {signed_facts_sql('dossiers')}")
    fill_aggregates(con, "_facts", replace=True)
    record_folded(con, list(SUMMED_TABLES))
    record_aggregate_state(con, "full")
    con.execute("DROP TABLE _facts")
