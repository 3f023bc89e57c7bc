"""The unit tree for every figure, by period: units valid in a period, their levels (peer groups), the structures a
period spans when a reorganization falls inside it, and how units succeeded one another (shares included).

Levels and peer groups always come from here, for the chosen period — never a fixed list ("district" does not
exist after 1/7/2025; spec indicators.md §5)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from common.formats import vn_date
from common.text import natural_key
from model.units import LEGACY_SUCCESSIONS_SQL, NAMED_UNITS_SQL, SUCCESSIONS_SQL

from .database_state import database_state
from .view_cache import reused_in_view

__all__ = ["Unit", "list_units", "unit_path", "descendants", "peer_levels", "LEVEL_ORDER", "LEVEL_NAMES_VI",
           "level_name", "levels_valid", "require_level", "LevelNotInPeriodError", "StructurePart",
           "structure_parts", "structure_note", "reorganization_dates", "peer_groups", "Succession", "predecessors_of", "successors_of",
           "predecessor_weights", "former_names", "unit_successor", "successions_sql"]

# Display order of peer groups; a level not listed here (a new one after a reform) comes after these.
LEVEL_ORDER = ("province", "city", "department", "district", "ward", "commune", "vertical")
LEVEL_NAMES_VI = {
    "province": "Cấp tỉnh", "city": "Cấp tỉnh", "department": "Sở, ban, ngành", "district": "Cấp huyện",
    "ward": "Cấp xã", "commune": "Cấp xã", "vertical": "Cơ quan ngành dọc",
}
# The top of the tree: the whole city, never a peer group of its own.
TOP_LEVELS = ("province", "city")


def level_name(level: str) -> str:
    """'Cấp huyện' for district; a level the list does not know is shown as it is."""
    return LEVEL_NAMES_VI.get(level, level)


class LevelNotInPeriodError(LookupError):
    """A grouping by a level (district…) for a period in which no unit of that level exists."""


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_in(self, start: date | None, end: date | None) -> bool:
        """Whether the unit existed on some day of [start, end] (None: open on that side)."""
        return ((end is None or self.valid_from is None or self.valid_from <= end)
                and (start is None or self.valid_to is None or self.valid_to >= start))

    def validity_note(self, start: date, end: date) -> str:
        """'(từ 01/07/2025)', '(đến 30/06/2025)' when the unit existed for only part of [start, end]; else ''."""
        parts = []
        if self.valid_from is not None and self.valid_from > start:
            parts.append(f"từ {vn_date(self.valid_from)}")
        if self.valid_to is not None and self.valid_to < end:
            parts.append(f"đến {vn_date(self.valid_to)}")
        return f"({' '.join(parts)})" if parts else ""


@reused_in_view(copy=list)
def list_units(con, start: date | None = None, end: date | None = None) -> list[Unit]:
    """Every unit in the catalogue (valid at some day of [start, end] when given), by level then name."""
    if start is not None or end is not None:
        # picked from the whole catalogue, which a page view has read already (its filter bar lists every unit):
        # a second query cost 5 ms, for a few hundred units (display names are the same: they compare all units)
        return [u for u in list_units(con) if u.valid_in(start, end)]
    rows = con.execute(f"""SELECT unit_code, display_name, level, parent_code, valid_from, valid_to
                          FROM {NAMED_UNITS_SQL}""").fetchall()
    units = [Unit(*r) for r in rows]
    return sorted(units, key=lambda u: (_level_rank(u.level), natural_key(u.name), u.name, u.code))


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


@reused_in_view(copy=list)
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
        SELECT u.unit_code, u.display_name, u.level, u.parent_code, u.valid_from, u.valid_to
        FROM {NAMED_UNITS_SQL} u JOIN down d USING (unit_code)
        WHERE ($end IS NULL OR u.valid_from IS NULL OR u.valid_from <= $end)
          AND ($start IS NULL OR u.valid_to IS NULL OR u.valid_to >= $start)""",
                       {"code": code, "start": start, "end": end}).fetchall()
    return sorted((Unit(*r) for r in rows), key=lambda u: (_level_rank(u.level), natural_key(u.name), u.name, u.code))


def peer_levels(units: list[Unit], exclude: tuple[str, ...] = TOP_LEVELS) -> list[str]:
    """The levels present among `units`, in display order: each is one peer group (never ranked together)."""
    levels = {u.level for u in units} - set(exclude)
    return sorted(levels, key=lambda lvl: (_level_rank(lvl), lvl))


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


# ---------------------------------------------------------------------------------------------------------
# Levels by period.

def levels_valid(con, start: date, end: date, within: str | None = None) -> list[str]:
    """The peer groups of [start, end]: the levels of the units valid at some day of it (under `within` when
    given), in display order. A 2026 period of the new Ho Chi Minh City has no 'district'."""
    return peer_levels(descendants(con, within, start, end))


def require_level(con, level: str, start: date, end: date) -> None:
    """Raises LevelNotInPeriodError, in words a civil servant reads, when no unit of `level` is valid in
    [start, end]: a grouping by it would be empty without saying why."""
    # from the unit list a page view has read already (its filter bar), not a query per grouping asked
    units = [u for u in list_units(con) if u.level == level]
    if any(u.valid_in(start, end) for u in units):
        return
    exists = bool(units)
    first = min((u.valid_from for u in units if u.valid_from is not None), default=None)
    last = max((u.valid_to for u in units if u.valid_to is not None), default=None)
    open_ended = any(u.valid_to is None for u in units)
    name = level_name(level).lower()
    if not exists:
        raise LevelNotInPeriodError(f"Danh mục đơn vị không có đơn vị nào thuộc {name}. Hãy chọn cách nhóm khác.")
    if last is not None and last < start and not open_ended:
        when = f"cấp này chỉ có đến ngày {vn_date(last)}"
    elif first is not None and first > end:
        when = f"cấp này chỉ có từ ngày {vn_date(first)}"
    else:
        when = "không đơn vị nào của cấp này còn hiệu lực trong kỳ"
    raise LevelNotInPeriodError(f"Kỳ từ ngày {vn_date(start)} đến ngày {vn_date(end)} không có đơn vị nào thuộc "
                                f"{name} ({when}). Hãy nhóm theo đơn vị, theo cấp hành chính hoặc theo một cấp "
                                "có trong kỳ.")


@dataclass(frozen=True)
class StructurePart:
    """A stretch of a period with one unit structure: the same levels (peer groups) throughout."""
    start: date
    end: date
    levels: tuple[str, ...]

    def label(self) -> str:
        return f"từ {vn_date(self.start)} đến {vn_date(self.end)}"


@reused_in_view(copy=list)
def structure_parts(con, start: date, end: date, within: str | None = None) -> list[StructurePart]:
    """[start, end] cut where the set of levels changes (a level appears or disappears: the district level ends on
    30/06/2025). One part for a period within one structure; two for 2025 in the new Ho Chi Minh City. Figures of
    different parts are shown side by side, never mixed in one ranking."""
    # from the unit list a page view has read already (its filter bar): two small queries cost 2,5 ms a call
    every = list_units(con)
    boundary = any((u.valid_from is not None and start < u.valid_from <= end)
                   or (u.valid_to is not None and start <= u.valid_to < end) for u in every)
    if not boundary and within is None:   # the usual case: no unit starts or ends inside
        return [StructurePart(start, end, tuple(peer_levels([u for u in every if u.valid_in(start, end)])))]
    if not boundary:
        return [StructurePart(start, end, tuple(levels_valid(con, start, end, within)))]
    units = descendants(con, within, None, None)
    cuts = sorted({d for u in units for d in (u.valid_from, u.valid_to and u.valid_to + timedelta(days=1))
                   if d is not None and start < d <= end})
    bounds = [start, *cuts]
    parts: list[StructurePart] = []
    for i, day in enumerate(bounds):
        last = bounds[i + 1] - timedelta(days=1) if i + 1 < len(bounds) else end
        levels = tuple(peer_levels([u for u in units if u.valid_in(day, day)]))
        if parts and parts[-1].levels == levels:
            parts[-1] = StructurePart(parts[-1].start, last, levels)
        else:
            parts.append(StructurePart(day, last, levels))
    return parts


def structure_note(parts: list[StructurePart]) -> str | None:
    """What a period spanning a reorganization must say (None for one structure): when it changed, which levels
    each part has, and that units of the two structures are shown apart."""
    if len(parts) < 2:
        return None
    days = ", ".join(vn_date(p.start) for p in parts[1:])
    shapes = "; ".join(f"{p.label()}: {', '.join(level_name(lv).lower() for lv in p.levels) or 'không có đơn vị cấp dưới'}"
                       for p in parts)
    return (f"Kỳ báo cáo có sắp xếp lại đơn vị hành chính từ ngày {days} ({shapes}). Số liệu theo đơn vị, theo cấp "
            "và xếp hạng được trình bày riêng cho từng cơ cấu, không xếp lẫn đơn vị cũ với đơn vị mới.")


def peer_groups(con, start: date, end: date) -> dict[str, str]:
    """unit code → its peer group in [start, end] (for a ranking by unit: 766, SIPAS, PAR): its level's name; when
    the period spans a reorganization, a unit of one structure only carries that structure's dates ("Cấp xã (từ
    01/07/2025 đến 31/12/2025)"), so old and new units are never ranked together. A unit not valid in the period
    (its dossiers exported under it after it ended) is in no group: it is listed, not ranked."""
    parts = structure_parts(con, start, end)
    out = {}
    for u in list_units(con, start, end):
        name = level_name(u.level)
        inside = [p for p in parts if u.valid_in(p.start, p.end)]
        out[u.code] = f"{name} ({inside[0].label()})" if len(parts) > 1 and len(inside) == 1 else name
    return out


def reorganization_dates(con, start: date, end: date, within: str | None = None) -> list[date]:
    """The days inside [start, end] from which the structure of units changes (e.g. 01/07/2025); [] for none."""
    return [p.start for p in structure_parts(con, start, end, within)[1:]]


# ---------------------------------------------------------------------------------------------------------
# Successions (many-to-many, with shares).

@dataclass(frozen=True)
class Succession:
    """One edge of a reorganization seen from a unit: the other unit, the share of the predecessor that went to
    the successor, from when, on what basis; weight: the share of the other unit's dossiers counted for this one
    (the product of the shares along a chain of reorganizations, summed over the paths)."""
    code: str
    name: str
    level: str
    parent_name: str | None
    share: float
    effective_date: date | None
    share_basis: str | None
    weight: float = 1.0
    depth: int = 1


def successions_sql(con) -> str:
    """The succession edges as a subquery (model/units.py); a database built before shares reads the old column."""
    return SUCCESSIONS_SQL if "unit_successions" in database_state(con).tables else LEGACY_SUCCESSIONS_SQL


def _edges(con) -> list[tuple]:
    return con.execute(f"""SELECT s.predecessor_code, s.successor_code, s.share, s.effective_date, s.share_basis
                           FROM {successions_sql(con)} s ORDER BY s.effective_date, s.predecessor_code,
                                s.successor_code""").fetchall()


def _named(con, codes) -> dict[str, tuple]:
    rows = con.execute(f"""SELECT u.unit_code, u.display_name, u.level, p.unit_name FROM {NAMED_UNITS_SQL} u
                           LEFT JOIN units p ON p.unit_code = u.parent_code
                           WHERE list_contains($c, u.unit_code)""", {"c": sorted(codes)}).fetchall()
    return {r[0]: r[1:] for r in rows}


def predecessor_weights(con, code: str) -> dict[str, float]:
    """Every unit whose dossiers count, in part or whole, for `code` compared with its predecessors: the units
    merged into it at any depth, each with the share of its dossiers that is counted (1.0: the whole unit)."""
    into: dict[str, list[tuple[str, float]]] = {}
    for pred, succ, share, _, _ in _edges(con):
        into.setdefault(succ, []).append((pred, share))
    weights: dict[str, float] = {}

    def walk(unit: str, weight: float, path: tuple) -> None:
        for pred, share in into.get(unit, []):
            if pred in path or pred == code:   # a cycle in the catalogue must not loop
                continue
            weights[pred] = weights.get(pred, 0.0) + weight * share
            walk(pred, weight * share, path + (pred,))
    walk(code, 1.0, (code,))
    return weights


def predecessors_of(con, code: str) -> list[Succession]:
    """The units `code` was formed from, directly (depth 1) and through earlier reorganizations (depth 2…), oldest
    effective date first; share: what the predecessor gave to the unit it went to, weight: to `code` itself."""
    into: dict[str, list[tuple]] = {}
    for pred, succ, share, day, basis in _edges(con):
        into.setdefault(succ, []).append((pred, share, day, basis))
    found: list[tuple] = []

    def walk(unit: str, weight: float, depth: int, path: tuple) -> None:
        for pred, share, day, basis in into.get(unit, []):
            if pred in path:
                continue
            found.append((pred, share, day, basis, weight * share, depth))
            walk(pred, weight * share, depth + 1, path + (pred,))
    walk(code, 1.0, 1, (code,))
    names = _named(con, {f[0] for f in found})
    out = [Succession(pred, *names.get(pred, (pred, "", None)), share, day, basis, weight, depth)
           for pred, share, day, basis, weight, depth in found]
    return sorted(out, key=lambda s: (s.effective_date or date.min, s.depth, natural_key(s.name), s.code))


def successors_of(con, code: str) -> list[Succession]:
    """The units `code` went to (largest share first): one for a merger, several for a split."""
    rows = [(succ, share, day, basis) for pred, succ, share, day, basis in _edges(con) if pred == code]
    names = _named(con, {r[0] for r in rows})
    out = [Succession(succ, *names.get(succ, (succ, "", None)), share, day, basis, share)
           for succ, share, day, basis in rows]
    return sorted(out, key=lambda s: (-s.share, natural_key(s.name), s.code))


def unit_successor(con, code: str) -> tuple[str, str, date] | None:
    """(successor code, successor name, last day of the unit) when the unit ended and went to another (§5): the
    successor with the largest share; None for a unit still in force or without a successor."""
    last = con.execute("SELECT valid_to FROM units WHERE unit_code = $c", {"c": code}).fetchall()
    if not last or last[0][0] is None:
        return None
    successors = successors_of(con, code)
    return (successors[0].code, successors[0].name, last[0][0]) if successors else None


def former_names(con) -> dict[str, list[tuple[str, float]]]:
    """unit code → [(name of a unit it was formed from, share received)] at any depth: what a person may still
    call the unit, so that searching an old ward's name finds the new one ("trước đây: …")."""
    into: dict[str, list[tuple[str, float]]] = {}
    for pred, succ, share, _, _ in _edges(con):
        into.setdefault(succ, []).append((pred, share))
    names = {c: n for c, n in con.execute("SELECT unit_code, unit_name FROM units").fetchall()}
    out: dict[str, list[tuple[str, float]]] = {}
    for code in into:
        seen, stack = [], [(code, 1.0, (code,))]
        while stack:
            unit, weight, path = stack.pop()
            for pred, share in into.get(unit, []):
                if pred not in path:
                    seen.append((names.get(pred, pred), share if unit == code else weight * share))
                    stack.append((pred, weight * share, path + (pred,)))
        out[code] = sorted(seen, key=lambda x: (-x[1], natural_key(x[0])))
    return out
