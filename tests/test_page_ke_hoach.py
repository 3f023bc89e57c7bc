"""Kế hoạch CCHC in a real headless Chromium on the demo sample: every sentence, count and list on screen is the
CLI's (`python -m indicators tasks`), the cut-off date changes them, the workbook downloads and reads back."""
import io
import pathlib

import pytest

from common.formats import vn_int
from tests.browser_support import cli_json, open_page, show
from tests.browser_support import text_of as _text

def _cli(db, as_of: str) -> dict:
    return cli_json(db, "tasks", "--as-of", as_of)


@pytest.mark.browser
def test_the_inspection_date_matches_the_cli(browser, app_url, demo_db):
    cli = _cli(demo_db, "2022-08-08")
    page, errors = open_page(browser, f"{app_url}/ke-hoach?nam=2022&ngay=2022-08-08", "ke_hoach")
    assert _text(page, "ke-hoach-sentence-SKHDT") == \
        "Sở Kế hoạch và Đầu tư: đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện"
    for row in cli["rows"]:
        assert _text(page, f"ke-hoach-sentence-{row['key']}") == f"{row['name']}: {row['sentence']}", row["key"]
    total = cli["total"]
    assert _text(page, "ke-hoach-total-sentence") == f"Toàn thành phố: {total['sentence']}"
    for card, key in (("tasks", "tasks"), ("done", "done"), ("under-way", "under_way"), ("overdue", "overdue"),
                      ("recurring", "recurring"), ("targets", "targets_done")):
        assert _text(page, f"ke-hoach-{card}-value") == vn_int(total[key]), card
    assert _text(page, "ke-hoach-overdue-count").startswith(f"{vn_int(len(cli['overdue']))} nhiệm vụ")
    assert _text(page, "ke-hoach-unreadable-title").startswith(vn_int(len(cli["unreadable"])))
    assert _text(page, "ke-hoach-unmatched-title").startswith(vn_int(len(cli["unmatched"])))
    page.wait_for_selector("#ke-hoach-bars .js-plotly-plot .main-svg")
    bars = page.evaluate("document.querySelector('#ke-hoach-bars .js-plotly-plot').data[0].y")
    assert bars == [r["name"] for r in cli["rows"]]        # a bar per unit, in the same order
    assert errors == []


@pytest.mark.browser
def test_the_cut_off_date_changes_the_figures_and_the_workbook_downloads(browser, app_url, demo_db):
    from openpyxl import load_workbook

    # A link with garbage falls back to the defaults: the newest plan year, its newest report date (2022 is not the
    # current year), units by the plans they issued.
    page, errors = open_page(browser, f"{app_url}/ke-hoach?nam=abc&ngay=2022-13-45&theo=moon&don_vi=;DROP")
    assert _text(page, "ke-hoach-scope") == "Kế hoạch cải cách hành chính năm 2022 – tính đến ngày 15/12/2022"
    page.locator("#ke-hoach-report-2022-09-30").click()
    page.wait_for_url("**ngay=2022-09-30**")
    page.wait_for_function("document.querySelector('#ke-hoach-scope').innerText.endsWith('30/09/2022')")
    show(page)
    cli = _cli(demo_db, "2022-09-30")
    skhdt = next(r for r in cli["rows"] if r["key"] == "SKHDT")
    assert _text(page, "ke-hoach-sentence-SKHDT") == f"{skhdt['name']}: {skhdt['sentence']}"
    with page.expect_download() as info:
        page.locator("#ke-hoach-download-button").click()
    wb = load_workbook(io.BytesIO(pathlib.Path(info.value.path()).read_bytes()))
    rows = {r[1]: r for r in wb["Tổng hợp"].iter_rows(min_row=5, values_only=True)}
    assert rows["Sở Kế hoạch và Đầu tư"][2:9] == tuple(skhdt[k] for k in ("tasks", "done", "done_on_time",
                                                                          "done_late", "under_way", "overdue",
                                                                          "recurring"))
    assert wb["Quá hạn"].max_row - 4 == len(cli["overdue"])
    assert info.value.suggested_filename == "ke_hoach_cchc_2022_den_20220930.xlsx"
    assert errors == []
