"""Every download button of the dashboard pressed through the app's own callback route, without a browser.

`python -m tests.dashboard_downloads DB OUT_DIR QUERY_JSON` starts the app on DB in this process (the store reads
CCHC_DB when app.py is imported, hence a process of its own), asks Dash for its callbacks, calls each one whose
output is a `…-download` component with one click and the page's stored query, and saves what it sends to
OUT_DIR. Prints a JSON list: {"output", "status", "file"} per download callback."""
import base64
import json
import os
import pathlib
import sys
import time


def _outputs(spec: str) -> list[tuple[str, str]]:
    """Dash's output key: 'id.prop' for one output, '..id1.prop1...id2.prop2..' for several."""
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    return [tuple(p.rsplit(".", 1)) for p in parts]


def _value(component: str, prop: str, query: dict):
    if prop == "n_clicks":
        return 1
    if component.endswith("-query") and prop == "data":
        return query
    if component.endswith("-token") and prop == "data":
        return "press-1"   # a job's token, which the browser makes on each press (register_job_download)
    return None   # sort_by, chosen levels …: the defaults a page opens with


def _background_result(client, body: dict, response, timeout: float = 600):
    """A background callback answers with a job handle (cacheKey, job); the browser then asks again with the handle
    until the answer holds the result: done here the same way."""
    handle = response.get_json(silent=True) or {}
    if response.status_code != 200 or "cacheKey" not in handle:
        return response
    deadline = time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.5)
        response = client.post("/_dash-update-component", json=body,
                               query_string={"cacheKey": handle["cacheKey"], "job": handle["job"]})
        if response.status_code != 200 or "response" in (response.get_json(silent=True) or {}):
            return response
    raise TimeoutError(f"background callback {body['output']} did not finish in {timeout} s")


def press_every_download(db: pathlib.Path, out_dir: pathlib.Path, query: dict) -> list[dict]:
    os.environ["CCHC_DB"] = str(db)
    import app as dashboard   # noqa: E402 — after CCHC_DB is set

    client = dashboard.app.server.test_client()
    pressed = []
    for dep in client.get("/_dash-dependencies").get_json():
        outputs = _outputs(dep["output"])
        if not any(cid.endswith("-download") and prop == "data" for cid, prop in outputs):
            continue
        body = {"output": dep["output"],
                "outputs": [{"id": c, "property": p} for c, p in outputs] if len(outputs) > 1
                else {"id": outputs[0][0], "property": outputs[0][1]},
                "inputs": [{**i, "value": _value(i["id"], i["property"], query)} for i in dep["inputs"]],
                "state": [{**s, "value": _value(s["id"], s["property"], query)} for s in dep["state"]],
                "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]]}
        response = client.post("/_dash-update-component", json=body)
        response = _background_result(client, body, response)
        record = {"output": dep["output"], "status": response.status_code, "file": None}
        if response.status_code == 200:
            for cid, props in response.get_json()["response"].items():
                sent = props.get("data") if cid.endswith("-download") else None
                if sent:
                    content = base64.b64decode(sent["content"]) if sent.get("base64") else sent["content"].encode()
                    path = out_dir / f"{cid}__{sent['filename']}"
                    path.write_bytes(content)
                    record["file"] = str(path)
        pressed.append(record)
    return pressed


if __name__ == "__main__":
    db, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(press_every_download(db, out, json.loads(sys.argv[3])), ensure_ascii=False))
