"""Load the reference files: units (with aliases and successors), the procedure catalogue and plan targets."""
import re

from etl.errors import ImportFailure
from etl.text import norm_key
from model.indicator_table import target_names

# Header aliases of the reference files (English names of cli.md, and the Vietnamese a person would type).
REFERENCE_ALIASES = {
    "units": {
        "code": ["code", "Mã đơn vị", "Mã"], "name": ["name", "Tên đơn vị", "Tên"], "level": ["level", "Cấp", "Cấp đơn vị"],
        "parent_code": ["parent_code", "Mã đơn vị cha", "Đơn vị cấp trên", "Mã cấp trên"],
        "aliases": ["aliases", "Tên khác", "Bí danh"], "valid_from": ["valid_from", "Hiệu lực từ", "Từ ngày"],
        "valid_to": ["valid_to", "Hiệu lực đến", "Đến ngày"],
        "successor_code": ["successor_code", "Mã đơn vị kế thừa", "Đơn vị kế thừa"],
    },
    "procedures": {
        "code": ["code", "Mã TTHC", "Mã thủ tục"], "name": ["name", "Tên TTHC", "Tên thủ tục"],
        "field": ["field", "Lĩnh vực"], "online_level": ["online_level", "Mức độ DVCTT", "Mức độ"],
        "statutory_days": ["statutory_days", "Thời hạn giải quyết", "Số ngày giải quyết"],
        "has_fee": ["has_fee", "Có phí", "Có phí lệ phí"], "unit": ["unit", "Đơn vị", "Cơ quan thực hiện"],
        "has_internal_process": ["has_internal_process", "Có quy trình nội bộ"],
    },
    "targets": {
        "year": ["year", "Năm"], "scope": ["scope", "Phạm vi"], "indicator": ["indicator", "Chỉ tiêu", "Mã chỉ tiêu"],
        "comparator": ["comparator", "So sánh"], "value": ["value", "Giá trị", "Chỉ tiêu giao"],
        "source": ["source", "Văn bản", "Nguồn"],
    },
}
REQUIRED = {"units": ("code", "name", "level"), "procedures": ("code",),
            "targets": ("year", "indicator", "value")}   # scope defaults to the whole city; the comparator may
                                                          # stand in the value cell ("≥ 30 %")
LEVEL_WORDS = {"tinh": "province", "thanh pho": "province", "tinh thanh pho": "province", "province": "province",
               "so": "department", "so ban nganh": "department", "department": "department",
               "quan huyen": "district", "huyen": "district", "quan": "district", "district": "district",
               "phuong xa": "ward", "xa": "ward", "phuong": "ward", "ward": "ward",
               "nganh doc": "vertical", "vertical": "vertical"}
COMPARATORS = {">=": ">=", "≥": ">=", ">": ">", "<=": "<=", "≤": "<=", "<": "<", "=": "=", "==": "="}


def alias_index(kind: str) -> dict[str, str]:
    return {norm_key(a): f for f, aliases in REFERENCE_ALIASES[kind].items() for a in aliases}


def _rows(con, grid, match) -> list[dict]:
    table = grid.table.slice(match.header_index + 1)
    numbers = grid.row_numbers[match.header_index + 1:]
    out = []
    for i, record in enumerate(table.to_pylist()):
        row = {f: (record.get(col) or "").strip() for f, col in match.columns.items()}
        if any(row.values()):
            row["_row"] = int(numbers[i])
            out.append(row)
    return out


def _fail(name, row, message):
    raise ImportFailure(f"Tệp {name}, dòng {row}: {message} Không nạp dòng nào từ tệp này.")


def _date(value, name, row):
    if not value:
        return None
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"), (r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", "dmy")):
        found = re.fullmatch(pattern + r"(?:[ T].*)?", value)
        if found:
            a, b, c = (int(g) for g in found.groups())
            return f"{a:04d}-{b:02d}-{c:02d}" if order == "ymd" else f"{c:04d}-{b:02d}-{a:02d}"
    _fail(name, row, f"ngày '{value}' không đọc được.")


def _flag(value):
    return None if value == "" else norm_key(value) in ("1", "co", "x", "true", "yes", "da")


def load_units(con, grid, match, name) -> tuple[int, list[str]]:
    rows = _rows(con, grid, match)
    records = []
    for r in rows:
        level = LEVEL_WORDS.get(norm_key(r.get("level", "")), norm_key(r.get("level", "")).replace(" ", "_"))
        if not r.get("code") or not r.get("name") or not level:
            _fail(name, r["_row"], "thiếu mã, tên hoặc cấp của đơn vị.")
        aliases = [a.strip() for a in r.get("aliases", "").split(";") if a.strip()]
        records.append((r["code"], r["name"], level, r.get("parent_code") or None, aliases,
                        _date(r.get("valid_from"), name, r["_row"]), _date(r.get("valid_to"), name, r["_row"]),
                        r.get("successor_code") or None))
    codes = [r[0] for r in records]
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise ImportFailure(f"Tệp {name}: mã đơn vị '{dup}' xuất hiện nhiều lần. Không nạp dòng nào từ tệp này.")
    con.executemany("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)", records)
    rebuild_unit_keys(con)
    return len(records), _resolve_unit_links(con)


def _resolve_unit_links(con) -> list[str]:
    """A parent or successor written as a unit's name or alias ("Đơn vị cấp trên: Quận Ba Đình") becomes its
    code when exactly one unit goes by it; what still names no unit is said, since the hierarchy breaks there."""
    for column in ("parent_code", "successor_code"):
        con.execute(f"""UPDATE units u SET {column} = k.unit_code FROM (
            SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY 1 HAVING count(DISTINCT unit_code) = 1) k
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


def rebuild_unit_keys(con) -> None:
    """Every code, name and alias as a normalized key; then dossiers waiting for their unit join it."""
    con.execute("DELETE FROM unit_keys")
    con.execute("""INSERT INTO unit_keys SELECT DISTINCT norm_key(k), unit_code FROM (
        SELECT unit_code AS k, unit_code FROM units UNION ALL SELECT unit_name, unit_code FROM units
        UNION ALL SELECT unnest(aliases), unit_code FROM units) WHERE k IS NOT NULL AND norm_key(k) <> ''""")
    con.execute("""UPDATE dossiers d SET unit_code = k.unit_code FROM (
        SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY 1 HAVING count(DISTINCT unit_code) = 1) k
        WHERE d.unit_code IS NULL AND k.unit_key = norm_key(d.unit_text)""")
    con.execute("""DELETE FROM unmatched_units u WHERE NOT EXISTS (
        SELECT 1 FROM dossiers d WHERE d.unit_text = u.unit_text AND d.unit_code IS NULL)""")


def load_procedures(con, grid, match, name) -> tuple[int, list[str]]:
    rows = _rows(con, grid, match)
    levels = {v for v in LEVEL_WORDS.values()}
    procs, links = {}, set()
    for r in rows:
        code = r.get("code")
        if not code:
            _fail(name, r["_row"], "thiếu mã thủ tục.")
        level = {"4": "full", "3": "partial"}.get(r.get("online_level", ""), None)
        word = norm_key(r.get("online_level", ""))
        level = level or ("full" if word in ("full", "toan trinh", "muc do 4") else
                          "partial" if word in ("partial", "mot phan", "muc do 3") else "none")
        days = r.get("statutory_days") or None
        if days is not None and not re.fullmatch(r"\d+(\.\d+)?", days.replace(",", ".")):
            _fail(name, r["_row"], f"thời hạn giải quyết '{days}' không phải số ngày.")
        procs[code] = (code, r.get("name") or None, r.get("field") or None, level,
                       int(float(days.replace(",", "."))) if days else None, _flag(r.get("has_fee", "")),
                       _flag(r.get("has_internal_process", "")))
        for target in (t.strip() for t in r.get("unit", "").split(";") if t.strip()):
            links.add((code, target))
    con.executemany("INSERT OR REPLACE INTO procedures VALUES (?, ?, ?, ?, ?, ?, ?)", list(procs.values()))
    for code, target in links:
        lvl = LEVEL_WORDS.get(norm_key(target))
        if lvl in levels and not con.execute("SELECT 1 FROM units WHERE unit_code = ?", [target]).fetchall():
            con.execute("""INSERT OR IGNORE INTO procedure_units SELECT ?, unit_code FROM units WHERE level = ?""",
                        [code, lvl])
        else:
            con.execute("""INSERT OR IGNORE INTO procedure_units
                SELECT ?, coalesce((SELECT min(unit_code) FROM unit_keys WHERE unit_key = norm_key(?)), ?)""",
                        [code, target, target])
    return len(procs), []


def parse_target_value(text: str, name, row) -> float:
    """'99%' and '99' are 0.99; '0.99' is 0.99: a value above 1 is a percentage."""
    cleaned = text.replace("%", "").replace(",", ".").strip()
    try:
        value = float(cleaned)
    except ValueError:
        _fail(name, row, f"giá trị chỉ tiêu '{text}' không phải số.")
    return value / 100 if ("%" in text or value > 1) else value


# A plan typed by hand says "Trên 99 %", "Tối thiểu 30%", "≥ 30 %": the comparator as a sign or a word, in its own
# column or before the value.
COMPARATOR_WORDS = {"tren": ">", "lon hon": ">", "cao hon": ">", "toi thieu": ">=", "it nhat": ">=",
                    "khong thap hon": ">=", "tu": ">=", "dat": ">=", "duoi": "<", "nho hon": "<", "thap hon": "<",
                    "toi da": "<=", "khong qua": "<=", "khong vuot qua": "<=", "bang": "="}
SCOPE_ALL_WORDS = {"all", "toan thanh pho", "toan tinh", "thanh pho", "tinh", "chung"}
_VALUE_WITH_COMPARATOR = re.compile(r"\s*(>=|<=|==|≥|≤|>|<|=)?\s*([^\d\s].*?)?\s*(\d[\d.,]*\s*%?)\s*")


def _target_keys() -> dict[str, str]:
    """An indicator's id, its Vietnamese name or its target key (normalized) → the key targets are stored under."""
    return {norm_key(text): key for key, texts in target_names().items() for text in texts}


def _split_target(comparator_text: str, value_text: str, name, row) -> tuple[str, str]:
    """(comparator, value text) from a comparator cell and a value cell that may carry it ('≥ 30 %')."""
    found = _VALUE_WITH_COMPARATOR.fullmatch(value_text or "")
    sign, word, number = found.groups() if found else (None, None, value_text)
    given = (comparator_text or "").strip()
    comparator = (COMPARATORS.get(given) or COMPARATOR_WORDS.get(norm_key(given)) or COMPARATORS.get(sign or "")
                  or COMPARATOR_WORDS.get(norm_key(word or "")))
    if comparator is None:
        _fail(name, row, f"không rõ phép so sánh của chỉ tiêu '{given or value_text}' (dùng >=, >, <=, <, = hoặc "
                         "chữ: trên, tối thiểu, dưới, tối đa, bằng — ở cột «So sánh» hoặc trước giá trị).")
    return comparator, number


def _target_scope(con, text: str) -> tuple[str, bool]:
    """(scope as stored, recognized): 'all', a unit level, or a unit code (a unit's name or alias is resolved)."""
    key = norm_key(text)
    if not key or key in SCOPE_ALL_WORDS:
        return "all", True
    level = LEVEL_WORDS.get(key) or LEVEL_WORDS.get(key.removeprefix("cap ").strip())
    if level:
        return level, True
    hit = con.execute("""SELECT unit_code FROM units WHERE unit_code = $t
                         UNION SELECT min(unit_code) FROM unit_keys WHERE unit_key = norm_key($t)
                         HAVING count(DISTINCT unit_code) = 1""",
                      {"t": text.strip()}).fetchall()
    codes = [c for (c,) in hit if c]
    return (codes[0], True) if codes else (text.strip(), False)


def load_targets(con, grid, match, name) -> tuple[int, list[str]]:
    records, warnings, keys = [], [], _target_keys()
    for r in _rows(con, grid, match):
        year = re.search(r"\d{4}", r.get("year", ""))
        if not year:
            _fail(name, r["_row"], f"năm '{r.get('year')}' không hợp lệ.")
        comparator, value_text = _split_target(r.get("comparator", ""), r.get("value", ""), name, r["_row"])
        scope, known_scope = _target_scope(con, r.get("scope", ""))
        if not known_scope:
            warnings.append(f"Dòng {r['_row']}: phạm vi «{scope}» không khớp đơn vị hay cấp nào; chỉ tiêu được lưu "
                            "nhưng chưa áp dụng cho đơn vị nào.")
        indicator = keys.get(norm_key(r["indicator"]))
        if indicator is None:
            indicator = r["indicator"]
            warnings.append(f"Dòng {r['_row']}: «{indicator}» không phải chỉ số công cụ tính được; chỉ tiêu được lưu "
                            "nhưng không hiện trên bảng điều khiển.")
        records.append((int(year.group()), scope, indicator, comparator,
                        parse_target_value(value_text, name, r["_row"]), r.get("source") or None))
    con.executemany("INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?, ?)", records)
    return len(records), warnings


# Each loader returns (rows loaded, warnings for the summary).
LOADERS = {"units": load_units, "procedures": load_procedures, "targets": load_targets}
