"""An upload previewed and never loaded may hold personal data (the CCCD and phone columns a load would drop): it is
removed two hours after its last use, not kept a day until someone uploads again (probe 21)."""
import os
import time

from etl import uploads


def test_an_abandoned_upload_goes_after_two_hours_and_one_in_use_stays(tmp_path):
    db = tmp_path / "cchc.duckdb"
    who = {"account": "chuyenvien", "client": "127.0.0.1"}
    left = uploads.stage(db, [("ho_so.csv", b"Ma;CCCD\nA;012345678901\n")], who)
    used = uploads.stage(db, [("ho_so2.csv", b"Ma\nB\n")], who)
    root = uploads.staging_root(db)
    three_hours_ago = time.time() - 3 * 3600
    for token in (left, used):
        os.utime(root / token, (three_hours_ago, three_hours_ago))
    uploads.staged(db, used)          # opened again (a preview, a load): its two hours start again
    uploads.remove_stale_uploads(db)
    assert not (root / left).exists() and (root / used).is_dir()
    one_hour_ago = time.time() - 3600
    os.utime(root / used, (one_hour_ago, one_hour_ago))
    uploads.remove_stale_uploads(db)
    assert (root / used).is_dir()
