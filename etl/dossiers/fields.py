"""The canonical fields of a dossier export: which are required, their Vietnamese labels, and their header
aliases (etl/vocab/header_aliases.csv plus the user's mapping file)."""
import functools

from common.text import norm_key
from etl.core.vocab import read_vocab

# Fields a dossier export must have (unit: name or code). due_at may be derived from the catalogue.
# Without --source every dossier export is of this one system (dossier codes are unique within a source).
DEFAULT_SOURCE = "default"

REQUIRED_DOSSIER_FIELDS = ("dossier_code", "unit", "received_at")

# Vietnamese labels of canonical fields, for messages a civil servant reads.
FIELD_LABELS = {
    "dossier_code": "Mã hồ sơ", "unit": "Đơn vị", "procedure_code": "Mã TTHC", "procedure_name": "Tên TTHC",
    "field_name": "Lĩnh vực", "channel": "Hình thức nộp", "online_level": "Mức độ DVC",
    "submitted_at": "Ngày nộp", "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả",
    "finished_at": "Ngày có kết quả", "returned_at": "Ngày trả kết quả", "status": "Trạng thái",
    "result_type": "Loại kết quả", "supplement_count": "Số lần bổ sung", "fee_amount": "Phí, lệ phí",
    "paid_online": "Thanh toán trực tuyến", "digitized": "Số hóa hồ sơ", "e_result": "Kết quả điện tử",
    "data_reused": "Tái sử dụng dữ liệu", "synced_national": "Đồng bộ DVCQG",
    "apology_issued": "Phiếu xin lỗi", "rating": "Đánh giá", "applicant_type": "Loại đối tượng",
    "submitted_at_time": "Giờ nộp", "received_at_time": "Giờ tiếp nhận", "due_at_time": "Giờ hẹn trả",
    "finished_at_time": "Giờ có kết quả", "returned_at_time": "Giờ trả kết quả",
    # a second unit column, read when the first names no unit of the list (etl/core/header.py)
    "unit_alt": "Đơn vị (khi cột đơn vị trước không khớp)",
}


@functools.lru_cache(maxsize=None)
def builtin_aliases() -> tuple[tuple[str, str], ...]:
    """(field, alias) pairs of the built-in alias table."""
    return tuple((row["field"], row["alias"]) for row in read_vocab("header_aliases.csv"))


def alias_index(extra: list[tuple[str, str]] = ()) -> dict[str, str]:
    """Normalized header key → canonical field, built-in aliases plus the user's mapping file."""
    index = {}
    for field, alias in list(builtin_aliases()) + list(extra):
        index[norm_key(alias)] = field
        index[norm_key(field)] = field  # the canonical English name works as a header too
    return index


def aliases_by_field(extra: list[tuple[str, str]] = ()) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for field, alias in list(builtin_aliases()) + list(extra):
        grouped.setdefault(field, []).append(alias)
    return grouped
