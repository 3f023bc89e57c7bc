"""A questionnaire file numbering its answers the other way round (1 = Rất hài lòng) and saying so in a legend — a
title line, a note under the table, a sheet of its own — is read by its legend (probe 32: 92 % was read as 6 %); a
legend that cannot be followed refuses the file. Scores are read off the rows by hand."""
from etl.summary import format_summary
from tests.files import database_with_units, load_one, query, write_workbook, write_xlsx

HEADER = ["Số phiếu", "Đơn vị", "Năm", "HL1", "HL2", "HL3", "HL4", "HL5"]
ANSWERS = [[1, "Quận 3", 2022, 1, 1, 2, 5, 3], [2, "Quận 3", 2022, 2, 1, 1, 1, 4]]
REVERSED = "Quy ước mã trả lời: 1 = Rất hài lòng; 2 = Hài lòng; 3 = Bình thường; 4 = Không hài lòng; " \
           "5 = Rất không hài lòng"
# each answer n read as 6 − n
BY_LEGEND = [("HL1", [5, 4]), ("HL2", [5, 5]), ("HL3", [4, 5]), ("HL4", [1, 5]), ("HL5", [3, 2])]


def _scores(db):
    return query(db, "SELECT item_code, list(score ORDER BY response_id) FROM survey_answers GROUP BY 1 ORDER BY 1")


def test_a_reversed_legend_in_a_title_line_is_followed_and_said(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx",
                                             [["TỔNG HỢP PHIẾU KHẢO SÁT NĂM 2022"], [REVERSED], HEADER, *ANSWERS]))
    assert errors == [] and result["rows_loaded"] == 2 and result["invalid_answers"] == 0
    assert _scores(db) == BY_LEGEND
    assert any("quy ước mã trả lời khác thang" in w and "dòng 2" in w and "1 = Rất hài lòng" in w
               for w in result["warnings"]), result["warnings"]


def test_a_legend_in_a_note_under_the_table_and_a_signature_line(tmp_path):
    db = database_with_units(tmp_path)
    rows = [HEADER, *ANSWERS, [],
            ["Ghi chú: mã trả lời 1 - Rất hài lòng, 2 - Hài lòng, 3 - Bình thường, 4 - Không hài lòng, "
             "5 - Rất không hài lòng"],
            ["Người nhập phiếu", "Phạm Văn Dũng"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    # the note and the signer's line are skipped, not rejected as questionnaires without a unit
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 0)
    assert _scores(db) == BY_LEGEND
    assert query(db, "SELECT count(*) FROM rejected_rows") == [(0,)]


def test_a_legend_sheet_is_followed_and_the_ministrys_own_changes_nothing(tmp_path):
    db = database_with_units(tmp_path)
    legend = [["Mã trả lời", "Ý nghĩa"], *[[n, w] for n, w in enumerate(
        ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"], start=1)]]
    result, errors = load_one(db, write_workbook(tmp_path / "phieu.xlsx", {"Phiếu": [HEADER, *ANSWERS],
                                                                            "Quy ước": legend}))
    assert errors == [] and _scores(db) == BY_LEGEND
    assert any("trang «Quy ước»" in w for w in result["warnings"])
    # the Ministry's scale stated (as its software's answer key sheet does): the numbers as they are, nothing said
    other = database_with_units(tmp_path / "bnv")
    ministry = [["Mã trả lời", "Nội dung trả lời"], *[[n, w] for n, w in enumerate(
        ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"], start=1)]]
    result, errors = load_one(other, write_workbook(tmp_path / "bnv" / "phieu.xlsx",
                                                    {"Phiếu": [HEADER, *ANSWERS], "Danh mục mã": ministry}))
    assert errors == [] and not any("quy ước" in w for w in result["warnings"])
    assert _scores(other) == [("HL1", [1, 2]), ("HL2", [1, 1]), ("HL3", [2, 1]), ("HL4", [5, 1]), ("HL5", [3, 4])]


def test_a_legend_that_cannot_be_followed_refuses_the_file(tmp_path):
    db = database_with_units(tmp_path)
    # two legends that disagree on what 1 means
    rows = [[REVERSED], HEADER, *ANSWERS, ["Ghi chú: 1 = Rất không hài lòng, 5 = Rất hài lòng"]]
    result, errors = load_one(db, write_xlsx(tmp_path / "hai.xlsx", rows))
    assert result is None and "số 1 được giải thích khác nhau" in errors[0] and "dòng 1" in errors[0] \
        and "dòng 5" in errors[0]
    # a numbering that is neither the scale nor its reverse, and leaves numbers unexplained
    rows = [["Quy ước: 1 = Hài lòng; 2 = Rất hài lòng"], HEADER, *ANSWERS]
    result, errors = load_one(db, write_xlsx(tmp_path / "thieu.xlsx", rows))
    assert result is None and "không đủ để đọc các số 1–5" in errors[0]
    assert query(db, "SELECT count(*) FROM survey_responses") == [(0,)]
    assert "Không nạp dòng nào" in format_summary([], errors)


def test_criteria_numbered_within_their_element_group(tmp_path):
    """«Yếu tố 1…» merged over «Tiêu chí 1 | Tiêu chí 2 | Mức độ hài lòng»: criterion 1.1, 1.2 and HL1 (probe 32:
    every «Tiêu chí j» was left unread, listed without its group)."""
    db = database_with_units(tmp_path)
    rows = [["BẢNG NHẬP PHIẾU KHẢO SÁT NĂM 2022"],
            ["Mã phiếu", "Đơn vị", "Yếu tố 1. Tiếp cận dịch vụ", None, None, "Yếu tố 2. Thủ tục hành chính", None, None],
            [None, None, "Tiêu chí 1", "Tiêu chí 2", "Mức độ hài lòng", "Tiêu chí 1", "TC 5", "Mức độ hài lòng"],
            ["P1", "Quận 3", 4, 5, 4, 3, 2, 3],
            ["P2", "Quận 3", 5, 5, 5, 4, 4, 4]]
    result, errors = load_one(db, write_xlsx(tmp_path / "nhom.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2
    assert _scores(db) == [("1.1", [4, 5]), ("1.2", [5, 5]), ("2.1", [3, 4]), ("2.5", [2, 4]), ("HL1", [4, 5]),
                           ("HL2", [3, 4])]


def test_counts_sentences_and_tally_sheets_are_no_legend(tmp_path):
    """A tally of answers (a sheet «Rất hài lòng | 1», a line «Câu 1: Rất hài lòng 2 phiếu; Câu 2: Hài lòng 1 phiếu»)
    and a respondent's sentence are no legend: the numbers keep the Ministry's scale (the review found the first
    flipping every score, the others refusing the file)."""
    db = database_with_units(tmp_path)
    header = HEADER + ["Ý kiến khác"]
    rows = [header, *[a + [None] for a in ANSWERS[:1]],
            ANSWERS[1] + ["Thủ tục 5 rất hài lòng, thời gian 3 bình thường"], [],
            ["Câu 1: Rất hài lòng 2 phiếu; Câu 2: Hài lòng 1 phiếu"]]
    tally = [["Câu 1: Mức độ hài lòng", "Số phiếu"], ["Rất hài lòng", 1], ["Hài lòng", 2], ["Bình thường", None]]
    result, errors = load_one(db, write_workbook(tmp_path / "phieu.xlsx", {"Phiếu": rows, "Tổng hợp câu 1": tally}))
    assert errors == [] and not any("quy ước" in w for w in result["warnings"])
    assert _scores(db) == [("HL1", [1, 2]), ("HL2", [1, 1]), ("HL3", [2, 1]), ("HL4", [5, 1]), ("HL5", [3, 4])]


def test_a_blank_questionnaire_whose_code_reads_like_a_signature_word_is_still_rejected(tmp_path):
    """«Kỳ 1-001» with no answer is a questionnaire without answers (rejected, listed), not a «Ký …» line."""
    db = database_with_units(tmp_path)
    rows = [HEADER, *ANSWERS, ["Kỳ 1-001", "Quận 3", 2022, None, None, None, None, None]]
    result, errors = load_one(db, write_xlsx(tmp_path / "phieu.xlsx", rows))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (2, 1)


def test_questions_numbered_through_the_form_are_not_read_within_their_group(tmp_path):
    """«Câu 3» under «Yếu tố 2» after «Câu 1 | Câu 2» under «Yếu tố 1» is the form's third question, criterion 2.1,
    not 2.3 (the review): such columns are left unread, said, rather than read as the wrong criterion."""
    db = database_with_units(tmp_path)
    rows = [["BẢNG NHẬP PHIẾU KHẢO SÁT NĂM 2022"],
            ["Mã phiếu", "Đơn vị", "Yếu tố 1. Tiếp cận dịch vụ", None, None, "Yếu tố 2. Thủ tục hành chính", None],
            [None, None, "Câu 1", "Câu 2", "Mức độ hài lòng", "Câu 3", "Mức độ hài lòng"],
            ["P1", "Quận 3", 4, 5, 4, 3, 3], ["P2", "Quận 3", 5, 5, 5, 4, 4]]
    result, errors = load_one(db, write_xlsx(tmp_path / "lien.xlsx", rows))
    assert errors == [] and result["rows_loaded"] == 2
    assert _scores(db) == [("HL1", [4, 5]), ("HL2", [3, 4])]
