"""After a load, inside its transaction: the figures indicators/ computes that the dashboard stores for its pages —
the PAR INDEX's data values (par_data_refresh.py) and the 766 trend's city totals (index766/series_refresh.py).

etl cannot import indicators, so the load is handed this function: `python -m etl import` (etl/__main__.py), the
upload page and the sample builder pass it to etl.importer.import_paths as `after_refresh`. A load by any other
caller leaves the stored figures stale (an import newer than their stamp, indicators/stored_stamp.py), and the
pages compute them live."""
from __future__ import annotations

from .index766.series_refresh import refresh_index766_series
from .par_data_refresh import refresh_par_data_values

__all__ = ["refresh_stored_figures", "STORED_FIGURES"]


def refresh_stored_figures(con, progress=None) -> None:
    refresh_par_data_values(con, progress)
    refresh_index766_series(con, progress)


# what the loaders pass as import_paths(after_refresh=…)
STORED_FIGURES = (refresh_stored_figures,)
