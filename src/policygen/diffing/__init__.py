"""Two canonical texts → a Redline: the parts a reader navigates, with changes marked.

Structure first, then words. Both texts are read as their pages show them, into blocks
(headings, paragraphs, table rows, code, each with the lists, items, quotes and tables it sits
in; raw HTML is read like Markdown), `alignment` lines the blocks up, `words` diffs the words
of edited blocks, and `html` writes the result in parts (`units`): sections at every heading,
or numbered paragraphs, list items and table rows in a text with one heading or none.
Everything written comes from the sanitized page HTML or from escaped text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from ..markdown import MARKS
from .alignment import Op, align
from .blocks import read_blocks, with_own_containers
from .html import (
    DELETED_BLOCK_CLASS,
    INSERTED_BLOCK_CLASS,
    SectionChange,
    Writer,
    WrittenUnit,
    unique_ids,
    with_own_directions,
)
from .moves import Moves, find_moves, with_moves
from .notes import match_notes, without_links_of_deleted_marks
from .units import UnitKind
from .words import FORM_CLASS, HIDDEN_LABEL_CLASS, Form, Marks, RedlineLabels, diff_inline

ENGLISH = RedlineLabels()
STAND_INS = RedlineLabels(
    inserted=MARKS.inserted,
    deleted=MARKS.deleted,
    link_changed="\ue000link changed\ue001",
    link_added="\ue000link added\ue001",
    link_removed="\ue000link removed\ue001",
    formatting_changed="\ue000formatting changed\ue001",
    heading_level_changed="\ue000heading level changed\ue001",
    renumbered="\ue000renumbered\ue001",
    paragraph_break_inserted="\ue000paragraph break inserted\ue001",
    paragraphs_joined="\ue000paragraphs joined\ue001",
    paragraph_break_moved="\ue000paragraph break moved\ue001",
    moved="\ue000moved\ue001",
    moved_and_changed="\ue000moved and changed\ue001",
)
"""Labels for a redline shown in any language: the page's template puts the words in."""
NO_MOVES = Moves()
MOVED_CLASS = "redline-moved"
"""Class of the label a moved section's heading ends with, where it stood and where it now
stands: "moved", or "moved · changed" where it now stands with its edits marked; a link to
the other place."""
COLLAPSE_CHARACTERS = 240
"""Unchanged paragraphs, items or rows shorter than this in all are shown, not collapsed."""

__all__ = [
    "DELETED_BLOCK_CLASS",
    "FORM_CLASS",
    "Form",
    "HIDDEN_LABEL_CLASS",
    "INSERTED_BLOCK_CLASS",
    "MOVED_CLASS",
    "Redline",
    "RedlineLabels",
    "RedlinePart",
    "RedlineSection",
    "STAND_INS",
    "diff_texts",
    "diff_titles",
    "with_own_directions",
]


@dataclass(frozen=True, slots=True)
class RedlineSection:
    """A part of the redline a reader can go to: a section, or a numbered paragraph, a list
    item or a table row of a text with one heading or none."""

    anchor: str
    """Id of its first element in the redline ("" for the text before the first heading): its
    own id in the new text, a removed heading's old id (with "-removed" when the new text uses
    it), or one made for it."""
    title: str
    """A heading's text (the new one, unless removed); the first words of other parts."""
    change: SectionChange
    """"added" and "removed" parts are wholly inserted or deleted; "reformatted" ones changed
    in form only (a link's target, emphasis, a heading's level); "modified" ones in words."""
    kind: UnitKind = "heading"
    number: int = 0
    """A list item's number or a table row's place in its table; 0 for other parts."""
    level: int = 0
    """A heading's level; 0 for other parts."""
    is_moved: bool = False
    """An added part whose text was removed elsewhere (or the other way round): a move. Or a
    section moved and edited (see `moves`): "removed" where it stood, and where it now
    stands "modified" (or "reformatted"), its edits marked."""
    forms: tuple[Form, ...] = ()
    """What its change is besides one of words, as the list of changes names it: every
    change of form of a part "reformatted", or of one whose heading's number is all of its
    words that changed ("renumbered"); where its text breaks (a paragraph split, joined or
    its break moved), for one whose words changed."""
    is_old_title: bool = False
    """Its title is the older text's words: it starts with a block that was deleted (a removed
    heading), which a redline between a translation and its original writes in the other
    text's language."""


@dataclass(frozen=True, slots=True)
class RedlinePart:
    """A run of parts written together: all unchanged (shown collapsed), or all changed."""

    html: Markup
    """Valid HTML with <ins>/<del> marks, the parts' anchors on their first elements."""
    sections: tuple[RedlineSection, ...]

    @property
    def is_unchanged(self) -> bool:
        return all(section.change == "unchanged" for section in self.sections)


@dataclass(frozen=True, slots=True)
class Redline:
    """The changes between two texts, in the order of the new text."""

    parts: tuple[RedlinePart, ...]
    """Every part, removed ones where they stood in the old text."""

    @property
    def sections(self) -> tuple[RedlineSection, ...]:
        return tuple(section for part in self.parts for section in part.sections)

    @property
    def has_changes(self) -> bool:
        return any(not part.is_unchanged for part in self.parts)

    @property
    def changed_sections(self) -> tuple[RedlineSection, ...]:
        return tuple(section for section in self.sections if section.change != "unchanged")


def diff_titles(old: str, new: str, labels: RedlineLabels = ENGLISH) -> Markup:
    """Two titles of a text → the new one with its changes marked, word by word."""
    html, _, _ = diff_inline(str(escape(old)), str(escape(new)), Marks.of(labels))
    return Markup(html)


def diff_texts(old: str, new: str, labels: RedlineLabels = ENGLISH) -> Redline:
    """Compare two canonical Markdown texts (as in source.md) and return their redline.

    Granularity follows the characters themselves, not a language tag: CJK and Thai characters
    one by one, other scripts word by word. So English quoted in Japanese diffs by words, and a
    fallback side (English text on a Japanese page) diffs by its own rules.
    """
    old_blocks, new_blocks = read_blocks(old), read_blocks(new)
    # Before aligning: each note is aligned with itself, whatever its number (see `notes`).
    old_blocks, new_blocks = match_notes(old_blocks, new_blocks, old, new)
    ops = align(old_blocks, new_blocks)
    if _crosses_containers(ops):
        ops = align(with_own_containers(old_blocks, new_blocks), new_blocks)
    writer = Writer(ops, Marks.of(labels))
    units = writer.units()
    moves = NO_MOVES
    if pairs := find_moves(ops, units):
        # Written again: each section moved and edited is diffed where it now stands.
        ops, moves = with_moves(ops, units, pairs)
        writer = Writer(ops, Marks.of(labels))
        units = writer.units()
    moved = _moves(units, moves)
    if any(move is not None for move in moved):
        units = _with_moved_labels(units, moved, labels)
    sections = _sections(units, [move is not None for move in moved])
    anchors = {
        unit.start.frame: unit.anchor
        for unit in units
        if unit.start.frame is not None and unit.anchor
    }
    runs = _runs(units)
    # Written in order: a container cut by a collapsed run opens again where it left off.
    htmls = [
        writer.write((piece for index in run for piece in units[index].pieces), anchors)
        for run in runs
    ]
    return Redline(
        tuple(
            RedlinePart(
                Markup(without_links_of_deleted_marks(html)),
                tuple(sections[index] for index in run),
            )
            for html, run in zip(unique_ids(htmls), runs, strict=True)
        )
    )


def _crosses_containers(ops: Sequence[Op]) -> bool:
    """Whether an old block is in a container the new text has, but not where the new text
    has it: a section both texts hold alike (read once, its containers shared), moved
    elsewhere, or deleted here and kept there. Its containers must then be the old text's
    own (`with_own_containers`); elsewhere sharing them is what keeping them means."""
    new_frames = {id(frame) for op in ops if op.new is not None for frame in op.new.path}
    return any(
        id(frame) in new_frames
        and (op.new is None or all(frame is not kept for kept in op.new.path))
        for op in ops
        if op.old is not None
        for frame in op.old.path
    )


def _runs(units: Sequence[WrittenUnit]) -> list[list[int]]:
    """The parts written together: runs of unchanged parts that collapse, and what is between.

    A short run of unchanged paragraphs, items or rows (one item between two changed ones)
    is shown as it is: collapsed, it would take more room than it saves.
    """
    runs: list[list[int]] = []
    for index, unit in enumerate(units):
        is_unchanged = unit.change == "unchanged"
        if runs and (units[runs[-1][0]].change == "unchanged") == is_unchanged:
            runs[-1].append(index)
        else:
            runs.append([index])
    merged: list[list[int]] = []
    merged_shown: list[bool] = []
    is_shown = [not _collapses([units[index] for index in run]) for run in runs]
    for run, shown in zip(runs, is_shown, strict=True):
        if merged and shown and merged_shown[-1]:
            merged[-1].extend(run)
        else:
            merged.append(list(run))
            merged_shown.append(shown)
    return merged


def _collapses(run: Sequence[WrittenUnit]) -> bool:
    if any(unit.change != "unchanged" for unit in run):
        return False
    if any(unit.start.kind in ("heading", "intro") for unit in run):
        return True
    text = sum(len(piece.op.block.text) for unit in run for piece in unit.pieces)
    return text >= COLLAPSE_CHARACTERS


Move = tuple[str, object, int]
"""What identifies a move, the same at both places of a section moved."""


def _moves(units: Sequence[WrittenUnit], moves: Moves) -> list[Move | None]:
    """The move each part is part of, if it was moved: removed in one place and added in
    another with the same words (the first such removed with the first added, and so on), or
    a section moved and edited (see `moves`), where it stood and where it now stands."""
    changes = [unit.change for unit in units]
    if moves is NO_MOVES and ("added" not in changes or "removed" not in changes):
        return [None] * len(units)  # (most redlines)
    contents = [
        tuple(piece.op.block.key for piece in unit.pieces)
        if unit.change in ("added", "removed")
        else ()
        for unit in units
    ]
    added = {
        content for content, change in zip(contents, changes, strict=True) if change == "added"
    }
    removed = {
        content for content, change in zip(contents, changes, strict=True) if change == "removed"
    }
    seen: Counter[tuple[str, tuple[str, ...]]] = Counter()
    result: list[Move | None] = []
    for unit, change, content in zip(units, changes, contents, strict=True):
        place = moves.place_of(unit) if moves is not NO_MOVES else None
        if place is not None:
            result.append(("edited", place, 0))
        elif (change == "added" and content in removed) or (
            change == "removed" and content in added
        ):
            seen[change, content] += 1
            result.append(("same", content, seen[change, content]))
        else:
            result.append(None)
    return result


def _with_moved_labels(
    units: Sequence[WrittenUnit], moved: Sequence[Move | None], labels: RedlineLabels
) -> list[WrittenUnit]:
    """The parts with each moved section's heading labelled so, the label a link to its
    other place."""
    places: dict[Move, list[int]] = {}
    for index, move in enumerate(moved):
        if move is not None:
            places.setdefault(move, []).append(index)
    result = list(units)
    for indices in places.values():
        for index in indices:
            others = [units[other].anchor for other in indices if other != index]
            result[index] = _with_moved_label(units[index], labels, others[0] if others else "")
    return result


def _with_moved_label(unit: WrittenUnit, labels: RedlineLabels, other: str) -> WrittenUnit:
    """A moved section with its heading labelled so: "moved" where it stood, and where it now
    stands, "moved · changed" if its words changed too; a link to the other place, if it has
    an anchor."""
    first = unit.pieces[0] if unit.pieces else None
    if first is None or first.op.block.kind != "heading":
        return unit  # (a list item, a row or a paragraph moved: its list of changes says so)
    end = f"</{first.op.block.tag}>"
    html = first.html.rstrip("\n")
    if not html.endswith(end):
        return unit
    label = escape(labels.moved_and_changed if unit.change == "modified" else labels.moved)
    if other:
        mark = f'<a class="{MOVED_CLASS}" href="#{escape(other)}">{label}</a>'
    else:
        mark = f'<span class="{MOVED_CLASS}">{label}</span>'
    labelled = f"{html[: -len(end)]} {mark}{end}{first.html[len(html) :]}"
    return replace(unit, pieces=(first._replace(html=labelled), *unit.pieces[1:]))


def _sections(units: Sequence[WrittenUnit], moved: Sequence[bool]) -> list[RedlineSection]:
    return [
        RedlineSection(
            unit.anchor,
            unit.start.title,
            unit.change,
            unit.start.kind,
            unit.start.number,
            unit.start.level,
            is_moved,
            unit.forms,
            bool(unit.pieces) and unit.pieces[0].op.new is None and not unit.start.is_renamed,
        )
        for unit, is_moved in zip(units, moved, strict=True)
    ]
