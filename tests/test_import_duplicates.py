"""A dossier code twice in one file: the first line that is not rejected for another reason loads, the later ones are
rejected naming that line."""
import csv

from etl import importer
from etl.core.database import connect


def test_later_lines_of_a_code_are_rejected_naming_the_first_kept_line(tmp_path):
    path = tmp_path / "dup.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerows([
            ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận"],   # line 1
            ["D-1", "UBND Phường 1", "03/10/2022"],     # 2 loaded
            ["D-2", "UBND Phường 1", "03/10/2022"],     # 3 loaded
            ["D-1", "UBND Phường 1", "04/10/2022"],     # 4 duplicate of line 2
            ["D-1", "", "05/10/2022"],                  # 5 no unit: rejected for that, not as a duplicate
            ["D-1", "UBND Phường 2", "06/10/2022"],     # 6 duplicate of line 2
            ["D-3", "", "03/10/2022"],                  # 7 no unit
            ["D-3", "UBND Phường 2", "07/10/2022"],     # 8 loaded: line 7 was rejected, so this is D-3's first
        ])
    con = connect(tmp_path / "cchc.duckdb")
    try:
        result = importer.import_file(con, path)
        assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (3, 4, 0)
        assert [(r["row"], r["reason_code"], r["reason"]) for r in result["rejects"]] == [
            (4, "duplicate_in_file", "Mã hồ sơ trùng với dòng 2 trong cùng tệp."),
            (5, "missing_unit", "Thiếu đơn vị tiếp nhận."),
            # another ward's line: the reason says so (ward logbooks each numbering from 1, probe 16)
            (6, "duplicate_in_file", "Mã hồ sơ trùng với dòng 2 trong cùng tệp. Dòng đó thuộc đơn vị khác («UBND "
                "Phường 1»): nếu mỗi đơn vị tự đánh số hồ sơ, hãy tách tệp theo đơn vị và nạp mỗi tệp với một tên hệ "
                "thống riêng (--source)."),
            (7, "missing_unit", "Thiếu đơn vị tiếp nhận."),
        ]
        assert con.execute("SELECT dossier_code, row_number FROM dossiers ORDER BY 1").fetchall() == [
            ("D-1", 2), ("D-2", 3), ("D-3", 8)]
        assert con.execute("SELECT row_number, reason_code FROM rejected_rows ORDER BY 1").fetchall() == [
            (4, "duplicate_in_file"), (5, "missing_unit"), (6, "duplicate_in_file"), (7, "missing_unit")]
    finally:
        con.close()
