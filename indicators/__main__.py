"""Command line: `python -m indicators table|index766|sipas|report …` — figures as JSON, CSV or a formatted xlsx (cli.md)."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date
from typing import Callable

from common.cli import CommandParser
from common.formats import vn_date
# The CLI is an entry point: the one module of indicators/ allowed to import the writers (import-linter exception).
from exports.index766 import index766_to_csv, write_index766_xlsx
from exports.report_xlsx import write_report_xlsx
from exports.sipas import sipas_to_csv, sipas_to_json, write_sipas_xlsx
from exports.table import table_to_csv, table_to_json, write_table_xlsx

from .engine import GROUPINGS, LevelNotInPeriodError, UnknownUnitError, compute_period_table, resolve_unit
from .index766 import GROUPINGS_766, Index766ConfigError, compute_index766
from .periods import Period
from .report import LATE_LIMIT, compute_report, report_to_json
from .sipas import GROUPINGS as GROUPINGS_SIPAS
from .sipas import compute_sipas


class _UserError(Exception):
    """A Vietnamese message for stderr, exit 2."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' không đúng dạng YYYY-MM-DD") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' không phải số nguyên dương")
    return int(text)


def _table(con, args, period: Period) -> dict:
    return compute_period_table(con, period, by=args.by, unit=args.unit,
                                include_predecessors=args.with_predecessors)


def _index766(con, args, period: Period) -> dict:
    try:
        return compute_index766(con, period, by=args.by, unit=args.unit, config_dir=args.config)
    except Index766ConfigError as e:
        raise _UserError(str(e)) from None


def _sipas(con, args, period: Period) -> dict:
    result = compute_sipas(con, period, by=args.by, unit=args.unit)
    if not result["has_data"]:
        # An empty year is an answer, not an error: exit 0 with empty rows, so scripts looping over years go on.
        print(f"Không có dữ liệu khảo sát SIPAS trong kỳ {vn_date(period.start)}–{vn_date(period.end)}"
              f"{' của đơn vị ' + args.unit if args.unit else ''}.", file=sys.stderr)
    return result


def _report(con, args, period: Period) -> dict:
    return compute_report(con, period, unit=args.unit, by=args.by, late_limit=args.late_limit)


@dataclass(frozen=True)
class _Command:
    help: str
    groupings: tuple
    compute: Callable
    to_json: Callable
    to_csv: Callable
    write_xlsx: Callable   # (result, path, scope name or None)
    formats: tuple = ("json", "csv", "xlsx")
    default_by: str | None = "unit"   # None: the command picks by the scope


COMMANDS = {
    "table": _Command("Bảng tình hình, kết quả giải quyết TTHC theo kỳ", GROUPINGS, _table,
                      table_to_json, table_to_csv, lambda r, path, _scope: write_table_xlsx(r, path)),
    "index766": _Command("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)", GROUPINGS_766,
                         _index766, table_to_json, index766_to_csv, write_index766_xlsx),
    "sipas": _Command("Chỉ số hài lòng SIPAS theo đơn vị, cấp, quận/huyện, sở/ngành", GROUPINGS_SIPAS, _sipas,
                      sipas_to_json, sipas_to_csv, lambda r, path, _scope: write_sipas_xlsx(r, path)),
    "report": _Command("Báo cáo kết quả cải cách hành chính gửi lãnh đạo thành phố (số liệu chính so với chỉ tiêu, "
                       "bảng thống kê, xếp hạng, hồ sơ trễ hạn, SIPAS)", GROUPINGS, _report, report_to_json, None,
                       write_report_xlsx, formats=("json", "xlsx"), default_by=None),
}


def _parser() -> argparse.ArgumentParser:
    p = CommandParser(prog="python -m indicators", description="Số liệu giải quyết thủ tục hành chính")
    sub = p.add_subparsers(dest="command", required=True, metavar="|".join(COMMANDS))
    for name, command in COMMANDS.items():
        s = sub.add_parser(name, help=command.help)
        s.add_argument("--db", required=True)
        s.add_argument("--from", dest="date_from", required=True, type=_date)
        s.add_argument("--to", dest="date_to", required=True, type=_date)
        s.add_argument("--by", default=command.default_by, choices=command.groupings)
        s.add_argument("--unit")
        s.add_argument("--format", default="json", choices=command.formats)
        s.add_argument("--out")
        if name == "table":
            s.add_argument("--with-predecessors", action="store_true",
                           help="tính cả các đơn vị đã sáp nhập vào đơn vị --unit (toàn bộ, hoặc một phần theo tỷ lệ "
                                "— số liệu ước tính)")
        if name == "index766":
            s.add_argument("--config", help="thư mục chứa index766_criteria.csv và index766_bands.csv")
        if name == "report":
            s.add_argument("--late-limit", type=_positive, default=LATE_LIMIT,
                           help=f"số hồ sơ trễ hạn liệt kê (mặc định {LATE_LIMIT}; tổng số luôn được nêu)")
    return p


def _fail(message: str, code: int = 2) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = COMMANDS[args.command]
    import duckdb

    try:
        period = Period(args.date_from, args.date_to)
    except ValueError as e:
        return _fail(str(e))
    if args.format == "xlsx" and not args.out:
        return _fail("định dạng xlsx cần tham số --out TỆP.xlsx")
    if not os.path.exists(args.db):
        return _fail(f"không có tệp cơ sở dữ liệu '{args.db}'. Hãy nạp dữ liệu trước: "
                     f"python -m etl import TỆP … --db {args.db}")
    if os.path.isdir(args.db):
        return _fail(f"'{args.db}' là một thư mục, không phải tệp cơ sở dữ liệu: --db cần tên tệp (ví dụ cchc.duckdb).")
    try:
        con = duckdb.connect(args.db, read_only=True)
    except duckdb.Error as e:
        return _fail(f"không mở được cơ sở dữ liệu '{args.db}': tệp không phải cơ sở dữ liệu DuckDB, bị hỏng, hoặc "
                     f"đang được chương trình khác ghi (chi tiết: {str(e).splitlines()[0]}).")
    try:
        result = command.compute(con, args, period)
        scope_name = resolve_unit(con, args.unit)[1] if args.unit else None
    except (UnknownUnitError, LevelNotInPeriodError, _UserError) as e:
        return _fail(str(e))
    except duckdb.Error as e:
        return _fail(f"cơ sở dữ liệu '{args.db}' không đúng cấu trúc hoặc chưa nạp dữ liệu ({e}).")
    finally:
        con.close()

    for note in (result.get("structure_note"), result.get("approximate_note")) if isinstance(result, dict) else ():
        if note:   # said on stderr too, so a script's log shows it; the JSON carries it as well
            print(f"Lưu ý: {note}", file=sys.stderr)
    if args.format == "xlsx":
        try:
            command.write_xlsx(result, args.out, scope_name)
        except OSError as e:
            return _fail(f"không ghi được tệp '{args.out}' ({e.strerror or e}).")
        return 0
    text = command.to_json(result) + "\n" if args.format == "json" else command.to_csv(result)
    if args.out:
        # CSV with a BOM so Excel opens Vietnamese text correctly.
        with open(args.out, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
