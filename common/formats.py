"""Vietnamese display formats on Babel's vi_VN locale: 122.700; 99,89 %; 1.234,5; dd/mm/yyyy; targets and gaps.

The one place where a number, a rate or a date becomes the text a user reads: pages, workbook sentences, the
report's sentences and the CLI summaries all call these. Two choices are the project's, not the locale's:
- a space before the percent sign ("99,89 %", as Vietnamese administrative documents write it); CLDR's vi
  pattern has none ("99,89%"), so the number part comes from Babel and the " %" is added here;
- "–" (an en dash) for a value that does not exist (a zero denominator), never 0.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import parse_pattern

__all__ = ["LOCALE", "NO_VALUE", "COMPARATOR_SIGNS", "vn_number", "vn_int", "vn_percent", "vn_date", "vn_datetime",
           "vn_event_time", "vn_value", "shown_fraction", "vn_target", "vn_points", "vn_slug", "vn_score", "capitals",
           "rounded"]

LOCALE = "vi_VN"
_VI = Locale.parse(LOCALE)   # parsed once: format_decimal(locale="vi_VN") parses it again on every call
NO_VALUE = "–"
COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def vn_number(x, decimals: int = 0) -> str:
    """1.234,5 — any number with Vietnamese separators and a fixed number of decimals; '–' for None."""
    if x is None:
        return NO_VALUE
    kind = type(x)
    if _FAST_PATH and ((kind is int and decimals == 0) or (kind is float and -_FAST_UP_TO < x < _FAST_UP_TO)):
        # Python's own formatting with the locale's symbols: the same text as Babel's pattern below (tests/test_common.py
        # compares them), at a fraction of the cost — the Hài lòng page formats 4.700 numbers a view (46 ms through Babel).
        return (f"{rounded(x, decimals):,.{decimals}f}" if kind is float else f"{x:,}").translate(_VI_SEPARATORS)
    return _pattern(decimals).apply(rounded(x, decimals), _VI)


def rounded(x, decimals: int) -> Decimal:
    """x rounded as Excel shows it in a cell: its shortest decimal writing (0.165 is 0.165, not the binary
    0.16500000000000000777…), halves away from zero. A report's sentence and the workbook cell beside it then agree:
    21/32 on time is 65,63 % in both (probe 41: the text rounded halves to even, 65,62 %, under a cell showing 65,63)."""
    if hasattr(x, "item"):   # numpy scalars as Python's own (np.float64's repr is «np.float64(0.165)»)
        x = x.item()
    exact = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    if not exact.is_finite():
        return exact
    return exact.quantize(_STEPS[decimals] if decimals < len(_STEPS) else Decimal(1).scaleb(-decimals),
                          rounding=ROUND_HALF_UP)


_STEPS = [Decimal(1).scaleb(-d) for d in range(8)]


# Python's 1,234.5 → the locale's symbols from Babel's data (vi_VN: 1.234,5). The fast path only stands in for
# Babel's pattern while that pattern groups by threes like Python does; otherwise every number goes through Babel.
_VI_SEPARATORS = str.maketrans({",": _VI.number_symbols["latn"]["group"], ".": _VI.number_symbols["latn"]["decimal"]})
_FAST_PATH = parse_pattern(_VI.decimal_formats[None].pattern).grouping == (3, 3)
_FAST_UP_TO = 1e15   # floats beyond go through Babel (a Decimal context of 28 digits, as before)


@lru_cache(maxsize=None)
def _pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def vn_int(n) -> str:
    """122.700 — a count; '–' for None."""
    return NO_VALUE if n is None else vn_number(int(rounded(n, 0)))


def vn_percent(fraction, decimals: int = 2) -> str:
    """99,89 % — a fraction shown ×100 with a space before the sign; '–' for None."""
    if fraction is None:
        return NO_VALUE
    # fraction * 100 as a float, as the project always computed it, so every figure keeps its last digit.
    return f"{vn_number(fraction * 100, decimals)} %"


def vn_date(d) -> str:
    """03/04/2022 (dd/mm/yyyy); '–' for None."""
    return NO_VALUE if d is None else format_date(d, "dd/MM/yyyy", locale=_VI)


def vn_datetime(d) -> str:
    """03/04/2022 08:05 (dd/mm/yyyy HH:MM, the clock time as stored: no time-zone shift); '–' for None."""
    return NO_VALUE if d is None else format_datetime(d, "dd/MM/yyyy HH:mm", locale=_VI)


VIETNAM_TIME = timezone(timedelta(hours=7))   # no daylight saving


def vn_event_time(d) -> str:
    """When something happened on the server (a login, a load) on Vietnam's clock: the server's own clock may run
    in another zone (a UTC server showed the audit 7 hours behind; probe 21). A time without a zone is the server's
    local time; a dossier's dates, already Vietnam's, go through vn_datetime instead."""
    if d is None:
        return NO_VALUE
    aware = d if d.tzinfo is not None else d.astimezone()
    return vn_datetime(aware.astimezone(VIETNAM_TIME).replace(tzinfo=None))


def vn_value(value, unit: str = "fraction", decimals: int = 2) -> str:
    """An indicator value as users read it: 99,89 % for rates, 1,8 ngày for durations."""
    if value is None:
        return NO_VALUE
    return vn_percent(shown_fraction(value, decimals), decimals) if unit == "fraction" else f"{vn_number(value, decimals)} ngày"


def shown_fraction(value, decimals: int = 2):
    """A rate kept off the 0 % / 100 % marks unless it is exactly there: 122.563 of 122.567 on time rounds to
    100,00 %, which a reader takes for "none late"; it is shown as 99,99 % instead (0,01 % at the other end)."""
    if value is None or not 0 < value < 1:
        return value
    step = 10 ** -(decimals + 2)
    return min(max(value, step), 1 - step)


def vn_target(comparator, target, unit: str = "fraction", decimals: int = 2) -> str:
    """'> 99 %' — the target with its comparator; trailing zero decimals dropped (99 %, not 99,00 %)."""
    if comparator is None or target is None:
        return NO_VALUE
    text = vn_value(target, unit, decimals)
    while "," in text and text.split(" ")[0].endswith(("0", ",")):
        head, _, rest = text.partition(" ")
        text = head[:-1] + (" " + rest if rest else "")
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {text}"


def vn_points(gap, unit: str = "fraction", decimals: int = 2) -> str:
    """A signed difference: '+0,73 điểm %' for rates (percentage points), '−0,5 ngày' for durations."""
    if gap is None:
        return NO_VALUE
    sign = "+" if gap > 0 else "−" if gap < 0 else "±"
    return f"{sign}{vn_number(abs(gap), decimals)} {'điểm %' if unit == 'fraction' else 'ngày'}"


def vn_score(x, decimals: int = 2) -> str:
    """Points as a framework writes them: 1; 0,5; 1,25 — at most `decimals` decimals, trailing zeros dropped;
    '–' for None."""
    if x is None:
        return NO_VALUE
    text = vn_number(x, decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def size_text(size: int) -> str:
    """A size as a user reads it: '200 MB', '1,5 MB' under ten megabytes (a 1,5 MB file was «1 MB, vượt giới hạn
    1 MB»: probe 55), or in bytes under one megabyte. assets/upload_sizes.js writes the same."""
    megabytes = size / 1024 / 1024
    if size < 1024 * 1024:
        return f"{vn_int(size)} byte"
    if megabytes >= 10:
        return f"{vn_int(round(megabytes))} MB"
    return f"{vn_number(megabytes, 1).removesuffix(',0')} MB"


def quoted_names(names) -> str:
    """«UBND Phường 1, Quận 1», «UBND Quận 3»: names in a sentence, each in its quotes, for a ward's name holds a
    comma and a bare comma-joined list of them could not be told apart."""
    return ", ".join(f"«{name}»" for name in names)


def vn_slug(text: str, sep: str = "_") -> str:
    """'Quý II/2022 – Sở KH&ĐT' → 'Quy_II_2022_So_KH_DT': accents dropped, for file names and accent-free search."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", sep, plain).strip(sep)


# A document symbol keeps its letters as issued when a heading is set in capitals: «766/QĐ-TTg», «30/2020/NĐ-CP».
_SYMBOL = re.compile(r"\b\d+(?:/\d{4})?/[A-ZĐ]{1,6}(?:-[A-Za-zĐđ]{1,8})+")


def capitals(text: str) -> str:
    """A heading in capitals (ND 30), its document symbols as written."""
    out, pos = [], 0
    for found in _SYMBOL.finditer(text):
        out += [text[pos:found.start()].upper(), found.group()]
        pos = found.end()
    return "".join(out) + text[pos:].upper()
