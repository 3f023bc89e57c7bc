"""Load how units were reorganized: which old unit went (wholly or in part, with a share) to which new unit, from
when — written as a succession file, or in the units file's successor_code column ("P01: 60%; P02: 40%")."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.core.units import dated_unit_codes_sql
from etl.references.common import fail, insert_rows, parse_day, reference_rows

ALIASES = {
    "predecessor_code": ["predecessor_code", "Mã đơn vị cũ", "Đơn vị cũ", "Tên đơn vị cũ", "Đơn vị trước sắp xếp",
                         "Đơn vị tiền thân"],
    "successor_code": ["successor_code", "Mã đơn vị mới", "Đơn vị mới", "Tên đơn vị mới", "Đơn vị sau sắp xếp",
                       "Đơn vị kế thừa", "Mã đơn vị kế thừa"],
    "share": ["share", "Tỷ lệ", "Tỷ lệ chuyển về", "Tỷ lệ chuyển sang", "Phần chuyển về"],
    "effective_date": ["effective_date", "Ngày hiệu lực", "Hiệu lực từ", "Từ ngày"],
    "share_basis": ["share_basis", "Căn cứ tỷ lệ", "Tính theo"],
    "source_document": ["source_document", "Văn bản", "Căn cứ pháp lý", "Nghị quyết"],
}
REQUIRED = ("predecessor_code", "successor_code")
# Shares add up in floating point (0.6 + 0.3 + 0.1): this much over 100 % is rounding, not an error.
_TOLERANCE = 1e-9
# "Q1.P01: 60%", "Phường Sài Gòn (60 %)", "P01=0,6": a successor and its share; a name without one is taken whole.
_WITH_SHARE = re.compile(r"^(?P<unit>.*?)\s*(?:[:=]\s*(?P<a>[\d.,]+\s*%?)|\(\s*(?P<b>[\d.,]+\s*%?)\s*\))\s*$")


@dataclass
class Succession:
    predecessor: str            # a code (units file) or the text typed (succession file)
    successor: str              # the text typed: a code, a name or an alias
    share: float | None         # None: not given (a whole merger when the unit has one successor)
    effective: date | None
    basis: str | None
    document: str | None
    row: int
    whole_cell: bool = False    # the units file's cell held one code and nothing else (the format before shares)


def parse_share(text: str, name: str, row: int) -> float:
    """'60%', '60', '0,6' and '0.6' are all 60 %: a number above 1 is a percentage."""
    cleaned = text.replace("%", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        fail(name, row, f"tỷ lệ '{text}' không phải số (ghi như 60% hoặc 0,6).")
    value = value / 100 if ("%" in text or value > 1) else value
    if not 0 < value <= 1:
        fail(name, row, f"tỷ lệ '{text}' phải lớn hơn 0 và không quá 100 %.")
    return value


def parse_successor_cell(text: str, name: str, row: int) -> list[tuple[str, float | None]]:
    """The units file's successor_code cell → [(successor text, share or None)]. One code alone keeps its old
    meaning (the unit merged wholly into it); several must each carry a share."""
    parts = [p.strip() for p in (text or "").split(";") if p.strip()]
    out = []
    for part in parts:
        found = _WITH_SHARE.match(part)
        if found and found.group("unit"):
            out.append((found.group("unit").strip(), parse_share(found.group("a") or found.group("b"), name, row)))
        else:
            out.append((part, None))
    if len(out) > 1 and any(share is None for _, share in out):
        fail(name, row, f"đơn vị kế thừa «{text}» gồm nhiều đơn vị: hãy ghi tỷ lệ cho từng đơn vị, ví dụ "
                        "«P01: 60%; P02: 40%».")
    return out


def _day(text: str | None, name: str, row: int) -> date | None:
    iso = parse_day(text, name, row)   # a date that does not exist stops the file there
    return date.fromisoformat(iso) if iso else None


def _codes(con, texts: set[str]) -> dict[str, str]:
    """A code, a name or an alias (one unit only, the rule of unit_key_codes) → the unit's code."""
    codes = {c for (c,) in con.execute("SELECT unit_code FROM units").fetchall()}
    keys = dict(con.execute("SELECT unit_key, unit_code FROM unit_key_codes").fetchall())
    return {t: t if t in codes else keys.get(norm_key(t)) for t in texts}


def _dated_codes(con, pairs: list[tuple[str, date]]) -> dict[tuple[str, date], str]:
    """(name, day) → the one unit going by the name on that day, for names several units go by
    (etl/core/units.py dated_unit_codes_sql)."""
    if not pairs:
        return {}
    query = dated_unit_codes_sql("SELECT unnest($raws) AS raw, unnest($days) AS day")
    rows = con.execute(query, {"raws": [p[0] for p in pairs], "days": [p[1] for p in pairs]}).fetchall()
    return {(raw, day): code for raw, day, code in rows}


def _vn_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "(không ghi ngày)"


def _percent(share: float) -> str:
    return f"{round(share * 100, 2):g}".replace(".", ",") + " %"


def _check_shares(con, name: str) -> None:
    """Shares of one predecessor on one date: at most 100 % (a ward cannot give away more than it had)."""
    over = con.execute(f"""SELECT s.predecessor_code, any_value(u.unit_name), s.effective_date, sum(s.share),
                                 list(s.successor_code || '|' || s.share ORDER BY s.successor_code)
                          FROM unit_successions s LEFT JOIN units u ON u.unit_code = s.predecessor_code
                          GROUP BY s.predecessor_code, s.effective_date HAVING sum(s.share) > 1 + {_TOLERANCE}
                          ORDER BY 1, 3""").fetchall()
    if over:
        code, unit_name, day, total, parts = over[0]
        listed = ", ".join(f"{p.split('|')[0]} {_percent(float(p.split('|')[1]))}" for p in parts)
        raise ImportFailure(
            f"Tệp {name}: tổng tỷ lệ đơn vị {code} ({unit_name}) chuyển cho các đơn vị kế thừa từ ngày "
            f"{_vn_date(day)} là {_percent(total)}, vượt 100 % ({listed}). Không nạp dòng nào từ tệp này.")


def store_successions(con, items: list[Succession], name: str, origin: str, strict: bool,
                      replace_predecessors: list[str] | None = None) -> list[tuple[str, str]]:
    """Writes the successions (replacing what this file states), checks every predecessor's shares, and returns
    the (predecessor, successor text) pairs naming no unit. strict (a succession file): such a pair, or an
    unknown predecessor, fails the whole file instead; replace_predecessors (a units file): its earlier
    successor_code rows for these units are replaced, even where the column is now empty."""
    resolved = _codes(con, {i.successor for i in items} | {i.predecessor for i in items})
    # A name an old and a new unit share (a new ward keeping an old ward's name, probe 18): the old one is the unit of
    # the day before the change, the new one the unit of its first day.
    eve = {i.effective: i.effective - timedelta(days=1) for i in items if i.effective}
    dated = _dated_codes(con, [(i.predecessor, eve[i.effective]) for i in items if i.effective]
                         + [(i.successor, i.effective) for i in items if i.effective])
    names = [(resolved[i.predecessor] or dated.get((i.predecessor, eve.get(i.effective))),
              resolved[i.successor] or dated.get((i.successor, i.effective))) for i in items]
    unknown = []
    for i, (pred, succ) in zip(items, names):
        for text, code, what in ((i.predecessor, pred, "đơn vị cũ"), (i.successor, succ, "đơn vị mới")):
            if code is None and strict:
                shared = con.execute("SELECT count(DISTINCT unit_code) FROM unit_keys WHERE unit_key = norm_key(?)",
                                     [text]).fetchall()[0][0]
                fail(name, i.row, f"«{text}» là tên của {shared} đơn vị trong danh mục: hãy ghi mã đơn vị ({what}), hoặc "
                                  "ngày hiệu lực để phân biệt đơn vị cũ và mới cùng tên." if shared > 1 else
                                  f"không có {what} «{text}» trong danh mục đơn vị (mã, tên hay tên khác của đúng "
                                  "một đơn vị). Hãy nạp danh mục đơn vị có đơn vị này trước.")
        if succ is None:
            unknown.append((i.predecessor, i.successor))
    last_days = dict(con.execute("SELECT unit_code, valid_to FROM units").fetchall())
    rows, seen = [], {}
    for i, (pred, succ) in zip(items, names):
        if pred is None or succ is None:
            continue
        if pred == succ:
            fail(name, i.row, f"đơn vị «{i.predecessor}» không thể kế thừa chính nó.")
        effective = i.effective
        if effective is None and last_days.get(pred) is not None:
            effective = date.fromordinal(last_days[pred].toordinal() + 1)
        key = (pred, succ, effective)
        if key in seen:
            fail(name, i.row, f"đơn vị {pred} → {succ} từ ngày {_vn_date(effective)} đã có ở dòng {seen[key]}.")
        seen[key] = i.row
        rows.append([pred, succ, i.share, effective, i.basis, i.document, origin, i.row])
    # A share left empty: the whole unit, when it is the predecessor's only successor on that date.
    per_date: dict = {}
    for r in rows:
        per_date.setdefault((r[0], r[3]), []).append(r)
    for (pred, effective), group in per_date.items():
        for r in group:
            if r[2] is None and len(group) > 1:
                fail(name, r[7], f"đơn vị {pred} chuyển cho {len(group)} đơn vị từ ngày {_vn_date(effective)}: hãy "
                                 "ghi tỷ lệ của từng phần.")
            if r[2] is None:
                r[2] = 1.0
            if effective is None and (r[2] < 1 or strict):
                fail(name, r[7], f"thiếu ngày hiệu lực của việc sắp xếp đơn vị {pred} (ghi ngày hiệu lực, hoặc "
                                 "ngày hết hiệu lực của đơn vị cũ trong danh mục đơn vị).")
    if replace_predecessors is not None:
        con.execute("DELETE FROM unit_successions WHERE origin = ? AND list_contains(?, predecessor_code)",
                    [origin, replace_predecessors])
    stated = [f"{pred}|{effective}" for pred, effective in per_date]
    con.execute("DELETE FROM unit_successions WHERE list_contains(?, predecessor_code || '|' || coalesce("
                "CAST(effective_date AS VARCHAR), 'None'))", [stated])
    insert_rows(con, "successions", [tuple(r[:7]) for r in rows],
                "INSERT INTO unit_successions SELECT c0, c1, c2, c3::DATE, c4, c5, c6")
    _check_shares(con, name)
    return unknown


def load_successions(con, grid, match, name) -> tuple[int, list[str]]:
    """A succession file: one row per (old unit, new unit) pair, the share of the old unit the new one received."""
    items = []
    for r in reference_rows(grid, match):
        if not r.get("predecessor_code") or not r.get("successor_code"):
            fail(name, r["_row"], "thiếu đơn vị cũ hoặc đơn vị mới.")
        share = parse_share(r["share"], name, r["_row"]) if r.get("share") else None
        items.append(Succession(r["predecessor_code"], r["successor_code"], share,
                                _day(r.get("effective_date"), name, r["_row"]), r.get("share_basis") or None,
                                r.get("source_document") or None, r["_row"]))
    if not items:
        raise ImportFailure(f"Tệp {name}: không có dòng sắp xếp đơn vị nào dưới dòng tiêu đề. Không nạp dòng nào.")
    store_successions(con, items, name, "successions", strict=True)
    return len(items), []
