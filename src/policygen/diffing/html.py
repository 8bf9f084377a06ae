"""Ops → the redline's HTML: each block written in its containers, in parts a reader navigates.

Blocks kept or edited are written as the newer text has them, their words diffed; blocks
inserted or deleted whole are classed and marked. The parts (see `units`) are written in runs:
the parts of a run of unchanged ones together, so that they collapse as one, and the changed
ones between them together. Every id is written once: the older text's ids are dropped, or
renamed for a removed heading that the list of changes links to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

from markupsafe import escape

from ..markdown import TABLE_SCROLL_OPEN
from .alignment import Op, align
from .blocks import (
    _ATTRIBUTE,
    _TAG,
    Attrs,
    Block,
    Cell,
    Frame,
    element_html,
    read_html_blocks,
    start_tag,
)
from .units import NUMBERED_PARAGRAPH, UnitStart, item_number, unit_starts
from .words import (
    FORM_CLASS,
    HIDDEN_LABEL_CLASS,
    NO_FORMS,
    Form,
    Forms,
    InlineChange,
    Marks,
    cut_inline,
    diff_inline,
    match_sequences,
)

Change = Literal["equal", "reformatted", "modified", "inserted", "deleted"]
SectionChange = Literal["added", "removed", "modified", "reformatted", "unchanged"]

INSERTED_BLOCK_CLASS = "redline-block-inserted"
"""Class of an element whose whole content was inserted (the outermost such element only)."""
DELETED_BLOCK_CLASS = "redline-block-deleted"
"""Class of an element whose whole content was deleted (the outermost such element only)."""
REPEATED_HEAD_CLASS = "redline-repeated"
"""Class of a table's head shown again above rows that a collapsed run cut from it."""
PART_ANCHOR_PREFIX = "pg-part-"
"""Ids given to parts whose element has none: in the prefix reserved for the page's own ids."""

FORMS: tuple[Form, ...] = get_args(Form)
"""Every change of form, in the order a list of changes names them."""
BREAKS: Forms = frozenset(
    {"paragraph split", "paragraphs joined", "item split", "items joined", "paragraph break moved"}
)
"""The changes of form a part whose words changed is listed with too: where its text breaks."""

_ID = re.compile(r' id="([^"]*)"')
_EMPTY_ANCHOR = re.compile(r"<(a|span)></\1>")


class Piece(NamedTuple):
    """An op as written: its containers, what changed, and its HTML (a tuple: there is one
    for every block of a text, made anew for every redline)."""

    op: Op
    path: tuple[Frame, ...]
    change: Change
    html: str
    forms: Forms = NO_FORMS
    """Its changes of form, and of where it breaks."""


@dataclass(frozen=True, slots=True)
class WrittenUnit:
    """A part of the redline with its anchor and the pieces it is made of."""

    start: UnitStart
    anchor: str
    pieces: tuple[Piece, ...]
    change: SectionChange
    forms: tuple[Form, ...] = ()
    """What its list of changes names besides a change of words (see `unit_forms`)."""


class Writer:
    """Writes the ops of one redline (or of one table cell's content)."""

    def __init__(self, ops: Sequence[Op], marks: Marks) -> None:
        self.ops = ops
        self.marks = marks
        # An old container holding a block kept in the new text *is* that new container:
        # deleted blocks are written into it, so that a deleted list item stays in its list.
        self.same_frame: dict[Frame, Frame] = {}
        self.kept_frames: set[Frame] = set()
        self.new_frames: set[Frame] = set()
        for op in ops:
            if op.new is not None and op.new.path:  # (most blocks are in no container)
                self.new_frames.update(op.new.path)
                if op.old is not None:
                    self.kept_frames.update(op.new.path)
                    if op.old.signature != op.new.signature:
                        continue  # a paragraph made a list item: it was in no such container
                    for old_frame, new_frame in zip(op.old.path, op.new.path, strict=True):
                        self.same_frame.setdefault(old_frame, new_frame)
        self.paths = [op.new.path if op.new is not None else self._path(op) for op in ops]
        self.renumbered = _renumbered_items(self.same_frame, ops)
        """Each kept list item whose number or bullet as its list shows it changed: the old
        mark and the new."""
        self.renumbered_at: dict[int, Frame] = {}
        """The first op written in each such item, which carries its change of form."""
        if self.renumbered:
            marked: set[Frame] = set()
            for k, path in enumerate(self.paths):
                for frame in path:
                    if frame in self.renumbered and frame not in marked:
                        marked.add(frame)
                        self.renumbered_at[k] = frame
        # What `write` keeps from one run of parts to the next, to open containers again.
        self.opened: set[Frame] = set()
        self.items: dict[Frame, int] = {}
        """List items opened so far, by list."""
        self.item_numbers: dict[Frame, int] = {}
        """Each list item's place among the items of its list written."""
        self.next_numbers: dict[Frame, int] = {}
        """The number each ordered list written shows its next item with, unless it says."""
        self.heads: dict[Frame, str] = {}
        """The head rows of each table, as the new text has them, without ids or marks."""

    def _path(self, op: Op) -> tuple[Frame, ...]:
        """The containers an op is written in: an old block's, as far as they are the new text's."""
        if op.new is not None:
            return op.new.path
        assert op.old is not None
        translated: list[Frame] = []
        for frame in op.old.path:
            target = self.same_frame.get(frame)
            if target is None or target.parent is not (translated[-1] if translated else None):
                break
            translated.append(target)
        return (*translated, *op.old.path[len(translated) :])

    def frame_change(self, frame: Frame) -> Change:
        if frame in self.kept_frames:
            return "equal"
        return "inserted" if frame in self.new_frames else "deleted"

    def units(self) -> list[WrittenUnit]:
        """The parts of the redline, each op written."""
        starts = unit_starts(self.ops, self.paths)
        bounds = [*sorted(starts), len(self.ops)]
        units: list[WrittenUnit] = []
        for first, end in zip(bounds, bounds[1:], strict=False):
            start = starts[first]
            anchor = self._own_anchor(first, start)
            # A renamed heading's part is linked to the new heading, which has its own id.
            on_block = anchor if start.frame is None and not start.is_renamed else ""
            pieces = [self.piece(k, on_block if k == first else "") for k in range(first, end)]
            change = unit_change(pieces)
            # A changed part the list of changes links to, whose element has no id, is given
            # one; the first part needs none: it starts where the redline does.
            if not anchor and units and change != "unchanged":
                anchor = f"{PART_ANCHOR_PREFIX}{len(units) + 1}"
                if start.frame is None:
                    pieces[0] = self.piece(first, anchor)
            units.append(WrittenUnit(start, anchor, tuple(pieces), change, unit_forms(pieces)))
        return units

    def _own_anchor(self, first: int, start: UnitStart) -> str:
        """The id of a part's element, if it has one (a removed heading's, renamed)."""
        op = self.ops[first]
        if start.kind == "intro":
            return ""
        if start.is_renamed:
            renamed = self.ops[first + 1].new
            assert renamed is not None
            return renamed.anchor
        if start.frame is not None:
            return start.frame.id if self.frame_change(start.frame) != "deleted" else ""
        if op.new is not None:
            return op.new.anchor
        assert op.old is not None
        return self._removed_id(op.old.anchor) if start.kind == "heading" else ""

    @functools.cached_property
    def used_ids(self) -> set[str]:
        """The ids of the new text, and those given to parts so far."""
        ids = {frame.id for frame in self.new_frames if frame.id}
        for op in self.ops:
            if op.new is not None:
                ids.update(_ids_of(op.new))
        return ids

    def _removed_id(self, anchor: str) -> str:
        """A removed heading keeps its id, unless the new text uses it: then "-removed" is added."""
        if not anchor:
            return ""
        candidate, number = anchor, 1
        while candidate in self.used_ids:
            number += 1
            candidate = f"{anchor}-removed" + (f"-{number - 1}" if number > 2 else "")
        self.used_ids.add(candidate)
        return candidate

    def piece(self, k: int, anchor: str) -> Piece:
        """Op `k` written: an anchor, when given, is the id of its element."""
        op, path = self.ops[k], self.paths[k]
        outer = self.frame_change(path[-1]) if path else "equal"
        forms = NO_FORMS
        split: Form | None = None
        if op.is_split:
            following = self.ops[k + 1].new if k + 1 < len(self.ops) else None
            split = (
                "paragraph break moved"
                if op.is_recut
                else "item split"
                if following is not None and op.new is not None and following.path != op.new.path
                else "paragraph split"
            )
        if op.joined:
            change, html, forms = self._joined(op, anchor, split)
        elif op.old is not None and op.new is not None:
            change, html, forms = self._edited(op.old, op.new, anchor, split)
        elif op.new is not None:
            change, html = self._whole(op.new, "ins", outer, anchor)
        else:
            assert op.old is not None
            change, html = self._whole(op.old, "del", outer, anchor)
        if k in self.renumbered_at and change in ("equal", "reformatted"):
            # The item's words are kept, but not its number: clause 2 became clause 1, and
            # what cites "Section 2" now cites another clause.
            change, forms = "reformatted", forms | {"renumbered"}
        return Piece(op, path, change, html, forms)

    def _edited(
        self, old: Block, new: Block, anchor: str, split: Form | None = None
    ) -> tuple[Change, str, Forms]:
        """A kept or paired block: the new block's element, with its content diffed word by word
        (and, when a paragraph break was inserted after it, that break marked at its end)."""
        if (
            old.content == new.content
            and (not anchor or anchor == new.anchor)
            and not split
            and old.signature == new.signature
        ):
            return "equal", new.element, NO_FORMS  # most blocks of a revision
        css_class: str | None = None
        title = ""
        change: InlineChange
        forms = NO_FORMS
        if old.content == new.content or new.kind in ("rule", "empty", "raw"):
            content, change = new.html, "equal"
        elif new.kind == "row":
            content, change, forms = diff_cells(old.cells, new.cells, self.marks)
        else:
            content, change, forms = diff_inline(old.html, new.html, self.marks)
        if new.kind == "heading" and old.key == new.key and old.text != new.text:
            # Aligned by its words without its number: the number is all that changed.
            forms = forms | {"renumbered"}
        elif (
            change == "modified"
            and new.kind == old.kind == "paragraph"
            and _is_renumbered(old, new)
        ):
            # A numbered paragraph ("3. We keep …" made "4. We keep …"), as a heading.
            forms = forms | {"renumbered"}
        if new.kind == old.kind == "heading" and old.level != new.level:
            labels = self.marks.labels
            title = f"{labels.heading_level_changed}: {old.level} → {new.level}"
            css_class = FORM_CLASS
            content = f'<span class="{HIDDEN_LABEL_CLASS}">{escape(title)}: </span>{content}'
            change = "modified" if change == "modified" else "reformatted"
            forms = forms | {"heading level"}
        elif (new.kind != old.kind or new.signature != old.signature) and "formatting" not in forms:
            # A paragraph made a heading or a list item (or the other way round), its words
            # kept; unless its words say so already (a heading made a paragraph in italics).
            title = self.marks.labels.formatting_changed
            css_class = FORM_CLASS
            content = f'<span class="{HIDDEN_LABEL_CLASS}">{escape(title)}: </span>{content}'
            change = "modified" if change == "modified" else "reformatted"
            forms = forms | {"formatting"}
        if split:
            content += self.marks.paragraph_break("ins", is_moved=split == "paragraph break moved")
            change = "modified" if change == "modified" else "reformatted"
            forms = forms | {split}
        attrs = _with_anchor(new.attrs, anchor)
        if title and not new.tag:
            # Words with no element of their own (a tight list item's): their mark is theirs.
            content = f'<span title="{escape(title)}" class="{css_class}">{content}</span>'
            css_class = None
        elif title:
            attrs = (*attrs, ("title", title))
        return change, _block_html(new, content, attrs, css_class), forms

    def _joined(self, op: Op, anchor: str, split: Form | None) -> tuple[Change, str, Forms]:
        """A paragraph joined from several: its content cut where each old one ended, each
        piece diffed with its old paragraph, the deleted breaks marked between them (and one
        inserted at its end, if its breaks moved)."""
        olds, new = op.joined, op.new
        assert new is not None
        parts: list[str] = []
        change: Change = "reformatted"
        forms: set[Form] = set()
        pieces = cut_inline(new.html, tuple(old.html for old in olds), keep_ids=True)
        for k, (old, piece) in enumerate(zip(olds, pieces, strict=True)):
            words = piece.lstrip()
            if k:
                # The space between the joined paragraphs is the new text's, after the break.
                mark = self.marks.paragraph_break("del", is_moved=op.moves_join(k - 1))
                parts.append(mark + piece[: len(piece) - len(words)])
            html, inline_change, inline_forms = diff_inline(old.html, words, self.marks)
            parts.append(html)
            forms.update(inline_forms)
            if inline_change == "modified":
                change = "modified"
        moved = [op.moves_join(k) for k in range(len(olds) - 1)]
        if any(moved):
            forms.add("paragraph break moved")
        if not all(moved):
            forms.add("items joined" if olds[0].path != olds[-1].path else "paragraphs joined")
        if split:
            parts.append(self.marks.paragraph_break("ins", is_moved=op.is_recut))
            forms.add(split)
        html = _block_html(new, "".join(parts), _with_anchor(new.attrs, anchor), None)
        return change, html, frozenset(forms)

    def _whole(
        self, block: Block, mark: Literal["ins", "del"], outer: Change, anchor: str
    ) -> tuple[Change, str]:
        """An inserted or deleted block: its element classed, its content marked."""
        change: Change = "inserted" if mark == "ins" else "deleted"
        css_class = _block_class(change, outer)
        html = block.html if mark == "ins" else without_ids(block.html)
        attrs = block.attrs if mark == "ins" else _without_id(block.attrs)
        if block.kind == "row":
            is_new = mark == "ins"
            content = "".join(
                _cell_html(
                    cell,
                    self.marks.wrap(mark, cell.html if is_new else without_ids(cell.html)),
                    keep_id=is_new,
                )
                for cell in block.cells
            )
        elif block.kind == "raw":
            return change, html + "\n"
        else:
            content = self.marks.wrap(mark, html)
        return change, _block_html(block, content, _with_anchor(attrs, anchor), css_class)

    def write(self, pieces: Iterable[Piece], anchors: dict[Frame, str]) -> str:
        """Pieces → HTML, opening and closing their containers around them.

        `anchors` are ids for list items that are parts. Containers open in an earlier run
        open again without their ids; an ordered list numbers on, and a table repeats its head.
        """
        parts: list[str] = []
        open_frames: list[tuple[Frame, Change]] = []
        for piece in pieces:
            path = piece.path
            common = 0
            while (
                common < min(len(open_frames), len(path)) and open_frames[common][0] is path[common]
            ):
                common += 1
            while len(open_frames) > common:
                parts.append(_end_tag(open_frames.pop()[0]))
            for depth in range(common, len(path)):
                frame = path[depth]
                change = self.frame_change(frame)
                outer = open_frames[-1][1] if open_frames else "equal"
                parent = open_frames[-1][0] if open_frames else None
                parts.append(self._open(frame, change, outer, path[depth + 1 :], anchors, parent))
                open_frames.append((frame, change))
            parts.append(piece.html)
            block = piece.op.new
            if block is not None and block.kind == "row" and not block.number:
                self._remember_head(block, path)
        while open_frames:
            parts.append(_end_tag(open_frames.pop()[0]))
        return "".join(parts)

    def _open(
        self,
        frame: Frame,
        change: Change,
        outer: Change,
        inside: tuple[Frame, ...],
        anchors: dict[Frame, str],
        parent: Frame | None = None,
    ) -> str:
        css_class = _block_class(change, outer)
        tag = frame.tag
        if (
            not frame.attrs
            and css_class is None
            and tag not in ("table", "ol")
            and not (tag == "li" and frame.parent is not None and frame.parent.tag == "ol")
            and frame not in anchors
            and frame not in self.renumbered
        ):
            self.opened.add(frame)  # the usual container: nothing to number, class or name
            return f"<{tag}>" if tag == "li" else f"<{tag}>\n"
        attrs = dict(frame.attrs) if change != "deleted" else dict(_without_id(frame.attrs))
        is_again = frame in self.opened
        if is_again or frame in anchors:
            attrs.pop("id", None)
        if anchors.get(frame) and not is_again:
            attrs["id"] = anchors[frame]
        if frame.tag == "li" and frame.parent is not None and not is_again:
            count = self.items.get(frame.parent, 0) + 1
            self.items[frame.parent] = count
            self.item_numbers[frame] = count
        if frame.tag == "ol" and is_again and inside:
            # A list cut by a collapsed run numbers on from where it was.
            first = self.item_numbers.get(inside[0], self.items.get(frame, 0) + 1)
            start = dict(frame.attrs).get("start", "1")
            base = int(start) if start.lstrip("-").isdigit() else 1
            attrs["start"] = str(base + first - 1)
        if frame.tag == "ol":
            start = attrs.get("start", "1")
            self.next_numbers[frame] = int(start) if start.lstrip("-").isdigit() else 1
        elif (
            frame.tag == "li"
            and parent in self.next_numbers
            and _is_plainly_numbered(frame.parent)
            and _is_plainly_numbered(parent)
        ):
            # Each item shows its own number: a kept or inserted item the new text's, a
            # deleted one the old text's, not its place among the items written.
            assert parent is not None
            number = item_number(frame)
            if number != self.next_numbers[parent]:
                attrs["value"] = str(number)
            self.next_numbers[parent] = number + 1
        label = ""
        if frame in self.renumbered and not is_again:
            old_mark, new_mark = self.renumbered[frame]
            label = f"{self.marks.labels.renumbered}: {old_mark} → {new_mark}"
            css_class = f"{css_class} {FORM_CLASS}" if css_class else FORM_CLASS
            attrs["title"] = label
        if css_class:
            attrs["class"] = f"{attrs.get('class', '')} {css_class}".strip()
        self.opened.add(frame)
        start = start_tag(frame.tag, attrs.items())
        if label:
            start += f'<span class="{HIDDEN_LABEL_CLASS}">{escape(label)}: </span>'
        if frame.tag == "table":
            # As our renderer does, so that wide tables scroll (and can be scrolled) on narrow
            # screens; a table opened again shows its head again.
            head = self.heads.get(frame, "")
            is_head_next = bool(inside) and inside[0].tag == "thead"
            again = ""
            if is_again and head and not is_head_next:
                again = f'<thead class="{REPEATED_HEAD_CLASS}">\n{head}</thead>\n'
            return f"{TABLE_SCROLL_OPEN}{start}\n{again}"
        return start if frame.tag == "li" else start + "\n"

    def _remember_head(self, block: Block, path: tuple[Frame, ...]) -> None:
        """Keep a table's head row, to show it again where a collapsed run cuts the table."""
        table = next(frame for frame in reversed(path) if frame.tag == "table")
        row = "".join(_cell_html(cell, without_ids(cell.html)) for cell in block.cells)
        self.heads[table] = self.heads.get(table, "") + f"<tr>{row}</tr>\n"


def _is_renumbered(old: Block, new: Block) -> bool:
    """Whether a paragraph's number is all that changed in it."""
    old_number, new_number = NUMBERED_PARAGRAPH.match(old.text), NUMBERED_PARAGRAPH.match(new.text)
    return (
        old_number is not None
        and new_number is not None
        and old_number[0].strip() != new_number[0].strip()
        and old.text[old_number.end() :] == new.text[new_number.end() :]
    )


def _renumbered_items(
    same_frame: dict[Frame, Frame], ops: Sequence[Op]
) -> dict[Frame, tuple[str, str]]:
    """The kept list items whose mark, as their lists show it, changed (a list made to start
    at 1 rather than 2, an item inserted or removed before them, numbers made bullets or
    bullets numbers, "1." made "(1)", a list made to count down or in letters): old mark and
    new, by the new item."""
    counts: dict[Frame, int] = {}
    for op in ops:
        for block in (op.old, op.new):
            for frame in block.path if block is not None else ():
                if frame.tag == "li" and frame.parent is not None:
                    counts[frame.parent] = max(counts.get(frame.parent, 0), frame.number)
    renumbered: dict[Frame, tuple[str, str]] = {}
    for old, new in same_frame.items():
        if old.tag != "li" or new.tag != "li":
            continue
        marks = (_item_mark(old, counts), _item_mark(new, counts))
        if marks[0] is not None and marks[1] is not None and marks[0] != marks[1]:
            renumbered[new] = (marks[0], marks[1])
    return renumbered


BULLET = "•"
"""How a label names the mark of an item of a bulleted list."""


def _item_mark(item: Frame, counts: dict[Frame, int]) -> str | None:
    """A list item's mark as its list shows it: its number ("3", "iii", or "(3)" in a list
    numbered in parentheses) or a bullet; None for an item of no list."""
    if item.parent is None or item.parent.tag not in ("ul", "ol"):
        return None
    if item.parent.tag == "ul":
        return BULLET
    number = _shown_number(item, counts)
    is_parens = "parens" in dict(item.parent.attrs).get("class", "").split()
    return f"({number})" if is_parens else number


def _shown_number(item: Frame, counts: dict[Frame, int]) -> str:
    """The number a browser shows an item of an ordered list with: counted up from its
    start, or down (`reversed`) from its start or its number of items, in the list's `type`
    of numbers (1, a, A, i, I)."""
    assert item.parent is not None
    attrs = dict(item.parent.attrs)
    start = attrs.get("start", "").strip()
    is_set = start.lstrip("-").isdigit()
    if "reversed" in attrs:
        number = (int(start) if is_set else counts.get(item.parent, item.number)) - item.number + 1
    else:
        number = (int(start) if is_set else 1) + item.number - 1
    kind = attrs.get("type", "1")
    if kind in ("a", "A") and number > 0:
        letters = ""
        while number > 0:
            number, letter = divmod(number - 1, 26)
            letters = chr(ord(kind) + letter) + letters
        return letters
    if kind in ("i", "I") and 0 < number < 4000:
        numeral = _roman(number)
        return numeral if kind == "I" else numeral.lower()
    return str(number)


def _roman(number: int) -> str:
    numeral = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        numeral += letters * count
    return numeral


def _is_plainly_numbered(items: Frame | None) -> bool:
    """Whether a list numbers its items upwards from its start, as most do."""
    return items is not None and items.tag == "ol" and "reversed" not in dict(items.attrs)


def unit_forms(pieces: Sequence[Piece]) -> tuple[Form, ...]:
    """What the list of changes names a part's change for, besides a change of words: each of
    its changes of form, where only its form changed, or its heading's number was all of its
    words that did; where its text breaks, otherwise."""
    forms = frozenset().union(*(piece.forms for piece in pieces))
    if not forms:
        return ()
    is_worded = any(
        piece.change in ("inserted", "deleted")
        or (piece.change == "modified" and "renumbered" not in piece.forms)
        for piece in pieces
    )
    return tuple(form for form in FORMS if form in forms and (not is_worded or form in BREAKS))


def unit_change(pieces: Iterable[Piece]) -> SectionChange:
    """What happened to a part: unchanged, added, removed, reformatted or modified."""
    kinds = {piece.change for piece in pieces}
    if kinds <= {"equal"}:
        return "unchanged"
    if kinds == {"inserted"}:
        return "added"
    if kinds == {"deleted"}:
        return "removed"
    if kinds <= {"equal", "reformatted"}:
        return "reformatted"
    return "modified"


# A cell's content is diffed in every pair of texts showing it, like a paragraph.
@functools.lru_cache(maxsize=4096)
def diff_flow(old_html: str, new_html: str, marks: Marks) -> tuple[str, InlineChange, Forms]:
    """The content of a cell holding paragraphs, lists or tables → its redline."""
    writer = Writer(align(read_html_blocks(old_html), read_html_blocks(new_html)), marks)
    pieces = [writer.piece(k, "") for k in range(len(writer.ops))]
    html = writer.write(pieces, {})
    changes = {piece.change for piece in pieces}
    if changes <= {"equal"}:
        return new_html, "equal", NO_FORMS
    forms: Forms = frozenset().union(*(piece.forms for piece in pieces))
    return html, "reformatted" if changes <= {"equal", "reformatted"} else "modified", forms


def diff_cells(
    old: Sequence[Cell], new: Sequence[Cell], marks: Marks
) -> tuple[str, InlineChange, Forms]:
    """The cells of an edited table row → their redline, what it marks, and its changes of
    form."""
    # A row of thousands of cells alike ("–", "Yes") is matched in a time in proportion to it.
    opcodes = match_sequences([cell.text for cell in old], [cell.text for cell in new])
    parts: list[str] = []
    changes: set[InlineChange] = set()
    forms: set[Form] = set()
    for tag, i1, i2, j1, j2 in opcodes:
        # Cells are columns: an edited run pairs them by position, the rest are whole.
        paired = min(i2 - i1, j2 - j1)
        for old_cell, new_cell in zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True):
            change: InlineChange = "equal"
            if old_cell.content == new_cell.content:
                html = new_cell.html
            elif old_cell.is_flow or new_cell.is_flow:
                html, change, cell_forms = diff_flow(old_cell.html, new_cell.html, marks)
                forms.update(cell_forms)
            else:
                html, change, cell_forms = diff_inline(old_cell.html, new_cell.html, marks)
                forms.update(cell_forms)
            parts.append(_cell_html(new_cell, html))
            changes.add(change)
        if tag == "equal":
            continue
        for cell in old[i1 + paired : i2]:
            html = marks.wrap("del", without_ids(cell.html))
            parts.append(_cell_html(cell, html, DELETED_BLOCK_CLASS, keep_id=False))
            changes.add("modified")
        for cell in new[j1 + paired : j2]:
            parts.append(_cell_html(cell, marks.wrap("ins", cell.html), INSERTED_BLOCK_CLASS))
            changes.add("modified")
    if "modified" in changes:
        return "".join(parts), "modified", frozenset(forms)
    return "".join(parts), "reformatted" if "reformatted" in changes else "equal", frozenset(forms)


def _cell_html(cell: Cell, content: str, css_class: str | None = None, keep_id: bool = True) -> str:
    attrs = cell.attrs if keep_id else _without_id(cell.attrs)
    if css_class:
        attrs = (*attrs, ("class", css_class))
    return f"{start_tag(cell.tag, attrs)}{content}</{cell.tag}>"


def _block_class(change: Change, outer: Change) -> str | None:
    """The class of a wholly inserted or deleted element, unless what it is in says it already."""
    if change == outer:
        return None
    return {"inserted": INSERTED_BLOCK_CLASS, "deleted": DELETED_BLOCK_CLASS}.get(change)


def _block_html(block: Block, content: str, attrs: Attrs, css_class: str | None) -> str:
    if css_class:
        attrs = (*attrs, ("class", css_class))
    return element_html(block.kind, block.tag, attrs, content)


def _end_tag(frame: Frame) -> str:
    return f"</{frame.tag}>" + ("</div>" if frame.tag == "table" else "") + "\n"


def _with_anchor(attrs: Attrs, anchor: str) -> Attrs:
    if not anchor or ("id", anchor) in attrs:
        return attrs
    return (("id", anchor), *_without_id(attrs))


def _without_id(attrs: Attrs) -> Attrs:
    return tuple((name, value) for name, value in attrs if name != "id")


def _ids_of(block: Block) -> list[str]:
    ids = [value for name, value in block.attrs if name == "id"]
    if ' id="' in block.html:
        ids.extend(_ID.findall(block.html))
    return ids


def without_ids(html: str) -> str:
    """HTML with the ids of its elements dropped: the older text's, which the newer one owns."""
    if ' id="' not in html:
        return html
    html = _ID.sub(lambda match: "" if _is_in_tag(html, match.start()) else match.group(), html)
    # An element that was there only for its id (an anchor) is nothing without it.
    return _EMPTY_ANCHOR.sub("", html)


OWN_DIRECTION_ELEMENTS = frozenset(
    {"blockquote", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "p", "pre", "table", "ul"}
)
"""The blocks `with_own_directions` sets in the direction of their words, when no other is
around them: the items of a list, the cells of a table read in its direction."""


def with_own_directions(html: str) -> str:
    """A redline's HTML with each outermost block that names no direction set in that of its
    own words (`dir="auto"`): on a page comparing a text with its translation into a language
    written the other way, each paragraph's, list's and table's change bar, alignment and
    columns then follow its words, not the page's language. The marks' hidden labels, in the
    page's language, are set apart the same way: a block's direction is that of its words,
    not of its first label. (A block with `dir` inside one with `dir="auto"` is not read to
    find the outer one's: a table whose cells each had their own would be read left to right.)
    """
    depth = 0

    def own(match: re.Match[str]) -> str:
        nonlocal depth
        closing, name, attributes = match.groups()
        if name in OWN_DIRECTION_ELEMENTS:
            depth += -1 if closing else 1
            if closing or depth > 1:
                return match[0]
        elif closing or name != "span" or HIDDEN_LABEL_CLASS not in attributes:
            return match[0]
        attrs = dict(_ATTRIBUTE.findall(attributes))
        if name == "span" and HIDDEN_LABEL_CLASS not in attrs.get("class", "").split():
            return match[0]
        if "dir" in attrs:
            return match[0]
        return f'<{name}{attributes} dir="auto">'

    return _TAG.sub(own, html)


def unique_ids(htmls: Sequence[str]) -> list[str]:
    """The HTML of every part, each id kept where it first appears and dropped after."""
    seen: set[str] = set()
    result = []
    for html in htmls:
        if ' id="' not in html:
            result.append(html)
            continue

        def keep_first(match: re.Match[str], html: str = html) -> str:
            if not _is_in_tag(html, match.start()):
                return match.group()
            if match.group(1) in seen:
                return ""
            seen.add(match.group(1))
            return match.group()

        result.append(_ID.sub(keep_first, html))
    return result


def _is_in_tag(html: str, position: int) -> bool:
    """Whether a position is inside a start tag rather than in text."""
    return html.rfind("<", 0, position) > html.rfind(">", 0, position)
