"""Plan targets (kế hoạch CCHC): the comparators, read the same way by every figure."""
import operator

__all__ = ["COMPARATORS", "is_met"]

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
