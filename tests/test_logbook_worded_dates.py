"""A hand-typed logbook (Mẫu 06) writes a dossier's dates in words, 'ngày 05 tháng 3 năm 2022': on a line with a
dossier code that is the date (loader probe 7 saw these lines rejected); the same words alone under the table are
the date line over the signatures, skipped."""
from datetime import datetime

from tests.files import database_with_units, load_one, query, write_xlsx


def test_worded_dates_of_a_logbook_are_read_and_its_signature_date_is_skipped(tmp_path):
    db = database_with_units(tmp_path)
    rows = [["SỔ THEO DÕI HỒ SƠ"],
            ["STT", "Mã hồ sơ", "Đơn vị", "Nhận hồ sơ", "Hẹn trả kết quả", "Ngày có kết quả"],
            [1, "VTS-220305-01", "Phường Võ Thị Sáu", "ngày 05 tháng 3 năm 2022", "ngày 10 tháng 3 năm 2022",
             "ngày 09 tháng 3 năm 2022"],
            [2, "VTS-220307-02", "Phường Võ Thị Sáu", "NGÀY 07 THÁNG 03 NĂM 2022", "14/03/2022", None],
            [3, "VTS-220308-03", "Phường Võ Thị Sáu", "Ngày 08 tháng 3 năm 2022 lúc 9h30", "15/03/2022", None],
            [4, "VTS-220309-04", "Phường Võ Thị Sáu", "ngày 31 tháng 2 năm 2022", "15/03/2022", None],
            [None, None, None, "Ngày 31 tháng 3 năm 2022", None, None],
            [None, None, None, "NGƯỜI LẬP BIỂU", None, None]]
    result, errors = load_one(db, write_xlsx(tmp_path / "so_theo_doi.xlsx", rows), as_of=datetime(2022, 3, 31).date())
    assert not errors
    assert (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (3, 1, 2)
    assert query(db, "SELECT dossier_code, received_at, due_at, finished_at FROM dossiers ORDER BY 1") == [
        ("VTS-220305-01", datetime(2022, 3, 5), datetime(2022, 3, 10), datetime(2022, 3, 9)),
        ("VTS-220307-02", datetime(2022, 3, 7), datetime(2022, 3, 14), None),
        ("VTS-220308-03", datetime(2022, 3, 8, 9, 30), datetime(2022, 3, 15), None)]
    # a day that does not exist stays unreadable, with the cell said
    assert "«ngày 31 tháng 2 năm 2022»" in result["rejects"][0]["reason"]
