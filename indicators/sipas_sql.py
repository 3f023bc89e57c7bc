"""The one scoped query behind the SIPAS figures: answer counts per group, for the period's questionnaires."""
from __future__ import annotations

from common.text import norm_key_sql

from .scope import SCOPE_AND_TREE_SQL

__all__ = ["GROUP_EXPR", "counts_sql"]

# Only fixed fragments chosen from this whitelist are assembled; every value is a bound $parameter:
# $p0, $p1 (DATE), $y0, $y1 (the survey years of the period: periods.survey_year_range), $scope (unit code or NULL),
# $group_level (level walked up to, or NULL).
GROUP_EXPR = {"unit": "x.eff_unit", "level": "u.level", "district": "gm.g_code", "department": "gm.g_code",
              None: "NULL"}

_SQL = SCOPE_AND_TREE_SQL + """,
ukeys AS (      -- names that one unit answers to (as the loader matches them): a unit added or aliased later joins
    SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY unit_key HAVING count(DISTINCT unit_code) = 1
),
all_resp AS (
    SELECT r.*, coalesce(r.unit_code, k.unit_code) AS eff_unit
    FROM survey_responses r LEFT JOIN ukeys k ON r.unit_code IS NULL AND k.unit_key = {unit_key}
),
-- A dated questionnaire belongs to the period holding its date; one with only a year, to any period
-- touching that year (SIPAS is a yearly survey); an official window touches the years of the months it stands for.
resp AS (
    SELECT x.source, x.response_id, x.satisfaction_asked, x.answer_count > x.invalid_answer_count AS has_valid,
           {group_expr} AS g_key
    FROM all_resp x
    LEFT JOIN units u ON u.unit_code = x.eff_unit
    LEFT JOIN group_map gm ON gm.unit_code = x.eff_unit
    WHERE CASE WHEN x.survey_date IS NOT NULL THEN x.survey_date BETWEEN $p0::DATE AND $p1::DATE
               ELSE x.survey_year BETWEEN $y0 AND $y1 END
      AND ($scope IS NULL OR x.eff_unit IN (SELECT unit_code FROM scope_units))
),
answers AS (
    SELECT r.g_key, r.source, r.response_id, r.satisfaction_asked, a.item_type, a.item_code, a.element_no, a.is_valid,
           a.is_favourable
    FROM resp r JOIN survey_answers a ON a.source = r.source AND a.response_id = r.response_id
),
-- Published results count only for a unit and year without questionnaires of its own.
agg AS (
    SELECT {group_expr} AS g_key, x.*
    FROM (SELECT a.*, coalesce(a.unit_code, k.unit_code) AS eff_unit
          FROM survey_aggregates a LEFT JOIN ukeys k ON a.unit_code IS NULL AND k.unit_key = {agg_unit_key}) x
    LEFT JOIN units u ON u.unit_code = x.eff_unit
    LEFT JOIN group_map gm ON gm.unit_code = x.eff_unit
    WHERE x.survey_year BETWEEN $y0 AND $y1
      AND ($scope IS NULL OR x.eff_unit IN (SELECT unit_code FROM scope_units))
      AND NOT EXISTS (SELECT 1 FROM all_resp m WHERE m.eff_unit = x.eff_unit AND m.survey_year = x.survey_year)
)
-- Every branch: (tag, g_key, is_total, item_code, item_type, element_no, x, y, z).
SELECT 'item', g_key, GROUPING(g_key) = 1, item_code, any_value(item_type), any_value(element_no),
       count(*) FILTER (WHERE is_valid)::DOUBLE, count(*) FILTER (WHERE is_favourable)::DOUBLE,
       count(*) FILTER (WHERE NOT is_valid)::DOUBLE
FROM answers GROUP BY GROUPING SETS ((g_key, item_code), (item_code))
UNION ALL   -- criteria answered on forms that do not ask the element's satisfaction question
SELECT 'criteria_only', g_key, GROUPING(g_key) = 1, item_code, 'criterion', any_value(element_no),
       count(*) FILTER (WHERE is_valid)::DOUBLE, count(*) FILTER (WHERE is_favourable)::DOUBLE, 0
FROM answers WHERE item_type = 'criterion' AND NOT list_contains(satisfaction_asked, element_no)
GROUP BY GROUPING SETS ((g_key, item_code), (item_code))
UNION ALL   -- …and how many questionnaires gave at least one valid answer to those criteria
SELECT 'criteria_only_n', g_key, GROUPING(g_key) = 1, NULL, NULL, element_no,
       count(DISTINCT source || chr(31) || response_id)::DOUBLE, 0, 0
FROM answers WHERE item_type = 'criterion' AND is_valid AND NOT list_contains(satisfaction_asked, element_no)
GROUP BY GROUPING SETS ((g_key, element_no), (element_no))
UNION ALL
SELECT 'questionnaires', g_key, GROUPING(g_key) = 1, NULL, NULL, NULL,
       count(*)::DOUBLE, count(*) FILTER (WHERE has_valid)::DOUBLE, 0
FROM resp GROUP BY GROUPING SETS ((g_key), ())
UNION ALL
SELECT 'published', g_key, GROUPING(g_key) = 1, NULL, NULL, element_no,
       sum(respondent_count)::DOUBLE, sum(satisfied_rate * respondent_count), 0
FROM agg GROUP BY GROUPING SETS ((g_key, element_no), (element_no))
UNION ALL   -- a published unit-year counts its largest element sample as its questionnaires
SELECT 'published_n', g_key, GROUPING(g_key) = 1, NULL, NULL, NULL, sum(n)::DOUBLE, 0, 0
FROM (SELECT g_key, source, unit_text, survey_year, max(respondent_count) AS n FROM agg GROUP BY ALL)
GROUP BY GROUPING SETS ((g_key), ())"""


def counts_sql(by: str | None) -> str:
    return _SQL.format(group_expr=GROUP_EXPR[by], unit_key=norm_key_sql("r.unit_text"),
                       agg_unit_key=norm_key_sql("a.unit_text"))
