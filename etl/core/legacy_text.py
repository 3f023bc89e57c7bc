"""Vietnamese text typed in the legacy TCVN3 (ABC, '.VnTime' fonts) or VNI encodings: told apart from Unicode by the
characters they write for Vietnamese letters, so a file no header fits can say why and how to convert it."""

# Characters TCVN3 writes for Vietnamese letters ('Ngµy tiÕp nhËn') that Unicode Vietnamese text never holds.
_TCVN3 = frozenset("µ¸¶·¹¨©®ª«¬§¦¥¤£¢¡ËÖÇÞ×")
# The same for VNI ('Ngaøy tieáp nhaän'): marks written as Latin-1 letters after the vowel.
_VNI = frozenset("øäïöñûå")
_ENOUGH = 3


def legacy_encoding(rows: list[list]) -> str | None:
    """'TCVN3' or 'VNI' when the cells hold enough of that encoding's letters, else None."""
    text = "".join(str(c) for row in rows for c in row if c)
    tcvn3 = sum(ch in _TCVN3 for ch in text)
    vni = sum(ch in _VNI for ch in text)
    if max(tcvn3, vni) < _ENOUGH:
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


def legacy_message(encoding: str, file_name: str) -> str:
    font = "TCVN3 (ABC, phông .VnTime…)" if encoding == "TCVN3" else "VNI (phông VNI-Times…)"
    return (f"Tệp {file_name}: chữ tiếng Việt được gõ bằng bảng mã cũ {font}, không phải Unicode, nên không đọc được tiêu đề "
            f"cột. Hãy chuyển tệp sang Unicode (ví dụ: UniKey › Công cụ chuyển mã, nguồn {encoding}, đích Unicode; "
            "với Excel chọn vùng dữ liệu rồi chuyển) và nạp lại.")
