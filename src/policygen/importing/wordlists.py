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
from the marks. A number a list cannot show ("1.2.", "(a)", "Article 3 -") is written into
its paragraph as Word writes it, and the paragraph taken out of the list. Where the
document numbers paragraphs in a way this does not follow, the lists are left as mammoth
made them.
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
"""The namespace of WordprocessingML, as ElementTree writes names in it."""
LEVELS = 9
"""Word numbers nine levels of a list."""
HTML_TYPES = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}
"""Word's number formats that HTML writes with a list's type (decimal is HTML's own)."""
MARK = re.compile("\ue000(\\d{1,9}) ([aAiI1])\ue001")
"""The number and type a numbered paragraph's list item starts with until the lists are cut."""
ROMAN_AND_LETTERS = ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman")
ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
SEPARATOR = "\ue002"
"""Between two lists that would run together in Markdown: an HTML comment once written."""


@dataclass(frozen=True, slots=True)
class Numbered:
    """A numbered paragraph: its level in its list, and the number it shows."""

    level: int
    number: int
    html_type: str
    """"1", or "a", "A", "i", "I" for letters and Roman numerals."""
    text: str | None = None
    """The number as Word writes it ("1.2.", "(a)", "CHAPTER 0 - "), when a list's own
    number ("3.", "c.") is not what Word shows; None when it is."""


@dataclass(frozen=True, slots=True)
class _Level:
    start: int
    html_type: str | None
    """None for a bullet: no `<ol>` item."""
    restart: int | None
    """`w:lvlRestart`: restarted after a paragraph of a level above this one (None: any)."""
    number_format: str = "decimal"
    text: str | None = None
    """`w:lvlText`, "%1.%2." for "1.2."; None when the level has none."""
    is_legal: bool = False
    """`w:isLgl`: the numbers of the levels above are written in digits."""


def numbered_paragraphs(
    document: ElementTree.Element,
    numbering: ElementTree.Element | None,
    styles: ElementTree.Element | None = None,
) -> list[Numbered] | None:
    """The numbered paragraphs of the document's body that mammoth writes as `<ol>` items, in
    order; None when the document numbers paragraphs in a way not followed here."""
    if numbering is None:
        return []
    abstracts: dict[str, dict[int, _Level]] = {}
    by_style: dict[str, tuple[str, int]] = {}
    linked = _linked_lists(numbering, styles)
    for abstract in numbering.iter(f"{W}abstractNum"):
        if abstract.find(f"{W}numStyleLink") is not None:
            continue  # its levels are those of the list its numbering style names
        abstract_id = word_attribute(abstract, "abstractNumId")
        abstracts[abstract_id] = {}
        for written in abstract.iter(f"{W}lvl"):
            index = _index(written)
            abstracts[abstract_id][index] = _read_level(written)
            if (style := written.find(f"{W}pStyle")) is not None:
                by_style[word_attribute(style, "val")] = (abstract_id, index)
    instances: dict[str, tuple[str, dict[int, int]]] = {}
    for num in numbering.iter(f"{W}num"):
        reference = num.find(f"{W}abstractNumId")
        overrides = {
            _index(override): number
            for override in num.iter(f"{W}lvlOverride")
            if (number := word_number(word_attribute(override.find(f"{W}startOverride"), "val")))
            is not None
        }
        if reference is not None:
            abstract_id = word_attribute(reference, "val")
            instances[word_attribute(num, "numId")] = (
                linked.get(abstract_id, abstract_id),
                overrides,
            )
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
            text = _number_text(abstracts[abstract_id], level, count)
            numbered.append(Numbered(level, number, definition.html_type, text))
    return numbered


def _linked_lists(
    numbering: ElementTree.Element, styles: ElementTree.Element | None
) -> dict[str, str]:
    """List → the list whose levels it takes, for each list that names a numbering style
    (`w:numStyleLink`), as templates that number their clauses with a "list style" do; a list
    whose style cannot be found is left as mammoth reads it, with no number."""
    style_lists = {
        word_attribute(style, "styleId"): word_attribute(
            style.find(f"{W}pPr/{W}numPr/{W}numId"), "val"
        )
        for style in (styles.iter(f"{W}style") if styles is not None else ())
        if style.get(f"{W}type") == "numbering"
    }
    nums = {
        word_attribute(num, "numId"): word_attribute(num.find(f"{W}abstractNumId"), "val")
        for num in numbering.iter(f"{W}num")
    }
    return {
        word_attribute(abstract, "abstractNumId"): nums.get(
            style_lists.get(word_attribute(link, "val"), ""), ""
        )
        for abstract in numbering.iter(f"{W}abstractNum")
        if (link := abstract.find(f"{W}numStyleLink")) is not None
    }


def written_mark(text: str) -> str | None:
    """The number a numbered paragraph's mark stands for, as Word writes it ("3.", "c."),
    when `text` is such a mark; else None."""
    found = MARK.fullmatch(text)
    if found is None:
        return None
    number_format = next(
        (name for name, html_type in HTML_TYPES.items() if html_type == found[2]), "decimal"
    )
    return _format_number(int(found[1]), number_format) + "."


def _number_text(levels: dict[int, _Level], level: int, count: list[int | None]) -> str | None:
    """The number of a paragraph as Word writes it from its level's `w:lvlText`, or None
    when that is its list item's own number ("%2." for the second level)."""
    definition = levels[level]
    own = f"%{level + 1}."
    if definition.text is None or (definition.text == own and not definition.is_legal):
        return None

    def written(found: re.Match[str]) -> str:
        above = int(found[1]) - 1
        shown = levels.get(above, _Level(0, "1", None))
        value = count[above] if count[above] is not None else shown.start
        number_format = "decimal" if definition.is_legal and above < level else shown.number_format
        return _format_number(int(value or 0), number_format)

    return re.sub("%([1-9])", written, definition.text)


def _format_number(value: int, number_format: str) -> str:
    """A number as Word writes it in one of its formats (digits for one not followed here,
    and for a number above Word's own largest, whose letters would fill the memory)."""
    if value < 1 or value > MOST_LISTED or number_format not in ROMAN_AND_LETTERS:
        return f"{value:02d}" if number_format == "decimalZero" else str(value)
    if number_format.endswith("Letter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    roman = ""
    for size, numeral in ROMAN:
        while value >= size:
            roman, value = roman + numeral, value - size
    return roman.upper() if number_format == "upperRoman" else roman


def _numbering_of(
    paragraph: ElementTree.Element,
    instances: dict[str, tuple[str, dict[int, int]]],
    by_style: dict[str, tuple[str, int]],
) -> tuple[str, int, str | None] | None:
    """(list, level, numbering instance) of a paragraph mammoth numbers, read as mammoth
    reads it: its own numbering, else its style's, else level 0 of its own list."""
    properties = paragraph.find(f"{W}pPr/{W}numPr")
    num_id = word_attribute(properties.find(f"{W}numId"), "val") if properties is not None else ""
    level = word_attribute(properties.find(f"{W}ilvl"), "val") if properties is not None else ""
    style = word_attribute(paragraph.find(f"{W}pPr/{W}pStyle"), "val")
    if num_id and level:
        index = word_number(level)
        if num_id not in instances or index is None or index >= LEVELS:
            return None
        return instances[num_id][0], index, num_id
    if style in by_style:
        abstract_id, index = by_style[style]
        return abstract_id, index, None
    if num_id in instances:
        return instances[num_id][0], 0, num_id
    return None


def _index(element: ElementTree.Element) -> int:
    """A level's number (`w:ilvl`), 0 when it has none."""
    value = word_attribute(element, "ilvl")
    index = word_number(value)
    return index if index is not None and index < LEVELS else 0


MOST_LISTED = 32767
"""The largest number Word starts a list at. A document can state up to 999,999,999, and
as letters (`zzz…`) each of its items was 38 MB: a file of a few kilobytes filled the
memory."""


def word_number(value: str) -> int | None:
    """A number a document writes in an attribute (`w:val="2"`): ASCII digits, at most nine
    (Word's are a few); None for anything else. `str.isdigit` is true of `²`, which `int`
    does not read, and of 5,000 digits, more than Python reads: either stopped an import."""
    return int(value) if WORD_NUMBER.fullmatch(value) else None


WORD_NUMBER = re.compile(r"[0-9]{1,9}")


def word_attribute(element: ElementTree.Element | None, name: str = "val") -> str:
    """An attribute of a WordprocessingML element (its `w:val` by default); \"\" without one."""
    return (element.get(f"{W}{name}") or "") if element is not None else ""


def _read_level(level: ElementTree.Element) -> _Level:
    start = word_attribute(level.find(f"{W}start"), "val")
    number_format = word_attribute(level.find(f"{W}numFmt"), "val") or "decimal"
    restart = word_attribute(level.find(f"{W}lvlRestart"), "val")
    text = level.find(f"{W}lvlText")
    legal = level.find(f"{W}isLgl")
    # mammoth writes every numbering but bullets as <ol> (one without numbers too).
    html_type = None if number_format == "bullet" else HTML_TYPES.get(number_format, "1")
    return _Level(
        word_number(start) or 0,
        html_type,
        word_number(restart),
        number_format,
        word_attribute(text, "val") if text is not None else None,
        legal is not None and word_attribute(legal, "val") not in ("0", "false"),
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
        if mine.text is not None:
            number = mammoth.documents.run([mammoth.documents.text(f"{mine.text.strip()} ")])
            children = [number, *paragraph.children] if mine.text.strip() else paragraph.children
            return paragraph.copy(numbering=None, children=children)
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
    for item in soup.find_all("li"):
        _unwrap_hollow(item)


def _unwrap_hollow(item: Tag) -> None:
    """mammoth nests a list of the fourth level in three of its own, with an item that holds
    nothing but the next for each level above it; when those levels' paragraphs were taken
    out of their lists (their numbers written into them), the items would show as empty
    bullets: the list takes the place of the lists that hold it."""
    parent = item.parent
    if parent is None or parent.name not in ("ul", "ol") or parent.parent is None:
        return
    children = [c for c in item.contents if not (isinstance(c, str) and not c.strip())]
    siblings = [c for c in parent.contents if not (isinstance(c, str) and not c.strip())]
    if (
        len(children) == 1
        and len(siblings) == 1
        and getattr(children[0], "name", None)
        in (
            "ul",
            "ol",
        )
    ):
        parent.replace_with(children[0].extract())


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
