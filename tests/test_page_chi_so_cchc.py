"""Chỉ số CCHC in a real headless Chromium on the demo sample: every unit's points, index, rank and group on screen
are the CLI's (`python -m indicators par`), a unit's view and its data check, the link from the unit page."""

import pytest

from common.formats import vn_percent, vn_score
from pages._components.sipas_view import unit_dom_id
from tests.browser_support import cli_json, click_first_bar, open_page, show
from tests.browser_support import text_of as _text

PAGE = "chi-so-cchc"


@pytest.fixture(scope="module")
def cli_2022(demo_db) -> dict:
    return cli_json(demo_db, "par", "--year", "2022")


@pytest.mark.browser
def test_each_peer_groups_ranking_is_the_clis(browser, app_url, cli_2022):
    page, errors = open_page(browser, f"{app_url}/chi-so-cchc?nam=2022&nhom=department", "chi_so_cchc")
    for group in ("department", "district"):
        if group == "district":
            show(page, f"{app_url}/chi-so-cchc?nam=2022&nhom=district")
        rows = [r for r in cli_2022["rows"] if r["peer_group"] == group]
        for r in rows:
            assert _text(page, unit_dom_id(f"{PAGE}-points", r["unit"])) == vn_score(r["points"]), r["unit"]
            assert _text(page, unit_dom_id(f"{PAGE}-index", r["unit"])) == vn_percent(r["index"]), r["unit"]
            assert _text(page, unit_dom_id(f"{PAGE}-rank", r["unit"])) == f"{r['rank']}/{len(rows)}", r["unit"]
            assert _text(page, unit_dom_id(f"{PAGE}-group", r["unit"])) == r["group"], r["unit"]
        for letter in "ABCD":   # the counts by group, counted here from the CLI rows
            assert _text(page, f"{PAGE}-count-{letter}") == str(sum(r["group"] == letter for r in rows))
        claims = sum(1 for r in rows for c in r["data_check"] if c["note"] and c["note"].startswith("tự chấm"))
        assert _text(page, f"{PAGE}-check-count") == str(claims)
        page.wait_for_selector(f"#{PAGE}-heatmap .js-plotly-plot .main-svg")
    assert errors == []


@pytest.mark.browser
def test_a_units_view_from_the_unit_page(browser, app_url, cli_2022):
    # From Đơn vị (Huyện Hóc Môn, year 2022) through the small link to its PAR INDEX view.
    page, errors = open_page(browser, f"{app_url}/don-vi?ky=nam&nam=2022&don_vi=HM")
    page.click("#don-vi-par-link")
    show(page)
    hm = next(r for r in cli_2022["rows"] if r["unit"] == "HM")
    assert _text(page, f"{PAGE}-unit-points") == f"{vn_score(hm['points'])}/{vn_score(hm['max_points'])} điểm"
    assert _text(page, f"{PAGE}-unit-index") == vn_percent(hm["index"])
    assert _text(page, f"{PAGE}-unit-group") == hm["group"]
    claim = next(c["note"] for c in hm["data_check"] if c["code"] == "3.3.1")
    assert claim in page.locator(f"#{PAGE}-check-table").inner_text()
    assert "don_vi=HM" in page.url and page.locator(f"#{PAGE}-unit-lost .js-plotly-plot").count() == 1
    with page.expect_download() as download:
        page.click(f"#{PAGE}-download-button")
    assert download.value.suggested_filename == "chi_so_cchc_2022.xlsx"
    assert errors == []


@pytest.mark.browser
def test_a_ranking_bar_opens_the_unit(browser, app_url, cli_2022):
    # The first bar is the district ranked first by the CLI; a click opens its view on the same year and group.
    districts = [r for r in cli_2022["rows"] if r["peer_group"] == "district" and r["rank"] is not None]
    first = min(districts, key=lambda r: r["rank"])
    assert sum(r["rank"] == first["rank"] for r in districts) == 1   # one unit at the top, or "first" is ambiguous
    page, errors = open_page(browser, f"{app_url}/chi-so-cchc?nam=2022&nhom=district")
    click_first_bar(page, f"{PAGE}-ranking-chart", f"**don_vi={first['unit']}**")
    assert "nam=2022" in page.url and "nhom=district" in page.url
    page.wait_for_selector(f"#{PAGE}-unit-index")
    assert _text(page, f"{PAGE}-unit-index") == vn_percent(first["index"])
    assert errors == []
