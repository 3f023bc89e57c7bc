"""Fast tests of the pages' pure helpers: URL filters with their defaults and fall-backs, Vietnamese formats, cards."""
from datetime import date

import pytest

from common.formats import (vn_date, vn_int, vn_number, vn_percent, vn_points, vn_slug, vn_target,
                            vn_value)
from indicators import Period
from indicators.dashboard import trend_window
from indicators.units import Unit, peer_levels
from pages._components.cards import change_text, status_text
from pages._components.filters import (FilterContext, carry_filters, link_corrections, parse_filters, parse_query,
                                       updated_search)

UNITS = (Unit("HCM", "TP", "province", None), Unit("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "HCM"),
         Unit("Q1", "Quận 1", "district", "HCM"), Unit("Q1.P01", "Phường Bến Nghé", "ward", "Q1"))
CTX = FilterContext(date(2022, 1, 4), date(2022, 12, 31), UNITS, ("Hộ tịch", "Đất đai"),
                    frozenset(u.code for u in UNITS))
# Data that stops in the middle of a month and of a quarter.
CTX_MID = FilterContext(date(2021, 3, 1), date(2023, 2, 15), UNITS, (), frozenset(u.code for u in UNITS))


# -- URL → filters -----------------------------------------------------------------------------------------

def test_the_brief_example_url():
    f = parse_filters("?ky=6thang&nam=2022&nua=1&don_vi=SKHDT", CTX)
    assert f.period == Period(date(2022, 1, 1), date(2022, 6, 30))
    assert (f.kind, f.year, f.sub, f.unit, f.field) == ("6thang", 2022, 1, "SKHDT", None)
    assert f.label() == "6 tháng đầu năm 2022 (từ 01/01/2022 đến 30/06/2022)"


@pytest.mark.parametrize("query, period, label", [
    ({"ky": "thang", "nam": "2022", "thang": "2"}, Period.month(2022, 2), "Tháng 02/2022"),
    ({"ky": "quy", "nam": "2022", "quy": "3"}, Period.quarter(2022, 3), "Quý III/2022"),
    ({"ky": "6thang", "nam": "2022", "nua": "2"}, Period.half(2022, 2), "6 tháng cuối năm 2022"),
    ({"ky": "9thang", "nam": "2022"}, Period.nine_months(2022), "9 tháng năm 2022"),
    ({"ky": "nam", "nam": "2022"}, Period.year(2022), "Năm 2022"),
    ({"ky": "tuy_chon", "tu": "2022-05-15", "den": "2022-06-15"}, Period(date(2022, 5, 15), date(2022, 6, 15)),
     "Từ 15/05/2022 đến 15/06/2022"),
])
def test_every_kind_of_period(query, period, label):
    f = parse_filters(query, CTX)
    assert f.period == period
    assert f.period_name() == label


def test_defaults_are_the_latest_whole_period_with_data():
    assert parse_filters({}, CTX).period == Period.quarter(2022, 4)
    assert parse_filters({"ky": "thang"}, CTX).period == Period.month(2022, 12)
    assert parse_filters({"ky": "nam"}, CTX).period == Period.year(2022)
    # Data up to 15/02/2023: the last whole month is January, quarter Q4/2022, year 2022.
    assert parse_filters({}, CTX_MID).period == Period.quarter(2022, 4)
    assert parse_filters({"ky": "thang"}, CTX_MID).period == Period.month(2023, 1)
    assert parse_filters({"ky": "nam"}, CTX_MID).period == Period.year(2022)
    # A year without a whole quarter yet: the quarter holding the data's last day.
    assert parse_filters({"ky": "quy", "nam": "2023"}, CTX_MID).period == Period.quarter(2023, 1)


@pytest.mark.parametrize("query", [
    "?ky=abc&nam=99999&quy=7", "?ky=quy&nam=20x2&quy=II", "?nam=1999", "?ky=thang&thang=13&nam=2022",
    "?ky=tuy_chon&tu=2022-13-45&den=hôm nay", "?ky=tuy_chon", "?ky=quy&nam=2022&quy=0", "?ky=&nam=&quy=",
    "?don_vi=KHONG_CO&linh_vuc=Không có", "?ky=quy&ky=nam", "?%%%=&&&", "",
])
def test_garbage_falls_back_without_error(query):
    f = parse_filters(query, CTX)
    assert CTX.data_start.year <= f.period.end.year <= CTX.data_end.year
    assert f.unit is None or f.unit in CTX.unit_codes
    assert f.field is None or f.field in CTX.fields


def test_a_period_after_the_data_falls_back_within_the_year():
    assert parse_filters({"ky": "thang", "nam": "2023", "thang": "11"}, CTX_MID).period == Period.month(2023, 1)


def test_unknown_unit_and_sector_are_dropped_known_ones_kept():
    f = parse_filters({"don_vi": "NOPE", "linh_vuc": "Hộ tịch"}, CTX)
    assert (f.unit, f.field) == (None, "Hộ tịch")
    assert parse_filters({"don_vi": "Q1.P01"}, CTX).unit == "Q1.P01"


def test_a_backwards_date_range_is_the_range_meant():
    f = parse_filters({"ky": "tuy_chon", "tu": "2022-06-15", "den": "2022-05-15"}, CTX)
    assert f.period == Period(date(2022, 5, 15), date(2022, 6, 15))


def test_dash_passes_repeated_keys_as_lists():
    assert parse_filters({"ky": ["nam", "quy"], "nam": ["2022"]}, CTX).period == Period.year(2022)


def test_search_round_trips_and_keeps_only_what_the_kind_uses():
    f = parse_filters("?ky=quy&nam=2022&quy=2&thang=5&don_vi=SKHDT&linh_vuc=Hộ tịch", CTX)
    assert parse_query(f.search()) == {"ky": "quy", "nam": "2022", "quy": "2", "don_vi": "SKHDT", "linh_vuc": "Hộ tịch"}
    assert parse_filters(f.search(), CTX) == f
    assert parse_query(f.search(don_vi="Q1")) ["don_vi"] == "Q1"
    assert "don_vi" not in parse_query(f.search(don_vi=None))


def test_updated_search_and_carry_filters():
    assert updated_search("?ky=nam&nam=2022&nhom=district", nhom=None) == "?ky=nam&nam=2022"
    assert parse_query(updated_search("?ky=nam", chi_tieu="late_rate")) == {"ky": "nam", "chi_tieu": "late_rate"}
    assert updated_search("", nhom=None) == ""
    assert carry_filters("?ky=nam&nam=2022&nhom=district&chi_tieu=x&don_vi=Q1") == "?ky=nam&nam=2022&don_vi=Q1"


def test_file_stem_has_no_accents():
    f = parse_filters("?ky=quy&nam=2022&quy=2&don_vi=SKHDT", CTX)
    assert f.file_stem("tổng quan") == "tong_quan_Quy_II_2022_SKHDT"


# -- formats -----------------------------------------------------------------------------------------------

def test_vietnamese_formats():
    assert vn_int(122700) == "122.700"
    assert vn_int(None) == "–"
    assert vn_percent(0.998923) == "99,89 %"
    assert vn_number(1234567.891, 2) == "1.234.567,89"
    assert vn_date(date(2022, 6, 30)) == "30/06/2022"
    assert vn_value(None) == "–"
    assert vn_value(1.78, "days", 1) == "1,8 ngày"
    assert vn_target(">", 0.99) == "> 99 %"
    assert vn_target(">=", 0.305) == "≥ 30,5 %"
    assert vn_target("=", 1.0) == "= 100 %"
    assert vn_target(None, None) == "–"
    assert vn_points(0.7336) == "+0,73 điểm %"
    assert vn_points(-1.2) == "−1,20 điểm %"
    assert vn_slug("Sở KH&ĐT – Quý II/2022") == "So_KH_DT_Quy_II_2022"


def test_a_rate_short_of_100_percent_is_never_shown_as_100():
    assert vn_value(122563 / 122567) == "99,99 %"
    assert vn_value(4 / 122567) == "0,01 %"
    assert vn_value(1.0) == "100,00 %"
    assert vn_value(0.0) == "0,00 %"


# -- cards -------------------------------------------------------------------------------------------------

def test_status_is_a_symbol_and_a_word_not_only_a_colour():
    assert status_text(True)[0] == "✔ Đạt"
    assert status_text(False)[0] == "✘ Chưa đạt"
    assert status_text(None)[0].endswith("Chưa có chỉ tiêu")


def test_change_says_direction_and_whether_it_is_better():
    text, mod = change_text(0.99, 0.98)
    assert text == "▲ Tăng 1,00 điểm % so với kỳ trước (tốt hơn)" and mod == "better"
    text, mod = change_text(0.02, 0.01, direction="lower", against="cùng kỳ năm trước")
    assert text == "▲ Tăng 1,00 điểm % so với cùng kỳ năm trước (kém hơn)" and mod == "worse"
    assert change_text(2.0, 2.5, "days", 1, "lower")[0] == "▼ Giảm 0,5 ngày so với kỳ trước (tốt hơn)"
    assert change_text(0.5, None)[0] == "So với kỳ trước: chưa có số liệu"
    assert change_text(0.5, 0.5)[0].startswith("▬ Không đổi")


# -- indicators helpers the pages lean on -------------------------------------------------------------------

def test_trend_window_is_twelve_months_clipped_to_the_data():
    assert trend_window(Period.year(2022)) == Period.year(2022)
    assert trend_window(Period.quarter(2022, 2), date(2022, 1, 4)) == Period(date(2022, 1, 1), date(2022, 6, 30))
    assert trend_window(Period.month(2023, 3)) == Period(date(2022, 4, 1), date(2023, 3, 31))


def test_peer_levels_never_mix_and_skip_the_province():
    assert peer_levels(list(UNITS)) == ["department", "district", "ward"]
    assert peer_levels([Unit("X", "x", "commune_2025", "HCM")]) == ["commune_2025"]   # a new level is a group too


def test_survey_years_are_choosable_without_dossiers():
    """SIPAS surveys of 2021 with dossiers only from 2022: 2021 can still be chosen (the Hài lòng page)."""
    ctx = FilterContext(date(2022, 1, 1), date(2022, 12, 31), other_years=(2021,))
    assert ctx.years == [2021, 2022]
    assert parse_filters({"ky": "nam", "nam": "2021"}, ctx).period.start == date(2021, 1, 1)


def test_memo_is_dropped_when_a_load_swaps_the_file(tmp_path):
    """A view is computed once per database file; after os.replace (what a load does) it is computed again."""
    import os

    import duckdb

    from indicators import store
    from pages._components.memo import memo_by_database

    db = tmp_path / "cchc.duckdb"
    duckdb.connect(str(db)).close()
    previous = store._current
    store.configure(db)
    try:
        calls = []

        @memo_by_database()
        def view(**query):
            calls.append(query)
            return len(calls)

        assert view(ky="quy") == view(ky="quy") == 1
        assert view(ky="nam") == 2                      # another view: its own entry
        fresh = tmp_path / "new.duckdb"
        duckdb.connect(str(fresh)).execute("CREATE TABLE t AS SELECT 1").close()
        os.replace(fresh, db)
        assert view(ky="quy") == 3                      # the file changed: computed again
    finally:
        store._current = previous


# -- a link the data cannot show is said, not silently replaced --------------------------------------------

@pytest.mark.parametrize("search, expected", [
    ("?ky=nam&nam=2019", "Không có dữ liệu năm «2019» (dữ liệu có các năm 2022); đang hiển thị năm 2022 "
                         "(từ 01/01/2022 đến 31/12/2022)."),
    ("?ky=thang&nam=2022&thang=13", "Kỳ «tháng 13» không hợp lệ hoặc chưa có dữ liệu; đang hiển thị tháng 12/2022 "
                                    "(từ 01/12/2022 đến 31/12/2022)."),
    ("?ky=quy&nam=2022&quy=2&don_vi=XYZ", "Không có đơn vị mã «XYZ» trong danh mục; đang hiển thị toàn thành phố."),
    ("?linh_vuc=Xây dựng", "Không có lĩnh vực «Xây dựng» trong dữ liệu; đang hiển thị mọi lĩnh vực."),
    ("?ky=tuy_chon&tu=2022-13-01&den=2022-02-01", "Khoảng ngày trong liên kết không hợp lệ; đang hiển thị quý IV/2022 "
                                                  "(từ 01/10/2022 đến 31/12/2022)."),
])
def test_a_link_corrected_to_the_data_says_so(search, expected):
    assert link_corrections(parse_query(search), parse_filters(search, CTX), CTX) == [expected]


@pytest.mark.parametrize("search", ["", "?ky=6thang&nam=2022&nua=1&don_vi=SKHDT", "?ky=tuy_chon&tu=2022-03-01&den=2022-03-31",
                                    "?ky=nam&nam=2022&linh_vuc=Hộ tịch&chi_tieu=late_rate"])
def test_a_link_the_data_can_show_gets_no_notice(search):
    assert link_corrections(parse_query(search), parse_filters(search, CTX), CTX) == []


def test_small_chart_titles_are_broken_into_short_lines():
    from pages._components.charts import COMPACT_TITLE_CHARS, trend_line
    rows = [{"key": "2022-01", "name": "Tháng 01/2022", "on_time_rate": 0.99, "targets": {}}]
    title = "Tỷ lệ giải quyết đúng hạn, trước hạn trên tổng hồ sơ phải giải quyết"
    fig = trend_line(rows, "on_time_rate", title, "fraction", 2, title=title, height=260, compact=True)
    lines = fig["layout"]["title"]["text"].split("<br>")
    assert " ".join(lines) == title and all(len(line) <= COMPACT_TITLE_CHARS for line in lines) and len(lines) > 1
    big = trend_line(rows, "on_time_rate", title, "fraction", 2, title=title)
    assert big["layout"]["title"]["text"] == title   # a full-width chart keeps its title on one line


def _as_plotly_sends(fig) -> dict:
    import json

    from plotly.utils import PlotlyJSONEncoder
    return json.loads(json.dumps(fig, cls=PlotlyJSONEncoder))


def test_plain_figures_are_the_json_plotly_builds_from_them():
    """charts.figure sends plain dicts without Plotly's validation: each chart must already be what go.Figure makes
    of it (named colour scales spelt out, the default template, an empty title), else the browser would draw
    another chart."""
    import plotly.graph_objects as go

    from pages._components.charts import ranked_bars, stacked_months, trend_line
    from pages._components.group_charts import late_bars, month_grid
    from pages._components.interval_chart import interval_bars
    months = [{"key": f"2022-{m:02d}", "name": f"Tháng {m:02d}/2022", "on_time_rate": 0.9 + m / 200, "received_online": m,
               "received_direct": 2 * m, "received_postal": 1, "targets": {"on_time_rate": (">=", 0.95)}} for m in (1, 2, 3)]
    ranking = [{"code": "A", "name": "Sở A", "value": 0.97, "is_met": True, "rank": 1, "tied": 1, "numerator": 97,
                "denominator": 100, "volume": 100},
               {"code": "B", "name": "Sở B", "value": 0.9, "is_met": False, "rank": None, "too_small": True,
                "numerator": 9, "denominator": 10, "volume": 10}]
    grid = [{"key": "A", "name": "Sở A", "series": [{"month": "2022-01", "value": 0.9, "is_met": False}]}]
    late = [{"key": "A", "name": "Sở A", "resolved_late": 3, "pending_overdue": 1, "late_rate": 0.2}]
    interval = [{"label": "1. A", "name": "A", "key": "A", "value": 0.9, "ci95": [0.85, 0.94], "is_met": True,
                 "valid": 120}]
    figures = [trend_line(months, "on_time_rate", "Đúng hạn", compact=True, title="Đúng hạn"),
               trend_line(months, "on_time_rate", "Đúng hạn"), stacked_months(months, [("received_online", "Trực tuyến")]),
               ranked_bars(ranking, "Đúng hạn", comparator=">=", target=0.95, title="Xếp hạng"),
               month_grid(grid, ["2022-01"], "Đúng hạn", "Lưới"), late_bars(late, title="Trễ hạn"),
               interval_bars(interval, "SIPAS", ">=", 0.86)]
    for fig in figures:
        assert isinstance(fig, dict)
        # the way the charts were built before: go.Figure of the same traces and layout, an absent title set to None
        layout = {k: v for k, v in fig["layout"].items() if k != "template" and (k, v) != ("title", {})}
        built = go.Figure(data=fig["data"], layout=layout)
        if "title" not in layout:
            built.update_layout(title=None)
        assert _as_plotly_sends(fig) == _as_plotly_sends(built)


def test_download_names_carry_vietnamese_words_for_codes():
    """«xep_hang_vertical_on_time_rate», «goi_bao_cao_unit» named files in English codes (probe 25)."""
    from pages._components.file_names import grouping_part, indicator_part, level_part
    assert [level_part(lv) for lv in ("ward", "department", "district", "vertical")] == [
        "cap_xa", "so_ban_nganh", "cap_huyen", "co_quan_nganh_doc"]
    assert indicator_part("on_time_rate") == "giai_quyet_dung_han_truoc_han"
    assert indicator_part("paid_online_rate") == "ho_so_thanh_toan_truc_tuyen"
    assert (grouping_part("unit"), grouping_part("ward")) == ("tung_don_vi", "cap_xa")
