"""The importer's entry for dossier ratings files: a header with a dossier code and one rating, no received date and no
other question."""
from etl.core.header import find_header
from etl.core.kind import Kind, SheetLoad, add_counts, columns_needed
from etl.dossiers.fields import DEFAULT_SOURCE
from etl.dossiers.fields import alias_index as dossier_index
from etl.dossiers.kind import DOSSIER_ONLY
from etl.ratings.fields import FIELD_LABELS, REQUIRED, ratings_index
from etl.ratings.load import load_ratings_sheet
from etl.surveys.header import find_survey_header


def _is_ratings_header(rows: list[list], extra_aliases: tuple) -> bool:
    """A dossier code and a rating, none of the columns of a dossier's progress (received, due or result date, status,
    channel: such a header is a dossier export's, even one lacking its received date — told so by the dossier kind,
    never loaded as ratings alone) and not two questions of a questionnaire."""
    match = find_header(rows, ratings_index(extra_aliases))
    if match is None or not all(f in match.columns for f in REQUIRED):
        return False
    dossier = find_header(rows, dossier_index(extra_aliases))
    if dossier is not None and DOSSIER_ONLY & set(dossier.columns):
        return False
    # a questionnaire may ask the dossier's code beside its questions: two questions or more make it one
    survey = find_survey_header(rows, extra_aliases)
    return survey is None or len(survey.rating_items) < 2


def recognize(rows: list[list], extra_aliases: tuple, explicit: bool):
    match = find_header(rows, ratings_index(extra_aliases))
    if match is None or (not explicit and not _is_ratings_header(rows, extra_aliases)):
        return None
    # above a questionnaire's reading of «Mức độ hài lòng» and «Đơn vị» (200 and its columns), below a dossier header
    return 250 + len(match.columns), match


def load_sheet(con, sheet: SheetLoad, result: dict) -> None:
    counts = load_ratings_sheet(con, sheet.grid, sheet.match, import_id=sheet.import_id, file_name=sheet.file_name,
                                source=sheet.source or DEFAULT_SOURCE)
    result["notes"] = result.get("notes", []) + counts.pop("notes")
    result["dossiers_rated"] = result.get("dossiers_rated", 0) + counts.pop("dossiers_rated")
    add_counts(result, counts)


def no_header_message(file_name: str, extra_aliases: tuple) -> str:
    return (f"Tệp {file_name}: không tìm thấy dòng tiêu đề của tệp đánh giá hồ sơ (cần các cột «Mã hồ sơ» và «Mức độ "
            "hài lòng»). Không nạp dòng nào.")


def needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    match = find_header(rows, ratings_index(extra_aliases))
    return columns_needed(match.columns if match else {}, [(FIELD_LABELS[f], (f,)) for f in REQUIRED])


KIND = Kind("ratings", "đánh giá hồ sơ", recognize, load_sheet, no_header_message, needs=needs,
            claims=_is_ratings_header)
