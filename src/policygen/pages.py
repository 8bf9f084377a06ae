"""The Site model → the plan of every page: its path, its template and its view (pure).

Templates receive views (views.py) made here, never model objects, so that the model can
change without breaking a theme. Every link between pages is relative, so the output
works wherever it is hosted (a sub-path, a preview server, a file share); canonical and
alternate links are absolute, from `base_url`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from .config import SiteConfig
from .diffing import STAND_INS, Redline, RedlineSection, diff_titles, with_own_directions
from .directions import (
    RIGHT_TO_LEFT_LETTER,
    Direction,
    direction_of_words,
    with_directions_of_words,
)
from .i18n import format_day, format_year, language_name, text_direction
from .markdown import (
    Heading,
    RenderedText,
    align_by_class,
    present_text,
    resolve_policy_links,
    retarget_links,
    shift_headings,
)
from .model import Policy, Revision, Site, Timelines
from .specs import HtmlPage, PdfFile, RawFile
from .urls import (
    NOT_FOUND_FILE,
    STYLESHEET,
    absolute,
    diff_dir,
    feed_path,
    history_dir,
    language_dir,
    page_path,
    pdf_path,
    policy_dir,
    region_dir,
    relative,
    revision_dir,
    rfc3339,
    source_path,
)
from .views import (
    CorrectionView,
    DateView,
    DiffPartView,
    DiffSectionView,
    DiffView,
    DocumentView,
    FeedEntry,
    FeedView,
    IndexLink,
    LanguageEntry,
    Link,
    PageView,
    PdfView,
    PolicyEntry,
    RevisionView,
    SitemapEntry,
    YearView,
)

HISTORY_BY_YEAR_FROM = 10
"""How many revisions a history has for its page to list them by year, with the years at its
top: Delta Chat's FAQ has 156, a page some twenty screens long to scroll through."""


def _by_year(
    policy: Policy, revisions: tuple[RevisionView, ...], language: str
) -> tuple[YearView, ...]:
    """A long history's revisions (newest first) by the year they took effect in; none for a
    history shorter than `HISTORY_BY_YEAR_FROM` or of one year."""
    days = {revision.id: revision.effective for revision in policy.revisions}
    years: dict[int, list[RevisionView]] = {}
    for view in revisions:
        years.setdefault(days[view.id].year, []).append(view)
    if len(revisions) < HISTORY_BY_YEAR_FROM or len(years) < 2:
        return ()
    return tuple(
        YearView(f"year-{year}", format_year(days[listed[0].id], language), tuple(listed))
        for year, listed in years.items()
    )


PAGE_TEMPLATES = (
    "index.html",
    "language.html",
    "document.html",
    "history.html",
    "diff.html",
    "feed.xml",
    "404.html",
    "pdf.html",
)
"""The templates pages are rendered with (each may extend or import others)."""
FEED_NAMESPACE = uuid.UUID("6f1d6a5e-0c2b-4f52-9a3b-2f6c1e9d7b41")
"""Namespace of feed entry ids (uuid5): fixed forever, so ids never change."""


PageSpec = HtmlPage
"""One page to render (the spec type of specs.py)."""
FileSpec = RawFile
"""One file written as is (the spec type of specs.py)."""


def _revision_dir_in(language: str, *, region: str, policy_id: str, revision_id: str) -> str:
    return revision_dir(language, region, policy_id, revision_id)


def _diff_dir_in(language: str, *, region: str, policy_id: str, revision_id: str) -> str:
    return diff_dir(language, region, policy_id, revision_id)


@dataclass(frozen=True, slots=True)
class Planner:
    """Plans the pages of one site; holds only what every page needs."""

    site: Site
    rendered: Mapping[str, RenderedText]
    """Rendered text by the SHA-256 of its canonical Markdown."""
    redlines: Mapping[tuple[str, str], Redline]
    """Redlines by the SHA-256 of the previous and of the new canonical text."""
    right_to_left: dict[str, bool] = field(default_factory=dict, compare=False)
    """Whether a text holds a letter written right to left, by its SHA-256: found once for
    each text, where its pages would look through their HTML each (most texts hold none)."""
    timelines: Timelines = field(init=False, compare=False, repr=False)
    """Which revision of each policy is in force when: where `policy:` links lead."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "timelines", Timelines(self.site))

    @property
    def config(self) -> SiteConfig:
        return self.site.config

    def _in_directions_of_words(
        self, html: str, direction: Direction, texts: Mapping[str, RenderedText]
    ) -> str:
        """`with_directions_of_words` of HTML made from `texts` (by SHA-256), which has
        nothing to do on a left-to-right page when they hold no letter written right to left
        (found once for each text)."""
        if direction == "ltr":
            for sha256, text in texts.items():
                if sha256 not in self.right_to_left:
                    self.right_to_left[sha256] = bool(RIGHT_TO_LEFT_LETTER.search(text.html))
            if not any(self.right_to_left[sha256] for sha256 in texts):
                return html
        return with_directions_of_words(html, direction)

    def plan_site_pages(self) -> Iterator[PageSpec]:
        """The pages about the whole site: indexes, feeds and the 404 page, each planned as
        the one before is made (a feed's view holds every revision of the region)."""
        yield self._site_index()
        for language in self.config.languages:
            yield self._language_index(language)
        for language in self.config.languages:
            for region in self.config.region_ids:
                yield self._feed(language, region)
        yield self._not_found()

    def plan_sitemap(self) -> list[SitemapEntry]:
        """Every entry of sitemap.xml."""
        sitemap: list[SitemapEntry] = [SitemapEntry(self._absolute(""), ())]
        for language in self.config.languages:
            sitemap.append(
                SitemapEntry(self._absolute(language_dir(language)), self._alternates(language_dir))
            )
        for policy in self.site.policies:
            if policy.revisions:
                for region in policy.regions:
                    sitemap.extend(self._sitemap_entries(policy, region))
        return sitemap

    def describe_revision(
        self, policy: Policy, revision: Revision, language: str, region: str
    ) -> RevisionView:
        """What pages show of a revision in one language and region, its URL from the root."""
        return self._revision_view(policy, revision, language, region, "")

    def plan_policy_pages(self, policy: Policy, language: str, region: str) -> list[PageSpec]:
        """A policy's own pages in one language and region: the current revision and the history."""
        shown = policy.current or policy.revisions[0]
        return [
            self._document_page(policy, shown, language, region, is_permalink=False),
            self._history_page(policy, language, region),
        ]

    def plan_revision_pages(
        self, policy: Policy, revision: Revision, language: str, region: str
    ) -> tuple[list[PageSpec], list[FileSpec]]:
        """A revision's page, its diff page and its source.md in one language and region."""
        pages = [self._document_page(policy, revision, language, region, is_permalink=True)]
        previous = policy.previous(revision)
        if previous is not None:
            pages.append(self._diff_page(policy, previous, revision, language, region))
        document = revision.document(language, region)
        source = FileSpec(
            source_path(language, region, policy.id, revision.id),
            document.canonical.text.encode("utf-8"),
        )
        return pages, [source]

    def plan_revision_pdf(
        self,
        policy: Policy,
        revision: Revision,
        language: str,
        region: str,
        theme: Mapping[str, bytes],
    ) -> PdfFile:
        """A revision's PDF in one language and region: its print page, typeset with the
        theme's static files."""
        document = revision.document(language, region)
        here = revision_dir(language, region, policy.id, revision.id)
        text = self.rendered[document.sha256]
        body, _ = present_text(text, document.title)
        direction = text_direction(document.text_language)
        body = self._in_directions_of_words(body, direction, {document.sha256: text})
        corrections = tuple(
            CorrectionView(self._date(c.date, language), c.note) for c in document.corrections
        )
        modified = max((c.date for c in document.corrections), default=revision.published)
        view = PdfView(
            language=language,
            direction=text_direction(language),
            site_title=self.config.title.get(language, self.config.default_language),
            # Not the title of the revision in force, as pages show: that one changes.
            policy_title=policy.title.get(language, self.config.default_language)
            if policy.title is not None
            else document.title,
            title=document.title,
            revision_id=revision.id,
            version=revision.version,
            effective=self._date(revision.effective, language),
            published=self._date(revision.published, language),
            modified=max(modified, revision.published).isoformat(),
            language_name=language_name(language),
            region_name=self._region_name(region, language)
            if len(self.config.regions) > 1
            else None,
            summary=document.summary,
            summary_language=document.summary_language,
            # Relative links, read from the page's address: in the PDF they lead to the site.
            body=Markup(
                resolve_policy_links(body, self._policy_link_resolver(here, language, region))
            ),
            is_fallback=document.is_fallback,
            text_language=document.text_language,
            text_language_name=language_name(document.text_language),
            corrections=corrections,
            sha256=document.sha256,
            url=self._absolute(here),
            stylesheet_url=relative(here, STYLESHEET),
            extra=document.extra,
        )
        path = pdf_path(language, region, policy.id, revision.id)
        return PdfFile(path, "pdf.html", language, {"pdf": view}, self.config.base_url, theme)

    # Pages

    def _site_index(self) -> PageSpec:
        default = self.config.default_language
        entries = tuple(
            LanguageEntry(
                language_name(language),
                language,
                language_dir(language),
                tuple(
                    IndexLink(
                        self.policy_title(policy, language),
                        policy_dir(
                            language, policy.region_for(self.config.default_region), policy.id
                        ),
                        language,
                        self._regions_named(policy, language),
                    )
                    for policy in self.site.policies
                    if policy.revisions
                ),
            )
            for language in self.config.languages
        )
        page = self._page_view(
            "",
            default,
            self.config.title.get(default, default),
            lambda lang, region: "",
            region=None,
            is_indexable=True,
        )
        return PageSpec(page_path(""), "index.html", default, {"page": page, "languages": entries})

    def _language_index(self, language: str) -> PageSpec:
        here = language_dir(language)
        entries = []
        for policy in self.site.policies:
            if not policy.revisions:
                continue
            regions = tuple(
                Link(
                    self._region_name(region, language),
                    relative(here, policy_dir(language, region, policy.id)),
                )
                for region in policy.regions
            )
            current = policy.current
            upcoming = policy.upcoming[0] if policy.upcoming else None
            # Dates are the same in every region; the summary is the one of the region a
            # reader from the default region is led to.
            region = policy.region_for(self.config.default_region)
            entries.append(
                PolicyEntry(
                    self.policy_title(policy, language),
                    regions,
                    self._revision_view(policy, current, language, region, here)
                    if current
                    else None,
                    self._revision_view(policy, upcoming, language, region, here)
                    if upcoming
                    else None,
                    is_regional=self.site.is_regional(policy),
                )
            )
        title = self.config.title.get(language, self.config.default_language)
        page = self._page_view(
            here,
            language,
            title,
            lambda lang, region: language_dir(lang),
            region=None,
            is_indexable=True,
        )
        return PageSpec(
            page_path(here),
            "language.html",
            language,
            {"page": page, "policies": tuple(entries)},
        )

    def _document_page(
        self, policy: Policy, revision: Revision, language: str, region: str, is_permalink: bool
    ) -> PageSpec:
        document = revision.document(language, region)
        here = (
            revision_dir(language, region, policy.id, revision.id)
            if is_permalink
            else policy_dir(language, region, policy.id)
        )
        current = policy.current
        is_in_force = revision is current or (current is None and revision is policy.revisions[0])
        upcoming = policy.upcoming[0] if policy.upcoming else None

        def same_page(lang: str, reg: str) -> str:
            return (
                revision_dir(lang, reg, policy.id, revision.id)
                if is_permalink
                else policy_dir(lang, reg, policy.id)
            )

        canonical_dir = policy_dir(language, region, policy.id) if revision is current else here
        is_indexable = (revision is current and not is_permalink) or self.config.index_all_revisions
        page = self._page_view(
            here,
            language,
            document.title,
            same_page,
            region=region,
            is_indexable=is_indexable,
            policy=policy,
            canonical_dir=canonical_dir,
        )
        text = self.rendered[document.sha256]
        body, headings = present_text(text, document.title)
        direction = text_direction(document.text_language)
        body = self._in_directions_of_words(body, direction, {document.sha256: text})
        view = DocumentView(
            policy_title=self.policy_title(policy, language),
            title=document.title,
            revision=self._revision_view(policy, revision, language, region, here),
            body=Markup(
                resolve_policy_links(
                    body, self._policy_link_resolver(here, language, region, (policy, revision))
                )
            ),
            toc=self._toc(headings, direction),
            is_fallback=document.is_fallback,
            text_language=document.text_language,
            text_language_name=language_name(document.text_language),
            corrections=tuple(
                CorrectionView(self._date(c.date, language), c.note) for c in document.corrections
            ),
            current=self._revision_view(policy, current, language, region, here)
            if current and revision is not current
            else None,
            upcoming=self._revision_view(policy, upcoming, language, region, here)
            if upcoming and is_in_force and revision is not upcoming
            else None,
            history_url=relative(here, history_dir(language, region, policy.id)),
            source_url=relative(here, source_path(language, region, policy.id, revision.id)),
            pdf_url=relative(here, pdf_path(language, region, policy.id, revision.id))
            if self.config.pdf
            else None,
            is_permalink=is_permalink,
            extra=document.extra,
        )
        return PageSpec(
            page_path(here), "document.html", language, {"page": page, "document": view}
        )

    def _history_page(self, policy: Policy, language: str, region: str) -> PageSpec:
        here = history_dir(language, region, policy.id)
        title = self.policy_title(policy, language)
        page = self._page_view(
            here,
            language,
            title,
            lambda lang, reg: history_dir(lang, reg, policy.id),
            region=region,
            is_indexable=True,
            policy=policy,
        )
        revisions = tuple(
            self._revision_view(policy, r, language, region, here)
            for r in reversed(policy.revisions)
        )
        current_url = relative(here, policy_dir(language, region, policy.id))
        return PageSpec(
            page_path(here),
            "history.html",
            language,
            {
                "page": page,
                "policy_title": title,
                "revisions": revisions,
                "years": _by_year(policy, revisions, language),
                "current_url": current_url,
            },
        )

    def _not_found(self) -> PageSpec:
        language = self.config.default_language
        root = urlsplit(self.config.base_url).path
        # A 404 page is served at any depth, so its links start from the site's own path.
        page = self._page_view(
            "",
            language,
            "404",
            lambda lang, region: language_dir(lang),
            region=None,
            is_indexable=False,
        )
        page = dataclasses.replace(
            page,
            root=root,
            home_url=root + language_dir(language),
            stylesheet_url=root + STYLESHEET,
            languages=tuple(
                dataclasses.replace(
                    link, url=root + language_dir(link.hreflang or ""), is_current=False
                )
                for link in page.languages
            ),
        )
        return PageSpec(NOT_FOUND_FILE, "404.html", language, {"page": page})

    def _feed(self, language: str, region: str) -> PageSpec:
        """Every published revision of the policies of a region, newest first."""
        zone = zoneinfo.ZoneInfo(self.config.timezone)
        here = region_dir(language, region)
        entries = []
        for policy in self.site.policies:
            if region not in policy.regions:
                continue
            for revision in policy.revisions:
                if revision.published > self.site.as_of:
                    continue
                published = dt.datetime.combine(revision.published, dt.time(), tzinfo=zone)
                entries.append(
                    FeedEntry(
                        id=_urn(policy.id, revision.id, language, region),
                        policy_title=self.policy_title(policy, language),
                        revision=self._revision_view(policy, revision, language, region, here),
                        url=self._absolute(revision_dir(language, region, policy.id, revision.id)),
                        diff_url=self._absolute(diff_dir(language, region, policy.id, revision.id))
                        if policy.previous(revision)
                        else None,
                        published=rfc3339(published),
                    )
                )
        # Newest first; a stable sort keeps policies in id order when dates are equal.
        entries.sort(key=lambda e: (e.published, e.revision.effective.iso), reverse=True)
        title = self.config.title.get(language, self.config.default_language)
        feed = FeedView(
            id=_urn("feed", language, region),
            title=title,
            language=language,
            url=self._absolute(feed_path(language, region)),
            home_url=self._absolute(language_dir(language)),
            updated=entries[0].published
            if entries
            else rfc3339(dt.datetime.combine(self.site.as_of, dt.time(), tzinfo=zone)),
            entries=tuple(entries),
        )
        page = self._page_view(
            here,
            language,
            title,
            region_dir,
            region=region,
            is_indexable=False,
        )
        return PageSpec(
            feed_path(language, region),
            "feed.xml",
            language,
            {"page": page, "feed": feed, "region_name": self._region_name(region, language)},
        )

    # Views

    def _page_view(
        self,
        here: str,
        language: str,
        title: str,
        same_page: Callable[[str, str], str],
        region: str | None,
        is_indexable: bool,
        policy: Policy | None = None,
        canonical_dir: str | None = None,
    ) -> PageView:
        pinned_region = region or self.config.default_region
        languages = tuple(
            Link(
                language_name(lang),
                relative(here, same_page(lang, pinned_region)),
                lang,
                lang == language,
            )
            for lang in self.config.languages
        )
        regions: tuple[Link, ...] = ()
        if region is not None and policy is not None and len(policy.regions) > 1:
            regions = tuple(
                Link(
                    self._region_name(reg, language),
                    relative(here, same_page(language, reg)),
                    None,
                    reg == region,
                )
                for reg in policy.regions
            )
        return PageView(
            language=language,
            direction=text_direction(language),
            title=title,
            site_title=self.config.title.get(language, self.config.default_language),
            root=relative(here, ""),
            home_url=relative(here, language_dir(language)),
            stylesheet_url=relative(here, STYLESHEET),
            canonical_url=self._absolute(canonical_dir if canonical_dir is not None else here),
            alternates=self._alternates(lambda lang: same_page(lang, pinned_region)),
            is_indexable=is_indexable,
            languages=languages,
            regions=regions,
            region_name=self._region_name(region, language)
            if region is not None and len(self.config.regions) > 1
            else None,
            feed_url=relative(here, feed_path(language, region)) if region is not None else None,
        )

    def _revision_view(
        self, policy: Policy, revision: Revision, language: str, region: str, here: str
    ) -> RevisionView:
        document = revision.document(language, region)
        return RevisionView(
            id=revision.id,
            version=revision.version,
            status=revision.status,
            effective=self._date(revision.effective, language),
            published=self._date(revision.published, language),
            is_material=revision.material,
            summary=document.summary,
            summary_language=document.summary_language,
            url=relative(here, revision_dir(language, region, policy.id, revision.id)),
            diff_url=relative(here, diff_dir(language, region, policy.id, revision.id))
            if policy.previous(revision)
            else None,
        )

    def _diff_page(
        self, policy: Policy, old: Revision, new: Revision, language: str, region: str
    ) -> PageSpec:
        here = diff_dir(language, region, policy.id, new.id)
        before, after = old.document(language, region), new.document(language, region)
        redline = self.redlines[(before.sha256, after.sha256)]
        # The page is the newer revision's: the links of the words it deleted lead where its
        # own do.
        resolve = self._policy_link_resolver(here, language, region, (policy, new))
        # The page's title is its only <h1>: a text's own headings go one level down if needed.
        shown = shift_headings([part.html for part in redline.parts])
        # Links written for GitHub's or Python-Markdown's anchors lead to the headings here too.
        old_text, new_text = self.rendered[before.sha256], self.rendered[after.sha256]
        aliases = {
            **{a: i for a, i in old_text.aliases if a not in new_text.ids},
            **dict(new_text.aliases),
        }
        texts = {before.sha256: old_text, after.sha256: new_text}
        listed = _listed_changes(tuple(s for part in redline.parts for s in part.sections))
        top = min((s.level for s in listed if s.kind == "heading"), default=0)
        # A translation compared with its original, in a language written the other way.
        is_mixed = text_direction(before.text_language) != text_direction(after.text_language)

        def section_view(s: RedlineSection) -> DiffSectionView:
            depth = s.level - top if s.kind == "heading" else 0
            text = before if s.is_old_title else after
            direction = direction_of_words(s.title, text_direction(language))
            if text.text_language != language:
                title = Markup('<span lang="{}" dir="auto">{}</span>').format(
                    text.text_language, s.title
                )
            elif direction:
                title = Markup('<span dir="{}">{}</span>').format(direction, s.title)
            else:
                title = escape(s.title)
            return DiffSectionView(
                s.anchor,
                s.title,
                s.change,
                s.is_moved,
                s.kind,
                s.number,
                max(depth, 0),
                text.text_language,
                s.forms,
                direction,
                title,
            )

        def part_html(html: str) -> Markup:
            html = align_by_class(resolve_policy_links(retarget_links(html, aliases), resolve))
            if is_mixed:
                return Markup(with_own_directions(html))
            direction = text_direction(after.text_language)
            return Markup(self._in_directions_of_words(html, direction, texts))

        parts = tuple(
            DiffPartView(
                part_html(html),
                tuple(section_view(s) for s in part.sections),
                part.is_unchanged,
            )
            for part, html in zip(redline.parts, shown, strict=True)
        )
        title = self.policy_title(policy, language)
        view = DiffView(
            policy_title=title,
            title=after.title,
            old=self._revision_view(policy, old, language, region, here),
            new=self._revision_view(policy, new, language, region, here),
            parts=parts,
            changed=tuple(section_view(s) for s in listed),
            labels=STAND_INS,
            old_fallback_language=language_name(before.text_language)
            if before.is_fallback
            else None,
            new_fallback_language=language_name(after.text_language) if after.is_fallback else None,
            title_change=self._title_change(
                before.title, after.title, before.text_language, after.text_language
            ),
        )
        page = self._page_view(
            here,
            language,
            title,
            lambda lang, reg: diff_dir(lang, reg, policy.id, new.id),
            region=region,
            is_indexable=self.config.index_all_revisions,
            policy=policy,
        )
        return PageSpec(page_path(here), "diff.html", language, {"page": page, "diff": view})

    def _toc(self, headings: tuple[Heading, ...], direction: Direction) -> tuple[Link, ...]:
        top = min((h.level for h in headings), default=2)
        return tuple(
            Link(h.text, f"#{h.id}", direction=direction_of_words(h.text, direction))
            for h in headings
            if h.level == top
        )

    def _policy_link_resolver(
        self,
        here: str,
        language: str,
        region: str,
        linking: tuple[Policy, Revision] | None = None,
    ) -> Callable[[str, str], str | None]:
        """Where the `policy:` links of a page at `here` lead: of the text of `linking` (a
        policy's revision), to the revision of the other policy it refers to
        (`Timelines.referenced`); without it (a PDF, made once and kept while that revision
        goes from announced to in force to superseded), to the other policy's own page."""

        def resolve(policy_id: str, fragment: str) -> str | None:
            target = self.site.policy(policy_id)
            if target is None or not target.revisions:
                return None  # all its revisions are scheduled: there is no page to link yet
            # A policy published elsewhere only (a Cookies Policy for Europe) is still the
            # text the link refers to: the reader is led to it, and its page names its region.
            target_region = target.region_for(region)
            then = self.timelines.referenced(target, *linking) if linking else None
            target_dir = (
                revision_dir(language, target_region, policy_id, then.id)
                if then is not None
                else policy_dir(language, target_region, policy_id)
            )
            return relative(here, target_dir) + fragment

        return resolve

    def _sitemap_entries(self, policy: Policy, region: str) -> list[SitemapEntry]:
        entries = [
            SitemapEntry(
                self._absolute(policy_dir(lang, region, policy.id)),
                self._alternates(lambda la: policy_dir(la, region, policy.id)),
            )
            for lang in self.config.languages
        ]
        entries += [
            SitemapEntry(
                self._absolute(history_dir(lang, region, policy.id)),
                self._alternates(lambda la: history_dir(la, region, policy.id)),
            )
            for lang in self.config.languages
        ]
        if self.config.index_all_revisions:
            for revision in policy.revisions[1:]:
                entries += [
                    SitemapEntry(
                        self._absolute(diff_dir(lang, region, policy.id, revision.id)),
                        self._alternates(
                            functools.partial(
                                _diff_dir_in,
                                region=region,
                                policy_id=policy.id,
                                revision_id=revision.id,
                            )
                        ),
                    )
                    for lang in self.config.languages
                ]
            for revision in policy.revisions:
                entries += [
                    SitemapEntry(
                        self._absolute(revision_dir(lang, region, policy.id, revision.id)),
                        self._alternates(
                            functools.partial(
                                _revision_dir_in,
                                region=region,
                                policy_id=policy.id,
                                revision_id=revision.id,
                            )
                        ),
                    )
                    for lang in self.config.languages
                ]
        return entries

    def _alternates(self, path_in: Callable[[str], str]) -> tuple[Link, ...]:
        links = [
            Link(language_name(lang), self._absolute(path_in(lang)), lang)
            for lang in self.config.languages
        ]
        links.append(
            Link("x-default", self._absolute(path_in(self.config.default_language)), "x-default")
        )
        return tuple(links)

    def _absolute(self, path: str) -> str:
        return absolute(self.config.base_url, path)

    def _date(self, day: Any, language: str) -> DateView:
        return DateView(day.isoformat(), format_day(day, language))

    def _region_name(self, region: str, language: str) -> str:
        return self.config.region(region).name.get(language, self.config.default_language)

    def _regions_named(self, policy: Policy, language: str) -> str | None:
        """The regions of a policy published in some of the site's regions only, by name."""
        if not self.site.is_regional(policy):
            return None
        return ", ".join(self._region_name(region, language) for region in policy.regions)

    @staticmethod
    def _title_change(old: str, new: str, old_language: str, new_language: str) -> Markup | None:
        """A text's new title with its changes marked, where it changed in one language (a
        translation's title is not the original's changed)."""
        if old == new or old_language != new_language:
            return None
        return Markup('<span lang="{}" dir="auto">{}</span>').format(
            new_language, diff_titles(old, new, STAND_INS)
        )

    def policy_title(self, policy: Policy, language: str) -> str:
        """A policy's title in a language."""
        if policy.title is not None:
            return policy.title.get(language, self.config.default_language)
        shown = policy.current or policy.revisions[0]
        return shown.document(language, policy.regions[0]).title


def _urn(*parts: str) -> str:
    """A stable id that does not depend on where the site is hosted."""
    return "urn:uuid:" + str(uuid.uuid5(FEED_NAMESPACE, "/".join(parts)))


def _listed_changes(sections: tuple[RedlineSection, ...]) -> tuple[RedlineSection, ...]:
    """The parts of a redline its list of changes names: those that changed, each heading
    under the unchanged headings it is part of.

    A section is listed under the last heading above it in the list: without its own,
    WordPress.com's 'a. Automattic Fees' (of '5. Fees, Payment, and Renewal') showed under
    'Terms of Service', beside 'a. WordPress.com Websites and Accounts' (of '8.')."""
    listed: list[RedlineSection] = []
    above: list[RedlineSection] = []
    shown: set[int] = set()
    """The sections listed so far (by identity: two may be alike)."""
    for section in sections:
        if section.kind == "heading":
            while above and above[-1].level >= section.level:
                above.pop()
            if section.change != "unchanged":
                listed += [h for h in above if id(h) not in shown]
                shown.update(id(h) for h in above)
        if section.change != "unchanged":
            listed.append(section)
            shown.add(id(section))
        if section.kind == "heading":
            above.append(section)
    return tuple(listed)
