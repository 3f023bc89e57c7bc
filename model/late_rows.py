"""The rows of the late-dossier list: one per dossier from the per-dossier facts, stored at load for those that can be late."""
from .units import NAMED_UNITS_SQL

__all__ = ["LIST_ROWS_SQL"]

# One row per received dossier with what the list shows, from the per-dossier facts every figure uses
# (model/facts.py: F, due, returned, late by supplements). A load stores these rows for the dossiers that can be
# late (late_dossier_rows, built by model/aggregates.py: a few per cent of all), so the list
# (indicators/dossier_list.py) reads that instead of every dossier. {facts}: the facts as a table or a subquery.
LIST_ROWS_SQL = """
    SELECT f.source, f.dossier_code, f.unit_code, coalesce(u.display_name, f.unit_text) AS unit_name,
        f.procedure_code, f.procedure_name, f.procedure_key, f.field_key AS field,
        f.r_date, f.f_date, f.due_date, f.is_returned, f.is_supplemented_twice,
        f.r_date AS received_date, f.f_date AS finished_date,
        f.supplement_count, f.is_apology_issued AS apology_issued, f.status_code, f.status_text
    FROM {facts} f LEFT JOIN """ + NAMED_UNITS_SQL + """ u ON u.unit_code = f.unit_code"""
