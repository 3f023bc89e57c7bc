"""Every download button of the dashboard is disabled and says «đang lập tệp…» while its file is built (the review
found the late list, the plan, the PAR INDEX, the Dữ liệu tables and the Word reports saying nothing while they
built, so a second press queued a second file). Read from the app's own /_dash-dependencies, in a process of its
own (app.py reads CCHC_DB when imported)."""
import json
import subprocess
import sys

from tests.conftest import ROOT
from tests.files import database_with_units

_LIST = """
import json, app
deps = app.app.server.test_client().get("/_dash-dependencies").get_json()
print(json.dumps([{"output": d["output"], "inputs": d["inputs"], "running": d.get("running")} for d in deps]))
"""


def test_every_download_button_says_it_is_building(tmp_path):
    db = database_with_units(tmp_path)
    proc = subprocess.run([sys.executable, "-c", _LIST], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "CCHC_DB": str(db)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    deps = json.loads(proc.stdout.splitlines()[-1])
    buttons = {i["id"] for d in deps for i in d["inputs"]
               if i["id"].endswith("download-button") and i["property"] == "n_clicks"}
    # a job's button starts a token in the browser and the job's callback disables it: any callback may say so
    busy = {key.rsplit(".", 1)[0] for d in deps for key, value in ((d["running"] or {}).get("running") or {}).items()
            if key.endswith(".className") and "busy" in value}
    disabled = {key.rsplit(".", 1)[0] for d in deps for key, value in ((d["running"] or {}).get("running") or {}).items()
                if key.endswith(".disabled") and value is True}
    assert len(buttons) >= 30
    assert sorted(buttons - (busy & disabled)) == []
