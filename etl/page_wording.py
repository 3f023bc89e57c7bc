"""The importer's messages as the Dữ liệu page shows them: the command line's options (--kind, --mapping, --as-of…),
which the page does not have, put as what a user of the page can do."""
import re

from etl.core.errors import MAPPING_ADVICE

# _no_kind_message's last sentence (etl/importer.py), whole.
_NAME_THE_KIND = re.compile(r"Nếu biết loại tệp, hãy ghi rõ khi nạp \(dòng lệnh: --kind [^)]*\), công cụ sẽ nói rõ cột "
                            r"nào còn thiếu; nếu tệp dùng tiêu đề khác, hãy khai báo trong tệp ánh xạ \(--mapping\)\.")
_ON_THE_PAGE = ("Nếu tệp đúng loại nhưng dùng tiêu đề cột khác, hãy sửa tiêu đề trong tệp theo các tên trên rồi tải "
                "lên lại, hoặc nhờ người quản trị nạp tệp bằng lệnh trên máy chủ (lệnh cho ghi rõ loại tệp và khai báo "
                "tiêu đề khác).")
_MAPPING_ON_THE_PAGE = ("Nếu tệp dùng tiêu đề khác, hãy sửa tiêu đề trong tệp theo một trong các tên trên rồi tải lên "
                        "lại, hoặc nhờ người quản trị nạp bằng lệnh trên máy chủ (lệnh cho khai báo tiêu đề khác).")
_OPTION = re.compile(r"--(kind|mapping|unit|as-of|source|db)\b")
SERVER_ONLY = ("(Tùy chọn bắt đầu bằng «--» nói trên là của lệnh nạp trên máy chủ, trang này không có: hãy nhờ người "
               "quản trị nạp tệp bằng lệnh.)")


def for_the_page(text: str) -> str:
    """text with the advice a user of the page can follow; a word on any option of the command it still names."""
    text = _NAME_THE_KIND.sub(_ON_THE_PAGE, text).replace(MAPPING_ADVICE, _MAPPING_ON_THE_PAGE)
    return f"{text} {SERVER_ONLY}" if _OPTION.search(text) else text


def result_for_the_page(result: dict) -> dict:
    """An import result whose warnings and reject reasons are worded for the page."""
    result["warnings"] = [for_the_page(w) for w in result.get("warnings", [])]
    for reject in result.get("rejects", []):
        reject["reason"] = for_the_page(reject["reason"])
    return result
