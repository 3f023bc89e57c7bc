"""Questionnaire files that write their dates month first (SurveyMonkey; Google or Microsoft Forms set to English,
United States) are read month first, said in the summary; day-first files, and a lone mistyped date, are not."""
from datetime import date

import pytest

from tests.files import database_with_units, load_one, query, write_csv, write_xlsx

CRITERIA = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6",
            "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "5.4"]
ANSWERS = ["4"] * 22


@pytest.fixture()
def db(tmp_path):
    return database_with_units(tmp_path)


def _dates(db):
    return [r[0] for r in query(db, "SELECT survey_date FROM survey_responses ORDER BY response_id")]


def test_surveymonkey_end_date_is_read_month_first(db, tmp_path):
    # SurveyMonkey's CSV: two header lines, Start Date and End Date as m/d/yyyy with a 12-hour clock. Every date here
    # falls on a day of at most 12 too, so only SurveyMonkey's header tells the order: 03/04/2022 is 4 March.
    rows = [["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Đơn vị"]
            + [f"TC{c}" for c in CRITERIA],
            ["", "", "", "", "", "Response"] + ["Response"] * 22,
            ["1141", "4301", "03/04/2022 09:58:12 AM", "03/04/2022 10:05:40 AM", "10.0.0.1", "Quận 3"] + ANSWERS,
            ["1142", "4301", "12/31/2022 11:50:00 PM", "01/01/2023 12:03:09 AM", "10.0.0.2", "Quận 3"] + ANSWERS]
    result, errors = load_one(db, write_csv(tmp_path / "surveymonkey.csv", rows))
    assert not errors and result["rows_loaded"] == 2 and result["rows_rejected"] == 0
    assert _dates(db) == [date(2022, 3, 4), date(2023, 1, 1)]
    assert query(db, "SELECT survey_year FROM survey_responses ORDER BY response_id") == [(2022,), (2023,)]
    assert "IP Address" in result["dropped_columns"]
    assert any("tháng trước ngày" in w and "End Date" in w for w in result["warnings"])


def test_english_google_forms_timestamps_are_read_month_first_from_their_dates(db, tmp_path):
    # 'Timestamp' of Google Forms in English (US): 3/14/2022 can only be 14 March, so 3/4/2022 is 4 March.
    stamps = ["3/14/2022 10:15:32", "3/4/2022 8:01:00", "3/15/2022 16:45:10", "4/1/2022 9:00:00"]
    rows = [["Timestamp", "Đơn vị"] + [f"Câu {c}. Nhận định {c}" for c in CRITERIA]]
    rows += [[s, "Sở Tư pháp"] + ANSWERS for s in stamps]
    result, errors = load_one(db, write_csv(tmp_path / "google_en.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 4 and result["rows_rejected"] == 0
    assert sorted(r[0] for r in query(db, "SELECT survey_date FROM survey_responses")) == [
        date(2022, 3, 4), date(2022, 3, 14), date(2022, 3, 15), date(2022, 4, 1)]
    assert any("tháng trước ngày" in w and "3/14/2022 10:15:32" in w for w in result["warnings"])


def test_day_first_dates_stay_day_first(db, tmp_path):
    # one date that can only be day first (25/03) settles it, whatever else the column holds
    rows = [["Mã phiếu", "Đơn vị", "Ngày khảo sát"] + [f"TC{c}" for c in CRITERIA],
            ["P1", "Quận 3", "03/04/2022"] + ANSWERS, ["P2", "Quận 3", "25/03/2022"] + ANSWERS,
            ["P3", "Quận 3", "04/13/2022"] + ANSWERS, ["P4", "Quận 3", "05/14/2022"] + ANSWERS]
    result, errors = load_one(db, write_xlsx(tmp_path / "ngay_truoc.xlsx", rows))
    assert not errors and result["rows_loaded"] == 2 and result["rows_rejected"] == 2
    assert _dates(db) == [date(2022, 4, 3), date(2022, 3, 25)]
    assert not any("tháng trước ngày" in w for w in result["warnings"])


def test_a_lone_mistyped_date_does_not_turn_the_others_around(db, tmp_path):
    # 20 day-first dates of the first twelve days and one '05/13/2022' (a typo: there is no 13th month)
    rows = [["Mã phiếu", "Đơn vị", "Ngày khảo sát"] + [f"TC{c}" for c in CRITERIA]]
    rows += [[f"P{i:02d}", "Quận 3", f"{1 + i % 12:02d}/06/2022"] + ANSWERS for i in range(20)]
    rows += [["P99", "Quận 3", "05/13/2022"] + ANSWERS]
    result, errors = load_one(db, write_csv(tmp_path / "go_nham.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 20 and result["rows_rejected"] == 1
    assert query(db, "SELECT DISTINCT month(survey_date) FROM survey_responses") == [(6,)]
    assert "05/13/2022" in result["rejects"][0]["reason"]


def test_a_vietnamese_end_date_header_with_day_first_dates_is_read_day_first(db, tmp_path):
    # the SurveyMonkey header alone does not overrule a date that can only be day first
    rows = [["Mã phiếu", "Đơn vị", "End Date"] + [f"TC{c}" for c in CRITERIA],
            ["P1", "Quận 3", "02/03/2022"] + ANSWERS, ["P2", "Quận 3", "28/03/2022"] + ANSWERS]
    result, errors = load_one(db, write_csv(tmp_path / "end_date_vn.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 2
    assert _dates(db) == [date(2022, 3, 2), date(2022, 3, 28)]


def test_two_mistyped_dates_in_a_round_of_the_first_ten_days_stay_rejected(db, tmp_path):
    # (review) 38 day-first dates of days 1–10 say nothing of the order; two '04/15/2022' typos (5 %) must not
    # turn them around
    rows = [["Mã phiếu", "Đơn vị", "Ngày khảo sát"] + [f"TC{c}" for c in CRITERIA]]
    rows += [[f"P{i:02d}", "Quận 3", f"{1 + i % 10:02d}/{3 + i % 4:02d}/2022"] + ANSWERS for i in range(38)]
    rows += [["P98", "Quận 3", "04/15/2022"] + ANSWERS, ["P99", "Quận 3", "05/20/2022"] + ANSWERS]
    result, errors = load_one(db, write_csv(tmp_path / "dot_dau_thang.csv", rows, bom=True))
    assert not errors and result["rows_loaded"] == 38 and result["rows_rejected"] == 2
    assert query(db, "SELECT min(month(survey_date)), max(month(survey_date)) FROM survey_responses") == [(3, 6)]
