"""The Báo cáo page in Chromium: the official period chosen in the filter bar, then each file downloaded from the
page (Playwright expect_download) and opened — the form, the Word document, the workbook and the pack built in the
background with its progress shown. One page load."""
import re
import zipfile

import openpyxl
import pytest
from docx import Document

from exports.report_xlsx import SHEETS
from tests.browser_support import open_page

pytestmark = pytest.mark.browser

# Huyện Cần Giờ: seven wards, so the pack (one report per ward) takes seconds, not minutes.
QUERY = "/bao-cao?ky=quy&nam=2022&quy=2&don_vi=CG"


def _download(page, name: str, folder, timeout: float = 120_000):
    with page.expect_download(timeout=timeout) as info:
        page.locator(f"#bao-cao-{name}-download-button").click()
        if name == "pack":   # the job reports its progress while it runs
            page.wait_for_function("document.querySelector('#bao-cao-pack-progress-text').innerText.length > 0",
                                   timeout=timeout)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_report_page_downloads_every_file_for_the_official_window(browser, app_url, tmp_path):
    page, errors = open_page(browser, app_url + QUERY, "bao_cao")
    assert page.locator("#filters-period-label").inner_text() == "Quý II/2022 (từ 01/04/2022 đến 30/06/2022)"
    # The official window, chosen beside the calendar periods, goes into the URL and every title.
    page.locator("#filters-loai-ky").click()
    page.get_by_text("Kỳ báo cáo chính thức (15 – 14)", exact=True).click()
    page.wait_for_function("document.querySelector('#filters-period-label').innerText.startsWith('Kỳ báo cáo chính')")
    assert "chinh_thuc=1" in page.url
    assert page.locator("#filters-period-label").inner_text() == (
        "Kỳ báo cáo chính thức Quý II/2022 (15/03/2022 – 14/06/2022)")
    page.wait_for_load_state("networkidle")

    form = _download(page, "form", tmp_path)
    assert form.name == "bieu_06a_Quy_II_2022_chinh_thuc_CG.xlsx"
    ws = openpyxl.load_workbook(form).active
    assert ws["J1"].value == "Biểu số 06a/VPCP/KSTT" and ws["J2"].value == "Đơn vị báo cáo: UBND Huyện Cần Giờ"
    assert ws["A6"].value == ("Kỳ báo cáo: Quý II/2022 – kỳ báo cáo chính thức (từ ngày 15/03/2022 đến ngày "
                              "14/06/2022)")

    document = _download(page, "document", tmp_path)
    assert document.suffix == ".docx"
    texts = [p.text for p in Document(str(document)).paragraphs]
    assert "BÁO CÁO" in texts and "của Huyện Cần Giờ" in texts
    assert "(Kỳ báo cáo chính thức: từ ngày 15/03/2022 đến ngày 14/06/2022)" in texts

    workbook = _download(page, "workbook", tmp_path)
    wb = openpyxl.load_workbook(workbook)
    assert wb.sheetnames == list(SHEETS)
    assert "Kỳ báo cáo chính thức Quý II/2022" in wb["Tổng hợp"]["A1"].value

    pack = _download(page, "pack", tmp_path, timeout=600_000)
    assert pack.suffix == ".zip"
    with zipfile.ZipFile(pack) as z:
        names = z.namelist()
    wards = [n for n in names if n.endswith(".docx")]
    assert len(wards) == 7 and len([n for n in names if n.endswith(".xlsx")]) == 7, names
    assert all(re.match(r"bao_cao_Quy_II_2022_.+\.docx$", n) for n in wards)
    assert page.locator("#bao-cao-pack-status").inner_text() == "Đã lập xong gói 7 báo cáo."
    assert errors == []
