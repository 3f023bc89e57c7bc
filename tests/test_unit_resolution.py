"""One unit-resolution rule for every kind of file: a code, name or alias names a unit only when exactly one unit
goes by it. "Phường 1" is a ward of two districts here, so whatever is filed under it stays unmatched (and is
said), while "Phường 1, Quận 3" (an alias) names one ward."""
import duckdb

from etl import importer

UNITS = """code,name,level,parent_code,aliases
HCM,Thành phố Hồ Chí Minh,province,,
Q3,Quận 3,district,HCM,
Q5,Quận 5,district,HCM,
Q3.P01,Phường 1,ward,Quận 3,"Phường 1, Quận 3"
Q5.P01,Phường 1,ward,Quận 5,"Phường 1, Quận 5"
Q5.TO1,Tổ dân phố 1,ward,Phường 1,
"""
PROCEDURES = """code;name;unit
1.000001;Thủ tục A;Phường 1
1.000002;Thủ tục B;Phường 1, Quận 3
"""
TARGETS = """Năm;Phạm vi;Chỉ tiêu;Giá trị
2022;Phường 1;online_rate;≥ 30%
2022;Phường 1, Quận 5;online_rate;≥ 40%
"""
DOSSIERS = """Mã hồ sơ;Đơn vị;Ngày tiếp nhận;Ngày hẹn trả
HS-1;Phường 1;03/10/2022;10/10/2022
HS-2;Phường 1, Quận 3;03/10/2022;10/10/2022
HS-3;phuong 1 - quan 5;04/10/2022;11/10/2022
"""
SURVEY = """Mã phiếu;Đơn vị;Ngày khảo sát;1.1;HL1
P-1;Phường 1;03/10/2022;4;5
P-2;Phường 1, Quận 5;03/10/2022;4;5
"""


def test_a_name_two_units_share_resolves_in_no_kind_of_file(tmp_path):
    paths = []
    for name, text in (("units.csv", UNITS), ("procedures.csv", PROCEDURES), ("targets.csv", TARGETS),
                       ("ho_so.csv", DOSSIERS), ("phieu_sipas.csv", SURVEY)):
        paths.append(tmp_path / name)
        paths[-1].write_text(text, encoding="utf-8")
    db = tmp_path / "cchc.duckdb"
    results, errors = importer.import_paths(db, paths)
    assert errors == []
    assert [r["kind"] for r in results] == ["units", "procedures", "targets", "dossiers", "survey"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        def rows(sql):
            return con.execute(sql).fetchall()
        # units: a parent named by a unique name becomes its code; one named "Phường 1" stays as written, and is said
        assert rows("SELECT unit_code, parent_code FROM units WHERE level = 'ward' ORDER BY 1") == [
            ("Q3.P01", "Q3"), ("Q5.P01", "Q5"), ("Q5.TO1", "Phường 1")]
        assert results[0]["warnings"] == ["Đơn vị Q5.TO1: đơn vị cấp trên «Phường 1» không khớp mã, tên hay tên khác "
                                          "của đơn vị nào trong danh mục."]
        # procedures: linked to the one ward the alias names; the shared name links to no unit
        assert rows("SELECT procedure_code, unit_code FROM procedure_units ORDER BY 1") == [
            ("1.000001", "Phường 1"), ("1.000002", "Q3.P01")]
        # targets: the shared name is kept as written and said; the alias names Q5.P01
        assert rows("SELECT scope, round(target_value, 2) FROM targets ORDER BY 1") == [
            ("Phường 1", 0.3), ("Q5.P01", 0.4)]
        assert len(results[2]["warnings"]) == 1 and "«Phường 1»" in results[2]["warnings"][0]
        # dossiers: HS-1 waits unmatched; HS-3's spelling ("phuong 1 - quan 5") has the alias's key
        assert rows("SELECT dossier_code, unit_code FROM dossiers ORDER BY 1") == [
            ("HS-1", None), ("HS-2", "Q3.P01"), ("HS-3", "Q5.P01")]
        assert results[3]["unmatched_units"] == ["Phường 1"]
        # surveys: the same rule
        assert rows("SELECT response_id, unit_code FROM survey_responses ORDER BY 1") == [
            ("P-1", None), ("P-2", "Q5.P01")]
        assert results[4]["unmatched_units"] == ["Phường 1"]
        assert rows("SELECT unit_text FROM unmatched_units") == [("Phường 1",)]
    finally:
        con.close()
