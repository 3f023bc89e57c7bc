"""Hồ sơ trễ hạn, Lĩnh vực & thủ tục and Trực tuyến & số hóa in a real headless Chromium on the demo sample."""
import json
import pathlib
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from openpyxl import load_workbook

from common.formats import vn_int, vn_value
from indicators import Period, compute_period_table, list_late_dossiers
from indicators.catalogue import list_catalogue_procedures
from indicators.dashboard import compute_ranking
from indicators.engine import compute_catalogue_table
from tests.browser_support import cli_total, open_page as _open

pytestmark = pytest.mark.browser

SKHDT_H1 = "ky=6thang&nam=2022&nua=1&don_vi=SKHDT"
H1 = Period.half(2022, 1)
LATE = "ho-so-tre-han"


@pytest.fixture(scope="module")
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def _cells(page, table: str, column: str) -> list[str]:
    # "Network idle" can come between two callbacks on a busy machine: wait for the table itself first.
    page.locator(f"#{table}").wait_for()
    return [c.inner_text().strip() for c in page.locator(f"#{table} td[data-dash-column={column}]").all()]


def _download(page, button: str, path: pathlib.Path) -> pathlib.Path:
    with page.expect_download(timeout=60_000) as info:
        page.click(button)
    info.value.save_as(path)
    return path


def _late_xlsx_codes(path) -> list[str]:
    """Dossier codes of write_late_dossiers_xlsx's workbook: rows below the header (row 5) numbered in column A."""
    ws = load_workbook(path).active
    return [row[1] for row in ws.iter_rows(min_row=6, values_only=True) if isinstance(row[0], int)]


# -- every page opens ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, shot", [
    (f"/ho-so-tre-han?{SKHDT_H1}", "ho_so_tre_han_skhdt"), ("/ho-so-tre-han?ky=nam&nam=2022", "ho_so_tre_han"),
    ("/linh-vuc?ky=nam&nam=2022", "linh_vuc"), (f"/linh-vuc?{SKHDT_H1}", "linh_vuc_skhdt"),
    ("/truc-tuyen?ky=6thang&nam=2022&nua=1", "truc_tuyen"), (f"/truc-tuyen?{SKHDT_H1}", "truc_tuyen_skhdt"),
    ("/truc-tuyen?ky=quy&nam=2022&quy=3&don_vi=Q1&chi_tieu=digitized_rate", "truc_tuyen_q1"),
])
def test_pages_open_without_console_errors(browser, app_url, path, shot):  # noqa: F811
    page, errors = _open(browser, app_url + path, shot)
    assert page.locator("#filters-period-label").inner_text()
    assert page.locator(".scope-title").first.inner_text()
    assert errors == []


@pytest.mark.parametrize("path", ["/ho-so-tre-han", "/linh-vuc", "/truc-tuyen"])
def test_a_period_without_dossiers_says_so(browser, app_url, path):  # noqa: F811
    page, errors = _open(browser, f"{app_url}{path}?ky=tuy_chon&tu=2030-01-01&den=2030-01-31")
    notice = page.locator(f"#{path.strip('/')}-no-data").inner_text()
    assert "Không có số liệu trong kỳ này" in notice and "01/01/2030" in notice
    assert page.locator(".js-plotly-plot").count() == 0   # no empty chart
    assert errors == []


# -- Hồ sơ trễ hạn ------------------------------------------------------------------------------------------

def test_late_list_for_skhdt_matches_the_cli(browser, app_url, demo_db, tmp_path):  # noqa: F811
    total = cli_total(demo_db, "2022-01-01", "2022-06-30", "SKHDT")
    page, errors = _open(browser, f"{app_url}/ho-so-tre-han?{SKHDT_H1}")
    assert page.locator(f"#{LATE}-resolved-late").inner_text() == vn_int(total["resolved_late"]) == "4"
    assert page.locator(f"#{LATE}-pending-overdue").inner_text() == vn_int(total["pending_overdue"])
    assert page.locator(f"#{LATE}-total").inner_text() == vn_int(total["resolved_late"] + total["pending_overdue"])
    codes = _cells(page, f"{LATE}-table", "dossier_code")
    assert len(codes) == 4 and all(c.startswith("H29.SKHDT") for c in codes)
    assert _late_xlsx_codes(_download(page, f"#{LATE}-download-button", tmp_path / "skhdt.xlsx")) == codes

    page.locator(f"#{LATE}-table td[data-dash-column=dossier_code]").nth(1).click()
    page.locator(f"#{LATE}-detail.detail-drawer--open").wait_for()
    assert page.locator(f"#{LATE}-detail-code").inner_text() == codes[1]
    detail = page.locator(f"#{LATE}-detail").inner_text()
    assert "Ngày hẹn trả" in detail and "Sở Kế hoạch và Đầu tư" in detail and "Phiếu xin lỗi" in detail
    link = page.locator(f"#{LATE}-detail-link").get_attribute("href")
    assert parse_qs(urlparse(link).query)["ho_so"] == [f"default:{codes[1]}"]
    page.click(f"#{LATE}-detail-close")
    page.wait_for_function(f"!document.querySelector('#{LATE}-detail').classList.contains('detail-drawer--open')")

    # The link in the panel opens the same dossier for whoever receives it.
    again, errors2 = _open(browser, app_url + link)
    assert again.locator(f"#{LATE}-detail-code").inner_text() == codes[1]
    # Closed, it leaves the address too: a reload shows the list, not the panel again.
    again.click(f"#{LATE}-detail-close")
    again.wait_for_function("!location.search.includes('ho_so=')")
    again.reload()
    again.wait_for_load_state("networkidle")
    assert again.locator(f"#{LATE}-detail.detail-drawer--open").count() == 0
    assert errors == [] and errors2 == []


def test_late_download_holds_the_whole_list_not_the_page(browser, app_url, con, tmp_path):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/ho-so-tre-han?ky=nam&nam=2022")
    expected = list_late_dossiers(con, Period.year(2022), limit=None)
    shown = page.locator(f"#{LATE}-total").inner_text()
    assert shown == vn_int(expected["total_count"]) and expected["total_count"] > 100
    first_page = _cells(page, f"{LATE}-table", "dossier_code")
    assert len(first_page) == 25   # one page in the browser, never the whole list
    codes = _late_xlsx_codes(_download(page, f"#{LATE}-download-button", tmp_path / "nam.xlsx"))
    assert len(codes) == expected["total_count"]
    assert codes[:25] == first_page   # same order as the screen
    assert "Đã tạo tệp Excel" in page.locator(f"#{LATE}-download-status").inner_text()

    page.locator(f"#{LATE}-table .next-page").click()
    page.wait_for_function(f"document.querySelector('#{LATE}-table td[data-dash-column=dossier_code]')"
                           f".innerText.trim() !== {json.dumps(first_page[0])}")
    assert _cells(page, f"{LATE}-table", "dossier_code") == codes[25:50]
    assert errors == []


def test_late_page_filters_live_in_the_url(browser, app_url, con):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/ho-so-tre-han?ky=nam&nam=2022")
    page.locator(f"#{LATE}-loai input[value=dang_qua_han]").click()
    page.wait_for_url("**loai=dang_qua_han**")
    page.wait_for_function(f"document.querySelector('#{LATE}-resolved-late') && "
                           f"document.querySelector('#{LATE}-resolved-late').innerText === '0'")
    expected = list_late_dossiers(con, Period.year(2022), kind="pending_overdue", limit=1)
    assert page.locator(f"#{LATE}-total").inner_text() == vn_int(expected["total_count"])
    page.fill(f"#{LATE}-so-ngay", "10")
    page.press(f"#{LATE}-so-ngay", "Enter")
    page.wait_for_url("**so_ngay=10**")
    expected = list_late_dossiers(con, Period.year(2022), kind="pending_overdue", min_days_late=10, limit=1)
    page.wait_for_function(f"document.querySelector('#{LATE}-total') && document.querySelector('#{LATE}-total')"
                           f".innerText === {json.dumps(vn_int(expected['total_count']))}")
    assert "ky=nam" in page.url and "nam=2022" in page.url
    # The same link shows the same list.
    again, errors2 = _open(browser, page.url)
    assert again.locator(f"#{LATE}-total").inner_text() == vn_int(expected["total_count"])
    assert again.locator(f"#{LATE}-loai input[value=dang_qua_han]").is_checked()
    assert errors == [] and errors2 == []


def test_the_unit_page_link_opens_this_units_late_list(browser, app_url, demo_db):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/don-vi?{SKHDT_H1}")
    page.click("#don-vi-late-link")
    page.wait_for_url("**/ho-so-tre-han?**")
    page.locator(f"#{LATE}-resolved-late").wait_for()
    assert page.locator(f"#{LATE}-resolved-late").inner_text() == \
        vn_int(cli_total(demo_db, "2022-01-01", "2022-06-30", "SKHDT")["resolved_late"])
    assert "Sở Kế hoạch và Đầu tư" in page.locator(f"#{LATE}-scope").inner_text()
    assert errors == []


# -- Lĩnh vực & thủ tục -------------------------------------------------------------------------------------

def test_sector_late_counts_match_the_engine(browser, app_url, con):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/linh-vuc?{SKHDT_H1}")
    table = compute_period_table(con, H1, by="field", unit="SKHDT")
    expected = {r["name"]: r["resolved_late"] + r["pending_overdue"] for r in table["rows"]}
    names = _cells(page, "linh-vuc-sectors", "name")
    lates = _cells(page, "linh-vuc-sectors", "late_total")
    assert names and {n: l for n, l in zip(names, lates)} == {n: vn_int(expected[n]) for n in names}
    assert errors == []


def test_clicking_a_sector_filters_the_procedures(browser, app_url, con):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/linh-vuc?ky=nam&nam=2022", "linh_vuc_nam")
    top = max(compute_period_table(con, Period.year(2022), by="field")["rows"],
              key=lambda r: r["resolved_late"] + r["pending_overdue"])
    page.locator("#linh-vuc-sectors td[data-dash-column=name]").first.click()
    page.wait_for_url("**linh_vuc=**")
    page.locator("#linh-vuc-selected-late").wait_for()
    assert page.locator("#linh-vuc-selected-late").inner_text() == vn_int(top["resolved_late"] + top["pending_overdue"])
    assert top["name"] in page.locator("#linh-vuc-procedures-title").inner_text()
    procedures = compute_period_table(con, Period.year(2022), by="procedure", field=top["key"])["rows"]
    fields = set(_cells(page, "linh-vuc-procedures", "field"))
    assert fields == {top["key"]}
    worst = max(procedures, key=lambda r: (r["resolved_late"] + r["pending_overdue"]))
    assert _cells(page, "linh-vuc-procedures", "late_total")[0] == vn_int(worst["resolved_late"] + worst["pending_overdue"])

    # A procedure's late count opens the list of exactly those dossiers, with the same filters.
    link = page.locator("#linh-vuc-procedures td[data-dash-column=resolved_late_link] a").first
    href = link.get_attribute("href")
    query = parse_qs(urlparse(href).query)
    assert urlparse(href).path == "/ho-so-tre-han"
    assert query["ky"] == ["nam"] and query["nam"] == ["2022"] and query["linh_vuc"] == [top["key"]]
    assert query["loai"] == ["da_giai_quyet"]
    shown = link.inner_text()
    link.click()
    page.wait_for_url("**/ho-so-tre-han?**")
    page.locator(f"#{LATE}-total").wait_for()
    assert page.locator(f"#{LATE}-resolved-late").inner_text() == shown
    assert page.locator(f"#{LATE}-procedure").inner_text().startswith(query["thu_tuc"][0])
    assert errors == []


def test_sector_table_downloads_as_xlsx(browser, app_url, con, tmp_path):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/linh-vuc?ky=nam&nam=2022")
    path = _download(page, "#linh-vuc-procedures-download-button", tmp_path / "thu_tuc.xlsx")
    ws = load_workbook(path).active
    header = [c.value for c in ws[4]]
    assert header[:2] == ["Mã TTHC", "Tên thủ tục hành chính"] and "Giải quyết quá hạn" in header
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(rows) == len(compute_period_table(con, Period.year(2022), by="procedure")["rows"])
    assert errors == []


# -- Trực tuyến & số hóa ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, start, end, unit", [(SKHDT_H1, "2022-01-01", "2022-06-30", "SKHDT"),
                                                     ("ky=quy&nam=2022&quy=3", "2022-07-01", "2022-09-30", None)])
def test_online_rate_card_matches_the_cli(browser, app_url, demo_db, query, start, end, unit):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/truc-tuyen?{query}")
    total = cli_total(demo_db, start, end, unit)
    assert page.locator("#truc-tuyen-card-online-rate-value").inner_text() == vn_value(total["online_rate"])
    for ind in ("paid_online_rate", "digitized_rate", "e_result_rate", "data_reuse_rate", "sync_rate"):
        assert page.locator(f"#truc-tuyen-card-{ind.replace('_', '-')}-value").inner_text() == vn_value(total[ind])
    card = page.locator("#truc-tuyen-card-online-rate").inner_text()
    assert ("✔ Đạt" in card) == (total["online_rate"] >= 0.3) and "≥ 30 %" in card
    assert errors == []


def test_online_ranking_keeps_peer_groups_apart(browser, app_url):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/truc-tuyen?ky=nam&nam=2022&cap=district")
    ranking = page.locator("#truc-tuyen-ranking-table").inner_text()
    assert "Quận 1" in ranking and "Sở " not in ranking and "Phường" not in ranking
    page.locator("#truc-tuyen-cap input[value=department]").click()
    page.wait_for_url("**cap=department**")
    page.wait_for_function("document.querySelector('#truc-tuyen-ranking-table') && "
                           "document.querySelector('#truc-tuyen-ranking-table').innerText.includes('Sở ')")
    assert "Quận " not in page.locator("#truc-tuyen-ranking-table").inner_text()
    assert errors == []


def test_catalogue_by_online_level(browser, app_url, con):  # noqa: F811
    page, errors = _open(browser, f"{app_url}/truc-tuyen?{SKHDT_H1}")
    expected = compute_period_table(con, H1, by="unit", unit="SKHDT")["total"]
    assert page.locator("#truc-tuyen-catalogue-total").inner_text() == vn_int(expected["procedure_count"])
    assert page.locator("#truc-tuyen-catalogue-full").inner_text() == vn_int(expected["online_procedures_full"])
    assert page.locator("#truc-tuyen-catalogue-partial").inner_text() == vn_int(expected["online_procedures_partial"])
    page.locator("#truc-tuyen-muc-do input[value=mot_phan]").click()
    only_partial = ("[...document.querySelectorAll('#truc-tuyen-catalogue-table td[data-dash-column=online_level_name]')]"
                    ".every(td => td.innerText.trim() === 'Một phần')")
    page.wait_for_function(only_partial)
    page.wait_for_url("**muc_do=mot_phan**")
    # The URL is the view: opened as a link, it shows the same list with the same choice ticked.
    shared, shared_errors = _open(browser, page.url)
    shared.wait_for_function(only_partial)
    assert shared.locator("#truc-tuyen-muc-do input[value=mot_phan]").is_checked()
    assert errors == [] and shared_errors == []


# -- the read-only helpers behind the pages (no browser) ----------------------------------------------------

def test_catalogue_list_adds_up_to_the_engines_catalogue_columns(con):
    for unit in (None, "SKHDT", "Q1"):
        total = compute_period_table(con, H1, by="unit", unit=unit)["total"]
        counts = list_catalogue_procedures(con, unit, start=H1.start, end=H1.end)["counts"]
        if unit == "SKHDT":   # one unit: distinct procedures are its own catalogue
            assert counts["full"] == total["online_procedures_full"]
            assert counts["partial"] == total["online_procedures_partial"]
            assert sum(counts.values()) == total["procedure_count"]
        else:                 # many units: the list counts a procedure once, the engine once per unit
            assert sum(counts.values()) <= total["procedure_count"]


def test_catalogue_table_lists_units_without_dossiers(con):
    before_the_data = Period.month(2019, 1)
    assert compute_period_table(con, before_the_data, by="unit")["rows"] == []
    table = compute_catalogue_table(con, before_the_data, by="unit", unit="Q1")
    wards = [r for r in table["rows"] if r["key"] != "Q1"]
    assert len(wards) >= 5
    for row in wards:   # a ward's own catalogue, counted by the list route
        counts = list_catalogue_procedures(con, row["key"], start=before_the_data.start,
                                           end=before_the_data.end)["counts"]
        assert row["procedure_count"] == sum(counts.values()) > 0
        assert row["online_procedures"] == counts["full"] + counts["partial"]
        assert row["online_procedure_rate"] == pytest.approx(row["online_procedures"] / row["procedure_count"])


def test_namesake_wards_are_told_apart_by_their_district(con):
    # The demo has a "Phường 1" in several districts: one bar per ward in a ranking, one row per ward in a table.
    namesakes = con.execute("""SELECT u.unit_code, u.unit_name, p.unit_name FROM units u
                               JOIN units p ON p.unit_code = u.parent_code
                               WHERE u.unit_name IN (SELECT unit_name FROM units GROUP BY 1 HAVING count(*) > 1)""").fetchall()
    assert len(namesakes) >= 10
    ranking = compute_ranking(con, "on_time_rate", Period.year(2022), "ward")
    names = [r["name"] for r in ranking["rows"]]
    assert len(names) == len(set(names))
    table = {r["key"]: r["name"] for r in compute_period_table(con, Period.year(2022), by="unit")["rows"]}
    ranked = {r["code"]: r["name"] for r in ranking["rows"]}
    for code, name, parent in namesakes:
        assert table.get(code, f"{name} – {parent}") == ranked.get(code, f"{name} – {parent}") == f"{name} – {parent}"


def test_late_list_by_procedure_matches_the_period_table(con):
    table = compute_period_table(con, H1, by="procedure", unit="Q1")
    for row in [r for r in table["rows"] if r["resolved_late"] or r["pending_overdue"]][:15]:
        got = list_late_dossiers(con, H1, "Q1", procedure=row["key"], limit=1)["counts"]
        assert (got["resolved_late"], got["pending_overdue"]) == (row["resolved_late"], row["pending_overdue"])
