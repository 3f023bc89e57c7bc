"""The second bundled sample (the new Ho Chi Minh City, 2025–2026): its units and successions, the dossiers handed from
old wards to new ones across 01/07/2025 (recounted with pandas from the files), no district level in 2026, a
report that ranks each structure apart, and the dashboard opening on 2026."""
from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest

from indicators import Period, compute_period_table
from indicators.dashboard import compute_ranking
from indicators.engine import LevelNotInPeriodError
from indicators.report import compute_report
from indicators.units import levels_valid, predecessors_of
from tests.builders import read_only

Q1_2026 = Period.quarter(2026, 1)


@pytest.fixture(scope="module")
def con(hcm2026_db):
    with read_only(hcm2026_db) as c:
        yield c


@pytest.fixture(scope="module")
def files(hcm2026_db):
    return hcm2026_db.parent / "files"


def _exports(files) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The old wards' export of 30/06/2025 and the new wards' export of 30/11/2026, read with pandas."""
    read = lambda name: pd.read_csv(files / name, sep=";", skiprows=2, dtype=str, encoding="utf-8-sig")  # noqa: E731
    return read("ho_so_phuong_xa_6_thang_dau_2025.csv"), read("ho_so_phuong_xa_tu_01_07_2025.csv")


def test_168_commune_level_units_formed_from_shares_of_the_old_ones(con, files):
    new = con.execute("""SELECT count(*) FROM units WHERE valid_from = DATE '2025-07-01' AND level = 'ward'
                         AND parent_code = 'HCM'""").fetchall()[0][0]
    assert new == 168
    # Every old ward or commune gave away all of itself (the succession file, summed with csv, not the loader).
    shares: dict[str, int] = {}
    with open(files / "sap_xep_don_vi_01_07_2025.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            shares[row["Mã đơn vị cũ"]] = shares.get(row["Mã đơn vị cũ"], 0) + int(row["Tỷ lệ"].rstrip("%"))
    assert set(shares.values()) == {100}
    loaded = dict(con.execute("SELECT predecessor_code, round(sum(share), 6) FROM unit_successions "
                              "WHERE effective_date = DATE '2025-07-01' AND origin = 'successions' GROUP BY 1").fetchall())
    assert loaded == {code: 1.0 for code in shares}
    split = [code for code, n in con.execute("SELECT predecessor_code, count(*) FROM unit_successions GROUP BY 1")
             .fetchall() if n > 1]
    assert len(split) > 50   # many new wards are made of parts of several old ones


def test_the_merged_departments(con):
    assert [p.code for p in predecessors_of(con, "STC")] == ["SKHDT"]
    assert sorted(p.code for p in predecessors_of(con, "SNNMT")) == ["SNNPTNT", "STNMT"]
    labour = {p.code: p.share for p in predecessors_of(con, "SNV")}
    assert labour == {"SLDTBXH": 0.8}
    assert {p.code: p.share for p in predecessors_of(con, "SYT")} == {"SLDTBXH": 0.15}


def test_dossiers_received_before_the_switch_and_finished_after_it(con, files):
    """Open on 30/06/2025 in the old wards' export, listed under the new ward with the old number in the city's
    export: the newer snapshot wins, so they are the new wards' dossiers carried over into July 2025."""
    old, new = _exports(files)
    received = pd.to_datetime(new["NgayTiepNhan"], format="%d/%m/%Y %H:%M:%S")
    handed = new[received < "2025-07-01"]   # from old wards and old districts (the districts' export is vendor A)
    from_wards = handed[handed["MaHoSo"].isin(old["MaHoSo"])]
    assert len(from_wards) > 100 and len(handed) > len(from_wards)
    before = old.set_index("MaHoSo").loc[from_wards["MaHoSo"]]
    assert (before["TrangThaiHoSo"] == "4").all() and before["NgayKetThucXuLy"].isna().all()
    assert (before["DonVi"].values != from_wards["DonVi"].values).all()   # an old ward then, the new ward now
    assert (before["NgayTiepNhan"].values == from_wards["NgayTiepNhan"].values).all()   # the same dossiers
    in_db = dict(con.execute("SELECT dossier_code, unit_code FROM dossiers WHERE list_contains(?, dossier_code)",
                             [list(handed["MaHoSo"])]).fetchall())
    assert in_db == dict(zip(handed["MaHoSo"], handed["DonVi"]))
    # July 2025 by level: the wards' carried-over dossiers are exactly those (nothing else of the old wards and
    # districts was open at the switch), and no district is left.
    july = {r["key"]: r for r in compute_period_table(con, Period.month(2025, 7), by="level")["rows"]}
    assert july["ward"]["carried_over"] == len(handed)
    assert "district" not in july


def test_no_district_level_in_2026(con):
    assert levels_valid(con, Q1_2026.start, Q1_2026.end) == ["department", "ward", "vertical"]
    with pytest.raises(LevelNotInPeriodError, match="cấp huyện"):
        compute_period_table(con, Q1_2026, by="district")
    wards = compute_ranking(con, "on_time_rate", Q1_2026, "ward")["rows"]
    assert len(wards) == 168 and all(r["validity"] == "" for r in wards)
    assert sum(r["rank"] is not None for r in wards) == 168


def test_a_2025_report_ranks_the_old_and_the_new_structure_apart(con):
    report = compute_report(con, Period.year(2025))
    groups = report["ranking_groups"]
    assert {k for k in groups if k.startswith("district")} == {"district@2025-01-01"}
    old_wards = {r["code"] for r in report["rankings"]["ward@2025-01-01"]}
    new_wards = {r["code"] for r in report["rankings"]["ward@2025-07-01"]}
    assert len(new_wards) == 168 and not old_wards & new_wards
    assert report["sipas"]["by"] == "department+ward"
    assert "01/07/2025" in report["structure_note"]


def test_the_dashboard_opens_on_the_latest_data_and_finds_old_names(con, hcm2026_db):
    from indicators import store
    from pages._components.filters import _unit_options, load_filter_context, parse_filters
    store.configure(hcm2026_db)   # the filter context is kept per database file
    ctx = load_filter_context(con)
    assert (ctx.data_start, ctx.data_end) == (date(2025, 1, 2), date(2026, 11, 30))   # 1/1 is a holiday
    filters = parse_filters({}, ctx)
    assert (filters.kind, filters.year, filters.sub) == ("quy", 2026, 3)   # the latest whole quarter
    assert ctx.reorganizations == (date(2025, 7, 1),)
    options = {o["value"]: o for o in _unit_options(ctx)}
    sai_gon = options["P.SAI_GON"]
    assert "trước đây: Phường Bến Nghé" in sai_gon["label"] and "Ben Nghe" in sai_gon["search"]
    assert options["Q1.P01"]["label"] == "Phường Bến Nghé – Quận 1 (đến 30/06/2025)"
