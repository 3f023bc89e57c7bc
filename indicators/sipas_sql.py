"""The one scoped query behind the SIPAS figures: answer counts per group, for the period's questionnaires."""
from __future__ import annotations

from datetime import date

from common.text import norm_key_sql

from .scope import SCOPE_AND_TREE_SQL

__all__ = ["GROUP_EXPR", "counts_sql", "periods_values"]

# Only fixed fragments chosen from this whitelist are assembled; every value is a bound $parameter: per period i
# (counts_sql's periods_sql, a VALUES list of periods_values) $k<i> its key, $a<i>, $b<i> (DATE) its days, $c<i>, $d<i>
# its survey years (periods.survey_year_range); $scope (unit code or NULL), $group_level (level walked up to, or NULL).
# Several periods in one query (a period and the same one last year): the answers are read once.
GROUP_EXPR = {"unit": "x.eff_unit", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
              None: "NULL"}

_SQL = SCOPE_AND_TREE_SQL + """,
periods(p_key, p0, p1, y0, y1) AS ({periods_sql}),
ukeys AS (      -- names that one unit answers to (as the loader matches them): a unit added or aliased later joins
    SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY unit_key HAVING count(DISTINCT unit_code) = 1
),
all_resp AS (
    SELECT r.*, coalesce(r.unit_code, k.unit_code) AS eff_unit
    FROM survey_responses r LEFT JOIN ukeys k ON r.unit_code IS NULL AND k.unit_key = {unit_key}
),
-- A dated questionnaire belongs to the period holding its date; one with only a year, to any period
-- touching that year (SIPAS is a yearly survey); an official window touches the years of the months it stands for.
-- One branch per period rather than a join with `periods`: the join's estimate made DuckDB hash the answers
-- instead of the questionnaires (by department 142 → 211 ms for two periods).
dated AS ({dated}),
resp AS (
    SELECT x.p_key, x.source, x.response_id, x.satisfaction_asked,
           x.answer_count > x.invalid_answer_count AS has_valid, {group_expr} AS g_key
    FROM dated x
    LEFT JOIN units u ON u.unit_code = x.eff_unit
    LEFT JOIN group_map gm ON gm.unit_code = x.eff_unit
    WHERE ($scope IS NULL OR x.eff_unit IN (SELECT unit_code FROM scope_units))
),
answers AS (   -- criteria_only: a criterion whose element's satisfaction question the form does not ask (a flag, not
               -- the form's list carried on every answer: 20 ms less on the full sample)
    SELECT r.p_key, r.g_key, r.source, r.response_id, a.item_type, a.item_code, a.element_no, a.is_valid,
           a.is_favourable, a.item_type = 'criterion' AND NOT list_contains(r.satisfaction_asked, a.element_no) AS criteria_only
    FROM resp r JOIN survey_answers a ON a.source = r.source AND a.response_id = r.response_id
),
-- Published results count only for a unit and year without questionnaires of its own.
agg AS (
    SELECT p.p_key, {group_expr} AS g_key, x.*
    FROM (SELECT a.*, coalesce(a.unit_code, k.unit_code) AS eff_unit
          FROM survey_aggregates a LEFT JOIN ukeys k ON a.unit_code IS NULL AND k.unit_key = {agg_unit_key}) x
    LEFT JOIN units u ON u.unit_code = x.eff_unit
    LEFT JOIN group_map gm ON gm.unit_code = x.eff_unit
    JOIN periods p ON x.survey_year BETWEEN p.y0 AND p.y1
    WHERE ($scope IS NULL OR x.eff_unit IN (SELECT unit_code FROM scope_units))
      AND NOT EXISTS (SELECT 1 FROM all_resp m WHERE m.eff_unit = x.eff_unit AND m.survey_year = x.survey_year)
)
-- Every branch: (p_key, tag, g_key, is_total, item_code, item_type, element_no, x, y, z).
SELECT p_key, 'item', g_key, GROUPING(g_key) = 1, item_code, any_value(item_type), any_value(element_no),
       count(*) FILTER (WHERE is_valid)::DOUBLE, count(*) FILTER (WHERE is_favourable)::DOUBLE,
       count(*) FILTER (WHERE NOT is_valid)::DOUBLE
FROM answers GROUP BY GROUPING SETS ((p_key, g_key, item_code), (p_key, item_code))
UNION ALL   -- criteria answered on forms that do not ask the element's satisfaction question
SELECT p_key, 'criteria_only', g_key, GROUPING(g_key) = 1, item_code, 'criterion', any_value(element_no),
       count(*) FILTER (WHERE is_valid)::DOUBLE, count(*) FILTER (WHERE is_favourable)::DOUBLE, 0
FROM answers WHERE criteria_only
GROUP BY GROUPING SETS ((p_key, g_key, item_code), (p_key, item_code))
UNION ALL   -- …and how many questionnaires gave at least one valid answer to those criteria
SELECT p_key, 'criteria_only_n', g_key, GROUPING(g_key) = 1, NULL, NULL, element_no,
       count(DISTINCT source || chr(31) || response_id)::DOUBLE, 0, 0
FROM answers WHERE criteria_only AND is_valid
GROUP BY GROUPING SETS ((p_key, g_key, element_no), (p_key, element_no))
UNION ALL
SELECT p_key, 'questionnaires', g_key, GROUPING(g_key) = 1, NULL, NULL, NULL,
       count(*)::DOUBLE, count(*) FILTER (WHERE has_valid)::DOUBLE, 0
FROM resp GROUP BY GROUPING SETS ((p_key, g_key), (p_key))
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


_DATED = """SELECT {i} AS p_key, x.* FROM all_resp x
    WHERE CASE WHEN x.survey_date IS NOT NULL THEN x.survey_date BETWEEN $a{i}::DATE AND $b{i}::DATE
               ELSE x.survey_year BETWEEN $c{i} AND $d{i} END"""


def counts_sql(by: str | None, periods_sql: str, period_count: int) -> str:
    """The counts of each of the `period_count` periods of periods_sql (periods_values), tagged with its position."""
    dated = "\n    UNION ALL ".join(_DATED.format(i=i) for i in range(period_count))
    return _SQL.format(group_expr=GROUP_EXPR[by], unit_key=norm_key_sql("r.unit_text"),
                       agg_unit_key=norm_key_sql("a.unit_text"), periods_sql=periods_sql, dated=dated)
