"""What a Dash callback request asks for, read from its JSON body: the components it writes and the page paths
it is about (no dash import: the body is plain JSON)."""
from __future__ import annotations

from urllib.parse import urlsplit


def _flat(items) -> list[dict]:
    """Dash sends one dict per input, or a list of dicts for a pattern-matching (ALL) input: flattened."""
    out = []
    for item in items or []:
        out.extend(_flat(item) if isinstance(item, list) else [item] if isinstance(item, dict) else [])
    return out


def _id_texts(component_id) -> list[str]:
    """A component id as text: the string itself, or each string value of a pattern-matching (dict) id."""
    if isinstance(component_id, str):
        return [component_id]
    if isinstance(component_id, dict):
        return [v for v in component_id.values() if isinstance(v, str)]
    return []


def output_ids(body: dict) -> list[str]:
    outputs = body.get("outputs")
    outputs = [outputs] if isinstance(outputs, dict) else outputs
    return [text for o in _flat(outputs) for text in _id_texts(o.get("id"))]


# The location components: Dash's page router (dash.page_container) and the app's own (app.py).
_LOCATIONS = ("_pages_location", "url")


def requested_paths(body: dict) -> list[str]:
    """Every pathname the callback receives (the page router's, the navigation's): a page's layout is sent by
    a callback, so a forged page request is a callback with another pathname. Dash hands a callback its inputs by
    position, whatever property a request names: every value a location component sends is read as an address
    too (probe 21: the router drew «/du-lieu» sent as its «href»)."""
    paths = []
    for item in _flat(body.get("inputs")) + _flat(body.get("state")):
        value = item.get("value")
        if item.get("property") == "pathname":
            paths.append(str(value or ""))
        elif item.get("id") in _LOCATIONS and isinstance(value, str) and value.strip():
            paths.append(urlsplit(value.strip()).path or "/")
    return paths


def download_ids(body: dict) -> list[str]:
    """The dcc.Download components the callback writes (the pages name them '…-download')."""
    outputs = body.get("outputs")
    outputs = [outputs] if isinstance(outputs, dict) else outputs
    return [o["id"] for o in _flat(outputs)
            if o.get("property") == "data" and isinstance(o.get("id"), str) and o["id"].endswith("-download")]


def sent_file_names(response_body: dict, ids: list[str]) -> list[str]:
    """The file names a callback's answer sends to those downloads (dcc.send_bytes: {'filename': …})."""
    answer = response_body.get("response") or {}
    names = []
    for component_id in ids:
        data = (answer.get(component_id) or {}).get("data")
        if isinstance(data, dict) and data.get("filename"):
            names.append(str(data["filename"]))
    return names
