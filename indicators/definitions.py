"""The figures' vocabulary: the §1 period-table columns, the rates (model/indicators.csv) and the catalogue columns."""
from __future__ import annotations

from model.indicator_table import INDICATOR_BY_ID, INDICATORS, Indicator, get_indicator
from model.measures import PERIOD_COLUMNS

__all__ = ["PERIOD_COLUMNS", "Indicator", "INDICATORS", "INDICATOR_BY_ID", "CATALOGUE_COLUMNS", "get_indicator"]

# The §1 columns, in the statutory order, and every count behind the rates are rows of the measure table
# (model/measures.py); the rates themselves are rows of model/indicators.csv. Both live in model/ because the
# load reads them too (a target file names an indicator by its id or Vietnamese name).

# Procedure-catalogue columns (per unit from procedure_units); only groupings made of units carry them.
CATALOGUE_COLUMNS: list[tuple[str, str]] = [
    ("procedure_count", "Số TTHC của đơn vị"),
    ("online_procedures_full", "Số TTHC cung cấp DVCTT toàn trình"),
    ("online_procedures_partial", "Số TTHC cung cấp DVCTT một phần"),
    ("online_procedures", "Số TTHC cung cấp DVCTT (toàn trình + một phần)"),
]


def _check_catalogue_rates() -> None:
    """A catalogue rate must name catalogue columns: refused at import, not found missing on a page."""
    known = {c for c, _ in CATALOGUE_COLUMNS}
    for ind in INDICATORS:
        unknown = [x for x in (ind.numerator, ind.denominator) if ind.source == "catalogue" and x not in known]
        if unknown:
            raise ValueError(f"Indicator '{ind.id}': {', '.join(unknown)} is not a catalogue column "
                             f"({', '.join(sorted(known))}).")


_check_catalogue_rates()
