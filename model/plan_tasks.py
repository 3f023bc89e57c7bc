"""Which task of which plan a progress line speaks of — the one matching rule (plan-tasks.md, "Whose plan, which
task"), used by the loader's summary (etl/plans) and by the figures (indicators/tasks.py).

A line belongs to the plan of its unit and year (the unit matched by code, name or alias as everywhere, so a plan
and its reports meet however each names the unit). Within that plan it finds its task by code, else by section
and number ("I.2", from its own table or written in its code cell), else by the task's text — compared by
common/text.py norm_key: without case, accents, punctuation or extra spaces (reports retype the plan's text, often
without accents). Each way counts only when it names exactly one task of the plan."""

__all__ = ["UNIT_KEYS_SQL", "plan_tasks_sql", "matched_progress_sql"]

# Names one unit answers to (the loader's unit_key_codes, written out: the dashboard's read-only connection has no
# temp views).
UNIT_KEYS_SQL = """SELECT unit_key, min(unit_code) AS unit_code FROM unit_keys GROUP BY unit_key
                   HAVING count(DISTINCT unit_code) = 1"""


def plan_tasks_sql() -> str:
    """plan_tasks with plan_unit (the issuing unit's code, or 'ten:' and its name's key) and plan_unit_code."""
    return f"""SELECT t.*, coalesce(t.unit_code, k.unit_code) AS plan_unit_code,
                      coalesce(t.unit_code, k.unit_code, 'ten:' || t.unit_key) AS plan_unit
               FROM plan_tasks t LEFT JOIN ({UNIT_KEYS_SQL}) k ON t.unit_code IS NULL AND k.unit_key = t.unit_key"""


def matched_progress_sql(lines_where: str = "true") -> str:
    """Every task_progress line with plan_unit, task_no (NULL: no task found), matched_by ('code', 'ref', 'text'),
    text_task_no (the one task its text names, whatever matched) and has_plan (a plan of that unit and year is
    loaded). lines_where: a fixed condition on the lines (alias p) written by the caller, never user text — the
    loader matches only the sheet it has just loaded."""
    line_id = "l.year, l.plan_key, l.report_date, l.line_no"
    same_plan = "t.year = l.year AND t.plan_unit = l.plan_unit"
    return f"""
    WITH tasks AS ({plan_tasks_sql()}),
    lines AS (SELECT p.*, coalesce(p.unit_code, k.unit_code, 'ten:' || p.unit_key) AS plan_unit
              FROM task_progress p LEFT JOIN ({UNIT_KEYS_SQL}) k ON p.unit_code IS NULL AND k.unit_key = p.unit_key
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
