"""Every DuckDB connection the project opens: without DuckDB's progress bar, which it prints to standard output."""
import duckdb


def connect_quietly(database: str = ":memory:", *, read_only: bool = False, config: dict | None = None):
    """duckdb.connect with the progress bar off. DuckDB draws it on stdout for any query over two seconds, even
    when stdout is a pipe or a file: it landed in the middle of `--json` answers (a slow read of a million-row CSV)
    and in the server's log. It is a setting of the connection, not of the database, so it is set here; cursors of
    the connection keep it."""
    con = duckdb.connect(database, read_only=read_only, config=config or {})
    con.execute("SET enable_progress_bar = false")
    return con
