"""What the reference files share: reading their rows, a whole-file failure, and the unit-level words."""
import re
from datetime import date

import pyarrow as pa

from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.core.table_lines import ends_table, is_numbering, is_section_heading, is_totals_line

LEVEL_WORDS = {"tinh": "province", "thanh pho": "province", "tinh thanh pho": "province", "province": "province",
               "so": "department", "so ban nganh": "department", "department": "department", "ban": "department",
               "so nganh": "department",
               "quan huyen": "district", "huyen": "district", "quan": "district", "district": "district",
               "thi xa": "district", "thanh pho thuoc tinh": "district", "thanh pho thuoc thanh pho": "district",
               # the national catalogue's «UBND huyện, quận, thành phố trực thuộc tỉnh, thị xã» (probe 30)
               "thanh pho truc thuoc tinh": "district", "thanh pho truc thuoc trung uong": "province",
               "thanh pho trung uong": "province",   # the statistics office's list writes it so
               "quan huyen thi xa": "district", "huyen thi xa thanh pho": "district",
               # a thị trấn is a commune-level unit (Luật Tổ chức chính quyền địa phương: xã, phường, thị trấn)
               "phuong xa": "ward", "xa": "ward", "phuong": "ward", "ward": "ward", "thi tran": "ward",
               "xa phuong thi tran": "ward", "phuong xa thi tran": "ward",
               # the special zones of the 2025 reform are commune-level (Nghị quyết 202/2025/QH15)
               "dac khu": "ward",
               "nganh doc": "vertical", "vertical": "vertical", "co quan nganh doc": "vertical"}
# What comes before the level word: 'Cấp xã', 'UBND cấp xã', 'Ủy ban nhân dân cấp huyện'
LEVEL_PREFIXES = ("uy ban nhan dan cap ", "ubnd cap ", "cap ", "uy ban nhan dan cac ", "ubnd cac ", "cac ",
                   "uy ban nhan dan ", "ubnd ")


def level_of(text) -> str | None:
    """The level a word names, also after "Cấp", "UBND cấp", "UBND" or "Các" ("Cấp xã", "UBND cấp huyện", "UBND
    phường", "Các sở, ban, ngành", "UBND các xã, phường, thị trấn", as unit lists, catalogues and plans write it)."""
    key = norm_key(text)
    return LEVEL_WORDS.get(key) or next((LEVEL_WORDS[rest] for p in LEVEL_PREFIXES if key.startswith(p)
                                         for rest in [key.removeprefix(p).strip()] if rest in LEVEL_WORDS), None)


def alias_index(aliases: dict[str, list[str]]) -> dict[str, str]:
    """Normalized header key → field, from a reference file's {field: [header texts]}."""
    return {norm_key(a): f for f, texts in aliases.items() for a in texts}


def reference_lines(grid, match, *, unmapped_text: bool = False, headings: bool = False,
                    totals: bool = False) -> tuple[list[dict], int]:
    """(rows, lines skipped): the rows under the header as {field: trimmed text, '_row': row number}, and how many
    of the table's lines are not among them. Skipped: a row whose fields are all empty, the column-number row
    '(1) (2) (3)', a totals line unless `totals`, a section heading ('I | CÁC SỞ, BAN, NGÀNH') unless `headings`, and
    from the first line of the block under the list (recipients, place and date, signatures) on. unmapped_text: a
    row whose text stands only in columns no field reads (a heading merged across the row from the STT column) is
    kept too, with that text as '_text'. headings, totals: kept for a loader that reads them (a catalogue's
    sectors, a framework's areas and its total). Reference files are a few hundred rows typed by a person, so they
    are read in Python."""
    table = grid.table.slice(match.header_index + 1)
    numbers = grid.row_numbers[match.header_index + 1:]
    out = []
    for i, record in enumerate(table.to_pylist()):
        texts = [str(v).strip() for v in record.values() if v is not None and str(v).strip()]
        key = norm_key(texts[0]) if texts else ""
        if key and ends_table(key):
            break   # the block under the list: skipped, as the dossier and survey loaders skip it
        if (is_numbering(texts) or (not totals and key and is_totals_line(key))
                or (not headings and is_section_heading(texts))):
            continue
        row = {f: (record.get(col) or "").strip() for f, col in match.columns.items()}
        if any(row.values()):
            row["_row"] = int(numbers[i])
            out.append(row)
        elif unmapped_text and texts:
            out.append({**row, "_row": int(numbers[i]), "_text": texts[0]})
    return out, table.num_rows - len(out)


def reference_rows(grid, match, **options) -> list[dict]:
    """The rows of reference_lines (the reference kinds count the lines skipped themselves, etl/references/kind.py)."""
    return reference_lines(grid, match, **options)[0]


def fail(name, row, message):
    """A reference file loads whole or not at all: one bad row stops it, naming the row."""
    raise ImportFailure(f"Tệp {name}, dòng {row}: {message} Không nạp dòng nào từ tệp này.")


def parse_day(value, name, row) -> str | None:
    """A date typed in a reference file (2025-07-01, 01/07/2025, 1-7-2025, 01.07.2025: day first) → ISO text; None
    when empty. A date that does not exist (31/02/2025) stops the file, naming it."""
    if not value:
        return None
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"), (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", "dmy")):
        found = re.fullmatch(pattern + r"(?:[ T].*)?", value)
        if found:
            a, b, c = (int(g) for g in found.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                fail(name, row, f"ngày '{value}' không có thật.")
    fail(name, row, f"ngày '{value}' không đọc được.")


def insert_rows(con, name: str, records: list[tuple], insert_sql: str) -> None:
    """Rows typed in Python written in one statement: insert_sql reads columns c0, c1… of the rows (executemany
    took ~10 ms a row, 8 seconds for the 729 units of the 2025–2026 sample)."""
    if not records:
        return
    columns = {f"c{i}": [r[i] for r in records] for i in range(len(records[0]))}
    view = f"_{name}_rows"
    con.register(view, pa.table(columns))
    try:
        con.execute(f"{insert_sql} FROM {view}")
    finally:
        con.unregister(view)
