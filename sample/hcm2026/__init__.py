"""The second bundled sample (`python -m etl sample --sample hcm2026`): the new Ho Chi Minh City, January 2025 to
November 2026, across the 2025 reorganization — departments merged on 01/03/2025, Bình Dương and Bà Rịa – Vũng Tàu
merged in and the district level gone on 01/07/2025, 168 commune-level units formed from parts of the old wards.

Deterministic like the 2022 sample, written as one-stop exports and loaded through `etl import`. The old wards'
first half of 2025 comes in an export taken on 30/06/2025; the dossiers still open then were handed to the new
wards, and the city's export taken on 30/11/2026 lists them under the new ward with their old number: the newer
snapshot wins, so a dossier received by an old ward in June and finished in July counts for the new ward."""
from __future__ import annotations

import dataclasses
import pathlib
import time

import numpy as np

from common.formats import vn_int, vn_number

from ..dossiers import BlockPlan, Catalogue, concat, plan_counts, simulate_block, sort_rows
from ..procedures import build_procedures, write_procedures
from ..surveys import write_survey_pair
from ..writers import (Lookups, dossier_codes, write_csv_rows, write_vendor_a_csv, write_vendor_a_xlsx,
                       write_vendor_b_csv)
from .units import (COLUMNS, DEPT_MERGERS, LAST_OLD_DAY, NEW_UNITS, SUCCESSION_COLUMNS, build_hcm2026_units,
                    new_unit_code)

__all__ = ["generate_hcm2026", "START", "SNAPSHOT", "SWITCH"]

START = np.datetime64("2025-01-01", "D")
DEPT_SWITCH = np.datetime64("2025-03-01", "D")
SWITCH = np.datetime64("2025-07-01", "D")
SNAPSHOT = np.datetime64("2026-11-30", "D")     # the city's export: the latest data the sample holds
OLD_SNAPSHOT = np.datetime64(LAST_OLD_DAY, "D")  # the old wards' export, taken on the last day of the old structure
PERIOD_ALL = "Từ ngày 01/01/2025 đến ngày 30/11/2026"
PERIOD_OLD = "Từ ngày 01/01/2025 đến ngày 30/06/2025"
PERIOD_NEW = "Từ ngày 01/07/2025 đến ngày 30/11/2026"
# Expected dossiers per working day of each block (the whole block), a demo-sized volume (~330 000 dossiers).
DAILY = {"departments": 120.0, "verticals": 150.0, "districts": 200.0, "old_wards": 350.0, "new_wards": 420.0}
DEPT_WEIGHTS = {"SGTVT": 6, "SLDTBXH": 5, "STP": 4, "SXD": 3, "STNMT": 3, "SYT": 2, "SGDDT": 1.5, "SCT": 1,
                "HEPZA": 1, "STC": 0.8, "SVHTT": 0.6, "SQHKT": 0.6, "SKHDT": 6}
VERTICAL_WEIGHTS = {"CTHUE": 3, "CATP": 4, "BHXH": 2.5, "VPDKDD": 1.5, "KBNN": 0.5, "CHQ": 1}
TARGET_SOURCE = "Kế hoạch CCHC năm {year} (minh họa)"
TARGETS = [("all", "on_time_rate", ">", "98%"), ("all", "online_rate", ">=", "50%"),
           ("all", "sync_rate", "=", "100%"), ("all", "data_reuse_rate", ">=", "40%"),
           ("all", "paid_online_rate", ">=", "45%"), ("all", "sipas", ">=", "88%"),
           ("all", "rating_satisfaction", ">=", "92%"), ("ward", "online_rate", ">=", "40%")]


def _weights(codes: list[str], table: dict[str, float]) -> np.ndarray:
    return np.array([table.get(c, 0.3) for c in codes], dtype=float)


def _catalogue_of(procedures, keys: tuple[str, ...]) -> np.ndarray:
    return np.array([i for i, p in enumerate(procedures) if set(keys) & set(p.unit.split(";"))], dtype=np.int64)


def _plan(index: list[int], weight, procs, start, end, daily, snapshot=SNAPSHOT, late=0.004,
          boost=1.5) -> BlockPlan:
    return BlockPlan(units=index, unit_weight=np.asarray(weight, float), unit_procs=procs,
                     unit_late_mult=np.ones(len(index)), daily_volume=daily, same_day_share=0.4, start=start,
                     end=end, base_late=late, online_boost=boost, snapshot=snapshot)


def _new_catalogue(procedures):
    """The catalogue as of 2026: a merged department publishes the procedures of the ones it took in, and the
    commune level took over the district's procedures (procedure_units is not dated: it states today's catalogue)."""
    heirs = {old: [p.split(":")[0].strip() for p in succ.split(";")] for old, succ in DEPT_MERGERS.items()}
    heirs["district"] = ["ward"]
    out = []
    for p in procedures:
        units = p.unit.split(";")
        units += [h for u in units for h in heirs.get(u, []) if h not in units]
        out.append(dataclasses.replace(p, unit=";".join(dict.fromkeys(units))))
    return out


def _as_of_old_snapshot(d: dict) -> dict:
    """The old wards' export of 30/06/2025: what finished later was still in progress that day."""
    d = dict(d)
    day = np.datetime64(LAST_OLD_DAY) + np.timedelta64(1, "D")
    open_then = np.isnat(d["finished"]) | (d["finished"] >= day.astype("datetime64[s]"))
    nat = np.datetime64("NaT", "s")
    d["finished"] = np.where(open_then, nat, d["finished"])
    d["handed"] = np.where(open_then | (d["handed"] >= day.astype("datetime64[s]")), nat, d["handed"])
    d["status"] = np.where(open_then, 4, np.where(np.isnat(d["handed"]) & (d["status"] == 10), 9, d["status"]))
    for flag in ("returned", "e_result"):
        d[flag] = np.where(open_then, False, d[flag])
    d["rating"] = np.where(open_then, 0, d["rating"]).astype(np.int8)
    return d


def generate_hcm2026(out_dir: pathlib.Path, seed: int = 2026, progress=print) -> list[pathlib.Path]:
    """Writes the reference files, the succession file, the exports and the SIPAS 2025 questionnaires to out_dir;
    returns the paths in the order they must be imported."""
    started = time.perf_counter()
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    progress("Đang ghi danh mục đơn vị (trước và sau sắp xếp), sắp xếp đơn vị, thủ tục và chỉ tiêu…")
    units, successions, distinct = build_hcm2026_units()
    old_procs = build_procedures()
    procedures = _new_catalogue(old_procs)
    targets = [dict(year=y, scope=s, indicator=i, comparator=c, value=v, source=TARGET_SOURCE.format(year=y))
               for y in (2025, 2026) for s, i, c, v in TARGETS]
    paths = [write_csv_rows(out_dir / "don_vi_2025_2026.csv", COLUMNS, units),
             write_csv_rows(out_dir / "sap_xep_don_vi_01_07_2025.csv", SUCCESSION_COLUMNS, successions),
             write_procedures(out_dir / "thu_tuc_2026.csv", procedures),
             write_csv_rows(out_dir / "chi_tieu_2025_2026.csv", ["year", "scope", "indicator", "comparator", "value",
                                                                 "source"], targets)]
    cat = Catalogue.from_procedures(procedures)
    codes = [u["code"] for u in units]
    lk = Lookups(unit_code=codes, unit_label=[("UBND " + u["name"]) if u["level"] == "district" else u["name"]
                                              for u in units],
                 proc_code=[p.code for p in procedures], proc_name=[p.name for p in procedures],
                 proc_field=[p.field for p in procedures],
                 proc_online=np.array([{"none": 0, "partial": 1, "full": 2}[p.online_level] for p in procedures]))
    idx = {c: i for i, c in enumerate(codes)}

    def block(name: str, members: list[dict], weight, procs, start, end, seed_part: int, **kw) -> dict:
        plan = _plan([idx[u["code"]] for u in members], weight, procs, start, end, DAILY.get(name, 100.0), **kw)
        rng = np.random.default_rng([seed, seed_part])
        return sort_rows(simulate_block(plan, cat, rng, plan_counts(plan, rng)))

    total = 0

    def write(kind, path, rows, title, period):
        nonlocal total
        total += rows["unit"].size
        writer = {"A-xlsx": write_vendor_a_xlsx, "A-csv": write_vendor_a_csv}.get(kind)
        paths.append(writer(path, rows, lk, title, period_title=period) if writer
                     else write_vendor_b_csv(path, rows, lk, "BÁO CÁO CHI TIẾT HỒ SƠ - " + title.upper(), period))

    # Departments: the twenty of January–February, then the fourteen after the March mergers, whose volume
    # includes what the merged ones handled. One export for the whole time (the department system kept running).
    progress("Đang sinh hồ sơ các sở, ban, ngành…")
    depts = [u for u in units if u["level"] == "department"]
    old_depts = [u for u in depts if u["valid_from"] == ""]
    new_depts = [u for u in depts if u["valid_to"] == ""]
    absorbed = {}
    for old, succ in DEPT_MERGERS.items():
        for part in succ.split(";"):
            code, _, share = part.partition(":")
            absorbed[code.strip()] = absorbed.get(code.strip(), 0) + DEPT_WEIGHTS.get(old, 0.3) * (
                float(share.strip(" %")) / 100 if share else 1.0)
    dept_rows = concat([
        block("departments", old_depts, _weights([u["code"] for u in old_depts], DEPT_WEIGHTS),
              [_catalogue_of(old_procs, (u["code"],)) for u in old_depts], START, DEPT_SWITCH - 1, 1),
        block("departments", new_depts, [DEPT_WEIGHTS.get(u["code"], 0.3) + absorbed.get(u["code"], 0)
                                         for u in new_depts],
              [_catalogue_of(procedures, (u["code"],)) for u in new_depts], DEPT_SWITCH, SNAPSHOT, 2)])
    write("A-xlsx", out_dir / "ho_so_so_nganh_2025_2026.xlsx", sort_rows(dept_rows), "Khối: Sở, ban, ngành",
          PERIOD_ALL)

    progress("Đang sinh hồ sơ các cơ quan ngành dọc…")
    verticals = [u for u in units if u["level"] == "vertical"]
    write("A-csv", out_dir / "ho_so_nganh_doc_2025_2026.csv",
          block("verticals", verticals, _weights([u["code"] for u in verticals], VERTICAL_WEIGHTS),
                [_catalogue_of(old_procs, (u["code"],)) for u in verticals], START, SNAPSHOT, 3),
          "Khối: Cơ quan ngành dọc", PERIOD_ALL)

    # The old units until 30/06/2025 (districts, wards): exports taken that day; the dossiers still open then were
    # handed to the new commune-level units and the city's export of 30/11/2026 lists them there, with their old
    # numbers — the newer snapshot wins (the dossier keeps its unit as last exported).
    progress("Đang sinh hồ sơ cấp huyện, phường, xã trước và sau sắp xếp…")
    districts = [u for u in units if u["level"] == "district" and u["valid_to"] == LAST_OLD_DAY]
    old_wards = [u for u in units if u["level"] == "ward" and u["valid_to"] == LAST_OLD_DAY]
    new_wards = [u for u in units if u["level"] == "ward" and u["valid_from"] == "2025-07-01"]
    dist = block("districts", districts, np.ones(len(districts)),
                 [_catalogue_of(old_procs, ("district",))] * len(districts), START, SWITCH - 1, 4)
    rng = np.random.default_rng([seed, 5])
    old_weight = rng.lognormal(0.0, 0.35, len(old_wards))
    old = block("old_wards", old_wards, old_weight, [_catalogue_of(old_procs, ("ward",))] * len(old_wards),
                START, SWITCH - 1, 6)
    for rows in (dist, old):   # numbered once over all of them: the handed-over ones keep exactly these numbers
        rows["code"] = np.asarray(dossier_codes(rows, lk).to_numpy(zero_copy_only=False), dtype=object)
    write("A-csv", out_dir / "ho_so_cap_huyen_6_thang_dau_2025.csv", _as_of_old_snapshot(dist),
          "Khối: Quận, huyện, thị xã, thành phố thuộc tỉnh (trước sắp xếp)", PERIOD_OLD)
    write("B-csv", out_dir / "ho_so_phuong_xa_6_thang_dau_2025.csv", _as_of_old_snapshot(old),
          "Khối phường, xã, thị trấn (trước sắp xếp)", PERIOD_OLD)
    # Heirs: an old ward's dossiers go to the new unit that took the largest share of it; a district's to the
    # first new unit formed on its ground.
    heir: dict[str, tuple[str, float]] = {d: (new_unit_code(NEW_UNITS[d][0]), 1.0) for d in NEW_UNITS}
    received_share: dict[str, float] = {}
    weight_of = {u["code"]: w for u, w in zip(old_wards, old_weight)}
    for s in successions:
        share = int(s["Tỷ lệ"].rstrip("%")) / 100
        pred, succ = s["Mã đơn vị cũ"], s["Mã đơn vị mới"]
        received_share[succ] = received_share.get(succ, 0.0) + weight_of.get(pred, 1.0) * share
        if pred not in heir or share > heir[pred][1]:
            heir[pred] = (succ, share)
    new = block("new_wards", new_wards, [received_share.get(u["code"], 1.0) for u in new_wards],
                [_catalogue_of(procedures, ("ward",))] * len(new_wards), SWITCH, SNAPSHOT, 7, boost=1.9)
    new["code"] = np.asarray(dossier_codes(new, lk).to_numpy(zero_copy_only=False), dtype=object)
    to_new = np.array([idx[heir.get(c, (c, 1))[0]] for c in codes], dtype=np.int64)
    moved = []
    for rows in (dist, old):
        still_open = np.isnat(rows["finished"]) | (rows["finished"] >= SWITCH.astype("datetime64[s]"))
        moved.append({k: v[still_open] for k, v in rows.items()})
        moved[-1]["unit"] = to_new[moved[-1]["unit"]]
    write("B-csv", out_dir / "ho_so_phuong_xa_tu_01_07_2025.csv", sort_rows(concat([*moved, new])),
          "Khối phường, xã, đặc khu (sau sắp xếp)", PERIOD_NEW)

    progress("Đang sinh phiếu khảo sát SIPAS 2025 (sở, ngành và phường, xã, đặc khu)…")
    surveyed = [dict(u, name=distinct.get(u["code"], u["name"])) for u in new_wards]
    paths += write_survey_pair(out_dir / "khao_sat_sipas_so_nganh_2025.xlsx", new_depts,
                               out_dir / "khao_sat_sipas_phuong_xa_2025.csv", surveyed, seed, years=(2025,),
                               size_range=(40, 130))
    elapsed = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    progress(f"Đã sinh {vn_int(total)} hồ sơ trong {vn_number(elapsed, 1)} giây "
             f"({len(paths)} tệp, {vn_int(round(size_mb))} MB).")
    return paths
