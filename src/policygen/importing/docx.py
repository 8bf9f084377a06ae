"""A Word .docx file's bytes → policygen Markdown, with a note for each tracked change,
comment, image or other part that Markdown does not carry over (pure). Footnotes and
endnotes are carried over as Markdown's footnotes.

mammoth maps Word's styles to structure (Heading 1 → a heading, List Number → a numbered
list) and writes HTML, which goes the way of a saved web page from there. mammoth says
nothing of what it leaves out, so the document's XML is read here too, for the notes: each
with the number of the paragraph it is in, counted as Word's body holds them.
"""

from __future__ import annotations

import dataclasses
import io
import re
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import mammoth  # type: ignore[import-untyped]
from bs4 import BeautifulSoup, Tag

from ..characters import STRAY_CONTROLS, describe_left_out
from . import Converted, Note
from .html import convert_fragment
from .wordhidden import without_hidden_text
from .wordlists import SEPARATOR, MarkNumbers, W, numbered_paragraphs, renumber_lists
from .wordstyles import (
    LONGEST_HEADING,
    SENTENCE_ENDS,
    STYLE_NAME,
    MakeHeadings,
    find_styled_headings,
)

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
LARGEST_PART = 64 * 1024 * 1024
"""A document part larger than this, unpacked, is refused: no policy is that long."""
ENCRYPTED = 0x1
"""The bit of a zip entry's flags that says it is encrypted (zipfile asks for a password)."""
LARGEST_PACKAGE = 256 * 1024 * 1024
"""All the parts together, unpacked: a zip bomb is refused before it is unpacked."""
MOST_ELEMENTS = 100_000
"""XML elements in all the parts together. A policy of a thousand pages has fewer, and mammoth
spends some 60 µs and 1 KB on each: an attacker's 100,000 take seconds, not hours."""
DEEPEST = 100
"""How deeply a part's elements may nest. Word nests tables in tables a few levels deep;
mammoth and markdownify read each level with several nested calls."""
LONGEST_TOKEN = 1024 * 1024
"""The longest tag, comment or run of text. mammoth's XML reader is fed 16 KB at a time, and
the expat it runs on (before 2.6) reads a token again from its start with each: a token
of n bytes costs n²/16 KB."""
STYLE_MAP = "".join(
    [
        "p[style-name='Title'] => h1.title:fresh\n",
        "p[style-name='Subtitle'] => p.subtitle:fresh\n",
        "p[style-name='TOC Heading'] => p.contents:fresh\n",
        *(f"p[style-name='toc {level}'] => p.contents-entry:fresh\n" for level in range(1, 10)),
        *(f"p[style-name='{STYLE_NAME}{level}'] => h{level}:fresh\n" for level in range(1, 7)),
    ]
)
SECTION = re.compile(r"\s*(\d{1,3}(?:\.\d{1,3}){0,4})(\.?)\s+(\S.*)", re.DOTALL)
"""A section's number, then its name: "1.\tDefinitions", "2.1 Term", "3.7. Revoking"."""
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
"""The parts that hold the text, which mammoth reads once the text Word hides is cut out."""
READ_PARTS = (*TEXT_PARTS, "word/comments.xml", "word/numbering.xml", "word/styles.xml")
"""The parts read here, besides mammoth: for the notes, and for the numbers Word shows."""
UNUSED_STYLE_MESSAGES = re.compile(r"was referenced but not defined|Style ID: Comment")
"""mammoth's messages about styles that hold no text of the policy."""


class NotADocx(ValueError):
    """The bytes are not a Word document policygen can read."""


@dataclass(frozen=True, slots=True)
class _Paragraph:
    number: int
    text: str


def convert_docx(data: bytes) -> Converted:
    """A .docx file's bytes → its text as Markdown, its title, notes and tracked changes."""
    parts = _read_parts(data)
    if "word/document.xml" not in parts:
        raise NotADocx("it is not a Word document (.docx): it has no word/document.xml")
    styles = _parse(parts, "word/styles.xml")
    hidden = []
    for name in TEXT_PARTS:
        if name in parts:
            shown, found = without_hidden_text(parts[name], styles)
            if shown != parts[name]:
                data = _with_part(data, name, shown)
                parts[name] = shown
            hidden += found
    document = _parse(parts, "word/document.xml")
    assert document is not None
    tracked, notes = _scan(document, _comments(_parse(parts, "word/comments.xml")))
    notes += [
        Note(
            f"left out hidden text{'' if found.paragraph else ' of a note'}, which Word neither shows nor prints: {_quote(found.text)}; to publish it, unhide it in Word (Font, Hidden) and import the file again",
            paragraph=found.paragraph,
        )
        for found in hidden
    ]
    numbering = MarkNumbers(
        numbered_paragraphs(document, _parse(parts, "word/numbering.xml"), styles),
        then=_HeadingNumbers(),
    )
    headings = MakeHeadings(find_styled_headings(document, styles), then=numbering)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            include_embedded_style_map=False,
            external_file_access=False,
            transform_document=mammoth.transforms.paragraph(headings),
            convert_image=mammoth.images.img_element(lambda image: {"alt": image.alt_text or ""}),
        )
    except (KeyError, ValueError, zipfile.BadZipFile, expat.ExpatError) as exc:
        raise NotADocx(f"Word document could not be read ({exc})") from None
    # A style whose paragraphs were made headings means something after all.
    styled = tuple(f"(Style ID: {style_id})" for style_id in headings.made)
    notes.extend(
        Note(_style_message(str(message.message)))
        for message in result.messages
        if not UNUSED_STYLE_MESSAGES.search(str(message.message))
        and not (styled and str(message.message).endswith(styled))
    )
    notes.extend(Note(message) for message in headings.notes())
    soup = BeautifulSoup(str(result.value), "html.parser")
    renumber_lists(soup, numbering.is_faithful and numbering.seen == len(numbering.numbered))
    for image in soup.find_all("img"):
        image.decompose()  # each is in the notes already, at its paragraph
    _mark_notes(soup)
    if joined := _join_title_lines(soup):
        notes.append(Note(joined))
    if contents := _leave_out_contents(soup):
        notes.append(Note(contents))
    for heading in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        if not heading.get_text().strip():
            heading.decompose()  # an empty line in a Heading style: a heading of nothing
    if made := _bold_headings(soup):
        notes.append(Note(made))
    elif headings.made and (title := _bold_title(soup)):
        notes.append(Note(f"its first bold words, '{title}', were made its title"))
    converted = convert_fragment(soup, notes)
    body = converted.body.replace(SEPARATOR, "<!-- a list of its own, numbered as in Word -->")
    body = _write_notes(body)
    converted = _without_stray_controls(dataclasses.replace(converted, body=body), document)
    return dataclasses.replace(converted, tracked_changes=tuple(tracked))


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The package with the part `name` made of `content`, every other part as it was."""
    packed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(packed, "w") as target,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # a name the package holds twice, as mammoth reads it
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return packed.getvalue()


def _without_stray_controls(converted: Converted, document: ElementTree.Element) -> Converted:
    """The text without the stray control characters Word let a paragraph hold (pasted from
    a page decoded in the wrong encoding: `"https"\x9d`), as an import of a text file leaves
    them out; `_scan` noted each at its paragraph, and those of footnotes or links' addresses,
    which are in no paragraph of the body, are noted here."""
    found = STRAY_CONTROLS.findall(converted.body + (converted.title or ""))
    if not found:
        return converted
    notes = list(converted.notes)
    elsewhere = Counter(found) - Counter(STRAY_CONTROLS.findall(_text(document)))
    if elsewhere:
        notes.append(
            Note(f"{describe_left_out(list(elsewhere.elements()))}, in its notes or links")
        )
    return dataclasses.replace(
        converted,
        body=STRAY_CONTROLS.sub("", converted.body),
        title=STRAY_CONTROLS.sub("", converted.title) if converted.title else converted.title,
        notes=tuple(sorted(notes, key=Note.sort_key)),
    )


def _read_parts(data: bytes) -> dict[str, bytes]:
    """The parts of READ_PARTS the package has, once every part of the package has been checked, as
    mammoth will read them: Word never writes a DTD (the Open Packaging Conventions forbid
    one), nests its elements a few levels deep, and writes parts of some megabytes at most.
    Each part is checked whatever its name, as a relationship may send mammoth to any of
    them; a part that is not XML (an image) stops its check at its first byte."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise NotADocx("it is not a Word document (.docx): it is not a zip archive") from None
    parts = {}
    with archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > LARGEST_PACKAGE:
            raise NotADocx(f"its parts unpack to more than {LARGEST_PACKAGE // 2**20} MB")
        elements = 0
        for info in infos:
            if info.file_size > LARGEST_PART:
                raise NotADocx(f"its {info.filename} is larger than {LARGEST_PART // 2**20} MB")
            if info.flag_bits & ENCRYPTED:
                raise NotADocx(f"its {info.filename} is encrypted: save it without a password")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise NotADocx(f"its {info.filename} is packed in a way Word never packs a part")
            try:
                # zipfile unpacks no more than the size the archive states, and checks the CRC.
                part = archive.read(info)
            except (zipfile.BadZipFile, zlib.error) as exc:
                raise NotADocx(f"its {info.filename} cannot be unpacked ({exc})") from None
            elements += _check_xml(info.filename, part, MOST_ELEMENTS - elements)
            if info.filename in READ_PARTS:
                parts[info.filename] = part
    return parts


def _check_xml(name: str, part: bytes, most: int) -> int:
    """The number of elements of a part, once it is found to declare no DTD and to stay within
    the limits above; 0 for a part that is not XML."""
    parser = expat.ParserCreate()
    elements = depth = last = 0

    def refuse(reason: str) -> None:
        raise NotADocx(f"its {name} {reason}, which Word documents never do")

    def token() -> None:
        nonlocal last
        if parser.CurrentByteIndex - last > LONGEST_TOKEN:
            refuse(f"holds a tag, comment or text longer than {LONGEST_TOKEN // 2**20} MB")
        last = parser.CurrentByteIndex

    def start(*_: object) -> None:
        nonlocal depth, elements
        token()
        depth += 1
        elements += 1
        if depth > DEEPEST:
            refuse(f"nests its elements more than {DEEPEST} levels deep")
        if elements > most:
            refuse(f"brings the document's XML elements to more than {MOST_ELEMENTS:,}")

    def end(*_: object) -> None:
        nonlocal depth
        token()
        depth -= 1

    parser.StartDoctypeDeclHandler = lambda *_: refuse("declares a document type (DTD)")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = parser.CommentHandler = lambda *_: token()
    parser.ProcessingInstructionHandler = lambda *_: token()
    try:
        parser.Parse(part, True)
    except expat.ExpatError:
        return 0  # mammoth refuses it too, if it reads it at all
    if len(part) - last > LONGEST_TOKEN:
        refuse(f"holds a tag, comment or text longer than {LONGEST_TOKEN // 2**20} MB")
    return elements


def _parse(parts: dict[str, bytes], name: str) -> ElementTree.Element | None:
    if name not in parts:
        return None
    try:
        return ElementTree.fromstring(parts[name])
    except ElementTree.ParseError as exc:
        raise NotADocx(f"its {name} is not well-formed XML ({exc})") from None


def _text(element: ElementTree.Element, *, deleted: bool = False) -> str:
    tags = (f"{W}t", f"{W}delText") if deleted else (f"{W}t",)
    return "".join(t.text or "" for t in element.iter() if t.tag in tags)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(STRAY_CONTROLS.sub("", text).split())
    return f'"{text if len(text) <= limit else text[: limit - 1].rstrip() + "…"}"'


def _comments(root: ElementTree.Element | None) -> dict[str, tuple[str, str]]:
    """Comment id → (author, text)."""
    if root is None:
        return {}
    return {
        str(c.get(f"{W}id")): (c.get(f"{W}author") or "someone", _text(c))
        for c in root.iter(f"{W}comment")
    }


def _paragraphs(document: ElementTree.Element) -> Iterator[tuple[_Paragraph, ElementTree.Element]]:
    body = document.find(f"{W}body")
    for number, paragraph in enumerate((body if body is not None else document).iter(f"{W}p"), 1):
        yield _Paragraph(number, _text(paragraph)), paragraph


def _scan(
    document: ElementTree.Element, comments: dict[str, tuple[str, str]]
) -> tuple[list[Note], list[Note]]:
    """(tracked changes, other notes) of the document's body, at their paragraphs."""
    tracked: list[Note] = []
    notes: list[Note] = []
    before = ""
    for paragraph, element in _paragraphs(document):
        at = paragraph.number
        before = paragraph.text if paragraph.text.strip() else before
        if found := STRAY_CONTROLS.findall(paragraph.text):
            notes.append(Note(describe_left_out(found), paragraph=at))
        for kind in ("ins", "del"):
            # The paragraph's mark: deleted, the paragraph runs on into the next one.
            if (mark := element.find(f"{W}pPr/{W}rPr/{W}{kind}")) is not None:
                what = "insertion" if kind == "ins" else "deletion"
                tracked.append(
                    Note(
                        f"tracked {what}{_by(mark)} of the paragraph break after {_quote(before, 40)}",
                        paragraph=at,
                    )
                )
        for change in element.iter():
            tag = change.tag
            by = _by(change)
            if tag in (f"{W}ins", f"{W}moveTo") and _text(change):
                kind = "insertion" if tag == f"{W}ins" else "move"
                tracked.append(Note(f"tracked {kind}{by}: {_quote(_text(change))}", paragraph=at))
            elif tag in (f"{W}del", f"{W}moveFrom") and _text(change, deleted=True):
                kind = "deletion" if tag == f"{W}del" else "move"
                tracked.append(
                    Note(f"tracked {kind}{by}: {_quote(_text(change, deleted=True))}", paragraph=at)
                )
            elif tag in (f"{W}rPrChange", f"{W}pPrChange"):
                tracked.append(Note(f"tracked change of formatting{by}", paragraph=at))
            elif tag == f"{W}commentReference":
                author, text = comments.get(str(change.get(f"{W}id")), ("someone", ""))
                notes.append(Note(f"left out a comment by {author}: {_quote(text)}", paragraph=at))
            elif tag in (f"{W}drawing", f"{W}pict"):
                described = next(
                    (d.get("descr") or d.get("title") or "" for d in change.iter(f"{WP}docPr")), ""
                )
                alt = f" (its text: {_quote(described)})" if described else ""
                after = (
                    f" after {_quote(before, 40)}" if before and not paragraph.text.strip() else ""
                )
                notes.append(
                    Note(
                        f"left out an image{alt}{after}: policy pages show no images; describe it in words",
                        paragraph=at,
                    )
                )
            elif tag == f"{W}object":
                notes.append(Note("left out an embedded object", paragraph=at))
            elif tag in (f"{MATH}oMath",):
                notes.append(Note("left out an equation: write it in words", paragraph=at))
    return tracked, notes


def _by(change: ElementTree.Element) -> str:
    """ " by Alice on 2026-03-02": who made a tracked change, and when."""
    who = change.get(f"{W}author") or "someone"
    when = (change.get(f"{W}date") or "")[:10]
    return f" by {who}" + (f" on {when}" if when else "")


def _style_message(message: str) -> str:
    found = re.match(r"Unrecognised (paragraph|run) style: (.*?) \(Style ID: (.*)\)", message)
    if found:
        kind, name, style_id = found.groups()
        name = style_id if name == "None" else name
        return f"Word's {kind} style '{name}' means nothing to policygen: its text was imported as plain text"
    return f"Word document: {message}"


class _HeadingNumbers:
    """Word numbers some headings itself (1., 1.1…): the number is written into the heading,
    where policygen reads it for the section's anchor (section-1-1)."""

    def __init__(self) -> None:
        self.counts: list[int] = []

    def __call__(self, paragraph: Any) -> Any:
        numbering = paragraph.numbering
        style = str(paragraph.style_name or "").lower()
        if numbering is None or not numbering.is_ordered or not style.startswith("heading"):
            return paragraph
        level = int(numbering.level_index or 0)
        self.counts = (self.counts + [0] * (level + 1))[: level + 1]
        self.counts[level] += 1
        number = ".".join(str(count) for count in self.counts) + ("." if level == 0 else "")
        prefix = mammoth.documents.run([mammoth.documents.text(f"{number} ")])
        return paragraph.copy(children=[prefix, *paragraph.children])


def _bold_headings(soup: BeautifulSoup) -> str | None:
    """A document written without Heading styles, its sections bold paragraphs that start
    with their numbers ("1. Definitions", "2.1 Term", or a bold paragraph Word numbers): those
    become headings, a level deeper for each part of the number, and the bold paragraphs
    before any other text become the title. What this did, for the import to say; None when
    the document has headings of its own, or fewer than two such sections.

    A bold paragraph that ends as a sentence does (with . : ; or ,) is words in bold, and so
    is any paragraph in a table, a list or a quote."""
    if soup.find(["h2", "h3", "h4", "h5", "h6"]):
        return None
    sections: list[tuple[Tag, str, int]] = []
    for element in soup.find_all(["p", "ol"], recursive=False):
        if element.name == "p":
            words = _bold_words(element)
        else:  # a section Word numbers: a list of one item, numbered with digits
            items = element.find_all("li", recursive=False)
            start = str(element.get("start") or "1")
            is_one = len(items) == 1 and not element.get("type") and start.isdigit()
            words = _bold_words(items[0]) if is_one else None
            words = f"{start}. {words}" if words is not None else None
        found = SECTION.fullmatch(words) if words is not None else None
        if found and not found[3].endswith(SENTENCE_ENDS):
            text = f"{found[1]}{found[2]} {' '.join(found[3].split())}"
            sections.append((element, text, min(6, found[1].count(".") + 2)))
    if len(sections) < 2:
        return None
    for element, text, level in sections:
        heading = soup.new_tag(f"h{level}")
        heading.string = text
        element.replace_with(heading)
    made = f"{len(sections)} bold paragraphs that start with a section number (the first: '{sections[0][1]}') were made headings, as the document has no Heading style"
    if title := _bold_title(soup):
        made += f", and its first bold words, '{title}', its title"
    return made


def _bold_title(soup: BeautifulSoup) -> str | None:
    """The bold paragraphs before any other text of a document whose headings were found
    in its bold paragraphs, made its title (an <h1>), when it has none: its name, which
    may be written on several ("LET'S ENCRYPT", "SUBSCRIBER AGREEMENT"). The title, or
    None."""
    names: list[tuple[Tag, str]] = []
    for element in soup.find_all(True, recursive=False):
        words = _bold_words(element) if element.name == "p" else None
        if words is None or SECTION.fullmatch(words) or words.endswith(SENTENCE_ENDS):
            break
        names.append((element, words))
    title = " ".join(words for _, words in names)
    if not names or len(title) > LONGEST_HEADING or soup.find("h1"):
        return None
    heading = soup.new_tag("h1")
    heading.string = title
    names[0][0].replace_with(heading)
    for element, _ in names[1:]:
        element.decompose()
    return title


def _join_title_lines(soup: BeautifulSoup) -> str | None:
    """The lines of the document's name in Word's Title style, and its Subtitle right under
    them ("Carnegie Mellon University" / "Student Senate Bylaws"), joined into one title:
    the title's lines by a space, a subtitle after a colon, as titles and subtitles are
    cited. Left where it was, a subtitle would be the text's first paragraph, shown below
    the dates and the contents, far from the title it belongs to; two Title lines, two
    headings of sections with nothing in them. A subtitle that is a sentence, or holds a
    number (a date, a version: the page shows the revision's own), stays the text's first
    paragraph. What this did, for the import to say; None when nothing."""
    kinds = {}
    for line in soup.find_all(class_=["title", "subtitle"]):
        if not line.get_text().strip():
            line.decompose()  # a logo in the Title's style, noted with the images
            continue
        kinds[id(line)] = line["class"][0]
        del line["class"]
    worded = (
        element for element in soup.find_all(True, recursive=False) if element.get_text().strip()
    )
    title = next(worded, None)
    if title is None or kinds.get(id(title)) != "title":
        return None
    lines: list[tuple[Tag, str, str]] = []
    for line in worded:
        words = " ".join(line.get_text(" ").split())
        kind = kinds.get(id(line))
        if kind is None or (kind == "title" and lines and lines[-1][1] == "subtitle"):
            break
        if kind == "subtitle" and (
            words.endswith(SENTENCE_ENDS) or any(char.isdigit() for char in words)
        ):
            break
        lines.append((line, kind, words))
    if not lines:
        return None
    name = " ".join(title.get_text(" ").split())
    for line, kind, words in lines:
        colon = kind == "subtitle" and not name.endswith((":", "?", "!"))
        name = f"{name}{':' if colon else ''} {words}"
        line.decompose()
    title.string = name
    if any(kind == "subtitle" for _, kind, _ in lines):
        return f"its subtitle was joined to its title: '{name}'"
    return f"the {len(lines) + 1} lines of its title were joined: '{name}'"


def _leave_out_contents(soup: BeautifulSoup) -> str | None:
    """Word's table of contents left out: its entries (in Word's "TOC 1" to "TOC 9" styles),
    each a link with a page number ("Introduction 5"), and its heading (in the "TOC Heading"
    style, or a heading right before the entries that they list). The policy page shows
    contents of its own, with links that work; Word's page numbers mean nothing on it. What
    this did, for the import to say; None when the text has no table of contents."""
    entries = soup.find_all("p", class_="contents-entry")
    headings = soup.find_all("p", class_="contents")
    if entries:
        listed = {
            str(link["href"])[1:]
            for entry in entries
            for link in entry.find_all("a", href=True)
            if str(link["href"]).startswith("#")
        }
        before = entries[0].find_previous_sibling(True)
        if (
            before is not None
            and before.name in ("h1", "h2", "h3", "h4", "h5", "h6")
            and any(anchor.get("id") in listed for anchor in before.find_all("a", id=True))
        ):
            headings.append(before)
    if not entries and not headings:
        return None
    named = " ".join(headings[0].get_text(" ").split()) if headings else ""
    for element in [*headings, *entries]:
        element.decompose()
    heading = f" ('{named}')" if named else ""
    if not entries:
        return f"left out the heading of Word's table of contents{heading}, which Word had not filled in: the page shows contents of its own"
    count = f"{len(entries)} entr{'ies' if len(entries) > 1 else 'y'}"
    return f"left out Word's table of contents{heading}, {count} with their page numbers: the page shows contents of its own"


def _bold_words(element: Tag | None) -> str | None:
    """The words of an element that holds nothing but bold words (and line breaks), as
    short as a heading is; else None."""
    if element is None:
        return None
    bold = [
        child for child in element.children if not (isinstance(child, str) and not child.strip())
    ]
    if len(bold) != 1 or not isinstance(bold[0], Tag) or bold[0].name not in ("strong", "b"):
        return None
    if bold[0].find(lambda tag: tag.name != "br"):
        return None
    words = " ".join(bold[0].get_text(" ").split())
    return words if 0 < len(words) <= LONGEST_HEADING else None


MARK_OPEN, MARK_CLOSE = "\ue020", "\ue021"
"""Around a footnote's label where its mark stands, until the Markdown is written: characters
of the Private Use Area, which a Word document never holds there (mammoth writes its own
marks, and `_mark_notes` replaces them), so that the writer neither escapes nor splits them."""
NOTE_OPEN, NOTE_CLOSE = "\ue022", "\ue023"
"""Around a footnote's label at the start of its note's first paragraph."""
NOTE_GOES_ON = "\ue024"
"""At the start of a note's second and later paragraphs."""
_MARK = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}")
_NOTE = re.compile(f"^{NOTE_OPEN}([^{NOTE_CLOSE}]*){NOTE_CLOSE} *", re.MULTILINE)
_NOTE_GOES_ON = re.compile(f"^{NOTE_GOES_ON} *", re.MULTILINE)


def _mark_notes(soup: BeautifulSoup) -> None:
    """mammoth links footnotes and endnotes to a list at the end: the references become
    stand-ins for Markdown's footnote marks (`[^1]`), and each note a paragraph that starts
    with a stand-in for its label (`[^1]: …`), written by `_write_notes`. A footnote's label
    is its number, an endnote's its number after "e" (Word numbers them apart)."""

    def label(identifier: str) -> str:
        kind, _, number = identifier.rpartition("-")
        return number if kind.startswith("footnote") else f"e{number}"

    def is_reference(value: str | None) -> bool:
        return isinstance(value, str) and bool(re.match(r"(footnote|endnote)-ref-", value))

    # Elements are changed in place or replaced all at once: each insertion in a parent
    # looks for its place among all the children, which made 6,000 notes take 5 s.
    for reference in soup.find_all("a", id=is_reference):
        target = str(reference.get("href", "")).removeprefix("#")
        mark = f"{MARK_OPEN}{label(target)}{MARK_CLOSE}"
        holder = reference.parent
        if isinstance(holder, Tag) and holder.name == "sup" and len(holder.contents) == 1:
            holder.replace_with(mark)
        else:
            reference.replace_with(mark)
    items = soup.find_all("li", id=re.compile(r"^(footnote|endnote)-\d+$"))
    lists = {id(item.parent): item.parent for item in items if isinstance(item.parent, Tag)}
    for notes_list in lists.values():
        paragraphs = []
        for item in notes_list.find_all("li", recursive=False):
            for back in item.find_all("a", href=re.compile(r"^#(footnote|endnote)-ref-")):
                back.decompose()
            blocks = [child for child in item.find_all("p", recursive=False)] or [item]
            for index, block in enumerate(blocks):
                paragraph = soup.new_tag("p")
                start = (
                    f"{NOTE_OPEN}{label(str(item.get('id')))}{NOTE_CLOSE}"
                    if index == 0
                    else NOTE_GOES_ON
                )
                paragraph.append(start)
                paragraph.extend(list(block.contents))
                paragraphs.append(paragraph)
        notes_list.replace_with(*paragraphs)
        notes_list.decompose()


def _write_notes(body: str) -> str:
    """The Markdown of `_mark_notes`' stand-ins: `[^1]` marks, `[^1]: …` notes, their later
    paragraphs indented."""
    if MARK_OPEN not in body and NOTE_OPEN not in body:
        return body
    body = _MARK.sub(lambda mark: f"[^{mark[1]}]", body)
    body = _NOTE.sub(lambda note: f"[^{note[1]}]: ", body)
    return _NOTE_GOES_ON.sub("    ", body)
