"""Every page works under the Content-Security-Policy of `_headers`: nothing blocked, styled.

The sites are served with their `_headers` applied (see conftest). A page that needed an
inline style, a script or anything from another site would report a violation here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from policygen.hosting import CONTENT_SECURITY_POLICY

from ..conftest import ROOT, build_site
from .conftest import AS_OF, DIFF_PAGES, PAGES, BuiltSite, PageCase, open_case
from .static_host import StaticHost

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""
STYLED = """() => {
  const header = getComputedStyle(document.querySelector(".site-header"));
  const skip = getComputedStyle(document.querySelector(".skip-link"));
  return header.borderBottomStyle === "solid" && skip.position === "absolute";
}"""


class Violations:
    """What the policy blocks on a page, as events and in the console, from its next load on."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)
        page.add_init_script(WATCH_VIOLATIONS)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def reported(self) -> list[str]:
        self.page.wait_for_load_state("load")
        events: list[str] = self.page.evaluate("window.__violations")
        return events + self.console


@pytest.mark.parametrize("case", PAGES + DIFF_PAGES, ids=str)
def test_page_breaks_nothing_under_the_content_security_policy(
    strict_page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    page = strict_page
    violations = Violations(page)
    response = open_case(page, built_sites, case)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert violations.reported() == []
    assert page.evaluate(STYLED), "the stylesheet applies"


@pytest.fixture(scope="module")
def aligned_table(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticHost]:
    """The basic test site, whose terms have a table with aligned columns, served with _headers."""
    out = tmp_path_factory.mktemp("aligned") / "public"
    build_site(ROOT / "tests/sites/basic", out, as_of=AS_OF)
    host = StaticHost(out, headers="netlify")
    yield host
    host.stop()


@pytest.mark.parametrize("path", ["en/eu/terms/", "en/eu/terms/2025-03-01/diff/"])
def test_aligned_columns_keep_their_alignment_under_the_policy(
    strict_page: Page, aligned_table: StaticHost, path: str
) -> None:
    page = strict_page
    violations = Violations(page)
    page.goto(aligned_table.url + path)
    assert violations.reported() == []
    rows = page.evaluate(
        "[...document.querySelectorAll('table tr')]"
        ".map(row => [...row.cells].map(cell => getComputedStyle(cell).textAlign))"
    )
    assert rows and all(row == ["left", "right"] for row in rows), rows


def test_a_page_that_needed_more_would_report_it(
    strict_page: Page, built_sites: dict[str, BuiltSite], tmp_path: Path
) -> None:
    """The watch above sees what the policy blocks: an inline style and a script elsewhere."""
    page = strict_page
    folder = tmp_path / "site"
    folder.mkdir()
    shutil.copy(built_sites["example"].folder / "_headers", folder / "_headers")
    (folder / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title><p style="color: red">x</p>'
        '<script src="https://cdn.example.org/x.js"></script>',
        encoding="utf-8",
    )
    host = StaticHost(folder, headers="cloudflare")
    watch = Violations(page)
    try:
        page.goto(host.url)
        violations = watch.reported()
    finally:
        host.stop()
    assert any(v.startswith("style-src") for v in violations), violations
    assert any("cdn.example.org" in v for v in violations), violations
