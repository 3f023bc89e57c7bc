"""Regenerates the README's generated sections (accepted headers from etl/vocab) so they cannot drift.

python scripts/readme_tables.py          rewrite README.md
python scripts/readme_tables.py --check  exit 1 when README.md is out of date (run by the tests)
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.dossiers.fields import FIELD_LABELS, REQUIRED_DOSSIER_FIELDS, aliases_by_field  # noqa: E402
from etl.plans import vocab as plan_vocab  # noqa: E402
from indicators.definitions import INDICATORS  # noqa: E402
from indicators.index766 import load_index766_config  # noqa: E402
from model.index766_vocab import INPUT_ALIASES, INPUT_FIELDS  # noqa: E402
from common.formats import vn_number  # noqa: E402


def headers_table() -> str:
    lines = ["| trường | bắt buộc | tiêu đề cột được nhận |", "|---|---|---|"]
    for field, aliases in aliases_by_field().items():
        required = "có" if field in REQUIRED_DOSSIER_FIELDS else ""
        lines.append(f"| `{field}` ({FIELD_LABELS.get(field, field)}) | {required} | {'; '.join(aliases)} |")
    return "\n".join(lines)


def indicators_table() -> str:
    lines = ["| mã | chỉ số | tử số / mẫu số | tốt hơn khi | mô tả |", "|---|---|---|---|---|"]
    for ind in INDICATORS:
        better = "cao" if ind.direction == "higher" else "thấp"
        lines.append(f"| `{ind.id}` | {ind.name_vi} | `{ind.numerator}` / `{ind.denominator}` | {better} | "
                     f"{ind.description_vi} |")
    return "\n".join(lines)


def _formula(c) -> str:
    mx = vn_number(c.max_points, 0 if float(c.max_points).is_integer() else 2)
    if c.formula == "capped":
        return f"min({mx}; {mx}·r/{vn_number(c.threshold, 2)})"
    if c.formula == "two_parts":
        half = vn_number(c.max_points / 2, 0 if float(c.max_points / 2).is_integer() else 2)
        return f"{half}·r₁ + {half}·r₂"
    return f"{mx}·r"


def index766_table() -> str:
    """The criteria in force in the newest version of indicators/config/index766_criteria.csv."""
    from datetime import date
    cfg = load_index766_config(date(9999, 12, 31))
    levels = {"ward": "phường", "commune": "xã", "district": "huyện", "department": "sở"}
    lines = [f"Bộ tiêu chí áp dụng từ {cfg.valid_from:%d/%m/%Y}.", "",
             "| nhóm | mã | tiêu chí | điểm | công thức | nguồn số liệu | mẫu số bằng 0 | không áp dụng |",
             "|---|---|---|---|---|---|---|---|"]
    for c in cfg.criteria:
        na = ", ".join(levels.get(x, x) for x in sorted(c.not_applicable_levels)) or ""
        zero = "đủ điểm" if c.no_denominator == "full" else "0 điểm"
        lines.append(f"| {c.group_id}. {c.group_name} ({vn_number(c.group_max_points)}) | {c.criterion_id} | {c.name} | "
                     f"{vn_number(c.max_points)} | {_formula(c)} | {c.source_vi} | {zero} | "
                     f"{('đủ điểm với ' + na) if na else ''} |")
    return "\n".join(lines)


def index766_inputs_table() -> str:
    """The criteria a 766 inputs file may name, with every text accepted for each (model/index766_vocab.csv)."""
    lines = ["| trường | tiêu chí | cũng nhận trong cột «Tiêu chí» |", "|---|---|---|"]
    for key, name in INPUT_FIELDS.items():
        lines.append(f"| `{key}` | {name} | {'; '.join(INPUT_ALIASES[key])} |")
    return "\n".join(lines)


def plan_headers_table() -> str:
    lines = ["| trường | tiêu đề cột được nhận |", "|---|---|"]
    for field, aliases in plan_vocab.aliases_by_field().items():
        lines.append(f"| `{field}` ({plan_vocab.FIELD_LABELS.get(field, field)}) | {'; '.join(aliases)} |")
    return "\n".join(lines)


STATUS_NAMES = {"done": "hoàn thành", "done_late": "hoàn thành trễ hạn", "in_progress": "đang thực hiện",
                "not_started": "chưa thực hiện"}


def status_table() -> str:
    lines = ["| tình trạng | chữ được nhận (không phân biệt hoa thường, dấu) |", "|---|---|"]
    for status, words in plan_vocab.status_words().items():
        lines.append(f"| {STATUS_NAMES.get(status, status)} | {'; '.join(words)} |")
    return "\n".join(lines)


SECTIONS = {"accepted-headers": headers_table, "indicators": indicators_table, "index766": index766_table,
            "index766-inputs": index766_inputs_table, "plan-headers": plan_headers_table, "task-status": status_table}


def render(readme: str) -> str:
    for name, build in SECTIONS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        block = f"{start}\n{build()}\n{end}"
        readme = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, readme, flags=re.S)
    return readme


def main() -> int:
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        if wanted != current:
            print("README.md is out of date: run python scripts/readme_tables.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
