"""Screenshots of every dashboard page at 1366 and 390 px (the first screen of each) into docs/man_hinh/, linked
from the README. Serves the demo sample on a free port with `python app.py`:

    .venv/bin/python scripts/screenshots.py                       # data/sample_demo.duckdb
    .venv/bin/python scripts/screenshots.py --db other.duckdb --out /tmp/shots
"""
from __future__ import annotations

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, show, start_app, stop_app  # noqa: E402

# (file stem, address): every page of the nav, the city view of the latest quarter, plus a unit's own view.
PAGES = [("tong_quan", "/"), ("don_vi", "/don-vi"), ("don_vi_quan_1", "/don-vi?ky=nam&nam=2022&don_vi=Q1"),
         ("linh_vuc", "/linh-vuc"), ("truc_tuyen", "/truc-tuyen"), ("ho_so_tre_han", "/ho-so-tre-han"),
         ("hai_long", "/hai-long"), ("chi_so_766", "/chi-so-766"), ("chi_so_cchc", "/chi-so-cchc"),
         ("ke_hoach", "/ke-hoach"), ("bao_cao", "/bao-cao"), ("du_lieu", "/du-lieu"), ("nhat_ky", "/nhat-ky"),
         ("khong_tim_thay", "/khong-co-trang-nay")]
SIZES = [(1366, 768), (390, 844)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=pathlib.Path, default=ROOT / "data" / "sample_demo.duckdb")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "docs" / "man_hinh")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    args.out.mkdir(parents=True, exist_ok=True)
    url, proc = start_app(args.db, args.out / "app.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for width, height in SIZES:
                page = browser.new_page(viewport={"width": width, "height": height})
                for stem, path in PAGES:
                    show(page, url + path)
                    # charts are drawn after the layout arrives: wait for every one (or give up after 60 s)
                    page.wait_for_function("[...document.querySelectorAll('.dash-graph')]"
                                           ".every(g => g.querySelector('.main-svg'))", timeout=60_000)
                    page.screenshot(path=str(args.out / f"{stem}_{width}.png"))
                    print(f"{stem}_{width}.png", flush=True)
                page.close()
            browser.close()
    finally:
        stop_app(proc)
        (args.out / "app.log").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
