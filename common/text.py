"""The text key names are matched by (headers, vocabularies, unit names), in Python and as DuckDB SQL."""
import functools
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-zA-Z\u00C0-\u1EF9]+")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics; 'đ' is a letter of its own, not a combining mark, so map it by hand."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=8192)   # a pure function of the name; sorting the ~400 units each time cost 25 ms
def natural_key(text: str) -> tuple:
    """How a reader orders names: diacritics folded ('Đất đai' beside 'Dược phẩm', not after 'Z'), case ignored,
    digits compared as numbers ('Quận 2' before 'Quận 10')."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", strip_diacritics(text).lower()))


def norm_text(text) -> str:
    """NFC, lower case, punctuation to spaces, whitespace collapsed (diacritics kept)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).lower()
    return " ".join(_NON_ALNUM.sub(" ", text).split())


@functools.lru_cache(maxsize=1 << 17)
def norm_key(text) -> str:
    """The matching key: norm_text with diacritics stripped, so 'Ngay tiep nhan' matches 'Ngày tiếp nhận'.
    Kept per text: header detection tries every cell of a sheet's head for every kind, and a workbook of one
    sheet per unit (plans, reports) repeats the same cells; normalizing them again was most of its load time."""
    return norm_text(strip_diacritics(norm_text(text)))


def norm_key_sql(expr: str) -> str:
    """norm_key in DuckDB SQL over the expression expr (a column, or a parameter such as '$t'): the same key for
    every Vietnamese text (tests/test_text_keys.py holds the two equal). Written out rather than called as the
    loader's norm_key macro because the dashboard opens the database read-only and has no such macro."""
    return (f"trim(regexp_replace(lower(strip_accents(replace(replace(nfc_normalize({expr}), 'đ', 'd'), 'Đ', 'D'))),"
            f" '[^a-z0-9]+', ' ', 'g'))")


# The loader's SQL calls norm_key(x) (etl/core/database.py creates this macro on every connection).
NORM_KEY_MACRO = f"CREATE OR REPLACE TEMP MACRO norm_key(x) AS {norm_key_sql('x')};"


# The short form offices type a unit's name in (on a normalized key): 'UBND Q.3', 'UBND Q3' for 'UBND Quận 3', 'P. Võ
# Thị Sáu' for 'Phường Võ Thị Sáu', 'TX. …', 'TT. …', 'Sở Kế hoạch & Đầu tư' for '… và Đầu tư'. Whole words only
# (\b: 'Phường Phương Mai' keeps its 'phuong' after the first), so the form of a form is itself. The form is only
# compared, never shown ('xã hội' shortens too, on both sides alike). A unit's one-stop desk written before its name
# ('Bộ phận Một cửa – UBND Phường 9', 'Bộ phận Tiếp nhận và Trả kết quả – UBND Quận 3', as vendors fill the receiving
# unit; probe 20) is the unit, and so is a commune's Public Administration Service Centre, its one-stop office since
# 01/07/2025 ('Trung tâm Phục vụ hành chính công phường Sài Gòn'; probe 26). In order: (RE2 pattern, replacement).
_UNIT_SHORT_FORMS = ((r"^bo phan (mot cua|tiep nhan va tra ket qua|tiep nhan tra ket qua|tn va tkq|tn tkq) (cua )?", ""),
                     (r"^(trung tam phuc vu hanh chinh cong|trung tam pvhcc|tt pvhcc|tt phuc vu hanh chinh cong) "
                      r"(phuong|xa|dac khu|thi tran) ", r"\2 "),
                     (r"\bva\b", " "), (r"\bthanh pho\b", "tp"), (r"\bthi xa\b", "tx"), (r"\bthi tran\b", "tt"),
                     (r"\bquan\b", "q"), (r"\bphuong\b", "p"), (r"\bhuyen\b", "h"), (r"\bxa\b", "x"),
                     (r"\b(q|p|h|x) (\d+)\b", r"\1\2"), (r"\s+", " "))


def unit_short_key_sql(expr: str) -> str:
    """The short form of a unit name's key (an SQL expression of a norm_key) in DuckDB SQL: the loader's macro
    unit_short_key, and written out where the dashboard's read-only connection, which has no macro, needs it."""
    for pattern, replacement in _UNIT_SHORT_FORMS:
        expr = f"regexp_replace({expr}, '{pattern}', '{replacement}', 'g')"
    return f"trim({expr})"


UNIT_SHORT_KEY_MACRO = f"CREATE OR REPLACE TEMP MACRO unit_short_key(k) AS {unit_short_key_sql('k')};"


# A national procedure code with the suffix of where it is carried out: '1.001612.000.00.00.H29' is procedure
# 1.001612 of the national database of administrative procedures. Catalogues write it whole, one-stop exports often
# only its first two parts (dossiers.md: «1.001612»); both loaders keep the first two parts, so the two meet.
_PROCEDURE_WITH_SUFFIX = r"^\s*(\d\.\d{6})\.\d{3}\.\d{2}\.\d{2}\.[A-Za-z]\d{2}\s*$"


def procedure_key(code: str | None) -> str | None:
    """The procedure code as stored: the national code without its place suffix; any other code as written."""
    return None if code is None else re.sub(_PROCEDURE_WITH_SUFFIX, r"\1", code)


def procedure_key_sql(expr: str) -> str:
    """procedure_key in DuckDB SQL (tests/test_loader_probe4.py holds the two equal). The regex only for a code
    longer than the short form: on every row of a million-row export it cost ~70 ms, the length test ~10."""
    return (f"CASE WHEN length({expr}) > 8 THEN regexp_replace({expr}, '{_PROCEDURE_WITH_SUFFIX}', '\\1') "
            f"ELSE {expr} END")
