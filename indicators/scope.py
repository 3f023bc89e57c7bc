"""Units for the figures: the scoped subtree and group-level ancestors in SQL, and unit lookup by code or name."""
from __future__ import annotations

from common.text import norm_key, norm_key_sql

from .units import list_units, predecessor_weights
from .view_cache import reused_in_view

__all__ = ["SCOPE_AND_TREE_SQL", "scope_and_tree_sql", "predecessors", "UnknownUnitError", "resolve_unit", "unit_info", "procedure_names"]


class UnknownUnitError(LookupError):
    """The --unit text matches no unit (or several)."""


# Parameters: $scope (unit code or NULL: every unit), $group_level (the level walked up to, or NULL); with
# predecessors also $roots. No fixed number of levels: the tree is walked recursively, to any depth. With
# predecessors the scope is the list $roots and their subtrees: the scoped unit and units merged into it (found by
# indicators.units.predecessor_weights through any chain of reorganizations) — a merged ward compared with the
# sum of the wards it replaced (spec indicators.md §5). The engine runs one query per share: the whole units
# together, each part-share on its own, weighted after (engine._sums).
_SCOPE_AND_TREE_TEMPLATE = """
WITH RECURSIVE
scope_roots(unit_code) AS (          -- the scoped unit, or the units of $roots when predecessors are asked
    {roots}
),
scope_units(unit_code) AS (          -- the roots and their whole subtrees, any depth; UNION stops on cycles
    SELECT unit_code FROM scope_roots
    UNION
    SELECT u.unit_code FROM units u JOIN scope_units s ON u.parent_code = s.unit_code
),
anc(unit_code, ancestor_code, depth) AS (   -- every unit with each of its ancestors (itself at depth 0)
    SELECT unit_code, unit_code, 0 FROM units WHERE $group_level IS NOT NULL
    UNION ALL
    SELECT a.unit_code, u.parent_code, a.depth + 1
    FROM anc a JOIN units u ON u.unit_code = a.ancestor_code
    WHERE u.parent_code IS NOT NULL AND a.depth < 64          -- guard: a parent_code cycle must not loop
),
group_map AS (                        -- the nearest ancestor of the requested level (district, department…)
    SELECT a.unit_code, arg_min(a.ancestor_code, a.depth) AS g_code
    FROM anc a JOIN units g ON g.unit_code = a.ancestor_code
    WHERE g.level = $group_level
    GROUP BY a.unit_code
)"""


_ROOTS = {False: "SELECT unit_code FROM units WHERE unit_code = $scope",
          True: "SELECT unnest($roots::VARCHAR[]) AS unit_code"}


def scope_and_tree_sql(include_predecessors: bool = False) -> str:
    """The scope CTEs; with include_predecessors the statement takes the extra parameter $roots (a list of codes)."""
    return _SCOPE_AND_TREE_TEMPLATE.format(roots=_ROOTS[bool(include_predecessors)])


SCOPE_AND_TREE_SQL = scope_and_tree_sql(False)


def resolve_unit(con, text: str) -> tuple[str, str, str]:
    """A unit code or name (or alias, accents and case ignored) → (code, name, level); UnknownUnitError else."""
    hit = con.execute("SELECT unit_code, unit_name, level FROM units WHERE unit_code = $t", {"t": text.strip()}).fetchall()
    if hit:
        return hit[0]
    rows = con.execute(f"""SELECT DISTINCT unit_code, unit_name, level FROM units,
                              unnest(list_concat([unit_code, unit_name], coalesce(aliases, []))) AS k(candidate)
                           WHERE {norm_key_sql('candidate')} = {norm_key_sql('$t')}""", {"t": text}).fetchall()
    found = {code: (code, name, level) for code, name, level in rows}
    if not found:   # a name as the dashboard shows it, told apart from its namesakes («Phường Tân Định – Quận 1»)
        shown = [code for code, (name, _) in unit_info(con).items() if norm_key(name) == norm_key(text)]
        found = {code: tuple(con.execute("SELECT unit_code, unit_name, level FROM units WHERE unit_code = ?",
                                         [code]).fetchone()) for code in shown}
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise UnknownUnitError(f"Không tìm thấy đơn vị '{text}' trong danh mục đơn vị.")
    raise UnknownUnitError(f"Tên đơn vị '{text}' trùng với nhiều đơn vị: {', '.join(sorted(found))}; hãy dùng mã đơn vị.")


@reused_in_view()
def unit_info(con) -> dict[str, tuple[str, str]]:
    """unit_code → (name, level), the name told apart from namesakes (model/units.py)."""
    # from the unit list a page view has read already (its filter bar), not a query of its own
    return {u.code: (u.name, u.level) for u in list_units(con)}


@reused_in_view()
def procedure_names(con) -> dict[str, str]:
    return dict(con.execute("SELECT procedure_code, procedure_name FROM procedures WHERE procedure_name IS NOT NULL").fetchall())


def predecessors(con, unit_code: str) -> list[tuple[str, str, object]]:
    """(code, name, valid_to) of every unit merged into unit_code, wholly or in part, directly or through earlier
    reorganizations (indicators.units.predecessor_weights gives the shares)."""
    codes = sorted(predecessor_weights(con, unit_code))
    return con.execute("""SELECT unit_code, unit_name, valid_to FROM units WHERE list_contains($c, unit_code)
                          ORDER BY valid_to, unit_code""", {"c": codes}).fetchall()
