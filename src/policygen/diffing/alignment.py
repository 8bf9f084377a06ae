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
from .blocks import Block
from .matching import Opcode, match_around_anchors
from .words import cut_inline, words_of

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
    opcodes = match_blocks([block.key for block in old], [block.key for block in new])
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in _slide_runs(opcodes, old, new):
        if tag == "equal":
            ops.extend(Op(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            ops.extend(_pair_run(old[i1:i2], new[j1:j2]))
    return ops


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
    for i1, i2, j1, j2 in [*groups, (len(old), len(old), len(new), len(new))]:
        ops.extend(Op(block, None) for block in old[i:i1])
        ops.extend(Op(None, block) for block in new[j:j1])
        if j2 - j1 > 1:
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


Group = tuple[int, int, int, int]
"""Blocks `old[i1:i2]` that became `new[j1:j2]`: one pair, or one block and several."""


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


def _similarity(a: _Features, b: _Features) -> float:
    """0 for blocks that cannot pair; else the share of words they have in common (Dice).

    A bag of words, not a sequence match: pairing needs "mostly the same words", and this
    stays linear in the length of the blocks.
    """
    if a.block.signature != b.block.signature or a.block.kind == "raw":
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
