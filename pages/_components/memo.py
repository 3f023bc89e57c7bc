"""Per-process memo of what pages compute from the database: the same view of the same file is built once."""
from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict

from indicators import store
from pages._components.viewer_scope import viewer_scope

__all__ = ["memo_by_database", "MEMO_OFF_ENV"]

# Set to 1 to keep nothing (every view computed afresh): how benchmarks/dashboard.py --cold measures first views.
MEMO_OFF_ENV = "CCHC_NO_MEMO"


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def memo_by_database(maxsize: int = 256, skip_first_arg: bool = False):
    """Keeps results keyed by the database file's identity (store.identity: a load that swaps the file in
    makes every entry stale), the viewer's scope (viewer_scope) and the call's arguments; the least recently used entries go first.

    Why: a page's figures change only when the data does, and a team opens the same few views (this month,
    this quarter, the city) all day; recomputing them for every visitor made the dashboard queue under load
    (benchmarks/dashboard.py). skip_first_arg leaves a connection argument out of the key."""
    def decorate(fn):
        memo: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            identity = store.current().identity()
            if identity is None or os.environ.get(MEMO_OFF_ENV) == "1":
                return fn(*args, **kwargs)
            # the viewer's scope is part of every key: a unit account never gets a view built for another
            key = (identity, viewer_scope().root, _frozen(args[1:] if skip_first_arg else args), _frozen(kwargs))
            with lock:
                if key in memo:
                    memo.move_to_end(key)
                    return memo[key]
            result = fn(*args, **kwargs)
            with lock:
                memo[key] = result
                while len(memo) > maxsize:
                    memo.popitem(last=False)
            return result
        wrapper.cache_clear = memo.clear
        return wrapper
    return decorate
