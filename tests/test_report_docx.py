"""`python -m indicators report --format docx|zip`: the Word document read back with python-docx — ND 30/2020 page,
margins, font, header texts, numbered sections, "Nơi nhận" and signature — and every figure of its sentences found
among the values of the report JSON of the same command (one engine); the pack per unit; the workbook's sheets."""
import json
import os
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from docx import Document

from common.formats import vn_int, vn_number, vn_percent
from exports.report_docx import change_percent
from exports.report_xlsx import SHEETS
from tests.conftest import ROOT

PERIOD = ["--period", "2022-Q2", "--official"]


def run(db, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def city(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "bao_cao.docx"
    proc = run(demo_db, "report", *PERIOD, "--format", "docx", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    proc = run(demo_db, "report", *PERIOD, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return Document(str(out)), json.loads(proc.stdout)


def _texts(doc) -> list[str]:
    """Every paragraph's text in document order, the header and closing tables' cells included."""
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return [t.replace("\u00a0", " ") for t in out]   # "99,70 %" is written with a no-break space


def _body(doc, first: str, last: str) -> list[str]:
    """Body paragraphs (not headings) from the heading starting with `first` to the one starting with `last`."""
    texts = [p.text.replace("\u00a0", " ") for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith(first))
    end = next(i for i, t in enumerate(texts) if t.startswith(last))
    # Headings, table captions and the notes under tables name things ("Biểu số 06a"), they state no figure.
    return [t for t in texts[start + 1:end]
            if t and not re.match(r"^(\d|[IV]+)\. |^Bảng \d|^Chi tiết", t)]


def test_page_font_and_header_follow_nd30(city):
    doc, report = city
    section = doc.sections[0]
    assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5   # A4 portrait
    assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt in (13, 14)
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text.strip()]
    assert runs and all(r.font.name in (None, "Times New Roman") for r in runs)
    body_sizes = {r.font.size.pt for p in doc.paragraphs for r in p.runs if r.text.strip() and r.font.size}
    assert 14 in body_sizes
    texts = _texts(doc)
    for expected in ("UBND THÀNH PHỐ HỒ CHÍ MINH", "SỞ NỘI VỤ", "Số: …/BC-SNV", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"):
        assert expected in texts, expected
    assert any(t.startswith("Thành phố Hồ Chí Minh, ngày … tháng … năm ") for t in texts)
    # The title names the official window.
    assert "Kết quả công tác cải cách hành chính Quý II/2022" in texts
    assert "(Kỳ báo cáo chính thức: từ ngày 15/03/2022 đến ngày 14/06/2022)" in texts
    headings = [p.text for p in doc.paragraphs if re.match(r"^[IV]+\. ", p.text)]
    assert headings == ["I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ, GIẢI PHÁP KỲ TỚI",
                        "IV. KIẾN NGHỊ"]
    # The sample has the 2022 plans: section I.5 words the plan tasks of the report JSON at the window's end.
    tasks = report["plan_tasks"]
    assert tasks["tasks"] > 0
    assert (f"Kế hoạch cải cách hành chính có {vn_int(tasks['tasks'])} nhiệm vụ: đã hoàn thành {vn_int(tasks['done'])}, "
            f"đang thực hiện {vn_int(tasks['under_way'])}, quá hạn chưa hoàn thành {vn_int(tasks['overdue'])}.") in texts


def _expected_numbers(report: dict) -> set[str]:
    """Every value of the report JSON as the document may print it: counts, rates in %, points, 766 scores;
    lengths of lists (units below target); the relative change of received dossiers against the period before."""
    out = {"100"}

    def walk(v):
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, int):
            out.add(vn_int(v))
        elif isinstance(v, float):
            out.update({vn_percent(v).split(" ")[0], vn_number(abs(v), 2), vn_number(v, 2), vn_number(abs(v), 1),
                        vn_number(v, 0)})
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            out.add(vn_int(len(v)))
            for x in v:
                walk(x)
    walk(report)
    change = change_percent(report["counts"]["received_new"], report["previous"]["counts"]["received_new"])
    out.add(vn_number(abs(change), 1))
    return out


_DATES_AND_NAMES = re.compile(r"\d{2}/\d{2}/\d{4}|\d+/QĐ-TTg|(?:[Qq]uý [IV]+|[Tt]háng \d{2}|[Nn]ăm)[ /]\d{4}")


def test_every_figure_in_the_sentences_is_a_figure_of_the_report_json(city):
    doc, report = city
    expected = _expected_numbers(report)
    paragraphs = _body(doc, "I. ", "III. ")
    assert len(paragraphs) >= 8
    found = 0
    for text in paragraphs:
        for token in re.findall(r"\d[\d.]*(?:,\d+)?", _DATES_AND_NAMES.sub(" ", text)):
            token = token.rstrip(".")
            assert token in expected, (token, text)
            found += 1
    assert found >= 40
    # The key sentences, figure by figure.
    c, on_time = report["counts"], next(s for s in report["scorecard"] if s["id"] == "on_time_rate")
    first = next(t for t in paragraphs if t.startswith("Trong quý II/2022, toàn Thành phố tiếp nhận mới"))
    for figure in (c["received_new"], c["received_online"], c["carried_over"], c["total_to_handle"], c["resolved"],
                   c["resolved_early"], c["resolved_on_time"], c["resolved_late"], c["returned"], c["pending"],
                   c["pending_overdue"]):
        assert vn_int(figure) in first, figure
    assert f"tiếp nhận mới {vn_int(c['received_new'])} hồ sơ" in first
    rate = next(t for t in paragraphs if t.startswith("Tỷ lệ giải quyết hồ sơ đúng hạn, trước hạn đạt"))
    assert f"đạt {vn_percent(on_time['value'])}" in rate and "chỉ tiêu (> 99 %)" in rate
    # Table 1: the form's section subtotals and total.
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Cấp, đơn vị")
    total = [cell.text.replace("\u00a0", " ") for cell in table.rows[-1].cells]
    f = report["form06a"]["total"]
    assert total == ["Tổng cộng", *(vn_int(f[k]) for k in ("c3", "c4", "c7", "c10", "c11", "c13"))]


def test_a_unit_document_with_other_settings_and_the_pack(fixture_db, tmp_path):
    settings = tmp_path / "tinh.toml"
    settings.write_text('[document]\ngoverning_body = "UBND TỈNH ĐỒNG NAI"\nplace = "Đồng Nai"\n'
                        'unit_recipients = ["{unit};", "Lưu: VT."]\n', encoding="utf-8")
    env = {"CCHC_SETTINGS": str(settings)}
    out = tmp_path / "q3.docx"
    proc = run(fixture_db, "report", "--period", "2022", "--unit", "Quận 3", "--format", "docx", "--out", str(out),
               env=env)
    assert proc.returncode == 0, proc.stderr
    texts = _texts(Document(str(out)))
    assert "UBND TỈNH ĐỒNG NAI" in texts and "SỞ NỘI VỤ" in texts   # the file's value, the default beside it
    assert any(t.startswith("Đồng Nai, ngày") for t in texts) and "- Quận 3;" in texts
    assert "của Quận 3" in texts
    assert any("Chưa có dữ liệu khảo sát Chỉ số hài lòng SIPAS năm 2022 của Quận 3" in t for t in texts)

    pack = tmp_path / "goi.zip"
    proc = run(fixture_db, "report", "--period", "2022", "--by", "unit", "--format", "zip", "--out", str(pack))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(pack) as z:
        names = sorted(z.namelist())
        # The units right below the city: two departments and a district, a workbook and a document each.
        stems = {n.rsplit(".", 1)[0] for n in names if n.endswith((".xlsx", ".docx"))}
        assert stems == {"bao_cao_Nam_2022_So_Ke_hoach_va_Dau_tu", "bao_cao_Nam_2022_So_Tu_phap",
                         "bao_cao_Nam_2022_Quan_3"}
        assert all(f"{s}.xlsx" in names and f"{s}.docx" in names for s in stems)
        z.extract("bao_cao_Nam_2022_Quan_3.xlsx", tmp_path)
        z.extract("bao_cao_Nam_2022_Quan_3.docx", tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "bao_cao_Nam_2022_Quan_3.xlsx")
    assert wb.sheetnames == list(SHEETS)
    assert wb["Biểu 06a"]["J1"].value == "Biểu số 06a/VPCP/KSTT"
    assert "Báo cáo" not in wb.sheetnames and "Quận 3" in wb["Tổng hợp"]["A1"].value
    assert "BÁO CÁO" in _texts(Document(str(tmp_path / "bao_cao_Nam_2022_Quan_3.docx")))
    proc = run(fixture_db, "report", "--period", "2022", "--by", "field", "--format", "zip", "--out", str(pack))
    assert proc.returncode == 2 and "--by district, department hoặc unit" in proc.stderr
