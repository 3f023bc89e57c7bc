"""Tenth loader probe: dossier exports as more vendors write them, and the year the users work in (2026): its
holidays come from the `holidays` package, so Tết 2026 is no working day. Expected values are counted by hand."""
from datetime import date

import duckdb

from indicators import Period, compute_indicator, compute_period_table
from indicators.index766 import compute_index766
from tests.files import database_with_units, load_one, query, write_csv


def test_2026_counts_tet_as_days_off(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "tthc.csv", [["code", "name", "statutory_days"], ["P3", "Thủ tục", "3"]]))[1] == []
    rows = [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày có kết quả"],
            # received Thu 12/02/2026, 3 working days: Fri 13/02, (Tết 16–20/02, weekend 21–22/02), Mon 23/02, Tue
            # 24/02 → due 24/02; finished 25/02: late. Before: no calendar for 2026, no due date, counted on time.
            ["K2", "Quận 3", "P3", "12/02/2026 09:00", "25/02/2026 10:00"],
            # received Fri 13/02, finished Mon 23/02: 1 working day (Tết and the weekend off); before, 6
            ["K3", "Quận 3", "P3", "13/02/2026 09:00", "23/02/2026 10:00"]]
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", rows), as_of=date(2026, 2, 28))
    assert errors == []
    assert query(db, "SELECT dossier_code, CAST(due_at AS DATE)::VARCHAR FROM dossiers ORDER BY 1") == [
        ("K2", "2026-02-24"), ("K3", "2026-02-25")]   # K3: Fri 13 → 23, 24, 25/02
    february = Period(date(2026, 2, 1), date(2026, 2, 28))
    with duckdb.connect(str(db), read_only=True) as con:
        total = compute_period_table(con, february)["total"]
        avg = compute_indicator(con, "avg_days", february)["total"]
    assert (total["resolved_late"], total["resolved_on_time"] + total["resolved_early"]) == (1, 1)
    # K2: 13, 23, 24, 25/02 = 4 working days; K3: 1 → (4 + 1) / 2
    assert (avg["numerator"], avg["denominator"]) == (5, 2)


def test_a_header_as_written_wins_over_one_named_only_without_its_note(tmp_path):
    db = database_with_units(tmp_path)
    path = tmp_path / "hs.csv"
    path.write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả (điều chỉnh),Ngày hẹn trả,"
                    "Ngày có kết quả (dự kiến),Ngày có kết quả\n"
                    "Z1,Quận 3,04/01/2022,,10/01/2022,10/01/2022,07/01/2022\n"
                    "Z2,Quận 3,05/01/2022,20/01/2022,12/01/2022,12/01/2022,\n", encoding="utf-8")
    result, errors = load_one(db, path)
    # before: the leftmost column won: Z1 had no due date, Z2 a result on its expected date
    assert errors == [] and {"Ngày hẹn trả (điều chỉnh)", "Ngày có kết quả (dự kiến)"} <= set(result["ignored_columns"])
    assert query(db, """SELECT dossier_code, CAST(due_at AS DATE)::VARCHAR, CAST(finished_at AS DATE)::VARCHAR
                        FROM dossiers ORDER BY 1""") == [("Z1", "2022-01-10", "2022-01-07"), ("Z2", "2022-01-12", None)]


def test_a_hand_over_before_the_receipt_is_a_bad_row_when_it_is_the_finish(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái"],
            ["G1", "Quận 3", "10/01/2022", "05/01/2022", "", "Đã trả kết quả"],
            ["G2", "Quận 3", "10/01/2022", "", "05/01/2022", "Đã trả kết quả"],
            ["G3", "Quận 3", "10/01/2022", "", "12/01/2022", "Đã trả kết quả"]]
    result, errors = load_one(db, write_csv(tmp_path / "hs.csv", rows))
    # before: G2 was loaded, clamped to its receipt day and counted resolved early the same day
    assert errors == [] and [(r["row"], r["reason"]) for r in result["rejects"]] == [
        (2, "Ngày có kết quả trước ngày tiếp nhận."),
        (3, "Ngày trả kết quả trước ngày tiếp nhận (không có ngày có kết quả).")]
    assert query(db, "SELECT dossier_code FROM dossiers") == [("G3",)]


def test_a_same_day_snapshot_without_a_result_does_not_take_back_a_result(tmp_path):
    db = database_with_units(tmp_path)
    header = ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
    done = write_csv(tmp_path / "q3.csv", [["Đến ngày: 31/01/2022"], header,
                                           ["U1", "Quận 3", "05/01/2022", "20/01/2022", "13/01/2022", "Đã trả kết quả"]])
    moved = write_csv(tmp_path / "stp.csv", [["Đến ngày: 31/01/2022"], header,
                                             ["U1", "Sở Tư pháp", "05/01/2022", "20/01/2022", "", "Đã chuyển xử lý"]])
    # either order gives the finished dossier; before, loading the transferring unit's file second took it back
    for order in ((done, moved), (moved, done)):
        folder = tmp_path / order[0].stem
        folder.mkdir()
        db = database_with_units(folder)
        results = [load_one(db, path) for path in order]
        assert all(errors == [] for _, errors in results)
        assert query(db, "SELECT unit_code, CAST(finished_at AS DATE)::VARCHAR FROM dossiers") == [("Q3", "2022-01-13")]
        second = results[1][0]
        if order[1] is moved:   # kept, and said
            assert second["rows_unchanged"] == 1 and any("giữ kết quả đó" in w for w in second["warnings"])
        else:                   # the result replaces the transfer line
            assert second["rows_updated"] == 1


def test_a_ward_with_a_catalogue_and_no_dossiers_is_scored_and_ranked_in_the_766_index(tmp_path):
    db = tmp_path / "t.duckdb"
    files = [write_csv(tmp_path / "dv.csv", [["code", "name", "level", "parent_code"], ["T", "Thành phố", "province", ""],
                                             ["P1", "Phường Một", "ward", "T"], ["P2", "Phường Hai", "ward", "T"]]),
             write_csv(tmp_path / "tthc.csv", [["code", "name", "online_level", "statutory_days", "unit"],
                                               ["F", "Thủ tục F", "partial", "3", "P1;P2"]]),
             write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày có kết quả"],
                                             ["A1", "Phường Một", "F", "05/04/2022", "06/04/2022"]])]
    for path in files:
        assert load_one(db, path)[1] == []
    with duckdb.connect(str(db), read_only=True) as con:
        rows = {r["key"]: r for r in compute_index766(con, Period(date(2022, 4, 1), date(2022, 6, 30)))["rows"]}
    # before: P2 had no row, and P1 was ranked first of one
    assert set(rows) == {"P1", "P2"} and rows["P2"]["total"] is not None
    assert (rows["P1"]["peer_count"], rows["P2"]["peer_count"]) == (2, 2)
