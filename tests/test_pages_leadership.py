"""The dashboard as leadership reads it (issue #18), in a real headless Chromium at 1366 and 390 px on the demo
sample: the units below target first (figures counted here from the engine's period table and the targets table,
not from the ranking code), clickable bars, no sideways scroll, no English on screen, Hài lòng on its survey year."""
import json
import re
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from common.formats import vn_int, vn_points, vn_value
from indicators import Period, compute_period_table
from indicators.definitions import INDICATOR_BY_ID
from indicators.units import levels_valid, list_units
from pages._components.sections import CARD_INDICATORS
from tests.browser_support import ROOT, click_first_bar, new_page, show

pytestmark = pytest.mark.browser

Q4 = "ky=quy&nam=2022&quy=4"
Q4_PERIOD = Period(date(2022, 10, 1), date(2022, 12, 31))
WIDTHS = [(1366, 768), (390, 844)]
# Words of English (and of developers) a Vietnamese screen must not show; whole words, any case.
ENGLISH = re.compile(r"\b(the|and|of|page not found|loading|error|click|download|default|undefined|null|nan|none|"
                     r"true|false|source|status|rank|target|value)\b", re.IGNORECASE)
_MET = {">=": lambda v, t: v >= t - 1e-9, ">": lambda v, t: v > t + 1e-9, "<=": lambda v, t: v <= t + 1e-9,
        "<": lambda v, t: v < t - 1e-9, "=": lambda v, t: abs(v - t) <= 1e-9}


def _open(browser, url: str, width: int, height: int):
    page, errors = new_page(browser)
    page.set_viewport_size({"width": width, "height": height})
    show(page, url)
    return page, errors


def _expected_below(db, period: Period) -> dict:
    """{(level, indicator): (units judged, [(code, gap text, shortfall)])}, counted here: each unit's value from
    the engine's period table (a district or department on its whole subtree, other levels on their own dossiers),
    its target read from the targets table (the unit's own, else its level's, else the city's)."""
    con = duckdb.connect(str(db), read_only=True)
    targets = {(s, i): (c, v) for s, i, c, v in con.execute(
        "SELECT scope, indicator, comparator, target_value FROM targets WHERE year = ?", [period.end.year]).fetchall()}
    units = list_units(con, period.start, period.end)
    out = {}
    for level in levels_valid(con, period.start, period.end):
        by = level if level in ("district", "department") else "unit"
        values = {r["key"]: r for r in compute_period_table(con, period, by=by)["rows"]}
        for ind_id in CARD_INDICATORS:
            ind = INDICATOR_BY_ID[ind_id]
            judged, below = 0, []
            for u in (u for u in units if u.level == level):
                value = values.get(u.code, {}).get(ind_id)
                target = next((targets[(s, ind.target_key)] for s in (u.code, level, "all")
                               if (s, ind.target_key) in targets), None)
                if value is None or target is None:
                    continue
                judged += 1
                if not _MET[target[0]](value, target[1]):
                    gap = (value - target[1]) * (100 if ind.unit == "fraction" else 1)
                    below.append((u.code, vn_points(gap, ind.unit, ind.decimals),
                                  -gap if ind.direction == "higher" else gap))
            out[(level, ind_id)] = (judged, below)
    con.close()
    return out


def _shown_block(page) -> list[dict]:
    # text_content, not inner_text: the ward level is folded (closed <details>) but its list is there.
    return page.evaluate("""() => [...document.querySelectorAll('#tong-quan-shortfalls li.shortfall-indicator')]
        .map(li => ({id: li.id, head: li.querySelector('div').textContent,
                     units: [...li.querySelectorAll('li[data-code]')].map(u => [u.dataset.code,
                              u.querySelector('.shortfall-gap').textContent])}))""")


@pytest.fixture(scope="module")
def expected_q4(demo_db):
    return _expected_below(demo_db, Q4_PERIOD)


@pytest.mark.parametrize("width,height", WIDTHS)
def test_overview_opens_with_the_units_below_target(browser, app_url, expected_q4, width, height):
    page, errors = _open(browser, f"{app_url}/?{Q4}", width, height)
    section = page.locator("#tong-quan-shortfalls")
    # first thing under the filters and the scope title
    assert page.evaluate("document.querySelector('#tong-quan-page > section').id") == "tong-quan-shortfalls"
    shown = {item["id"]: item for item in _shown_block(page)}
    listed = 0
    for (level, ind_id), (judged, below) in expected_q4.items():
        dom = f"tong-quan-shortfall-{level}-{ind_id.replace('_', '-')}"
        if not below:
            assert dom not in shown, dom
            continue
        item = shown[dom]
        assert f"{vn_int(len(below))}/{vn_int(judged)} đơn vị chưa đạt" in item["head"], dom
        # the five furthest from the target, each with its gap as counted here
        gaps = dict((code, text) for code, text, _ in below)
        assert [(code, f"({gaps[code]})") for code, _ in item["units"]] == [tuple(u) for u in item["units"]], dom
        worst = sorted(below, key=lambda b: -b[2])[:5]
        assert sorted(text for _, text, _ in worst) == sorted(t.strip("()") for _, t in item["units"]), dom
        assert len(item["units"]) == min(5, len(below))
        listed += 1
    assert listed >= 10   # the sample has shortfalls at every level: the test compares something
    # the sentence read aloud: per level, units below at least one target out of units judged
    summary = page.locator("#tong-quan-shortfalls-summary").inner_text()
    assert summary.startswith("Quý IV/2022, số đơn vị chưa đạt ít nhất một chỉ tiêu:")
    for level in {lv for lv, _ in expected_q4}:
        codes = {c for (lv, _), (_, below) in expected_q4.items() if lv == level for c, _, _ in below}
        assert f" {vn_int(len(codes))}/" in summary
    # a unit's name opens its page, with the period kept
    link = section.locator("#tong-quan-shortfalls-department a.shortfall-unit").first
    href = link.get_attribute("href")
    assert href.startswith("/don-vi?") and "don_vi=" in href and "quy=4" in href
    assert errors == []


def test_a_unit_name_in_the_block_opens_the_unit(browser, app_url, expected_q4):
    page, errors = _open(browser, f"{app_url}/?{Q4}", 1366, 768)
    first = page.locator("#tong-quan-shortfall-department-on-time-rate a.shortfall-unit").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/don-vi?**")
    page.locator("#don-vi-crumb-current").wait_for()
    assert page.locator("#don-vi-crumb-current").inner_text() == name
    assert errors == []


@pytest.mark.parametrize("path,graph_id,code", [
    ("/hai-long?ky=nam&nam=2022", "hai-long-ranking-department", "SYT"),   # 1. Sở Y tế (test_page_hai_long)
    (f"/truc-tuyen?{Q4}&cap=district", "truc-tuyen-ranking-chart", None),
])
def test_ranking_bars_open_the_unit(browser, app_url, path, graph_id, code):
    page, errors = _open(browser, app_url + path, 1366, 768)
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .main-svg")
    expected = code or page.evaluate(f"document.querySelector('#{graph_id} .js-plotly-plot').data[0].customdata[0][3]")
    click_first_bar(page, graph_id, f"**don_vi={expected}**")
    assert path.split("?")[0] in page.url and "nam=2022" in page.url   # same page, same period
    assert errors == []


@pytest.mark.parametrize("width,height", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/don-vi", "/truc-tuyen", "/hai-long", "/ho-so-tre-han", "/linh-vuc",
                                  "/khong-co-trang-nay"])
def test_no_sideways_scroll_and_no_english(browser, app_url, path, width, height):
    page, errors = _open(browser, f"{app_url}{path}", width, height)
    page.wait_for_function("[...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))")
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, (path, width, scroll)
    text = page.locator("body").inner_text()
    svg = " ".join(page.eval_on_selector_all(".js-plotly-plot text", "els => els.map(e => e.textContent)"))
    found = ENGLISH.findall(text + " " + svg)
    assert not found, (path, sorted(set(found)))
    assert errors == []


_ANNOTATION_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(g => [g.parentElement.id,
    [...g.querySelectorAll('g.annotation')].map(a => { const r = a.getBoundingClientRect();
     return [a.textContent, r.left, r.top, r.right, r.bottom]; }).filter(b => b[3] > b[1])])"""


@pytest.mark.parametrize("width,height", WIDTHS)
@pytest.mark.parametrize("path", [f"/truc-tuyen?{Q4}&cap=district", "/hai-long", "/chi-so-766",
                                  "/chi-so-cchc?nam=2022&nhom=department", "/chi-so-cchc?nam=2022&nhom=district"])
def test_chart_labels_do_not_overlap(browser, app_url, path, width, height):
    # Labels of thresholds and targets 10 points apart are ~20–50 px apart on a phone, less than a label: the
    # PAR ranking's "C từ 70 %", "B từ 80 %", "A từ 90 %" and the 766 trend's bands were drawn over each other.
    page, errors = _open(browser, f"{app_url}{path}", width, height)
    page.wait_for_function("[...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))")
    charts = page.evaluate(_ANNOTATION_BOXES)
    assert any(boxes for _, boxes in charts), path   # the page has labelled charts to check
    for chart, boxes in charts:
        for i, (a_text, a_left, a_top, a_right, a_bottom) in enumerate(boxes):
            for b_text, b_left, b_top, b_right, b_bottom in boxes[i + 1:]:
                apart = a_right <= b_left or b_right <= a_left or a_bottom <= b_top or b_bottom <= a_top
                assert apart, (path, width, chart, a_text, b_text)
    assert errors == []


def test_the_404_page_is_in_vietnamese_and_not_in_the_nav(browser, app_url):
    page, errors = _open(browser, f"{app_url}/khong-co-trang-nay", 1366, 768)
    assert page.locator("#not-found-page h2").inner_text() == "Không tìm thấy trang"
    assert page.locator("#not-found-home").get_attribute("href") == "/"
    assert "Không tìm thấy trang" not in page.locator("nav").first.inner_text()
    assert errors == []


def test_charts_start_at_zero_and_show_their_tools_on_hover(browser, app_url):
    page, errors = _open(browser, f"{app_url}/?{Q4}", 1366, 768)
    graph = "#tong-quan-trend-on-time-rate .js-plotly-plot"
    page.wait_for_selector(graph + " .main-svg")
    assert page.evaluate(f"document.querySelector('{graph}').layout.yaxis.range[0]") == 0
    assert page.evaluate(f"document.querySelector('{graph}')._context.displayModeBar") == "hover"
    assert errors == []


def test_hai_long_opens_on_the_survey_year(browser, app_url, demo_db):
    proc = subprocess.run([sys.executable, "-m", "indicators", "sipas", "--db", str(demo_db), "--from", "2022-01-01",
                           "--to", "2022-12-31", "--by", "unit", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    year = json.loads(proc.stdout)
    page, errors = _open(browser, f"{app_url}/hai-long", 1366, 768)
    assert page.locator("#hai-long-survey-year").inner_text() == "Kết quả khảo sát SIPAS năm 2022"
    shown = page.locator("#hai-long-card-sipas-value").inner_text()
    assert shown == vn_value(year["total"]["sipas"]) == "87,07 %"   # the survey year, as issue #18 reads it
    # units × criteria: one row per department surveyed, one column per criterion
    page.wait_for_selector("#hai-long-criteria-map-department .js-plotly-plot .main-svg")
    rows, cols = page.evaluate("(() => { const d = document.querySelector('#hai-long-criteria-map-department "
                               ".js-plotly-plot').data[0]; return [d.y.length, d.x.length]; })()")
    departments = [r for r in year["rows"] if r.get("level") == "department"]
    assert rows == len(departments) and cols == len(year["total"]["criteria"])
    assert errors == []
