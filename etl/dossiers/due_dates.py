"""Due dates an export leaves empty, derived from the procedure's statutory time in working days (dossiers.md)."""
from model.facts import NAMED_PROCEDURES_SQL
from model.freshness import fingerprint

# dossiers.md: "Where an export has no due date but the procedure catalogue has a statutory time in working days,
# the due date may be derived … A derived due date is marked as derived." It is derived once, when the dossier is
# written (dossiers.due_at, is_due_derived), so every figure, list and route reads it like an exported one and no
# read pays for it; rederive_due_dates() derives again when the catalogue or the holidays change.
#
# Working days are Monday–Friday without the public holidays, and the weekend days worked in exchange (tables
# `holidays` and `weekend_workdays`: etl/references/holidays.py), the rule of the facts' `workdays`; a receipt on a day off counts from the next working day (a Saturday receipt from
# Monday), as the sample's generator counts (sample/workdays.py, numpy's busday_offset). Only the years the holiday
# calendar covers get a derived date: elsewhere Tết would count as working days, and the due date stays empty (then
# on time, indicators.md §1). The calendar: every day of the covered years with idx, the number of working days up
# to and including it; the due date of a receipt on day r after n working days is the working day whose idx is
# idx(r) + n, one more when r is a day off.
_CALENDAR_SQL = """
    SELECT day, working, sum(working::INTEGER) OVER (ORDER BY day) AS idx FROM (
        SELECT CAST(r.d AS DATE) AS day,
               (isodow(r.d) <= 5 AND h.holiday_date IS NULL) OR w.work_date IS NOT NULL AS working
        FROM (SELECT min(holiday_date) AS lo, max(holiday_date) AS hi FROM holidays) b,
             range(date_trunc('year', b.lo), date_trunc('year', b.hi) + INTERVAL 1 YEAR, INTERVAL 1 DAY) r(d)
        LEFT JOIN holidays h ON h.holiday_date = CAST(r.d AS DATE)
        LEFT JOIN weekend_workdays w ON w.work_date = CAST(r.d AS DATE))"""
# The statutory time of a dossier's procedure: by its code, or — an export that names the procedure without its code
# (probe 15: the national portal's «Tên thủ tục» alone) — by its name, when the catalogue gives that name one time.
# A key both sides compute: the code, else '#' and the name's key.
DOSSIER_PROCEDURE_KEY = "coalesce({t}.procedure_code, '#' || norm_key({t}.procedure_name))"
STATUTORY_DAYS_SQL = f"""
    SELECT procedure_code AS proc_key, statutory_days FROM procedures WHERE statutory_days IS NOT NULL
    UNION ALL
    SELECT '#' || name_key, statutory_days FROM ({NAMED_PROCEDURES_SQL}) WHERE statutory_days IS NOT NULL"""
_STATE_TABLE = "due_date_state"
_RULE_INPUTS = ("holidays", "weekend_workdays", "procedures")


def fill_derived_due(con, table: str, where: str = "true") -> None:
    """Sets due_at and is_due_derived on the rows of `table` (dossiers, or a load's incoming rows: the columns of
    the dossiers table) that have no due date and whose procedure has a statutory time. The dates are worked out
    once per receipt day and number of days, not per dossier."""
    key = DOSSIER_PROCEDURE_KEY.format(t="t")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _statutory AS {STATUTORY_DAYS_SQL}")
    candidates = f"""FROM {table} t JOIN _statutory p ON p.proc_key = {key}
                     WHERE t.due_at IS NULL AND t.received_at IS NOT NULL AND {where}"""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _derived_due AS
        WITH cal AS ({_CALENDAR_SQL}),
             asked AS (SELECT DISTINCT CAST(t.received_at AS DATE) AS r_date, p.statutory_days AS n {candidates})
        SELECT a.r_date, a.n, w.day AS due
        FROM asked a JOIN cal c ON c.day = a.r_date
        JOIN (SELECT idx, day FROM cal WHERE working) w ON w.idx = c.idx + (NOT c.working)::INTEGER + a.n""")
    if con.execute("SELECT count(*) FROM _derived_due").fetchall()[0][0]:   # else nothing to derive: no scan of table
        con.execute(f"""UPDATE {table} t SET due_at = CAST(x.due AS TIMESTAMP), is_due_derived = true
            FROM _derived_due x, _statutory p
            WHERE p.proc_key = {key} AND t.due_at IS NULL AND x.r_date = CAST(t.received_at AS DATE)
              AND x.n = p.statutory_days AND {where}""")
    con.execute("DROP TABLE _derived_due")
    con.execute("DROP TABLE _statutory")


def rederive_due_dates(con) -> None:
    """After a load: when the procedures' statutory times or the holidays are not those the derived dates were
    worked out with, every derived date is worked out again (a catalogue loaded after the dossiers gives them their
    dates then). The aggregate tables follow: both tables are inputs of theirs, so a change rebuilds them."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {_STATE_TABLE} (rule_inputs VARCHAR)")
    now = fingerprint(con, _RULE_INPUTS)
    if con.execute(f"SELECT count(*) FROM {_STATE_TABLE} WHERE rule_inputs = ?", [now]).fetchall()[0][0]:
        return
    con.execute("UPDATE dossiers SET due_at = NULL, is_due_derived = false WHERE is_due_derived")
    fill_derived_due(con, "dossiers")
    con.execute(f"DELETE FROM {_STATE_TABLE}")
    con.execute(f"INSERT INTO {_STATE_TABLE} VALUES (?)", [now])
