"""The pairing algorithm: pure, deterministic and tested on its own.

Participants are grouped by place (a region, or online). Within a group they
are put in an order that depends only on the month and their ids (so the
same neighbours do not meet every month, yet a rerun gives the same pairs),
and each in turn is paired with the first later participant they have not
been paired with recently. Someone left over joins a pair as a third (where
neither of the two is a recent partner), so an odd number makes one trio.

Nobody is left out for living where no one else signed up: a member left
over in their region (alone there, or with only recent partners) joins the
online pool, which is paired the same way. Someone still left over at the
end takes a member out of a trio (the two left in it still make a pair), or
else joins a pair anywhere as a third; either way that group meets online.
Only a member every other participant has met recently (or the only
participant overall) stays unpaired.

Runs in O(n · k) for n participants whose recent partners are few (k).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from kaffe.models import ONLINE


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
    each pair or trio, the regions' groups first (by region), then the online
    ones; a member with no possible partner anywhere is left out."""
    by_place: dict[str, list[int]] = defaultdict(list)
    for member_id, place in participants:
        by_place[place].append(member_id)

    def ordered(ids: Iterable[int]) -> list[int]:
        return sorted(set(ids), key=lambda m: _order_key(seed, m))

    groups: list[list] = []  # [place, [member ids]]
    pool = by_place.pop(ONLINE, [])
    for place in sorted(by_place):
        pairs, left = _pair_group(ordered(by_place[place]), recent)
        pool += [m for m in left if not _join_a_pair(m, pairs, recent)]
        groups += [[place, pair] for pair in pairs]
    # The online pool: those who chose online, and those no one in their region could meet.
    pairs, left = _pair_group(ordered(pool), recent)
    left = [m for m in left if not _join_a_pair(m, pairs, recent)]
    groups += [[ONLINE, pair] for pair in pairs]
    for member_id in left:
        _join_anywhere(member_id, groups, recent)
    return [(place, tuple(sorted(ids))) for place, ids in groups]


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


def _join_anywhere(member_id: int, groups: list[list], recent: dict[int, set[int]]) -> bool:
    """The last resort for someone no one in their place could meet: a member
    out of a trio (two pairs are better than a trio and one alone), else a
    pair anywhere as a third. The group that takes them in meets online."""
    avoid = recent.get(member_id, set())
    for group in reversed(groups):
        ids = group[1]
        if len(ids) == 3:
            for other in sorted(ids):  # any two of a trio may meet: they were checked
                if other not in avoid:
                    ids.remove(other)
                    groups.append([ONLINE, [other, member_id]])
                    return True
    for group in reversed(groups):
        ids = group[1]
        if len(ids) == 2 and not (set(ids) & avoid):
            ids.append(member_id)
            group[0] = ONLINE
            return True
    return False
