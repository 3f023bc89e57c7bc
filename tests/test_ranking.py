"""The one ranking rule (indicators/ranking.py) on hand-made rows: ties, no value, too small, direction, peer groups."""
import pytest

from indicators.ranking import NO_GROUP, NO_VALUE, TOO_SMALL, Placing, rank_note, rank_rows


def _ranks(placings):
    return [p.rank for p in placings]


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    rows = [{"v": 0.7}, {"v": 0.9}, {"v": 0.8}, {"v": 0.9}, {"v": 0.5}]
    # 0.9 0.9 → 1 1; 0.8 → 3 (two rows above it); 0.7 → 4; 0.5 → 5
    placings = rank_rows(rows, "v")
    assert _ranks(placings) == [4, 1, 3, 1, 5]
    assert [p.tied for p in placings] == [1, 2, 1, 2, 1]
    assert {p.peers for p in placings} == {5} and all(p.reason is None for p in placings)


def test_lower_is_better():
    rows = [{"days": 4.2}, {"days": 1.0}, {"days": 4.2}, {"days": 9.5}]
    # 1.0 → 1; 4.2 4.2 → 2 2; 9.5 → 4
    assert _ranks(rank_rows(rows, "days", direction="lower")) == [2, 1, 2, 4]


def test_rows_without_a_value_are_not_ranked_and_not_counted_as_peers():
    rows = [{"v": None}, {"v": 0.6}, {"v": 0.0}, {"v": None}]
    placings = rank_rows(rows, "v")
    # 0.0 is a value (ranked last of two), None is not
    assert placings == [Placing(None, 0, 0, NO_VALUE), Placing(1, 2, 1, None), Placing(2, 2, 1, None),
                        Placing(None, 0, 0, NO_VALUE)]


def test_too_small_rows_are_marked_and_leave_the_ranks_to_the_others():
    # a SIPAS-like table: fewer than 30 valid answers is too small to rank, even with the best index
    rows = [{"sipas": 0.99, "n": 12}, {"sipas": 0.80, "n": 30}, {"sipas": 0.85, "n": 200}, {"sipas": None, "n": 0}]
    placings = rank_rows(rows, "sipas", volume="n", min_volume=30)
    assert _ranks(placings) == [None, 2, 1, None]
    # no answer at all is too small too: the volume rule is checked before the missing value
    assert [p.reason for p in placings] == [TOO_SMALL, None, None, TOO_SMALL]
    assert placings[1].peers == 2
    # without a minimum (the default) the same rows rank on their values alone
    assert _ranks(rank_rows(rows, "sipas", volume="n")) == [1, 3, 2, None]


def test_missing_volume_counts_as_zero():
    assert rank_rows([{"v": 1.0}], "v", volume="n", min_volume=1)[0].reason == TOO_SMALL


def test_peer_groups_are_ranked_apart():
    rows = [{"level": "district", "v": 0.5}, {"level": "department", "v": 0.9}, {"level": "district", "v": 0.7},
            {"level": None, "v": 1.0}, {"level": "department", "v": 0.9}, {"level": "department", "v": 0.2}]
    placings = rank_rows(rows, "v", group="level")
    # districts: 0.7 → 1, 0.5 → 2 (2 peers); departments: 0.9 0.9 → 1 1, 0.2 → 3 (3 peers); no level: not ranked
    assert _ranks(placings) == [2, 1, 1, None, 1, 3]
    assert [p.peers for p in placings] == [2, 3, 2, 0, 3, 3]
    assert placings[3].reason == NO_GROUP


def test_group_and_value_may_be_functions():
    rows = [{"key": "A", "level": "ward", "x": {"score": 3}}, {"key": None, "level": "ward", "x": {"score": 9}},
            {"key": "B", "level": "ward", "x": {"score": 5}}]
    placings = rank_rows(rows, lambda r: r["x"]["score"], group=lambda r: r["level"] if r["key"] else None)
    assert _ranks(placings) == [2, None, 1]


def test_tolerance_joins_float_noise_to_the_rank_before():
    noisy = 0.1 + 0.2            # 0.30000000000000004
    rows = [{"v": 0.3}, {"v": noisy}, {"v": 0.2}]
    assert _ranks(rank_rows(rows, "v")) == [2, 1, 3]                  # exact by default: the noise decides
    assert _ranks(rank_rows(rows, "v", tolerance=1e-9)) == [1, 1, 3]


def test_rows_are_left_as_they_were():
    rows = [{"v": 2}, {"v": 1}]
    rank_rows(rows, "v", group=lambda r: "g")
    assert rows == [{"v": 2}, {"v": 1}]
    assert rank_rows([], "v") == []


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="direction"):
        rank_rows([{"v": 1}], "v", direction="up")


def test_rank_notes_explain_ties_and_small_units():
    rows = [{"v": 1.0, "n": 40}, {"v": 1.0, "n": 35}, {"v": 0.9, "n": 64157}, {"v": 1.0, "n": 26}]
    placings = rank_rows(rows, "v", volume="n", min_volume=30)
    # 26 dossiers: listed, not ranked; the two equal values share rank 1, the large unit is 3rd (1, 1, 3)
    assert _ranks(placings) == [1, 1, 3, None]
    notes = [rank_note(p.rank, p.tied, p.reason == TOO_SMALL) for p in placings]
    assert notes == ["đồng hạng 1 (2 đơn vị bằng nhau)", "đồng hạng 1 (2 đơn vị bằng nhau)", "",
                     "không xếp hạng: dưới 30 hồ sơ"]


def test_dossier_rankings_leave_units_under_30_dossiers_unranked(demo_db):
    import duckdb
    from datetime import date
    from indicators import Period, compute_period_table
    from indicators.dashboard import compute_ranking
    con = duckdb.connect(str(demo_db), read_only=True)
    q4 = Period(date(2022, 10, 1), date(2022, 12, 31))
    ranking = compute_ranking(con, "on_time_rate", q4, "department")
    resolved = {r["key"]: r["resolved"]   # the on-time rate's denominator
                for r in compute_period_table(con, q4, by="department")["rows"]}
    con.close()
    small = {r["code"] for r in ranking["rows"] if r["too_small"]}
    assert small and small == {c for c, n in resolved.items() if 0 < n < 30}
    ranked = [r for r in ranking["rows"] if r["rank"] is not None]
    assert not small & {r["code"] for r in ranked}
    assert all(a["value"] >= b["value"] for a, b in zip(ranked, ranked[1:]))
    assert ranking["rows"][-len(small):] == [r for r in ranking["rows"] if r["too_small"]]   # listed after the ranked
