"""Sheets laid out like a dossier list that are not one (a processing log, a count report), and sheet names that give a status."""
import dataclasses

import pyarrow as pa
import pyarrow.compute as pc

from common.formats import vn_int
from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.core.header import header_keys, header_lines
from etl.core.kind import SheetLoad
from etl.core.vocab import value_words

__all__ = ["count_column", "refuse_a_count_table", "refuse_a_processing_log", "scientific_codes_note",
           "status_of_the_sheet"]


def _sheet_of_file(sheet: SheetLoad) -> str:
    """How a refusal names the sheet refused: «Trang «NhatKy» của tệp x.xlsx», or «Tệp x.csv»."""
    return (f"Trang «{sheet.grid.sheet}» của tệp" if sheet.grid.sheet else "Tệp") + f" {sheet.file_name}"


# A column naming the step of the handling («Bước xử lý», «Công đoạn», «Nội dung xử lý»), in any line of the header,
# with or without a note. Not «Bước hiện tại» (the step a dossier of a list has reached), nor «Thao tác» (the actions
# column of a web export: «Xem | Sửa»); a list of one line per dossier never gives a code two steps anyway.
_STEP_HEADERS = frozenset({"buoc", "buoc xu ly", "buoc thuc hien", "ten buoc", "ten buoc xu ly", "cong doan",
                           "cong doan xu ly", "buoc quy trinh", "noi dung xu ly", "qua trinh xu ly"})


def _is_step_header(text) -> bool:
    return any(k in _STEP_HEADERS or (k.startswith("buoc ") and "hien tai" not in k) for k in header_keys(text))


# A log lists most of its dossiers on several lines; a list with a dossier or a few twice (pending, then finished)
# is no log: its repeats are set aside as duplicates.
_LOG_SHARE = 0.3


def refuse_a_processing_log(con, sheet: SheetLoad) -> None:
    """A processing log lists each step of a dossier on its own line (received, sent on, signed, handed over), each
    with the step's dates under «Ngày bắt đầu | Ngày kết thúc». Read as dossiers, one line per code was kept and its
    step's end taken for the result (probe 35: a dossier handed over late counted early, a pending one resolved): no
    figure can be read from it, so it is refused — when a step column gives the lines of one code different steps,
    for two codes and at least a third of them."""
    steps = [(j, str(h)) for line in header_lines(sheet.grid, sheet.match) for j, h in enumerate(line) if h is not None and _is_step_header(h)
             and f"c{j}" not in sheet.match.columns.values() and f"c{j}" in sheet.grid.table.column_names]
    if not steps:
        return
    j, step_header = steps[0]
    below = sheet.grid.table.slice(sheet.match.header_index + 1)
    cells = pa.table({"code": pc.utf8_trim_whitespace(below.column(sheet.match.columns["dossier_code"])),
                      "step": below.column(f"c{j}")})
    cells = cells.filter(pc.is_valid(cells["code"]))
    per_code = cells.group_by("code").aggregate([("step", "count_distinct")])
    logged = per_code.filter(pc.greater(per_code["step_count_distinct"], 1))
    if logged.num_rows < 2 or logged.num_rows < _LOG_SHARE * per_code.num_rows:
        return
    code = logged["code"][0].as_py()
    rows = [r[0] for r in con.execute("""SELECT _row FROM classified WHERE dossier_code = ? AND _skip IS NULL
                                         ORDER BY _row LIMIT 5""", [code]).fetchall()]
    raise ImportFailure(
        f"{_sheet_of_file(sheet)} là nhật ký xử lý hồ sơ, không phải danh sách hồ sơ: cột «{step_header}» ghi các "
        f"bước khác nhau cho cùng một mã hồ sơ ở {vn_int(logged.num_rows)} trên {vn_int(per_code.num_rows)} mã (ví dụ "
        f"«{code}» ở các dòng {', '.join(map(str, rows))}). Mỗi dòng là một bước xử lý, ngày ở các cột là ngày của "
        "bước, không phải ngày có kết quả của hồ sơ, nên không tính được số liệu từ tệp này; không nạp dòng nào. Hãy "
        "xuất danh sách hồ sơ (mỗi hồ sơ một dòng, có ngày tiếp nhận, ngày hẹn trả và ngày có kết quả) từ hệ thống "
        "một cửa rồi nạp tệp đó.")


# A summary report counts dossiers: «Số hồ sơ» (the number of dossiers, not a dossier's number) beside count columns.
# Not a column of one dossier's days, pages or copies («Số ngày trễ hạn», «Tổng số trang», «Số lượng bản»: review).
_COUNT_HEADERS = ("da giai quyet", "dang giai quyet", "chua giai quyet", "tre han", "qua han", "dung han", "truoc han",
                  "tong so", "so luong", "da tra ket qua", "da tiep nhan")
_NOT_COUNT_WORDS = ("ngay", "trang", "ban", "lan")
# What only a list of dossiers has: a date or a status of one dossier, its procedure.
_ONE_DOSSIER_FIELDS = frozenset({"due_at", "finished_at", "returned_at", "status", "procedure_code", "procedure_name"})
_BARE_COUNT = r"^\d{1,7}$"


def count_column(grid, match) -> str | None:
    """The count column that makes a sheet a report counting dossiers per unit or day («Đơn vị | Ngày tiếp nhận |
    Số hồ sơ | Đã giải quyết | Đang giải quyết»: 12 | 11 | 1), or None: «Số hồ sơ» holding only whole numbers, no
    column of one dossier's dates, status or procedure, and a count-worded column of whole numbers beside it."""
    code_column = match.columns.get("dossier_code")
    lines = header_lines(grid, match)
    if code_column is None or _ONE_DOSSIER_FIELDS & set(match.columns):
        return None
    j = int(code_column[1:])
    if not any(j < len(line) and norm_key(line[j]) == "so ho so" for line in lines):
        return None
    below = grid.table.slice(match.header_index + 1)

    def whole_numbers(name: str) -> bool:
        cells = pc.drop_null(pc.utf8_trim_whitespace(below.column(name)))
        cells = cells.filter(pc.not_equal(cells, ""))
        return len(cells) > 0 and pc.all(pc.match_substring_regex(cells, _BARE_COUNT)).as_py()
    counts = [str(line[k]) for line in lines for k in range(len(line))
              if line[k] is not None and any(w in norm_key(line[k]) for w in _COUNT_HEADERS)
              and not any(w in norm_key(line[k]).split() for w in _NOT_COUNT_WORDS)
              and f"c{k}" not in match.columns.values() and f"c{k}" in below.column_names
              and whole_numbers(f"c{k}")]
    return counts[0] if counts and whole_numbers(code_column) else None


def refuse_a_count_table(sheet: SheetLoad) -> None:
    """A report counting dossiers read as a dossier list whose codes are the counts (probe 37: four «dossiers» coded
    12, 8, 5, 7 loaded, 32 dossiers counted as 4 pending) is refused; beside a sheet of dossiers it is left unread
    (the kind's side_sheet)."""
    counted = count_column(sheet.grid, sheet.match)
    if counted is None:
        return
    raise ImportFailure(
        f"{_sheet_of_file(sheet)} là bảng tổng hợp số lượng hồ sơ, không phải danh sách hồ sơ: cột «Số hồ sơ» ghi số "
        f"lượng (chỉ có số nguyên) và cột «{counted}» cũng là số đếm. Từ số đếm không tính lại được các số liệu (đúng "
        "hạn, trễ hạn, đang giải quyết theo kỳ), nên không nạp dòng nào. Hãy xuất danh sách hồ sơ chi tiết (mỗi hồ sơ "
        "một dòng, có mã hồ sơ, ngày tiếp nhận, ngày hẹn trả và ngày có kết quả) rồi nạp tệp đó.")


def status_of_the_sheet(con, sheet: SheetLoad) -> str | None:
    """A workbook of one sheet per status without a status column («Đã giải quyết», «Đang giải quyết», «Trả lại»):
    the lines of a sheet named as returned or withdrawn (status 7, 8) take that status, which the dates cannot tell
    (probe 37: the «Trả lại» sheet counted resolved, one of them late). Other sheets are left to the dates, as
    dossiers.md infers a missing status. Returns the note to give, or None."""
    if "status" in sheet.match.columns or not sheet.grid.sheet:
        return None
    key = norm_key(sheet.grid.sheet)
    key = key.removeprefix("ho so ").removeprefix("hs ")
    code = next((c for f, w, c in value_words() if f == "status" and w == key and c in ("7", "8")), None)
    if code is None:
        return None
    n = len(con.execute("UPDATE classified SET status = ? WHERE _skip IS NULL AND status IS NULL RETURNING _row",
                        [code]).fetchall())
    return (f"Trang «{sheet.grid.sheet}» không có cột trạng thái: {vn_int(n)} hồ sơ của trang được tính là "
            f"{'rút hồ sơ' if code == '7' else 'trả lại'} (trạng thái {code}) theo tên trang.") if n else None


# «2.40102E+11»: a long number code Excel showed in scientific notation and a CSV export kept so; its last digits are
# gone (probe 38: two receipt numbers became one code and the second dossier was rejected as a repeat).
_SCIENTIFIC_CODE = r"^\s*\d(?:[.,]\d+)?[eE]\+\d+\s*$"


def scientific_codes_note(con, sheet: SheetLoad) -> str | None:
    """The note for dossier codes written in Excel's scientific notation, or None: loaded as written (a later export
    of the same file matches them), said so the export is made again with the code column as text."""
    n, rows, codes = con.execute(f"""
        SELECT count(*), list(_row ORDER BY _row)[1:10], list(DISTINCT trim(dossier_code))[1:3] FROM classified
        WHERE _skip IS NULL AND (contains(dossier_code, 'E+') OR contains(dossier_code, 'e+'))
          AND regexp_matches(dossier_code, '{_SCIENTIFIC_CODE}')""").fetchall()[0]   # the regex for few codes only
    if not n:
        return None
    where = f"trang «{sheet.grid.sheet}», " if sheet.grid.sheet else ""
    return (f"{vn_int(n)} mã hồ sơ ghi dạng số mũ của Excel (" + ", ".join(f"«{c}»" for c in sorted(codes))
            + f"; {where}dòng {', '.join(map(str, rows))}{' …' if n > 10 else ''}): Excel đã làm tròn số nên mất các "
            "chữ số cuối — hai hồ sơ khác nhau có thể mang cùng một mã (dòng sau bị loại là trùng mã) và mã không khớp "
            "với tệp xuất lần sau. Hãy xuất lại tệp từ hệ thống, hoặc định dạng cột mã hồ sơ là Văn bản (Text) trước "
            "khi dán, rồi nạp lại.")


def beside_the_table(sheet: SheetLoad) -> tuple[SheetLoad, str | None]:
    """A small table to the right of the dossiers, past columns empty from the header down (a summary «Tình trạng |
    Số lượng», «Lĩnh vực | Số hồ sơ» on the header's row): its columns are no fields of the dossiers beside whose
    lines it stands (probe 49: its labels were read as those dossiers' status and sector — a late dossier counted
    returned, a sector «Tổng cộng»). Read only when the block holds fewer lines than the dossier table. (the sheet
    without those columns, what the summary says of them)."""
    match, table = sheet.match, sheet.grid.table
    code = match.columns.get("dossier_code")
    if code is None or code not in table.column_names:
        return sheet, None
    header = header_lines(sheet.grid, match)
    width = len(table.column_names)
    below = table.slice(match.header_index + 1)

    def filled(j: int) -> int:
        if f"c{j}" not in below.column_names:
            return 0
        column = below.column(f"c{j}").cast(pa.string())
        empty = pc.or_kleene(pc.is_null(column), pc.equal(pc.utf8_trim_whitespace(column), ""))
        return pc.sum(pc.invert(empty)).as_py() or 0

    def titled(j: int) -> bool:
        return any(j < len(r) and str(r[j] or "").strip() for r in header)
    last_field = max(int(c[1:]) for f, c in match.columns.items() if f in ("dossier_code", "received_at"))
    gap = next((j for j in range(last_field + 1, width) if not titled(j) and not filled(j)), None)
    if gap is None:
        return sheet, None
    beyond = {f: c for f, c in match.columns.items() if int(c[1:]) > gap}
    if not beyond or max(filled(int(c[1:])) for c in beyond.values()) >= filled(int(code[1:])):
        return sheet, None
    names = [str(next(r[j] for r in header if j < len(r) and str(r[j] or "").strip()))
             for j in range(gap + 1, width) if titled(j)]
    kept = {f: c for f, c in match.columns.items() if f not in beyond}
    ignored = [*match.ignored, *(n for n in names if n not in match.ignored)]
    sheet = dataclasses.replace(sheet, match=dataclasses.replace(match, columns=kept, ignored=ignored))
    return sheet, (f"Cột {', '.join(f'«{n}»' for n in names)} đứng sau cột trống, bên phải danh sách hồ sơ và có ít dòng "
                   "hơn nó: là một bảng khác (bảng tóm tắt), không phải cột của các hồ sơ cùng dòng, nên không đọc.")
