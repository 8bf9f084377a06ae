"""The Site model → the parts the output is made in, and each part's specs (pure).

A part is a unit of work: files made together, by one process, and kept or made again
together by a build that follows another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import Problem, SourceLocation, error
from .model import Site

PartKind = Literal["revision", "policy", "site pages", "site files"]


@dataclass(frozen=True, slots=True)
class Part:
    """Files made together."""

    kind: PartKind
    """revision: a revision's page, diff page and source.md in one language and region;
    policy: a policy's current page and history in one language and region; site pages:
    the indexes, feeds and 404 page; site files: manifest, answers, sitemap, _headers, theme
    files."""
    policy: str = ""
    revision: str = ""
    language: str = ""
    region: str = ""


def plan_parts(site: Site) -> list[Part]:
    """Every part of the site, a policy's in order of its revisions, languages and regions."""
    parts = []
    for policy in site.policies:
        if policy.revisions:
            for language in site.config.languages:
                for region in policy.regions:
                    parts += [
                        Part("revision", policy.id, revision.id, language, region)
                        for revision in policy.revisions
                    ]
                    parts.append(Part("policy", policy.id, "", language, region))
    return [*parts, Part("site pages"), Part("site files")]


MAX_PAGES = 100_000
"""The most pages a build makes unless told otherwise (`POLICYGEN_MAX_PAGES`, see
docs/security.md): each revision is a page in every language and region, so that a few
lines of site.yaml can ask for millions."""


def check_page_count(site: Site, limit: int) -> Problem | None:
    """An error at site.yaml's list of languages if the site would publish more than `limit`
    pages."""
    pages = sum(count_pages(site, part) for part in plan_parts(site))
    if pages <= limit:
        return None
    config = site.config
    where = (
        config.language_locations[0][1]
        if config.language_locations
        else SourceLocation("site.yaml")
    )
    return error(
        where,
        "too-many-pages",
        f"this site would publish {pages:,} pages (each revision of each policy in each of "
        f"{len(config.languages):,} languages and {len(config.regions):,} regions), more than "
        f"the {limit:,} policygen builds: list fewer languages or regions, or, if the site is "
        "meant to be that large, set POLICYGEN_MAX_PAGES where it is built",
    )


def count_pages(site: Site, part: Part) -> int:
    """The HTML pages a part makes: what a build's progress counts."""
    if part.kind == "site pages":
        return len(site.config.languages) + 2  # the indexes and the 404 page; feeds are XML
    policy = site.policy(part.policy)
    if part.kind == "revision" and policy is not None:
        return 1 if policy.previous(policy.revision(part.revision)) is None else 2
    return 2 if part.kind == "policy" else 0


def redline_pairs(site: Site) -> set[tuple[str, str]]:
    """The pairs of texts the site's diff pages compare."""
    return {
        (previous.documents[key].sha256, revision.documents[key].sha256)
        for policy in site.policies
        for previous, revision in zip(policy.revisions, policy.revisions[1:], strict=False)
        for key in revision.documents
    }


def redline_pair(site: Site, part: Part) -> tuple[str, str] | None:
    """The texts a part's diff page compares (None: it has none)."""
    policy = site.policy(part.policy)
    if part.kind != "revision" or policy is None:
        return None
    revision = policy.revision(part.revision)
    previous = policy.previous(revision)
    if previous is None:
        return None
    key = (part.language, part.region)
    return previous.documents[key].sha256, revision.documents[key].sha256
