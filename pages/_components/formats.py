"""Vietnamese display formats: 122.700; 99,89 %; dd/mm/yyyy."""


def vn_int(n) -> str:
    return "–" if n is None else f"{int(n):,}".replace(",", ".")


def vn_date(d) -> str:
    return "–" if d is None else d.strftime("%d/%m/%Y")


def vn_percent(fraction, decimals: int = 2) -> str:
    if fraction is None:
        return "–"
    return f"{fraction * 100:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " %"
