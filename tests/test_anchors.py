"""Anchors on built pages: every id a link can point at, links written for other renderers,
and one <h1> per page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from .conftest import PRIVACY_EN, SiteFactory, build_site, problems_of

HERE = Path(__file__).parent
CONVERTED_AS_OF = dt.date(2026, 1, 1)

COOKIES_EN = """\
---
title: Cookies Policy
effective: 2024-01-01
---
## 1. What cookies are

Small files.
{: #small-files }

## Strictly necessary

<a name="session"></a>The session cookie.
"""


def test_texts_written_for_other_renderers_check_clean(tmp_path: Path) -> None:
    result = build_site(HERE / "sites" / "converted", None, as_of=CONVERTED_AS_OF)
    assert result.warnings == ()


def test_an_in_page_link_warns_only_when_nothing_on_the_page_has_its_id(
    site_factory: SiteFactory,
) -> None:
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/cookies/2024-01-01/en.md": COOKIES_EN + "\n## 4. クッキーの管理\n\n"
            "See [small files](#small-files), [the session](#session), "
            "[what they are](#1-what-cookies-are), [the same](#1-what-cookies-are), "
            "[necessary](#strictly-necessary), [管理](#4-クッキーの管理), "
            "[management](#section-4) and [nothing](#no-such-thing).\n",
        }
    )
    assert problems_of(site, severity="warning", code="unknown-anchor") == [
        "content/cookies/2024-01-01/en.md:16: warning: link to '#no-such-thing', but nothing on this page has that id (anchors: section-1, section-4, strictly-necessary)"
    ]


def test_a_link_to_a_heading_in_other_capitals_leads_to_it(site_factory: SiteFactory) -> None:
    """CoronaCheck's terms of use for the Scanner app (minvws/nl-covid19-coronacheck-website,
    en/gebruikersvoorwaarden.md at commit 96a61e2, February 2022) list their sections as links
    written in capitals, as no renderer writes an anchor: check warned of each, and a reader's
    click led nowhere. A link to a heading the page has not, in any capitals, is still told."""
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/cookies/2024-01-01/en.md": COOKIES_EN
            + "\n## For whom is the CoronaCheck Scanner app intended?\n\nControllers.\n\n"
            + "See [For whom](#for-whom-is-the-CoronaCheck-Scanner-app-intended), "
            + "[Necessary](#Strictly-Necessary) and [Nothing](#For-Whom-Else).\n",
        }
    )
    assert problems_of(site, severity="warning", code="unknown-anchor") == [
        "content/cookies/2024-01-01/en.md:18: warning: link to '#For-Whom-Else', but nothing on this page has that id (anchors: for-whom-is-the-coronacheck-scanner-app-intended, section-1, strictly-necessary)"
    ]


def test_a_link_to_a_reworded_heading_is_told_the_heading_it_likely_meant(
    site_factory: SiteFactory,
) -> None:
    """Privacy Guides' privacy notice, September 2025: a heading lost its last words, and
    four links still led to the old anchor, not among the first anchors a list could show."""
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": PRIVACY_EN,
            "content/cookies/2024-01-01/en.md": COOKIES_EN
            + "\n## We collect data about posts\n\nPosts.\n\n"
            + "See [9](#section-9) and [posts](#we-collect-data-about-posts-on-our-forum).\n"
            + "[Your profile](#/portal/account/profile) shows them.\n",
        }
    )
    assert problems_of(site, severity="warning", code="unknown-anchor") == [
        # Ghost's members portal, opened by its own script on Privacy Guides' website.
        "content/cookies/2024-01-01/en.md:18: warning: link to '#/portal/account/profile', which is an address inside a web application's page (after '#/'), not a place on this page: write the application's full address (https://…/#/portal/account/profile)",
        # Another number is no misspelling: the anchors are listed.
        "content/cookies/2024-01-01/en.md:18: warning: link to '#section-9', but nothing on this page has that id (anchors: section-1, strictly-necessary, we-collect-data-about-posts)",
        "content/cookies/2024-01-01/en.md:18: warning: link to '#we-collect-data-about-posts-on-our-forum', but nothing on this page has that id (did you mean '#we-collect-data-about-posts'?)",
    ]


def test_a_link_to_another_policys_anchor_may_use_any_id_of_its_page(
    site_factory: SiteFactory,
) -> None:
    privacy = PRIVACY_EN.replace(
        "See the [Cookies Policy](policy:cookies).",
        "See [cookies](policy:cookies#1-what-cookies-are), [session](policy:cookies#session) "
        "and [small files](policy:cookies#small-files).",
    )
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": privacy,
            "content/cookies/2024-01-01/en.md": COOKIES_EN,
        }
    )
    assert problems_of(site) == []
    assert problems_of(site, severity="warning", code="unknown-anchor") == []


def test_a_text_that_opens_with_its_title_titles_its_page_once(
    site_factory: SiteFactory, tmp_path: Path
) -> None:
    text = "---\neffective: 2024-01-01\n---\n# Acme *Privacy* Notice\n\n## 1. Who we are\n\nAcme.\n"
    site = site_factory(
        {
            "content/privacy/2024-01-01/en.md": text,
            "content/privacy/2024-01-01/fr.md": text.replace("Acme *Privacy* Notice", "Avis"),
        }
    )
    out = tmp_path / "out"
    build_site(site, out)

    page = (out / "en/global/privacy/index.html").read_text()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Acme Privacy Notice"]
    assert "<title>Acme Privacy Notice" in page
    assert '<h2 id="section-1">' in page
    assert "Avis" in (out / "fr/global/privacy/index.html").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    documents = manifest["policies"]["privacy"]["revisions"][0]["documents"]
    assert documents["en"]["global"]["title"] == "Acme Privacy Notice"
    assert documents["fr"]["global"]["title"] == "Avis"
    # source.md is the text as written: its title heading stays.
    source = (out / "en/global/privacy/2024-01-01/source.md").read_text()
    assert source.startswith("# Acme *Privacy* Notice\n")


def _level_one_headings(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): len(re.findall(r"<h1[\s>]", path.read_text()))
        for path in sorted(folder.rglob("*.html"))
    }


@pytest.mark.parametrize(
    ("site", "as_of"),
    [("converted", CONVERTED_AS_OF), ("basic", dt.date(2026, 1, 1)), ("arabic", None)],
)
def test_every_page_of_a_site_has_one_level_one_heading(
    site: str, as_of: dt.date | None, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_site(HERE / "sites" / site, out, **({"as_of": as_of} if as_of else {}))
    counts = _level_one_headings(out)
    kinds = {"diff/index.html", "history/index.html", "404.html"}
    assert all(any(path.endswith(kind) for path in counts) for kind in kinds)
    assert {path: count for path, count in counts.items() if count != 1} == {}


def test_every_page_of_the_example_site_has_one_level_one_heading(example: Path) -> None:
    counts = _level_one_headings(example)
    assert len(counts) > 20
    assert {path: count for path, count in counts.items() if count != 1} == {}


def test_a_redline_leads_links_written_for_github_to_its_headings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(HERE / "sites" / "converted", out, as_of=CONVERTED_AS_OF)
    redline = (out / "en/global/terms/2025-03-01/diff/index.html").read_text()
    assert 'href="#section-1"' in redline and 'id="section-1"' in redline
    assert 'href="#1-account-controls"' not in redline
