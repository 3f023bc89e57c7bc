"""Import files of any kind: recognize the kind, find the header, load each file all or nothing, log it."""
import dataclasses
import hashlib
import os
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import numpy as np

from common.formats import vn_event_time, vn_int
from common.text import norm_key
from etl.core.database import connect
from etl.core.errors import ImportFailure, UnusableDatabase
from etl.core.header import mapped_headers, unheaded_data_columns
from etl.core.kind import SUMMED_COUNTS, SheetLoad
from etl.core.legacy_text import legacy_cells, legacy_cells_message, legacy_encoding, legacy_message
from etl.core.publish import exclusive_load
from etl.core.read_ahead import ReadAhead
from etl.core.readers import chart_sheets, read_file
from etl.core.rows import reject_record
from etl.derived_tables import refresh_derived_tables
from etl.references.units import rebuild_unit_keys
from etl.surveys.ticks import untick
from etl.kinds import KINDS, kind_named
from model.incremental import start_tracking


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _recognize(grids, kind: str, extra_aliases, file_name: str) -> tuple[list[tuple], list[tuple]]:
    """(grid, Kind, header match) for every sheet that carries a table of the kind asked (or any, for auto), and
    (grid, Kind, message) for every sheet that reads as a kind with a required column missing."""
    candidates = KINDS if kind == "auto" else (kind_named(kind),)
    found, incomplete = [], []
    for grid in grids:
        head = grid.head_rows()
        best = None
        for k in candidates:
            hit = k.recognize(head, extra_aliases, kind != "auto")
            if hit and (best is None or hit[0] > best[0]):
                best = (hit[0], k, hit[1])
        # a kind whose own columns the header names, though another kind read it more closely (Kind.claims)
        claimer = next((k for k in KINDS if k.claims and k is not best[1] and k.claims(head, tuple(extra_aliases))),
                       None) if kind == "auto" and best is not None else None
        if kind == "auto" and (best is None or best[1].whole_file or claimer):
            # A misspelled required header must not turn a dossier export into a reference file that then
            # overwrites the real one: the sheet stays unrecognized and the message names the missing column.
            missing = next(((k, m) for k in KINDS if k.missing_columns_message and (best is None or k is not best[1])
                            for m in [k.missing_columns_message(head, tuple(extra_aliases), file_name)] if m), None)
            if missing:
                incomplete.append((grid, *missing))
                best = None
            elif claimer:   # every column there, yet read as another kind: the claiming kind's own reading
                hit = claimer.recognize(head, extra_aliases, True)
                best = (hit[0], claimer, hit[1]) if hit else best
        if best:
            found.append((grid, best[1], best[2]))
    return found, incomplete


def _refuse_another_kind(grids, forced, extra_aliases: tuple, file_name: str) -> None:
    """--kind names a kind whose columns a sheet lacks while every column of another kind is there (a ratings export
    forced as the 766 published scores, a dossier list as a questionnaire): refused, naming the kind the file is, instead
    of rejecting every line or saying only what is missing (probes 47 and 52). Not with --unit: a dossier list without
    a unit column is read as dossiers on purpose then."""
    for grid in grids:
        head = grid.head_rows()
        missing = forced.needs(head, extra_aliases)[1] if forced.needs else []
        if not missing or forced.recognize(head, extra_aliases, False):
            continue   # the kind asked reads the sheet, or has every column it needs (a ratings export without units)
        hits = [(hit[0], k) for k in KINDS if k is not forced for hit in [k.recognize(head, extra_aliases, False)] if hit]
        if hits:
            other = max(hits, key=lambda h: h[0])[1]
            where = f" (trang «{grid.sheet}»)" if grid.sheet else ""
            raise ImportFailure(
                f"Tệp {file_name}{where} có đủ các cột của tệp {other.label} nhưng thiếu cột "
                + ", ".join(f"«{m}»" for m in missing) + f" của tệp {forced.label} mà --kind {forced.name} chỉ định, "
                f"nên không nạp dòng nào. Hãy nạp lại không ghi --kind (công cụ tự nhận "
                f"ra loại tệp) hoặc với --kind {other.name}.")


def _reshaped(grid, kind, match, extra_aliases: tuple) -> tuple:
    """(grid, kind, match) of a sheet laid out as its kind's loader reads it (Kind.reshape), its header found again;
    as it was when the kind has no reshape or nothing changed."""
    if kind.reshape is None:
        return grid, kind, match
    reshaped = kind.reshape(grid, match, extra_aliases)
    hit = kind.recognize(reshaped.head_rows(), extra_aliases, True) if reshaped is not grid else None
    return (reshaped, kind, hit[1]) if hit else (grid, kind, match)


def _incomplete_sheet_message(file_name: str, file_kind, grid, message: str) -> str:
    """A sheet of the file's kind missing a required column while other sheets are complete (probe 43: a month split
    into a sheet of finished and one of pending dossiers, the second's «Ngày TN» unread: it was called a sheet
    without a table, and the pending dossiers left the figures)."""
    where = f"trang «{grid.sheet}»" if grid.sheet is not None else "một trang"
    details = message.split("\n", 1)[1] if "\n" in message else message
    return (f"Tệp {file_name}: {where} có bảng {file_kind.label} nhưng thiếu cột bắt buộc, trong khi các trang khác đọc "
            "được. Tệp được nạp trọn vẹn hoặc không nạp gì — nạp các trang kia mà bỏ trang này thì số liệu thiếu các "
            "dòng của trang này — nên không nạp dòng nào.\n" + details)


_HOLIDAY_WORDS = ("nghi le", "lam bu", "nghi bu", "nghi tet", "ngay nghi", "nghi hoan doi")


# The labels Excel (Vietnamese and English) and LibreOffice write in a pivot table: its row labels, grand total and
# value fields («Đếm của Mã hồ sơ», «Sum of Số ngày trễ»), and the report filter's «(Tất cả)».
_PIVOT_LABELS = ("nhan hang", "nhan cot", "tong cuoi", "row labels", "column labels", "grand total", "total result",
                 "tong ket qua")
_PIVOT_PREFIXES = ("dem cua ", "tong cua ", "trung binh cua ", "count of ", "sum of ", "average of ")


def _pivot_sheets(grids) -> list[str | None]:
    """The sheets whose first lines hold a pivot table's labels: a summary exported instead of the list (probe 51:
    the generic «không nhận ra» said nothing of what the file was)."""
    def is_label(cell) -> bool:
        key = norm_key(cell) if isinstance(cell, str) else ""
        return key in _PIVOT_LABELS or key.startswith(_PIVOT_PREFIXES)
    return [g.sheet for g in grids if sum(is_label(c) for row in g.head_rows()[:30] for c in row) >= 2]


def _pivot_line(pivots: list[str | None]) -> str:
    where = "Tệp" if pivots == [None] else "Trang " + ", ".join(f"«{name}»" for name in pivots)
    return (f"  - {where} là bảng tổng hợp (PivotTable: «Nhãn Hàng», «Đếm của …», «Tổng Cuối»), không phải danh sách: "
            "công cụ nạp danh sách chi tiết, mỗi dòng một hồ sơ (hay một phiếu, một đơn vị…). Hãy xuất danh sách chi "
            "tiết từ hệ thống rồi nạp tệp đó.")


def _looks_like_holidays(grids) -> bool:
    """The first lines of some sheet speak of days off or days worked in exchange."""
    return any(any(w in norm_key(cell) for w in _HOLIDAY_WORDS)
               for g in grids for row in g.head_rows()[:15] for cell in row if isinstance(cell, str))


def _no_kind_message(grids, extra_aliases: tuple, file_name: str, charts: list[str] = ()) -> str:
    """A file no kind recognizes (--kind auto) and that is not a dossier export missing a column: says so, names
    the kinds whose columns it comes closest to and what each lacks, and how to name the kind."""
    near = []
    for k in KINDS:
        if k.needs is None:
            continue
        found, missing = max((k.needs(g.head_rows(), extra_aliases) for g in grids),
                             key=lambda n: (n[0], -len(n[1])), default=(0, []))
        if found and missing:
            near.append((found, len(missing), k, missing))
    near.sort(key=lambda n: (-n[0], n[1]))   # stable: on a tie, the kind listed first in KINDS
    lines = [f"Tệp {file_name}: không nhận ra đây là loại tệp nào (không trang nào có đủ các cột tiêu đề của một loại "
             "tệp mà công cụ nạp được), nên không nạp dòng nào từ tệp này."]
    for i, (_, _, k, missing) in enumerate(near[:3]):
        lead = f"Giống tệp {k.label} nhất" if i == 0 else f"Giống tệp {k.label}"
        lines.append(f"  - {lead}: thiếu cột " + ", ".join(f"«{m}»" for m in missing) + ".")
    pivots = _pivot_sheets(grids)
    if pivots:
        lines.append(_pivot_line(pivots))
    elif not near:
        lines.append("  - Không cột tiêu đề nào khớp với một loại tệp.")
    if charts:
        lines.append("  - Trang biểu đồ " + ", ".join(f"«{c}»" for c in charts) + " không có bảng số liệu để đọc.")
    if _looks_like_holidays(grids):   # probe 34: a Ministry's decision on days off, told nothing of where they go
        lines.append("  - Tệp có vẻ là lịch nghỉ lễ, ngày làm bù: lịch này không nạp bằng lệnh nạp. Công cụ lấy ngày nghỉ "
                     "từ thư viện holidays; ngày nghỉ hoán đổi, ngày làm bù riêng thì ghi vào etl/vocab/holidays.csv (cột "
                     "holiday_date, name, day_type: off là ngày nghỉ, workday là ngày làm bù) rồi chạy "
                     "python -m etl refresh.")
    lines.append("Đã thử các loại: " + ", ".join(k.label for k in KINDS) + ".")
    # the closest kind as the example; with none, no kind is suggested (naming one would read as a guess)
    lines.append("Nếu biết loại tệp, hãy ghi rõ khi nạp (dòng lệnh: --kind " +
                 (near[0][2].name if near else "LOẠI") + "; các loại: " + ", ".join(k.name for k in KINDS) +
                 "), công cụ sẽ nói rõ cột nào còn thiếu; nếu tệp dùng tiêu đề khác, hãy khai báo trong tệp ánh xạ "
                 "(--mapping).")
    return "\n".join(lines)


def _refuse_the_same_file_under_another_source(con, content_hash: str, source: str | None, file_name: str) -> None:
    """A dossier export loaded again under another source (--source A, then none) would count every dossier twice,
    for a dossier is one row per source and code (probe 40: «thêm mới 3», received 5 → 8, not a word): refused."""
    earlier = con.execute("""SELECT source, file_name, imported_at FROM import_log
                             WHERE content_hash = ? AND kind = 'dossiers' AND source IS DISTINCT FROM ?
                             ORDER BY import_id DESC LIMIT 1""", [content_hash, source]).fetchall()
    if earlier:
        other, other_name, when = earlier[0]
        raise ImportFailure(
            f"Tệp {file_name} giống hệt tệp {other_name} đã nạp lúc {vn_event_time(when)} với nguồn «{other}», còn lần "
            f"này nguồn là «{source}»: mỗi hồ sơ sẽ được tính hai lần (một lần mỗi nguồn). Không nạp dòng nào. Hãy nạp "
            + (f"với --source {other}" if other != "default" else "không có --source")
            + " (nạp lại cùng tệp không thay đổi gì), hoặc nếu nguồn lần trước ghi nhầm, hỏi người quản trị.")


def _forget_earlier_loads_of(con, content_hash: str) -> None:
    """Reloading the same file replaces its raw rows and rejects instead of listing them twice (a reference file
    writes neither, so for it this finds nothing)."""
    for table in ("raw_dossier_rows", "rejected_rows"):
        con.execute(f"DELETE FROM {table} WHERE import_id IN (SELECT import_id FROM import_log WHERE content_hash = ?)",
                    [content_hash])


def import_file(con, path: Path, *, kind="auto", source=None, as_of: date | None = None,
                extra_aliases=(), progress=None, unit: str | None = None, account: str | None = None,
                reader=read_file) -> dict:
    """Import one file inside one transaction; raise ImportFailure (database untouched) when it cannot be.
    Whatever goes wrong, the user reads a Vietnamese message, never a traceback or DuckDB's English.
    account: who loaded it from the browser (import_log.loaded_by; None for the command line). reader: how the
    file is read (import_paths passes its ReadAhead's)."""
    try:
        return _import_file(con, Path(path), kind=kind, source=source, as_of=as_of, extra_aliases=extra_aliases,
                            progress=progress, unit=unit, account=account, reader=reader)
    except ImportFailure:
        raise
    except Exception as exc:   # a defect of the loader, or DuckDB refusing a statement: said, not shown raw
        if os.environ.get("CCHC_DEBUG"):
            traceback.print_exc()
        raise ImportFailure(f"Tệp {Path(path).name}: không nạp được vì một lỗi khi xử lý tệp; không dòng nào của tệp "
                            "được nạp, dữ liệu đã có giữ nguyên. Hãy gửi tệp cho người quản trị (chạy lại với biến "
                            "môi trường CCHC_DEBUG=1 để xem chi tiết kỹ thuật).") from exc


def _import_file(con, path: Path, *, kind, source, as_of, extra_aliases, progress, unit, account, reader) -> dict:
    started = time.perf_counter()
    # hashlib releases the GIL: the content hash is computed beside the reading and loading.
    hashing = ThreadPoolExecutor(max_workers=1)
    hash_future = hashing.submit(_sha256, path)
    hashing.shutdown(wait=False)
    read = reader(path)
    grids = [untick(g) for g in read.grids]   # a questionnaire with a mark under one of five answer columns
    if progress:
        progress(f"Đã đọc {path.name}: {vn_int(sum(g.table.num_rows for g in grids))} dòng")
    recognized, incomplete = _recognize(grids, kind, extra_aliases, path.name)
    if kind != "auto" and unit is None:
        _refuse_another_kind(grids, kind_named(kind), tuple(extra_aliases), path.name)
    if not recognized:
        if all(_is_blank(g) for g in grids):
            # An empty sheet (a template saved before anything was typed) is said to be empty, not to lack the
            # dossier columns.
            charts = chart_sheets(path)
            if charts:   # a chart exported instead of its table: the sheets are not empty to the eye
                raise ImportFailure(f"Tệp {path.name} chỉ có trang biểu đồ (" + ", ".join(f"«{c}»" for c in charts)
                                    + "), không có bảng số liệu; không nạp dòng nào. Hãy xuất danh sách (bảng) từ hệ "
                                    "thống thay cho biểu đồ, rồi nạp tệp đó.")
            raise ImportFailure(f"Tệp {path.name} không có dữ liệu: "
                                + ("mọi trang đều trống" if read.grids and grids[0].sheet is not None else "tệp trống")
                                + "; không nạp dòng nào.")
        if incomplete or kind != "auto":
            message = incomplete[0][2] if incomplete else kind_named(kind).no_header_message(path.name,
                                                                                             tuple(extra_aliases))
            pivots = _pivot_sheets(grids)
            if pivots:   # with --kind too (probe 57: only the missing columns were said)
                message += "\n" + _pivot_line(pivots)
        else:
            message = _no_kind_message(grids, tuple(extra_aliases), path.name, chart_sheets(path))
        raise ImportFailure(_unrecognized_message(path.name, message, grids, read.hidden_sheets))
    file_kind = recognized[0][1]
    recognized = [r for r in recognized if r[1] is file_kind]
    lacking = [(grid, message) for grid, k, message in incomplete if k is file_kind]
    if lacking:   # a file loads whole or not at all: without that sheet its dossiers would be missing unsaid
        raise ImportFailure(_incomplete_sheet_message(path.name, file_kind, *lacking[0]))
    if file_kind.side_sheet and any(not file_kind.side_sheet(m, g) for g, _, m in recognized):
        recognized = [r for r in recognized if not file_kind.side_sheet(r[2], r[0])]   # beside complete sheets: unread
    # Visible sheets without a table of the file's kind (a cover sheet, a pivot, another kind): named, not read.
    side = tuple(g for g in grids if all(g is not r[0] for r in recognized))
    unread = [g.sheet for g in side if g.sheet is not None]
    recognized = [_reshaped(grid, k, match, tuple(extra_aliases)) for grid, k, match in recognized]
    for grid, _, match in recognized:
        if grid.uncomputed:
            raise ImportFailure(_uncomputed_message(path.name, grid))
        legacy = legacy_cells(_sample_cells(grid, match))
        if legacy:
            raise ImportFailure(legacy_cells_message(*legacy, path.name))
    result = {"path": str(path), "kind": file_kind.name, "rows_read": 0, "rows_loaded": 0, "rows_updated": 0,
              "rows_unchanged": 0, "rows_rejected": 0, "rows_skipped": 0, "rows_total": 0, "dropped_columns": [],
              "ignored_columns": [], "hidden_sheets": read.hidden_sheets, "unread_sheets": unread, "unmatched_units": [], "rejects": [],
              "unrecognized_values": [], "source": None, "snapshot_date": None, "content_hash": None,
              "warnings": [], "headers": []}
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
        sheets = [SheetLoad(grid, match, import_id, path.name, source, as_of, tuple(extra_aliases), hash_future.result,
                            unit, side_grids=side) for grid, _, match in recognized]
        file_snapshot = file_kind.file_snapshot(con, sheets) if file_kind.file_snapshot and len(sheets) > 1 else None
        for sheet in sheets:
            grid, match = sheet.grid, sheet.match
            said_before = len(result["warnings"])
            result["warnings"] += grid.notes
            result["dropped_columns"] += [c for c in match.dropped if c not in result["dropped_columns"]]
            ignored = match.ignored_labels(grid) + unheaded_data_columns(grid, match)
            result["ignored_columns"] += [c for c in ignored if c not in result["ignored_columns"]]
            result["headers"].append({"sheet": grid.sheet, "header_row": int(grid.row_numbers[match.header_index]),
                                      "columns": mapped_headers(grid, match)})
            sheet = dataclasses.replace(sheet, file_snapshot=file_snapshot)
            before = {k: result[k] for k in SUMMED_COUNTS}
            first_reject = len(result["rejects"])
            file_kind.load_sheet(con, sheet, result)
            _account_reader_lines(con, sheet, file_kind, result, first_reject)
            _check_every_line_counted(sheet, file_kind, before, result)
            if len(sheets) > 1:
                _name_the_sheet(result["warnings"], said_before, grid.sheet)
        if file_kind.finish_file:
            file_kind.finish_file(con, import_id, path.name, result)
        content_hash = result["content_hash"] = hash_future.result()
        if file_kind.name == "dossiers":
            _refuse_the_same_file_under_another_source(con, content_hash, result["source"], path.name)
        _forget_earlier_loads_of(con, content_hash)  # this import is not logged yet, so it is kept
        # rows_read: the records (loaded, updated, unchanged or rejected); rows_total adds the lines skipped as
        # holding no record (blank, totals, signatures): every line under the header, in every sheet loaded.
        result["rows_read"] = sum(result[k] for k in ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected"))
        result["rows_total"] = result["rows_read"] + result["rows_skipped"]
        first = recognized[0]
        con.execute("""INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", [
            import_id, path.name, str(path.resolve()), content_hash, file_kind.name, result["source"], first[0].sheet,
            int(first[0].row_numbers[first[2].header_index]), result["snapshot_date"], result["rows_read"],
            result["rows_loaded"], result["rows_updated"], result["rows_unchanged"], result["rows_rejected"],
            result["rows_skipped"], result["dropped_columns"], result["ignored_columns"], datetime.now(),
            time.perf_counter() - started, account])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _name_the_sheet(warnings: list[str], first: int, sheet: str | None) -> None:
    """Warnings of one sheet among several name it: three monthly sheets each said «1 hồ sơ không có ngày hẹn trả»,
    three identical lines that read as one dossier said three times."""
    if sheet is None:
        return
    for i in range(first, len(warnings)):
        if f"«{sheet}»" not in warnings[i]:
            warnings[i] = f"Trang «{sheet}»: {warnings[i]}"


def _header_row(sheet: SheetLoad) -> int:
    return int(sheet.grid.row_numbers[sheet.match.header_index])


def _account_reader_lines(con, sheet: SheetLoad, kind, result: dict, first_reject: int) -> None:
    """The lines under the header the reader could not split into cells are rejected with their number and reason
    (a whole-file kind stops instead); the empty lines it dropped are skipped."""
    grid, header_row = sheet.grid, _header_row(sheet)
    broken = [(row, why) for row, why in grid.rejected if row > header_row]
    if broken and kind.whole_file:
        row, why = broken[0]
        raise ImportFailure(f"Tệp {sheet.file_name}, dòng {row}: {why} Không nạp dòng nào từ tệp này.")
    for row, why in broken:
        reason = f"Dòng không đọc được: {why}"
        con.execute("INSERT INTO rejected_rows VALUES (?, ?, ?, ?, 'unreadable_line', NULL, ?, NULL)",
                    [sheet.import_id, sheet.file_name, grid.sheet, row, reason])
    if broken:
        rejects = result["rejects"][first_reject:] + [
            reject_record(grid.sheet, row, f"unreadable_line||Dòng không đọc được: {why}") for row, why in broken]
        result["rejects"][first_reject:] = sorted(rejects, key=lambda r: r["row"])
        result["rows_rejected"] += len(broken)
    result["rows_skipped"] += int(np.count_nonzero(grid.blank_rows > header_row))


def _check_every_line_counted(sheet: SheetLoad, kind, before: dict, result: dict) -> None:
    """Every line under the header is loaded, updated, unchanged, rejected or skipped: the counts add up to the
    lines of the sheet, or the file is not loaded (a line unaccounted for would be a line silently lost)."""
    if not kind.counts_lines(sheet.match):
        return
    grid, header_row = sheet.grid, _header_row(sheet)
    lines = (grid.table.num_rows - sheet.match.header_index - 1 + int(np.count_nonzero(grid.blank_rows > header_row))
             + sum(1 for row, _ in grid.rejected if row > header_row))
    counted = sum(result[k] - before[k] for k in SUMMED_COUNTS)
    if counted != lines:
        where = f"trang «{grid.sheet}»" if grid.sheet else "tệp"
        raise ImportFailure(f"Tệp {sheet.file_name}: {where} có {vn_int(lines)} dòng dưới dòng tiêu đề nhưng chỉ "
                            f"{vn_int(counted)} dòng được nạp, loại hoặc bỏ qua; không nạp dòng nào để không dòng nào "
                            "bị mất. Đây là lỗi của công cụ nạp: hãy gửi tệp cho người quản trị.")


def _unrecognized_message(file_name: str, message: str, grids, hidden: list[str]) -> str:
    """A file no header fits: the kind's message, and what may be why — its text typed in a legacy Vietnamese encoding
    (TCVN3, VNI), or the table sitting on a hidden sheet, which is never read."""
    legacy = legacy_encoding([row for g in grids for row in g.head_rows()])
    if legacy:   # said first: the list of headers tried that follows is then no riddle
        message = legacy_message(legacy, file_name) + "\n" + message
    if hidden:
        message += ("\nTệp có trang ẩn không được nạp: " + ", ".join(f"«{s}»" for s in hidden) +
                    ". Nếu bảng dữ liệu nằm ở đó, hãy bỏ ẩn trang (chuột phải vào tên trang › Bỏ ẩn) rồi nạp lại.")
    return message


def _sample_cells(grid, match, rows: int = 300) -> list[str]:
    """The text of the read columns' cells on the first lines under the header."""
    names = [n for n in dict.fromkeys(match.columns.values()) if n in grid.table.column_names]
    below = grid.table.slice(match.header_index + 1, rows).select(names)
    return [v for column in below.columns for v in column.drop_null().to_pylist() if isinstance(v, str)]


def _is_blank(grid) -> bool:
    """Whether a sheet has no text at all (looked at only when no kind fits it, and only for a small sheet)."""
    return grid.table.num_rows <= 1000 and not any(str(v).strip() for column in grid.table.columns
                                                   for v in column.drop_null().to_pylist())


def _uncomputed_message(file_name: str, grid) -> str:
    cells = ", ".join(grid.uncomputed[:5]) + (" …" if len(grid.uncomputed) > 5 else "")
    return (f"Tệp {file_name}, trang «{grid.sheet}»: {vn_int(len(grid.uncomputed))} ô công thức chưa có giá trị đã "
            f"tính ({cells}) — tệp được tạo bởi một chương trình không tính công thức, nên các ô đó đọc ra trống. "
            "Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi nạp lại. Không nạp dòng nào từ tệp này.")


def import_paths(db_path, paths, *, swap: bool = True, progress=None, after_refresh=(), ahead: ReadAhead | None = None,
                 **options) -> tuple[list[dict], list[str]]:
    """Import every path, then rebuild the aggregate tables; returns the per-file results and the Vietnamese
    errors of files not imported. With swap (the default) the load works on a copy that replaces db_path at the
    end, so a dashboard serving db_path keeps working and then picks up the new file. after_refresh: refreshers
    of stored figures the caller adds to the load's last transaction (etl.derived_tables.refresh_derived_tables).
    ahead: a ReadAhead of these paths the caller started earlier (the command line, before importing the loaders);
    it is closed here."""
    # The first file is read from now on, beside the copy of the served database and the connection; each next
    # small file while the one before it loads.
    with ahead or ReadAhead(paths) as ahead:
        if not swap:
            return _import_into(db_path, paths, ahead, progress=progress, after_refresh=after_refresh, **options)
        served = Path(db_path).exists()
        try:
            with exclusive_load(db_path) as work:
                results, errors = _import_into(work, paths, ahead, progress=progress, after_refresh=after_refresh,
                                               **options)
                if served and not results:
                    raise _EveryFileRefused(errors)
        except _EveryFileRefused as refused:
            # The copy is dropped, not swapped in: the served file stays the same file, byte for byte (a refusal
            # rewrote the tables' build stamp and made every dashboard process reopen the database).
            return [], refused.errors
        return results, errors


class _EveryFileRefused(Exception):
    """Raised inside exclusive_load so that it removes the working copy instead of replacing the served file."""

    def __init__(self, errors: list[str]):
        super().__init__("every file was refused")
        self.errors = errors


def refresh_database(db_path, *, progress=None, after_refresh=()) -> str:
    """Brings the tables the dashboard reads up to the code that runs now, without loading a file: after an update
    the aggregate tables are rebuilt if their rules changed, and the figures stored at load (after_refresh) are
    computed again; until then the pages compute them live, slower. The served file is swapped as a load swaps it.
    Returns how the aggregate tables were brought up to date: 'full' (rebuilt) or 'incremental' (in step already)."""
    if not Path(db_path).is_file():
        raise UnusableDatabase(f"Không có tệp cơ sở dữ liệu {db_path}: lệnh refresh chỉ tính lại một cơ sở dữ liệu "
                               "đã có. Hãy kiểm tra đường dẫn --db.")
    with exclusive_load(db_path) as work:
        con = connect(work)
        try:
            start_tracking(con)
            # the names units go by, under this version's matching rules (a units load rebuilds them too); rows that
            # wait for their unit join it, and the aggregate tables below are rebuilt if that changed anything
            con.execute("BEGIN TRANSACTION")
            rebuild_unit_keys(con)
            con.execute("COMMIT")
            how, _, _ = refresh_derived_tables(con, progress, after_refresh)
        finally:
            con.close()
    return how


def remove_dossiers(db_path, source: str, codes: list[str] | None = None, *, progress=None,
                    after_refresh=()) -> tuple[int, list[str]]:
    """Removes the dossiers of one system loaded by mistake (a daily file loaded without --source, a dossier
    registered twice that a corrected export leaves out: probe 48 found no way to take them back), all of them or
    those of the codes given, in one transaction; the aggregate tables are rebuilt whole (a removal is rare) and the
    served file swapped as a load swaps it. Returns (how many removed, the codes given that the system lacks).
    Refuses, changing nothing, when the system holds none of them."""
    if not Path(db_path).is_file():
        raise UnusableDatabase(f"Không có tệp cơ sở dữ liệu {db_path}: hãy kiểm tra đường dẫn --db.")
    with exclusive_load(db_path) as work:
        con = connect(work)
        try:
            # not tracked: the refresh below rebuilds every aggregate table from the dossiers left
            wanted = "source = $source" + (" AND list_contains($codes, dossier_code)" if codes else "")
            params = {"source": source, **({"codes": list(codes)} if codes else {})}
            # counted in SQL: a whole system may hold millions of codes; only the codes given come back
            found, missing = con.execute(f"""SELECT (SELECT count(*) FROM dossiers WHERE {wanted}),
                (SELECT list(c ORDER BY c) FROM unnest($codes::VARCHAR[]) t(c)
                 WHERE c NOT IN (SELECT dossier_code FROM dossiers WHERE source = $source))""",
                                         {**params, "codes": list(codes or [])}).fetchall()[0]
            if not found:
                systems = [r[0] for r in con.execute("SELECT DISTINCT source FROM dossiers ORDER BY 1").fetchall()]
                raise ImportFailure(f"Không có hồ sơ nào để gỡ: hệ thống «{source}» "
                                    + ("không có các mã đã ghi" if codes else "không có hồ sơ nào")
                                    + (f" (các hệ thống đã nạp: {', '.join(systems)})." if systems else
                                       " (chưa nạp hồ sơ nào).") + " Không thay đổi gì.")
            con.execute("BEGIN TRANSACTION")
            con.execute(f"DELETE FROM dossiers WHERE {wanted}", params)
            con.execute("COMMIT")
            refresh_derived_tables(con, progress, after_refresh)
        finally:
            con.close()
    return found, missing or []


def _import_into(db_path, paths, ahead: ReadAhead, progress=None, after_refresh=(),
                 **options) -> tuple[list[dict], list[str]]:
    con = connect(db_path)
    results, errors = [], []
    try:
        start_tracking(con)   # the aggregate tables then follow the dossiers each file changes
        for path in paths:
            try:
                results.append(import_file(con, Path(path), progress=progress, reader=ahead.read, **options))
            except ImportFailure as exc:
                errors.append(str(exc))
        # Refreshed even when every file was refused (a new database still gets its holidays and empty tables),
        # but silently then: "computing the dashboard's tables…" after a refusal read as if something had loaded.
        refresh_derived_tables(con, progress if results else None, after_refresh)
    finally:
        con.close()
    return results, errors
