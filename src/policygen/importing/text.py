"""A plain text file → policygen Markdown: its paragraphs as written, its numbered lines and
lines in capitals that stand alone made headings, its addresses made links, and nothing else
in it read as Markdown (pure).

Policies kept as plain text (Tumblr's, since 2010) wrap their paragraphs at 80 columns and
indent them, or write a paragraph on each line; read as Markdown, an indented paragraph would
be shown as code, and a `*` or `[username]` could mean something.
"""

from __future__ import annotations

import re

from . import Converted
from .escaping import escape_inline, escape_line_starts
from .markdown import normalized

WRAPPED_WIDTH = 100
"""Lines longer than this were not wrapped by their writer: each is a paragraph."""
WRAPPED_LEAST = 50
"""A wrapped paragraph's lines but its last are at least this long: shorter ones (an address,
a list of names) were ended where they are on purpose."""
NUMBERED_HEADING = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}\.)[ \t]+[^\s.].{0,118}")
"""A clause number and a short title, on a line of its own: "4. REGISTRATION AND SECURITY"."""
LABELLED_NUMBER = re.compile(r":.*\d")
"""A label and its number or date: "Last Modified: 2012-03-02", "Last modified: September 12,
2018", "Version: 3" (looked for in short lines only)."""
ENDS_SENTENCE = (".", ":", ";", ",", "!", "?")
"""How a line that is a sentence, or introduces one, ends: no title does."""
ADDRESS = re.compile(
    r"https?://[^\s<>()\"'\\]++"
    r"|(?<![\w.+-])[\w.+-]++@[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)+"
)
"""A web or email address (the punctuation that ends a sentence after it still to be taken
off). Each tried once where it may start, and never again inside: a time in proportion to
the line, whatever it holds."""
SENTENCE_END = ".,;:!?"
"""Punctuation after an address that belongs to the sentence around it."""
READING = (
    "Read as plain text: lines joined into paragraphs, numbered lines and lines in capitals "
    "standing alone made headings, web and email addresses made links."
)
"""What the import says once, for the file or for every version of it."""
MARKDOWN_READING = (
    "Written in Markdown (its links, bold words or headings show it), so read as Markdown"
)
"""What the import says of a .txt text it read as Markdown (followed by the versions)."""
MARKDOWN_SIGNS = re.compile(
    r"^#{1,6}[ \t]+\S|\[[^\[\]\n]+\]\((?:https?://|mailto:|#|/)|\*\*[^*\n]+\*\*", re.MULTILINE
)
"""What only Markdown writes: a heading, a link, bold words."""


def is_markdown(text: str) -> bool:
    """Whether a .txt file is written in Markdown (Tumblr's since 2023): read as plain text,
    its links and bold words would show their marks."""
    return MARKDOWN_SIGNS.search(text) is not None


def convert_text(text: str) -> Converted:
    """A plain text → policygen Markdown."""
    paragraphs = _paragraphs(normalized(text))
    title = None
    if len(paragraphs) > 1 and len(paragraphs[0]) == 1 and _is_title(paragraphs[0][0]):
        title, paragraphs = paragraphs[0][0], paragraphs[1:]
    # Capitals name sections, or the parts of numbered sections when there are some.
    is_numbered = any(len(lines) == 1 and _is_numbered(lines[0]) for lines in paragraphs)
    blocks = [_block(lines, "### " if is_numbered else "## ") for lines in paragraphs]
    body = "\n\n".join(blocks)
    return Converted(body + "\n" if body else "", title)


def _paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs, each as the lines it is shown in: blocks between empty lines,
    unwrapped when their writer wrapped them (every line but the last long), a paragraph for
    each line when lines are longer than anyone wraps, else their lines kept (an address)."""
    paragraphs: list[list[str]] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if any(len(line) > WRAPPED_WIDTH for line in lines):
            paragraphs.extend([line] for line in lines)
        elif all(len(line) >= WRAPPED_LEAST for line in lines[:-1]):
            paragraphs.append([" ".join(lines)])
        else:
            paragraphs.append(lines)
    return paragraphs


def _block(lines: list[str], capitals: str) -> str:
    """A paragraph as Markdown: a heading (`## `, or `capitals` for a line in capitals), or
    its lines, those kept as written ending with a backslash (a line break in Markdown)."""
    if len(lines) == 1 and _is_numbered(lines[0]):
        return "## " + _heading(lines[0])
    if len(lines) == 1 and _is_in_capitals(lines[0]):
        return capitals + _heading(lines[0])
    return "\\\n".join(_escaped(line, at_start=True) for line in lines)


def _is_numbered(line: str) -> bool:
    """A clause number and its title: "4. REGISTRATION AND SECURITY"."""
    return bool(NUMBERED_HEADING.fullmatch(line)) and not line.endswith(ENDS_SENTENCE)


def _is_in_capitals(line: str) -> bool:
    """A title in capitals: "WHAT WE COLLECT AND HOW WE USE IT", not "LAST MODIFIED: 2019-12-26"."""
    return _names_something(line) and line == line.upper() and sum(map(str.isalpha, line)) >= 4


def _is_title(paragraph: str) -> bool:
    """A first line that names the text, and is no numbered clause."""
    return _names_something(paragraph) and not NUMBERED_HEADING.fullmatch(paragraph)


def _names_something(line: str) -> bool:
    """Short, no sentence, and no label with its number or date ("Last Modified: 2012-03-02")."""
    return len(line) <= 80 and not line.endswith(ENDS_SENTENCE) and not LABELLED_NUMBER.search(line)


def _heading(line: str) -> str:
    """A heading's words as Markdown: a `#` among them could end the heading."""
    return _escaped(line, at_start=False).replace("#", "\\#")


def _escaped(paragraph: str, at_start: bool) -> str:
    """A paragraph's words as Markdown that shows them as written, its addresses linked."""
    parts = []
    last = 0
    for match in ADDRESS.finditer(paragraph):
        address = match.group().rstrip(SENTENCE_END)
        if address.endswith("//"):
            continue  # a scheme alone
        parts.append(escape_inline(paragraph[last : match.start()]))
        parts.append(f"<{address}>")
        last = match.start() + len(address)
    parts.append(escape_inline(paragraph[last:]))
    escaped = "".join(parts)
    return escape_line_starts(escaped) if at_start else escaped
