"""The questions the inspection team should ask (the last section of the pack), worded from the pack's own figures:
each indicator below its target, the oldest late dossier and the missing apology letters, the weakest SIPAS criteria
and 766 groups, the overdue plan tasks and the PAR INDEX areas where most points were lost."""
from __future__ import annotations

from datetime import date

from common.formats import vn_date, vn_int, vn_percent, vn_points, vn_score, vn_target, vn_value

from .report import STATUS_NOT_MET

__all__ = ["questions", "TASKS_ASKED", "AREAS_ASKED"]

TASKS_ASKED = 5     # overdue tasks named one by one; the others counted
AREAS_ASKED = 3     # PAR INDEX areas named (largest loss first)
GROUPS_ASKED = 2    # 766 groups named (most points missing first)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _targets(pack: dict) -> list[str]:
    out = []
    for c in pack["scorecard"]:
        if c["status"] != STATUS_NOT_MET:
            continue
        rank = c.get("rank") or {}
        where = (f", xếp thứ {rank['rank']}/{rank['ranked']} trong nhóm {pack['peers']['level_name'].lower()}"
                 if rank.get("rank") else "")
        out.append(f"{c['name_vi']} chỉ đạt {vn_value(c['value'], c['unit'], c['decimals'])} (chỉ tiêu "
                   f"{vn_target(c['comparator'], c['target'], c['unit'], c['decimals'])}, chênh lệch "
                   f"{vn_points(c['gap_points'], c['unit'])}{where}): nguyên nhân là gì, đơn vị đã có giải pháp nào "
                   "và khi nào đạt chỉ tiêu?")
    return out


def _late(pack: dict) -> list[str]:
    late = pack["late"]
    out = []
    if late["total_count"]:
        oldest = late["rows"][0]
        out.append(f"Trong kỳ có {vn_int(late['total_count'])} hồ sơ trễ hạn (giải quyết quá hạn "
                   f"{vn_int(late['counts']['resolved_late'])}, đang giải quyết quá hạn "
                   f"{vn_int(late['counts']['pending_overdue'])}); hồ sơ tiếp nhận sớm nhất là hồ sơ "
                   f"{oldest['dossier_code']} ({oldest['procedure_name'] or 'không rõ thủ tục'}, tiếp nhận ngày "
                   f"{vn_date(date.fromisoformat(oldest['received_date']))}): vì sao trễ hạn, ai chịu trách nhiệm "
                   "và đơn vị xử lý thế nào?")
    missing = late["apology_missing"]["total_count"]
    if missing:
        out.append(f"{vn_int(missing)}/{vn_int(late['total_count'])} hồ sơ trễ hạn chưa có phiếu xin lỗi và hẹn lại "
                   "ngày trả kết quả: đề nghị đơn vị xuất trình phiếu xin lỗi đã gửi người dân, tổ chức, hoặc giải "
                   "trình lý do chưa gửi.")
    return out


def _sipas(pack: dict) -> list[str]:
    sipas = pack["sipas"]
    if sipas is None:
        return []
    weak = [c for c in sipas["weakest"] if not c["too_small"]][:3]
    if not weak:
        return []
    names = "; ".join(f"{c['code']} {c['name']} ({vn_percent(c['index'])})" for c in weak)
    years = ", ".join(map(str, sipas["years"]))
    return [f"Các tiêu chí SIPAS (khảo sát năm {years}) có mức hài lòng thấp nhất: {names}: đơn vị đã biết và đã làm "
            "gì để cải thiện?"]


def _index766(pack: dict) -> list[str]:
    idx = pack["index766"]
    if idx["total"] is None:
        return []
    missing = sorted((g for g in idx["groups"] if g["covered_points"]),
                     key=lambda g: -(g["covered_points"] - (g["points"] or 0)))
    missing = [g for g in missing if g["covered_points"] - (g["points"] or 0) > 0][:GROUPS_ASKED]
    if not missing:
        return []
    names = "; ".join(f"{_lower_first(g['name'])} ({vn_score(g['points'])}/{vn_score(g['covered_points'])} điểm "
                      "tính được)" for g in missing)
    return [f"Chỉ số 766 ước tính {vn_score(idx['total'])}/{vn_score(idx['max_points'])} điểm; mất nhiều điểm nhất ở "
            f"{names}: đơn vị có kế hoạch khắc phục không?"]


def _tasks(pack: dict) -> list[str]:
    tasks = pack["tasks"]
    overdue = tasks["overdue"]
    if not overdue:
        return []
    named = "; ".join(f"\"{t['task']}\" (hạn {vn_date(date.fromisoformat(t['deadline']))}, quá hạn "
                      f"{vn_int(t['days_overdue'])} ngày)" for t in overdue[:TASKS_ASKED])
    more = f" và {vn_int(len(overdue) - TASKS_ASKED)} nhiệm vụ khác" if len(overdue) > TASKS_ASKED else ""
    return [f"{vn_int(len(overdue))} nhiệm vụ kế hoạch CCHC năm {tasks['year']} quá hạn chưa hoàn thành: "
            f"{named}{more}: "
            "nguyên nhân và thời hạn hoàn thành?"]


def _par(pack: dict) -> list[str]:
    par = pack["par"]
    if par is None:
        return []
    out = []
    areas = [a for a in par["areas"] if (a["lost_points"] or 0) > 0][:AREAS_ASKED]
    if areas:
        names = "; ".join(f"{_lower_first(a['name'])} (mất {vn_score(a['lost_points'])}/{vn_score(a['max_points'])} "
                          "điểm)" for a in areas)
        out.append(f"Chỉ số CCHC (PAR INDEX) năm {par['year']}: đơn vị mất nhiều điểm nhất ở {names}: nguyên nhân và "
                   "giải pháp?")
    for check in par["data_check"][:AREAS_ASKED]:
        out.append(f"Tiêu chí {check['code']} {check['name']}: đơn vị tự chấm {vn_score(check['self_score'])} điểm "
                   f"nhưng số liệu chỉ hỗ trợ {vn_score(check['data_score'])} điểm: đề nghị xuất trình tài liệu kiểm "
                   "chứng.")
    return out


def questions(pack: dict) -> list[str]:
    """The questions, in the order of the pack's sections; a closing question on evidence always ends the list."""
    out = [*_targets(pack), *_late(pack), *_sipas(pack), *_index766(pack), *_tasks(pack), *_par(pack)]
    if not out:
        out.append("Các chỉ số có chỉ tiêu đều đạt và không có hồ sơ trễ hạn: đơn vị chia sẻ cách làm nào có thể nhân "
                   "rộng?")
    out.append("Đề nghị đơn vị cung cấp sổ theo dõi hồ sơ, phiếu xin lỗi và báo cáo tiến độ kế hoạch CCHC làm căn cứ "
               "đối chiếu với số liệu trên.")
    return out

