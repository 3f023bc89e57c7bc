"""The unit tree for the dashboard: all units, a unit's path from the top, its subtree and its peer groups."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from model.units import NAMED_UNITS_SQL

from .coverage import vi_sort_key

__all__ = ["Unit", "list_units", "unit_path", "descendants", "peer_levels", "LEVEL_ORDER"]

# Display order of peer groups; a level not listed here (a new one after a reform) comes after these.
LEVEL_ORDER = ("province", "city", "department", "district", "ward", "commune", "vertical")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None


def list_units(con, start: date | None = None, end: date | None = None) -> list[Unit]:
    """Every unit in the catalogue (valid at some day of [start, end] when given), by level then name."""
    rows = con.execute(f"""SELECT unit_code, display_name, level, parent_code FROM {NAMED_UNITS_SQL}
                          WHERE ($end IS NULL OR valid_from IS NULL OR valid_from <= $end)
                            AND ($start IS NULL OR valid_to IS NULL OR valid_to >= $start)""",
                       {"start": start, "end": end}).fetchall()
    units = [Unit(*r) for r in rows]
    return sorted(units, key=lambda u: (_level_rank(u.level), _natural(u.name), u.name, u.code))


def unit_path(con, code: str) -> list[Unit]:
    """The unit and its ancestors, top first (for the breadcrumb); [] for an unknown code."""
    rows = con.execute("""
        WITH RECURSIVE up(unit_code, depth) AS (
            SELECT unit_code, 0 FROM units WHERE unit_code = $code
            UNION
            SELECT u.parent_code, up.depth + 1 FROM up JOIN units u ON u.unit_code = up.unit_code
            WHERE u.parent_code IS NOT NULL AND up.depth < 64          -- guard against a parent cycle
        )
        SELECT u.unit_code, u.unit_name, u.level, u.parent_code, min(up.depth) AS depth
        FROM up JOIN units u ON u.unit_code = up.unit_code
        GROUP BY ALL ORDER BY depth DESC""", {"code": code}).fetchall()
    return [Unit(*r[:4]) for r in rows]


def descendants(con, code: str | None, start: date | None = None, end: date | None = None) -> list[Unit]:
    """Every unit below `code` at any depth (not the unit itself); below everything when code is None."""
    if code is None:
        return list_units(con, start, end)
    rows = con.execute(f"""
        WITH RECURSIVE down(unit_code) AS (
            SELECT unit_code FROM units WHERE parent_code = $code
            UNION
            SELECT u.unit_code FROM units u JOIN down d ON u.parent_code = d.unit_code
        )
        SELECT u.unit_code, u.display_name, u.level, u.parent_code FROM {NAMED_UNITS_SQL} u JOIN down d USING (unit_code)
        WHERE ($end IS NULL OR u.valid_from IS NULL OR u.valid_from <= $end)
          AND ($start IS NULL OR u.valid_to IS NULL OR u.valid_to >= $start)""",
                       {"code": code, "start": start, "end": end}).fetchall()
    return sorted((Unit(*r) for r in rows), key=lambda u: (_level_rank(u.level), _natural(u.name), u.name, u.code))


def unit_successor(con, code: str) -> tuple[str, str, date] | None:
    """(successor code, successor name, last day of the unit) when the unit was merged into another (§5); None
    for a unit still in force or without a successor."""
    rows = con.execute("""SELECT s.unit_code, s.unit_name, u.valid_to FROM units u
                          JOIN units s ON s.unit_code = u.successor_code
                          WHERE u.unit_code = $code AND u.valid_to IS NOT NULL""", {"code": code}).fetchall()
    return rows[0] if rows else None


def peer_levels(units: list[Unit], exclude: tuple[str, ...] = ("province", "city")) -> list[str]:
    """The levels present among `units`, in display order: each is one peer group (never ranked together)."""
    levels = {u.level for u in units} - set(exclude)
    return sorted(levels, key=lambda lvl: (_level_rank(lvl), lvl))


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _natural(name: str) -> tuple:
    # 'Quận 2' before 'Quận 10': digits compared as numbers.
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", vi_sort_key(name)))
