"""SIPAS questionnaires for every department and district, 2021 and 2022, as two vendors' survey exports."""
import csv
import pathlib

import numpy as np

from .xlsx import write_table

YEARS = (2021, 2022)
# Deliberately small samples (fewer than 30 questionnaires): shown, never ranked.
SMALL_UNITS = {"SNGV": 18, "SDL": 24, "CG": 22}
# (code, short wording) of the 2017 criteria, as in etl/vocab/sipas_catalogue.csv.
CRITERIA = [
    ("1.1", "Nơi ngồi chờ có đủ chỗ ngồi"), ("1.2", "Có đủ trang thiết bị phục vụ"), ("1.3", "Trang thiết bị hiện đại"),
    ("1.4", "Trang thiết bị dễ sử dụng"), ("2.1", "TTHC được niêm yết công khai đầy đủ"),
    ("2.2", "Thành phần hồ sơ đúng quy định"), ("2.3", "Phí, lệ phí đúng quy định"),
    ("2.4", "Thời hạn giải quyết đúng quy định"), ("2.5", "Yêu cầu hồ sơ hợp lý"),
    ("3.1", "Công chức có thái độ giao tiếp lịch sự"), ("3.2", "Chú ý lắng nghe"), ("3.3", "Trả lời, giải thích đầy đủ"),
    ("3.4", "Hướng dẫn kê khai hồ sơ tận tình"), ("3.5", "Hướng dẫn dễ hiểu"), ("3.6", "Tuân thủ đúng quy định"),
    ("4.1", "Kết quả đúng quy định"), ("4.2", "Thông tin trong kết quả đầy đủ, chính xác"),
    ("4.3", "Nhận kết quả đúng hạn"), ("5.1", "Có bố trí hình thức tiếp nhận góp ý, phản ánh"),
    ("5.2", "Dễ dàng thực hiện góp ý, phản ánh"), ("5.3", "Tiếp nhận, xử lý tích cực"),
    ("5.4", "Thông báo kết quả xử lý kịp thời"),
]
EXPECTATIONS = ["Mở rộng hình thức thông tin", "Cải thiện cơ sở vật chất", "Đơn giản hóa TTHC",
                "Cải thiện thái độ phục vụ", "Nâng cao năng lực công chức", "Rút ngắn thời gian giải quyết",
                "Giải quyết kịp thời góp ý, phản ánh"]
EXPECTATION_P = np.array([0.22, 0.30, 0.45, 0.20, 0.18, 0.40, 0.15])
# Latent-scale shifts: element 5 (feedback handling) and 2 (procedures) score lowest, 4 (results) highest,
# as in published provincial SIPAS reports; 2022 a little better than 2021.
ELEMENT_SHIFT = np.array([0.15, -0.15, 0.10, 0.30, -0.45])
YEAR_SHIFT = {2021: -0.16, 2022: 0.0, 2025: 0.08, 2026: 0.12}
LEVEL_MEAN = 1.38
THRESHOLDS = np.array([-1.0, -0.35, 0.25, 1.55])   # latent → 1…5
WORDS = np.array(["", "Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"], dtype=object)
NUMBERS = np.array(["", "1", "2", "3", "4", "5"], dtype=object)
FIELDS = np.array(["Đất đai", "Xây dựng", "Hộ tịch", "Đăng ký kinh doanh", "Lao động", "Giao thông", "Y tế",
                   "Giáo dục", "Văn hóa"], dtype=object)
CHANNELS = np.array(["Trực tiếp", "Trực tuyến", "Bưu chính công ích"], dtype=object)
RESPONDENTS = np.array(["Công dân", "Doanh nghiệp", "Tổ chức"], dtype=object)
GENDERS = np.array(["Nam", "Nữ"], dtype=object)
AGES = np.array(["Dưới 25", "25–40", "41–60", "Trên 60"], dtype=object)


def _simulate(units: list[dict], rng, years=YEARS, size_range=(150, 420)) -> dict:
    """Scores 0 (no answer) or 1–5 for every questionnaire of the units, each year, as numpy arrays."""
    unit_effect = rng.normal(0.0, 0.26, len(units))
    crit_effect = rng.normal(0.0, 0.12, len(CRITERIA))
    crit_element = np.array([int(code[0]) - 1 for code, _ in CRITERIA])
    sizes = []
    for year in years:
        for i, u in enumerate(units):
            sizes.append((year, i, SMALL_UNITS.get(u["code"]) or int(rng.integers(*size_range))))
    year = np.concatenate([np.full(n, y) for y, _, n in sizes])
    unit = np.concatenate([np.full(n, i) for _, i, n in sizes])
    n = unit.size
    base = LEVEL_MEAN + unit_effect[unit] + np.vectorize(YEAR_SHIFT.get)(year) + rng.normal(0.0, 0.55, n)
    crit_latent = (base[:, None] + ELEMENT_SHIFT[crit_element][None, :] + crit_effect[None, :]
                   + rng.normal(0.0, 0.85, (n, len(CRITERIA))))
    elem_latent = np.stack([crit_latent[:, crit_element == e].mean(axis=1) for e in range(5)], axis=1) \
        + rng.normal(0.0, 0.45, (n, 5))
    overall_latent = elem_latent.mean(axis=1) + rng.normal(0.0, 0.35, n)
    scores = 1 + (np.concatenate([crit_latent, elem_latent, overall_latent[:, None]], axis=1)[..., None]
                  > THRESHOLDS).sum(axis=-1)
    # Element 5 concerns feedback: many respondents never gave any and leave it unanswered.
    skip5 = rng.random(n) < 0.22
    columns5 = [j for j, (code, _) in enumerate(CRITERIA) if code.startswith("5.")] + [len(CRITERIA) + 4]
    scores[np.ix_(skip5, columns5)] = 0
    scores[rng.random(scores.shape) < 0.01] = 0                  # a few stray unanswered questions
    chosen = rng.random((n, len(EXPECTATIONS))) < EXPECTATION_P
    day = rng.integers(0, 91, n)
    dates = (np.array([f"{y}-09-01" for y in year], dtype="datetime64[D]") + day).astype("datetime64[s]")
    pick = lambda values: values[rng.integers(0, len(values), n)]
    return dict(year=year, unit=unit, scores=scores.astype(np.int64), chosen=chosen, dates=dates,
                field=pick(FIELDS), channel=pick(CHANNELS), respondent=pick(RESPONDENTS), gender=pick(GENDERS),
                age=pick(AGES))


def _sequence(d: dict, prefix: str) -> np.ndarray:
    """Questionnaire codes numbered from 1 within each (unit, year), as paper forms are."""
    key = d["year"] * 1000 + d["unit"]
    start = np.r_[True, key[1:] != key[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(key.size), 0))
    number = np.arange(key.size) - first + 1
    return np.array([f"{prefix}-{y}-{u:02d}-{k:04d}" for y, u, k in zip(d["year"], d["unit"], number)], dtype=object)


def _write_departments(path: pathlib.Path, units: list[dict], d: dict) -> pathlib.Path:
    """Vendor A: xlsx, a title, 'Câu 1.1 - wording' headers, answers in words, Excel date cells, a masked phone
    column (personal data, dropped on import), blank cells for unanswered questions."""
    names = np.array([u["name"] for u in units], dtype=object)
    n = d["unit"].size
    columns = {"STT": np.arange(1, n + 1), "Mã phiếu": _sequence(d, "SN"), "Đơn vị được khảo sát": names[d["unit"]],
               "Ngày khảo sát": d["dates"], "Lĩnh vực": d["field"], "Hình thức": d["channel"],
               "Đối tượng": d["respondent"], "Giới tính": d["gender"], "Độ tuổi": d["age"],
               "Số điện thoại": np.full(n, "09xxxxx123", dtype=object)}
    for j, (code, wording) in enumerate(CRITERIA):
        columns[f"Câu {code} - {wording}"] = WORDS[d["scores"][:, j]]
    for e in range(5):
        columns[f"Hài lòng yếu tố {e + 1}"] = WORDS[d["scores"][:, len(CRITERIA) + e]]
    columns["Hài lòng chung"] = WORDS[d["scores"][:, -1]]
    for k, label in enumerate(EXPECTATIONS):
        columns[f"MD{k + 1} - {label}"] = np.where(d["chosen"][:, k], "x", "").astype(object)
    write_table(path, "Phiếu khảo sát", ["KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ "
                                         "CỦA CÁC SỞ, BAN, NGÀNH THÀNH PHỐ HỒ CHÍ MINH"],
                list(columns), columns, [["Người lập biểu"]], creator="Phần mềm khảo sát SIPAS")
    return path


def _write_districts(path: pathlib.Path, units: list[dict], d: dict) -> pathlib.Path:
    """Vendor B: csv, 'TC1.1' headers, numeric answers, 'Không trả lời' for unanswered questions, the survey
    round as 'Năm 2022', units written as 'UBND Quận 1' (matched through the aliases)."""
    names = np.array(["UBND " + u["name"] for u in units], dtype=object)
    answers = np.where(d["scores"] == 0, "Không trả lời", NUMBERS[d["scores"]]).astype(object)
    ids = _sequence(d, "QH")
    header = (["Mã phiếu", "Đơn vị", "Kỳ khảo sát", "Lĩnh vực", "Hình thức thực hiện", "Giới tính"]
              + [f"TC{code}" for code, _ in CRITERIA] + [f"HL{e}" for e in range(1, 6)] + ["HL"]
              + [f"MD{k}" for k in range(1, len(EXPECTATIONS) + 1)])
    period = np.array([f"Năm {y}" for y in d["year"]], dtype=object)
    chosen = np.where(d["chosen"], "1", "0").astype(object)
    table = np.column_stack([ids, names[d["unit"]], period, d["field"], d["channel"], d["gender"], answers, chosen])
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(table.tolist())
    return path


def write_survey_pair(dept_path: pathlib.Path, departments: list[dict], other_path: pathlib.Path, others: list[dict],
                      seed: int, years=YEARS, size_range=(150, 420)) -> list[pathlib.Path]:
    """Departments to an xlsx (vendor A), the other units to a csv (vendor B, units written 'UBND <name>')."""
    return [
        _write_departments(dept_path, departments,
                           _simulate(departments, np.random.default_rng([seed, 61]), years, size_range)),
        _write_districts(other_path, others, _simulate(others, np.random.default_rng([seed, 62]), years, size_range)),
    ]


def write_surveys(out_dir: pathlib.Path, units: list[dict], seed: int = 2022) -> list[pathlib.Path]:
    """Departments to an xlsx, Thủ Đức city and the districts to a csv; each about 150–420 questionnaires a year
    (three units fewer than 30). Deterministic for a seed."""
    current = [u for u in units if not u["valid_to"]]
    departments = [u for u in current if u["level"] == "department"]
    districts = [u for u in current if u["level"] == "district"]
    out_dir = pathlib.Path(out_dir)
    return write_survey_pair(out_dir / "khao_sat_sipas_so_nganh_2021_2022.xlsx", departments,
                             out_dir / "khao_sat_sipas_quan_huyen_2021_2022.csv", districts, seed)


def generate_surveys(out_dir: pathlib.Path, seed: int = 2022, progress=print) -> list[pathlib.Path]:
    """The survey exports of the sample (the same at both scales), to import after the units."""
    from .units import build_units
    progress("Đang sinh phiếu khảo sát SIPAS 2021–2022 (sở, ngành và quận, huyện)…")
    pathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)
    return write_surveys(out_dir, build_units(), seed)
