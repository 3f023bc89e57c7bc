"""Which order a questionnaire file writes its dates in: day first as Vietnamese forms do, or month first as
SurveyMonkey, and Google or Microsoft Forms set to English (United States), do ('03/14/2022 10:15:32 AM')."""

from etl.core.date_order import LEADING_DATE, order_evidence_sql


def month_first_swapped_sql(expr: str) -> str:
    """expr (a date text) with its two leading numbers swapped: m/d/yyyy read as the d/m/yyyy parse_ts takes."""
    return f"regexp_replace({expr}, '{LEADING_DATE}', '\\3\\2\\1\\4\\5')"


# The survey dates, their words before the first digit dropped (as dated_sql drops them).
_ORDER_EVIDENCE_SQL = order_evidence_sql("""SELECT _row, survey_date AS shown,
                                                   regexp_replace(survey_date, '^[^0-9]+', '') AS t
                                            FROM survey_mapped WHERE survey_date IS NOT NULL""")

# Without the header's word, a sheet's dates are read month first only when at least this many of them, and this
# share, can only be month first (and none only day first). A month-first export over a whole month has ~60 % of
# its dates with a day above 12; a Vietnamese round held in the first ten days has none that can only be day first,
# and a couple of mistyped '04/15/2022' among 40 of them (5 %) must stay rejected rows, not turn the other dates
# around (a review found 5 % too low).
_MIN_MONTH_FIRST, _MIN_MONTH_FIRST_SHARE = 2, 0.20


def month_first_dates(con, header_says_month_first: bool) -> str | None:
    """None when the staged questionnaires (survey_mapped) write their dates day first; else a date of theirs that
    shows they do not (for the load's summary), or '' when only the header says so."""
    day_first, month_first, dated, example, _, _ = con.execute(_ORDER_EVIDENCE_SQL).fetchall()[0]
    if day_first:
        return None   # one date that can only be day first: the column is day first, as every Vietnamese form
    if not dated:
        return None   # no date written day and month first (Qualtrics' 2022-09-06, under the same «End Date»)
    if header_says_month_first:
        return example or ""
    if month_first >= _MIN_MONTH_FIRST and month_first >= _MIN_MONTH_FIRST_SHARE * dated:
        return example
    return None


def month_first_note(example: str) -> str:
    """The summary's line for a file read month first."""
    shown = f" (ví dụ «{example}»)" if example else " (cột «End Date» của SurveyMonkey)"
    return (f"Ngày khảo sát trong tệp được ghi tháng trước ngày{shown}, theo cách của công cụ khảo sát đặt kiểu Mỹ; "
            "đã đọc theo thứ tự tháng/ngày/năm.")
