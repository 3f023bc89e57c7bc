"""Units of the new Ho Chi Minh City sample (hcm2026): the old structure until 30/06/2025 (three provinces, their
districts and wards; departments until their March 2025 mergers) and the two-level city from 01/07/2025 (168
commune-level units reporting to the city), with who succeeded whom and in what share.

The 168 new names follow Nghị quyết 1685/NQ-UBTVQH15 as far as they are known here; which old wards went into which
new unit, and the shares, are generated (illustrative, see sample/README.md)."""
from __future__ import annotations

from common.formats import vn_slug
from common.text import norm_key

from ..units import AGENCIES, build_units

SWITCH = "2025-07-01"          # two-level local government (no district level) from this day
LAST_OLD_DAY = "2025-06-30"
DEPT_SWITCH = "2025-03-01"     # the departments' mergers
DEPT_LAST_OLD_DAY = "2025-02-28"
DECISION = "Nghị quyết 1685/NQ-UBTVQH15"

# Old departments merged in March 2025: old code → "successor: share" (the units file's successor_code syntax).
# Lao động – Thương binh và Xã hội was split: labour and social affairs to Nội vụ, social protection to Y tế,
# vocational training to Giáo dục (shares of its procedures).
DEPT_MERGERS = {
    "SKHDT": "STC", "SGTVT": "SXD", "SQHKT": "SXD", "STNMT": "SNNMT", "SNNPTNT": "SNNMT", "STTTT": "SKHCN",
    "SLDTBXH": "SNV: 80%; SYT: 15%; SGDDT: 5%",
}
DEPT_SHARE_BASIS = {"SLDTBXH": "số thủ tục hành chính chuyển giao"}
NEW_DEPARTMENTS = [("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN&MT")]
# Continuing departments that took others in: the name a person may also use.
MERGED_ALIASES = {"STC": "Sở Tài chính (sau hợp nhất)", "SXD": "Sở Xây dựng (sau hợp nhất)",
                  "SKHCN": "Sở Khoa học và Công nghệ (sau hợp nhất)", "SNV": "Sở Nội vụ (sau hợp nhất)"}

# The two provinces merged into the city on 01/07/2025: (code, name, aliases).
PROVINCES = [("BD", "Ủy ban nhân dân tỉnh Bình Dương", "UBND tỉnh Bình Dương;Tỉnh Bình Dương"),
             ("BRVT", "Ủy ban nhân dân tỉnh Bà Rịa – Vũng Tàu", "UBND tỉnh Bà Rịa - Vũng Tàu;Tỉnh Bà Rịa – Vũng Tàu")]


def _p(*names: str) -> list[str]:
    return [f"Phường {n}" for n in names]


def _x(*names: str) -> list[str]:
    return [f"Xã {n}" for n in names]


# Districts of the two merged provinces: (code, province, name, old wards and communes). Names of the old
# communes are partly generated.
OLD_DISTRICTS = [
    ("BD.TDM", "BD", "Thành phố Thủ Dầu Một", _p("Phú Cường", "Hiệp Thành", "Chánh Nghĩa", "Phú Hòa", "Phú Lợi",
                                                 "Phú Thọ", "Định Hòa", "Hiệp An", "Phú Mỹ", "Tân An", "Chánh Mỹ",
                                                 "Tương Bình Hiệp", "Hòa Phú", "Phú Tân")),
    ("BD.TA", "BD", "Thành phố Thuận An", _p("Lái Thiêu", "An Thạnh", "Vĩnh Phú", "Bình Hòa", "Thuận Giao",
                                             "Bình Chuẩn", "An Phú", "Hưng Định", "Bình Nhâm") + _x("An Sơn")),
    ("BD.DA", "BD", "Thành phố Dĩ An", _p("Dĩ An", "An Bình", "Đông Hòa", "Tân Bình", "Tân Đông Hiệp", "Bình An",
                                          "Bình Thắng")),
    ("BD.TU", "BD", "Thành phố Tân Uyên", _p("Uyên Hưng", "Tân Phước Khánh", "Thái Hòa", "Thạnh Phước",
                                             "Khánh Bình", "Tân Hiệp", "Tân Vĩnh Hiệp", "Phú Chánh", "Hội Nghĩa",
                                             "Vĩnh Tân") + _x("Bạch Đằng", "Thạnh Hội")),
    ("BD.BC", "BD", "Thành phố Bến Cát", _p("Mỹ Phước", "Chánh Phú Hòa", "Thới Hòa", "Hòa Lợi", "Tân Định",
                                            "An Điền", "An Tây") + _x("Phú An")),
    ("BD.BB", "BD", "Huyện Bàu Bàng", ["Thị trấn Lai Uyên"] + _x("Lai Hưng", "Long Nguyên", "Tân Hưng",
                                                                "Trừ Văn Thố", "Cây Trường II", "Hưng Hòa")),
    ("BD.BTU", "BD", "Huyện Bắc Tân Uyên", ["Thị trấn Tân Thành"] + _x("Tân Bình", "Bình Mỹ", "Tân Lập",
                                                                      "Đất Cuốc", "Hiếu Liêm", "Lạc An", "Tân Mỹ",
                                                                      "Thường Tân", "Tân Định")),
    ("BD.DT", "BD", "Huyện Dầu Tiếng", ["Thị trấn Dầu Tiếng"] + _x("Minh Hòa", "Minh Thạnh", "Minh Tân", "Định An",
                                                                  "Long Hòa", "Định Thành", "Định Hiệp", "An Lập",
                                                                  "Long Tân", "Thanh An", "Thanh Tuyền")),
    ("BD.PG", "BD", "Huyện Phú Giáo", ["Thị trấn Phước Vĩnh"] + _x("An Bình", "An Linh", "An Long", "An Thái",
                                                                  "Phước Hòa", "Phước Sang", "Tam Lập", "Tân Hiệp",
                                                                  "Tân Long", "Vĩnh Hòa")),
    ("VT.VT", "BRVT", "Thành phố Vũng Tàu", _p(*[str(i) for i in range(1, 13)], "Thắng Nhất", "Thắng Nhì",
                                               "Thắng Tam", "Rạch Dừa", "Nguyễn An Ninh") + _x("Long Sơn")),
    ("VT.BR", "BRVT", "Thành phố Bà Rịa", _p("Phước Hiệp", "Phước Trung", "Phước Nguyên", "Long Toàn", "Long Tâm",
                                             "Phước Hưng", "Long Hương", "Kim Dinh") + _x("Tân Hưng", "Long Phước",
                                                                                          "Hòa Long")),
    ("VT.PM", "BRVT", "Thị xã Phú Mỹ", _p("Phú Mỹ", "Tân Phước", "Mỹ Xuân", "Hắc Dịch", "Phước Hòa", "Tân Hòa",
                                          "Tân Hải") + _x("Sông Xoài", "Tóc Tiên", "Châu Pha")),
    ("VT.CD", "BRVT", "Huyện Châu Đức", ["Thị trấn Ngãi Giao"] + _x("Bình Ba", "Bình Giã", "Bình Trung", "Bàu Chinh",
                                                                   "Cù Bị", "Đá Bạc", "Kim Long", "Láng Lớn",
                                                                   "Nghĩa Thành", "Quảng Thành", "Sơn Bình",
                                                                   "Suối Nghệ", "Suối Rao", "Xà Bang", "Xuân Sơn")),
    ("VT.XM", "BRVT", "Huyện Xuyên Mộc", ["Thị trấn Phước Bửu"] + _x("Bàu Lâm", "Bình Châu", "Bông Trang",
                                                                    "Bưng Riềng", "Hòa Bình", "Hòa Hiệp", "Hòa Hội",
                                                                    "Hòa Hưng", "Phước Tân", "Phước Thuận",
                                                                    "Tân Lâm", "Xuyên Mộc")),
    ("VT.LD", "BRVT", "Huyện Long Điền", ["Thị trấn Long Điền", "Thị trấn Long Hải"] + _x(
        "An Ngãi", "An Nhứt", "Phước Hưng", "Phước Tỉnh", "Tam Phước")),
    ("VT.DD", "BRVT", "Huyện Đất Đỏ", ["Thị trấn Đất Đỏ", "Thị trấn Phước Hải"] + _x(
        "Láng Dài", "Lộc An", "Long Mỹ", "Long Tân", "Phước Hội", "Phước Long Thọ")),
    ("VT.COD", "BRVT", "Huyện Côn Đảo", []),
]

# The 168 commune-level units from 01/07/2025, listed under the old district most of their area came from.
NEW_UNITS = {
    "Q1": _p("Sài Gòn", "Tân Định", "Bến Thành", "Cầu Ông Lãnh"),
    "Q3": _p("Bàn Cờ", "Xuân Hòa", "Nhiêu Lộc"),
    "Q4": _p("Xóm Chiếu", "Khánh Hội", "Vĩnh Hội"),
    "Q5": _p("Chợ Quán", "An Đông", "Chợ Lớn"),
    "Q6": _p("Bình Tây", "Bình Tiên", "Bình Phú", "Phú Lâm"),
    "Q7": _p("Tân Thuận", "Phú Thuận", "Tân Mỹ", "Tân Hưng"),
    "Q8": _p("Chánh Hưng", "Phú Định", "Bình Đông"),
    "Q10": _p("Diên Hồng", "Vườn Lài", "Hòa Hưng"),
    "Q11": _p("Minh Phụng", "Bình Thới", "Hòa Bình", "Phú Thọ"),
    "Q12": _p("Đông Hưng Thuận", "Trung Mỹ Tây", "Tân Thới Hiệp", "Thới An", "An Phú Đông"),
    "BTH": _p("Gia Định", "Bình Thạnh", "Bình Lợi Trung", "Thạnh Mỹ Tây", "Bình Quới"),
    "GV": _p("Hạnh Thông", "An Nhơn", "Gò Vấp", "An Hội Đông", "Thông Tây Hội", "An Hội Tây"),
    "PN": _p("Đức Nhuận", "Cầu Kiệu", "Phú Nhuận"),
    "TB": _p("Tân Sơn Hòa", "Tân Sơn Nhất", "Tân Hòa", "Bảy Hiền", "Tân Bình", "Tân Sơn"),
    "TP": _p("Tây Thạnh", "Tân Sơn Nhì", "Phú Thọ Hòa", "Tân Phú", "Phú Thạnh"),
    "BT": _p("Bình Hưng Hòa", "Bình Tân", "Bình Trị Đông", "An Lạc", "Tân Tạo"),
    "TD": _p("Hiệp Bình", "Thủ Đức", "Tam Bình", "Linh Xuân", "Tăng Nhơn Phú", "Long Bình", "Long Phước",
             "Long Trường", "Cát Lái", "Bình Trưng", "Phước Long", "An Khánh"),
    "BC": _x("Vĩnh Lộc", "Tân Vĩnh Lộc", "Bình Lợi", "Tân Nhựt", "Bình Chánh", "Hưng Long", "Bình Hưng"),
    "HM": _x("Hóc Môn", "Bà Điểm", "Xuân Thới Sơn", "Đông Thạnh"),
    "CC": _x("Củ Chi", "Tân An Hội", "Thái Mỹ", "An Nhơn Tây", "Nhuận Đức", "Phú Hòa Đông", "Bình Mỹ"),
    "NB": _x("Nhà Bè", "Hiệp Phước"),
    "CG": _x("Cần Giờ", "Bình Khánh", "An Thới Đông", "Thạnh An"),
    "BD.TDM": _p("Thủ Dầu Một", "Phú Lợi", "Bình Dương", "Chánh Hiệp", "Phú An"),
    "BD.TA": _p("Thuận An", "Thuận Giao", "Bình Hòa", "Lái Thiêu", "An Phú"),
    "BD.DA": _p("Dĩ An", "Tân Đông Hiệp", "Đông Hòa"),
    "BD.TU": _p("Tân Uyên", "Tân Hiệp", "Vĩnh Tân", "Bình Cơ", "Tân Khánh"),
    "BD.BC": _p("Bến Cát", "Chánh Phú Hòa", "Long Nguyên", "Tây Nam", "Thới Hòa", "Hòa Lợi"),
    "BD.BB": _x("Bàu Bàng", "Trừ Văn Thố"),
    "BD.BTU": _x("Bắc Tân Uyên", "Thường Tân"),
    "BD.DT": _x("Dầu Tiếng", "Minh Thạnh", "Long Hòa", "Thanh An"),
    "BD.PG": _x("Phú Giáo", "Phước Thành", "Phước Hòa", "An Long"),
    "VT.VT": _p("Vũng Tàu", "Tam Thắng", "Rạch Dừa", "Phước Thắng") + _x("Long Sơn"),
    "VT.BR": _p("Bà Rịa", "Long Hương", "Tam Long"),
    "VT.PM": _p("Phú Mỹ", "Tân Thành", "Tân Phước", "Tân Hải") + _x("Châu Pha"),
    "VT.CD": _x("Ngãi Giao", "Bình Giã", "Kim Long", "Châu Đức", "Xuân Sơn", "Nghĩa Thành"),
    "VT.XM": _x("Hồ Tràm", "Xuyên Mộc", "Hòa Hội", "Bàu Lâm", "Hòa Hiệp", "Bình Châu"),
    "VT.LD": _x("Long Hải", "Long Điền"),
    "VT.DD": _x("Phước Hải", "Đất Đỏ"),
    "VT.COD": ["Đặc khu Côn Đảo"],
}
# Shares of a split old ward: by population in the city's urban districts, by area elsewhere.
URBAN = {"Q1", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q10", "Q11", "BTH", "GV", "PN", "TB", "TP", "BT", "TD"}

COLUMNS = ["code", "name", "level", "parent_code", "aliases", "valid_from", "valid_to", "successor_code",
           "share_basis"]
SUCCESSION_COLUMNS = ["Mã đơn vị cũ", "Tên đơn vị cũ", "Mã đơn vị mới", "Tên đơn vị mới", "Tỷ lệ", "Căn cứ tỷ lệ",
                      "Ngày hiệu lực", "Văn bản"]


def new_unit_code(name: str) -> str:
    """'Phường Sài Gòn' → 'P.SAI_GON', 'Xã Củ Chi' → 'X.CU_CHI', 'Đặc khu Côn Đảo' → 'DK.CON_DAO'."""
    kind, _, rest = name.partition(" ")
    if kind == "Đặc":
        kind, rest = "DK", rest.partition(" ")[2]
    prefix = {"Phường": "P", "Xã": "X"}.get(kind, kind)
    return f"{prefix}.{vn_slug(rest, sep='_').upper()}"


def _ward_code(district: str, name: str, counters: dict) -> str:
    kind = "TT" if name.startswith("Thị trấn") else "X" if name.startswith("Xã") else "P"
    counters[kind] = counters.get(kind, 0) + 1
    return f"{district}.{kind}{counters[kind]:02d}"


def _split(old: list[str], new: list[str]) -> list[list[tuple[str, float]]]:
    """For each old unit, [(new unit, share)]: the old units laid side by side, each new unit taking an equal
    stretch of them, so an old unit on a boundary is split between two new ones (shares to 2 decimals, summing
    to exactly 1)."""
    k, m = len(old), len(new)
    out = []
    for i in range(k):
        parts = []
        for j in range(m):
            lo, hi = max(i, j * k / m), min(i + 1, (j + 1) * k / m)
            if hi - lo > 1e-9:
                parts.append([new[j], round(hi - lo, 2)])
        parts = [p for p in parts if p[1] > 0]
        parts[-1][1] = round(1 - sum(p[1] for p in parts[:-1]), 2)
        out.append([(n, s) for n, s in parts])
    return out


def build_hcm2026_units() -> tuple[list[dict], list[dict], dict[str, str]]:
    """(rows of units.csv, rows of the succession file, {code: a name only that unit goes by} for the new units
    whose names differ by accents alone — Xã Thanh An and Xã Thạnh An read alike once accents are ignored, as unit
    names are matched). The units: the 2022 city with its districts and wards
    (ending 30/06/2025), departments (seven ending 28/02/2025), the two merged provinces with their districts and
    communes, and the 168 new units; the succession file maps every old ward or commune to its new unit(s)."""
    rows = []
    for r in build_units():
        r = dict(r, share_basis="")
        if r["level"] in ("district", "ward") and not r["valid_to"]:
            r["valid_to"] = LAST_OLD_DAY
        if r["code"] in DEPT_MERGERS:
            r.update(valid_to=DEPT_LAST_OLD_DAY, successor_code=DEPT_MERGERS[r["code"]],
                     share_basis=DEPT_SHARE_BASIS.get(r["code"], ""))
        if r["code"] in MERGED_ALIASES:
            r["aliases"] = ";".join(a for a in (r["aliases"], MERGED_ALIASES[r["code"]]) if a)
        rows.append(r)
    agencies = {c for c, *_ in AGENCIES}
    first_vertical = next(i for i, r in enumerate(rows) if r["level"] == "vertical")
    rows[first_vertical:first_vertical] = [
        dict(code=c, name=n, level="department", parent_code="HCM", aliases=a, valid_from=DEPT_SWITCH, valid_to="",
             successor_code="", share_basis="") for c, n, a in NEW_DEPARTMENTS if c not in agencies]
    wards_of: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        if r["level"] == "ward" and r["valid_to"] == LAST_OLD_DAY:
            wards_of.setdefault(r["parent_code"], []).append((r["code"], r["name"]))
    for code, name, aliases in PROVINCES:
        rows.append(dict(code=code, name=name, level="province", parent_code="", aliases=aliases, valid_from="",
                         valid_to=LAST_OLD_DAY, successor_code="HCM", share_basis=""))
    for dcode, province, dname, wards in OLD_DISTRICTS:
        rows.append(dict(code=dcode, name=dname, level="district", parent_code=province,
                         aliases=f"UBND {dname};Ủy ban nhân dân {dname}", valid_from="", valid_to=LAST_OLD_DAY,
                         successor_code="", share_basis=""))
        counters: dict = {}
        for wname in wards:
            wcode = _ward_code(dcode, wname, counters)
            rows.append(dict(code=wcode, name=wname, level="ward", parent_code=dcode,
                             aliases=f"{wname}, {dname};UBND {wname} {dname}", valid_from="",
                             valid_to=LAST_OLD_DAY, successor_code="", share_basis=""))
            wards_of.setdefault(dcode, []).append((wcode, wname))
    successions = []
    names = {r["code"]: r["name"] for r in rows}
    taken: set[str] = set()
    alike: dict[str, int] = {}
    for new_names in NEW_UNITS.values():
        for n in new_names:
            alike[norm_key(n)] = alike.get(norm_key(n), 0) + 1
    distinct: dict[str, str] = {}
    for district, new_names in NEW_UNITS.items():
        new_codes = []
        for n in new_names:   # Xã Thạnh An (Cần Giờ) and Xã Thanh An (Dầu Tiếng) share a slug: the second gets a 2
            code = new_unit_code(n)
            code = code if code not in taken else f"{code}2"
            taken.add(code)
            new_codes.append(code)
        for n, c in zip(new_names, new_codes):
            aliases = f"UBND {n};{n}, Thành phố Hồ Chí Minh"
            if alike[norm_key(n)] > 1:
                distinct[c] = f"{n} (khu vực {names[district]})"
                aliases += f";{distinct[c]};UBND {distinct[c]}"
            rows.append(dict(code=c, name=n, level="ward", parent_code="HCM", aliases=aliases, valid_from=SWITCH,
                             valid_to="", successor_code="", share_basis=""))
            names[c] = n
        old = wards_of.get(district) or []
        if not old:   # Côn Đảo had no communes: the district itself became the special zone
            old = [(district, names[district])]
        basis = "dân số" if district in URBAN else "diện tích"
        for (ocode, oname), parts in zip(old, _split([c for c, _ in old], new_codes)):
            for ncode, share in parts:
                successions.append({"Mã đơn vị cũ": ocode, "Tên đơn vị cũ": oname, "Mã đơn vị mới": ncode,
                                    "Tên đơn vị mới": names[ncode], "Tỷ lệ": f"{round(share * 100):d}%",
                                    "Căn cứ tỷ lệ": basis if share < 1 else "", "Ngày hiệu lực": "01/07/2025",
                                    "Văn bản": DECISION})
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "unit codes must be unique"
    assert sum(1 for r in rows if r["valid_from"] == SWITCH) == 168, "the new city has 168 commune-level units"
    return rows, successions, distinct
