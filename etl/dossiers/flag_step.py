"""Once per database: the empty flag and fee cells of files that had the column become "no" and 0 (NULL now says
"not reported")."""
from etl.core.schema_steps import FLAGS_FALSE_WHERE_REPORTED, record_step, step_taken
from etl.dossiers.sql import ABSENT_IS_UNKNOWN

__all__ = ["flags_false_where_reported"]

# Until 'no' and 'not reported' were told apart (model/measures.py), an empty cell of a flag or fee column was stored
# NULL like every flag and fee of a file without the column. A database loaded then gets, once, false (a fee: 0) for
# the dossiers of a file that had the column (a value in its raw rows); the rest stay NULL, not reported. A step
# recorded in schema_steps (etl/core/schema_steps.py): a database created since starts with it taken.


def flags_false_where_reported(con) -> None:
    """Runs inside the caller's transaction (the refresh after a load, or `python -m etl refresh`)."""
    if step_taken(con, FLAGS_FALSE_WHERE_REPORTED):
        return
    # Only a cell left empty: a fee written «Theo quy định» is stored NULL on purpose (an amount not said), and the
    # step, run after the first load of a new database, had made it 0.
    for raw, column in ABSENT_IS_UNKNOWN.items():
        no = "0" if column == "fee_amount" else "false"
        con.execute(f"""UPDATE dossiers d SET {column} = {no}
                        WHERE d.{column} IS NULL
                          AND d.import_id IN (SELECT DISTINCT import_id FROM raw_dossier_rows WHERE {raw} IS NOT NULL)
                          AND EXISTS (SELECT 1 FROM raw_dossier_rows r WHERE r.import_id = d.import_id
                                      AND r.row_number = d.row_number AND r.{raw} IS NULL)""")
    record_step(con, FLAGS_FALSE_WHERE_REPORTED)
