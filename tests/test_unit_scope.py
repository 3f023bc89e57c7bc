"""A unit account sees its own subtree only (operations.md, "Who sees what"), enforced where the figures are computed:
on the demo sample, an account of Quận 3 gets Quận 3's figures for every page, callback, download and background
pack, whatever unit a forged address or callback payload names (Quận Gò Vấp here), while an admin asking the same
gets Gò Vấp's."""
import base64
import io
import json
import re
import shutil
import sqlite3
import time
import zipfile
from urllib.parse import urlencode

import duckdb
import openpyxl
import pytest

from tests.accounts_support import Client, accounts_cmd, page_request
from tests.browser_support import cli_json, cli_total, new_page, show, start_app, stop_app

OWN, OTHER = "Q3", "GV"                       # Quận 3 (the account's unit), Quận Gò Vấp (another district)
OWN_NAME, OTHER_NAME = "Quận 3", "Quận Gò Vấp"
PASSWORD = {"quantri": "mk-quan-tri-scope-1", "quan3": "mk-quan-3-scope-2"}
YEAR = {"ky": "nam", "nam": "2022"}           # the sample's year
FIGURE_PAGES = ["/", "/don-vi", "/linh-vuc", "/truc-tuyen", "/ho-so-tre-han", "/hai-long", "/chi-so-766",
                "/chi-so-cchc", "/ke-hoach", "/bao-cao"]


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("unit_scope")
    db = folder / "cchc.duckdb"
    shutil.copyfile(demo_db, db)
    for name, role, unit in (("quantri", "admin", None), ("quan3", "unit", OWN)):
        proc = accounts_cmd("add", name, "--role", role, *(["--unit", unit] if unit else []), "--db", str(db),
                            password=PASSWORD[name])
        assert proc.returncode == 0, proc.stderr
    url, proc = start_app(db, folder / "app.log")
    yield url, db
    stop_app(proc)


@pytest.fixture(scope="module")
def units(server):
    """Codes and names of the two districts' subtrees and of every other unit, read from the database itself."""
    with duckdb.connect(str(server[1]), read_only=True) as con:
        rows = con.execute("SELECT unit_code, unit_name, parent_code, level FROM units").fetchall()
        own = {OWN} | {c for c, _, parent, _ in rows if parent == OWN}
        other = {OTHER} | {c for c, _, parent, _ in rows if parent == OTHER}
        dossier = con.execute("SELECT source, dossier_code FROM dossiers WHERE list_contains($u, unit_code) "
                              "ORDER BY dossier_code LIMIT 1", {"u": sorted(other)}).fetchone()
        own_codes = {r[0] for r in con.execute("SELECT dossier_code FROM dossiers WHERE list_contains($u, unit_code)",
                                               {"u": sorted(own)}).fetchall()}
    # Names no unit of Quận 3's subtree carries (ward names like "Phường 1" repeat across districts: left out).
    own_names = {n for c, n, _, _ in rows if c in own}
    elsewhere = {n for c, n, _, level in rows if c not in own and level in ("district", "department")} - own_names
    return {"own": own, "other": other, "elsewhere": elsewhere, "other_dossier": dossier, "own_dossiers": own_codes}


def _visitor(server, name: str) -> Client:
    visitor = Client(server[0])
    assert visitor.login(name, PASSWORD[name])[0] == 302
    return visitor


def _text(body: str) -> str:
    return json.dumps(json.loads(body), ensure_ascii=False)


def _page(visitor: Client, path: str, query: dict) -> str:
    status, _, body = visitor.callback(page_request(path, "?" + urlencode(query)))
    assert status == 200, body[:500]
    return _text(body)


def _find(tree, component_id: str):
    """The props of the component with this id in a layout sent as JSON."""
    if isinstance(tree, dict):
        props = tree.get("props") if isinstance(tree.get("props"), dict) else None
        if props is not None and props.get("id") == component_id:
            return props
        for value in tree.values():
            found = _find(value, component_id)
            if found is not None:
                return found
    elif isinstance(tree, list):
        for value in tree:
            found = _find(value, component_id)
            if found is not None:
                return found
    return None


def test_every_page_of_a_unit_account_shows_its_subtree_whatever_the_address_asks(server, units):
    admin, unit = _visitor(server, "quantri"), _visitor(server, "quan3")
    for path in FIGURE_PAGES:
        # The admin's view of the city and of Gò Vấp is drawn (and kept in the memo) first: the unit account
        # must not be given it.
        _page(admin, path, YEAR)
        assert OTHER_NAME in _page(admin, path, {**YEAR, "don_vi": OTHER}) or path in ("/chi-so-cchc", "/ke-hoach")
        for query in (YEAR, {**YEAR, "don_vi": OTHER}, {**YEAR, "don_vi": "KHONG_CO"}):
            text = _page(unit, path, query)
            leaked = sorted(name for name in units["elsewhere"] if name in text)
            assert leaked == [], (path, query, leaked)
            assert OWN_NAME in text, (path, query)
    # The words of a forged address: the account's own unit shown, nothing said of the unit asked for — on every
    # figure page (Kế hoạch CCHC and Chỉ số CCHC showed Quận 3 without them; probe 21).
    for path in FIGURE_PAGES:
        text = _page(unit, path, {**YEAR, "don_vi": OTHER})
        assert ("Tài khoản của bạn chỉ xem được số liệu của Quận 3 và các đơn vị trực thuộc; đang hiển thị Quận 3."
                in text), path
    text = _page(unit, "/", {**YEAR, "don_vi": OTHER})
    assert _find(json.loads(text), "tong-quan-scope")["children"] == OWN_NAME
    # and the audit trail names the probing (probe 55: nothing was logged), never the admin's own choice of unit
    with sqlite3.connect(server[1].with_name("cchc.accounts.sqlite")) as con:
        asked = con.execute("SELECT actor, detail FROM audit_log WHERE action = 'out_of_scope'").fetchall()
    assert ("quan3", OTHER) in asked and ("quan3", "KHONG_CO") in asked
    assert all(actor == "quan3" for actor, _ in asked)


def test_a_dossier_of_another_unit_cannot_be_opened(server, units):
    source, code = units["other_dossier"]
    query = {**YEAR, "ho_so": f"{source}:{code}"}
    assert code in _page(_visitor(server, "quantri"), "/ho-so-tre-han", query)
    text = _page(_visitor(server, "quan3"), "/ho-so-tre-han", query)
    assert "Không tìm thấy hồ sơ" in text


def _dependency(visitor: Client, output_part: str) -> dict:
    status, _, body = visitor.get("/_dash-dependencies")
    assert status == 200
    return next(d for d in json.loads(body) if output_part in d["output"])


def _request(dep: dict, values: dict) -> dict:
    """A callback request as the browser sends it, the inputs and states given by 'id.property'."""
    def items(kind):
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in dep[kind]]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in dep["output"].strip(".").split("...")]
    return {"output": dep["output"], "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": items("inputs"), "state": items("state"),
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]}


def _download(visitor: Client, output: str, query: dict, **values) -> tuple[str, bytes]:
    dep = _dependency(visitor, f"{output}.data")
    button = next(i for i in dep["inputs"] if i["property"] == "n_clicks")
    query_state = next(s for s in dep["state"] if s["property"] == "data" and s["id"].endswith("-query"))
    request = _request(dep, {f"{button['id']}.n_clicks": 1, f"{query_state['id']}.data": query, **values})
    status, _, body = visitor.callback(request)
    assert status == 200, (output, body[:500])
    sent = json.loads(body)["response"][output]["data"]
    return sent["filename"], base64.b64decode(sent["content"])


def _cells(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def test_downloads_forged_for_another_unit_send_the_accounts_own_unit(server, units):
    unit = _visitor(server, "quan3")
    forged = {**YEAR, "don_vi": OTHER}
    name, data = _download(unit, "tong-quan-download", forged)
    assert name == f"bang_tong_hop_Nam_2022_{OWN}.xlsx"
    text = json.dumps(_cells(data), ensure_ascii=False, default=str)
    assert OTHER_NAME not in text and "QUẬN 3" in text
    # The table's total is Quận 3's as the command line counts it (an independent route).
    total_row = next(r for r in _cells(data) if len(r) > 6 and r[1] == "Tổng cộng")
    expected = cli_total(server[1], "2022-01-01", "2022-12-31", OWN)
    assert total_row[2] == expected["total_to_handle"] and sum(total_row[4:7]) == expected["received_new"]
    # The late-dossier list: every dossier of the file is one of Quận 3's subtree.
    name, data = _download(unit, "ho-so-tre-han-download", forged)
    assert name == f"ho_so_tre_han_Nam_2022_{OWN}.xlsx"
    codes = {c for row in _cells(data) for c in row if isinstance(c, str) and c in units["own_dossiers"]}
    assert codes, "the list of Quận 3's late dossiers is not empty in the sample"
    other_codes = {units["other_dossier"][1]}
    assert not other_codes & {c for row in _cells(data) for c in row}
    # The same download by an admin names Gò Vấp: the forged field is what decides for everyone else.
    name, _ = _download(_visitor(server, "quantri"), "tong-quan-download", forged)
    assert name == f"bang_tong_hop_Nam_2022_{OTHER}.xlsx"


def test_a_report_forged_for_another_unit_is_the_accounts_own_with_its_rank_and_no_peer(server, units):
    name, data = _download(_visitor(server, "quan3"), "bao-cao-workbook-download", {**YEAR, "don_vi": OTHER})
    assert name == f"bao_cao_Nam_2022_{OWN}.xlsx"
    text = json.dumps(_cells(data), ensure_ascii=False, default=str)
    leaked = sorted(n for n in units["elsewhere"] if n in text)
    assert leaked == [] and "Quận 3 xếp thứ " in text, leaked   # its rank among the districts, in words
    # nor how many of the other districts miss the target (probe 55: «Cấp huyện: 22 đơn vị, 5 đơn vị chưa đạt …»)
    assert not re.search(r"Cấp huyện: \d+ đơn vị", text) and "Cấp huyện: Quận 3 xếp thứ " in text
    # The admin's report of Quận 3 ranks it among the other districts, by name: what the account does not get.
    _, data = _download(_visitor(server, "quantri"), "bao-cao-workbook-download", {**YEAR, "don_vi": OWN})
    assert OTHER_NAME in json.dumps(_cells(data), ensure_ascii=False, default=str)


def _pack_names(visitor: Client, query: dict) -> list[str]:
    dep = _dependency(visitor, "bao-cao-pack-download.data")
    request = _request(dep, {"bao-cao-pack-download-button.n_clicks": 1, "bao-cao-query.data": query,
                             "bao-cao-pack-by.value": "unit", "bao-cao-token.data": f"kiem-thu-{time.time()}"})
    status, _, body = visitor.callback(request)
    handle = json.loads(body)
    assert status == 200 and "job" in handle, body[:500]
    poll = "/_dash-update-component?" + urlencode({"cacheKey": handle["cacheKey"], "job": handle["job"]})
    for _ in range(600):
        status, _, body = visitor.request(poll, json.dumps(request).encode(), headers={"Content-Type": "application/json"})
        answer = json.loads(body)
        if status != 200 or "response" in answer:
            break
        time.sleep(0.5)
    sent = answer["response"]["bao-cao-pack-download"]["data"]
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(sent["content"]))) as pack:
        return sorted(pack.namelist())


def test_a_background_pack_forged_for_another_unit_holds_the_accounts_own_units(server, units):
    own = _pack_names(_visitor(server, "quantri"), {**YEAR, "don_vi": OWN})
    forged = _pack_names(_visitor(server, "quan3"), {**YEAR, "don_vi": OTHER})
    assert forged == own and own


def test_a_unit_account_sees_the_city_totals_and_its_own_rank_never_a_peers_figure(server, units):
    unit_page = json.loads(_page(_visitor(server, "quan3"), "/", YEAR))
    city = cli_total(server[1], "2022-01-01", "2022-12-31")
    counts = _find(unit_page, "tong-quan-city-counts")["children"]
    assert f"{city['received_new']:,}".replace(",", ".") in counts, counts   # the command line's city total
    # Its rank is the one the admin's ranking of every district gives Quận 3, out of the districts ranked there.
    admin_rows = _find(json.loads(_page(_visitor(server, "quantri"), "/don-vi", {**YEAR, "cap": "district"})),
                       "don-vi-ranking-table")["data"]
    ranked = [r for r in admin_rows if r["rank"] is not None]
    own = next(r for r in ranked if f"don_vi={OWN})" in r["link"])
    assert _find(unit_page, "tong-quan-own-rank")["children"].startswith(
        f"Quận 3 xếp thứ {own['rank']}/{len(ranked)} đơn vị cấp huyện toàn thành phố ")
    # The Đơn vị page of the account ranks Quận 3's wards only, and the 766 ranking holds its own row with its rank.
    rows = _find(json.loads(_page(_visitor(server, "quan3"), "/don-vi", {**YEAR, "cap": "district"})),
                 "don-vi-ranking-table")
    linked = {r["link"].rsplit("don_vi=", 1)[1].rstrip(")") for r in rows["data"]} if rows else set()
    assert linked <= units["own"], linked
    rows = _find(json.loads(_page(_visitor(server, "quan3"), "/chi-so-766", {**YEAR, "cap": "district"})),
                 "chi-so-766-ranking")["data"]
    every = _find(json.loads(_page(_visitor(server, "quantri"), "/chi-so-766", {**YEAR, "cap": "district"})),
                  "chi-so-766-ranking")["data"]
    assert len(every) > 1 and [r["name"] for r in rows] == [OWN_NAME]
    assert rows[0]["rank"] == next(r["rank"] for r in every if r["name"] == OWN_NAME)   # its rank among them all


def test_the_satisfaction_page_gives_a_unit_account_its_city_rank_not_first_of_its_own_scope(server, units):
    # probe 55: «1. Quận 3», ranked alone in its own subtree, read as the city's best district
    page = json.loads(_page(_visitor(server, "quan3"), "/hai-long", YEAR))
    # by hand from the command line's rows: the districts with 30 valid questionnaires or more, best index first
    rows = cli_json(server[1], "sipas", "--period", "2022", "--by", "unit", "--format", "json")["rows"]
    ranked = sorted((r for r in rows if r.get("level") == "district" and r["sipas"] is not None
                     and r["sipas_valid"] >= 30), key=lambda r: -r["sipas"])
    place = [r["key"] for r in ranked].index(OWN) + 1
    own_rank = _find(page, "hai-long-own-rank")["children"]
    assert own_rank.startswith(f"Quận 3 xếp thứ {place}/{len(ranked)} đơn vị cấp huyện toàn thành phố "), own_rank
    city = cli_json(server[1], "sipas", "--period", "2022", "--by", "unit", "--format", "json")["total"]
    assert f"{city['sipas_valid']:,}".replace(",", ".") in _find(page, "hai-long-city-sipas")["children"]
    # the ranking of its subtree says it is one, and names no unit outside it
    text = json.dumps(page, ensure_ascii=False)
    assert "xếp hạng trong từng nhóm cùng cấp trong phạm vi Quận 3" in text
    assert not [n for n in units["elsewhere"] if n in text]
    # an admin viewing the whole city gets no such section, and the ranking is the city's
    admin = json.loads(_page(_visitor(server, "quantri"), "/hai-long", YEAR))
    assert _find(admin, "hai-long-own-rank") is None and "trong phạm vi" not in json.dumps(admin, ensure_ascii=False)


@pytest.mark.browser
def test_in_chromium_a_unit_account_lands_on_its_unit_and_can_choose_only_its_subtree(browser, server, units):
    url = server[0]
    page, errors = new_page(browser)
    page.goto(f"{url}/?ky=nam&nam=2022&don_vi={OTHER}")   # a link for Gò Vấp, opened by Quận 3's account
    page.get_by_label("Tên đăng nhập").fill("quan3")
    page.get_by_label("Mật khẩu").fill(PASSWORD["quan3"])
    page.get_by_role("button", name="Đăng nhập").click()
    show(page, shot="don_vi_tai_khoan_quan_3")
    assert page.locator("#tong-quan-scope").inner_text() == OWN_NAME
    assert "chỉ xem được số liệu của Quận 3" in page.locator("#filters-link-notice").inner_text()
    assert page.locator("#tong-quan-own-rank").inner_text().startswith("Quận 3 xếp thứ ")
    assert OTHER_NAME not in page.locator("#_pages_content").inner_text()
    # The unit list offers Quận 3 and its wards, nothing else, and no "whole city".
    page.locator("#filters-don-vi").click()
    offered = page.locator(".dash-dropdown-options .dash-dropdown-option")   # the open list (a popover)
    offered.first.wait_for()
    names = offered.all_inner_texts()
    assert len(names) == len(units["own"]) and names[0] == OWN_NAME, names   # Quận 3 and its 15 wards
    assert all(n.split(" – trước đây")[0].split(" (đến")[0].endswith("– Quận 3") for n in names[1:]), names
    page.get_by_role("option", name="Phường Võ Thị Sáu", exact=False).first.click()
    page.wait_for_url("**don_vi=Q3.VTS**")
    page.wait_for_function("document.querySelector('#tong-quan-scope')?.innerText === 'Phường Võ Thị Sáu'")
    # The Đơn vị page: its own unit's view, the breadcrumb starting there, the city's figures beside its own.
    show(page, f"{url}/don-vi?ky=nam&nam=2022", "don_vi_tai_khoan_quan_3_don_vi")
    assert page.locator("#don-vi-breadcrumb").inner_text() == OWN_NAME
    assert "Toàn thành phố" in page.locator("#don-vi-city-table").inner_text()
    assert errors == []
    page.close()
