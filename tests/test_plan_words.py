"""Plans as units type them, word by word: every deadline form and status word the loader reads, the title rows
naming the unit and the year, the reform areas of section rows — each expected value written by hand."""
from datetime import date

import pytest

from etl.plans.deadlines import DATE, RECURRING, UNREADABLE, parse_deadline
from etl.plans.titles import issuing_unit, plan_year, report_date
from etl.plans.vocab import area_name, status_of
from indicators.tasks import progress_sentence
from tests.builders import empty_db

D = date
# (as written, plan year, kind, date it means) — the readings README "Kế hoạch CCHC" lists.
DEADLINES = [
    ("30/6/2022", 2022, DATE, D(2022, 6, 30)),
    ("30-06-2022", 2022, DATE, D(2022, 6, 30)),
    ("30.06.2022", 2022, DATE, D(2022, 6, 30)),
    ("2022-06-30 00:00:00", 2022, DATE, D(2022, 6, 30)),          # an Excel date cell as the reader gives it
    ("44742", 2022, DATE, D(2022, 6, 30)),                        # an Excel serial number
    ("Tháng 6/2022", 2022, DATE, D(2022, 6, 30)),
    ("Tháng 06/2022", 2022, DATE, D(2022, 6, 30)),
    ("T6/2022", 2022, DATE, D(2022, 6, 30)),
    ("Tháng 6 năm 2022", 2022, DATE, D(2022, 6, 30)),
    ("Tháng 6", 2022, DATE, D(2022, 6, 30)),                      # the plan's year
    ("Tháng 2", 2024, DATE, D(2024, 2, 29)),                      # a leap year's February
    ("Quý II", 2022, DATE, D(2022, 6, 30)),
    ("Quý 2", 2022, DATE, D(2022, 6, 30)),
    ("Quý III/2022", 2022, DATE, D(2022, 9, 30)),
    ("Quý IV năm 2022", 2022, DATE, D(2022, 12, 31)),
    ("Quý III - IV", 2022, DATE, D(2022, 12, 31)),                # several periods: the end of the last
    ("Quý IV/2022 - Quý I/2023", 2022, DATE, D(2023, 3, 31)),
    ("Tháng 10-12", 2022, DATE, D(2022, 12, 31)),
    ("Tháng 10 - 12/2022", 2022, DATE, D(2022, 12, 31)),
    ("6 tháng đầu năm", 2022, DATE, D(2022, 6, 30)),
    ("6 tháng cuối năm", 2022, DATE, D(2022, 12, 31)),
    ("9 tháng đầu năm 2022", 2022, DATE, D(2022, 9, 30)),
    ("Trong năm 2022", 2022, DATE, D(2022, 12, 31)),
    ("Q2/2022", 2022, DATE, D(2022, 6, 30)),                     # "Q" before a quarter's digit
    ("Q.3", 2022, DATE, D(2022, 9, 30)),
    ("Năm 2022", 2022, DATE, D(2022, 12, 31)),
    ("Trong năm", 2022, DATE, D(2022, 12, 31)),
    ("Cuối năm 2022", 2022, DATE, D(2022, 12, 31)),
    ("Giai đoạn 2021-2025", 2022, DATE, D(2025, 12, 31)),
    ("Trước 30/6/2022", 2022, DATE, D(2022, 6, 30)),
    ("Trước ngày 30/6", 2022, DATE, D(2022, 6, 30)),
    ("Chậm nhất ngày 15/11", 2022, DATE, D(2022, 11, 15)),
    ("Trước ngày 15 tháng 11 năm 2022", 2022, DATE, D(2022, 11, 15)),
    ("Tháng 9 (báo cáo 6 tháng)", 2022, DATE, D(2022, 9, 30)),   # a note in brackets is not read
    ("Thường xuyên", 2022, RECURRING, None),
    ("Thường xuyên, liên tục", 2022, RECURRING, None),
    ("Hằng năm", 2022, RECURRING, None),
    ("Hàng năm", 2022, RECURRING, None),
    ("Định kỳ hằng quý", 2022, RECURRING, None),
    ("Năm 2022 và các năm tiếp theo", 2022, RECURRING, None),    # open-ended: never overdue
    ("Theo chỉ đạo của Trung ương", 2022, UNREADABLE, None),
    ("Khi có hướng dẫn", 2022, UNREADABLE, None),
    ("31/02/2022", 2022, UNREADABLE, None),                       # no such day
    ("Tháng 13/2022", 2022, UNREADABLE, None),
    ("", 2022, UNREADABLE, None),
    (None, 2022, UNREADABLE, None),
]


@pytest.mark.parametrize("text, year, kind, expected", DEADLINES)
def test_every_deadline_form(text, year, kind, expected):
    found = parse_deadline(text, year)
    assert (found.kind, found.date) == (kind, expected)


STATUS_WORDS = [
    ("Hoàn thành", "done"), ("Đã hoàn thành", "done"), ("HOÀN THÀNH", "done"), ("hoan thanh", "done"),
    ("Hoàn thành (trễ hạn)", "done_late"), ("Hoàn thành trễ hạn", "done_late"),
    ("Đã hoàn thành (trễ hạn)", "done_late"),
    ("Đang thực hiện", "in_progress"), ("Đang triển khai", "in_progress"), ("Chưa hoàn thành", "in_progress"),
    ("Chưa thực hiện", "not_started"), ("Chưa triển khai", "not_started"),
    ("Hoàn thành. Đã ban hành Quyết định 12/QĐ-STP", "done"),     # the words lead, the evidence follows
    ("Đạt", "done"), ("Chưa đạt", "in_progress"),                 # a chỉ tiêu's words
    ("Hoàn thành 80 %", None),                                    # a share of the work, not the task done
    ("Tốt", None), ("", None), (None, None),
]


@pytest.mark.parametrize("text, status", STATUS_WORDS)
def test_every_status_word(text, status):
    assert status_of(text) == status


def test_section_titles_name_the_reform_areas():
    assert area_name("CẢI CÁCH THỂ CHẾ") == "Cải cách thể chế"
    assert area_name("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH") == "Công tác chỉ đạo điều hành"
    assert area_name("Cải cách TTHC") == "Cải cách thủ tục hành chính"
    assert area_name("XÂY DỰNG CHÍNH QUYỀN SỐ") == "Chính quyền điện tử, chính quyền số"
    assert area_name("HIỆN ĐẠI HÓA HÀNH CHÍNH") == "Chính quyền điện tử, chính quyền số"
    assert area_name("NHIỆM VỤ KHÁC") == "Nhiệm vụ khác"                  # no area: kept, not shouted


@pytest.fixture()
def units_con(tmp_path):
    """A database with three units and the loader's unit macros (the connection etl/core/database.py opens)."""
    from etl.core.database import connect
    empty_db(tmp_path / "u.duckdb").close()
    con = connect(tmp_path / "u.duckdb")
    con.execute("""INSERT INTO units VALUES
        ('HCM', 'Ủy ban nhân dân Thành phố Hồ Chí Minh', 'province', NULL, ['UBND TP.HCM'], NULL, NULL, NULL),
        ('STP', 'Sở Tư pháp', 'department', 'HCM', [], NULL, NULL, NULL),
        ('Q3', 'Quận 3', 'district', 'HCM', ['UBND Quận 3'], NULL, NULL, NULL)""")
    con.execute("""INSERT INTO unit_keys SELECT DISTINCT norm_key(k), unit_code FROM (
        SELECT unit_code AS k, unit_code FROM units UNION ALL SELECT unit_name, unit_code FROM units
        UNION ALL SELECT unnest(aliases), unit_code FROM units)""")
    yield con
    con.close()


def test_title_rows_name_the_unit_and_the_year(units_con):
    of_title = [["UBND THÀNH PHỐ HỒ CHÍ MINH", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                ["SỞ TƯ PHÁP", None, "Độc lập - Tự do - Hạnh phúc"],
                ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ TƯ PHÁP"],
                ["(Kèm theo Kế hoạch số 10/KH-STP ngày 28 tháng 12 năm 2021)"]]
    assert issuing_unit(units_con, of_title) == ("SỞ TƯ PHÁP", "STP")
    assert plan_year(of_title) == 2022          # not 2021, the date the plan was signed
    # No "của": the issuing body above the title, in two lines ("ỦY BAN NHÂN DÂN" over "QUẬN 3").
    body = [["ỦY BAN NHÂN DÂN", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["QUẬN 3"], ["Số: 12/KH-UBND"],
            ["KẾ HOẠCH"], ["Cải cách hành chính năm 2022"]]
    assert issuing_unit(units_con, body) == ("QUẬN 3", "Q3")
    city = [["ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["KẾ HOẠCH CCHC 2022"]]
    assert issuing_unit(units_con, city) == ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "HCM")
    assert plan_year(city) == 2022
    # A name matching no unit is kept as written (and listed by the loader as unmatched).
    assert issuing_unit(units_con, [["KẾ HOẠCH CCHC NĂM 2022 CỦA TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"]]) == \
        ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", None)
    assert issuing_unit(units_con, [["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"]]) is None


def test_a_report_says_the_date_it_speaks_of():
    assert report_date([["BÁO CÁO TIẾN ĐỘ"], ["(tính đến ngày 08/8/2022)"]]) == D(2022, 8, 8)
    assert report_date([["Quận 3, ngày 30 tháng 9 năm 2022"], ["BÁO CÁO TIẾN ĐỘ"]]) == D(2022, 9, 30)
    # The plan's own date, cited in the title, is not the report's.
    assert report_date([["BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH SỐ 10/KH-STP NGÀY 28/12/2021"]]) is None


@pytest.mark.parametrize("row, sentence", [
    (dict(tasks=47, done=10, overdue=0, targets=0, targets_done=0),
     "đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện"),
    (dict(tasks=64, done=61, overdue=2, targets=10, targets_done=10),
     "đã hoàn thành 10/10 chỉ tiêu và 61/64 nhiệm vụ, 3 nhiệm vụ đang thực hiện (trong đó 2 nhiệm vụ quá hạn)"),
    (dict(tasks=1200, done=1200, overdue=0, targets=0, targets_done=0), "đã hoàn thành 1.200/1.200 nhiệm vụ"),
    (dict(tasks=0, done=0, overdue=0, targets=0, targets_done=0), "chưa có nhiệm vụ nào trong kế hoạch"),
])
def test_the_sentence_inspection_reports_use(row, sentence):
    assert progress_sentence(row) == sentence

