"""Text normalization shared by header matching, vocabularies and unit names."""
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-zA-Z\u00C0-\u1EF9]+")
_PARENS = re.compile(r"\([^)]*\)")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics; 'đ' is a letter of its own, not a combining mark, so map it by hand."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def norm_text(text) -> str:
    """NFC, lower case, punctuation to spaces, whitespace collapsed (diacritics kept)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).lower()
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def norm_key(text) -> str:
    """The matching key: norm_text with diacritics stripped, so 'Ngay tiep nhan' matches 'Ngày tiếp nhận'."""
    return norm_text(strip_diacritics(norm_text(text)))


def header_keys(text) -> list[str]:
    """Keys to try for a header cell: as written, then without any '(…)' note such as '(dd/mm/yyyy)'."""
    keys = [norm_key(text)]
    without_note = norm_key(_PARENS.sub(" ", str(text or "")))
    if without_note and without_note not in keys:
        keys.append(without_note)
    return [k for k in keys if k]
