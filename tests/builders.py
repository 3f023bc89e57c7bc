"""What several test modules share: paths, the two golden dossier sets and their builders, random dossiers,
hand-built plans and progress reports."""
from __future__ import annotations

import csv
import shutil
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
from hypothesis import strategies as st

from etl.importer import import_paths
from indicators import Period

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# The hand-made SIPAS questionnaires of tests/fixtures/surveys (see test_sipas_indices.py) with units and targets.
SIPAS_FILES = [FIXTURES / "units.csv", FIXTURES / "surveys" / "targets.csv",
               FIXTURES / "surveys" / "01_phieu_sipas_stp_2022.xlsx", FIXTURES / "surveys" / "02_phieu_sipas_quan3_2022.csv",
               FIXTURES / "surveys" / "03_phieu_sipas_quan3_2021.csv", FIXTURES / "surveys" / "06_ket_qua_tong_hop_2022.csv"]


def imported_db(path: Path, files) -> Path:
    """A database at path with files loaded through the importer (as `python -m etl import`), none refused."""
    _, errors = import_paths(path, files, swap=False)
    assert not errors
    return path


# The §1 counts of a period table, in the order of the statutory form.
COUNT_COLUMNS = ["carried_over", "received_new", "received_online", "received_direct", "received_postal",
                 "total_to_handle", "resolved", "resolved_early", "resolved_on_time", "resolved_late", "returned",
                 "pending", "pending_within", "pending_overdue"]


@contextmanager
def read_only(path: Path | str):
    """A read-only connection to a built database, closed at the end (a module fixture yields it)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def empty_db(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A database at `path` (":memory:" for none) with the schema a load creates and no row."""
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    return con


# ---------------------------------------------------------------------------------------------------------
# The §1 golden set: 17 hand-designed dossiers of Q1 2022, each with the count it must give (one comment each);
# the expected tables are in tests/test_indicators_golden.py.

Q1 = Period(date(2022, 1, 1), date(2022, 3, 31))

GOLDEN_UNITS = [  # code, name, level, parent
    ("HCM", "Thành phố Hồ Chí Minh", "province", None),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "HCM"),
    ("Q1", "UBND Quận 1", "district", "HCM"),
    ("P_BN", "UBND Phường Bến Nghé", "ward", "Q1"),
    ("BP_BN", "Bộ phận một cửa Phường Bến Nghé", "office", "P_BN"),   # a 4th level: no fixed depth
    ("P_DK", "UBND Phường Đa Kao", "ward", "Q1"),
    ("Q3", "UBND Quận 3", "district", "HCM"),
    ("P_Q3_1", "UBND Phường 1 Quận 3", "ward", "Q3"),
    ("CA", "Công an Thành phố", "vertical", "HCM"),
]

# code, unit, channel, received, due, finished, returned_at, status, result_type, supplement_count
GOLDEN_DOSSIERS = [
    # D01 SKHDT: finished on the due day at a later hour → resolved on time (calendar dates compared)
    ("D01", "SKHDT", "online", "2022-01-10 09:00", "2022-01-20 08:00", "2022-01-20 16:30", None, 10, "result", 0),
    # D02 SKHDT: due date = P1, not finished → pending within deadline
    ("D02", "SKHDT", "direct", "2022-03-25 10:00", "2022-03-31 17:00", None, None, 4, None, 0),
    # D03 SKHDT: received in Dec 2021 (carried over), finished 4 Jan before due 5 Jan → resolved early
    ("D03", "SKHDT", "postal", "2021-12-20 08:00", "2022-01-05 17:00", "2022-01-04 10:00", None, 10, "result", 0),
    # D04 P_BN: withdrawn (status 7) in the period → returned
    ("D04", "P_BN", "direct", "2022-02-01 08:00", "2022-02-10 17:00", "2022-02-03 09:00", None, 7, None, 0),
    # D05 BP_BN (child of P_BN): stopped (status 8) → returned
    ("D05", "BP_BN", "online", "2022-02-05 08:00", "2022-02-15 17:00", "2022-02-06 09:00", None, 8, None, 0),
    # D06 P_BN: status 1 (only registered) → not counted anywhere
    ("D06", "P_BN", "direct", "2022-02-07 08:00", "2022-02-17 17:00", None, None, 1, None, 0),
    # D07 P_DK: status 3 (refused) → not counted anywhere
    ("D07", "P_DK", "direct", "2022-02-07 08:00", None, None, None, 3, None, 0),
    # D08 P_DK: finished before due but supplemented twice → resolved late
    ("D08", "P_DK", "online", "2022-01-15 08:00", "2022-02-15 17:00", "2022-02-10 09:00", None, 10, "result", 2),
    # D09 P_DK: finished_at missing, status 10, returned_at 9 Mar < due 10 Mar → resolved early
    ("D09", "P_DK", "direct", "2022-03-01 08:00", "2022-03-10 17:00", None, "2022-03-09 10:00", 10, "result", 0),
    # D10 Q1: not finished, due 15 Mar < P1 → pending overdue
    ("D10", "Q1", "direct", "2022-03-01 08:00", "2022-03-15 17:00", None, None, 4, None, 1),
    # D11 P_Q3_1: finished 8 Feb after due 5 Feb → resolved late
    ("D11", "P_Q3_1", "direct", "2022-02-01 08:00", "2022-02-05 17:00", "2022-02-08 08:00", None, 10, "result", 0),
    # D12 P_Q3_1: closed in Dec 2021, before P0 → not counted
    ("D12", "P_Q3_1", "online", "2021-11-01 08:00", "2021-11-20 17:00", "2021-12-15 08:00", None, 10, "result", 0),
    # D13 Q3: received after P1 → not counted
    ("D13", "Q3", "online", "2022-04-02 08:00", "2022-04-10 17:00", None, None, 4, None, 0),
    # D14 CA: carried over, status NULL and no finish → in progress, due 10 Jan < P1 → pending overdue
    ("D14", "CA", "direct", "2021-12-28 08:00", "2022-01-10 17:00", None, None, None, None, 0),
    # D15 CA: status NULL, no due date, finished the day received → resolved on time, same day
    ("D15", "CA", "direct", "2022-01-03 08:00", None, "2022-01-03 14:00", None, None, None, 0),
    # D16 SKHDT: finished 2 Apr, after P1 → still pending at P1, due 5 Apr ≥ P1 → within
    ("D16", "SKHDT", "online", "2022-03-30 08:00", "2022-04-05 17:00", "2022-04-02 08:00", None, 10, "result", 0),
    # D17 Q1: status 9 with result "Trả lại/Xin rút" → returned
    ("D17", "Q1", "online", "2022-01-20 08:00", "2022-01-25 17:00", "2022-01-24 08:00", None, 9, "returned", 0),
]


def build_db(path: Path | str, units=GOLDEN_UNITS, dossiers=GOLDEN_DOSSIERS) -> duckdb.DuckDBPyConnection:
    """A database with the §1 dossier columns only (code, unit, channel, dates, status, result, supplements)."""
    con = empty_db(path)
    con.executemany("INSERT INTO units (unit_code, unit_name, level, parent_code) VALUES (?, ?, ?, ?)", units)
    if dossiers:
        con.executemany(
            "INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at, due_at, finished_at,"
            " returned_at, status_code, result_type, supplement_count, snapshot_date, import_id, row_number, row_hash)"
            " VALUES ('test', ?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?,"
            " DATE '2022-12-31', 1, 1, 0)",
            [(d[0], d[1], d[1], *d[2:]) for d in dossiers])
    return con


# ---------------------------------------------------------------------------------------------------------
# The every-indicator golden set: 20 dossiers of March 2022 with every column the indicators read, counted by
# hand in the comments; the expected values are in tests/test_indicators_golden_all.py.

MARCH = Period(date(2022, 3, 1), date(2022, 3, 31))   # no public holiday in March 2022, none 14/2–31/3 either

FULL_UNITS = [  # code, name, level, parent, valid_to
    ("TP", "Thành phố Đà Nẵng", "province", None, None),
    ("SO_A", "Sở Tư pháp", "department", "TP", None),
    ("SO_B", "Sở Xây dựng", "department", "TP", None),
    ("H1", "UBND Huyện Hòa Vang", "district", "TP", None),
    ("X1", "UBND Xã Hòa Bắc", "commune", "H1", None),
    ("X2", "UBND Phường Hòa Khánh", "ward", "H1", None),
    ("X3", "UBND Xã Hòa Liên (cũ)", "commune", "H1", "2021-12-31"),   # merged before 2022: not in the catalogue
    ("H2", "UBND Quận Hải Châu", "district", "TP", None),
]
PROCEDURES = [  # code, name, field, online level
    ("TT1", "Đăng ký doanh nghiệp", "Đầu tư", "full"),
    ("TT2", "Đăng ký khai sinh", "Hộ tịch", "partial"),
    ("TT3", "Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai", "none"),
]
# The catalogue: SO_A publishes TT1 TT2 TT3 (2 online of 3); SO_B TT1 TT3 (1 of 2); every ward TT2 TT3
# (X2: 1 of 2); every commune TT2 (X1: 1 of 1; X3 no longer valid) → 5 online of 8 in the city.
PROCEDURE_UNITS = [("TT1", "SO_A"), ("TT2", "SO_A"), ("TT3", "SO_A"), ("TT1", "SO_B"), ("TT3", "SO_B"),
                   ("TT2", "ward"), ("TT3", "ward"), ("TT2", "commune")]

_FIELDS = ("dossier_code", "unit_code", "channel", "received_at", "due_at", "finished_at", "returned_at",
           "status_code", "supplement_count", "procedure_code", "procedure_name", "online_level", "field_name",
           "fee_amount", "is_paid_online", "is_digitized", "has_e_result", "is_data_reused", "is_synced_national",
           "is_apology_issued", "rating", "result_type")


def dossier(code, unit, channel, received, due, finished, status, *, returned=None, sup=0, proc=None, proc_name=None,
            level=None, field=None, fee=0, paid=False, dig=False, e=False, reuse=False, sync=False,
            apology=False, rating=None, result=None) -> dict:
    """One dossier as a load of an export with every flag and fee column stores it: a flag not given is false
    ("no"), a fee 0; None is a field the export had no column for (not reported)."""
    return dict(zip(_FIELDS, (code, unit, channel, received, due, finished, returned, status, sup, proc, proc_name,
                              level, field, fee, paid, dig, e, reuse, sync, apology, rating, result)))


# Weekdays, March 2022: Tue 1, Fri 4, Mon 7, Fri 11, Mon 14, Fri 18, Mon 21, Fri 25, Mon 28, Thu 31. "wd" = the
# Monday–Friday days in (received, F], the avg_days count.
FULL_DOSSIERS = [
    # G01 SO_A: F 8/3 < due 10/3 → resolved early. wd (1/3, 8/3] = 2 3 4 7 8 = 5
    dossier("G01", "SO_A", "online", "2022-03-01 08:00", "2022-03-10 17:00", "2022-03-08 10:00", 10, proc="TT1",
            fee=50000, paid=True, dig=True, e=True, reuse=True, sync=True, rating="very_satisfied"),
    # G02 SO_A: F 4/3 16:00 = due 4/3 17:00 as dates → on time. wd (2/3, 4/3] = 3 4 = 2
    dossier("G02", "SO_A", "direct", "2022-03-02 09:00", "2022-03-04 17:00", "2022-03-04 16:00", 10, proc="TT1",
            fee=50000, paid=False, dig=True, e=False, reuse=False, sync=True, rating="satisfied"),
    # G03 SO_A: F 16/3 > due 14/3 → late by 2 days; field typed on the dossier beats the catalogue's; fee 0 paid
    # online is no fee at all. wd (7/3, 16/3] = 8 9 10 11 14 15 16 = 7
    dossier("G03", "SO_A", "online", "2022-03-07 08:00", "2022-03-14 17:00", "2022-03-16 09:00", 10, sup=1,
            proc="TT2", field="Chứng thực", fee=0, paid=True, dig=False, e=True, reuse=False, sync=True,
            apology=True, rating="neutral"),
    # G04 SO_A: F 23/3 before due 25/3 but sent back for papers twice → late (0 days past due). wd = 22 23 = 2
    dossier("G04", "SO_A", "direct", "2022-03-21 08:00", "2022-03-25 17:00", "2022-03-23 15:00", 10, sup=2,
            proc="TT3", dig=False, e=False, reuse=True, sync=False, apology=False, rating="dissatisfied"),
    # G05 SO_B: finished the day received → early and same day; TT3 offers nothing online but the dossier says
    # 'full' → eligible (the dossier's level beats the catalogue's). wd = 0
    dossier("G05", "SO_B", "online", "2022-03-10 09:00", "2022-03-15 17:00", "2022-03-10 15:00", 10, proc="TT3",
            level="full", fee=20000, paid=True, dig=True, e=True, reuse=False, sync=True, rating="very_satisfied"),
    # G06 SO_B: open, due 18/3 < P1 → pending overdue, 31 − 18 = 13 days; TT1 is 'full' but the dossier says
    # 'none' → not eligible
    dossier("G06", "SO_B", "direct", "2022-03-14 08:00", "2022-03-18 17:00", None, 4, proc="TT1", level="none",
            fee=30000, paid=False, dig=True, sync=False, apology=True),
    # G07 SO_B: open, due 5/4 ≥ P1 → pending within; no procedure code → not eligible
    dossier("G07", "SO_B", "postal", "2022-03-28 08:00", "2022-04-05 17:00", None, 2, proc_name="Thủ tục chưa có mã",
            sync=True),
    # G08 H1: received 14/2 (carried over), F 2/3 > due 28/2 → late by 2 days; fee paid online but received
    # before P0 → outside paid_online_rate. wd (14/2, 2/3] = 15–18 (4) + 21–25 (5) + 28 + 1 + 2 = 12
    dossier("G08", "H1", "direct", "2022-02-14 08:00", "2022-02-28 17:00", "2022-03-02 10:00", 10, proc="TT2",
            fee=10000, paid=True, e=False, apology=True, rating="satisfied"),
    # G09 H1: carried over, open, due 4/3 < P1 → pending overdue, 31 − 4 = 27 days
    dossier("G09", "H1", "online", "2022-02-21 08:00", "2022-03-04 17:00", None, 5, sup=1, proc="TT2", apology=False),
    # G10 X1: withdrawn (status 7) 17/3 → returned: its rating counts, its e-result does not (not resolved)
    dossier("G10", "X1", "online", "2022-03-15 08:00", "2022-03-22 17:00", "2022-03-17 09:00", 7, proc="TT1",
            fee=15000, paid=False, e=True, reuse=True, sync=True, rating="satisfied"),
    # G11 X1: no finished_at, status 9, returned_at 18/3 = due → F = 18/3, on time. wd = 17 18 = 2
    dossier("G11", "X1", "direct", "2022-03-16 08:00", "2022-03-18 17:00", None, 9, returned="2022-03-18 10:00",
            proc="TT3", e=True, rating="very_dissatisfied"),
    # G12 X1: status 1 (registered, not received) → counts nowhere, whatever its flags say
    dossier("G12", "X1", "direct", "2022-03-20 08:00", "2022-03-25 17:00", None, 1, proc="TT1", fee=10000,
            paid=True, dig=True, e=True, reuse=True, sync=True, apology=True, rating="very_satisfied"),
    # G13 X2: F 1/4 after P1 → pending within at P1 (due 2/4); rated, but the rating falls in April
    dossier("G13", "X2", "online", "2022-03-29 08:00", "2022-04-02 17:00", "2022-04-01 10:00", 10, proc="TT2",
            fee=10000, paid=True, dig=True, e=True, reuse=True, sync=True, rating="satisfied"),
    # G14 X2: status 3 (refused at reception) → counts nowhere
    dossier("G14", "X2", "direct", "2022-03-10 08:00", None, None, 3, proc="TT3", sync=True),
    # G15 X2: no due date → on time. wd (24/3, 25/3] = 1
    dossier("G15", "X2", "direct", "2022-03-24 08:00", None, "2022-03-25 10:00", 10, proc="TT2", rating="satisfied"),
    # G16 H2: closed 20/2, before P0 → not in March (late in Q1)
    dossier("G16", "H2", "online", "2022-01-05 08:00", "2022-01-15 17:00", "2022-02-20 08:00", 10, proc="TT1",
            fee=10000, paid=True, dig=True, e=True, reuse=True, sync=True, apology=True, rating="satisfied"),
    # G17 H2: received 1/4, after P1 → not in March
    dossier("G17", "H2", "direct", "2022-04-01 08:00", "2022-04-08 17:00", None, 2, proc="TT1", sync=True),
    # G18 H2: open, due 31/3 = P1 → pending within (overdue needs due < P1); its apology is not for lateness
    dossier("G18", "H2", "direct", "2022-03-25 08:00", "2022-03-31 17:00", None, 4, proc="TT2", apology=True),
    # G19 H2: F = due 11/3 → on time (one supplement is not late). wd (3/3, 11/3] = 4 7 8 9 10 11 = 6
    dossier("G19", "H2", "online", "2022-03-03 08:00", "2022-03-11 17:00", "2022-03-11 11:00", 10, sup=1,
            proc="TT1", e=True, sync=True),
    # G20 unit not in the catalogue (unmatched): in the city total only; F 15/3 > due 10/3 → late by 5 days;
    # online but TT3 offers nothing online → not eligible. wd (8/3, 15/3] = 9 10 11 14 15 = 5
    dossier("G20", None, "online", "2022-03-08 08:00", "2022-03-10 17:00", "2022-03-15 10:00", 10, proc="TT3"),
]


def build_full_db(path, units=FULL_UNITS, dossiers=FULL_DOSSIERS) -> duckdb.DuckDBPyConnection:
    """A database with every dossier column the indicators read (the golden builder fills only the §1 ones)."""
    con = empty_db(path)
    con.executemany("INSERT INTO units (unit_code, unit_name, level, parent_code, valid_to) VALUES (?, ?, ?, ?, ?)",
                    units)
    con.executemany("INSERT INTO procedures (procedure_code, procedure_name, field_name, online_level) VALUES (?, ?, ?, ?)",
                    PROCEDURES)
    con.executemany("INSERT INTO procedure_units VALUES (?, ?)", PROCEDURE_UNITS)
    con.execute("INSERT INTO import_log VALUES (1, 'thang3.xlsx', '/tmp/thang3.xlsx', 'x', 'dossiers', 'test', 'Sheet1',"
                " 5, DATE '2022-04-05', 20, 20, 0, 0, 0, 0, [], [], TIMESTAMP '2022-04-05 10:00', 1.0, NULL)")
    cols = ", ".join(_FIELDS)
    marks = ", ".join("?" for _ in _FIELDS)
    con.executemany(
        f"INSERT INTO dossiers (source, unit_text, snapshot_date, import_id, row_number, row_hash, {cols})"
        f" VALUES ('test', ?, DATE '2022-04-05', 1, ?, 0, {marks})",
        [(d["unit_code"] or "Phường Hòa Lạ (chưa khớp)", i + 6, *d.values()) for i, d in enumerate(dossiers)])
    return con


# ---------------------------------------------------------------------------------------------------------
# Random dossiers (hypothesis) for property tests: a city, two districts with wards, a department.

PROPERTY_UNITS = [
    ("CITY", "Thành phố", "province", None),
    ("D1", "Quận Một", "district", "CITY"),
    ("W11", "Phường 1-1", "ward", "D1"),
    ("W12", "Phường 1-2", "ward", "D1"),
    ("D2", "Quận Hai", "district", "CITY"),
    ("W21", "Phường 2-1", "ward", "D2"),
    ("DEP", "Sở", "department", "CITY"),
]

random_dossier = st.tuples(
    st.sampled_from(["W11", "W12", "W21", "DEP"]),
    st.sampled_from(["direct", "online", "postal"]),
    st.integers(0, 120),                       # received day offset
    st.one_of(st.none(), st.integers(0, 30)),  # due after receipt (days)
    st.one_of(st.none(), st.integers(-2, 40)),  # finished after receipt (days; negative = bad data)
    st.one_of(st.none(), st.integers(0, 40)),  # returned_at after receipt
    st.one_of(st.none(), st.integers(1, 10)),  # status
    st.sampled_from([None, "result", "returned"]),
    st.one_of(st.none(), st.integers(0, 3)),   # supplement_count
    st.integers(0, 23),                        # hour
)


def dossier_rows(raw) -> list[tuple]:
    """random_dossier draws as build_db rows (codes X0, X1, …; received from 1 January 2022)."""
    out = []
    for i, (unit, ch, r, due, fin, ret, status, rt, sup, h) in enumerate(raw):
        rec = datetime(2022, 1, 1, 8) + timedelta(days=r)
        ts = lambda k: None if k is None else (rec + timedelta(days=k, hours=h - 8)).isoformat(sep=" ")  # noqa: E731
        out.append((f"X{i}", unit, ch, rec.isoformat(sep=" "), ts(due), ts(fin), ts(ret), status, rt, sup))
    return out


# ---------------------------------------------------------------------------------------------------------
# The 766 golden set: the every-indicator dossiers of March 2022 with what the 766 index needs besides them —
# the catalogue's fee column, the procedures returning a paper result, and the inputs the dossier exports lack.
# The expected points are counted by hand in tests/test_index766.py.

FEE_PROCEDURES = {"TT1": True, "TT2": True, "TT3": False}
PAPER_PROCEDURES = {"TT1": True, "TT2": False, "TT3": True}
INPUTS_766 = [  # unit, field, numerator, denominator (period: March 2022)
    ("TP", "published_on_time", 45, 50),        # the province's own figure: the city total takes it
    ("SO_A", "published_on_time", 9, 10),
    ("SO_A", "updated_on_time", 3, 4), ("SO_B", "updated_on_time", 1, 4),
    ("SO_A", "integrated_payment", 3, 5), ("SO_B", "integrated_payment", 5, 5),
    ("SO_A", "petitions_on_time", 0, 0), ("SO_B", "petitions_on_time", 0, 0),
    ("SO_A", "petitions_satisfied", 3, 4),
    ("SO_A", "dossiers_with_petition", 1, 1),
    ("H1", "certified_copies", 7, 10),
    ("TP", "personal_data_store", 0, 0),
    ("H1", "population_data_dossiers", 3, 4), ("H1", "population_data_procedures", 1, 2),
]


def build_766_db(path, inputs=INPUTS_766, paper=True, fees=True) -> duckdb.DuckDBPyConnection:
    """build_full_db plus the fee column, the paper-result list and the March inputs (each can be left out)."""
    con = build_full_db(path)
    if fees:
        con.executemany("UPDATE procedures SET has_fee = ? WHERE procedure_code = ?",
                        [(v, k) for k, v in FEE_PROCEDURES.items()])
    if paper:
        con.executemany("INSERT INTO paper_result_procedures VALUES (?, ?, 2, ?)",
                        [(k, v, i) for i, (k, v) in enumerate(PAPER_PROCEDURES.items())])
    if inputs:
        con.executemany("INSERT INTO index766_inputs VALUES (?, ?, DATE '2022-03-01', DATE '2022-03-31', ?, ?, ?, 3, ?)",
                        [(u, u, f, n, d, i) for i, (u, f, n, d) in enumerate(inputs)])
    return con


# Plans and progress reports as units type them (tests/test_plan_tasks.py counts them by hand).

PLAN_UNITS = """code,name,level,parent_code,aliases
HCM,Ủy ban nhân dân Thành phố Hồ Chí Minh,province,,UBND TP.HCM
STP,Sở Tư pháp,department,HCM,
SNV,Sở Nội vụ,department,HCM,
Q3,Quận 3,district,HCM,UBND Quận 3
"""
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

# Sở Tư pháp's plan, layout A. (STT, task, lead, deadline) under roman sections; the deadline each reads as:
STP_PLAN = [
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", None),
    (1, "Ban hành kế hoạch cải cách hành chính năm 2022", "Văn phòng Sở", "Tháng 1/2022"),         # I.1   31/01
    (2, "Tuyên truyền cải cách hành chính", "Văn phòng Sở", "Thường xuyên"),                      # I.2   recurring
    (3, "Kiểm tra công tác cải cách hành chính", "Thanh tra Sở", "Quý II"),                       # I.3   30/06
    ("II", "CẢI CÁCH THỂ CHẾ"),
    (1, "Rà soát văn bản quy phạm pháp luật", "Phòng Văn bản", "6 tháng đầu năm"),               # II.1  30/06
    (2, "Theo dõi thi hành pháp luật", "Phòng Văn bản", "Trong năm 2022"),                        # II.2  31/12
    (3, "Xây dựng văn bản quy phạm pháp luật", "Phòng Văn bản", "Tháng 6"),                       # II.3  30/06
    ("III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None),
    (1, "Công bố thủ tục hành chính", "Văn phòng Sở", "Trước 30/6/2022"),                        # III.1 30/06
    (2, "Rà soát thủ tục hành chính", "Văn phòng Sở", "Quý III/2022"),                           # III.2 30/09
    (3, "Số hóa hồ sơ thủ tục hành chính", "Văn phòng Sở", "Tháng 10-12"),                        # III.3 31/12
    (4, "Tiếp nhận qua bưu chính công ích", "Sở Nội vụ", "Năm 2022 và các năm tiếp theo"),        # III.4 recurring
    (5, "Chuẩn hóa dữ liệu thủ tục hành chính", "Văn phòng Sở", "Theo chỉ đạo của Bộ Tư pháp"),   # III.5 unreadable
    (6, "Đánh giá chất lượng giải quyết thủ tục hành chính", "Văn phòng Sở", "15/08/2022"),        # III.6 15/08
    (7, "=HYPERLINK(\"http://x\")", "Văn phòng Sở", "Năm 2022"),                                  # III.7 31/12
    (8, "Công khai kết quả giải quyết", "Văn phòng Sở", "Hằng năm"),                              # III.8 recurring
    ("IV", "CHỈ TIÊU"),
    (1, "Tỷ lệ hồ sơ giải quyết đúng hạn trên 99 %", "Văn phòng Sở", "Năm 2022"),                  # IV.1  target 31/12
    (2, "Tỷ lệ hồ sơ trực tuyến tối thiểu 30 %", "Văn phòng Sở", "Quý IV"),                        # IV.2  target 31/12
]
# 14 nhiệm vụ (I: 3, II: 3, III: 8) and 2 chỉ tiêu (section IV names them).


def _plan_sheet(ws, rows):
    for r in rows:
        ws.append(list(r))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"     # typed as text, as a user's cell showing "=…" is


def write_rows(path, rows, merge_rows=(), width=6):
    """An xlsx of one sheet holding rows as written (a text starting with "=" typed as text), some rows merged."""
    wb = openpyxl.Workbook()
    ws = wb.active
    _plan_sheet(ws, rows)
    for r in merge_rows:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    wb.save(path)
    return path


def stp_plan_rows(title="KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ TƯ PHÁP", lines=STP_PLAN):
    rows = [("UBND THÀNH PHỐ HỒ CHÍ MINH", None, None, None, None, MOTTO[0]),
            ("SỞ TƯ PHÁP", None, None, None, None, MOTTO[1]), (), (title,),
            ("(Kèm theo Kế hoạch số 10/KH-STP ngày 28 tháng 12 năm 2021)",),
            ("STT", "Nội dung nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"),
            ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)")]
    for line in lines:
        if line[1] is None or len(line) == 2:
            rows.append(line if line[1] is not None else (line[0],))
        else:
            rows.append((line[0], line[1], "Báo cáo", line[2], "Các phòng", line[3]))
    return rows + [(), ("Nơi nhận:", None, None, None, "GIÁM ĐỐC"), ("- UBND Thành phố;",), ("Nguyễn Văn A",)]


def stp_report_sections(path):
    """30/6/2022, the plan's sections and STT (matched by section and number)."""
    return write_rows(path, [
        ("BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 CỦA SỞ TƯ PHÁP",),
        ("(tính đến ngày 30/6/2022)",),
        ("STT", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành"),
        ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
        (1, "Ban hành kế hoạch", "Hoàn thành", "20/01/2022"),         # I.1 done 20/01 ≤ 31/01: on time
        (2, "Tuyên truyền", "Đang thực hiện", None),                   # I.2 recurring
        (3, "Kiểm tra", "Đã hoàn thành", None),                        # I.3 done, first said 30/06 ≤ 30/06
        ("II", "CẢI CÁCH THỂ CHẾ"),
        (1, "Rà soát văn bản", "Hoàn thành (trễ hạn)", None),         # II.1 done late, as reported
        (2, "Theo dõi thi hành", "Đang triển khai", None),             # II.2
        (3, "Xây dựng văn bản", "Chưa thực hiện", None),               # II.3
        ("III", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
        (1, "Công bố", "Đang thực hiện", None),                        # III.1
        (2, "Rà soát", "Chưa triển khai", None),                       # III.2
        ("IV", "CHỈ TIÊU"),
        (1, "Đúng hạn", "Đang thực hiện", None),                       # IV.1
    ])


def stp_report_text(path):
    """8/8/2022, no STT: the task's text retyped (case, spaces and accents differ)."""
    return write_rows(path, [
        ("BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",), ("Số liệu đến ngày 08/8/2022",),
        ("Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành"),
        ("CÔNG BỐ THỦ TỤC HÀNH CHÍNH", "Hoàn thành", "10/07/2022"),    # III.1 done 10/07 > 30/06: late
        ("xay dung van ban  quy pham phap luat", "Hoàn thành", None),  # II.3 done, first said 08/08 > 30/06: late
        ("Rà soát   thủ tục hành chính", "Đang thực hiện", None),      # III.2
        ("Một nhiệm vụ không có trong kế hoạch", "Đang thực hiện", None),   # matches no task: listed
    ])


def stp_report_codes(path, day, lines):
    """A code column holding section and number ("III.2")."""
    return write_rows(path, [("BÁO CÁO TIẾN ĐỘ KẾ HOẠCH CCHC NĂM 2022 CỦA SỞ TƯ PHÁP",), (f"(tính đến ngày {day})",),
                         ("Mã nhiệm vụ", "Tình trạng", "Ngày hoàn thành"), *lines])


def q3_plan(path):
    """Layout B: 'Nhiệm vụ | Chỉ tiêu | Đơn vị thực hiện | Thời hạn', sections in one merged cell, the issuing
    body in two lines above a title without "của"."""
    rows = [("ỦY BAN NHÂN DÂN", None, None, None, None, MOTTO[0]), ("QUẬN 3", None, None, None, None, MOTTO[1]),
            ("Số: 15/KH-UBND",), (), ("KẾ HOẠCH",), ("Cải cách hành chính năm 2022",), (),
            ("STT", "Nhiệm vụ", "Chỉ tiêu", "Đơn vị thực hiện", "Thời hạn", "Ghi chú"),
            ("I. CẢI CÁCH THỦ TỤC HÀNH CHÍNH",),                                           # row 9, merged
            ("1.", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Trên 99 %", "Phòng Nội vụ", "Năm 2022", None),  # target 31/12
            ("2.", "Rà soát thủ tục hành chính", None, "Phòng Tư pháp", "Quý II", None),                # task 30/06
            ("3.", "Tiếp nhận qua bưu chính", None, "Văn phòng", "Thường xuyên", None),                 # recurring
            ("II. XÂY DỰNG CHÍNH QUYỀN SỐ",),                                              # row 13, merged
            ("1.", "Tỷ lệ hồ sơ trực tuyến", "30 %", "Phòng Văn hóa và Thông tin", "Quý IV", None),     # target 31/12
            ("2.", "Triển khai chuyển đổi số", None, "Phòng Văn hóa và Thông tin", "Tháng 9/2022", None),  # 30/09
            ("3.", "Họp trực tuyến", None, "Văn phòng", "Tháng 6", None)]                               # 30/06
    return write_rows(path, rows, merge_rows=(9, 13))


def q3_report_ticks(path):
    """30/9/2022, compiled: the unit in a cell merged down its lines, an x under the status."""
    path = write_rows(path, [
        ("TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022",), ("(tính đến ngày 30/9/2022)",),
        ("Đơn vị", "Nội dung nhiệm vụ", "Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện"),
        ("UBND Quận 3", "tỷ lệ hồ sơ giải quyết đúng hạn", "x", None, None),    # target done
        (None, "rà soát thủ tục hành chính", "x", None, None),                  # done, first said 30/09 > 30/06: late
        (None, "triển khai chuyển đổi số", None, "x", None),                    # 30/09 ≥ 30/09: under way
        (None, "Họp trực tuyến", None, None, "x"),                              # 30/06 < 30/09: overdue 92 days
    ])
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("A4:A7")
    wb.save(path)
    return path


# Random dossiers with every column the measures read: test_aggregates inserts them into the dossiers table,
# test_incremental writes them into export files and loads those through the importer.
PROPERTY_PROCEDURES = [("P1", "Đất đai", "full"), ("P2", "Hộ tịch", "partial"), ("P3", "Xây dựng", "none")]

random_full_dossier = st.fixed_dictionaries({
    "unit": st.sampled_from(["W11", "W12", "W21", "DEP", "D1", "NOPE"]),   # NOPE: a dossier whose unit is unknown
    "channel": st.sampled_from(["direct", "online", "postal"]),
    "received": st.integers(-40, 120),
    "hour": st.integers(0, 23),
    "due": st.one_of(st.none(), st.integers(-3, 30)),          # negative: due typed before the receipt
    "finished": st.one_of(st.none(), st.integers(-2, 60)),     # negative: finish typed before the receipt
    "returned": st.one_of(st.none(), st.integers(0, 40)),
    "status": st.one_of(st.none(), st.integers(1, 10)),
    "result_type": st.sampled_from([None, "result", "returned"]),
    "supplements": st.one_of(st.none(), st.integers(0, 3)),
    "procedure": st.sampled_from(["P1", "P2", "P3", None]),
    "field": st.sampled_from(["Đất đai", "Hộ tịch", None]),
    "online_level": st.sampled_from([None, "full", "none"]),
    "fee": st.sampled_from([None, 0.0, 50000.0]),
    "flags": st.lists(st.booleans(), min_size=6, max_size=6),   # paid online, digitized, e-result, reused, synced, apology
    "rating": st.sampled_from([None, "very_satisfied", "satisfied", "dissatisfied"]),
})


def full_dossier_times(d: dict) -> tuple:
    """received, due, finished and returned of a random_full_dossier draw (received from 1 January 2022, 8:00;
    the others that many days later at the draw's hour)."""
    rec = datetime(2022, 1, 1, 8) + timedelta(days=d["received"])
    return (rec, *(None if d[k] is None else rec + timedelta(days=d[k], hours=d["hour"] - 8)
                   for k in ("due", "finished", "returned")))


# A vendor export of such dossiers, as the importer reads it: Vietnamese headers, the vendor's words.
_EXPORT_WORDS = {
    "channel": {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"},
    "online_level": {"full": "4", "none": "1"},
    "result_type": {"result": "Kết quả", "returned": "Trả lại/Xin rút"},
    "rating": {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "dissatisfied": "Không hài lòng"},
}
_EXPORT_FLAGS = ["Thanh toán trực tuyến", "Số hóa hồ sơ", "Kết quả điện tử", "Tái sử dụng dữ liệu", "Đồng bộ DVCQG",
                 "Phiếu xin lỗi"]
EXPORT_HEADERS = ["Mã hồ sơ", "Đơn vị", "Mã TTHC", "Lĩnh vực", "Hình thức nộp", "Mức độ", "Ngày tiếp nhận",
                  "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả", "Trạng thái", "Loại kết quả",
                  "Số lần bổ sung", "Phí, lệ phí", *_EXPORT_FLAGS, "Đánh giá"]


def write_dossier_export(path: Path, dossiers: list[tuple[str, dict]]) -> Path:
    """An export of (code, random_full_dossier draw) pairs, CSV or (path ending .xlsx) a workbook written by
    openpyxl; the unit column holds the unit's code (NOPE names no unit), empty cells for None; dates as
    dd/mm/yyyy HH:MM:SS text in a CSV, date cells in a workbook (both as vendors write them)."""
    workbook = path.suffix == ".xlsx"

    def cell(value):
        if value is None:
            return None if workbook else ""
        if isinstance(value, datetime):
            return value if workbook else value.strftime("%d/%m/%Y %H:%M:%S")
        if isinstance(value, bool):
            return "Có" if value else "Không"
        return str(int(value)) if isinstance(value, float) else str(value)

    def words(d: dict, key: str):
        return None if d[key] is None else _EXPORT_WORDS[key][d[key]]
    rows = [EXPORT_HEADERS, *([cell(v) for v in (
        code, d["unit"], d["procedure"], d["field"], words(d, "channel"), words(d, "online_level"),
        *full_dossier_times(d), d["status"], words(d, "result_type"), d["supplements"], d["fee"],
        *d["flags"], words(d, "rating"))] for code, d in dossiers)]
    if workbook:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return path


def without_stored_table(db: Path, copy: Path, table: str) -> Path:
    """A copy of `db` as a database made before the load-time table `table` existed: the table and its state table
    (`table`_state, model/stored_tables.py) dropped."""
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(f"DROP TABLE {table}")
        con.execute(f"DROP TABLE {table}_state")
    return copy
