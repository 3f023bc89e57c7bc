"""Cells trimmed in Arrow (etl/core/cell_trim.py) equal what DuckDB's trim of the same blanks gives: the SQL the
loaders ran on every cell before, used here as the independent route."""
import random

import duckdb
import pyarrow as pa
import pytest

from etl.core.cell_trim import BLANKS, trimmed_table

# Blanks, letters whose UTF-8 bytes start or end like a blank's ('ế' ends with 0xBF as the BOM does, 'à' with 0xA0
# as the no-break space), and spaces that are not trimmed (form feed, em space, ideographic space).
ALPHABET = list(BLANKS) + ["a", "1", "ế", "à", "Đ", "ỦY", "«", "–", "€", "\f", "\v", "\u2000", "\u3000", "\uefbb"]
SQL_TRIM = ("CASE WHEN regexp_matches(c0, '^[\\s\u00a0\u200b\ufeff]|[\\s\u00a0\u200b\ufeff]$') "
            "THEN trim(c0, ' \t\n\r\u00a0\u200b\ufeff') ELSE c0 END")


def _cells(n: int) -> list:
    rng = random.Random(16)
    return [None, "", " ", "\ufeff", " Sở Y tế\u00a0", "Y tế"] + [
        None if rng.random() < 0.05 else "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6)))
        for _ in range(n)]


@pytest.mark.parametrize("text_type", [pa.string(), pa.large_string(), pa.string_view()])
def test_arrow_trim_equals_sql_trim(text_type):
    cells = _cells(20_000)
    # Several chunks, one of them a slice (its offsets start inside the buffer), as readers hand them over.
    column = pa.chunked_array([pa.array(cells[:500], text_type), pa.array(cells[400:3000], text_type).slice(100),
                               pa.array(cells[3000:], text_type)])
    as_read = cells[:500] + cells[500:3000] + cells[3000:]
    con = duckdb.connect()
    con.register("g", pa.table({"c0": pa.array(as_read, pa.string())}))
    expected = [row[0] for row in con.execute(f"SELECT {SQL_TRIM} FROM g").fetchall()]
    trimmed = trimmed_table(pa.table({"c0": column, "empty": pa.nulls(len(column), pa.string())}))
    assert trimmed.column("c0").to_pylist() == expected
    assert trimmed.column("empty").null_count == len(column)
    assert sum(a != b for a, b in zip(as_read, expected)) > 1000   # the cells did need trimming


def test_untouched_columns_are_not_copied():
    # Letters that end like a blank's bytes ('ế' as the BOM, 'à' as the no-break space) leave the column as it is.
    column = pa.chunked_array([pa.array(["Hộ tịch", "H29.1-220110-0001", None, "", "Sở Y tế", "Hoà", "«x»"])])
    table = pa.table({"c0": column})
    trimmed = trimmed_table(table)
    # the same bytes, not a copy of them (the table itself gains only the trimmed mark)
    assert trimmed.column(0).chunk(0).buffers()[2].address == table.column(0).chunk(0).buffers()[2].address
    assert trimmed.equals(table)


def test_a_trimmed_table_is_not_scanned_again():
    # registered_grid trims what the dossier loader trimmed already: the second call returns the table as it is.
    table = trimmed_table(pa.table({"c0": [" a ", "b"]}))
    assert trimmed_table(table) is table
    # the mark survives the loader's own edits (emptied "none" marks, the row-number columns)
    edited = table.set_column(0, "c0", pa.array(["a", None])).append_column("_row", pa.array([1, 2]))
    assert trimmed_table(edited) is edited
    assert trimmed_table(pa.table({"c0": [" a "]})).column(0).to_pylist() == ["a"]


def test_excels_text_mark_goes_and_a_quotation_stays():
    """A leading apostrophe alone is Excel's text mark ('000101 is 000101); a cell quoting words keeps both."""
    table = pa.table({"a": ["'000101", "'Một cửa' liên thông", "'", "' 27/02/2024", None, "x"]})
    assert trimmed_table(table).column("a").to_pylist() == ["000101", "'Một cửa' liên thông", "'", "27/02/2024",
                                                             None, "x"]
