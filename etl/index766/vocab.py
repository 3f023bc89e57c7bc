"""Header aliases of the 766 files (etl/vocab/index766_aliases.csv, plus a --mapping file) and their field labels."""
import functools

from common.text import norm_key
from etl.core.vocab import read_vocab
from model.index766_vocab import input_field_index, published_item_index

INPUT_FIELDS = ("unit", "period", "period_from", "period_to", "criterion", "numerator", "denominator")
INPUT_REQUIRED = ("unit", "criterion", "numerator", "denominator")
PAPER_FIELDS = ("procedure_code", "procedure_name", "paper_result")
PAPER_REQUIRED = ("procedure_code", "paper_result")
PUBLISHED_FIELDS = ("unit", "period", "period_from", "period_to", "item", "points")
# A wide published table names each score column by its item ('Tổng điểm', 'Công khai, minh bạch', '1.1'…): such
# a column maps to the field 'item:<item key>' (model/index766_vocab.csv).
ITEM_PREFIX = "item:"
# A wide inputs table: units down, one column per criterion holding «tử số/mẫu số» ('45/50'), or two columns
# under the criterion's merged cell («Tử số | Mẫu số»): 'input:<key>', 'input_num:<key>', 'input_den:<key>'.
WIDE_INPUT_FIELDS = ("unit", "period", "period_from", "period_to")
INPUT_PREFIX, NUM_PREFIX, DEN_PREFIX = "input:", "input_num:", "input_den:"

# The Vietnamese name of each field, for messages.
FIELD_LABELS = {"unit": "Đơn vị", "period": "Kỳ", "period_from": "Từ ngày", "period_to": "Đến ngày",
                "criterion": "Tiêu chí", "numerator": "Tử số", "denominator": "Mẫu số", "procedure_code": "Mã TTHC",
                "procedure_name": "Tên TTHC", "paper_result": "Trả kết quả giấy", "item": "Nhóm/Tiêu chí",
                "points": "Điểm"}


@functools.lru_cache(maxsize=None)
def _aliases() -> tuple[tuple[str, str], ...]:
    return tuple((row["field"], row["alias"]) for row in read_vocab("index766_aliases.csv"))


def aliases_of(field: str, extra=()) -> list[str]:
    return [a for f, a in list(_aliases()) + list(extra) if f == field]


def header_index(fields: tuple[str, ...], extra=(), with_items: bool = False,
                 with_inputs: bool = False) -> dict[str, str]:
    """Normalized header text → field, for the fields of one layout (the English field name works too); with
    with_items, every published item's texts as 'item:<key>' columns (a wide table); with with_inputs, every input
    criterion's texts as 'input:<key>' columns, and joined with a numerator or denominator header as the sub-header
    under it ('input_num:<key>', 'input_den:<key>')."""
    index = {}
    if with_items:
        index.update({k: ITEM_PREFIX + item for k, item in published_item_index().items()})
    if with_inputs:
        # by their names only: a header «1.1 (3 điểm)» is as often a PAR INDEX criterion across a council's table
        for k, key in ((k, key) for k, key in input_field_index().items() if not any(c.isdigit() for c in k)):
            index[k] = INPUT_PREFIX + key
            index.update({f"{k} {norm_key(a)}": NUM_PREFIX + key for a in aliases_of("numerator", extra)})
            index.update({f"{k} {norm_key(a)}": DEN_PREFIX + key for a in aliases_of("denominator", extra)})
    for field, alias in list(_aliases()) + list(extra):
        # a count column named for its criterion and side («Số TTHC phải công bố»: the denominator of 1.1)
        if field in fields or (with_inputs and field.startswith((NUM_PREFIX, DEN_PREFIX))):
            index[norm_key(alias)] = field
    index.update({norm_key(f): f for f in fields})
    return index
