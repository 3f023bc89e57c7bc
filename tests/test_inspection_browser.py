"""The inspection pack from the Đơn vị page in Chromium: Sở Kế hoạch và Đầu tư chosen, 'Tải bộ hồ sơ kiểm tra' pressed,
the Word document built in the background, downloaded and opened — the same pack as the command line's."""
import pytest
from docx import Document

from tests.browser_support import open_page

pytestmark = pytest.mark.browser

QUERY = "/don-vi?ky=quy&nam=2022&quy=2&don_vi=SKHDT"


def test_unit_page_downloads_the_inspection_pack(browser, app_url, tmp_path):
    page, errors = open_page(browser, app_url + QUERY, "don_vi_ho_so_kiem_tra")
    button = page.locator("#don-vi-inspection-download-button")
    assert button.inner_text() == "⬇ Tải bộ hồ sơ kiểm tra (.docx)"
    with page.expect_download(timeout=600_000) as info:
        button.click()
    assert info.value.suggested_filename == "ho_so_kiem_tra_Quy_II_2022_SKHDT.docx"
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    texts = [p.text.replace("\u00a0", " ") for p in Document(str(path)).paragraphs if p.text]
    assert texts[:4] == ["TÀI LIỆU", "Phục vụ Đoàn kiểm tra công tác cải cách hành chính", "tại Sở Kế hoạch và Đầu tư",
                         "(Số liệu Quý II/2022, từ ngày 01/04/2022 đến ngày 30/06/2022; tiến độ kế hoạch CCHC tính "
                         "đến ngày 30/06/2022)"]
    assert any(t.startswith("Từ ngày 01/04/2022 đến ngày 30/06/2022, Sở Kế hoạch và Đầu tư tiếp nhận mới") for t in texts)
    assert any(t.startswith("Kế hoạch CCHC năm 2022 của Sở Kế hoạch và Đầu tư, tính đến ngày 30/06/2022: đã hoàn "
                            "thành") for t in texts)
    assert "VIII. CÂU HỎI ĐỀ NGHỊ ĐƠN VỊ LÀM RÕ" in texts
    page.wait_for_function("document.querySelector('#don-vi-inspection-status').innerText.length > 0")
    assert page.locator("#don-vi-inspection-status").inner_text() == (
        "Đã lập xong: ho_so_kiem_tra_Quy_II_2022_SKHDT.docx")
    assert errors == []
