"""The database's tables and stored-table states (model/catalog.py), read once per page view: every freshness and
table check of the view answers from it."""
from model.catalog import DatabaseState, read_database_state

from .view_cache import reused_in_view

__all__ = ["database_state"]


@reused_in_view()
def database_state(con) -> DatabaseState:
    return read_database_state(con)
