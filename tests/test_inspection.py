"""The inspection pack of one unit (reporting.md §4, #15 item 3): `python -m indicators inspection` on a hand-built
database (a district with five dossiers and a plan, counted by hand in the comments) and the pack of Sở Kế hoạch và
Đầu tư on the demo sample, read back from the Word document (python-docx) and the workbook (openpyxl) — every figure
equal to what the dashboard's own functions return, the sample's published figures and the plan's 10/47 sentence."""
import json
import re
import subprocess
import sys
import zipfile
from datetime import date

import duckdb
import openpyxl
import pytest
from docx import Document

from common.formats import vn_date, vn_int, vn_percent, vn_score, vn_target, vn_value
from etl.importer import import_paths
from exports.inspection_docx import write_inspection_docx
from exports.inspection_xlsx import write_inspection_xlsx
from indicators import (Period, compute_index766, compute_sipas, list_late_dossiers, points_lost_by_area,
                        unit_task_status, weakest_criteria)
from indicators.dashboard import compute_ranking, compute_scorecard
from indicators.inspection import DIGITAL_INDICATORS, RANKED_INDICATORS, compute_inspection
from tests.builders import PLAN_UNITS, ROOT, q3_plan, q3_report_ticks

RISKY = '=HYPERLINK("http://x","bấm")'   # a procedure name a spreadsheet would run as a formula
QUESTIONS = "VIII. CÂU HỎI ĐỀ NGHỊ ĐƠN VỊ LÀM RÕ"

# code, unit, received, due, finished, status, procedure name, apology letter; the period is Quý III/2022.
SMALL_DOSSIERS = [
    # C: received 20/6 (carried over), finished 5/7 after due 1/7 → resolved late, 4 days; no apology letter
    ("Q3-C", "Q3", "2022-06-20 08:00", "2022-07-01 17:00", "2022-07-05 10:00", 10, RISKY, False),
    # A: finished 12/7 after due 8/7 → resolved late, 4 days; apology letter given
    ("Q3-A", "Q3", "2022-07-04 08:00", "2022-07-08 17:00", "2022-07-12 10:00", 10, "Cấp giấy phép xây dựng", True),
    # B: not finished, due 5/8 < 30/9 → pending overdue, 30/9 − 5/8 = 56 days; apology not recorded: unknown (its
    # export had no such column — not «no letter», as apology_rate leaves it out; the pack asked the unit for it)
    ("Q3-B", "Q3", "2022-08-01 08:00", "2022-08-05 17:00", None, 4, "Đăng ký hộ kinh doanh", None),
    # D: finished 15/7 before due 20/7 → early
    ("Q3-D", "Q3", "2022-07-10 08:00", "2022-07-20 17:00", "2022-07-15 10:00", 10, "Đăng ký hộ kinh doanh", None),
    # E: finished on the due day → on time
    ("Q3-E", "Q3", "2022-09-01 08:00", "2022-09-10 17:00", "2022-09-10 09:00", 10, "Cấp giấy phép xây dựng", None),
    # STP, SNV: departments (other peers), one on time each
    ("STP-A", "STP", "2022-07-05 08:00", "2022-07-10 17:00", "2022-07-09 10:00", 10, "Chứng thực", None),
    ("SNV-A", "SNV", "2022-07-05 08:00", "2022-07-10 17:00", "2022-07-09 10:00", 10, "Thi đua", None),
]
# Quận 3 in Quý III/2022: late 3 = resolved late 2 (C, A) + pending overdue 1 (B); oldest first C (20/6), A (4/7),
# B (1/8); without an apology letter 1: C (B unknown). Resolved 4 (C, A, D, E), in time 2 (D, E): 50,00 %.
LATE_ORDER = ["Q3-C", "Q3-A", "Q3-B"]
RESOLVED_LATE, PENDING_OVERDUE = "Đã giải quyết quá hạn", "Đang giải quyết quá hạn"
NO_APOLOGY_ORDER = ["Q3-C"]


def run(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", "inspection", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    d = tmp_path_factory.mktemp("inspection")
    (d / "units.csv").write_text(PLAN_UNITS, encoding="utf-8")
    db = d / "small.duckdb"
    _, errors = import_paths(db, [d / "units.csv", q3_report_ticks(d / "tien_do_30_9.xlsx"),
                                  q3_plan(d / "ke_hoach_q3.xlsx")], swap=False)
    assert errors == []
    con = duckdb.connect(str(db))
    con.executemany(
        "INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at, due_at, finished_at,"
        " status_code, result_type, supplement_count, procedure_name, is_apology_issued, snapshot_date, import_id,"
        " row_number, row_hash) VALUES ('test', ?, ?, ?, 'direct', ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, ?,"
        " CASE WHEN ? = 10 THEN 'result' END, 0, ?, ?, DATE '2022-09-30', 1, 1, 0)",
        [(c, u, u, rec, due, fin, st, st, proc, apology) for c, u, rec, due, fin, st, proc, apology in SMALL_DOSSIERS])
    con.close()
    args = ["--unit", "Quận 3", "--as-of", "2022-09-30", "--period", "2022-Q3", "--calendar"]
    proc = run(db, *args)
    assert proc.returncode == 0, proc.stderr
    files = {}
    for fmt in ("docx", "xlsx"):
        files[fmt] = d / f"q3.{fmt}"
        done = run(db, *args, "--format", fmt, "--out", str(files[fmt]))
        assert done.returncode == 0, done.stderr
    return db, json.loads(proc.stdout), Document(str(files["docx"])), openpyxl.load_workbook(files["xlsx"])


def _text(s: str) -> str:
    return s.replace("\u00a0", " ")


def _table(doc, first_header: str, index: int = 0) -> list[list[str]]:
    """The rows (header first) of the index-th table whose first header cell is first_header."""
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == first_header]
    return [[_text(c.text) for c in row.cells] for row in tables[index].rows]


def _after(doc, heading: str) -> list[str]:
    texts = [_text(p.text) for p in doc.paragraphs]
    start = texts.index(heading)
    return [t for t in texts[start + 1:] if t]


def _sheet_table(ws, first_header: str, index: int = 0) -> list[tuple]:
    """The rows under the index-th header row starting with first_header, up to the first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    starts = [i for i, r in enumerate(rows) if r[0] == first_header]
    out = []
    for r in rows[starts[index] + 1:]:
        if r[0] is None:
            break
        out.append(r)
    return out


# ---------------------------------------------------------------------------------------------------------
# The hand-built district.

def test_small_pack_counted_by_hand(small):
    _, pack, _, _ = small
    assert (pack["unit"], pack["from"], pack["to"], pack["as_of"]) == ("Q3", "2022-07-01", "2022-09-30", "2022-09-30")
    assert (pack["counts"]["received_new"], pack["counts"]["carried_over"], pack["counts"]["resolved"]) == (4, 1, 4)
    late = pack["late"]
    assert (late["total_count"], late["counts"]) == (3, {"resolved_late": 2, "pending_overdue": 1})
    assert [r["dossier_code"] for r in late["rows"]] == LATE_ORDER                     # oldest first
    assert [r["days_late"] for r in late["rows"]] == [4, 4, 56]
    assert [r["dossier_code"] for r in late["apology_missing"]["rows"]] == NO_APOLOGY_ORDER
    assert late["apology_unknown"] == 1   # B: its export said nothing of the letter
    on_time = next(c for c in pack["scorecard"] if c["id"] == "on_time_rate")
    assert (on_time["numerator"], on_time["denominator"], on_time["value"]) == (2, 4, 0.5)
    # Quận 3 at 30/09 (tests/test_plan_tasks.py): Họp trực tuyến, due 30/06, overdue 92 days.
    tasks = pack["tasks"]
    assert tasks["row"]["sentence"] == ("đã hoàn thành 1/2 chỉ tiêu và 1/4 nhiệm vụ, 3 nhiệm vụ đang thực hiện "
                                        "(trong đó 1 nhiệm vụ quá hạn)")
    assert [(t["task"], t["days_overdue"]) for t in tasks["overdue"]] == [("Họp trực tuyến", 92)]
    assert pack["sipas"] is None and pack["par"] is None   # nothing loaded: said, not invented
    questions = pack["questions"]
    assert any("1/3 hồ sơ trễ hạn chưa có phiếu xin lỗi" in q for q in questions)
    assert any("\"Họp trực tuyến\" (hạn 30/06/2022, quá hạn 92 ngày)" in q for q in questions)
    assert any("hồ sơ Q3-C" in q and "tiếp nhận ngày 20/06/2022" in q for q in questions)


def test_small_document_and_workbook_read_back(small):
    _, pack, doc, wb = small
    late = _table(doc, "STT", 0)
    assert [r[1] for r in late[1:]] == LATE_ORDER
    assert [r[3] for r in late[1:]] == ["20/06/2022", "04/07/2022", "01/08/2022"]
    assert [r[6] for r in late[1:]] == ["4", "4", "56"] and [r[7] for r in late[1:]] == ["Chưa có", "Có", "Không rõ"]
    # each row's state beside it (probe 41): B's 56 days run to the period end, for it is still pending
    assert [r[8] for r in late[1:]] == [RESOLVED_LATE, RESOLVED_LATE, PENDING_OVERDUE]
    assert late[1][2] == RISKY   # a text in Word, printed as typed
    assert [r[1] for r in _table(doc, "STT", 1)[1:]] == NO_APOLOGY_ORDER
    overdue = _table(doc, "STT", 2)
    assert overdue[1][1:4] == ["Họp trực tuyến", "30/06/2022", "92"]
    # The questions come last, each as the pack words it.
    headings = [p.text for p in doc.paragraphs if re.match(r"^[IVX]+\. ", p.text)]
    assert headings[-1] == QUESTIONS
    after = _after(doc, QUESTIONS)
    assert after[:len(pack["questions"])] == [f"{i}. {q}" for i, q in enumerate(pack["questions"], start=1)]

    assert wb.sheetnames == ["Chỉ số", "Hồ sơ trễ hạn", "Trực tuyến, số hóa", "SIPAS", "Chỉ số 766", "Kế hoạch CCHC",
                             "PAR INDEX", "Câu hỏi"]
    rows = _sheet_table(wb["Hồ sơ trễ hạn"], "STT")
    assert [r[1] for r in rows] == LATE_ORDER and [r[6] for r in rows] == [4, 4, 56]
    assert [r[3].date() for r in rows] == [date(2022, 6, 20), date(2022, 7, 4), date(2022, 8, 1)]   # dates, not text
    risky = next(c for c in wb["Hồ sơ trễ hạn"]["C"] if c.value == RISKY)
    assert risky.data_type == "s"   # stored as text: never evaluated
    cards = {r[0]: r for r in _sheet_table(wb["Chỉ số"], "Chỉ số")}
    assert cards["Tỷ lệ giải quyết đúng hạn, trước hạn"][1] == 0.5
    questions = [r[0] for r in wb["Câu hỏi"].iter_rows(values_only=True) if r[0] and r[0][:1].isdigit()]
    assert questions == [f"{i}. {q}" for i, q in enumerate(pack["questions"], start=1)]


def test_no_apology_column_is_no_data_not_none_missing(tmp_path):
    """Exports without a «Phiếu xin lỗi» column: the pack said «0 hồ sơ trễ hạn chưa có phiếu xin lỗi» — none missing —
    beside a list of «Không rõ» (probe 53). Q3-C, late, with the letter unrecorded: «chưa có dữ liệu»."""
    (tmp_path / "units.csv").write_text(PLAN_UNITS, encoding="utf-8")
    db = tmp_path / "q3.duckdb"
    assert import_paths(db, [tmp_path / "units.csv"], swap=False)[1] == []
    con = duckdb.connect(str(db))
    con.execute("""INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at, due_at,
                   finished_at, status_code, supplement_count, snapshot_date, import_id, row_number, row_hash)
                   VALUES ('test', 'Q3-C', 'Q3', 'Q3', 'direct', TIMESTAMP '2022-07-04 08:00', TIMESTAMP '2022-07-08 17:00',
                           TIMESTAMP '2022-07-12 10:00', 10, 0, DATE '2022-09-30', 1, 1, 0)""")
    con.close()
    done = run(db, "--unit", "Quận 3", "--as-of", "2022-09-30", "--period", "2022-Q3", "--calendar")
    assert done.returncode == 0, done.stderr
    late = json.loads(done.stdout)["late"]
    assert (late["total_count"], late["apology_missing"]["total_count"], late["apology_unknown"]) == (1, 0, 1)
    out = tmp_path / "q3.docx"
    assert run(db, "--unit", "Quận 3", "--as-of", "2022-09-30", "--period", "2022-Q3", "--calendar", "--format", "docx",
               "--out", str(out)).returncode == 0
    text = " ".join(_text(p.text) for p in Document(str(out)).paragraphs)
    assert "phiếu xin lỗi và hẹn lại ngày trả kết quả: chưa có dữ liệu (tệp hồ sơ không ghi)" in text
    assert "0 hồ sơ trễ hạn chưa có phiếu xin lỗi" not in text


def test_small_zip_and_usage_errors(small, tmp_path):
    db = small[0]
    out = tmp_path / "ho_so.zip"
    proc = run(db, "--as-of", "2022-09-30", "--period", "2022-Q3", "--calendar", "--format", "zip", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as z:
        names = sorted(z.namelist())
    # the units right below the city: Sở Tư pháp, Sở Nội vụ, Quận 3 — a document and a workbook each
    assert len(names) == 6 and sum(n.endswith(".docx") for n in names) == 3, names
    assert "ho_so_kiem_tra_Quan_3_2022_09_30.docx" in names
    proc = run(db, "--as-of", "2022-09-30", "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert proc.returncode == 64 and "cần --unit" in proc.stderr
    proc = run(db, "--unit", "Quận 99", "--as-of", "2022-09-30")
    assert proc.returncode == 2 and "Không tìm thấy đơn vị 'Quận 99'" in proc.stderr
    proc = run(db, "--unit", "Q3", "--as-of", "30/09/2022")
    assert proc.returncode == 64 and "không đúng dạng YYYY-MM-DD" in proc.stderr


# ---------------------------------------------------------------------------------------------------------
# Sở Kế hoạch và Đầu tư on the demo sample: 6 tháng đầu năm 2022, the plan at 8/8/2022.

H1 = Period(date(2022, 1, 1), date(2022, 6, 30))
AS_OF = date(2022, 8, 8)


@pytest.fixture(scope="module")
def demo(demo_db, tmp_path_factory):
    d = tmp_path_factory.mktemp("inspection_demo")
    con = duckdb.connect(str(demo_db), read_only=True)
    pack = compute_inspection(con, "Sở Kế hoạch và Đầu tư", AS_OF, H1)
    write_inspection_docx(pack, d / "skhdt.docx")
    write_inspection_xlsx(pack, d / "skhdt.xlsx")
    yield con, pack, Document(str(d / "skhdt.docx")), openpyxl.load_workbook(d / "skhdt.xlsx")
    con.close()


def test_demo_published_figures_and_plan_sentence(demo):
    _, pack, doc, _ = demo
    texts = [_text(p.text) for p in doc.paragraphs]
    assert "tại Sở Kế hoạch và Đầu tư" in texts
    # sample/README.md's published figures for SKHDT, 01/01–30/06/2022 (constants, not computed here)
    first = next(t for t in texts if t.startswith("Từ ngày 01/01/2022 đến ngày 30/06/2022, Sở Kế hoạch và Đầu tư"))
    assert "tiếp nhận mới 122.700 hồ sơ" in first and "trước hạn và đúng hạn 122.563, quá hạn 4;" in first
    assert ("Kế hoạch CCHC năm 2022 của Sở Kế hoạch và Đầu tư, tính đến ngày 08/08/2022: đã hoàn thành 10/47 nhiệm "
            "vụ, 37 nhiệm vụ đang thực hiện.") in texts


def test_demo_every_figure_equals_the_dashboards(demo):
    con, pack, doc, wb = demo
    card = compute_scorecard(con, H1, unit="SKHDT")
    by_name = {c["name_vi"]: c for c in card["indicators"]}
    word = {r[0]: r for r in _table(doc, "Chỉ số", 0)[1:] + _table(doc, "Chỉ số", 1)[1:]}
    excel = {r[0]: r for r in _sheet_table(wb["Chỉ số"], "Chỉ số") + _sheet_table(wb["Trực tuyến, số hóa"], "Chỉ số")}
    assert set(word) == set(excel) == set(by_name)
    for name, c in by_name.items():
        unit = c["unit"]
        assert word[name][1] == vn_value(c["value"], unit, c["decimals"]), name
        assert word[name][2] == vn_target(c["comparator"], c["target"], unit, c["decimals"]), name
        assert excel[name][1] == pytest.approx(c["value"]) if c["value"] is not None else excel[name][1] == "–"
    # Peer rank: the Đơn vị page's ranking of the departments across the city.
    for ind_id in RANKED_INDICATORS:
        rows = compute_ranking(con, ind_id, H1, "department")["rows"]
        mine = next(r for r in rows if r["code"] == "SKHDT")
        expected = f"{mine['rank']}/{sum(r['rank'] is not None for r in rows)}" if mine["rank"] else "–"
        name = next(c["name_vi"] for c in card["indicators"] if c["id"] == ind_id)
        assert word[name][5] == expected == excel[name][5], ind_id
    assert {c["id"] for c in card["indicators"] if c["name_vi"] in {r[0] for r in _table(doc, "Chỉ số", 1)[1:]}} \
        == set(DIGITAL_INDICATORS)


def test_demo_late_dossiers_oldest_first_and_apology_letters(demo):
    con, pack, doc, wb = demo
    every = list_late_dossiers(con, H1, "SKHDT", limit=None)
    texts = [_text(p.text) for p in doc.paragraphs]
    # recounted from the full list: the kinds and the letters missing (none recorded counts as none)
    resolved = sum(r["kind"] == "resolved_late" for r in every["rows"])
    missing = [r for r in every["rows"] if r["apology_issued"] is not True]
    total = len(every["rows"])
    sentence = (f"Trong kỳ có {vn_int(total)} hồ sơ trễ hạn (giải quyết quá hạn {vn_int(resolved)}, đang giải quyết "
                f"quá hạn {vn_int(total - resolved)}); {vn_int(len(missing))} hồ sơ trễ hạn chưa có phiếu xin lỗi")
    assert any(t.startswith(sentence) for t in texts)
    oldest = sorted(every["rows"], key=lambda r: (r["received_date"], r["source"], r["dossier_code"]))
    listed = _table(doc, "STT", 0)[1:]
    assert [r[1] for r in listed] == [r["dossier_code"] for r in oldest[:len(listed)]]
    assert [r[3] for r in listed] == [vn_date(r["received_date"]) for r in oldest[:len(listed)]]
    assert len(listed) == min(len(oldest), pack["late"]["limit"])
    in_sheet = _sheet_table(wb["Hồ sơ trễ hạn"], "STT")
    assert [r[1] for r in in_sheet] == [r[1] for r in listed]
    no_letter = sorted(missing, key=lambda r: (r["received_date"], r["source"], r["dossier_code"]))
    assert [r[1] for r in _table(doc, "STT", 1)[1:]] == [r["dossier_code"] for r in no_letter[:pack["late"]["limit"]]]


def test_demo_sipas_equals_the_page_for_the_same_period(demo, tmp_path):
    con, pack, doc, _ = demo
    # The Hài lòng page for the same period and unit: compute_sipas and weakest_criteria of the period. The sample's
    # questionnaires are dated in the second half of 2022: none counts in 6 tháng đầu năm, and the pack says so.
    assert compute_sipas(con, H1, by="unit", unit="SKHDT")["has_data"] is False and pack["sipas"] is None
    assert any(t.startswith("Chưa có phiếu khảo sát SIPAS nào của Sở Kế hoạch và Đầu tư tính trong kỳ")
               for t in (_text(p.text) for p in doc.paragraphs))
    year = Period.year(2022)
    write_inspection_docx(compute_inspection(con, "SKHDT", date(2022, 12, 31), year), tmp_path / "nam.docx")
    doc = Document(str(tmp_path / "nam.docx"))
    s = compute_sipas(con, year, by="unit", unit="SKHDT")["total"]
    assert any(t == ("Chỉ số hài lòng SIPAS (khảo sát năm 2022, phiếu tính trong kỳ như trang Hài lòng) của Sở Kế hoạch "
                     f"và Đầu tư đạt {vn_percent(s['sipas'])} ({vn_int(s['sipas_valid'])} phiếu hợp lệ), "
                     f"{'đạt' if s['is_met'] else 'chưa đạt'} chỉ tiêu "
                     f"({vn_target(s['comparator'], s['target'])}); "
                     f"cùng kỳ năm trước: {vn_percent(s['last_year_sipas'])}.")
               for t in (_text(p.text) for p in doc.paragraphs))
    weakest = weakest_criteria(con, year, "SKHDT", 5)
    assert [r[0] for r in _table(doc, "Mã")[1:]] == [c["code"] for c in weakest]
    assert [r[2] for r in _table(doc, "Mã")[1:]] == [vn_value(c["index"]) for c in weakest]


def test_demo_766_tasks_and_par_equal_their_pages(demo):
    con, pack, doc, wb = demo
    texts = [_text(p.text) for p in doc.paragraphs]
    idx = compute_index766(con, H1, by="level", unit="SKHDT")["total"]
    peers = compute_index766(con, H1, by="department")["rows"]
    mine = next(r for r in peers if r["key"] == "SKHDT")
    assert any(f"đạt {vn_score(idx['total'])}/{vn_score(idx['max_points'])} điểm, xếp loại {idx['band']}" in t
               and f"xếp thứ {mine['rank']}/{mine['peer_count']}" in t for t in texts)
    status = unit_task_status(con, "SKHDT", AS_OF)
    assert (status["row"]["done"], status["row"]["tasks"], status["row"]["under_way"]) == (10, 47, 37)
    par = points_lost_by_area(con, 2022, "SKHDT")
    areas = _table(doc, "Lĩnh vực")[1:]
    assert [r[0] for r in areas] == [f"{a['code']}. {a['name']}" for a in par["areas"]]
    assert [r[3] for r in areas] == [vn_score(a["lost_points"]) for a in par["areas"]]
    sheet = _sheet_table(wb["PAR INDEX"], "Lĩnh vực")
    assert [r[3] for r in sheet] == pytest.approx([a["lost_points"] for a in par["areas"]])
    assert _after(doc, QUESTIONS)[0].startswith("1. ")


# ---------------------------------------------------------------------------------------------------------
# A period spanning a reorganization: ranks over one structure only.

REORG_UNITS = [  # code, name, level, parent, valid_from, valid_to
    ("TP", "Thành phố", "province", None, None, None),
    ("H1", "Huyện Một", "district", "TP", None, "2025-06-30"),
    ("X1", "Xã Một (cũ)", "ward", "H1", None, "2025-06-30"),
    ("P1", "Phường Mới Một", "ward", "TP", "2025-07-01", None),
    ("P2", "Phường Mới Hai", "ward", "TP", "2025-07-01", None),
]
REORG_DOSSIERS = [   # code, unit, received, due, finished
    ("R1", "X1", "2025-03-02 08:00", "2025-03-05 17:00", "2025-03-04 08:00"),   # old ward, on time (old structure)
    ("R2", "P1", "2025-08-04 08:00", "2025-08-08 17:00", "2025-08-06 08:00"),   # P1 on time: 100 %
    ("R3", "P2", "2025-08-04 08:00", "2025-08-08 17:00", "2025-08-12 08:00"),   # P2 late: 0 %
]


def test_a_period_spanning_a_reorganization_ranks_the_new_structure(tmp_path):
    db = tmp_path / "reorg.duckdb"
    con = duckdb.connect(str(db))
    con.execute((ROOT / "etl" / "schema.sql").read_text(encoding="utf-8"))
    con.executemany("INSERT INTO units (unit_code, unit_name, level, parent_code, valid_from, valid_to) "
                    "VALUES (?, ?, ?, ?, ?::DATE, ?::DATE)", REORG_UNITS)
    con.executemany(
        "INSERT INTO dossiers (source, dossier_code, unit_text, unit_code, channel, received_at, due_at, finished_at,"
        " status_code, result_type, supplement_count, snapshot_date, import_id, row_number, row_hash)"
        " VALUES ('test', ?, ?, ?, 'direct', ?::TIMESTAMP, ?::TIMESTAMP, ?::TIMESTAMP, 10, 'result', 0,"
        " DATE '2025-12-31', 1, 1, 0)", [(c, u, u, r, d, f) for c, u, r, d, f in REORG_DOSSIERS])
    pack = compute_inspection(con, "P1", date(2025, 12, 31))   # the year 2025: two structures
    con.close()
    assert (pack["from"], pack["to"]) == ("2025-01-01", "2025-12-31")
    assert (pack["peers"]["from"], pack["peers"]["to"]) == ("2025-07-01", "2025-12-31")
    on_time = next(c for c in pack["scorecard"] if c["id"] == "on_time_rate")
    # the new wards only (X1 ended on 30/06): 2 units, X1 not among them; each has a handful of dossiers, under
    # indicators.ranking.MIN_DOSSIERS (30), so neither is ranked (the dashboard lists them apart, unranked)
    assert on_time["rank"] == {"rank": None, "units": 2, "ranked": 0}
