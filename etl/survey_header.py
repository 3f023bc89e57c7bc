"""Find the header of a SIPAS survey export and map its columns: fields, answer columns, personal data dropped."""
from dataclasses import dataclass, field

from etl.header import HEADER_SEARCH_ROWS, HeaderMatch
from etl.survey_vocab import AGGREGATE_FIELDS, field_index, is_personal_key, item_of_header
from etl.text import header_keys, norm_key


@dataclass
class SurveyItem:
    column: str              # grid column (c0…)
    item_type: str           # criterion | element | overall | expectation
    item_code: str           # '1.1', 'HL1', 'HL', 'MD1'
    element_no: int | None
    header: str              # the header text as written


@dataclass
class SurveyMatch(HeaderMatch):
    layout: str = "responses"                        # 'responses' (one row a questionnaire) or 'aggregates'
    items: list[SurveyItem] = field(default_factory=list)

    @property
    def rating_items(self) -> list[SurveyItem]:
        return [i for i in self.items if i.item_type != "expectation"]


def _classify(text, index) -> tuple[str, object] | None:
    """('personal', None) | ('field', name) | ('item', (type, code, element)) | None for one header cell."""
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
    item = item_of_header(keys[0])
    return ("item", item) if item else None


def _score(row, index) -> int:
    fields, items = set(), 0
    for cell in row:
        kind = _classify(cell, index)
        if kind and kind[0] == "field":
            fields.add(kind[1])
        elif kind and kind[0] == "item":
            items += 1
    return len(fields) + items


def find_survey_header(rows: list[list], extra_aliases=()) -> SurveyMatch | None:
    """The header row (optionally with the row above or below when that names more columns, as with a grouped
    'Yếu tố 1' row over '1.1 | 1.2 …'), or None when no row names at least two survey columns."""
    index = field_index(extra_aliases)
    scored = [(_score(r, index), i) for i, r in enumerate(rows[:HEADER_SEARCH_ROWS])]
    best_score, best = max(scored, key=lambda s: (s[0], -s[1]), default=(0, None))
    if best is None or best_score < 2:
        return None
    chosen = [best]
    for j in (best - 1, best + 1):
        if 0 <= j < len(rows) and _score(rows[j], index) >= 1:
            chosen.append(j)
    chosen.sort()
    width = max(len(rows[i]) for i in chosen)
    columns, items, dropped, ignored, seen_items = {}, [], [], [], set()
    for c in range(width):
        texts = [rows[i][c] for i in chosen if c < len(rows[i]) and rows[i][c] not in (None, "")]
        kinds = [(t, _classify(t, index)) for t in texts]
        if any(k and k[0] == "personal" for _, k in kinds):
            dropped.append(str(texts[0]))
            continue
        hit = next(((t, k) for t, k in reversed(kinds) if k), None)   # the lowest row that names the column wins
        if hit and hit[1][0] == "field" and hit[1][1] not in columns:
            columns[hit[1][1]] = f"c{c}"
        elif hit and hit[1][0] == "item" and hit[1][1][1] not in seen_items:
            item_type, code, element = hit[1][1]
            seen_items.add(code)
            items.append(SurveyItem(f"c{c}", item_type, code, element, str(hit[0]).strip()))
        elif texts and norm_key(texts[-1]) not in ("stt", "tt", "so tt", "so thu tu"):
            ignored.append(str(texts[-1]))
    has_ratings = any(i.item_type != "expectation" for i in items)
    layout = "aggregates" if not has_ratings and {"element", "satisfied_pct"} <= set(columns) else "responses"
    return SurveyMatch(header_index=chosen[-1], header_rows=len(chosen), columns=columns, dropped=dropped,
                       ignored=ignored, layout=layout, items=items)


def recognize_survey(rows: list[list], extra_aliases=(), explicit: bool = False) -> tuple[int, SurveyMatch] | None:
    """(score, match) when the rows carry a survey table. Auto-detection needs answer columns (criterion, HL)
    or the whole aggregated layout, so a dossier export is never taken for a survey; asked for explicitly
    (--kind survey), any survey header is returned and the loader says what is missing."""
    match = find_survey_header(rows, extra_aliases)
    if match is None:
        return None
    complete_aggregates = match.layout == "aggregates" and all(f in match.columns for f in AGGREGATE_FIELDS)
    if not explicit and not match.rating_items and not complete_aggregates:
        return None
    if explicit and not match.rating_items and "unit" not in match.columns:
        return None
    # Below a complete dossier header (300 + columns), above nothing else: a survey file has no dossier fields.
    score = 100 * ("unit" in match.columns) + 100 * bool(match.rating_items or complete_aggregates)
    return score + len(match.columns) + len(match.items), match
