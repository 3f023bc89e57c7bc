"""Period shorthands and the Ministry's official windows (reporting.md §2): the windows by date, their names, the
period before them, on every figures command (the JSON echoes the window) and in the dashboard's filters."""
import json
import os
import subprocess
import sys
from datetime import date

import pytest

from indicators.periods import Period, calendar_twin, parse_period, period_name_vi, period_short_name
from tests.conftest import ROOT


def d(text: str) -> date:
    return date.fromisoformat(text)


# The windows of reporting.md §2 (and the project's month: 15th of the previous month → 14th), typed from the spec.
WINDOWS = [("2022-Q1", "2021-12-15", "2022-03-14"), ("2022-H1", "2021-12-15", "2022-06-14"),
           ("2022-Q3", "2022-06-15", "2022-09-14"), ("2022-9M", "2021-12-15", "2022-09-14"),
           ("2022", "2021-12-15", "2022-12-14"), ("2022-Q2", "2022-03-15", "2022-06-14"),
           ("2022-06", "2022-05-15", "2022-06-14"), ("2022-01", "2021-12-15", "2022-01-14"),
           ("2022-H2", "2022-06-15", "2022-12-14"), ("2022-Q4", "2022-09-15", "2022-12-14")]
CALENDAR = [("2022-06", "2022-06-01", "2022-06-30"), ("2022-Q2", "2022-04-01", "2022-06-30"),
            ("2022-H1", "2022-01-01", "2022-06-30"), ("2022-9M", "2022-01-01", "2022-09-30"),
            ("2022", "2022-01-01", "2022-12-31"), ("2024-02", "2024-02-01", "2024-02-29")]


@pytest.mark.parametrize("text, start, end", WINDOWS)
def test_official_windows(text, start, end):
    assert parse_period(text, official=True) == Period(d(start), d(end))


@pytest.mark.parametrize("text, start, end", CALENDAR)
def test_calendar_shorthands(text, start, end):
    assert parse_period(text) == Period(d(start), d(end))


@pytest.mark.parametrize("text", ["2022-13", "2022-Q5", "2022-H3", "22-Q1", "2022-8M", "Q2-2022", ""])
def test_bad_shorthands_are_refused_in_vietnamese(text):
    with pytest.raises(ValueError, match="không hợp lệ|không đúng dạng"):
        parse_period(text)


def test_names_and_previous_periods_of_windows():
    q2 = parse_period("2022-Q2", official=True)
    assert period_name_vi(q2) == "Kỳ báo cáo chính thức Quý II/2022 (15/03/2022 – 14/06/2022)"
    assert period_short_name(q2) == "Quý II/2022"
    assert period_name_vi(parse_period("2022-Q2")) == "Quý II/2022"       # calendar names unchanged
    assert q2.previous() == Period(d("2021-12-15"), d("2022-03-14"))      # the window before: Quý I's
    assert q2.same_period_last_year() == Period(d("2021-03-15"), d("2021-06-14"))
    assert calendar_twin(parse_period("2022", official=True)) == Period.year(2022)
    # A range that merely starts on the 15th is not a window unless it ends on the 14th of a later month.
    assert calendar_twin(Period(d("2022-05-15"), d("2022-06-15"))) is None
    assert period_name_vi(Period(d("2022-05-15"), d("2022-06-15"))) == "Từ ngày 15/05/2022 đến ngày 15/06/2022"


def run(db, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("command", [["table"], ["sipas"], ["index766"], ["report"], ["form", "06a"]])
def test_every_figures_command_takes_the_official_window_and_echoes_it(fixture_db, command):
    proc = run(fixture_db, *command, "--period", "2022-Q2", "--official", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["from"], out["to"]) == ("2022-03-15", "2022-06-14")


def test_the_city_setting_makes_periods_official_and_calendar_overrides_it(fixture_db, tmp_path):
    official = {"CCHC_OFFICIAL_PERIODS": "1"}
    out = json.loads(run(fixture_db, "table", "--period", "2022-Q2", env=official).stdout)
    assert (out["from"], out["to"]) == ("2022-03-15", "2022-06-14")
    out = json.loads(run(fixture_db, "table", "--period", "2022-Q2", "--calendar", env=official).stdout)
    assert (out["from"], out["to"]) == ("2022-04-01", "2022-06-30")
    settings = tmp_path / "tinh.toml"
    settings.write_text("[periods]\nofficial_default = true\n", encoding="utf-8")
    out = json.loads(run(fixture_db, "table", "--period", "2022", env={"CCHC_SETTINGS": str(settings)}).stdout)
    assert (out["from"], out["to"]) == ("2021-12-15", "2022-12-14")
    proc = run(fixture_db, "table", "--period", "2022", env={"CCHC_OFFICIAL_PERIODS": "có lẽ"})
    assert proc.returncode == 2 and "CCHC_OFFICIAL_PERIODS" in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["--period", "2022-Q2", "--from", "2022-01-01"], "dùng --period hoặc --from/--to"),
    (["--from", "2022-01-01", "--to", "2022-03-31", "--official"], "chỉ dùng cùng --period"),
    (["--period", "2022-Q9"], "--period"),
    (["--from", "2022-01-01"], "cần --from và --to, hoặc --period"),
])
def test_period_usage_errors_exit_64_in_vietnamese(fixture_db, args, message):
    proc = run(fixture_db, "table", *args)
    assert proc.returncode == 64 and message in proc.stderr and "Lỗi: lệnh không hợp lệ" in proc.stderr


def test_dashboard_filters_carry_the_official_choice_in_the_url(monkeypatch):
    from pages._components.filters import FilterContext, parse_filters

    ctx = FilterContext(d("2022-01-04"), d("2022-12-31"))
    f = parse_filters("?ky=quy&nam=2022&quy=2&chinh_thuc=1", ctx)
    assert f.period == Period(d("2022-03-15"), d("2022-06-14")) and f.official
    assert f.label() == "Kỳ báo cáo chính thức Quý II/2022 (15/03/2022 – 14/06/2022)"
    assert f.params()["chinh_thuc"] == "1" and f.file_stem("bao_cao") == "bao_cao_Quy_II_2022_chinh_thuc"
    calendar = parse_filters("?ky=quy&nam=2022&quy=2", ctx)
    assert calendar.period == Period.quarter(2022, 2) and "chinh_thuc" not in calendar.params()
    # The city's setting: periods open official, and a calendar link says so explicitly.
    monkeypatch.setenv("CCHC_OFFICIAL_PERIODS", "1")
    f = parse_filters("?ky=6thang&nam=2022&nua=1", ctx)
    assert f.period == Period(d("2021-12-15"), d("2022-06-14")) and "chinh_thuc" not in f.params()
    calendar = parse_filters("?ky=6thang&nam=2022&nua=1&chinh_thuc=0", ctx)
    assert calendar.period == Period.half(2022, 1) and calendar.params()["chinh_thuc"] == "0"
    # The latest whole window by default: data to 31/12 holds the window ending 14/12 (Quý IV).
    assert parse_filters("?ky=quy", ctx).period == Period(d("2022-09-15"), d("2022-12-14"))


def test_sipas_of_an_official_year_is_that_years_survey(demo_db):
    # The official year 2022 starts on 15/12/2021: a questionnaire recorded with only "2021" must not count in it.
    # The sample's 2022 survey is 87,07 % (checked against the sample files with pandas in test_sample_load.py).
    official = json.loads(run(demo_db, "sipas", "--period", "2022", "--official").stdout)
    calendar = json.loads(run(demo_db, "sipas", "--period", "2022").stdout)
    assert (official["from"], official["to"]) == ("2021-12-15", "2022-12-14")
    assert official["total"]["questionnaires"] == calendar["total"]["questionnaires"]
    assert round(official["total"]["sipas"] * 100, 2) == 87.07


def test_workbook_titles_name_the_official_window(fixture_db, tmp_path):
    import openpyxl

    out = tmp_path / "bang.xlsx"
    proc = run(fixture_db, "table", "--period", "2022-Q2", "--official", "--format", "xlsx", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert openpyxl.load_workbook(out).active["A2"].value == (
        "(Kỳ báo cáo chính thức Quý II/2022: từ ngày 15/03/2022 đến ngày 14/06/2022)")
