"""The one scoped query behind the SIPAS figures: answer counts per group, for the period's questionnaires."""
from __future__ import annotations

from datetime import date

from common.text import norm_key_sql
from model.sipas_summary import (ANSWERS_TABLE, CRITERIA_ONLY_SQL, CRITERIA_ONLY_TABLE, EFFECTIVE_UNIT_SQL,
                                 QUESTIONNAIRES_TABLE)
from model.unit_names import unit_by_name_sql

from .scope import SCOPE_AND_TREE_SQL

__all__ = ["GROUP_EXPR", "counts_sql", "periods_values"]

# The unit a published result filed under a name counts for: as a questionnaire's (model/sipas_summary.py).
_AGG_UNIT_JOINS, _AGG_UNIT = unit_by_name_sql(norm_key_sql("a.unit_text"), "agg_unit", "a.unit_code IS NULL")

# Only fixed fragments chosen from this whitelist are assembled; every value is a bound $parameter: per period i
# (counts_sql's periods_sql, a VALUES list of periods_values) $k<i> its key, $a<i>, $b<i> (DATE) its days, $c<i>, $d<i>
# its survey years (periods.survey_year_range); $scope (unit code or NULL), $group_level (level walked up to, or NULL).
# Several periods in one query (a period and the same one last year): the answers are read once.
GROUP_EXPR = {"unit": "x.eff_unit", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
              None: "NULL"}

# Two routes to the same three count CTEs, summed alike by the branches below:
#   q_counts (p_key, g_key, questionnaires, valid_questionnaires),
#   a_counts (p_key, g_key, item_code, item_type, element_no, criteria_only, valid, favourable, invalid),
#   co_counts (p_key, g_key, element_no, questionnaires): questionnaires with a valid criteria-only answer.
# The summary route reads the tables model/sipas_summary.py builds at load (per unit, day and item: ~20 times
# fewer rows than the answers); the live route counts the answers of the period's questionnaires (a database
# loaded before those tables existed). criteria_only: a flag, not the form's list carried on every answer (20 ms
# less on the full sample).
_LIVE_COUNTS = """resp AS ({in_periods_all_resp}),
answers AS (
    SELECT r.p_key, r.g_key, r.source, r.response_id, a.item_type, a.item_code, a.element_no, a.is_valid,
           a.is_favourable, {criteria_only} AS criteria_only
    FROM resp r JOIN survey_answers a ON a.source = r.source AND a.response_id = r.response_id
),
q_counts AS (SELECT p_key, g_key, 1 AS questionnaires, (answer_count > invalid_answer_count)::INT AS valid_questionnaires
             FROM resp),
a_counts AS (SELECT p_key, g_key, item_code, item_type, element_no, criteria_only, is_valid::INT AS valid,
                    coalesce(is_favourable, false)::INT AS favourable, (NOT is_valid)::INT AS invalid FROM answers),
co_counts AS (SELECT p_key, g_key, element_no, count(DISTINCT (source, response_id)) AS questionnaires
              FROM answers WHERE criteria_only AND is_valid GROUP BY ALL)"""
_SUMMARY_COUNTS = """q_counts AS ({in_periods_questionnaires}),
a_counts AS ({in_periods_answers}),
co_counts AS ({in_periods_criteria_only})"""

# The rows of `source` (with eff_unit, survey_date, survey_year) in each period, with their group key, in scope.
# A dated questionnaire belongs to the period holding its date; one with only a year, to any period touching that
# year (SIPAS is a yearly survey); an official window touches the years of the months it stands for. One branch per
# period rather than a join with `periods`: the join's estimate made DuckDB hash the answers instead of the
# questionnaires (by department 142 → 211 ms for two periods).
_IN_PERIODS = """SELECT x.*, {group_expr} AS g_key FROM ({dated}) x
    LEFT JOIN units u ON u.unit_code = x.eff_unit
    LEFT JOIN group_map gm ON gm.unit_code = x.eff_unit
    WHERE ($scope IS NULL OR x.eff_unit IN (SELECT unit_code FROM scope_units))"""
_DATED = """SELECT {i} AS p_key, x.* FROM {source} x
    WHERE CASE WHEN x.survey_date IS NOT NULL THEN x.survey_date BETWEEN $a{i}::DATE AND $b{i}::DATE
               ELSE x.survey_year BETWEEN $c{i} AND $d{i} END"""

_SQL = SCOPE_AND_TREE_SQL + """,
periods(p_key, p0, p1, y0, y1) AS ({periods_sql}),
{effective_unit},
{counts},
-- Published results count only for a unit and year without questionnaires of its own.
agg AS (
    SELECT p.p_key, {group_expr} AS g_key, x.*
    FROM (SELECT a.*, coalesce(a.unit_code, {agg_unit}) AS eff_unit, {agg_name} AS agg_name
          FROM survey_aggregates a
              {agg_unit_joins}) x
    LEFT JOIN units u ON u.unit_code = x.eff_unit
    LEFT JOIN group_map gm ON gm.unit_code = x.eff_unit
    JOIN periods p ON x.survey_year BETWEEN p.y0 AND p.y1
    WHERE ($scope IS NULL OR x.eff_unit IN (SELECT unit_code FROM scope_units))
      AND NOT EXISTS (SELECT 1 FROM {surveyed} m WHERE m.survey_year = x.survey_year
                      AND (m.eff_unit = x.eff_unit OR (m.eff_unit IS NULL AND x.eff_unit IS NULL
                                                       AND m.eff_name = x.agg_name)))
)
-- Every branch: (p_key, tag, g_key, is_total, item_code, item_type, element_no, x, y, z).
SELECT p_key, 'item', g_key, GROUPING(g_key) = 1, item_code, any_value(item_type), any_value(element_no),
       sum(valid)::DOUBLE, sum(favourable)::DOUBLE, sum(invalid)::DOUBLE
FROM a_counts GROUP BY GROUPING SETS ((p_key, g_key, item_code), (p_key, item_code))
UNION ALL   -- criteria answered on forms that do not ask the element's satisfaction question
SELECT p_key, 'criteria_only', g_key, GROUPING(g_key) = 1, item_code, 'criterion', any_value(element_no),
       sum(valid)::DOUBLE, sum(favourable)::DOUBLE, 0
FROM a_counts WHERE criteria_only
GROUP BY GROUPING SETS ((p_key, g_key, item_code), (p_key, item_code))
UNION ALL   -- …and how many questionnaires gave at least one valid answer to those criteria (a questionnaire has
            -- one unit and one day: the distinct counts of co_counts add up)
SELECT p_key, 'criteria_only_n', g_key, GROUPING(g_key) = 1, NULL, NULL, element_no,
       sum(questionnaires)::DOUBLE, 0, 0
FROM co_counts GROUP BY GROUPING SETS ((p_key, g_key, element_no), (p_key, element_no))
UNION ALL
SELECT p_key, 'questionnaires', g_key, GROUPING(g_key) = 1, NULL, NULL, NULL,
       sum(questionnaires)::DOUBLE, sum(valid_questionnaires)::DOUBLE, 0
FROM q_counts GROUP BY GROUPING SETS ((p_key, g_key), (p_key))
UNION ALL
SELECT p_key, 'published', g_key, GROUPING(g_key) = 1, NULL, NULL, element_no,
       sum(respondent_count)::DOUBLE, sum(satisfied_rate * respondent_count), 0
FROM agg GROUP BY GROUPING SETS ((p_key, g_key, element_no), (p_key, element_no))
UNION ALL   -- a published unit-year counts its largest element sample as its questionnaires
SELECT p_key, 'published_n', g_key, GROUPING(g_key) = 1, NULL, NULL, NULL, sum(n)::DOUBLE, 0, 0
FROM (SELECT p_key, g_key, source, unit_text, survey_year, max(respondent_count) AS n FROM agg GROUP BY ALL)
GROUP BY GROUPING SETS ((p_key, g_key), (p_key))"""


def periods_values(periods: list[tuple[date, date, int, int]]) -> tuple[str, dict]:
    """The VALUES list of counts_sql's periods and its parameters: per period (first day, last day, first and last
    survey year), keyed by its position (0, 1, …)."""
    params, rows = {}, []
    for i, (start, end, y0, y1) in enumerate(periods):
        params.update({f"k{i}": i, f"a{i}": start, f"b{i}": end, f"c{i}": y0, f"d{i}": y1})
        rows.append(f"($k{i}::INTEGER, $a{i}::DATE, $b{i}::DATE, $c{i}::INTEGER, $d{i}::INTEGER)")
    return "VALUES " + ", ".join(rows), params


def counts_sql(by: str | None, periods_sql: str, period_count: int, summary: bool = False) -> str:
    """The counts of each of the `period_count` periods of periods_sql (periods_values), tagged with its position;
    from the load-time summary tables when `summary` (model.sipas_summary.summary_is_fresh), else from the answers."""
    group_expr = GROUP_EXPR[by]

    def in_periods(source: str) -> str:
        dated = "\n    UNION ALL ".join(_DATED.format(i=i, source=source) for i in range(period_count))
        return _IN_PERIODS.format(group_expr=group_expr, dated=dated)
    if summary:
        counts = _SUMMARY_COUNTS.format(in_periods_questionnaires=in_periods(QUESTIONNAIRES_TABLE),
                                        in_periods_answers=in_periods(ANSWERS_TABLE),
                                        in_periods_criteria_only=in_periods(CRITERIA_ONLY_TABLE))
    else:
        counts = _LIVE_COUNTS.format(in_periods_all_resp=in_periods("all_resp"), criteria_only=CRITERIA_ONLY_SQL)
    return _SQL.format(group_expr=group_expr, agg_unit_joins=_AGG_UNIT_JOINS, agg_unit=_AGG_UNIT,
                       agg_name=norm_key_sql("a.unit_text"), periods_sql=periods_sql,
                       effective_unit=EFFECTIVE_UNIT_SQL, counts=counts,
                       surveyed=QUESTIONNAIRES_TABLE if summary else "all_resp")
