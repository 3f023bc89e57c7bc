"""Which task of which plan a progress line speaks of — the one matching rule (plan-tasks.md, "Whose plan, which
task"), used by the loader's summary (etl/plans) and by the figures (indicators/tasks.py).

A line belongs to the plan of its unit and year (the unit matched by code, name or alias as everywhere, so a plan
and its reports meet however each names the unit). Within that plan it finds its task by code, else by section
and number ("I.2", from its own table or written in its code cell), else by the task's text — compared by
common/text.py norm_key: without case, accents, punctuation or extra spaces (reports retype the plan's text, often
without accents). Each way counts only when it names exactly one task of the plan."""

from .unit_names import unit_by_name_sql

__all__ = ["DONE_BUCKETS", "STATUS_SQL", "plan_tasks_sql", "matched_progress_sql"]

# The unit a plan, a progress line or a lead unit written by name answers to when read (model/unit_names.py).
_PLAN_UNIT_JOINS, _PLAN_UNIT = unit_by_name_sql("t.unit_key", "plan_unit", "t.unit_code IS NULL")
_LINE_UNIT_JOINS, _LINE_UNIT = unit_by_name_sql("p.unit_key", "line_unit", "p.unit_code IS NULL")
_LEAD_UNIT_JOINS, _LEAD_UNIT = unit_by_name_sql("n.lead_key", "lead_unit")


def plan_tasks_sql() -> str:
    """plan_tasks with plan_unit (the issuing unit's code, or 'ten:' and its name's key) and plan_unit_code."""
    return f"""SELECT t.*, coalesce(t.unit_code, {_PLAN_UNIT}) AS plan_unit_code,
                      coalesce(t.unit_code, {_PLAN_UNIT}, 'ten:' || t.unit_key) AS plan_unit
               FROM plan_tasks t {_PLAN_UNIT_JOINS}"""


def matched_progress_sql(lines_where: str = "true") -> str:
    """Every task_progress line with plan_unit, task_no (NULL: no task found), matched_by ('code', 'ref', 'text'),
    text_task_no (the one task its text names, whatever matched) and has_plan (a plan of that unit and year is
    loaded). lines_where: a fixed condition on the lines (alias p) written by the caller, never user text — the
    loader matches only the sheet it has just loaded."""
    line_id = "l.year, l.plan_key, l.report_date, l.line_no"
    same_plan = "t.year = l.year AND t.plan_unit = l.plan_unit"
    return f"""
    WITH tasks AS ({plan_tasks_sql()}),
    lines AS (SELECT p.*, coalesce(p.unit_code, {_LINE_UNIT}, 'ten:' || p.unit_key) AS plan_unit
              FROM task_progress p {_LINE_UNIT_JOINS}
              WHERE {lines_where}),
    hits AS (
        SELECT {line_id}, 1 AS way, t.task_no FROM lines l JOIN tasks t ON {same_plan} AND t.code_key = l.code_key
        UNION ALL
        SELECT {line_id}, 2, t.task_no FROM lines l JOIN tasks t ON {same_plan}
            AND (t.ref_key = l.ref_key OR t.ref_key = l.code_key)
        UNION ALL
        SELECT {line_id}, 3, t.task_no FROM lines l JOIN tasks t ON {same_plan} AND t.task_key = l.task_key),
    single AS (     -- a way counts when it names exactly one task
        SELECT year, plan_key, report_date, line_no, way, min(task_no) AS task_no FROM hits
        GROUP BY ALL HAVING count(DISTINCT task_no) = 1),
    best AS (
        SELECT year, plan_key, report_date, line_no, arg_min(task_no, way) AS task_no, min(way) AS way,
               max(task_no) FILTER (WHERE way = 3) AS text_task_no
        FROM single GROUP BY ALL)
    SELECT l.*, b.task_no, CASE b.way WHEN 1 THEN 'code' WHEN 2 THEN 'ref' WHEN 3 THEN 'text' END AS matched_by,
           b.text_task_no,
           EXISTS (SELECT 1 FROM tasks t WHERE t.year = l.year AND t.plan_unit = l.plan_unit) AS has_plan
    FROM lines l LEFT JOIN best b USING (year, plan_key, report_date, line_no)"""


# The buckets of a task done (on time or late).
DONE_BUCKETS = "('done_on_time', 'done_late')"

# Parameters: $year, $as_of (DATE), $scope (unit codes, or NULL: every plan), $lead_scope (same, for lead units).
# Each cut-off is a moment: 'now' is D; 'prev' is the date of the report before each plan's newest report ≤ D.
STATUS_SQL = f"""
WITH tasks AS (SELECT * FROM ({plan_tasks_sql()}) WHERE year = $year),
lines AS (SELECT * FROM ({matched_progress_sql()}) WHERE year = $year),
reports AS (SELECT DISTINCT plan_unit, report_date FROM lines),
latest AS (SELECT plan_unit, max(report_date) AS report_date FROM reports WHERE report_date <= $as_of GROUP BY 1),
prev AS (SELECT r.plan_unit, max(r.report_date) AS report_date FROM reports r JOIN latest l USING (plan_unit)
         WHERE r.report_date < l.report_date GROUP BY 1),
cutoffs AS (SELECT DISTINCT plan_unit, 'now' AS moment, $as_of::DATE AS cut FROM tasks
            UNION ALL SELECT plan_unit, 'prev', report_date FROM prev),
said AS (       -- the newest line about each task at each cut-off; a report dated after the cut-off is not read
    SELECT c.moment, l.plan_unit, l.task_no, l.status, l.completed_date, l.report_date,
           row_number() OVER task_lines AS newest,
           -- a done task without a completion date was done when a report first said so (or on the date an
           -- earlier report gave): every later report repeating "Hoàn thành" would otherwise make it later
           min(CASE WHEN l.status IN ('done', 'done_late') THEN coalesce(l.completed_date, l.report_date) END)
               OVER (PARTITION BY c.moment, l.plan_unit, l.task_no) AS first_done
    FROM lines l JOIN cutoffs c ON c.plan_unit = l.plan_unit AND l.report_date <= c.cut
    WHERE l.task_no IS NOT NULL
    WINDOW task_lines AS (PARTITION BY c.moment, l.plan_unit, l.task_no
                          ORDER BY l.report_date DESC, l.import_id DESC, l.line_no DESC)),
judged AS (
    SELECT t.*, c.moment, s.status AS reported_status, s.report_date AS reported_on,
           coalesce(s.completed_date, s.first_done) AS completed_on,
           CASE WHEN s.status IN ('done', 'done_late')
                     AND (s.status = 'done_late' OR (t.deadline_kind = 'date'
                          AND coalesce(s.completed_date, s.first_done) > t.deadline_date)) THEN 'done_late'
                WHEN s.status IN ('done', 'done_late') THEN 'done_on_time'
                WHEN t.deadline_kind = 'recurring' THEN 'recurring'
                WHEN t.deadline_kind = 'date' AND t.deadline_date < c.cut THEN 'overdue'
                ELSE 'under_way' END AS bucket
    FROM tasks t JOIN cutoffs c USING (plan_unit)
    LEFT JOIN said s ON s.moment = c.moment AND s.plan_unit = t.plan_unit AND s.task_no = t.task_no AND s.newest = 1),
status AS (
    SELECT n.*, p.bucket AS previous_bucket, pr.report_date AS previous_report, la.report_date AS last_report,
           coalesce(u.unit_name, n.unit_text) AS unit_name, u.level AS unit_level,
           {_LEAD_UNIT} AS lead_code, coalesce(lu.unit_name, n.lead_text) AS lead_name,
           coalesce(n.code, n.ref) AS shown_code
    FROM judged n
    LEFT JOIN judged p ON p.moment = 'prev' AND p.plan_unit = n.plan_unit AND p.task_no = n.task_no
    LEFT JOIN prev pr ON pr.plan_unit = n.plan_unit
    LEFT JOIN latest la ON la.plan_unit = n.plan_unit
    LEFT JOIN units u ON u.unit_code = n.plan_unit_code
    {_LEAD_UNIT_JOINS}
    LEFT JOIN units lu ON lu.unit_code = {_LEAD_UNIT}
    WHERE n.moment = 'now'),
scoped AS (
    SELECT * FROM status
    WHERE ($scope IS NULL OR list_contains($scope, plan_unit_code))
      -- a lead named by no unit of the list («Phòng Nội vụ», «Văn phòng») is an office of the plan's own unit
      AND ($lead_scope IS NULL OR list_contains($lead_scope, lead_code)
           OR (lead_code IS NULL AND list_contains($lead_scope, plan_unit_code))))
"""
