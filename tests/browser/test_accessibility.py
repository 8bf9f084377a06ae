"""Every page type meets WCAG 2.1 AA as axe-core checks it, and works with the keyboard alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import AXE, DIFF_PAGES, PAGES, SITES, BuiltSite, PageCase, open_case, require

if TYPE_CHECKING:
    from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_script() -> Path:
    require("axe-core")
    return AXE


def run_axe(page: Page, axe_script: Path, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """The WCAG 2.1 A and AA violations axe-core finds on the open page."""
    page.add_script_tag(path=str(axe_script))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_21_AA}
    result = page.evaluate(
        "only => axe.run(document, {runOnly: only, resultTypes: ['violations']})", only
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = node["failureSummary"].replace("\n", " ")
            lines.append(f"    at {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("case", PAGES, ids=str)
def test_page_has_no_axe_violations(
    page: Page, built_sites: dict[str, BuiltSite], axe_script: Path, case: PageCase
) -> None:
    open_case(page, built_sites, case)
    violations = run_axe(page, axe_script)
    assert not violations, f"{case} ({page.url}):\n{describe(violations)}"


@pytest.mark.parametrize("site", sorted(SITES))
def test_diff_pages_have_no_axe_violations(
    page: Page, built_sites: dict[str, BuiltSite], axe_script: Path, site: str
) -> None:
    diff_pages = built_sites[site].diff_pages()
    if not diff_pages:
        pytest.skip(f"the {site} site's build has no diff pages (*/diff/index.html) yet")
    failures = []
    for path in diff_pages:
        response = page.goto(built_sites[site].url(path))
        assert response is not None and response.status == 200, path
        violations = run_axe(page, axe_script)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
    assert not failures, "\n".join(failures)


RECORD_FOCUS = """() => {
  // Links inside a closed <details> are hidden on purpose: they count once it is opened.
  const links = [...document.querySelectorAll('a[href]')].filter(link => link.checkVisibility());
  links.forEach((link, index) => { link.dataset.pgLink = String(index); });
  const stops = document.querySelectorAll('a[href], summary, button, input, select, textarea, [tabindex]');
  window.pgFocused = [];
  document.addEventListener('focusin', event => {
    const element = event.target;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    window.pgFocused.push({
      link: element.dataset.pgLink ?? null,
      text: element.textContent.trim(),
      isFocusVisible: element.matches(':focus-visible'),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      hasOutline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
      isOnScreen: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    });
  });
  return {links: links.map(link => link.textContent.trim() || link.getAttribute('href')),
          stops: stops.length};
}"""


@pytest.mark.parametrize("case", PAGES + DIFF_PAGES, ids=str)
def test_tab_reaches_every_link_with_a_visible_focus_indicator(
    page: Page, built_sites: dict[str, BuiltSite], case: PageCase
) -> None:
    open_case(page, built_sites, case)
    found = page.evaluate(RECORD_FOCUS)
    links: list[str] = found["links"]
    for _ in range(found["stops"] + 2):
        page.keyboard.press("Tab")
    reached: set[str] = set()
    problems = []
    for focused in page.evaluate("window.pgFocused"):
        if focused["link"] in reached:
            break  # around again
        if focused["link"] is None:
            continue
        reached.add(focused["link"])
        if not (focused["isFocusVisible"] and focused["hasOutline"]):
            problems.append(f"{focused['text']!r} has no focus outline ({focused['outline']})")
        if not focused["isOnScreen"]:
            problems.append(f"{focused['text']!r} is focused but not on screen")
    missing = [text for index, text in enumerate(links) if str(index) not in reached]
    assert not missing, f"{case}: Tab never reaches {missing}"
    assert not problems, f"{case}: " + "; ".join(problems)


TABLE_PAGES = [case for case in PAGES if case.kind == "current-table"]


def test_tables_that_scroll_at_320px_can_be_scrolled_with_the_keyboard(
    page: Page, built_sites: dict[str, BuiltSite], axe_script: Path
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    failures = []
    for case in TABLE_PAGES:
        open_case(page, built_sites, case)
        violations = run_axe(page, axe_script, rules=["scrollable-region-focusable"])
        if violations:
            failures.append(f"{case}:\n{describe(violations)}")
    assert not failures, "\n".join(failures)
