"""The words of PAR INDEX files: header texts of the framework and the score tables, the sub-headers of a council's
workbook, "không áp dụng" marks, methods and peer groups as people write them."""
from __future__ import annotations

import re
import unicodedata

from common.text import norm_key, strip_diacritics
from etl.plans.deadlines import FULL_DATE, WORD_DATE
from etl.references.common import LEVEL_WORDS

__all__ = ["FRAMEWORK_ALIASES", "LONG_ALIASES", "FIELD_INDEX", "SELF_WORDS", "APPRAISED_WORDS", "part_of_header",
           "NOT_APPLICABLE_WORDS", "NOT_APPLICABLE_MARKS", "method_of", "peer_group_of", "peer_group_in_titles", "year_in_texts",
           "is_total_text", "is_summary_text", "PEER_GROUP_NAMES"]

# canonical field → header texts (Vietnamese or English); one index serves every PAR layout.
FRAMEWORK_ALIASES = {
    "year": ["year", "Năm", "Năm áp dụng"],
    "peer_group": ["peer_group", "Nhóm đơn vị", "Nhóm", "Khối", "Đối tượng áp dụng", "Cấp"],
    "code": ["code", "Mã", "Mã số", "Mã tiêu chí", "Mã lĩnh vực, tiêu chí"],
    # STT holds the codes in most published frameworks ("I", "1", "1.1"); a 'Mã' column wins when both exist.
    "code_stt": ["STT", "TT", "Số TT", "Số thứ tự"],
    "name": ["name", "Lĩnh vực, tiêu chí", "Lĩnh vực/Tiêu chí", "Lĩnh vực, tiêu chí, tiêu chí thành phần",
             "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Tiêu chí", "Tên tiêu chí", "Nội dung", "Nội dung đánh giá",
             "Nội dung tiêu chí", "Tiêu chí, tiêu chí thành phần"],
    "max_points": ["max_points", "max", "Điểm tối đa", "Điểm chuẩn", "Thang điểm", "Điểm tối đa (điểm)",
                   "Số điểm tối đa"],
    "method": ["method", "Phương pháp", "Phương pháp đánh giá", "Cách chấm", "Hình thức đánh giá", "Nguồn điểm"],
    "indicator": ["indicator", "Chỉ tiêu dữ liệu", "Số liệu", "Chỉ số dữ liệu", "Chỉ tiêu"],
    "rule": ["rule", "Quy tắc chấm", "Cách tính điểm", "Cách tính", "Quy tắc", "Thang chấm"],
    "version": ["version", "Phiên bản", "Văn bản", "Quyết định", "Văn bản ban hành"],
}
LONG_ALIASES = {
    "unit": ["unit", "Đơn vị", "Tên đơn vị", "Cơ quan", "Đơn vị được đánh giá", "Mã đơn vị"],
    "self_score": ["self_score", "Tự đánh giá", "Điểm tự đánh giá", "Điểm tự chấm", "Tự chấm", "TĐG"],
    "appraised_score": ["appraised_score", "Thẩm định", "Điểm thẩm định", "Kết quả thẩm định",
                        "Điểm Hội đồng thẩm định", "Điểm đạt", "HĐTĐ", "Điểm sau thẩm định"],
    "note": ["note", "Ghi chú", "Giải trình", "Lý do"],
    "evidence": ["evidence", "Tài liệu kiểm chứng", "Văn bản kiểm chứng", "Minh chứng", "Số văn bản"],
    "survey_points": ["survey_points", "Điểm điều tra xã hội học", "Điểm điều tra XHH", "Điểm khảo sát",
                      "Điểm điều tra"],
}
FIELD_INDEX = {norm_key(a): f for aliases in (FRAMEWORK_ALIASES, LONG_ALIASES) for f, texts in aliases.items()
               for a in texts}
SELF_WORDS = frozenset(norm_key(t) for t in LONG_ALIASES["self_score"] + ["Đơn vị tự đánh giá", "Tự ĐG", "TĐ ĐG"])
APPRAISED_WORDS = frozenset(norm_key(t) for t in LONG_ALIASES["appraised_score"] + ["Hội đồng thẩm định", "TĐ",
                                                                                   "Thẩm định của Hội đồng"])


def part_of_header(text) -> str | None:
    """'self' or 'appraised' for a sub-header under a unit (or a criterion), else None."""
    key = norm_key(text)
    return "self" if key in SELF_WORDS else "appraised" if key in APPRAISED_WORDS else None


# A score cell meaning the criterion does not apply to the unit (excluded from its maximum): these words
# (normalized), or a dash or slash alone. etl/par/scores.py writes them into its SQL.
NOT_APPLICABLE_WORDS = ("khong ap dung", "kad", "n a", "na", "ko ap dung", "k ap dung", "khong danh gia",
                        "khong cham")
NOT_APPLICABLE_MARKS = ("-", "–", "—", "/")


_METHODS = {"self": "self", "tu danh gia": "self", "tu cham": "self", "tham dinh": "self", "hoi dong tham dinh": "self",
            # the unit scores itself and the council appraises: what «self» means (probe 19)
            "tu danh gia tham dinh": "self", "tu danh gia va tham dinh": "self", "tu cham tham dinh": "self",
            "tu danh gia hoi dong tham dinh": "self", "tu danh gia co tham dinh": "self",
            "survey": "survey", "dieu tra": "survey", "dieu tra xa hoi hoc": "survey", "dieu tra xhh": "survey",
            "khao sat": "survey", "xhh": "survey", "data": "data", "so lieu": "data", "du lieu": "data",
            "tu dong": "data", "tinh tu so lieu": "data"}


def method_of(text) -> str | None:
    """'self' | 'survey' | 'data' for a method cell; None when blank; '?' when not understood."""
    key = norm_key(text)
    return None if not key else _METHODS.get(key, "?")


PEER_GROUP_NAMES = {"department": "sở, ban, ngành", "district": "quận, huyện", "ward": "phường, xã"}
_GROUP_WORDS = {"so ban nganh": "department", "cac so": "department", "so nganh": "department",
                "khoi so": "department", "quan huyen": "district", "cap huyen": "district",
                "ubnd cac quan": "district", "khoi quan": "district", "phuong xa": "ward", "xa phuong": "ward",
                "cap xa": "ward", "khoi phuong": "ward",
                # provinces without urban districts: «UBND các huyện, thành phố», «các huyện, thị xã» (probe 19)
                "cac huyen": "district", "huyen thi xa": "district", "huyen thanh pho": "district",
                "cac xa": "ward", "xa thi tran": "ward"}


def peer_group_of(text) -> str | None:
    """The peer group (a unit level) a cell names: 'department', 'Sở, ban, ngành', 'Cấp huyện'…"""
    key = norm_key(text)
    if not key:
        return None
    return LEVEL_WORDS.get(key) or LEVEL_WORDS.get(key.removeprefix("cap ").strip()) or _GROUP_WORDS.get(key) or (
        key if key in PEER_GROUP_NAMES else None)


def peer_group_in_titles(texts) -> str | None:
    """The peer group a title names ("… CỦA CÁC SỞ, BAN, NGÀNH NĂM 2022"), when it names exactly one."""
    found = {group for t in texts for words, group in _GROUP_WORDS.items() if words in norm_key(t)}
    return found.pop() if len(found) == 1 else None


_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def year_in_texts(texts) -> int | None:
    """The year a title gives ('NĂM 2022'); None when none or several. The years of dates (the plan titles' rule:
    etl/plans/deadlines.py FULL_DATE, WORD_DATE) are left out when another year is given: '… NĂM 2022 (Kèm theo
    Quyết định … ngày 10/3/2023)', a year's results are published by a decision of the next, is 2022."""
    plain = [" ".join(strip_diacritics(str(t or "")).lower().split()) for t in texts]
    undated = [FULL_DATE.sub(" ", WORD_DATE.sub(" ", t)) for t in plain]
    years = {int(y) for t in undated for y in _YEAR.findall(t)} or {int(y) for t in plain for y in _YEAR.findall(t)}
    return years.pop() if len(years) == 1 else None


_TOTAL = ("tong cong", "tong diem", "tong so", "tong", "cong")
# units whose names start like a total: 'Công an Thành phố' (norm_key 'cong an …'), 'Tổng cục Thuế', 'Tổng công ty'
_TOTAL_WORDS = ("cộng", "tổng")
_NOT_TOTAL = ("tong cuc", "tong cong ty", "tong doi", "tong lien doan")


def is_total_text(text) -> bool:
    """'Tổng cộng', 'Tổng điểm', 'Cộng', 'Cộng lĩnh vực I': a totals line (its figures are sums, never stored) — told
    by its accented first word, so 'Công an Thành phố' is a unit."""
    key = norm_key(text)
    if key in _TOTAL:
        return True
    if any(key.startswith(w) for w in _NOT_TOTAL):
        return False
    if any(key.startswith(w + " ") for w in _TOTAL if " " in w):
        return True
    first = unicodedata.normalize("NFC", str(text or "")).strip().lower().split(" ", 1)[0].rstrip(":.")
    return first in _TOTAL_WORDS and any(key.startswith(w + " ") for w in _TOTAL)


_SUMMARY = ("xep hang", "xep loai", "chi so", "ty le", "diem dat", "diem toi da", "ket qua", "diem dieu tra",
            "diem khao sat")


def is_summary_text(text) -> bool:
    """A line of summary figures under a council's table ('Xếp hạng', 'Chỉ số CCHC (%)', 'Điểm tối đa')."""
    key = norm_key(text)
    return is_total_text(text) or any(key.startswith(w) for w in _SUMMARY)
