"""An HTML page or fragment → policygen Markdown: the main text only, with a note for each
part left out or changed (pure).

markdownify writes the Markdown; this module decides what goes in (the main text, not the
site's navigation), keeps numbered lists' numbers, writes as raw HTML only what Markdown
cannot say (merged table cells, several paragraphs in a cell, lettered lists), and escapes
text so that it reads back as the same text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)
from markdownify import MarkdownConverter

from ..markdown import heading_anchor
from . import Converted, Note
from .escaping import escape_inline, escape_line_starts, stops_marks
from .markdown import NotImportable

LEFT_OUT = ("nav", "header", "footer", "aside", "form")
"""Parts of a page around its text: the site's, not the policy's."""
LEFT_OUT_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search")
NEVER_TEXT = ("script", "style", "noscript", "template", "head", "link", "meta", "button")
"""Elements whose content is never text a reader sees as the policy."""
MEDIA = ("img", "picture", "svg", "video", "audio", "iframe", "object", "embed", "canvas", "map")
FORM_FIELDS = ("input", "select", "textarea", "option")
CONTAINERS = frozenset({"div", "section", "article", "main", "center"})
"""Elements that hold a page's blocks, which the search for its main text may go into."""
BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
)
"""Elements whose Markdown is written (and escaped) by their own conversion."""
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
RAW_TAGS = {
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "p", "br", "ul", "ol",
    "li", "dl", "dt", "dd", "a", "strong", "b", "em", "i", "u", "s", "del", "ins", "sup",
    "sub", "code", "small", "abbr", "q", "cite", "mark",
}  # fmt: skip
"""What raw HTML written by the importer may hold: the sanitizer keeps all of it."""
STRUCTURE = frozenset({"table", "thead", "tbody", "tfoot", "tr", "ul", "ol", "dl"})
RAW_ATTRIBUTES = {"colspan", "rowspan", "scope", "href", "start", "type", "title"}
AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*\Z")
"""An address Markdown reads between < and > as a link (CommonMark's URI autolink)."""
TITLE_SEPARATORS = re.compile(r"\s+[|·•–—-]\s+")
TEXT_STRINGS = (NavigableString, CData)
"""What get_text() counts as an element's text: not comments, not a <ruby>'s annotations."""
DEEPEST = 200
"""How deeply a page's elements may nest: pages of text nest some tens of levels, and
markdownify writes each level with nested calls, which Python stops at about 400."""
_Where = Callable[[Tag], int | None]


LIST_START = re.compile(r"[\t\n\f\r ]*\+?([0-9]{1,9})(?![0-9])")
"""The number an ordered list's `start` holds, as browsers read it, if Markdown can write it."""


def convert_html_page(page: str) -> Converted:
    """A page saved from a website → its main text as Markdown, titled by its first heading."""
    soup = BeautifulSoup(page, "html.parser")
    if (deep := _deeper_than(soup, DEEPEST)) is not None:
        raise NotImportable(
            f"its elements nest more than {DEEPEST} levels deep (line {deep.sourceline}), "
            "which no page of text does"
        )
    notes: list[Note] = []
    base = _base_url(soup)
    if base is None:
        _links_from_their_site(soup, notes)
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for element in soup.find_all(NEVER_TEXT):
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    _reveal_hidden_addresses(soup, notes)
    main = _find_main(soup, notes)
    converted = convert_fragment(main, notes, base_url=base, locate=True)
    if converted.title is None and page_title:
        # Its spaces as one first: a run of them would make the split take its square.
        title = TITLE_SEPARATORS.split(" ".join(page_title.split()))[0].strip()
        notes.append(Note(f"the title '{title}' was taken from the page's <title>"))
        return Converted(converted.body, title, _in_order(notes))
    return converted


CLOUDFLARE_LINK = "/cdn-cgi/l/email-protection"
"""Where Cloudflare's "Email Address Obfuscation" points the links to email addresses of the
pages it serves, the address encoded after the `#`."""


def _reveal_hidden_addresses(soup: BeautifulSoup, notes: list[Note]) -> None:
    """Email addresses a page saved from behind Cloudflare hides: its text reads
    "[email protected]" until a script of the page decodes `data-cfemail`, and its links lead
    to /cdn-cgi/l/email-protection#… instead of mailto:. Decoded here, as that script does:
    without them, a policy's "write to us at …" would name no address."""
    found: dict[str, list[Tag]] = {}
    for element in soup.find_all(True, attrs={"data-cfemail": True}):
        address = _cloudflare_address(str(element["data-cfemail"]))
        if address is not None:
            found.setdefault(address, []).append(element)
    for address, elements in found.items():
        more = f" (and {len(elements) - 1} more times)" if len(elements) > 1 else ""
        notes.append(
            Note(
                f"the email address '{address}', which the page hid as '{' '.join(elements[0].get_text().split())}' until a script of the page showed it, is written out{more}",
                line=elements[0].sourceline,
            )
        )
        for element in elements:
            if element.name == "a":
                element.string = address
                element["href"] = f"mailto:{address}"
            else:
                element.replace_with(NavigableString(address))
    for link in soup.find_all("a", href=True):
        path, _, code = str(link["href"]).partition("#")
        if path.endswith(CLOUDFLARE_LINK) and (address := _cloudflare_address(code)) is not None:
            link["href"] = f"mailto:{address}"


def _cloudflare_address(code: str) -> str | None:
    """The text Cloudflare encodes in hex, each byte after the first XORed with it; None for
    what does not decode to an email address."""
    try:
        data = bytes.fromhex(code)
        text = html.unescape(bytes(byte ^ data[0] for byte in data[1:]).decode("utf-8"))
    except (ValueError, IndexError):
        return None
    return text if re.fullmatch(r"[^\s@<>]+@[^\s@<>]+", text) else None


def convert_fragment(
    root: Tag, notes: list[Note], *, base_url: str | None = None, locate: bool = False
) -> Converted:
    """The Markdown of an element's content; `notes` gets what was left out or changed
    (at HTML lines when `locate`); the first <h1>, when it is the text's title, is the title."""

    def where(element: Tag) -> int | None:
        return element.sourceline if locate else None

    _drop_permalinks(root)
    _left_out_inside(root, notes, where)
    _drop_media(root, notes, where)
    title = _take_title(root)
    _shift_headings(root)
    _resolve_links(root, notes, where, base_url)
    _line_breaks_out_of_emphasis(root)
    body = _Writer().convert_soup(root)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    return Converted(body + "\n" if body else "", title, _in_order(notes))


def _in_order(notes: list[Note]) -> tuple[Note, ...]:
    """Notes in text order, those alike at one place said once with their number (a page
    written on one line puts its eleven icons there)."""
    counts: dict[Note, int] = {}
    for note in notes:
        counts[note] = counts.get(note, 0) + 1
    return tuple(
        sorted(
            (
                replace(note, message=f"{note.message} ({count} times)") if count > 1 else note
                for note, count in counts.items()
            ),
            key=Note.sort_key,
        )
    )


EMPHASIS = ("strong", "b", "em", "i", "u", "s", "strike", "del", "ins", "mark", "span", "font")


def _line_breaks_out_of_emphasis(root: Tag) -> None:
    """A line break that ends (or starts) bold or italic words goes after (or before) them:
    Markdown writes a break as a backslash at the end of the line, which would take the `**`
    right after it for an asterisk to show (Word writes `<strong>Note:<br></strong>`).

    Each element's place in its parent is counted once per parent: looked for at each move,
    it took a time growing with the square of a paragraph's bold words (16,000: 8 s). The
    elements are taken from the last, so a move changes no place still to be used."""
    places: dict[int, dict[int, int]] = {}
    for element in reversed(root.find_all(EMPHASIS)):
        parent = element.parent
        if parent is None:
            continue
        children = element.contents
        after = _edge_breaks(children, range(len(children) - 1, -1, -1))
        taken = set(after)
        before = _edge_breaks(children, (i for i in range(len(children)) if i not in taken))
        if not (after or before):
            continue
        if id(parent) not in places:
            places[id(parent)] = {id(child): i for i, child in enumerate(parent.contents)}
        place = places[id(parent)][id(element)]
        breaks = {i: children[i] for i in (*after, *before)}
        for i in sorted(breaks, reverse=True):
            breaks[i].extract(_self_index=i)
        for offset, i in enumerate(sorted(after)):
            parent.insert(place + 1 + offset, breaks[i])
        for offset, i in enumerate(sorted(before)):
            parent.insert(place + offset, breaks[i])


def _edge_breaks(children: list[PageElement], order: Iterable[int]) -> list[int]:
    """The places of the <br> children met in `order` before any child but spaces."""
    found = []
    for i in order:
        child = children[i]
        if isinstance(child, Tag) and child.name == "br":
            found.append(i)
        elif not (isinstance(child, NavigableString) and not child.strip()):
            break
    return found


def _deeper_than(root: Tag, depth: int) -> Tag | None:
    """The first element nested more than `depth` levels deep, found without recursion."""
    stack = [(root, 0)]
    while stack:
        element, level = stack.pop()
        if level > depth:
            return element
        stack += [(child, level + 1) for child in element.children if isinstance(child, Tag)]
    return None


def _base_url(soup: BeautifulSoup) -> str | None:
    """The page's own address, which its relative links are relative to, when the page says it."""
    for tag, attribute, key, wanted in (
        ("base", "href", "href", True),
        ("link", "href", "rel", "canonical"),
        ("meta", "content", "property", "og:url"),
    ):
        found = soup.find(tag, attrs={key: wanted})
        value = found.get(attribute) if isinstance(found, Tag) else None
        if isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
            return value
    # What browsers and their extensions write at the top of a page they save.
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment), limit=8):
        if (said := SAVED_FROM.search(comment)) is not None:
            return said[1]
    return None


SAVED_FROM = re.compile(
    r"(?:saved from url=\(\d+\)|Page saved with SingleFile\s+url:\s*)(https?://\S+)"
)
"""The address a page was saved from, as Chrome ("Save page as…") and the SingleFile
extension write it in a comment at its top."""


def _links_from_their_site(soup: BeautifulSoup, notes: list[Note]) -> None:
    """The links that start with "/" of a page that does not say its address, when its links
    say which site it came from: a link whose words are the address it leads to from that
    site (npm's terms link "https://docs.npmjs.com/policies/privacy" to /policies/privacy).
    They are made to lead there; nothing is when no link says, or two say otherwise."""
    links = soup.find_all("a", href=re.compile(r"^/(?!/)"))
    origins = set()
    for link in links:
        words = link.get_text().strip()
        parts = urlsplit(words)
        if (
            parts.scheme in ("http", "https")
            and parts.netloc
            and not any(char.isspace() for char in words)
            and urljoin(words, str(link["href"])).rstrip("/") == words.rstrip("/")
        ):
            origins.add(f"{parts.scheme}://{parts.netloc}")
    if len(origins) != 1:
        return
    origin = origins.pop()
    for link in links:
        link["href"] = origin + str(link["href"])
    notes.append(
        Note(
            f"the page says no address of its own, but links whose words are their address show it came from {origin}/: its links that start with '/' lead there"
        )
    )


def _text_of(element: Tag | NavigableString, limit: int = 60) -> str:
    text = (
        " ".join(element.get_text(" ").split())
        if isinstance(element, Tag)
        else " ".join(element.split())
    )
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_around_text(element: Tag) -> bool:
    return element.name in LEFT_OUT or element.get("role") in LEFT_OUT_ROLES


def _find_main(soup: BeautifulSoup, notes: list[Note]) -> Tag:
    """The element that holds the page's text: <main>, else the longest <article>, else the
    body without its navigation, header, footer and side parts."""
    body = soup.body or soup
    for selector in ("main", "[role=main]", "article"):
        candidates = [c for c in body.select(selector) if _text_of(c, 10**9)]
        if candidates:
            main = max(candidates, key=lambda c: len(c.get_text()))
            _note_outside(main, body, notes)
            return main
    for element in list(body.find_all(_is_around_text)):
        if element.parent is not None and not element.find_parent(_is_around_text):
            if text := _text_of(element):
                notes.append(
                    Note(f'left out the page\'s <{element.name}>: "{text}"', element.sourceline)
                )
            element.decompose()
    main = body
    lengths = _text_lengths(body)
    total = lengths[id(main)]
    while True:
        children = [c for c in main.children if isinstance(c, Tag)]
        largest = max(children, key=lambda c: lengths[id(c)], default=None)
        if largest is None or largest.name not in CONTAINERS or lengths[id(largest)] < 0.9 * total:
            break
        _note_siblings(largest, notes)
        main = largest
    return main


def _text_lengths(root: Tag) -> dict[int, int]:
    """len(element.get_text(strip=True)) of the root and every element in it, by id, in one
    pass from the last element back: asked of each element on the way down to the main
    text, they took a time growing with the page's size times its depth."""
    lengths: dict[int, int] = {}
    for node in reversed([root, *root.descendants]):
        if isinstance(node, Tag):
            lengths[id(node)] = sum(_own_length(child, lengths) for child in node.children)
    return lengths


def _own_length(node: object, lengths: dict[int, int]) -> int:
    if isinstance(node, Tag):
        return lengths[id(node)]
    return len(node.strip()) if isinstance(node, str) and type(node) in TEXT_STRINGS else 0


def _note_outside(main: Tag, body: Tag, notes: list[Note]) -> None:
    """A note for every part of the page with text outside `main`."""
    element: Tag | None = main
    while element is not None and element is not body:
        _note_siblings(element, notes)
        element = element.parent


def _note_siblings(element: Tag, notes: list[Note]) -> None:
    for sibling in (*element.previous_siblings, *element.next_siblings):
        if isinstance(sibling, Tag) and (text := _text_of(sibling)):
            notes.append(
                Note(f'left out the page\'s <{sibling.name}>: "{text}"', sibling.sourceline)
            )
        elif (
            isinstance(sibling, NavigableString)
            and not isinstance(sibling, Comment | Declaration | Doctype | ProcessingInstruction)
            and (text := _text_of(sibling))
        ):
            notes.append(Note(f'left out text outside the main part: "{text}"', element.sourceline))


def _left_out_inside(root: Tag, notes: list[Note], where: _Where) -> None:
    for element in list(root.find_all(_is_around_text)):
        if element.parent is None or element.find_parent(_is_around_text):
            continue
        if element.name in ("header", "footer") and element.parent is root:
            continue  # an article's own header (its title) or footer (its date) is its text
        what = f"<{element.name}>"
        # The heading right above it that names it goes too (GitHub's "In this article" over
        # its contents); a heading elsewhere that names it (the page's title) stays.
        label = element.find_previous_sibling()
        names = str(element.get("aria-labelledby") or "").split()
        if isinstance(label, Tag) and label.name in HEADINGS and label.get("id") in names:
            what += f" and its heading '{' '.join(label.get_text(' ').split())}'"
            label.decompose()
        if text := _text_of(element):
            notes.append(Note(f'left out {what}: "{text}"', where(element)))
        element.decompose()


def _drop_permalinks(root: Tag) -> None:
    """The links a page puts on its headings to their own anchors, which policygen's pages
    give in their own way: a heading's words linked to it keep the words; a mark (¶, #, §)
    or an icon is dropped, as it is no word of the text (Sphinx and MkDocs end each heading
    with "¶"; GitHub puts a link icon beside it)."""
    for link in root.find_all("a", href=re.compile(r"^#")):
        if link.parent is None:
            continue
        words = " ".join(link.get_text(" ").split())
        heading = link.find_parent(HEADINGS)
        if not words.strip("¶#§🔗 "):
            if heading is not None or link.find(MEDIA) is not None:
                link.decompose()
        elif heading is not None and words == " ".join(heading.get_text(" ").split()):
            for icon in link.find_all(MEDIA):
                icon.decompose()  # the link's icon, beside the words
            link.unwrap()


def _drop_media(root: Tag, notes: list[Note], where: _Where) -> None:
    for element in list(root.find_all([*MEDIA, *FORM_FIELDS])):
        if element.parent is None:
            continue
        if element.name in FORM_FIELDS:
            notes.append(Note(f"left out a form field <{element.name}>", where(element)))
        else:
            alt = element.get("alt") or element.get("title") or ""
            described = f' (its text: "{alt}")' if alt else ""
            notes.append(
                Note(
                    f"left out <{element.name}>{described}: policy pages show no images or embedded content; describe it in words",
                    where(element),
                )
            )
        element.decompose()


def _take_title(root: Tag) -> str | None:
    """The first <h1>, removed from the text, when it is the text's title: the only <h1>, or
    the first thing in the text and not a numbered section."""
    first = root.find("h1")
    if not isinstance(first, Tag):
        return None
    title = " ".join(first.get_text(" ").split())
    is_first_thing = True
    for node in root.descendants:
        if node is first:
            break
        if isinstance(node, NavigableString) and node.strip():
            is_first_thing = False
            break
    if len(root.find_all("h1")) == 1 or (
        is_first_thing and not heading_anchor(title).startswith("section-")
    ):
        first.decompose()
        return title or None
    return None


def _shift_headings(root: Tag) -> None:
    """Headings start at level 2: the page's title is its only <h1>."""
    headings = root.find_all(HEADINGS)
    if not headings:
        return
    shift = 2 - min(int(h.name[1]) for h in headings)
    for heading in headings:
        heading.name = f"h{min(6, int(heading.name[1]) + shift)}"
        for emphasis in heading.find_all(["strong", "b"]):
            emphasis.unwrap()  # a heading is bold already


def _resolve_links(root: Tag, notes: list[Note], where: _Where, base_url: str | None) -> None:
    """Links to other pages made absolute; links within the text made to point at the
    anchors policygen gives; what cannot be made to work is said."""
    targets = {str(e.get("id")): e for e in root.find_all(id=True)}
    targets |= {str(e.get("name")): e for e in root.find_all("a", attrs={"name": True})}
    headings = _headings_at(root, targets.values())
    for link in root.find_all("a"):
        href = link.get("href")
        if not isinstance(href, str) or not href.strip():
            link.unwrap()
            continue
        href = href.strip()
        scheme = urlsplit(href).scheme.lower()
        if href.startswith("#"):
            link["href"] = _inside_link(href[1:], targets, headings, link, notes, where)
        elif scheme in ("http", "https", "mailto", "tel"):
            continue
        elif scheme:
            notes.append(
                Note(
                    f"removed the link '{href}' from \"{_text_of(link)}\": policy pages link only to web addresses",
                    where(link),
                )
            )
            link.unwrap()
        elif base_url:
            link["href"] = urljoin(base_url, href)
        else:
            notes.append(
                Note(
                    f"the link '{href}' on \"{_text_of(link)}\" is relative to the page it came from and will not work from the policy site: write the whole address",
                    where(link),
                )
            )


def _headings_at(root: Tag, targets: Iterable[Tag]) -> dict[int, tuple[Tag | None, bool]]:
    """The heading each target (by id) leads to, and whether the target starts there: the
    first heading at or after it with no words between them (a <section> that opens with
    its heading, an empty <a id> right above one), else the heading before it. Found in one
    pass: looked for from each link's target, they took a time growing with the number of
    links times the page."""
    top = root
    while top.parent is not None:
        top = top.parent
    wanted = {id(target) for target in targets}
    found: dict[int, tuple[Tag | None, bool]] = {}
    last = None
    waiting: list[int] = []
    for node in top.descendants:
        if isinstance(node, Tag):
            if id(node) in wanted:
                found[id(node)] = (last, False)
                waiting.append(id(node))
            if node.name in HEADINGS:
                last = node
                for target in waiting:
                    found[target] = (node, True)
                waiting.clear()
        elif isinstance(node, TEXT_STRINGS) and node.strip():
            waiting.clear()
    return found


def _inside_link(
    fragment: str,
    targets: dict[str, Tag],
    headings: dict[int, tuple[Tag | None, bool]],
    link: Tag,
    notes: list[Note],
    where: _Where,
) -> str:
    target = targets.get(fragment)
    heading = target if target is not None and target.name in HEADINGS else None
    if heading is None and target is not None:
        heading, starts_there = headings.get(id(target), (None, False))
        if heading is not None and not starts_there:
            notes.append(
                Note(
                    f"the link to '#{fragment}' (a <{target.name}>) now goes to the start of its section, \"{_text_of(heading)}\": policygen gives anchors to headings",
                    where(link),
                )
            )
    if heading is None:
        notes.append(
            Note(
                f"the link to '#{fragment}' goes nowhere in the text: it was kept as it is",
                where(link),
            )
        )
        return f"#{fragment}"
    anchor = heading_anchor(" ".join(heading.get_text(" ").split()))
    if anchor.startswith("section-"):
        return f"#{anchor}"
    explicit = str(heading.get("id") or fragment)
    if re.fullmatch(r"[^\W_][\w.:-]*", explicit):
        heading["data-anchor"] = explicit
        return f"#{explicit}"
    return f"#{anchor}"


def _is_lettered(element: Tag) -> bool:
    """Whether a list, or one inside it, is numbered with letters or Roman numerals (a., i.):
    Markdown numbers with digits only, so the whole list is written as HTML."""
    lists = [element, *element.find_all("ol")] if element.name == "ol" else element.find_all("ol")
    return any(str(ol.get("type", "1")) not in ("", "1") for ol in lists)


def raw_html(element: Tag) -> str:
    """An element as HTML that passes policygen's sanitizer whole: allowed tags and
    attributes only, text escaped, no blank line (which would end the HTML block)."""
    parts: list[str] = []

    def write(node: Tag | NavigableString) -> None:
        if isinstance(node, NavigableString):
            if not node.strip() and node.parent is not None and node.parent.name in STRUCTURE:
                return  # the spaces between rows or items, not text
            if not isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
                parts.append(html.escape(re.sub(r"\s+", " ", str(node)), quote=False))
            return
        name = node.name if node.name in RAW_TAGS else None
        if name:
            attributes = "".join(
                f' {key}="{html.escape(str(value), quote=True)}"'
                for key, value in sorted(node.attrs.items())
                if key in RAW_ATTRIBUTES and not (key == "href" and not _is_web_link(str(value)))
            )
            parts.append(f"<{name}{attributes}>")
        for child in node.children:
            if isinstance(child, Tag | NavigableString):
                write(child)
        if name and name != "br":
            parts.append(f"</{name}>")
        if name in ("tr", "caption", "thead", "tbody", "tfoot", "li", "dt", "dd"):
            parts.append("\n")

    write(element)
    lines = ("".join(parts)).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def _is_web_link(href: str) -> bool:
    return href.startswith("#") or urlsplit(href).scheme in (
        "http",
        "https",
        "mailto",
        "tel",
        "policy",
    )


def is_plain_table(table: Tag) -> bool:
    """Whether a Markdown pipe table can hold the table: no merged cells, nothing but one
    line of inline text in each cell, no table inside."""
    for cell in table.find_all(["td", "th"]):
        if str(cell.get("colspan", "1")).strip() not in ("", "1") or str(
            cell.get("rowspan", "1")
        ).strip() not in ("", "1"):
            return False
        if cell.find(["table", "ul", "ol", "dl", "pre", "blockquote", "br", *HEADINGS]):
            return False
        if len(cell.find_all("p")) > 1:
            return False
    rows = table.find_all("tr")
    return bool(rows) and len({len(r.find_all(["td", "th"])) for r in rows}) == 1


def _edge_text(node: PageElement | None, *, last: bool) -> str:
    """The character of a sibling next to an element: its last, or its first."""
    text = node.get_text() if isinstance(node, Tag) else str(node or "")
    return text[-1:] if last else text[:1]


class _Writer(MarkdownConverter):
    """markdownify, set to write what policygen reads back as the same text."""

    def __init__(self) -> None:
        self.positions: dict[int, dict[int, int]] = {}
        """The position of each item of each numbered list, by id: counted once per list."""
        super().__init__(
            heading_style="ATX",
            bullets="-",
            strong_em_symbol="*",
            newline_style="BACKSLASH",
            table_infer_header=True,
            sup_symbol="<sup>",
            sub_symbol="<sub>",
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
        )

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        return escape_inline(text)

    def convert_b(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._emphasis(el, text, parent_tags, "strong")

    convert_strong = convert_b

    def convert_i(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._emphasis(el, text, parent_tags, "em")

    convert_em = convert_i

    def _emphasis(self, el: Tag, text: str, parent_tags: set[str], tag: str) -> str:
        """Bold or italic words as Markdown reads them back. Spaces at their edges go outside
        the marks, no-break spaces too (`**Stripe:\u00a0**for` shows its asterisks); words
        whose edge is a punctuation mark right against a letter outside (`<b>A:</b>for`)
        are written as HTML, as Markdown would show such marks as asterisks."""
        if "_noformat" in parent_tags:
            return text
        words = text.strip()
        if not words:
            return ""
        before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        outside_before = before[-1:] or _edge_text(el.previous_sibling, last=True)
        outside_after = after[:1] or _edge_text(el.next_sibling, last=False)
        if stops_marks(words[-1], outside_after) or stops_marks(words[0], outside_before):
            return f"{before}<{tag}>{words}</{tag}>{after}"
        marks = "**" if tag == "strong" else "*"
        return f"{before}{marks}{words}{marks}{after}"

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href, words = el.get("href"), text.strip()
        if words and words == href and not el.get("title") and not AUTOLINK.match(words):
            # markdownify writes `<scripts>` for a link whose words are its target: Markdown
            # reads only a scheme's address so, and anything else as an HTML tag, words lost.
            before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            return f"{' ' if before else ''}[{words}]({href}){' ' if after else ''}"
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_p(el, escape_line_starts(text.strip()), parent_tags))  # type: ignore[misc]

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        first_child = next(
            (c for c in el.children if not (isinstance(c, NavigableString) and not c.strip())),
            None,
        )
        if not (isinstance(first_child, Tag) and first_child.name in BLOCKS):
            first, newline, rest = text.strip().partition("\n")
            text = escape_line_starts(first) + newline + rest
        parent = el.parent
        text = text.strip()
        if parent is None or parent.name != "ol" or not text:
            return str(super().convert_li(el, text, parent_tags))  # type: ignore[misc]
        # markdownify numbers an item by counting the items before it, which takes a time
        # growing with the square of the list's length (32,000 items: minutes).
        # As browsers read it, in ASCII digits (`٣` and `½` are numeric to Python, and `int`
        # reads the first and not the second), and at most the nine digits a Markdown list
        # number may have (Python reads no number of more than 4,300).
        start = LIST_START.match(str(parent.get("start") or ""))
        bullet = f"{(int(start[1]) if start else 1) + self._position(el, parent)}. "
        lines = [" " * len(bullet) + line if line else "" for line in text.split("\n")]
        return bullet + "\n".join(lines)[len(bullet) :] + "\n"

    def _position(self, item: Tag, parent: Tag) -> int:
        """How many items of its list come before an item."""
        if id(parent) not in self.positions:
            items = parent.find_all("li", recursive=False)
            self.positions[id(parent)] = {id(li): index for index, li in enumerate(items)}
        return self.positions[id(parent)][id(item)]

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        heading = str(super().convert_hN(n, el, text, parent_tags))  # type: ignore[misc]
        anchor = el.get("data-anchor")
        if anchor and heading.strip():
            return heading.rstrip("\n") + f" {{#{anchor}}}\n\n"
        return heading

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if is_plain_table(el):
            return str(super().convert_table(el, text, parent_tags))  # type: ignore[misc]
        return f"\n\n{raw_html(el)}\n\n"

    def convert_dl(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{raw_html(el)}\n\n"

    def convert_ol(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if _is_lettered(el) and "li" not in parent_tags:
            return f"\n\n{raw_html(el)}\n\n"  # Markdown numbers lists with digits only
        return str(super().convert_ol(el, text, parent_tags))  # type: ignore[misc]

    def convert_ul(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if _is_lettered(el) and "li" not in parent_tags:
            return f"\n\n{raw_html(el)}\n\n"
        return str(super().convert_ul(el, text, parent_tags))  # type: ignore[misc]
