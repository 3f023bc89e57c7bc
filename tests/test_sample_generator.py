"""The sample generator: byte-identical reruns, and the published figures recounted from the raw files.

The recount deliberately avoids the project's importer and indicator engine: it reads the exports with
pandas/openpyxl and applies the counting rules of indicators.md §1 itself, so a bug shared by the generator's
idea of the rules and the engine's cannot hide here.
"""
import csv
import datetime as dt
import hashlib
import os
import pathlib

import openpyxl
import pandas as pd
import pytest

from sample import DELIBERATE_DEFECTS, generate_sample

STATUS_WORDS = {"Mới đăng ký": 1, "Được tiếp nhận": 2, "Không được tiếp nhận": 3, "Đang xử lý": 4,
                "Yêu cầu bổ sung giấy tờ": 5, "Yêu cầu thực hiện nghĩa vụ tài chính": 6,
                "Công dân yêu cầu rút hồ sơ": 7, "Dừng xử lý": 8, "Đã xử lý xong": 9, "Đã trả kết quả": 10}
# Header → canonical field, for the two vendor styles the generator writes.
FIELDS = {"Mã hồ sơ": "code", "MaHoSo": "code", "Đơn vị tiếp nhận": "unit", "DonVi": "unit",
          "Ngày tiếp nhận": "received", "NgayTiepNhan": "received", "Ngày hẹn trả": "due", "NgayHenTra": "due",
          "Ngày có kết quả": "finished", "NgayKetThucXuLy": "finished", "Ngày trả kết quả": "handed",
          "NgayTra": "handed", "Trạng thái": "status", "TrangThaiHoSo": "status", "Loại kết quả": "result",
          "LoaiKetQua": "result", "Số lần bổ sung": "supplement", "So lan bo sung": "supplement"}


def _sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _to_dates(values: pd.Series) -> pd.Series:
    """Calendar dates from Excel datetimes or dd/mm/yyyy[ HH:MM[:SS]] text; anything else becomes NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.normalize()
    text = values.astype("string").str.slice(0, 10)
    return pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")


def _read_export(path: pathlib.Path) -> pd.DataFrame:
    """One export as canonical columns, detail rows only (no totals, no signature lines, no bad rows)."""
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path, read_only=True).active
        rows = list(ws.iter_rows(values_only=True))
        header_at = next(i for i, r in enumerate(rows) if r and r[0] == "STT")
        df = pd.DataFrame(rows[header_at + 1:], columns=rows[header_at])
        df = df[df["STT"].map(lambda v: isinstance(v, int))]
    else:
        with open(path, encoding="utf-8-sig") as f:
            lines = [next(f) for _ in range(6)]
        header_at = next(i for i, line in enumerate(lines) if "MaHoSo" in line or '"STT"' in line)
        sep = ";" if "MaHoSo" in lines[header_at] else ","
        df = pd.read_csv(path, sep=sep, skiprows=header_at, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        if "STT" in df.columns:
            df = df[df["STT"].str.fullmatch(r"\d+")]
    df = df.rename(columns=FIELDS)[list(dict.fromkeys(FIELDS.values()))]
    out = pd.DataFrame({"code": df["code"], "unit": df["unit"]})
    for col in ("received", "due", "finished", "handed"):
        series = df[col]
        if series.dtype == object and series.map(lambda v: isinstance(v, dt.datetime)).any():
            series = pd.to_datetime(series.map(lambda v: v if isinstance(v, dt.datetime) else None))
        out[col] = _to_dates(series.replace("", None))
    status = df["status"].map(lambda v: STATUS_WORDS.get(v, v))
    out["status"] = pd.to_numeric(status, errors="coerce")
    out["returned_result"] = df["result"].fillna("").eq("Trả lại/Xin rút")
    out["supplement"] = pd.to_numeric(df["supplement"], errors="coerce").fillna(0)
    return out[out["received"].notna()]


def _period_table(df: pd.DataFrame, p0: str, p1: str) -> dict:
    """indicators.md §1, written out again from the spec."""
    p0, p1 = pd.Timestamp(p0), pd.Timestamp(p1)
    df = df[~df["status"].isin([1, 3])]
    f = df["finished"].where(df["finished"].notna() | ~df["status"].isin([9, 10]), df["handed"])
    rec, due = df["received"], df["due"]
    carried = (rec < p0) & (f.isna() | (f >= p0))
    new = (rec >= p0) & (rec <= p1)
    f_in = (f >= p0) & (f <= p1)
    is_returned = df["status"].isin([7, 8]) | df["returned_result"]
    resolved = f_in & ~is_returned
    late = resolved & ((f > due) | (df["supplement"] > 1))
    pending = (carried | new) & (f.isna() | (f > p1))
    within = pending & (due.isna() | (due >= p1))
    return dict(carried_over=int(carried.sum()), received_new=int(new.sum()), resolved=int(resolved.sum()),
                resolved_in_time=int((resolved & ~late).sum()), resolved_late=int(late.sum()),
                returned=int((f_in & is_returned).sum()), pending_within=int(within.sum()),
                pending_overdue=int((pending & ~within).sum()))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[pathlib.Path]:
    return generate_sample(tmp_path_factory.mktemp("demo"), scale="demo", progress=lambda _: None)


def test_demo_is_byte_identical_on_rerun(demo, tmp_path):
    again = generate_sample(tmp_path, scale="demo", progress=lambda _: None)
    assert [p.name for p in again] == [p.name for p in demo]
    for first, second in zip(demo, again):
        assert _sha256(first) == _sha256(second), first.name


def test_import_order_and_reference_files(demo):
    names = [p.name for p in demo]
    assert names[:3] == ["units.csv", "procedures.csv", "targets.csv"]
    assert all(n.startswith("ho_so_") for n in names[3:])
    assert {p.suffix for p in demo[3:]} == {".csv", ".xlsx"}
    with open(demo[0], encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    active = [u for u in units if not u["valid_to"]]
    levels = pd.Series([u["level"] for u in active]).value_counts()
    assert levels["district"] == 22 and 300 <= levels["ward"] <= 320 and levels["department"] >= 19
    assert any(u["name"] == "Sở Kế hoạch và Đầu tư" for u in units)
    assert len({u["code"] for u in units}) == len(units)


def test_skhdt_catalogue_counts(demo):
    with open(demo[1], encoding="utf-8") as f:
        procs = list(csv.DictReader(f))
    assert all(p["code"].count(".") == 1 and len(p["code"].split(".")[1]) == 6 for p in procs)
    sk = [p for p in procs if "SKHDT" in p["unit"].split(";")]
    assert len(sk) == 128
    assert sum(p["online_level"] == "partial" for p in sk) == 2
    assert sum(p["online_level"] == "full" for p in sk) == 51
    assert sum(p["has_internal_process"] == "1" for p in sk) == 109


def test_skhdt_first_half_2022_matches_published_figures(demo):
    path = next(p for p in demo if "ke_hoach_dau_tu" in p.name)
    df = _read_export(path)
    assert set(df["unit"]) == {"SKHDT"}
    h1 = _period_table(df, "2022-01-01", "2022-06-30")
    assert h1 == dict(carried_over=0, received_new=122_700, resolved=122_567, resolved_in_time=122_563,
                      resolved_late=4, returned=0, pending_within=133, pending_overdue=0)
    # Receipts fall on working days (no Sunday counter at the department).
    assert not (df["received"].dt.day_of_week == 6).any()


def test_deliberate_defects_are_where_documented(demo):
    assert len(DELIBERATE_DEFECTS) == 3
    by_file = {}
    for d in DELIBERATE_DEFECTS:
        by_file.setdefault(d["file"], []).append(d)
    for name, defects in by_file.items():
        ws = openpyxl.load_workbook(next(p for p in demo if p.name == name), read_only=True)[defects[0]["sheet"]]
        rows = list(ws.iter_rows(values_only=True))
        header = list(rows[4])
        for d in defects:
            assert rows[d["row"] - 1][header.index(d["column"])] == d["value"]
        # Every other detail row has a real received date and a known unit.
        col = header.index("Ngày tiếp nhận")
        bad = [i + 1 for i, r in enumerate(rows[5:], start=5)
               if isinstance(r[0], int) and not isinstance(r[col], dt.datetime)]
        assert bad == sorted(d["row"] for d in defects if d["column"] == "Ngày tiếp nhận")


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CCHC_FULL") != "1", reason="full-scale sample: set CCHC_FULL=1")
def test_full_scale_action_month_same_day_figures(tmp_path):
    paths = generate_sample(tmp_path, scale="full", progress=lambda _: None)
    with open(paths[0], encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    level_of = {}
    for u in units:
        for key in [u["code"], u["name"]] + [a for a in u["aliases"].split(";") if a]:
            level_of.setdefault(key, u["level"])
    counts = {"district": 0, "ward": 0, "department": 0, "vertical": 0}
    late_same_day = 0
    start, end = pd.Timestamp("2022-05-15"), pd.Timestamp("2022-06-15")
    for path in paths[3:]:
        df = _read_export(path)
        df = df[~df["status"].isin([1, 3])]
        f = df["finished"].where(df["finished"].notna() | ~df["status"].isin([9, 10]), df["handed"])
        same = ((df["received"] >= start) & (df["received"] <= end) & (f == df["received"])
                & ~(df["status"].isin([7, 8]) | df["returned_result"]))
        late = (f > df["due"]) | (df["supplement"] > 1)
        late_same_day += int((same & late).sum())
        levels = df.loc[same & ~late, "unit"].map(level_of)
        for level, n in levels.value_counts().items():
            counts[level] += int(n)
    assert counts == {"district": 229_642, "ward": 199_275, "department": 20_696, "vertical": 244_696}
    assert late_same_day == 0
