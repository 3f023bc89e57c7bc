"""Export writers in the shapes two one-stop vendors produce: A (xlsx or Excel-saved csv, Vietnamese words), B (coded
csv); and the plain CSV of the reference files."""
import csv
import pathlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from common.formats import vn_int

from .xlsx import write_table

PERIOD_TITLE = "Từ ngày 01/01/2022 đến ngày 31/12/2022"
SHEET = "Hồ sơ"

STATUS_NAMES = {2: "Được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung giấy tờ",
                6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ", 8: "Dừng xử lý",
                9: "Đã xử lý xong", 10: "Đã trả kết quả"}
CHANNEL_NAMES = [None, "Trực tiếp", "Trực tuyến", "Bưu chính công ích"]
RATING_NAMES = [None, "Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
APPLICANT_NAMES = ["Công dân", "Doanh nghiệp", "Tổ chức"]
LEVEL_A = ["Mức độ 2", "Một phần", "Toàn trình"]
LEVEL_B = [2, 3, 4]


@dataclass
class Lookups:
    """Per-unit and per-procedure texts, indexed like the simulation's unit and procedure indices."""
    unit_code: list[str]
    unit_label: list[str]        # how vendor A names the unit (name or an alias)
    proc_code: list[str]
    proc_name: list[str]
    proc_field: list[str]
    proc_online: np.ndarray      # 0 none, 1 partial, 2 full


def _take(values: list, idx: np.ndarray) -> np.ndarray:
    return np.array(values, dtype=object)[idx]


def _flag(b: np.ndarray, yes, no):
    return np.where(b, yes, no)


def dossier_codes(d: dict, lk: Lookups) -> pa.Array:
    """Dossier numbers like H29.Q1.P01-220315-0007: unit, receipt date, sequence within that unit and day. Rows
    that carry their own numbers (d["code"]: a dossier handed to a new ward keeps the old ward's) keep them."""
    if "code" in d:
        return pa.array(d["code"], type=pa.string())
    day = d["received"].astype("datetime64[D]")
    order = np.lexsort((d["received"], day, d["unit"]))
    key = d["unit"][order] * 100_000 + (day[order] - np.datetime64("2020-01-01")).astype(np.int64)
    start = np.r_[True, key[1:] != key[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(key.size), 0))
    seq = np.empty(key.size, dtype=np.int64)
    seq[order] = np.arange(key.size) - first + 1
    prefix = pa.array(["H29." + c for c in lk.unit_code]).take(pa.array(d["unit"]))
    date = pc.strftime(pa.array(d["received"]), format="%y%m%d")
    number = pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 4, "0")
    return pc.binary_join_element_wise(prefix, date, number, "-")


def _text_dates(arr: np.ndarray, fmt: str) -> pa.Array:
    return pc.strftime(pa.array(arr), format=fmt)


def _dictionary(values: list, idx: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def table_vendor_b(d: dict, lk: Lookups) -> pa.Table:
    fmt = "%d/%m/%Y %H:%M:%S"
    flag = lambda b: pa.array(np.asarray(b, dtype=np.int8))
    return pa.table({
        "MaHoSo": dossier_codes(d, lk),
        "DonVi": _dictionary(lk.unit_code, d["unit"]),
        "MaTTHC": _dictionary(lk.proc_code, d["proc"]),
        "TenTTHC": _dictionary(lk.proc_name, d["proc"]),
        "TenLinhVuc": _dictionary(lk.proc_field, d["proc"]),
        "MucDo": pa.array(np.array(LEVEL_B)[lk.proc_online[d["proc"]]]),
        "KenhThucHien": pa.array(d["channel"]),
        "NgayNopHoSo": _text_dates(d["submitted"], fmt),
        "NgayTiepNhan": _text_dates(d["received"], fmt),
        "NgayHenTra": _text_dates(d["due"], fmt),
        "NgayKetThucXuLy": _text_dates(d["finished"], fmt),
        "NgayTra": _text_dates(d["handed"], fmt),
        "TrangThaiHoSo": pa.array(d["status"]),
        "LoaiKetQua": _dictionary([None, "Kết quả", "Trả lại/Xin rút"],
                                  np.where(d["returned"], 2, np.where(np.isnat(d["finished"]), 0, 1))),
        "So lan bo sung": pa.array(d["supplement"]),
        "Le phi": pa.array(d["fee"]),
        "DuocThanhToanTrucTuyen": flag(d["paid_online"]),
        "Hồ sơ có thành phần số hóa": flag(d["digitized"]),
        "Kết quả điện tử": flag(d["e_result"]),
        "Khai thác dữ liệu số hóa": flag(d["data_reused"]),
        "Đồng bộ Cổng DVCQG": flag(d["synced"]),
        "Có phiếu xin lỗi": flag(d["apology"]),
        "Mức độ hài lòng": _dictionary(RATING_NAMES, d["rating"]),
        "Đối tượng": _dictionary(APPLICANT_NAMES, d["applicant"]),
    })


def write_vendor_b_csv(path: pathlib.Path, d: dict, lk: Lookups, title: str,
                       period_title: str = PERIOD_TITLE) -> pathlib.Path:
    """UTF-8 with BOM, ';', two free title lines above the header (as the vendor's 'Xuất Excel' CSV does); the
    period line's 'đến ngày' is the day the export was taken."""
    table = table_vendor_b(d, lk)
    with open(path, "wb") as f:
        f.write(("\ufeff" + title + "\n" + period_title + "\n").encode("utf-8"))
        pcsv.write_csv(table, f, pcsv.WriteOptions(delimiter=";", quoting_style="needed", batch_size=65536))
    return path


A_HEADERS = ["STT", "Mã hồ sơ", "Đơn vị tiếp nhận", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Mức độ",
             "Hình thức nộp", "Loại đối tượng", "Số điện thoại", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả",
             "Ngày trả kết quả", "Trạng thái", "Loại kết quả", "Số lần bổ sung", "Phí, lệ phí",
             "Thanh toán trực tuyến", "Đã số hóa", "Kết quả điện tử", "Tái sử dụng dữ liệu", "Đồng bộ DVCQG",
             "Phiếu xin lỗi", "Đánh giá"]
A_DATES = ("Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Ngày trả kết quả")
TITLE_ROWS = 4  # rows above the header in vendor A files; data starts on row TITLE_ROWS + 2


def _vendor_a_columns(d: dict, lk: Lookups) -> dict:
    """Vendor A's columns as numpy object arrays (dates left as datetime64 for the format-specific writer)."""
    n = d["unit"].size
    fees, fee_idx = np.unique(d["fee"], return_inverse=True)
    status_names = np.array([STATUS_NAMES.get(i) for i in range(11)], dtype=object)
    # Synthetic, visibly masked phone numbers: a personal-data column the importer must drop.
    phone = np.char.add("09xxxxx", np.char.zfill((np.arange(n) * 7919 % 1000).astype(str), 3)).astype(object)
    return {
        "STT": np.arange(1, n + 1),
        "Mã hồ sơ": np.asarray(dossier_codes(d, lk).to_numpy(zero_copy_only=False), dtype=object),
        "Đơn vị tiếp nhận": _take(lk.unit_label, d["unit"]),
        "Mã TTHC": _take(lk.proc_code, d["proc"]),
        "Tên thủ tục hành chính": _take(lk.proc_name, d["proc"]),
        "Lĩnh vực": _take(lk.proc_field, d["proc"]),
        "Mức độ": _take(LEVEL_A, lk.proc_online[d["proc"]]),
        "Hình thức nộp": _take(CHANNEL_NAMES, d["channel"]),
        "Loại đối tượng": _take(APPLICANT_NAMES, d["applicant"]),
        "Số điện thoại": phone,
        "Ngày tiếp nhận": d["received"], "Ngày hẹn trả": d["due"],
        "Ngày có kết quả": d["finished"], "Ngày trả kết quả": d["handed"],
        "Trạng thái": status_names[d["status"]],
        "Loại kết quả": np.where(d["returned"], "Trả lại/Xin rút",
                                 np.where(np.isnat(d["finished"]), None, "Kết quả")).astype(object),
        "Số lần bổ sung": d["supplement"].astype(np.int64),
        "Phí, lệ phí": _take([vn_int(int(x)) for x in fees], fee_idx),
        "Thanh toán trực tuyến": _flag(d["paid_online"], "Có", "Không").astype(object),
        "Đã số hóa": _flag(d["digitized"], "x", None).astype(object),
        "Kết quả điện tử": _flag(d["e_result"], "x", None).astype(object),
        "Tái sử dụng dữ liệu": _flag(d["data_reused"], "x", None).astype(object),
        "Đồng bộ DVCQG": _flag(d["synced"], "x", None).astype(object),
        "Phiếu xin lỗi": _flag(d["apology"], "x", None).astype(object),
        "Đánh giá": _take(RATING_NAMES, d["rating"]),
    }


def _title_rows(block_title: str, period_title: str = PERIOD_TITLE) -> list[str]:
    return ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "BÁO CÁO CHI TIẾT HỒ SƠ", period_title, block_title]


def write_vendor_a_xlsx(path: pathlib.Path, d: dict, lk: Lookups, block_title: str, defects=(),
                        period_title: str = PERIOD_TITLE) -> pathlib.Path:
    """Excel report: merged title rows, STT, Excel date cells, a 'Tổng cộng' row and signature lines."""
    cols = _vendor_a_columns(d, lk)
    overrides = {(dft["row"] - TITLE_ROWS - 2, dft["column"]): dft["value"] for dft in defects}
    footer = [["Tổng cộng"] + [None] * (A_HEADERS.index("Phí, lệ phí") - 1) + [vn_int(int(d["fee"].sum()))],
              [],
              [None, "Người lập biểu"] + [None] * 12 + ["Thủ trưởng đơn vị"],
              [None, "(Ký, ghi rõ họ tên)"] + [None] * 12 + ["(Ký tên, đóng dấu)"]]
    write_table(path, SHEET, _title_rows(block_title, period_title), A_HEADERS, cols, footer,
                creator="Hệ thống thông tin giải quyết TTHC", overrides=overrides)
    return path


def write_vendor_a_csv(path: pathlib.Path, d: dict, lk: Lookups, block_title: str, defects=(),
                       period_title: str = PERIOD_TITLE) -> pathlib.Path:
    """The same report saved from Excel as CSV: comma, no BOM, title rows padded with empty cells, text dates."""
    cols = _vendor_a_columns(d, lk)
    table = {}
    for h in A_HEADERS:
        v = cols[h]
        if h in A_DATES:
            table[h] = _text_dates(v, "%d/%m/%Y %H:%M")
        elif v.dtype == object:
            table[h] = pa.array(v, type=pa.string())
        else:
            table[h] = pa.array(v)
    if defects:
        raise ValueError("defects are placed in xlsx files only")
    width = len(A_HEADERS)
    with open(path, "wb") as f:
        for text in _title_rows(block_title, period_title):
            f.write(('"' + text + '"' + "," * (width - 1) + "\n").encode("utf-8"))
        pcsv.write_csv(pa.table(table), f, pcsv.WriteOptions(quoting_style="needed", batch_size=65536))
        f.write(('"Tổng cộng"' + "," * (A_HEADERS.index("Phí, lệ phí")) + f'"{vn_int(int(d["fee"].sum()))}"'
                 + "," * (width - 1 - A_HEADERS.index("Phí, lệ phí")) + "\n").encode("utf-8"))
        f.write(("," * (width - 1) + "\n").encode("utf-8"))
        f.write(("," + '"Người lập biểu"' + "," * 13 + '"Thủ trưởng đơn vị"' + "," * (width - 15) + "\n")
                .encode("utf-8"))
    return path


def write_csv_rows(path: pathlib.Path, columns: list[str], rows: list[dict]) -> pathlib.Path:
    """A reference file (units, targets) as a person would keep it: UTF-8 CSV, one header row."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
