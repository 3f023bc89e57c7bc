"""Indicator definitions as data: the §1 period-table columns, the rates and the procedure-catalogue columns."""
from __future__ import annotations

from dataclasses import dataclass

from model.measures import PERIOD_COLUMNS

__all__ = ["PERIOD_COLUMNS", "Indicator", "INDICATORS", "INDICATOR_BY_ID", "CATALOGUE_COLUMNS",
           "get_indicator"]

# The §1 columns (in the statutory order) and every count behind the rates are rows of the measure table,
# model/measures.py, from which both routes are generated.

# Procedure-catalogue columns (per unit from procedure_units); only groupings made of units carry them.
CATALOGUE_COLUMNS: list[tuple[str, str]] = [
    ("procedure_count", "Số TTHC của đơn vị"),
    ("online_procedures_full", "Số TTHC cung cấp DVCTT toàn trình"),
    ("online_procedures_partial", "Số TTHC cung cấp DVCTT một phần"),
    ("online_procedures", "Số TTHC cung cấp DVCTT (toàn trình + một phần)"),
]


@dataclass(frozen=True)
class Indicator:
    id: str
    name_vi: str
    name_en: str
    numerator: str          # a measure (model/measures.py) or a CATALOGUE_COLUMNS key
    denominator: str
    factor: float           # value = factor × Σnumerator / Σdenominator (1 for fractions)
    direction: str          # 'higher' or 'lower' is better
    target_key: str | None  # targets.indicator
    decimals: int           # digits shown after the percentage (or days) point
    description_vi: str
    unit: str = "fraction"  # 'fraction' (shown as %) or 'days'
    source: str = "dossiers"  # 'dossiers' or 'catalogue'


INDICATORS: list[Indicator] = [
    Indicator("on_time_rate", "Tỷ lệ giải quyết đúng hạn, trước hạn", "On-time resolution rate",
              "resolved_in_time", "resolved", 1, "higher", "on_time_rate", 2,
              "Số hồ sơ giải quyết trước hạn và đúng hạn trên tổng số hồ sơ đã giải quyết trong kỳ "
              "(không tính hồ sơ trả lại/rút)."),
    Indicator("late_rate", "Tỷ lệ trễ hạn", "Late resolution rate",
              "resolved_late", "resolved", 1, "lower", "late_rate", 2,
              "Số hồ sơ giải quyết quá hạn (kể cả hồ sơ phải bổ sung quá một lần) trên tổng số hồ sơ đã giải quyết."),
    Indicator("backlog_on_time_rate", "Tỷ lệ đúng hạn trên tổng hồ sơ phải giải quyết",
              "On-time rate over all dossiers to handle",
              "not_late_total", "total_to_handle", 1, "higher", "backlog_on_time_rate", 2,
              "1 − (hồ sơ giải quyết quá hạn + hồ sơ đang giải quyết quá hạn) / tổng số hồ sơ nhận giải quyết "
              "(cách tính một số tỉnh công bố)."),
    Indicator("progress_766", "Tiến độ giải quyết (766)", "Handling progress (Decision 766)",
              "progress_766_ok", "received_new", 1, "higher", "progress_766", 2,
              "Trong số hồ sơ tiếp nhận trong kỳ: số hồ sơ đã giải quyết trước/đúng hạn, trả lại/rút, hoặc đang "
              "giải quyết còn trong hạn tại ngày cuối kỳ, trên tổng số hồ sơ tiếp nhận trong kỳ."),
    Indicator("same_day_rate", "Tỷ lệ giải quyết trong ngày", "Same-day resolution rate",
              "resolved_same_day", "resolved", 1, "higher", "same_day_rate", 2,
              "Số hồ sơ có ngày giải quyết trùng ngày tiếp nhận trên tổng số hồ sơ đã giải quyết."),
    Indicator("online_rate", "Tỷ lệ hồ sơ trực tuyến", "Online submission rate",
              "received_online", "received_new", 1, "higher", "online_rate", 2,
              "Số hồ sơ tiếp nhận trực tuyến trên tổng số hồ sơ mới tiếp nhận trong kỳ."),
    Indicator("online_rate_eligible", "Tỷ lệ hồ sơ trực tuyến (TTHC có DVCTT)", "Online rate (procedures offered online)",
              "received_online_eligible", "received_eligible", 1, "higher", "online_rate_eligible", 2,
              "Như tỷ lệ hồ sơ trực tuyến nhưng chỉ tính hồ sơ của TTHC có cung cấp dịch vụ công trực tuyến "
              "(toàn trình hoặc một phần)."),
    Indicator("paid_online_rate", "Tỷ lệ hồ sơ thanh toán trực tuyến", "Online payment rate",
              "received_fee_paid_online", "received_fee", 1, "higher", "paid_online_rate", 2,
              "Số hồ sơ mới tiếp nhận có phí, lệ phí được thanh toán trực tuyến trên số hồ sơ mới tiếp nhận có phí."),
    Indicator("digitized_rate", "Tỷ lệ hồ sơ được số hóa", "Digitized dossier rate",
              "received_digitized", "received_new", 1, "higher", "digitized_rate", 2,
              "Số hồ sơ mới tiếp nhận được số hóa trên tổng số hồ sơ mới tiếp nhận."),
    Indicator("e_result_rate", "Tỷ lệ kết quả điện tử", "Electronic result rate",
              "resolved_e_result", "resolved", 1, "higher", "e_result_rate", 2,
              "Số hồ sơ đã giải quyết có kết quả điện tử trên tổng số hồ sơ đã giải quyết."),
    Indicator("data_reuse_rate", "Tỷ lệ tái sử dụng dữ liệu", "Data reuse rate",
              "received_data_reused", "received_new", 1, "higher", "data_reuse_rate", 2,
              "Số hồ sơ mới tiếp nhận có tái sử dụng dữ liệu đã số hóa trên tổng số hồ sơ mới tiếp nhận."),
    Indicator("sync_rate", "Tỷ lệ đồng bộ Cổng DVCQG", "National portal sync rate",
              "received_synced", "received_new", 1, "higher", "sync_rate", 2,
              "Số hồ sơ mới tiếp nhận được đồng bộ lên Cổng Dịch vụ công quốc gia trên tổng số hồ sơ mới tiếp nhận."),
    Indicator("apology_rate", "Tỷ lệ hồ sơ trễ hạn có phiếu xin lỗi", "Apology rate for late dossiers",
              "late_apology", "late_any", 1, "higher", "apology_rate", 2,
              "Số hồ sơ trễ hạn (giải quyết quá hạn và đang giải quyết quá hạn) có phiếu xin lỗi trên tổng số hồ "
              "sơ trễ hạn đó."),
    Indicator("rating_satisfaction", "Tỷ lệ hài lòng (đánh giá hồ sơ)", "Satisfaction rate (dossier ratings)",
              "rated_satisfied", "rated", 1, "higher", "rating_satisfaction", 2,
              "Số đánh giá Hài lòng hoặc Rất hài lòng trên tổng số đánh giá, tính trên hồ sơ giải quyết hoặc "
              "trả lại trong kỳ."),
    Indicator("avg_days", "Thời gian giải quyết trung bình", "Mean handling time",
              "resolved_workdays", "resolved", 1, "lower", "avg_days", 1,
              "Số ngày làm việc trung bình từ ngày tiếp nhận đến ngày giải quyết của hồ sơ đã giải quyết "
              "(tính thứ Hai–thứ Sáu, trừ ngày nghỉ lễ, Tết và ngày nghỉ bù trong danh mục ngày nghỉ).", unit="days"),
    Indicator("online_procedure_rate", "Tỷ lệ TTHC cung cấp DVCTT", "Share of procedures offered online",
              "online_procedures", "procedure_count", 1, "higher", "online_procedure_rate", 2,
              "Số TTHC có dịch vụ công trực tuyến (toàn trình hoặc một phần) trên tổng số TTHC thuộc thẩm quyền "
              "của đơn vị, theo danh mục TTHC của đơn vị.", source="catalogue"),
]

INDICATOR_BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def get_indicator(indicator_id: str) -> Indicator:
    try:
        return INDICATOR_BY_ID[indicator_id]
    except KeyError:
        raise KeyError(f"Không có chỉ tiêu '{indicator_id}'. Các chỉ tiêu: {', '.join(INDICATOR_BY_ID)}") from None
