"""The per-dossier facts of indicators.md §1 (F, due, returned, late-by-supplement…), one SQL used by every route."""
from common.text import norm_key_sql

# Read by the raw route (indicators/route_raw.py, the reference), by the aggregate build (model/aggregates.py) and
# by the late-dossier list (model/late_rows.py), so they cannot drift apart on what F, "returned" or "late" mean.
#
# F is finished_at, else returned_at for status 9/10 (§1), as a calendar date, clamped to the receipt date:
# a finish typed before the receipt would otherwise fall out of the §1 identity. Status 1 and 3 (registered,
# refused) are not received dossiers and count nowhere.
#
# proc_paper_result: the procedure returns a paper result (table paper_result_procedures, loaded with the 766
# inputs): the dossiers of criterion 6.1.
#
# workdays: Monday–Friday days in (r_date, f_date] minus the public holidays that fall on those days, plus the
# weekend days worked in exchange (tables `holidays` and `weekend_workdays`: etl/references/holidays.py).
# 1900-01-01 was a Monday, so day numbers stay positive.
#
# The catalogue row of a dossier: by its procedure code, or — an export naming the procedure without its code (the
# national portal's «Tên thủ tục» alone) — by the name's key when the catalogue gives that name one code. Then the
# dossier counts under that code, with its sector and online level, as one exported with the code would. Same-named
# procedures of several levels (several codes) still lend the sector and level they all share.
# The days that change the Monday–Friday count: −1 for a weekday off, +1 for a weekend day worked.
_DAY_CHANGES = """(SELECT holiday_date AS day, -1 AS change FROM holidays WHERE isodow(holiday_date) <= 5
                   UNION ALL SELECT work_date, 1 FROM weekend_workdays WHERE isodow(work_date) > 5)"""
# Per catalogue name key: its code when only one, the sector and online level when every row of the name agrees, and
# the statutory time when the rows that give one agree (etl/dossiers/due_dates.py derives due dates by it).
NAMED_PROCEDURES_SQL = f"""
    SELECT {norm_key_sql('procedure_name')} AS name_key,
           CASE WHEN count(DISTINCT procedure_code) = 1 THEN min(procedure_code) END AS procedure_code,
           CASE WHEN count(field_name) = count(*) AND count(DISTINCT field_name) = 1 THEN min(field_name) END AS field_name,
           CASE WHEN count(online_level) = count(*) AND count(DISTINCT online_level) = 1 THEN min(online_level) END
               AS online_level,
           CASE WHEN count(DISTINCT statutory_days) = 1 THEN min(statutory_days) END AS statutory_days
    FROM procedures WHERE procedure_name IS NOT NULL GROUP BY 1"""
_MON_FRI_INDEX = "(5 * (({d} - DATE '1900-01-01' + 1) // 7) + least(({d} - DATE '1900-01-01' + 1) % 7, 5))"
# A dossier's receipt day and F (above), from a row of the dossiers table.
_R_DATE = "CAST(received_at AS DATE)"
_F_RAW = "CAST(coalesce(finished_at, CASE WHEN status_code IN (9, 10) THEN returned_at END) AS DATE)"


def dossier_facts_sql(dossiers: str = "dossiers") -> str:
    """The facts of the dossier rows of `dossiers` (a table name or a parenthesized query with the columns of
    the dossiers table): every dossier, or the old and new rows of those a load changes (model/incremental.py)."""
    return f"""
WITH day_changes AS NOT MATERIALIZED (   -- inlined: materialized, DuckDB built its joins on the dossiers
    SELECT x.day, coalesce(sum(c.change), 0) AS changes
    FROM (SELECT {_R_DATE} AS day FROM {dossiers} UNION SELECT {_F_RAW} FROM {dossiers}) x
    LEFT JOIN {_DAY_CHANGES} c ON c.day <= x.day
    GROUP BY x.day)
SELECT
    d.source, d.dossier_code, d.unit_code, d.unit_text,
    coalesce(d.field_name, p.field_name, pn.field_name) AS field_key,
    coalesce(d.procedure_code, pn.procedure_code, d.procedure_name) AS procedure_key,
    coalesce(d.procedure_code, pn.procedure_code) AS procedure_code,
    coalesce(d.procedure_name, p.procedure_name) AS procedure_name,
    d.supplement_count, d.status_code, d.status_text,
    d.channel, d.fee_amount, d.is_paid_online, d.is_digitized, d.has_e_result, d.is_data_reused,
    d.is_synced_national, d.is_apology_issued, d.rating,
    d.r_date,
    CAST(d.due_at AS DATE) AS due_date,
    d.f_date,
    coalesce(d.status_code IN (7, 8), false) OR coalesce(d.result_type = 'returned', false) AS is_returned,
    coalesce(d.supplement_count, 0) > 1 AS is_supplemented_twice,
    coalesce(coalesce(d.online_level, p.online_level, pn.online_level) IN ('full', 'partial'), false) AS proc_online,
    coalesce(pr.requires_paper_result, false) AS proc_paper_result,
    CASE WHEN d.f_date IS NOT NULL THEN
        ({_MON_FRI_INDEX.format(d='d.f_date')} - {_MON_FRI_INDEX.format(d='d.r_date')}
         + fc.changes - rc.changes)::INTEGER
    END AS workdays
FROM (
    SELECT *, {_R_DATE} AS r_date,
           CASE WHEN f_raw IS NOT NULL THEN greatest(f_raw, {_R_DATE}) END AS f_date,
           CASE WHEN procedure_code IS NULL THEN procedure_name END AS _uncoded_name
    FROM (SELECT *, {_F_RAW} AS f_raw FROM {dossiers})
) d
-- the day changes in (r_date, f_date]: those up to F less those up to the receipt, worked out once per distinct day
-- (day_changes). A subquery per dossier was run by DuckDB as a join over a copy of every dossier row: a third of
-- the facts' time.
LEFT JOIN day_changes rc ON rc.day = d.r_date
LEFT JOIN day_changes fc ON fc.day = d.f_date
-- the name's key worked out once per distinct name, not once per dossier (its regular expression: 40× the scan)
LEFT JOIN (SELECT n.name, m.* FROM (SELECT DISTINCT procedure_name AS name FROM {dossiers}
                                    WHERE procedure_code IS NULL AND procedure_name IS NOT NULL) n
           JOIN ({NAMED_PROCEDURES_SQL}) m ON m.name_key = {norm_key_sql('n.name')}) pn ON pn.name = d._uncoded_name
LEFT JOIN procedures p ON p.procedure_code = coalesce(d.procedure_code, pn.procedure_code)
LEFT JOIN paper_result_procedures pr ON pr.procedure_code = coalesce(d.procedure_code, pn.procedure_code)
WHERE d.status_code IS NULL OR d.status_code NOT IN (1, 3)"""


DOSSIER_FACTS_SQL = dossier_facts_sql()

# The §1 outcome of a dossier closed on f_date, independent of the period (only whether F falls in it is not).
IS_LATE_SQL = "(NOT is_returned AND (is_supplemented_twice OR coalesce(f_date > due_date, false)))"
IS_EARLY_SQL = f"(NOT is_returned AND NOT {IS_LATE_SQL} AND coalesce(f_date < due_date, false))"
IS_ON_TIME_SQL = f"(NOT is_returned AND NOT {IS_LATE_SQL} AND (due_date IS NULL OR f_date = due_date))"
# Late at some period end: resolved late, or open (or finished) at least two days after the due date, so that
# due < P1 < F for some P1 (pending overdue). The few per cent of dossiers kept for the late figures and lists.
CAN_BE_LATE_SQL = f"((f_date IS NOT NULL AND {IS_LATE_SQL}) OR (due_date IS NOT NULL AND (f_date IS NULL OR f_date > due_date + 1)))"
