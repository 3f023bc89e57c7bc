"""Two SIPAS methods in the catalogue: a questionnaire's criteria are those of the method in force in its year. The
catalogue used is the bundled one with a 2023 method added that drops criterion 1.4 and adds 2.6, as a user
would add Decision 1001/QĐ-BNV's; expected indices are counted by hand."""
import csv
import shutil
from datetime import date

import duckdb
import pytest

import etl.core.vocab as core_vocab
import etl.surveys.vocab as survey_vocab
from indicators import Period, compute_sipas
from tests.files import database_with_units, load_one, write_csv


def _clear_catalogue_caches() -> None:
    for name in ("catalogue_rows", "catalogue_expectations", "catalogue_codes"):
        getattr(survey_vocab, name).cache_clear()


@pytest.fixture
def two_methods(tmp_path, monkeypatch):
    """etl/vocab copied with a 2023 method appended to sipas_catalogue.csv: 2017's items without 1.4, with 2.6."""
    vocab = tmp_path / "vocab"
    shutil.copytree(core_vocab.VOCAB_DIR, vocab)
    with open(vocab / "sipas_catalogue.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    newer = [{**r, "method": "2023", "from_year": "2023", "note": ""} for r in rows
             if r["method"] == "2017" and r["code"] != "1.4"]
    newer.append({"method": "2023", "from_year": "2023", "item_type": "criterion", "element": "2", "code": "2.6",
                  "name": "Thủ tục được thực hiện trực tuyến thuận tiện", "note": ""})
    with open(vocab / "sipas_catalogue.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + newer)
    monkeypatch.setattr(core_vocab, "VOCAB_DIR", vocab)
    _clear_catalogue_caches()
    yield
    monkeypatch.undo()
    _clear_catalogue_caches()


def _element_1(db, year: int):
    con = duckdb.connect(str(db))
    try:
        return compute_sipas(con, Period(date(year, 1, 1), date(year, 12, 31)))["total"]["elements"]["1"]
    finally:
        con.close()


def test_a_criterion_outside_the_years_method_is_not_counted_and_is_said(tmp_path, two_methods):
    db = database_with_units(tmp_path)
    header = ["Ngày khảo sát", "Đơn vị", "1.1 Nơi ngồi chờ", "1.4 Trang thiết bị dễ sử dụng", "2.6 Trực tuyến thuận tiện"]
    rows = [header,
            # 2024 (method 2023, no 1.4): three forms of the old layout, 1.4 answered «1» on each
            ["05/06/2024", "Quận 3", "4", "1", ""], ["06/06/2024", "Quận 3", "5", "1", ""],
            ["07/06/2024", "Quận 3", "4", "1", ""],
            # 2022 (method 2017, no 2.6): 1.4 counts, the 2.6 answer does not
            ["05/06/2022", "Quận 3", "4", "2", "5"], ["06/06/2022", "Quận 3", "5", "5", ""]]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", rows))
    assert errors == [] and result["rows_loaded"] == 5
    said = [w for w in result["warnings"] if "không có trong phương pháp" in w]
    assert len(said) == 2, result["warnings"]
    assert "«1.4 Trang thiết bị dễ sử dụng»" in said[0] and "phương pháp 2023" in said[0] and "năm 2024" in said[0]
    assert "3 câu trả lời" in said[0] and "dòng 2, 3, 4" in said[0]
    assert "«2.6 Trực tuyến thuận tiện»" in said[1] and "phương pháp 2017" in said[1] and "1 câu trả lời" in said[1]
    # 2024, no element-1 satisfaction question: the mean of its criteria of the 2023 method, 1.1 alone (3/3 = 1).
    # Before: 1.4 (0/3) entered the mean, (1 + 0) / 2 = 0.5.
    assert _element_1(db, 2024)["index"] == pytest.approx(1.0)
    # 2022: 1.1 (2/2) and 1.4 (1/2, the «2» is unfavourable), both of 2017: (1 + 0.5) / 2
    assert _element_1(db, 2022)["index"] == pytest.approx(0.75)
    con = duckdb.connect(str(db))
    try:
        kept = con.execute("SELECT item_code, count(*) FROM survey_answers WHERE item_type = 'criterion' "
                           "GROUP BY 1 ORDER BY 1").fetchall()
    finally:
        con.close()
    assert kept == [("1.1", 5), ("1.4", 2)]


def test_with_one_method_every_criterion_column_counts(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["Ngày khảo sát", "Đơn vị", "1.1", "1.4"], ["05/06/2024", "Quận 3", "4", "1"]]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", rows))
    assert errors == [] and not [w for w in result["warnings"] if "không có trong phương pháp" in w]
    assert _element_1(db, 2024)["index"] == pytest.approx(0.5)
