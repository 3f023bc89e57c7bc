"""The import summary a civil servant reads at the end of a load (Vietnamese)."""
from datetime import date

from common.formats import quoted_names, vn_int
from etl.core.header import header_keys, is_unheaded_label, unheaded_place
from etl.dossiers.fields import FIELD_LABELS, alias_index
from etl.dossiers.sql import FLAG_FIELDS
from etl.kinds import KIND_LABELS
from etl.par.summary import par_summary_lines
from etl.plans.summary import plan_summary_lines
from etl.surveys.summary import survey_summary_lines


# Kinds whose lines are judged one by one (a bad line is rejected with its place in the reason, the rest loads).
_LINE_KINDS = ("index766_inputs", "index766_published", "ratings")


# How a value the vocabulary does not read is counted, said after it (a yes/no field: "flag")
_UNREAD_VALUE_NOTES = {
    "channel": " — tính là nộp trực tiếp",
    "flag": " — tính là «không»",
    "result_type": " — bỏ qua, kết quả suy từ trạng thái và các ngày",
    "status": " — giữ nguyên chữ, hồ sơ được tính theo các ngày của nó (có ngày có kết quả: đã giải quyết, không có: "
              "đang giải quyết)"}


def _day_text(iso: str | None) -> str:
    """An ISO day of the --json answer as the summary writes every date: 31/03/2022."""
    return f"{date.fromisoformat(iso):%d/%m/%Y}" if iso else "?"


def _second_columns_of_a_field(result: dict) -> tuple[list[tuple[str, str]], list[str]]:
    """The columns of a dossier file not read: (those naming a field another column was read for, with that column's
    header; the others). «Ngày kết thúc» beside «Ngày có kết quả», «Đơn vị xử lý» beside «Đơn vị tiếp nhận». Columns
    without a header are neither: _file_lines says them, and a mapping names a header, which they lack."""
    index = alias_index()
    read = {field: header for sheet in result.get("headers", []) for header, field in sheet["columns"]}
    same, others = [], []
    for column in (str(c) for c in result.get("ignored_columns", []) if not is_unheaded_label(c)):
        field = next((index[k] for k in header_keys(column) if k in index), None)
        if field in read and read[field] != column:
            same.append((column, read[field]))
        else:
            others.append(column)
    return same, others


def _column_named(result: dict, field: str) -> str:
    """A field's column as the file heads it («Tình trạng hồ sơ»), with the field's label when they differ; the label
    alone for a file whose headers are not known."""
    label = FIELD_LABELS.get(field, field)
    written = next((text for h in result.get("headers", []) for text, f in h.get("columns", []) if f == field), None)
    return f"«{written}»" + (f" ({label})" if written and written.lower() != label.lower() else "") if written else label


def unreported_fields_text(labels: list[str]) -> str:
    """What a dossier file without some yes/no (or fee) columns means for the figures (model/measures.py)."""
    return (f"Tệp không có cột {', '.join(f'«{x}»' for x in labels)}: hồ sơ chỉ có trong tệp này không được tính vào "
            "các tỷ lệ đó (không phải «không»), hồ sơ đã nạp từ tệp có cột giữ giá trị tệp đó ghi; kỳ không tệp nào có "
            "cột thì tỷ lệ ghi «chưa có dữ liệu».")


def _unread_columns_lines(r: dict) -> list[str]:
    """The columns with a header no field of the file's kind reads: said, for a time limit or a unit under a header
    not known («Thời gian xử lý») would otherwise be lost without a word (probe 17), as a 766 group under the portal's
    short label («Dịch vụ trực tuyến», probe 19)."""
    unread = [c for c in r.get("ignored_columns", []) if not is_unheaded_label(c)]
    return ["   Cột không đọc (không phải cột nào của loại tệp này): " + ", ".join(unread) + "."] if unread else []


def _line_kind_lines(r: dict) -> list[str]:
    lines = [f"   Đọc {vn_int(r['rows_read'])} dòng: thêm mới {vn_int(r['rows_loaded'])}, cập nhật "
             f"{vn_int(r['rows_updated'])}, không đổi {vn_int(r['rows_unchanged'])}, bị loại {vn_int(r['rows_rejected'])}."]
    if r["rows_skipped"]:
        lines.append(f"   Bỏ qua {vn_int(r['rows_skipped'])} dòng không phải số liệu (tổng cộng, chữ ký, ghi chú, ô trống).")
    if r["unmatched_units"]:
        lines.append("   Tên đơn vị chưa khớp danh mục (vẫn nạp, cần khai báo tên khác): "
                     + quoted_names(r["unmatched_units"]) + ".")
    lines += _unread_columns_lines(r)
    lines += [f"   {note}" for note in r.get("notes", [])] + [f"   ⚠ {w}" for w in r.get("warnings", [])]
    lines += [f"   ✗ {rej['reason']}" for rej in r["rejects"][:10]]
    if len(r["rejects"]) > 10:
        lines.append(f"   … và {vn_int(len(r['rejects']) - 10)} dòng bị loại khác (xem trang Dữ liệu).")
    return lines


def format_summary(results: list[dict], errors: list[str]) -> str:
    lines = []
    for r in results:
        name = r["path"].rsplit("/", 1)[-1]
        lines.append(f"■ {name} ({KIND_LABELS.get(r['kind'], r['kind'])})")
        lines += _file_lines(r)
        if r["kind"] == "survey":
            lines += survey_summary_lines(r)
            continue
        if r["kind"] in _LINE_KINDS:
            lines += _line_kind_lines(r)
            continue
        if r["kind"] in ("par_framework", "par_scores"):
            lines += par_summary_lines(r) + _unread_columns_lines(r) + _details(r)
            continue
        if r["kind"] in ("plan_tasks", "task_progress"):
            lines += plan_summary_lines(r) + _unread_columns_lines(r) + _details(r)
            continue
        if r["kind"] != "dossiers":   # reference files: units, procedures, targets
            lines.append(f"   Đã nạp {vn_int(r['rows_loaded'])} dòng.")
            if r["rows_skipped"]:
                lines.append(f"   Bỏ qua {vn_int(r['rows_skipped'])} dòng không phải dòng danh mục (dòng trống, dòng số "
                             "thứ tự cột, dòng mục, dòng tổng cộng, nơi nhận và chữ ký, chỉ tiêu không lưu được).")
            lines += _unread_columns_lines(r)
            lines += ["   ⚠ " + w for w in r.get("warnings", [])]
            continue
        # no line kept, no date read: the snapshot would be today's, which says nothing of the file (probe 20)
        taken = f" (ảnh chụp ngày {_day_text(r['snapshot_date'])})" if r["rows_read"] > r["rows_rejected"] else ""
        lines.append(f"   Đọc {vn_int(r['rows_read'])} dòng hồ sơ{taken}: "
                     f"thêm mới {vn_int(r['rows_loaded'])}, cập nhật {vn_int(r['rows_updated'])}, "
                     f"không đổi {vn_int(r['rows_unchanged'])}, bị loại {vn_int(r['rows_rejected'])}.")
        if r["rows_skipped"]:
            lines.append(f"   Bỏ qua {vn_int(r['rows_skipped'])} dòng không phải hồ sơ (dòng trống, dòng tiêu đề, dòng nhóm, tổng cộng, chữ ký).")
        if r.get("rows_older_snapshot"):
            newer = r.get("newer_snapshot_date")
            lines.append(f"   {vn_int(r['rows_older_snapshot'])} hồ sơ đã có bản mới hơn trong CSDL"
                         + (f" (ảnh chụp ngày {date.fromisoformat(newer):%d/%m/%Y}, tệp này ngày "
                            f"{date.fromisoformat(r.get('older_snapshot_date') or r['snapshot_date']):%d/%m/%Y})"
                            if newer else "")
                         + " nên giữ bản mới.")
        if r["dropped_columns"]:
            lines.append("   Đã bỏ cột dữ liệu cá nhân (không lưu): " + ", ".join(r["dropped_columns"]) + ".")
        if r.get("unreported_fields"):
            lines.append("   " + unreported_fields_text(r["unreported_fields"]))
        same, others = _second_columns_of_a_field(r)
        if same:   # a mapping cannot help: the field is read, from the column the tool chose
            lines.append("   Cột cùng trường với một cột đã đọc (mỗi trường đọc từ một cột): "
                         + "; ".join(f"«{c}» (đã đọc cột «{read}»)" for c, read in same) + ".")
        if others:   # a column the tool does not read may be one a mapping file should name
            lines.append("   Cột không dùng đến (nếu là một trường cần đọc, khai báo tiêu đề trong tệp ánh xạ --mapping): "
                         + ", ".join(others) + ".")
        lines += _details(r)
    for e in errors:
        lines.append("✗ " + e)
    return "\n".join(lines)


def _details(r: dict) -> list[str]:
    """Unmatched unit names, warnings, values not recognized and the first rejects of one file."""
    lines = []
    if r["unmatched_units"]:
        lines.append("   Tên đơn vị chưa khớp danh mục (vẫn nạp, cần khai báo tên khác): "
                     + quoted_names(r["unmatched_units"]) + ".")
    for warning in r.get("warnings", []):
        lines.append("   ⚠ " + warning)
    for u in r.get("unrecognized_values", []):
        # the field's Vietnamese label, not its English name; a channel must be one of three, so say which one it got
        note = _UNREAD_VALUE_NOTES.get("flag" if u["field"] in FLAG_FIELDS else u["field"], "")
        rows = u.get("rows") or []
        where = ((f"trang «{u['sheet']}», " if u.get("sheet") else "") + "dòng " + ", ".join(map(str, rows))
                 + (" …" if u["count"] > len(rows) else "")) if rows else ""
        lines.append(f"   Giá trị không nhận ra ở cột {_column_named(r, u['field'])}: '{u['value']}' "
                     f"({vn_int(u['count'])} dòng{': ' + where if where else ''}){note}.")
    for rej in r["rejects"][:10]:
        where = f"trang {rej['sheet']}, " if rej.get("sheet") else ""
        lines.append(f"   ✗ {where}dòng {rej['row']}: {rej['reason']}")
    if len(r["rejects"]) > 10:
        lines.append(f"   … và {vn_int(len(r['rejects']) - 10)} dòng bị loại khác (xem trang Dữ liệu).")
    return lines


def _file_lines(r: dict) -> list[str]:
    """What every kind of file says: every line under the header accounted for, sheets and columns not read."""
    lines = []
    if r.get("rows_total") is not None and r["rows_total"] != r["rows_loaded"]:
        lines.append(f"   {vn_int(r['rows_total'])} dòng dưới dòng tiêu đề = thêm mới {vn_int(r['rows_loaded'])} + cập "
                     f"nhật {vn_int(r['rows_updated'])} + không đổi {vn_int(r['rows_unchanged'])} + bị loại "
                     f"{vn_int(r['rows_rejected'])} + bỏ qua {vn_int(r['rows_skipped'])}.")
    if r.get("hidden_sheets"):
        lines.append("   Không đọc trang ẩn: " + ", ".join(f"«{s}»" for s in r["hidden_sheets"]) +
                     " (trang ẩn trong Excel không được nạp; muốn nạp thì bỏ ẩn trang rồi nạp lại).")
    if r.get("unread_sheets"):
        lines.append("   Không đọc trang không có bảng của loại tệp này: " +
                     ", ".join(f"«{s}»" for s in r["unread_sheets"]) + ".")
    unheaded = [c for c in r.get("ignored_columns", []) if is_unheaded_label(c)]
    if unheaded:
        lines.append("   Bỏ qua ô ở cột không có tiêu đề: " + "; ".join(map(unheaded_place, unheaded[:10])) +
                     (f" và {vn_int(len(unheaded) - 10)} cột khác" if len(unheaded) > 10 else "") + ".")
    return lines
