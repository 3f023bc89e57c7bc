"""What a kind of file (dossiers, survey, units…) is to the importer: how it is recognized and how a sheet of it
is loaded. Each sub-package of etl/ provides a Kind; etl/kinds.py lists them."""
from dataclasses import KW_ONLY, dataclass
from datetime import date
from typing import Callable

from etl.core.header import HeaderMatch
from etl.core.readers import Grid

# Counts every loader returns for a sheet, summed into the file's result.
SUMMED_COUNTS = ("rows_loaded", "rows_updated", "rows_unchanged", "rows_rejected", "rows_skipped")


@dataclass(frozen=True)
class SheetLoad:
    """One recognized sheet of a file being imported, with what a kind's loader may need."""
    grid: Grid
    match: HeaderMatch
    import_id: int
    file_name: str
    source: str | None                 # --source, or None
    as_of: date | None                 # --as-of, or None
    extra_aliases: tuple               # (field, alias) pairs of the --mapping file
    content_hash: Callable[[], str]    # the file's sha256; waits for the hashing that runs beside the load
    unit: str | None = None            # --unit: the unit a plan or progress report belongs to, or None
    file_snapshot: date | None = None  # the day a file of several sheets was taken (Kind.file_snapshot), or None
    side_grids: tuple = ()             # the file's sheets read as no table of its kind (a legend, a cover sheet)

    @property
    def title_rows(self) -> list[list]:
        """The rows above the header: report title, 'Từ ngày … đến ngày …', 'NĂM 2022'."""
        return self.grid.head_rows(self.match.header_index)


@dataclass(frozen=True)
class Kind:
    """A kind of file. name: the --kind value and import_log.kind; label: what the summary calls it.
    recognize(head rows, extra aliases, explicit) → (score, match) or None: the highest score over the kinds
      tried wins a sheet; explicit when --kind named this kind (then a partial header is taken, and the loader
      says what is missing).
    load_sheet(con, SheetLoad, result): loads one sheet inside the import's transaction and adds its counts to
      the file's result (the dict of cli.md's --json); raises ImportFailure when the file cannot be taken.
    no_header_message(file name, extra aliases): the Vietnamese error when no sheet carries this kind's header.
    finish_file(con, import_id, file name, result), optional: runs after the file's last sheet, inside the same
      transaction — for a kind whose sheets are written together (a workbook of one plan per sheet).
    missing_columns_message(head rows, extra aliases, file name): when the rows read as this kind with a required
      column missing (a misspelled header), the Vietnamese error naming it, else None. --kind auto then never
      gives the sheet to a whole-file kind (a dossier export is never taken for a procedure catalogue).
    whole_file: a reference file, loaded whole or not at all: a line the reader cannot split stops it.
    needs(head rows, extra aliases): (how many of the columns this kind needs the rows name, the Vietnamese labels
      of those missing) — what a file recognized as no kind is told, closest kind first; None: not told.
    claims(head rows, extra aliases), optional: whether the rows name columns only this kind has (a dossier code
      and a received date): --kind auto then never gives the sheet to another kind, even one its header reads as
      more closely (a dossier list under two header rows read as a plan-progress report: «Mã», «Hoàn thành»,
      «Kết quả»); with a required column missing, missing_columns_message says which.
    counts_lines(match): whether the loader's counts are one per line under the header (the importer then checks
      that every line was loaded, rejected or skipped); False for a layout that turns a line into several records.
    side_sheet(match, grid), optional: whether a sheet read as this kind lacks what its records need (a
      questionnaire sheet without a unit column: the answer key «Câu | 1 | 2 … 5» beside the answers; a summary
      sheet counting dossiers beside the detail). In a workbook that also has complete sheets of the kind, such a
      sheet is named unread instead of refusing the whole file.
    reshape(grid, match, extra aliases), optional: the sheet laid out as the loader reads it (a choice split into
      boxes marked «x», folded into one column), recognized again; the grid itself when nothing changes.
    file_snapshot(con, sheets), optional: for a file of several sheets, the one day the whole file was taken, given
      to every sheet's load (SheetLoad.file_snapshot), or None."""
    name: str
    label: str
    recognize: Callable[[list[list], tuple, bool], tuple[int, HeaderMatch] | None]
    load_sheet: Callable[..., None]
    no_header_message: Callable[[str, tuple], str]
    _: KW_ONLY   # the optional parts are named where a kind is declared
    finish_file: Callable[..., None] | None = None
    missing_columns_message: Callable[[list[list], tuple, str], str | None] | None = None
    whole_file: bool = False
    counts_lines: Callable[[HeaderMatch], bool] = lambda match: True
    needs: Callable[[list[list], tuple], tuple[int, list[str]]] | None = None
    claims: Callable[[list[list], tuple], bool] | None = None
    side_sheet: Callable[[HeaderMatch, Grid], bool] | None = None
    file_snapshot: Callable[..., date | None] | None = None
    reshape: Callable[[Grid, HeaderMatch, tuple], Grid] | None = None


def columns_needed(columns, groups) -> tuple[int, list[str]]:
    """(groups found, labels of the groups missing) of a kind's needed columns; groups: (label, fields any of
    which will do), columns: the fields a header maps."""
    found = [any(f in columns for f in fields) for _, fields in groups]
    return sum(found), [label for (label, _), ok in zip(groups, found) if not ok]


def add_counts(result: dict, counts: dict) -> None:
    """Adds one sheet's counts to the file's result; a unit name unmatched in several sheets is listed once."""
    for key in SUMMED_COUNTS:
        result[key] += counts[key]
    result["rejects"] += counts["rejects"]
    result["unrecognized_values"] += counts["unrecognized_values"]
    result["warnings"] += counts["warnings"]
    result["unmatched_units"] += [u for u in counts["unmatched_units"] if u not in result["unmatched_units"]]
