"""Dossier ratings from a separate evaluation file keyed by dossier code (surveys.md: "They arrive in the dossier export
(`rating`) or as a separate evaluation file keyed by dossier code"): each line's rating becomes the dossier's, loaded
before or after the dossiers, the aggregate tables following incrementally. Expected values are counted by hand."""
from datetime import date

import duckdb

from indicators import Period, compute_indicator
from tests.files import database_with_units, load_one, query, write_csv
from tests.test_incremental import _assert_equals_full_rebuild, _state

MARCH = Period(date(2022, 3, 1), date(2022, 3, 31))
EXPORT = [["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả"],
          ["A1", "Sở Tư pháp", "01/03/2022", "10/03/2022", "04/03/2022"],
          ["A2", "Sở Tư pháp", "01/03/2022", "10/03/2022", "04/03/2022"],
          ["A3", "Sở Tư pháp", "01/03/2022", "10/03/2022", "04/03/2022"]]
RATINGS = [["Mã hồ sơ", "Đơn vị", "Mức độ hài lòng", "Ngày đánh giá"],
           ["A1", "Sở Tư pháp", "Rất hài lòng", "05/03/2022"],    # 2: rated again on line 7, which counts
           ["A2", "Sở Tư pháp", "Không hài lòng", "06/03/2022"],  # 3
           ["A9", "Sở Tư pháp", "Hài lòng", "06/03/2022"],        # 4: no such dossier yet: kept for it
           ["A3", "Sở Tư pháp", "", ""],                          # 5: not rated: skipped
           ["A4", "Sở Tư pháp", "Tuyệt vời", "06/03/2022"],       # 6: no rating word: rejected
           ["A1", "Sở Tư pháp", "Hài lòng", "07/03/2022"]]        # 7


def _satisfaction(db) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        total = compute_indicator(con, "rating_satisfaction", MARCH)["total"]
        return total["numerator"], total["denominator"]
    finally:
        con.close()


# Twenty more dossiers, never rated, still open: the two a ratings file changes are then few enough (under a quarter)
# for the aggregate tables to take the change incrementally instead of being rebuilt.
OTHERS = [[f"Z{i:02d}", "Sở Tư pháp", "02/03/2022", "20/03/2022", ""] for i in range(20)]


def test_a_ratings_file_loaded_after_the_dossiers_rates_them(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "hs.csv", EXPORT + OTHERS))[1] == []
    result, errors = load_one(db, write_csv(tmp_path / "danh_gia.csv", RATINGS))
    assert errors == [] and result["kind"] == "ratings"
    # 6 lines: A1 (line 7), A2, A9 kept; line 2 a duplicate and line 6 an unknown word rejected; line 5 skipped
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (3, 2, 1)
    assert [(r["row"], r["reason_code"]) for r in result["rejects"]] == [(2, "duplicate_in_file"), (6, "unknown_rating")]
    assert result["dossiers_rated"] == 2
    assert query(db, "SELECT dossier_code, rating FROM dossiers WHERE dossier_code LIKE 'A%' ORDER BY 1") == [
        ("A1", "satisfied"), ("A2", "dissatisfied"), ("A3", None)]
    # closed in March and rated: A1 satisfied, A2 not → 1 of 2
    assert _satisfaction(db) == (1, 2)
    # the change went through the incremental path and left what a full rebuild makes
    assert _state(db)["refresh"] == "incremental"
    _assert_equals_full_rebuild(db)
    # the same export again changes nothing: its dossiers keep their ratings
    again, _ = load_one(db, write_csv(tmp_path / "hs2.csv", EXPORT + OTHERS))
    assert (again["rows_updated"], again["rows_unchanged"]) == (0, 23)
    assert _satisfaction(db) == (1, 2)


def test_ratings_loaded_before_the_dossiers_are_theirs_when_they_come(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "danh_gia.csv", RATINGS))
    assert errors == [] and result["dossiers_rated"] == 0
    assert any("3 mã hồ sơ chưa có trong CSDL" in n for n in result["notes"]), result["notes"]
    assert load_one(db, write_csv(tmp_path / "hs.csv", EXPORT))[1] == []
    assert query(db, "SELECT dossier_code, rating FROM dossiers ORDER BY 1") == [
        ("A1", "satisfied"), ("A2", "dissatisfied"), ("A3", None)]
    assert _satisfaction(db) == (1, 2)


def test_the_ratings_file_wins_over_an_exports_rating_whatever_the_order(tmp_path):
    rated_export = [EXPORT[0] + ["Đánh giá"]] + [row + ["Rất hài lòng"] for row in EXPORT[1:]]
    orders = {"ratings_last": ("hs.csv", "danh_gia.csv"), "ratings_first": ("danh_gia.csv", "hs.csv")}
    seen = {}
    for name, order in orders.items():
        db = database_with_units(tmp_path / name)
        files = {"hs.csv": rated_export, "danh_gia.csv": RATINGS}
        for file_name in order:
            assert load_one(db, write_csv(tmp_path / name / file_name, files[file_name]))[1] == []
        seen[name] = query(db, "SELECT dossier_code, rating FROM dossiers ORDER BY 1")
    # A3, not rated in the file, keeps the export's rating
    assert seen["ratings_last"] == seen["ratings_first"] == [
        ("A1", "satisfied"), ("A2", "dissatisfied"), ("A3", "very_satisfied")]


def test_ratings_apply_within_their_system_only(tmp_path):
    db = database_with_units(tmp_path)
    assert load_one(db, write_csv(tmp_path / "hs.csv", EXPORT), source="igate")[1] == []
    result, _ = load_one(db, write_csv(tmp_path / "danh_gia.csv", RATINGS))   # no --source: the default system
    assert result["dossiers_rated"] == 0 and any("--source" in n for n in result["notes"])
    assert query(db, "SELECT count(rating) FROM dossiers") == [(0,)]
    result, _ = load_one(db, write_csv(tmp_path / "danh_gia2.csv", RATINGS), source="igate")
    assert result["dossiers_rated"] == 2


def test_a_dossier_export_without_its_received_date_is_no_ratings_file(tmp_path):
    db = database_with_units(tmp_path)
    # a rating column beside a dossier's progress (a result date): a dossier export missing a column, said so
    _, errors = load_one(db, write_csv(tmp_path / "hs.csv", [["Mã hồ sơ", "Đơn vị", "Ngày có kết quả", "Đánh giá"],
                                                             ["A1", "Sở Tư pháp", "04/03/2022", "Hài lòng"]]))
    assert len(errors) == 1 and "Ngày tiếp nhận" in errors[0]
    assert query(db, "SELECT count(*) FROM dossier_ratings") == [(0,)]


def test_a_ratings_file_is_not_read_as_a_questionnaire(tmp_path):
    """«Đơn vị» and «Mức độ hài lòng» are also a questionnaire's columns; the dossier code makes it ratings."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "dg.csv", [["STT", "Mã hồ sơ", "Đơn vị", "Mức độ hài lòng"],
                                                                 ["1", "B1", "Sở Tư pháp", "5"],
                                                                 ["2", "B2", "Sở Tư pháp", "2"]]))
    assert errors == [] and result["kind"] == "ratings" and result["rows_loaded"] == 2
    assert query(db, "SELECT dossier_code, rating FROM dossier_ratings ORDER BY 1") == [
        ("B1", "very_satisfied"), ("B2", "dissatisfied")]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]


def test_a_questionnaire_asking_the_dossier_code_stays_a_questionnaire(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Mã hồ sơ", "Đơn vị", "Ngày khảo sát", "HL1", "HL2", "HL3", "HL4", "HL5"],
        ["1", "B1", "Sở Tư pháp", "05/03/2022", "5", "4", "4", "5", "4"]]))
    assert errors == [] and result["kind"] == "survey"
