"""Writers for the PAR INDEX: the JSON of cli.md, a flat CSV, and the xlsx in the council's wide layout (criteria
down, units across with "Tự đánh giá" / "Thẩm định"), a ranking sheet and the data check."""
from __future__ import annotations

import json

from openpyxl.utils import get_column_letter

from common.formats import vn_score
from common.workbook import (PCT, SCORE, STYLES, csv_text, header_cells, header_row, new_workbook,
                             print_a4_landscape, put_cell, safe_sheet_title, save_workbook, set_widths, title_rows,
                             write_cell)

__all__ = ["par_to_json", "par_to_csv", "write_par_xlsx", "par_json_rows"]

_NA = "Không áp dụng"
_ROW_KEYS = ("unit", "name", "peer_group", "points", "max_points", "index", "rank", "group", "self_points",
             "survey_points", "not_appraised")


def par_json_rows(result: dict) -> list[dict]:
    """The rows of `python -m indicators par --format json`, exactly the keys of cli.md."""
    return [{**{k: r[k] for k in _ROW_KEYS},
             "areas": {c: {k: a[k] for k in ("points", "max_points", "index")} for c, a in r["areas"].items()},
             "lost": [{k: x[k] for k in ("code", "name", "lost_points")} for x in r["lost"]],
             "data_check": [{k: x[k] for k in ("code", "self_score", "data_score", "note")} for x in r["data_check"]]}
            for r in result["rows"]]


def par_to_json(result: dict) -> str:
    return json.dumps({"year": result["year"], "rows": par_json_rows(result)}, ensure_ascii=False, indent=2)


def _area_codes(result: dict) -> list[str]:
    seen: dict = {}
    for r in result["rows"]:
        seen.update(dict.fromkeys(r["areas"]))
    return sorted(seen, key=lambda c: [int(p) if p.isdigit() else p for p in c.split(".")])


def par_to_csv(result: dict) -> str:
    """One row per unit: totals, rank and group, change since last year, each area's points, maximum and index."""
    areas = _area_codes(result)
    head = ["year", "unit", "name", "peer_group", "points", "max_points", "index", "rank", "peer_count", "group",
            "self_points", "survey_points", "not_appraised", "not_applicable", "gap_points", "change_points",
            "change_rank", "unsupported_claims"]
    head += [f"area_{a}_{k}" for a in areas for k in ("points", "max_points", "index")]
    lines = []
    for r in result["rows"]:
        values = [result["year"]] + [r.get(k) for k in head[1:17]]
        values.append(sum(1 for c in r["data_check"] if c["supported"] is False))
        for a in areas:
            area = r["areas"].get(a) or {}
            values += [area.get("points"), area.get("max_points"), area.get("index")]
        lines.append(values)
    return csv_text(head, lines)


# ---------------------------------------------------------------------------------------------------------
# xlsx.

def _sum_under(nodes: list[dict], code: str, key: str):
    """Σ key over a unit's scoring nodes at or under code (None when none has a value)."""
    values = [n[key] for n in nodes if (n["code"] == code or n["code"].startswith(code + ".")) and n["applicable"]
              and n[key] is not None]
    return sum(values) if values else None


def _unit_cells(row: dict, code: str) -> tuple:
    """(self score, points, provisional, not applicable) a unit shows on a framework line: sums over the nodes under
    the line; provisional when some of them were not appraised by the council."""
    under = [n for n in row["nodes"] if n["code"] == code or n["code"].startswith(code + ".")
             or code.startswith(n["code"] + ".")]
    if under and all(n["not_applicable"] for n in under):
        return None, None, False, True
    own = [n for n in under if not code.startswith(n["code"] + ".")]
    if not own:   # scored on a line above (the council gave one score for the whole criterion)
        return None, None, False, False
    provisional = any(n["applicable"] and n["source"] != "appraised" for n in own)
    return _sum_under(row["nodes"], code, "self_score"), _sum_under(row["nodes"], code, "points"), provisional, False


def _wide_sheet(ws, result: dict, framework: dict, rows: list[dict]) -> None:
    ncol = 3 + 2 * len(rows)
    title_rows(ws, ncol, [
        (f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {result['year']} – {framework['name'].upper()}", STYLES.title),
        ("Điểm in nghiêng: Hội đồng chưa thẩm định, tạm tính theo điểm tự đánh giá, số liệu của Thành phố hoặc chỉ "
         "số SIPAS.", STYLES.small_italic)], align=STYLES.left)
    cells = [("A4:A5", "STT"), ("B4:B5", "Lĩnh vực, tiêu chí, tiêu chí thành phần"), ("C4:C5", "Điểm tối đa")]
    for i, r in enumerate(rows):
        a, b = get_column_letter(4 + 2 * i), get_column_letter(5 + 2 * i)
        cells += [(f"{a}4:{b}4", r["name"]), (f"{a}5", "Tự đánh giá"), (f"{b}5", "Thẩm định")]
    header_cells(ws, cells, range(4, 6), ncol)
    line = 6
    for item in framework["items"]:
        bold = STYLES.bold if item["depth"] == 1 else STYLES.normal
        write_cell(ws, line, 1, item["code"], font=bold, border=STYLES.border, align=STYLES.center)
        write_cell(ws, line, 2, item["name"], font=bold, border=STYLES.border, align=STYLES.left)
        write_cell(ws, line, 3, item["max_points"], SCORE, font=bold, border=STYLES.border)
        for i, r in enumerate(rows):
            own, points, provisional, na = _unit_cells(r, item["code"])
            write_cell(ws, line, 4 + 2 * i, _NA if na else own, SCORE, font=bold, border=STYLES.border)
            write_cell(ws, line, 5 + 2 * i, _NA if na else points, SCORE, border=STYLES.border,
                       font=STYLES.italic if provisional else bold)
        line += 1
    for label, pick, fmt in (("Tổng điểm", lambda r: (r["self_points"], r["points"]), SCORE),
                             ("Điểm tối đa áp dụng", lambda r: (None, r["max_points"]), SCORE),
                             ("Chỉ số CCHC", lambda r: (None, r["index"]), PCT),
                             ("Xếp hạng", lambda r: (None, r["rank"]), None),
                             ("Xếp loại", lambda r: (None, r["group"]), None)):
        ws.merge_cells(f"A{line}:C{line}")
        write_cell(ws, line, 1, label, font=STYLES.bold, border=STYLES.border, align=STYLES.left)
        for i, r in enumerate(rows):
            for k, value in enumerate(pick(r)):
                put_cell(ws, line, 4 + 2 * i + k, value, fmt, font=STYLES.bold, border=STYLES.border,
                         align=STYLES.center if fmt is None else None, dash_when_none=False)
        line += 1
    set_widths(ws, {"A": 7, "B": 48, "C": 8, **{get_column_letter(c): 9 for c in range(4, ncol + 1)}})
    ws.freeze_panes = "D6"
    print_a4_landscape(ws, "4:5", centered=False)


_RANK_HEADERS = [("STT", 5), ("Đơn vị", 34), ("Nhóm đơn vị", 14), ("Điểm tự đánh giá", 10), ("Điểm đạt", 10),
                 ("Điểm tối đa áp dụng", 10), ("Chỉ số CCHC", 10), ("Xếp hạng trong nhóm", 10), ("Xếp loại", 8),
                 ("Năm trước: chỉ số", 10), ("Năm trước: hạng", 8), ("Tăng (+), giảm (−) điểm", 10),
                 ("Tiêu chí chưa thẩm định", 10), ("Tự chấm không khớp số liệu", 10)]


def _ranking_sheet(ws, result: dict) -> None:
    headers = _RANK_HEADERS + [(f"Lĩnh vực {a}", 9) for a in _area_codes(result)]
    title_rows(ws, len(headers), [(f"XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {result['year']}", STYLES.title),
                                  ("Xếp hạng trong từng nhóm đơn vị (sở, ban, ngành; quận, huyện); xếp loại "
                                   + ", ".join(f"{g['group']} từ {vn_score(g['min_index'] * 100)} %"
                                               for g in result["groups"]) + ".", STYLES.small_italic)])
    header_row(ws, 4, headers, height=45)
    formats = [None, None, None, SCORE, SCORE, SCORE, PCT, None, None, PCT, None, SCORE, None, None]
    for i, r in enumerate(result["rows"], start=1):
        last = r.get("last_year") or {}
        values = [i, r["name"], r["peer_group_name"], r["self_points"], r["points"], r["max_points"], r["index"],
                  None if r["rank"] is None else f"{r['rank']}/{r['peer_count']}", r["group"], last.get("index"),
                  last.get("rank"), r.get("change_points"), r["not_appraised"],
                  sum(1 for c in r["data_check"] if c["supported"] is False)]
        values += [(r["areas"].get(a) or {}).get("index") for a in _area_codes(result)]
        for c, value in enumerate(values, start=1):
            fmt = formats[c - 1] if c <= len(formats) else PCT
            put_cell(ws, 4 + i, c, value, fmt, font=STYLES.normal, border=STYLES.border,
                     align=STYLES.left if c == 2 else None, dash_when_none=fmt is not None)
    ws.freeze_panes = "C5"
    print_a4_landscape(ws, "4:4", centered=False)


def _check_sheet(ws, result: dict) -> None:
    headers = [("Đơn vị", 30), ("Mã tiêu chí", 8), ("Tiêu chí", 40), ("Điểm tối đa", 8), ("Tự đánh giá", 8),
               ("Thẩm định", 8), ("Số liệu", 10), ("Điểm theo số liệu", 9), ("Nhận xét", 60)]
    title_rows(ws, len(headers), [(f"ĐỐI CHIẾU ĐIỂM TỰ ĐÁNH GIÁ VỚI SỐ LIỆU CỦA THÀNH PHỐ NĂM {result['year']}",
                                   STYLES.title)])
    header_row(ws, 3, headers, height=30)
    line = 4
    for r in result["rows"]:
        for c in r["data_check"]:
            values = [(r["name"], None), (c["code"], None), (c["name"], None), (c["max_points"], SCORE),
                      (c["self_score"], SCORE), (c["appraised_score"], SCORE), (c["value"], PCT),
                      (c["data_score"], SCORE), (c["note"] or ("khớp số liệu" if c["supported"] else None), None)]
            font = STYLES.red if c["supported"] is False else STYLES.normal
            for col, (value, fmt) in enumerate(values, start=1):
                put_cell(ws, line, col, value, fmt, font=font, border=STYLES.border, dash_when_none=fmt is not None,
                         align=STYLES.left if col in (1, 3, 9) else None)
            line += 1
    ws.freeze_panes = "B4"
    print_a4_landscape(ws, "3:3", centered=False)


def write_par_xlsx(result: dict, path, scope_name: str | None = None) -> None:
    """One sheet per peer group in the council's layout, then the ranking and the data check."""
    wb, first = new_workbook("Xếp hạng")
    _ranking_sheet(first, result)
    for group, framework in result["frameworks"].items():
        rows = [r for r in result["rows"] if r["peer_group"] == group]
        if rows:
            _wide_sheet(wb.create_sheet(safe_sheet_title(framework["name"])), result, framework, rows)
    _check_sheet(wb.create_sheet("Đối chiếu số liệu"), result)
    save_workbook(wb, path)
