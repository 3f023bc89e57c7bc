"""Which lines under a header are data: the SQL pieces every kind of export shares to read cells and skip lines
that are not records (blank lines, totals). Each kind's own rules sit beside these in its sql module."""


def cell_sql(col: str) -> str:
    """A grid cell as trimmed text, blank (or a lone BOM) as NULL."""
    return f"nullif(trim(replace({col}, chr(65279), '')), '')"


# Rows that are not records in any export (dossiers, surveys): empty, or a totals line ("Tổng cộng", "Tổng số").
SKIP_BLANK_AND_TOTALS = """WHEN _nonempty = 0 THEN 'blank'
        WHEN _first_key IN (SELECT text FROM skip_markers WHERE kind = 'totals')
             OR starts_with(_first_key, 'tong cong') OR starts_with(_first_key, 'tong so') THEN 'totals'"""
