"""The two 766 files through `etl import`: the inputs (criterion counts and the paper-result list) and the portal's
published scores — real CSV and xlsx files, Vietnamese headers, every line loaded, skipped or rejected with its
reason, and the figures they feed."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from indicators import Period
from indicators.index766 import compute_index766
from tests.builders import FIXTURES, FULL_UNITS, MARCH, ROOT
from tests.files import write_csv, write_xlsx

Q1 = Period(date(2022, 1, 1), date(2022, 3, 31))


def _import(db, *paths, kind=None):
    args = [sys.executable, "-m", "etl", "import", *map(str, paths), "--db", str(db), "--json"]
    if kind:
        args += ["--kind", kind]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return proc, (json.loads(proc.stdout)["files"] if proc.stdout.strip() else [])


@pytest.fixture()
def db(tmp_path):
    """Units of the golden set (tests/builders.py) loaded through etl import."""
    units = write_csv(tmp_path / "units.csv", [["code", "name", "level", "parent_code", "valid_to"]]
                      + [[c, n, lvl, p or "", v or ""] for c, n, lvl, p, v in FULL_UNITS])
    db = tmp_path / "cchc.duckdb"
    proc, _ = _import(db, units)
    assert proc.returncode == 0, proc.stderr
    return db


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# An inputs file as a one-stop system exports it: title rows naming the quarter, Vietnamese headers, semicolons
# and a BOM, an STT column, a totals line and a signature. Lines (file line numbers):
#   5 SO_A 1.1 9/10 ✓            6 SO_A by name "TTHC cập nhật, công khai đúng hạn" 3/4 ✓
#   7 SO_A 5.2 0/0 ✓ (no petition) 8 "9.9": unknown criterion ✗     9 1.3 5/4: numerator over denominator ✗
#  10 SO_A 1.1 again ✗ duplicate  11 H1 6.6.1 "=SUM(D5:D9)" ✗        12 "Phường Không Có" 6.5 1/2 ✓ (unmatched)
#  13 blank (skipped)                14 "Tổng cộng" (skipped)      15 X1 6.3 -1/2 ✗ negative
#  16 signature line (skipped)
INPUTS = [["ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"], ["SỐ LIỆU TÍNH CHỈ SỐ 766 - QUÝ I/2022"], [],
          ["STT", "Tên đơn vị", "Mã tiêu chí", "Tử số", "Mẫu số"],
          [1, "Sở Tư pháp", "1.1", 9, 10], [2, "Sở Tư pháp", "TTHC cập nhật, công khai đúng hạn", 3, 4],
          [3, "Sở Tư pháp", "5.2", 0, 0], [4, "Sở Tư pháp", "9.9", 1, 2], [5, "Sở Xây dựng", "1.3", 5, 4],
          [6, "Sở Tư pháp", "1.1", 8, 10], [7, "UBND Huyện Hòa Vang", "6.6.1", "=SUM(D5:D9)", 3],
          [8, "Phường Không Có", "6.5", 1, 2], [], ["Tổng cộng", "", "", 26, 35],
          [9, "UBND Xã Hòa Bắc", "6.3", -1, 2], ["Người lập biểu"]]


def test_inputs_file_loads_every_good_line_and_says_why_the_others_are_not(db, tmp_path):
    path = write_csv(tmp_path / "dau_vao_766.csv", INPUTS, delimiter=";", bom=True)
    proc, files = _import(db, path)
    assert proc.returncode == 0, proc.stderr
    f = files[0]
    assert (f["kind"], f["layout"]) == ("index766_inputs", "criterion_counts")
    assert (f["rows_loaded"], f["rows_rejected"], f["rows_skipped"]) == (4, 5, 3)
    reasons = {r["row"]: r["reason"] for r in f["rejects"]}
    assert reasons == {
        8: "Dòng 8: tiêu chí «9.9» không nhận ra: ghi mã (1.1, 1.2, 1.3, 4.3, 5.2, 5.3, 6.3, 6.5, 6.6.1, 6.6.2) hoặc "
           "tên tiêu chí.",
        9: "Dòng 9: tử số («5») lớn hơn mẫu số («4»).",
        10: "Dòng 10: đơn vị, kỳ và tiêu chí trùng với một dòng trước trong cùng tệp.",
        11: "Dòng 11: tử số «=SUM(D5:D9)» không phải số nguyên không âm.",
        15: "Dòng 15: tử số «-1» không phải số nguyên không âm."}
    assert f["unmatched_units"] == ["Phường Không Có"]
    stored = _rows(db, "SELECT unit_code, field, numerator, denominator, period_from, period_to FROM index766_inputs "
                       "ORDER BY row_number")
    assert stored == [("SO_A", "published_on_time", 9, 10, date(2022, 1, 1), date(2022, 3, 31)),
                      ("SO_A", "updated_on_time", 3, 4, date(2022, 1, 1), date(2022, 3, 31)),
                      ("SO_A", "petitions_on_time", 0, 0, date(2022, 1, 1), date(2022, 3, 31)),
                      (None, "personal_data_store", 1, 2, date(2022, 1, 1), date(2022, 3, 31))]
    assert _rows(db, "SELECT count(*) FROM rejected_rows")[0][0] == 5
    # the same file again: nothing new, nothing listed twice
    proc, files = _import(db, path)
    assert (files[0]["rows_loaded"], files[0]["rows_unchanged"]) == (0, 4)
    assert _rows(db, "SELECT count(*) FROM rejected_rows")[0][0] == 5


def test_period_column_from_to_columns_and_bad_periods(db, tmp_path):
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Tử số", "Mẫu số"],
            ["Sở Tư pháp", "Tháng 3/2022", "1.1", 9, 10],         # March
            ["Sở Tư pháp", "2022-Q1", "1.2", 1, 2],               # the quarter
            ["Sở Xây dựng", "Tuần 10/2022", "1.2", 1, 1],         # 7–13 March
            ["Sở Xây dựng", "Tháng 13/2022", "1.1", 1, 1],        # ✗
            ["Sở Xây dựng", None, "1.3", 1, 1]]                   # ✗ no period, and none in a title
    proc, files = _import(db, write_xlsx(tmp_path / "ky.xlsx", rows))
    assert proc.returncode == 0, proc.stderr
    assert files[0]["rows_loaded"] == 3
    assert [r["reason"] for r in files[0]["rejects"]] == [
        "Trang «Sheet», dòng 5: kỳ «Tháng 13/2022» không đọc được (ghi «Tháng 6/2022», «Quý II/2022», «2022-Q2», "
        "«Tuần 23/2022», «Năm 2022» hoặc «01/04/2022 - 30/06/2022»).",
        "Trang «Sheet», dòng 6: thiếu kỳ số liệu: thêm cột «Kỳ» («Tháng 6/2022», «Quý II/2022», «2022-Q2», "
        "«Tuần 23/2022», «Năm 2022» hoặc «01/04/2022 - 30/06/2022») hoặc hai cột «Từ ngày», «Đến ngày», hoặc ghi kỳ "
        "ở dòng tiêu đề của tệp."]
    assert _rows(db, "SELECT unit_code, period_from, period_to FROM index766_inputs ORDER BY row_number") == [
        ("SO_A", date(2022, 3, 1), date(2022, 3, 31)), ("SO_A", date(2022, 1, 1), date(2022, 3, 31)),
        ("SO_B", date(2022, 3, 7), date(2022, 3, 13))]
    ranged = [["Đơn vị", "Từ ngày", "Đến ngày", "Tiêu chí", "Tử số", "Mẫu số"],
              ["UBND Huyện Hòa Vang", "01/03/2022", "31/03/2022", "Chứng thực bản sao điện tử", 7, 10]]
    proc, files = _import(db, write_csv(tmp_path / "khoang.csv", ranged))
    assert files[0]["rows_loaded"] == 1
    assert _rows(db, "SELECT period_from, period_to, field FROM index766_inputs WHERE unit_code = 'H1'") == [
        (date(2022, 3, 1), date(2022, 3, 31), "certified_copies")]


def test_a_file_without_a_column_it_needs_loads_nothing(db, tmp_path):
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Tử số"], ["Sở Tư pháp", "Tháng 3/2022", "1.1", 9]]
    proc, _ = _import(db, write_csv(tmp_path / "thieu.csv", rows), kind="index766_inputs")
    assert proc.returncode == 2
    assert "thiếu cột «Mẫu số» (tiêu đề được nhận: Mẫu số, Tổng số" in proc.stderr
    assert _rows(db, "SELECT count(*) FROM index766_inputs")[0][0] == 0


def test_paper_result_list_changes_the_denominator_of_6_1(tmp_path):
    from tests.builders import build_full_db
    db = tmp_path / "g.duckdb"
    build_full_db(db).close()
    before = compute_index766(duckdb.connect(str(db), read_only=True), MARCH)["total"]["criteria"]["6.1"]
    assert (before["numerator"], before["denominator"]) == (5, 10)   # every resolved dossier, for now
    rows = [["Mã TTHC", "Tên TTHC", "Trả kết quả giấy"], ["TT1", "Đăng ký doanh nghiệp", "Có"],
            ["TT2", "Đăng ký khai sinh", "Không"], ["TT3", "Cấp giấy chứng nhận quyền sử dụng đất", "x"],
            ["TT4", "", "có lẽ"]]
    proc, files = _import(db, write_csv(tmp_path / "tthc_giay.csv", rows))
    assert proc.returncode == 0, proc.stderr
    assert (files[0]["kind"], files[0]["layout"], files[0]["rows_loaded"]) == ("index766_inputs",
                                                                               "paper_result_procedures", 3)
    assert files[0]["rejects"][0]["reason"] == ("Dòng 5: giá trị «có lẽ» ở cột «Trả kết quả giấy» không nhận ra "
                                                "(ghi Có hoặc Không).")
    after = compute_index766(duckdb.connect(str(db), read_only=True), MARCH)["total"]["criteria"]["6.1"]
    # paper procedures TT1 TT3: resolved G01 G02 G19 G04 G05 G11 G20, e-result G01 G19 G05 G11 → 4/7 → 6·4/7
    assert (after["numerator"], after["denominator"], after["status_text"]) == (4, 7, "")
    assert after["points"] == pytest.approx(24 / 7)


def test_published_scores_wide_and_long(db, tmp_path):
    # the portal's table for March: a two-row header (group names under "Điểm theo nhóm tiêu chí"), the period
    # in the title, rank and band columns not read
    wide = [["KẾT QUẢ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP THÁNG 3/2022"], [],
            ["STT", "Đơn vị", "Điểm theo nhóm tiêu chí", None, None, None, None, None, "Tổng điểm", "Xếp loại", "Xếp hạng"],
            [None, None, "Công khai, minh bạch (18 điểm)", "Tiến độ, kết quả giải quyết (20 điểm)",
             "Cung cấp dịch vụ trực tuyến (12 điểm)", "Thanh toán trực tuyến (10 điểm)", "Mức độ hài lòng (18 điểm)",
             "Số hóa hồ sơ (22 điểm)", None, None, None],
            [1, "Thành phố Đà Nẵng", 12.5, 14.3, 9.9, 6, 13.5, 8.8, 65, "Trung bình", 30],
            [2, "Sở Tư pháp", 13, 10, 11.7, 5.8, None, 4.3, "không rõ", "Trung bình", 1]]
    proc, files = _import(db, write_xlsx(tmp_path / "cong_bo_thang3.xlsx", wide))
    assert proc.returncode == 0, proc.stderr
    f = files[0]
    assert (f["kind"], f["layout"], f["rows_loaded"], f["rows_rejected"]) == ("index766_published", "wide", 1, 1)
    assert f["rejects"][0]["reason"] == "Trang «Sheet», dòng 6: điểm «không rõ» không phải số từ 0 đến 100."
    stored = dict(_rows(db, "SELECT item, points FROM index766_published WHERE unit_code = 'TP'"))
    assert stored == {"group:1": 12.5, "group:2": 14.3, "group:3": 9.9, "group:4": 6, "group:5": 13.5,
                      "group:6": 8.8, "total": 65}
    long = [["Đơn vị", "Kỳ", "Tiêu chí", "Điểm"], ["Sở Tư pháp", "Tuần 10/2022", "1.4", "5,5"],
            ["Sở Tư pháp", "Tuần 10/2022", "Tổng điểm", 80], ["Sở Tư pháp", "Tuần 10/2022", "Nhóm 9", 1]]
    proc, files = _import(db, write_csv(tmp_path / "cong_bo_tuan.csv", long))
    assert (files[0]["layout"], files[0]["rows_loaded"], files[0]["rows_rejected"]) == ("long", 2, 1)
    assert _rows(db, "SELECT period_from, period_to, item, points FROM index766_published WHERE unit_code = 'SO_A'"
                     " ORDER BY item") == [(date(2022, 3, 7), date(2022, 3, 13), "criterion:1.4", 5.5),
                                           (date(2022, 3, 7), date(2022, 3, 13), "total", 80)]


def test_other_files_keep_their_kind(db):
    # a dossier export names columns like criteria ("Kết quả điện tử", "Mức độ hài lòng"); a SIPAS survey has
    # "1.1" headers: neither is taken for a 766 file
    proc, files = _import(db, FIXTURES / "exports" / "01_q3_bao_cao_chi_tiet.xlsx",
                          FIXTURES / "surveys" / "06_ket_qua_tong_hop_2022.csv")
    assert proc.returncode == 0, proc.stderr
    assert [f["kind"] for f in files] == ["dossiers", "survey"]


def test_rows_loaded_before_their_unit_join_it_when_the_units_come(tmp_path):
    # the inputs file first, into a database without units: loaded, listed as unmatched; then the unit list
    db = tmp_path / "truoc.duckdb"
    rows = [["Đơn vị", "Kỳ", "Tiêu chí", "Tử số", "Mẫu số"], ["Sở Tư pháp", "Tháng 3/2022", "1.1", 9, 10]]
    proc, files = _import(db, write_csv(tmp_path / "truoc.csv", rows))
    assert files[0]["unmatched_units"] == ["Sở Tư pháp"]
    units = write_csv(tmp_path / "units.csv", [["code", "name", "level", "parent_code"], ["SO_A", "Sở Tư pháp",
                                                                                       "department", ""]])
    proc, _ = _import(db, units)
    assert proc.returncode == 0, proc.stderr
    assert _rows(db, "SELECT unit_code FROM index766_inputs") == [("SO_A",)]
    assert _rows(db, "SELECT count(*) FROM unmatched_units")[0][0] == 0
