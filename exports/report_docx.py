"""The leadership report as a Word document in the format of Nghị định 30/2020/NĐ-CP (reporting.md §3), written from
the report JSON of indicators.report.compute_report: every figure in a sentence or a table is a value of that
JSON (or a change between two of its values) in Vietnamese format — nothing is counted here.

Sections: I. Kết quả thực hiện (1. giải quyết TTHC, 2. DVCTT và số hóa, 3. mức độ hài lòng, 4. chỉ số 766, 5. nhiệm
vụ kế hoạch CCHC), II. Tồn tại, hạn chế (indicators and units below target, with figures), III. Nhiệm vụ, giải pháp
kỳ tới and IV. Kiến nghị (placeholders for the author). The header texts, "Nơi nhận" and the signer come from the
city's settings (config/city.toml [document])."""
from __future__ import annotations

from datetime import date

from common.formats import vn_date, vn_int, vn_number, vn_percent, vn_points, vn_target
from common.settings import load_settings
from exports.docx_blocks import (Closing, DocumentHeader, TableColumn, closing_block, document_bytes, header_block,
                                 heading, new_document, paragraph, placeholder, table, title_block)
from indicators.periods import Period, is_official
from indicators.report import STATUS_MET, STATUS_NOT_MET

__all__ = ["build_report_document", "write_report_docx", "report_docx_bytes", "DIGITAL_INDICATORS",
           "change_percent", "NAMES_LISTED"]

# Section I.2: online services, payment and digitization, in the order of the 766 groups.
DIGITAL_INDICATORS = ("online_rate", "online_rate_eligible", "paid_online_rate", "digitized_rate", "e_result_rate",
                      "data_reuse_rate", "sync_rate", "online_procedure_rate")
NAMES_LISTED = 15   # units named per peer group in II; the others counted ("và 12 đơn vị khác")


# ---------------------------------------------------------------------------------------------------------
# Words around the figures.

def change_percent(now: int | None, before: int | None) -> float | None:
    """Relative change in percent (12,5 for +12,5 %); None when there is nothing to compare with."""
    if now is None or not before:
        return None
    return (now - before) * 100 / before


def _change_words(now: int, before: int | None, before_name: str) -> str:
    pct = change_percent(now, before)
    if pct is None:
        return ""
    if round(pct, 1) == 0:
        return f", tương đương {before_name}"
    return f", {'tăng' if pct > 0 else 'giảm'} {vn_number(abs(pct), 1)} % so với {before_name}"


def _during(report: dict) -> str:
    """'Trong Quý II/2022' to open a sentence; a period of dates or months opens it by itself ('Từ tháng 04 đến tháng
    05/2025'), not 'Trong Từ tháng …'."""
    name = report["period_short_name"]
    # «Trong tháng 03/2023», «Trong quý II/2022», «Trong năm 2022»: the period's word in lower case inside the sentence
    # (probe 53: «Trong Tháng 03/2023»)
    return name if name.startswith("Từ ") else f"Trong {name[:1].lower() + name[1:]}"


def _period_words(report: dict) -> str:
    """The period inside a sentence: '… cải cách hành chính Quý II/2022', '… từ tháng 04 đến tháng 05/2025'."""
    name = report["period_short_name"]
    return _lower_first(name) if name.startswith("Từ ") else name


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _verdict(card: dict) -> str:
    """', đạt chỉ tiêu (> 99 %)' / ', chưa đạt chỉ tiêu (≥ 30 %), chênh lệch −2,15 điểm %' / ', chưa có chỉ tiêu'."""
    target = vn_target(card["comparator"], card["target"], card["unit"], card.get("decimals", 2))
    if card["status"] == STATUS_MET:
        return f", đạt chỉ tiêu ({target})"
    if card["status"] == STATUS_NOT_MET:
        return f", chưa đạt chỉ tiêu ({target}), chênh lệch {vn_points(card['gap_points'], card['unit'])}"
    return ", chưa có chỉ tiêu kế hoạch" if card["target"] is None else ""


def _value(card: dict) -> str:
    if card["unit"] == "fraction":
        return vn_percent(card["value"])
    return f"{vn_number(card['value'], card.get('decimals', 1))} ngày"


def _subject(report: dict, territory: str) -> str:
    return report["unit_name"] if report["unit"] else f"toàn {territory}"


def _cards(report: dict) -> dict:
    return {c["id"]: c for c in report["scorecard"]}


def _score(x: float | None) -> str:
    return "–" if x is None else vn_number(x, 0 if float(x).is_integer() else 2)


# ---------------------------------------------------------------------------------------------------------
# Section I.

def _handling(doc, report: dict, territory: str) -> None:
    c, form = report["counts"], report["form06a"]["total"]
    prev = report["previous"]
    subject = _subject(report, territory)
    paragraph(doc, (
        f"{_during(report)}, {subject} tiếp nhận mới {vn_int(c['received_new'])} hồ sơ"
        f"{_change_words(c['received_new'], prev['counts']['received_new'], prev['short_name'])}; trong đó trực tuyến "
        f"{vn_int(c['received_online'])} hồ sơ, trực tiếp và qua dịch vụ bưu chính công ích {vn_int(form['c5'])} hồ "
        f"sơ; kỳ trước chuyển qua {vn_int(c['carried_over'])} hồ sơ. Tổng số hồ sơ phải giải quyết là "
        f"{vn_int(c['total_to_handle'])}; đã giải quyết {vn_int(c['resolved'])} hồ sơ (trước hạn "
        f"{vn_int(c['resolved_early'])}, đúng hạn {vn_int(c['resolved_on_time'])}, quá hạn "
        f"{vn_int(c['resolved_late'])}); trả lại, xin rút {vn_int(c['returned'])} hồ sơ; đang giải quyết "
        f"{vn_int(c['pending'])} hồ sơ, trong đó quá hạn {vn_int(c['pending_overdue'])} hồ sơ."))
    on_time = _cards(report).get("on_time_rate")
    if on_time and on_time["value"] is not None:
        text = f"Tỷ lệ giải quyết hồ sơ đúng hạn, trước hạn đạt {_value(on_time)}{_verdict(on_time)}"
        if on_time["change_previous_points"] is not None:
            text += f"; so với {prev['short_name']}: {vn_points(on_time['change_previous_points'])}"
        paragraph(doc, text + ".")
    columns = [TableColumn("Cấp, đơn vị", 45, "left"), TableColumn("Tiếp nhận (3)", 20),
               TableColumn("Trực tuyến (4)", 20), TableColumn("Đã giải quyết (7)", 20),
               TableColumn("Quá hạn (10)", 20), TableColumn("Đang giải quyết (11)", 20),
               TableColumn("Đang quá hạn (13)", 20)]
    sections = report["form06a"]["sections"]
    rows = [[f"{s['number']}. {s['name']}", *(vn_int(s["subtotal"][k]) for k in ("c3", "c4", "c7", "c10", "c11", "c13"))]
            for s in sections]
    rows.append(["Tổng cộng", *(vn_int(form[k]) for k in ("c3", "c4", "c7", "c10", "c11", "c13"))])
    table(doc, "Bảng 1. Tình hình, kết quả giải quyết TTHC theo cấp (số hồ sơ; cột theo Biểu số 06a/VPCP/KSTT)",
          columns, rows, bold_rows={len(rows) - 1},
          note="Chi tiết từng đơn vị: trang \"Biểu 06a\" của tệp Excel kèm theo. Cột «Đã giải quyết» của biểu gồm cả "
               "hồ sơ trả lại, xin rút (tính như đúng hạn), nên lớn hơn số hồ sơ đã giải quyết nêu ở trên.")


def _indicator_rows(cards: list[dict]) -> list[list[str]]:
    rows = []
    for card in cards:
        change = "–" if card["change_previous_points"] is None else vn_points(card["change_previous_points"], card["unit"])
        rows.append([card["name_vi"], _value(card) if card["value"] is not None else "–",
                     vn_target(card["comparator"], card["target"], card["unit"], card.get("decimals", 2)),
                     card["status"], change])
    return rows


def _digital(doc, report: dict) -> None:
    cards = [c for i in DIGITAL_INDICATORS if (c := _cards(report).get(i)) is not None]
    parts = [f"{_lower_first(c['name_vi'])} đạt {_value(c)}{_verdict(c)}" for c in cards if c["value"] is not None]
    if parts:
        paragraph(doc, f"{_during(report)}: " + "; ".join(parts) + ".")
    else:
        paragraph(doc, "Chưa có số liệu về dịch vụ công trực tuyến và số hóa hồ sơ trong kỳ.")
    unreported = [_lower_first(c["name_vi"]) for c in cards if c.get("no_data")]
    if unreported:   # not 0 %: the exports loaded have no column for it
        paragraph(doc, f"Chưa có dữ liệu về {', '.join(unreported)}: các tệp xuất hồ sơ đã nạp không có cột "
                       f"{'này' if len(unreported) == 1 else 'tương ứng'}.")
    partial = [f"{_lower_first(c['name_vi'])} tính trên {vn_int(c['denominator'])} hồ sơ (không tính "
               f"{vn_int(c['unreported'])} hồ sơ)" for c in cards if c["value"] is not None and c.get("unreported")]
    if partial:   # some exports have the column, others not: the rate is over the first ones only
        paragraph(doc, "Một số tệp xuất hồ sơ không có cột tương ứng: " + "; ".join(partial) + ".")
    columns = [TableColumn("Chỉ số", 62, "left"), TableColumn("Kết quả", 22), TableColumn("Chỉ tiêu", 22, "center"),
               TableColumn("Đánh giá", 25, "center"), TableColumn(f"So với {report['previous']['short_name']}", 34)]
    table(doc, "Bảng 2. Dịch vụ công trực tuyến, thanh toán trực tuyến và số hóa so với chỉ tiêu", columns,
          _indicator_rows(cards))


def _satisfaction(doc, report: dict, territory: str) -> None:
    year = date.fromisoformat(report["to"]).year
    subject = _subject(report, territory)
    sipas = report["sipas"]
    if sipas is None:
        paragraph(doc, f"Chưa có dữ liệu khảo sát Chỉ số hài lòng SIPAS năm {year} của {subject}.")
    else:
        t = sipas["total"]
        text = (f"Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính (SIPAS) năm {year} "
                f"của {subject} đạt {vn_percent(t['sipas'])} ({vn_int(t['sipas_valid'])} phiếu hợp lệ)")
        if t["target"] is not None and t["is_met"] is not None:
            text += (f", {'đạt' if t['is_met'] else 'chưa đạt'} chỉ tiêu "
                     f"({vn_target(t['comparator'], t['target'])})")
        paragraph(doc, text + ".")
    rating = _cards(report).get("rating_satisfaction")
    if rating and rating["value"] is not None:
        paragraph(doc, f"Qua đánh giá của người dân khi nhận kết quả, tỷ lệ hài lòng đạt {_value(rating)} "
                       f"({vn_int(rating['numerator'])}/{vn_int(rating['denominator'])} lượt đánh giá){_verdict(rating)}.")


def _index766(doc, report: dict, territory: str) -> None:
    total = report["index766"]["total"]
    subject = _subject(report, territory)
    if total["total"] is None:
        paragraph(doc, f"Chưa tính được Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) của {subject}: "
                       "chưa có dữ liệu cho các tiêu chí.")
        return
    # the portal's points are never rescaled: the sentence says how many of the 100 points the data covers
    paragraph(doc, (
        f"Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg (tính theo công thức của Cổng Dịch vụ "
        f"công quốc gia từ dữ liệu đã nạp) của {subject} đạt {_score(total['total'])}/{_score(total['max_points'])} "
        f"điểm, xếp loại {total['band']}; dữ liệu đã nạp tính được {_score(total['covered_points'])}/"
        f"{_score(total['max_points'])} điểm, các tiêu chí còn lại ghi \"chưa có dữ liệu\"."))


def _plan_tasks(doc, report: dict) -> None:
    tasks = report.get("plan_tasks")
    if not tasks:
        paragraph(doc, "Chưa có dữ liệu: chưa nạp danh mục nhiệm vụ của kế hoạch cải cách hành chính và tiến độ thực "
                       "hiện (mục này được viết tự động khi dữ liệu được nạp).", italic=True)
        return
    paragraph(doc, (f"Kế hoạch cải cách hành chính có {vn_int(tasks['tasks'])} nhiệm vụ: đã hoàn thành "
                    f"{vn_int(tasks['done'])}, đang thực hiện {vn_int(tasks['under_way'])}, quá hạn chưa hoàn thành "
                    f"{vn_int(tasks['overdue'])}."))


# ---------------------------------------------------------------------------------------------------------
# Section II.

def _shortcomings(doc, report: dict) -> None:
    lines = []
    for card in report["scorecard"]:
        if card["status"] == STATUS_NOT_MET:
            lines.append(f"{card['name_vi']} đạt {_value(card)}, chưa đạt chỉ tiêu "
                         f"({vn_target(card['comparator'], card['target'], card['unit'], card.get('decimals', 2))}), "
                         f"chênh lệch {vn_points(card['gap_points'], card['unit'])}.")
    for lvl, g in report["ranking_groups"].items():
        below = g["below_target"]
        if not below or g["target"] is None:
            continue
        names = "; ".join(f"{b['name']} ({vn_percent(b['value'])})" for b in below[:NAMES_LISTED])
        more = (f" và {vn_int(len(below) - NAMES_LISTED)} đơn vị khác (trang Xếp hạng của tệp Excel kèm theo)"
                if len(below) > NAMES_LISTED else "")
        where = "" if g["within"] is None or g["within_name"] == "Toàn thành phố" else f" thuộc {g['within_name']}"
        lines.append(f"{g['level_name']}{where}: {vn_int(len(below))}/{vn_int(g['units'])} đơn vị chưa đạt chỉ tiêu "
                     f"tỷ lệ giải quyết hồ sơ đúng hạn, trước hạn ({vn_target(g['comparator'], g['target'])}): "
                     f"{names}{more}.")
    late = report["late"]
    if late["total_count"]:
        lines.append(f"Còn {vn_int(late['total_count'])} hồ sơ trễ hạn (giải quyết quá hạn "
                     f"{vn_int(late['counts']['resolved_late'])}, đang giải quyết quá hạn "
                     f"{vn_int(late['counts']['pending_overdue'])}); danh sách: trang \"Hồ sơ trễ hạn\" của tệp Excel "
                     "kèm theo.")
    sipas = report["sipas"]
    if sipas is not None:
        low = [r for r in sipas["rows"] if r.get("is_met") is False]
        if low:
            names = "; ".join(f"{r['name']} ({vn_percent(r['sipas'])})" for r in low[:NAMES_LISTED])
            more = f" và {vn_int(len(low) - NAMES_LISTED)} đơn vị khác" if len(low) > NAMES_LISTED else ""
            lines.append(f"Chỉ số hài lòng SIPAS năm {sipas['year']} chưa đạt chỉ tiêu ở {vn_int(len(low))} đơn vị: "
                         f"{names}{more}.")
    if not lines:
        lines.append("Trong kỳ, các chỉ số có chỉ tiêu đều đạt; không có đơn vị chưa đạt chỉ tiêu tỷ lệ giải quyết hồ sơ "
                     "đúng hạn, không có hồ sơ trễ hạn.")
    for line in lines:
        paragraph(doc, f"- {line}")
    placeholder(doc, "Người soạn bổ sung nguyên nhân của các tồn tại, hạn chế nêu trên.")


# ---------------------------------------------------------------------------------------------------------
# The document.

def _header(report: dict, settings: dict) -> DocumentHeader:
    return DocumentHeader(settings.get("governing_body", ""), settings.get("issuing_body", ""),
                          f"Số: …/{settings.get('number_suffix', 'BC')}",
                          f"{settings.get('place', '')}, ngày … tháng … năm {date.today().year}")


def _title_lines(report: dict) -> list[str]:
    period = Period(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))
    lines = [f"Kết quả công tác cải cách hành chính {_period_words(report)}"]
    if report["unit"]:
        lines.append(f"của {report['unit_name']}")
    if is_official(period):
        lines.append(f"(Kỳ báo cáo chính thức: từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)})")
    return lines


def build_report_document(report: dict):
    """The python-docx Document of the report (see the module docstring)."""
    settings = load_settings().document
    territory = settings.get("territory", "Thành phố")
    doc = new_document()
    header_block(doc, _header(report, settings))
    title_block(doc, "BÁO CÁO", _title_lines(report))
    period = Period(date.fromisoformat(report["from"]), date.fromisoformat(report["to"]))
    data_note = (f"Số liệu từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}, tính từ dữ liệu hồ sơ của "
                 "hệ thống một cửa điện tử")
    if report.get("data_until"):
        data_note += f" (dữ liệu đến ngày {vn_date(date.fromisoformat(report['data_until']))})"
    paragraph(doc, data_note + ".", italic=True)

    heading(doc, "I", "Kết quả thực hiện")
    heading(doc, "1", "Giải quyết thủ tục hành chính", level=2)
    _handling(doc, report, territory)
    heading(doc, "2", "Cung cấp dịch vụ công trực tuyến và số hóa hồ sơ", level=2)
    _digital(doc, report)
    heading(doc, "3", "Mức độ hài lòng của người dân, tổ chức", level=2)
    _satisfaction(doc, report, territory)
    heading(doc, "4", "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)", level=2)
    _index766(doc, report, territory)
    heading(doc, "5", "Thực hiện nhiệm vụ kế hoạch cải cách hành chính", level=2)
    _plan_tasks(doc, report)

    heading(doc, "II", "Tồn tại, hạn chế")
    _shortcomings(doc, report)
    heading(doc, "III", "Nhiệm vụ, giải pháp kỳ tới")
    for i, topic in enumerate(("Nhiệm vụ trọng tâm", "Giải pháp khắc phục tồn tại, hạn chế"), start=1):
        placeholder(doc, f"{i}. {topic}: người soạn bổ sung.")
    heading(doc, "IV", "Kiến nghị")
    placeholder(doc, "Người soạn bổ sung kiến nghị, đề xuất (nếu có).")
    paragraph(doc, "Trên đây là báo cáo kết quả công tác cải cách hành chính " + _period_words(report)
              + (f" của {report['unit_name']}" if report["unit"] else "") + "./.")

    recipients = (settings.get("recipients", []) if not report["unit"] else
                  [line.replace("{unit}", report["unit_name"]) for line in settings.get("unit_recipients", [])])
    closing_block(doc, Closing(recipients, settings.get("signer_authority", ""), settings.get("signer_title", "")))
    return doc


def report_docx_bytes(report: dict) -> bytes:
    return document_bytes(build_report_document(report))


def write_report_docx(report: dict, path) -> None:
    """The document saved to path (a file name or a binary file)."""
    build_report_document(report).save(path)
