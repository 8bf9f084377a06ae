"""Canonical Markdown → safe HTML, with its headings (stable anchors), its links and its ids.

The parser is markdown-it-py's CommonMark with tables and strikethrough, plus plain functions
of ours: attribute lists (`{: #id }`, see `attributes`), stable heading anchors, `1)` lists
shown as "(1)", and tables wrapped so that they scroll on narrow screens, their cells aligned
by class rather than inline style. Raw HTML is allowed
through the parser and then everything goes through the nh3 (ammonia) allowlist sanitizer,
so nothing an author writes can run script or load active content. Every id of a text is
unique, and links written for the anchors GitHub or Python-Markdown give headings lead to
those headings (see `anchors`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import escapedSplit, getLine, table
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .anchors import RESERVED_PREFIX, HeadingName, heading_aliases
from .attributes import parse_attribute_list, report_unshown, use_attribute_lists
from .canonical import CONTEXT_LINE, CanonicalText
from .characters import (
    DIRECTION_REFERENCE,
    INVISIBLE,
    MAX_REPORTED,
    MOST_ELEMENTS,
    check_references,
    describe_override,
    describe_right_to_left_element,
    find_invisible,
    find_invisible_references,
    find_mixed_scripts,
    find_mixed_scripts_in_references,
    may_hold_forbidden,
)
from .errors import Problem, SourceLocation, error, excerpt, warning
from .footnotes import BACK_CLASS, MARK_CLASS, NOTES_CLASS, OWN, use_footnotes
from .linkify import use_linkify
from .rawhtml import LINK_SCHEMES, find_raw_html_problems, unpublished_link, without_overfull_tags

HEADING_ATTRIBUTES = re.compile(r"\s*(\{[^{}]*\})\s*\Z")
"""An attribute list at the end of a heading: `## Title {#id}`, `## Title {: #id .class }`."""
SECTION_NUMBER = re.compile(r"\s*(?:§\s*)?(\d+(?:\.\d+)*)(\.?)")
"""A heading that starts with "4." or "4.2" gets the anchor section-4 or section-4-2."""
POLICY_LINK = re.compile(
    r'(?P<open><a\s(?:[^>]*?\s)?)href="\s*policy:(?P<id>[^"#]*)(?P<fragment>#[^"]*)?"'
    r"(?P<rest>[^>]*>(?P<text>.*?)</a>)",
    re.DOTALL | re.IGNORECASE,
)
"""A link to another policy, the element whole: links do not nest, so the first `</a>` closes it.
A scheme is read in any case, after spaces, as browsers read it."""

# No images: a revision folder holds only text, and a policy page must not let another site
# see who reads it. An <img> is let through the sanitizer with its description (its alt) only,
# and then replaced by it (`_images_as_words`).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"alt"},
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

ALLOWED_CLASSES = {
    "a": {BACK_CLASS},
    "div": {"table-scroll"},
    "ol": {"parens"},
    "section": {NOTES_CLASS},
    "sup": {MARK_CLASS},
}
"""The classes the renderer writes, the only ones a page keeps (see `_kept_classes`)."""


def _kept_classes(element: str, attribute: str, value: str) -> str | None:
    """The sanitizer's filter of attributes: of a `class`, the classes the renderer writes,
    or no `class` at all (the sanitizer would leave `class=""` where a text's own raw HTML
    wrote others). Those of footnotes only as the renderer writes them, after `OWN` (taken
    off here): written in a text's raw HTML, `<section class="footnotes">` would make its
    words a footnote's on the page of changes, and `<a class="footnote-backref">` would be
    left out of it."""
    if attribute != "class":
        return value
    allowed = ALLOWED_CLASSES.get(element, ())
    kept = " ".join(
        name[1:] if name[:1] == OWN else name
        for name in value.split()
        if (name[1:] in allowed if name[:1] == OWN else name in allowed and name not in _NOTES)
    )
    return kept or None


_NOTES = frozenset({BACK_CLASS, MARK_CLASS, NOTES_CLASS})
"""The classes of footnotes, which a text's raw HTML may not give (see `_kept_classes`)."""


SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_kept_classes,
    url_schemes=set(LINK_SCHEMES),
    allowed_classes=ALLOWED_CLASSES,
    filter_style_properties={"text-align"},
    # Every word of a policy is on its page, in print and in its PDF: a reader may fold a
    # <details> away, but finds it open.
    set_tag_attribute_values={"details": {"open": ""}},
    link_rel=None,
    strip_comments=True,
)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of a document, with its anchor."""

    level: int
    id: str
    """Anchor: its `{#id}`, `section-4-2` for a numbered heading, else a slug of the text."""
    text: str
    """Plain text as read (escapes, emphasis and links undone), without its attribute list."""
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
    ids: frozenset[str]
    """Every id of the HTML: headings', attribute lists', raw HTML's, and the aliases that keep
    GitHub's and Python-Markdown's heading anchors working. What in-page links may point at."""
    aliases: tuple[tuple[str, str], ...]
    """(alias, heading id), sorted: the anchors GitHub and Python-Markdown give the headings,
    where they differ from the headings' own (see `anchors`)."""
    opening_end: int
    """Where the heading the text opens with ends in `html` (0: the text opens otherwise):
    a page whose title it repeats leaves it out (see `present_text`)."""

    @property
    def anchors(self) -> frozenset[str]:
        """The headings' anchors: what a list of a text's sections shows."""
        return frozenset(h.id for h in self.headings)


def for_link_checks(text: RenderedText, same: dict[Any, Any]) -> RenderedText:
    """What the checks of the site's links read of a rendered text: its links, ids, headings'
    anchors and problems; without its HTML, the words and lines of its headings, or its
    aliases (all in its ids). Values equal to one in `same` are that one: the revisions of a
    text mostly have the same anchors, and a site's texts are then held once each."""

    def one(value: Any) -> Any:
        return same.setdefault(value, value)

    return RenderedText(
        "",
        one(tuple(one(Heading(0, heading.id, "", 0)) for heading in text.headings)),
        one(text.links),
        text.problems,
        one(text.ids),
        (),
        0,
    )


@dataclass(frozen=True, slots=True)
class _Target:
    """An id of a text, where it is written."""

    id: str
    line: int | None
    """File line."""
    is_written: bool
    """Written in the text (an attribute list, raw HTML), not made from a heading's text."""


@dataclass(frozen=True, slots=True)
class _Part:
    """A text or a part of one read by the parser, before sanitizing and the whole-text steps."""

    html: str
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    targets: tuple[_Target, ...]
    problems: tuple[Problem, ...]
    has_raw_html: bool
    """Raw HTML may leave an element open, which the sanitizer's parser carries on into the
    HTML after it: such a part is not sanitized alone."""


def render_markdown(canonical: CanonicalText, where: SourceLocation) -> RenderedText:
    """Render canonical Markdown to sanitized HTML and collect its headings, links and ids."""
    # Read once (a text of the model is read back from the spool file each time it is asked).
    canonical = CanonicalText(canonical.text, canonical.file_lines)
    sections = split_sections(canonical.text)
    if sections is not None:
        parts = [(first, _render_section(text)) for first, text in sections]
        ids = [target.id for _, part in parts for target in part.targets]
        # Anchors are made unique across the whole text (see _assign_ids): a text whose parts
        # share an id is read whole.
        if len(ids) == len(set(ids)):
            htmls, may_hold = _sanitized_parts([part for _, part in parts])
            joined = _joined(parts, canonical.file_lines, where)
            rendered, htmls = _finish(joined, htmls, canonical, where, may_hold)
            if not any(part.has_raw_html for _, part in parts):
                _RECENT_SECTIONS.keep(canonical.text, htmls)
            return rendered
    return render_whole(canonical, where)


def render_whole(canonical: CanonicalText, where: SourceLocation) -> RenderedText:
    """`render_markdown` without cutting the text into sections: the same result, slower."""
    part = _render(canonical.text, canonical.file_lines, where)
    return _finish(part, [_sanitize(part.html)], canonical, where)[0]


def _sanitize(html: str) -> str:
    """Parser HTML → the sanitized HTML pages show, tables wrapped and cells aligned by class."""
    return align_by_class(
        wrap_tables(_images_as_words(SANITIZER.clean(without_overfull_tags(html))))
    )


_SANITIZED_IMAGE = re.compile(r'<img((?:\s+[^\s"\'<>/=]+(?:="[^"]*")?)*)\s*/?>')
"""An <img> as the sanitizer writes it: attribute values always in double quotes, a double
quote in one escaped (but not always `<` and `>`)."""
_DESCRIPTION = re.compile(r'\salt="([^"]*)"')


def _images_as_words(html: str) -> str:
    """Sanitized HTML with each image replaced by its description (its alt text), as a Markdown
    image is (`_images_as_descriptions`): an image written in a comment was dropped with it."""
    if "<img" not in html:
        return html

    def description(image: re.Match[str]) -> str:
        alt = _DESCRIPTION.search(image[1])
        return escape(unescape(alt[1]), quote=False) if alt else ""

    return _SANITIZED_IMAGE.sub(description, html)


_sanitize_alone = functools.lru_cache(maxsize=16384)(_sanitize)
"""`_sanitize` of a part without raw HTML, each distinct part once: the HTML markdown-it
writes closes every element it opens, so the sanitizer reads it alike alone and in any text."""


_may_hold_forbidden_alone = functools.lru_cache(maxsize=16384)(may_hold_forbidden)


def _sanitized_parts(parts: Sequence[_Part]) -> tuple[list[str], bool]:
    """The sanitized HTML of parts read as one text, in pieces whose join is `_sanitize` of
    their HTML joined: a part at a time up to the first with raw HTML, and from there
    together; and whether it may hold a character that must not be published (False: it has
    none)."""
    for index, part in enumerate(parts):
        if part.has_raw_html:
            rest = _sanitize("".join(later.html for later in parts[index:]))
            return [*(_sanitize_alone(earlier.html) for earlier in parts[:index]), rest], True
    htmls = [_sanitize_alone(part.html) for part in parts]
    return htmls, any(map(_may_hold_forbidden_alone, htmls))


def _joined(parts: list[tuple[int, _Part]], lines: tuple[int, ...], where: SourceLocation) -> _Part:
    """Parts read alone, as one text: their lines counted in the file."""

    def line(first: int, offset: int | None) -> int | None:
        return lines[first + offset] if offset is not None and first + offset < len(lines) else None

    # Constructors rather than dataclasses.replace, which is slow: texts have many of these.
    return _Part(
        "".join(part.html for _, part in parts),
        tuple(
            Heading(h.level, h.id, h.text, line(first, h.line) or 0)
            for first, part in parts
            for h in part.headings
        ),
        tuple(
            Link(link.href, line(first, link.line) or 0)
            for first, part in parts
            for link in part.links
        ),
        tuple(
            _Target(target.id, line(first, target.line), target.is_written)
            for first, part in parts
            for target in part.targets
        ),
        tuple(
            dataclasses.replace(
                p, location=where.at(line(first, p.location.line), p.location.column)
            )
            for first, part in parts
            for p in part.problems
        ),
        any(part.has_raw_html for _, part in parts),
    )


def _taken_sections(
    headings: Sequence[Heading], targets: Sequence[_Target], where: SourceLocation
) -> list[Problem]:
    """A warning for each id written in a text that is the anchor of a numbered heading
    elsewhere (`{#section-1}` on the heading "2. Selling", `<div id="section-2">` past it):
    links to that section, from other policies, other sites and readers' bookmarks, lead to
    where the id is written instead. An id written on the heading's own line, or on one of
    the two lines above it (an `<a id>` before it), marks the same place, and is no
    warning."""
    sections: dict[str, Heading] = {}
    for heading in headings:
        anchor = heading_anchor(heading.text)
        if anchor.startswith("section-"):
            sections.setdefault(anchor, heading)
    problems = []
    for target in targets:
        taken = sections.get(target.id) if target.is_written else None
        if taken is None:
            continue
        if target.line is not None and 0 <= taken.line - target.line <= 2:
            continue
        problems.append(
            warning(
                where.at(target.line),
                "section-anchor-taken",
                f"the id '#{target.id}' is the anchor of the heading '{excerpt(taken.text)}' (line {taken.line}): links to that section lead here instead; choose another id, or write it on that heading",
            )
        )
    return problems


def _finish(
    part: _Part,
    htmls: list[str],
    canonical: CanonicalText,
    where: SourceLocation,
    may_hold: bool = True,
) -> tuple[RenderedText, list[str]]:
    """With the part's HTML sanitized (`htmls`, whose join it is; `may_hold` False: it holds
    no character that must not be published): report ids used twice, and give the headings
    the anchors other renderers would (see `anchors`), in-page links written for those
    pointing at the heading's own. Also returns `htmls` with the same done to each."""
    ids = {target.id for target in part.targets}
    aliases = _aliases(part.headings, part.targets, ids, part.links)
    if aliases:
        # Both insert into and rewrite single tags: the same in each piece as in their join.
        htmls = [retarget_links(html, aliases) for html in _add_aliases(htmls, aliases)]
    html = "".join(htmls)
    # What the aliases add to the parts' HTML is their names, and links to the headings' ids.
    references = (
        check_references(html, canonical.text, canonical.file_lines, where)
        if may_hold or any(map(may_hold_forbidden, (*aliases, *aliases.values())))
        else []
    )
    problems = sorted(
        (
            *part.problems,
            *_duplicate_ids(part.targets, where),
            *_taken_sections(part.headings, part.targets, where),
            *references,
            *_placeholders(canonical, where),
        ),
        key=Problem.sort_key,
    )
    rendered = RenderedText(
        html,
        part.headings,
        part.links,
        tuple(problems),
        frozenset(ids | aliases.keys()),
        tuple(sorted(aliases.items())),
        _opening_end(html, part.headings),
    )
    return rendered, htmls


PLACEHOLDER = re.compile(r"\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\}")
"""A Liquid, Jinja or Hugo placeholder: no brace inside, so that looking for them takes a time
in proportion to the line, whatever braces it holds."""
SNIPPET = re.compile(r"^[ \t]*-+8<-+(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*$", re.MULTILINE)
"""A line of MkDocs' snippets (`--8<-- "includes/abbreviations.md"`): another file put in."""


def _placeholders(canonical: CanonicalText, where: SourceLocation) -> Iterator[Problem]:
    """Placeholders of Liquid, Jinja or Hugo templates (`{{ site.email }}`), common in texts
    that come from Jekyll or GitHub Pages sites, and MkDocs' lines that put another file in:
    policygen publishes them as written."""
    text = canonical.text
    has_snippets = "8<-" in text and SNIPPET.search(text) is not None
    if "{{" not in text and "{%" not in text and not has_snippets:
        return
    for index, line in enumerate(text.split("\n")):
        for match in PLACEHOLDER.finditer(line):
            yield warning(
                where.at(canonical.file_lines[index], match.start() + 1),
                "template-placeholder",
                f"'{match[0]}' is a placeholder of another site generator's templates: policygen does not fill it in, so readers would see it as written; write what it stands for",
            )
        if has_snippets and SNIPPET.match(line):
            yield warning(
                where.at(canonical.file_lines[index], len(line) - len(line.lstrip()) + 1),
                "template-placeholder",
                f"'{line.strip()}' puts another file in, in MkDocs: policygen does not, so readers would see this line as written; write the text it stands for, or remove the line",
            )


def _aliases(
    headings: Sequence[Heading], targets: Sequence[_Target], ids: set[str], links: Sequence[Link]
) -> dict[str, str]:
    """The anchors other renderers give a text's headings (see `anchors`), by alias."""
    written = {target.id for target in targets if target.is_written}
    linked = frozenset(
        fragment
        for link in links
        if link.href.startswith("#") and (fragment := unquote(link.href[1:])) not in ids
    )
    return heading_aliases(
        (HeadingName(h.id, h.text, h.id in written) for h in headings), ids, linked
    )


def _duplicate_ids(targets: Sequence[_Target], where: SourceLocation) -> list[Problem]:
    first: dict[str, int | None] = {}
    problems = []
    for target in sorted(targets, key=lambda target: (target.line is None, target.line or 0)):
        if target.id not in first:
            first[target.id] = target.line
            continue
        where_first = f"on line {first[target.id]}" if first[target.id] is not None else "above"
        problems.append(
            error(
                where.at(target.line),
                "duplicate-anchor",
                f"the id '#{target.id}' is already used {where_first}: every id on a page must be unique",
            )
        )
    return problems


_HEADING_OPEN = re.compile(r'<h[1-6] id="([^"]*)">')
_IN_PAGE_LINK = re.compile(r'(<a\s[^>]*?href=")#([^"]*)"')


def _add_aliases(htmls: Sequence[str], aliases: dict[str, str]) -> list[str]:
    """An empty element with each alias as its id, at the start of its heading (in each of
    `htmls`, the parts of one text); of the first heading with that id, where several have
    it (an error, which a text of thousands of them must still report at once)."""
    by_heading: dict[str, list[str]] = {}
    for alias, heading in aliases.items():
        by_heading.setdefault(heading, []).append(alias)

    def add(match: re.Match[str]) -> str:
        names = by_heading.pop(unescape(match[1]), ())
        return match[0] + "".join(f'<span id="{escape(name)}"></span>' for name in names)

    return [_HEADING_OPEN.sub(add, html) for html in htmls]


def retarget_links(html: str, aliases: Mapping[str, str]) -> str:
    """In-page links to an alias (written for another renderer's anchors) made links to the
    heading's own id."""
    if not aliases or 'href="#' not in html:
        return html  # no in-page link: a whole page is not scanned for nothing

    def retarget(match: re.Match[str]) -> str:
        fragment = unquote(unescape(match[2]))
        if fragment not in aliases:
            return match[0]
        return f'{match[1]}{escape(MARKDOWN.normalizeLink("#" + aliases[fragment]))}"'

    return _IN_PAGE_LINK.sub(retarget, html)


def _opening_end(html: str, headings: tuple[Heading, ...]) -> int:
    if not headings:
        return 0
    first = headings[0]
    if not html.startswith(f'<h{first.level} id="{escape(first.id)}">'):
        return 0
    end = html.index(f"</h{first.level}>") + len(f"</h{first.level}>")
    return end + 1 if html[end : end + 1] == "\n" else end


SECTION_START = re.compile(r"\n\n(?=#{1,6}[ \t])")
"""Where a text is cut: before each heading that follows an empty line."""
_UNSPLITTABLE = re.compile(CONTEXT_LINE)
"""What could make a part of a text read differently alone: fenced code and HTML blocks (they
may hold empty lines and headings), and link reference definitions (they serve the whole text)."""
_UNSPLITTABLE_LATER = re.compile("\n" + CONTEXT_LINE.removeprefix("^"))
"""The same on a line after the first, found from its line break: a scan for one character
rather than an attempt at every position of the text."""


def is_read_whole(text: str) -> bool:
    """Whether Markdown may read a part of `text` differently alone than in the whole text,
    so that it must be read whole (see `split_sections`, and the segmentation's parts)."""
    # A link reference definition in a list item or a quote, or whose label goes on to
    # another line, serves the whole text as well: a text that may hold one is read whole.
    return (
        _UNSPLITTABLE.match(text) is not None
        or _UNSPLITTABLE_LATER.search(text) is not None
        or "]:" in text
    )


def split_sections(text: str) -> list[tuple[int, str]] | None:
    """A text cut into parts that Markdown reads the same alone as together, each with the
    index of its first line; None when the text cannot be cut safely.

    Policies repeat: most sections of a revision are those of the previous one, or of
    another region's text. Parts are read once, however many texts hold them.
    """
    if is_read_whole(text):
        return None
    parts = []
    start = first = 0
    for match in SECTION_START.finditer(text):
        end = match.start()
        while end > 0 and text[end - 1] in " \t":
            end -= 1
        if text[end - 1 : end] == "}":
            continue  # an attribute list before a heading belongs to it
        parts.append((first, text[start : match.start() + 1]))
        first += text.count("\n", start, match.end())
        start = match.end()
    parts.append((first, text[start:]))
    return parts


def rendered_sections(text: str) -> list[str] | None:
    """The HTML `render_markdown` makes of a text, cut where `split_sections` cuts the text;
    None for a text it reads whole, or that has raw HTML (which may leave an element open
    around the parts after it).

    Each part's HTML closes every element it opens: a reader of the HTML can read the parts
    one by one, each distinct one once. Anchors are those of the whole text.
    """
    recent = _RECENT_SECTIONS.get(text)
    if recent is not None:
        return recent
    sections = split_sections(text)
    if sections is None:
        return None
    parts = [_render_section(section) for _, section in sections]
    ids = {target.id for part in parts for target in part.targets}
    if any(part.has_raw_html for part in parts) or len(ids) != sum(
        len(part.targets) for part in parts
    ):
        return None
    htmls = [_sanitize_alone(part.html) for part in parts]
    aliases = _aliases(
        [h for part in parts for h in part.headings],
        [target for part in parts for target in part.targets],
        ids,
        [link for part in parts for link in part.links],
    )
    if aliases:
        # Both insert into and rewrite single tags: the same in each part as in their join.
        return [retarget_links(html, aliases) for html in _add_aliases(htmls, aliases)]
    return htmls


class _Recent:
    """The section HTML of the texts rendered last (see `rendered_sections`): a text's
    redlines are computed right after its pages' texts are rendered, and read it again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.htmls: dict[str, list[str]] = {}

    def keep(self, text: str, htmls: list[str]) -> None:
        self.htmls[text] = htmls
        if len(self.htmls) > self.size:
            del self.htmls[next(iter(self.htmls))]

    def get(self, text: str) -> list[str] | None:
        return self.htmls.get(text)


_RECENT_SECTIONS = _Recent(256)
"""More than the texts of one unit of a build's work (a policy in one language)."""


@functools.lru_cache(maxsize=16384)
def _render_section(text: str) -> _Part:
    """A part of a text rendered alone, unsanitized, its lines counted from 0 in the part."""
    return _render(text, tuple(range(text.count("\n") + 1)), SourceLocation(""))


def _render(text: str, file_lines: tuple[int, ...], where: SourceLocation) -> _Part:
    """Markdown → unsanitized HTML, headings, links, ids and problems (sorted), at file lines."""
    env: dict[str, object] = {
        "problems": [],
        "file_lines": file_lines,
        "where": where,
        "targets": [],
        "references": _References(),
    }
    tokens = MARKDOWN.parse(text, env)
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, env)
    headings, links = _outline(tokens, file_lines)
    problems, targets = env["problems"], env["targets"]
    assert isinstance(problems, list) and isinstance(targets, list)
    for identifier, line in env.get("note_ids", ()):  # type: ignore[attr-defined]
        targets.append(_Target(identifier, line, False))
    raw_html = find_raw_html_problems(tokens, text, file_lines, where)
    links += tuple(Link(href, line or 0) for href, line in raw_html.links)
    problems += raw_html.problems
    return _Part(
        html,
        headings,
        links,
        tuple(targets),
        tuple(sorted(problems, key=Problem.sort_key)),
        any(
            token.type == "html_block"
            or any(child.type == "html_inline" for child in token.children or ())
            for token in tokens
        ),
    )


@functools.lru_cache(maxsize=64)
def read_note_labels(text: str) -> tuple[str, ...]:
    """The labels of a canonical text's footnotes, in the order of their numbers."""
    if "[^" not in text or "]:" not in text:
        return ()
    env: dict[str, object] = {
        "problems": [],
        "file_lines": (),
        "where": SourceLocation(""),
        "targets": [],
        "references": _References(),
    }
    MARKDOWN.parse(text, env)
    labels = env.get("note_labels", ())
    assert isinstance(labels, tuple)
    return labels


def resolve_policy_links(html: str, resolve: Callable[[str, str], str | None]) -> str:
    """Replace `policy:ID#anchor` links by the URL `resolve(ID, "#anchor")` gives; a link it
    gives none for (a policy with no page yet) becomes its text, never a link to nowhere."""

    def replace(match: re.Match[str]) -> str:
        url = resolve(match.group("id"), match.group("fragment") or "")
        if url is None:
            return match.group("text")
        return f'{match.group("open")}href="{url}"{match.group("rest")}'

    return POLICY_LINK.sub(replace, html)


_OTHER_TITLE = re.compile(r"^ {0,3}(?:#(?:[ \t]|$)|=+[ \t]*$)", re.MULTILINE)
"""A line that may make a level-1 heading (`# …`, or `===` under a paragraph)."""


def read_title(text: str) -> str | None:
    """The title a canonical text gives itself: the text of the heading it opens with, when
    that is a level-1 heading and the text has no other."""
    if not text.lstrip(" ").startswith("#") and "=" not in text.split("\n\n", 1)[0]:
        return None
    first = text.split("\n\n", 1)[0]
    env: dict[str, object] = {"problems": [], "file_lines": (), "where": SourceLocation("")}
    tokens = MARKDOWN.parse(first, env)
    if not tokens or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return None
    after = tokens[0].map[1] if tokens[0].map else 1
    if _OTHER_TITLE.search(text.split("\n", after)[-1] if text.count("\n") >= after else ""):
        return None
    return plain_text(tokens[1]).strip() or None


def present_text(rendered: RenderedText, title: str) -> tuple[str, tuple[Heading, ...]]:
    """The HTML a document page titled `title` shows of a text, and the headings its table of
    contents lists: the page's title is its only `<h1>`.

    A heading the text opens with that repeats the title is left out (its ids stay, so links
    to it still land); if the text has level-1 headings still, every heading goes one level
    down. A lone heading the text opens with is its title, not one of its sections.
    """
    html, headings = rendered.html, rendered.headings
    if rendered.opening_end and _same_title(headings[0].text, title):
        ids = _ID_ATTRIBUTE.findall(html[: rendered.opening_end])
        html = "".join(f'<span id="{i}"></span>' for i in ids) + html[rendered.opening_end :]
        headings = headings[1:]
    elif (
        rendered.opening_end
        and len(headings) > 1
        and sum(h.level == headings[0].level for h in headings) == 1
    ):
        headings = headings[1:]
    return shift_headings([html])[0], headings


_ID_ATTRIBUTE = re.compile(r'<[a-z][a-z0-9]*\s[^>]*?\bid="([^"]*)"')
_LEVEL_ONE = re.compile(r"<h1[\s>]")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def shift_headings(parts: Sequence[str]) -> list[str]:
    """The parts of one page's text with every heading one level down when any of them has a
    level-1 heading (the page's title is its only one); h6 stays h6."""
    if not any(_LEVEL_ONE.search(part) for part in parts):
        return list(parts)
    return [_HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", part) for part in parts]


def _same_title(heading: str, title: str) -> bool:
    return " ".join(heading.split()).casefold() == " ".join(title.split()).casefold()


def plain_text(inline: Token) -> str:
    """The text of an inline token as read, without markup: escapes and entities undone."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def slugify(text: str) -> str:
    """A URL fragment for a heading without a number or an explicit id."""
    text = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", text).strip("-_")
    return slug or "section"


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


def _assign_ids(state: StateCore) -> None:
    """Record every id the text writes (attribute lists, raw HTML) and give every other
    heading a stable anchor that none of them has; strip attribute lists from headings."""
    tokens, env = state.tokens, state.env
    file_lines: tuple[int, ...] = env["file_lines"]
    written: list[_Target] = []
    unnamed: list[tuple[Token, Token]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            identifier = _take_heading_attributes(inline, env, token.map)
            if identifier is not None:
                token.attrSet("id", identifier)
                token.meta["id_line"] = token.map[0] if token.map else None
            elif token.attrGet("id") is None:
                unnamed.append((token, inline))
        elif token.type == "paragraph_open":
            item = _take_paragraph_attributes(tokens, index, env)
            if item is not None:  # read already, above: its id is recorded here
                at = item.meta.get("id_line")
                written.append(_Target(str(item.attrGet("id")), _line(file_lines, at), True))
        if (block_id := token.attrGet("id")) is not None:
            at = token.meta.get("id_line", token.map[0] if token.map else None)
            written.append(_Target(str(block_id), _line(file_lines, at), True))
        if token.type == "html_block":
            written += _raw_html_ids(token, file_lines)
        for child in token.children or ():
            if child.type == "html_inline":
                line = _line(file_lines, token.map[0] if token.map else None)
                written += (_Target(t.id, line, True) for t in _raw_html_ids(child, ()))
            elif (inline_id := child.attrGet("id")) is not None:
                line = _line(file_lines, token.map[0] if token.map else None)
                written.append(_Target(str(inline_id), line, True))
    for target in written:
        if target.id.startswith(RESERVED_PREFIX):
            env["problems"].append(
                error(
                    env["where"].at(target.line),
                    "reserved-anchor",
                    f"ids starting with '{RESERVED_PREFIX}' are reserved for the page around the text: choose another than '#{target.id}'",
                )
            )
    used = {target.id for target in written}
    # For each anchor, the first number whose "-N" may be free (those before it are used): a
    # text of thousands of equal headings tries each number once.
    numbered: dict[str, int] = {}
    made = []
    for token, inline in unnamed:
        text = plain_text(inline)
        anchor = heading_anchor(text)
        if anchor.startswith(RESERVED_PREFIX):
            anchor = "h-" + anchor
        if anchor in used and anchor.startswith("section-"):
            # A second "1." (say, a numbered sub-heading) must not take the look of "1.2".
            anchor = slugify(text)
        if anchor in used:
            number = numbered.get(anchor, 2)
            while f"{anchor}-{number}" in used:
                number += 1
            numbered[anchor] = number + 1
            anchor = f"{anchor}-{number}"
        used.add(anchor)
        token.attrSet("id", anchor)
        made.append(_Target(anchor, _line(file_lines, token.map[0] if token.map else None), False))
    env.setdefault("targets", []).extend(written + made)


def _take_heading_attributes(
    inline: Token, env: MutableMapping[str, Any], where: list[int] | None
) -> str | None:
    """Strip the attribute list that ends a heading's text (warning of words it holds that
    no page shows); the id it sets, if any."""
    last = inline.children[-1] if inline.children else None
    if last is None or last.type != "text":
        return None
    marker = heading_attributes(last.content)
    attributes = parse_attribute_list(marker[1]) if marker else None
    if marker is None or attributes is None or attributes.is_definition:
        return None
    report_unshown(env, attributes, where[0] if where else None)
    last.content = last.content[: marker.start()]
    whole = heading_attributes(inline.content)
    if whole is not None:
        inline.content = inline.content[: whole.start()]
    return attributes.id


def _take_paragraph_attributes(
    tokens: list[Token], index: int, env: MutableMapping[str, Any]
) -> Token | None:
    """Strip the attribute list that ends a paragraph's last line, as it ends a heading's
    ('Effective October 31, 2025 {: datetime="2025-10-31" }', Mozilla's Common Voice
    notices), and set the id it names on the paragraph (a tight list item's, on the item:
    that item is returned). Only the `{:` form or one naming an id, after a space: '{Company}'
    and '{a=b}' at the end of a sentence stay words."""
    inline = tokens[index + 1]
    last = inline.children[-1] if inline.children else None
    if last is None or last.type != "text" or not last.content.endswith("}"):
        return None
    marker = heading_attributes(last.content)
    attributes = parse_attribute_list(marker[1]) if marker else None
    if marker is None or attributes is None or attributes.is_definition:
        return None
    if not marker[1].startswith("{:") and attributes.id is None:
        return None
    if marker.start(1) == marker.start():
        return None  # against a word ('2 ** 3{: #power }'): after marks that closed nothing
    if not last.content[: marker.start()].strip() and len(inline.children or ()) == 1:
        return None  # the whole paragraph: a list on its own line, which the block rule reads
    report_unshown(env, attributes, inline.map[1] - 1 if inline.map else None)
    last.content = last.content[: marker.start()]
    whole = heading_attributes(inline.content)
    if whole is not None:
        inline.content = inline.content[: whole.start()]
    if attributes.id is None:
        return None
    target = tokens[index]
    if target.hidden:
        parent = index - 1
        while parent >= 0 and (tokens[parent].nesting != 1 or tokens[parent].level >= target.level):
            parent -= 1
        target = tokens[parent] if parent >= 0 else target
    if target.attrGet("id") is not None:
        return None
    target.attrSet("id", attributes.id)
    target.meta["id_line"] = inline.map[1] - 1 if inline.map else None
    return target if target is not tokens[index] else None


def heading_attributes(text: str) -> re.Match[str] | None:
    """The attribute list that ends a heading's text (`HEADING_ATTRIBUTES`), looked for from
    its last `{`: a search from every character would take a time that grows with the square
    of a run of spaces, and a text may come from anyone."""
    brace = text.rfind("{")
    if brace < 0:
        return None
    return HEADING_ATTRIBUTES.match(text, len(text[:brace].rstrip()))


_ID_OR_NAME = re.compile(r"\b(?:id|name)\s*=", re.IGNORECASE)


class _RawIds(HTMLParser):
    """The ids raw HTML gives the elements the sanitizer keeps; `<a name="x">`, the anchor of
    older HTML (the sanitizer drops `name`), is written `<a id="x">`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[tuple[str, int]] = []
        """(id, line in the HTML counted from 1)."""
        self.renamed: list[tuple[tuple[int, int], str, str]] = []
        """((line, column), the start tag as written, the same tag with `id` for `name`)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        values = dict(attrs)
        identifier, name = values.get("id"), values.get("name")
        if identifier is None and tag == "a" and name and not any(c.isspace() for c in name):
            identifier = name
            rewritten = "".join(
                f' {"id" if key == "name" else key}="{escape(value or "")}"' for key, value in attrs
            )
            self.renamed.append((self.getpos(), self.get_starttag_text() or "", f"<a{rewritten}>"))
        if identifier:
            self.ids.append((identifier, self.getpos()[0]))


def _raw_html_ids(token: Token, file_lines: tuple[int, ...]) -> list[_Target]:
    """The ids of an HTML token, at their lines (none known when `file_lines` is empty)."""
    if not _ID_OR_NAME.search(token.content):
        return []
    reader = _RawIds()
    reader.feed(token.content)
    reader.close()
    if reader.renamed:
        starts = [0] + [i + 1 for i, char in enumerate(token.content) if char == "\n"]
        content = token.content
        for (line, column), tag, rewritten in reversed(reader.renamed):
            at = starts[line - 1] + column
            if content.startswith(tag, at):
                content = content[:at] + rewritten + content[at + len(tag) :]
        token.content = content
    first = token.map[0] if token.map else None
    return [
        _Target(identifier, _line(file_lines, None if first is None else first + line - 1), True)
        for identifier, line in reader.ids
    ]


def _line(file_lines: tuple[int, ...], index: int | None) -> int | None:
    """The file line of a line of the canonical text (None when unknown)."""
    return file_lines[index] if index is not None and index < len(file_lines) else None


def _warn_at(env: MutableMapping[str, Any], token: Token, code: str, message: str) -> None:
    """A warning at the file line of a token of the text being rendered."""
    env["problems"].append(
        warning(env["where"].at(_file_line(env["file_lines"], token)), code, message)
    )


def _warn_at_line(env: MutableMapping[str, Any], index: int, code: str, message: str) -> None:
    """A warning at the file line of a line of the text being rendered."""
    env["problems"].append(warning(env["where"].at(_line(env["file_lines"], index)), code, message))


def _images_as_descriptions(state: StateCore) -> None:
    """Images are not published (see ALLOWED_TAGS): a Markdown image is shown as its
    description, the words it stands for (`info![@](at.png)example.org` is an address, and a
    table's `![Yes](tick.png)` an answer), and each is reported rather than dropped silently."""
    env = state.env
    for token in state.tokens:
        children = token.children or []
        images = [(index, child) for index, child in enumerate(children) if child.type == "image"]
        for index, image in images:
            description = plain_text(image)
            children[index] = Token("text", "", 0, content=description)
            _warn_at(
                env,
                token,
                "image",
                f"images are not published ('{image.attrGet('src')}'): policy pages load nothing from elsewhere{_shown_instead(description)}",
            )
        for raw in (t for t in (token, *children) if t.type in ("html_block", "html_inline")):
            for tag in _RAW_IMAGE.finditer(_RAW_COMMENT.sub("", raw.content)):
                alt = _RAW_DESCRIPTION.search(tag[0])
                description = unescape(next(filter(None, alt.groups()), "")) if alt else ""
                _warn_at(
                    env,
                    token,
                    "image",
                    f"images are not published ('<img>'): policy pages load nothing from elsewhere{_shown_instead(description)}",
                )


_RAW_IMAGE = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_RAW_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
"""A comment, which the sanitizer drops with any image in it (to the end if it is not closed)."""
_RAW_DESCRIPTION = re.compile(
    r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)


def _shown_instead(description: str) -> str:
    """What a warning about an image says is shown in its place."""
    if description.strip():
        return f"; its description, '{excerpt(description)}', is shown in its place: check that it says what the image shows"
    return "; describe it in words"


RUBY_FALLBACK = re.compile(r"<rp(?:\s[^>]*)?>(.*?)</rp\s*>", re.IGNORECASE | re.DOTALL)
"""What a ruby's <rp> holds: what a browser that cannot show ruby shows instead, and every
other browser hides."""


def _report_hidden_ruby_fallbacks(state: StateCore) -> None:
    """An <rp> holds the parentheses around a reading, for browsers that cannot show ruby;
    the others hide it: one that holds words would hide them from most readers, though
    source.md holds them."""
    for token in state.tokens:
        if token.type not in ("inline", "html_block"):
            continue
        for found in RUBY_FALLBACK.finditer(token.content):
            held = unescape(re.sub(r"<[^>]*>", "", found[1]))
            if any(unicodedata.category(char)[0] in "LN" for char in held):
                state.env["problems"].append(
                    error(
                        state.env["where"].at(_file_line(state.env["file_lines"], token)),
                        "unclosed-html",
                        f"'<rp>' holds words ('{excerpt(' '.join(held.split()))}'), which browsers that show ruby hide: it is for the parentheses around a reading, such as '('; write the words outside it",
                    )
                )
                break


SHRINKING_TAG = re.compile(r"<(/?)(small|sub|sup|rt)(?=[\s/>])[^>]*>?", re.IGNORECASE)
"""A tag of an element in which browsers and PDFs set words smaller than those around it."""
MOST_SHRINKING = 3
"""Elements that set words smaller that words may stand in: `<sup><small>TM</small></sup>`
is read; in four, a browser shows words at half their size, in twenty-five at a pixel."""
_KEPT_ACROSS_BLOCKS = frozenset({"small"})
"""What a paragraph's end does not close: HTML reopens a `<small>` left open in the next
paragraph (a formatting element), where it ends a `<sub>`, `<sup>` or `<rt>`."""


def _report_shrunk_words(state: StateCore) -> None:
    """Words inside more than MOST_SHRINKING `<small>`, `<sub>`, `<sup>` or `<rt>` elements
    are set so small that readers cannot read them (each makes words smaller again; a PDF
    has no smallest size), and nested `<sub>`s move them lines below their own: 'We will
    <small> (25 times) not </small> (25 times) sell' reads 'We will sell', though source.md
    holds 'not'. Said once per paragraph, heading, cell or HTML block."""
    if not SHRINKING_TAG.search(state.src):
        return  # nearly every text, looked at once
    open_elements: Counter[str] = Counter()
    for token in state.tokens:
        if token.type == "html_block":
            pieces = [(token.content, True)]
        elif token.type == "inline":
            pieces = [
                (child.content, child.type == "html_inline") for child in token.children or ()
            ]
        else:
            continue
        found = None
        for content, is_html in pieces:
            # The words of the piece, each run with the number of elements open around it.
            runs: list[tuple[str, int]] = []
            if is_html:
                html = _RAW_COMMENT.sub("", content)
                position = 0
                for tag in SHRINKING_TAG.finditer(html):
                    runs.append((_plain(html[position : tag.start()]), open_elements.total()))
                    name = tag[2].lower()
                    change = -1 if tag[1] else 1
                    open_elements[name] = max(open_elements[name] + change, 0)
                    position = tag.end()
                runs.append((_plain(html[position:]), open_elements.total()))
            else:
                runs.append((content, open_elements.total()))
            if found is None:
                found = next(
                    (
                        words
                        for words, depth in runs
                        if depth > MOST_SHRINKING and any(char.isalnum() for char in words)
                    ),
                    None,
                )
        if token.type == "inline":
            for name in open_elements.keys() - _KEPT_ACROSS_BLOCKS:
                open_elements[name] = 0
        if found is not None:
            state.env["problems"].append(
                error(
                    state.env["where"].at(_file_line(state.env["file_lines"], token)),
                    "shrunk-words",
                    f"'{excerpt(found)}' stands inside more than {MOST_SHRINKING} elements that each set words smaller ('<small>', '<sub>', '<sup>', '<rt>'): readers see a dot or nothing where source.md holds words; write them at the size of the text around them",
                )
            )


def _report_literal_emphasis(state: StateCore) -> None:
    """`**` that makes nothing bold shows as written: `**Basic account information: **We`
    (the closing ** must touch the word before it). Said once per paragraph, heading or cell.

    Run before text_join: an escaped `\\*` is a token of its own until then, so the text
    tokens hold only asterisks that Markdown read as emphasis and could not pair.
    """
    env = state.env
    for token in state.tokens:
        if token.type != "inline":
            continue
        in_autolink = False
        for child in token.children or ():
            if child.type == "link_open" and child.markup == "autolink":
                in_autolink = True
            elif child.type == "link_close":
                in_autolink = False
            elif child.type == "text" and not in_autolink and "**" in child.content:
                words = _around(child.content, child.content.index("**"))
                _warn_at(
                    env,
                    token,
                    "literal-asterisks",
                    f"'**' shows as written in '{words}', and makes nothing bold: ** goes right against the words it makes bold, **like this** (or write \\*\\* for the asterisks themselves)",
                )
                break


_NOT_A_HEADING = re.compile(r"(#{1,6})(\u00a0|[^\s#])")
"""A paragraph's line that was meant as a heading: `##Data`, or `##` and a no-break space."""
_NOT_A_LIST_ITEM = re.compile(r"(\d{1,9}[.)])(?![A-Za-z](?![A-Za-z]))[^\s\d.)]")
"""A paragraph's line that was meant as a numbered list item: `1.Mozilla…` (not `1.A`, a
clause's number, nor `2.5`)."""


def _report_literal_markers(state: StateCore) -> None:
    """A line that was meant to start a heading or a numbered list item, but has no space
    after its `#` or `1.`, is read as words of a paragraph: readers see the marks, and lines
    meant as separate items run together. Said once per paragraph.

    Only what cannot be a line of wrapped text: `##` or more on any line, `#` on the
    paragraph's first line (a wrapped line may start with a `#hashtag`), and numbers that
    start two lines or more (one wrapped line may start with a reference such as `1.x`).
    """
    env = state.env
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or tokens[index - 1].type != "paragraph_open" or not token.map:
            continue
        lines = [line.lstrip(" \t") for line in token.content.split("\n")]
        numbers = [_NOT_A_LIST_ITEM.match(line) for line in lines]
        # Only the first of two numbered lines or more is told.
        numbered = [number for number in numbers if number is not None]
        first_number = numbered[0] if len(numbered) > 1 else None
        for offset, line in enumerate(lines):
            heading = _NOT_A_HEADING.match(line)
            number = numbers[offset]
            if heading and (len(heading[1]) > 1 or (offset == 0 and not heading[2].isdigit())):
                is_nbsp = heading[2] == "\u00a0"
                after = "a no-break space" if is_nbsp else "no space"
                what = f"'{heading[1]}' has {after} after it, so this line is no heading"
                fix = f"put a plain space after {heading[1]}" + (" instead" if is_nbsp else "")
            elif number is not None and number is first_number:
                what = f"'{number[1]}' has no space after it, so this line starts no list item"
                fix = f"put a space after {number[1]}"
            else:
                continue
            _warn_at_line(
                env,
                token.map[0] + offset,
                "literal-marker",
                f"{what}: readers see '{excerpt(line)}' as written, in the paragraph around it; {fix}",
            )
            break


TABLE_DASHES_WITH_WORDS = re.compile(
    r"\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?!:?-+:?[ \t]*$)([^|\s][^|]*)"
)
"""A table's line of dashes with words after its last `|`: `| --- | --- |2023 Terms of Use`.
The dashes of its last column are no such words (`| --- | --- |` opens a table whose first
row is empty, as BlaBlaCar's do)."""


def _report_tables_with_words_after_dashes(state: StateCore) -> None:
    """A table's line of dashes followed by words makes no table: readers see it and the row
    above it as written, `|` and `---` and all. Converters of web pages to Markdown write a
    table's caption there, after an empty row (Buffer's Terms of Service open with
    `|     |     |` and `| --- | --- |2023 Terms of Use`). Said once per paragraph."""
    env = state.env
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or tokens[index - 1].type != "paragraph_open" or not token.map:
            continue
        if "|" not in token.content or "-" not in token.content:
            continue  # most paragraphs, looked at once
        lines = token.content.split("\n")
        for offset in range(1, len(lines)):
            dashes = TABLE_DASHES_WITH_WORDS.fullmatch(lines[offset].strip())
            above = lines[offset - 1].strip()
            if dashes is None and "|" in above and (found := _cells_unlike(above, lines[offset])):
                _warn_at_line(
                    env,
                    token.map[0] + offset,
                    "table-not-read",
                    f"this line of dashes has {found[1]} columns and the row above it {found[0]} cells, so it makes no table: readers see both as written, '|' and '---' and all; write as many columns of dashes as the row above has cells, or give it as many cells (an empty cell is '| |')",
                )
                break
            if dashes is None or "|" not in above:
                continue
            words = dashes[1].strip()
            dashes_only = lines[offset].strip()[: -len(dashes[1])].rstrip()
            if not above.replace("|", "").strip():
                fix = f"remove it and the row of empty cells above it, and keep '{excerpt(words)}' as a paragraph of its own"
            else:
                fix = f"end it at its last '|' ({dashes_only}) and put '{excerpt(words)}' on a line of its own, after an empty line"
            _warn_at_line(
                env,
                token.map[0] + offset,
                "table-not-read",
                f"words follow the last '|' of this line of dashes, so it makes no table: readers see it and the row above it as written, '|' and '---' and all; {fix}",
            )
            break


TABLE_DASHES = re.compile(r"\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?")
"""A table's line of dashes, nothing else: `| --- | :-: |`, `--- | ---`."""


def _cells_unlike(header: str, line: str) -> tuple[int, int] | None:
    """(cells of a header row, columns of the line of dashes under it) when they differ, as
    GFM's table rule counts them, which then reads no table; else None."""
    line = line.strip()
    if "|" not in line or not TABLE_DASHES.fullmatch(line):
        return None
    columns = len(line.strip("|").split("|"))
    cells = _row_cells(header)
    return (len(cells), columns) if cells and len(cells) != columns else None


def _row_cells(line: str) -> list[str]:
    """The cells of a table's row, as GFM's table rule cuts them (an escaped `\\|` is text),
    without the empty ones its first and last `|` make."""
    cells = escapedSplit(mdTrim(line))
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _table_noting_dropped_cells(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """GFM's table rule, noting on each row the words of the cells it has past its header's
    number, which a page drops: `| Logs | 1 year | We sell them |` under two headers shows
    "Logs" and "1 year" alone."""
    first = len(state.tokens)
    if not table(state, start, end, silent):
        return False
    columns = 0
    for token in state.tokens[first:]:
        if token.type == "th_open":
            columns += 1
        elif token.type == "tr_open" and token.map and token.map[0] > start:
            cells = _row_cells(getLine(state, token.map[0]))
            dropped = " | ".join(words for cell in cells[columns:] if (words := mdTrim(cell)))
            if dropped:
                token.meta["dropped cells"] = dropped
    return True


def _report_dropped_cells(state: StateCore) -> None:
    """A row with more cells than its table's header: the page shows as many as the header
    has, and none of the others' words, which source.md (and its SHA-256) holds."""
    for token in state.tokens:
        dropped = token.meta.get("dropped cells") if token.type == "tr_open" else None
        if dropped:
            _warn_at(
                state.env,
                token,
                "dropped-cells",
                f"this row has more cells than its table's header: readers see nothing of '{excerpt(dropped)}', though source.md holds it; give the table a column for it, or write \\| for a '|' that is text",
            )


_FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,50}\]")
"""A footnote's mark, as GitHub and Python-Markdown write them: `[^1]`."""


def _report_footnotes(state: StateCore) -> None:
    """A footnote's mark whose note the text does not write (`[^2]` with no `[^2]: …`)
    shows as written, and a mark in the words of a link (`[our rules[^1]](…)`) shows the
    link as written. Said once per paragraph, heading or cell.

    Run before text_join: an escaped `\\[` is a token of its own until then."""
    env = state.env
    for token in state.tokens:
        if token.type != "inline" or "[^" not in token.content:
            continue  # most paragraphs, looked at once
        children = token.children or []
        for child, after in zip(children, [*children[1:], None], strict=True):
            if (
                child.type == "footnote_ref"
                and after is not None
                and after.type == "text"
                and after.content.startswith(("](", "]["))
            ):
                # Links hold no other link, and Markdown reads a mark as one: the link's
                # brackets and its address show as written, around the mark.
                label = child.meta.get("label", "")
                _warn_at(
                    env,
                    token,
                    "footnote-in-link",
                    f"a footnote's mark in a link's words ('[…[^{label}]](…)') makes no link: readers see its brackets and its address as written; put the mark after the link: [words](address)[^{label}]",
                )
                break
            mark = _FOOTNOTE.search(child.content) if child.type == "text" else None
            if mark is not None:
                _warn_at(
                    env,
                    token,
                    "footnote",
                    f"'{mark[0]}' shows as written: the text has no note '{mark[0]}: …' for it; write the note (on a line of its own, after an empty line), or remove the mark",
                )
                break


_CHANGE_MARK = re.compile(r"~~|<(del|ins|s)\b", re.IGNORECASE)
"""Words struck through or marked inserted: how a redline shows a change."""
_MARK_TAG = re.compile(r"<(del|ins|s)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


def _report_change_marks(state: StateCore) -> None:
    """Words of a text struck through (`~~`, `<del>`, `<s>`) or marked inserted (`<ins>`)
    look like a redline's changes: on a page they read as removed though they are in force,
    and on a redline page they cannot be told from what did change. Said once per paragraph,
    heading, cell or HTML block."""
    if not _CHANGE_MARK.search(state.src):
        return  # nearly every text, looked at once
    env = state.env
    for token in state.tokens:
        if token.type == "inline":
            found = _inline_change_mark(token.children or [])
        elif token.type == "html_block" and (tag := _MARK_TAG.search(token.content)):
            found = f"<{tag[1].lower()}>", _plain(tag[2])
        else:
            continue
        if found is None:
            continue
        mark, words = found
        if mark == "<ins>":
            what = f"'<ins>' marks '{excerpt(words)}' as inserted, as a redline marks new words: on the redline page they cannot be told from what changed; write them as plain text"
        else:
            what = f"'{mark}' shows '{excerpt(words)}' struck through, as a redline shows deleted words, though they are part of the text in force: readers may take them as removed; write the text as it stands (the redline shows what changed)"
        _warn_at(env, token, "change-mark", what)


def _inline_change_mark(children: Sequence[Token]) -> tuple[str, str] | None:
    """The first mark of a change among a paragraph's tokens, and the words it marks."""
    for index, child in enumerate(children):
        if child.type == "s_open":
            mark, closing = "~~", "s_close"
        elif child.type == "html_inline" and (opened := _CHANGE_MARK.match(child.content)):
            mark, closing = f"<{opened[1].lower()}>", f"</{opened[1].lower()}"
        else:
            continue
        words = []
        for after in children[index + 1 :]:
            if after.type == closing or after.content.lower().startswith(closing):
                break
            words.append(after.content)
        return mark, _plain("".join(words))
    return None


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", "", html).split())


_HIDDEN_ADDRESS = re.compile(r"\[email[ \u00a0]protected\]|/cdn-cgi/l/email-protection")
"""What a page served by Cloudflare shows and links to in place of an email address, until a
script of the page writes the address in."""


def _report_hidden_addresses(state: StateCore) -> None:
    """A text copied from a web page behind Cloudflare may hold "[email protected]" where the
    page showed an email address, linked to /cdn-cgi/l/email-protection: readers get no
    address to write to. Said once per paragraph, heading or cell. (`policygen import` of the
    saved page writes the addresses out.)"""
    if not _HIDDEN_ADDRESS.search(state.src):
        return  # nearly every text, looked at once
    for token in state.tokens:
        if token.type not in ("inline", "html_block"):
            continue
        hrefs = " ".join(
            str(child.attrGet("href") or "")
            for child in token.children or ()
            if child.type == "link_open"
        )
        if _HIDDEN_ADDRESS.search(token.content) or _HIDDEN_ADDRESS.search(hrefs):
            _warn_at(
                state.env,
                token,
                "hidden-address",
                "'[email protected]', or a link to /cdn-cgi/l/email-protection, stands where the web page this text was copied from showed an email address, which Cloudflare hides until a script of the page writes it in: readers get no address to write to; write the address, linked as mailto:…",
            )


def _accept_every_link(url: str) -> bool:
    """Markdown reads every link as a link, whatever its address: `_unlink_scripts` takes
    the link off words whose address a page must not lead to."""
    return True


def _links(children: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """The places of each link's opening and closing tokens among an inline's children."""
    for opening, child in enumerate(children):
        if child.type == "link_open":
            # Links hold no links (CommonMark), so the next end of a link is this one's.
            closing = next(
                index
                for index in range(opening + 1, len(children))
                if children[index].type == "link_close"
            )
            yield opening, closing


def _unlink_scripts(state: StateCore) -> None:
    """A link to a script (`javascript:`), to what a page must not lead to (`file:`,
    `data:`) or to an address of another kind than the sanitizer keeps (`ftp:`; see
    `unpublished_link`) shows its words without a link, and says so. CommonMark leaves a
    link to a script unread, so readers saw it as written: a text copied from a web page
    showed `[cliquez-ici](javascript:openAxeptioCookies())`, brackets and all; the
    sanitizer took the others' addresses away without a word."""
    for token in state.tokens:
        children = token.children
        if token.type != "inline" or not children:
            continue
        unlinked = []
        for opening, closing in _links(children):
            href = str(children[opening].attrGet("href"))
            if (why := unpublished_link(unquote(href))) is None:
                continue
            words = "".join(inner.content for inner in children[opening + 1 : closing])
            _warn_at(
                state.env,
                token,
                "script-link",
                f"the link of '{excerpt(words)}' leads to '{excerpt(unquote(href))}', {why}",
            )
            unlinked += [opening, closing]
        for index in sorted(unlinked, reverse=True):
            del children[index]


def _report_empty_links(state: StateCore) -> None:
    """A link with no words shows nothing a reader can see or click, and a screen reader reads
    out its address instead: said once per paragraph, heading, item or cell."""
    for token in state.tokens:
        children = token.children
        if token.type != "inline" or not children:
            continue
        for opening, closing in _links(children):
            if not any(inner.content.strip() for inner in children[opening + 1 : closing]):
                href = unquote(str(children[opening].attrGet("href")))
                _warn_at(
                    state.env,
                    token,
                    "empty-link",
                    f"a link with no words, to '{excerpt(href)}': readers see nothing of it, and screen readers read out its address; write its words between the brackets, or remove it",
                )
                break


def _report_empty_headings(state: StateCore) -> None:
    """A heading with no words (`##` alone, which GitBook leaves at a text's end) shows as an
    empty line, yet opens a section: the page's contents list an entry with no words, and a
    redline names the section by what it is not."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if (
            token.type == "heading_open"
            and inline.type == "inline"
            and not plain_text(inline).strip()
            and not any(child.type == "image" for child in inline.children or ())
        ):
            _warn_at(
                state.env,
                token,
                "empty-heading",
                f"'{token.markup}' is a heading with no words: readers see an empty line, and the page's contents an entry with nothing to read; write its words after '{token.markup}', or remove the line",
            )


class _References(dict[str, dict[str, Any]]):
    """A text's link reference definitions, as Markdown reads them, remembering those a link
    of the text used (Markdown looks each up with `get`)."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()

    def get(self, label: str, default: Any = None) -> Any:
        found = super().get(label, default)
        if found is not default:
            self.used.add(label)
        return found


def _report_unused_references(state: StateCore) -> None:
    """A link reference definition shows nothing on the page: only the links that use it
    do. One that no link uses is words source.md holds that no reader sees
    (`[We may sell your data]: <>`)."""
    references = state.env.get("references")
    if not isinstance(references, _References):
        return
    lines = state.src.split("\n")
    for label, definition in references.items():
        where = definition.get("map")
        if label in references.used or not where:
            continue
        written = " ".join(line.strip() for line in lines[where[0] : where[1]])
        _warn_at_line(
            state.env,
            where[0],
            "unused-definition",
            f"a link definition no link uses ('{excerpt(written)}'): readers see nothing of it, though source.md holds it; use it in a link, or remove it",
        )


_TEXT_TOKENS = frozenset({"inline", "html_block", "fence", "code_block"})
"""The tokens whose content a page shows as text: code too, whose characters are shown
as written, in the order a direction control gives them."""
_DIRECTION_ATTRIBUTE = re.compile(r"\sdir\s*=", re.IGNORECASE)
"""Raw HTML that may set a direction (`<span dir="rtl">`)."""


def _report_bidi_overrides(state: StateCore) -> None:
    """A bidirectional override makes the page show the characters after it in another order
    than the text's (see `characters.describe_override`), and so can an embedding, an isolate or
    an element set right to left (`dir="rtl"`) around words written left to right: said once
    per paragraph, heading, cell or HTML block."""
    if not any(mark in state.src for mark in ("\u202d", "\u202e", "\u202b", "\u2067")) and not (
        _DIRECTION_ATTRIBUTE.search(state.src) or DIRECTION_REFERENCE.search(state.src)
    ):
        return  # nearly every text, looked at once
    lines, looked_after = state.src.split("\n"), 0
    for token in state.tokens:
        is_markup = token.type in ("inline", "html_block")  # code shows tags as written
        if token.type in _TEXT_TOKENS and (
            found := describe_override(token.content, is_markup=is_markup)
        ):
            _warn_at(state.env, token, "bidi-override", f"this text holds {found}")
        elif (
            token.type == "html_block"
            and token.map
            and looked_after < MOST_ELEMENTS  # each is read to the end of the text
            and _DIRECTION_ATTRIBUTE.search(token.content)
        ):
            looked_after += 1
            # An element left open (`<div dir="rtl">`, a blank line, then Markdown) sets the
            # blocks after it in its direction too.
            after = "\n".join(lines[token.map[0] :])
            if found := describe_right_to_left_element(after, len(token.content)):
                _warn_at(state.env, token, "bidi-override", f"this text holds {found}")


_BACKTICKS = re.compile(r"(?<!\\)(?:\\\\)*(`+)")
"""A run of backticks that no backslash escapes: one that may open or close a code span."""


def _references_read(state: StateCore) -> str:
    """The text as far as its character references are read: code blocks and code spans,
    which show `&#8203;` as written, blanked (lines and columns kept). A span is blanked only
    where the parser read the same span of code, so that a backtick in raw HTML hides nothing."""
    lines = state.src.split("\n")
    for token in state.tokens:
        if not token.map:
            continue
        first, end = token.map
        if token.type in ("fence", "code_block"):
            lines[first:end] = [" " * len(line) for line in lines[first:end]]
        elif token.type == "inline" and any(c.type == "code_inline" for c in token.children or ()):
            codes = [c.content for c in token.children or () if c.type == "code_inline"]
            written = _without_code_spans("\n".join(lines[first:end]), codes)
            lines[first:end] = written.split("\n")
    return "\n".join(lines)


def _without_code_spans(text: str, codes: list[str]) -> str:
    """`text` with its code spans blanked, as long as they are those the parser read (`codes`,
    in order)."""
    position = 0
    for code in codes:
        while (opening := _BACKTICKS.search(text, position)) is not None:
            ticks = opening[1]
            closing = re.compile(rf"(?<!`){ticks}(?!`)").search(text, opening.end())
            if closing is not None:
                break
            position = opening.end()  # no run as long closes it: backticks as text
        else:
            return text
        content = text[opening.end() : closing.start()].replace("\n", " ")
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        if content != code:
            return text  # some other markup holds the backticks: look at all of it
        blank = re.sub(r"[^\n]", " ", text[opening.end() : closing.start()])
        text = text[: opening.end()] + blank + text[closing.start() :]
        position = closing.end()
    return text


def _report_invisible_characters(state: StateCore) -> None:
    """A character that shows nothing can split a word, so that a search or a reviewer's
    eye misses it, or hide text (see `characters.find_invisible`): said at its line and
    column, the first MAX_REPORTED of them."""
    if not INVISIBLE.search(state.src) and "&" not in state.src:
        return  # nearly every text, looked at once
    found = sorted(
        (*find_invisible(state.src), *find_invisible_references(_references_read(state)))
    )
    _report_found(state, found, "invisible-character", "more invisible characters follow")


def _report_mixed_scripts(state: StateCore) -> None:
    """A word that mixes Latin letters with Greek or Cyrillic ones that look alike ('sеll')
    reads as another word, which a search does not find (see
    `characters.find_mixed_scripts`): said at its line and column, the first MAX_REPORTED."""
    found = {(line, column): why for line, column, why in find_mixed_scripts(state.src)}
    if "&" in state.src:
        for line, column, why in find_mixed_scripts_in_references(_references_read(state)):
            found.setdefault((line, column), why)
    in_order = ((line, column, why) for (line, column), why in sorted(found.items()))
    _report_found(state, in_order, "mixed-scripts", "more words that mix scripts follow")


def _report_found(
    state: StateCore, found: Iterable[tuple[int, int, str]], code: str, more: str
) -> None:
    """A warning for each of the first MAX_REPORTED things found (line and column in the
    text, what it is), then one that says more follow."""
    for count, (line, column, why) in enumerate(found):
        where = state.env["where"].at(_line(state.env["file_lines"], line - 1), column)
        if count == MAX_REPORTED:
            state.env["problems"].append(warning(where, code, more))
            break
        state.env["problems"].append(warning(where, code, f"this text holds {why}"))


_LIST_LINE = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]")
"""A line that starts a list item."""


def _report_lists_read_as_code(state: StateCore) -> None:
    """A list indented four spaces or more past the text it follows is code to Markdown:
    readers see its lines as written, `*` and all, in a box (Apache's code of conduct,
    written for a renderer that read it as a list, indents one seven spaces into an item)."""
    env = state.env
    for token in state.tokens:
        if token.type != "code_block" or not token.map:
            continue
        lines = [line.strip() for line in token.content.split("\n") if line.strip()]
        if lines and all(_LIST_LINE.match(line) for line in lines):
            _warn_at(
                env,
                token,
                "list-as-code",
                f"this list is indented 4 spaces or more past the text before it, so readers see it as code, its lines as written ('{excerpt(lines[0])}'): indent it less, as far as the text of the item it belongs to, or not at all",
            )


def _around(text: str, at: int) -> str:
    """The words of `text` around position `at`: up to the next `**` and the word after it,
    or the words close by."""
    after = text.find("**", at + 2)
    if 0 <= after - at <= 60:
        start, end = at, after + 2
    else:
        start, end = max(0, at - 20), at + 22
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()


def _mark_parenthesized_lists(state: StateCore) -> None:
    """Lists written `1)` are shown as (1), (2) — the numbering of Japanese and many legal texts."""
    for token in state.tokens:
        if token.type == "ordered_list_open" and token.markup == ")":
            token.attrJoin("class", "parens")


_LINE_BREAK = re.compile(r"<br\s*/?>\Z", re.IGNORECASE)
_BR = re.compile("<br", re.IGNORECASE)
_CELL_HEADING = re.compile(r"(#{2,6})[ \t]+")
"""A heading in a cell: `#` alone is left as words ("# of days" heads many a table's column)."""
_CELL_BULLET = re.compile(r"[-*+][ \t]+")
_CELL_NUMBER = re.compile(r"(\d{1,3})[.)][ \t]+")
"""A numbered item in a cell: a year after a line break ("2022. A year") is words."""
_CELL_MARKS = (_CELL_HEADING, _CELL_BULLET, _CELL_NUMBER)


def _cell_line_kind(line: Sequence[Token]) -> tuple[str, int, re.Match[str]] | None:
    """What a line of a table cell starts: ("h", level, mark), ("ul", 0, mark) or
    ("ol", number, mark); None for words."""
    if not line or line[0].type != "text":
        return None
    text = line[0].content
    heading, bullet, number = (mark.match(text) for mark in _CELL_MARKS)
    mark = heading or bullet or number
    if mark is None or (mark.end() == len(text) and len(line) == 1):
        return None  # a mark with nothing after it
    if heading:
        return "h", len(heading[1]), heading
    return ("ul", 0, mark) if bullet else ("ol", int(mark[1]), mark)


def _cell_lines(children: Sequence[Token]) -> tuple[list[list[Token]], list[list[Token]]]:
    """A cell's inline tokens → its lines, and the line breaks between them (each with the
    spaces around its `<br>`s): `breaks[i]` parts `lines[i]` from `lines[i + 1]`."""
    lines: list[list[Token]] = [[]]
    breaks: list[list[Token]] = []
    for child in children:
        is_break = child.type == "html_inline" and _LINE_BREAK.match(child.content)
        if is_break and not lines[-1] and breaks:
            breaks[-1].append(child)  # <br><br>: one break between two lines
        elif is_break:
            breaks.append([child])
            lines.append([])
        elif child.type == "text" and not child.content.strip(" \t") and not lines[-1] and breaks:
            breaks[-1].append(child)
        else:
            lines[-1].append(child)
    return lines, breaks


def _unmarked(line: Sequence[Token], mark: re.Match[str]) -> list[Token]:
    """A cell's line without the mark it starts with."""
    first = line[0].copy(content=line[0].content[mark.end() :])
    return [first, *line[1:]] if first.content else list(line[1:])


def _show_cell_blocks(state: StateCore) -> None:
    """A cell of a table written with line breaks (`<br>`) whose lines start with `## `, `* `
    or `1. ` holds headings and lists: converters of web pages to Markdown write a cell's
    headings, paragraphs and lists on one line that way, as a Markdown table cell holds no
    block. Shown as written, the marks would read as
    words and the items run together. The line breaks around a heading or a list go, as the
    block parts it from what is around it. A cell without `<br>` is one line, left as it is,
    unless another cell of its table holds such a list: then a line that starts as its items
    do is a list of one item (Anthropic's Privacy Policy lists the legal bases of each use
    so, "*   Consent<br>*   Legitimate interests" in one row, "*   Contract" in the next).

    Run before text_join: an escaped number (`1\\.`) is a token of its own until then, so a
    line that starts with one is no list item."""
    tokens = state.tokens
    cells = [
        index
        for index, token in enumerate(tokens)
        if token.type == "inline"
        and token.children
        and tokens[index - 1].type in ("td_open", "th_open")
    ]
    listed = _tables_with_cell_lists(tokens, cells)
    for index in cells:
        token = tokens[index]
        assert token.children is not None
        if _BR.search(token.content):
            lines, breaks = _cell_lines(token.children)
        else:
            lines, breaks = [list(token.children)], []
        kinds = [_cell_line_kind(line) for line in lines]
        if not any(kinds):
            continue
        if not breaks and (kinds[0] is None or kinds[0][0] not in listed.get(index, ())):
            continue
        children: list[Token] = []
        at = 0
        while at < len(lines):
            kind = kinds[at]
            if kind is None:
                children += lines[at]
            elif kind[0] == "h":
                tag = f"h{kind[1]}"
                children.append(Token("cell_heading_open", tag, 1))
                children += _unmarked(lines[at], kind[2])
                children.append(Token("cell_heading_close", tag, -1))
            else:
                tag = kind[0]
                opening = Token("cell_list_open", tag, 1)
                if tag == "ol" and kind[1] != 1:
                    opening.attrSet("start", str(kind[1]))
                children.append(opening)
                while True:
                    item = kinds[at]
                    assert item is not None
                    children.append(Token("cell_item_open", "li", 1))
                    children += _unmarked(lines[at], item[2])
                    children.append(Token("cell_item_close", "li", -1))
                    after = kinds[at + 1] if at + 1 < len(lines) else None
                    if after is None or after[0] != tag:
                        break
                    at += 1
                children.append(Token("cell_list_close", tag, -1))
            if at < len(breaks) and kinds[at] is None and kinds[at + 1] is None:
                children += breaks[at]
            at += 1
        token.children = children


def _tables_with_cell_lists(tokens: Sequence[Token], cells: Sequence[int]) -> dict[int, set[str]]:
    """Each cell of a table some cell of which holds a list written with line breaks → the
    kinds of those lists ("ul", "ol")."""
    kinds_of_table: dict[int, set[str]] = {}
    table_of: dict[int, int] = {}
    table = 0
    at = 0
    for index in cells:
        while at < index:
            if tokens[at].type == "table_open":
                table = at
            at += 1
        table_of[index] = table
        token = tokens[index]
        if token.children and _BR.search(token.content):
            lines, _ = _cell_lines(token.children)
            for kind in (_cell_line_kind(line) for line in lines):
                if kind is not None and kind[0] != "h":
                    kinds_of_table.setdefault(table, set()).add(kind[0])
    return {
        index: kinds_of_table[table] for index, table in table_of.items() if table in kinds_of_table
    }


_TABLE_OPEN = re.compile(r"<table(?=[ >])")


def wrap_tables(html: str) -> str:
    """Wrap every table (ours and authors') in a region that scrolls on narrow screens.

    Done after sanitizing, which would strip the label's stand-in characters; the sanitizer
    leaves every table tag bare but for its id.
    """
    return _TABLE_OPEN.sub(TABLE_SCROLL_OPEN + "<table", html).replace("</table>", "</table></div>")


ALIGNMENTS = frozenset({"left", "center", "right", "justify", "start", "end"})
"""Values of a table cell's text-align that pages keep, as the class `align-<value>`."""
_CELL_START = re.compile(r'<(t[dh])((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>')
_ATTRIBUTE = re.compile(r'\s+([a-z-]+)(?:="([^"]*)")?')
_TEXT_ALIGN = re.compile(r"\s*text-align\s*:\s*([a-z]+)\s*;?\s*\Z", re.IGNORECASE)


def align_by_class(html: str) -> str:
    """Table cells aligned by a class (`align-right`) instead of a style attribute.

    Pages carry no inline style, so that a Content-Security-Policy without 'unsafe-inline'
    shows them as written. Done on sanitized HTML, where a cell's style holds at most its
    text-align and every attribute value is double-quoted with no quote inside.
    """
    if "style" not in html:
        return html  # no cell with a style: a whole page is not scanned for nothing

    def replace(cell: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(cell[2]))
        if "style" not in attributes:
            return cell[0]
        alignment = _TEXT_ALIGN.match(attributes.pop("style"))
        if alignment and alignment[1].lower() in ALIGNMENTS:
            classes = [f"align-{alignment[1].lower()}", *attributes.get("class", "").split()]
            attributes["class"] = " ".join(classes)
        return (
            f"<{cell[1]}"
            + "".join(f' {name}="{value}"' for name, value in attributes.items())
            + ">"
        )

    return _CELL_START.sub(replace, html)


def _file_line(file_lines: tuple[int, ...], token: Token) -> int | None:
    """The file line of a token (its line in the canonical text, mapped back)."""
    return file_lines[token.map[0]] if token.map and token.map[0] < len(file_lines) else None


def _outline(
    tokens: list[Token], file_lines: tuple[int, ...]
) -> tuple[tuple[Heading, ...], tuple[Link, ...]]:
    headings: list[Heading] = []
    links: list[Link] = []
    in_notes = False
    for index, token in enumerate(tokens):
        if token.type in ("footnote_block_open", "footnote_block_close"):
            in_notes = token.nesting == 1
        if token.type == "heading_open" and not in_notes:
            # (A heading written in a footnote is the note's: no section of the text.)
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


def markdown_parser() -> MarkdownIt:
    """A new parser of the Markdown policygen reads: CommonMark with raw HTML, tables,
    strikethrough, attribute lists, bare addresses as links and footnotes, without the rules that make
    a page of it."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    use_attribute_lists(md)
    use_linkify(md)
    use_footnotes(md)
    return md


HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
"""Korean's letters, which words separated by spaces are written in."""


def is_written_unspaced(char: str) -> bool:
    """Whether a character is of Chinese or Japanese, which put no space between words: wide,
    as East Asian scripts are, and not Korean."""
    return unicodedata.east_asian_width(char) in ("W", "F") and not HANGUL.match(char)


def _edge_character(tokens: Sequence[Token], index: int, step: int) -> str:
    """The character of text next to `tokens[index]`, before it (step -1) or after it (1),
    across the marks of emphasis and links; "" if a break, an image or raw HTML is there."""
    index += step
    while 0 <= index < len(tokens):
        token = tokens[index]
        if token.type in ("text", "text_special", "code_inline"):
            if token.content:
                return token.content[-1 if step < 0 else 0]
        elif token.nesting == 0:
            return ""
        index += step
    return ""


def _render_soft_break(
    renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any
) -> str:
    """A paragraph's line break: a space to a browser, which Chinese and Japanese do not put
    between words. Between two of their characters it is nothing, or the lines of a text
    wrapped at a width (Hackers' Pub's policies in Japanese and Chinese) showed a space
    in the middle of their sentences."""
    before, after = _edge_character(tokens, index, -1), _edge_character(tokens, index, 1)
    if before and after and is_written_unspaced(before) and is_written_unspaced(after):
        return ""
    return "\n"


def _build_parser() -> MarkdownIt:
    md = markdown_parser()
    md.add_render_rule("softbreak", _render_soft_break)
    # After the links of bare addresses are made, so that their addresses are checked as
    # every link's is; before text_join, so that an escaped brace (`\{`) at the end of a
    # heading stays text.
    md.core.ruler.after("linkify", "policygen_anchors", _assign_ids)
    md.core.ruler.after("policygen_anchors", "policygen_parens", _mark_parenthesized_lists)
    md.core.ruler.after("policygen_parens", "policygen_images", _images_as_descriptions)
    md.validateLink = _accept_every_link  # type: ignore[method-assign]
    md.core.ruler.after("policygen_images", "policygen_ruby", _report_hidden_ruby_fallbacks)
    md.core.ruler.after("policygen_ruby", "policygen_shrunk", _report_shrunk_words)
    md.core.ruler.after("policygen_shrunk", "policygen_scripts", _unlink_scripts)
    md.core.ruler.after("policygen_scripts", "policygen_empty_links", _report_empty_links)
    md.core.ruler.after("policygen_empty_links", "policygen_empty_headings", _report_empty_headings)
    md.core.ruler.after(
        "policygen_empty_headings", "policygen_references", _report_unused_references
    )
    md.core.ruler.after("policygen_references", "policygen_asterisks", _report_literal_emphasis)
    md.core.ruler.after("policygen_asterisks", "policygen_markers", _report_literal_markers)
    md.core.ruler.after("policygen_markers", "policygen_listed_code", _report_lists_read_as_code)
    md.core.ruler.after("policygen_listed_code", "policygen_footnotes", _report_footnotes)
    md.core.ruler.after("policygen_footnotes", "policygen_overrides", _report_bidi_overrides)
    md.core.ruler.after("policygen_overrides", "policygen_invisible", _report_invisible_characters)
    md.core.ruler.after("policygen_invisible", "policygen_scripts_mixed", _report_mixed_scripts)
    md.core.ruler.after("policygen_scripts_mixed", "policygen_change_marks", _report_change_marks)
    md.core.ruler.after("policygen_change_marks", "policygen_addresses", _report_hidden_addresses)
    md.core.ruler.after("policygen_addresses", "policygen_cell_blocks", _show_cell_blocks)
    md.core.ruler.after(
        "policygen_cell_blocks", "policygen_tables", _report_tables_with_words_after_dashes
    )
    md.block.ruler.at("table", _table_noting_dropped_cells, {"alt": ["paragraph", "reference"]})
    md.core.ruler.after("policygen_tables", "policygen_dropped_cells", _report_dropped_cells)
    return md


MARKDOWN = _build_parser()
