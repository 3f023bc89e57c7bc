"""Import files of any kind: recognize the kind, find the header, load each file all or nothing, log it."""
import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from common.formats import vn_int
from etl import references
from etl.database import connect
from etl.derived_tables import refresh_derived_tables
from etl.errors import ImportFailure
from etl.header import find_header
from etl.publish import exclusive_load
from etl.load_dossiers import check_required, forget_earlier_loads_of, load_staged, missing_fields_message, record_unmatched_units, \
    snapshot_from_titles, stage_grid
from etl.readers import read_grids
from etl.survey_header import recognize_survey
from etl.survey_import import import_survey_sheet
from etl.survey_load import no_answer_columns_message
from etl.vocab import REQUIRED_DOSSIER_FIELDS, alias_index, aliases_by_field

KINDS = ("dossiers", "survey", "units", "procedures", "targets")
DEFAULT_SOURCE = "default"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _head_rows(grid, n=45) -> list[list]:
    return [list(r.values()) for r in grid.table.slice(0, n).to_pylist()]


def _recognize(grids, kind: str, extra_aliases) -> list[tuple]:
    """(grid, kind, header match) for every sheet that carries a table of the kind asked (or any, for auto)."""
    candidates = KINDS if kind == "auto" else (kind,)
    found = []
    for grid in grids:
        head = _head_rows(grid)
        best = None
        for k in candidates:
            if k == "survey":   # answer columns are recognized by pattern ('Câu 1.1 - …'), not by alias
                survey = recognize_survey(head, extra_aliases, explicit=kind == "survey")
                if survey and (best is None or survey[0] > best[0]):
                    best = (survey[0], k, survey[1])
                continue
            index = alias_index(extra_aliases) if k == "dossiers" else references.alias_index(k)
            match = find_header(head, index)
            required = REQUIRED_DOSSIER_FIELDS if k == "dossiers" else references.REQUIRED[k]
            if match and (kind != "auto" or all(f in match.columns for f in required)):
                score = sum(f in match.columns for f in required) * 100 + len(match.columns)
                if best is None or score > best[0]:
                    best = (score, k, match)
        if best:
            found.append((grid, best[1], best[2]))
    return found


def _no_header_message(path: Path, kind: str, extra_aliases) -> str:
    if kind in ("auto", "dossiers"):
        return missing_fields_message(path.name, list(REQUIRED_DOSSIER_FIELDS), aliases_by_field(extra_aliases)) + \
            "\n(Không có dòng tiêu đề nào khớp; tệp có đúng là danh sách hồ sơ không?)"
    if kind == "survey":
        return no_answer_columns_message(path.name)
    wanted = ", ".join(references.REQUIRED[kind])
    return f"Tệp {path.name}: không tìm thấy dòng tiêu đề của tệp {kind} (cần các cột {wanted}). Không nạp dòng nào."


def import_file(con, path: Path, *, kind="auto", source=None, as_of: date | None = None,
                extra_aliases=(), progress=None) -> dict:
    """Import one file inside one transaction; raise ImportFailure (database untouched) when it cannot be."""
    started = time.perf_counter()
    path = Path(path)
    # hashlib releases the GIL: the content hash is computed beside the reading and loading.
    hashing = ThreadPoolExecutor(max_workers=1)
    hash_future = hashing.submit(_sha256, path)
    hashing.shutdown(wait=False)
    grids = read_grids(path)
    if progress:
        progress(f"Đã đọc {path.name}: {vn_int(sum(g.table.num_rows for g in grids))} dòng")
    recognized = _recognize(grids, kind, extra_aliases)
    if not recognized:
        raise ImportFailure(_no_header_message(path, kind, extra_aliases))
    file_kind = recognized[0][1]
    recognized = [r for r in recognized if r[1] == file_kind]
    result = {"path": str(path), "kind": file_kind, "rows_read": 0, "rows_loaded": 0, "rows_updated": 0,
              "rows_unchanged": 0, "rows_rejected": 0, "rows_skipped": 0, "dropped_columns": [],
              "ignored_columns": [], "unmatched_units": [], "rejects": [], "unrecognized_values": [],
              "source": None, "snapshot_date": None, "content_hash": None, "warnings": []}
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
        for grid, _, match in recognized:
            result["dropped_columns"] += [c for c in match.dropped if c not in result["dropped_columns"]]
            result["ignored_columns"] += [c for c in match.ignored if c not in result["ignored_columns"]]
            if file_kind == "dossiers":
                check_required(match, path.name, aliases_by_field(extra_aliases))
                snapshot = as_of or snapshot_from_titles(_head_rows(grid, match.header_index))
                stage_grid(con, grid, match)
                counts = load_staged(con, import_id=import_id, file_name=path.name, sheet=grid.sheet,
                                     source=source or DEFAULT_SOURCE, snapshot=snapshot)
                for key in ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected", "rows_skipped"):
                    result[key] += counts[key]
                result["rejects"] += counts["rejects"]
                result["unrecognized_values"] += counts["unrecognized_values"]
                result["warnings"] += counts["warnings"]
                result["rows_older_snapshot"] = result.get("rows_older_snapshot", 0) + counts["rows_older_snapshot"]
                result["snapshot_date"] = counts["snapshot_date"]
                result["source"] = source or DEFAULT_SOURCE
                result["unmatched_units"] += [u for u in record_unmatched_units(con, path.name)
                                              if u not in result["unmatched_units"]]
            elif file_kind == "survey":
                # A copy of a file loaded before is found by its content: the hash is needed before loading.
                import_survey_sheet(con, grid, match, result, import_id=import_id, file_name=path.name,
                                    content_hash=hash_future.result(), source=source, as_of=as_of,
                                    title_rows=_head_rows(grid, match.header_index), extra_aliases=extra_aliases)
            else:
                n, warnings = references.LOADERS[file_kind](con, grid, match, path.name)
                result["rows_loaded"] += n
                result["warnings"] += warnings
        content_hash = result["content_hash"] = hash_future.result()
        if file_kind in ("dossiers", "survey"):
            forget_earlier_loads_of(con, content_hash)  # this import is not logged yet, so it is kept
        result["rows_read"] = sum(result[k] for k in ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected"))
        first = recognized[0]
        con.execute("""INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", [
            import_id, path.name, str(path.resolve()), content_hash, file_kind, result["source"], first[0].sheet,
            int(first[0].row_numbers[first[2].header_index]), result["snapshot_date"], result["rows_read"],
            result["rows_loaded"], result["rows_updated"], result["rows_unchanged"], result["rows_rejected"],
            result["rows_skipped"], result["dropped_columns"], result["ignored_columns"], datetime.now(),
            time.perf_counter() - started])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def import_paths(db_path, paths, *, swap: bool = True, progress=None, **options) -> tuple[list[dict], list[str]]:
    """Import every path, then rebuild the aggregate tables; returns the per-file results and the Vietnamese
    errors of files not imported. With swap (the default) the load works on a copy that replaces db_path at the
    end, so a dashboard serving db_path keeps working and then picks up the new file."""
    if not swap:
        return _import_into(db_path, paths, progress=progress, **options)
    with exclusive_load(db_path) as work:
        return _import_into(work, paths, progress=progress, **options)


def _import_into(db_path, paths, progress=None, **options) -> tuple[list[dict], list[str]]:
    con = connect(db_path)
    results, errors = [], []
    try:
        for path in paths:
            try:
                results.append(import_file(con, Path(path), progress=progress, **options))
            except ImportFailure as exc:
                errors.append(str(exc))
        refresh_derived_tables(con, progress)
    finally:
        con.close()
    return results, errors
