"""Load plan targets (chỉ tiêu kế hoạch): year, scope, indicator, comparator, value, source — as a plan is typed."""
import re

from common.text import norm_key
from etl.plans.titles import plan_year
from etl.core.header import HeaderMatch, find_header, header_keys, header_lines
from etl.references.common import LEVEL_PREFIXES, LEVEL_WORDS, alias_index, fail, level_of, reference_rows
from model.indicator_table import target_names

# A plan's table may give one value column per unit level instead of a «Phạm vi» and a «Giá trị» column:
# «Chỉ tiêu | Cấp tỉnh | Cấp huyện | Cấp xã», or a «Toàn thành phố» column beside them (indicators.md §4: the
# electronic document target is 100 % for departments, 80 % for district rooms, 70 % for communes).
LEVEL_VALUE_FIELDS = {f"value_{level}": level for level in ("all", *dict.fromkeys(LEVEL_WORDS.values()))}


def _level_column_headers(level: str) -> list[str]:
    """The headers of one level's value column: the level word after «Cấp», «UBND cấp», «Các»…, or a word of
    several parts alone («Sở, ban, ngành», «Xã, phường, thị trấn»); a bare «Tỉnh» or «Thành phố» is left out, a
    table could mean the whole city by it."""
    words = [w for w, lv in LEVEL_WORDS.items() if lv == level and w != level]
    return [p + w for w in words for p in LEVEL_PREFIXES] + [w for w in words if " " in w and level != "province"]

# A plan of several years gives one value column per year instead: «Chỉ tiêu | Đơn vị tính | Năm 2024 | Năm 2025»
# (a five-year plan's table, each year's target in its column; a «Phạm vi» column may scope the line).
YEAR_VALUE_FIELDS = {f"value_{year}": year for year in range(2015, 2041)}
# A bare «2024» is no such header: a data line's year cell («2022 | Sở, ban, ngành» of a PAR framework) read as one.
_YEAR_PREFIXES = ("Năm ", "Kế hoạch ", "Kế hoạch năm ", "KH ", "KH năm ", "Chỉ tiêu năm ", "Mục tiêu năm ")


# Year columns are also how a plan's roadmap of tasks («Nội dung nhiệm vụ | Chỉ tiêu | Cơ quan chủ trì | 2024 | 2025»,
# ticks under the years) and a table of results («Chỉ tiêu | Năm 2023 | Năm 2024 | Tăng/giảm») are laid out: read as
# targets, the first broke and the second would store results as targets (the review). Such a table is taken for
# targets only under a title or year headers saying targets, and without a header of tasks or results.
_NOT_TARGET_HEADERS = ("nhiem vu", "chu tri", "phoi hop", "san pham", "thuc hien", "ket qua", "tang giam", "uoc ",
                       "so sanh cung ky", "thoi han", "tien do")
_TARGET_TITLE_WORDS = ("chi tieu", "muc tieu")              # in a title line over the table
_TARGET_YEAR_WORDS = (*_TARGET_TITLE_WORDS, "ke hoach", "kh ")  # starting a year column's header


def _titles_and_header(rows: list[list], match) -> tuple[list[str], list[list]]:
    """The title lines over a header, each cell's key with a space after it (so «kh » matches a whole word), and the
    header's own line or lines: what the two layout checks below judge a table of targets by."""
    first = match.header_index + 1 - match.header_rows
    return [norm_key(c) + " " for row in rows[:first] for c in row if c], rows[first:match.header_index + 1]


def year_layout_doubtful(rows: list[list], match) -> bool:
    """Whether a header read as targets by its year columns alone (no «Giá trị», no level column) is more likely a
    roadmap of tasks or a table of results."""
    if "value" in match.columns or any(f in match.columns for f in LEVEL_VALUE_FIELDS) or \
            not any(f in match.columns for f in YEAR_VALUE_FIELDS):
        return False
    titles, header_rows = _titles_and_header(rows, match)
    if any(w in norm_key(c) + " " for row in header_rows for c in row if c is not None for w in _NOT_TARGET_HEADERS):
        return True
    years = [norm_key(row[int(c[1:])]) for f, c in match.columns.items() if f in YEAR_VALUE_FIELDS
             for row in header_rows if int(c[1:]) < len(row) and row[int(c[1:])] is not None]
    return not (any(w in t for t in titles for w in _TARGET_TITLE_WORDS)
                or any(y.startswith(_TARGET_YEAR_WORDS) for y in years))


# A plan assigning each unit its targets lays them out the other way round: one line per unit, one column per
# indicator («STT | Đơn vị | Tỷ lệ hồ sơ giải quyết đúng hạn | Tỷ lệ hồ sơ nộp trực tuyến»; probe 34: refused as a
# plan of tasks). Each indicator's column is known by the indicator's names, and such a header only in a line that
# also names the unit column (indicator_columns_header): a plan's lines name indicators too («1. | Tỷ lệ hồ sơ giải
# quyết đúng hạn | Trên 99 %»), and one was read as the header. The unit column is read in that layout alone
# (elsewhere «Đơn vị» may be the unit of measure).
INDICATOR_VALUE_FIELDS = {f"value_of_{key}": key for key in target_names()}
UNIT_SCOPE_HEADERS = ["unit_scope", "Đơn vị", "Tên đơn vị", "Cơ quan, đơn vị", "Tên cơ quan, đơn vị", "Đơn vị được giao",
                      "Cơ quan"]

ALIASES = {
    "year": ["year", "Năm"], "scope": ["scope", "Phạm vi", "Phạm vi áp dụng", "Đơn vị áp dụng"],
    "indicator": ["indicator", "Chỉ tiêu", "Mã chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu"],
    "comparator": ["comparator", "So sánh"], "value": ["value", "Giá trị", "Chỉ tiêu giao"],
    "value_unit": ["value_unit", "Đơn vị tính", "ĐVT", "Đơn vị đo"],
    "source": ["source", "Văn bản", "Nguồn", "Căn cứ", "Văn bản giao"],
    "value_all": ["value_all", "Toàn thành phố", "Toàn tỉnh"],
    **{f: [f, *_level_column_headers(level)] for f, level in LEVEL_VALUE_FIELDS.items() if level != "all"},
    **{f: [f, *(p + str(year) for p in _YEAR_PREFIXES)] for f, year in YEAR_VALUE_FIELDS.items()},
}
_INDICATOR_COLUMNS_INDEX = alias_index({
    "unit_scope": UNIT_SCOPE_HEADERS, "year": ALIASES["year"], "source": ALIASES["source"],
    **{f: [f, *(t for t in target_names()[key] if " " in t)] for f, key in INDICATOR_VALUE_FIELDS.items()}})


# A report of results per unit is laid out the same way («BÁO CÁO KẾT QUẢ … | Đơn vị | Tổng số hồ sơ | Tỷ lệ đúng
# hạn»): taken for targets only under a title saying targets, and without a header or title of results (review).
_RESULT_HEADERS = (*_NOT_TARGET_HEADERS, "tong so", "so ho so", "so luong", "thuc te", "da dat")
_RESULT_TITLES = ("bao cao", "ket qua", "tinh hinh")
_ASSIGNED_WORDS = (*_TARGET_TITLE_WORDS, "giao chi tieu", "ke hoach")


def indicator_columns_header(rows: list[list], explicit: bool = False) -> tuple[int, HeaderMatch] | None:
    """(score, match) of a table of targets per unit: a header line naming the unit column and at least two
    indicators, each heading its column, under a title saying targets (any title when the kind is named); None for
    any other table."""
    match = find_header(rows, _INDICATOR_COLUMNS_INDEX)
    if match is None or "unit_scope" not in match.columns or \
            sum(f in INDICATOR_VALUE_FIELDS for f in match.columns) < 2:
        return None
    if not explicit:
        titles, header_rows = _titles_and_header(rows, match)
        # the header's other cells: an indicator's own name may hold such a word («Tỷ lệ kết quả điện tử»)
        header = [norm_key(c) + " " for row in header_rows for c in row if c is not None
                  and not any(_INDICATOR_COLUMNS_INDEX.get(k, "").startswith("value_of_") for k in header_keys(c))]
        if not any(w in t for t in titles for w in _ASSIGNED_WORDS) or \
                any(w in t for t in titles for w in _RESULT_TITLES) or any(w in h for h in header for w in _RESULT_HEADERS):
            return None
    return 300 + len(match.columns), match
# A level's cell saying the target does not apply to it: no target for that level.
_NOT_APPLICABLE = {"", "-", "x", "khong", "khong ap dung", "kad", "k ap dung"}
# The scope defaults to the whole city; the comparator may stand in the value cell ("≥ 30 %").
REQUIRED = ("year", "indicator", "value")
COMPARATORS = {">=": ">=", "≥": ">=", "=>": ">=", ">": ">", "<=": "<=", "≤": "<=", "=<": "<=", "<": "<", "=": "=",
               "==": "="}


def parse_target_value(text: str, name, row, percent: bool = False, days: bool = False) -> float:
    """'99%' and '99' are 0.99; '0.99' is 0.99: a value above 1 is a percentage. percent: the line's «Đơn vị tính»
    is «%», so every value is one ('1' under it is 1 %, not 100 %: probe 30, a late-rate target «dưới 1» was met at
    35,7 %). days: the indicator counts days (avg_days), its value as written ('≤ 5' was stored as 0,05 day)."""
    cleaned = text.replace("%", "").replace(",", ".").strip()
    try:
        value = float(cleaned)
    except ValueError:
        fail(name, row, f"giá trị chỉ tiêu '{text}' không phải số.")
    if days:
        return value
    return value / 100 if ("%" in text or percent or value > 1) else value


def _in_percent(unit_text) -> bool:
    """A «Đơn vị tính» cell saying the values are percentages: «%», «Tỷ lệ %», «phần trăm»."""
    return "%" in str(unit_text or "") or "phan tram" in norm_key(unit_text)


# A plan typed by hand says "Trên 99 %", "Tối thiểu 30%", "≥ 30 %", "80% trở lên", "Đạt từ 90% trở lên": the
# comparator as a sign or words, in its own column, before the value or after it.
COMPARATOR_WORDS = {"tren": ">", "lon hon": ">", "cao hon": ">", "dat tren": ">", "toi thieu": ">=", "it nhat": ">=",
                    "khong thap hon": ">=", "khong duoi": ">=", "khong it hon": ">=", "tu": ">=", "dat": ">=",
                    "dat tu": ">=", "dat toi thieu": ">=", "dat it nhat": ">=", "duoi": "<", "nho hon": "<",
                    "thap hon": "<", "toi da": "<=", "khong qua": "<=", "khong vuot qua": "<=", "khong vuot": "<=",
                    "khong cao hon": "<=", "khong lon hon": "<=", "bang": "=", "dat muc": "="}
TRAILING_WORDS = {"tro len": ">=", "tro xuong": "<=", "tro lai": "<="}
SCOPE_ALL_WORDS = {"all", "toan thanh pho", "toan tinh", "thanh pho", "tinh", "chung"}
_VALUE_WITH_COMPARATOR = re.compile(r"\s*(>=|<=|==|=>|=<|≥|≤|>|<|=)?\s*([^\d\s].*?)?\s*(\d[\d.,]*\s*%?)\s*([^\d\s].*?)?\s*")
# What a value counts, written after it: «Tối thiểu 95% hồ sơ», «100% TTHC», «≥ 50 % hồ sơ trở lên» (probe 17: the
# whole file was refused as if «hồ sơ» were a comparator)
_COUNTED_WORDS = ("thu tuc hanh chinh", "so ho so", "ho so", "tthc", "thu tuc", "phieu", "don vi", "co quan")


def _words_after(after: str | None) -> str | None:
    """The words after a value without what the value counts: a comparator's words («trở lên»), other words, or None."""
    key = norm_key(after or "")
    for word in _COUNTED_WORDS:
        if key == word or key.startswith(word + " "):
            key = key[len(word):].strip()
            break
    return key or None
_SPACED_SIGN = re.compile(r"([<>])\s+=")   # '> = 95%': ≥ typed with a space


def _reads_as_number(value_text: str) -> bool:
    """Whether a value cell is a number with at most a comparator around it, not a target in words ('Trong nhóm 10
    tỉnh, thành phố dẫn đầu')."""
    found = _VALUE_WITH_COMPARATOR.fullmatch(_SPACED_SIGN.sub(r"\1=", value_text or ""))
    return bool(found) and (_words_after(found.group(4)) is None or _words_after(found.group(4)) in TRAILING_WORDS)


def _target_keys() -> dict[str, str]:
    """An indicator's id, its Vietnamese name or its target key (normalized) → the key targets are stored under; and
    the same texts as _loose_key writes them, for the wordings that differ only in its words (one key each: a loose
    form two indicators share is left out, and the exact text decides)."""
    names = target_names()
    loose: dict[str, set] = {}
    for key, texts in names.items():
        for text in texts:
            loose.setdefault(_loose_key(text), set()).add(key)
    return {**{k: next(iter(v)) for k, v in loose.items() if len(v) == 1},
            **{norm_key(text): key for key, texts in names.items() for text in texts}}


# Words a plan adds to an indicator's name without changing it: «Tỷ lệ hồ sơ TTHC được giải quyết trước hạn, đúng
# hạn», «Chỉ số hài lòng … nhà nước (SIPAS)» (probe 39: both stored as text, the city's targets never shown). Only an
# abbreviation in brackets is dropped: a note in words may be what tells two indicators apart («Tỷ lệ hồ sơ nộp trực
# tuyến (đối với TTHC có cung cấp DVCTT)», «Tỷ lệ hài lòng (đánh giá hồ sơ)»: the review found both taken loosely).
_LOOSE_WORDS = (" thu tuc hanh chinh ", " tthc ", " duoc ", " va ")
_ABBREVIATION_NOTE = re.compile(r"\(\s*[A-ZĐ][A-ZĐ0-9 .&-]{1,15}\s*\)")


def _loose_key(text) -> str:
    """An indicator's name without an abbreviation in brackets and without the words of _LOOSE_WORDS, as a key: a
    second chance after the exact name."""
    key = f" {norm_key(_ABBREVIATION_NOTE.sub(' ', str(text or '')))} "
    for word in _LOOSE_WORDS:
        while word in key:
            key = key.replace(word, " ")
    return "~" + " ".join(key.split())


def _split_target(comparator_text: str, value_text: str, name, row) -> tuple[str, str]:
    """(comparator, value text) from a comparator cell and a value cell that may carry it ('≥ 30 %', '80% trở
    lên'). A bound at the end of the scale has one meaning: '100%' alone is reached in full (≥), '0%' alone is none
    at all (≤); any other bare number refuses the row (99 % could be a floor or a ceiling)."""
    value_text = _SPACED_SIGN.sub(r"\1=", value_text or "")
    found = _VALUE_WITH_COMPARATOR.fullmatch(value_text)
    sign, word, number, after = found.groups() if found else (None, None, value_text, None)
    after = _words_after(after)
    given = _SPACED_SIGN.sub(r"\1=", (comparator_text or "").strip())
    before = COMPARATORS.get(given) or COMPARATOR_WORDS.get(norm_key(given)) or COMPARATORS.get(sign or "") \
        or COMPARATOR_WORDS.get(norm_key(word or ""))
    trailing = TRAILING_WORDS.get(after) if after else None
    # words after the value that name no comparator, or another one than the words before it: unclear
    comparator = None if (after and trailing is None) or (before and trailing and before != trailing) \
        else before or trailing
    if comparator is None and not given and not sign and not word and not after and number:
        bound = number.replace("%", "").replace(",", ".").strip()
        comparator = {"100": ">=", "1": ">=", "0": "<="}.get(bound.rstrip("0").rstrip(".") if "." in bound else bound)
    if comparator is None:
        fail(name, row, f"không rõ phép so sánh của chỉ tiêu '{given or value_text}' (dùng >=, >, <=, <, = hoặc "
                         "chữ: trên, tối thiểu, không dưới, dưới, tối đa, bằng — ở cột «So sánh», trước giá trị, "
                         "hoặc «trở lên», «trở xuống» sau giá trị).")
    return comparator, number


def _target_scope(con, text: str) -> tuple[str, bool]:
    """(scope as stored, recognized): 'all', a unit level, or a unit code (a unit's name or alias is resolved)."""
    key = norm_key(text)
    if not key or key in SCOPE_ALL_WORDS:
        return "all", True
    level = level_of(text)
    if level:
        # A plan's «Cấp tỉnh» is the provincial agencies (sở, ban, ngành), as form 06a's section «I. Cấp tỉnh»
        # lists them, not the city's own figure (its target is the «Toàn thành phố» one)
        return ("department" if level == "province" else level), True
    code = con.execute("SELECT coalesce((SELECT unit_code FROM units WHERE unit_code = $t), unit_code_of($t))",
                       {"t": text.strip()}).fetchall()[0][0]
    return (code, True) if code else (text.strip(), False)


def _carried_right(line: list, lower: list) -> list:
    """An upper header line with each group label carried right over the empty cells it was merged across: a cell
    whose own lower header names an indicator in full («Tỷ lệ …», «Chỉ số …», «Thời gian …») stands outside the group
    (the review: «Chỉ số hài lòng SIPAS» right of a «Tỷ lệ (%)» group took its «%», and ≥ 0,9 became 0,9 %)."""
    out, last = [], None
    for j, cell in enumerate(line):
        below = norm_key(lower[j]) if j < len(lower) and lower[j] is not None else ""
        if str(cell or "").strip():
            last = cell
        elif below.startswith(_FULL_NAME_OPENERS):
            last = None
        out.append(last)
    return out


_FULL_NAME_OPENERS = ("ty le ", "chi so ", "thoi gian ", "so ")


def load_targets(con, grid, match, name) -> tuple[int, list[str]]:
    records, warnings, keys = [], [], _target_keys()
    # without a year column, the plan's year its title gives («CHỈ TIÊU KẾ HOẠCH CCHC NĂM 2022»)
    default_year = plan_year(grid.head_rows(match.header_index + 1 - match.header_rows))
    level_columns = [f for f in LEVEL_VALUE_FIELDS if f in match.columns]
    year_columns = [f for f in YEAR_VALUE_FIELDS if f in match.columns]
    indicator_columns = [f for f in INDICATOR_VALUE_FIELDS if f in match.columns]
    # an indicator column headed «… (%)», in any line of its header (a «Tỷ lệ (%)» line over the indicators'
    # names): its values are percentages, as under a «Đơn vị tính» of «%»
    lines = header_lines(grid, match)
    lines = [*(_carried_right(line, lines[-1]) for line in lines[:-1]), lines[-1]]
    percent_columns = {f for f in indicator_columns for j in [int(match.columns[f][1:])]
                       if any(j < len(line) and "%" in str(line[j] or "") for line in lines)}
    taken = 0
    for r in reference_rows(grid, match):
        # (year, scope, value text, indicator, in percent) of each target the line sets: the «Giá trị» cell for its
        # «Phạm vi», each level column's cell for that level, each year column's cell for that year, each indicator
        # column's cell for the line's unit (indicator None: the line's «Chỉ tiêu»)
        scope = r.get("scope") or (r.get("unit_scope", "") if indicator_columns else "")
        values = [(None, scope, r["value"], None, False)] if "value" in match.columns and \
            (r["value"] or not (level_columns or year_columns or indicator_columns)) else []
        values += [(None, LEVEL_VALUE_FIELDS[f], r[f], None, False) for f in level_columns
                   if norm_key(r[f]) not in _NOT_APPLICABLE]
        values += [(YEAR_VALUE_FIELDS[f], scope, r[f], None, False) for f in year_columns
                   if norm_key(r[f]) not in _NOT_APPLICABLE]
        values += [(None, scope, r[f], INDICATOR_VALUE_FIELDS[f], f in percent_columns) for f in indicator_columns
                   if norm_key(r[f]) not in _NOT_APPLICABLE]
        if not values:
            warnings.append(f"Dòng {r['_row']}: " + (f"đơn vị «{scope}» không ghi giá trị ở cột chỉ tiêu nào"
                                                       if indicator_columns else
                                                       f"chỉ tiêu «{r.get('indicator', '')}» không ghi giá trị ở cột nào")
                            + ": không lưu chỉ tiêu này.")
            continue
        year = re.search(r"\d{4}", r.get("year") or str(default_year or ""))
        if not year and any(v[0] is None for v in values):
            fail(name, r["_row"], f"năm '{r.get('year')}' không hợp lệ.")
        before = len(records)
        for line_year, scope_text, value, indicator, percent in values:
            records += _target_record(con, r, keys, line_year or int(year.group()), scope_text, value, name,
                                      warnings, indicator, percent)
        taken += len(records) > before
    # the document the table is attached to, under its title: every target a line does not give a source of its own
    attached = _attached_to(grid.head_rows(match.header_index + 1 - match.header_rows))
    records = [(*rec[:5], rec[5] or attached) for rec in records]
    if records:   # every cell «-» or empty: nothing to store (executemany refuses an empty list)
        warnings += _replaced_targets(con, records)
        con.executemany("INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?, ?)", records)
    return taken, warnings


def _attached_to(title_rows: list[list]) -> str | None:
    """«(Kèm theo Kế hoạch số 4567/KH-UBND ngày 28/12/2022 …)» under an annex's title: the document its targets come
    from (indicators.md §4; probe 44: it was kept only from a column on every line), without its brackets."""
    texts = [str(cell).strip().strip("()").strip() for row in title_rows for cell in row if cell]
    return next((t for t in texts if norm_key(t).startswith("kem theo ")), None)


def _replaced_targets(con, records: list[tuple]) -> list[str]:
    """The targets a file sets again with another value than the one stored (an amended plan loaded after the
    first): replaced, as the later file says — said, old and new side by side (probe 34: replaced without a word).
    A target the file itself sets twice with two values (two names of one indicator) is said apart: the later line
    is kept, and loading the file again says nothing more (review)."""
    final, twice = {}, []
    for r in records:
        if r[:3] in final and final[r[:3]][3:5] != r[3:5]:
            twice.append(r)
        final[r[:3]] = r
    warnings = [f"{len(twice)} chỉ tiêu được tệp ghi hai lần với giá trị khác nhau (cùng năm, phạm vi và chỉ số, có lẽ "
                "hai tên của một chỉ số): giữ dòng sau — " + ", ".join(sorted({r[2] for r in twice})) + "."] if twice else []
    years = sorted({r[0] for r in records})
    stored = {(y, s, i): (c, v) for y, s, i, c, v in con.execute(
        "SELECT year, scope, indicator, comparator, target_value FROM targets WHERE list_contains(?, year)",
        [years]).fetchall()}
    changed = [(r, stored[key]) for key, r in final.items() if key in stored and stored[key] != (r[3], r[4])]
    if not changed:
        return warnings
    def value(indicator: str, comparator: str, v: float) -> str:   # stored as a fraction; days as days
        sign = {">=": "≥", "<=": "≤"}.get(comparator, comparator)
        return sign + " " + (f"{v:g} ngày" if indicator == "avg_days" else f"{v * 100:.4g} %").replace(".", ",")
    names = target_names()
    shown = "; ".join(f"«{names[i][1] if i in names else i}» năm {y}, phạm vi "
                      f"{'toàn thành phố' if s == 'all' else s}: {value(i, c0, v0)} → {value(i, c1, v1)}"
                      for (y, s, i, c1, v1, _), (c0, v0) in changed[:5])
    return warnings + [f"{len(changed)} chỉ tiêu đã có được thay bằng giá trị của tệp này ({shown}"
                       f"{' …' if len(changed) > 5 else ''}); nếu tệp nạp trước mới là bản đúng, hãy nạp lại tệp đó."]


def _target_record(con, r: dict, keys: dict, year: int, scope_text: str, value: str, name, warnings,
                   indicator: str | None = None, percent: bool = False) -> list[tuple]:
    """The target one value cell sets, as a row of the targets table ([] when it is words the tool cannot store),
    its doubts appended to warnings. indicator: the key of the value's column (one column per indicator), else the
    line's «Chỉ tiêu» is read; percent: that column's header says «%»."""
    indicator = indicator or keys.get(norm_key(r.get("indicator", ""))) or keys.get(_loose_key(r.get("indicator")))
    if indicator is None and not _reads_as_number(value):
        # a target the tool cannot compute, written in words ('Trong nhóm 10 tỉnh, thành phố dẫn đầu' of the
        # PAR INDEX rank): said, not stored (a target is a number), and the rest of the plan loads
        warnings.append(f"Dòng {r['_row']}: chỉ tiêu «{r['indicator']}» ghi «{value}», không phải số, và "
                        "không phải chỉ số công cụ tính được: không lưu chỉ tiêu này.")
        return []
    comparator, value_text = _split_target(r.get("comparator", ""), value, name, r["_row"])
    scope, known_scope = _target_scope(con, scope_text)
    unknown = (f"Dòng {r['_row']}: phạm vi «{scope}» không khớp đơn vị hay cấp nào; chỉ tiêu được lưu nhưng chưa áp "
               "dụng cho đơn vị nào.")
    if not known_scope and unknown not in warnings:   # once per line, however many indicator columns it fills
        warnings.append(unknown)
    if indicator is None:
        indicator = r["indicator"]
        note = f"Dòng {r['_row']}: «{indicator}» không phải chỉ số công cụ tính được; chỉ tiêu được lưu nhưng không " \
               "hiện trên bảng điều khiển."
        if note not in warnings:   # once per line, however many level columns it fills
            warnings.append(note)
    percent = percent or _in_percent(r.get("value_unit"))
    return [(year, scope, indicator, comparator,
             parse_target_value(value_text, name, r["_row"], percent, days=indicator == "avg_days"),
             r.get("source") or None)]
