"""The procedure catalogue of the units in scope: each procedure with its online-service level and unit count."""
from __future__ import annotations

from datetime import date

from .scope import resolve_unit, scope_and_tree_sql

__all__ = ["ONLINE_LEVELS", "ONLINE_LEVEL_NAMES_VI", "list_catalogue_procedures", "procedure_fields"]

ONLINE_LEVELS = ("full", "partial", "none", "unknown")
ONLINE_LEVEL_NAMES_VI = {"full": "Toàn trình", "partial": "Một phần", "none": "Không cung cấp DVCTT",
                         "unknown": "Chưa rõ mức độ"}

# A catalogue row names a unit code, or a level meaning every unit of that level (as in the engine's catalogue
# columns). A procedure whose catalogue gives no level (no such column, or a word no vocabulary reads) is "unknown",
# not "none": the engine counts it neither as full nor as partial, so the totals here add up to its
# procedure_count per unit.
# Parameters: $scope (unit code or NULL), $group_level (always NULL here), $field, $p0, $p1.
_CATALOGUE_SQL = scope_and_tree_sql() + """,
unit_in AS (
    SELECT u.unit_code, u.level FROM units u
    WHERE ($scope IS NULL OR u.unit_code IN (SELECT unit_code FROM scope_units))
      AND ($p1 IS NULL OR u.valid_from IS NULL OR u.valid_from <= $p1::DATE)
      AND ($p0 IS NULL OR u.valid_to IS NULL OR u.valid_to >= $p0::DATE)
),
unit_procs AS (   -- two equality joins, not one on "code OR level" (a nested loop over units × catalogue)
    SELECT u.unit_code, pu.procedure_code FROM unit_in u JOIN procedure_units pu ON pu.unit_code = u.unit_code
    UNION
    SELECT u.unit_code, pu.procedure_code FROM unit_in u JOIN procedure_units pu ON pu.unit_code = u.level
)
SELECT up.procedure_code, p.procedure_name, p.field_name, coalesce(p.online_level, 'unknown') AS online_level,
       count(DISTINCT up.unit_code) AS unit_count
FROM unit_procs up LEFT JOIN procedures p ON p.procedure_code = up.procedure_code
WHERE ($field IS NULL OR p.field_name = $field)
GROUP BY ALL
ORDER BY up.procedure_code"""


def list_catalogue_procedures(con, unit: str | None = None, field: str | None = None,
                              start: date | None = None, end: date | None = None) -> dict:
    """Procedures published by the units in the unit's subtree (None: every unit) valid at some day of
    [start, end]: {"rows": [{procedure_code, procedure_name, field, online_level ('full' | 'partial' |
    'none' | 'unknown'), online_level_name (Vietnamese), unit_count}], "counts": {level: number of procedures}}."""
    scope = resolve_unit(con, unit)[0] if unit else None
    records = con.execute(_CATALOGUE_SQL, {"scope": scope, "group_level": None, "field": field,
                                             "p0": start, "p1": end}).fetchall()
    rows = [{"procedure_code": code, "procedure_name": name, "field": fld, "online_level": level,
             "online_level_name": ONLINE_LEVEL_NAMES_VI.get(level, level), "unit_count": int(n)}
            for code, name, fld, level, n in records]
    counts = {level: sum(1 for r in rows if r["online_level"] == level) for level in ONLINE_LEVELS}
    return {"unit": scope, "field": field, "rows": rows, "counts": counts}


def procedure_fields(con) -> dict[str, str]:
    """procedure_code → sector (lĩnh vực) from the procedure catalogue, for tables grouped by procedure."""
    return dict(con.execute("SELECT procedure_code, field_name FROM procedures WHERE field_name IS NOT NULL").fetchall())
