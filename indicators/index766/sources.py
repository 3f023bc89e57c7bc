"""What the 766 criteria are counted from, per group of units and period, for many periods in a few queries: the
measure table, the procedure catalogue with its procedures' activity, and the loaded 766 inputs."""
from __future__ import annotations

from datetime import date, timedelta

from model.aggregates import DAY_COLUMNS
from model.facts import DOSSIER_FACTS_SQL
from model.freshness import aggregates_are_fresh
from model.measures import MEASURE_BY_NAME

from ..definitions import CATALOGUE_COLUMNS
from ..engine import compute_measure_sums, periods_values_sql
from ..periods import Period
from ..scope import scope_and_tree_sql
from .config import PROCEDURE_COUNTS

__all__ = ["gather", "empty_facts", "data_flags", "root_unit"]

_GROUP_EXPR = {"unit": "x.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
               None: "NULL"}
_CELL_MEASURES = ("received_new", "received_online", "received_fee_paid_online")


def _group_sql(by: str | None) -> tuple[str, str]:
    """(group expression, join) over a table aliased x with a unit_code column."""
    join = "LEFT JOIN units u ON u.unit_code = x.unit_code"
    if by in ("district", "department"):
        join += " LEFT JOIN group_map gm ON gm.unit_code = x.unit_code"
    return _GROUP_EXPR[by], join


def _cells(con) -> str:
    """Receipts per unit, procedure and day: the aggregate table when it is current, else the same counts from
    the dossiers (with the measure table's own predicates, so both read alike)."""
    if aggregates_are_fresh(con) and all(m in DAY_COLUMNS for m in _CELL_MEASURES):
        return "agg_cells"
    counts = ", ".join(f"({MEASURE_BY_NAME[m].predicate})::INTEGER AS {m}" for m in _CELL_MEASURES)
    return f"(SELECT unit_code, procedure_key, r_date AS day, {counts} FROM ({DOSSIER_FACTS_SQL}))"


# The catalogue of each unit valid in the period (a catalogue line names a unit or a level, as the engine reads
# it) with, per procedure, whether the unit received dossiers of it in the period, online ones, paid online ones.
_PROCEDURES_SQL = """,
periods(p_key, p0, p1) AS ({periods_sql}),
unit_proc AS (
    SELECT DISTINCT u.unit_code, pu.procedure_code, p.online_level, p.has_fee, u.valid_from, u.valid_to
    FROM units u JOIN procedure_units pu ON pu.unit_code = u.unit_code OR pu.unit_code = u.level
    LEFT JOIN procedures p ON p.procedure_code = pu.procedure_code
    WHERE ($scope IS NULL OR u.unit_code IN (SELECT unit_code FROM scope_units))
),
day_ranges(p_key, d0, d1) AS ({day_ranges_sql}),
bucket_map(p_key, unit, b) AS ({buckets_sql}),
picked AS (   -- only whether any dossier was received (online, paid online) is read: cells of zeros say nothing
    SELECT c.* FROM {cells} c
    WHERE c.unit_code IS NOT NULL AND ($scope IS NULL OR c.unit_code IN (SELECT unit_code FROM scope_units))
      AND (c.received_new > 0 OR c.received_online > 0 OR c.received_fee_paid_online > 0)
      AND c.day BETWEEN $lo AND $hi
),
bucket_cells AS (   -- the whole months and weeks of the periods, each counted once (not once per period and day)
    SELECT 'month' AS unit, unit_code, procedure_key, date_trunc('month', day)::DATE AS b, sum(received_new) AS n,
           sum(received_online) AS n_online, sum(received_fee_paid_online) AS n_paid
    FROM picked WHERE day BETWEEN $month_lo AND $month_hi GROUP BY ALL
    UNION ALL
    SELECT 'week', unit_code, procedure_key, date_trunc('week', day)::DATE, sum(received_new), sum(received_online),
           sum(received_fee_paid_online)
    FROM picked WHERE day BETWEEN $week_lo AND $week_hi GROUP BY ALL
),
activity AS (   -- per period: its whole months and weeks, then its other days (the ends of a period cut short)
    SELECT p_key, unit_code, procedure_key, sum(n) AS n, sum(n_online) AS n_online, sum(n_paid) AS n_paid
    FROM (SELECT bm.p_key, bc.unit_code, bc.procedure_key, bc.n, bc.n_online, bc.n_paid
          FROM bucket_cells bc JOIN bucket_map bm ON bm.unit = bc.unit AND bm.b = bc.b
          UNION ALL
          SELECT dm.p_key, c.unit_code, c.procedure_key, c.received_new, c.received_online, c.received_fee_paid_online
          FROM picked c JOIN (SELECT p_key, unnest(generate_series(d0, d1, INTERVAL 1 DAY))::DATE AS d
                              FROM day_ranges) dm ON dm.d = c.day)
    GROUP BY ALL
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
    UNION ALL   -- one pass over the activity: the catalogue's procedures with receipts online (paid online) while
                -- the unit is valid, and the procedures it received dossiers of that its catalogue lacks (the catalogue
                -- may be out of date); a row only where either holds, as two separate queries would give
    SELECT a.p_key, a.unit_code, 0, 0, 0, 0,
        count(*) FILTER (WHERE in_force AND up.online_level IN ('full', 'partial') AND a.n_online > 0),
        0, count(*) FILTER (WHERE in_force AND up.has_fee AND a.n_paid > 0),
        count(*) FILTER (WHERE up.unit_code IS NULL AND a.n > 0)
    FROM activity a JOIN periods pr ON pr.p_key = a.p_key
    LEFT JOIN unit_proc up ON up.unit_code = a.unit_code AND up.procedure_code = a.procedure_key,
    LATERAL (SELECT up.unit_code IS NOT NULL AND (up.valid_from IS NULL OR up.valid_from <= pr.p1)
                    AND (up.valid_to IS NULL OR up.valid_to >= pr.p0) AS in_force)
    GROUP BY a.p_key, a.unit_code
    HAVING count(*) FILTER (WHERE in_force AND (a.n_online > 0 OR a.n_paid > 0)) > 0
        OR count(*) FILTER (WHERE up.unit_code IS NULL AND a.n > 0) > 0
)
SELECT x.p_key, {group_expr} AS g_key, GROUPING({group_expr}) = 1 AS is_total, {sums}
FROM per_unit x {group_join}
GROUP BY GROUPING SETS ((x.p_key, {group_expr}), (x.p_key))"""
_PROCEDURE_COLUMNS = [c for c, _ in CATALOGUE_COLUMNS if c != "online_procedures"] + list(PROCEDURE_COUNTS) + \
    ["procedures_off_catalogue"]


def _whole(first: date, last: date, unit: str) -> list[date]:
    """The first days of the whole calendar months (or ISO weeks) lying in first..last."""
    def next_start(d: date) -> date:
        return Period.month(d.year, d.month).end + timedelta(days=1) if unit == "month" else d + timedelta(days=7)
    start = first if (first.day == 1 if unit == "month" else first.weekday() == 0) else \
        next_start(date(first.year, first.month, 1) if unit == "month" else first - timedelta(days=first.weekday()))
    out = []
    while next_start(start) - timedelta(days=1) <= last:
        out.append(start)
        start = next_start(start)
    return out


def _pieces(periods: dict[str, Period]) -> tuple[list, list]:
    """Each period as the whole calendar months inside it, then the whole ISO weeks of what is left, as [(key,
    'month' or 'week', first day)], and its other days as [(key, first, last)]: a month's (a week's) receipts are
    then grouped once for every period holding it, not joined day by day."""
    buckets, days = [], []

    def split(key: str, first: date, last: date, units: tuple[str, ...]) -> None:
        if first > last:
            return
        if not units:
            days.append((key, first, last))
            return
        starts = _whole(first, last, units[0])
        if not starts:
            split(key, first, last, units[1:])
            return
        buckets.extend((key, units[0], b) for b in starts)
        stop = starts[-1] + (timedelta(days=7) if units[0] == "week" else
                             Period.month(starts[-1].year, starts[-1].month).end - starts[-1] + timedelta(days=1))
        split(key, first, starts[0] - timedelta(days=1), units[1:])
        split(key, stop, last, units[1:])

    for key, p in periods.items():
        split(key, p.start, p.end, ("month", "week"))
    return buckets, days


def _values(rows: list[tuple], types: tuple[str, ...], prefix: str, params: dict) -> str:
    """rows as a bound VALUES list (an empty query of the same columns when there are none)."""
    if not rows:
        return "SELECT " + ", ".join(f"NULL::{t}" for t in types) + " WHERE false"
    out = []
    for i, row in enumerate(rows):
        names = [f"{prefix}{i}_{j}" for j in range(len(row))]
        params.update(zip(names, row))
        out.append("(" + ", ".join(f"${n}::{t}" for n, t in zip(names, types)) + ")")
    return "VALUES " + ", ".join(out)


def _procedures(con, periods: dict[str, Period], by, scope) -> dict:
    periods_sql, params = periods_values_sql(periods)   # with $lo/$hi, the bounds of them all
    buckets, days = _pieces(periods)
    group_expr, group_join = _group_sql(by)
    sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in _PROCEDURE_COLUMNS)
    sql = scope_and_tree_sql() + _PROCEDURES_SQL.format(
        periods_sql=periods_sql, cells=_cells(con), sums=sums, group_expr=group_expr, group_join=group_join,
        buckets_sql=_values(buckets, ("VARCHAR", "VARCHAR", "DATE"), "b", params),
        day_ranges_sql=_values(days, ("VARCHAR", "DATE", "DATE"), "d", params))
    params.update(scope=scope, group_level=by if by in ("district", "department") else None)
    for unit, length in (("month", None), ("week", timedelta(days=6))):   # the days the buckets of each size span
        starts = [b for _, u, b in buckets if u == unit]
        last = max(starts, default=None)
        params[f"{unit}_lo"] = min(starts, default=None)
        params[f"{unit}_hi"] = last and (last + length if length else Period.month(last.year, last.month).end)
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
latest AS (   -- rows outside the asked periods' bounds can lie inside none of them (the window is per period)
    SELECT * FROM (
        SELECT i.*, coalesce(i.unit_code, '#' || i.unit_text) AS u_key,
               row_number() OVER (PARTITION BY coalesce(i.unit_code, '#' || i.unit_text), i.period_from, i.period_to,
                                  i.field ORDER BY i.import_id DESC, i.row_number DESC) AS rn
        FROM index766_inputs i WHERE i.period_from >= $lo AND i.period_to <= $hi)
    WHERE rn = 1
),
inside AS (
    SELECT pr.p_key, l.* FROM latest l JOIN periods pr ON l.period_from >= pr.p0 AND l.period_to <= pr.p1
    WHERE $scope IS NULL OR l.unit_code IN (SELECT unit_code FROM scope_units)
),
kept AS (   -- a unit's periods of a field are distinct (latest); ordered by start, then longest first, a period
           -- lies inside another exactly when one before it ends on or after its end
    SELECT * EXCLUDE (cover_to) FROM (
        SELECT *, max(period_to) OVER (PARTITION BY p_key, u_key, field ORDER BY period_from, period_to DESC
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS cover_to
        FROM inside)
    WHERE cover_to IS NULL OR cover_to < period_to
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


def _inputs(con, periods: dict[str, Period], by, scope) -> dict:
    periods_sql, params = periods_values_sql(periods)   # with $lo/$hi, the bounds of them all
    group_expr, group_join = _group_sql(by)
    sql = scope_and_tree_sql() + _INPUTS_SQL.format(periods_sql=periods_sql, group_expr=group_expr,
                                                    group_join=group_join)
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


def gather(con, periods: dict[str, Period], by: str | None, scope: str | None) -> dict[str, dict]:
    """{period key: {"rows": {group key: facts}, "total": facts}} with facts as scoring.criterion_value reads them;
    the rows are the groups with dossiers to handle in the period (the rows of the period table)."""
    flags = data_flags(con)
    measures = compute_measure_sums(con, periods, by, scope)
    procedures, inputs = _procedures(con, periods, by, scope), _inputs(con, periods, by, scope)
    out = {}
    for key in periods:
        rows, total = measures[key]

        def facts(g, m):
            f = empty_facts(flags, m)
            f["catalogue"] = f["procedures"] = procedures.get(key, {}).get(g, {})
            f["inputs"] = inputs.get(key, {}).get(g, {})
            return f
        out[key] = {"rows": {g: facts(g, m) for g, m in rows.items()}, "total": facts("*", total)}
    return out
