"""`python -m indicators sipas …`: the SIPAS table per group as JSON, CSV or a formatted xlsx (see cli.md)."""
from __future__ import annotations

import sys

from .periods import Period
from .scope import UnknownUnitError
from .sipas import GROUPINGS, compute_sipas
from .sipas_export import sipas_to_csv, sipas_to_json, write_sipas_xlsx

__all__ = ["add_sipas_parser", "run_sipas"]


def add_sipas_parser(sub, date_type) -> None:
    p = sub.add_parser("sipas", help="Chỉ số hài lòng SIPAS theo đơn vị, cấp, quận/huyện, sở/ngành")
    p.add_argument("--db", required=True)
    p.add_argument("--from", dest="date_from", required=True, type=date_type)
    p.add_argument("--to", dest="date_to", required=True, type=date_type)
    p.add_argument("--by", default="unit", choices=GROUPINGS)
    p.add_argument("--unit")
    p.add_argument("--format", default="json", choices=("json", "csv", "xlsx"))
    p.add_argument("--out")


def _fail(message: str) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 2


def run_sipas(args) -> int:
    """Exit 0 with empty rows (and a message on stderr) for a period without survey data: an empty year is an
    answer, not an error, and scripts looping over years keep going."""
    import duckdb

    try:
        period = Period(args.date_from, args.date_to)
    except ValueError as e:
        return _fail(str(e))
    if args.format == "xlsx" and not args.out:
        return _fail("định dạng xlsx cần tham số --out TỆP.xlsx")
    try:
        con = duckdb.connect(args.db, read_only=True)
    except Exception as e:
        return _fail(f"không mở được cơ sở dữ liệu '{args.db}' ({e}).")
    try:
        result = compute_sipas(con, period, by=args.by, unit=args.unit)
    except UnknownUnitError as e:
        return _fail(str(e))
    except duckdb.Error as e:
        return _fail(f"cơ sở dữ liệu '{args.db}' không đúng cấu trúc hoặc chưa nạp dữ liệu ({e}).")
    finally:
        con.close()
    if not result["has_data"]:
        print(f"Không có dữ liệu khảo sát SIPAS trong kỳ {period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"
              f"{' của đơn vị ' + args.unit if args.unit else ''}.", file=sys.stderr)
    if args.format == "xlsx":
        write_sipas_xlsx(result, args.out)
        return 0
    text = sipas_to_json(result) + "\n" if args.format == "json" else sipas_to_csv(result)
    if args.out:
        # CSV with a BOM so Excel opens Vietnamese text correctly.
        with open(args.out, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0
