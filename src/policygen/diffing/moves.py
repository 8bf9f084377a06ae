"""The parts of a redline → its sections moved and edited at once, and the ops that show them.

A section removed in one place and added in another with the same words reads as moved as
it is. One moved and edited too (an editor puts "Cookies" after "Sharing" and fixes two words
in it) would read as hundreds of words deleted and as many inserted: it is shown where it now
stands with its edits marked word by word, its old blocks aligned with its new ones, and
where it stood as removed, as a moved section is.

A removed and an added section are one section moved when both start at a heading with the
same words, its number left out ("3. Cookies" and "5. Cookies"), and more than half of the
words of each (under the heading) are words of the other: sections that only share a
heading ("Retention" under two parts) or a closing sentence are not paired.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .alignment import Op, align, common_words, words_of_block
from .blocks import Block, with_copied_containers
from .html import WrittenUnit

MOVED_SHARE = 0.5
"""A section moved keeps more than this share of the words of each of its two versions."""
MOST_COMPARED = 64
"""Removed × added sections of one heading compared each with each; past that (a heading
repeated in every section), paired in order, so that the time stays in proportion to them."""


@dataclass(frozen=True, slots=True)
class Moves:
    """The sections of a redline moved and edited, by the ops of their headings."""

    headings: dict[int, int] = field(default_factory=dict)
    """For each such section, the identity of the op of its heading where it stood and of
    the one where it now stands, each with its place among those sections. (Not of their
    blocks: a block both texts hold alike is read once, one object in both.)"""

    def place_of(self, unit: WrittenUnit) -> int | None:
        """The place among those sections of the one a part is, where it stood or where it
        now stands; None for a part that is none of them."""
        return self.headings.get(id(unit.pieces[0].op)) if unit.pieces else None


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    """The part's place among the parts of the redline."""
    blocks: tuple[Block, ...]
    """Its blocks, its heading first, as its side of the redline has them."""
    counts: Counter[str]
    """The words of its blocks under the heading."""
    size: int


def find_moves(ops: Sequence[Op], units: Sequence[WrittenUnit]) -> list[tuple[int, int]]:
    """The sections moved and edited: pairs of the place of a removed part and of the added
    part that is the same section, in the order of the added ones."""
    removed = [k for k, unit in enumerate(units) if _is_whole_section(unit, "removed")]
    if not removed:
        return []  # (most redlines)
    added = [k for k, unit in enumerate(units) if _is_whole_section(unit, "added")]
    if not added or not _is_cut_at_headings(ops):
        return []
    # Sections with the same words are moves as they are (see `diffing._sections`).
    contents = {k: tuple(piece.op.block.key for piece in units[k].pieces) for k in removed + added}
    kept_whole = {contents[k] for k in removed} & {contents[k] for k in added}
    by_heading: dict[tuple[str, ...], tuple[list[_Candidate], list[_Candidate]]] = {}
    for side, indices in ((0, removed), (1, added)):
        for k in indices:
            if contents[k] in kept_whole:
                continue
            blocks = tuple(piece.op.block for piece in units[k].pieces)
            heading, _ = words_of_block(blocks[0])
            if not heading:
                continue
            counts: Counter[str] = Counter()
            for block in blocks[1:]:
                counts.update(words_of_block(block)[1])
            candidate = _Candidate(k, blocks, counts, counts.total())
            by_heading.setdefault(heading, ([], []))[side].append(candidate)
    pairs: list[tuple[int, int]] = []
    for olds, news in by_heading.values():
        if olds and news:
            pairs.extend(_pairs(olds, news))
    return sorted(pairs, key=lambda pair: pair[1])


def _is_cut_at_headings(ops: Sequence[Op]) -> bool:
    """Whether a redline's parts are sections (see `units.unit_starts`): in a text with one
    heading or none, a part is a paragraph, an item or a row, and a heading holds nothing."""
    for side in ("old", "new"):
        headings = 0
        for op in ops:
            block = op.old if side == "old" else op.new
            if block is not None and block.kind == "heading":
                headings += 1
                if headings > 1:
                    return True
    return False


def _is_whole_section(unit: WrittenUnit, change: str) -> bool:
    return unit.change == change and unit.start.kind == "heading" and not unit.start.is_renamed


def _pairs(olds: list[_Candidate], news: list[_Candidate]) -> list[tuple[int, int]]:
    """The removed and added sections of one heading that are one section: the likest first."""
    if len(olds) * len(news) > MOST_COMPARED:
        scored = [(0.0, old, new) for old, new in zip(olds, news, strict=False)]
    else:
        scored = [(-_likeness(old, new), old, new) for old in olds for new in news]
        scored.sort(key=lambda item: (item[0], item[1].index, item[2].index))
    taken: set[int] = set()
    pairs = []
    for _, old, new in scored:
        if old.index in taken or new.index in taken or not _is_same_section(old, new):
            continue
        taken.update((old.index, new.index))
        pairs.append((old.index, new.index))
    return pairs


def _likeness(old: _Candidate, new: _Candidate) -> float:
    total = old.size + new.size
    return 2 * common_words(old.counts, new.counts) / total if total else 1.0


def _is_same_section(old: _Candidate, new: _Candidate) -> bool:
    """Whether more than `MOVED_SHARE` of the words of each are the other's too."""
    common = common_words(old.counts, new.counts)
    if not old.size and not new.size:
        return True  # a heading alone, changed in form
    return common > MOVED_SHARE * old.size and common > MOVED_SHARE * new.size


def with_moves(
    ops: Sequence[Op], units: Sequence[WrittenUnit], pairs: Sequence[tuple[int, int]]
) -> tuple[list[Op], Moves]:
    """The ops of a redline with each section moved and edited shown where it now stands as
    its old blocks aligned with its new ones (the old ones in containers of their own), and
    still deleted where it stood."""
    sources = {new: old for old, new in pairs}
    starts = [0]
    for unit in units:
        starts.append(starts[-1] + len(unit.pieces))
    result: list[Op] = []
    headings: dict[int, int] = {}
    for k in range(len(units)):
        ops_of_unit = ops[starts[k] : starts[k + 1]]
        if k not in sources:
            result.extend(ops_of_unit)
            continue
        source = sources[k]
        removed = ops[starts[source] : starts[source + 1]]
        olds = [op.old for op in removed if op.old is not None]
        news = [op.new for op in ops_of_unit if op.new is not None]
        copies = with_copied_containers(olds)
        # The headings are the section's, whatever their level: they pair.
        heading = Op(copies[0], news[0])
        headings[id(removed[0])] = headings[id(heading)] = len(headings) // 2
        result.append(heading)
        result.extend(align(copies[1:], news[1:]))
    return result, Moves(headings)
