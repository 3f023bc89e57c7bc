"""PAR INDEX sample: the 2021 and 2022 frameworks for departments and districts, and every department's and
district's scores (2021 as a long file, 2022 as the council's wide workbook), written after the dossiers and
surveys are loaded: the `data` criteria are scored from the sample's own figures (read through indicators, by
the function the data check uses), with a few inflated self-scores for the data check to find."""
from __future__ import annotations

import csv
import io
import pathlib
import zipfile
from datetime import datetime

import numpy as np
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from common.formats import vn_score
from indicators.par_data import data_values
from model.par_rules import parse_rule, score

from .units import build_units
from .xlsx import ZIP_TIME

__all__ = ["generate_par", "INFLATED", "AREAS"]

YEARS = (2021, 2022)
GROUPS = {"department": "Sở, ban, ngành", "district": "Quận, huyện"}
AREAS = {"1": "Công tác chỉ đạo, điều hành CCHC", "2": "Cải cách thể chế", "3": "Cải cách thủ tục hành chính",
         "4": "Cải cách tổ chức bộ máy hành chính nhà nước", "5": "Cải cách chế độ công vụ",
         "6": "Cải cách tài chính công", "7": "Xây dựng và phát triển chính phủ điện tử, chính phủ số",
         "8": "Tác động của cải cách hành chính"}
CRITERIA = {"1.1": "Kế hoạch CCHC năm", "3.3": "Kết quả giải quyết thủ tục hành chính",
            "7.3": "Cung cấp dịch vụ công trực tuyến"}
ON_TIME = "≥ 99 %: 3; ≥ 97 %: 2; ≥ 95 %: 1; < 95 %: 0"
# Leaves of the departments' 2022 framework: code, name, max points, method, indicator, rule. Areas and criteria
# with children take the sum of their children; the survey part (area 8) is 32 points.
LEAVES = [
    ("1.1.1", "Ban hành kế hoạch CCHC năm kịp thời, đúng quy định", 0.5, "self", None, None),
    ("1.1.2", "Mức độ hoàn thành kế hoạch CCHC", 2, "data", "plan_done_rate", "≥ 80 %: 2; ≥ 60 %: 1; < 60 %: 0"),
    ("1.2", "Báo cáo CCHC đầy đủ, đúng hạn", 1.5, "self", None, None),
    ("1.3", "Kiểm tra công tác CCHC", 2, "self", None, None),
    ("1.4", "Công tác tuyên truyền CCHC", 1.5, "self", None, None),
    ("1.5", "Sáng kiến, giải pháp mới trong CCHC", 1.5, "self", None, None),
    ("2.1", "Xây dựng, ban hành văn bản quy phạm pháp luật", 3, "self", None, None),
    ("2.2", "Theo dõi thi hành pháp luật", 2, "self", None, None),
    ("2.3", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", 2, "self", None, None),
    ("3.1", "Thực hiện cơ chế một cửa, một cửa liên thông", 3, "self", None, None),
    ("3.2", "Công khai thủ tục hành chính", 2, "self", None, None),
    ("3.3.1", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", 3, "data", "on_time_rate", ON_TIME),
    ("3.3.2", "Kết quả Bộ chỉ số phục vụ người dân, doanh nghiệp (766)", 2, "data", "index766",
     "≥ 90 %: 2; ≥ 80 %: 1; < 80 %: 0"),
    ("3.3.3", "Xin lỗi người dân, tổ chức khi giải quyết hồ sơ trễ hạn", 1, "self", None, None),
    ("3.4", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", 1.5, "self", None, None),
    ("3.5", "Chỉ số hài lòng SIPAS đạt chỉ tiêu kế hoạch", 1.5, "data", "sipas",
     "≥ 86 %: 1,5; ≥ 80 %: 0,75; < 80 %: 0"),
    ("4.1", "Sắp xếp tổ chức bộ máy theo quy định", 3, "self", None, None),
    ("4.2", "Quản lý, sử dụng biên chế", 3, "self", None, None),
    ("5.1", "Thực hiện vị trí việc làm", 2.5, "self", None, None),
    ("5.2", "Tuyển dụng, bố trí, sử dụng công chức", 2.5, "self", None, None),
    ("5.3", "Kỷ luật, kỷ cương hành chính", 3, "self", None, None),
    ("6.1", "Quản lý, sử dụng ngân sách nhà nước", 3, "self", None, None),
    ("6.2", "Cơ chế tự chủ của đơn vị sự nghiệp công lập", 2, "self", None, None),
    ("6.3", "Quản lý, sử dụng tài sản công", 2, "self", None, None),
    ("7.1", "Hạ tầng, nền tảng số", 3, "self", None, None),
    ("7.2", "Ứng dụng công nghệ thông tin trong hoạt động nội bộ", 4, "self", None, None),
    ("7.3.1", "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 2, "self", None, None),
    ("7.3.2", "Tỷ lệ hồ sơ TTHC tiếp nhận trực tuyến", 3, "data", "online_rate", "max × tỷ lệ"),
    ("7.4", "Số hóa hồ sơ, kết quả giải quyết TTHC", 2, "self", None, None),
    ("7.5", "Bảo đảm an toàn thông tin", 3, "self", None, None),
    ("8.1", "Hài lòng về tiếp cận dịch vụ", 6, "survey", "sipas_1", None),
    ("8.2", "Hài lòng về thủ tục hành chính", 7, "survey", "sipas_2", None),
    ("8.3", "Hài lòng về công chức trực tiếp giải quyết công việc", 7, "survey", "sipas_3", None),
    ("8.4", "Hài lòng về kết quả giải quyết công việc", 6, "survey", "sipas_4", None),
    ("8.5", "Hài lòng về tiếp nhận, xử lý góp ý, phản ánh", 6, "survey", "sipas_5", None),
]
# Changes from the departments' 2022 maxima, each set summing to zero: districts weigh the survey more (35 points).
CHANGES = {("district", 2022): {"8.1": 1, "8.2": 1, "8.5": 1, "2.1": -1, "4.2": -1, "6.2": -1},
           ("department", 2021): {"1.5": 1, "7.2": -1},
           ("district", 2021): {"8.1": 1, "8.2": 1, "8.5": 1, "2.1": -1, "4.2": -1, "6.2": -1, "1.5": 1, "7.2": -1}}
# (unit, code) → whether the council caught the inflated self-score of 2022 ("corrected") or let it stand.
INFLATED = {("SXD", "3.3.1"): "corrected", ("HM", "3.3.1"): "missed", ("SNNPTNT", "3.3.1"): "corrected",
            ("SNV", "7.3.2"): "missed", ("Q7", "7.3.2"): "corrected", ("TP", "3.5"): "corrected"}
NOT_APPLICABLE = {("SHTP", "6.2"): "Không áp dụng", ("HEPZA", "6.2"): "Không áp dụng", ("SNGV", "6.2"): "-"}
# 2022 areas the council had not appraised yet when the workbook was sent: blank "Thẩm định" cells.
NOT_APPRAISED = {("CG", "7"), ("SDL", "5")}
# How often a unit loses points, drawn per unit except these two, kept weak so that every group A–D has units.
CARE = {"STNMT": 0.85, "TB": 0.8}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def framework(year: int, group: str) -> list[dict]:
    """Every node in order (area, criterion, sub-criterion), parents' maxima the sums of their children."""
    change = CHANGES.get((group, year), {})
    leaves = [dict(code=c, name=n, max=m + change.get(c, 0), method=k, indicator=i, rule=r)
              for c, n, m, k, i, r in LEAVES]
    nodes, seen = [], set()
    for leaf in leaves:
        parts = leaf["code"].split(".")
        for depth in range(1, len(parts)):
            code = ".".join(parts[:depth])
            if code not in seen:
                seen.add(code)
                nodes.append(dict(code=code, name=AREAS.get(code) or CRITERIA[code], method=None, indicator=None,
                                  rule=None, max=sum(x["max"] for x in leaves if x["code"].startswith(code + "."))))
        nodes.append(leaf)
    for node in nodes:
        if node["code"] == "8":
            node["method"] = "survey"
    return nodes


def _leaves(nodes: list[dict]) -> list[dict]:
    return [n for n in nodes if not any(m["code"].startswith(n["code"] + ".") for m in nodes)]


def _quarter(x: float) -> float:
    return max(0.0, round(x * 4) / 4)


def _unit_scores(unit: str, year: int, nodes: list[dict], values: dict, rng) -> dict:
    """code → (self, appraised): numbers, None (not appraised) or a "không áp dụng" mark, for the unit's leaves."""
    out = {}
    care = CARE.get(unit) or float(np.clip(rng.normal(0.3, 0.17), 0.02, 0.7))
    for leaf in _leaves(nodes):
        top, code = leaf["max"], leaf["code"]
        if leaf["method"] == "survey":
            continue
        if (unit, code) in NOT_APPLICABLE:
            out[code] = (NOT_APPLICABLE[(unit, code)],) * 2
            continue
        value = values.get((unit, leaf["indicator"])) if leaf["method"] == "data" else None
        if value is not None:
            data = int(score(parse_rule(leaf["rule"], top), value, top) * 100) / 100   # typed to 2 decimals, down
            own, council = data, data
            if year == 2022 and (unit, code) in INFLATED:
                own = top
                council = top if INFLATED[(unit, code)] == "missed" else data
        else:   # a unit's care (how often it loses points) is drawn once: some units reach A, some stay in D
            own = _quarter(top - top * (rng.choice([0.25, 0.5]) if rng.random() < care else 0))
            council = min(own, _quarter(own - (rng.choice([0.25, 0.5]) if rng.random() < care / 2 else 0)))
        if year == 2022 and (unit, code.split(".")[0]) in NOT_APPRAISED:
            council = None
        out[code] = (own, council)
    return out


def _cell(value):
    """How a council types points: whole numbers as numbers, halves as text with a comma ("1,5")."""
    if value is None or isinstance(value, str):
        return value
    return int(value) if float(value).is_integer() else vn_score(value)


def _roman_code(code: str) -> str:
    """Published numbering: areas in roman numerals, criteria restarting at 1 in each area (II, 1, 1.1 …)."""
    parts = code.split(".")
    return ROMAN[int(parts[0]) - 1] if len(parts) == 1 else ".".join(parts[1:])


def _save(wb: Workbook, path: pathlib.Path) -> pathlib.Path:
    """openpyxl's save stamps the time in the document and in every zip entry: written through its writer with a
    fixed date instead, so the same sample gives the same bytes."""
    wb.properties.created = wb.properties.modified = datetime(2023, 1, 5, 8, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return path


def _write_framework_2021(path: pathlib.Path) -> pathlib.Path:
    """A plain CSV with English column names and both peer groups, codes as 1, 1.1, 1.1.1."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "peer_group", "code", "name", "max_points", "method", "indicator", "rule"])
        for group in GROUPS:
            for n in framework(2021, group):
                w.writerow([2021, group, n["code"], n["name"], vn_score(n["max"]), n["method"] or "",
                            n["indicator"] or "", n["rule"] or ""])
    return path


_METHOD_WORDS = {"self": "Tự đánh giá", "data": "Số liệu", "survey": "Điều tra xã hội học"}
_INDICATOR_WORDS = {"on_time_rate": "Tỷ lệ giải quyết đúng hạn, trước hạn", "online_rate": "Tỷ lệ hồ sơ trực tuyến",
                    "sipas": "Chỉ số hài lòng SIPAS", "index766": "Bộ chỉ số 766",
                    "plan_done_rate": "Tỷ lệ hoàn thành kế hoạch CCHC",
                    **{f"sipas_{e}": f"SIPAS yếu tố {e}" for e in range(1, 6)}}


def _write_framework_2022(path: pathlib.Path) -> pathlib.Path:
    """The published decision's appendix: one sheet per peer group, the group and year in the title, roman areas
    and restarted numbering, Vietnamese column names and method words, a total line."""
    wb = Workbook()
    wb.remove(wb.active)
    for group, label in GROUPS.items():
        ws = wb.create_sheet(label)
        ws.append([f"BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC {label.upper()} NĂM 2022"])
        ws.append(["(Kèm theo Quyết định số 512/QĐ-UBND ngày 15/02/2022 của Ủy ban nhân dân Thành phố)"])
        ws.append([])
        ws.append(["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Phương pháp", "Chỉ tiêu dữ liệu",
                   "Cách tính điểm"])
        for n in framework(2022, group):
            ws.append([_roman_code(n["code"]), n["name"], _cell(n["max"]), _METHOD_WORDS.get(n["method"], ""),
                       _INDICATOR_WORDS.get(n["indicator"], ""), n["rule"] or ""])
        ws.append([None, "TỔNG ĐIỂM", 100])
    return _save(wb, path)


def _typed(value) -> str:
    """A score as the long file types it: '1,5', a 'không áp dụng' mark as written, '' when not given."""
    return "" if value is None else value if isinstance(value, str) else vn_score(value)


def _write_long_2021(path: pathlib.Path, units: list[dict], scores: dict) -> pathlib.Path:
    """The 2021 scores as a long table (';', comma decimals), one row per unit and criterion; the council's note
    where it took points off, a report number as evidence for the first criterion of each area."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["Năm", "Đơn vị", "Mã tiêu chí", "Điểm tự đánh giá", "Điểm thẩm định", "Ghi chú",
                    "Tài liệu kiểm chứng"])
        for u in units:
            for i, (code, (own, council)) in enumerate(scores[u["code"]].items(), start=1):
                cut = not isinstance(own, str) and council is not None and council < own
                w.writerow([2021, u["name"], code, _typed(own), _typed(council),
                            "Thiếu tài liệu kiểm chứng" if cut else "",
                            f"Báo cáo số {10 + i}/BC-{u['code']}" if code.endswith(".1") else ""])
    return path


def _subtotal(given: dict, code: str) -> list:
    """A unit's two cells on a framework line: the leaf's own scores, or the sums of the leaves under it (blank
    "Thẩm định" while any of them is not appraised); "" is the whole table."""
    under = [v for c, v in given.items() if not code or c == code or c.startswith(code + ".")]
    numbers = [(own, council) for own, council in under if not isinstance(own, str)]
    if not numbers:
        return list(under[0]) if under else [None, None]
    appraised = [council for _, council in numbers if council is not None]
    return [_cell(sum(own for own, _ in numbers)), _cell(sum(appraised)) if len(appraised) == len(numbers) else None]


def _write_wide_2022(path: pathlib.Path, units_by_group: dict, scores: dict) -> pathlib.Path:
    """The council's workbook: one sheet per peer group, criteria down (roman areas, restarted numbering, subtotal
    lines), each unit's "Tự đánh giá" / "Thẩm định" under its merged name, a total line and a signature."""
    wb = Workbook()
    wb.remove(wb.active)
    for group, label in GROUPS.items():
        units = units_by_group[group]
        ws = wb.create_sheet(label)
        ws.append(["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH – HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC"])
        ws.append([f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ VÀ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2022 CỦA CÁC {label.upper()}"])
        ws.append([])
        names = ["STT", "Lĩnh vực, tiêu chí", "Điểm tối đa"]
        parts = [None, None, None]
        for u in units:
            names += [u["label"], None]
            parts += ["Tự đánh giá", "Thẩm định"]
        ws.append(names)
        ws.append(parts)
        for j in range(len(units)):
            ws.merge_cells(start_row=4, start_column=4 + 2 * j, end_row=4, end_column=5 + 2 * j)
        for j in range(1, 4):
            ws.merge_cells(start_row=4, start_column=j, end_row=5, end_column=j)
        for n in framework(2022, group):
            line = [_roman_code(n["code"]), n["name"], _cell(n["max"])]
            for u in units:
                line += _subtotal(scores[u["code"]], n["code"])
            ws.append(line)
        ws.append(["Tổng cộng", None, 100] + [x for u in units for x in _subtotal(scores[u["code"]], "")])
        ws.append([])
        ws.append([None, "Điểm điều tra xã hội học (lĩnh vực VIII) tính theo kết quả khảo sát SIPAS năm 2022."])
        ws.append([None, "THƯ KÝ HỘI ĐỒNG"])
    return _save(wb, path)


def generate_par(out_dir: pathlib.Path, con, seed: int = 2022, progress=print) -> list[pathlib.Path]:
    """Writes the PAR INDEX files in import order (frameworks, then scores) from the loaded sample `con`."""
    progress("Đang sinh bộ tiêu chí và điểm Chỉ số CCHC (PAR INDEX) 2021–2022…")
    out_dir = pathlib.Path(out_dir)
    current = [u for u in build_units() if not u["valid_to"] and u["level"] in GROUPS]
    for u in current:   # the council names districts as their people's committees, matched through the aliases
        u["label"] = f"UBND {u['name']}" if u["level"] == "district" else u["name"]
    levels = {u["code"]: u["level"] for u in current}
    needed = {indicator for _, _, _, method, indicator, _ in LEAVES if method == "data"}
    scores = {}
    for year in YEARS:
        values, _ = data_values(con, year, needed, levels)
        rng = np.random.default_rng([seed, 14, year])
        scores[year] = {u["code"]: _unit_scores(u["code"], year, framework(year, u["level"]), values, rng)
                        for u in current}
    by_group = {g: [u for u in current if u["level"] == g] for g in GROUPS}
    return [_write_framework_2021(out_dir / "bo_tieu_chi_chi_so_cchc_2021.csv"),
            _write_framework_2022(out_dir / "bo_tieu_chi_chi_so_cchc_2022.xlsx"),
            _write_long_2021(out_dir / "diem_chi_so_cchc_2021.csv", current, scores[2021]),
            _write_wide_2022(out_dir / "tham_dinh_chi_so_cchc_2022.xlsx", by_group, scores[2022])]
