"""PAR INDEX figures (par-index.md): per unit and year the points, applicable maximum, index, rank and group within
its peer group, by area; change since last year; points lost; self-assessment against appraisal; the data check.

Points of a criterion: the council's appraisal; where it has not appraised, a `data` criterion takes the score
the city's own figures give and any other the unit's self-assessment (flagged "chưa thẩm định"). The survey
part: the unit's survey points from a file (shared over the survey criteria by their maxima), else survey scores
entered in the score files, else max × SIPAS index of the year (the element a criterion names, sipas_1 …
sipas_5, or the overall SIPAS); a unit with none of these has its survey part left out of its maximum (flagged)."""
from __future__ import annotations

import csv
from operator import itemgetter
from pathlib import Path

import pyarrow as pa

from common.formats import vn_percent, vn_score
from model.par_nodes import NODES_TABLE, par_nodes_are_fresh
from model.par_rules import PAR_INDICATORS, band_text, parse_rule, score

from .engine import LEVEL_NAMES_VI
from .database_state import database_state
from .index766 import CONFIG_DIR
from .par_data import data_values
from .par_data_store import stored_par_data
from .par_sql import FRAMEWORK_SQL, NODES_SQL, SUMS_SQL, par_tables_exist
from .ranking import rank_rows
from .scope import resolve_unit, unit_info
from .units import LEVEL_ORDER
from .view_cache import kept_with, reused_in_view

__all__ = ["GROUPS_CSV", "load_groups", "group_of", "par_years", "par_roster", "compute_par", "points_lost_by_area",
           "data_request", "NOT_APPRAISED", "PEER_GROUP_NAMES"]

GROUPS_CSV = CONFIG_DIR / "par_groups.csv"
NOT_APPRAISED = "chưa thẩm định"
NO_SURVEY = "chưa có điểm điều tra xã hội học"
PEER_GROUP_NAMES = {"department": "Sở, ban, ngành", "district": "Quận, huyện", "ward": "Phường, xã"}
_TOLERANCE = 1e-9   # sums of products: two equal indices may differ by float noise


def load_groups(path: str | Path | None = None) -> list[tuple[str, float]]:
    """The groups A/B/C/D as configured (indicators/config/par_groups.csv: group, min_index_percent), highest
    first, each with its lower bound as a fraction."""
    with open(path or GROUPS_CSV, encoding="utf-8-sig", newline="") as handle:
        rows = [(r["group"].strip(), float(r["min_index_percent"].replace(",", ".")) / 100)
                for r in csv.DictReader(handle) if (r.get("group") or "").strip()]
    return sorted(rows, key=lambda g: -g[1])


def group_of(index: float | None, groups: list[tuple[str, float]]) -> str | None:
    if index is None:
        return None
    return next((name for name, lower in groups if index >= lower - _TOLERANCE), groups[-1][0] if groups else None)


def par_years(con) -> list[int]:
    """Years with a framework and scores, oldest first."""
    if not par_tables_exist(con):
        return []
    return [r[0] for r in con.execute("""SELECT DISTINCT year FROM par_framework
        WHERE year IN (SELECT year FROM par_scores UNION SELECT year FROM par_survey_points) ORDER BY 1""").fetchall()]


def par_roster(con, year: int) -> dict:
    """Who is scored in `year`, before any score is computed (a page picks the peer group to score from it):
    {"groups": {peer group: name} (every framework of the year, as compute_par's "frameworks" orders them),
    "units": [{"unit", "peer_group"}] (the scored units of the unit list; a unit in two groups comes first in the
    group compute_par lists first)}."""
    groups = sorted(_framework(con, year)) if par_tables_exist(con) else []   # read again by the scoring
    # from the year's nodes, which the scoring of the same view reads again (_year_nodes)
    units = [{"unit": u, "peer_group": g}
             for g, u in {(n["peer_group"], n["unit_code"]) for n in _year_nodes(con, year) if n["unit_code"]}
             ] if groups else []
    units.sort(key=lambda u: (_tier(u["peer_group"]), u["peer_group"], u["unit"]))
    return {"groups": {g: _group_name(g) for g in groups}, "units": units}


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _year_nodes(con, year: int) -> list[dict]:
    """Every unit's scoring nodes of `year` (NODES_SQL). Read by par_roster and by the scoring of the same view
    (callers copy, never change, a node): in a view, kept; asked for a year, the year before (the page's last-year
    figures) comes from the same query."""
    return kept_with("par_year_nodes", year, year - 1, lambda years: _nodes_of(con, years))


@reused_in_view()   # whether the nodes stored at load are current: asked once per view
def _nodes_stored(con) -> bool:
    return par_nodes_are_fresh(con, database_state(con))


def _nodes_of(con, years: list[int]) -> dict[int, list[dict]]:
    """{year: its nodes} from one query over `years`: the nodes stored at load (model/par_nodes.py) when current,
    else NODES_SQL itself (a database made before the table existed, or loaded by an older version since)."""
    sql = (f"SELECT * FROM {NODES_TABLE} WHERE list_contains($years, year) ORDER BY year, peer_group, identity, "
           "position" if _nodes_stored(con) else NODES_SQL)
    cursor = con.execute(sql, {"years": years})
    names = [d[0] for d in cursor.description][1:]   # the first column is the year
    out: dict[int, list[dict]] = {y: [] for y in years}
    for row in cursor.fetchall():
        out[row[0]].append(dict(zip(names, row[1:])))
    return out


# ---------------------------------------------------------------------------------------------------------
# Scoring each node.

def _survey_maxima(nodes: list[dict]) -> dict:
    out: dict = {}
    for n in nodes:
        if n["method"] == "survey" and not n["not_applicable"]:
            out[n["identity"]] = out.get(n["identity"], 0.0) + n["max_points"]
    return out


def _data_check(n: dict, rule, value, data_score, missing: dict) -> dict:
    """The data's score of a `data` criterion beside the unit's, with the sentence naming a claim it does not
    support ("tự chấm 1/1 cho tỷ lệ … ≥ 99 %, số liệu: 97,80 % (0,5 điểm)")."""
    ind, self_score, top = n["indicator"], n["self_score"], n["max_points"]
    supported = None if value is None or self_score is None else self_score <= data_score + _TOLERANCE
    if value is None:
        note = missing.get(ind) if n["unit_code"] else "đơn vị chưa có trong danh mục đơn vị: chưa đối chiếu được"
    elif supported is False:
        claim = band_text(rule, self_score) or ("(điểm tối đa × tỷ lệ)" if rule.kind == "linear" else "")
        note = (f"tự chấm {vn_score(self_score)}/{vn_score(top)} cho {PAR_INDICATORS.get(ind, ind)}"
                f"{' ' + claim if claim else ''}, số liệu: {vn_percent(value)} ({vn_score(data_score)} điểm)")
    else:
        note = None
    return {"code": n["code"], "name": n["name"], "indicator": ind, "max_points": top, "self_score": self_score,
            "appraised_score": n["appraised_score"], "data_score": data_score, "value": value, "supported": supported,
            "note": note}


def _score_node(n: dict, values: dict, missing: dict, survey_max: dict, checks: bool = True,
                rules: dict | None = None) -> dict:
    top, own, council = n["max_points"], n["self_score"], n["appraised_score"]
    out = {**n, "points": None, "not_appraised": False, "source": "appraised", "check": None}
    fallback = council if council is not None else own
    if n["method"] == "survey":
        sipas = values.get((n["unit_code"], n["indicator"] or "sipas"))
        if n["unit_survey_points"] is not None and survey_max.get(n["identity"]):
            out["points"], out["source"] = n["unit_survey_points"] * top / survey_max[n["identity"]], "survey_file"
        elif fallback is not None:
            out["points"], out["not_appraised"] = fallback, council is None
        elif sipas is not None:
            out["points"], out["source"] = top * sipas, "sipas"
        else:
            out["source"] = "no_survey"
    elif n["method"] == "data":
        # every unit's node of a criterion has the same rule: read once per scoring (rules), not once per unit
        rules = {} if rules is None else rules
        if (n["rule"], top) not in rules:
            rules[(n["rule"], top)] = parse_rule(n["rule"], top)
        rule = rules[(n["rule"], top)]
        value = values.get((n["unit_code"], n["indicator"]))
        data_score = score(rule, value, top)
        if checks and not n["not_applicable"]:   # a criterion that does not apply claims nothing
            out["check"] = _data_check(n, rule, value, data_score, missing)
        if council is None and data_score is not None:
            out["points"], out["source"] = data_score, "data"
        else:
            out["points"], out["not_appraised"] = fallback or 0.0, council is None and own is not None
    else:
        out["points"], out["not_appraised"] = fallback or 0.0, council is None and own is not None
    if out["source"] == "appraised" and council is None:
        out["source"] = "self" if own is not None else "none"
    out["applicable"] = not n["not_applicable"] and out["points"] is not None
    return out


def _needs_data(n: dict, checks: bool) -> bool:
    """Whether the node's points (or, with checks, its data check) read the city's own figures: a survey node
    without any score, a data node the council has not appraised — and every data node when it is checked."""
    if n["method"] == "survey":
        return n["self_score"] is None and n["appraised_score"] is None
    return n["method"] == "data" and (checks or n["appraised_score"] is None)


def _data_request(nodes: list[dict], checks: bool) -> tuple[set[str], dict[str, str]]:
    """(the indicators the nodes' points or checks read, {unit code: peer group} of their units): data_values'
    arguments."""
    levels = {n["unit_code"]: n["peer_group"] for n in nodes if n["unit_code"]}
    return {n["indicator"] or "sipas" for n in nodes if _needs_data(n, checks)}, levels


def data_request(con, year: int, checks: bool, peer_group: str | None) -> tuple[set[str], dict[str, str]]:
    """What the scoring of `year` (one peer group, or every one with None) asks data_values for."""
    return _data_request([n for n in _year_nodes(con, year) if peer_group is None or n["peer_group"] == peer_group],
                         checks)


def _scored_nodes(con, year: int, checks: bool = True, peer_group: str | None = None) -> tuple[list[dict], dict]:
    """The scored nodes of `year` (of one peer group: units are ranked only within theirs, and the city's figures
    are then computed for its level alone); checks=False (last year's figures beside this year's: points only)
    leaves the data checks out and so computes only the figures the points read — often none, as the council has
    appraised last year's data criteria."""
    every = _year_nodes(con, year)
    survey_max = _survey_maxima(every)   # per unit over all its peer groups, whichever group is scored
    nodes = [n for n in every if peer_group is None or n["peer_group"] == peer_group]
    needed, levels = _data_request(nodes, checks)
    values, missing = ((stored_par_data(con, year, peer_group, needed, levels) or data_values(con, year, needed, levels))
                       if needed else ({}, {}))
    rules: dict = {}
    return [_score_node(n, values, missing, survey_max, checks, rules) for n in nodes], missing


_NUMBERS = ("max_points", "points", "self_score", "appraised_score")
_FLAGS = ("applicable", "not_appraised", "not_applicable")
_TEXTS = ("peer_group", "identity", "area", "criterion", "method")


def _sums(con, parts: list[list[dict]]) -> list[dict]:
    """{(peer group, identity or None: the group's, area or None, criterion or None): sums} of each part's scored
    nodes, from one SUMS_SQL query over them all (registered as an Arrow table)."""
    schema = pa.schema([(c, pa.float64()) for c in _NUMBERS] + [(c, pa.bool_()) for c in _FLAGS]
                       + [(c, pa.string()) for c in _TEXTS] + [("part", pa.int32())])
    columns = {c: [n[c] for scored in parts for n in scored] for c in schema.names if c != "part"}
    columns["part"] = [i for i, scored in enumerate(parts) for _ in scored]
    out: list[dict] = [{} for _ in parts]
    if not columns["part"]:
        return out
    units: dict[tuple, set] = {}   # per part, peer group and criterion: the units with a node of it
    for i, scored in enumerate(parts):
        for n in scored:
            units.setdefault((i, n["peer_group"], n["criterion"]), set()).add(n["identity"])
    con.register("par_nodes", pa.table(columns, schema=schema))
    try:
        for s in _dicts(con.execute(SUMS_SQL)):
            key = (s["peer_group"], None if s["city"] else s["identity"], None if s["no_area"] else s["area"],
                   None if s["no_criterion"] else s["criterion"])
            s["units"] = len(units[(s["part"], s["peer_group"], s["criterion"])]) if s["city"] else 1
            out[s["part"]][key] = s
    finally:
        con.unregister("par_nodes")
    return out


# ---------------------------------------------------------------------------------------------------------
# Rows.

def _index(points, top):
    return points / top if points is not None and top else None


def _framework(con, year: int) -> dict:
    """{peer group: its framework of `year`} (callers read, never change, it): in a view, kept, and asked for a year
    the year before (the page's last-year figures) comes from the same query."""
    return kept_with("par_frameworks", year, year - 1, lambda years: _frameworks_of(con, years))


def _frameworks_of(con, years: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {y: {} for y in years}
    for f in _dicts(con.execute(FRAMEWORK_SQL, {"years": years})):
        fw = out[f.pop("year")].setdefault(f["peer_group"], {
            "peer_group": f["peer_group"], "name": _group_name(f["peer_group"]), "version": f["version"],
            "max_points": 0.0, "areas": [], "nodes": {}})
        fw["nodes"][f["code"]] = f
        if f["parent_code"] is None:
            fw["areas"].append({"code": f["code"], "name": f["name"], "max_points": f["max_points"]})
            fw["max_points"] += f["max_points"]
    return out


def _group_name(peer_group: str | None) -> str:
    return PEER_GROUP_NAMES.get(peer_group) or LEVEL_NAMES_VI.get(peer_group, peer_group or "")


# What a unit row keeps of each scored node (the page's criterion table and the exports read these). itemgetter:
# ~4.000 nodes per view, a dict comprehension each cost ~25 ms.
_NODE_KEYS = ("code", "name", "area", "max_points", "method", "self_score", "appraised_score", "points", "applicable",
              "not_appraised", "source", "not_applicable")
_node_values = itemgetter(*_NODE_KEYS)


def _unit_row(key: tuple, sums: dict, criteria: list[tuple], nodes: list[dict], frameworks: dict,
              names: dict) -> dict:
    """criteria: the unit's (criterion code, sums) pairs."""
    peer_group, identity = key
    unit_code = nodes[0]["unit_code"]
    total = sums[(peer_group, identity, None, None)]
    fw = frameworks[peer_group]
    areas = {}
    for area in fw["areas"]:
        s = sums.get((peer_group, identity, area["code"], None)) or {}
        areas[area["code"]] = {"name": area["name"], "points": s.get("points"), "max_points": s.get("max_points"),
                               "index": _index(s.get("points"), s.get("max_points")),
                               "lost_points": s.get("lost_points"), "rank": None}
    lost = []
    for c, s in criteria:
        if (s["lost_points"] or 0) > _TOLERANCE:
            lost.append({"code": c, "name": fw["nodes"][c]["name"], "lost_points": s["lost_points"],
                         "max_points": s["max_points"], "points": s["points"]})
    lost.sort(key=lambda x: (-x["lost_points"], [int(p) if p.isdigit() else p for p in x["code"].split(".")]))
    gaps = [{"code": n["code"], "name": n["name"], "self_score": n["self_score"],
             "appraised_score": n["appraised_score"], "gap": n["self_score"] - n["appraised_score"]}
            for n in nodes if n["applicable"] and n["self_score"] is not None and n["appraised_score"] is not None
            and abs(n["self_score"] - n["appraised_score"]) > _TOLERANCE]
    gaps.sort(key=lambda x: -x["gap"])
    survey_sources = sorted({n["source"] for n in nodes if n["method"] == "survey"})
    return {
        "unit": unit_code, "name": names.get(unit_code) or nodes[0]["unit_text"], "unit_text": nodes[0]["unit_text"],
        "identity": identity, "peer_group": peer_group, "peer_group_name": fw["name"],
        "points": total["points"], "max_points": total["max_points"],
        "index": _index(total["points"], total["max_points"]), "rank": None, "peer_count": None, "group": None,
        "self_points": total["self_points"], "survey_points": total["survey_points"],
        "survey_source": survey_sources[0] if len(survey_sources) == 1 else ("mixed" if survey_sources else None),
        "not_appraised": total["not_appraised"], "not_applicable": total["not_applicable"],
        "gap_points": total["gap_points"] or 0.0, "areas": areas, "lost": lost, "gaps": gaps,
        "data_check": [n["check"] for n in nodes if n["check"] is not None],
        "nodes": [dict(zip(_NODE_KEYS, _node_values(n))) for n in nodes],
    }


def _rank(rows: list[dict], groups: list[tuple[str, float]]) -> None:
    """Ranks and groups within each peer group; a unit not in the unit list is shown but not ranked."""
    def peer(row):
        return row["peer_group"] if row["unit"] else None
    for row, placing in zip(rows, rank_rows(rows, "index", group=peer, tolerance=_TOLERANCE)):
        row["rank"], row["peer_count"] = placing.rank, placing.peers or None
        row["group"] = group_of(row["index"], groups)
    for code in {a for row in rows for a in row["areas"]}:
        placings = rank_rows(rows, lambda r: r["areas"].get(code, {}).get("index"), group=peer, tolerance=_TOLERANCE)
        for row, placing in zip(rows, placings):
            if code in row["areas"]:
                row["areas"][code]["rank"] = placing.rank


def _tier(peer_group: str) -> int:
    """Peer groups that are levels in the tree's order (departments before districts…), others after."""
    return LEVEL_ORDER.index(peer_group) if peer_group in LEVEL_ORDER else len(LEVEL_ORDER)


def _order(row: dict):
    return _tier(row["peer_group"]), row["peer_group"], row["rank"] is None, row["rank"] or 0, row["name"]


def _city_lost(sums: dict, frameworks: dict) -> list[dict]:
    out = [{"peer_group": g, "code": c, "name": frameworks[g]["nodes"][c]["name"], "lost_points": s["lost_points"],
            "max_points": s["max_points"], "units": s["units"]}
           for (g, i, a, c), s in sums.items() if i is None and c is not None and (s["lost_points"] or 0) > _TOLERANCE]
    return sorted(out, key=lambda x: (-x["lost_points"], x["peer_group"], x["code"]))


def _rows(scored: list[dict], sums: dict, frameworks: dict, names: dict, groups: list[tuple[str, float]]
          ) -> list[dict]:
    """A row per unit of the scored nodes (_unit_row), ranked and grouped within each peer group."""
    by_unit: dict[tuple, list[dict]] = {}
    for n in scored:
        by_unit.setdefault((n["peer_group"], n["identity"]), []).append(n)
    criteria: dict[tuple, list[tuple]] = {}   # per unit: its criteria's sums, found once, not once per unit
    for (g, i, a, c), s in sums.items():
        if i is not None and a is None and c is not None:
            criteria.setdefault((g, i), []).append((c, s))
    rows = [_unit_row(key, sums, criteria.get(key, []), nodes, frameworks, names) for key, nodes in by_unit.items()]
    _rank(rows, groups)
    return rows


def _last_year_group(con, year: int, identities: set[str]) -> str | None:
    """The one peer group the units of `identities` were scored in in `year` (the others need not be scored: ranks
    are within a group), or None when they were in several."""
    groups = {n["peer_group"] for n in _year_nodes(con, year) if n["identity"] in identities}
    return next(iter(groups)) if len(groups) == 1 else None


def _add_last_year(rows: list[dict], before: dict | None) -> None:
    last = {(r["peer_group"], r["identity"]): r for r in (before or {}).get("rows", [])}
    by_identity = {r["identity"]: r for r in (before or {}).get("rows", [])}
    for row in rows:
        old = last.get((row["peer_group"], row["identity"])) or by_identity.get(row["identity"])
        row["last_year"] = None if old is None else {k: old[k] for k in ("points", "max_points", "index", "rank",
                                                                          "peer_count", "group", "peer_group")}
        row["change_points"] = None if old is None or old["points"] is None else row["points"] - old["points"]
        row["change_index_points"] = (None if old is None or old["index"] is None or row["index"] is None
                                      else (row["index"] - old["index"]) * 100)
        row["change_rank"] = (old["rank"] - row["rank"] if old and old["rank"] is not None and row["rank"] is not None
                              and old["peer_group"] == row["peer_group"] else None)
        for code, area in row["areas"].items():
            was = old["areas"].get(code) if old else None
            area["last_year_points"] = was["points"] if was else None
            area["last_year_index"] = was["index"] if was else None


def compute_par(con, year: int, peer_group: str | None = None, unit: str | None = None, *,
                groups_path: str | Path | None = None, with_last_year: bool = True, checks: bool = True) -> dict:
    """The PAR INDEX of every unit scored in `year` (or the units of one peer group, or one unit — ranks are always
    within the whole peer group).

    Returns {"year", "peer_group", "unit", "groups": [{"group", "min_index"}], "frameworks": {peer group: {"name",
    "version", "max_points", "areas": [{"code", "name", "max_points"}], "items": [{"code", "name", "max_points",
    "depth", "method", "indicator"}] (every node, in the framework's order)}}, "rows": [row…],
    "city_lost": [{"peer_group",
    "code", "name", "lost_points", "max_points", "units"}]}; a row is {"unit", "name", "peer_group", "points",
    "max_points", "index", "rank", "peer_count", "group", "self_points", "survey_points", "survey_source",
    "not_appraised", "not_applicable", "gap_points", "areas": {code: {"name", "points", "max_points", "index",
    "rank", "lost_points", "last_year_points", "last_year_index"}}, "lost": [{"code", "name", "lost_points",
    "max_points", "points"}], "gaps": [{"code", "name", "self_score", "appraised_score", "gap"}], "data_check":
    [{"code", "name", "indicator", "max_points", "self_score", "appraised_score", "data_score", "value", "supported",
    "note"}], "last_year": {…} | None, "change_points", "change_index_points", "change_rank", "nodes": […]}.
    index is a fraction; change_rank > 0 means the unit moved up. checks=False: every row's data_check empty
    (the points, ranks and groups are the same; the figures only a check reads are not computed)."""
    groups = load_groups(groups_path)
    scope = resolve_unit(con, unit)[0] if unit else None
    result = {"year": year, "peer_group": peer_group, "unit": scope,
              "groups": [{"group": g, "min_index": lo} for g, lo in groups], "frameworks": {}, "rows": [],
              "city_lost": []}
    if not par_tables_exist(con):
        return result
    frameworks = _framework(con, year)
    scored, _ = _scored_nodes(con, year, checks, peer_group)
    # last year's nodes are scored first, so both years' sums come from one query
    before = (_scored_nodes(con, year - 1, False, _last_year_group(con, year - 1, {n["identity"] for n in scored}))[0]
              if with_last_year else [])
    sums, sums_before = _sums(con, [scored, before])
    names = {code: name for code, (name, _) in unit_info(con).items()}
    rows = _rows(scored, sums, frameworks, names, groups)
    if with_last_year:
        _add_last_year(rows, {"rows": sorted(_rows(before, sums_before, _framework(con, year - 1), names, groups),
                                             key=_order)})
    rows = [r for r in rows if (peer_group is None or r["peer_group"] == peer_group)
            and (scope is None or r["unit"] == scope)]
    rows.sort(key=_order)
    city = _city_lost(sums, frameworks)
    result.update(frameworks={g: {**{k: v for k, v in fw.items() if k != "nodes"},
                                  "items": [{k: f[k] for k in ("code", "name", "max_points", "depth", "method",
                                                                "indicator")} for f in fw["nodes"].values()]}
                              for g, fw in frameworks.items() if peer_group is None or g == peer_group},
                  rows=rows, city_lost=[c for c in city if peer_group is None or c["peer_group"] == peer_group])
    return result


def points_lost_by_area(con, year: int, unit: str) -> dict | None:
    """For the inspection pack: where one unit lost its PAR INDEX points in `year`. None when the unit has no
    scores that year; else {"unit", "name", "peer_group", "points", "max_points", "index", "rank", "peer_count",
    "group", "areas": [{"code", "name", "points", "max_points", "lost_points", "index"}] (largest loss first),
    "lost": [criteria, largest loss first], "data_check": [claims the data does not support]}."""
    code = resolve_unit(con, unit)[0]
    # the unit's peer group, when it has one: its rank is within that group, so the others are not scored
    groups = con.execute("""SELECT peer_group FROM par_scores WHERE year = $y AND unit_code = $u
                            UNION SELECT peer_group FROM par_survey_points WHERE year = $y AND unit_code = $u""",
                         {"y": year, "u": code}).fetchall() if par_tables_exist(con) else []
    result = compute_par(con, year, groups[0][0] if len(groups) == 1 else None, code, with_last_year=False)
    if not result["rows"]:
        return None
    row = result["rows"][0]
    areas = sorted(({"code": c, **{k: a[k] for k in ("name", "points", "max_points", "lost_points", "index")}}
                    for c, a in row["areas"].items() if a["max_points"]), key=lambda a: -(a["lost_points"] or 0))
    return {**{k: row[k] for k in ("unit", "name", "peer_group", "points", "max_points", "index", "rank", "peer_count",
                                   "group", "lost")},
            "areas": areas, "data_check": [c for c in row["data_check"] if c["supported"] is False]}
