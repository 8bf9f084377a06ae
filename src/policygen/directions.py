"""A text's HTML → the same, each block whose words are all written the other way than the
page set in their direction (pure).

Texts in Arabic, Hebrew or Persian hold paragraphs in English (a translation tool leaves the
sentences not yet translated in their original words), and texts in English quote an Arabic
name or address. Set in the page's direction, such a paragraph's punctuation lands at its
wrong end: '.public list of team members can be found on our forum'. A block whose letters
are all of the other direction gets that direction (`dir`); a block that holds letters of
the page's direction keeps it, whatever it starts with (an Arabic paragraph that opens with
"Mozilla" is Arabic), where `dir="auto"` would read its first letter only.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from .diffing.words import HIDDEN_LABEL_CLASS

Direction = Literal["ltr", "rtl"]

TEXT_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "caption", "summary"}
)
"""The blocks whose words decide their direction (a list's items each, a table's cells each)."""
ISOLATES = frozenset({"bdi", "bdo", "code", "pre", "kbd", "samp", "script", "style", "template"})
"""Inline elements whose words are not the block's: set apart, or code (as are those with a
`dir` of their own, and a redline's hidden labels, in the page's language)."""
VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_PIECE = re.compile(
    r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|[^<]+|<", re.S
)
_DIR = re.compile(r"""\sdir\s*=\s*["']?([a-zA-Z]*)""", re.I)


@dataclass(slots=True)
class _Block:
    start: int
    """Index of its opening tag among the pieces."""
    name: str
    parent: _Block | None
    written: str | None
    """The direction its tag names (`dir`), if any."""
    letters: set[Direction] = field(default_factory=set)
    """The directions of the letters of its own words (not those of the blocks in it)."""


_WRITTEN: dict[str, Direction] = {"ltr": "ltr", "rtl": "rtl"}
"""The directions a `dir` names (`auto` names none)."""
RIGHT_TO_LEFT_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
"""A letter of Hebrew, Arabic, Syriac, Thaana or N'Ko (the pages of most texts have none)."""


def _letters(text: str) -> set[Direction]:
    found: set[Direction] = set()
    for char in html.unescape(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            found.add("ltr")
        elif kind in ("R", "AL"):
            found.add("rtl")
        if len(found) == 2:
            break
    return found


@functools.lru_cache(maxsize=4096)
def direction_of_words(text: str, direction: Direction) -> Direction | None:
    """The direction of a text's letters when they are all written the other way than
    `direction`; else None."""
    return _other(_letters(text), direction)


def _other(letters: set[Direction], direction: Direction) -> Direction | None:
    own = next(iter(letters)) if len(letters) == 1 else None
    return own if own != direction else None


def with_directions_of_words(text_html: str, direction: Direction) -> str:
    """`text_html` with each block whose letters are all of the other direction than the one
    it is in (the page's, `direction`, or that of a block around it) set in theirs."""
    if direction == "ltr" and not RIGHT_TO_LEFT_LETTER.search(text_html):
        return text_html
    pieces = [match[0] for match in _PIECE.finditer(text_html)]
    blocks: list[_Block] = []
    open_blocks: list[_Block] = []
    skipped: list[str] = []  # open elements whose words are not their block's
    for index, piece in enumerate(pieces):
        tag = _PIECE.fullmatch(piece) if piece.startswith("<") else None
        if tag is None or tag[2] is None:
            if not skipped and open_blocks and not piece.startswith("<!--"):
                open_blocks[-1].letters |= _letters(piece)
            continue
        is_closing, name, attributes = bool(tag[1]), tag[2].lower(), tag[3]
        if skipped:
            if name == skipped[-1]:
                if is_closing:
                    skipped.pop()
                elif name not in VOID:
                    skipped.append(name)
            continue
        if is_closing:
            if name in TEXT_BLOCKS and open_blocks and open_blocks[-1].name == name:
                open_blocks.pop()
            continue
        written = _DIR.search(attributes)
        if name in TEXT_BLOCKS:
            parent = open_blocks[-1] if open_blocks else None
            block = _Block(index, name, parent, written[1].lower() if written else None)
            blocks.append(block)
            open_blocks.append(block)
        elif (
            name in ISOLATES or written or (name == "span" and HIDDEN_LABEL_CLASS in attributes)
        ) and name not in VOID:
            skipped.append(name)
    # In text order, so that a block's parent is decided before it.
    decided: dict[int, Direction | None] = {}
    for block in blocks:
        around = decided.get(id(block.parent)) if block.parent is not None else None
        if block.written is not None:
            decided[id(block)] = _WRITTEN.get(block.written)
            continue
        if (own := _other(block.letters, around or direction)) is not None:
            opening = pieces[block.start]
            pieces[block.start] = f'{opening[:-1]} dir="{own}">'
            decided[id(block)] = own
        else:
            decided[id(block)] = around
    return "".join(pieces)
