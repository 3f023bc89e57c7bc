"""The indicators as data (model/indicators.csv): each rate's numerator and denominator, direction and target key."""
from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path

from .measures import MEASURE_BY_NAME

__all__ = ["Indicator", "INDICATORS", "INDICATOR_BY_ID", "SIPAS_TARGET_KEY", "get_indicator", "target_names"]

_CSV = Path(__file__).with_name("indicators.csv")
_ALIASES_CSV = Path(__file__).with_name("target_aliases.csv")

# The survey index (indicators/sipas.py) is not a dossier rate but a plan sets a target for it too: a target
# file names it by this key or by these words (etl/references.py reads the targets).
SIPAS_TARGET_KEY = "sipas"
_SIPAS_NAMES = ("Chỉ số hài lòng SIPAS", "Chỉ số SIPAS")


@dataclass(frozen=True)
class Indicator:
    id: str
    name_vi: str
    name_en: str
    numerator: str          # a measure (model/measures.py), or a catalogue column when source is 'catalogue'
    denominator: str
    factor: float           # value = factor × Σnumerator / Σdenominator (1 for fractions)
    direction: str          # 'higher' or 'lower' is better
    target_key: str | None  # targets.indicator
    decimals: int           # digits shown after the percentage (or days) point
    unit: str               # 'fraction' (shown as %) or 'days'
    source: str             # 'dossiers' (counted from the measure table) or 'catalogue' (procedure catalogue)
    description_vi: str


_CHOICES = {"direction": ("higher", "lower"), "unit": ("fraction", "days"), "source": ("dossiers", "catalogue")}


def _read(path: Path) -> list[Indicator]:
    """One record a row; a row a route could not count is refused here, at import, naming the row."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    wanted = [fl.name for fl in fields(Indicator)]
    if not rows or list(rows[0]) != wanted:
        raise ValueError(f"{path.name}: the columns must be {', '.join(wanted)}")
    out = []
    for line, row in enumerate(rows, start=2):
        bad = [f"{k} '{row[k]}' is not one of {v}" for k, v in _CHOICES.items() if row[k] not in v]
        if row["source"] == "dossiers":
            bad += [f"{k} '{row[k]}' is not a measure of model/measures.py"
                    for k in ("numerator", "denominator") if row[k] not in MEASURE_BY_NAME]
        if bad:
            raise ValueError(f"{path.name}, line {line} ({row['id']}): {'; '.join(bad)}")
        out.append(Indicator(**{**row, "factor": float(row["factor"]), "decimals": int(row["decimals"]),
                                "target_key": row["target_key"] or None}))
    return out


INDICATORS: list[Indicator] = _read(_CSV)
INDICATOR_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get_indicator(indicator_id: str) -> Indicator:
    try:
        return INDICATOR_BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"Không có chỉ tiêu '{indicator_id}'. Các chỉ tiêu: {', '.join(INDICATOR_BY_ID)}") from None


def target_names() -> dict[str, list[str]]:
    """Each target key → the texts a plan may name it by: the indicator's id, Vietnamese name and key, and the
    wordings plans use (model/target_aliases.csv: "Tỷ lệ hồ sơ giải quyết đúng hạn" is the on-time rate)."""
    names = {SIPAS_TARGET_KEY: [SIPAS_TARGET_KEY, *_SIPAS_NAMES]}
    for ind in INDICATORS:
        if ind.target_key:
            names.setdefault(ind.target_key, []).extend([ind.id, ind.name_vi, ind.target_key])
    with open(_ALIASES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[row["target_key"]].append(row["alias"])   # a key no indicator has is a typo: KeyError
    return names
