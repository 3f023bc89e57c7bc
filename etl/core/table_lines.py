"""Lines of a table typed by a person that hold no record: the column-number row, a totals line, a section heading,
and the block under the table (recipients, place and date, signatures). Plans and reference lists read them alike."""
import re
import unicodedata

from etl.core.vocab import is_signature_key, skip_markers

__all__ = ["ends_table", "is_numbering", "is_totals_key", "is_totals_line", "is_section_heading", "is_section_title",
           "roman_value"]

_NUMBERING = re.compile(r"\(?\d{1,2}\)?")
# 'Hà Nội, ngày 10 tháng 01 năm 2023' as norm_key writes it ('ha noi ngay 10 thang 01 nam 2023'; it has no comma),
# also with the day and month left blank to fill in by hand ('ngày … tháng … năm 2023' → 'ngay thang nam 2023').
_PLACE_AND_DATE = re.compile(r"(?:.* )?ngay (?:\S+ )?thang (?:\S+ )?nam \d{4}")
# A totals line written as one: 'Tổng cộng', 'TỔNG CỘNG: 03 thủ tục', 'Tổng số: 47', 'Cộng' (norm_key), never the
# name of a record that begins like one ('Tổng số hồ sơ tiếp nhận', a target's indicator).
_TOTALS_LINE = re.compile(r"(?:tong cong|tong so|cong)(?: \d.*)?")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50}
_ROMAN = re.compile(r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})")
# 'I', 'II.', 'III)' alone, or 'I. CÁC SỞ, BAN, NGÀNH', 'A. CHỈ TIÊU', 'Phần II …' with its title in the same cell
_MARK_AND_TITLE = re.compile(r"\s*(?:(?:[IVXL]+|[A-H])\s*[.):–-]|phần\s|mục\s)\s*\S", re.IGNORECASE)
_BARE_MARK = re.compile(r"\s*(?:[IVXL]+|[A-H])\s*[.)]?\s*")
# A part or section title: 'A. …', 'II) …', 'PHẦN …', 'DANH MỤC …', or written in capitals.
_SECTION_TITLE = re.compile(r"\s*(?:(?:[IVXLC]+|[A-Z])\s*[.)]\s*\S|phần\b|danh mục\b|l[iĩ]nh\s+v[uự]c\b)", re.IGNORECASE)


def roman_value(text: str) -> int | None:
    """'IV' → 4; None for anything that is not a Roman numeral in capitals."""
    if not _ROMAN.fullmatch(text):
        return None
    values = [_ROMAN_VALUE[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def is_numbering(texts: list[str]) -> bool:
    """The column-number row under a header: (1) (2) (3) … or 1 2 3 … (the line's non-empty texts)."""
    if len(texts) < 3 or not all(_NUMBERING.fullmatch(t) for t in texts):
        return False
    numbers = [int(t.strip("()")) for t in texts]
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def is_totals_key(key: str) -> bool:
    """'Tổng cộng', 'Tổng số: 47 nhiệm vụ' or a totals word of etl/vocab/skip_markers.csv as a line's first text
    (norm_key): the word itself, not a record beginning like it ('Cộng' is 'Công bố' without accents). For a line
    that fills no field of a record (a plan's task line without deadline or lead unit)."""
    return key.startswith(("tong cong", "tong so")) or any(k == "totals" and key == text for k, text in skip_markers())


def is_totals_line(key: str) -> bool:
    """A totals line whatever else it fills ('Tổng cộng | 03', 'Tổng cộng: 03 thủ tục'): the totals words alone or
    followed by a number, or a totals word of etl/vocab/skip_markers.csv as written."""
    return bool(_TOTALS_LINE.fullmatch(key)) or any(k == "totals" and key == text for k, text in skip_markers())


def ends_table(key: str) -> bool:
    """A line (its first text's norm_key) that opens the block under a table: the recipients ('Nơi nhận:'), the place
    and date line, a signature title ('Người lập biểu', 'GIÁM ĐỐC', 'Ký tên'), a note under the table ('Ghi chú: …',
    'Lưu ý: …'). Nothing below it is a record."""
    return (key == "ky" or key.startswith(("noi nhan", "ky ten", "ky ghi ro", "ky va ghi ro", "ky dong dau"))
            or key in ("ghi chu", "chu thich", "luu y") or key.startswith(("ghi chu ", "chu thich ", "luu y "))
            or bool(_PLACE_AND_DATE.fullmatch(key)) or is_signature_key(key))


def is_section_title(text: str) -> bool:
    """A part or section title: a mark ('A.', 'II)'), 'Phần', 'Danh mục', 'Lĩnh vực', or words in capitals."""
    text = unicodedata.normalize("NFC", text)
    letters = [c for c in text if c.isalpha()]
    return bool(_SECTION_TITLE.match(text)) or (len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.8 * len(letters))


def is_section_heading(texts: list[str]) -> bool:
    """A heading line of a list (its non-empty texts): a mark and its title, in one cell or two ('I | CÁC SỞ, BAN,
    NGÀNH', 'II. CẤP HUYỆN'), or a title in capitals alone ('CÁC PHƯỜNG THUỘC QUẬN 3'). No record of a list fills
    only one or two cells so."""
    if not texts or len(texts) > 2:
        return False
    first = texts[0]
    if len(texts) == 2:   # 'I | Các sở, ban, ngành'; a letter mark only before a title in capitals ('A | CHỈ TIÊU')
        mark = first.strip().rstrip(".)").strip()
        return bool(_BARE_MARK.fullmatch(first)) and bool(re.search(r"[^\W\d_]{2}", texts[1])) and (
            roman_value(mark) is not None or is_section_title(texts[1]))
    return bool(_MARK_AND_TITLE.match(first)) and bool(re.search(r"[^\W\d_]{2}", first)) or is_section_title(first)
