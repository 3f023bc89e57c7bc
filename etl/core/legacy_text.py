"""Vietnamese text typed in the legacy TCVN3 (ABC, '.VnTime' fonts) or VNI encodings: told apart from Unicode by the
characters they write for Vietnamese letters, so a file no header fits can say why and how to convert it. Also text
whose Vietnamese letters became '?' ('M? h? s?'): a CSV saved as «CSV (Comma delimited)» on a Windows set to a
Western language, where the letters are lost for good."""
import re

# Characters TCVN3 writes for Vietnamese letters ('Ngµy tiÕp nhËn') that Unicode Vietnamese text never holds.
_TCVN3 = frozenset("µ¸¶·¹¨©®ª«¬§¦¥¤£¢¡ËÖÇÞ×")
# The same for VNI ('Ngaøy tieáp nhaän'): marks written as Latin-1 letters after the vowel.
_VNI = frozenset("øäïöñûå")
_ENOUGH = 3


# A '?' inside or at the end of a word: 'M? h? s?', 'Ng?y ti?p nh?n', '??n v?' (a question ends a sentence: 'Có?').
_LOST_LETTER = re.compile(r"\w\?+\w|\?\?\w|\b\w\?(?=\s|$)")


def legacy_encoding(rows: list[list]) -> str | None:
    """'TCVN3' or 'VNI' when the cells hold enough of that encoding's letters, 'ANSI' when enough cells lost their
    Vietnamese letters to '?', else None."""
    cells = [str(c) for row in rows for c in row if c]
    text = "".join(cells)
    tcvn3 = sum(ch in _TCVN3 for ch in text)
    vni = sum(ch in _VNI for ch in text)
    if max(tcvn3, vni) >= _ENOUGH:
        return "TCVN3" if tcvn3 >= vni else "VNI"
    if sum(bool(_LOST_LETTER.search(c)) for c in cells) >= _ENOUGH:
        return "ANSI"
    return None


# A letter only Unicode Vietnamese writes (outside Latin-1, whose â, ê, ô the legacy encodings write too): a cell
# holding one is Unicode, whatever else it holds.
_UNICODE_VIETNAMESE = re.compile(r"[ăđơưĂĐƠƯ\u0300-\u0323\u1ea0-\u1ef9]")
# In data cells the quotes « » are left out (Unicode text quotes names with them) and the soft hyphen, TCVN3's «ư»
# («Ph\u00adêng» for «Phường»), is in: no one types it.
_TCVN3_IN_CELLS = (_TCVN3 - frozenset("«»")) | {"\u00ad"}


def legacy_cells(cells: list[str]) -> tuple[str, str] | None:
    """(encoding, an example cell) when the text cells under a Unicode header are typed in TCVN3 or VNI: at least
    five cells, and a third of the cells holding letters, with that encoding's letters and no Unicode Vietnamese one
    (probe 28: such a file loaded, every unit unmatched and every status unknown)."""
    texts = [c for c in cells if any(ch.isalpha() for ch in c)]
    legacy = [c for c in texts if not _UNICODE_VIETNAMESE.search(c)
              and (any(ch in _TCVN3_IN_CELLS for ch in c) or sum(ch in _VNI for ch in c) >= 2)]
    if len(legacy) < 5 or 3 * len(legacy) < len(texts):
        return None
    tcvn3 = sum(ch in _TCVN3_IN_CELLS for c in legacy for ch in c)
    vni = sum(ch in _VNI for c in legacy for ch in c)
    return ("TCVN3" if tcvn3 >= vni else "VNI"), legacy[0]


def _font(encoding: str) -> str:
    return "TCVN3 (ABC, phông .VnTime…)" if encoding == "TCVN3" else "VNI (phông VNI-Times…)"


def legacy_cells_message(encoding: str, example: str, file_name: str) -> str:
    return (f"Tệp {file_name}: dòng tiêu đề đọc được, nhưng chữ trong các ô dữ liệu được gõ bằng bảng mã cũ "
            f"{_font(encoding)}, "
            f"không phải Unicode (ví dụ «{example}»): tên đơn vị, thủ tục, trạng thái sẽ không khớp danh mục nào, nên "
            f"không nạp dòng nào. Hãy chuyển phần dữ liệu sang Unicode (UniKey › Công cụ chuyển mã, nguồn {encoding}, "
            "đích Unicode) rồi nạp lại.")


def legacy_message(encoding: str, file_name: str) -> str:
    if encoding == "ANSI":
        return (f"Tệp {file_name}: chữ tiếng Việt trong tệp đã bị thay bằng dấu «?» (ví dụ «M? h? s?»), nên không đọc "
                "được tiêu đề cột. Tệp CSV được lưu bằng «CSV (Comma delimited)» trên máy không đặt tiếng Việt, và chữ "
                "đã mất hẳn, không chuyển lại được. Hãy mở tệp gốc (xlsx, hoặc xuất lại từ hệ thống) và lưu bằng «CSV "
                "UTF-8 (Comma delimited)», hoặc nạp thẳng tệp xlsx.")
    return (f"Tệp {file_name}: chữ tiếng Việt được gõ bằng bảng mã cũ {_font(encoding)}, không phải Unicode, nên không đọc được tiêu đề "
            f"cột. Hãy chuyển tệp sang Unicode (ví dụ: UniKey › Công cụ chuyển mã, nguồn {encoding}, đích Unicode; "
            "với Excel chọn vùng dữ liệu rồi chuyển) và nạp lại.")
