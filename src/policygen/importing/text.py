"""A plain text file → policygen Markdown: its paragraphs as written, its numbered lines that
stand alone made headings, its addresses made links, and nothing else in it read as Markdown
(pure).

Policies kept as plain text (Tumblr's, since 2010) wrap their paragraphs at 80 columns and
indent them, or write a paragraph on each line; read as Markdown, an indented paragraph would
be shown as code, and a `*` or `[username]` could mean something.
"""

from __future__ import annotations

import re

from . import Converted
from .markdown import normalized

WRAPPED_WIDTH = 100
"""A block whose lines are all at most this long was wrapped by its writer: one paragraph."""
NUMBERED_HEADING = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVX]{1,5}\.)[ \t]+[^\s.].{0,118}")
"""A clause number and a short title, on a line of its own: "4. REGISTRATION AND SECURITY"."""
ADDRESS = re.compile(
    r"https?://[^\s<>()\"'\\]*[^\s<>()\"'\\.,;:!?]|[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
"""A web or email address, without the punctuation that ends the sentence around it."""
MARKDOWN_CHARACTERS = re.compile(r"[\\`*_\[\]<>&~|{]")
"""Characters that may mean something in Markdown anywhere in a line."""
READING = (
    "Read as plain text: lines joined into paragraphs, numbered lines standing alone made "
    "headings, web and email addresses made links."
)
"""What the import says once, for the file or for every version of it."""
MARKDOWN_START = re.compile(r"(\d+[.)]|[#+=:-]+)(?=\s|$)|#")
"""What may open a block at the start of a line: a heading, a list item, a quote, a region."""


def convert_text(text: str) -> Converted:
    """A plain text → policygen Markdown."""
    paragraphs = _paragraphs(normalized(text))
    title = None
    if len(paragraphs) > 1 and _is_title(paragraphs[0]):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    blocks = [
        "## " + _escaped(paragraph, at_start=False)
        if NUMBERED_HEADING.fullmatch(paragraph) and not paragraph.endswith((".", ":", ";", ","))
        else _escaped(paragraph, at_start=True)
        for paragraph in paragraphs
    ]
    body = "\n\n".join(blocks)
    return Converted(body + "\n" if body else "", title)


def _paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each on one line: blocks between empty lines, unwrapped when
    their writer wrapped them, else a paragraph for each line."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if all(len(line) <= WRAPPED_WIDTH for line in lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def _is_title(paragraph: str) -> bool:
    """A first line that names the text: short, no sentence, and no numbered clause."""
    return (
        len(paragraph) <= 80
        and not paragraph.endswith((".", ":", ";", ",", "!", "?"))
        and not NUMBERED_HEADING.fullmatch(paragraph)
    )


def _escaped(paragraph: str, at_start: bool) -> str:
    """A paragraph's words as Markdown that shows them as written, its addresses linked."""
    parts = []
    last = 0
    for address in ADDRESS.finditer(paragraph):
        parts.append(MARKDOWN_CHARACTERS.sub(r"\\\g<0>", paragraph[last : address.start()]))
        parts.append(f"<{address.group()}>")
        last = address.end()
    parts.append(MARKDOWN_CHARACTERS.sub(r"\\\g<0>", paragraph[last:]))
    escaped = "".join(parts)
    if at_start and (start := MARKDOWN_START.match(escaped)):
        end = start.end(1) if start.group(1) else start.end()
        escaped = escaped[: end - 1] + "\\" + escaped[end - 1 :]
    return escaped
