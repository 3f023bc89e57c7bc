"""The demo sample's PAR INDEX: loaded without a reject, the data check finds exactly the inflated self-scores the
generator planted, and a unit's 2021 total recounted with pandas from the sample's own files equals the command's."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from sample.par import INFLATED
from tests.conftest import ROOT


def _cli(db, *args) -> dict:
    proc = subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def par_2022(demo_db):
    return _cli(demo_db, "par", "--year", "2022")


def test_every_department_and_district_is_scored_and_ranked(demo_db, par_2022):
    import duckdb
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        rejected = con.execute("""SELECT count(*) FROM rejected_rows r JOIN import_log l USING (import_id)
                                  WHERE l.kind LIKE 'par%'""").fetchall()[0][0]
    finally:
        con.close()
    assert rejected == 0
    rows = par_2022["rows"]
    by_group = {g: [r for r in rows if r["peer_group"] == g] for g in ("department", "district")}
    assert len(by_group["department"]) == 20 and len(by_group["district"]) == 22
    for group, members in by_group.items():
        assert sorted(r["rank"] for r in members) == list(range(1, len(members) + 1)), group   # no tie in the sample
        assert {r["group"] for r in members} == {"A", "B", "C", "D"}, group
        maxima = {r["unit"]: r["max_points"] for r in members}
        assert all(m <= 100 for m in maxima.values())


def test_the_data_check_names_exactly_the_planted_claims(demo_db, par_2022):
    found = {(r["unit"], c["code"]) for r in par_2022["rows"] for c in r["data_check"]
             if c["note"] and c["note"].startswith("tự chấm")}
    assert found == set(INFLATED)
    hm = next(r for r in par_2022["rows"] if r["unit"] == "HM")
    note = next(c["note"] for c in hm["data_check"] if c["code"] == "3.3.1")
    assert note.startswith("tự chấm 3/3 cho tỷ lệ giải quyết đúng hạn, trước hạn ≥ 99 %, số liệu: 98,")
    last_year = _cli(demo_db, "par", "--year", "2021")["rows"]
    assert not [c for r in last_year for c in r["data_check"] if c["note"] and c["note"].startswith("tự chấm")]


def test_a_2021_total_recounted_from_the_files(demo_db):
    # Sở Tư pháp 2021, from the sample's own files with pandas: the appraised score (self where blank) of each
    # criterion of the long file, plus each survey criterion's maximum × the SIPAS element it names (the sipas
    # command's 2021 element indices); out of 100 minus the criteria marked as not applicable.
    files = demo_db.parent / "files"
    scores = pd.read_csv(files / "diem_chi_so_cchc_2021.csv", sep=";", dtype=str, keep_default_na=False)
    scores = scores[scores["Đơn vị"] == "Sở Tư pháp"]
    framework = pd.read_csv(files / "bo_tieu_chi_chi_so_cchc_2021.csv", dtype=str, keep_default_na=False)
    framework = framework[framework["peer_group"] == "department"]
    maxima = dict(zip(framework["code"], framework["max_points"].str.replace(",", ".").astype(float)))

    def number(text):
        return float(text.replace(",", ".")) if text not in ("", "-", "Không áp dụng") else None
    not_applicable = scores["Điểm thẩm định"].isin(["-", "Không áp dụng"])
    kept = scores[~not_applicable]
    points = sum(number(a) if number(a) is not None else number(s) or 0
                 for s, a in zip(kept["Điểm tự đánh giá"], kept["Điểm thẩm định"]))
    sipas = next(r for r in _cli(demo_db, "sipas", "--from", "2021-01-01", "--to", "2021-12-31", "--by", "unit")["rows"]
                 if r["key"] == "STP")
    survey = framework[(framework["method"] == "survey") & (framework["indicator"] != "")]   # its leaves
    points += sum(maxima[c] * sipas["elements"][i.removeprefix("sipas_")]["index"]
                  for c, i in zip(survey["code"], survey["indicator"]))
    top = 100 - sum(maxima[c] for c in scores["Mã tiêu chí"][not_applicable])
    row = next(r for r in _cli(demo_db, "par", "--year", "2021", "--unit", "STP")["rows"])
    assert row["points"] == pytest.approx(points, abs=1e-9) and row["max_points"] == pytest.approx(top)
    assert row["index"] == pytest.approx(points / top, abs=1e-12)
