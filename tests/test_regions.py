"""A policy published in some regions only, as the reference policy's Cookies Policy is
(tests/sites/regional): listed, linked, fed, mapped and announced to machines correctly."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policygen.lookup import document_in_force

from .conftest import Run, SiteFactory, build_site, problems_of, read_tree
from .linkcheck import broken_links

SITE = Path(__file__).parent / "sites" / "regional"
BASE_URL = "https://www.example.org/policies/"
AS_OF = dt.date(2026, 12, 1)
BEFORE_COOKIES = dt.date(2022, 6, 20)
"""The privacy revision that refers to the Cookies Policy is announced; the Cookies Policy
itself is published on 2022-07-07."""
SCHEMAS = Path(__file__).parent.parent / "src/policygen/schemas"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("regional") / "public"
    build_site(SITE, folder, as_of=AS_OF)
    return folder


@pytest.fixture(scope="module")
def before_cookies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("regional-2022") / "public"
    build_site(SITE, folder, as_of=BEFORE_COOKIES)
    return folder


def text(out: Path, path: str) -> str:
    return " ".join((out / path).read_text(encoding="utf-8").split())


def load(out: Path, path: str) -> Any:
    return json.loads((out / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(2021, 3, 15),  # the first privacy revision is announced, nothing in force
        dt.date(2021, 6, 1),
        BEFORE_COOKIES,
        dt.date(2022, 7, 7),
        dt.date(2025, 3, 15),
        AS_OF,
        dt.date(2027, 1, 1),
    ],
)
def test_the_site_passes_a_strict_check_on_every_date(as_of: dt.date) -> None:
    assert problems_of(SITE, as_of, severity="error") == []
    assert problems_of(SITE, as_of, severity="warning") == []


@pytest.mark.parametrize("as_of", [BEFORE_COOKIES, dt.date(2022, 7, 7), AS_OF])
def test_every_link_of_every_output_lands(as_of: dt.date, tmp_path: Path) -> None:
    build_site(SITE, tmp_path / "out", as_of=as_of)
    broken, followed = broken_links(tmp_path / "out", BASE_URL)
    assert broken == []
    assert followed > 300


def test_the_regional_policy_has_pages_in_its_regions_only(out: Path) -> None:
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/cookies")) == [
        "en/europe/cookies",
        "ja/europe/cookies",
    ]
    assert sorted(p.relative_to(out).as_posix() for p in out.glob("api/*/*")) == [
        "api/cookies/europe",
        "api/privacy/europe",
        "api/privacy/global",
    ]


def test_the_indexes_list_it_with_the_regions_where_it_exists(out: Path) -> None:
    index = text(out, "index.html")
    assert (
        '<li><a href="en/europe/cookies/" hreflang="en">Cookies Policy</a> <span class="policy-regions">· Europe, U.K. and Thailand</span></li>'
        in index
    )
    assert (
        '<li><a href="ja/europe/cookies/" hreflang="ja">クッキーポリシー</a> <span class="policy-regions">· 欧州・英国・タイ</span></li>'
        in index
    )
    assert '<a href="en/global/privacy/" hreflang="en">Privacy Policy</a></li>' in index
    english = text(out, "en/index.html")
    assert (
        '<h2>Cookies Policy</h2> <p>In force since April 1, 2025.</p> <ul class="policy-list__regions"> <li><a href="europe/cookies/">Europe, U.K. and Thailand</a></li> </ul>'
        in english
    )
    assert (
        '<li><a href="global/privacy/">All other regions</a></li> <li><a href="europe/privacy/">Europe, U.K. and Thailand</a></li>'
        in english
    )
    assert "<p>A new version takes effect on January 1, 2027.</p>" in english
    assert '<li><a href="europe/cookies/">欧州・英国・タイ</a></li>' in text(out, "ja/index.html")


@pytest.mark.parametrize(
    "path",
    [
        "en/europe/cookies/index.html",
        "en/europe/cookies/2022-07-07/index.html",
        "en/europe/cookies/2025-04-01/diff/index.html",
        "en/europe/cookies/history/index.html",
    ],
)
def test_its_pages_switch_language_but_offer_no_region_without_it(out: Path, path: str) -> None:
    page = text(out, path)
    assert "pg-region-label" not in page, "one region: nothing to switch to"
    assert '<p class="policy__kicker">Cookies Policy · Europe, U.K. and Thailand</p>' in page or (
        "history" in path
    )
    switch = re.search(r'<a href="([^"]*)" hreflang="ja" lang="ja">日本語</a>', page)
    assert switch is not None
    assert (out / path).parent.joinpath(switch.group(1), "index.html").resolve().is_file()
    assert "/global/cookies" not in page


def test_the_privacy_pages_still_switch_region(out: Path) -> None:
    page = text(out, "en/global/privacy/2022-07-07/index.html")
    assert (
        '<li><a href="../../../europe/privacy/2022-07-07/">Europe, U.K. and Thailand</a></li>'
        in page
    )


def test_a_link_from_a_region_without_the_policy_leads_to_its_region(out: Path) -> None:
    # The general text, shown in every region, refers to the Cookies Policy: readers of the
    # other regions are led to the one published, whose page names its region.
    link = '<a href="../../europe/cookies/">Cookies Policy</a>'
    assert link in text(out, "en/global/privacy/index.html")
    assert '<a href="../../../europe/cookies/">クッキーポリシー</a>' in text(
        out, "ja/global/privacy/2022-07-07/index.html"
    )
    assert '<a href="../../../../europe/cookies/">Cookies Policy</a>' in text(
        out, "en/global/privacy/2022-07-07/diff/index.html"
    )
    assert '<a href="../cookies/#section-3">section 3 of the Cookies Policy</a>' in text(
        out, "en/europe/privacy/index.html"
    )


def test_an_anchor_in_it_is_checked_in_the_region_the_link_leads_to(
    site_factory: SiteFactory,
) -> None:
    site = site_factory(
        {
            "content/cookies/policy.yaml": "regions: [eu]\n",
            "content/cookies/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\n## 1. Cookies\n\nYes.\n",
            "content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\n---\nSee [cookies](policy:cookies#section-1) and [more](policy:cookies#section-9).\n",
        }
    )
    assert problems_of(site) == [
        "content/privacy/2024-01-01/en.md:4: error: policy 'cookies' has no section '#section-9' (its anchors: section-1)"
    ]


def test_feeds_list_it_in_its_regions_only(out: Path) -> None:
    europe = text(out, "en/europe/feed.xml")
    assert "<title>Cookies Policy: Version effective April 1, 2025</title>" in europe
    assert "<title>Cookies Policy:" not in text(out, "en/global/feed.xml")
    assert "<title>Privacy Policy: Version effective July 7, 2022</title>" in text(
        out, "en/global/feed.xml"
    )


def test_the_sitemap_has_its_pages_and_alternates_in_its_regions_only(out: Path) -> None:
    sitemap = text(out, "sitemap.xml")
    assert "/global/cookies/" not in sitemap
    assert (
        "<url> <loc>https://www.example.org/policies/ja/europe/cookies/</loc>"
        ' <xhtml:link rel="alternate" hreflang="en" href="https://www.example.org/policies/en/europe/cookies/"/>'
        ' <xhtml:link rel="alternate" hreflang="ja" href="https://www.example.org/policies/ja/europe/cookies/"/>'
        ' <xhtml:link rel="alternate" hreflang="x-default" href="https://www.example.org/policies/en/europe/cookies/"/>'
        " </url>"
    ) in sitemap


def test_the_manifest_gives_it_in_its_regions_only(out: Path) -> None:
    manifest = load(out, "manifest.json")
    jsonschema.validate(manifest, load(SCHEMAS, "manifest.schema.json"))
    cookies = manifest["policies"]["cookies"]
    assert cookies["regions"] == ["europe"]
    assert cookies["consent"] == {"europe": {"revision": 2, "since": "2025-04-01"}}
    for revision in cookies["revisions"]:
        assert {language: list(regions) for language, regions in revision["documents"].items()} == {
            "en": ["europe"],
            "ja": ["europe"],
        }
    privacy = manifest["policies"]["privacy"]
    assert privacy["consent"] == {
        "europe": {"revision": 2, "since": "2022-07-07"},
        "global": {"revision": 2, "since": "2022-07-07"},
    }
    answer = load(out, "api/cookies/europe/ja.json")
    jsonschema.validate(answer, load(SCHEMAS, "reader.schema.json"))
    assert answer["current"]["url"] == BASE_URL + "ja/europe/cookies/2025-04-01/"


def test_lookup_answers_only_readers_of_its_regions(out: Path) -> None:
    manifest = load(out, "manifest.json")
    assert document_in_force(manifest, "cookies", "ja", "JP") is None
    found = document_in_force(manifest, "cookies", "ja-JP,ja;q=0.9", "TH")
    assert found is not None
    assert (found.region, found.language, found.revision) == ("europe", "ja", "2025-04-01")
    assert found.consent.revision == 2
    earlier = document_in_force(
        manifest, "cookies", "en", "de", at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    )
    assert earlier is not None and earlier.revision == "2022-07-07"
    assert document_in_force(manifest, "privacy", "en", "JP") is not None


def test_status_says_where_it_is_published(cli: Callable[..., Run]) -> None:
    run = cli("status", str(SITE), "--as-of", AS_OF.isoformat())
    assert run.code == 0
    assert "\ncookies (published in europe only)\n" in run.out
    assert "\nprivacy\n" in run.out
    report = json.loads(
        cli("status", str(SITE), "--as-of", AS_OF.isoformat(), "--format", "json").out
    )
    assert [(p["id"], p["regions"], p["is_regional"]) for p in report] == [
        ("cookies", ["europe"], True),
        ("privacy", ["global", "europe"], False),
    ]


def test_before_its_first_publication_links_to_it_are_its_text(before_cookies: Path) -> None:
    # The privacy revision announced on 2022-06-07 refers to the Cookies Policy, published on
    # 2022-07-07: until then there is no page to link to, so the words stand alone.
    upcoming = text(before_cookies, "en/global/privacy/2022-07-07/index.html")
    assert "please refer to the Cookies Policy.</p>" in upcoming
    assert "(see section 3 of the Cookies Policy)" in text(
        before_cookies, "en/europe/privacy/2022-07-07/index.html"
    )
    for page in before_cookies.rglob("*.html"):
        assert 'href="#"' not in page.read_text(encoding="utf-8"), page
    assert not (before_cookies / "en/europe/cookies").exists()
    assert "cookies" not in load(before_cookies, "manifest.json")["policies"]
    assert "Cookies Policy" not in text(before_cookies, "en/index.html")


def test_a_link_to_a_policy_not_published_yet_is_no_error(site_factory: SiteFactory) -> None:
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": "---\neffective: 2024-01-01\nsummary: x\n---\n## 1. Cookies\n\nSee the [Cookies Policy](policy:cookies#section-2).\n",
            "content/cookies/2027-01-01/en.md": "---\neffective: 2027-01-01\npublished: 2027-01-01\n---\n## 2. Choices\n\nYes.\n",
        }
    )
    assert problems_of(site, dt.date(2026, 1, 1)) == []
    (site / "content/privacy/2024-01-01/en.md").write_text(
        "---\neffective: 2024-01-01\n---\nSee [it](policy:cookies#section-3) and [this](policy:cookie).\n"
    )
    assert problems_of(site, dt.date(2026, 1, 1)) == [
        "content/privacy/2024-01-01/en.md:4: error: link to unknown policy 'cookie' (did you mean 'cookies'? policies: cookies, privacy)",
        "content/privacy/2024-01-01/en.md:4: error: policy 'cookies' has no section '#section-3' (its anchors: section-2)",
    ]


def test_a_cached_build_follows_the_regions_and_the_publication_of_a_policy(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    out = tmp_path / "out"
    settings = site / "content/cookies/policy.yaml"
    steps: list[tuple[str, Callable[[], object]]] = [
        ("as it is", lambda: None),
        ("everywhere", lambda: settings.write_text("title: {en: Cookies Policy}\n")),
        ("in Europe again", lambda: settings.write_text("regions: [europe]\n")),
    ]
    for as_of in (AS_OF, BEFORE_COOKIES, dt.date(2022, 7, 7)):
        for name, step in steps:
            step()
            dates = ("--as-of", as_of.isoformat())
            assert cli("build", str(site), "-o", str(out), *dates).code == 0
            fresh = tmp_path / "fresh"
            shutil.rmtree(fresh, ignore_errors=True)
            assert cli("build", str(site), "-o", str(fresh), "--no-cache", *dates).code == 0
            assert read_tree(out) == read_tree(fresh), f"{name}, as of {as_of}"
