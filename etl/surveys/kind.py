"""The importer's entry for kind 'survey': route a sheet to the questionnaire or the aggregate loader, merge counts."""
from etl.surveys.aggregates import load_aggregates_sheet
from etl.surveys.header import SurveyMatch
from etl.surveys.responses import load_survey_sheet

_SUMMED = ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected", "rows_skipped")


def earlier_same_content(con, content_hash: str) -> tuple[str, str | None] | None:
    """(file name, --source given then or None) of the latest survey file loaded with exactly this content, or
    None. A copy under another name ('phieu (1).csv') is then the same source: its questionnaires are found
    again (unchanged or updated), never added a second time."""
    found = con.execute("""SELECT file_name, source FROM import_log WHERE content_hash = ? AND kind = 'survey'
                           ORDER BY import_id DESC LIMIT 1""", [content_hash]).fetchall()
    if not found:
        return None
    earlier_name, earlier_source = found[0]
    # A source derived from the file is its name, alone or followed by ' · ' and the unit(s); anything else was
    # given with --source and stays that source.
    derived = earlier_source is None or earlier_source == earlier_name or \
        earlier_source.startswith(earlier_name + " · ")
    return earlier_name, None if derived else earlier_source


def import_survey_sheet(con, grid, match: SurveyMatch, result: dict, *, import_id: int, file_name: str,
                        content_hash: str, source: str | None, as_of, title_rows: list[list],
                        extra_aliases=()) -> None:
    """Loads one recognized sheet inside the importer's transaction and adds its counts to the file's result."""
    source_name = file_name
    earlier = earlier_same_content(con, content_hash) if source is None else None
    if earlier:
        source_name, source = earlier
        if source_name != file_name:
            result["same_content_as"] = source_name
    if match.layout == "aggregates":
        counts = load_aggregates_sheet(con, grid, match, import_id=import_id, file_name=file_name, source=source,
                                       source_name=source_name, as_of=as_of, title_rows=title_rows)
    else:
        counts = load_survey_sheet(con, grid, match, import_id=import_id, file_name=file_name, source=source,
                                   as_of=as_of, title_rows=title_rows, extra_aliases=extra_aliases,
                                   source_name=source_name)
    for key in _SUMMED:
        result[key] += counts[key]
    result["rejects"] += counts["rejects"]
    result["unrecognized_values"] += counts["unrecognized_values"]
    result["warnings"] += counts["warnings"]
    result["invalid_answers"] = result.get("invalid_answers", 0) + counts["invalid_answers"]
    result["unmatched_units"] += [u for u in counts["unmatched_units"] if u not in result["unmatched_units"]]
    result["ignored_criteria"] = result.get("ignored_criteria", []) + [
        c for c in match.unknown_criteria if c not in result.get("ignored_criteria", [])]
    result["layout"] = match.layout
    result["source"] = counts["source"]
