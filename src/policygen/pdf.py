"""A revision's print page (HTML) and the theme's files → the bytes of its PDF (WeasyPrint).

Pure but for WeasyPrint itself, which reads the fonts fontconfig finds on the machine: the
same HTML, fonts and libraries give the same bytes (the PDF's dates are the revision's, taken
from its `dcterms` meta elements, never the clock). A site folder is untrusted input (SPEC §6):
its templates write this HTML, so nothing is loaded from anywhere but the theme's own files.
"""

from __future__ import annotations

import functools
import html as markup
import importlib
import logging
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

PDF_VARIANT = "pdf/a-3u"
"""PDF/A-3 level U: the archival form, with every character's Unicode value, so that the
text can be searched and copied in any script."""
INSTALL_HINT = (
    "PDFs are made with WeasyPrint, which is not installed here"
    " (pip install 'policygen[pdf]', and Pango from the system's packages: see the README)"
)


class PdfUnavailable(Exception):
    """WeasyPrint, or the system libraries it binds, cannot be loaded."""


class RefusedFetch(Exception):
    """A PDF asked for something other than the theme's files."""


@functools.cache
def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported; raises PdfUnavailable when it or Pango cannot be loaded."""
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:
        # OSError: WeasyPrint is installed but Pango is not ("cannot load library …").
        raise PdfUnavailable(f"{INSTALL_HINT}: {exc}") from None


def theme_fetcher(base_url: str, files: Mapping[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher that serves `files` (theme paths such as
    "static/policygen.css") at `base_url` + path, and refuses every other URL: no network,
    no file of the machine, not even one of the site folder."""
    urls = load_weasyprint().urls
    base: Any = urls.URLFetcher

    class ThemeFetcher(base):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            path = url[len(base_url) :] if url.startswith(base_url) else None
            if path is None or path not in files:
                raise RefusedFetch(f"a PDF loads nothing from elsewhere: {url}")
            kind = (
                "text/css; charset=utf-8" if path.endswith(".css") else "application/octet-stream"
            )
            return urls.URLFetcherResponse(url, files[path], {"Content-Type": kind})

    return ThemeFetcher()


LIST_TAG = re.compile(r"""<(/?)(ol|ul|li)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)
"""A tag of a list or of one of its items, its attributes whole (a quoted `>` included)."""
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
LIST_STYLES = {
    "1": "decimal",
    "a": "lower-alpha",
    "A": "upper-alpha",
    "i": "lower-roman",
    "I": "upper-roman",
}
"""An `<ol>`'s `type`, as browsers show it (the letters' case matters)."""
HTML_INTEGER = re.compile(r"[\t\n\f\r ]*([-+]?)([0-9]+)")
"""What browsers read of an integer attribute: its sign and digits, whatever follows."""
LARGEST_NUMBER = 2**31 - 1
"""Browsers keep a list's numbers within 32 bits."""


@dataclass(slots=True)
class _List:
    """An `<ol>` of the print page."""

    tag: re.Match[str]
    attributes: dict[str, str]
    items: list[re.Match[str]] = field(default_factory=list)
    """Its own `<li>` tags (not those of lists inside it)."""


def numbered_as_browsers_do(html: str) -> str:
    """`html` with each numbered list's numbering written as CSS, which WeasyPrint reads.

    WeasyPrint numbers every `<ol>` 1, 2, 3 in decimal: it reads neither `start` (which
    Markdown writes for a list that starts at another number: "3. Third" after a paragraph),
    nor `reversed`, nor `type`, so that a PDF numbered the third clause of a text "1."
    where its page, and its source.md, say "3.". Each is written as the `counter-reset`,
    `counter-increment` and `list-style-type` browsers give it."""
    lists: list[_List] = []
    open_lists: list[tuple[str, _List | None]] = []
    """The lists open, outermost first: each `<ol>` with its `_List`, each `<ul>` with None."""
    open_counts = {"ol": 0, "ul": 0}
    for tag in LIST_TAG.finditer(html):
        is_end, name = bool(tag[1]), tag[2].lower()
        if name == "li":
            if not is_end and open_lists and (owner := open_lists[-1][1]) is not None:
                owner.items.append(tag)
        elif is_end:
            # Closes the innermost list of its name and every list inside it.
            while open_counts[name]:
                closed, _ = open_lists.pop()
                open_counts[closed] -= 1
                if closed == name:
                    break
        else:
            found = _List(tag, _attributes(tag[3])) if name == "ol" else None
            if found is not None:
                lists.append(found)
            open_lists.append((name, found))
            open_counts[name] += 1
    styles: dict[int, tuple[re.Match[str], str]] = {}
    """By where a tag's name ends: the tag and the style written there."""
    for numbered in lists:
        attributes = numbered.attributes
        is_reversed = "reversed" in attributes
        start = _integer(attributes.get("start"))
        if start is None:
            start = len(numbered.items) if is_reversed else 1
        declarations = []
        if "start" in attributes or is_reversed:
            declarations.append(
                f"counter-reset: list-item {start + 1 if is_reversed else start - 1}"
            )
        if (kind := LIST_STYLES.get(attributes.get("type", ""))) is not None:
            declarations.append(f"list-style-type: {kind}")
        if declarations:
            styles[_name_end(numbered.tag)] = (numbered.tag, "; ".join(declarations))
        if is_reversed:
            for item in numbered.items:
                styles[_name_end(item)] = (item, "counter-increment: list-item -1")
    if not styles:
        return html
    pieces, position = [], 0
    # Written first, as browsers and WeasyPrint keep the first of two attributes of a name:
    # a tag's own `style` (a template's) follows the numbering in it, and wins where both
    # say something, as it wins over `start` and `type` on the page.
    for name_end, (tag, style) in sorted(styles.items()):
        if (own := _attributes(tag[3]).get("style")) is not None:
            style = f"{style}; {own}"
        pieces += [html[position:name_end], f' style="{markup.escape(style)}"']
        position = name_end
    pieces.append(html[position:])
    return "".join(pieces)


def _attributes(text: str) -> dict[str, str]:
    """The attributes of a tag, by name in lowercase, the first of two of a name kept."""
    found: dict[str, str] = {}
    for attribute in ATTRIBUTE.finditer(text):
        value = next((v for v in attribute.groups()[1:] if v is not None), "")
        found.setdefault(attribute[1].lower(), markup.unescape(value))
    return found


def _integer(value: str | None) -> int | None:
    """An integer attribute as browsers read it; None where they read none."""
    found = HTML_INTEGER.match(value or "")
    if found is None:
        return None
    digits = found[2].lstrip("0") or "0"
    number = min(int(digits), LARGEST_NUMBER) if len(digits) <= 10 else LARGEST_NUMBER
    return -number if found[1] == "-" else number


def _name_end(tag: re.Match[str]) -> int:
    """Where the name of a start tag that LIST_TAG found ends."""
    return tag.start() + 1 + len(tag[2])


def render_pdf(html: str, page_url: str, base_url: str, files: Mapping[str, bytes]) -> bytes:
    """The PDF of a print page whose address is `page_url` (its relative links are read from
    there), with `files` of the theme served at `base_url`."""
    weasyprint = load_weasyprint()
    logger = logging.getLogger("weasyprint")
    # What was refused is said by the refusal itself; WeasyPrint would print each one.
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        with warnings.catch_warnings():
            # WeasyPrint reads the colour profile PDF/A needs from a file it leaves to be
            # closed when dropped, which Python warns about: that file is WeasyPrint's own.
            warnings.simplefilter("ignore", ResourceWarning)
            document = weasyprint.HTML(
                string=numbered_as_browsers_do(html),
                base_url=page_url,
                url_fetcher=theme_fetcher(base_url, files),
            )
            content: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        logger.disabled = was_disabled
    return content
