"""What the 766 criteria are counted from, per group of units and period, for many periods in a few queries: the
measure table, the procedure catalogue with its procedures' activity, and the loaded 766 inputs."""
from __future__ import annotations

from model.aggregates import DAY_COLUMNS
from model.facts import DOSSIER_FACTS_SQL
from model.freshness import stored_rows_in_step
from model.index766_latest import LATEST_INPUTS_SQL, LATEST_INPUTS_TABLE, index766_latest_is_fresh
from model.measures import MEASURE_BY_NAME
from model.pair_days import DAY_BITS, FIRST_DAY, PAIR_DAYS_TABLE

from ..definitions import CATALOGUE_COLUMNS
from ..database_state import database_state
from ..engine import compute_measure_sums, fresh_aggregates_in_view, periods_values_sql
from ..periods import Period
from ..scope import scope_and_tree_sql
from ..view_cache import reused_in_view, view_store
from .config import PROCEDURE_COUNTS
from .series_store import stored_totals

__all__ = ["gather", "empty_facts", "data_flags", "root_unit"]

_GROUP_EXPR = {"unit": "x.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
               None: "NULL"}
_CELL_MEASURES = ("received_new", "received_online", "received_fee_paid_online")


# Read once per view (three of the page's queries ask), the same check as the engine's: every figure of a view takes
# the same route.
fresh_aggregates = fresh_aggregates_in_view


@reused_in_view()
def stored_rows_current(con) -> bool:
    """Whether the rows stored at load for the page (model/stored_rows.py) are read: the aggregate tables current
    and the rows written with them."""
    return fresh_aggregates(con) and stored_rows_in_step(con, database_state(con))


def _group_sql(by: str | None) -> tuple[str, str]:
    """(group expression, join) over a table aliased x with a unit_code column."""
    join = "LEFT JOIN units u ON u.unit_code = x.unit_code"
    if by in ("district", "department"):
        join += " LEFT JOIN group_map gm ON gm.unit_code = x.unit_code"
    return _GROUP_EXPR[by], join


def _cells(con) -> str:
    """Receipts per unit, procedure and day: the aggregate table when it is current, else the same counts from
    the dossiers (with the measure table's own predicates, so both read alike)."""
    if fresh_aggregates(con) and all(m in DAY_COLUMNS for m in _CELL_MEASURES):
        return "agg_cells"
    counts = ", ".join(f"({MEASURE_BY_NAME[m].predicate})::INTEGER AS {m}" for m in _CELL_MEASURES)
    return f"(SELECT unit_code, procedure_key, r_date AS day, {counts} FROM ({DOSSIER_FACTS_SQL}))"


# The catalogue of each unit valid in the period (a catalogue line names a unit or a level, as the engine reads
# it) with, per procedure, whether the unit received dossiers of it in the period, online ones, paid online ones.
# Period k is bit k of a number: each day carries the bits of the periods holding it ($day_bits, a list from the
# first day $lo), so one pass over the cells
# gives every unit and procedure the periods it was active in (all periods at once, however they overlap), and
# a period's counts are those of the pairs with its bit set.
_PROCEDURES_SQL = """,
periods(k, p_key, p0, p1) AS ({periods_sql}),
unit_proc AS MATERIALIZED (   -- two equality joins, not one join on "or" (a nested loop over units × lines)
    SELECT DISTINCT u.unit_code, pu.procedure_code, p.online_level, p.has_fee, u.valid_from, u.valid_to
    FROM (SELECT unit_code AS unit_key, * FROM units UNION ALL SELECT level, * FROM units) u
    JOIN procedure_units pu ON pu.unit_code = u.unit_key
    LEFT JOIN procedures p ON p.procedure_code = pu.procedure_code
    WHERE ($scope IS NULL OR u.unit_code IN (SELECT unit_code FROM scope_units))
),
{pair_bits}
counted AS (   -- the periods each pair counts in: a catalogue procedure online (with a fee) received online (paid
               -- online), or a procedure the unit received dossiers of that its catalogue lacks (out of date?)
    SELECT pb.unit_code, up.valid_from, up.valid_to,
        CASE WHEN up.online_level IN ('full', 'partial') THEN coalesce(pb.online_bits, 0) ELSE 0 END AS dvctt_bits,
        CASE WHEN up.has_fee THEN coalesce(pb.paid_bits, 0) ELSE 0 END AS fee_bits,
        CASE WHEN up.unit_code IS NULL THEN coalesce(pb.any_bits, 0) ELSE 0 END AS off_bits
    FROM pair_bits pb LEFT JOIN unit_proc up ON up.unit_code = pb.unit_code AND up.procedure_code = pb.procedure_key
),
unit_base AS (   -- the catalogue's counts of each unit (and validity): they do not depend on the period
    SELECT unit_code, valid_from, valid_to,
        count(*) AS procedure_count,
        count(*) FILTER (WHERE online_level = 'full') AS online_procedures_full,
        count(*) FILTER (WHERE online_level = 'partial') AS online_procedures_partial,
        count(*) FILTER (WHERE online_level IN ('full', 'partial')) AS dvctt_procedures,
        count(*) FILTER (WHERE has_fee) AS fee_procedures
    FROM unit_proc GROUP BY ALL
),
per_unit AS (   -- summed per group below, so a unit's catalogue counts and its activity counts may be two rows
    SELECT pr.p_key, b.unit_code, b.procedure_count, b.online_procedures_full, b.online_procedures_partial,
           b.dvctt_procedures, 0 AS dvctt_with_online, b.fee_procedures, 0 AS fee_with_online_payment,
           0 AS procedures_off_catalogue
    FROM periods pr JOIN unit_base b ON (b.valid_from IS NULL OR b.valid_from <= pr.p1)
                                    AND (b.valid_to IS NULL OR b.valid_to >= pr.p0)
    UNION ALL   -- a catalogue procedure counts while its unit is valid in the period
    SELECT p_key, unit_code, 0, 0, 0, 0, count(*) FILTER (WHERE in_force AND dvctt), 0,
           count(*) FILTER (WHERE in_force AND fee), count(*) FILTER (WHERE off)
    FROM (SELECT pr.p_key, x.unit_code, (x.dvctt_bits >> pr.k::UBIGINT) & 1 = 1 AS dvctt,
                 (x.fee_bits >> pr.k::UBIGINT) & 1 = 1 AS fee, (x.off_bits >> pr.k::UBIGINT) & 1 = 1 AS off,
                 (x.valid_from IS NULL OR x.valid_from <= pr.p1) AND (x.valid_to IS NULL OR x.valid_to >= pr.p0)
                 AS in_force
          FROM (SELECT * FROM counted WHERE dvctt_bits | fee_bits | off_bits <> 0) x CROSS JOIN periods pr)
    WHERE (in_force AND (dvctt OR fee)) OR off   -- a row only where one counts, as the pairs' own rows would give
    GROUP BY ALL
)
SELECT x.p_key, {group_expr} AS g_key, GROUPING({group_expr}) = 1 AS is_total, {sums}
FROM per_unit x {group_join}
GROUP BY GROUPING SETS ((x.p_key, {group_expr}), (x.p_key))"""
# Whether any dossier was received (online, paid online) on a day is its net sum over the cell rows: after a load
# that moved a dossier to another procedure, unit or day, its old cell holds its +1 row and the load's -1 row until
# the table is folded (model/incremental.py), and that day had no dossier. Rows that add nothing are left out first.
_LIVE_PAIR_BITS = """pair_bits AS (
    SELECT unit_code, procedure_key, bit_or(bits) FILTER (WHERE received_new > 0) AS any_bits,
           bit_or(bits) FILTER (WHERE received_online > 0) AS online_bits,
           bit_or(bits) FILTER (WHERE received_fee_paid_online > 0) AS paid_bits
    FROM (SELECT c.unit_code, c.procedure_key, list_extract($day_bits::UBIGINT[], (c.day - $lo) + 1) AS bits,
                 sum(c.received_new) AS received_new, sum(c.received_online) AS received_online,
                 sum(c.received_fee_paid_online) AS received_fee_paid_online
          FROM {cells} c
          WHERE c.unit_code IS NOT NULL AND ($scope IS NULL OR c.unit_code IN (SELECT unit_code FROM scope_units))
            AND (c.received_new <> 0 OR c.received_online <> 0 OR c.received_fee_paid_online <> 0)
            AND c.day BETWEEN $lo AND $hi
          GROUP BY c.unit_code, c.procedure_key, c.day)
    GROUP BY ALL
),"""
# The same bits from the days stored at load (model/pair_days.py): period k's days as a mask per block of 64 days,
# a pair active in period k when its days and the mask share a bit. A few tens of thousands of rows, not a million.
_STORED_PAIR_BITS = f"""
pair_bits AS (
    SELECT a.unit_code, a.procedure_key,
           bit_or(CASE WHEN a.any_days & m.mask <> 0 THEN m.bit END) AS any_bits,
           bit_or(CASE WHEN a.online_days & m.mask <> 0 THEN m.bit END) AS online_bits,
           bit_or(CASE WHEN a.paid_days & m.mask <> 0 THEN m.bit END) AS paid_bits
    FROM {PAIR_DAYS_TABLE} a
    JOIN (SELECT day // {DAY_BITS} AS block, 1::UBIGINT << k::UBIGINT AS bit,
                 bit_or(1::UBIGINT << (day % {DAY_BITS})::UBIGINT) AS mask
          FROM (SELECT k, CAST(d AS DATE) - {FIRST_DAY} AS day FROM periods, range(p0, p1 + 1, INTERVAL 1 DAY) r(d))
          GROUP BY ALL) m ON m.block = a.block
    WHERE $scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units)
    GROUP BY ALL
),"""
_PROCEDURE_COLUMNS = [c for c, _ in CATALOGUE_COLUMNS if c != "online_procedures"] + list(PROCEDURE_COUNTS) + \
    ["procedures_off_catalogue"]
_BITS = 64   # periods per query: the bits of an UBIGINT


def _procedures(con, periods: dict[str, Period], by, scope, stored: bool | None = None) -> dict:
    """{period key: {group key or "*" (the total): the catalogue's counts and its procedures' activity}}; stored:
    the activity read from the days stored at load (True) or from the cells (False), None: stored while current."""
    keys = list(periods)
    out: dict = {}
    for start in range(0, len(keys), _BITS):
        out.update(_procedures_of(con, {k: periods[k] for k in keys[start:start + _BITS]}, by, scope, stored))
    return out


def _procedures_of(con, periods: dict[str, Period], by, scope, stored: bool | None = None) -> dict:
    params: dict = {"scope": scope, "group_level": by if by in ("district", "department") else None}
    rows = []
    for k, (key, p) in enumerate(periods.items()):
        params.update({f"k{k}": key, f"a{k}": p.start, f"b{k}": p.end})
        rows.append(f"({k}, $k{k}::VARCHAR, $a{k}::DATE, $b{k}::DATE)")
    if stored if stored is not None else stored_rows_current(con):
        pair_bits = _STORED_PAIR_BITS
    else:
        lo, hi = min(p.start for p in periods.values()), max(p.end for p in periods.values())
        day_bits = [0] * ((hi - lo).days + 1)
        for k, p in enumerate(periods.values()):
            for day in range((p.start - lo).days, (p.end - lo).days + 1):
                day_bits[day] |= 1 << k
        params.update(lo=lo, hi=hi, day_bits=day_bits)
        pair_bits = _LIVE_PAIR_BITS.format(cells=_cells(con))
    group_expr, group_join = _group_sql(by)
    sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in _PROCEDURE_COLUMNS)
    sql = scope_and_tree_sql() + _PROCEDURES_SQL.format(
        periods_sql="VALUES " + ", ".join(rows), pair_bits=pair_bits, sums=sums, group_expr=group_expr,
        group_join=group_join)
    out: dict = {}
    for p_key, g_key, is_total, *values in con.execute(sql, params).fetchall():
        row = dict(zip(_PROCEDURE_COLUMNS, (int(v or 0) for v in values)))
        row["online_procedures"] = row["online_procedures_full"] + row["online_procedures_partial"]
        out.setdefault(p_key, {})["*" if is_total else g_key] = row
    return out


# The inputs in force for each period: per unit and field, the newest load of each period lying inside the asked
# period, without a row whose period lies inside another such row's (a month under its quarter is not counted
# twice). A group takes its own unit's row when there is one (the portal's own figure for a district or the
# province), else the sum over its units.
_INPUTS_SQL = """,
periods(p_key, p0, p1) AS ({periods_sql}),
latest AS (   -- rows outside the asked periods' bounds can lie inside none of them (the window is per period);
              -- the newest row of a key: the last import's, its last line (model/index766_latest.py)
    {latest}
),
spans AS (   -- the asked periods each span of the rows lies in: a range join per distinct span, not per row
    SELECT s.period_from, s.period_to, pr.p_key
    FROM (SELECT DISTINCT period_from, period_to FROM latest) s
    JOIN periods pr ON s.period_from >= pr.p0 AND s.period_to <= pr.p1
),
inside AS (
    SELECT sp.p_key, l.* FROM latest l JOIN spans sp ON sp.period_from = l.period_from AND sp.period_to = l.period_to
    WHERE $scope IS NULL OR l.unit_code IN (SELECT unit_code FROM scope_units)
),
nested AS MATERIALIZED (   -- the spans of a period lying inside another of its spans: only a row of one of them
                          -- can lie inside another row's period (a few spans, often none: months alone)
    SELECT DISTINCT a.p_key, a.period_from, a.period_to
    FROM spans a JOIN spans b ON b.p_key = a.p_key AND b.period_from <= a.period_from AND b.period_to >= a.period_to
                             AND (b.period_from <> a.period_from OR b.period_to <> a.period_to)
),
kept AS (   -- without a row whose period lies inside another row's of the unit and field (the latest rows of a
           -- unit and field have distinct periods); the rows of the other spans are kept as they are, without
           -- looking for them among the unit and field's rows (the self-join of every row: 12 ms a view)
    SELECT r.* FROM inside r
    ANTI JOIN nested n ON n.p_key = r.p_key AND n.period_from = r.period_from AND n.period_to = r.period_to
    UNION ALL
    SELECT * FROM (SELECT r.* FROM inside r
                   SEMI JOIN nested n ON n.p_key = r.p_key AND n.period_from = r.period_from
                                     AND n.period_to = r.period_to) r
    WHERE NOT EXISTS (SELECT 1 FROM inside s
                      WHERE s.p_key = r.p_key AND s.u_key = r.u_key AND s.field = r.field
                        AND s.period_from <= r.period_from AND s.period_to >= r.period_to
                        AND (s.period_from <> r.period_from OR s.period_to <> r.period_to))
),
grouped AS (SELECT x.*, {group_expr} AS g_key FROM kept x {group_join})
SELECT p_key, g_key, GROUPING(g_key) = 1 AS is_total, field,
    sum(numerator), sum(denominator), min(period_from), max(period_to),
    sum(numerator) FILTER (WHERE unit_code = g_key), sum(denominator) FILTER (WHERE unit_code = g_key),
    sum(numerator) FILTER (WHERE unit_code = $root), sum(denominator) FILTER (WHERE unit_code = $root)
FROM grouped
GROUP BY GROUPING SETS ((p_key, field, g_key), (p_key, field))"""


def root_unit(con, scope: str | None) -> str | None:
    """The unit the whole scope is: the scoped unit, or with no scope the one unit without a parent (the province)."""
    if scope:
        return scope
    roots = con.execute("SELECT unit_code FROM units WHERE parent_code IS NULL").fetchall()
    return roots[0][0] if len(roots) == 1 else None


@reused_in_view()   # whether the newest input lines stored at load are current: asked once per view
def _latest_stored(con) -> bool:
    return index766_latest_is_fresh(con, database_state(con))


def _inputs(con, periods: dict[str, Period], by, scope) -> dict:
    periods_sql, params = periods_values_sql(periods)   # with $lo/$hi, the bounds of them all
    group_expr, group_join = _group_sql(by)
    bounds = "i.period_from >= $lo AND i.period_to <= $hi"
    latest = (f"SELECT * FROM {LATEST_INPUTS_TABLE} i WHERE {bounds}" if _latest_stored(con)
              else LATEST_INPUTS_SQL.format(where=bounds))
    sql = scope_and_tree_sql() + _INPUTS_SQL.format(periods_sql=periods_sql, group_expr=group_expr,
                                                    group_join=group_join, latest=latest)
    params.update(scope=scope, root=root_unit(con, scope), group_level=by if by in ("district", "department") else None)
    out: dict = {}
    for p_key, g_key, is_total, field, num, den, first, last, g_num, g_den, r_num, r_den in \
            con.execute(sql, params).fetchall():
        own = (r_num, r_den) if is_total else (g_num, g_den)
        if own[1] is not None:   # the group's own unit reported it: its figure, not the sum
            num, den = own
        out.setdefault(p_key, {}).setdefault("*" if is_total else g_key, {})[field] = {
            "numerator": num, "denominator": den, "from": first, "to": last}
    return out


def data_flags(con) -> dict:
    """What is loaded at all: the procedure catalogue, its fee column, the paper-result list."""
    cat, fee, paper = con.execute("""SELECT (SELECT count(*) FROM procedure_units) > 0,
                                            (SELECT count(*) FROM procedures WHERE has_fee IS NOT NULL) > 0,
                                            (SELECT count(*) FROM paper_result_procedures WHERE requires_paper_result) > 0
                                     """).fetchone()
    return {"catalogue_loaded": bool(cat), "fee_known": bool(fee), "paper_list_loaded": bool(paper)}


def empty_facts(flags: dict, measures: dict) -> dict:
    return {"measures": measures, "catalogue": {}, "procedures": {}, "inputs": {}, **flags}


def gather(con, periods: dict[str, Period], by: str | None, scope: str | None,
           totals_of: dict[str, Period] | None = None, totals_measures: frozenset | None = None) -> dict[str, dict]:
    """{period key: {"rows": {group key: facts}, "total": facts}} with facts as scoring.criterion_value reads them;
    the rows are the groups with dossiers to handle in the period (the rows of the period table; none with by None).
    totals_of: more periods whose total alone is wanted (rows {}), gathered in the same queries where that is
    cheaper. Within a page view each period's facts are kept: a page that gathers its periods up front (the selected
    period and the trend's, compute.prefetch_index766) reads them all in the queries one gathering costs.
    totals_measures: the dossier measures read of the totals_of periods (and total_to_handle), the others may be
    0 — the trend scores a total with a few of the 30 (None: all); such totals are kept apart from full ones."""
    store = view_store("index766_facts")
    if store is None:
        return _gathered(con, periods, totals_of or {}, by, scope, totals_measures)
    rows_of, totals = store.setdefault("rows", {}), store.setdefault("totals", {})
    narrow = store.setdefault("narrow", {})   # (scope, period, measures): totals with only those measures

    def total_of(p: Period, measures: frozenset | None = None):   # a full total serves a narrow call too
        return totals.get((scope, p)) or (narrow.get((scope, p, measures)) if measures is not None else None)

    def found(p: Period, rows: bool, measures: frozenset | None = None) -> bool:
        # the total of any grouping is the scope's total
        return total_of(p, measures) is not None and (not rows or by is None or (by, scope, p) in rows_of)

    def missing(periods: dict[str, Period], rows: bool, prefix: str, measures=None) -> dict[str, Period]:
        return {f"{prefix}{i}": p for i, p in enumerate(dict.fromkeys(p for p in periods.values()
                                                                      if not found(p, rows, measures)))}

    ranked = missing(periods, True, "r")
    more = {k: p for k, p in missing(totals_of or {}, False, "t", totals_measures).items()
            if p not in ranked.values()}
    if ranked or more:
        for key, got in _gathered(con, ranked, more, by, scope, totals_measures).items():
            if key in ranked:
                p = ranked[key]
                totals[(scope, p)] = got["total"]
                if by is not None:
                    rows_of[(by, scope, p)] = got["rows"]
            elif totals_measures is None:
                totals[(scope, more[key])] = got["total"]
            else:
                narrow[(scope, more[key], totals_measures)] = got["total"]
    out = {key: {"rows": {}, "total": total_of(p, totals_measures)} for key, p in (totals_of or {}).items()}
    return {**out, **{key: {"rows": rows_of[(by, scope, p)] if by is not None else {}, "total": totals[(scope, p)]}
                      for key, p in periods.items()}}


def gather_city_totals(con, periods: dict[str, Period]) -> dict[str, dict]:
    """{key: the whole city's facts of the period}, gathered from the tables (never the stored totals: the load
    storing them calls this)."""
    return {key: got["total"] for key, got in _gathered(con, {}, periods, None, None, use_stored=False).items()}


def _gathered(con, periods: dict[str, Period], totals_of: dict[str, Period], by: str | None,
              scope: str | None, totals_measures: frozenset | None = None, use_stored: bool = True) -> dict[str, dict]:
    """gather without a view: the catalogue and inputs of every period by `by` in one query each (the grouping
    costs them little), the dossiers' measures by `by` for `periods` and of the scope alone for `totals_of` (only
    totals_measures of them when given). The city's totals stored at load (series_store.py: the latest months and
    ISO weeks) are read, not gathered, unless use_stored is False (the load storing them)."""
    flags = data_flags(con)
    stored = stored_totals(con, totals_of) if use_stored and scope is None and totals_of else {}
    totals_of = {k: p for k, p in totals_of.items() if k not in stored}
    every = {**periods, **totals_of}
    measures = {**(compute_measure_sums(con, periods, by, scope) if periods else {}),
                **(compute_measure_sums(con, totals_of, None, scope, measures=totals_measures) if totals_of else {})}
    procedures, inputs = (_procedures(con, every, by, scope), _inputs(con, every, by, scope)) if every else ({}, {})
    out = {}
    for key in every:
        rows, total = measures[key]
        if key in totals_of:
            rows = {}
        else:
            # a group the catalogue or the inputs name but no dossier does is scored too (no dossiers: the zero
            # denominators' points, indicators.md §3) and ranked with its peers, not left out
            idle = (set(procedures.get(key, {})) | set(inputs.get(key, {}))) - set(rows) - {"*", None}
            rows = {**rows, **{g: dict.fromkeys(total, 0) for g in sorted(idle)}}

        def facts(g, m):
            f = empty_facts(flags, m)
            f["catalogue"] = f["procedures"] = procedures.get(key, {}).get(g, {})
            f["inputs"] = inputs.get(key, {}).get(g, {})
            return f
        out[key] = {"rows": {g: facts(g, m) for g, m in rows.items()}, "total": facts("*", total)}
    for key, got in stored.items():
        total = empty_facts(flags, got["measures"])
        total["catalogue"] = total["procedures"] = got["procedures"]
        total["inputs"] = got["inputs"]
        out[key] = {"rows": {}, "total": total}
    return out
