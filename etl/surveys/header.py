"""Find the header of a SIPAS survey export and map its columns: fields, answer columns, personal data dropped."""
import re
from dataclasses import dataclass, field, replace

from common.text import norm_key
from etl.core.header import HEADER_SEARCH_ROWS, HeaderMatch, header_keys
from etl.surveys.vocab import AGGREGATE_FIELDS, CHOICES_CODE, MONTH_FIRST_DATE_HEADERS, QUESTION_NUMBER, \
    OTHER_BOX_WORDS, SUBHEADER_WORDS, SUBMITTED_DATE_HEADERS, UTC_DATE_HEADERS, answer_key, answer_words, catalogue_expectations, \
    criterion_code, element_of_group, expectation_names, field_index, is_group_satisfaction, is_personal_key, item_of_header

# A column not read because a column before it asks the same question, told with both columns' letters so the user
# finds the copy-paste slip: «HL3 (cột G, trùng câu hỏi với cột F, không đọc)» (etl/surveys/summary.py says them
# apart).
_DUPLICATE_QUESTION = re.compile(r"(?s)(.*) \((.+), trùng câu hỏi với (.+), không đọc\)")


def duplicate_question_label(header: str, column: str, first: str) -> str:
    return f"{header} ({column}, trùng câu hỏi với {first}, không đọc)"


def duplicate_question_parts(label: str) -> tuple[str, str, str] | None:
    """(header, column, first column) of a duplicate_question_label, None for any other label."""
    found = _DUPLICATE_QUESTION.fullmatch(str(label))
    return found.groups() if found else None


@dataclass
class SurveyItem:
    column: str              # grid column (c0…)
    item_type: str           # criterion | element | overall | expectation
    item_code: str           # '1.1', 'HL1', 'HL', 'MD1'
    element_no: int | None
    header: str              # the header text as written
    # a multiple choice's other option columns under its one label (SurveyMonkey: the option's name over each, the
    # cell holding the name when chosen): their cells join the first column's as one list of the choices made
    also: tuple[str, ...] = ()


@dataclass
class SurveyMatch(HeaderMatch):
    layout: str = "responses"                        # 'responses' (one row a questionnaire) or 'aggregates'
    items: list[SurveyItem] = field(default_factory=list)
    element_columns: dict[int, str] = field(default_factory=dict)   # wide published results: element → column
    unknown_criteria: list[str] = field(default_factory=list)      # criterion-shaped headers not in the catalogue
    utc_date: bool = False                           # the survey date column is written in UTC (Kobo)
    month_first_date: bool = False                   # the survey date column's header is SurveyMonkey's
    submitted_date: bool = False                     # the survey date column is when it was sent (LimeSurvey)
    unit_other: str | None = None                    # the unit question's «Other (please specify)» box (SurveyMonkey)
    repeated: list[tuple[str, str, str]] = field(default_factory=list)   # (header, column, first column asking it)

    def ignored_labels(self, grid) -> list[str]:
        def letters(column: str) -> str:
            return grid.column_label(int(column[1:]))
        return list(self.ignored) + [duplicate_question_label(h, letters(c), letters(first))
                                     for h, c, first in self.repeated]

    @property
    def wide(self) -> bool:
        """Published results with one column per element ('Yếu tố 1 (%)' … 'Yếu tố 5 (%)')."""
        return bool(self.element_columns)

    @property
    def rating_items(self) -> list[SurveyItem]:
        return [i for i in self.items if i.item_type != "expectation"]


def _classify(text, index) -> tuple[str, object] | None:
    """('personal', None) | ('field', name) | ('item', (type, code, element)) | None for one header cell.
    KoboToolbox writes a question in a group as 'group/question' ('Thông tin chung/Đơn vị được khảo sát', 'Yếu tố
    1/1.1 Nơi ngồi chờ…'): what the whole text does not name, the question's own label (of two words or more: the
    'năm' of 'Ngày/tháng/năm' is not a year column) may."""
    if _QUALTRICS_TAG.fullmatch(str(text or "").strip()):
        return None
    grid_row = _GRID_ROW.fullmatch(str(text or ""))
    if grid_row:   # a Google Forms grid: 'Yếu tố 1. Tiếp cận dịch vụ [1.1. Nơi ngồi chờ…]', its row names the question
        row_item = _classify_cell(grid_row.group(1), index)
        if row_item and row_item[0] == "item":
            return row_item
    statement = _likert_statement_item(str(text or ""), index)
    if statement:   # Microsoft Forms: «<question>.<statement>», the statement names the item
        return statement
    found = _classify_cell(text, index)
    if (found is None or (found[0] == "item" and found[1][1] == CHOICES_CODE)) and "/" in str(text or ""):
        label = str(text).rsplit("/", 1)[1]
        if " " in norm_key(label):
            found = _classify_cell(label, index) or found
    elif found is None and _ODK_PATH.fullmatch(str(text or "").strip()):
        # ODK Central joins the group and the question's names with «-»: «grp_yeuto1-hl1», «grp_chung-don_vi»
        # (probe 42: the whole file was refused as of no kind). Names, not labels: the last one names the column.
        found = _classify_cell(str(text).strip().rsplit("-", 1)[1], index)
    return found


def _likert_statement_item(text: str, index) -> tuple[str, object] | None:
    """The item a Microsoft Forms Likert column names by its statement: the form writes «<question>.<statement>»
    («Ông/Bà hài lòng như thế nào về việc tiếp cận dịch vụ.1.1. Nơi ngồi chờ…»), the dot between two characters
    that are not both digits (not the dot of «1.1»). Read as a whole, the question's words named the element (HL1)
    for every statement of it (probe 42). The first statement after such a dot that names an item; None when none
    does."""
    for joint in _STATEMENT_JOINT.finditer(text):
        found = _classify_cell(text[joint.end():], index)
        if found and found[0] == "item" and found[1][1] != CHOICES_CODE:
            return found
    return None


# The dot Microsoft Forms joins a Likert question and its statement with: no space on either side, not between digits.
_STATEMENT_JOINT = re.compile(r"(?<=\S)\.(?=\S)(?<!\d\.(?=\d))")
_ODK_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)+")
_GRID_ROW = re.compile(r".*\[\s*([^\[\]]+?)\s*\]\s*", re.DOTALL)
# Qualtrics' first header line tags each column by the survey's own question numbers: «Q2_1» is statement 1 of its
# question 2, whatever the question asks — not criterion 2.1 (probe 42: criteria 2.1 and 4.1 were read from other
# questions' statements, an element no question asked got an index). The question's text on the next line names it.
_QUALTRICS_TAG = re.compile(r"Q\d+(?:_\d+)+(?:_TEXT)?")


_QUESTION_NUMBER = re.compile("^" + QUESTION_NUMBER)


def _classify_cell(text, index) -> tuple[str, object] | None:
    if text is None or not str(text).strip():
        return None
    keys = header_keys(text)
    if not keys:   # punctuation only, e.g. '-'
        return None
    if any(is_personal_key(k) for k in keys):
        return "personal", None
    for key in keys:
        if key in index:
            return "field", index[key]
    for key in keys:   # a form numbers its questions: «Câu 5. Đơn vị Ông/Bà đến giao dịch» is the unit
        bare = _QUESTION_NUMBER.sub("", key)
        if bare != key and bare in index:
            return "field", index[bare]
    item = item_of_header(keys[0])
    if (item is None or item[1] == CHOICES_CODE) and "/" in str(text):
        # a question in a Kobo group ('Mong đợi/MD1 Rút ngắn…'): its own label carries the code, even one word
        group, label = (norm_key(part) for part in str(text).rsplit("/", 1))
        item = item_of_header(label) or _expectation_option(group, label) or item
    return ("item", item) if item else None


def _expectation_option(group: str, label: str) -> tuple[str, str, None] | None:
    """An expectation option's column under the expectation question, named by the option's words (Kobo's label
    export: «Sự mong đợi/Tiếp tục đơn giản hóa thủ tục hành chính»)."""
    group_item = item_of_header(group)
    code = expectation_names().get(label) if group_item and group_item[1] == CHOICES_CODE else None
    return ("expectation", code, None) if code else None


def _score(row, index) -> int:
    fields, items = set(), 0
    for cell in row:
        kind = _classify(cell, index)
        if kind and kind[0] == "field":
            fields.add(kind[1])
        elif kind and kind[0] == "item":
            items += 1
    return len(fields) + items


# A number, a day-first date (or an Excel date cell as text), a month/year: values, not header text.
_VALUE = re.compile(r"[-+]?\d+(?:[.,]\d+)?|\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?"
                    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMBERED = re.compile(r"\d+(?:[.,]0+)?\s*[-–—.:)]?\s*([^\W\d_].*)")   # '4 - Hài lòng': the words start with a letter


def _looks_like_value(text, kind) -> bool:
    """An answer word or mark ('Hài lòng', 'x'), a numbered answer ('4 - Hài lòng'), or a number or date that
    names no column ('1.1' does): what a questionnaire row holds, never a header."""
    words = {w for _, w, _ in answer_words()}
    cell = str(text).strip()
    if norm_key(cell) and answer_key(cell) in words:    # a lone '-' may fill a header cell too
        return True
    if kind and kind[0] == "item":
        return False
    numbered = _NUMBERED.fullmatch(cell)
    return bool(_VALUE.fullmatch(cell)) or bool(numbered and answer_key(numbered.group(1)) in words)


def _is_header_like(row, index) -> bool:
    """A row beside the header joins it only when it reads as header text: some cell names a column and no cell
    looks like a value. So a grouped 'Yếu tố 1' row over '1.1 | 1.2', or field names merged down over two rows,
    join; a first questionnaire whose gender 'Nam' reads as 'Năm', or whose answer 'Hài lòng' reads as
    '% hài lòng', stays data."""
    cells = [c for c in row if c is not None and str(c).strip()]
    if cells and all(norm_key(c) in SUBHEADER_WORDS for c in cells):
        return True   # SurveyMonkey's 'Response' line under its header
    kinds = [_classify(c, index) for c in cells]
    if any(norm_key(c) in SUBHEADER_WORDS for c in cells) and not any(
            _looks_like_value(c, k) for c, k in zip(cells, kinds)):
        return True   # its 'Response' cells beside a multiple choice's option names
    numbered = sum(bool(_NUMBERED_COLUMN.fullmatch(norm_key(c))) for c in cells)
    names = any(k and k[0] in ("field", "item", "personal") for k in kinds) or \
        any(element_of_group(norm_key(c), by_name=False) for c in cells) or numbered > 0  # 'Yếu tố k', 'Tiêu chí j'
    # «HL» is an answer (hài lòng) and the satisfaction question's header: beside «TC1 | TC2» it is the header
    # (probe 39: the «TC1 | TC2 | HL» line under the «Yếu tố k» labels was taken for a questionnaire). Two numbered
    # columns at least: a questionnaire's line holds one code at most («TC01», then its answers «HL»: the review).
    return names and not any(_looks_like_value(c, k) and not (numbered >= 2 and k and k[0] == "item")
                             for c, k in zip(cells, kinds))


# A criterion numbered within its element: 'Tiêu chí 2', 'TC 2', 'Tiêu chí thứ 2' (normalized). Not 'Câu 5': a
# questionnaire numbers its questions through the whole form (the review: «Câu 5» under «Yếu tố 2» is 2.1, not 2.5).
_CRITERION_IN_GROUP = re.compile(r"(?:tieu chi|tc)(?: thu)? ?(\d{1,2})")   # «TC1» too (probe 39)
# Either kind of numbered column makes a row of header text (the row under the 'Yếu tố k' groups).
_NUMBERED_COLUMN = re.compile(r"(?:tieu chi|tc|cau|cau hoi)(?: thu)? ?\d{1,2}")


def _group_label(rows, upper_rows, row, c) -> tuple[str, int] | None:
    """(label, element) of the 'Yếu tố k' group over column c: a group label is merged across its columns, so
    only its first cell holds the text; the nearest text at or left of c in a row above names the group."""
    for i in reversed([u for u in upper_rows if u < row]):
        text = next((rows[i][j] for j in range(min(c, len(rows[i]) - 1), -1, -1)
                     if rows[i][j] not in (None, "")), None)
        if text is not None:
            element = element_of_group(norm_key(text))
            return (str(text).strip(), element) if element else None
    return None


def find_survey_header(rows: list[list], extra_aliases=()) -> SurveyMatch | None:
    """The header row (with the row above or below when that is header text too, as with a grouped 'Yếu tố 1'
    row over '1.1 | 1.2 …'), or None when no row names at least two survey columns."""
    index = field_index(extra_aliases)
    scored = [(_score(r, index), i) for i, r in enumerate(rows[:HEADER_SEARCH_ROWS])]
    best_score, best = max(scored, key=lambda s: (s[0], -s[1]), default=(0, None))
    if best is None or best_score < 2:
        return None
    chosen = sorted([best] + [j for j in (best - 1, best + 1)
                              if 0 <= j < len(rows) and _is_header_like(rows[j], index)])
    width = max(len(rows[i]) for i in chosen)
    columns, items, dropped, ignored, seen_items, repeated = {}, [], [], [], set(), []
    elements, unknown_criteria, utc_date, month_first_date, submitted_date = {}, [], False, False, False
    choice_columns, in_choices = {}, False   # the columns of a multiple choice's label beyond its first
    unit_other = None
    for c in range(width):
        top = rows[chosen[0]][c] if c < len(rows[chosen[0]]) else None
        if columns.get("unit") == f"c{c - 1}" and (top in (None, "") and _is_other_box(rows, chosen, c)
                                                    or _is_bracketed_other(rows, chosen, c)):
            unit_other = f"c{c}"   # the unit a respondent wrote when the list of units did not hold theirs
            continue
        if in_choices and len(chosen) > 1 and top in (None, "") and not _names_something(rows, chosen, c, index):
            option = next((rows[i][c] for i in reversed(chosen) if c < len(rows[i]) and rows[i][c] not in (None, "")),
                          None)
            if option is not None and norm_key(option) not in SUBHEADER_WORDS:   # not «Other (please specify)»
                choice_columns.setdefault(len(items) - 1, []).append(f"c{c}")
                continue
        in_choices = False
        cells = [(i, rows[i][c]) for i in chosen if c < len(rows[i]) and rows[i][c] not in (None, "")
                 and norm_key(rows[i][c]) not in SUBHEADER_WORDS]
        kinds = [(t, _classify(t, index)) for _, t in cells]
        if any(k and k[0] == "personal" for _, k in kinds):
            dropped.append(str(cells[0][1]))
            continue
        hit = next(((t, k) for t, k in reversed(kinds) if k), None)   # the lowest row that names the column wins
        lowest_row, lowest = cells[-1] if cells else (None, None)
        group = _group_label(rows, chosen, lowest_row, c) if cells and is_group_satisfaction(norm_key(lowest)) else None
        if group:   # an unnumbered 'HL' / 'Mức độ hài lòng' under 'Yếu tố k' asks the satisfaction with element k
            label, element = group
            hit = (f"{label} / {str(lowest).strip()}", ("item", ("element", f"HL{element}", element)))
        number = _CRITERION_IN_GROUP.fullmatch(norm_key(lowest)) if cells and not hit else None
        group = _group_label(rows, chosen, lowest_row, c) if number else None
        if group:   # 'Tiêu chí j' under 'Yếu tố k' is criterion k.j (probe 32: all 22 were left unread)
            label, element = group
            kind = _classify(f"{element}.{int(number.group(1))}", index)
            if kind:
                hit = (f"{label} / {str(lowest).strip()}", kind)
        if hit and hit[1][0] == "field" and hit[1][1] not in columns:
            columns[hit[1][1]] = f"c{c}"
            utc_date = utc_date or (hit[1][1] == "survey_date" and norm_key(hit[0]) in UTC_DATE_HEADERS)
            month_first_date = month_first_date or (hit[1][1] == "survey_date"
                                                    and norm_key(hit[0]) in MONTH_FIRST_DATE_HEADERS)
            submitted_date = submitted_date or (hit[1][1] == "survey_date"
                                                and norm_key(hit[0]) in SUBMITTED_DATE_HEADERS)
        elif hit and hit[1][0] == "item" and hit[1][1][1] not in seen_items:
            item_type, code, element = hit[1][1]
            if item_type == "expectation" and code != CHOICES_CODE and code not in catalogue_expectations():
                # an option no method of the catalogue has (probe 36: «MD8» kept, shown by its code): said, not read
                ignored.append(str(hit[0]).strip())
                unknown_criteria.append(str(hit[0]).strip())
                continue
            seen_items.add(code)
            items.append(SurveyItem(f"c{c}", item_type, code, element, str(hit[0]).strip()))
            in_choices = code == CHOICES_CODE
        elif hit and hit[1][0] == "item" and hit[1][1][1] in seen_items:
            # the question of a column before, copied twice (probe 52: two «HL3»): the first is read, this one said
            first = next(i.column for i in items if i.item_code == hit[1][1][1])
            repeated.append((str(hit[0]).strip(), f"c{c}", first))
        elif cells and norm_key(lowest) not in ("stt", "tt", "so tt", "so thu tu"):
            key = norm_key(lowest)
            if not hit and element_of_group(key, by_name=False) and element_of_group(key) not in elements:
                elements[element_of_group(key)] = (c, str(lowest))  # 'Yếu tố 2 (%)' of a wide results table
                continue
            ignored.append(str(lowest))
            if criterion_code(key):     # shaped like a criterion the catalogue does not know: said in the summary
                unknown_criteria.append(str(lowest).strip())
    items = [replace(item, also=tuple(choice_columns[n])) if n in choice_columns else item
             for n, item in enumerate(items)]
    # KoBoToolbox writes a multiple choice twice: one cell of the choices made ('md1 md6') and a 0/1 column per choice
    # (probe 17: the combined cell, of option names, rejected every questionnaire that chose any). With the option
    # columns there, they are read and the combined cell is not.
    if any(i.item_code == CHOICES_CODE for i in items) and any(
            i.item_type == "expectation" and i.item_code != CHOICES_CODE for i in items):
        ignored += [i.header for i in items if i.item_code == CHOICES_CODE]
        items = [i for i in items if i.item_code != CHOICES_CODE]
    has_ratings = any(i.item_type != "expectation" for i in items)
    wide = not has_ratings and "element" not in columns and len(elements) >= 2
    if wide and "respondents" not in columns and "response_id" in columns:
        # A table of published results has no questionnaire codes: its 'Số phiếu' is the number of questionnaires.
        columns["respondents"] = columns.pop("response_id")
    if not wide:   # group labels over answer columns, or a stray 'Yếu tố 1' column: of no use here
        ignored += [text for _, text in elements.values()]
    layout = "aggregates" if not has_ratings and ({"element", "satisfied_pct"} <= set(columns) or wide) else "responses"
    return SurveyMatch(header_index=chosen[-1], header_rows=len(chosen), columns=columns, dropped=dropped,
                       ignored=ignored, layout=layout, items=items, unknown_criteria=unknown_criteria, utc_date=utc_date,
                       month_first_date=month_first_date, submitted_date=submitted_date, unit_other=unit_other,
                       repeated=repeated,
                       element_columns={e: f"c{c}" for e, (c, _) in elements.items()} if wide else {})


def _is_other_box(rows, chosen, c) -> bool:
    """Whether column c is headed only by an «Other (please specify)» under the header of the column before it."""
    cells = [rows[i][c] for i in chosen if c < len(rows[i]) and rows[i][c] not in (None, "")]
    return bool(cells) and all(norm_key(x) in OTHER_BOX_WORDS for x in cells)


# LimeSurvey heads a question's «Other» box with the question's own header and the option's name in brackets.
_BRACKETED_OTHER = re.compile(r"(.*\S)\s*\[\s*(?:khác|other)\s*\]", re.IGNORECASE)


def _is_bracketed_other(rows, chosen, c) -> bool:
    """Whether column c is headed «<the header of the column before it> [Khác]» («[Other]»): LimeSurvey's box."""
    for i in chosen:
        if 0 < c < len(rows[i]):
            found = _BRACKETED_OTHER.fullmatch(str(rows[i][c] or "").strip())
            if found and norm_key(found.group(1)) == norm_key(rows[i][c - 1]):
                return True
    return False


def _names_something(rows, chosen, c, index) -> bool:
    """Whether a header cell of column c names a field or a question (or is personal data) by itself."""
    return any(_classify(rows[i][c], index) for i in chosen if c < len(rows[i]) and rows[i][c] not in (None, ""))


def recognize_survey(rows: list[list], extra_aliases=(), explicit: bool = False) -> tuple[int, SurveyMatch] | None:
    """(score, match) when the rows carry a survey table. Auto-detection needs answer columns (criterion, HL)
    or the whole aggregated layout, so a dossier export is never taken for a survey; asked for explicitly
    (--kind survey), any survey header is returned and the loader says what is missing."""
    match = find_survey_header(rows, extra_aliases)
    if match is None:
        return None
    complete_aggregates = match.layout == "aggregates" and (
        all(f in match.columns for f in AGGREGATE_FIELDS) or (match.wide and "unit" in match.columns))
    if not explicit and not match.rating_items and not complete_aggregates:
        return None
    if explicit and not match.rating_items and "unit" not in match.columns:
        return None
    # Below a complete dossier header (300 + columns), above nothing else: a survey file has no dossier fields.
    score = 100 * ("unit" in match.columns) + 100 * bool(match.rating_items or complete_aggregates)
    return score + len(match.columns) + len(match.items), match
