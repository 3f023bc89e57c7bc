"""The leading day and month of a date cell, as both the questionnaire and the dossier loaders look at them to tell a
file written month first ('03/14/2022', Windows or a survey tool set to English (United States)) from day first."""

# A date cell written d/m/yyyy or m/d/yyyy (words before the first digit dropped): its two leading numbers (groups 1
# and 3) with the separators after them (2 and 4), and the year (5).
LEADING_DATE = r"^(\d{1,2})(\s*[/.-]\s*)(\d{1,2})(\s*[/.-]\s*)(\d{4})"


def order_evidence_sql(cells: str) -> str:
    """SELECT of the evidence a sheet's date cells give of their order. cells: a query of (_row, shown: the cell as
    written, t: its text from the first digit). A first number above 12 can only be a day, a second one only a day
    too. Gives day_first and month_first (how many cells can only be read so), dated (cells with a leading date),
    lowest (the least month-first cell as written), first and first_row (the first month-first cell and its row)."""
    only_month_first = "b > 12 AND b <= 31 AND a BETWEEN 1 AND 12"
    return f"""
    SELECT count(*) FILTER (WHERE a > 12 AND a <= 31 AND b BETWEEN 1 AND 12) AS day_first,
           count(*) FILTER (WHERE {only_month_first}) AS month_first,
           count(a) AS dated,
           min(shown) FILTER (WHERE {only_month_first}) AS lowest,
           arg_min(shown, _row) FILTER (WHERE {only_month_first}) AS first,
           min(_row) FILTER (WHERE {only_month_first}) AS first_row
    FROM (SELECT _row, shown, try_cast(regexp_extract(t, '{LEADING_DATE}', 1) AS INT) AS a,
                 try_cast(regexp_extract(t, '{LEADING_DATE}', 3) AS INT) AS b FROM ({cells}))"""
