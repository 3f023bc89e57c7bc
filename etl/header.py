"""Find the header row(s) under any title rows and map each column to a canonical field."""
from dataclasses import dataclass, field

from etl.text import header_keys, norm_key
from etl.vocab import personal_keys

HEADER_SEARCH_ROWS = 40


@dataclass
class HeaderMatch:
    header_index: int                 # index in the grid of the (last) header row
    header_rows: int                  # 1 or 2
    columns: dict[str, str]           # canonical field → grid column name (c0…)
    dropped: list[str] = field(default_factory=list)   # personal-data headers, never read
    ignored: list[str] = field(default_factory=list)   # headers of no use here


def _field_of(text, index: dict[str, str]) -> str | None:
    for key in header_keys(text):
        if key in index:
            return index[key]
    return None


def _is_personal(text) -> bool:
    return any(key in personal_keys() for key in header_keys(text))


def find_header(rows: list[list], index: dict[str, str]) -> HeaderMatch | None:
    """rows: the first rows of the grid as lists of cell texts. None when no row looks like a header."""
    best_row, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_field_of(cell, index) for cell in row if cell}
        fields.discard(None)
        if len(fields) > best_score:
            best_row, best_score = i, len(fields)
    if best_row is None or best_score < 2:
        return None
    top = rows[best_row]
    below = rows[best_row + 1] if best_row + 1 < len(rows) else []
    # A merged two-row header: the row below names fields in columns the top row did not map
    # (e.g. "Thời gian" over "Ngày tiếp nhận | Ngày hẹn trả").
    sub_fields = [(j, _field_of(c, index)) for j, c in enumerate(below) if c]
    two_rows = any(f and not _field_of(top[j] if j < len(top) else None, index) for j, f in sub_fields)
    labels = []
    group = None
    width = max(len(top), len(below) if two_rows else 0)
    for j in range(width):
        upper = top[j] if j < len(top) else None
        if upper:
            group = upper
        lower = below[j] if two_rows and j < len(below) else None
        if lower:
            # try the sub-header alone, then joined with its (forward-filled) group label
            labels.append([lower, f"{group} {lower}" if group else lower])
        else:
            labels.append([upper])
    columns, dropped, ignored = {}, [], []
    for j, candidates in enumerate(labels):
        texts = [t for t in candidates if t]
        if not texts:
            continue
        shown = texts[-1] if len(texts) > 1 else texts[0]
        if any(_is_personal(t) for t in texts):
            dropped.append(str(texts[0]))
            continue
        matched = next((f for f in (_field_of(t, index) for t in texts) if f), None)
        if matched and matched not in columns:
            columns[matched] = f"c{j}"
        elif norm_key(shown) not in ("stt", "tt", "so tt", "so thu tu"):
            ignored.append(str(texts[0]))
    return HeaderMatch(best_row + (1 if two_rows else 0), 2 if two_rows else 1, columns, dropped, ignored)
