"""SQL tests of a date cell written in a right shape that still names no day of the calendar or no time of the day."""

_DAY_FIRST = "\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}"
_YEAR_FIRST = "\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}"


def impossible_day_sql(field: str) -> str:
    """The cell starts with a date written right, day first (03/10/2022, 3-10-2022) or year first (2022-10-03), that
    is no day of the calendar (31/02/2022, 29/02/2023, 12/31/2022, 2023-13-01)."""
    def written(shape: str) -> str:
        return f"regexp_replace(regexp_extract({field}, '^\\s*{shape}'), '[.-]', '/', 'g')"
    day, year_first = written(_DAY_FIRST), written(_YEAR_FIRST)
    return (f"(({day} <> '' AND try_strptime(trim({day}), '%d/%m/%Y') IS NULL)"
            f" OR ({year_first} <> '' AND try_strptime(trim({year_first}), '%Y/%m/%d') IS NULL))")


def impossible_time_sql(field: str) -> str:
    """The cell holds a date written right and a time that is no time of the day (19/01/2023 25:00, 08:75)."""
    def part(group: int) -> str:
        return (f"TRY_CAST(regexp_extract({field}, '^\\s*(?:{_DAY_FIRST}|{_YEAR_FIRST})[ T,]+(\\d{{1,2}})\\s*[:hg]"
                f"\\s*(\\d{{1,2}})', {group}) AS INTEGER)")
    return f"coalesce({part(1)} > 23 OR {part(2)} > 59, false)"
