"""What a mark in a box is, for forms typed in Excel with an «x» under the choice made (questionnaires, registers)."""
import pyarrow as pa
import pyarrow.compute as pc

# A tick or a cross, or a 1 ('x', 'X', '✓', '√', 'v'). A cell under such a run holding anything else (a count: 43)
# means the table is not a form of marks but a summary, and is left as it is.
MARKS = frozenset({"x", "X", "✓", "✔", "☑", "√", "v", "V", "•", "●", "1", "1.0", "có", "Có", "chọn", "Chọn"})
NOT_MARKED = frozenset({"0", "-", "–", "—"})


def trimmed(column) -> pa.ChunkedArray:
    """The cells as text without surrounding blanks, an empty cell as ''."""
    return pc.utf8_trim_whitespace(pc.fill_null(column.cast(pa.string()), ""))


def marked(column) -> pa.ChunkedArray:
    """Whether each cell holds something other than blank or a «not marked» sign ('0', '-')."""
    return pc.invert(pc.is_in(trimmed(column), value_set=pa.array(["", *NOT_MARKED])))
