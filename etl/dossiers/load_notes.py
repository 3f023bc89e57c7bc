"""What a dossier load says of the lines it loads as written: dates that cannot be right, unread times, empty
yes/no columns, month-first dates, missing due dates, dossiers a later sheet of the file replaces."""
from datetime import date

from common.formats import vn_int
from etl.core.date_order import order_evidence_sql
from etl.dossiers import sql as dossier_sql
from etl.dossiers.due_dates import DOSSIER_PROCEDURE_KEY, STATUTORY_DAYS_SQL
from etl.dossiers.fields import DEFAULT_SOURCE, FIELD_LABELS
from etl.references.holidays import CALENDAR_YEARS


def unread_time_warnings(con, sheet: str | None) -> list[str]:
    """The time cells of a separate time column («Giờ nhận») that hold no time a reader can tell ('abc', '25 phút'):
    their dossiers load with the date alone (00:00), said with the lines and the cells."""
    fields = [d[0][len("_untimed_"):] for d in con.execute("SELECT * FROM kept LIMIT 0").description
              if d[0].startswith("_untimed_")]
    warnings = []
    for f in fields:
        n, rows, cells = con.execute(f"""SELECT count(*), list(_row ORDER BY _row)[1:10],
                                                list(DISTINCT _untimed_{f})[1:3] FROM kept WHERE _untimed_{f} IS NOT NULL""").fetchall()[0]
        if n:
            warnings.append(f"{vn_int(n)} hồ sơ có ô «{FIELD_LABELS[f + '_time']}» không đọc được giờ ("
                            + ", ".join(f"«{c}»" for c in sorted(cells)) + f"; {sheet_place(sheet)}dòng "
                            + ", ".join(map(str, rows)) + (" …" if n > 10 else "") + f"): «{FIELD_LABELS[f]}» được "
                            "nạp không có giờ (00:00). Giờ viết 14:35, 14h35, 14 giờ 35 phút hay 2:35 CH được đọc.")
    return warnings


def due_word_notes(con, sheet: str | None) -> list[str]:
    """The due dates written as words and read so (etl/dossiers/sql.py due_words_sql), with their lines: «Trong ngày»
    is the receipt's day, «Không xác định» no due date."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_due_words'").fetchall()[0][0]:
        return []
    found = con.execute("""SELECT w.kind, count(*), list(w._row ORDER BY w._row), list(DISTINCT w.cell ORDER BY w.cell)[1:3]
                           FROM _due_words w JOIN kept k ON k._row = w._row GROUP BY w.kind ORDER BY w.kind DESC""").fetchall()
    con.execute("DROP TABLE _due_words")
    meaning = {"same_day": "hạn trả là chính ngày tiếp nhận",
               "none": "xem như tệp không ghi hạn trả: hạn tính theo thời hạn giải quyết của TTHC trong danh mục nếu "
                       "có, nếu không hồ sơ được tính là đúng hạn"}
    return [f"{vn_int(n)} hồ sơ ghi ngày hẹn trả bằng chữ (" + ", ".join(f"«{c}»" for c in cells)
            + f"; {sheet_place(sheet)}dòng {rows_text(rows)}): {meaning[kind]}." for kind, n, rows, cells in found]


def unstated_number_notes(con, sheet: str | None, present: frozenset) -> list[str]:
    """The fees and supplement counts written as a word that gives no number («Theo quy định», «Có thu phí», «x»),
    loaded empty, with their lines: such a fee counts as a fee of unknown amount (etl/vocab/values.csv, canonical
    unknown), not as none, and the dossier is not rejected over it (probe 49)."""
    numbers = [f for f in dossier_sql.NUMBER_FIELDS if f in present]
    if not numbers:
        return []
    found = con.execute(" UNION ALL ".join(
        f"""SELECT '{f}', count(*), list(_row ORDER BY _row), list(DISTINCT {f} ORDER BY {f})[1:3] FROM kept
            WHERE _unstated_{f} HAVING count(*) > 0""" for f in numbers)).fetchall()
    meaning = {"fee_amount": "hồ sơ được tính là có phí, chưa rõ số tiền",
               "supplement_count": "không rõ số lần bổ sung"}
    return [f"{vn_int(n)} hồ sơ ghi cột «{FIELD_LABELS[f]}» bằng chữ không kèm số (" + ", ".join(f"«{c}»" for c in cells)
            + f"; {sheet_place(sheet)}dòng {rows_text(rows)}): để trống, {meaning[f]}." for f, n, rows, cells in found]


def empty_flag_columns(con, present: frozenset) -> list[str]:
    """A yes/no column the file has with every cell empty counts "no" for every dossier (0 % digitized, every
    dossier "not synced"): said, since a system that does not record the field may export the column empty."""
    # not the payment: an empty payment column of dossiers without a fee says nothing odd
    flags = [f for f in dossier_sql.FLAG_FIELDS if f in present and f != "paid_online"]
    if not flags:
        return []
    filled = con.execute(f"SELECT count(*), {', '.join(f'count({f})' for f in flags)} FROM kept").fetchall()[0]
    empty = [FIELD_LABELS[f] for f, n in zip(flags, filled[1:]) if filled[0] and not n]
    if not empty:
        return []
    # dossiers.md lists an empty cell among the values that say no, so it is no; but the reader must know
    return [f"Cột {', '.join(f'«{x}»' for x in empty)} có trong tệp nhưng mọi ô đều trống: mọi hồ sơ của tệp được "
            "tính là «không». Nếu hệ thống của đơn vị không ghi thông tin này, tỷ lệ tương ứng của đơn vị thấp hơn "
            "thực tế: hãy kiểm tra với đơn vị hoặc nhà cung cấp phần mềm."]


def rows_text(rows: list[int]) -> str:
    return ", ".join(str(r) for r in rows[:10]) + (f" và {vn_int(len(rows) - 10)} dòng khác" if len(rows) > 10 else "")


def replaced_by_a_later_sheet(con, import_id: int, sheet: str | None) -> list[str]:
    """The dossiers an earlier sheet of this file wrote without a result and a line of this sheet replaces with one
    (_add_earlier_sheet_duplicates): said, for they count as updated even in an empty database (probe 20)."""
    rows = con.execute("""SELECT a.row_number, d.row_number, r.sheet FROM incoming_actions a
        JOIN dossiers d ON d.rowid = a.old_rowid
        LEFT JOIN raw_dossier_rows r ON r.import_id = d.import_id AND r.row_number = d.row_number
                                    AND r.dossier_code = d.dossier_code AND r.sheet IS DISTINCT FROM $sheet
        WHERE a.action = 'update' AND d.import_id = $import_id ORDER BY 1""",
                       {"import_id": import_id, "sheet": sheet}).fetchall()
    if not rows:
        return []
    pairs = "; ".join(f"dòng {new} thay dòng {old}" + (f" trang «{earlier}»" if earlier else "")
                      for new, old, earlier in rows[:5]) + (" …" if len(rows) > 5 else "")
    return [f"{vn_int(len(rows))} hồ sơ có ở hai trang của tệp: dòng ở {sheet_place(sheet) or 'trang này, '}đã có kết "
            f"quả, thay dòng chưa có kết quả ở trang trước ({pairs}); tính là cập nhật."]


def sheet_place(sheet: str | None) -> str:
    """The sheet a warning's rows are on, before their numbers: «trang «HS», » (nothing for a CSV)."""
    return f"trang «{sheet}», " if sheet else ""


def odd_date_warnings(con, sheet: str | None, snapshot: date) -> list[str]:
    """Dates that load but cannot be right, said with their rows: received after the day the export was taken (a
    year typed 2032 for 2022: the dossier falls out of the period it belongs to), a due date before the receipt
    (the dossier counts late), and a hand-over date with neither a status nor a finish (counted in progress, unless an
    earlier export of the dossier gave its outcome and this file has no column for it). The
    rows load as written: which date is wrong is for a person to say."""
    where = sheet_place(sheet)
    future, due_first, returned_only = con.execute("""SELECT
        list(_row ORDER BY _row) FILTER (WHERE CAST(_ts_received_at AS DATE) > ?),
        list(_row ORDER BY _row) FILTER (WHERE CAST(_ts_due_at AS DATE) < CAST(_ts_received_at AS DATE)),
        list(_row ORDER BY _row) FILTER (WHERE _ts_returned_at IS NOT NULL AND _ts_finished_at IS NULL
                                           AND status IS NULL)
        FROM kept""", [snapshot]).fetchall()[0]
    if returned_only:   # not those whose outcome an earlier export gave (kept: the file has no column for it)
        returned_only = con.execute("""SELECT list(row_number ORDER BY row_number) FROM incoming_actions
            WHERE list_contains($rows, row_number) AND finished_at IS NULL AND status_code IS NULL""",
                                    {"rows": returned_only}).fetchall()[0][0]
    out = []
    if future:
        out.append(f"{vn_int(len(future))} hồ sơ có ngày tiếp nhận sau ngày chụp số liệu {snapshot:%d/%m/%Y} "
                   f"({where}dòng {rows_text(future)}): vẫn nạp như ghi trong tệp, hãy kiểm tra năm của ngày đó.")
    if due_first:
        out.append(f"{vn_int(len(due_first))} hồ sơ có ngày hẹn trả trước ngày tiếp nhận ({where}dòng "
                   f"{rows_text(due_first)}): vẫn nạp như ghi trong tệp và được tính là trễ hạn khi có kết quả sau hạn.")
    if returned_only:   # a register (Mẫu 06) giving the hand-over only: indicators.md §1 takes it as F for 9/10 alone
        out.append(f"{vn_int(len(returned_only))} hồ sơ có ngày trả kết quả nhưng không có trạng thái hay ngày có kết "
                   f"quả ({where}dòng {rows_text(returned_only)}): theo quy tắc đếm, ngày trả kết quả chỉ là ngày kết "
                   "thúc khi trạng thái là «Đã xử lý xong» hay «Đã trả kết quả», nên các hồ sơ này được tính là đang "
                   "giải quyết; hãy thêm cột trạng thái hoặc ngày có kết quả.")
    # Returned or withdrawn (7, 8) with the hand-over date only (an iGate export without «Ngày có kết quả»): the same
    # rule counts them in progress in every later period — said, for the export to carry the finishing date (probe 15).
    ended = [r[0] for r in con.execute("""SELECT row_number FROM incoming_actions WHERE status_code IN (7, 8)
        AND finished_at IS NULL AND returned_at IS NOT NULL ORDER BY row_number""").fetchall()]
    # Received by a unit outside its validity (a ward ended 30/06/2025, an export still naming it in July: probe 18):
    # loaded under that unit as written, said for the export or the unit list to be checked.
    # (looked at only when some unit has a validity: a list without one has nothing to say here)
    bounded = con.execute("SELECT count(*) FROM units WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL").fetchall()[0][0]
    outside = con.execute("""SELECT list(i.row_number ORDER BY i.row_number), list(DISTINCT u.unit_name ORDER BY u.unit_name)
        FROM incoming_actions i JOIN units u ON u.unit_code = i.unit_code
        WHERE CAST(i.received_at AS DATE) > u.valid_to OR CAST(i.received_at AS DATE) < u.valid_from""").fetchall()[0] \
        if bounded else (None, None)
    if outside[0]:
        names = ", ".join(f"«{n}»" for n in outside[1][:5]) + (" …" if len(outside[1]) > 5 else "")
        out.append(f"{vn_int(len(outside[0]))} hồ sơ được tiếp nhận ngoài thời gian hiệu lực của đơn vị ghi trong tệp "
                   f"({names}; {where}dòng {rows_text(outside[0])}): vẫn nạp cho đơn vị đó; hãy kiểm tra danh mục đơn vị "
                   "của hệ thống xuất (đơn vị đã sắp xếp, đơn vị kế thừa) hoặc hiệu lực trong danh mục đơn vị.")
    # A status no word reads beside a hand-over date only («Đã trả KQ» before the vocabulary had it; probe 18): the
    # same rule counts the dossier in progress — said with the words, for the vocabulary or the export to be mended.
    unread = con.execute("""SELECT list(row_number ORDER BY row_number), list(DISTINCT status_text ORDER BY status_text)
        FROM incoming_actions WHERE status_code IS NULL AND status_text IS NOT NULL AND finished_at IS NULL
        AND returned_at IS NOT NULL""").fetchall()[0]
    if unread[0]:
        words = ", ".join(f"«{w}»" for w in unread[1][:5]) + (" …" if len(unread[1]) > 5 else "")
        out.append(f"{vn_int(len(unread[0]))} hồ sơ có ngày trả kết quả nhưng trạng thái không nhận ra ({words}) và không "
                   f"có ngày có kết quả ({where}dòng {rows_text(unread[0])}): ngày trả chỉ là ngày kết thúc khi trạng "
                   "thái là «Đã xử lý xong» hay «Đã trả kết quả», nên các hồ sơ này được tính là đang giải quyết; hãy "
                   "thêm chữ trạng thái đó vào etl/vocab/values.csv (trường status) hoặc xuất kèm «Ngày có kết quả».")
    # Finished (9, 10: «Hoàn thành trước hạn») with neither a finishing nor a hand-over date (an export giving
    # «Thời gian xử lý (ngày)» instead; probe 37): the rule has no F and counts them in progress, overdue after the
    # due date — said, for the export to carry the date.
    undated, withdrawn = con.execute("""SELECT
        list(row_number ORDER BY row_number) FILTER (WHERE status_code IN (9, 10)),
        list(row_number ORDER BY row_number) FILTER (WHERE status_code IN (7, 8))
        FROM incoming_actions WHERE status_code IN (7, 8, 9, 10) AND finished_at IS NULL AND returned_at IS NULL
        """).fetchall()[0]
    if undated:
        out.append(f"{vn_int(len(undated))} hồ sơ có trạng thái đã giải quyết nhưng không có ngày có kết quả hay ngày trả "
                   f"kết quả ({where}dòng {rows_text(undated)}): không biết hồ sơ giải quyết ngày nào, nên theo quy tắc "
                   "đếm các hồ sơ này được tính là đang giải quyết (và quá hạn sau hạn trả); hãy xuất kèm cột «Ngày có "
                   "kết quả».")
    if withdrawn:   # returned or withdrawn without any date (probe 51: counted pending, overdue, without a word)
        out.append(f"{vn_int(len(withdrawn))} hồ sơ trả lại hoặc rút (trạng thái 7, 8) không có ngày có kết quả hay ngày "
                   f"trả ({where}dòng {rows_text(withdrawn)}): không biết hồ sơ kết thúc ngày nào, nên theo quy tắc đếm "
                   "các hồ sơ này được tính là đang giải quyết (và quá hạn sau hạn trả); hãy xuất kèm cột «Ngày có kết "
                   "quả».")
    if ended:
        out.append(f"{vn_int(len(ended))} hồ sơ trả lại hoặc rút (trạng thái 7, 8) có ngày trả nhưng không có ngày có kết "
                   f"quả ({where}dòng {rows_text(ended)}): theo quy tắc đếm, ngày trả chỉ thay ngày có kết quả khi hồ sơ "
                   "«Đã xử lý xong» hay «Đã trả kết quả», nên các hồ sơ này được tính là đang giải quyết (và quá hạn "
                   "sau hạn trả) ở mọi kỳ sau; hãy xuất kèm cột «Ngày có kết quả».")
    return out


def month_first_warning(con, sheet: str | None) -> list[str]:
    """A sheet whose dates are written month first (a CSV saved by Windows set to English (United States): «3/14/2022»):
    dossiers.md reads dates day first, so the dates past the 12th are rejected and the others read as another month
    («3/1/2022» as 3 January) — said, with an example, when no date of the sheet can only be day first and at least
    two can only be month first. Looked at only when a date was unreadable (every such sheet has one)."""
    cells = " UNION ALL ".join(f"SELECT _row, {f} AS shown, {f} AS t FROM classified WHERE _skip IS NULL AND {f} IS NOT NULL"
                               for f in dossier_sql.DATE_FIELDS)
    day_first, month_first, _, _, example, row = con.execute(order_evidence_sql(cells)).fetchall()[0]
    if day_first or month_first < 2:
        return []
    return [f"Ngày trong tệp có vẻ được ghi tháng trước ngày (ví dụ «{example}», {sheet_place(sheet)}dòng {row}), như Excel "
            "lưu CSV khi Windows đặt vùng Hoa Kỳ: công cụ đọc ngày/tháng/năm, nên ngày sau 12 bị loại và các ngày khác "
            "bị đọc sai tháng («3/1/2022» thành ngày 3 tháng 1). Hãy đặt vùng Windows là Việt Nam (hoặc định dạng cột "
            "ngày là dd/mm/yyyy) rồi xuất lại tệp."]


def missing_due_warnings(con) -> list[str]:
    """Dossiers written without a due date: their deadline is the procedure's statutory time when the catalogue
    gives one (etl/dossiers/due_dates.py), else they count as on time (indicators.md §1) — said, as a reader would
    want. (At the first load of a database the holiday calendar comes after the file: the dates are then worked out
    with it, in the same load.)"""
    # Not the dossiers newly registered or refused at the desk (status 1, 3): no figure counts them (model/facts.py),
    # deadline or not (probe 16).
    missing, derivable, unnamed, without_time = con.execute(f"""
        SELECT count(*), count(p.statutory_days) FILTER (WHERE year(i.received_at) BETWEEN $first AND $last),
               count(*) FILTER (WHERE i.procedure_code IS NULL AND i.procedure_name IS NULL),
               list(DISTINCT coalesce(i.procedure_code, i.procedure_name) ORDER BY coalesce(i.procedure_code, i.procedure_name))
                 FILTER (WHERE p.statutory_days IS NULL AND coalesce(i.procedure_code, i.procedure_name) IS NOT NULL)
        FROM incoming_actions i LEFT JOIN ({STATUTORY_DAYS_SQL}) p ON p.proc_key = {DOSSIER_PROCEDURE_KEY.format(t="i")}
        WHERE i.action IN ('insert', 'update') AND (i.due_at IS NULL OR i.is_due_derived)
          AND (i.status_code IS NULL OR i.status_code NOT IN (1, 3))""",
                                     {"first": CALENDAR_YEARS[0], "last": CALENDAR_YEARS[-1]}).fetchall()[0]
    if not missing:
        return []
    parts = []
    if derivable:
        parts.append(f"{vn_int(derivable)} hồ sơ được tính ngày hẹn trả theo thời hạn giải quyết (ngày làm việc) của "
                     "thủ tục trong danh mục TTHC")
    # a register naming no procedure: the catalogue cannot help, the export's own due date column would
    if unnamed:
        parts.append(f"{vn_int(unnamed)} hồ sơ không ghi thủ tục nên không tính được hạn và được tính là đúng hạn "
                     "(tệp cần cột «Ngày hẹn trả», hoặc cột «Mã TTHC» / «Tên TTHC» để tính hạn theo danh mục)")
    if missing - derivable - unnamed > 0:
        # the procedures named, so that a catalogue already loaded can be looked at (a time in words it could not read)
        named = (": " + ", ".join(without_time[:5]) + (" …" if len(without_time) > 5 else "")) if without_time else ""
        parts.append(f"{vn_int(missing - derivable - unnamed)} hồ sơ có thủ tục chưa có thời hạn giải quyết trong danh "
                     f"mục (hoặc nhận ngoài các năm {CALENDAR_YEARS[0]}–{CALENDAR_YEARS[-1]} của lịch nghỉ lễ) nên được "
                     f"tính là đúng hạn (nạp danh mục TTHC có cột «Thời hạn giải quyết» ghi số ngày để tính hạn){named}")
    text = f"{vn_int(missing)} hồ sơ không có ngày hẹn trả: " + "; ".join(parts)
    return [text + "."]


def other_source_twins(con, source: str) -> list[str]:
    """Dossiers this load added to the default system that another system already holds — the same code, unit and
    receipt day: a daily file of system «b» loaded without --source b, each such dossier then counted twice (probe
    48: silently). Looked for only without --source and when another system has dossiers (one join of the new codes)."""
    if source != DEFAULT_SOURCE or not con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM dossiers WHERE source <> $s LIMIT 1)", {"s": source}).fetchall()[0][0]:
        return []
    found = con.execute("""SELECT count(*), list(DISTINCT d.source ORDER BY d.source), list(a.dossier_code ORDER BY a.dossier_code)[1:5]
        FROM incoming_actions a JOIN dossiers d ON d.dossier_code = a.dossier_code AND d.source <> $s
         AND d.unit_code IS NOT DISTINCT FROM a.unit_code AND CAST(d.received_at AS DATE) = CAST(a.received_at AS DATE)
        WHERE a.action = 'insert'""", {"s": source}).fetchall()[0]
    n, sources, codes = found
    if not n:
        return []
    named = ", ".join(f"«{x}»" for x in sources)
    return [f"{vn_int(n)} hồ sơ vừa nạp (không có --source, nên vào hệ thống «{DEFAULT_SOURCE}») đã có trong hệ thống "
            f"{named} với cùng mã, đơn vị và ngày tiếp nhận ({', '.join(codes)}{' …' if n > 5 else ''}): mỗi hồ sơ đó "
            f"đang được tính hai lần. Nếu tệp này là của hệ thống {named}: gỡ các hồ sơ vừa nạp (python -m etl remove "
            f"--db <tệp CSDL> --source {DEFAULT_SOURCE} --dossier <các mã>) rồi nạp lại tệp với --source {sources[0]}."]
