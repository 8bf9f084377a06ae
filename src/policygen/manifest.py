"""The Site model → manifest.json and the per-reader api/<policy>/<region>/<lang>.json (pure).

The manifest is a public API that consent banners and back-end services read to learn
which text is in force for a reader, whether to ask for consent again, and which exact
text (by SHA-256 of its source.md) a reader agreed to. Once published, a field keeps its
meaning: the shape here is its own, independent of the model's field names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NotRequired, TypedDict, cast

import msgspec

from .consent import ConsentEntry, consent_by_region
from .model import Policy, Revision, Site, Status
from .urls import (
    MANIFEST_SCHEMA,
    READER_SCHEMA,
    absolute,
    diff_dir,
    pdf_path,
    policy_dir,
    reader_answer_path,
    revision_dir,
    rfc3339,
    source_path,
)

SCHEMA_VERSION = 1


# The shapes of the JSON, field for field as the schemas (schemas/*.schema.json) describe it.


class ManifestRegion(TypedDict):
    default: bool
    countries: list[str]
    name: dict[str, str]
    """By language."""


class ManifestCorrection(TypedDict):
    date: str
    note: str


class ManifestDocument(TypedDict):
    """A revision's text in one language for one region."""

    url: str
    diff_url: str | None
    source_url: str
    sha256: str
    language: str
    """Of the text served: differs from the language it is filed under when `fallback`."""
    fallback: bool
    title: str
    summary: str | None
    corrections: list[ManifestCorrection]
    pdf_url: NotRequired[str]
    """Only where the site makes PDFs."""
    pdf_sha256: NotRequired[str]


class ManifestRevision(TypedDict):
    id: str
    version: int
    status: Status
    effective: str
    effective_at: str
    published: str
    material: bool
    documents: dict[str, dict[str, ManifestDocument]]
    """By language, then region."""


class ManifestPolicy(TypedDict):
    current: str | None
    upcoming: list[str]
    regions: list[str]
    consent: dict[str, ConsentEntry]
    """By region."""
    revisions: list[ManifestRevision]


Manifest = TypedDict(
    "Manifest",
    {
        "$schema": str,
        "schema_version": int,
        "as_of": str,
        "base_url": str,
        "default_language": str,
        "languages": list[str],
        "timezone": str,
        "regions": dict[str, ManifestRegion],
        "policies": dict[str, ManifestPolicy],
    },
)


class ReaderRevision(TypedDict):
    """The current or next revision in the answer for one reader."""

    id: str
    version: int
    effective: str
    effective_at: str
    material: bool
    url: str
    diff_url: str | None
    source_url: str
    sha256: str
    language: str
    fallback: bool
    title: str
    summary: str | None


ReaderAnswer = TypedDict(
    "ReaderAnswer",
    {
        "$schema": str,
        "schema_version": int,
        "as_of": str,
        "policy": str,
        "region": str,
        "language": str,
        "policy_url": str,
        "current": ReaderRevision | None,
        "consent": ConsentEntry,
        "upcoming": ReaderRevision | None,
    },
)


PolicyEntry = tuple[ManifestPolicy, str]
"""A policy's part of the manifest, and its JSON."""
EntryMaker = Callable[[Site, Policy, Mapping[str, str]], PolicyEntry]
"""Makes a policy's part of the manifest: `policy_entry`, or a function giving what it gives."""
NO_PDFS: Mapping[str, str] = {}
Consent = dict[str, ConsentEntry]
"""A policy's consent, by region."""


def build_manifest(
    site: Site, entry: EntryMaker | None = None, pdfs: Mapping[str, str] = NO_PDFS
) -> Manifest:
    """The whole site's manifest (each policy's part made by `entry`, by default `policy_entry`;
    `pdfs`: the SHA-256 of each PDF by output path, when the site makes them)."""
    entry = entry or policy_entry
    policies = {
        policy.id: entry(site, policy, pdfs)[0] for policy in site.policies if policy.revisions
    }
    return cast(Manifest, {**_site_entry(site), "policies": policies})


def _site_entry(site: Site) -> dict[str, Any]:
    """The manifest without its policies."""
    config = site.config
    return {
        "$schema": absolute(config.base_url, MANIFEST_SCHEMA),
        "schema_version": SCHEMA_VERSION,
        "as_of": site.as_of.isoformat(),
        "base_url": config.base_url,
        "default_language": config.default_language,
        "languages": list(config.languages),
        "timezone": config.timezone,
        "regions": {
            region.id: {
                "default": region.is_default,
                "countries": list(region.countries),
                "name": {
                    language: region.name.get(language, config.default_language)
                    for language in config.languages
                },
            }
            for region in config.regions
        },
    }


def manifest_json(
    site: Site, entry: EntryMaker | None = None, pdfs: Mapping[str, str] = NO_PDFS
) -> tuple[bytes, dict[str, Consent]]:
    """`to_json(build_manifest(site, entry, pdfs))`, and each policy's consent by region (what
    the per-reader answers need), made a policy at a time.

    The manifest of a large site is megabytes of indented JSON, and many times that as
    values: only one policy's values are held at once, and its JSON joined to the rest. With
    the build cache's `entry`, a rebuild after one edit encodes again only the policy that
    changed.
    """
    entry = entry or policy_entry
    # Sorted as to_json sorts the keys: the policies' places come in this order.
    ids = sorted(policy.id for policy in site.policies if policy.revisions)
    placeholders = {policy_id: f"\ue000{policy_id}\ue001" for policy_id in ids}
    rest = to_json({**_site_entry(site), "policies": placeholders}).decode("utf-8")
    # Each piece is encoded as it is made: a text with one character beyond Latin-1 takes
    # two or four bytes for every character, and the manifest is held once, as UTF-8.
    pieces = []
    consent = {}
    for policy_id in ids:
        policy = site.policy(policy_id)
        assert policy is not None
        value, fragment = entry(site, policy, pdfs)
        consent[policy_id] = value["consent"]
        before, _, rest = rest.partition(f'"{placeholders[policy_id]}"')
        # The policy's own JSON, indented to its depth in the manifest (two levels).
        pieces += [before.encode("utf-8"), fragment.replace("\n", "\n    ").encode("utf-8")]
    pieces.append(rest.encode("utf-8"))
    return b"".join(pieces), consent


def policy_entry(site: Site, policy: Policy, pdfs: Mapping[str, str] = NO_PDFS) -> PolicyEntry:
    """A policy's part of the manifest, and its JSON (made from the policy, the site's URL
    and the SHA-256 of its PDFs in `pdfs`)."""
    value = _policy(site, policy, pdfs)
    return value, _indented(value).decode("utf-8")


def build_reader_answers(site: Site, consent: Mapping[str, Consent]) -> dict[str, ReaderAnswer]:
    """Per-reader answers by output path: the current and next revision for one policy, region
    and language (`consent`: each policy's, by region, as the manifest counts it)."""
    answers: dict[str, ReaderAnswer] = {}
    for policy in site.policies:
        if not policy.revisions:
            continue
        by_region = consent[policy.id]
        upcoming = policy.upcoming[0] if policy.upcoming else None
        for region in policy.regions:
            for language in site.config.languages:
                current = policy.current
                answers[reader_answer_path(policy.id, region, language)] = {
                    "$schema": absolute(site.config.base_url, READER_SCHEMA),
                    "schema_version": SCHEMA_VERSION,
                    "as_of": site.as_of.isoformat(),
                    "policy": policy.id,
                    "region": region,
                    "language": language,
                    "policy_url": absolute(
                        site.config.base_url, policy_dir(language, region, policy.id)
                    ),
                    "current": _reader_document(site, policy, current, language, region)
                    if current
                    else None,
                    "consent": by_region[region],
                    "upcoming": _reader_document(site, policy, upcoming, language, region)
                    if upcoming
                    else None,
                }
    return answers


def to_json(value: Mapping[str, Any]) -> bytes:
    """Stable JSON: sorted keys, UTF-8, one final newline."""
    return _indented(value) + b"\n"


def _indented(value: Mapping[str, Any]) -> bytes:
    """JSON indented by two spaces, its keys sorted, as `json.dumps(value, ensure_ascii=False,
    indent=2, sort_keys=True)` writes it (the manifest holds no fractions, the one value it
    would write otherwise), in a tenth of its time."""
    return msgspec.json.format(msgspec.json.encode(value, order="sorted"), indent=2)


def _policy(site: Site, policy: Policy, pdfs: Mapping[str, str]) -> ManifestPolicy:
    current = policy.current
    revisions = [_revision(site, policy, revision, pdfs) for revision in policy.revisions]
    return {
        "current": current.id if current else None,
        "upcoming": [r.id for r in policy.upcoming],
        "regions": list(policy.regions),
        "consent": consent_by_region(policy.regions, revisions, site.config.default_language),
        "revisions": revisions,
    }


def _revision(
    site: Site, policy: Policy, revision: Revision, pdfs: Mapping[str, str]
) -> ManifestRevision:
    return {
        "id": revision.id,
        "version": revision.version,
        "status": revision.status,
        "effective": revision.effective.isoformat(),
        "effective_at": rfc3339(revision.effective_at),
        "published": revision.published.isoformat(),
        "material": revision.material,
        "documents": {
            language: {
                region: _document(site, policy, revision, language, region, pdfs)
                for region in policy.regions
            }
            for language in site.config.languages
        },
    }


def _document(
    site: Site,
    policy: Policy,
    revision: Revision,
    language: str,
    region: str,
    pdfs: Mapping[str, str] = NO_PDFS,
) -> ManifestDocument:
    document = revision.document(language, region)
    base_url = site.config.base_url
    shown: ManifestDocument = {
        "url": absolute(base_url, revision_dir(language, region, policy.id, revision.id)),
        "diff_url": absolute(base_url, diff_dir(language, region, policy.id, revision.id))
        if policy.previous(revision)
        else None,
        "source_url": absolute(base_url, source_path(language, region, policy.id, revision.id)),
        "sha256": document.sha256,
        "language": document.text_language,
        "fallback": document.is_fallback,
        "title": document.title,
        "summary": document.summary,
        "corrections": [{"date": c.date.isoformat(), "note": c.note} for c in document.corrections],
    }
    # Present only where the site makes PDFs: a manifest without them keeps its shape.
    pdf = pdf_path(language, region, policy.id, revision.id)
    if pdf in pdfs:
        shown["pdf_url"] = absolute(base_url, pdf)
        shown["pdf_sha256"] = pdfs[pdf]
    return shown


def _reader_document(
    site: Site, policy: Policy, revision: Revision, language: str, region: str
) -> ReaderRevision:
    document = _document(site, policy, revision, language, region)
    return {
        "id": revision.id,
        "version": revision.version,
        "effective": revision.effective.isoformat(),
        "effective_at": rfc3339(revision.effective_at),
        "material": revision.material,
        "url": document["url"],
        "diff_url": document["diff_url"],
        "source_url": document["source_url"],
        "sha256": document["sha256"],
        "language": document["language"],
        "fallback": document["fallback"],
        "title": document["title"],
        "summary": document["summary"],
    }
