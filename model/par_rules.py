"""PAR INDEX data criteria: the figures a criterion may be scored from and its scoring rule (bands or linear).

Shared by loading (etl/par checks a framework's rules when it is loaded, so a rule nobody can apply is refused
with its row) and figures (indicators/par scores the city's own figures with the same rule)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from common.text import norm_key

from .indicator_table import INDICATORS, SIPAS_TARGET_KEY, target_names

__all__ = ["PAR_INDICATORS", "RuleError", "Band", "Rule", "indicator_of", "parse_rule", "score", "band_of_points",
           "band_text"]

# The figures a `data` criterion may name, beyond the dossier rates of model/indicators.csv: id → (Vietnamese
# name as a sentence reads it, texts a framework may name it by). Every value is a fraction 0–1:
# index766 is the 766 score over its maximum; sipas_1 … sipas_5 are the SIPAS element indices (used by
# `survey` criteria that follow one element).
_EXTRA = {
    SIPAS_TARGET_KEY: ("chỉ số hài lòng SIPAS", ("Chỉ số hài lòng SIPAS", "Chỉ số SIPAS", "SIPAS",
                                                  "Mức độ hài lòng SIPAS")),
    "index766": ("điểm Bộ chỉ số 766 (tỷ lệ trên điểm tối đa)", ("Chỉ số 766", "Bộ chỉ số 766", "766",
                                                              "Bộ chỉ số phục vụ người dân, doanh nghiệp")),
    "plan_done_rate": ("tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC", ("Tỷ lệ hoàn thành kế hoạch CCHC",
                                                                  "Tỷ lệ hoàn thành nhiệm vụ kế hoạch CCHC",
                                                                  "Tỷ lệ hoàn thành kế hoạch")),
    **{f"sipas_{e}": (f"chỉ số hài lòng yếu tố {e} (SIPAS)", (f"SIPAS yếu tố {e}", f"Yếu tố {e}"))
       for e in range(1, 6)},
}


def _sentence(name: str) -> str:
    return name[:1].lower() + name[1:]


PAR_INDICATORS: dict[str, str] = {
    **{i.id: _sentence(i.name_vi) for i in INDICATORS if i.unit == "fraction"},
    **{k: v[0] for k, v in _EXTRA.items()},
}
_KEYS = {norm_key(text): ind_id for ind_id, (_, texts) in _EXTRA.items() for text in (ind_id, *texts)}
_KEYS.update({norm_key(text): i.id for i in INDICATORS if i.unit == "fraction" for text in (i.id, i.name_vi)})
# and the wordings a plan uses for the same figures (model/target_aliases.csv: «Tỷ lệ hồ sơ giải quyết đúng hạn»), as a
# framework is written by the same office (probe 19: the district framework was refused for it)
for _key, _texts in target_names().items():
    if _key in PAR_INDICATORS:
        for _text in _texts:
            _KEYS.setdefault(norm_key(_text), _key)


class RuleError(ValueError):
    """A rule that cannot be applied; the message is Vietnamese and says what is wrong."""


def indicator_of(text: str | None) -> str | None:
    """The PAR indicator a framework's cell names (its id or its Vietnamese name), or None."""
    return _KEYS.get(norm_key(text)) if text else None


@dataclass(frozen=True)
class Band:
    conditions: tuple[tuple[str, float], ...]   # (comparator, threshold as a fraction), all must hold
    points: float
    text: str                                   # as written, for the sentences ("≥ 99 %")


@dataclass(frozen=True)
class Rule:
    kind: str                   # 'bands' (the first band that holds gives the points) or 'linear' (max × rate)
    bands: tuple[Band, ...] = ()


_SIGNS = {">=": ">=", "≥": ">=", ">": ">", "<=": "<=", "≤": "<=", "<": "<", "=": "=", "==": "="}
_WORDS = {"tu": ">=", "dat": ">=", "toi thieu": ">=", "it nhat": ">=", "tren": ">", "lon hon": ">",
          "duoi": "<", "nho hon": "<", "toi da": "<=", "khong qua": "<=", "bang": "="}
_NUMBER = r"(\d+(?:[.,]\d+)?)\s*(%?)"
_PART = re.compile(r"\s*(.*?)\s*(?::|=>|→|->)\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*\.?\s*$", re.IGNORECASE)
_COND = re.compile(r"(>=|<=|==|≥|≤|>|<|=)?\s*([^\d\s<>=≥≤][^\d<>=≥≤]*?)?\s*" + _NUMBER)
_LINEAR_WORDS = ("tuyen tinh", "linear", "ty le thuan")
_TRAILING = re.compile(r"(.*?\d\s*%?)\s*(trở lên|trở xuống)", re.IGNORECASE)


def _fraction(number: str, percent: str) -> float:
    value = float(number.replace(",", "."))
    return value / 100 if percent or value > 1 else value


def _conditions(text: str) -> tuple[tuple[str, float], ...]:
    """'≥ 99 %' → ((>=, .99),); 'từ 80 % đến dưới 90 %' → ((>=, .8), (<, .9)); '100 %' → ((>=, 1),)."""
    ranged = re.fullmatch(r"(?:từ\s*)?" + _NUMBER + r"\s*(?:đến|-|–)\s*(dưới\s*|<\s*)?" + _NUMBER, text.strip(),
                          re.IGNORECASE)
    if ranged:
        lo, lo_pct, below, hi, hi_pct = ranged.groups()
        return ((">=", _fraction(lo, lo_pct or hi_pct)), ("<" if below else "<=", _fraction(hi, hi_pct)))
    # «Từ 98 % trở lên», «95 % trở xuống»: the bound's side written after the number, as plans write targets
    trailing = _TRAILING.fullmatch(unicodedata.normalize("NFC", text.strip()))
    condition = trailing.group(1) if trailing else text.strip()
    found = _COND.fullmatch(condition)
    if not found:
        raise RuleError(f"không đọc được điều kiện «{text.strip()}»")
    sign, word, number, pct = found.groups()
    op = _SIGNS.get(sign or "") or _WORDS.get(norm_key(word or "")) or (None if word and norm_key(word) else ">=")
    if op is None:
        raise RuleError(f"không hiểu «{word.strip()}» trong điều kiện «{text.strip()}» (dùng ≥, >, ≤, <, =)")
    if trailing:
        after = ">=" if norm_key(trailing.group(2)) == "tro len" else "<="
        # «từ», «đạt» only lead in («từ 90 % trở xuống» is ≤ 90 %); another sign or word must agree («dưới 95 %
        # trở lên» is unclear)
        if op != after and (sign or norm_key(word or "") not in ("", "tu", "dat")):
            raise RuleError(f"không hiểu điều kiện «{text.strip()}» (dùng «từ 95 % trở lên» hoặc «≥ 95 %»)")
        op = after
    return ((op, _fraction(number, pct)),)


def _is_linear(text: str) -> bool:
    key = norm_key(text)
    return any(w in key for w in _LINEAR_WORDS) or (
        ("max" in key or "toi da" in key) and ("rate" in key or "ty le" in key))


def parse_rule(text: str | None, max_points: float) -> Rule:
    """The rule of a data criterion: bands "≥ 99 %: 1; ≥ 95 %: 0,5; < 95 %: 0" (first that holds; none: 0) or
    linear "max × rate" (max × the rate, at most max). Raises RuleError for a rule that cannot be applied."""
    if not text or not text.strip():
        raise RuleError("thiếu cách tính điểm (ví dụ «≥ 99 %: 1; ≥ 95 %: 0,5; < 95 %: 0» hoặc «max × tỷ lệ»)")
    if _is_linear(text):
        return Rule("linear")
    bands = []
    for part in (p for p in re.split(r"[;\n|]", text) if p.strip()):
        found = _PART.fullmatch(part)
        if not found:
            raise RuleError(f"không đọc được mức «{part.strip()}» (cần dạng «≥ 99 %: 1»)")
        condition, points = found.group(1), float(found.group(2).replace(",", "."))
        if points > max_points + 1e-9:
            raise RuleError(f"mức «{part.strip()}» cho {points:g} điểm, vượt điểm tối đa {max_points:g}")
        bands.append(Band(_conditions(condition), points, condition.strip()))
    return Rule("bands", tuple(bands))


def _holds(op: str, value: float, threshold: float) -> bool:
    # A rate read as 0.99 may come out 0.98999999 from Σ/Σ: the comparison allows float noise far below 0.01 %.
    eps = 1e-9
    return {">=": value >= threshold - eps, ">": value > threshold + eps, "<=": value <= threshold + eps,
            "<": value < threshold - eps, "=": abs(value - threshold) <= eps}[op]


def score(rule: Rule, value: float | None, max_points: float) -> float | None:
    """Points the rule gives a value (a fraction); None when there is no value."""
    if value is None:
        return None
    if rule.kind == "linear":
        return max(0.0, min(max_points, max_points * value))
    for band in rule.bands:
        if all(_holds(op, value, t) for op, t in band.conditions):
            return band.points
    return 0.0


def band_of_points(rule: Rule, points: float | None) -> Band | None:
    """The band a score claims (the first band giving those points), for "tự chấm 1/1 cho … ≥ 99 %"."""
    if points is None or rule.kind != "bands":
        return None
    return next((b for b in rule.bands if abs(b.points - points) < 1e-9), None)


def band_text(rule: Rule, points: float | None) -> str:
    """'≥ 99 %' for the band a score claims, '' when it claims none (or the rule is linear)."""
    band = band_of_points(rule, points)
    return band.text if band else ""
