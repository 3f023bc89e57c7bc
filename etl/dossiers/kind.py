"""The importer's entry for dossier exports: recognize their header, load a sheet, say what a file lacks."""
import dataclasses
import re

import pyarrow.compute as pc

from common.formats import vn_int
from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.core.header import find_header, mapped_headers, recognize_header
from etl.core.kind import Kind, SheetLoad, add_counts, columns_needed
from etl.core.units import heading_lines, unit_from_titles
from etl.dossiers.fields import DEFAULT_SOURCE, FIELD_LABELS, REQUIRED_DOSSIER_FIELDS, alias_index, aliases_by_field
from etl.dossiers.marked_choices import fold_marked_choices
from etl.dossiers.load import check_required, drop_staged, load_staged, missing_fields_message, \
    record_unmatched_units, stage_grid
from etl.dossiers.shapes import beside_the_table, count_column, refuse_a_count_table, refuse_a_processing_log, \
    scientific_codes_note, status_of_the_sheet
from etl.dossiers.snapshot import latest_date_of_staged, short_year_title, snapshot_from_titles
from etl.dossiers.sql import ABSENT_IS_UNKNOWN, GROUP_MARK, TIME_FIELDS


def recognize(rows: list[list], extra_aliases: tuple, explicit: bool):
    hit = _recognize(rows, extra_aliases, explicit)
    if hit:
        _unread_lone_times(rows, hit[1])
    return hit


def _unread_lone_times(rows: list[list], match) -> None:
    """A time column («Giờ hẹn trả») whose date has no column is joined to nothing: listed with the columns not
    read, never dropped without a word."""
    for field in [f for f in match.columns if f in TIME_FIELDS and TIME_FIELDS[f] not in match.columns]:
        j = int(match.columns.pop(field)[1:])
        header = rows[match.header_index] if match.header_index < len(rows) else []
        match.ignored.append(str(header[j]) if j < len(header) and header[j] else field)


def _recognize(rows: list[list], extra_aliases: tuple, explicit: bool):
    index = alias_index(extra_aliases)
    hit = recognize_header(rows, index, REQUIRED_DOSSIER_FIELDS, explicit, second_unit=True)
    if hit or explicit:
        return hit
    # A one-unit export names its unit once, in a title line ('Đơn vị: UBND Phường 1'), not in a column; or by its
    # sheet's name («P.Đa Kao»), which only the sheet's load knows and checks against the unit list (load_sheet).
    # Without any of them the load refuses the sheet, naming the unit column it lacks.
    match = find_header(rows, index, second_unit=True)
    if (match and "unit" not in match.columns and all(f in match.columns for f in REQUIRED_DOSSIER_FIELDS if f != "unit")
            and (unit_from_titles(rows[:match.header_index + 1 - match.header_rows])
                 or any(_names_a_unit_group(row) for row in rows[match.header_index + 1:])
                 or (DOSSIER_ONLY - {"received_at"}) & set(match.columns))):
        return 200 + len(match.columns), match
    return None


# «I. Phường Bến Nghé», «II | UBND Quận 1»: a report that heads each unit's dossiers with a line naming the unit
# (the load checks the name against the unit list: etl/dossiers/sql.py group_units_sql).
_GROUP_LINE = re.compile(GROUP_MARK + "(.+)$")
_UNIT_WORDS = ("phuong ", "xa ", "thi tran ", "quan ", "huyen ", "thi xa ", "thanh pho ", "ubnd ", "uy ban nhan dan ",
               "so ", "dac khu ")


def _names_a_unit_group(row: list) -> bool:
    texts = [str(c).strip() for c in row if c is not None and str(c).strip()]
    if not 1 <= len(texts) <= 2:
        return False
    found = _GROUP_LINE.match(" ".join(texts))
    return bool(found) and norm_key(found.group(1)).startswith(_UNIT_WORDS)


def _sheet_unit(con, sheet: SheetLoad, result: dict) -> tuple[str | None, str | None]:
    """(the unit of every row of a sheet without a unit column: --unit, else its title line, else its sheet's name
    when that names a unit of the list — a sheet per ward, «P.Đa Kao» (probe 45: refused, and --unit, as the message
    advised, loaded every sheet for one ward) —, else its corner heading when that names one; what the summary says
    of it)."""
    if "unit" in sheet.match.columns:
        return None, None
    unit, origin = sheet.unit or unit_from_titles(sheet.title_rows), None
    if not unit and sheet.grid.sheet and _names_units(con, [sheet.grid.sheet])[0]:
        unit, origin = sheet.grid.sheet, "theo tên trang, khớp danh mục đơn vị"
    if not unit:   # a register headed by its ward alone, «UBND PHƯỜNG VÕ THỊ SÁU» (probe 51: refused)
        unit = _corner_heading_unit(con, sheet.title_rows)
        origin = "theo tiêu đề góc trái của văn bản, khớp danh mục đơn vị" if unit else None
    if not unit:
        return None, None
    where = f"trang «{sheet.grid.sheet}»" if sheet.grid.sheet else "tệp"
    origin = origin or ("theo tùy chọn --unit" if sheet.unit else "theo dòng tiêu đề")
    result["unit_option_used"] = result.get("unit_option_used") or bool(sheet.unit)
    return unit, f"{where[0].upper() + where[1:]} không có cột đơn vị: mọi hồ sơ được nạp cho đơn vị «{unit}» ({origin})"


# How a unit's own desks and officers are named: «Bộ phận Tư pháp - Hộ tịch», «Công chức Văn hóa - Xã hội», «Phòng Tư
# pháp» of a district, «Tổ một cửa».
_DESK_WORDS = ("bo phan ", "cong chuc ", "can bo ", "phong ", "to ", "bp ")


_COLUMN_NUMBER = re.compile(r"\(?\d{1,3}\)?")


def _names_units(con, texts: list[str]) -> list[bool]:
    """Whether each text names a unit of the list."""
    return con.execute("SELECT list(unit_code_of(v) IS NOT NULL) FROM unnest(?::VARCHAR[]) t(v)",
                       [texts]).fetchall()[0][0] if texts else []


def _corner_heading_unit(con, title_rows: list[list]) -> str | None:
    """The unit an official document's corner heading names (Nghị định 30/2020: «UBND QUẬN 3» over «UBND PHƯỜNG 9»,
    the issuing body on the lower line): the lowest heading line that names a unit of the list. Read to tell a column
    of the unit's own desks (_desks_column), and as the unit of a sheet without a unit column, title line or sheet
    named by a unit (_sheet_unit): then the heading is the only unit there is."""
    lines = heading_lines(title_rows)
    named = [t for t, ok in zip(lines, _names_units(con, lines)) if ok]
    return named[-1] if named else None


def _desks_column(con, sheet: SheetLoad) -> tuple[SheetLoad, str | None]:
    """A unit column naming no unit of the list at all, under a title (or --unit) that names one: a ward's export
    whose «Đơn vị xử lý» lists its own desks («Bộ phận Tư pháp - Hộ tịch»: probe 31, every dossier unmatched, and
    no alias could fix it — every ward has such a desk). The column is then read as no unit column: every dossier is
    the title's unit, said (_sheet_unit then finds that unit: the title, --unit or the corner heading). (the sheet to
    load, what the summary says)."""
    match = sheet.match
    if "unit" not in match.columns or "unit_alt" in match.columns:
        return sheet, None
    column = match.columns["unit"]
    titled = sheet.unit or unit_from_titles(sheet.title_rows)
    if column not in sheet.grid.table.column_names or not (titled or heading_lines(sheet.title_rows)):
        return sheet, None
    values = pc.unique(sheet.grid.table.column(column).slice(match.header_index + 1).drop_null()).to_pylist()
    # the «(3)» of a row of column numbers under the header is no value of the column (probe 43: it made the desks a
    # column of units, every dossier counted under its desk)
    values = [v.strip() for v in values if isinstance(v, str) and v.strip() and not _COLUMN_NUMBER.fullmatch(v.strip())]
    # nor is the header itself, merged down over a sub-header row the reader filled (probe 51: «Cơ quan chủ trì giải
    # quyết» over «Ngày | Ký nhận» of the next columns made the desks a column of units)
    j = int(column[1:])
    titles = {norm_key(r[j]) for r in sheet.grid.head_rows(match.header_index + 1) if j < len(r) and r[j]}
    values = [v for v in values if norm_key(v) not in titles]
    # only a column of desks says so by its words: a ward's name, a code, a unit the list lacks yet is a unit. Told
    # first, in Python: every other export then costs no query.
    if not values or len(values) > 50 or not all(norm_key(v).startswith(_DESK_WORDS) for v in values):
        return sheet, None
    named = titled or _corner_heading_unit(con, sheet.title_rows)
    if not named:
        return sheet, None
    resolves = _names_units(con, [named, *values])
    if not resolves[0] or any(resolves[1:]):
        return sheet, None
    header = next(text for text, field in mapped_headers(sheet.grid, match) if field == "unit")
    shown = ", ".join(f"«{v}»" for v in values[:3]) + (" …" if len(values) > 3 else "")
    match = dataclasses.replace(match, columns={f: c for f, c in match.columns.items() if f != "unit"},
                                ignored=[*match.ignored, str(header)])
    return dataclasses.replace(sheet, match=match), (
        f"Cột «{header}» không ghi tên đơn vị nào của danh mục ({shown}: bộ phận bên trong đơn vị), nên mọi hồ sơ "
        f"được nạp cho đơn vị «{named}» ghi ở " + ("tùy chọn --unit." if sheet.unit else "dòng tiêu đề."))


def load_sheet(con, sheet: SheetLoad, result: dict) -> None:
    sheet, beside = beside_the_table(sheet)
    if beside:
        result["warnings"].append(beside)
    sheet, desks = _desks_column(con, sheet)
    if desks:
        result["warnings"].append(desks)
    unit, unit_note = _sheet_unit(con, sheet, result)
    if unit is None and "unit" in sheet.match.columns:
        check_required(sheet.match, sheet.file_name, aliases_by_field(sheet.extra_aliases))
    # a sheet's own title date («Đến ngày: 31/05/2022» over a month's sheet) stands; a sheet without one was taken
    # with the rest of its file
    titled = None if sheet.as_of else snapshot_from_titles(sheet.title_rows)
    snapshot = sheet.as_of or titled or sheet.file_snapshot
    short = short_year_title(sheet.title_rows) if snapshot is None else None
    if short:   # probe 37: a title «Từ 01/01/24 đến 31/03/24» was passed over without a word
        result["warnings"].append(f"Dòng tiêu đề ghi «{short}» với năm hai chữ số: không đọc làm ngày chụp số liệu "
                                  "(năm phải đủ bốn chữ số), nên ngày chụp lấy là ngày muộn nhất trong tệp; nếu cần, "
                                  "hãy nạp lại với --as-of YYYY-MM-DD.")
    source = sheet.source or DEFAULT_SOURCE
    refuse_a_count_table(sheet)
    filled, grouped = stage_grid(con, sheet.grid, sheet.match, unit)
    refuse_a_processing_log(con, sheet)
    scientific = scientific_codes_note(con, sheet)
    if scientific:
        result["warnings"].append(scientific)
    by_sheet_name = status_of_the_sheet(con, sheet)
    if by_sheet_name:
        result["warnings"].append(by_sheet_name)
    if unit is None and not grouped:   # no unit column, title, --unit or group line: refused, naming the column
        check_required(sheet.match, sheet.file_name, aliases_by_field(sheet.extra_aliases))
    if grouped:
        where = f"trang «{sheet.grid.sheet}», " if sheet.grid.sheet else ""
        rows = ", ".join(str(r) for r in grouped[:10]) + (" …" if len(grouped) > 10 else "")
        result["warnings"].append(f"{vn_int(len(grouped))} hồ sơ được nạp cho đơn vị ghi ở dòng nhóm phía trên chúng "
                                  f"(«I. Phường …»: bảng không có cột đơn vị; {where}dòng {rows})"
                                  + (f"; {unit_note[0].lower() + unit_note[1:]}, trừ các hồ sơ đó." if unit_note
                                     else "."))
    elif unit_note and not desks:
        result["warnings"].append(unit_note + ".")
    if filled:
        where = f"trang «{sheet.grid.sheet}», " if sheet.grid.sheet else ""
        rows = ", ".join(str(r) for r in sorted(filled)[:10]) + (" …" if len(filled) > 10 else "")
        result["warnings"].append(f"{vn_int(len(filled))} hồ sơ không ghi đơn vị được nạp cho đơn vị ghi ở dòng trên gần "
                                  f"nhất (bảng ghi đơn vị một lần cho mỗi khối dòng; {where}dòng {rows}).")
    unreported = result.setdefault("unreported_fields", [])   # said in the summary and the upload preview
    unreported += [FIELD_LABELS[f] for f in ABSENT_IS_UNKNOWN
                   if f not in sheet.match.columns and FIELD_LABELS[f] not in unreported]
    counts = load_staged(con, import_id=sheet.import_id, file_name=sheet.file_name, sheet=sheet.grid.sheet,
                         source=source, snapshot=snapshot, columns=frozenset(sheet.match.columns),
                         after_other_sheets=result.get("rows_loaded", 0) + result.get("rows_updated", 0) > 0,
                         snapshot_titled=titled is not None)
    counts["unmatched_units"] = record_unmatched_units(con, sheet.file_name)
    drop_staged(con)
    add_counts(result, counts)
    result["rows_older_snapshot"] = result.get("rows_older_snapshot", 0) + counts["rows_older_snapshot"]
    if counts["newer_snapshot_date"] and (result.get("newer_snapshot_date") or "") < counts["newer_snapshot_date"]:
        # the newest snapshot that won over this file, and the snapshot of the sheet it won over (a sheet's own
        # date may differ from the last sheet's, which is the file's snapshot_date)
        result["newer_snapshot_date"] = counts["newer_snapshot_date"]
        result["older_snapshot_date"] = counts["snapshot_date"]
    result["snapshot_date"] = counts["snapshot_date"]
    result["source"] = source


def file_snapshot(con, sheets: list[SheetLoad]):
    """The day a workbook of several sheets was taken, when --as-of does not say: the latest of its sheets' dates
    (a title's 'đến ngày', else the sheet's latest date), given to every sheet without a title date of its own (a
    sheet per month, each «Đến ngày …», keeps its own). Each sheet dated by its own dates
    made an «Đang giải quyết» sheet of 06/03, whose latest receipt was 02/03, older than the 04/03 export loaded
    before it, so its dossiers kept their stale state. The sheets without a title date are staged once more for
    their dates (files of several sheets are workbooks, a few thousand rows a sheet)."""
    if any(s.as_of for s in sheets):
        return None
    days = []
    for sheet in sheets:
        day = snapshot_from_titles(sheet.title_rows)
        if day is None:
            try:   # the staged tables are staged again by the sheet's own load
                stage_grid(con, sheet.grid, sheet.match, sheet.unit or unit_from_titles(sheet.title_rows))
                day = latest_date_of_staged(con)
            except ImportFailure:   # said by the sheet's own load
                day = None
        days.append(day)
    return max((d for d in days if d), default=None)


def no_header_message(file_name: str, extra_aliases: tuple) -> str:
    return missing_fields_message(file_name, list(REQUIRED_DOSSIER_FIELDS), aliases_by_field(extra_aliases)) + \
        "\n(Không có dòng tiêu đề nào khớp; tệp có đúng là danh sách hồ sơ không?)"


# Columns only a dossier export has: a header naming one of them and three dossier columns in all is a dossier
# export even when a required column is misspelled.
DOSSIER_ONLY = {"submitted_at", "received_at", "due_at", "finished_at", "returned_at", "status", "channel"}


def missing_columns_message(rows: list[list], extra_aliases: tuple, file_name: str) -> str | None:
    match = find_header(rows, alias_index(extra_aliases))
    if match is None or len(match.columns) < 3 or not DOSSIER_ONLY & set(match.columns):
        return None
    missing = [f for f in REQUIRED_DOSSIER_FIELDS if f not in match.columns]
    return missing_fields_message(file_name, missing, aliases_by_field(extra_aliases), match.ignored) if missing else None


def claims(rows: list[list], extra_aliases: tuple) -> bool:
    """A header naming a dossier code and a received date is a dossier list's, whatever else it reads as."""
    match = find_header(rows, alias_index(extra_aliases))
    return match is not None and {"dossier_code", "received_at"} <= set(match.columns)


def needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
    match = find_header(rows, alias_index(extra_aliases))
    return columns_needed(match.columns if match else {}, [(FIELD_LABELS[f], (f,)) for f in REQUIRED_DOSSIER_FIELDS])


KIND = Kind("dossiers", "hồ sơ", recognize, load_sheet, no_header_message,
            missing_columns_message=missing_columns_message, needs=needs, claims=claims, file_snapshot=file_snapshot,
            side_sheet=lambda match, grid: count_column(grid, match) is not None, reshape=fold_marked_choices)
