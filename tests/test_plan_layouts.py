"""Plans laid out as agencies write them beyond the appendix of tests/builders.py: group rows that fill their own
lead unit and deadline ("1. Rà soát văn bản" over "1.1, 1.2"), sub-items "1.2.a", "a)", bullets "-", "+", roman
sections written "I." or "II -" or filling a lead unit, group rows merged across the table, a merged-down lead unit,
a "Ghi chú" column. Each workbook is written here with openpyxl; every expected figure is worked out by hand in the
comments (row numbers as Excel shows them: the title is row 1 and 2, the header row 3)."""
from datetime import date

import duckdb
import openpyxl
import pytest

from etl.importer import import_paths
from etl.summary import format_summary
from indicators.tasks import compute_tasks
from tests.builders import PLAN_UNITS, write_rows

TITLE = [("SỞ TƯ PHÁP",), ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ TƯ PHÁP",),
         ("STT", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
          "Ghi chú")]
TASK_COLUMNS = "row_number, ref, task, area, lead_text, deadline_text, deadline_date, deadline_kind"


@pytest.fixture()
def units(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(PLAN_UNITS, encoding="utf-8")
    return path


def _load(tmp_path, units, *files):
    db = tmp_path / "cchc.duckdb"
    results, errors = import_paths(db, [units, *files], swap=False)
    assert errors == []
    return db, results[1:]


def _tasks(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT {TASK_COLUMNS} FROM plan_tasks ORDER BY row_number").fetchall()
    finally:
        con.close()


def _at(db, day: str, **kw) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return compute_tasks(con, date.fromisoformat(day), **kw)
    finally:
        con.close()


def _counted(r: dict) -> tuple:
    return r["rows_loaded"], r["rows_rejected"], r["rows_skipped"]


# A group row and a section row that fill their own lead unit and deadline (the unit that coordinates the group).
GROUP_FILLED = TITLE + [
    ("I", "CẢI CÁCH THỂ CHẾ", None, "Sở Tư pháp", None, "Năm 2022"),            # 4 section (its lines below)
    (1, "Rà soát văn bản", None, "Phòng VB", None, "Quý II/2022"),               # 5 group of 1.1, 1.2
    ("1.1", "Rà soát nghị quyết", "Báo cáo", None, None, None),                   # 6 I.1.1 Phòng VB, 30/6 (group's)
    ("1.2", "Rà soát quyết định", "Báo cáo", "Phòng PB", None, "Tháng 6/2022"),  # 7 I.1.2 its own, 30/6
    (2, "Theo dõi thi hành", "Báo cáo", "Phòng TD", None, "Thường xuyên"),       # 8 I.2 recurring
    ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),                                       # 9 section
    (1, "Công bố thủ tục hành chính", "QĐ", "Văn phòng", None, "Trước 30/6/2022"),   # 10 II.1 30/6
]


def test_a_group_row_filling_its_lead_and_deadline_is_a_heading_not_a_task(tmp_path, units):
    plan = write_rows(tmp_path / "ke_hoach.xlsx", GROUP_FILLED, width=7)
    report = write_rows(tmp_path / "tien_do.xlsx", [
        ("BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",), ("(tính đến ngày 30/9/2022)",),
        ("Mã nhiệm vụ", "Tình trạng", "Ngày hoàn thành"),
        ("I.1.1", "Hoàn thành", "20/06/2022"),          # 20/6 ≤ 30/6 (the group's deadline): on time
        ("I.1.2", "Đang thực hiện", None),               # 30/6 passed at 30/9: overdue
        ("II.1", "Hoàn thành", "15/07/2022")])           # 15/7 > 30/6: late
    db, (r, _) = _load(tmp_path, units, plan, report)
    # 7 lines: 4 tasks, 3 skipped (2 sections, the group 1); before, the section row I and the group were 2 more
    # tasks, and I.1.1 … were numbered 1.1 … without their section
    assert r["plans"] == [{"year": 2022, "unit": "SỞ TƯ PHÁP", "unit_code": "STP", "tasks": 4, "targets": 0}]
    assert _counted(r) == (4, 0, 3)
    assert _tasks(db) == [
        (6, "I.1.1", "Rà soát nghị quyết", "Cải cách thể chế", "Phòng VB", "Quý II/2022", date(2022, 6, 30), "date"),
        (7, "I.1.2", "Rà soát quyết định", "Cải cách thể chế", "Phòng PB", "Tháng 6/2022", date(2022, 6, 30), "date"),
        (8, "I.2", "Theo dõi thi hành", "Cải cách thể chế", "Phòng TD", "Thường xuyên", None, "recurring"),
        (10, "II.1", "Công bố thủ tục hành chính", "Cải cách thủ tục hành chính", "Văn phòng", "Trước 30/6/2022",
         date(2022, 6, 30), "date")]
    summary = format_summary([r], [])
    assert "1 dòng nhóm có mục con bên dưới" in summary and "không tính là nhiệm vụ — các mục con là nhiệm vụ: " \
        "dòng 5." in summary
    assert "1 nhiệm vụ để trống cơ quan chủ trì hoặc thời hạn, lấy theo dòng nhóm hoặc dòng mục ở trên: dòng 6 " \
        "(cơ quan chủ trì, thời hạn)." in summary
    # at 30/9: 4 tasks = 1 on time + 1 late + 1 overdue + 1 recurring; done 2/4 = 50 %
    row = _at(db, "2022-09-30")["rows"][0]
    assert (row["tasks"], row["done"], row["done_on_time"], row["done_late"], row["under_way"], row["overdue"],
            row["recurring"]) == (4, 2, 1, 1, 0, 1, 1)
    assert row["done_rate"] == 0.5
    # by lead: I.1.1 counts for Phòng VB, the group's lead unit
    leads = {x["name"]: x["tasks"] for x in _at(db, "2022-09-30", by="lead")["rows"]}
    assert leads == {"Phòng VB": 1, "Phòng PB": 1, "Phòng TD": 1, "Văn phòng": 1}


def test_roman_numbered_rows_with_nothing_under_them_stay_tasks(tmp_path, units):
    plan = write_rows(tmp_path / "ke_hoach.xlsx", TITLE + [
        ("I", "Ban hành kế hoạch CCHC năm 2022", "Kế hoạch", "Văn phòng", None, "Quý I/2022"),   # 4 a task
        ("II", "Tuyên truyền cải cách hành chính", None, "Văn phòng", None, "Thường xuyên"),     # 5 a task
        (), ("Nơi nhận:",)], width=7)
    db, (r,) = _load(tmp_path, units, plan)
    assert _counted(r) == (2, 0, 2)            # the blank line and the signature block
    assert [t[2] for t in _tasks(db)] == ["Ban hành kế hoạch CCHC năm 2022", "Tuyên truyền cải cách hành chính"]


# Sub-items and bullets under numbered tasks; "I." and "II -" sections; a note in the Ghi chú column.
SUB_ITEMS = TITLE + [
    ("I.", "CẢI CÁCH THỂ CHẾ"),                                                      # 4 section
    (1, "Rà soát văn bản", None, "Phòng VB", None, "Quý II/2022"),                   # 5 group of 1.1, 1.2
    ("1.1", "Rà soát nghị quyết", "Báo cáo", "Phòng VB", None, "Quý II/2022"),       # 6 I.1.1 30/6
    ("1.2", "Rà soát quyết định", None, "Phòng VB", None, "Quý III/2022"),          # 7 group of 1.2.a, 1.2.b
    ("1.2.a", "Quyết định cá biệt", None, "Phòng VB", None, "Tháng 6/2022"),        # 8 I.1.2.a 30/6
    ("1.2.b", "Quyết định quy phạm", None, "Phòng VB", None, "Tháng 9/2022"),       # 9 I.1.2.b 30/9
    (2, "Tuyên truyền, gồm:", None, "Phòng PB", None, "Năm 2022"),                   # 10 I.2 31/12
    ("-", "Trên báo chí"),                                                            # 11 a point of row 10
    (None, "- Trên cổng thông tin điện tử"),                                          # 12 a point of row 10
    (None, "+ Tờ rơi"),                                                               # 13 a point of row 10
    (3, "Kiểm tra", None, "Phòng KT", None, "Tháng 10/2022"),                        # 14 group of a), b)
    ("a)", "Kiểm tra phòng A", None, None, None, "Tháng 8/2022"),                   # 15 I.3.a Phòng KT (group's)
    ("b)", "Kiểm tra phòng B", None, "Phòng KT", None, "Tháng 9/2022"),             # 16 I.3.b 30/9
    ("II -", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),                                        # 17 section
    (1, "Công bố thủ tục", "QĐ", "Văn phòng", None, "Năm 2022", "Theo Bộ"),         # 18 II.1 31/12
    (2, "Rà soát thủ tục", "QĐ", "Văn phòng", None, "Trong năm"),                   # 19 group of its 2 bullets
    ("-", "Rà soát thủ tục A", None, "Phòng A", None, "Tháng 3/2022"),              # 20 II.2.1 31/3
    ("-", "Rà soát thủ tục B", None, "Phòng B", None, "Tháng 4/2022"),              # 21 II.2.2 30/4
]


def test_sub_items_and_bullets_are_tasks_or_points_and_every_row_is_said(tmp_path, units):
    plan = write_rows(tmp_path / "ke_hoach.xlsx", SUB_ITEMS, width=7)
    # The report copies the plan's numbering: "3" over "a)", "b)" (a group), a point under b)
    report = write_rows(tmp_path / "tien_do.xlsx", [
        ("BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",), ("(tính đến ngày 30/9/2022)",),
        ("STT", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành"),
        ("I", "CẢI CÁCH THỂ CHẾ"),                                               # 4 section
        (1, "Rà soát văn bản"),                                                   # 5 group of 1.2
        ("1.2", "Rà soát quyết định"),                                            # 6 group of 1.2.a
        ("1.2.a", "Quyết định cá biệt", "Hoàn thành", "30/06/2022"),             # 7 I.1.2.a on time
        (3, "Kiểm tra"),                                                          # 8 group of a), b)
        ("a)", "Kiểm tra phòng A", "Hoàn thành", "31/08/2022"),                  # 9 I.3.a on time (31/8)
        ("b)", "Kiểm tra phòng B", "Đang thực hiện", None),                      # 10 I.3.b 30/9 ≥ 30/9: under way
        ("-", "Đã kiểm tra 2/3 nội dung"),                                        # 11 a point of row 10
        ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),                                   # 12 section
        (2, "Rà soát thủ tục"),                                                   # 13 group of its bullets
        ("-", "Rà soát thủ tục A", "Hoàn thành (trễ hạn)", "15/04/2022")])       # 14 II.2.1 late
    db, (r, p) = _load(tmp_path, units, plan, report)
    # 18 lines = 9 tasks + 9 skipped: 2 sections, 4 groups (rows 5, 7, 14, 19), 3 points (rows 11-13)
    assert r["plans"][0]["tasks"] == 9 and _counted(r) == (9, 0, 9)
    assert [(t[0], t[1], t[4], t[6]) for t in _tasks(db)] == [
        (6, "I.1.1", "Phòng VB", date(2022, 6, 30)), (8, "I.1.2.a", "Phòng VB", date(2022, 6, 30)),
        (9, "I.1.2.b", "Phòng VB", date(2022, 9, 30)), (10, "I.2", "Phòng PB", date(2022, 12, 31)),
        (15, "I.3.a", "Phòng KT", date(2022, 8, 31)), (16, "I.3.b", "Phòng KT", date(2022, 9, 30)),
        (18, "II.1", "Văn phòng", date(2022, 12, 31)), (20, "II.2.1", "Phòng A", date(2022, 3, 31)),
        (21, "II.2.2", "Phòng B", date(2022, 4, 30))]
    summary = format_summary([r], [])
    assert "4 dòng nhóm có mục con bên dưới" in summary and "các mục con là nhiệm vụ: dòng 5, 7, 14, 19." in summary
    assert ("3 dòng gạch đầu dòng («-», «+») không ghi cơ quan chủ trì hay thời hạn riêng, đọc là một ý của nhiệm vụ "
            "ở dòng trên, không tính là nhiệm vụ riêng: dòng 11 (thuộc dòng 10), 12 (thuộc dòng 10), 13 (thuộc dòng "
            "10).") in summary
    assert "dòng 15 (cơ quan chủ trì)" in summary
    # the report: 11 lines = 4 loaded + 7 skipped (2 sections, 4 groups, 1 point), every line matched a task
    assert _counted(p) == (4, 0, 7) and not p["warnings"]
    assert "dòng 11 (thuộc dòng 10)" in format_summary([p], []) and "không ghi tình trạng riêng" in \
        format_summary([p], [])
    # at 30/9: 9 tasks; done I.1.2.a, I.3.a on time, II.2.1 late; overdue: I.1.1 (30/6), II.2.2 (30/4); under way
    # I.1.2.b, I.3.b (30/9), I.2, II.1 (31/12)
    row = _at(db, "2022-09-30")["rows"][0]
    assert (row["tasks"], row["done"], row["done_on_time"], row["done_late"], row["under_way"], row["overdue"]) == \
        (9, 3, 2, 1, 4, 2)


def test_group_rows_merged_across_and_a_lead_unit_merged_down(tmp_path, units):
    path = write_rows(tmp_path / "ke_hoach.xlsx", TITLE + [
        ("I. CẢI CÁCH THỂ CHẾ",),                                                       # 4 section, merged A:G
        ("1. Rà soát văn bản quy phạm pháp luật",),                                    # 5 group, merged A:G
        ("1.1", "Rà soát nghị quyết", "Báo cáo", "Phòng VB", None, "Quý II/2022", "Đã giao"),  # 6 I.1.1
        ("1.2", "Rà soát quyết định", "Báo cáo", None, None, "Tháng 6/2022"),         # 7 I.1.2, D6:D7 merged
        ("2. Theo dõi thi hành pháp luật", None, None, "Phòng TD", None, "Năm 2022"),  # 8 group, merged A:C
        ("2.1", "Theo dõi lĩnh vực đất đai", "Báo cáo", None, None, "Thường xuyên"),   # 9 I.2.1 Phòng TD (group's)
        ("II - CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),                                         # 10 section, merged A:G
        (1, "Công bố thủ tục", "QĐ", "Văn phòng", None, "Trước 30/6/2022", "Ghi chú"),  # 11 II.1
    ], merge_rows=(4, 5, 10), width=7)
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("A8:C8")
    wb.active.merge_cells("D6:D7")
    wb.save(path)
    db, (r,) = _load(tmp_path, units, path)
    # before: rows 5 and 8 (the number and title in one cell) were rejected for a missing task text, and 2.1 had
    # no lead unit
    assert _counted(r) == (4, 0, 4) and r["rejects"] == []
    assert _tasks(db) == [
        (6, "I.1.1", "Rà soát nghị quyết", "Cải cách thể chế", "Phòng VB", "Quý II/2022", date(2022, 6, 30), "date"),
        (7, "I.1.2", "Rà soát quyết định", "Cải cách thể chế", "Phòng VB", "Tháng 6/2022", date(2022, 6, 30), "date"),
        (9, "I.2.1", "Theo dõi lĩnh vực đất đai", "Cải cách thể chế", "Phòng TD", "Thường xuyên", None, "recurring"),
        (11, "II.1", "Công bố thủ tục", "Cải cách thủ tục hành chính", "Văn phòng", "Trước 30/6/2022",
         date(2022, 6, 30), "date")]
    assert "dòng 5, 8." in format_summary([r], [])


def test_sections_headed_phan_or_muc(tmp_path, units):
    path = write_rows(tmp_path / "ke_hoach.xlsx", TITLE + [
        ("Phần I. CẢI CÁCH THỂ CHẾ",),                                         # 4 section, merged
        (1, "Rà soát văn bản", None, "Phòng VB", None, "Q2/2022"),             # 5 I.1 30/6
        ("Mục II: CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),                              # 6 section, merged
        (1, "Công bố thủ tục", None, "Văn phòng", None, "Tháng 6/2022")],      # 7 II.1 30/6
        merge_rows=(4, 6), width=7)
    db, (r,) = _load(tmp_path, units, path)
    # before: rows 4 and 6 rejected for a missing task text, both tasks numbered "1" without a section or area,
    # and "Q2/2022" an unreadable deadline
    assert _counted(r) == (2, 0, 2)
    assert [(t[0], t[1], t[3], t[6]) for t in _tasks(db)] == [
        (5, "I.1", "Cải cách thể chế", date(2022, 6, 30)),
        (7, "II.1", "Cải cách thủ tục hành chính", date(2022, 6, 30))]


# probe 19: «Thời gian thực hiện» over «Bắt đầu | Hoàn thành» (a provincial plan) read the start as the deadline
@pytest.mark.parametrize("group, end", [("Thời gian", "Hoàn thành"), ("Thời gian thực hiện", "Hoàn thành"),
                                        ("Thời gian thực hiện", "Kết thúc"), ("Tiến độ thực hiện", "Hoàn thành")])
def test_a_time_group_over_start_and_end_reads_the_end_as_the_deadline(tmp_path, units, group, end):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [("SỞ TƯ PHÁP",), ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ TƯ PHÁP",),
                ("STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", group, None,
                 "Sản phẩm"),                                                                                # 3
                (None, None, None, None, "Bắt đầu", end, None),                                              # 4
                ("I", "CẢI CÁCH THỂ CHẾ"),                                                                   # 5
                (1, "Rà soát văn bản", "Phòng A", "Phòng B", "Tháng 1/2022", "Quý II", "Báo cáo"),         # 6 30/6
                (2, "Theo dõi thi hành", "Phòng C", None, "Tháng 3/2022", "Tháng 9/2022", "Báo cáo")]:     # 7 30/9
        ws.append(list(row))
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4"):
        ws.merge_cells(cells)
    path = tmp_path / "ke_hoach.xlsx"
    wb.save(path)
    db, (r,) = _load(tmp_path, units, path)
    # before: the single top row won the tie (6 fields either way), so "Thời gian" — the start column — was the
    # deadline (31/1, 31/3) and row 4, its cells merged down from the header, a task «Nội dung nhiệm vụ» with the
    # deadline «Bắt đầu». A group label over columns that split a field ("Cơ quan thực hiện" over "Chủ trì | Phối
    # hợp") already won, mapping one field more.
    assert _counted(r) == (2, 0, 1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT ref, lead_text, supporting_units, deadline_text, deadline_date FROM plan_tasks "
                           "ORDER BY row_number").fetchall() == [
            ("I.1", "Phòng A", "Phòng B", "Quý II", date(2022, 6, 30)),
            ("I.2", "Phòng C", None, "Tháng 9/2022", date(2022, 9, 30))]
    finally:
        con.close()
