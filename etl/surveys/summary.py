"""The lines of the import summary for a SIPAS survey file (Vietnamese)."""
from common.formats import quoted_names, vn_int as _n
from etl.core.header import is_unheaded_label
from etl.surveys.header import duplicate_question_parts


def survey_summary_lines(r: dict) -> list[str]:
    # counted in lines; a wide results table holds several results (one per element) on a line
    aggregates = r.get("layout") == "aggregates"
    what = (f"dòng kết quả tổng hợp ({_n(r.get('results_read', 0))} kết quả theo đơn vị, năm, yếu tố)" if aggregates
            else "phiếu khảo sát")
    lines = [f"   Đọc {_n(r['rows_read'])} {what} (nguồn «{r['source']}»): thêm mới {_n(r['rows_loaded'])}, "
             f"cập nhật {_n(r['rows_updated'])}, không đổi {_n(r['rows_unchanged'])}, bị loại {_n(r['rows_rejected'])}."]
    if r.get("same_content_as"):
        lines.append(f"   Nội dung tệp giống hệt tệp «{r['same_content_as']}» đã nạp trước đó: coi là cùng nguồn, "
                     "phiếu đã có được nhận lại (không đổi hoặc cập nhật), không thêm lần thứ hai.")
    if r["rows_skipped"] and aggregates:
        lines.append(f"   Bỏ qua {_n(r['rows_skipped'])} dòng không phải kết quả của một đơn vị (dòng trống, tổng cộng, "
                     "chữ ký, dòng không ghi kết quả nào).")
    elif r["rows_skipped"]:
        lines.append(f"   Bỏ qua {_n(r['rows_skipped'])} dòng không phải phiếu (dòng trống, số thứ tự cột, tổng cộng, chữ ký).")
    if r["dropped_columns"]:
        lines.append("   Đã bỏ cột dữ liệu cá nhân (không lưu): " + ", ".join(r["dropped_columns"]) + ".")
    if r["unmatched_units"]:
        lines.append("   Tên đơn vị chưa khớp danh mục (vẫn nạp, cần khai báo tên khác): " + quoted_names(r["unmatched_units"]) + ".")
    for warning in r.get("warnings", []):
        lines.append("   ⚠ " + warning)
    if r.get("ignored_criteria"):
        lines.append("   Bỏ qua cột không có trong danh mục tiêu chí: " + ", ".join(r["ignored_criteria"]) +
                     " (muốn tính thì thêm tiêu chí hay phương án mong đợi vào etl/vocab/sipas_catalogue.csv rồi nạp lại).")
    # every column not read is named: a question the loader does not know must not vanish unnoticed
    unread = [c for c in r.get("ignored_columns", []) if c not in r.get("ignored_criteria", [])
              and not is_unheaded_label(c)]
    twice = [f"{h} ở {column} (cột đầu: {first})"
             for h, column, first in filter(None, map(duplicate_question_parts, unread))]
    unread = [c for c in unread if not duplicate_question_parts(c)]
    if twice:
        lines.append("   Cột trùng câu hỏi với một cột trước (chỉ đọc cột đầu; kiểm tra tệp có chép nhầm cột không): "
                     + ", ".join(twice) + ".")
    if unread:
        lines.append("   Cột không đọc (không phải trường hay câu hỏi khảo sát nhận ra; nếu cần đọc, khai báo tiêu đề "
                     "trong tệp ánh xạ --mapping): " + ", ".join(str(c) for c in unread) + ".")
    for u in r.get("unrecognized_values", [])[:10]:
        why = f" — {u['reason']}" if u.get("reason") else ""
        rows = u.get("rows") or []
        where = ((f"trang «{u['sheet']}», " if u.get("sheet") else "") + "dòng " + ", ".join(map(str, rows))
                 + (" …" if u["count"] > len(rows) else "")) if rows else ""
        lines.append(f"   Câu trả lời không hợp lệ ở cột «{u['field']}»{f' ({where})' if where else ''}: '{u['value']}'"
                     f"{why} ({_n(u['count'])} lần).")
    if len(r.get("unrecognized_values", [])) > 10:   # probe 52: the list stopped at ten without a word
        lines.append(f"   … và {_n(len(r['unrecognized_values']) - 10)} giá trị không hợp lệ khác (--json liệt kê đủ).")
    for rej in r["rejects"][:10]:
        # a survey reason names its sheet and row; a line the reader could not split does not
        where = f"dòng {rej['row']}: " if rej.get("reason_code") == "unreadable_line" else ""
        lines.append(f"   ✗ {where}{rej['reason']}")
    if len(r["rejects"]) > 10:
        lines.append(f"   … và {_n(len(r['rejects']) - 10)} dòng bị loại khác (xem trang Dữ liệu).")
    return lines
