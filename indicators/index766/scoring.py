"""Points as the portal gives them (indicators.md §3): one criterion from its numerator and denominator, one unit's
row from its criteria. Pure functions over the facts sources.py gathers, so the golden tests can hand-count them."""
from __future__ import annotations

from common.formats import vn_number
from model.measures import NO_COLUMN_VI, left_out_vi, not_reported, unreported

from ..engine import LEVEL_NAMES_VI
from .config import Criterion, Index766Config

__all__ = ["STATUSES", "STATUS_TEXT_VI", "points_of", "criterion_value", "score_criterion", "score_row"]

STATUSES = ("scored", "full_by_rule", "zero_by_rule", "no_data")
STATUS_TEXT_VI = {"scored": "", "full_by_rule": "mẫu số bằng 0: tính đủ điểm theo quy tắc của Cổng",
                  "zero_by_rule": "mẫu số bằng 0: tính 0 điểm theo quy tắc của Cổng",
                  "no_data": "chưa có dữ liệu"}
NOT_REPORTED = NO_COLUMN_VI
PAPER_LIST_MISSING = ("chưa nạp danh sách TTHC trả kết quả giấy: mẫu số tạm tính là mọi hồ sơ đã giải quyết "
                      "trong kỳ")


def points_of(c: Criterion, rate: float) -> float:
    """linear: max·r; capped: min(max, max·r/threshold) (2·A/0,80; 6·C/0,50; 6·r/0,90; 2,5·B = 2·B/0,80)."""
    if c.formula == "capped":
        return min(c.max_points, c.max_points * rate / c.threshold)
    return c.max_points * rate


def _input(facts: dict, field: str) -> dict | None:
    return facts["inputs"].get(field)


def criterion_value(c: Criterion, facts: dict) -> dict:
    """The criterion's numerator and denominator for one unit (or group) and period: {"numerator", "denominator",
    "available", "notes", "parts" (two_parts: [(numerator, denominator)]), "input_period" (from, to)}.
    facts: {"measures", "catalogue", "procedures", "inputs": {field: {numerator, denominator, from, to}},
    "catalogue_loaded", "fee_known", "paper_list_loaded"}."""
    out = {"numerator": None, "denominator": None, "available": True, "notes": [], "parts": None,
           "input_period": None}
    if c.source == "dossiers":
        num, den = c.numerator, c.denominator
        if c.fallback and not facts["paper_list_loaded"]:
            num, den = c.fallback
            out["notes"].append(PAPER_LIST_MISSING)
        out["numerator"], out["denominator"] = facts["measures"][num], facts["measures"][den]
        # a field no file of the period's dossiers carried (model/measures.py): no data, not the portal's 0
        # points for an empty denominator
        out["available"] = not not_reported(den, facts["measures"])
        missing = unreported(den, facts["measures"])
        if not out["available"]:
            out["notes"].append(NOT_REPORTED)
        elif missing:
            out["notes"].append(left_out_vi(vn_number(missing)))
        if c.numerator_less:
            less = _input(facts, c.numerator_less)
            if less is None:
                out["notes"].append("chưa trừ hồ sơ có phản ánh, kiến nghị (chưa nạp số liệu này)")
            else:
                out["numerator"] = max(0, out["numerator"] - int(less["numerator"]))
                out["notes"].append(f"đã trừ {int(less['numerator'])} hồ sơ có phản ánh, kiến nghị")
    elif c.source in ("catalogue", "procedures"):
        known = facts["catalogue_loaded"] and (facts["fee_known"] or not c.numerator.startswith("fee_"))
        out["available"] = known
        if known:
            values = facts[c.source]
            out["numerator"], out["denominator"] = values.get(c.numerator, 0), values.get(c.denominator, 0)
    else:
        rows = [_input(facts, f) for f in c.parts]
        out["available"] = all(r is not None for r in rows)
        if out["available"]:
            out["input_period"] = (min(r["from"] for r in rows), max(r["to"] for r in rows))
            if c.formula == "two_parts":
                out["parts"] = [(r["numerator"], r["denominator"]) for r in rows]
            else:
                out["numerator"], out["denominator"] = rows[0]["numerator"], rows[0]["denominator"]
    return out


def _record(c: Criterion, status: str, points, rate, value: dict, text: str | None = None) -> dict:
    notes = ([text] if text else ([STATUS_TEXT_VI[status]] if STATUS_TEXT_VI[status] else [])) + value["notes"]
    return {"id": c.criterion_id, "name": c.name, "group": c.group_id, "decision_group": c.decision_group_id,
            "points": points, "max_points": c.max_points, "rate": rate, "numerator": value["numerator"],
            "denominator": value["denominator"], "status": status, "status_text": "; ".join(notes),
            "formula": c.formula, "threshold": c.threshold,
            "parts": ([{"numerator": n, "denominator": d, "rate": n / d if d else None} for n, d in value["parts"]]
                      if value["parts"] else None),
            "input_period": value["input_period"]}


def score_criterion(c: Criterion, facts: dict, level: str | None = None) -> dict:
    """One criterion's record: points (None when no data), max_points, rate, numerator, denominator, status
    (scored | full_by_rule | zero_by_rule | no_data) and status_text in Vietnamese."""
    value = criterion_value(c, facts)
    if level is not None and level in c.not_applicable_levels:
        text = f"không áp dụng với {LEVEL_NAMES_VI.get(level, level).lower()}: tính đủ điểm"
        return _record(c, "full_by_rule", c.max_points, None, value, text)
    if not value["available"]:
        return _record(c, "no_data", None, None, value)
    by_rule = c.max_points if c.no_denominator == "full" else 0.0
    rule_status = "full_by_rule" if c.no_denominator == "full" else "zero_by_rule"
    if value["parts"] is not None:
        half = c.max_points / len(value["parts"])
        if all(not d for _, d in value["parts"]):
            return _record(c, rule_status, by_rule, None, value)
        # each part on its own: a part without a denominator follows the rule, the other is scored
        points = sum(half * n / d if d else by_rule / len(value["parts"]) for n, d in value["parts"])
        return _record(c, "scored", points, points / c.max_points, value)
    if not value["denominator"]:
        return _record(c, rule_status, by_rule, None, value)
    rate = value["numerator"] / value["denominator"]
    return _record(c, "scored", points_of(c, rate), rate, value)


def _sum_groups(config: Index766Config, criteria: dict, decision: bool) -> dict:
    out = {}
    for gid, name, max_points in config.groups(decision):
        members = [r for r in criteria.values() if (r["decision_group"] if decision else r["group"]) == gid]
        covered = [r for r in members if r["status"] != "no_data"]
        out[gid] = {"name": name, "points": sum(r["points"] for r in covered) if covered else None,
                    "max_points": max_points, "covered_points": sum(r["max_points"] for r in covered)}
    return out


def score_row(config: Index766Config, facts: dict, level: str | None = None) -> dict:
    """One unit's (or group's) score: total (the points of every criterion with data; never rescaled),
    covered_points (the maximum of those criteria: "tính được 62/100 điểm"), max_points, band, the six groups,
    the decision text's five groups and every criterion, keyed by id in the order of the configuration."""
    criteria = {c.criterion_id: score_criterion(c, facts, level) for c in config.criteria}
    covered = [r for r in criteria.values() if r["status"] != "no_data"]
    total = sum(r["points"] for r in covered) if covered else None
    return {"total": total, "max_points": config.max_points, "covered_points": sum(r["max_points"] for r in covered),
            "band": config.band(total), "groups": _sum_groups(config, criteria, False),
            "decision_groups": _sum_groups(config, criteria, True), "criteria": criteria}
