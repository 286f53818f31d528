"""The pairing algorithm on its own: no repeats, odd numbers, places, determinism."""

import time
from itertools import combinations

import pytest

from kaffe.pairing import make_pairs


def _members(pairs):
    return [m for _place, ids in pairs for m in ids]


def test_everyone_is_paired_once_in_their_place():
    people = [(i, "online" if i % 2 else "midtjylland") for i in range(1, 21)]
    pairs = make_pairs(people, {}, seed="2026-12")
    assert sorted(_members(pairs)) == list(range(1, 21))
    for place, ids in pairs:
        assert len(ids) == 2
        assert all(("online" if m % 2 else "midtjylland") == place for m in ids)


def test_an_odd_number_makes_one_trio():
    pairs = make_pairs([(i, "online") for i in range(1, 8)], {}, seed="2026-12")
    assert sorted(len(ids) for _p, ids in pairs) == [2, 2, 3]
    assert sorted(_members(pairs)) == list(range(1, 8))


def test_nobody_meets_a_recent_partner_again():
    recent = {1: {2, 3}, 2: {1}, 3: {1}, 4: {5}, 5: {4}}
    for seed in ("2026-01", "2026-02", "2026-03", "x", "y"):
        pairs = make_pairs([(i, "online") for i in range(1, 7)], recent, seed=seed)
        for _place, ids in pairs:
            for a, b in combinations(ids, 2):
                assert b not in recent.get(a, set()) and a not in recent.get(b, set())


def test_a_trio_never_holds_a_recent_partner():
    recent = {3: {1, 2}, 1: {3}, 2: {3}}
    pairs = make_pairs([(1, "online"), (2, "online"), (3, "online")], recent, seed="s")
    # 1 and 2 pair; 3 has met both recently and waits for next month.
    assert pairs == [("online", (1, 2))]


def _no_repeats(pairs, recent):
    for _place, ids in pairs:
        for a, b in combinations(ids, 2):
            assert b not in recent.get(a, set()) and a not in recent.get(b, set())


def test_one_alone_in_their_region_joins_the_online_pool():
    pairs = make_pairs([(1, "nordjylland"), (2, "online"), (3, "online")], {}, seed="s")
    assert pairs == [("online", (1, 2, 3))]


def test_members_alone_in_their_regions_are_paired_with_each_other_online():
    people = [(1, "nordjylland"), (2, "sjaelland"), (3, "hovedstaden"), (4, "hovedstaden")]
    pairs = make_pairs(people, {}, seed="s")
    assert pairs == [("hovedstaden", (3, 4)), ("online", (1, 2))]


def test_three_alone_in_their_regions_make_an_online_trio():
    people = [(1, "nordjylland"), (2, "sjaelland"), (3, "syddanmark")]
    assert make_pairs(people, {}, seed="s") == [("online", (1, 2, 3))]


def test_a_region_of_recent_partners_sends_them_online():
    recent = {1: {2}, 2: {1}}
    people = [(1, "syddanmark"), (2, "syddanmark"), (3, "online"), (4, "online")]
    for seed in ("2026-01", "2026-02", "x", "y"):
        pairs = make_pairs(people, recent, seed=seed)
        assert sorted(_members(pairs)) == [1, 2, 3, 4]
        assert all(place == "online" and len(ids) == 2 for place, ids in pairs)
        _no_repeats(pairs, recent)


def test_one_left_alone_with_no_one_online_joins_a_pair_that_meets_online():
    people = [(1, "nordjylland"), (2, "hovedstaden"), (3, "hovedstaden")]
    assert make_pairs(people, {}, seed="s") == [("online", (1, 2, 3))]


def test_one_left_alone_takes_a_member_out_of_a_trio():
    people = [(1, "nordjylland"), (2, "hovedstaden"), (3, "hovedstaden"), (4, "hovedstaden")]
    pairs = make_pairs(people, {}, seed="s")
    assert sorted(len(ids) for _p, ids in pairs) == [2, 2]
    assert sorted(_members(pairs)) == [1, 2, 3, 4]
    assert [p for p, ids in pairs if 1 in ids] == ["online"]
    assert [p for p, ids in pairs if 1 not in ids] == ["hovedstaden"]
    assert pairs == make_pairs(list(reversed(people)), {}, seed="s")  # deterministic


def test_the_fallback_keeps_the_no_repeat_rule():
    # 1 has met everyone in the trio: it cannot take any of them out, nor join a pair.
    recent = {1: {2, 3, 4}, 2: {1}, 3: {1}, 4: {1}}
    people = [(1, "nordjylland"), (2, "hovedstaden"), (3, "hovedstaden"), (4, "hovedstaden")]
    pairs = make_pairs(people, recent, seed="s")
    assert pairs == [("hovedstaden", (2, 3, 4))]


def test_the_only_participant_overall_is_not_paired():
    assert make_pairs([(1, "nordjylland")], {}, seed="s") == []
    assert make_pairs([(1, "online")], {}, seed="s") == []
    assert make_pairs([], {}, seed="s") == []


@pytest.mark.parametrize("seed", ["2026-01", "2026-02", "2026-03", "2026-04"])
def test_with_no_history_everyone_is_paired_wherever_they_live(seed):
    places = ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland", "online"]
    for count in range(2, 15):
        # Few members spread thinly: many regions hold one member only.
        people = [(i, places[(i * 7 + count) % len(places)]) for i in range(1, count + 1)]
        pairs = make_pairs(people, {}, seed=seed)
        assert sorted(_members(pairs)) == list(range(1, count + 1)), people
        assert all(len(ids) in (2, 3) for _p, ids in pairs)
        assert sum(len(ids) == 3 for _p, ids in pairs) <= 1 + len(places)


def test_the_same_input_gives_the_same_pairs_and_months_differ():
    people = [(i, "online") for i in range(1, 41)]
    assert make_pairs(people, {}, seed="2026-11") == make_pairs(
        list(reversed(people)), {}, seed="2026-11"
    )
    assert make_pairs(people, {}, seed="2026-11") != make_pairs(people, {}, seed="2026-12")


def test_six_rounds_in_a_row_never_repeat():
    people = [(i, "online") for i in range(1, 30)]
    recent: dict[int, set[int]] = {}
    seen: set[frozenset] = set()
    for month in range(6):
        pairs = make_pairs(people, recent, seed=f"2026-{month + 1:02}")
        for _place, ids in pairs:
            for a, b in combinations(ids, 2):
                assert frozenset((a, b)) not in seen
                seen.add(frozenset((a, b)))
                recent.setdefault(a, set()).add(b)
                recent.setdefault(b, set()).add(a)
        assert len(_members(pairs)) >= len(people) - 2  # almost everyone, every month


@pytest.mark.slow
def test_benchmark_pairing_5000_participants_under_5_seconds():
    """README, "Coffee pairs": the figure printed here."""
    places = ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland", "online"]
    people = [(i, places[i % len(places)]) for i in range(1, 5001)]
    recent: dict[int, set[int]] = {}
    for month in range(6):  # a full six months of history
        for _place, ids in make_pairs(people, recent, seed=f"h{month}"):
            for a, b in combinations(ids, 2):
                recent.setdefault(a, set()).add(b)
                recent.setdefault(b, set()).add(a)
    started = time.perf_counter()
    pairs = make_pairs(people, recent, seed="2026-12")
    elapsed = time.perf_counter() - started
    print(f"\npairing 5000 participants with 6 months of history: {elapsed * 1000:.0f} ms")
    assert len(_members(pairs)) >= 4990
    assert elapsed < 5
