"""The serving route: the same measures read from the pre-aggregated tables that model/aggregates.py builds at load."""
from __future__ import annotations

from model.aggregates import DAY_COLUMNS
from model.measures import (CLOSED_ALL, LATE_CELL_COLUMNS, MEASURE_BY_NAME, OPEN_AT_END, OPEN_AT_START,
                            RECEIVED_ALL, complete,
                            late_measures)

from .scope import scope_and_tree_sql

# Day sums answer everything that depends on one date: received in [P0, P1] (receipt day), closed in [P0, P1]
# (closing day), and "open at day X" = Σ_{day ≤ X} (received − closed), which gives carried over (open at
# P0 − 1) and pending (open at P1). Three ways to the same sums, chosen by the number of periods:
# - join: each day row joined to the periods it precedes; cheapest up to a few dozen periods (choose_strategy),
#   its cost grows with periods × days;
# - running totals: each group's days summed up once, then a period is the running total at P1 minus the one at
#   P0 − 1, found by an ASOF join; cheapest for many periods (a district × month grid), its cost grows with
#   the rows and the number of columns, not with the periods;
# - direct: the join without summing the days first — with one period each stored row meets that period once, so
#   the first sum only repeated the second (a table by unit, see choose_strategy).
# - single (one period): the days before the period summed into one open count per group and the period's own
#   days into one row per group, so the second sum adds up two rows a group without a FILTER per measure (with 30
#   filtered sums over every stored day, those FILTERs were most of a period's cost: a quarter by unit 54 → 36 ms).
# The late cells answer what needs two dates at once. Every column comes from the measure table
# (model/measures.py): the day measures, the two stocks and the late measures.
_DAYS = """,
periods(p_key, p0, p1) AS ({periods_sql}),
days AS (
    SELECT {days_key} AS g_key, {days_day} AS day, {day_sums}
    FROM {table} a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.day <= $hi
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
    {days_group_by}
),"""

# join: history before the earliest P0 folded into one row per group, dated 1/1/1.
_JOIN_DAYS = ("{group_expr}", "CASE WHEN a.day >= $lo THEN a.day ELSE DATE '0001-01-01' END")
_DAY_SUMS_BY_JOIN = """
day_sums AS (
    SELECT p.p_key, d.g_key, GROUPING(d.g_key) = 1 AS is_total,
        coalesce(sum({open_count}) FILTER (WHERE d.day < p.p0), 0) AS {open_at_start},
        coalesce(sum({open_count}), 0) AS {open_at_end},
        {join_sums}
    FROM days d JOIN periods p ON d.day <= p.p1
    GROUP BY GROUPING SETS ((p.p_key, d.g_key), (p.p_key))
),
"""

# direct: the stored rows as they are (one per unit and day, or finer), the sums left to day_sums.
_DIRECT_DAYS = ("{group_expr}", "a.day")

# single: replaces _DAYS (two scans, the history's open count alone; other columns NULL through UNION ALL BY NAME).
_SINGLE_DAYS = """,
periods(p_key, p0, p1) AS ({periods_sql}),
days AS (
    SELECT {group_expr} AS g_key, DATE '0001-01-01' AS day, sum(a.{received} - a.{closed}) AS open_count
    FROM {table} a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.day < $lo
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
    GROUP BY ALL HAVING count(*) > 0   -- without a group key (NULL) an empty scan would still give a row
    UNION ALL BY NAME
    SELECT {group_expr} AS g_key, $lo::DATE AS day, sum(a.{received} - a.{closed}) AS open_count, {day_sums}
    FROM {table} a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.day >= $lo AND a.day <= $hi
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
    GROUP BY ALL HAVING count(*) > 0
),"""
_DAY_SUMS_OF_SINGLE = """
day_sums AS (
    SELECT p.p_key, d.g_key, GROUPING(d.g_key) = 1 AS is_total,
        coalesce(sum(d.open_count) FILTER (WHERE d.day < p.p0), 0) AS {open_at_start},
        coalesce(sum(d.open_count), 0) AS {open_at_end},
        {single_sums}
    FROM days d CROSS JOIN periods p
    GROUP BY GROUPING SETS ((p.p_key, d.g_key), (p.p_key))
),
"""

# running: the group key as text with a stand-in for NULL, as ASOF joins match keys with '=' only.
_RUNNING_DAYS = ("coalesce(CAST({group_expr} AS VARCHAR), chr(0))", "a.day")
_DAY_SUMS_BY_RUNNING_TOTALS = """
running AS (
    SELECT g_key, day, sum({open_count}) OVER w AS open_count, {running_sums}
    FROM days
    WINDOW w AS (PARTITION BY g_key ORDER BY day ROWS UNBOUNDED PRECEDING)
),
cells AS (
    SELECT g.g_key, p.p_key, p.p0 - 1 AS before_p0, p.p1 FROM (SELECT DISTINCT g_key FROM days) g, periods p
),
at_end AS (
    SELECT c.g_key, c.p_key, r.* EXCLUDE (g_key, day)
    FROM cells c ASOF LEFT JOIN running r ON c.g_key = r.g_key AND c.p1 >= r.day
),
at_start AS (
    SELECT c.g_key, c.p_key, r.* EXCLUDE (g_key, day)
    FROM cells c ASOF LEFT JOIN running r ON c.g_key = r.g_key AND c.before_p0 >= r.day
),
day_sums AS (
    SELECT e.p_key, nullif(e.g_key, chr(0)) AS g_key, GROUPING(e.g_key) = 1 AS is_total,
        coalesce(sum(s.open_count), 0) AS {open_at_start},
        coalesce(sum(e.open_count), 0) AS {open_at_end},
        {period_sums}
    FROM at_end e JOIN at_start s ON s.g_key = e.g_key AND s.p_key = e.p_key
    GROUP BY GROUPING SETS ((e.p_key, e.g_key), (e.p_key))
),
"""

_LATE_SQL = """late_rows AS (
    SELECT {group_expr} AS g_key, {late_cell_columns}, sum(a.n) AS n
    FROM agg_late_cells a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.r_date <= $hi AND a.f_end >= $lo
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
    GROUP BY ALL
),
late_sums AS (
    SELECT p_key, g_key, GROUPING(g_key) = 1 AS is_total,
        {late_sums}
    FROM (SELECT l.*, p.p_key, p.p0, p.p1
          FROM late_rows l JOIN periods p ON l.r_date <= p.p1 AND l.f_end >= p.p0)
    GROUP BY GROUPING SETS ((p_key, g_key), (p_key))
)
SELECT d.p_key, d.g_key, d.is_total, d.* EXCLUDE (p_key, g_key, is_total), {late_columns}
FROM day_sums d
LEFT JOIN late_sums l ON l.p_key IS NOT DISTINCT FROM d.p_key AND l.g_key IS NOT DISTINCT FROM d.g_key
                     AND l.is_total = d.is_total"""

GROUP_EXPR = {
    "unit": "a.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
    "field": "a.field_key", "procedure": "a.procedure_key", "month": "NULL", None: "NULL",
}
_LATE_COLUMNS = [m.name for m in late_measures()]
# Without a late measure asked for (narrow sums, see columns_for): the late cells are not read, their columns are 0.
_NO_LATE_SELECT = """
SELECT d.p_key, d.g_key, d.is_total, d.* EXCLUDE (p_key, g_key, is_total), {late_zeros}
FROM day_sums d"""


def columns_for(measures) -> tuple[list[str], bool]:
    """The day columns (in table order) and whether the late cells are needed to count `measures` (derived ones
    through their terms): a figure that reads two measures of every unit sums those, not all 30 (Hài lòng's
    rating by unit). The two stocks and the dossiers received and closed are always counted (a group is listed
    when it had dossiers to handle)."""
    base, todo = set(), list(measures)
    while todo:
        m = MEASURE_BY_NAME[todo.pop()]
        if m.day == "derived":
            todo += [t for t, _ in m.terms]
        else:
            base.add(m.name)
    cols = [c for c in DAY_COLUMNS if c in base or c in (RECEIVED_ALL, CLOSED_ALL)]
    return cols, any(m in base for m in _LATE_COLUMNS)


STRATEGIES = ("join", "running", "direct", "single")


def build_sql(by: str | None, periods_sql: str, with_field: bool, with_scope: bool, strategy: str,
              predecessors: bool = False, columns: list[str] | None = None, late: bool = True) -> str:
    # The unit × day table is enough unless the sector or the procedure is asked for; then the sector ×
    # procedure × day table when no unit matters (no scope, no unit grouping), else the full detail.
    detailed = with_field or by in ("field", "procedure")
    unit_free = not with_scope and by in ("field", "procedure", None)
    table = ("agg_field_day" if unit_free else "agg_cells") if detailed else "agg_unit_day"
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = a.unit_code" if by in ("district", "department") else ""
    if strategy == "single":
        days, day_sums = _SINGLE_DAYS, _DAY_SUMS_OF_SINGLE
    else:
        (days_key, days_day), day_sums = {"join": (_JOIN_DAYS, _DAY_SUMS_BY_JOIN),
                                          "direct": (_DIRECT_DAYS, _DAY_SUMS_BY_JOIN),
                                          "running": (_RUNNING_DAYS, _DAY_SUMS_BY_RUNNING_TOTALS)}[strategy]
        days = (_DAYS.replace("{days_key}", days_key).replace("{days_day}", days_day)
                .replace("{days_group_by}", "" if strategy == "direct" else "GROUP BY ALL"))
    direct = strategy == "direct"
    cols = DAY_COLUMNS if columns is None else columns
    body = days + day_sums + _LATE_SQL if late else (days + day_sums).rstrip().rstrip(",") + _NO_LATE_SELECT
    return scope_and_tree_sql(predecessors) + body.format(
        periods_sql=periods_sql, group_expr=GROUP_EXPR[by], group_join=group_join,
        table=table,
        field_filter="AND a.field_key = $field" if with_field else "",
        open_count=f"{RECEIVED_ALL} - {CLOSED_ALL}", open_at_start=OPEN_AT_START, open_at_end=OPEN_AT_END,
        received=RECEIVED_ALL, closed=CLOSED_ALL,
        single_sums=",\n        ".join(f"coalesce(sum(d.{c}), 0) AS {c}" for c in cols),
        late_cell_columns=", ".join(f"a.{c}" for c in LATE_CELL_COLUMNS),
        day_sums=", ".join(f"a.{c}" if direct else f"sum(a.{c}) AS {c}" for c in cols),
        running_sums=", ".join(f"sum({c}) OVER w AS {c}" for c in cols),
        join_sums=",\n        ".join(f"coalesce(sum(d.{c}) FILTER (WHERE d.day >= p.p0), 0) AS {c}"
                                     for c in cols),
        period_sums=",\n        ".join(f"coalesce(sum(coalesce(e.{c}, 0) - coalesce(s.{c}, 0)), 0) AS {c}"
                                       for c in cols),
        late_sums=",\n        ".join(f"sum(n) FILTER (WHERE {m.predicate}) AS {m.name}" for m in late_measures()),
        late_columns=", ".join(f"coalesce(l.{c}, 0)" for c in _LATE_COLUMNS),
        late_zeros=", ".join("0" for _ in _LATE_COLUMNS))


def choose_strategy(period_count: int, by: str | None = None) -> str:
    """Measured on the full sample (9 M dossiers, 1 DuckDB thread; benchmarks/indicators.py measured 1 M and 10 M
    before the per-view sums and found the join best up to three periods): the join wins up to a year of months
    and the same months a year before — 16 periods by department 131 → 75 ms, the scope's 52 → 40, by unit
    1.190 → 608; 24 months by department 133 → 68 — and still at 52 weeks (169 → 130): running totals only beyond
    that, where the join's rows × periods grows. For one period by unit the join of the stored rows as they are
    (year 2022 123 → 66 ms, a quarter 63 → 59; by department the days summed first stay cheaper, 38 vs 48 ms);
    now for one period, whatever the grouping, the two rows a group of 'single' (a quarter by unit 54 → 36 ms)."""
    if period_count == 1:
        return "single"
    return "join" if period_count <= JOIN_UP_TO else "running"


JOIN_UP_TO = 26   # periods: a year of months, the same months a year before and the month before the first (25)


def run(con, by, periods_sql: str, params: dict, strategy: str = "join", predecessors: bool = False,
        measures=None) -> list[tuple]:
    """(p_key, g_key, is_total, {measure: int}) per period and group, and per period for the total;
    strategy 'join', 'direct', 'running' or 'single' (see above; 'single' answers one period only). measures: only
    these are counted right (columns_for), the others are 0 — for a caller that reads these alone."""
    cols, late = (DAY_COLUMNS, True) if measures is None else columns_for(measures)
    names = [OPEN_AT_START, OPEN_AT_END, *cols, *_LATE_COLUMNS]
    zeros = dict.fromkeys(DAY_COLUMNS, 0) if measures is not None else {}
    out = []
    with_field = params.get("field") is not None
    if not with_field:   # DuckDB refuses parameters the statement does not use
        params = {k: v for k, v in params.items() if k != "field"}
    sql = build_sql(by, periods_sql, with_field, params.get("scope") is not None, strategy, predecessors, cols, late)
    if "$lo" not in sql:   # without the late cells, the direct and running days do not read it
        params = {k: v for k, v in params.items() if k != "lo"}
    for rec in con.execute(sql, params).fetchall():
        out.append((rec[0], rec[1], rec[2], complete({**zeros, **{n: int(v or 0) for n, v in zip(names, rec[3:])}})))
    return out
