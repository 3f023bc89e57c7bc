"""Load the procedure catalogue (TTHC): code, name, field, online level, statutory days, fee, and the units that
handle each procedure."""
import re
import unicodedata

from common.text import norm_key, procedure_key
from etl.core.vocab import value_words
from etl.references.common import LEVEL_WORDS, fail, level_of, reference_rows

ALIASES = {
    "code": ["code", "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính"],
    "name": ["name", "Tên TTHC", "Tên thủ tục", "Tên thủ tục hành chính"],
    "field": ["field", "Lĩnh vực"], "online_level": ["online_level", "Mức độ DVCTT", "Mức độ", "Mức độ DVC"],
    "statutory_days": ["statutory_days", "Thời hạn giải quyết", "Số ngày giải quyết"],
    "has_fee": ["has_fee", "Có phí", "Có phí lệ phí"], "unit": ["unit", "Đơn vị", "Cơ quan thực hiện"],
    "has_internal_process": ["has_internal_process", "Có quy trình nội bộ"],
}
REQUIRED = ("code",)


def _flag(value):
    return None if value == "" else norm_key(value) in ("1", "co", "x", "true", "yes", "da")


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


# The national catalogue writes the time limit in words: "05 ngày làm việc", "Không quá 15 ngày kể từ…".
_DAYS_IN_WORDS = re.compile(r"(?:khong qua |toi da |trong |trong thoi han )?(\d+) ngay\b.*")


def _statutory_days(text: str, row, warnings: list) -> int | None:
    """Working days from a number or 'N ngày …'; a time limit without a number of days ('Trong ngày', '03 tháng')
    is stored as not given and said, so one such cell does not refuse the whole catalogue."""
    plain = text.replace(",", ".").strip()
    if not plain:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", plain):
        return int(float(plain))
    # the number also written in words, in brackets: '10 (mười) ngày làm việc'
    found = _DAYS_IN_WORDS.fullmatch(norm_key(re.sub(r"\([^)]*\)", " ", text)))
    if found:
        return int(found.group(1))
    warnings.append(f"Dòng {row}: thời hạn giải quyết «{text}» không phải số ngày; thủ tục vẫn được nạp, thời hạn để "
                    "trống.")
    return None


def load_procedures(con, grid, match, name) -> tuple[int, list[str]]:
    rows = reference_rows(grid, match)
    levels = {v for v in LEVEL_WORDS.values()}
    procs, links, warnings, taken, sector = {}, set(), [], 0, None
    for r in rows:
        code = procedure_key(r.get("code"))
        if not code and _is_heading(r):
            # a decision's annex groups its procedures under 'A. THỦ TỤC CẤP XÃ', 'I. Lĩnh vực Hộ tịch': skipped,
            # the sector given to the procedures below that name none
            found = _SECTOR_HEADING.match(unicodedata.normalize("NFC", r["name"]))
            sector = found.group(1).strip() if found else None
            continue
        if not code:
            fail(name, r["_row"], "thiếu mã thủ tục.")
        taken += 1
        if sector and not r.get("field"):
            r["field"] = sector
        level = _online_level(r.get("online_level", ""), r["_row"], warnings)
        days = _statutory_days(r.get("statutory_days", ""), r["_row"], warnings)
        procs[code] = (code, r.get("name") or None, r.get("field") or None, level, days, _flag(r.get("has_fee", "")),
                       _flag(r.get("has_internal_process", "")))
        for target in (t.strip() for t in r.get("unit", "").split(";") if t.strip()):
            links.add((code, target))
    # An empty cell (or a column the file lacks) never erases what the catalogue already says of a procedure.
    con.executemany("""INSERT INTO procedures VALUES (?, ?, ?, coalesce(?, 'none'), ?, ?, ?)
        ON CONFLICT (procedure_code) DO UPDATE SET
          procedure_name = coalesce(excluded.procedure_name, procedures.procedure_name),
          field_name = coalesce(excluded.field_name, procedures.field_name),
          online_level = CASE WHEN ? IS NULL THEN procedures.online_level ELSE excluded.online_level END,
          statutory_days = coalesce(excluded.statutory_days, procedures.statutory_days),
          has_fee = coalesce(excluded.has_fee, procedures.has_fee),
          has_internal_process = coalesce(excluded.has_internal_process, procedures.has_internal_process)""",
                    [(*p, p[3]) for p in procs.values()])
    for code, target in links:
        lvl = level_of(target)
        if lvl in levels and not con.execute("SELECT 1 FROM units WHERE unit_code = ?", [target]).fetchall():
            con.execute("""INSERT OR IGNORE INTO procedure_units SELECT ?, unit_code FROM units WHERE level = ?""",
                        [code, lvl])
        else:
            con.execute("INSERT OR IGNORE INTO procedure_units SELECT ?, coalesce(unit_code_of(?), ?)",
                        [code, target, target])
    return taken, warnings


# 'Lĩnh vực Hộ tịch', 'I. LĨNH VỰC CHỨNG THỰC': the words after 'lĩnh vực' name the sector
_SECTOR_HEADING = re.compile(r"\s*(?:[IVXLC]+\s*[.)]\s*)?l[iĩ]nh\s+v[uự]c\s*[:.-]?\s*(\S.*)", re.IGNORECASE)


def _is_heading(row: dict) -> bool:
    """A line holding only a title in the name column: no code, no time limit, no level, no unit."""
    return bool(row.get("name")) and not any(row.get(f) for f in row if f not in ("name", "_row"))
