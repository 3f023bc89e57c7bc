"""The importer's entries for the reference files (units, successions, procedures, targets): one header rule, one loader each."""
from common.text import norm_key
from etl.core.errors import ImportFailure
from etl.core.header import find_header, recognize_header
from etl.core.kind import Kind, SheetLoad, columns_needed
from etl.plans.titles import plan_year
from etl.references import procedures, successions, targets, units
from etl.references.common import alias_index


def _reference_kind(name: str, label: str, aliases: dict, required: tuple, load, from_title=None,
                    alternatives=None, doubtful=None, other_layout=None) -> Kind:
    """load(con, grid, match, file name) → (lines taken, warnings): a reference file loads whole or fails. Every
    line a loader takes is counted loaded (a later line of the same code replaces an earlier one, as it would in
    the list); every other line under the header — empty, a signature, a section heading, a target it cannot
    store — skipped. from_title: {field: reader of the rows above the header}, a required field a title line may
    give instead of a column (a plan's year: «CHỈ TIÊU KẾ HOẠCH CCHC NĂM 2022»); the loader reads it there.
    alternatives: {required field: other fields any of which stands for it} (a plan's «Giá trị» column, or one
    value column per unit level: «Cấp tỉnh | Cấp huyện | Cấp xã»). doubtful(rows, match): a header this kind reads
    but that is more likely another table (a roadmap of tasks by year read as targets): not taken unless --kind
    names this kind. other_layout(rows, explicit) → (score, match) or None: a layout the header rule cannot find (targets per
    unit, one column per indicator), tried first; its match names the fields the loader reads."""
    index = alias_index(aliases)

    def index_with(extra_aliases: tuple) -> dict[str, str]:
        """The headers of this kind, with the lines of --mapping that name its fields (probe 39: a units list's
        mapping was accepted, then not used)."""
        return {**index, **{norm_key(alias): f for f, alias in extra_aliases if f in aliases}}
    from_title = from_title or {}
    alternatives = alternatives or {}

    def needed(fields) -> tuple:
        """The required fields as recognize_header takes them: a field with alternatives as a tuple of them all."""
        return tuple((f, *alternatives[f]) if f in alternatives else f for f in fields)

    def has(columns, field: str) -> bool:
        return any(f in columns for f in (field, *alternatives.get(field, ())))
    # what a user reads: each required column by its first Vietnamese header (the first alias is cli.md's English)
    labels = {f: aliases[f][1] if len(aliases[f]) > 1 else f for f in required}

    def titled(rows: list[list], match) -> set[str]:
        """The required fields the lines above the header give."""
        above = rows[:match.header_index + 1 - match.header_rows]
        return {f for f, read in from_title.items() if read(above) is not None}

    def recognize(rows: list[list], extra_aliases: tuple, explicit: bool):
        hit = titled_hit(rows, explicit, index_with(extra_aliases))
        return None if hit and doubtful and not explicit and doubtful(rows, hit[1]) else hit

    def titled_hit(rows: list[list], explicit: bool, index: dict[str, str]):
        hit = other_layout(rows, explicit) if other_layout else None
        if hit and (explicit or set(from_title) - set(hit[1].columns) <= titled(rows, hit[1])):
            return hit   # named by --kind, a year neither title nor column gives is said by load_sheet
        hit = recognize_header(rows, index, needed(required), explicit)
        if hit or not from_title:
            return hit
        hit = recognize_header(rows, index, needed(f for f in required if f not in from_title), explicit)
        return hit if hit and set(from_title) - set(hit[1].columns) <= titled(rows, hit[1]) else None

    def load_sheet(con, sheet: SheetLoad, result: dict) -> None:
        given = titled(sheet.grid.head_rows(sheet.match.header_index + 1), sheet.match) if from_title else set()
        missing = [labels[f] for f in required if not has(sheet.match.columns, f) and f not in given]
        if missing:   # --kind named this kind for a table that lacks its columns (a procedure list as units)
            raise ImportFailure(f"Tệp {sheet.file_name}: bảng không có cột " + ", ".join(f"«{m}»" for m in missing)
                                + f" của {label} (cần các cột " + ", ".join(f"«{labels[f]}»" for f in required)
                                + "). Tệp có đúng là " + label + " không? Không nạp dòng nào.")
        taken, warnings = load(con, sheet.grid, sheet.match, sheet.file_name)
        result["rows_loaded"] += taken
        result["rows_skipped"] += sheet.grid.table.num_rows - sheet.match.header_index - 1 - taken
        result["warnings"] += warnings

    def no_header_message(file_name: str, extra_aliases: tuple) -> str:
        return (f"Tệp {file_name}: không tìm thấy dòng tiêu đề của {label} (cần các cột "
                + ", ".join(f"«{labels[f]}»" for f in required) + "). Không nạp dòng nào.")

    def needs(rows: list[list], extra_aliases: tuple) -> tuple[int, list[str]]:
        match = find_header(rows, index_with(extra_aliases))
        if match is None:
            return columns_needed({}, [(labels[f], (f,)) for f in required])
        # a field the title gives (the plan's year) is not missing: the message names only what is
        given = titled(rows, match) if from_title else set()
        # a header taken for another table (doubtful) is told the columns it lacks as if its doubtful ones were none
        columns = {f: c for f, c in match.columns.items()
                   if not (doubtful and doubtful(rows, match) and f in alternative_fields)}
        return columns_needed({**columns, **{f: "" for f in given}},
                              [(labels[f], (f, *alternatives.get(f, ()))) for f in required])

    alternative_fields = {f for fields in alternatives.values() for f in fields}

    return Kind(name, label, recognize, load_sheet, no_header_message, whole_file=True, needs=needs)


UNITS = _reference_kind("units", "danh mục đơn vị", units.ALIASES, units.REQUIRED, units.load_units,
                        alternatives={"code": units.CODE_COLUMNS, "name": units.NAME_COLUMNS})
PROCEDURES = _reference_kind("procedures", "danh mục thủ tục", procedures.ALIASES, procedures.REQUIRED,
                             procedures.load_procedures)
TARGETS = _reference_kind("targets", "chỉ tiêu kế hoạch", targets.ALIASES, targets.REQUIRED, targets.load_targets,
                          from_title={"year": plan_year},
                          alternatives={"value": (*targets.LEVEL_VALUE_FIELDS, *targets.YEAR_VALUE_FIELDS,
                                                  *targets.INDICATOR_VALUE_FIELDS),
                                        "year": tuple(targets.YEAR_VALUE_FIELDS),
                                        "indicator": tuple(targets.INDICATOR_VALUE_FIELDS)},
                          doubtful=targets.year_layout_doubtful, other_layout=targets.indicator_columns_header)
SUCCESSIONS = _reference_kind("successions", "danh mục sắp xếp đơn vị", successions.ALIASES, successions.REQUIRED,
                              successions.load_successions)
