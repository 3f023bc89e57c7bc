"""Free text typed where a questionnaire asks for a choice or a unit (a form's «Khác» write-in) is kept without the
phone numbers, ID-card numbers and e-mails in it (probe 32 found them in the answers, the rejected lines and the
unmatched units). Every text column of the database file is searched afterwards."""
import re

import duckdb

from tests.files import database_with_units, load_one, write_csv

HEADER = ["Dấu thời gian", "Đơn vị", "HL1", "HL2", "HL3", "HL4", "HL5", "Mong đợi của Ông/Bà"]
SECRETS = ("0912888777", "0987111222", "0909555444", "079190001234", "an.nguyen@gmail.com", "02838291234",
           "0903111222")


def _texts(db) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = []
        for table, column in con.execute("""SELECT table_name, column_name FROM information_schema.columns
                                            WHERE data_type = 'VARCHAR' AND table_schema = 'main'""").fetchall():
            out += [v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')
                    .fetchall()]
        return out
    finally:
        con.close()


def test_phone_id_and_email_in_write_ins_are_not_kept(tmp_path):
    db = database_with_units(tmp_path)
    rows = [HEADER,
            ["01/11/2022 09:30:00", "Phường 9", "Hài lòng", "Tạm được, cần gọi lại cho tôi 0912 888 777", "Hài lòng",
             "Hài lòng", "Hài lòng", ""],
            ["02/11/2022 09:30:00", "Phường 9", "Hài lòng", "Hài lòng", "Hài lòng", "Hài lòng", "Hài lòng",
             "Đề nghị liên hệ 0987111222 hoặc an.nguyen@gmail.com"],
            ["03/11/2022 09:30:00", "Khác - ĐT 0909.555.444, CCCD 079190001234", "Hài lòng", "Hài lòng", "Hài lòng",
             "Hài lòng", "Hài lòng", ""],
            # the forms the review found kept: a bracketed area code, dashes with spaces around them
            ["04/11/2022 09:30:00", "Phường 9", "Hài lòng", "Gọi (028) 3829 1234 hoặc 0903 - 111 - 222", "Hài lòng",
             "Hài lòng", "Hài lòng", ""]]
    result, errors = load_one(db, write_csv(tmp_path / "google.csv", rows))
    # the write-in answer is still counted as invalid, the unknown choice is still said (as no option, its line
    # counted: probe 46), the unknown unit is still listed: only the numbers are gone
    assert errors == [] and result["invalid_answers"] == 2 and result["rows_rejected"] == 0
    assert any("lựa chọn không có trong danh mục mong đợi (dòng 3)" in w for w in result["warnings"])
    assert result["unmatched_units"] and "[đã ẩn]" in result["unmatched_units"][0]
    stored = "\n".join(_texts(db))
    digits = re.sub(r"[ .\-]", "", stored)
    assert not [s for s in SECRETS if s in digits or s in stored]
    assert "cần gọi lại cho tôi [đã ẩn]" in stored
