"""Command line: `python -m indicators table|index766|sipas|report|form|tasks|par|inspection …` — figures as JSON,
CSV, a formatted xlsx, the report as a Word document or a pack per unit, a unit's inspection pack (cli.md). A period
is --from/--to or --period (2022-Q2 …), the Ministry's window of it with --official; tasks take a cut-off date, par a
year, inspection a cut-off date and optionally a period."""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import date
from typing import Callable

from common.cli import USAGE_ERROR, CommandParser
from common.duckdb_connect import connect_quietly
from common.formats import vn_date
from common.settings import SettingsError, official_periods_default
# The CLI is an entry point: the one module of indicators/ allowed to import the writers (import-linter exception).
from exports.form06a import form_to_json, write_form06a_xlsx
from exports.inspection_docx import write_inspection_docx
from exports.inspection_xlsx import write_inspection_xlsx
from exports.inspection_zip import write_inspection_zip
from exports.index766 import index766_to_csv, index766_to_json, write_index766_xlsx
from exports.par import par_to_csv, par_to_json, write_par_xlsx
from exports.report_docx import write_report_docx
from exports.report_pack import write_report_pack
from exports.report_xlsx import write_report_xlsx
from exports.sipas import sipas_to_csv, sipas_to_json, write_sipas_xlsx
from exports.table import table_to_csv, table_to_json, write_table_xlsx
from exports.tasks import tasks_to_csv, tasks_to_json, write_tasks_xlsx

from .engine import GROUPINGS, LevelNotInPeriodError, UnknownUnitError, compute_period_table, resolve_unit
from .form06a import FORM_GROUPINGS, FormIdentityError, compute_form06a
from .inspection import LATE_LIMIT as INSPECTION_LATE_LIMIT
from .inspection import compute_inspection, inspection_to_json
from .index766 import GROUPINGS_766, Index766ConfigError, compute_index766
from .par import compute_par
from .periods import PERIOD_SHORTHANDS, Period, parse_period
from .report import LATE_LIMIT, compute_report, report_to_json
from .sipas import GROUPINGS as GROUPINGS_SIPAS
from .sipas import compute_sipas
from .tasks import GROUPINGS as GROUPINGS_TASKS
from .tasks import compute_tasks


class _UserError(Exception):
    """A Vietnamese message for stderr, exit 2."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày '{text}' không đúng dạng YYYY-MM-DD") from None


def _period_text(text: str) -> str:
    try:
        parse_period(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text


def _year(text: str) -> int:
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"năm '{text}' không hợp lệ (YYYY)")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' không phải số nguyên dương")
    return int(text)


def _table(con, args, period: Period) -> dict:
    return compute_period_table(con, period, by=args.by, unit=args.unit,
                                include_predecessors=args.with_predecessors)


def _index766(con, args, period: Period) -> dict:
    try:
        result = compute_index766(con, period, by=args.by, unit=args.unit, config_dir=args.config, city_ranks=True)
    except Index766ConfigError as e:
        raise _UserError(str(e)) from None
    if not result["rows"] and args.unit is None:
        # an empty table is an answer (exit 0), said: the portal's files loaded before the dossiers gave rows: []
        # and not a word (probe 56)
        print(f"Không đơn vị nào có số liệu 766 trong kỳ {vn_date(period.start)}–{vn_date(period.end)} (hồ sơ, tệp đầu "
              "vào 766 của đơn vị đã khớp danh mục). Tên đơn vị chưa khớp danh mục: trang Dữ liệu (khai báo tên khác "
              "trong danh mục đơn vị); điểm Cổng công bố của một đơn vị: --unit MÃ_HOẶC_TÊN.", file=sys.stderr)
    return result


def _sipas(con, args, period: Period) -> dict:
    result = compute_sipas(con, period, by=args.by, unit=args.unit)
    if not result["has_data"]:
        # An empty year is an answer, not an error: exit 0 with empty rows, so scripts looping over years go on.
        print(f"Không có dữ liệu khảo sát SIPAS trong kỳ {vn_date(period.start)}–{vn_date(period.end)}"
              f"{' của đơn vị ' + args.unit if args.unit else ''}.", file=sys.stderr)
    return result


def _report(con, args, period: Period) -> dict:
    if args.format == "zip":
        return {"period": period, "unit": args.unit, "by": args.by}   # the pack computes one report per unit
    return compute_report(con, period, unit=args.unit, by=args.by, late_limit=args.late_limit)


def _form(con, args, period: Period) -> dict:
    try:
        return compute_form06a(con, period, by=args.by, unit=args.unit)
    except FormIdentityError as e:
        raise _UserError(str(e)) from None


def _tasks(con, args, _period) -> dict:
    result = compute_tasks(con, args.as_of, args.year, by=args.by, unit=args.unit)
    if result["year"] is None:
        # No plan is an answer, not an error: exit 0 with empty rows, as for a year without a survey.
        print("Chưa nạp kế hoạch CCHC nào (python -m etl import KE_HOACH.xlsx --db …).", file=sys.stderr)
    return result


@dataclass(frozen=True)
class _Command:
    help: str
    groupings: tuple
    compute: Callable
    to_json: Callable
    to_csv: Callable
    write_xlsx: Callable   # (result, path, scope name or None, parsed arguments)
    formats: tuple = ("json", "csv", "xlsx")
    default_by: str | None = "unit"   # None: the command picks by the scope
    write_file: dict | None = None    # other formats written to --out: {format: (result, path, args) → None}
    dated: bool = False               # a cut-off date (--as-of, --year) instead of a period (--from, --to)


PAR_PEER_GROUPS = ("department", "district", "ward")
PAR = _Command("Chỉ số cải cách hành chính (PAR INDEX) của các sở, ngành, quận, huyện: điểm, xếp hạng, điểm bị mất, "
               "đối chiếu số liệu", (), None, par_to_json, par_to_csv,
               lambda r, path, scope, _args: write_par_xlsx(r, path, scope))

INSPECTION_GROUPINGS = ("unit", "district", "department")   # --format zip: the units of the scope it makes packs for
INSPECTION = _Command("Hồ sơ phục vụ đoàn kiểm tra công tác CCHC tại một đơn vị (số liệu so với chỉ tiêu và xếp "
                      "hạng, hồ sơ trễ hạn, phiếu xin lỗi, SIPAS, chỉ số 766, kế hoạch CCHC, PAR INDEX, câu hỏi)",
                      INSPECTION_GROUPINGS, None, inspection_to_json, None,
                      lambda r, path, _scope, _args: write_inspection_xlsx(r, path),
                      formats=("json", "docx", "xlsx", "zip"),
                      write_file={"docx": lambda r, path, args: write_inspection_docx(r, path),
                                  "zip": lambda r, path, args: _write_inspection_zip(r, path, args)})

COMMANDS = {
    "table": _Command("Bảng tình hình, kết quả giải quyết TTHC theo kỳ", GROUPINGS, _table,
                      table_to_json, table_to_csv,
                      lambda r, path, scope, _args: write_table_xlsx(r, path, scope_name=scope)),
    "index766": _Command("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)", GROUPINGS_766,
                         _index766, index766_to_json, index766_to_csv,
                         lambda r, path, scope, _args: write_index766_xlsx(r, path, scope)),
    "sipas": _Command("Chỉ số hài lòng SIPAS theo đơn vị, cấp, quận/huyện, sở/ngành", GROUPINGS_SIPAS, _sipas,
                      sipas_to_json, sipas_to_csv, lambda r, path, _scope, _args: write_sipas_xlsx(r, path)),
    "report": _Command("Báo cáo kết quả cải cách hành chính gửi lãnh đạo thành phố (số liệu chính so với chỉ tiêu, "
                       "bảng thống kê, xếp hạng, hồ sơ trễ hạn, SIPAS)", GROUPINGS, _report, report_to_json, None,
                       lambda r, path, scope, _args: write_report_xlsx(r, path, scope),
                       formats=("json", "xlsx", "docx", "zip"), default_by=None,
                       write_file={"docx": lambda r, path, args: write_report_docx(r, path),
                                   "zip": lambda r, path, args: _write_pack(r, path, args)}),
    "form": _Command("Biểu số 06a/VPCP/KSTT: tình hình, kết quả giải quyết TTHC (Thông tư 01/2020/TT-VPCP)",
                     FORM_GROUPINGS, _form, form_to_json, None,
                     lambda r, path, _scope, args: write_form06a_xlsx(r, path, args.reporting_unit,
                                                                      args.receiving_unit),
                     formats=("json", "xlsx"), default_by="level"),
    "tasks": _Command("Tiến độ thực hiện nhiệm vụ kế hoạch CCHC tính đến một ngày", GROUPINGS_TASKS, _tasks,
                      tasks_to_json, tasks_to_csv,
                      lambda r, path, scope, _args: write_tasks_xlsx(r, path, scope), dated=True),
}


# What each option says in --help: the same words in every sub-command.
DB_HELP = "tệp cơ sở dữ liệu DuckDB đã nạp (python -m etl import)"
UNIT_HELP = "mã hoặc tên đơn vị: chỉ tính đơn vị đó và các đơn vị trực thuộc (mặc định: toàn thành phố)"
OUT_HELP = "tệp ghi kết quả (mặc định: in ra màn hình; xlsx, docx và zip cần --out)"
_BY_WORDS = {"unit": "từng đơn vị", "level": "cấp", "district": "quận, huyện", "department": "sở, ngành",
             "field": "lĩnh vực", "procedure": "thủ tục", "month": "tháng", "lead": "cơ quan chủ trì",
             "area": "lĩnh vực cải cách", "ward": "xã, phường"}


def _by_help(groupings, default) -> str:
    listed = ", ".join(f"{g} ({_BY_WORDS[g]})" for g in groupings)
    return f"chia số liệu theo: {listed}" + (f"; mặc định {default}" if default else "; mặc định theo phạm vi")


def _format_help(formats) -> str:
    return f"định dạng kết quả: {', '.join(formats)} (mặc định json)"


def _write_pack(request: dict, path, args) -> None:
    con = connect_quietly(args.db, read_only=True)
    try:
        count = write_report_pack(con, request["period"], path, unit=request["unit"], by=request["by"] or "unit",
                                  late_limit=args.late_limit)
    finally:
        con.close()
    print(f"Đã ghi {count} báo cáo (mỗi đơn vị một tệp xlsx và một tệp docx) vào {path}.", file=sys.stderr)


def _write_inspection_zip(request: dict, path, args) -> None:
    con = connect_quietly(args.db, read_only=True)
    try:
        count = write_inspection_zip(con, args.as_of, path, unit=args.unit, by=args.by, period=request["period"],
                                     late_limit=args.late_limit)
    finally:
        con.close()
    print(f"Đã ghi hồ sơ kiểm tra của {count} đơn vị (mỗi đơn vị một tệp docx và một tệp xlsx) vào {path}.",
          file=sys.stderr)


def _inspection_parser(sub) -> None:
    s = sub.add_parser("inspection", help=INSPECTION.help)
    s.add_argument("--db", required=True, help=DB_HELP)
    s.add_argument("--unit", help="mã hoặc tên đơn vị (với --format zip: phạm vi, mỗi đơn vị thuộc phạm vi một bộ)")
    s.add_argument("--as-of", required=True, type=_date,
                   help="ngày tính tiến độ kế hoạch CCHC YYYY-MM-DD (kỳ số liệu mặc định: từ 01/01 đến ngày này)")
    s.add_argument("--period", type=_period_text, help=f"kỳ số liệu thay cho mặc định: {PERIOD_SHORTHANDS}")
    kind = s.add_mutually_exclusive_group()
    kind.add_argument("--official", action="store_true", help="kỳ báo cáo chính thức của --period")
    kind.add_argument("--calendar", action="store_true", help="kỳ theo lịch của --period")
    s.add_argument("--by", default="unit", choices=INSPECTION.groupings,
                   help="với --format zip: đơn vị trực thuộc phạm vi (unit), từng quận, huyện hoặc từng sở, ngành")
    s.add_argument("--late-limit", type=_positive, default=INSPECTION_LATE_LIMIT,
                   help=f"số hồ sơ trễ hạn liệt kê (mặc định {INSPECTION_LATE_LIMIT}; tổng số luôn được nêu)")
    s.add_argument("--format", default="json", choices=INSPECTION.formats, help=_format_help(INSPECTION.formats))
    s.add_argument("--out", help=OUT_HELP)


def _inspection(args) -> Callable | str:
    """The computation of `inspection`, or a usage error in words."""
    if args.format != "zip" and not args.unit:
        return "cần --unit (mã hoặc tên đơn vị được kiểm tra)"
    if (args.official or args.calendar) and not args.period:
        return "--official và --calendar chỉ dùng cùng --period"
    official = args.official or (not args.calendar and official_periods_default())
    period = parse_period(args.period, official) if args.period else None
    if args.format == "zip":
        return lambda con: {"period": period}   # the zip computes one pack per unit
    return lambda con: compute_inspection(con, args.unit, args.as_of, period, args.late_limit)


def _parser() -> argparse.ArgumentParser:
    p = CommandParser(prog="python -m indicators", description="Số liệu giải quyết thủ tục hành chính")
    sub = p.add_subparsers(dest="command", required=True, metavar="|".join([*COMMANDS, "par", "inspection"]))
    for name, command in COMMANDS.items():
        s = sub.add_parser(name, help=command.help)
        if name == "form":
            s.add_argument("form_id", choices=["06a"], metavar="06a", help="số hiệu biểu (06a)")
        s.add_argument("--db", required=True, help=DB_HELP)
        if command.dated:
            s.add_argument("--as-of", required=True, type=_date,
                           help="ngày tính YYYY-MM-DD (báo cáo tiến độ sau ngày này không được tính)")
            s.add_argument("--year", type=_year, help="năm kế hoạch (mặc định: năm của --as-of, hoặc năm gần nhất "
                                                      "có kế hoạch)")
        else:
            s.add_argument("--from", dest="date_from", type=_date, help="ngày đầu kỳ YYYY-MM-DD")
            s.add_argument("--to", dest="date_to", type=_date, help="ngày cuối kỳ YYYY-MM-DD (tính cả ngày này)")
            s.add_argument("--period", type=_period_text, help=f"kỳ báo cáo thay cho --from/--to: {PERIOD_SHORTHANDS}")
            kind = s.add_mutually_exclusive_group()
            kind.add_argument("--official", action="store_true",
                              help="kỳ báo cáo chính thức của --period (Quý I: 15/12 năm trước → 14/3 …)")
            kind.add_argument("--calendar", action="store_true", help="kỳ theo lịch của --period (khi cài đặt mặc định "
                                                                      "là kỳ chính thức)")
        s.add_argument("--by", default=command.default_by, choices=command.groupings,
                       help=_by_help(command.groupings, command.default_by))
        s.add_argument("--unit", help=UNIT_HELP)
        s.add_argument("--format", default="json", choices=command.formats, help=_format_help(command.formats))
        s.add_argument("--out", help=OUT_HELP)
        if name == "table":
            s.add_argument("--with-predecessors", action="store_true",
                           help="tính cả các đơn vị đã sáp nhập vào đơn vị --unit (toàn bộ, hoặc một phần theo tỷ lệ "
                                "— số liệu ước tính)")
        if name == "index766":
            s.add_argument("--config", help="thư mục chứa index766_criteria.csv, index766_bands.csv và "
                                            "index766_reconciliation.csv (mặc định indicators/config/)")
        if name == "form":
            s.add_argument("--reporting-unit", help="dòng \"Đơn vị báo cáo\" (mặc định: config/city.toml)")
            s.add_argument("--receiving-unit", help="dòng \"Đơn vị nhận báo cáo\" (mặc định: config/city.toml)")
        if name == "report":
            s.add_argument("--late-limit", type=_positive, default=LATE_LIMIT,
                           help=f"số hồ sơ trễ hạn liệt kê (mặc định {LATE_LIMIT}; tổng số luôn được nêu)")
    par = sub.add_parser("par", help=PAR.help)   # a yearly index: --year, not a period
    par.add_argument("--db", required=True, help=DB_HELP)
    par.add_argument("--year", required=True, type=_year, help="năm đánh giá (YYYY)")
    par.add_argument("--peer-group", choices=PAR_PEER_GROUPS,
                     help="chỉ một nhóm xếp hạng: " + ", ".join(f"{g} ({_BY_WORDS[g]})" for g in PAR_PEER_GROUPS)
                          + " (mặc định: mọi nhóm)")
    par.add_argument("--unit", help="mã hoặc tên một đơn vị: điểm của đơn vị đó (mặc định: mọi đơn vị)")
    par.add_argument("--format", default="json", choices=PAR.formats, help=_format_help(PAR.formats))
    par.add_argument("--out", help=OUT_HELP)
    _inspection_parser(sub)
    return p


def _fail(message: str, code: int = 2) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def _usage_error(parser, message: str) -> int:
    parser.print_usage(sys.stderr)
    print(f"Lỗi: lệnh không hợp lệ: {message}.", file=sys.stderr)
    return USAGE_ERROR


def _period(args) -> Period | str:
    """The period the arguments ask for, or a usage error in words (exit 64)."""
    if args.period:
        if args.date_from or args.date_to:
            return "dùng --period hoặc --from/--to, không dùng cả hai"
        official = args.official or (not args.calendar and official_periods_default())
        return parse_period(args.period, official)
    if args.official or args.calendar:
        return "--official và --calendar chỉ dùng cùng --period"
    if not (args.date_from and args.date_to):
        return f"cần --from và --to, hoặc --period ({PERIOD_SHORTHANDS})"
    return Period(args.date_from, args.date_to)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "par":
        return _compute_and_write(args, PAR, lambda con: compute_par(con, args.year, args.peer_group, args.unit))
    if args.command == "inspection":
        try:
            compute = _inspection(args)
        except (SettingsError, ValueError) as e:
            return _fail(str(e))
        if isinstance(compute, str):
            return _usage_error(parser, compute)
        return _compute_and_write(args, INSPECTION, compute)
    command = COMMANDS[args.command]
    try:
        period = None if command.dated else _period(args)
    except (SettingsError, ValueError) as e:
        return _fail(str(e))
    if isinstance(period, str):
        return _usage_error(parser, period)
    return _compute_and_write(args, command, lambda con: command.compute(con, args, period))


def _connect(args):
    """A read-only connection to --db, or _UserError saying why there is none."""
    import duckdb
    if args.format in ("xlsx", "docx", "zip") and not args.out:
        raise _UserError(f"định dạng {args.format} cần tham số --out TỆP.{args.format}")
    if not os.path.exists(args.db):
        raise _UserError(f"không có tệp cơ sở dữ liệu '{args.db}'. Hãy nạp dữ liệu trước: "
                         f"python -m etl import TỆP … --db {args.db}")
    if os.path.isdir(args.db):
        raise _UserError(f"'{args.db}' là một thư mục, không phải tệp cơ sở dữ liệu: --db cần tên tệp (ví dụ "
                         "cchc.duckdb).")
    try:
        return connect_quietly(args.db, read_only=True)
    except duckdb.Error as e:
        raise _UserError(f"không mở được cơ sở dữ liệu '{args.db}': tệp không phải cơ sở dữ liệu DuckDB, bị hỏng, "
                         f"hoặc đang được chương trình khác ghi (chi tiết: {str(e).splitlines()[0]}).") from None


def _compute_and_write(args, command: _Command, compute: Callable) -> int:
    """Opens --db, computes, writes json, csv, xlsx, docx or zip to --out (json and csv: or stdout); the exit code."""
    import duckdb
    try:
        con = _connect(args)
    except _UserError as e:
        return _fail(str(e))
    try:
        result = compute(con)
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
    if args.format in ("xlsx", "docx", "zip"):
        try:
            if args.format == "xlsx":
                command.write_xlsx(result, args.out, scope_name, args)
            else:
                command.write_file[args.format](result, args.out, args)
        except OSError as e:
            return _fail(f"không ghi được tệp '{args.out}' ({e.strerror or e}).")
        except (UnknownUnitError, FormIdentityError, ValueError) as e:
            return _fail(str(e))
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
