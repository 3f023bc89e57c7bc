"""The PAR INDEX nodes stored at load (model/par_nodes.py) are the nodes the live query gives, after every kind of
load that changes them (scores, survey points, a units list attaching a unit named by its text) and after one that
does not (dossiers); compute_par gives the same figures from either; a database whose table is missing or stale
computes live. Files: tests/par_files.py's golden set (see test_par_golden.py), loaded through etl import."""
import duckdb

from indicators.par import compute_par
from model.par_nodes import NODES_SQL, NODES_TABLE, par_nodes_are_fresh, refresh_par_nodes
from tests.builders import without_stored_table
from tests.par_files import LONG_2021_DEPARTMENTS, SURVEY_POINTS, UNITS, golden_db, load, write_text

ORDER = "ORDER BY year, peer_group, identity, position"


def _both(db) -> tuple[list, list]:
    """The stored nodes and the live query's, every year, in one order."""
    with duckdb.connect(str(db), read_only=True) as con:
        assert par_nodes_are_fresh(con)
        years = [y for (y,) in con.execute("SELECT DISTINCT year FROM par_framework ORDER BY 1").fetchall()]
        stored = con.execute(f"SELECT * FROM {NODES_TABLE} {ORDER}").fetchall()
        live = con.execute(NODES_SQL, {"years": years}).fetchall()
    return stored, live


def _par(db) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [compute_par(con, year) for year in (2021, 2022)]


def test_stored_nodes_equal_the_live_query_after_each_kind_of_load(tmp_path):
    db, _ = golden_db(tmp_path)
    stored, live = _both(db)
    # 2021 departments: Sở Tư pháp and Sở Y tế, scored on 1.1, 1.2, 2.1 (LONG_2021_DEPARTMENTS) among others
    assert len(stored) > 10 and stored == live
    # a corrected 2021 score: rebuilt
    corrected = LONG_2021_DEPARTMENTS.replace("2021,Sở Y tế,2.1,4,2,,", "2021,Sở Y tế,2.1,4,3,,")
    assert corrected != LONG_2021_DEPARTMENTS
    _, errors = load(db, [write_text(tmp_path / "so_nganh_2021_sua.csv", corrected)])
    assert errors == []
    stored_after, live_after = _both(db)
    assert stored_after == live_after and stored_after != stored
    # survey points for another unit: rebuilt
    _, errors = load(db, [write_text(tmp_path / "dieu_tra_2.csv", SURVEY_POINTS.replace("Sở Xây dựng", "Sở Y tế"))])
    assert errors == []
    assert _both(db)[0] == _both(db)[1]
    # a units list that only renames: nothing to rebuild, the table is still current (checked after this import)
    _, errors = load(db, [write_text(tmp_path / "don_vi_2.csv", UNITS.replace("Sở Y tế", "Sở Y tế TP"))])
    assert errors == []
    assert _both(db)[0] == _both(db)[1]


def test_compute_par_is_the_same_from_the_stored_nodes_and_live(tmp_path):
    db, _ = golden_db(tmp_path)
    stale = without_stored_table(db, tmp_path / "stale.duckdb", NODES_TABLE)
    with duckdb.connect(str(stale), read_only=True) as con:
        assert not par_nodes_are_fresh(con)
    assert _par(db) == _par(stale)
    # a load by a version that does not refresh the table (a newer import): no longer read
    with duckdb.connect(str(stale)) as con:
        refresh_par_nodes(con)
        assert par_nodes_are_fresh(con)
        con.execute("UPDATE par_scores SET appraised_score = 0 WHERE year = 2021")
        con.execute("""INSERT INTO import_log SELECT * REPLACE (import_id + 1 AS import_id) FROM import_log
                       WHERE import_id = (SELECT max(import_id) FROM import_log)""")
        assert not par_nodes_are_fresh(con)
        assert refresh_par_nodes(con) and par_nodes_are_fresh(con)
        assert not refresh_par_nodes(con)   # nothing changed since: not rebuilt
