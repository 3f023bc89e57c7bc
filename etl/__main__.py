"""Command line: python -m etl import … | sample … | refresh … | remove … (see shared spec cli.md)."""
import os

# numpy's OpenBLAS starts a thread per core at import, and they spin for a while on the two cores a load needs (0,09 s
# of CPU in a million-row load, measured with perf); the loader does no linear algebra. Set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402  (after the environment numpy reads)
import csv
import gc
import json
import sys
import time
from datetime import date
from pathlib import Path

from common.cli import USAGE_ERROR, CommandParser
from etl.core.errors import ImportFailure, UnusableDatabase
from etl.kind_names import KIND_NAMES


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' không đúng dạng YYYY-MM-DD")


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="python -m etl", description="Nạp dữ liệu CCHC vào DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="import|sample|refresh|remove")
    imp = sub.add_parser("import", help="Nạp tệp xuất từ hệ thống một cửa hoặc tệp danh mục.")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="một hoặc nhiều tệp cần nạp (.xlsx, .xlsm, .xls, .csv, .txt)")
    imp.add_argument("--db", required=True, help="tệp cơ sở dữ liệu DuckDB")
    imp.add_argument("--kind", default="auto", choices=["auto", *KIND_NAMES], metavar="LOẠI",
                     help=f"loại tệp: auto (mặc định: nhận ra theo tiêu đề cột) hoặc {', '.join(KIND_NAMES)}")
    imp.add_argument("--source", help="tên hệ thống xuất dữ liệu (mã hồ sơ là duy nhất trong một hệ thống)")
    imp.add_argument("--as-of", type=_parse_date, help="ngày chụp số liệu YYYY-MM-DD")
    imp.add_argument("--mapping", type=Path, help="tệp CSV khai báo thêm tiêu đề cột (field,alias)")
    imp.add_argument("--unit", help="đơn vị ban hành kế hoạch / báo cáo tiến độ (mã hoặc tên), khi tiêu đề tệp không "
                                    "nêu; với --kind dossiers: đơn vị của mọi hồ sơ của tệp không có cột đơn vị")
    imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sample = sub.add_parser("sample", help="Sinh và nạp bộ dữ liệu mẫu (TP.HCM 2022, hoặc TP.HCM mới 2025–2026).")
    sample.add_argument("--sample", choices=["hcm2022", "hcm2026"], default="hcm2022",
                        help="hcm2022: TP.HCM năm 2022 (mặc định); hcm2026: TP.HCM sau sắp xếp 2025, 01/2025–11/2026")
    sample.add_argument("--scale", choices=["demo", "full"], default="demo",
                        help="quy mô của bộ hcm2022 (bộ hcm2026 có một quy mô)")
    sample.add_argument("--out", type=Path, default=None, help="thư mục ghi các tệp mẫu sinh ra")
    sample.add_argument("--db", type=Path, default=None, help="tệp cơ sở dữ liệu DuckDB được tạo")
    sample.add_argument("--reuse", action="store_true",
                        help="giữ CSDL mẫu đã có nếu nó được tạo bởi phiên bản này (không tạo lại)")
    refresh = sub.add_parser("refresh", help="Tính lại các bảng tổng hợp và số liệu lưu sẵn của một cơ sở dữ liệu "
                                             "sau khi cập nhật phiên bản, không nạp tệp nào.")
    refresh.add_argument("--db", required=True, type=Path, help="tệp cơ sở dữ liệu DuckDB")
    remove = sub.add_parser("remove", help="Gỡ các hồ sơ nạp nhầm: mọi hồ sơ của một hệ thống (--source), hoặc chỉ "
                                           "các mã hồ sơ ghi sau --dossier; các bảng tổng hợp được tính lại.")
    remove.add_argument("--db", required=True, type=Path, help="tệp cơ sở dữ liệu DuckDB")
    remove.add_argument("--source", required=True, metavar="HỆ_THỐNG",
                        help="hệ thống của các hồ sơ cần gỡ (nạp không có --source: default)")
    remove.add_argument("--dossier", nargs="+", metavar="MÃ", help="chỉ gỡ các hồ sơ có mã này (mặc định: cả hệ thống)")
    return parser


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _unknown_mapping_fields(pairs) -> list[str]:
    """What to say of each field of a --mapping file no kind of file has (a typo): its alias, the closest names."""
    if not pairs:
        return []
    import difflib
    from etl.kinds import mapping_fields
    known = mapping_fields()
    out = []
    for field in dict.fromkeys(f for f, _ in pairs if f not in known):
        aliases = ", ".join(f"«{a}»" for f, a in pairs if f == field)
        close = difflib.get_close_matches(field, sorted(known), n=2)
        out.append(f"không có trường «{field}» (dòng của {aliases})" + (f", gần giống: {', '.join(close)}" if close else ""))
    return out


def run_import(args) -> int:
    from etl.core.vocab import read_mapping_file
    try:
        extra = read_mapping_file(args.mapping) if args.mapping else []
    except (OSError, KeyError, UnicodeDecodeError, csv.Error):
        print(f"Không đọc được tệp ánh xạ {args.mapping}: cần một tệp CSV UTF-8 có hai cột field,alias.",
              file=sys.stderr)
        return USAGE_ERROR
    unknown = _unknown_mapping_fields(extra)
    if unknown:
        print(f"Tệp ánh xạ {args.mapping}: " + "; ".join(unknown) + ". Cột `field` ghi tên trường bằng tiếng Anh như "
              "README liệt kê (mục «Tiêu đề cột được nhận»: received_at, dossier_code, unit…); không nạp tệp nào.",
              file=sys.stderr)
        return USAGE_ERROR
    # The first file is read from here on, in a background thread, while the loaders below are imported (half a
    # second of one core; this module imports none of them for that reason).
    from etl.core.read_ahead import ReadAhead
    ahead = ReadAhead(args.paths)
    from etl.importer import import_paths
    from etl.summary import format_summary
    # an entry point, above the layers: the figures the dashboard stores that indicators/ computes (.importlinter)
    from indicators.stored_figures import STORED_FIGURES
    _collect_again()
    results, errors = import_paths(args.db, args.paths, kind=args.kind, source=args.source, as_of=args.as_of,
                                   extra_aliases=extra, progress=None if args.json else _progress, unit=args.unit,
                                   after_refresh=STORED_FIGURES, ahead=ahead)
    if args.json:
        for r in results:
            r["rejects"] = r["rejects"][:100]
        print(json.dumps({"files": results, "errors": errors}, ensure_ascii=False, indent=1))
    else:
        print(format_summary(results, []))
    for e in errors:
        print(e, file=sys.stderr)
    ignored = [r["path"] for r in results if args.unit and r["kind"] not in ("plan_tasks", "task_progress")
               and not r.get("unit_option_used")]
    if ignored:
        print(f"Lưu ý: --unit chỉ dùng cho kế hoạch CCHC, báo cáo tiến độ và tệp hồ sơ không có cột đơn vị; không áp dụng cho "
              f"{', '.join(Path(p).name for p in ignored)}.", file=sys.stderr)
    return 2 if errors else 0


def run_refresh(args) -> int:
    from etl.importer import refresh_database
    from indicators.stored_figures import STORED_FIGURES   # an entry point, as run_import
    started = time.perf_counter()
    how = refresh_database(args.db, progress=_progress, after_refresh=STORED_FIGURES)
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    print(f"Đã tính lại {args.db} trong {seconds} giây: "
          + ("các bảng tổng hợp được dựng lại theo quy tắc của phiên bản này" if how == "full"
             else "các bảng tổng hợp đã khớp với dữ liệu") + ", số liệu lưu sẵn cho trang Chỉ số CCHC và Chỉ số 766 "
          "được tính lại. Bảng điều khiển dùng tệp mới ngay, không cần khởi động lại.")
    return 0


def run_remove(args) -> int:
    from common.formats import vn_int
    from etl.importer import remove_dossiers
    from indicators.stored_figures import STORED_FIGURES   # an entry point, as run_import
    removed, missing = remove_dossiers(args.db, args.source, args.dossier, progress=_progress,
                                       after_refresh=STORED_FIGURES)
    print(f"Đã gỡ {vn_int(removed)} hồ sơ của hệ thống «{args.source}» khỏi {args.db}"
          + (f"; không có mã: {', '.join(missing)}" if missing else "")
          + ". Các bảng tổng hợp và số liệu lưu sẵn đã được tính lại; dòng gốc của các lần nạp vẫn được giữ trong "
          "lịch sử nạp.")
    return 0


def run_sample(args) -> int:
    from sample.command import build_sample
    if args.sample != "hcm2022" and args.scale != "demo":
        print(f"Bộ dữ liệu mẫu {args.sample} chỉ có một quy mô: bỏ --scale {args.scale}.", file=sys.stderr)
        return USAGE_ERROR
    return build_sample(scale=args.scale, out_dir=args.out, db_path=args.db, progress=_progress, reuse=args.reuse,
                        sample=args.sample)


def _collect_again() -> None:
    """Turns the garbage collector back on once the command's modules are imported, when the command line turned it
    off (the end of this file); what the imports made is set aside from its later passes (gc.freeze)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "import":
        _collect_again()
    try:
        runs = {"import": run_import, "sample": run_sample, "refresh": run_refresh, "remove": run_remove}
        return runs[args.command](args)
    except ImportFailure as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UnusableDatabase as exc:   # --db cannot hold the database: the command must be given another one
        print(str(exc), file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    # Off while a load imports its loaders: the collector walked the modules' objects some 300 times as they were
    # created (0,09 s of the main thread while the file is read beside it) and found nothing to free.
    gc.disable()
    sys.exit(main())
