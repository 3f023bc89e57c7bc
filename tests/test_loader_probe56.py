"""Fifty-sixth loader probe: questionnaires and the 766 files a city receives. Expected values are counted by hand
from the lines below; each test failed on the code before its fix."""
from tests.files import database_with_units, load_one, query, write_csv


def test_two_years_numbered_from_one_in_one_file(tmp_path):
    """A unit's file of its 2022 and 2023 surveys, each year numbered from 1: 2023's questionnaires were rejected as
    copies of 2022's, and the 2023 survey vanished. Both kept; a copy within one year is still rejected."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Đơn vị", "Ngày khảo sát", "HL1"],
        ["1", "Sở Tư pháp", "15/11/2022", "4"],
        ["2", "Sở Tư pháp", "16/11/2022", "5"],
        ["1", "Sở Tư pháp", "14/11/2023", "5"],
        ["1", "Sở Tư pháp", "15/11/2023", "3"]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (3, 1)
    assert "trùng với dòng 4" in result["rejects"][0]["reason"]
    assert query(db, "SELECT response_id, survey_year FROM survey_responses ORDER BY 2, 1") == [
        ("1", 2022), ("2", 2022), ("2023 · 1", 2023)]
    assert any("1 mã phiếu của năm 2023 trùng mã phiếu của năm trước" in w for w in result["warnings"])
    again, errors = load_one(db, tmp_path / "phieu.csv")   # the same file again changes nothing
    assert errors == [] and (again["rows_loaded"], again["rows_unchanged"]) == (0, 3)


def test_units_named_with_their_province_as_the_portal_writes_them(tmp_path):
    """«UBND Quận 3 - Thành phố Hồ Chí Minh», «Sở Kế hoạch và Đầu tư Thành phố Hồ Chí Minh», «UBND Phường Võ Thị Sáu -
    Quận 3 - Thành phố Hồ Chí Minh»: unmatched, so every figure of such a file stood under no unit. Each is its unit;
    a ward the list lacks stays unmatched."""
    db = database_with_units(tmp_path)
    names = ["UBND Quận 3 - Thành phố Hồ Chí Minh", "Sở Kế hoạch và Đầu tư Thành phố Hồ Chí Minh",
             "UBND Phường Võ Thị Sáu - Quận 3 - Thành phố Hồ Chí Minh", "UBND Phường 14 - Quận 3 - Thành phố Hồ Chí Minh"]
    result, errors = load_one(db, write_csv(tmp_path / "phieu.csv", [
        ["Mã phiếu", "Đơn vị", "Năm", "HL1"], *[[str(i), n, "2022", "4"] for i, n in enumerate(names, start=1)]]))
    assert errors == [] and result["rows_loaded"] == 4
    assert query(db, "SELECT unit_text, unit_code FROM survey_responses ORDER BY response_id") == [
        (names[0], "Q3"), (names[1], "SKHDT"), (names[2], "Q3_VTS"), (names[3], None)]


def test_an_empty_766_table_is_said(tmp_path):
    """A database with units and no dossier, input or score of theirs: `index766 --by unit` printed rows [] and nothing
    else. Still exit 0 (an empty period is an answer), said on stderr."""
    import subprocess
    import sys
    db = database_with_units(tmp_path)
    done = subprocess.run([sys.executable, "-m", "indicators", "index766", "--db", str(db), "--from", "2022-10-01",
                           "--to", "2022-12-31", "--by", "unit", "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0 and '"rows": []' in done.stdout
    assert "Không đơn vị nào có số liệu 766 trong kỳ 01/10/2022–31/12/2022" in done.stderr


def test_the_signers_name_under_a_results_table_is_skipped(tmp_path):
    """«Người lập biểu» over «Lê Thị Mai» under a results table sent upward: the name was rejected as a result without
    its element («thiếu năm khảo sát» in a CSV). Skipped with the signature line: 1 result loaded, nothing rejected."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ket_qua.csv", [
        ["Đơn vị", "Năm", "Yếu tố", "Tỷ lệ hài lòng", "Số phiếu hợp lệ"],
        ["Phường 9", "2022", "Yếu tố 1", "85,5%", "120"], ["", "", "", "", ""],
        ["Người lập biểu", "", "", "", ""], ["Lê Thị Mai", "", "", "", ""]]))
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (1, 0, 3)
