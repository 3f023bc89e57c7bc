"""After a load: refresh the holidays, field labels, aggregate tables, data coverage, SIPAS summary, PAR INDEX nodes, plan
done rates and newest 766 input lines the dashboard reads."""
from common.formats import vn_int
from etl.dossiers.due_dates import rederive_due_dates
from etl.dossiers.flag_step import flags_false_where_reported
from etl.dossiers.fields import FIELD_LABELS
from etl.references.holidays import write_calendar
from etl.surveys.vocab import SURVEY_FIELD_LABELS
from model.coverage import refresh_coverage
from model.incremental import refresh_aggregates
from model.index766_latest import refresh_index766_latest
from model.par_nodes import refresh_par_nodes
from model.plan_done import refresh_plan_done
from model.sipas_summary import refresh_sipas_summary


def refresh_derived_tables(con, progress=None, after_refresh=()) -> tuple[str, str | None, int | None]:
    """One transaction: readers of the file see the old tables or the new ones, never a mix. after_refresh: more
    refreshers f(con, progress) run last, inside it — the figures the dashboard stores that are computed by
    indicators/, which etl cannot import (the caller hands them over: indicators/stored_figures.py). Returns the
    aggregate tables' (how, why, dossiers changed) of model.incremental.refresh_aggregates."""
    con.execute("BEGIN TRANSACTION")
    try:
        write_calendar(con)
        rederive_due_dates(con)   # only when the catalogue's statutory times or the holidays changed
        flags_false_where_reported(con)   # once per database, before the aggregates that count the flags
        # The loader's Vietnamese column names, in the database because that is what the dashboard reads
        # (indicators/ never imports etl/): a rejected row's values read "Mã hồ sơ=…", not "dossier_code=…".
        con.execute("CREATE OR REPLACE TABLE field_labels (field VARCHAR PRIMARY KEY, label VARCHAR NOT NULL)")
        labels = sorted({**SURVEY_FIELD_LABELS, **FIELD_LABELS}.items())
        con.executemany("INSERT INTO field_labels VALUES (?, ?)", labels)
        if progress:
            progress("Đang tính các bảng tổng hợp cho bảng điều khiển…")
        how, why, changed = refresh_aggregates(con)
        if progress:
            progress("Đã dựng lại các bảng tổng hợp cho bảng điều khiển." if how == "full" else
                     f"Đã cập nhật các bảng tổng hợp theo {vn_int(changed)} hồ sơ mới hoặc thay đổi." if changed else
                     "Các bảng tổng hợp đã khớp với dữ liệu, không cần tính lại.")
        refresh_coverage(con)
        refresh_sipas_summary(con)   # rebuilt only when the questionnaires, answers or unit names changed
        refresh_par_nodes(con)   # rebuilt only when the PAR framework, scores or survey points changed
        refresh_plan_done(con)   # rebuilt only when the plans, their reports or the units changed
        refresh_index766_latest(con)   # rebuilt only when the 766 inputs changed
        for refresh in after_refresh:
            refresh(con, progress)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return how, why, changed
