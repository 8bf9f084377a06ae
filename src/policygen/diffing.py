"""Two canonical Markdown texts → a Redline: their sections, with inserted and deleted words marked.

Structure first, then words. Both texts are parsed with our `MARKDOWN` into blocks (headings,
paragraphs, table rows, code and HTML blocks, each with the lists, list items, blockquotes
and tables it sits in). Blocks are aligned by their keys with `difflib.SequenceMatcher`; inside
a replaced run, blocks of the same kind are paired by similarity, and only paired blocks are
diffed token by token: words in space-separated scripts, characters in Chinese, Japanese,
Korean and Thai. Everything written comes from our sanitized renderer's output or from escaped
text, and whitespace never counts as a change.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape
from html.parser import HTMLParser
from typing import Literal

from markdown_it.token import Token
from markupsafe import Markup, escape

from .errors import SourceLocation
from .markdown import (
    FULL_WIDTH_NUMBERS,
    MARKDOWN,
    SANITIZER,
    SECTION_NUMBER,
    TABLE_SCROLL_OPEN,
    plain_text,
    split_sections,
)

SectionChange = Literal["added", "removed", "modified", "unchanged"]
BlockKind = Literal["heading", "paragraph", "row", "code", "html", "rule", "empty"]
Mark = Literal["ins", "del"]
Opcode = tuple[str, int, int, int, int]
"""A difflib opcode: tag, old start, old end, new start, new end."""

INSERTED_BLOCK_CLASS = "redline-block-inserted"
"""Class of an element whose whole content was inserted (the outermost such element only)."""
DELETED_BLOCK_CLASS = "redline-block-deleted"
"""Class of an element whose whole content was deleted (the outermost such element only)."""
HIDDEN_LABEL_CLASS = "visually-hidden"
"""Class of the localized "inserted: " / "deleted: " label at the start of each mark."""

PAIRING_THRESHOLD = 0.5
"""Two blocks less similar than this read better as a deletion and an insertion than as an edit."""
SAME_ANCHOR_SIMILARITY = 0.55
"""Two headings with the same anchor (section number or `{#id}`) are the same section renamed."""
FULL_PAIRING_CELLS = 2500
"""Replaced runs up to this many old × new blocks are paired optimally; longer ones greedily."""
GREEDY_WINDOW = 12
"""How far ahead greedy pairing looks for a block's counterpart, so it stays linear."""
INLINE_BUDGET = 250_000
"""Old × new tokens in the middle of an edited block above which difflib skips frequent tokens."""

_CHARACTER_SCRIPTS = (
    "\u0e00-\u0e7f"  # Thai
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u318f"  # Bopomofo, Hangul compatibility Jamo
    "\u31a0-\u4dbf"  # Bopomofo extended … CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7ff"  # Hangul syllables, Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # half-width and full-width forms
    "\U00020000-\U0003ffff"  # CJK extensions B and later
)
_COMBINING = "\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u200c\u200d\u3099\u309a\ufe00-\ufe0f"
_PUNCTUATION = (
    "!\"#$%&'()*+,./:;<=>?@\\[\\]^`{|}~\\-"
    "\u00a1\u00a7\u00ab\u00b6\u00b7\u00bb\u00bf"
    "\u055c-\u055f\u0589\u05be\u05c0\u05c3\u05f3\u05f4"
    "\u060c\u061b\u061f\u066a-\u066d\u06d4\u0964\u0965"
    "\u2010-\u2027\u2030-\u205e\u2e00-\u2e7f"
)
_WORD = f"[^\\s{_PUNCTUATION}{_CHARACTER_SCRIPTS}]"
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    rf"|(?P<char>[{_CHARACTER_SCRIPTS}][{_COMBINING}]*)"
    # "4.2", "e-mail", "don't", "1,000" and "10:30" are one word each.
    rf"|(?P<word>{_WORD}+(?:[.,'\u2019:/@-]{_WORD}+)*)"
    r"|(?P<other>.)",
    re.DOTALL,
)
"""Whitespace; one CJK or Thai character (with its combining marks); a word; one punctuation mark."""

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_ALIGNMENT = re.compile(r"text-align:(left|center|right)\Z")
_VOID_ELEMENTS = frozenset({"br", "img", "wbr", "hr"})


@dataclass(frozen=True, slots=True)
class RedlineSection:
    """A top-level section (the text under one heading of the top level used, usually H2) in the redline."""

    anchor: str
    """Id of the section's heading in the redline: its id in the new text, or in the old text for a
    removed heading (suffixed "-removed" when the new text uses that id too); "" for the text
    before the first heading."""
    title: str
    """Plain text of the heading (the new one, unless the heading was removed); "" before the first."""
    change: SectionChange
    """"added" and "removed" sections are wholly inserted or deleted; "modified" ones have marks."""
    html: Markup
    """The redline of the whole section, its heading included: valid HTML with <ins>/<del> marks."""
    is_moved: bool = False
    """An added section whose text was removed elsewhere (or the other way round): a move."""


@dataclass(frozen=True, slots=True)
class Redline:
    """The changes between two texts, section by section, in the order of the new text."""

    sections: tuple[RedlineSection, ...]
    """Every section, removed ones where they stood in the old text."""

    @property
    def has_changes(self) -> bool:
        return any(section.change != "unchanged" for section in self.sections)

    @property
    def changed_sections(self) -> tuple[RedlineSection, ...]:
        return tuple(section for section in self.sections if section.change != "unchanged")


def diff_texts(
    old: str, new: str, ins_label: str = "inserted", del_label: str = "deleted"
) -> Redline:
    """Compare two canonical Markdown texts (as in source.md) and return their redline.

    Granularity follows the characters themselves, not a language tag: CJK and Thai characters
    one by one, other scripts word by word. So English quoted in Japanese diffs by words, and a
    fallback side (English text on a Japanese page) diffs by its own rules.
    """
    old_blocks, new_blocks = _read_blocks(old), _read_blocks(new)
    ops = _align(old_blocks, new_blocks)
    marks = _Marks(
        ins=f'<ins><span class="{HIDDEN_LABEL_CLASS}">{escape(ins_label)}: </span>',
        dels=f'<del><span class="{HIDDEN_LABEL_CLASS}">{escape(del_label)}: </span>',
    )
    return Redline(_render_sections(ops, _section_level(old_blocks, new_blocks), marks))


# --- Blocks -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class _Frame:
    """A container of blocks in one text: a list, a list item, a blockquote, a table, its head or body.

    Compared by identity: two list items with the same words are still two list items.
    """

    kind: str
    """"list" (ul and ol alike, so that a list changing type is not all noise), "li", "blockquote",
    "table", "thead" or "tbody"."""
    tag: str
    attrs: tuple[tuple[str, str], ...]
    """Checked attributes only: an ol's start and "parens" class."""
    parent: _Frame | None


@dataclass(frozen=True, slots=True)
class _Cell:
    """A table cell."""

    tag: str
    """"th" or "td"."""
    attrs: tuple[tuple[str, str], ...]
    """Its text-align style, checked."""
    html: str
    """Sanitized inline HTML."""
    key: str
    """`html` with whitespace collapsed."""


@dataclass(frozen=True, slots=True)
class _Block:
    """A leaf of a text's structure: what gets aligned and, when edited, diffed word by word."""

    kind: BlockKind
    tag: str
    """Its own element ("h2", "p", "tr", "pre", "hr"), or "" for a tight list item's text and for
    HTML blocks and empty containers."""
    anchor: str
    """A heading's id; "" for other blocks."""
    path: tuple[_Frame, ...]
    """The containers it is in, outermost first."""
    signature: str
    """Kind, heading level and the kinds of its containers: only blocks alike in these pair up."""
    content: str
    """The content with whitespace collapsed: equal contents, nothing to mark."""
    key: str
    """What blocks are aligned by: `signature` and `content`, but a heading's without its section
    number, so that a section inserted early does not make every later heading new."""
    html: str
    """Content: sanitized inline HTML, escaped code, or a sanitized HTML block."""
    cells: tuple[_Cell, ...] = ()
    title: str = ""
    """Plain text of a heading."""
    level: int = 0
    """Heading level."""

    def moved_to(self, path: tuple[_Frame, ...]) -> _Block:
        """The same block in other containers (positional: dataclasses.replace is slow)."""
        return _Block(
            self.kind,
            self.tag,
            self.anchor,
            path,
            self.signature,
            self.content,
            self.key,
            self.html,
            self.cells,
            self.title,
            self.level,
        )


# Small on purpose: callers walk each language and region's revisions in order, so a text
# is read as the new side of one pair and then as the old side of the next.
@functools.lru_cache(maxsize=16)
def _read_blocks(text: str) -> tuple[_Block, ...]:
    """The blocks of a canonical text, in order, parsed as `render_markdown` parses them:
    a section at a time, each distinct section once."""
    sections = split_sections(text)
    if sections is None:
        return _parse_blocks(text)
    blocks: list[_Block] = []
    for _, section in sections:
        # A text may hold a section twice: each of its containers is its own.
        copies: dict[int, _Frame] = {}
        for block in _section_blocks(section):
            path = tuple(_copy_frame(frame, copies) for frame in block.path)
            blocks.append(block.moved_to(path) if path else block)
    anchors = [block.anchor for block in blocks if block.kind == "heading"]
    if len(anchors) != len(set(anchors)):
        return _parse_blocks(text)  # anchors made unique across sections, as rendering does
    return tuple(blocks)


def _copy_frame(frame: _Frame, copies: dict[int, _Frame]) -> _Frame:
    if id(frame) not in copies:
        parent = _copy_frame(frame.parent, copies) if frame.parent is not None else None
        copies[id(frame)] = _Frame(frame.kind, frame.tag, frame.attrs, parent)
    return copies[id(frame)]


@functools.lru_cache(maxsize=16384)
def _section_blocks(text: str) -> tuple[_Block, ...]:
    return _parse_blocks(text)


def _parse_blocks(text: str) -> tuple[_Block, ...]:
    env: dict[str, object] = {
        "problems": [],
        "file_lines": tuple(range(1, text.count("\n") + 2)),
        "where": SourceLocation(""),
    }
    tokens = MARKDOWN.parse(text, env)
    blocks: list[_Block] = []
    frames: list[_Frame] = []
    blocks_before: list[int] = []
    cells: list[_Cell] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        path = tuple(frames)
        kind = token.type
        if kind in _CONTAINERS:
            frames.append(_container(token, frames[-1] if frames else None))
            blocks_before.append(len(blocks))
        elif kind in _CONTAINER_CLOSES:
            if blocks_before.pop() == len(blocks):
                # An empty list item or quote still shows, so it is kept as an empty block.
                blocks.append(_make_block("empty", "", "", tuple(frames), ""))
            frames.pop()
        elif kind in ("th_open", "td_open"):
            html = _render_inline(tokens[index + 1], env)
            style = str(token.attrGet("style") or "")
            attrs = (("style", style),) if _ALIGNMENT.match(style) else ()
            cells.append(_Cell(token.tag, attrs, html, _collapse(html)))
            index += 2
        elif kind == "tr_close":
            html = "".join(_cell_html(cell, cell.html) for cell in cells)
            blocks.append(_make_block("row", "tr", "", path, html, cells=tuple(cells)))
            cells = []
        elif kind == "heading_open":
            inline = tokens[index + 1]
            blocks.append(
                _make_block(
                    "heading",
                    token.tag,
                    str(token.attrGet("id")),
                    path,
                    _render_inline(inline, env),
                    title=plain_text(inline).strip(),
                    level=int(token.tag[1]),
                )
            )
            index += 2
        elif kind == "paragraph_open":
            tag = "" if token.hidden else "p"
            blocks.append(
                _make_block("paragraph", tag, "", path, _render_inline(tokens[index + 1], env))
            )
            index += 2
        elif kind in ("code_block", "fence"):
            blocks.append(_make_block("code", "pre", "", path, str(escape(token.content))))
        elif kind == "html_block":
            blocks.append(_make_block("html", "", "", path, SANITIZER.clean(token.content)))
        elif kind == "hr":
            blocks.append(_make_block("rule", "hr", "", path, ""))
        index += 1
    return tuple(blocks)


_CONTAINERS = {
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "list_item_open": "li",
    "blockquote_open": "blockquote",
    "table_open": "table",
    "thead_open": "thead",
    "tbody_open": "tbody",
}
_CONTAINER_CLOSES = frozenset(kind.replace("_open", "_close") for kind in _CONTAINERS)


def _container(token: Token, parent: _Frame | None) -> _Frame:
    attrs: list[tuple[str, str]] = []
    if token.type == "ordered_list_open":
        start = str(token.attrGet("start") or "")
        if start.isdigit():
            attrs.append(("start", start))
        if "parens" in str(token.attrGet("class") or "").split():
            attrs.append(("class", "parens"))
    return _Frame(_CONTAINERS[token.type], token.tag, tuple(attrs), parent)


def _make_block(
    kind: BlockKind,
    tag: str,
    anchor: str,
    path: tuple[_Frame, ...],
    html: str,
    *,
    cells: tuple[_Cell, ...] = (),
    title: str = "",
    level: int = 0,
) -> _Block:
    containers = "/".join(frame.kind for frame in path)
    signature = f"{containers}|{kind}{level or ''}"
    content = "\x1e".join(cell.key for cell in cells) if kind == "row" else _collapse(html)
    aligned = content
    if kind == "heading" and (
        number := SECTION_NUMBER.match(content.translate(FULL_WIDTH_NUMBERS))
    ):
        aligned = content[number.end() :]
    return _Block(
        kind,
        tag,
        anchor,
        path,
        signature,
        content,
        f"{signature}\x1f{aligned}",
        html,
        cells,
        title,
        level,
    )


def _render_inline(inline: Token, env: dict[str, object]) -> str:
    """Inline content → sanitized HTML, as `render_markdown` renders it."""
    html = MARKDOWN.renderer.render([inline], MARKDOWN.options, env)
    # Without "<" there is no markup, only text the renderer escaped: nothing to sanitize.
    return SANITIZER.clean(html) if "<" in html else html


def _collapse(html: str) -> str:
    return _SPACE.sub(" ", html).strip()


def _section_level(old: Sequence[_Block], new: Sequence[_Block]) -> int | None:
    """The heading level that splits the texts into sections.

    The highest level used more than once in either text: a lone title heading (an H1 above
    H2 sections) is not a section level. Failing that, the highest level present.
    """
    counts: list[Counter[int]] = [
        Counter(block.level for block in blocks if block.kind == "heading" and not block.path)
        for blocks in (old, new)
    ]
    levels = sorted(set(counts[0]) | set(counts[1]))
    repeated = [level for level in levels if max(counts[0][level], counts[1][level]) > 1]
    return (repeated or levels)[0] if levels else None


# --- Alignment --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Op:
    """One step of the merged text: a block kept, edited, inserted (no old) or deleted (no new)."""

    old: _Block | None
    new: _Block | None


def _align(old: Sequence[_Block], new: Sequence[_Block]) -> list[_Op]:
    """Align blocks by key, then pair similar blocks inside each replaced run."""
    # difflib's autojunk: in a long text, a block repeated in more than 1% of places (a
    # separator, a "Yes" row) anchors nothing, or matching goes quadratic. Such blocks land in
    # replaced runs, where pairing takes identical ones back as unchanged.
    matcher = SequenceMatcher(None, [block.key for block in old], [block.key for block in new])
    ops: list[_Op] = []
    for tag, i1, i2, j1, j2 in _slide_runs(matcher.get_opcodes(), old, new):
        if tag == "equal":
            ops.extend(_Op(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            ops.extend(_pair_run(old[i1:i2], new[j1:j2]))
    return ops


def _slide_runs(
    opcodes: Iterable[Opcode], old: Sequence[_Block], new: Sequence[_Block]
) -> list[Opcode]:
    """Move each wholly deleted or inserted run to where it starts at a heading, if it can.

    A run followed by a block equal to its first block can slide down by one (and the other way
    up) and still read the same. Between blocks repeated in every section (the same closing
    sentence), difflib puts the run anywhere; a removed section should read as removed from its
    heading on, not as the end of the section before it and most of itself.
    """
    # Empty equal runs at both ends, so that a run at an end has neighbours to slide into.
    ops = [("equal", 0, 0, 0, 0), *opcodes, ("equal", len(old), len(old), len(new), len(new))]
    for k in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        if tag not in ("delete", "insert"):
            continue
        blocks, start, end = (old, i1, i2) if tag == "delete" else (new, j1, j2)
        _, b1, b2, c1, c2 = ops[k - 1]
        _, a1, a2, d1, d2 = ops[k + 1]
        up = 0
        while up < b2 - b1 and blocks[start - 1 - up].key == blocks[end - 1 - up].key:
            up += 1
        down = 0
        while down < a2 - a1 and blocks[start + down].key == blocks[end + down].key:
            down += 1
        shift = max(
            range(-up, down + 1),
            key=lambda offset: (_run_score(blocks, start + offset, end + offset), -abs(offset)),
        )
        ops[k - 1] = ("equal", b1, b2 + shift, c1, c2 + shift)
        ops[k] = (tag, i1 + shift, i2 + shift, j1 + shift, j2 + shift)
        ops[k + 1] = ("equal", a1 + shift, a2, d1 + shift, d2)
    # A run slid over a whole equal run meets the next run: the two are one edit.
    merged: list[Opcode] = []
    for op in ops:
        if op[0] == "equal" and op[1] == op[2]:
            continue
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            _, i1, _, j1, _ = merged.pop()
            op = ("replace", i1, op[2], j1, op[4])
        merged.append(op)
    return merged


def _run_score(blocks: Sequence[_Block], start: int, end: int) -> tuple[int, int]:
    """How well a run of blocks makes whole sections: starting at a heading, ending before one."""

    def heading_rank(index: int) -> int:
        if index >= len(blocks):
            return 7
        block = blocks[index]
        return 7 - block.level if block.kind == "heading" and not block.path else 0

    return heading_rank(start), heading_rank(end)


def _pair_run(old: Sequence[_Block], new: Sequence[_Block]) -> list[_Op]:
    """A replaced run → its ops: deletions, then insertions, before each edited pair."""
    ops: list[_Op] = []
    i = j = 0
    for pair_i, pair_j in [*_best_pairs(old, new), (len(old), len(new))]:
        ops.extend(_Op(block, None) for block in old[i:pair_i])
        ops.extend(_Op(None, block) for block in new[j:pair_j])
        if pair_i < len(old):
            ops.append(_Op(old[pair_i], new[pair_j]))
        i, j = pair_i + 1, pair_j + 1
    return ops


@dataclass(frozen=True, slots=True)
class _Features:
    """What block similarity looks at."""

    block: _Block
    words: tuple[str, ...]
    """Tokens of the plain text, whitespace left out; a heading's without its number."""
    counts: Counter[str]
    cells: Counter[str]
    """A table row's cells."""


def _features(block: _Block) -> _Features:
    if block.kind == "heading":
        number = SECTION_NUMBER.match(block.title.translate(FULL_WIDTH_NUMBERS))
        text = block.title[number.end() :] if number else block.title
    elif block.kind == "row":
        text = " ".join(unescape(_TAG.sub(" ", cell.html)) for cell in block.cells)
    else:
        text = unescape(_TAG.sub(" ", block.html))
    words = tuple(match.group() for match in _TOKEN.finditer(text) if match.lastgroup != "space")
    return _Features(block, words, Counter(words), Counter(cell.key for cell in block.cells))


def _similarity(a: _Features, b: _Features) -> float:
    """0 for blocks that cannot pair; else the share of words they have in common (Dice).

    A bag of words, not a sequence match: pairing needs "mostly the same words", and this
    stays linear in the length of the blocks.
    """
    if a.block.signature != b.block.signature or a.block.kind == "html":
        return 0.0
    # A renumbered section keeps its words; a renamed one keeps its number or {#id}.
    floor = SAME_ANCHOR_SIMILARITY if a.block.anchor and a.block.anchor == b.block.anchor else 0.0
    total = len(a.words) + len(b.words)
    if total == 0:
        return 1.0
    if a.cells:
        # A row keeping half of its cells is that row edited, however long the others are.
        cells = len(a.block.cells) + len(b.block.cells)
        floor = max(floor, 2 * sum((a.cells & b.cells).values()) / cells)
    if 2 * min(len(a.words), len(b.words)) / total < PAIRING_THRESHOLD:
        return floor
    return max(floor, 2 * sum((a.counts & b.counts).values()) / total)


def _best_pairs(old: Sequence[_Block], new: Sequence[_Block]) -> list[tuple[int, int]]:
    """Pairs (i, j) of similar blocks, in order in both runs."""
    old_features = [_features(block) for block in old]
    new_features = [_features(block) for block in new]
    if len(old) * len(new) > FULL_PAIRING_CELLS:
        return _greedy_pairs(old_features, new_features)
    rows, columns = len(old) + 1, len(new) + 1
    similarity = [[0.0] * columns for _ in range(rows)]
    score = [[0.0] * columns for _ in range(rows)]
    for i in range(1, rows):
        for j in range(1, columns):
            best = max(score[i - 1][j], score[i][j - 1])
            value = _similarity(old_features[i - 1], new_features[j - 1])
            similarity[i][j] = value
            if value >= PAIRING_THRESHOLD:
                best = max(best, score[i - 1][j - 1] + value)
            score[i][j] = best
    pairs: list[tuple[int, int]] = []
    i, j = rows - 1, columns - 1
    while i > 0 and j > 0:
        value = similarity[i][j]
        if value >= PAIRING_THRESHOLD and score[i][j] == score[i - 1][j - 1] + value:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif score[i][j] == score[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _greedy_pairs(old: Sequence[_Features], new: Sequence[_Features]) -> list[tuple[int, int]]:
    """Pairs for a long replaced run (a rewrite): each old block takes its best match close ahead."""
    pairs: list[tuple[int, int]] = []
    start = 0
    for i, features in enumerate(old):
        if start < len(new) and _similarity(features, new[start]) >= PAIRING_THRESHOLD:
            # The usual case in a rewrite: the next block of each text is the same block.
            pairs.append((i, start))
            start += 1
            continue
        best, best_j = PAIRING_THRESHOLD, -1
        for j in range(start + 1, min(len(new), start + GREEDY_WINDOW)):
            value = _similarity(features, new[j])
            if value >= best:
                best, best_j = value, j
        if best_j >= 0:
            pairs.append((i, best_j))
            start = best_j + 1
    return pairs


# --- Words ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Atom:
    """A token of a block's inline content: a word, a CJK/Thai character, a mark or a void element."""

    key: str
    """The inline elements it is in and its text: a word made bold or relinked is a change."""
    html: str
    """Escaped text, or a void element's tag."""
    space: str
    """The whitespace before it, which is kept but never compared."""
    context: tuple[tuple[str, str], ...]
    """The inline elements it is in, outermost first: (name, start tag)."""
    size: int
    """Length in characters."""


class _InlineReader(HTMLParser):
    """Sanitized inline HTML → atoms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.atoms: list[_Atom] = []
        self.context: list[tuple[str, str]] = []
        self.space = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = _start_tag(tag, [(name, value or "") for name, value in attrs])
        if tag in _VOID_ELEMENTS:
            self._add(start, start, 1)
        else:
            self.context.append((tag, start))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.context) - 1, -1, -1):
            if self.context[depth][0] == tag:
                del self.context[depth:]
                break

    def handle_data(self, data: str) -> None:
        for match in _TOKEN.finditer(data):
            text = match.group()
            if match.lastgroup == "space":
                self.space += text
            else:
                self._add(text, str(escape(text)), len(text))

    def _add(self, text: str, html: str, size: int) -> None:
        context = tuple(self.context)
        key = "".join(start for _, start in context) + "\x1f" + text
        self.atoms.append(_Atom(key, html, self.space, context, size))
        self.space = ""


def _read_atoms(html: str) -> list[_Atom]:
    reader = _InlineReader()
    reader.feed(html)
    reader.close()
    return reader.atoms


@dataclass(frozen=True, slots=True)
class _Marks:
    """The opening tags of <ins> and <del>, each with its hidden, localized label."""

    ins: str
    dels: str

    def open(self, mark: Mark) -> str:
        return self.ins if mark == "ins" else self.dels

    def wrap(self, mark: Mark, html: str) -> str:
        """Mark the whole of a block's content (nothing to mark in an empty block)."""
        return f"{self.open(mark)}{html}</{mark}>" if html.strip() else html


@dataclass(frozen=True, slots=True)
class _Step:
    """An atom as written in the redline, with the whitespace around it placed."""

    mark: Mark | None
    atom: _Atom
    outer: str
    """Whitespace before it, outside its mark: read in both texts."""
    inner: str = ""
    """Whitespace before it, inside its mark: read only in its own text."""
    after: str = ""
    """Whitespace after it, inside its mark (the last atom of a mark)."""


# An edit to a paragraph usually shows in several pairs of texts: each region's, and each
# language's that falls back to the same text.
@functools.lru_cache(maxsize=8192)
def _diff_inline(old_html: str, new_html: str, marks: _Marks) -> tuple[str, bool]:
    """Inline HTML of an edited block → its redline, and whether anything is marked."""
    old, new = _read_atoms(old_html), _read_atoms(new_html)
    opcodes = _atom_opcodes([atom.key for atom in old], [atom.key for atom in new])
    steps: list[_Step] = []
    next_outer: str | None = None
    for tag, i1, i2, j1, j2 in _merge_short_equalities(opcodes, old, new):
        if tag == "equal":
            steps.extend(
                _Step(None, atom, next_outer if k == 0 and next_outer is not None else atom.space)
                for k, atom in enumerate(new[j1:j2])
            )
            next_outer = None
            continue
        end_old = old[i2].space if i2 < len(old) else ""
        end_new = new[j2].space if j2 < len(new) else ""
        spaces = _edit_spaces(
            (old[i1].space if i1 < i2 else None, end_old),
            (new[j1].space if j1 < j2 else None, end_new),
        )
        steps.extend(_marked_steps("del", old[i1:i2], spaces.outer_start, spaces.old))
        outer = "" if i1 < i2 else spaces.outer_start
        steps.extend(_marked_steps("ins", new[j1:j2], outer, spaces.new))
        next_outer = spaces.outer_end
    is_marked = any(step.mark for step in steps)
    return (_write_atoms(steps, marks) if is_marked else new_html), is_marked


@dataclass(frozen=True, slots=True)
class _EditSpaces:
    """Where the whitespace around an edit goes, so that each text reads with its own spacing."""

    outer_start: str
    outer_end: str
    old: tuple[str, str]
    """Whitespace inside the deletion, at its start and its end."""
    new: tuple[str, str]
    """Whitespace inside the insertion, at its start and its end."""


def _edit_spaces(old: tuple[str | None, str], new: tuple[str | None, str]) -> _EditSpaces:
    """Place the whitespace before and after an edit.

    Each side is (whitespace before its first edited atom, or None when it has none; whitespace
    before the atom after the edit). Whitespace both texts have at an edge goes outside the
    marks, where both read it (HTML collapses the doubled space this can leave in one of them);
    whitespace only one text has goes inside that text's mark. A side with no atoms has one gap.
    """
    old_start, old_end = old[0] if old[0] is not None else old[1], old[1]
    new_start, new_end = new[0] if new[0] is not None else new[1], new[1]
    if old[0] is not None and new[0] is not None:
        outer_start = new_start if old_start and new_start else ""
        outer_end = new_end if old_end and new_end else ""
    else:
        # Only one side has atoms. The other side's single gap goes outside at each edge where
        # the side with atoms has whitespace too; if it has none, at the end anyway: that side
        # then reads one space too many, which only a mark of nothing but a space could avoid.
        gap, edges = (
            (old_start, (new_start, new_end))
            if new[0] is not None
            else (new_start, (old_start, old_end))
        )
        outer_start = gap if edges[0] else ""
        outer_end = gap if edges[1] or (gap and not edges[0]) else ""
    return _EditSpaces(
        outer_start,
        outer_end,
        ("" if outer_start else old_start, "" if outer_end else old_end),
        ("" if outer_start else new_start, "" if outer_end else new_end),
    )


def _marked_steps(
    mark: Mark, atoms: Sequence[_Atom], outer: str, spaces: tuple[str, str]
) -> list[_Step]:
    last = len(atoms) - 1
    return [
        _Step(
            mark,
            atom,
            outer if k == 0 else "",
            spaces[0] if k == 0 else atom.space,
            spaces[1] if k == last else "",
        )
        for k, atom in enumerate(atoms)
    ]


def _atom_opcodes(old: Sequence[str], new: Sequence[str]) -> list[Opcode]:
    """difflib opcodes turning `old` into `new`, in about linear time for local edits.

    The common head and tail are cut off first (an edit is usually somewhere in the middle
    of a block). difflib is quadratic on a long middle made of a few tokens repeated (a
    rewritten paragraph; CJK characters), so past `INLINE_BUDGET` its heuristic that frequent
    tokens do not anchor a match is switched on: such an edit is a rewrite anyway.
    """
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle_old, middle_new = old[head : len(old) - tail], new[head : len(new) - tail]
    matcher = SequenceMatcher(
        None,
        middle_old,
        middle_new,
        autojunk=len(middle_old) * len(middle_new) > INLINE_BUDGET,
    )
    # The middle starts and ends with a difference, so no equal run of it touches head or tail.
    opcodes: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    opcodes.extend(
        (tag, head + i1, head + i2, head + j1, head + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )
    if tail:
        opcodes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return opcodes


def _merge_short_equalities(
    opcodes: Iterable[Opcode], old: Sequence[_Atom], new: Sequence[_Atom]
) -> list[Opcode]:
    """Fold into the edit around it an equal run no longer than the edits on both of its sides.

    The rule of diff-match-patch's semantic cleanup: a rewritten sentence reads as one deletion
    and one insertion, not as shreds around the odd word or character the two happen to share.
    """

    def size(atoms: Sequence[_Atom], start: int, end: int) -> int:
        return sum(atom.size for atom in atoms[start:end])

    def edit_size(op: Opcode) -> int:
        return max(size(old, op[1], op[2]), size(new, op[3], op[4]))

    ops = list(opcodes)
    k = 1
    while k < len(ops) - 1:
        tag, i1, i2, _, _ = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if (
            tag == "equal"
            and size(old, i1, i2) <= edit_size(before)
            and size(old, i1, i2) <= edit_size(after)
        ):
            ops[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
            # The merged edit is larger now: the equal run before it may fold in too.
            k = max(1, k - 2)
        else:
            k += 1
    return ops


def _write_atoms(steps: Sequence[_Step], marks: _Marks) -> str:
    """Steps → HTML, reopening inline elements as they change and marks inside them.

    A mark stays open across atoms in deeper elements, so "<ins><em>a</em> b</ins>" is one
    insertion; it closes before any element it is inside of closes, so nesting stays valid.
    """
    parts: list[str] = []
    stack: list[tuple[Mark | None, str, str]] = []  # (mark, or None for an element; name; start)
    for step in steps:
        context = step.atom.context
        keep, depth, has_mark = 0, 0, False
        for frame_mark, name, start in stack:
            if frame_mark is not None and frame_mark == step.mark:
                has_mark = True
            elif not (
                frame_mark is None and depth < len(context) and context[depth] == (name, start)
            ):
                break
            else:
                depth += 1
            keep += 1
        while len(stack) > keep:
            frame_mark, name, _ = stack.pop()
            parts.append(f"</{frame_mark or name}>")
        parts.append(step.outer)
        if step.mark is not None and not has_mark:
            parts.append(marks.open(step.mark))
            stack.append((step.mark, step.mark, ""))
        parts.append(step.inner)
        for name, start in context[depth:]:
            parts.append(start)
            stack.append((None, name, start))
        parts.append(step.atom.html)
        parts.append(step.after)
    while stack:
        frame_mark, name, _ = stack.pop()
        parts.append(f"</{frame_mark or name}>")
    return "".join(parts)


def _diff_cells(old: Sequence[_Cell], new: Sequence[_Cell], marks: _Marks) -> tuple[str, bool]:
    """The cells of an edited table row → their redline, and whether anything is marked."""
    matcher = SequenceMatcher(
        None, [cell.key for cell in old], [cell.key for cell in new], autojunk=False
    )
    parts: list[str] = []
    is_marked = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.extend(_cell_html(cell, cell.html) for cell in new[j1:j2])
            continue
        # Cells are columns: an edited run pairs them by position, the rest are whole.
        paired = min(i2 - i1, j2 - j1)
        for old_cell, new_cell in zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True):
            html, is_cell_marked = _diff_inline(old_cell.html, new_cell.html, marks)
            parts.append(_cell_html(new_cell, html))
            is_marked = is_marked or is_cell_marked
        for cell in old[i1 + paired : i2]:
            parts.append(_cell_html(cell, marks.wrap("del", cell.html), DELETED_BLOCK_CLASS))
            is_marked = True
        for cell in new[j1 + paired : j2]:
            parts.append(_cell_html(cell, marks.wrap("ins", cell.html), INSERTED_BLOCK_CLASS))
            is_marked = True
    return "".join(parts), is_marked


def _cell_html(cell: _Cell, content: str, css_class: str | None = None) -> str:
    attrs = [*cell.attrs, ("class", css_class)] if css_class else cell.attrs
    return f"{_start_tag(cell.tag, attrs)}{content}</{cell.tag}>"


def _start_tag(tag: str, attrs: Iterable[tuple[str, str]]) -> str:
    return "<" + tag + "".join(f' {name}="{escape(value)}"' for name, value in attrs) + ">"


# --- Sections and HTML ------------------------------------------------------------------

Change = Literal["equal", "modified", "inserted", "deleted"]


def _render_sections(
    ops: Sequence[_Op], level: int | None, marks: _Marks
) -> tuple[RedlineSection, ...]:
    """Ops → HTML, cut into sections at each top-level heading."""
    # An old container holding a block kept in the new text *is* that new container: deleted
    # blocks are written into it, so that a deleted list item stays inside its list.
    same_frame: dict[_Frame, _Frame] = {}
    kept_frames: set[_Frame] = set()
    new_frames: set[_Frame] = set()
    new_ids: set[str] = set()
    for op in ops:
        if op.new is not None:
            new_frames.update(op.new.path)
            if op.new.kind == "heading":
                new_ids.add(op.new.anchor)
            if op.old is not None:
                kept_frames.update(op.new.path)
                for old_frame, new_frame in zip(op.old.path, op.new.path, strict=True):
                    same_frame.setdefault(old_frame, new_frame)

    def frame_change(frame: _Frame) -> Change:
        if frame in kept_frames:
            return "equal"
        return "inserted" if frame in new_frames else "deleted"

    def new_path(path: tuple[_Frame, ...]) -> tuple[_Frame, ...]:
        """An old block's containers, as far as they are containers of the new text."""
        translated: list[_Frame] = []
        for frame in path:
            target = same_frame.get(frame)
            if target is None or target.parent is not (translated[-1] if translated else None):
                break
            translated.append(target)
        return (*translated, *path[len(translated) :])

    used_ids = set(new_ids)

    def removed_id(anchor: str) -> str:
        candidate, number = anchor, 1
        while candidate in used_ids:
            number += 1
            candidate = f"{anchor}-removed" + (f"-{number - 1}" if number > 2 else "")
        used_ids.add(candidate)
        return candidate

    drafts: list[_SectionDraft] = []
    open_frames: list[tuple[_Frame, Change]] = []
    parts: list[str] = []

    def sync_frames(path: tuple[_Frame, ...]) -> Change:
        """Close and open containers to stand in `path`; the change of the innermost one."""
        common = 0
        while common < min(len(open_frames), len(path)) and open_frames[common][0] is path[common]:
            common += 1
        while len(open_frames) > common:
            parts.append(_end_tag(open_frames.pop()[0]))
        for frame in path[common:]:
            change = frame_change(frame)
            outer = open_frames[-1][1] if open_frames else "equal"
            parts.append(_frame_start(frame, _block_class(change, outer)))
            open_frames.append((frame, change))
        return open_frames[-1][1] if open_frames else "equal"

    for op in ops:
        block = op.new or op.old
        assert block is not None
        is_section_heading = block.kind == "heading" and not block.path and block.level == level
        if is_section_heading or not drafts:
            sync_frames(())
            if drafts:
                drafts[-1].html = "".join(parts)
                parts.clear()
            drafts.append(_SectionDraft())
        if op.old is not None and op.new is not None:
            sync_frames(op.new.path)
            anchor = op.new.anchor
            change, html = _write_edited(op.old, op.new, marks)
        elif op.new is not None:
            outer = sync_frames(op.new.path)
            anchor = op.new.anchor
            change, html = _write_whole(op.new, "ins", outer, marks, anchor)
        else:
            assert op.old is not None
            outer = sync_frames(new_path(op.old.path))
            anchor = removed_id(op.old.anchor) if op.old.kind == "heading" else ""
            change, html = _write_whole(op.old, "del", outer, marks, anchor)
        draft = drafts[-1]
        if is_section_heading and not draft.changes:
            draft.anchor, draft.title = anchor, block.title
        draft.changes.append(change)
        draft.blocks.append(block)
        parts.append(html)
    sync_frames(())
    if drafts:
        drafts[-1].html = "".join(parts)
    return _finish_sections(drafts)


class _SectionDraft:
    """A section while it is being written."""

    def __init__(self) -> None:
        self.anchor = ""
        self.title = ""
        self.html = ""
        self.changes: list[Change] = []
        self.blocks: list[_Block] = []


def _finish_sections(drafts: Sequence[_SectionDraft]) -> tuple[RedlineSection, ...]:
    changes: list[SectionChange] = []
    for draft in drafts:
        kinds = set(draft.changes)
        if kinds == {"equal"}:
            changes.append("unchanged")
        elif kinds == {"inserted"}:
            changes.append("added")
        elif kinds == {"deleted"}:
            changes.append("removed")
        else:
            changes.append("modified")
    # A section removed in one place and added in another, with the same words, was moved.
    contents = [tuple(block.key for block in draft.blocks) for draft in drafts]
    added = {
        content for content, change in zip(contents, changes, strict=True) if change == "added"
    }
    removed = {
        content for content, change in zip(contents, changes, strict=True) if change == "removed"
    }
    return tuple(
        RedlineSection(
            draft.anchor,
            draft.title,
            change,
            Markup(draft.html),
            (change == "added" and content in removed)
            or (change == "removed" and content in added),
        )
        for draft, change, content in zip(drafts, changes, contents, strict=True)
    )


def _block_class(change: Change, outer: Change) -> str | None:
    """The class of a wholly inserted or deleted element, unless what it is in says it already."""
    if change == outer:
        return None
    return {"inserted": INSERTED_BLOCK_CLASS, "deleted": DELETED_BLOCK_CLASS}.get(change)


def _write_edited(old: _Block, new: _Block, marks: _Marks) -> tuple[Change, str]:
    """A kept or paired block: the new block's element, with its content diffed word by word."""
    if old.content == new.content or new.kind in ("rule", "empty"):
        content, is_marked = new.html, False
    elif new.kind == "row":
        content, is_marked = _diff_cells(old.cells, new.cells, marks)
    else:
        content, is_marked = _diff_inline(old.html, new.html, marks)
    return ("modified" if is_marked else "equal"), _block_html(new, content, None, new.anchor)


def _write_whole(
    block: _Block, mark: Mark, outer: Change, marks: _Marks, anchor: str
) -> tuple[Change, str]:
    """An inserted or deleted block: its element classed, its content marked."""
    change: Change = "inserted" if mark == "ins" else "deleted"
    css_class = _block_class(change, outer)
    if block.kind == "row":
        content = "".join(_cell_html(cell, marks.wrap(mark, cell.html)) for cell in block.cells)
    elif block.kind == "html":
        # An HTML block has no element of its own to class, and may hold block content.
        wrapped = marks.wrap(mark, block.html)
        classed = f' class="{css_class}"' if css_class else ""
        return change, f"<div{classed}>{wrapped}</div>\n" if wrapped else ""
    else:
        content = marks.wrap(mark, block.html)
    return change, _block_html(block, content, css_class, anchor)


def _block_html(block: _Block, content: str, css_class: str | None, anchor: str) -> str:
    attrs: list[tuple[str, str]] = [("id", anchor)] if block.kind == "heading" else []
    if css_class:
        attrs.append(("class", css_class))
    if block.kind == "code":
        return f"{_start_tag('pre', attrs)}<code>{content}</code></pre>\n"
    if block.kind == "rule":
        return _start_tag("hr", attrs) + "\n"
    if block.kind == "paragraph" and not block.tag:
        return content  # a tight list item's text, straight inside its <li>
    if not block.tag:
        return content + "\n" if content else ""
    return f"{_start_tag(block.tag, attrs)}{content}</{block.tag}>\n"


def _frame_start(frame: _Frame, css_class: str | None) -> str:
    attrs = dict(frame.attrs)
    if css_class:
        attrs["class"] = f"{attrs['class']} {css_class}" if "class" in attrs else css_class
    start = _start_tag(frame.tag, attrs.items())
    if frame.tag == "table":
        # As our renderer does, so that wide tables scroll (and can be scrolled) on narrow screens.
        return f"{TABLE_SCROLL_OPEN}{start}\n"
    return start if frame.tag == "li" else start + "\n"


def _end_tag(frame: _Frame) -> str:
    return f"</{frame.tag}>" + ("</div>" if frame.tag == "table" else "") + "\n"
