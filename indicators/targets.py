"""Plan targets (kế hoạch CCHC): read by plan year, the most specific scope first, and judged one way everywhere."""
import operator

from .view_cache import reused_in_view

__all__ = ["COMPARATORS", "is_met", "load_targets", "pick_target", "judge"]

# A value computed as 0.8599999999 must meet "≥ 86 %": comparisons allow a float rounding error of 1e-9,
# far below the 0.01 % a report shows.
_EPS = 1e-9
COMPARATORS = {
    ">=": lambda a, b: operator.ge(a, b - _EPS),
    ">": lambda a, b: operator.gt(a, b + _EPS),
    "<=": lambda a, b: operator.le(a, b + _EPS),
    "<": lambda a, b: operator.lt(a, b - _EPS),
    "=": lambda a, b: abs(a - b) <= _EPS,
}


def is_met(comparator: str, value: float, target: float) -> bool:
    return bool(COMPARATORS[comparator](value, target))


@reused_in_view()
def load_targets(con, year: int) -> dict[tuple[str, str], tuple[str, float, str | None]]:
    """{(scope, targets.indicator): (comparator, value, source document)} of one plan year (the year of the
    period's end), read once per view rather than once per indicator."""
    rows = con.execute("SELECT scope, indicator, comparator, target_value, source_document FROM targets "
                       "WHERE year = $y", {"y": year}).fetchall()
    return {(s, i): (c, v, doc) for s, i, c, v, doc in rows}


def pick_target(targets: dict, target_key: str | None, candidates: list) -> tuple[str, float, str | None] | None:
    """The target of the most specific scope: the candidates in order (unit code, then its level), then 'all'."""
    if not target_key:
        return None
    for scope in [*candidates, "all"]:
        if scope is not None and (scope, target_key) in targets:
            return targets[(scope, target_key)]
    return None


def judge(value: float | None, target: tuple | None, unit: str) -> tuple[bool | None, float | None]:
    """(is_met, gap) — gap in percentage points for a fraction, in its own unit (days) otherwise; None when the
    value or the target is missing."""
    if value is None or target is None:
        return None, None
    comparator, target_value = target[0], target[1]
    return is_met(comparator, value, target_value), (value - target_value) * (100 if unit == "fraction" else 1)
