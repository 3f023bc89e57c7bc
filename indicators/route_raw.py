"""The reference route: §1 flags per dossier straight from the `dossiers` table, counted per period and group."""
from __future__ import annotations

from .definitions import MEASURES, PERIOD_COLUMNS
from .facts import DOSSIER_FACTS_SQL, IS_EARLY_SQL, IS_LATE_SQL, IS_ON_TIME_SQL
from .scope import scope_and_tree_sql

# Every dossier scanned on every call: exact and simple, the yardstick the aggregate route is tested against,
# and the fallback while the aggregate tables are missing or older than the data.
# Parameters: the periods' $kN/$aN/$bN, $lo/$hi (their bounds), $scope, $group_level, $field.
_SQL = """,
periods(p_key, p0, p1) AS ({periods_sql}),
base AS (
    SELECT d.*, {group_expr} AS g_key
    FROM ({facts}) d
    LEFT JOIN units u ON u.unit_code = d.unit_code
    {group_join}
    WHERE d.r_date <= $hi AND (d.f_date IS NULL OR d.f_date >= $lo)
      AND ($scope IS NULL OR d.unit_code IN (SELECT unit_code FROM scope_units))
      AND ($field IS NULL OR d.field_key = $field)
),
f1 AS (
    SELECT b.*, pr.p_key, pr.p0, pr.p1,
        b.r_date < pr.p0 AND (b.f_date IS NULL OR b.f_date >= pr.p0) AS carried_over,
        b.r_date BETWEEN pr.p0 AND pr.p1 AS received_new
    FROM base b JOIN periods pr ON b.r_date <= pr.p1 AND (b.f_date IS NULL OR b.f_date >= pr.p0)
),
f2 AS (
    SELECT *,
        received_new AND channel = 'online' AS received_online,
        received_new AND channel = 'postal' AS received_postal,
        received_new AND coalesce(channel NOT IN ('online', 'postal'), true) AS received_direct,
        carried_over OR received_new AS total_to_handle,
        (carried_over OR received_new) AND coalesce(f_date <= p1, false) AS closed
    FROM f1
),
flags AS (
    SELECT *,
        closed AND NOT is_returned AS resolved,
        closed AND is_returned AS returned,
        closed AND {is_late} AS resolved_late,
        closed AND {is_early} AS resolved_early,
        closed AND {is_on_time} AS resolved_on_time,
        total_to_handle AND NOT closed AS pending,
        total_to_handle AND NOT closed AND coalesce(due_date < p1, false) AS pending_overdue,
        total_to_handle AND NOT closed AND NOT coalesce(due_date < p1, false) AS pending_within
    FROM f2
)
SELECT p_key, g_key, GROUPING(g_key) = 1 AS is_total, {aggregates}
FROM flags
GROUP BY GROUPING SETS ((p_key, g_key), (p_key))"""

GROUP_EXPR = {
    "unit": "d.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
    "field": "d.field_key", "procedure": "d.procedure_key", "month": "NULL", None: "NULL",
}


def measure_names() -> list[str]:
    return [c for c, _ in PERIOD_COLUMNS] + list(MEASURES)


def _aggregates_sql() -> str:
    parts = [f"count(*) FILTER (WHERE {c})" for c, _ in PERIOD_COLUMNS]
    for kind, expr in MEASURES.values():
        parts.append(f"count(*) FILTER (WHERE {expr})" if kind == "count" else f"coalesce(sum({expr}), 0)::BIGINT")
    return ",\n    ".join(parts)


def build_sql(by: str | None, periods_sql: str, predecessors: bool = False) -> str:
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = d.unit_code" if by in ("district", "department") else ""
    return scope_and_tree_sql(predecessors) + _SQL.format(
        periods_sql=periods_sql, facts=DOSSIER_FACTS_SQL, group_expr=GROUP_EXPR[by], group_join=group_join,
        is_late=IS_LATE_SQL, is_early=IS_EARLY_SQL, is_on_time=IS_ON_TIME_SQL, aggregates=_aggregates_sql())


def run(con, by, periods_sql: str, params: dict, predecessors: bool = False) -> list[tuple]:
    """(p_key, g_key, is_total, {measure: int}) per period and group, and per period for the total."""
    names = measure_names()
    return [(rec[0], rec[1], rec[2], {n: int(v or 0) for n, v in zip(names, rec[3:])})
            for rec in con.execute(build_sql(by, periods_sql, predecessors), params).fetchall()]
