"""Twenty-second probe, SIPAS: a table counting each unit's questionnaires by answer level («Đơn vị | Mức độ | TC1.1 …
| HL5», a line per unit and level) loaded as five fake questionnaires per unit — Quận 3 0,27 where its counts give
0,74. It is refused and told what it is; a questionnaire whose overall question («Mức độ hài lòng chung») is
answered in words is not. Expected values are counted by hand."""
from tests.files import database_with_units, load_one, query, write_xlsx

LEVELS = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]


def test_a_count_table_by_answer_level_is_refused(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["BẢNG TỔNG HỢP KẾT QUẢ KHẢO SÁT NĂM 2022"], [],
            ["Đơn vị", "Mức độ", "TC1.1", "TC2.1", "HL1", "HL2", "HL3", "HL4", "HL5"]]
    for unit in ("Quận 3", "Sở Tư pháp"):
        rows += [[unit, level, n, n, n, n, n, n, n] for level, n in zip(LEVELS, (0, 1, 2, 4, 3))]
    result, errors = load_one(db, write_xlsx(tmp_path / "tong_hop.xlsx", rows))
    assert result is None and len(errors) == 1
    assert "cột «Mức độ» ghi các mức trả lời" in errors[0] and "bảng đếm số phiếu" in errors[0]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]


def test_an_overall_question_answered_in_words_still_loads(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["PHIẾU KHẢO SÁT NĂM 2022"],
            ["STT", "Đơn vị", "HL1", "HL2", "HL3", "HL4", "HL5", "Mức độ hài lòng chung"]]
    rows += [[i + 1, "Quận 3", 4, 4, 5, 3, 4, level] for i, level in enumerate(LEVELS[1:] + ["Hài lòng"])]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 5


def test_an_answer_not_read_is_said_with_its_sheet_and_rows(tmp_path):
    """Two sheets with an «HL2» column and «Tốt» typed in it: the summary said the column and the count only."""
    from etl.summary import format_summary
    from tests.files import write_workbook
    db = database_with_units(tmp_path)
    header = ["STT", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL4", "HL5"]
    path = write_workbook(tmp_path / "phieu.xlsx", {
        "Phường 9": [header, [1, "Phường 9", 2022, 4, "Tốt", 4, 4, 4], [2, "Phường 9", 2022, 5, 5, 5, 5, 5],
                     [3, "Phường 9", 2022, 4, "Tốt", 4, 4, 4]],
        "Quận 3": [header, [1, "Quận 3", 2022, 4, 4, 4, 4, 4]]})
    result, errors = load_one(db, path)
    assert errors == []
    assert "   Câu trả lời không hợp lệ ở cột «HL2» (trang «Phường 9», dòng 2, 4): 'Tốt' — không nhận ra (2 lần)." \
        in format_summary([result], []).splitlines()


def test_answers_written_as_their_initials(tmp_path):
    """«RHL», «HL», «BT», «KHL», «RKHL» — the levels as a contractor types them from paper forms — were not read."""
    db = database_with_units(tmp_path)
    rows = [["PHIẾU KHẢO SÁT NĂM 2022"], ["STT", "Đơn vị", "HL1", "HL2", "HL3", "HL4", "HL5"]]
    rows += [[1, "Quận 3", "RHL", "HL", "BT", "KHL", "RKHL"], [2, "Quận 3", "HL", "HL", "HL", "HL", "CHL"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    assert errors == [] and result["invalid_answers"] == 0
    assert query(db, "SELECT item_code, list(score ORDER BY response_id) FROM survey_answers GROUP BY 1 "
                     "ORDER BY 1") == [("HL1", [5, 4]), ("HL2", [4, 4]), ("HL3", [3, 4]), ("HL4", [2, 4]),
                                       ("HL5", [1, 2])]


def test_a_form_typed_for_one_unit_names_it_above_the_table(tmp_path):
    """«Đơn vị: UBND Phường 9 Quận 3» above a table without a unit column (refused before). By hand: HL1 3/4,
    HL2 4/4, HL3 4/4, HL4 3/4, HL5 3/4 favourable (4 or 5) → SIPAS (0,75 + 1 + 1 + 0,75 + 0,75) / 5 = 0,85."""
    import duckdb
    from indicators import Period, compute_sipas
    db = database_with_units(tmp_path)
    rows = [["KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG NĂM 2022"], ["Đơn vị: UBND Phường 9 Quận 3"], [],
            ["STT", "HL1", "HL2", "HL3", "HL4", "HL5"],
            [1, 4, 5, 4, 2, 4], [2, 5, 4, 4, 4, 3], [3, 3, 4, 5, 4, 4], [4, 4, 4, 4, 5, 5]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 4
    assert query(db, "SELECT DISTINCT unit_code FROM survey_responses") == [("Q3_P09",)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = compute_sipas(con, Period.year(2022), unit="Q3_P09")["total"]
    finally:
        con.close()
    assert row["sipas"] == 0.85 and row["questionnaires"] == 4
