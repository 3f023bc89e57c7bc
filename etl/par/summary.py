"""The lines of the import summary for PAR INDEX files (the counts; etl/summary.py adds unmatched units, warnings
and rejects as for dossiers)."""
from common.formats import vn_int

_LAYOUTS = {"long": "bảng dọc", "wide": "bảng của Hội đồng thẩm định", "across": "bảng đơn vị theo dòng",
            "survey": "điểm điều tra xã hội học"}


def par_summary_lines(r: dict) -> list[str]:
    if r["kind"] == "par_framework":
        return [f"   Bộ tiêu chí: {vn_int(r['rows_loaded'] + r['rows_unchanged'])} lĩnh vực, tiêu chí, tiêu chí thành "
                f"phần — nạp mới {vn_int(r['rows_loaded'])}, không đổi {vn_int(r['rows_unchanged'])}."]
    lines = [f"   Đọc {vn_int(r['rows_read'])} điểm ({_LAYOUTS.get(r.get('layout'), 'bảng điểm')}): thêm mới "
             f"{vn_int(r['rows_loaded'])}, cập nhật {vn_int(r['rows_updated'])}, không đổi "
             f"{vn_int(r['rows_unchanged'])}, bị loại {vn_int(r['rows_rejected'])}."]
    if r["rows_skipped"]:
        lines.append(f"   Bỏ qua {vn_int(r['rows_skipped'])} ô hoặc dòng không phải điểm của một tiêu chí (dòng cộng "
                     "của lĩnh vực, tiêu chí đã chấm theo tiêu chí con; dòng tổng, xếp hạng; dòng trống; chữ ký).")
    return lines
