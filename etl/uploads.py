"""Files uploaded from the browser: kept in a staging folder, previewed by the real importer on a throw-away copy of
the database, loaded like `python -m etl import` (copy, load, swap), and removed whatever the outcome."""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from common.formats import size_text
from etl.core.database import connect
from etl.core.errors import ImportFailure, UnusableDatabase
from etl.page_wording import for_the_page, result_for_the_page
from etl.core.publish import working_copy
from etl.dossiers.fields import FIELD_LABELS as DOSSIER_LABELS
from etl.importer import import_file, import_paths
from etl.index766.vocab import FIELD_LABELS as INDEX766_LABELS
from etl.kinds import KIND_LABELS
from etl.plans.vocab import FIELD_LABELS as PLAN_LABELS
from etl.ratings.fields import FIELD_LABELS as RATING_LABELS
from etl.summary import format_summary
from etl.surveys.vocab import SURVEY_FIELD_LABELS

DEFAULT_LIMIT_MB = 200
# An upload previewed and never loaded (a closed tab) is removed after two hours: it may hold personal data (the
# CCCD, phone columns a load would drop), so it is not kept a day (probe 21).
STALE_SECONDS = 2 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")
# What a field is called on screen, by kind; a kind without its own labels shows the column's header as written.
_FIELD_LABELS = {"dossiers": DOSSIER_LABELS, "survey": SURVEY_FIELD_LABELS, "plan_tasks": PLAN_LABELS,
                 "task_progress": PLAN_LABELS, "index766_inputs": INDEX766_LABELS,
                 "index766_published": INDEX766_LABELS, "ratings": RATING_LABELS}


class UploadRefused(Exception):
    """An upload refused before any reading (too large, no name, an unknown token): the message is for the user."""


def size_limit() -> int:
    """Bytes an upload may have: CCHC_UPLOAD_MAX_MB megabytes (default 200)."""
    try:
        megabytes = float(os.environ.get("CCHC_UPLOAD_MAX_MB") or DEFAULT_LIMIT_MB)
    except ValueError:
        megabytes = DEFAULT_LIMIT_MB
    return int(megabytes * 1024 * 1024)


def too_large_template() -> str:
    """too_large_message with «{name}» and «{size}» left to fill: the browser fills them for a file it does not send
    (assets/upload_sizes.js), in the same words."""
    return (f"Tệp {{name}} có dung lượng {{size}}, vượt giới hạn {size_text(size_limit())} cho mỗi tệp tải lên: "
            "không nạp gì và tệp không được giữ lại. Hãy tách tệp theo tháng hoặc theo đơn vị rồi tải lên từng phần, "
            "hoặc nhờ người quản trị nạp bằng lệnh python -m etl import trên máy chủ.")


def too_large_message(file_name: str, size: int) -> str | None:
    if size <= size_limit():
        return None
    return too_large_template().replace("{size}", size_text(size)).replace("{name}", file_name)


def request_file_bytes() -> int:
    """Bytes of files one upload may carry together: two files at the per-file limit. The browser holds back the
    files past it (assets/upload_sizes.js), since the server parses the whole request in memory."""
    return 2 * size_limit()


def max_request_bytes() -> int:
    """The largest request the server reads (Flask's MAX_CONTENT_LENGTH): an upload at request_file_bytes() as
    base64 (4 bytes for 3) with room for its JSON; anything larger is refused before it is read."""
    return request_file_bytes() * 4 // 3 + 4 * 1024 * 1024


def over_request_message(file_name: str, size: int) -> str:
    return (f"Tệp {file_name} ({size_text(size)}) chưa được tải lên: mỗi lần tải lên mang tối đa "
            f"{size_text(request_file_bytes())}, các tệp chọn cùng lúc đã đủ mức đó. Hãy tải tệp này lên ở lần sau.")


def staging_root(db_path) -> Path:
    """CCHC_UPLOAD_DIR, or beside the database (cchc.duckdb → cchc.duckdb.uploads): the folder a load already needs
    room in for its working copy, and every server process of that database finds the same one."""
    override = os.environ.get("CCHC_UPLOAD_DIR")
    return Path(override) if override else Path(db_path).with_name(Path(db_path).name + ".uploads")


_NAME_BYTES = 255   # what ext4 and most file systems hold in one name


def _safe_name(file_name) -> str:
    """The file's own name, without any folder a browser or a forged request put before it."""
    name = Path(str(file_name or "").replace("\\", "/")).name.strip()
    if not name or name.startswith("."):
        raise UploadRefused("Tệp tải lên không có tên: hãy chọn lại tệp.")
    # a name the disk cannot hold (a NUL byte, over 255 bytes): refused before any file is written (probe 55: a 500,
    # and the files of the same upload written before it stayed on disk, personal columns and all)
    if "\0" in name or any(ord(c) < 32 for c in name) or len(name.encode("utf-8")) > _NAME_BYTES:
        shown = "".join(c for c in name if ord(c) >= 32)
        shown = shown[:60] + ("…" if len(shown) > 60 else "")
        raise UploadRefused(f"Tên tệp «{shown}» có ký tự điều khiển hoặc dài quá {_NAME_BYTES} byte: hãy đổi tên tệp "
                            "cho ngắn gọn rồi tải lên lại.")
    return name


def stage(db_path, files: list[tuple[str, bytes]], who: dict) -> str:
    """Writes the uploaded files (name, bytes) in a folder of their own (named by a new token, returned) with who
    sent them (who: account, accounts file, client) beside them. Stale uploads of earlier visits are removed first."""
    names = [_safe_name(name) for name, _ in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UploadRefused(f"Có nhiều tệp cùng tên {', '.join(twice)}: hãy đổi tên cho khác nhau rồi tải lên lại.")
    root = staging_root(db_path)
    remove_stale_uploads(db_path)
    token = uuid.uuid4().hex
    folder = root / token
    # The files in a folder of their own: whatever their names, none takes the place of who.json or the preview copy.
    (folder / "tep").mkdir(parents=True, mode=0o700)
    try:
        for name, (_, data) in zip(names, files):
            (folder / "tep" / name).write_bytes(data)
        _write_who(folder, {**who, "files": names})
    except OSError as exc:   # a full disk, a name the file system refuses: nothing of the upload is kept
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadRefused("Không lưu được tệp tải lên trên máy chủ (đĩa đầy hoặc tên tệp không hợp lệ): hãy thử lại "
                            "hoặc báo quản trị viên.") from exc
    return token


def _write_who(folder: Path, who: dict) -> None:
    (folder / "who.json").write_text(json.dumps(who, ensure_ascii=False), encoding="utf-8")


def staged(db_path, token) -> tuple[list[Path], dict]:
    """The staged files of a token, in the order they were sent, and who sent them; UploadRefused when there are
    none (loaded, removed, forged)."""
    folder = staging_root(db_path) / str(token or "")
    if not _TOKEN.fullmatch(str(token or "")) or not (folder / "who.json").is_file():
        raise UploadRefused("Không còn tệp đã tải lên (đã nạp, đã hủy hoặc bỏ quá hai giờ): hãy tải tệp lên lại.")
    who = json.loads((folder / "who.json").read_text(encoding="utf-8"))
    os.utime(folder)   # in use: the two hours an upload may wait count from now (a load running is never stale)
    return [folder / "tep" / name for name in who["files"]], who


def drop(db_path, token, names: list[str]) -> bool:
    """Removes some files of an upload (those the preview refused); the whole upload when none is left. Returns
    whether files are left to load."""
    paths, who = staged(db_path, token)
    for path in paths:
        if path.name in names:
            path.unlink(missing_ok=True)
    who["files"] = [p.name for p in paths if p.name not in names]
    if not who["files"]:
        discard(db_path, token)
        return False
    _write_who(staging_root(db_path) / token, who)
    return True


def discard(db_path, token) -> None:
    """Removes an upload's folder (its file, and a preview copy if one is left)."""
    if _TOKEN.fullmatch(str(token or "")):
        shutil.rmtree(staging_root(db_path) / token, ignore_errors=True)


def remove_stale_uploads(db_path) -> None:
    """Removes the uploads left more than STALE_SECONDS: on every new upload, when the Dữ liệu page is opened by
    someone who may load, and when the dashboard starts."""
    root = staging_root(db_path)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        try:
            if _TOKEN.fullmatch(folder.name) and time.time() - folder.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:   # removed meanwhile by another server process
            pass


def preview(db_path, token) -> list[dict]:
    """What loading the staged files would do, from the real importer run on a copy of the database that is then
    removed (each file loaded into the copy in turn, as the load will): per file, the import result (cli.md's
    --json: kind, counts, rejects, unmatched units, dropped and ignored columns) with file, kind_label and each
    column's field label, or {file, error} for a file the load would refuse. Raises ImportFailure when the
    database cannot be copied. The served database is never opened for writing."""
    paths, _ = staged(db_path, token)
    copy = staging_root(db_path) / token / "xem-truoc.duckdb"
    outcomes = []
    try:
        if Path(db_path).exists():
            working_copy(db_path, copy)
        con = connect(copy)
        try:
            for path in paths:
                try:
                    outcomes.append({**_shown(result_for_the_page(import_file(con, path))), "file": path.name})
                except ImportFailure as exc:
                    outcomes.append({"file": path.name, "error": for_the_page(str(exc))})
        finally:
            con.close()
    except UnusableDatabase as exc:
        raise ImportFailure(str(exc)) from None
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
    return outcomes


def _shown(result: dict) -> dict:
    """The kind and the fields as a user reads them."""
    labels = _FIELD_LABELS.get(result["kind"], {})
    label = KIND_LABELS.get(result["kind"], result["kind"])
    result["kind_label"] = label[:1].upper() + label[1:]
    for sheet in result["headers"]:
        sheet["columns"] = [(text, labels.get(field, text)) for text, field in sheet["columns"]]
    return result


def load(db_path, token, progress=None, after_refresh=()) -> tuple[list[dict], list[str], str, dict]:
    """Loads the staged files into db_path as `python -m etl import` does (a working copy swapped in at the end:
    the dashboard serves the old file until then; after_refresh as import_paths takes it), recording the account
    that sent them; the upload is removed afterwards whatever happened. Returns the results, the errors, the
    summary text and who sent them."""
    paths, who = staged(db_path, token)
    try:
        results, errors = import_paths(db_path, paths, progress=progress, account=who.get("account"),
                                       after_refresh=after_refresh)
    except UnusableDatabase as exc:
        results, errors = [], [str(exc)]
    finally:
        discard(db_path, token)
    results, errors = [result_for_the_page(r) for r in results], [for_the_page(e) for e in errors]
    return results, errors, format_summary(results, errors), who
