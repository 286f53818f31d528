"""The pairing algorithm: pure, deterministic and tested on its own.

Participants are grouped by place (a region, or online). Within a group they
are put in an order that depends only on the month and their ids (so the
same neighbours do not meet every month, yet a rerun gives the same pairs),
and each in turn is paired with the first later participant they have not
been paired with recently. Someone left over joins a pair as a third (where
neither of the two is a recent partner), so an odd number makes one trio.
Runs in O(n · k) for n participants whose recent partners are few (k).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable


def _order_key(seed: str, member_id: int) -> bytes:
    return hashlib.blake2b(f"{seed}:{member_id}".encode(), digest_size=8).digest()


def make_pairs(
    participants: Iterable[tuple[int, str]],
    recent: dict[int, set[int]],
    *,
    seed: str,
) -> list[tuple[str, tuple[int, ...]]]:
    """``participants``: (member id, place); ``recent``: for each member the ids
    they were paired with in the last months. Returns (place, member ids) for
    each pair or trio; a member with no possible partner is left out."""
    by_place: dict[str, list[int]] = defaultdict(list)
    for member_id, place in participants:
        by_place[place].append(member_id)
    result: list[tuple[str, tuple[int, ...]]] = []
    for place in sorted(by_place):
        ids = sorted(set(by_place[place]), key=lambda m: _order_key(seed, m))
        groups, left = _pair_group(ids, recent)
        for member_id in left:
            _join_a_pair(member_id, groups, recent)
        result += [(place, tuple(sorted(group))) for group in groups]
    return result


def _pair_group(ids: list[int], recent: dict[int, set[int]]) -> tuple[list[list[int]], list[int]]:
    unpaired = list(ids)  # shrinks as members are paired
    groups: list[list[int]] = []
    left: list[int] = []
    while unpaired:
        first = unpaired.pop(0)
        avoid = recent.get(first, ())
        for index, other in enumerate(unpaired):
            if other not in avoid:
                groups.append([first, unpaired.pop(index)])
                break
        else:
            left.append(first)
    return groups, left


def _join_a_pair(member_id: int, groups: list[list[int]], recent: dict[int, set[int]]) -> bool:
    avoid = recent.get(member_id, set())
    for group in reversed(groups):  # the last pairs made: they had the fewest choices
        if len(group) == 2 and not (set(group) & avoid):
            group.append(member_id)
            return True
    return False
