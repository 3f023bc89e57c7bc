"""The data's date range and sector list, stored by every load (data_coverage), equal what the dossiers say."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb

from etl.importer import import_paths
from indicators.coverage import data_date_range, list_fields
from tests.builders import PROPERTY_UNITS, write_dossier_export

AS_OF = date(2022, 12, 25)


def _catalogues(folder: Path, field_of_p2: str) -> list[Path]:
    units, procs = folder / "units.csv", folder / "procedures.csv"
    with open(units, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("code", "name", "level", "parent_code"),
                                      *[(c, n, lvl, p or "") for c, n, lvl, p in PROPERTY_UNITS]])
    with open(procs, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("code", "name", "field", "online_level"),
                                      ("P1", "Thủ tục P1", "Đất đai", "full"),
                                      ("P2", "Thủ tục P2", field_of_p2, "partial")])
    return [units, procs]


def _dossier(received: int, procedure: str, field: str | None) -> dict:
    """Received on day `received` of 2022 (0 = 1 January) at 9:00, open."""
    return {"unit": "W11", "channel": "direct", "received": received, "hour": 9, "due": 20, "finished": None,
            "returned": None, "status": None, "result_type": None, "supplements": 0, "procedure": procedure,
            "field": field, "online_level": None, "fee": None, "flags": [False] * 6, "rating": None}


def _read(db: Path, *, drop_stored: bool = False) -> tuple:
    con = duckdb.connect(str(db))
    try:
        if drop_stored:   # a database loaded before the table existed: the same answer, computed live
            con.execute("DROP TABLE data_coverage")
        return data_date_range(con), list_fields(con)
    finally:
        con.close()


def test_every_load_stores_the_coverage_it_reads(tmp_path):
    import_paths(tmp_path / "cchc.duckdb", _catalogues(tmp_path, "Hộ tịch"))
    db = tmp_path / "cchc.duckdb"
    assert _read(db) == ((None, None), [])   # catalogues, no dossier yet

    # A received 3/1 with no sector of its own (P2 → the catalogue's "Hộ tịch"); B 11/2 in "Tư pháp"
    export = write_dossier_export(tmp_path / "first.csv", [("A", _dossier(2, "P2", None)),
                                                             ("B", _dossier(41, "P1", "Tư pháp"))])
    assert import_paths(db, [export], source="t", as_of=AS_OF)[1] == []
    # first receipt 3/1; the end is the snapshot 25/12 (later than the last receipt 11/2); sectors A→Z
    expected = ((date(2022, 1, 3), AS_OF), ["Hộ tịch", "Tư pháp"])
    assert _read(db) == expected

    # a newer snapshot moves A to 20/1 and gives it a sector of its own: "Hộ tịch" has no dossier left
    later = write_dossier_export(tmp_path / "later.csv", [("A", _dossier(19, "P2", "Đất đai"))])
    assert import_paths(db, [later], source="t", as_of=date(2022, 12, 30))[1] == []
    expected = ((date(2022, 1, 20), date(2022, 12, 30)), ["Đất đai", "Tư pháp"])
    assert _read(db) == expected


def test_a_catalogue_load_renames_the_sector_of_dossiers_without_one(tmp_path):
    db = tmp_path / "cchc.duckdb"
    import_paths(db, _catalogues(tmp_path, "Hộ tịch"))
    export = write_dossier_export(tmp_path / "first.csv", [("A", _dossier(2, "P2", None))])
    import_paths(db, [export], source="t", as_of=AS_OF)
    assert _read(db)[1] == ["Hộ tịch"]
    import_paths(db, _catalogues(tmp_path, "Chứng thực"))   # the catalogue moves P2 to another sector
    assert _read(db)[1] == ["Chứng thực"]


def test_an_older_database_without_the_table_gets_the_same_answer(tmp_path):
    import_paths(tmp_path / "cchc.duckdb", _catalogues(tmp_path, "Hộ tịch"))
    db = tmp_path / "cchc.duckdb"
    # own sector or none, a catalogued procedure or one the catalogue lacks (P9: no sector at all), receipts in 2021
    dossiers = [(f"C{i}", _dossier(received, procedure, field)) for i, (received, procedure, field) in enumerate([
        (-30, "P2", None), (5, "P1", None), (60, "P9", None), (90, "P9", "Xây dựng"), (120, "P1", "Đất đai")])]
    import_paths(db, [write_dossier_export(tmp_path / "mixed.csv", dossiers)], source="t", as_of=AS_OF)
    stored = _read(db)
    # an independent route: every dossier joined to the catalogue, as the engine groups sectors
    con = duckdb.connect(str(db), read_only=True)
    sectors = sorted(r[0] for r in con.execute("""SELECT DISTINCT coalesce(d.field_name, p.field_name)
        FROM dossiers d LEFT JOIN procedures p USING (procedure_code)
        WHERE coalesce(d.field_name, p.field_name) IS NOT NULL""").fetchall())
    con.close()
    assert sectors == ["Hộ tịch", "Xây dựng", "Đất đai"] and stored[1] == ["Đất đai", "Hộ tịch", "Xây dựng"]
    assert stored[0] == (date(2021, 12, 2), AS_OF)   # 1/1/2022 − 30 days
    assert _read(db, drop_stored=True) == stored
