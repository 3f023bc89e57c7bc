"""The one exception type the loader raises for a file it cannot take, with a Vietnamese message."""


# The last sentence of every "missing column" message: headers of another wording are declared in a mapping file.
# The Dữ liệu page words it for the page (etl/page_wording.py).
MAPPING_ADVICE = "Nếu tệp dùng tiêu đề khác, hãy khai báo trong tệp ánh xạ (--mapping)."


class ImportFailure(Exception):
    """A file could not be imported at all; nothing from it was loaded. The message is for a civil servant."""


class UnusableDatabase(Exception):
    """--db names something a load cannot use (a directory, a file that is not a DuckDB database, a place that
    cannot be written): nothing was loaded, the file is untouched. The message is for a civil servant; the command
    exits 64 (wrong use of the command, like an unreadable --mapping)."""
