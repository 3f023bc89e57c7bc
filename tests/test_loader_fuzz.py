"""The fuzz corpus of issue #11: exports mutated by a generator written here (header typos, shuffled columns, date
forms, padding, truncation, encodings, line endings, quotes, huge cells, many columns, two and hidden sheets, merged
cells, formulas, footers, renamed non-spreadsheets), loaded in one process. The generator knows what it wrote —
each line under the header, each code, each received date — so nothing expected comes from the loader: every file
is loaded or refused as expected, no traceback, every line loaded, rejected or skipped, every value as written."""
import csv
import io
import random
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from etl import importer
from etl.core.database import connect
from etl.core.errors import ImportFailure
from tests.conftest import FIXTURES

with open(FIXTURES / "units.csv", encoding="utf-8") as _f:   # unit names from the fixtures
    UNITS = [r["name"] for r in csv.DictReader(_f)][:6]
PROCEDURES = ["Đăng ký khai sinh", "Chứng thực bản sao", "Cấp giấy phép xây dựng"]
HEADER = ["STT", "Mã hồ sơ", "Đơn vị tiếp nhận", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả"]
TITLES = ["ỦY BAN NHÂN DÂN QUẬN 3", "BÁO CÁO CHI TIẾT HỒ SƠ"]
MINUTE = "%Y-%m-%d %H:%M"


@dataclass
class Line:
    cells: list                  # what is written (None = empty cell)
    kind: str                    # 'loaded' | 'rejected' | 'skipped'
    code: str | None = None
    received: str | None = None  # expected received_at of a loaded line, 'YYYY-MM-DD HH:MM'


@dataclass
class Case:
    name: str
    data: bytes | None = None          # the file's bytes (csv, renamed files), or
    sheets: list = field(default_factory=list)   # xlsx: (title, rows, options)
    lines: list[Line] = field(default_factory=list)   # the lines under the header, in order
    rejected_rows: list[int] = field(default_factory=list)
    refused: str | None = None          # a word the refusal must contain


def records(prefix: str, n: int = 8, seed: int = 0, date_format: str = "%d/%m/%Y %H:%M") -> list[Line]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        received = datetime(2022, 3, 1 + i, 7 + i % 9, rng.choice((0, 15, 30, 45)))
        cells = [str(i + 1), f"{prefix}-{i + 1:04d}", UNITS[i % len(UNITS)], PROCEDURES[i % 3],
                 received.strftime(date_format), (received + timedelta(days=3)).strftime("%d/%m/%Y")]
        shown = datetime.strptime(received.strftime(date_format), date_format)   # what the text says
        out.append(Line(cells, "loaded", cells[1], shown.strftime(MINUTE)))
    return out


def csv_bytes(lines: list[Line], *, header=HEADER, titles=TITLES, delim=",", eol="\r\n", encoding="utf-8",
              quoting=csv.QUOTE_MINIMAL) -> tuple[bytes, list[int]]:
    """The file and the line number each of `lines` starts on (line breaks inside quoted cells counted)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim, lineterminator=eol, quoting=quoting)
    for t in titles:
        writer.writerow([t])
    writer.writerow(header)
    starts = []
    for line in lines:
        starts.append(buf.getvalue().count("\n") + (buf.getvalue().count("\r") if eol == "\r" else 0) + 1)
        writer.writerow(["" if c is None else c for c in line.cells])
    text = buf.getvalue()
    return (text.encode(encoding) if encoding != "cp1258" else cp1258(text)), starts


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: a base letter (with its hat or horn) and a combining tone."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            hat = next((m for m in marks if m in "\u0302\u0306\u031b"), None)   # ^ ˘ and the horn: the letter's
            if hat:
                base, marks = unicodedata.normalize("NFC", base + hat), [m for m in marks if m != hat]
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def csv_case(name: str, lines: list[Line], **options) -> Case:
    data, starts = csv_bytes(lines, **options)
    return Case(name, data=data, lines=lines, rejected_rows=[s for s, ln in zip(starts, lines) if ln.kind == "rejected"])


def reject(line: Line) -> Line:
    line.kind, line.received = "rejected", None
    return line


def skip(cells) -> Line:
    return Line(cells, "skipped")


def cases() -> list[Case]:
    out = [csv_case("01_plain.csv", records("PL"))]
    # header typos the aliases absorb: no diacritics, case, spaces, a '(dd/mm/yyyy)' note
    out.append(csv_case("02_header_typos.csv", records("HT"), header=[
        "stt", "MA HO SO", "  don vi tiep nhan ", "Ten thu tuc", "Ngay tiep nhan (dd/mm/yyyy)", "NGÀY HẸN TRẢ"]))
    out.append(Case("03_required_header_misspelled.csv",
                    data=csv_bytes(records("MS"), header=["STT", "Mã hồ sươ", *HEADER[2:]])[0], refused="Mã hồ sơ"))
    order = [4, 2, 0, 5, 1, 3]
    shuffled = records("SH", seed=3)
    for line in shuffled:
        line.cells = [line.cells[j] for j in order]
    out.append(csv_case("04_shuffled.csv", shuffled, header=[HEADER[j] for j in order]))
    # date forms: each line its own separator, width and precision, all day first
    forms = ["%d/%m/%Y %H:%M", "%d-%m-%Y", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S",
             "%d-%m-%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d"]
    dated = [records("DF", n=8, seed=i, date_format=f)[i] for i, f in enumerate(forms)]
    for line in dated[:4]:   # narrow forms: 3-4-2022, 3/4/2022 08:05
        d = datetime.strptime(line.received, MINUTE)
        line.cells[4] = f"{d.day}-{d.month}-{d.year}" if line is dated[0] else f"{d.day}/{d.month}/{d.year} {d:%H:%M}"
        line.received = (d if line is not dated[0] else d.replace(hour=0, minute=0)).strftime(MINUTE)
    dated.append(reject(Line(["9", "DF-0009", UNITS[0], "x", "03/10/22", ""], "rejected", "DF-0009")))  # 2-digit year
    out.append(csv_case("05_date_forms.csv", dated))
    padded = records("PD", seed=5)
    for i, line in enumerate(padded):
        pad = [" ", "\t", "\u00a0", "\n", " \t "][i % 5]
        line.cells = [f"{pad}{c}{pad}" if j in (1, 2, 4) else c for j, c in enumerate(line.cells)]
    out.append(csv_case("06_padding.csv", padded))
    cut = records("TR")
    data, starts = csv_bytes(cut)
    last = data.rfind(b"\r\n", 0, len(data) - 2) + 2
    data = data[:last] + b",".join(data[last:].split(b",")[:3])          # the last line ends after its unit
    reject(cut[-1])
    out.append(Case("07_truncated.csv", data=data, lines=cut, rejected_rows=[starts[-1]]))
    for enc in ("utf-8-sig", "utf-16", "utf-16-be", "cp1258"):
        out.append(csv_case(f"08_{enc}.csv", records("EN", seed=8), encoding=enc))
    # Windows-1258 whose first 200 KB are ASCII: the encoding is decided on the whole file
    ascii_head = [Line([str(i), f"AH-{i:05d}", "Q3", "x", "01/03/2022 08:00", ""], "loaded", f"AH-{i:05d}",
                       "2022-03-01 08:00") for i in range(5000)]
    out.append(csv_case("08_cp1258_after_200kb.csv", ascii_head + records("AV", seed=9), encoding="cp1258", titles=(),
                        header=["STT", "MaHoSo", "DonVi", "TenTTHC", "NgayTiepNhan", "NgayHenTra"]))
    for eol_name, eol in (("lf", "\n"), ("cr", "\r")):
        out.append(csv_case(f"09_eol_{eol_name}.csv", records("EL" + eol_name.upper()), eol=eol))
    mixed = records("EM")
    data, _ = csv_bytes(mixed, eol="\n")
    rng, parts = random.Random(9), data.split(b"\n")
    data = b"".join(p + rng.choice([b"\n", b"\r", b"\r\n"]) for p in parts[:-1]) + parts[-1]
    out.append(Case("09_eol_mixed.csv", data=data, lines=mixed))
    quoted = records("QA")
    quoted[1].cells[3] = 'Khai "sinh", lần 2'
    quoted[2].cells[3] = "Ghi chú dòng một,\ndòng hai"
    out.append(csv_case("10_quotes_all.csv", quoted, quoting=csv.QUOTE_ALL))
    stray = records("QS", n=12)
    stray[3].cells[3] = '"Đăng ký khai tử'
    stray[8].cells[3] = 'Chứng thực"'
    reject(stray[3])
    data, starts = _unquoted(stray)
    out.append(Case("10_stray_quote.csv", data=data, lines=stray, rejected_rows=[starts[3]]))
    big = records("HC", n=5)
    big[1].cells[3] = "x" * 200_000
    big[3].cells[3] = "y" * 1_500_000
    reject(big[3])
    out.append(csv_case("11_huge_cells.csv", big))
    wide = records("MC")
    for line in wide:
        line.cells = line.cells + [None] * 1000
    out.append(csv_case("12_many_columns.csv", wide, header=HEADER + [f"Cột {i}" for i in range(1000)]))
    stray_cell = records("SC")
    stray_cell[2].cells = stray_cell[2].cells + [None] * 900 + ["lạc"]
    out.append(csv_case("12_stray_cell.csv", stray_cell))
    out.append(csv_case("13_semicolon.csv", records("SM"), delim=";"))
    out.append(csv_case("13_tab.csv", records("TB"), delim="\t", titles=()))
    footer = records("FT", n=6)
    footer.insert(3, skip([None] * 6))
    footer[5:5] = [skip(["Cộng", "3", None, None, None, None])]
    footer[-1].cells[4] = ""       # a code after a subtotal line, without a date: rejected, never skipped
    reject(footer[-1])
    footer += [skip(["Tổng cộng", "6", None, None, None, None]), skip([]),
               skip([None, "Người lập biểu", None, None, "Thủ trưởng đơn vị", None]),
               skip([None, "(Ký, ghi rõ họ tên)", None, None, None, None]), skip([None, "Nguyễn Văn Ký", None, None,
                                                                                  "Trần Thị Duyệt", None])]
    out.append(csv_case("14_footer.csv", footer))
    pii = records("PI")
    for line in pii:
        line.cells = line.cells + ["Nguyễn Văn PII", "09PII", "PII Lê Lợi"]
    out.append(csv_case("15_personal_data.csv", pii, header=HEADER + ["Ho ten nguoi nop", "SĐT liên hệ",
                                                                     "Địa chỉ thường trú"]))
    out += xlsx_cases()
    out += [Case("20_pdf_as.xlsx", data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", refused="Excel"),
            # text named .xls is read as the CSV it is (Excel opens it too): refused for its missing column
            Case("20_text_as.xls", data="Mã hồ sơ,Đơn vị\n".encode(), refused="Ngày tiếp nhận"),
            Case("20_zip_as.xlsx", data=_zip_bytes(), refused="Excel"),
            Case("20_png_as.csv", data=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, refused="Tệp"),
            Case("20_empty.csv", data=b"", refused="rỗng")]
    return out


def _unquoted(lines: list[Line]) -> tuple[bytes, list[int]]:
    """Cells joined by commas as a careless exporter writes them: no quoting, whatever the cell holds."""
    rows = [",".join(TITLES[:1]), ",".join(HEADER)] + [",".join(c or "" for c in ln.cells) for ln in lines]
    return ("\n".join(rows) + "\n").encode(), [3 + i for i in range(len(lines))]


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def xlsx_cases() -> list[Case]:
    def as_dates(lines):   # real Excel date-time cells
        for ln in lines:
            ln.cells[4] = datetime.strptime(ln.received, MINUTE)
        return lines
    basic = as_dates(records("XB"))
    one = records("X1", n=4)
    two = as_dates(records("X2", n=5))
    merged = records("XM", n=5)
    for ln in merged[1:4]:
        ln.cells[2] = None
    merged_rows = 3 + 1   # the merged unit cell sits on the first record's row (titles 1–2, header 3)
    hidden = records("XH", n=3)
    formula = records("XF", n=3)
    footer = records("XT", n=4) + [skip([None, "Người lập biểu", None, None, None, None]),
                                   skip([None, "Lê Văn Ký", None, None, None, None])]
    return [
        Case("16_basic.xlsx", sheets=[("Hồ sơ", basic, {})], lines=basic),
        Case("17_two_sheets.xlsx", sheets=[("Tháng 1", one, {}), ("Tháng 2", two, {})], lines=one + two),
        Case("18_merged_unit.xlsx", sheets=[("Hồ sơ", merged, {"merge": f"C{merged_rows}:C{merged_rows + 3}"})],
             lines=merged),
        Case("18_hidden_sheet.xlsx", sheets=[("Hồ sơ", hidden, {}), ("Nháp", records("XN", n=3), {"hidden": True})],
             lines=hidden),
        Case("19_formula_without_value.xlsx", sheets=[("Hồ sơ", formula, {"formula": ("B5", '="XF-"&"0002"')})],
             refused="LibreOffice"),
        Case("19_signatures_without_totals.xlsx", sheets=[("Sổ", footer, {})], lines=footer),
    ]


def write_xlsx(path: Path, sheets) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for title, lines, options in sheets:
        ws = wb.create_sheet(title)
        for t in TITLES:
            ws.append([t])
        ws.append(HEADER)
        for ln in lines:
            ws.append(ln.cells)
        if "merge" in options:
            ws.merge_cells(options["merge"])
        if "formula" in options:
            ws[options["formula"][0]] = options["formula"][1]
        if options.get("hidden"):
            ws.sheet_state = "hidden"
    wb.save(path)


def excel_rows(case: Case) -> list[int]:
    rows = []
    for _, lines, _ in case.sheets:
        rows += [len(TITLES) + 2 + i for i, ln in enumerate(lines) if ln.kind == "rejected"]
    return rows


CASES = cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every case written and loaded once, in one process and one database; (case, result or error) by name."""
    folder = tmp_path_factory.mktemp("corpus")
    con = connect(folder / "cchc.duckdb")
    outcomes = {}
    for case in CASES:
        path = folder / case.name
        if case.sheets:
            write_xlsx(path, case.sheets)
        else:
            path.write_bytes(case.data)
        try:
            outcomes[case.name] = importer.import_file(con, path, source=case.name)
        except ImportFailure as exc:   # any other exception is a crash: the test fails with its traceback
            outcomes[case.name] = str(exc)
    yield con, outcomes
    con.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_file(corpus, case):
    con, outcomes = corpus
    outcome = outcomes[case.name]
    if case.refused:
        assert isinstance(outcome, str) and case.refused in outcome, outcome
        assert con.execute("SELECT count(*) FROM dossiers WHERE source = ?", [case.name]).fetchall()[0][0] == 0
        return
    assert isinstance(outcome, dict), outcome
    r = outcome
    want_loaded = {ln.code: ln.received for ln in case.lines if ln.kind == "loaded"}
    got = dict(con.execute("SELECT dossier_code, strftime(received_at, '%Y-%m-%d %H:%M') FROM dossiers "
                           "WHERE source = ?", [case.name]).fetchall())
    assert got == want_loaded                                      # no loss, no wrong code or date
    rejected = sorted(r[0] for r in con.execute("SELECT row_number FROM rejected_rows WHERE file_name = ?",
                                                [case.name]).fetchall())
    assert rejected == sorted(case.rejected_rows or excel_rows(case))   # rejected lines are the ones expected
    kinds = [ln.kind for ln in case.lines]
    assert (r["rows_total"], r["rows_loaded"], r["rows_rejected"], r["rows_skipped"]) == (
        len(kinds), kinds.count("loaded"), kinds.count("rejected"), kinds.count("skipped"))
    assert r["rows_read"] == r["rows_loaded"] + r["rows_updated"] + r["rows_unchanged"] + r["rows_rejected"]


def test_corpus_never_stores_personal_data(corpus):
    con, outcomes = corpus
    stored = con.execute("""SELECT string_agg(x::VARCHAR, '|') FROM (SELECT r FROM raw_dossier_rows r
                            UNION ALL SELECT r FROM rejected_rows r) t(x)""").fetchall()[0][0]
    assert "PII" not in stored and "Ký" not in stored and "Duyệt" not in stored
    assert outcomes["15_personal_data.csv"]["dropped_columns"] == ["Ho ten nguoi nop", "SĐT liên hệ",
                                                                    "Địa chỉ thường trú"]
    assert outcomes["18_hidden_sheet.xlsx"]["hidden_sheets"] == ["Nháp"]
    # two title lines and the header above: the third record is line 6
    assert outcomes["12_stray_cell.csv"]["ignored_columns"][-1] == "cột 907, dòng 6 (không có tiêu đề)"
