"""Fifteenth loader probe: exports as more vendors lay them out — a handling office's column beside the receiving
unit, a step's «Ngày kết thúc» beside «Ngày có kết quả», a procedure named without its code, newer online channels,
a unit list naming the People's Committee, dates written with a weekday, «08g30», a zone or an English month, a
mapping file with a typo, withdrawn dossiers with the hand-over date only. Expected values are counted by hand."""
import csv
import subprocess
import sys
from datetime import date, datetime


from etl.summary import format_summary
from tests.conftest import ROOT
from tests.files import database_with_units, load_one, march_total, query


def _load_text(folder, name: str, text: str):
    """(database, result, errors): the fixture units, then the file written from text."""
    folder.mkdir(exist_ok=True)
    db = database_with_units(folder)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return (db, *load_one(db, path))


def test_the_receiving_unit_is_read_when_the_handling_office_is_no_unit_of_the_list(tmp_path):
    db, result, errors = _load_text(tmp_path, "hs.csv",
                                    "Mã hồ sơ,Đơn vị xử lý,Đơn vị tiếp nhận,Ngày tiếp nhận,Ngày hẹn trả\n"
                                    "U-1,Phòng Tư pháp,Sở Tư pháp,01/03/2022,10/03/2022\n"
                                    "U-2,Quận 3,Bộ phận một cửa,01/03/2022,10/03/2022\n")
    # before: «Đơn vị xử lý», left, was the unit: «Phòng Tư pháp» unmatched, «Đơn vị tiếp nhận» unused
    assert errors == [] and result["rows_loaded"] == 2 and "Đơn vị tiếp nhận" not in result["ignored_columns"]
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [("U-1", "STP"), ("U-2", "Q3")]
    assert result["unmatched_units"] == []


def test_a_steps_end_date_is_the_finish_only_without_ngay_co_ket_qua(tmp_path):
    db, result, errors = _load_text(tmp_path, "hs.csv",
                                    "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc,Ngày có kết quả,Trạng thái\n"
                                    "F-1,Sở Tư pháp,01/03/2022,10/03/2022,02/03/2022,15/03/2022,Đã trả kết quả\n")
    assert errors == [] and "Ngày kết thúc" in result["ignored_columns"]
    # said as a second column of a field read, not as a column a mapping file should name
    text = format_summary([result], errors)
    assert "Cột cùng trường với một cột đã đọc (mỗi trường đọc từ một cột): «Ngày kết thúc» (đã đọc cột «Ngày có kết " \
           "quả»)." in text and "Cột không dùng đến" not in text
    assert query(db, "SELECT CAST(finished_at AS DATE) FROM dossiers") == [(date(2022, 3, 15),)]
    total = march_total(db)   # finished 15/03 after its due day 10/03: late (before: early, by the step's 02/03)
    assert (total["resolved_late"], total["resolved_early"], total["resolved_on_time"]) == (1, 0, 0)
    # alone, «Ngày kết thúc» is the finish still
    db, result, errors = _load_text(tmp_path / "alone", "hs.csv", "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày kết thúc\n"
                                                                  "F-2,Sở Tư pháp,01/03/2022,02/03/2022\n")
    assert query(db, "SELECT CAST(finished_at AS DATE) FROM dossiers") == [(date(2022, 3, 2),)]


def test_a_procedure_named_without_its_code_takes_its_statutory_time(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    db = database_with_units(folder)
    (folder / "tthc.csv").write_text("code,name,field,online_level,statutory_days,has_fee\n"
                                     "1.001022,Đăng ký kết hôn,Hộ tịch,partial,5,0\n", encoding="utf-8")
    assert load_one(db, folder / "tthc.csv")[1] == []
    (folder / "hs.csv").write_text("Mã hồ sơ,Đơn vị,Tên thủ tục,Ngày tiếp nhận,Ngày có kết quả,Trạng thái\n"
                                   "K-1,Sở Tư pháp,Đăng ký kết hôn,01/04/2022,15/04/2022,Đã xử lý xong\n", encoding="utf-8")
    result, errors = load_one(db, folder / "hs.csv")
    # Friday 01/04/2022 + 5 working days (4–8 April, no holiday) = Friday 08/04; finished 15/04: late
    assert errors == [] and query(db, "SELECT due_at, is_due_derived FROM dossiers") == [(datetime(2022, 4, 8), True)]
    assert any("1 hồ sơ được tính ngày hẹn trả theo thời hạn giải quyết" in w for w in result["warnings"])


def test_newer_online_channels_are_online(tmp_path):
    db, result, errors = _load_text(tmp_path, "hs.csv",
                                    "Mã hồ sơ,Đơn vị,Hình thức nộp,Ngày tiếp nhận\n"
                                    "C-1,Sở Tư pháp,Qua ứng dụng VNeID,01/03/2022\n"
                                    "C-2,Sở Tư pháp,Zalo Mini App,01/03/2022\n"
                                    "C-3,Sở Tư pháp,Ứng dụng di động (Mobile App),01/03/2022\n"
                                    "C-4,Sở Tư pháp,Trực tiếp,01/03/2022\n")
    assert errors == [] and result["unrecognized_values"] == []
    assert query(db, "SELECT dossier_code, channel FROM dossiers ORDER BY 1") == [
        ("C-1", "online"), ("C-2", "online"), ("C-3", "online"), ("C-4", "direct")]


def test_a_list_naming_the_committee_matches_an_export_naming_the_ward(tmp_path):
    (tmp_path / "dv.csv").write_text("code,name,level\nP1,Ủy ban nhân dân Phường Tân Hòa,ward\n"
                                     "D1,UBND Quận Tân Hòa,district\n", encoding="utf-8")
    (tmp_path / "hs.csv").write_text("Mã hồ sơ,Đơn vị,Ngày tiếp nhận\nN-1,Phường Tân Hòa,01/03/2022\n"
                                     "N-2,Quận Tân Hòa,01/03/2022\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    assert load_one(db, tmp_path / "dv.csv")[1] == []
    result, errors = load_one(db, tmp_path / "hs.csv")
    assert errors == [] and result["unmatched_units"] == []
    assert query(db, "SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [("N-1", "P1"), ("N-2", "D1")]


def test_dates_with_a_weekday_a_g_for_the_hour_a_zone_or_an_english_month(tmp_path):
    cases = {"D-1": ("Thứ Ba, 01/03/2022", datetime(2022, 3, 1)),
             "D-2": ("01/03/2022 08:30 (GMT+7)", datetime(2022, 3, 1, 8, 30)),
             "D-3": ("01/03/2022 08g30", datetime(2022, 3, 1, 8, 30)),
             "D-4": ("01-Mar-2022", datetime(2022, 3, 1)),
             "D-5": ("01/03/2022 08:30:00 +0700", datetime(2022, 3, 1, 8, 30)),
             "D-6": ("Chủ nhật, 06/03/2022 9h", datetime(2022, 3, 6, 9, 0))}
    unread = {"D-7": "01/03/2022 08:30 (GMT+8)"}   # another zone: not guessed, the line is rejected and named
    text = "Mã hồ sơ,Đơn vị,Ngày tiếp nhận\n" + "".join(f'{c},Sở Tư pháp,"{v}"\n' for c, (v, _) in cases.items()) \
        + "".join(f'{c},Sở Tư pháp,"{v}"\n' for c, v in unread.items())
    db, result, errors = _load_text(tmp_path, "hs.csv", text)
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"]) == (6, 1)
    assert dict(query(db, "SELECT dossier_code, received_at FROM dossiers")) == {c: t for c, (_, t) in cases.items()}
    assert "GMT+8" in result["rejects"][0]["reason"]


def test_a_mapping_line_for_no_field_is_said_and_nothing_loads(tmp_path):
    (tmp_path / "hs.csv").write_text("Mã hồ sơ,Đơn vị,TG nhận HS\nM-1,Sở Tư pháp,01/03/2022\n", encoding="utf-8")
    (tmp_path / "anh_xa.csv").write_text("field,alias\nrecieved_at,TG nhận HS\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    proc = subprocess.run([sys.executable, "-m", "etl", "import", str(tmp_path / "hs.csv"), "--db", str(db),
                           "--mapping", str(tmp_path / "anh_xa.csv")], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    # before: the line was dropped without a word and the file refused for lacking «Ngày tiếp nhận»
    assert proc.returncode == 64 and not db.exists()
    assert "không có trường «recieved_at» (dòng của «TG nhận HS»), gần giống: received_at" in proc.stderr


def test_withdrawn_dossiers_with_the_hand_over_date_only_are_said(tmp_path):
    db, result, errors = _load_text(tmp_path, "hs.csv",
                                    "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Trạng thái\n"
                                    "R-1,Sở Tư pháp,01/03/2022,10/03/2022,04/03/2022,Trả lại hồ sơ\n"
                                    "R-2,Sở Tư pháp,01/03/2022,10/03/2022,04/03/2022,Công dân rút hồ sơ\n"
                                    "R-3,Sở Tư pháp,01/03/2022,10/03/2022,04/03/2022,Đã trả kết quả\n")
    assert errors == []
    said = [w for w in result["warnings"] if "trạng thái 7, 8" in w]
    assert len(said) == 1 and said[0].startswith("2 hồ sơ trả lại hoặc rút") and "(dòng 2, 3)" in said[0]
    total = march_total(db)   # indicators.md §1: the hand-over is F for 9 and 10 only
    assert (total["returned"], total["resolved"], total["pending"]) == (0, 1, 2)


def _gforms_questionnaire(path, with_hl5: bool = True):
    """A SIPAS form built in Google Forms: numbered questions, the criteria as grid rows, the satisfaction questions in
    words. Five respondents; their answer to every satisfaction question: 5, 4, 3, 5, 4 (4 of 5 satisfied)."""
    words = {3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}
    about = {1: "việc tiếp cận dịch vụ", 2: "thủ tục hành chính", 3: "công chức", 4: "kết quả", 5: "việc góp ý, phản ánh"}
    criteria = {1: "1.1 Nơi ngồi chờ có đủ chỗ ngồi", 2: "2.1 TTHC được niêm yết công khai đầy đủ",
                3: "3.1 Công chức có thái độ giao tiếp lịch sự", 4: "4.1 Kết quả đúng quy định",
                5: "5.1 Có bố trí hình thức tiếp nhận góp ý, phản ánh"}
    header, n = ["Dấu thời gian", "Câu 1. Giới tính", "Câu 5. Đơn vị Ông/Bà đến giao dịch"], 6
    for e in range(1, 6):
        header.append(f"Câu {n}. Yếu tố {e} [{criteria[e]}]")
        if e < 5 or with_hl5:
            header.append(f"Câu {n + 1}. Ông/Bà hài lòng như thế nào về {about[e]}?")
        n += 2
    header.append(f"Câu {n}. Nhìn chung, Ông/Bà hài lòng như thế nào về dịch vụ hành chính công?")
    rows = []
    for i, answer in enumerate((5, 4, 3, 5, 4)):
        row = [f"0{3 + i}/10/2022 09:00:00", "Nam", "Sở Tư pháp"]
        for e in range(1, 6):
            row.append("Không đồng ý")   # every criterion disagreed with: a criteria mean would be 0 %
            if e < 5 or with_hl5:
                row.append(words[answer])
        rows.append(row + [words[answer]])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def test_a_google_forms_questionnaire_words_its_satisfaction_questions(tmp_path):
    import json
    db = database_with_units(tmp_path)
    result, errors = load_one(db, _gforms_questionnaire(tmp_path / "sipas.csv"))
    # before: refused without a mapping for «Câu 5. Đơn vị…», then the six questions were columns not read and the
    # index fell back on the criteria (0 %)
    assert errors == [] and result["rows_loaded"] == 5
    assert not [c for c in result["ignored_columns"] if "hài lòng" in c]
    assert not [w for w in result["warnings"] if "không có câu hài lòng" in w]
    proc = subprocess.run([sys.executable, "-m", "indicators", "sipas", "--db", str(db), "--period", "2022",
                           "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    row = next(r for r in json.loads(proc.stdout)["rows"] if r["key"] == "STP")
    assert row["sipas"] == 0.8 and {e["source"] for e in row["elements"].values()} == {"satisfaction"}


def test_an_element_asked_by_its_criteria_only_is_said(tmp_path):
    db = database_with_units(tmp_path)
    result, errors = load_one(db, _gforms_questionnaire(tmp_path / "sipas.csv", with_hl5=False))
    assert errors == [] and [w for w in result["warnings"] if "không có câu hài lòng về yếu tố 5:" in w]


def test_a_date_and_time_row_under_a_merged_heading_is_no_dossier(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", None, "Ngày hẹn trả"])
    ws.append([None, None, "Ngày", "Giờ", None])
    ws.append(["T-1", "Sở Tư pháp", "01/03/2022", "15:30", "03/03/2022"])
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        ws.merge_cells(cells)
    wb.save(tmp_path / "hs.xlsx")
    db = database_with_units(tmp_path)
    result, errors = load_one(db, tmp_path / "hs.xlsx")
    # before: the «Ngày | Giờ» row was rejected as a dossier whose received date «Ngày» could not be read
    assert errors == [] and (result["rows_loaded"], result["rows_rejected"], result["rows_skipped"]) == (1, 0, 1)
    assert query(db, "SELECT dossier_code, CAST(received_at AS DATE) FROM dossiers") == [("T-1", date(2022, 3, 1))]
