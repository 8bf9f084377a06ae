"""A Word document's body → the same body without the text Word hides, and that text (pure).

Text formatted hidden (Word's Font dialog, "Hidden"; `w:vanish` in the XML) is neither shown
nor printed: whoever reads the document in Word sees the paragraphs without it. mammoth
reads it as any other text, so that a sentence hidden in a clause ("We keep your data.",
then hidden, "We sell it to anyone.") was published, though no one reading the document
had seen it. Its runs are cut out of the XML as written, byte for byte, before mammoth
reads it. A run is hidden by its own formatting, else by its character style, else by its
paragraph's style, else by the document's defaults, each style with those it is based on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.parsers import expat

from .wordlists import W, word_attribute

VAL = W[1:] + "val"
"""`w:val` as expat names an attribute ("{" is added to elements' names, as ElementTree's)."""
DEEPEST_STYLE = 32
"""How many styles, each based on the next, are followed: Word's chains are a few long."""


@dataclass(frozen=True, slots=True)
class HiddenText:
    """Words of the document Word hides."""

    paragraph: int | None
    """The paragraph of the body it is in, counted from 1 as Word's body holds them; None
    in a footnote or an endnote."""
    text: str


@dataclass(slots=True)
class _Run:
    start: int
    paragraph: int | None
    paragraph_style: str | None
    hidden: bool | None = None
    style: str | None = None
    text: list[str] = field(default_factory=list)


def without_hidden_text(
    document: bytes, styles: ElementTree.Element | None
) -> tuple[bytes, list[HiddenText]]:
    """`word/document.xml` (or the footnotes' or endnotes' part) without its runs of hidden
    text, and the words of each run cut that had any (a part that is not well-formed XML is
    given back as it is)."""
    hidden_by_style, based_on, default_style, hidden_by_default = _read_styles(styles)

    def inherited(style: str | None) -> bool | None:
        for _ in range(DEEPEST_STYLE):
            if style is None:
                return None
            if (found := hidden_by_style.get(style)) is not None:
                return found
            style = based_on.get(style)
        return None

    parser = expat.ParserCreate(namespace_separator="}")
    names: list[str] = []
    runs: list[_Run] = []
    paragraph_styles: list[str | None] = []
    cuts: list[tuple[int, int]] = []
    found: list[HiddenText] = []
    paragraphs = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal paragraphs
        tag = "{" + name
        parent = names[-1] if names else ""
        grandparent = names[-2] if len(names) > 1 else ""
        names.append(tag)
        if tag == f"{W}p" and _is_text(names):
            paragraphs += f"{W}body" in names
            paragraph_styles.append(None)
        elif tag == f"{W}pStyle" and parent == f"{W}pPr" and grandparent == f"{W}p":
            if paragraph_styles:
                paragraph_styles[-1] = attributes.get(VAL)
        elif tag == f"{W}r" and _is_text(names):
            style = paragraph_styles[-1] if paragraph_styles else None
            at = paragraphs if f"{W}body" in names else None
            runs.append(_Run(parser.CurrentByteIndex, at, style))
        elif runs and parent == f"{W}rPr" and grandparent == f"{W}r":
            if tag == f"{W}vanish":
                runs[-1].hidden = attributes.get(VAL) not in ("0", "false", "off")
            elif tag == f"{W}rStyle":
                runs[-1].style = attributes.get(VAL)

    def characters(data: str) -> None:
        if runs and names and names[-1] == f"{W}t":
            runs[-1].text.append(data)

    def end(name: str) -> None:
        tag = names.pop()
        if tag == f"{W}p" and _is_text(names) and paragraph_styles:
            paragraph_styles.pop()
        elif tag == f"{W}r" and runs and _is_text(names):
            run = runs.pop()
            hidden = run.hidden
            for style in (run.style, run.paragraph_style or default_style):
                hidden = inherited(style) if hidden is None else hidden
            if hidden_by_default if hidden is None else hidden:
                cuts.append((run.start, document.index(b">", parser.CurrentByteIndex) + 1))
                if text := "".join(run.text).strip():
                    found.append(HiddenText(run.paragraph, text))
            if runs:
                runs[-1].text += run.text  # a run of a text box, in a run

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(document, True)
    except expat.ExpatError:
        return document, []
    if not cuts:
        return document, []
    kept, position = [], 0
    for begin, finish in sorted(cuts):
        if begin >= position:  # a run inside one cut already goes with it
            kept.append(document[position:begin])
            position = finish
    kept.append(document[position:])
    return b"".join(kept), found


TEXTS = (f"{W}body", f"{W}footnote", f"{W}endnote")
"""The elements whose paragraphs are the text: the body, and each note."""


def _is_text(names: list[str]) -> bool:
    """Whether the element whose parents are `names` is in the text."""
    return any(name in TEXTS for name in names)


def _read_styles(
    styles: ElementTree.Element | None,
) -> tuple[dict[str, bool], dict[str, str], str | None, bool]:
    """(whether each style hides its text, where it says; the style each is based on; the
    default paragraph style; whether the document's defaults hide text)."""
    hidden: dict[str, bool] = {}
    based_on: dict[str, str] = {}
    default = None
    if styles is None:
        return hidden, based_on, default, False
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        if style_id is None:
            continue
        if (vanish := style.find(f"{W}rPr/{W}vanish")) is not None:
            hidden[style_id] = vanish.get(f"{W}val") not in ("0", "false", "off")
        if parent := word_attribute(style.find(f"{W}basedOn")):
            based_on[style_id] = parent
        if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on"):
            default = default or style_id
    vanish = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}vanish")
    by_default = vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off")
    return hidden, based_on, default, by_default
