"""The serving route: the same §1 figures read from the pre-aggregated tables that aggregates.py builds at load."""
from __future__ import annotations

from .aggregates import ALL_DAY_COLUMNS
from .route_raw import measure_names
from .scope import scope_and_tree_sql

# Day sums answer everything that depends on one date: received in [P0, P1] (receipt day), closed in [P0, P1]
# (closing day), and "open at day X" = Σ_{day ≤ X} (received − closed), which gives carried over (open at
# P0 − 1) and pending (open at P1). Two ways to the same sums, chosen by the number of periods:
# - join: each day row joined to the periods it precedes; cheapest for one to three periods over many groups
#   (a ranking of every unit), its cost grows with periods × days;
# - running totals: each group's days summed up once, then a period is the running total at P1 minus the one at
#   P0 − 1, found by an ASOF join; cheapest for many periods (a district × month grid), its cost grows with
#   the rows and the number of columns, not with the periods.
# The late cells answer what needs two dates at once.
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
    GROUP BY ALL
),"""

# join: history before the earliest P0 folded into one row per group, dated 1/1/1.
_JOIN_DAYS = ("{group_expr}", "CASE WHEN a.day >= $lo THEN a.day ELSE DATE '0001-01-01' END")
_DAY_SUMS_BY_JOIN = """
day_sums AS (
    SELECT p.p_key, d.g_key, GROUPING(d.g_key) = 1 AS is_total,
        coalesce(sum(d.received_new - d.closed) FILTER (WHERE d.day < p.p0), 0) AS carried_over,
        coalesce(sum(d.received_new - d.closed), 0) AS pending,
        {join_sums}
    FROM days d JOIN periods p ON d.day <= p.p1
    GROUP BY GROUPING SETS ((p.p_key, d.g_key), (p.p_key))
),
"""

# running: the group key as text with a stand-in for NULL, as ASOF joins match keys with '=' only.
_RUNNING_DAYS = ("coalesce(CAST({group_expr} AS VARCHAR), chr(0))", "a.day")
_DAY_SUMS_BY_RUNNING_TOTALS = """
running AS (
    SELECT g_key, day, sum(received_new - closed) OVER w AS open_count, {running_sums}
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
        coalesce(sum(s.open_count), 0) AS carried_over,
        coalesce(sum(e.open_count), 0) AS pending,
        {period_sums}
    FROM at_end e JOIN at_start s ON s.g_key = e.g_key AND s.p_key = e.p_key
    GROUP BY GROUPING SETS ((e.p_key, e.g_key), (e.p_key))
),
"""

_LATE_SQL = """late_rows AS (
    -- an open dossier's F is "never" (31/12/9999): the period join is then two plain inequalities
    SELECT {group_expr} AS g_key, a.r_date, coalesce(a.f_date, DATE '9999-12-31') AS f_end, a.due_date,
           a.is_resolved_late, sum(a.n) AS n, sum(a.n_apology) AS n_apology
    FROM agg_late_cells a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.r_date <= $hi AND (a.f_date IS NULL OR a.f_date >= $lo)
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
    GROUP BY ALL
),
late_sums AS (
    SELECT p_key, g_key, GROUPING(g_key) = 1 AS is_total,
        sum(n) FILTER (WHERE overdue) AS pending_overdue,
        sum(n_apology) FILTER (WHERE overdue) AS pending_overdue_apology,
        sum(n) FILTER (WHERE overdue AND r_date >= p0) AS new_pending_overdue,
        sum(n) FILTER (WHERE is_resolved_late AND r_date >= p0 AND f_end <= p1) AS new_resolved_late
    FROM (SELECT l.*, p.p_key, p.p0, p.p1, l.f_end > p.p1 AND l.due_date < p.p1 AS overdue
          FROM late_rows l JOIN periods p ON l.r_date <= p.p1 AND l.f_end >= p.p0)
    GROUP BY GROUPING SETS ((p_key, g_key), (p_key))
)
SELECT d.p_key, d.g_key, d.is_total, d.* EXCLUDE (p_key, g_key, is_total),
       coalesce(l.pending_overdue, 0), coalesce(l.pending_overdue_apology, 0),
       coalesce(l.new_pending_overdue, 0), coalesce(l.new_resolved_late, 0)
FROM day_sums d
LEFT JOIN late_sums l ON l.p_key IS NOT DISTINCT FROM d.p_key AND l.g_key IS NOT DISTINCT FROM d.g_key
                     AND l.is_total = d.is_total"""

GROUP_EXPR = {
    "unit": "a.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
    "field": "a.field_key", "procedure": "a.procedure_key", "month": "NULL", None: "NULL",
}
_LATE_COLUMNS = ["pending_overdue", "pending_overdue_apology", "new_pending_overdue", "new_resolved_late"]


STRATEGIES = ("join", "running")


def build_sql(by: str | None, periods_sql: str, with_field: bool, with_scope: bool, strategy: str,
              predecessors: bool = False) -> str:
    # The unit × day table is enough unless the sector or the procedure is asked for; then the sector ×
    # procedure × day table when no unit matters (no scope, no unit grouping), else the full detail.
    detailed = with_field or by in ("field", "procedure")
    unit_free = not with_scope and by in ("field", "procedure", None)
    table = ("agg_field_day" if unit_free else "agg_cells") if detailed else "agg_unit_day"
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = a.unit_code" if by in ("district", "department") else ""
    (days_key, days_day), day_sums = ((_JOIN_DAYS, _DAY_SUMS_BY_JOIN) if strategy == "join"
                                      else (_RUNNING_DAYS, _DAY_SUMS_BY_RUNNING_TOTALS))
    days = _DAYS.replace("{days_key}", days_key).replace("{days_day}", days_day)
    return scope_and_tree_sql(predecessors) + (days + day_sums + _LATE_SQL).format(
        periods_sql=periods_sql, group_expr=GROUP_EXPR[by], group_join=group_join,
        table=table,
        field_filter="AND a.field_key = $field" if with_field else "",
        day_sums=", ".join(f"sum(a.{c}) AS {c}" for c in ALL_DAY_COLUMNS),
        running_sums=", ".join(f"sum({c}) OVER w AS {c}" for c in ALL_DAY_COLUMNS),
        join_sums=",\n        ".join(f"coalesce(sum(d.{c}) FILTER (WHERE d.day >= p.p0), 0) AS {c}"
                                     for c in ALL_DAY_COLUMNS),
        period_sums=",\n        ".join(f"coalesce(sum(coalesce(e.{c}, 0) - coalesce(s.{c}, 0)), 0) AS {c}"
                                       for c in ALL_DAY_COLUMNS))


def _measures(day: dict, late: dict) -> dict:
    """The engine's measures (route_raw.measure_names) from the day sums and the late sums."""
    received_new, resolved_late, overdue = day["received_new"], day["resolved_late"], late["pending_overdue"]
    total = day["carried_over"] + received_new
    out = {
        "carried_over": day["carried_over"], "received_new": received_new,
        "received_online": day["received_online"], "received_postal": day["received_postal"],
        "received_direct": received_new - day["received_online"] - day["received_postal"],
        "total_to_handle": total, "resolved": day["resolved"], "resolved_early": day["resolved_early"],
        "resolved_on_time": day["resolved_on_time"], "resolved_late": resolved_late, "returned": day["returned"],
        "pending": day["pending"], "pending_within": day["pending"] - overdue, "pending_overdue": overdue,
        "resolved_in_time": day["resolved_early"] + day["resolved_on_time"],
        "not_late_total": total - resolved_late - overdue,
        "progress_766_ok": received_new - late["new_resolved_late"] - late["new_pending_overdue"],
        "resolved_same_day": day["resolved_same_day"],
        "received_eligible": day["received_eligible"], "received_online_eligible": day["received_online_eligible"],
        "received_fee": day["received_fee"], "received_fee_paid_online": day["received_fee_paid_online"],
        "received_digitized": day["received_digitized"], "resolved_e_result": day["resolved_e_result"],
        "received_data_reused": day["received_data_reused"], "received_synced": day["received_synced"],
        "late_any": resolved_late + overdue,
        "late_apology": day["resolved_late_apology"] + late["pending_overdue_apology"],
        "rated": day["rated"], "rated_satisfied": day["rated_satisfied"],
        "resolved_workdays": day["resolved_workdays"],
    }
    missing = set(measure_names()) - set(out)
    if missing:   # a measure added to definitions.py must be taught to this route too
        raise NotImplementedError(f"aggregate route cannot compute: {', '.join(sorted(missing))}")
    return out


def choose_strategy(period_count: int) -> str:
    """Measured on 1 M and 10 M dossiers (benchmarks/indicators.py): the join wins up to three periods."""
    return "join" if period_count <= 3 else "running"


def run(con, by, periods_sql: str, params: dict, strategy: str = "join", predecessors: bool = False) -> list[tuple]:
    """(p_key, g_key, is_total, {measure: int}) per period and group, and per period for the total;
    strategy 'join' or 'running' (see above)."""
    day_names = ["carried_over", "pending", *ALL_DAY_COLUMNS]
    out = []
    with_field = params.get("field") is not None
    if not with_field:   # DuckDB refuses parameters the statement does not use
        params = {k: v for k, v in params.items() if k != "field"}
    for rec in con.execute(build_sql(by, periods_sql, with_field, params.get("scope") is not None, strategy, predecessors),
                           params).fetchall():
        values = [int(v or 0) for v in rec[3:]]
        day = dict(zip(day_names, values[:len(day_names)]))
        late = dict(zip(_LATE_COLUMNS, values[len(day_names):]))
        out.append((rec[0], rec[1], rec[2], _measures(day, late)))
    return out
