"""A canonical text → its blocks: the leaves of its structure, each with the containers it is in.

A text is read as its page shows it: rendered by `render_markdown` (so sanitized), then read
back from that HTML. A table or a list written in raw HTML is read into rows, cells, items and
paragraphs exactly as one written in Markdown, and what the sanitizer drops is gone here too.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import unescape
from typing import Literal, NamedTuple

from markupsafe import escape

from ..canonical import CanonicalText
from ..errors import SourceLocation
from ..footnotes import without_back_links
from ..markdown import (
    FULL_WIDTH_NUMBERS,
    SECTION_NUMBER,
    RenderedText,
    render_markdown,
    rendered_sections,
)
from ..rawhtml import read_span

BlockKind = Literal["heading", "paragraph", "row", "code", "rule", "empty", "raw"]
Attrs = tuple[tuple[str, str], ...]
"""An element's attributes, values unescaped, in the order the sanitizer wrote them."""

VOID_ELEMENTS = frozenset({"br", "col", "hr", "img", "wbr"})
INLINE_ELEMENTS = frozenset(
    {
        "a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd",
        "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup",
        "time", "u", "wbr",
    }
)  # fmt: skip
"""Phrasing elements: a run of them and of text is one block's content."""
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})

_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"\'<>/=]+(?:\s*=\s*"[^"]*")?)*)\s*/?>')
"""A tag as the sanitizer writes it: attribute values always in double quotes."""
_ATTRIBUTE = re.compile(r'([^\s"\'<>/=]+)(?:\s*=\s*"([^"]*)")?')


@dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """A container of blocks in one text: a list, a list item, a quote, a table and its parts…

    Compared by identity: two list items with the same words are still two list items.
    """

    kind: str
    """"list" for ul and ol alike (a list changing type is not all noise); "cell" for the td
    and th of a layout table; otherwise the element's name."""
    tag: str
    attrs: Attrs
    parent: Frame | None
    number: int = 0
    """A list item's place in its list, counting from 1; 0 for other containers."""

    @property
    def id(self) -> str:
        return dict(self.attrs).get("id", "")


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of a table row."""

    tag: str
    """"th" or "td"."""
    attrs: Attrs
    html: str
    """Its content, as sanitized HTML."""
    text: str
    """Its visible text, whitespace collapsed."""
    content: str
    """Its element with whitespace collapsed: equal contents, nothing to mark."""
    is_flow: bool
    """It holds paragraphs, lists or tables, not only words."""


class Block(NamedTuple):
    """A leaf of a text's structure: what gets aligned and, when edited, diffed word by word.

    A tuple rather than a frozen dataclass, whose fields are slow to set: texts have many
    blocks, and a block in a section a text holds twice is made again in its containers."""

    kind: BlockKind
    tag: str
    """Its own element ("h2", "p", "tr", "pre", "hr"), or "" for words straight inside a
    container (a tight list item's text) and for empty containers."""
    attrs: Attrs
    path: tuple[Frame, ...]
    """The containers it is in, outermost first."""
    signature: str
    """Its kind and the kinds of its containers: only blocks alike in these pair up."""
    text: str
    """Its visible text, whitespace collapsed: what a reader reads."""
    content: str
    """Its HTML, whitespace collapsed: equal contents, nothing to mark, not even form."""
    key: str
    """What blocks are aligned by: `signature` and `text`, but a heading's without its section
    number, so that a section inserted early does not make every later heading new."""
    html: str
    """Its content as sanitized HTML (a raw block: the whole element)."""
    cells: tuple[Cell, ...] = ()
    title: str = ""
    """Plain text of a heading."""
    level: int = 0
    """Heading level."""
    number: int = 0
    """A table row's place among the rows of its table's body, counting from 1."""
    element: str = ""
    """The block as a redline writes it when it did not change: `element_html` of it."""

    @property
    def anchor(self) -> str:
        """Its id, if its element has one."""
        return dict(self.attrs).get("id", "")

    def with_html(self, html: str) -> Block:
        """The same block with other content (a part of its own, cut at a paragraph break)."""
        text = visible_text(html)
        content = collapse((start_tag(self.tag, self.attrs) if self.tag else "") + html)
        return self._replace(
            text=text,
            content=content,
            key=f"{self.signature}\x1f{text}",
            html=html,
            element=element_html(self.kind, self.tag, self.attrs, html),
        )

    def moved_to(self, path: tuple[Frame, ...]) -> Block:
        """The same block in other containers."""
        return Block(
            self.kind,
            self.tag,
            self.attrs,
            path,
            self.signature,
            self.text,
            self.content,
            self.key,
            self.html,
            self.cells,
            self.title,
            self.level,
            self.number,
            self.element,
        )


# Small on purpose: callers walk each language and region's revisions in order, so a text
# is read as the new side of one pair and then as the old side of the next.
@functools.lru_cache(maxsize=16)
def read_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a canonical text, in order, as its page shows them: a section of its
    HTML at a time (see `rendered_sections`), each distinct section read once; a text
    rendered whole, or with raw HTML, whole."""
    sections = rendered_sections(text)
    if sections is None:
        return parse_blocks(text)
    blocks: list[Block] = []
    seen: set[str] = set()
    for html in sections:
        if html not in seen:
            seen.add(html)
            blocks.extend(_section_blocks(html))
            continue
        # A text may hold a section twice: each of its containers is its own.
        copies: dict[int, Frame] = {}
        for block in _section_blocks(html):
            path = tuple(_copy_frame(frame, copies) for frame in block.path)
            blocks.append(block.moved_to(path) if path else block)
    return tuple(blocks)


def with_own_containers(blocks: tuple[Block, ...], others: tuple[Block, ...]) -> tuple[Block, ...]:
    """`blocks` with containers of their own wherever they share one with `others`: the two
    texts of a redline hold some sections alike, read once (`read_blocks`), and a container
    is one text's, kept, deleted or inserted (a section moved is deleted from one place and
    inserted at another)."""
    theirs = {id(frame) for block in others for frame in block.path}
    if not any(id(frame) in theirs for block in blocks for frame in block.path):
        return blocks
    copies: dict[int, Frame] = {}
    return tuple(
        block.moved_to(tuple(_copy_frame(frame, copies) for frame in block.path))
        if any(id(frame) in theirs for frame in block.path)
        else block
        for block in blocks
    )


def with_copied_containers(blocks: Sequence[Block]) -> list[Block]:
    """`blocks` in copies of their containers: the same blocks read a second time, which
    pair with other blocks than the first time, in containers of their own."""
    copies: dict[int, Frame] = {}
    return [
        block.moved_to(tuple(_copy_frame(frame, copies) for frame in block.path))
        if block.path
        else block
        for block in blocks
    ]


def _copy_frame(frame: Frame, copies: dict[int, Frame]) -> Frame:
    if id(frame) not in copies:
        parent = _copy_frame(frame.parent, copies) if frame.parent is not None else None
        copies[id(frame)] = Frame(frame.kind, frame.tag, frame.attrs, parent, frame.number)
    return copies[id(frame)]


@functools.lru_cache(maxsize=16384)
def _section_blocks(html: str) -> tuple[Block, ...]:
    return read_html_blocks(html)


def parse_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of a whole text, read from its rendered page HTML."""
    # A note's links back to its marks are not its words (see `without_back_links`).
    return read_html_blocks(without_back_links(_render(text).html))


def _render(text: str) -> RenderedText:
    lines = tuple(range(1, text.count("\n") + 2))
    return render_markdown(CanonicalText(text, lines), SourceLocation(""))


def read_html_blocks(html: str, path: tuple[Frame, ...] = ()) -> tuple[Block, ...]:
    """Sanitized HTML → its blocks, inside the containers `path`."""
    reader = _Reader()
    reader.read(_children(_parse_html(html)), path)
    return tuple(reader.blocks)


# --- HTML as a tree -----------------------------------------------------------------------


@dataclass(slots=True)
class _Element:
    """An element of sanitized HTML, built while the HTML is read."""

    tag: str
    attrs: Attrs
    children: list[_Element | str]
    """Elements, and text as escaped in the HTML."""


def _parse_html(html: str) -> _Element:
    """Sanitized (so well-formed) HTML → its tree, under a root element named ""."""
    root = _Element("", (), [])
    stack = [root]
    position = 0
    for match in _TAG.finditer(html):
        if match.start() > position:
            stack[-1].children.append(html[position : match.start()])
        position = match.end()
        tag = match.group(2).lower()
        if match.group(1):
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    break
            continue
        attrs = tuple(
            (name.lower(), unescape(value or ""))
            for name, value in _ATTRIBUTE.findall(match.group(3))
        )
        element = _Element(tag, attrs, [])
        stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            stack.append(element)
    if position < len(html):
        stack[-1].children.append(html[position:])
    return root


def _is_table_wrapper(element: _Element) -> bool:
    """The scrolling region `render_markdown` puts around every table (authors cannot write
    its role): the redline writes its own."""
    return element.tag == "div" and ("role", "region") in element.attrs


def _children(element: _Element) -> Iterator[_Element | str]:
    for child in element.children:
        if isinstance(child, _Element) and _is_table_wrapper(child):
            yield from _children(child)
        else:
            yield child


def start_tag(tag: str, attrs: Iterable[tuple[str, str]]) -> str:
    """An element's start tag, its attribute values escaped."""
    return "<" + tag + "".join(f' {name}="{escape(value)}"' for name, value in attrs) + ">"


def serialize(nodes: Iterable[_Element | str]) -> str:
    """Nodes → HTML, as the page has them (up to attribute escaping)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        else:
            parts.append(start_tag(node.tag, node.attrs))
            if node.tag not in VOID_ELEMENTS:
                parts.append(serialize(node.children))
                parts.append(f"</{node.tag}>")
    return "".join(parts)


def visible_text(html: str) -> str:
    """The words of some HTML as a reader reads them, whitespace collapsed."""
    return collapse(unescape(_TAG.sub(_tag_space, html)))


def _tag_space(match: re.Match[str]) -> str:
    # A line break separates words, and so does a block (a cell's heading or list from the
    # words after it); inline tags do not ("<b>in</b>valid" is one word).
    tag = match.group(2).lower()
    return " " if tag == "br" or tag not in INLINE_ELEMENTS else ""


def collapse(text: str) -> str:
    """`text` with each run of whitespace one space, none at its ends (`str.split` finds the
    runs a regular expression's \\s would, four times as fast)."""
    return " ".join(text.split())


def _has_heading(nodes: Iterable[_Element | str]) -> bool:
    return any(
        isinstance(node, _Element) and (node.tag in HEADINGS or _has_heading(node.children))
        for node in nodes
    )


def _is_layout_table(table: _Element) -> bool:
    """A table laid out around headings and sections, not one of rows of data: its cells
    are containers of the text, and their headings make sections like any other.

    A table with a head (every table written in Markdown has one) names its columns: it is
    one of rows, whatever its cells hold. A page converted to Markdown writes the headings a
    cell held in the cell (see `markdown._show_cell_blocks`), as parts of its row."""
    parts = [part for part in _children(table) if isinstance(part, _Element)]
    return not any(part.tag == "thead" for part in parts) and any(
        part.tag in ("tr", *_TABLE_PARTS) and _has_heading(part.children) for part in parts
    )


# --- Blocks -------------------------------------------------------------------------------


class _Reader:
    """Walks an HTML tree, collecting its blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def read(self, nodes: Iterable[_Element | str], path: tuple[Frame, ...]) -> None:
        """The blocks of the content of a container (or of the whole text)."""
        before = len(self.blocks)
        run: list[_Element | str] = []
        items = 0
        for node in nodes:
            if isinstance(node, str) or (node.tag in INLINE_ELEMENTS and _is_phrasing(node)):
                run.append(node)
                continue
            self._words(run, path)
            run = []
            if node.tag == "li":
                items += 1
            self._element(node, path, items if node.tag == "li" else 0)
        self._words(run, path)
        if path and len(self.blocks) == before:
            # An empty list item or quote still shows, so it is kept as an empty block.
            self._add("empty", "", (), path, "")

    def _words(self, run: list[_Element | str], path: tuple[Frame, ...]) -> None:
        """Words straight inside a container: a block with no element of its own."""
        html = serialize(run).strip()
        if html:
            self._add("paragraph", "", (), path, html)

    def _element(self, element: _Element, path: tuple[Frame, ...], number: int) -> None:
        tag = element.tag
        html = serialize(element.children)
        if tag in HEADINGS:
            self._add(
                "heading",
                tag,
                element.attrs,
                path,
                html,
                title=visible_text(html),
                level=int(tag[1]),
            )
        elif tag == "p":
            self._add("paragraph", tag, element.attrs, path, html)
        elif tag == "pre":
            self._add("code", tag, element.attrs, path, html)
        elif tag == "hr":
            self._add("rule", tag, element.attrs, path, "")
        elif tag == "colgroup":
            self._add("raw", "", (), path, serialize([element]))
        elif tag == "table":
            self._table(element, path)
        else:
            frame = Frame(_frame_kind(tag), tag, element.attrs, _parent(path), number)
            self.read(_children(element), (*path, frame))

    def _table(self, table: _Element, path: tuple[Frame, ...]) -> None:
        frame = Frame("table", "table", table.attrs, _parent(path))
        inside = (*path, frame)
        if _is_layout_table(table):
            self._layout(table, inside)
            return
        rows = 0
        layouts = iter(_span_layouts(table))
        for part in _children(table):
            if isinstance(part, str):
                continue
            if part.tag not in ("tr", *_TABLE_PARTS):
                self._element(part, inside, 0)
                continue
            section = Frame(part.tag, part.tag, part.attrs, frame) if part.tag != "tr" else None
            for row in _children(part) if section is not None else [part]:
                if isinstance(row, _Element) and row.tag == "tr":
                    # Head rows (a thead's, or rows of th alone above the first of data) are
                    # not counted: "row 1" is the first row of data.
                    is_head = part.tag == "thead" or (rows == 0 and _is_head_row(row))
                    rows += not is_head
                    path_in = (*inside, section) if section is not None else inside
                    self._row(row, path_in, 0 if is_head else rows, *next(layouts))

    def _layout(self, element: _Element, path: tuple[Frame, ...]) -> None:
        """A layout table's rows and cells are containers like any other."""
        for child in _children(element):
            if isinstance(child, _Element):
                kind = "cell" if child.tag in ("td", "th") else child.tag
                frame = Frame(kind, child.tag, child.attrs, path[-1])
                inside = (*path, frame)
                if child.tag in ("td", "th", "caption"):
                    self.read(_children(child), inside)
                else:
                    self._layout(child, inside)

    def _row(
        self, row: _Element, path: tuple[Frame, ...], number: int, layout: str, rows_left: int
    ) -> None:
        cells = []
        for cell in _children(row):
            if isinstance(cell, _Element) and cell.tag in ("td", "th"):
                html = serialize(cell.children)
                # A rowspan as the rows the cell spans: on a redline, rows inserted after
                # deleted ones share their row group, and a cell that spanned the rest of its
                # group (`rowspan="0"`, or more rows than are left) would span them too.
                attrs = tuple(
                    (name, str(_spans(cell, rows_left)[0]) if name == "rowspan" else value)
                    for name, value in cell.attrs
                )
                cells.append(
                    Cell(
                        cell.tag,
                        attrs,
                        html,
                        visible_text(html),
                        collapse(start_tag(cell.tag, attrs) + html),
                        any(
                            isinstance(node, _Element) and node.tag not in INLINE_ELEMENTS
                            for node in cell.children
                        ),
                    )
                )
        html = "".join(
            f"{start_tag(cell.tag, cell.attrs)}{cell.html}</{cell.tag}>" for cell in cells
        )
        self._add(
            "row", "tr", row.attrs, path, html, cells=tuple(cells), number=number, layout=layout
        )

    def _add(
        self,
        kind: BlockKind,
        tag: str,
        attrs: Attrs,
        path: tuple[Frame, ...],
        html: str,
        *,
        cells: tuple[Cell, ...] = (),
        title: str = "",
        level: int = 0,
        number: int = 0,
        layout: str = "",
    ) -> None:
        signature = "/".join(frame.kind for frame in path) + "|" + kind + layout
        if kind == "row":
            text = "\x1e".join(cell.text for cell in cells)
            content = collapse(start_tag(tag, attrs)) + "\x1e".join(c.content for c in cells)
        else:
            text = visible_text(html)
            content = collapse((start_tag(tag, attrs) if tag else "") + html)
        aligned = text
        if kind == "heading" and (
            section_number := SECTION_NUMBER.match(text.translate(FULL_WIDTH_NUMBERS))
        ):
            aligned = text[section_number.end() :]
        self.blocks.append(
            Block(
                kind,
                tag,
                attrs,
                path,
                signature,
                text,
                content,
                f"{signature}\x1f{aligned}",
                html,
                cells,
                title,
                level,
                number,
                element_html(kind, tag, attrs, html),
            )
        )


def element_html(kind: BlockKind, tag: str, attrs: Attrs, content: str) -> str:
    """A block's element around its (redlined) content, as a redline writes it."""
    if kind == "rule":
        return start_tag("hr", attrs) + "\n"
    if not tag:
        # Words with no element of their own (a tight list item's text): an anchor goes on an
        # empty element before them.
        anchor = dict(attrs).get("id")
        before = f'<span id="{escape(anchor)}"></span>' if anchor else ""
        if kind == "paragraph":
            return before + content
        return before + content + "\n" if content else before
    return f"{start_tag(tag, attrs)}{content}</{tag}>\n"


def _is_head_row(row: _Element) -> bool:
    cells = [cell for cell in _children(row) if isinstance(cell, _Element)]
    return bool(cells) and all(cell.tag == "th" for cell in cells)


def _is_phrasing(element: _Element) -> bool:
    """Whether an element holds only text and phrasing: raw HTML can leave one open around
    paragraphs (`<kbd>` on a line of its own, never closed), and the sanitizer keeps them
    inside it, which makes it a container of blocks rather than words of one."""
    return all(
        isinstance(child, str) or (child.tag in INLINE_ELEMENTS and _is_phrasing(child))
        for child in element.children
    )


def _span_layouts(table: _Element) -> list[tuple[str, int]]:
    """For each row of a table, in order: how the rows it shares cells with are laid out
    (how many there are, and where each cell that spans rows or columns starts and how far
    it goes) and which of them it is, or "" for a row that shares no cell and has none that
    spans columns; and how many rows are left in its row group, itself included.

    Rows laid out otherwise do not pair: cells compared row by row would show a cell deleted
    from a row that a cell above now spans, in a column of its own. The rows of such a group
    are shown deleted and the new ones inserted, each group as it is laid out."""
    rows: list[list[_Element]] = []
    group_ends: list[int] = []  # where each row's row group (a thead, tbody, tfoot) ends

    def end_group() -> None:
        group_ends.extend([len(rows)] * (len(rows) - len(group_ends)))

    for part in _children(table):
        if not isinstance(part, _Element):
            continue
        if part.tag == "tr":  # rows written in the table are one group, up to another part
            rows.append(_cells(part))
            continue
        end_group()
        if part.tag in _TABLE_PARTS:
            rows += [
                _cells(row)
                for row in _children(part)
                if isinstance(row, _Element) and row.tag == "tr"
            ]
            end_group()
    end_group()
    # A cell spans rows no further than the end of its row group, as browsers lay it out.
    spans = [
        [
            (column, *size)
            for column, cell in enumerate(cells)
            if (size := _spans(cell, group_ends[index] - index)) != (1, 1)
        ]
        for index, cells in enumerate(rows)
    ]
    layouts = [""] * len(rows)
    start = 0
    while start < len(rows):
        end = start + 1  # the group's rows: those its cells span, and theirs in turn
        index = start
        while index < end:
            for _, down, _ in spans[index]:
                end = min(len(rows), max(end, index + down))
            index += 1
        if any(spans[index] for index in range(start, end)):
            layout = f"{end - start}:" + ",".join(
                f"{index - start}.{column}.{down}x{across}"
                for index in range(start, end)
                for column, down, across in spans[index]
            )
            # A digest: the rows of a group of thousands would each carry its whole layout.
            # Each row's place in its group goes with it: the first row of a group pairs
            # only with the first row of one laid out alike.
            digest = hashlib.blake2b(layout.encode(), digest_size=8).hexdigest()
            layouts[start:end] = [f"{LAID_OUT}{digest}.{k}" for k in range(end - start)]
        start = end
    return [
        (layout, end - index)
        for index, (layout, end) in enumerate(zip(layouts, group_ends, strict=True))
    ]


LAID_OUT = " laid out "
"""What a row's signature ends with, before its span layout and its place in it, when it
shares cells with other rows or has one that spans columns (see `_span_layouts`)."""


def span_place(block: Block) -> tuple[str, int] | None:
    """A row's span layout and its place among the rows laid out together, or None for a
    block that is no such row."""
    if block.kind != "row" or LAID_OUT not in block.signature:
        return None
    layout, _, place = block.signature.rpartition(LAID_OUT)[2].rpartition(".")
    return layout, int(place)


def _cells(row: _Element) -> list[_Element]:
    return [
        cell for cell in _children(row) if isinstance(cell, _Element) and cell.tag in ("td", "th")
    ]


def _spans(cell: _Element, rows_left: int) -> tuple[int, int]:
    """How many rows and columns a cell spans, as browsers read its rowspan and colspan (`+2`
    as 2, a rowspan of 0 as the `rows_left` of its row group), at most the rows left."""
    attrs = dict(cell.attrs)
    rows = read_span(attrs.get("rowspan", ""), 65534, 0) or rows_left
    return min(rows, rows_left), read_span(attrs.get("colspan", ""), 1000, 1)


def _frame_kind(tag: str) -> str:
    return "list" if tag in ("ul", "ol") else tag


def _parent(path: tuple[Frame, ...]) -> Frame | None:
    return path[-1] if path else None
