"""SIPAS answer counts per unit, day and item, stored at load so a view sums them instead of joining every answer."""
import hashlib

from common.text import norm_key_sql

from .stored_tables import refresh_stored, stored_is_fresh
from .unit_names import unit_by_name_sql

__all__ = ["ANSWERS_TABLE", "CRITERIA_ONLY_SQL", "CRITERIA_ONLY_TABLE", "EFFECTIVE_UNIT_SQL", "QUESTIONNAIRES_TABLE",
           "SUMMARY_LAYOUT", "refresh_sipas_summary", "summary_is_fresh"]

QUESTIONNAIRES_TABLE = "sipas_questionnaire_counts"
ANSWERS_TABLE = "sipas_answer_counts"
CRITERIA_ONLY_TABLE = "sipas_criteria_only_counts"
_STATE_TABLE = "sipas_summary_state"

# The unit a questionnaire counts for (the CTE all_resp, shared with indicators/sipas_sql.py's live query): its unit
# code, else the one unit its name answers to now (as the loader matches names, short forms included), so a unit
# added or aliased after the survey was loaded takes its questionnaires without reloading them.
_RESP_UNIT_JOINS, _RESP_UNIT = unit_by_name_sql(norm_key_sql("r.unit_text"), "resp_unit", "r.unit_code IS NULL")
# eff_name: the name's key of a questionnaire no unit answers to, so that published results for the same name are
# not added on top of its questionnaires (indicators/sipas_sql.py).
EFFECTIVE_UNIT_SQL = f"""all_resp AS (
    SELECT *, CASE WHEN eff_unit IS NULL THEN {norm_key_sql("unit_text")} END AS eff_name FROM (
        SELECT r.*, coalesce(r.unit_code, {_RESP_UNIT}) AS eff_unit
        FROM survey_responses r
            {_RESP_UNIT_JOINS})
)"""

# A criterion whose element's satisfaction question the form does not ask (a = the answer, r = its questionnaire).
CRITERIA_ONLY_SQL = "a.item_type = 'criterion' AND NOT list_contains(r.satisfaction_asked, a.element_no)"

# Keyed by everything the SIPAS query filters or groups questionnaires by: the unit (any grouping and scope is
# found from it when read, so a units load that only moves units in the tree needs no rebuild), the day (or none)
# and the survey year (periods pick dated questionnaires by day, the others by year). A questionnaire has one unit
# and one day, so the distinct questionnaires of sipas_criteria_only_counts add up across units and days.
_ANSWERS = """SELECT r.eff_unit, r.survey_date, r.survey_year, r.source, r.response_id, a.item_code, a.item_type,
           a.element_no, a.is_valid, a.is_favourable, {criteria_only} AS criteria_only
    FROM all_resp r JOIN survey_answers a ON a.source = r.source AND a.response_id = r.response_id"""
_BUILD = {
    QUESTIONNAIRES_TABLE: """SELECT eff_unit, eff_name, survey_date, survey_year, count(*) AS questionnaires,
           count(*) FILTER (WHERE answer_count > invalid_answer_count) AS valid_questionnaires
    FROM all_resp GROUP BY ALL""",
    ANSWERS_TABLE: """SELECT eff_unit, survey_date, survey_year, item_code, item_type, element_no, criteria_only,
           count(*) FILTER (WHERE is_valid) AS valid, count(*) FILTER (WHERE is_favourable) AS favourable,
           count(*) FILTER (WHERE NOT is_valid) AS invalid
    FROM answers GROUP BY ALL""",
    CRITERIA_ONLY_TABLE: """SELECT eff_unit, survey_date, survey_year, element_no,
           count(DISTINCT (source, response_id)) AS questionnaires
    FROM answers WHERE criteria_only AND is_valid GROUP BY ALL""",
}
_PREFIX = "WITH " + EFFECTIVE_UNIT_SQL + ",\nanswers AS (" + _ANSWERS.format(criteria_only=CRITERIA_ONLY_SQL) + ")\n"

# The rules the tables are built by: tables built under other rules are not read (the live query answers) until
# the next load rebuilds them.
SUMMARY_LAYOUT = hashlib.sha256(repr((_PREFIX, _BUILD)).encode("utf-8")).hexdigest()[:16]

# The tables the summary is built from, each digested whole (row count and the sum of its rows' hashes; none holds
# two equal rows): ~20 ms on the full sample's 768.000 answers, 1 thread. Whole rows rather than counts and import
# ids so that any change counts (an answer re-judged, a questionnaire's unit attached by a units load, unit_keys
# rewritten so a name answers to another unit), whichever loader made it.
_INPUTS = ("survey_responses", "survey_answers", "unit_keys")


def _build(con) -> None:
    for table, select in _BUILD.items():
        con.execute(f"CREATE OR REPLACE TABLE {table} AS {_PREFIX}{select}")


def refresh_sipas_summary(con) -> bool:
    """After a load (inside its transaction): rebuilds the summary tables when their inputs or rules changed
    (True), else only notes that they were checked after the last import (False: a dossier load pays the
    fingerprint, ~20 ms on the full sample, not the build, ~0,25 s)."""
    return refresh_stored(con, _STATE_TABLE, SUMMARY_LAYOUT, _INPUTS, _build)


def summary_is_fresh(con, state=None) -> bool:
    """True when the summary tables were built under these rules and checked after the last import: a database
    made by an older version (no tables) or loaded by one since (a newer import) is counted from the answers."""
    return stored_is_fresh(con, _STATE_TABLE, SUMMARY_LAYOUT, state)
