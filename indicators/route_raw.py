"""The reference route: every measure of the measure table counted straight from the dossiers, per period and group."""
from __future__ import annotations

from model.facts import DOSSIER_FACTS_SQL
from model.measures import LATE_CELL_COLUMNS, MEASURES, complete

from .scope import scope_and_tree_sql

# Every dossier scanned on every call: exact and simple, the yardstick the aggregate route is tested against,
# and the fallback while the aggregate tables are missing or older than the data.
# Parameters: the periods' $kN/$aN/$bN, $lo/$hi (their bounds), $scope, $group_level, $field.
# A dossier joins the periods it is open in (received by P1, not closed before P0): in them it is carried over
# or received, and closed when F falls by P1. The measures' predicates (model/measures.py) then count it.
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
flags AS (
    -- the late-cell columns here, after the join: computed in base (for every dossier before the filters)
    -- they made the query twice as slow
    SELECT b.*, pr.p_key, pr.p0, pr.p1, {late_cell_columns},
        b.r_date < pr.p0 AS open_at_start,
        b.r_date >= pr.p0 AS received_in_period,
        coalesce(b.f_date <= pr.p1, false) AS closed_in_period
    FROM base b JOIN periods pr ON b.r_date <= pr.p1 AND (b.f_date IS NULL OR b.f_date >= pr.p0)
)
SELECT p_key, g_key, GROUPING(g_key) = 1 AS is_total, {aggregates}
FROM flags
GROUP BY GROUPING SETS ((p_key, g_key), (p_key))"""

GROUP_EXPR = {
    "unit": "d.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
    "field": "d.field_key", "procedure": "d.procedure_key", "month": "NULL", None: "NULL",
}

# The rows of a period a measure counted on each day is taken from (the flags above).
_DAY_FILTER = {"received": "received_in_period", "closed": "closed_in_period", "late": "true",
               "open_at_start": "open_at_start", "open_at_end": "NOT closed_in_period"}
_COUNTED = [m for m in MEASURES if m.day != "derived"]


def _aggregates_sql() -> str:
    parts = []
    for m in _COUNTED:
        keep = f"{_DAY_FILTER[m.day]} AND ({m.predicate or 'true'})"
        parts.append(f"coalesce(sum(CASE WHEN {keep} THEN {m.summed} END), 0)::BIGINT" if m.summed
                     else f"count(*) FILTER (WHERE {keep})")
    return ",\n    ".join(parts)


def build_sql(by: str | None, periods_sql: str, predecessors: bool = False) -> str:
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = d.unit_code" if by in ("district", "department") else ""
    late_cell_columns = ", ".join(f"{sql} AS {name}" for name, sql in LATE_CELL_COLUMNS.items() if name != sql)
    return scope_and_tree_sql(predecessors) + _SQL.format(
        periods_sql=periods_sql, facts=DOSSIER_FACTS_SQL, group_expr=GROUP_EXPR[by], group_join=group_join,
        late_cell_columns=late_cell_columns, aggregates=_aggregates_sql())


def run(con, by, periods_sql: str, params: dict, predecessors: bool = False) -> list[tuple]:
    """(p_key, g_key, is_total, {measure: int}) per period and group, and per period for the total."""
    names = [m.name for m in _COUNTED]
    return [(rec[0], rec[1], rec[2], complete({n: int(v or 0) for n, v in zip(names, rec[3:])}))
            for rec in con.execute(build_sql(by, periods_sql, predecessors), params).fetchall()]
