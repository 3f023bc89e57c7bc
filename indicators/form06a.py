"""Biểu số 06a/VPCP/KSTT (reporting.md §1): the period table of the engine in the statutory form's thirteen numbered
columns, in level sections (cấp tỉnh, cấp huyện, cấp xã … as the unit tree of the period has them) or by sector.

No figure is counted here: every row is a row of compute_period_table(by="unit" or "field") moved into the form's
columns; a section's subtotal is the sum of its rows, and the grand total must equal the engine's own total (the
form refuses otherwise). Every row's identities are checked before anything is returned:
(3) = (4)+(5)+(6) = (7)+(11); (7) = (8)+(9)+(10); (11) = (12)+(13)."""
from __future__ import annotations

from common.formats import vn_int

from .engine import LEVEL_NAMES_VI, compute_period_table, resolve_unit
from .periods import Period, period_name_vi
from .units import LEVEL_ORDER, descendants, list_units

__all__ = ["FORM_ID", "FORM_NUMBER", "FORM_TITLE", "FORM_COLUMNS", "FORM_GROUPINGS", "FormIdentityError",
           "form_columns", "identity_failures", "compute_form06a", "check_form"]

FORM_ID = "06a"
FORM_NUMBER = "Biểu số 06a/VPCP/KSTT"
FORM_TITLE = ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT "
              "THỦ TỤC HÀNH CHÍNH")
FORM_GROUPINGS = ("level", "field")
FORM_COLUMNS = tuple(f"c{i}" for i in range(3, 14))

# The form's columns from the §1 measures (reporting.md §1). Returned/withdrawn dossiers are "đã giải quyết"
# in the form and sit in column (9) with the on-time ones.
_MAPPING = {
    "c3": ("total_to_handle",), "c4": ("received_online",), "c5": ("received_direct", "received_postal"),
    "c6": ("carried_over",), "c7": ("resolved", "returned"), "c8": ("resolved_early",),
    "c9": ("resolved_on_time", "returned"), "c10": ("resolved_late",), "c11": ("pending",),
    "c12": ("pending_within",), "c13": ("pending_overdue",),
}
# The form has three tiers of government; a unit's level says which one it reports in. Departments report in
# the province's tier. A level outside this table (a one-stop office under a ward…) reports in the tier of its
# nearest ancestor that has one; the vertical agencies (ngành dọc) get a section of their own (see _NOTES).
_TIER = {"province": "province", "city": "province", "department": "province", "district": "district",
         "ward": "ward", "commune": "ward", "vertical": "vertical"}
_TIER_NAMES = {"province": "Cấp tỉnh", "vertical": "Cơ quan ngành dọc"}   # else LEVEL_NAMES_VI
UNMATCHED_SECTION = "Hồ sơ của đơn vị chưa khớp danh mục"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class FormIdentityError(ValueError):
    """A row of the form breaks one of its identities: the form is not written (message in Vietnamese)."""


def form_columns(row: dict) -> dict:
    """c3…c13 of one engine row (a dict with the §1 measures)."""
    return {c: sum(int(row[m]) for m in measures) for c, measures in _MAPPING.items()}


def identity_failures(row: dict) -> list[str]:
    """The identities a row of c3…c13 breaks, in words ([] when the row is right)."""
    c = row
    out = []
    if c["c3"] != c["c4"] + c["c5"] + c["c6"]:
        out.append(f"(3) = {vn_int(c['c3'])} khác (4)+(5)+(6) = {vn_int(c['c4'] + c['c5'] + c['c6'])}")
    if c["c3"] != c["c7"] + c["c11"]:
        out.append(f"(3) = {vn_int(c['c3'])} khác (7)+(11) = {vn_int(c['c7'] + c['c11'])}")
    if c["c7"] != c["c8"] + c["c9"] + c["c10"]:
        out.append(f"(7) = {vn_int(c['c7'])} khác (8)+(9)+(10) = {vn_int(c['c8'] + c['c9'] + c['c10'])}")
    if c["c11"] != c["c12"] + c["c13"]:
        out.append(f"(11) = {vn_int(c['c11'])} khác (12)+(13) = {vn_int(c['c12'] + c['c13'])}")
    return out


def check_form(form: dict) -> None:
    """Raises FormIdentityError naming the first row (or subtotal, or total) that breaks an identity, and when the
    sections do not add up to the total."""
    named = [(r["name"], r) for r in form["rows"]]
    named += [(f"cộng {s['number']}. {s['name']}", s["subtotal"]) for s in form["sections"]]
    named.append(("Tổng cộng", form["total"]))
    for name, row in named:
        failures = identity_failures(row)
        if failures:
            raise FormIdentityError(f"Biểu 06a không lập được: dòng «{name}» sai đẳng thức: {'; '.join(failures)}.")
    summed = {c: sum(r[c] for r in form["rows"]) for c in FORM_COLUMNS}
    if summed != {c: form["total"][c] for c in FORM_COLUMNS}:
        raise FormIdentityError("Biểu 06a không lập được: cộng các dòng không bằng dòng Tổng cộng "
                                f"(cột (3): {vn_int(summed['c3'])} so với {vn_int(form['total']['c3'])}).")


def _tier_of(code: str, units: dict) -> tuple[str, str]:
    """(row unit, tier): the unit itself when its level has a tier, else its nearest ancestor's; a unit with no
    such ancestor is a row of its own, in a section named by its level."""
    seen, current = set(), code
    while current is not None and current in units and current not in seen:
        seen.add(current)
        level = units[current].level
        if level in _TIER:
            return current, _TIER[level]
        current = units[current].parent_code
    return code, units[code].level if code in units else None


def _tier_name(tier: str) -> str:
    return _TIER_NAMES.get(tier) or LEVEL_NAMES_VI.get(tier, tier)


def _tier_rank(tier: str | None) -> tuple:
    return (tier is None, LEVEL_ORDER.index(tier) if tier in LEVEL_ORDER else len(LEVEL_ORDER), tier or "")


def _by_level(con, period: Period, scope: str | None, table: dict) -> tuple[list[dict], list[dict]]:
    every = list_units(con)   # by level, then natural name: the order of the rows
    units = {u.code: u for u in every}
    order = {u.code: i for i, u in enumerate(every)}
    valid = descendants(con, scope, period.start, period.end)
    if scope is not None:
        valid = [units[scope], *valid]
    # The sections: every tier a unit valid in the period reports in (a tier without dossiers still shows, with
    # zeros: "nothing received" is an answer), and any tier a row with dossiers brings.
    rows_by_unit: dict[str, dict] = {}
    tiers = {_tier_of(u.code, units)[1] for u in valid}
    unmatched = None
    for rec in table["rows"]:
        cols = form_columns(rec)
        if rec["key"] is None or rec["key"] not in units:
            unmatched = cols
            continue
        row_unit, tier = _tier_of(rec["key"], units)
        tiers.add(tier)
        acc = rows_by_unit.setdefault(row_unit, {"tier": tier, **{c: 0 for c in FORM_COLUMNS}})
        for c in FORM_COLUMNS:
            acc[c] += cols[c]
    sections, rows = [], []
    for number, tier in zip(_ROMAN, sorted(tiers, key=_tier_rank)):
        name = _tier_name(tier)
        members = sorted((code for code, r in rows_by_unit.items() if r["tier"] == tier), key=order.get)
        subtotal = {c: 0 for c in FORM_COLUMNS}
        for i, code in enumerate(members, start=1):
            r = rows_by_unit[code]
            rows.append({"section": name, "tt": i, "key": code, "name": units[code].name,
                         **{c: r[c] for c in FORM_COLUMNS}})
            for c in FORM_COLUMNS:
                subtotal[c] += r[c]
        sections.append({"number": number, "name": name, "level": tier, "units": len(members), "subtotal": subtotal})
    if unmatched is not None:
        number = _ROMAN[len(sections)] if len(sections) < len(_ROMAN) else str(len(sections) + 1)
        rows.append({"section": UNMATCHED_SECTION, "tt": 1, "key": None, "name": "Đơn vị chưa khớp danh mục",
                     **unmatched})
        sections.append({"number": number, "name": UNMATCHED_SECTION, "level": None, "units": 1,
                         "subtotal": dict(unmatched)})
    return sections, rows


def _notes(form: dict) -> list[str]:
    """The form's footnotes: what column (9) holds, and where the vertical agencies and unmatched units are."""
    returned = form["returned"]
    notes = [f"Cột (7) và cột (9) gồm cả {vn_int(returned)} hồ sơ trả lại, xin rút trong kỳ; cột (3) = (4) + (5) + (6) "
             "= (7) + (11), cột (7) = (8) + (9) + (10), cột (11) = (12) + (13)."]
    for s in form["sections"]:
        if s["level"] == "vertical":
            notes.append(f"Mục {s['number']} gồm hồ sơ của các cơ quan ngành dọc tiếp nhận, giải quyết trên địa bàn; các "
                         "cơ quan này còn báo cáo bộ, ngành chủ quản theo ngành dọc, nên khi tổng hợp số liệu của địa "
                         f"phương gửi cấp trên cần trừ mục {s['number']} để không tính hai lần.")
        if s["name"] == UNMATCHED_SECTION:
            notes.append(f"Mục {s['number']} gồm {vn_int(s['subtotal']['c3'])} hồ sơ có tên đơn vị chưa khớp danh mục "
                         "đơn vị (trang Dữ liệu); khi bổ sung tên khác vào danh mục, hồ sơ được xếp vào đúng đơn vị.")
    return notes


def compute_form06a(con, period: Period, by: str = "level", unit: str | None = None) -> dict:
    """The form for a period and a scope (unit code or name, with its subtree; None = every unit).

    by='level': sections by tier of government, one row per unit (its own dossiers and those of its sub-units
    of a level without a tier), subtotal per section; by='field': one row per sector, no sections.
    Returns {"form": "06a", "from", "to", "by", "unit", "unit_name", "period_name", "sections": [{"number",
    "name", "level", "units", "subtotal": {c3…c13}}], "rows": [{"section", "tt", "key", "name", "c3"…"c13"}],
    "total": {c3…c13}, "returned", "notes": [...]}; FormIdentityError if any row breaks an identity."""
    if by not in FORM_GROUPINGS:
        raise ValueError(f"Cách nhóm không hợp lệ cho biểu 06a: '{by}'. Chọn một trong: {', '.join(FORM_GROUPINGS)}")
    scope, scope_name = (resolve_unit(con, unit)[:2] if unit else (None, None))
    table = compute_period_table(con, period, by="unit" if by == "level" else "field", unit=scope)
    if by == "level":
        sections, rows = _by_level(con, period, scope, table)
    else:
        sections = []
        rows = [{"section": None, "tt": i, "key": r["key"], "name": r["name"], **form_columns(r)}
                for i, r in enumerate(table["rows"], start=1)]
    form = {"form": FORM_ID, "from": table["from"], "to": table["to"], "by": by, "unit": scope,
            "unit_name": scope_name, "period_name": period_name_vi(period), "sections": sections, "rows": rows,
            "total": form_columns(table["total"]), "returned": int(table["total"]["returned"])}
    form["notes"] = _notes(form)
    check_form(form)
    return form
