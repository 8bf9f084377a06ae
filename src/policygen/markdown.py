"""Canonical Markdown → safe HTML, with its headings (stable anchors) and its links.

The parser is markdown-it-py's CommonMark with tables and strikethrough, plus three plain
functions of ours applied as core rules: stable heading anchors, `1)` lists shown as
"(1)", and tables wrapped so that they scroll on narrow screens. Raw HTML is allowed
through the parser and then everything goes through the nh3 (ammonia) allowlist sanitizer,
so nothing an author writes can run script or load active content.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .canonical import CONTEXT_LINE, CanonicalText
from .errors import Problem, SourceLocation, error, warning

EXPLICIT_ID = re.compile(r"\s*\{:?\s*#([^\W_][\w.:-]*)\s*\}\s*\Z")
"""`{#id}` (Pandoc, markdown-it-attrs) or `{: #id }` (kramdown, Python-Markdown attr_list)."""
SECTION_NUMBER = re.compile(r"\s*(?:§\s*)?(\d+(?:\.\d+)*)(\.?)")
"""A heading that starts with "4." or "4.2" gets the anchor section-4 or section-4-2."""
POLICY_LINK = re.compile(r'href="policy:([^"#]*)(#[^"]*)?"')

# No <img>: a revision folder holds only text, and a policy page must not let another site
# see who reads it.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
    "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href"},
    "abbr": {"title"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
}


@dataclass(frozen=True, slots=True)
class LabelMarks:
    """Stand-ins for words the renderer writes but templates translate: a text is rendered
    once for every page that shows it, whatever the language of the page."""

    table: str
    """Accessible name of a table's scrolling region."""
    inserted: str
    """Screen-reader label of <ins> in a redline."""
    deleted: str
    """Screen-reader label of <del> in a redline."""


MARKS = LabelMarks("\ue000table\ue001", "\ue000inserted\ue001", "\ue000deleted\ue001")
TABLE_SCROLL_OPEN = (
    f'<div class="table-scroll" tabindex="0" role="region" aria-label="{MARKS.table}">'
)
"""Wide tables scroll on narrow screens; the keyboard must reach them to scroll them (WCAG 2.1.1)."""

SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel", "policy"},
    allowed_classes={"div": {"table-scroll"}, "ol": {"parens"}},
    filter_style_properties={"text-align"},
    link_rel=None,
    strip_comments=True,
)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a document, with its anchor."""

    level: int
    id: str
    """Anchor: explicit `{#id}`, `section-4-2` for a numbered heading, else a slug of the text."""
    text: str
    """Plain text, without the `{#id}` marker."""
    line: int
    """File line."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link written in a document."""

    href: str
    line: int
    """File line."""


@dataclass(frozen=True, slots=True)
class RenderedText:
    """A canonical text rendered once, for every page that shows it."""

    html: str
    """Sanitized HTML; `policy:` links are left for `resolve_policy_links`."""
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    problems: tuple[Problem, ...]

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.id for h in self.headings)


def render_markdown(canonical: CanonicalText, where: SourceLocation) -> RenderedText:
    """Render canonical Markdown to sanitized HTML and collect its headings and links."""
    sections = split_sections(canonical.text)
    if sections is None:
        return render_whole(canonical, where)
    rendered = [(first, _render_section(text)) for first, text in sections]
    anchors = [heading.id for _, section in rendered for heading in section.headings]
    if len(anchors) != len(set(anchors)):
        return render_whole(canonical, where)  # made unique across sections: see _assign_anchors
    lines = canonical.file_lines

    def line(first: int, offset: int | None) -> int | None:
        return lines[first + offset] if offset is not None and first + offset < len(lines) else None

    return RenderedText(
        wrap_tables(SANITIZER.clean("".join(section.html for _, section in rendered))),
        tuple(
            dataclasses.replace(h, line=line(first, h.line) or 0)
            for first, section in rendered
            for h in section.headings
        ),
        tuple(
            dataclasses.replace(link, line=line(first, link.line) or 0)
            for first, section in rendered
            for link in section.links
        ),
        tuple(
            sorted(
                (
                    dataclasses.replace(p, location=where.at(line(first, p.location.line)))
                    for first, section in rendered
                    for p in section.problems
                ),
                key=Problem.sort_key,
            )
        ),
    )


def render_whole(canonical: CanonicalText, where: SourceLocation) -> RenderedText:
    """`render_markdown` without cutting the text into sections: the same result, slower."""
    rendered = _render(canonical.text, canonical.file_lines, where)
    return dataclasses.replace(rendered, html=wrap_tables(SANITIZER.clean(rendered.html)))


SECTION_START = re.compile(r"\n\n(?=#{1,6}[ \t])")
"""Where a text is cut: before each heading that follows an empty line."""
UNSPLITTABLE = re.compile(CONTEXT_LINE, re.MULTILINE)
"""What could make a part of a text read differently alone: fenced code and HTML blocks (they
may hold empty lines and headings), and link reference definitions (they serve the whole text)."""


def split_sections(text: str) -> list[tuple[int, str]] | None:
    """A text cut into parts that Markdown reads the same alone as together, each with the
    index of its first line; None when the text cannot be cut safely.

    Policies repeat: most sections of a revision are those of the previous one, or of
    another region's text. Parts are read once, however many texts hold them.
    """
    if UNSPLITTABLE.search(text):
        return None
    parts = []
    start = first = 0
    for match in SECTION_START.finditer(text):
        parts.append((first, text[start : match.start() + 1]))
        first += text.count("\n", start, match.end())
        start = match.end()
    parts.append((first, text[start:]))
    return parts


@functools.lru_cache(maxsize=16384)
def _render_section(text: str) -> RenderedText:
    """A part of a text rendered alone, unsanitized, its lines counted from 0 in the part."""
    return _render(text, tuple(range(text.count("\n") + 1)), SourceLocation(""))


def _render(text: str, file_lines: tuple[int, ...], where: SourceLocation) -> RenderedText:
    """Markdown → unsanitized HTML, headings, links and problems (sorted), at file lines."""
    env: dict[str, object] = {"problems": [], "file_lines": file_lines, "where": where}
    tokens = MARKDOWN.parse(text, env)
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, env)
    headings, links = _outline(tokens, file_lines)
    problems = env["problems"]
    assert isinstance(problems, list)
    return RenderedText(html, headings, links, tuple(sorted(problems, key=Problem.sort_key)))


def resolve_policy_links(html: str, resolve: Callable[[str, str], str | None]) -> str:
    """Replace `policy:ID#anchor` links by the URL `resolve(ID, "#anchor")` gives."""

    def replace(match: re.Match[str]) -> str:
        url = resolve(match.group(1), match.group(2) or "")
        return f'href="{url}"' if url is not None else 'href="#"'

    return POLICY_LINK.sub(replace, html)


def plain_text(inline: Token) -> str:
    """The text of an inline token, without markup."""
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    )


def slugify(text: str) -> str:
    """A URL fragment for a heading without a number or an explicit id."""
    text = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", text).strip("-_")
    return slug or "section"


RESERVED_PREFIX = "pg-"
"""Ids of the page around the text (pg-main, pg-title…) start with this; headings' never do."""
FULL_WIDTH_NUMBERS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def heading_anchor(text: str) -> str:
    """The anchor a heading gets from its text alone: section-4-2 for "4.2 …", else a slug."""
    text = text.translate(FULL_WIDTH_NUMBERS)
    number = SECTION_NUMBER.match(text)
    if number:
        digits, dot = number.groups()
        rest = text[number.end() :]
        # "4." or "4.2" (Japanese often writes "4.個人情報", with no space); not "2024 changes".
        if (dot and not rest[:1].isdigit()) or ("." in digits and (not rest or rest[0].isspace())):
            return "section-" + digits.replace(".", "-")
    return slugify(text)


def _assign_anchors(state: StateCore) -> None:
    """Give every heading a stable, unique id; strip `{#id}` markers from the text."""
    tokens = state.tokens
    used: dict[str, int] = {}
    env = state.env
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        explicit = None
        last = inline.children[-1] if inline.children else None
        if (
            last is not None
            and last.type == "text"
            and (marker := EXPLICIT_ID.search(last.content))
        ):
            explicit = marker.group(1)
            last.content = last.content[: marker.start()]
            inline.content = EXPLICIT_ID.sub("", inline.content)
        anchor = explicit or heading_anchor(plain_text(inline))
        if anchor.startswith(RESERVED_PREFIX):
            if explicit:
                line = _file_line(env["file_lines"], token)
                env["problems"].append(
                    error(
                        env["where"].at(line),
                        "reserved-anchor",
                        f"ids starting with '{RESERVED_PREFIX}' are reserved for the page around the text: choose another than '#{anchor}'",
                    )
                )
            anchor = "h-" + anchor
        if anchor in used and not explicit and anchor.startswith("section-"):
            # A second "1." (say, a numbered sub-heading) must not take the look of "1.2".
            anchor = slugify(plain_text(inline))
        if anchor in used:
            if explicit:
                line = _file_line(env["file_lines"], token)
                env["problems"].append(
                    error(
                        env["where"].at(line),
                        "duplicate-anchor",
                        f"the id '#{anchor}' is used by two headings: each heading needs its own",
                    )
                )
            used[anchor] += 1
            anchor = f"{anchor}-{used[anchor]}"
        used.setdefault(anchor, 1)
        token.attrSet("id", anchor)


def _report_images(state: StateCore) -> None:
    """Images are not published (see ALLOWED_TAGS): say so rather than drop them silently."""
    env = state.env
    for token in state.tokens:
        sources = [child.attrGet("src") for child in token.children or () if child.type == "image"]
        html = [token, *(token.children or ())]
        if any(
            t.type in ("html_block", "html_inline") and "<img" in t.content.lower() for t in html
        ):
            sources.append("<img>")
        for source in sources:
            env["problems"].append(
                warning(
                    env["where"].at(_file_line(env["file_lines"], token)),
                    "image",
                    f"images are not published ('{source}'): policy pages load nothing from elsewhere; describe it in words",
                )
            )


def _mark_parenthesized_lists(state: StateCore) -> None:
    """Lists written `1)` are shown as (1), (2) — the numbering of Japanese and many legal texts."""
    for token in state.tokens:
        if token.type == "ordered_list_open" and token.markup == ")":
            token.attrJoin("class", "parens")


def wrap_tables(html: str) -> str:
    """Wrap every table (ours and authors') in a region that scrolls on narrow screens.

    Done after sanitizing, which would strip the label's stand-in characters; the sanitizer
    leaves every table tag as a bare `<table>`.
    """
    return html.replace("<table>", TABLE_SCROLL_OPEN + "<table>").replace(
        "</table>", "</table></div>"
    )


def _file_line(file_lines: tuple[int, ...], token: Token) -> int | None:
    """The file line of a token (its line in the canonical text, mapped back)."""
    return file_lines[token.map[0]] if token.map and token.map[0] < len(file_lines) else None


def _outline(
    tokens: list[Token], file_lines: tuple[int, ...]
) -> tuple[tuple[Heading, ...], tuple[Link, ...]]:
    headings: list[Heading] = []
    links: list[Link] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            headings.append(
                Heading(
                    int(token.tag[1]),
                    str(token.attrGet("id")),
                    plain_text(inline).strip(),
                    _file_line(file_lines, token) or 0,
                )
            )
        if token.type == "inline":
            for child in token.children or ():
                if child.type == "link_open":
                    links.append(
                        Link(str(child.attrGet("href")), _file_line(file_lines, token) or 0)
                    )
    return tuple(headings), tuple(links)


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.after("inline", "policygen_anchors", _assign_anchors)
    md.core.ruler.after("policygen_anchors", "policygen_parens", _mark_parenthesized_lists)
    md.core.ruler.after("policygen_parens", "policygen_images", _report_images)
    return md


MARKDOWN = _build_parser()
