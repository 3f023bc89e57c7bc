"""Accounts, roles and the audit trail: who may see what, kept in a SQLite file apart from the data file.

Layer: below pages/ and app.py, above indicators/; never imports dash (the account command stays fast) and the
modules the command uses never import Flask either (accounts.web holds the Flask side)."""
from accounts.roles import Viewer

__all__ = ["Viewer", "current_viewer", "audit_out_of_scope"]


def current_viewer() -> Viewer | None:
    """Who is asking, for the figures layer to scope what it computes: Viewer(username, role, unit_code).

    In a web request: the logged-in account, or Viewer(None, None, None) in the open trial mode (no account
    exists, served on this machine only: everything visible). Outside a request (a command, a test): None,
    meaning the operator of the server, who sees everything. unit_code is set only for the 'unit' role: that
    unit and the units under it."""
    from accounts.session import request_viewer   # lazy: Flask is not loaded by the account command
    return request_viewer()


def audit_out_of_scope(asked: str) -> None:
    """Records in the audit trail that the logged-in unit account asked for a unit outside its subtree (a link, a
    forged field): it is shown its own unit, and an admin sees the probing (probe 55: nothing was logged). Once per
    request; nothing outside a web request (a background job, a command)."""
    from flask import g, has_request_context, request   # lazy: Flask is not loaded by the account command

    from accounts.session import current_store, request_viewer
    if not has_request_context() or g.get("cchc_out_of_scope_said"):
        return
    viewer = request_viewer()
    if viewer is None or viewer.username is None:
        return
    g.cchc_out_of_scope_said = True
    current_store().audit("out_of_scope", viewer.username, str(asked)[:100], request.remote_addr)
