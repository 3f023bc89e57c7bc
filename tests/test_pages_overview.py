"""Tổng quan and Đơn vị in a real headless Chromium on the demo sample: the figures on screen are the CLI's."""
import duckdb
import pytest

from common.formats import vn_int, vn_value
from indicators import Period, compute_indicator
from indicators.dashboard import compute_ranking, compute_scorecard
from tests.browser_support import cli_total, open_page as _open

pytestmark = pytest.mark.browser

SKHDT_H1 = "ky=6thang&nam=2022&nua=1&don_vi=SKHDT"
COUNTS = ["received_new", "resolved", "resolved_in_time", "resolved_late", "pending_within", "pending_overdue"]
RATES = ["on_time_rate", "progress_766", "online_rate", "paid_online_rate", "digitized_rate", "same_day_rate",
         "data_reuse_rate", "sync_rate", "rating_satisfaction"]


def _figures(page, prefix: str) -> dict:
    out = {c: page.locator(f"#{prefix}-{c.replace('_', '-')}-value").inner_text() for c in COUNTS}
    out.update({r: page.locator(f"#{prefix}-card-{r.replace('_', '-')}-value").inner_text() for r in RATES})
    return out


def _expected(total: dict) -> dict:
    out = {c: vn_int(total[c]) for c in COUNTS}
    out.update({r: vn_value(total[r]) for r in RATES})
    return out


def test_overview_shows_the_published_skhdt_figures(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/?{SKHDT_H1}", "tong_quan")
    shown = _figures(page, "tong-quan")
    assert shown == _expected(cli_total(demo_db, "2022-01-01", "2022-06-30", "SKHDT"))
    # The public record (sample-data.md), in Vietnamese format.
    assert (shown["received_new"], shown["resolved_in_time"], shown["pending_within"], shown["resolved_late"]) == \
        ("122.700", "122.563", "133", "4")
    assert page.locator("#filters-period-label").inner_text() == "6 tháng đầu năm 2022 (từ 01/01/2022 đến 30/06/2022)"
    assert page.locator("#app-freshness").inner_text() == "Số liệu đến ngày 31/12/2022"
    card = page.locator("#tong-quan-card-on-time-rate").inner_text()
    assert "✔ Đạt" in card and "> 99 %" in card and "122.563 / 122.567" in card
    table = page.locator("#tong-quan-table").inner_text()
    assert "Sở Kế hoạch và Đầu tư" in table and "Tổng cộng" in table and "122.700" in table
    assert errors == []


def test_city_overview_matches_the_cli(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/?ky=quy&nam=2022&quy=3")
    assert _figures(page, "tong-quan") == _expected(cli_total(demo_db, "2022-07-01", "2022-09-30"))
    assert errors == []


def test_unit_view_shows_the_same_figures_and_links_to_late_dossiers(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/don-vi?{SKHDT_H1}", "don_vi_skhdt")
    assert _figures(page, "don-vi") == _expected(cli_total(demo_db, "2022-01-01", "2022-06-30", "SKHDT"))
    assert page.locator("#don-vi-crumb-current").inner_text() == "Sở Kế hoạch và Đầu tư"
    late = page.locator("#don-vi-late-link").get_attribute("href")
    assert late.startswith("/ho-so-tre-han?")
    assert all(part in late for part in SKHDT_H1.split("&"))
    assert errors == []


def test_ranking_drills_down_from_districts_to_wards(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/don-vi?ky=nam&nam=2022&cap=district", "don_vi")
    ranking = page.locator("#don-vi-ranking-table").inner_text()
    assert "Quận 1" in ranking and "Phường" not in ranking and "Sở " not in ranking   # peers only
    page.locator("#don-vi-ranking-chart .bars path").first.click(force=True)
    page.wait_for_url("**don_vi=**")
    page.locator("#don-vi-crumb-current").wait_for()
    district = page.locator("#don-vi-crumb-current").inner_text()
    page.wait_for_function("document.querySelector('#don-vi-ranking-table') && "
                           "!document.querySelector('#don-vi-ranking-table').innerText.includes('Quận 1\\n')")
    wards = page.locator("#don-vi-ranking-table").inner_text()
    assert "Phường" in wards or "Xã" in wards or "Thị trấn" in wards
    assert "Quận " not in wards.replace(district, "")
    assert "ky=nam" in page.url and "nam=2022" in page.url   # the period survives the click
    assert errors == []


def test_a_link_reproduces_the_view_after_changing_a_filter(browser, app_url):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/?ky=quy&nam=2022&quy=2&don_vi=SKHDT")
    page.click("#filters-ky")
    page.get_by_role("option", name="Năm", exact=True).click()
    page.wait_for_url("**ky=nam**")
    page.wait_for_function("document.querySelector('#filters-period-label').innerText.startsWith('Năm 2022')")
    page.wait_for_load_state("networkidle")
    assert "don_vi=SKHDT" in page.url
    before = _figures(page, "tong-quan")
    again, errors2 = _open(browser, page.url)
    assert _figures(again, "tong-quan") == before
    assert again.locator("#filters-period-label").inner_text().startswith("Năm 2022")
    assert errors == [] and errors2 == []


def test_nav_links_keep_the_filters(browser, app_url):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/?{SKHDT_H1}&nhom=district")
    hrefs = [a.get_attribute("href") for a in page.locator("nav a.nav-link").all()]
    names = [a.inner_text() for a in page.locator("nav a.nav-link").all()]
    assert names[:2] == ["Tổng quan", "Đơn vị"] and names[-1] == "Dữ liệu"
    assert all("don_vi=SKHDT" in h and "nua=1" in h and "nhom" not in h for h in hrefs)
    assert errors == []


@pytest.mark.parametrize("path", ["/?ky=abc&nam=99999&quy=7&don_vi=KHONG_CO&linh_vuc=%%%&tu=2022-13-45",
                                  "/don-vi?ky=tuy_chon&tu=x&den=y&chi_tieu=bogus&cap=moon&don_vi=;DROP",
                                  "/?ky=quy&nam=2022&quy=4&nhom=<script>"])
def test_garbage_in_the_url_falls_back_without_error(browser, app_url, path):  # noqa: F811
    page, errors = _open(browser, app_url + path)
    assert page.locator("#filters-period-label").inner_text() == "Quý IV/2022 (từ 01/10/2022 đến 31/12/2022)"
    default, _ = _open(browser, app_url + "/")
    prefix = "don-vi" if path.startswith("/don-vi") else "tong-quan"
    if prefix == "tong-quan":
        assert _figures(page, prefix) == _figures(default, prefix)
    else:
        assert "Sở Kế hoạch và Đầu tư" in page.locator("#don-vi-ranking-table").inner_text()
    # What the link asked for and could not get is said above the figures (not silently replaced).
    # A bad page-only choice (nhom) simply falls back: it changes no figure, so nothing to warn about.
    if "nhom=" in path:
        assert page.locator("#filters-link-notice").count() == 0
    else:
        notice = page.locator("#filters-link-notice").inner_text()
        assert "đang hiển thị" in notice and ("«abc»" in notice or "«;DROP»" in notice)
    assert default.locator("#filters-link-notice").count() == 0
    assert errors == []


# -- the dashboard helpers against the engine they summarize (no browser) -----------------------------------

def test_scorecard_agrees_with_compute_indicator(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    period = Period.quarter(2022, 2)
    for unit in (None, "Q1", "SKHDT"):
        card = {c["id"]: c for c in compute_scorecard(con, period, unit, None, RATES)["indicators"]}
        for ind in RATES:
            ref = compute_indicator(con, ind, period, by="unit", unit=unit)["total"]
            got = card[ind]
            assert (got["value"], got["target"], got["comparator"], got["is_met"]) == \
                (ref["value"], ref["target"], ref["comparator"], ref["is_met"]), (unit, ind)
            assert got["previous_value"] == ref["previous_value"], (unit, ind)
            assert got["gap"] == pytest.approx(ref["gap_points"]) if ref["gap_points"] is not None else got["gap"] is None


def test_rankings_hold_one_level_and_are_ordered(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    wards = compute_ranking(con, "late_rate", Period.year(2022), "ward", within="Q1")["rows"]
    assert wards and all(r["level"] == "ward" and r["parent_code"] == "Q1" for r in wards)
    values = [r["value"] for r in wards if r["value"] is not None]
    assert values == sorted(values)   # lower is better for the late rate
    districts = compute_ranking(con, "on_time_rate", Period.year(2022), "district")["rows"]
    values = [r["value"] for r in districts if r["value"] is not None]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize("page_path, page_id", [("/", "tong-quan"), ("/don-vi", "don-vi")])
def test_a_period_without_dossiers_is_said_not_drawn_as_zeros(browser, app_url, page_path, page_id):  # noqa: F811
    # The demo has surveys for 2021 (so 2021 is offered) but dossiers from 2022 only.
    page, errors = _open(browser, f"{app_url}{page_path}?ky=nam&nam=2021")
    notice = page.locator(f"#{page_id}-no-data").inner_text()
    assert "Không có số liệu hồ sơ" in notice and "2021" in notice
    assert page.locator(".js-plotly-plot").count() == 0
    assert errors == []


def test_a_merged_unit_points_to_the_unit_it_joined(browser, app_url, demo_db):  # noqa: F811
    # Quận 2 ended on 31/12/2020 and joined TP Thủ Đức (units.csv of the demo); 2022 has no dossiers of its own.
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        successor, name, last_day = con.execute("""SELECT s.unit_code, s.unit_name, u.valid_to FROM units u
                                                   JOIN units s ON s.unit_code = u.successor_code
                                                   WHERE u.unit_code = 'Q2'""").fetchall()[0]
    finally:
        con.close()
    page, errors = _open(browser, f"{app_url}/don-vi?ky=quy&nam=2022&quy=2&don_vi=Q2")
    notice = page.locator("#don-vi-no-data").inner_text()
    assert f"đã sáp nhập vào {name}" in notice and last_day.strftime("%d/%m/%Y") in notice
    page.click("#don-vi-successor-link")
    page.wait_for_url(f"**don_vi={successor}**")
    page.locator("#don-vi-ranking-table").wait_for()
    assert errors == []
