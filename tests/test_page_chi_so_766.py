"""Chỉ số 766 in a real headless Chromium on the demo sample: the city's figure and band are the CLI's, the page
reads in Vietnamese without console errors, the five-group view, the drill-down list and a download work."""
import json
import re
import subprocess
import sys

import duckdb
import pytest
from openpyxl import load_workbook

from common.formats import vn_int, vn_number
from indicators import Period
from indicators.index766 import list_gap_dossiers
from tests.browser_support import ROOT, open_page

JUNE = "ky=thang&nam=2022&thang=6"
# Words a Vietnamese page never shows: English, or the code's own names leaking through.
NOT_VIETNAMESE = re.compile(r"\b(None|nan|NaN|True|False|null|undefined|Loading|Download|Export|Error|page|of|"
                            r"no_data|scored|full_by_rule|zero_by_rule|not_synced|unpaid_online|group|criterion|"
                            r"published_on_time|index766)\b")


def _cli(db, start: str, end: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "indicators", "index766", "--db", str(db), "--from", start, "--to", end,
                           "--by", "level"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.browser
def test_the_city_score_is_the_clis_and_the_page_works(browser, app_url, demo_db, tmp_path):
    cli = _cli(demo_db, "2022-06-01", "2022-06-30")["total"]
    page, errors = open_page(browser, f"{app_url}/chi-so-766?{JUNE}", "chi_so_766_thang_6")
    assert page.locator("#chi-so-766-total").inner_text() == vn_number(cli["total"], 2)
    assert page.locator("#chi-so-766-band").inner_text() == cli["band"]
    assert page.locator("#chi-so-766-coverage").inner_text() == "tính được 100/100 điểm"   # the sample's inputs
    # a week holds none of the monthly 766 inputs: its score covers less, and the page says why under the chart
    week = _cli(demo_db, "2022-06-06", "2022-06-12")["total"]
    assert week["covered_points"] < week["max_points"]
    said = page.locator("#chi-so-766-trend-week-coverage").inner_text()
    least = float(re.search(r"tính được ([\d,]+)/100 điểm", said).group(1).replace(",", "."))
    assert least <= week["covered_points"] and "không phải là sụt giảm" in said
    # the portal's published June score stands beside it, row by row in the reconciliation
    assert page.locator("#chi-so-766-published").inner_text().startswith(
        f"Cổng DVCQG công bố: {vn_number(cli['published']['total'], 2)} điểm")
    assert page.locator("#chi-so-766-reconciliation tbody tr").count() == 1 + 7   # total and six groups
    text = page.locator("#_pages_content").inner_text()
    assert not NOT_VIETNAMESE.search(text), NOT_VIETNAMESE.search(text)
    # every criterion on screen with its points; the ones without data say so
    rows = page.locator("#chi-so-766-criteria tbody tr").count()
    assert rows == 1 + 20   # the header row and 1.1 … 6.6
    # the dossiers behind criterion 1.4: the same count as the list function's
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        from datetime import date
        expected = list_gap_dossiers(con, Period(date(2022, 6, 1), date(2022, 6, 30)), "not_synced", limit=1)
    finally:
        con.close()
    assert page.locator("#chi-so-766-dossier-count").inner_text() == vn_int(expected["total_count"])
    # the decision text's five groups: a click puts nhom=5 in the address and the chart has five bars
    page.get_by_text("5 nhóm (Quyết định 766/QĐ-TTg)").click()
    page.wait_for_url("**nhom=5**")
    page.wait_for_function("document.querySelector('#chi-so-766-groups .js-plotly-plot')?.data?.[0]?.y?.length === 5")
    # while the file is built the button is disabled and says so (before: nothing showed the press was taken)
    page.evaluate("""() => { const b = document.querySelector('#chi-so-766-criteria-download-button');
        window._busySeen = [];
        new MutationObserver(() => window._busySeen.push([b.disabled, b.className]))
            .observe(b, {attributes: true}); }""")
    with page.expect_download() as download:
        page.locator("#chi-so-766-criteria-download-button").click()
    page.wait_for_function("document.querySelector('#chi-so-766-criteria-download-button').disabled === false")
    assert [True, "download-button busy"] in page.evaluate("window._busySeen")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.endswith(".xlsx") and path.name.startswith("chi_so_766_tieu_chi")
    ws = load_workbook(path).active
    values = [r for r in ws.iter_rows(min_row=5, values_only=True)]
    assert [r[0] for r in values] == ["1.1", "1.2", "1.3", "1.4", "2.1", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3",
                                      "5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6"]
    assert values[3][5] == pytest.approx(cli["criteria"]["1.4"]["points"])   # a real number, not text
    assert errors == []


def test_the_demo_sample_scores_every_criterion_and_reconciles(demo_db):
    """The sample's 766 files: the city's monthly figure covers the 100 points, the published total matches it
    (rounded to 0,01), and the units the portal scored lower are explained by the rules, never left without a
    cause (sample/index766.py lowers group 1 only where dossiers were not synchronized, group 5 for ratings)."""
    from indicators.index766 import compute_index766
    from indicators.index766.published import NO_RULE_VI
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        explained = 0
        for month in (1, 6, 7):
            res = compute_index766(con, Period.month(2022, month), by="unit")
            total = res["total"]
            assert total["covered_points"] == 100 and {c["status"] for c in total["criteria"].values()} <= {
                "scored", "full_by_rule"}
            assert total["published"]["difference"] == pytest.approx(0, abs=0.01)
            for r in res["rows"]:
                for item in (r["published"] or {}).get("items", []):
                    if not item["matches"] and item["item"].startswith("group:"):
                        assert item["difference"] > 0 and NO_RULE_VI not in item["causes"], (r["name"], item)
                        explained += 1
        assert explained >= 1
    finally:
        con.close()
