"""Web and email addresses written bare in a text (`https://…`, `www.…`, `privacy@…`) read as
links, as GitHub and most Markdown editors show them.

linkify-it-py finds the addresses; markdown-it-py's linkify rules make the links. policygen
narrows what counts as an address, so that a link never takes in words of the sentence:

- An address is one with `http:`, `https:` or `mailto:`, one that starts with `www.`, or an
  email address. A bare name of a host (`example.com`, but also `en.md` or `site.yaml`) is
  words.
- An address ends before the first character of a sentence's punctuation outside ASCII, or
  of a script written without spaces: Japanese and Chinese put no space after an address
  (`https://example.jp/をご覧ください。`), and the address ends where their words start.
- An email address starts after the words written right before it with no space
  (`E-mail:privacy@…`): linkify-it reads `:`, `;`, `,` and `"` as part of its name.
- A link's words are the address as the text writes it, not decoded.
- An address ends before a backslash. A browser reads `\\` in an address as `/`, so that
  `https://good.example\\@evil.example` reads as an address of `good.example`; its link
  would lead to `evil.example` (the backslash written `%5C`, the name before `@` a user's).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Literal

from linkify_it import LinkifyIt  # type: ignore[import-untyped]
from linkify_it.main import Match  # type: ignore[import-untyped]
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def ends_address(char: str) -> bool:
    """Whether `char` cannot be part of an address written in a sentence: punctuation,
    symbols and spaces outside ASCII (`。`, `」`, `»`, `”`, a no-break space), and the
    letters of scripts written without spaces between words or after an address (Chinese,
    Japanese, Korean)."""
    if char.isascii():
        return False
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return True
    return unicodedata.category(char)[0] in "PSZC"


class _Addresses(LinkifyIt):  # type: ignore[misc]
    """linkify-it, finding the addresses the module's docstring says."""

    def __init__(self) -> None:
        super().__init__()
        self.add("ftp:", None)  # the sanitizer publishes no ftp: link
        self.add("//", None)  # an address without its scheme, on a page's own scheme
        # linkify-it's own looks for names of hosts too, with its list of every domain: a
        # quarter of a text's reading time, for addresses that are words here.
        self.pretest = may_hold_address

    def test(self, text: str) -> bool:
        return bool(super().test(_spaced(text)))

    def match(self, text: str) -> list[Match] | None:
        found = [
            match
            for match in map(_without_words_before, super().match(_spaced(text)) or ())
            if match is not None and _is_address(match)
        ]
        return found or None

    def match_at_start(self, text: str) -> Match | None:
        match = _without_words_before(super().match_at_start(_spaced(text)))
        return match if match is not None and match.index == 0 and _is_address(match) else None


def may_hold_address(text: str) -> bool:
    """Whether `text` may hold an address: most paragraphs do not, and are looked at once."""
    # Faster than one regular expression; an address by its scheme or by `mailto:` has `://`
    # or `@`, and "ww." and "WW." are in `www.` however it is written.
    return "@" in text or "://" in text or "ww." in text or "WW." in text


def _spaced(text: str) -> str:
    """`text` with a space for each character that ends an address: an address ends there,
    and every other character keeps its place."""
    return text if text.isascii() else text.translate(_SPACES)


class _Spaces(dict[int, str]):
    """A table for `str.translate`: a space for each character that ends an address, each
    character looked at once."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = " " if ends_address(char) else char
        return self[code]


_SPACES = _Spaces()


_NOT_IN_NAME = re.compile(r'.*[:;,"]', re.DOTALL)
"""The words before an email address that linkify-it reads as its name: `:`, `;`, `,` and
`"` stand in no name written bare (RFC 5322), but in 'E-mail:privacy@…' before it."""


def _without_words_before(match: Match | None) -> Match | None:
    """An email address without the words written right before it, with no space between
    ('PEC:pec@example.it', 'E-mail:privacy@example.it'): linkify-it takes them in, and the
    link would lead to no mailbox. None when nothing of the name is left."""
    if match is None or match.schema != "mailto:" or match.raw[:7].lower() == "mailto:":
        return match
    name = match.raw.partition("@")[0]
    words = _NOT_IN_NAME.match(name)
    if words is None:
        return match
    cut = words.end()
    if cut == len(name):
        return None
    match.index += cut
    match.raw = match.text = match.raw[cut:]
    match.url = "mailto:" + match.raw
    return match


def _is_address(match: Match) -> bool:
    """Whether linkify-it's match is an address, not a bare host name."""
    return bool(match.schema) or match.raw[:4].lower() == "www."


_ADDRESSES = _Addresses()


def _as_written(url: str) -> str:
    return url


def _linkify(state: StateCore) -> None:
    """Addresses in the words of each paragraph, heading and cell made links, as markdown-it's
    rule makes them, but outside links only and in one pass over each one's words.
    (markdown-it's rule makes a list of them anew for each word with an address: a paragraph
    of 20,000 lines with an address each took 11 seconds, 80,000 nine minutes.)"""
    if not may_hold_address(state.src):
        return  # most texts, looked at once
    for block in state.tokens:
        if block.type == "inline" and block.children and may_hold_address(block.content):
            block.children = _linkified(block.children, state.md)


def _linkified(children: list[Token], md: MarkdownIt) -> list[Token]:
    linked: list[Token] = []
    in_link = in_html_link = 0
    for index, token in enumerate(children):
        if token.type in ("link_open", "link_close"):
            in_link += token.nesting
        elif token.type == "html_inline":
            if _HTML_LINK_OPEN.match(token.content):
                in_html_link += 1
            elif _HTML_LINK_CLOSE.match(token.content):
                in_html_link = max(0, in_html_link - 1)
        if token.type != "text" or in_link or in_html_link or not _ADDRESSES.test(token.content):
            linked.append(token)
            continue
        matches = _ADDRESSES.match(token.content) or []
        if (
            matches
            and matches[0].index == 0
            and index
            and children[index - 1].type == "text_special"
        ):
            matches = matches[1:]  # `http\://…` is written not to be a link
        linked += _linked(token, matches, md)
    return linked


def _linked(token: Token, matches: list[Match], md: MarkdownIt) -> list[Token]:
    """A text token as the text and links of its addresses."""
    text, level, done = token.content, token.level, 0
    pieces = []
    for match in matches:
        href = md.normalizeLink(match.url)
        if not md.validateLink(href):
            continue
        if match.index > done:
            pieces.append(_token("text", "", 0, level, text[done : match.index]))
        opening = _token("link_open", "a", 1, level, "")
        opening.attrs = {"href": href}
        pieces.append(opening)
        pieces.append(_token("text", "", 0, level + 1, md.normalizeLinkText(match.text)))
        pieces.append(_token("link_close", "a", -1, level, ""))
        done = match.last_index
    if not pieces:
        return [token]
    if done < len(text):
        pieces.append(_token("text", "", 0, level, text[done:]))
    return pieces


def _token(kind: str, tag: str, nesting: Literal[-1, 0, 1], level: int, content: str) -> Token:
    token = Token(kind, tag, nesting, level=level, content=content)
    if kind.startswith("link_"):
        token.markup, token.info = "linkify", "auto"
    return token


_HTML_LINK_OPEN = re.compile(r"<a[>\s]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)


MAX_ADDRESS = 2048
"""The most characters an address written bare may have (as many as a sitemap accepts): a
longer run of characters that could be one stays words. Each `://` of a text is read up to the end of its address; a
text of `http://` written 100,000 times, one address ending where the next starts, would
otherwise be read to its end from each."""

_SCHEME = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
"""The scheme an address in words ends with (RFC 3986: a letter, then letters, digits, `+`,
`-` or `.`)."""
_LONGEST_SCHEME = len("https")
"""The longest scheme of an address with `://` that is a link (`http`, `https`)."""

_STOP = re.compile(r"[\s\\\x80-\U0010ffff]")
"""A space, a backslash, or a character that may end an address (see `ends_address`)."""


def _linkify_inline(state: StateInline, silent: bool) -> bool:
    """An address with a scheme at `state.pos` (which is at its `://`), read as a link while
    the paragraph's words are read, as markdown-it's rule does: its `*` and `_` are the
    address's, not emphasis. Reads no further than the address can go."""
    pos, src = state.pos, state.src
    if state.linkLevel > 0 or not src.startswith("://", pos):
        return False
    # The pending words end with the scheme: only the last few are looked at, or a long
    # paragraph would be read again at each `://` of it.
    tail = state.pending[-_LONGEST_SCHEME - 1 :]
    scheme = _SCHEME.search(tail)
    if scheme is None or (scheme.start(1) == 0 and len(tail) < len(state.pending)):
        return False
    start = pos - len(scheme[1])
    match = _ADDRESSES.match_at_start(src[start : _candidate_end(src, pos)])
    if match is None:
        return False
    url = match.url.rstrip("*")  # a `*` after an address is emphasis
    href = state.md.normalizeLink(url)
    if not state.md.validateLink(href):
        return False
    if not silent:
        state.pending = state.pending[: -len(scheme[1])]
        opening = state.push("link_open", "a", 1)
        opening.attrs = {"href": href}
        opening.markup, opening.info = "linkify", "auto"
        state.push("text", "", 0).content = state.md.normalizeLinkText(url)
        closing = state.push("link_close", "a", -1)
        closing.markup, closing.info = "linkify", "auto"
    state.pos = start + len(url)
    return True


def _candidate_end(src: str, pos: int) -> int:
    """Where an address whose `://` is at `pos` ends at the latest: at a space, a backslash or
    a character that ends an address, and no further than `MAX_ADDRESS` characters."""
    limit = min(len(src), pos + MAX_ADDRESS)
    while (stop := _STOP.search(src, pos, limit)) is not None:
        if stop[0] == "\\" or stop[0].isspace() or ends_address(stop[0]):
            return stop.start()
        pos = stop.end()
    return limit


def use_linkify(md: MarkdownIt) -> None:
    """Read bare addresses as links in `md` (see the module's docstring)."""
    md.linkify = _ADDRESSES
    md.options["linkify"] = True
    md.enable("linkify")
    md.core.ruler.at("linkify", _linkify)
    md.inline.ruler.at("linkify", _linkify_inline)
    md.normalizeLinkText = _as_written  # type: ignore[method-assign, assignment]
