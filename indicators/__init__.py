"""Figures of the CCHC dashboard: periods, indicator definitions as data, and the one engine that counts them."""
from .definitions import INDICATORS, PERIOD_COLUMNS, get_indicator
from .dossier_list import get_dossier_detail, list_late_dossiers
from .engine import UnknownUnitError, compute_indicator, compute_period_table, resolve_unit
from .index766 import compute_index766, load_index766_config
from .par import compute_par, par_years, points_lost_by_area
from .periods import Period
from .sipas import compute_sipas, sipas_catalogue, sipas_change, survey_years, weakest_criteria
from .tasks import compute_tasks, plan_done_rate, unit_task_status, unit_task_summary

__all__ = ["INDICATORS", "PERIOD_COLUMNS", "Period", "UnknownUnitError", "compute_indicator",
           "compute_period_table", "get_indicator", "resolve_unit",
           "list_late_dossiers", "get_dossier_detail",
           "compute_index766", "load_index766_config", "compute_par", "par_years", "points_lost_by_area",
           "compute_sipas", "sipas_change", "weakest_criteria", "sipas_catalogue", "survey_years",
           "compute_tasks", "unit_task_summary", "unit_task_status", "plan_done_rate"]
