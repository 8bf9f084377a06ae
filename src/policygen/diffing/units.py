"""The ops of a redline, each in the containers it is written in → where the parts a reader
navigates start, and what they are called.

The finest structure the text has: every heading, whatever its level; in a text with one
heading or none, its numbered paragraphs ("8.1 …"), list items and table rows; failing
numbers, every paragraph. Each of a text's footnotes is a part of its own, named by its number
and first words: an edited note is not a change of the section above it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..footnotes import BACK
from .alignment import Op
from .blocks import Block, Frame
from .notes import is_notes, note_item

UnitKind = Literal["intro", "heading", "paragraph", "item", "row"]

NUMBERED_PARAGRAPH = re.compile(r"\s*(?:§\s*)?(?:\d+(?:\.\d+)+\.?|\d+[.)])(?=\s|$)")
"""A paragraph that starts with its number: "8.1 …", "8.1.2 …", "8. …", "8) …"."""
TITLE_WORDS = 8
"""Words of a paragraph, item or row that name it in the list of changes."""
TITLE_CHARACTERS = 60
"""The most characters of it that do, for scripts written without spaces."""


@dataclass(frozen=True, slots=True)
class UnitStart:
    """Where a part starts, and what it is."""

    kind: UnitKind
    title: str
    """A heading's text; the first words of a paragraph, item or row; "" for an intro."""
    number: int = 0
    """A list item's number (as its list shows it) or a row's place in its table."""
    level: int = 0
    """A heading's level."""
    frame: Frame | None = None
    """The list item that is the part, whose element carries its anchor."""
    is_renamed: bool = False
    """A heading deleted, and another of its level inserted right after it: the part starts
    at the deleted one and is the inserted one's, named and linked as it."""


def unit_starts(ops: Sequence[Op], paths: Sequence[tuple[Frame, ...]]) -> dict[int, UnitStart]:
    """The index of each op that starts a part, with what the part is.

    `paths` are the containers each op is written in (a deleted block's, as far as they are
    the newer text's): the parts of the redline, not of either text.
    """
    if not ops:
        return {}
    old_headings = sum(op.old is not None and op.old.kind == "heading" for op in ops)
    new_headings = sum(op.new is not None and op.new.kind == "heading" for op in ops)
    if max(old_headings, new_headings) > 1:
        starts = {}
        before: tuple[Frame, ...] = ()
        for k, (op, path) in enumerate(zip(ops, paths, strict=True)):
            note, before = _note_start(op.block, path, before), path
            if note is None and (first := _first_note_after_rule(ops, paths, k)) is not None:
                note, before = first
            if note is not None:
                starts[k] = note
                continue
            # A heading made a paragraph still starts the part its changes are listed under.
            heading = op.old if op.block.kind != "heading" else op.block
            if heading is None or heading.kind != "heading" or _is_renamed(ops, k - 1):
                continue
            if _is_renamed(ops, k):
                new = ops[k + 1].block
                starts[k] = UnitStart("heading", new.title, level=new.level, is_renamed=True)
            else:
                starts[k] = UnitStart("heading", heading.title, level=heading.level)
        starts.setdefault(0, UnitStart("intro", ""))
        return starts
    is_numbered = _count_numbered(ops, "old") > 1 or _count_numbered(ops, "new") > 1
    starts = {}
    previous: tuple[Frame, ...] = ()
    wordless_head: int | None = None
    """Where a head row without words is: the row after it, which names the part, starts there."""
    for k, (op, path) in enumerate(zip(ops, paths, strict=True)):
        block = op.block
        if block.kind == "row" and block.number == 0 and not block.text.strip("\x1e \t\n"):
            wordless_head = k if wordless_head is None else wordless_head
            previous = path
            if k == 0:
                starts[k] = UnitStart("intro", "")
            continue
        start = _fine_start(block, path, previous, is_numbered)
        if start is None and (first := _first_note_after_rule(ops, paths, k)) is not None:
            start, path = first
        if start is not None and start.kind == "row" and wordless_head is not None:
            starts[wordless_head] = start
        elif start is not None or k == 0:
            starts[k] = start or UnitStart("paragraph", excerpt(block.text))
        wordless_head = None
        previous = path
    return starts


def _is_renamed(ops: Sequence[Op], k: int) -> bool:
    """Whether op `k` deletes a heading that the op after it replaces with another of its
    level: what follows was the old heading's and is the new one's (Skroutz renumbered its
    articles, 'Άρθρο 9' to 'Άρθρο 10 - Σύστημα Διαχείρισης Καταγγελιών', their clauses the
    same), a section whose heading changed, not one removed and one added."""
    if not 0 <= k < len(ops) - 1:
        return False
    old, new = ops[k], ops[k + 1]
    return (
        old.new is None
        and old.old is not None
        and old.old.kind == "heading"
        and new.old is None
        and new.new is not None
        and new.new.kind == "heading"
        and new.new.level == old.old.level
    )


def _note_start(
    block: Block, path: tuple[Frame, ...], previous: tuple[Frame, ...]
) -> UnitStart | None:
    """The part a block starts if it is the first of a footnote (an item of the list of
    notes): named by the note's number, as its mark shows it, and its first words."""
    item = note_item(path)
    if item is None or item in previous:
        return None
    number = item_number(item)
    words = excerpt(block.text.split(BACK, 1)[0])
    return UnitStart("paragraph", f"[{number}] {words}".rstrip(), number, frame=item)


def _first_note_after_rule(
    ops: Sequence[Op], paths: Sequence[tuple[Frame, ...]], k: int
) -> tuple[UnitStart, tuple[Frame, ...]] | None:
    """For a block of the notes' section in no note (the rule above the notes) inserted or
    deleted, the part of the first note, which it starts, and that note's containers: the
    notes' section added or removed whole (a text's first footnote, or its last one removed)
    is no change of the section above it."""
    path = paths[k]
    if ops[k].old is not None and ops[k].new is not None:
        return None
    if note_item(path) is not None or not any(is_notes(frame) for frame in path):
        return None
    for later in range(k + 1, len(ops)):
        if note_item(paths[later]) is not None:
            start = _note_start(ops[later].block, paths[later], ())
            return (start, paths[later]) if start is not None else None
    return None


def _fine_start(
    block: Block, path: tuple[Frame, ...], previous: tuple[Frame, ...], is_numbered: bool
) -> UnitStart | None:
    """The part a block starts in a text with one heading or none, if it starts one."""
    if any(is_notes(frame) for frame in path):
        return _note_start(block, path, previous)
    if block.kind == "heading":
        return UnitStart("heading", block.title, level=block.level)
    item = next((frame for frame in path if frame.kind == "li"), None)
    if item is not None:
        if item in previous:
            return None
        return UnitStart("item", excerpt(block.text), item_number(item), frame=item)
    if block.kind == "row":
        table = next(frame for frame in reversed(path) if frame.kind == "table")
        if block.number == 0 and table in previous:
            return None  # a second head row
        cells = " · ".join(text for text in block.text.split("\x1e") if text)
        return UnitStart("row", excerpt(cells), block.number)
    if is_numbered and not NUMBERED_PARAGRAPH.match(block.text):
        return None
    if not block.text:
        return None
    return UnitStart("paragraph", excerpt(block.text))


def _count_numbered(ops: Sequence[Op], side: Literal["old", "new"]) -> int:
    count = 0
    for op in ops:
        block = op.old if side == "old" else op.new
        if (
            block is not None
            and block.kind == "paragraph"
            and not any(frame.kind in ("li", "table") for frame in block.path)
            and NUMBERED_PARAGRAPH.match(block.text)
        ):
            count += 1
    return count


def item_number(item: Frame) -> int:
    """A list item's number as its list shows it (an ordered list may start elsewhere than 1)."""
    parent = item.parent
    if parent is None or parent.tag != "ol":
        return item.number
    start = dict(parent.attrs).get("start", "1")
    return item.number + (int(start) - 1 if start.lstrip("-").isdigit() else 0)


def excerpt(text: str) -> str:
    """The first words of a text, to name it."""
    words = text.split()
    text = " ".join(words)
    short = " ".join(words[:TITLE_WORDS])
    if len(short) > TITLE_CHARACTERS:
        short = short[:TITLE_CHARACTERS]
    short = short.rstrip(" ·")
    return short + ("…" if len(short) < len(text) else "")
