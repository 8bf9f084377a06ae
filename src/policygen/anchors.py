"""Headings → the anchors GitHub and Python-Markdown would give them, so that links written
for those renderers still lead to the heading they meant (pure).

Policies often lived on GitHub, or in a Python-Markdown (MkDocs) site, before they came to
policygen, and their texts and other sites link to the anchors those gave their headings:
`#1-account-controls` where policygen writes `#section-1`. Texts converted from web pages
link to the anchors of those pages, which often leave a numbered heading's number out:
`#account-controls`, or run the words together: `#informationwecollect`, `#contact_us`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

RESERVED_PREFIX = "pg-"
"""Ids of the page around the text (pg-main, pg-title…) start with this; a text's never do."""

_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))
"""Symbols that are letters all the same (Ⓐ, 🄰…): github-slugger keeps what Unicode calls Alphabetic."""
_ASCII_DROPPED = re.compile(r"[^a-z0-9_ -]")
_TOC_DROPPED = re.compile(r"[^\w\s-]")
_TOC_SPACES = re.compile(r"[-\s]+")
_TOC_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


@functools.lru_cache(maxsize=65536)
def github_slug(text: str) -> str:
    """The anchor GitHub (github-slugger) makes of a heading's text, before duplicates are
    numbered: lowercase; letters, marks, digits, `_` and `-` kept; each space a hyphen;
    everything else dropped."""
    text = text.lower()
    if text.isascii():
        return _ASCII_DROPPED.sub("", text).replace(" ", "-")
    return "".join("-" if char == " " else char for char in text if _is_kept(char))


@functools.cache
def _is_kept(char: str) -> bool:
    if char in " -":
        return True
    category = unicodedata.category(char)
    if category[0] in "LM" or category in ("Nd", "Nl", "Pc"):
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def github_slugs(texts: Iterable[str]) -> list[str]:
    """The anchors GitHub gives the headings of one document, in order: a slug already given
    gets `-1`, `-2`… (counted per slug, as github-slugger does)."""
    occurrences: dict[str, int] = {}
    slugs = []
    for text in texts:
        slug = original = github_slug(text)
        while slug in occurrences:
            occurrences[original] += 1
            slug = f"{original}-{occurrences[original]}"
        occurrences[slug] = 0
        slugs.append(slug)
    return slugs


@functools.lru_cache(maxsize=65536)
def toc_slug(text: str) -> str:
    """The anchor Python-Markdown's `toc` extension (its default `slugify`) makes of a
    heading's text, before duplicates are numbered: accents dropped (NFKD, then ASCII),
    everything but letters, digits, `_`, `-` and spaces dropped, lowercase, spaces and
    hyphens in a row made one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _TOC_SPACES.sub("-", _TOC_DROPPED.sub("", ascii_text).strip().lower())


def toc_unique(slug: str, used: set[str], numbered: dict[str, int]) -> str:
    """`slug` made unique as Python-Markdown's `toc` does (`_1`, `_2`…), and recorded in `used`.

    `numbered` keeps, for each slug, the first number whose slug may be free, all those
    before it being in `used`: a text of thousands of equal headings tries each number once,
    not once for each heading after it."""
    if slug and slug not in used:
        used.add(slug)
        return slug
    found = _TOC_NUMBERED.match(slug)
    base, number = (found[1], int(found[2]) + 1) if found else (slug, 1)
    is_from_first = number <= numbered.get(base, 1)
    if is_from_first:
        number = numbered.get(base, 1)
    while f"{base}_{number}" in used:
        number += 1
    if is_from_first:
        numbered[base] = number + 1
    unique = f"{base}_{number}"
    used.add(unique)
    return unique


_LEADING_NUMBER = re.compile(r"\s*(?:§\s*)?\d+(?:\.\d+)*\.?\s+(?=\S)")
"""A heading's section number ("4.", "4.2", "§ 7."), the words after it."""


def unnumbered_slugs(text: str) -> tuple[str, ...]:
    """GitHub's and Python-Markdown's anchors of a numbered heading's words, its number left
    out: `#account-controls` for "1. Account Controls"; `#identité-du-responsable` and
    `#identite-du-responsable` (the accents dropped, as French web pages make their anchors)
    for "1. Identité du responsable"; none for a heading with no number."""
    number = _LEADING_NUMBER.match(text)
    if number is None:
        return ()
    words = text[number.end() :]
    return github_slug(words), toc_slug(words)


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def run_together_slugs(text: str) -> tuple[str, ...]:
    """The anchors some web pages make of a heading's words: lowercase, letters and digits
    alone, run together (TikTok's `#informationwecollect` for "Information We Collect") or
    joined by `_` (Temu's `#contact_us` for "Contact Us"), of its whole text and of its
    words after its number; none for a heading with one word (its other anchors have it
    already)."""
    number = _LEADING_NUMBER.match(text)
    texts = [text] + ([text[number.end() :]] if number else [])
    slugs = []
    for words in texts:
        parts = [part for part in _NOT_LETTER_OR_DIGIT.split(words.lower()) if part]
        if len(parts) > 1:
            for slug in ("".join(parts), "_".join(parts)):
                if slug not in slugs:
                    slugs.append(slug)
    return tuple(slugs)


@dataclass(frozen=True, slots=True)
class HeadingName:
    """What the anchors of a heading are made from."""

    id: str
    """The heading's id on the page."""
    text: str
    """Its text as read (after escapes, emphasis and links)."""
    is_written: bool
    """Its id was written in the text (`{#id}`): Python-Markdown's `toc` keeps such an id."""


def heading_aliases(
    headings: Iterable[HeadingName], taken: set[str], linked: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Alias → heading id: the anchors GitHub and Python-Markdown give each heading, and those
    of a numbered heading's words (`unnumbered_slugs`) and of its words run together
    (`run_together_slugs`) where an in-page link of the text (`linked`) uses them, or uses
    any of its anchors in other capitals, where they differ from its id and no other id of
    the page (`taken`) or earlier alias has them.

    The anchor of a heading's words is an alias only where a link uses it: a page holds the
    other renderers' anchors for the links of other sites too, and one more for each
    numbered heading of every text would be noise."""
    headings = list(headings)
    used = {heading.id for heading in headings if heading.is_written}
    numbered: dict[str, int] = {}
    github = github_slugs(heading.text for heading in headings)
    aliases: dict[str, str] = {}
    for heading, slug in zip(headings, github, strict=True):
        # A heading with nothing GitHub keeps (`#` alone, only symbols) gets "", then "-1",
        # "-2"…: anchors no one links to, and counted across the whole text.
        names = [slug] if github_slug(heading.text) else []
        if not heading.is_written:
            # A heading with no letter in ASCII gets `_1`, `_2`… from `toc`: counted, never an alias.
            base = toc_slug(heading.text)
            unique = toc_unique(base, used, numbered)
            names += [unique] if base else []
        if linked:
            words = (*unnumbered_slugs(heading.text), *run_together_slugs(heading.text))
            names += [name for name in words if name in linked]
            # A link written in other capitals than an anchor of the heading (CoronaCheck's
            # `#for-whom-is-the-CoronaCheck-Scanner-app-intended` for "For whom is the
            # CoronaCheck Scanner app intended?"): no renderer's anchor matched it, and a
            # fragment leads only to an id written alike.
            forms = {name.casefold() for name in (heading.id, slug, *names, *words) if name}
            names += sorted(name for name in linked if name.casefold() in forms)
        for name in names:
            if (
                name
                and name not in taken
                and name not in aliases
                and not name.startswith(RESERVED_PREFIX)
            ):
                aliases[name] = heading.id
    return aliases
