"""Hand-built PAR INDEX files for the PAR tests: a unit list, frameworks, a council's workbook in three layouts,
a long score file, survey points, SIPAS results and a few dossiers. Every expected figure is counted by hand in
tests/test_par_golden.py from the values written here."""
from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl

from etl import importer

UNITS = """code,name,level,parent_code,aliases
HCM,Thành phố Hồ Chí Minh,province,,
STP,Sở Tư pháp,department,HCM,
SXD,Sở Xây dựng,department,HCM,
SYT,Sở Y tế,department,HCM,
Q1,Quận 1,district,HCM,UBND Quận 1
Q3,Quận 3,district,HCM,UBND Quận 3
"""

# The departments' 2022 framework as published: title rows giving the year and the group, roman areas with
# numbering restarted in each area (II, 1 = 2.1), comma decimals, method words, a total line.
FRAMEWORK_2022_DEPARTMENTS = [
    # STT, name, max, method, indicator, rule
    ("I", "Công tác chỉ đạo, điều hành CCHC", 4, "", "", ""),
    ("1", "Kế hoạch CCHC", "2,5", "", "", ""),
    ("1.1", "Ban hành kế hoạch kịp thời", "0,5", "Tự đánh giá", "", ""),
    ("1.2", "Mức độ hoàn thành kế hoạch", 2, "Số liệu", "Tỷ lệ hoàn thành kế hoạch CCHC",
     "100 %: 2; ≥ 80 %: 1; < 80 %: 0"),
    ("2", "Báo cáo CCHC", "1,5", "Tự đánh giá", "", ""),
    ("II", "Cải cách thủ tục hành chính", 4, "", "", ""),
    ("1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, "Số liệu", "Tỷ lệ giải quyết đúng hạn, trước hạn",
     "≥ 99 %: 2; ≥ 95 %: 1; < 95 %: 0"),
    ("2", "Thực hiện cơ chế một cửa", 2, "Tự đánh giá", "", ""),
    ("III", "Tác động của CCHC", 2, "Điều tra xã hội học", "", ""),
    ("1", "Mức độ hài lòng của người dân", 2, "", "Chỉ số hài lòng SIPAS", ""),
]
# The districts' 2022 and the departments' 2021 frameworks: a plain CSV with English names, absolute codes.
FRAMEWORK_CSV = """year,peer_group,code,name,max_points,method,indicator,rule
2022,district,1,Công tác chỉ đạo,5,,,
2022,district,1.1,Kế hoạch CCHC,3,self,,
2022,district,1.2,Báo cáo CCHC,2,self,,
2022,district,2,Chính quyền số,5,,,
2022,district,2.1,Tỷ lệ hồ sơ trực tuyến,5,data,online_rate,max × tỷ lệ
2021,department,1,Công tác chỉ đạo,6,,,
2021,department,1.1,Kế hoạch CCHC,3,self,,
2021,department,1.2,Báo cáo CCHC,3,self,,
2021,department,2,Cải cách TTHC,4,,,
2021,department,2.1,Một cửa,4,self,,
"""

# The council's 2022 workbook: (code as in the STT column, {unit: (Tự đánh giá, Thẩm định)}). Subtotal lines
# (areas, criterion 1) carry sums that must not be counted again; "Không áp dụng" and "-" mark a criterion that
# does not apply; a blank "Thẩm định" cell is one the council has not appraised; "1,5" is typed as text.
UNITS_2022 = ["Sở Tư pháp", "Sở Xây dựng", "Sở Y tế", "Sở Lạ"]
WORKBOOK_2022 = [
    ("I", {"Sở Tư pháp": ("3,5", 3), "Sở Xây dựng": ("2,5", "2,5"), "Sở Y tế": (4, "2,5"), "Sở Lạ": (4, "3,5")}),
    ("1", {"Sở Tư pháp": (2, "1,5"), "Sở Xây dựng": (1, "1,5"), "Sở Y tế": ("2,5", "0,5"), "Sở Lạ": ("2,5", "2,5")}),
    ("1.1", {"Sở Tư pháp": ("0,5", "0,5"), "Sở Xây dựng": ("0,5", "0,5"), "Sở Y tế": ("0,5", "0,5"),
             "Sở Lạ": ("0,5", "0,5")}),
    ("1.2", {"Sở Tư pháp": ("1,5", 1), "Sở Xây dựng": ("0,5", 1), "Sở Y tế": (2, None), "Sở Lạ": (2, 2)}),
    ("2", {"Sở Tư pháp": ("1,5", "1,5"), "Sở Xây dựng": ("1,5", 1), "Sở Y tế": ("1,5", "1,5"), "Sở Lạ": (1, 1)}),
    ("II", {"Sở Tư pháp": (4, 2), "Sở Xây dựng": (2, 2), "Sở Y tế": ("3,5", 2), "Sở Lạ": (4, 4)}),
    ("1", {"Sở Tư pháp": (2, 1), "Sở Xây dựng": ("Không áp dụng", "-"), "Sở Y tế": (2, 2), "Sở Lạ": (2, 2)}),
    ("2", {"Sở Tư pháp": (2, 1), "Sở Xây dựng": (2, 2), "Sở Y tế": ("1,5", None), "Sở Lạ": (2, 2)}),
    ("III", {}),
    ("1", {}),
]

LONG_2022_DISTRICTS = """Năm;Đơn vị;Mã tiêu chí;Điểm tự đánh giá;Điểm thẩm định;Ghi chú;Tài liệu kiểm chứng
2022;UBND Quận 1;Tiêu chí 1.1;3;2,5;Thiếu báo cáo quý II;KH 12/KH-UBND
2022;UBND Quận 1;1.2;2;2;;
2022;UBND Quận 1;2.1;5;;;
2022;Quận 3;1.1;3;3;;
2022;Quận 3;1.2;N/A;N/A;;
2022;Quận 3;2.1;2;2;;
"""
LONG_2021_DEPARTMENTS = """year,unit,code,self_score,appraised_score,note,evidence
2021,Sở Tư pháp,1.1,3,3,,
2021,Sở Tư pháp,1.2,3,2,,
2021,Sở Tư pháp,2.1,4,4,,
2021,Sở Y tế,1.1,3,2,,
2021,Sở Y tế,1.2,2,2,,
2021,Sở Y tế,2.1,4,2,,
"""
SURVEY_POINTS = "Năm,Đơn vị,Điểm điều tra XHH\n2022,Sở Xây dựng,\"1,5\"\n"
# SIPAS 2022 of Sở Tư pháp as published results: every element 80 % → SIPAS 80 %.
SIPAS = "Đơn vị,Năm,Yếu tố,Tỷ lệ hài lòng (%),Số phiếu hợp lệ\n" + "".join(
    f"Sở Tư pháp,2022,{e},80,100\n" for e in range(1, 6))


def _dossiers() -> str:
    """2022 dossiers: Sở Tư pháp 10 resolved, 9 on time (90 %); Sở Y tế 4 resolved, all on time (100 %);
    Quận 1 4 received, 1 online (25 %); Quận 3 2 received, both online (100 %)."""
    lines = ["Mã hồ sơ,Đơn vị,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái"]
    for i in range(10):   # STP-09 finished after its due date: late
        finished = "20/03/2022" if i == 9 else "08/03/2022"
        lines.append(f"STP-{i:02d},Sở Tư pháp,Trực tiếp,01/03/2022,10/03/2022,{finished},Đã trả kết quả")
    for i in range(4):
        lines.append(f"SYT-{i:02d},Sở Y tế,Trực tiếp,01/04/2022,10/04/2022,05/04/2022,Đã trả kết quả")
    for i in range(4):
        channel = "Trực tuyến" if i == 0 else "Trực tiếp"
        lines.append(f"Q1-{i:02d},Quận 1,{channel},01/05/2022,10/05/2022,05/05/2022,Đã trả kết quả")
    for i in range(2):
        lines.append(f"Q3-{i:02d},Quận 3,Trực tuyến,01/05/2022,10/05/2022,05/05/2022,Đã trả kết quả")
    return "\n".join(lines) + "\n"


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _workbook(sheet: str, *titles: str):
    """A workbook whose sheet starts with title lines and a blank line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for line in (*titles, None):
        ws.append([line])
    return wb, ws


def write_framework_2022(path: Path, rows=FRAMEWORK_2022_DEPARTMENTS) -> Path:
    wb, ws = _workbook("Bo tieu chi", "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH NĂM 2022",
                       "(Kèm theo Quyết định số 15/QĐ-UBND ngày 10/01/2022)")
    ws.append(["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Phương pháp", "Chỉ tiêu dữ liệu",
               "Cách tính điểm"])
    for row in rows:
        ws.append(list(row))
    ws.append([None, "TỔNG ĐIỂM", 10])
    wb.save(path)
    return path


def write_council_workbook(path: Path) -> Path:
    """Criteria down, units across: 'Tự đánh giá' / 'Thẩm định' under each merged unit name; title rows; a total
    line and a rank line under the table (both skipped)."""
    wb, ws = _workbook("Tổng hợp", "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC",
                       "KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2022 CỦA CÁC SỞ, BAN, NGÀNH")
    ws.append(["STT", "Lĩnh vực, tiêu chí", "Điểm tối đa"] + [x for u in UNITS_2022 for x in (u, None)])
    ws.append([None, None, None] + ["Tự đánh giá", "Thẩm định"] * len(UNITS_2022))
    for j in range(len(UNITS_2022)):
        ws.merge_cells(start_row=4, start_column=4 + 2 * j, end_row=4, end_column=5 + 2 * j)
    for j in (1, 2, 3):
        ws.merge_cells(start_row=4, start_column=j, end_row=5, end_column=j)
    for (code, cells), (_, name, top, *_) in zip(WORKBOOK_2022, FRAMEWORK_2022_DEPARTMENTS):
        ws.append([code, name, top] + [x for u in UNITS_2022 for x in cells.get(u, (None, None))])
    ws.append(["Tổng cộng", None, 10])
    ws.append([None, "Xếp hạng", None, 3, 3, 2, 2, 1, 1])
    wb.save(path)
    return path


def write_across_workbook(path: Path) -> Path:
    """An unseen layout: units down, criteria across — area labels merged over their criteria ("I", "II"),
    criteria numbered as in the decision with their maxima ("1.1 (0,5 điểm)"), "TĐG" / "Thẩm định" under each;
    the unit column's name merged down over the header rows, a line of maxima under the header, total, rank and
    notes columns, a total line."""
    wb, ws = _workbook("Sở ngành", "KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2022 – KHỐI SỞ, BAN, NGÀNH")
    leaves = [(3, "1.1"), (4, "1.2"), (5, "2"), (7, "1"), (8, "2")]   # rows of WORKBOOK_2022 for the leaves
    areas = {3: "I", 7: "II"}
    top = ["STT", "Đơn vị"]
    criteria = ["", ""]
    parts = ["", ""]
    for row, label in leaves:
        top += [areas.get(row), None]
        criteria += [f"{label} ({FRAMEWORK_2022_DEPARTMENTS[row - 1][2]} điểm)", None]
        parts += ["TĐG", "Thẩm định"]
    top += ["Tổng điểm", "Xếp hạng", "Ghi chú"]
    ws.append(top)
    ws.append(criteria)
    ws.append(parts)
    ws.merge_cells(start_row=3, start_column=3, end_row=3, end_column=8)
    ws.merge_cells(start_row=3, start_column=9, end_row=3, end_column=12)
    for j in range(len(leaves)):
        ws.merge_cells(start_row=4, start_column=3 + 2 * j, end_row=4, end_column=4 + 2 * j)
    ws.append(["", "Điểm tối đa"] + [x for row, _ in leaves for x in (FRAMEWORK_2022_DEPARTMENTS[row - 1][2], None)])
    for i, unit in enumerate(UNITS_2022, start=1):
        cells = [x for row, _ in leaves for x in WORKBOOK_2022[row - 1][1][unit]]
        ws.append([i, unit] + cells + [None, None, "Đã rà soát" if i == 1 else None])
    ws.append(["", "Tổng cộng"])
    wb.save(path)
    return path


def write_note_columns_workbook(path: Path) -> Path:
    """Another unseen layout: criteria down with the code inside the name ("1.1. Ban hành…"), no STT column, areas
    as merged lines ("I. CÔNG TÁC …" across the row, no scores), the 'Điểm tối đa' column after the units and a
    'Ghi chú' column last; one column per unit holding the council's result only, as the title says."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2022 CÁC SỞ, BAN, NGÀNH"])
    ws.append(["Lĩnh vực, tiêu chí"] + UNITS_2022 + ["Điểm tối đa", "Ghi chú"])
    for (code, cells), (_, name, top, *_) in zip(WORKBOOK_2022, FRAMEWORK_2022_DEPARTMENTS):
        if code in ("I", "II", "III"):
            ws.append([f"{code}. {name.upper()}"])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
            continue
        ws.append([f"{code}. {name}"] + [cells.get(u, (None, None))[1] for u in UNITS_2022] + [top, None])
    wb.save(path)
    return path


def load(db: Path, paths, **options) -> tuple[list[dict], list[str]]:
    return importer.import_paths(db, [str(p) for p in paths], **options)


def golden_db(tmp_path: Path, council=write_council_workbook, **options) -> tuple[Path, list[dict]]:
    """Units, dossiers, SIPAS, both frameworks, the council's 2022 workbook (in the layout given), the districts'
    long file, the 2021 long file and survey points — loaded through etl import (options: import_paths's)."""
    files = [write_text(tmp_path / "don_vi.csv", UNITS), write_text(tmp_path / "ho_so.csv", _dossiers()),
             write_text(tmp_path / "sipas.csv", SIPAS), write_framework_2022(tmp_path / "bo_tieu_chi_2022.xlsx"),
             write_text(tmp_path / "bo_tieu_chi.csv", FRAMEWORK_CSV), council(tmp_path / "tham_dinh_2022.xlsx"),
             write_text(tmp_path / "quan_huyen_2022.csv", LONG_2022_DISTRICTS, "utf-8-sig"),
             write_text(tmp_path / "so_nganh_2021.csv", LONG_2021_DEPARTMENTS),
             write_text(tmp_path / "dieu_tra.csv", SURVEY_POINTS)]
    db = tmp_path / "cchc.duckdb"
    results, errors = load(db, files, **options)
    assert errors == [], errors
    return db, results


def stored_scores(db: Path, year: int = 2022, group: str = "department") -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""SELECT unit_text, code, self_score, appraised_score, not_applicable FROM par_scores
                              WHERE year = ? AND peer_group = ? ORDER BY unit_text, code""", [year, group]).fetchall()
    finally:
        con.close()
