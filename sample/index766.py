"""The sample's 766 files: the inputs the dossier exports lack (per unit and month of 2022, as a one-stop system
exports them), the procedures that return a paper result, and — read back from the loaded sample — the scores the
national portal published, a few of them off by what unsynchronized dossiers and missing ratings would cause."""
from __future__ import annotations

import csv
import pathlib

import numpy as np
from openpyxl import Workbook

from .procedures import build_procedures
from .units import build_units

__all__ = ["generate_index766_inputs", "write_index766_published", "INPUTS_FILE", "PAPER_FILE", "PUBLISHED_FILE"]

INPUTS_FILE = "chi_so_766_dau_vao_2022.csv"
PAPER_FILE = "tthc_tra_ket_qua_giay.csv"
PUBLISHED_FILE = "diem_chi_so_766_cong_bo_2022.xlsx"
_MONTHS = range(1, 13)
# Per input field: (criterion code written in the file, levels that report it, typical monthly denominator by
# level, success share in January and in December). Wards report petitions, certified copies and population data;
# procedure disclosure belongs to the province, departments and districts.
_FIELDS = [
    ("1.1", ("province", "department", "district"), {"province": 60, "department": 6, "district": 3}, 0.88, 0.99),
    ("1.2", ("province", "department", "district"), {"province": 40, "department": 4, "district": 2}, 0.80, 0.97),
    ("1.3", ("province", "department", "district"), {"province": 300, "department": 40, "district": 30}, 0.90, 0.99),
    ("4.3", ("province", "department", "district", "ward", "vertical"),
     {"province": 250, "department": 30, "district": 20, "ward": 8, "vertical": 10}, 0.55, 0.85),
    ("Hồ sơ có phản ánh, kiến nghị", ("department", "district", "ward", "vertical"),
     {"department": 40, "district": 30, "ward": 6, "vertical": 30}, 0.02, 0.01),
    ("5.2", ("department", "district", "ward", "vertical"), {"department": 6, "district": 5, "ward": 1, "vertical": 6},
     0.85, 0.97),
    ("5.3", ("department", "district", "ward", "vertical"), {"department": 5, "district": 4, "ward": 1, "vertical": 5},
     0.70, 0.90),
    ("6.3", ("district", "ward"), {"district": 60, "ward": 40}, 0.20, 0.60),
    ("6.5", ("province", "department", "district", "ward", "vertical"),
     {"province": 200, "department": 300, "district": 400, "ward": 150, "vertical": 500}, 0.30, 0.75),
    ("6.6.1", ("department", "district", "ward", "vertical"),
     {"department": 300, "district": 400, "ward": 150, "vertical": 500}, 0.25, 0.70),
    ("6.6.2", ("province", "department", "district", "ward", "vertical"),
     {"province": 200, "department": 20, "district": 15, "ward": 8, "vertical": 10}, 0.40, 0.80),
]


def _counts(rng, typical: int, share: float) -> tuple[int, int]:
    denominator = int(rng.poisson(typical))
    numerator = int(rng.binomial(denominator, share)) if denominator else 0
    return numerator, denominator


def generate_index766_inputs(out_dir: pathlib.Path, seed: int = 2022, progress=print) -> list[pathlib.Path]:
    """The inputs file and the paper-result list, deterministic; to import after the units and procedures."""
    progress("Đang sinh số liệu đầu vào chỉ số 766 (công khai TTHC, phản ánh kiến nghị, dữ liệu dân cư…)…")
    out_dir = pathlib.Path(out_dir)
    rng = np.random.default_rng([seed, 766])
    units = [u for u in build_units() if not u["valid_to"]]
    lines = []
    for month in _MONTHS:
        ramp = (month - 1) / 11
        for u in units:
            for code, levels, typical, first, last in _FIELDS:
                if u["level"] not in levels:
                    continue
                num, den = _counts(rng, typical[u["level"]], first + (last - first) * ramp)
                lines.append([len(lines) + 1, u["code"], u["name"], f"Tháng {month}/2022", code, num, den])
    inputs = out_dir / INPUTS_FILE
    # As the one-stop system exports it: title lines, the unit's code (ward names repeat across districts) and name.
    with open(inputs, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerows([["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"],
                     ["SỐ LIỆU TÍNH CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP NĂM 2022"],
                     ["STT", "Mã đơn vị", "Tên đơn vị", "Kỳ", "Mã tiêu chí", "Tử số", "Mẫu số"]])
        w.writerows(lines)
    paper = out_dir / PAPER_FILE
    with open(paper, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Mã TTHC", "Tên TTHC", "Trả kết quả giấy"])
        for p in build_procedures():
            w.writerow([p.code, p.name, "Có" if rng.random() < 0.7 else "Không"])
    return [inputs, paper]


def write_index766_published(con, out_dir: pathlib.Path, seed: int = 2022, progress=print) -> pathlib.Path:
    """The portal's monthly scores of the city, its departments and districts, from the loaded sample's own 766
    figures rounded as the portal rounds (two decimals) — except for about one unit-month in ten, where the portal
    counted fewer synchronized dossiers (group 1, only where some were not synchronized) or fewer ratings
    (group 5)."""
    from indicators import Period
    from indicators.index766 import compute_index766
    progress("Đang sinh điểm chỉ số 766 Cổng DVCQG công bố (đọc lại từ dữ liệu mẫu đã nạp)…")
    rng = np.random.default_rng([seed, 767])
    wb = Workbook()
    ws = wb.active
    ws.title = "Diem 766"
    groups = None
    for month in _MONTHS:
        result = compute_index766(con, Period.month(2022, month), by="unit")
        if groups is None:
            groups = result["config"]["groups"]
            ws.append(["KẾT QUẢ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP NĂM 2022 (CỔNG DỊCH VỤ CÔNG QUỐC GIA)"])
            ws.append([])
            ws.append(["STT", "Đơn vị", "Kỳ"] + [f"{g['name']} ({g['max_points']:g} điểm)" for g in groups]
                      + ["Tổng điểm", "Xếp loại"])
        rows = [result["total"]] + [r for r in result["rows"] if r["level"] in ("department", "district")]
        for r in rows:
            points = {g: p["points"] or 0.0 for g, p in r["groups"].items()}
            total = r["total"] or 0.0
            draw = rng.random()
            sync = r["criteria"]["1.4"]
            if draw < 0.06 and (sync["denominator"] or 0) > (sync["numerator"] or 0):   # the portal saw fewer synced
                cut = round(float(rng.uniform(0.2, 1.2)), 2)
                points["1"], total = max(0.0, points["1"] - cut), total - cut
            elif draw < 0.10:   # ratings the portal did not receive
                cut = round(float(rng.uniform(0.2, 0.8)), 2)
                points["5"], total = max(0.0, points["5"] - cut), total - cut
            name = "UBND Thành phố Hồ Chí Minh" if r is result["total"] else r["name"]
            ws.append([ws.max_row - 2, name, f"Tháng {month}/2022"] + [round(points[g["id"]], 2) for g in groups]
                      + [round(total, 2), result["config"]["bands"] and _band(result["config"]["bands"], total)])
    path = pathlib.Path(out_dir) / PUBLISHED_FILE
    wb.save(path)
    return path


def _band(bands: list[dict], total: float) -> str:
    return next(b["band"] for b in bands if total >= b["lower_bound"] - 1e-9)
