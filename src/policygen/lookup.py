"""A manifest + a reader (languages, country, instant) → the policy text in force for that reader.

For services and consent tooling written in Python. It reads only the manifest, so it
answers for any instant, including after an upcoming revision takes effect.

    >>> manifest = load_manifest("public/manifest.json")
    >>> found = document_in_force(manifest, "privacy", "ja-JP,ja;q=0.9,en;q=0.8", "JP")
    >>> found.url, found.consent.revision
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The rules of consent are the manifest's too; their names stay importable from here.
from .consent import Consent as Consent
from .consent import consent_for as consent_for
from .consent import count_consent as count_consent
from .consent import revisions_in_effect
from .i18n import catalog_candidates, likely_script, locale, parse_language
from .urls import parse_rfc3339


@dataclass(frozen=True, slots=True)
class ReaderDocument:
    """The text of a policy a reader is to be shown, and what to record when they agree to it."""

    policy: str
    revision: str
    """Revision id: store it with the consent record."""
    version: int
    region: str
    language: str
    """The language negotiated for the reader (the page's language)."""
    text_language: str
    """The language of the text itself: the source language when no translation exists."""
    is_fallback: bool
    effective_at: dt.datetime
    url: str
    source_url: str
    diff_url: str | None
    sha256: str
    """SHA-256 of the exact text (source.md): store it as proof of what the reader saw."""
    title: str
    summary: str | None
    consent: Consent


def load_manifest(source: Mapping[str, Any] | str | os.PathLike[str]) -> Mapping[str, Any]:
    """A manifest from a dict already parsed, or from the path of manifest.json."""
    if isinstance(source, Mapping):
        return source
    with open(source, encoding="utf-8") as file:
        try:
            loaded: Mapping[str, Any] = json.load(file)
        except RecursionError:
            raise ValueError(f"{source}: its values nest too deeply for a manifest") from None
    return loaded


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, most preferred first ("*" and q=0 left out)."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


MOST_TAGS = 32
"""The reader's languages tried, most preferred first: browsers send a few, and a header of
thousands (which anyone may send a service) would make each answer slow."""
LONGEST_TAG = 64
"""The longest language tag tried: tags in use have 35 characters at most (RFC 5646, 4.4.1),
and one of thousands would be tried as thousands of shorter ones."""


def negotiate_language(manifest: Mapping[str, Any], preferences: str | Sequence[str]) -> str:
    """The site language that best serves the reader, else the site's default language.

    The reader's languages are tried in order of preference, each served by the site
    language CLDR's fallback finds for it (a reader of zh-TW by zh-Hant, of es-MX by es-419
    or es), else by a more general tag (RFC 4647 lookup: zh-Hant-TW by zh-Hant, then zh),
    else by the same language in the same script (es by es-419, pt-PT by pt-BR).
    """
    tags = parse_accept_language(preferences) if isinstance(preferences, str) else list(preferences)
    languages = manifest["languages"]
    if not isinstance(languages, list) or not all(isinstance(tag, str) for tag in languages):
        raise ValueError("the manifest's languages are not a list of language tags")
    site = _site_languages(tuple(languages))
    for tag in [tag for tag in tags if len(tag) <= LONGEST_TAG][:MOST_TAGS]:
        for candidate in _serving(tag.replace("_", "-"), site):
            if candidate.lower() in site.by_tag:
                return site.by_tag[candidate.lower()]
    return str(manifest["default_language"])


@dataclass(frozen=True, slots=True)
class _SiteLanguages:
    """A site's languages, as `negotiate_language` looks them up."""

    by_tag: dict[str, str]
    """Each language by its tag in lowercase."""
    by_script: dict[tuple[str, str | None], str]
    """The first language of each language and script (`es` and `Latn` for es-419)."""


@functools.lru_cache(maxsize=16)
def _site_languages(languages: tuple[str, ...]) -> _SiteLanguages:
    """`languages`, looked up once for every reader: each reader's language was compared
    with each of them, a manifest of a few hundred took a tenth of a second a reader."""
    by_tag = {language.lower(): language for language in languages}
    by_script: dict[tuple[str, str | None], str] = {}
    for language in by_tag.values():
        known = parse_language(language)
        if known is not None:
            by_script.setdefault(_language_and_script(known), language)
    return _SiteLanguages(by_tag, by_script)


def _serving(tag: str, site: _SiteLanguages) -> Iterator[str]:
    """The site languages that may serve a reader's tag, best first."""
    known = parse_language(tag)
    if known is not None:
        yield from catalog_candidates(known)
    parts = tag.split("-")
    yield from ("-".join(parts[:n]) for n in range(len(parts), 0, -1))
    if known is not None:
        same = site.by_script.get(_language_and_script(known))
        if same is not None:
            yield same


def _language_and_script(tag: str) -> tuple[str, str | None]:
    """A known language's language and script, stated or likely."""
    return locale(tag).language, likely_script(tag)


def region_for_country(manifest: Mapping[str, Any], country: str | None) -> str:
    """The region of an ISO 3166-1 alpha-2 country code, else the default region."""
    regions: Mapping[str, Any] = manifest["regions"]
    code = (country or "").upper()
    default = None
    for region_id, region in regions.items():
        countries = region.get("countries") if isinstance(region, Mapping) else None
        if not isinstance(countries, list):
            # A text of countries ("ATBE…") held "" and "TB", and answered for any reader.
            raise ValueError(f"the manifest's region '{region_id}' has no list of countries")
        if code in countries:
            return str(region_id)
        if default is None and region.get("default") is True:
            default = str(region_id)
    if default is None:
        raise ValueError("the manifest has no default region")
    return default


def document_in_force(
    manifest: Mapping[str, Any] | str | os.PathLike[str],
    policy: str,
    languages: str | Sequence[str],
    country: str | None,
    at: dt.datetime | None = None,
) -> ReaderDocument | None:
    """The document of `policy` in force for a reader at instant `at` (default: the manifest's own status).

    `languages` is an Accept-Language header or a list of tags, most preferred first.
    Returns None when no revision of the policy is in force yet, or when the policy is not
    published in the reader's region (policy.yaml `regions:`).
    """
    manifest = load_manifest(manifest)
    entry = manifest["policies"][policy]
    region = region_for_country(manifest, country)
    if region not in entry["regions"]:
        return None  # the policy is not published for readers in that region
    language = negotiate_language(manifest, languages)
    in_effect = revisions_in_effect(entry["revisions"], at)
    if not in_effect:
        return None
    revision = in_effect[-1]
    document = revision["documents"][language][region]
    return ReaderDocument(
        policy=policy,
        revision=revision["id"],
        version=revision["version"],
        region=region,
        language=language,
        text_language=document["language"],
        is_fallback=document["fallback"],
        effective_at=parse_rfc3339(revision["effective_at"]),
        url=document["url"],
        source_url=document["source_url"],
        diff_url=document["diff_url"],
        sha256=document["sha256"],
        title=document["title"],
        summary=document["summary"],
        consent=consent_for(manifest, policy, region, at),
    )
