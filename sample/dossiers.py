"""Vectorized dossier simulation: counts per unit and day, then every date, status and flag as numpy arrays."""
from dataclasses import dataclass

import numpy as np

from . import workdays as cal

# Outcome classes of a dossier (kept beside the data so writers and checks can use them).
SAME_DAY, NORMAL, LATE, RETURNED = 0, 1, 2, 3

DAY = np.timedelta64(1, "D")
SECOND = np.timedelta64(1, "s")
SNAPSHOT = cal.YEAR_END  # the exports are year-end snapshots: anything finishing later is still pending

# Relative monthly volume: the rush before Tết (January), the Tết dip (February), a busy year end.
MONTH_SEASON = np.array([1.15, 0.75, 1.05, 0.95, 1.0, 1.0, 1.0, 1.0, 0.95, 1.0, 1.05, 1.1])
# Sectors where lateness concentrates (the land and construction backlog), as multipliers of the base late share.
LATE_FIELDS = {"Đất đai": 10.0, "Xây dựng": 8.0}
BUSINESS_FIELDS = ("doanh nghiệp", "hợp tác xã", "Đầu tư", "Đấu thầu", "ODA", "Đăng ký kinh doanh", "Hải quan",
                   "Lưu thông hàng hóa", "Kho bạc")


@dataclass
class Catalogue:
    """Procedure attributes as arrays indexed like the procedure list."""
    statutory_days: np.ndarray
    fee: np.ndarray
    online: np.ndarray          # 0 none, 1 partial, 2 full
    late_mult: np.ndarray
    business: np.ndarray        # applicants are mostly enterprises
    weight: np.ndarray

    @classmethod
    def from_procedures(cls, procedures) -> "Catalogue":
        return cls(
            statutory_days=np.array([p.statutory_days for p in procedures], dtype=np.int64),
            fee=np.array([p.fee for p in procedures], dtype=np.int64),
            online=np.array([{"none": 0, "partial": 1, "full": 2}[p.online_level] for p in procedures], dtype=np.int8),
            late_mult=np.array([LATE_FIELDS.get(p.field, 1.0) for p in procedures]),
            business=np.array([any(k in p.field for k in BUSINESS_FIELDS) for p in procedures]),
            weight=np.array([p.weight for p in procedures], dtype=float),
        )


@dataclass
class BlockPlan:
    """How one block of units (same level, same vendor) produces dossiers over a date range."""
    units: list[int]                    # global unit indices
    unit_weight: np.ndarray             # relative volume per unit
    unit_procs: list[np.ndarray]        # per unit: procedure indices of its catalogue
    unit_late_mult: np.ndarray
    daily_volume: float                 # expected dossiers per ordinary working day, whole block
    same_day_share: float               # outside the action month
    window_same_day: int | None = None  # exact same-day count in the action month, if prescribed
    window_same_day_share: float = 0.85
    saturday_weight: float = 0.0
    start: np.datetime64 = cal.YEAR_START
    end: np.datetime64 = cal.YEAR_END
    base_late: float = 0.004
    withdraw_share: float = 0.008
    stop_share: float = 0.003
    supplement2_share: float = 0.002
    online_boost: float = 1.0
    snapshot: np.datetime64 = SNAPSHOT     # the day the export is taken: results after it are still pending


def _day_weights(days: np.ndarray, saturday_weight: float) -> np.ndarray:
    month = days.astype("datetime64[M]").astype(int) % 12
    weight = np.where(cal.is_workday(days), 1.0, np.where(cal.is_open_saturday(days), saturday_weight, 0.0))
    return weight * MONTH_SEASON[month]


def plan_counts(plan: BlockPlan, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dossier counts per (unit, day): (days, same-day counts, other counts), each [units × days]."""
    days = np.arange(plan.start, plan.end + 1, dtype="datetime64[D]")
    dw = _day_weights(days, plan.saturday_weight)
    uw = plan.unit_weight / plan.unit_weight.sum()
    lam = plan.daily_volume * uw[:, None] * dw[None, :]
    total = rng.poisson(lam)
    same = rng.binomial(total, plan.same_day_share)
    window = (days >= cal.ACTION_START) & (days <= cal.ACTION_END)
    if plan.window_same_day is not None and window.any():
        # The action month's same-day total is a published figure: draw it exactly, spread like the volume.
        wl = lam[:, window] * plan.window_same_day_share
        exact = rng.multinomial(plan.window_same_day, (wl / wl.sum()).ravel()).reshape(wl.shape)
        same[:, window] = exact
        total[:, window] = exact + rng.poisson(lam[:, window] * (1 - plan.window_same_day_share))
    return days, same, total - same


def expand_counts(days, same, other, unit_ids: np.ndarray):
    """Turn count matrices into one row per dossier: (unit index, received day, is same-day)."""
    n_units, n_days = same.shape
    u_grid = np.repeat(unit_ids, n_days)
    d_grid = np.tile(days, n_units)
    unit = np.concatenate([np.repeat(u_grid, same.ravel()), np.repeat(u_grid, other.ravel())])
    day = np.concatenate([np.repeat(d_grid, same.ravel()), np.repeat(d_grid, other.ravel())])
    is_same = np.zeros(unit.size, dtype=bool)
    is_same[: int(same.sum())] = True
    return unit, day, is_same


def choose_procedures(rng, unit: np.ndarray, plan: BlockPlan, cat: Catalogue) -> np.ndarray:
    proc = np.empty(unit.size, dtype=np.int64)
    order = np.argsort(unit, kind="stable")
    ids = np.asarray(plan.units)
    bounds = np.searchsorted(unit[order], np.stack([ids, ids + 1]))
    for i, (lo, hi) in enumerate(bounds.T):
        if hi > lo:
            cand = plan.unit_procs[i]
            w = cat.weight[cand]
            proc[order[lo:hi]] = rng.choice(cand, size=hi - lo, p=w / w.sum())
    return proc


def due_days(day: np.ndarray, proc: np.ndarray, cat: Catalogue) -> np.ndarray:
    return cal.add_workdays(day, cat.statutory_days[proc])


def draw_outcomes(rng, plan: BlockPlan, unit_pos: np.ndarray, proc, is_same, cat: Catalogue):
    """Class and supplement count of each dossier that is not same-day by construction."""
    u = rng.random(is_same.size)
    p_late = np.minimum(plan.base_late * cat.late_mult[proc] * plan.unit_late_mult[unit_pos], 0.25)
    p_ret = plan.withdraw_share + plan.stop_share
    cls = np.full(is_same.size, NORMAL, dtype=np.int8)
    cls[u < p_late] = LATE
    cls[(u >= p_late) & (u < p_late + p_ret)] = RETURNED
    cls[is_same] = SAME_DAY
    supp = np.zeros(is_same.size, dtype=np.int8)
    r = rng.random(is_same.size)
    supp[(cls == NORMAL) & (r < 0.05)] = 1
    supp[(cls == LATE) & (r < 0.35)] = 1
    # A dossier asked twice for more papers counts as late whatever its dates (indicators.md §1).
    supp[(cls == NORMAL) & (r > 1 - plan.supplement2_share)] = 2
    return cls, supp


def finish_days(rng, day, due_day, proc, cls, cat: Catalogue) -> np.ndarray:
    """Calendar day the result is ready: same day, within the deadline, after it, or on withdrawal."""
    stat = cat.statutory_days[proc]
    u = rng.random(day.size)
    k_normal = np.clip(1 + np.floor(stat * u ** 1.7).astype(np.int64), 1, np.maximum(stat, 1))
    k_return = np.floor(u * (stat + 1)).astype(np.int64)
    late_by = 1 + np.minimum(rng.geometric(0.35, size=day.size), 25)
    fin = np.where(cls == SAME_DAY, day, cal.add_workdays(day, k_normal))
    fin = np.where(cls == LATE, cal.add_workdays(due_day, late_by), fin)
    fin = np.where(cls == RETURNED, cal.add_workdays(day, k_return), fin)
    return fin


def _month_ramp(day: np.ndarray, lo: float, hi: float) -> np.ndarray:
    month = day.astype("datetime64[M]").astype(int) % 12
    return lo + (hi - lo) * month / 11.0


def assemble(rng, unit, day, proc, cls, supp, fin_day, due_day, cat: Catalogue, online_boost=1.0,
             snapshot=SNAPSHOT) -> dict:
    """Every column of a dossier (times, status, channel, money, flags, rating) from the drawn skeleton; the
    export is taken on `snapshot` (a result not ready by then is still in progress)."""
    n = unit.size
    received = day.astype("datetime64[s]") + rng.integers(7 * 3600 + 1800, 16 * 3600 + 2700, n) * SECOND
    due = due_day.astype("datetime64[s]") + np.timedelta64(17, "h")
    # Snapshot at year end: a result not ready by 31/12 means the dossier is still in progress.
    pending = fin_day > snapshot
    finished = fin_day.astype("datetime64[s]") + rng.integers(8 * 3600, 17 * 3600, n) * SECOND
    same_day = fin_day == day
    returned_kind = (cls == RETURNED) & ~pending
    # Trap: a same-day result must never be stamped before its receipt (the importer rejects those rows).
    finished = np.where(same_day, received + rng.integers(900, 4 * 3600, n) * SECOND, finished)
    finished = np.where(finished < received, received + 600 * SECOND, finished)

    r = rng.random(n)
    hand_over = np.where(cls == SAME_DAY, 0, np.where(r < 0.6, 0, np.where(r < 0.85, 1, 2)))
    handed_day = cal.add_workdays(fin_day, hand_over)
    handed = np.where(hand_over == 0, finished + rng.integers(300, 3600, n) * SECOND,
                      handed_day.astype("datetime64[s]") + rng.integers(8 * 3600, 17 * 3600, n) * SECOND)
    not_collected = (handed_day > snapshot) | (rng.random(n) < 0.02)
    status = np.where(not_collected, 9, 10).astype(np.int8)
    status[returned_kind] = np.where(rng.random(int(returned_kind.sum())) < 0.72, 7, 8)
    pending_status = rng.choice(np.array([2, 4, 5, 6], dtype=np.int8), size=n, p=[0.1, 0.7, 0.15, 0.05])
    status = np.where(pending, pending_status, status)
    nat = np.datetime64("NaT", "s")
    handed = np.where(pending | returned_kind | (status == 9), nat, handed)
    finished = np.where(pending, nat, finished)

    # Channel: online share climbs from ~15 % in January to ~45 % in December, only where the service exists.
    eligible = cat.online[proc] > 0
    share_eligible = max(eligible.mean(), 0.05)
    p_online = np.where(eligible, np.minimum(_month_ramp(day, 0.15, 0.45) * online_boost / share_eligible, 0.95), 0.0)
    r = rng.random(n)
    channel = np.where(r < p_online, 2, np.where(r > 0.97, 3, 1)).astype(np.int8)
    online = channel == 2
    submitted = np.where(online, received - rng.integers(600, 30 * 3600, n) * SECOND, nat)

    fee = cat.fee[proc]
    r = rng.random(n)
    paid_online = (fee > 0) & (r < np.where(online, 0.8, np.where(channel == 3, 0.3, 0.12)))
    digitized = online | (rng.random(n) < _month_ramp(day, 0.30, 0.75))
    data_reused = rng.random(n) < _month_ramp(day, 0.10, 0.40)
    synced = rng.random(n) < _month_ramp(day, 0.93, 0.995)
    resolved = ~pending & ~returned_kind
    e_result = resolved & (rng.random(n) < _month_ramp(day, 0.25, 0.70))
    overdue_pending = pending & (due_day < snapshot)
    apology = ((cls == LATE) | overdue_pending) & (rng.random(n) < 0.8)

    # Rating codes 1..5 = Rất hài lòng .. Rất không hài lòng; 0 = not rated. About a third of results get rated.
    rated = resolved & (rng.random(n) < 0.33)
    happy = rng.choice(np.arange(1, 6, dtype=np.int8), size=n, p=[0.56, 0.38, 0.045, 0.01, 0.005])
    unhappy = rng.choice(np.arange(1, 6, dtype=np.int8), size=n, p=[0.15, 0.35, 0.25, 0.15, 0.10])
    rating = np.where(rated, np.where((cls == LATE) | (supp > 1), unhappy, happy), 0).astype(np.int8)

    # Applicant: 0 Công dân, 1 Doanh nghiệp, 2 Tổ chức.
    r = rng.random(n)
    applicant = np.where(cat.business[proc], np.where(r < 0.9, 1, 2), np.where(r < 0.93, 0, 2)).astype(np.int8)

    return dict(unit=unit, proc=proc, cls=cls, received=received, due=due, finished=finished, handed=handed,
                submitted=submitted, status=status, supplement=supp, channel=channel, fee=fee,
                paid_online=paid_online, digitized=digitized, data_reused=data_reused, synced=synced,
                e_result=e_result, apology=apology, rating=rating, applicant=applicant, returned=returned_kind)


def simulate_block(plan: BlockPlan, cat: Catalogue, rng: np.random.Generator, counts=None, units_subset=None) -> dict:
    """All dossiers of a block (or of the units_subset of it), given the plan's count matrices."""
    days, same, other = counts if counts is not None else plan_counts(plan, rng)
    ids = np.asarray(plan.units)
    if units_subset is not None:
        keep = np.isin(ids, units_subset)
        ids, same, other = ids[keep], same[keep], other[keep]
    unit, day, is_same = expand_counts(days, same, other, ids)
    lookup = np.zeros(max(plan.units) + 1, dtype=np.int64)
    lookup[np.asarray(plan.units)] = np.arange(len(plan.units))
    unit_pos = lookup[unit]
    proc = choose_procedures(rng, unit, plan, cat)
    due_day = due_days(day, proc, cat)
    cls, supp = draw_outcomes(rng, plan, unit_pos, proc, is_same, cat)
    fin_day = finish_days(rng, day, due_day, proc, cls, cat)
    return assemble(rng, unit, day, proc, cls, supp, fin_day, due_day, cat, plan.online_boost, plan.snapshot)


def simulate_skhdt_h1(unit_id: int, procs: np.ndarray, cat: Catalogue, rng: np.random.Generator,
                      received=122_700, late=4, pending=133) -> dict:
    """Sở Kế hoạch và Đầu tư, 1/1–30/6/2022, built to the published figures: every count is exact by construction."""
    p1 = np.datetime64("2022-06-30", "D")
    days = np.arange(cal.YEAR_START, p1 + 1, dtype="datetime64[D]")
    dw = _day_weights(days, 0.0)
    day = np.repeat(days, rng.multinomial(received, dw / dw.sum()))
    n = day.size
    unit = np.full(n, unit_id, dtype=np.int64)
    w = cat.weight[procs]
    proc = rng.choice(procs, size=n, p=w / w.sum())
    due_day = due_days(day, proc, cat)
    cls = np.where(rng.random(n) < 0.05, SAME_DAY, NORMAL).astype(np.int8)
    supp = np.where((cls == NORMAL) & (rng.random(n) < 0.05), 1, 0).astype(np.int8)
    fin_day = finish_days(rng, day, due_day, proc, cls, cat)
    fin_day = np.minimum(fin_day, p1)  # resolved within the half-year, never past the deadline

    # 133 received in the last days of June, still within their deadline on 30/6, finished in July.
    cand = np.flatnonzero((day >= np.datetime64("2022-06-28")) & (due_day > p1) & (cls == NORMAL))
    chosen = rng.choice(cand, size=pending, replace=False)
    span = cal.workdays_between(np.full(pending, np.datetime64("2022-07-01")), due_day[chosen] + DAY)
    fin_day[chosen] = cal.add_workdays(np.full(pending, np.datetime64("2022-07-01")),
                                       rng.integers(0, np.maximum(span, 1)))
    # 4 late: three finished after the appointment day, one asked twice for more papers.
    cand = np.flatnonzero((day >= np.datetime64("2022-03-01")) & (day <= np.datetime64("2022-05-31"))
                          & (cls == NORMAL) & (cat.statutory_days[proc] == 3))
    chosen = rng.choice(cand, size=late, replace=False)
    cls[chosen[:-1]] = LATE
    fin_day[chosen[:-1]] = cal.add_workdays(due_day[chosen[:-1]], rng.integers(1, 3, late - 1))
    supp[chosen[:-1]] = 0
    supp[chosen[-1]] = 2
    return assemble(rng, unit, day, proc, cls, supp, fin_day, due_day, cat, online_boost=1.6)


def concat(parts: list[dict]) -> dict:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def sort_rows(d: dict) -> dict:
    """Order as an export lists them: by receipt time, then unit."""
    order = np.lexsort((d["unit"], d["received"]))
    return {k: v[order] for k, v in d.items()}


def same_day_mask(d: dict) -> np.ndarray:
    """Received in the action month and resolved the same calendar day, not late, not returned (figure 2)."""
    rec = d["received"].astype("datetime64[D]")
    fin = d["finished"].astype("datetime64[D]")
    return ((rec >= cal.ACTION_START) & (rec <= cal.ACTION_END) & (fin == rec) & ~d["returned"]
            & (d["supplement"] <= 1) & (fin <= d["due"].astype("datetime64[D]")))
