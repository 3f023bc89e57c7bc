"""The 2022 CCHC plans of the city, every department and district, and four progress reports over the year (30/6,
8/8, 30/9, 15/12), as the workbooks units send: title rows, roman-numeral sections, deadlines in words, three
layouts of plan and three of report. Sở Kế hoạch và Đầu tư's plan is built to the inspection report's line
"đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện" at 8/8/2022 (plan-tasks.md, seed 000)."""
from __future__ import annotations

import pathlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .plan_bank import CITY_LEADS, DEPARTMENT_LEADS, DISTRICT_LEADS, SECTIONS, TARGETS, TASKS
from .units import AGENCIES, CITY, DISTRICTS
from .xlsx import save_fixed_xlsx

REPORT_DATES = (date(2022, 6, 30), date(2022, 8, 8), date(2022, 9, 30), date(2022, 12, 15))
SKHDT_AT = date(2022, 8, 8)
SKHDT_FIGURES = dict(tasks=47, done=10, under_way=37)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
_D = date
# (deadline as written, the date it means) — the readings of README "Kế hoạch CCHC".
EARLY = [("Quý I", _D(2022, 3, 31)), ("Tháng 3/2022", _D(2022, 3, 31)), ("Quý II", _D(2022, 6, 30)),
         ("6 tháng đầu năm", _D(2022, 6, 30)), ("Trước 30/6/2022", _D(2022, 6, 30)), ("Tháng 5", _D(2022, 5, 31)),
         ("Quý II/2022", _D(2022, 6, 30)), ("15/7/2022", _D(2022, 7, 15)), ("Tháng 7/2022", _D(2022, 7, 31))]
LATER = [("Quý III", _D(2022, 9, 30)), ("Quý III/2022", _D(2022, 9, 30)), ("Tháng 9/2022", _D(2022, 9, 30)),
         ("30/9/2022", _D(2022, 9, 30)), ("Tháng 10-12", _D(2022, 12, 31)), ("Quý IV", _D(2022, 12, 31)),
         ("Năm 2022", _D(2022, 12, 31)), ("Trong năm 2022", _D(2022, 12, 31)), ("Tháng 11", _D(2022, 11, 30)),
         ("31/12/2022", _D(2022, 12, 31)), ("Trước 15/12/2022", _D(2022, 12, 15)),
         ("9 tháng đầu năm", _D(2022, 9, 30)), ("Tháng 8/2022", _D(2022, 8, 31))]
RECURRING = ["Thường xuyên", "Hằng năm", "Năm 2022 và các năm tiếp theo", "Thường xuyên, liên tục"]
UNREADABLE = ["Theo lộ trình của Trung ương", "Khi có hướng dẫn của Bộ Nội vụ"]
DONE_WORDS = ("Hoàn thành", "Đã hoàn thành")
OPEN_WORDS = ("Đang thực hiện", "Đang triển khai")
NOT_STARTED_WORDS = ("Chưa thực hiện", "Chưa triển khai")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
BOLD = Font(name="Times New Roman", bold=True)
# A line one district's report adds that its plan does not have: kept, and listed as matching no task.
EXTRA_LINE = ("Q12", "Tổ chức Hội thi tìm hiểu về cải cách hành chính")


@dataclass
class Task:
    section: int
    text: str
    product: str
    lead: str
    deadline_text: str
    deadline: date | None          # None: recurring or unreadable
    done_on: date | None           # None: not done by the year's last report
    code: str | None = None
    target_value: str | None = None
    say_late: bool = False         # reported "Hoàn thành (trễ hạn)"
    show_date: bool = True         # the report gives the completion date

    @property
    def is_target(self) -> bool:
        return self.target_value is not None


def _pick(rng, items):
    return items[int(rng.integers(len(items)))]


def _finish(rng, deadline: date | None) -> tuple[date | None, bool]:
    """(completion date or None, reported late): most tasks done before their deadline, some after, a few never."""
    u = rng.random()
    if deadline is None:          # recurring or unreadable: reported done at the year's end, or still going
        return (date(2022, 12, 10) if u < 0.5 else None), False
    if u < 0.72:
        return max(date(2022, 1, 20), deadline - timedelta(days=int(rng.integers(0, 50)))), False
    if u < 0.88:
        done = deadline + timedelta(days=int(rng.integers(4, 45)))
        return (done if done <= REPORT_DATES[-1] else None), bool(rng.random() < 0.5)
    return None, False


def _deadline(rng, shares=(0.3, 0.56, 0.12)) -> tuple[str, date | None]:
    u = rng.random()
    if u < shares[0]:
        return _pick(rng, EARLY)
    if u < shares[0] + shares[1]:
        return _pick(rng, LATER)
    if u < sum(shares):
        return _pick(rng, RECURRING), None
    return _pick(rng, UNREADABLE), None


def _plan(rng, n: int, leads: list[str]) -> list[Task]:
    chosen = sorted(rng.choice(len(TASKS), size=n, replace=False))
    tasks = []
    for i in chosen:
        section, text, product = TASKS[i]
        text_dl, deadline = _deadline(rng)
        done_on, late = _finish(rng, deadline)
        tasks.append(Task(section, text, product, _pick(rng, leads), text_dl, deadline, done_on, say_late=late,
                          show_date=bool(rng.random() < 0.75)))
    return tasks


def skhdt_plan(rng) -> list[Task]:
    """47 tasks, none recurring; 10 done by 8/8/2022 (one late), the other 37 due after 8/8 (one deadline not a
    date) and still open then: "đã hoàn thành 10/47 nhiệm vụ, 37 nhiệm vụ đang thực hiện"."""
    chosen = [i for i in range(len(TASKS)) if i not in (7, 34, 39)]
    early = {0: ("Quý I", _D(2022, 3, 31), _D(2022, 3, 15)), 1: ("Tháng 3/2022", _D(2022, 3, 31), _D(2022, 3, 28)),
             9: ("Quý II", _D(2022, 6, 30), _D(2022, 5, 20)), 15: ("6 tháng đầu năm", _D(2022, 6, 30), _D(2022, 6, 24)),
             16: ("Trước 30/6/2022", _D(2022, 6, 30), _D(2022, 7, 20)),     # done late, reported so at 8/8
             24: ("Tháng 5", _D(2022, 5, 31), _D(2022, 5, 30)), 29: ("Quý II/2022", _D(2022, 6, 30), _D(2022, 6, 15)),
             35: ("15/7/2022", _D(2022, 7, 15), _D(2022, 7, 12)),
             40: ("Tháng 7/2022", _D(2022, 7, 31), _D(2022, 7, 28)),
             41: ("Quý I", _D(2022, 3, 31), _D(2022, 2, 25))}
    later = [x for x in LATER if x[1] > SKHDT_AT]
    tasks = []
    for i in chosen:
        section, text, product = TASKS[i]
        lead = _pick(rng, DEPARTMENT_LEADS)
        if i in early:
            text_dl, deadline, done_on = early[i]
            tasks.append(Task(section, text, product, lead, text_dl, deadline, done_on, say_late=done_on > deadline))
            continue
        if i == 23:
            tasks.append(Task(section, text, product, lead, "Theo lộ trình của Bộ Kế hoạch và Đầu tư", None,
                              _D(2022, 11, 10)))
            continue
        text_dl, deadline = _pick(rng, later)
        done_on, late = _finish(rng, deadline)
        if done_on is not None and done_on <= SKHDT_AT:
            done_on = SKHDT_AT + timedelta(days=int(rng.integers(10, 40)))
        tasks.append(Task(section, text, product, lead, text_dl, deadline, done_on, say_late=late,
                          show_date=bool(rng.random() < 0.8)))
    assert len(tasks) == SKHDT_FIGURES["tasks"]
    assert sum(1 for t in tasks if t.done_on and t.done_on <= SKHDT_AT) == SKHDT_FIGURES["done"]
    return tasks


def city_plan(rng) -> list[Task]:
    """The city's plan: six targets (chỉ tiêu) then tasks, each with a code (CT-01, NV-01 …), led by departments."""
    targets = [Task(2, name, "Báo cáo", _pick(rng, CITY_LEADS), "Năm 2022", _D(2022, 12, 31),
                    _D(2022, 12, 10) if rng.random() < 0.6 else None, code=f"CT-{k:02d}", target_value=value)
               for k, (name, value) in enumerate(TARGETS, start=1)]
    tasks = _plan(rng, 30, CITY_LEADS)
    for k, t in enumerate(tasks, start=1):
        t.code = f"NV-{k:02d}"
    return targets + tasks


def district_plan(rng) -> list[Task]:
    tasks = _plan(rng, int(rng.integers(24, 36)), DISTRICT_LEADS)
    for name, value in TARGETS[:4]:
        done_on = _D(2022, 12, 10) if rng.random() < 0.7 else None
        tasks.append(Task(2, name, "Báo cáo", "Phòng Nội vụ", "Năm 2022", _D(2022, 12, 31), done_on,
                          target_value=value))
    return sorted(tasks, key=lambda t: t.section)


# ---------------------------------------------------------------------------------------------------------
# What a report says of a task on a date.

def _status(rng, t: Task, on: date) -> tuple[str, date | None]:
    """(status words, completion date written or None)."""
    if t.done_on is not None and t.done_on <= on:
        if t.is_target:
            return "Đạt", None
        word = "Hoàn thành (trễ hạn)" if t.say_late else _pick(rng, DONE_WORDS)
        return word, t.done_on if t.show_date else None
    if t.is_target:
        return "Chưa đạt", None
    if t.deadline is not None and on < t.deadline - timedelta(days=100):
        return _pick(rng, NOT_STARTED_WORDS), None
    return _pick(rng, OPEN_WORDS), None


def _sectioned(tasks: list[Task]) -> list[tuple[str, int, list[Task]]]:
    """(roman numeral, section index, its tasks) in section order; STT restarts in every section."""
    out = []
    for s in sorted({t.section for t in tasks}):
        out.append((ROMAN[len(out)], s, [t for t in tasks if t.section == s]))
    return out


# ---------------------------------------------------------------------------------------------------------
# Workbooks.

def _heading(ws, superior: str | None, body: str, titles: list[str], width: int) -> None:
    """The administrative heading: issuing body top left (its superior above it), national motto top right,
    then the title lines merged across the table."""
    ws.append([superior or body] + [None] * (width - 2) + [MOTTO[0]])
    ws.append([body if superior else None] + [None] * (width - 2) + [MOTTO[1]])
    ws.append([])
    for line in titles:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).font = BOLD
        ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")
    ws.append([])


def _header(ws, headers: list[str], numbered: bool = False) -> None:
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        ws.cell(ws.max_row, c).font = BOLD
    if numbered:
        ws.append([f"({i})" for i in range(1, len(headers) + 1)])


def _section_row(ws, roman: str, title: str, width: int, merged: bool) -> None:
    if merged:     # one cell across the table: "I. CẢI CÁCH THỂ CHẾ"
        ws.append([f"{roman}. {title}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    else:          # the numeral in the STT column, the title beside it
        ws.append([roman, title])
    ws.cell(ws.max_row, 1).font = BOLD


def _signature(ws, signer: str) -> None:
    ws.append([])
    ws.append(["Nơi nhận:", None, None, None, signer])
    ws.append(["- Như trên;"])
    ws.append(["- Lưu: VT."])


def _plan_sheet_a(ws, tasks: list[Task], superior, body: str, titles: list[str], coded: bool = False) -> None:
    """Layout A, the appendix of most plans: STT | Nội dung nhiệm vụ | Sản phẩm | Cơ quan chủ trì | Cơ quan phối
    hợp | Thời gian hoàn thành (and Mã NV first in the city's); column numbers under the header."""
    headers = (["Mã NV"] if coded else []) + ["STT", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì",
                                               "Cơ quan phối hợp", "Thời gian hoàn thành"]
    _heading(ws, superior, body, titles, len(headers))
    _header(ws, headers, numbered=True)
    parts = [("A. CHỈ TIÊU", [t for t in tasks if t.is_target]), ("B. NHIỆM VỤ", [t for t in tasks if not t.is_target])]
    for part, items in (parts if any(t.is_target for t in tasks) else [(None, tasks)]):
        if part:
            ws.append([part] if not coded else [None, part])
        if part == "A. CHỈ TIÊU":
            for k, t in enumerate(items, start=1):
                ws.append([t.code, k, f"{t.text}: {t.target_value}", t.product, t.lead, "Các sở, ngành",
                           t.deadline_text])
            continue
        for roman, s, group in _sectioned(items):
            row = [roman, SECTIONS[s]]
            ws.append(([None] if coded else []) + row)
            for k, t in enumerate(group, start=1):
                ws.append(([t.code] if coded else []) + [k, t.text, t.product, t.lead, "Các phòng, đơn vị",
                                                         t.deadline_text])
    _signature(ws, "GIÁM ĐỐC" if not coded else "CHỦ TỊCH")


def _plan_sheet_b(ws, tasks: list[Task], body: str, year_title: str) -> None:
    """Layout B, a district's: STT | Nhiệm vụ | Chỉ tiêu | Đơn vị thực hiện | Thời hạn | Ghi chú; sections in one
    merged cell; a chỉ tiêu has its value in the Chỉ tiêu column."""
    headers = ["STT", "Nhiệm vụ", "Chỉ tiêu", "Đơn vị thực hiện", "Thời hạn", "Ghi chú"]
    _heading(ws, "ỦY BAN NHÂN DÂN", body.upper(), [year_title], len(headers))
    _header(ws, headers)
    for roman, s, group in _sectioned(tasks):
        _section_row(ws, roman, SECTIONS[s], len(headers), merged=True)
        for k, t in enumerate(group, start=1):
            ws.append([f"{k}.", t.text, t.target_value, t.lead, t.deadline_text, None])
    _signature(ws, "CHỦ TỊCH")


def _report_sheet_sections(rng, ws, tasks: list[Task], on: date, body: str, title: str) -> None:
    """Sở KH&ĐT's own report: the plan's sections and STT repeated, with Tình trạng and Ngày hoàn thành."""
    headers = ["STT", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Kết quả thực hiện"]
    _heading(ws, "UBND THÀNH PHỐ HỒ CHÍ MINH", body, [title, f"(Số liệu tính đến ngày {on:%d/%m/%Y})"], len(headers))
    _header(ws, headers)
    for roman, s, group in _sectioned(tasks):
        _section_row(ws, roman, SECTIONS[s], len(headers), merged=False)
        for k, t in enumerate(group, start=1):
            word, done = _status(rng, t, on)
            ws.append([k, t.text, word, done.strftime("%d/%m/%Y") if done else None,
                       f"Đã có {t.product.lower()}" if done else None])


def _report_sheet_codes(rng, ws, tasks: list[Task], on: date, title: str) -> None:
    """The city's report: one line per code (CT-01, NV-01 …), status and completion date (an Excel date cell)."""
    headers = ["Mã NV", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Văn bản"]
    _heading(ws, "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", [title, f"(tính đến ngày {on:%d/%m/%Y})"], len(headers))
    _header(ws, headers)
    for t in tasks:
        word, done = _status(rng, t, on)
        ws.append([t.code, t.text, word, done, None])
        if done:
            ws.cell(ws.max_row, 4).number_format = "dd/mm/yyyy"


def _report_sheet_departments(rng, ws, plans: dict, units: list[tuple[str, str]], on: date) -> None:
    """The departments' reports compiled by Sở Nội vụ: a unit column, STT restarting per unit, no sections (so
    each line finds its task by its text)."""
    headers = ["Đơn vị", "STT", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Kết quả thực hiện"]
    _heading(ws, "UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ NỘI VỤ",
             ["TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA CÁC SỞ, BAN, NGÀNH",
              f"(tính đến ngày {on:%d/%m/%Y})"], len(headers))
    _header(ws, headers)
    for code, name in units:
        for k, t in enumerate(plans[code], start=1):
            word, done = _status(rng, t, on)
            ws.append([name, k, t.text, word, done.strftime("%d/%m/%Y") if done else None, None])


def _report_sheet_districts(rng, ws, plans: dict, on: date) -> None:
    """The districts' reports compiled by Sở Nội vụ: the unit in one cell merged down its lines, the task retyped
    in lower case, an x under Đã hoàn thành / Đang thực hiện / Chưa thực hiện; one district adds a line its plan
    does not have."""
    headers = ["Đơn vị", "STT", "Nội dung nhiệm vụ", "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện",
               "Ngày hoàn thành"]
    _heading(ws, "UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ NỘI VỤ",
             ["TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA CÁC QUẬN, HUYỆN VÀ "
              "THÀNH PHỐ THỦ ĐỨC",
              f"(tính đến ngày {on:%d/%m/%Y})"], len(headers))
    _header(ws, headers)
    for code, name, _, _ in DISTRICTS:
        first = ws.max_row + 1
        lines = [(t.text, *_status(rng, t, on)) for t in plans[code]]
        if code == EXTRA_LINE[0]:
            lines.append((EXTRA_LINE[1], "Đang thực hiện", None))
        for k, (text, word, done) in enumerate(lines, start=1):
            marks = [None, None, None]
            marks[0 if word in (*DONE_WORDS, "Hoàn thành (trễ hạn)", "Đạt") else 2 if word in NOT_STARTED_WORDS
                  else 1] = "x"
            ws.append([f"UBND {name}" if k == 1 else None, k, "  ".join(text.lower().split(", ")), *marks,
                       done.strftime("%d/%m/%Y") if done else None])
        ws.merge_cells(start_row=first, start_column=1, end_row=ws.max_row, end_column=1)


def _save(wb: Workbook, path: pathlib.Path) -> pathlib.Path:
    wb.remove(wb.worksheets[0])
    save_fixed_xlsx(wb, path)
    return path


def generate_plans(out_dir: pathlib.Path, seed: int = 2022, progress=print) -> list[pathlib.Path]:
    """Writes the plans (city, Sở KH&ĐT, the other departments, the districts) and the four progress reports;
    returns the paths in the order to import them (plans before the reports)."""
    progress("Đang sinh kế hoạch CCHC 2022 và báo cáo tiến độ…")
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([seed, 15])
    departments = [(code, name) for code, level, name, _ in AGENCIES if level == "department"]
    plans = {"HCM": city_plan(rng), "SKHDT": skhdt_plan(rng)}
    plans.update({code: _plan(rng, int(rng.integers(22, 36)), DEPARTMENT_LEADS)
                  for code, _ in departments if code != "SKHDT"})
    plans.update({code: district_plan(rng) for code, _, _, _ in DISTRICTS})
    title = "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"
    paths = []

    wb = Workbook()
    _plan_sheet_a(wb.create_sheet("Phu luc"), plans["HCM"], "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH", [title],
                  coded=True)
    paths.append(_save(wb, out_dir / "ke_hoach_cchc_2022_thanh_pho.xlsx"))
    wb = Workbook()
    _plan_sheet_a(wb.create_sheet("Phu luc"), plans["SKHDT"], "UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
                  ["PHỤ LỤC", f"{title} CỦA SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
                   "(Kèm theo Kế hoạch số 25/KH-SKHĐT ngày 28 tháng 12 năm 2021 của Sở Kế hoạch và Đầu tư)"])
    paths.append(_save(wb, out_dir / "ke_hoach_cchc_2022_so_ke_hoach_dau_tu.xlsx"))
    wb = Workbook()
    for k, (code, name) in enumerate(departments):
        if code == "SKHDT":
            continue
        # Half the departments name themselves in the title, the others only in the heading above it.
        titles = [f"{title} CỦA {name.upper()}"] if k % 2 else [title]
        _plan_sheet_a(wb.create_sheet(code), plans[code], "UBND THÀNH PHỐ HỒ CHÍ MINH", name.upper(), titles)
    paths.append(_save(wb, out_dir / "ke_hoach_cchc_2022_so_nganh.xlsx"))
    wb = Workbook()
    for code, name, _, _ in DISTRICTS:
        _plan_sheet_b(wb.create_sheet(code), plans[code], name, title)
    paths.append(_save(wb, out_dir / "ke_hoach_cchc_2022_quan_huyen.xlsx"))

    report_title = "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA {}"
    others = [(code, name) for code, name in departments if code != "SKHDT"]
    for on in REPORT_DATES:
        wb = Workbook()
        _report_sheet_codes(rng, wb.create_sheet("Thanh pho"), plans["HCM"], on, report_title.format(CITY[1].upper()))
        _report_sheet_sections(rng, wb.create_sheet("SKHDT"), plans["SKHDT"], on, "SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
                               report_title.format("SỞ KẾ HOẠCH VÀ ĐẦU TƯ"))
        _report_sheet_departments(rng, wb.create_sheet("So nganh"), plans, others, on)
        _report_sheet_districts(rng, wb.create_sheet("Quan huyen"), plans, on)
        paths.append(_save(wb, out_dir / f"tien_do_ke_hoach_cchc_2022_{on:%Y%m%d}.xlsx"))
    return paths
