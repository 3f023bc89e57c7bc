"""Criterion codes as people type them ("1.1", "1.1.a", "Tiêu chí 1.1", "II", "II.1", "a)") → one form: "1.1.a".

Two numberings occur in published frameworks and council workbooks: absolute ("2", "2.1", "2.1.1") and, under
roman-numeral areas, numbering that restarts in each area ("II", "1", "1.1" meaning 2, 2.1, 2.1.1). A column of
codes read top to bottom is told apart by the first code under area II or later: "1…" is restarted numbering,
"2…" absolute. A lone letter ("a", "b)") is a sub-criterion of the criterion above it."""
from __future__ import annotations

import re

from common.text import norm_key

__all__ = ["code_of", "codes_in_order", "leading_code", "parent_of", "depth_of"]

_WORDS = r"(?:tieu chi thanh phan|tieu chi con|tieu chi|linh vuc|noi dung|muc|phan)"
# Words before a code: "Tiêu chí 1.1", "Lĩnh vực II", "TC1.1", "LV2".
_PREFIX = re.compile(r"^(?:" + _WORDS + r"\s+|(?:tc|lv)\s*(?=\d))")
_TOKEN = re.compile(r"\d+|[a-z]+")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
# A leading code in a name cell: "1.1. Kế hoạch CCHC", "II. CẢI CÁCH THỂ CHẾ", "a) Ban hành…". The code must be
# followed by a separator and a space, so "Xây dựng…" is not area X.
_LEADING = re.compile(r"^\s*((?:tiêu chí\s+)?(?:[IVXL]+|\d+|[a-zđ])(?:\s*[.]\s*(?:\d+|[a-z]))*)\s*[.):\-–]?\s+(?=\S)",
                      re.IGNORECASE)


def _roman(token: str) -> int | None:
    """'iv' → 4; None for anything that is not a well-formed roman numeral."""
    if not token or any(ch not in _ROMAN for ch in token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(token) and _ROMAN[token[i + 1]] > value else value
    return total if _to_roman(total) == token else None


def _to_roman(n: int) -> str:
    out = ""
    for value, text in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + text, n - value
    return out


def _read(text) -> tuple[str, list[str]] | None:
    """('roman', [area, …]) | ('number', […]) | ('letter', [x]) | None for a cell that is no code ("Tổng cộng",
    "Điểm tối đa"). A roman area is written in capitals ("II"); a lone small letter is a sub-criterion."""
    tokens = _TOKEN.findall(_PREFIX.sub("", norm_key(text)))
    if not tokens:
        return None
    first, rest = tokens[0], tokens[1:]
    if not all(t.isdigit() or (len(t) == 1 and i == len(rest) - 1) for i, t in enumerate(rest)):
        return None
    rest = [str(int(t)) if t.isdigit() else t for t in rest]
    if first.isdigit():
        return "number", [str(int(first)), *rest]
    roman = _roman(first) if re.search(r"(?<![A-Za-z])[IVXL]+(?![A-Za-z])", str(text)) else None
    if roman is not None:
        return "roman", [str(roman), *rest]
    if len(first) == 1 and not rest:
        return "letter", [first]
    return None


def code_of(text) -> str | None:
    """One code alone (a long table's cell): '1.1', 'Tiêu chí 1.1' → '1.1'; 'II' → '2'; 'II.1' → '2.1'; None
    when the text is no code."""
    read = _read(text)
    if read is None or read[0] == "letter":
        return None
    return ".".join(read[1])


def leading_code(text) -> str | None:
    """The code a name cell starts with ('1.1. Kế hoạch CCHC' → '1.1'), as written; None when it has none."""
    found = _LEADING.match(str(text or ""))
    return found.group(1) if found and _read(found.group(1)) else None


def codes_in_order(texts: list) -> list[str | None]:
    """Codes of a column read top to bottom (or a header row read left to right), restarted numbering under
    roman areas and lone letters resolved; None where a cell holds no code."""
    reads = [_read(t) if t not in (None, "") else None for t in texts]
    restarted = _restarted_numbering(reads)
    out, area, last = [], None, None
    for read in reads:
        if read is None:
            out.append(None)
            continue
        kind, parts = read
        if kind == "roman":
            area, code = parts[0], parts
        elif kind == "number":
            code = [area, *parts] if restarted and area is not None else parts
        else:   # a letter: under the last criterion (a code of two parts or more)
            code = [*last, parts[0]] if last and len(last) >= 2 else None
        if code is not None and kind != "letter":
            last = [p for p in code if not p.isalpha()] if code[-1].isalpha() else code
        out.append(".".join(code) if code else None)
    return out


def _restarted_numbering(reads: list) -> bool:
    """Whether arabic codes under roman areas restart at 1: the first arabic code under an area II or later
    starts with 1 (absolute numbering would start with the area's number), or under area I a code of one part
    («I» over «1», «2»: absolute numbering writes 1.1, 1.2 there; a framework of one area shows nothing else)."""
    area = None
    for read in reads:
        if read is None:
            continue
        if read[0] == "roman":
            area = read[1][0]
            continue
        if read[0] == "number" and area is not None and area != "1":
            return read[1][0] == "1"
        if read[0] == "number" and area == "1" and len(read[1]) == 1:
            return True
    return False


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def depth_of(code: str) -> int:
    return code.count(".") + 1
