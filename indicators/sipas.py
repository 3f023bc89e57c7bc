"""SIPAS satisfaction indices from the loaded questionnaires: criteria, elements, SIPAS, expectations, targets."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from model.indicator_table import SIPAS_TARGET_KEY as TARGET_KEY   # targets.indicator
from model.sipas_summary import summary_is_fresh

from .engine import LEVEL_NAMES_VI
from .database_state import database_state
from .periods import Period, survey_year_range
from .ranking import rank_rows
from .scope import resolve_unit, unit_info
from .sipas_sql import counts_sql, periods_values
from .targets import judge, load_targets, pick_target
from .units import require_level
from .view_cache import reused_in_view
from .wilson import wilson_interval

__all__ = ["GROUPINGS", "MIN_VALID", "compute_sipas", "rank_sipas", "sipas_change", "weakest_criteria",
           "sipas_catalogue", "survey_years"]

GROUPINGS = ("unit", "level", "district", "department")
MIN_VALID = 30          # fewer valid questionnaires than this: too small to rank
ELEMENTS = ("1", "2", "3", "4", "5")
_NO_KEY_NAMES = {"unit": "(Chưa xác định đơn vị)", "level": "(Chưa xác định cấp)",
                 "district": "(Không thuộc cấp huyện)", "department": "(Không thuộc sở, ngành)"}


@dataclass
class _Counts:
    """Raw counts of one group (or the total), as the query returns them."""
    items: dict = field(default_factory=dict)            # item_code → [type, element, valid, favourable, invalid]
    criteria_only: dict = field(default_factory=dict)    # criterion → [element, valid, favourable]
    criteria_only_n: dict = field(default_factory=dict)  # element → questionnaires
    published: dict = field(default_factory=dict)        # element → [respondents, favourable]
    questionnaires: int = 0
    valid_questionnaires: int = 0


def _tables_exist(con) -> bool:
    return {"survey_responses", "survey_answers", "survey_aggregates", "sipas_catalogue"} <= database_state(con).tables


@reused_in_view()   # whether the counts come from the load-time summary: asked once per view
def _summary_ready(con) -> bool:
    return summary_is_fresh(con, database_state(con))


def _collect_periods(con, periods: list[Period], by: str | None, scope: str | None) -> list[tuple[dict, _Counts]]:
    """(counts per group, total counts) of each period, from one query (the answers are read once)."""
    out = [({}, _Counts()) for _ in periods]
    if not _tables_exist(con):
        return out
    periods_sql, params = periods_values([(p.start, p.end, *survey_year_range(p)) for p in periods])
    params.update({"scope": scope, "group_level": by if by in ("district", "department") else None})
    sql = counts_sql(by, periods_sql, len(periods), summary=_summary_ready(con))
    for p_key, tag, key, is_total, code, item_type, element, x, y, z in con.execute(sql, params).fetchall():
        x, y, z = x or 0, y or 0, z or 0   # sums over no row are NULL
        rows, total = out[p_key]
        c = total if is_total else rows.setdefault(key, _Counts())
        if tag == "item":
            c.items[code] = [item_type, element, int(x), int(y), int(z)]
        elif tag == "criteria_only":
            c.criteria_only[code] = [element, int(x), int(y)]
        elif tag == "criteria_only_n":
            c.criteria_only_n[element] = int(x)
        elif tag == "questionnaires":
            c.questionnaires += int(x)
            c.valid_questionnaires += int(y)
        elif tag == "published":
            c.published[element] = [x, y]
        elif tag == "published_n":
            c.questionnaires += int(x)
            c.valid_questionnaires += int(x)
    return out


@reused_in_view()
def sipas_catalogue(con, year: int | None = None) -> dict:
    """The catalogue of the method in force in `year` (the latest one when None):
    {"method": "2017", "elements": {"1": name, …}, "criteria": {"1.1": {"name", "element"}, …},
     "expectations": {"MD1": name, …}}; empty dicts when no catalogue is loaded."""
    out = {"method": None, "elements": {}, "criteria": {}, "expectations": {}}
    rows = _catalogue_rows(con)
    if not rows:
        return out
    first_year: dict[str, int] = {}
    for method, from_year, *_ in rows:
        first_year[method] = min(from_year, first_year.get(method, from_year))
    methods = sorted(first_year.items(), key=lambda m: m[1])
    in_force = [m for m, y in methods if year is None or y <= year] or [methods[0][0]]
    out["method"] = in_force[-1]
    for _, _, item_type, element, code, name in (r for r in rows if r[0] == out["method"]):
        if item_type == "element":
            out["elements"][code] = name
        elif item_type == "criterion":
            out["criteria"][code] = {"name": name, "element": str(element)}
        else:
            out["expectations"][code] = name
    return out


@reused_in_view()
def _catalogue_rows(con) -> list[tuple]:
    """Every row of the SIPAS catalogue (a few dozen), in the order sipas_catalogue lists a method's items: a page
    that reads the catalogue of this year and of last year reads it once (four small queries cost 9 ms a view)."""
    if not _tables_exist(con):
        return []
    return con.execute("""SELECT method, from_year, item_type, element_no, item_code, item_name FROM sipas_catalogue
                          ORDER BY item_type, element_no, try_cast(split_part(item_code, '.', 2) AS INT), item_code
                          """).fetchall()


def _share(favourable: float, valid: float) -> dict:
    return {"index": favourable / valid if valid else None, "valid": valid, "ci95": wilson_interval(favourable, valid)}


_DIGITS = re.compile("[0-9]+")


def _code_order(code: str):
    # one regex rather than a loop over the characters (half the time): ~2.500 codes sorted per Hài lòng view
    return [int(d) for d in _DIGITS.findall(code)] or [0], code


def _element(counts: _Counts, e: int, name: str | None) -> dict:
    """Share 4–5 on the element's satisfaction question; for questionnaires whose form has none, the mean of the
    element's criterion indices over those questionnaires, weighted by their number (one form: exactly the rule)."""
    asked = counts.items.get(f"HL{e}")
    valid = float(asked[2]) if asked else 0.0
    favourable = float(asked[3]) if asked else 0.0
    if e in counts.published:
        valid += counts.published[e][0]
        favourable += counts.published[e][1]
    shares = [f / v for el, v, f in counts.criteria_only.values() if el == e and v]
    n_criteria = counts.criteria_only_n.get(e, 0) if shares else 0
    if n_criteria:
        favourable += sum(shares) / len(shares) * n_criteria
    total_valid = valid + n_criteria
    source = "criteria" if not valid and n_criteria else ("mixed" if n_criteria else "satisfaction")
    out = _share(favourable, total_valid)
    out["valid"] = int(round(total_valid))
    return {"name": name, **out, "source": source if total_valid else None}


def unit_indices_of(con, periods: list[Period]) -> list[dict[str, dict]]:
    """Per period, {unit code: {"sipas": index, "elements": {element: index}}} of every unit surveyed in it: the
    SIPAS and element indices of compute_sipas(by="unit"), from the same counts and rule, without its names, last
    year, targets or ranks (what the PAR INDEX reads); every period from one query (a year and the year before)."""
    out = []
    for counts, _ in _collect_periods(con, periods, "unit", None):
        indices = {}
        for code, c in counts.items():   # _build's elements and SIPAS, without criteria, expectations, intervals
            elements = {e: _element(c, int(e), None)["index"] for e in ELEMENTS}
            indices[code] = {"sipas": _sipas(list(elements.values())), "elements": elements}
        out.append(indices)
    return out


def _sipas(indices: list) -> float | None:
    """The SIPAS index: the mean of the five element indices, when every element has one."""
    return sum(indices) / 5 if all(i is not None for i in indices) else None


def _build(counts: _Counts, catalogue: dict) -> dict:
    items = counts.items
    criteria = {}
    for code in sorted((c for c, v in items.items() if v[0] == "criterion"), key=_code_order):
        _, element, valid, favourable, invalid = items[code]
        criteria[code] = {"name": catalogue["criteria"].get(code, {}).get("name", code), "element": str(element),
                          **_share(favourable, valid), "favourable": favourable, "invalid": invalid}
    elements = {e: _element(counts, int(e), catalogue["elements"].get(e, f"Yếu tố {e}")) for e in ELEMENTS}
    sipas = _sipas([elements[e]["index"] for e in ELEMENTS])
    n = counts.valid_questionnaires
    overall = items.get("HL")
    expectations = {}
    for code in sorted((c for c, v in items.items() if v[0] == "expectation"), key=_code_order):
        _, _, valid, chosen, _ = items[code]
        share = _share(chosen, valid)
        expectations[code] = {"name": catalogue["expectations"].get(code, code), "share": share["index"],
                              "chosen": chosen, "valid": valid, "ci95": share["ci95"]}
    return {
        "questionnaires": counts.questionnaires, "sipas_valid": n, "sipas": sipas,
        # why a group with questionnaires has no SIPAS: the elements no valid answer speaks of
        "sipas_missing_elements": [e for e in ELEMENTS if elements[e]["index"] is None] if counts.questionnaires else [],
        "sipas_ci95": wilson_interval(sipas * n, n) if sipas is not None else None,
        "too_small": n < MIN_VALID,
        "elements": elements, "criteria": criteria, "expectations": expectations,
        "overall": ({**_share(overall[3], overall[2]), "favourable": overall[3]} if overall else None),
        "invalid_answers": sum(v[4] for v in items.values()),
    }


def _group_name(by: str, key, units: dict) -> str:
    if key is None:
        return _NO_KEY_NAMES[by]
    if by == "level":
        return LEVEL_NAMES_VI.get(key, key)
    return units.get(key, (key, None))[0]


def _peer_group(row: dict):
    """Who a row is ranked with: a unit with the units of its level (a ward never with a department), a district or
    department with the others; the row of no unit (questionnaires under a name the unit list lacks, the units
    outside every district of a grouping) with none."""
    return None if row["key"] is None else row.get("level", "all")


def rank_sipas(rows: list[dict]) -> None:
    """Sets each row's "rank" among its peers in `rows` (_peer_group): 1 = highest SIPAS, ties share a rank; too
    small (under MIN_VALID valid answers), without an index or of no unit: None."""
    for r, placing in zip(rows, rank_rows(rows, "sipas", group=_peer_group, volume="sipas_valid",
                                          min_volume=MIN_VALID)):
        r["rank"] = placing.rank


def _points(now, before):
    return (now - before) * 100 if now is not None and before is not None else None


def _add_last_year(row: dict, before: dict | None, same_method: bool = True) -> None:
    """Last year's figures beside this year's. Across two methods (2640/2017 and a newer one) the criteria are other
    questions under the same codes (probe 18: 2023's 2.4 was compared with 2017's 2.4): only the elements and the
    index are compared then."""
    row["last_year_sipas"] = before["sipas"] if before else None
    row["change_points"] = _points(row["sipas"], row["last_year_sipas"])
    for e, el in row["elements"].items():
        el["last_year_index"] = before["elements"][e]["index"] if before else None
        el["change_points"] = _points(el["index"], el["last_year_index"])
    for code, cr in row["criteria"].items():
        old = before["criteria"].get(code) if before and same_method else None
        cr["last_year_index"] = old["index"] if old else None
        cr["change_points"] = _points(cr["index"], cr["last_year_index"])


def _add_target(row: dict, targets: dict, candidates: list) -> None:
    found = pick_target(targets, TARGET_KEY, candidates)
    row["target"], row["comparator"] = (found[1], found[0]) if found else (None, None)
    # a mean of five shares carries float noise (0.86 may come out 0.8599999999999999): targets.judge compares
    # with a tolerance far below the 0.01-point precision anyone reads
    row["is_met"], row["gap_points"] = judge(row["sipas"], found, "fraction")


def _sort_key(row: dict):
    return row["key"] is None, str(row["key"])


def compute_sipas(con, period: Period, by: str = "unit", unit: str | None = None) -> dict:
    """SIPAS per group and for the total (re-aggregated from the answers, never an average of group indices).

    Returns {"from", "to", "by", "unit", "method", "has_data", "rows": [row…], "total": row}; a row is
    {"key", "name", ["level" when by='unit'], "questionnaires", "sipas_valid", "sipas", "sipas_ci95": [lo, hi],
     "sipas_missing_elements": ["5"…] (the elements without a valid answer, why "sipas" is None),
     "too_small", "rank", "target", "comparator", "is_met", "gap_points", "last_year_sipas", "change_points",
     "elements": {"1"…"5": {"name", "index", "valid", "ci95", "source", "last_year_index", "change_points"}},
     "criteria": {"1.1": {"name", "element", "index", "valid", "ci95", "favourable", "invalid",
                          "last_year_index", "change_points"}},
     "expectations": {"MD1": {"name", "share", "chosen", "valid", "ci95"}},
     "overall": {"index", "valid", "ci95", "favourable"} | None, "invalid_answers"}.
    Indices are fractions 0–1 (None without valid answers); gap_points and change_points are percentage points."""
    if by not in GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ: '{by}'. Chọn một trong: {', '.join(GROUPINGS)}")
    if by in ("district", "department"):   # a level the period has no unit of says so (spec §5)
        require_level(con, by, period.start, period.end)
    scope_info = resolve_unit(con, unit) if unit else None
    scope = scope_info[0] if scope_info else None
    catalogue = sipas_catalogue(con, period.end.year)
    units = unit_info(con)
    # the period and the same one last year in one query
    (counts, total_counts), (ly_counts, ly_total_counts) = _collect_periods(
        con, [period, period.same_period_last_year()], by, scope)
    ly_catalogue = sipas_catalogue(con, period.end.year - 1)
    same_method = ly_catalogue["method"] == catalogue["method"]
    targets = load_targets(con, period.end.year) if _tables_exist(con) else {}

    rows = []
    for key, c in counts.items():
        row = {"key": key, "name": _group_name(by, key, units)}
        if by == "unit":
            row["level"] = units.get(key, (None, None))[1]
        row.update(_build(c, catalogue))
        _add_last_year(row, _build(ly_counts[key], ly_catalogue) if key in ly_counts else None, same_method)
        level = units.get(key, (None, None))[1]
        _add_target(row, targets, {"unit": [key, level], "level": [key]}.get(by, [key, by]))
        rows.append(row)
    rows.sort(key=_sort_key)
    rank_sipas(rows)
    total = {"key": None, "name": "Tổng cộng", **_build(total_counts, catalogue), "rank": None}
    _add_last_year(total, _build(ly_total_counts, ly_catalogue) if ly_total_counts.questionnaires else None,
                   same_method)
    _add_target(total, targets, [scope, scope_info[2]] if scope_info else [])
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "by": by, "unit": scope,
            "method": catalogue["method"], "has_data": total_counts.questionnaires > 0, "rows": rows, "total": total}


def sipas_change(con, period: Period, by: str = "unit", unit: str | None = None, result: dict | None = None) -> dict:
    """"Change since last year", ready to draw: {"from", "to", "last_year_from", "last_year_to",
    "rows": [{"key", "name", "sipas", "last_year_sipas", "change_points", "too_small",
              "elements": {"1": {"name", "index", "last_year_index", "change_points"}, …}}], "total": {…}}.
    Rows with no value last year have None there. Pass `result` (a compute_sipas result) to avoid recomputing."""
    result = result or compute_sipas(con, period, by, unit)
    last = period.same_period_last_year()

    def slim(r: dict) -> dict:
        return {"key": r["key"], "name": r["name"], "sipas": r["sipas"], "last_year_sipas": r["last_year_sipas"],
                "change_points": r["change_points"], "too_small": r["too_small"],
                "elements": {e: {k: el[k] for k in ("name", "index", "last_year_index", "change_points")}
                             for e, el in r["elements"].items()}}
    return {"from": result["from"], "to": result["to"], "last_year_from": last.start.isoformat(),
            "last_year_to": last.end.isoformat(), "rows": [slim(r) for r in result["rows"]],
            "total": slim(result["total"])}


def weakest_criteria(con, period: Period, unit: str | None = None, limit: int = 5,
                     result: dict | None = None) -> list[dict]:
    """The criteria with the lowest index in scope (the whole city, or `unit` and its subtree), weakest first:
    [{"code", "name", "element", "element_name", "index", "valid", "ci95", "too_small", "last_year_index",
    "change_points"}]. Criteria with fewer than 30 valid answers come after the others (their index says little).
    Pass `result` (a compute_sipas result for the same scope) to avoid recomputing."""
    result = result or compute_sipas(con, period, "unit", unit)
    total = result["total"]
    out = [{"code": code, "name": c["name"], "element": c["element"],
            "element_name": total["elements"].get(c["element"], {}).get("name"), "index": c["index"],
            "valid": c["valid"], "ci95": c["ci95"], "too_small": c["valid"] < MIN_VALID,
            "last_year_index": c["last_year_index"], "change_points": c["change_points"]}
           for code, c in total["criteria"].items() if c["index"] is not None]
    out.sort(key=lambda c: (c["too_small"], c["index"], _code_order(c["code"])))
    return out[:limit]


@reused_in_view(copy=list)
def survey_years(con) -> list[int]:
    """Years with questionnaires or published results, oldest first (for a year picker)."""
    if not _tables_exist(con):
        return []
    return [r[0] for r in con.execute("""SELECT survey_year FROM survey_responses UNION
                                         SELECT survey_year FROM survey_aggregates ORDER BY 1""").fetchall()]
