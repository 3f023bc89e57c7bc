"""What would raise a 766 score: the criteria that cost the most points, each with the count that closes its gap
and the points that gives ("đồng bộ thêm 1.204 hồ sơ → +0,8 điểm")."""
from __future__ import annotations

import math

from common.formats import vn_int, vn_number

from .config import Index766Config

__all__ = ["improvements", "missing_data"]

_EPSILON = 1e-9


def _gap(record: dict, target: float) -> int | None:
    """How many more numerator units reach the rate `target` (1 for a linear criterion, its threshold when capped)."""
    if record["parts"]:
        return sum(max(0, math.ceil(p["denominator"] * target - _EPSILON) - int(p["numerator"]))
                   for p in record["parts"] if p["denominator"])
    if not record["denominator"]:
        return None
    return max(0, math.ceil(record["denominator"] * target - _EPSILON) - int(record["numerator"]))


def improvements(row: dict, config: Index766Config) -> list[dict]:
    """Every criterion that scored below its maximum, largest loss first: {"id", "name", "points", "max_points",
    "lost", "count" (None when the denominator is 0), "numerator_measure", "text"}. Closing the gap (every
    dossier synchronized; the capped ones up to their threshold) gives back exactly the points lost."""
    out = []
    for c in config.criteria:
        r = row["criteria"][c.criterion_id]
        if r["status"] == "no_data" or r["points"] is None or c.max_points - r["points"] < 0.005:
            continue
        lost = c.max_points - r["points"]
        count = _gap(r, c.threshold if c.formula == "capped" else 1.0)
        gain = f" → +{vn_number(lost, 2)} điểm"
        if count is None:
            text = "không có đối tượng để tính trong kỳ (mẫu số bằng 0): tính 0 điểm theo quy tắc của Cổng"
        else:
            text = c.action_vi.replace("{n}", vn_int(count)) + gain
        out.append({"id": c.criterion_id, "name": c.name, "points": r["points"], "max_points": c.max_points,
                    "lost": lost, "count": count, "numerator_measure": c.numerator if c.source == "dossiers" else None,
                    "text": text})
    return sorted(out, key=lambda g: (-g["lost"], [int(x) for x in g["id"].split(".") if x.isdigit()]))


def missing_data(row: dict) -> list[dict]:
    """The criteria the loaded data cannot score yet ("chưa có dữ liệu"): {"id", "name", "max_points"}."""
    return [{"id": cid, "name": r["name"], "max_points": r["max_points"]}
            for cid, r in row["criteria"].items() if r["status"] == "no_data"]
