"""The late-dossier list: hand-counted rows, filters, paging, detail, workbook, and agreement with the engine's counts."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from indicators import Period, compute_period_table
from exports.late_dossiers import write_late_dossiers_xlsx
from indicators.dossier_list import _text, get_dossier_detail, list_late_dossiers
from tests.builders import GOLDEN_UNITS, MARCH, PROPERTY_UNITS, Q1, build_db, dossier_rows, random_dossier


@pytest.fixture()
def con(full_db):
    return full_db


def _codes(res):
    return [r["dossier_code"] for r in res["rows"]]


# March 2022 on the golden_all fixture (see its comments):
#   resolved late: G03 F 16/3 − due 14/3 = 2; G04 supplemented twice, F before due → 0; G08 F 2/3 − due 28/2 = 2;
#                  G20 F 15/3 − due 10/3 = 5
#   pending overdue at 31/3: G06 31 − 18 = 13; G09 31 − 4 = 27
# days late descending, ties by code: G09 27, G06 13, G20 5, G03 2, G08 2, G04 0
def test_march_list_hand_counted(con):
    res = list_late_dossiers(con, MARCH)
    assert res["total_count"] == 6 and res["counts"] == {"resolved_late": 4, "pending_overdue": 2}
    assert [(r["dossier_code"], r["days_late"], r["kind"]) for r in res["rows"]] == [
        ("G09", 27, "pending_overdue"), ("G06", 13, "pending_overdue"), ("G20", 5, "resolved_late"),
        ("G03", 2, "resolved_late"), ("G08", 2, "resolved_late"), ("G04", 0, "resolved_late")]
    g03 = res["rows"][3]
    assert g03 == {
        "source": "test", "dossier_code": "G03", "unit_code": "SO_A", "unit_name": "Sở Tư pháp",
        "procedure_code": "TT2", "procedure_name": "Đăng ký khai sinh", "field": "Chứng thực",
        "received_date": date(2022, 3, 7), "due_date": date(2022, 3, 14), "finished_date": date(2022, 3, 16),
        "days_late": 2, "supplement_count": 1, "apology_issued": True, "status_code": 10,
        "status": "Đã trả kết quả", "kind": "resolved_late", "kind_name": "Đã giải quyết quá hạn"}
    g09, g20 = res["rows"][0], res["rows"][2]
    assert g09["finished_date"] is None and g09["status"] == "Yêu cầu bổ sung giấy tờ"
    assert g20["unit_code"] is None and g20["unit_name"] == "Phường Hòa Lạ (chưa khớp)"   # unmatched unit kept
    assert res["unit"] is None and res["unit_name"] == "Toàn thành phố"


def test_filters(con):
    h1 = list_late_dossiers(con, MARCH, "H1")                        # G08 G09; the scope includes X1 X2 (none late)
    assert _codes(h1) == ["G09", "G08"] and h1["unit_name"] == "UBND Huyện Hòa Vang"
    assert _codes(list_late_dossiers(con, MARCH, "sở tư pháp")) == ["G03", "G04"]   # by name, accents ignored
    assert _codes(list_late_dossiers(con, MARCH, field="Hộ tịch")) == ["G09", "G08"]   # TT2's field
    assert _codes(list_late_dossiers(con, MARCH, field="Chứng thực")) == ["G03"]       # the dossier's own field
    assert _codes(list_late_dossiers(con, MARCH, min_days_late=5)) == ["G09", "G06", "G20"]
    assert _codes(list_late_dossiers(con, MARCH, apology=True)) == ["G06", "G03", "G08"]
    # no apology: G09, G20 and G04 say false (a dossier whose file says nothing of the letter is in neither list:
    # tests/test_inspection.py)
    assert _codes(list_late_dossiers(con, MARCH, apology=False)) == ["G09", "G20", "G04"]
    late = list_late_dossiers(con, MARCH, kind="resolved_late")
    assert _codes(late) == ["G20", "G03", "G08", "G04"] and late["counts"]["pending_overdue"] == 0
    assert _codes(list_late_dossiers(con, MARCH, kind="pending_overdue")) == ["G09", "G06"]
    assert list_late_dossiers(con, MARCH, "X1")["total_count"] == 0


def test_sort_and_pages(con):
    by_received = list_late_dossiers(con, MARCH, sort="received_date", descending=False)
    assert _codes(by_received) == ["G08", "G09", "G03", "G20", "G06", "G04"]   # 14/2 21/2 7/3 8/3 14/3 21/3
    page = list_late_dossiers(con, MARCH, sort="received_date", descending=False, limit=2, offset=2)
    assert _codes(page) == ["G03", "G20"] and page["total_count"] == 6
    past_end = list_late_dossiers(con, MARCH, limit=10, offset=50)
    assert past_end["rows"] == [] and past_end["total_count"] == 6 and past_end["counts"]["resolved_late"] == 4
    assert len(list_late_dossiers(con, MARCH, limit=None)["rows"]) == 6
    # unit names ascending (Phường Hòa Lạ < Sở Tư pháp < Sở Xây dựng < UBND Huyện Hòa Vang), ties by code
    assert _codes(list_late_dossiers(con, MARCH, sort="unit_name", descending=False)) == [
        "G20", "G03", "G04", "G06", "G08", "G09"]


@pytest.mark.parametrize("kwargs", [{"sort": "days_late; DROP TABLE dossiers"}, {"kind": "late"}, {"limit": -1},
                                    {"offset": "0"}, {"min_days_late": 1.5}])
def test_rejects_bad_arguments(con, kwargs):
    with pytest.raises(ValueError):
        list_late_dossiers(con, MARCH, **kwargs)
    assert con.execute("SELECT count(*) FROM dossiers").fetchall()[0][0] == 20


def test_q1_on_the_golden_fixture(tmp_path):
    c = build_db(tmp_path / "g.duckdb")
    res = list_late_dossiers(c, Q1)
    # D14 due 10/1, open → 31/3 − 10/1 = 21 + 28 + 31 = 80; D10 due 15/3, open → 16; D11 F 8/2 − due 5/2 = 3;
    # D08 supplemented twice, F 10/2 before due 15/2 → 0
    assert [(r["dossier_code"], r["days_late"]) for r in res["rows"]] == [("D14", 80), ("D10", 16), ("D11", 3),
                                                                          ("D08", 0)]
    assert res["rows"][0]["status"] is None   # no status at all in the export


def _assert_agrees(c, period, unit):
    total = compute_period_table(c, period, by="unit", unit=unit)["total"]
    res = list_late_dossiers(c, period, unit, limit=None)
    kinds = [r["kind"] for r in res["rows"]]
    assert kinds.count("resolved_late") == res["counts"]["resolved_late"] == total["resolved_late"], (period, unit)
    assert kinds.count("pending_overdue") == res["counts"]["pending_overdue"] == total["pending_overdue"], (period, unit)


PERIODS = [MARCH, Q1, Period.month(2022, 1), Period.month(2022, 2), Period(date(2022, 2, 10), date(2022, 3, 5)),
           Period(date(2022, 3, 15), date(2022, 3, 15)), Period.year(2022)]


def test_counts_agree_with_the_engine(con, tmp_path):
    golden = build_db(tmp_path / "g.duckdb")
    for c, units in ((con, [None, "TP", "SO_A", "SO_B", "H1", "X1", "X2", "H2"]),
                     (golden, [None] + [u[0] for u in GOLDEN_UNITS])):
        for period in PERIODS:
            for unit in units:
                _assert_agrees(c, period, unit)


@settings(max_examples=30, deadline=None)
@given(raw=st.lists(random_dossier, max_size=40), start=st.integers(0, 100), length=st.integers(0, 60),
       unit=st.sampled_from([None, "CITY", "D1", "W11", "DEP"]))
def test_counts_agree_on_random_dossiers(raw, start, length, unit):
    c = build_db(":memory:", units=PROPERTY_UNITS, dossiers=dossier_rows(raw))
    try:
        base = date(2022, 1, 1)
        _assert_agrees(c, Period(base + timedelta(days=start), base + timedelta(days=start + length)), unit)
    finally:
        c.close()


def test_detail(con):
    det = get_dossier_detail(con, "test", "G11")
    fields = {f["label"]: f for f in det["fields"]}
    assert fields["Mã hồ sơ"]["text"] == "G11"
    assert fields["Tên đơn vị (danh mục)"]["text"] == "UBND Xã Hòa Bắc"
    assert fields["Tên TTHC"]["text"] == "Cấp giấy chứng nhận quyền sử dụng đất"   # from the catalogue
    assert fields["Ngày tiếp nhận"]["text"] == "16/03/2022 08:00"
    assert fields["Ngày có kết quả"]["text"] == "–"
    assert fields["Ngày trả kết quả"]["text"] == "18/03/2022 10:00"
    assert fields["Trạng thái"]["text"] == "Đã xử lý xong" and fields["Trạng thái"]["value"] == 9
    assert fields["Hình thức nộp"]["text"] == "Trực tiếp"
    assert fields["Kết quả điện tử"]["text"] == "Có"
    assert fields["Đánh giá"]["text"] == "Rất không hài lòng"
    assert fields["Tệp nhập"]["text"] == "thang3.xlsx"
    assert fields["Hệ thống nguồn"]["text"] == "test"
    # words a civil servant reads: neither "default" nor the command's option, nor a bare status number
    assert _text("source", "default") == "Không ghi hệ thống nguồn khi nạp"
    assert _text("status", 42) == "Trạng thái khác (số 42 trong tệp xuất)"
    # a yes/no field the export had no column for is not "Không"
    assert (_text("flag", None), _text("flag", False)) == ("Không rõ (tệp xuất không có cột này)", "Không")
    assert "row_hash" not in {f["field"] for f in det["fields"]}
    assert get_dossier_detail(con, "test", "G01")["fields"][20]["text"] == "50.000"   # fee, Vietnamese format
    assert get_dossier_detail(con, "other", "G11") is None


def test_workbook(con, tmp_path):
    from openpyxl import load_workbook

    rows = list_late_dossiers(con, MARCH, "H1", limit=None)["rows"]
    path = tmp_path / "tre_han.xlsx"
    write_late_dossiers_xlsx(rows, path, MARCH, "UBND Huyện Hòa Vang")
    ws = load_workbook(path).active
    assert ws["A2"].value == "Đơn vị: UBND Huyện Hòa Vang"
    assert ws["A3"].value == "(Từ ngày 01/03/2022 đến ngày 31/03/2022)"
    assert [ws.cell(row=5, column=c).value for c in (1, 2, 7, 10)] == ["STT", "Mã hồ sơ", "Ngày tiếp nhận",
                                                                        "Số ngày quá hạn"]
    assert ws["B6"].value == "G09" and ws["J6"].value == 27 and ws["L6"].value == "Không"
    assert ws["G6"].number_format == "dd/mm/yyyy" and ws["G6"].value.date() == date(2022, 2, 21)
    assert ws["I6"].value is None and ws["I7"].value.date() == date(2022, 3, 2)
    assert ws.freeze_panes == "B6" and ws.auto_filter.ref == "A5:N7"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
    assert ws["A1"].value == "DANH SÁCH HỒ SƠ GIẢI QUYẾT QUÁ HẠN VÀ ĐANG QUÁ HẠN" and ws["A4"].value is None
    # A list filtered on the page says so: the kind in the title, the other filters under the period (probe 25: a
    # list of 4 dossiers «chưa có phiếu xin lỗi» was titled as the whole list)
    pending = [r for r in rows if r["kind"] == "pending_overdue"]
    write_late_dossiers_xlsx(pending, path, MARCH, "UBND Huyện Hòa Vang", "pending_overdue",
                             "Chưa có phiếu xin lỗi; quá hạn từ 5 ngày trở lên")
    ws = load_workbook(path).active
    assert ws["A1"].value == "DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT QUÁ HẠN"
    assert ws["A4"].value == "Lọc: Chưa có phiếu xin lỗi; quá hạn từ 5 ngày trở lên"
    assert ws["B5"].value == "Mã hồ sơ" and ws["B6"].value == pending[0]["dossier_code"] and ws["B7"].value is None


def test_counts_agree_on_the_demo_sample(demo_db):
    """The demo database, read through whichever route the engine takes there (aggregate tables when fresh)."""
    import duckdb

    c = duckdb.connect(str(demo_db), read_only=True)
    try:
        levels = dict(c.execute("SELECT level, min(unit_code) FROM units GROUP BY level").fetchall())
        units = [None] + [levels[lv] for lv in ("department", "district", "ward") if lv in levels]
        for period in (Period.half(2022, 1), Period.month(2022, 9), Period(date(2022, 2, 15), date(2022, 11, 3))):
            for unit in units:
                _assert_agrees(c, period, unit)
    finally:
        c.close()
