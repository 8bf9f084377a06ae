"""A real consent banner (examples/consent/) asks again exactly when the manifest says so.

The site is published at /policies/ and the banner's page at /consent/, beside it; each
rebuild replaces /policies/ while the readers' browsers keep their consent cookies.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

from ..conftest import SiteFactory, build_site
from .conftest import CONSENT_EXAMPLE, require
from .static_host import StaticHost

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

FIRST = """\
---
title: Privacy Policy
effective: 2024-01-01
summary: First version.
---
## 1. Who we are

We are Example.

## 2. Cookies

We count visits.

::: region eu
You may object to the counting at any time.
:::
"""
FIRST_FR = """\
---
title: Politique de confidentialité
summary: Première version.
---
## 1. Qui nous sommes

Nous sommes Example.

## 2. Cookies

Nous comptons les visites.

::: region eu
Vous pouvez vous opposer au comptage à tout moment.
:::
"""


def revision(effective: str, *, material: bool, summary: str, old: str, new: str) -> str:
    """The first text with one passage changed, as the revision effective on that date."""
    text = FIRST.replace("effective: 2024-01-01", f"effective: {effective}")
    text = text.replace(
        "summary: First version.", f"summary: {summary}\nmaterial: {str(material).lower()}"
    )
    assert old in text
    return text.replace(old, new)


@dataclass
class Publisher:
    """The policies at /policies/ and the consent page at /consent/ of one web server."""

    site: Path
    www: Path
    host: StaticHost

    def publish(self) -> None:
        build_site(self.site, self.www / "policies", base_url=self.host.url + "policies/")

    def answer(self, region: str, language: str = "en") -> dict[str, Any]:
        path = self.www / f"policies/api/privacy/{region}/{language}.json"
        answer: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return answer


@pytest.fixture
def publisher(site_factory: SiteFactory, tmp_path: Path) -> Iterator[Publisher]:
    require("vanilla-cookieconsent")
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": FIRST, "content/privacy/2024-01-01/fr.md": FIRST_FR}
    )
    www = tmp_path / "www"
    consent = www / "consent"
    consent.mkdir(parents=True)
    for name in ("index.html", "consent.js"):
        shutil.copy(CONSENT_EXAMPLE / name, consent / name)
    dist = "node_modules/vanilla-cookieconsent/dist"
    shutil.copytree(CONSENT_EXAMPLE / dist, consent / dist)
    host = StaticHost(www)
    try:
        publisher = Publisher(site, www, host)
        publisher.publish()
        yield publisher
    finally:
        host.stop()


@dataclass
class Reader:
    """One person's browser: it keeps its cookies from visit to visit."""

    context: BrowserContext
    page: Page
    address: str

    def visit(self) -> str:
        """Open the banner's page; "asked" when the banner shows, "valid" when consent stands."""
        self.page.goto(self.address)
        self.page.wait_for_selector("html[data-consent]", state="attached")
        state = self.page.get_attribute("html", "data-consent") or ""
        is_shown = self.page.evaluate(
            "document.documentElement.classList.contains('show--consent')"
        )
        assert is_shown == (state == "asked"), f"banner shown: {is_shown}, state: {state}"
        return state

    def accept(self) -> None:
        banner = self.page.get_by_role("dialog")
        banner.get_by_role("button", name="Accept all").click()
        self.page.wait_for_function("!document.documentElement.classList.contains('show--consent')")

    def consent_cookie(self) -> dict[str, Any]:
        cookies = {cookie["name"]: cookie["value"] for cookie in self.context.cookies()}
        value: dict[str, Any] = json.loads(unquote(cookies["cc_cookie"]))
        return value


@pytest.fixture
def reader_at(browser: Browser, publisher: Publisher) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def make(query: str) -> Reader:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        # vanilla-cookieconsent hides from automated browsers (hideFromBots): this one is a person.
        context.add_init_script("Object.defineProperty(navigator, 'webdriver', {get: () => false})")
        contexts.append(context)
        return Reader(context, context.new_page(), f"{publisher.host.url}consent/?{query}")

    yield make
    for context in contexts:
        context.close()


def test_banner_asks_again_only_after_a_material_change_to_the_readers_text(
    publisher: Publisher, reader_at: Any, artifacts: Path
) -> None:
    worldwide, european = reader_at("region=global"), reader_at("region=eu")

    # First visit: the banner, linking to the text in force; accepting records that text.
    assert worldwide.visit() == "asked"
    (artifacts / "screenshots").mkdir(exist_ok=True)
    worldwide.page.screenshot(path=str(artifacts / "screenshots/consent-banner.png"))
    answer = publisher.answer("global")
    assert answer["consent"]["revision"] == 1
    policy_link = worldwide.page.get_by_role("dialog").get_by_role("link", name="Privacy Policy")
    assert policy_link.get_attribute("href") == answer["current"]["url"]
    worldwide.accept()
    cookie = worldwide.consent_cookie()
    assert cookie["revision"] == 1
    assert cookie["data"]["sha256"] == answer["current"]["sha256"]
    assert worldwide.visit() == "valid"
    assert european.visit() == "asked"
    european.accept()

    # Another language is the same consent: switching language does not ask again.
    assert reader_at_same_browser(worldwide, "region=global&lang=fr").visit() == "valid"

    # A material change to the text everyone reads: both regions are asked again.
    publisher.site.joinpath("content/privacy/2024-06-01").mkdir()
    publisher.site.joinpath("content/privacy/2024-06-01/en.md").write_text(
        revision(
            "2024-06-01",
            material=True,
            summary="We now count visits with Matomo.",
            old="We count visits.",
            new="We count visits with Matomo.",
        ),
        encoding="utf-8",
    )
    publisher.publish()
    assert publisher.answer("global")["consent"] == {"revision": 2, "since": "2024-06-01"}
    assert worldwide.visit() == "asked"
    assert "We now count visits with Matomo." in worldwide.page.get_by_role("dialog").inner_text()
    worldwide.accept()
    assert worldwide.consent_cookie()["data"]["revision"] == "2024-06-01"
    assert european.visit() == "asked"
    european.accept()

    # A change that is not material (a typo fixed): nobody is asked again.
    publisher.site.joinpath("content/privacy/2025-01-01").mkdir()
    publisher.site.joinpath("content/privacy/2025-01-01/en.md").write_text(
        revision(
            "2025-01-01",
            material=False,
            summary="Corrects our name.",
            old="We count visits.",
            new="We count visits with Matomo.",
        ).replace("We are Example.", "We are Example Ltd."),
        encoding="utf-8",
    )
    publisher.publish()
    assert publisher.answer("global")["current"]["id"] == "2025-01-01"
    assert publisher.answer("global")["consent"]["revision"] == 2
    assert worldwide.visit() == "valid"
    assert european.visit() == "valid"

    # A material change to the European text only: only European readers are asked again.
    european_only = revision(
        "2025-06-01",
        material=True,
        summary="Explains how to object.",
        old="You may object to the counting at any time.",
        new="You may object to the counting at any time, by email.",
    )
    european_only = european_only.replace("We count visits.", "We count visits with Matomo.")
    publisher.site.joinpath("content/privacy/2025-06-01").mkdir()
    publisher.site.joinpath("content/privacy/2025-06-01/en.md").write_text(
        european_only.replace("We are Example.", "We are Example Ltd."), encoding="utf-8"
    )
    publisher.publish()
    assert publisher.answer("global")["current"]["id"] == "2025-06-01"
    assert publisher.answer("global")["consent"]["revision"] == 2
    assert publisher.answer("eu")["consent"] == {"revision": 3, "since": "2025-06-01"}
    assert worldwide.visit() == "valid"
    assert european.visit() == "asked"


def reader_at_same_browser(reader: Reader, query: str) -> Reader:
    """The same person (same cookies) opening the page with another address."""
    address = reader.address.split("?")[0] + "?" + query
    return Reader(reader.context, reader.page, address)


@pytest.fixture
def banner_elsewhere(site_factory: SiteFactory, tmp_path: Path) -> Iterator[Any]:
    """The policies published by one server (at /policies/), the banner's page by another:
    two origins, as when a shop's pages ask for consent to the policies of its policy site.
    `serve(headers)` starts the policies' server, applying their `_headers` or not."""
    require("vanilla-cookieconsent")
    site = site_factory(
        {"content/privacy/2024-01-01/en.md": FIRST, "content/privacy/2024-01-01/fr.md": FIRST_FR}
    )
    out = tmp_path / "policies"
    banner = tmp_path / "shop"
    dist = "node_modules/vanilla-cookieconsent/dist"
    shutil.copytree(CONSENT_EXAMPLE / dist, banner / dist)
    shutil.copy(CONSENT_EXAMPLE / "consent.js", banner / "consent.js")
    hosts: list[StaticHost] = []

    def serve(headers: bool) -> str:
        policies = StaticHost(out, "/policies/", headers="netlify" if headers else None)
        shop = StaticHost(banner)
        hosts.extend([policies, shop])
        build_site(site, out, base_url=policies.url)
        page = (CONSENT_EXAMPLE / "index.html").read_text(encoding="utf-8")
        assert 'data-api="../policies/api/"' in page
        page = page.replace('data-api="../policies/api/"', f'data-api="{policies.url}api/"')
        (banner / "index.html").write_text(page, encoding="utf-8")
        assert urlsplit(policies.origin).port != urlsplit(shop.origin).port
        return shop.url

    yield serve
    for host in hosts:
        host.stop()


@pytest.mark.parametrize(("headers", "state"), [(True, "asked"), (False, "unavailable")])
def test_a_banner_on_another_site_reads_the_answer_across_origins(
    browser: Browser, banner_elsewhere: Any, headers: bool, state: str
) -> None:
    """With _headers applied the answer is readable from another origin; without, the browser
    withholds it and the banner stays away (which is how the test knows CORS is what works)."""
    shop = banner_elsewhere(headers)
    context = browser.new_context()
    context.set_default_timeout(15_000)
    context.add_init_script("Object.defineProperty(navigator, 'webdriver', {get: () => false})")
    try:
        reader = Reader(context, context.new_page(), f"{shop}?region=global")
        assert reader.visit() == state
        if state == "asked":
            link = reader.page.get_by_role("dialog").get_by_role("link", name="Privacy Policy")
            assert (link.get_attribute("href") or "").endswith(
                "/policies/en/global/privacy/2024-01-01/"
            )
    finally:
        context.close()
