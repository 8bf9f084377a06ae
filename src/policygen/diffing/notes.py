"""The blocks of two texts with footnotes → the older text's notes in the newer's order.

Notes are numbered by their first marks: a mark moved before another renumbers them, and
the notes' list comes in another order. Compared in the order of each text, a note that was
renumbered and edited would read as removed from one place and added in another; two notes
that exchanged their words, as the same notes renumbered. Put in the newer text's order, and
matched by their labels (never with another note), each note is compared with itself: its
words marked where they changed, its number where it changed ("renumbered"). A note the
newer text no longer has stays after the note it followed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..footnotes import MARK_CLASS, NOTE_ID, NOTES_CLASS
from ..markdown import read_note_labels
from .blocks import Block, Frame


def match_notes(
    old_blocks: tuple[Block, ...], new_blocks: tuple[Block, ...], old: str, new: str
) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """The blocks of canonical texts `old` and `new`, the older's notes in the newer's order,
    and each note's blocks able to pair only with the same note's (of the same label)."""
    old_labels, new_labels = read_note_labels(old), read_note_labels(new)
    if not old_labels or not new_labels:
        return old_blocks, new_blocks
    old_blocks = _marks_to_new_notes(old_blocks, old_labels, new_labels)
    old_notes, new_notes = _notes(old_blocks, old_labels), _notes(new_blocks, new_labels)
    if old_notes is None or new_notes is None:
        return old_blocks, new_blocks  # (not a list of notes as policygen writes it)
    new_number = {label: number for number, label in enumerate(new_labels)}
    place: dict[Frame, tuple[float, int]] = {}
    before = -1.0
    for number, (item, label) in enumerate(zip(old_notes[1], old_labels, strict=True)):
        # A removed note goes right after the note before it, in its new place.
        at = float(new_number[label]) if label in new_number else before + 0.5
        place[item] = (at, number)
        before = at
    ordered = sorted(old_notes[1], key=place.__getitem__)
    first, groups = old_notes
    old_identity = {
        item: f"note {new_number[label]}" if label in new_number else f"removed note {number}"
        for number, (item, label) in enumerate(zip(groups, old_labels, strict=True))
    }
    new_identity = {item: f"note {number}" for number, item in enumerate(new_notes[1])}
    return (
        (
            *old_blocks[:first],
            *(_of_note(block, old_identity[item]) for item in ordered for block in groups[item]),
        ),
        tuple(
            _of_note(block, new_identity[item]) if item is not None else block
            for block in new_blocks
            for item in (note_item(block.path),)
        ),
    )


_MARK_LINK = re.compile(f'(<sup class="{MARK_CLASS}"><a href="#{NOTE_ID})([0-9]+)"')


def _marks_to_new_notes(
    blocks: tuple[Block, ...], old_labels: Sequence[str], new_labels: Sequence[str]
) -> tuple[Block, ...]:
    """The older text's blocks with each mark linking to its note as the newer text numbers
    it (`#pg-fn-0`: a note it no longer has), its number as it was: a mark is compared by
    both (see `words`). Two marks that exchanged their notes ("We keep it.[^a] We share
    it.[^b]" made "We keep it.[^b] We share it.[^a]") show the same numbers, and read as
    unchanged, though each sentence now leads to the other's note."""
    new_number = {label: number for number, label in enumerate(new_labels, 1)}
    numbers = [new_number.get(label, 0) for label in old_labels]
    if numbers == list(range(1, len(old_labels) + 1)):
        return blocks

    def relink(html: str) -> str:
        if MARK_CLASS not in html:
            return html
        return _MARK_LINK.sub(
            lambda mark: (
                mark[1] + str(numbers[int(mark[2]) - 1]) + '"'
                if 0 < int(mark[2]) <= len(numbers)
                else mark[0]
            ),
            html,
        )

    return tuple(
        block._replace(
            html=relink(block.html),
            content=relink(block.content),
            element=relink(block.element),
            cells=tuple(
                dataclasses.replace(cell, html=relink(cell.html), content=relink(cell.content))
                for cell in block.cells
            ),
        )
        if MARK_CLASS in block.content
        else block
        for block in blocks
    )


def _notes(
    blocks: tuple[Block, ...], labels: Sequence[str]
) -> tuple[int, dict[Frame, list[Block]]] | None:
    """Where a text's notes start in its blocks, and each note's blocks; None when the blocks
    after the first note are not all notes', or the notes are not as many as the labels."""
    groups: dict[Frame, list[Block]] = {}
    first = None
    for index, block in enumerate(blocks):
        item = note_item(block.path)
        if item is not None:
            first = index if first is None else first
            groups.setdefault(item, []).append(block)
        elif first is not None:
            return None
    if first is None or len(groups) != len(labels):
        return None
    return first, groups


def _of_note(block: Block, identity: str) -> Block:
    """A block of a note that pairs only with blocks of the same note."""
    # In its containers: blocks of other containers are never the same block reformed.
    containers, bar, kind = block.signature.rpartition("|")
    signature = f"{containers}/{identity}{bar}{kind}"
    return block._replace(signature=signature, key=signature + block.key[len(block.signature) :])


def note_item(path: tuple[Frame, ...]) -> Frame | None:
    """The footnote a block in `path` is in: an item of the list in the notes' section."""
    for frame in path:
        section = frame.parent.parent if frame.parent is not None else None
        if frame.kind == "li" and section is not None and is_notes(section):
            return frame
    return None


def is_notes(frame: Frame) -> bool:
    """Whether a container is the section of a text's footnotes."""
    return frame.tag == "section" and NOTES_CLASS in dict(frame.attrs).get("class", "").split()


_DELETED = re.compile(r"<del>.*?</del>", re.DOTALL)
_DELETED_MARK = re.compile(f'(<sup class="{MARK_CLASS}"><a) href="#{NOTE_ID}[0-9]+"')


def without_links_of_deleted_marks(html: str) -> str:
    """A redline's HTML with the marks it shows deleted linking nowhere: their numbers are
    the older text's, and the redline's notes, under those numbers, the newer text's."""
    if MARK_CLASS not in html or "<del>" not in html:
        return html
    return _DELETED.sub(lambda deleted: _DELETED_MARK.sub(r"\1", deleted[0]), html)
