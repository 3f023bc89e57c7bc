"""The importer's entries for PAR INDEX files: kind 'par_framework' (the framework) and kind 'par_scores' (the
scores, long or as the council's workbook, and survey points)."""
from etl.core.kind import Kind, SheetLoad, add_counts
from etl.par.framework import load_framework_sheet
from etl.par.layouts import recognize_framework, recognize_scores
from etl.par.scores import store_scores
from etl.par.staging import stage_scores
from etl.par.survey_points import load_survey_points


def _load_scores(con, sheet: SheetLoad, result: dict) -> None:
    if sheet.match.layout == "survey":
        counts = load_survey_points(con, sheet)
    else:
        counts = store_scores(con, stage_scores(sheet), import_id=sheet.import_id, file_name=sheet.file_name,
                              sheet=sheet.grid.sheet)
    add_counts(result, counts)
    result["layout"] = sheet.match.layout


def _no_framework_header(file_name: str, extra_aliases: tuple) -> str:
    return (f"Tệp {file_name}: không tìm thấy bảng bộ tiêu chí Chỉ số CCHC (cần các cột mã tiêu chí hoặc STT, tên "
            "tiêu chí và «Điểm tối đa»; thêm «Năm», «Nhóm đơn vị», «Phương pháp», «Chỉ tiêu», «Cách tính điểm» nếu "
            "có). Không nạp dòng nào.")


def _no_scores_header(file_name: str, extra_aliases: tuple) -> str:
    return (f"Tệp {file_name}: không tìm thấy bảng điểm Chỉ số CCHC. Cần một trong các dạng: bảng dọc (cột «Đơn vị», "
            "«Mã tiêu chí», «Tự đánh giá» và/hoặc «Thẩm định»); bảng của Hội đồng thẩm định (tiêu chí theo dòng, mỗi "
            "đơn vị hai cột «Tự đánh giá» / «Thẩm định» dưới tên đơn vị); bảng đơn vị theo dòng, tiêu chí theo cột; "
            "hoặc bảng điểm điều tra xã hội học («Đơn vị», «Điểm điều tra XHH»). Không nạp dòng nào.")


FRAMEWORK = Kind("par_framework", "bộ tiêu chí Chỉ số CCHC", recognize_framework, load_framework_sheet,
                 _no_framework_header)
# The council's workbook (wide) and a units-down table (across) turn one line into a record per unit or criterion:
# their lines are accounted for by the staging (every cell stored, rejected with its cell, or a subtotal skipped).
SCORES = Kind("par_scores", "điểm Chỉ số CCHC", recognize_scores, _load_scores, _no_scores_header,
              counts_lines=lambda match: match.layout in ("long", "survey"))
