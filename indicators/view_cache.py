"""Reuse within one page view: what two sections of a page ask the database for with the same arguments is computed once.

A page draws its cards, its shortfalls, its rankings and its tables from the same few figures (the scope's total row,
the table by department, the unit tree); each section asking again cost a query each time. Inside `one_view()` a
function decorated with `reused_in_view` answers a repeated call from what it returned earlier in the same view; outside
(commands, tests, background jobs) it computes every time. Nothing is kept after the view: this is not the dashboard's
memo of whole views (pages/_components/memo.py), and a cold first view benefits from it all the same.
"""
from __future__ import annotations

import functools
import inspect
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["one_view", "reused_in_view", "in_view", "view_store", "kept_with"]

# Per thread and per task: each request of the threaded server draws its view with a cache of its own.
_VIEW: ContextVar[dict | None] = ContextVar("cchc_view_cache", default=None)
_MISSING = object()


@contextmanager
def one_view():
    """Calls inside reuse each other's results (a nested one_view shares the outer one's)."""
    if _VIEW.get() is not None:
        yield
        return
    token = _VIEW.set({})
    try:
        yield
    finally:
        _VIEW.reset(token)


def in_view() -> bool:
    """Whether a view is being drawn (results asked again will be reused)."""
    return _VIEW.get() is not None


def view_store(name: str) -> dict | None:
    """A dict of this view's own under `name` (the same dict each time within one view), None outside a view: for
    results a caller files and finds in its own way (indicators.engine keeps sums per period there)."""
    cache = _VIEW.get()
    return None if cache is None else cache.setdefault(("store", name), {})


def kept_with(name: str, key, also, fetch):
    """The value of `key` from fetch(keys) -> {key: value}. Within a view, fetched together with `also` (a key the
    view is likely to ask next, e.g. the year before) in one call and both kept under `name`; outside a view,
    fetched alone."""
    kept = view_store(name)
    if kept is None:
        return fetch([key])[key]
    if key not in kept:
        kept.update(fetch([key] if also in kept else [key, also]))
    return kept[key]


def reused_in_view(copy=None, connection_first: bool = True):
    """Decorates fn(con, …): within one_view, the result of the same arguments (the connection left out: one view
    reads one database) is returned again — through `copy` when the callers may change what they get. With
    connection_first=False every argument is part of the key (a function that reads files, not the database)."""
    def decorate(fn):
        signature = inspect.signature(fn)

        def key_of(args, kwargs) -> tuple:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return (fn.__module__, fn.__qualname__, *list(bound.arguments.items())[1 if connection_first else 0:])

        def kept(*args, **kwargs) -> bool:
            """Whether this view has the result of these arguments already."""
            cache = _VIEW.get()
            try:
                return cache is not None and key_of(args, kwargs) in cache
            except TypeError:
                return False

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            cache = _VIEW.get()
            if cache is None:
                return fn(*args, **kwargs)
            key = key_of(args, kwargs)
            try:
                found = cache.get(key, _MISSING)
            except TypeError:   # an unhashable argument: not reused
                return fn(*args, **kwargs)
            if found is _MISSING:
                found = cache[key] = fn(*args, **kwargs)
            return copy(found) if copy else found
        wrapper.kept = kept
        return wrapper
    return decorate
