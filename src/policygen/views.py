"""What a template receives: the views of pages, revisions, redlines and feeds, and the
entries of sitemap.xml (data only).

The planner (pages.py) makes them from the model; a theme's templates read their fields.
A view's fields are the theme's contract: the model's own names can change without
breaking a theme. URLs in a view are relative to the page that shows it, except where a
field says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .diffing import RedlineLabels
from .model import Status


@dataclass(frozen=True, slots=True)
class Link:
    """A link as a template shows it."""

    label: str
    url: str
    hreflang: str | None = None
    is_current: bool = False
    """The page the reader is on (switchers mark it with aria-current)."""
    direction: str | None = None
    """The direction of its label's letters, when they are all written the other way than
    the list it is in (a heading left in English in a Hebrew text)."""


@dataclass(frozen=True, slots=True)
class DateView:
    """A date, machine-readable and as the page's language writes it."""

    iso: str
    text: str


@dataclass(frozen=True, slots=True)
class PageView:
    """What every page shows around its content."""

    language: str
    direction: str
    title: str
    site_title: str
    root: str
    """Relative URL of the site root from this page ("../../")."""
    home_url: str
    """The policies in this language."""
    stylesheet_url: str
    canonical_url: str
    alternates: tuple[Link, ...]
    """Absolute URLs of this page in every language, for hreflang."""
    is_indexable: bool
    languages: tuple[Link, ...]
    """Language switcher: this page in every language."""
    regions: tuple[Link, ...]
    """Region switcher: this page in every region (empty where there is nothing to switch)."""
    region_name: str | None
    feed_url: str | None = None
    """The Atom feed of changes for this page's language and region."""


@dataclass(frozen=True, slots=True)
class RevisionView:
    """A revision as listed or shown."""

    id: str
    version: int
    status: Status
    effective: DateView
    published: DateView
    is_material: bool
    summary: str | None
    summary_language: str
    """Language the summary is written in (the source language when it is not translated)."""
    url: str
    diff_url: str | None = None
    """Its changes from the previous revision (None for the first)."""


@dataclass(frozen=True, slots=True)
class YearView:
    """The revisions of a long history that took effect in one year, as its page lists them."""

    anchor: str
    """Its id on the page: "year-2022"."""
    text: str
    """The year as the page's language writes it: "2022", "2022年"."""
    revisions: tuple[RevisionView, ...]
    """Newest first."""


@dataclass(frozen=True, slots=True)
class CorrectionView:
    date: DateView
    note: str


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A revision's text as one page shows it."""

    policy_title: str
    title: str
    revision: RevisionView
    body: Markup
    toc: tuple[Link, ...]
    is_fallback: bool
    text_language: str
    """Language of the text (differs from the page's on a fallback)."""
    text_language_name: str
    """Name of the language the text is in (differs from the page's on a fallback)."""
    corrections: tuple[CorrectionView, ...]
    current: RevisionView | None
    """The revision in force, when this page shows another."""
    upcoming: RevisionView | None
    """The next revision, announced on the page of the one in force."""
    history_url: str
    source_url: str
    pdf_url: str | None
    """This revision's PDF (None when the site makes none)."""
    is_permalink: bool
    """The page of one revision (rather than the policy's page that shows the current one)."""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PdfView:
    """A revision's text as its PDF shows it: what its page shows that never changes (not
    whether it is in force, nor links to other revisions), so that its PDF never changes."""

    language: str
    direction: str
    site_title: str
    policy_title: str
    title: str
    revision_id: str
    version: int
    effective: DateView
    published: DateView
    modified: str
    """ISO date of the last correction of the text, else its published date (the PDF's
    modification date)."""
    language_name: str
    region_name: str | None
    """The region, where the site has more than one."""
    summary: str | None
    summary_language: str
    body: Markup
    is_fallback: bool
    text_language: str
    text_language_name: str
    corrections: tuple[CorrectionView, ...]
    sha256: str
    """SHA-256 of the revision's source.md, printed on every page."""
    url: str
    """Absolute URL of the revision's page."""
    stylesheet_url: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PolicyEntry:
    """A policy in an index: its page in each region."""

    title: str
    regions: tuple[Link, ...]
    """Its page in each region where it is published."""
    current: RevisionView | None
    upcoming: RevisionView | None
    is_regional: bool = False
    """Published in some of the site's regions only: the index names them even when only one."""


@dataclass(frozen=True, slots=True)
class IndexLink:
    """A policy in the list of a language on the site's index."""

    label: str
    url: str
    hreflang: str
    regions: str | None = None
    """Names of the regions it is published in, when not in every region of the site."""


@dataclass(frozen=True, slots=True)
class LanguageEntry:
    name: str
    language: str
    url: str
    policies: tuple[IndexLink, ...]


@dataclass(frozen=True, slots=True)
class DiffSectionView:
    """A part of a redline a reader can go to: a section, a numbered paragraph, an item, a row."""

    anchor: str
    """Id in the redline; "" for its start."""
    title: str
    change: str
    """added, removed, modified, reformatted (in form only) or unchanged."""
    is_moved: bool
    kind: str
    """intro (the text before the first heading), heading, paragraph, item or row."""
    number: int
    """An item's or a row's number; 0 for other parts."""
    depth: int
    """How far below the highest heading listed a heading is (0 for other parts)."""
    language: str
    """The language of its title: that of the text it is in (the previous text's for a part
    removed), which is not the page's when that text is a fallback."""
    forms: tuple[str, ...] = ()
    """What its change is besides one of words: "link", "formatting", "heading level",
    "renumbered", "paragraph split", "paragraphs joined", "item split", "items joined" or
    "paragraph break moved" (see diffing.RedlineSection.forms)."""
    direction: str | None = None
    """The direction of its title's letters, when they are all written the other way than
    the page (a heading left in English in a Hebrew text)."""
    title_html: Markup = Markup("")
    """Its title as the list of changes shows it: marked with its language where that is not
    the page's (it reads in its own direction, as its own words), or with its direction."""


@dataclass(frozen=True, slots=True)
class DiffPartView:
    """Parts of a redline shown together: unchanged ones collapse as one."""

    html: Markup
    """The redline, with stand-ins (markdown.MARKS, diffing.STAND_INS) where the template
    puts the localized labels."""
    sections: tuple[DiffSectionView, ...]
    is_unchanged: bool


@dataclass(frozen=True, slots=True)
class DiffView:
    """The changes between a revision and the one before it, as one page shows them."""

    policy_title: str
    title: str
    old: RevisionView
    new: RevisionView
    parts: tuple[DiffPartView, ...]
    changed: tuple[DiffSectionView, ...]
    """The parts the list of changes names: those that changed, each with the unchanged
    headings it is under (their change "unchanged"), so that its place in the text shows."""
    labels: RedlineLabels
    """The stand-ins of the redline's labels, for the template to translate."""
    old_fallback_language: str | None
    """Name of the language the previous text is shown in, when it is a fallback."""
    new_fallback_language: str | None
    title_change: Markup | None = None
    """The text's title, its changes marked (with stand-ins), where it changed: the title is
    the text's, as its page shows it."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A revision as an entry of an Atom feed (absolute URLs: feed readers resolve few others)."""

    id: str
    """Stable across builds and site moves: derived from policy, revision, language and region."""
    policy_title: str
    revision: RevisionView
    url: str
    diff_url: str | None
    published: str
    """RFC 3339 instant: the start of the published date in the site's time zone."""


@dataclass(frozen=True, slots=True)
class FeedView:
    id: str
    title: str
    language: str
    url: str
    """Absolute URL of the feed itself."""
    home_url: str
    updated: str
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    alternates: tuple[Link, ...]
