"""Figures of the CCHC dashboard: periods, indicator definitions as data, and the one engine that counts them."""
from .definitions import INDICATORS, PERIOD_COLUMNS, get_indicator
from .engine import UnknownUnitError, compute_indicator, compute_period_table, resolve_unit
from .periods import Period

__all__ = ["INDICATORS", "PERIOD_COLUMNS", "Period", "UnknownUnitError", "compute_indicator",
           "compute_period_table", "get_indicator", "resolve_unit"]
