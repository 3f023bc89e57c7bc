"""Whose plan, which year: the issuing unit (--unit, a unit column, or the title rows) and the plan year (the
titles, a year column, or --as-of), the same for a plan and for a progress report about it."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.plans.titles import issuing_unit, plan_year


@dataclass(frozen=True)
class Owner:
    text: str                 # as written
    code: str | None          # the unit it names, None while it names none
    key: str                  # norm_key(text)

    @property
    def plan_key(self) -> str:
        """What a plan is stored under: the unit's code, or its name's key while the name matches no unit."""
        return self.code or f"ten:{self.key}"


def owner_named(con, text: str) -> Owner:
    code = con.execute("SELECT coalesce((SELECT unit_code FROM units WHERE unit_code = $t), unit_code_of($t))",
                       {"t": text.strip()}).fetchall()[0][0]
    return Owner(text.strip(), code, norm_key(text))


def owners_named(con):
    """owner_named for the lines of one sheet, each name looked up once (a compiled report repeats it per line)."""
    known: dict[str, Owner] = {}

    def named(text: str) -> Owner:
        if text not in known:
            known[text] = owner_named(con, text)
        return known[text]
    return named


def sheet_owner(con, sheet, what: str) -> Owner | None:
    """--unit, else the unit the title rows name; None when the table has a unit column (each line names its own).
    Raises ImportFailure when nothing names the unit. what: "kế hoạch" or "báo cáo"."""
    if sheet.unit:
        return owner_named(con, sheet.unit)
    if "unit" in sheet.match.columns:
        return None
    found = issuing_unit(con, sheet.title_rows)
    if found is None:
        raise ImportFailure(
            f"Tệp {sheet.file_name}{_sheet_name(sheet)}: không biết {what} này của đơn vị nào — dòng tiêu đề không nêu "
            f"đơn vị ban hành (ví dụ «KẾ HOẠCH … CỦA SỞ TƯ PHÁP» hoặc tên cơ quan ở góc trên bên trái). Hãy ghi rõ "
            f"bằng tham số --unit «tên hoặc mã đơn vị». Không nạp dòng nào từ tệp này.")
    text, code = found
    return Owner(text, code, norm_key(text))


def sheet_year(sheet, what: str, fallback: int | None = None) -> int | None:
    """The plan year the title rows give ("NĂM 2022"), else fallback (a report's date), else --as-of's year; None
    when the table has a year column. Raises ImportFailure when nothing gives it."""
    year = plan_year(sheet.title_rows)
    if year:
        return year
    if "year" in sheet.match.columns:
        return None
    if fallback or sheet.as_of:
        return fallback or sheet.as_of.year
    raise ImportFailure(f"Tệp {sheet.file_name}{_sheet_name(sheet)}: không biết {what} thuộc năm nào — dòng tiêu đề "
                        "không ghi năm («… NĂM 2022») và bảng không có cột «Năm». Hãy thêm năm vào tiêu đề hoặc dùng "
                        "--as-of YYYY-MM-DD. Không nạp dòng nào từ tệp này.")


def line_year(text) -> int | None:
    found = re.search(r"(?:19|20)\d{2}", str(text or ""))
    return int(found.group()) if found else None


def _sheet_name(sheet) -> str:
    return f", trang «{sheet.grid.sheet}»" if sheet.grid.sheet else ""


def record_unmatched_owners(con, rows: list[dict], file_name: str) -> list[str]:
    """Issuing units whose names match no unit: loaded all the same and listed in unmatched_units (with their line
    count), like dossiers' unit names, for a person to map with an alias."""
    unmatched = Counter(r["unit_text"] for r in rows if r["unit_code"] is None)
    if unmatched:
        con.executemany("INSERT INTO unmatched_units VALUES (?, ?, ?) ON CONFLICT (unit_text) DO NOTHING",
                        [(text, file_name, n) for text, n in sorted(unmatched.items())])
    return sorted(unmatched)
