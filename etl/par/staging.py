"""A score sheet in any layout → records (a unit's scores for one criterion) and their cells, ready for SQL.

The layouts differ only in where a unit, a criterion and a score stand; once staged, every layout is judged and
stored by the same SQL (etl/par/scores.py). A council's workbook is a few hundred cells typed by people, so its
shape is read in Python (like the reference files); the judging — what is loaded, skipped or rejected — is SQL."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa
from openpyxl.utils import get_column_letter

from common.text import norm_key
from etl.core.kind import SheetLoad
from etl.core.table_lines import ends_table
from etl.par.codes import code_of, codes_in_order, leading_code
from etl.par.layouts import ParMatch
from etl.par.vocab import is_summary_text, is_total_text, peer_group_in_titles, peer_group_of, year_in_texts

__all__ = ["Staged", "stage_scores", "sheet_defaults", "data_rows", "column_of", "cell_at", "is_blank", "place_of",
           "text_of", "year_of"]

PART_NAMES = {"self": "tự đánh giá", "appraised": "thẩm định"}


@dataclass
class Staged:
    records: list[dict] = field(default_factory=list)   # _rec, _row, unit, code_raw, code, year, hint, note, evidence
    cells: list[dict] = field(default_factory=list)     # _rec, _ord, part, value, place
    skipped: int = 0

    def add(self, row: int, unit, code_raw, code, year, hint, cells: list[tuple[str, object, str]],
            note=None, evidence=None) -> None:
        """One record; cells: (part, value, place) — place names the cell for a reason ("ô F12 (Sở Tư pháp,
        thẩm định)")."""
        rec = len(self.records)
        self.records.append({"_rec": rec, "_row": row, "unit": text_of(unit), "code_raw": text_of(code_raw),
                             "code": code,
                             "year": year, "hint": hint, "note": text_of(note), "evidence": text_of(evidence)})
        for part, value, place in cells:
            self.cells.append({"_rec": rec, "_ord": len(self.cells), "part": part, "value": text_of(value),
                               "place": place})

    def tables(self) -> tuple[pa.Table, pa.Table]:
        rec_schema = pa.schema([("_rec", pa.int64()), ("_row", pa.int64()), ("unit", pa.string()),
                                ("code_raw", pa.string()), ("code", pa.string()), ("year", pa.int64()),
                                ("hint", pa.string()), ("note", pa.string()), ("evidence", pa.string())])
        cell_schema = pa.schema([("_rec", pa.int64()), ("_ord", pa.int64()), ("part", pa.string()),
                                 ("value", pa.string()), ("place", pa.string())])
        return (pa.Table.from_pylist(self.records, schema=rec_schema),
                pa.Table.from_pylist(self.cells, schema=cell_schema))


def text_of(value) -> str | None:
    text = None if value is None else str(value).strip()
    return text or None


def sheet_defaults(sheet: SheetLoad) -> tuple[int | None, str | None]:
    """(year, peer group) a sheet's title rows or name give ('KẾT QUẢ … NĂM 2022 CỦA CÁC SỞ, BAN, NGÀNH'); the year
    falls back to --as-of."""
    texts = [c for row in sheet.title_rows for c in row if c] + [sheet.grid.sheet or ""]
    year = year_in_texts(texts) or (sheet.as_of.year if sheet.as_of else None)
    return year, peer_group_in_titles(texts)


def year_of(text, default) -> int | None:
    found = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", str(text or ""))
    return int(found.group()) if found else default


def data_rows(sheet: SheetLoad):
    """(row number, cells) of every line under the header; from the first line of the block under the table on
    («Nơi nhận:», the place and date, a signature title in the first cell) no cells, so each is skipped as blank (the
    council's «TM. HỘI ĐỒNG» stands in a unit's score column)."""
    first = sheet.match.header_index + 1
    numbers = sheet.grid.row_numbers[first:]
    ended = False
    for number, record in zip(numbers, sheet.grid.table.slice(first).to_pylist()):
        cells = list(record.values())
        opening = next((str(c).strip() for c in cells if c is not None and str(c).strip()), "")
        ended = ended or (bool(opening) and ends_table(norm_key(opening)))
        yield int(number), [] if ended else cells


def column_of(match: ParMatch, name: str) -> int | None:
    return int(match.columns[name][1:]) if name in match.columns else None


def cell_at(cells: list, j: int | None):
    return cells[j] if j is not None and j < len(cells) else None


def is_blank(cells: list) -> bool:
    return all(c is None or not str(c).strip() for c in cells)


def place_of(j: int, row: int, *labels) -> str:
    return f"ô {get_column_letter(j + 1)}{row}" + (f" ({', '.join(l for l in labels if l)})" if any(labels) else "")


def _stage_long(sheet: SheetLoad, out: Staged) -> None:
    match, (year, group) = sheet.match, sheet_defaults(sheet)
    fields = ("year", "peer_group", "unit", "code", "name", "self_score", "appraised_score", "note", "evidence")
    cols = {f: column_of(match, f) for f in fields}
    for row, cells in data_rows(sheet):
        get = {f: text_of(cell_at(cells, j)) for f, j in cols.items()}
        get["unit"] = get["unit"] or match.title_unit   # one unit's own sheet: its title's unit
        first = next((c for c in cells if c not in (None, "")), None)
        if is_blank(cells) or is_total_text(first) or (get["unit"] is None and get["code"] is None):
            out.skipped += 1   # blank, totals, signature lines
            continue
        raw = get["code"] or leading_code(get["name"])
        hint = peer_group_of(get["peer_group"]) if get["peer_group"] else group
        parts = [(p, get[f"{p}_score"], place_of(cols[f"{p}_score"], row, PART_NAMES[p]))
                 for p in ("self", "appraised") if cols[f"{p}_score"] is not None]
        if all(v is None for _, v, _ in parts):
            out.skipped += 1   # a criterion listed with no score yet
            continue
        out.add(row, get["unit"], raw, code_of(raw), year_of(get["year"], year), hint, parts, get["note"],
                get["evidence"])


def _stage_wide(sheet: SheetLoad, out: Staged) -> None:
    match, (year, group) = sheet.match, sheet_defaults(sheet)
    code_col, name_col = column_of(match, "code"), column_of(match, "name")
    rows = list(data_rows(sheet))
    raws = [(text_of(cell_at(c, code_col)) or leading_code(cell_at(c, name_col))) for _, c in rows]
    codes = codes_in_order([r if r and not is_total_text(r) else None for r in raws])
    units: dict[str, list[tuple[int, str]]] = {}
    for j, unit, part in match.unit_columns:
        units.setdefault(unit, []).append((j, part))
    for (row, cells), raw, code in zip(rows, raws, codes):
        label = text_of(cell_at(cells, name_col)) or raw
        given = {unit: [(p, cell_at(cells, j), place_of(j, row, unit, PART_NAMES[p])) for j, p in columns]
                 for unit, columns in units.items()}
        has_scores = any(v not in (None, "") for parts in given.values() for _, v, _ in parts)
        if is_blank(cells) or is_total_text(raw) or not has_scores or (code is None and is_summary_text(label)):
            out.skipped += 1   # blank, totals, summary lines (rank, index), notes and signatures
            continue
        if code is None:   # scores on a line whose criterion cannot be told: rejected whole, once
            out.add(row, None, raw or label, None, year, group, [])
            continue
        for unit, parts in given.items():
            if any(v not in (None, "") for _, v, _ in parts):
                out.add(row, unit, raw, code, year, group, parts)


def _stage_across(sheet: SheetLoad, out: Staged) -> None:
    match, (year, group) = sheet.match, sheet_defaults(sheet)
    unit_col = column_of(match, "unit")
    criteria: dict[str, list[tuple[int, str, str]]] = {}
    for j, raw, code, part in match.criterion_columns:
        criteria.setdefault(code, []).append((j, raw, part))
    for row, cells in data_rows(sheet):
        unit = text_of(cell_at(cells, unit_col))
        first = next((c for c in cells if c not in (None, "")), None)
        if is_blank(cells) or unit is None or is_summary_text(unit) or is_total_text(first):
            out.skipped += 1   # blank, totals, a row of maxima, signatures
            continue
        for code, columns in criteria.items():
            parts = [(p, cell_at(cells, j), place_of(j, row, f"tiêu chí {raw}", PART_NAMES[p]))
                     for j, raw, p in columns]
            if any(v not in (None, "") for _, v, _ in parts):
                out.add(row, unit, columns[0][1], code, year, group, parts)


def stage_scores(sheet: SheetLoad) -> Staged:
    out = Staged()
    {"long": _stage_long, "wide": _stage_wide, "across": _stage_across}[sheet.match.layout](sheet, out)
    return out
