"""Readers land where they meant to: switchers, section anchors, links between policies, 404."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from .conftest import PAGES, SITES, BuiltSite, PageCase, open_case

if TYPE_CHECKING:
    from playwright.sync_api import Page

POLICY_PAGES = [case for case in PAGES if case.kind not in ("site-index", "language-index", "404")]

SWITCHER_LINKS = """label => [...document.querySelectorAll(`ul[aria-labelledby="${label}"] a`)]
  .map(link => ({href: link.href, text: link.textContent.trim(),
                 hreflang: link.getAttribute('hreflang'), isCurrent: link.hasAttribute('aria-current')}))"""

SHOWN = """() => ({
  lang: document.documentElement.lang,
  dir: document.documentElement.dir,
  revision: document.querySelector('.policy__revision-id')?.textContent.trim() ?? null,
  effective: document.querySelector('.policy__dates time')?.getAttribute('datetime') ?? null,
  language: document.querySelector('ul[aria-labelledby="pg-language-label"] [aria-current]')
    ?.textContent.trim() ?? null,
  region: document.querySelector('ul[aria-labelledby="pg-region-label"] [aria-current]')
    ?.textContent.trim() ?? null,
})"""

# The address of a policy page is <root><language>/<region>/<policy>/[<revision>/|history/].
LANGUAGE, REGION = 0, 1


def segments(site: BuiltSite, url: str) -> list[str]:
    path = urlsplit(url).path
    assert path.startswith(site.host.prefix), url
    return path[len(site.host.prefix) :].strip("/").split("/")


def switch(
    page: Page, site: BuiltSite, case: PageCase, switcher: str, changed: int
) -> list[dict[str, Any]]:
    """Follow every other link of a switcher; what each landing page shows, and the start's."""
    open_case(page, {site.name: site}, case)
    start_url, start = page.url, page.evaluate(SHOWN)
    links = page.evaluate(SWITCHER_LINKS, switcher)
    assert len(links) > 1, f"{case}: the {switcher} switcher offers nothing"
    landings = []
    for link in links:
        if link["isCurrent"]:
            assert link["href"] == start_url, f"{case}: aria-current marks another page"
            continue
        page.goto(start_url)
        with page.expect_navigation():
            page.locator(f'ul[aria-labelledby="{switcher}"]').get_by_role(
                "link", name=link["text"], exact=True
            ).click()
        kept = [s for i, s in enumerate(segments(site, page.url)) if i != changed]
        expected = [s for i, s in enumerate(segments(site, start_url)) if i != changed]
        assert kept == expected, f"{case}: {link['text']} leads to {page.url}"
        shown = page.evaluate(SHOWN)
        assert (shown["revision"], shown["effective"]) == (start["revision"], start["effective"])
        landings.append({"link": link, "shown": shown, "start": start})
    return landings


@pytest.mark.parametrize("case", POLICY_PAGES, ids=str)
def test_language_switcher_keeps_the_policy_region_and_revision(
    page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    for landing in switch(page, built_sites[case.site], case, "pg-language-label", LANGUAGE):
        link, shown = landing["link"], landing["shown"]
        assert shown["lang"] == link["hreflang"]
        assert shown["language"] == link["text"]


@pytest.mark.parametrize("case", [c for c in POLICY_PAGES if "one-region" not in c.kind], ids=str)
def test_region_switcher_keeps_the_policy_language_and_revision(
    page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    for landing in switch(page, built_sites[case.site], case, "pg-region-label", REGION):
        assert landing["shown"]["lang"] == landing["start"]["lang"]
        assert landing["shown"]["region"] == landing["link"]["text"]


@pytest.mark.parametrize("case", [c for c in POLICY_PAGES if "one-region" in c.kind], ids=str)
def test_a_policy_in_one_region_offers_no_region_to_switch_to(
    page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    open_case(page, built_sites, case)
    assert page.locator("#pg-region-label").count() == 0
    if case.kind == "current-one-region":
        # The page names the region it is for, since no switcher does.
        manifest = json.loads((built_sites[case.site].folder / "manifest.json").read_text())
        name = manifest["regions"][case.path.split("/")[1]]["name"][case.language]
        assert page.locator(".policy__kicker").inner_text().endswith(f" · {name}")


HEADING_POSITION = """id => {
  const heading = document.getElementById(id);
  const page = document.scrollingElement;
  return heading && {tag: heading.tagName, text: heading.textContent.trim(),
                     top: heading.getBoundingClientRect().top, scrollY: window.scrollY,
                     isAtBottom: page.scrollTop + innerHeight >= page.scrollHeight - 1,
                     viewport: innerHeight};
}"""


def assert_heading_at_top(page: Page, anchor: str, number: str) -> None:
    heading = page.evaluate(HEADING_POSITION, anchor)
    assert heading is not None, f"no #{anchor} on {page.url}"
    assert heading["tag"] == "H2" and heading["text"].startswith(f"{number}. "), heading
    # At the top of the window, unless the page ends first.
    is_at_top = 0 <= heading["top"] < 60
    is_in_view_at_the_end = heading["isAtBottom"] and 0 <= heading["top"] < heading["viewport"]
    assert heading["scrollY"] > 0, f"the page did not scroll to #{anchor}"
    assert is_at_top or is_in_view_at_the_end, f"#{anchor} is not at the top: {heading}"


CURRENT_PAGES = [case for case in PAGES if case.kind == "current"]


@pytest.mark.parametrize("case", CURRENT_PAGES, ids=str)
def test_section_anchor_lands_on_the_numbered_heading_in_every_language(
    page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    page.goto(built_sites[case.site].url(case.path) + "#section-4")
    assert_heading_at_top(page, "section-4", "4")
    page.goto(built_sites[case.site].url(case.path))
    with page.expect_event("framenavigated"):
        page.locator('.toc a[href="#section-3"]').click()
    assert page.url.endswith("#section-3")
    assert_heading_at_top(page, "section-3", "3")


LINKS_OF_SECTION = """id => {
  const links = [];
  for (let node = document.getElementById(id).nextElementSibling;
       node && node.tagName !== 'H2'; node = node.nextElementSibling)
    links.push(...[...node.querySelectorAll('a[href]')].map(a => ({href: a.href, text: a.textContent})));
  return links;
}"""


def api_title(site: BuiltSite, policy: str, region: str, language: str) -> str:
    answer = json.loads((site.folder / f"api/{policy}/{region}/{language}.json").read_text())
    title: str = answer["current"]["title"]
    return title


@pytest.mark.parametrize(
    ("site", "path", "section", "target"),
    [
        ("example", "en/global/privacy/", "section-4", "en/global/cookies/"),
        ("example", "ja/global/privacy/", "section-4", "ja/global/cookies/"),
        ("example", "en/europe/privacy/", "section-4", "en/europe/cookies/"),
        ("example", "ja/global/cookies/", "section-1", "ja/global/privacy/#section-4"),
        ("arabic", "ar/global/privacy/", "section-3", "ar/global/cookies/#section-2"),
        ("arabic", "en/gulf/privacy/", "section-3", "en/gulf/cookies/#section-2"),
        ("arabic", "ar/gulf/cookies/", "section-2", "ar/gulf/privacy/#section-2"),
        # A Cookies Policy for Europe only: the text read everywhere leads there.
        ("regional", "en/global/privacy/", "section-4", "en/europe/cookies/"),
        ("regional", "ja/europe/cookies/", "section-1", "ja/europe/privacy/#section-4"),
    ],
)
def test_policy_link_lands_on_the_other_policy_in_the_same_language_and_region(
    page: Page,
    built_sites: dict[str, BuiltSite],
    site: str,
    path: str,
    section: str,
    target: str,
) -> None:
    built = built_sites[site]
    page.goto(built.url(path))
    links = [
        link
        for link in page.evaluate(LINKS_OF_SECTION, section)
        if urlsplit(link["href"]).path != urlsplit(page.url).path
    ]
    assert len(links) == 1, f"{section} of {path} should link to one other policy: {links}"
    with page.expect_navigation():
        page.locator(f"a[href='{_attribute(page, links[0]['href'])}']").first.click()
    assert page.url == built.url(target)
    language, region, policy = target.split("/")[:3]
    assert page.locator("h1").inner_text() == api_title(built, policy, region, language)
    if "#" in target:
        anchor = target.split("#")[1]
        assert_heading_at_top(page, anchor, anchor.removeprefix("section-"))


def _attribute(page: Page, href: str) -> str:
    """The href attribute (relative) of the link whose resolved URL is `href`."""
    attribute: str = page.evaluate(
        "href => [...document.links].find(a => a.href === href).getAttribute('href')", href
    )
    return attribute


@pytest.mark.parametrize("site", sorted(SITES))
def test_missing_address_gets_a_styled_404_page_whose_links_work(
    page: Page, built_sites: dict[str, BuiltSite], site: str
) -> None:
    built = built_sites[site]
    response = page.goto(built.url("en/global/no-such-policy/2020-01-01/"))
    assert response is not None and response.status == 404
    styled = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
    )
    assert styled == "solid", "policygen.css did not load on the 404 page"
    hrefs: list[str] = page.evaluate(
        "[...document.links].filter(a => a.hash === '' || a.pathname !== location.pathname)"
        ".map(a => a.href)"
    )
    assert hrefs
    for href in sorted(set(hrefs)):
        landing = page.request.get(href)
        assert landing.status == 200, f"{href} from the 404 page: HTTP {landing.status}"
