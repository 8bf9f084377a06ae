"""Two sequences of keys → difflib's opcodes turning one into the other, in a time in
proportion to them however many places they differ in (pure)."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

Opcode = tuple[str, int, int, int, int]
"""A difflib opcode: tag, old start, old end, new start, new end."""


def match_around_anchors(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """Opcodes turning `old` into `new`: the keys found once in each, in the same order in
    both (patience diff's anchors), are kept; the runs between them are matched by difflib
    (frequent keys anchoring nothing, as its autojunk has it).

    difflib alone matches two sequences one run at a time, each looked for through all of
    what is left: two that differ in every other key take a time growing with their square.
    A key found once in each is rarely anything but the same block or word: between two
    such, difflib has little to look through.
    """
    matches: list[tuple[int, int, int]] = []
    i = j = 0
    anchors = _anchors(old, new)
    for anchor_i, anchor_j in [*anchors, (len(old), len(new))]:
        if anchor_i > i or anchor_j > j:
            matcher = SequenceMatcher(None, old[i:anchor_i], new[j:anchor_j])
            matches += [(i + a, j + b, size) for a, b, size in matcher.get_matching_blocks()]
        matches.append((anchor_i, anchor_j, 1 if anchor_i < len(old) else 0))
        i, j = anchor_i + 1, anchor_j + 1
    return _opcodes_of(matches, len(old), len(new))


def _anchors(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """The places of the keys found once in each sequence, the longest run of them in the
    same order in both (a heading kept, a section moved across the others is not one)."""
    counts_old, counts_new = Counter(old), Counter(new)
    where_new = {key: j for j, key in enumerate(new) if counts_new[key] == 1}
    pairs = [
        (i, where_new[key])
        for i, key in enumerate(old)
        if counts_old[key] == 1 and key in where_new
    ]
    # The longest increasing run of their places in `new`, by patience sorting.
    tops: list[int] = []
    tails: list[int] = []
    before: list[int] = []
    for index, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        if pile == len(tops):
            tops.append(j)
            tails.append(index)
        else:
            tops[pile] = j
            tails[pile] = index
        before.append(tails[pile - 1] if pile else -1)
    kept: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index >= 0:
        kept.append(pairs[index])
        index = before[index]
    return kept[::-1]


def _opcodes_of(
    matches: Iterable[tuple[int, int, int]], length_old: int, length_new: int
) -> list[Opcode]:
    """Matching runs (old place, new place, length), in order → opcodes, as difflib writes
    them: equal runs next to each other made one."""
    joined: list[tuple[int, int, int]] = []
    for i, j, size in matches:
        if not size:
            continue
        if joined and joined[-1][0] + joined[-1][2] == i and joined[-1][1] + joined[-1][2] == j:
            last_i, last_j, last_size = joined.pop()
            joined.append((last_i, last_j, last_size + size))
        else:
            joined.append((i, j, size))
    opcodes: list[Opcode] = []
    i = j = 0
    for match_i, match_j, size in [*joined, (length_old, length_new, 0)]:
        if i < match_i and j < match_j:
            opcodes.append(("replace", i, match_i, j, match_j))
        elif i < match_i:
            opcodes.append(("delete", i, match_i, j, match_j))
        elif j < match_j:
            opcodes.append(("insert", i, match_i, j, match_j))
        if size:
            opcodes.append(("equal", match_i, match_i + size, match_j, match_j + size))
        i, j = match_i + size, match_j + size
    return opcodes
