"""A Word document's numbered paragraphs → the number and style of numbering each shows, and
mammoth's lists renumbered to match (pure).

mammoth writes Word's numbered paragraphs as `<ol>` lists, and lets the numbers follow from
the lists: a list that a paragraph interrupts starts again at 1, and two lists that meet
become one. Word numbers them otherwise: a list goes on after a paragraph (section 3 of an
agreement after section 2's text), another list is numbered on its own (a., b., c. under
section 3, then section 4), and letters and Roman numerals are not digits. In a legal text
the numbers are part of what it says: "see 4.1" must find a section 4.

So the numbers are worked out here from `word/numbering.xml` as Word counts them, each
numbered paragraph marked with its own as mammoth reads it, and the lists cut and numbered
from the marks. Where the document numbers paragraphs in a way this does not follow (a
numbering style, a paragraph style that numbers), the lists are left as mammoth made them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import mammoth  # type: ignore[import-untyped]
from bs4 import BeautifulSoup, Tag

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = 9
"""Word numbers nine levels of a list."""
HTML_TYPES = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}
"""Word's number formats that HTML writes with a list's type (decimal is HTML's own)."""
MARK = re.compile("\ue000(\\d{1,9}) ([aAiI1])\ue001")
"""The number and type a numbered paragraph's list item starts with until the lists are cut."""
SEPARATOR = "\ue002"
"""Between two lists that would run together in Markdown: an HTML comment once written."""


@dataclass(frozen=True, slots=True)
class Numbered:
    """A numbered paragraph: its level in its list, and the number it shows."""

    level: int
    number: int
    html_type: str
    """"1", or "a", "A", "i", "I" for letters and Roman numerals."""


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    html_type: str | None
    """None for a bullet: no `<ol>` item."""
    restart: int | None
    """`w:lvlRestart`: restarted after a paragraph of a level above this one (None: any)."""


def numbered_paragraphs(
    document: ElementTree.Element, numbering: ElementTree.Element | None
) -> list[Numbered] | None:
    """The numbered paragraphs of the document's body that mammoth writes as `<ol>` items, in
    order; None when the document numbers paragraphs in a way not followed here."""
    if numbering is None:
        return []
    abstracts: dict[str, dict[int, _Level]] = {}
    by_style: dict[str, tuple[str, int]] = {}
    for abstract in numbering.iter(f"{W}abstractNum"):
        if abstract.find(f"{W}numStyleLink") is not None:
            return None
        abstract_id = _val(abstract, "abstractNumId")
        abstracts[abstract_id] = {}
        for written in abstract.iter(f"{W}lvl"):
            index = _index(written)
            abstracts[abstract_id][index] = _read_level(written)
            if (style := written.find(f"{W}pStyle")) is not None:
                by_style[_val(style, "val")] = (abstract_id, index)
    instances: dict[str, tuple[str, dict[int, int]]] = {}
    for num in numbering.iter(f"{W}num"):
        reference = num.find(f"{W}abstractNumId")
        overrides = {
            _index(override): int(_val(start, "val"))
            for override in num.iter(f"{W}lvlOverride")
            if (start := override.find(f"{W}startOverride")) is not None
            and _val(start, "val").isdigit()
        }
        if reference is not None:
            instances[_val(num, "numId")] = (_val(reference, "val"), overrides)
    counters: dict[str, list[int | None]] = {}
    started: set[tuple[str, int]] = set()
    numbered: list[Numbered] = []
    body = document.find(f"{W}body")
    for paragraph in (body if body is not None else document).iter(f"{W}p"):
        found = _numbering_of(paragraph, instances, by_style)
        if found is None:
            continue
        abstract_id, level, num_id = found
        definition = abstracts.get(abstract_id, {}).get(level)
        if definition is None:
            continue  # mammoth does not number it either
        count = counters.setdefault(abstract_id, [None] * LEVELS)
        overrides = instances[num_id][1] if num_id is not None else {}
        if level in overrides and (str(num_id), level) not in started:
            count[level] = overrides[level] - 1
        started.add((str(num_id), level))
        previous = count[level]
        number = count[level] = (previous if previous is not None else definition.start - 1) + 1
        for deeper in range(level + 1, LEVELS):
            restart = abstracts[abstract_id].get(deeper, _Level(1, None, None)).restart
            if restart is None or (restart > 0 and level <= restart - 1):
                count[deeper] = None
        if definition.html_type is not None:
            numbered.append(Numbered(level, number, definition.html_type))
    return numbered


def _numbering_of(
    paragraph: ElementTree.Element,
    instances: dict[str, tuple[str, dict[int, int]]],
    by_style: dict[str, tuple[str, int]],
) -> tuple[str, int, str | None] | None:
    """(list, level, numbering instance) of a paragraph mammoth numbers, read as mammoth
    reads it: its own numbering, else its style's, else level 0 of its own list."""
    properties = paragraph.find(f"{W}pPr/{W}numPr")
    num_id = _val(properties.find(f"{W}numId"), "val") if properties is not None else ""
    level = _val(properties.find(f"{W}ilvl"), "val") if properties is not None else ""
    style = _val(paragraph.find(f"{W}pPr/{W}pStyle"), "val")
    if num_id and level:
        if num_id not in instances or not level.isdigit() or int(level) >= LEVELS:
            return None
        return instances[num_id][0], int(level), num_id
    if style in by_style:
        abstract_id, index = by_style[style]
        return abstract_id, index, None
    if num_id in instances:
        return instances[num_id][0], 0, num_id
    return None


def _index(element: ElementTree.Element) -> int:
    """A level's number (`w:ilvl`), 0 when it has none."""
    value = _val(element, "ilvl")
    return int(value) if value.isdigit() and int(value) < LEVELS else 0


def _val(element: ElementTree.Element | None, name: str) -> str:
    return (element.get(f"{W}{name}") or "") if element is not None else ""


def _read_level(level: ElementTree.Element) -> _Level:
    start = _val(level.find(f"{W}start"), "val")
    number_format = _val(level.find(f"{W}numFmt"), "val") or "decimal"
    restart = _val(level.find(f"{W}lvlRestart"), "val")
    # mammoth writes every numbering but bullets as <ol> (one without numbers too).
    html_type = None if number_format == "bullet" else HTML_TYPES.get(number_format, "1")
    return _Level(
        int(start) if start.isdigit() else 0, html_type, int(restart) if restart.isdigit() else None
    )


class MarkNumbers:
    """A mammoth paragraph transform that starts each numbered paragraph mammoth writes as an
    `<ol>` item with its number, as long as mammoth's numbered paragraphs are those of
    `numbered_paragraphs`, level for level (`is_faithful` says whether they were)."""

    def __init__(self, numbered: list[Numbered] | None, then: Callable[[Any], Any]) -> None:
        self.numbered = numbered or []
        self.is_faithful = numbered is not None
        self.seen = 0
        self.then = then

    def __call__(self, paragraph: Any) -> Any:
        paragraph = self.then(paragraph)
        numbering = paragraph.numbering
        if not self.is_faithful or numbering is None or not numbering.is_ordered:
            return paragraph
        if self.seen >= len(self.numbered) or self.numbered[self.seen].level != int(
            numbering.level_index or 0
        ):
            self.is_faithful = False
            return paragraph
        mine = self.numbered[self.seen]
        self.seen += 1
        if str(paragraph.style_name or "").lower().startswith("heading"):
            return paragraph  # numbered into its text already, and no list item
        mark = mammoth.documents.run(
            [mammoth.documents.text(f"\ue000{mine.number} {mine.html_type}\ue001")]
        )
        return paragraph.copy(children=[mark, *paragraph.children])


def renumber_lists(soup: BeautifulSoup, is_faithful: bool) -> None:
    """Cut and number mammoth's `<ol>` lists as the marks of their items say (when the marks
    were made `is_faithful`ly), and take the marks out."""
    marks: dict[int, tuple[int, str]] = {}
    for text in soup.find_all(string=MARK):
        found = MARK.search(text)
        assert found is not None
        item = text.find_parent("li")
        if item is not None and id(item) not in marks:
            marks[id(item)] = (int(found[1]), found[2])
        text.replace_with(MARK.sub("", text))
    if not is_faithful:
        return
    for ol in soup.find_all("ol"):
        _number(soup, ol, marks)


def _number(soup: BeautifulSoup, ol: Tag, marks: dict[int, tuple[int, str]]) -> None:
    """Number a list from its first item's mark, and cut it where an item's number does not
    follow from the one before, or its kind of number changes: each run, a list of its own.
    In a time in proportion to the list, however many runs it has (a stranger's document
    may number each item on its own)."""
    items = ol.find_all("li", recursive=False)
    if not items or any(id(item) not in marks for item in items):
        return
    runs = [[items[0]]]
    for before, item in zip(items, items[1:], strict=False):
        number, kind = marks[id(item)]
        if number == marks[id(before)][0] + 1 and kind == marks[id(before)][1]:
            runs[-1].append(item)
        else:
            runs.append([item])
    _number_as(ol, marks[id(items[0])])
    if len(runs) == 1:
        return
    children = list(ol.contents)
    for index in range(len(children) - 1, -1, -1):  # from the end: each taken out at once
        children[index].extract(_self_index=index)
    for item in runs[0]:
        ol.append(item)
    after: list[Tag] = []
    for previous, run in zip(runs, runs[1:], strict=False):
        if marks[id(previous[0])][1] == marks[id(run[0])][1] == "1":
            # Markdown would read two lists that meet as one, numbered on from the first.
            separator = soup.new_tag("p")
            separator.string = SEPARATOR
            after.append(separator)
        rest = soup.new_tag("ol")
        _number_as(rest, marks[id(run[0])])
        for item in run:
            rest.append(item)
        after.append(rest)
    ol.insert_after(*after)


def _number_as(ol: Tag, mark: tuple[int, str]) -> None:
    """Give a list the number and kind of number of its first item."""
    first, html_type = mark
    if first != 1:
        ol["start"] = str(first)
    if html_type != "1":
        ol["type"] = html_type
