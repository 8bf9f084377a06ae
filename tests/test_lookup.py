"""policygen.lookup: the document in force for a reader, from the manifest alone."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import babel.localedata
import pytest

import policygen.lookup
from policygen.i18n import KEPT_LOCALES, catalog_candidates, locale
from policygen.lookup import (
    Consent,
    consent_for,
    document_in_force,
    load_manifest,
    negotiate_language,
    parse_accept_language,
    region_for_country,
)


@pytest.fixture(scope="module")
def manifest(example: Path) -> dict[str, Any]:
    return json.loads((example / "manifest.json").read_text())


@pytest.mark.parametrize(
    "header, tags",
    [
        ("ja-JP,ja;q=0.9,en;q=0.8", ["ja-JP", "ja", "en"]),
        ("en;q=0.5, fr", ["fr", "en"]),
        ("de;q=0, *;q=0.1, it", ["it"]),
        ("", []),
        ("pt-BR;q=0.8,pt;q=0.8,en;q=bad", ["pt-BR", "pt"]),
    ],
)
def test_parses_accept_language(header: str, tags: list[str]) -> None:
    assert parse_accept_language(header) == tags


@pytest.mark.parametrize(
    "preferences, language",
    [
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("fr-CA,fr;q=0.9", "en"),
        ("de-DE,ja;q=0.5", "ja"),
        (["JA"], "ja"),
        (["zh-Hant-TW"], "en"),
        ([], "en"),
    ],
)
def test_negotiates_the_language(
    manifest: dict[str, Any], preferences: str | list[str], language: str
) -> None:
    assert negotiate_language(manifest, preferences) == language


@pytest.mark.parametrize(
    "preferences, language",
    [
        ("zh-TW", "zh-Hant"),
        ("zh-HK,en;q=0.5", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-Hant-TW", "zh-Hant"),
        ("ZH-hant", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("es-MX", "es-419"),
        ("es-ES", "es-419"),  # the same language in the same script beats the default
        ("es", "es-419"),
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("sr-Cyrl-RS", "sr"),
        ("sr-Latn", "sr"),  # no Latin-alphabet sr-Latn: RFC 4647's lookup still finds sr
        ("de-CH, zh-TW;q=0.8", "zh-Hant"),
        ("x-klingon, zh-TW;q=0.5", "zh-Hant"),
    ],
)
def test_negotiates_a_language_by_cldrs_fallback(preferences: str, language: str) -> None:
    manifest = {
        "languages": ["en", "zh-Hans", "zh-Hant", "es-419", "pt-BR", "sr"],
        "default_language": "en",
    }
    assert negotiate_language(manifest, preferences) == language


def test_a_header_of_thousands_of_tags_is_read_for_its_first_tags_only(
    manifest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    tried: list[str] = []
    serving = policygen.lookup._serving
    monkeypatch.setattr(
        policygen.lookup,
        "_serving",
        lambda tag, available: tried.append(tag) or serving(tag, available),
    )
    long_tag = "-".join(["ab"] * 20_000)  # tried part by part, it took seconds
    header = ",".join([long_tag, *(f"zz-{number}" for number in range(10_000)), "ja"])
    assert negotiate_language(manifest, header) == "en"
    assert tried == [f"zz-{number}" for number in range(32)]
    assert negotiate_language(manifest, [long_tag, "ja"]) == "ja"


def test_a_reader_s_languages_are_not_compared_with_each_of_the_site_s_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each of a reader's 32 languages was compared with each language of the site, for
    # every reader: 700 languages took 0.15 seconds a reader, 100,000 ten seconds.
    identifiers = sorted(babel.localedata.locale_identifiers())
    site = [tag.replace("_", "-") for tag in identifiers[:300]]
    reader = [tag.replace("_", "-") for tag in identifiers[300:] if "_" not in tag][:32]
    read: list[str] = []
    parse = policygen.lookup.parse_language
    monkeypatch.setattr(
        policygen.lookup, "parse_language", lambda tag: read.append(tag) or parse(tag)
    )
    manifest = {"languages": site, "default_language": "en"}
    for _ in range(3):
        assert negotiate_language(manifest, ",".join(reader)) == "en"
    assert len(read) <= len(site) + 3 * len(reader)


def test_readers_tags_of_every_variant_are_not_all_kept(manifest: dict[str, Any]) -> None:
    # Each tag a reader sent (`de-DE-` and any letters) was kept by policygen and by Babel
    # for as long as the service ran: some 30 kB a reader, a gigabyte for 40,000 readers.
    for reader in range(130):  # 4,160 tags
        header = ",".join(f"de-DE-x{reader:04}{tag:03}" for tag in range(32))
        assert negotiate_language(manifest, header) == "en"
    assert locale.cache_info().currsize <= KEPT_LOCALES
    assert catalog_candidates.cache_info().currsize <= KEPT_LOCALES
    assert babel.localedata.exists.cache_info().currsize <= 4 * KEPT_LOCALES


@pytest.mark.parametrize(
    "country, region",
    [
        ("JP", "global"),
        ("DE", "europe"),
        ("TH", "europe"),
        ("gb", "europe"),
        ("US", "global"),
        (None, "global"),
        ("", "global"),
    ],
)
def test_maps_countries_to_regions(
    manifest: dict[str, Any], country: str | None, region: str
) -> None:
    assert region_for_country(manifest, country) == region


@pytest.mark.parametrize(
    "languages, country, region, language, text_language",
    [
        ("ja", "JP", "global", "ja", "ja"),
        ("en", "DE", "europe", "en", "en"),
        ("en", "TH", "europe", "en", "en"),
        ("fr", "US", "global", "en", "en"),
        ("ja-JP", "FR", "europe", "ja", "ja"),
    ],
)
def test_finds_the_document_in_force_for_a_reader(
    manifest: dict[str, Any],
    languages: str,
    country: str,
    region: str,
    language: str,
    text_language: str,
) -> None:
    found = document_in_force(manifest, "privacy", languages, country)
    assert found is not None
    assert (found.revision, found.version, found.region, found.language, found.text_language) == (
        "2022-07-07",
        2,
        region,
        language,
        text_language,
    )
    document = manifest["policies"]["privacy"]["revisions"][1]["documents"][language][region]
    assert (found.url, found.sha256, found.title) == (
        document["url"],
        document["sha256"],
        document["title"],
    )
    assert found.consent == Consent(**manifest["policies"]["privacy"]["consent"][region])


def test_nothing_is_in_force_before_the_first_revision(manifest: dict[str, Any]) -> None:
    early = dt.datetime(2021, 3, 31, 14, 59, tzinfo=dt.UTC)  # a minute before midnight in Tokyo
    assert document_in_force(manifest, "privacy", "ja", "JP", at=early) is None
    assert consent_for(manifest, "privacy", "global", at=early) == Consent(0, None)
    first = document_in_force(manifest, "privacy", "ja", "JP", at=early + dt.timedelta(minutes=1))
    assert first is not None and first.revision == "2021-04-01"


def test_answers_for_an_instant_after_the_upcoming_revision(manifest: dict[str, Any]) -> None:
    later = dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC)
    found = document_in_force(manifest, "privacy", "ja", "JP", at=later)
    assert found is not None
    assert (found.revision, found.is_fallback, found.text_language) == ("2027-01-01", True, "en")
    assert found.consent == Consent(3, "2027-01-01")


def test_switching_language_never_changes_consent(manifest: dict[str, Any]) -> None:
    answers = {
        document_in_force(manifest, "cookies", language, "DE").consent for language in ("en", "ja")
    }  # type: ignore[union-attr]
    assert len(answers) == 1


def test_reads_a_manifest_from_a_path(manifest: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert load_manifest(path) == manifest
    found = document_in_force(path, "cookies", "en", "US")
    assert found is not None and found.revision == "2025-04-01"


def _broken(manifest: dict[str, Any], change: str) -> dict[str, Any]:
    broken = copy.deepcopy(manifest)
    revisions = broken["policies"]["privacy"]["revisions"]
    if change == "no default region":
        for region in broken["regions"].values():
            region["default"] = False
    elif change == "countries written as a text":
        for region in broken["regions"].values():
            region["countries"] = "".join(region["countries"])
    elif change == "languages written as a text":
        broken["languages"] = "enja"
    else:
        revisions[0]["effective_at"] = {"an int": 12, "naive": "2022-07-07T00:00:00"}.get(
            change, change
        )
    return broken


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # A StopIteration, a text's "" in "ATBE…" (every reader of no country in Europe), a
        # TypeError, an AttributeError: now each says what is wrong with the manifest.
        ("no default region", "the manifest has no default region"),
        ("countries written as a text", "the manifest's region 'europe' has no list of countries"),
        ("languages written as a text", "the manifest's languages are not a list of language tags"),
        ("an int", "the manifest's effective_at 12 is no RFC 3339 instant"),
        ("naive", "the manifest's effective_at '2022-07-07T00:00:00' is no RFC 3339 instant"),
        ("yesterday", "the manifest's effective_at 'yesterday' is no RFC 3339 instant"),
    ],
)
def test_a_manifest_policygen_did_not_write_is_a_value_error(
    manifest: dict[str, Any], change: str, message: str
) -> None:
    now = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        document_in_force(_broken(manifest, change), "privacy", "ja", None, at=now)


def test_a_manifest_nested_without_end_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text("[" * 1_000_000, encoding="utf-8")
    with pytest.raises(ValueError, match="its values nest too deeply for a manifest"):
        load_manifest(path)


def test_refuses_a_naive_instant(manifest: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        document_in_force(manifest, "privacy", "en", "US", at=dt.datetime(2026, 1, 1))


def test_a_policy_not_published_in_the_readers_region_does_not_apply(
    manifest: dict[str, Any],
) -> None:
    europe_only = copy.deepcopy(manifest)
    europe_only["policies"]["cookies"]["regions"] = ["europe"]
    assert document_in_force(europe_only, "cookies", "en", "JP") is None
    assert document_in_force(europe_only, "cookies", "en", "DE") is not None


def test_lookup_counts_consent_as_the_manifest_publishes_it(manifest: dict[str, Any]) -> None:
    counted = 0
    for policy_id, policy in manifest["policies"].items():
        for region, published in policy["consent"].items():
            assert dataclasses.asdict(consent_for(manifest, policy_id, region)) == published
            counted += 1
    assert counted == 2 * 2
