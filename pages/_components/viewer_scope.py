"""What the viewer may see: a unit account is held to its own unit and the units under it (operations.md, "Who sees
what"). The one rule every page, callback, download and background job goes through (pages read their filters
through filters.load_filter_context, which applies it): the requested unit is kept when it lies in the viewer's
subtree, anything else becomes the viewer's own unit, so a forged ?don_vi= or callback payload gets nothing of
another unit."""
from __future__ import annotations

from dataclasses import dataclass

import dash
from flask import has_request_context

from accounts import current_viewer
from indicators.units import descendants

__all__ = ["ViewerScope", "viewer_scope", "subtree_codes", "visible_codes", "only_visible", "outside_scope_notice",
           "outside_scope_text", "SCOPE_DATA"]

SCOPE_DATA = "cchc_scope"   # the callback context's custom_data namespace that carries the scope into background jobs


@dataclass(frozen=True)
class ViewerScope:
    """root None: every unit (admin, analyst, leadership, the trial mode, a command on this machine); else the
    one unit whose subtree the viewer may see."""
    root: str | None = None


EVERYTHING = ViewerScope(None)
# A unit account without a unit (a damaged accounts file) sees no unit at all: a code no unit carries.
NOTHING = ViewerScope("")


def _of_viewer(viewer) -> ViewerScope:
    if viewer is None:   # a request without an account: the guard refused it; should code run, it sees nothing
        return NOTHING
    if viewer.sees_all_units:
        return EVERYTHING
    return ViewerScope(viewer.unit_code or NOTHING.root)


@dash.hooks.custom_data(SCOPE_DATA)
def _scope_for_callback(_context) -> dict:
    # Runs in the web request of every callback, before it executes; Dash copies custom_data into a background
    # job's process, where there is no request (and so no account) to ask.
    return {"root": _of_viewer(current_viewer()).root}


def viewer_scope() -> ViewerScope:
    """The scope of whoever asks: in a web request the logged-in account; in a background job the scope recorded
    from the request that started it (nothing when none was recorded); outside both (a command, a test run in
    Python) everything, as the operator of the server sees."""
    if has_request_context():
        return _of_viewer(current_viewer())
    try:
        data = dash.callback_context.custom_data
    except (LookupError, dash.exceptions.MissingCallbackContextException):   # not inside any callback
        return EVERYTHING
    recorded = data.get(SCOPE_DATA) if isinstance(data, dict) else None
    return ViewerScope(recorded["root"]) if isinstance(recorded, dict) else NOTHING


def subtree_codes(con, root: str) -> frozenset[str]:
    """The unit and every unit under it, at any depth and of any validity (its history included)."""
    if not root:
        return frozenset()
    known = con.execute("SELECT count(*) FROM units WHERE unit_code = $c", {"c": root}).fetchone()[0]
    return frozenset({root} if known else ()) | {u.code for u in descendants(con, root)}


def visible_codes(con) -> frozenset[str] | None:
    """The codes of the units the viewer may see figures of; None when every unit."""
    root = viewer_scope().root
    return None if root is None else subtree_codes(con, root)


def only_visible(con, rows: list[dict], key: str = "code") -> list[dict]:
    """The rows of units the viewer may see: for a unit account, a city-wide ranking keeps its own row (its rank
    among all its peers) and those of its sub-units, never a peer's."""
    codes = visible_codes(con)
    return rows if codes is None else [r for r in rows if r.get(key) in codes]


def outside_scope_notice(con, query: dict, shown: str | None, page: str) -> list:
    """The line a unit account reads when its link asked (?don_vi=) for a unit it may not see: the page shows its
    own unit instead, in the words of filters.py's link notice, whether the unit asked exists or not (a unit
    account learns nothing of others' codes). [] for an account that sees every unit, or nothing asked."""
    asked = query.get("don_vi")
    asked = asked[0] if isinstance(asked, (list, tuple)) and asked else asked
    root = viewer_scope().root
    if root is None or not asked or asked == shown:
        return []
    found = con.execute("SELECT unit_name FROM units WHERE unit_code = $c", {"c": root}).fetchall()
    own = found[0][0] if found else root
    return [dash.html.Div([dash.html.P(outside_scope_text(own))], className="notice notice--warning",
                          id=f"{page}-link-notice")]


def outside_scope_text(own: str) -> str:
    """What a unit account is told when a link asks for a unit outside its subtree (own: its unit's name)."""
    return f"Tài khoản của bạn chỉ xem được số liệu của {own} và các đơn vị trực thuộc; đang hiển thị {own}."
