"""The folder of the dashboard's background jobs (pages/_components/jobs.py): readable by the server's user only, for
finished report and inspection packs wait there up to a day (probe 55: every local user could read them)."""
import os
import stat
import subprocess
import sys

from tests.builders import ROOT


def test_the_jobs_folder_is_private(tmp_path):
    folder = tmp_path / "jobs"
    folder.mkdir(mode=0o755)
    done = subprocess.run([sys.executable, "-c", "import pages._components.jobs"], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "CCHC_JOBS_DIR": str(folder)})
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700   # whatever mode the files inside get, no one else enters
