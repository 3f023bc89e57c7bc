"""The reform plan's tasks at a cut-off date D (plan-tasks.md): each nhiệm vụ in exactly one bucket — done on time,
done late, under way, overdue, recurring — per issuing unit, lead unit, area and the city, chỉ tiêu counted apart;
the overdue list; the change since each plan's previous report; the unreadable deadlines and the progress lines no
task was found for. Read by `python -m indicators tasks`, the page Kế hoạch CCHC, the leadership report, PAR
INDEX's data check and the inspection pack."""
from __future__ import annotations

import collections
import contextlib
import re
from datetime import date

from common.formats import vn_int
from model.plan_done import DONE_RATES_TABLE, done_rate_rows, plan_done_is_fresh, year_end_cutoff
from model.plan_tasks import DONE_BUCKETS, STATUS_SQL, matched_progress_sql, plan_tasks_sql

from .coverage import vi_sort_key
from .database_state import database_state
from .engine import resolve_unit
from .units import descendants, list_units
from .view_cache import reused_in_view

__all__ = ["GROUPINGS", "BUCKETS", "BUCKET_NAMES", "GROUP_TITLES", "UNMATCHED_REASONS", "plan_years", "plan_owners",
           "report_dates", "default_year", "default_cutoff",
           "compute_tasks", "progress_sentence", "unit_task_summary", "unit_task_status", "plan_done_rate"]

GROUPINGS = ("unit", "lead", "area")
BUCKETS = ("done_on_time", "done_late", "under_way", "overdue", "recurring")
# What a user reads for each bucket, grouping and reason a report line found no task.
BUCKET_NAMES = {"done_on_time": "Hoàn thành đúng hạn", "done_late": "Hoàn thành trễ hạn",
                "under_way": "Đang thực hiện, còn hạn", "overdue": "Quá hạn", "recurring": "Thường xuyên"}
GROUP_TITLES = {"unit": "Đơn vị ban hành kế hoạch", "lead": "Cơ quan chủ trì", "area": "Lĩnh vực cải cách"}
UNMATCHED_REASONS = {"no_plan": "Chưa nạp kế hoạch năm đó của đơn vị",
                     "no_task": "Không khớp mã, số thứ tự hay nội dung nhiệm vụ nào của kế hoạch"}
_DONE = DONE_BUCKETS
NO_LEAD = "Không ghi cơ quan chủ trì"
NO_AREA = "Không ghi lĩnh vực"

# Each task's bucket at D and at its plan's previous report (model/plan_tasks.py STATUS_SQL: the plan done rates
# stored at load read it too).
_STATUS_SQL = STATUS_SQL

# One group's figures; tasks counts nhiệm vụ only, chỉ tiêu are in targets (cli.md).
_COUNTS = f"""
    count(*) FILTER (WHERE NOT is_target) AS tasks,
    count(*) FILTER (WHERE NOT is_target AND bucket IN {_DONE}) AS done,
    count(*) FILTER (WHERE NOT is_target AND bucket = 'done_on_time') AS done_on_time,
    count(*) FILTER (WHERE NOT is_target AND bucket = 'done_late') AS done_late,
    count(*) FILTER (WHERE NOT is_target AND bucket = 'under_way') AS under_way,
    count(*) FILTER (WHERE NOT is_target AND bucket = 'overdue') AS overdue,
    count(*) FILTER (WHERE NOT is_target AND bucket = 'recurring') AS recurring,
    count(*) FILTER (WHERE is_target) AS targets,
    count(*) FILTER (WHERE is_target AND bucket IN {_DONE}) AS targets_done,
    count(*) FILTER (WHERE is_target AND bucket = 'overdue') AS targets_overdue,
    count(*) FILTER (WHERE deadline_kind = 'unreadable') AS unreadable_deadlines,
    count(*) FILTER (WHERE NOT is_target AND previous_bucket IN {_DONE}) AS done_previous,
    count(*) FILTER (WHERE NOT is_target AND previous_bucket = 'overdue') AS overdue_previous,
    count(*) FILTER (WHERE previous_bucket IS NOT NULL) AS _with_previous,
    max(last_report) AS report_date, max(previous_report) AS previous_report_date"""

# --by → (group key, key shown, name, unit code or NULL, sort hint): only these fixed fragments go into the SQL.
_GROUPS = {
    "unit": ("plan_unit", "coalesce(min(plan_unit_code), min(unit_text))", "min(unit_name)", "min(plan_unit_code)",
             "NULL"),
    # a lead naming no unit of the list («Phòng Nội vụ») is an office of the plan's own unit: one row per plan unit
    # (probe 50: Cần Giờ's and Nhà Bè's «Phòng Nội vụ» were one row of six tasks)
    "lead": ("coalesce(lead_code, plan_unit || '|' || lead_key)", "coalesce(min(lead_code), min(lead_text))",
             "min(lead_name)", "min(lead_code)", "NULL"),
    "area": ("area", "area", "area", "NULL", "min(section_no)"),
}
_ROW_KEYS = ("key", "name", "tasks", "done", "done_on_time", "done_late", "under_way", "overdue", "recurring",
             "targets", "targets_done", "unreadable_deadlines")


def plan_years(con) -> list[int]:
    """The years a plan is loaded for, newest first."""
    return [r[0] for r in con.execute("SELECT DISTINCT year FROM plan_tasks ORDER BY 1 DESC").fetchall()]


def plan_owners(con, year: int) -> list[tuple[str, str]]:
    """(unit code, name) of the units whose plan of `year` is loaded and names a unit, in the catalogue's order."""
    codes = {r[0] for r in con.execute(f"SELECT DISTINCT plan_unit_code FROM ({plan_tasks_sql()}) "
                                       "WHERE year = $year AND plan_unit_code IS NOT NULL", {"year": year}).fetchall()}
    return [(u.code, u.name) for u in list_units(con) if u.code in codes]


def report_dates(con, year: int) -> list[date]:
    """The dates progress reports on the year's plans speak of, oldest first."""
    return [r[0] for r in con.execute("SELECT DISTINCT report_date FROM task_progress WHERE year = $year ORDER BY 1",
                                      {"year": year}).fetchall()]


def default_year(con, as_of: date) -> int | None:
    """The plan year a cut-off date reads by default: its own year when a plan is loaded for it, else the newest
    earlier year (a report of January on last year's plan), else the newest year; None without plans."""
    years = plan_years(con)
    return next((y for y in years if y <= as_of.year), years[0] if years else None)


def default_cutoff(con, year: int, today: date | None = None) -> date:
    """Today when it falls within the plan year, else the newest report date on that year's plans (31/12 of the
    year when there is none)."""
    today = today or date.today()
    if today.year == year:
        return today
    dates = report_dates(con, year)
    return dates[-1] if dates else date(year, 12, 31)


def _scope(con, unit: str | None) -> tuple[list[str] | None, str | None]:
    if not unit:
        return None, None
    code, name, _ = resolve_unit(con, unit)
    return [code] + [u.code for u in descendants(con, code)], name


def _params(year: int, as_of: date, scope, by: str) -> dict:
    return {"year": year, "as_of": as_of, "scope": scope if by != "lead" else None,
            "lead_scope": scope if by == "lead" else None}


def _finish(row: dict) -> dict:
    """Rates, the previous report's figures (None when there is no earlier report) and the sentence."""
    row["done_rate"] = row["done"] / row["tasks"] if row["tasks"] else None
    if not row.pop("_with_previous"):
        row["done_previous"] = row["overdue_previous"] = None
    row["sentence"] = progress_sentence(row)
    return row


def _sort_key(row: dict, code, hint, unit_order: dict) -> tuple:
    """Units in the catalogue's order (the city, departments, districts… as everywhere), then names matching no
    unit; areas in the order plans list them; a group without a lead unit or area last."""
    natural = tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", vi_sort_key(row["name"] or "")))
    return (row["key"] is None, unit_order.get(code, len(unit_order)), hint if hint is not None else 99, natural)


def _list(con, sql: str, params: dict | None = None) -> list[dict]:
    cur = con.execute(sql, params or {})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


@contextlib.contextmanager
def _statuses(con, params: dict):
    """Each task's bucket now and at its plan's previous report, computed once and read as the table `scoped` by
    the figures and lists below (the query of every task's newest report line is the costly part: five runs of it
    took 1,5 s on the demo sample, one takes 0,3 s)."""
    con.register("scoped", con.sql(_STATUS_SQL + " SELECT * FROM scoped", params=params).to_arrow_table())
    try:
        yield
    finally:
        con.unregister("scoped")


def compute_tasks(con, as_of: date, year: int | None = None, by: str = "unit", unit: str | None = None) -> dict:
    """The figures of `python -m indicators tasks` (cli.md): {"as_of", "year", "by", "rows": [...], "total",
    "overdue": [...]} and, beside cli.md's keys, per row done_rate, targets_overdue, report_date,
    previous_report_date, done_previous, overdue_previous and sentence; and the lists "changes", "unreadable",
    "unmatched". unit: scope to the plans of that unit and the units under it (with by="lead": the tasks those
    units lead, in any plan)."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    scope, scope_name = _scope(con, unit)
    year = year or default_year(con, as_of)
    out = {"as_of": as_of.isoformat(), "year": year, "by": by, "rows": [], "total": None, "overdue": [],
           "changes": [], "unreadable": [], "unmatched": []}
    if year is None:
        return out
    params = _params(year, as_of, scope, by)
    with _statuses(con, params):
        _fill(con, out, by, scope_name, as_of)
    return _finish_lists(con, out, year, as_of, scope, by)


def _fill(con, out: dict, by: str, scope_name: str | None, as_of: date) -> None:
    """The rows, the total and the lists of compute_tasks, from the registered `scoped` statuses."""
    group, key, name, code, hint = _GROUPS[by]
    rows = _list(con, f"SELECT {key} AS key, {name} AS name, {code} AS _code, {hint} AS _hint, min(unit_name) AS _unit, "
                      f"{_COUNTS} FROM scoped GROUP BY {group}")
    named = collections.Counter(r["name"] for r in rows)
    for r in rows:   # the same office name under two plans: each said with its plan's unit
        unit = r.pop("_unit")
        if by == "lead" and r["_code"] is None and r["name"] and named[r["name"]] > 1 and unit:
            r["name"] = r["key"] = f"{r['name']} ({unit})"
    unit_order = {u.code: i for i, u in enumerate(list_units(con))}
    for r in rows:
        if r["key"] is None:
            r["name"] = NO_LEAD if by == "lead" else NO_AREA
    keyed = sorted(((_sort_key(r, r.pop("_code"), r.pop("_hint"), unit_order), i, r) for i, r in enumerate(rows)))
    out["rows"] = [_finish(r) for _, _, r in keyed]
    total = _list(con, f"SELECT NULL AS key, $total_name AS name, {_COUNTS} FROM scoped",
                  {"total_name": scope_name or "Toàn thành phố"})[0]
    out["total"] = _finish(total)
    out["overdue"] = _list(con, """
        SELECT unit_name AS unit, plan_unit_code AS unit_code, shown_code AS code, task, deadline_date AS deadline,
               datediff('day', deadline_date, $as_of::DATE) AS days_overdue, lead_text AS lead_unit,
               deadline_text, is_target
        FROM scoped WHERE bucket = 'overdue' ORDER BY days_overdue DESC, unit, task_no""", {"as_of": as_of})
    out["changes"] = _list(con, """
        SELECT unit_name AS unit, plan_unit_code AS unit_code, shown_code AS code, task, previous_bucket AS previous,
               bucket AS now, previous_report, last_report AS report, is_target
        FROM scoped WHERE previous_bucket IS NOT NULL AND previous_bucket <> bucket
        ORDER BY unit, task_no""")
    out["unreadable"] = _list(con, """
        SELECT unit_name AS unit, plan_unit_code AS unit_code, shown_code AS code, task, deadline_text,
               lead_text AS lead_unit, is_target, file_name, row_number
        FROM scoped WHERE deadline_kind = 'unreadable' ORDER BY unit, task_no""")


def _finish_lists(con, out: dict, year: int, as_of: date, scope, by: str) -> dict:
    # the report lines of the scope's own plans (a unit account read every unit's, probe 25)
    out["unmatched"] = _unmatched(con, year, as_of, scope)
    for item in out["overdue"]:
        item["deadline"] = item["deadline"].isoformat()
    return out


def _unmatched(con, year: int, as_of: date, scope) -> list[dict]:
    """Report lines up to D that found no task: the plan is not loaded, or no task has that code, number or text."""
    cur = con.execute(f"""
        SELECT coalesce(u.unit_name, l.unit_text) AS unit, u.unit_code, l.report_date, l.file_name AS file, l.sheet,
               l.row_number AS row, coalesce(l.code, l.ref) AS code, l.task, l.status_text,
               CASE WHEN l.has_plan THEN 'no_task' ELSE 'no_plan' END AS reason
        FROM ({matched_progress_sql()}) l LEFT JOIN units u ON u.unit_code = l.plan_unit
        WHERE l.year = $year AND l.report_date <= $as_of AND l.task_no IS NULL
          AND ($scope IS NULL OR list_contains($scope, u.unit_code))
        ORDER BY unit, l.report_date, l.file_name, l.sheet, l.row_number""",
                      {"year": year, "as_of": as_of, "scope": scope})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def progress_sentence(row: dict) -> str:
    """"đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện" — as inspection reports write it (spec seed:
    Sở KH&ĐT, 8/8/2022); with chỉ tiêu "đã hoàn thành 10/10 chỉ tiêu và 61/64 nhiệm vụ, …"; the overdue among
    the open tasks are said in brackets."""
    tasks, done, targets = row["tasks"], row["done"], row["targets"]
    if not tasks and not targets:
        return "chưa có nhiệm vụ nào trong kế hoạch"
    parts = []
    if targets:
        parts.append(f"{vn_int(row['targets_done'])}/{vn_int(targets)} chỉ tiêu")
    if tasks:
        parts.append(f"{vn_int(done)}/{vn_int(tasks)} nhiệm vụ")
    sentence = "đã hoàn thành " + " và ".join(parts)
    if tasks - done:
        sentence += f", {vn_int(tasks - done)} nhiệm vụ đang thực hiện"
        if row["overdue"]:
            sentence += f" (trong đó {vn_int(row['overdue'])} nhiệm vụ quá hạn)"
    return sentence


def unit_task_summary(con, as_of: date, year: int | None = None, unit: str | None = None) -> list[dict]:
    """Per issuing unit (the city's plan, then departments, districts …): the counts of compute_tasks' rows with
    "sentence" ("đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện") and "line" ("Sở Kế hoạch và Đầu tư:
    đã hoàn thành …") — for the Word report's section on the plan's tasks."""
    rows = compute_tasks(con, as_of, year, by="unit", unit=unit)["rows"]
    return [{**r, "line": f"{r['name']}: {r['sentence']}"} for r in rows]


def unit_task_status(con, unit: str, as_of: date, year: int | None = None) -> dict:
    """One unit's plan at D, for the inspection pack: {"row" (its plan's counts and sentence, None without a
    plan), "as_lead" (the tasks of any plan — the city's — this unit leads), "overdue", "changes" (since its
    previous report), "unreadable", "unmatched", "as_of", "year"}."""
    code = resolve_unit(con, unit)[0]
    result = compute_tasks(con, as_of, year, by="unit", unit=code)
    lead = compute_tasks(con, as_of, year, by="lead", unit=code)
    own = [r for r in result["rows"] if r["key"] == code]
    led = [r for r in lead["rows"] if r["key"] == code]
    mine = {k: [x for x in result[k] if x.get("unit_code") == code]
            for k in ("overdue", "changes", "unreadable", "unmatched")}
    return {"as_of": result["as_of"], "year": result["year"], "row": own[0] if own else None,
            "as_lead": led[0] if led else None, **mine}


@reused_in_view()   # whether the done rates stored at load are current: asked once per view
def _done_rates_stored(con) -> bool:
    return plan_done_is_fresh(con, database_state(con))


def plan_done_rate(con, year: int, as_of: date | None = None) -> dict[str, dict]:
    """unit code → {"tasks", "done", "rate" (done / tasks, None without tasks), "as_of"} for every unit with a
    plan of `year` — PAR INDEX's data check of the plan criterion. as_of defaults to the year's end or the newest
    report on that year's plans if later (the year-end report often comes in January): those are stored at load
    (model/plan_done.py), read when current."""
    if as_of is None and _done_rates_stored(con):
        rows = con.execute(f"SELECT as_of, key, tasks, done FROM {DONE_RATES_TABLE} WHERE year = $year",
                           {"year": year}).fetchall()
        return {k: {"tasks": tasks, "done": done, "rate": done / tasks if tasks else None, "as_of": cut}
                for cut, k, tasks, done in rows if k is not None}
    as_of = as_of or year_end_cutoff(con, year)
    # compute_tasks(by="unit")'s rows, their keys and counts only: its lists (overdue, changes, unmatched lines)
    # cost twice the counts and are not read here
    return {k: {"tasks": tasks, "done": done, "rate": done / tasks if tasks else None, "as_of": as_of}
            for k, tasks, done in done_rate_rows(con, year, as_of) if k is not None}
