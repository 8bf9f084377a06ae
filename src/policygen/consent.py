"""A policy's revision entries in the manifest + a region → its consent state (pure).

SPEC §5: a reader is asked for consent again when a revision in effect is material and
changed the text of the reader's region. The manifest publishes this state for every
region, and `policygen.lookup` counts it again from a manifest for any instant: both count
here, so what a site publishes and what a service reads back cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

from .urls import parse_rfc3339


@dataclass(frozen=True, slots=True)
class Consent:
    """What a consent banner compares with what it stored, for one policy and region."""

    revision: int
    """Grows by one with each revision in effect that is material and changed this region's text."""
    since: str | None
    """Id of the latest revision that asks for consent again; None before the first takes effect."""


class ConsentEntry(TypedDict):
    """A `Consent` as the manifest and the per-reader answers write it."""

    revision: int
    since: str | None


Entry = TypeVar("Entry", bound=Mapping[str, Any])
"""A revision's entry in the manifest: as policygen makes it, or as read back from JSON."""


def count_consent(
    revisions_in_effect: Sequence[Mapping[str, Any]], source_language: str, region: str
) -> Consent:
    """Count the revisions that ask for consent again (SPEC §5), from manifest revision entries.

    A revision counts when it is material and its source-language text for the region
    differs from the previous revision's (by SHA-256). The first revision in effect always
    counts: nothing was agreed to before it. Translations never count, so switching
    language never asks again.
    """
    count, since, previous = 0, None, None
    for revision in revisions_in_effect:
        text = revision["documents"][source_language][region]["sha256"]
        if previous is None or (revision["material"] and text != previous):
            count, since = count + 1, str(revision["id"])
        previous = text
    return Consent(count, since)


def revisions_in_effect(revisions: Sequence[Entry], at: dt.datetime | None) -> list[Entry]:
    """The revisions in effect at instant `at`; without one, as of the manifest's own build
    (every revision but the upcoming ones)."""
    if at is None:
        return [r for r in revisions if r["status"] != "upcoming"]
    if at.tzinfo is None:
        raise ValueError("`at` must be an aware datetime, e.g. datetime.now(timezone.utc)")
    return [r for r in revisions if _instant(r["effective_at"]) <= at]


def _instant(written: object) -> dt.datetime:
    """An `effective_at` of a manifest, which a service may read from anywhere."""
    try:
        instant = parse_rfc3339(written) if isinstance(written, str) else None
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise ValueError(f"the manifest's effective_at {written!r} is no RFC 3339 instant")
    return instant


def consent_for(
    manifest: Mapping[str, Any], policy: str, region: str, at: dt.datetime | None = None
) -> Consent:
    """The consent state of a policy in a region at an instant, from the revisions in effect then."""
    revisions = revisions_in_effect(manifest["policies"][policy]["revisions"], at)
    return count_consent(revisions, manifest["default_language"], region)


def consent_by_region(
    regions: Sequence[str], revisions: Sequence[Mapping[str, Any]], source_language: str
) -> dict[str, ConsentEntry]:
    """The consent state of each region as of the build, as the manifest writes it."""
    in_effect = revisions_in_effect(revisions, None)
    return {
        region: consent_entry(count_consent(in_effect, source_language, region))
        for region in regions
    }


def consent_entry(consent: Consent) -> ConsentEntry:
    return {"revision": consent.revision, "since": consent.since}
