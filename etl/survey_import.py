"""The importer's entry for kind 'survey': route a sheet to the questionnaire or the aggregate loader, merge counts."""
from etl.survey_aggregates import load_aggregates_sheet
from etl.survey_header import SurveyMatch
from etl.survey_load import load_survey_sheet

_SUMMED = ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected", "rows_skipped")


def import_survey_sheet(con, grid, match: SurveyMatch, result: dict, *, import_id: int, file_name: str,
                        source: str | None, as_of, title_rows: list[list], extra_aliases=()) -> None:
    """Loads one recognized sheet inside the importer's transaction and adds its counts to the file's result."""
    if match.layout == "aggregates":
        counts = load_aggregates_sheet(con, grid, match, import_id=import_id, file_name=file_name, source=source)
    else:
        counts = load_survey_sheet(con, grid, match, import_id=import_id, file_name=file_name, source=source,
                                   as_of=as_of, title_rows=title_rows, extra_aliases=extra_aliases)
    for key in _SUMMED:
        result[key] += counts[key]
    result["rejects"] += counts["rejects"]
    result["unrecognized_values"] += counts["unrecognized_values"]
    result["warnings"] += counts["warnings"]
    result["invalid_answers"] = result.get("invalid_answers", 0) + counts["invalid_answers"]
    result["unmatched_units"] += [u for u in counts["unmatched_units"] if u not in result["unmatched_units"]]
    result["layout"] = match.layout
    result["source"] = counts["source"]
