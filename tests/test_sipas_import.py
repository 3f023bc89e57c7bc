"""Loading SIPAS survey exports: header forms, answer words, rejects, personal data, atomicity, re-import, sample."""
import hashlib
import json
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from common.text import norm_key
from etl import importer
from etl.core.database import connect
from etl.core.errors import ImportFailure
from etl.core.readers import read_grids
from etl.surveys import responses as survey_load
from etl.surveys.header import recognize_survey
from etl.surveys.vocab import item_of_header
from tests.conftest import FIXTURES, ROOT

SURVEYS = FIXTURES / "surveys"
XLSX = SURVEYS / "01_phieu_sipas_stp_2022.xlsx"
SURVEY_TABLES = ("survey_responses", "survey_answers", "survey_aggregates", "rejected_rows", "unmatched_units",
                 "import_log")


def run_import(db, *paths, kind=None):
    extra = ["--kind", kind] if kind else []
    return subprocess.run([sys.executable, "-m", "etl", "import", *map(str, paths), "--db", str(db), "--json", *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def snapshot_of(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT md5(string_agg(CAST(x AS VARCHAR), '|' ORDER BY CAST(x AS VARCHAR))), "
                               f"count(*) FROM {t} x").fetchall()[0] for t in SURVEY_TABLES if t != "import_log"}
    finally:
        con.close()


def query(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Units, the xlsx questionnaires and the published results, through the command line."""
    db = tmp_path_factory.mktemp("survey") / "cchc.duckdb"
    proc = run_import(db, FIXTURES / "units.csv", XLSX, SURVEYS / "02_phieu_sipas_quan3_2022.csv",
                      SURVEYS / "06_ket_qua_tong_hop_2022.csv")
    assert proc.returncode == 0, proc.stderr
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(proc.stdout)["files"]}
    return db, files


# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("header, expected", [
    ("TC1.1", ("criterion", "1.1", 1)), ("1.1", ("criterion", "1.1", 1)), ("Câu 1.1", ("criterion", "1.1", 1)),
    ("C1.1", ("criterion", "1.1", 1)), ("Câu 1.1 - Nơi ngồi chờ có đủ chỗ ngồi", ("criterion", "1.1", 1)),
    ("TC 1.1:", ("criterion", "1.1", 1)), ("tc2.3", ("criterion", "2.3", 2)), ("Tiêu chí 3.6", ("criterion", "3.6", 3)),
    ("HL1", ("element", "HL1", 1)), ("HL 5", ("element", "HL5", 5)), ("Hài lòng yếu tố 2", ("element", "HL2", 2)),
    ("HL", ("overall", "HL", None)), ("Hài lòng chung", ("overall", "HL", None)),
    ("MD1 - Mở rộng hình thức thông tin", ("expectation", "MD1", None)), ("MD12", ("expectation", "MD12", None)),
    # not answer columns: the dossier rating, an unknown criterion, element 9, unrelated numbers
    ("Mức độ hài lòng", None), ("Câu 9.9", None), ("1.9", None), ("HL9", None), ("Ngày 1.1", None), ("01.01", None),
])
def test_answer_column_headers(header, expected):
    assert item_of_header(norm_key(header)) == expected


def test_headers_fields_and_personal_data_dropped(loaded):
    db, files = loaded
    f = files[XLSX.name]
    assert f["kind"] == "survey" and f["layout"] == "responses"
    assert f["dropped_columns"] == ["Họ và tên", "Số điện thoại liên hệ"]
    items = [r[0] for r in query(db, "SELECT DISTINCT item_code FROM survey_answers WHERE source = ? ORDER BY 1",
                                 [f"{XLSX.name} · Sở Tư pháp"])]
    assert items == ["1.1", "1.2", "2.3", "2.4", "3.1", "3.2", "4.1", "5.1", "HL", "HL1", "HL2", "MD1", "MD3"]
    # No name or phone number from the file is stored anywhere.
    con = duckdb.connect(str(db), read_only=True)
    try:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            text = con.execute(f"SELECT coalesce(string_agg(CAST(x AS VARCHAR), '|'), '') FROM {table} x").fetchall()[0][0]
            assert "Nguyễn Văn A" not in text and "0900000000" not in text, table
    finally:
        con.close()


def test_answers_words_numbers_blanks_and_no_answer(loaded):
    db, _ = loaded
    rows = dict(((r, i), (a, s, v, f)) for r, i, a, s, v, f in query(db, """
        SELECT response_id, item_code, answer_text, score, is_valid, is_favourable FROM survey_answers
        WHERE starts_with(source, ?)""", [XLSX.name]))
    assert rows[("P01", "1.1")] == ("Rất hài lòng", 5, True, True)
    assert rows[("P03", "1.1")] == ("hai long", 4, True, True)          # no accents
    assert rows[("P04", "1.1")] == ("4.0", 4, True, True)               # a number written 4.0
    assert rows[("P07", "1.1")] == ("Không hài lòng", 2, True, False)
    assert rows[("P08", "1.2")] == ("dong y", 4, True, True)            # Đồng ý without accents
    assert rows[("P03", "1.2")] == ("Không đồng ý", 2, True, False)
    assert ("P05", "1.2") not in rows and ("P06", "1.2") not in rows    # blank, "Không trả lời": no answer
    # Out of range: loaded, kept as written, invalid, counted on the questionnaire and in the summary.
    assert rows[("P03", "2.3")] == ("7", None, False, None)
    assert query(db, "SELECT invalid_answer_count FROM survey_responses WHERE response_id = 'P03'") == [(1,)]
    # Expectations: every option is a row, chosen or not.
    assert rows[("P01", "MD1")] == ("x", None, True, True) and rows[("P02", "MD1")] == (None, None, True, False)


def test_out_of_range_answer_is_reported(loaded):
    _, files = loaded
    f = files[XLSX.name]
    assert f["invalid_answers"] == 1
    # with where it stands: line 7 of the sheet is P03's (read off the workbook)
    assert f["unrecognized_values"] == [{"field": "TC2.3", "value": "7", "count": 1, "reason": "ngoài thang 1–5",
                                         "sheet": "Phiếu khảo sát", "rows": [7]}]
    assert "không hợp lệ" in f["warnings"][0]


def test_rejects_skips_and_unmatched_unit(loaded):
    db, files = loaded
    f = files[XLSX.name]
    # rows 5–14 loaded (P01–P10); 15 no unit, 16 duplicate of P05 (row 9): rejected; 4 column numbers, 17 blank,
    # 18 signature: skipped
    assert (f["rows_read"], f["rows_loaded"], f["rows_rejected"], f["rows_skipped"]) == (12, 10, 2, 3)
    rejects = query(db, "SELECT sheet, row_number, reason_code, reason FROM rejected_rows WHERE file_name = ? "
                        "ORDER BY row_number", [XLSX.name])
    assert [r[:3] for r in rejects] == [("Phiếu khảo sát", 15, "missing_unit"), ("Phiếu khảo sát", 16, "duplicate_in_file")]
    assert rejects[0][3] == "Trang «Phiếu khảo sát», dòng 15: thiếu đơn vị được khảo sát."
    assert rejects[1][3] == "Trang «Phiếu khảo sát», dòng 16: mã phiếu «P05» trùng với dòng 9 trong cùng tệp (giữ phiếu dòng đó)."
    assert f["unmatched_units"] == ["Phòng Tiếp dân Quận 13"]
    assert query(db, "SELECT unit_text, unit_code FROM survey_responses WHERE response_id = 'P10'") == \
        [("Phòng Tiếp dân Quận 13", None)]
    assert ("Phòng Tiếp dân Quận 13",) in query(db, "SELECT unit_text FROM unmatched_units")


def test_dates_years_units_and_catalogue(loaded):
    db, _ = loaded
    # Excel date cells and dd/mm/yyyy text alike; the csv gives only the year; "UBND Quận 3" is an alias of Q3.
    assert query(db, "SELECT min(survey_date), max(survey_date), min(survey_year) FROM survey_responses "
                     "WHERE unit_code = 'STP'")[0] == (date(2022, 10, 3), date(2022, 10, 11), 2022)
    assert query(db, "SELECT count(*), count(survey_date), min(survey_year) FROM survey_responses "
                     "WHERE unit_code = 'Q3'") == [(40, 0, 2022)]
    assert query(db, "SELECT satisfaction_asked FROM survey_responses WHERE response_id = 'P01'") == [([1, 2],)]
    assert query(db, "SELECT count(*) FILTER (WHERE item_type = 'element'), count(*) FILTER (WHERE item_type = "
                     "'criterion') FROM sipas_catalogue WHERE method = '2017'") == [(5, 22)]


def test_published_results_long_layout(loaded):
    db, files = loaded
    f = files["06_ket_qua_tong_hop_2022.csv"]
    assert f["layout"] == "aggregates" and (f["rows_loaded"], f["rows_rejected"]) == (6, 1)
    rates = query(db, "SELECT element_no, satisfied_rate, respondent_count FROM survey_aggregates "
                      "WHERE unit_code = 'SKHDT' ORDER BY 1")
    # '90%', '85', '88,0', '92', '0.80' are all percentages
    assert [(e, round(r, 6), n) for e, r, n in rates] == [(1, 0.9, 200), (2, 0.85, 200), (3, 0.88, 200),
                                                           (4, 0.92, 200), (5, 0.8, 200)]
    assert f["rejects"][0]["reason_code"] == "bad_element" and "Yếu tố 9" in f["rejects"][0]["reason"]


def test_reimport_is_a_no_op(loaded):
    db, _ = loaded
    before = snapshot_of(db)
    proc = run_import(db, XLSX, SURVEYS / "06_ket_qua_tong_hop_2022.csv")
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert [(f["rows_loaded"], f["rows_updated"], f["rows_unchanged"]) for f in files] == [(0, 0, 10), (0, 0, 6)]
    after = snapshot_of(db)
    # the rejects of the earlier load of the same file are replaced, not listed twice
    for table in ("survey_responses", "survey_answers", "survey_aggregates", "unmatched_units"):
        assert after[table] == before[table], table
    assert after["rejected_rows"][1] == before["rejected_rows"][1]


def test_missing_unit_column_fails_and_leaves_database_untouched(loaded):
    db, _ = loaded
    before = snapshot_of(db)
    proc = run_import(db, SURVEYS / "04_thieu_cot_don_vi.csv")
    assert proc.returncode == 2
    assert "không tìm thấy cột «Đơn vị được khảo sát»" in proc.stderr
    assert snapshot_of(db) == before


def test_file_without_criterion_column_fails(tmp_path):
    db = tmp_path / "cchc.duckdb"
    proc = run_import(db, SURVEYS / "05_khong_co_cot_tieu_chi.csv", kind="survey")
    assert proc.returncode == 2
    assert "không tìm thấy cột câu hỏi khảo sát nào" in proc.stderr
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]


def test_failure_halfway_leaves_database_as_it_was(loaded, monkeypatch):
    db, _ = loaded
    before = snapshot_of(db)

    # Fail after the questionnaires and answers were written, before the import is logged.
    def explode(*_args, **_kwargs):
        raise RuntimeError("mất điện giữa chừng")
    monkeypatch.setattr(survey_load, "_record_unmatched_units", explode)
    con = connect(db)
    try:
        # the importer says it in Vietnamese (a loader defect is never shown raw) and keeps the data as it was
        with pytest.raises(ImportFailure):
            importer.import_file(con, SURVEYS / "03_phieu_sipas_quan3_2021.csv")
    finally:
        con.close()
    assert snapshot_of(db) == before


def test_dossier_exports_are_never_taken_for_surveys():
    for path in sorted((FIXTURES / "exports").iterdir()):
        for grid in read_grids(path):
            head = [list(r.values()) for r in grid.table.slice(0, 45).to_pylist()]
            assert recognize_survey(head) is None, path.name


# ---------------------------------------------------------------------------------------------------------
def test_sample_has_surveys_for_every_department_and_district(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        wanted = {c for (c,) in con.execute("""SELECT unit_code FROM units WHERE level IN ('department', 'district')
                                               AND valid_to IS NULL""").fetchall()}
        assert len(wanted) == 42
        for year in (2021, 2022):
            counts = dict(con.execute("""SELECT unit_code, count(*) FROM survey_responses WHERE survey_year = ?
                                         GROUP BY 1""", [year]).fetchall())
            assert set(counts) == wanted, year                  # every one, and no ward or unmatched name
            assert sum(n < 30 for n in counts.values()) == 3    # deliberately small units
            assert 9_000 <= sum(counts.values()) <= 13_000
        assert con.execute("SELECT count(*) FROM rejected_rows WHERE file_name LIKE 'khao_sat%'").fetchall() == [(0,)]
    finally:
        con.close()


def test_sample_city_sipas_is_near_the_target(demo_db):
    from indicators.periods import Period
    from indicators.sipas import compute_sipas
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        y2022 = compute_sipas(con, Period.year(2022))
        y2021 = compute_sipas(con, Period.year(2021))
    finally:
        con.close()
    total = y2022["total"]
    assert total["target"] == pytest.approx(0.86) and abs(total["gap_points"]) < 2.5
    assert y2021["total"]["sipas"] < total["sipas"]
    below = [r for r in y2022["rows"] if r["sipas"] < 0.86]
    assert 5 <= len(below) <= 25


def test_sample_surveys_are_deterministic(tmp_path):
    from sample.surveys import generate_surveys
    first = generate_surveys(tmp_path / "a", progress=lambda _: None)
    second = generate_surveys(tmp_path / "b", progress=lambda _: None)
    assert [p.name for p in first] == ["khao_sat_sipas_so_nganh_2021_2022.xlsx", "khao_sat_sipas_quan_huyen_2021_2022.csv"]
    for a, b in zip(first, second):
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a.name


# ---------------------------------------------------------------------------------------------------------
# Layout quirks, one small file each (tests/fixtures/surveys/make_surveys.py, write_quirk_files); the expected
# figures are counted by hand from the rows written there.
def load_fresh(tmp_path, *paths, extra=()):
    """Units plus the given files into a fresh database through the command line: (db, [file results])."""
    db = tmp_path / "cchc.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(FIXTURES / "units.csv"), *map(str, paths),
                           "--db", str(db), "--json", *extra], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return db, json.loads(proc.stdout)["files"][1:]


def reimport(db, *paths, extra=()):
    """Further files into an existing database: (file results as JSON, printed summary)."""
    args = [sys.executable, "-m", "etl", "import", *map(str, paths), "--db", str(db), *extra]
    as_json = subprocess.run(args + ["--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert as_json.returncode == 0, as_json.stderr
    return json.loads(as_json.stdout)["files"]


def answers(db, where="true"):
    return {(r, i): (a, s, v, f) for r, i, a, s, v, f in query(db, f"""
        SELECT response_id, item_code, answer_text, score, is_valid, is_favourable FROM survey_answers
        WHERE {where}""")}


def test_first_questionnaire_answering_hai_long_is_data_not_header(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "07_hai_long_dong_dau.csv")
    # 3 questionnaires, none swallowed into the header ('Hài lòng' = the alias '% hài lòng' without accents)
    assert (f["rows_read"], f["rows_loaded"], f["rows_rejected"], f["ignored_columns"]) == (3, 3, 0, [])
    got = answers(db)
    # A1: Hài lòng 4, Rất hài lòng 5, Hài lòng 4; A2: 2, 4, 5; A3: Bình thường 3, 2, 4
    assert [got[(r, "1.1")][1] for r in ("A1", "A2", "A3")] == [4, 2, 3]
    assert [got[(r, "1.2")][1] for r in ("A1", "A2", "A3")] == [5, 4, 2]
    assert [got[(r, "HL1")][1] for r in ("A1", "A2", "A3")] == [4, 5, 4]


def test_first_questionnaire_with_gender_nam_is_data_not_header(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "08_gioi_tinh_nam_dong_dau.csv")
    # 'Nam' (male) reads as 'Năm' (year) without accents: the gender column must not become the year column
    assert (f["rows_read"], f["rows_loaded"], f["rows_rejected"]) == (3, 3, 0)
    assert query(db, "SELECT response_id, gender, survey_year FROM survey_responses ORDER BY 1") == \
        [("B1", "Nam", 2022), ("B2", "Nữ", 2022), ("B3", "Nam", 2022)]
    assert sorted(v[1] for k, v in answers(db).items() if k[1] == "1.1") == [2, 4, 5]


def test_numbered_answers_and_dashes(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "09_so_kem_chu.csv")
    got = answers(db)
    # '4 - Hài lòng' and '4 – Hài lòng' are 4; '5. Rất hài lòng' 5; '2. Không hài lòng' 2; '3 - Bình thường' 3
    assert got[("C1", "1.1")] == ("4 - Hài lòng", 4, True, True) and got[("C2", "1.1")][1:] == (4, True, True)
    assert [got[(r, "HL1")][1] for r in ("C1", "C2", "C4")] == [5, 2, 3]
    # '5 - Hài lòng': the number says 5, the words 4 → invalid, kept as written, reported with the reason
    assert got[("C3", "1.1")] == ("5 - Hài lòng", None, False, None)
    assert f["invalid_answers"] == 1
    assert f["unrecognized_values"] == [{"field": "TC1.1", "value": "5 - Hài lòng", "count": 1,
                                         "reason": "số và chữ không khớp nhau", "sheet": None, "rows": [4]}]   # C3: line 4
    # '-' and '—' are no answer: no row, not invalid
    assert ("C3", "HL1") not in got and ("C4", "1.1") not in got


def test_expectation_marks(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "10_mong_doi_danh_dau.csv")
    got = answers(db, "item_type = 'expectation'")
    chosen = {k: (v[2], v[3]) for k, v in got.items()}     # (is_valid, chosen)
    # MD1: x, ✓, Có, X chosen; '-' not chosen → 4 of 5
    assert [chosen[(r, "MD1")] for r in ("D1", "D2", "D3", "D4", "D5")] == [(True, True)] * 4 + [(True, False)]
    # MD2: '-', '0', 'Không', blank not chosen; '?' no mark: said, and not chosen — its respondent still counts,
    # so every option of the question has the same respondents (probe 11: it left MD2's denominator)
    assert [chosen[(r, "MD2")] for r in ("D1", "D2", "D3", "D4", "D5")] == [(True, False)] * 5
    [mark] = f["unrecognized_values"]
    assert mark["value"] == "?" and "không tính là đã chọn" in mark["reason"]
    # an invalid mark does not make the questionnaire's answers invalid
    assert query(db, "SELECT invalid_answer_count FROM survey_responses WHERE response_id = 'D5'") == [(0,)]
    from indicators.sipas import compute_sipas
    from indicators.periods import Period
    con = duckdb.connect(str(db), read_only=True)
    try:
        md = compute_sipas(con, Period.year(2022))["rows"][0]["expectations"]
    finally:
        con.close()
    assert (md["MD1"]["chosen"], md["MD1"]["valid"], md["MD2"]["chosen"], md["MD2"]["valid"]) == (4, 5, 0, 5)


def test_implausible_years_are_rejected_month_year_is_the_year(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "11_ngay_nam_hai_so.csv")
    # E1 '03/10/22' (year 22) and E5 '15/06/1999' rejected; E2 dated; E3 '10/2022', E4 'Tháng 11/2022' year only
    assert (f["rows_read"], f["rows_loaded"], f["rows_rejected"]) == (5, 3, 2)
    # A two-digit year is no date at all (the shared date parser wants four digits); 1999 is a date, implausible.
    assert [(r["row"], r["reason_code"]) for r in f["rejects"]] == [(2, "bad_date"), (6, "implausible_year")]
    assert f["rejects"][0]["reason"].startswith("Dòng 2: ngày khảo sát «03/10/22» không đọc được")
    assert "đủ 4 chữ số" in f["rejects"][0]["reason"] and "«15/06/1999» cho năm 1999" in f["rejects"][1]["reason"]
    assert query(db, "SELECT response_id, survey_date, survey_year FROM survey_responses ORDER BY 1") == \
        [("E2", date(2022, 10, 3), 2022), ("E3", None, 2022), ("E4", None, 2022)]


def test_same_file_name_from_two_units_and_identical_copies(tmp_path):
    quan3, stp = SURVEYS / "12_cung_ten" / "quan_3" / "phieu.csv", SURVEYS / "12_cung_ten" / "so_tu_phap" / "phieu.csv"
    db, files = load_fresh(tmp_path, quan3, stp)
    # both 'phieu.csv', both numbered 1, 2: four questionnaires, the second file overwrites nothing
    assert [(f["rows_loaded"], f["rows_updated"], f["source"]) for f in files] == \
        [(2, 0, "phieu.csv · Quận 3"), (2, 0, "phieu.csv · Sở Tư pháp")]
    assert query(db, "SELECT unit_code, count(*) FROM survey_responses GROUP BY 1 ORDER BY 1") == \
        [("Q3", 2), ("STP", 2)]
    # reloading a file finds its questionnaires again
    assert [(f["rows_loaded"], f["rows_unchanged"]) for f in reimport(db, quan3)] == [(0, 2)]
    # an identical copy under another name is the same source: nothing added, and the summary says why
    copy = tmp_path / "phieu (1).csv"
    copy.write_bytes(stp.read_bytes())
    [f] = reimport(db, copy)
    assert (f["rows_loaded"], f["rows_unchanged"], f["same_content_as"]) == (0, 2, "phieu.csv")
    from etl.summary import format_summary
    assert "giống hệt tệp «phieu.csv»" in format_summary([f], [])
    assert query(db, "SELECT count(*) FROM survey_responses") == [(4,)]
    # --source still names the source as given
    [f] = reimport(db, quan3, extra=["--source", "he_thong_khao_sat"])
    assert (f["rows_loaded"], f["source"]) == (2, "he_thong_khao_sat")


def test_questionnaires_keyed_on_the_bare_file_name_are_found_again(tmp_path):
    """A database loaded when the source was the file name alone: reloading updates, never doubles."""
    quan3 = SURVEYS / "12_cung_ten" / "quan_3" / "phieu.csv"
    db, _ = load_fresh(tmp_path, quan3)
    con = duckdb.connect(str(db))
    try:
        for table in ("survey_responses", "survey_answers"):
            con.execute(f"UPDATE {table} SET source = 'phieu.csv'")
        con.execute("DELETE FROM import_log WHERE kind = 'survey'")
    finally:
        con.close()
    [f] = reimport(db, quan3)
    assert (f["rows_loaded"], f["rows_unchanged"]) == (0, 2)
    assert query(db, "SELECT DISTINCT source FROM survey_answers") == [("phieu.csv · Quận 3",)]


def test_unnumbered_satisfaction_column_under_each_element_group(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "13_hl_theo_nhom.xlsx")
    got = answers(db)
    # 'HL' under 'Yếu tố 1' → HL1 (5, 4); 'Mức độ hài lòng' under 'Yếu tố 2' → HL2 (2, 1); 'Hài lòng chung' → HL (4, 5)
    assert sorted({k[1] for k in got}) == ["1.1", "1.2", "2.1", "HL", "HL1", "HL2"]
    assert [got[(r, "HL1")][1] for r in ("G1", "G2")] == [5, 4]
    assert [got[(r, "HL2")][1] for r in ("G1", "G2")] == [2, 1]
    assert [got[(r, "HL")][1] for r in ("G1", "G2")] == [4, 5]
    assert f["ignored_columns"] == []
    assert query(db, "SELECT DISTINCT satisfaction_asked FROM survey_responses") == [([1, 2],)]


def test_totals_and_signature_lines_are_skipped(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "14_dong_tong_chu_ky.xlsx")
    # rows 2–3 questionnaires; 4 'Tỷ lệ hài lòng (%)', 5 'Số phiếu hài lòng', 6 place and date, 7 signatures, 8 names
    assert (f["rows_read"], f["rows_loaded"], f["rows_rejected"], f["rows_skipped"]) == (2, 2, 0, 5)
    assert query(db, "SELECT response_id FROM survey_responses ORDER BY 1") == [("H1",), ("H2",)]


def test_criteria_outside_the_catalogue_are_named_in_the_summary(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "15_tieu_chi_ngoai_danh_muc.csv")
    assert f["ignored_criteria"] == ["TC2.6", "TC3.7"]
    from etl.summary import format_summary
    assert "Bỏ qua cột không có trong danh mục tiêu chí: TC2.6, TC3.7" in format_summary([f], [])
    assert query(db, "SELECT item_code FROM survey_answers") == [("1.1",)]


def test_published_results_wide_layout(tmp_path):
    db, [f] = load_fresh(tmp_path, SURVEYS / "16_ket_qua_dang_rong.csv")
    # Phường 9: 5 elements; Võ Thị Sáu: 4 (element 5 not published); the 'Tổng cộng' line skipped. Counted in lines
    # (2 units' lines, 9 results).
    assert (f["layout"], f["rows_loaded"], f["rows_rejected"], f["rows_skipped"]) == ("aggregates", 2, 0, 1)
    assert f["results_read"] == 9 and not f["warnings"]   # 150 + 120 = 270 as the 'Tổng cộng' line says
    rates = query(db, "SELECT unit_code, element_no, satisfied_rate, respondent_count FROM survey_aggregates "
                      "ORDER BY 1, 2")
    # '80', '85%', '90,0', '0.95', '70' are all percentages; 'Số phiếu' is the number of questionnaires here
    assert [(u, e, round(r, 6), n) for u, e, r, n in rates] == [
        ("Q3_P09", 1, 0.8, 150), ("Q3_P09", 2, 0.85, 150), ("Q3_P09", 3, 0.9, 150), ("Q3_P09", 4, 0.95, 150),
        ("Q3_P09", 5, 0.7, 150), ("Q3_VTS", 1, 0.75, 120), ("Q3_VTS", 2, 0.8, 120), ("Q3_VTS", 3, 0.85, 120),
        ("Q3_VTS", 4, 0.9, 120)]
