"""`python -m indicators report`: the leadership report, run as a user runs it, checked against other routes (the
`table` and `sipas` commands for the same period and scope) and opened as a workbook."""
import json
import subprocess
import sys
from datetime import date

import duckdb
import openpyxl
import pytest

from exports.report_xlsx import SHEETS
from exports.table import _XLSX_COLUMNS as TABLE_XLSX_COLUMNS
from indicators.periods import Period
from indicators.report import LATE_LIMIT, STATUS_NOT_REPORTED, period_name_vi
from tests.browser_support import cli_total
from tests.conftest import ROOT

STATUSES = {"Đạt", "Chưa đạt", "Chưa có chỉ tiêu", "Chưa có số liệu"}
COUNT_KEYS = ("carried_over", "received_new", "received_online", "received_direct", "received_postal",
              "total_to_handle", "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned",
              "pending", "pending_within", "pending_overdue")


def run(db, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def report_json(db, start: str, end: str, *extra) -> dict:
    proc = run(db, "report", "--from", start, "--to", end, "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def cli_json(db, command: str, start: str, end: str, *extra) -> dict:
    proc = run(db, command, "--from", start, "--to", end, "--format", "json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def skhdt_h1(demo_db):
    return report_json(demo_db, "2022-01-01", "2022-06-30", "--unit", "Sở Kế hoạch và Đầu tư")


@pytest.fixture(scope="module")
def city_q2(demo_db):
    return report_json(demo_db, "2022-04-01", "2022-06-30")


@pytest.fixture(scope="module")
def city_q2_xlsx(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "bao_cao_quy_II_2022.xlsx"
    proc = run(demo_db, "report", "--from", "2022-04-01", "--to", "2022-06-30", "--format", "xlsx", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


# ---------------------------------------------------------------------------------------------------------
# Key figures: the published figures, and the same numbers as `indicators table`.

def test_key_figures_are_the_published_ones_and_equal_the_table_command(demo_db, skhdt_h1):
    c = skhdt_h1["counts"]
    assert (c["received_new"], c["resolved_in_time"], c["pending_within"], c["resolved_late"]) == (122700, 122563, 133, 4)
    total = cli_total(demo_db, "2022-01-01", "2022-06-30", "Sở Kế hoạch và Đầu tư")
    assert {k: c[k] for k in COUNT_KEYS} == {k: total[k] for k in COUNT_KEYS}
    assert all(type(c[k]) is int for k in COUNT_KEYS)
    # The report's table is the table command's, row for row.
    table = cli_json(demo_db, "table", "2022-01-01", "2022-06-30", "--unit", "SKHDT", "--by", "unit")
    assert skhdt_h1["table"]["rows"] == table["rows"] and skhdt_h1["table"]["total"] == table["total"]
    assert skhdt_h1["unit"] == "SKHDT" and skhdt_h1["by"] == "unit"
    assert skhdt_h1["title"] == "BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH – Sở Kế hoạch và Đầu tư – 6 tháng đầu năm 2022"


def test_scorecard_has_every_indicator_with_counts_target_and_judgement(demo_db, skhdt_h1):
    cards = {s["id"]: s for s in skhdt_h1["scorecard"]}
    table_total = cli_total(demo_db, "2022-01-01", "2022-06-30", "SKHDT")
    on_time = cards["on_time_rate"]
    assert (on_time["numerator"], on_time["denominator"]) == (122563, 122567)
    assert on_time["value"] == pytest.approx(table_total["on_time_rate"], abs=1e-12)
    assert (on_time["comparator"], on_time["target"], on_time["status"]) == (">", 0.99, "Đạt")
    assert on_time["gap_points"] == pytest.approx((on_time["value"] - 0.99) * 100)
    for card in skhdt_h1["scorecard"]:
        assert card["status"] in STATUSES
        if card["target"] is None:
            assert card["status"] == "Chưa có chỉ tiêu" and card["gap_points"] is None
        if card["value"] is not None:
            assert card["value"] == pytest.approx(table_total[card["id"]], abs=1e-12), card["id"]
            assert type(card["numerator"]) is int and type(card["denominator"]) is int, card["id"]
            assert card["value"] == pytest.approx(card["numerator"] / card["denominator"]), card["id"]
            if card["unit"] == "fraction":
                assert 0 <= card["value"] <= 1
    # Missed targets are judged against the plan (data_reuse_rate ≥ 30 % is not met in the sample).
    assert cards["data_reuse_rate"]["status"] == "Chưa đạt" and cards["data_reuse_rate"]["gap_points"] < 0


def test_change_against_the_previous_period_uses_the_previous_period_table(demo_db, city_q2):
    previous = cli_total(demo_db, "2022-01-01", "2022-03-31")
    card = next(s for s in city_q2["scorecard"] if s["id"] == "on_time_rate")
    assert card["previous_value"] == pytest.approx(previous["on_time_rate"], abs=1e-12)
    assert card["change_previous_points"] == pytest.approx((card["value"] - previous["on_time_rate"]) * 100)
    assert card["last_year_value"] is None and card["change_last_year_points"] is None   # no 2021 dossiers
    assert city_q2["previous"]["name"] == "Quý I/2022" and city_q2["last_year"]["name"] == "Quý II/2021"


# ---------------------------------------------------------------------------------------------------------
# Rankings, late dossiers, SIPAS.

def test_rankings_never_mix_levels_and_name_the_units_below_target(demo_db, city_q2):
    rankings, groups = city_q2["rankings"], city_q2["ranking_groups"]
    assert {"department", "district"} <= set(rankings)
    for level, rows in rankings.items():
        assert {r["level"] for r in rows} == {level}
        ranked = [r for r in rows if r["rank"] is not None]
        assert all(a["value"] >= b["value"] and a["rank"] <= b["rank"] for a, b in zip(ranked, ranked[1:]))
        assert [b["code"] for b in groups[level]["below_target"]] == [r["code"] for r in rows if r["is_met"] is False]
        assert all(r["value"] <= 0.99 for r in rows if r["is_met"] is False)
    # Departments are ranked on the same counts as `table --by department`.
    table = cli_json(demo_db, "table", "2022-04-01", "2022-06-30", "--by", "department")
    by_code = {r["key"]: r for r in table["rows"]}
    for r in rankings["department"]:
        t = by_code[r["code"]]
        assert (r["numerator"], r["resolved"]) == (t["resolved_early"] + t["resolved_on_time"], t["resolved"])
    assert groups["department"]["below_target"], "the sample has departments below 99 %"


def test_a_unit_report_ranks_the_unit_among_its_peers_and_its_sub_units_among_theirs(demo_db):
    report = report_json(demo_db, "2022-04-01", "2022-06-30", "--unit", "Quận 1")
    assert report["by"] == "unit" and report["unit"] == "Q1"
    districts = report["rankings"]["district"]
    assert sum(r["is_scope"] for r in districts) == 1
    assert next(r for r in districts if r["is_scope"])["code"] == "Q1"
    assert {r["parent_code"] for r in report["rankings"]["ward"]} == {"Q1"}
    assert set(report["rankings"]) == {"district", "ward"}


def test_late_dossiers_are_capped_with_the_total_count(demo_db, city_q2):
    total = cli_total(demo_db, "2022-04-01", "2022-06-30")
    late = city_q2["late"]
    assert late["total_count"] == total["resolved_late"] + total["pending_overdue"]
    assert late["counts"] == {"resolved_late": total["resolved_late"], "pending_overdue": total["pending_overdue"]}
    assert late["total_count"] > LATE_LIMIT   # the sample has more than the cap: the cap applies
    assert len(late["rows"]) == late["listed"] == LATE_LIMIT
    days = [r["days_late"] for r in late["rows"] if r["days_late"] is not None]
    assert days == sorted(days, reverse=True)
    assert all(r["kind"] in ("resolved_late", "pending_overdue") for r in late["rows"])


def test_sipas_is_the_sipas_command_of_the_year(demo_db, city_q2):
    sipas = city_q2["sipas"]
    year = cli_json(demo_db, "sipas", "2022-01-01", "2022-12-31")
    assert sipas["year"] == 2022 and sipas["total"]["sipas"] == pytest.approx(year["total"]["sipas"], abs=1e-12)
    assert sipas["total"]["questionnaires"] == year["total"]["questionnaires"]
    assert {r["level"] for r in sipas["rows"]} == {"department", "district"}
    # Ranked within each level only.
    for level in ("department", "district"):
        ranks = sorted(r["rank"] for r in sipas["rows"] if r["level"] == level and r["rank"] is not None)
        assert ranks and ranks[0] == 1


# ---------------------------------------------------------------------------------------------------------
# The workbook.

def _find_row(ws, text: str, column: int = 2) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=column).value == text)


def test_workbook_has_the_five_sheets_titles_and_numeric_cells(demo_db, city_q2, city_q2_xlsx):
    path = city_q2_xlsx
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS) == ["Tổng hợp", "Bảng thống kê", "Xếp hạng", "Hồ sơ trễ hạn", "SIPAS",
                                             "Biểu 06a", "Chỉ số 766"]
    assert wb["Tổng hợp"]["A1"].value == "BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH – Toàn thành phố – Quý II/2022"
    for ws in wb:
        if ws.title in ("Biểu 06a", "Chỉ số 766"):   # drawn by their own writers (tests/test_form06a.py, …)
            continue
        assert "Toàn thành phố" in ws["A1"].value and ("Quý II/2022" in ws["A1"].value or "2022" in ws["A1"].value)
        assert ws.freeze_panes, ws.title
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title   # A4
        assert ws.print_title_rows, ws.title

    # Tổng hợp: counts and rates are numbers with Vietnamese number formats.
    ws = wb["Tổng hợp"]
    received = ws.cell(row=_find_row(ws, "Số hồ sơ mới tiếp nhận"), column=3)
    assert received.value == city_q2["counts"]["received_new"] and received.number_format == "#,##0"
    on_time = ws.cell(row=_find_row(ws, "Tỷ lệ giải quyết đúng hạn, trước hạn"), column=3)
    assert isinstance(on_time.value, float) and on_time.number_format == "0.00 %"
    assert on_time.value == pytest.approx(next(s["value"] for s in city_q2["scorecard"] if s["id"] == "on_time_rate"))
    assert ws.cell(row=on_time.row, column=7).value == "Đạt"

    # Bảng thống kê: the total row equals the table command's total.
    ws = wb["Bảng thống kê"]
    total_row = _find_row(ws, "Tổng cộng")
    cli = cli_total(demo_db, "2022-04-01", "2022-06-30")
    for j, col in enumerate(TABLE_XLSX_COLUMNS, start=3):
        cell = ws.cell(row=total_row, column=j)
        assert isinstance(cell.value, (int, float)), col
        assert cell.value == pytest.approx(cli[col]), col
    assert ws.cell(row=total_row, column=3).number_format == "#,##0"

    # Hồ sơ trễ hạn: as many rows as the cap (the total is larger), and the total stated.
    ws = wb["Hồ sơ trễ hạn"]
    listed = [r for r in range(6, ws.max_row + 1) if isinstance(ws.cell(row=r, column=1).value, int)]
    late = city_q2["late"]
    assert len(listed) == min(late["total_count"], LATE_LIMIT) == len(late["rows"])
    footer = ws.cell(row=listed[-1] + 2, column=1).value
    assert footer.startswith(f"Tổng số: {late['total_count']:,} hồ sơ trễ hạn".replace(",", "."))
    assert isinstance(ws.cell(row=6, column=10).value, int)   # Số ngày quá hạn

    # Xếp hạng: one heading per peer group, the units below the target in red words under it.
    ws = wb["Xếp hạng"]
    headings = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)
                if str(ws.cell(row=r, column=1).value or "")[:2] in ("1.", "2.", "3.", "4.")]
    assert any("SỞ, BAN, NGÀNH" in h for h in headings) and any("CẤP HUYỆN" in h for h in headings)
    assert any(str(ws.cell(row=r, column=1).value or "").startswith("Đơn vị chưa đạt chỉ tiêu")
               for r in range(1, ws.max_row + 1))

    # SIPAS: the city's index as a number.
    ws = wb["SIPAS"]
    total_row = _find_row(ws, "Tổng cộng")
    assert ws.cell(row=total_row, column=4).value == pytest.approx(city_q2["sipas"]["total"]["sipas"])
    assert ws.cell(row=total_row, column=4).number_format == "0.00 %"


# ---------------------------------------------------------------------------------------------------------
# A small database: no targets, no surveys, an unmatched unit.

def test_small_database_without_targets_or_surveys(fixture_db, tmp_path):
    report = report_json(fixture_db, "2022-01-01", "2022-12-31")
    total = cli_total(fixture_db, "2022-01-01", "2022-12-31")
    assert {k: report["counts"][k] for k in COUNT_KEYS} == {k: total[k] for k in COUNT_KEYS}
    assert report["table"]["total"] == cli_json(fixture_db, "table", "2022-01-01", "2022-12-31",
                                               "--by", "department")["total"]
    assert {s["status"] for s in report["scorecard"]} <= {"Chưa có chỉ tiêu", STATUS_NOT_REPORTED}
    # no data, not 0 %, for the rates whose flag no export of the fixtures has a column for (no value stored)
    flags = {"digitized_rate": "is_digitized", "e_result_rate": "has_e_result", "data_reuse_rate": "is_data_reused",
             "sync_rate": "is_synced_national", "apology_rate": "is_apology_issued", "paid_online_rate": "is_paid_online"}
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        none_reported = {i for i, col in flags.items()
                         if not con.execute(f"SELECT count({col}) FROM dossiers").fetchall()[0][0]}
    assert none_reported and {s["id"] for s in report["scorecard"] if s["status"] == STATUS_NOT_REPORTED} == none_reported
    assert report["sipas"] is None
    assert any("Chưa có dữ liệu khảo sát SIPAS năm 2022" in line for line in report["summary"])
    assert report["late"]["total_count"] == total["resolved_late"] + total["pending_overdue"]

    out = tmp_path / "q3.xlsx"
    proc = run(fixture_db, "report", "--from", "2022-01-01", "--to", "2022-12-31", "--unit", "Quận 3",
               "--format", "xlsx", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == list(SHEETS)
    assert wb["Tổng hợp"]["A1"].value == "BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH – Quận 3 – Năm 2022"
    assert wb["SIPAS"]["A4"].value.startswith("Chưa có dữ liệu khảo sát SIPAS năm 2022 của Quận 3")
    q3 = cli_total(fixture_db, "2022-01-01", "2022-12-31", "Q3")
    ws = wb["Bảng thống kê"]
    assert ws.cell(row=_find_row(ws, "Tổng cộng"), column=3).value == q3["total_to_handle"]
    # Xếp hạng: a unit with under 30 resolved dossiers says so in the rank column, and the note gives that rule
    # (probe 13: every rank was empty under a note naming units without any resolved dossier)
    ws = wb["Xếp hạng"]
    rankings = report_json(fixture_db, "2022-01-01", "2022-12-31", "--unit", "Quận 3")["rankings"]
    small = [r for rows in rankings.values() for r in rows if r["too_small"]]
    ranks = [ws.cell(row=r, column=1).value for r in range(6, ws.max_row + 1)]
    assert small and ranks.count("ít hồ sơ") == len(small) and "dưới 30 hồ sơ" in ws["A3"].value


# ---------------------------------------------------------------------------------------------------------
# Errors: Vietnamese on stderr; exit 2 for figures that cannot be computed, 64 for a command written wrong.

@pytest.mark.parametrize("args, message, code", [
    (["--from", "2022-01-01", "--to", "2022-06-30", "--unit", "Sở Không Tồn Tại"], "Không tìm thấy đơn vị", 2),
    (["--from", "2022-01-01", "--to", "2022-06-30", "--format", "xlsx"], "định dạng xlsx cần tham số --out", 2),
    (["--from", "2022-02-30", "--to", "2022-06-30"], "không đúng dạng YYYY-MM-DD", 64),
    (["--from", "2022-06-30", "--to", "2022-01-01"], "Kỳ báo cáo không hợp lệ", 2),
    (["--from", "2022-01-01", "--to", "2022-06-30", "--format", "csv"], "--format không nhận giá trị 'csv'", 64),
])
def test_bad_input_exits_with_a_vietnamese_message(fixture_db, args, message, code):
    proc = run(fixture_db, "report", *args)
    assert proc.returncode == code
    assert message in proc.stderr and proc.stderr.lstrip().splitlines()[-1].startswith("Lỗi:")
    assert proc.stdout == ""


def test_period_names():
    assert period_name_vi(Period.month(2022, 5)) == "Tháng 05/2022"
    assert period_name_vi(Period.quarter(2022, 2)) == "Quý II/2022"
    assert period_name_vi(Period.half(2022, 1)) == "6 tháng đầu năm 2022"
    assert period_name_vi(Period.half(2022, 2)) == "6 tháng cuối năm 2022"
    assert period_name_vi(Period.nine_months(2022)) == "9 tháng năm 2022"
    assert period_name_vi(Period.year(2022)) == "Năm 2022"
    assert period_name_vi(Period(date(2022, 5, 15), date(2022, 6, 15))) == "Từ ngày 15/05/2022 đến ngày 15/06/2022"
