"""Unit names in loaded rows and the units they name, by the one rule of etl/core/sql_macros.sql (unit_code_of,
unit_key_codes); names that name no unit are kept and listed in unmatched_units for a person to map."""
import re
import unicodedata


def attach_waiting_units(con, table: str) -> None:
    """Rows of table loaded under a name no unit went by then (unit_code NULL) join the unit it names now.
    table is one of the loader's own tables (never user text), so it is written into the statement."""
    # as unit_code_of, in two joins rather than a lookup per row: the name as written; else, for a name that is no
    # key at all, its short form among the short forms
    con.execute(f"""UPDATE {table} t SET unit_code = k.unit_code FROM unit_key_codes k
                    WHERE t.unit_code IS NULL AND k.unit_key = norm_key(t.unit_text)""")
    con.execute(f"""UPDATE {table} t SET unit_code = k.unit_code FROM unit_key_codes k
                    WHERE t.unit_code IS NULL AND k.unit_key = '~' || unit_short_key(norm_key(t.unit_text))
                      AND norm_key(t.unit_text) NOT IN (SELECT unit_key FROM unit_keys)""")
    if table == "dossiers":   # a name two units went by at different times: the unit of the receipt day
        waiting = "SELECT DISTINCT unit_text AS raw, CAST(received_at AS DATE) AS day FROM dossiers WHERE unit_code IS NULL"
        con.execute(f"""UPDATE dossiers t SET unit_code = d.unit_code FROM ({dated_unit_codes_sql(waiting)}) d
                        WHERE t.unit_code IS NULL AND d.raw = t.unit_text AND d.day = CAST(t.received_at AS DATE)""")


def dated_unit_codes_sql(pairs: str) -> str:
    """SELECT (raw, day, unit_code) for the (name, day) pairs of `pairs` (a query of raw, day) whose name several
    units go by but only one of them was in force on that day: after the 2025 reorganization a new ward keeps an old
    ward's name («Phường Bến Thành» until 30/06/2025 and from 01/07/2025), and a dossier received on a day belongs to
    the ward of that day (probe 18: every such dossier stayed unmatched, in every period). Units in force together
    («Phường 1» of three districts) still name none. As unit_code_of: the name as written when it is a key, else its
    short form among the short forms («Trung tâm Phục vụ hành chính công xã Bình Hưng» for the old and the new Xã Bình
    Hưng, probe 26)."""
    return f"""
        SELECT raw, day, min(unit_code) AS unit_code FROM (
            SELECT DISTINCT p.raw, p.day, u.unit_code
            FROM ({pairs}) p
            JOIN unit_keys k ON k.unit_key = CASE WHEN norm_key(p.raw) IN (SELECT unit_key FROM unit_keys)
                                                  THEN norm_key(p.raw) ELSE '~' || unit_short_key(norm_key(p.raw)) END
            JOIN units u ON u.unit_code = k.unit_code
            WHERE p.day IS NOT NULL AND norm_key(p.raw) NOT IN (SELECT unit_key FROM unit_key_codes)
              AND (u.valid_from IS NULL OR u.valid_from <= p.day) AND (u.valid_to IS NULL OR u.valid_to >= p.day))
        GROUP BY raw, day HAVING count(*) = 1"""


def record_unmatched_units(con, staged: str, file_name: str) -> list[str]:
    """The unit names of the staged rows (a loader's temp table) that name no unit, sorted; each is added to
    unmatched_units with this file and its row count, unless it is listed already."""
    names = [r[0] for r in con.execute(
        f"SELECT DISTINCT unit_text FROM {staged} WHERE unit_code IS NULL ORDER BY 1").fetchall()]
    con.execute(f"""INSERT INTO unmatched_units
        SELECT unit_text, ?, count(*) FROM {staged} WHERE unit_code IS NULL GROUP BY unit_text
        ON CONFLICT (unit_text) DO NOTHING""", [file_name])
    return names


# A title line naming the unit of every row of a one-unit export: 'Đơn vị: UBND Phường 1', 'Cơ quan tiếp nhận: …'
# ('Đơn vị tính: hồ sơ', the unit of measure, is not one).
_TITLE_UNIT = re.compile(r"^\s*(?:đơn vị|đơn vị tiếp nhận|đơn vị báo cáo|đơn vị thực hiện|cơ quan|cơ quan tiếp nhận|"
                         r"cơ quan thực hiện|nơi tiếp nhận)\s*:\s*(\S.*?)\s*$", re.IGNORECASE)


def unit_key_sql(unit: str) -> str:
    """SQL: the unit a unit cell names, for telling two lines' units apart — its code when the list knows it, else
    the text's key («Quận 3» and «UBND Quận 3» are one unit; so are two spellings of a unit not yet in the list)."""
    return f"coalesce(unit_code_of({unit}), norm_key({unit}))"


def heading_lines(title_rows: list[list]) -> list[str]:
    """The first text of each title row, top down: an official document's corner heading («UBND QUẬN 3» over
    «UBND PHƯỜNG 9», the issuing body on the lowest line), its title, its «(Kèm theo …)»."""
    firsts = (next((str(c).strip() for c in row if c not in (None, "") and str(c).strip()), "") for row in title_rows)
    return [t for t in firsts if t]


def _unit_lines(title_rows: list[list]):
    """(the cell as written, what it names after «Đơn vị:», whether that names anything) of each title line naming a
    unit. A form's blank left to fill in («Đơn vị: ……………», «Cơ quan: ______») names nothing (probe 52: its dots were
    taken as the unit's name, the questionnaires counted under it)."""
    for row in title_rows:
        for cell in row:
            found = _TITLE_UNIT.match(unicodedata.normalize("NFC", str(cell))) if cell else None
            if found:
                yield str(cell).strip(), found.group(1), any(ch.isalnum() for ch in found.group(1))


def blank_unit_line(title_rows: list[list]) -> str | None:
    """The title line left to fill in («Đơn vị: ……………»), as written, or None: said when the unit is missing."""
    return next((cell for cell, _, names in _unit_lines(title_rows) if not names), None)


def unit_from_titles(title_rows: list[list]) -> str | None:
    """The unit a title line names for the whole sheet ('Đơn vị: UBND Phường 1'); None when no line, or two
    lines naming different units, say it."""
    found = {unit for _, unit, names in _unit_lines(title_rows) if names}
    return found.pop() if len(found) == 1 else None
