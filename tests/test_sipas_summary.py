"""The SIPAS summary built at load (model/sipas_summary.py) gives the same counts as counting the answers.

Real survey files (tests/fixtures/surveys, see test_sipas_indices.py): 01 Sở Tư pháp 2022, dated 03–04/10/2022,
a form without HL3–HL5 (criteria-only elements 3–5), plus P10 for "Phòng Tiếp dân Quận 13", a unit no list names;
02 Quận 3 2022 with the year only (40 questionnaires); 03 Quận 3 2021, dated; 06 published results (Sở KH&ĐT).
Then units lists that make P10's name answer to a new unit, then to Quận 3: the summary must follow them.
"""
import csv
from datetime import date

import duckdb
import pytest

from indicators.periods import Period
from indicators.sipas import GROUPINGS, compute_sipas
from indicators.sipas_sql import counts_sql, periods_values
from model.sipas_summary import ANSWERS_TABLE, refresh_sipas_summary, summary_is_fresh
from tests.builders import SIPAS_FILES, imported_db
from tests.conftest import FIXTURES

SURVEYS = FIXTURES / "surveys"
# Periods as compute_sipas asks them (a period and the same one last year), and some that split the dated files:
# the days 03/10/2022 (P01) only, the fourth quarter, a year without a survey.
PERIODS = [[(date(2022, 1, 1), date(2022, 12, 31), 2022, 2022), (date(2021, 1, 1), date(2021, 12, 31), 2021, 2021)],
           [(date(2022, 10, 1), date(2022, 12, 31), 2022, 2022), (date(2021, 10, 1), date(2021, 12, 31), 2021, 2021)],
           [(date(2022, 10, 3), date(2022, 10, 3), 2022, 2022)],
           [(date(2021, 9, 1), date(2021, 9, 30), 2021, 2021), (date(2020, 1, 1), date(2020, 12, 31), 2020, 2020)]]
P10_NAME = "Phòng Tiếp dân Quận 13"


def both_routes(con, by, scope, periods) -> tuple[list, list]:
    """The rows of counts_sql from the summary tables and from the answers, in one order."""
    sql, params = periods_values(periods)
    params.update({"scope": scope, "group_level": by if by in ("district", "department") else None})
    return tuple(sorted(con.execute(counts_sql(by, sql, len(periods), summary=s), params).fetchall(), key=repr)
                 for s in (True, False))


def assert_routes_agree(db) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        assert summary_is_fresh(con)
        for by in (*GROUPINGS, None):
            for scope in (None, "HCM", "Q3", "STP"):
                for periods in PERIODS:
                    stored, live = both_routes(con, by, scope, periods)
                    assert stored == live, (by, scope, periods)


def units_file(tmp_path, name, extra_rows) -> str:
    """The fixture units list with extra rows (code, name, level, parent, aliases) or changed ones (same code)."""
    with open(FIXTURES / "units.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    changed = {r[0]: r + [""] * (len(rows[0]) - len(r)) for r in extra_rows}
    rows = [changed.pop(r[0], r) for r in rows] + list(changed.values())
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def unit_counts(db, period=Period.year(2022)) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r["key"]: r["questionnaires"] for r in compute_sipas(con, period, by="unit")["rows"]}


def recorded_builds(db) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT checked_import_id, built_import_id FROM sipas_summary_state").fetchone()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return imported_db(tmp_path_factory.mktemp("sipas_summary") / "cchc.duckdb", SIPAS_FILES)


def test_summary_equals_the_answers_on_the_loaded_files(db):
    with duckdb.connect(str(db), read_only=True) as con:
        # the cases the summary must carry are in the data: criteria-only answers (01's elements 3–5), dated and
        # year-only questionnaires, a questionnaire of no unit (P10)
        assert con.execute(f"SELECT count(*) FROM {ANSWERS_TABLE} WHERE criteria_only").fetchone()[0] > 0
        assert con.execute("SELECT count(survey_date) > 0, count(*) > count(survey_date) FROM survey_responses"
                           ).fetchone() == (True, True)
        assert con.execute("SELECT count(*) FROM survey_responses WHERE unit_code IS NULL").fetchone()[0] == 1
        stored, live = both_routes(con, "unit", None, PERIODS[0])
        assert {r[1] for r in stored} >= {"item", "criteria_only", "criteria_only_n", "questionnaires", "published"}
    assert_routes_agree(db)
    # hand count: 02 has 40 questionnaires of Quận 3 in 2022; 01 has 9 of Sở Tư pháp and P10 of no unit
    assert unit_counts(db) == {"Q3": 40, "STP": 9, None: 1, "SKHDT": 200}


def test_a_units_load_moves_a_name_and_the_summary_follows(db, tmp_path):
    # P10's name becomes a unit of its own under Quận 3…
    new_unit = ["PTD13", P10_NAME, "department", "HCM", ""]
    imported_db(db, [units_file(tmp_path, "units_v2.csv", [new_unit])])
    assert_routes_agree(db)
    assert unit_counts(db) == {"Q3": 40, "STP": 9, "PTD13": 1, "SKHDT": 200}
    # …then that unit is renamed and the name becomes an alias of Quận 3: P10 counts for Quận 3 (40 + 1)
    renamed = ["PTD13", "Phòng Một cửa Quận 13", "department", "HCM", ""]
    q3 = ["Q3", "Quận 3", "district", "HCM", f"UBND Quận 3;Quan 3;Ủy ban nhân dân Quận 3;{P10_NAME}"]
    imported_db(db, [units_file(tmp_path, "units_v3.csv", [renamed, q3])])
    assert_routes_agree(db)
    assert unit_counts(db) == {"Q3": 41, "STP": 9, "SKHDT": 200}


def test_a_unit_listed_later_under_a_short_form_takes_the_questionnaires_of_its_full_name(tmp_path):
    # P10 was loaded under «Phòng Tiếp dân Quận 13», no unit's name; a list then names a unit «Phòng Tiếp dân Q.13»:
    # the name's short form is that unit's (the loader's rule, etl/core/sql_macros.sql unit_code_of), when read
    db = imported_db(tmp_path / "cchc.duckdb", SIPAS_FILES)
    assert unit_counts(db)[None] == 1
    imported_db(db, [units_file(tmp_path, "units_q13.csv", [["PTD13", "Phòng Tiếp dân Q.13", "department", "HCM", ""]])])
    assert_routes_agree(db)
    assert unit_counts(db) == {"Q3": 40, "STP": 9, "PTD13": 1, "SKHDT": 200}
    with duckdb.connect(str(db), read_only=True) as con:   # stored as loaded: the unit is found when read
        assert con.execute("SELECT count(*) FROM survey_responses WHERE unit_code IS NULL").fetchone()[0] == 1


def test_a_dossier_load_checks_the_summary_without_rebuilding_it(db):
    checked, built = recorded_builds(db)
    imported_db(db, [FIXTURES / "exports" / "01_q3_bao_cao_chi_tiet.xlsx"])
    after_checked, after_built = recorded_builds(db)
    assert after_checked > checked and after_built == built
    assert_routes_agree(db)
    # a survey load does rebuild it
    imported_db(db, [SURVEYS / "11_ngay_nam_hai_so.csv"])
    assert recorded_builds(db)[1] > after_checked
    assert_routes_agree(db)


def test_a_database_without_the_summary_counts_the_answers(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        before = compute_sipas(con, Period.year(2022), by="district")
    older = tmp_path / "older.duckdb"   # a copy as an older version left it: no summary tables
    older.write_bytes(db.read_bytes())
    with duckdb.connect(str(older)) as con:
        for table in ("sipas_summary_state", "sipas_answer_counts", "sipas_questionnaire_counts",
                      "sipas_criteria_only_counts"):
            con.execute(f"DROP TABLE {table}")
    with duckdb.connect(str(older), read_only=True) as con:
        assert not summary_is_fresh(con)
        assert compute_sipas(con, Period.year(2022), by="district") == before


def test_summary_of_another_import_is_not_read(db, tmp_path):
    # a load by a version without the summary adds an import the summary was not checked after
    copy = tmp_path / "later.duckdb"
    copy.write_bytes(db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute("""INSERT INTO import_log SELECT * REPLACE (import_id + 1000 AS import_id) FROM import_log
                       ORDER BY import_id DESC LIMIT 1""")
        assert not summary_is_fresh(con)
        con.execute("BEGIN")
        assert refresh_sipas_summary(con) is False   # inputs unchanged: checked, not rebuilt
        con.execute("COMMIT")
        assert summary_is_fresh(con)
