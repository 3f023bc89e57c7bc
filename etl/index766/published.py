"""Load the national portal's published 766 scores: per unit and period, the total, the groups or the criteria —
long (unit, period, group or criterion, points) or wide (one column per group or criterion), in SQL."""
import pyarrow as pa

from etl.core.database import create_temp_table
from etl.core.errors import ImportFailure
from etl.core.rows import record_rejects, verdict_case
from etl.core.units import attach_waiting_units, record_unmatched_units
from etl.index766.inputs import missing_column_message
from etl.index766.staging import (SUBTOTAL_UNIT, UNIT_KEY, UNIT_PERIOD_RULES, field_sql, prepare, reject_sql, skip_sql,
                                  stage, unit_period_sql, upsert)
from etl.index766.vocab import ITEM_PREFIX
from model.index766_vocab import published_item_index

__all__ = ["is_wide", "load_published_sheet"]

_RULES = UNIT_PERIOD_RULES + (
    ("unknown_item", "item", "_item IS NULL",
     "nhóm hoặc tiêu chí «' || coalesce(item, '') || '» không nhận ra (ghi «Tổng điểm», tên nhóm như «Công khai, "
     "minh bạch», hoặc mã tiêu chí như «1.4»)."),
    ("bad_points", "points", "_pts IS NULL OR _pts < 0 OR _pts > 100",
     "điểm «' || coalesce(points, '') || '» không phải số từ 0 đến 100."),
)


def is_wide(match) -> bool:
    """One column per group or criterion, rather than a column naming the item of each line."""
    return "item" not in match.columns and any(f.startswith(ITEM_PREFIX) for f in match.columns)


def _mapped_sql(match, grid_columns: list[str]) -> str:
    """One line per unit, period and item. A wide table is unpivoted here: each score cell becomes the line the
    long layout would have had (an empty cell is a score not published: skipped)."""
    common = unit_period_sql(match, grid_columns)
    if not is_wide(match):
        return (f"SELECT {common}, {field_sql(match, 'item')} AS item, {field_sql(match, 'points')} AS points "
                "FROM grid WHERE _pos > $header")
    # The item key is a fixed text of model/index766_vocab.csv, never a cell: it is written into the statement.
    items = {f[len(ITEM_PREFIX):]: field_sql(match, f) for f in match.columns if f.startswith(ITEM_PREFIX)}
    # A dash in a group's cell is a score not published, as an empty cell is: it no longer refused the unit's line,
    # total and all.
    return "\nUNION ALL ".join(
        f"SELECT {common}, '{key}' AS item, CASE WHEN {cell} IN ('-', '–', '—', '--') THEN NULL ELSE {cell} END "
        f"AS points FROM grid WHERE _pos > $header"
        for key, cell in sorted(items.items()))


def _staging_sql(match, grid_columns: list[str]) -> str:
    # Not a score: in a wide table an empty cell; in a long one a line with neither unit nor points (a note).
    # A subtotal line («Cộng cấp huyện») is no unit's score either.
    note = "(" + ("points IS NULL" if is_wide(match) else "unit IS NULL AND points IS NULL") + f") OR {SUBTOTAL_UNIT}"
    return f"""
    WITH mapped AS ({_mapped_sql(match, grid_columns)}),
    typed AS (
        SELECT m.*, k.item AS _item, parse_bounded(m.points, 100) AS _pts, {UNIT_KEY}
        FROM mapped m LEFT JOIN item_keys k ON k.key = norm_key(m.item))
    SELECT *, {skip_sql(note)} AS _skip,
           {verdict_case(reject_sql(_RULES))} AS _verdict
    FROM typed"""


def load_published_sheet(con, grid, match, *, import_id: int, file_name: str, title_rows, extra=()) -> dict:
    """Loads one sheet of published scores inside the caller's transaction; returns its counts."""
    needed = ["unit"] + ([] if is_wide(match) else ["item", "points"])
    missing = [f for f in needed if f not in match.columns]
    if missing:
        raise ImportFailure(missing_column_message(file_name, missing, extra))
    d_from, d_to = prepare(con, title_rows)
    index = published_item_index()
    # The wide layout's item column holds the item key itself: it names itself.
    keys = {**index, **{k: k for k in index.values()}}
    create_temp_table(con, "item_keys", pa.table({"key": list(keys), "item": list(keys.values())}))
    sheet = grid.sheet
    stage(con, grid, match, _staging_sql(match, list(grid.table.column_names)), "pub", "_unit_key, _p_from, _p_to, _item",
          "đơn vị, kỳ và nhóm/tiêu chí trùng với một dòng trước trong cùng tệp.", d_from=d_from, d_to=d_to)
    # A wide line holds several scores: a line is rejected (or skipped) once, with its first reason.
    rejects = record_rejects(con, "(SELECT DISTINCT ON (_row) * FROM pub_judged WHERE _why IS NOT NULL ORDER BY _row, item)",
                             "_why", "'unit', unit, 'period', period_text, 'item', item, 'points', points",
                             import_id=import_id, file_name=file_name, sheet=sheet)
    con.execute("""CREATE OR REPLACE TEMP TABLE pub_actions AS
        SELECT j.unit AS unit_text, unit_code_of(j.unit) AS unit_code, j._p_from AS period_from,
               j._p_to AS period_to, j._item AS item, j._pts AS points, ? AS import_id, j._row AS row_number,
               CASE WHEN p.unit_text IS NULL THEN 'insert' WHEN p.points = j._pts THEN 'same' ELSE 'update' END AS action
        FROM pub_judged j LEFT JOIN index766_published p ON p.unit_text = j.unit AND p.period_from = j._p_from
             AND p.period_to = j._p_to AND p.item = j._item
        WHERE j._why IS NULL AND j._row NOT IN (SELECT _row FROM pub_judged WHERE _why IS NOT NULL)""", [import_id])
    counts = upsert(con, "index766_published", "pub_actions", ["unit_text", "unit_code", "period_from", "period_to", "item"],
                    ["points", "import_id", "row_number"])
    attach_waiting_units(con, "index766_published")   # rows loaded before an alias that now names their unit
    unmatched = record_unmatched_units(con, "pub_actions", file_name)
    skipped = con.execute("""SELECT count(DISTINCT _row) FROM pub_staged WHERE _row NOT IN
                             (SELECT _row FROM pub_staged WHERE _skip IS NULL)""").fetchall()[0][0]
    # Counted in lines of the file, as every other kind counts: a wide line of seven scores is one line, loaded
    # when any of its scores is new, updated when one changed, unchanged otherwise.
    lines = dict(con.execute("""SELECT a, count(*) FROM (
        SELECT CASE WHEN bool_or(action = 'insert') THEN 'insert' WHEN bool_or(action = 'update') THEN 'update'
                    ELSE 'same' END AS a FROM pub_actions GROUP BY row_number) GROUP BY a""").fetchall())
    for t in ("pub_staged", "pub_judged", "pub_actions"):
        con.execute(f"DROP TABLE {t}")
    return {"rows_loaded": lines.get("insert", 0), "rows_updated": lines.get("update", 0),
            "rows_unchanged": lines.get("same", 0), "rows_rejected": len(rejects), "rows_skipped": skipped,
            "rejects": rejects, "unmatched_units": unmatched, "unrecognized_values": [], "warnings": [],
            "scores_loaded": sum(counts.values())}
