"""The measure table: every count behind the §1 period table and the §2 rates, declared once for both routes."""
from __future__ import annotations

from dataclasses import dataclass

from .facts import IS_EARLY_SQL, IS_LATE_SQL, IS_ON_TIME_SQL

__all__ = ["DAYS", "LATE_CELL_COLUMNS", "Measure", "MEASURES", "MEASURE_BY_NAME", "PERIOD_COLUMNS", "RECEIVED_ALL", "CLOSED_ALL", "day_value_sql",
           "not_reported", "unreported", "OPEN_AT_START", "OPEN_AT_END", "measure_names", "day_measures", "late_measures", "complete"]

# The day a measure is counted on decides how each route gets it (indicators/route_raw.py counts every dossier
# of the period; model/aggregates.py sums per day at load and indicators/route_aggregate.py reads the sums):
#   received       counted on the receipt day r_date when it falls in [P0, P1]; predicate over the facts
#   closed         counted on the closing day f_date (resolved or returned) in [P0, P1]; predicate over the facts
#   late           needs the receipt, the due date and F against the period at once, so it comes from the late
#                  cells (agg_late_cells): predicate over the late-cell columns below and the period bounds p0, p1
#   open_at_start  dossiers received before P0 and still open then (running "received − closed" to P0 − 1)
#   open_at_end    dossiers still open at P1 (running "received − closed" to P1)
#   derived        Σ coefficient × other measures, the same arithmetic in both routes
DAYS = ("received", "closed", "late", "open_at_start", "open_at_end", "derived")

# The columns a 'late' predicate may use, as SQL over the per-dossier facts (model/facts.py). Both routes compute
# them the same way: the aggregate build stores them in agg_late_cells, the raw route adds them to each dossier.
# An open dossier's F is "never" (31/12/9999), so "open at P1" is the plain inequality f_end > p1.
LATE_CELL_COLUMNS = {
    "r_date": "r_date",
    "f_end": "coalesce(f_date, DATE '9999-12-31')",
    "due_date": "due_date",
    "is_resolved_late": f"(f_date IS NOT NULL AND {IS_LATE_SQL})",
    "is_apology": "coalesce(is_apology_issued, false)",
    "is_apology_reported": "is_apology_issued IS NOT NULL",
}

_OVERDUE = "f_end > p1 AND due_date < p1"   # open at P1 and past its due date then (due < P1 < F)


@dataclass(frozen=True)
class Measure:
    name: str
    day: str                          # one of DAYS
    predicate: str | None = None      # SQL; fixed text, never user input
    summed: str | None = None         # SQL added up over the dossiers the predicate keeps (else they are counted)
    terms: tuple[tuple[str, int], ...] = ()   # derived: (measure, coefficient) pairs
    label_vi: str | None = None       # the Vietnamese header when the measure is a §1 column
    # A measure of the dossiers whose file reported an optional field (below): the measure of all the dossiers it
    # is part of. Where the basis counts dossiers and this counts none, no file carried the field: "chưa có dữ
    # liệu", not 0 %.
    basis: str | None = None


def _m(name, day, predicate=None, label_vi=None, summed=None, basis=None):
    """A counted measure (or summed, with summed=) on its day."""
    return Measure(name, day, predicate, summed, (), label_vi, basis)


def _derived(name, terms: str, label_vi=None, basis=None):
    """A derived measure from 'a + b - c'."""
    words = terms.split()
    signs = words[1::2]
    if any(sign not in ("+", "-") for sign in signs) or len(words) % 2 == 0:
        raise ValueError(f"Measure '{name}': terms must read 'a + b - c', not '{terms}'.")
    pairs = [(words[0], 1)] + [(w, 1 if sign == "+" else -1) for sign, w in zip(signs, words[2::2])]
    return Measure(name, "derived", None, None, tuple(pairs), label_vi, basis)


# The §1 columns first, in the statutory order (their labels make PERIOD_COLUMNS), then the §2 numerators and
# denominators, then the parts other measures are derived from. Adding a measure: one row here and its golden
# value (tests/test_indicators_golden*.py); both routes and the aggregate tables follow.
MEASURES: list[Measure] = [
    _m("carried_over", "open_at_start", label_vi="Số kỳ trước chuyển qua"),
    _m("received_new", "received", "true", "Số mới tiếp nhận"),
    _m("received_online", "received", "channel = 'online'", "Tiếp nhận trực tuyến"),
    # direct is what is neither online nor postal, an empty channel included
    _derived("received_direct", "received_new - received_online - received_postal", "Tiếp nhận trực tiếp"),
    _m("received_postal", "received", "channel = 'postal'", "Tiếp nhận qua bưu chính công ích"),
    _derived("total_to_handle", "carried_over + received_new", "Tổng số hồ sơ nhận giải quyết"),
    _m("resolved", "closed", "NOT is_returned", "Số hồ sơ đã giải quyết"),
    _m("resolved_early", "closed", IS_EARLY_SQL, "Giải quyết trước hạn"),
    _m("resolved_on_time", "closed", IS_ON_TIME_SQL, "Giải quyết đúng hạn"),
    _m("resolved_late", "closed", IS_LATE_SQL, "Giải quyết quá hạn"),
    _m("returned", "closed", "is_returned", "Trả lại / rút hồ sơ"),
    _m("pending", "open_at_end", label_vi="Số hồ sơ đang giải quyết"),
    _derived("pending_within", "pending - pending_overdue", "Đang giải quyết trong hạn"),
    _m("pending_overdue", "late", _OVERDUE, "Đang giải quyết quá hạn"),
    # §2
    _derived("resolved_in_time", "resolved_early + resolved_on_time"),
    _derived("not_late_total", "total_to_handle - resolved_late - pending_overdue"),
    # received in the period and not late at P1: resolved early or on time, returned, or pending within deadline
    _derived("progress_766_ok", "received_new - new_resolved_late - new_pending_overdue"),
    _m("resolved_same_day", "closed", "NOT is_returned AND f_date = r_date"),
    _m("received_eligible", "received", "proc_online"),
    _m("received_online_eligible", "received", "channel = 'online' AND proc_online"),
    # the dossiers that may owe a fee: a fee, or a file without the fee column (not reported, below)
    _m("received_fee_or_unknown", "received", "coalesce(fee_amount, 1) > 0"),
    _m("received_fee_paid_online", "received", "coalesce(fee_amount, 0) > 0 AND coalesce(is_paid_online, false)"),
    _m("received_digitized", "received", "coalesce(is_digitized, false)"),
    _m("resolved_e_result", "closed", "NOT is_returned AND coalesce(has_e_result, false)"),
    _m("received_data_reused", "received", "coalesce(is_data_reused, false)"),
    _m("received_synced", "received", "coalesce(is_synced_national, false)"),
    _derived("late_any", "resolved_late + pending_overdue"),
    _derived("late_apology", "resolved_late_apology + pending_overdue_apology"),
    # Ratings are counted on the dossiers closed (resolved or returned) in the period: the applicant rates
    # when the result is handed over, so the closing date places the rating in a period.
    _m("rated", "closed", "rating IS NOT NULL"),
    _m("rated_satisfied", "closed", "rating IN ('very_satisfied', 'satisfied')"),
    # Working days from receipt to F (model/facts.py: Monday–Friday without the public holidays of the
    # `holidays` table, with the weekend days worked in exchange for a bridge day of `weekend_workdays`).
    _m("resolved_workdays", "closed", "NOT is_returned", summed="workdays"),
    # Parts of the measures above.
    _m("closed", "closed", "true"),
    _m("resolved_late_apology", "closed", f"{IS_LATE_SQL} AND coalesce(is_apology_issued, false)"),
    _m("pending_overdue_apology", "late", f"{_OVERDUE} AND is_apology"),
    _m("new_pending_overdue", "late", f"{_OVERDUE} AND r_date >= p0"),
    _m("new_resolved_late", "late", "is_resolved_late AND r_date >= p0 AND f_end <= p1"),
    # The 766 index (indicators.md §3, indicators/config/index766_criteria.csv). Dossier satisfaction (5.1) is
    # counted on the dossiers closed in the period, the basis of the ratings: a dossier rated dissatisfied or
    # resolved late loses it (a petition about it comes from the inputs file and is subtracted there).
    _m("closed_dissatisfied_or_late", "closed",
       f"rating IN ('dissatisfied', 'very_dissatisfied') OR {IS_LATE_SQL}"),
    _derived("closed_satisfactory", "closed - closed_dissatisfied_or_late"),
    # "Hồ sơ được số hóa (thành phần số hóa và kết quả điện tử)" (6.2): components digitized AND an electronic
    # result, so it is counted on the dossiers resolved in the period (a result exists only then).
    _m("resolved_digitized_e_result", "closed",
       "NOT is_returned AND coalesce(is_digitized, false) AND coalesce(has_e_result, false)"),
    # 6.1: electronic results over the dossiers of procedures that return a paper result (the list loaded with
    # the 766 inputs; table paper_result_procedures).
    _m("resolved_paper", "closed", "NOT is_returned AND proc_paper_result"),
    _m("resolved_paper_e_result", "closed", "NOT is_returned AND proc_paper_result AND coalesce(has_e_result, false)"),
    # Fields a system may not export at all (digitization, electronic result, data reuse, portal sync, online
    # payment, apology letter, the fee): a dossier from a file without the column holds NULL there, one from a file
    # with it true or false (an empty cell is "no"; an empty fee, 0). A rate over such a field divides by the dossiers whose file reported it,
    # so a file without the column neither counts its dossiers as "no" nor, when no file of the period has it,
    # gives 0 %: the basis then counts dossiers and the reported measure none, "chưa có dữ liệu".
    _m("received_fee_paid_reported", "received", "coalesce(fee_amount, 0) > 0 AND is_paid_online IS NOT NULL",
       basis="received_fee_or_unknown"),
    _m("received_digitized_reported", "received", "is_digitized IS NOT NULL", basis="received_new"),
    _m("resolved_e_result_reported", "closed", "NOT is_returned AND has_e_result IS NOT NULL", basis="resolved"),
    _m("received_data_reuse_reported", "received", "is_data_reused IS NOT NULL", basis="received_new"),
    _m("received_sync_reported", "received", "is_synced_national IS NOT NULL", basis="received_new"),
    _m("resolved_digitized_e_result_reported", "closed",
       "NOT is_returned AND is_digitized IS NOT NULL AND has_e_result IS NOT NULL", basis="resolved"),
    _m("resolved_paper_e_result_reported", "closed", "NOT is_returned AND proc_paper_result AND has_e_result IS NOT NULL",
       basis="resolved_paper"),
    _derived("late_apology_reported", "resolved_late_apology_reported + pending_overdue_apology_reported",
             basis="late_any"),
    _m("resolved_late_apology_reported", "closed", f"{IS_LATE_SQL} AND is_apology_issued IS NOT NULL"),
    _m("pending_overdue_apology_reported", "late", f"{_OVERDUE} AND is_apology_reported"),
]

MEASURE_BY_NAME: dict[str, Measure] = {m.name: m for m in MEASURES}
PERIOD_COLUMNS: list[tuple[str, str]] = [(m.name, m.label_vi) for m in MEASURES if m.label_vi]

# The aggregate route computes the two stocks from the running sum of every receipt minus every closing.
RECEIVED_ALL, CLOSED_ALL = "received_new", "closed"
OPEN_AT_START, OPEN_AT_END = "carried_over", "pending"


def measure_names() -> list[str]:
    return [m.name for m in MEASURES]


def day_measures() -> list[Measure]:
    """The measures summed per day at load (agg_unit_day…): counted on the receipt day or the closing day."""
    return [m for m in MEASURES if m.day in ("received", "closed")]


def day_value_sql(m: Measure) -> str:
    """A dossier's signed value of a day measure as the aggregate tables sum it: 1/0 for a count, the summed value
    (0 outside the predicate), times _sign (−1 for the old row of a dossier a load changes). A predicate that is
    NULL (a rating IN (…) of a dossier without rating) counts 0, so no sum is NULL: a NULL would stay NULL in a full
    build but turn into 0 once a load's change adds a 0 to it, and the two must be the same table."""
    if m.summed:
        return f"_sign * (CASE WHEN coalesce({m.predicate}, false) THEN {m.summed} ELSE 0 END)::BIGINT"
    return f"_sign * coalesce({m.predicate}, false)::INTEGER"


def unreported(denominator: str, sums: dict) -> int | float | None:
    """How many dossiers of a reported measure's basis (sums: a period's measures) came from files without the field;
    None when the measure is no reported one."""
    m = MEASURE_BY_NAME.get(denominator)
    if m is None or m.basis is None or denominator not in sums or m.basis not in sums:
        return None
    return sums[m.basis] - sums[denominator]


# The words for a figure over a field the loaded exports lack, the same in cards, rankings, reports, the 766 index
# and the dossier drawer: "not reported" is told as such, never as 0 % or "no".
NO_COLUMN_VI = "các tệp xuất hồ sơ đã nạp không có cột này"
NOT_REPORTED_VI = f"Chưa có dữ liệu: {NO_COLUMN_VI}"
UNKNOWN_FLAG_VI = "Không rõ (tệp xuất không có cột này)"


def left_out_vi(count: str) -> str:
    """The note of a partly reported rate: count (already formatted) dossiers of files without the column."""
    return f"không tính {count} hồ sơ của tệp xuất không có cột này"


def ratio_reads(numerator: str, denominator: str) -> tuple[str, ...]:
    """The measures a ratio reads: its two, and the basis of a denominator that counts only the dossiers whose file
    reported a field — unreported and not_reported need it to tell "chưa có dữ liệu" and how many were left out."""
    m = MEASURE_BY_NAME.get(denominator)
    return (numerator, denominator) + ((m.basis,) if m is not None and m.basis else ())


def not_reported(denominator: str, sums: dict) -> bool:
    """The figure over denominator has no data: its basis counts dossiers, and no file of theirs had the field."""
    missing = unreported(denominator, sums)
    return bool(missing) and not sums[denominator]


def late_measures() -> list[Measure]:
    return [m for m in MEASURES if m.day == "late"]


def _derivation_order() -> list[Measure]:
    """The derived measures in an order where each comes after the derived measures it uses."""
    done = {m.name for m in MEASURES if m.day != "derived"}
    todo, order = [m for m in MEASURES if m.day == "derived"], []
    while todo:
        ready = [m for m in todo if all(t in done for t, _ in m.terms)]
        if not ready:
            raise ValueError("Measures derived from each other in a circle: " + ", ".join(m.name for m in todo))
        order += ready
        done.update(m.name for m in ready)
        todo = [m for m in todo if m not in ready]
    return order


def _check(measures: list[Measure]) -> None:
    """Refuses at import a row a route could not generate, instead of a wrong or missing figure at run time."""
    names = [m.name for m in measures]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"Measures declared twice: {', '.join(twice)}")
    for m in measures:
        problem = None
        if m.day not in DAYS:
            problem = f"day '{m.day}' is not one of {DAYS}"
        elif m.day in ("received", "closed", "late") and not m.predicate:
            problem = "a counted measure needs its predicate"
        elif m.day == "late" and m.summed:
            problem = "the late cells count dossiers, so a late measure cannot be a sum"
        elif m.day in ("open_at_start", "open_at_end", "derived") and (m.predicate or m.summed):
            problem = ("the aggregate route derives it from other measures, so it cannot carry a predicate of its "
                       "own")
        elif (m.day == "derived") != bool(m.terms):
            problem = "only a derived measure has terms, and a derived measure needs them"
        elif m.basis is not None and m.basis not in names:
            problem = f"its basis '{m.basis}' is not a measure"
        else:
            unknown = [t for t, _ in m.terms if t not in names]
            problem = f"derived from unknown measures {unknown}" if unknown else None
        if problem:
            raise ValueError(f"Measure '{m.name}': {problem}.")
    by_name = {m.name: m for m in measures}
    for name, day in ((RECEIVED_ALL, "received"), (CLOSED_ALL, "closed")):
        if name not in by_name or by_name[name].day != day or by_name[name].predicate != "true":
            raise ValueError(f"The stocks need measure '{name}' counting every dossier on the {day} day.")
    for name, day in ((OPEN_AT_START, "open_at_start"), (OPEN_AT_END, "open_at_end")):
        if [m.name for m in measures if m.day == day] != [name]:
            raise ValueError(f"Exactly one measure, '{name}', is counted '{day}'.")


_check(MEASURES)
_DERIVED = _derivation_order()


def complete(values: dict[str, int]) -> dict[str, int]:
    """The counted measures of one period and group → every measure, the derived ones added (in table order)."""
    out = dict(values)
    for m in _DERIVED:
        out[m.name] = sum(coef * out[t] for t, coef in m.terms)
    return {name: out[name] for name in measure_names()}
