"""Import files of any kind: recognize the kind, find the header, load each file all or nothing, log it."""
import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from common.formats import vn_int
from etl.core.database import connect
from etl.core.errors import ImportFailure
from etl.core.kind import SheetLoad
from etl.core.publish import exclusive_load
from etl.core.readers import read_grids
from etl.derived_tables import refresh_derived_tables
from etl.kinds import DEFAULT_KIND, KINDS, kind_named


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _recognize(grids, kind: str, extra_aliases) -> list[tuple]:
    """(grid, Kind, header match) for every sheet that carries a table of the kind asked (or any, for auto)."""
    candidates = KINDS if kind == "auto" else (kind_named(kind),)
    found = []
    for grid in grids:
        head = grid.head_rows()
        best = None
        for k in candidates:
            hit = k.recognize(head, extra_aliases, kind != "auto")
            if hit and (best is None or hit[0] > best[0]):
                best = (hit[0], k, hit[1])
        if best:
            found.append((grid, best[1], best[2]))
    return found


def _forget_earlier_loads_of(con, content_hash: str) -> None:
    """Reloading the same file replaces its raw rows and rejects instead of listing them twice (a reference file
    writes neither, so for it this finds nothing)."""
    for table in ("raw_dossier_rows", "rejected_rows"):
        con.execute(f"DELETE FROM {table} WHERE import_id IN (SELECT import_id FROM import_log WHERE content_hash = ?)",
                    [content_hash])


def import_file(con, path: Path, *, kind="auto", source=None, as_of: date | None = None,
                extra_aliases=(), progress=None, unit: str | None = None) -> dict:
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
        asked = DEFAULT_KIND if kind == "auto" else kind_named(kind)
        raise ImportFailure(asked.no_header_message(path.name, tuple(extra_aliases)))
    file_kind = recognized[0][1]
    recognized = [r for r in recognized if r[1] is file_kind]
    result = {"path": str(path), "kind": file_kind.name, "rows_read": 0, "rows_loaded": 0, "rows_updated": 0,
              "rows_unchanged": 0, "rows_rejected": 0, "rows_skipped": 0, "dropped_columns": [],
              "ignored_columns": [], "unmatched_units": [], "rejects": [], "unrecognized_values": [],
              "source": None, "snapshot_date": None, "content_hash": None, "warnings": []}
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0]
        for grid, _, match in recognized:
            result["dropped_columns"] += [c for c in match.dropped if c not in result["dropped_columns"]]
            result["ignored_columns"] += [c for c in match.ignored if c not in result["ignored_columns"]]
            sheet = SheetLoad(grid, match, import_id, path.name, source, as_of, tuple(extra_aliases),
                              hash_future.result, unit)
            file_kind.load_sheet(con, sheet, result)
        if file_kind.finish_file:
            file_kind.finish_file(con, import_id, path.name, result)
        content_hash = result["content_hash"] = hash_future.result()
        _forget_earlier_loads_of(con, content_hash)  # this import is not logged yet, so it is kept
        result["rows_read"] = sum(result[k] for k in ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected"))
        first = recognized[0]
        con.execute("""INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", [
            import_id, path.name, str(path.resolve()), content_hash, file_kind.name, result["source"], first[0].sheet,
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
