"""Load one dossier export into the database: skip, reject, type and upsert — all or nothing."""
import dataclasses
import difflib
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common.formats import vn_int
from common.text import norm_key
from etl.core import units as core_units
from etl.core.cell_trim import cell_bytes, trimmed_table
from etl.core.errors import MAPPING_ADVICE, ImportFailure
from etl.core.header import HeaderMatch, header_lines, overflowing_rows
from etl.core.readers import Grid, set_cells
from etl.core.rows import record_rejects, registered_grid
from etl.dossiers import sql as dossier_sql
from etl.dossiers.due_dates import fill_derived_due
from etl.dossiers.fields import FIELD_LABELS, REQUIRED_DOSSIER_FIELDS
from etl.dossiers.load_notes import due_word_notes, empty_flag_columns, missing_due_warnings, month_first_warning, \
    odd_date_warnings, other_source_twins, replaced_by_a_later_sheet, sheet_place, unread_time_warnings, \
    unstated_number_notes
from etl.dossiers.snapshot import snapshot_after_title, snapshot_from_dates
from model.incremental import note_dossier_changes

BUSINESS_COLUMNS = (
    "unit_text", "unit_code", "procedure_code", "procedure_name", "field_name", "channel", "online_level",
    "submitted_at", "received_at", "due_at", "is_due_derived", "finished_at", "returned_at", "status_code",
    "status_text", "result_type", "supplement_count", "fee_amount", "is_paid_online", "is_digitized",
    "has_e_result", "is_data_reused", "is_synced_national", "is_apology_issued", "rating", "applicant_type")


# A status saying the dossier went to another unit («Đã chuyển xử lý», «Chuyển đơn vị giải quyết», «Chuyển liên thông»),
# not one received from another («Nhận hồ sơ chuyển đến») nor an official's step («Chuyên viên thụ lý», «Chuyển phòng
# chuyên môn»). On the accented words: without the accents «chuyên» reads as «chuyển».
_TRANSFERRED = ("(regexp_matches(lower(nfc_normalize(coalesce({s}, ''))), "
                "'(đã chuyển|chuyển (xử lý|đơn vị|cơ quan|liên thông|giải quyết|hồ sơ sang))') "
                "AND NOT contains(lower(nfc_normalize({s})), 'chuyển đến'))")
# What two exports of one day must agree on for the later one not to be said: every column but the status's words.
# A field the earlier export had no column for (empty there: a fee, a yes/no flag) is news, not a disagreement
# (probe 48: a ward's file with the payment columns was said to disagree with the system's file without them).
_SAME_DAY_DIFFERS = " OR ".join(
    f"(d.{c} IS NOT NULL AND a.{c} IS DISTINCT FROM d.{c})" if c in set(dossier_sql.KEPT_WHEN_ABSENT.values())
    else f"a.{c} IS DISTINCT FROM d.{c}" for c in BUSINESS_COLUMNS if c != "status_text")


def check_required(match: HeaderMatch, path_name: str, aliases: dict[str, list[str]]) -> None:
    missing = [f for f in REQUIRED_DOSSIER_FIELDS if f not in match.columns]
    if missing:
        # a ratings export listing each dossier's dates reads as a dossier list (probe 47: the advice of --unit
        # loaded it as dossiers, its ratings unread)
        rated = ("\nNếu đây là tệp đánh giá hồ sơ (cột «Mức độ hài lòng» của từng hồ sơ), hãy nạp với --kind ratings."
                 if "rating" in match.columns and missing == ["unit"] else "")
        raise ImportFailure(missing_fields_message(path_name, missing, aliases, match.ignored) + rated)


def _near_miss(headers: list[str], aliases: list[str]) -> tuple[str, str] | None:
    """(header, alias) of the header that an alias misspelled («Ngày tếp nhận» for «Ngày tiếp nhận»), or None."""
    best = None
    for header in headers:
        for alias in aliases:
            ratio = difflib.SequenceMatcher(None, norm_key(header), norm_key(alias)).ratio()
            if ratio >= 0.85 and (best is None or ratio > best[0]):
                best = (ratio, header, alias)
    return best[1:] if best else None


def missing_fields_message(path_name: str, missing: list[str], aliases: dict[str, list[str]],
                           unread_headers: list[str] = ()) -> str:
    """unread_headers: the header's texts that name no field, looked at for a misspelled required one (probe 51)."""
    lines = [f"Tệp {path_name}: không tìm thấy cột bắt buộc, nên không nạp dòng nào từ tệp này."]
    for f in missing:
        lines.append(f"  - {FIELD_LABELS.get(f, f)}: đã thử các tiêu đề {', '.join(repr(a) for a in aliases.get(f, []))}")
        near = _near_miss(list(unread_headers), aliases.get(f, []))
        if near:
            lines.append(f"    Cột «{near[0]}» gần giống «{near[1]}»: nếu đúng là cột {FIELD_LABELS.get(f, f)}, hãy sửa "
                         "tiêu đề trong tệp rồi nạp lại (hoặc khai báo nó trong tệp ánh xạ --mapping).")
    lines.append(MAPPING_ADVICE)
    if missing == ["unit"]:
        lines.append("Tệp của một đơn vị, không có cột đơn vị: ghi dòng «Đơn vị: <tên đơn vị>» phía trên dòng tiêu đề "
                     "(tiêu đề góc trái của văn bản, «UBND PHƯỜNG 9», cũng được khi tên đó có trong danh mục đơn vị đã "
                     "nạp), hoặc nạp với --kind dossiers --unit <mã hoặc tên đơn vị>. Tệp mỗi đơn vị một trang: ghi dòng "
                     "«Đơn vị: …» ở mỗi trang, hoặc đặt tên trang là tên đơn vị trong danh mục (không dùng --unit: mọi "
                     "trang sẽ thành của một đơn vị). Bảng chia nhóm theo đơn vị (dòng «I. "
                     "Phường …» phía trên các hồ sơ của đơn vị đó): nạp danh mục đơn vị trước, để tên ở dòng nhóm khớp "
                     "một đơn vị.")
    return "\n".join(lines)




def _header_texts(grid: Grid, match: HeaderMatch) -> dict[str, list[str]]:
    """The header cells (normalized) over the code and received-date columns: a line under the header that repeats
    them is the header again (several exports pasted into one sheet, each with its header), not a dossier."""
    rows = header_lines(grid, match)
    out = {}
    for field, param in (("dossier_code", "code_header"), ("received_at", "received_header")):
        j = int(match.columns[field][1:])
        out[param] = [norm_key(r[j]) for r in rows if j < len(r) and norm_key(r[j])]
    return out


def stage_grid(con, grid: Grid, match: HeaderMatch, sheet_unit: str | None = None) -> tuple[list[int], list[int]]:
    """Registers the grid and stages its rows as the temp table classified: mapped cells and parsed values, then
    each row's _skip and _reject, set in place (etl/dossiers/sql.py classify_sql). sheet_unit: the unit of every
    row of a sheet without a unit column (its title, or --unit; None: none given). Returns (the rows whose unit is
    the one written above them, _fill_unit_blocks; the rows whose unit is their group line's, _group_line_units)."""
    grid = dataclasses.replace(grid, table=_none_marks_emptied(_errors_shown(grid, match), match.columns.values()))
    lookups = dossier_sql.cell_lookups_sql(match.columns)
    no_unit_column = "unit" not in match.columns
    with registered_grid(con, grid):
        for table, select in lookups.items():
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select}")
        con.execute("CREATE OR REPLACE TEMP TABLE mapped AS " +
                    dossier_sql.mapped_view_sql(match.columns, grid.filled_columns(match.header_index),
                                                no_unit_column),
                    [sheet_unit, match.header_index] if no_unit_column else [match.header_index])
        if no_unit_column:
            con.execute("CREATE OR REPLACE TEMP TABLE group_units AS " +
                        dossier_sql.group_units_sql(grid.filled_columns(match.header_index)), [match.header_index])
    for table in lookups:
        con.execute(f"DROP TABLE {table}")
    worded, unread_due = con.execute(f"""SELECT count(*) FILTER (WHERE {dossier_sql.UNREAD_DATE_LINES}),
        count(*) FILTER (WHERE due_at IS NOT NULL AND _ts_due_at IS NULL) FROM mapped""").fetchall()[0]
    if worded:
        con.execute(dossier_sql.worded_dates_sql())
    con.execute("DROP TABLE IF EXISTS _due_words")
    if unread_due:   # after the worded dates: «Trong ngày» is the receipt's day, however that is written
        for statement in dossier_sql.due_words_sql():
            con.execute(statement)
    grouped = _group_line_units(con) if no_unit_column else []
    filled = _fill_unit_blocks(con) if not no_unit_column else []
    footer_from, first_row = con.execute(dossier_sql.FOOTER_FROM_SQL).fetchall()[0]
    for column in ("_skip", "_reject"):
        con.execute(f"ALTER TABLE mapped ADD COLUMN {column} VARCHAR")
    con.execute(dossier_sql.classify_sql(_reject_needs(con, grid, match)),
                {"footer_from": footer_from, "first_row": first_row, **_header_texts(grid, match)})
    _reject_shifted_lines(con, grid, match)
    if no_unit_column:   # a group line is no dossier, whichever columns its mark and name stand in
        con.execute("""UPDATE mapped SET _skip = 'group', _reject = NULL
                       WHERE _row IN (SELECT _row FROM group_units) AND NOT coalesce(_code_like, false)""")
        con.execute("DROP TABLE group_units")
    con.execute("DROP TABLE IF EXISTS classified")
    con.execute("ALTER TABLE mapped RENAME TO classified")
    return filled, grouped


def _reject_needs(con, grid: Grid, match: HeaderMatch) -> frozenset:
    """What the sheet holds of what some reject rules need (etl/dossiers/sql.py REJECT_RULES): a cell starting with
    '#' or a code with '=' (found in Arrow, a few ms a column), a date before 1990 or one left unread (found by
    aggregates). Nearly every export has none, and is spared those rules on each of its lines."""
    def starts(fields, prefix: str) -> bool:
        names = {match.columns[f] for f in fields if f in match.columns} & set(grid.table.column_names)
        return any(pc.any(pc.starts_with(grid.table.column(n), prefix)).as_py() for n in names)
    needs = {"excel"} if starts(dossier_sql.ERROR_FIELDS, "#") else set()
    if starts(("dossier_code",), "="):
        needs.add("formula")
    early, unread = con.execute(dossier_sql.date_needs_sql()).fetchall()[0]
    needs |= {name for name, held in (("early_date", early), ("unread_date", unread)) if held}
    return frozenset(needs)


SHIFTED_LINE = ("shifted_line||Dòng có nhiều ô hơn số cột của dòng tiêu đề: có lẽ một ô (tên, địa chỉ) chứa dấu phân "
                "cách cột mà không đặt trong ngoặc kép, nên các ô sau nó lệch sang cột bên cạnh và đứng dưới tiêu đề "
                "khác. Dòng bị loại và không giữ giá trị nào ngoài mã hồ sơ (ô lệch có thể là dữ liệu cá nhân); hãy "
                "xuất lại tệp hoặc mở bằng Excel, sửa dòng này rồi lưu lại dạng CSV.")


def _reject_shifted_lines(con, grid: Grid, match: HeaderMatch) -> None:
    """The CSV lines whose cells shifted right are rejected, and every value but the code emptied before the raw
    layer and the rejected list keep them: a shifted address stood under «Ngày tiếp nhận» and was kept there (probe
    28). Shifted: a cell past the last title (etl/core/header.py overflowing_rows) and a date or a number under its
    title that does not read — a line with a note in an untitled column, its cells where they belong, loads."""
    positions = overflowing_rows(grid, match)
    if not positions:
        return
    rows = [int(r) for r in grid.row_numbers[positions]]
    unread = " OR ".join([f"({f} IS NOT NULL AND _ts_{f} IS NULL)" for f in dossier_sql.DATE_FIELDS]
                         + [f"({f} IS NOT NULL AND _num_{f} IS NULL AND _unstated_{f} IS NOT TRUE)"
                            for f in dossier_sql.NUMBER_FIELDS])
    emptied = ", ".join(f"{f} = NULL" for f in dossier_sql.ALL_FIELDS if f != "dossier_code")
    con.execute(f"""UPDATE mapped SET {emptied}, _reject = ?
                    WHERE _skip IS NULL AND list_contains(?, _row) AND ({unread})""", [SHIFTED_LINE, rows])


def _errors_shown(grid: Grid, match: HeaderMatch) -> pa.Table:
    """The grid with Excel's error cells (read as empty) showing their error in the columns where an empty cell
    would be read as something (etl/dossiers/sql.py ERROR_FIELDS: no due date is counted on time, no fee is free), so
    that the line is rejected naming the cell; elsewhere («#N/A» under «Lĩnh vực») they stay empty (review)."""
    if not grid.error_cells:
        return grid.table
    shown = {match.columns[f] for f in dossier_sql.ERROR_FIELDS if f in match.columns}
    first = grid.first_column or 0
    cells = [(r, c, text) for r, c, text in grid.error_cells if f"c{c - first}" in shown]
    return set_cells(grid.table, cells, first) if cells else grid.table


def _group_line_units(con) -> list[int]:
    """A report without a unit column that heads each unit's dossiers with a line naming it («I. Phường Bến Nghé»,
    «II | UBND Quận 1», «Đơn vị: Phường 9»; etl/dossiers/sql.py group_units_sql): each dossier line below such a
    line takes its unit, over the sheet's unit of the title or --unit. Returns the rows given a unit so."""
    rows = [r[0] for r in con.execute("""UPDATE mapped SET unit = g.name FROM (
            SELECT m._row, last_value(u.name IGNORE NULLS) OVER (ORDER BY m._row ROWS UNBOUNDED PRECEDING) AS name
            FROM mapped m LEFT JOIN group_units u USING (_row)) g
        WHERE mapped._row = g._row AND g.name IS NOT NULL AND mapped.dossier_code IS NOT NULL
          AND mapped.received_at IS NOT NULL AND mapped._row NOT IN (SELECT _row FROM group_units)
        RETURNING mapped._row""").fetchall()]
    return sorted(rows)


# How many reports write "none" in a date, fee or flag column: a pending dossier's '-' under «Ngày có kết quả» was an
# unreadable date and the whole dossier was rejected.
_NONE_MARKS = pa.array(["-", "--", "---", "–", "—", ".", "..", "...", "…", "/"])


_NONE_MARK_BYTES = max(len(m.encode()) for m in _NONE_MARKS.to_pylist())


def _none_marks_emptied(table: pa.Table, columns) -> pa.Table:
    """The grid with every cell of a mapped column that holds only a dash or dots emptied. In Arrow, before SQL:
    a CASE in the staging SELECT was expanded into every use of the cell by the date macros and doubled its CPU.
    Only the cells short enough to be a mark are looked up (found on the offsets: 0,10 → 0,04 s per million rows
    of 12 columns, on the load's one busy thread)."""
    table = trimmed_table(table)
    for name in set(columns):
        j = table.column_names.index(name)
        column = table.column(j)
        marks = pa.chunked_array([_none_marks_in(chunk) for chunk in column.chunks], pa.bool_())
        if pc.any(marks).as_py():
            table = table.set_column(j, name, pc.if_else(marks, pa.scalar(None, column.type), column))
    return table


def _none_marks_in(chunk: pa.Array) -> pa.Array:
    """Per cell of a chunk, whether it is one of _NONE_MARKS."""
    if chunk.type not in (pa.string(), pa.large_string()):
        return pc.is_in(chunk, value_set=_NONE_MARKS.cast(chunk.type))
    starts, ends, _ = cell_bytes(chunk)
    short = np.flatnonzero((ends > starts) & (ends - starts <= _NONE_MARK_BYTES))
    marks = np.zeros(len(chunk), dtype=bool)
    if len(short):
        found = pc.is_in(chunk.take(pa.array(short)), value_set=_NONE_MARKS.cast(chunk.type))
        marks[short] = found.fill_null(False).to_numpy(zero_copy_only=False)
    return pa.array(marks)


def _fill_unit_blocks(con) -> list[int]:
    """A table that writes each unit once, on the first line of its block of dossiers, and leaves the cell empty
    below (Excel's merged unit cell, unmerged or saved without the merge): each dossier line without a unit takes
    the unit written above it (a line whose date cannot be read too: it is then rejected for that date, not for a
    missing unit). Only when such lines are at least as many as the lines that name a unit — a block
    layout; in a table that names the unit on every line, one left empty is a missing unit and is rejected. Returns
    the rows given a unit this way (said in the summary)."""
    empty, named = con.execute("""SELECT count(*) FILTER (WHERE unit IS NULL), count(*) FILTER (WHERE unit IS NOT NULL)
        FROM mapped WHERE dossier_code IS NOT NULL AND _ts_received_at IS NOT NULL""").fetchall()[0]
    if not empty or not named or empty < named:
        return []
    return [r[0] for r in con.execute("""UPDATE mapped SET unit = f.above FROM (
            SELECT _row, last_value(unit IGNORE NULLS) OVER (ORDER BY _row ROWS UNBOUNDED PRECEDING) AS above
            FROM mapped) f
        WHERE mapped._row = f._row AND mapped.unit IS NULL AND f.above IS NOT NULL
          AND mapped.dossier_code IS NOT NULL AND mapped.received_at IS NOT NULL
        RETURNING mapped._row""").fetchall()]


def load_staged(con, *, import_id: int, file_name: str, sheet: str | None, source: str,
                snapshot: date, columns: frozenset, after_other_sheets: bool = False,
                snapshot_titled: bool = False) -> dict:
    """Writes raw rows, rejects and the upsert for the staged sheet; returns its counts. Runs inside the caller's
    transaction, so a failure anywhere leaves the database as it was. columns: the fields the sheet has a column
    for."""
    present = frozenset(f for f in dossier_sql.KEPT_WHEN_ABSENT if f in columns)   # the fields kept when absent
    fields = dossier_sql.ALL_FIELDS
    con.execute(f"""INSERT INTO raw_dossier_rows (import_id, sheet, row_number, {', '.join(fields)})
                    SELECT ?, ?, _row, {', '.join(fields)} FROM classified WHERE _skip IS NULL""", [import_id, sheet])
    # Duplicates inside one file: one line is kept, the others are set aside naming it; only rows that are not
    # rejected for another reason take part. The line kept is the first with a result date (finished or handed over:
    # a dossier is never unfinished), else the first: a file listing a dossier as pending and then as finished (a
    # processing log, two exports pasted together) kept the pending line and lost the result. Two lines that both
    # have a result say nothing of which is newer: the first stays, as before. Only the
    # few duplicate rows are materialized: the codes seen twice are found by a grouping (a window over every row
    # sorted a million of them), then their rows.
    con.execute("""CREATE OR REPLACE TEMP TABLE duplicates AS
        WITH candidates AS (SELECT _row, dossier_code, unit,
                                   coalesce(_ts_finished_at, _ts_returned_at) IS NOT NULL AS _done
                            FROM classified WHERE _skip IS NULL AND _reject IS NULL),
        ranked AS (SELECT _row, unit, row_number() OVER w AS _rank, first_value(_row) OVER w AS _kept,
                          first_value(unit) OVER w AS _kept_unit FROM candidates
                   WHERE dossier_code IN (SELECT dossier_code FROM candidates GROUP BY dossier_code HAVING count(*) > 1)
                   WINDOW w AS (PARTITION BY dossier_code ORDER BY _done DESC, _row))
        SELECT _row, 'duplicate_in_file||Mã hồ sơ trùng với dòng ' || _kept || ' trong cùng tệp' ||
               CASE WHEN _kept > _row THEN ' (giữ dòng ' || _kept || ': dòng đó đã có kết quả).' ELSE '.' END ||
               -- ward logbooks joined in one file, each numbering its receipts from 1 (probe 16): say so
               CASE WHEN _kept_unit IS DISTINCT FROM unit THEN ' Dòng đó thuộc đơn vị khác («' || _kept_unit ||
                    '»): nếu mỗi đơn vị tự đánh số hồ sơ, hãy tách tệp theo đơn vị và nạp mỗi tệp với một tên hệ '
                    || 'thống riêng (--source).' ELSE '' END
               AS _verdict
        FROM ranked WHERE _rank > 1""")
    if after_other_sheets:   # an earlier sheet of this file wrote dossiers (nearly every file has one sheet)
        _add_earlier_sheet_duplicates(con, import_id, source)
    skipped = con.execute("SELECT count(*) FROM classified WHERE _skip IS NOT NULL").fetchall()[0][0]
    # A "Tổng cộng" row that states a count (in its code or STT column) must agree with the detail rows.
    # The count stands alone in a cell (6), or ends the words of one after a colon or before «hồ sơ» («Tổng cộng: 6
    # hồ sơ», «Tổng số: 6», «6 hồ sơ»; not the year of «Tổng cộng năm 2022»).
    # (count, line, the line's first words): the warning quotes the line as the file writes it («Tổng số: 5»)
    # A ward logbook closes each ward's block with its own «Cộng» or «Tổng cộng phường 9: 2 hồ sơ» before the grand
    # total (probe 16): a line stating the count of the detail rows since the totals or subtotal line before it is as
    # right as one stating the whole file's. (count, line, first words, rows of its block)
    stated = [r for r in con.sql(f"""
        WITH marks AS (SELECT _row, lag(_row, 1, 0) OVER (ORDER BY _row) AS _after, _first, dossier_code, _skip
                       FROM classified WHERE _skip IN ('totals', 'subtotal'))
        SELECT coalesce(try_cast(dossier_code AS INT), {_stated_count('dossier_code')}, {_stated_count('_first')}),
               _row, _first,
               (SELECT count(*) FROM classified c WHERE c._skip IS NULL AND c._row > m._after AND c._row < m._row),
               _skip = 'subtotal'
        FROM marks m ORDER BY _row""").fetchall() if r[0] is not None]
    field_list = ", ".join(f"'{f}', {f}" for f in fields)
    con.execute("""CREATE OR REPLACE TEMP TABLE judged AS
        SELECT c.*, coalesce(c._reject, d._verdict) AS _verdict FROM classified c LEFT JOIN duplicates d USING (_row)
        WHERE c._skip IS NULL AND (c._reject IS NOT NULL OR d._verdict IS NOT NULL)""")
    rejects = record_rejects(con, "judged", "_verdict", field_list, import_id=import_id, file_name=file_name,
                             sheet=sheet)
    # A view, not a copy: the rows kept are read a few times below (each a filter of classified), and copying a
    # million rows cost more than those reads.
    con.execute("""CREATE OR REPLACE TEMP VIEW kept AS SELECT * FROM classified
        WHERE _skip IS NULL AND _reject IS NULL AND _row NOT IN (SELECT _row FROM duplicates)""")
    con.execute("DROP TABLE judged")
    snapshot_warnings = []
    if snapshot is None:  # neither --as-of nor a title 'đến ngày': the latest date in the file
        snapshot, snapshot_warnings = snapshot_from_dates(con, sheet)
    elif snapshot_titled:   # a title's «đến ngày», unless the file holds later dates
        snapshot, snapshot_warnings = snapshot_after_title(con, snapshot, sheet)
    con.execute("CREATE OR REPLACE TEMP TABLE value_map AS " + dossier_sql.value_map_sql(present))
    # A field this file has no column for (etl/dossiers/sql.py KEPT_WHEN_ABSENT) keeps what an earlier snapshot of the
    # dossier said (a daily export without the sync column does not unlearn what the monthly one reported; without
    # «Hình thức nộp», an online dossier stays online): the row written and its hash carry it.
    kept = {col: f"coalesce(d.{col}, i.{col})" for raw, col in dossier_sql.KEPT_WHEN_ABSENT.items()
            if raw not in present}
    if not {"finished_at", "status", "result_type"} & columns:
        # No result date, status or result column: the file (a ratings export listing each dossier's receipt and
        # hand-over dates) says nothing of how the dossiers ended, so an earlier export's outcome stands (probe 47:
        # a newer such file turned finished dossiers back into pending ones); a hand-over date it gives is kept.
        kept |= {col: f"coalesce(d.{col}, i.{col})" for col in ("finished_at", "status_code", "status_text",
                                                                 "result_type")}
        kept["returned_at"] = "coalesce(i.returned_at, d.returned_at)"
    if "due_at" not in columns:
        # nor, without a due date column, of the due date an earlier export wrote (the catalogue's would replace it)
        kept |= {"due_at": "coalesce(d.due_at, i.due_at)", "is_due_derived": "coalesce(d.is_due_derived, i.is_due_derived)"}
    # A rating from an evaluation file (etl/ratings/) is the dossier's, whichever was loaded first; joined only when
    # the system has such ratings (a join to an empty table still costs a probe of every row).
    rated = con.execute("SELECT count(*) > 0 FROM dossier_ratings WHERE source = ?", [source]).fetchall()[0][0]
    if rated:
        kept["rating"] = f"coalesce(r.rating, {kept.get('rating', 'i.rating')})"
    business = ", ".join(kept.get(c, f"i.{c}") for c in BUSINESS_COLUMNS)
    replaced_flags = f" REPLACE ({', '.join(f'{sql} AS {col}' for col, sql in kept.items())})" if kept else ""
    # Names several units went by at different times (a new ward keeping an old ward's name): the unit of the day
    # each dossier was received. Looked for only when a name of the file names no unit (rare: one query).
    shared = con.execute("""SELECT count(*) FROM value_map WHERE field = 'unit' AND canonical IS NULL
                            AND (norm_key(raw) IN (SELECT unit_key FROM unit_keys)
                                 OR '~' || unit_short_key(norm_key(raw)) IN (SELECT unit_key FROM unit_keys))"""
                         ).fetchall()[0][0]
    if shared:
        pairs = """SELECT DISTINCT unit AS raw, CAST(_ts_received_at AS DATE) AS day FROM kept
                   WHERE unit IN (SELECT raw FROM value_map WHERE field = 'unit' AND canonical IS NULL)"""
        con.execute(f"CREATE OR REPLACE TEMP TABLE _unit_dated AS {core_units.dated_unit_codes_sql(pairs)}")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE incoming_actions AS
        WITH incoming AS ({dossier_sql.typed_sql(present, dated_units=bool(shared))})
        SELECT i.*{replaced_flags}, hash({business}) AS row_hash, d.rowid AS old_rowid,
          d.snapshot_date AS old_snapshot_date, d.row_hash AS old_row_hash,
          CASE WHEN d.dossier_code IS NULL THEN 'insert'
               -- an older export of the unit a dossier was transferred to, giving its result, is not older than the
               -- first unit's newer «Đã chuyển xử lý» without one (probe 40: loaded after it, the result was lost and
               -- the dossier stayed pending at the first unit; loaded before it, the result stood)
               WHEN i.snapshot_date < d.snapshot_date
                    AND NOT (coalesce(i.finished_at, i.returned_at) IS NOT NULL
                             AND coalesce(d.finished_at, d.returned_at) IS NULL
                             AND coalesce(i.unit_code, norm_key(i.unit_text)) <> coalesce(d.unit_code, norm_key(d.unit_text))
                             AND {_TRANSFERRED.format(s='d.status_text')}) THEN 'older'
               -- a snapshot of the same day saying no result does not take back the result another file gave (a
               -- dossier transferred: the first unit's export lists it «Đã chuyển xử lý», the second's finished);
               -- the rule of duplicates within a file, across files, whatever their order. A newer export of
               -- the first unit saying so («Đã chuyển xử lý», another unit than the one that gave the result) does
               -- not take it back either (probe 33: the dossier went back to the first unit, pending, overdue).
               WHEN coalesce(d.finished_at, d.returned_at) IS NOT NULL AND coalesce(i.finished_at, i.returned_at) IS NULL
                    AND (i.snapshot_date = d.snapshot_date
                         OR (coalesce(i.unit_code, norm_key(i.unit_text)) <> coalesce(d.unit_code, norm_key(d.unit_text))
                             AND {_TRANSFERRED.format(s='i.status_text')})) THEN 'kept_result'
               WHEN hash({business}) = d.row_hash THEN 'same'
               ELSE 'update' END AS action
        FROM incoming i LEFT JOIN dossiers d ON d.source = i.source AND d.dossier_code = i.dossier_code"""
        + (" LEFT JOIN dossier_ratings r ON r.source = i.source AND r.dossier_code = i.dossier_code" if rated else ""),
        [source, snapshot, import_id])
    filled_from_older = _fill_from_older(con, present)
    unread_fields = [r[0] for r in con.sql(dossier_sql.UNRECOGNIZED_VALUES_SQL).fetchall()]
    unrecognized = con.sql(dossier_sql.unrecognized_counts_sql(unread_fields)).fetchall() if unread_fields else []
    odd_dates = (odd_date_warnings(con, sheet, snapshot) + unread_time_warnings(con, sheet)
                 + due_word_notes(con, sheet) + unstated_number_notes(con, sheet, present)
                 + empty_flag_columns(con, present))
    if any(r["reason_code"] == "bad_date" for r in rejects):
        odd_dates += month_first_warning(con, sheet)
    con.execute("DROP VIEW kept")
    for table in ("duplicates", "classified"):   # each stage is dropped once the next exists
        con.execute(f"DROP TABLE {table}")
    con.execute("DROP TABLE IF EXISTS _unit_dated")
    columns = ", ".join(("source", "dossier_code", *BUSINESS_COLUMNS, "snapshot_date", "import_id", "row_number",
                         "row_hash"))
    written = f"SELECT {columns} FROM incoming_actions WHERE action IN ('insert', 'update')"
    replaced = "SELECT old_rowid FROM incoming_actions WHERE action = 'update'"
    # Due dates the export leaves empty: the procedure's statutory time (etl/dossiers/due_dates.py). After the row
    # hash, which keeps what the export said: the same export loaded again is 'same', whatever the catalogue says.
    if con.execute("SELECT count(*) FROM incoming_actions WHERE due_at IS NULL AND action IN ('insert', 'update')"
                   ).fetchall()[0][0]:
        fill_derived_due(con, "incoming_actions", "t.action IN ('insert', 'update')")
    # the old rows' columns the join above read, beside their row ids (model/incremental.py fetches the others)
    note_dossier_changes(con, written, """SELECT old_rowid, source, dossier_code, old_snapshot_date AS snapshot_date,
                                                 old_row_hash AS row_hash FROM incoming_actions WHERE action = 'update'""")
    # A newer snapshot replaces the dossier's row whole: deleted by the row id the join above found (no second
    # scan of the table) and written again. An UPDATE of every column would be rewritten by DuckDB's checkpoint
    # for each row group it touches, a cost that grows with the table (5 s at 10 million dossiers for 300 rows).
    # Two exports of the same day that disagree on a dossier: the one loaded last wins, said below (probe 28: «cập
    # nhật 2» alone, and the other load order gave another unit and result date). A later sheet of this same file
    # replacing an earlier one is said apart (replaced_by_a_later_sheet).
    # A result that another unit's export of that day did not have yet is the transfer kept_result stands for, seen
    # the other way round: no disagreement.
    same_day_count, same_day = con.execute(f"""
        SELECT count(*), list(a.dossier_code ORDER BY a.dossier_code)[1:5] FROM incoming_actions a
        JOIN dossiers d ON d.rowid = a.old_rowid
        WHERE a.action = 'update' AND a.old_snapshot_date = a.snapshot_date AND d.import_id <> $import_id
          -- not a newer snapshot's row given this file's fields (_fill_from_older): it keeps its load's id
          AND a.import_id = $import_id
          AND NOT (coalesce(d.finished_at, d.returned_at) IS NULL
                   AND coalesce(a.finished_at, a.returned_at) IS NOT NULL)
          -- a status worded otherwise for the same code («Đang xử lý», «Đang giải quyết»: probe 33) is no disagreement;
          -- two words no vocabulary reads may be (no code to tell)
          AND ({_SAME_DAY_DIFFERS} OR (a.status_code IS NULL AND a.status_text IS DISTINCT FROM d.status_text))""",
        {"import_id": import_id}).fetchall()[0]
    replaced_in_file = replaced_by_a_later_sheet(con, import_id, sheet) if after_other_sheets else []
    con.execute(f"DELETE FROM dossiers WHERE rowid IN ({replaced})")
    con.execute(f"INSERT INTO dossiers ({columns}) {written}")
    counts = dict(con.sql("SELECT action, count(*) FROM incoming_actions GROUP BY 1").fetchall())
    read = sum(counts.values()) + len(rejects)
    where = sheet_place(sheet)
    # A block's own «Cộng: 4 hồ sơ» is held to the lines of its block only (probe 31: never checked); a grand total
    # right under such lines has no lines of its own to be held to.
    warnings = [f"Dòng cộng «{first}» ({where}dòng {row}) ghi {n} hồ sơ nhưng khối phía trên nó có {block} dòng hồ sơ "
                "chi tiết." if subtotal else
                f"Dòng tổng cộng «{first}» ({where}dòng {row}) ghi {n} hồ sơ nhưng tệp có {read} dòng hồ sơ chi tiết"
                + (f" (các dòng từ dòng tổng trước đến dòng này: {block})." if block not in (read, 0) else ".")
                for n, row, first, block, subtotal in stated if n not in ((block,) if subtotal else (read, block))]
    warnings += snapshot_warnings + missing_due_warnings(con) + odd_dates + replaced_in_file \
        + other_source_twins(con, source)
    newer = con.execute("SELECT max(old_snapshot_date) FROM incoming_actions WHERE action = 'older'").fetchall()[0][0]
    if filled_from_older:
        warnings.append(f"{vn_int(filled_from_older)} hồ sơ đã có bản mới hơn (giữ bản đó) nhưng tệp của bản đó không có "
                        "một số cột mà tệp này có (cột có/không, phí, thủ tục…): các trường đó lấy theo tệp này.")
    if same_day_count:
        warnings.append(f"{vn_int(same_day_count)} hồ sơ đã nạp từ một tệp cùng ngày chụp {snapshot:%d/%m/%Y} nhưng "
                        "tệp này ghi khác (đơn vị, ngày, trạng thái…): lấy theo tệp nạp sau là tệp này — "
                        + ", ".join(same_day) + (" …" if same_day_count > 5 else "")
                        + ". Nếu tệp kia mới hơn, hãy nạp lại tệp đó, hoặc nạp với ngày chụp đúng (--as-of).")
    if counts.get("kept_result"):
        codes = [r[0] for r in con.execute("""SELECT dossier_code FROM incoming_actions WHERE action = 'kept_result'
                                              ORDER BY dossier_code LIMIT 5""").fetchall()]
        warnings.append(f"{vn_int(counts['kept_result'])} hồ sơ đã có kết quả theo một tệp nạp trước (cùng ngày chụp, "
                        "hoặc của đơn vị nhận hồ sơ chuyển đến) nên giữ kết quả đó; tệp này ghi chưa có kết quả (hồ sơ "
                        "chuyển đơn vị khác xử lý?): "
                        + ", ".join(codes) + (" …" if counts["kept_result"] > 5 else "") + ". Nếu tệp này là bản sửa "
                        "lại và kết quả ở tệp trước là nhầm, hãy nạp lại tệp này với ngày chụp sau ngày của tệp trước "
                        "(--as-of YYYY-MM-DD): ảnh chụp mới hơn thì thay kết quả đó.")
    return {
        "rows_loaded": counts.get("insert", 0), "rows_updated": counts.get("update", 0),
        "rows_unchanged": counts.get("same", 0) + counts.get("older", 0) + counts.get("kept_result", 0),
        "rows_older_snapshot": counts.get("older", 0),
        "rows_rejected": len(rejects), "rows_skipped": skipped,
        "rejects": rejects,
        "unrecognized_values": [{"field": f, "value": v, "count": n, "rows": rows, "sheet": sheet}
                                for f, v, n, rows in unrecognized],
        "snapshot_date": snapshot.isoformat(),
        "newer_snapshot_date": newer.isoformat() if newer else None,
        "warnings": warnings,
    }


def _fill_from_older(con, present: frozenset) -> int:
    """The dossiers of this file that a newer snapshot already holds ('older') but whose newer file had no column for
    a field this file has (a flag, the fee, the procedure…: KEPT_WHEN_ABSENT): their stored row with those fields
    taken from this file is written as an update, whatever the order the two files were loaded in (the newer file
    loaded first left the field empty). The channel too: a file without its column stores 'direct' (an empty channel
    counts as direct), so the stored channel is taken as unsaid when the file it came from wrote no channel at all
    (probe 20: loaded before the older file, a daily export without «Hình thức nộp» turned online dossiers into
    direct ones). Returns how many."""
    columns = [dossier_sql.KEPT_WHEN_ABSENT[f] for f in sorted(present) if f != "channel"]
    unsaid = _channel_unsaid_imports(con) if "channel" in present else []
    channel_gap = (f"(d.channel = 'direct' AND a.channel <> 'direct' AND d.import_id IN ({', '.join(map(str, unsaid))}))"
                   if unsaid else None)
    if not columns and channel_gap is None:
        return 0
    gaps = " OR ".join([f"(d.{c} IS NULL AND a.{c} IS NOT NULL)" for c in columns]
                       + ([channel_gap] if channel_gap else []))
    older = f"FROM incoming_actions a JOIN dossiers d ON d.rowid = a.old_rowid WHERE a.action = 'older' AND ({gaps})"
    if not con.execute(f"SELECT count(*) {older}").fetchall()[0][0]:
        return 0
    merged = ", ".join([f"coalesce(d.{c}, a.{c}) AS {c}" for c in columns]
                       + ([f"CASE WHEN {channel_gap} THEN a.channel ELSE d.channel END AS channel"] if channel_gap else []))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _filled AS
        SELECT d.* REPLACE ({merged}), d.rowid AS old_rowid, d.snapshot_date AS old_snapshot_date,
               d.row_hash AS old_row_hash, 'update' AS action {older}""")
    # the hash of what the exports said, as a load of the newer file computes it: without a derived due date
    said = {"due_at": "CASE WHEN is_due_derived THEN NULL ELSE due_at END", "is_due_derived": "false"}
    con.execute(f"UPDATE _filled SET row_hash = hash({', '.join(said.get(c, c) for c in BUSINESS_COLUMNS)})")
    con.execute("DELETE FROM incoming_actions WHERE action = 'older' AND old_rowid IN (SELECT old_rowid FROM _filled)")
    con.execute("INSERT INTO incoming_actions BY NAME SELECT * FROM _filled")
    n = con.execute("SELECT count(*) FROM _filled").fetchall()[0][0]
    con.execute("DROP TABLE _filled")
    return n


def _channel_unsaid_imports(con) -> list[int]:
    """The loads whose rows a newer snapshot of this file's dossiers holds and that wrote no channel (no raw row of
    theirs has one: the file had no «Hình thức nộp» column). A few loads, each looked up by its id."""
    imports = [r[0] for r in con.execute("""SELECT DISTINCT d.import_id FROM incoming_actions a
        JOIN dossiers d ON d.rowid = a.old_rowid WHERE a.action = 'older' AND d.channel = 'direct'""").fetchall()]
    return [i for i in imports if not con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM raw_dossier_rows WHERE import_id = ? AND channel IS NOT NULL LIMIT 1)",
        [i]).fetchall()[0][0]]


def _stated_count(cell: str) -> str:
    """SQL: the count a totals line's cell states in words, «… 6 hồ sơ», «…: 6» or «Tổng cộng 6» (NULL: none)."""
    return (f"try_cast(coalesce(nullif(regexp_extract({cell}, '(\\d+)\\s*hồ sơ\\s*$', 1), ''), "
            f"nullif(regexp_extract({cell}, '[:=]\\s*(\\d+)\\s*$', 1), ''), "
            f"nullif(regexp_extract({cell}, '(?i)^\\s*(?:tổng cộng|tổng số|cộng)\\s+(\\d+)\\s*$', 1), '')) AS INT)")


def _add_earlier_sheet_duplicates(con, import_id: int, source: str) -> None:
    """The same rule across the sheets of one file (a «Đã giải quyết» sheet and an «Đang giải quyết» one listing a
    dossier on both): a line whose dossier an earlier sheet of this file loaded is set aside naming that line, unless
    it has a result and the earlier one has none — then it replaces it, as a later snapshot would. Before, a later
    sheet's pending line replaced the finished one (same snapshot, another row): the dossier went back to pending."""
    con.execute(f"""INSERT INTO duplicates
        SELECT c._row, 'duplicate_in_file||Mã hồ sơ trùng với dòng ' || d.row_number
                       || coalesce(' trang «' || any_value(r.sheet) || '»', ' ở trang trước') || ' của cùng tệp' ||
               CASE WHEN coalesce(d.finished_at, d.returned_at) IS NULL THEN '.'
                    WHEN c._done THEN ' (cả hai dòng đều có kết quả: giữ dòng trước).'
                    ELSE ' (giữ dòng đó: dòng đó đã có kết quả).' END ||
               -- a sheet per ward, each numbering its receipts from 1 (probe 45): say so, as within a sheet
               CASE WHEN coalesce(d.unit_code, norm_key(d.unit_text))
                         IS DISTINCT FROM {core_units.unit_key_sql('c.unit')}
                    THEN ' Dòng đó thuộc đơn vị khác («' || d.unit_text || '»): nếu mỗi đơn vị tự đánh số hồ sơ, hãy '
                         || 'tách tệp theo đơn vị và nạp mỗi tệp với một tên hệ thống riêng (--source).' ELSE '' END
        FROM (SELECT _row, dossier_code, unit, coalesce(_ts_finished_at, _ts_returned_at) IS NOT NULL AS _done
              FROM classified WHERE _skip IS NULL AND _reject IS NULL
                AND _row NOT IN (SELECT _row FROM duplicates)) c
        JOIN dossiers d ON d.import_id = $import_id AND d.source = $source AND d.dossier_code = c.dossier_code
        LEFT JOIN raw_dossier_rows r ON r.import_id = $import_id AND r.row_number = d.row_number
                                    AND r.dossier_code = d.dossier_code
        WHERE coalesce(d.finished_at, d.returned_at) IS NOT NULL OR NOT c._done
        GROUP BY c._row, c.unit, d.row_number, d.finished_at, d.returned_at, d.unit_code, d.unit_text, c._done""",
                {"import_id": import_id, "source": source})


def drop_staged(con) -> None:
    """Drops what a sheet's load staged: a million rows of incoming_actions held in memory while the aggregate
    tables are built made DuckDB spill that build to disk."""
    for table in ("incoming_actions", "value_map"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def record_unmatched_units(con, file_name: str) -> list[str]:
    """The sheet's unit names that name no unit; unmatched_units then counts the dossiers still waiting."""
    names = core_units.record_unmatched_units(con, "incoming_actions", file_name)
    con.execute("""UPDATE unmatched_units u SET dossier_count = (SELECT count(*) FROM dossiers d
                   WHERE d.unit_text = u.unit_text AND d.unit_code IS NULL)""")
    con.execute("DELETE FROM unmatched_units WHERE dossier_count = 0")
    return names
