"""Figures for any period, grouping and unit scope: the public API over the aggregate and raw routes."""
from __future__ import annotations

from model.freshness import aggregates_are_fresh
from model.measures import MEASURE_BY_NAME, measure_names, not_reported, ratio_reads, unreported

from . import route_aggregate, route_raw
from .database_state import database_state
from .definitions import CATALOGUE_COLUMNS, INDICATORS, PERIOD_COLUMNS, Indicator, get_indicator
from .periods import Period
from .scope import UnknownUnitError, resolve_unit, scope_and_tree_sql
from .scope import procedure_names as _procedure_names
from .scope import unit_info as _unit_info
from .targets import judge, load_targets, pick_target
from .view_cache import in_view, reused_in_view, view_store
from .units import (LEVEL_NAMES_VI, LevelNotInPeriodError, list_units, predecessor_weights, require_level,
                    structure_note, structure_parts)

__all__ = ["GROUPINGS", "LEVEL_GROUPINGS", "UnknownUnitError", "LevelNotInPeriodError", "compute_period_table",
           "compute_period_totals",
           "compute_catalogue_table", "compute_indicator", "compute_indicator_by_month", "resolve_unit",
           "LEVEL_NAMES_VI", "APPROXIMATE_NOTE", "compute_measure_sums", "periods_values_sql", "group_names",
           "prefetch_sums", "prefetch_catalogues", "months_of"]

GROUPINGS = ("unit", "level", "district", "department", "field", "procedure", "month")
# Groupings by the nearest ancestor of a level: they exist only in periods that have units of that level.
LEVEL_GROUPINGS = ("district", "department")
# Groupings made of units: they carry the procedure-catalogue columns and unit-scoped targets.
_UNIT_GROUPINGS = ("unit", "level", "district", "department")
# Said wherever a figure counts part of a predecessor's dossiers (a ward split between two new wards).
APPROXIMATE_NOTE = "Số liệu ước tính theo tỷ lệ diện tích/dân số"


# Several periods in one query (a card's period, the one before and a year before: the units valid in each differ).
# A unit's counts do not depend on the period: counted once per unit valid in any of them, then summed per period
# over the units valid in it (counting per period and unit cost Trực tuyến's three periods 28 ms).
_CATALOGUE_SQL = """,
periods(p_key, p0, p1) AS ({periods_sql}),
unit_in AS (
    SELECT p.p_key, u.unit_code FROM units u CROSS JOIN periods p
    WHERE ($scope IS NULL OR u.unit_code IN (SELECT unit_code FROM scope_units))
      AND (u.valid_from IS NULL OR u.valid_from <= p.p1)
      AND (u.valid_to IS NULL OR u.valid_to >= p.p0)
),
units_in AS (SELECT u.unit_code, u.level FROM units u WHERE u.unit_code IN (SELECT unit_code FROM unit_in)),
unit_procedures AS (   -- a catalogue row names a unit code, or a level meaning every unit of that level
    -- two equality joins, not one join on "code OR level" (a nested loop over units × catalogue: 18 ms a call)
    SELECT u.unit_code, pu.procedure_code FROM units_in u JOIN procedure_units pu ON pu.unit_code = u.unit_code
    UNION ALL
    SELECT u.unit_code, pu.procedure_code FROM units_in u JOIN procedure_units pu ON pu.unit_code = u.level
),
unit_cat AS (
    SELECT up.unit_code,
        count(DISTINCT up.procedure_code) AS procedure_count,
        count(DISTINCT up.procedure_code) FILTER (WHERE p.online_level = 'full') AS online_procedures_full,
        count(DISTINCT up.procedure_code) FILTER (WHERE p.online_level = 'partial') AS online_procedures_partial
    FROM unit_procedures up
    LEFT JOIN procedures p ON p.procedure_code = up.procedure_code
    GROUP BY up.unit_code
)
SELECT i.p_key, {group_expr} AS g_key, GROUPING({group_expr}) = 1 AS is_total,
    sum(procedure_count)::BIGINT, sum(online_procedures_full)::BIGINT, sum(online_procedures_partial)::BIGINT
FROM unit_in i JOIN unit_cat c ON c.unit_code = i.unit_code JOIN units u ON u.unit_code = c.unit_code
{group_join}
GROUP BY GROUPING SETS ((i.p_key, {group_expr}), (i.p_key))"""

_CAT_GROUP_EXPR = {"unit": "c.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code"}


# ---------------------------------------------------------------------------------------------------------
# Periods as a VALUES list of bound parameters: one query answers a period, its months, the previous period
# and the same period a year before.

def _periods_sql(periods: dict[str, Period]) -> tuple[str, dict]:
    params, rows = {}, []
    for i, (key, p) in enumerate(periods.items()):
        params.update({f"k{i}": key, f"a{i}": p.start, f"b{i}": p.end})
        rows.append(f"($k{i}::VARCHAR, $a{i}::DATE, $b{i}::DATE)")
    params["lo"] = min(p.start for p in periods.values())
    params["hi"] = max(p.end for p in periods.values())
    return "VALUES " + ", ".join(rows), params


def _months_of(period: Period) -> dict[str, Period]:
    """One sub-period per calendar month cut to the period: a month row is that month's own statutory table
    (carried over from the month before, received in the month, resolved in the month, pending at its end)."""
    out, y, m = {}, period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        month = Period.month(y, m)
        out[f"{y:04d}-{m:02d}"] = Period(max(month.start, period.start), min(month.end, period.end))
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def months_of(period: Period) -> list[Period]:
    """The calendar months of the period, cut to it: the periods of a month-by-month table or trend."""
    return list(_months_of(period).values())


# 'aggregate:join', 'aggregate:direct', 'aggregate:running' and 'aggregate:single' force one of the aggregate route's
# strategies (tests); 'single' answers one period, a query of several takes the join.
ROUTES = ("auto", "raw", "aggregate", "aggregate:join", "aggregate:direct", "aggregate:running", "aggregate:single")


def _run_route(con, route: str, by, periods: dict, periods_sql: str, params: dict, predecessors: bool,
               measures: frozenset | None = None) -> list[tuple]:
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}")
    if route == "raw" or (route == "auto" and not _fresh(con)):
        return route_raw.run(con, by, periods_sql, params, predecessors)   # every measure: what was asked and more
    strategy = route.split(":")[1] if ":" in route else route_aggregate.choose_strategy(len(periods), by)
    if strategy == "single" and len(periods) > 1:
        strategy = "join"
    return route_aggregate.run(con, by, periods_sql, params, strategy, predecessors, measures)


@reused_in_view()
def _fresh(con) -> bool:
    # read once per view: every figure of a view takes the same route
    return aggregates_are_fresh(con, database_state(con))


# The same answer for the other readers of the aggregate tables (the 766 sources): one check per view, not one each.
fresh_aggregates_in_view = _fresh


def _root_groups(con, scope: str | None, predecessors: bool) -> list[tuple[float, list[str] | None]]:
    """[(weight, root codes)] to count: the scope alone (None: no $roots); with predecessors the scope and every
    unit merged wholly into it together (weight 1), and the units merged in part, one group per share."""
    if not predecessors or scope is None:
        return [(1, None)]
    groups: dict[float, list[str]] = {1: [scope]}
    for code, weight in sorted(predecessor_weights(con, scope).items()):
        weight = min(weight, 1.0)
        groups.setdefault(1 if weight >= 1 - 1e-12 else weight, []).append(code)
    return sorted(groups.items(), key=lambda g: -g[0])


def _add(into: dict | None, values: dict, weight: float) -> dict:
    # Whole units add exact integers; a part-share is a weighted estimate (a float, rounded where shown).
    scaled = values if weight == 1 else {k: v * weight for k, v in values.items()}
    return dict(scaled) if into is None else {k: into[k] + scaled[k] for k in into}


def _sums(con, periods: dict[str, Period], by: str | None, scope: str | None, field: str | None,
          route: str, predecessors: bool = False, keep_empty: bool = False,
          measures: frozenset | None = None) -> dict[str, tuple[dict, dict]]:
    """{period key: ({group key: {measure: int}}, {measure: int} for the total)}; groups with nothing to
    handle in a period are left out (they say nothing) unless keep_empty. With predecessors merged in part (a share
    below 1) the sums are weighted estimates (floats). Within a page view, periods already summed (prefetch_sums, or
    an earlier call) are not asked again. measures: the caller reads only these (and total_to_handle) — the others
    may be 0 (route_aggregate.columns_for)."""
    group_by = None if by == "month" else by
    store = view_store("engine_sums")
    got = (_queried_sums(con, periods, group_by, scope, field, route, predecessors, measures) if store is None
           else _sums_in_view(store, con, periods, group_by, scope, field, route, predecessors, measures))
    return {key: ({g: v for g, v in rows.items() if keep_empty or v["total_to_handle"] > 0}, total)
            for key, (rows, total) in got.items()}


def _sums_in_view(store: dict, con, periods: dict[str, Period], group_by: str | None, scope: str | None,
                  field: str | None, route: str, predecessors: bool,
                  measures: frozenset | None = None) -> dict[str, tuple[dict, dict]]:
    """_queried_sums, each period's sums filed in the view's store: by grouping for the rows, and for the total
    whatever the grouping (the total row of any grouping is the scope's total), so that a page that asks for its
    periods up front (prefetch_sums) reads them in one query — with many periods the query costs what one costs."""
    full = (scope, field, route, predecessors)
    base = full if measures is None else (*full, measures)   # narrow sums are filed apart: a full call needs all
    rows_of, totals = store.setdefault("rows", {}), store.setdefault("totals", {})

    def found(key: tuple, p: Period) -> bool:
        return (*key, p) in totals and (group_by is None or (group_by, *key, p) in rows_of)

    def filed(p: Period) -> tuple:   # every measure summed already serves a narrow call too
        return full if found(full, p) else base

    # each period once (a year's previous period is also the same period last year)
    missing = {f"m{i}": p for i, p in enumerate(dict.fromkeys(p for p in periods.values()
                                                              if not found(filed(p), p)))}
    if missing:
        for key, (rows, total) in _queried_sums(con, missing, group_by, scope, field, route, predecessors,
                                                measures).items():
            p = missing[key]
            totals[(*base, p)] = total
            if group_by is not None:
                rows_of[(group_by, *base, p)] = rows
    return {key: (rows_of[(group_by, *filed(p), p)] if group_by is not None else {}, totals[(*filed(p), p)])
            for key, p in periods.items()}


def _queried_sums(con, periods: dict[str, Period], group_by: str | None, scope: str | None, field: str | None,
                  route: str, predecessors: bool, measures: frozenset | None = None) -> dict[str, tuple[dict, dict]]:
    """_sums from one query per share of predecessors, every group kept."""
    periods_sql, params = _periods_sql(periods)
    params.update({"scope": scope, "field": field, "group_level": group_by if group_by in LEVEL_GROUPINGS else None})
    names = measure_names()
    rows: dict[str, dict] = {key: {} for key in periods}
    totals: dict[str, dict | None] = {key: None for key in periods}
    for weight, roots in _root_groups(con, scope, predecessors):
        run_params = params if roots is None else {**params, "roots": roots}
        for p_key, g_key, is_total, values in _run_route(con, route, group_by, periods, periods_sql, run_params,
                                                         roots is not None, measures=measures):
            if is_total:
                totals[p_key] = _add(totals[p_key], values, weight)
            elif group_by is not None:
                rows[p_key][g_key] = _add(rows[p_key].get(g_key), values, weight)
    return {key: (rows[key], totals[key] if totals[key] is not None else {n: 0 for n in names}) for key in periods}


def prefetch_sums(con, periods: list[Period], by: str | None = None, unit: str | None = None,
                  field: str | None = None) -> None:
    """Within a page view: the sums of these periods by `by` (a grouping of units, or None) read in one query, for
    the view's later calls to find (compute_period_totals, compute_period_table, compute_indicator_by_month of the
    same scope and sector). Outside a view it does nothing."""
    if not in_view() or not periods:
        return
    scope = resolve_unit(con, unit)[0] if unit else None
    _sums(con, {f"q{i}": p for i, p in enumerate(dict.fromkeys(periods))}, by, scope, field, "auto")


def _aggregate(con, period: Period, by: str | None, scope: str | None, field: str | None = None,
               route: str = "auto", predecessors: bool = False) -> tuple[dict, dict]:
    """Raw sums per group key and for the total: ({key: {measure: int}}, {measure: int})."""
    if by != "month":
        return _sums(con, {"p": period}, by, scope, field, route, predecessors)["p"]
    # The whole period is not the sum of its months (carried over, pending): its own period in the same query.
    sums = _sums(con, {"*": period, **_months_of(period)}, "month", scope, field, route, predecessors)
    total = sums.pop("*")[1]
    return {k: t for k, (_, t) in sums.items() if t["total_to_handle"] > 0}, total


def _catalogue(con, period: Period, by: str | None, scope: str | None,
               predecessors: bool = False) -> tuple[dict, dict]:
    return _catalogues(con, [period], by, scope, predecessors)[0]


def _catalogues(con, periods: list[Period], by: str | None, scope: str | None,
                predecessors: bool = False) -> list[tuple[dict, dict]]:
    """The catalogue columns of each period ({group key: columns}, columns of the total), the periods in one query;
    within a page view each period's are kept (like the sums) and not asked again."""
    if by not in _UNIT_GROUPINGS and by is not None:
        return [({}, {}) for _ in periods]
    kept = view_store("engine_catalogue")
    kept = {} if kept is None else kept
    base = (by, scope, predecessors)
    missing = list(dict.fromkeys(p for p in periods if (*base, p) not in kept))
    if missing:
        got = _queried_catalogues(con, missing, by, scope, predecessors)
        kept.update({(*base, p): got[p] for p in missing})
        # the total row of any grouping is the scope's total (every unit in scope): kept for a call without groups
        kept.update({(None, scope, predecessors, p): ({}, got[p][1]) for p in missing})
    return [kept[(*base, p)] for p in periods]


def prefetch_catalogues(con, periods: list[Period], by: str | None = None, unit: str | None = None) -> None:
    """Within a page view: the catalogue columns of these periods by `by` (a grouping of units, or None) and their
    totals read in one query, for the view's later calls (compute_period_totals, compute_catalogue_table of the same
    scope) to find. Outside a view it does nothing."""
    if not in_view() or not periods:
        return
    scope = resolve_unit(con, unit)[0] if unit else None
    _catalogues(con, list(periods), by, scope)


def _queried_catalogues(con, periods: list[Period], by: str | None, scope: str | None,
                        predecessors: bool) -> dict[Period, tuple[dict, dict]]:
    gexpr = _CAT_GROUP_EXPR.get(by, "NULL")
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = c.unit_code" if by in LEVEL_GROUPINGS else ""
    # The catalogue counts distinct procedures: a predecessor merged in part publishes them all the same.
    roots = [r for _, group in _root_groups(con, scope, predecessors) for r in (group or [])]
    periods_sql, params = _periods_sql({f"c{i}": p for i, p in enumerate(periods)})
    del params["lo"], params["hi"]   # DuckDB refuses parameters the statement does not use
    sql = scope_and_tree_sql(bool(roots)) + _CATALOGUE_SQL.format(periods_sql=periods_sql, group_expr=gexpr,
                                                                  group_join=group_join)
    params.update({"scope": scope, "group_level": by if by in LEVEL_GROUPINGS else None,
                   **({"roots": roots} if roots else {})})
    out: dict[str, tuple[dict, dict]] = {f"c{i}": ({}, {}) for i in range(len(periods))}
    for p_key, key, is_total, n, full, partial in con.execute(sql, params).fetchall():
        vals = {"procedure_count": int(n or 0), "online_procedures_full": int(full or 0),
                "online_procedures_partial": int(partial or 0),
                "online_procedures": int(full or 0) + int(partial or 0)}
        rows, _ = out[p_key]
        if is_total:
            out[p_key] = (rows, vals)
        else:
            rows[key] = vals
    empty = {c: 0 for c, _ in CATALOGUE_COLUMNS}
    return {p: (out[f"c{i}"][0], out[f"c{i}"][1] or empty) for i, p in enumerate(periods)}


def _value(ind: Indicator, sums: dict) -> tuple[int | None, int | None, float | None]:
    if ind.numerator not in sums or ind.denominator not in sums:
        return None, None, None
    num, den = sums[ind.numerator], sums[ind.denominator]
    value = ind.factor * num / den if den else None   # zero denominator: no value, never 0 %
    return _count(num), _count(den), value


def _count(x):
    """A weighted estimate (a part-share of a predecessor's dossiers) keeps two decimals — 2,6 hồ sơ says it is an
    estimate, where a rounded 3 would hide it and rows would no longer add up to the total; counts of whole units
    stay integers."""
    return round(x, 2) if isinstance(x, float) else x


def _approximation(con, scope: str | None, predecessors: bool) -> str | None:
    """The note a figure carries when it counts part of a predecessor's dossiers (a share below 100 %)."""
    if not predecessors or scope is None:
        return None
    from .units import predecessors_of
    parts = [p for p in predecessors_of(con, scope) if p.weight < 1 - 1e-12]
    if not parts:
        return None
    listed = ", ".join(f"{_percent_vi(p.weight)} hồ sơ của {p.name}" + (f" (theo {p.share_basis})" if p.share_basis else "")
                       for p in parts)
    return f"{APPROXIMATE_NOTE}: tính {listed}, phần đơn vị này nhận khi sắp xếp."


def _percent_vi(share: float) -> str:
    return f"{round(share * 100, 2):g}".replace(".", ",") + " %"


def _check_grouping(con, by: str, period: Period) -> None:
    if by in LEVEL_GROUPINGS:
        require_level(con, by, period.start, period.end)


def _structure(con, period: Period) -> dict:
    """What a figure says of a period that spans a reorganization: the days the structure changed, in words."""
    parts = structure_parts(con, period.start, period.end)
    return {"structure_changes": [p.start.isoformat() for p in parts[1:]], "structure_note": structure_note(parts)}


# ---------------------------------------------------------------------------------------------------------
# Units: scope resolution and group names.

def _group_name(by: str, key, units: dict, procs: dict) -> str:
    if key is None:
        return {"unit": "(Chưa xác định đơn vị)", "level": "(Chưa xác định cấp)",
                "district": "(Không thuộc cấp huyện)", "department": "(Không thuộc sở, ngành)",
                "field": "(Chưa xác định lĩnh vực)", "procedure": "(Chưa xác định thủ tục)"}.get(by, "")
    if by == "unit" or by in LEVEL_GROUPINGS:
        return units.get(key, (key, None))[0]
    if by == "level":
        return LEVEL_NAMES_VI.get(key, key)
    if by == "procedure":
        return procs.get(key, key)
    if by == "month":
        y, m = key.split("-")
        return f"Tháng {int(m):02d}/{y}"
    return str(key)


def _sort_key(item):
    key = item[0]
    return (key is None, str(key))


class _StructureApart:
    """The rows of a grouping of units as a period across a reorganization shows them (README "Cấp theo kỳ"): a
    unit valid for part of the period named with its dates ("Phường Bến Nghé (đến 30/06/2025)"); across a change of
    structure (01/07/2025), the units of each structure listed together, after those of both, and a level's old and
    new units in rows of their own, keyed level@first day ("ward@2025-07-01", as the report's rankings)."""

    def __init__(self, con, period: Period):
        self.period = period
        self.parts = structure_parts(con, period.start, period.end)
        self.spans = len(self.parts) > 1
        self.units = {u.code: u for u in list_units(con)}

    def _part_index(self, code) -> int | None:
        """The one part of the period the unit existed in; None when it spans several (or is not a unit)."""
        unit = self.units.get(code)
        inside = [i for i, p in enumerate(self.parts) if unit is not None and unit.valid_in(p.start, p.end)]
        return inside[0] if self.spans and len(inside) == 1 else None

    def level_keys(self) -> dict:
        """unit code → its row of the table by level."""
        out = {}
        for code, unit in self.units.items():
            part = self._part_index(code)
            out[code] = unit.level if part is None else f"{unit.level}@{self.parts[part].start.isoformat()}"
        return out

    def sort_key(self, by: str, item):
        key = item[0]
        if by == "level":   # a level's rows of one part after its row of the whole period
            level, _, day = str(key).partition("@")
            return (key is None, level, day)
        part = self._part_index(key)
        return (key is None, "" if part is None else self.parts[part].start.isoformat(), str(key))

    def name(self, by: str, key) -> str | None:
        if by == "level":
            if isinstance(key, str) and "@" in key:
                level, _, day = key.partition("@")
                part = next(p for p in self.parts if p.start.isoformat() == day)
                return f"{LEVEL_NAMES_VI.get(level, level)} ({part.label()})"
            return None
        unit = self.units.get(key)
        note = unit.validity_note(self.period.start, self.period.end) if unit is not None else ""
        # a name told apart from a namesake by its dates carries them already ("Phường Bến Thành (từ 01/07/2025)")
        return f"{unit.name} {note}" if note and note not in unit.name else None

    def part_label(self, by: str, key) -> str | None:
        """The structure a row belongs to ("từ 01/07/2025 đến 31/12/2025"); None for rows of the whole period."""
        if by == "level":
            day = key.partition("@")[2] if isinstance(key, str) else ""
            return next((p.label() for p in self.parts if p.start.isoformat() == day), None)
        part = self._part_index(key)
        return None if part is None else self.parts[part].label()


# ---------------------------------------------------------------------------------------------------------
# Public API.

# Groupings of units whose sums add up from the units' own (every measure counts dossiers, each of one unit): in a
# view that has read the units' sums (the table by unit), the tables by level, district and department are added up
# from them instead of a query each (Tổng quan's shortfalls ask for all three; compute_shortfalls reads the units
# first). A view that asks for one grouping only keeps its own query: grouping by unit costs more than by department.
_ROLLED_UP = ("unit", "level", "district", "department")


@reused_in_view()
def _unit_sums(con, period: Period, scope: str | None, field: str | None, route: str) -> tuple[dict, dict]:
    return _sums(con, {"p": period}, "unit", scope, field, route, keep_empty=True)["p"]


def _group_of_units(con, by: str) -> dict:
    """unit code → its group: its level, or the nearest unit of level `by` among itself and its ancestors (the
    routes' group_map, indicators/scope.py); units with no such ancestor are left out (their group is None)."""
    if by == "level":
        return {u.code: u.level for u in list_units(con)}
    return _nearest_of_each_level(con).get(by, {})


@reused_in_view()
def _nearest_of_each_level(con) -> dict[str, dict]:
    """{level: {unit code: nearest unit of that level among itself and its ancestors}}: group_map (the scope SQL's
    ancestors, arg_min by depth) for every level in one query — Tổng quan's shortfalls add up districts and
    departments, a query each before."""
    rows = con.execute(scope_and_tree_sql() + """
        SELECT g.level, a.unit_code, arg_min(a.ancestor_code, a.depth)
        FROM anc a JOIN units g ON g.unit_code = a.ancestor_code
        GROUP BY g.level, a.unit_code""", {"scope": None, "group_level": "every level"}).fetchall()
    out: dict[str, dict] = {}
    for level, code, group in rows:
        out.setdefault(level, {})[code] = group
    return out


def _add_up(rows: dict, group_of: dict) -> dict:
    out: dict = {}
    for code, values in rows.items():
        group = group_of.get(code)
        out[group] = dict(values) if group not in out else {k: v + values[k] for k, v in out[group].items()}
    return out


def _rolled_up(con, period: Period, by: str, scope: str | None, field: str | None, route: str):
    """(sums by group, total, catalogue by group, catalogue total) of a grouping of units, from the units' own."""
    unit_rows, total = _unit_sums(con, period, scope, field, route)
    cat_units, cat_total = _catalogue(con, period, "unit", scope)
    if by != "unit":
        group_of = _group_of_units(con, by)
        unit_rows, cat_units = _add_up(unit_rows, group_of), _add_up(cat_units, group_of)
    return {g: v for g, v in unit_rows.items() if v["total_to_handle"] > 0}, total, cat_units, cat_total


# What a table row computes for each rate (_value's value, unrolled): a view builds a row per unit, ~1.300 on Tổng
# quan, and the call per rate and row cost it 15 ms.
_ROW_RATES = [(ind.id, ind.numerator, ind.denominator, ind.factor, ind.source == "catalogue") for ind in INDICATORS]
_ROW_COUNTS = [c for c, _ in PERIOD_COLUMNS]


def _read_for(ind: Indicator) -> tuple[str, ...]:
    """The measures an indicator's record reads: its two, and the basis of a denominator over an optional field."""
    return ratio_reads(ind.numerator, ind.denominator)


def _reported_counts() -> list[str]:
    """The counts a rate over an optional field needs besides its value (model/measures.py): its denominator and the
    basis that denominator is part of, so that the row tells "chưa có dữ liệu" and how many dossiers were left out."""
    names = [m for ind in INDICATORS if ind.source == "dossiers" and MEASURE_BY_NAME[ind.denominator].basis
             for m in _read_for(ind)[1:]]
    return [m for m in dict.fromkeys(names) if m not in _ROW_COUNTS]


_ROW_REPORTED = _reported_counts()


def _table_row(sums_row: dict, cat: dict | None) -> dict:
    """A row of the period table: the §1 counts, the catalogue columns when given, and every rate they allow."""
    out = {c: _count(sums_row[c]) for c in _ROW_COUNTS}
    out.update({c: _count(sums_row[c]) for c in _ROW_REPORTED if c in sums_row})
    merged = sums_row
    if cat is not None:
        out.update(cat)
        merged = {**sums_row, **cat}
    for ind_id, num, den, factor, from_catalogue in _ROW_RATES:
        if from_catalogue and cat is None:
            continue
        if num not in merged or den not in merged:
            out[ind_id] = None
            continue
        d = merged[den]
        out[ind_id] = factor * merged[num] / d if d else None   # zero denominator: no value, never 0 %
    return out


@reused_in_view(copy=lambda totals: [dict(t) for t in totals])
def compute_period_totals(con, periods: tuple[Period, ...], unit: str | None = None,
                          field: str | None = None, catalogue: bool = True) -> list[dict]:
    """The total row compute_period_table gives for each of the periods (the scope, all groups together), the
    periods in one query: a page's cards read the period, the one before and the same one a year before.
    catalogue=False leaves out the procedure-catalogue columns and rates (a query per period) when none is read."""
    scope = resolve_unit(con, unit)[0] if unit else None
    sums = _sums(con, {f"p{i}": p for i, p in enumerate(periods)}, None, scope, field, "auto")
    cats = _catalogues(con, list(periods), None, scope) if catalogue else [(None, None)] * len(periods)
    return [{"key": None, "name": "Tổng cộng", **_table_row(sums[f"p{i}"][1], cats[i][1])}
            for i, p in enumerate(periods)]


def _table_copy(table: dict) -> dict:
    # rows are dicts the callers may add keys to (compute_monthly_trend adds the targets): each caller its own
    return {**table, "rows": [dict(r) for r in table["rows"]], "total": dict(table["total"])}


@reused_in_view(copy=_table_copy)
def compute_period_table(con, period: Period, by: str = "unit", unit: str | None = None,
                         field: str | None = None, route: str = "auto", include_predecessors: bool = False,
                         catalogue: bool = True) -> dict:
    """The §1 period table with the §2 rates for every group and for the total (rates Σnum/Σden, or None).

    unit: a unit code or name, the scope is its whole subtree (with include_predecessors, also the units merged
    into it and their subtrees); field: one sector (lĩnh vực) only.
    route: 'auto' reads the pre-aggregated tables when they are up to date, else the dossiers; 'raw' and
    'aggregate' force one (tests compare them). catalogue=False leaves out the procedure-catalogue columns and
    rates (a query of its own) when none is read."""
    if by not in GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(GROUPINGS)}")
    _check_grouping(con, by, period)
    scope = resolve_unit(con, unit)[0] if unit else None
    with_cat = by in _UNIT_GROUPINGS and catalogue
    apart = _StructureApart(con, period) if by in _UNIT_GROUPINGS else None
    if apart and apart.spans and by == "level" and not include_predecessors:
        # a level's old and new units are two rows ("Cấp xã (từ 01/07/2025 …)"), added up from the units' own
        unit_rows, total_sums = _unit_sums(con, period, scope, field, route)
        sums = {g: v for g, v in _add_up(unit_rows, apart.level_keys()).items() if v["total_to_handle"] > 0}
        cat_units, cat_total = _catalogue(con, period, "unit", scope) if catalogue else ({}, None)
        cat_rows = _add_up(cat_units, apart.level_keys())
    elif (by in _ROLLED_UP and not include_predecessors and in_view()
            and (by == "unit" or _unit_sums.kept(con, period, scope, field, route))):
        sums, total_sums, cat_rows, cat_total = _rolled_up(con, period, by, scope, field, route)
    else:
        sums, total_sums = _aggregate(con, period, by, scope, field, route, include_predecessors)
        # The catalogue total is over every unit in scope whatever the grouping; rows carry it only when
        # the groups are made of units.
        cat_rows, cat_total = (_catalogue(con, period, by if with_cat else None, scope, include_predecessors)
                               if catalogue else ({}, None))
    approximate = _approximation(con, scope, include_predecessors)
    units, procs = _unit_info(con), _procedure_names(con)
    rows = []
    for key, s in sorted(sums.items(), key=(lambda item: apart.sort_key(by, item)) if apart else _sort_key):
        cat = (cat_rows.get(key) or {c: 0 for c, _ in CATALOGUE_COLUMNS}) if with_cat else None
        name = apart.name(by, key) if apart else None
        rows.append({"key": key, "name": name or _group_name(by, key, units, procs), **_table_row(s, cat)})
        if apart and apart.spans:
            rows[-1]["structure"] = apart.part_label(by, key)
    total = {"key": None, "name": "Tổng cộng", **_table_row(total_sums, cat_total)}
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": by, "unit": scope,
            "field": field, "include_predecessors": include_predecessors, "approximate": approximate is not None,
            "approximate_note": approximate, **_structure(con, period), "rows": rows, "total": total}


def compute_measure_sums(con, periods: dict[str, Period], by: str | None = None, unit: str | None = None,
                         route: str = "auto", measures: frozenset | None = None) -> dict[str, tuple[dict, dict]]:
    """Every measure of the measure table (the parts the rates do not show included), for several periods in one
    query: {period key: ({group key: {measure: int}}, {measure: int} for the scope)}. by: a grouping of units
    (unit, level, district, department) or None for the scope's total only; groups with nothing to handle in a
    period are left out. The 766 index counts its criteria from these. measures: the caller reads only these (and
    total_to_handle), the others may be 0 (route_aggregate.columns_for)."""
    if by not in _UNIT_GROUPINGS and by is not None:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(_UNIT_GROUPINGS)}")
    scope = resolve_unit(con, unit)[0] if unit else None
    # within a page view, periods the view has summed already (the period table of the same grouping: PAR INDEX
    # reads both) come from the view's store (_sums_in_view)
    return _sums(con, periods, by, scope, None, route, measures=measures)


def periods_values_sql(periods: dict[str, Period]) -> tuple[str, dict]:
    """The periods as 'VALUES ($k0, $a0, $b0), …' (key, first day, last day) with its bound parameters and
    $lo/$hi, the bounds of them all: what the figure queries join their rows to."""
    return _periods_sql(periods)


def group_names(con, by: str, keys) -> dict:
    """The display name of each group key of a grouping, as the period table names its rows."""
    units, procs = _unit_info(con), _procedure_names(con) if by == "procedure" else {}
    return {k: _group_name(by, k, units, procs) for k in keys}


def compute_catalogue_table(con, period: Period, by: str = "unit", unit: str | None = None,
                            include_predecessors: bool = False) -> dict:
    """The procedure-catalogue columns and the catalogue rates for every unit group in scope that publishes
    procedures in the period, whether or not it received dossiers (compute_period_table lists only the groups
    with dossiers). by: unit, level, district or department."""
    if by not in _UNIT_GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ cho danh mục TTHC: '{by}'. Chọn một trong: {', '.join(_UNIT_GROUPINGS)}")
    _check_grouping(con, by, period)
    scope = resolve_unit(con, unit)[0] if unit else None
    cat_rows, cat_total = _catalogue(con, period, by, scope, include_predecessors)
    units = _unit_info(con)
    rates = [ind for ind in INDICATORS if ind.source == "catalogue"]

    def build(cat: dict) -> dict:
        return {**cat, **{ind.id: _value(ind, cat)[2] for ind in rates}}

    rows = [{"key": key, "name": _group_name(by, key, units, {}), **build(cat)}
            for key, cat in sorted(cat_rows.items(), key=_sort_key)]
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": by, "unit": scope,
            "rows": rows, "total": {"key": None, "name": "Tổng cộng", **build(cat_total)}}


def _indicator_sums(con, ind: Indicator, period: Period, by: str, scope, field, route, predecessors,
                    group_history: bool = True):
    """(rows, total) for the period, the previous period and the same period last year, in one query.
    For by=month a month's previous and last-year values are the month before and the same month a year
    before. group_history=False: the previous and last-year sums of the total only (no rows), by a second query
    without groups — by unit, three periods cost 150 ms on the full sample, the period alone and two totals 100."""
    if ind.source == "catalogue":
        group = by if by in _UNIT_GROUPINGS else None
        return _catalogues(con, [period, period.previous(), period.same_period_last_year()], group, scope, predecessors)
    if not group_history and by != "month":
        # the indicator's two measures only: by unit, summing every measure for every unit was most of the query
        read = frozenset(_read_for(ind))
        before = _sums(con, {"prev": period.previous(), "ly": period.same_period_last_year()}, None, scope, field,
                       route, predecessors, measures=read)
        return [_sums(con, {"cur": period}, by, scope, field, route, predecessors, measures=read)["cur"],
                before["prev"], before["ly"]]
    if by != "month":
        whole = {"cur": period, "prev": period.previous(), "ly": period.same_period_last_year()}
        sums = _sums(con, whole, by, scope, field, route, predecessors)
        return [sums["cur"], sums["prev"], sums["ly"]]
    start = Period(period.start.replace(day=1), period.end)
    months = {"c": _months_of(period), "p": _months_of(start.shift_months(-1)), "l": _months_of(start.shift_months(-12))}
    keyed = {f"{tag}:{k}": p for tag, ms in months.items() for k, p in ms.items()}
    keyed.update({"*cur": period, "*prev": period.previous(), "*ly": period.same_period_last_year()})
    sums = _sums(con, keyed, "month", scope, field, route, predecessors)
    by_tag = {tag: {k: sums[f"{tag}:{k}"][1] for k in ms} for tag, ms in months.items()}
    cur = {k: t for k, t in by_tag["c"].items() if t["total_to_handle"] > 0}
    prev, ly = {}, {}
    for key in cur:
        y, m = map(int, key.split("-"))
        before = f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
        prev[key] = by_tag["p"].get(before) or by_tag["c"].get(before)
        ly[key] = by_tag["l"].get(f"{y - 1:04d}-{m:02d}")
    return [(cur, sums["*cur"][1]), (prev, sums["*prev"][1]), (ly, sums["*ly"][1])]


def _judged(ind: Indicator, sums: dict | None, prev: dict | None, last_year: dict | None,
            target: tuple[str, float, str | None] | None) -> dict:
    """numerator, denominator, value, target, comparator, target_source, is_met, gap_points, previous_value,
    last_year_value; no_data (the field is in none of the files of the period's dossiers: model/measures.py) and
    unreported (how many of the dossiers the rate is about came from files without the field; None: not such a
    rate)."""
    num, den, value = _value(ind, sums) if sums else (None, None, None)
    comparator, target_value, source = target if target else (None, None, None)
    met, gap = judge(value, target, ind.unit)
    missing = _count(unreported(ind.denominator, sums)) if sums else None
    return {"numerator": num, "denominator": den, "value": value, "target": target_value,
            "no_data": bool(sums) and not_reported(ind.denominator, sums), "unreported": missing,
            "comparator": comparator, "target_source": source, "is_met": met, "gap_points": gap,
            "previous_value": _value(ind, prev)[2] if prev else None,
            "last_year_value": _value(ind, last_year)[2] if last_year else None}


def compute_indicator(con, indicator_id: str, period: Period, by: str = "unit", unit: str | None = None,
                      field: str | None = None, route: str = "auto", include_predecessors: bool = False,
                      group_history: bool = True) -> dict:
    """One indicator per group: numerator, denominator, value, target, is_met, gap_points, previous_value,
    last_year_value (the same group in the previous period and in the same period a year before).
    group_history=False: the groups' previous_value and last_year_value are None (the total keeps its own), for a
    page that shows the groups' values only — a cheaper query."""
    ind = get_indicator(indicator_id)
    if by not in GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(GROUPINGS)}")
    _check_grouping(con, by, period)
    scope_info = resolve_unit(con, unit) if unit else None
    scope = scope_info[0] if scope_info else None
    units, procs = _unit_info(con), _procedure_names(con)
    (cur_rows, cur_total), (prev_rows, prev_total), (ly_rows, ly_total) = _indicator_sums(
        con, ind, period, by, scope, field, route, include_predecessors, group_history)
    targets = load_targets(con, period.end.year)
    scope_candidates = [scope, scope_info[2]] if scope_info else []

    def candidates(key) -> list:
        if by == "unit":
            return [key, units.get(key, (None, None))[1]]
        if by == "level":
            return [key]
        if by in LEVEL_GROUPINGS:
            return [key, by]
        return scope_candidates

    def record(key, name, sums, prev, ly, cands) -> dict:
        return {"key": key, "name": name, **_judged(ind, sums, prev, ly, pick_target(targets, ind.target_key, cands))}

    rows = [record(k, _group_name(by, k, units, procs), s, prev_rows.get(k), ly_rows.get(k), candidates(k))
            for k, s in sorted(cur_rows.items(), key=_sort_key)]
    total = record(None, "Tổng cộng", cur_total, prev_total, ly_total, scope_candidates)
    approximate = _approximation(con, scope, include_predecessors)
    return {"indicator": ind.id, "name_vi": ind.name_vi, "from": period.start.isoformat(),
            "to": period.end.isoformat(), "by": by, "unit": scope, "field": field,
            "approximate": approximate is not None, "approximate_note": approximate, "rows": rows, "total": total}


def compute_indicator_by_month(con, indicator_id: str, period: Period, by: str = "district",
                               unit: str | None = None, field: str | None = None, route: str = "auto",
                               include_predecessors: bool = False, compare: bool = True) -> dict:
    """One indicator per group and per month of the period, in one query: the table behind a trend chart per
    district or a district × month grid. Each cell is the record of compute_indicator (numerator,
    denominator, value, target, is_met, gap_points, previous_value = the month before, last_year_value = the
    same month a year before); 'total' holds the series of the whole scope. compare=False leaves out the months a
    year before and the month before the first (last_year_value None, and the first month's previous_value): half
    the periods, for a chart that shows neither."""
    ind = get_indicator(indicator_id)
    if by not in GROUPINGS or by == "month":
        raise ValueError(f"Cách nhóm không hợp lệ cho chuỗi theo tháng: '{by}'.")
    if ind.source != "dossiers":
        raise ValueError(f"Chỉ tiêu '{ind.id}' lấy từ danh mục TTHC, không có chuỗi theo tháng.")
    _check_grouping(con, by, period)
    scope_info = resolve_unit(con, unit) if unit else None
    scope = scope_info[0] if scope_info else None
    current = _months_of(period)
    first = Period(period.start.replace(day=1), period.end)
    keyed = {f"c:{k}": p for k, p in current.items()}
    if compare:
        keyed.update({f"l:{k}": p for k, p in _months_of(first.shift_months(-12)).items()})
        before_first = next(iter(_months_of(first.shift_months(-1)).items()))
        keyed[f"c:{before_first[0]}"] = keyed.get(f"c:{before_first[0]}", before_first[1])
    sums = _sums(con, keyed, by, scope, field, route, include_predecessors)
    units, procs = _unit_info(con), _procedure_names(con)
    targets = load_targets(con, period.end.year)

    def cell(month: str, sums_now, sums_prev, sums_ly, cands) -> dict:
        return {"month": month, **_judged(ind, sums_now, sums_prev, sums_ly, pick_target(targets, ind.target_key, cands))}

    def month_before(key: str) -> str:
        y, m = map(int, key.split("-"))
        return f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"

    def year_before(key: str) -> str:
        y, m = key.split("-")
        return f"{int(y) - 1:04d}-{m}"

    def series(pick, cands) -> list[dict]:
        return [cell(k, pick(f"c:{k}"), pick(f"c:{month_before(k)}"), pick(f"l:{year_before(k)}"), cands)
                for k in current]

    keys = sorted({g for k in current for g in sums[f"c:{k}"][0]}, key=lambda g: (g is None, str(g)))
    group_cands = {"unit": lambda g: [g, units.get(g, (None, None))[1]], "level": lambda g: [g],
                   "district": lambda g: [g, "district"], "department": lambda g: [g, "department"]}
    scope_cands = [scope, scope_info[2]] if scope_info else []
    rows = [{"key": g, "name": _group_name(by, g, units, procs),
             "series": series(lambda pk, g=g: sums[pk][0].get(g) if pk in sums else None,
                              group_cands.get(by, lambda _: scope_cands)(g))}
            for g in keys]
    total = {"key": None, "name": "Tổng cộng",
             "series": series(lambda pk: sums[pk][1] if pk in sums else None, scope_cands)}
    return {"indicator": ind.id, "name_vi": ind.name_vi, "from": period.start.isoformat(),
            "to": period.end.isoformat(), "by": by, "unit": scope, "field": field, "months": list(current),
            "rows": rows, "total": total}
