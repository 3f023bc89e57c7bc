"""The importer's entry for kind 'survey': recognize a survey header, route a sheet to the questionnaire or the
aggregate loader, merge counts."""
from etl.core.kind import Kind, SheetLoad, add_counts, columns_needed
from etl.surveys.aggregates import load_aggregates_sheet
from etl.surveys.header import find_survey_header, recognize_survey
from etl.surveys.responses import load_survey_sheet, no_answer_columns_message


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


def load_sheet(con, sheet: SheetLoad, result: dict) -> None:
    """Loads one recognized sheet inside the importer's transaction and adds its counts to the file's result."""
    grid, match, file_name = sheet.grid, sheet.match, sheet.file_name
    source_name, source = file_name, sheet.source
    # A copy of a file loaded before is found by its content: the hash is needed before loading.
    earlier = earlier_same_content(con, sheet.content_hash()) if source is None else None
    if earlier:
        source_name, source = earlier
        if source_name != file_name:
            result["same_content_as"] = source_name
    if match.layout == "aggregates":
        counts = load_aggregates_sheet(con, grid, match, import_id=sheet.import_id, file_name=file_name,
                                       source=source, source_name=source_name, as_of=sheet.as_of,
                                       title_rows=sheet.title_rows)
    else:
        counts = load_survey_sheet(con, grid, match, import_id=sheet.import_id, file_name=file_name, source=source,
                                   as_of=sheet.as_of, title_rows=sheet.title_rows,
                                   extra_aliases=sheet.extra_aliases, source_name=source_name,
                                   side_grids=sheet.side_grids)
    add_counts(result, counts)
    if match.layout != "aggregates":
        result["warnings"] += _criteria_only_elements(match, grid.sheet)
    result["invalid_answers"] = result.get("invalid_answers", 0) + counts["invalid_answers"]
    result["ignored_criteria"] = result.get("ignored_criteria", []) + [
        c for c in match.unknown_criteria if c not in result.get("ignored_criteria", [])]
    if "results_read" in counts:
        result["results_read"] = result.get("results_read", 0) + counts["results_read"]
    result["layout"] = match.layout
    result["source"] = counts["source"]


def _criteria_only_elements(match, sheet: str | None) -> list[str]:
    """The elements whose criteria the questionnaire asks without their satisfaction question: their index is the
    mean of the criteria's (surveys.md), said so a form whose question the loader did not read is noticed."""
    asked = {i.element_no for i in match.items if i.item_type == "criterion"}
    rated = {i.element_no for i in match.items if i.item_type == "element"}
    missing = sorted(asked - rated)
    if not missing:
        return []
    who = f"Trang «{sheet}»: phiếu" if sheet else "Phiếu"
    return [f"{who} không có câu hài lòng về yếu tố {', '.join(map(str, missing))}: chỉ số hài lòng của yếu tố đó "
            "tính bằng trung bình chỉ số các tiêu chí của nó. Nếu phiếu có câu đó mà tiêu đề không được nhận ra (cột "
            "nằm trong «Cột không đọc»), hãy đổi tiêu đề thành «HL1» … «HL5» rồi nạp lại."]


def _no_header_message(file_name: str, extra_aliases: tuple) -> str:
    return no_answer_columns_message(file_name)


# Counts are lines, also for a wide results table (its results are counted apart, results_read): the importer
# checks that every line under the header was loaded, rejected or skipped.
def _needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    """A questionnaire's columns: the unit, answer columns named by their code, the date or year."""
    match = find_survey_header(rows, extra_aliases)
    columns = (set(match.columns) | ({"answers"} if match.rating_items else set())) if match else set()
    return columns_needed(columns, [("Đơn vị được khảo sát", ("unit",)),
                                    ("câu hỏi có mã ở đầu tiêu đề: Câu 1.1, TC1.1, HL1…", ("answers",)),
                                    ("Ngày khảo sát hoặc Năm", ("survey_date", "year"))])


KIND = Kind("survey", "khảo sát SIPAS", recognize_survey, load_sheet, _no_header_message, needs=_needs,
            # an answer key («Câu | 1 | 2 … 5»): answer columns and nothing a questionnaire carries — a sheet with a
            # form code, a date or a year but no unit column is a questionnaire sheet, and still refuses the file
            side_sheet=lambda match, grid: match.layout != "aggregates" and not (
                {"unit", "response_id", "survey_date", "year"} & set(match.columns)))
