"""The 766 service index (indicators.md §3): criteria and bands read from dated CSV tables, scored per unit, ranked
among peers (its CSV and xlsx writers: exports/index766.py)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common.formats import vn_date

from .definitions import INDICATOR_BY_ID
from .engine import LEVEL_NAMES_VI, compute_period_table
from .periods import Period
from .ranking import rank_rows
from .units import peer_groups

__all__ = ["CONFIG_DIR", "GROUPINGS_766", "Criterion", "Index766Config", "Index766ConfigError",
           "load_index766_config", "score_rates", "compute_index766"]

CONFIG_DIR = Path(__file__).resolve().parent / "config"
GROUPINGS_766 = ("unit", "level", "district", "department")
STATUS_TEXT_VI = {"scored": "", "no_data": "chưa có dữ liệu",
                  "no_denominator": "không có hồ sơ để tính (mẫu số bằng 0)"}
# Peer groups in display order; ranks are only ever compared inside one of them (never across levels).
_PEER_ORDER = ["Cấp tỉnh", "Sở, ban, ngành", "Cơ quan ngành dọc", "Cấp huyện", "Cấp xã"]


class Index766ConfigError(ValueError):
    """The criteria or bands table is missing, malformed or inconsistent (message names the file and row)."""


@dataclass(frozen=True)
class Criterion:
    group_id: str
    group_name: str
    group_max_points: float
    criterion_id: str
    name: str
    indicator_id: str | None   # None: the dossier data cannot compute it ("chưa có dữ liệu")
    points: float
    threshold: float | None


@dataclass(frozen=True)
class Index766Config:
    effective_from: date
    criteria: tuple[Criterion, ...]
    bands_effective_from: date
    bands: tuple[tuple[str, float], ...]   # (band name, lower bound), highest bound first
    note: str | None = None                # set when the period ends before the first version took effect

    @property
    def max_points(self) -> float:
        return sum(c.points for c in self.criteria)


# ---------------------------------------------------------------------------------------------------------
# Reading the tables. They are edited by people in Excel: accept a BOM, ';' as separator, dd/mm/yyyy dates and
# decimal commas, and refuse anything inconsistent with a message saying where.

def _read_csv(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise Index766ConfigError(f"Không tìm thấy tệp cấu hình chỉ số 766: {path}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for i, row in enumerate(reader, start=2):   # row 1 is the header
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if any(clean.values()):
            rows.append((i, clean))
    return rows


def _date(text: str, where: str) -> date:
    try:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        raise Index766ConfigError(f"{where}: ngày '{text}' không hợp lệ (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") from None


def _number(text: str, where: str) -> float:
    try:
        return float(text.replace(",", ".") if "." not in text else text)
    except ValueError:
        raise Index766ConfigError(f"{where}: '{text}' không phải là số.") from None


def _pick_version(dates: list[date], on: date) -> tuple[date, bool]:
    """The latest version in effect on `on`; the earliest (flagged) when `on` precedes every version."""
    in_effect = [d for d in dates if d <= on]
    return (max(in_effect), True) if in_effect else (min(dates), False)


def _criteria(path: Path, on: date) -> tuple[date, tuple[Criterion, ...], bool]:
    rows = _read_csv(path)
    need = {"effective_from", "group_id", "group_name", "group_max_points", "criterion_id", "criterion_name",
            "indicator_id", "points", "threshold"}
    if not rows or not need <= set(rows[0][1]):
        raise Index766ConfigError(f"{path.name}: cần các cột {', '.join(sorted(need))}.")
    dated = [(_date(r["effective_from"], f"{path.name} dòng {i}"), i, r) for i, r in rows]
    version, in_effect = _pick_version([d for d, _, _ in dated], on)
    out = []
    for d, i, r in dated:
        if d != version:
            continue
        where = f"{path.name} dòng {i}"
        ind = r["indicator_id"] or None
        if ind is not None:
            if ind not in INDICATOR_BY_ID:
                raise Index766ConfigError(f"{where}: không có chỉ tiêu '{ind}'.")
            spec = INDICATOR_BY_ID[ind]
            if spec.unit != "fraction" or spec.direction != "higher":   # the linear rule assumes a rate, higher better
                raise Index766ConfigError(f"{where}: chỉ tiêu '{ind}' không phải tỷ lệ càng cao càng tốt.")
        threshold = _number(r["threshold"], where) if r["threshold"] else None
        if ind is not None and (threshold is None or not 0 < threshold <= 1):
            raise Index766ConfigError(f"{where}: ngưỡng đạt điểm tối đa phải trong (0; 1].")
        points = _number(r["points"], where)
        if points < 0:
            raise Index766ConfigError(f"{where}: điểm tối đa không được âm.")
        out.append(Criterion(r["group_id"], r["group_name"], _number(r["group_max_points"], where),
                             r["criterion_id"], r["criterion_name"], ind, points, threshold))
    ids = [c.criterion_id for c in out]
    if len(set(ids)) != len(ids):
        raise Index766ConfigError(f"{path.name}: mã tiêu chí trùng nhau trong bộ có hiệu lực từ {vn_date(version)}.")
    groups: dict[str, list[Criterion]] = {}
    for c in out:
        groups.setdefault(c.group_id, []).append(c)
    for gid, cs in groups.items():
        if len({c.group_max_points for c in cs}) != 1:
            raise Index766ConfigError(f"{path.name}: nhóm {gid} ghi điểm tối đa khác nhau giữa các dòng.")
        if abs(sum(c.points for c in cs) - cs[0].group_max_points) > 1e-9:
            raise Index766ConfigError(f"{path.name}: tổng điểm các tiêu chí nhóm {gid} "
                                      f"({sum(c.points for c in cs):g}) khác điểm tối đa của nhóm ({cs[0].group_max_points:g}).")
    total = sum(cs[0].group_max_points for cs in groups.values())
    if abs(total - 100) > 1e-9:
        raise Index766ConfigError(f"{path.name}: tổng điểm các nhóm là {total:g}, phải bằng 100.")
    return version, tuple(out), in_effect


def _bands(path: Path, on: date) -> tuple[date, tuple[tuple[str, float], ...]]:
    rows = _read_csv(path)
    if not rows or not {"effective_from", "band", "lower_bound"} <= set(rows[0][1]):
        raise Index766ConfigError(f"{path.name}: cần các cột effective_from, band, lower_bound.")
    dated = [(_date(r["effective_from"], f"{path.name} dòng {i}"), i, r) for i, r in rows]
    version, _ = _pick_version([d for d, _, _ in dated], on)
    bands = [(r["band"], _number(r["lower_bound"], f"{path.name} dòng {i}")) for d, i, r in dated if d == version]
    bands.sort(key=lambda b: -b[1])
    if bands[-1][1] > 0:
        raise Index766ConfigError(f"{path.name}: mức thấp nhất phải bắt đầu từ 0 điểm.")
    return version, tuple(bands)


def load_index766_config(on: date, config_dir: str | Path | None = None) -> Index766Config:
    """The criteria and bands in effect on `on` (a period's end date), from index766_criteria.csv and
    index766_bands.csv in config_dir (default indicators/config/)."""
    folder = Path(config_dir) if config_dir else CONFIG_DIR
    version, criteria, in_effect = _criteria(folder / "index766_criteria.csv", on)
    bands_version, bands = _bands(folder / "index766_bands.csv", on)
    note = None if in_effect else (f"Kỳ báo cáo kết thúc trước ngày bộ tiêu chí đầu tiên có hiệu lực "
                                   f"({vn_date(version)}); chấm theo bộ tiêu chí đó.")
    return Index766Config(version, criteria, bands_version, bands, note)


# ---------------------------------------------------------------------------------------------------------
# Scoring.

def _band(bands, score_100: float | None) -> str | None:
    if score_100 is None:
        return None
    for name, lower in bands:
        if score_100 >= lower - 1e-9:
            return name
    return bands[-1][0]


def score_rates(rates: dict, config: Index766Config) -> dict:
    """Points for one unit from its rates (indicator id → fraction or None).

    A criterion the dossier data cannot compute, or whose rate has a zero denominator, gets no points and
    leaves the computable maximum: the score is reported with that maximum and as a 100-point equivalent
    (score_100 = 100 × score / max_computable), which is what the band and the rank use.
    """
    criteria, groups = [], {}
    for c in config.criteria:
        g = groups.setdefault(c.group_id, {"group_id": c.group_id, "name": c.group_name,
                                           "max_points": c.group_max_points, "points": 0.0, "max_computable": 0.0})
        rate = rates.get(c.indicator_id) if c.indicator_id else None
        if c.indicator_id is None:
            status, points = "no_data", None
        elif rate is None:
            status, points = "no_denominator", None
        else:
            status, points = "scored", c.points * min(1.0, rate / c.threshold)
            g["points"] += points
            g["max_computable"] += c.points
        criteria.append({"criterion_id": c.criterion_id, "group_id": c.group_id, "name": c.name,
                         "indicator": c.indicator_id, "rate": rate, "threshold": c.threshold,
                         "max_points": c.points, "points": points, "status": status,
                         "status_text": STATUS_TEXT_VI[status]})
    score = sum(g["points"] for g in groups.values())
    max_computable = sum(g["max_computable"] for g in groups.values())
    score_100 = 100 * score / max_computable if max_computable > 0 else None
    return {"score": score if max_computable > 0 else None, "max_computable": max_computable,
            "max_points": config.max_points, "score_100": score_100, "band": _band(config.bands, score_100),
            "groups": list(groups.values()), "criteria": criteria}


def _peer_group(by: str, key, groups: dict) -> str | None:
    if by == "unit":   # the unit's level in the period, per structure when it spans a reorganization
        return groups.get(key)
    if by in ("district", "department") and key is not None:
        return LEVEL_NAMES_VI[by]
    return None   # by level: each row is a level, and levels are never ranked against each other


def _rank(rows: list[dict]) -> None:
    """Ranking by score_100 inside each peer group; no score or no group → no rank and no peer count. Scores are
    sums of products, so two equal scores may differ by float noise: closer than 1e-9 points is a tie."""
    for r, placing in zip(rows, rank_rows(rows, "score_100", group="peer_group", tolerance=1e-9)):
        r["rank"], r["peer_count"] = placing.rank, placing.peers if placing.rank is not None else None


def _display_order(r: dict):
    pg = r["peer_group"]
    tier = _PEER_ORDER.index(pg) if pg in _PEER_ORDER else len(_PEER_ORDER) + (pg is None)
    return (tier, pg or "", r["rank"] is None, r["rank"] or 0, str(r["name"]))


def compute_index766(con, period: Period, by: str = "unit", unit: str | None = None,
                     config_dir: str | Path | None = None) -> dict:
    """The 766 index per group of units and for the whole scope, from one period table.

    Returns {"from", "to", "by", "unit", "config": {"effective_from", "bands_effective_from", "max_points",
    "bands", "note"}, "rows": [...], "total": {...}}; each row {"key", "name", "peer_group", "rank", "peer_count",
    "score", "max_computable", "max_points", "score_100", "band", "groups": [...], "criteria": [...]}, ordered by
    peer group then rank.
    """
    if by not in GROUPINGS_766:
        raise ValueError(f"Cách nhóm không hợp lệ cho chỉ số 766: '{by}'. Chọn một trong: {', '.join(GROUPINGS_766)}")
    config = load_index766_config(period.end, config_dir)
    table = compute_period_table(con, period, by=by, unit=unit)   # one query set for every criterion
    groups = peer_groups(con, period.start, period.end) if by == "unit" else {}
    rows = []
    for rec in table["rows"]:
        rows.append({"key": rec["key"], "name": rec["name"], "peer_group": _peer_group(by, rec["key"], groups),
                     **score_rates(rec, config)})
    _rank(rows)
    rows.sort(key=_display_order)
    total = {"key": None, "name": table["total"]["name"], "peer_group": None, "rank": None, "peer_count": None,
             **score_rates(table["total"], config)}
    return {"from": table["from"], "to": table["to"], "by": by, "unit": table["unit"],
            "config": {"effective_from": config.effective_from.isoformat(),
                       "bands_effective_from": config.bands_effective_from.isoformat(),
                       "max_points": config.max_points,
                       "bands": [{"band": n, "lower_bound": lo} for n, lo in config.bands], "note": config.note},
            "rows": rows, "total": total}
