"""Ho Chi Minh City's units in 2022: city, departments, Thủ Đức city and districts, wards/communes, vertical agencies."""
import pathlib

from .writers import write_csv_rows

CITY = ("HCM", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "UBND Thành phố Hồ Chí Minh;UBND TP.HCM;TP. Hồ Chí Minh")

# The city's agencies that are not councils: (code, level, name, aliases), departments then vertical agencies.
AGENCIES = [
    ("SKHDT", "department", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT;Sở Kế hoạch và Đầu tư TP.HCM"),
    ("SNV", "department", "Sở Nội vụ", ""),
    ("STP", "department", "Sở Tư pháp", ""),
    ("STNMT", "department", "Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("SXD", "department", "Sở Xây dựng", ""),
    ("SGTVT", "department", "Sở Giao thông vận tải", "Sở GTVT"),
    ("SYT", "department", "Sở Y tế", ""),
    ("SGDDT", "department", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("SLDTBXH", "department", "Sở Lao động – Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội;Sở LĐTBXH"),
    ("SCT", "department", "Sở Công Thương", ""),
    ("SVHTT", "department", "Sở Văn hóa và Thể thao", ""),
    ("SDL", "department", "Sở Du lịch", ""),
    ("STTTT", "department", "Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("STC", "department", "Sở Tài chính", ""),
    ("SKHCN", "department", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("SNNPTNT", "department", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("SQHKT", "department", "Sở Quy hoạch – Kiến trúc", "Sở Quy hoạch - Kiến trúc"),
    ("SNGV", "department", "Sở Ngoại vụ", ""),
    ("HEPZA", "department", "Ban Quản lý các Khu chế xuất và công nghiệp", "HEPZA;Ban Quản lý các KCX và KCN"),
    ("SHTP", "department", "Ban Quản lý Khu Công nghệ cao", "Ban Quản lý Khu Công nghệ cao TP.HCM"),
    ("CTHUE", "vertical", "Cục Thuế Thành phố Hồ Chí Minh", "Cục Thuế TP.HCM"),
    ("CATP", "vertical", "Công an Thành phố Hồ Chí Minh", "Công an TP.HCM"),
    ("BHXH", "vertical", "Bảo hiểm xã hội Thành phố Hồ Chí Minh", "BHXH TP.HCM"),
    ("VPDKDD", "vertical", "Chi nhánh Văn phòng Đăng ký đất đai Thành phố Hồ Chí Minh", "Văn phòng Đăng ký đất đai TP.HCM"),
    ("KBNN", "vertical", "Kho bạc Nhà nước Thành phố Hồ Chí Minh", "KBNN TP.HCM"),
    ("CHQ", "vertical", "Cục Hải quan Thành phố Hồ Chí Minh", "Cục Hải quan TP.HCM"),
]


def _numbered(numbers):
    return [f"Phường {n}" for n in numbers]


def _named(prefix, names):
    return [f"{prefix} {n}" for n in names]


# (code, name, relative dossier volume, wards/communes)
DISTRICTS = [
    ("TD", "Thành phố Thủ Đức", 11.0, _named("Phường", [
        "An Khánh", "An Lợi Đông", "An Phú", "Bình Chiểu", "Bình Thọ", "Bình Trưng Đông", "Bình Trưng Tây",
        "Cát Lái", "Hiệp Bình Chánh", "Hiệp Bình Phước", "Hiệp Phú", "Linh Chiểu", "Linh Đông", "Linh Tây",
        "Linh Trung", "Linh Xuân", "Long Bình", "Long Phước", "Long Thạnh Mỹ", "Long Trường", "Phú Hữu",
        "Phước Bình", "Phước Long A", "Phước Long B", "Tam Bình", "Tam Phú", "Tăng Nhơn Phú A",
        "Tăng Nhơn Phú B", "Tân Phú", "Thạnh Mỹ Lợi", "Thảo Điền", "Thủ Thiêm", "Trường Thạnh", "Trường Thọ"])),
    ("Q1", "Quận 1", 4.0, _named("Phường", [
        "Bến Nghé", "Bến Thành", "Cầu Kho", "Cầu Ông Lãnh", "Cô Giang", "Đa Kao", "Nguyễn Cư Trinh",
        "Nguyễn Thái Bình", "Phạm Ngũ Lão", "Tân Định"])),
    ("Q3", "Quận 3", 3.5, ["Phường Võ Thị Sáu"] + _numbered([1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14])),
    ("Q4", "Quận 4", 2.5, _numbered([1, 2, 3, 4, 6, 8, 9, 10, 13, 14, 15, 16, 18])),
    ("Q5", "Quận 5", 3.0, _numbered(range(1, 15))),
    ("Q6", "Quận 6", 3.0, _numbered(range(1, 15))),
    ("Q7", "Quận 7", 4.5, _named("Phường", [
        "Bình Thuận", "Phú Mỹ", "Phú Thuận", "Tân Hưng", "Tân Kiểng", "Tân Phong", "Tân Phú", "Tân Quy",
        "Tân Thuận Đông", "Tân Thuận Tây"])),
    ("Q8", "Quận 8", 4.0, _numbered(range(1, 17))),
    ("Q10", "Quận 10", 3.0, _numbered([1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])),
    ("Q11", "Quận 11", 2.5, _numbered(range(1, 17))),
    ("Q12", "Quận 12", 6.0, _named("Phường", [
        "An Phú Đông", "Đông Hưng Thuận", "Hiệp Thành", "Tân Chánh Hiệp", "Tân Hưng Thuận", "Tân Thới Hiệp",
        "Tân Thới Nhất", "Thạnh Lộc", "Thạnh Xuân", "Thới An", "Trung Mỹ Tây"])),
    ("BTH", "Quận Bình Thạnh", 5.0, _numbered([1, 2, 3, 5, 6, 7, 11, 12, 13, 14, 15, 17, 19, 21, 22, 24, 25, 26, 27, 28])),
    ("GV", "Quận Gò Vấp", 6.0, _numbered([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17])),
    ("PN", "Quận Phú Nhuận", 2.5, _numbered([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13, 15, 17])),
    ("TB", "Quận Tân Bình", 5.0, _numbered(range(1, 16))),
    ("TP", "Quận Tân Phú", 5.0, _named("Phường", [
        "Hiệp Tân", "Hòa Thạnh", "Phú Thạnh", "Phú Thọ Hòa", "Phú Trung", "Sơn Kỳ", "Tân Quý", "Tân Sơn Nhì",
        "Tân Thành", "Tân Thới Hòa", "Tây Thạnh"])),
    ("BT", "Quận Bình Tân", 8.0, _named("Phường", [
        "An Lạc", "An Lạc A", "Bình Hưng Hòa", "Bình Hưng Hòa A", "Bình Hưng Hòa B", "Bình Trị Đông",
        "Bình Trị Đông A", "Bình Trị Đông B", "Tân Tạo", "Tân Tạo A"])),
    ("BC", "Huyện Bình Chánh", 7.5, ["Thị trấn Tân Túc"] + _named("Xã", [
        "An Phú Tây", "Bình Chánh", "Bình Hưng", "Bình Lợi", "Đa Phước", "Hưng Long", "Lê Minh Xuân",
        "Phạm Văn Hai", "Phong Phú", "Quy Đức", "Tân Kiên", "Tân Nhựt", "Tân Quý Tây", "Vĩnh Lộc A", "Vĩnh Lộc B"])),
    ("HM", "Huyện Hóc Môn", 5.0, ["Thị trấn Hóc Môn"] + _named("Xã", [
        "Bà Điểm", "Đông Thạnh", "Nhị Bình", "Tân Hiệp", "Tân Thới Nhì", "Tân Xuân", "Thới Tam Thôn",
        "Trung Chánh", "Xuân Thới Đông", "Xuân Thới Sơn", "Xuân Thới Thượng"])),
    ("CC", "Huyện Củ Chi", 4.5, ["Thị trấn Củ Chi"] + _named("Xã", [
        "An Nhơn Tây", "An Phú", "Bình Mỹ", "Hòa Phú", "Nhuận Đức", "Phạm Văn Cội", "Phú Hòa Đông",
        "Phú Mỹ Hưng", "Phước Hiệp", "Phước Thạnh", "Phước Vĩnh An", "Tân An Hội", "Tân Phú Trung",
        "Tân Thạnh Đông", "Tân Thạnh Tây", "Tân Thông Hội", "Thái Mỹ", "Trung An", "Trung Lập Hạ",
        "Trung Lập Thượng"])),
    ("NB", "Huyện Nhà Bè", 2.0, ["Thị trấn Nhà Bè"] + _named("Xã", [
        "Hiệp Phước", "Long Thới", "Nhơn Đức", "Phú Xuân", "Phước Kiển", "Phước Lộc"])),
    ("CG", "Huyện Cần Giờ", 1.0, ["Thị trấn Cần Thạnh"] + _named("Xã", [
        "An Thới Đông", "Bình Khánh", "Long Hòa", "Lý Nhơn", "Tam Thôn Hiệp", "Thạnh An"])),
]

# Districts with a known land/construction backlog: their late share is several times the city's.
LATE_DISTRICTS = ("BC", "HM", "Q12")

# Units that ceased on 1 January 2021 (Thủ Đức city; Võ Thị Sáu ward), kept so the successor mapping has data.
HISTORIC = [
    ("Q2", "Quận 2", "district", "HCM", "", "2020-12-31", "TD"),
    ("Q9", "Quận 9", "district", "HCM", "", "2020-12-31", "TD"),
    ("QTD", "Quận Thủ Đức", "district", "HCM", "", "2020-12-31", "TD"),
    ("Q3.P06", "Phường 6", "ward", "Q3", "Phường 6, Quận 3", "2020-12-31", "Q3.VTS"),
    ("Q3.P07", "Phường 7", "ward", "Q3", "Phường 7, Quận 3", "2020-12-31", "Q3.VTS"),
    ("Q3.P08", "Phường 8", "ward", "Q3", "Phường 8, Quận 3", "2020-12-31", "Q3.VTS"),
]

COLUMNS = ["code", "name", "level", "parent_code", "aliases", "valid_from", "valid_to", "successor_code"]


def _ward_code(district_code: str, ward_name: str, counters: dict) -> str:
    if ward_name == "Phường Võ Thị Sáu":
        return f"{district_code}.VTS"
    if ward_name.startswith("Thị trấn"):
        return f"{district_code}.TT"
    kind = "X" if ward_name.startswith("Xã") else "P"
    if kind == "P" and ward_name[7:].isdigit():
        return f"{district_code}.P{int(ward_name[7:]):02d}"
    counters[kind] = counters.get(kind, 0) + 1
    return f"{district_code}.{kind}{counters[kind]:02d}"


def _agencies(level: str) -> list[dict]:
    return [dict(code=code, name=name, level=lvl, parent_code="HCM", aliases=aliases)
            for code, lvl, name, aliases in AGENCIES if lvl == level]


def build_units() -> list[dict]:
    """All units as rows of units.csv, city first, then departments, districts, wards, vertical, historic."""
    rows = [dict(code=CITY[0], name=CITY[1], level="province", parent_code="", aliases=CITY[2])]
    rows += _agencies("department")
    for code, name, _, _ in DISTRICTS:
        rows.append(dict(code=code, name=name, level="district", parent_code="HCM",
                         aliases=f"UBND {name};Ủy ban nhân dân {name}"))
    for dcode, dname, _, wards in DISTRICTS:
        counters: dict = {}
        for wname in wards:
            rows.append(dict(code=_ward_code(dcode, wname, counters), name=wname, level="ward", parent_code=dcode,
                             aliases=f"{wname}, {dname};UBND {wname} {dname}"))
    rows += _agencies("vertical")
    for row in rows:
        row.update(valid_from="2021-01-01" if row["code"] == "TD" or row["code"].endswith(".VTS") else "",
                   valid_to="", successor_code="")
    for code, name, level, parent, aliases, valid_to, successor in HISTORIC:
        rows.append(dict(code=code, name=name, level=level, parent_code=parent, aliases=aliases,
                         valid_from="", valid_to=valid_to, successor_code=successor))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "unit codes must be unique"
    return rows


def write_units(path: pathlib.Path, rows: list[dict]) -> pathlib.Path:
    return write_csv_rows(path, COLUMNS, rows)
