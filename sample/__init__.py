"""Deterministic sample data: Ho Chi Minh City 2022 reference files and vendor-style dossier exports."""
import pathlib
import time

import numpy as np

from common.formats import vn_int, vn_number

from . import workdays as cal
from .defects import DELIBERATE_DEFECTS
from .dossiers import (BlockPlan, Catalogue, concat, plan_counts, same_day_mask, simulate_block,
                       simulate_skhdt_h1, sort_rows)
from .procedures import build_procedures, write_procedures
from .targets import build_targets, write_targets
from .units import DISTRICTS, LATE_DISTRICTS, build_units, write_units
from .writers import Lookups, write_vendor_a_csv, write_vendor_a_xlsx, write_vendor_b_csv

__all__ = ["generate_sample", "DELIBERATE_DEFECTS", "SAME_DAY_TARGETS", "SKHDT_H1"]

# Published figures the sample reproduces (sample-data.md).
SKHDT_H1 = dict(received_new=122_700, resolved_in_time=122_563, pending_within=133, resolved_late=4)
SAME_DAY_TARGETS = {"district": 229_642, "ward": 199_275, "department": 20_696, "vertical": 244_696}
DEMO_FACTOR = 0.035  # share of the full volume kept for units other than Sở Kế hoạch và Đầu tư in the demo

# One export block per unit level: vendor/format (demo, full), files at full scale, same-day share outside and
# inside the action month, Saturday-morning share, base late share (multiplied for land/construction, some districts).
BLOCKS = [
    dict(key="so_nganh", level="department", progress="các sở, ban, ngành", title="Khối: Sở, ban, ngành",
         fmt=("A-xlsx", "A-xlsx"), parts=1, same_day=0.15, window_share=0.6, saturday=0.0, base_late=0.004),
    dict(key="quan_huyen", level="district", progress="Thành phố Thủ Đức và các quận, huyện",
         title="Khối: Thành phố Thủ Đức và các quận, huyện",
         fmt=("A-xlsx", "A-csv"), parts=2, same_day=0.35, window_share=0.85, saturday=0.05, base_late=0.004),
    dict(key="phuong_xa", level="ward", progress="các phường, xã, thị trấn", title="KHỐI PHƯỜNG, XÃ, THỊ TRẤN",
         fmt=("B-csv", "B-csv"), parts=2, same_day=0.6, window_share=0.9, saturday=0.05, base_late=0.003),
    dict(key="nganh_doc", level="vertical", progress="các cơ quan ngành dọc", title="Khối: Cơ quan ngành dọc",
         fmt=("A-csv", "A-csv"), parts=2, same_day=0.5, window_share=0.9, saturday=0.02, base_late=0.003),
]
DEPT_WEIGHTS = {"SGTVT": 6, "SLDTBXH": 5, "STP": 4, "SXD": 3, "STNMT": 3, "SYT": 2, "SGDDT": 1.5, "SCT": 1,
                "HEPZA": 1, "STC": 0.8, "SVHTT": 0.6, "SQHKT": 0.6}
VERTICAL_WEIGHTS = {"CTHUE": 3, "CATP": 4, "BHXH": 2.5, "VPDKDD": 1.5, "KBNN": 0.5, "CHQ": 1}


def _window_workdays() -> int:
    days = np.arange(cal.ACTION_START, cal.ACTION_END + 1, dtype="datetime64[D]")
    return int(cal.is_workday(days).sum())


def _catalogue_of(procedures, key: str) -> np.ndarray:
    return np.array([i for i, p in enumerate(procedures) if key in p.unit.split(";")], dtype=np.int64)


def _block_plan(block: dict, units: list[dict], procedures, target: int, factor: float, rng) -> BlockPlan:
    idx = [i for i, u in enumerate(units) if u["level"] == block["level"] and not u["valid_to"]
           and u["code"] != "SKHDT"]
    codes = [units[i]["code"] for i in idx]
    level = block["level"]
    district_weight = {c: w for c, _, w, _ in DISTRICTS}
    if level == "department":
        weight = [DEPT_WEIGHTS.get(c, 0.3) for c in codes]
        procs = [_catalogue_of(procedures, c) for c in codes]
        late = [1.0] * len(codes)
    elif level == "district":
        weight = [district_weight[c] for c in codes]
        procs = [_catalogue_of(procedures, "district")] * len(codes)
        late = [3.0 if c in LATE_DISTRICTS else 1.0 for c in codes]
    elif level == "ward":
        parent = [units[i]["parent_code"] for i in idx]
        n_wards = {p: parent.count(p) for p in set(parent)}
        noise = rng.lognormal(0.0, 0.35, len(codes))
        weight = [district_weight[p] / n_wards[p] * z for p, z in zip(parent, noise)]
        procs = [_catalogue_of(procedures, "ward")] * len(codes)
        late = [2.0 if p in LATE_DISTRICTS else 1.0 for p in parent]
    else:
        weight = [VERTICAL_WEIGHTS.get(c, 0.5) for c in codes]
        procs = [_catalogue_of(procedures, c) for c in codes]
        late = [1.0] * len(codes)
    window_target = int(round(target * factor))
    daily = window_target / (_window_workdays() * block["window_share"])
    return BlockPlan(units=idx, unit_weight=np.asarray(weight, float), unit_procs=procs,
                     unit_late_mult=np.asarray(late, float), daily_volume=daily, same_day_share=block["same_day"],
                     window_same_day=window_target, window_same_day_share=block["window_share"],
                     saturday_weight=block["saturday"], base_late=block["base_late"])


def _lookups(units: list[dict], procedures) -> Lookups:
    def label(u):
        if u["level"] == "district":
            return "UBND " + u["name"]  # this vendor writes the council's name: matched through the aliases
        return u["name"]
    online = np.array([{"none": 0, "partial": 1, "full": 2}[p.online_level] for p in procedures], dtype=np.int64)
    return Lookups(unit_code=[u["code"] for u in units], unit_label=[label(u) for u in units],
                   proc_code=[p.code for p in procedures], proc_name=[p.name for p in procedures],
                   proc_field=[p.field for p in procedures], proc_online=online)


def _write(fmt: str, path: pathlib.Path, rows: dict, lk: Lookups, title: str, defects=()) -> pathlib.Path:
    if fmt == "A-xlsx":
        return write_vendor_a_xlsx(path, rows, lk, title, defects)
    if fmt == "A-csv":
        return write_vendor_a_csv(path, rows, lk, title, defects)
    return write_vendor_b_csv(path, rows, lk, "BÁO CÁO CHI TIẾT HỒ SƠ - " + title.upper().replace("KHỐI: ", "KHỐI "))


def generate_sample(out_dir: pathlib.Path, scale: str = "demo", seed: int = 2022, progress=print) -> list[pathlib.Path]:
    """Write the reference files and export files to out_dir; return the paths in the order they must be imported
    (units first, then procedures, then targets, then dossier exports)."""
    if scale not in ("demo", "full"):
        raise ValueError("scale must be 'demo' or 'full'")
    started = time.perf_counter()
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    full = scale == "full"
    factor = 1.0 if full else DEMO_FACTOR

    progress("Đang ghi danh mục đơn vị, thủ tục hành chính và chỉ tiêu…")
    units = build_units()
    procedures = build_procedures()
    paths = [write_units(out_dir / "units.csv", units),
             write_procedures(out_dir / "procedures.csv", procedures),
             write_targets(out_dir / "targets.csv", build_targets())]
    cat = Catalogue.from_procedures(procedures)
    lk = _lookups(units, procedures)
    codes = [u["code"] for u in units]

    progress("Đang sinh hồ sơ Sở Kế hoạch và Đầu tư…")
    skhdt = codes.index("SKHDT")
    sk_procs = _catalogue_of(procedures, "SKHDT")
    h1 = simulate_skhdt_h1(skhdt, sk_procs, cat, np.random.default_rng([seed, 1]))
    h2_plan = BlockPlan(units=[skhdt], unit_weight=np.ones(1), unit_procs=[sk_procs], unit_late_mult=np.ones(1),
                        daily_volume=950.0, same_day_share=0.05, start=np.datetime64("2022-07-01"),
                        base_late=0.0008, withdraw_share=0.004, stop_share=0.001, online_boost=1.6)
    h2 = simulate_block(h2_plan, cat, np.random.default_rng([seed, 2]))
    sk = sort_rows(concat([h1, h2]))
    sk_same_day = int(same_day_mask(sk).sum())
    paths.append(write_vendor_b_csv(out_dir / "ho_so_so_ke_hoach_dau_tu_2022.csv", sk, lk,
                                    "BÁO CÁO CHI TIẾT HỒ SƠ - SỞ KẾ HOẠCH VÀ ĐẦU TƯ"))
    total_rows = sk["unit"].size
    del sk, h1, h2

    for b, block in enumerate(BLOCKS, start=3):
        target = SAME_DAY_TARGETS[block["level"]] - (sk_same_day if block["level"] == "department" else 0)
        rng = np.random.default_rng([seed, b])
        plan = _block_plan(block, units, procedures, target, factor, rng)
        counts = plan_counts(plan, rng)
        fmt = block["fmt"][1 if full else 0]
        n_parts = block["parts"] if full else 1
        for part, unit_group in enumerate(np.array_split(np.asarray(plan.units), n_parts), start=1):
            suffix = f"_phan{part}" if n_parts > 1 else ""
            ext = "xlsx" if fmt.endswith("xlsx") else "csv"
            path = out_dir / f"ho_so_{block['key']}_2022{suffix}.{ext}"
            progress(f"Đang sinh hồ sơ {block['progress']}"
                     f"{f' (phần {part}/{n_parts})' if n_parts > 1 else ''}…")
            rows = sort_rows(simulate_block(plan, cat, np.random.default_rng([seed, b, part]), counts, unit_group))
            defects = [d for d in DELIBERATE_DEFECTS if d["file"] == path.name]
            paths.append(_write(fmt, path, rows, lk, block["title"], defects))
            total_rows += rows["unit"].size
            del rows
    elapsed = time.perf_counter() - started
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    progress(f"Đã sinh {vn_int(total_rows)} hồ sơ trong {vn_number(elapsed, 1)} giây "
             f"({len(paths)} tệp, {vn_int(round(size_mb))} MB).")
    return paths
