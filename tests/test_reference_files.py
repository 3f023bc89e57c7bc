"""Reference files as people type them: a plan's targets with Vietnamese names, words and signs."""
import duckdb
import pytest

from etl import importer
from etl.core.database import connect
from etl.core.errors import ImportFailure
from tests.conftest import FIXTURES


def _load_targets(tmp_path, text: str):
    plan = tmp_path / "ke_hoach_cchc_2022.csv"
    plan.write_text(text, encoding="utf-8-sig")
    db = tmp_path / "cchc.duckdb"
    results, _ = importer.import_paths(db, [FIXTURES / "units.csv", plan], kind="auto")
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT year, scope, indicator, comparator, round(target_value, 6) FROM targets "
                           "ORDER BY indicator, scope").fetchall()
    finally:
        con.close()
    return results[1], rows


def test_a_plan_typed_in_vietnamese_is_read(tmp_path):
    # Indicator by its Vietnamese name or code, comparator as a sign or a word in the value cell, the scope as
    # "Toàn thành phố", a level in words or a unit's name; no comparator column at all.
    result, rows = _load_targets(tmp_path, "Năm;Phạm vi;Chỉ tiêu;Giá trị;Văn bản\n"
                                           "Năm 2022;Toàn thành phố;Tỷ lệ giải quyết đúng hạn, trước hạn;Trên 99 %;KH 01\n"
                                           "2022;Cấp xã;online_rate;≥ 30%;KH 01\n"
                                           "2022;Sở Tư pháp;Tỷ lệ hồ sơ trực tuyến;Tối thiểu 50%;KH 01\n"
                                           "2022;;Chỉ số hài lòng SIPAS;>= 86;KH 01\n"
                                           "2022;;Xếp hạng PAR INDEX;Tối đa 10;KH 01\n")
    assert result["kind"] == "targets" and result["rows_loaded"] == 5
    assert sorted(rows) == sorted([(2022, "all", "on_time_rate", ">", 0.99), (2022, "STP", "online_rate", ">=", 0.5),
                                   (2022, "ward", "online_rate", ">=", 0.3), (2022, "all", "sipas", ">=", 0.86),
                                   (2022, "all", "Xếp hạng PAR INDEX", "<=", 0.1)])
    # What cannot be shown is said, not dropped silently.
    assert result["warnings"] == ["Dòng 6: «Xếp hạng PAR INDEX» không phải chỉ số công cụ tính được; chỉ tiêu được "
                                  "lưu nhưng không hiện trên bảng điều khiển."]


def test_a_target_without_a_comparator_names_the_row(tmp_path):
    plan = tmp_path / "ke_hoach.csv"
    plan.write_text("Năm;Chỉ tiêu;Giá trị\n2022;on_time_rate;99%\n", encoding="utf-8")
    with pytest.raises(ImportFailure, match="dòng 2: không rõ phép so sánh"):
        importer.import_file(connect(tmp_path / "cchc.duckdb"), plan)


def test_parents_and_successors_given_by_name_become_codes(tmp_path):
    units = tmp_path / "don_vi.csv"
    units.write_text("Mã đơn vị;Tên đơn vị;Cấp;Đơn vị cấp trên;Đơn vị kế thừa;Hiệu lực đến\n"
                     "HN;Thành phố Hà Nội;Tỉnh;;;\n"
                     "STP;Sở Tư pháp;Sở;Thành phố Hà Nội;;\n"
                     "BD;Quận Ba Đình;Quận;HN;;\n"
                     "BD.KM;Phường Kim Mã;Phường;quận ba đình;;\n"
                     "BD.X;Phường Cũ;Phường;Quận Ba Đinh;Phường Kim Mã;30/06/2025\n"
                     "BD.Y;Phường Lạ;Phường;Quận Không Có;;\n", encoding="utf-8")
    db = tmp_path / "cchc.duckdb"
    results, _ = importer.import_paths(db, [units])
    con = duckdb.connect(str(db), read_only=True)
    try:
        links = dict((c, (p, s)) for c, p, s in con.execute("SELECT unit_code, parent_code, successor_code FROM units")
                     .fetchall())
    finally:
        con.close()
    assert links == {"HN": (None, None), "STP": ("HN", None), "BD": ("HN", None), "BD.KM": ("BD", None),
                     "BD.X": ("BD", "BD.KM"), "BD.Y": ("Quận Không Có", None)}
    assert results[0]["warnings"] == ["Đơn vị BD.Y: đơn vị cấp trên «Quận Không Có» không khớp mã, tên hay tên khác "
                                      "của đơn vị nào trong danh mục."]


def test_the_printed_summary_names_what_a_reference_file_could_not_place(tmp_path):
    from etl.summary import format_summary
    result, _ = _load_targets(tmp_path, "Năm;Chỉ tiêu;Giá trị\n2022;Xếp hạng PAR INDEX;Tối đa 10\n")
    assert "   ⚠ Dòng 2: «Xếp hạng PAR INDEX» không phải chỉ số" in format_summary([result], [])


def test_the_wordings_plans_use_name_their_indicators(tmp_path):
    # As a district's plan writes its targets (model/target_aliases.csv): each is stored under the indicator the
    # dashboard computes, and none is set aside with a warning.
    result, rows = _load_targets(tmp_path, "Năm;Chỉ tiêu;Giá trị\n"
                                           "2022;Tỷ lệ hồ sơ giải quyết đúng hạn;Trên 98%\n"
                                           "2022;Tỷ lệ hồ sơ nộp trực tuyến;Tối thiểu 50%\n"
                                           "2022;Tỷ lệ thanh toán trực tuyến phí, lệ phí;Từ 30%\n"
                                           "2022;TỶ LỆ SỐ HÓA HỒ SƠ;>= 80%\n"
                                           "2022;Chỉ số hài lòng của người dân, tổ chức;Trên 90%\n")
    assert result["warnings"] == [] and result["rows_loaded"] == 5
    assert sorted(r[2] for r in rows) == ["digitized_rate", "on_time_rate", "online_rate", "paid_online_rate", "sipas"]


def test_no_wording_names_two_indicators():
    from common.text import norm_key
    from model.indicator_table import target_names
    owners: dict[str, set] = {}
    for key, texts in target_names().items():
        for text in texts:
            owners.setdefault(norm_key(text), set()).add(key)
    assert {text: keys for text, keys in owners.items() if len(keys) > 1} == {}
