"""Each role logs in through the login page in a real headless Chromium and sees exactly its pages: its name
and role in the header, the navigation of its role, the audit page for admins only, and a way out."""
import pytest

from tests.accounts_support import PASSWORDS, serve_with_accounts
from tests.browser_support import new_page, show, stop_app

pytestmark = pytest.mark.browser

FIGURE_PAGES = ["Tổng quan", "Đơn vị", "Lĩnh vực & thủ tục", "Trực tuyến & số hóa", "Hồ sơ trễ hạn", "Hài lòng",
                "Chỉ số 766", "Chỉ số CCHC", "Kế hoạch CCHC", "Báo cáo"]
SEEN = {"quantri": ("quản trị", FIGURE_PAGES + ["Dữ liệu", "Nhật ký"]),
        "chuyenvien": ("chuyên viên", FIGURE_PAGES + ["Dữ liệu"]),
        "lanhdao": ("lãnh đạo", FIGURE_PAGES + ["Dữ liệu"]),
        "donvi": ("đơn vị", FIGURE_PAGES)}


@pytest.fixture(scope="module")
def server(fixture_db, tmp_path_factory):
    url, db, proc = serve_with_accounts(fixture_db, tmp_path_factory.mktemp("accounts_browser"))
    yield url
    stop_app(proc)


@pytest.mark.parametrize("name", list(SEEN))
def test_each_role_logs_in_and_sees_its_pages(browser, server, name):
    label, pages = SEEN[name]
    page, errors = new_page(browser)
    page.goto(server + "/ho-so-tre-han")
    assert page.url.startswith(server + "/dang-nhap?next=")          # sent to the login page first
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORDS[name])
    page.get_by_role("button", name="Đăng nhập").click()
    show(page, shot=f"dang_nhap_{name}")
    assert page.url == server + "/ho-so-tre-han"                      # …and back to the page asked for
    assert page.locator("#app-user .app-user-name").inner_text() == name
    assert page.locator("#app-user .app-user-role").inner_text() == f"· {label}"
    assert page.locator("nav .nav-link").all_inner_texts() == pages
    assert page.locator("#trial-banner").count() == 0
    # A forged address gets the refusal, not the page.
    for path, allowed in (("/du-lieu", "Dữ liệu" in pages), ("/nhat-ky", "Nhật ký" in pages)):
        response = page.request.get(server + path)
        assert response.status == (200 if allowed else 403), path
    if name == "quantri":
        show(page, server + "/nhat-ky", "nhat_ky")
        events = page.locator("#nhat-ky-events").inner_text()
        assert "Đăng nhập" in events and name in events and "Tạo tài khoản" in events
    assert errors == []
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(server + "/dang-nhap")
    page.goto(server + "/")
    assert page.url.startswith(server + "/dang-nhap")
    page.close()
