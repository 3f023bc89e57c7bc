"""The day a dossier export was taken: a title's «đến ngày …», else the export's latest date not after today."""
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from common.formats import vn_int
from etl.dossiers.fields import FIELD_LABELS
from etl.dossiers.load_notes import rows_text, sheet_place

VIETNAM = timezone(timedelta(hours=7))   # no daylight saving; no tz database needed
# 'đến ngày 30/06/2022', also 'Đến ngày: 30.06.2022' (a colon, dots as every date of an export may have them)
# «đến ngày 31/03/2024», also «Từ 01/01/2024 đến 31/03/2024», «Số liệu tính đến 31/03/2024» (probe 37)
_UNTIL = re.compile(r"đến\s+(?:ngày\s*)?:?\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)", re.IGNORECASE)
# the same with a year of two digits («đến 31/03/24»): not read (a year is written whole), said
_UNTIL_SHORT_YEAR = re.compile(r"đến\s+(?:ngày\s*)?:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(?!\d)", re.IGNORECASE)


def short_year_title(title_rows: list[list]) -> str | None:
    """A title's «đến dd/mm/yy» (a year of two digits, not read as the snapshot day), as written, or None."""
    for row in title_rows:
        for cell in row:
            found = _UNTIL_SHORT_YEAR.search(unicodedata.normalize("NFC", str(cell or "")))
            if found:
                return found.group(0)
    return None


def snapshot_from_titles(title_rows: list[list]) -> date | None:
    """The 'đến ngày dd/mm/yyyy' of a report title: the day the export was taken."""
    for row in title_rows:
        for cell in row:
            found = _UNTIL.search(unicodedata.normalize("NFC", str(cell or "")))   # a title typed in NFD too
            if found:
                d, m, y = (int(g) for g in found.groups())
                try:
                    return date(y, m, d)
                except ValueError:
                    return None
    return None


def vietnam_today() -> date:
    """Today in Vietnam (UTC+7), whatever the server's clock zone: an export's times are Vietnam's, and on a UTC
    server a dossier received before 07:00 would otherwise be «after today»."""
    return datetime.now(VIETNAM).date()


def latest_date_of_staged(con) -> date | None:
    """The staged sheet's latest receipt, result or hand-over date not after today (None: none): the day a sheet
    without --as-of or a title date was taken (snapshot_from_dates), read before loading by a file of several
    sheets, whose sheets share the latest of theirs (etl/dossiers/kind.py file_snapshot)."""
    return _latest_and_future(con, "classified WHERE _skip IS NULL AND _reject IS NULL")[0]


_SNAPSHOT_DATES = ("received_at", "finished_at", "returned_at")


def _latest_and_future(con, rows: str) -> tuple[date | None, list[int], list[str]]:
    """The latest receipt, result or hand-over date not after today; the rows holding a date after today, and the
    fields those dates stand in. Each date is judged alone: a result typed 2204 leaves the row's receipt of 20/03
    counted (probe 35: the whole row was left out, the snapshot fell a day before it, and a warning then blamed its
    receipt)."""
    dates = [(f, f"CAST(_ts_{f} AS DATE)") for f in _SNAPSHOT_DATES]
    latest, future, fields = con.execute(f"""
        SELECT max(greatest({', '.join(f"CASE WHEN {d} <= $today THEN {d} END" for _, d in dates)})),
               list(_row ORDER BY _row) FILTER (WHERE {' OR '.join(f"{d} > $today" for _, d in dates)}),
               [{', '.join(f"bool_or({d} > $today)" for _, d in dates)}]
        FROM {rows}""", {"today": vietnam_today()}).fetchall()[0]
    return latest, future or [], [f for (f, _), held in zip(dates, fields) if held]


def snapshot_from_dates(con, sheet: str | None) -> tuple[date, list[str]]:
    """The day an export without --as-of or a title 'đến ngày' was taken: its latest receipt, result or hand-over
    date — but not one after today, which no export can hold (a year typed 2032 for 2022 made 2032 the snapshot,
    and every later export of the same dossiers was then older and left them unchanged). Those rows are said."""
    latest, future, fields = _latest_and_future(con, "kept")
    snapshot = latest or vietnam_today()
    if not future:
        return snapshot, []
    where = sheet_place(sheet)
    columns = ", ".join(f"«{FIELD_LABELS[f]}»" for f in fields)
    return snapshot, [f"{vn_int(len(future))} hồ sơ có ngày sau hôm nay ở cột {columns} ({where}dòng "
                      f"{rows_text(future)}): tệp không "
                      f"ghi ngày chụp số liệu, nên ngày chụp được lấy là ngày muộn nhất không ở tương lai, "
                      f"{snapshot:%d/%m/%Y}. Hãy kiểm tra năm của các ngày đó, hoặc nạp lại với --as-of YYYY-MM-DD."]


def snapshot_after_title(con, title_date: date, sheet: str | None) -> tuple[date, list[str]]:
    """A title's «đến ngày» is the end of the period the report covers; the export may be taken later and then
    shows the results given since (a December report printed in January lists a result of 18/01). The snapshot is
    then the latest such date (not after today): with the title's date, the January result was older than a mid-
    January export of the dossier still pending, which took it back (probe 45). Said, with the rows."""
    latest, _, _ = _latest_and_future(con, "kept")
    if latest is None or latest <= title_date:
        return title_date, []
    rows = [r[0] for r in con.execute(f"""SELECT _row FROM kept WHERE {' OR '.join(
        f"CAST(_ts_{f} AS DATE) BETWEEN $after AND $latest" for f in _SNAPSHOT_DATES)} ORDER BY _row""",
        {"after": title_date + timedelta(days=1), "latest": latest}).fetchall()]
    return latest, [f"Dòng tiêu đề ghi số liệu đến ngày {title_date:%d/%m/%Y}, nhưng {vn_int(len(rows))} hồ sơ có ngày "
                    f"tiếp nhận, có kết quả hay trả kết quả sau ngày đó ({sheet_place(sheet)}dòng {rows_text(rows)}): "
                    f"tệp được xuất muộn hơn, nên ngày chụp số liệu được lấy là {latest:%d/%m/%Y} — tệp xuất trước "
                    "ngày đó không thay được kết quả tệp này ghi."]
