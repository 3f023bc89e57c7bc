"""The inspection pack's content, once for both files: numbered sections of sentences and tables of typed values,
written from the pack of indicators.inspection (nothing is counted here). exports/inspection_docx.py prints the
values as Vietnamese text, exports/inspection_xlsx.py writes them as numbers with formats — the same content."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from common.formats import NO_VALUE, vn_date, vn_int, vn_percent, vn_points, vn_score, vn_target, vn_value
from indicators.periods import Period, is_official, period_proper_name
from indicators.report import STATUS_MET, STATUS_NOT_MET

__all__ = ["Value", "Column", "Table", "Section", "pack_title", "pack_sections", "text_of", "QUESTIONS_TITLE"]

QUESTIONS_TITLE = "Câu hỏi đề nghị đơn vị làm rõ"


@dataclass(frozen=True)
class Value:
    """A cell whose kind differs from its column's (an indicator in days in a column of rates)."""
    value: object
    kind: str
    decimals: int = 2


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    kind: str = "text"      # text | int | percent | points | days | days_change | date | score
    align: str = "right"


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[Column]
    rows: list[list]
    note: str | None = None


@dataclass
class Section:
    number: str
    title: str
    sheet: str               # the workbook's sheet of the section
    blocks: list = field(default_factory=list)   # str (a paragraph) or Table


def text_of(value, kind: str, decimals: int = 2) -> str:
    """A value as the document prints it (the dashboard's formats)."""
    if isinstance(value, Value):
        return text_of(value.value, value.kind, value.decimals)
    if value is None:
        return NO_VALUE
    if kind == "int":
        return vn_int(value)
    if kind == "percent":
        return vn_value(value, "fraction", decimals)
    if kind == "days":
        return vn_value(value, "days", decimals)
    if kind == "points":
        return vn_points(value, "fraction", decimals)
    if kind == "days_change":
        return vn_points(value, "days", decimals)
    if kind == "date":
        return vn_date(date.fromisoformat(value))
    if kind == "score":
        return vn_score(value)
    return str(value)


def pack_title(pack: dict) -> list[str]:
    """The subject lines under "TÀI LIỆU"."""
    return ["Phục vụ Đoàn kiểm tra công tác cải cách hành chính", f"tại {pack['unit_name']}",
            f"({_period_words(pack)}; tiến độ kế hoạch CCHC tính đến ngày {_d(pack['as_of'])})"]


def _period_words(pack: dict) -> str:
    """«Số liệu Quý II/2022, từ ngày 01/04/2022 đến ngày 30/06/2022»; an official window says so, as every other
    title does («Kỳ báo cáo chính thức Quý II/2024: từ ngày 15/03/2024 …»: probe 41, the pack named only its dates)."""
    period = Period(date.fromisoformat(pack["from"]), date.fromisoformat(pack["to"]))
    if is_official(period):
        return period.label_vi()
    name = period_proper_name(period)
    dates = f"từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}"
    return f"Số liệu {name}, {dates}" if name else f"Số liệu {dates}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _d(iso: str | None) -> str:
    return vn_date(date.fromisoformat(iso)) if iso else NO_VALUE


def _value(card: dict) -> Value:
    return Value(card["value"], "percent" if card["unit"] == "fraction" else "days", card["decimals"])


def _rank(card: dict) -> str:
    r = card.get("rank")
    return f"{r['rank']}/{r['ranked']}" if r and r["rank"] else NO_VALUE


_CARD_COLUMNS = [Column("Chỉ số", 52, align="left"), Column("Kết quả", 22, "percent"),
                 Column("Chỉ tiêu", 20, align="center"), Column("Đánh giá", 20, align="center"),
                 Column("Chênh lệch so với chỉ tiêu", 24, "points"), Column("Xếp hạng trong nhóm", 18, align="center")]


def _card_rows(cards: list[dict]) -> list[list]:
    return [[c["name_vi"], _value(c), vn_target(c["comparator"], c["target"], c["unit"], c["decimals"]), c["status"],
             Value(c["gap_points"], "points" if c["unit"] == "fraction" else "days_change", c["decimals"]), _rank(c)]
            for c in cards]


def _figures(pack: dict) -> Section:
    c, name = pack["counts"], pack["unit_name"]
    cards = [x for x in pack["scorecard"] if x["id"] not in pack["digital"]]
    judged = [x for x in pack["scorecard"] if x["status"] in (STATUS_MET, STATUS_NOT_MET)]
    missed = [x for x in judged if x["status"] == STATUS_NOT_MET]
    peers = pack["peers"]
    where = f" thuộc {peers['within_name']}" if peers["within_name"] else ""
    if (peers["from"], peers["to"]) != (pack["from"], pack["to"]):   # a period spanning a reorganization
        where += f", theo cơ cấu đơn vị từ ngày {_d(peers['from'])} đến ngày {_d(peers['to'])}"
    blocks = [
        f"Từ ngày {_d(pack['from'])} đến ngày {_d(pack['to'])}, {name} tiếp nhận mới {vn_int(c['received_new'])} hồ sơ "
        f"(trực tuyến {vn_int(c['received_online'])}), kỳ trước chuyển qua {vn_int(c['carried_over'])}; đã giải quyết "
        f"{vn_int(c['resolved'])} hồ sơ, trong đó trước hạn và đúng hạn {vn_int(c['resolved_in_time'])}, quá hạn "
        f"{vn_int(c['resolved_late'])}; trả lại, xin rút {vn_int(c['returned'])}; đang giải quyết "
        f"{vn_int(c['pending'])} hồ sơ, trong đó quá hạn {vn_int(c['pending_overdue'])}.",
        (f"Đạt {vn_int(len(judged) - len(missed))}/{vn_int(len(judged))} chỉ tiêu kế hoạch có số liệu"
         + ("; chưa đạt: " + "; ".join(_lower_first(x["name_vi"]) for x in missed) if missed else "") + "."
         if judged else "Chưa có chỉ tiêu kế hoạch cho các chỉ số của đơn vị."),
        f"Xếp hạng trong nhóm {peers['level_name'].lower()}{where} (hạng/số đơn vị có số liệu; như trang Đơn vị).",
        Table("Kết quả giải quyết TTHC so với chỉ tiêu kế hoạch", _CARD_COLUMNS, _card_rows(cards)),
    ]
    return Section("I", "Số liệu giải quyết thủ tục hành chính so với chỉ tiêu và xếp hạng", "Chỉ số", blocks)


# With the dossier's state and its requests for more papers, as the late-dossier list has them: a dossier still
# pending at the period end counts its days late to that end, one asked twice for papers is late whatever its dates
# (probe 41: «17/06, trễ 1 ngày» and «15/05 before 17/05, trễ 0 ngày» stood unexplained).
_LATE_COLUMNS = [Column("STT", 8, "int", "center"), Column("Mã hồ sơ", 28, align="left"),
                 Column("Thủ tục hành chính", 36, align="left"), Column("Ngày tiếp nhận", 18, "date", "center"),
                 Column("Ngày hẹn trả", 18, "date", "center"), Column("Ngày có kết quả", 18, "date", "center"),
                 Column("Số ngày trễ", 12, "int"), Column("Phiếu xin lỗi", 12, align="center"),
                 Column("Tình trạng", 22, align="left"), Column("Số lần bổ sung", 12, "int")]


def _late_rows(rows: list[dict]) -> list[list]:
    apology = {True: "Có", False: "Chưa có", None: "Không rõ"}   # None: the export has no apology column
    return [[i, r["dossier_code"], r["procedure_name"] or r["procedure_code"], r["received_date"], r["due_date"],
             r["finished_date"], r["days_late"], apology[r["apology_issued"]], r["kind_name"], r["supplement_count"]]
            for i, r in enumerate(rows, start=1)]


def _late(pack: dict) -> Section:
    late, missing = pack["late"], pack["late"]["apology_missing"]
    if not late["total_count"]:
        return Section("II", "Hồ sơ trễ hạn và phiếu xin lỗi", "Hồ sơ trễ hạn", ["Trong kỳ không có hồ sơ trễ hạn."])
    unknown = late.get("apology_unknown", 0)
    letters = (f"{vn_int(missing['total_count'])} hồ sơ trễ hạn chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả"
               if unknown < late["total_count"] else
               "phiếu xin lỗi và hẹn lại ngày trả kết quả: chưa có dữ liệu (tệp hồ sơ không ghi)")
    blocks = [f"Trong kỳ có {vn_int(late['total_count'])} hồ sơ trễ hạn (giải quyết quá hạn "
              f"{vn_int(late['counts']['resolved_late'])}, đang giải quyết quá hạn "
              f"{vn_int(late['counts']['pending_overdue'])}); {letters}."]
    if 0 < unknown < late["total_count"]:
        blocks[0] += (f" Tệp hồ sơ không ghi phiếu xin lỗi của {vn_int(unknown)} hồ sơ trễ hạn (ghi «Không rõ» trong "
                      "danh sách dưới đây): cần đối chiếu sổ theo dõi.")
    shown = f"{vn_int(len(late['rows']))} hồ sơ tiếp nhận sớm nhất" if len(late["rows"]) < late["total_count"] else ""
    blocks.append(Table("Hồ sơ trễ hạn, hồ sơ cũ nhất trước" + (f" ({shown})" if shown else ""), _LATE_COLUMNS,
                        _late_rows(late["rows"]),
                        note="Danh sách đầy đủ: trang Hồ sơ trễ hạn của bảng điều khiển." if shown else None))
    if missing["total_count"]:
        more = len(missing["rows"]) < missing["total_count"]
        blocks.append(Table("Hồ sơ trễ hạn chưa có phiếu xin lỗi, hồ sơ cũ nhất trước"
                            + (f" ({vn_int(len(missing['rows']))} hồ sơ tiếp nhận sớm nhất)" if more else ""),
                            _LATE_COLUMNS, _late_rows(missing["rows"])))
    return Section("II", "Hồ sơ trễ hạn và phiếu xin lỗi", "Hồ sơ trễ hạn", blocks)


def _digital(pack: dict) -> Section:
    cards = [c for c in pack["scorecard"] if c["id"] in pack["digital"]]
    parts = [f"{_lower_first(c['name_vi'])} {text_of(_value(c), '')}" for c in cards
             if c["value"] is not None]
    text = ("Trong kỳ: " + "; ".join(parts) + "." if parts else
            "Chưa có số liệu về dịch vụ công trực tuyến và số hóa hồ sơ trong kỳ.")
    return Section("III", "Dịch vụ công trực tuyến và số hóa hồ sơ", "Trực tuyến, số hóa", [
        text, Table("Dịch vụ công trực tuyến, thanh toán trực tuyến và số hóa so với chỉ tiêu", _CARD_COLUMNS,
                    _card_rows(cards))])


def _sipas(pack: dict) -> Section:
    sipas = pack["sipas"]
    title = "Mức độ hài lòng (SIPAS) và các tiêu chí thấp nhất"
    if sipas is None:
        return Section("IV", title, "SIPAS",
                       [f"Chưa có phiếu khảo sát SIPAS nào của {pack['unit_name']} tính trong kỳ (từ ngày "
                        f"{_d(pack['from'])} đến ngày {_d(pack['to'])}; phiếu có ngày khảo sát chỉ tính khi ngày nằm "
                        "trong kỳ, như trang Hài lòng)."])
    t, years = sipas["total"], ", ".join(map(str, sipas["years"]))
    text = (f"Chỉ số hài lòng SIPAS (khảo sát năm {years}, phiếu tính trong kỳ như trang Hài lòng) của "
            f"{pack['unit_name']} đạt {vn_percent(t['sipas'])} ({vn_int(t['sipas_valid'])} phiếu hợp lệ)")
    if t["target"] is not None and t["is_met"] is not None:
        text += (f", chỉ tiêu năm {vn_target(t['comparator'], t['target'])} (so khi có kết quả cả năm)"
                 if sipas["part_of_year"] else
                 f", {'đạt' if t['is_met'] else 'chưa đạt'} chỉ tiêu ({vn_target(t['comparator'], t['target'])})")
    if t["last_year_sipas"] is not None:
        text += f"; cùng kỳ năm trước: {vn_percent(t['last_year_sipas'])}"
    columns = [Column("Mã", 12, align="center"), Column("Tiêu chí", 60, align="left"),
               Column("Tỷ lệ hài lòng", 22, "percent"), Column("Số phiếu hợp lệ", 20, "int"),
               Column("So với năm trước", 26, "points")]
    rows = [[c["code"], c["name"], c["index"], c["valid"], c["change_points"]] for c in sipas["weakest"]]
    return Section("IV", title, "SIPAS", [text + ".", Table(f"Các tiêu chí SIPAS có tỷ lệ hài lòng thấp nhất (khảo "
                                                            f"sát năm {years})", columns, rows)])


def _index766(pack: dict) -> Section:
    idx = pack["index766"]
    title = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg), ước tính"
    if idx["total"] is None:
        return Section("V", title, "Chỉ số 766",
                       ["Chưa tính được Chỉ số 766 của đơn vị: chưa có dữ liệu cho các tiêu chí."])
    # the whole subtree (a district with its wards), unlike the city report's row of the UBND's own dossiers
    within = (", trên hồ sơ của đơn vị và các đơn vị trực thuộc"
              if pack["unit_level"] in ("district", "department", "province") else "")
    text = (f"Chỉ số 766 của {pack['unit_name']} (tính theo công thức của Cổng Dịch vụ công quốc gia từ dữ liệu "
            f"đã nạp{within}) "
            f"đạt {vn_score(idx['total'])}/{vn_score(idx['max_points'])} điểm, xếp loại {idx['band']}; dữ liệu đã nạp "
            f"tính được {vn_score(idx['covered_points'])}/{vn_score(idx['max_points'])} điểm")
    if idx["rank"]:
        text += (f"; xếp thứ {idx['rank']}/{idx['peer_count']} trong nhóm {idx['peer_group'].lower()} toàn địa bàn "
                 "(như trang Chỉ số 766)")
    columns = [Column("Nhóm tiêu chí", 70, align="left"), Column("Điểm đạt", 24, "score"),
               Column("Điểm tính được", 24, "score"), Column("Điểm tối đa", 24, "score")]
    rows = [[f"{g['id']}. {g['name']}", g["points"], g["covered_points"], g["max_points"]] for g in idx["groups"]]
    return Section("V", title, "Chỉ số 766", [text + ".", Table("Điểm Chỉ số 766 theo nhóm tiêu chí", columns, rows)])


def _tasks(pack: dict) -> Section:
    tasks, name = pack["tasks"], pack["unit_name"]
    title = "Nhiệm vụ kế hoạch cải cách hành chính"
    row = tasks["row"]
    if row is None:
        year = tasks["year"] or pack["as_of"][:4]
        return Section("VI", title, "Kế hoạch CCHC", [f"Chưa nạp kế hoạch CCHC năm {year} của {name}."])
    blocks = [f"Kế hoạch CCHC năm {tasks['year']} của {name}, tính đến ngày {_d(tasks['as_of'])}: {row['sentence']}.",
              f"Trong đó: hoàn thành đúng hạn {vn_int(row['done_on_time'])}, hoàn thành trễ hạn "
              f"{vn_int(row['done_late'])}; đang thực hiện trong hạn {vn_int(row['under_way'])}, quá hạn chưa hoàn "
              f"thành {vn_int(row['overdue'])}; nhiệm vụ thường xuyên {vn_int(row['recurring'])}."]
    if tasks["as_lead"]:
        blocks.append(f"Nhiệm vụ do {name} chủ trì trong các kế hoạch khác: {tasks['as_lead']['sentence']}.")
    if tasks["overdue"]:
        columns = [Column("STT", 10, "int", "center"), Column("Nhiệm vụ", 84, align="left"),
                   Column("Hạn hoàn thành", 22, "date", "center"), Column("Số ngày quá hạn", 20, "int"),
                   Column("Cơ quan chủ trì", 34, align="left")]
        rows = [[i, t["task"], t["deadline"], t["days_overdue"], t["lead_unit"]]
                for i, t in enumerate(tasks["overdue"], start=1)]
        blocks.append(Table("Nhiệm vụ quá hạn chưa hoàn thành", columns, rows))
    return Section("VI", title, "Kế hoạch CCHC", blocks)


def _par(pack: dict) -> Section:
    par = pack["par"]
    title = "Chỉ số cải cách hành chính (PAR INDEX): điểm bị mất theo lĩnh vực"
    if par is None:
        return Section("VII", title, "PAR INDEX", [f"Chưa có điểm Chỉ số CCHC của {pack['unit_name']}."])
    text = (f"Chỉ số CCHC năm {par['year']} của {pack['unit_name']}: {vn_score(par['points'])}/"
            f"{vn_score(par['max_points'])} điểm ({vn_percent(par['index'])})")
    if par["rank"]:
        text += f", xếp thứ {par['rank']}/{par['peer_count']}"
    if par["group"]:
        text += f", nhóm {par['group']}"
    columns = [Column("Lĩnh vực", 70, align="left"), Column("Điểm đạt", 22, "score"),
               Column("Điểm tối đa", 22, "score"),
               Column("Điểm bị mất", 22, "score"), Column("Chỉ số", 22, "percent")]
    rows = [[f"{a['code']}. {a['name']}", a["points"], a["max_points"], a["lost_points"], a["index"]]
            for a in par["areas"]]
    blocks = [text + ".", Table(f"Điểm Chỉ số CCHC năm {par['year']} theo lĩnh vực, mất nhiều điểm nhất trước",
                                columns, rows)]
    for check in par["data_check"]:
        blocks.append(f"- Tiêu chí {check['code']} {check['name']}: {check['note']}")
    return Section("VII", title, "PAR INDEX", blocks)


def pack_sections(pack: dict) -> list[Section]:
    """The sections I–VIII of the pack, the questions last."""
    questions = Section("VIII", QUESTIONS_TITLE, "Câu hỏi",
                        [f"{i}. {q}" for i, q in enumerate(pack["questions"], start=1)])
    sections = [_figures(pack), _late(pack), _digital(pack), _sipas(pack), _index766(pack), _tasks(pack), _par(pack),
                questions]
    number = 0
    for section in sections:   # tables numbered in order: a section without its table leaves no gap
        for i, block in enumerate(section.blocks):
            if isinstance(block, Table):
                number += 1
                section.blocks[i] = replace(block, caption=f"Bảng {number}. {block.caption}")
    return sections
