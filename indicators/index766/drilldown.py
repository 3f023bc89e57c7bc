"""The dossiers behind a 766 criterion, one row each for an inspection visit: received in the period and not
synchronized to the national portal (1.4), or with a fee and not paid online (4.1); paged and sorted in SQL.
The late dossiers (2.1) are the late list's (indicators/dossier_list.py)."""
from __future__ import annotations

from typing import Any

from model.aggregates import DAY_COLUMNS
from model.facts import dossier_facts_sql
from model.unsynced_rows import GAP_KINDS, GAP_MEASURES, UNSYNCED_ROWS_TABLE
from model.units import NAMED_UNITS_SQL

from ..dossier_list import STATUS_NAMES_VI
from ..periods import Period
from ..scope import resolve_unit, scope_and_tree_sql
from .sources import fresh_aggregates, stored_rows_current

__all__ = ["GAP_KINDS", "GAP_KIND_NAMES_VI", "LIST_OF_MEASURE", "GAP_SORT_COLUMNS", "list_gap_dossiers"]

# GAP_KINDS: each list is the complement of the receipt measure the criterion counts (model/unsynced_rows.py).
GAP_KIND_NAMES_VI = {"not_synced": "Hồ sơ chưa đồng bộ lên Cổng DVCQG",
                     "unpaid_online": "Hồ sơ có phí chưa thanh toán trực tuyến", "late": "Hồ sơ trễ hạn"}
# The list behind a criterion, by the measure its numerator counts.
LIST_OF_MEASURE = {"received_synced": "not_synced", "received_fee_paid_online": "unpaid_online",
                   "progress_766_ok": "late"}
GAP_SORT_COLUMNS = {"received_date": "received_date", "dossier_code": "dossier_code", "unit_name": "unit_name",
                    "procedure_name": "procedure_name", "field": "field", "channel": "channel",
                    "fee_amount": "fee_amount", "status": "status_code"}
_CHANNELS_VI = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"}

_LIVE = """
    SELECT f.source, f.dossier_code, f.unit_code, coalesce(u.display_name, f.unit_text) AS unit_name,
           f.procedure_code, f.procedure_name, f.field_key AS field, f.channel, f.r_date AS received_date,
           f.f_date AS finished_date, f.fee_amount, f.status_code, f.status_text
    FROM ({facts}) f LEFT JOIN {named_units} u ON u.unit_code = f.unit_code
    WHERE f.r_date BETWEEN $p0 AND $p1
      AND ($scope IS NULL OR f.unit_code IN (SELECT unit_code FROM scope_units))
      AND ($field IS NULL OR f.field_key = $field)
      AND ({predicate})"""
# The not-synchronized list's rows as stored at load (model/unsynced_rows.py), while in step with the dossiers.
_STORED = """
    SELECT source, dossier_code, unit_code, unit_name, procedure_code, procedure_name, field, channel, received_date,
           finished_date, fee_amount, status_code, status_text
    FROM {table}
    WHERE received_date BETWEEN $p0 AND $p1
      AND ($scope IS NULL OR unit_code IN (SELECT unit_code FROM scope_units))
      AND ($field IS NULL OR field = $field)"""
_SQL = scope_and_tree_sql() + """,
picked AS ({picked})
SELECT page.*, (SELECT count(*) FROM picked) AS n_all
FROM (SELECT * FROM picked ORDER BY {order} {limit}) page
ORDER BY {order}"""
# The dossiers the list can hold, picked before their facts are derived (the facts pass these columns through
# unchanged): the facts of every dossier (their working days above all) cost 20 times the list.
# The timestamp bounds repeat the date test so that the scan skips the row groups outside the period.
_CANDIDATES = """(SELECT * FROM dossiers WHERE received_at >= $p0 AND received_at < $p1 + INTERVAL 1 DAY
                 AND CAST(received_at AS DATE) BETWEEN $p0 AND $p1 AND ({predicate})
                 AND ($scope IS NULL OR unit_code IN (SELECT unit_code FROM scope_units)))"""
# Each list's dossiers per day, from the aggregate table: the criterion's measures, whose difference is the list.
# Without a sector the unit × day sums (a tenth of the cells' rows) give the same counts.
_DAY_COUNTS = scope_and_tree_sql() + """
SELECT day, sum({plus} - {minus})::BIGINT AS n FROM {table} c
WHERE day BETWEEN $p0 AND $p1 AND ($scope IS NULL OR c.unit_code IN (SELECT unit_code FROM scope_units))
  {field_test}
GROUP BY day HAVING n > 0 ORDER BY day"""
_KEYS = ("source", "dossier_code", "unit_code", "unit_name", "procedure_code", "procedure_name", "field", "channel",
         "received_date", "finished_date", "fee_amount", "status_code", "status_text")


def list_gap_dossiers(con, period: Period, kind: str, unit: str | None = None, *, field: str | None = None,
                      sort: str = "received_date", descending: bool = False, limit: int | None = 100,
                      offset: int = 0, stored: bool | None = None) -> dict:
    """The dossiers received in the period (in the unit's subtree; one sector with field) that keep a criterion
    below full: kind 'not_synced' or 'unpaid_online'. Returns {"from", "to", "unit", "kind", "kind_name",
    "total_count", "rows"}; rows are one page (limit None: all), each source, dossier_code, unit_code, unit_name,
    procedure_code, procedure_name, field, channel (Vietnamese), received_date, finished_date, fee_amount,
    status (Vietnamese). stored (the not-synchronized list): read the rows stored at load (True) or the dossiers
    (False); None: the stored rows while they are in step with the dossiers."""
    if kind not in GAP_KINDS:
        raise ValueError(f"Loại danh sách không hợp lệ: '{kind}'. Chọn một trong: {', '.join(GAP_KINDS)}")
    if sort not in GAP_SORT_COLUMNS:
        raise ValueError(f"Không sắp xếp được theo '{sort}'. Chọn một trong: {', '.join(GAP_SORT_COLUMNS)}")
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ValueError(f"Tham số {name} phải là số nguyên không âm (nhận được {value!r}).")
    scope = resolve_unit(con, unit)[0] if unit else None
    # Ties broken by source and code so that pages never repeat or skip a dossier.
    order = f"{GAP_SORT_COLUMNS[sort]} {'DESC' if descending else 'ASC'} NULLS LAST, source, dossier_code"
    params: dict[str, Any] = {"p0": period.start, "p1": period.end, "scope": scope, "group_level": None,
                              "field": field}
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT $limit OFFSET $offset"
        params.update(limit=limit, offset=offset)
    picked = _picked(kind, kind == "not_synced" and (stored_rows_current(con) if stored is None else stored))
    if sort == "received_date" and fresh_aggregates(con) and all(m in DAY_COLUMNS for m in GAP_MEASURES[kind]):
        return _by_received_date(con, period, kind, scope, params, picked, order, descending, limit, offset)
    sql = _SQL.format(picked=picked, order=order, limit=limit_sql)
    records = con.execute(sql, params).fetchall()
    if not records and offset:   # a page past the end still reports the total: the first row carries it
        first = _SQL.format(picked=picked, order=order, limit="LIMIT 1")
        found = con.execute(first, {k: v for k, v in params.items() if k not in ("limit", "offset")}).fetchall()
        total = found[0][-1] if found else 0
    else:
        total = records[0][-1] if records else 0
    return _result(period, kind, scope, total, records)


def _picked(kind: str, stored: bool) -> str:
    """The list's rows in the period, scope and sector: the stored rows, or the dossiers' own facts."""
    if stored:
        return _STORED.format(table=UNSYNCED_ROWS_TABLE)
    facts = dossier_facts_sql(_CANDIDATES.format(predicate=GAP_KINDS[kind]))
    return _LIVE.format(facts=facts, named_units=NAMED_UNITS_SQL, predicate=GAP_KINDS[kind])


def _result(period: Period, kind: str, scope, total: int, records: list) -> dict:
    rows = []
    for rec in records:
        row = dict(zip(_KEYS, rec[:len(_KEYS)]))
        code, text = row.pop("status_code"), row.pop("status_text")
        row["status"] = STATUS_NAMES_VI.get(code, text) if code is not None else text
        row["channel"] = _CHANNELS_VI.get(row["channel"], row["channel"])
        rows.append(row)
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "unit": scope, "kind": kind,
            "kind_name": GAP_KIND_NAMES_VI[kind], "total_count": int(total), "rows": rows}


def _by_received_date(con, period: Period, kind: str, scope, params: dict, picked: str, order: str, descending: bool,
                      limit: int | None, offset: int) -> dict:
    """The list in received-date order read from only the days its page lies in: the day counts of the aggregate
    table say how many of the list's dossiers each day holds, so the page's dossiers are those of a few days and
    the total is their sum (reading the period's dossiers for them costs ten times a view's other figures)."""
    plus, minus = GAP_MEASURES[kind]
    field = params["field"]
    sql = _DAY_COUNTS.format(plus=plus, minus=minus, table="agg_cells" if field is not None else "agg_unit_day",
                             field_test="AND c.field_key = $field" if field is not None else "")
    days = con.execute(sql, {k: params[k] for k in ("p0", "p1", "scope", "group_level", "field")
                             if k != "field" or field is not None}).fetchall()
    total = sum(n for _, n in days)
    seen, first, last, skipped = 0, None, None, 0
    for day, n in (days[::-1] if descending else days):
        if first is None and seen + n > offset:
            first, skipped = day, seen
        seen += n
        if first is not None:
            last = day
            if limit is not None and seen >= offset + limit:
                break
    if first is None:   # a page past the end
        return _result(period, kind, scope, total, [])
    window = {**params, "p0": min(first, last), "p1": max(first, last), "offset": offset - skipped}
    limit_sql = "LIMIT $limit OFFSET $offset" if limit is not None else "OFFSET $offset"
    sql = _SQL.format(picked=picked, order=order, limit=limit_sql)
    return _result(period, kind, scope, total, con.execute(sql, window).fetchall())
