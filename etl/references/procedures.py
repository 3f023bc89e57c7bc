"""Load the procedure catalogue (TTHC): code, name, field, online level, statutory days, fee, and the units that
handle each procedure."""
import re
import unicodedata

from common.text import norm_key, procedure_key
from etl.core.table_lines import is_section_title
from etl.core.vocab import value_words
from etl.references.common import LEVEL_WORDS, fail, level_of, reference_rows

ALIASES = {
    "code": ["code", "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "Mã số TTHC", "Mã số thủ tục",
             "Số hồ sơ TTHC", "Số hồ sơ thủ tục hành chính"],
    "name": ["name", "Tên TTHC", "Tên thủ tục", "Tên thủ tục hành chính"],
    "field": ["field", "Lĩnh vực"], "online_level": ["online_level", "Mức độ DVCTT", "Mức độ", "Mức độ DVC"],
    "statutory_days": ["statutory_days", "Thời hạn giải quyết", "Số ngày giải quyết", "Thời gian giải quyết",
                       "Thời hạn giải quyết (ngày)", "Thời hạn"],
    "has_fee": ["has_fee", "Có phí", "Có phí lệ phí", "Phí, lệ phí", "Phí lệ phí", "Lệ phí", "Phí",
                "Mức phí, lệ phí"],
    "unit": ["unit", "Đơn vị", "Cơ quan thực hiện", "Cấp thực hiện"],
    # a decision's list of online services ticks one of two columns, or «Mức độ DVCTT» merged over «Toàn trình | Một
    # phần» (probe 17): the tick is the level
    "online_full": ["DVC trực tuyến toàn trình", "DVCTT toàn trình", "Dịch vụ công trực tuyến toàn trình", "Toàn trình",
                    "Mức độ DVCTT Toàn trình", "Mức độ Toàn trình", "Mức độ DVC Toàn trình", "Mức độ 4"],
    "online_partial": ["DVC trực tuyến một phần", "DVCTT một phần", "Dịch vụ công trực tuyến một phần", "Một phần",
                       "Mức độ DVCTT Một phần", "Mức độ Một phần", "Mức độ DVC Một phần", "Mức độ 3"],
    "has_internal_process": ["has_internal_process", "Có quy trình nội bộ"],
}
REQUIRED = ("code",)


_YES = ("1", "co", "x", "true", "yes", "da")


def _flag(value):
    return None if value == "" else norm_key(value) in _YES


_NO_FEE = {"khong", "mien", "mien phi", "khong thu", "khong thu phi", "khong co", "khong co phi", "khong quy dinh",
           "khong phai nop", "0", "false", "no", "chua"}


_AMOUNT = re.compile(r"(\d+(?: \d{3})*) ?(?:d|dong|vnd|k|nghin|ngan|trieu)\b")


def _has_fee(value: str, row, warnings: list) -> bool | None:
    """Whether a procedure charges a fee, from a yes/no cell or from the fee itself as the national catalogue
    writes it ('Không', 'Miễn phí', '50.000 đồng/hồ sơ', 'Lệ phí: 8.000 đồng/bản'): any amount above zero is a fee.
    Words that say neither ('Theo quy định') are left empty and said."""
    key = norm_key(value)
    if not key:
        return None
    # an amount is a bare number or a number of đồng ('8.000 đồng', '100k'): a circular's number is not one
    amounts = [int(key.replace(" ", ""))] if re.fullmatch(r"\d+( \d{3})*", key) else [
        int(n.replace(" ", "")) for n in _AMOUNT.findall(key)]
    # free for some, charged to others ('Miễn phí đối với hộ gia đình; 1.500.000 đồng/hồ sơ đối với tổ chức'): a fee
    # (probe 30: read as none, from its first words)
    if any(amounts):
        return True
    if key in _NO_FEE or key.startswith(("mien ", "khong thu ")):
        return False
    if key in _YES:
        return True
    if amounts:
        return False
    warnings.append(f"Dòng {row}: phí, lệ phí «{value}» không rõ có thu hay không; thủ tục vẫn được nạp, để trống.")
    return None


# The two kinds of online public service (Nghị định 42/2022/NĐ-CP) named inside a longer wording: 'Dịch vụ công
# trực tuyến toàn trình', 'DVCTT một phần', 'Toàn trình (mức độ 4)'.
_LEVEL_PHRASES = (("toan trinh", "full"), ("muc do 4", "full"), ("mot phan", "partial"), ("muc do 3", "partial"))


def _online_level(text: str, row=None, warnings: list | None = None) -> str | None:
    """'full', 'partial' or 'none' from 4 / 3 / a word; None when the cell is empty (nothing said) or holds a word
    that names no level — said in the warnings, not guessed (before, any such word counted as 'none', so a
    procedure written 'Dịch vụ công trực tuyến toàn trình' dropped out of the online procedures)."""
    if not text.strip():
        return None
    word = norm_key(text)
    # the dossier exports' words (etl/vocab/values.csv: "Trực tuyến toàn trình", "DVC cung cấp thông tin"…)
    known = next((c for f, w, c in value_words() if f == "online_level" and w == word), None)
    found = known or {"4": "full", "3": "partial", "1": "none", "2": "none"}.get(text.strip()) or (
        "full" if word == "full" else "partial" if word == "partial" else "none" if word in ("none", "khong") else None)
    if found is None:
        phrases = {level for phrase, level in _LEVEL_PHRASES if phrase in word}
        found = phrases.pop() if len(phrases) == 1 else None
    if found is None and warnings is not None:
        warnings.append(f"Dòng {row}: mức độ dịch vụ công trực tuyến «{text}» không nhận ra (cần «Toàn trình», «Một "
                        "phần» hay mức độ 1–4); thủ tục vẫn được nạp, mức độ để trống.")
    return found


# The national catalogue writes the time limit in words: "05 ngày làm việc", "Không quá 15 ngày kể từ…", "Trong vòng
# 05 ngày làm việc", "Thời hạn: 05 ngày", "10 (mười) ngày", "Mười lăm (15) ngày", or per channel "Trực tiếp: 07 ngày làm
# việc; Trực tuyến: 07 ngày làm việc; Dịch vụ bưu chính: 07 ngày làm việc" (probe 17): each number of days it names.
# «(Ngay) trong ngày» as a time limit, wherever it stands («- Trong ngày đối với …;», «… hồ sơ được trả trong ngày»),
# but not a day a clause speaks of: «nộp trong ngày nghỉ, lễ», «trả trong ngày làm việc tiếp theo» (review).
_SAME_DAY = re.compile(r"\btrong\s+ngày\b(?!\s*(?:\d|nghỉ|lễ|tết|làm việc (?:tiếp theo|kế tiếp|thứ|sau)|hôm sau))")
_DAYS = re.compile(r"(?:(\d+(?:[.,]\d+)?)\s*(?:\([^)\d]*\)\s*)?|\((\d+)\)\s*)ng[aà]y\b", re.IGNORECASE)
# «10 ngày; trường hợp phức tạp được kéo dài thêm không quá 03 ngày», «gia hạn (thêm) 05 ngày»: an extension the unit
# may grant (and writes as a new appointment date), not a second time limit; the limit is the 10 days. «Kéo dài …
# không quá 15 ngày» without «thêm» may be the whole time of such cases: still two limits, said.
_LIMIT_WORDS = r"(?:\s+th[oờ]i\s+(?:gian|h[aạ]n)(?:\s+gi[aả]i\s+quy[eế]t)?)?"
_EXTENSION = re.compile(rf"(?:k[eé]o\s+d[aà]i{_LIMIT_WORDS}\s+th[eê]m|gia\s+h[aạ]n{_LIMIT_WORDS}(?:\s+th[eê]m)?)"
                        r"\s+(?:kh[oô]ng\s+qu[aá]\s+|t[oố]i\s+[dđ]a\s+)?\d+\s*(?:\([^)\d]*\)\s*)?ng[aà]y\b",
                        re.IGNORECASE)


def _statutory_days(text: str, row, warnings: list) -> int | None:
    """Working days from a number or 'N ngày …'. A time limit without a whole number of days ('Trong ngày', '02 giờ',
    '1,5 ngày') or naming several ('10 ngày … cấp mới; 05 ngày … cấp lại': which one a dossier takes, the catalogue
    does not say) is stored as not given and said, so one such cell does not refuse the whole catalogue. A note in
    brackets — 'trường hợp phải xác minh thì không quá 10 ngày' — is no second time limit."""
    plain = text.replace(",", ".").strip()
    if not plain:
        return None
    shown = " ".join(text.split())   # a cell of several lines is quoted on one
    if re.fullmatch(r"\d+(\.\d+)?", plain):
        if float(plain).is_integer():
            return int(float(plain))
        warnings.append(f"Dòng {row}: thời hạn giải quyết «{shown}» không phải số ngày nguyên; thủ tục vẫn được nạp, "
                        "thời hạn để trống.")
        return None
    # '(15)' stays; each note ends at its own ')': «07 ngày (nộp trực tiếp); 05 ngày (trực tuyến)» keeps its 05 (probe
    # 39: the non-digit could be the first note's ')', and one note ran to the last ')', taking the second limit away)
    outside_notes = re.sub(r"\([^)]*[^)\d][^)]*\)", " ", unicodedata.normalize("NFC", text))
    without_extension = _EXTENSION.sub(" ", outside_notes)
    if without_extension != outside_notes and not (_DAYS.search(without_extension)
                                                   or _SAME_DAY.search(without_extension.lower())):
        warnings.append(f"Dòng {row}: thời hạn giải quyết «{shown}» chỉ ghi thời gian được kéo dài thêm, không ghi thời "
                        "hạn; thủ tục vẫn được nạp, thời hạn để trống.")
        return None
    outside_notes = without_extension
    found = {a or b for a, b in _DAYS.findall(outside_notes)}
    numbers = {float(n.replace(",", ".")) for n in found}
    # «Ngay trong ngày …; trường hợp cần xác minh thì không quá 05 ngày»: the same day, or 5 days for some cases
    # (probe 34: stored as 5 days, every dossier of the procedure given 5 days)
    if numbers and _SAME_DAY.search(outside_notes.strip().lower()):
        numbers.add(0.0)
    if len(numbers) == 1 and next(iter(numbers)).is_integer():
        return int(next(iter(numbers)))
    if len(numbers) > 1:
        warnings.append(f"Dòng {row}: thời hạn giải quyết «{shown}» ghi nhiều thời hạn khác nhau ("
                        + ", ".join("trong ngày" if n == 0 else f"{n:g} ngày" for n in sorted(numbers))
                        + ") cho các trường hợp khác nhau; thủ tục "
                        "vẫn được nạp, thời hạn để trống (hồ sơ của thủ tục không có ngày hẹn trả thì không tính được "
                        "hạn) — ghi một số ngày nếu mọi hồ sơ cùng một thời hạn.")
        return None
    warnings.append(f"Dòng {row}: thời hạn giải quyết «{shown}» không phải số ngày; thủ tục vẫn được nạp, thời hạn để "
                    "trống.")
    return None


_TICKS = {"x", "v", "1", "co", "true"}
_TICK_MARKS = ("✓", "✔", "☑", "√", "✅")


def _is_ticked(text: str) -> bool:
    return norm_key(text) in _TICKS or text.strip() in _TICK_MARKS


def _ticked_level(row: dict, match) -> str | None:
    """The level a list of online services gives by a tick in its «Toàn trình» or «Một phần» column; with those
    columns and neither ticked, the procedure is no online service ('none'); without them, None (not said)."""
    if "online_full" not in match.columns and "online_partial" not in match.columns:
        return None
    full, partial = _is_ticked(row.get("online_full", "")), _is_ticked(row.get("online_partial", ""))
    return "full" if full and not partial else "partial" if partial and not full else "none" if not full else None


# A part of a decision's annex, or its title, naming the level its procedures are carried out at: «B. THỦ TỤC HÀNH
# CHÍNH CẤP HUYỆN», «DANH MỤC TTHC THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP XÃ». Only the district and commune
# levels: every unit of the level carries them out; a province-level part names no department.
_PART_LEVEL = re.compile(r"\bc[aấ]p\s+(t[iỉ]nh|huy[eệ]n|x[aã])\b", re.IGNORECASE)


def _part_level(text: str | None) -> str | None:
    """The district or commune level a heading or title names, when it names that one level alone («… cấp tỉnh, cấp
    huyện, cấp xã» names none)."""
    found = {level_of(w) for w in _PART_LEVEL.findall(unicodedata.normalize("NFC", text or ""))}
    return found.pop() if len(found) == 1 and found <= {"district", "ward"} else None


def load_procedures(con, grid, match, name) -> tuple[int, list[str]]:
    rows = reference_rows(grid, match, unmapped_text=True, headings=True)
    levels = {v for v in LEVEL_WORDS.values()}
    procs, links, warnings, taken, sector, abolished, in_abolished = {}, set(), [], 0, None, [], False
    # the level the title gives every procedure of the file (a list of one level's procedures); a part's heading
    # gives its own procedures theirs (probe 34: an annex without «Cơ quan thực hiện» linked no procedure to a unit)
    part_level = title_level = next((lv for row in grid.head_rows(match.header_index + 1 - match.header_rows)
                                     for cell in row if isinstance(cell, str) for lv in [_part_level(cell)] if lv), None)
    unlinked, province_level = [], set()
    other_days: dict[str, list[int]] = {}   # a code listed again with another time limit (one per level)
    for r in rows:
        heading = _heading(r)
        if heading is not None:
            # a decision's annex groups its procedures under 'A. THỦ TỤC CẤP XÃ', 'I. Lĩnh vực Hộ tịch', whichever
            # column the merged heading starts in: skipped, the sector given to the procedures below that name none;
            # under 'DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ' the procedures are no longer in force
            found = _SECTOR_HEADING.match(unicodedata.normalize("NFC", heading))
            sector = _sentence_case(found.group(1).strip()) if found else None
            if not found:   # a part of the annex, not a sector: abolished procedures, or new and amended ones
                in_abolished = _is_abolished_part(heading)
                part_level = _part_level(heading) or (title_level if not re.search(r"(?i)c[aấ]p\s", heading)
                                                      else None)
            continue
        if "_text" in r:   # text only in a column no field reads, and no section title: not a procedure
            continue
        code = procedure_key(r.get("code"))
        if not code:
            fail(name, r["_row"], "thiếu mã thủ tục.")
        if in_abolished:
            abolished.append(code)
            continue
        taken += 1
        if sector and not r.get("field"):
            r["field"] = sector
        level = _online_level(r.get("online_level", ""), r["_row"], warnings) or _ticked_level(r, match)
        days = _statutory_days(r.get("statutory_days", ""), r["_row"], warnings)
        if code in procs and None not in (procs[code][4], days) and procs[code][4] != days:
            other_days.setdefault(code, [procs[code][4]]).append(days)
        line = (code, r.get("name") or None, r.get("field") or None, level, days,
                _has_fee(r.get("has_fee", ""), r["_row"], warnings), _flag(r.get("has_internal_process", "")))
        # a code listed again (once per level it is carried out at): what the later line leaves empty stays the
        # earlier line's, as a later file's empty cells leave the stored values (the upsert below)
        procs[code] = tuple(new if new is not None else old for new, old in zip(line, procs.get(code, line)))
        written = _unit_targets(r.get("unit", ""))
        targets = [t for t in written if norm_key(t) not in _PROVINCE_LEVEL_WORDS]
        # «Cấp tỉnh» names no unit; said unless a department stands beside it («Cấp tỉnh; Sở Tư pháp»)
        if len(targets) < len(written) and all(level_of(t) for t in targets):
            province_level.add(code)
        targets = targets if written else ([part_level] if part_level else [])
        for target in targets:
            links.add((code, target))
        if not targets and code not in province_level:
            unlinked.append(code)
    for code, days in other_days.items():   # one time limit per code: the last line's, said (probe 30: silently)
        warnings.append(f"Mã thủ tục {code} có nhiều dòng với thời hạn khác nhau ({', '.join(map(str, days))} ngày "
                        f"làm việc, có lẽ theo cấp thực hiện): công cụ giữ một thời hạn cho mỗi mã, là của dòng cuối "
                        f"({days[-1]} ngày). Hồ sơ có «Ngày hẹn trả» trong tệp xuất dùng hạn đó; hồ sơ không có thì "
                        "hạn được tính theo thời hạn này.")
    if abolished:
        warnings.append(f"{len(abolished)} thủ tục ở phần «bãi bỏ» của danh mục không được nạp (không còn hiệu lực): "
                        + ", ".join(abolished[:10]) + (" …" if len(abolished) > 10 else "") + ".")
        # One already in the database leaves the units' catalogues (no unit carries it out any more: the procedure
        # counts and online-service rates stop counting it); its row stays, for its dossiers' sector and time limit.
        withdrawn = sorted({r[0] for r in con.execute("""DELETE FROM procedure_units
                                                         WHERE procedure_code IN (SELECT unnest($c))
                                                         RETURNING procedure_code""", {"c": abolished}).fetchall()})
        if withdrawn:
            warnings.append(f"{len(withdrawn)} thủ tục bãi bỏ đã có trong danh mục được bỏ khỏi danh mục thủ tục của các "
                            "đơn vị (không còn tính vào số thủ tục và tỷ lệ cung cấp dịch vụ công trực tuyến; hồ sơ đã "
                            "nạp của các thủ tục đó giữ nguyên): " + ", ".join(withdrawn[:10])
                            + (" …" if len(withdrawn) > 10 else "") + ".")
    # An empty cell (or a column the file lacks) never erases what the catalogue already says of a procedure.
    con.executemany("""INSERT INTO procedures VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (procedure_code) DO UPDATE SET
          procedure_name = coalesce(excluded.procedure_name, procedures.procedure_name),
          field_name = coalesce(excluded.field_name, procedures.field_name),
          online_level = CASE WHEN ? IS NULL THEN procedures.online_level ELSE excluded.online_level END,
          statutory_days = coalesce(excluded.statutory_days, procedures.statutory_days),
          has_fee = coalesce(excluded.has_fee, procedures.has_fee),
          has_internal_process = coalesce(excluded.has_internal_process, procedures.has_internal_process)""",
                    [(*p, p[3]) for p in procs.values()])
    unmatched: dict[str, list[str]] = {}
    for code, target in links:
        lvl = level_of(target)
        if lvl in levels and not con.execute("SELECT 1 FROM units WHERE unit_code = ?", [target]).fetchall():
            con.execute("""INSERT OR IGNORE INTO procedure_units SELECT ?, unit_code FROM units WHERE level = ?""",
                        [code, lvl])
        else:
            found = con.execute("SELECT unit_code_of(?)", [target]).fetchall()[0][0]
            if found is None:
                unmatched.setdefault(target, []).append(code)
            con.execute("INSERT OR IGNORE INTO procedure_units SELECT ?, ?", [code, found or target])
    if unmatched and not con.execute("SELECT count(*) FROM units").fetchall()[0][0]:
        warnings.append("Chưa nạp danh mục đơn vị: cơ quan thực hiện của các thủ tục chưa gắn được với đơn vị nào. Hãy "
                        "nạp danh mục đơn vị rồi nạp lại danh mục thủ tục.")
        unmatched = {}
    shown = sorted(unmatched.items())
    if len(shown) > 10:
        warnings.append(f"{len(shown)} tên cơ quan thực hiện không khớp đơn vị hay cấp nào; mười tên đầu:")
    for target, codes in shown[:10]:   # the procedures no unit's catalogue holds: said (probe 30)
        warnings.append(f"Cơ quan thực hiện «{target}» không khớp đơn vị hay cấp nào của danh mục đơn vị: "
                        f"{len(codes)} thủ tục ({', '.join(sorted(codes)[:5])}{' …' if len(codes) > 5 else ''}) chưa "
                        "thuộc danh mục thủ tục của đơn vị nào (không vào số thủ tục và tỷ lệ cung cấp dịch vụ công "
                        "trực tuyến của đơn vị). Hãy thêm tên này vào tên khác của đơn vị, hoặc ghi cấp thực hiện "
                        "(«Cấp huyện»), rồi nạp lại.")
    # said when the file links other procedures (a part of a level beside a province part): a catalogue that links
    # none (time limits and online levels only) is read for those alone, as before
    unlinked = sorted(set(unlinked) - {c for c, _ in links})
    if unlinked and links and not con.execute("SELECT count(*) FROM procedure_units WHERE list_contains(?, procedure_code)",
                                    [unlinked]).fetchall()[0][0]:
        warnings.append(f"{len(unlinked)} thủ tục không ghi cơ quan hay cấp thực hiện ({', '.join(unlinked[:5])}"
                        f"{' …' if len(unlinked) > 5 else ''}): chưa thuộc danh mục thủ tục của đơn vị nào (không vào số "
                        "thủ tục và tỷ lệ cung cấp dịch vụ công trực tuyến của đơn vị). Hãy thêm cột «Cơ quan thực hiện» "
                        "hay «Cấp thực hiện» rồi nạp lại.")
    if province_level:   # probe 39: linked to the province's own unit, the People's Committee, without a word
        said = sorted(province_level)
        warnings.append(f"{len(said)} thủ tục ghi cấp thực hiện «Cấp tỉnh» ({', '.join(said[:5])}"
                        f"{' …' if len(said) > 5 else ''}): cấp tỉnh không chỉ ra sở, ngành nào thực hiện, nên "
                        "phần cấp tỉnh của các thủ tục này chưa thuộc danh mục thủ tục của đơn vị nào (không vào số thủ "
                        "tục và tỷ lệ cung cấp dịch vụ công trực tuyến của đơn vị). Hãy ghi «Cơ quan thực hiện» (tên hay "
                        "mã sở, ngành; «UBND tỉnh» nếu chính Ủy ban thực hiện) rồi nạp lại.")
    return taken, warnings


# «Cấp tỉnh» in a «Cấp thực hiện» column, as the national catalogue writes it: the level of the departments, no unit.
# Not «UBND tỉnh» or «Thành phố», which name the province's own People's Committee, nor the project's `province`.
_PROVINCE_LEVEL_WORDS = frozenset({"cap tinh", "cap thanh pho"})


# 'Lĩnh vực Hộ tịch', 'I. LĨNH VỰC CHỨNG THỰC': the words after 'lĩnh vực' name the sector
_SECTOR_HEADING = re.compile(r"\s*(?:[IVXLC]+\s*[.)]\s*)?l[iĩ]nh\s+v[uự]c\s*[:.-]?\s*(\S.*)", re.IGNORECASE)


def _sentence_case(name: str) -> str:
    """A sector named in capitals in a heading ('HỘ TỊCH', 'ĐẤT ĐAI') as the catalogue and exports write it ('Hộ
    tịch'): one sector, not two (probe 30: «HỘ TỊCH 1» beside «Hộ tịch 8» in the table by sector). A name written
    otherwise is kept."""
    return name[:1] + name[1:].lower() if name.isupper() else name


def _is_abolished_part(heading: str) -> bool:
    """'B. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ': a part title naming abolished procedures (a wrapped line of a
    procedure's legal basis that mentions an article 'bãi bỏ' is no such title)."""
    key = norm_key(heading)
    return (is_section_title(heading) and ("danh muc" in key or "thu tuc" in key)
            and ("bai bo" in key or "huy bo" in key))


def _heading(row: dict) -> str | None:
    """The title of a heading line, else None: a line holding one text and nothing else — in the name column, in
    the code column (a heading merged across from it: a code always holds a digit) or, when it reads as a section
    title, in a column no field reads (merged across from the STT column; other such lines — a legal basis wrapped
    onto a second line — are skipped without changing the section)."""
    if "_text" in row:
        return row["_text"] if is_section_title(row["_text"]) else None
    code, title = row.get("code", ""), row.get("name", "")
    if any(row.get(f) for f in row if f not in ("code", "name", "_row")) or re.search(r"\d", code) or (code and title):
        return None
    return code or title or None


def _unit_targets(text: str) -> list[str]:
    """The units or levels a procedure is carried out by: ';' between them, or ',' between levels ('Cấp Huyện,
    Cấp Xã', as the national catalogue writes «Cấp thực hiện»)."""
    out = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        out += pieces if len(pieces) > 1 and all(level_of(p) for p in pieces) else [part]
    return out
