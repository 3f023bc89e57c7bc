"""Hài lòng in a real headless Chromium on the demo sample: SIPAS on screen is the CLI's, ranked within peer groups."""
import io
import json
import pathlib
import subprocess
import sys
from datetime import date

import duckdb
import plotly.graph_objects as go
import pytest

from common.formats import vn_int, vn_value
from indicators import Period, compute_indicator
from pages._components.filters import FilterContext, parse_filters
from pages._components.interval_chart import interval_bars, panel_bars
from pages._components.sipas_view import TOO_SMALL_LABEL, peer_groups, rating_card, unit_dom_id, year_search
from tests.browser_support import open_page as _open

ROOT = pathlib.Path(__file__).resolve().parents[1]
YEAR_2022 = "ky=nam&nam=2022"
TOO_SMALL = {"SNGV": "Sở Ngoại vụ", "SDL": "Sở Du lịch", "CG": "Huyện Cần Giờ"}
NO_SURVEY = "Không có phiếu khảo sát SIPAS trong kỳ này"


@pytest.fixture(scope="module")
def cli_2022(demo_db) -> dict:
    return _cli_sipas(demo_db, "2022-01-01", "2022-12-31")


def _cli_sipas(db, start: str, end: str) -> dict:
    args = [sys.executable, "-m", "indicators", "sipas", "--db", str(db), "--from", start, "--to", end,
            "--by", "unit", "--format", "json"]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _text(page, dom_id: str) -> str:
    return page.locator(f"#{dom_id}").inner_text().strip()


def _chart_labels(page, graph_id: str) -> list[str]:
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .main-svg")   # Plotly's bundle loads after the layout
    return page.evaluate(f"document.querySelector('#{graph_id} .js-plotly-plot').data[0].y")


def _peer_ranks(rows: list[dict]) -> dict:
    """Expected ranks, counted here from the CLI rows: within one level, never over too-small units."""
    out = {}
    for r in rows:
        if r["too_small"] or r["sipas"] is None:
            continue
        peers = [p["sipas"] for p in rows if p["level"] == r["level"] and not p["too_small"] and p["sipas"] is not None]
        out[r["key"]] = 1 + sum(v > r["sipas"] for v in peers)
    return out


# -- in the browser ------------------------------------------------------------------------------------------

@pytest.mark.browser
def test_city_card_and_units_match_the_cli(browser, app_url, cli_2022):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/hai-long?{YEAR_2022}", "hai_long")
    total = cli_2022["total"]
    assert _text(page, "hai-long-card-sipas-value") == vn_value(total["sipas"]) == "87,07 %"   # README figure, counted independently in test_sample_load
    assert _text(page, "hai-long-card-sipas-status") == "✔ Đạt"
    assert _text(page, "hai-long-card-sipas-target") == "≥ 86 %"
    assert _text(page, "hai-long-card-sipas-gap") == "+1,07 điểm %"
    assert "Tăng 3,79 điểm %" in _text(page, "hai-long-card-sipas-last-year")
    assert _text(page, "hai-long-questionnaires-value") == vn_int(total["questionnaires"]) == "11.342"
    assert _text(page, "hai-long-survey-year") == "Kết quả khảo sát SIPAS năm 2022"
    for row in cli_2022["rows"]:
        assert _text(page, unit_dom_id("hai-long-sipas", row["key"])) == vn_value(row["sipas"]), row["key"]
    expected = _peer_ranks(cli_2022["rows"])
    for code, rank in expected.items():
        assert _text(page, unit_dom_id("hai-long-rank", code)) == str(rank), code
    assert _text(page, "hai-long-rank-SYT") == "1" and _text(page, "hai-long-rank-BC") == "1"   # one first per group
    assert errors == []


@pytest.mark.browser
def test_peer_groups_are_never_mixed_and_small_units_not_ranked(browser, app_url):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/hai-long?{YEAR_2022}")
    departments = _chart_labels(page, "hai-long-ranking-department")
    districts = _chart_labels(page, "hai-long-ranking-district")
    assert departments[0] == "1. Sở Y tế" and districts[0] == "1. Huyện Bình Chánh"
    assert not any("Quận" in n or "Huyện" in n for n in departments)
    assert not any(" Sở " in f" {n.split('. ', 1)[1]}" for n in districts)
    shown = " ".join(departments + districts)
    for code, name in TOO_SMALL.items():
        assert name not in shown, name                      # no bar, no place in a ranking
        assert _text(page, unit_dom_id("hai-long-rank", code)) == "Chưa xếp hạng"
        assert name in _text(page, unit_dom_id("hai-long-unranked", code))
    assert TOO_SMALL_LABEL in _text(page, "hai-long-unranked-department")
    assert "Huyện Cần Giờ" in _text(page, "hai-long-unranked-district")
    # every chart has the PNG button; the two measures are told apart
    graphs = page.locator("#hai-long-page .dash-graph")
    # two rankings, two units × criteria maps, elements, expectations, change, dossier ratings
    assert graphs.count() == 8
    page.wait_for_function("document.querySelectorAll('#hai-long-page .js-plotly-plot .main-svg').length >= 8")
    assert page.locator("#hai-long-page .modebar-btn[data-title='Tải biểu đồ (PNG)']").count() == 8
    assert "(khác với chỉ số SIPAS)" in _text(page, "hai-long-rating-title")
    assert errors == []


@pytest.mark.browser
def test_a_quarter_says_which_survey_year_it_shows(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/hai-long?ky=quy&nam=2022&quy=2")
    total = _cli_sipas(demo_db, "2022-04-01", "2022-06-30")["total"]
    assert _text(page, "hai-long-card-sipas-value") == vn_value(total["sipas"])
    # Part of the yearly survey: no verdict against the year's target (the whole year's link is in the note).
    assert _text(page, "hai-long-card-sipas-status") == "◐ Một phần đợt khảo sát: so chỉ tiêu theo cả năm"
    assert page.locator("#hai-long-card-sipas-gap").count() == 0
    assert _text(page, "hai-long-survey-year") == "Kết quả khảo sát SIPAS năm 2022"
    note = _text(page, "hai-long-survey-note")
    assert "SIPAS là khảo sát hằng năm" in note and "Quý II/2022" in note
    assert "ky=nam" in page.locator("#hai-long-year-2022").get_attribute("href")
    assert errors == []


@pytest.mark.browser
def test_a_period_without_survey_says_so_and_links_the_survey_years(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/hai-long?ky=tuy_chon&tu=2020-01-01&den=2020-12-31", "hai_long_2020")
    notice = _text(page, "hai-long-no-survey")
    assert NO_SURVEY in notice and "năm 2021" in notice and "năm 2022" in notice
    assert page.locator("#hai-long-page .js-plotly-plot").count() == 0    # no empty chart
    assert errors == []
    # 2021 has questionnaires but no dossiers; the year filter offers it all the same (survey years count).
    page.locator("#hai-long-year-2021").click()
    page.wait_for_url("**nam=2021**")
    page.locator("#hai-long-card-sipas-value").wait_for()
    total = _cli_sipas(demo_db, "2021-01-01", "2021-12-31")["total"]
    assert _text(page, "hai-long-card-sipas-value") == vn_value(total["sipas"]) == "83,29 %"
    assert errors == []


@pytest.mark.browser
def test_the_unit_table_downloads_as_xlsx(browser, app_url, cli_2022):  # noqa: F811
    from openpyxl import load_workbook

    page, errors = _open(browser, f"{app_url}/hai-long?{YEAR_2022}")
    with page.expect_download() as info:
        page.locator("#hai-long-units-download-button").click()
    ws = load_workbook(io.BytesIO(pathlib.Path(info.value.path()).read_bytes())).active
    header = [c.value for c in ws[4]]
    rows = {r[header.index("Mã đơn vị")]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    sipas = header.index("Chỉ số SIPAS")
    for row in cli_2022["rows"]:
        assert rows[row["key"]][sipas] == pytest.approx(row["sipas"]), row["key"]
    assert rows["SNGV"][header.index("Hạng trong nhóm")] == "–"
    assert rows["SNGV"][header.index("Ghi chú")] == TOO_SMALL_LABEL
    assert info.value.suggested_filename.endswith(".xlsx")
    assert errors == []


# -- without a browser ---------------------------------------------------------------------------------------

def test_the_rating_card_is_the_engines(demo_db):
    """The dossier-rating card shows compute_indicator's figure, under its own name, not SIPAS."""
    con = duckdb.connect(str(demo_db), read_only=True)
    total = compute_indicator(con, "rating_satisfaction", Period.year(2022))["total"]
    card = rating_card("hai-long-card", total, "Tỷ lệ hài lòng qua đánh giá hồ sơ (khác với chỉ số SIPAS)")
    main = next(c for c in card.children if getattr(c, "className", "") == "card-main")
    assert card.id == "hai-long-card-rating"
    assert main.children[0].id == "hai-long-card-rating-value"
    assert main.children[0].children == vn_value(total["value"]) == "93,91 %"


def _row(key, level, sipas, n):
    return {"key": key, "name": key, "level": level, "sipas": sipas, "too_small": n < 30, "sipas_valid": n}


def test_peer_groups_rank_each_level_apart():
    rows = [_row("S1", "department", 0.80, 100), _row("S2", "department", 0.95, 20),
            _row("Q1", "district", 0.70, 50), _row("Q2", "district", 0.90, 50), _row("S3", "department", 0.85, 40),
            _row(None, None, 0.99, 300)]
    groups = peer_groups(rows)
    assert [g["level"] for g in groups] == ["department", "district", None]
    dep, dis, unknown = groups
    assert [(r["key"], r["group_rank"]) for r in dep["ranked"]] == [("S3", 1), ("S1", 2)]
    assert [(r["key"], r["reason"]) for r in dep["unranked"]] == [("S2", TOO_SMALL_LABEL)]
    assert [(r["key"], r["group_rank"]) for r in dis["ranked"]] == [("Q2", 1), ("Q1", 2)]
    assert unknown["ranked"] == [] and unknown["unranked"][0]["group_rank"] is None


def test_ids_and_links():
    assert unit_dom_id("hai-long-sipas", "BC.TT") == "hai-long-sipas-BC-TT"
    ctx = FilterContext(date(2022, 1, 4), date(2022, 12, 31))
    filters = parse_filters({"ky": "quy", "nam": "2022", "quy": "2"}, ctx)
    assert year_search(filters, ctx, 2022) == "?ky=nam&nam=2022"
    assert year_search(filters, ctx, 2021) == "?ky=tuy_chon&tu=2021-01-01&den=2021-12-31"


def test_interval_charts_carry_the_interval_and_vietnamese_numbers():
    rows = [{"label": "1. A", "name": "A", "key": "A", "value": 0.9, "ci95": [0.85, 0.94], "is_met": True, "valid": 120}]
    fig = go.Figure(interval_bars(rows, "SIPAS", ">=", 0.86))   # a plain dict, read here through Plotly's objects
    bar = fig.data[0]
    assert bar.error_x.array[0] == pytest.approx(4.0) and bar.error_x.arrayminus[0] == pytest.approx(5.0)
    assert bar.base + bar.x[0] == pytest.approx(90.0) and bar.text[0] == "90,00 % ✔ Đạt"
    assert fig.layout.separators == ",."
    change = go.Figure(panel_bars([("Sở", [{"name": "A", "x": -0.2, "text": "▼ −0,20", "hover": "A"}]), ("Quận", [])],
                                  "Thay đổi", diverging=True))
    assert len(change.data) == 1 and change.layout.xaxis.range[0] < -0.2


def test_too_small_units_get_no_verdict_against_the_target():
    """Under 30 answers the interval is too wide to call a unit met or not: no ✔/✘, a plain reason instead."""
    from pages._components.sipas_view import unit_rows
    small = {"key": "SNGV", "name": "Sở Ngoại vụ", "level": "department", "sipas": 0.95, "sipas_valid": 18,
             "too_small": True, "is_met": True, "comparator": ">=", "target": 0.86, "rank": None,
             "sipas_ci95": [0.74, 0.99], "elements": {}, "questionnaires": 18}
    big = {**small, "key": "SNV", "name": "Sở Nội vụ", "sipas_valid": 300, "too_small": False, "is_met": False,
           "sipas": 0.80}
    rows = {r["key"]: r for r in unit_rows(peer_groups([small, big]))}
    assert rows["SNGV"]["status"] == "Chưa đủ mẫu để đánh giá"
    assert "Chưa đạt" in rows["SNV"]["status"]
