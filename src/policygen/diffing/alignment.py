"""The blocks of two texts → ops: each block kept, edited, inserted or deleted, in reading order.

Blocks are aligned by their keys (kind, containers and visible words) with
`difflib.SequenceMatcher`; inside a replaced run, blocks of the same kind are paired by
similarity, and only paired blocks are diffed word by word. A paired paragraph takes in the
unpaired paragraphs next to it that hold the rest of its words: it was split in them, or
joined from them.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from ..markdown import FULL_WIDTH_NUMBERS, SECTION_NUMBER
from .blocks import Block, span_place
from .matching import Opcode, match_around_anchors
from .words import cut_inline, marked_tokens, recut_inline, words_of

PAIRING_THRESHOLD = 0.5
"""Two blocks less similar than this read better as a deletion and an insertion than as an edit."""
SAME_ANCHOR_SIMILARITY = 0.55
"""Two headings with the same anchor (section number or `{#id}`) are the same section renamed."""
FULL_PAIRING_CELLS = 2500
"""Replaced runs up to this many old × new blocks are paired optimally; longer ones greedily."""
GREEDY_WINDOW = 12
"""How far ahead greedy pairing looks for a block's counterpart, so it stays linear."""
FULL_MATCHING_CELLS = 1_000_000
"""Texts up to this many old × new blocks are matched by difflib whole; longer ones around
the blocks found once in each (see `match_blocks`)."""


class Op(NamedTuple):
    """One step of the merged text: a block kept, edited, inserted (no old) or deleted (no new)
    (a tuple: there is one for every block of both texts, made anew for every redline)."""

    old: Block | None
    new: Block | None
    is_split: bool = False
    """A paragraph break was inserted after `new`: it and the next op's block were one old
    paragraph, whose part each holds is its `old` (see `words.cut_inline`)."""
    joined: tuple[Block, ...] = ()
    """The old paragraphs `new` joins, when it joins several (`old` is the first)."""
    is_recut: bool = False
    """It is one of paragraphs cut elsewhere in the same words (see `words.recut_inline`),
    and the break inserted after it (`is_split`) is an old one moved there; the parts of the
    old paragraphs it holds are `joined`, or `old` alone."""
    moved_joins: tuple[bool, ...] = ()
    """For each old break `new` holds (between `joined[k]` and `joined[k + 1]`), whether it
    moved elsewhere in the same words; else the paragraphs were joined there."""

    def moves_join(self, k: int) -> bool:
        """Whether the old break between `joined[k]` and `joined[k + 1]` moved."""
        return k < len(self.moved_joins) and self.moved_joins[k]

    @property
    def block(self) -> Block:
        """The block as the redline shows it: the new one, unless it was deleted."""
        block = self.new or self.old
        assert block is not None
        return block


def align(old: Sequence[Block], new: Sequence[Block]) -> list[Op]:
    """Align blocks by key, then pair similar blocks inside each replaced run."""
    # difflib's autojunk: in a long text, a block repeated in more than 1% of places (a
    # separator, a "Yes" row) anchors nothing, or matching goes quadratic. Such blocks land in
    # replaced runs, where pairing takes identical ones back as unchanged.
    keys_old, keys_new = [block.key for block in old], [block.key for block in new]
    opcodes = _pair_across_repeats(match_blocks(keys_old, keys_new), keys_old, keys_new)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in _slide_runs(opcodes, old, new):
        if tag == "equal":
            ops.extend(Op(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            ops.extend(_pair_run(old[i1:i2], new[j1:j2]))
    return _whole_span_groups(ops)


def _whole_span_groups(ops: list[Op]) -> list[Op]:
    """Ops where rows that share cells (one spanning several rows) are kept or edited
    together, or not at all: when a row of such a group is deleted or inserted, every row of
    the groups it pairs with is shown deleted, then inserted, each group as it is laid out.

    Rows pair only with rows laid out alike, in the same place of their group, but one of
    them can still be rewritten past pairing. A kept row's cell would then span the deleted
    row and not the inserted one, whose cells would move a column to the left.
    """
    olds = _span_groups([op.old for op in ops])
    news = [-group for group in _span_groups([op.new for op in ops])]
    if not any(olds) and not any(news):
        return ops
    # The groups of both texts that pair, joined; those with a row unpaired are broken.
    parent: dict[int, int] = {}

    def root(group: int) -> int:
        # Each group looked up points past its parent from then on (path halving): chains
        # of groups that pair one after the other are walked once, not once for each row.
        while parent.get(group, group) != group:
            parent[group] = parent.get(parent[group], parent[group])
            group = parent[group]
        return group

    broken = set()
    for old_group, new_group in zip(olds, news, strict=True):
        if old_group and new_group:
            parent[root(old_group)] = root(new_group)
        elif old_group or new_group:
            broken.add(old_group or new_group)
    broken = {root(group) for group in broken}
    roots = [
        next((r for group in pair if group and (r := root(group)) in broken), 0)
        for pair in zip(olds, news, strict=True)
    ]
    if not any(roots):
        return ops
    last = {group: k for k, group in enumerate(roots) if group}
    merged: list[Op] = []
    k = 0
    while k < len(ops):
        if not roots[k]:
            merged.append(ops[k])
            k += 1
            continue
        start, end = k, last[roots[k]]
        while k <= end:
            end = max(end, last.get(roots[k], 0))
            k += 1
        run = ops[start:k]
        merged += [Op(block, None) for op in run for block in (op.joined or [op.old]) if block]
        merged += [Op(None, op.new) for op in run if op.new]
    return merged


def _span_groups(blocks: Sequence[Block | None]) -> list[int]:
    """For each block, the group of rows it belongs to with the rows it shares cells with,
    numbered from 1 in order, or 0 (not such a row, or no block)."""
    groups = []
    count = 0
    before: tuple[str, int] | None = None
    for block in blocks:
        place = span_place(block) if block is not None else None
        if place is None:
            groups.append(0)
            before = before if block is None else None
            continue
        if before is None or place[1] == 0 or place != (before[0], before[1] + 1):
            count += 1
        groups.append(count)
        before = place
    return groups


def match_blocks(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """difflib's opcodes turning the keys `old` into `new`; past `FULL_MATCHING_CELLS`,
    matched around the keys found once in each (see `match_around_anchors`).

    difflib matches a text one run at a time, each looked for through all of what is left: a
    text edited in every other block (every paragraph reworded, every other row of a table)
    takes a time growing with its square, 33 s for 10,000 sections. Its result is kept where
    that time is short, so that the redlines of texts of a usual size do not change.
    """
    if len(old) * len(new) <= FULL_MATCHING_CELLS:
        return list(SequenceMatcher(None, old, new).get_opcodes())
    return match_around_anchors(old, new)


def _pair_across_repeats(
    opcodes: Sequence[Opcode], old: Sequence[str], new: Sequence[str]
) -> list[Opcode]:
    """Opcodes where an equal run between an insertion and a deletion (or a deletion and an
    insertion) is matched with the later of two copies of its blocks, so that the first copy
    is paired with what was inserted (deleted) instead.

    difflib matches the earliest copy: a sentence written twice in a section whose first copy
    was edited ("for one year" → "for two years") read as the new sentence inserted before
    the unchanged copy, and the second copy deleted after it.
    """
    ops = list(opcodes)
    for k in range(1, len(ops) - 1):
        (before, b1, _, c1, c2), (tag, i1, i2, j1, j2), (after, a1, a2, d1, d2) = ops[k - 1 : k + 2]
        if tag != "equal":
            continue
        if before == "insert" and after == "delete":
            # The deleted blocks after the run repeat it: the run slides down in `old`.
            most = min(c2 - c1, a2 - a1)
            shift = next((n for n in range(most, 0, -1) if old[i1 + n : i2 + n] == old[i1:i2]), 0)
            if shift:
                ops[k - 1] = ("replace", i1, i1 + shift, c1, c2)
                ops[k] = ("equal", i1 + shift, i2 + shift, j1, j2)
                ops[k + 1] = ("delete", a1 + shift, a2, d1, d2)
        elif before == "delete" and after == "insert":
            # The inserted blocks after the run repeat it: the run slides down in `new`.
            most = min(i1 - b1, d2 - d1)
            shift = next((n for n in range(most, 0, -1) if new[j1 + n : j2 + n] == new[j1:j2]), 0)
            if shift:
                ops[k - 1] = ("replace", b1, i1, j1, j1 + shift)
                ops[k] = ("equal", i1, i2, j1 + shift, j2 + shift)
                ops[k + 1] = ("insert", a1, a2, d1 + shift, d2)
    return [op for op in ops if op[1] != op[2] or op[3] != op[4]]


def _slide_runs(
    opcodes: Iterable[Opcode], old: Sequence[Block], new: Sequence[Block]
) -> list[Opcode]:
    """Move each wholly deleted or inserted run to where it starts at a heading, if it can.

    A run followed by a block equal to its first block can slide down by one (and the other way
    up) and still read the same. Between blocks repeated in every section (the same closing
    sentence), difflib puts the run anywhere; a removed section should read as removed from its
    heading on, not as the end of the section before it and most of itself.
    """
    # Empty equal runs at both ends, so that a run at an end has neighbours to slide into.
    ops = [("equal", 0, 0, 0, 0), *opcodes, ("equal", len(old), len(old), len(new), len(new))]
    for k in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        if tag not in ("delete", "insert"):
            continue
        blocks, start, end = (old, i1, i2) if tag == "delete" else (new, j1, j2)
        _, b1, b2, c1, c2 = ops[k - 1]
        _, a1, a2, d1, d2 = ops[k + 1]
        up = 0
        while up < b2 - b1 and blocks[start - 1 - up].key == blocks[end - 1 - up].key:
            up += 1
        down = 0
        while down < a2 - a1 and blocks[start + down].key == blocks[end + down].key:
            down += 1
        shift = max(
            range(-up, down + 1),
            key=lambda offset: (_run_score(blocks, start + offset, end + offset), -abs(offset)),
        )
        ops[k - 1] = ("equal", b1, b2 + shift, c1, c2 + shift)
        ops[k] = (tag, i1 + shift, i2 + shift, j1 + shift, j2 + shift)
        ops[k + 1] = ("equal", a1 + shift, a2, d1 + shift, d2)
    # A run slid over a whole equal run meets the next run: the two are one edit.
    merged: list[Opcode] = []
    for op in ops:
        if op[0] == "equal" and op[1] == op[2]:
            continue
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            _, i1, _, j1, _ = merged.pop()
            op = ("replace", i1, op[2], j1, op[4])
        merged.append(op)
    return merged


def _run_score(blocks: Sequence[Block], start: int, end: int) -> tuple[int, int]:
    """How well a run of blocks makes whole sections: starting at a heading, ending before one."""

    def heading_rank(index: int) -> int:
        if index >= len(blocks):
            return 7
        block = blocks[index]
        return 7 - block.level if block.kind == "heading" else 0

    return heading_rank(start), heading_rank(end)


def _pair_run(old: Sequence[Block], new: Sequence[Block]) -> list[Op]:
    """A replaced run → its ops: deletions, then insertions, before each edited pair (or
    paragraph split in several, or several joined in one)."""
    ops: list[Op] = []
    i = j = 0
    pairs = _best_pairs(old, new)
    if len(old) + len(new) > 2 * len(pairs):
        groups = _seams(old, new, pairs)
    else:  # every block paired: nothing left to be part of another
        groups = [(i, i + 1, j, j + 1) for i, j in pairs]
    groups = _moved_breaks(old, new, groups)
    for i1, i2, j1, j2 in [*groups, (len(old), len(old), len(new), len(new))]:
        ops.extend(_unpaired(old[i:i1], new[j:j1]))
        if i2 - i1 > 1 and j2 - j1 > 1:
            ops.extend(_recut(old[i1:i2], new[j1:j2]))
        elif j2 - j1 > 1:
            htmls = cut_inline(old[i1].html, tuple(block.html for block in new[j1:j2]))
            parts = [old[i1].with_html(html.lstrip()) for html in htmls]
            ops.extend(
                Op(part, block, is_split=k < j2 - j1 - 1)
                for k, (part, block) in enumerate(zip(parts, new[j1:j2], strict=True))
            )
        elif i2 - i1 > 1:
            ops.append(Op(old[i1], new[j1], joined=tuple(old[i1:i2])))
        elif i1 < len(old):
            ops.append(Op(old[i1], new[j1]))
        i, j = i2, j2
    return ops


def _unpaired(deleted: Sequence[Block], inserted: Sequence[Block]) -> list[Op]:
    """Blocks deleted and inserted between the same two kept ones: the deletions, then the
    insertions, but for the insertions before a heading when a heading was deleted. Those
    are the new words of the section before, and go before the deleted section, which would
    otherwise take them in: a section removed where a paragraph was added to the one before
    read as the removed section changed."""
    first_deleted = _first_heading(deleted)
    first_inserted = _first_heading(inserted)
    return [
        *(Op(block, None) for block in deleted[:first_deleted]),
        *(Op(None, block) for block in inserted[:first_inserted]),
        *(Op(block, None) for block in deleted[first_deleted:]),
        *(Op(None, block) for block in inserted[first_inserted:]),
    ]


def _first_heading(blocks: Sequence[Block]) -> int:
    """The place of the first heading among `blocks`, or their number if there is none."""
    return next((k for k, block in enumerate(blocks) if block.kind == "heading"), len(blocks))


Group = tuple[int, int, int, int]
"""Blocks `old[i1:i2]` that became `new[j1:j2]`: one pair, one block and several, or as many
paragraphs cut elsewhere."""


def _moved_breaks(old: Sequence[Block], new: Sequence[Block], groups: list[Group]) -> list[Group]:
    """The groups of a replaced run, those next to each other made one where words moved
    across the paragraph breaks between them (the last sentence of one paragraph became the
    first of the next, or the other way round; a text wrapped in paragraphs anew), and a
    paragraph split or joined made one with the unpaired paragraphs its words went to."""
    merged: list[Group] = []
    # Whether words moved across the breaks between two groups is asked of the groups
    # themselves, not of all those merged before: a text wrapped anew throughout would be
    # read again whole for each of its paragraphs.
    first: Group | None = None  # the first group of merged[0]
    last: Group | None = None  # the last group of merged[-1]
    for k, group in enumerate(groups):
        if group[1] - group[0] != group[3] - group[2]:
            low = (merged[-1][1], merged[-1][3]) if merged else (0, 0)
            high = (
                (groups[k + 1][0], groups[k + 1][2])
                if k + 1 < len(groups)
                else (len(old), len(new))
            )
            group = _with_neighbours(old, new, group, low, high)
        if last is not None and _is_break_moved(old, new, last, group):
            i1, _, j1, _ = merged[-1]
            merged[-1] = (i1, group[1], j1, group[3])
        else:
            if last is not None:
                group = _with_between(old, new, merged, last, group)
            merged.append(group)
        first, last = first or group, group
    # The first and the last group with the paragraphs before or after them that nothing
    # holds, where words of theirs went to those; or, where nothing was paired, paragraphs
    # joined or split with none of them like enough to any other to be paired.
    start, end = (0, 0, 0, 0), (len(old), len(old), len(new), len(new))
    if first is None or last is None:
        is_regrouped = (
            bool(old and new)
            and max(len(old), len(new)) > 1
            and _is_break_moved(old, new, start, end)
        )
        return [(0, len(old), 0, len(new))] if is_regrouped else []
    if _is_break_moved(old, new, start, first):
        merged[0] = (0, merged[0][1], 0, merged[0][3])
    if _is_break_moved(old, new, last, end):
        merged[-1] = (merged[-1][0], len(old), merged[-1][2], len(new))
    return merged


def _with_between(
    old: Sequence[Block], new: Sequence[Block], merged: list[Group], last: Group, group: Group
) -> Group:
    """A group, or the merged ones before it (their last group `last`), with the paragraphs
    between them that neither holds, where words moved across the breaks of those and of
    one of them only: a break of the other falls where an old one was, and the two are not
    one. ("A ¶ B ¶ C ¶ D ¶ E" became "AB ¶ CD and E's first words ¶ the rest of E".)"""
    i2, j2 = merged[-1][1], merged[-1][3]
    i, j = group[0], group[2]
    if (i2, j2) == (i, j):
        return group  # (most groups: nothing between them)
    if _is_break_moved(old, new, (i2, i2, j2, j2), group):
        return (i2, group[1], j2, group[3])
    if _is_break_moved(old, new, last, (i, i, j, j)):
        i1, _, j1, _ = merged[-1]
        merged[-1] = (i1, i, j1, j)
    return group


def _with_neighbours(
    old: Sequence[Block],
    new: Sequence[Block],
    group: Group,
    low: tuple[int, int],
    high: tuple[int, int],
) -> Group:
    """A paragraph split in several (or several joined in one) with the unpaired paragraphs
    next to it whose words went to its parts, up to as many as make old and new paragraphs as
    many: paragraphs whose breaks moved (most of the words of one going to the next)."""
    i1, i2, j1, j2 = group
    is_split = j2 - j1 > i2 - i1
    if is_split:
        whole, parts, start, end, bounds = old, new[j1:j2], i1, i2, (low[0], high[0])
    else:
        whole, parts, start, end, bounds = new, old[i1:i2], j1, j2, (low[1], high[1])
    words = Counter[str]()
    for block in parts:
        words.update(_features(block).counts)

    def takes(block: Block, beside: Block) -> bool:
        features = _features(block)
        return (
            _is_seamable(block)
            and _are_neighbours(block, beside)
            and 2 * _common(features.counts, words) >= len(features.words)
        )

    for _ in range(len(parts) - (end - start)):
        if end < bounds[1] and takes(whole[end], whole[end - 1]):
            end += 1
        elif start > bounds[0] and takes(whole[start - 1], whole[start]):
            start -= 1
        else:
            break
    if (start, end) == ((i1, i2) if is_split else (j1, j2)):
        return group
    grown = (start, end, j1, j2) if is_split else (i1, i2, start, end)
    # Read as one, they must mark fewer words than the paragraph split (or joined) and the
    # others inserted or deleted whole.
    first, last = (i1, i2) if is_split else (j1, j2)
    taken = tuple(block.html for block in (*whole[start:first], *whole[last:end]))
    alone = marked_tokens(taken, ()) if is_split else marked_tokens((), taken)
    htmls = _htmls(old, new, grown)
    if recut_inline(*htmls) is None:
        return group
    return (
        grown if marked_tokens(*htmls) < marked_tokens(*_htmls(old, new, group)) + alone else group
    )


def _htmls(
    old: Sequence[Block], new: Sequence[Block], group: Group
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The inline HTML of the old and of the new paragraphs of a group."""
    i1, i2, j1, j2 = group
    return tuple(block.html for block in old[i1:i2]), tuple(block.html for block in new[j1:j2])


def _is_break_moved(old: Sequence[Block], new: Sequence[Block], last: Group, group: Group) -> bool:
    """Whether words moved across the breaks between two groups (two pairs, a paragraph split
    next to paragraphs joined, ...; or a group and the start or end of the run, as an empty
    one), with the paragraphs between them that neither holds: read as one, they mark fewer
    words than apart, those paragraphs deleted and inserted whole."""
    i1, i2, j1, j2 = last
    i, next_i, j, next_j = group
    if (i1, i2) == (i, next_i) and (j1, j2) == (j, next_j):
        return False  # (a run of one group: nothing after or before it)
    if (i2, j2) == (i, j) and (i2 == i1 or i == next_i or j2 == j1 or j == next_j):
        return False  # nothing between a group and the run's end
    olds, news = old[max(i2 - 1, 0) : i + 1], new[max(j2 - 1, 0) : j + 1]
    if not (
        all(_is_seamable(block) for block in (*olds, *news))
        and all(_are_neighbours(a, b) for a, b in zip(olds, olds[1:], strict=False))
        and all(_are_neighbours(c, d) for c, d in zip(news, news[1:], strict=False))
    ):
        return False
    if (i2, j2) == (i, j) and i2 - i1 == j2 - j1 == next_i - i == next_j - j == 1:
        # (Most pairs of edited paragraphs next to each other: each keeps its first and last
        # words.)
        a, b, c, d = old[i - 1], old[i], new[j - 1], new[j]
        if (
            _features(a).words[-3:] == _features(c).words[-3:]
            or _features(b).words[:3] == _features(d).words[:3]
        ):
            return False
    # Each paragraph between them holds mostly words of the other side's.
    for side, other in ((old[i2:i], new[j1:next_j]), (new[j2:j], old[i1:next_i])):
        words = Counter[str]()
        for block in other:
            words.update(_features(block).counts)
        for block in side:
            features = _features(block)
            if 2 * _common(features.counts, words) < len(features.words):
                return False
    union = _htmls(old, new, (i1, next_i, j1, next_j))
    if recut_inline(*union) is None:
        return False
    olds_between, news_between = _htmls(old, new, (i2, i, j2, j))
    between = marked_tokens(olds_between, ()) + marked_tokens((), news_between)
    apart = marked_tokens(*_htmls(old, new, last)) + marked_tokens(*_htmls(old, new, group))
    saved = apart + between - marked_tokens(*union)
    # The paragraphs between them are kept as one, three words in four at least: moved
    # across the breaks, not a paragraph deleted or inserted that shares a few of its words.
    return saved > 0 and 4 * saved >= 3 * between


def _recut(old: Sequence[Block], new: Sequence[Block]) -> list[Op]:
    """Paragraphs whose breaks moved → an op for each new one, holding the parts of the old
    ones its words came from; each pair diffed on its own if the words did not move after all."""
    recut = recut_inline(tuple(block.html for block in old), tuple(block.html for block in new))
    if recut is None:
        paired = min(len(old), len(new))
        return [
            *(Op(a, b) for a, b in zip(old, new, strict=False)),
            *(Op(a, None) for a in old[paired:]),
            *(Op(None, b) for b in new[paired:]),
        ]
    ops = []
    for k, (pieces, block) in enumerate(zip(recut.pieces, new, strict=True)):
        parts = tuple(old[index].with_html(html.lstrip()) for index, html in pieces)
        # The break after it is new when the next paragraph goes on with the same old one.
        is_split = k + 1 < len(new) and recut.pieces[k + 1][0][0] == pieces[-1][0]
        ops.append(
            Op(
                parts[0],
                block,
                is_split,
                parts if len(parts) > 1 else (),
                is_recut=is_split and recut.new_moved[k],
                moved_joins=tuple(recut.old_moved[index] for index, _ in pieces[:-1]),
            )
        )
    return ops


def _seams(
    old: Sequence[Block], new: Sequence[Block], pairs: Sequence[tuple[int, int]]
) -> list[Group]:
    """The pairs of a replaced run, each grown into a paragraph split in several (or several
    joined in one) where the unpaired paragraphs next to it hold the rest of its words.

    Editors split a long paragraph, or join two, often without changing a word: shown as an
    edit of one part and an insertion of the other, the redline would read as a rewording.
    """
    groups: list[Group] = []
    for k, (i, j) in enumerate(pairs):
        low_i, low_j = (groups[-1][1], groups[-1][3]) if groups else (0, 0)
        high_i, high_j = pairs[k + 1] if k + 1 < len(pairs) else (len(old), len(new))
        j1, j2 = _grow(old[i], new, j, low_j, high_j)
        if j2 - j1 > 1:
            groups.append((i, i + 1, j1, j2))
            continue
        i1, i2 = _grow(new[j], old, i, low_i, high_i)
        groups.append((i1, i2, j, j + 1))
    return groups


def _grow(whole: Block, parts: Sequence[Block], at: int, low: int, high: int) -> tuple[int, int]:
    """The paragraphs of `parts` around `parts[at]`, between `low` and `high`, that `whole` was
    cut into (or joined from): each holds mostly words of `whole`, and takes in more of them."""
    if not (
        _is_seamable(whole)
        and _is_seamable(parts[at])
        and (
            (at - 1 >= low and _are_neighbours(parts[at - 1], parts[at]))
            or (at + 1 < high and _are_neighbours(parts[at + 1], parts[at]))
        )
    ):
        return at, at + 1  # (most pairs: nothing unpaired next to them could be a part)
    target = _features(whole).counts
    counts = Counter(_features(parts[at]).counts)
    common = _common(target, counts)
    total = len(_features(whole).words) + counts.total()
    start, end = at, at + 1

    def takes(block: Block) -> bool:
        nonlocal common, total
        if not _is_seamable(block) or not _are_neighbours(block, parts[at]):
            return False
        features = _features(block)
        more = _common(target, counts + features.counts) - common
        size = len(features.words)
        # Most of its words are the whole's, and the group is more like the whole with it.
        if 2 * more < size or (common + more) * total <= common * (total + size):
            return False
        counts.update(features.counts)
        common, total = common + more, total + size
        return True

    while start - 1 >= low and takes(parts[start - 1]):
        start -= 1
    while end < high and takes(parts[end]):
        end += 1
    return start, end


def _is_seamable(block: Block) -> bool:
    """A paragraph (or a list item's words), which a break may cut."""
    return block.kind == "paragraph" and bool(block.text)


def _are_neighbours(a: Block, b: Block) -> bool:
    """Paragraphs in the same containers, or items of the same list."""
    if a.signature != b.signature:
        return False
    if a.path == b.path:
        return True
    return (
        len(a.path) == len(b.path)
        and a.path[:-1] == b.path[:-1]
        and a.path[-1].tag == b.path[-1].tag == "li"
    )


@dataclass(frozen=True, slots=True)
class _Features:
    """What block similarity looks at."""

    block: Block
    words: tuple[str, ...]
    """Visible words, whitespace left out, case folded ("Improve" is "To improve"'s
    "improve"); a heading's without its number."""
    counts: Counter[str]
    cells: Counter[str]
    """A table row's cells, by their text."""


def _features(block: Block) -> _Features:
    text = block.text.replace("\x1e", " ")
    if block.kind == "heading" and (
        number := SECTION_NUMBER.match(block.title.translate(FULL_WIDTH_NUMBERS))
    ):
        text = block.title[number.end() :]
    words, counts = _words(text)
    cells = Counter(cell.text for cell in block.cells) if block.cells else _NO_CELLS
    return _Features(block, words, counts, cells)


# A block edited in one pair of texts is usually edited in several (each region's, each
# language's that falls back to the same text); its words are read once.
@functools.lru_cache(maxsize=16384)
def _words(text: str) -> tuple[tuple[str, ...], Counter[str]]:
    words = words_of(text.casefold())
    return words, Counter(words)


_NO_CELLS: Counter[str] = Counter()
"""The cells of a block that is not a table row (shared: features are only read)."""


def _is_reformed(a: Block, b: Block) -> bool:
    """Whether a paragraph became a heading, a list item, a quotation or a block of code (or
    the other way round, or an item of a list inside another), its words kept: a change of
    form, which read as a part removed and another added."""
    if not a.text or a.text != b.text:
        return False
    if {a.kind, b.kind} == {"paragraph", "heading"}:
        return a.signature.rpartition("|")[0] == b.signature.rpartition("|")[0]
    return {a.kind, b.kind} <= {"paragraph", "code"} and outside_forms(a) == outside_forms(b)


def outside_forms(block: Block) -> str:
    """The containers of a block, but the lists, list items and quotations it is in."""
    containers = block.signature.rpartition("|")[0]
    return "/".join(k for k in containers.split("/") if k not in _FORMS)


_FORMS = ("list", "li", "blockquote")
"""Containers that give the words they hold a form, not words of their own."""


def _similarity(a: _Features, b: _Features) -> float:
    """0 for blocks that cannot pair; else the share of words they have in common (Dice).

    A bag of words, not a sequence match: pairing needs "mostly the same words", and this
    stays linear in the length of the blocks.
    """
    if a.block.signature != b.block.signature:
        return 1.0 if _is_reformed(a.block, b.block) else 0.0
    if a.block.kind == "raw":
        return 0.0
    # A renumbered section keeps its words; a renamed one keeps its number or {#id}.
    floor = SAME_ANCHOR_SIMILARITY if a.block.anchor and a.block.anchor == b.block.anchor else 0.0
    total = len(a.words) + len(b.words)
    if total == 0:
        return 1.0
    if a.cells:
        # A row keeping half of its cells is that row edited, however long the others are.
        cells = len(a.block.cells) + len(b.block.cells)
        floor = max(floor, 2 * _common(a.cells, b.cells) / cells)
    if 2 * min(len(a.words), len(b.words)) / total < PAIRING_THRESHOLD:
        return floor
    return max(floor, 2 * _common(a.counts, b.counts) / total)


def words_of_block(block: Block) -> tuple[tuple[str, ...], Counter[str]]:
    """A block's visible words as similarity reads them (a heading's without its number,
    case folded), in order and counted: `counts` is shared, and only read."""
    features = _features(block)
    return features.words, features.counts


def common_words(a: Counter[str], b: Counter[str]) -> int:
    """How many of the words of `a` are in `b` too, each as often as in both."""
    return _common(a, b)


def _common(a: Counter[str], b: Counter[str]) -> int:
    """How many of the words of `a` are in `b` too, each as often as in both: the size of
    `a & b`, without making that Counter."""
    if len(a) > len(b):
        a, b = b, a
    common = 0
    for word, count in a.items():
        other = b.get(word)
        if other:
            common += count if count < other else other
    return common


def _best_pairs(old: Sequence[Block], new: Sequence[Block]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar blocks, in order in both runs."""
    old_features = [_features(block) for block in old]
    new_features = [_features(block) for block in new]
    if len(old) * len(new) > FULL_PAIRING_CELLS:
        return _greedy_pairs(old_features, new_features)
    rows, columns = len(old) + 1, len(new) + 1
    similarity = [[0.0] * columns for _ in range(rows)]
    score = [[0.0] * columns for _ in range(rows)]
    for i in range(1, rows):
        for j in range(1, columns):
            best = max(score[i - 1][j], score[i][j - 1])
            value = _similarity(old_features[i - 1], new_features[j - 1])
            similarity[i][j] = value
            if value >= PAIRING_THRESHOLD:
                best = max(best, score[i - 1][j - 1] + value)
            score[i][j] = best
    pairs: list[tuple[int, int]] = []
    i, j = rows - 1, columns - 1
    while i > 0 and j > 0:
        value = similarity[i][j]
        if value >= PAIRING_THRESHOLD and score[i][j] == score[i - 1][j - 1] + value:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _greedy_pairs(old: Sequence[_Features], new: Sequence[_Features]) -> list[tuple[int, int]]:
    """Pairs for a long replaced run (a rewrite): each old block takes its best match close ahead."""
    pairs: list[tuple[int, int]] = []
    start = 0
    for i, features in enumerate(old):
        if start < len(new) and _similarity(features, new[start]) >= PAIRING_THRESHOLD:
            # The usual case in a rewrite: the next block of each text is the same block.
            pairs.append((i, start))
            start += 1
            continue
        best, best_j = PAIRING_THRESHOLD, -1
        for j in range(start + 1, min(len(new), start + GREEDY_WINDOW)):
            value = _similarity(features, new[j])
            if value >= best:
                best, best_j = value, j
        if best_j >= 0:
            pairs.append((i, best_j))
            start = best_j + 1
    return pairs
