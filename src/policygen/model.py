"""The site as policygen understands it: policies → revisions → documents (no I/O)."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .canonical import CanonicalText
from .config import SiteConfig, Translatable
from .errors import SourceLocation
from .frontmatter import Correction

Status = Literal["superseded", "current", "upcoming"]


@dataclass(frozen=True, slots=True)
class SourceText:
    """One document file: a revision's text in one language, for every region or for one."""

    location: SourceLocation
    """The file."""
    language: str
    """Language tag from the file name."""
    region: str | None
    """Region from the file name (`en.europe.md`), or None for all regions."""
    title: str | None
    summary: str | None
    corrections: tuple[Correction, ...]
    extra: Mapping[str, Any]
    body: str
    """Markdown after the front matter, region blocks unresolved."""
    body_line: int
    """File line of the body's first line."""
    untranslated: tuple[str, ...] = ()
    """Keys of the segments a partly translated text still has in the source language."""


@dataclass(frozen=True, slots=True)
class Document:
    """A revision's text in one language for one region, as a reader is served it."""

    policy_id: str
    revision_id: str
    language: str
    """Language of the pages that show it."""
    region: str
    text_language: str
    """Language of the text: the source language when no translation exists (fallback)."""
    source: SourceText
    """The file the text comes from."""
    canonical: CanonicalText
    """The resolved Markdown: exactly the bytes of source.md."""
    sha256: str
    """Hex SHA-256 of the canonical text's UTF-8 bytes."""
    title: str
    summary: str | None
    summary_language: str
    """Language the summary is written in: the source language's stands in for a missing one."""
    corrections: tuple[Correction, ...]
    extra: Mapping[str, Any]

    @property
    def is_fallback(self) -> bool:
        return self.text_language != self.language


@dataclass(frozen=True, slots=True)
class Revision:
    """A dated state of a policy, in every language and region."""

    policy_id: str
    id: str
    """Folder name: the revision's permanent id, e.g. "2022-07-07"."""
    version: int
    """1 for the first revision in effective order, then 2, 3…"""
    effective: dt.date
    effective_at: dt.datetime
    """The start of `effective` in the site's time zone, as an aware UTC instant."""
    published: dt.date
    material: bool
    """Whether readers must consent again."""
    status: Status
    location: SourceLocation
    """The source-language file that states the revision's dates, at its `effective` line."""
    published_location: SourceLocation
    """The same file at its `published` line (at `effective` when it has none)."""
    sources: tuple[SourceText, ...]
    documents: Mapping[tuple[str, str], Document]
    """(language, region) → document, for every site language and every region of the policy."""
    inputs: str = ""
    """SHA-256 of its files: with the policy's settings, they are all its documents are made from."""

    def document(self, language: str, region: str) -> Document:
        return self.documents[(language, region)]


@dataclass(frozen=True, slots=True)
class Policy:
    """A policy with all of its revisions."""

    id: str
    title: Translatable | None
    """From policy.yaml; documents usually carry their own title."""
    regions: tuple[str, ...]
    """Regions it is published in, the site's order."""
    revisions: tuple[Revision, ...]
    """The revisions announced as of the site's date, in effective order: what the site publishes."""
    scheduled: tuple[Revision, ...] = ()
    """Revisions whose published date is still to come: checked, but not published yet."""
    inputs: str = ""
    """SHA-256 of everything the policy is made from (its files, site.yaml, the date): equal
    inputs give an equal policy, so what is made from it alone can be reused."""

    @property
    def all_revisions(self) -> tuple[Revision, ...]:
        """Published and scheduled revisions, in effective order: everything that is checked."""
        return tuple(sorted((*self.revisions, *self.scheduled), key=lambda r: r.effective))

    @property
    def current(self) -> Revision | None:
        return next((r for r in self.revisions if r.status == "current"), None)

    @property
    def upcoming(self) -> tuple[Revision, ...]:
        return tuple(r for r in self.revisions if r.status == "upcoming")

    @property
    def shown(self) -> Revision | None:
        """The revision the policy's own page (where links to it lead) shows: the one in force,
        else the first published; while every revision is scheduled, the first scheduled one,
        which that page will show first."""
        return self.current or next(iter(self.revisions or self.scheduled), None)

    def region_for(self, region: str) -> str:
        """The region whose pages a reader in `region` is led to: `region` where the policy is
        published there, else the first region it is published in (the site's order)."""
        return region if region in self.regions else self.regions[0]

    def previous(self, revision: Revision) -> Revision | None:
        # By identity: comparing revisions by value would compare every document.
        index = next(i for i, r in enumerate(self.revisions) if r is revision)
        return self.revisions[index - 1] if index else None

    def revision(self, revision_id: str) -> Revision:
        return next(r for r in self.revisions if r.id == revision_id)


@dataclass(frozen=True, slots=True)
class Site:
    """A whole policy site as of one date."""

    config: SiteConfig
    policies: tuple[Policy, ...]
    """Sorted by id."""
    as_of: dt.date
    """The date that decides which revisions are current and upcoming."""

    def policy(self, policy_id: str) -> Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    def is_regional(self, policy: Policy) -> bool:
        """Whether a policy is published in some of the site's regions only."""
        return len(policy.regions) < len(self.config.regions)


class Timelines:
    """Which revision of each policy is in force on a given day, found by bisection: a text's
    every link costs the same however many revisions the policies have."""

    def __init__(self, site: Site) -> None:
        self.as_of = site.as_of
        self._published = {p.id: _Timeline(p.revisions) for p in site.policies}
        self._all = {p.id: _Timeline(p.all_revisions) for p in site.policies}
        self._current = {p.id: p.current for p in site.policies}
        self._shown = {p.id: p.shown for p in site.policies}

    def in_force_on(
        self, policy: Policy, day: dt.date, *, scheduled: bool = False
    ) -> Revision | None:
        """The revision of `policy` in force on `day`: the last to take effect by then, of
        those published (and of those scheduled too, with `scheduled`)."""
        return (self._all if scheduled else self._published)[policy.id].on(day)

    def after(self, policy: Policy, day: dt.date) -> tuple[Revision, ...]:
        """The revisions of `policy`, published or scheduled, that take effect after `day`."""
        return self._all[policy.id].after(day)

    def referenced(self, target: Policy, linking: Policy, revision: Revision) -> Revision | None:
        """The revision of `target` that a `policy:` link in `revision` of `linking` refers
        to, or None for the one `target`'s own page shows.

        The text in force refers to the other policy in force, whatever it says: its link
        leads to that policy's own page. An earlier or a later text refers to the other policy
        as it stands on the day that text takes effect. Where that is no longer (or not yet)
        what the policy's own page shows, the link leads to that revision's page and section:
        a superseded text is never made to point at a section renumbered or dropped after it,
        and an announced text may point at a section the other policy announces with it."""
        if revision is self._current[linking.id]:
            return None
        then = self._published[target.id].on(revision.effective)
        return None if then is None or then is self._shown[target.id] else then


class _Timeline:
    """Revisions in effective order, with their effective dates."""

    def __init__(self, revisions: tuple[Revision, ...]) -> None:
        self.revisions = revisions
        self.days = [revision.effective for revision in revisions]

    def on(self, day: dt.date) -> Revision | None:
        index = bisect.bisect_right(self.days, day)
        return self.revisions[index - 1] if index else None

    def after(self, day: dt.date) -> tuple[Revision, ...]:
        return self.revisions[bisect.bisect_right(self.days, day) :]
