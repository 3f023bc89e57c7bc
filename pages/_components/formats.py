"""Vietnamese display formats: 122.700; 99,89 %; dd/mm/yyyy; targets, gaps and accent-free file names."""
import re
import unicodedata


def vn_int(n) -> str:
    return "–" if n is None else f"{int(n):,}".replace(",", ".")


def vn_date(d) -> str:
    return "–" if d is None else d.strftime("%d/%m/%Y")


def vn_datetime(d) -> str:
    return "–" if d is None else d.strftime("%d/%m/%Y %H:%M")


def vn_percent(fraction, decimals: int = 2) -> str:
    if fraction is None:
        return "–"
    return f"{fraction * 100:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " %"


def vn_number(x, decimals: int = 0) -> str:
    """1.234,5 — any number with Vietnamese separators; '–' for None."""
    if x is None:
        return "–"
    return f"{x:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_value(value, unit: str = "fraction", decimals: int = 2) -> str:
    """An indicator value as users read it: 99,89 % for rates, 1,8 ngày for durations."""
    if value is None:
        return "–"
    return vn_percent(shown_fraction(value, decimals), decimals) if unit == "fraction" else f"{vn_number(value, decimals)} ngày"


def shown_fraction(value, decimals: int = 2):
    """A rate kept off the 0 % / 100 % marks unless it is exactly there: 122.563 of 122.567 on time rounds to
    100,00 %, which a reader takes for "none late"; it is shown as 99,99 % instead (0,01 % at the other end)."""
    if value is None or not 0 < value < 1:
        return value
    step = 10 ** -(decimals + 2)
    return min(max(value, step), 1 - step)


COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def vn_target(comparator, target, unit: str = "fraction", decimals: int = 2) -> str:
    """'> 99 %' — the target with its comparator; trailing zero decimals dropped (99 %, not 99,00 %)."""
    if comparator is None or target is None:
        return "–"
    text = vn_value(target, unit, decimals)
    while "," in text and text.split(" ")[0].endswith(("0", ",")):
        head, _, rest = text.partition(" ")
        text = head[:-1] + (" " + rest if rest else "")
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {text}"


def vn_points(gap, unit: str = "fraction", decimals: int = 2) -> str:
    """A signed difference: '+0,73 điểm %' for rates (percentage points), '−0,5 ngày' for durations."""
    if gap is None:
        return "–"
    sign = "+" if gap > 0 else "−" if gap < 0 else "±"
    return f"{sign}{vn_number(abs(gap), decimals)} {'điểm %' if unit == 'fraction' else 'ngày'}"


def vn_slug(text: str, sep: str = "_") -> str:
    """'Quý II/2022 – Sở KH&ĐT' → 'Quy_II_2022_So_KH_DT': accents dropped, for file names and accent-free search."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", sep, plain).strip(sep)
