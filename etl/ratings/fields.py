"""The columns of a dossier ratings file — one line per rated dossier, as an evaluation system (the counter's
rating tablet, the portal's «Đánh giá hài lòng») exports it — and the headers each is known by."""
import functools

from common.text import norm_key
from etl.dossiers.fields import builtin_aliases

REQUIRED = ("dossier_code", "rating")
FIELD_LABELS = {"dossier_code": "Mã hồ sơ", "rating": "Mức độ hài lòng", "rated_at": "Ngày đánh giá",
                "unit": "Đơn vị"}
# Beside the dossier exports' own headers of these fields (etl/vocab/header_aliases.csv: «Mã hồ sơ», «Kết quả đánh
# giá»…), the words an evaluation file uses.
_OWN_ALIASES = (("rating", "Mức độ hài lòng"), ("rating", "Mức độ đánh giá"), ("rating", "Đánh giá"),
                ("rating", "Kết quả đánh giá"), ("rating", "Ý kiến đánh giá"), ("rating", "Đánh giá của người dân"),
                ("rating", "Mức độ hài lòng của người dân"),
                ("rated_at", "rated_at"), ("rated_at", "Ngày đánh giá"), ("rated_at", "Thời gian đánh giá"),
                ("rated_at", "Ngày giờ đánh giá"), ("rated_at", "Thời điểm đánh giá"))
# Read to tell a dossier export (it has a received date) from a ratings file, never loaded from one.
_READ = ("dossier_code", "rating", "unit", "received_at")


@functools.lru_cache(maxsize=None)
def _builtin_index() -> tuple[tuple[str, str], ...]:
    pairs = [(f, a) for f, a in builtin_aliases() if f in _READ] + list(_OWN_ALIASES)
    return tuple((norm_key(a), f) for f, a in pairs) + tuple((f, f) for f in _READ + ("rated_at",))


def ratings_index(extra: tuple = ()) -> dict[str, str]:
    """Normalized header → field of a ratings file: the built-in headers, then the --mapping file's of these fields."""
    index = dict(_builtin_index())
    index.update({norm_key(a): f for f, a in extra if f in FIELD_LABELS})
    return index
