"""From the overview to one late dossier in at most three clicks, in a real Chromium, on the demo sample."""
import re

import pytest

from tests.browser_support import ARTIFACTS, open_page as _open

pytestmark = pytest.mark.browser


def test_overview_to_a_late_dossier_in_three_clicks(browser, app_url):
    page, errors = _open(browser, app_url + "/?ky=6thang&nam=2022&nua=1&don_vi=SKHDT", "di_tu_tong_quan")
    late_on_overview = page.locator("#tong-quan-resolved-late-value").inner_text()
    assert late_on_overview == "4"   # the published figure of Sở KH&ĐT, first half of 2022

    clicks = 0
    page.click("#tong-quan-resolved-late-link")          # 1: the late count opens the list behind it
    clicks += 1
    page.wait_for_url(re.compile(r"/ho-so-tre-han\?.*loai=da_giai_quyet"))
    page.wait_for_selector("#ho-so-tre-han-resolved-late")
    assert page.locator("#ho-so-tre-han-resolved-late").inner_text() == late_on_overview

    first_code = page.locator('#ho-so-tre-han-table td[data-dash-column="dossier_code"]').first
    code = first_code.inner_text().strip()
    first_code.click()                                    # 2: one dossier's detail
    clicks += 1
    page.wait_for_selector("#ho-so-tre-han-detail-code")
    assert page.locator("#ho-so-tre-han-detail-code").inner_text() == code
    assert clicks <= 3
    page.screenshot(path=str(ARTIFACTS / "ho_so_tre_han_chi_tiet.png"), full_page=True)
    assert errors == []
