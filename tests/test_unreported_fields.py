"""A field an export has no column for (digitization, sync, e-result, payment, apology, data reuse) is not reported:
its dossiers are left out of the rate, and a period where no file has the column reads "chưa có dữ liệu", not 0 %.
Expected values are counted by hand from the rows below (March 2022, no holiday)."""
from datetime import date

import duckdb
import pytest

from etl.core.database import connect
from etl.derived_tables import refresh_derived_tables
from etl.summary import format_summary
from exports.report_docx import build_report_document
from indicators import Period, compute_indicator
from indicators.dashboard import compute_ranking, compute_rankings, compute_scorecard
from indicators.index766 import compute_index766, list_gap_dossiers
from indicators.report import STATUS_NOT_REPORTED, compute_report
from pages._components.cards import NOT_REPORTED_TEXT, indicator_card
from pages._components.sections import rank_notes
from tests.files import database_with_units, load_one, query, write_csv

MARCH = Period(date(2022, 3, 1), date(2022, 3, 31))

# Quận 3's system exports no flag column at all (A3 is Phường 9's, in Quận 3's subtree).
#   A1 early (08/03 ≤ due 10/03), fee; A2 early; A3 open, due 10/03 < 31/03 → pending overdue.
Q3_EXPORT = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Phí, lệ phí"],
             ["A1", "Quận 3", "01/03/2022 08:00", "10/03/2022 17:00", "08/03/2022 10:00", "Đã trả kết quả", "50000"],
             ["A2", "Quận 3", "02/03/2022 08:00", "10/03/2022 17:00", "09/03/2022 10:00", "Đã trả kết quả", ""],
             ["A3", "Phường 9", "03/03/2022 08:00", "10/03/2022 17:00", "", "Đang giải quyết", ""]]
# The department's system has the columns (no data-reuse one), an empty cell saying "no".
#   B1 early; B2 late (07/03 > due 04/03); B3 open within (due 31/03); B4 open, due 07/03 → pending overdue.
SKHDT_EXPORT = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái", "Phí, lệ phí",
                 "Thanh toán trực tuyến", "Đã số hóa", "Kết quả điện tử", "Đồng bộ DVCQG", "Phiếu xin lỗi"],
                ["B1", "Sở KH&ĐT", "01/03/2022 08:00", "04/03/2022 17:00", "03/03/2022 10:00", "Đã trả kết quả", "20000",
                 "Có", "x", "x", "x", ""],
                ["B2", "Sở KH&ĐT", "02/03/2022 08:00", "04/03/2022 17:00", "07/03/2022 10:00", "Đã trả kết quả", "20000",
                 "Không", "", "", "x", "x"],
                ["B3", "Sở KH&ĐT", "03/03/2022 08:00", "31/03/2022 17:00", "", "Đang giải quyết", "", "", "x", "", "", ""],
                ["B4", "Sở KH&ĐT", "04/03/2022 08:00", "07/03/2022 17:00", "", "Đang giải quyết", "", "", "", "", "", ""]]

# indicator → (numerator, denominator over the dossiers whose file reported the field, dossiers left out), city
HAND_COUNTS = {
    # received 7; reported B1–B4; digitized B1 B3
    "digitized_rate": (2, 4, 3),
    # synced B1 B2
    "sync_rate": (2, 4, 3),
    # resolved A1 A2 B1 B2; reported B1 B2; e-result B1
    "e_result_rate": (1, 2, 2),
    # received with a fee A1 B1 B2; reported B1 B2; paid online B1
    "paid_online_rate": (1, 2, 1),
    # late: B2 (resolved late), B4 and A3 (pending overdue); reported B2 B4; apology B2
    "apology_rate": (1, 2, 1),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unreported")
    db = database_with_units(folder)
    for name, rows in (("q3.csv", Q3_EXPORT), ("skhdt.csv", SKHDT_EXPORT)):
        result, errors = load_one(db, write_csv(folder / name, rows), as_of=date(2022, 3, 31))
        assert errors == [] and result["rows_loaded"] == len(rows) - 1
    return db


def test_a_flag_is_null_without_its_column_and_false_for_an_empty_cell(loaded):
    assert query(loaded, """SELECT dossier_code, is_digitized, is_synced_national, has_e_result, is_paid_online,
                                   is_apology_issued, is_data_reused FROM dossiers ORDER BY 1""") == [
        ("A1", None, None, None, None, None, None), ("A2", None, None, None, None, None, None),
        ("A3", None, None, None, None, None, None),
        ("B1", True, True, True, True, False, None), ("B2", False, True, False, False, True, None),
        ("B3", True, False, False, False, False, None), ("B4", False, False, False, False, False, None)]


@pytest.mark.parametrize("route", ["raw", "aggregate"])
@pytest.mark.parametrize("indicator_id", sorted(HAND_COUNTS))
def test_rates_count_only_the_dossiers_whose_file_reported_the_field(loaded, indicator_id, route):
    num, den, left_out = HAND_COUNTS[indicator_id]
    with duckdb.connect(str(loaded), read_only=True) as con:
        total = compute_indicator(con, indicator_id, MARCH, route=route)["total"]
    assert (total["numerator"], total["denominator"], total["unreported"]) == (num, den, left_out)
    assert total["value"] == pytest.approx(num / den) and total["no_data"] is False


@pytest.mark.parametrize("route", ["raw", "aggregate"])
def test_no_file_with_the_column_is_no_data_not_zero(loaded, route):
    with duckdb.connect(str(loaded), read_only=True) as con:
        reuse = compute_indicator(con, "data_reuse_rate", MARCH, route=route)["total"]   # no file has the column
        q3 = compute_indicator(con, "digitized_rate", MARCH, unit="Q3", route=route)["total"]
        on_time = compute_indicator(con, "on_time_rate", MARCH, unit="Q3", route=route)["total"]
    assert (reuse["value"], reuse["no_data"], reuse["unreported"]) == (None, True, 7)
    assert (q3["value"], q3["denominator"], q3["no_data"], q3["unreported"]) == (None, 0, True, 3)
    # a rate over fields every export has is no such rate: A1 A2 early
    assert (on_time["value"], on_time["no_data"], on_time["unreported"]) == (1.0, False, None)


def test_the_card_and_the_report_say_no_data(loaded):
    with duckdb.connect(str(loaded), read_only=True) as con:
        cards = {c["id"]: c for c in compute_scorecard(con, MARCH, unit="Q3")["indicators"]}
        city = {c["id"]: c for c in compute_scorecard(con, MARCH)["indicators"]}
        report = compute_report(con, MARCH, unit="Q3")
    assert cards["digitized_rate"]["no_data"] and cards["digitized_rate"]["value"] is None
    assert _texts(indicator_card("t", cards["digitized_rate"])) >= {NOT_REPORTED_TEXT, "○ Chưa có dữ liệu"}
    # some exports have it: the fraction of those that do, and how many were left out
    assert _texts(indicator_card("t", city["digitized_rate"])) >= {
        "2 / 4 (không tính 3 hồ sơ của tệp xuất không có cột này)"}
    status = {s["id"]: s["status"] for s in report["scorecard"]}
    assert status["digitized_rate"] == STATUS_NOT_REPORTED and status["on_time_rate"] != STATUS_NOT_REPORTED
    said = [p.text for p in build_report_document(report).paragraphs if p.text.startswith("Chưa có dữ liệu về ")]
    assert len(said) == 1 and "tỷ lệ hồ sơ được số hóa, " in said[0] and "không có cột tương ứng" in said[0]
    assert "tỷ lệ giải quyết đúng hạn" not in said[0].lower()


def test_a_ranking_says_which_units_have_no_data(loaded):
    with duckdb.connect(str(loaded), read_only=True) as con:
        districts = compute_rankings(con, ["digitized_rate", "on_time_rate"], MARCH, "district")
        departments = compute_ranking(con, "digitized_rate", MARCH, "department")
    q3 = {r["code"]: r for r in districts["digitized_rate"]["rows"]}["Q3"]
    assert (q3["value"], q3["no_data"]) == (None, True)
    assert "1 đơn vị chưa có dữ liệu: tệp xuất hồ sơ của đơn vị không có cột này." in rank_notes(
        districts["digitized_rate"]["rows"])
    assert not any(r["no_data"] for r in districts["on_time_rate"]["rows"])
    # the department's exports have it; Sở Tư pháp has no dossier at all: no value, but not "no data"
    by_code = {r["code"]: r for r in departments["rows"]}
    assert (by_code["SKHDT"]["value"], by_code["SKHDT"]["no_data"]) == (0.5, False)
    assert (by_code["STP"]["value"], by_code["STP"]["no_data"]) == (None, False)


def test_766_scores_what_was_reported_and_lists_only_known_gaps(loaded):
    with duckdb.connect(str(loaded), read_only=True) as con:
        rows = {r["key"]: r for r in compute_index766(con, MARCH, by="unit")["rows"]}
        gaps = list_gap_dossiers(con, MARCH, "not_synced")
        unpaid = list_gap_dossiers(con, MARCH, "unpaid_online")
    sync_q3, sync_so = rows["Q3"]["criteria"]["1.4"], rows["SKHDT"]["criteria"]["1.4"]
    assert (sync_q3["status"], sync_q3["points"]) == ("no_data", None)
    assert "không có cột này" in sync_q3["status_text"]
    assert (sync_so["status"], sync_so["points"]) == ("scored", pytest.approx(6 * 2 / 4))   # B1 B2 of B1–B4
    # not reported is not "not synchronized": only B3 B4; fees not paid online: B2 (A1's file has no payment column)
    assert sorted(r["dossier_code"] for r in gaps["rows"]) == ["B3", "B4"] and gaps["total_count"] == 2
    assert [r["dossier_code"] for r in unpaid["rows"]] == ["B2"]


def test_a_newer_export_without_the_column_keeps_what_an_earlier_one_reported(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "thang3.csv", SKHDT_EXPORT), as_of=date(2022, 3, 31))[1] == []
    # a daily export without the flag columns: B3 finished, B4 unchanged
    daily = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
             ["B3", "Sở KH&ĐT", "03/03/2022 08:00", "31/03/2022 17:00", "04/04/2022 10:00", "Đã trả kết quả"]]
    result, errors = load_one(db, write_csv(tmp_path / "ngay.csv", daily), as_of=date(2022, 4, 5))
    assert errors == [] and result["rows_updated"] == 1
    assert query(db, """SELECT is_digitized, is_synced_national, has_e_result, CAST(finished_at AS DATE)::VARCHAR
                        FROM dossiers WHERE dossier_code = 'B3'""") == [(True, False, False, "2022-04-04")]
    # loaded again, nothing changes
    assert load_one(db, write_csv(tmp_path / "ngay2.csv", daily), as_of=date(2022, 4, 5))[0]["rows_unchanged"] == 1


def test_a_database_loaded_before_tells_no_from_not_reported_once(tmp_path):
    db = database_with_units(tmp_path)
    for name, rows in (("q3.csv", Q3_EXPORT), ("skhdt.csv", SKHDT_EXPORT)):
        assert load_one(db, write_csv(tmp_path / name, rows), as_of=date(2022, 3, 31))[1] == []
    con = connect(db)
    try:   # as an earlier version stored them: every "no" of a file with the column NULL, the step not taken
        con.execute("UPDATE dossiers SET is_digitized = NULL WHERE NOT is_digitized")
        con.execute("DROP TABLE schema_steps")
        refresh_derived_tables(con)
    finally:
        con.close()
    assert query(db, "SELECT dossier_code, is_digitized FROM dossiers ORDER BY 1") == [
        ("A1", None), ("A2", None), ("A3", None), ("B1", True), ("B2", False), ("B3", True), ("B4", False)]
    with duckdb.connect(str(db), read_only=True) as con:
        total = compute_indicator(con, "digitized_rate", MARCH)["total"]
    assert (total["numerator"], total["denominator"]) == (2, 4)


def _texts(component) -> set[str]:
    """Every text of a Dash component tree, each element's own text joined."""
    out = set()

    def walk(node):
        children = getattr(node, "children", node)
        if isinstance(children, str):
            out.add(children)
        elif isinstance(children, (list, tuple)):
            parts = [c for c in children if isinstance(c, str)]
            if parts:
                out.add("".join(parts))
            for c in children:
                if not isinstance(c, str):
                    walk(c)
        elif children is not None and children is not node:
            walk(children)
    walk(component)
    return out


def test_the_summary_names_the_yes_no_columns_a_file_lacks(tmp_path):
    db = database_with_units(tmp_path)
    q3, errors = load_one(db, write_csv(tmp_path / "q3.csv", Q3_EXPORT), as_of=date(2022, 3, 31))
    so, more = load_one(db, write_csv(tmp_path / "skhdt.csv", SKHDT_EXPORT), as_of=date(2022, 3, 31))
    assert errors == more == []
    assert q3["unreported_fields"] == ["Thanh toán trực tuyến", "Số hóa hồ sơ", "Kết quả điện tử",
                                       "Tái sử dụng dữ liệu", "Đồng bộ DVCQG", "Phiếu xin lỗi"]
    assert so["unreported_fields"] == ["Tái sử dụng dữ liệu"]
    assert ("Tệp không có cột «Tái sử dụng dữ liệu»: hồ sơ chỉ có trong tệp này không được tính vào các tỷ lệ đó "
            "(không phải «không»), hồ sơ đã nạp từ tệp có cột giữ giá trị tệp đó ghi; kỳ không tệp nào có cột thì tỷ lệ "
            "ghi «chưa có dữ liệu».") in format_summary([so], [])


def test_yes_no_columns_in_the_words_systems_write(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Trạng thái đồng bộ", "Số hóa", "Có kết quả điện tử", "Xin lỗi",
             "Hình thức thanh toán", "Phí"],
            ["Y1", "Quận 3", "01/03/2022", "Đã đồng bộ", "Đã số hóa", "Có", "Đã gửi phiếu xin lỗi", "Đã nộp tiền mặt",
             "50000"],
            ["Y2", "Quận 3", "02/03/2022", "Chưa đồng bộ", "Chưa số hóa", "Không có", "Chưa", "Trực tuyến", "50000"],
            ["Y3", "Quận 3", "03/03/2022", "Đồng bộ thất bại", "", "Có kết quả điện tử", "", "", ""],
            ["Y4", "Quận 3", "04/03/2022", "Có lỗi", "x", "", "", "Đã chuyển khoản", "50000"],
            # a yes word then a word of failure is no yes: left unread (counted no, and said)
            ["Y5", "Quận 3", "05/03/2022", "Đã đồng bộ thất bại", "Có lỗi", "Đã hủy", "Đã xin lỗi", "", ""],
            ["Y6", "Quận 3", "06/03/2022", "Đã hủy đồng bộ", "", "", "", "", ""]]
    result, errors = load_one(db, write_csv(tmp_path / "chu.csv", rows), as_of=date(2022, 3, 31))
    assert errors == [] and result["unreported_fields"] == ["Tái sử dụng dữ liệu"]
    assert query(db, """SELECT dossier_code, is_synced_national, is_digitized, has_e_result, is_apology_issued,
                               is_paid_online FROM dossiers ORDER BY 1""") == [
        ("Y1", True, True, True, True, False), ("Y2", False, False, False, False, True),
        ("Y3", False, False, True, False, False), ("Y4", False, True, False, False, False),
        ("Y5", False, False, False, True, False), ("Y6", False, False, False, False, False)]
    # paid "in cash" is no online payment (a word of the payment column); a transfer is not read by its first word
    assert sorted((u["field"], u["value"]) for u in result["unrecognized_values"]) == [
        ("digitized", "Có lỗi"), ("e_result", "Đã hủy"), ("paid_online", "Đã chuyển khoản"),
        ("synced_national", "Đã hủy đồng bộ"), ("synced_national", "Đã đồng bộ thất bại")]


def test_an_older_export_loaded_after_a_newer_one_gives_what_the_newer_lacks(tmp_path):
    """The newest snapshot wins whatever the order of the loads, and a field its file had no column for is taken
    from the file that had it, in either order."""
    daily = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"],
             ["B3", "Sở KH&ĐT", "03/03/2022 08:00", "31/03/2022 17:00", "04/04/2022 10:00", "Đã trả kết quả"],
             ["B4", "Sở KH&ĐT", "04/03/2022 08:00", "07/03/2022 17:00", "", "Đang giải quyết"]]
    dbs = {}
    for order in ("monthly first", "daily first"):
        folder = tmp_path / order.replace(" ", "_")
        folder.mkdir()
        db = database_with_units(folder)
        files = [(write_csv(folder / "thang3.csv", SKHDT_EXPORT), date(2022, 3, 31)),
                 (write_csv(folder / "ngay.csv", daily), date(2022, 4, 5))]
        results = [load_one(db, path, as_of=day) for path, day in (files if order == "monthly first" else files[::-1])]
        assert all(errors == [] for _, errors in results)
        dbs[order] = db
    last = results[-1][0]   # the monthly file loaded after the daily one
    assert (last["rows_updated"], last["rows_older_snapshot"]) == (2, 0)
    assert any("bản mới hơn (giữ bản đó) nhưng tệp của bản đó không có một số cột" in w for w in last["warnings"])
    rows = "SELECT dossier_code, is_digitized, is_synced_national, fee_amount, finished_at FROM dossiers ORDER BY 1"
    assert query(dbs["daily first"], rows) == query(dbs["monthly first"], rows)
    assert query(dbs["daily first"], "SELECT is_digitized, CAST(finished_at AS DATE)::VARCHAR FROM dossiers "
                                     "WHERE dossier_code = 'B3'") == [(True, "2022-04-04")]
    for db in dbs.values():
        with duckdb.connect(str(db), read_only=True) as con:
            for route in ("raw", "aggregate"):
                sync = compute_indicator(con, "sync_rate", MARCH, route=route)["total"]
                assert (sync["numerator"], sync["denominator"]) == (2, 4), route   # B1 B2 of B1–B4


def test_without_a_fee_column_online_payment_has_no_data(tmp_path):
    """A file with neither a fee nor a payment column says nothing of fees: not "no dossier with a fee" (0 points of
    766 criterion 4.1 by the portal's rule) but no data."""
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả"],
            ["N1", "Sở Tư pháp", "01/03/2022", "02/03/2022"], ["N2", "Sở Tư pháp", "02/03/2022", ""]]
    result, errors = load_one(db, write_csv(tmp_path / "stp.csv", rows), as_of=date(2022, 3, 31))
    assert errors == [] and result["unreported_fields"][:2] == ["Thanh toán trực tuyến", "Số hóa hồ sơ"]
    assert "Phí, lệ phí" in result["unreported_fields"]
    with duckdb.connect(str(db), read_only=True) as con:
        paid = compute_indicator(con, "paid_online_rate", MARCH)["total"]
        crit = {r["key"]: r for r in compute_index766(con, MARCH, by="unit")["rows"]}["STP"]["criteria"]["4.1"]
    assert (paid["value"], paid["no_data"]) == (None, True)
    assert (crit["status"], crit["points"]) == ("no_data", None)
    # a fee column whose cells are all empty says no fee: the portal's 0 points for no fee dossier stand
    free = tmp_path / "mien_phi"
    free.mkdir()
    db2 = database_with_units(free)
    rows2 = [r + [f] for r, f in zip(rows, ["Phí, lệ phí", "", ""])]
    assert load_one(db2, write_csv(free / "stp.csv", rows2), as_of=date(2022, 3, 31))[1] == []
    with duckdb.connect(str(db2), read_only=True) as con:
        crit = {r["key"]: r for r in compute_index766(con, MARCH, by="unit")["rows"]}["STP"]["criteria"]["4.1"]
    assert (crit["status"], crit["points"]) == ("zero_by_rule", 0.0)


def test_a_yes_no_column_with_every_cell_empty_is_said(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Số hóa hồ sơ", "Đồng bộ DVCQG"],
            ["E1", "Quận 3", "01/03/2022", "", "x"], ["E2", "Quận 3", "02/03/2022", "", ""]]
    result, errors = load_one(db, write_csv(tmp_path / "trong.csv", rows), as_of=date(2022, 3, 31))
    assert errors == []
    assert [w for w in result["warnings"] if "mọi ô đều trống" in w] == [
        "Cột «Số hóa hồ sơ» có trong tệp nhưng mọi ô đều trống: mọi hồ sơ của tệp được tính là «không». Nếu hệ thống "
        "của đơn vị không ghi thông tin này, tỷ lệ tương ứng của đơn vị thấp hơn thực tế: hãy kiểm tra với đơn vị "
        "hoặc nhà cung cấp phần mềm."]


def test_the_word_report_says_over_which_dossiers_a_rate_is(loaded):
    with duckdb.connect(str(loaded), read_only=True) as con:
        report = compute_report(con, Period(date(2022, 3, 1), date(2022, 4, 30)))
    said = [p.text for p in build_report_document(report).paragraphs]
    # Quận 3's 3 received dossiers have no digitization column; the department's 4 have it
    assert any("tỷ lệ hồ sơ được số hóa tính trên 4 hồ sơ (không tính 3 hồ sơ)" in p for p in said)
    # a period of months opens its sentences by itself, not «Trong Từ tháng …»
    assert not any("Trong Từ" in p for p in said)
    assert any(p.startswith("Từ tháng 03 đến tháng 04/2022, toàn") for p in said)


def test_a_newer_export_without_the_channel_or_procedure_keeps_them(tmp_path):
    """Fields that describe a dossier (channel, procedure, sector…) are kept from the export that had them; the
    progress (dates, status) is the newer export's."""
    db = database_with_units(tmp_path)
    first = [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Lĩnh vực", "Hình thức nộp", "Ngày tiếp nhận", "Ngày có kết quả"],
             ["K1", "Quận 3", "1.001", "Hộ tịch", "Trực tuyến", "01/03/2022", ""],
             ["K2", "Quận 3", "1.002", "Đất đai", "Trực tiếp", "02/03/2022", ""]]
    later = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả"],
             ["K1", "Quận 3", "01/03/2022", "04/03/2022"], ["K3", "Quận 3", "03/03/2022", ""]]
    assert load_one(db, write_csv(tmp_path / "thang.csv", first), as_of=date(2022, 3, 2))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "ngay.csv", later), as_of=date(2022, 3, 5))
    assert errors == [] and (result["rows_updated"], result["rows_loaded"]) == (1, 1)
    assert query(db, """SELECT dossier_code, channel, procedure_code, field_name, CAST(finished_at AS DATE)::VARCHAR
                        FROM dossiers ORDER BY 1""") == [
        ("K1", "online", "1.001", "Hộ tịch", "2022-03-04"), ("K2", "direct", "1.002", "Đất đai", None),
        ("K3", "direct", None, None, None)]   # a new dossier of a file without «Hình thức nộp»: direct (dossiers.md)
    with duckdb.connect(str(db), read_only=True) as con:
        online = compute_indicator(con, "online_rate", MARCH)["total"]
    assert (online["numerator"], online["denominator"]) == (1, 3)


def test_a_database_created_now_starts_with_the_once_per_database_step_taken(tmp_path):
    """The step above brings up rows an earlier version loaded: a database this version creates has none, so its first
    load does not run the step's scans over its million fresh rows; one made before (no record) still takes it."""
    from etl.core.schema_steps import FLAGS_FALSE_WHERE_REPORTED, step_taken
    con = connect(tmp_path / "new.duckdb")
    try:
        assert step_taken(con, FLAGS_FALSE_WHERE_REPORTED)
        con.execute("DROP TABLE schema_steps")   # as a database of an earlier version has it
    finally:
        con.close()
    con = connect(tmp_path / "new.duckdb")
    try:
        assert not step_taken(con, FLAGS_FALSE_WHERE_REPORTED)
    finally:
        con.close()
