"""Text → Markdown that shows it as written: the characters and line starts Markdown, or
policygen's own syntax (attribute lists, region blocks), would read as marks, escaped (pure)."""

from __future__ import annotations

import re

from markdown_it.common.utils import isPunctChar, isWhiteSpace

INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<|~{]")
"""Characters that may mean something anywhere in a line: emphasis, code, links, raw HTML,
tables, strikethrough, and `{#id}` attribute lists."""
ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
"""An ampersand that would start a character reference (`&amp;`)."""
LINE_START = re.compile(
    r"^(?P<lead>[ \t]*)(?:(?P<number>\d{1,9})(?P<dot>[.)])(?=[ \t]|$)|(?P<mark>[-+#>=]|```|~~~|:::))",
    re.MULTILINE,
)
"""What makes a line of text read as a list item, heading, quote, rule, fence or region block."""


def escape_inline(text: str) -> str:
    """Text whose characters would read as inline marks, escaped."""
    return ENTITY_LIKE.sub("&amp;", INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text))


def escape_line_starts(text: str) -> str:
    """Text whose lines would start a list, heading, quote, rule or fence, escaped to stay text."""

    def escape(match: re.Match[str]) -> str:
        if match.group("number"):
            return f"{match.group('lead')}{match.group('number')}\\{match.group('dot')}"
        mark = match.group("mark")
        return f"{match.group('lead')}\\{mark}"

    return LINE_START.sub(escape, text)


def stops_marks(edge: str, outside: str) -> bool:
    """Whether Markdown reads `**` between a word's `edge` character and the character
    `outside` it as asterisks: a punctuation mark against anything but a space or another
    mark (CommonMark's flanking rule, with the parser's own definitions)."""
    return (
        isPunctChar(edge)
        and outside != ""
        and not isWhiteSpace(ord(outside))
        and not isPunctChar(outside)
    )
