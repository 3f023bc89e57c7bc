"""The 766 index's dated configuration (indicators/config/): criteria with their formula and source, bands, and the
reconciliation rules — read from CSV files people edit in Excel, refused with a message saying where."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common.formats import vn_date
from model.index766_vocab import INPUT_FIELDS
from model.measures import MEASURE_BY_NAME, ratio_reads

from ..definitions import CATALOGUE_COLUMNS
from ..view_cache import in_view, reused_in_view

__all__ = ["CONFIG_DIR", "FORMULAS", "SOURCES", "PROCEDURE_COUNTS", "Criterion", "Band", "Rule", "Index766Config",
           "Index766ConfigError", "load_index766_config"]

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
FORMULAS = ("linear", "capped", "two_parts")
SOURCES = ("dossiers", "catalogue", "procedures", "inputs")
# Counts of procedures (indicators/index766/sources.py): the catalogue's procedures of a unit with some activity.
PROCEDURE_COUNTS = ("dvctt_procedures", "dvctt_with_online", "fee_procedures", "fee_with_online_payment")
_NO_DENOMINATOR = ("zero", "full")
_WHEN = ("any", "computed_higher", "computed_lower")


class Index766ConfigError(ValueError):
    """A configuration table is missing, malformed or inconsistent (the message names the file and the row)."""


@dataclass(frozen=True)
class Criterion:
    group_id: str
    group_name: str
    group_max_points: float
    decision_group_id: str        # the decision text's five groups (DVCTT and payment as one group of 22)
    decision_group_name: str
    criterion_id: str
    name: str
    max_points: float
    formula: str                  # linear: max·r; capped: min(max, max·r/threshold); two_parts: max/2·(r₁ + r₂)
    threshold: float | None
    source: str                   # dossiers | catalogue | procedures | inputs
    numerator: str                # a measure, catalogue column, procedure count or input field (two_parts: 'a;b')
    denominator: str | None       # None for inputs: the file gives both
    numerator_less: str | None    # an input field whose numerator is taken off the numerator (5.1: petitions)
    fallback: tuple[str, str] | None   # measures used while the paper-result list is not loaded (6.1)
    no_denominator: str           # zero | full: the points when the denominator is 0
    not_applicable_levels: frozenset[str]   # unit levels the criterion does not apply to: full points
    source_vi: str
    action_vi: str                # what raises it, with {n} for the count ("đồng bộ thêm {n} hồ sơ")

    @property
    def parts(self) -> list[str]:
        return self.numerator.split(";")

    def dossier_measures(self) -> tuple[str, ...]:
        """The measures a dossier criterion reads: its numerator and denominator, the fallback pair, and the basis
        of a denominator over an optional field (scoring.py tells "no data" by it)."""
        if self.source != "dossiers":
            return ()
        pairs = [(self.numerator, self.denominator)] + ([self.fallback] if self.fallback else [])
        return tuple(dict.fromkeys(m for pair in pairs for m in ratio_reads(*pair)))


@dataclass(frozen=True)
class Band:
    name: str
    lower_bound: float


@dataclass(frozen=True)
class Rule:
    """A likely cause of a difference with the published score: on item ('total', 'group:1', 'criterion:1.4' or
    '*' for every item), when the fact reaches min_value and the difference goes the rule's way (when: any,
    computed_higher, computed_lower), the message with {value}."""
    item: str
    fact: str
    min_value: float
    when: str
    message_vi: str


@dataclass(frozen=True)
class Index766Config:
    valid_from: date
    criteria: tuple[Criterion, ...]
    bands_valid_from: date
    bands: tuple[Band, ...]           # highest bound first
    rules: tuple[Rule, ...]
    note: str | None = None           # set when the period ends before the first version took effect

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.criteria)

    def groups(self, decision: bool = False) -> list[tuple[str, str, float]]:
        """(id, name, max points) of the portal's six groups, or of the decision text's five."""
        out: dict[str, list] = {}
        for c in self.criteria:
            gid, name = (c.decision_group_id, c.decision_group_name) if decision else (c.group_id, c.group_name)
            out.setdefault(gid, [gid, name, 0.0])[2] += c.max_points
        return [tuple(v) for v in out.values()]

    def band(self, score: float | None) -> str | None:
        if score is None:
            return None
        return next((b.name for b in self.bands if score >= b.lower_bound - 1e-9), self.bands[-1].name)


# ---------------------------------------------------------------------------------------------------------
# Reading. Accept a BOM, ';' as separator, dd/mm/yyyy dates and decimal commas, as Excel saves them in Vietnam.

def _read_csv(path: Path, need: set[str]) -> list[tuple[int, dict]]:
    rows = _csv_rows(path)
    if not rows or not need <= set(rows[0][1]):
        raise Index766ConfigError(f"{path.name}: cần các cột {', '.join(sorted(need))}.")
    return rows


# A view scores many periods (the trend's weeks and months): each file is read once per view, not once per period.
@reused_in_view(connection_first=False)
def _csv_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise Index766ConfigError(f"Không tìm thấy tệp cấu hình chỉ số 766: {path}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for i, row in enumerate(reader, start=2):   # row 1 is the header
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if any(clean.values()):
            rows.append((i, clean))
    return rows


def _date(text: str, where: str) -> date:
    try:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    except ValueError:
        raise Index766ConfigError(f"{where}: ngày '{text}' không hợp lệ (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") from None


def _number(text: str, where: str) -> float:
    try:
        return float(text.replace(",", ".") if "." not in text else text)
    except ValueError:
        raise Index766ConfigError(f"{where}: '{text}' không phải là số.") from None


def _version(path: Path, rows: list[tuple[int, dict]], on: date) -> tuple[date, list[tuple[int, dict]], bool]:
    """The rows of the latest version in effect on `on` (the earliest, flagged False, when `on` precedes all)."""
    dated = [(_date(r["valid_from"], f"{path.name} dòng {i}"), i, r) for i, r in rows]
    in_effect = [d for d, _, _ in dated if d <= on]
    version = max(in_effect) if in_effect else min(d for d, _, _ in dated)
    return version, [(i, r) for d, i, r in dated if d == version], bool(in_effect)


_KNOWN = {"dossiers": set(MEASURE_BY_NAME), "catalogue": {c for c, _ in CATALOGUE_COLUMNS},
          "procedures": set(PROCEDURE_COUNTS), "inputs": set(INPUT_FIELDS)}


def _check_names(r: dict, where: str) -> None:
    """Every name the row counts with exists where its source keeps it."""
    source, known = r["source"], _KNOWN.get(r["source"])
    if known is None:
        raise Index766ConfigError(f"{where}: nguồn '{source}' không hợp lệ (một trong {', '.join(SOURCES)}).")
    names = r["numerator"].split(";") + ([r["denominator"]] if source != "inputs" else [])
    for name in names:
        if name not in known:
            raise Index766ConfigError(f"{where}: '{name}' không có trong nguồn '{source}'.")
    if r["numerator_less"] and r["numerator_less"] not in INPUT_FIELDS:
        raise Index766ConfigError(f"{where}: '{r['numerator_less']}' không phải trường của tệp đầu vào 766.")
    for name in r["fallback"].split("/") if r["fallback"] else []:
        if name not in MEASURE_BY_NAME:
            raise Index766ConfigError(f"{where}: '{name}' (cột fallback) không phải đại lượng đếm từ hồ sơ.")


def _criterion(r: dict, where: str) -> Criterion:
    if r["formula"] not in FORMULAS:
        raise Index766ConfigError(f"{where}: công thức '{r['formula']}' không hợp lệ (một trong {', '.join(FORMULAS)}).")
    threshold = _number(r["threshold"], where) if r["threshold"] else None
    if r["formula"] == "capped" and (threshold is None or not 0 < threshold <= 1):
        raise Index766ConfigError(f"{where}: ngưỡng đạt điểm tối đa phải trong (0; 1].")
    if r["formula"] == "two_parts" and (r["source"] != "inputs" or len(r["numerator"].split(";")) != 2):
        raise Index766ConfigError(f"{where}: công thức two_parts cần nguồn inputs và hai trường 'a;b'.")
    _check_names(r, where)
    if r["no_denominator"] not in _NO_DENOMINATOR:
        raise Index766ConfigError(f"{where}: no_denominator phải là zero hoặc full.")
    points = _number(r["max_points"], where)
    if points <= 0:
        raise Index766ConfigError(f"{where}: điểm tối đa phải lớn hơn 0.")
    fallback = tuple(r["fallback"].split("/")) if r["fallback"] else None
    return Criterion(r["group_id"], r["group_name"], _number(r["group_max_points"], where), r["decision_group_id"],
                     r["decision_group_name"], r["criterion_id"], r["criterion_name"], points, r["formula"], threshold,
                     r["source"], r["numerator"], r["denominator"] or None, r["numerator_less"] or None, fallback,
                     r["no_denominator"], frozenset(x.strip() for x in r["not_applicable_levels"].split(";") if x.strip()),
                     r["source_vi"], r["action_vi"])


_CRITERIA_COLUMNS = {"valid_from", "group_id", "group_name", "group_max_points", "decision_group_id",
                     "decision_group_name", "criterion_id", "criterion_name", "max_points", "formula", "threshold",
                     "source", "numerator", "denominator", "numerator_less", "fallback", "no_denominator",
                     "not_applicable_levels", "source_vi", "action_vi"}


def _criteria(path: Path, on: date) -> tuple[date, tuple[Criterion, ...], bool]:
    version, rows, in_effect = _version(path, _read_csv(path, _CRITERIA_COLUMNS), on)
    out = tuple(_criterion(r, f"{path.name} dòng {i}") for i, r in rows)
    ids = [c.criterion_id for c in out]
    if len(set(ids)) != len(ids):
        raise Index766ConfigError(f"{path.name}: mã tiêu chí trùng nhau trong bộ có hiệu lực từ {vn_date(version)}.")
    groups: dict[str, list[Criterion]] = {}
    for c in out:
        groups.setdefault(c.group_id, []).append(c)
    for gid, cs in groups.items():
        if len({c.group_max_points for c in cs}) != 1:
            raise Index766ConfigError(f"{path.name}: nhóm {gid} ghi điểm tối đa khác nhau giữa các dòng.")
        if abs(sum(c.max_points for c in cs) - cs[0].group_max_points) > 1e-9:
            raise Index766ConfigError(f"{path.name}: tổng điểm các tiêu chí nhóm {gid} "
                                      f"({sum(c.max_points for c in cs):g}) khác điểm tối đa của nhóm "
                                      f"({cs[0].group_max_points:g}).")
    total = sum(cs[0].group_max_points for cs in groups.values())
    if abs(total - 100) > 1e-9:
        raise Index766ConfigError(f"{path.name}: tổng điểm các nhóm là {total:g}, phải bằng 100.")
    return version, out, in_effect


def _bands(path: Path, on: date) -> tuple[date, tuple[Band, ...]]:
    version, rows, _ = _version(path, _read_csv(path, {"valid_from", "band", "lower_bound"}), on)
    bands = sorted((Band(r["band"], _number(r["lower_bound"], f"{path.name} dòng {i}")) for i, r in rows),
                   key=lambda b: -b.lower_bound)
    if bands[-1].lower_bound > 0:
        raise Index766ConfigError(f"{path.name}: mức thấp nhất phải bắt đầu từ 0 điểm.")
    return version, tuple(bands)


def _rules(path: Path, on: date) -> tuple[Rule, ...]:
    _, rows, _ = _version(path, _read_csv(path, {"valid_from", "item", "fact", "min_value", "when", "message_vi"}), on)
    for i, r in rows:
        if r["when"] not in _WHEN:
            raise Index766ConfigError(f"{path.name} dòng {i}: cột when phải là một trong {', '.join(_WHEN)}.")
    return tuple(Rule(r["item"], r["fact"], _number(r["min_value"], f"{path.name} dòng {i}"), r["when"],
                      r["message_vi"]) for i, r in rows)


@reused_in_view(connection_first=False)
def load_index766_config(on: date, config_dir: str | Path | None = None) -> Index766Config:
    """The criteria, bands and reconciliation rules in effect on `on` (a period's end date), from
    index766_criteria.csv, index766_bands.csv and index766_reconciliation.csv in config_dir (default
    indicators/config/)."""
    folder = Path(config_dir) if config_dir else CONFIG_DIR
    paths = _paths(folder)
    if not in_view():
        return _config(folder, config_dir is None, on, on, on)
    # A view scores many periods (the trend's weeks and months) that mostly share their versions: each set of
    # versions in effect is built once per view, not once per period.
    return _config_of_versions(folder, config_dir is None, _version_on(paths[0], on), _version_on(paths[1], on),
                               _version_on(paths[2], on) if paths[2].exists() else None)


def _paths(folder: Path) -> tuple[Path, Path, Path]:
    return folder / "index766_criteria.csv", folder / "index766_bands.csv", folder / "index766_reconciliation.csv"


@reused_in_view(connection_first=False)
def _version_dates(path: Path) -> list[date]:
    return [_date(r["valid_from"], f"{path.name} dòng {i}") for i, r in _csv_rows(path) if "valid_from" in r]


def _version_on(path: Path, on: date) -> tuple[date | None, bool]:
    """(the version _version picks for `on`, whether it is in effect on that day); None without dated rows (the
    full reading then says what is wrong)."""
    dates = _version_dates(path)
    in_effect = [d for d in dates if d <= on]
    return (max(in_effect) if in_effect else min(dates, default=None)), bool(in_effect)


def _as_of(version: tuple[date | None, bool] | None) -> date:
    """A day on which the same version is picked: its own first day, or before every version (the earliest)."""
    return version[0] if version and version[1] and version[0] is not None else date.min


@reused_in_view(connection_first=False)
def _config_of_versions(folder: Path, default_dir: bool, criteria: tuple, bands: tuple, rules: tuple | None
                        ) -> Index766Config:
    return _config(folder, default_dir, _as_of(criteria), _as_of(bands), _as_of(rules))


def _config(folder: Path, default_dir: bool, criteria_on: date, bands_on: date, rules_on: date) -> Index766Config:
    criteria_path, bands_path, rules_path = _paths(folder)
    version, criteria, in_effect = _criteria(criteria_path, criteria_on)
    bands_version, bands = _bands(bands_path, bands_on)
    rules = _rules(rules_path, rules_on) if rules_path.exists() or default_dir else ()
    note = None if in_effect else (f"Kỳ báo cáo kết thúc trước ngày bộ tiêu chí đầu tiên có hiệu lực "
                                   f"({vn_date(version)}); chấm theo bộ tiêu chí đó.")
    return Index766Config(version, criteria, bands_version, bands, rules, note)
