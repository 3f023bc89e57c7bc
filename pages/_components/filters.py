"""The filter bar every page shares (period, unit, sector) and its URL query string: parse, defaults, write back.

A period is a calendar period or the Ministry's official window of it ("Kỳ báo cáo chính thức", reporting.md §2:
Quý II/2022 = 15/03/2022 – 14/06/2022), chosen beside the kind and kept in the URL as chinh_thuc=1 (or 0); without
it, the city's setting decides (config/city.toml, CCHC_OFFICIAL_PERIODS)."""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field, replace
from datetime import date
from typing import Mapping
from urllib.parse import parse_qs, urlencode

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update

from accounts import audit_out_of_scope
from common.formats import vn_date, vn_slug
from common.settings import official_periods_default
from common.workbook import safe_file_stem
from indicators import Period
from indicators.coverage import data_date_range, list_fields
from indicators.sipas import survey_years
from indicators.engine import LEVEL_NAMES_VI
from indicators.periods import official_window, period_name_vi, period_short_name
from indicators.units import Unit, former_names, list_units, structure_parts
from pages._components.memo import memo_by_database
from pages._components.viewer_scope import outside_scope_text, subtree_codes, viewer_scope

__all__ = ["KINDS", "FILTER_KEYS", "FilterContext", "Filters", "load_filter_context", "parse_filters", "parse_query",
           "updated_search", "carry_filters", "filter_bar", "ROMAN", "unit_name"]

# URL scheme: ?ky=quy&nam=2022&quy=2&don_vi=SKHDT&linh_vuc=Hộ+tịch. Keys and kind values are ASCII so a link
# survives any mail client; the sector is the name itself (percent-encoded).
KINDS = {"thang": "Tháng", "quy": "Quý", "6thang": "6 tháng", "9thang": "9 tháng", "nam": "Năm",
         "tuy_chon": "Tùy chọn"}
FILTER_KEYS = ("ky", "nam", "thang", "quy", "nua", "tu", "den", "chinh_thuc", "don_vi", "linh_vuc")
PERIOD_TYPES = {"lich": "Theo lịch (ngày 1 – cuối tháng)", "chinh_thuc": "Kỳ báo cáo chính thức (15 – 14)"}
DEFAULT_KIND = "quy"   # the rhythm of the statutory CCHC reports
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_SUB_KEY = {"thang": "thang", "quy": "quy", "6thang": "nua"}
_SUB_RANGE = {"thang": range(1, 13), "quy": range(1, 5), "6thang": range(1, 3)}


@dataclass(frozen=True)
class FilterContext:
    """What the filters may take: the data's date range, the units and the sectors (read once per view)."""
    data_start: date | None
    data_end: date | None
    units: tuple[Unit, ...] = ()
    fields: tuple[str, ...] = ()
    unit_codes: frozenset = dc_field(default_factory=frozenset)
    other_years: tuple[int, ...] = ()   # years with data other than dossiers (SIPAS surveys)
    # unit code → names of the units it was formed from, largest share first (an old name finds the new unit)
    former: Mapping[str, tuple[str, ...]] = dc_field(default_factory=dict)
    reorganizations: tuple[date, ...] = ()   # days the structure of units changed (01/07/2025), within the data
    # A unit account's own unit (viewer_scope): units and unit_codes then hold its subtree only, and a request
    # for no unit or for a unit outside it shows this one.
    root_unit: str | None = None

    @property
    def years(self) -> list[int]:
        if self.data_start is None or self.data_end is None:
            return sorted({self.end.year, *self.other_years})
        return sorted({*range(self.data_start.year, self.data_end.year + 1), *self.other_years})

    @property
    def end(self) -> date:
        return self.data_end or date.today()


@dataclass(frozen=True)
class Filters:
    kind: str
    year: int
    sub: int | None          # month, quarter or half, by kind
    period: Period
    unit: str | None = None
    field: str | None = None
    official: bool = False   # the Ministry's window of the calendar period (never for tuy_chon)
    # The city's setting, read once for these filters: params() runs for every link a page draws, and reading the
    # settings file each time cost 50 ms a view.
    official_default: bool = dc_field(default_factory=official_periods_default, compare=False, repr=False)

    def params(self) -> dict[str, str]:
        """The canonical URL parameters of these filters, in a fixed order."""
        out = {"ky": self.kind}
        if self.kind == "tuy_chon":
            out.update(tu=self.period.start.isoformat(), den=self.period.end.isoformat())
        else:
            out["nam"] = str(self.year)
            if self.kind in _SUB_KEY:
                out[_SUB_KEY[self.kind]] = str(self.sub)
            if self.official != self.official_default:
                out["chinh_thuc"] = "1" if self.official else "0"
        if self.unit:
            out["don_vi"] = self.unit
        if self.field:
            out["linh_vuc"] = self.field
        return out

    def search(self, **changes) -> str:
        """'?ky=…' for a link to the same filters with some parameters changed (None removes one)."""
        params = self.params()
        for key, value in changes.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "?" + urlencode(params)

    def period_name(self) -> str:
        """Quý II/2022, 6 tháng đầu năm 2022, Từ 15/05/2022 đến 15/06/2022 …; an official window names itself
        with its dates: Kỳ báo cáo chính thức Quý II/2022 (15/03/2022 – 14/06/2022)."""
        if self.official:
            return period_name_vi(self.period)
        y, s = self.year, self.sub
        return {"thang": f"Tháng {s:02d}/{y}" if s else "", "quy": f"Quý {ROMAN.get(s, s)}/{y}",
                "6thang": f"6 tháng {'đầu' if s == 1 else 'cuối'} năm {y}", "9thang": f"9 tháng năm {y}",
                "nam": f"Năm {y}"}.get(self.kind) or f"Từ {vn_date(self.period.start)} đến {vn_date(self.period.end)}"

    def label(self) -> str:
        if self.kind == "tuy_chon" or self.official:
            return self.period_name()
        return f"{self.period_name()} (từ {vn_date(self.period.start)} đến {vn_date(self.period.end)})"

    def file_stem(self, name: str) -> str:
        """A file name for downloads: tong_quan_Quy_II_2022_SKHDT (no accents: Windows and mail survive it)."""
        period = f"{period_short_name(self.period)}_chinh_thuc" if self.official else self.period_name()
        parts = [name, period] + [p for p in (self.unit, self.field) if p]
        return safe_file_stem("_".join(parts))


def load_filter_context(con) -> FilterContext:
    """What the filters may take for the viewer asking (viewer_scope): every unit, or a unit account's subtree."""
    root = viewer_scope().root
    return _database_context(con) if root is None else _scoped_context(con, root)


@memo_by_database(maxsize=64, skip_first_arg=True)
def _scoped_context(con, root: str) -> FilterContext:
    ctx = _database_context(con)
    codes = subtree_codes(con, root)
    return replace(ctx, units=tuple(u for u in ctx.units if u.code in codes), unit_codes=frozenset(codes),
                   former={k: v for k, v in ctx.former.items() if k in codes}, root_unit=root)


@memo_by_database(maxsize=8, skip_first_arg=True)
def _database_context(con) -> FilterContext:
    start, end = data_date_range(con)
    units = tuple(list_units(con))
    former = {code: tuple(dict.fromkeys(name for name, _ in names)) for code, names in former_names(con).items()}
    changes = tuple(p.start for p in structure_parts(con, start, end)[1:]) if start and end else ()
    return FilterContext(start, end, units, tuple(list_fields(con)), frozenset(u.code for u in units),
                         tuple(survey_years(con)), former, changes)


# ---------------------------------------------------------------------------------------------------------
# Parsing: any query string gives valid filters; a bad value falls back to its default, never an error.

def _first(query: Mapping, key: str) -> str | None:
    value = query.get(key)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _int(text: str | None, allowed) -> int | None:
    try:
        n = int(text)
    except (TypeError, ValueError):
        return None
    return n if n in allowed else None


def _iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _period(kind: str, year: int, sub: int | None, official: bool = False) -> Period:
    if kind == "thang":
        calendar = Period.month(year, sub)
    elif kind == "quy":
        calendar = Period.quarter(year, sub)
    elif kind == "6thang":
        calendar = Period.half(year, sub)
    elif kind == "9thang":
        calendar = Period.nine_months(year)
    else:
        calendar = Period.year(year)
    return official_window(calendar) if official else calendar


def _latest(kind: str, ctx: FilterContext, year: int | None = None, official: bool = False) -> tuple[int, int | None]:
    """The latest (year, sub) of this kind whose period is whole (ends by the data's end), within `year` when
    given; when none is whole yet, the one that holds the data's last day."""
    end = ctx.end
    years = [year] if year is not None else sorted(ctx.years, reverse=True)
    for y in years:
        subs = list(reversed(_SUB_RANGE[kind])) if kind in _SUB_RANGE else [None]
        for s in subs:
            if _period(kind, y, s, official).end <= end:
                return y, s
    y = year if year is not None else end.year
    if kind == "thang":
        return y, end.month if y == end.year else 1
    if kind == "quy":
        return y, (end.month - 1) // 3 + 1 if y == end.year else 1
    if kind == "6thang":
        return y, 1 if (y != end.year or end.month <= 6) else 2
    return y, None


def parse_filters(query: Mapping | str | None, ctx: FilterContext) -> Filters:
    """URL query (a dict from Dash's layout(**query), or '?ky=…') → Filters with safe defaults."""
    if isinstance(query, str) or query is None:
        query = parse_query(query)
    kind = _first(query, "ky")
    kind = kind if kind in KINDS else DEFAULT_KIND
    unit = _first(query, "don_vi")
    if unit and unit not in ctx.unit_codes and ctx.root_unit is not None:
        audit_out_of_scope(unit)
    unit = unit if unit in ctx.unit_codes else ctx.root_unit   # a unit account never leaves its subtree
    field = _first(query, "linh_vuc")
    field = field if field in ctx.fields else None
    asked = _first(query, "chinh_thuc")
    official = asked == "1" if asked in ("0", "1") else official_periods_default()

    if kind == "tuy_chon":
        a, b = _iso(_first(query, "tu")), _iso(_first(query, "den"))
        if a and b and 1900 <= a.year <= 2100 and 1900 <= b.year <= 2100:
            a, b = min(a, b), max(a, b)   # a range typed backwards is still the range meant
            return Filters(kind, b.year, None, Period(a, b), unit, field)
        kind = DEFAULT_KIND

    year = _int(_first(query, "nam"), ctx.years)
    sub = _int(_first(query, _SUB_KEY[kind]), _SUB_RANGE[kind]) if kind in _SUB_KEY else None
    if year is None:
        year, default_sub = _latest(kind, ctx, official=official)
        sub = sub if sub is not None and _period(kind, year, sub, official).start <= ctx.end else default_sub
    elif kind in _SUB_KEY and (sub is None or _period(kind, year, sub, official).start > ctx.end):
        sub = _latest(kind, ctx, year, official)[1]
    return Filters(kind, year, sub, _period(kind, year, sub, official), unit, field, official)


def updated_search(search: str | None, **changes) -> str:
    """The query string with some parameters set (None or '' removes one), the others kept as they were."""
    params = parse_query(search)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return ("?" + urlencode(params)) if params else ""


def carry_filters(search: str | None) -> str:
    """Only the shared filter parameters of a query string: what a link to another page keeps."""
    params = {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items() if k in FILTER_KEYS}
    return ("?" + urlencode(params)) if params else ""


# ---------------------------------------------------------------------------------------------------------
# The bar. Rendered by each page from the parsed filters (so its controls start from the URL); one callback
# writes every change back to the URL, and the page is rendered again from it.

DROPDOWN_LABELS = {"search": "Tìm", "clear_search": "Xóa", "clear_selection": "Bỏ chọn",
                   "no_options_found": "Không tìm thấy", "select_all": "Chọn tất cả",
                   "deselect_all": "Bỏ chọn tất cả", "selected_count": "đã chọn"}


FORMER_SHOWN = 3   # former names written into an option's label; the search knows them all


def _unit_options(ctx: FilterContext) -> list[dict]:
    names = {u.code: u.name for u in ctx.units}
    parents = {u.code: u.parent_code for u in ctx.units}
    options = []
    for u in ctx.units:
        # Wards share names across districts (Phường 1 …): the district goes into every ward's label (a name
        # held by several units already carries it, see model.units.NAMED_UNITS_SQL). A ward of the two-level
        # city reports to the city itself: no district to name.
        parent = names.get(u.parent_code) if u.level in ("ward", "commune") and parents.get(u.parent_code) else None
        label = f"{u.name} – {parent}" if parent and not u.name.endswith(f" – {parent}") else u.name
        if u.valid_to is not None:   # a unit merged away stays findable (its history), marked as such
            label += f" (đến {vn_date(u.valid_to)})"
        former = ctx.former.get(u.code, ())
        if former:   # the old name a person still uses finds the new unit
            label += (" – trước đây: " + ", ".join(former[:FORMER_SHOWN])
                      + (f" và {len(former) - FORMER_SHOWN} đơn vị khác" if len(former) > FORMER_SHOWN else ""))
        level = LEVEL_NAMES_VI.get(u.level, u.level)
        words = " ".join(former)
        options.append({"label": label, "value": u.code,
                        "search": f"{label} {vn_slug(label, sep=' ')} {u.code} {level} {words} {vn_slug(words, sep=' ')}"})
    return options


def _select(label: str, control, visible: bool = True) -> html.Label:
    return html.Label([html.Span(label, className="filter-label"), control], className="filter-item",
                      style=None if visible else {"display": "none"})


def _date_range_group(label: str, control, visible: bool) -> html.Div:
    """The date range under its caption, in a group rather than a <label>: a browser forwards every click inside a
    label to its first input, so a day clicked in the calendar also clicked 'Từ ngày', whose focus made the
    picker take back the start date it had just been given."""
    return html.Div([html.Span(label, className="filter-label", id="filters-khoang-caption"), control],
                    className="filter-item", role="group", **{"aria-labelledby": "filters-khoang-caption"},
                    style=None if visible else {"display": "none"})


def link_corrections(query: Mapping | None, filters: Filters, ctx: FilterContext) -> list[str]:
    """What a link asked for that the page could not show, and what it shows instead, in words. Why: a bad
    value falls back to a default (never an error), and a colleague opening a link for 2019 must not take the
    2022 figures on screen for 2019's."""
    query = query or {}
    notes = []
    shown = filters.label()
    shown = shown[0].lower() + shown[1:]   # mid-sentence: "đang hiển thị quý IV/2022 (…)"
    kind = _first(query, "ky")
    if kind and kind not in KINDS:
        notes.append(f"Kỳ báo cáo «{kind}» không hợp lệ; đang hiển thị {shown}.")
    elif kind == "tuy_chon" and filters.kind != "tuy_chon":
        notes.append(f"Khoảng ngày trong liên kết không hợp lệ; đang hiển thị {shown}.")
    asked_year = _first(query, "nam")
    if filters.kind != "tuy_chon" and asked_year and asked_year != str(filters.year):
        years = ", ".join(map(str, ctx.years))
        notes.append(f"Không có dữ liệu năm «{asked_year}» (dữ liệu có các năm {years}); "
                     f"đang hiển thị {shown}.")
    elif filters.kind in _SUB_KEY:
        asked_sub = _first(query, _SUB_KEY[filters.kind])
        if asked_sub and asked_sub != str(filters.sub):
            notes.append(f"Kỳ «{KINDS[filters.kind].lower()} {asked_sub}» không hợp lệ hoặc chưa có dữ liệu; "
                         f"đang hiển thị {shown}.")
    asked_unit = _first(query, "don_vi")
    if ctx.root_unit is not None and asked_unit and asked_unit != filters.unit:
        # the same words whether the unit exists or not: a unit account learns nothing of others' codes
        own = _unit_name(ctx, ctx.root_unit)
        notes.append(outside_scope_text(own))
    elif asked_unit and asked_unit != filters.unit:
        notes.append(f"Không có đơn vị mã «{asked_unit}» trong danh mục; đang hiển thị toàn thành phố.")
    asked_field = _first(query, "linh_vuc")
    if asked_field and asked_field != filters.field:
        notes.append(f"Không có lĩnh vực «{asked_field}» trong dữ liệu; đang hiển thị mọi lĩnh vực.")
    return notes


def unit_name(ctx: FilterContext, code: str | None) -> str | None:
    """The name of a unit of the filter's list, None when the list has no such code."""
    return next((u.name for u in ctx.units if u.code == code), None)


def _unit_name(ctx: FilterContext, code: str) -> str:
    return unit_name(ctx, code) or "đơn vị của bạn"


def _reorganization_notice(filters: Filters, ctx: FilterContext) -> list:
    """A period spanning a reorganization says so on every page: its figures by unit are shown per structure."""
    days = [d for d in ctx.reorganizations if filters.period.start < d <= filters.period.end]
    if not days:
        return []
    when = ", ".join(vn_date(d) for d in days)
    return [html.P(f"Kỳ này có sắp xếp lại đơn vị hành chính (từ ngày {when}): số liệu theo đơn vị và xếp hạng được "
                   "trình bày riêng cho cơ cấu trước và sau ngày đó, không xếp lẫn đơn vị cũ với đơn vị mới. Tổng số "
                   "toàn thành phố tính trên cả kỳ.", className="notice", id="filters-reorganization-notice",
                   role="status")]


def filter_bar(filters: Filters, ctx: FilterContext, query: Mapping | None = None) -> html.Div:
    f = filters
    corrections = link_corrections(query, filters, ctx)
    kind = f.kind
    end_month = f.period.end.month
    month = f.sub if kind == "thang" else end_month
    quarter = f.sub if kind == "quy" else (end_month - 1) // 3 + 1
    half = f.sub if kind == "6thang" else (1 if end_month <= 6 else 2)
    start, end = f.period.start.isoformat(), f.period.end.isoformat()
    period_type = "chinh_thuc" if f.official else "lich"
    initial = [kind, f.year, month, quarter, half, start, end, f.unit, f.field, period_type]
    return html.Div([
        dcc.Store(id="filters-initial", data=initial),
        dcc.Store(id="filters-khoang-applied", data=[start, end]),   # the range once finished (date_range_hold.js)
        html.Div([
            _select("Kỳ báo cáo", dcc.Dropdown(id="filters-ky", options=[{"label": v, "value": k} for k, v in KINDS.items()],
                                               value=kind, clearable=False, searchable=False)),
            _select("Loại kỳ", dcc.Dropdown(id="filters-loai-ky",
                                            options=[{"label": v, "value": k} for k, v in PERIOD_TYPES.items()],
                                            value=period_type, clearable=False, searchable=False),
                    kind != "tuy_chon"),
            _select("Năm", dcc.Dropdown(id="filters-nam", options=[{"label": str(y), "value": y} for y in ctx.years],
                                        value=f.year, clearable=False, searchable=False), kind != "tuy_chon"),
            _select("Tháng", dcc.Dropdown(id="filters-thang", options=[{"label": f"Tháng {m}", "value": m} for m in range(1, 13)],
                                          value=month, clearable=False,
                                          searchable=False), kind == "thang"),
            _select("Quý", dcc.Dropdown(id="filters-quy", options=[{"label": f"Quý {ROMAN[q]}", "value": q} for q in range(1, 5)],
                                        value=quarter, clearable=False,
                                        searchable=False), kind == "quy"),
            _select("Nửa năm", dcc.Dropdown(id="filters-nua", options=[{"label": "6 tháng đầu năm", "value": 1},
                                                                      {"label": "6 tháng cuối năm", "value": 2}],
                                            value=half,
                                            clearable=False, searchable=False), kind == "6thang"),
            _date_range_group("Từ ngày – đến ngày", dcc.DatePickerRange(
                id="filters-khoang", start_date=start, end_date=end,
                display_format="DD/MM/YYYY", month_format="'Tháng' M/YYYY", first_day_of_week=1,
                start_date_placeholder_text="Từ ngày", end_date_placeholder_text="Đến ngày", minimum_nights=0,
                initial_visible_month=f.period.start.isoformat()), kind == "tuy_chon"),
            _select("Đơn vị", dcc.Dropdown(id="filters-don-vi", options=_unit_options(ctx), value=f.unit,
                                           placeholder="Toàn thành phố (mọi đơn vị)", labels=DROPDOWN_LABELS,
                                           clearable=ctx.root_unit is None,   # a unit account has no city view
                                           optionHeight=52, maxHeight=360)),
            _select("Lĩnh vực", dcc.Dropdown(id="filters-linh-vuc", options=[{"label": x, "value": x} for x in ctx.fields],
                                             value=f.field, placeholder="Mọi lĩnh vực", labels=DROPDOWN_LABELS,
                                             maxHeight=320)),
        ], className="filter-row"),
        html.P(["Kỳ báo cáo: ", html.Strong(f.label(), id="filters-period-label")], className="filter-summary"),
        *_reorganization_notice(f, ctx),
        *([html.Div([html.P(n) for n in corrections], className="notice notice--warning", id="filters-link-notice",
                    role="status")] if corrections else []),
    ], className="filter-bar", id="filters-bar")


# A range typed or clicked in the picker reaches the address only when it is finished: writing it after the
# start date alone redrew the page while the end date was being typed, and the redraw dropped it.
clientside_callback(ClientsideFunction("cchc_dates", "hold_until_finished"),
                    Output("filters-khoang-applied", "data"),
                    Input("filters-khoang", "start_date"), Input("filters-khoang", "end_date"),
                    prevent_initial_call=True)


@callback(Output("url", "search"),
          Input("filters-ky", "value"), Input("filters-nam", "value"), Input("filters-thang", "value"),
          Input("filters-quy", "value"), Input("filters-nua", "value"), Input("filters-khoang-applied", "data"),
          Input("filters-don-vi", "value"), Input("filters-linh-vuc", "value"),
          Input("filters-loai-ky", "value"), State("url", "search"), State("filters-initial", "data"),
          prevent_initial_call=True)
def _write_filters_to_url(kind, year, month, quarter, half, date_range, unit, field, period_type, search, initial):
    start, end = date_range or (None, None)
    # Dash fires this when a page inserts the bar, although nobody changed anything: no URL write then (it
    # would render the page a second time, and rewrite the address the user typed).
    if [kind, year, month, quarter, half, start, end, unit, field, period_type] == initial:
        return no_update
    changes = dict.fromkeys(FILTER_KEYS)   # every filter key reset, then the ones this kind uses set
    changes.update(ky=kind, don_vi=unit, linh_vuc=field)
    if kind == "tuy_chon":
        changes.update(tu=(start or "")[:10], den=(end or start or "")[:10])
    else:
        changes["nam"] = year
        official = period_type == "chinh_thuc"
        changes["chinh_thuc"] = None if official == official_periods_default() else ("1" if official else "0")
        if kind in _SUB_KEY:
            changes[_SUB_KEY[kind]] = {"thang": month, "quy": quarter, "6thang": half}[kind]
    new = updated_search(search, **changes)
    # Writing the same query again would render the page again for nothing.
    return no_update if new == (search or "") else new


def parse_query(search: str | None) -> dict[str, str]:
    """'?a=1&b=2' → {'a': '1', 'b': '2'} (the first value of a repeated key), as Dash passes it to layout()."""
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?"), keep_blank_values=True).items()}
