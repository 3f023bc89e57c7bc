"""Command line: `python -m indicators table …` (the statutory period table) and `index766 …` (see cli.md)."""
from __future__ import annotations

import argparse
import sys
from datetime import date

from .engine import GROUPINGS, UnknownUnitError, compute_period_table, resolve_unit
from .export import table_to_csv, table_to_json, write_table_xlsx
from .index766 import GROUPINGS_766, Index766ConfigError, compute_index766, index766_to_csv, write_index766_xlsx
from .periods import Period
from .sipas_cli import add_sipas_parser, run_sipas


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # usage errors in Vietnamese, exit 2 like argparse
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: lệnh không hợp lệ ({message}).\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' không đúng dạng YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m indicators", description="Số liệu giải quyết thủ tục hành chính")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("table", help="Bảng tình hình, kết quả giải quyết TTHC theo kỳ")
    t.add_argument("--db", required=True)
    t.add_argument("--from", dest="date_from", required=True, type=_date)
    t.add_argument("--to", dest="date_to", required=True, type=_date)
    t.add_argument("--by", default="unit", choices=GROUPINGS)
    t.add_argument("--unit")
    t.add_argument("--format", default="json", choices=("json", "csv", "xlsx"))
    t.add_argument("--out")
    i = sub.add_parser("index766", help="Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)")
    i.add_argument("--db", required=True)
    i.add_argument("--from", dest="date_from", required=True, type=_date)
    i.add_argument("--to", dest="date_to", required=True, type=_date)
    i.add_argument("--by", default="unit", choices=GROUPINGS_766)
    i.add_argument("--unit")
    i.add_argument("--format", default="json", choices=("json", "csv", "xlsx"))
    i.add_argument("--out")
    i.add_argument("--config", help="thư mục chứa index766_criteria.csv và index766_bands.csv")
    add_sipas_parser(sub, _date)
    return p


def _fail(message: str, code: int = 2) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def _index766(con, args, period: Period) -> int:
    """`index766`: the 766 index per unit group; JSON/CSV to stdout or --out, xlsx to --out."""
    try:
        result = compute_index766(con, period, by=args.by, unit=args.unit, config_dir=args.config)
    except Index766ConfigError as e:
        return _fail(str(e))
    if args.format == "xlsx":
        write_index766_xlsx(result, args.out, resolve_unit(con, args.unit)[1] if args.unit else None)
        return 0
    text = table_to_json(result) + "\n" if args.format == "json" else index766_to_csv(result)
    if args.out:
        with open(args.out, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sipas":
        return run_sipas(args)
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
        if args.command == "index766":
            return _index766(con, args, period)
        table = compute_period_table(con, period, by=args.by, unit=args.unit)
    except UnknownUnitError as e:
        return _fail(str(e))
    except duckdb.Error as e:
        return _fail(f"cơ sở dữ liệu '{args.db}' không đúng cấu trúc hoặc chưa nạp dữ liệu ({e}).")
    finally:
        con.close()

    if args.format == "xlsx":
        write_table_xlsx(table, args.out)
        return 0
    text = table_to_json(table) + "\n" if args.format == "json" else table_to_csv(table)
    if args.out:
        # CSV with a BOM so Excel opens Vietnamese text correctly.
        with open(args.out, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
