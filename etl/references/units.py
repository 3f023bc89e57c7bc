"""Load the unit list: codes, names, levels, aliases, validity and successors; then every unit key."""
import re

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.core.units import attach_waiting_units
from etl.references.common import fail, level_of, insert_rows, parse_day, reference_rows
from etl.references.successions import Succession, parse_successor_cell, store_successions

# Header aliases (the English names of cli.md, and the Vietnamese a person would type).
ALIASES = {
    "code": ["code", "Mã đơn vị", "Mã", "Mã ĐV", "Mã định danh", "Mã định danh điện tử", "Mã cơ quan",
             "Mã ĐVHC", "Mã đơn vị hành chính"],
    "name": ["name", "Tên đơn vị", "Tên", "Tên ĐV", "Tên cơ quan, đơn vị", "Tên cơ quan", "Tên cơ quan đơn vị",
             "Tên ĐVHC", "Tên đơn vị hành chính"],
    "level": ["level", "Cấp", "Cấp đơn vị", "Loại đơn vị", "Cấp hành chính"],
    "parent_code": ["parent_code", "Mã đơn vị cha", "Đơn vị cấp trên", "Mã cấp trên", "Mã đơn vị cấp trên", "Đơn vị cha",
                    "Trực thuộc", "Cơ quan chủ quản", "Đơn vị chủ quản",
                    # the National Public Service Portal's list of agencies (probe 34: read as no parent)
                    "Mã cơ quan cấp trên", "Cơ quan cấp trên", "Mã cơ quan chủ quản"],
    "aliases": ["aliases", "Tên khác", "Bí danh", "Tên gọi khác"],
    "valid_from": ["valid_from", "Hiệu lực từ", "Từ ngày", "Ngày hiệu lực"],
    "valid_to": ["valid_to", "Hiệu lực đến", "Đến ngày"],
    "successor_code": ["successor_code", "Mã đơn vị kế thừa", "Đơn vị kế thừa"],
    "share_basis": ["share_basis", "Căn cứ tỷ lệ"],
    # The General Statistics Office's list of administrative units (danhmuchanhchinh.gso.gov.vn) writes each ward
    # with its district and province beside it: «Mã TP | Tỉnh / Thành Phố | Mã QH | Quận Huyện | Mã PX | Phường Xã |
    # Cấp», or «Mã | Tên | Cấp | Mã QH | Quận Huyện | Mã TP | Tỉnh / Thành Phố» (probe 34: refused, or wards without
    # a parent). Read by _expanded_rows.
    "province_code": ["Mã TP", "Mã tỉnh", "Mã tỉnh/TP", "Mã tỉnh, thành phố"],
    "province_name": ["Tỉnh / Thành Phố", "Tỉnh/Thành phố", "Tỉnh, thành phố", "Tên tỉnh", "Tên tỉnh/TP"],
    "district_code": ["Mã QH", "Mã quận huyện", "Mã quận/huyện", "Mã huyện", "Mã quận, huyện"],
    "district_name": ["Quận Huyện", "Quận/Huyện", "Quận, huyện", "Tên quận huyện", "Tên quận/huyện", "Tên huyện"],
    "ward_code": ["Mã PX", "Mã phường xã", "Mã phường/xã", "Mã xã", "Mã phường, xã"],
    "ward_name": ["Phường Xã", "Phường/Xã", "Phường, xã", "Tên phường xã", "Tên phường/xã", "Tên xã"],
}
# A unit's own code and name in a list that writes its parents beside it: the ward's, else the district's.
CODE_COLUMNS = ("ward_code", "district_code")
NAME_COLUMNS = ("ward_name", "district_name")
_PARENT_COLUMNS = (("province_code", "province_name", "province"), ("district_code", "district_name", "district"))
REQUIRED = ("code", "name", "level")


# A list typed with its hierarchy as markers before the names ('- Phường Bến Nghé', '+ Tổ 1', '• Sở Y tế'), or
# numbered inside the name cell ('1. UBND Quận 1', '1.1. Phường Bến Nghé', 'a) Thị trấn Cần Thạnh', 'II. Sở Y tế':
# probe 17, every dossier of such a list was unmatched).
_LIST_MARKER = re.compile(r"^\s*(?:[-–+•*·]+|\d{1,3}(?:\.\d{1,3})+[.)]?|\d{1,3}[.)]|[a-zđ][.)]|[IVXL]{1,5}[.)])\s+")


def _expanded_rows(con, rows: list[dict], columns) -> tuple[list[dict], int, list[str]]:
    """The rows of a list that writes each unit's district and province beside it (the GSO's): each row's own unit
    (its code and name from «Mã»/«Tên», else «Mã PX»/«Phường Xã», else «Mã QH»/«Quận Huyện» — a district without
    communes, as island districts are listed), its parent the nearest level written beside it that the list or the
    database holds or that comes with its name (a bare «Mã tỉnh» naming no unit gives no parent: review), and each
    province and district written beside a row with its name, that neither the list nor the database holds, as a
    unit of its own. A unit read as a province under a province column is a city of the province, a district
    («Thành phố Thủ Đức», Cấp «Thành phố»). Returns (rows, the units added so, what to say)."""
    coded = [(c, n if n in columns else None, level) for c, n, level in _PARENT_COLUMNS if c in columns]
    if not coded and not any(c in columns for c in CODE_COLUMNS):
        return rows, 0, []
    held = {r[0] for r in con.execute("SELECT unit_code FROM units").fetchall()}
    own, parents, beside = [], {}, []
    for r in rows:
        unit = dict(r)
        if not r.get("code"):
            source = next((c for c in CODE_COLUMNS if r.get(c)), None)
            unit["code"] = r.get(source, "") if source else ""
            unit["name"] = r.get("name") or r.get(NAME_COLUMNS[CODE_COLUMNS.index(source)], "") if source else ""
            if source == "district_code" and level_of(r.get("level", "")) in (None, "ward"):
                unit["level"] = "district"   # the ward columns empty: the row is the district's
        above = [(r[c], r.get(n) or "" if n else "", level) for c, n, level in coded
                 if r.get(c) and r[c] != unit["code"]]
        for i, (code, text, level) in enumerate(above):
            if text:
                parents.setdefault(code, {"code": code, "name": text, "level": level, "_row": r["_row"],
                                          "parent_code": above[i - 1][0] if i else ""})
        own.append(unit)
        beside.append(above)
    listed = {u["code"] for u in own}
    known = listed | held | set(parents)
    for unit, above in zip(own, beside):
        parent = next(((code, level) for code, _, level in reversed(above) if code in known), None)
        if parent and not unit.get("parent_code"):
            unit["parent_code"] = parent[0]
            if parent[1] == "province" and level_of(unit.get("level", "")) == "province":
                unit["level"] = "district"
    extra = [p for code, p in parents.items() if code not in listed and code not in held]
    added = {level: sum(p["level"] == level for p in extra) for level in ("province", "district")}
    said = [f"Danh mục ghi quận, huyện và tỉnh, thành phố bên cạnh mỗi đơn vị (mẫu của Tổng cục Thống kê): nạp thêm "
            f"{added['province']} tỉnh, thành phố và {added['district']} quận, huyện lấy từ các cột đó, làm đơn vị cấp "
            "trên."] if extra else []
    return extra + own, len(extra), said


def load_units(con, grid, match, name) -> tuple[int, list[str]]:
    rows, added, said = _expanded_rows(con, reference_rows(grid, match), match.columns)
    records, successions, odd_levels, lines_of = [], [], {}, {}
    for r in rows:
        level = level_of(r.get("level", "")) or norm_key(r.get("level", "")).replace(" ", "_")
        if level and not level_of(r.get("level", "")):
            odd_levels.setdefault(r.get("level", ""), []).append(r["code"])
        if not r.get("code") or not r.get("name") or not level:
            fail(name, r["_row"], "thiếu mã, tên hoặc cấp của đơn vị.")
        aliases = [a.strip() for a in r.get("aliases", "").split(";") if a.strip()]
        valid_to = parse_day(r.get("valid_to"), name, r["_row"])
        # One code alone is the format before shares (a whole merger): kept in units.successor_code as it was.
        parts = parse_successor_cell(r.get("successor_code", ""), name, r["_row"])
        whole = len(parts) == 1 and parts[0][1] in (None, 1.0)
        if parts and not whole and not valid_to:
            fail(name, r["_row"], "đơn vị chuyển một phần hoặc cho nhiều đơn vị kế thừa cần ngày hết hiệu lực "
                                  "(valid_to): việc sắp xếp có hiệu lực từ ngày hôm sau.")
        successions += [Succession(r["code"], text, share, None, r.get("share_basis") or None, None, r["_row"],
                                   whole) for text, share in parts]
        records.append((r["code"], _LIST_MARKER.sub("", r["name"]), level, r.get("parent_code") or None, aliases,
                        parse_day(r.get("valid_from"), name, r["_row"]), valid_to,
                        parts[0][0] if whole else None))
        lines_of.setdefault(r["code"], []).append(r["_row"])
    twice = {code: lines for code, lines in lines_of.items() if len(lines) > 1}
    if twice:   # the lines named, so the person can find them (probe 28: the code alone)
        said = "; ".join(f"'{code}' ở các dòng {', '.join(map(str, lines))}" for code, lines in list(twice.items())[:5])
        raise ImportFailure(f"Tệp {name}: mã đơn vị xuất hiện nhiều lần: {said}. Không nạp dòng nào từ tệp này.")
    codes = [r[0] for r in records]
    insert_rows(con, "units", records, "INSERT OR REPLACE INTO units SELECT c0, c1, c2, c3, c4, c5::DATE, c6::DATE, c7")
    rebuild_unit_keys(con)
    warnings = _resolve_unit_links(con)
    unknown = store_successions(con, successions, name, "units", strict=False, replace_predecessors=codes)
    # A whole-merger code that names no unit is said by _resolve_unit_links already (units.successor_code).
    whole_cells = {(s.predecessor, s.successor) for s in successions if s.whole_cell}
    warnings += [f"Đơn vị {code}: đơn vị kế thừa «{text}» không khớp mã, tên hay tên khác của đơn vị nào trong danh mục."
                 for code, text in unknown if (code, text) not in whole_cells]
    # a level no word names is kept as written (cli.md allows others), but said: its units rank with no peer level
    warnings += [f"Cấp «{text}» không phải cấp đã biết (tỉnh/thành phố, sở/ban/ngành, quận/huyện/thị xã, "
                 f"xã/phường/thị trấn, ngành dọc): {len(codes_of)} đơn vị ({', '.join(codes_of[:5])}"
                 f"{' …' if len(codes_of) > 5 else ''}) vẫn được nạp với cấp riêng «{norm_key(text).replace(' ', '_')}»."
                 for text, codes_of in odd_levels.items()]
    warnings += (said + _wards_without_district(con, codes) + _provinces_under_a_province(con, codes)
                 + _names_of_other_units(con, codes))
    return len(records) - added, warnings   # the lines of the file taken; the units added beside them are said


def _names_of_other_units(con, codes: list[str]) -> list[str]:
    """Units of this list named as a unit of the same level already there under another code, both in force: a
    second list with other codes (the portal's «000.00.19.H29 Sở Tư pháp» beside «STP Sở Tư pháp») makes the name
    match neither, so dossiers naming it wait unmatched (probe 34: said nowhere, and those loaded before kept the
    old code). Namesake wards of two districts, districts of two provinces, are no such case."""
    # names and aliases, a People's Committee as its ward or district («UBND Phường 9» is «Phường 9»)
    shared = con.execute("""WITH named AS (
            SELECT DISTINCT unit_code, CASE WHEN level IN ('province', 'district', 'ward')
                THEN regexp_replace(norm_key(n), '^(ubnd|uy ban nhan dan) ', '') ELSE norm_key(n) END AS key
            FROM units, unnest(list_prepend(unit_name, coalesce(aliases, []))) t(n))
        SELECT u.unit_name, u.unit_code, list(DISTINCT o.unit_code ORDER BY o.unit_code), unit_code_of(u.unit_name)
        FROM units u JOIN named nu ON nu.unit_code = u.unit_code JOIN named no ON no.key = nu.key
        JOIN units o ON o.unit_code = no.unit_code AND o.unit_code <> u.unit_code AND o.level = u.level
        WHERE u.unit_code IN (SELECT unnest($codes)) AND o.unit_code NOT IN (SELECT unnest($codes))
          AND (u.valid_to IS NULL OR o.valid_from IS NULL OR o.valid_from <= u.valid_to)
          AND (o.valid_to IS NULL OR u.valid_from IS NULL OR u.valid_from <= o.valid_to)
          AND NOT (u.level IN ('ward', 'district') AND u.parent_code IS DISTINCT FROM o.parent_code
                   AND u.parent_code IS NOT NULL AND o.parent_code IS NOT NULL)
        GROUP BY ALL ORDER BY u.unit_code""", {"codes": codes}).fetchall()
    if not shared:
        return []
    shown = "; ".join(f"«{name}» ({code}; đã có: {', '.join(others)}; hồ sơ ghi tên này "
                      + (f"được tính cho {matched})" if matched else "không khớp đơn vị nào)")
                      for name, code, others, matched in shared[:5])
    return [f"{len(shared)} đơn vị của danh mục này trùng tên với đơn vị đã có mã khác: {shown}"
            f"{' …' if len(shared) > 5 else ''}. Nếu là cùng một đơn vị, hãy giữ một mã (ghi mã cũ trong tệp, hoặc ghi "
            "ngày hết hiệu lực cho mã cũ và mã mới là đơn vị kế thừa); nếu là hai đơn vị, hãy đặt tên khác nhau."]


def _provinces_under_a_province(con, codes: list[str]) -> list[str]:
    """Units of this list read as a province whose parent is a province: «Thành phố Thủ Đức» with Cấp «Thành phố», a
    department with Cấp «Cấp tỉnh» (probe 17). Which level was meant the words do not say; every figure by department
    or district would leave them out — said, with the words that name the level. A «Sở …» is a department whatever
    its level cell says: the National Public Service Portal's list of agencies writes «Cấp tỉnh» for every
    department under the province (probe 34: its dossiers fell outside every department) — read so, and said."""
    departments = [r[0] for r in con.execute("""UPDATE units u SET level = 'department' FROM units p
        WHERE p.unit_code = u.parent_code AND u.unit_code IN (SELECT unnest($codes)) AND u.level = 'province'
          AND p.level = 'province' AND starts_with(norm_key(u.unit_name), 'so ') RETURNING u.unit_code""",
                                              {"codes": codes}).fetchall()]
    if departments:   # the keys a province-level unit gets («ubnd …») are no department's
        rebuild_unit_keys(con)
    said = [f"{len(departments)} sở ghi cấp «tỉnh» dưới một tỉnh, thành phố (như danh sách cơ quan của Cổng Dịch vụ "
            f"công quốc gia) được đọc là sở, ngành: {', '.join(sorted(departments)[:5])}"
            f"{' …' if len(departments) > 5 else ''}."] if departments else []
    odd = [r[0] for r in con.execute("""SELECT u.unit_code FROM units u JOIN units p ON p.unit_code = u.parent_code
        WHERE u.unit_code IN (SELECT unnest($codes)) AND u.level = 'province' AND p.level = 'province'
        ORDER BY 1""", {"codes": codes}).fetchall()]
    if not odd:
        return said
    return said + [f"{len(odd)} đơn vị được đọc là cấp tỉnh nhưng trực thuộc một tỉnh, thành phố ({', '.join(odd[:5])}"
            f"{' …' if len(odd) > 5 else ''}): không được tính vào số liệu theo sở, ngành hay theo quận, huyện. Hãy ghi "
            "cấp «Sở» cho cơ quan chuyên môn, «Thành phố thuộc thành phố» hay «Quận, huyện» cho thành phố trực thuộc."]


def _wards_without_district(con, codes: list[str]) -> list[str]:
    """Wards of this list with no parent while the list has districts in force: a hierarchy shown by numbering or
    indentation alone (probe 17) is not read, and every figure by district would leave these wards out — said."""
    orphans = [r[0] for r in con.execute("""SELECT unit_code FROM units WHERE unit_code IN (SELECT unnest($codes))
        AND level = 'ward' AND parent_code IS NULL
        AND EXISTS (SELECT 1 FROM units d WHERE d.level = 'district' AND d.valid_to IS NULL) ORDER BY 1""",
                                         {"codes": codes}).fetchall()]
    if not orphans:
        return []
    return [f"{len(orphans)} phường, xã, thị trấn không có đơn vị cấp trên ({', '.join(orphans[:5])}"
            f"{' …' if len(orphans) > 5 else ''}) dù danh mục có quận, huyện: số liệu theo quận, huyện không gồm các "
            "đơn vị này. Thứ bậc thể hiện bằng số thứ tự hay thụt lề không được đọc; hãy ghi mã hoặc tên quận, huyện ở "
            "cột «Đơn vị cấp trên»."]


def _resolve_unit_links(con) -> list[str]:
    """A parent or successor written as a unit's name or alias ("Đơn vị cấp trên: Quận Ba Đình") becomes its
    code when exactly one unit goes by it; what still names no unit is said, since the hierarchy breaks there."""
    for column in ("parent_code", "successor_code"):
        con.execute(f"""UPDATE units u SET {column} = k.unit_code FROM unit_key_codes k
            WHERE u.{column} IS NOT NULL AND u.{column} NOT IN (SELECT unit_code FROM units)
              AND k.unit_key = norm_key(u.{column})""")
    broken = con.execute("""SELECT unit_code, 'đơn vị cấp trên', parent_code FROM units
                            WHERE parent_code IS NOT NULL AND parent_code NOT IN (SELECT unit_code FROM units)
                            UNION ALL
                            SELECT unit_code, 'đơn vị kế thừa', successor_code FROM units
                            WHERE successor_code IS NOT NULL AND successor_code NOT IN (SELECT unit_code FROM units)
                            ORDER BY 1""").fetchall()
    return [f"Đơn vị {code}: {what} «{text}» không khớp mã, tên hay tên khác của đơn vị nào trong danh mục."
            for code, what, text in broken]


# A name written the other way round from the list: 'TP. Hồ Chí Minh' for 'Thành phố Hồ Chí Minh', 'Ủy ban nhân dân
# Quận 3' for 'UBND Quận 3', and a district's or commune's People's Committee for the unit itself ('UBND Phường 9'
# for 'Phường 9'), as one-stop exports name the unit that received a dossier — and the other way round, a list that
# names the Committee ('Ủy ban nhân dân Phường Tân Hòa') for an export that names the ward alone (probe 15).
ABBREVIATED_KEYS_SQL = """
    WITH k AS (SELECT k.unit_key, k.unit_code, u.level FROM unit_keys k JOIN units u USING (unit_code))
    SELECT 'tp ' || unit_key[11:] AS unit_key, unit_code FROM k WHERE starts_with(unit_key, 'thanh pho ')
    UNION ALL SELECT 'thanh pho ' || unit_key[4:], unit_code FROM k WHERE starts_with(unit_key, 'tp ')
    UNION ALL SELECT 'ubnd ' || unit_key[17:], unit_code FROM k WHERE starts_with(unit_key, 'uy ban nhan dan ')
    UNION ALL SELECT 'uy ban nhan dan ' || unit_key[6:], unit_code FROM k WHERE starts_with(unit_key, 'ubnd ')
    UNION ALL SELECT prefix || unit_key, unit_code FROM k, (VALUES ('ubnd '), ('uy ban nhan dan ')) p(prefix)
              WHERE level IN ('province', 'district', 'ward') AND NOT starts_with(unit_key, 'ubnd ')
                AND NOT starts_with(unit_key, 'uy ban nhan dan ')
    UNION ALL SELECT unit_key[17:], unit_code FROM k
              WHERE level IN ('province', 'district', 'ward') AND starts_with(unit_key, 'uy ban nhan dan ')
    UNION ALL SELECT unit_key[6:], unit_code FROM k
              WHERE level IN ('province', 'district', 'ward') AND starts_with(unit_key, 'ubnd ')"""


def rebuild_unit_keys(con) -> None:
    """Every code, name and alias as a normalized key; then dossiers and PAR INDEX scores waiting for their unit
    join it."""
    con.execute("DELETE FROM unit_keys")
    con.execute("""INSERT INTO unit_keys SELECT DISTINCT norm_key(k), unit_code FROM (
        SELECT unit_code AS k, unit_code FROM units UNION ALL SELECT unit_name, unit_code FROM units
        UNION ALL SELECT unnest(aliases), unit_code FROM units) WHERE k IS NOT NULL AND norm_key(k) <> ''""")
    # The same names as offices write them (ABBREVIATED_KEYS_SQL), unless the key is already another unit's own.
    con.execute(f"""INSERT INTO unit_keys SELECT DISTINCT g.unit_key, g.unit_code FROM ({ABBREVIATED_KEYS_SQL}) g
                    WHERE g.unit_key NOT IN (SELECT unit_key FROM unit_keys)""")
    # A ward or commune named with its district, as exports name one of several namesakes and as the dashboard
    # shows them ('UBND Phường Bến Nghé, Quận 1', 'Phường Tân Định – Quận 1', 'Xã Bình Hưng, Huyện Bình Chánh';
    # probe 26: unmatched), unless the key is already another unit's own.
    con.execute("""INSERT INTO unit_keys SELECT DISTINCT k.unit_key || ' ' || norm_key(p.unit_name), k.unit_code
                   FROM unit_keys k JOIN units u USING (unit_code) JOIN units p ON p.unit_code = u.parent_code
                   WHERE u.level = 'ward' AND p.level = 'district' AND NOT starts_with(k.unit_key, '~')
                     AND k.unit_key || ' ' || norm_key(p.unit_name) NOT IN (SELECT unit_key FROM unit_keys)""")
    # Any unit named with its province or city after it, as the national portal writes units ('UBND Quận 3 - Thành phố
    # Hồ Chí Minh', 'Sở Tư pháp Thành phố Hồ Chí Minh', 'UBND Phường 9 - Quận 3 - Thành phố Hồ Chí Minh'; probe 56:
    # unmatched, every 766 criterion of the file «chưa có dữ liệu»): the province's name without its «UBND».
    con.execute("""INSERT INTO unit_keys SELECT DISTINCT k.unit_key || ' ' || p.province_key, k.unit_code
        FROM unit_keys k
        JOIN (WITH RECURSIVE up(unit_code, ancestor) AS (
                  SELECT unit_code, parent_code FROM units WHERE parent_code IS NOT NULL
                  UNION SELECT up.unit_code, u.parent_code FROM up JOIN units u ON u.unit_code = up.ancestor
                  WHERE u.parent_code IS NOT NULL)
              SELECT up.unit_code, regexp_replace(norm_key(n.name), '^(ubnd|uy ban nhan dan) ', '') AS province_key
              FROM up JOIN units a ON a.unit_code = up.ancestor AND a.level = 'province'
              JOIN (SELECT unit_code, unit_name AS name FROM units UNION ALL SELECT unit_code, unnest(aliases) FROM units) n
                ON n.unit_code = a.unit_code) p USING (unit_code)
        WHERE NOT starts_with(k.unit_key, '~') AND p.province_key <> ''
          AND k.unit_key || ' ' || p.province_key NOT IN (SELECT unit_key FROM unit_keys)""")
    # and the short form of every key, apart ('~ubnd q3' of 'UBND Quận 3'; etl/core/sql_macros.sql unit_code_of):
    # a short form is compared with short forms only, never with another unit's name as written
    con.execute("INSERT INTO unit_keys SELECT DISTINCT '~' || unit_short_key(unit_key), unit_code FROM unit_keys")
    # rows of the 766 and PAR INDEX files wait for their unit like dossiers
    waiting = ("dossiers", "index766_inputs", "index766_published", "par_scores", "par_survey_points")
    for table in waiting:
        attach_waiting_units(con, table)
    con.execute("DELETE FROM unmatched_units u WHERE " + " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {t} w WHERE w.unit_text = u.unit_text AND w.unit_code IS NULL)"
        for t in waiting[:4]))
