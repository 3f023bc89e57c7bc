"""Periods as the portal and the one-stop systems write them (Tháng 6/2022, Quý II/2022, 2022-Q2, Tuần 23/2022,
Năm 2022, Từ ngày 01/04/2022 đến ngày 30/06/2022), read in SQL into [from, to]."""
import re

from common.text import norm_key

__all__ = ["PERIOD_MACRO_SQL", "period_from_titles", "PERIOD_EXAMPLES"]

PERIOD_EXAMPLES = "«Tháng 6/2022», «Quý II/2022», «2022-Q2», «Tuần 23/2022», «Năm 2022» hoặc «01/04/2022 - 30/06/2022»"

# Each rule: a pattern matched in full against norm_key(text) (lower case, no accents, punctuation as spaces:
# "Quý II/2022" is "quy ii 2022"), and the first and last day from its groups g1, g2… An impossible date
# (month 13, 31/02) gives NULL through try(), and the row is rejected with its text.
_Q = "coalesce(list_position(['i', 'ii', 'iii', 'iv'], {g}), try_cast({g} AS INT))"
_ISO_WEEK_MONDAY = "(make_date(YEAR, 1, 4) - CAST(isodow(make_date(YEAR, 1, 4)) - 1 - 7 * (WEEK - 1) AS INT))"
_RULES = [
    (r"(?:nam )?(\d{4})", "make_date({g1}, 1, 1)", "make_date({g1}, 12, 31)"),
    (r"(?:thang |t)?(\d{1,2}) (?:nam )?(\d{4})", "make_date({g2}, {g1}, 1)", "last_day(make_date({g2}, {g1}, 1))"),
    (r"(\d{4}) (\d{1,2})", "make_date({g1}, {g2}, 1)", "last_day(make_date({g1}, {g2}, 1))"),
    (r"qu[yi] (i|ii|iii|iv|[1-4]) (?:nam )?(\d{4})", "make_date({g2}, 3 * {q1} - 2, 1)",
     "last_day(make_date({g2}, 3 * {q1}, 1))"),
    (r"q([1-4]) (\d{4})", "make_date({g2}, 3 * {g1} - 2, 1)", "last_day(make_date({g2}, 3 * {g1}, 1))"),
    (r"(\d{4}) q([1-4])", "make_date({g1}, 3 * {g2} - 2, 1)", "last_day(make_date({g1}, 3 * {g2}, 1))"),
    (r"(\d{4}) h([12])", "make_date({g1}, 6 * {g2} - 5, 1)", "last_day(make_date({g1}, 6 * {g2}, 1))"),
    # 9 months from January: cli.md's period 2022-9M
    (r"9 thang (?:dau )?(?:nam )?(\d{4})", "make_date({g1}, 1, 1)", "make_date({g1}, 9, 30)"),
    (r"(\d{4}) 9m", "make_date({g1}, 1, 1)", "make_date({g1}, 9, 30)"),
    (r"6 thang (dau|cuoi) nam (\d{4})", "make_date({g2}, CASE WHEN {x1} = 'dau' THEN 1 ELSE 7 END, 1)",
     "last_day(make_date({g2}, CASE WHEN {x1} = 'dau' THEN 6 ELSE 12 END, 1))"),
    (r"tuan (\d{1,2}) (?:nam )?(\d{4})", _ISO_WEEK_MONDAY.replace("YEAR", "{g2}").replace("WEEK", "{g1}"),
     _ISO_WEEK_MONDAY.replace("YEAR", "{g2}").replace("WEEK", "{g1}") + " + CAST(6 AS INT)"),
    (r"(\d{4}) w(\d{1,2})", _ISO_WEEK_MONDAY.replace("YEAR", "{g1}").replace("WEEK", "{g2}"),
     _ISO_WEEK_MONDAY.replace("YEAR", "{g1}").replace("WEEK", "{g2}") + " + CAST(6 AS INT)"),
    (r"(?:tu ngay |tu )?(\d{1,2}) (\d{1,2}) (\d{4}) (?:den ngay |den )?(\d{1,2}) (\d{1,2}) (\d{4})",
     "make_date({g3}, {g2}, {g1})", "make_date({g6}, {g5}, {g4})"),
    (r"(?:tu ngay |tu )?(\d{4}) (\d{1,2}) (\d{1,2}) (?:den ngay |den )?(\d{4}) (\d{1,2}) (\d{1,2})",
     "make_date({g1}, {g2}, {g3})", "make_date({g4}, {g5}, {g6})"),
]


def _rule_sql(pattern: str, first: str, last: str) -> str:
    full = f"^{pattern}$"

    def group(match) -> str:
        kind, n = match.group(1), match.group(2)
        text = f"regexp_extract(v, '{full}', {n})"
        return {"g": f"CAST({text} AS INT)", "q": _Q.replace("{g}", text), "x": text}[kind]

    def fill(template: str) -> str:
        # tokens {g1} (the group as a number), {q1} (a quarter, roman or not), {x1} (the group's text)
        return re.sub(r"\{([gqx])(\d)\}", group, template)
    return (f"WHEN regexp_full_match(v, '{pattern}') THEN "
            f"struct_pack(p_from := try({fill(first)}), p_to := try({fill(last)}))")


# period_766(text) → {p_from, p_to} (both NULL when the text is not a period, or names an impossible date).
PERIOD_MACRO_SQL = ("CREATE OR REPLACE TEMP MACRO period_766(x) AS (SELECT CASE "
                    + " ".join(_rule_sql(*r) for r in _RULES)
                    + " END FROM (SELECT norm_key(x) AS v));")

# Where a period starts in a title line ("BÁO CÁO CHỈ SỐ 766 QUÝ II/2022"): the text from one of these words on.
_TITLE_STARTS = ("tu ngay", "thang", "quy", "qui", "tuan", "nam", "6 thang", "9 thang")


def period_from_titles(con, title_rows: list[list]):
    """(from, to) of the first period written in the rows above the header, or None."""
    candidates = []
    for row in title_rows:
        for cell in row:
            key = norm_key(cell)
            for word in _TITLE_STARTS:
                start = key.find(word)
                while start >= 0:
                    candidates.append(key[start:])
                    start = key.find(word, start + 1)
    for text in candidates:
        found = con.execute("SELECT p.p_from, p.p_to FROM (SELECT period_766(?) AS p)", [text]).fetchall()
        if found and found[0][0] is not None and found[0][1] is not None:
            return found[0]
    return None
