"""The Wilson score interval: the 95 % confidence interval every survey index carries."""
from __future__ import annotations

import math

__all__ = ["Z95", "wilson_interval"]

Z95 = 1.959963984540054   # two-sided 95 % quantile of the normal distribution


def wilson_interval(successes: float, n: float, z: float = Z95) -> list[float] | None:
    """[low, high] for `successes` favourable out of `n`; None when n is 0. Unlike p ± z·√(p(1−p)/n) it stays
    inside [0, 1] and is not empty at p = 0 or 1, which small units often show. successes may be fractional
    (an index that is a mean of shares, times its number of answers)."""
    if not n:
        return None
    p = min(max(successes / n, 0.0), 1.0)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return [max(0.0, centre - half), min(1.0, centre + half)]
