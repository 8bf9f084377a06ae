"""A Word document's styles and body → the paragraphs a reader sees as headings though no
Heading style says so, each with its level (pure).

mammoth makes headings of Word's Heading 1 to 6 alone. Documents written from a template of
their own name their headings otherwise: a style "Bylaw (1)", bold and centred, for chapters
and "Bylaw (2)", bold, for sections (the University of Toronto Engineering Society's bylaws),
or a style that gives its paragraphs an outline level, as Word's navigation pane shows. Read
as plain paragraphs, such a text has no sections: no contents, no anchors, a redline that
cannot say where a change is.

A paragraph is a heading when it stands on its own (not in a table or a text box), is short
(LONGEST_HEADING), does not end as a sentence does (SENTENCE_ENDS), and either
- Word gives it an outline level (its style, or the paragraph itself): a heading of that
  level, as Heading N is one of level N; or
- it is shown bold from its first word to its last in a style of the document's own, bold in
  its definition, or whose every paragraph is bold (two at least): the style is the
  document's way of writing a heading. Such styles are read only in a document that has no
  heading of its own, each a level under the one before: larger type first, then the
  level of the list that numbers it, then the one used first.
A bold first sentence of a clause is no heading (the rest of the paragraph is not bold), nor
is a paragraph in bold that ends as a sentence does, nor one in a style used for other
paragraphs too with the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import mammoth  # type: ignore[import-untyped]

from .wordlists import MARK, W, word_attribute, word_number, written_mark

LONGEST_HEADING = 120
"""A bold paragraph longer than this is words in bold, not a heading."""
SENTENCE_ENDS = (".", ":", ";", ",")
"""Bold words that end with one of these are a sentence in bold, not a heading."""
HEADING_STYLES = frozenset(["heading", *(f"heading {level}" for level in range(1, 7))])
"""The styles mammoth makes headings of, by name (in any case)…"""
HEADING_STYLE_IDS = frozenset(["Heading", *(f"Heading{level}" for level in range(1, 7))])
"""…and by id."""
TITLE_STYLES = frozenset(["title", "subtitle"])
"""The styles policygen's style map makes the title of."""
DEEPEST_STYLE = 32
"""How many styles, each based on the next, are followed: Word's chains are a few long."""
STYLE_NAME = "policygen heading "
"""The style a paragraph made a heading is given, then its level: the style map makes an
<h1> to <h6> of it."""


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    is_custom: bool
    based_on: str | None
    is_bold: bool | None
    """None when the style does not say, and takes what it is based on."""
    outline: int | None
    size: int | None
    """In half points, as `w:sz` writes it."""
    list_level: int | None


@dataclass(frozen=True, slots=True)
class _Paragraph:
    style_id: str | None
    """As the paragraph names it, as mammoth reads it (None: the default style)."""
    words: str
    is_alone: bool
    """Not in a table or a text box."""
    is_bold: bool
    """Every run with words is shown bold, and there is one."""
    outline: int | None


@dataclass(frozen=True, slots=True)
class StyledHeadings:
    """The paragraphs to make headings: (style id, words) → level (1 to 6)."""

    levels: dict[tuple[str | None, str], int]
    kinds: dict[str | None, str]
    """Style id → what made its paragraphs headings, in the words of a note."""
    names: dict[str | None, str]
    """Style id → its name."""


def find_styled_headings(
    document: ElementTree.Element, styles: ElementTree.Element | None
) -> StyledHeadings:
    """The paragraphs of the document a reader sees as headings though they are not in a
    Heading style (see the module's docstring)."""
    defined = _read_styles(styles)
    default = next(
        (
            style.get(f"{W}styleId")
            for style in (styles.iter(f"{W}style") if styles is not None else ())
            if style.get(f"{W}type") == "paragraph"
            and style.get(f"{W}default") in ("1", "true", "on")
        ),
        None,
    )
    bold_default = _is_on(
        styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}b") if styles is not None else None
    )
    body = document.find(f"{W}body")
    paragraphs = [
        _read_paragraph(p, is_alone, defined, default, bool(bold_default))
        for p, is_alone in _paragraphs_in(body if body is not None else document, True)
    ]
    has_headings = any(
        p.words
        and (
            _is_mapped(defined, p.style_id or default, headings_only=True)
            or (p.outline is not None and p.is_alone and _is_heading_like(p.words))
        )
        for p in paragraphs
    )
    bold_styles = {} if has_headings else _bold_styles(paragraphs, defined, default)
    found: dict[tuple[str | None, str], set[int | None]] = {}
    kinds: dict[str | None, str] = {}
    for paragraph in paragraphs:
        if not paragraph.words or _is_mapped(defined, paragraph.style_id or default):
            continue
        level = None
        if paragraph.is_alone and _is_heading_like(paragraph.words):
            if paragraph.outline is not None:
                level = min(paragraph.outline + 1, 6)
                kinds.setdefault(paragraph.style_id, f"with outline level {paragraph.outline + 1}")
            elif paragraph.is_bold and paragraph.style_id in bold_styles:
                level = bold_styles[paragraph.style_id]
                kinds.setdefault(paragraph.style_id, "shown bold as a whole")
        found.setdefault((paragraph.style_id, paragraph.words), set()).add(level)
    # The same words in the same style, once a heading and once not: which is which cannot
    # be told from mammoth's paragraphs, so neither is made one.
    levels = {
        key: level
        for key, seen in found.items()
        if len(seen) == 1
        for level in seen
        if level is not None
    }
    names = {
        style_id: defined[name].name if (name := style_id or default) in defined else str(name)
        for style_id, _ in levels
    }
    return StyledHeadings(
        levels,
        {style_id: kind for style_id, kind in kinds.items() if style_id in names},
        names,
    )


def _read_styles(styles: ElementTree.Element | None) -> dict[str, _Style]:
    read = {}
    for style in styles.iter(f"{W}style") if styles is not None else ():
        style_id = style.get(f"{W}styleId")
        if style_id is None or style.get(f"{W}type") not in ("paragraph", "character"):
            continue
        outline = word_attribute(style.find(f"{W}pPr/{W}outlineLvl"))
        size = word_attribute(style.find(f"{W}rPr/{W}sz"))
        list_level = word_attribute(style.find(f"{W}pPr/{W}numPr/{W}ilvl"))
        read[style_id] = _Style(
            name=word_attribute(style.find(f"{W}name")) or style_id,
            is_custom=style.get(f"{W}customStyle") in ("1", "true", "on"),
            based_on=word_attribute(style.find(f"{W}basedOn")) or None,
            is_bold=_is_on(style.find(f"{W}rPr/{W}b")),
            outline=word_number(outline),
            size=word_number(size),
            list_level=word_number(list_level),
        )
    return read


def _inherited(defined: dict[str, _Style], style_id: str | None, field: str) -> Any:
    """A style's setting, or that of the style it is based on, and so on."""
    seen = 0
    while style_id is not None and style_id in defined and seen < DEEPEST_STYLE:
        value = getattr(defined[style_id], field)
        if value is not None:
            return value
        style_id, seen = defined[style_id].based_on, seen + 1
    return None


def _is_mapped(
    defined: dict[str, _Style], style_id: str | None, *, headings_only: bool = False
) -> bool:
    """Whether the style's paragraphs are made headings already (or the title)."""
    if style_id is None:
        return False
    name = (defined[style_id].name if style_id in defined else "").lower()
    return (
        style_id in HEADING_STYLE_IDS
        or name in HEADING_STYLES
        or (not headings_only and name in TITLE_STYLES)
    )


def _paragraphs_in(
    element: ElementTree.Element, is_alone: bool
) -> Iterator[tuple[ElementTree.Element, bool]]:
    """The paragraphs of an element in order, each with whether it stands on its own."""
    for child in element:
        if child.tag == f"{W}p":
            yield child, is_alone
            for inner in child.iter(f"{W}p"):  # in a text box
                if inner is not child:
                    yield inner, False
        elif child.tag != f"{W}del":
            yield from _paragraphs_in(child, is_alone and child.tag != f"{W}tbl")


def _read_paragraph(
    paragraph: ElementTree.Element,
    is_alone: bool,
    defined: dict[str, _Style],
    default: str | None,
    bold_default: bool,
) -> _Paragraph:
    style_id = word_attribute(paragraph.find(f"{W}pPr/{W}pStyle")) or None
    style = style_id if style_id in defined else default
    style_bold = _inherited(defined, style, "is_bold")
    bold = bold_default if style_bold is None else style_bold
    texts = []
    is_bold = True
    has_words = False
    for run in _runs(paragraph):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        texts.append(text)
        if not text.strip():
            continue
        has_words = True
        direct = _is_on(run.find(f"{W}rPr/{W}b"))
        if direct is None:
            character = word_attribute(run.find(f"{W}rPr/{W}rStyle")) or None
            direct = _inherited(defined, character, "is_bold")
        is_bold = is_bold and (bold if direct is None else direct)
    outline = word_attribute(paragraph.find(f"{W}pPr/{W}outlineLvl"))
    level = word_number(outline)
    if level is None:
        level = _inherited(defined, style, "outline")
    return _Paragraph(
        style_id,
        " ".join("".join(texts).split()),
        is_alone,
        is_bold and has_words,
        level if level is not None and level < 9 else None,
    )


def _runs(paragraph: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The runs of a paragraph's own text: in links and tracked insertions too, not in
    deletions or in the paragraphs of a text box."""
    for child in paragraph:
        if child.tag == f"{W}r":
            if child.find(f".//{W}txbxContent") is None:
                yield child
        elif child.tag not in (f"{W}del", f"{W}moveFrom", f"{W}pPr"):
            yield from _runs(child)


def _bold_styles(
    paragraphs: list[_Paragraph], defined: dict[str, _Style], default: str | None
) -> dict[str | None, int]:
    """The document's own styles it writes headings in, bold, each with its level."""
    seen: dict[str | None, list[_Paragraph]] = {}
    for paragraph in paragraphs:
        if paragraph.words and paragraph.is_alone:
            seen.setdefault(paragraph.style_id, []).append(paragraph)
    chosen = []
    for order, (style_id, written) in enumerate(seen.items()):
        if style_id is None or style_id == default or style_id not in defined:
            continue
        if not defined[style_id].is_custom:
            continue
        is_bold = _inherited(defined, style_id, "is_bold") is True
        if is_bold or (len(written) >= 2 and all(p.is_bold for p in written)):
            size = _inherited(defined, style_id, "size") or 0
            list_level = _inherited(defined, style_id, "list_level") or 0
            if any(p.is_bold and _is_heading_like(p.words) for p in written):
                chosen.append(((-size, list_level, order), style_id))
    return {style_id: min(2 + rank, 6) for rank, (_, style_id) in enumerate(sorted(chosen))}


def _is_heading_like(words: str) -> bool:
    return (
        0 < len(words) <= LONGEST_HEADING
        and not words.endswith(SENTENCE_ENDS)
        and any(char.isalpha() for char in words)
    )


def _is_on(element: ElementTree.Element | None) -> bool | None:
    """A toggle such as `w:b`: None when it is not there."""
    if element is None:
        return None
    return element.get(f"{W}val") not in ("0", "false", "off")


class MakeHeadings:
    """A mammoth paragraph transform that gives the paragraphs of `headings` the style of
    their level, once `then` has numbered them (the number Word shows stays in the
    heading), and counts them by style for the import to say."""

    def __init__(self, headings: StyledHeadings, then: Callable[[Any], Any]) -> None:
        self.headings = headings
        self.then = then
        self.made: dict[str | None, list[str]] = {}

    def __call__(self, paragraph: Any) -> Any:
        level = self.headings.levels.get((paragraph.style_id, _words(paragraph)))
        paragraph = self.then(paragraph)
        if level is None:
            return paragraph
        children = list(paragraph.children)
        if paragraph.numbering is not None:
            # A list item's own number ("3.", "c."), marked at its start: written out.
            number = written_mark(_words(children[0])) if children else None
            if number is None:
                return paragraph
            children[0] = mammoth.documents.run([mammoth.documents.text(f"{number} ")])
        heading = paragraph.copy(
            style_name=f"{STYLE_NAME}{level}", numbering=None, children=children
        )
        self.made.setdefault(paragraph.style_id, []).append(MARK.sub("", _words(heading)))
        return heading

    def notes(self) -> list[str]:
        """What was made, style by style, in the order the styles were first used."""
        return [
            f"{len(made)} paragraph{'s' if len(made) > 1 else ''} in Word's style "
            f"'{self.headings.names[style_id]}', {self.headings.kinds[style_id]}, "
            f"{'were made headings' if len(made) > 1 else 'was made a heading'} (the first: '{made[0]}')"
            for style_id, made in self.made.items()
        ]


def _words(element: Any) -> str:
    """The words of a mammoth paragraph or run, spaced as `_read_paragraph` spaces them."""
    texts: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, mammoth.documents.Text):
            texts.append(node.value)
        for child in getattr(node, "children", ()) or ():
            collect(child)

    collect(element)
    return " ".join("".join(texts).split())
