"""The one ranking rule: rows ranked within their peer group, ties sharing a rank, rows that cannot be ranked marked."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from common.formats import vn_int

__all__ = ["Placing", "rank_rows", "rank_note", "NO_GROUP", "TOO_SMALL", "NO_VALUE", "MIN_DOSSIERS"]

# Why a row has no rank, checked in this order (the first that holds is the reason given):
NO_GROUP = "no_group"     # it belongs to no peer group (an unknown unit, a row that is a level itself)
TOO_SMALL = "too_small"   # its volume is under min_volume (SIPAS: fewer than 30 valid answers)
NO_VALUE = "no_value"     # nothing to rank it by (no dossier resolved in the period, no valid answer)
# TOO_SMALL comes before NO_VALUE: a unit with no answer at all is also too small, and "chưa đủ mẫu" is what the
# Hài lòng page has always said of it.

# A dossier rate resting on fewer dossiers than this is listed but not ranked: 30 of 30 on time is 100 %, and
# would otherwise stand first ahead of a unit with 64.157 dossiers at 99,9 % (the SIPAS rule uses 30 answers too).
MIN_DOSSIERS = 30

Key = str | Callable[[Mapping], Any] | None


@dataclass(frozen=True)
class Placing:
    """Where one row stands in its peer group."""
    rank: int | None      # competition rank (1, 2, 2, 4); None when not ranked
    peers: int            # rows ranked in the row's peer group (the 12 of "3/12"); 0 when not ranked
    tied: int             # ranked rows sharing this rank, the row included (1: no tie); 0 when not ranked
    reason: str | None    # None when ranked, else NO_GROUP, TOO_SMALL or NO_VALUE


def _getter(key: Key) -> Callable[[Mapping], Any]:
    if key is None:
        return lambda row: None
    return key if callable(key) else (lambda row: row.get(key))


def rank_rows(rows: Sequence[Mapping], value: Key, *, direction: str = "higher", group: Key = None,
              volume: Key = None, min_volume: float | None = None, tolerance: float = 0.0) -> list[Placing]:
    """One Placing per row, in the rows' order; the rows are not changed.

    value: the key (or a function of the row) ranked on; direction "higher" ranks the largest first, "lower" the
    smallest. group: the peer group (key or function); rows are only ever compared inside one group, and a row
    whose group is None is not ranked. Without `group` every row is in one group. volume and min_volume: a row
    whose volume (e.g. valid answers, dossiers resolved) is under min_volume is not ranked (None: no minimum).
    tolerance: a value less than this away from the one ranked just before shares its rank (0: only equal values
    tie; set it where a score carries float noise from sums of products)."""
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")
    get_value, get_group, get_volume = _getter(value), _getter(group), _getter(volume)
    grouped = group is not None
    placings: list[Placing | None] = [None] * len(rows)
    members: dict[Any, list[tuple[float, int]]] = {}
    for i, row in enumerate(rows):
        peer_group = get_group(row)
        v = get_value(row)
        if grouped and peer_group is None:
            placings[i] = Placing(None, 0, 0, NO_GROUP)
        elif min_volume is not None and (get_volume(row) or 0) < min_volume:
            placings[i] = Placing(None, 0, 0, TOO_SMALL)
        elif v is None:
            placings[i] = Placing(None, 0, 0, NO_VALUE)
        else:
            members.setdefault(peer_group, []).append((v, i))
    sign = -1 if direction == "higher" else 1
    for ranked in members.values():
        ranked.sort(key=lambda m: sign * m[0])   # stable: equal values keep the rows' order
        ranks, previous = [], None
        for pos, (v, _) in enumerate(ranked, start=1):
            same = previous is not None and (v == previous or abs(v - previous) < tolerance)
            ranks.append(ranks[-1] if same else pos)
            previous = v
        tied = Counter(ranks)
        for (_, i), rank in zip(ranked, ranks):
            placings[i] = Placing(rank, len(ranked), tied[rank], None)
    return placings


def too_few_to_rank(resolved: int) -> str:
    """«có 13 hồ sơ giải quyết trong kỳ, dưới 30 hồ sơ»: why a unit with dossiers has no rank, in a sentence (probe
    41: a district with 13 was said to have none)."""
    return f"có {vn_int(resolved)} hồ sơ giải quyết trong kỳ, dưới {vn_int(MIN_DOSSIERS)} hồ sơ"


def rank_note(rank: int | None, tied: int, too_small: bool, volume_word: str = "hồ sơ",
              min_volume: float = MIN_DOSSIERS) -> str:
    """The rank in words as a reader needs it: "đồng hạng 1 (6 đơn vị bằng nhau)", "không xếp hạng: dưới 30 hồ sơ",
    "" for a plain rank."""
    if too_small:
        return f"không xếp hạng: dưới {min_volume:g} {volume_word}"
    if rank is not None and tied > 1:
        return f"đồng hạng {rank} ({tied} đơn vị bằng nhau)"
    return ""
