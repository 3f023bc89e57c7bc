"""The serving route: the same §1 figures read from the pre-aggregated tables that aggregates.py builds at load."""
from __future__ import annotations

from .aggregates import ALL_DAY_COLUMNS
from .route_raw import measure_names
from .scope import SCOPE_AND_TREE_SQL

# Day sums answer everything that depends on one date: received in [P0, P1] (receipt day), closed in [P0, P1]
# (closing day), and "open at day X" = Σ_{day ≤ X} (received − closed), which gives carried over (open at
# P0 − 1) and pending (open at P1). History before the earliest P0 is folded into one row per group (day NULL)
# so a year of months costs a few hundred rows. The late cells answer what needs two dates at once.
_SQL = """,
periods(p_key, p0, p1) AS ({periods_sql}),
days AS (
    SELECT {group_expr} AS g_key, CASE WHEN a.day >= $lo THEN a.day END AS day, {day_sums}
    FROM {table} a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.day <= $hi
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
    GROUP BY ALL
),
day_sums AS (
    SELECT p.p_key, d.g_key, GROUPING(d.g_key) = 1 AS is_total,
        coalesce(sum(d.received_new - d.closed) FILTER (WHERE d.day IS NULL OR d.day < p.p0), 0) AS carried_over,
        coalesce(sum(d.received_new - d.closed), 0) AS pending,
        {period_sums}
    FROM days d JOIN periods p ON d.day IS NULL OR d.day <= p.p1
    GROUP BY GROUPING SETS ((p.p_key, d.g_key), (p.p_key))
),
late_rows AS (
    SELECT {group_expr} AS g_key, a.r_date, a.f_date, a.due_date, a.is_resolved_late, a.n, a.n_apology
    FROM agg_late_cells a
    LEFT JOIN units u ON u.unit_code = a.unit_code
    {group_join}
    WHERE a.r_date <= $hi AND (a.f_date IS NULL OR a.f_date >= $lo)
      AND ($scope IS NULL OR a.unit_code IN (SELECT unit_code FROM scope_units))
      {field_filter}
),
late_sums AS (
    SELECT p_key, g_key, GROUPING(g_key) = 1 AS is_total,
        sum(n) FILTER (WHERE overdue) AS pending_overdue,
        sum(n_apology) FILTER (WHERE overdue) AS pending_overdue_apology,
        sum(n) FILTER (WHERE overdue AND r_date >= p0) AS new_pending_overdue,
        sum(n) FILTER (WHERE is_resolved_late AND r_date >= p0 AND f_date <= p1) AS new_resolved_late
    FROM (SELECT l.*, p.p_key, p.p0, p.p1, (l.f_date IS NULL OR l.f_date > p.p1) AND l.due_date < p.p1 AS overdue
          FROM late_rows l JOIN periods p ON l.r_date <= p.p1 AND (l.f_date IS NULL OR l.f_date >= p.p0))
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


def build_sql(by: str | None, periods_sql: str, with_field: bool) -> str:
    # The unit × day table is enough unless the sector or the procedure is asked for.
    detailed = with_field or by in ("field", "procedure")
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = a.unit_code" if by in ("district", "department") else ""
    return SCOPE_AND_TREE_SQL + _SQL.format(
        periods_sql=periods_sql, group_expr=GROUP_EXPR[by], group_join=group_join,
        table="agg_cells" if detailed else "agg_unit_day",
        field_filter="AND a.field_key = $field" if with_field else "",
        day_sums=", ".join(f"sum(a.{c}) AS {c}" for c in ALL_DAY_COLUMNS),
        period_sums=",\n        ".join(f"coalesce(sum(d.{c}) FILTER (WHERE d.day >= p.p0), 0) AS {c}"
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


def run(con, by, periods_sql: str, params: dict) -> list[tuple]:
    """(p_key, g_key, is_total, {measure: int}) per period and group, and per period for the total."""
    day_names = ["carried_over", "pending", *ALL_DAY_COLUMNS]
    out = []
    with_field = params.get("field") is not None
    if not with_field:   # DuckDB refuses parameters the statement does not use
        params = {k: v for k, v in params.items() if k != "field"}
    for rec in con.execute(build_sql(by, periods_sql, with_field), params).fetchall():
        values = [int(v or 0) for v in rec[3:]]
        day = dict(zip(day_names, values[:len(day_names)]))
        late = dict(zip(_LATE_COLUMNS, values[len(day_names):]))
        out.append((rec[0], rec[1], rec[2], _measures(day, late)))
    return out
