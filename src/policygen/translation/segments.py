"""A document file's text → its segments (what a translator translates, markup as
placeholders), and segments with translations → the file's Markdown body again (pure).

A segment is a span of the file's body: a heading, a paragraph, a list item, a table cell,
the text of a raw HTML element. Everything between segments (the `## ` of a heading, the
`- ` of a list item, table pipes, HTML tags around cells, attribute lists, region fences,
blank lines) stays as the source writes it, so a text filled with the source's own segments
is the source, byte for byte, and a translation keeps the source's structure.

Inside a segment, markup that is not text is shown as numbered placeholders: `<1>…</1>`
around text (emphasis, a link, a pair of raw HTML tags) and `{2}` for markup standing alone
(inline code, an autolink or an address written bare, an image, a line break, a lone HTML
tag). What a translator sees is called the segment's text; a line break written in the
source where the paragraph goes on (a soft break) is shown as a space, or as nothing
between two Chinese or Japanese characters, as pages show it. Markdown is read by policygen's own parser (see
`markdown_parser`): a segment's placeholders are the markup markdown-it finds, located in
the source by walking its tokens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Literal

from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..attributes import parse_attribute_list
from ..canonical import RegionBlock
from ..errors import SourceLocation, excerpt
from ..markdown import (
    heading_anchor,
    heading_attributes,
    is_read_whole,
    is_written_unspaced,
    markdown_parser,
)

SegmentKind = Literal[
    "title", "summary", "heading", "paragraph", "list item", "quote", "table cell", "html"
]
PieceKind = Literal["text", "space", "open", "close", "code"]

PLACEHOLDER = re.compile(r"<([0-9]{1,9})>|</([0-9]{1,9})>|\{([0-9]{1,9})\}")
"""A placeholder in a segment's text: `<1>` opens a pair, `</1>` closes it, `{2}` stands alone.
Its number has ASCII digits, and no more than a segment has placeholders: Python reads no
number of more than 4,300 digits, and a translation's `{111…}` of 5,000 crashed an import."""
_SOFT_BREAK = re.compile(r"(?<![ \t])[ \t]*\n\s*")
"""A line break in text, with the spaces around it. A match is tried only where a run of
spaces starts, so that a long run with no line break is read once, not once per space."""
_TYPED_BREAKS = re.compile(r"(?<![ \t])[ \t]*(?:\n[ \t]*)+")
"""Line breaks a translator typed, with the spaces around them (tried as `_SOFT_BREAK`)."""
_PARSER = markdown_parser().disable(["text_join", "footnote_tail"])
"""Escapes and entities stay tokens of their own, with the characters the source writes; a
footnote's note stays where it is written (a page shows it at the end), read as paragraphs."""
INLINE_HTML = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i",
    "img", "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "wbr",
})  # fmt: skip
"""Raw HTML elements that sit inside a segment as placeholders; any other tag ends one."""
VOID_HTML = frozenset({"br", "img", "wbr"})


@dataclass(frozen=True, slots=True)
class Code:
    """Markup of a segment, shown as a placeholder."""

    number: int
    """The placeholder's number, from 1 in the order of the text."""
    opening: str
    """The markup as the source writes it (for a pair, its opening part)."""
    closing: str | None
    """The closing part of a pair; None for markup standing alone."""
    what: str
    """What it is, in words: "link", "emphasis", "code", "line break", "HTML <b>"…"""

    @property
    def is_pair(self) -> bool:
        return self.closing is not None

    @property
    def is_break(self) -> bool:
        return self.what == "line break"

    @property
    def placeholder(self) -> str:
        """How the placeholder is written: `<1>…</1>` or `{2}`."""
        n = self.number
        return f"<{n}>…</{n}>" if self.is_pair else f"{{{n}}}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of a segment as the source writes it."""

    kind: PieceKind
    """text; space (a soft line break); open, close (of a pair); code (standing alone)."""
    source: str
    """Its characters in the file."""
    number: int = 0
    """Its placeholder's number (open, close and code)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of translation."""

    key: str
    """Unique in a revision's source files; the PO entry's context: `#section-4 2`."""
    kind: SegmentKind
    detail: str
    """More on where it is: "level 2", "row 2, column 1", "<td>"."""
    path: str
    """The source file."""
    line: int
    """File line where it starts."""
    anchor: str | None
    """Anchor of the section it is in (of itself, for a heading)."""
    region: str | None
    """"europe" or "not europe" inside a region block, the region of a region file, else None."""
    span: tuple[int, int] | None
    """Where it is in the file's body; None for the title and the summary."""
    pieces: tuple[Piece, ...]
    codes: tuple[Code, ...]

    @property
    def text(self) -> str:
        """What the translator sees: text with placeholders, soft breaks as spaces (but
        between two Chinese or Japanese characters, as nothing, as a page shows them)."""
        return render_pieces(self.pieces, self.codes)

    @property
    def spaced_text(self) -> str:
        """The text with every soft break a space, as files exported before Chinese and
        Japanese line breaks were joined show it: their entries still name this segment."""
        return render_pieces(self.pieces, self.codes, is_spaced=True)

    @property
    def source(self) -> str:
        """The segment as the file writes it."""
        return "".join(piece.source for piece in self.pieces)

    @property
    def shape(self) -> tuple[str, str, str | None]:
        """What a translation's segment in the same place has in common with it."""
        return (self.kind, self.detail, self.region)


@dataclass(frozen=True, slots=True)
class SegmentationError:
    """A block policygen could not cut into segments."""

    line: int
    """File line."""
    message: str


def render_pieces(
    pieces: Iterable[Piece], codes: Sequence[Code], *, is_spaced: bool = False
) -> str:
    """Pieces as a translator sees them (`codes` indexed by number - 1): a soft break is a
    space, unless it joins two Chinese or Japanese characters (and not `is_spaced`)."""
    out = []
    pieces = list(pieces)
    for index, piece in enumerate(pieces):
        if piece.kind == "text":
            out.append(piece.source)
        elif piece.kind == "space":
            out.append(" " if is_spaced or not _joins_unspaced(pieces, index) else "")
        elif piece.kind == "open":
            out.append(f"<{piece.number}>")
        elif piece.kind == "close":
            out.append(f"</{piece.number}>")
        else:
            out.append(f"{{{piece.number}}}")
            if codes[piece.number - 1].is_break:
                out.append("\n")
    return "".join(out)


def _joins_unspaced(pieces: Sequence[Piece], index: int) -> bool:
    """Whether the soft break `pieces[index]` is between two characters of Chinese or
    Japanese, across the marks of emphasis and links (as `markdown` renders it)."""

    def edge(step: int) -> str:
        at = index + step
        while 0 <= at < len(pieces):
            piece = pieces[at]
            if piece.kind == "text" and piece.source:
                return piece.source[-1 if step < 0 else 0]
            if piece.kind not in ("open", "close"):
                return ""
            at += step
        return ""

    before, after = edge(-1), edge(1)
    return bool(before and after) and is_written_unspaced(before) and is_written_unspaced(after)


def plain_segment(
    key: str, kind: SegmentKind, text: str, path: str, line: int, region: str | None
) -> Segment:
    """A segment of plain text (a title, a summary): no markup but look-alike placeholders."""
    pieces, codes = _number([("text", text, "", None)])
    return Segment(key, kind, "", path, line, None, region, None, pieces, codes)


# Cutting a body into segments.


@dataclass(frozen=True, slots=True)
class _Found:
    """A segment found in a body, before it has a key."""

    kind: SegmentKind
    detail: str
    start: int
    end: int
    raw: list[tuple[PieceKind, str, str, int | None]]
    """(kind, source, what, pair) in order; `pair` links an opening to its closing."""
    heading_text: str = ""


@dataclass(frozen=True, slots=True)
class _Body:
    """A body and where its lines start."""

    text: str
    lines: list[str]
    starts: list[int]
    """Offset of each line's first character (and of the end, plus one)."""


def _read_body(text: str) -> _Body:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return _Body(text, lines, starts)


@dataclass(frozen=True, slots=True)
class _Placed:
    """A segment found in a body (or in a part of one), its placeholders numbered, before
    it has a key."""

    kind: SegmentKind
    detail: str
    start: int
    end: int
    line: int
    """Line where it starts."""
    text_anchor: str
    """A heading's anchor made from its text (used where rendering gives it none)."""
    pieces: tuple[Piece, ...]
    codes: tuple[Code, ...]


@dataclass(frozen=True, slots=True)
class _Cut:
    """What a body or a part of one is cut into: offsets and lines counted in it."""

    found: tuple[_Placed, ...]
    errors: tuple[tuple[int, str], ...]
    """(line, message) of each block that could not be cut."""


def segment_body(
    body: str,
    body_line: int,
    blocks: Sequence[RegionBlock],
    path: str,
    anchors: Mapping[int, str],
    region_file: str | None = None,
    *,
    by_parts: bool = True,
) -> tuple[list[Segment], list[SegmentationError]]:
    """The segments of a document's body, in text order, with unique keys.

    `blocks` are its region blocks (their fences are not text), `anchors` the anchor of the
    heading at each file line (as rendering gives them; a heading without one gets the
    anchor of its text), `region_file` the region of a region file (`en.europe.md`).
    `by_parts` False reads the body whole rather than part by part (`split_blocks`): the
    same result, slower.
    """
    text = _read_body(body)
    fences = {line for block in blocks for line in block.lines}
    # Fence lines read as blank lines: the text on either side is cut apart, as it is for
    # the readers of one region or the other. They keep their length, so that offsets in
    # what the parser reads are offsets in the body.
    blanked = (
        "\n".join(" " * len(line) if i in fences else line for i, line in enumerate(text.lines))
        if fences
        else body
    )
    parts = split_blocks(blanked) if by_parts else None
    cuts: list[tuple[int, int, _Cut]] = []
    if parts is None:
        cuts.append((0, 0, _cut(blanked, text)))
    else:
        # Policies repeat: most paragraphs of a text are those of the previous revision or of
        # another region's text. Each distinct part is read once.
        for first, read in parts:
            start = text.starts[first]
            cuts.append((first, start, _cut_part(read, body[start : start + len(read)])))
    errors = [
        SegmentationError(body_line + first + line, message)
        for first, _, cut in cuts
        for line, message in cut.errors
    ]
    return _keyed(cuts, body_line, blocks, path, anchors, region_file), errors


_BLOCK_START = re.compile(r"\n[ \t]*\n(?=[^\s{])")
"""A line that starts at its first column after an empty line (or a line of spaces, as a
region fence is read): it starts a block of its own, outside every list and quote."""
_LIST_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)


def split_blocks(text: str) -> list[tuple[int, str]] | None:
    """A body cut into parts that Markdown reads the same alone as together, each with the
    index of its first line; None when it cannot be cut safely.

    Finer than `markdown.split_sections`, for a finer reason: a revision changes a few
    paragraphs, and segments are placed in a text part by part. A part starts at a line that
    starts at the first column after an empty line, unless it is a list item (it may go on
    the list above) or an attribute list, or the line above it ends with one (`{#id}`
    belongs to the block after it). What else could make a part read differently alone
    (fenced code and HTML blocks, which may hold empty lines; link reference definitions,
    which serve the whole text) makes the text read whole.
    """
    if is_read_whole(text):
        return None
    parts = []
    start = first = 0
    for match in _BLOCK_START.finditer(text):
        if _LIST_ITEM.match(text, match.end()):
            continue
        end = match.start()
        while end > 0 and text[end - 1] in " \t":
            end -= 1
        if text[end - 1 : end] == "}":
            continue
        parts.append((first, text[start : match.start() + 1]))
        first += text.count("\n", start, match.end())
        start = match.end()
    parts.append((first, text[start:]))
    return parts


@functools.lru_cache(maxsize=16384)
def _cut_part(read: str, written: str) -> _Cut:
    """A part of a body cut alone: `read` as the parser reads it (fences blanked),
    `written` as the body has it."""
    return _cut(read, _read_body(written))


def _cut(read: str, body: _Body) -> _Cut:
    """The segments of a body (or a part of one) whose text the parser reads as `read`."""
    # The parser's own problems (a stray attribute list…) are the check's to report.
    env: dict[str, object] = {"problems": [], "file_lines": (), "where": SourceLocation("")}
    tokens = _PARSER.parse(read, env)
    found: list[_Found] = []
    errors: list[tuple[int, str]] = []
    containers: list[str] = []
    notes: list[str] = []
    """The labels of the footnotes being read (a note may hold another's)."""
    row = _Row()
    for index, token in enumerate(tokens):
        if token.type == "footnote_reference_open":
            notes.append(token.meta["label"])
        elif token.type == "footnote_reference_close":
            notes.pop()
        if token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            containers.append(token.type)
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            containers.pop()
        elif token.type == "table_open":
            row = _Row()
        elif token.type == "tr_open" and token.map is not None:
            row = _Row(token.map[0], row.number + 1)
        elif token.type in ("th_open", "td_open"):
            row.column += 1
        try:
            if token.type == "inline" and token.map is not None:
                opener = tokens[index - 1]
                segments = _inline_segment(opener, token, containers, row, body, env)
                if notes:  # the translator is told it is a footnote, and which
                    segments = [replace(f, detail=f"footnote [^{notes[-1]}]") for f in segments]
                found += segments
            elif token.type == "html_block" and token.map is not None:
                found += _html_segments(token, body)
        except _CannotCut as cut:
            errors.append((token.map[0] if token.map else 0, str(cut)))
    placed = []
    for f in found:
        if any(k == "text" and s.strip() for k, s, _, _ in f.raw):
            line = _line_of(body.starts, f.start)
            anchor = heading_anchor(f.heading_text.strip()) if f.kind == "heading" else ""
            pieces, codes = _number(f.raw)
            placed.append(_Placed(f.kind, f.detail, f.start, f.end, line, anchor, pieces, codes))
    return _Cut(tuple(placed), tuple(errors))


@dataclass(slots=True)
class _Row:
    """The table row being read: its line, its number, its cells so far."""

    line: int = 0
    number: int = 0
    column: int = 0
    cursor: int = 0
    """Where in the row's line the next cell is looked for."""


class _CannotCut(Exception):
    """A block whose source policygen cannot match with what the parser read."""


def _inline_segment(
    opener: Token,
    inline: Token,
    containers: list[str],
    row: _Row,
    body: _Body,
    env: dict[str, object],
) -> list[_Found]:
    assert inline.map is not None
    content = inline.content
    if not content.strip():
        return []
    if opener.type == "heading_open":
        kind: SegmentKind = "heading"
        detail = f"level {opener.tag[1]}"
        offsets = _line_offsets(content, inline.map[0], body, heading=True)
    elif opener.type in ("th_open", "td_open"):
        kind, detail = "table cell", f"row {row.number}, column {row.column}"
        offsets = _cell_offsets(content, row, body)
    else:
        kind = (
            "quote"
            if containers and containers[-1] == "blockquote_open"
            else ("list item" if containers else "paragraph")
        )
        detail = ""
        offsets = _line_offsets(content, inline.map[0], body, heading=False)
    raw = _inline_pieces(inline, content, env)
    heading_text = ""
    if kind == "heading":
        raw, heading_text = _without_heading_attributes(raw, inline)
    cut: list[tuple[PieceKind, str, str, int | None]] = []
    position = 0
    for piece_kind, length, what, pair in raw:
        source_start, source_end = offsets[position], offsets[position + length]
        cut.append((piece_kind, body.text[source_start:source_end], what, pair))
        position += length
    return [_Found(kind, detail, offsets[0], offsets[position], cut, heading_text)]


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _line_offsets(content: str, first: int, body: _Body, heading: bool) -> list[int]:
    """Body offset of each character of a block's inline content (and of its end)."""
    offsets: list[int] = []
    content_lines = content.split("\n")
    for number, text in enumerate(content_lines):
        source = body.lines[first + number]
        start = body.starts[first + number]
        if source.endswith(text):
            column = len(source) - len(text)
        elif source.rstrip(" \t").endswith(text):
            column = len(source.rstrip(" \t")) - len(text)
        elif heading and (found := source.find(text, source.find("#") + 1)) >= 0:
            column = found  # `## Title ##`: the closing sequence is not text
        elif (tab := _tab_indent(source, text)) is not None:
            # The parser reads a tab of the indentation as spaces up to the next tab stop:
            # those spaces stand for the tab, the words after them are as written.
            indent, column = tab
            spaces = len(text) - (len(source.rstrip(" \t")) - column)
            offsets += (start + min(indent + k, column - 1) for k in range(spaces))
            text = text[spaces:]
        else:
            raise _CannotCut(
                "this block cannot be cut into segments: its indentation mixes tabs and spaces; indent with spaces"
            )
        base = start + column
        offsets += range(base, base + len(text))
        offsets.append(base + len(text))  # the line break, or the end
    return offsets


def _tab_indent(source: str, text: str) -> tuple[int, int] | None:
    """Where a line's indentation with a tab starts, and where its words start, when the
    parser read `text` from it with that tab as spaces; else None."""
    words = text.lstrip(" ")
    written = source.rstrip(" \t") if words else source
    if words != text and written.endswith(words):
        column = len(written) - len(words)
        indent = len(written[:column].rstrip(" \t"))
        if "\t" in written[indent:column]:
            return indent, column
    return None


def _cell_offsets(content: str, row: _Row, body: _Body) -> list[int]:
    """Body offsets of a table cell's content: looked for in its row's line, cell by cell."""
    source = body.lines[row.line]
    written = content.replace("|", "\\|")  # the parser reads `\|` in a cell as `|`
    found = source.find(written, row.cursor)
    if found < 0:
        raise _CannotCut("this table row cannot be cut into cells")
    row.cursor = found + len(written)
    offsets = []
    position = body.starts[row.line] + found
    for char in content:
        if char == "|":
            position += 1
        offsets.append(position)
        position += 1
    offsets.append(position)
    return offsets


def _inline_pieces(
    inline: Token, content: str, env: dict[str, object]
) -> list[tuple[PieceKind, int, str, int | None]]:
    """(kind, length, what, pair) of an inline content's pieces, in order: they tile it.

    The tokens say what is markup; where it is, is read from the content, token by token.
    Content the walk cannot follow is one piece of text, its markup shown as written.
    """
    try:
        return _walk(inline.children or [], content, env)
    except _CannotCut:
        return [("text", len(content), "", None)]


def _walk(
    children: list[Token], content: str, env: dict[str, object]
) -> list[tuple[PieceKind, int, str, int | None]]:
    pieces: list[tuple[PieceKind, int, str, int | None]] = []
    opened: list[int] = []
    cursor = 0

    def expect(text: str) -> int:
        if not text or not content.startswith(text, cursor):
            raise _CannotCut(text)
        return cursor + len(text)

    def add(kind: PieceKind, end: int, what: str = "", pair: int | None = None) -> None:
        nonlocal cursor
        if end > cursor:
            pieces.append((kind, end - cursor, what, pair))
        cursor = end

    index = 0
    while index < len(children):
        token = children[index]
        kind = token.type
        if kind == "text":
            if token.content:
                add("text", expect(token.content))
        elif kind == "text_special":
            add("text", expect(token.markup))
        elif kind in ("softbreak", "hardbreak"):
            end = _skip(content, cursor, " \t")
            if kind == "hardbreak" and content.startswith("\\\n", cursor):
                end = cursor + 1
            if content[end : end + 1] != "\n":
                raise _CannotCut(kind)
            end = _skip(content, end + 1, " \t")
            add("space" if kind == "softbreak" else "code", end, "line break")
        elif kind in ("em_open", "strong_open", "s_open"):
            opened.append(len(pieces))
            add("open", expect(token.markup), _WHAT[kind])
        elif kind in ("em_close", "strong_close", "s_close", "link_close"):
            if not opened:
                raise _CannotCut(kind)
            pair = opened.pop()
            if kind == "link_close":
                label_end = expect("]")
                tail_end = _link_end(content, label_end, env)
                end = _attribute_list_end(content, tail_end)
                if content[label_end:tail_end] in ("", "[]"):
                    # `[label]` and `[label][]` link to a reference by their text: a
                    # translation of it would link nowhere, so the link stands whole.
                    start = cursor - sum(length for _, length, _, _ in pieces[pair:])
                    del pieces[pair:]
                    cursor = start
                    add("code", end, "link")
                    index += 1
                    continue
            elif kind in ("em_close", "strong_close"):
                end = _attribute_list_end(content, expect(token.markup))
            else:
                end = expect(token.markup)
            add("close", end, pieces[pair][2], pair)
        elif kind == "link_open" and token.markup == "linkify":
            # An address written bare: the text of the link is the address as written.
            if index + 2 >= len(children):
                raise _CannotCut(kind)
            add("code", expect(children[index + 1].content), "link")
            index += 3
            continue
        elif kind == "link_open" and token.markup == "autolink":
            end = content.find(">", expect("<"))
            if end < 0 or index + 2 >= len(children):
                raise _CannotCut(kind)
            add("code", end + 1, "link")
            index += 2  # its text and its closing token
        elif kind == "link_open":
            opened.append(len(pieces))
            add("open", expect("["), "link")
        elif kind == "footnote_ref":
            # A footnote's mark: the translation may move it, not drop it or change its label.
            add("code", expect(f"[^{token.meta['label']}]"), "footnote")
        elif kind == "code_inline":
            end = _closing_backticks(content, expect(token.markup), token.markup)
            add("code", _attribute_list_end(content, end), "code")
        elif kind == "html_inline":
            add("code", expect(token.content), "HTML")
        elif kind == "image":
            expect("![")
            label_end = parseLinkLabel(StateInline(content, _PARSER, env, []), cursor + 1)
            if label_end < 0:
                raise _CannotCut(kind)
            add("code", _link_end(content, label_end + 1, env), "image")
        else:
            raise _CannotCut(kind)
        index += 1
    if cursor != len(content) or opened:
        raise _CannotCut("end")
    return _pair_html(pieces, content)


_WHAT = {"em_open": "emphasis", "strong_open": "strong emphasis", "s_open": "strikethrough"}


def _skip(text: str, position: int, characters: str) -> int:
    while position < len(text) and text[position] in characters:
        position += 1
    return position


def _closing_backticks(content: str, position: int, marker: str) -> int:
    """The end of the code span whose opening backticks end at `position`."""
    while True:
        found = content.find(marker, position)
        if found < 0:
            raise _CannotCut("code")
        end = found + len(marker)
        if content[end : end + 1] != "`":
            return end
        position = _skip(content, end, "`")


def _attribute_list_end(content: str, position: int) -> int:
    """Past an attribute list right after a link, a code span or emphasis (`{: #id }`), which
    belongs to it."""
    if content[position : position + 1] != "{":
        return position
    close = content.find("}", position)
    attributes = parse_attribute_list(content[position : close + 1]) if close > 0 else None
    if attributes is None or attributes.is_definition:
        return position
    return close + 1


def _link_end(content: str, position: int, env: dict[str, object]) -> int:
    """The end of a link or image whose label's `]` ends at `position`: what markdown-it's
    link rule reads after it (an inline destination and title, or a reference label)."""
    maximum = len(content)
    label_end = position - 1
    if position < maximum and content[position] == "(":
        at = _skip(content, position + 1, " \t\n")
        if at < maximum:
            destination = parseLinkDestination(content, at, maximum)
            if destination.ok and _PARSER.validateLink(_PARSER.normalizeLink(destination.str)):
                at = destination.pos
            before_title = at
            at = _skip(content, at, " \t\n")
            title = parseLinkTitle(content, at, maximum)
            if at < maximum and before_title != at and title.ok:
                at = _skip(content, title.pos, " \t\n")
            if at < maximum and content[at] == ")":
                return at + 1
        position = at + 1 if at < maximum else position
    if position < maximum and content[position] == "[":
        end = parseLinkLabel(StateInline(content, _PARSER, env, []), position)
        if end >= 0:
            return end + 1
    return label_end + 1


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _pair_html(
    pieces: list[tuple[PieceKind, int, str, int | None]], content: str
) -> list[tuple[PieceKind, int, str, int | None]]:
    """Raw HTML tags that open and close an element around text become a pair."""
    result = list(pieces)
    position = 0
    opened: list[tuple[str, int]] = []
    for index, (kind, length, what, _) in enumerate(pieces):
        if kind == "code" and what == "HTML":
            tag = _TAG.match(content, position)
            if tag is not None:
                name = tag[2].lower()
                text = content[position : position + length]
                if not tag[1] and name not in VOID_HTML and not text.endswith("/>"):
                    opened.append((name, index))
                elif tag[1] and opened and opened[-1][0] == name:
                    _, start = opened.pop()
                    result[start] = ("open", pieces[start][1], f"HTML <{name}>", None)
                    result[index] = ("close", length, f"HTML <{name}>", start)
        position += length
    return result


def _without_heading_attributes(
    raw: list[tuple[PieceKind, int, str, int | None]], inline: Token
) -> tuple[list[tuple[PieceKind, int, str, int | None]], str]:
    """A heading's pieces without the attribute list that ends it (`## Title {#id}`)."""
    text = "".join(c.content for c in inline.children or () if c.type in ("text", "text_special"))
    last = inline.children[-1] if inline.children else None
    marker = heading_attributes(inline.content)
    if last is None or last.type != "text" or marker is None or not raw or raw[-1][0] != "text":
        return raw, text
    if heading_attributes(last.content) is None:
        return raw, text  # `\{#id}`: an escaped brace is text, as pages show it
    attributes = parse_attribute_list(marker[1])
    if attributes is None or attributes.is_definition:
        return raw, text
    cut = len(inline.content) - marker.start()
    kind, length, what, pair = raw[-1]
    kept = raw[:-1] + ([(kind, length - cut, what, pair)] if length > cut else [])
    return kept, text[: len(text) - len(marker[0])]


# Raw HTML blocks.


class _HtmlEvents(HTMLParser):
    """The start of every tag, text and entity of an HTML block, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[tuple[tuple[int, int], str, str]] = []
        """((line, column), kind, tag name): kinds start, end, startend, data, entity, other."""

    def _add(self, kind: str, tag: str = "") -> None:
        self.events.append((self.getpos(), kind, tag))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("startend", tag)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("data")

    def handle_entityref(self, name: str) -> None:
        self._add("entity")

    def handle_charref(self, name: str) -> None:
        self._add("entity")

    def handle_comment(self, data: str) -> None:
        self._add("other")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


def _html_segments(token: Token, body: _Body) -> list[_Found]:
    """The text of a raw HTML block, cut at every tag that is not inline (cells, items…)."""
    assert token.map is not None
    content = token.content.removesuffix("\n")
    offsets = _line_offsets(content, token.map[0], body, heading=False)
    reader = _HtmlEvents()
    try:
        reader.feed(content)
        reader.close()
    except AssertionError:  # Python's HTML parser on a marked section it does not know
        raise _CannotCut("this HTML block cannot be read: remove its '<![' section") from None
    content_starts = [0]
    for line in content.split("\n"):
        content_starts.append(content_starts[-1] + len(line) + 1)
    events = [
        (content_starts[line - 1] + column, kind, tag)
        for (line, column), kind, tag in reader.events
    ]
    events.append((len(content), "other", ""))
    found: list[_Found] = []
    run: list[tuple[int, int, str, str]] = []
    blocks: list[str] = []
    hidden = 0  # inside <script> or <style>: not text
    for (start, kind, tag), (end, _, _) in zip(events, events[1:], strict=False):
        if start == end:
            continue
        is_text = kind in ("data", "entity") and not hidden
        if is_text or (kind in ("start", "end", "startend") and tag in INLINE_HTML):
            run.append((start, end, kind, tag))
        else:
            found += _html_run(run, content, offsets, body, blocks)
            run = []
            if tag in ("script", "style"):
                hidden += 1 if kind == "start" else (-1 if kind == "end" and hidden else 0)
            if kind == "start" and tag not in VOID_HTML:
                blocks.append(tag)
            elif kind == "end" and tag in blocks:
                del blocks[len(blocks) - 1 - blocks[::-1].index(tag) :]
    found += _html_run(run, content, offsets, body, blocks)
    return found


def _html_run(
    run: list[tuple[int, int, str, str]],
    content: str,
    offsets: list[int],
    body: _Body,
    blocks: list[str],
) -> list[_Found]:
    """The segment a run of text and inline tags makes, without the space around it."""
    while run and run[0][2] == "data" and not content[run[0][0] : run[0][1]].strip():
        run = run[1:]
    while run and run[-1][2] == "data" and not content[run[-1][0] : run[-1][1]].strip():
        run = run[:-1]
    if not any(kind in ("data", "entity") for _, _, kind, _ in run):
        return []
    first_start, first_end, first_kind, first_tag = run[0]
    if first_kind == "data":
        text = content[first_start:first_end]
        run[0] = (first_start + len(text) - len(text.lstrip()), first_end, first_kind, first_tag)
    last_start, last_end, last_kind, last_tag = run[-1]
    if last_kind == "data":
        text = content[last_start:last_end]
        run[-1] = (last_start, last_end - len(text) + len(text.rstrip()), last_kind, last_tag)
    raw: list[tuple[PieceKind, str, str, int | None]] = []
    opened: list[tuple[str, int]] = []

    def source(start: int, end: int) -> str:
        return body.text[offsets[start] : offsets[end]]

    for start, end, kind, tag in run:
        if kind in ("data", "entity"):
            position = start
            for space in _SOFT_BREAK.finditer(content, start, end):
                if space.start() > position:
                    raw.append(("text", source(position, space.start()), "", None))
                raw.append(("space", source(space.start(), space.end()), "", None))
                position = space.end()
            if end > position:
                raw.append(("text", source(position, end), "", None))
            continue
        markup = source(start, end)
        what = f"HTML <{tag}>"
        if kind == "start" and tag not in VOID_HTML:
            opened.append((tag, len(raw)))
            raw.append(("code", markup, what, None))
        elif kind == "end" and opened and opened[-1][0] == tag:
            _, index = opened.pop()
            raw[index] = ("open", raw[index][1], what, None)
            raw.append(("close", markup, what, index))
        else:
            raw.append(("code", markup, what, None))
    block = blocks[-1] if blocks else ""
    segment_kind: SegmentKind = "table cell" if block in ("td", "th") else "html"
    return [
        _Found(
            segment_kind,
            f"<{block}>" if block else "",
            offsets[run[0][0]],
            offsets[run[-1][1]],
            [(k, s, w, p) for k, s, w, p in raw],
        )
    ]


# Keys, numbers and pieces.


def _keyed(
    cuts: Sequence[tuple[int, int, _Cut]],
    body_line: int,
    blocks: Sequence[RegionBlock],
    path: str,
    anchors: Mapping[int, str],
    region_file: str | None,
) -> list[Segment]:
    """The segments of a body's parts (each with its first line and its offset in the
    body), with their keys, file lines, regions and spans in the body."""
    named = [
        (b.lines[0], b.lines[1], ("not " if b.is_negated else "") + " ".join(sorted(b.regions)))
        for b in blocks
    ]
    found = [(first, start, item) for first, start, cut in cuts for item in cut.found]
    segments = []
    used: set[str] = set()
    anchor: str | None = None
    count = 0
    prefix = f"[{region_file}] " if region_file else ""
    for first, start, item in found:
        line = first + item.line
        file_line = body_line + line
        region = next((name for low, high, name in named if low < line < high), region_file)
        if item.kind == "heading":
            anchor = anchors.get(file_line) or item.text_anchor
            count = 0
            key = f"#{anchor}"
        else:
            count += 1
            key = f"#{anchor} {count}" if anchor else str(count)
        key = prefix + key
        if region != region_file:
            key += f" [region {region}]"
        unique, number = key, 2
        while unique in used:
            unique, number = f"{key} ~{number}", number + 1
        used.add(unique)
        segments.append(
            Segment(
                unique,
                item.kind,
                item.detail,
                path,
                file_line,
                anchor,
                region,
                (item.start + start, item.end + start),
                item.pieces,
                item.codes,
            )
        )
    return segments


def _number(
    raw: Sequence[tuple[PieceKind, str, str, int | None]],
) -> tuple[tuple[Piece, ...], tuple[Code, ...]]:
    """Pieces with their placeholders numbered in text order; text that looks like a
    placeholder is made one, so that no placeholder a translator sees is ambiguous."""
    expanded: list[tuple[PieceKind, str, str, int | None]] = []
    moved: dict[int, int] = {}
    for index, (kind, source, what, pair) in enumerate(raw):
        moved[index] = len(expanded)
        if kind != "text":
            expanded.append((kind, source, what, None if pair is None else moved[pair]))
            continue
        position = 0
        for lookalike in PLACEHOLDER.finditer(source):
            if lookalike.start() > position:
                expanded.append(("text", source[position : lookalike.start()], "", None))
            expanded.append(("code", lookalike[0], "text", None))
            position = lookalike.end()
        if position < len(source):
            expanded.append(("text", source[position:], "", None))
    closing = {pair: index for index, (_, _, _, pair) in enumerate(expanded) if pair is not None}
    numbers: dict[int, int] = {}
    codes: list[Code] = []
    pieces: list[Piece] = []
    for index, (kind, source, what, pair) in enumerate(expanded):
        if kind in ("text", "space"):
            pieces.append(Piece(kind, source))
            continue
        if kind == "close":
            assert pair is not None
            pieces.append(Piece("close", source, numbers[pair]))
            continue
        number = len(codes) + 1
        numbers[index] = number
        if kind == "open" and index in closing:
            codes.append(Code(number, source, expanded[closing[index]][1], what))
            pieces.append(Piece("open", source, number))
        else:
            codes.append(Code(number, source, None, what))
            pieces.append(Piece("code", source, number))
    return tuple(pieces), tuple(codes)


# Translations.


@dataclass(frozen=True, slots=True)
class Mark:
    """A placeholder in a translation."""

    kind: Literal["open", "close", "code"]
    number: int
    start: int
    """Where it is in the translation."""


def read_placeholders(text: str) -> list[Mark]:
    """The placeholders of a translation, in order."""
    marks = []
    for match in PLACEHOLDER.finditer(text):
        if match[1]:
            marks.append(Mark("open", int(match[1]), match.start()))
        elif match[2]:
            marks.append(Mark("close", int(match[2]), match.start()))
        else:
            marks.append(Mark("code", int(match[3]), match.start()))
    return marks


def check_placeholders(segment: Segment, translation: str) -> list[str]:
    """What is wrong with the placeholders of a translation of `segment` (nothing: [])."""
    codes = {code.number: code for code in segment.codes}
    problems: list[str] = []
    seen: dict[tuple[str, int], int] = {}
    opened: list[int] = []
    for mark in read_placeholders(translation):
        code = codes.get(mark.number)
        written = {
            "open": f"<{mark.number}>",
            "close": f"</{mark.number}>",
            "code": f"{{{mark.number}}}",
        }
        if code is None or (mark.kind == "code") == code.is_pair:
            problems.append(
                f"the translation has the placeholder {written[mark.kind]}, which the source text does not have{_legend(segment)}"
            )
            continue
        seen[(mark.kind, mark.number)] = seen.get((mark.kind, mark.number), 0) + 1
        if seen[(mark.kind, mark.number)] > 1:
            problems.append(f"the placeholder {written[mark.kind]} is written twice: keep it once")
            continue
        if mark.kind == "open":
            opened.append(mark.number)
        elif mark.kind == "close":
            if mark.number not in opened:
                problems.append(
                    f"the placeholder </{mark.number}> comes before <{mark.number}>: write <{mark.number}>…</{mark.number}> around the words it marks"
                )
            elif opened[-1] != mark.number:
                inner = opened[-1]
                problems.append(
                    f"the placeholders <{mark.number}>…</{mark.number}> and <{inner}>…</{inner}> cross: close <{inner}> before </{mark.number}>, or open it after"
                )
                opened.remove(mark.number)
            else:
                opened.pop()
    for code in segment.codes:
        kinds = ("open", "close") if code.is_pair else ("code",)
        if any((kind, code.number) not in seen for kind in kinds):
            problems.append(
                f"the translation lacks the placeholder {code.placeholder} ({_describe(code)}): keep every placeholder, where the translation needs it"
            )
    # Each problem once: a translation that repeats a placeholder 200,000 times is one error.
    return list(dict.fromkeys(problems))


def _legend(segment: Segment) -> str:
    if not segment.codes:
        return " (it has none)"
    return f" (it has {', '.join(code.placeholder for code in segment.codes)})"


def _describe(code: Code) -> str:
    shown = code.opening if code.closing is None else f"{code.opening}…{code.closing}"
    shown = shown.replace("\n", "⏎")
    return f"{code.what} {shown}" if code.what not in ("line break", "text") else code.what


def describe_codes(segment: Segment) -> str:
    """The placeholders of a segment and the markup they stand for, for a translator's note."""
    return "; ".join(f"{code.placeholder} {_describe(code)}" for code in segment.codes)


def expand(segment: Segment, translation: str) -> str:
    """The Markdown of a translation (placeholders checked): placeholders become the
    source's markup; a line break typed in the text is a space (the file keeps the source's
    line breaks), except the one that follows a line-break placeholder, which is its own."""
    if translation in (segment.text, segment.spaced_text):
        return segment.source
    # A carriage return (PO's "\\r", XLIFF's "&#13;") is a line break, as Markdown reads it.
    translation = re.sub(r"\r\n?", "\n", translation)
    codes = {code.number: code for code in segment.codes}
    out = []
    position = 0
    after_break = False
    for mark in read_placeholders(translation):
        out.append(_text(translation[position : mark.start], after_break))
        code = codes[mark.number]
        if mark.kind == "close":
            assert code.closing is not None
            out.append(code.closing)
        else:
            out.append(code.opening)
        after_break = code.is_break
        position = translation.index(">" if mark.kind != "code" else "}", mark.start) + 1
    out.append(_text(translation[position:], after_break))
    return "".join(out).strip(" \t\n")


def _text(text: str, after_break: bool) -> str:
    if after_break:
        text = text.lstrip(" \t").removeprefix("\n").lstrip(" \t")
    return _TYPED_BREAKS.sub(" ", text)


def fill_body(body: str, segments: Sequence[Segment], translations: Mapping[str, str]) -> str:
    """The body with each segment that has a translation replaced by it (others as written)."""
    out = []
    cursor = 0
    for segment in segments:
        if segment.span is None:
            continue
        start, end = segment.span
        out.append(body[cursor:start])
        translation = translations.get(segment.key)
        out.append(body[start:end] if translation is None else expand(segment, translation))
        cursor = end
    out.append(body[cursor:])
    return "".join(out)


def structure_change(
    expected: Sequence[Segment], translations: Mapping[str, str], found: Sequence[Segment]
) -> tuple[Segment, str] | None:
    """The first segment whose translation changed the text's structure (`found`: the
    segments of the filled text), and what changed; None when the structure is the source's."""
    for index, segment in enumerate(expected):
        if index >= len(found):
            return segment, "the text after it is read differently"
        other = found[index]
        translation = translations.get(segment.key, segment.text)
        if other.kind != segment.kind or other.detail != segment.detail:
            return segment, f"it is no longer read as a {segment.kind}"
        wanted = [_mark_markup(segment, mark) for mark in read_placeholders(translation)]
        got = [piece.source for piece in other.pieces if piece.kind in ("open", "close", "code")]
        if wanted != got:
            return segment, "Markdown reads markup in it that is not the source's placeholders"
        written = expand(segment, translation) if segment.key in translations else segment.source
        if segment.span is not None and other.source != written:
            # A table row keeps as many cells as its header has: a '|' in a cell's
            # translation made the words after it the next cell's, and the next cell's
            # translation was dropped from the page.
            return segment, f"Markdown reads only '{excerpt(other.source)}' of it as its words"
    if len(found) > len(expected):
        return expected[-1], "the text after it is read differently"
    return None


def _mark_markup(segment: Segment, mark: Mark) -> str:
    code = segment.codes[mark.number - 1]
    return code.closing if mark.kind == "close" and code.closing is not None else code.opening


def strip_keys(segments: Iterable[Segment]) -> list[Segment]:
    """Segments without their keys: for comparing structure only."""
    return [replace(segment, key="") for segment in segments]
