"""Attribute lists in Markdown (`{: #id }`, `{#id}`) → ids on the blocks and inline elements
they belong to (markdown-it rules).

Policy repositories write them in three dialects, all read alike here:
- Python-Markdown's `attr_list`: `{: #id }` at the end of a heading, or alone on the last
  line of a paragraph or a list item;
- kramdown's block attribute lists: `{: #id }` alone on the line right after a block
  (a heading, paragraph, list, table, quote) or right before one, and attribute list
  definitions `{:name: …}`;
- markdown-it's `attrs_block` (djot): `{#id}` on the line before a block.
Right after a link, a code span or emphasis (`[text](url){: #id }`, `**Referral
tracking**{: #referraltracking }`, as Python-Markdown reads it), a list sets that element's id.

mdit-py-plugins' attrs plugins read the third dialect only: their parser refuses `{:` and
kramdown's references, reads `{#section-4.2}` as the id `section-4` with the class `2` (where
the other two dialects, and headings here, read the id `section-4.2`), and their block rule
neither ends a paragraph or a table nor attaches to the block before it. One grammar serves
all three dialects instead, so that a list means the same wherever it is written.

Only ids are kept. Classes and other attributes are read and dropped: a policy page looks as
its theme says, and `target`, `style` or event attributes have no place on it.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .errors import excerpt, warning

ID = r"[^\W_][\w.:-]*"
"""An id written in Markdown: a letter or digit, then letters, digits, `_`, `-`, `.` or `:`."""
_ITEM = re.compile(
    rf"""\#(?P<id>{ID})
    | \.[^\s{{}}#.="']+
    | [A-Za-z_:][\w:.-]*=(?:"[^"]*"|'[^']*'|[^\s{{}}"']+)
    | (?P<reference>[A-Za-z_][\w-]*)""",
    re.VERBOSE,
)
_LIST = re.compile(r"\{(?P<colon>:)?(?:(?P<name>[A-Za-z_][\w-]*):)?(?P<items>[^{}]*)\}")
_BLOCK_TARGETS = frozenset({"paragraph_open", "heading_open", "bullet_list_open",
    "ordered_list_open", "list_item_open", "blockquote_open", "table_open", "fence",
    "code_block", "hr"})  # fmt: skip
"""Blocks an attribute list can set the id of (an HTML block is written whole by its author)."""
INLINE_TARGETS = ("link_close", "code_inline")
"""Inline elements an attribute list right after them sets the id of."""


@dataclass(frozen=True, slots=True)
class AttributeList:
    """What policygen reads in an attribute list."""

    text: str
    """The list as written."""
    id: str | None
    """The `#id` it sets (the last one written); None when it sets none."""
    is_definition: bool = False
    """A kramdown definition `{:name: …}`: it names attributes for later lists and sets nothing."""
    unshown: str = ""
    """Words it holds that no page shows: the phrases its attributes hold (`title="…"`) and
    a run of bare names (kramdown's references), which readers would read as a sentence."""


def parse_attribute_list(text: str) -> AttributeList | None:
    """The attribute list `text` is (`{: #id .class key="v" }`, `{#id}`), or None when it is
    none and so is text. Bare names (kramdown's references) need the `{:` form, so that
    "{Company}" stays text."""
    match = _LIST.fullmatch(text)
    if match is None:
        return None
    items, position, identifier, count = match["items"], 0, None, 0
    phrases: list[str] = []
    references: list[str] = []
    while position < len(items):
        if items[position].isspace():
            position += 1
            continue
        item = _ITEM.match(items, position)
        if item is None or (item["reference"] and not match["colon"]):
            return None
        position = item.end()
        if position < len(items) and not items[position].isspace():
            # kramdown chains ids and classes with nothing between them: `{:.mt-5.lead}`.
            chained = item.group()[0] in "#." and items[position] in "#."
            if not chained:
                return None
        identifier = item["id"] or identifier
        count += 1
        if item["reference"]:
            references.append(item["reference"])
        elif (value := _PHRASE.fullmatch(item.group())) is not None:
            phrases.append(value["phrase"])
    unshown = " ".join([*phrases, " ".join(references) if len(references) > 1 else ""]).strip()
    if match["name"]:
        return AttributeList(text, None, is_definition=True, unshown=unshown)
    return AttributeList(text, identifier, unshown=unshown) if count else None


_PHRASE = re.compile(
    r"""(?!style=|class=)[A-Za-z_:][\w:.-]*=(["']?)(?P<phrase>[^\W\d_]{2,}(?:\s+\S+)+)\1"""
)
"""An attribute whose value is words, a word then others (`title="We sell your data"`): not a
style nor classes, which are no words."""


def report_unshown(
    env: MutableMapping[str, Any], attributes: AttributeList, line: int | None
) -> None:
    """Warn of the words an attribute list holds that no page shows (`line`: of the text)."""
    if not attributes.unshown:
        return
    lines: tuple[int, ...] = env["file_lines"]
    env["problems"].append(
        warning(
            env["where"].at(lines[line] if line is not None and line < len(lines) else None),
            "unshown-attributes",
            f"the attribute list '{excerpt(attributes.text)}' shows nothing on the page: readers never see '{excerpt(attributes.unshown)}', though source.md holds it (policygen keeps only an attribute list's #id); write the words in the text, or remove them",
        )
    )


def use_attribute_lists(md: MarkdownIt) -> None:
    """Read attribute lists on their own lines and after links, code spans and emphasis."""
    md.block.ruler.before(
        "table",
        "attribute_list",
        _block_rule,
        # A list on the line after a paragraph, a table or a quote's last line ends it.
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    md.inline.ruler.after("backticks", "attribute_list", _inline_rule)
    # Emphasis is paired only once the whole inline text is read.
    md.inline.ruler2.after("emphasis", "attribute_list", _apply_emphasis_lists)
    md.core.ruler.after("block", "attribute_lists", _apply_block_lists)
    md.core.ruler.after("inline", "attribute_lists_unshown", inline_lists_unshown)


def _block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    if state.src[begin : begin + 1] != "{":
        return False
    attributes = parse_attribute_list(state.src[begin : state.eMarks[start]].rstrip())
    if attributes is None:
        return False
    if silent:
        if 0 <= state.sCount[start] < state.blkIndent and _item_goes_on(state, start):
            # Written at the margin inside a list item whose text goes on below it, as
            # Python-Markdown reads it: the list stays open (its item's next paragraphs are
            # no code block), and the line is read again as the item's own.
            state.sCount[start] = state.blkIndent
        return True
    target = _preceding_block(state, start)
    report_unshown(state.env, attributes, start)
    token = state.push("attribute_list", "", 0)
    token.map = [start, start + 1]
    token.meta["attributes"] = attributes
    token.meta["target"] = target
    state.line = start + 1
    return True


def _item_goes_on(state: StateBlock, start: int) -> bool:
    """Whether the list item around line `start` has more paragraphs after it: an empty line,
    then one indented as the item's text."""
    line = start + 1
    while line < state.lineMax and state.isEmpty(line):
        line += 1
    return start + 1 < line < state.lineMax and state.sCount[line] >= state.blkIndent


def _preceding_block(state: StateBlock, start: int) -> int | None:
    """The index of the opening token of the block a list on line `start` follows directly
    (no empty line between, in the same container), else None: then it is for the next one."""
    if start == 0 or state.isEmpty(start - 1) or not state.tokens:
        return None
    last = state.tokens[-1]
    if last.type == "attribute_list":
        target: int | None = last.meta["target"]
        return target  # lists written one under the other belong to the same block
    if last.nesting == 1:
        return None  # the first line of a list item or a quote
    index = len(state.tokens) - 1
    depth = 0
    while index >= 0:
        depth += state.tokens[index].nesting
        if depth == 0:
            break
        index -= 1
    opening = state.tokens[index]
    return index if opening.map is not None and opening.map[1] == start else None


def _inline_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{" or state.pending or not state.tokens:
        return False
    last = state.tokens[-1]
    is_emphasis = last.type == "text" and any(
        delimiter.token == len(state.tokens) - 1
        and delimiter.close
        and chr(delimiter.marker) in "*_"
        for delimiter in state.delimiters[-1:]
    )
    if last.type not in INLINE_TARGETS and not is_emphasis:
        return False
    close = state.src.find("}", state.pos, state.posMax)
    attributes = parse_attribute_list(state.src[state.pos : close + 1]) if close > 0 else None
    if attributes is None or attributes.is_definition:
        return False
    if not silent and attributes.unshown:
        # Warned of at the line of its paragraph (see `inline_lists_unshown`).
        last.meta.setdefault("unshown", []).append(attributes)
    if is_emphasis:
        # The marks may close emphasis, or be shown as written: `_apply_emphasis_lists` tells.
        if not silent:
            last.meta["attributes"] = attributes
        state.pos = close + 1
        return True
    if not silent and attributes.id is not None:
        opening = last
        if last.type == "link_close":
            index = len(state.tokens) - 1
            while (
                state.tokens[index].type != "link_open" or state.tokens[index].level != last.level
            ):
                index -= 1
            opening = state.tokens[index]
        opening.attrSet("id", attributes.id)
    state.pos = close + 1
    return True


def _apply_emphasis_lists(state: StateInline) -> None:
    """Set the id of a list written right after emphasis on it; after marks that closed
    nothing, put the list back as written."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        attributes: AttributeList | None = token.meta.pop("attributes", None)
        if attributes is None:
            continue
        if token.type == "text" and index and tokens[index - 1].type == "strong_close":
            index -= 1  # the second mark of `**`
        closing = tokens[index]
        if closing.type not in ("strong_close", "em_close"):
            token.content += attributes.text
            token.meta.pop("unshown", None)  # shown as written
            continue
        # The token it was written after may be joined to the text after it, and its meta lost.
        closing.meta.setdefault("unshown", []).extend(token.meta.pop("unshown", ()))
        if attributes.id is None:
            continue
        depth = 0
        for opening in reversed(tokens[: index + 1]):
            if opening.tag == closing.tag:
                depth += opening.nesting
                if depth == 0 and opening.nesting == 1:
                    opening.attrSet("id", attributes.id)
                    break


def _apply_block_lists(state: StateCore) -> None:
    """Set the ids of block attribute lists on their blocks, and take the lists out."""
    tokens = state.tokens
    if not any(token.type == "attribute_list" for token in tokens):
        return
    kept: list[Token] = []
    waiting: list[Token] = []  # lists written before the block they belong to
    for token in tokens:
        if token.type == "attribute_list":
            attributes: AttributeList = token.meta["attributes"]
            target = token.meta["target"]
            if attributes.id is None:
                continue
            if target is None:
                waiting.append(token)
            elif not _set_id(tokens[target], attributes.id, token):
                _report_stray(state, token)
            continue
        for written in waiting:
            if token.nesting < 0 or not _set_id(token, written.meta["attributes"].id, written):
                _report_stray(state, written)
        waiting = []
        kept.append(token)
    for written in waiting:
        _report_stray(state, written)
    state.tokens = kept
    _lift_ids_of_tight_items(kept)


def _set_id(block: Token, identifier: str, written: Token) -> bool:
    if block.type not in _BLOCK_TARGETS:
        return False
    block.attrSet("id", identifier)
    block.meta["id_line"] = written.map[0] if written.map else None
    return True


def _lift_ids_of_tight_items(tokens: list[Token]) -> None:
    """The paragraph of a tight list item is not written out: its id goes to the item."""
    for index, token in enumerate(tokens):
        identifier = token.attrGet("id")
        if token.type != "paragraph_open" or not token.hidden or identifier is None:
            continue
        parent = index - 1
        while tokens[parent].nesting != 1 or tokens[parent].level != token.level - 1:
            parent -= 1
        item = tokens[parent]
        del token.attrs["id"]
        if item.type == "list_item_open" and item.attrGet("id") is None:
            item.attrSet("id", identifier)
            item.meta["id_line"] = token.meta.get("id_line")


def _report_stray(state: StateCore, written: Token) -> None:
    env = state.env
    attributes: AttributeList = written.meta["attributes"]
    lines: tuple[int, ...] = env["file_lines"]
    line = lines[written.map[0]] if written.map and written.map[0] < len(lines) else None
    env["problems"].append(
        warning(
            env["where"].at(line),
            "stray-attributes",
            f"the attribute list '{attributes.text}' belongs to no block, so nothing gets the id '#{attributes.id}': write it on the line right after the block (or right before it)",
        )
    )


def inline_lists_unshown(state: StateCore) -> None:
    """Warn of the words of attribute lists written after links, code spans and emphasis
    that no page shows, at the line of their paragraph, heading or cell."""
    for token in state.tokens:
        for child in token.children or ():
            for attributes in child.meta.pop("unshown", ()):
                report_unshown(state.env, attributes, token.map[0] if token.map else None)
