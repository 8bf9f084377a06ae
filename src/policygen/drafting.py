"""The Site model + a policy and dates → the files that start its next revision (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from .errors import Problem, SourceLocation, error
from .model import Site


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file to create (never to overwrite)."""

    path: str
    """Relative to the site folder."""
    text: str


def plan_new_revision(
    site: Site, policy_id: str, effective: dt.date, published: dt.date | None
) -> tuple[list[NewFile], list[Problem]]:
    """Copies of the latest revision's source-language files, with fresh front matter.

    Translations are not copied: a copy would silently present the old translation as the
    new one. Translators add them, and until then readers get the source text with a notice.
    """
    policy = site.policy(policy_id)
    where = SourceLocation(f"content/{policy_id}")
    every = list(policy.all_revisions) if policy else []
    if policy is None or not every:
        known = ", ".join(p.id for p in site.policies) or "none"
        return [], [
            error(
                where,
                "unknown-policy",
                f"there is no policy '{policy_id}' with a revision to start from (policies: {known})",
            )
        ]
    latest = every[-1]
    if effective <= latest.effective:
        return [], [
            error(
                latest.location,
                "bad-date",
                f"the new revision must take effect after the latest one, '{latest.id}' (effective {latest.effective}); {effective} is not after it",
            )
        ]
    published = published or site.as_of
    if published > effective:
        return [], [
            error(
                where,
                "published-after-effective",
                f"published ({published}) is after effective ({effective})",
            )
        ]
    folder = f"content/{policy_id}/{effective.isoformat()}"
    files = []
    for source in sorted(latest.sources, key=lambda s: s.location.path):
        if source.language != site.config.default_language:
            continue
        name = source.location.path.rsplit("/", 1)[1]
        front: dict[str, object] = {"title": source.title} if source.title else {}
        if source.region is None:
            front |= {
                "effective": effective,
                "published": published,
                "summary": None,
                "material": True,
            }
        elif source.summary:
            front["summary"] = None  # the region's own summary, to write anew
        if source.extra:
            front["extra"] = dict(source.extra)
        header = (
            ""
            if not front
            else yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000).replace(
                "summary: null", "summary:   # what changed, in a sentence or two"
            )
        )
        files.append(NewFile(f"{folder}/{name}", f"---\n{header}---\n{source.body}"))
    return files, []
