"""The 766 index per group of units for a period (ranked among peers, beside the portal's published scores), and
the scope's score over many periods at once (the trend by week and month)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from ..engine import LEVEL_NAMES_VI, group_names
from ..periods import Period
from ..ranking import rank_rows
from ..scope import resolve_unit, unit_info
from ..units import LEVEL_ORDER, peer_groups
from ..view_cache import in_view
from .config import load_index766_config
from .published import attach_published
from .scoring import score_row
from .sources import gather

__all__ = ["GROUPINGS_766", "compute_index766", "compute_index766_series", "prefetch_index766", "peer_group_name",
           "iso_weeks"]

GROUPINGS_766 = ("unit", "level", "district", "department")


def peer_group_name(level: str | None) -> str | None:
    """The peer group a level ranks in ("Cấp xã" holds wards and communes alike); None: not ranked."""
    return LEVEL_NAMES_VI.get(level, level) if level else None


def _level_of(by: str, key, levels: dict) -> str | None:
    if by == "unit":
        return levels.get(key)
    if by in ("district", "department"):
        return by if key is not None else None
    return key if by == "level" else None


def _rank(rows: list[dict]) -> None:
    """Ranks by total points inside each peer group; a level is never ranked against another, a row without a
    group is not ranked. Scores are sums of products: closer than 1e-9 points is a tie."""
    for r, placing in zip(rows, rank_rows(rows, "total", group="peer_group", tolerance=1e-9)):
        r["rank"], r["peer_count"] = placing.rank, placing.peers if placing.rank is not None else None


def _ranked_groups(fact_rows: dict, by: str, levels: dict, groups: dict):
    """(key, facts, level, peer group) of each group that gets a row: the city's own row only for dossiers of its
    own (it has no peers to be ranked with)."""
    for key, f in fact_rows.items():
        level = _level_of(by, key, levels)
        if level in _NO_PEERS and not any(f["measures"].values()):
            continue
        yield key, f, level, groups.get(key) if by == "unit" else peer_group_name(level) if by != "level" else None


def _within_scope(groups, by: str, scope: str | None, scope_level: str | None):
    """The groups of a scope below the grouping (a ward grouped by district): such a row holds the scope's dossiers
    only, not its district's, so it is scored at the scope's level, as the scope's own total is, and not ranked
    among whole districts (it read «Quận 1: 57,3 điểm, hạng 1/1» beside the ward's own 69,3)."""
    for key, f, level, peer in groups:
        if scope is not None and by in ("district", "department") and key != scope and scope_level not in _NO_PEERS:
            yield key, f, scope_level, None
        else:
            yield key, f, level, peer


def _rank_among_the_city(con, config, period: Period, by: str, groups: dict, levels: dict, rows: list[dict]) -> None:
    """The rank and peer count each row of a scope has among the rows of the whole city (only those numbers: no
    other unit's figure leaves this function)."""
    everyone = [{"key": key, "peer_group": peer, "total": score_row(config, f, level)["total"]}
                for key, f, level, peer in _ranked_groups(gather(con, {"p": period}, by, None)["p"]["rows"], by,
                                                          levels, groups)]
    _rank(everyone)
    placed = {r["key"]: (r["rank"], r["peer_count"]) for r in everyone}
    for r in rows:
        r["rank"], r["peer_count"] = placed.get(r["key"], (None, None))


def _display_order(r: dict):
    level = r["level"]
    tier = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER) + (level is None)
    return (r["peer_group"] is None, tier, r["peer_group"] or "", r["rank"] is None, r["rank"] or 0, str(r["name"]))


# Levels no unit is ranked with: listed by unit only when they handle dossiers themselves.
_NO_PEERS = ("province", "city")


def compute_index766(con, period: Period, by: str = "unit", unit: str | None = None,
                     config_dir: str | Path | None = None, *, with_published: bool = True,
                     city_ranks: bool = False) -> dict:
    """The 766 index as the portal scores it (indicators.md §3) for every group of units with dossiers in the
    period, and for the whole scope.

    Returns {"from", "to", "by", "unit", "config": {...}, "rows": [...], "total": {...}}. Each row (and the
    total): key, name, level, peer_group, rank, peer_count, total (points, never rescaled; None without any
    data), max_points (100), covered_points (the points the loaded data can give: "tính được 62/100 điểm"),
    band, groups {"1": {name, points, max_points, covered_points}, … "6"}, decision_groups (the decision text's
    five groups, same shape), criteria {"1.1": {points, max_points, rate, numerator, denominator, status,
    status_text, …}, …} and published (the portal's scores for this unit and period with the differences and
    their likely causes, or None). Rows are ordered by peer group then rank; by unit each row is one unit's own
    dossiers, by district or department the unit's whole subtree. with_published=False: no "published" key (the
    portal's scores are not read; PAR INDEX reads the totals only). city_ranks (by unit, with a unit): each unit's
    rank and peer count among its peers of the whole city, as a report sent on needs them, rather than inside the
    scope (the 766 page's «trong phạm vi đang chọn»); it costs a second, city-wide count."""
    if by not in GROUPINGS_766:
        raise ValueError(f"Cách nhóm không hợp lệ cho chỉ số 766: '{by}'. Chọn một trong: {', '.join(GROUPINGS_766)}")
    config = load_index766_config(period.end, config_dir)
    scope_info = resolve_unit(con, unit) if unit else None
    scope = scope_info[0] if scope_info else None
    scope_level = scope_info[2] if scope_info else None
    facts = gather(con, {"p": period}, by, scope)["p"]
    levels = {code: level for code, (_, level) in unit_info(con).items()}
    names = group_names(con, by, facts["rows"])
    # by unit: the unit's level in the period, per structure when the period spans a reorganization
    groups = peer_groups(con, period.start, period.end) if by == "unit" else {}
    rows = [{"key": key, "name": names[key], "level": level, "peer_group": peer, "facts": f,
             **score_row(config, f, level)}
            for key, f, level, peer in _within_scope(_ranked_groups(facts["rows"], by, levels, groups), by, scope,
                                                     scope_level)]
    if city_ranks and scope is not None and by == "unit":
        # a unit among its peers of the whole city (probe 41: a district's report read 1/1 inside its own scope,
        # the city's report and the inspection pack 2/2)
        _rank_among_the_city(con, config, period, by, groups, levels, rows)
    else:
        _rank(rows)
    rows.sort(key=_display_order)
    total = {"key": scope, "name": scope_info[1] if scope_info else "Toàn thành phố", "level": scope_level,
             "peer_group": None, "rank": None, "peer_count": None, "facts": facts["total"],
             **score_row(config, facts["total"], scope_level)}
    if with_published:
        attach_published(con, config, period, rows, total, scope)
    for r in rows + [total]:
        r.pop("facts")
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": by, "unit": scope,
            "config": _config_summary(config), "rows": rows, "total": total}


def _config_summary(config) -> dict:
    return {"valid_from": config.valid_from.isoformat(), "bands_valid_from": config.bands_valid_from.isoformat(),
            "max_points": config.max_points, "bands": [{"band": b.name, "lower_bound": b.lower_bound}
                                                       for b in config.bands],
            "groups": [{"id": g, "name": n, "max_points": m} for g, n, m in config.groups()],
            "decision_groups": [{"id": g, "name": n, "max_points": m} for g, n, m in config.groups(True)],
            "note": config.note}


def compute_index766_series(con, periods: dict[str, Period], unit: str | None = None,
                            config_dir: str | Path | None = None) -> dict[str, dict]:
    """The scope's score for each period (a week, a month…), every period in the same few queries: {period key:
    the total row of compute_index766 (without published), or None when the scope had nothing to handle}. Each
    period is scored by the configuration in force on its last day."""
    scope_info = resolve_unit(con, unit) if unit else None
    scope = scope_info[0] if scope_info else None
    level = scope_info[2] if scope_info else None
    facts = gather(con, {}, None, scope, periods, _series_measures(periods.values(), config_dir))
    out = {}
    for key, period in periods.items():
        f = facts[key]["total"]
        if not f["measures"].get("total_to_handle"):
            out[key] = None
            continue
        out[key] = {"from": period.start.isoformat(), "to": period.end.isoformat(),
                    **score_row(load_index766_config(period.end, config_dir), f, level)}
    return out


def prefetch_index766(con, period: Period, by: str, unit: str | None = None, also: list[Period] = ()) -> None:
    """Within a page view: the facts of the period by `by` and the scope's totals of the periods `also` (the
    trend's) gathered at once, for the view's later compute_index766 of that grouping and compute_index766_series
    of the same scope to find. Outside a view it does nothing."""
    if not in_view():
        return
    scope = resolve_unit(con, unit)[0] if unit else None
    also = list(dict.fromkeys(also))
    gather(con, {"p": period}, by, scope, {f"q{i}": p for i, p in enumerate(also)}, _series_measures(also))


def _series_measures(periods, config_dir: str | Path | None = None) -> frozenset:
    """The dossier measures a series of totals reads (compute_index766_series): those of the criteria in force at
    each period's end and total_to_handle; the dossiers' other 20 measures are not summed (a third of the trend's
    measure query)."""
    out = {"total_to_handle"}
    for p in periods:
        for c in load_index766_config(p.end, config_dir).criteria:
            out.update(c.dossier_measures())
    return frozenset(out)


def iso_weeks(period: Period) -> dict[str, Period]:
    """The whole weeks (Monday–Sunday, ISO numbered: the portal's weekly scoreboard) lying inside the period:
    {"2022-W10": Period(7/3, 13/3), …}; a week cut by the period's ends is left out, never scored as a week."""
    out, monday = {}, period.start + timedelta(days=(7 - period.start.weekday()) % 7)
    while monday + timedelta(days=6) <= period.end:
        year, week, _ = monday.isocalendar()
        out[f"{year}-W{week:02d}"] = Period(monday, monday + timedelta(days=6))
        monday += timedelta(days=7)
    return out
