"""The one scoped, parameterized query behind every figure: §1 flags per dossier, aggregated per grouping."""
from __future__ import annotations

import operator
from typing import Any

from .definitions import (CATALOGUE_COLUMNS, INDICATORS, MEASURES, PERIOD_COLUMNS, Indicator, get_indicator)
from .periods import Period

__all__ = ["GROUPINGS", "UnknownUnitError", "compute_period_table", "compute_indicator", "resolve_unit",
           "LEVEL_NAMES_VI"]

GROUPINGS = ("unit", "level", "district", "department", "field", "procedure", "month")
# Groupings made of units: they carry the procedure-catalogue columns and unit-scoped targets.
_UNIT_GROUPINGS = ("unit", "level", "district", "department")

LEVEL_NAMES_VI = {
    "province": "Cấp tỉnh", "city": "Cấp tỉnh", "department": "Sở, ban, ngành", "district": "Cấp huyện",
    "ward": "Cấp xã", "commune": "Cấp xã", "vertical": "Cơ quan ngành dọc",
}


class UnknownUnitError(LookupError):
    """The --unit text matches no unit (or several)."""


# ---------------------------------------------------------------------------------------------------------
# SQL. Only fixed fragments chosen from whitelists are assembled; every value is a bound $parameter.
# Parameters: $p0, $p1 (DATE), $scope (unit code or NULL), $group_level (level walked up to, or NULL).

_SCOPE_AND_TREE_SQL = """
WITH RECURSIVE
scope_units(unit_code) AS (          -- the scoped unit and its whole subtree, any depth; UNION stops on cycles
    SELECT unit_code FROM units WHERE unit_code = $scope
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

# Per dossier: F as a date (finished_at, else returned_at for statuses 9/10), clamped to the receipt date so
# a finish typed before the receipt cannot fall out of the §1 identity; dossiers closed before P0 or
# received after P1 are dropped early (they count nowhere).
_BASE_SQL = """,
base AS (
    SELECT
        d.unit_code, d.channel, d.fee_amount, d.is_paid_online, d.is_digitized, d.has_e_result,
        d.is_data_reused, d.is_synced_national, d.is_apology_issued, d.rating,
        {group_expr} AS g_key,
        CAST(d.received_at AS DATE) AS r_date,
        CAST(d.due_at AS DATE) AS due_date,
        CASE WHEN f_raw IS NOT NULL THEN greatest(f_raw, CAST(d.received_at AS DATE)) END AS f_date,
        coalesce(d.status_code IN (7, 8), false) OR coalesce(d.result_type = 'returned', false) AS is_returned,
        coalesce(d.supplement_count, 0) > 1 AS is_supplemented_twice,
        coalesce(coalesce(d.online_level, p.online_level) IN ('full', 'partial'), false) AS proc_online
    FROM (SELECT *, CAST(coalesce(finished_at, CASE WHEN status_code IN (9, 10) THEN returned_at END) AS DATE) AS f_raw
          FROM dossiers) d
    LEFT JOIN procedures p ON p.procedure_code = d.procedure_code
    LEFT JOIN units u ON u.unit_code = d.unit_code
    {group_join}
    WHERE (d.status_code IS NULL OR d.status_code NOT IN (1, 3))
      AND CAST(d.received_at AS DATE) <= $p1
      AND (d.f_raw IS NULL OR greatest(d.f_raw, CAST(d.received_at AS DATE)) >= $p0)
      AND ($scope IS NULL OR d.unit_code IN (SELECT unit_code FROM scope_units))
),
periods AS ({periods_sql}),
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
f3 AS (
    SELECT *,
        closed AND NOT is_returned AS resolved,
        closed AND is_returned AS returned,
        closed AND NOT is_returned AND (is_supplemented_twice OR coalesce(f_date > due_date, false)) AS resolved_late,
        total_to_handle AND NOT closed AS pending,
        total_to_handle AND NOT closed AND coalesce(due_date < p1, false) AS pending_overdue,
        -- Monday–Friday days in (r_date, f_date]; 1900-01-01 was a Monday, so day numbers stay positive.
        (5 * ((f_date - DATE '1900-01-01' + 1) // 7) + least((f_date - DATE '1900-01-01' + 1) % 7, 5))
          - (5 * ((r_date - DATE '1900-01-01' + 1) // 7) + least((r_date - DATE '1900-01-01' + 1) % 7, 5)) AS workdays
    FROM f2
),
flags AS (
    SELECT *,
        resolved AND NOT resolved_late AND coalesce(f_date < due_date, false) AS resolved_early,
        resolved AND NOT resolved_late AND (due_date IS NULL OR f_date = due_date) AS resolved_on_time,
        pending AND NOT pending_overdue AS pending_within
    FROM f3
)
SELECT {key_select} AS g_key, {grouping_flag} AS is_total, {aggregates}
FROM flags
{group_by}"""

_GROUP_EXPR = {
    "unit": "d.unit_code",
    "level": "u.level",
    "district": "gm.g_code",
    "department": "gm.g_code",
    "field": "coalesce(d.field_name, p.field_name)",
    "procedure": "coalesce(d.procedure_code, d.procedure_name)",
    "month": "NULL",
    None: "NULL",
}
_ONE_PERIOD = "SELECT NULL::VARCHAR AS p_key, $p0::DATE AS p0, $p1::DATE AS p1"
# One sub-period per calendar month cut to [P0, P1]: a month row is that month's own statutory table
# (carried over from the month before, received in the month, resolved in the month, pending at its end).
_MONTH_PERIODS = """
    SELECT strftime(m, '%Y-%m') AS p_key,
           greatest(CAST(m AS DATE), $p0::DATE) AS p0,
           least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), $p1::DATE) AS p1
    FROM range(date_trunc('month', $p0::DATE)::TIMESTAMP, $p1::DATE::TIMESTAMP + INTERVAL 1 DAY, INTERVAL 1 MONTH) t(m)"""

_CATALOGUE_SQL = """,
unit_cat AS (   -- a catalogue row names a unit code, or a level meaning every unit of that level
    SELECT u.unit_code,
        count(DISTINCT pu.procedure_code) AS procedure_count,
        count(DISTINCT pu.procedure_code) FILTER (WHERE p.online_level = 'full') AS online_procedures_full,
        count(DISTINCT pu.procedure_code) FILTER (WHERE p.online_level = 'partial') AS online_procedures_partial
    FROM units u
    JOIN procedure_units pu ON pu.unit_code = u.unit_code OR pu.unit_code = u.level
    LEFT JOIN procedures p ON p.procedure_code = pu.procedure_code
    WHERE ($scope IS NULL OR u.unit_code IN (SELECT unit_code FROM scope_units))
      AND (u.valid_from IS NULL OR u.valid_from <= $p1::DATE)
      AND (u.valid_to IS NULL OR u.valid_to >= $p0::DATE)
    GROUP BY u.unit_code
)
SELECT {group_expr} AS g_key, GROUPING({group_expr}) = 1 AS is_total,
    sum(procedure_count)::BIGINT, sum(online_procedures_full)::BIGINT, sum(online_procedures_partial)::BIGINT
FROM unit_cat c JOIN units u ON u.unit_code = c.unit_code
{group_join}
GROUP BY GROUPING SETS (({group_expr}), ())"""

_CAT_GROUP_EXPR = {"unit": "c.unit_code", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code"}


def _measure_names() -> list[str]:
    return [c for c, _ in PERIOD_COLUMNS] + list(MEASURES)


def _aggregates_sql() -> str:
    parts = [f"count(*) FILTER (WHERE {c})" for c, _ in PERIOD_COLUMNS]
    for kind, expr in MEASURES.values():
        parts.append(f"count(*) FILTER (WHERE {expr})" if kind == "count" else f"coalesce(sum({expr}), 0)::BIGINT")
    return ",\n    ".join(parts)


def _build_sql(by: str | None) -> str:
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = d.unit_code" if by in ("district", "department") else ""
    if by == "month":
        key, flag, group_by, periods = "p_key", "false", "GROUP BY p_key", _MONTH_PERIODS
    elif by is None:
        key, flag, group_by, periods = "NULL", "true", "", _ONE_PERIOD
    else:
        key, flag, group_by, periods = "g_key", "GROUPING(g_key) = 1", "GROUP BY GROUPING SETS ((g_key), ())", _ONE_PERIOD
    return _SCOPE_AND_TREE_SQL + _BASE_SQL.format(
        group_expr=_GROUP_EXPR[by], group_join=group_join, periods_sql=periods, key_select=key,
        grouping_flag=flag, aggregates=_aggregates_sql(), group_by=group_by)


def _params(period: Period, scope: str | None, by: str | None) -> dict[str, Any]:
    return {"p0": period.start, "p1": period.end, "scope": scope,
            "group_level": by if by in ("district", "department") else None}


def _aggregate(con, period: Period, by: str | None, scope: str | None) -> tuple[dict, dict]:
    """Raw sums per group key and for the total: ({key: {measure: int}}, {measure: int})."""
    names = _measure_names()
    rows: dict = {}
    total = None
    for rec in con.execute(_build_sql(by), _params(period, scope, by)).fetchall():
        values = {n: int(v or 0) for n, v in zip(names, rec[2:])}
        if rec[1]:
            total = values
        else:
            rows[rec[0]] = values
    if by == "month":   # the whole period is not the sum of its months (carried-over, pending): own query
        total = _aggregate(con, period, None, scope)[1]
    if total is None:
        total = {n: 0 for n in names}
    # Rows that hold no dossier to handle in the period say nothing; drop them.
    rows = {k: v for k, v in rows.items() if v["total_to_handle"] > 0}
    return rows, total


def _catalogue(con, period: Period, by: str | None, scope: str | None) -> tuple[dict, dict]:
    if by not in _UNIT_GROUPINGS and by is not None:
        return {}, {}
    gexpr = _CAT_GROUP_EXPR.get(by, "NULL")
    group_join = "LEFT JOIN group_map gm ON gm.unit_code = c.unit_code" if by in ("district", "department") else ""
    sql = _SCOPE_AND_TREE_SQL + _CATALOGUE_SQL.format(group_expr=gexpr, group_join=group_join)
    rows, total = {}, {}
    for key, is_total, n, full, partial in con.execute(sql, _params(period, scope, by)).fetchall():
        vals = {"procedure_count": int(n or 0), "online_procedures_full": int(full or 0),
                "online_procedures_partial": int(partial or 0),
                "online_procedures": int(full or 0) + int(partial or 0)}
        if is_total:
            total = vals
        else:
            rows[key] = vals
    if not total:
        total = {c: 0 for c, _ in CATALOGUE_COLUMNS}
    return rows, total


def _value(ind: Indicator, sums: dict) -> tuple[int | None, int | None, float | None]:
    if ind.numerator not in sums or ind.denominator not in sums:
        return None, None, None
    num, den = sums[ind.numerator], sums[ind.denominator]
    return num, den, (ind.factor * num / den if den else None)   # zero denominator: no value, never 0 %


# ---------------------------------------------------------------------------------------------------------
# Units: scope resolution and group names.

# The unit key of etl/sql_macros.sql (norm_key), inlined because indicators/ opens the database read-only and
# never imports etl: lower case, accents stripped, đ→d, punctuation → single spaces.
def _unit_key_sql(expr: str) -> str:
    return (f"trim(regexp_replace(lower(strip_accents(replace(replace(nfc_normalize({expr}), 'đ', 'd'), 'Đ', 'D'))),"
            f" '[^a-z0-9]+', ' ', 'g'))")


def resolve_unit(con, text: str) -> tuple[str, str, str]:
    """A unit code or name (or alias, accents and case ignored) → (code, name, level); UnknownUnitError else."""
    hit = con.execute("SELECT unit_code, unit_name, level FROM units WHERE unit_code = $t", {"t": text.strip()}).fetchall()
    if hit:
        return hit[0]
    rows = con.execute(f"""SELECT DISTINCT unit_code, unit_name, level FROM units,
                              unnest(list_concat([unit_code, unit_name], coalesce(aliases, []))) AS k(candidate)
                           WHERE {_unit_key_sql('candidate')} = {_unit_key_sql('$t')}""", {"t": text}).fetchall()
    found = {code: (code, name, level) for code, name, level in rows}
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise UnknownUnitError(f"Không tìm thấy đơn vị '{text}' trong danh mục đơn vị.")
    raise UnknownUnitError(f"Tên đơn vị '{text}' trùng với nhiều đơn vị: {', '.join(sorted(found))}; hãy dùng mã đơn vị.")


def _unit_info(con) -> dict[str, tuple[str, str]]:
    return {c: (n, lvl) for c, n, lvl in con.execute("SELECT unit_code, unit_name, level FROM units").fetchall()}


def _procedure_names(con) -> dict[str, str]:
    return dict(con.execute("SELECT procedure_code, procedure_name FROM procedures WHERE procedure_name IS NOT NULL").fetchall())


def _group_name(by: str, key, units: dict, procs: dict) -> str:
    if key is None:
        return {"unit": "(Chưa xác định đơn vị)", "level": "(Chưa xác định cấp)",
                "district": "(Không thuộc cấp huyện)", "department": "(Không thuộc sở, ngành)",
                "field": "(Chưa xác định lĩnh vực)", "procedure": "(Chưa xác định thủ tục)"}.get(by, "")
    if by in ("unit", "district", "department"):
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


# ---------------------------------------------------------------------------------------------------------
# Public API.

def compute_period_table(con, period: Period, by: str = "unit", unit: str | None = None) -> dict:
    """The §1 period table with the §2 rates for every group and for the total (rates Σnum/Σden, or None)."""
    if by not in GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(GROUPINGS)}")
    scope = resolve_unit(con, unit)[0] if unit else None
    sums, total_sums = _aggregate(con, period, by, scope)
    with_cat = by in _UNIT_GROUPINGS
    # The catalogue total is over every unit in scope whatever the grouping; rows carry it only when
    # the groups are made of units.
    cat_rows, cat_total = _catalogue(con, period, by if with_cat else None, scope)
    units, procs = _unit_info(con), _procedure_names(con)

    def build(sums_row: dict, cat: dict | None) -> dict:
        out = {c: sums_row[c] for c, _ in PERIOD_COLUMNS}
        merged = dict(sums_row)
        if cat is not None:
            out.update(cat)
            merged.update(cat)
        for ind in INDICATORS:
            if ind.source == "catalogue" and cat is None:
                continue
            out[ind.id] = _value(ind, merged)[2]
        return out

    rows = []
    for key, s in sorted(sums.items(), key=_sort_key):
        cat = (cat_rows.get(key) or {c: 0 for c, _ in CATALOGUE_COLUMNS}) if with_cat else None
        rows.append({"key": key, "name": _group_name(by, key, units, procs), **build(s, cat)})
    total = {"key": None, "name": "Tổng cộng", **build(total_sums, cat_total)}
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": by, "unit": scope,
            "rows": rows, "total": total}


_COMPARATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
                "=": lambda a, b: abs(a - b) < 1e-12}


def _targets(con, ind: Indicator, year: int) -> dict[str, tuple[str, float]]:
    if not ind.target_key:
        return {}
    return {s: (c, v) for s, c, v in con.execute(
        "SELECT scope, comparator, target_value FROM targets WHERE year = $y AND indicator = $i",
        {"y": year, "i": ind.target_key}).fetchall()}


def _target_for(targets: dict, candidates: list) -> tuple[str, float] | None:
    for scope in candidates + ["all"]:   # most specific first: unit code > level > 'all'
        if scope is not None and scope in targets:
            return targets[scope]
    return None


def compute_indicator(con, indicator_id: str, period: Period, by: str = "unit", unit: str | None = None) -> dict:
    """One indicator per group: numerator, denominator, value, target, is_met, gap_points, previous_value,
    last_year_value (the same group in the previous period and in the same period a year before)."""
    ind = get_indicator(indicator_id)
    if by not in GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(GROUPINGS)}")
    scope_info = resolve_unit(con, unit) if unit else None
    scope = scope_info[0] if scope_info else None
    units, procs = _unit_info(con), _procedure_names(con)

    def sums_for(p: Period) -> tuple[dict, dict]:
        if ind.source == "catalogue":
            return _catalogue(con, p, by if by in _UNIT_GROUPINGS else None, scope)
        return _aggregate(con, p, by, scope)

    cur_rows, cur_total = sums_for(period)
    prev_rows, prev_total = sums_for(period.previous())
    ly_rows, ly_total = sums_for(period.same_period_last_year())
    targets = _targets(con, ind, period.end.year)
    scope_candidates = [scope, scope_info[2]] if scope_info else []

    def candidates(key) -> list:
        if by == "unit":
            return [key, units.get(key, (None, None))[1]]
        if by == "level":
            return [key]
        if by in ("district", "department"):
            return [key, by]
        return scope_candidates

    def record(key, name, sums, prev, ly, cands) -> dict:
        num, den, value = _value(ind, sums)
        tgt = _target_for(targets, cands)
        comparator, target = (tgt if tgt else (None, None))
        is_met = gap = None
        if value is not None and target is not None:
            is_met = bool(_COMPARATORS[comparator](value, target))
            gap = (value - target) * (100 if ind.unit == "fraction" else 1)
        return {"key": key, "name": name, "numerator": num, "denominator": den, "value": value,
                "target": target, "comparator": comparator, "is_met": is_met, "gap_points": gap,
                "previous_value": _value(ind, prev)[2] if prev else None,
                "last_year_value": _value(ind, ly)[2] if ly else None}

    if by == "month" and ind.source == "dossiers":
        # A month's previous/last-year values are the month before and the same month a year before.
        prev_rows = {}
        ly_rows = {}
        months = _aggregate(con, Period(period.start.replace(day=1), period.end).shift_months(-12), "month", scope)[0]
        before = _aggregate(con, Period(period.start.replace(day=1), period.end).shift_months(-1), "month", scope)[0]
        for key in cur_rows:
            y, m = map(int, key.split("-"))
            py, pm = (y, m - 1) if m > 1 else (y - 1, 12)
            prev_rows[key] = before.get(f"{py:04d}-{pm:02d}") or cur_rows.get(f"{py:04d}-{pm:02d}")
            ly_rows[key] = months.get(f"{y - 1:04d}-{m:02d}")
    rows = [record(k, _group_name(by, k, units, procs), s, prev_rows.get(k), ly_rows.get(k), candidates(k))
            for k, s in sorted(cur_rows.items(), key=_sort_key)]
    total = record(None, "Tổng cộng", cur_total, prev_total, ly_total, scope_candidates)
    return {"indicator": ind.id, "name_vi": ind.name_vi, "from": period.start.isoformat(),
            "to": period.end.isoformat(), "by": by, "unit": scope, "rows": rows, "total": total}
