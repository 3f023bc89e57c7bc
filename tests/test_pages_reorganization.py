"""The dashboard on the 2025–2026 sample in a real headless Chromium: it opens on 2026 with no district level, an old
ward's name finds the new ward, a 2025 period shows the structures before and after 01/07/2025 apart, and a new ward's
page shows the wards it was formed from."""
import pytest

from tests.browser_support import new_page, show

pytestmark = pytest.mark.browser
# A page of this sample drawn for the first time on a machine the whole suite keeps busy can take longer than
# Playwright's 30 seconds (the demo sample's pages are warmed by many tests; these are opened once).
FIRST_DRAW_MS = 180_000


def _open(browser, url: str, shot: str):
    page, errors = new_page(browser)
    page.set_default_timeout(FIRST_DRAW_MS)
    show(page, url, shot)
    return page, errors


def test_opens_on_2026_without_districts_and_an_old_name_finds_the_new_ward(browser, app_url_2026):
    page, errors = _open(browser, f"{app_url_2026}/", "tong_quan_2026")
    assert page.locator("#filters-period-label").inner_text() == "Quý III/2026 (từ 01/07/2026 đến 30/09/2026)"
    assert page.locator("#app-freshness").inner_text() == "Số liệu đến ngày 30/11/2026"
    groupings = page.locator("#tong-quan-nhom").inner_text()
    assert "Sở, ban, ngành" in groupings and "Quận, huyện" not in groupings
    assert page.locator("#filters-reorganization-notice").count() == 0
    page.locator("#filters-don-vi").click()
    page.keyboard.type("Bến Nghé")
    option = page.get_by_role("option", name="Phường Sài Gòn – trước đây: Phường Bến Nghé", exact=False)
    option.click()
    page.wait_for_url("**don_vi=P.SAI_GON**")
    page.wait_for_function("document.querySelector('#tong-quan-scope')?.innerText === 'Phường Sài Gòn'")
    assert errors == []


def test_a_2025_period_shows_both_structures_and_a_new_ward_its_predecessors(browser, app_url_2026):
    page, errors = _open(browser, f"{app_url_2026}/don-vi?ky=nam&nam=2025", "don_vi_2025")
    assert "từ ngày 01/07/2025" in page.locator("#filters-reorganization-notice").inner_text()
    before = page.locator("#don-vi-ranking-table-p1").inner_text()
    after = page.locator("#don-vi-ranking-table").inner_text()
    assert "Sở Kế hoạch và Đầu tư (đến 28/02/2025)" in before and "Sở Nông nghiệp và Môi trường" in after
    assert "Sở Kế hoạch và Đầu tư" not in after
    assert page.locator("#don-vi-ranking-heading-p1").inner_text() == "Cơ cấu đơn vị từ 01/01/2025 đến 30/06/2025"

    page, errors2 = _open(browser, f"{app_url_2026}/don-vi?ky=nam&nam=2025&don_vi=P.SAI_GON", "don_vi_phuong_sai_gon")
    text = page.locator("#don-vi-predecessors-text").inner_text()
    assert text.startswith("Phường Sài Gòn từ ngày 01/07/2025 được hình thành từ: toàn bộ Phường Bến Nghé")
    table = page.locator("#don-vi-predecessors-table").inner_text()
    assert "Phường Cầu Kho" in table and "50 %" in table and "dân số" in table and "Cộng (ước tính)" in table
    assert "ước tính" in page.locator("#don-vi-predecessors-estimate").inner_text()
    assert errors == [] and errors2 == []
