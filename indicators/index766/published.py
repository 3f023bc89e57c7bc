"""The portal's published 766 scores beside the computed ones: per item (total, group, criterion) the difference,
and its likely causes by the reconciliation rules (indicators/config/index766_reconciliation.csv)."""
from __future__ import annotations

from common.formats import vn_int, vn_number

from ..periods import Period
from .config import Index766Config
from .sources import root_unit

__all__ = ["TOLERANCE", "attach_published", "published_scores", "row_facts"]

# The portal's formulas reproduce its published scores within 0,015 points: a smaller difference is rounding.
TOLERANCE = 0.015
NO_RULE_VI = "chưa xác định được nguyên nhân từ dữ liệu đã nạp: đối chiếu số liệu nguồn của tiêu chí"


def published_scores(con, period: Period) -> dict[str, dict[str, float]]:
    """{unit code: {item: points}} published for exactly this period; when two unit texts name one unit the
    newest load wins."""
    rows = con.execute("""
        SELECT unit_code, item, points FROM (
            SELECT *, row_number() OVER (PARTITION BY unit_code, item ORDER BY import_id DESC, row_number DESC) AS rn
            FROM index766_published
            WHERE unit_code IS NOT NULL AND period_from = $p0 AND period_to = $p1)
        WHERE rn = 1""", {"p0": period.start, "p1": period.end}).fetchall()
    out: dict[str, dict[str, float]] = {}
    for code, item, points in rows:
        out.setdefault(code, {})[item] = points
    return out


def row_facts(row: dict, facts: dict) -> dict:
    """The facts the reconciliation rules read about one row (numbers)."""
    m = facts["measures"]
    return {"unsynced_dossiers": m["received_sync_reported"] - m["received_synced"],
            "unrated_dossiers": m["closed"] - m["rated"],
            "procedures_off_catalogue": facts["procedures"].get("procedures_off_catalogue", 0),
            "paper_list_missing": 0 if facts["paper_list_loaded"] else 1}


def _computed(row: dict, item: str) -> tuple[float | None, list[dict]]:
    """The computed points of an item and the criteria it is made of."""
    if item == "total":
        return row["total"], list(row["criteria"].values())
    kind, _, key = item.partition(":")
    if kind == "group":
        group = row["groups"].get(key)
        return (group["points"] if group else None), [c for c in row["criteria"].values() if c["group"] == key]
    crit = row["criteria"].get(key)
    return (crit["points"] if crit else None), [crit] if crit else []


def _max_points(row: dict, item: str) -> float | None:
    """The most points an item can have (the total's, a group's, a criterion's), or None when the row has no such
    item."""
    if item == "total":
        return row["max_points"]
    kind, _, key = item.partition(":")
    found = row["groups" if kind == "group" else "criteria"].get(key)
    return found["max_points"] if found else None


def _item_name(row: dict, item: str) -> str:
    if item == "total":
        return "Tổng điểm"
    kind, _, key = item.partition(":")
    if kind == "group" and key in row["groups"]:
        return f"Nhóm {key}. {row['groups'][key]['name']}"
    return f"Tiêu chí {key}. {row['criteria'][key]['name']}" if key in row["criteria"] else item


def _causes(config: Index766Config, item: str, criteria: list[dict], facts: dict, difference: float) -> list[str]:
    values = dict(facts, no_data_points=sum(c["max_points"] for c in criteria if c["status"] == "no_data"))
    way = {"any": True, "computed_higher": difference > 0, "computed_lower": difference < 0}
    out = []
    for rule in config.rules:
        value = values.get(rule.fact)
        if rule.item in (item, "*") and way[rule.when] and value is not None and value >= rule.min_value:
            shown = vn_int(value) if float(value).is_integer() else vn_number(value, 2)
            out.append(rule.message_vi.replace("{value}", shown))
    return out


def _reconcile(config: Index766Config, row: dict, published: dict[str, float], facts: dict) -> dict:
    rf = row_facts(row, facts)
    items, causes = [], []
    for item, points in sorted(published.items(), key=lambda kv: _item_order(kv[0])):
        computed, criteria = _computed(row, item)
        diff = None if computed is None else computed - points
        entry = {"item": item, "name": _item_name(row, item), "published": points, "computed": computed,
                 "difference": diff, "matches": diff is not None and abs(diff) < TOLERANCE, "causes": []}
        most = _max_points(row, item)
        if most is not None and points > most + TOLERANCE:
            # no cause in the data explains a score the item cannot reach (probe 47: «hồ sơ chưa đồng bộ: 1» was
            # given for a group published 19,5 of 18): the published file is what to check
            entry["causes"] = [f"điểm công bố {vn_number(points, 2)} vượt điểm tối đa {vn_number(most, 2)} của mục "
                               "này: tệp điểm công bố có lẽ ghi sai, hãy đối chiếu với Cổng Dịch vụ công quốc gia"]
        elif not entry["matches"]:
            entry["causes"] = _causes(config, item, criteria, rf, diff if diff is not None else -points) or [NO_RULE_VI]
        causes += [{"item": item, "text": t} for t in entry["causes"]]
        items.append(entry)
    groups = {i["item"].split(":")[1]: {"points": i["published"], "difference": i["difference"]}
              for i in items if i["item"].startswith("group:")}
    crits = {i["item"].split(":")[1]: {"points": i["published"], "difference": i["difference"]}
             for i in items if i["item"].startswith("criterion:")}
    total = published.get("total")
    return {"total": total, "difference": row["total"] - total if total is not None and row["total"] is not None
            else None, "groups": groups, "criteria": crits, "items": items, "causes": causes}


def _item_order(item: str):
    kind, _, key = item.partition(":")
    return ({"total": 0, "group": 1, "criterion": 2}.get(kind, 3), [int(x) for x in key.split(".") if x.isdigit()])


def attach_published(con, config: Index766Config, period: Period, rows: list[dict], total: dict,
                     scope: str | None) -> None:
    """Sets row["published"] on every row whose key is a unit (and on the scope's total): the published scores of
    that unit for exactly this period with the differences, or None when the portal's export for it is not
    loaded."""
    scores = published_scores(con, period)
    for row in rows:
        found = scores.get(row["key"]) if row["level"] is not None and row["key"] in scores else None
        row["published"] = _reconcile(config, row, found, row["facts"]) if found else None
    root = root_unit(con, scope)
    found = scores.get(root) if root else None
    total["published"] = _reconcile(config, total, found, total["facts"]) if found else None
    for r in rows + [total]:
        if r["published"] is not None:
            r["published"].update({"unit": r["key"] if r is not total else root,
                                   "from": period.start.isoformat(), "to": period.end.isoformat()})
