"""A choice split into boxes marked «x» (etl/dossiers/marked_choices.py): «Hình thức nộp» merged over «Trực tiếp |
Trực tuyến | Bưu chính công ích», as a register typed in Excel lays it out. Before, the boxes were columns «không có
tiêu đề», the one «x» under the merged label read as an unknown channel, and every dossier counted direct. The
figures below are counted by hand from the lines written here."""
from openpyxl import Workbook

from tests.files import database_with_units, load_one, month_total, query, write_csv

HEADER_TOP = ["STT", "Mã hồ sơ", "Đơn vị", "Hình thức nộp", None, None, "Ngày tiếp nhận", "Ngày hẹn trả",
              "Ngày có kết quả", "Trạng thái"]
HEADER_BOXES = [None, None, None, "Trực tiếp", "Trực tuyến", "Bưu chính công ích", None, None, None, None]
# code, box marked (0 direct, 1 online, 2 postal), received, due, finished (day of March 2023; None: pending)
LINES = [("K-01", 0, 1, 3, 3), ("K-02", 1, 2, 7, 6), ("K-03", 1, 3, 8, 9), ("K-04", 2, 6, 9, None),
         ("K-05", 1, 7, 31, None)]


def _boxes(box: int, mark: str = "x") -> list:
    return [mark if k == box else None for k in range(3)]


def _register(path, lines=LINES, extra_rows=()) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ theo dõi"
    ws.append(["UBND PHƯỜNG 9"])
    ws.append(HEADER_TOP)
    ws.append(HEADER_BOXES)
    ws.merge_cells("D2:F2")
    for col in "ABCGHIJ":
        ws.merge_cells(f"{col}2:{col}3")
    for row in extra_rows:
        ws.append(row)
    for n, (code, box, received, due, done) in enumerate(lines, 1):
        ws.append([n, code, "Phường 9", *_boxes(box), f"{received:02d}/03/2023", f"{due:02d}/03/2023",
                   f"{done:02d}/03/2023" if done else None, "Đã trả kết quả" if done else "Đang xử lý"])
    wb.save(path)


def test_the_box_marked_under_a_merged_channel_header_is_the_channel(tmp_path):
    """By hand: K-01 direct, on time (03/03 = due); K-02 online, early (06/03 < 07/03); K-03 online, late (09/03 >
    08/03); K-04 postal, pending overdue (due 09/03); K-05 online, pending within (due 31/03). Received 5: online 3,
    direct 1, postal 1; resolved 3 (1 early, 1 on time, 1 late); pending 2. Online rate 3/5."""
    db = database_with_units(tmp_path)
    _register(tmp_path / "so_theo_doi.xlsx")
    result, errors = load_one(db, tmp_path / "so_theo_doi.xlsx")
    assert errors == [] and result["rows_loaded"] == 5 and result["rows_rejected"] == 0
    total = month_total(db, 2023, 3)
    assert (total["received_new"], total["received_online"], total["received_direct"], total["received_postal"]) \
        == (5, 3, 1, 1)
    assert (total["resolved_early"], total["resolved_on_time"], total["resolved_late"]) == (1, 1, 1)
    assert (total["pending_within"], total["pending_overdue"]) == (1, 1)
    assert any("cột «Hình thức nộp» chia thành 3 ô «Trực tiếp», «Trực tuyến», «Bưu chính công ích»" in w
               for w in result["warnings"])
    assert not any("không có tiêu đề" in c for c in result["ignored_columns"])
    assert not result["unrecognized_values"]
    assert query(db, "SELECT channel FROM dossiers ORDER BY dossier_code") == [
        ("direct",), ("online",), ("online",), ("postal",), ("online",)]


def test_a_row_of_column_numbers_under_the_boxes_is_no_dossier(tmp_path):
    """«(1) (2) … (10)» under the boxes' labels: skipped, and the boxes still folded."""
    db = database_with_units(tmp_path)
    _register(tmp_path / "so.xlsx", extra_rows=[[f"({k})" for k in range(1, 11)]])
    result, errors = load_one(db, tmp_path / "so.xlsx")
    assert errors == [] and result["rows_loaded"] == 5 and result["rows_rejected"] == 0
    assert month_total(db, 2023, 3)["received_online"] == 3


def test_a_csv_repeating_the_group_label_and_a_payment_split_into_yes_and_no(tmp_path):
    """A CSV written from a two-level table repeats the group label over each box; «Thanh toán trực tuyến» is split
    into «Có | Không» marked «X» or «1». By hand: P-1 online, fee 50.000, paid online; P-2 direct, fee 20.000, not
    paid online; P-3 marked in two channel boxes — its channel is said unread (and counted direct, as any channel
    the tool cannot read), no payment box marked: not paid online. Paid online 1 of the 2 dossiers with a fee."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Ngày hẹn trả", "Hình thức nộp", "Hình thức nộp",
         "Phí, lệ phí", "Thanh toán trực tuyến", "Thanh toán trực tuyến"],
        ["", "", "", "", "Trực tiếp", "Trực tuyến", "", "Có", "Không"],
        ["P-1", "Sở Tư pháp", "01/03/2023", "31/03/2023", "", "X", "50.000", "1", ""],
        ["P-2", "Sở Tư pháp", "02/03/2023", "31/03/2023", "X", "", "20.000", "", "X"],
        ["P-3", "Sở Tư pháp", "03/03/2023", "31/03/2023", "X", "X", "0", "", ""]]))
    assert errors == [] and result["rows_loaded"] == 3
    assert query(db, "SELECT dossier_code, channel, is_paid_online FROM dossiers ORDER BY 1") == [
        ("P-1", "online", True), ("P-2", "direct", False), ("P-3", "direct", False)]
    assert any("nhiều ô được đánh dấu" in str(v) for v in result["unrecognized_values"])
    total = month_total(db, 2023, 3)
    assert (total["received_online"], total["paid_online_rate"]) == (1, 0.5)


def test_boxes_holding_counts_are_no_marks(tmp_path):
    """Numbers other than 1 under the boxes (a count per line, not a mark): the table is left as it is, nothing
    folded, nothing said of boxes."""
    db = database_with_units(tmp_path)
    result, errors = load_one(db, write_csv(tmp_path / "ho_so.csv", [
        ["Mã hồ sơ", "Đơn vị", "Ngày tiếp nhận", "Hình thức nộp", ""],
        ["", "", "", "Trực tiếp", "Trực tuyến"],
        ["Q-1", "Sở Tư pháp", "01/03/2023", "3", "5"]]))
    assert not any("chia thành" in w for w in result["warnings"])
