"""What the loaded data covers: its date range and the sectors (lĩnh vực) its dossiers belong to."""
from __future__ import annotations

from datetime import date

import duckdb

from common.text import strip_diacritics
from model.coverage import COVERAGE_TABLE, LIVE_COVERAGE_SQL

__all__ = ["data_date_range", "list_fields", "vi_sort_key"]


def _coverage(con) -> tuple:
    """(first receipt day, last receipt day, newest snapshot, sector names): the row each load stores
    (model/coverage.py), or the same query live on a database loaded before that table existed."""
    try:
        return con.execute(f"SELECT * FROM {COVERAGE_TABLE}").fetchall()[0]
    except duckdb.CatalogException:
        return con.execute(LIVE_COVERAGE_SQL).fetchall()[0]


def data_date_range(con) -> tuple[date | None, date | None]:
    """(first receipt date, the date the data is valid up to): the end is the newest snapshot date, since a
    snapshot taken on 31/12 says what is known on 31/12 even if the last dossier came in on 30/12."""
    first, last_received, snapshot, _ = _coverage(con)
    end = max(d for d in (last_received, snapshot) if d is not None) if (last_received or snapshot) else None
    return first, end


def list_fields(con) -> list[str]:
    """Sector names as the engine groups them (the dossier's own, else the procedure catalogue's), A→Z."""
    return sorted(_coverage(con)[3], key=vi_sort_key)


def vi_sort_key(text: str) -> str:
    # Sort 'Đất đai' next to 'Dược phẩm' rather than after 'Z' (Python orders Đ after every ASCII letter).
    return strip_diacritics(text).lower()
