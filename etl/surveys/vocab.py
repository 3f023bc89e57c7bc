"""The SIPAS survey vocabularies kept as data: header aliases, answer words and the element/criterion catalogue."""
import functools
import re

from common.text import norm_key
from etl.core.vocab import is_personal_key as is_personal_header, personal_keys, read_vocab

# Canonical fields of a questionnaire export (one row per questionnaire) and of the aggregated long layout.
RESPONSE_FIELDS = ("response_id", "unit", "survey_date", "year", "field_name", "channel", "respondent_type",
                   "gender", "age_group", "submission_status")
AGGREGATE_FIELDS = ("unit", "year", "element", "satisfied_pct", "respondents")
PATTERN_FIELDS = ("criterion_prefix", "element_prefix", "overall", "expectation_prefix", "personal", "personal_exact",
                  "element_group", "group_satisfaction")

# The item code of the expectation question written as one column of choices ('Rút ngắn thời gian…, Tiếp tục đơn
# giản hóa TTHC'): read into one answer per catalogue option MD1…MDn (etl/surveys/sql.py long_answers_sql).
CHOICES_CODE = "MD"

# Date headers whose times are UTC, not Vietnam's: KoboToolbox's '_submission_time' (its 'start', 'end' carry an offset).
UTC_DATE_HEADERS = frozenset({"submission time"})   # norm_key of the header
# SurveyMonkey writes its dates month first ('03/14/2022 10:15:32 AM') whatever the survey's language: a column under
# these headers is read month/day/year unless one of its dates can only be day first (etl/surveys/dates.py).
MONTH_FIRST_DATE_HEADERS = frozenset({"end date", "start date"})   # norm_key of the header
# A survey date column that says when the questionnaire was sent (LimeSurvey's «Date submitted», code «submitdate»):
# a tool that exports the questionnaires left half way leaves it empty, so there an empty cell is a questionnaire
# never sent, not a date forgotten (norm_key of the header).
SUBMITTED_DATE_HEADERS = frozenset({"date submitted", "submitdate", "submit date", "submitted at", "thoi gian gui",
                                    "ngay gui", "thoi diem gui", "thoi gian nop phieu", "ngay nop phieu"})
# SurveyMonkey's second header line: 'Response' under each one-answer question, 'Open-Ended Response' under a
# free-text one. Part of the header, naming nothing (norm_key).
# «Other (please specify)» under a question with a write-in box (probe 42: the line was read as a questionnaire).
# The write-in box of a question's «Other» option, under the question or as the answer chosen (norm_key).
OTHER_BOX_WORDS = frozenset({"other please specify", "other", "khac vui long neu ro", "khac vui long ghi ro",
                             "khac ghi ro", "khac"})
SUBHEADER_WORDS = frozenset({"response", "open ended response"}) | OTHER_BOX_WORDS - {"khac"}

# Vietnamese labels of the fields, for messages a civil servant reads.
SURVEY_FIELD_LABELS = {
    "response_id": "Mã phiếu", "unit": "Đơn vị được khảo sát", "survey_date": "Ngày khảo sát", "year": "Năm",
    "field_name": "Lĩnh vực", "channel": "Hình thức", "respondent_type": "Đối tượng", "gender": "Giới tính",
    "age_group": "Độ tuổi", "element": "Yếu tố", "satisfied_pct": "Tỷ lệ hài lòng",
    "respondents": "Số phiếu hợp lệ",
    "submission_status": "Trạng thái phiếu",
}


@functools.lru_cache(maxsize=None)
def survey_aliases() -> tuple[tuple[str, str], ...]:
    """(field, alias) pairs of etl/vocab/survey_aliases.csv."""
    return tuple((row["field"], row["alias"]) for row in read_vocab("survey_aliases.csv"))


def aliases_of(field: str, extra=()) -> list[str]:
    return [a for f, a in list(survey_aliases()) + list(extra) if f == field]


def field_index(extra=()) -> dict[str, str]:
    """Normalized header key → canonical field (questionnaire and aggregate fields), with the user's mapping."""
    index = {}
    wanted = set(RESPONSE_FIELDS) | set(AGGREGATE_FIELDS)
    for field, alias in list(survey_aliases()) + list(extra):
        if field in wanted:
            index[norm_key(alias)] = field
            index[norm_key(field)] = field  # the English field name works as a header too
    return index


@functools.lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern]:
    """Regular expressions over normalized header keys ('Câu 1.1 - Nơi…' → 'cau 1 1 noi …')."""
    def alternatives(field):
        keys = sorted({norm_key(a) for f, a in survey_aliases() if f == field and norm_key(a)}, key=len, reverse=True)
        return "|".join(re.escape(k) for k in keys)
    return {
        # criterion: optional prefix, element digit, criterion number; the bare form '1.1' is always accepted
        "criterion": re.compile(rf"^(?:(?:{alternatives('criterion_prefix')})\s*)?([1-9])\s+(\d{{1,2}})(?:\s|$)"),
        "element": re.compile(rf"^(?:{alternatives('element_prefix')})\s*([1-9])(?:\s|$)"),
        "expectation": re.compile(rf"^(?:{alternatives('expectation_prefix')})\s*(\d{{1,2}})(?:\s|$)"),
        # the expectation question as one multi-choice column (a Google Forms checkbox): 'Mong đợi của Ông/Bà'
        "expectation_choices": re.compile(rf"^(?:{alternatives('expectation_prefix')})(?:\s+(?!\d)|$)"),
        "overall": re.compile(rf"^(?:{alternatives('overall')})(?:\s+(?!\d)|$)"),
        # a group label over an element's columns, or one column of a wide results table: 'Yếu tố 1: Tiếp cận…'
        "element_group": re.compile(rf"^(?:{alternatives('element_group')})\s*([1-9])(?:\s|$)"),
        "group_satisfaction": re.compile(rf"^(?:{alternatives('group_satisfaction')})$"),
    }


def criterion_code(key: str) -> str | None:
    """'1.1' for a header key shaped like a criterion ('tc 1 1 …'), whether or not the catalogue knows it."""
    found = _patterns()["criterion"].match(key)
    return f"{int(found.group(1))}.{int(found.group(2))}" if found else None


def item_of_header(key: str) -> tuple[str, str, int | None] | None:
    """(item_type, item_code, element_no) of a normalized header key, or None. Criterion codes must be in the
    catalogue, so an unrelated '3.5' column of another export is never read as an answer."""
    code = criterion_code(key)
    if code:
        return ("criterion", code, int(code.split(".")[0])) if code in catalogue_codes() else None
    found = _patterns()["element"].match(key)
    if found:
        element = int(found.group(1))
        return ("element", f"HL{element}", element) if 1 <= element <= 5 else None
    found = _patterns()["expectation"].match(key)
    if found:
        return "expectation", f"MD{int(found.group(1))}", None
    if _patterns()["expectation_choices"].match(key) and not key.endswith(" khac"):   # not an 'other' text box
        return "expectation", CHOICES_CODE, None
    if _patterns()["overall"].match(key):
        return "overall", "HL", None
    return _satisfaction_question(key)


# The satisfaction questions as a form words them (Google Forms, a printed questionnaire typed in): «Câu 7. Ông/Bà hài
# lòng như thế nào về việc tiếp cận dịch vụ?» is HL1, «Câu 16. Nhìn chung, Ông/Bà hài lòng như thế nào về dịch vụ hành
# chính công?» is HL. Read before (probe 15), they were columns not read, and the index fell back on the criteria.
# A form's number before a question's words, as a normalized key: «Câu 5.», «Câu 12a.»
QUESTION_NUMBER = r"cau \d{1,2}[a-z]? "
_SATISFIED_ABOUT = re.compile(
    rf"^(?:{QUESTION_NUMBER})?((?:nhin chung|noi chung|tong the) )?(?:ong ba |anh chi |quy vi )?(?:danh gia )?(?:co )?"
    r"(?:muc do |su )?hai long(?: cua (?:ong ba|anh chi|quy vi))?(?: nhu the nao)? (?:ve|voi|doi voi) (?:viec )?(.+)$")
# What each element's question is about. A question names the element it asks of first («về công chức tiếp nhận,
# giải quyết thủ tục hành chính» is element 3, «về kết quả giải quyết TTHC» element 4): the leftmost word decides,
# except that a question naming comments, complaints or petitions is element 5 wherever it says so («về kết quả xử
# lý góp ý, phản ánh»). Probe 18: the first element in the list whose word appeared anywhere won, and two elements'
# questions were read as element 2.
_ELEMENT_WORDS = ((1, ("tiep can",)), (2, ("thu tuc hanh chinh", "tthc", "thu tuc")), (3, ("cong chuc", "can bo")),
                  (4, ("ket qua",)))
_PETITION_WORDS = ("gop y", "phan anh", "kien nghi")
_NAMED_ELEMENT = re.compile(r"^yeu to ([1-5])\b")
_OVERALL_WORDS = ("dich vu hanh chinh cong", "chat luong phuc vu", "toan bo", "chung")


def _satisfaction_question(key: str) -> tuple[str, str, int | None] | None:
    found = _SATISFIED_ABOUT.match(key)
    if not found:
        return None
    about = f" {found.group(2)} "
    named = _NAMED_ELEMENT.match(found.group(2))   # «Mức độ hài lòng về Yếu tố 4»
    if named:
        return "element", f"HL{named.group(1)}", int(named.group(1))
    if any(f" {w} " in about for w in _PETITION_WORDS):
        return "element", "HL5", 5
    places = [(about.find(f" {w} "), element) for element, words in _ELEMENT_WORDS for w in words
              if f" {w} " in about]
    if places:
        element = min(places)[1]
        return "element", f"HL{element}", element
    if found.group(1) or any(f" {w} " in about for w in _OVERALL_WORDS):
        return "overall", "HL", None
    return None


def element_of_group(key: str, by_name: bool = True) -> int | None:
    """The element 1–5 a group label names ('Yếu tố 2', 'YT2', or with by_name the element's name in the
    catalogue, 'Thủ tục hành chính')."""
    found = _patterns()["element_group"].match(key)
    if found:
        return int(found.group(1)) if 1 <= int(found.group(1)) <= 5 else None
    if not by_name:
        return None
    names = {norm_key(r[5]): r[3] for r in catalogue_rows() if r[2] == "element"}
    return next((e for name, e in names.items() if key == name or key.startswith(name + " ")), None)


def is_group_satisfaction(key: str) -> bool:
    """An unnumbered satisfaction header ('HL', 'Mức độ hài lòng'): under a 'Yếu tố k' group it is HLk."""
    return bool(_patterns()["group_satisfaction"].match(key))


@functools.lru_cache(maxsize=None)
def _survey_personal_keys() -> frozenset[str]:
    return frozenset(norm_key(a) for f, a in survey_aliases() if f == "personal") | personal_keys()


@functools.lru_cache(maxsize=None)
def _survey_personal_exact_keys() -> frozenset[str]:
    return frozenset(norm_key(a) for f, a in survey_aliases() if f == "personal_exact")


@functools.lru_cache(maxsize=65536)   # asked of every cell of a file's first rows, as etl/core/vocab.py's
def is_personal_key(key: str) -> bool:
    """Personal-data headers (name, phone, CCCD/CMND, address, email…), also when followed by more words
    ('Số điện thoại liên hệ', 'Họ tên người trả lời'): such columns are never read. The 'personal_exact' ones only
    as written: a questionnaire's «Name» is the respondent's (Microsoft Forms), while «Name of the office…» asks
    for the unit; in a unit list «name» is the unit's, so the word is personal data for questionnaires only."""
    keys = _survey_personal_keys()
    return (key in keys or key in _survey_personal_exact_keys() or any(key.startswith(k + " ") for k in keys)
            or is_personal_header(key))


def answer_key(text) -> str:
    """The key an answer is looked up by: its normalized words, or the mark itself when it has none ('-', '✓')."""
    return norm_key(text) or str(text or "").strip()


@functools.lru_cache(maxsize=None)
def answer_words() -> tuple[tuple[str, str, int | None], ...]:
    """(scale, key, value): scale 'rating' (1–5, None = no answer) or 'choice' (1 chosen, 0 not chosen)."""
    return tuple((row["scale"], answer_key(row["word"]), int(row["value"]) if row["value"].strip() else None)
                 for row in read_vocab("survey_answers.csv"))


@functools.lru_cache(maxsize=None)
def catalogue_rows() -> tuple[tuple, ...]:
    """(method, from_year, item_type, element_no, item_code, item_name) of etl/vocab/sipas_catalogue.csv."""
    return tuple((row["method"].strip(), int(row["from_year"]), row["item_type"].strip(),
                  int(row["element"]) if row["element"].strip() else None, row["code"].strip(), row["name"].strip())
                 for row in read_vocab("sipas_catalogue.csv"))


@functools.lru_cache(maxsize=None)
def catalogue_expectations() -> frozenset[str]:
    """Expectation option codes (MD1…) of every method in the catalogue."""
    return frozenset(r[4] for r in catalogue_rows() if r[2] == "expectation")


@functools.lru_cache(maxsize=None)
def expectation_names() -> dict[str, str]:
    """Each expectation option's name (norm_key) → its code: KoBoToolbox's label export heads an option's 0/1
    column «Sự mong đợi/Rút ngắn thời gian giải quyết thủ tục hành chính» (probe 46: read as no column at all)."""
    return {norm_key(r[5]): r[4] for r in catalogue_rows() if r[2] == "expectation"}


@functools.lru_cache(maxsize=None)
def catalogue_codes() -> frozenset[str]:
    """Criterion codes of every method in the catalogue."""
    return frozenset(r[4] for r in catalogue_rows() if r[2] == "criterion")
