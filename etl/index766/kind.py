"""The importer's entries for the two 766 files: the inputs (criterion counts, or the paper-result procedure list)
and the portal's published scores."""
from etl.core.header import find_header, recognize_header
from etl.core.kind import Kind, SheetLoad, add_counts, columns_needed
from etl.index766.inputs import is_wide_inputs, load_inputs_sheet, load_paper_sheet, missing_column_message
from etl.index766.published import is_wide, load_published_sheet
from etl.index766.vocab import (FIELD_LABELS, INPUT_FIELDS, INPUT_REQUIRED, ITEM_PREFIX, PAPER_FIELDS, PAPER_REQUIRED,
                                PUBLISHED_FIELDS, WIDE_INPUT_FIELDS, header_index)


def _recognize_inputs(rows: list[list], extra_aliases: tuple, explicit: bool):
    """The criterion counts (long or wide) or the paper-result list, whichever the header fits better."""
    hits = [recognize_header(rows, header_index(fields, extra_aliases), required, explicit)
            for fields, required in ((INPUT_FIELDS, INPUT_REQUIRED), (PAPER_FIELDS, PAPER_REQUIRED))]
    hits = [h for h in hits if h] + [h for h in [_recognize_wide_inputs(rows, extra_aliases)] if h]
    return max(hits, key=lambda h: h[0]) if hits else None


def _recognize_wide_inputs(rows: list[list], extra_aliases: tuple):
    """Units down and a column per criterion («Công bố, công khai TTHC đúng hạn» holding '45/50', or «Tử số | Mẫu
    số» under it): scored as a long table of its four columns would be."""
    match = find_header(rows, header_index(WIDE_INPUT_FIELDS, extra_aliases, with_inputs=True))
    if match is None or "unit" not in match.columns or not is_wide_inputs(match):
        return None
    return 400 + len(match.columns), match


def _inputs_missing_columns(rows: list[list], extra_aliases: tuple, file_name: str) -> str | None:
    """A criterion-counts table with one of its columns misspelled or left out ('Tiêu chí | Tử số' without 'Mẫu
    số') is told as such, not as a dossier export without its dossier columns."""
    match = find_header(rows, header_index(INPUT_FIELDS, extra_aliases))
    if match is None or "criterion" not in match.columns or not {"numerator", "denominator"} & set(match.columns):
        return None
    missing = [f for f in INPUT_REQUIRED if f not in match.columns]
    return missing_column_message(file_name, missing, extra_aliases) if missing else None


def _is_paper_list(match) -> bool:
    return "paper_result" in match.columns or ("procedure_code" in match.columns and "criterion" not in match.columns)


def _load_inputs(con, sheet: SheetLoad, result: dict) -> None:
    args = dict(import_id=sheet.import_id, file_name=sheet.file_name, extra=sheet.extra_aliases)
    if _is_paper_list(sheet.match):
        counts = load_paper_sheet(con, sheet.grid, sheet.match, **args)
        result["layout"] = "paper_result_procedures"
    else:
        counts = load_inputs_sheet(con, sheet.grid, sheet.match, title_rows=sheet.title_rows, **args)
        result["layout"] = "criterion_counts"
    add_counts(result, counts)


def _inputs_message(file_name: str, extra_aliases: tuple) -> str:
    return (missing_column_message(file_name, INPUT_REQUIRED, extra_aliases)
            + " (Hoặc, với danh sách TTHC trả kết quả giấy: hai cột «Mã TTHC» và «Trả kết quả giấy».)")


def _recognize_published(rows: list[list], extra_aliases: tuple, explicit: bool):
    """Long (unit, group or criterion, points) or wide (unit, 'Tổng điểm' and a column per group or criterion). A
    wide table needs its total column: a dossier export also has columns named like criteria ('Kết quả điện tử')."""
    match = find_header(rows, header_index(PUBLISHED_FIELDS, extra_aliases, with_items=True))
    if match is None:
        return None
    items = [f for f in match.columns if f.startswith(ITEM_PREFIX)]
    long_ok = all(f in match.columns for f in ("unit", "item", "points"))
    wide_ok = "unit" in match.columns and ITEM_PREFIX + "total" in items and len(items) >= 2
    if not (long_ok or wide_ok or explicit):
        return None
    return 100 * (("unit" in match.columns) + 2 * (long_ok or wide_ok)) + len(match.columns), match


def _load_published(con, sheet: SheetLoad, result: dict) -> None:
    counts = load_published_sheet(con, sheet.grid, sheet.match, import_id=sheet.import_id, file_name=sheet.file_name,
                                  title_rows=sheet.title_rows, extra=sheet.extra_aliases)
    result["layout"] = "wide" if is_wide(sheet.match) else "long"
    result["scores_loaded"] = result.get("scores_loaded", 0) + counts.pop("scores_loaded")
    add_counts(result, counts)


def _published_message(file_name: str, extra_aliases: tuple) -> str:
    return (missing_column_message(file_name, ("unit", "item", "points"), extra_aliases)
            + " (Hoặc bảng ngang: cột «Đơn vị», cột «Tổng điểm» và một cột cho mỗi nhóm hay tiêu chí.)")


def _inputs_needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    wide = find_header(rows, header_index(WIDE_INPUT_FIELDS, extra_aliases, with_inputs=True))
    if wide is not None and is_wide_inputs(wide):   # criteria across: what it lacks is the unit column
        return columns_needed(wide.columns, [(FIELD_LABELS["unit"], ("unit",)), ("tiêu chí 766", tuple(wide.columns))])
    match = find_header(rows, header_index(INPUT_FIELDS, extra_aliases))
    return columns_needed(match.columns if match else {}, [(FIELD_LABELS[f], (f,)) for f in INPUT_REQUIRED])


def _published_needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    """Long: unit, item, points; wide: unit and 'Tổng điểm' (with a column per group or criterion)."""
    match = find_header(rows, header_index(PUBLISHED_FIELDS, extra_aliases, with_items=True))
    return columns_needed(match.columns if match else {}, [
        ("Đơn vị", ("unit",)), ("Nhóm/Tiêu chí (hoặc Tổng điểm)", ("item", ITEM_PREFIX + "total")),
        ("Điểm (hoặc Tổng điểm)", ("points", ITEM_PREFIX + "total"))])


INPUTS = Kind("index766_inputs", "số liệu đầu vào chỉ số 766", _recognize_inputs, _load_inputs, _inputs_message,
              missing_columns_message=_inputs_missing_columns, needs=_inputs_needs)
PUBLISHED = Kind("index766_published", "điểm chỉ số 766 Cổng DVCQG công bố", _recognize_published, _load_published,
                 _published_message, needs=_published_needs)
